/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <linux/capability.h>
#include <string.h>

#include "guard.h"
#include "specphase.h"
#include "lib/cleanup.h"

#define ANNOTATION_PREFIX "io.palisade."

/* The fixed order, from the one list (its order is explained there). */
static const struct guard *const guard_table[] = {
#define GUARD(name) &guard_##name,
#include "guard_list.h"
#undef GUARD
};

const char *const guard_names[] = {
#define GUARD(name) #name,
#include "guard_list.h"
#undef GUARD
        NULL,
};

static int (*phase_fn(const struct guard *g, enum pal_phase phase))(struct pal_ctx *, struct pal_err *)
{
        switch (phase) {
        case PAL_PHASE_SPEC: return g->spec;
        case PAL_PHASE_CREATE: return g->create;
        case PAL_PHASE_START: return g->start;
        case PAL_PHASE_STOP: return g->stop;
        case PAL_PHASE_COUNT: break;
        }
        return NULL;
}

/* Undo the spec phase of the enabled guards in done[] (all if NULL), last first. */
static void undo_spec(struct pal_ctx *ctx, const bool *done)
{
        for (size_t k = ARRAY_SIZE(guard_table); k-- > 0;) {
                const struct guard *g = guard_table[k];
                struct pal_err ignored;

                if (g->undo && (done ? done[k] : policy_guard_enabled(ctx->policy, g->name)))
                        (void) g->undo(ctx, &ignored);
        }
}

void composer_undo_spec(struct pal_ctx *ctx)
{
        undo_spec(ctx, NULL);
}

int composer_run(struct pal_ctx *ctx, enum pal_phase phase, struct pal_err *err)
{
        struct pal_err first = { 0 };
        bool done[ARRAY_SIZE(guard_table)] = { false };

        /* A carried refusal counts as the first: every guard sees and records it. */
        if (ctx->carried)
                first = *ctx->carried;
        ctx->refusal = ctx->carried ? &first : NULL;
        for (size_t k = 0; k < ARRAY_SIZE(guard_table); k++) {
                /*
                 * Stop undoes in reverse: the journal's stop line comes before
                 * any guard lets go of what the container held (its UID range),
                 * so a start and stop line bracket every hold.
                 */
                size_t i = phase == PAL_PHASE_STOP ? ARRAY_SIZE(guard_table) - 1 - k : k;
                const struct guard *g = guard_table[i];
                int (*fn)(struct pal_ctx *, struct pal_err *) = phase_fn(g, phase);
                struct pal_err e = { 0 };

                if (!fn || !policy_guard_enabled(ctx->policy, g->name))
                        continue;
                if (fn(ctx, &e) < 0) {
                        if (first.code == 0) {
                                first = e;
                                pal_err_wrap(&first, "%s guard", g->name);
                                ctx->refusal = &first;
                        }
                } else {
                        done[i] = true;
                }
        }
        ctx->refusal = NULL;
        if (first.code) {
                /* A refused spec is never written: nothing the guards took for it may stay. */
                if (phase == PAL_PHASE_SPEC)
                        undo_spec(ctx, done);
                *err = first;
                return first.code;
        }
        return 0;
}

int composer_gc(const struct policy *policy, int regfd, struct gc_result *res, struct pal_err *err)
{
        struct pal_err first = { 0 };

        for (size_t i = 0; i < ARRAY_SIZE(guard_table); i++) {
                const struct guard *g = guard_table[i];
                struct pal_err e = { 0 };

                if (g->gc && g->gc(policy, regfd, res, &e) < 0 && !first.code) {
                        first = e;
                        pal_err_wrap(&first, "%s", g->name);
                }
        }
        if (first.code) {
                *err = first;
                return first.code;
        }
        return 0;
}

/*
 * What the framework itself uses, besides the guards. create: open the
 * container's namespaces under /proc/PID/ns (ptrace access: the init may be
 * non-dumpable),
 * signal 0 to its pidfd (its UID may be mapped), write the registry and the
 * journal whoever owns them. stop: the registry and the journal.
 */
static const uint64_t framework_caps[PAL_PHASE_COUNT] = {
        [PAL_PHASE_SPEC] = 0,
        [PAL_PHASE_CREATE] = CAPBIT(CAP_SYS_PTRACE) | CAPBIT(CAP_KILL) | CAPBIT(CAP_DAC_OVERRIDE),
        [PAL_PHASE_START] = CAPBIT(CAP_DAC_OVERRIDE),
        [PAL_PHASE_STOP] = CAPBIT(CAP_DAC_OVERRIDE),
};

uint64_t composer_caps(const struct policy *policy, enum pal_phase phase)
{
        uint64_t caps = framework_caps[phase];

        for (size_t i = 0; i < ARRAY_SIZE(guard_table); i++)
                if (policy_guard_enabled(policy, guard_table[i]->name))
                        caps |= guard_table[i]->caps[phase];
        return caps;
}

bool composer_needs(const struct policy *policy, enum pal_phase phase)
{
        for (size_t i = 0; i < ARRAY_SIZE(guard_table); i++)
                if (phase_fn(guard_table[i], phase) && policy_guard_enabled(policy, guard_table[i]->name))
                        return true;
        return false;
}

/* Annotations of the framework itself, not of a guard. */
static const char *const framework_annotations[] = {
        SPEC_MARKER_ANNOTATION,
        SPEC_REFUSED_ANNOTATION,
        SPEC_DIFF_ANNOTATION,
        NULL,
};

static bool known_annotation(const char *key)
{
        for (const char *const *a = framework_annotations; *a; a++)
                if (strcmp(*a, key) == 0)
                        return true;
        for (size_t g = 0; g < ARRAY_SIZE(guard_table); g++)
                for (const char *const *a = guard_table[g]->annotations; a && *a; a++)
                        if (strcmp(*a, key) == 0)
                                return true;
        return false;
}

int composer_check_annotations(const struct oci_kv *kv, size_t n, struct pal_err *err)
{
        for (size_t i = 0; i < n; i++) {
                if (strncmp(kv[i].key, ANNOTATION_PREFIX, strlen(ANNOTATION_PREFIX)) != 0)
                        continue;
                if (!known_annotation(kv[i].key))
                        return pal_err_set(err, -EINVAL, "annotations[\"%.128s\"]: unknown palisade annotation "
                                           "(see README, \"Annotations\")", kv[i].key);
        }
        return 0;
}

/*
 * An io.palisade.* request that no enabled guard reads would be ignored: the
 * container would run without what it asked for (io.palisade.userns=auto as
 * host root). Refuse it, naming the guard that serves it.
 */
int composer_check_served(const struct policy *policy, const struct oci_kv *kv, size_t n, struct pal_err *err)
{
        for (size_t i = 0; i < n; i++) {
                const char *owner = NULL;
                bool served = false;

                if (strncmp(kv[i].key, ANNOTATION_PREFIX, strlen(ANNOTATION_PREFIX)) != 0)
                        continue;
                for (size_t g = 0; g < ARRAY_SIZE(guard_table); g++)
                        for (const char *const *a = guard_table[g]->annotations; a && *a; a++)
                                if (strcmp(*a, kv[i].key) == 0) {
                                        owner = owner ? owner : guard_table[g]->name;
                                        served |= policy_guard_enabled(policy, guard_table[g]->name);
                                }
                if (owner && !served)
                        return pal_err_set(err, -EPERM, "annotations[\"%.128s\"]: the %s guard, which serves it, is "
                                           "not enabled in policy %s (guards); enable it there or remove the "
                                           "annotation", kv[i].key, owner, policy->source ? policy->source :
                                           "(unnamed)");
        }
        return 0;
}
