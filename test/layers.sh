#!/usr/bin/env bash
# The layering rule, as TAP: a file includes only from its own layer or the
# ones below it,
#     lib < oci < seccomp < check < guards < agent < cmd
# (docs/ARCHITECTURE.md). One result per source file of those directories;
# "not ok" names the first upward #include (file:line) and the rule, and a
# comment line follows for each. Tests (test/) may include anything.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

layers=(lib oci seccomp check guards agent cmd)
rule="lib < oci < seccomp < check < guards < agent < cmd"
declare -A rank
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$i; done

files=()
for l in "${layers[@]}"; do
        [ -d "$l" ] || continue
        while IFS= read -r -d '' f; do files+=("$f"); done \
                < <(find "$l" -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)
done

# A directory of C sources outside the layers and the tests has no rank:
# one result more, so that it is given one here (and in the Makefile).
strays=$(find . -path ./.git -prune -o -path './build*' -prune -o -path ./test -prune -o \
        -type f \( -name '*.c' -o -name '*.h' \) -print | cut -d/ -f2 | sort -u |
        grep -vxF -f <(printf '%s\n' "${layers[@]}"))

re='^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)"'
echo "1..$((${#files[@]} + 1))"
n=0 bad=0
for f in "${files[@]}"; do
        n=$((n + 1))
        dir=$(dirname "$f")
        own=${f%%/*}
        found=()
        lineno=0
        while IFS= read -r line || [ -n "$line" ]; do
                lineno=$((lineno + 1))
                [[ $line =~ $re ]] || continue
                inc=${BASH_REMATCH[1]}
                # As the compiler looks: the including file's directory
                # first, then the top (-I.).
                if [ -e "$dir/$inc" ]; then
                        target=$dir/$inc
                else
                        target=$inc
                fi
                case $target in *..*) target=$(realpath -m --relative-to=. "$target") ;; esac
                [[ $target == */* ]] || continue        # generated, in the build directory
                layer=${target%%/*}
                [ -n "${rank[$layer]+x}" ] || continue
                if [ "${rank[$layer]}" -gt "${rank[$own]}" ]; then
                        found+=("$f:$lineno: includes \"$inc\": $layer is above $own ($rule)")
                fi
        done <"$f"
        if [ "${#found[@]}" -eq 0 ]; then
                echo "ok $n layers $f"
        else
                bad=$((bad + 1))
                echo "not ok $n layers ${found[0]}"
                for m in "${found[@]:1}"; do echo "# $m"; done
        fi
done
n=$((n + 1))
if [ -z "$strays" ]; then
        echo "ok $n layers every directory of C sources is a layer"
else
        bad=$((bad + 1))
        echo "not ok $n layers C sources outside the layers ($rule): ${strays//$'\n'/ }"
fi
[ "$bad" -eq 0 ]
