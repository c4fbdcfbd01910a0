/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bundle_inputs.h"
#include "lib/cleanup.h"
#include "oci/spec_edit.h"
#include "oci/spec_record.h"
#include "specphase.h"

bool spec_phase_marked(const struct oci_spec *s)
{
        return oci_annotation(s->annotations, s->n_annotations, SPEC_MARKER_ANNOTATION) != NULL;
}

bool spec_phase_carried_refusal(const struct oci_spec *s, struct pal_err *err)
{
        const char *why = oci_annotation(s->annotations, s->n_annotations, SPEC_REFUSED_ANNOTATION);

        if (!why)
                return false;
        pal_err_set(err, -EPERM, "refused at precreate: %s", why);
        return true;
}

static int add_hook(struct pal_ctx *ctx, const struct spec_phase_opts *o, const char *stage, bool first,
                    struct pal_err *err)
{
        _cleanup_free_ char *bundle = NULL;
        const char *args[] = { "palisade-hook", stage, NULL, NULL };

        if (o->hook_bundle) {
                if (asprintf(&bundle, "--bundle=%s", o->hook_bundle) < 0)
                        return pal_err_set(err, -ENOMEM, "out of memory");
                args[1] = bundle;
                args[2] = stage;
        }
        return spec_add_hook(ctx->spec, stage, first, o->hook_path, args, o->hook_env, err);
}

/* After the guards: register the hooks, mark the spec, make the record of the edits. */
static int finish(struct pal_ctx *ctx, const struct spec_phase_opts *o, const struct json *before,
                  struct pal_err *err)
{
        int r;

        if (o->inject_hooks) {
                /*
                 * palisade's hooks are palisade's: an entry for palisade-hook
                 * that this phase did not write (the bundle's, with a policy
                 * of its choosing, say) goes; the record undid ours already.
                 */
                spec_drop_hooks_of(ctx->spec, o->hook_path, "palisade-hook");
                /*
                 * createRuntime first, so a refusal comes before other hooks act
                 * (network setup, say); poststop last, to release after them.
                 */
                bool lifecycle = composer_needs(ctx->policy, PAL_PHASE_CREATE) ||
                                 composer_needs(ctx->policy, PAL_PHASE_STOP);
                if ((lifecycle && (r = add_hook(ctx, o, "createRuntime", true, err)) < 0) ||
                    (composer_needs(ctx->policy, PAL_PHASE_START) &&
                     (r = add_hook(ctx, o, "poststart", false, err)) < 0) ||
                    (lifecycle && (r = add_hook(ctx, o, "poststop", false, err)) < 0))
                        return pal_err_wrap(err, "config.json: hooks");
        }
        r = spec_set_annotation(ctx->spec, SPEC_MARKER_ANNOTATION, SPEC_MARKER_VALUE, err);
        if (r < 0)
                return pal_err_wrap(err, "config.json: annotations");
        /* The record stays out of the spec: annotations reach every hook and seccomp agent. */
        if (o->record && !(*o->record = spec_record_new(before, ctx->spec->tree)))
                return pal_err_set(err, -ENOMEM, "out of memory");
        return 0;
}

int spec_phase_run(struct pal_ctx *ctx, const struct spec_phase_opts *o, struct pal_err *err)
{
        _cleanup_json_ struct json *before = NULL;
        int r;

        if (spec_phase_carried_refusal(ctx->spec, err))
                return err->code;
        r = composer_check_annotations(ctx->spec->annotations, ctx->spec->n_annotations, err);
        if (r < 0)
                return pal_err_wrap(err, "config.json");
        if ((r = bundle_inputs_check(ctx, true, err)) < 0)
                return r;
        before = json_clone(ctx->spec->tree);
        if (!before)
                return pal_err_set(err, -ENOMEM, "out of memory");
        r = composer_run(ctx, PAL_PHASE_SPEC, err);
        if (r < 0)
                return r;
        if ((r = finish(ctx, o, before, err)) < 0)
                composer_undo_spec(ctx);
        return r;
}
