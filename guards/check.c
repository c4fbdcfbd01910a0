/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check guard: refuse a container whose spec has `palisade check`
 * findings at or above the policy's check.refuse_at, and, whatever that
 * says, one that would lead the runtime to change the host before any hook
 * runs (a rootfs `dev` that is a symbolic link; a sysctl of a namespace the
 * container does not own, which crun writes before createRuntime). It runs after the guards
 * that edit the spec, so it judges what the runtime will get.
 */
#include <errno.h>
#include <stdio.h>

#include "check/lint.h"
#include "guard.h"

/* The bundle a relative root.path is below: the shim's, else the state's (createRuntime). */
static const char *bundle_of(const struct pal_ctx *ctx)
{
        return ctx->bundle ? ctx->bundle : ctx->state ? ctx->state->bundle : NULL;
}

static int check_spec(struct pal_ctx *ctx, struct pal_err *err)
{
        struct finding f[LINT_MAX_FINDINGS];
        enum severity at = ctx->policy->check.refuse_at;
        char list[1400];
        size_t n, used = 0, shown = 0, over = 0;

        if (!ctx->spec)
                return 0;
        /* What the runtime would do to the host before any hook: refused whatever policy says. */
        n = lint_bundle(ctx->spec, bundle_of(ctx), f);
        for (size_t i = 0; i < n; i++)
                if (f[i].refuse)
                        return pal_err_set(err, -EPERM, "%s: %s; %s; %s", f[i].path, f[i].what, f[i].why, f[i].fix);
        if (at == SEVERITY_NONE)
                return 0;
        for (size_t i = 0; i < n; i++) {
                if (f[i].severity < at)
                        continue;
                over++;
                if (used < sizeof(list) - 200) {
                        int k = snprintf(list + used, sizeof(list) - used, "%s[%s] %s: %s", used ? "; " : "",
                                         severity_name(f[i].severity), f[i].path, f[i].what);
                        used += k > 0 ? (size_t) k : 0;
                        shown++;
                }
        }
        if (!over)
                return 0;
        return pal_err_set(err, -EPERM, "%zu finding%s at or above %s (policy %s, check.refuse_at): %s%s; "
                           "run palisade check on the bundle for why and how to fix", over, over == 1 ? "" : "s",
                           severity_name(at), ctx->policy->source, list, shown < over ? "; ..." : "");
}

const struct guard guard_check = {
        .name = "check",
        .spec = check_spec,
        .create = check_spec,
};
