# Reliability (issue 8): churn, crashes reclaimed by gc, kill -9 of the shim,
# the runtime or the hook at each phase, a full or read-only state directory,
# two creates of one ID at once, valgrind on every phase it can run.
# CI runs a bounded churn; `make stress` sets PALISADE_STRESS_N=500.

load helpers

setup_file() {
        palisade_setup_file
}

teardown() {
        if [ -e "$T/agent.pid" ]; then
                kill "$(cat "$T/agent.pid")" 2>/dev/null || true
                rm -f "$T/agent.pid"
        fi
}

teardown_file() {
        for m in "$T/full" "$STATE/ro"; do umount "$m" 2>/dev/null || true; done
        palisade_teardown_file
}

# churn RUNTIME N [HOW]: N busybox `true` containers through the shim (or the
# runtime alone, HOW "bare"), 8 at a time; prints the rate on fd 3.
churn() {
        local rt=$1 n=$2 how=${3:-shim} i t0 cmd=$SHIM pids=()
        [ "$how" != bare ] || cmd=$(command -v "$rt")
        : >"$T/in"
        for i in $(seq "$n"); do
                mkdir -p "$T/churn-$how-$i"
                cp "$T/churn/config.json" "$T/churn-$how-$i/config.json"
        done
        t0=$(date +%s%N)
        for i in $(seq "$n"); do
                (cd "$T/churn-$how-$i" && PALISADE_RUNTIME=$rt "$cmd" run "$rt-$how-churn-$i" <"$T/in" >/dev/null 2>"$T/churn-$i.err" ||
                        echo "$rt-$how-churn-$i failed: $(cat "$T/churn-$i.err")" >>"$T/churn.failures") &
                pids+=($!)
                # Its own eight only: a plain wait would wait for the agent too.
                if (( i % 8 == 0 )); then wait "${pids[@]}"; pids=(); fi
        done
        [ ${#pids[@]} -eq 0 ] || wait "${pids[@]}"
        awk -v n="$n" -v ns=$(($(date +%s%N) - t0)) -v rt="$rt" -v how="$how" \
                'BEGIN { printf "# churn: %s %s: %d containers in %.1f s, %.1f containers/s\n", rt, how, n, ns / 1e9, n / (ns / 1e9) }' >&3
        rm -rf "$T"/churn-"$how"-*
}

# agent_usage PID: the agent's resident memory (kB) and open descriptors.
agent_usage() {
        echo "$(awk '/^VmRSS:/ { print $2 }' "/proc/$1/status") $(entries "/proc/$1/fd")"
}

# What palisade could leave behind, host-wide: mounts under its state,
# cgroups of churn containers, device programs, temporary files.
leftovers() {
        grep -c " $STATE/" /proc/self/mountinfo || true
        find /sys/fs/cgroup -maxdepth 3 -name '*-churn-*' | wc -l
        bpftool prog show | grep -c cgroup_device || true
        find "$STATE" "$T" -name '.*.tmp' | wc -l
}

@test "reliability: churn with every guard on, runc and crun: nothing left, every start paired with one stop, nothing shared while live" {
        n=${PALISADE_STRESS_N:-24}
        command -v bpftool >/dev/null || { echo "bpftool is missing: contrib/install-deps.sh installs it" >&2; false; }
        : >"$T/subid"
        write_policy '"guards": ["userns", "devices", "caps", "seccomp", "agent", "check", "audit"],
                "audit": { "journal": "'"$JOURNAL"'" }, "devices": { "profiles": { "fuse": [ { "path": "/dev/fuse" } ] } },
                "userns": { "mode": "auto", "pool": { "start": 3000000, "size": 65536, "count": 64 },
                            "subuid": "'"$T/subid"'", "subgid": "'"$T/subid"'" },
                "agent": { "socket": "'"$STATE/agent.sock"'" }'
        # Not on bats' fd 3: a test that fails must not wait for the agent.
        "$PALISADE" agent >"$T/agent.log" 2>&1 3>&- &
        agent=$!
        echo "$agent" >"$T/agent.pid"
        for _ in $(seq 50); do grep -q listening "$T/agent.log" && break; sleep 0.1; done
        plain_bundle churn true
        annotate churn io.palisade.devices fuse
        before=$(leftovers)

        # The bare runtime first, in the same run, for the rate to compare with (never asserted).
        churn runc "$n" bare
        churn crun "$n" bare
        churn runc 8 warm
        warm=$(agent_usage "$agent")
        churn runc "$n"
        churn crun "$n"
        end=$(agent_usage "$agent")
        echo "# agent: RSS kB and fds after 8 containers: $warm; after $((2 * n)) more: $end" >&3
        kill "$agent"
        agent_status=0
        wait "$agent" || agent_status=$?
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
        [ ! -e "$T/churn.failures" ] || { head -c 4000 "$T/churn.failures" >&2; false; }

        # Nothing left: no entry, lease, userns mount directory, mount, cgroup, device program or temporary file.
        [ -z "$(ls -A "$STATE/containers")" ]
        [ -z "$(ls -A "$STATE/leases")" ]
        [ -z "$(ls -A "$STATE/userns" 2>/dev/null)" ]
        [ "$(leftovers)" = "$before" ]
        # The agent: as many descriptors as when warm; it exits cleanly (in the ASan
        # build, LeakSanitizer has found no leak); no more than 1 MiB more memory
        # (the plain build only: ASan holds freed memory in quarantine).
        [ "${end#* }" -eq "${warm#* }" ]
        [ "$agent_status" -eq 0 ] || { cat "$T/agent.log" >&2; false; }
        [ "$BUILD" != "$ROOT/build" ] || [ $((${end% *} - ${warm% *})) -le 1024 ]
        # Every journal line is whole JSON; one start and one stop each, with the
        # same audit ID; no audit ID or host UID/GID held by two live containers.
        run journal_check "$JOURNAL" '-shim-churn-|-warm-churn-'
        [ "$status" -eq 0 ] || { echo "$output" >&2; false; }
        [ "$output" = "$((2 * n + 8)) containers: one start and one stop each, with the same audit ID; no audit ID or host ID shared while live" ]
}

@test "reliability: palisade gc releases a container that died without its poststop" {
        plain_bundle g1 true
        sleep 1000 &
        victim=$!
        printf '{"ociVersion":"1.0.2","id":"g1","status":"creating","pid":%d,"bundle":"%s"}' "$victim" "$T/g1" |
                "$HOOK" createRuntime
        id=$("$PALISADE" audit-id --container g1)
        [ -e "$STATE/leases/audit-id-$id" ]
        # A lease whose holder never existed, and a claim a crashed create left long ago.
        echo ghost >"$STATE/leases/audit-id-00000000-0000-4000-8000-000000000001"
        mkdir "$STATE/containers/crashed"
        touch -d '1 hour ago' "$STATE/containers/crashed"

        run "$PALISADE" gc
        [ "$status" -eq 0 ]
        [ "$output" = "released 0 dead containers, removed 1 orphan claim and 1 orphan lease" ]
        [ -e "$STATE/containers/g1" ]           # still alive: untouched

        kill -9 "$victim"
        wait "$victim" 2>/dev/null || true
        run "$PALISADE" gc
        [ "$output" = "released 1 dead container, removed 0 orphan claims and 0 orphan leases" ]
        [ ! -e "$STATE/containers/g1" ]
        [ ! -e "$STATE/leases/audit-id-$id" ]
        [ "$(journal_lines g1 stop | jq -r '[.reason, .container.audit_id] | join(" ")')" = "gone $id" ]
}

@test "reliability: a full journal refuses the start cleanly and leaves no torn line" {
        mkdir -p "$T/full"
        mount -t tmpfs -o size=12k tmpfs "$T/full"
        write_policy '"audit": { "journal": "'"$T/full/journal.jsonl"'" }'
        : >"$T/in"
        plain_bundle f1 true
        # Fill the journal's filesystem to the last few bytes.
        head -c 12200 /dev/zero | tr '\0' '\n' >"$T/full/filler" 2>/dev/null || true
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/f1" f1 <"$T/in"
        [ "$status" -ne 0 ]
        [[ "$output" == *"palisade-hook: container f1: audit guard: journal: $T/full/journal.jsonl: append: No space left on device"* ]]
        [ -z "$(ls -A "$STATE/containers")" ]
        [ -z "$(ls -A "$STATE/leases")" ]
        # Whatever it holds, the journal holds whole lines.
        [ ! -s "$T/full/journal.jsonl" ] || jq -c . "$T/full/journal.jsonl" >/dev/null
        umount "$T/full"
}

@test "reliability: a read-only state directory refuses the start clearly" {
        mkdir -p "$STATE/ro"
        mount -t tmpfs -o ro,size=64k tmpfs "$STATE/ro"
        printf '{ "state_dir": "%s", "audit": { "journal": "%s" } }\n' "$STATE/ro" "$JOURNAL" >"$T/ro-policy.json"
        : >"$T/in"
        plain_bundle r1 true
        # The userns guard (a default one) reclaims what an earlier create of the ID left: the shim refuses.
        run env PALISADE_CONFIG="$T/ro-policy.json" PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/r1" r1 <"$T/in"
        [ "$status" -ne 0 ]
        [[ "$output" == *"palisade-runtime: container r1: userns guard: registry: $STATE/ro/containers: mkdir: Read-only file system"* ]]
        # Without it, the hook's registration refuses the start.
        printf '{ "guards": ["devices", "caps", "seccomp", "check", "audit"], "state_dir": "%s", "audit": { "journal": "%s" } }\n' \
                "$STATE/ro" "$JOURNAL" >"$T/ro-policy.json"
        plain_bundle r1 true
        run env PALISADE_CONFIG="$T/ro-policy.json" PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/r1" r1 <"$T/in"
        [ "$status" -ne 0 ]
        [[ "$output" == *"palisade-hook: container r1: registry: $STATE/ro/containers: mkdir: Read-only file system"* ]]
        umount "$STATE/ro"
}

@test "reliability: two creates of one container ID at once: one wins, the other fails cleanly" {
        plain_bundle d1 true
        sleep 1000 & a=$!
        sleep 1000 & b=$!
        for p in $a $b; do
                printf '{"ociVersion":"1.0.2","id":"dup","status":"creating","pid":%d,"bundle":"%s"}' "$p" "$T/d1" >"$T/state-$p"
        done
        "$HOOK" createRuntime <"$T/state-$a" 2>"$T/err-a" & ha=$!
        "$HOOK" createRuntime <"$T/state-$b" 2>"$T/err-b" & hb=$!
        ra=0; wait $ha || ra=$?
        rb=0; wait $hb || rb=$?
        [ $((ra == 0)) -ne $((rb == 0)) ]       # exactly one succeeded
        winner=$([ $ra -eq 0 ] && echo $a || echo $b)
        loser_err=$([ $ra -eq 0 ] && cat "$T/err-b" || cat "$T/err-a")
        [[ "$loser_err" == "palisade-hook: container dup: registry $STATE: a live container is already registered under this ID" ]]
        [ "$(jq -r .pid "$STATE/containers/dup/entry.json")" = "$winner" ]
        [ "$(entries "$STATE/leases")" -eq 1 ]
        kill $a $b
        printf '{"ociVersion":"1.0.2","id":"dup","status":"stopped","bundle":"%s"}' "$T/d1" | "$HOOK" poststop
        [ -z "$(ls -A "$STATE/containers")" ]
}

@test "reliability: a hook killed with -9 inside createRuntime leaves nothing that blocks the ID" {
        # The journal is a FIFO with no reader: the hook blocks in it after it
        # has claimed the ID and leased an audit ID; then it is killed.
        mkfifo "$T/journal.fifo"
        write_policy '"audit": { "journal": "'"$T/journal.fifo"'" }'
        : >"$T/in"
        make_bundle k9 true
        (cd "$T/k9" && runc run k9 <"$T/in" >"$T/k9.log" 2>&1) &
        runtime=$!
        hook=$(host_pid_of "palisade-hook createRuntime")
        [ -e "$STATE/containers/k9/claim" ]
        [ "$(entries "$STATE/leases")" -eq 1 ]
        kill -9 "$hook"
        wait "$runtime" || true
        runc delete -f k9 >/dev/null 2>&1 || true

        # Its claimer is dead: the claim and its lease are stale at once.
        run "$PALISADE" gc
        [ "$output" = "released 0 dead containers, removed 1 orphan claim and 1 orphan lease" ]
        [ -z "$(ls -A "$STATE/containers")" ]
        [ -z "$(ls -A "$STATE/leases")" ]

        # And the same ID starts again at once (the next create would reclaim it too).
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
        run sh -c "cd '$T/k9' && runc run k9 <'$T/in'"
        [ "$status" -eq 0 ]
        [ "$(journal_lines k9 stop | wc -l)" -eq 1 ]
}

@test "reliability: palisade-runtime killed with -9 between writing config.json's replacement and the rename" {
        plain_bundle r1 true
        cp "$T/r1/config.json" "$T/r1.orig"
        # strace holds the shim at its rename of config.json (its record beside it is written by then)
        # for 30 s; it is killed there.
        (cd "$T/r1" && PALISADE_RUNTIME=runc strace -f -o /dev/null -P config.json -e trace=rename,renameat,renameat2 \
                -e inject=rename,renameat,renameat2:delay_enter=30000000 "$SHIM" create r1 </dev/null >/dev/null 2>&1) &
        tracer=$!
        shim=$(host_pid_of "$SHIM create r1")
        for _ in $(seq 50); do compgen -G "$T/r1/.config.json.[0-9]*.tmp" >/dev/null && break; sleep 0.1; done
        kill -9 "$shim"
        wait "$tracer" || true
        # The old config.json, whole; the replacement never took its name.
        cmp "$T/r1/config.json" "$T/r1.orig"
        compgen -G "$T/r1/.config.json.[0-9]*.tmp" >/dev/null

        # A retried create removes the dead writer's file and applies palisade once.
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/r1" r1 </dev/null
        [ "$status" -eq 0 ]
        [ "$(find "$T/r1" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ')" = "config.json config.json.palisade " ]
        [ "$(jq '[.hooks.createRuntime[] | select(.args[0] == "palisade-hook")] | length' "$T/r1/config.json")" -eq 1 ]
        [ "$(journal_lines r1 start | wc -l)" -eq 1 ]
        [ "$(journal_lines r1 stop | wc -l)" -eq 1 ]
}

@test "reliability: the runtime killed with -9 while palisade-hook runs createRuntime: delete and gc reclaim all" {
        mkfifo "$T/journal2.fifo"
        write_policy '"audit": { "journal": "'"$T/journal2.fifo"'" }'
        : >"$T/in"
        make_bundle r2 sleep 1000
        (cd "$T/r2" && exec runc run r2 <"$T/in" >"$T/r2.log" 2>&1) &
        runtime=$!
        hook=$(host_pid_of "palisade-hook createRuntime")
        kill -9 "$runtime"
        wait "$runtime" || true
        # The hook, orphaned, finishes: its journal line is read, its entry written.
        timeout 10 cat "$T/journal2.fifo" >"$T/journal2.lines"
        for _ in $(seq 50); do [ -e "/proc/$hook" ] || break; sleep 0.1; done
        jq -c . "$T/journal2.lines" >/dev/null
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
        runc delete -f r2 >/dev/null 2>&1 || true
        run "$PALISADE" gc
        [ "$status" -eq 0 ]
        [ -z "$(ls -A "$STATE/containers")" ]
        [ -z "$(ls -A "$STATE/leases")" ]
}

@test "reliability: runc run killed with -9 while the container runs: delete runs poststop, nothing is left" {
        : >"$T/in"
        make_bundle r3 sleep 1000
        (cd "$T/r3" && exec runc run r3 <"$T/in" >"$T/r3.log" 2>&1) &
        runtime=$!
        for _ in $(seq 50); do [ "$(runc state r3 2>/dev/null | jq -r .status)" = running ] && break; sleep 0.1; done
        [ -e "$STATE/containers/r3/entry.json" ]
        kill -9 "$runtime"
        wait "$runtime" || true
        # The container outlives its runtime process; delete stops it and runs poststop.
        runc delete -f r3
        [ -z "$(ls -A "$STATE/containers")" ]
        [ -z "$(ls -A "$STATE/leases")" ]
        [ "$(journal_lines r3 stop | wc -l)" -eq 1 ]
        [ "$(journal_lines r3 start | jq -r .container.audit_id)" = "$(journal_lines r3 stop | jq -r .container.audit_id)" ]
}

# vg ARGS...: run under valgrind memcheck; any error or definite leak fails.
VG_OPTS="-q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
vg() {
        # shellcheck disable=SC2086
        valgrind $VG_OPTS "$@"
}

@test "reliability: valgrind finds no error or leak in any phase: precreate, createRuntime, poststart and poststop on runc and crun, the shim's spec phase, the admin tool" {
        command -v valgrind >/dev/null || { echo "valgrind is missing: contrib/install-deps.sh installs it" >&2; false; }
        # The plain build, also when the suite runs against the ASan one (valgrind
        # cannot run ASan binaries). Static binaries: valgrind sees libseccomp whole.
        local HOOK=$ROOT/build/palisade-hook SHIM=$ROOT/build/palisade-runtime PALISADE=$ROOT/build/palisade
        plain_bundle v1 true
        vg "$HOOK" precreate <"$T/v1/config.json" >"$T/v1.out"
        jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO"' "$T/v1.out" >/dev/null
        printf '{"ociVersion":"1.0.2","id":"v1","status":"stopped","bundle":"%s"}' "$T/v1" | vg "$HOOK" poststop
        # The shim up to its exec of the runtime (here a runtime that does nothing).
        printf '#!/bin/sh\nexit 0\n' >"$T/noop-runtime" && chmod +x "$T/noop-runtime"
        PALISADE_RUNTIME="$T/noop-runtime" vg "$SHIM" create --bundle "$T/v1" v1 </dev/null
        jq -e '.annotations["io.palisade.spec"] == "applied"' "$T/v1/config.json" >/dev/null
        vg "$PALISADE" ps --all >/dev/null
        vg "$PALISADE" check "$T/v1" >/dev/null || [ $? -lt 5 ]
        vg "$PALISADE" seccomp merge builtin /usr/share/containers/seccomp.json >/dev/null
        vg "$PALISADE" gc >/dev/null

        # The runtimes' phases: the shim registers a wrapper that runs the hook
        # under valgrind. valgrind 3.19 lacks pidfd_open (ENOSYS): the hook then
        # holds the container by its /proc directory, as on Linux before 5.3.
        printf '#!/bin/sh\nexec valgrind %s --log-file=%s/vg.%%p.log %s "$@"\n' "$VG_OPTS" "$T" "$HOOK" >"$T/vg-hook"
        chmod +x "$T/vg-hook"
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "runtime": { "hook": "'"$T/vg-hook"'" },
                "devices": { "profiles": { "fuse": [ { "path": "/dev/fuse" } ] } }'
        for rt in runc crun; do
                plain_bundle "v-$rt" sh -c 'stat -c %t:%T /dev/fuse'
                annotate "v-$rt" io.palisade.devices fuse
                run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/v-$rt" "v-$rt" </dev/null
                [ "$status" -eq 0 ] || { echo "$output"; cat "$T/v-$rt.hook.log" "$T"/vg.*.log; false; } >&2
                [ "${lines[-1]}" = a:e5 ]
                [ "$(journal_lines "v-$rt" start | jq -r .container.devices[0])" = "c 10:229 rwm /dev/fuse" ]
                [ "$(journal_lines "v-$rt" stop | jq -r .container.seccomp.mode)" = 2 ]
        done
        # Three phases a runtime: six logs, and no error in any (valgrind's own notes start with --).
        [ "$(entries "$T" 'vg.*.log')" -eq 6 ]
        ! grep -h '^==' "$T"/vg.*.log || false
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
}
