/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The userns guard's filesystem half: show a container's rootfs and its
 * idmapped binds through idmapped mounts under STATE_DIR/userns/<id> (or a
 * chown-shifted copy where policy allows it), and undo that. The decisions
 * (mode, ranges, mappings) are guards/userns.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guard.h"
#include "lib/cleanup.h"
#include "lib/containerid.h"
#include "lib/fileio.h"
#include "lib/idcopy.h"
#include "lib/idmount.h"
#include "lib/idrange.h"
#include "lib/json.h"
#include "lib/registry.h"
#include "oci/state.h"
#include "userns_shift.h"

#define COPY_MARKER "copied"    /* rootfs/ holds a chown-shifted copy, not a mount */
#define MAX_BINDS 64

/* STATE_DIR/userns/<id> and its rootfs, as paths. */
void userns_mount_paths(const struct pal_ctx *ctx, const char *id, char dir[PATH_MAX], char rootfs[PATH_MAX])
{
        snprintf(dir, PATH_MAX, "%s/" USERNS_DIR "/%s", ctx->policy->state_dir, id);
        snprintf(rootfs, PATH_MAX, "%s/rootfs", dir);
}

/* The empty files and directories idmapped binds were attached on (dir/mounts/N), once detached. */
static void remove_bind_targets(const char *dir)
{
        char path[PATH_MAX + 16];
        _cleanup_close_ int fd = -1;
        struct dirent *de;
        DIR *d;

        snprintf(path, sizeof(path), "%s/mounts", dir);
        fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || !(d = fdopendir(fd)))
                return;
        fd = -1;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' && unlinkat(dirfd(d), de->d_name, 0) < 0)
                        (void) unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
        closedir(d);
        (void) rmdir(path);
}

/* A chown-shifted copy, once detached from everything: removed, marker last. */
static int remove_copy(const char *dir, const char *rootfs, struct pal_err *err)
{
        _cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rfd = -1;
        int r;

        if (dfd < 0 || faccessat(dfd, COPY_MARKER, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
                return 0;
        rfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (rfd >= 0 && (r = idcopy_remove(rfd, err)) < 0)
                return pal_err_wrap(err, "%s", rootfs);
        (void) unlinkat(dfd, COPY_MARKER, 0);
        return 0;
}

/* Undo a container's mount: detach everything below its directory, remove it. */
int userns_remove_mount(const struct pal_ctx *ctx, const char *id, struct pal_err *err)
{
        char dir[PATH_MAX], rootfs[PATH_MAX];
        int r;

        userns_mount_paths(ctx, id, dir, rootfs);
        if ((r = idmount_detach(rootfs, err)) < 0 || (r = idmount_detach(dir, err)) < 0)
                return r;
        remove_bind_targets(dir);
        if ((r = remove_copy(dir, rootfs, err)) < 0)
                return r;
        if (rmdir(rootfs) < 0 && errno != ENOENT)
                return pal_err_sys(err, errno, "%s", rootfs);
        if (rmdir(dir) < 0 && errno != ENOENT)
                return pal_err_sys(err, errno, "%s", dir);
        return 0;
}

/* What a holder that died before registration left: its mount (its lease is already gone or going). */
void userns_clean_dead(const struct pal_ctx *ctx, int regfd, const char *id)
{
        struct pal_err ignored;
        uint32_t slot;
        bool live = false;

        if (!id[0] || !containerid_valid(id) || registry_is_live(regfd, id) ||
            (idrange_held(regfd, id, &slot, &live) == 0 && live))
                return;
        (void) userns_remove_mount(ctx, id, &ignored);
}

/*
 * A path the spec names (root.path, a bind's source), opened O_PATH without
 * leaving the bundle when relative; never the host's root directory.
 */
static int open_spec_path(const struct pal_ctx *ctx, const char *key, const char *path, bool dir, char *resolved,
                          size_t size, struct pal_err *err)
{
        _cleanup_close_ int fd = -1;
        struct stat st, host_root;

        if (path[0] != '/' && !ctx->bundle)
                return pal_err_set(err, -EINVAL, "%s: \"%.200s\" is relative and the bundle directory is "
                                   "unknown here; give an absolute path", key, path);
        if (path[0] == '/')
                snprintf(resolved, size, "%s", path);
        else
                snprintf(resolved, size, "%s/%s", ctx->bundle, path);
        fd = open_bundle_path(ctx->bundle, path, O_PATH | (dir ? O_DIRECTORY : 0));
        if (fd < 0) {
                if (errno == EXDEV)
                        return pal_err_set(err, -EXDEV, "%s: \"%.200s\" leads out of the bundle %s (a symlink or "
                                           "..); give a path inside the bundle or an absolute path", key, path,
                                           ctx->bundle);
                return pal_err_sys(err, errno, "%s: \"%.200s\"", key, path);
        }
        if (fstat(fd, &st) < 0 || stat("/", &host_root) < 0)
                return pal_err_sys(err, errno, "%s", key);
        if (st.st_dev == host_root.st_dev && st.st_ino == host_root.st_ino)
                return pal_err_set(err, -EPERM, "%s: \"%.200s\" is the host's root directory; an idmapped mount "
                                   "of it would give container root the host's files", key, path);
        return TAKE_FD(fd);
}

static bool has_option(const struct json *opts, const char *name)
{
        for (size_t i = 0; opts && opts->type == JSON_ARRAY && i < opts->len; i++)
                if (opts->items[i]->type == JSON_STRING && strcmp(opts->items[i]->str, name) == 0)
                        return true;
        return false;
}

/* A bind mount asking for an idmap (crun's syntax): "idmap" or "ridmap", or a custom one (refused). */
static int wants_idmap(const struct json *m, size_t i, bool *yes, struct pal_err *err)
{
        const struct json *opts = json_get(m, "options"), *type = json_get(m, "type");
        bool bind = has_option(opts, "bind") || has_option(opts, "rbind") ||
                    (type && type->type == JSON_STRING && strcmp(type->str, "bind") == 0);

        *yes = false;
        for (size_t j = 0; opts && opts->type == JSON_ARRAY && j < opts->len; j++) {
                const struct json *o = opts->items[j];
                if (o->type != JSON_STRING)
                        continue;
                if (strncmp(o->str, "idmap=", 6) == 0 || strncmp(o->str, "ridmap=", 7) == 0)
                        return pal_err_set(err, -ENOTSUP, "mounts[%zu].options[%zu]: \"%.64s\": palisade shifts a "
                                           "bind by the container's own mapping only; write \"idmap\"", i, j, o->str);
                if (strcmp(o->str, "idmap") == 0 || strcmp(o->str, "ridmap") == 0)
                        *yes = true;
        }
        if (*yes && !bind)
                return pal_err_set(err, -EINVAL, "mounts[%zu].options: \"idmap\" applies to bind mounts only", i);
        return 0;
}

/*
 * Binds with the idmap option: the source cloned, idmapped like the rootfs
 * and attached under dir/mounts/N, the spec's source rewritten to it and the
 * option removed (runc 1.1 does not know it; the mount is idmapped already).
 */
static int shift_binds(struct pal_ctx *ctx, int userns, const char *dir, struct pal_err *err)
{
        struct json *mounts = json_get(ctx->spec->tree, "mounts");
        char sub[PATH_MAX + 16], target[PATH_MAX + 48], resolved[PATH_MAX], key[64];
        size_t n = 0;
        int r;

        for (size_t i = 0; mounts && mounts->type == JSON_ARRAY && i < mounts->len; i++) {
                struct json *m = mounts->items[i], *src = json_get(m, "source"), *opts = json_get(m, "options");
                _cleanup_close_ int sfd = -1, tfd = -1;
                bool yes, unsupported;
                struct stat st;

                if ((r = wants_idmap(m, i, &yes, err)) < 0)
                        return r;
                if (!yes)
                        continue;
                if (++n > MAX_BINDS)
                        return pal_err_set(err, -E2BIG, "mounts: more than %d idmapped binds", MAX_BINDS);
                if (!src || src->type != JSON_STRING || !src->str[0])
                        return pal_err_set(err, -EINVAL, "mounts[%zu].source: an idmapped bind needs a source", i);
                snprintf(key, sizeof(key), "mounts[%zu].source", i);
                sfd = open_spec_path(ctx, key, src->str, false, resolved, sizeof(resolved), err);
                if (sfd < 0)
                        return sfd;
                if (fstat(sfd, &st) < 0)
                        return pal_err_sys(err, errno, "%s", key);
                snprintf(sub, sizeof(sub), "%s/mounts", dir);
                snprintf(target, sizeof(target), "%s/%zu", sub, i);
                if ((mkdir(sub, 0711) < 0 && errno != EEXIST) ||
                    (S_ISDIR(st.st_mode) ? mkdir(target, 0755) : mknod(target, S_IFREG | 0644, 0)) < 0)
                        return pal_err_sys(err, errno, "%s", target);
                tfd = open(target, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (tfd < 0)
                        return pal_err_sys(err, errno, "%s", target);
                if ((r = idmount_attach(sfd, userns, tfd, &unsupported, err)) < 0)
                        return pal_err_wrap(err, "%s: %s", key, resolved);
                if (json_set(m, "source", json_new_string(target)) < 0)
                        return pal_err_set(err, -ENOMEM, "out of memory");
                size_t keep = 0;
                for (size_t j = 0; j < opts->len; j++) {
                        struct json *o = opts->items[j];
                        if (o->type == JSON_STRING && (strcmp(o->str, "idmap") == 0 || strcmp(o->str, "ridmap") == 0)) {
                                json_free(o);
                                continue;
                        }
                        opts->items[keep++] = o;
                }
                opts->len = keep;
        }
        return 0;
}

/*
 * The fallback: a private copy of the rootfs in target, owned as the
 * mappings shift it. A marker (dir/copied), written first, lets stop remove
 * even a partial copy, and only a copy.
 */
static int chown_copy(const struct pal_ctx *ctx, int src, const char *dir, const char *target,
                      const struct idmap *u, size_t nu, const struct idmap *g, size_t ng, struct pal_err *err)
{
        _cleanup_close_ int in = -1, out = -1, dfd = -1, marker = -1;

        in = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        out = open(target, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (in < 0 || dfd < 0 || out < 0)
                return pal_err_sys(err, errno, "%s", target);
        marker = openat(dfd, COPY_MARKER, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (marker < 0)
                return pal_err_sys(err, errno, "%s/" COPY_MARKER, dir);
        return idcopy_tree(in, out, u, nu, g, ng, err);
}

/* Mount the rootfs, idmapped to the mappings, at STATE_DIR/userns/<id>/rootfs. */
int userns_shift_rootfs(struct pal_ctx *ctx, int regfd, const struct idmap *u, size_t nu,
                        const struct idmap *g, size_t ng, char target[PATH_MAX], struct pal_err *err)
{
        struct stat st;
        _cleanup_close_ int src = -1, userns = -1, tfd = -1;
        char dir[PATH_MAX], top[PATH_MAX], resolved[PATH_MAX];
        bool unsupported;
        int r;

        src = open_spec_path(ctx, "root.path", ctx->spec->root_path, true, resolved, sizeof(resolved), err);
        if (src < 0)
                return src;
        userns_mount_paths(ctx, ctx->id, dir, target);
        snprintf(top, sizeof(top), "%s/" USERNS_DIR, ctx->policy->state_dir);
        /*
         * runc mounts root.path from inside the container's user namespace,
         * as the range's root: the path must be searchable (not readable) by it.
         */
        if (fstat(regfd, &st) < 0 || ((st.st_mode & 0011) != 0011 && fchmod(regfd, (st.st_mode & 07777) | 0011) < 0))
                return pal_err_sys(err, errno, "%s: making it searchable", ctx->policy->state_dir);
        if ((mkdir(top, 0711) < 0 && errno != EEXIST) || (mkdir(dir, 0711) < 0 && errno != EEXIST))
                return pal_err_sys(err, errno, "%s", dir);
        if ((r = idmount_private_dir(dir, err)) < 0)
                goto fail;
        if (mkdir(target, 0755) < 0 && errno != EEXIST) {
                r = pal_err_sys(err, errno, "%s", target);
                goto fail;
        }
        tfd = open(target, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (tfd < 0) {
                r = pal_err_sys(err, errno, "%s", target);
                goto fail;
        }
        userns = idmount_userns(u, nu, g, ng, err);
        if (userns < 0) {
                r = userns;
                goto fail;
        }
        r = idmount_attach(src, userns, tfd, &unsupported, err);
        if (r < 0 && unsupported && ctx->policy->userns.chown_fallback) {
                r = chown_copy(ctx, src, dir, target, u, nu, g, ng, err);
                if (r < 0)
                        pal_err_wrap(err, "root.path: %.1024s: cannot be idmapped, and its shifted copy "
                                     "(userns.unshiftable \"chown\") failed", resolved);
        } else if (r < 0 && unsupported) {
                char why[512];
                snprintf(why, sizeof(why), "%.500s", err->msg);
                r = pal_err_set(err, -ENOTSUP, "root.path: %.1024s: %s; policy %s refuses a rootfs that cannot be "
                                "idmapped (userns.unshiftable \"refuse\"): move the rootfs to ext4, xfs, btrfs or "
                                "tmpfs, or set userns.unshiftable to \"chown\"", resolved, why, ctx->policy->source);
        }
        if (r < 0 || (r = shift_binds(ctx, userns, dir, err)) < 0)
                goto fail;
        return 0;
fail:;
        struct pal_err ignored;
        (void) userns_remove_mount(ctx, ctx->id, &ignored);
        return r;
}
