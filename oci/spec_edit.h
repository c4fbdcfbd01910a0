/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Edits of a parsed config.json tree that keep every other field as it was. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "spec.h"

/* Add a hook to hooks.STAGE, first or last. */
int spec_add_hook(struct oci_spec *s, const char *stage, bool first, const char *path,
                  const char *const *args, const char *const *env, struct pal_err *err);

/*
 * Take out of every hooks list the entries of a program: its path is the same
 * file (device and inode) as path, or its path's last component or its
 * args[0] is name. Returns how many went.
 */
size_t spec_drop_hooks_of(struct oci_spec *s, const char *path, const char *name);

/* obj[key] as an object or array of type t, created when absent; NULL (err set) if it is another type. */
struct json *spec_child(struct json *obj, const char *key, enum json_type t, struct pal_err *err);

/* Set annotations[key] = value (creating "annotations"). */
int spec_set_annotation(struct oci_spec *s, const char *key, const char *value, struct pal_err *err);
