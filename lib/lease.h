/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Leases (STATE_DIR/leases/<kind>-<name>, created O_CREAT|O_EXCL, holding
 * the owner's container ID) reserve things that must never be shared between
 * live containers: audit IDs, UID ranges. A lease is live while its owner is
 * registered and alive, or the process that took it before registration is.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Lease kind/name for owner; -EBUSY naming the live holder. */
int lease_take(int regfd, const char *kind, const char *name, const char *owner, struct pal_err *err);
/*
 * The same, for a lease taken before its owner is registered: it stays live
 * while process creator is (0: none). If a dead holder's lease was reclaimed,
 * its ID goes to reclaimed (for what else it left behind), else "".
 */
int lease_take_as(int regfd, const char *kind, const char *name, const char *owner, pid_t creator,
                  char *reclaimed, size_t reclaimed_size, struct pal_err *err);
/* The first lease of kind that owner holds: its name, and whether it is live; -ENOENT if none. */
int lease_find(int regfd, const char *kind, const char *owner, char *name, size_t size, bool *live);
/* Release only if owner still holds it. */
int lease_release(int regfd, const char *kind, const char *name, const char *owner, struct pal_err *err);

/* Remove leases whose holder is not live (and temporary files a crash left); *leases counts them. */
int lease_reap(int regfd, size_t *leases, struct pal_err *err);
