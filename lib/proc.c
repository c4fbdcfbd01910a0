/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"
#include "proc.h"

static const char *const ns_names[PAL_NS_MAX] = {
        "cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts",
};

static int sys_pidfd_open(pid_t pid)
{
        return (int) syscall(SYS_pidfd_open, pid, 0);
}

static int sys_pidfd_send_signal(int pidfd, int sig)
{
        return (int) syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/*
 * Is the process behind h still there? Through its pidfd, or, without one,
 * through its /proc directory: that fd stays bound to the process it was
 * opened for, and reads through it fail with ESRCH once it has exited.
 */
static int proc_check_alive(const struct proc_handle *h)
{
        struct stat st;

        if (h->pidfd >= 0)
                return sys_pidfd_send_signal(h->pidfd, 0) < 0 ? -errno : 0;
        return fstatat(h->procfd, "stat", &st, 0) < 0 ? -errno : 0;
}

uint64_t proc_start_time(int procfd)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -1;
        struct pal_err err;
        unsigned long long t;
        char *p;

        fd = openat(procfd, "stat", O_RDONLY | O_CLOEXEC);
        if (fd < 0 || read_fd_bounded(fd, 4096, &buf, NULL, &err) < 0)
                return 0;
        /* comm may hold spaces and ')': fields start after the last ')'. */
        p = strrchr(buf, ')');
        if (!p)
                return 0;
        p++;
        /* Field 3 follows; start time is field 22, 19 fields on. */
        for (int field = 3; field < 22 && p; field++)
                p = strchr(p + 1, ' ');
        if (!p || sscanf(p, " %llu", &t) != 1)
                return 0;
        return t;
}

int proc_open(pid_t pid, struct proc_handle *h, struct pal_err *err)
{
        char path[32];
        int r;

        *h = (struct proc_handle) PROC_HANDLE_INIT;
        if (pid <= 0)
                return pal_err_set(err, -EINVAL, "no container process (pid %d)", (int) pid);
        h->pid = pid;
        h->pidfd = sys_pidfd_open(pid);
        /* ENOSYS: a kernel before 5.3, or valgrind; the /proc fd alone holds the process. */
        if (h->pidfd < 0 && errno != ENOSYS)
                return pal_err_sys(err, errno, "pidfd_open(%d)", (int) pid);
        snprintf(path, sizeof(path), "/proc/%d", (int) pid);
        h->procfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (h->procfd < 0) {
                int e = errno;
                proc_close(h);
                return pal_err_sys(err, e, "%s", path);
        }
        /* Still alive after opening /proc/PID: that directory is our process. */
        if ((r = proc_check_alive(h)) < 0) {
                proc_close(h);
                return pal_err_sys(err, -r, "process %d exited", (int) pid);
        }
        h->start_time = proc_start_time(h->procfd);
        return 0;
}

void proc_close(struct proc_handle *h)
{
        pal_closep(&h->pidfd);
        pal_closep(&h->procfd);
        h->pidfd = h->procfd = -1;
}

int proc_namespaces(const struct proc_handle *h, struct pal_ns ns[PAL_NS_MAX], size_t *n,
                    struct pal_err *err)
{
        int r;

        *n = 0;
        for (size_t i = 0; i < PAL_NS_MAX; i++) {
                char rel[16], mine[32];
                struct stat st, self;

                snprintf(rel, sizeof(rel), "ns/%s", ns_names[i]);
                if (fstatat(h->procfd, rel, &st, 0) < 0) {
                        if (errno == ENOENT)    /* kernel without this namespace type */
                                continue;
                        return pal_err_sys(err, errno, "/proc/%d/%s", (int) h->pid, rel);
                }
                snprintf(ns[*n].type, sizeof(ns[*n].type), "%s", ns_names[i]);
                ns[*n].dev = st.st_dev;
                ns[*n].ino = st.st_ino;
                snprintf(mine, sizeof(mine), "/proc/self/ns/%s", ns_names[i]);
                ns[*n].own = stat(mine, &self) < 0 || self.st_ino != st.st_ino || self.st_dev != st.st_dev;
                (*n)++;
        }
        if ((r = proc_check_alive(h)) < 0)
                return pal_err_sys(err, -r, "process %d exited", (int) h->pid);
        return 0;
}

/* Alive (a zombie too) and the same process that started at start_time. */
static bool proc_is_alive(pid_t pid, uint64_t start_time)
{
        _cleanup_close_ int fd = -1;
        char path[32];

        if (pid <= 0)
                return false;
        snprintf(path, sizeof(path), "/proc/%d", (int) pid);
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return false;
        return start_time == 0 || proc_start_time(fd) == start_time;
}

bool proc_is_running(pid_t pid, uint64_t start_time)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -1;
        struct pal_err err;
        char path[32], *p;

        if (!proc_is_alive(pid, start_time))
                return false;
        snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || read_fd_bounded(fd, 4096, &buf, NULL, &err) < 0)
                return false;
        /* The state follows the last ')' of comm. */
        p = strrchr(buf, ')');
        return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

int proc_facts(pid_t pid, struct proc_facts *f, struct pal_err *err)
{
        _cleanup_free_ char *status = NULL;
        _cleanup_close_ int dfd = -1;
        char path[32];
        int r;

        *f = (struct proc_facts) { .seccomp = -1, .seccomp_filters = -1 };
        snprintf(path, sizeof(path), "/proc/%d", (int) pid);
        dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return pal_err_sys(err, errno, "%s", path);
        if ((r = read_file_at(dfd, "status", 64 << 10, &status, NULL, err)) < 0)
                return pal_err_wrap(err, "%s/status", path);
        for (char *line = strtok(status, "\n"); line; line = strtok(NULL, "\n")) {
                unsigned long long v;
                int n;

                if (sscanf(line, "CapEff: %llx", &v) == 1)
                        f->cap_eff = v;
                else if (sscanf(line, "Seccomp: %d", &n) == 1)
                        f->seccomp = n;
                else if (sscanf(line, "Seccomp_filters: %d", &n) == 1)
                        f->seccomp_filters = n;
        }
        proc_id_map(dfd, "uid_map", f->uid_map, sizeof(f->uid_map));
        return 0;
}

void proc_id_map(int procfd, const char *file, char *out, size_t size)
{
        _cleanup_free_ char *map = NULL;
        struct pal_err err;
        size_t used = 0;
        char *save = NULL;

        out[0] = '\0';
        if (read_file_at(procfd, file, 4096, &map, NULL, &err) < 0)
                return;
        for (char *line = strtok_r(map, "\n", &save); line && used < size; line = strtok_r(NULL, "\n", &save)) {
                unsigned long a, b, c;
                if (sscanf(line, "%lu %lu %lu", &a, &b, &c) == 3)
                        used += (size_t) snprintf(out + used, size - used, "%s%lu %lu %lu", used ? "; " : "", a, b, c);
        }
}
