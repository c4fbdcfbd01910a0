# Hostile and broken input to palisade-hook, run directly: every case exits 1
# with exactly one line naming the container, the file and the key, and never
# crashes. test/check.sh runs this file against the plain and the ASan build
# (PALISADE_BUILD).

load helpers

setup_file() {
        T=$(mktemp -d /tmp/palisade-bats.XXXXXX)
        STATE=$(mktemp -d /run/palisade-bats.XXXXXX)
        export T STATE
        printf '{ "state_dir": "%s", "audit": { "journal": "%s" } }\n' "$STATE" "$T/journal.jsonl" >"$T/policy.json"
        export PALISADE_CONFIG=$T/policy.json
        mkdir -p "$T/b"
}

teardown_file() {
        rm -rf "$T" "$STATE"
}

# shellcheck disable=SC2034 # used in the @test names, which ShellCheck does not read as code
BUILD_NAME=$(basename "$BUILD")

# state BUNDLE: a valid createRuntime state for container bad1 (pid: this shell).
state() {
        printf '{"ociVersion":"1.0.2","id":"bad1","status":"creating","pid":%d,"bundle":"%s"}' $$ "$1"
}

# refuses EXPECTED-LINE [HOOK-ARGS...] < stdin: exit 1, exactly that one line.
refuses() {
        local want=$1
        shift
        run "$HOOK" "$@"
        if [ "$status" -ne 1 ] || [ "${#lines[@]}" -ne 1 ] || [ "${lines[0]}" != "$want" ]; then
                printf 'status %s, output:\n%s\nwanted:\n%s\n' "$status" "$output" "$want" >&2
                return 1
        fi
        # Nothing registered, nothing leased.
        [ -z "$(ls -A "$STATE/containers" 2>/dev/null)" ]
        [ -z "$(ls -A "$STATE/leases" 2>/dev/null)" ]
}

config() {
        rm -f "$T/b/config.json"
        printf '%s' "$1" >"$T/b/config.json"
}

@test "$BUILD_NAME: truncated state on stdin" {
        refuses 'palisade-hook: state on stdin: truncated JSON (unexpected end of input at (root))' \
                < <(printf '{"ociVersion":"1.0.2","id":"x","status":"creating","pid":1,"bun')
}

@test "$BUILD_NAME: state too large, and with a container ID that is a path" {
        refuses 'palisade-hook: state on stdin: larger than 1048576 bytes' < <(head -c 2000000 /dev/zero)
        refuses 'palisade-hook: state on stdin: id: "../etc" is not a valid container ID (letters, digits, _ + - . only)' \
                < <(printf '{"ociVersion":"1.0.2","id":"../etc","status":"creating","pid":1,"bundle":"/"}')
}

@test "$BUILD_NAME: config.json that is not JSON" {
        config 'not json'
        refuses 'palisade-hook: container bad1: config.json: not valid JSON at byte 1, at (root): lexical error: invalid string in json text.' \
                < <(state "$T/b")
}

@test "$BUILD_NAME: config.json with a duplicate key" {
        config '{"ociVersion":"1.0.2","root":{"path":"rootfs","path":"/"}}'
        refuses 'palisade-hook: container bad1: config.json: root.path: duplicate key (runc and Podman would use the last one, palisade refuses to guess)' \
                < <(state "$T/b")
}

@test "$BUILD_NAME: config.json with comments" {
        config $'{"ociVersion":"1.0.2", // comment\n"root":{"path":"rootfs"}}'
        refuses 'palisade-hook: container bad1: config.json: not valid JSON at byte 23, at (root): lexical error: probable comment found in input text, comments are not enabled.' \
                < <(state "$T/b")
}

@test "$BUILD_NAME: a 100 MiB config.json" {
        rm -f "$T/b/config.json"
        truncate -s 100M "$T/b/config.json"
        refuses 'palisade-hook: container bad1: config.json: larger than 4194304 bytes (104857600)' < <(state "$T/b")
}

@test "$BUILD_NAME: a deeply nested config.json" {
        config "$(printf '{"a":%.0s' $(seq 100000))"
        run "$HOOK" < <(state "$T/b")
        [ "$status" -eq 1 ]
        [ "${#lines[@]}" -eq 1 ]
        [[ "${lines[0]}" == 'palisade-hook: container bad1: config.json: a.a.a.'*': nested deeper than 64 levels' ]]
}

@test "$BUILD_NAME: a missing bundle" {
        refuses "palisade-hook: container bad1: bundle $T/missing: No such file or directory" < <(state "$T/missing")
}

@test "$BUILD_NAME: config.json as a FIFO or a symlink does not hang or escape" {
        rm -f "$T/b/config.json"
        mkfifo "$T/b/config.json"
        refuses 'palisade-hook: container bad1: config.json: not a regular file' < <(state "$T/b")
        rm -f "$T/b/config.json"
        ln -s /etc/shadow "$T/b/config.json"
        refuses 'palisade-hook: container bad1: config.json: is a symbolic link (refused: it could point anywhere on the host)' \
                < <(state "$T/b")
}

@test "$BUILD_NAME: wrong types, invalid UTF-8 and NUL name the key path" {
        config '{"ociVersion":"1.0.2","root":{"path":"r"},"linux":{"namespaces":[{"type":"pid"},{"type":"mount"},{"type":"ipc"},{"type":5}]}}'
        refuses 'palisade-hook: container bad1: config.json: linux.namespaces[3].type: expected a string, got a number' < <(state "$T/b")
        config $'{"ociVersion":"1.0.2","root":{"path":"\xff"}}'
        refuses 'palisade-hook: container bad1: config.json: not valid JSON at byte 39, at root.path: lexical error: invalid bytes in UTF8 string.' \
                < <(state "$T/b")
        config '{"ociVersion":"1.0.2","root":{"path":"r\u0000x"}}'
        refuses 'palisade-hook: container bad1: config.json: root.path: string contains a NUL character' < <(state "$T/b")
}

@test "$BUILD_NAME: an annotation key with a newline stays on one line" {
        config '{"ociVersion":"1.0.2","root":{"path":"r"},"annotations":{"io.palisade.x\ny":"1"}}'
        refuses 'palisade-hook: container bad1: config.json: annotations["io.palisade.x?y"]: unknown palisade annotation (see README, "Annotations")' \
                < <(state "$T/b")
}

@test "$BUILD_NAME: a policy with an unknown key is refused" {
        config '{"ociVersion":"1.0.2","root":{"path":"r"}}'
        echo '{ "guards": ["audit"], "audti": { "required": true } }' >"$T/typo.json"
        PALISADE_CONFIG=$T/typo.json refuses "palisade-hook: container bad1: policy $T/typo.json: audti: unknown key" \
                < <(state "$T/b")
}

@test "$BUILD_NAME: a state for a process that does not exist" {
        config '{"ociVersion":"1.0.2","root":{"path":"r"}}'
        refuses 'palisade-hook: container bad1: state on stdin: pid: pidfd_open(2147483646): No such process' \
                < <(printf '{"ociVersion":"1.0.2","id":"bad1","status":"creating","pid":2147483646,"bundle":"%s"}' "$T/b")
}

@test "$BUILD_NAME: usage errors exit 2" {
        run "$HOOK" bogus < <(state "$T/b")
        [ "$status" -eq 2 ]
        [ "$output" = 'palisade-hook: container bad1: unsupported stage "bogus" (expected precreate, prestart, createRuntime, poststart or poststop)' ]
        run "$HOOK" --help
        [ "$status" -eq 0 ]
        [[ "${lines[0]}" == 'Usage: palisade-hook [STAGE] < STATE' ]]
}
