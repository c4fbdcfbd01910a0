# Shared by the bats suites: a busybox rootfs, a test policy, bundles with
# palisade-hook registered, and ways to find processes on the host.

# shellcheck disable=SC2034 # PALISADE and SHIM are for the bats files that load this one
ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BUILD=${PALISADE_BUILD:-$ROOT/build}
HOOK=$BUILD/palisade-hook
PALISADE=$BUILD/palisade
SHIM=$BUILD/palisade-runtime

# Per-file scratch space, a policy of its own, and state on a tmpfs (/run).
palisade_setup_file() {
        "$ROOT/test/setup-machine.sh"
        T=$(mktemp -d /tmp/palisade-bats.XXXXXX)
        STATE=$(mktemp -d /run/palisade-bats.XXXXXX)
        export T STATE JOURNAL=$T/journal.jsonl
        "$ROOT/test/make-rootfs.sh" "$T/rootfs"
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
        export PALISADE_CONFIG=$T/policy.json
}

palisade_teardown_file() {
        rm -rf "$T" "$STATE"
}

# write_policy 'JSON MEMBERS': the test policy with state_dir set.
write_policy() {
        printf '{ "state_dir": "%s", %s }\n' "$STATE" "$1" >"$T/policy.json"
}

POOL_START=1000000
POOL_SIZE=65536

# userns_policy MODE [MEMBERS]: the test policy with the userns guard on, a
# pool of 64 ranges of POOL_SIZE from POOL_START, and subid files of the
# test's own ($T/subuid, $T/subgid: made here if missing).
userns_policy() {
        [ -e "$T/subuid" ] || : >"$T/subuid"
        [ -e "$T/subgid" ] || : >"$T/subgid"
        write_policy '"guards": ["userns", "devices", "caps", "seccomp", "check", "audit"],
                "audit": { "journal": "'"$JOURNAL"'" },
                "userns": { "mode": "'"$1"'", "pool": { "start": '$POOL_START', "size": '$POOL_SIZE', "count": 64 },
                            "subuid": "'"$T/subuid"'", "subgid": "'"$T/subgid"'" '"${2:+, $2}"' }'
}

# plain_bundle NAME [ARG...]: a bundle as `runc spec` makes it, running ARGs
# (default: sleep 1000), without palisade.
plain_bundle() {
        local name=$1 args
        shift
        [ $# -gt 0 ] || set -- sleep 1000
        args=$(jq -cn '$ARGS.positional' --args -- "$@")
        rm -rf "${T:?}/$name"
        mkdir -p "$T/$name"
        (cd "$T/$name" && runc spec)
        jq --arg root "$T/rootfs" --argjson args "$args" --arg hooklog "$T/$name.hook.log" '
                .root = { path: $root, readonly: false }
                | .process.terminal = false
                | .process.args = $args
                | .annotations["run.oci.hooks.stderr"] = $hooklog
        ' "$T/$name/config.json" >"$T/$name/config.json.new"
        mv "$T/$name/config.json.new" "$T/$name/config.json"
}

# make_bundle NAME [ARG...]: plain_bundle with palisade-hook registered for
# createRuntime and poststop by hand.
make_bundle() {
        plain_bundle "$@"
        jq --arg hook "$HOOK" --arg env "PALISADE_CONFIG=$PALISADE_CONFIG" '
                .hooks = {
                    createRuntime: [ { path: $hook, args: ["palisade-hook", "createRuntime"], env: [$env] } ],
                    poststop: [ { path: $hook, args: ["palisade-hook", "poststop"], env: [$env] } ] }
        ' "$T/$1/config.json" >"$T/$1/config.json.new"
        mv "$T/$1/config.json.new" "$T/$1/config.json"
}

# annotate NAME KEY VALUE
annotate() {
        jq --arg k "$2" --arg v "$3" '.annotations[$k] = $v' "$T/$1/config.json" >"$T/$1/c.new"
        mv "$T/$1/c.new" "$T/$1/config.json"
}

# start_detached RUNTIME NAME: run the bundle's container in the background.
start_detached() {
        (cd "$T/$2" && "$1" run -d --pid-file "$T/$2.pid" "$2" </dev/null >"$T/$2.log" 2>&1)
}

# grant NAME CAP: add a capability to every set of the bundle's process.
grant() {
        jq --arg c "$2" '.process.capabilities |= with_entries(.value += [$c])' "$T/$1/config.json" >"$T/$1/c.new"
        mv "$T/$1/c.new" "$T/$1/config.json"
}

# runtime_log NAME: what the runtime and the hooks printed. runc quotes hook
# stderr in its own error (JSON-escaped: undone here); crun drops it unless
# annotation run.oci.hooks.stderr names a file, which make_bundle sets.
runtime_log() {
        cat "$T/$1.log" "$T/$1.hook.log" 2>/dev/null | sed 's/\\"/"/g'
}

# entries DIR [GLOB]: how many entries DIR holds (matching GLOB; dot files
# left out, as ls does); 0 for a missing DIR.
entries() {
        local f n=0
        for f in "$1"/${2:-*}; do
                [ -e "$f" ] || [ -L "$f" ] && n=$((n + 1))
        done
        echo "$n"
}

container_pid() {
        cat "$T/$1.pid"
}

# wait_exec PID COMM: until the container's init has exec'd COMM (before, it
# is still the runtime's, with the runtime's capabilities).
wait_exec() {
        for _ in $(seq 50); do
                [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && return 0
                sleep 0.1
        done
        return 1
}

# remove RUNTIME NAME [DELETE-COMMAND...]: kill and delete (runs poststop),
# tolerate absence. DELETE-COMMAND (default RUNTIME) runs `delete -f NAME`,
# e.g. palisade-runtime.
remove() {
        local rt=$1 name=$2
        shift 2
        [ $# -gt 0 ] || set -- "$rt"
        "$rt" kill "$name" KILL >/dev/null 2>&1 || true
        for _ in $(seq 50); do
                "$rt" state "$name" 2>/dev/null | grep -q '"status": *"running"' || break
                sleep 0.1
        done
        "$@" delete -f "$name" >/dev/null 2>&1 || true
}

# host_pid_of PATTERN: the host PID of the process whose command line is exactly PATTERN.
host_pid_of() {
        local want=$1 cmd
        for _ in $(seq 50); do
                for d in /proc/[0-9]*; do
                        cmd=$(tr '\0' ' ' 2>/dev/null <"$d/cmdline") || continue
                        if [ "${cmd% }" = "$want" ]; then
                                echo "${d#/proc/}"
                                return 0
                        fi
                done
                sleep 0.1
        done
        return 1
}

# ns_inode PID TYPE
ns_inode() {
        stat -L -c %i "/proc/$1/ns/$2"
}

# journal_lines CONTAINER EVENT: matching journal lines
journal_lines() {
        jq -c --arg id "$1" --arg ev "$2" 'select(.container.id == $id and .event == $ev)' "$JOURNAL"
}

# journal_check JOURNAL ID-REGEX: of the containers whose ID matches, in the
# journal's order (appends are atomic: the order things happened), each has
# one start and one stop line with the same audit ID, and no audit ID or
# host UID/GID range is held by two containers whose lines overlap in time.
# Prints one summary line, or every violation and fails.
journal_check() {
        jq -c . "$1" >/dev/null || { echo "$1: not whole JSON lines"; return 1; }
        jq -r --arg re "$2" 'select(.container.id | test($re)) |
                [.event, .container.id, .container.audit_id, .container.uid_map // "", .container.gid_map // ""] | @tsv' "$1" |
        awk -F'\t' '
        # take: the ranges of map, checked against every live holder, then held by id.
        function take(kind, map, id,   n, parts, i, f, lo, hi, k, other) {
                n = split(map, parts, "; ")
                for (i = 1; i <= n; i++) {
                        split(parts[i], f, " ")
                        lo = f[2]; hi = f[2] + f[3]
                        for (k in live_lo) {
                                split(k, other, SUBSEP)
                                if (other[1] == kind && other[2] != id && lo < live_hi[k] && live_lo[k] < hi) {
                                        printf "%s %d-%d of %s overlaps live %s\n", kind, lo, hi - 1, id, other[2]; bad++
                                }
                        }
                        live_lo[kind, id, i] = lo; live_hi[kind, id, i] = hi
                }
        }
        function release(id,   k, parts) {
                for (k in live_lo) {
                        split(k, parts, SUBSEP)
                        if (parts[2] == id) { delete live_lo[k]; delete live_hi[k] }
                }
        }
        $1 == "start" {
                starts[$2]++; audit[$2] = $3
                if (($3 in holder) && holder[$3] != $2) { printf "audit ID %s of %s is held by live %s\n", $3, $2, holder[$3]; bad++ }
                holder[$3] = $2
                take("uid", $4, $2); take("gid", $5, $2)
        }
        $1 == "stop" {
                stops[$2]++
                if (audit[$2] != $3) { printf "%s stopped with audit ID %s, started with %s\n", $2, $3, audit[$2]; bad++ }
                delete holder[$3]; release($2)
        }
        END {
                for (id in starts) { n++; if (starts[id] != 1 || stops[id] != 1) { printf "%s: %d start and %d stop lines\n", id, starts[id], stops[id]; bad++ } }
                for (id in stops) if (!(id in starts)) { printf "%s: a stop line without a start\n", id; bad++ }
                if (bad) exit 1
                printf "%d containers: one start and one stop each, with the same audit ID; no audit ID or host ID shared while live\n", n
        }'
}

# auditd_start: an audit daemon of the suite's own, logging to $T/audit.log;
# fails if one is already running (another suite's, or the machine's).
auditd_start() {
        if pgrep -x auditd >/dev/null; then
                echo "an auditd is already running on this machine; these tests start their own" >&2
                return 1
        fi
        mkdir -p "$T/auditd/plugins"
        sed -e "s|^log_file.*|log_file = $T/audit.log|" -e "s|^plugin_dir.*|plugin_dir = $T/auditd/plugins|" \
            -e 's|^log_group.*|log_group = root|' /etc/audit/auditd.conf >"$T/auditd/auditd.conf"
        auditd -n -c "$T/auditd" >"$T/auditd.out" 2>&1 3>&- &
        echo $! >"$T/auditd.pid"
        for _ in $(seq 50); do
                auditctl -s | grep -q "^pid $(cat "$T/auditd.pid")\$" && break
                sleep 0.1
        done
        auditctl -s | grep -q "^pid $(cat "$T/auditd.pid")\$"
}

# auditd_stop: stop the daemon auditd_start started, if any.
auditd_stop() {
        [ -e "$T/auditd.pid" ] || return 0
        kill "$(cat "$T/auditd.pid")" 2>/dev/null || true
        for _ in $(seq 50); do
                kill -0 "$(cat "$T/auditd.pid")" 2>/dev/null || break
                sleep 0.1
        done
        rm -f "$T/auditd.pid"
}
