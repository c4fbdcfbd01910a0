# The audit guard against a real auditd: records land in the audit log,
# ausearch finds and renders them, and audit.required fails closed.

load helpers

setup_file() {
        palisade_setup_file
        auditctl -s | awk '$1 == "enabled" { print $2 }' >"$T/enabled-before"
        auditd_start
}

teardown_file() {
        auditd_stop
        # Leave the machine as we found it.
        auditctl -e "$(cat "$T/enabled-before" 2>/dev/null || echo 0)" >/dev/null
        palisade_teardown_file
}

teardown() {
        remove runc a4 || true
        remove runc a1 || true
        remove runc a2 || true
        remove runc a3 || true
}

# await_records TYPE TEXT: wait until auditd has flushed a TYPE record containing TEXT.
await_records() {
        for _ in $(seq 50); do
                ausearch -if "$T/audit.log" -m "$1" -i 2>/dev/null | grep -qF "$2" && return 0
                sleep 0.1
        done
        return 1
}

# audit_records AUDIT-ID NAME: interpreted VIRT_CONTROL records for it, once the stop one is flushed.
audit_records() {
        await_records VIRT_CONTROL "op=stop reason=exit vm=$2 uuid=$1" || true
        ausearch -if "$T/audit.log" -m VIRT_CONTROL -i | grep -F "uuid=$1"
}

@test "auditd: create and stop records carry the audit container ID, PID and namespaces" {
        make_bundle a1 sh -c 'sleep 0.5'
        (cd "$T/a1" && runc run a1 </dev/null)
        line=$(journal_lines a1 start)
        id=$(jq -r .container.audit_id <<<"$line")
        pid=$(jq -r .container.pid <<<"$line")
        pidns=$(jq -r .container.namespaces.pid.ino <<<"$line")
        [ "$(jq -r .audit <<<"$line")" = sent ]

        run audit_records "$id" a1
        [ "$status" -eq 0 ]
        [ "${#lines[@]}" -eq 2 ]
        [[ "${lines[0]}" == *"virt=palisade op=start reason=create vm=a1 uuid=$id vm-pid=$pid init-pid=$pid pid-ns=$pidns ns=cgroup:"* ]]
        [[ "${lines[0]}" == *"res=success"* ]]
        [[ "${lines[1]}" == *"virt=palisade op=stop reason=exit vm=a1 uuid=$id"* ]]
}

@test "auditd: a refused start is recorded as a failure" {
        make_bundle a2
        annotate a2 io.palisade.audit-id 00000000-0000-0000-0000-000000000000
        run start_detached runc a2
        [ "$status" -ne 0 ]
        runtime_log a2 | grep -F 'palisade-hook: container a2: audit guard: config.json: annotations["io.palisade.audit-id"]: the nil UUID cannot identify a container'
        await_records VIRT_CONTROL "vm=a2"
        run ausearch -if "$T/audit.log" -m VIRT_CONTROL -i
        [[ "$output" == *"op=start reason=refused vm=a2"*"res=failed"* ]]
}

@test "auditd: every device granted gets an AUDIT_VIRT_RESOURCE record with the container's audit ID" {
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "devices": { "profiles": { "fuse": [ { "path": "/dev/fuse" } ] } }'
        plain_bundle a4 true
        annotate a4 io.palisade.devices fuse
        : >"$T/in"
        (cd "$T/a4" && PALISADE_RUNTIME=runc "$SHIM" run a4 <"$T/in")
        id=$(journal_lines a4 start | jq -r .container.audit_id)
        [ "$(journal_lines a4 start | jq -c .container.devices)" = '["c 10:229 rwm /dev/fuse"]' ]
        await_records VIRT_RESOURCE "uuid=$id"
        run ausearch -if "$T/audit.log" -m VIRT_RESOURCE -i
        [[ "$output" == *"virt=palisade resrc=cgroup reason=allow vm=a4 uuid=$id class=path path=/dev/fuse rdev=0A:E5 acl=rwm"*"res=success"* ]]
}

# Last: it stops auditd.
@test "auditd: with audit.required, a start is refused once audit is unavailable" {
        write_policy '"audit": { "journal": "'"$JOURNAL"'", "required": true }'
        make_bundle a3 true
        (cd "$T/a3" && runc run a3 </dev/null)      # auditd running: allowed
        remove runc a3

        auditd_stop
        auditctl -e 0 >/dev/null
        run start_detached runc a3
        [ "$status" -ne 0 ]
        runtime_log a3 | grep -F "palisade-hook: container a3: audit guard: audit system unavailable: audit is disabled (auditctl -e 0), and policy $T/policy.json sets audit.required"
        # The journal still has the facts.
        [ "$(journal_lines a3 start | tail -1 | jq -r .audit)" = "unavailable: audit is disabled (auditctl -e 0)" ]
        [ ! -e "$STATE/containers/a3" ]
        [ -z "$(ls "$STATE/leases")" ]
}
