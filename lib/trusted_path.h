/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Is a file root's choice? For a path a hook is handed by whoever wrote the
 * hook entry (PALISADE_CONFIG): a bundle's owner can write that entry, and
 * any file of the bundle (its rootfs's files are root-owned after unpack).
 */
#pragma once

#include "error.h"

/*
 * 0 when path is absolute and names a regular file owned by root and not
 * writable by group or others, reached (symbolic links resolved) through
 * directories owned by root and not writable by others except sticky ones,
 * and not inside directory not_under (NULL: no such check); else -EPERM
 * with the reason.
 */
int path_root_controlled(const char *path, const char *not_under, struct pal_err *err);
