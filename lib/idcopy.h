/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fallback for a rootfs that cannot be idmapped (policy
 * userns.unshiftable "chown"): a private copy whose ownership is shifted to
 * the container's mappings, as an idmapped mount would show it. The
 * original is only read.
 */
#pragma once

#include <stddef.h>

#include "error.h"
#include "idmap.h"

/*
 * Copy the tree at src (a directory fd) into dst (an empty directory fd):
 * directories, regular files (contents, mode, times), symlinks, device
 * nodes, FIFOs and sockets, each owned by its on-disk IDs mapped container
 * to host through the mappings. A file whose owner the mappings do not
 * cover is an error naming it. Hard links become separate files; extended
 * attributes (file capabilities, ACLs) are not copied.
 */
int idcopy_tree(int src, int dst, const struct idmap *uids, size_t n_uids, const struct idmap *gids,
                size_t n_gids, struct pal_err *err);

/* Remove the tree below dirfd (not dirfd itself), never following a symlink. */
int idcopy_remove(int dirfd, struct pal_err *err);
