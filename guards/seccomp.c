/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The seccomp guard. Spec phase: the policy's profile (annotation
 * io.palisade.seccomp=NAME, else seccomp.default), resolved for this
 * container's capabilities and this machine, merged with the spec's own
 * linux.seccomp so that the result is never weaker than either, validated
 * with libseccomp, written back. Create phase (the hook, where the spec can
 * no longer change): with seccomp.required, refuse a filter weaker than the
 * policy's, or none. Start phase: record what the kernel says is in force.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "lib/capname.h"
#include "lib/cleanup.h"
#include "lib/json.h"
#include "oci/spec_edit.h"
#include "seccomp/cache.h"
#include "seccomp/compile.h"
#include "seccomp/merge.h"

#define ANNOTATION_PROFILE "io.palisade.seccomp"

static const char *const seccomp_annotations[] = { ANNOTATION_PROFILE, NULL };

/* The bounding set, which Docker's includes/excludes.caps are read against. */
static uint64_t bounding_set(const struct oci_spec *s)
{
        return capname_json_set(json_get(json_get(json_get(s->tree, "process"), "capabilities"), "bounding"));
}

/* The policy profile's name for this container; "none" when there is none. */
static int profile_name(const struct pal_ctx *ctx, const char **name, struct pal_err *err)
{
        const struct policy *pol = ctx->policy;
        const char *asked = oci_annotation(ctx->spec->annotations, ctx->spec->n_annotations, ANNOTATION_PROFILE);

        *name = pol->seccomp.default_profile;
        if (!asked)
                return 0;
        if (!pol->seccomp.accept_annotation)
                return pal_err_set(err, -EPERM, "config.json: annotations[\"" ANNOTATION_PROFILE "\"]: policy %s does "
                                   "not let a container choose its seccomp profile (seccomp.accept_annotation)",
                                   pol->source);
        if (!policy_seccomp_profile(pol, asked))
                return pal_err_set(err, -EINVAL, "config.json: annotations[\"" ANNOTATION_PROFILE "\"]: no profile "
                                   "\"%.64s\" in policy %s (seccomp.profiles; \"builtin\" is palisade's default)",
                                   asked, pol->source);
        *name = asked;
        return 0;
}

static enum sc_unknown unknown_syscalls(const struct pal_ctx *ctx)
{
        return ctx->policy->seccomp.refuse_unknown ? SC_UNKNOWN_REFUSE : SC_UNKNOWN_SKIP;
}

static int policy_profile(const struct pal_ctx *ctx, const char *name, struct sc_profile *out, struct pal_err *err)
{
        struct sc_target target = { .bounding = bounding_set(ctx->spec) };
        int r;

        r = sc_profile_load(policy_seccomp_profile(ctx->policy, name), &target, unknown_syscalls(ctx), out, NULL, err);
        if (r < 0)
                return pal_err_wrap(err, "policy %s: seccomp.profiles.%s", ctx->policy->source, name);
        return 0;
}

/* The spec's own filter, if it has one (a container owner's: untrusted). */
static int spec_profile(const struct pal_ctx *ctx, struct sc_profile *out, bool *has, struct pal_err *err)
{
        const struct json *sc = json_get(json_get(ctx->spec->tree, "linux"), "seccomp");
        struct sc_target target = { .bounding = bounding_set(ctx->spec) };

        *has = sc != NULL;
        if (!sc)
                return 0;
        return sc_profile_from_json(sc, "config.json: linux.seccomp", &target, unknown_syscalls(ctx), out, NULL, err);
}

static int seccomp_spec(struct pal_ctx *ctx, struct pal_err *err)
{
        _cleanup_sc_profile_ struct sc_profile pol = { 0 }, own = { 0 }, merged = { 0 };
        _cleanup_json_ struct json *out = NULL;
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int state_fd = -1;
        struct pal_err ignored;
        struct json *linux_obj;
        struct sc_loss loss = { 0 };
        const char *name;
        size_t len;
        bool has;
        int r;

        if ((r = profile_name(ctx, &name, err)) < 0 || strcmp(name, "none") == 0 ||
            (r = policy_profile(ctx, name, &pol, err)) < 0 || (r = spec_profile(ctx, &own, &has, err)) < 0)
                return r;
        if (has)
                r = sc_merge(&pol, &own, &merged, &loss, err);
        else
                r = sc_merge(&pol, &pol, &merged, &loss, err);  /* the same profile, normalised */
        if (r < 0)
                return pal_err_wrap(err, "config.json: linux.seccomp");
        if (!(out = sc_profile_to_json(&merged)) || json_dump(out, false, &text, &len, err) < 0)
                return pal_err_set(err, -ENOMEM, "out of memory");
        state_fd = registry_open(ctx->policy->state_dir, true, &ignored);
        if (state_fd < 0 || !sc_cache_has(state_fd, text, len)) {
                if ((r = sc_validate(&merged, "merged seccomp profile", err)) < 0)
                        return r;
                if (state_fd >= 0)
                        sc_cache_add(state_fd, text, len);
        }
        if (loss.count) {
                char names[512];
                sc_loss_describe(&loss, names, sizeof(names));
                fprintf(stderr, "palisade: container %s: seccomp: merged stricter than exact for %s (a denial made "
                        "stricter where libseccomp cannot say the exact one; allowed calls unchanged)\n", ctx->id, names);
        }
        if (!(linux_obj = spec_child(ctx->spec->tree, "linux", JSON_OBJECT, err)) ||
            json_set(linux_obj, "seccomp", TAKE_PTR(out)) < 0)
                return pal_err_set(err, -ENOMEM, "out of memory");
        return 0;
}

/* seccomp.required: the spec as the runtime will load it must be at least the policy's. */
static int seccomp_create(struct pal_ctx *ctx, struct pal_err *err)
{
        _cleanup_sc_profile_ struct sc_profile pol = { 0 }, own = { 0 };
        const char *name;
        bool has;
        int r;

        if ((r = profile_name(ctx, &name, err)) < 0)
                return r;
        if (strcmp(name, "none") != 0)
                snprintf(ctx->entry.seccomp_profile, sizeof(ctx->entry.seccomp_profile), "%s", name);
        if (!ctx->policy->seccomp.required || strcmp(name, "none") == 0)
                return 0;
        if ((r = spec_profile(ctx, &own, &has, err)) < 0)
                return r;
        if (!has)
                return pal_err_set(err, -EPERM, "config.json: linux.seccomp: no seccomp filter, and policy %s sets "
                                   "seccomp.required (run it through palisade-runtime or the precreate hook, which "
                                   "add profile \"%s\", or give it one)", ctx->policy->source, name);
        if ((r = policy_profile(ctx, name, &pol, err)) < 0)
                return r;
        if ((r = sc_check_at_least(&own, &pol, err)) < 0)
                return pal_err_wrap(err, "config.json: linux.seccomp: weaker than profile \"%s\" that policy %s "
                                    "requires (seccomp.required)", name, ctx->policy->source);
        return 0;
}

/* What the kernel says: the filter is in force in the container's first process. */
static int seccomp_start(struct pal_ctx *ctx, struct pal_err *err)
{
        struct proc_facts f;
        struct pal_err ignored;

        if (proc_facts(ctx->entry.pid, &f, &ignored) < 0 || f.seccomp < 0 || f.seccomp > PROC_SECCOMP_MAX)
                return 0;               /* gone already (stop will record it), or a mode this build does not know */
        ctx->entry.seccomp_seen = true;
        ctx->entry.seccomp_mode = f.seccomp;
        ctx->entry.seccomp_filters = f.seccomp_filters < 0 ? 0 : f.seccomp_filters;
        /* DEAD: its filter is killing it, so it had one. */
        if (ctx->policy->seccomp.required && f.seccomp != PROC_SECCOMP_FILTER && f.seccomp != PROC_SECCOMP_DEAD &&
            ctx->entry.seccomp_profile[0])
                return pal_err_set(err, -EPERM, "container process %d runs without a seccomp filter (Seccomp: %d) "
                                   "although policy %s sets seccomp.required", (int) ctx->entry.pid, f.seccomp,
                                   ctx->policy->source);
        return 0;
}

/* Profiles validated since the last gc: an entry costs an inode of the tmpfs; start over. */
static int seccomp_gc(const struct policy *policy, int regfd, struct gc_result *res, struct pal_err *err)
{
        res->seccomp_cache = sc_cache_clear(regfd);
        return 0;
}

const struct guard guard_seccomp = {
        .name = "seccomp",
        .annotations = seccomp_annotations,
        .spec = seccomp_spec,
        .create = seccomp_create,
        .start = seccomp_start,
        .gc = seccomp_gc,
};
