# The capabilities guard and palisade check, on real runtimes.

load helpers

setup_file() {
        palisade_setup_file
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        for c in k1 k2 k3 k4; do
                runc delete -f "$c" >/dev/null 2>&1 || true
        done
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
}

# ping_bundle NAME: a container that pings its loopback once, holding CAP_NET_RAW.
ping_bundle() {
        plain_bundle "$1" sh -c 'ip link set lo up; ping -c1 -W1 127.0.0.1 >/dev/null'
        grant "$1" CAP_NET_RAW
}

@test "caps: with a policy dropping CAP_NET_RAW the container cannot open a raw socket; with the default it can" {
        ping_bundle k1
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/k1" k1 </dev/null
        [ "$status" -eq 0 ]

        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "caps": { "drop": ["net_raw"] }'
        ping_bundle k2
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/k2" k2 </dev/null
        [ "$status" -eq 1 ]
        [ "$output" = "ping: permission denied (are you root?)" ]
        # Gone from every set of the spec the runtime got.
        [ "$(jq '[.process.capabilities[][] | select(. == "CAP_NET_RAW")] | length' "$T/k2/config.json")" -eq 0 ]
}

@test "caps: annotations drop freely and add only what policy allows for the kind of container" {
        ping_bundle k1
        annotate k1 io.palisade.caps.drop NET_RAW
        run env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/k1" k1 </dev/null
        [ "$status" -eq 1 ]
        [ "$output" = "ping: permission denied (are you root?)" ]

        plain_bundle k2 true
        annotate k2 io.palisade.caps.add CAP_SYS_ADMIN
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/k2" k2 </dev/null
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container k2: caps guard: config.json: annotations[\"io.palisade.caps.add\"]: CAP_SYS_ADMIN may not be added to a container without a user namespace (policy $T/policy.json, caps.add.privileged)" ]

        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "caps": { "add": { "privileged": ["NET_RAW"] } }'
        plain_bundle k3 sh -c 'ip link set lo up; ping -c1 -W1 127.0.0.1 >/dev/null'
        annotate k3 io.palisade.caps.add net_raw
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/k3" k3 </dev/null
        [ "$status" -eq 0 ]
        [ "$(jq -c '.process.capabilities.bounding | index("CAP_NET_RAW") != null' "$T/k3/config.json")" = true ]
}

@test "caps: bad names and never-allowed capabilities are refused clearly" {
        plain_bundle k1 true
        annotate k1 io.palisade.caps.drop "NET_RAW,CAP_FLY"
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/k1" k1 </dev/null
        [ "$status" -eq 1 ]
        [ "$output" = 'palisade-runtime: container k1: caps guard: config.json: annotations["io.palisade.caps.drop"]: "CAP_FLY" is not a capability libcap knows' ]

        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "caps": { "never": ["CAP_AUDIT_WRITE"] }'
        plain_bundle k2 true
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/k2" k2 </dev/null
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container k2: caps guard: process.capabilities: holds CAP_AUDIT_WRITE, which policy $T/policy.json never allows (caps.never); remove it from the container's capabilities" ]

        # The hook alone cannot edit the spec: a capability to drop is a refusal.
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "caps": { "drop": ["CAP_KILL"] }'
        make_bundle k3 true
        run start_detached runc k3
        [ "$status" -ne 0 ]
        runtime_log k3 | grep -F "palisade-hook: container k3: caps guard: process.capabilities: holds CAP_KILL, which must be dropped, and at createRuntime the spec can no longer change"
}

@test "check: a runc spec: no user namespace, no seccomp filter" {
        mkdir -p "$T/c1" && (cd "$T/c1" && runc spec)
        run "$PALISADE" check "$T/c1"
        [ "$status" -eq 3 ]
        [ "${lines[0]}" = "MEDIUM    linux.namespaces              no user namespace of its own" ]
        [ "${lines[3]}" = "HIGH      linux.seccomp                 no seccomp filter" ]
        [ "${lines[6]}" = "2 findings: 0 critical, 1 high, 1 medium, 0 low" ]
        run "$PALISADE" check --json "$T/c1/config.json"
        [ "$status" -eq 3 ]
        [ "$(jq -c '[.[] | [.severity, .path]]' <<<"$output")" = '[["medium","linux.namespaces"],["high","linux.seccomp"]]' ]
        [ "$(jq -r '.[1].fix' <<<"$output")" = "add a seccomp profile (Docker's default, or palisade's seccomp guard)" ]
}

@test "check: Podman's generated config.json: no user namespace, noNewPrivileges off" {
        podman image exists localhost/palisade-busybox || tar -C "$T/rootfs" -c . | podman import -q - localhost/palisade-busybox >/dev/null
        podman create --name palisade-check-c2 localhost/palisade-busybox true >/dev/null
        podman init palisade-check-c2 >/dev/null
        config=$(podman inspect --format '{{.OCIConfigPath}}' palisade-check-c2)
        run "$PALISADE" check --json "$config"
        podman rm -f palisade-check-c2 >/dev/null
        [ "$status" -eq 2 ]
        [ "$(jq -c '[.[] | [.severity, .path, .finding]]' <<<"$output")" = '[["medium","linux.namespaces","no user namespace of its own"],["low","process.noNewPrivileges","noNewPrivileges is off"]]' ]
}

@test "check: a hardened spec has no findings; a reckless one is critical" {
        mkdir -p "$T/c3" && (cd "$T/c3" && runc spec --rootless)
        jq '.linux.seccomp = { defaultAction: "SCMP_ACT_ERRNO", syscalls: [ { names: ["read"], action: "SCMP_ACT_ALLOW" } ] }
            | .linux.namespaces += [ { type: "cgroup" }, { type: "network" } ]' "$T/c3/config.json" >"$T/c3/c" && mv "$T/c3/c" "$T/c3/config.json"
        run "$PALISADE" check "$T/c3"
        [ "$status" -eq 0 ]
        [ "$output" = "no findings" ]

        mkdir -p "$T/c4" && (cd "$T/c4" && runc spec)
        jq '.linux.namespaces |= map(select(.type != "mount"))
            | .process.capabilities.bounding += ["CAP_SYS_MODULE"]
            | .linux.resources.devices = [ { allow: true, access: "rwm" } ]' "$T/c4/config.json" >"$T/c4/c"
        mv "$T/c4/c" "$T/c4/config.json"
        run "$PALISADE" check --json "$T/c4"
        [ "$status" -eq 4 ]
        [ "$(jq -c '[.[] | select(.severity == "critical") | .path]' <<<"$output")" = '["linux.namespaces","process.capabilities.bounding","linux.resources.devices[0]"]' ]
}

@test "check: policy refuses a container with findings at or above check.refuse_at" {
        # With no seccomp profile from policy, the spec keeps its lack of one.
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "check": { "refuse_at": "high" }, "seccomp": { "default": "none" }'
        plain_bundle k4 true
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/k4" k4 </dev/null
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container k4: check guard: 1 finding at or above high (policy $T/policy.json, check.refuse_at): [high] linux.seccomp: no seccomp filter; run palisade check on the bundle for why and how to fix" ]
        # The hook alone refuses it too.
        make_bundle k4 true
        run start_detached runc k4
        [ "$status" -ne 0 ]
        runtime_log k4 | grep -F "palisade-hook: container k4: check guard: 1 finding at or above high"
}

@test "check: unreadable input" {
        run "$PALISADE" check "$T/nothing-here"
        [ "$status" -eq 5 ]
        [ "$output" = "palisade check: $T/nothing-here: No such file or directory" ]
        echo '{"ociVersion": 1}' >"$T/bad.json"
        run "$PALISADE" check "$T/bad.json"
        [ "$status" -eq 5 ]
        [ "$output" = "palisade check: $T/bad.json: ociVersion: expected a string, got a number" ]
}

@test "check: the operator's own input: a config.json on standard input (-, /dev/stdin from a pipe) or through a symlink" {
        mkdir -p "$T/c5" && (cd "$T/c5" && runc spec)
        run "$PALISADE" check --json "$T/c5/config.json"
        [ "$status" -eq 3 ]
        local want=$output
        for path in - /dev/stdin; do
                run bash -c "cat '$T/c5/config.json' | '$PALISADE' check --json $path"
                [ "$status" -eq 3 ]
                [ "$output" = "$want" ]
        done
        ln -sfn "$T/c5/config.json" "$T/c5-link.json"
        run "$PALISADE" check --json "$T/c5-link.json"
        [ "$status" -eq 3 ]
        [ "$output" = "$want" ]
        run bash -c "echo '{\"ociVersion\": 1}' | '$PALISADE' check -"
        [ "$status" -eq 5 ]
        [ "$output" = "palisade check: standard input: ociVersion: expected a string, got a number" ]
}

@test "caps: palisade-hook keeps only the capabilities each phase uses" {
        command -v strace >/dev/null
        sleep 100 &
        sleeper=$!
        plain_bundle k1 true
        state=$(printf '{"ociVersion":"1.0.2","id":"k1","status":"creating","pid":%d,"bundle":"%s"}' "$sleeper" "$T/k1")
        # LeakSanitizer cannot run under ptrace: off for this test of the ASan build.
        export ASAN_OPTIONS=detect_leaks=0
        strace -e trace=capset -o "$T/create.strace" "$HOOK" createRuntime <<<"$state"
        strace -e trace=capset -o "$T/stop.strace" "$HOOK" poststop <<<"${state/creating/stopped}"
        strace -e trace=capset -o "$T/precreate.strace" "$HOOK" precreate <"$T/k1/config.json" >/dev/null
        kill "$sleeper"
        create='1<<CAP_CHOWN|1<<CAP_DAC_OVERRIDE|1<<CAP_KILL|1<<CAP_NET_ADMIN|1<<CAP_SYS_CHROOT|1<<CAP_SYS_PTRACE|1<<CAP_SYS_ADMIN|1<<CAP_MKNOD|1<<CAP_AUDIT_WRITE|1<<CAP_AUDIT_CONTROL|1<<CAP_BPF'
        grep -F "effective=$create, permitted=$create, inheritable=0}) = 0" "$T/create.strace"
        # Stop: the userns guard (a default guard) unmounts a shifted rootfs.
        stop='1<<CAP_DAC_OVERRIDE|1<<CAP_SYS_ADMIN|1<<CAP_AUDIT_WRITE|1<<CAP_AUDIT_CONTROL'
        grep -F "effective=$stop, permitted=$stop, inheritable=0}) = 0" "$T/stop.strace"
        grep -F 'effective=0, permitted=0, inheritable=0}) = 0' "$T/precreate.strace"
}

@test "ps and inspect: what confines a container now, and what palisade changed in its spec" {
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "caps": { "drop": ["CAP_KILL"] }'
        plain_bundle k1
        # A user namespace of its own: container root is host UID 200000.
        jq '.linux.namespaces += [ { type: "user" } ]
            | .linux.uidMappings = [ { containerID: 0, hostID: 200000, size: 65536 } ]
            | .linux.gidMappings = [ { containerID: 0, hostID: 200000, size: 65536 } ]' "$T/k1/config.json" >"$T/k1/c"
        mv "$T/k1/c" "$T/k1/config.json"
        # Container root must reach its rootfs; and its stdio must be files of
        # the test's (a runtime chowns them to container root), never /dev/null.
        chmod 0755 "$T"
        : >"$T/k1.in"
        (cd "$T/k1" && PALISADE_RUNTIME=runc "$SHIM" run -d k1 <"$T/k1.in" >"$T/k1.out" 2>&1)
        pid=$(runc state k1 | jq -r .pid)
        wait_exec "$pid" sleep

        run "$PALISADE" ps
        [[ "${lines[1]}" =~ ^k1\ +[0-9a-f-]{36}\ +$pid\ +running\ +200000-265535\ +filter\ +2\ +0\  ]]
        run "$PALISADE" ps --json
        [ "$(jq -c '.[0] | [.uids, .seccomp.mode, .capabilities]' <<<"$output")" = '["200000-265535","filter",["CAP_NET_BIND_SERVICE","CAP_AUDIT_WRITE"]]' ]

        run "$PALISADE" inspect k1
        [ "$status" -eq 0 ]
        [ "$(jq -r .audit_id <<<"$output")" = "$("$PALISADE" audit-id --container k1)" ]
        [ "$(jq -r '.palisade_annotations["io.palisade.spec"]' <<<"$output")" = applied ]
        [ "$(jq -c '.spec_changes[] | select(.path == "process.capabilities.bounding") | [.op, .before, .after]' <<<"$output")" = '["replace",["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],["CAP_AUDIT_WRITE","CAP_NET_BIND_SERVICE"]]' ]
        [ "$(jq -r '.spec_changes[] | select(.path == "hooks") | .after.createRuntime[0].args[0]' <<<"$output")" = palisade-hook ]

        run "$PALISADE" inspect nothing-by-that-name
        [ "$status" -eq 1 ]
        [ "$output" = 'palisade inspect: no container "nothing-by-that-name" is registered with palisade (see palisade ps)' ]
}
