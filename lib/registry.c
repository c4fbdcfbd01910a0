/* SPDX-License-Identifier: GPL-2.0-or-later */
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
#include "fileio.h"
#include "json.h"
#include "registry.h"

#define ENTRY_FILE "entry.json"
#define CLAIM_FILE "claim"      /* "PID STARTTIME" of the process creating the entry */
#define ENTRY_MAX_BYTES (64u << 10)
/* A claim without an entry, and without a readable claimer, older than this is stale. */
#define CLAIM_GRACE_SECONDS 120

int registry_open(const char *state_dir, bool create, struct pal_err *err)
{
        _cleanup_close_ int fd = -1;
        static const char *const subdirs[] = { "containers", "leases" };

        fd = open_dir(state_dir, create, err);
        if (fd < 0)
                return fd;
        for (size_t i = 0; create && i < ARRAY_SIZE(subdirs); i++)
                if (mkdirat(fd, subdirs[i], 0700) < 0 && errno != EEXIST)
                        return pal_err_sys(err, errno, "%s/%s: mkdir", state_dir, subdirs[i]);
        return TAKE_FD(fd);
}

static int container_dir(int regfd, const char *id, struct pal_err *err)
{
        char rel[1100];
        int fd;

        snprintf(rel, sizeof(rel), "containers/%s", id);
        fd = openat(regfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return pal_err_sys(err, errno, "registry entry %s", id);
        return fd;
}

int registry_read(int regfd, const char *id, struct registry_entry *e, struct pal_err *err)
{
        _cleanup_close_ int dfd = -1;
        _cleanup_free_ char *buf = NULL;
        _cleanup_json_ struct json *v = NULL;
        size_t len;
        int r;

        if (!containerid_valid(id))
                return pal_err_set(err, -EINVAL, "\"%.64s\" is not a valid container ID", id);
        dfd = container_dir(regfd, id, err);
        if (dfd < 0)
                return dfd;
        if ((r = read_file_at(dfd, ENTRY_FILE, ENTRY_MAX_BYTES, &buf, &len, err)) < 0 ||
            (r = json_parse(buf, len, &json_untrusted_limits, &v, err)) < 0 ||
            (r = registry_entry_from_json(v, e, err)) < 0)
                return pal_err_wrap(err, "registry entry %s", id);
        return 0;
}

bool registry_is_live(int regfd, const char *id)
{
        _cleanup_close_ int dfd = -1;
        struct registry_entry e;
        struct pal_err err;
        struct stat st;
        int r;

        dfd = container_dir(regfd, id, &err);
        if (dfd < 0)
                return false;
        r = registry_read(regfd, id, &e, &err);
        if (r == -ENOENT) {
                /* Claimed, entry not yet written: live while its creator is. */
                char buf[64];
                _cleanup_close_ int cfd = openat(dfd, CLAIM_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
                ssize_t n = cfd >= 0 ? read(cfd, buf, sizeof(buf) - 1) : -1;
                int pid;
                unsigned long long start;

                if (n > 0) {
                        buf[n] = '\0';
                        if (sscanf(buf, "%d %llu", &pid, &start) == 2)
                                return proc_is_running(pid, start);
                }
                /* Between mkdir and the claim file, or a claim of an older palisade. */
                return fstat(dfd, &st) == 0 && time(NULL) - st.st_mtime < CLAIM_GRACE_SECONDS;
        }
        if (r < 0)
                return false;
        return proc_is_running(e.pid, e.start_time);
}

int registry_lock(int regfd, const char *id, struct pal_err *err)
{
        _cleanup_close_ int dfd = -1;
        struct stat held, now;
        char rel[1100];

        if (!containerid_valid(id))
                return pal_err_set(err, -EINVAL, "\"%.64s\" is not a valid container ID", id);
        dfd = container_dir(regfd, id, err);
        if (dfd < 0)
                return dfd;
        if (flock(dfd, LOCK_EX) < 0)
                return pal_err_sys(err, errno, "registry entry %s: lock", id);
        /* The stop before ours removed it, and a create may have claimed the ID anew: not ours to stop. */
        snprintf(rel, sizeof(rel), "containers/%s", id);
        if (fstat(dfd, &held) < 0 || fstatat(regfd, rel, &now, AT_SYMLINK_NOFOLLOW) < 0 ||
            held.st_ino != now.st_ino || held.st_dev != now.st_dev)
                return pal_err_set(err, -ENOENT, "registry entry %s: stopped meanwhile", id);
        return TAKE_FD(dfd);
}

int registry_remove(int regfd, const char *id, struct pal_err *err)
{
        _cleanup_close_ int dfd = -1;
        DIR *d;
        struct dirent *de;
        char rel[1100];

        dfd = container_dir(regfd, id, err);
        if (dfd == -ENOENT)
                return 0;
        if (dfd < 0)
                return dfd;
        /* Only files palisade wrote live here (entry.json and its temp files). */
        d = fdopendir(dup(dfd));
        if (d) {
                while ((de = readdir(d)))
                        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                                unlinkat(dfd, de->d_name, 0);
                closedir(d);
        }
        snprintf(rel, sizeof(rel), "containers/%s", id);
        if (unlinkat(regfd, rel, AT_REMOVEDIR) < 0 && errno != ENOENT)
                return pal_err_sys(err, errno, "registry entry %s: remove", id);
        return 0;
}

/* Record who is creating the entry, so a claim whose creator was killed is stale at once. */
static int write_claim(int regfd, const char *id, struct pal_err *err)
{
        _cleanup_close_ int dfd = container_dir(regfd, id, err);
        _cleanup_close_ int self = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        char buf[64];
        int n, r;

        if (dfd < 0)
                return dfd;
        n = snprintf(buf, sizeof(buf), "%d %llu\n", (int) getpid(),
                     (unsigned long long) (self >= 0 ? proc_start_time(self) : 0));
        r = write_file_atomic(dfd, CLAIM_FILE, buf, (size_t) n, 0600, err);
        if (r < 0) {
                struct pal_err ignored;
                (void) registry_remove(regfd, id, &ignored);
                return pal_err_wrap(err, "registry entry %s", id);
        }
        return 0;
}

int registry_claim(int regfd, const char *id, struct pal_err *err)
{
        char rel[1100];

        if (!containerid_valid(id))
                return pal_err_set(err, -EINVAL, "\"%.64s\" is not a valid container ID", id);
        snprintf(rel, sizeof(rel), "containers/%s", id);
        for (int attempt = 0; attempt < 2; attempt++) {
                if (mkdirat(regfd, rel, 0700) == 0)
                        return write_claim(regfd, id, err);
                if (errno != EEXIST)
                        return pal_err_sys(err, errno, "registry entry %s: mkdir", id);
                if (registry_is_live(regfd, id))
                        break;
                /* Left by a container that died without its poststop. */
                if (registry_remove(regfd, id, err) < 0)
                        return err->code;
        }
        return pal_err_set(err, -EEXIST, "a live container is already registered under this ID");
}

int registry_write(int regfd, const struct registry_entry *e, struct pal_err *err)
{
        _cleanup_free_ struct registry_entry *check = malloc(sizeof(*check));
        _cleanup_close_ int dfd = -1;
        _cleanup_json_ struct json *v = NULL;
        _cleanup_free_ char *text = NULL;
        size_t len;
        int r;

        if (!check)
                return pal_err_set(err, -ENOMEM, "out of memory");
        dfd = container_dir(regfd, e->id, err);
        if (dfd < 0)
                return dfd;
        v = registry_entry_to_json(e);
        if (!v)
                return pal_err_set(err, -ENOMEM, "out of memory");
        /* What is written must load: ps, gc and the stop record all read it back. */
        if ((r = registry_entry_from_json(v, check, err)) < 0)
                return pal_err_wrap(err, "registry entry %s: would not load", e->id);
        if ((r = json_dump(v, true, &text, &len, err)) < 0 ||
            (r = write_file_atomic(dfd, ENTRY_FILE, text, len, 0600, err)) < 0)
                return pal_err_wrap(err, "registry entry %s", e->id);
        return 0;
}

static int cmp_created(const void *a, const void *b)
{
        const struct registry_entry *x = a, *y = b;
        return (x->created > y->created) - (x->created < y->created);
}

int registry_list(int regfd, struct registry_entry **out, size_t *n, struct pal_err *err)
{
        _cleanup_free_ struct registry_entry *list = NULL;
        size_t len = 0, cap = 0;
        DIR *d;
        struct dirent *de;
        int fd;

        *out = NULL;
        *n = 0;
        fd = openat(regfd, "containers", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                if (errno == ENOENT)
                        return 0;
                return pal_err_sys(err, errno, "registry");
        }
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return pal_err_sys(err, errno, "registry");
        }
        while ((de = readdir(d))) {
                struct pal_err ignored;

                if (!containerid_valid(de->d_name))
                        continue;
                if (len == cap) {
                        size_t ncap = cap ? cap * 2 : 16;
                        struct registry_entry *nl = realloc(list, ncap * sizeof(*nl));
                        if (!nl) {
                                closedir(d);
                                return pal_err_set(err, -ENOMEM, "out of memory");
                        }
                        list = nl;
                        cap = ncap;
                }
                /* Claims still being created have no entry yet: skip them. */
                if (registry_read(regfd, de->d_name, &list[len], &ignored) == 0)
                        len++;
        }
        closedir(d);
        if (len)
                qsort(list, len, sizeof(*list), cmp_created);
        *out = TAKE_PTR(list);
        *n = len;
        return 0;
}

static int lease_reclaim(int regfd, const char *rel, const char *owner, char *holder, size_t size);

int registry_reap(int regfd, size_t *claims, size_t *leases, struct pal_err *err)
{
        static const char *const subdirs[] = { "containers", "leases" };

        *claims = *leases = 0;
        for (size_t k = 0; k < ARRAY_SIZE(subdirs); k++) {
                int fd = openat(regfd, subdirs[k], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                struct dirent *de;
                DIR *d;

                if (fd < 0) {
                        if (errno == ENOENT)
                                continue;
                        return pal_err_sys(err, errno, "registry %s", subdirs[k]);
                }
                if (!(d = fdopendir(fd))) {
                        close(fd);
                        return pal_err_sys(err, errno, "registry %s", subdirs[k]);
                }
                while ((de = readdir(d))) {
                        char holder[1100], rel[1200];
                        struct registry_entry e;
                        struct pal_err ignored;

                        if (de->d_name[0] == '.') {
                                struct stat st;
                                /* A lease_create that died between its temporary file and the link. */
                                if (k == 1 && strncmp(de->d_name, ".tmp-", 5) == 0 &&
                                    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                                    time(NULL) - st.st_mtime > CLAIM_GRACE_SECONDS)
                                        unlinkat(dirfd(d), de->d_name, 0);
                                continue;
                        }
                        if (k == 0) {
                                /* Only claims without an entry: entries are the caller's. */
                                if (!containerid_valid(de->d_name) ||
                                    registry_read(regfd, de->d_name, &e, &ignored) != -ENOENT ||
                                    registry_is_live(regfd, de->d_name))
                                        continue;
                                if (registry_remove(regfd, de->d_name, &ignored) == 0)
                                        (*claims)++;
                                continue;
                        }
                        snprintf(rel, sizeof(rel), "leases/%s", de->d_name);
                        if (lease_reclaim(regfd, rel, NULL, holder, sizeof(holder)) == 1)
                                (*leases)++;
                }
                closedir(d);
        }
        return 0;
}

/* ---- leases ---- */

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

/* ---- serialisation ---- */

struct json *registry_entry_to_json(const struct registry_entry *e)
{
        _cleanup_json_ struct json *v = json_new(JSON_OBJECT);
        struct json *ns, *devs;

        if (!v || json_set(v, "id", json_new_string(e->id)) < 0 ||
            json_set(v, "audit_id", json_new_string(e->audit_id)) < 0 ||
            json_set(v, "pid", json_new_int(e->pid)) < 0 ||
            json_set(v, "start_time", json_new_int((int64_t) e->start_time)) < 0 ||
            json_set(v, "created", json_new_int(e->created)) < 0 ||
            json_set(v, "bundle", json_new_string(e->bundle)) < 0 ||
            json_set(v, "namespaces", (ns = json_new(JSON_OBJECT))) < 0)
                return NULL;
        for (size_t i = 0; i < e->n_ns; i++) {
                struct json *one = json_new(JSON_OBJECT);
                if (json_set(ns, e->ns[i].type, one) < 0 ||
                    json_set(one, "dev", json_new_int((int64_t) e->ns[i].dev)) < 0 ||
                    json_set(one, "ino", json_new_int((int64_t) e->ns[i].ino)) < 0 ||
                    json_set(one, "own", json_new_bool(e->ns[i].own)) < 0)
                        return NULL;
        }
        if (e->uid_map[0] && (json_set(v, "uid_map", json_new_string(e->uid_map)) < 0 ||
                              json_set(v, "gid_map", json_new_string(e->gid_map)) < 0))
                return NULL;
        if (json_set(v, "devices", (devs = json_new(JSON_ARRAY))) < 0)
                return NULL;
        for (size_t i = 0; i < e->n_devices; i++)
                if (json_append(devs, json_new_string(e->devices[i])) < 0)
                        return NULL;
        if (e->seccomp_profile[0] || e->seccomp_seen) {
                struct json *sc = json_new(JSON_OBJECT);
                if (json_set(v, "seccomp", sc) < 0 || json_set(sc, "profile", json_new_string(e->seccomp_profile)) < 0)
                        return NULL;
                if (e->seccomp_seen && (json_set(sc, "mode", json_new_int(e->seccomp_mode)) < 0 ||
                                        json_set(sc, "filters", json_new_int(e->seccomp_filters)) < 0))
                        return NULL;
        }
        return TAKE_PTR(v);
}

static int copy_string(const struct json *obj, const char *key, char *dst, size_t size,
                       struct pal_err *err)
{
        struct json *v = json_get(obj, key);
        if (!v || v->type != JSON_STRING || strlen(v->str) >= size)
                return pal_err_set(err, -EINVAL, "%s: missing or invalid", key);
        memcpy(dst, v->str, strlen(v->str) + 1);
        return 0;
}

static int read_int(const struct json *obj, const char *key, int64_t min, int64_t max, int64_t *out,
                    struct pal_err *err)
{
        struct json *v = json_get(obj, key);
        struct jpath p;

        jpath_init(&p);
        jpath_key(&p, key);
        if (!v)
                return pal_err_set(err, -EINVAL, "%s: missing", key);
        return json_as_i64(v, &p, min, max, out, err);
}

int registry_entry_from_json(const struct json *v, struct registry_entry *e, struct pal_err *err)
{
        struct json *ns;
        int64_t n;
        int r;

        memset(e, 0, sizeof(*e));
        if (v->type != JSON_OBJECT)
                return pal_err_set(err, -EINVAL, "not an object");
        if ((r = copy_string(v, "id", e->id, sizeof(e->id), err)) < 0 ||
            (r = copy_string(v, "audit_id", e->audit_id, sizeof(e->audit_id), err)) < 0 ||
            (r = copy_string(v, "bundle", e->bundle, sizeof(e->bundle), err)) < 0)
                return r;
        if ((r = read_int(v, "pid", 0, INT32_MAX, &n, err)) < 0)
                return r;
        e->pid = (pid_t) n;
        if ((r = read_int(v, "start_time", 0, INT64_MAX, &n, err)) < 0)
                return r;
        e->start_time = (uint64_t) n;
        if ((r = read_int(v, "created", 0, INT64_MAX, &e->created, err)) < 0)
                return r;
        ns = json_get(v, "namespaces");
        if (!ns || ns->type != JSON_OBJECT || ns->len > PAL_NS_MAX)
                return pal_err_set(err, -EINVAL, "namespaces: missing or invalid");
        for (size_t i = 0; i < ns->len; i++) {
                struct pal_ns *x = &e->ns[i];
                struct json *own = json_get(ns->items[i], "own");

                if (strlen(ns->keys[i]) >= sizeof(x->type))
                        return pal_err_set(err, -EINVAL, "namespaces: invalid type");
                snprintf(x->type, sizeof(x->type), "%s", ns->keys[i]);
                if ((r = read_int(ns->items[i], "dev", 0, INT64_MAX, &n, err)) < 0)
                        return r;
                x->dev = (uint64_t) n;
                if ((r = read_int(ns->items[i], "ino", 0, INT64_MAX, &n, err)) < 0)
                        return r;
                x->ino = (uint64_t) n;
                x->own = own && own->type == JSON_BOOL && own->boolean;
        }
        e->n_ns = ns->len;
        /* ID maps: only a container with a user namespace of its own has them. */
        if (json_get(v, "uid_map") &&
            ((r = copy_string(v, "uid_map", e->uid_map, sizeof(e->uid_map), err)) < 0 ||
             (r = copy_string(v, "gid_map", e->gid_map, sizeof(e->gid_map), err)) < 0))
                return r;
        /* devices: optional (entries of an older palisade have none). */
        ns = json_get(v, "devices");
        for (size_t i = 0; ns && ns->type == JSON_ARRAY && i < ns->len && i < ARRAY_SIZE(e->devices); i++) {
                if (ns->items[i]->type != JSON_STRING || strlen(ns->items[i]->str) >= sizeof(e->devices[0]))
                        return pal_err_set(err, -EINVAL, "devices: invalid");
                snprintf(e->devices[i], sizeof(e->devices[i]), "%s", ns->items[i]->str);
                e->n_devices = i + 1;
        }
        /* seccomp: optional, as devices. */
        if ((ns = json_get(v, "seccomp")) && ns->type == JSON_OBJECT) {
                struct json *prof = json_get(ns, "profile");
                if (prof && prof->type == JSON_STRING)
                        snprintf(e->seccomp_profile, sizeof(e->seccomp_profile), "%s", prof->str);
                if (json_get(ns, "mode")) {
                        if ((r = read_int(ns, "mode", 0, PROC_SECCOMP_MAX, &n, err)) < 0)
                                return r;
                        e->seccomp_mode = (int) n;
                        if ((r = read_int(ns, "filters", 0, INT32_MAX, &n, err)) < 0)
                                return r;
                        e->seccomp_filters = (int) n;
                        e->seccomp_seen = true;
                }
        }
        return 0;
}
