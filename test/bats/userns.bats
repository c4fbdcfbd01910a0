# The userns guard with runc and crun through palisade-runtime: host ID
# ranges of their own, the rootfs shown through an idmapped mount, leases
# and mounts released at delete, by the next allocation, and by gc.

load helpers

setup_file() {
        palisade_setup_file
        : >"$T/empty"
        : >"$T/subuid"
        : >"$T/subgid"
        userns_policy auto
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        for b in "$T"/userns-*/config.json; do
                [ -e "$b" ] || continue
                name=$(basename "$(dirname "$b")")
                for rt in runc crun; do
                        ux_remove "$rt" "$name"
                done
        done
        userns_policy auto
}

# ux_run RUNTIME NAME: run the bundle detached through palisade-runtime.
# stdin from a file: crun chowns the container's stdio to its root.
ux_run() {
        (cd "$T/$2" && env PALISADE_RUNTIME="$1" "$SHIM" run -d --pid-file "$T/$2.pid" "$2" <"$T/empty" \
                >"$T/$2.log" 2>&1)
}

# ux_remove RUNTIME NAME: kill, and delete through palisade-runtime.
ux_remove() {
        remove "$1" "$2" env PALISADE_RUNTIME="$1" "$SHIM"
}

# start_stuck NAME: palisade-runtime create of NAME with a runtime that never
# returns (the shim execs it holding the lease and the mount); prints its PID
# once the mount is there.
start_stuck() {
        printf '#!/bin/sh\nexec sleep 1000\n' >"$T/stuck-runtime"
        chmod +x "$T/stuck-runtime"
        plain_bundle "$1" sleep 1000
        (cd "$T/$1" && exec env PALISADE_RUNTIME="$T/stuck-runtime" "$SHIM" run -d "$1" \
                <"$T/empty" >"$T/$1.log" 2>&1 3>&-) &
        for _ in $(seq 50); do
                [ -d "$STATE/userns/$1/rootfs/bin" ] && break
                sleep 0.1
        done
        echo $!
}

# host_start PID: the host ID that container ID 0 maps to.
host_start() {
        awk '$1 == 0 { print $2 }' "/proc/$1/uid_map"
}

# state_mounts: mounts palisade holds under the test's state directory.
state_mounts() {
        grep -c " $STATE/" /proc/self/mountinfo || true
}

leases() {
        entries "$STATE/leases" 'userns-*'
}

auto_runs_unprivileged() {
        local rt=$1 name=userns-auto-$1 pid start
        plain_bundle "$name" sh -c 'id -u >/tmp/id; touch /made-by-root; sleep 1000'
        ux_run "$rt" "$name" || { cat "$T/$name.log"; false; }
        pid=$(container_pid "$name")
        wait_exec "$pid" sleep
        start=$(host_start "$pid")
        # The allocated range, mapped for UIDs and GIDs alike.
        [ "$(awk '{ print $1, $2, $3 }' "/proc/$pid/uid_map")" = "0 $start $POOL_SIZE" ]
        [ "$(awk '{ print $1, $2, $3 }' "/proc/$pid/gid_map")" = "0 $start $POOL_SIZE" ]
        [ $(((start - POOL_START) % POOL_SIZE)) -eq 0 ]
        [ "$start" -ge "$POOL_START" ]
        # On the host it runs as the range's first UID; inside, id says 0.
        [ "$(stat -c %u "/proc/$pid")" = "$start" ]
        [ "$("$rt" exec "$name" id -u)" = 0 ]
        [ "$("$rt" exec "$name" cat /tmp/id)" = 0 ]
        # What container root made: owned by the rootfs's owner (0) on disk, 0 inside.
        [ "$(stat -c %u:%g "$T/rootfs/made-by-root")" = 0:0 ]
        [ "$("$rt" exec "$name" stat -c %u:%g /made-by-root)" = 0:0 ]
        # palisade ps shows the range.
        run "$PALISADE" ps
        [[ "$output" == *"$name"*"$start-$((start + POOL_SIZE - 1))"* ]]
        ux_remove "$rt" "$name"
        # The journal says which host IDs it ran as, from start to stop.
        [ "$(journal_lines "$name" start | jq -r '[.container.uid_map, .container.gid_map] | join(",")')" = \
                "0 $start $POOL_SIZE,0 $start $POOL_SIZE" ]
        [ "$(journal_lines "$name" stop | jq -r .container.uid_map)" = "0 $start $POOL_SIZE" ]
        rm -f "$T/rootfs/made-by-root" "$T/rootfs/tmp/id"
        [ "$(leases)" -eq 0 ]
        [ "$(state_mounts)" -eq 0 ]
}

@test "userns: runc, mode auto: a container without a user namespace gets a range of its own, root writes its rootfs" {
        auto_runs_unprivileged runc
}

@test "userns: crun, mode auto: a container without a user namespace gets a range of its own, root writes its rootfs" {
        auto_runs_unprivileged crun
}

# A device node in a container with a user namespace: crun before 1.17 gives
# createRuntime "/" as the bundle there (crun#2025); the --bundle that
# palisade-runtime passes the hook finds config.json all the same.
device_in_userns() {
        local rt=$1 name=userns-dev-$1
        write_policy '"guards": ["userns", "devices", "caps", "seccomp", "check", "audit"],
                "audit": { "journal": "'"$JOURNAL"'" }, "devices": { "profiles": { "fuse": [ { "path": "/dev/fuse" } ] } },
                "userns": { "mode": "auto", "pool": { "start": '"$POOL_START"', "size": '"$POOL_SIZE"', "count": 64 },
                            "subuid": "'"$T/subuid"'", "subgid": "'"$T/subgid"'" }'
        plain_bundle "$name" sh -c 'stat -c "%F %t:%T" /dev/fuse'
        annotate "$name" io.palisade.devices fuse
        run sh -c "cd '$T/$name' && PALISADE_RUNTIME=$rt '$SHIM' run $name <'$T/empty'"
        [ "$status" -eq 0 ] || { echo "$output" >&2; cat "$T/$name.hook.log" >&2; false; }
        [ "${lines[-1]}" = "character special file a:e5" ]
        [ "$(jq -r '.hooks.createRuntime[0].args | join(" ")' "$T/$name/config.json")" = \
                "palisade-hook --bundle=$T/$name createRuntime" ]
        [ "$(journal_lines "$name" start | jq -r '.container.devices[0]')" = "c 10:229 rwm /dev/fuse" ]
        [ "$(journal_lines "$name" stop | wc -l)" -eq 1 ]
}

@test "userns: runc, a device granted to a container with a user namespace" {
        device_in_userns runc
}

@test "userns: crun, a device granted to a container with a user namespace (crun gives createRuntime the bundle \"/\")" {
        device_in_userns crun
}

@test "userns: two containers at once get disjoint ranges; a host-root-only file stays unreadable" {
        echo host-secret >"$T/secret"
        chmod 0600 "$T/secret"
        for i in 1 2; do
                plain_bundle userns-two-$i sleep 1000
                jq --arg s "$T/secret" '.mounts += [{ destination: "/secret", type: "bind", source: $s,
                                                       options: ["bind", "ro"] }]' \
                        "$T/userns-two-$i/config.json" >"$T/c.new"
                mv "$T/c.new" "$T/userns-two-$i/config.json"
        done
        ux_run runc userns-two-1
        ux_run crun userns-two-2
        a=$(host_start "$(container_pid userns-two-1)")
        b=$(host_start "$(container_pid userns-two-2)")
        [ "$a" != "$b" ]
        [ $((a > b ? a - b : b - a)) -ge "$POOL_SIZE" ]
        run runc exec userns-two-1 cat /secret
        [ "$status" -ne 0 ]
        [[ "$output" == *"Permission denied"* ]]
        run crun exec userns-two-2 cat /secret
        [ "$status" -ne 0 ]
}

@test "userns: process.user.uid 1000 runs as container UID 1000, host UID start+1000" {
        plain_bundle userns-user sleep 1000
        jq '.process.user = { uid: 1000, gid: 1000, additionalGids: [5] }' "$T/userns-user/config.json" >"$T/c.new"
        mv "$T/c.new" "$T/userns-user/config.json"
        ux_run runc userns-user
        pid=$(container_pid userns-user)
        wait_exec "$pid" sleep
        start=$(host_start "$pid")
        [ "$(stat -c %u:%g "/proc/$pid")" = "$((start + 1000)):$((start + 1000))" ]
        [ "$(runc exec --user 1000:1000 userns-user id -u)" = 1000 ]
        grep -q "^Groups:.*$((start + 5))" "/proc/$pid/status"
}

@test "userns: a user outside the range is refused with the key named" {
        plain_bundle userns-bigid sleep 1000
        jq '.process.user = { uid: 70000, gid: 0 }' "$T/userns-bigid/config.json" >"$T/c.new"
        mv "$T/c.new" "$T/userns-bigid/config.json"
        run ux_run runc userns-bigid
        [ "$status" -ne 0 ]
        grep -q 'process.user.uid: 70000 is not mapped' "$T/userns-bigid.log"
        [ "$(leases)" -eq 0 ]
        [ "$(state_mounts)" -eq 0 ]
}

@test "userns: mode require refuses a privileged container with a clear message, and changes nothing" {
        userns_policy require
        plain_bundle userns-req sleep 1000
        cp "$T/userns-req/config.json" "$T/req.orig"
        run ux_run runc userns-req
        [ "$status" -ne 0 ]
        grep -q 'container userns-req: userns guard: linux.namespaces: no user namespace.*requires one (userns.mode require)' \
                "$T/userns-req.log"
        cmp "$T/userns-req/config.json" "$T/req.orig"
        [ "$(leases)" -eq 0 ]
        [ "$(state_mounts)" -eq 0 ]
        # The annotation asks for a range instead: allowed.
        annotate userns-req io.palisade.userns auto
        ux_run runc userns-req
        [ "$(host_start "$(container_pid userns-req)")" -ge "$POOL_START" ]
}

@test "userns: a spec phase another guard refuses lets go of the mount and the range at once" {
        for rt in runc crun; do
                plain_bundle userns-undo true
                annotate userns-undo io.palisade.seccomp no-such-profile
                run sh -c "cd '$T/userns-undo' && PALISADE_RUNTIME=$rt '$SHIM' run userns-undo <'$T/empty'"
                [ "$status" -eq 1 ]
                [[ "$output" == *"palisade-runtime: container userns-undo: seccomp guard: "*"no-such-profile"* ]]
                [ "$(leases)" -eq 0 ]
                [ "$(state_mounts)" -eq 0 ]
                [ ! -e "$STATE/userns/userns-undo" ]
        done
}

@test "userns: mode auto refuses io.palisade.userns=keep unless policy lets annotations loosen it" {
        plain_bundle userns-loose sleep 1000
        annotate userns-loose io.palisade.userns keep
        run ux_run runc userns-loose
        [ "$status" -ne 0 ]
        grep -q 'keep would run the container without a user namespace.*annotation_may_loosen' "$T/userns-loose.log"
        userns_policy auto '"annotation_may_loosen": true'
        ux_run runc userns-loose
        [ "$(awk '{ print $2 }' "/proc/$(container_pid userns-loose)/uid_map")" = 0 ]
}

own_mappings() {
        jq --argjson h "$2" --argjson n "$3" '.linux.namespaces += [{ type: "user" }]
                | .linux.uidMappings = [{ containerID: 0, hostID: $h, size: $n }]
                | .linux.gidMappings = [{ containerID: 0, hostID: $h, size: $n }]' \
                "$T/$1/config.json" >"$T/c.new"
        mv "$T/c.new" "$T/$1/config.json"
}

@test "userns: mode keep shifts the rootfs of a container with its own mappings, mappings unchanged" {
        userns_policy keep
        for rt in runc crun; do
                plain_bundle userns-keep-$rt sh -c 'touch /kept; sleep 1000'
                own_mappings userns-keep-$rt 10000000 65536
                ux_run $rt userns-keep-$rt || { cat "$T/userns-keep-$rt.log"; false; }
                pid=$(container_pid userns-keep-$rt)
                wait_exec "$pid" sleep
                [ "$(awk '{ print $1, $2, $3 }' "/proc/$pid/uid_map")" = "0 10000000 65536" ]
                [ "$(jq -c .linux.uidMappings "$T/userns-keep-$rt/config.json")" = \
                  '[{"containerID":0,"hostID":10000000,"size":65536}]' ]
                [ "$(stat -c %u "/proc/$pid")" = 10000000 ]
                [ "$(stat -c %u "$T/rootfs/kept")" = 0 ]
                [ "$($rt exec userns-keep-$rt stat -c %u /kept)" = 0 ]
                rm -f "$T/rootfs/kept"
                # No range is leased for it.
                [ "$(leases)" -eq 0 ]
        done
}

@test "userns: mode keep leaves a container without a user namespace alone" {
        userns_policy keep
        plain_bundle userns-plain sleep 1000
        ux_run runc userns-plain
        [ "$(awk '{ print $2 }' "/proc/$(container_pid userns-plain)/uid_map")" = 0 ]
        [ "$(jq -r .root.path "$T/userns-plain/config.json")" = "$T/rootfs" ]
}

@test "userns: a bind with the idmap option is shifted too, for runc 1.1 as for crun" {
        for rt in runc crun; do
                rm -rf "$T/shared"
                mkdir -p "$T/shared"
                echo host >"$T/shared/from-host"
                plain_bundle userns-bind-$rt sh -c 'echo c >/shared/by-container && touch /plain/x; sleep 1000'
                mkdir -p "$T/plain"
                jq --arg s "$T/shared" --arg p "$T/plain" '.mounts += [
                        { destination: "/shared", type: "bind", source: $s, options: ["rbind", "rw", "idmap"] },
                        { destination: "/plain", type: "bind", source: $p, options: ["rbind", "rw"] } ]' \
                        "$T/userns-bind-$rt/config.json" >"$T/c.new"
                mv "$T/c.new" "$T/userns-bind-$rt/config.json"
                ux_run $rt userns-bind-$rt || { cat "$T/userns-bind-$rt.log"; false; }
                pid=$(container_pid userns-bind-$rt)
                wait_exec "$pid" sleep || true
                # Through the idmapped bind container root owns what host root owns; the plain bind stays the host's.
                [ "$(cat "$T/shared/by-container")" = c ]
                [ "$(stat -c %u "$T/shared/by-container")" = 0 ]
                [ "$($rt exec userns-bind-$rt stat -c %u /shared/from-host)" = 0 ]
                [ ! -e "$T/plain/x" ]
                [ "$($rt exec userns-bind-$rt stat -c %u /plain)" = 65534 ]
                # The spec no longer asks the runtime for an idmap: the mount is idmapped already.
                ! jq -e '.mounts[] | select(.options | index("idmap"))' "$T/userns-bind-$rt/config.json" >/dev/null || false
                ux_remove $rt userns-bind-$rt
                [ "$(state_mounts)" -eq 0 ]
        done
}

# refused NAME PATTERN: creating NAME fails, saying PATTERN, leaving nothing behind.
refused() {
        run ux_run runc "$1"
        [ "$status" -ne 0 ]
        grep -q -- "$2" "$T/$1.log" || { cat "$T/$1.log"; false; }
        [ "$(leases)" -eq 0 ]
        [ "$(state_mounts)" -eq 0 ]
        ! runc state "$1" >/dev/null 2>&1 || false
}

@test "userns: bad mappings are refused: overlapping the pool or the host's ranges, size 0, past 2^32" {
        plain_bundle userns-bad sleep 1000
        own_mappings userns-bad $((POOL_START + 5)) 1000
        refused userns-bad 'linux.uidMappings\[0\]: host IDs 1000005-1001004 overlap palisade.s pool'

        echo 'alice:20000000:65536' >"$T/subuid"
        plain_bundle userns-bad sleep 1000
        own_mappings userns-bad 20000100 10
        refused userns-bad "overlap the host's IDs 20000000-20065535.*$T/subuid"
        : >"$T/subuid"

        userns_policy auto '"reserved": [ { "start": 30000000, "size": 10 } ]'
        plain_bundle userns-bad sleep 1000
        own_mappings userns-bad 29999999 2
        refused userns-bad "overlap the host's IDs 30000000-30000009 (userns.reserved"

        plain_bundle userns-bad sleep 1000
        own_mappings userns-bad 40000000 0
        refused userns-bad 'linux.uidMappings\[0\].size: 0 maps nothing'

        plain_bundle userns-bad sleep 1000
        own_mappings userns-bad 40000000 4294967296
        refused userns-bad 'linux.uidMappings\[0\].size'

        plain_bundle userns-bad sleep 1000
        own_mappings userns-bad 4294967000 1000
        refused userns-bad 'passes 2^32'
}

@test "userns: the pool's ranges skip other users' subuid entries and reserved IDs" {
        echo "bob:$POOL_START:$POOL_SIZE" >"$T/subuid"
        userns_policy auto '"reserved": [ { "start": '$((POOL_START + POOL_SIZE + 7))', "size": 1 } ]'
        plain_bundle userns-skip sleep 1000
        ux_run runc userns-skip
        [ "$(host_start "$(container_pid userns-skip)")" -eq $((POOL_START + 2 * POOL_SIZE)) ]
        : >"$T/subuid"
}

@test "userns: a rootfs that is a symlink out of the bundle, or the host's root, is refused" {
        plain_bundle userns-link sleep 1000
        ln -s "$T/rootfs" "$T/userns-link/rootfs"
        jq '.root.path = "rootfs"' "$T/userns-link/config.json" >"$T/c.new"
        mv "$T/c.new" "$T/userns-link/config.json"
        refused userns-link 'root.path: "rootfs" leads out of the bundle'

        plain_bundle userns-hostroot sleep 1000
        jq '.root.path = "/"' "$T/userns-hostroot/config.json" >"$T/c.new"
        mv "$T/c.new" "$T/userns-hostroot/config.json"
        refused userns-hostroot "is the host's root directory"
}

@test "userns: a rootfs on a filesystem that cannot be idmapped (ramfs) is refused, saying so" {
        mkdir -p "$T/ramfs"
        mount -t ramfs ramfs "$T/ramfs"
        cp -a "$T/rootfs" "$T/ramfs/rootfs"
        plain_bundle userns-ramfs sleep 1000
        jq --arg r "$T/ramfs/rootfs" '.root.path = $r' "$T/userns-ramfs/config.json" >"$T/c.new"
        mv "$T/c.new" "$T/userns-ramfs/config.json"
        run ux_run runc userns-ramfs
        umount "$T/ramfs"
        [ "$status" -ne 0 ]
        grep -q "root.path: $T/ramfs/rootfs: ramfs cannot be idmapped.*userns.unshiftable" "$T/userns-ramfs.log" || { cat "$T/userns-ramfs.log"; false; }
        [ "$(leases)" -eq 0 ]
        [ "$(state_mounts)" -eq 0 ]
}

@test "userns: unshiftable chown: a rootfs that cannot be idmapped runs from a shifted private copy, the original untouched" {
        userns_policy auto '"unshiftable": "chown"'
        mkdir -p "$T/ramfs"
        mount -t ramfs ramfs "$T/ramfs"
        cp -a "$T/rootfs" "$T/ramfs/rootfs"
        find "$T/ramfs/rootfs" -printf '%U:%G %m %p\n' | sort >"$T/ramfs.before"
        plain_bundle userns-copy sh -c 'touch /made-in-copy; sleep 1000'
        jq --arg r "$T/ramfs/rootfs" '.root.path = $r' "$T/userns-copy/config.json" >"$T/c.new"
        mv "$T/c.new" "$T/userns-copy/config.json"
        ux_run runc userns-copy || { cat "$T/userns-copy.log"; umount "$T/ramfs"; false; }
        pid=$(container_pid userns-copy)
        start=$(host_start "$pid")
        [ "$(runc exec userns-copy stat -c %u /bin/busybox)" = 0 ]
        [ "$(stat -c %u "$STATE/userns/userns-copy/rootfs/bin/busybox")" = "$start" ]
        ux_remove runc userns-copy
        find "$T/ramfs/rootfs" -printf '%U:%G %m %p\n' | sort >"$T/ramfs.after"
        umount "$T/ramfs"
        diff "$T/ramfs.before" "$T/ramfs.after"
        [ ! -e "$STATE/userns/userns-copy" ]
        [ "$(leases)" -eq 0 ]
}

@test "userns: 50 containers created at once get distinct ranges; after delete no lease and no mount is left" {
        local n=${PALISADE_USERNS_N:-50} before
        before=$(wc -l </proc/self/mountinfo)
        for i in $(seq "$n"); do
                plain_bundle "userns-many-$i" sleep 1000
        done
        for i in $(seq "$n"); do
                ux_run crun "userns-many-$i" &
        done
        wait
        for i in $(seq "$n"); do
                pid=$(container_pid "userns-many-$i") || { cat "$T/userns-many-$i.log"; false; }
                host_start "$pid"
        done >"$T/starts"
        [ "$(sort -u "$T/starts" | wc -l)" -eq "$n" ] || { sort "$T/starts" | uniq -c; cat "$T"/userns-many-*.log; false; }
        # Equal sizes at multiples of the size from the pool's start: distinct means disjoint.
        while read -r s; do
                [ $(((s - POOL_START) % POOL_SIZE)) -eq 0 ]
        done <"$T/starts"
        [ "$(leases)" -eq "$n" ]
        for i in $(seq "$n"); do
                ux_remove crun "userns-many-$i" &
        done
        wait
        [ "$(leases)" -eq 0 ]
        [ "$(state_mounts)" -eq 0 ]
        [ "$(wc -l </proc/self/mountinfo)" -eq "$before" ]
        [ -z "$(ls "$STATE/userns")" ]
}

@test "userns: a runtime killed with kill -9 mid-create leaves a lease the next allocation reclaims" {
        # A runtime that stops before doing anything: the shim execs it with the lease taken.
        stuck=$(start_stuck userns-killed)
        [ "$(leases)" -eq 1 ]
        kill -9 "$stuck"
        wait || true
        [ "$(head -1 "$STATE/leases/userns-0")" = userns-killed ]
        [ "$(state_mounts)" -gt 0 ]

        plain_bundle userns-next sleep 1000
        ux_run runc userns-next
        # The dead holder's range went to the next container, and its mount is gone.
        [ "$(host_start "$(container_pid userns-next)")" -eq "$POOL_START" ]
        [ ! -e "$STATE/userns/userns-killed" ]
        [ "$(head -1 "$STATE/leases/userns-0")" = userns-next ]
}

@test "userns: palisade gc detaches the rootfs mount of a runtime killed mid-create" {
        kill -9 "$(start_stuck userns-gc)"
        wait || true
        run "$PALISADE" gc
        [ "$status" -eq 0 ]
        [[ "$output" == *"detached 1 orphan rootfs mount"* ]]
        [ "$(leases)" -eq 0 ]
        [ "$(state_mounts)" -eq 0 ]
}

@test "userns: without the spec phase (hook alone), mode auto refuses rather than run privileged" {
        plain_bundle userns-hook sleep 1000
        jq --arg hook "$HOOK" --arg env "PALISADE_CONFIG=$PALISADE_CONFIG" '
                .hooks = { createRuntime: [ { path: $hook, args: ["palisade-hook", "createRuntime"], env: [$env] } ],
                           poststop: [ { path: $hook, args: ["palisade-hook", "poststop"], env: [$env] } ] }' \
                "$T/userns-hook/config.json" >"$T/c.new"
        mv "$T/c.new" "$T/userns-hook/config.json"
        run bash -c "cd '$T/userns-hook' && runc run -d userns-hook <'$T/empty' >'$T/userns-hook.log' 2>&1"
        [ "$status" -ne 0 ]
        runtime_log userns-hook | grep -q 'only the spec phase can add'
}

# debian_rootfs: a Debian rootfs made with debootstrap once and cached
# (PALISADE_DEBIAN_CACHE, default /var/cache/palisade-tests); skips when it
# cannot be made (no debootstrap, no mirror).
debian_rootfs() {
        local cache=${PALISADE_DEBIAN_CACHE:-/var/cache/palisade-tests}/debian-bookworm
        if [ ! -x "$cache/usr/bin/dpkg" ]; then
                command -v debootstrap >/dev/null ||
                        skip "debootstrap is not installed (contrib/install-deps.sh installs it)"
                mkdir -p "$(dirname "$cache")"
                rm -rf "$cache.tmp"
                debootstrap --variant=minbase bookworm "$cache.tmp" \
                        "${PALISADE_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$T/debootstrap.log" 2>&1 ||
                        skip "debootstrap could not make a Debian rootfs (no mirror reachable?): $(tail -1 "$T/debootstrap.log")"
                mv "$cache.tmp" "$cache"
        fi
        # A copy: the test changes it, and the cache stays as debootstrap made it.
        cp -a "$cache" "$T/debian"
}

@test "userns: a Debian rootfs runs unprivileged: dpkg -l, useradd, chown, su work; host ownership is right" {
        debian_rootfs
        plain_bundle userns-debian /bin/sh -c '
                set -e
                dpkg -l dpkg | grep -q "^ii  dpkg"
                useradd -m -u 1000 alice
                echo hello >/home/alice/f
                chown alice:alice /home/alice/f
                su alice -c "id -u; stat -c %U /home/alice/f; echo written >/home/alice/g"
                exec sleep 1000'
        jq --arg r "$T/debian" '.root.path = $r' "$T/userns-debian/config.json" >"$T/c.new"
        mv "$T/c.new" "$T/userns-debian/config.json"
        # Docker's default capabilities (runc spec's are too few for useradd), inside the namespace only.
        for cap in CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_SETGID CAP_SETUID CAP_SETPCAP \
                   CAP_SYS_CHROOT CAP_MKNOD CAP_SETFCAP; do
                grant userns-debian $cap
        done
        ux_run runc userns-debian || { cat "$T/userns-debian.log"; false; }
        pid=$(container_pid userns-debian)
        wait_exec "$pid" sleep || { cat "$T/userns-debian.log"; false; }
        start=$(host_start "$pid")
        # Inside: alice is 1000 and owns her files.
        [ "$(runc exec userns-debian stat -c %U:%u /home/alice/f /home/alice/g)" = "alice:1000
alice:1000" ]
        [ "$(runc exec userns-debian su alice -c 'id -u')" = 1000 ]
        # On the host: the files carry the rootfs's own IDs (1000, as in an image), not the range's.
        [ "$(stat -c %u:%g "$T/debian/home/alice/f")" = 1000:1000 ]
        [ "$(stat -c %u:%g "$T/debian/home/alice/g")" = 1000:1000 ]
        [ "$(stat -c %u "$T/debian/etc/passwd")" = 0 ]
        grep -q '^alice:x:1000:1000:' "$T/debian/etc/passwd"
        # While the processes ran as the range's IDs.
        [ "$(stat -c %u "/proc/$pid")" = "$start" ]
        ux_remove runc userns-debian
        [ "$(state_mounts)" -eq 0 ]
}
