/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `palisade check`: what an operator should know about a spec before running
 * it. lint_spec is pure: spec in, findings out; lint_bundle adds what the
 * rootfs on disk holds (lint_rootfs). Used by the command and by the check guard.
 */
#pragma once

#include "oci/policy.h"
#include "oci/spec.h"

struct finding {
        enum severity severity;
        char path[96];          /* key path in config.json */
        char what[512];
        const char *why;
        const char *fix;
        /*
         * The check guard refuses it whatever check.refuse_at says: the runtime
         * would change the host before any hook could refuse the container.
         */
        bool refuse;
};

#define LINT_MAX_FINDINGS 64

/* Fill out (at most LINT_MAX_FINDINGS); returns the number of findings. */
size_t lint_spec(const struct oci_spec *s, struct finding out[LINT_MAX_FINDINGS]);

/*
 * The rootfs on disk (not pure: reads the filesystem, through fds only, never
 * following a path inside the rootfs): a `dev` that is a symbolic link, which
 * runc and crun follow on the host to make device nodes. BUNDLE is the
 * directory a relative root.path is below (NULL when unknown). A rootfs that
 * cannot be opened gives no finding: the runtime and the guards report it.
 */
size_t lint_rootfs(const struct oci_spec *s, const char *bundle, struct finding out[LINT_MAX_FINDINGS]);

/* lint_spec and lint_rootfs together (the rootfs's findings after root.path's). */
size_t lint_bundle(const struct oci_spec *s, const char *bundle, struct finding out[LINT_MAX_FINDINGS]);

enum severity lint_worst(const struct finding *f, size_t n);
