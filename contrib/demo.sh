#!/usr/bin/env bash
# `make demo`: build palisade, run one busybox container through runc with
# palisade-hook on the embedded default policy, and show its audit container
# ID, the registry, the journal and the audit records. Debian 12, as root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

[ "$(id -u)" -eq 0 ] || { echo "make demo: run as root" >&2; exit 1; }
contrib/install-deps.sh build
apt_missing=()
for p in runc busybox-static auditd jq; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || apt_missing+=("$p")
done
if [ ${#apt_missing[@]} -gt 0 ]; then
        echo "demo: installing ${apt_missing[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi
make -s -j2 all

work=$(mktemp -d /tmp/palisade-demo.XXXXXX)
name=demo-$$
auditd_pid=
enabled_before=$(auditctl -s 2>/dev/null | awk '$1 == "enabled" { print $2 }')
cleanup() {
        runc delete -f "$name" >/dev/null 2>&1 || true
        if [ -n "$auditd_pid" ]; then
                kill "$auditd_pid" 2>/dev/null || true
                wait "$auditd_pid" 2>/dev/null || true
                auditctl -e "${enabled_before:-0}" >/dev/null 2>&1 || true
        fi
        rm -rf "$work"
}
trap cleanup EXIT

# An audit daemon of our own if none runs, logging into the scratch directory.
if ! pgrep -x auditd >/dev/null && [ -r /etc/audit/auditd.conf ]; then
        mkdir -p "$work/auditd/plugins"
        sed -e "s|^log_file.*|log_file = $work/audit.log|" -e "s|^plugin_dir.*|plugin_dir = $work/auditd/plugins|" \
            /etc/audit/auditd.conf >"$work/auditd/auditd.conf"
        auditd -n -c "$work/auditd" >/dev/null 2>&1 &
        auditd_pid=$!
        sleep 1
fi
audit_log=$work/audit.log
[ -n "$auditd_pid" ] || audit_log=/var/log/audit/audit.log

test/make-rootfs.sh "$work/bundle/rootfs"
(cd "$work/bundle" && runc spec)
jq --arg hook "$root/build/palisade-hook" '
        .process.terminal = false
        | .process.args = ["sh", "-c", "echo \"inside: pid $$, pid namespace $(readlink /proc/self/ns/pid)\"; sleep 2"]
        | .hooks = {
            createRuntime: [ { path: $hook, args: ["palisade-hook", "createRuntime"] } ],
            poststop: [ { path: $hook, args: ["palisade-hook", "poststop"] } ] }
' "$work/bundle/config.json" >"$work/config.json"
mv "$work/config.json" "$work/bundle/config.json"

echo "== runc run -d $name (palisade-hook registered for createRuntime and poststop)"
(cd "$work/bundle" && runc run -d --pid-file "$work/pid" "$name" </dev/null >"$work/out" 2>&1)
pid=$(cat "$work/pid")
echo
echo "== palisade ps"
build/palisade ps
echo
echo "== palisade audit-id $pid (the container's init, by its namespaces)"
build/palisade audit-id "$pid"
while runc state "$name" 2>/dev/null | grep -q '"running"'; do sleep 0.2; done
runc delete "$name"
cat "$work/out"

policy=${PALISADE_CONFIG:-/etc/palisade/config.json}
[ -e "$policy" ] || policy=config.example.json   # the embedded default
journal=$(jq -r '.audit.journal // "/var/log/palisade/journal.jsonl"' "$policy")
echo
echo "== journal ($journal), this container's lines"
jq -c --arg id "$name" 'select(.container.id == $id) | {time, event, result, audit, audit_id: .container.audit_id, pid: .container.pid, pid_ns: .container.namespaces.pid.ino}' "$journal"
id=$(jq -r --arg id "$name" 'select(.container.id == $id and .event == "start") | .container.audit_id' "$journal" | tail -1)
echo
echo "== audit container ID of $name: $id"
echo
echo "== audit records (ausearch -m VIRT_CONTROL -i)"
sleep 0.5
ausearch -if "$audit_log" -m VIRT_CONTROL -i 2>/dev/null | grep -F "uuid=$id" || echo "(no audit records: audit unavailable here; the journal holds the facts)"
