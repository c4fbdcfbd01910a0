/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bundle_inputs.h"
#include "oci/runtime_annotations.h"
#include "oci/spec_hooks.h"

static int check_runtime_annotations(const struct pal_ctx *ctx, struct pal_err *err)
{
        const struct oci_spec *s = ctx->spec;

        for (size_t i = 0; i < s->n_annotations; i++) {
                const struct runtime_annotation *a = runtime_annotation_lookup(s->annotations[i].key);

                if (!a || a->harmless || policy_runtime_annotation_allowed(ctx->policy, s->annotations[i].key))
                        continue;
                return pal_err_set(err, -EPERM, "config.json: annotations[\"%.128s\"]: read by %s (checked against "
                                   RUNTIME_ANNOTATIONS_CHECKED "): %s; policy %s does not allow it "
                                   "(runtime_annotations.allow)", s->annotations[i].key, a->runtimes, a->why,
                                   ctx->policy->source ? ctx->policy->source : "(unnamed)");
        }
        return 0;
}

/* Does "PATH" or "PATH ARGV0" match the program and args[0]? */
static bool allow_matches(const char *entry, const char *program, const char *argv0)
{
        const char *space = strchr(entry, ' ');
        size_t plen = space ? (size_t) (space - entry) : strlen(entry);

        if (strlen(program) != plen || strncmp(entry, program, plen) != 0)
                return false;
        return !space || (argv0 && strcmp(space + 1, argv0) == 0);
}

static bool hook_allowed(const struct policy *pol, const struct spec_hook *h)
{
        char target[4096];
        const char *program = h->path;
        ssize_t len;

        /* Docker runs its own binary again through /proc/<dockerd>/exe: judge where it leads now. */
        if (spec_hook_is_proc_exe(h->path)) {
                len = readlink(h->path, target, sizeof(target) - 1);
                if (len <= 0)
                        return false;
                target[len] = '\0';
                program = target;
        }
        for (size_t i = 0; i < pol->hooks.n_allow; i++)
                if (allow_matches(pol->hooks.allow[i], program, h->argv0))
                        return true;
        return false;
}

static int check_hooks(const struct pal_ctx *ctx, struct pal_err *err)
{
        struct spec_hook hooks[SPEC_HOOKS_MAX];
        size_t n = spec_hooks_list(ctx->spec, hooks, SPEC_HOOKS_MAX);

        if (n > SPEC_HOOKS_MAX)
                return pal_err_set(err, -E2BIG, "config.json: hooks: more than %d entries", SPEC_HOOKS_MAX);
        for (size_t i = 0; i < n; i++) {
                const struct spec_hook *h = &hooks[i];

                if (h->path && spec_hook_is_palisade(h->path))
                        continue;       /* palisade's own: the spec phase decides what to keep */
                if (h->path && hook_allowed(ctx->policy, h))
                        continue;
                return pal_err_set(err, -EPERM, "config.json: hooks.%.32s[%zu].path: \"%.256s\" is not a hook "
                                   "program policy %s allows (hooks.allow); the runtime would run it as root "
                                   "before palisade could refuse the container", h->stage, h->index,
                                   h->path ? h->path : "(not a string)",
                                   ctx->policy->source ? ctx->policy->source : "(unnamed)");
        }
        return 0;
}

int bundle_inputs_check(const struct pal_ctx *ctx, bool spec_phase, struct pal_err *err)
{
        int r;

        if ((r = composer_check_served(ctx->policy, ctx->spec->annotations, ctx->spec->n_annotations, err)) < 0)
                return pal_err_wrap(err, "config.json");
        if ((r = check_runtime_annotations(ctx, err)) < 0)
                return r;
        if (spec_phase && (r = check_hooks(ctx, err)) < 0)
                return r;
        return 0;
}
