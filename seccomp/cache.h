/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles libseccomp has accepted, remembered under STATE_DIR/seccomp/ by a
 * hash of their OCI text and the libseccomp version, so that the thousand
 * containers that get the same merged profile pay for compiling it once
 * (about 2.5 ms of a container start). Validation only gives a better
 * message than the runtime's: the runtime's own libseccomp still compiles
 * what it loads and refuses what it cannot, so a stale or forged entry
 * costs a message, never a filter. `palisade gc` empties it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "lib/error.h"

bool sc_cache_has(int state_fd, const char *text, size_t len);
void sc_cache_add(int state_fd, const char *text, size_t len);
/* Remove every entry; returns how many. */
size_t sc_cache_clear(int state_fd);
