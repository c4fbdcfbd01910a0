/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A container process, held by pidfd so that a recycled PID can never
 * redirect palisade, and its /proc directory opened and then verified
 * against the pidfd. Where pidfd_open is missing (Linux before 5.3, or
 * valgrind), the /proc directory fd alone holds the process.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

#define PAL_NS_MAX 8

struct pal_ns {
        char type[8];           /* cgroup ipc mnt net pid time user uts */
        uint64_t dev, ino;
        bool own;               /* differs from the namespace palisade runs in */
};

struct proc_handle {
        pid_t pid;
        int pidfd;              /* -1 where the kernel has no pidfd_open */
        int procfd;
        uint64_t start_time;    /* /proc/PID/stat field 22, clock ticks */
};

#define PROC_HANDLE_INIT { .pid = 0, .pidfd = -1, .procfd = -1 }

int proc_open(pid_t pid, struct proc_handle *h, struct pal_err *err);
void proc_close(struct proc_handle *h);

/* Every namespace of the process (nsfs device and inode), marking its own. */
int proc_namespaces(const struct proc_handle *h, struct pal_ns ns[PAL_NS_MAX], size_t *n,
                    struct pal_err *err);

/* Start time from a /proc/PID directory fd; 0 on failure. */
uint64_t proc_start_time(int procfd);

/*
 * Is pid the process that started at start_time, and not a zombie (one
 * whose parent never reaps it is gone all the same)?
 */
bool proc_is_running(pid_t pid, uint64_t start_time);

/*
 * /proc/PID/status Seccomp: the kernel's seccomp.mode. DEAD (Linux 5.17,
 * SECCOMP_MODE_DEAD) marks a task its filter is killing, so a container that
 * its own filter killed at once shows 3 to poststart.
 */
enum { PROC_SECCOMP_OFF, PROC_SECCOMP_STRICT, PROC_SECCOMP_FILTER, PROC_SECCOMP_DEAD, PROC_SECCOMP_MAX = PROC_SECCOMP_DEAD };

/* What the kernel says a process is confined by, read from /proc/PID. */
struct proc_facts {
        uint64_t cap_eff;               /* CapEff */
        int seccomp;                    /* PROC_SECCOMP_*; -1 unknown */
        int seccomp_filters;            /* Seccomp_filters, -1 unknown */
        char uid_map[128];              /* "0 100000 65536", lines joined by "; " */
};

int proc_facts(pid_t pid, struct proc_facts *f, struct pal_err *err);

/* A /proc/PID ID map file ("uid_map", "gid_map") as "0 100000 65536; ...", "" if unreadable. */
void proc_id_map(int procfd, const char *file, char *out, size_t size);
