/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "mknod_as.h"
#include "privtmpfs.h"

#define MAX_DEPTH 4096

static int field(const char *status, const char *key, const char **out)
{
        const char *p = status;
        size_t len = strlen(key);

        while (p && *p) {
                if (strncmp(p, key, len) == 0 && p[len] == ':') {
                        *out = p + len + 1;
                        return 0;
                }
                p = strchr(p, '\n');
                if (p)
                        p++;
        }
        return -ENOENT;
}

/* The n-th (0-based) number of a status line. */
static int nth(const char *line, int n, int base, unsigned long long *out)
{
        char *end;

        for (int i = 0;; i++) {
                unsigned long long v;
                while (*line == ' ' || *line == '\t')
                        line++;
                if (*line == '\n' || !*line)
                        return -EINVAL;
                errno = 0;
                v = strtoull(line, &end, base);
                if (end == line || errno)
                        return -EINVAL;
                if (i == n) {
                        *out = v;
                        return 0;
                }
                line = end;
        }
}

int proc_creds_parse(const char *status, struct proc_creds *out)
{
        unsigned long long v;
        const char *line;

        *out = (struct proc_creds) { 0 };
        /* Uid: real effective saved fs */
        if (field(status, "Uid", &line) < 0 || nth(line, 3, 10, &v) < 0)
                return -EINVAL;
        out->fsuid = (uid_t) v;
        if (field(status, "Gid", &line) < 0 || nth(line, 3, 10, &v) < 0)
                return -EINVAL;
        out->fsgid = (gid_t) v;
        if (field(status, "Umask", &line) < 0 || nth(line, 0, 8, &v) < 0 || v > 0777)
                return -EINVAL;
        out->umask = (mode_t) v;
        if (field(status, "CapEff", &line) < 0 || nth(line, 0, 16, &v) < 0)
                return -EINVAL;
        out->cap_eff = v;
        if (field(status, "Groups", &line) < 0)
                return -EINVAL;
        for (int i = 0; nth(line, i, 10, &v) == 0; i++) {
                if (out->n_groups >= MKNOD_AS_MAX_GROUPS)
                        return -E2BIG;
                out->groups[out->n_groups++] = (gid_t) v;
        }
        return 0;
}

/*
 * Is dir below root? Walk ".." from dir until root (yes) or the top of our
 * own tree (no): a working directory or fd the caller holds outside its root
 * (a leaked host fd) must not let the agent create there.
 */
static bool beneath(int rootfd, int dirfd)
{
        _cleanup_close_ int cur = -1;
        struct stat root, st;

        if (fstat(rootfd, &root) < 0 || (cur = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
                return false;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
                int up;
                struct stat parent;

                if (fstat(cur, &st) < 0)
                        return false;
                if (st.st_dev == root.st_dev && st.st_ino == root.st_ino)
                        return true;
                if ((up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
                        return false;
                if (fstat(up, &parent) < 0 || (parent.st_dev == st.st_dev && parent.st_ino == st.st_ino)) {
                        close(up);
                        return false;   /* the top: root was never met */
                }
                close(cur);
                cur = up;
        }
        return false;
}

/* Effective capabilities: exactly keep (the rest stays permitted, to come back). */
static int effective_only(const cap_value_t *keep, int n)
{
        cap_t caps = cap_get_proc();
        int r = -1;

        if (caps && cap_clear_flag(caps, CAP_EFFECTIVE) == 0 &&
            (n == 0 || cap_set_flag(caps, CAP_EFFECTIVE, n, keep, CAP_SET) == 0))
                r = cap_set_proc(caps);
        if (caps)
                cap_free(caps);
        return r < 0 ? -errno : 0;
}

/* Back to the worker's own credentials (root, every permitted capability). */
static int restore(void)
{
        cap_t caps = cap_get_proc();
        int r = -1;

        setfsuid(0);
        setfsgid(0);
        if (caps) {
                cap_flag_value_t on;
                for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++)
                        if (cap_get_flag(caps, c, CAP_PERMITTED, &on) == 0 && on)
                                cap_set_flag(caps, CAP_EFFECTIVE, 1, &c, CAP_SET);
                r = cap_set_proc(caps);
                cap_free(caps);
        }
        return r < 0 ? -errno : 0;
}

/* Can a node on this filesystem be opened? Opened as root: EACCES means nodev (MNT_NODEV or SB_I_NODEV). */
static bool usable(int dirfd, const char *name, mode_t mode, dev_t dev)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
        struct stat st;

        if (fd < 0)
                return errno != EACCES;
        return fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == (mode & S_IFMT) && st.st_rdev == dev;
}

/*
 * Put a node that works over dirfd/name: made on a private tmpfs of our own
 * (created here, in the initial user namespace, so not SB_I_NODEV), then that
 * one file bind-mounted in place (incus #3014).
 */
static int bind_node(int dirfd, const char *name, mode_t mode, dev_t dev, uid_t uid, gid_t gid, struct pal_err *err)
{
        _cleanup_close_ int mnt = -1, tree = -1;

        if ((mnt = privtmpfs_open(err)) < 0)
                return pal_err_wrap(err, "a tmpfs for the node");
        if (mknodat(mnt, "node", mode, dev) < 0 || fchownat(mnt, "node", uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
                return pal_err_sys(err, errno, "the node on the agent's tmpfs");
        if ((tree = open_tree(mnt, "node", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)) < 0)
                return pal_err_sys(err, errno, "open_tree");
        if (move_mount(tree, "", dirfd, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return pal_err_sys(err, errno, "bind-mount over %s", name);
        return 0;
}

/* Split path into its directory (may be "") and last component. */
static int split(const char *path, char *dir, size_t dir_size, const char **last)
{
        const char *slash = strrchr(path, '/');

        if (!*path)
                return -ENOENT;
        if (slash && !slash[1])
                return -EEXIST; /* "dir/" or "/": a directory, or nothing to make */
        *last = slash ? slash + 1 : path;
        if (strcmp(*last, ".") == 0 || strcmp(*last, "..") == 0)
                return -EEXIST;
        if (!slash)
                dir[0] = '\0';
        else if ((size_t) (slash - path) + 2 > dir_size)
                return -ENAMETOOLONG;
        else
                snprintf(dir, dir_size, "%.*s", slash == path ? 1 : (int) (slash - path), path);
        return 0;
}

int mknod_as(const struct mknod_as *a, bool *bound, struct pal_err *err)
{
        static const cap_value_t mknod_only[] = { CAP_MKNOD };
        _cleanup_close_ int rootfd = -1, basefd = -1, mntns = -1, dirfd = -1;
        const struct proc_creds *c = a->creds;
        const char *last;
        char dir[4096], fdname[32];
        int r;

        *bound = false;
        if ((r = split(a->path, dir, sizeof(dir), &last)) < 0)
                return r;
        rootfd = openat(a->procfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
        mntns = openat(a->procfd, "ns/mnt", O_RDONLY | O_CLOEXEC);
        if (rootfd < 0 || mntns < 0)
                return pal_err_sys(err, errno, "the caller's root and mount namespace");
        if (a->path[0] == '/')
                basefd = dup(rootfd);
        else if (a->dirfd == AT_FDCWD)
                basefd = openat(a->procfd, "cwd", O_PATH | O_DIRECTORY | O_CLOEXEC);
        else {
                snprintf(fdname, sizeof(fdname), "fd/%d", a->dirfd);
                basefd = openat(a->procfd, fdname, O_PATH | O_CLOEXEC);
                if (basefd < 0 && errno == ENOENT)
                        return -EBADF;
        }
        if (basefd < 0)
                return pal_err_sys(err, errno, "the caller's directory");
        if (a->path[0] != '/') {
                struct stat st;
                if (fstat(basefd, &st) < 0 || !S_ISDIR(st.st_mode))
                        return -ENOTDIR;
                if (!beneath(rootfd, basefd))
                        return pal_err_set(err, -EXDEV, "%s: the caller's directory is outside its root", a->path);
        }
        /* Its mount namespace (to mount, if need be) and its root (where ".." stops). */
        if (setns(mntns, CLONE_NEWNS) < 0 || fchdir(rootfd) < 0 || chroot(".") < 0)
                return pal_err_sys(err, errno, "entering the caller's mount namespace and root");
        /* Its credentials: created as its fsuid, checked against its groups, masked by its umask. */
        if (setgroups(c->n_groups, c->groups) < 0)
                return pal_err_sys(err, errno, "setgroups");
        setfsgid(c->fsgid);
        setfsuid(c->fsuid);
        if ((r = effective_only(mknod_only, 1)) < 0)
                return pal_err_sys(err, -r, "capabilities");
        umask(c->umask);
        if (!dir[0])
                dirfd = dup(basefd);
        else
                dirfd = openat2_resolve(basefd, dir, O_PATH | O_DIRECTORY,
                                        (a->path[0] == '/' ? RESOLVE_IN_ROOT : 0) | RESOLVE_NO_MAGICLINKS);
        if (dirfd < 0)
                return -errno;
        if (mknodat(dirfd, last, a->mode, a->dev) < 0)
                return -errno;
        if ((r = restore()) < 0)
                return pal_err_sys(err, -r, "capabilities");
        if (usable(dirfd, last, a->mode, a->dev))
                return 0;
        *bound = true;
        r = bind_node(dirfd, last, a->mode & ~c->umask, a->dev, c->fsuid, c->fsgid, err);
        if (r < 0)
                (void) unlinkat(dirfd, last, 0);        /* no useless node left behind */
        return r;
}
