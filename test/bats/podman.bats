# Podman with palisade-hook registered through a hooks.d file (contrib/).

load helpers

IMAGE=localhost/palisade-busybox

setup_file() {
        palisade_setup_file
        podman image exists "$IMAGE" || tar -C "$T/rootfs" -c . | podman import -q - "$IMAGE" >/dev/null
        mkdir -p "$T/hooks.d"
        # The shipped hooks.d file, pointed at this build and this test's policy.
        sed "s|@BINDIR@|$BUILD|" "$ROOT/contrib/palisade-hook.json.in" |
                jq --arg env "PALISADE_CONFIG=$PALISADE_CONFIG" '.hook.env = [$env]' >"$T/hooks.d/palisade-hook.json"
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        podman rm --ignore -f -t 0 p1 p2 p3 p4 >/dev/null 2>&1 || true
}

prun() {
        podman --hooks-dir "$T/hooks.d" run "$@" </dev/null
}

@test "podman: a container started through hooks.d gets an audit ID that maps back to it" {
        cid=$(prun -d --name p1 "$IMAGE" sleep 1000)
        pid=$(podman inspect --format '{{.State.Pid}}' p1)
        id=$("$PALISADE" audit-id --container "$cid")
        [[ "$id" =~ ^[0-9a-f-]{36}$ ]]
        [ "$("$PALISADE" audit-id "$pid")" = "$id" ]
        [ "$(journal_lines "$cid" start | jq -r .container.namespaces.mnt.ino)" = "$(ns_inode "$pid" mnt)" ]

        # Podman runs poststop itself when the container is removed.
        podman rm -f -t 0 p1 >/dev/null
        [ "$(journal_lines "$cid" stop | jq -r .container.audit_id)" = "$id" ]
        [ ! -e "$STATE/containers/$cid" ]
}

@test "podman: an orchestrator-supplied audit ID is used" {
        cid=$(prun -d --name p2 --annotation io.palisade.audit-id=3c1f9a52-7d4e-4b1a-8f3b-aa23456789ab "$IMAGE" sleep 1000)
        [ "$("$PALISADE" audit-id --container "$cid")" = 3c1f9a52-7d4e-4b1a-8f3b-aa23456789ab ]
        [ "$("$PALISADE" audit-id "$(podman inspect --format '{{.State.Pid}}' p2)")" = 3c1f9a52-7d4e-4b1a-8f3b-aa23456789ab ]
}

@test "podman: a malformed audit ID fails podman run with palisade's message (runc)" {
        run prun --runtime runc --name p3 --annotation io.palisade.audit-id=12345 "$IMAGE" true
        [ "$status" -ne 0 ]
        [[ "$output" == *'palisade-hook: container '*': audit guard: annotations["io.palisade.audit-id"]: "12345" is not a UUID (expected 8-4-4-4-12 hex digits)'* ]]
        run ls "$STATE/containers"
        [ "$output" = "" ]
}

@test "podman: a malformed audit ID fails podman run on crun, and the journal says why" {
        run prun --name p4 --annotation io.palisade.audit-id=12345 "$IMAGE" true
        [ "$status" -ne 0 ]
        [[ "$output" == *'error executing hook'*'palisade-hook'* ]]
        cid=$(podman inspect --format '{{.Id}}' p4)
        # Refused at precreate; carried to createRuntime, which refuses and records it.
        [ "$(journal_lines "$cid" start | jq -r .error)" = 'refused at precreate: audit guard: annotations["io.palisade.audit-id"]: "12345" is not a UUID (expected 8-4-4-4-12 hex digits)' ]
        run ls "$STATE/containers"
        [ "$output" = "" ]
}
