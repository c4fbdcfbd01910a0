/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Idmapped mounts (open_tree, mount_setattr MOUNT_ATTR_IDMAP, move_mount):
 * a rootfs shown to a container through its user namespace's mapping, in
 * O(1), without changing a file on disk.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "idmap.h"

#define IDMOUNT_MAX_MAPS 340    /* the kernel's limit of lines in uid_map */

/*
 * A user namespace with these mappings, as an fd: a helper child unshares
 * one, its uid_map and gid_map are written from here, the namespace is
 * opened through /proc/CHILD/ns/user, and the child is reaped.
 */
int idmount_userns(const struct idmap *uids, size_t n_uids, const struct idmap *gids, size_t n_gids,
                   struct pal_err *err);

/*
 * Clone the tree at src (an O_PATH or directory fd, with its submounts),
 * idmap it with userns_fd, make it private and attach it on target_fd (a
 * directory). *unsupported is set when the filesystem cannot be idmapped;
 * the message names it.
 */
int idmount_attach(int src, int userns_fd, int target_fd, bool *unsupported, struct pal_err *err);

/* Bind dir onto itself, private, so that nothing mounted below it propagates. */
int idmount_private_dir(const char *dir, struct pal_err *err);

/* Detach what is mounted at path (lazily, with everything below); 0 if nothing is. */
int idmount_detach(const char *path, struct pal_err *err);

/* A filesystem's name for messages ("ext4", "ramfs", or its magic in hex). */
const char *idmount_fs_name(int fd, char *buf, size_t size);
