# Reused bundles, seccomp agents of the bundle's own, and palisade-hook entries
# palisade did not write, through palisade-runtime over runc and crun.
# Container IDs start with "ru-" (IDs are global on the machine).

load helpers

setup_file() {
        palisade_setup_file
        : >"$T/empty"
        : >"$T/subuid"
        : >"$T/subgid"
        mkdir -p "$T/cdi"
        cat >"$T/cdi/class.json" <<JSON
{ "cdiVersion": "0.6.0", "kind": "palisade.test/class",
  "devices": [ { "name": "fuse", "containerEdits": { "deviceNodes": [ { "path": "/dev/fuse" } ] } } ] }
JSON
        write_policy '"guards": ["userns", "devices", "caps", "seccomp", "check", "audit"],
                "audit": { "journal": "'"$JOURNAL"'" }, "devices": { "cdi_dirs": ["'"$T/cdi"'"] },
                "userns": { "mode": "keep", "pool": { "start": 3000000, "size": 65536, "count": 16 },
                            "subuid": "'"$T/subuid"'", "subgid": "'"$T/subgid"'" }'
        gcc -O2 -Wall -o "$T/notify_agent" "$ROOT/test/agent/notify_agent.c"
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        for rt in runc crun; do
                for c in ru-cdi1 ru-cdi2 ru-ux1 ru-ux2 ru-re1 ru-ag1 ru-ev1 ru-ev; do
                        remove "$rt" "$c" env PALISADE_RUNTIME="$rt" "$SHIM"
                done
        done
        [ -z "${agent:-}" ] || kill "$agent" 2>/dev/null || true
}

# ru_run RUNTIME BUNDLE ID: run the bundle's container as ID through
# palisade-runtime, in the foreground, never for more than 20 seconds.
ru_run() {
        (cd "$T/$2" && timeout 20 env PALISADE_RUNTIME="$1" "$SHIM" run "$3" <"$T/empty" 2>&1)
}

# edit BUNDLE JQ-FILTER [JQ-ARGS...]: the owner edits its config.json.
edit() {
        local b=$1 f=$2
        shift 2
        jq "$@" "$f" "$T/$b/config.json" >"$T/$b/c.new"
        mv "$T/$b/c.new" "$T/$b/config.json"
}

opens() {
        echo "if [ -c $1 ] && (exec 3<>$1) 2>/dev/null; then echo $1: opened; else echo $1: refused; fi"
}

@test "reuse: a CDI request the owner removed no longer grants its device (runc and crun)" {
        for rt in runc crun; do
                plain_bundle ru-cdi sh -c "$(opens /dev/fuse)"
                annotate ru-cdi cdi.k8s.io/x palisade.test/class=fuse
                run ru_run "$rt" ru-cdi ru-cdi1
                [ "$output" = "/dev/fuse: opened" ]
                # The owner takes the request back and changes a key palisade never wrote.
                edit ru-cdi 'del(.annotations["cdi.k8s.io/x"]) | .hostname = "owner-edit"'
                run ru_run "$rt" ru-cdi ru-cdi2
                [ "$output" = "/dev/fuse: refused" ]
                [ "$(jq '[.linux.devices[]?, .linux.resources.devices[]? | select(.major == 10)] | length' \
                        "$T/ru-cdi/config.json")" -eq 0 ]
                [ "$(jq -r .hostname "$T/ru-cdi/config.json")" = owner-edit ]
        done
}

@test "reuse: a bundle run with userns auto runs again under another container ID (runc and crun)" {
        for rt in runc crun; do
                # shellcheck disable=SC2016
                plain_bundle ru-ux sh -c 'echo in; awk "\$1 == 0 { print \$2 }" /proc/self/uid_map'
                annotate ru-ux io.palisade.userns auto
                run ru_run "$rt" ru-ux ru-ux1
                [ "$status" -eq 0 ]
                [ "${lines[0]}" = in ]
                [ "${lines[1]}" -ge 3000000 ]
                [ "$(jq -r .root.path "$T/ru-ux/config.json")" = "$STATE/userns/ru-ux1/rootfs" ]
                run ru_run "$rt" ru-ux ru-ux2
                [ "$status" -eq 0 ]
                [ "${lines[0]}" = in ]
                [ "$(jq -r .root.path "$T/ru-ux/config.json")" = "$STATE/userns/ru-ux2/rootfs" ]
                # Back to the owner's: the annotation gone, no user namespace and the owner's root.
                edit ru-ux 'del(.annotations["io.palisade.userns"])'
                run ru_run "$rt" ru-ux ru-ux1
                [ "$status" -eq 0 ]
                [ "${lines[1]}" = 0 ]
                [ "$(jq -r .root.path "$T/ru-ux/config.json")" = "$T/rootfs" ]
                [ "$(jq '[.linux.namespaces[] | select(.type == "user")] | length' "$T/ru-ux/config.json")" -eq 0 ]
        done
}

@test "reuse: a retried create of the same ID writes nothing (config.json and its record, same bytes)" {
        plain_bundle ru-re
        annotate ru-re cdi.k8s.io/x palisade.test/class=fuse
        PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/ru-re" ru-re1 </dev/null
        runc delete -f ru-re1
        before=$(stat -c '%i %Y' "$T/ru-re/config.json" "$T/ru-re/config.json.palisade")
        sums=$(cat "$T/ru-re/config.json" "$T/ru-re/config.json.palisade" | sha256sum)
        PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/ru-re" ru-re1 </dev/null
        [ "$(stat -c '%i %Y' "$T/ru-re/config.json" "$T/ru-re/config.json.palisade")" = "$before" ]
        [ "$(cat "$T/ru-re/config.json" "$T/ru-re/config.json.palisade" | sha256sum)" = "$sums" ]
        # What the spec phase changed is in the record, and palisade inspect shows it.
        run "$PALISADE" inspect ru-re1
        [ "$status" -eq 0 ]
        [ "$(jq -r '.spec_changes[] | select(.path == "linux.devices") | .after[0].path' <<<"$output")" = /dev/fuse ]
}

@test "agent: a seccomp agent of the bundle's own reads the state as runc's does and serves the call (runc and crun)" {
        for rt in runc crun; do
                plain_bundle ru-ag sh -c 'mkdir /tmp/agentdir 2>&1; echo done'
                # shellcheck disable=SC2016
                edit ru-ag '.linux.seccomp = { defaultAction: "SCMP_ACT_ALLOW", listenerPath: $sock,
                        architectures: ["SCMP_ARCH_X86_64"],
                        syscalls: [ { names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY" } ] }' \
                        --arg sock "$T/ru-agent.sock"
                rm -f "$T/ru-agent.sock"
                # EXDEV for every intercepted call; the agent gives up after 30 s whatever happens.
                "$T/notify_agent" "$T/ru-agent.sock" 18 30 >"$T/agent.out" 2>&1 &
                agent=$!
                for _ in $(seq 50); do
                        [ -S "$T/ru-agent.sock" ] && break
                        sleep 0.1
                done
                run ru_run "$rt" ru-ag ru-ag1
                kill "$agent" 2>/dev/null || true
                wait "$agent" || true
                agent=
                cat "$T/agent.out"
                [ "$status" -eq 0 ]
                [ "${lines[0]}" = "mkdir: can't create directory '/tmp/agentdir': Invalid cross-device link" ]
                grep -q '^served syscall' "$T/agent.out"
                [ "$(awk '/^state/ { print $2 }' "$T/agent.out")" -lt 4096 ]
                # What palisade adds to the state every hook and agent receives stays small.
                [ "$(jq '[.annotations | to_entries[] | select(.key | startswith("io.palisade."))
                        | (.key | length) + (.value | length)] | add' "$T/ru-ag/config.json")" -lt 512 ]
        done
}

# evil_hooks BUNDLE POLICY: the bundle registers palisade-hook itself, under a policy of its choosing.
evil_hooks() {
        # shellcheck disable=SC2016
        edit "$1" '.hooks = { createRuntime: [ { path: $hook, args: ["palisade-hook", "createRuntime"], env: [$env] } ],
                              poststart: [ { path: $hook, args: ["palisade-hook", "poststart"], env: [$env] } ],
                              poststop: [ { path: $hook, args: ["palisade-hook", "poststop"], env: [$env] } ] }' \
                --arg hook "$HOOK" --arg env "PALISADE_CONFIG=$2"
}

@test "hooks: palisade-hook entries of the bundle's own run under palisade's policy, not the bundle's (runc and crun)" {
        for rt in runc crun; do
                rm -rf "$T/evil-state" "$T/evil-journal"
                plain_bundle ru-ev sh -c 'echo in'
                printf '{ "guards": ["audit"], "state_dir": "%s", "audit": { "journal": "%s" } }\n' \
                        "$T/evil-state" "$T/evil-journal" >"$T/ru-ev/evil.json"
                evil_hooks ru-ev "$T/ru-ev/evil.json"
                run ru_run "$rt" ru-ev ru-ev1
                [ "$status" -eq 0 ]
                [ "$output" = in ]
                [ ! -e "$T/evil-journal" ]
                [ ! -e "$T/evil-state" ]
                [ "$(journal_lines ru-ev1 start | wc -l)" -ge 1 ]
                # Only palisade's own entries, with the shim's policy.
                [ "$(jq -c '[.hooks[][] | select(.args[0] == "palisade-hook") | .env]
                        | unique' "$T/ru-ev/config.json")" = "[[\"PALISADE_CONFIG=$PALISADE_CONFIG\"]]" ]
                [ "$(jq '.hooks.createRuntime | length' "$T/ru-ev/config.json")" -eq 1 ]
        done
}

@test "hooks: without the shim, palisade-hook refuses a policy in the bundle or one not root's alone (runc and crun)" {
        for rt in runc crun; do
                plain_bundle ru-ev sh -c 'echo in'
                printf '{ "guards": [] }\n' >"$T/ru-ev/evil.json"
                evil_hooks ru-ev "$T/ru-ev/evil.json"
                run start_detached "$rt" ru-ev
                [ "$status" -ne 0 ]
                runtime_log ru-ev | grep -qF "PALISADE_CONFIG $T/ru-ev/evil.json: refused as the policy: $T/ru-ev/evil.json is inside the bundle $T/ru-ev"
                "$rt" delete -f ru-ev >/dev/null 2>&1 || true

                printf '{ "guards": [] }\n' >"$T/other.json"
                chmod 0666 "$T/other.json"
                evil_hooks ru-ev "$T/other.json"
                : >"$T/ru-ev.hook.log"
                run start_detached "$rt" ru-ev
                [ "$status" -ne 0 ]
                runtime_log ru-ev | grep -qF "$T/other.json is not a regular file owned by root and writable by root alone"
                "$rt" delete -f ru-ev >/dev/null 2>&1 || true
        done
}
