# The device guard: a container gets exactly the devices its profiles grant,
# enforced by the runtime's cgroup device rules, even against root with
# CAP_MKNOD inside it.

load helpers

FUSE_PROFILE='"devices": { "profiles": { "fuse": [ { "path": "/dev/fuse" } ] } }'

setup_file() {
        palisade_setup_file
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, '"$FUSE_PROFILE"
        [ -c /dev/fuse ] || { echo "/dev/fuse is missing on this machine" >&2; return 1; }
        podman image exists localhost/palisade-busybox || tar -C "$T/rootfs" -c . | podman import -q - localhost/palisade-busybox >/dev/null
        mkdir -p "$T/hooks.d"
        sed "s|@BINDIR@|$BUILD|" "$ROOT/contrib/palisade-hook.json.in" |
                jq --arg env "PALISADE_CONFIG=$PALISADE_CONFIG" '.hook.env = [$env]' >"$T/hooks.d/palisade-hook.json"
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        for rt in runc crun; do
                for c in v1 v2 v3 v4 v5; do "$rt" delete -f "$c" >/dev/null 2>&1 || true; done
        done
        podman rm --ignore -f -t 0 pv1 >/dev/null 2>&1 || true
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, '"$FUSE_PROFILE"
}

# opens PATH: a shell line that reports whether the container can open the
# device node PATH (a missing node is refused too: <> would create a file).
# The open runs in a subshell: a failed redirection of exec ends a shell.
# A tun node made inside the container (mknod of any node is allowed; opening is what is judged).
MKTUN='mkdir -p /dev/net && mknod -m 666 /dev/net/tun c 10 200'

opens() {
        # The verdict alone: runc copies stdout and stderr through separate pipes, so a
        # shell's error message may come before or after it.
        echo "if [ -c $1 -o -b $1 ] && (exec 3<>$1) 2>/dev/null; then echo $1: opened; else echo $1: refused; fi"
}

shim_run() {  # shim_run RUNTIME NAME
        (cd "$T/$2" && PALISADE_RUNTIME=$1 "$SHIM" run "$2" <"$T/in" 2>&1)
}

@test "devices: through palisade-runtime a container granted /dev/fuse opens it, one not granted cannot (runc and crun)" {
        : >"$T/in"
        for rt in runc crun; do
                plain_bundle v1 sh -c "$(opens /dev/fuse)"
                annotate v1 io.palisade.devices fuse
                run shim_run "$rt" v1
                [ "$output" = "/dev/fuse: opened" ]

                plain_bundle v2 sh -c "$(opens /dev/fuse)"
                run shim_run "$rt" v2
                [ "$output" = "/dev/fuse: refused" ]
        done
        # The grant is in the spec: the node and the allow rule, after the spec's own rules.
        [ "$(jq -c '.linux.devices[] | select(.path == "/dev/fuse") | [.type, .major, .minor]' "$T/v1/config.json")" = '["c",10,229]' ]
        [ "$(jq -c '.linux.resources.devices[-1]' "$T/v1/config.json")" = '{"allow":true,"type":"c","major":10,"minor":229,"access":"rwm"}' ]
        [ "$(jq -c '.linux.resources.devices[0]' "$T/v1/config.json")" = '{"allow":false,"access":"rwm"}' ]
}

@test "devices: root with CAP_MKNOD can make nodes for devices it was not granted, but not open them" {
        : >"$T/in"
        for rt in runc crun; do
                plain_bundle v3 sh -c "rm -f /tmp/mem /tmp/loop /tmp/fuse; mknod /tmp/mem c 1 1 && mknod /tmp/loop b 7 0 && mknod /tmp/fuse c 10 229 && $(opens /tmp/mem); $(opens /tmp/loop); $(opens /tmp/fuse)"
                grant v3 CAP_MKNOD
                # mknod of any node allowed, as Docker and containerd allow it: opening is what counts.
                jq '.linux.resources.devices += [ { allow: true, type: "c", access: "m" }, { allow: true, type: "b", access: "m" } ]' \
                        "$T/v3/config.json" >"$T/v3/c" && mv "$T/v3/c" "$T/v3/config.json"
                annotate v3 io.palisade.devices fuse
                run shim_run "$rt" v3
                [ "$output" = "$(printf '/tmp/mem: refused\n/tmp/loop: refused\n/tmp/fuse: opened')" ]
        done
}

@test "devices: the cgroup v1 rule is in force and survives runc update" {
        : >"$T/in"
        plain_bundle v4 sleep 1000
        annotate v4 io.palisade.devices fuse
        (cd "$T/v4" && PALISADE_RUNTIME=runc "$SHIM" run -d v4 <"$T/in" >"$T/v4.log" 2>&1)
        pid=$(runc state v4 | jq -r .pid)
        cg=$(awk -F: '$2 == "devices" { print $3 }' "/proc/$pid/cgroup")
        grep -qx 'c 10:229 rwm' "/sys/fs/cgroup/devices$cg/devices.list"
        # The operator sees the grant.
        [ "$("$PALISADE" ps --json | jq -c '.[] | select(.id == "v4") | .devices')" = '["c 10:229 rwm /dev/fuse"]' ]
        [[ "$("$PALISADE" ps | grep '^v4 ')" =~ \ 1\ +20[0-9-]+\ [0-9:]+$ ]]
        runc update --memory 200M v4
        grep -qx 'c 10:229 rwm' "/sys/fs/cgroup/devices$cg/devices.list"
        run runc exec v4 sh -c "$(opens /dev/fuse)"
        [ "$output" = "/dev/fuse: opened" ]
}

@test "devices: Podman's precreate hook grants the device" {
        run podman --hooks-dir "$T/hooks.d" run --name pv1 --annotation io.palisade.devices=fuse \
                localhost/palisade-busybox sh -c "$(opens /dev/fuse)"
        [ "$status" -eq 0 ]
        [ "$output" = "/dev/fuse: opened" ]
}

@test "devices: broad and denied rules are refused; policy may allow broad access" {
        : >"$T/in"
        plain_bundle v5 true
        jq '.linux.resources.devices = [ { allow: true, access: "rwm" } ]' "$T/v5/config.json" >"$T/v5/c" && mv "$T/v5/c" "$T/v5/config.json"
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/v5" v5
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container v5: devices guard: linux.resources.devices[0]: \"a *:* rwm\" allows a whole class of devices, and policy $T/policy.json does not set devices.allow_broad; grant the devices it needs through a profile instead" ]
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "allow_broad": true }'
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/v5" v5 <"$T/in"
        [ "$status" -eq 0 ]

        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "profiles": { "fuse": [ { "path": "/dev/fuse" } ] }, "deny": ["c 10:229 rw"] }'
        plain_bundle v5 true
        annotate v5 io.palisade.devices fuse
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/v5" v5
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container v5: devices guard: devices.profiles.fuse[0] grants what policy $T/policy.json denies (devices.deny \"c 10:229 rw\")" ]
}

@test "devices: bad input is refused clearly and nothing starts" {
        plain_bundle v5 true
        annotate v5 io.palisade.devices "fuse,gpu0"
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/v5" v5
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container v5: devices guard: config.json: annotations[\"io.palisade.devices\"]: no device profile \"gpu0\" in policy $T/policy.json (devices.profiles)" ]

        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "profiles": { "host": [ { "path": "/etc/hostname" } ] } }'
        annotate v5 io.palisade.devices host
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/v5" v5
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container v5: devices guard: policy $T/policy.json: devices.profiles.host[0].path: /etc/hostname is not a device node" ]

        write_policy '"devices": { "profiles": { "big": [ { "rule": "c 4294967296:1 rwm" } ] } }'
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/v5" v5
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container v5: policy $T/policy.json: devices.profiles.big[0].rule: \"c 4294967296:1 rwm\": major 4294967296 is out of range [0, 4095]" ]

        write_policy '"devices": { "profiles": { "x": [ { "path": "/dev/fuse", "access": "rwx" } ] } }'
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/v5" v5
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container v5: policy $T/policy.json: devices.profiles.x[0].access: access \"rwx\": 'x' is not one of r, w, m" ]
        ! runc state v5 >/dev/null 2>&1 || false
}

@test "devices: with the hook alone (createRuntime) the grant goes through the cgroup and the node into the container" {
        : >"$T/in"
        make_bundle v5 sh -c "ls -l /dev/fuse; $(opens /dev/fuse)"
        annotate v5 io.palisade.devices fuse
        run sh -c "cd '$T/v5' && runc run v5 <'$T/in'"
        [ "$status" -eq 0 ]
        [[ "${lines[0]}" == "crw-------"*" 10, "*"229 "*"/dev/fuse" ]]
        [ "${lines[1]}" = "/dev/fuse: opened" ]
        [ "$(journal_lines v5 start | tail -1 | jq -c .container.devices)" = '["c 10:229 rwm /dev/fuse"]' ]
}

@test "devices: a symlink in the rootfs cannot lead the node onto the host" {
        : >"$T/in"
        mkdir -p "$T/hostdir" "$T/evilroot"
        cp -a "$T/rootfs/." "$T/evilroot/"
        # No /dev mount: the rootfs's own dev/ is what the hook walks, and dev/net points at the host.
        rm -rf "$T/evilroot/dev"
        mkdir -p "$T/evilroot/dev"
        ln -s "$T/hostdir" "$T/evilroot/dev/net"
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "profiles": { "tun": [ { "path": "/dev/net/tun" } ] } }'
        make_bundle v5 sh -c "$(opens /dev/net/tun)"
        jq --arg root "$T/evilroot" '.root.path = $root | .mounts |= map(select(.destination | startswith("/dev") | not))' \
                "$T/v5/config.json" >"$T/v5/c" && mv "$T/v5/c" "$T/v5/config.json"
        annotate v5 io.palisade.devices tun
        run sh -c "cd '$T/v5' && runc run v5 <'$T/in'"
        # Nothing was made on the host...
        [ -z "$(ls -A "$T/hostdir")" ]
        # ...because inside the root the link leads to <root>$T/hostdir, which is
        # missing, and palisade will not make a directory over a link: refused.
        [ "$status" -ne 0 ]
        grep -F "palisade-hook: container v5: devices guard: devices.profiles.tun[0]: /dev/net/tun in the container: directory /dev/net: File exists" <<<"${output//\\\"/\"}"
        [ ! -e "$T/evilroot$T/hostdir" ]
}

@test "devices: a deny rule takes away what the runtime allows by itself (runc's /dev/net/tun)" {
        : >"$T/in"
        # A node for tun the container makes itself (a linux.devices node is a request policy judges), without any
        # allow rule of the spec's own.
        plain_bundle v4 sh -c "$MKTUN; $(opens /dev/net/tun)"
        grant v4 CAP_MKNOD
        cp "$T/v4/config.json" "$T/v4.json"
        run sh -c "cd '$T/v4' && runc run v4 <'$T/in'"
        [ "$output" = "/dev/net/tun: opened" ]          # runc 1.1's default
        run sh -c "cd '$T/v4' && crun run v4 <'$T/in'"
        [[ "$output" == *"/dev/net/tun: refused" ]]     # crun has no such default

        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "deny": ["c 10:200 rwm"] }'
        cp "$T/v4.json" "$T/v4/config.json"
        run sh -c "cd '$T/v4' && PALISADE_RUNTIME=runc '$SHIM' run v4 <'$T/in'"
        [ "$output" = "/dev/net/tun: refused" ]
}

# cdi_policy: this file's policy, reading CDI specs from $T/cdi.
cdi_policy() {
        rm -rf "$T/cdi"
        mkdir -p "$T/cdi"
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "cdi_dirs": ["'"$T/cdi"'"] }'
}

@test "cdi: a CDI spec grants a device (and its env) to a runc container through the annotation" {
        cdi_policy
        cat >"$T/cdi/test.json" <<JSON
{ "cdiVersion": "0.6.0", "kind": "palisade.test/fuse",
  "devices": [ { "name": "fuse0", "containerEdits": {
        "deviceNodes": [ { "path": "/dev/fuse" } ],
        "env": [ "PALISADE_CDI=fuse0" ] } } ] }
JSON
        : >"$T/in"
        plain_bundle v1 sh -c "echo \$PALISADE_CDI; $(opens /dev/fuse)"
        annotate v1 cdi.k8s.io/test palisade.test/fuse=fuse0
        run shim_run runc v1
        [ "${lines[0]}" = fuse0 ]
        [ "${lines[1]}" = "/dev/fuse: opened" ]

        # The hook alone can grant the node (through the cgroup), not the env:
        # a spec with node edits only works there.
        jq '.devices[0].containerEdits |= del(.env)' "$T/cdi/test.json" >"$T/cdi/t" && mv "$T/cdi/t" "$T/cdi/test.json"
        make_bundle v2 sh -c "$(opens /dev/fuse)"
        annotate v2 cdi.k8s.io/test palisade.test/fuse=fuse0
        run sh -c "cd '$T/v2' && runc run v2 <'$T/in'"
        [ "$output" = "/dev/fuse: opened" ]
}

@test "cdi: strict parsing, conflicts and unknown devices are refused clearly" {
        cdi_policy
        plain_bundle v5 true
        annotate v5 cdi.k8s.io/test palisade.test/fuse=fuse0
        echo '{ "cdiVersion": "0.6.0", "kind": "palisade.test/fuse", "devices": [ { "name": "fuse0", "containerEdits": { "deviceNodes": [ { "path": "/dev/fuse", "colour": "red" } ] } } ] }' >"$T/cdi/a.json"
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/v5" v5
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container v5: devices guard: CDI spec $T/cdi/a.json: devices[0].containerEdits.deviceNodes[0].colour: unknown key" ]

        echo '{ "cdiVersion": "0.4.0", "kind": "palisade.test/fuse", "devices": [ { "name": "fuse0", "containerEdits": { "deviceNodes": [ { "path": "/dev/fuse", "hostPath": "/dev/fuse" } ] } } ] }' >"$T/cdi/a.json"
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/v5" v5
        [ "$output" = "palisade-runtime: container v5: devices guard: CDI spec $T/cdi/a.json: devices[0].containerEdits.deviceNodes[0]: needs cdiVersion 0.5.0 or later (the spec says 0.4.0)" ]

        echo '{ "cdiVersion": "0.6.0", "kind": "palisade.test/fuse", "devices": [ { "name": "fuse0", "containerEdits": { "deviceNodes": [ { "path": "/dev/fuse" } ] } } ] }' >"$T/cdi/a.json"
        cp "$T/cdi/a.json" "$T/cdi/b.json"
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/v5" v5
        [ "$output" = "palisade-runtime: container v5: devices guard: CDI device palisade.test/fuse=fuse0 is defined by both $T/cdi/a.json and $T/cdi/b.json (same priority): remove one" ]

        rm "$T/cdi/a.json" "$T/cdi/b.json"
        echo 'cdiVersion: 0.6.0' >"$T/cdi/vendor.yaml"
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/v5" v5
        [ "$output" = "palisade-runtime: container v5: devices guard: config.json: annotations[\"cdi.k8s.io/test\"]: no CDI spec in the policy's devices.cdi_dirs defines palisade.test/fuse=fuse0 (palisade reads JSON specs only, and found $T/cdi/vendor.yaml: generate JSON, e.g. nvidia-ctk cdi generate --format=json)" ]

        annotate v5 cdi.k8s.io/test not-a-cdi-name
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/v5" v5
        [ "$output" = "palisade-runtime: container v5: devices guard: config.json: annotations[\"cdi.k8s.io/test\"]: \"not-a-cdi-name\" is not a CDI device name (vendor.com/class=name)" ]
        ! runc state v5 >/dev/null 2>&1 || false
}

@test "devices: on cgroup v2 the hook replaces the container's device program with exactly the rules" {
        : >"$T/in"
        # This machine is hybrid: v1 rules are runc's, and policy devices.cgroup v2
        # makes the hook enforce through the v2 program as on a v2-only host.
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "cgroup": "v2", "deny": ["c 10:200 rwm"], "profiles": { "fuse": [ { "path": "/dev/fuse" } ] } }'
        plain_bundle v4 sh -c "$MKTUN; $(opens /dev/net/tun); $(opens /dev/null); $(opens /dev/zero); $(opens /dev/fuse); sleep 1000"
        grant v4 CAP_MKNOD
        annotate v4 io.palisade.devices fuse
        (cd "$T/v4" && PALISADE_RUNTIME=runc "$SHIM" run -d v4 <"$T/in" >"$T/v4.out" 2>&1)
        for _ in $(seq 50); do [ "$(wc -l <"$T/v4.out")" -ge 4 ] && break; sleep 0.1; done
        run cat "$T/v4.out"
        [[ "$output" == *"/dev/net/tun: refused"* ]]    # denied, though runc's v1 rules allow it
        [[ "$output" == *"/dev/null: opened"* ]]        # the runtime's defaults stay
        [[ "$output" == *"/dev/zero: opened"* ]]
        [[ "$output" == *"/dev/fuse: opened"* ]]        # the grant
}
