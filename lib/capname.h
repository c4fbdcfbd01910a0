/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capability names, validated with libcap: "net_raw", "NET_RAW", "cap_net_raw" all mean CAP_NET_RAW. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

#define CAP_NAME_MAX 32

/* Parse a name; out gets the canonical "CAP_NET_RAW" form. -EINVAL if unknown. */
int capname_parse(const char *name, int *cap, char out[CAP_NAME_MAX]);

/* The canonical name of a capability number, or NULL if libcap has none. */
const char *capname_of(int cap, char out[CAP_NAME_MAX]);

/*
 * A bitmask's capabilities in number order: the first of set at *cap or
 * above that libcap names, its name in out; false when none is left. Walk
 * with: for (int cap = 0; capname_next(set, &cap, name); cap++)
 */
bool capname_next(uint64_t set, int *cap, char out[CAP_NAME_MAX]);

/*
 * A set of capabilities as a bitmask (Linux has < 64). Parse a comma-separated
 * list (annotations); errors name the offending entry.
 */
int capname_parse_list(const char *list, uint64_t *set, struct pal_err *err);

/* The capabilities a spec's capability set (a JSON array of names) holds; unknown names are left out. */
struct json;
uint64_t capname_json_set(const struct json *arr);
/* Append the names of set's capabilities to a JSON array, in number order; -ENOMEM. */
int capname_json_append(struct json *arr, uint64_t set);
