# The audit guard end to end on one runtime: RUNTIME=runc or RUNTIME=crun
# (test/check.sh runs this file once for each).

RUNTIME=${RUNTIME:-runc}

load helpers

setup_file() {
        palisade_setup_file
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        for b in "$T"/*/config.json; do
                [ -e "$b" ] || continue
                remove "$RUNTIME" "$(basename "$(dirname "$b")")"
        done
}

@test "$RUNTIME: a container gets a registry entry and a journal line with its namespaces" {
        make_bundle c1
        start_detached "$RUNTIME" c1
        pid=$(container_pid c1)

        run "$PALISADE" ps --json
        [ "$status" -eq 0 ]
        [ "$(jq -r '.[] | select(.id == "c1") | .pid' <<<"$output")" = "$pid" ]
        id=$(jq -r '.[] | select(.id == "c1") | .audit_id' <<<"$output")
        [[ "$id" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]

        line=$(journal_lines c1 start)
        [ "$(jq -r .container.audit_id <<<"$line")" = "$id" ]
        [ "$(jq -r .result <<<"$line")" = success ]
        for ns in cgroup ipc mnt net pid uts user; do
                [ "$(jq -r --arg ns $ns '.container.namespaces[$ns].ino' <<<"$line")" = "$(ns_inode "$pid" $ns)" ]
        done
        # runc/crun give it its own mount, pid, net, ipc, uts namespaces.
        for ns in mnt pid net ipc uts; do
                [ "$(jq -r --arg ns $ns '.container.namespaces[$ns].own' <<<"$line")" = true ]
        done
        [ "$(jq -r '.container.namespaces.user.own' <<<"$line")" = false ]
}

@test "$RUNTIME: palisade audit-id maps the init, a child and a nested pid namespace to the container" {
        make_bundle c2 sh -c 'unshare -p -f sleep 1002 & sleep 1001'
        grant c2 CAP_SYS_ADMIN  # for unshare -p
        start_detached "$RUNTIME" c2
        id=$("$PALISADE" audit-id --container c2)

        run "$PALISADE" audit-id "$(container_pid c2)"
        [ "$status" -eq 0 ]
        [ "$output" = "$id" ]

        child=$(host_pid_of "sleep 1001")
        [ "$("$PALISADE" audit-id "$child")" = "$id" ]

        nested=$(host_pid_of "sleep 1002")
        # It really is in a pid namespace of its own, below the container's.
        [ "$(ns_inode "$nested" pid)" != "$(ns_inode "$(container_pid c2)" pid)" ]
        [ "$("$PALISADE" audit-id "$nested")" = "$id" ]
}

@test "$RUNTIME: after the container ends its registry entry and lease are gone and a stop line is written" {
        make_bundle c3
        start_detached "$RUNTIME" c3
        id=$("$PALISADE" audit-id --container c3)
        [ -e "$STATE/leases/audit-id-$id" ]

        remove "$RUNTIME" c3
        run "$PALISADE" audit-id --container c3
        [ "$status" -eq 1 ]
        [ "$output" = 'palisade audit-id: no container "c3" is registered with palisade (see palisade ps)' ]
        [ ! -e "$STATE/containers/c3" ]
        [ ! -e "$STATE/leases/audit-id-$id" ]
        [ "$(journal_lines c3 stop | jq -r .container.audit_id)" = "$id" ]
        [ "$(journal_lines c3 stop | wc -l)" -eq 1 ]
}

@test "$RUNTIME: a container that runs to completion is registered and released" {
        make_bundle c4 true
        (cd "$T/c4" && "$RUNTIME" run c4 </dev/null)
        [ "$(journal_lines c4 start | wc -l)" -eq 1 ]
        [ "$(journal_lines c4 stop | wc -l)" -eq 1 ]
        [ ! -e "$STATE/containers/c4" ]
}

@test "$RUNTIME: an orchestrator-supplied audit ID is used, normalised to lower case" {
        make_bundle c5
        annotate c5 io.palisade.audit-id 6F1C3B52-2D4E-4C1A-9F3B-0123456789AB
        start_detached "$RUNTIME" c5
        [ "$("$PALISADE" audit-id "$(container_pid c5)")" = 6f1c3b52-2d4e-4c1a-9f3b-0123456789ab ]
}

@test "$RUNTIME: an audit ID held by a live container is refused for another" {
        make_bundle c6
        annotate c6 io.palisade.audit-id 0b5a8a9e-8f0e-4a4f-b2a6-3f1d2c9e7a10
        start_detached "$RUNTIME" c6
        make_bundle c7
        annotate c7 io.palisade.audit-id 0b5a8a9e-8f0e-4a4f-b2a6-3f1d2c9e7a10
        run start_detached "$RUNTIME" c7
        [ "$status" -ne 0 ]
        runtime_log c7 | grep -F 'palisade-hook: container c7: audit guard: audit-id 0b5a8a9e-8f0e-4a4f-b2a6-3f1d2c9e7a10 is held by live container c6'
        [ "$(journal_lines c7 start | jq -r .result)" = failed ]
        [ ! -e "$STATE/containers/c7" ]
        # The holder is undisturbed.
        [ "$("$PALISADE" audit-id --container c6)" = 0b5a8a9e-8f0e-4a4f-b2a6-3f1d2c9e7a10 ]
}

@test "$RUNTIME: a malformed audit ID annotation makes the start fail with palisade's message" {
        make_bundle c8
        annotate c8 io.palisade.audit-id not-a-uuid
        run start_detached "$RUNTIME" c8
        [ "$status" -ne 0 ]
        runtime_log c8 | grep -F 'palisade-hook: container c8: audit guard: config.json: annotations["io.palisade.audit-id"]: "not-a-uuid" is not a UUID (expected 8-4-4-4-12 hex digits)'
        [ ! -e "$STATE/containers/c8" ]
        [ -z "$(ls "$STATE/leases")" ]
}

@test "$RUNTIME: an unknown io.palisade annotation is refused" {
        make_bundle c9
        annotate c9 io.palisade.audit_id 6f1c3b52-2d4e-4c1a-9f3b-0123456789ab
        run start_detached "$RUNTIME" c9
        [ "$status" -ne 0 ]
        runtime_log c9 | grep -F 'palisade-hook: container c9: config.json: annotations["io.palisade.audit_id"]: unknown palisade annotation'
}

@test "$RUNTIME: palisade ps shows a readable table" {
        make_bundle c10
        start_detached "$RUNTIME" c10
        wait_exec "$(container_pid c10)" sleep
        run "$PALISADE" ps
        [ "$status" -eq 0 ]
        [[ "${lines[0]}" =~ ^CONTAINER\ +AUDIT\ ID\ +PID\ +STATUS\ +HOST\ UIDS\ +SECCOMP\ +CAPS\ +DEVICES\ +CREATED$ ]]
        # runc spec: no user namespace, no seccomp, three capabilities.
        [[ "$output" =~ c10\ +[0-9a-f-]{36}\ +$(container_pid c10)\ +running\ +host\ +no\ +3\ +0\ +20[0-9-]+\ [0-9:]+ ]]
}

@test "$RUNTIME: palisade audit-id of a host process fails clearly" {
        run "$PALISADE" audit-id $$
        [ "$status" -eq 1 ]
        [ "$output" = "palisade audit-id: process $$ belongs to no container registered with palisade" ]
}
