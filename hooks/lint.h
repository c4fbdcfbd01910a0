/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `palisade check`: what an operator should know about a spec before running
 * it. Pure: spec in, findings out. Used by the command and by the check guard.
 */
#pragma once

#include "oci/policy.h"
#include "oci/spec.h"

struct finding {
        enum severity severity;
        char path[96];          /* key path in config.json */
        char what[160];
        const char *why;
        const char *fix;
};

#define LINT_MAX_FINDINGS 64

/* Fill out (at most LINT_MAX_FINDINGS); returns the number of findings. */
size_t lint_spec(const struct oci_spec *s, struct finding out[LINT_MAX_FINDINGS]);

enum severity lint_worst(const struct finding *f, size_t n);
