# palisade agent: containers with a user namespace mknod whitelisted devices
# through seccomp user notification (palisade-runtime adds the rules and the
# listener; the agent makes the node). Real runc and crun, unprivileged
# containers written by hand (host range 200000+65536, a chowned rootfs).

load helpers

setup_file() {
        palisade_setup_file
        gcc -static -O2 -pthread -o "$T/rootfs/bin/mknod_helper" "$ROOT/test/agent/mknod_helper.c"
        # The container's root (host 200000) must reach its rootfs.
        chmod 755 "$T"
        cp -a "$T/rootfs" "$T/urootfs"
        chown -R 200000:200000 "$T/urootfs"
        export SOCK=$STATE/agent.sock
        agent_policy
        : >"$T/in"
        start_agent
}

teardown_file() {
        stop_agent
        [ -n "${KEEP_T:-}" ] || palisade_teardown_file
}

teardown() {
        agent_policy
        for rt in runc crun; do
                for c in "$T"/agent-*; do
                        c=${c##*/}
                        [[ $c == *.* ]] || "$rt" delete -f "$c" >/dev/null 2>&1 || true
                done
        done
        [ -n "$(agent_pid)" ] || start_agent
}

agent_policy() {
        write_policy '"guards": ["devices", "caps", "seccomp", "agent", "check", "audit"], "audit": { "journal": "'"$JOURNAL"'" },
                "devices": { "profiles": { "fuse": [ { "rule": "c 10:229 rwm" } ] } }, "agent": { "socket": "'"$SOCK"'" }'
}

start_agent() {
        local before
        before=$(grep -c listening "$T/agent.log" 2>/dev/null || true)
        "$PALISADE" agent >>"$T/agent.log" 2>&1 &
        echo $! >"$T/agent.pid"
        for _ in $(seq 50); do
                [ "$(grep -c listening "$T/agent.log")" -gt "${before:-0}" ] && return 0
                sleep 0.1
        done
        return 1
}

agent_pid() {
        local pid
        pid=$(cat "$T/agent.pid" 2>/dev/null) || return 0
        kill -0 "$pid" 2>/dev/null && echo "$pid"
        return 0
}

stop_agent() {
        local pid
        pid=$(agent_pid)
        [ -z "$pid" ] || { kill "$pid"; wait "$pid" 2>/dev/null || true; }
}

# userns_bundle NAME SCRIPT: a busybox sh -c SCRIPT in a user namespace of its
# own (root is host 200000), with CAP_MKNOD and CAP_SYS_ADMIN in it.
userns_bundle() {
        plain_bundle "$1" sh -c "$2"
        jq --arg root "$T/urootfs" '
                .root.path = $root
                | .linux.namespaces += [ { type: "user" } ]
                | .linux.uidMappings = [ { containerID: 0, hostID: 200000, size: 65536 } ]
                | .linux.gidMappings = [ { containerID: 0, hostID: 200000, size: 65536 } ]
                | .process.capabilities |= with_entries(.value += ["CAP_MKNOD", "CAP_SYS_ADMIN"])
        ' "$T/$1/config.json" >"$T/$1/c.new"
        mv "$T/$1/c.new" "$T/$1/config.json"
}

# run_container RUNTIME NAME: through palisade-runtime, stdio to files (a bats pipe would hang run).
run_container() {
        (cd "$T/$2" && PALISADE_RUNTIME=$1 timeout 120 "$SHIM" run "$2" <"$T/in" >"$T/$2.out" 2>&1)
}

@test "agent: palisade-runtime adds the notify rules and the listener to a container with a user namespace only" {
        # The agent guard's own edits, seen without the seccomp guard's merge
        # (the other tests run both, as a host would).
        write_policy '"guards": ["devices", "caps", "agent", "check", "audit"], "audit": { "journal": "'"$JOURNAL"'" },
                "agent": { "socket": "'"$SOCK"'" }'
        userns_bundle agent-s1 true
        jq '.linux.seccomp = { defaultAction: "SCMP_ACT_ALLOW", listenerPath: "/tmp/evil.sock", listenerMetadata: "other" }' \
                "$T/agent-s1/config.json" >"$T/agent-s1/c" && mv "$T/agent-s1/c" "$T/agent-s1/config.json"
        PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/agent-s1" agent-s1 <"$T/in" >"$T/agent-s1.out" 2>&1
        runc delete -f agent-s1
        sc=$(jq -c .linux.seccomp "$T/agent-s1/config.json")
        [ "$(jq -r .listenerPath <<<"$sc")" = "$SOCK" ]
        [ "$(jq -r .listenerMetadata <<<"$sc")" = agent-s1 ]
        [ "$(jq -c '[.syscalls[] | select(.action == "SCMP_ACT_NOTIFY") | [.names[0], .args[0].index, .args[0].value, .args[0].valueTwo, .args[0].op]]' <<<"$sc")" = \
          '[["mknod",1,61440,8192,"SCMP_CMP_MASKED_EQ"],["mknod",1,61440,24576,"SCMP_CMP_MASKED_EQ"],["mknodat",2,61440,8192,"SCMP_CMP_MASKED_EQ"],["mknodat",2,61440,24576,"SCMP_CMP_MASKED_EQ"]]' ]
        # The profile the agent needs restricts nothing: palisade check still says so.
        run "$PALISADE" check "$T/agent-s1/config.json"
        grep -qx 'HIGH      linux.seccomp                 a seccomp profile that refuses nothing' <<<"$output"

        # A profile that refuses by default and allows mknod: split, devices notify, files stay allowed.
        userns_bundle agent-s2 true
        jq '.linux.seccomp = { defaultAction: "SCMP_ACT_ERRNO", syscalls: [ { names: ["mknod", "mknodat", "read"], action: "SCMP_ACT_ALLOW" } ] }' \
                "$T/agent-s2/config.json" >"$T/agent-s2/c" && mv "$T/agent-s2/c" "$T/agent-s2/config.json"
        PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/agent-s2" agent-s2 <"$T/in" >"$T/agent-s2.out" 2>&1
        runc delete -f agent-s2
        [ "$(jq -c '[.linux.seccomp.syscalls[] | select(.names == ["mknod"]) | [.action, .args[0].valueTwo]]' "$T/agent-s2/config.json")" = \
          '[["SCMP_ACT_ALLOW",0],["SCMP_ACT_ALLOW",32768],["SCMP_ACT_ALLOW",4096],["SCMP_ACT_ALLOW",49152],["SCMP_ACT_NOTIFY",8192],["SCMP_ACT_NOTIFY",24576]]' ]
        [ "$(jq -c '.linux.seccomp.syscalls[0]' "$T/agent-s2/config.json")" = '{"names":["read"],"action":"SCMP_ACT_ALLOW"}' ]
        # Allowed by default and by a rule: FIFOs still never reach the agent.
        userns_bundle agent-s4 'mknod /tmp/agent-s4-fifo p && echo fifo && rm /tmp/agent-s4-fifo'
        jq '.linux.seccomp = { defaultAction: "SCMP_ACT_ALLOW", syscalls: [ { names: ["mknod", "mknodat"], action: "SCMP_ACT_ALLOW" } ] }' \
                "$T/agent-s4/config.json" >"$T/agent-s4/c" && mv "$T/agent-s4/c" "$T/agent-s4/config.json"
        run_container runc agent-s4
        [ "$(cat "$T/agent-s4.out")" = fifo ]
        [ "$(jq -c '[.linux.seccomp.syscalls[] | .action] | unique' "$T/agent-s4/config.json")" = '["SCMP_ACT_NOTIFY"]' ]
        ! grep -q agent-s4-fifo "$JOURNAL" || false

        # No user namespace: nothing added (it has CAP_MKNOD already).
        plain_bundle agent-s3 true
        PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/agent-s3" agent-s3 <"$T/in" >"$T/agent-s3.out" 2>&1
        runc delete -f agent-s3
        [ "$(jq -c .linux.seccomp "$T/agent-s3/config.json")" = null ]
}

@test "agent: runc and crun, unprivileged: whitelisted nodes are made and work, others are refused with EPERM" {
        for rt in runc crun; do
                userns_bundle agent-m1 '
                        umount /dev/null && rm -f /dev/null && mknod /dev/null c 1 3 && echo null made
                        echo x >/dev/null && echo null works
                        mknod /tmp/mem c 1 1 2>&1
                        mknod /tmp/fuse c 10 229 && (exec 3<>/tmp/fuse) && echo fuse works
                        mkdir -p /tmp/d && mknod_helper at /tmp/d zero 1 5 && head -c 4 /tmp/d/zero | od -An -tx1
                        mknod_helper thread /tmp/random 1 8 && head -c 1 /tmp/random >/dev/null && echo thread works
                        mknod /tmp/fifo p && [ -p /tmp/fifo ] && echo fifo made
                        mknod /tmp/whiteout c 0 0 && echo whiteout made
                        rm -rf /tmp/d /tmp/fuse /tmp/random /tmp/fifo /tmp/mem /tmp/whiteout'
                annotate agent-m1 io.palisade.devices fuse
                run_container "$rt" agent-m1
                run cat "$T/agent-m1.out"
                echo "$rt: $output"
                [ "${lines[0]}" = "null made" ]
                [ "${lines[1]}" = "null works" ]
                [ "${lines[2]}" = "mknod: /tmp/mem: Operation not permitted" ]
                [ "${lines[3]}" = "fuse works" ]
                [ "${lines[4]}" = "ok" ]
                [ "${lines[5]}" = " 00 00 00 00" ]
                [ "${lines[6]}" = "ok" ]
                [ "${lines[7]}" = "thread works" ]
                [ "${lines[8]}" = "fifo made" ]
                [ "${lines[9]}" = "whiteout made" ]
                [ "${#lines[@]}" -eq 10 ]
                runc delete -f agent-m1 >/dev/null 2>&1 || true
        done
        # Each decision is in the journal, with the container's audit ID.
        aid=$(journal_lines agent-m1 start | tail -1 | jq -r .container.audit_id)
        [ "$(jq -c --arg aid "$aid" 'select(.event == "mknod" and .container.audit_id == $aid) | [.result, .device, .path]' "$JOURNAL" | LC_ALL=C sort -u | tr '\n' ' ')" = \
          '["allowed","c 10:229","/tmp/fuse"] ["allowed","c 1:3","/dev/null"] ["allowed","c 1:5","zero"] ["allowed","c 1:8","/tmp/random"] ["continued","c 0:0","/tmp/whiteout"] ["denied","c 1:1","/tmp/mem"] ' ]
        # /dev is a tmpfs mounted inside the user namespace (SB_I_NODEV): the node was bind-mounted there.
        [ "$(jq -c --arg aid "$aid" 'select(.event == "mknod" and .container.audit_id == $aid and .path == "/dev/null") | .bind_mounted' "$JOURNAL")" = true ]
        # The node is owned by the container's root (its fsuid), not the host's.
        userns_bundle agent-m2 'mknod /tmp/own c 1 3 && stat -c "%u %a" /tmp/own; umask 077; mknod /tmp/own2 c 1 3 && stat -c "%a" /tmp/own2; rm /tmp/own /tmp/own2'
        run_container runc agent-m2
        [ "$(cat "$T/agent-m2.out")" = "$(printf '0 644\n600')" ]
}

@test "agent: a symlink in the rootfs cannot make the agent create a node outside the container" {
        mkdir -p "$T/escape"
        for rt in runc crun; do
                userns_bundle agent-l1 "
                        ln -sf /../../../../../..$T/escape /tmp/esc; mknod /tmp/esc/x c 1 3 2>&1
                        ln -sf $T/escape/y /tmp/link; mknod /tmp/link c 1 3 2>&1
                        cd /tmp && mknod ../../../../../../../agent-top c 1 3 && ls /agent-top
                        rm -f /tmp/esc /tmp/link /agent-top"
                run_container "$rt" agent-l1
                run cat "$T/agent-l1.out"
                echo "$rt: $output"
                [ "${lines[0]}" = "mknod: /tmp/esc/x: No such file or directory" ]
                [ "${lines[1]}" = "mknod: /tmp/link: File exists" ]
                [ "${lines[2]}" = "/agent-top" ]
                [ -z "$(ls -A "$T/escape")" ]
                [ ! -e /agent-top ]
        done
}

@test "agent: 20 containers making nodes in parallel are all answered" {
        pids=()
        for i in $(seq 20); do
                rt=runc; [ $((i % 2)) -eq 0 ] && rt=crun
                userns_bundle "agent-p$i" "for k in \$(seq 25); do mknod /tmp/p$i-\$k c 1 3 || exit 1; rm /tmp/p$i-\$k; done; echo done"
                run_container "$rt" "agent-p$i" &
                pids+=($!)
        done
        for p in "${pids[@]}"; do wait "$p"; done
        for i in $(seq 20); do
                echo "agent-p$i: $(cat "$T/agent-p$i.out")"
                [ "$(cat "$T/agent-p$i.out")" = "done" ]
        done
        [ "$(jq -c 'select(.event == "mknod" and (.container.id | startswith("agent-p")) and .result == "allowed")' "$JOURNAL" | wc -l)" -eq 500 ]
}

@test "agent: killing the agent mid-run makes mknod fail with an error, never hang; a restarted agent serves new containers" {
        for rt in runc crun; do
                k=agent-k1-$rt
                # shellcheck disable=SC2016 # the container's shell expands it
                userns_bundle $k 'i=0; while [ $i -lt 4000 ]; do mknod /tmp/k c 1 3 2>>/tmp/k.err; rm -f /tmp/k; i=$((i + 1)); done; echo finished; sort -u /tmp/k.err; rm -f /tmp/k.err'
                run_container "$rt" $k &
                cpid=$!
                # Mid-run: once the agent has answered a few of its calls.
                for _ in $(seq 100); do [ "$(grep -c "\"id\":\"$k\"" "$JOURNAL")" -gt 20 ] && break; sleep 0.1; done
                kill -9 "$(agent_pid)"
                wait "$cpid"
                run cat "$T/$k.out"
                echo "$rt: $output"
                [ "${lines[0]}" = finished ]
                [ "${lines[1]}" = "mknod: /tmp/k: Function not implemented" ]
                start_agent
                userns_bundle agent-k2 'mknod /tmp/k2 c 1 3 && echo made; rm -f /tmp/k2'
                run_container "$rt" agent-k2
                [ "$(cat "$T/agent-k2.out")" = made ]
        done
}

@test "agent: without the agent a container cannot start (fail closed), and a hostile connection does not stop it" {
        stop_agent
        userns_bundle agent-n1 'echo started'
        ! run_container runc agent-n1 || false
        [ "$(cat "$T/agent-n1.out")" != started ]
        start_agent
        # Garbage, a message without a listener fd, and a silent connection: the agent carries on.
        python3 -c '
import socket, sys
for payload in [b"\x00garbage", b"{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"],\"pid\":1,\"state\":{\"id\":\"x\",\"status\":\"creating\"}}"]:
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(payload); s.close()
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
' "$SOCK"
        userns_bundle agent-n2 'mknod /tmp/n2 c 1 3 && echo made; rm -f /tmp/n2'
        run_container crun agent-n2
        [ "$(cat "$T/agent-n2.out")" = made ]
        grep -q 'no seccomp listener among them' "$T/agent.log"
}

@test "agent: a call past agent.timeout_ms fails with EPERM and the agent serves on" {
        stop_agent
        write_policy '"guards": ["devices", "caps", "seccomp", "agent", "check", "audit"], "audit": { "journal": "'"$JOURNAL"'" },
                "agent": { "socket": "'"$SOCK"'", "timeout_ms": 50 }'
        start_agent
        # A worker held up in its mknodat (as by a hung filesystem): strace delays the call by 2 s.
        strace -f -qq -o /dev/null -e trace=mknodat -e inject=mknodat:delay_enter=2000000 -p "$(agent_pid)" 2>/dev/null &
        tracer=$!
        sleep 1
        userns_bundle agent-t1 'mknod /tmp/t1 c 1 3 2>&1; rm -f /tmp/t1'
        run_container runc agent-t1
        kill "$tracer"
        wait "$tracer" || true
        run cat "$T/agent-t1.out"
        echo "$output"
        [ "$output" = "mknod: /tmp/t1: Operation not permitted" ]
        grep -q 'container agent-t1: a call took longer than agent.timeout_ms: answered EPERM' "$T/agent.log"
        stop_agent
        agent_policy
        start_agent
        userns_bundle agent-t2 'mknod /tmp/t2 c 1 3 && echo made; rm -f /tmp/t2'
        run_container runc agent-t2
        [ "$(cat "$T/agent-t2.out")" = made ]
}

@test "agent: systemd socket activation (LISTEN_FDS) serves as the agent's own socket does" {
        stop_agent
        rm -f "$SOCK"
        # A listening socket on fd 3 and LISTEN_PID set to the agent's PID, as systemd does.
        python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(16)
os.dup2(s.fileno(), 3)
os.environ.update(LISTEN_PID=str(os.getpid()), LISTEN_FDS="1", LISTEN_FDNAMES="palisade-agent.socket")
os.execv(sys.argv[2], ["palisade", "agent"])
' "$SOCK" "$PALISADE" >>"$T/agent.log" 2>&1 &
        echo $! >"$T/agent.pid"
        for _ in $(seq 50); do [ "$(grep -c listening "$T/agent.log")" -gt 0 ] && [ -S "$SOCK" ] && break; sleep 0.1; done
        userns_bundle agent-a1 'mknod /tmp/a1 c 1 3 && echo made; rm -f /tmp/a1'
        run_container runc agent-a1
        [ "$(cat "$T/agent-a1.out")" = made ]
        stop_agent
}

@test "agent: stops on SIGTERM with nothing reported by the sanitizers" {
        stop_agent
        ! grep -E 'AddressSanitizer|LeakSanitizer|runtime error' "$T/agent.log" || false
}
