# The seccomp guard on real runtimes: the policy filter is in force, merged
# with the container's own, required where policy says so.

load helpers

IMAGE=localhost/palisade-busybox

setup_file() {
        palisade_setup_file
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        for c in s1 s2 s3 s4 s5 s6; do
                runc delete -f "$c" >/dev/null 2>&1 || true
                crun delete -f "$c" >/dev/null 2>&1 || true
        done
        podman rm --ignore -f -t 0 sp1 sp2 sp3 >/dev/null 2>&1 || true
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }'
}

# A script run in the container: the filter, a syscall the builtin profile
# denies, one it allows.
# Everything on stdout: runc copies stdout and stderr through separate pipes.
PROBE='grep "^Seccomp:" /proc/self/status; unshare -U true 2>&1; rm -rf /tmp/made; mkdir /tmp/made 2>&1 && echo mkdir ok'

# own_profile NAME: give the bundle a linux.seccomp of its own that denies mkdir with EACCES.
own_profile() {
        jq '.linux.seccomp = { defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"],
                               syscalls: [ { names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 13 } ] }' \
                "$T/$1/config.json" >"$T/$1/c.new"
        mv "$T/$1/c.new" "$T/$1/config.json"
}

# probe_shim RUNTIME: the probe through palisade-runtime, with the builtin profile.
probe_shim() {
        plain_bundle s1 sh -c "$PROBE"
        run env PALISADE_RUNTIME="$1" "$SHIM" run --bundle "$T/s1" s1 </dev/null
        [ "$status" -eq 0 ]
        [ "${lines[0]}" = "Seccomp:	2" ]
        [ "${lines[1]}" = "unshare: unshare(0x10000000): Operation not permitted" ]
        [ "${lines[2]}" = "mkdir ok" ]
        [ "$(jq -r .linux.seccomp.defaultAction "$T/s1/config.json")" = SCMP_ACT_ERRNO ]
}

# probe_merged RUNTIME: the same with a filter of the spec's own.
probe_merged() {
        plain_bundle s2 sh -c "$PROBE"
        own_profile s2
        run env PALISADE_RUNTIME="$1" "$SHIM" run --bundle "$T/s2" s2 </dev/null
        [ "${lines[0]}" = "Seccomp:	2" ]
        [ "${lines[1]}" = "unshare: unshare(0x10000000): Operation not permitted" ]
        [ "${lines[2]}" = "mkdir: can't create directory '/tmp/made': Permission denied" ]
        # The merged filter keeps the stricter default and the spec's rule.
        [ "$(jq -r .linux.seccomp.defaultAction "$T/s2/config.json")" = SCMP_ACT_ERRNO ]
        [ "$(jq -c '[.linux.seccomp.syscalls[] | select(.names | index("mkdir")) | .errnoRet]' "$T/s2/config.json")" = "[13]" ]
}

@test "seccomp (runc): through palisade-runtime the init has a filter; unshare fails with EPERM, mkdir works" {
        probe_shim runc
}

@test "seccomp (crun): through palisade-runtime the init has a filter; unshare fails with EPERM, mkdir works" {
        probe_shim crun
}

@test "seccomp (runc): the spec's own filter is merged, not replaced: both denials hold" {
        probe_merged runc
}

@test "seccomp (crun): the spec's own filter is merged, not replaced: both denials hold" {
        probe_merged crun
}

@test "seccomp: poststart records the filter in force; ps and inspect show it" {
        plain_bundle s3 sleep 1000
        PALISADE_RUNTIME=runc "$SHIM" run -d --bundle "$T/s3" s3 </dev/null >"$T/s3.log" 2>&1
        [ "$(jq -r .seccomp.mode "$STATE/containers/s3/entry.json")" = 2 ]
        [ "$(jq -r .seccomp.filters "$STATE/containers/s3/entry.json")" -ge 1 ]
        [ "$(jq -r .seccomp.profile "$STATE/containers/s3/entry.json")" = builtin ]
        run "$PALISADE" ps
        [[ "$output" == *"s3 "*" filter "* ]]
        run "$PALISADE" ps --json
        [ "$(echo "$output" | jq -r '.[] | select(.id == "s3") | .seccomp.mode')" = filter ]
        # The merged profile was compiled once and remembered; gc forgets it.
        [ "$(entries "$STATE/seccomp")" -ge 1 ]
        "$PALISADE" gc >/dev/null
        [ "$(entries "$STATE/seccomp")" -eq 0 ]
        # The journal's stop line keeps the record.
        runc delete -f s3 >/dev/null
        [ "$(journal_lines s3 stop | jq -c '.container.seccomp')" = '{"profile":"builtin","mode":2,"filters":1}' ]
}

@test "seccomp: io.palisade.seccomp chooses a policy profile; an unknown one is refused before the runtime runs" {
        jq -n '{ defaultAction: "SCMP_ACT_ALLOW", syscalls: [ { names: ["getppid"], action: "SCMP_ACT_ERRNO", errnoRet: 1 } ] }' >"$T/loose.json"
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "seccomp": { "profiles": { "loose": "'"$T/loose.json"'" } }'
        plain_bundle s4 sh -c 'unshare -U true && echo unshare ok'
        annotate s4 io.palisade.seccomp loose
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/s4" s4 </dev/null
        [ "$status" -eq 0 ]
        [ "$output" = "unshare ok" ]

        plain_bundle s5 true
        annotate s5 io.palisade.seccomp lose
        cp "$T/s5/config.json" "$T/s5.before"
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/s5" s5 </dev/null
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: container s5: seccomp guard: config.json: annotations[\"io.palisade.seccomp\"]: no profile \"lose\" in policy $T/policy.json (seccomp.profiles; \"builtin\" is palisade's default)" ]
        cmp "$T/s5/config.json" "$T/s5.before"
}

@test "seccomp: a bad linux.seccomp in the spec is refused with the key, and config.json is left alone" {
        plain_bundle s5 true
        jq '.linux.seccomp = { defaultAction: "SCMP_ACT_ALLOW", syscalls: [ { names: ["read"], action: "SCMP_ACT_SOMETIMES" } ] }' \
                "$T/s5/config.json" >"$T/s5/c.new" && mv "$T/s5/c.new" "$T/s5/config.json"
        cp "$T/s5/config.json" "$T/s5.before"
        run env PALISADE_RUNTIME=crun "$SHIM" run --bundle "$T/s5" s5 </dev/null
        [ "$status" -eq 1 ]
        [[ "$output" == "palisade-runtime: container s5: seccomp guard: config.json: linux.seccomp: syscalls[0].action: unknown action \"SCMP_ACT_SOMETIMES\""* ]]
        cmp "$T/s5/config.json" "$T/s5.before"

        jq '.linux.seccomp = { defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_VAX"] }' \
                "$T/s5/config.json" >"$T/s5/c.new" && mv "$T/s5/c.new" "$T/s5/config.json"
        run env PALISADE_RUNTIME=runc "$SHIM" run --bundle "$T/s5" s5 </dev/null
        [ "$status" -eq 1 ]
        [[ "$output" == *"linux.seccomp: architectures[0]: unknown architecture \"SCMP_ARCH_VAX\""* ]]
}

@test "seccomp.required: the hook alone refuses a spec without a filter, and one weaker than the policy's" {
        write_policy '"audit": { "journal": "'"$JOURNAL"'" }, "seccomp": { "required": true }'
        make_bundle s6 true
        jq 'del(.linux.seccomp)' "$T/s6/config.json" >"$T/s6/c.new" && mv "$T/s6/c.new" "$T/s6/config.json"
        run runc run --bundle "$T/s6" s6 </dev/null
        [ "$status" -ne 0 ]
        [[ "$output" == *"palisade-hook: container s6: seccomp guard: config.json: linux.seccomp: no seccomp filter, and policy $T/policy.json sets seccomp.required"* ]]
        runc delete -f s6 >/dev/null 2>&1 || true

        jq '.linux.seccomp = { defaultAction: "SCMP_ACT_ALLOW" }' "$T/s6/config.json" >"$T/s6/c.new" && mv "$T/s6/c.new" "$T/s6/config.json"
        rm -f "$T/s6.hook.log"
        run runc run --bundle "$T/s6" s6 </dev/null
        [ "$status" -ne 0 ]
        [[ "$output" == *"that policy $T/policy.json requires (seccomp.required): defaultAction is SCMP_ACT_ALLOW, policy requires SCMP_ACT_ERRNO(38)"* ]]
        [ ! -e "$STATE/containers/s6" ]
}

@test "seccomp (podman, hooks.d): Podman's own profile is merged with palisade's, even with seccomp=unconfined" {
        podman image exists "$IMAGE" || tar -C "$T/rootfs" -c . | podman import -q - "$IMAGE" >/dev/null
        mkdir -p "$T/hooks.d"
        sed "s|@BINDIR@|$BUILD|" "$ROOT/contrib/palisade-hook.json.in" |
                jq --arg env "PALISADE_CONFIG=$PALISADE_CONFIG" '.hook.env = [$env]' >"$T/hooks.d/palisade-hook.json"
        # Podman's stock profile allows unshare; palisade's denies it. The merge denies it.
        run podman --hooks-dir "$T/hooks.d" run --name sp1 "$IMAGE" sh -c "$PROBE" </dev/null
        [ "${lines[0]}" = "Seccomp:	2" ]
        [ "${lines[1]}" = "unshare: unshare(0x10000000): Operation not permitted" ]
        [ "${lines[2]}" = "mkdir ok" ]
        # A profile of the user's denying mkdir: both denials hold.
        jq -n '{ defaultAction: "SCMP_ACT_ALLOW", syscalls: [ { names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 13 } ] }' >"$T/user.json"
        run podman --hooks-dir "$T/hooks.d" run --name sp2 --security-opt seccomp="$T/user.json" "$IMAGE" sh -c "$PROBE" </dev/null
        [ "${lines[1]}" = "unshare: unshare(0x10000000): Operation not permitted" ]
        [ "${lines[2]}" = "mkdir: can't create directory '/tmp/made': Permission denied" ]
        # Unconfined asks for no filter: the precreate stage still installs the policy's.
        run podman --hooks-dir "$T/hooks.d" run --name sp3 --security-opt seccomp=unconfined "$IMAGE" sh -c "$PROBE" </dev/null
        [ "${lines[0]}" = "Seccomp:	2" ]
        [ "${lines[1]}" = "unshare: unshare(0x10000000): Operation not permitted" ]
}

@test "palisade seccomp: check, merge and export" {
        run "$PALISADE" seccomp check builtin
        [ "$status" -eq 0 ]
        [[ "$output" == "builtin: valid, "*" rules, default SCMP_ACT_ERRNO" ]]
        run "$PALISADE" seccomp check /usr/share/containers/seccomp.json
        [ "$status" -eq 0 ]

        run "$PALISADE" seccomp merge builtin /usr/share/containers/seccomp.json --caps AUDIT_WRITE,KILL,NET_BIND_SERVICE
        [ "$status" -eq 0 ]
        [ "$(echo "$output" | jq -r .defaultAction)" = SCMP_ACT_ERRNO ]
        [ "$(echo "$output" | jq -c '[.syscalls[] | select(.names | index("unshare")) | .action]')" = '["SCMP_ACT_ERRNO"]' ]
        [ "$(echo "$output" | jq -c '[.syscalls[] | select(.names | index("keyctl")) | .action]')" = '["SCMP_ACT_ERRNO"]' ]

        run "$PALISADE" seccomp export builtin --arch x86 --format pfc
        [ "$status" -eq 0 ]
        [[ "$output" == *"filter for arch x86 "* ]]
        "$PALISADE" seccomp export builtin --format bpf >"$T/f.bpf"
        [ $(( $(stat -c %s "$T/f.bpf") % 8 )) -eq 0 ]
        [ "$(stat -c %s "$T/f.bpf")" -gt 800 ]

        echo '{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", ' >"$T/bad.json"
        run "$PALISADE" seccomp check "$T/bad.json"
        [ "$status" -eq 1 ]
        [[ "$output" == "palisade seccomp: seccomp profile $T/bad.json: "* ]]
        run "$PALISADE" seccomp export builtin --arch vax
        [ "$status" -eq 2 ]
}

# The operator's own input: followed through links, "-" for standard input
# (a bundle's paths stay strict: shim.bats and bad_input.bats).
@test "palisade seccomp: the operator's paths: /dev/stdin from a pipe, - and a symlink are read; - only once" {
        local docker=/usr/share/containers/seccomp.json
        run bash -c "cat $docker | '$PALISADE' seccomp check /dev/stdin"
        [ "$status" -eq 0 ]
        [[ "$output" == "/dev/stdin: valid, "*" rules, default SCMP_ACT_ERRNO" ]]
        run bash -c "cat $docker | '$PALISADE' seccomp check -"
        [ "$status" -eq 0 ]
        [[ "$output" == "standard input: valid, "*" rules, default SCMP_ACT_ERRNO" ]]
        ln -sfn "$docker" "$T/link.json"
        run "$PALISADE" seccomp check "$T/link.json"
        [ "$status" -eq 0 ]
        [[ "$output" == "$T/link.json: valid, "*" rules, default SCMP_ACT_ERRNO" ]]
        # merge and export read them as they read the file itself.
        "$PALISADE" seccomp merge builtin "$docker" >"$T/merged.json" 2>/dev/null
        run bash -c "cat $docker | '$PALISADE' seccomp merge builtin - 2>/dev/null"
        [ "$status" -eq 0 ]
        [ "$output" = "$(cat "$T/merged.json")" ]
        run bash -c "'$PALISADE' seccomp export '$T/link.json' --format bpf | cmp - <('$PALISADE' seccomp export - --format bpf <$docker)"
        [ "$status" -eq 0 ]
        # Standard input is read once; what is wrong with it is named.
        run "$PALISADE" seccomp merge - - </dev/null
        [ "$status" -eq 2 ]
        [ "$output" = "palisade seccomp: standard input (\"-\") can be one of the profiles, not both" ]
        run bash -c "echo '{' | '$PALISADE' seccomp check -"
        [ "$status" -eq 1 ]
        [[ "$output" == "palisade seccomp: seccomp profile standard input: truncated JSON"* ]]
        run "$PALISADE" seccomp check "$T"
        [ "$status" -eq 1 ]
        [ "$output" = "palisade seccomp: seccomp profile $T: is a directory" ]
}
