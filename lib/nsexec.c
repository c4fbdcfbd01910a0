/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "nsexec.h"

struct child_result {
        int err;                /* errno, 0 on success */
        char what[64];          /* the step that failed */
};

static int openat2_in_root(int rootfd, const char *path, int flags)
{
        return openat2_resolve(rootfd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

/*
 * In the child: the directory of path inside root, created as needed. Every
 * prefix is resolved from the root with RESOLVE_IN_ROOT, so an absolute
 * symlink in the rootfs resolves inside it, as it will for the container.
 */
static int parent_dir(int rootfd, const char *path, char *base, size_t base_size, struct child_result *res)
{
        char dir[4096], prefix[4096] = "";
        char *slash, *save = NULL;
        size_t used = 0;
        int fd;

        snprintf(dir, sizeof(dir), "%s", path);
        slash = strrchr(dir, '/');
        if (!slash || !slash[1]) {
                snprintf(res->what, sizeof(res->what), "not a file path");
                return -EINVAL;
        }
        snprintf(base, base_size, "%s", slash + 1);
        *slash = '\0';
        fd = openat2_in_root(rootfd, "/", O_PATH | O_DIRECTORY);
        for (char *c = strtok_r(dir, "/", &save); c && fd >= 0; c = strtok_r(NULL, "/", &save)) {
                int next;

                if (strcmp(c, "..") == 0 || strcmp(c, ".") == 0) {
                        snprintf(res->what, sizeof(res->what), "path component \"%s\"", c);
                        close(fd);
                        return -EINVAL;
                }
                used += (size_t) snprintf(prefix + used, sizeof(prefix) - used, "/%s", c);
                next = openat2_in_root(rootfd, prefix, O_PATH | O_DIRECTORY);
                /* Create it in the directory resolved so far (fd), then resolve again. */
                if (next < 0 && errno == ENOENT && mkdirat(fd, c, 0755) == 0)
                        next = openat2_in_root(rootfd, prefix, O_PATH | O_DIRECTORY);
                if (next < 0)
                        snprintf(res->what, sizeof(res->what), "directory %.48s", prefix);
                close(fd);
                fd = next;
        }
        return fd < 0 ? -errno : fd;
}

static void child(const struct proc_handle *h, const char *rootfs, const char *path, mode_t mode, dev_t dev,
                  uid_t uid, gid_t gid, struct child_result *res)
{
        _cleanup_close_ int rootfd = -1, dirfd = -1;
        char base[256];
        _cleanup_close_ int mntns = -1;
        struct stat st;

        /* setns on a pidfd needs Linux 5.8; the namespace file serves everywhere. */
        mntns = h->pidfd >= 0 ? -1 : openat(h->procfd, "ns/mnt", O_RDONLY | O_CLOEXEC);
        if (setns(h->pidfd >= 0 ? h->pidfd : mntns, CLONE_NEWNS) < 0) {
                snprintf(res->what, sizeof(res->what), "setns into the container's mount namespace");
                res->err = errno;
                return;
        }
        rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0) {
                snprintf(res->what, sizeof(res->what), "open the rootfs");
                res->err = errno;
                return;
        }
        /* A rootfs that is the host's root (root.path "/", or a link to it): no nodes made there. */
        if (fstat(rootfd, &st) == 0) {
                struct stat host;
                if (stat("/", &host) == 0 && st.st_dev == host.st_dev && st.st_ino == host.st_ino) {
                        snprintf(res->what, sizeof(res->what), "the rootfs is the host's root");
                        res->err = EPERM;
                        return;
                }
        }
        dirfd = parent_dir(rootfd, path, base, sizeof(base), res);
        if (dirfd < 0) {
                res->err = -dirfd;
                return;
        }
        if (mknodat(dirfd, base, mode, dev) < 0) {
                if (errno == EEXIST && fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                    (st.st_mode & S_IFMT) == (mode & S_IFMT) && st.st_rdev == dev)
                        return; /* already there, the same device */
                snprintf(res->what, sizeof(res->what), "mknod");
                res->err = errno;
                return;
        }
        if (fchownat(dirfd, base, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
                snprintf(res->what, sizeof(res->what), "chown");
                res->err = errno;
        }
}

int nsexec_mknod(const struct proc_handle *h, const char *rootfs, const char *path, mode_t mode, dev_t dev,
                 uid_t uid, gid_t gid, struct pal_err *err)
{
        struct child_result res = { 0 };
        int pipefd[2], status;
        ssize_t n;
        pid_t pid;

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return pal_err_sys(err, errno, "pipe");
        pid = fork();
        if (pid < 0) {
                int e = errno;
                close(pipefd[0]);
                close(pipefd[1]);
                return pal_err_sys(err, e, "fork");
        }
        if (pid == 0) {
                close(pipefd[0]);
                child(h, rootfs, path, mode, dev, uid, gid, &res);
                n = write(pipefd[1], &res, sizeof(res));
                _exit(n == (ssize_t) sizeof(res) ? 0 : 1);
        }
        close(pipefd[1]);
        do
                n = read(pipefd[0], &res, sizeof(res));
        while (n < 0 && errno == EINTR);
        close(pipefd[0]);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (n != (ssize_t) sizeof(res))
                return pal_err_set(err, -EIO, "%s: the helper inside the container died", path);
        if (res.err)
                return pal_err_sys(err, res.err, "%s in the container: %s", path, res.what);
        return 0;
}
