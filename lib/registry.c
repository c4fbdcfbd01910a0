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
#include "lease.h"
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

int registry_reap(int regfd, size_t *claims, size_t *leases, struct pal_err *err)
{
        _cleanup_close_ int fd = -1;
        struct dirent *de;
        DIR *d;

        *claims = *leases = 0;
        fd = openat(regfd, "containers", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                if (errno != ENOENT)
                        return pal_err_sys(err, errno, "registry %s", "containers");
        } else {
                if (!(d = fdopendir(fd)))
                        return pal_err_sys(err, errno, "registry %s", "containers");
                TAKE_FD(fd);
                while ((de = readdir(d))) {
                        struct registry_entry e;
                        struct pal_err ignored;

                        /* Only claims without an entry: entries are the caller's. */
                        if (de->d_name[0] == '.' || !containerid_valid(de->d_name) ||
                            registry_read(regfd, de->d_name, &e, &ignored) != -ENOENT ||
                            registry_is_live(regfd, de->d_name))
                                continue;
                        if (registry_remove(regfd, de->d_name, &ignored) == 0)
                                (*claims)++;
                }
                closedir(d);
        }
        return lease_reap(regfd, leases, err);
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
