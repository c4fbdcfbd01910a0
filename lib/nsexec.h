/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Privileged steps inside a container's mount namespace, run in a forked
 * child (setns through the pidfd, so a recycled PID cannot redirect it) that
 * reports its result on a pipe and is reaped on every path.
 */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "proc.h"

/*
 * Create the device node PATH (absolute, as the container will see it) below
 * ROOTFS (the container's root as its mount namespace shows it before
 * pivot_root), resolved with RESOLVE_IN_ROOT so that no symlink in the rootfs
 * can lead outside it; missing directories are created (0755). A node already
 * there for the same device is kept; anything else there is an error.
 */
int nsexec_mknod(const struct proc_handle *h, const char *rootfs, const char *path, mode_t mode, dev_t dev,
                 uid_t uid, gid_t gid, struct pal_err *err);
