# Docker (Debian's docker.io 20.10) on a private daemon, with
# palisade-runtime registered as a runtime (--add-runtime): containers that
# fork, exec and make pipelines under the seccomp filter palisade merges
# from its own profile and Docker's. The daemon starts its own containerd
# under the private exec root; teardown stops both and leaves nothing.

# The shell commands run in the container (SC2016); bats' run sets $stderr (SC2154).
# shellcheck disable=SC2016,SC2154
load helpers
bats_require_minimum_version 1.5.0

IMAGE=palisade-busybox
# Container names of this suite: unique on the machine.
NAME=pal-dkr

setup_file() {
        palisade_setup_file
        command -v dockerd >/dev/null || { echo "dockerd missing: contrib/install-deps.sh test" >&2; return 1; }
        gcc -static -O2 -o "$T/rootfs/bin/syscall_probe" "$ROOT/test/probe/syscall_probe.c"
        # Short paths: containerd's socket lives under the exec root (108-byte limit).
        DK_EXEC=$(mktemp -d /run/pal-dkr.XXXXXX)
        export DK_EXEC
        export DK_DATA=$T/docker
        export DK_CGROUP=palisade-bats-docker-${DK_EXEC##*.}
        export DOCKER_HOST=unix://$DK_EXEC/docker.sock
        mkdir -p "$DK_DATA"
        # The daemon's environment reaches containerd, its shims and so palisade-runtime.
        PALISADE_CONFIG=$PALISADE_CONFIG PALISADE_RUNTIME=runc \
                dockerd --data-root "$DK_DATA" --exec-root "$DK_EXEC" -H "$DOCKER_HOST" \
                --pidfile "$DK_EXEC/dockerd.pid" --bridge=none --iptables=false --ip6tables=false \
                --cgroup-parent "/$DK_CGROUP" --add-runtime "palisade=$SHIM" \
                >"$T/dockerd.log" 2>&1 </dev/null 3>&- &
        echo $! >"$T/dockerd.pid"
        for _ in $(seq 150); do
                docker version >/dev/null 2>&1 && break
                sleep 0.2
        done
        docker version >/dev/null || { tail -20 "$T/dockerd.log" >&2; return 1; }
        tar -C "$T/rootfs" -c . | docker import - "$IMAGE" >/dev/null
}

# kill_wait PID SECONDS: TERM, then KILL after SECONDS; returns once PID is gone.
kill_wait() {
        local pid=$1
        kill "$pid" 2>/dev/null || return 0
        for _ in $(seq $(($2 * 10))); do
                kill -0 "$pid" 2>/dev/null || return 0
                sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
                kill -0 "$pid" 2>/dev/null || return 0
                sleep 0.1
        done
}

teardown_file() {
        local pid
        timeout 20 docker ps -aq 2>/dev/null | xargs -r timeout 30 docker rm -f >/dev/null 2>&1 || true
        pid=$(cat "$T/dockerd.pid" 2>/dev/null) && kill_wait "$pid" 15
        # containerd outlives a killed dockerd: its own pidfile says which.
        pid=$(cat "$DK_EXEC/containerd/containerd.pid" 2>/dev/null) && kill_wait "$pid" 10
        # Shims of containers left behind (a killed daemon), by their -address under our exec root.
        for pid in $(pgrep -f "containerd-shim.*$DK_EXEC" || true); do
                kill_wait "$pid" 5
        done
        # Overlay mounts, shm and network namespaces under the data and exec roots.
        grep -E " ($DK_DATA|$DK_EXEC)[^ ]*" /proc/self/mounts | awk '{ print $2 }' | sort -r | xargs -r -n1 umount -l
        # The cgroups the containers lived in: children first.
        find /sys/fs/cgroup -depth -type d -path "*/$DK_CGROUP*" -exec rmdir {} + 2>/dev/null || true
        rm -rf "$DK_EXEC" "$DK_DATA"
        palisade_teardown_file
}

# drun ARGS...: docker run --rm through palisade, stdin on /dev/null.
drun() {
        timeout 60 docker run --rm --runtime palisade "$@" </dev/null
}

@test "docker: a container forks, execs and makes pipelines through palisade-runtime" {
        run drun --name "$NAME-1" "$IMAGE" sh -c 'ls / | head -2'
        echo "$output"
        [ "$status" -eq 0 ]
        [ "$output" = "$(printf 'bin\ndev')" ]
        run drun --name "$NAME-2" "$IMAGE" sh -c 'for i in 1 2 3; do echo $i & done; wait'
        echo "$output"
        [ "$status" -eq 0 ]
        [ "$(echo "$output" | sort | tr '\n' ' ')" = "1 2 3 " ]
        # A filter is installed, and palisade's hooks ran (the journal has the container).
        run drun --name "$NAME-3" --cidfile "$T/cid3" "$IMAGE" sh -c 'grep ^Seccomp: /proc/self/status; cat /proc/self/cgroup; echo $(echo nested)'
        echo "$output"
        [ "$status" -eq 0 ]
        [[ "$output" == *"Seccomp:"*"2"* ]]
        # In the daemon's cgroup parent, which teardown removes.
        [[ "$output" == *"/$DK_CGROUP/"* ]]
        [[ "$output" == *nested* ]]
        [ "$(journal_lines "$(cat "$T/cid3")" start | wc -l)" -eq 1 ]
}

@test "docker: the merged filter denies what palisade's profile denies and Docker's allows (vmsplice, io_uring_setup)" {
        # Docker's own profile lets them through: the kernel refuses the bad arguments.
        run --separate-stderr timeout 60 docker run --rm --name "$NAME-4" "$IMAGE" syscall_probe vmsplice io_uring_setup </dev/null
        echo "$output" "$stderr"
        [ "$status" -eq 0 ]
        [ "$output" = "$(printf 'vmsplice EBADF\nio_uring_setup EFAULT')" ]
        # palisade's profile does not name them: its default, ENOSYS, survives the merge.
        run --separate-stderr drun --name "$NAME-5" "$IMAGE" syscall_probe vmsplice io_uring_setup getpid
        echo "$output" "$stderr"
        [ "$status" -eq 0 ]
        [ "$output" = "$(printf 'vmsplice ENOSYS\nio_uring_setup ENOSYS\ngetpid 0')" ]
}

@test "docker: the merged filter denies what Docker's profile denies and palisade's allows (get_mempolicy)" {
        # Without Docker's profile, palisade's alone lets get_mempolicy through ...
        run --separate-stderr drun --name "$NAME-6" --security-opt seccomp=unconfined "$IMAGE" syscall_probe get_mempolicy
        echo "$output" "$stderr"
        [ "$status" -eq 0 ]
        [ "$output" = "get_mempolicy 0" ]
        # ... with it (CAP_SYS_NICE is not a default capability), the merge keeps Docker's denial.
        run --separate-stderr drun --name "$NAME-7" "$IMAGE" syscall_probe get_mempolicy
        echo "$output" "$stderr"
        [ "$status" -eq 0 ]
        [ "$output" = "get_mempolicy EPERM" ]
}
