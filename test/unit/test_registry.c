/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The registry and leases, in a temporary state directory. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "lib/json.h"
#include "lib/lease.h"
#include "lib/registry.h"
#include "statedir.h"

#define UUID_A "1b4e28ba-2fa1-11d2-883f-0016d3cca427"

static uint64_t start_time_of(pid_t pid)
{
        char path[32];
        uint64_t t;
        int fd;

        snprintf(path, sizeof(path), "/proc/%d", (int) pid);
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(fd >= 0);
        t = proc_start_time(fd);
        close(fd);
        assert_true(t > 0);
        return t;
}

/* A pid and start time that no live process has: a child that has exited and been reaped. */
static pid_t dead_pid(uint64_t *start_time)
{
        int pipefd[2];
        char c;
        pid_t pid;

        assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                close(pipefd[1]);
                (void) !read(pipefd[0], &c, 1);
                _exit(0);
        }
        close(pipefd[0]);
        *start_time = start_time_of(pid);
        close(pipefd[1]);
        assert_int_equal(waitpid(pid, NULL, 0), pid);
        return pid;
}

static void make_entry(struct registry_entry *e, const char *id, pid_t pid, uint64_t start_time, int64_t created)
{
        memset(e, 0, sizeof(*e));
        snprintf(e->id, sizeof(e->id), "%s", id);
        snprintf(e->audit_id, sizeof(e->audit_id), "%s", UUID_A);
        e->pid = pid;
        e->start_time = start_time;
        e->created = created;
        snprintf(e->bundle, sizeof(e->bundle), "/run/containers/%s/userdata", id);
        snprintf(e->ns[0].type, sizeof(e->ns[0].type), "mnt");
        e->ns[0].dev = 4;
        e->ns[0].ino = 4026532001;
        e->ns[0].own = true;
        snprintf(e->ns[1].type, sizeof(e->ns[1].type), "pid");
        e->ns[1].dev = 4;
        e->ns[1].ino = 4026531836;
        e->n_ns = 2;
}

/* Claim and write a live entry: this very test process. */
static void register_live(int regfd, const char *id, int64_t created)
{
        struct registry_entry e;
        struct pal_err err = { 0 };

        make_entry(&e, id, getpid(), start_time_of(getpid()), created);
        if (registry_claim(regfd, id, &err) < 0 || registry_write(regfd, &e, &err) < 0)
                fail_msg("register %s: %s", id, err.msg);
}

static void test_round_trip(void **state)
{
        struct fixture *f = *state;
        struct registry_entry e, got, *list = NULL;
        struct pal_err err = { 0 };
        size_t n = 99;

        assert_int_equal(registry_list(f->regfd, &list, &n, &err), 0);
        assert_int_equal(n, 0);
        free(list);

        make_entry(&e, "web1", getpid(), start_time_of(getpid()), 1700000300);
        assert_int_equal(registry_claim(f->regfd, "web1", &err), 0);
        assert_true(registry_is_live(f->regfd, "web1"));        /* claimed, being created */
        assert_int_equal(registry_read(f->regfd, "web1", &got, &err), -ENOENT);
        assert_string_equal(err.msg, "registry entry web1: open: No such file or directory");
        assert_int_equal(registry_write(f->regfd, &e, &err), 0);
        assert_int_equal(registry_read(f->regfd, "web1", &got, &err), 0);
        assert_string_equal(got.id, "web1");
        assert_string_equal(got.audit_id, UUID_A);
        assert_int_equal(got.pid, getpid());
        assert_int_equal(got.start_time, e.start_time);
        assert_int_equal(got.created, 1700000300);
        assert_string_equal(got.bundle, "/run/containers/web1/userdata");
        assert_int_equal(got.n_ns, 2);
        assert_string_equal(got.ns[0].type, "mnt");
        assert_int_equal(got.ns[0].ino, 4026532001);
        assert_true(got.ns[0].own);
        assert_string_equal(got.ns[1].type, "pid");
        assert_false(got.ns[1].own);
        assert_true(registry_is_live(f->regfd, "web1"));

        /* Rewrites replace the entry. */
        e.created = 1700000100;
        assert_int_equal(registry_write(f->regfd, &e, &err), 0);

        register_live(f->regfd, "db2", 1700000200);
        assert_int_equal(registry_claim(f->regfd, "half", &err), 0);  /* no entry yet: not listed */
        assert_int_equal(registry_list(f->regfd, &list, &n, &err), 0);
        assert_int_equal(n, 2);
        assert_string_equal(list[0].id, "web1");                        /* by creation time */
        assert_string_equal(list[1].id, "db2");
        free(list);

        assert_int_equal(registry_remove(f->regfd, "web1", &err), 0);
        assert_int_equal(registry_remove(f->regfd, "web1", &err), 0); /* idempotent */
        assert_false(registry_is_live(f->regfd, "web1"));
        assert_int_equal(registry_read(f->regfd, "web1", &got, &err), -ENOENT);
        assert_string_equal(err.msg, "registry entry web1: No such file or directory");
        assert_int_equal(faccessat(f->regfd, "containers/web1", F_OK, 0), -1);
        assert_int_equal(registry_list(f->regfd, &list, &n, &err), 0);
        assert_int_equal(n, 1);
        assert_string_equal(list[0].id, "db2");
        free(list);
        assert_false(registry_is_live(f->regfd, "never"));
}

static void test_claim_live_twice(void **state)
{
        struct fixture *f = *state;
        struct pal_err err = { 0 };

        register_live(f->regfd, "web1", 1);
        assert_int_equal(registry_claim(f->regfd, "web1", &err), -EEXIST);
        assert_string_equal(err.msg, "a live container is already registered under this ID");

        /* A claim still being created (no entry, fresh directory) is live too. */
        assert_int_equal(registry_claim(f->regfd, "web2", &err), 0);
        assert_int_equal(registry_claim(f->regfd, "web2", &err), -EEXIST);
        assert_string_equal(err.msg, "a live container is already registered under this ID");
}

static void test_claim_reclaims_stale(void **state)
{
        struct fixture *f = *state;
        struct registry_entry e, got;
        struct pal_err err = { 0 };
        struct timespec old[2] = { { .tv_sec = 0, .tv_nsec = UTIME_OMIT }, { .tv_sec = 0 } };
        uint64_t st;
        pid_t pid = dead_pid(&st);

        /* Its process has exited. */
        make_entry(&e, "gone", pid, st, 1);
        assert_int_equal(registry_claim(f->regfd, "gone", &err), 0);
        assert_int_equal(registry_write(f->regfd, &e, &err), 0);
        assert_false(registry_is_live(f->regfd, "gone"));
        assert_int_equal(registry_claim(f->regfd, "gone", &err), 0);
        assert_int_equal(registry_read(f->regfd, "gone", &got, &err), -ENOENT);

        /* Its process has exited and nobody reaped it yet (a zombie, as a container's init is
         * until the host's init gets to it): dead all the same. */
        {
                pid_t z = fork();
                char stat_path[64], buf[512];
                bool zombie = false;

                assert_true(z >= 0);
                if (z == 0)
                        _exit(0);
                snprintf(stat_path, sizeof(stat_path), "/proc/%d/stat", (int) z);
                for (int i = 0; i < 500 && !zombie; i++) {
                        FILE *fp = fopen(stat_path, "re");
                        char *p = fp && fgets(buf, sizeof(buf), fp) ? strrchr(buf, ')') : NULL;
                        zombie = p && p[1] == ' ' && p[2] == 'Z';
                        if (fp)
                                fclose(fp);
                        if (!zombie)
                                usleep(10000);
                }
                assert_true(zombie);
                make_entry(&e, "zombie", z, start_time_of(z), 1);
                assert_int_equal(registry_claim(f->regfd, "zombie", &err), 0);
                assert_int_equal(registry_write(f->regfd, &e, &err), 0);
                assert_false(registry_is_live(f->regfd, "zombie"));
                assert_int_equal(registry_claim(f->regfd, "zombie", &err), 0);
                assert_int_equal(registry_read(f->regfd, "zombie", &got, &err), -ENOENT);
                assert_int_equal(waitpid(z, NULL, 0), z);
        }

        /* Its PID was reused by another process (here: this one, started at another time). */
        make_entry(&e, "recycled", getpid(), start_time_of(getpid()) + 1, 1);
        assert_int_equal(registry_claim(f->regfd, "recycled", &err), 0);
        assert_int_equal(registry_write(f->regfd, &e, &err), 0);
        assert_false(registry_is_live(f->regfd, "recycled"));
        assert_int_equal(registry_claim(f->regfd, "recycled", &err), 0);

        /* A claim whose creator is alive stays live, however old... */
        assert_int_equal(registry_claim(f->regfd, "crashed", &err), 0);
        old[1].tv_sec = time(NULL) - 3600;
        assert_int_equal(utimensat(f->regfd, "containers/crashed", old, 0), 0);
        assert_true(registry_is_live(f->regfd, "crashed"));
        /* ...and one whose creator was killed before writing the entry is stale at once. */
        {
                char claim[64];
                int n = snprintf(claim, sizeof(claim), "%d %llu\n", (int) pid, (unsigned long long) st);
                int fd = openat(f->regfd, "containers/crashed/claim", O_WRONLY | O_TRUNC | O_CLOEXEC);
                assert_true(fd >= 0);
                assert_int_equal(write(fd, claim, (size_t) n), n);
                close(fd);
        }
        assert_false(registry_is_live(f->regfd, "crashed"));
        assert_int_equal(registry_claim(f->regfd, "crashed", &err), 0);
        assert_true(registry_is_live(f->regfd, "crashed"));
        /* A claim without a claimer (an older palisade's) falls back to its age. */
        assert_int_equal(unlinkat(f->regfd, "containers/crashed/claim", 0), 0);
        assert_true(registry_is_live(f->regfd, "crashed"));
        assert_int_equal(utimensat(f->regfd, "containers/crashed", old, 0), 0);
        assert_false(registry_is_live(f->regfd, "crashed"));

        /* An unreadable entry is not a live one. */
        assert_int_equal(registry_claim(f->regfd, "corrupt", &err), 0);
        {
                int fd = openat(f->regfd, "containers/corrupt/entry.json", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
                assert_true(fd >= 0);
                assert_int_equal(write(fd, "{\"id\":", 6), 6);
                close(fd);
        }
        assert_int_equal(registry_read(f->regfd, "corrupt", &got, &err), -EINVAL);
        assert_string_equal(err.msg, "registry entry corrupt: truncated JSON (unexpected end of input at id)");
        assert_false(registry_is_live(f->regfd, "corrupt"));
        assert_int_equal(registry_claim(f->regfd, "corrupt", &err), 0);
}

static void test_invalid_ids(void **state)
{
        struct fixture *f = *state;
        struct registry_entry got;
        struct pal_err err = { 0 };

        assert_int_equal(registry_claim(f->regfd, "../x", &err), -EINVAL);
        assert_string_equal(err.msg, "\"../x\" is not a valid container ID");
        assert_int_equal(registry_claim(f->regfd, "..", &err), -EINVAL);
        assert_int_equal(registry_read(f->regfd, "a/b", &got, &err), -EINVAL);
        assert_string_equal(err.msg, "\"a/b\" is not a valid container ID");
        assert_int_equal(lease_take(f->regfd, "audit", "../../etc", "web1", &err), -EINVAL);
        assert_string_equal(err.msg, "invalid lease name audit/../../etc");
        assert_int_equal(lease_take(f->regfd, "a/b", "x", "web1", &err), -EINVAL);
        assert_string_equal(err.msg, "invalid lease name a/b/x");
        assert_int_equal(lease_release(f->regfd, "audit", "", "web1", &err), -EINVAL);
        assert_string_equal(err.msg, "invalid lease name audit/");
}

static char *lease_holder(int regfd, const char *rel)
{
        struct pal_err err = { 0 };
        char *buf = NULL;
        int dfd = openat(regfd, "leases", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        assert_true(dfd >= 0);
        if (read_file_at(dfd, rel, 4096, &buf, NULL, &err) < 0)
                buf = NULL;
        close(dfd);
        return buf;
}

static void test_lease_between_live_owners(void **state)
{
        struct fixture *f = *state;
        struct pal_err err = { 0 };
        char *holder;

        register_live(f->regfd, "web1", 1);
        register_live(f->regfd, "db2", 2);
        assert_int_equal(lease_take(f->regfd, "audit", UUID_A, "web1", &err), 0);
        holder = lease_holder(f->regfd, "audit-" UUID_A);
        assert_string_equal(holder, "web1");
        free(holder);

        assert_int_equal(lease_take(f->regfd, "audit", UUID_A, "db2", &err), -EBUSY);
        assert_string_equal(err.msg, "audit " UUID_A " is held by live container web1");
        /* Taking what one already holds is refused too: an ID is given once. */
        assert_int_equal(lease_take(f->regfd, "audit", UUID_A, "web1", &err), -EBUSY);
        assert_string_equal(err.msg, "audit " UUID_A " is held by live container web1");

        /* Other names and kinds are independent. */
        assert_int_equal(lease_take(f->regfd, "audit", "other", "db2", &err), 0);
        assert_int_equal(lease_take(f->regfd, "uidrange", UUID_A, "db2", &err), 0);

        /* A non-owner's release leaves the lease alone. */
        assert_int_equal(lease_release(f->regfd, "audit", UUID_A, "db2", &err), 0);
        holder = lease_holder(f->regfd, "audit-" UUID_A);
        assert_string_equal(holder, "web1");
        free(holder);
        assert_int_equal(lease_release(f->regfd, "audit", UUID_A, "web", &err), 0);  /* prefix */
        assert_int_equal(lease_release(f->regfd, "audit", UUID_A, "web12", &err), 0);
        holder = lease_holder(f->regfd, "audit-" UUID_A);
        assert_string_equal(holder, "web1");
        free(holder);

        /* The owner's does; a second release is harmless. */
        assert_int_equal(lease_release(f->regfd, "audit", UUID_A, "web1", &err), 0);
        assert_null(lease_holder(f->regfd, "audit-" UUID_A));
        assert_int_equal(lease_release(f->regfd, "audit", UUID_A, "web1", &err), 0);
        assert_int_equal(lease_take(f->regfd, "audit", UUID_A, "db2", &err), 0);
}

static void test_lease_reclaim(void **state)
{
        struct fixture *f = *state;
        struct registry_entry e;
        struct pal_err err = { 0 };
        uint64_t st;
        pid_t pid = dead_pid(&st);
        char *holder;

        /* Holder registered but its process is gone. */
        make_entry(&e, "gone", pid, st, 1);
        assert_int_equal(registry_claim(f->regfd, "gone", &err), 0);
        assert_int_equal(registry_write(f->regfd, &e, &err), 0);
        assert_int_equal(lease_take(f->regfd, "audit", UUID_A, "gone", &err), 0);
        register_live(f->regfd, "web1", 2);
        assert_int_equal(lease_take(f->regfd, "audit", UUID_A, "web1", &err), 0);
        holder = lease_holder(f->regfd, "audit-" UUID_A);
        assert_string_equal(holder, "web1");
        free(holder);

        /* Holder never registered, or removed since. */
        assert_int_equal(lease_take(f->regfd, "audit", "x", "ghost", &err), 0);
        assert_int_equal(lease_take(f->regfd, "audit", "x", "web1", &err), 0);
        assert_int_equal(lease_take(f->regfd, "audit", "y", "web1", &err), 0);
        assert_int_equal(registry_remove(f->regfd, "web1", &err), 0);
        register_live(f->regfd, "db2", 3);
        assert_int_equal(lease_take(f->regfd, "audit", "y", "db2", &err), 0);
        holder = lease_holder(f->regfd, "audit-y");
        assert_string_equal(holder, "db2");
        free(holder);
}

static void test_entry_json(void **state)
{
        struct registry_entry e, got;
        struct pal_err err = { 0 };
        struct json *v;

        make_entry(&e, "web1", 42, 7, 1700000000);
        e.n_ns = 0;
        v = registry_entry_to_json(&e);
        assert_non_null(v);
        assert_int_equal(registry_entry_from_json(v, &got, &err), 0);
        assert_string_equal(got.id, "web1");
        assert_int_equal(got.pid, 42);
        assert_int_equal(got.start_time, 7);
        assert_int_equal(got.n_ns, 0);
        assert_string_equal(got.uid_map, "");
        json_free(v);

        /* A user namespace of its own: both ID maps kept. */
        snprintf(e.uid_map, sizeof(e.uid_map), "0 100000 65536");
        snprintf(e.gid_map, sizeof(e.gid_map), "0 100000 65536; 65536 5000 1");
        v = registry_entry_to_json(&e);
        assert_int_equal(registry_entry_from_json(v, &got, &err), 0);
        assert_string_equal(got.uid_map, "0 100000 65536");
        assert_string_equal(got.gid_map, "0 100000 65536; 65536 5000 1");
        json_set(v, "gid_map", json_new_int(1));
        assert_int_equal(registry_entry_from_json(v, &got, &err), -EINVAL);
        assert_string_equal(err.msg, "gid_map: missing or invalid");
        json_set(v, "gid_map", json_new_string(e.gid_map));

        /* Damaged entries: each field is checked. */
        json_set(v, "pid", json_new_int(-1));
        assert_int_equal(registry_entry_from_json(v, &got, &err), -ERANGE);
        assert_string_equal(err.msg, "pid: -1 is out of range [0, 2147483647]");
        json_set(v, "pid", json_new_string("42"));
        assert_int_equal(registry_entry_from_json(v, &got, &err), -EINVAL);
        assert_string_equal(err.msg, "pid: expected an integer, got a string");
        json_set(v, "pid", json_new_int(42));
        json_set(v, "audit_id", json_new_string("1b4e28ba-2fa1-11d2-883f-0016d3cca427-and-more"));
        assert_int_equal(registry_entry_from_json(v, &got, &err), -EINVAL);
        assert_string_equal(err.msg, "audit_id: missing or invalid");
        json_set(v, "audit_id", json_new_string(""));
        json_set(v, "namespaces", json_new(JSON_ARRAY));
        assert_int_equal(registry_entry_from_json(v, &got, &err), -EINVAL);
        assert_string_equal(err.msg, "namespaces: missing or invalid");
        json_free(v);

        v = json_new(JSON_ARRAY);
        assert_int_equal(registry_entry_from_json(v, &got, &err), -EINVAL);
        assert_string_equal(err.msg, "not an object");
        json_free(v);
}

/* A container its own filter killed at once shows Seccomp: 3 (SECCOMP_MODE_DEAD): its entry still loads. */
static void test_seccomp_dead_loads(void **state)
{
        struct fixture *f = *state;
        struct registry_entry e, got;
        struct pal_err err = { 0 };
        struct registry_entry *list = NULL;
        size_t n = 0;

        make_entry(&e, "killed", getpid(), start_time_of(getpid()), 1700000000);
        e.seccomp_seen = true;
        e.seccomp_mode = PROC_SECCOMP_DEAD;
        e.seccomp_filters = 1;
        assert_int_equal(registry_claim(f->regfd, "killed", &err), 0);
        assert_int_equal(registry_write(f->regfd, &e, &err), 0);
        assert_int_equal(registry_read(f->regfd, "killed", &got, &err), 0);
        assert_true(got.seccomp_seen);
        assert_int_equal(got.seccomp_mode, 3);
        assert_int_equal(registry_list(f->regfd, &list, &n, &err), 0);
        assert_int_equal(n, 1);
        free(list);

        /* What would not load is never written: the old entry stays. */
        e.seccomp_mode = 4;
        assert_int_equal(registry_write(f->regfd, &e, &err), -ERANGE);
        assert_string_equal(err.msg, "registry entry killed: would not load: mode: 4 is out of range [0, 3]");
        assert_int_equal(registry_read(f->regfd, "killed", &got, &err), 0);
        assert_int_equal(got.seccomp_mode, 3);
}

static void test_open_missing(void **state)
{
        struct pal_err err = { 0 };

        assert_int_equal(registry_open("/nonexistent/palisade", false, &err), -ENOENT);
        assert_string_equal(err.msg, "/nonexistent/palisade: open: No such file or directory");
}

/* Two stops of one container: the second waits, then finds it stopped, even if the ID is registered anew. */
static void test_lock_serialises_stops(void **state)
{
        struct fixture *f = *state;
        struct pal_err err = { 0 };
        int lock, status, ready[2];
        char c;
        pid_t child;

        assert_int_equal(registry_lock(f->regfd, "web1", &err), -ENOENT);
        register_live(f->regfd, "web1", 1);
        lock = registry_lock(f->regfd, "web1", &err);
        assert_true(lock >= 0);
        assert_int_equal(pipe(ready), 0);
        child = fork();
        assert_true(child >= 0);
        if (child == 0) {
                struct pal_err e = { 0 };
                int r;

                close(ready[0]);
                close(lock);    /* the parent's lock, not to be held twice through a shared description */
                if (write(ready[1], "x", 1) != 1)
                        _exit(2);
                r = registry_lock(f->regfd, "web1", &e);        /* blocks until the parent lets go */
                _exit(r == -ENOENT && strcmp(e.msg, "registry entry web1: stopped meanwhile") == 0 ? 0 : 1);
        }
        close(ready[1]);
        assert_int_equal(read(ready[0], &c, 1), 1);
        close(ready[0]);
        usleep(200 * 1000);
        assert_int_equal(waitpid(child, &status, WNOHANG), 0);  /* still waiting */
        /* The first stop removes the entry; a new create claims the ID before the lock goes. */
        assert_int_equal(registry_remove(f->regfd, "web1", &err), 0);
        register_live(f->regfd, "web1", 2);
        close(lock);
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        /* The new entry is untouched, and can be locked. */
        lock = registry_lock(f->regfd, "web1", &err);
        assert_true(lock >= 0);
        close(lock);
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
                cmocka_unit_test_setup_teardown(test_claim_live_twice, setup, teardown),
                cmocka_unit_test_setup_teardown(test_claim_reclaims_stale, setup, teardown),
                cmocka_unit_test_setup_teardown(test_invalid_ids, setup, teardown),
                cmocka_unit_test_setup_teardown(test_lease_between_live_owners, setup, teardown),
                cmocka_unit_test_setup_teardown(test_lease_reclaim, setup, teardown),
                cmocka_unit_test_setup_teardown(test_lock_serialises_stops, setup, teardown),
                cmocka_unit_test(test_entry_json),
                cmocka_unit_test_setup_teardown(test_seccomp_dead_loads, setup, teardown),
                cmocka_unit_test(test_open_missing),
        };

        return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
