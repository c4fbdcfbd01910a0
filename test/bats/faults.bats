# Faults (issue 8) that reliability.bats and auditd.bats leave out: the shim
# killed with -9 before it writes the spec and after (before the runtime
# runs), palisade-hook killed with -9 inside poststop, the registry's
# filesystem out of space or inodes, the journal's directory read-only, and
# audit unavailable to a policy that does not require it (audit disabled, or
# a hook without CAP_AUDIT_WRITE) and to one that does.
# After each: no registry entry, no lease, no temporary file; whole journal
# lines; one start and one stop line per container that ran.

load helpers

setup_file() {
        palisade_setup_file
        auditctl -s | awk '$1 == "enabled" { print $2 }' >"$T/enabled-before"
}

teardown_file() {
        auditd_stop
        # Leave the machine's audit as we found it, if a test changed it.
        [ ! -e "$T/audit-touched" ] || auditctl -e "$(cat "$T/enabled-before" 2>/dev/null || echo 0)" >/dev/null
        if [ -n "$T" ]; then
                for m in "$T/tiny" "$T/rojournal"; do umount "$m" 2>/dev/null || true; done
        fi
        palisade_teardown_file
}

teardown() {
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
        for c in s1 s2 p1 p2 p3 p4 n1 n2 j1 u1 u2 u3; do remove runc "$c"; done
        # A test that fails midway leaves no entry or lease for the next one.
        "$PALISADE" gc >/dev/null 2>&1 || true
}

# nothing_left DIR...: no registry entry, no lease, no temporary file in the
# state directory or in DIRs (bundles); every journal line whole JSON.
nothing_left() {
        [ -z "$(ls -A "$STATE/containers")" ] || { ls -lAR "$STATE/containers" >&2; return 1; }
        [ -z "$(ls -A "$STATE/leases")" ] || { ls -lA "$STATE/leases" >&2; return 1; }
        [ -z "$(find "$STATE" "$@" -name '.*.tmp')" ] || { find "$STATE" "$@" -name '.*.tmp' >&2; return 1; }
        [ ! -s "$JOURNAL" ] || jq -c . "$JOURNAL" >/dev/null
}

# one_start_one_stop NAME [REASON]: exactly one start and one stop line for
# NAME, with the same audit ID; the stop's reason REASON (default exit).
one_start_one_stop() {
        local starts stops
        starts=$(journal_lines "$1" start)
        stops=$(journal_lines "$1" stop)
        [ "$(grep -c . <<<"$starts")" -eq 1 ] || { echo "starts of $1: $starts" >&2; return 1; }
        [ "$(grep -c . <<<"$stops")" -eq 1 ] || { echo "stops of $1: $stops" >&2; return 1; }
        [ "$(jq -r .container.audit_id <<<"$starts")" = "$(jq -r .container.audit_id <<<"$stops")" ]
        [ "$(jq -r .reason <<<"$stops")" = "${2:-exit}" ]
}

# at_syscall PID NR: until PID is held at syscall NR (x86_64), the same call
# seen twice 0.3 s apart (strace stops it at every call on the way).
at_syscall() {
        local a b
        for _ in $(seq 100); do
                a=$(cat "/proc/$1/syscall" 2>/dev/null) || true
                if [ "${a%% *}" = "$2" ]; then
                        sleep 0.3
                        b=$(cat "/proc/$1/syscall" 2>/dev/null) || true
                        [ "$a" = "$b" ] && return 0
                fi
                sleep 0.1
        done
        echo "process $1 never held at syscall $2 (last: $a)" >&2
        return 1
}

# audit_take ENABLED: wait until no other suite's auditd runs (auditd.bats
# starts one), then set the kernel's audit enabled flag (teardown_file restores it).
audit_take() {
        for _ in $(seq 180); do
                pgrep -x auditd >/dev/null || break
                sleep 1
        done
        if pgrep -x auditd >/dev/null; then
                echo "an auditd has run for 3 minutes on this machine: this test changes the audit state, not run beside it" >&2
                return 1
        fi
        touch "$T/audit-touched"
        auditctl -e "$1" >/dev/null
}

# hook_message: palisade-hook's line, as runc quotes it in its error ($output of `run`).
hook_message() {
        sed -e 's/\\"/"/g' -n -e 's/.*stderr: \(palisade-hook: .*\)\\n".*/\1/p' <<<"$output"
}

# palisade_hooks NAME: how many palisade-hook entries each stage of the bundle's config.json has.
palisade_hooks() {
        jq -c '[.hooks.createRuntime, .hooks.poststart, .hooks.poststop
                | [.[]? | select(.args[0] == "palisade-hook")] | length]' "$T/$1/config.json"
}

# shim_killed_at NAME SYSCALL PATH: palisade-runtime create NAME (in its
# bundle), held by strace at its SYSCALL (openat or execve) on PATH for 30 s,
# is killed there with -9.
shim_killed_at() {
        local nr
        case $2 in openat) nr=257 ;; execve) nr=59 ;; esac
        (cd "$T/$1" && PALISADE_RUNTIME=runc exec strace -o /dev/null -P "$3" -e trace="$2" \
                -e inject="$2":delay_enter=30000000 "$SHIM" create "$1" </dev/null >"$T/$1.log" 2>&1) &
        tracer=$!
        shim=$(host_pid_of "$SHIM create $1")
        at_syscall "$shim" "$nr"
        kill -9 "$shim"
        wait "$tracer" || true
}

# retry_applies_once NAME: a retried run through the shim works, with palisade's hooks and marker once.
retry_applies_once() {
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/$1" "$1" </dev/null
        [ "$status" -eq 0 ]
        [ "$(palisade_hooks "$1")" = "[1,1,1]" ]
        [ "$(grep -o '"io.palisade.spec"' "$T/$1/config.json" | wc -l)" -eq 1 ]
        [ "$(jq -r '.annotations["io.palisade.spec"]' "$T/$1/config.json")" = applied ]
        one_start_one_stop "$1"
        nothing_left "$T/$1"
}

@test "faults: palisade-runtime killed with -9 before it writes the spec: config.json untouched, a retry applies palisade once" {
        plain_bundle s1 true
        cp "$T/s1/config.json" "$T/s1.orig"
        shim_killed_at s1 openat config.json
        # Byte for byte the old config.json, and nothing beside it.
        cmp "$T/s1/config.json" "$T/s1.orig"
        [ "$(ls -A "$T/s1")" = config.json ]
        nothing_left "$T/s1"
        retry_applies_once s1
}

@test "faults: palisade-runtime killed with -9 after writing the spec, before the runtime runs: a retry applies palisade once" {
        plain_bundle s2 true
        # Held at its exec of runc: the spec is written by then.
        shim_killed_at s2 execve "$(command -v runc)"
        # The spec is whole and applied, its record beside it; the runtime never ran, so nothing is registered.
        [ "$(find "$T/s2" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ')" = "config.json config.json.palisade " ]
        [ "$(jq -r '.annotations["io.palisade.spec"]' "$T/s2/config.json")" = applied ]
        [ "$(palisade_hooks s2)" = "[1,1,1]" ]
        cp "$T/s2/config.json" "$T/s2.applied"
        nothing_left "$T/s2"
        [ -z "$(journal_lines s2 start)" ]

        # The retry finds its own work done: config.json comes back byte for byte.
        retry_applies_once s2
        cmp "$T/s2/config.json" "$T/s2.applied"
}

# poststop_killed NAME DELETE-COMMAND...: NAME runs (through the shim, with
# /dev/fuse granted); the journal becomes a FIFO nobody reads, so poststop
# blocks on it; DELETE-COMMAND runs in the background and its palisade-hook
# poststop is killed with -9. Leaves the container's cgroup paths in
# $T/NAME.cgroups and the delete's PID in $delete.
poststop_killed() {
        local name=$1 pid
        shift
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "profiles": { "fuse": [ { "path": "/dev/fuse" } ] } }'
        plain_bundle "$name" sleep 1000
        annotate "$name" io.palisade.devices fuse
        : >"$T/in"
        (cd "$T/$name" && PALISADE_RUNTIME=runc "$SHIM" run -d "$name" <"$T/in" >"$T/$name.log" 2>&1)
        pid=$(runc state "$name" | jq -r .pid)
        [ "$(journal_lines "$name" start | jq -c .container.devices)" = '["c 10:229 rwm /dev/fuse"]' ]
        # The device rules in force: v1 devices.list, the v2 program attached.
        awk -F: '$2 == "devices" { print "/sys/fs/cgroup/devices" $3 } $2 == "" { print "/sys/fs/cgroup/unified" $3 }' \
                "/proc/$pid/cgroup" >"$T/$name.cgroups"
        [ "$(wc -l <"$T/$name.cgroups")" -eq 2 ]
        grep -qx 'c 10:229 rwm' "$(head -1 "$T/$name.cgroups")/devices.list"

        rm -f "$T/$name.fifo"
        mkfifo "$T/$name.fifo"
        write_policy '"audit": { "journal": "'"$T/$name.fifo"'" }, "devices": { "profiles": { "fuse": [ { "path": "/dev/fuse" } ] } }'
        runc kill "$name" KILL
        for _ in $(seq 50); do [ "$(runc state "$name" | jq -r .status)" = stopped ] && break; sleep 0.1; done
        # Not on bats' fd 3: a failing test must not wait for it.
        "$@" delete "$name" >"$T/$name.delete.log" 2>&1 3>&- &
        delete=$!
        hook=$(host_pid_of "palisade-hook --bundle=$T/$name poststop")
        # Blocked in poststop: the entry and its lease are still there.
        [ -e "$STATE/containers/$name/entry.json" ]
        [ "$(entries "$STATE/leases")" -eq 1 ]
        kill -9 "$hook"
}

# cgroups_gone NAME: the container's device cgroups (v1 rules, v2 program) are gone.
cgroups_gone() {
        while read -r d; do
                [ ! -e "$d" ] || { echo "$d is left" >&2; return 1; }
        done <"$T/$1.cgroups"
}

@test "faults: palisade-hook killed with -9 inside poststop: palisade gc reclaims entry, lease and device cgroup, the ID is reused at once" {
        poststop_killed p1 runc
        wait "$delete" || true
        # runc goes on without its poststop: its state and the container's cgroups are gone, palisade's entry is not.
        ! runc state p1 >/dev/null 2>&1 || false
        cgroups_gone p1
        [ -e "$STATE/containers/p1/entry.json" ]

        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "profiles": { "fuse": [ { "path": "/dev/fuse" } ] } }'
        # Its init may linger as a zombie until the machine's init reaps it: dead all the same.
        run "$PALISADE" gc
        [ "$status" -eq 0 ]
        [ "$output" = "released 1 dead container, removed 0 orphan claims and 0 orphan leases" ]
        nothing_left "$T/p1"
        one_start_one_stop p1 gone
        [ "$(journal_lines p1 stop | jq -r .stage)" = gc ]

        # The same ID at once.
        : >"$T/in"
        run sh -c "cd '$T/p1' && PALISADE_RUNTIME=runc '$SHIM' run -d p1 <'$T/in' && runc kill p1 KILL && sleep 0.5 && '$SHIM' delete p1"
        [ "$status" -eq 0 ]
        nothing_left "$T/p1"
        [ "$(journal_lines p1 start | wc -l)" -eq 2 ]
        [ "$(journal_lines p1 stop | jq -r .reason | tr '\n' ' ')" = "gone exit " ]
}

@test "faults: palisade-hook killed with -9 inside poststop: the next create of the ID releases the dead one first" {
        poststop_killed p2 runc
        wait "$delete" || true
        ! runc state p2 >/dev/null 2>&1 || false
        cgroups_gone p2
        old=$(journal_lines p2 start | jq -r .container.audit_id)
        [ -e "$STATE/leases/audit-id-$old" ]

        # No gc: the create of the same ID runs the dead container's stop (record, lease) before it claims the ID.
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
        : >"$T/in"
        plain_bundle p2b true
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/p2b" p2 <"$T/in"
        [ "$status" -eq 0 ]
        nothing_left "$T/p2" "$T/p2b"
        [ "$(journal_lines p2 stop | jq -r '[.stage, .reason, .container.audit_id] | join(" ")' | head -1)" = "reclaim gone $old" ]
        new=$(journal_lines p2 start | tail -1 | jq -r .container.audit_id)
        [ "$new" != "$old" ]
        [ "$(journal_lines p2 stop | tail -1 | jq -r '[.stage, .reason, .container.audit_id] | join(" ")')" = "poststop exit $new" ]
        [ "$(journal_lines p2 start | wc -l)" -eq 2 ]
        [ "$(journal_lines p2 stop | wc -l)" -eq 2 ]
}

@test "faults: palisade-hook killed with -9 inside poststop under palisade-runtime delete: the shim's delete releases all" {
        # The shim's delete reads a policy of its own (same state directory, the
        # journal a file); the hook the bundle runs reads $T/policy.json, the FIFO.
        printf '{ "state_dir": "%s", "audit": { "journal": "%s" } }\n' "$STATE" "$JOURNAL" >"$T/shim-policy.json"
        poststop_killed p3 env PALISADE_CONFIG="$T/shim-policy.json" "$SHIM"
        rc=0; wait "$delete" || rc=$?
        [ "$rc" -eq 0 ] || { cat "$T/p3.delete.log" >&2; false; }
        ! runc state p3 >/dev/null 2>&1 || false
        cgroups_gone p3
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
        nothing_left "$T/p3"
        one_start_one_stop p3
        [ "$(journal_lines p3 stop | jq -r .stage)" = delete ]
}

@test "faults: palisade gc while a poststop runs: gc waits for it and stops nothing twice" {
        plain_bundle p4 sleep 1000
        : >"$T/in"
        (cd "$T/p4" && PALISADE_RUNTIME=runc "$SHIM" run -d p4 <"$T/in" >"$T/p4.log" 2>&1)
        rm -f "$T/p4.fifo"
        mkfifo "$T/p4.fifo"
        write_policy '"audit": { "journal": "'"$T/p4.fifo"'" }'
        runc kill p4 KILL
        for _ in $(seq 50); do [ "$(runc state p4 | jq -r .status)" = stopped ] && break; sleep 0.1; done
        # poststop blocks opening the FIFO journal, holding the container's entry.
        runc delete p4 >"$T/p4.delete.log" 2>&1 3>&- &
        delete=$!
        host_pid_of "palisade-hook --bundle=$T/p4 poststop" >/dev/null
        # gc sees a dead container and waits for the stop already under way.
        "$PALISADE" gc >"$T/gc.out" 2>&1 3>&- &
        gc=$!
        sleep 1
        kill -0 "$gc"
        # A reader: poststop goes on (a FIFO is no journal: refused) and removes the entry.
        timeout 10 cat "$T/p4.fifo" >/dev/null || true
        wait "$gc"
        [ "$(cat "$T/gc.out")" = "released 0 dead containers, removed 0 orphan claims and 0 orphan leases" ]
        wait "$delete" || true
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
        nothing_left "$T/p4"
}

# tiny_run: n1 through the shim, its state directory on the tmpfs $T/tiny.
tiny_run() {
        run env PALISADE_CONFIG="$T/tiny-policy.json" PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/n1" n1 <"$T/in"
}

# tiny_clean: no entry, claim, lease or temporary file on $T/tiny or in the bundle.
tiny_clean() {
        [ -z "$(find "$T/tiny/containers" "$T/tiny/leases" -mindepth 1)" ] &&
                [ -z "$(find "$T/tiny" "$T/n1" -name '.*.tmp')" ]
}

# tiny_refused MESSAGE: n1 is refused with palisade-hook's MESSAGE, and nothing is left.
tiny_refused() {
        tiny_run
        [ "$status" -ne 0 ]
        [ "$(hook_message)" = "$1" ] || { echo "got: $(hook_message)" >&2; return 1; }
        tiny_clean
        [ -z "$(journal_lines n1 start)" ]
}

@test "faults: the registry's filesystem out of space, then out of inodes: start refused in one line, nothing left, fine once freed" {
        mkdir -p "$T/tiny"
        mount -t tmpfs -o size=16k,nr_inodes=64 tmpfs "$T/tiny"
        printf '{ "state_dir": "%s", "audit": { "journal": "%s" } }\n' "$T/tiny" "$JOURNAL" >"$T/tiny-policy.json"
        : >"$T/in"
        plain_bundle n1 true
        # Every page taken.
        dd if=/dev/zero of="$T/tiny/filler" bs=4k 2>/dev/null || true
        [ "$(df --output=avail "$T/tiny" | tail -1)" -eq 0 ]
        tiny_refused "palisade-hook: container n1: registry $T/tiny: registry entry n1: claim: write: No space left on device"

        # Pages again, but every inode taken.
        rm "$T/tiny/filler"
        mkdir "$T/tiny/fill"
        i=0
        while touch "$T/tiny/fill/$i" 2>/dev/null; do i=$((i + 1)); done
        [ "$(df --output=iavail "$T/tiny" | tail -1)" -eq 0 ]
        tiny_refused "palisade-hook: container n1: registry $T/tiny: registry entry n1: mkdir: No space left on device"

        # Freed: it starts, and leaves nothing.
        rm -r "$T/tiny/fill"
        tiny_run
        [ "$status" -eq 0 ]
        tiny_clean
        one_start_one_stop n1
        umount "$T/tiny"
        nothing_left "$T/n1"
}

@test "faults: the journal's directory read-only: start refused naming the journal, nothing left" {
        mkdir -p "$T/rojournal"
        mount -t tmpfs -o ro,size=64k tmpfs "$T/rojournal"
        write_policy '"audit": { "journal": "'"$T/rojournal/journal.jsonl"'" }'
        : >"$T/in"
        plain_bundle j1 true
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/j1" j1 <"$T/in"
        [ "$status" -ne 0 ]
        [ "$(hook_message)" = "palisade-hook: container j1: audit guard: journal: $T/rojournal/journal.jsonl: open: Read-only file system" ]
        ! runc state j1 >/dev/null 2>&1 || false
        umount "$T/rojournal"
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
        nothing_left "$T/j1"
        [ -z "$(journal_lines j1 start)" ]
}

# cap_bundle NAME: make_bundle with its hooks run through a wrapper that
# drops CAP_AUDIT_WRITE from the bounding set (so the hook, root, runs without it).
cap_bundle() {
        make_bundle "$1" true
        printf '#!/bin/sh\nexec setpriv --bounding-set -audit_write "%s" "$@"\n' "$HOOK" >"$T/no-audit-write"
        chmod +x "$T/no-audit-write"
        jq --arg w "$T/no-audit-write" '.hooks[][].path = $w' "$T/$1/config.json" >"$T/$1/c.new"
        mv "$T/$1/c.new" "$T/$1/config.json"
}

@test "faults: palisade-hook without CAP_AUDIT_WRITE: audit.required false starts and says why, true refuses" {
        audit_take 1
        auditd_start
        : >"$T/in"
        cap_bundle u1
        run sh -c "cd '$T/u1' && runc run u1 <'$T/in'"
        [ "$status" -eq 0 ]
        one_start_one_stop u1
        [ "$(journal_lines u1 start | jq -r .audit)" = "unavailable: without CAP_AUDIT_WRITE: Operation not permitted" ]
        [ "$(journal_lines u1 stop | jq -r .audit)" = "unavailable: without CAP_AUDIT_WRITE: Operation not permitted" ]
        nothing_left "$T/u1"

        write_policy '"audit": { "journal": "'"$JOURNAL"'", "required": true }'
        cap_bundle u2
        run sh -c "cd '$T/u2' && runc run u2 <'$T/in' 2>&1"
        [ "$status" -ne 0 ]
        [ "$(hook_message)" = "palisade-hook: container u2: audit guard: audit system unavailable: without CAP_AUDIT_WRITE: Operation not permitted, and policy $T/policy.json sets audit.required" ]
        [ "$(journal_lines u2 start | jq -r '[.result, .reason, .audit] | join(" ")')" = "failed refused unavailable: without CAP_AUDIT_WRITE: Operation not permitted" ]
        [ -z "$(journal_lines u2 stop)" ]
        nothing_left "$T/u2"
        auditd_stop
        auditctl -e "$(cat "$T/enabled-before")" >/dev/null
}

@test "faults: audit disabled and no auditd, audit.required false: the start goes ahead, the journal has the facts and why" {
        audit_take 0
        : >"$T/in"
        make_bundle u3 sleep 1000
        (cd "$T/u3" && runc run -d --pid-file "$T/u3.pid" u3 <"$T/in" >"$T/u3.log" 2>&1)
        pid=$(container_pid u3)
        line=$(journal_lines u3 start)
        [ "$(jq -r .audit <<<"$line")" = "unavailable: audit is disabled (auditctl -e 0)" ]
        [ "$(jq -r .result <<<"$line")" = success ]
        [[ "$(jq -r .container.audit_id <<<"$line")" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]
        [ "$(jq -r .container.pid <<<"$line")" = "$pid" ]
        for ns in pid mnt net ipc uts; do
                [ "$(jq -r ".container.namespaces.$ns.ino" <<<"$line")" = "$(ns_inode "$pid" "$ns")" ]
        done
        remove runc u3
        one_start_one_stop u3
        [ "$(journal_lines u3 stop | jq -r .audit)" = "unavailable: audit is disabled (auditctl -e 0)" ]
        nothing_left "$T/u3"
        auditctl -e "$(cat "$T/enabled-before")" >/dev/null
}
