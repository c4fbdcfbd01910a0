#!/usr/bin/env bash
# What palisade costs a container start, against the bare runtime, in one
# run, the variants interleaved so that machine noise hits all alike.
#   bench/overhead.sh [N]     (default N=40 containers per variant)
# Variants, each `RUNTIME run` of busybox `true` from a fresh config.json:
#   bare    the runtime alone
#   true    /bin/cat registered as createRuntime and poststop hooks: what the
#           runtime itself spends running two hooks, whatever they are
#   hook    palisade-hook registered in config.json by hand
#   shim0   through palisade-runtime with no guard enabled (the shim alone)
#   filter  the runtime alone with the seccomp filter palisade installs (the
#           built-in profile): what any filter of that size costs the runtime
#   shim    through palisade-runtime with the default guards (hooks injected)
# Prints, per container, the median wall time and the median CPU time (user +
# system of the whole process tree, steadier than wall time on a shared
# machine) and each variant's ratio to bare, for runc and crun; then the hook
# alone (createRuntime + poststop).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v perf >/dev/null || { echo "bench: needs perf (apt-get install linux-perf)" >&2; exit 1; }
root=$PWD
n=${1:-40}
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root" >&2; exit 1; }
test/setup-machine.sh

w=$(mktemp -d /tmp/palisade-bench.XXXXXX)
state=$(mktemp -d /run/palisade-bench.XXXXXX)
trap 'rm -rf "$w" "$state"' EXIT
printf '{ "state_dir": "%s", "audit": { "journal": "%s/journal.jsonl" } }\n' "$state" "${JOURNAL_DIR:-$w}" >"$w/policy.json"
printf '{ "guards": [], "state_dir": "%s" }\n' "$state" >"$w/policy0.json"
test/make-rootfs.sh "$w/rootfs"

bundle() {  # bundle DIR HOOKED [HOOK-PATH]
        mkdir -p "$1"
        (cd "$1" && runc spec)
        jq --arg root "$w/rootfs" --arg hook "${3:-$root/build/palisade-hook}" --arg env "PALISADE_CONFIG=$w/policy.json" \
           --argjson hooked "$2" '
                .root.path = $root | .process.terminal = false | .process.args = ["true"]
                | if $hooked then .hooks = {
                    createRuntime: [ { path: $hook, args: [($hook | split("/") | last), "createRuntime"], env: [$env] } ],
                    poststop: [ { path: $hook, args: [($hook | split("/") | last), "poststop"], env: [$env] } ] }
                  | if $hook == "/bin/cat" then .hooks[][].args = ["cat"] else . end
                  else . end
        ' "$1/config.json" >"$1/c" && mv "$1/c" "$1/config.json"
}
bundle "$w/bare" false
bundle "$w/hook" true
bundle "$w/true" true /bin/cat
bundle "$w/shim" false
cp "$w/shim/config.json" "$w/shim.json"
bundle "$w/filter" false
PALISADE_CONFIG=$w/policy.json build/palisade-hook precreate <"$w/filter/config.json" |
        jq '{ seccomp: .linux.seccomp }' >"$w/filter.seccomp"
jq --slurpfile f "$w/filter.seccomp" '.linux.seccomp = $f[0].seccomp' "$w/filter/config.json" >"$w/filter/c" &&
        mv "$w/filter/c" "$w/filter/config.json"

now_ns() { date +%s%N; }
stats() {  # stats FILE -> "median mean" in ms
        sort -n "$1" | awk '{ a[NR] = $1; s += $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f %.2f\n", m / 1e6, s / NR / 1e6 }'
}

variants=(bare true hook shim0 filter shim)
printf '%-6s %-8s %9s %7s %9s %7s\n' runtime variant "wall ms" ratio "cpu ms" ratio
for rt in runc crun; do
        for v in "${variants[@]}"; do : >"$w/$rt-$v"; : >"$w/$rt-$v.cpu"; done
        for i in $(seq "$n"); do
                for v in "${variants[@]}"; do
                        policy=$w/policy.json
                        case $v in
                        bare|true|hook|filter) cmd=$rt; dir=$w/$v ;;
                        shim0) cmd=$root/build/palisade-runtime; dir=$w/shim; policy=$w/policy0.json ;;
                        shim) cmd=$root/build/palisade-runtime; dir=$w/shim ;;
                        esac
                        # A fresh config.json each time, as Podman and containerd write one.
                        cp "$w/shim.json" "$w/shim/config.json"
                        t0=$(now_ns)
                        (cd "$dir" && PALISADE_RUNTIME=$rt PALISADE_CONFIG=$policy exec perf stat -x, -e task-clock \
                                -o "$w/t" "$cmd" run "b$i-$v" </dev/null >/dev/null)
                        echo $(($(now_ns) - t0)) >>"$w/$rt-$v"
                        awk -F, '$3 == "task-clock" { printf "%d\n", $1 * 1e6 }' "$w/t" >>"$w/$rt-$v.cpu"
                done
        done
        read -r base _ < <(stats "$w/$rt-bare")
        read -r cbase _ < <(stats "$w/$rt-bare.cpu")
        read -r fwall _ < <(stats "$w/$rt-filter")
        read -r fcpu _ < <(stats "$w/$rt-filter.cpu")
        for v in "${variants[@]}"; do
                read -r med _ < <(stats "$w/$rt-$v")
                read -r cpu _ < <(stats "$w/$rt-$v.cpu")
                awk -v rt="$rt" -v v="$v" -v m="$med" -v b="$base" -v c="$cpu" -v cb="$cbase" \
                    'BEGIN { printf "%-6s %-8s %9.2f %7.3f %9.2f %7.3f\n", rt, v, m, m / b, c, c / cb }'
        done
        awk -v rt="$rt" -v m="$med" -v f="$fwall" -v c="$cpu" -v fc="$fcpu" 'BEGIN {
                printf "%-6s shim against the same filter without palisade: wall %.3f, cpu %.3f\n", rt, m / f, c / fc }'
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
