#!/usr/bin/env bash
# ShellCheck over every shell script of the project, as TAP: one line per
# file, "not ok" with its findings for a file that has any. The bats files
# and their helpers are checked as bash (ShellCheck knows bats' @test).
# Settings every file shares are in .shellcheckrc at the top.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

# Shell scripts: by name, or by a #! line naming sh or bash.
files=()
while IFS= read -r -d '' f; do
        case $f in
        *.sh | *.bash | *.bats) files+=("$f") ;;
        *) head -c 64 "$f" 2>/dev/null | head -1 | grep -qE '^#!.*[/ ](ba)?sh( |$)' && files+=("$f") ;;
        esac
done < <(find test bench contrib .ci -type f -not -path 'test/tmp/*' -not -path 'test/fuzz/corpus/*' -print0 | sort -z)

echo "1..${#files[@]}"
n=0 bad=0
for f in "${files[@]}"; do
        n=$((n + 1))
        shell=()
        case $f in *.bats | *.bash) shell=(-s bash) ;; esac
        if out=$(shellcheck "${shell[@]}" -f gcc "$f" 2>&1); then
                echo "ok $n shellcheck $f"
        else
                bad=$((bad + 1))
                echo "not ok $n shellcheck $f"
                while IFS= read -r line; do echo "# $line"; done <<<"$out"
        fi
done
[ "$bad" -eq 0 ]
