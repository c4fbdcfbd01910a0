#!/usr/bin/env bash
# private-dev.sh SCRATCH NAME:MAJOR:MINOR... -- COMMAND...
# Run COMMAND in a private mount namespace where each /dev/NAME is a
# throwaway node (made on a tmpfs at SCRATCH, bind-mounted over the host's),
# so that a runtime that chowns or chmods it cannot touch the host's /dev.
# Refuses to run COMMAND unless every stand-in is in place.
set -euo pipefail

if [ -z "${PRIVATE_DEV_INSIDE:-}" ]; then
        export PRIVATE_DEV_INSIDE=1
        exec unshare --mount --propagation private "$0" "$@"
fi
scratch=$1
shift
mount --make-rprivate /
mkdir -p "$scratch"
mount -t tmpfs -o mode=0755 private-dev "$scratch"
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        IFS=: read -r name major minor <<<"$1"
        mknod -m 0666 "$scratch/$name" c "$major" "$minor"
        mount --bind "$scratch/$name" "/dev/$name"
        if [ "$(stat -c %d:%i "/dev/$name")" != "$(stat -c %d:%i "$scratch/$name")" ]; then
                echo "private-dev.sh: /dev/$name is not the stand-in: not running the command" >&2
                exit 1
        fi
        shift
done
[ "${1:-}" = "--" ] || { echo "private-dev.sh: no -- before the command" >&2; exit 2; }
shift
unset PRIVATE_DEV_INSIDE
"$@"
