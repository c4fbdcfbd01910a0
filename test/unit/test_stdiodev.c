/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stdio_privatize: the host's stateless devices among fds 0-2 become private
 * nodes of the same device, pipes and files stay, other devices are refused.
 * Each case runs in a child (it rewires fds 0-2; cmocka writes to stdout);
 * the child's exit code names the first check that failed. Needs root.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/privtmpfs.h"
#include "lib/stdiodev.h"
#include "unit.h"

static int run_child(int (*body)(void))
{
        pid_t pid = fork();
        int status;

        assert_true(pid >= 0);
        if (pid == 0)
                _exit(body());
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        return WEXITSTATUS(status);
}

static void need_root(void)
{
        if (geteuid() != 0) {
                print_message("stdio_privatize makes device nodes: run as root\n");
                fail();
        }
}

/* All three on the host's /dev/null (one open file, as `>/dev/null 2>&1 <&1`). */
static int null_body(void)
{
        struct stat host, st[3];
        struct pal_err err = { 0 };
        int fd = open("/dev/null", O_RDWR), r;
        char c;

        if (fd < 0 || stat("/dev/null", &host) < 0)
                return 10;
        for (int i = 0; i < 3; i++)
                if (dup2(fd, i) < 0)
                        return 11;
        close(fd);
        r = stdio_privatize(&err);
        if (r != 3)
                return 12;
        for (int i = 0; i < 3; i++) {
                if (fstat(i, &st[i]) < 0 || !S_ISCHR(st[i].st_mode) || st[i].st_rdev != makedev(1, 3))
                        return 13;
                /* Not the host's node: another filesystem, and nothing links to it. */
                if (st[i].st_dev == host.st_dev || st[i].st_nlink != 0)
                        return 14;
                if (fcntl(i, F_GETFD) != 0)
                        return 15;      /* the runtime must inherit it */
                if (st[i].st_ino != st[0].st_ino)
                        return 16;      /* 2>&1 stays one open file */
        }
        if (read(0, &c, 1) != 0 || write(1, "x", 1) != 1 || (fcntl(1, F_GETFL) & O_ACCMODE) != O_RDWR)
                return 17;
        /* What the container may do to it reaches the host's node no more. */
        if (fchown(0, 1000000, 1000000) < 0 || fchmod(0, 0600) < 0 || stat("/dev/null", &st[0]) < 0 ||
            st[0].st_uid != host.st_uid || st[0].st_mode != host.st_mode)
                return 18;
        return 0;
}

/* stdin /dev/zero read-only, stdout a pipe, stderr /dev/null write-only with O_APPEND. */
static int mixed_body(void)
{
        struct pal_err err = { 0 };
        struct stat before, after;
        int p[2], zero = open("/dev/zero", O_RDONLY), null = open("/dev/null", O_WRONLY | O_APPEND);
        char buf[4] = { 1, 1, 1, 1 };

        if (zero < 0 || null < 0 || pipe(p) < 0 || dup2(zero, 0) < 0 || dup2(p[1], 1) < 0 || dup2(null, 2) < 0)
                return 20;
        if (fstat(1, &before) < 0 || stdio_privatize(&err) != 2 || fstat(1, &after) < 0)
                return 21;
        if (before.st_ino != after.st_ino)
                return 22;      /* a pipe is left as it is */
        if (read(0, buf, 4) != 4 || buf[0] || buf[3] || (fcntl(0, F_GETFL) & O_ACCMODE) != O_RDONLY)
                return 23;
        if ((fcntl(2, F_GETFL) & (O_ACCMODE | O_APPEND)) != (O_WRONLY | O_APPEND))
                return 24;
        return 0;
}

/* stdin a kmsg node (1:11, made on a tmpfs of the test's own): refused, fds untouched. */
static int other_body(void)
{
        struct pal_err err = { 0 };
        struct stat before, after;
        int mnt = privtmpfs_open(&err), fd;

        if (mnt < 0 || mknodat(mnt, "kmsg", S_IFCHR | 0600, makedev(1, 11)) < 0 ||
            (fd = openat(mnt, "kmsg", O_RDONLY | O_NONBLOCK)) < 0 || dup2(fd, 0) < 0 || fstat(0, &before) < 0)
                return 30;
        if (stdio_privatize(&err) != -EPERM)
                return 31;
        if (strcmp(err.msg, "stdin is the host's character device 1:11: the runtime would give it to the "
                   "container's root (redirect it from /dev/null or a file)") != 0)
                return 32;
        if (fstat(0, &after) < 0 || after.st_ino != before.st_ino)
                return 33;
        return 0;
}

/* Root of a user namespace that does not map the host's root (rootless Podman): nothing to do. */
static int rootless_body(void)
{
        struct pal_err err = { 0 };
        struct stat before, after;
        int fd = open("/dev/null", O_RDWR), map;

        if (fd < 0 || dup2(fd, 0) < 0 || fstat(0, &before) < 0)
                return 40;
        /* Dumpable again after setuid, so that /proc/self/uid_map is ours to write. */
        if (setgid(1000) < 0 || setuid(1000) < 0 || prctl(PR_SET_DUMPABLE, 1) < 0 || unshare(CLONE_NEWUSER) < 0 ||
            (map = open("/proc/self/uid_map", O_WRONLY)) < 0 || write(map, "0 1000 1", 8) != 8 || geteuid() != 0)
                return 41;
        if (stdio_privatize(&err) != 0 || fstat(0, &after) < 0 || after.st_ino != before.st_ino)
                return 42;
        return 0;
}

struct child_case {
        int (*body)(void);
};

static void run_case(void **state)
{
        const struct child_case *c = *state;

        need_root();
        assert_int_equal(run_child(c->body), 0);
}

#define CASE(name, body) { #name, run_case, NULL, NULL, &(struct child_case) { body } }

int main(void)
{
        const struct CMUnitTest tests[] = {
                CASE(null_replaced_shared_kept, null_body),
                CASE(zero_replaced_pipe_kept_flags_kept, mixed_body),
                CASE(other_device_refused, other_body),
                CASE(rootless_left_alone, rootless_body),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
