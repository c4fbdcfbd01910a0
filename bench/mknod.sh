#!/usr/bin/env bash
# What an intercepted mknod costs, and how much the agent answers at once.
#   bench/mknod.sh [N] [RUNTIME]      (default N=10000 calls, runc)
# One unprivileged container (user namespace, host 200000+65536) through
# palisade-runtime with the agent guard makes N nodes (mknod c 1 3, then
# unlink) and times each call: median and p99, against the same loop with a
# FIFO, which the filter lets through (the kernel alone). Then 8 such
# containers at once, N/4 calls each: the agent's throughput (calls per
# second from the first call of any to the last call of all).
# The nodes are made on a tmpfs of the bench's own, bind-mounted at /bench in
# each container (on this machine's ext4 a mknod alone takes about 1 ms,
# which would hide what the agent costs). The journal goes there too unless
# JOURNAL names a file elsewhere: the workers fsync it after answering.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-10000}
rt=${2:-runc}
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root" >&2; exit 1; }
test/setup-machine.sh
make -s all

w=$(mktemp -d /tmp/palisade-bench.XXXXXX)
state=$(mktemp -d /run/palisade-bench.XXXXXX)
chmod 755 "$w"
agent=
cleanup() {
        [ -z "$agent" ] || kill "$agent" 2>/dev/null || true
        umount "$w/fast" 2>/dev/null || true
        for i in 0 1 2 3 4 5 6 7 8 9; do "$rt" delete -f "bench-mknod-$i" >/dev/null 2>&1 || true; done
        rm -rf "$w" "$state"
}
trap cleanup EXIT
mkdir -p "$w/fast"
mount -t tmpfs -o mode=0755 palisade-bench "$w/fast"
mkdir -m 0755 "$w/fast/nodes"
chown 200000:200000 "$w/fast/nodes"
journal=${JOURNAL:-$w/fast/journal.jsonl}
printf '{ "state_dir": "%s", "guards": ["devices", "caps", "agent", "check", "audit"], "audit": { "journal": "%s" }, "agent": { "socket": "%s/agent.sock" } }\n' \
        "$state" "$journal" "$state" >"$w/policy.json"
export PALISADE_CONFIG=$w/policy.json
test/make-rootfs.sh "$w/rootfs"
gcc -static -O2 -pthread -o "$w/rootfs/bin/mknod_helper" test/agent/mknod_helper.c
chown -R 200000:200000 "$w/rootfs"
: >"$w/in"
build/palisade agent 2>"$w/agent.log" &
agent=$!
for _ in $(seq 50); do [ -S "$state/agent.sock" ] && break; sleep 0.1; done

# bundle NAME ARGS...
bundle() {
        local name=$1 args
        shift
        args=$(jq -cn '$ARGS.positional' --args -- "$@")
        rm -rf "${w:?}/$name" && mkdir -p "$w/$name"
        (cd "$w/$name" && runc spec)
        jq --arg root "$w/rootfs" --arg fast "$w/fast/nodes" --argjson args "$args" '
                .root = { path: $root, readonly: false } | .process.terminal = false | .process.args = $args
                | .mounts += [ { destination: "/bench", type: "bind", source: $fast, options: ["rbind", "rw"] } ]
                | .linux.namespaces += [ { type: "user" } ]
                | .linux.uidMappings = [ { containerID: 0, hostID: 200000, size: 65536 } ]
                | .linux.gidMappings = [ { containerID: 0, hostID: 200000, size: 65536 } ]
                | .process.capabilities |= with_entries(.value += ["CAP_MKNOD"])
        ' "$w/$name/config.json" >"$w/$name/c" && mv "$w/$name/c" "$w/$name/config.json"
}

run() {  # run NAME: its output in $w/NAME.out
        (cd "$w/$1" && PALISADE_RUNTIME=$rt build_shim run "$1" <"$w/in" >"$w/$1.out" 2>&1)
}
build_shim() { "$root/build/palisade-runtime" "$@"; }

# stats FILE...: median and p99 in microseconds of the latency lines
stats() {
        grep -hv '^#' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "median %.1f us, p99 %.1f us (%d calls)", a[int(NR * 0.5) + 1] / 1000, a[int(NR * 0.99) + 1] / 1000, NR }'
}

bundle bench-mknod-0 mknod_helper loop /bench/n-0 "$n"
run bench-mknod-0
bundle bench-mknod-9 mknod_helper loop /bench/n-9 "$n" fifo
run bench-mknod-9
echo "$rt: intercepted mknod c 1 3: $(stats "$w/bench-mknod-0.out")"
echo "$rt: mknod of a FIFO (not intercepted): $(stats "$w/bench-mknod-9.out")"

per=$((n / 4))
pids=()
for i in 1 2 3 4 5 6 7 8; do
        bundle "bench-mknod-$i" mknod_helper loop "/bench/n-$i" "$per"
        run "bench-mknod-$i" &
        pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
first=$(grep -h '^# start' "$w"/bench-mknod-[1-8].out | awk '{ print $3 }' | sort -n | head -1)
last=$(grep -h '^# end' "$w"/bench-mknod-[1-8].out | awk '{ print $3 }' | sort -n | tail -1)
total=$(grep -hvc '^#' "$w"/bench-mknod-[1-8].out | paste -sd+ | bc)
echo "$rt: 8 containers at once: $total calls in $(echo "scale=2; ($last - $first) / 1000000000" | bc) s:" \
     "$(echo "$total * 1000000000 / ($last - $first)" | bc) calls/s; $(stats "$w"/bench-mknod-[1-8].out)"
