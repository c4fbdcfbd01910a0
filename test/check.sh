#!/usr/bin/env bash
# `make check`: install what is missing, build (plain, ASan+UBSan, fuzz),
# then run every suite and end with one line "N passed, N failed".
#   unit tests (cmocka, plain and ASan)       test/unit
#   integration (bats, real runtimes)         test/bats: runc, crun, shim, podman, containerd, docker,
#                                             devices, agent, caps/check, seccomp, reliability, faults,
#                                             auditd, hostile input, userns, reused bundles; plain and
#                                             ASan+UBSan builds
#   fuzz smoke (libFuzzer, FUZZ_SECONDS each) test/fuzz
#   ShellCheck, one result per shell script    test/shellcheck.sh
#   layering, one result per C file            test/layers.sh (no upward #include)
# and after every suite one result more: the host is as the suite found it
# (test/host-state.sh: /dev, account files, mounts, containers, audit).
# Must run as root on Debian 12 (it installs packages and starts containers).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD
logs=$root/test/tmp
rm -rf "$logs"
mkdir -p "$logs"

if [ "$(id -u)" -ne 0 ]; then
        echo "make check: run as root (the tests start containers and auditd)" >&2
        exit 1
fi
contrib/install-deps.sh all || exit 1
test/setup-machine.sh || exit 1

echo "# building" >&2
if ! { make -j2 all unit && make -j2 asan && make fuzz-build; } >"$logs/build.log" 2>&1; then
        tail -40 "$logs/build.log" >&2
        echo "0 passed, 1 failed"
        exit 1
fi

suites=()
# The host as the run found it (after installing and setting up, which may
# change it): every suite must leave it so (test/host-state.sh).
test/host-state.sh >"$logs/host.state"
# suite NAME CMD...: run CMD, its TAP output to the terminal and to a log.
# Then one more result, host-NAME: "ok" if the host is as the suite found it,
# else "not ok" naming each change (and the next suite is judged from there,
# so that each change is charged to the suite that made it).
suite() {
        local name=$1
        shift
        local start=$SECONDS
        echo "# suite $name" >&2
        "$@" 2>&1 | tee "$logs/$name.tap"
        local rc=${PIPESTATUS[0]}
        echo "$rc" >"$logs/$name.rc"
        echo "# suite $name: exit $rc, $((SECONDS - start)) s" >&2
        suites+=("$name")
        host_check "$name"
}

# host_check NAME: the host-NAME result described above.
host_check() {
        local changes rc=0
        changes=$(test/host-state.sh diff "$logs/host.state") || rc=1
        {
                echo "1..1"
                if [ "$rc" -eq 0 ]; then
                        echo "ok 1 suite $1 left the host as it found it"
                else
                        echo "not ok 1 suite $1 changed the host"
                        while IFS= read -r line; do echo "# $line"; done <<<"$changes"
                fi
        } | tee "$logs/host-$1.tap"
        echo 0 >"$logs/host-$1.rc"
        suites+=("host-$1")
        [ "$rc" -eq 0 ] || test/host-state.sh >"$logs/host.state"
}

suite shellcheck test/shellcheck.sh
suite layers test/layers.sh
for t in build/unit/test_*; do
        [ -x "$t" ] || continue
        suite "unit-$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
done
for t in build-asan/unit/test_*; do
        [ -x "$t" ] || continue
        suite "unit-asan-$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
done
# The integration suites, against the plain build and then the ASan+UBSan
# build (PALISADE_BUILD: the hook, the shim and the tool the runtimes run).
for build in build build-asan; do
        tag=${build#build}
        export PALISADE_BUILD=$root/$build
        suite "bats-runc$tag" env RUNTIME=runc bats -t test/bats/runtime.bats
        suite "bats-crun$tag" env RUNTIME=crun bats -t test/bats/runtime.bats
        suite "bats-shim$tag" bats -t test/bats/shim.bats
        suite "bats-edges-annotations$tag" bats -t test/bats/edges_annotations.bats
        suite "bats-podman$tag" bats -t test/bats/podman.bats
        suite "bats-containerd$tag" bats -t test/bats/containerd.bats
        suite "bats-docker$tag" bats -t test/bats/docker.bats
        suite "bats-devices$tag" bats -t test/bats/devices.bats
        suite "bats-agent$tag" bats -t test/bats/agent.bats
        suite "bats-caps-check$tag" bats -t test/bats/caps_check.bats
        suite "bats-seccomp$tag" bats -t test/bats/seccomp.bats
        suite "bats-reliability$tag" bats -t test/bats/reliability.bats
        suite "bats-faults$tag" bats -t test/bats/faults.bats
        suite "bats-hostile$tag" bats -t test/bats/hostile.bats
        suite "bats-auditd$tag" bats -t test/bats/auditd.bats
        suite "bats-bad-input$tag" bats -t test/bats/bad_input.bats
        suite "bats-userns$tag" bats -t test/bats/userns.bats
        suite "bats-edges-stdio$tag" bats -t test/bats/edges_stdio.bats
        suite "bats-edges-judging$tag" bats -t test/bats/edges_judging.bats
        suite "bats-edges-reuse$tag" bats -t test/bats/edges_reuse.bats
done
unset PALISADE_BUILD
suite fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-60}" test/fuzz/run.sh

passed=0 failed=0 skipped=0
for s in "${suites[@]}"; do
        p=$(grep -cE '^ok [0-9]+' "$logs/$s.tap" | head -1)
        sk=$(grep -cE '^ok [0-9]+.*# [Ss][Kk][Ii][Pp]' "$logs/$s.tap" | head -1)
        f=$(grep -cE '^not ok [0-9]+' "$logs/$s.tap" | head -1)
        # A suite that died without reporting a failure still failed.
        if [ "$(cat "$logs/$s.rc")" -ne 0 ] && [ "$f" -eq 0 ]; then
                echo "# suite $s exited $(cat "$logs/$s.rc") without a failing test: counted as one failure" >&2
                f=1
        fi
        if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
                echo "# suite $s ran no test: counted as one failure" >&2
                f=1
        fi
        passed=$((passed + p - sk))
        skipped=$((skipped + sk))
        failed=$((failed + f))
done
changed=$(grep -l '^not ok' "$logs"/host-*.tap 2>/dev/null | sed -e 's|.*/host-||' -e 's|\.tap$||' | tr '\n' ' ')
[ -z "$changed" ] || echo "# suites that changed the host (see test/tmp/host-SUITE.tap): ${changed% }" >&2
if [ "$skipped" -gt 0 ]; then
        echo "$passed passed, $failed failed, $skipped skipped"
else
        echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ]
