/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The runtime phases around the composer: the registry claim and entry at
 * create (with a rollback that releases what guards took if anything after
 * them fails), and the release at stop. Shared by palisade-hook and by
 * palisade-runtime's delete (a container whose poststop never ran).
 */
#pragma once

#include "guard.h"

/* ctx: id, stage, policy, state (with pid), spec. */
int lifecycle_create(struct pal_ctx *ctx, struct pal_err *err);
int lifecycle_start(struct pal_ctx *ctx, struct pal_err *err);
/* Stop a registered container: 1 when stopped here, 0 when none is registered (or another stop did it). */
int lifecycle_stop(struct pal_ctx *ctx, struct pal_err *err);

/*
 * Reclaim what containers that died without their poststop left: run the
 * guards' stop for each registered container whose process is gone, then
 * every guard's gc, then remove orphan claims and leases. The first failure is reported; GC goes on.
 */
int lifecycle_gc(const struct policy *policy, struct gc_result *res, struct pal_err *err);
