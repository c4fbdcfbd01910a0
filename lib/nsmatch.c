/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "nsmatch.h"

/* Deep enough for any real nesting; the kernel caps pid/user ns at 32. */
#define MAX_PARENT_WALK 33

static int match_one(const char *type, const struct stat *st, const struct registry_entry *entries,
                     size_t n)
{
        for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < entries[i].n_ns; j++) {
                        const struct pal_ns *ns = &entries[i].ns[j];
                        if (ns->own && strcmp(ns->type, type) == 0 && ns->ino == st->st_ino &&
                            ns->dev == st->st_dev && proc_is_running(entries[i].pid, entries[i].start_time))
                                return (int) i;
                }
        return -ENOENT;
}

static int walk(int procfd, const char *type, bool parents, const struct registry_entry *entries,
                size_t n)
{
        char rel[16];
        _cleanup_close_ int fd = -1;

        snprintf(rel, sizeof(rel), "ns/%s", type);
        fd = openat(procfd, rel, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        for (int depth = 0; depth < MAX_PARENT_WALK; depth++) {
                struct stat st;
                int parent, idx;

                if (fstat(fd, &st) < 0)
                        return -errno;
                idx = match_one(type, &st, entries, n);
                if (idx >= 0 || !parents)
                        return idx;
                parent = ioctl(fd, NS_GET_PARENT);
                if (parent < 0)
                        return -ENOENT; /* EPERM: reached the top */
                close(fd);
                fd = parent;
        }
        return -ENOENT;
}

int nsmatch_find(pid_t pid, const struct registry_entry *entries, size_t n, struct pal_err *err)
{
        /* Hierarchical first, so the innermost registered container wins. */
        static const struct {
                const char *type;
                bool parents;
        } order[] = {
                { "pid", true }, { "user", true }, { "mnt", false }, { "net", false },
                { "ipc", false }, { "uts", false }, { "cgroup", false },
        };
        _cleanup_close_ int procfd = -1;
        char path[32];

        snprintf(path, sizeof(path), "/proc/%d", (int) pid);
        procfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (procfd < 0)
                return pal_err_sys(err, errno, "process %d", (int) pid);
        for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
                int idx = walk(procfd, order[i].type, order[i].parents, entries, n);
                if (idx >= 0)
                        return idx;
        }
        return pal_err_set(err, -ENOENT, "process %d belongs to no container registered with palisade",
                           (int) pid);
}
