/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the agent does with an intercepted mknod: pure, so it is unit-tested
 * as a table. A node is made on the container's behalf only for a device on
 * its whitelist (the device guard's grants, plus the harmless set every
 * runtime gives: null zero full random urandom tty), never for one policy
 * denies. An overlayfs whiteout (c 0:0), which the kernel lets an
 * unprivileged process make, and anything not a device node, go back to the
 * kernel.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "lib/devrule.h"

enum mknod_verdict {
        MKNOD_CREATE,           /* make it on the caller's behalf */
        MKNOD_CONTINUE,         /* let the kernel decide (whiteout, not a device) */
        MKNOD_DENY,             /* not on the whitelist */
};

struct mknod_call {
        char type;              /* 'c' or 'b'; anything else is not a device */
        unsigned major, minor;
};

/* The call's device from the mode and the raw dev argument (the kernel's new_decode_dev). */
struct mknod_call mknod_call_from(mode_t mode, uint64_t dev);

/*
 * The verdict, and in *why a short word for the journal: "whitelisted",
 * "harmless", "whiteout", "denied by policy", "not whitelisted", "not a device".
 */
enum mknod_verdict agent_decide(const struct mknod_call *c, const struct devrule *grants, size_t n_grants,
                                const struct devrule *deny, size_t n_deny, const char **why);

/* A registry entry's device ("c 10:229 rwm /dev/fuse") as a rule; -EINVAL if it is not one. */
int agent_grant_parse(const char *text, struct devrule *out);
