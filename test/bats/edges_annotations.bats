# What a bundle asks of the runtime behind the spec (issue 14, items 1, 4 and
# 10): runtime annotations that change enforcement (crun's
# run.oci.seccomp_bpf_data swaps palisade's filter), io.palisade.* requests no
# enabled guard serves, and the bundle's own hooks, which the runtime runs as
# root on the host. Refused in every door: palisade-runtime create/run,
# palisade-hook precreate (Podman), createRuntime; reported by palisade check.

load helpers

bats_require_minimum_version 1.5.0

BPF_ALLOW=BgAAAAAA/38=  # one instruction: return SECCOMP_RET_ALLOW

setup_file() {
        palisade_setup_file
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        for rt in runc crun; do
                for c in ea1 ea2 ea3 ea4 ea6 ea7 ea8; do
                        "$rt" delete -f "$c" >/dev/null 2>&1 || true
                done
        done
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
        docker_stop
}

# The container's verdict on creating a user namespace, which palisade's filter denies.
ESCAPE='if unshare -U true 2>/dev/null; then echo ESCAPED; else echo denied; fi'

bpf_message() {
        echo "$1: container $2: config.json: annotations[\"run.oci.seccomp_bpf_data\"]: read by crun (checked against crun 1.8.1, runc 1.1.5): crun installs this raw BPF program instead of linux.seccomp: it replaces palisade's filter; policy $T/policy.json does not allow it (runtime_annotations.allow)"
}

@test "annotations: run.oci.seccomp_bpf_data does not replace palisade's filter on crun (shim)" {
        # Without the annotation palisade's filter is what crun installs: unshare is denied.
        plain_bundle ea1 sh -c "$ESCAPE"
        run env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/ea1" ea1 </dev/null
        [ "$status" -eq 0 ]
        [ "$output" = denied ]
        crun delete -f ea1

        # The issue's reproduction: the bundle's own program, an ALLOW for everything.
        plain_bundle ea1 sh -c "$ESCAPE"
        annotate ea1 run.oci.seccomp_bpf_data "$BPF_ALLOW"
        cp "$T/ea1/config.json" "$T/ea1.orig"
        run env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/ea1" ea1 </dev/null
        [ "$status" -eq 1 ]
        [ "$output" = "$(bpf_message palisade-runtime ea1)" ]
        # Refused before the runtime: no container, the bundle untouched.
        run crun state ea1
        [ "$status" -ne 0 ]
        cmp "$T/ea1/config.json" "$T/ea1.orig"
}

@test "annotations: runtime_annotations.allow lets a named one through, and only that one" {
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "runtime_annotations": { "allow": ["run.oci.hooks.stderr", "run.oci.seccomp_bpf_data"] }'
        plain_bundle ea2 sh -c "$ESCAPE"
        annotate ea2 run.oci.seccomp_bpf_data "$BPF_ALLOW"
        run env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/ea2" ea2 </dev/null
        [ "$status" -eq 0 ]
        # What the owner of the host accepted: crun ran the bundle's program, not palisade's.
        [ "$output" = ESCAPED ]
        crun delete -f ea2

        plain_bundle ea2 true
        annotate ea2 run.oci.seccomp.plugins /tmp/x.so
        run env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/ea2" ea2 </dev/null
        [ "$status" -eq 1 ]
        [[ "$output" == 'palisade-runtime: container ea2: config.json: annotations["run.oci.seccomp.plugins"]: read by crun (checked against crun 1.8.1, runc 1.1.5): crun dlopens the named libraries as root on the host'* ]]
        # An allow list of one's own replaces the default: run.oci.hooks.stderr is refused then.
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "runtime_annotations": { "allow": [] }'
        plain_bundle ea2 true
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/ea2" ea2 </dev/null
        [ "$status" -eq 1 ]
        [[ "$output" == 'palisade-runtime: container ea2: config.json: annotations["run.oci.hooks.stderr"]: read by crun '*"crun opens this host path as root"*"(runtime_annotations.allow)" ]]
}

@test "annotations: unknown run.oci.* keys and org.systemd.property.* are refused; harmless ones pass" {
        plain_bundle ea3 true
        annotate ea3 run.oci.some_future_knob 1
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/ea3" ea3 </dev/null
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container ea3: config.json: annotations[\"run.oci.some_future_knob\"]: read by crun (checked against crun 1.8.1, runc 1.1.5): crun's own annotation namespace: a key this table does not know may change enforcement in a newer crun; policy $T/policy.json does not allow it (runtime_annotations.allow)" ]

        plain_bundle ea3 true
        annotate ea3 org.systemd.property.DevicePolicy auto
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/ea3" ea3 </dev/null
        [ "$status" -eq 1 ]
        [[ "$output" == 'palisade-runtime: container ea3: config.json: annotations["org.systemd.property.DevicePolicy"]: read by runc, crun '* ]]

        # containerd's CRI sets io.kubernetes.cri.container-type on every container.
        plain_bundle ea3 true
        annotate ea3 io.kubernetes.cri.container-type container
        annotate ea3 run.oci.timens_offset "monotonic 0 0"
        run env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/ea3" ea3 </dev/null
        [ "$status" -eq 0 ]
}

@test "annotations: Podman's precreate door carries the refusal to createRuntime" {
        make_bundle ea4 true
        annotate ea4 run.oci.seccomp_bpf_data "$BPF_ALLOW"
        "$HOOK" precreate <"$T/ea4/config.json" >"$T/ea4.precreated"
        hostname=$(jq -r .hostname "$T/ea4/config.json")
        [ "$(jq -r '.annotations["io.palisade.refused"]' "$T/ea4.precreated")" = "$(bpf_message x "$hostname" | sed 's/^x: container [^:]*: //')" ]
        # Nothing of the spec phase was applied to the config passed on.
        [ "$(jq -r '.annotations["io.palisade.spec"]' "$T/ea4.precreated")" = null ]
        for rt in runc crun; do
                cp "$T/ea4.precreated" "$T/ea4/config.json"
                rm -f "$T/ea4.hook.log"
                run start_detached "$rt" ea4
                [ "$status" -ne 0 ]
                runtime_log ea4 | grep -qF 'palisade-hook: container ea4: refused at precreate: config.json: annotations["run.oci.seccomp_bpf_data"]'
                "$rt" delete -f ea4 >/dev/null 2>&1 || true
        done
}

@test "annotations: createRuntime refuses a bundle that never went through the spec phase" {
        for rt in runc crun; do
                make_bundle ea4 true
                annotate ea4 run.oci.seccomp_bpf_data "$BPF_ALLOW"
                run start_detached "$rt" ea4
                [ "$status" -ne 0 ]
                runtime_log ea4 | grep -qF "$(bpf_message palisade-hook ea4)"
                # Refused like any guard's refusal: journaled, nothing left registered.
                [ "$(journal_lines ea4 start | tail -n 1 | jq -r .error)" = "$(bpf_message x ea4 | sed 's/^x: container ea4: //')" ]
                [ ! -e "$STATE/containers/ea4" ]
                "$rt" delete -f ea4 >/dev/null 2>&1 || true
        done
}

@test "annotations: palisade check reports each runtime annotation as critical, the bundle's hooks as high" {
        plain_bundle ea5 true
        annotate ea5 run.oci.seccomp_bpf_data "$BPF_ALLOW"
        annotate ea5 org.systemd.property.DeviceAllow "/dev/sda rwm"
        jq '.hooks.prestart = [ { path: "/bin/sh", args: ["sh", "-c", "id"] } ]' "$T/ea5/config.json" >"$T/ea5/c"
        mv "$T/ea5/c" "$T/ea5/config.json"
        run "$PALISADE" check --json "$T/ea5"
        [ "$status" -eq 4 ]
        [ "$(jq -c '[.[] | select(.path | test("^annotations|^hooks")) | .path] | sort' <<<"$output")" = '["annotations[\"org.systemd.property.DeviceAllow\"]","annotations[\"run.oci.hooks.stderr\"]","annotations[\"run.oci.seccomp_bpf_data\"]","hooks.prestart[0].path"]' ]
        [ "$(jq -r '.[] | select(.path == "annotations[\"run.oci.hooks.stderr\"]") | .severity' <<<"$output")" = medium ]
        [ "$(jq -r '.[] | select(.path == "annotations[\"run.oci.seccomp_bpf_data\"]") | .severity' <<<"$output")" = critical ]
        [ "$(jq -r '.[] | select(.path == "annotations[\"org.systemd.property.DeviceAllow\"]") | .severity' <<<"$output")" = critical ]
        [ "$(jq -r '.[] | select(.path == "hooks.prestart[0].path") | .finding' <<<"$output")" = "runs /bin/sh as root on the host" ]
}

@test "annotations: an io.palisade.* request for a guard that is off is refused, naming the guard and guards" {
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "guards": ["devices", "caps", "seccomp", "check", "audit"]'
        plain_bundle ea6 true
        annotate ea6 io.palisade.userns auto
        for rt in runc crun; do
                run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/ea6" ea6 </dev/null
                [ "$status" -eq 1 ]
                [ "$output" = "palisade-runtime: container ea6: config.json: annotations[\"io.palisade.userns\"]: the userns guard, which serves it, is not enabled in policy $T/policy.json (guards); enable it there or remove the annotation" ]
        done
        # createRuntime, for a bundle that bypassed the spec phase.
        make_bundle ea6 true
        annotate ea6 io.palisade.userns auto
        run start_detached runc ea6
        [ "$status" -ne 0 ]
        runtime_log ea6 | grep -qF "palisade-hook: container ea6: config.json: annotations[\"io.palisade.userns\"]: the userns guard, which serves it, is not enabled in policy $T/policy.json (guards)"
}

@test "annotations: io.palisade.userns=auto works under the default guards" {
        # The test policy leaves guards out: the default list, which now holds userns (mode keep).
        for rt in runc crun; do
                plain_bundle ea6 sh -c 'cat /proc/self/uid_map'
                annotate ea6 io.palisade.userns auto
                run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/ea6" ea6 </dev/null
                [ "$status" -eq 0 ]
                # Container root is a host ID of palisade's pool, not host root.
                read -r inside host size <<<"$output"
                [ "$inside" -eq 0 ]
                [ "$host" -ge 1000000 ]
                [ "$size" -eq 65536 ]
                PALISADE_RUNTIME=$rt "$SHIM" delete -f ea6
        done
}

hook_message() {
        echo "palisade-runtime: container $1: config.json: hooks.$2.path: \"/bin/sh\" is not a hook program policy $T/policy.json allows (hooks.allow); the runtime would run it as root before palisade could refuse the container"
}

@test "hooks: the bundle's own hooks are refused in the spec phase unless policy lists their program" {
        for stage in prestart createRuntime poststart poststop; do
                for rt in runc crun; do
                        plain_bundle ea7 true
                        jq --arg stage "$stage" --arg mark "$T/ea7.ran" \
                           '.hooks[$stage] = [ { path: "/bin/sh", args: ["sh", "-c", "touch " + $mark] } ]' \
                           "$T/ea7/config.json" >"$T/ea7/c"
                        mv "$T/ea7/c" "$T/ea7/config.json"
                        run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/ea7" ea7 </dev/null
                        [ "$status" -eq 1 ]
                        [ "$output" = "$(hook_message ea7 "${stage}[0]")" ]
                        [ ! -e "$T/ea7.ran" ]
                done
        done
        # Podman's door: the refusal travels to createRuntime in io.palisade.refused.
        "$HOOK" precreate <"$T/ea7/config.json" >"$T/ea7.precreated"
        [[ "$(jq -r '.annotations["io.palisade.refused"]' "$T/ea7.precreated")" == 'config.json: hooks.poststop[0].path: "/bin/sh" is not a hook program'* ]]

        # Listed in hooks.allow, the same hook runs.
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "hooks": { "allow": ["/bin/sh sh"] }'
        plain_bundle ea7 true
        jq --arg mark "$T/ea7.ran" '.hooks.prestart = [ { path: "/bin/sh", args: ["sh", "-c", "touch " + $mark] } ]' \
           "$T/ea7/config.json" >"$T/ea7/c"
        mv "$T/ea7/c" "$T/ea7/config.json"
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/ea7" ea7 </dev/null
        [ "$status" -eq 0 ]
        [ -e "$T/ea7.ran" ]
}

@test "hooks: palisade's own hook and Podman's hooks.d flow are not refused" {
        # make_bundle registers palisade-hook by hand: through the shim it passes (its entries are palisade's).
        make_bundle ea8 true
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/ea8" ea8 </dev/null
        [ "$status" -eq 0 ]
}

# docker_daemon: a private dockerd (socket, roots and state under $T) with
# palisade-runtime registered as "palisade" through a wrapper naming this
# test's policy. The policy's filter is none: merging Docker's own is issue 14
# item 9's business, not this test's.
docker_daemon() {
        mkdir -p "$T/dk"
        # Docker loses the runtime's stderr: keep a copy.
        printf '#!/bin/sh\nexec 2>>%s\nPALISADE_CONFIG=%s PALISADE_RUNTIME=runc exec %s "$@"\n' "$T/dk/stderr" \
                "$T/dk/policy.json" "$SHIM" >"$T/dk/palisade"
        chmod +x "$T/dk/palisade"
        dockerd --data-root "$T/dk/data" --exec-root "$T/dk/exec" -H "unix://$T/dk/docker.sock" \
                --pidfile "$T/dk/docker.pid" --bridge=none --iptables=false --ip6tables=false \
                --add-runtime "palisade=$T/dk/palisade" >"$T/dk/dockerd.log" 2>&1 </dev/null &
        export DOCKER_HOST=unix://$T/dk/docker.sock
        for _ in $(seq 100); do
                timeout 5 docker version >/dev/null 2>&1 && break
                sleep 0.2
        done
        tar -C "$T/rootfs" -c . | timeout 60 docker import - ea-busybox >/dev/null
}

docker_stop() {
        [ -e "$T/dk/docker.pid" ] || return 0
        local pid
        pid=$(cat "$T/dk/docker.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
        done
        rm -rf "$T/dk"
}

@test "hooks: Docker's network hook (/proc/<dockerd>/exe libnetwork-setkey) passes under the default hooks.allow" {
        command -v dockerd >/dev/null
        printf '{ "state_dir": "%s", "audit": { "journal": "%s" }, "seccomp": { "default": "none" } }\n' \
                "$STATE" "$JOURNAL" >"$T/dk-policy.json"
        docker_daemon
        cp "$T/dk-policy.json" "$T/dk/policy.json"
        run timeout 60 docker run --rm --runtime palisade --network none ea-busybox echo ran
        [ "$status" -eq 0 ]
        [ "$output" = ran ]
        # Docker does put the hook in the bundle: with an empty hooks.allow the shim refuses it.
        jq '.hooks = { allow: [] }' "$T/dk-policy.json" >"$T/dk/policy.json"
        run -127 timeout 60 docker run --rm --runtime palisade --network none ea-busybox echo ran
        grep -E "^palisade-runtime: container [0-9a-f]{64}: config.json: hooks.prestart\[0\].path: \"/proc/[0-9]+/exe\" is not a hook program policy $T/dk/policy.json allows \(hooks.allow\)" "$T/dk/stderr"
        docker_stop
}
