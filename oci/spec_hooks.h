/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hooks a config.json carries, listed for judging: the runtime runs each
 * as root (prestart, createRuntime and poststart in the host's namespaces)
 * before palisade's own createRuntime could refuse the container.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

#define SPEC_HOOKS_MAX 256

struct spec_hook {
        const char *stage;      /* the key under "hooks", as the spec spells it */
        size_t index;
        const char *path;       /* NULL: not a string (the runtime refuses the spec) */
        const char *argv0;      /* args[0], or NULL */
};

/* Every entry of every stage, in order; at most max (the count is returned, even past max). */
size_t spec_hooks_list(const struct oci_spec *s, struct spec_hook *out, size_t max);

/* Is PATH palisade-hook (by name: which ones palisade wrote is the spec phase's business)? */
bool spec_hook_is_palisade(const char *path);

/* PATH is /proc/PID/exe (Docker's network hook: the daemon's own binary, run again). */
bool spec_hook_is_proc_exe(const char *path);
