# Hostile bundles (the container's owner is the attacker): each is refused
# with palisade's message, nothing starts, and no host file changes.

load helpers

setup_file() {
        palisade_setup_file
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "profiles": { "fuse": [ { "path": "/dev/fuse" } ] } }'
        mkdir -p "$T/canary"
        echo "do not touch" >"$T/canary/file"
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        for c in h0 h1; do runc delete -f "$c" >/dev/null 2>&1 || true; done
}

# What must not change on the host, whatever a bundle says: account files,
# the nodes palisade could make or open, what /dev holds at its top level
# (/dev/pts and /dev/shm change with every terminal and are left out), and a
# canary directory.
host_state() {
        sha256sum /etc/passwd /etc/shadow /etc/group /etc/hostname "$T/canary/file"
        stat -c '%n %F %a %u:%g %t:%T' /dev/fuse /dev/null /dev/zero /dev/net /dev/net/tun
        find /dev -maxdepth 1 -printf '%p %y %m %U:%G\n' | sort | sha256sum
        find "$T/canary" -printf '%p %y %m\n' | sort | sha256sum
}

# hostile EXPECTED-LINE JQ-EDIT: a bundle edited by JQ-EDIT, created through the shim.
hostile() {
        local want=$1 edit=$2 before
        plain_bundle h1 true
        jq "$edit" "$T/h1/config.json" >"$T/h1/c" && mv "$T/h1/c" "$T/h1/config.json"
        before=$(host_state)
        # Output to a file: were it not refused, the container would hold a pipe open.
        status=0
        PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/h1" h1 </dev/null >"$T/h1.out" 2>&1 || status=$?
        output=$(cat "$T/h1.out")
        runc delete -f h1 >/dev/null 2>&1 || true
        [ "$status" -eq 1 ] || { echo "status $status: $output" >&2; return 1; }
        [ "$output" = "$want" ] || { printf 'got:  %s\nwant: %s\n' "$output" "$want" >&2; return 1; }
        [ "$(host_state)" = "$before" ]
}

@test "hostile: a duplicate key that would show palisade one value and runc another" {
        plain_bundle h1 true
        # jq cannot write a duplicate: splice one in by hand.
        sed -i '0,/"root": {/s//"root": { "path": "\/",/' "$T/h1/config.json"
        before=$(host_state)
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/h1" h1 </dev/null
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container h1: config.json: root.path: duplicate key (runc and Podman would use the last one, palisade refuses to guess)" ]
        [ "$(host_state)" = "$before" ]
}

@test "hostile: huge arrays, numbers out of range, NUL in a string" {
        hostile "palisade-runtime: container h1: config.json: process.args[65536]: more than 65536 members" \
                '.process.args = [range(70000) | "x"]'
        hostile "palisade-runtime: container h1: config.json: process.user.uid: 4294967296 is out of range [0, 4294967295]" \
                '.process.user.uid = 4294967296'
        hostile "palisade-runtime: container h1: config.json: process.cwd: string contains a NUL character" \
                '.process.cwd = "/\u0000/etc"'
        hostile "palisade-runtime: container h1: config.json: linux.uidMappings[0].hostID: -1 is out of range [0, 4294967295]" \
                '.linux.uidMappings = [ { containerID: 0, hostID: -1, size: 1 } ]'
}

@test "hostile: devices and capabilities policy does not permit" {
        hostile "palisade-runtime: container h1: devices guard: annotations[\"io.palisade.devices\"]: no device profile \"disk\" in policy $T/policy.json (devices.profiles)" \
                '.annotations["io.palisade.devices"] = "disk"'
        hostile "palisade-runtime: container h1: devices guard: linux.resources.devices[1]: \"c *:* rw\" allows a whole class of devices, and policy $T/policy.json does not set devices.allow_broad; grant the devices it needs through a profile instead" \
                '.linux.resources.devices += [ { allow: true, type: "c", access: "rw" } ]'
        hostile "palisade-runtime: container h1: caps guard: annotations[\"io.palisade.caps.add\"]: CAP_SYS_MODULE, CAP_SYS_ADMIN may not be added to a container without a user namespace (policy $T/policy.json, caps.add.privileged)" \
                '.annotations["io.palisade.caps.add"] = "sys_module,sys_admin"'
}

@test "hostile: the audit ID of another live container" {
        : >"$T/in"
        make_bundle h0
        annotate h0 io.palisade.audit-id 5e1f0c2a-1b2c-4d3e-8f4a-5b6c7d8e9f00
        start_detached runc h0
        # Leases are taken at createRuntime, which refuses it.
        make_bundle h1 true
        annotate h1 io.palisade.audit-id 5E1F0C2A-1B2C-4D3E-8F4A-5B6C7D8E9F00
        before=$(host_state)
        run sh -c "cd '$T/h1' && runc run h1 <'$T/in'"
        [ "$status" -ne 0 ]
        sed 's/\\"/"/g' <<<"$output" | grep -F "palisade-hook: container h1: audit guard: audit-id 5e1f0c2a-1b2c-4d3e-8f4a-5b6c7d8e9f00 is held by live container h0"
        [ "$(host_state)" = "$before" ]
        [ "$("$PALISADE" audit-id --container h0)" = 5e1f0c2a-1b2c-4d3e-8f4a-5b6c7d8e9f00 ]
}

@test "hostile: a rootfs that is the host's root, directly or through a symlink" {
        : >"$T/in"
        ln -sfn / "$T/hostroot"
        for root in / "$T/hostroot"; do
                make_bundle h1 true
                annotate h1 io.palisade.devices fuse
                # No mounts: runc would otherwise refuse it before the hooks, mounting onto the host's /sys.
                jq --arg root "$root" '.root.path = $root | .root.readonly = true | .mounts = []' "$T/h1/config.json" >"$T/h1/c"
                mv "$T/h1/c" "$T/h1/config.json"
                host_state >"$T/before"
                run sh -c "cd '$T/h1' && runc run h1 <'$T/in'"
                host_state >"$T/after"
                runc delete -f h1 >/dev/null 2>&1 || true
                [ "$status" -ne 0 ]
                if [ "$root" = / ]; then
                        # palisade will not make a node in the host's /dev.
                        sed 's/\\"/"/g' <<<"$output" | grep -F "palisade-hook: container h1: devices guard: devices.profiles.fuse[0]: /dev/fuse in the container: the rootfs is the host's root: Operation not permitted"
                else
                        # runc refuses a symlinked rootfs itself, before any hook.
                        grep -F "invalid rootfs: not an absolute path, or a symlink" <<<"$output"
                fi
                diff "$T/before" "$T/after"
        done
        # palisade check names a root that is the host's.
        jq '.root.path = "/"' "$T/h1/config.json" >"$T/h1/c" && mv "$T/h1/c" "$T/h1/config.json"
        run "$PALISADE" check --json "$T/h1"
        [ "$(jq -c '[.[] | select(.path == "root.path") | .severity]' <<<"$output")" = '["critical"]' ]
}
