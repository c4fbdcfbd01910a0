/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the spec phase changed: a list of {path, op, before, after}, objects
 * compared member by member, other values (arrays included) as a whole.
 */
#pragma once

#include "json.h"

/* An array of changes from before to after (empty when equal), or NULL when out of memory. */
struct json *spec_diff(const struct json *before, const struct json *after);
