/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "bundle_inputs.h"
#include "lib/cleanup.h"
#include "lifecycle.h"
#include "specphase.h"

static void reclaim_dead(const struct pal_ctx *ctx);

int lifecycle_create(struct pal_ctx *ctx, struct pal_err *err)
{
        struct pal_err ignored, carried, inputs;
        int r;

        r = composer_check_annotations(ctx->spec->annotations, ctx->spec->n_annotations, err);
        if (r < 0)
                return pal_err_wrap(err, "config.json");
        ctx->registry_fd = registry_open(ctx->policy->state_dir, true, err);
        if (ctx->registry_fd < 0)
                return pal_err_wrap(err, "registry");
        r = proc_open(ctx->state->pid, &ctx->proc, err);
        if (r < 0)
                return pal_err_wrap(err, "state on stdin: pid");
        reclaim_dead(ctx);
        r = registry_claim(ctx->registry_fd, ctx->id, err);
        if (r < 0)
                return pal_err_wrap(err, "registry %s", ctx->policy->state_dir);

        snprintf(ctx->entry.id, sizeof(ctx->entry.id), "%s", ctx->id);
        snprintf(ctx->entry.bundle, sizeof(ctx->entry.bundle), "%s", ctx->state->bundle);
        ctx->entry.pid = ctx->proc.pid;
        ctx->entry.start_time = ctx->proc.start_time;
        ctx->entry.created = time(NULL);

        /* Refused here like a refusal carried from precreate: every guard sees it, audit records it. */
        if (spec_phase_carried_refusal(ctx->spec, &carried))
                ctx->carried = &carried;
        else if (bundle_inputs_check(ctx, false, &inputs) < 0)
                ctx->carried = &inputs;
        r = composer_run(ctx, PAL_PHASE_CREATE, err);
        if (r == 0) {
                r = registry_write(ctx->registry_fd, &ctx->entry, err);
                if (r < 0) {
                        /* Undo what the guards did: nothing may outlive a failed create. */
                        ctx->rollback = true;
                        (void) composer_run(ctx, PAL_PHASE_STOP, &ignored);
                }
        }
        if (r < 0)
                (void) registry_remove(ctx->registry_fd, ctx->id, &ignored);
        return r;
}

int lifecycle_start(struct pal_ctx *ctx, struct pal_err *err)
{
        struct pal_err write_err;
        int r, rr;

        ctx->registry_fd = registry_open(ctx->policy->state_dir, false, err);
        if (ctx->registry_fd < 0)
                return pal_err_wrap(err, "registry");
        r = registry_read(ctx->registry_fd, ctx->id, &ctx->entry, err);
        if (r < 0)
                return r;
        r = composer_run(ctx, PAL_PHASE_START, err);
        /* What the guards learnt (the filter in force) goes into the entry, refused or not. */
        rr = registry_write(ctx->registry_fd, &ctx->entry, &write_err);
        if (r == 0 && rr < 0) {
                *err = write_err;
                r = rr;
        }
        return r;
}

/*
 * Stop under the entry's lock. With only_dead (gc, a create reclaiming its
 * ID), a container found running under the lock is left alone: a create of
 * its ID may have registered it anew since the caller looked.
 */
static int stop_entry(struct pal_ctx *ctx, bool only_dead, struct pal_err *err)
{
        _cleanup_close_ int lock = -1;
        struct pal_err rm_err;
        int r, rr;

        ctx->registry_fd = registry_open(ctx->policy->state_dir, false, err);
        if (ctx->registry_fd == -ENOENT)
                return 0;
        if (ctx->registry_fd < 0)
                return pal_err_wrap(err, "registry");
        /* gc and a late poststop may both come: one stop line, one release. */
        lock = registry_lock(ctx->registry_fd, ctx->id, err);
        r = lock < 0 ? lock : registry_read(ctx->registry_fd, ctx->id, &ctx->entry, err);
        if (r == -ENOENT)
                return 0;       /* never registered, or already stopped */
        if (r < 0)
                return r;
        if (only_dead && proc_is_running(ctx->entry.pid, ctx->entry.start_time))
                return 0;
        r = composer_run(ctx, PAL_PHASE_STOP, err);
        rr = registry_remove(ctx->registry_fd, ctx->id, &rm_err);
        if (r == 0 && rr < 0) {
                *err = rm_err;
                r = rr;
        }
        return r < 0 ? r : 1;
}

int lifecycle_stop(struct pal_ctx *ctx, struct pal_err *err)
{
        return stop_entry(ctx, false, err);
}

/*
 * A container that died without its poststop may still be registered under
 * the ID being created: release it as gc would (its guards' stop, its
 * leases, its stop record) before the claim takes the ID, or its leases
 * outlive it under a live holder and its start is never closed.
 */
static void reclaim_dead(const struct pal_ctx *ctx)
{
        struct pal_ctx old = { .registry_fd = -1, .proc = PROC_HANDLE_INIT, .id = ctx->id, .stage = "reclaim",
                               .policy = ctx->policy };
        struct pal_err ignored;

        /* Best effort: the claim that follows refuses if it is live after all. */
        (void) stop_entry(&old, true, &ignored);
        pal_closep(&old.registry_fd);
}

int lifecycle_gc(const struct policy *policy, struct gc_result *res, struct pal_err *err)
{
        _cleanup_free_ struct registry_entry *entries = NULL;
        _cleanup_close_ int regfd = -1;
        struct pal_err first = { 0 }, e_gc = { 0 };
        size_t n;
        int r;

        *res = (struct gc_result) { 0 };
        regfd = registry_open(policy->state_dir, false, err);
        if (regfd == -ENOENT)
                return 0;
        if (regfd < 0)
                return pal_err_wrap(err, "registry");
        if ((r = registry_list(regfd, &entries, &n, err)) < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                struct pal_ctx ctx = { .registry_fd = -1, .proc = PROC_HANDLE_INIT, .stage = "gc", .policy = policy };
                struct pal_err e = { 0 };

                ctx.id = entries[i].id;
                r = stop_entry(&ctx, true, &e);
                pal_closep(&ctx.registry_fd);
                if (r < 0 && !first.code) {
                        first = e;
                        pal_err_wrap(&first, "container %s", entries[i].id);
                }
                if (r > 0)
                        res->containers++;
        }
        /* What the guards hold for containers that died before registration, before their leases go. */
        if ((r = composer_gc(policy, regfd, res, &e_gc)) < 0 && !first.code)
                first = e_gc;
        if ((r = registry_reap(regfd, &res->claims, &res->leases, err)) < 0)
                return r;
        if (first.code) {
                *err = first;
                return first.code;
        }
        return 0;
}
