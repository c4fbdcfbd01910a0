/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Leases: STATE_DIR/leases/KIND-NAME, created with O_CREAT|O_EXCL semantics
 * (a temporary file linked into place), so two creates never hold the same
 * name; a lease whose holder is not live is reclaimed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "containerid.h"
#include "lease.h"
#include "registry.h"

/* A temporary lease file older than this is a lease_create that died (as a claim's grace, registry.c). */
#define LEASE_TMP_GRACE_SECONDS 120

static int lease_path(const char *kind, const char *name, char *buf, size_t size,
                      struct pal_err *err)
{
        if (!containerid_valid(kind) || !containerid_valid(name))
                return pal_err_set(err, -EINVAL, "invalid lease name %s/%s", kind, name);
        snprintf(buf, size, "leases/%s-%s", kind, name);
        return 0;
}

/*
 * A lease holds "OWNER\n", optionally followed by "PID STARTTIME\n" of the
 * process that took it before its owner was registered (the spec phase runs
 * before the registry claim): the lease is live while either is.
 */
static int lease_read(int fd, char *owner, size_t size, pid_t *creator, uint64_t *start)
{
        char buf[1200], *nl;
        ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
        unsigned long long st;
        int pid;

        *creator = 0;
        *start = 0;
        if (n < 0)
                return -errno;
        buf[n] = '\0';
        nl = strchr(buf, '\n');
        if (nl) {
                *nl = '\0';
                if (sscanf(nl + 1, "%d %llu", &pid, &st) == 2 && pid > 0) {
                        *creator = pid;
                        *start = st;
                }
        }
        if (strlen(buf) >= size)
                return -ENAMETOOLONG;
        memcpy(owner, buf, strlen(buf) + 1);
        return 0;
}

static int lease_owner(int regfd, const char *rel, char *owner, size_t size)
{
        _cleanup_close_ int fd = openat(regfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        pid_t creator;
        uint64_t start;

        if (fd < 0)
                return -errno;
        return lease_read(fd, owner, size, &creator, &start);
}

static bool lease_live(int regfd, const char *holder, pid_t creator, uint64_t start)
{
        return (containerid_valid(holder) && registry_is_live(regfd, holder)) ||
               (creator > 0 && proc_is_running(creator, start));
}

/*
 * Remove the lease at rel if its holder is gone (and is not owner): 1 when
 * removed, 0 when live (holder filled), -errno. The check and the unlink
 * happen under the file's lock, and only while the name still refers to the
 * file checked: two reclaimers never remove a lease a third just took.
 */
static int lease_reclaim(int regfd, const char *rel, const char *owner, char *holder, size_t size)
{
        _cleanup_close_ int fd = openat(regfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        struct stat a, b;
        pid_t creator;
        uint64_t start;
        int r;

        holder[0] = '\0';
        if (fd < 0)
                return errno == ENOENT ? 1 : -errno;
        if (flock(fd, LOCK_EX) < 0)
                return -errno;
        if (fstat(fd, &a) < 0)
                return -errno;
        if (fstatat(regfd, rel, &b, AT_SYMLINK_NOFOLLOW) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev)
                return 1;       /* already reclaimed by another: try again */
        if ((r = lease_read(fd, holder, size, &creator, &start)) < 0)
                return r;
        if ((owner && strcmp(holder, owner) == 0) || lease_live(regfd, holder, creator, start))
                return 0;
        if (unlinkat(regfd, rel, 0) < 0 && errno != ENOENT)
                return -errno;
        return 1;
}

/*
 * Create the lease with its content in one step: written to a temporary
 * file first, then linked into place (link fails if the name exists, as
 * O_CREAT|O_EXCL does), so no reader ever sees an empty lease and takes
 * it for a dead one.
 */
static int lease_create(int regfd, const char *rel, const char *text, size_t len)
{
        char tmp[2300];
        int r = 0;
        _cleanup_close_ int fd = -1;

        snprintf(tmp, sizeof(tmp), "leases/.tmp-%d-%s", (int) getpid(), rel + strlen("leases/"));
        fd = openat(regfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return -errno;
        if (write(fd, text, len) != (ssize_t) len || fsync(fd) < 0)
                r = errno ? -errno : -EIO;
        else if (linkat(regfd, tmp, regfd, rel, 0) < 0)
                r = -errno;
        unlinkat(regfd, tmp, 0);
        return r;
}

int lease_take(int regfd, const char *kind, const char *name, const char *owner, struct pal_err *err)
{
        return lease_take_as(regfd, kind, name, owner, 0, NULL, 0, err);
}

int lease_take_as(int regfd, const char *kind, const char *name, const char *owner, pid_t creator,
                  char *reclaimed, size_t reclaimed_size, struct pal_err *err)
{
        char rel[2200], holder[1100], text[1200];
        int len, r;

        if ((r = lease_path(kind, name, rel, sizeof(rel), err)) < 0)
                return r;
        if (reclaimed && reclaimed_size)
                reclaimed[0] = '\0';
        if (creator > 0) {
                _cleanup_close_ int pfd = -1;
                char proc[32];

                snprintf(proc, sizeof(proc), "/proc/%d", (int) creator);
                pfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (pfd < 0)
                        return pal_err_sys(err, errno, "lease %s %s: %s", kind, name, proc);
                len = snprintf(text, sizeof(text), "%s\n%d %llu\n", owner, (int) creator,
                               (unsigned long long) proc_start_time(pfd));
        } else {
                len = snprintf(text, sizeof(text), "%s", owner);
        }
        if (len < 0 || (size_t) len >= sizeof(text))
                return pal_err_set(err, -EINVAL, "lease %s %s: owner too long", kind, name);
        for (int attempt = 0; attempt < 3; attempt++) {
                r = lease_create(regfd, rel, text, (size_t) len);
                if (r == 0)
                        return 0;
                if (r != -EEXIST)
                        return pal_err_sys(err, r, "lease %s %s", kind, name);
                r = lease_reclaim(regfd, rel, owner, holder, sizeof(holder));
                if (r < 0)
                        return pal_err_sys(err, r, "lease %s %s", kind, name);
                if (r == 0)
                        return pal_err_set(err, -EBUSY, "%s %s is held by live container %s", kind, name,
                                           holder);
                /* The holder is gone: reclaimed, try again. */
                if (reclaimed && reclaimed_size && holder[0])
                        snprintf(reclaimed, reclaimed_size, "%s", holder);
        }
        return pal_err_set(err, -EBUSY, "%s %s: lease contended", kind, name);
}

int lease_find(int regfd, const char *kind, const char *owner, char *name, size_t size, bool *live)
{
        size_t klen = strlen(kind);
        int fd = openat(regfd, "leases", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct dirent *de;
        int r = -ENOENT;
        DIR *d;

        if (fd < 0)
                return -errno;
        if (!(d = fdopendir(fd))) {
                close(fd);
                return -ENOMEM;
        }
        while (r == -ENOENT && (de = readdir(d))) {
                _cleanup_close_ int lfd = -1;
                char holder[1100];
                pid_t creator;
                uint64_t start;

                if (strncmp(de->d_name, kind, klen) != 0 || de->d_name[klen] != '-')
                        continue;
                lfd = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
                if (lfd < 0 || lease_read(lfd, holder, sizeof(holder), &creator, &start) < 0 ||
                    strcmp(holder, owner) != 0)
                        continue;
                snprintf(name, size, "%s", de->d_name + klen + 1);
                *live = lease_live(regfd, holder, creator, start);
                r = 0;
        }
        closedir(d);
        return r;
}

int lease_release(int regfd, const char *kind, const char *name, const char *owner, struct pal_err *err)
{
        char rel[2200], holder[1100];
        int r;

        if ((r = lease_path(kind, name, rel, sizeof(rel), err)) < 0)
                return r;
        r = lease_owner(regfd, rel, holder, sizeof(holder));
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return pal_err_sys(err, r, "lease %s %s", kind, name);
        if (strcmp(holder, owner) != 0)
                return 0;
        if (unlinkat(regfd, rel, 0) < 0 && errno != ENOENT)
                return pal_err_sys(err, errno, "lease %s %s: release", kind, name);
        return 0;
}

int lease_reap(int regfd, size_t *leases, struct pal_err *err)
{
        struct dirent *de;
        DIR *d;
        int fd;

        *leases = 0;
        fd = openat(regfd, "leases", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : pal_err_sys(err, errno, "registry %s", "leases");
        if (!(d = fdopendir(fd))) {
                close(fd);
                return pal_err_sys(err, errno, "registry %s", "leases");
        }
        while ((de = readdir(d))) {
                char holder[1100], rel[1200];

                if (de->d_name[0] == '.') {
                        struct stat st;
                        /* A lease_create that died between its temporary file and the link. */
                        if (strncmp(de->d_name, ".tmp-", 5) == 0 &&
                            fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                            time(NULL) - st.st_mtime > LEASE_TMP_GRACE_SECONDS)
                                unlinkat(dirfd(d), de->d_name, 0);
                        continue;
                }
                snprintf(rel, sizeof(rel), "leases/%s", de->d_name);
                if (lease_reclaim(regfd, rel, NULL, holder, sizeof(holder)) == 1)
                        (*leases)++;
        }
        closedir(d);
        return 0;
}
