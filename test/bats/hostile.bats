# Hostile bundles (the container's owner is the attacker): each is refused
# with palisade's message, nothing starts, and no host file changes.

load helpers

# The file's policy: device profiles that make nodes under /dev, in
# /dev/net and outside /dev (etcfuse), so that a symlink planted in a rootfs
# has something to lead astray. A test with a policy of its own passes
# EXTRA members; teardown puts this one back.
base_policy() {
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "profiles": {
                "fuse": [ { "path": "/dev/fuse" } ], "tun": [ { "path": "/dev/net/tun" } ],
                "etcfuse": [ { "path": "/dev/fuse", "container_path": "/etc/fuse" } ] } }'"${1:+, $1}"
}

setup_file() {
        palisade_setup_file
        base_policy
        mkdir -p "$T/canary"
        echo "do not touch" >"$T/canary/file"
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        for c in h0 h1 h2; do
                runc delete -f "$c" >/dev/null 2>&1 || true
                crun delete -f "$c" >/dev/null 2>&1 || true
        done
        base_policy
}

# What must not change on the host, whatever a bundle says: what
# test/host-state.sh watches (/dev at its top level and its common nodes,
# account files, palisade's mounts: this file's, as other suites may run
# alongside), and here also /etc/hostname, /dev/net/tun and a canary directory.
host_state() {
        "$ROOT/test/host-state.sh" dev accounts
        "$ROOT/test/host-state.sh" mounts | grep -F -e "$T" -e "$STATE" || true
        sha256sum /etc/hostname "$T/canary/file"
        stat -c '%n %F %a %u:%g %t:%T' /dev/net/tun
        find "$T/canary" -printf '%p %y %m\n' | sort | sha256sum
}

# in_private_dev CMD...: CMD in a mount namespace of its own whose /dev is a
# throwaway tmpfs holding fresh nodes like the host's (the few the runtimes and
# the file's profiles need), for rows where a runtime writes through the
# rootfs into "/dev" before any hook runs: runc and crun make their links
# (ptmx, core, fd...) and nodes there, which on the host would replace
# /dev/ptmx. Lists that /dev before and after CMD in $T/privdev.before and
# $T/privdev.after. The runtimes' state (/run/runc, /run/crun) and cgroups
# are the host's: outside what the namespace changes, and cleaned up by the
# row as ever.
in_private_dev() {
        local nodes=(null zero full random urandom tty fuse net/tun)
        # The nodes' types and numbers, read before the tmpfs hides them (one
        # the host lacks is left out: the rows that need it fail on their own).
        local spec n
        spec=$(for n in "${nodes[@]}"; do stat -c "$n %F %a %t %T" "/dev/$n" 2>/dev/null || true; done)
        # shellcheck disable=SC2016 # the script expands its own arguments and $T
        unshare -m --propagation private bash -c '
                set -e
                mount -t tmpfs -o mode=755,nosuid palisade-privdev /dev
                mkdir /dev/net /dev/pts /dev/shm
                while read -r n type mode maj min; do
                        case $type in character) t=c ;; block) t=b ;; *) exit 3 ;; esac
                        mknod -m "$mode" "/dev/$n" "$t" "$((16#$maj))" "$((16#$min))"
                done <<<"$1"
                ln -s /proc/self/fd /dev/fd
                listing() { find /dev -printf "%p %y %m %U:%G\n" | sort; }
                listing >"$T/privdev.before"
                shift
                rc=0
                "$@" || rc=$?
                listing >"$T/privdev.after"
                exit "$rc"' in_private_dev "${spec//special file/}" "$@"
}

# privdev_untouched: palisade's nodes in the throwaway /dev are as they were
# (the runtime's own additions there are listed on stderr, for the record).
privdev_untouched() {
        diff "$T/privdev.before" "$T/privdev.after" | sed -n 's/^> /runtime made in its private \/dev: /p' >&2
        diff <(grep -E '^/dev/(fuse|net)' "$T/privdev.before") <(grep -E '^/dev/(fuse|net)' "$T/privdev.after")
}

# hostile EXPECTED-LINE JQ-EDIT: a bundle edited by JQ-EDIT, created through
# the shim with runc (RT=crun hostile ...: with crun).
hostile() {
        local want=$1 edit=$2 rt=${RT:-runc} before
        plain_bundle h1 true
        jq "$edit" "$T/h1/config.json" >"$T/h1/c" && mv "$T/h1/c" "$T/h1/config.json"
        before=$(host_state)
        # Output to a file: were it not refused, the container would hold a pipe open.
        status=0
        PALISADE_RUNTIME=$rt "$SHIM" create --bundle "$T/h1" h1 </dev/null >"$T/h1.out" 2>&1 || status=$?
        output=$(cat "$T/h1.out")
        "$rt" delete -f h1 >/dev/null 2>&1 || true
        [ "$status" -eq 1 ] || { echo "$rt: status $status: $output" >&2; return 1; }
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
        hostile "palisade-runtime: container h1: devices guard: config.json: annotations[\"io.palisade.devices\"]: no device profile \"disk\" in policy $T/policy.json (devices.profiles)" \
                '.annotations["io.palisade.devices"] = "disk"'
        hostile "palisade-runtime: container h1: devices guard: linux.resources.devices[1]: \"c *:* rw\" allows a whole class of devices, and policy $T/policy.json does not set devices.allow_broad; grant the devices it needs through a profile instead" \
                '.linux.resources.devices += [ { allow: true, type: "c", access: "rw" } ]'
        hostile "palisade-runtime: container h1: caps guard: config.json: annotations[\"io.palisade.caps.add\"]: CAP_SYS_MODULE, CAP_SYS_ADMIN may not be added to a container without a user namespace (policy $T/policy.json, caps.add.privileged)" \
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
        grep -F "palisade-hook: container h1: audit guard: audit-id 5e1f0c2a-1b2c-4d3e-8f4a-5b6c7d8e9f00 is held by live container h0" <<<"${output//\\\"/\"}"
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
                # runc makes its /dev links and nodes in the root's /dev (here "/dev") before any
                # hook: with a private one, as palisade cannot stop it.
                status=0
                (cd "$T/h1" && in_private_dev runc run h1 <"$T/in" >"$T/h1.log" 2>&1) || status=$?
                output=$(cat "$T/h1.log")
                host_state >"$T/after"
                runc delete -f h1 >/dev/null 2>&1 || true
                [ "$status" -ne 0 ]
                privdev_untouched
                if [ "$root" = / ]; then
                        # palisade will not make a node in the host's /dev.
                        grep -F "palisade-hook: container h1: devices guard: devices.profiles.fuse[0]: /dev/fuse in the container: the rootfs is the host's root: Operation not permitted" <<<"${output//\\\"/\"}"
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

# --- Deep nesting: refused at depth 64 by the one JSON reader, whichever door.

# nested DEPTH OPEN CLOSE KEYPART: jq program setting .x to DEPTH levels of
# arrays ("[" "]") or objects ({"a": ...}); keypart is how one level reads in
# the key path of the message (the reader stops at level 64: 63 under x).
nesting_key() {
        local part=$1 key=x
        for _ in $(seq 63); do key+=$part; done
        echo "$key"
}

# nested_via_shim DEPTH JQ-LEVEL KEYPART
nested_via_shim() {
        local key
        key=$(nesting_key "$3")
        hostile "palisade-runtime: container h1: config.json: $key: nested deeper than 64 levels" \
                ".x = (reduce range($1) as \$i (0; $2))"
}

# nested_via_hook RUNTIME: runc and crun take a config.json nested 100 deep
# (Go allows 10000; crun has no limit); palisade-hook at createRuntime refuses it.
nested_via_hook() {
        local rt=$1 before
        make_bundle h2 true
        jq '.x = (reduce range(100) as $i (0; [.]))' "$T/h2/config.json" >"$T/h2/c" && mv "$T/h2/c" "$T/h2/config.json"
        rm -f "$T/h2.hook.log"
        before=$(host_state)
        status=0
        (cd "$T/h2" && "$rt" run h2 <"$T/in" >"$T/h2.log" 2>&1) || status=$?
        "$rt" delete -f h2 >/dev/null 2>&1 || true
        [ "$status" -ne 0 ]
        runtime_log h2 | grep -F "palisade-hook: container h2: config.json: $(nesting_key '[0]'): nested deeper than 64 levels"
        [ "$(host_state)" = "$before" ]
        # Nothing registered.
        [ "$("$PALISADE" ps --json | jq '[.[] | select(.id == "h2")] | length')" = 0 ]
}

@test "hostile: config.json nested too deep, through the shim, precreate and createRuntime" {
        : >"$T/in"
        nested_via_shim 100 '[.]' '[0]'
        nested_via_shim 64 '[.]' '[0]'
        nested_via_shim 5000 '{a: .}' '.a'
        nested_via_shim 100000 '[.]' '[0]'
        RT=crun nested_via_shim 100 '[.]' '[0]'
        # Podman's door: the proposed config on stdin.
        plain_bundle h1 true
        jq '.x = (reduce range(100) as $i (0; [.]))' "$T/h1/config.json" >"$T/nested.json"
        run "$HOOK" precreate <"$T/nested.json"
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-hook: precreate: config.json on stdin: $(nesting_key '[0]'): nested deeper than 64 levels" ]
        nested_via_hook runc
        nested_via_hook crun
}

# --- Paths inside the container that escape or are relative: refused before any runtime sees them.

# escaping_mount DESTINATION WRITE-INSTEAD REASON: an 8th mount (runc spec has 7) at DESTINATION.
escaping_mount() {
        local rt
        for rt in runc crun; do
                RT=$rt hostile "palisade-runtime: container h1: config.json: mounts[7].destination: \"$1\" $3; write the path inside the container $4 (\"$2\")" \
                        ".mounts += [ { destination: \"$1\", type: \"tmpfs\", source: \"tmpfs\" } ]"
        done
}

# escaping_device PATH WRITE-INSTEAD REASON
escaping_device() {
        local rt
        for rt in runc crun; do
                RT=$rt hostile "palisade-runtime: container h1: config.json: linux.devices[0].path: \"$1\" $3; write the path inside the container $4 (\"$2\")" \
                        ".linux.devices = [ { path: \"$1\", type: \"c\", major: 1, minor: 3 } ]"
        done
}

DOTDOT='goes through ".."'
RELATIVE='is not an absolute path'

@test "hostile: mount destinations and device paths through .. or relative" {
        #                  path                     what to write     why          how
        escaping_mount     /../../etc               /etc              "$DOTDOT"    "without it"
        escaping_mount     /proc/../../sys          /sys              "$DOTDOT"    "without it"
        escaping_mount     /dev/..                  /                 "$DOTDOT"    "without it"
        escaping_mount     ../x                     /x                "$RELATIVE"  "from its root"
        escaping_mount     etc                      /etc              "$RELATIVE"  "from its root"
        escaping_device    /dev/../etc/passwd       /etc/passwd       "$DOTDOT"    "without it"
        escaping_device    /../../dev/sda           /dev/sda          "$DOTDOT"    "without it"
        escaping_device    dev/fuse                 /dev/fuse         "$RELATIVE"  "from its root"
        escaping_device    ../../dev/sda            /dev/sda          "$RELATIVE"  "from its root"
        # The hook refuses it as well (a bundle that never went through the shim).
        : >"$T/in"
        make_bundle h2 true
        jq '.mounts += [ { destination: "/../../etc", type: "tmpfs", source: "tmpfs" } ]' "$T/h2/config.json" >"$T/h2/c"
        mv "$T/h2/c" "$T/h2/config.json"
        run sh -c "cd '$T/h2' && runc run h2 <'$T/in'"
        [ "$status" -ne 0 ]
        grep -F "palisade-hook: container h2: config.json: mounts[7].destination: \"/../../etc\" $DOTDOT; write the path inside the container without it (\"/etc\")" <<<"${output//\\\"/\"}"
}

@test "hostile: a device path outside /dev is made inside the rootfs, never on the host" {
        local rt
        for rt in runc crun; do
                rm -rf "${T:?}/own"
                cp -a "$T/rootfs" "$T/own"
                plain_bundle h1 true
                jq --arg root "$T/own" '.root.path = $root | .linux.devices = [ { path: "/etc/x", type: "c", major: 1, minor: 3 } ]' \
                        "$T/h1/config.json" >"$T/h1/c" && mv "$T/h1/c" "$T/h1/config.json"
                host_state >"$T/before"
                PALISADE_RUNTIME=$rt "$SHIM" create --bundle "$T/h1" h1 </dev/null >"$T/h1.out" 2>&1
                "$rt" delete -f h1 >/dev/null 2>&1
                [ "$(stat -c '%F %t:%T' "$T/own/etc/x")" = "character special file 1:3" ]
                [ ! -e /etc/x ]
                host_state | diff "$T/before" -
        done
}

# --- Symlinks in the rootfs that point at host files.

# planted MODE RUNTIME PROFILE SETUP WANT: a private rootfs prepared by SETUP
# (run inside it), the container granted PROFILE, run through the shim (MODE
# shim: the runtime makes the node) or with the hook alone (MODE hook:
# palisade makes it at createRuntime, from inside the container's mount
# namespace). WANT is "runs" or a line the runtime's or palisade's output must
# hold. The host's files never change. The /dev mounts are dropped (KEEPDEV=1
# keeps them), so the node lands in the rootfs's own /dev. It runs with a
# private /dev (in_private_dev): a rootfs whose dev leads to "/dev" has the
# runtime write there before any hook.
planted() {
        local mode=$1 rt=$2 prof=$3 setup=$4 want=$5 keep=${KEEPDEV:-0}
        rm -rf "${T:?}/evil"
        cp -a "$T/rootfs" "$T/evil"
        (cd "$T/evil" && eval "$setup")
        if [ "$mode" = shim ]; then plain_bundle h1 true; else make_bundle h1 true; fi
        annotate h1 io.palisade.devices "$prof"
        jq --arg root "$T/evil" --argjson keep "$keep" '.root.path = $root
                | if $keep == 1 then . else .mounts |= map(select(.destination | startswith("/dev") | not)) end' \
                "$T/h1/config.json" >"$T/h1/c" && mv "$T/h1/c" "$T/h1/config.json"
        rm -f "$T/h1.hook.log"
        host_state >"$T/before"
        local run=("$rt" run h1)
        [ "$mode" = hook ] || run=(env PALISADE_RUNTIME="$rt" "$SHIM" run h1)
        status=0
        (cd "$T/h1" && in_private_dev "${run[@]}" <"$T/in" >"$T/h1.log" 2>&1) || status=$?
        output=$(runtime_log h1)
        "$rt" delete -f h1 >/dev/null 2>&1 || true
        host_state | diff "$T/before" - || { echo "$mode $rt $prof: the host changed" >&2; return 1; }
        privdev_untouched || { echo "$mode $rt $prof: palisade changed its nodes in the private /dev" >&2; return 1; }
        [ ! -e /etc/fuse ] || { echo "$mode $rt: /etc/fuse made on the host" >&2; return 1; }
        if [ "$want" = runs ]; then
                [ "$status" -eq 0 ] || { echo "$mode $rt: status $status: $output" >&2; return 1; }
        elif [[ $want == palisade-runtime:* ]]; then
                # Refused by palisade before the runtime ran: its one line, and nothing else.
                { [ "$status" -eq 1 ] && [ "$output" = "$want" ]; } ||
                        { printf '%s %s: status %s\ngot:  %s\nwant: %s\n' "$mode" "$rt" "$status" "$output" "$want" >&2; return 1; }
        else
                [ "$status" -ne 0 ] || { echo "$mode $rt: not refused" >&2; return 1; }
                grep -F -- "$want" <<<"$output" || { printf '%s %s: got: %s\nwant: %s\n' "$mode" "$rt" "$output" "$want" >&2; return 1; }
        fi
}

# devlink_refused ROOTFS TARGET OUT|IN: the check guard's line for a rootfs whose dev is a link to TARGET.
devlink_refused() {
        local why="runc and crun would create device nodes and links where it leads, outside the rootfs, before any hook runs"
        [ "$3" = OUT ] || why="runc and crun follow it on the host to create device nodes and links, before any hook runs: changed to lead outside the rootfs, it takes them there"
        echo "container h1: check guard: root.path: $1/dev is a symbolic link (to \"$2\"); $why; make dev a directory"
}

@test "hostile: rootfs/dev is a link to the host's /dev" {
        : >"$T/in"
        local link='rm -rf dev && ln -s /dev dev' loop="$T/evil//dev/null: too many levels of symbolic links" refused
        refused="palisade-runtime: $(devlink_refused "$T/evil" /dev OUT)"
        # Through the shim palisade refuses it before the runtime, whatever check.refuse_at says.
        planted shim runc fuse "$link" "$refused"
        planted shim crun fuse "$link" "$refused"
        KEEPDEV=1 planted shim runc fuse "$link" "$refused"
        KEEPDEV=1 planted shim crun fuse "$link" "$refused"
        # With the hook alone the runtime goes first. Inside the root, /dev leads to itself: a
        # loop that each refuses, runc before any hook, crun at palisade's devices guard.
        planted hook runc fuse "$link" "error creating device nodes: SecureJoin $loop"
        planted hook crun fuse "$link" "palisade-hook: container h1: devices guard: devices.profiles.fuse[0]: /dev/fuse in the container: directory /dev: Too many levels of symbolic links"
}

@test "hostile: rootfs/dev is a relative link climbing out to a host directory" {
        : >"$T/in"
        local climb="../../../../../../..$T/hostdir" link refused rt
        link="rm -rf dev && ln -s $climb dev"
        refused="$(devlink_refused "$T/evil" "$climb" OUT)"
        # Followed on the host it is $T/hostdir; inside the root, $T/evil$T/hostdir. runc 1.1.5
        # (its /dev/fd, stdin... links) and crun 1.8.1 (its nodes) write through it onto the host
        # before any hook. Through the shim palisade refuses it before the runtime runs: nothing
        # is made, on the host or in the root.
        for rt in runc crun; do
                rm -rf "${T:?}/hostdir" && mkdir "$T/hostdir"
                planted shim $rt fuse "$link" "palisade-runtime: $refused"
                [ -z "$(ls -A "$T/hostdir")" ] || { echo "shim $rt: made on the host: $(ls -A "$T/hostdir")" >&2; return 1; }
                [ ! -e "$T/evil$T/hostdir" ]
        done
        # palisade check names it, critical, with the key.
        run "$PALISADE" check --json "$T/h1"
        [ "$status" -eq 4 ]
        [ "$(jq -c '[.[] | select(.path == "root.path") | [.severity, .finding]]' <<<"$output")" = \
          "$(jq -cn --arg f "$T/evil/dev is a symbolic link (to \"$climb\")" '[["critical", $f]]')" ]
        # Podman's door: precreate carries the refusal to createRuntime.
        run "$HOOK" precreate <"$T/h1/config.json"
        [ "$status" -eq 0 ]
        [ "$(jq -r '.annotations["io.palisade.refused"]' <<<"$output")" = "${refused#container h1: }" ]
        # With the hook alone the runtime goes first, and writes onto the host (its bug, not
        # palisade's): this row holds palisade to its own part. runc made the directory inside the
        # root for its own nodes; palisade's devices guard makes fuse there, never on the host,
        # and then its check guard refuses the container.
        rm -rf "${T:?}/hostdir" && mkdir "$T/hostdir"
        planted hook runc fuse "$link" "palisade-hook: $refused"
        [ -c "$T/evil$T/hostdir/fuse" ]
        [ ! -e "$T/hostdir/fuse" ]
        # crun did not: inside the root /dev leads to a missing directory, which palisade will not
        # make over a link (the devices guard's refusal comes first).
        rm -rf "${T:?}/hostdir" && mkdir "$T/hostdir"
        planted hook crun fuse "$link" \
                "palisade-hook: container h1: devices guard: devices.profiles.fuse[0]: /dev/fuse in the container: directory /dev: File exists"
        [ ! -e "$T/hostdir/fuse" ]
        [ ! -e "$T/evil$T/hostdir/fuse" ]
}

@test "hostile: rootfs/dev is a link inside the rootfs" {
        : >"$T/in"
        local link='mv dev mydev && ln -s mydev dev' refused
        refused="palisade-runtime: $(devlink_refused "$T/evil" mydev IN)"
        # It stays inside today, but the runtimes follow it on the host: refused all the same.
        planted shim runc fuse "$link" "$refused"
        planted shim crun fuse "$link" "$refused"
        run "$PALISADE" check --json "$T/h1"
        [ "$status" -eq 4 ]
        [ "$(jq -c '[.[] | select(.path == "root.path") | .severity]' <<<"$output")" = '["critical"]' ]
        # A directory there is fine (the usual rootfs): it runs.
        planted shim runc fuse 'true' runs
        run "$PALISADE" check --json "$T/h1"
        [ "$(jq -c '[.[] | select(.path == "root.path")]' <<<"$output")" = '[]' ]
}

@test "hostile: rootfs/dev/fuse is a link to the host's /etc/passwd" {
        : >"$T/in"
        local link='ln -s /etc/passwd dev/fuse'
        # The runtimes keep what is there (a link is not replaced, nor followed): it starts, and
        # its /dev/fuse is still a link to its own /etc/passwd.
        planted shim runc fuse "$link" runs
        [ "$(readlink "$T/evil/dev/fuse")" = /etc/passwd ]
        [ "$(sha256sum <"$T/evil/etc/passwd")" = "$(sha256sum <"$T/rootfs/etc/passwd")" ]
        planted shim crun fuse "$link" runs
        [ "$(readlink "$T/evil/dev/fuse")" = /etc/passwd ]
        # palisade makes no node over it, and does not chown what it leads to.
        planted hook runc fuse "$link" "palisade-hook: container h1: devices guard: devices.profiles.fuse[0]: /dev/fuse in the container: mknod: File exists"
        planted hook crun fuse "$link" "palisade-hook: container h1: devices guard: devices.profiles.fuse[0]: /dev/fuse in the container: mknod: File exists"
        [ "$(readlink "$T/evil/dev/fuse")" = /etc/passwd ]
        [ "$(stat -c %u:%g "$T/evil/etc/passwd")" = "$(stat -c %u:%g "$T/rootfs/etc/passwd")" ]
}

@test "hostile: rootfs/dev/net is a link to /proc/self, or through a magic link to the host's root" {
        : >"$T/in"
        local link='ln -s /proc/self dev/net'
        # Inside the root that is the container's procfs, where no node can be made.
        planted shim runc tun "$link" "error creating device nodes: mknod $T/evil/proc/1/tun: no such file or directory"
        planted shim crun tun "$link" "mknod \`/dev/net/tun\`: No such file or directory"
        planted hook runc tun "$link" "palisade-hook: container h1: devices guard: devices.profiles.tun[0]: /dev/net/tun in the container: directory /dev/net: File exists"
        planted hook crun tun "$link" "palisade-hook: container h1: devices guard: devices.profiles.tun[0]: /dev/net/tun in the container: directory /dev/net: File exists"
        # /proc/1/root is the container's init's root, the host's until pivot_root: a magic link
        # that openat2(RESOLVE_NO_MAGICLINKS) will not follow.
        link='ln -s /proc/1/root/dev/net dev/net'
        planted hook runc tun "$link" "palisade-hook: container h1: devices guard: devices.profiles.tun[0]: /dev/net/tun in the container: directory /dev/net: Too many levels of symbolic links"
        planted hook crun tun "$link" "palisade-hook: container h1: devices guard: devices.profiles.tun[0]: /dev/net/tun in the container: directory /dev/net: Too many levels of symbolic links"
}

@test "hostile: rootfs/etc is a link to the host's /etc, with a grant made there" {
        : >"$T/in"
        local link='rm -rf etc && ln -s /etc etc'
        planted shim runc etcfuse "$link" "error creating device nodes: SecureJoin $T/evil//etc/fuse: too many levels of symbolic links"
        planted shim crun etcfuse "$link" "openat2 \`etc\`: Too many levels of symbolic links"
        planted hook runc etcfuse "$link" "palisade-hook: container h1: devices guard: devices.profiles.etcfuse[0]: /etc/fuse in the container: directory /etc: Too many levels of symbolic links"
        planted hook crun etcfuse "$link" "palisade-hook: container h1: devices guard: devices.profiles.etcfuse[0]: /etc/fuse in the container: directory /etc: Too many levels of symbolic links"
}

# --- Annotations asking for what policy does not permit.

@test "hostile: annotations for devices, capabilities, seccomp and userns beyond policy" {
        hostile "palisade-runtime: container h1: devices guard: config.json: annotations[\"io.palisade.devices\"]: no device profile \"/dev/sda\" in policy $T/policy.json (devices.profiles)" \
                '.annotations["io.palisade.devices"] = "/dev/sda"'
        hostile "palisade-runtime: container h1: devices guard: config.json: annotations[\"io.palisade.devices\"]: no device profile \"../../etc/passwd\" in policy $T/policy.json (devices.profiles)" \
                '.annotations["io.palisade.devices"] = "fuse,../../etc/passwd"'
        hostile "palisade-runtime: container h1: caps guard: config.json: annotations[\"io.palisade.caps.add\"]: CAP_SYS_RAWIO may not be added to a container without a user namespace (policy $T/policy.json, caps.add.privileged)" \
                '.annotations["io.palisade.caps.add"] = "CAP_SYS_RAWIO"'
        hostile "palisade-runtime: container h1: caps guard: config.json: annotations[\"io.palisade.caps.add\"]: \"all\" is not a capability libcap knows" \
                '.annotations["io.palisade.caps.add"] = "all"'
        hostile "palisade-runtime: container h1: seccomp guard: config.json: annotations[\"io.palisade.seccomp\"]: no profile \"unconfined\" in policy $T/policy.json (seccomp.profiles; \"builtin\" is palisade's default)" \
                '.annotations["io.palisade.seccomp"] = "unconfined"'
        base_policy '"seccomp": { "accept_annotation": false }'
        hostile "palisade-runtime: container h1: seccomp guard: config.json: annotations[\"io.palisade.seccomp\"]: policy $T/policy.json does not let a container choose its seccomp profile (seccomp.accept_annotation)" \
                '.annotations["io.palisade.seccomp"] = "builtin"'
        # The userns guard refuses these before it leases a range or mounts anything.
        base_policy '"guards": ["userns", "devices", "caps", "seccomp", "check", "audit"], "userns": { "mode": "auto" }'
        hostile "palisade-runtime: container h1: userns guard: config.json: annotations[\"io.palisade.userns\"]: keep would run the container without a user namespace, which policy $T/policy.json does not allow (userns.mode auto, userns.annotation_may_loosen false); remove the annotation" \
                '.annotations["io.palisade.userns"] = "keep"'
        hostile "palisade-runtime: container h1: userns guard: config.json: annotations[\"io.palisade.userns\"]: \"require\" is not auto or keep" \
                '.annotations["io.palisade.userns"] = "require"'
        RT=crun hostile "palisade-runtime: container h1: userns guard: config.json: annotations[\"io.palisade.userns\"]: keep would run the container without a user namespace, which policy $T/policy.json does not allow (userns.mode auto, userns.annotation_may_loosen false); remove the annotation" \
                '.annotations["io.palisade.userns"] = "keep"'
}

# --- palisade check judges paths as the runtime resolves them.

@test "hostile: a writable /sys or the host's root spelled another way still fails check" {
        local dest root
        plain_bundle h1 true
        cp "$T/h1/config.json" "$T/h1.json"
        for dest in /sys /sys/ //sys /./sys; do
                jq --arg d "$dest" '.mounts |= map(if .type == "sysfs" then .destination = $d | .options = ["nosuid"] else . end)' \
                        "$T/h1.json" >"$T/h1/config.json"
                run "$PALISADE" check --json "$T/h1"
                [ "$(jq -c '[.[] | select(.path == "mounts[5]") | [.severity, .finding]]' <<<"$output")" = '[["high","/sys is mounted writable"]]' ]
        done
        for root in / //. /etc/.. /etc/../.; do
                jq --arg r "$root" '.root.path = $r' "$T/h1.json" >"$T/h1/config.json"
                run "$PALISADE" check --json "$T/h1"
                [ "$(jq -c '[.[] | select(.path == "root.path") | .severity]' <<<"$output")" = '["critical"]' ]
        done
}
