/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The standard fds a runtime hands a container: runc and crun fchown them
 * to the container's root when the container has a user namespace (crun
 * 1.8 even /dev/null; runc skips only /dev/null), so a host device inode
 * given as stdio would become the container's to chmod. Before the runtime
 * runs, each of fds 0-2 that is one of the host's stateless devices (null,
 * zero, full, random, urandom) is replaced by a node of the same device on
 * a private tmpfs, opened with the same flags and unlinked at once: the
 * container reads and writes the same device, may own that node, and
 * nothing is left behind. A terminal is left as it is (the caller's own,
 * and a pty cannot be reopened through another node).
 */
#pragma once

#include <stdbool.h>

#include "error.h"

/*
 * Replace the stateless devices among fds 0-2. Any other device (block, or
 * a character device that is not a terminal) is refused with -EPERM: it
 * cannot be reopened without side effects, and would be handed over.
 * Nothing to do (0) unless we are UID 0 with the host's root mapped (a
 * runtime started elsewhere cannot chown the host's nodes). Returns the
 * number of fds replaced, or a negative errno.
 */
int stdio_privatize(struct pal_err *err);
