/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "decide.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "lib/journal.h"
#include "lib/json.h"
#include "lib/mknod_as.h"
#include "lib/registry.h"
#include "worker.h"

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "palisade agent: add this architecture's AUDIT_ARCH"
#endif

/* What the journal line says of one call. */
struct call {
        const char *syscall;
        char path[4096];
        struct mknod_call dev;
        mode_t mode;
        const char *verdict;    /* allowed, denied, continued, failed */
        const char *why;
        int error;              /* the answer's errno, 0 for success */
        bool bound;
};

/* Is the process in the initial user namespace (a container without one of its own)? */
static bool in_init_userns(int procfd)
{
        struct stat mine, its;
        return fstatat(procfd, "ns/user", &its, 0) == 0 && stat("/proc/self/ns/user", &mine) == 0 &&
               its.st_dev == mine.st_dev && its.st_ino == mine.st_ino;
}

static void journal(const struct policy *pol, int fd, const char *id, const struct registry_entry *e, pid_t pid,
                    const struct call *c, FILE *log)
{
        _cleanup_json_ struct json *line = json_new(JSON_OBJECT);
        struct json *container = json_new(JSON_OBJECT);
        struct pal_err err;
        char when[40], dev[32];

        journal_time(when, sizeof(when));
        snprintf(dev, sizeof(dev), "%c %u:%u", c->dev.type, c->dev.major, c->dev.minor);
        if (!line || !container || json_set(line, "time", json_new_string(when)) < 0 ||
            json_set(line, "event", json_new_string("mknod")) < 0 ||
            json_set(line, "stage", json_new_string("agent")) < 0 ||
            json_set(line, "result", json_new_string(c->verdict)) < 0 ||
            json_set(line, "reason", json_new_string(c->why)) < 0 ||
            json_set(line, "syscall", json_new_string(c->syscall)) < 0 ||
            json_set(line, "device", json_new_string(dev)) < 0 ||
            json_set(line, "path", json_new_string(c->path)) < 0 ||
            json_set(line, "pid", json_new_int(pid)) < 0 ||
            json_set(line, "errno", json_new_int(c->error)) < 0 ||
            (c->bound && json_set(line, "bind_mounted", json_new_bool(true)) < 0) ||
            json_set(line, "container", container) < 0 || json_set(container, "id", json_new_string(id)) < 0 ||
            json_set(container, "audit_id", e->audit_id[0] ? json_new_string(e->audit_id) : json_new(JSON_NULL)) < 0) {
                json_free(container);
                fprintf(log, "palisade agent: container %s: journal: out of memory\n", id);
                return;
        }
        if (journal_write_fd(fd, pol->audit.journal, line, &err) < 0)
                fprintf(log, "palisade agent: container %s: %s\n", id, pal_err_oneline(&err));
}

/* The container's whitelist: the device guard's grants in its registry entry. */
static size_t whitelist(const struct policy *pol, const char *id, struct registry_entry *e, struct devrule *out)
{
        _cleanup_close_ int regfd = registry_open(pol->state_dir, false, &(struct pal_err) { 0 });
        struct pal_err err;
        size_t n = 0;

        if (regfd < 0 || registry_read(regfd, id, e, &err) < 0)
                return 0;       /* not registered: the harmless set only */
        for (size_t i = 0; i < e->n_devices; i++)
                if (agent_grant_parse(e->devices[i], &out[n]) == 0)
                        n++;
        return n;
}

static enum worker_exit answer(int listener, uint64_t id, int error, bool cont)
{
        int r = snotify_respond(listener, id, error, 0, cont);
        return r == 0 ? WORKER_ANSWERED : r == -ENOENT ? WORKER_GONE : WORKER_UNANSWERED;
}

enum worker_exit agent_worker(const struct policy *pol, int listener, const char *container_id,
                              const struct snotify_req *req, FILE *log)
{
        static struct registry_entry entry;
        struct devrule grants[ARRAY_SIZE(entry.devices)];
        _cleanup_close_ int procfd = -1, journal_fd = -1;
        _cleanup_free_ char *status = NULL;
        struct call c = { .why = "" };
        struct proc_creds creds;
        struct pal_err err;
        enum worker_exit ex;
        char procpath[32];
        bool at, unprivileged;
        size_t n_grants, len;
        uint64_t path_addr;
        int dirfd = AT_FDCWD;

        /* The caller may be any thread: /proc/TID, never a pidfd (incus #3638). */
        snprintf(procpath, sizeof(procpath), "/proc/%d", (int) req->pid);
        procfd = open(procpath, O_PATH | O_DIRECTORY | O_CLOEXEC);
        /* Valid after the open: procfd is the caller's, not a process that took its ID. */
        if (snotify_id_valid(listener, req->id) < 0)
                return WORKER_GONE;
        if (procfd < 0 || read_file_at(procfd, "status", 64 * 1024, &status, &len, &err) < 0 ||
            proc_creds_parse(status, &creds) < 0) {
                fprintf(log, "palisade agent: container %s: pid %d: cannot read its credentials\n", container_id,
                        (int) req->pid);
                return answer(listener, req->id, EPERM, false);
        }
#ifdef SYS_mknod
        at = req->nr != SYS_mknod;
#else
        at = true;
#endif
        if (req->arch != NATIVE_ARCH || (at && req->nr != SYS_mknodat))
                return answer(listener, req->id, EPERM, false);
        c.syscall = at ? "mknodat" : "mknod";
        path_addr = at ? req->args[1] : req->args[0];
        c.mode = (mode_t) (at ? req->args[2] : req->args[1]);
        c.dev = mknod_call_from(c.mode, at ? req->args[3] : req->args[2]);
        if (at)
                dirfd = (int) req->args[0];
        if (snotify_read_string(req->pid, path_addr, c.path, sizeof(c.path)) < 0) {
                /* A bad pointer: the kernel would say EFAULT (or ENAMETOOLONG), and it will. */
                if (snotify_id_valid(listener, req->id) < 0)
                        return WORKER_GONE;
                return answer(listener, req->id, 0, true);
        }
        /* A racing thread cannot have swapped what we read: the call is still the one waiting. */
        if (snotify_id_valid(listener, req->id) < 0)
                return WORKER_GONE;

        /* Everything read from the host's tree now: making the node enters the caller's root. */
        n_grants = whitelist(pol, container_id, &entry, grants);
        unprivileged = !in_init_userns(procfd);
        if ((journal_fd = journal_open(pol->audit.journal, &err)) < 0) {
                /* Nothing acts unrecorded. */
                fprintf(log, "palisade agent: container %s: %s\n", container_id, pal_err_oneline(&err));
                return answer(listener, req->id, EPERM, false);
        }
        switch (agent_decide(&c.dev, grants, n_grants, pol->devices.deny, pol->devices.n_deny, &c.why)) {
        case MKNOD_CONTINUE:
                c.verdict = "continued";
                ex = answer(listener, req->id, 0, true);
                break;
        case MKNOD_DENY:
                /* In a user namespace the kernel refuses a device mknod itself (EPERM, or EEXIST first). */
                c.verdict = "denied";
                c.error = EPERM;
                ex = answer(listener, req->id, EPERM, unprivileged);
                break;
        case MKNOD_CREATE:
        default:
                if (!(creds.cap_eff & (UINT64_C(1) << CAP_MKNOD))) {
                        /* Without CAP_MKNOD in its namespace it could not have made one anywhere. */
                        c.verdict = "denied";
                        c.why = "no CAP_MKNOD";
                        c.error = EPERM;
                        ex = answer(listener, req->id, EPERM, unprivileged);
                        break;
                }
                if (snotify_id_valid(listener, req->id) < 0)
                        return WORKER_GONE;
                {
                        /* This worker enters the caller's mount namespace and root for good: it exits after. */
                        struct mknod_as a = { .procfd = procfd, .dirfd = dirfd, .path = c.path, .mode = c.mode,
                                              .dev = makedev(c.dev.major, c.dev.minor), .creds = &creds };
                        struct pal_err made = { 0 };
                        int r = mknod_as(&a, &c.bound, &made);

                        c.error = made.code ? EPERM : -r;
                        c.verdict = made.code ? "failed" : "allowed";
                        if (made.code)
                                fprintf(log, "palisade agent: container %s: %s %s: %s\n", container_id, c.syscall,
                                        c.path, pal_err_oneline(&made));
                        ex = answer(listener, req->id, c.error, false);
                }
                break;
        }
        if (ex != WORKER_GONE)
                journal(pol, journal_fd, container_id, &entry, req->pid, &c, log);
        return ex;
}
