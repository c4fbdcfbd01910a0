#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run every libFuzzer target in build-fuzz/ for FUZZ_SECONDS (default 60)
# each, on a temporary copy of its seed corpus (test/fuzz/corpus/NAME/ for
# build-fuzz/fuzz_NAME), and report in TAP. Nothing is written into the
# repository: corpus growth and crash files stay in a temporary directory,
# which is kept (and named) only when a target failed.
#
#   make fuzz FUZZ_SECONDS=10
#   FUZZ_SECONDS=600 test/fuzz/run.sh
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin_dir=${FUZZ_BUILD:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}

case $seconds in
''|*[!0-9]*) echo "FUZZ_SECONDS must be a whole number of seconds, not '$seconds'" >&2; exit 2 ;;
esac

targets=
for f in "$bin_dir"/fuzz_*; do
        [ -f "$f" ] && [ -x "$f" ] && targets="$targets $f"
done
if [ -z "$targets" ]; then
        echo "1..0 # SKIP no fuzz targets in $bin_dir (run make fuzz-build)"
        exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/palisade-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# UB is a failure too, not a line in a log.
# Leaks inside libseccomp on a rule it refuses are its own (lsan.supp says why).
export LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# shellcheck disable=SC2086 # one target a word
set -- $targets
echo "1..$#"
k=0
failed=0
for f in "$@"; do
        k=$((k + 1))
        name=$(basename "$f")
        work="$tmp/$name"
        mkdir -p "$work/corpus" "$work/artifacts"
        seeds="$here/corpus/${name#fuzz_}"
        [ -d "$seeds" ] && cp -R "$seeds/." "$work/corpus/"
        dict=
        [ -f "$here/json.dict" ] && dict="-dict=$here/json.dict"

        # Run from the work directory, so that nothing lands in the caller's.
        (cd "$work" && "$f" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=25 \
                -artifact_prefix="$work/artifacts/" -print_final_stats=1 ${dict:+"$dict"} corpus) >"$work/log" 2>&1
        rc=$?
        runs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$work/log" | tail -n 1)
        [ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$work/log" | tail -n 1)
        crash=$(find "$work/artifacts" -mindepth 1 -maxdepth 1 -exec basename {} \; 2>/dev/null | head -n 1)
        if [ "$rc" -eq 0 ] && [ -z "$crash" ]; then
                echo "ok $k - $name ($seconds s, ${runs:-?} runs)"
        else
                failed=$((failed + 1))
                if [ -n "$crash" ]; then
                        echo "not ok $k - $name ($seconds s, ${runs:-?} runs): $work/artifacts/$crash"
                else
                        echo "not ok $k - $name ($seconds s, ${runs:-?} runs): exit status $rc, no crash file"
                fi
                grep -E 'ERROR: |SUMMARY: |runtime error' "$work/log" | head -n 5 | sed 's/^/# /'
                echo "# log: $work/log"
        fi
done

if [ "$failed" -gt 0 ]; then
        trap - EXIT
        echo "# $failed of $# fuzz targets failed; crash files and logs kept in $tmp" >&2
        exit 1
fi
exit 0
