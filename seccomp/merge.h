/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Merging two seccomp profiles into one filter, the kernel's rule for
 * stacked filters: a call both let run gets exactly the stricter of their
 * verdicts (never denied); a call either denies is denied at least as
 * strictly (never allowed). Only how a call is denied may change: the errno
 * of one side, or a stricter denial where libseccomp's rule language (it has
 * no negation) cannot say the exact one, reported in struct sc_loss. What
 * cannot be said without changing whether a call runs is refused.
 */
#pragma once

#include "profile.h"

#define SC_LOSS_NAMES 8

struct sc_loss {
        size_t count;                   /* syscalls where a denial became a stricter one */
        char names[SC_LOSS_NAMES][64];  /* the first few, for the log */
};

/* out = merge(a, b). Equally restrictive actions (two errnos) take a's; -EINVAL when it cannot be said. */
int sc_merge(const struct sc_profile *a, const struct sc_profile *b, struct sc_profile *out, struct sc_loss *loss,
             struct pal_err *err);

/*
 * Is `have` weaker than `want` anywhere? Returns 0 when have is at least as
 * restrictive for every syscall, or -EPERM with err naming the first place
 * it is not. Conservative: it may call a profile weaker that is not, never
 * the reverse.
 */
int sc_check_at_least(const struct sc_profile *have, const struct sc_profile *want, struct pal_err *err);

/* "a, b, c and 4 more", for messages. */
void sc_loss_describe(const struct sc_loss *loss, char *buf, size_t size);
