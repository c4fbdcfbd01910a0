/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The userns guard's share of `palisade gc` (guards/userns.c). */
#pragma once

#include <stddef.h>

#include "lib/error.h"
#include "oci/policy.h"

/*
 * Release the idmapped mounts and ID ranges of containers that died before
 * they were registered (a runtime killed mid-create): those whose container
 * is not live and whose range lease, if any, is not live either.
 */
int userns_gc(const struct policy *policy, int regfd, size_t *released, struct pal_err *err);
