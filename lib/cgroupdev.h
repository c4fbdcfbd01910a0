/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cgroup v1 device controller of a container's process: grants and
 * denials written to devices.allow / devices.deny of its cgroup. The kernel
 * names the cgroup (/proc/PID/cgroup); the controller's files are the host's.
 */
#pragma once

#include <stddef.h>

#include "error.h"

/*
 * The container's devices cgroup directory, opened from the process's /proc
 * directory fd. -ENOENT when the devices controller is not mounted as v1
 * (a pure cgroup v2 host).
 */
int cgroupdev_open(int procfd, char *path, size_t size, struct pal_err *err);

/* Write one rule ("c 10:229 rwm") to devices.allow or devices.deny. */
int cgroupdev_write(int cgfd, const char *file, const char *rule, struct pal_err *err);

/* The container's cgroup v2 directory (the "0::" line), opened. -ENOENT without cgroup2. */
int cgroupdev_open_v2(int procfd, char *path, size_t size, struct pal_err *err);
