# A container with a user namespace, started by a caller whose stdio is the
# host's /dev/null or /dev/zero (systemd units, cron, CI): runc and crun
# fchown their stdio to the container's root (crun 1.8 /dev/null too), so
# palisade-runtime hands the runtime private nodes of the same devices, and
# the host's nodes stay root's. Each runtime call runs in a private mount
# namespace where /dev/null and /dev/zero are throwaway stand-ins
# (test/private-dev.sh): a failure here cannot take /dev/null from the host.

load helpers

setup_file() {
        palisade_setup_file
        : >"$T/empty"
        userns_policy keep
        export HOST_NULL HOST_ZERO
        HOST_NULL=$(host_node /dev/null)
        HOST_ZERO=$(host_node /dev/zero)
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        for rt in runc crun; do
                for name in stdio-null-$rt stdio-zero-$rt stdio-exec-$rt stdio-refuse-$rt stdio-tty-$rt; do
                        remove "$rt" "$name" env PALISADE_RUNTIME="$rt" "$SHIM"
                done
        done
        # Whatever happened, the host's own nodes are as they were.
        [ "$(host_node /dev/null)" = "$HOST_NULL" ]
        [ "$(host_node /dev/zero)" = "$HOST_ZERO" ]
}

host_node() {
        stat -c '%F %t:%T %U:%G %a' "$1"
}

# In the container: what stdin gave, whether writes went through, what its
# stdio are, then try to take them (chmod, chown). $0: the result file's
# name, $1: null (read a line: EOF) or zero (read 3 bytes).
# shellcheck disable=SC2016 # the container's shell expands it
PROBE='r=/tmp/$0.result
if [ "$1" = zero ]; then echo "read $(head -c 3 | wc -c) bytes" >"$r"
elif read -r line; then echo "read a line: $line" >"$r"; else echo "read EOF" >"$r"; fi
echo out && echo "stdout written" >>"$r"
echo err >&2 && echo "stderr written" >>"$r"
s=$(stat -L -c "%F %t:%T" /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2) && echo "$s" >>"$r"
chmod 600 /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2
chown 0:0 /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2
echo done >>"$r"'

# stdio_bundle NAME [ARG...]: a bundle asking for a user namespace (io.palisade.userns=auto).
stdio_bundle() {
        plain_bundle "$@"
        annotate "$1" io.palisade.userns auto
        rm -f "$T/rootfs/tmp/$1.result"
}

# in_private_dev SCRIPT: SCRIPT (bash) with /dev/null and /dev/zero stand-ins;
# it ends by printing the stand-ins as host_node does.
in_private_dev() {
        "$ROOT/test/private-dev.sh" "$T/scratch" null:1:3 zero:1:5 -- \
                bash -c "$1"'; stat -c "%n %F %t:%T %u:%g %a" /dev/null /dev/zero'
}

# wait_stopped RUNTIME NAME: until the container has exited (5 s at most).
wait_stopped() {
        for _ in $(seq 50); do
                "$1" state "$2" 2>/dev/null | grep -q '"status": *"stopped"' && return 0
                sleep 0.1
        done
        return 1
}
export -f wait_stopped

# wait_file FILE LINE: until FILE has LINE (5 s at most).
wait_file() {
        for _ in $(seq 50); do
                grep -qx "$2" "$1" 2>/dev/null && return 0
                sleep 0.1
        done
        return 1
}
export -f wait_file

# run_detached RUNTIME NAME STDIN STDOUT STDERR: palisade-runtime run -d with
# that stdio, inside the private /dev; then wait for the container to exit.
run_detached() {
        local script
        script="cd '$T/$2' && PALISADE_RUNTIME=$1 '$SHIM' run -d '$2' <$3 >$4 2>$5; echo \"run: \$?\"; "
        script+="wait_stopped $1 '$2' || echo 'still running'"
        run in_private_dev "$script"
        echo "$output"
}

# The stand-ins are still the host's kind of node: root's, mode 0666.
stand_ins_untouched() {
        [[ "$output" == *"/dev/null character special file 1:3 0:0 666"* ]]
        [[ "$output" == *"/dev/zero character special file 1:5 0:0 666"* ]]
}

# expect_result NAME FIRST-LINE STDIN STDOUT STDERR: what PROBE wrote, the
# three as the container saw them: the devices the host's nodes are.
expect_result() {
        printf '%s\n' "$2" "stdout written" "stderr written" "$(stat -c '%F %t:%T' "$3" "$4" "$5")" "done" |
                diff -u - "$T/rootfs/tmp/$1.result"
}

# detached_stdio RUNTIME MODE STDIN STDOUT STDERR FIRST-LINE: PROBE in a
# userns container run with that stdio: a range of its own, the stand-ins
# untouched, and it read FIRST-LINE and wrote into the void.
detached_stdio() {
        local name=stdio-$2-$1
        stdio_bundle "$name" sh -c "$PROBE" "$name" "$2"
        run_detached "$1" "$name" "$3" "$4" "$5"
        [ "$status" -eq 0 ]
        [[ "$output" == "run: 0"* ]]
        stand_ins_untouched
        [ "$(journal_lines "$name" start | jq -r .container.uid_map)" = "0 $POOL_START $POOL_SIZE" ]
        expect_result "$name" "$6" "$3" "$4" "$5"
}

@test "stdio: runc, userns auto, stdin, stdout and stderr on /dev/null: EOF in, writes vanish, /dev/null stays root's 0666" {
        detached_stdio runc null /dev/null /dev/null /dev/null "read EOF"
}

@test "stdio: crun, userns auto, stdin, stdout and stderr on /dev/null: EOF in, writes vanish, /dev/null stays root's 0666" {
        detached_stdio crun null /dev/null /dev/null /dev/null "read EOF"
}

# runc fchowns its stdio from inside the user namespace (and lets EPERM be); crun from outside.
@test "stdio: runc, userns auto, stdin and stderr on /dev/zero: zeros in, /dev/zero stays root's 0666" {
        detached_stdio runc zero /dev/zero /dev/null /dev/zero "read 3 bytes"
}

@test "stdio: crun, userns auto, stdin and stderr on /dev/zero: zeros in, /dev/zero stays root's 0666" {
        detached_stdio crun zero /dev/zero /dev/null /dev/zero "read 3 bytes"
}

exec_stdio() {
        local rt=$1 name=stdio-exec-$1 script
        stdio_bundle "$name" sleep 1000
        (cd "$T/$name" && PALISADE_RUNTIME=$rt "$SHIM" run -d "$name" <"$T/empty" >"$T/$name.log" 2>&1) ||
                { cat "$T/$name.log"; false; }
        # Detached: runc's exec in the foreground copies stdio through pipes of its own.
        script="PALISADE_RUNTIME=$rt '$SHIM' exec -d '$name' sh -c '$PROBE' '$name' null </dev/null >/dev/zero 2>/dev/zero"
        script+="; echo \"exec: \$?\"; wait_file '$T/rootfs/tmp/$name.result' done"
        run in_private_dev "$script"
        echo "$output"
        [ "$status" -eq 0 ]
        [[ "$output" == "exec: 0"* ]]
        stand_ins_untouched
        expect_result "$name" "read EOF" /dev/null /dev/zero /dev/zero
}

@test "stdio: runc, exec into a userns container with stdio on /dev/null and /dev/zero: the host's nodes stay root's" {
        exec_stdio runc
}

@test "stdio: crun, exec into a userns container with stdio on /dev/null and /dev/zero: the host's nodes stay root's" {
        exec_stdio crun
}

refuse_device() {
        local rt=$1 name=stdio-refuse-$1
        stdio_bundle "$name" true
        # A kmsg node of the test's own, on the stand-ins' tmpfs: the runtime never gets it.
        run in_private_dev "mknod '$T/scratch/kmsg' c 1 11 && cd '$T/$name' &&
                PALISADE_RUNTIME=$rt '$SHIM' run -d '$name' <'$T/scratch/kmsg' >/dev/null; echo \"run: \$?\"
                $rt state '$name' >/dev/null 2>&1; echo \"state: \$?\""
        echo "$output"
        [[ "$output" == *"stdin is the host's character device 1:11"*"redirect it from /dev/null or a file"* ]]
        [[ "$output" == *"run: 1"* ]]
        [[ "$output" == *"state: 1"* ]]
        # The spec phase let go of what it took: no lease, no mount.
        [ "$(entries "$STATE/leases" 'userns-*')" -eq 0 ]
        ! grep -q " $STATE/" /proc/self/mountinfo || false
}

@test "stdio: runc, a stdin on another host device is refused, naming it; nothing is left held" {
        refuse_device runc
}

@test "stdio: crun, a stdin on another host device is refused, naming it; nothing is left held" {
        refuse_device crun
}

tty_stdio() {
        local rt=$1 name=stdio-tty-$1
        # shellcheck disable=SC2016 # the container's shell expands it
        stdio_bundle "$name" sh -c 'tty; echo hello-$0' "$rt"
        jq '.process.terminal = true' "$T/$name/config.json" >"$T/$name/c.new"
        mv "$T/$name/c.new" "$T/$name/config.json"
        # script(1) gives the shim a terminal of its own; the runtime gives the container a new one.
        run in_private_dev "cd '$T/$name' && script -qec 'PALISADE_RUNTIME=$rt $SHIM run $name' /dev/null </dev/null"
        echo "$output"
        [ "$status" -eq 0 ]
        [[ "$output" == *"/dev/pts/0"*"hello-$rt"* ]]
        stand_ins_untouched
}

@test "stdio: runc, run -t from a terminal still works (a terminal is left as it is)" {
        tty_stdio runc
}

@test "stdio: crun, run -t from a terminal still works (a terminal is left as it is)" {
        tty_stdio crun
}
