#!/usr/bin/env bash
# What palisade costs a container start, against the bare runtime, in one
# run, the variants interleaved so that machine noise hits all alike.
#   bench/overhead.sh [N]     (default N=40 containers per variant)
# Variants, each `RUNTIME run` of busybox `true` from a fresh config.json:
#   bare    the runtime alone
#   hook    palisade-hook registered in config.json by hand
#   shim0   through palisade-runtime with no guard enabled (the shim alone)
#   shim    through palisade-runtime with the default guards (hooks injected)
# Prints median and mean ms per container and each variant's median ratio to
# bare, for runc and crun; then the hook alone (createRuntime + poststop).
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
printf '{ "guards": [], "state_dir": "%s" }\n' "$state" >"$w/policy0.json"
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
bundle "$w/hook" true
bundle "$w/shim" false
cp "$w/shim/config.json" "$w/shim.json"

now_ns() { date +%s%N; }
stats() {  # stats FILE -> "median mean" in ms
        sort -n "$1" | awk '{ a[NR] = $1; s += $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f %.2f\n", m / 1e6, s / NR / 1e6 }'
}

variants=(bare hook shim0 shim)
printf '%-6s %-8s %10s %10s %8s\n' runtime variant "median ms" "mean ms" ratio
for rt in runc crun; do
        for v in "${variants[@]}"; do : >"$w/$rt-$v"; done
        for i in $(seq "$n"); do
                for v in "${variants[@]}"; do
                        policy=$w/policy.json
                        case $v in
                        bare|hook) cmd=$rt; dir=$w/$v ;;
                        shim0) cmd=$root/build/palisade-runtime; dir=$w/shim; policy=$w/policy0.json ;;
                        shim) cmd=$root/build/palisade-runtime; dir=$w/shim ;;
                        esac
                        # A fresh config.json each time, as Podman and containerd write one.
                        cp "$w/shim.json" "$w/shim/config.json"
                        t0=$(now_ns)
                        (cd "$dir" && PALISADE_RUNTIME=$rt PALISADE_CONFIG=$policy exec "$cmd" run "b$i-$v" </dev/null >/dev/null)
                        echo $(($(now_ns) - t0)) >>"$w/$rt-$v"
                done
        done
        read -r base _ < <(stats "$w/$rt-bare")
        for v in "${variants[@]}"; do
                read -r med mean < <(stats "$w/$rt-$v")
                awk -v rt="$rt" -v v="$v" -v m="$med" -v a="$mean" -v b="$base" \
                    'BEGIN { printf "%-6s %-8s %10.2f %10.2f %8.3f  (%+.2f ms)\n", rt, v, m, a, m / b, m - b }'
        done
done

# The hook alone: createRuntime then poststop for a live process, against
# the same loop running /bin/true, so that the shell's own cost cancels out.
sleep 1000 & sleeper=$!
mkdir -p "$w/hb" && cp "$w/hook/config.json" "$w/hb/config.json"
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
