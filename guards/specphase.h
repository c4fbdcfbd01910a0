/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The spec phase, one code path for both front doors: palisade-runtime's
 * create/run and palisade-hook precreate (Podman). The guards edit the spec
 * (grants happen only here), palisade-hook is registered for the stages the
 * enabled guards need, and a marker annotation records that it was done.
 */
#pragma once

#include "guard.h"
#include "oci/spec_record.h"

#define SPEC_MARKER_ANNOTATION "io.palisade.spec"
#define SPEC_MARKER_VALUE "applied"
/* Where an older palisade kept its record in the spec (now NAME.palisade, oci/spec_record.h). */
#define SPEC_DIFF_ANNOTATION SPEC_LEGACY_DIFF_ANNOTATION
/*
 * Podman drops a precreate hook's stderr, so precreate carries a refusal in
 * this annotation to createRuntime, which refuses with it (runc shows it).
 */
#define SPEC_REFUSED_ANNOTATION "io.palisade.refused"

struct spec_phase_opts {
        bool inject_hooks;              /* false for precreate: hooks.d registers them */
        const char *hook_path;          /* palisade-hook */
        const char *const *hook_env;    /* e.g. PALISADE_CONFIG=…, NULL-terminated */
        const char *hook_bundle;        /* absolute bundle for --bundle, or NULL */
        struct json **record;           /* gets the record of the edits (oci/spec_record.h), or NULL */
};

int spec_phase_run(struct pal_ctx *ctx, const struct spec_phase_opts *opts, struct pal_err *err);

/* Does the spec carry palisade's marker? */
bool spec_phase_marked(const struct oci_spec *s);

/* A refusal carried by the spec (SPEC_REFUSED_ANNOTATION) into *err; false if none. */
bool spec_phase_carried_refusal(const struct oci_spec *s, struct pal_err *err);
