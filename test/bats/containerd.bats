# containerd (Debian's package) on a private socket and state directory, with
# palisade-runtime as the runc binary of its runc v2 shim.

load helpers

IMAGE=localhost/palisade-busybox:latest

setup_file() {
        palisade_setup_file
        export CT=$T/containerd
        CT_STATE=$(mktemp -d /run/palisade-bats-ctrd.XXXXXX)
        export CT_STATE
        export SOCK=$CT_STATE/containerd.sock
        mkdir -p "$CT/root"
        cat >"$CT/config.toml" <<TOML
version = 2
root = "$CT/root"
state = "$CT_STATE/state"
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  address = "$SOCK.debug"
[plugins."io.containerd.grpc.v1.cri"]
  disable = true
TOML
        # The daemon's environment reaches its shims and so palisade-runtime.
        PALISADE_CONFIG=$PALISADE_CONFIG PALISADE_RUNTIME=runc \
                containerd --config "$CT/config.toml" >"$CT/log" 2>&1 3>&- &
        echo $! >"$CT/pid"
        for _ in $(seq 100); do
                ctr -a "$SOCK" version >/dev/null 2>&1 && break
                sleep 0.1
        done
        ctr -a "$SOCK" version >/dev/null
        # An OCI archive of the busybox rootfs, imported.
        podman image exists localhost/palisade-busybox || tar -C "$T/rootfs" -c . | podman import -q - localhost/palisade-busybox >/dev/null
        podman save -q --format oci-archive -o "$T/image.tar" localhost/palisade-busybox
        ctr -a "$SOCK" images import --base-name localhost/palisade-busybox "$T/image.tar" >/dev/null
}

teardown_file() {
        ctr -a "$SOCK" tasks kill -s KILL k1 >/dev/null 2>&1 || true
        ctr -a "$SOCK" containers rm k1 k2 >/dev/null 2>&1 || true
        kill "$(cat "$CT/pid")" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$(cat "$CT/pid")" 2>/dev/null || break; sleep 0.1; done
        # Overlay snapshots and shm mounts of the private daemon.
        grep -E " ($CT|$CT_STATE)[^ ]*" /proc/self/mounts | awk '{ print $2 }' | sort -r | xargs -r -n1 umount -l
        rm -rf "$CT_STATE"
        palisade_teardown_file
}

@test "containerd: ctr run --runc-binary palisade-runtime gives the container its audit container ID" {
        ctr -a "$SOCK" run -d --runc-binary "$SHIM" "$IMAGE" k1 sleep 1000 </dev/null >/dev/null
        pid=$(ctr -a "$SOCK" tasks ls | awk '$1 == "k1" { print $2 }')
        [ -n "$pid" ]
        id=$("$PALISADE" audit-id --container k1)
        [[ "$id" =~ ^[0-9a-f-]{36}$ ]]
        [ "$("$PALISADE" audit-id "$pid")" = "$id" ]
        [ "$(journal_lines k1 start | jq -r .container.namespaces.pid.ino)" = "$(ns_inode "$pid" pid)" ]

        ctr -a "$SOCK" tasks kill -s KILL k1
        for _ in $(seq 50); do
                ctr -a "$SOCK" tasks ls | grep -q '^k1 .*RUNNING' || break
                sleep 0.1
        done
        ctr -a "$SOCK" tasks rm k1 >/dev/null 2>&1 || true
        ctr -a "$SOCK" containers rm k1
        [ "$(journal_lines k1 stop | jq -r .container.audit_id)" = "$id" ]
        [ ! -e "$STATE/containers/k1" ]
}

@test "containerd: a container that runs to completion through the shim" {
        run ctr -a "$SOCK" run --rm --runc-binary "$SHIM" "$IMAGE" k2 sh -c 'echo from-containerd'
        [ "$status" -eq 0 ]
        [ "$output" = from-containerd ]
        [ "$(journal_lines k2 start | wc -l)" -eq 1 ]
        [ "$(journal_lines k2 stop | wc -l)" -eq 1 ]
}
