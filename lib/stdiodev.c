/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "privtmpfs.h"
#include "stdiodev.h"

static const char *const fd_names[] = { "stdin", "stdout", "stderr" };

/* mem-class devices for which a fresh open is the same as the caller's. */
static bool stateless(dev_t dev)
{
        if (major(dev) != 1)
                return false;
        switch (minor(dev)) {
        case 3:         /* null */
        case 5:         /* zero */
        case 7:         /* full */
        case 8:         /* random */
        case 9:         /* urandom */
                return true;
        }
        return false;
}

static bool is_terminal(int fd)
{
        struct termios t;
        return tcgetattr(fd, &t) == 0;
}

/*
 * Can a runtime we start chown the host's devices? Only as UID 0 with the
 * host's root mapped into its user namespace (rootless Podman's is not: the
 * fchown fails there, and a tmpfs made there is nodev, so nothing to do).
 */
static bool may_chown_host_devices(void)
{
        _cleanup_free_ char *map = NULL;
        struct pal_err ignored;
        const char *line;

        if (geteuid() != 0)
                return false;
        if (read_file_at(AT_FDCWD, "/proc/self/uid_map", 64 << 10, &map, NULL, &ignored) < 0)
                return true;    /* cannot tell: act as host root would */
        for (line = map; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
                uint64_t inside, outside, count;

                if (sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNu64, &inside, &outside, &count) == 3 && outside == 0 &&
                    count > 0)
                        return true;
        }
        return false;
}

/* Open a node like st's on mnt, with flags, and unlink it: only the fd holds it. */
static int reopen_private(int mnt, const struct stat *st, int flags, struct pal_err *err)
{
        int fd;

        (void) unlinkat(mnt, "node", 0);
        if (mknodat(mnt, "node", S_IFCHR | (st->st_mode & 0777), st->st_rdev) < 0)
                return pal_err_sys(err, errno, "mknod on the private tmpfs");
        fd = openat(mnt, "node", flags | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                fd = pal_err_sys(err, errno, "open the node on the private tmpfs");
        (void) unlinkat(mnt, "node", 0);
        return fd;
}

int stdio_privatize(struct pal_err *err)
{
        _cleanup_close_ int mnt = -1;
        struct stat st[3];
        int fl[3], done = 0;

        if (!may_chown_host_devices())
                return 0;
        for (int i = 0; i < 3; i++) {
                fl[i] = -1;
                if (fstat(i, &st[i]) < 0 || (fl[i] = fcntl(i, F_GETFL)) < 0) {
                        fl[i] = -1;     /* closed: nothing to hand over */
                        continue;
                }
                if (S_ISBLK(st[i].st_mode) ||
                    (S_ISCHR(st[i].st_mode) && !stateless(st[i].st_rdev) && !is_terminal(i)))
                        return pal_err_set(err, -EPERM, "%s is the host's %s device %u:%u: the runtime would give "
                                           "it to the container's root (redirect it from /dev/null or a file)",
                                           fd_names[i], S_ISBLK(st[i].st_mode) ? "block" : "character",
                                           major(st[i].st_rdev), minor(st[i].st_rdev));
        }
        for (int i = 0; i < 3; i++) {
                _cleanup_close_ int fd = -1;
                int j;

                if (fl[i] < 0 || !S_ISCHR(st[i].st_mode) || !stateless(st[i].st_rdev))
                        continue;
                /* An fd that shared an open file with an earlier one (2>&1) shares its replacement. */
                for (j = 0; j < i; j++)
                        if (fl[j] == fl[i] && st[j].st_dev == st[i].st_dev && st[j].st_ino == st[i].st_ino &&
                            S_ISCHR(st[j].st_mode) && stateless(st[j].st_rdev))
                                break;
                if (j < i) {
                        if (dup2(j, i) < 0)
                                return pal_err_sys(err, errno, "%s: dup2", fd_names[i]);
                        done++;
                        continue;
                }
                if (mnt < 0 && (mnt = privtmpfs_open(err)) < 0)
                        return pal_err_wrap(err, "%s is the host's device %u:%u", fd_names[i],
                                            major(st[i].st_rdev), minor(st[i].st_rdev));
                fd = reopen_private(mnt, &st[i], fl[i] & (O_ACCMODE | O_APPEND | O_NONBLOCK), err);
                if (fd < 0)
                        return pal_err_wrap(err, "%s", fd_names[i]);
                /* dup2 leaves the copy without FD_CLOEXEC: the runtime inherits it. */
                if (dup2(fd, i) < 0)
                        return pal_err_sys(err, errno, "%s: dup2", fd_names[i]);
                done++;
        }
        return done;
}
