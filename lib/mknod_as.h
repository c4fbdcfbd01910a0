/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Make a device node on behalf of another process, as it would have made it
 * had it had CAP_MKNOD: in its mount namespace, relative to its root and to
 * its working directory or a directory fd of its own, with its fsuid, fsgid,
 * groups and umask. Call it in a forked worker: it changes the caller's
 * namespaces, root and credentials for good.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

#define MKNOD_AS_MAX_GROUPS 64

/* The caller's credentials, from /proc/TID/status (host IDs). */
struct proc_creds {
        uid_t fsuid;
        gid_t fsgid;
        mode_t umask;
        uint64_t cap_eff;
        gid_t groups[MKNOD_AS_MAX_GROUPS];
        size_t n_groups;
};

/* Parse the text of /proc/TID/status. */
int proc_creds_parse(const char *status, struct proc_creds *out);

struct mknod_as {
        int procfd;             /* /proc/TID of the caller */
        int dirfd;              /* the caller's directory fd for mknodat, or AT_FDCWD */
        const char *path;       /* as the caller gave it */
        mode_t mode;
        dev_t dev;
        const struct proc_creds *creds;
};

/*
 * Returns 0 or the negative errno the caller's system call should fail with
 * (ENOENT, EEXIST, EACCES... as the kernel would say). *bound is set when the
 * node's filesystem cannot hold usable nodes (nodev, or a filesystem mounted
 * inside a user namespace) and the node was bind-mounted there from one that
 * can. A path that leads outside the caller's root is EXDEV; err says why
 * for the log.
 */
int mknod_as(const struct mknod_as *a, bool *bound, struct pal_err *err);
