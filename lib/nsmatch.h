/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Map a process back to its container: match its namespaces against the
 * registry's, walking pid and user namespaces up with NS_GET_PARENT so a
 * process that unshared its own inside the container still maps.
 */
#pragma once

#include <sys/types.h>

#include "registry.h"

/* Index into entries of the container pid belongs to; -ENOENT if none. */
int nsmatch_find(pid_t pid, const struct registry_entry *entries, size_t n, struct pal_err *err);
