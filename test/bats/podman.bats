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
        podman rm --ignore -f -t 0 p1 p2 p3 p4 p5 p6 ann-p7 ann-p7b >/dev/null 2>&1 || true
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
        [[ "$output" == *'palisade-hook: container '*': audit guard: config.json: annotations["io.palisade.audit-id"]: "12345" is not a UUID (expected 8-4-4-4-12 hex digits)'* ]]
        run ls "$STATE/containers"
        [ "$output" = "" ]
}

@test "podman: a malformed audit ID fails podman run on crun, and the journal says why" {
        run prun --name p4 --annotation io.palisade.audit-id=12345 "$IMAGE" true
        [ "$status" -ne 0 ]
        [[ "$output" == *'error executing hook'*'palisade-hook'* ]]
        cid=$(podman inspect --format '{{.Id}}' p4)
        # Refused at precreate; carried to createRuntime, which refuses and records it.
        [ "$(journal_lines "$cid" start | jq -r .error)" = 'refused at precreate: audit guard: config.json: annotations["io.palisade.audit-id"]: "12345" is not a UUID (expected 8-4-4-4-12 hex digits)' ]
        run ls "$STATE/containers"
        [ "$output" = "" ]
}

@test "podman: the precreate stage of the hooks.d file puts palisade's spec phase in force" {
        prun -d --name p5 "$IMAGE" sleep 1000 >/dev/null
        config=$(podman inspect --format '{{.OCIConfigPath}}' p5)
        # The spec the runtime received went through palisade's spec phase...
        [ "$(jq -r '.annotations["io.palisade.spec"]' "$config")" = applied ]
        # ...and the hook the same file registers ran for it.
        cid=$(podman inspect --format '{{.Id}}' p5)
        [ "$(journal_lines "$cid" start | jq -r .result)" = success ]
}

@test "podman: a container with Podman's own user namespace runs through hooks.d under the default guards" {
        # userns is among the default guards: precreate judges Podman's mappings and shifts nothing (Podman does).
        # crun 1.8.1 chowns the stdio conmon hands it (the host's /dev/null) to the container's root, and
        # through hooks.d palisade cannot stand in for it (README, Podman): a throwaway /dev/null here.
        run "$ROOT/test/private-dev.sh" "$T/ann-p7-dev" null:1:3 -- \
                podman --hooks-dir "$T/hooks.d" run --name ann-p7 --uidmap 0:200000:65536 --gidmap 0:200000:65536 \
                "$IMAGE" cat /proc/self/uid_map </dev/null
        [ "$status" -eq 0 ]
        read -r inside host size <<<"$output"
        [ "$inside $host $size" = "0 200000 65536" ]
        # Mappings into palisade's pool are another container's IDs: refused, carried to createRuntime.
        run prun --runtime runc --name ann-p7b --uidmap 0:1000000:65536 --gidmap 0:1000000:65536 "$IMAGE" true
        podman rm --ignore -f -t 0 ann-p7b >/dev/null 2>&1 || true
        [ "$status" -ne 0 ]
        [[ "$output" == *"refused at precreate: userns guard: linux.uidMappings[0]: host IDs 1000000-1065535 overlap palisade's pool"* ]]
}

# shim_lifecycle RUNTIME: podman --runtime palisade-runtime over RUNTIME.
# Podman filters the runtime's environment: this test's policy and runtime
# reach palisade-runtime through a wrapper (contrib/palisade-runtime-wrapper.example).
shim_lifecycle() {
        local wrapper=$T/palisade-$1
        printf '#!/bin/sh\nPALISADE_RUNTIME=%s PALISADE_CONFIG=%s exec %s "$@"\n' "$1" "$PALISADE_CONFIG" "$SHIM" >"$wrapper"
        chmod +x "$wrapper"
        cid=$(podman --runtime "$wrapper" run -d --name p6 "$IMAGE" sleep 1000 </dev/null)
        pid=$(podman inspect --format '{{.State.Pid}}' p6)
        id=$("$PALISADE" audit-id "$pid")
        [ "$("$PALISADE" audit-id --container "$cid")" = "$id" ]
        # The shim registered palisade-hook in the spec the runtime got.
        config=$(podman inspect --format '{{.OCIConfigPath}}' p6)
        [ "$(jq -r '.hooks.createRuntime[0].path' "$config")" = "$HOOK" ]
        run podman --runtime "$wrapper" exec p6 echo exec-ok
        [ "$status" -eq 0 ]
        [ "$output" = exec-ok ]
        podman --runtime "$wrapper" stop -t 0 p6 >/dev/null
        [ "$(podman inspect --format '{{.State.Status}}' p6)" = exited ]
        podman --runtime "$wrapper" rm p6 >/dev/null
        [ "$(journal_lines "$cid" stop | jq -r .container.audit_id)" = "$id" ]
        [ ! -e "$STATE/containers/$cid" ]
}

@test "podman: --runtime palisade-runtime over runc: run, exec, stop, rm" {
        shim_lifecycle runc
}

@test "podman: --runtime palisade-runtime over crun: run, exec, stop, rm" {
        shim_lifecycle crun
}
