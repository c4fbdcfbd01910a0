#!/usr/bin/env bash
# Build a busybox-static root filesystem in DIR (default: argument 1).
set -euo pipefail
dir=${1:?usage: make-rootfs.sh DIR}
bb=/bin/busybox
[ -x "$bb" ] || { echo "make-rootfs: $bb missing (install busybox-static)" >&2; exit 1; }
mkdir -p "$dir"/{bin,proc,sys,dev,tmp,etc,root,run}
cp "$bb" "$dir/bin/busybox"
for app in $("$bb" --list); do
        [ -e "$dir/bin/$app" ] || ln -s busybox "$dir/bin/$app"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/etc/passwd"
echo 'root:x:0:' >"$dir/etc/group"
