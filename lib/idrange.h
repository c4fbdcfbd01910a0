/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host ID ranges for user namespaces: a pool of equal ranges (policy
 * userns.pool), one leased to each container (registry leases
 * "userns-<slot>", O_CREAT|O_EXCL, so concurrent creates never collide and
 * need no global lock), never one that overlaps an excluded span (policy
 * reserved, other users' /etc/subuid and /etc/subgid entries). Pure
 * helpers for the span arithmetic and the subid parser, for unit tests.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "idmap.h"

#define IDRANGE_LEASE_KIND "userns"
#define IDRANGE_MAX_EXCLUDED 256

struct idrange_pool {
        uint32_t start, size, count;
};

/* Do the spans share an ID? (64-bit ends: a span may reach 2^32.) */
bool id_span_overlap(struct id_span a, struct id_span b);

/* The host span of slot i. */
struct id_span idrange_slot(const struct idrange_pool *pool, uint32_t slot);

/* The whole pool as one span. */
struct id_span idrange_pool_span(const struct idrange_pool *pool);

/*
 * Append the spans of /etc/subuid-format text ("user:start:count" lines)
 * that belong to a user other than self to out (at most max in all). file
 * names the source in errors; a malformed line is an error.
 */
int idrange_parse_subid(const char *text, const char *file, const char *self, struct id_span *out, size_t max,
                        size_t *n, struct pal_err *err);

/* The same from a file; a missing file adds nothing. */
int idrange_load_subid(const char *path, const char *self, struct id_span *out, size_t max, size_t *n,
                       struct pal_err *err);

/*
 * Lease the lowest free slot whose span overlaps no excluded span, for
 * owner (a container ID), live while creator is (see lease_take_as). A
 * slot whose holder is gone is reclaimed; its former holder's ID goes to
 * reclaimed ("" if none). -ENOSPC when every usable slot is held.
 */
int idrange_alloc(int regfd, const struct idrange_pool *pool, const struct id_span *excl, size_t n_excl,
                  const char *owner, pid_t creator, uint32_t *slot, char *reclaimed, size_t reclaimed_size,
                  struct pal_err *err);

/* The slot owner holds: 0, or -ENOENT. live: whether the lease is live. */
int idrange_held(int regfd, const char *owner, uint32_t *slot, bool *live);

int idrange_release(int regfd, uint32_t slot, const char *owner, struct pal_err *err);
