/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Edits of a parsed config.json tree that keep every other field as it was. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "spec.h"

/*
 * Add a hook to hooks.STAGE, first or last, unless a hook whose path is the
 * same file (device and inode) as path is already there.
 */
int spec_add_hook(struct oci_spec *s, const char *stage, bool first, const char *path,
                  const char *const *args, const char *const *env, struct pal_err *err);

/* obj[key] as an object or array of type t, created when absent; NULL (err set) if it is another type. */
struct json *spec_child(struct json *obj, const char *key, enum json_type t, struct pal_err *err);

/* Set annotations[key] = value (creating "annotations"). */
int spec_set_annotation(struct oci_spec *s, const char *key, const char *value, struct pal_err *err);
