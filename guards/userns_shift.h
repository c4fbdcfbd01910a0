/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The userns guard's mounts under STATE_DIR/userns/<id> (guards/userns_shift.c). */
#pragma once

#include <limits.h>

#include "guard.h"

#define USERNS_DIR "userns"

/* STATE_DIR/userns/<id> and its rootfs, as paths. */
void userns_mount_paths(const struct pal_ctx *ctx, const char *id, char dir[PATH_MAX], char rootfs[PATH_MAX]);

/* Undo a container's mount: detach everything below its directory, remove it. */
int userns_remove_mount(const struct pal_ctx *ctx, const char *id, struct pal_err *err);

/* What a holder that died before registration left: its mount (its lease is already gone or going). */
void userns_clean_dead(const struct pal_ctx *ctx, int regfd, const char *id);

/*
 * Mount the rootfs, idmapped to the mappings, at STATE_DIR/userns/<id>/rootfs
 * (the idmapped binds below it too); target gets the path for root.path.
 */
int userns_shift_rootfs(struct pal_ctx *ctx, int regfd, const struct idmap *u, size_t nu,
                        const struct idmap *g, size_t ng, char target[PATH_MAX], struct pal_err *err);
