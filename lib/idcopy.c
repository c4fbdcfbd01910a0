/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "idcopy.h"

#define MAX_DEPTH 256

struct maps {
        const struct idmap *u, *g;
        size_t nu, ng;
};

static bool map_id(const struct idmap *m, size_t n, uint32_t id, uint32_t *out)
{
        for (size_t i = 0; i < n; i++)
                if (id >= m[i].container_id && (uint64_t) id < (uint64_t) m[i].container_id + m[i].size) {
                        *out = m[i].host_id + (id - m[i].container_id);
                        return true;
                }
        return false;
}

static int shifted_owner(const struct maps *m, const struct stat *st, const char *path, uid_t *uid, gid_t *gid,
                         struct pal_err *err)
{
        uint32_t u, g;

        if (!map_id(m->u, m->nu, st->st_uid, &u) || !map_id(m->g, m->ng, st->st_gid, &g))
                return pal_err_set(err, -ERANGE, "%s: owner %u:%u is not covered by the container's mappings",
                                   path, (unsigned) st->st_uid, (unsigned) st->st_gid);
        *uid = u;
        *gid = g;
        return 0;
}

static int copy_data(int in, int out)
{
        char buf[65536];

        for (;;) {
                ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
                if (n == 0)
                        return 0;
                if (n > 0)
                        continue;
                if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
                        return -errno;
                break;  /* no in-kernel copy between these filesystems */
        }
        for (;;) {
                ssize_t n = read(in, buf, sizeof(buf)), w = 0;
                if (n == 0)
                        return 0;
                if (n < 0)
                        return -errno;
                while (w < n) {
                        ssize_t k = write(out, buf + w, (size_t) (n - w));
                        if (k < 0)
                                return -errno;
                        w += k;
                }
        }
}

static int copy_dir(int src, int dst, const struct maps *m, const char *path, int depth, struct pal_err *err);

static int copy_entry(int src, int dst, const char *name, const struct maps *m, const char *parent, int depth,
                      struct pal_err *err)
{
        char path[4096], target[4096];
        struct timespec times[2];
        struct stat st;
        uid_t uid;
        gid_t gid;
        int r;

        snprintf(path, sizeof(path), "%s/%s", parent, name);
        if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return pal_err_sys(err, errno, "%s", path);
        if ((r = shifted_owner(m, &st, path, &uid, &gid, err)) < 0)
                return r;
        times[0] = st.st_atim;
        times[1] = st.st_mtim;
        if (S_ISDIR(st.st_mode)) {
                _cleanup_close_ int sfd = -1, dfd = -1;
                if (mkdirat(dst, name, 0700) < 0)
                        return pal_err_sys(err, errno, "%s: mkdir", path);
                sfd = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                dfd = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sfd < 0 || dfd < 0)
                        return pal_err_sys(err, errno, "%s", path);
                if ((r = copy_dir(sfd, dfd, m, path, depth + 1, err)) < 0)
                        return r;
                if (fchown(dfd, uid, gid) < 0 || fchmod(dfd, st.st_mode & 07777) < 0 || futimens(dfd, times) < 0)
                        return pal_err_sys(err, errno, "%s", path);
                return 0;
        }
        if (S_ISREG(st.st_mode)) {
                _cleanup_close_ int in = -1, out = -1;
                in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
                out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                if (in < 0 || out < 0)
                        return pal_err_sys(err, errno, "%s", path);
                if ((r = copy_data(in, out)) < 0)
                        return pal_err_sys(err, r, "%s: copy", path);
                /* chown first: it clears set-ID bits, which the mode then restores. */
                if (fchown(out, uid, gid) < 0 || fchmod(out, st.st_mode & 07777) < 0 || futimens(out, times) < 0)
                        return pal_err_sys(err, errno, "%s", path);
                return 0;
        }
        if (S_ISLNK(st.st_mode)) {
                ssize_t n = readlinkat(src, name, target, sizeof(target) - 1);
                if (n < 0)
                        return pal_err_sys(err, errno, "%s: readlink", path);
                target[n] = '\0';
                if (symlinkat(target, dst, name) < 0)
                        return pal_err_sys(err, errno, "%s: symlink", path);
        } else if (mknodat(dst, name, st.st_mode & (S_IFMT | 07777), st.st_rdev) < 0) {
                return pal_err_sys(err, errno, "%s: mknod", path);
        }
        if (fchownat(dst, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0 ||
            utimensat(dst, name, times, AT_SYMLINK_NOFOLLOW) < 0)
                return pal_err_sys(err, errno, "%s", path);
        return 0;
}

static int copy_dir(int src, int dst, const struct maps *m, const char *path, int depth, struct pal_err *err)
{
        struct dirent *de;
        DIR *d;
        int fd, r = 0;

        if (depth > MAX_DEPTH)
                return pal_err_set(err, -ELOOP, "%s: deeper than %d directories", path, MAX_DEPTH);
        fd = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return pal_err_sys(err, errno, "%s", path);
        if (!(d = fdopendir(fd))) {
                close(fd);
                return pal_err_sys(err, errno, "%s", path);
        }
        while (r == 0 && (errno = 0, de = readdir(d)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                        r = copy_entry(src, dst, de->d_name, m, path, depth, err);
        closedir(d);
        return r;
}

int idcopy_tree(int src, int dst, const struct idmap *uids, size_t n_uids, const struct idmap *gids,
                size_t n_gids, struct pal_err *err)
{
        struct maps m = { .u = uids, .g = gids, .nu = n_uids, .ng = n_gids };
        struct timespec times[2];
        struct stat st;
        uid_t uid;
        gid_t gid;
        int r;

        if (fstat(src, &st) < 0)
                return pal_err_sys(err, errno, "rootfs");
        if ((r = shifted_owner(&m, &st, "(rootfs)", &uid, &gid, err)) < 0 ||
            (r = copy_dir(src, dst, &m, "", 0, err)) < 0)
                return r;
        times[0] = st.st_atim;
        times[1] = st.st_mtim;
        if (fchown(dst, uid, gid) < 0 || fchmod(dst, st.st_mode & 07777) < 0 || futimens(dst, times) < 0)
                return pal_err_sys(err, errno, "rootfs copy");
        return 0;
}

static int remove_below(int dirfd, int depth, struct pal_err *err)
{
        struct dirent *de;
        DIR *d;
        int fd, r = 0;

        if (depth > MAX_DEPTH)
                return pal_err_set(err, -ELOOP, "deeper than %d directories", MAX_DEPTH);
        fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return pal_err_sys(err, errno, "open");
        if (!(d = fdopendir(fd))) {
                close(fd);
                return pal_err_sys(err, errno, "opendir");
        }
        while (r == 0 && (de = readdir(d))) {
                _cleanup_close_ int sub = -1;

                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                if (unlinkat(dirfd, de->d_name, 0) == 0)
                        continue;
                if (errno != EISDIR && errno != EPERM)
                        r = pal_err_sys(err, errno, "%s: unlink", de->d_name);
                else if ((sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                        r = pal_err_sys(err, errno, "%s", de->d_name);
                else if ((r = remove_below(sub, depth + 1, err)) == 0 && unlinkat(dirfd, de->d_name, AT_REMOVEDIR) < 0)
                        r = pal_err_sys(err, errno, "%s: rmdir", de->d_name);
        }
        closedir(d);
        return r;
}

int idcopy_remove(int dirfd, struct pal_err *err)
{
        return remove_below(dirfd, 0, err);
}
