/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Give up every capability a phase does not use, as soon as it is known. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/*
 * Keep only the capabilities in keep (bit N = capability N) in the effective
 * and permitted sets; clear the inheritable and ambient sets, and drop the
 * others from the bounding set where CAP_SETPCAP allows. Sets no_new_privs.
 */
int privs_keep_only(uint64_t keep, struct pal_err *err);

/* Is capability cap (a CAP_* number) in this process's effective set? */
bool privs_effective(int cap);
