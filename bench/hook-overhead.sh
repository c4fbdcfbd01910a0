#!/usr/bin/env bash
# Container start+stop cost with palisade-hook against the bare runtime, in
# one run, interleaved so that machine noise hits both alike.
#   bench/hook-overhead.sh [N]     (default N=40 containers per variant)
# Prints per-variant median and mean wall time per container (busybox true)
# and the ratio hooked/bare, for runc and crun; then the hook alone
# (createRuntime + poststop on a live process).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-40}
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root" >&2; exit 1; }
test/setup-machine.sh

w=$(mktemp -d /tmp/palisade-bench.XXXXXX)
state=$(mktemp -d /run/palisade-bench.XXXXXX)
trap 'rm -rf "$w" "$state"' EXIT
printf '{ "state_dir": "%s", "audit": { "journal": "%s/journal.jsonl" } }\n' "$state" "$w" >"$w/policy.json"
test/make-rootfs.sh "$w/rootfs"

bundle() {  # bundle DIR HOOKED
        mkdir -p "$1"
        (cd "$1" && runc spec)
        jq --arg root "$w/rootfs" --arg hook "$root/build/palisade-hook" --arg env "PALISADE_CONFIG=$w/policy.json" \
           --argjson hooked "$2" '
                .root.path = $root | .process.terminal = false | .process.args = ["true"]
                | if $hooked then .hooks = {
                    createRuntime: [ { path: $hook, args: ["palisade-hook", "createRuntime"], env: [$env] } ],
                    poststop: [ { path: $hook, args: ["palisade-hook", "poststop"], env: [$env] } ] } else . end
        ' "$1/config.json" >"$1/c" && mv "$1/c" "$1/config.json"
}
bundle "$w/bare" false
bundle "$w/hooked" true

now_ns() { date +%s%N; }
stats() {  # stats FILE -> "median mean" in ms
        sort -n "$1" | awk '{ a[NR] = $1; s += $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f %.2f\n", m / 1e6, s / NR / 1e6 }'
}

printf '%-6s %-8s %10s %10s\n' runtime variant "median ms" "mean ms"
for rt in runc crun; do
        : >"$w/$rt-bare"; : >"$w/$rt-hooked"
        for i in $(seq "$n"); do
                for v in bare hooked; do
                        t0=$(now_ns)
                        (cd "$w/$v" && "$rt" run "b$i-$v" </dev/null >/dev/null)
                        echo $(($(now_ns) - t0)) >>"$w/$rt-$v"
                done
        done
        read -r mb ab < <(stats "$w/$rt-bare")
        read -r mh ah < <(stats "$w/$rt-hooked")
        printf '%-6s %-8s %10s %10s\n' "$rt" bare "$mb" "$ab"
        printf '%-6s %-8s %10s %10s\n' "$rt" hooked "$mh" "$ah"
        awk -v b="$mb" -v h="$mh" -v rt="$rt" 'BEGIN { printf "%-6s ratio    %10.3f   (hooked/bare, medians; +%.2f ms per container)\n", rt, h / b, h - b }'
done

# The hook alone: createRuntime then poststop for a live process, against
# the same loop running /bin/true, so that the shell's own cost cancels out.
sleep 1000 & sleeper=$!
mkdir -p "$w/hb" && cp "$w/hooked/config.json" "$w/hb/config.json"
printf '{"ociVersion":"1.0.2","id":"h","status":"creating","pid":%d,"bundle":"%s"}' "$sleeper" "$w/hb" >"$w/s1"
sed 's/creating/stopped/' "$w/s1" >"$w/s2"
loop() {  # loop PROGRAM: ns for n*5 createRuntime+poststop pairs
        local t0 i
        t0=$(now_ns)
        for i in $(seq $((n * 5))); do
                "$1" createRuntime <"$w/s1"
                "$1" poststop <"$w/s2"
        done
        echo $(($(now_ns) - t0))
}
export PALISADE_CONFIG=$w/policy.json
hook_ns=$(loop build/palisade-hook)
true_ns=$(loop /bin/true)
kill "$sleeper"
awk -v h="$hook_ns" -v t="$true_ns" -v k=$((n * 5)) 'BEGIN {
        printf "hook alone, %d createRuntime+poststop pairs: %.2f ms per pair (%.2f ms per invocation) beyond exec of /bin/true\n", k, (h - t) / k / 1e6, (h - t) / k / 2e6 }'
