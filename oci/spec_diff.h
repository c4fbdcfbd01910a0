/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the spec phase changed: a list of {path, keys, op, before, after},
 * objects compared member by member (down to SPEC_DIFF_MAX_KEYS), other
 * values (arrays included) as a whole. path is for people ("linux.seccomp",
 * "annotations[\"x\"]"); keys is the same path as an array of member names.
 */
#pragma once

#include "lib/json.h"

#define SPEC_DIFF_MAX_KEYS 16

/* An array of changes from before to after (empty when equal), or NULL when out of memory. */
struct json *spec_diff(const struct json *before, const struct json *after);
