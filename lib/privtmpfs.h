/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tmpfs of palisade's own, detached (attached to no mount namespace, so
 * nothing to unmount: it goes with the last fd into it) and made in the
 * initial user namespace without nodev, so device nodes made on it open.
 */
#pragma once

#include "error.h"

/* A mount fd of a fresh tmpfs whose root has mode 0755, or a negative errno. */
int privtmpfs_open(struct pal_err *err);
