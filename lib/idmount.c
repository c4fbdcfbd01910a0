/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/mount.h>

#include "cleanup.h"
#include "idmount.h"

static int format_map(const struct idmap *m, size_t n, char *buf, size_t size)
{
        size_t used = 0;

        for (size_t i = 0; i < n; i++) {
                int w = snprintf(buf + used, size - used, "%u %u %u\n", m[i].container_id, m[i].host_id, m[i].size);
                if (w < 0 || (size_t) w >= size - used)
                        return -E2BIG;
                used += (size_t) w;
        }
        return (int) used;
}

static int write_proc(pid_t pid, const char *file, const char *text, size_t len, struct pal_err *err)
{
        char path[64];
        _cleanup_close_ int fd = -1;

        snprintf(path, sizeof(path), "/proc/%d/%s", (int) pid, file);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return pal_err_sys(err, errno, "%s", path);
        if (write(fd, text, len) != (ssize_t) len)
                return pal_err_sys(err, errno, "writing %s (\"%.64s\")", path, text);
        return 0;
}

/* The helper's whole life: a user namespace of its own, then wait to be released. */
static _Noreturn void helper(int ready, int go)
{
        char c = 0;

        if (unshare(CLONE_NEWUSER) < 0)
                _exit(1);
        if (write(ready, &c, 1) != 1)
                _exit(1);
        (void) !read(go, &c, 1);
        _exit(0);
}

int idmount_userns(const struct idmap *uids, size_t n_uids, const struct idmap *gids, size_t n_gids,
                   struct pal_err *err)
{
        char umap[IDMOUNT_MAX_MAPS * 36], gmap[IDMOUNT_MAX_MAPS * 36], path[64], c;
        int ready[2], go[2], ulen, glen, r = 0, nsfd = -1, status;
        pid_t pid;

        if (!n_uids || !n_gids || n_uids > IDMOUNT_MAX_MAPS || n_gids > IDMOUNT_MAX_MAPS)
                return pal_err_set(err, -EINVAL, "between 1 and %d UID and GID mappings are needed", IDMOUNT_MAX_MAPS);
        if ((ulen = format_map(uids, n_uids, umap, sizeof(umap))) < 0 ||
            (glen = format_map(gids, n_gids, gmap, sizeof(gmap))) < 0)
                return pal_err_set(err, -E2BIG, "mappings too long");
        if (pipe2(ready, O_CLOEXEC) < 0)
                return pal_err_sys(err, errno, "pipe");
        if (pipe2(go, O_CLOEXEC) < 0) {
                r = pal_err_sys(err, errno, "pipe");
                close(ready[0]);
                close(ready[1]);
                return r;
        }
        pid = fork();
        if (pid == 0) {
                close(ready[0]);
                close(go[1]);
                helper(ready[1], go[0]);
        }
        close(ready[1]);
        close(go[0]);
        if (pid < 0) {
                r = pal_err_sys(err, errno, "fork");
                goto out;
        }
        if (read(ready[0], &c, 1) != 1) {
                r = pal_err_set(err, -EPERM, "the helper could not create a user namespace (unshare failed; "
                                "is user.max_user_namespaces 0?)");
                goto out;
        }
        if ((r = write_proc(pid, "uid_map", umap, (size_t) ulen, err)) < 0 ||
            (r = write_proc(pid, "gid_map", gmap, (size_t) glen, err)) < 0)
                goto out;
        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int) pid);
        nsfd = open(path, O_RDONLY | O_CLOEXEC);
        if (nsfd < 0)
                r = pal_err_sys(err, errno, "%s", path);
out:
        close(ready[0]);
        close(go[1]);   /* releases the helper */
        if (pid > 0) {
                while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                        ;
        }
        if (r < 0) {
                pal_closep(&nsfd);
                return r;
        }
        return nsfd;
}

const char *idmount_fs_name(int fd, char *buf, size_t size)
{
        static const struct { unsigned long magic; const char *name; } known[] = {
                { EXT4_SUPER_MAGIC, "ext4" }, { TMPFS_MAGIC, "tmpfs" }, { RAMFS_MAGIC, "ramfs" },
                { OVERLAYFS_SUPER_MAGIC, "overlay" }, { XFS_SUPER_MAGIC, "xfs" }, { BTRFS_SUPER_MAGIC, "btrfs" },
                { NFS_SUPER_MAGIC, "nfs" }, { SQUASHFS_MAGIC, "squashfs" }, { V9FS_MAGIC, "9p" },
                { FUSE_SUPER_MAGIC, "fuse" }, { MSDOS_SUPER_MAGIC, "vfat" }, { PROC_SUPER_MAGIC, "proc" },
        };
        struct statfs st;

        if (fstatfs(fd, &st) < 0)
                return "unknown";
        for (size_t i = 0; i < ARRAY_SIZE(known); i++)
                if ((unsigned long) st.f_type == known[i].magic)
                        return known[i].name;
        snprintf(buf, size, "filesystem 0x%lx", (unsigned long) st.f_type);
        return buf;
}

int idmount_attach(int src, int userns_fd, int target_fd, bool *unsupported, struct pal_err *err)
{
        struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t) userns_fd,
                                   .propagation = MS_PRIVATE };
        _cleanup_close_ int tree = -1;
        char fsbuf[48];

        *unsupported = false;
        tree = (int) syscall(SYS_open_tree, src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
        if (tree < 0)
                return pal_err_sys(err, errno, "open_tree");
        if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
                int e = errno;
                /* EINVAL: the filesystem lacks FS_ALLOW_IDMAP (or a submount's does). */
                if (e == EINVAL || e == EOPNOTSUPP || e == ENOSYS) {
                        *unsupported = true;
                        return pal_err_sys(err, e, "%s cannot be idmapped (mount_setattr MOUNT_ATTR_IDMAP)",
                                           idmount_fs_name(src, fsbuf, sizeof(fsbuf)));
                }
                return pal_err_sys(err, e, "mount_setattr MOUNT_ATTR_IDMAP");
        }
        if (syscall(SYS_move_mount, tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return pal_err_sys(err, errno, "move_mount");
        return 0;
}

int idmount_private_dir(const char *dir, struct pal_err *err)
{
        if (mount(dir, dir, NULL, MS_BIND, NULL) < 0)
                return pal_err_sys(err, errno, "%s: bind mount", dir);
        if (mount(NULL, dir, NULL, MS_PRIVATE, NULL) < 0) {
                int e = errno;
                (void) umount2(dir, MNT_DETACH | UMOUNT_NOFOLLOW);
                return pal_err_sys(err, e, "%s: make private", dir);
        }
        return 0;
}

int idmount_detach(const char *path, struct pal_err *err)
{
        /* Several binds may be stacked by a retried create: detach until none is left. */
        for (int i = 0; i < 16; i++) {
                if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
                        continue;
                if (errno == EINVAL || errno == ENOENT)
                        return 0;       /* not a mount point (any more) */
                return pal_err_sys(err, errno, "%s: unmount", path);
        }
        return pal_err_set(err, -EBUSY, "%s: still mounted after 16 unmounts", path);
}
