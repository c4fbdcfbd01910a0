# Issue 14, item 10: what a bundle's owner asks for is judged (devices the
# policy does not grant, sysctls of namespaces it does not own), what it
# exposes is reported (palisade check), and a container its own filter kills
# leaves nothing behind. Container IDs start with "jd-".

load helpers

setup_file() {
        palisade_setup_file
}

teardown() {
        ip netns delete jd-scratch 2>/dev/null || true
        for rt in runc crun; do
                "$rt" list -q 2>/dev/null | grep '^jd-' | while read -r id; do "$rt" delete -f "$id" >/dev/null 2>&1 || true; done
        done
}

teardown_file() {
        palisade_teardown_file
}

# kill_filter NAME: the bundle's own seccomp filter kills its first call.
kill_filter() {
        jq '.linux.seccomp = { defaultAction: "SCMP_ACT_KILL_PROCESS" }' "$T/$1/config.json" >"$T/$1/c.new"
        mv "$T/$1/c.new" "$T/$1/config.json"
}

@test "edges: a container its own filter kills at once (Seccomp: 3) gets its stop line, and ps and gc read its entry (runc and crun)" {
        for rt in runc crun; do
                id=jd-kill-$rt
                plain_bundle "$id" true
                kill_filter "$id"
                run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/$id" "$id" </dev/null
                [ "$status" -ne 0 ]
                [ "$(journal_lines "$id" start | wc -l)" -eq 1 ]
                [ "$(journal_lines "$id" stop | wc -l)" -eq 1 ]
                [ "$(journal_lines "$id" stop | jq -r .reason)" = exit ]
                [ ! -e "$STATE/containers/$id" ]
                "$rt" delete -f "$id" >/dev/null 2>&1 || true
        done
}

@test "edges: a container its filter killed before its poststop is listed by ps --all and released by gc" {
        id=jd-killgc
        plain_bundle "$id" true
        kill_filter "$id"
        (cd "$T/$id" && PALISADE_RUNTIME=runc "$SHIM" create "$id" </dev/null >"$T/$id.log" 2>&1)
        PALISADE_RUNTIME=runc "$SHIM" start "$id" </dev/null >>"$T/$id.log" 2>&1 || true
        for _ in $(seq 50); do
                runc state "$id" 2>/dev/null | grep -q '"status": *"stopped"' && break
                sleep 0.1
        done
        [ "$(jq -r .seccomp.mode "$STATE/containers/$id/entry.json")" = 3 ]
        run "$PALISADE" ps --all
        [ "$status" -eq 0 ]
        [[ "$output" == *"$id "*" gone "* ]]
        run "$PALISADE" gc
        [ "$status" -eq 0 ]
        [ "$output" = "released 1 dead container, removed 0 orphan claims and 0 orphan leases" ]
        [ ! -e "$STATE/containers/$id" ]
        [ "$(journal_lines "$id" stop | jq -r .reason)" = gone ]
        runc delete -f "$id" >/dev/null 2>&1 || true
}

# spec NAME JQ-FILTER: edit the bundle's config.json.
spec() {
        jq "$2" "$T/$1/config.json" >"$T/$1/c.new"
        mv "$T/$1/c.new" "$T/$1/config.json"
}

@test "check: host exposures: a bind of the host's root, a second proc, a namespace joined through /proc/self or a task" {
        mkdir -p "$T/jd-c1" && (cd "$T/jd-c1" && runc spec)
        spec jd-c1 '.mounts += [
                { destination: "/host", type: "bind", source: "/", options: ["rbind", "rw"] },
                { destination: "/p", type: "proc", source: "proc" },
                { destination: "/d", type: "bind", source: "/var/run/docker.sock", options: ["bind", "ro"] } ]
            | .linux.namespaces |= map(if .type == "network" then .path = "/proc/thread-self/ns/net"
                                       elif .type == "ipc" then .path = "/proc/1/task/1/ns/ipc" else . end)'
        run "$PALISADE" check --json "$T/jd-c1"
        [ "$status" -eq 4 ]
        f() { jq -r --arg p "$1" '.[] | select(.path == $p) | [.severity, .finding] | join(": ")' <<<"$output"; }
        [ "$(f 'mounts[7].source')" = "critical: binds the host's / into the container" ]
        [ "$(f 'mounts[8]')" = "critical: a proc mount at /p, outside /proc" ]
        [ "$(f 'mounts[9].source')" = "critical: binds the host's /run/docker.sock into the container read-only" ]
        jq -e '.[] | select(.finding == "joins the host'"'"'s network namespace (/proc/thread-self/ns/net)")' <<<"$output"
        jq -e '.[] | select(.finding == "joins the host'"'"'s ipc namespace (/proc/1/task/1/ns/ipc)")' <<<"$output"
        [ "$(jq -r '.[] | select(.path == "mounts[8]") | .fix' <<<"$output")" = "mount proc at /proc only" ]
}

@test "check: the check guard refuses a container that binds the host's root at check.refuse_at critical (runc and crun)" {
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "check": { "refuse_at": "critical" }'
        for rt in runc crun; do
                plain_bundle "jd-root-$rt" true
                spec "jd-root-$rt" '.mounts += [ { destination: "/host", type: "bind", source: "/", options: ["rbind", "rw"] } ]'
                run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/jd-root-$rt" "jd-root-$rt" </dev/null
                [ "$status" -eq 1 ]
                [ "$output" = "palisade-runtime: container jd-root-$rt: check guard: 1 finding at or above critical (policy $T/policy.json, check.refuse_at): [critical] mounts[7].source: binds the host's / into the container; run palisade check on the bundle for why and how to fix" ]
        done
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
}

# A network namespace that stands in for the host's: palisade-runtime and the
# runtime run in it (nsenter), so the host's own sysctls are never at stake.
scratch_netns() {
        ip netns delete jd-scratch 2>/dev/null || true
        ip netns add jd-scratch
}

ttl() {
        ip netns exec jd-scratch cat /proc/sys/net/ipv4/ip_default_ttl
}

@test "sysctl: net.* for a container in the host's network namespace, joined by path or shared, is refused before crun writes it" {
        scratch_netns
        [ "$(ttl)" = 64 ]
        for how in path shared; do
                for rt in crun runc; do
                        id=jd-sys-$how-$rt
                        plain_bundle "$id" true
                        if [ "$how" = path ]; then
                                spec "$id" '.linux.namespaces |= map(if .type == "network" then .path = "/run/netns/jd-scratch" else . end)'
                        else
                                spec "$id" '.linux.namespaces |= map(select(.type != "network"))'
                        fi
                        spec "$id" '.linux.sysctl = { "net.ipv4.ip_default_ttl": "77" }'
                        run nsenter --net=/run/netns/jd-scratch env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/$id" "$id" </dev/null
                        [ "$status" -eq 1 ]
                        [[ "$output" == "palisade-runtime: container $id: check guard: linux.sysctl[\"net.ipv4.ip_default_ttl\"]: sets net.ipv4.ip_default_ttl in the host's network namespace ("* ]]
                        [[ "$output" == *"give the container a network namespace of its own"* ]]
                        [ "$(ttl)" = 64 ]
                done
        done
        # Its own network namespace: the key is its to set.
        plain_bundle jd-sys-own sh -c 'cat /proc/sys/net/ipv4/ip_default_ttl'
        spec jd-sys-own '.linux.sysctl = { "net.ipv4.ip_default_ttl": "77" }'
        run nsenter --net=/run/netns/jd-scratch env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/jd-sys-own" jd-sys-own </dev/null
        [ "$status" -eq 0 ]
        [ "$output" = 77 ]
        [ "$(ttl)" = 64 ]
        # With the hook alone createRuntime refuses it too, but crun has written it by then (README, palisade check).
        make_bundle jd-sys-hook true
        spec jd-sys-hook '.linux.namespaces |= map(if .type == "network" then .path = "/run/netns/jd-scratch" else . end)
                | .linux.sysctl = { "net.ipv4.ip_default_ttl": "77" }'
        run nsenter --net=/run/netns/jd-scratch sh -c "cd '$T/jd-sys-hook' && crun run jd-sys-hook </dev/null >'$T/jd-sys-hook.log' 2>&1"
        [ "$status" -ne 0 ]
        runtime_log jd-sys-hook | grep -F "palisade-hook: container jd-sys-hook: check guard: linux.sysctl[\"net.ipv4.ip_default_ttl\"]: sets net.ipv4.ip_default_ttl in the host's network namespace (/run/netns/jd-scratch)"
        ip netns delete jd-scratch
}

@test "sysctl: kernel.shm* without an IPC namespace of its own, and a key no namespace holds, are refused" {
        # The host's own values: were one written after all, nothing would change.
        shmmni=$(cat /proc/sys/kernel/shmmni)
        ratio=$(cat /proc/sys/vm/overcommit_ratio)
        plain_bundle jd-sys-ipc true
        spec jd-sys-ipc '.linux.namespaces |= map(select(.type != "ipc")) | .linux.sysctl = { "kernel.shmmni": "'"$shmmni"'" }'
        run env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/jd-sys-ipc" jd-sys-ipc </dev/null
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container jd-sys-ipc: check guard: linux.sysctl[\"kernel.shmmni\"]: sets kernel.shmmni in the host's ipc namespace (it has none of its own); the runtime writes it in the host's namespace, for every process of the host (crun before any hook runs); give the container an IPC namespace of its own ({\"type\": \"ipc\"} without a path), or remove the key" ]
        plain_bundle jd-sys-vm true
        spec jd-sys-vm '.linux.sysctl = { "vm.overcommit_ratio": "'"$ratio"'" }'
        run env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/jd-sys-vm" jd-sys-vm </dev/null
        [ "$status" -eq 1 ]
        [[ "$output" == *'linux.sysctl["vm.overcommit_ratio"]: sets vm.overcommit_ratio, which is not namespaced'* ]]
        [ "$(cat /proc/sys/kernel/shmmni)" = "$shmmni" ]
        [ "$(cat /proc/sys/vm/overcommit_ratio)" = "$ratio" ]
}

# devrules NAME JSON-ARRAY: append allow rules to the bundle's linux.resources.devices.
devrules() {
        spec "$1" ".linux.resources.devices += $2"
}

@test "devices: a spec's own allow rules and nodes get only what policy grants this container (runc and crun)" {
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "profiles": { "fuse": [ { "path": "/dev/fuse" } ] } }'
        for rt in runc crun; do
                # The issue's bundle: fuse, and every c 10 device for reading, with CAP_MKNOD.
                id=jd-dev-$rt
                plain_bundle "$id" sh -c 'rm -f /tmp/fuse; mknod /tmp/fuse c 10 229 && exec 3<>/tmp/fuse && rm /tmp/fuse && echo opened'
                grant "$id" CAP_MKNOD
                devrules "$id" '[ { allow: true, type: "c", major: 10, minor: 229, access: "rw" }, { allow: true, type: "c", major: 10, access: "r" } ]'
                run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/$id" "$id" </dev/null
                [ "$status" -eq 1 ]
                [ "$output" = "palisade-runtime: container $id: devices guard: linux.resources.devices[1]: \"c 10:229 rw\" is not granted to this container by policy $T/policy.json: grant it through a device profile (devices.profiles, annotation io.palisade.devices) or a CDI device, or list it in devices.spec_allow" ]
                # The whole major alone.
                spec "$id" 'del(.linux.resources.devices[1])'
                run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/$id" "$id" </dev/null
                [ "$status" -eq 1 ]
                [[ "$output" == *'linux.resources.devices[1]: "c 10:* r" is not granted to this container'* ]]
                # With the hook alone, createRuntime refuses it.
                make_bundle "$id-hook" true
                devrules "$id-hook" '[ { allow: true, type: "c", major: 1, access: "rw" } ]'
                run start_detached "$rt" "$id-hook"
                [ "$status" -ne 0 ]
                runtime_log "$id-hook" | grep -F "palisade-hook: container $id-hook: devices guard: linux.resources.devices[1]: \"c 1:* rw\" is not granted"
                # A node in linux.devices: the runtime allows it, so it is judged as c 10:229 rwm.
                plain_bundle "$id-node" true
                spec "$id-node" '.linux.devices = [ { path: "/dev/fuse", type: "c", major: 10, minor: 229 } ]'
                run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/$id-node" "$id-node" </dev/null
                [ "$status" -eq 1 ]
                [[ "$output" == *'devices guard: linux.devices[0]: "c 10:229 rwm" is not granted to this container'* ]]
                # Granted through its profile, the same rule is the container's.
                plain_bundle "$id-ok" sh -c 'rm -f /tmp/fuse; mknod /tmp/fuse c 10 229 && exec 3<>/tmp/fuse && rm /tmp/fuse && echo opened'
                grant "$id-ok" CAP_MKNOD
                annotate "$id-ok" io.palisade.devices fuse
                devrules "$id-ok" '[ { allow: true, type: "c", major: 10, minor: 229, access: "rw" } ]'
                run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/$id-ok" "$id-ok" </dev/null
                [ "$status" -eq 0 ]
                [ "$output" = opened ]
        done
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
}

@test "devices: the standard set clients write (containerd's, with mknod of any node) passes; devices.spec_allow is policy's" {
        std='[ { allow: true, type: "c", access: "m" }, { allow: true, type: "b", access: "m" },
               { allow: true, type: "c", major: 1, minor: 3, access: "rwm" }, { allow: true, type: "c", major: 1, minor: 8, access: "rwm" },
               { allow: true, type: "c", major: 1, minor: 7, access: "rwm" }, { allow: true, type: "c", major: 5, minor: 0, access: "rwm" },
               { allow: true, type: "c", major: 1, minor: 5, access: "rwm" }, { allow: true, type: "c", major: 1, minor: 9, access: "rwm" },
               { allow: true, type: "c", major: 5, minor: 1, access: "rwm" }, { allow: true, type: "c", major: 136, access: "rwm" },
               { allow: true, type: "c", major: 5, minor: 2, access: "rwm" } ]'
        plain_bundle jd-std sh -c 'echo x >/dev/null && head -c 1 /dev/zero | wc -c'
        devrules jd-std "$std"
        run env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/jd-std" jd-std </dev/null
        [ "$status" -eq 0 ]
        [ "$output" = 1 ]
        # An operator who wants no spec to carry even those says so.
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "spec_allow": [ "c *:* m", "b *:* m" ] }'
        plain_bundle jd-std2 true
        devrules jd-std2 "$std"
        run env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/jd-std2" jd-std2 </dev/null
        [ "$status" -eq 1 ]
        [[ "$output" == *'linux.resources.devices[3]: "c 1:3 rwm" is not granted to this container'* ]]
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
}
