/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"

int read_fd_bounded(int fd, size_t max, char **out, size_t *out_len, struct pal_err *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, cap = 0;

        for (;;) {
                ssize_t n;

                if (len == cap) {
                        size_t ncap = cap ? cap * 2 : 4096;
                        char *nbuf;

                        if (ncap > max + 1)
                                ncap = max + 1;
                        if (ncap <= len)
                                return pal_err_set(err, -EFBIG, "larger than %zu bytes", max);
                        nbuf = realloc(buf, ncap + 1);
                        if (!nbuf)
                                return pal_err_set(err, -ENOMEM, "out of memory");
                        buf = nbuf;
                        cap = ncap;
                }
                n = read(fd, buf + len, cap - len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return pal_err_sys(err, errno, "read");
                }
                if (n == 0)
                        break;
                len += (size_t) n;
                if (len > max)
                        return pal_err_set(err, -EFBIG, "larger than %zu bytes", max);
        }
        if (!buf && !(buf = malloc(1)))
                return pal_err_set(err, -ENOMEM, "out of memory");
        buf[len] = '\0';
        *out = TAKE_PTR(buf);
        if (out_len)
                *out_len = len;
        return 0;
}

int read_file_at(int dirfd, const char *name, size_t max, char **out, size_t *out_len,
                 struct pal_err *err)
{
        struct stat st;
        return read_file_at_stat(dirfd, name, max, out, out_len, &st, err);
}

int read_file_at_stat(int dirfd, const char *name, size_t max, char **out, size_t *out_len, struct stat *stp,
                      struct pal_err *err)
{
        _cleanup_close_ int fd = -1;
        struct stat st;

        fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0 && errno == ELOOP)
                return pal_err_set(err, -ELOOP, "is a symbolic link (refused: it could point anywhere on the host)");
        if (fd < 0)
                return pal_err_sys(err, errno, "open");
        if (fstat(fd, &st) < 0)
                return pal_err_sys(err, errno, "stat");
        if (!S_ISREG(st.st_mode))
                return pal_err_set(err, -EINVAL, "not a regular file");
        if ((size_t) st.st_size > max)
                return pal_err_set(err, -EFBIG, "larger than %zu bytes (%lld)", max,
                                   (long long) st.st_size);
        *stp = st;
        return read_fd_bounded(fd, max, out, out_len, err);
}

int open_operator_path(const char *path, struct pal_err *err)
{
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (strcmp(path, OPERATOR_STDIN) == 0)
                fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
        else
                fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return pal_err_sys(err, errno, "open");
        if (fstat(fd, &st) < 0)
                return pal_err_sys(err, errno, "stat");
        if (S_ISDIR(st.st_mode))
                return pal_err_set(err, -EISDIR, "is a directory");
        return TAKE_FD(fd);
}

int read_operator_file(const char *path, size_t max, char **out, size_t *out_len, struct pal_err *err)
{
        _cleanup_close_ int fd = open_operator_path(path, err);

        if (fd < 0)
                return fd;
        return read_fd_bounded(fd, max, out, out_len, err);
}

static int write_all(int fd, const void *data, size_t len)
{
        const char *p = data;

        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                len -= (size_t) n;
        }
        return 0;
}

int write_file_atomic(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
                      struct pal_err *err)
{
        return write_file_atomic_owned(dirfd, name, data, len, mode, (uid_t) -1, (gid_t) -1, err);
}

/*
 * Temporary files of earlier writes of name whose writer died before its
 * rename (kill -9): ".NAME.PID.N.tmp" with PID gone. Reused PIDs leave a
 * file behind, never remove a live writer's.
 */
static void reap_stale_temps(int dirfd, const char *name)
{
        int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_closedir_ DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        size_t n = strlen(name);

        if (!d) {
                if (fd >= 0)
                        close(fd);
                return;
        }
        for (struct dirent *e; (e = readdir(d));) {
                const char *p = e->d_name;
                char *end;
                long pid;

                if (p[0] != '.' || strncmp(p + 1, name, n) != 0 || p[n + 1] != '.')
                        continue;
                pid = strtol(p + n + 2, &end, 10);
                if (pid <= 0 || *end != '.' || !strstr(end, ".tmp") || strcmp(end + strlen(end) - 4, ".tmp") != 0)
                        continue;
                if (kill((pid_t) pid, 0) < 0 && errno == ESRCH)
                        (void) unlinkat(dirfd, p, 0);
        }
}

int write_file_atomic_owned(int dirfd, const char *name, const void *data, size_t len, mode_t mode, uid_t uid,
                            gid_t gid, struct pal_err *err)
{
        char tmp[NAME_MAX + 1];
        _cleanup_close_ int fd = -1;
        int r;

        reap_stale_temps(dirfd, name);
        /* O_EXCL: a name planted in an untrusted directory is never reused. */
        for (unsigned attempt = 0; fd < 0 && attempt < 64; attempt++) {
                r = snprintf(tmp, sizeof(tmp), ".%s.%d.%u.tmp", name, (int) getpid(), attempt);
                if (r < 0 || (size_t) r >= sizeof(tmp))
                        return pal_err_set(err, -ENAMETOOLONG, "%s: name too long", name);
                fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
                if (fd < 0 && errno != EEXIST)
                        return pal_err_sys(err, errno, "%s: create", tmp);
        }
        if (fd < 0)
                return pal_err_set(err, -EEXIST, "%s: cannot create a temporary file", name);
        r = write_all(fd, data, len);
        if (r == 0 && (uid != (uid_t) -1 || gid != (gid_t) -1) && fchown(fd, uid, gid) < 0)
                r = -errno;
        if (r == 0 && fchmod(fd, mode) < 0)
                r = -errno;
        if (r == 0 && fsync(fd) < 0)
                r = -errno;
        if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
                r = -errno;
        if (r < 0) {
                unlinkat(dirfd, tmp, 0);
                return pal_err_sys(err, r, "%s: write", name);
        }
        /*
         * No fsync of the directory: the file's data is durable before the
         * rename, so after a crash the name holds the old or the new content,
         * never a torn one; which of the two is fine for every caller (the
         * registry lives on a tmpfs; a bundle's config.json is valid either
         * way). It would cost ~0.3 ms on every container start.
         */
        return 0;
}

int append_line_durable(const char *path, const char *line, size_t len, struct pal_err *err)
{
        _cleanup_close_ int fd = open_append(path, err);

        if (fd < 0)
                return fd;
        return append_line_durable_fd(fd, path, line, len, err);
}

int open_append(const char *path, struct pal_err *err)
{
        int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
        return fd < 0 ? pal_err_sys(err, errno, "%s: open", path) : fd;
}

int append_line_durable_fd(int fd, const char *path, const char *line, size_t len, struct pal_err *err)
{
        struct stat st;
        int r;

        if (flock(fd, LOCK_EX) < 0)
                return pal_err_sys(err, errno, "%s: lock", path);
        if (fstat(fd, &st) < 0) {
                r = pal_err_sys(err, errno, "%s: stat", path);
                goto out;
        }
        if (!S_ISREG(st.st_mode)) {
                r = pal_err_set(err, -EINVAL, "%s: not a regular file", path);
                goto out;
        }
        r = write_all(fd, line, len);
        if (r == 0 && fsync(fd) < 0)
                r = -errno;
        if (r < 0) {
                /* Under the lock nobody else appended: cut our partial line. */
                if (ftruncate(fd, st.st_size) < 0)
                        r = pal_err_sys(err, r, "%s: append (a partial line remains at offset %lld)", path,
                                        (long long) st.st_size);
                else
                        r = pal_err_sys(err, r, "%s: append", path);
        }
out:
        flock(fd, LOCK_UN);
        return r;
}

int mkdir_parents(const char *path, mode_t mode, struct pal_err *err)
{
        char buf[PATH_MAX];
        size_t len = strlen(path);

        if (len == 0 || len >= sizeof(buf) || path[0] != '/')
                return pal_err_set(err, -EINVAL, "%s: not an absolute path", path);
        memcpy(buf, path, len + 1);
        for (char *p = buf + 1;; p++) {
                if (*p == '/' || *p == '\0') {
                        char c = *p;
                        *p = '\0';
                        if (mkdir(buf, mode) < 0 && errno != EEXIST)
                                return pal_err_sys(err, errno, "%s: mkdir", buf);
                        *p = c;
                        if (c == '\0')
                                break;
                }
        }
        return 0;
}

int open_dir(const char *path, bool create, struct pal_err *err)
{
        int fd;

        if (create) {
                int r = mkdir_parents(path, 0700, err);
                if (r < 0)
                        return r;
        }
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return pal_err_sys(err, errno, "%s: open", path);
        return fd;
}

int openat2_resolve(int dirfd, const char *path, int flags, uint64_t resolve)
{
        struct open_how how = { .flags = (uint64_t) flags | O_CLOEXEC, .resolve = resolve };
        return (int) syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

int open_bundle_path(const char *bundle, const char *path, int flags)
{
        _cleanup_close_ int bfd = -1;

        if (path[0] == '/')
                return openat2_resolve(AT_FDCWD, path, flags, RESOLVE_NO_MAGICLINKS);
        if (!bundle) {
                errno = EINVAL;
                return -1;
        }
        bfd = open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (bfd < 0)
                return -1;
        /* Symlinks may not lead out of the bundle: everything in it is the container owner's. */
        return openat2_resolve(bfd, path, flags, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
}
