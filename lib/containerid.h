/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Container IDs: the one check every ID from a runtime, a state or a registry entry passes. */
#pragma once

#include <stdbool.h>

/*
 * Container IDs as runc accepts them: [A-Za-z0-9_+.-], 1..1024 bytes, not
 * "." or "..". They become file names under the registry.
 */
bool containerid_valid(const char *id);
