/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cgroup v2 device program, for real: generated, loaded by the kernel's
 * verifier, attached to a cgroup of this test's, and judged by opening
 * devices from a process inside it. Needs root and cgroup2.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/devbpf.h"
#include "unit.h"

#define CGROUP2_MAGIC 0x63677270

static char cgdir[256];
static int cgfd = -1;

static int setup(void **state)
{
        static const char *const roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
        struct statfs sf;

        (void) state;
        for (size_t i = 0; i < N_ELEMENTS(roots); i++)
                if (statfs(roots[i], &sf) == 0 && sf.f_type == CGROUP2_MAGIC) {
                        snprintf(cgdir, sizeof(cgdir), "%s/palisade-unit-%d", roots[i], (int) getpid());
                        if (mkdir(cgdir, 0755) < 0)
                                return -1;
                        cgfd = open(cgdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        return cgfd < 0 ? -1 : 0;
                }
        print_message("# no cgroup2 mount: cannot test device programs\n");
        return -1;
}

static int teardown(void **state)
{
        (void) state;
        if (cgfd >= 0)
                close(cgfd);
        rmdir(cgdir);
        return 0;
}

/* errno of opening path with flags from a child inside the test cgroup (0: opened). */
static int try_open(const char *path, int flags)
{
        pid_t pid = fork();
        int status;

        if (pid == 0) {
                char procs[300], me[16];
                int fd, n;

                snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgdir);
                n = snprintf(me, sizeof(me), "%d", (int) getpid());
                fd = open(procs, O_WRONLY);
                if (fd < 0 || write(fd, me, (size_t) n) != n)
                        _exit(200);
                close(fd);
                fd = open(path, flags | O_CLOEXEC);
                _exit(fd >= 0 ? 0 : errno);
        }
        waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

static struct devbpf_rule rule(bool allow, const char *text)
{
        struct devbpf_rule r = { .allow = allow };
        struct pal_err err;
        assert_int_equal(devrule_parse(text, &r.rule, &err), 0);
        return r;
}

static int attached(void)
{
        uint32_t ids[8];
        union bpf_attr attr = { 0 };

        attr.query.target_fd = (uint32_t) cgfd;
        attr.query.attach_type = BPF_CGROUP_DEVICE;
        attr.query.prog_ids = (uint64_t) (uintptr_t) ids;
        attr.query.prog_cnt = 8;
        if (syscall(SYS_bpf, BPF_PROG_QUERY, &attr, sizeof(attr)) < 0)
                return -1;
        return (int) attr.query.prog_cnt;
}

static void test_rules_decide(void **state)
{
        /* As a runtime writes them: deny all, then allows; a later deny takes back writes of /dev/null. */
        struct devbpf_rule rules[] = {
                rule(false, "a"), rule(true, "c 1:3 rwm"), rule(true, "c 1:5 r"), rule(true, "c 1:* m"),
                rule(false, "c 1:3 w"),
        };
        struct pal_err err = { 0 };
        int prog;

        (void) state;
        prog = devbpf_load(rules, N_ELEMENTS(rules), &err);
        if (prog < 0)
                fail_msg("%s", err.msg);
        assert_int_equal(devbpf_install(cgfd, prog, &err), 0);
        assert_int_equal(attached(), 1);
        assert_int_equal(try_open("/dev/null", O_RDONLY), 0);
        assert_int_equal(try_open("/dev/null", O_WRONLY), EPERM);     /* the last rule */
        assert_int_equal(try_open("/dev/zero", O_RDONLY), 0);
        assert_int_equal(try_open("/dev/zero", O_RDWR), EPERM);       /* w not allowed */
        assert_int_equal(try_open("/dev/full", O_RDONLY), EPERM);     /* never allowed */
        assert_int_equal(try_open("/dev/urandom", O_RDONLY), EPERM);
        close(prog);
}

static void test_replace_is_atomic_and_exact(void **state)
{
        struct devbpf_rule only_full[] = { rule(true, "c 1:7 rwm") };
        struct pal_err err = { 0 };
        int prog;

        (void) state;
        /* The previous test's program is there: replaced, not added to. */
        assert_int_equal(attached(), 1);
        prog = devbpf_load(only_full, N_ELEMENTS(only_full), &err);
        if (prog < 0)
                fail_msg("%s", err.msg);
        assert_int_equal(devbpf_install(cgfd, prog, &err), 0);
        assert_int_equal(attached(), 1);
        assert_int_equal(try_open("/dev/full", O_RDWR), 0);
        assert_int_equal(try_open("/dev/null", O_RDONLY), EPERM);
        close(prog);
}

static void test_too_many_rules(void **state)
{
        static struct devbpf_rule many[DEVBPF_MAX_RULES + 1];
        struct pal_err err = { 0 };

        (void) state;
        assert_int_equal(devbpf_load(many, N_ELEMENTS(many), &err), -E2BIG);
        assert_string_equal(err.msg, "more than 256 device rules");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_rules_decide),
                cmocka_unit_test(test_replace_is_atomic_and_exact),
                cmocka_unit_test(test_too_many_rules),
        };
        return cmocka_run_group_tests_name("devbpf", tests, setup, teardown);
}
