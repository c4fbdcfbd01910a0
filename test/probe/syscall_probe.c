/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * syscall_probe NAME...: make each named system call with harmless
 * arguments inside a container and print "NAME 0" or "NAME ERRNO-NAME", so
 * a test can see what a container's seccomp filter lets through (a call it
 * lets through fails with the kernel's own errno, EBADF or EFAULT).
 * Built static into the test rootfs (test/bats/docker.bats).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long call(const char *name)
{
        /* Bad arguments: the kernel answers EBADF or EFAULT; a filter's denial, its own errno. */
        if (strcmp(name, "vmsplice") == 0)
                return syscall(SYS_vmsplice, -1, NULL, 0UL, 0U);
        if (strcmp(name, "io_uring_setup") == 0)
                return syscall(SYS_io_uring_setup, 0U, NULL);
        if (strcmp(name, "get_mempolicy") == 0)
                return syscall(SYS_get_mempolicy, NULL, NULL, 0UL, NULL, 0UL);
        if (strcmp(name, "getpid") == 0)
                return syscall(SYS_getpid) > 0 ? 0 : -1;
        errno = EINVAL;
        fprintf(stderr, "syscall_probe: %s: not a call this probe makes\n", name);
        return -2;
}

int main(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                long r = call(argv[i]);

                if (r == -2)
                        return 2;
                if (r < 0) {
                        const char *e = strerrorname_np(errno);
                        printf("%s %s\n", argv[i], e ? e : "?");
                }
                else
                        printf("%s 0\n", argv[i]);
        }
        return 0;
}
