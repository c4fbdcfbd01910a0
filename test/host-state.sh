#!/usr/bin/env bash
# The host state a test must leave as it found it, as text that two runs can
# diff. test/check.sh compares it around every suite; a bats file can compare
# parts of it around one row.
#
#   test/host-state.sh [SECTION...]              print the state (default: every section)
#   test/host-state.sh diff FILE [SECTION...]    compare with a state printed before:
#                                                print the changes and exit 1 if any
#
# Sections:
#   dev         the top level of /dev (type, mode, owner, device number, link
#               target), and the nodes every program relies on, named
#   accounts    /etc/passwd, group, shadow, subuid, subgid (checksums)
#   mounts      mounts under /run/palisade* and /tmp/palisade*
#   containers  runc's and crun's containers (their default roots)
#   scratch     scratch left in /run and /tmp; palisade's default state
#               (/run/palisade), journal and policy directories
#   kernel      audit enabled flag and rules, core_pattern
# Runs as root (it reads /etc/shadow and the runtimes' state).
set -uo pipefail

sections_all=(dev accounts mounts containers scratch kernel)

state_dev() {
        # %N is the quoted name and, for a link, its target; %t:%T the device
        # number (0:0 for what is not a device). Entries only at the top:
        # /dev/pts and /dev/shm change their contents with every terminal.
        find /dev -mindepth 1 -maxdepth 1 -print0 | sort -z |
                xargs -0 -r stat -c '%N %F %a %u:%g %t:%T'
        # Named, followed or not, so that a missing one shows.
        local n
        for n in null zero full random urandom tty ptmx fuse net/tun; do
                stat -L -c "/dev/$n -> %F %a %u:%g %t:%T" "/dev/$n" 2>&1
        done
}

state_accounts() {
        local f
        for f in /etc/passwd /etc/group /etc/shadow /etc/subuid /etc/subgid; do
                if [ -e "$f" ]; then
                        sha256sum "$f"
                else
                        echo "$f absent"
                fi
        done
}

state_mounts() {
        # Field 5 of mountinfo is the mount point.
        awk '$5 ~ "^/(run|tmp)/palisade" { print "mount", $5, $9 }' /proc/self/mountinfo | sort
}

state_containers() {
        local rt
        for rt in runc crun; do
                command -v "$rt" >/dev/null || continue
                "$rt" list -q 2>/dev/null | sort | sed "s/^/$rt container /"
        done
}

state_scratch() {
        # The suites' scratch (palisade-bats.*, palisade-unit-*), and palisade's
        # default state, journal and policy, which no test may use.
        find /run /tmp -mindepth 1 -maxdepth 1 -name 'palisade*' -printf 'scratch %p\n' 2>/dev/null | sort
        find /var/log/palisade /etc/palisade -maxdepth 1 -printf 'scratch %p\n' 2>/dev/null | sort
}

state_kernel() {
        if command -v auditctl >/dev/null; then
                auditctl -s 2>&1 | awk '$1 == "enabled" { print "audit enabled", $2 }'
                auditctl -l 2>&1 | sed 's/^/audit rule /'
        fi
        echo "core_pattern $(cat /proc/sys/kernel/core_pattern)"
}

print_state() {
        local s
        [ $# -gt 0 ] || set -- "${sections_all[@]}"
        for s in "$@"; do
                case $s in
                dev | accounts | mounts | containers | scratch | kernel) "state_$s" ;;
                *)
                        echo "host-state.sh: no section \"$s\" (${sections_all[*]})" >&2
                        return 2
                        ;;
                esac
        done
}

if [ "${1:-}" = diff ]; then
        [ $# -ge 2 ] || { echo "usage: $0 diff FILE [SECTION...]" >&2; exit 2; }
        before=$2
        shift 2
        now=$(print_state "$@") || exit 2
        # Only what changed, each line marked - (gone) or + (new).
        if ! changes=$(diff "$before" - <<<"$now"); then
                grep -E '^[<>]' <<<"$changes" | sed -e 's/^</host changed: -/' -e 's/^>/host changed: +/'
                exit 1
        fi
        exit 0
fi
print_state "$@"
