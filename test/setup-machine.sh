#!/usr/bin/env bash
# Prepare this machine for the integration tests, idempotently (docs/ARCHITECTURE.md,
# "The test machine"). Safe to run any number of times.
set -euo pipefail

# crun refuses hybrid cgroups while hugetlb sits in the unified hierarchy:
# mounting it as a v1 hierarchy moves it out.
if [ -d /sys/fs/cgroup/unified ] && ! mountpoint -q /sys/fs/cgroup/hugetlb 2>/dev/null &&
   grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then
        mkdir -p /sys/fs/cgroup/hugetlb
        mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
fi

# Podman's default rlimits exceed this machine's hard limits.
mkdir -p /etc/containers
conf=/etc/containers/containers.conf
if ! grep -q 'palisade-tests' "$conf" 2>/dev/null; then
        if grep -q '^\[containers\]' "$conf" 2>/dev/null; then
                sed -i '/^\[containers\]/a # palisade-tests\ndefault_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]' "$conf"
        else
                printf '[containers]\n# palisade-tests\ndefault_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]\n' >>"$conf"
        fi
fi
