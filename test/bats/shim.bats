# palisade-runtime over runc and crun, run directly: it behaves as the
# runtime does, edits only what it must, and fails closed on bad bundles.

load helpers

setup_file() {
        palisade_setup_file
}

teardown_file() {
        palisade_teardown_file
}

teardown() {
        for rt in runc crun; do
                for c in m1 s1 s2 s3 s4 s5 d1; do
                        "$rt" delete -f "$c" >/dev/null 2>&1 || true
                done
        done
        umount "$T/ro" 2>/dev/null || true
}

# norm: make runtime output comparable (PIDs, times, palisade's own annotations).
norm() {
        sed -E -e '/"io\.palisade\.[a-z]+"|"run\.oci\.hooks\.stderr"/d' \
               -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z/TIME/g' \
               -e 's/\b[0-9]{2,}\b/N/g' -e 's/ +/ /g'
}

# matrix RUNTIME-COMMAND...: the lifecycle of one busybox container, one line per step.
matrix() {
        local rt=("$@") rc
        # Output to a file, not a pipe: the container inherits create's stdio.
        step() {
                "${rt[@]}" "$@" >"$T/step.out" 2>&1 </dev/null && rc=0 || rc=$?
                printf '== %s -> %d\n' "$*" "$rc"
                norm <"$T/step.out"
        }
        plain_bundle m1
        step create --bundle "$T/m1" m1
        step state m1
        step start m1
        step exec m1 echo exec-ok
        step exec m1 sh -c 'exit 3'
        step pause m1
        step state m1
        step resume m1
        step list -q
        step ps --format json m1
        step kill m1 KILL
        sleep 0.5
        step state m1
        step delete m1
        step state m1
        step --bogus-global-option list
        step bogus-command
        step --version
}

# shellcheck disable=SC2178,SC2128 # rt is step's local array, and this function's local string
shim_matches_runtime() {
        local rt=$1
        matrix "$rt" >"$T/direct-$rt"
        matrix env PALISADE_RUNTIME="$rt" "$SHIM" >"$T/shim-$rt"
        diff -u "$T/direct-$rt" "$T/shim-$rt"
        # And palisade really acted through the shim.
        [ "$(journal_lines m1 start | wc -l)" -ge 1 ]
}

@test "shim: runc through palisade-runtime answers every command as runc does" {
        shim_matches_runtime runc
}

@test "shim: crun through palisade-runtime answers every command as crun does" {
        shim_matches_runtime crun
}

@test "shim: run registers the container with palisade and releases it at exit" {
        for rt in runc crun; do
                plain_bundle s1 sh -c 'echo through-shim'
                run env PALISADE_RUNTIME=$rt "$SHIM" run --bundle "$T/s1" s1 </dev/null
                [ "$status" -eq 0 ]
                [ "$output" = through-shim ]
                [ "$(journal_lines s1 start | jq -r .result | tail -1)" = success ]
                [ ! -e "$STATE/containers/s1" ]
        done
}

@test "shim: config.json keeps every field it does not know, its hooks in order, its mode and owner" {
        plain_bundle s2
        jq '.hooks = { createRuntime: [ { path: "/bin/true", args: ["first"] } ],
                       poststop: [ { path: "/bin/true", args: ["own-poststop"] } ] }' \
           "$T/s2/config.json" >"$T/s2/c"
        # Fields of other tools and of future specs, and a number beyond 2^53.
        head -c -2 "$T/s2/c" >"$T/s2/config.json"
        printf ',\n "org.example.ext": {"serial": 18446744073709551615, "ratio": 1.5e-7, "list": [true, null]}\n}\n' >>"$T/s2/config.json"
        chmod 0604 "$T/s2/config.json"
        chown 1234:5678 "$T/s2/config.json"
        cp "$T/s2/config.json" "$T/s2.orig"

        # The bundle's own hooks run only where policy lists their program (hooks.allow).
        jq '.hooks.allow = ["/bin/true"]' "$PALISADE_CONFIG" >"$T/s2-policy.json"
        PALISADE_CONFIG=$T/s2-policy.json PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/s2" s2 </dev/null
        grep -q '"serial": 18446744073709551615' "$T/s2/config.json"
        grep -q '"ratio": 1.5e-7' "$T/s2/config.json"
        [ "$(stat -c '%a %u %g' "$T/s2/config.json")" = "604 1234 5678" ]
        # Everything but hooks and palisade's marker is exactly as it was.
        diff <(jq -S 'del(.hooks)' "$T/s2.orig") <(jq -S 'del(.hooks) | del(.annotations["io.palisade.spec"]) | del(.linux.seccomp)' "$T/s2/config.json")
        [ "$(jq -r '.annotations["io.palisade.spec"]' "$T/s2/config.json")" = applied ]
        # palisade's createRuntime first, its poststop last; the spec's own kept, in order.
        [ "$(jq -c '[.hooks.createRuntime[].args[0]]' "$T/s2/config.json")" = '["palisade-hook","first"]' ]
        [ "$(jq -c '[.hooks.poststop[].args[0]]' "$T/s2/config.json")" = '["own-poststop","palisade-hook"]' ]
}

@test "shim: a second create on the same bundle applies nothing twice" {
        plain_bundle s3
        PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/s3" s3 </dev/null
        runc delete -f s3
        before=$(stat -c '%i %Y' "$T/s3/config.json")
        sum=$(sha256sum <"$T/s3/config.json")
        PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/s3" s3 </dev/null
        [ "$(stat -c '%i %Y' "$T/s3/config.json")" = "$before" ]
        [ "$(sha256sum <"$T/s3/config.json")" = "$sum" ]
        [ "$(jq '.hooks.createRuntime | length' "$T/s3/config.json")" -eq 1 ]
}

@test "shim: a forged marker does not skip palisade" {
        plain_bundle s4
        annotate s4 io.palisade.spec applied
        PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/s4" s4 </dev/null
        [ "$(jq -r '.hooks.createRuntime[0].args[0]' "$T/s4/config.json")" = palisade-hook ]
        [ -e "$STATE/containers/s4/entry.json" ]
}

@test "shim: the runtime it finds is never itself" {
        run env PALISADE_RUNTIME="$SHIM" "$SHIM" list
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: PALISADE_RUNTIME \"$SHIM\" is palisade-runtime itself: name the real runtime (runc or crun)" ]
        mkdir -p "$T/path"
        ln -sf "$SHIM" "$T/path/runc"
        ln -sf "$SHIM" "$T/path/crun"
        run env -u PALISADE_RUNTIME PATH="$T/path" "$SHIM" list
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: no runtime found: neither runc nor crun is on PATH (other than palisade-runtime itself) (set PALISADE_RUNTIME or the policy's runtime.path)" ]
        # A runtime that calls the shim again is a loop, reported, not a hang.
        printf '#!/bin/sh\nexec %s "$@"\n' "$SHIM" >"$T/path/wrapper"
        chmod +x "$T/path/wrapper"
        run timeout 10 env PALISADE_RUNTIME="$T/path/wrapper" "$SHIM" list
        [ "$status" -eq 1 ]
        [ "$output" = "palisade-runtime: loop: the runtime palisade-runtime ran called palisade-runtime again (check PALISADE_RUNTIME and the policy's runtime.path)" ]
}

# refused EXPECTED-LINE BUNDLE-DIR: create fails with that line; the bundle is unchanged.
refused() {
        local want=$1 dir=$2 before
        before=$(cd "$dir" 2>/dev/null && ls -la --time-style=full-iso . && sha256sum config.json 2>/dev/null) || true
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$dir" s5 </dev/null
        [ "$status" -eq 1 ] || { echo "status $status: $output" >&2; return 1; }
        [ "$output" = "$want" ] || { printf 'got:  %s\nwant: %s\n' "$output" "$want" >&2; return 1; }
        # shellcheck disable=SC2015 # any failure in the listing leaves what it printed
        [ "$(cd "$dir" 2>/dev/null && ls -la --time-style=full-iso . && sha256sum config.json 2>/dev/null || true)" = "$before" ]
        ! runc state s5 >/dev/null 2>&1 || false
}

@test "shim: bad bundles are refused with a clear message and left as they were" {
        refused "palisade-runtime: container s5: bundle $T/missing: No such file or directory" "$T/missing"

        plain_bundle s5
        echo '{ not json' >"$T/s5/config.json"
        refused "palisade-runtime: container s5: config.json: not valid JSON at byte 3, at (root): lexical error: invalid string in json text." "$T/s5"

        plain_bundle s5
        mv "$T/s5/config.json" "$T/s5-real.json"
        ln -s "$T/s5-real.json" "$T/s5/config.json"
        refused "palisade-runtime: container s5: config.json: is a symbolic link (refused: it could point anywhere on the host)" "$T/s5"

        plain_bundle s5
        annotate s5 io.palisade.audit-id nope
        refused "palisade-runtime: container s5: audit guard: config.json: annotations[\"io.palisade.audit-id\"]: \"nope\" is not a UUID (expected 8-4-4-4-12 hex digits)" "$T/s5"

        plain_bundle s5
        mkdir -p "$T/ro"
        cp -a "$T/s5/." "$T/ro/"
        mount --bind -o ro "$T/ro" "$T/ro"
        run env PALISADE_RUNTIME=runc "$SHIM" create --bundle "$T/ro" s5 </dev/null
        [ "$status" -eq 1 ]
        # The record of palisade's edits goes first (a config.json palisade wrote is never without it).
        [[ "$output" == "palisade-runtime: container s5: bundle $T/ro: cannot write config.json.palisade: .config.json.palisade."*".tmp: create: Read-only file system" ]]
        ! runc state s5 >/dev/null 2>&1 || false
}

@test "shim: an option it cannot read before create fails closed; other unknown input passes through" {
        plain_bundle s5
        run env PALISADE_RUNTIME=runc "$SHIM" --future-flag create --bundle "$T/s5" s5
        [ "$status" -eq 1 ]
        [ "$output" = 'palisade-runtime: unknown global option "--future-flag" before create/run: palisade cannot tell whether it takes a value, so it refuses rather than start a container unguarded' ]
        run env PALISADE_RUNTIME=runc "$SHIM" create --future-flag --bundle "$T/s5" s5
        [ "$status" -eq 1 ]
        [[ "$output" == 'palisade-runtime: create: unknown option "--future-flag"'* ]]
        # --opt=value forms are unambiguous.
        PALISADE_RUNTIME=runc "$SHIM" --log="$T/runc.log" --log-format=json create --bundle="$T/s5" --pid-file="$T/s5.pid" s5 </dev/null
        [ "$(runc state s5 | jq -r .status)" = created ]
        [ "$(jq -r '.hooks.createRuntime[0].args[0]' "$T/s5/config.json")" = palisade-hook ]
}

@test "shim: delete releases a registered container whose poststop never ran" {
        # A container created without palisade's hooks, registered by hand:
        # as if its runtime had lost the poststop.
        plain_bundle d1
        (cd "$T/d1" && runc create d1 </dev/null >/dev/null 2>&1)
        pid=$(runc state d1 | jq -r .pid)
        printf '{"ociVersion":"1.0.2","id":"d1","status":"created","pid":%d,"bundle":"%s"}' "$pid" "$T/d1" |
                "$HOOK" createRuntime
        id=$("$PALISADE" audit-id --container d1)
        runc kill d1 KILL
        sleep 0.3
        PALISADE_RUNTIME=runc "$SHIM" delete d1
        [ ! -e "$STATE/containers/d1" ]
        [ ! -e "$STATE/leases/audit-id-$id" ]
        [ "$(journal_lines d1 stop | jq -r .container.audit_id)" = "$id" ]
        # A failed delete passes the runtime's status and does nothing else.
        run env PALISADE_RUNTIME=runc "$SHIM" delete d1
        [ "$status" -ne 0 ]
}
