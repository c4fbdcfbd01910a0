#!/usr/bin/env bash
# What shifting a rootfs costs against its size, in one run: the time to
# start a container (crun, `true`) whose rootfs holds 1,000, 10,000 and
# 100,000 extra files,
#   idmap   through palisade-runtime, userns.mode auto: the rootfs shown
#           through an idmapped mount (O(1): no file is touched)
#   chown   the fallback Podman uses where idmapped mounts are unavailable:
#           a recursive chown of the rootfs to the container's range, then
#           the bare runtime with the same user namespace
#   bench/shift.sh [REPS] [SIZES...]   (default 3 reps; 1000 10000 100000)
# Prints the median milliseconds per container start for each size.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
reps=${1:-3}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root" >&2; exit 1; }
test/setup-machine.sh

w=$(mktemp -d /tmp/palisade-shift.XXXXXX)
state=$(mktemp -d /run/palisade-shift.XXXXXX)
trap 'rm -rf "$w" "$state"' EXIT
chmod 0755 "$w"  # the chown variant's runtime reaches the rootfs as the range's root
start=1000000
printf '{ "state_dir": "%s", "guards": ["userns"], "userns": { "mode": "auto", "pool": { "start": %d, "size": 65536, "count": 16 } } }\n' \
        "$state" "$start" >"$w/policy.json"
: >"$w/empty"

now_ns() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", ((NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) / 1e6 }'; }

bundle() {  # bundle DIR ROOTFS USERNS
        mkdir -p "$1"
        (cd "$1" && runc spec)
        jq --arg root "$2" --argjson userns "$3" --argjson h "$start" '
                .root.path = $root | .process.terminal = false | .process.args = ["true"]
                | if $userns then .linux.namespaces += [{ type: "user" }]
                  | .linux.uidMappings = [{ containerID: 0, hostID: $h, size: 65536 }]
                  | .linux.gidMappings = [{ containerID: 0, hostID: $h, size: 65536 }] else . end
        ' "$1/config.json" >"$1/c" && mv "$1/c" "$1/config.json"
}

printf '%-8s %10s %10s\n' files "idmap ms" "chown ms"
for n in "${sizes[@]}"; do
        rootfs=$w/rootfs-$n
        test/make-rootfs.sh "$rootfs"
        mkdir -p "$rootfs/data"
        (cd "$rootfs/data" && seq "$n" | xargs touch)
        bundle "$w/chown-$n" "$rootfs" true
        : >"$w/idmap.t"
        : >"$w/chown.t"
        for i in $(seq "$reps"); do
                bundle "$w/idmap-$n-$i" "$rootfs" false
                t0=$(now_ns)
                (cd "$w/idmap-$n-$i" && PALISADE_CONFIG=$w/policy.json PALISADE_RUNTIME=crun \
                        "$root/build/palisade-runtime" run "shift-idmap-$n-$i" <"$w/empty" >/dev/null)
                echo $(($(now_ns) - t0)) >>"$w/idmap.t"
                crun delete -f "shift-idmap-$n-$i" 2>/dev/null || true

                t0=$(now_ns)
                chown -R "$start:$start" "$rootfs"
                (cd "$w/chown-$n" && crun run "shift-chown-$n-$i" <"$w/empty" >/dev/null)
                echo $(($(now_ns) - t0)) >>"$w/chown.t"
                crun delete -f "shift-chown-$n-$i" 2>/dev/null || true
                chown -R 0:0 "$rootfs"  # back, untimed, for the next rep
        done
        printf '%-8s %10s %10s\n' "$n" "$(median <"$w/idmap.t")" "$(median <"$w/chown.t")"
done
