/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Merging two seccomp profiles into one filter that is never weaker than
 * either: for every syscall, architecture and argument value, the merged
 * action is the more restrictive of the two (the kernel's rule for stacked
 * filters). Where libseccomp's rule language cannot say a merge exactly (it
 * has no negation), the merge chooses the stricter action and reports the
 * syscall in struct sc_loss.
 */
#pragma once

#include "profile.h"

#define SC_LOSS_NAMES 8

struct sc_loss {
        size_t count;                   /* syscalls merged stricter than exact */
        char names[SC_LOSS_NAMES][64];  /* the first few, for the log */
};

/* out = merge(a, b). Equally restrictive actions (two errnos) take a's. */
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
