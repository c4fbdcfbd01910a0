/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lint_rootfs / lint_bundle: what the rootfs on disk holds (a dev that is a symbolic link). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hooks/lint.h"
#include "unit.h"

#define OUT_WHY "runc and crun would create device nodes and links where it leads, outside the rootfs, before any hook runs"
#define IN_WHY "runc and crun follow it on the host to create device nodes and links, before any hook runs: " \
               "changed to lead outside the rootfs, it takes them there"

struct fixture {
        char dir[64];           /* the bundle */
        int fd;
};

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof(*f));

        if (!f)
                return -1;
        snprintf(f->dir, sizeof(f->dir), "/tmp/palisade-unit-XXXXXX");
        if (!mkdtemp(f->dir))
                return -1;
        f->fd = open(f->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (f->fd < 0 || mkdirat(f->fd, "rootfs", 0755) < 0)
                return -1;
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;

        close(f->fd);
        unit_rm_tree(f->dir);
        free(f);
        return 0;
}

static struct oci_spec *spec_with_root(const char *root)
{
        char doc[512];
        struct oci_spec *s = NULL;
        struct pal_err err = { 0 };
        int n = snprintf(doc, sizeof(doc), "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"%s\"}}", root);

        assert_int_equal(oci_spec_parse(doc, (size_t) n, &s, &err), 0);
        return s;
}

/* dev in the fixture's rootfs becomes a link to TARGET (NULL: a directory; "": nothing). */
static void make_dev(struct fixture *f, const char *target)
{
        (void) unlinkat(f->fd, "rootfs/dev", 0);
        (void) unlinkat(f->fd, "rootfs/dev", AT_REMOVEDIR);
        if (!target)
                assert_int_equal(mkdirat(f->fd, "rootfs/dev", 0755), 0);
        else if (target[0])
                assert_int_equal(symlinkat(target, f->fd, "rootfs/dev"), 0);
}

static void expect_link(struct fixture *f, const struct oci_spec *s, const char *bundle, const char *shown,
                        const char *target, const char *why)
{
        struct finding out[LINT_MAX_FINDINGS];
        char what[512];

        assert_int_equal(lint_rootfs(s, bundle, out), 1);
        snprintf(what, sizeof(what), "%s/dev is a symbolic link (to \"%s\")", shown, target);
        assert_int_equal(out[0].severity, SEVERITY_CRITICAL);
        assert_string_equal(out[0].path, "root.path");
        assert_string_equal(out[0].what, what);
        assert_string_equal(out[0].why, why);
        assert_string_equal(out[0].fix, "make dev a directory");
        assert_true(out[0].refuse);
}

static void test_dev_links(void **state)
{
        struct fixture *f = *state;
        struct oci_spec *s = spec_with_root("rootfs");
        char rootfs[128], climb[256];

        snprintf(rootfs, sizeof(rootfs), "%s/rootfs", f->dir);
        /* Followed on the host: /tmp (the fixture's parent); inside the root, rootfs/tmp. */
        snprintf(climb, sizeof(climb), "../../../../../../../../tmp");
        make_dev(f, climb);
        expect_link(f, s, f->dir, rootfs, climb, OUT_WHY);
        make_dev(f, "/dev");
        expect_link(f, s, f->dir, rootfs, "/dev", OUT_WHY);
        /* A magic link is not followed: ELOOP, as outside. */
        make_dev(f, "/proc/self/root");
        expect_link(f, s, f->dir, rootfs, "/proc/self/root", OUT_WHY);
        /* Inside the rootfs, or nowhere yet: refused all the same (it can change after the check). */
        assert_int_equal(mkdirat(f->fd, "rootfs/mydev", 0755), 0);
        make_dev(f, "mydev");
        expect_link(f, s, f->dir, rootfs, "mydev", IN_WHY);
        make_dev(f, "missing");
        expect_link(f, s, f->dir, rootfs, "missing", IN_WHY);
        /* A target holding a newline stays one line. */
        make_dev(f, "a\nb");
        expect_link(f, s, f->dir, rootfs, "a?b", IN_WHY);
        oci_spec_free(s);

        /* An absolute root.path, with trailing slashes. */
        snprintf(climb, sizeof(climb), "%s/rootfs//", f->dir);
        s = spec_with_root(climb);
        make_dev(f, "/dev");
        expect_link(f, s, NULL, rootfs, "/dev", OUT_WHY);
        oci_spec_free(s);
}

static void test_no_finding(void **state)
{
        struct fixture *f = *state;
        struct finding out[LINT_MAX_FINDINGS];
        struct oci_spec *s = spec_with_root("rootfs");
        struct oci_spec *missing = spec_with_root("nothing-here");
        struct oci_spec *outside = spec_with_root("../..");

        make_dev(f, NULL);
        assert_int_equal(lint_rootfs(s, f->dir, out), 0);
        make_dev(f, "");
        assert_int_equal(lint_rootfs(s, f->dir, out), 0);
        /* Not a link: not this check's business (the runtime refuses a file). */
        assert_int_equal(mknodat(f->fd, "rootfs/dev", S_IFREG | 0644, 0), 0);
        assert_int_equal(lint_rootfs(s, f->dir, out), 0);
        /* The rootfs cannot be opened: left to the runtime and the guards. */
        make_dev(f, "/dev");
        assert_int_equal(lint_rootfs(s, NULL, out), 0);
        assert_int_equal(lint_rootfs(missing, f->dir, out), 0);
        assert_int_equal(lint_rootfs(outside, f->dir, out), 0);
        oci_spec_free(s);
        oci_spec_free(missing);
        oci_spec_free(outside);
}

static void test_spec_and_bundle(void **state)
{
        struct fixture *f = *state;
        struct finding pure[LINT_MAX_FINDINGS], all[LINT_MAX_FINDINGS];
        struct oci_spec *s = spec_with_root("rootfs");
        size_t n, m;

        make_dev(f, "/dev");
        /* lint_spec is pure: it never looks at the disk. */
        n = lint_spec(s, pure);
        for (size_t i = 0; i < n; i++) {
                assert_string_not_equal(pure[i].path, "root.path");
                assert_false(pure[i].refuse);
        }
        /* lint_bundle: the same findings, and the rootfs's first (root.path's come first). */
        m = lint_bundle(s, f->dir, all);
        assert_int_equal(m, n + 1);
        assert_string_equal(all[0].path, "root.path");
        assert_true(all[0].refuse);
        for (size_t i = 0; i < n; i++) {
                assert_string_equal(all[i + 1].path, pure[i].path);
                assert_string_equal(all[i + 1].what, pure[i].what);
        }
        assert_int_equal(lint_worst(all, m), SEVERITY_CRITICAL);
        oci_spec_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_dev_links, setup, teardown),
                cmocka_unit_test_setup_teardown(test_no_finding, setup, teardown),
                cmocka_unit_test_setup_teardown(test_spec_and_bundle, setup, teardown),
        };
        return cmocka_run_group_tests_name("lint", tests, NULL, NULL);
}
