#!/usr/bin/env bash
# Install what palisade needs to build, test and demo on Debian 12, as root.
# Idempotent: installs only packages that are missing.
set -euo pipefail

build=(make gcc pkg-config libyajl-dev libseccomp-dev libcap-dev uuid-dev libaudit-dev)
test=(libcmocka-dev clang libclang-rt-14-dev bats busybox-static runc crun podman containerd docker.io auditd uidmap procps jq strace valgrind debootstrap bpftool shellcheck)
want=("${build[@]}")
case "${1:-all}" in
build) ;;
all) want+=("${test[@]}") ;;
*) echo "usage: $0 [build|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: missing packages: ${missing[*]}; run as root to install them" >&2
        exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# With recommends: Podman needs its network plugins (containernetworking-plugins, iptables).
apt-get install -y -qq "${missing[@]}" >/dev/null
