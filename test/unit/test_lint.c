/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lint_rootfs / lint_bundle: what the rootfs on disk holds (a dev that is a symbolic link). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/lint.h"
#include "lib/cleanup.h"
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

static struct oci_spec *parse(const char *doc)
{
        struct oci_spec *s = NULL;
        struct pal_err err = { 0 };

        if (oci_spec_parse(doc, strlen(doc), &s, &err) < 0)
                fail_msg("%s: %s", doc, err.msg);
        return s;
}

/* The finding at key PATH, or NULL. */
static const struct finding *at(const struct finding *f, size_t n, const char *path)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(f[i].path, path) == 0)
                        return &f[i];
        return NULL;
}

/* A finding at PATH saying WHAT, of severity SEV. */
static void expect(const struct finding *f, size_t n, const char *path, enum severity sev, const char *what)
{
        const struct finding *x = NULL;

        for (size_t i = 0; i < n && !x; i++)
                if (strcmp(f[i].path, path) == 0 && strcmp(f[i].what, what) == 0)
                        x = &f[i];
        if (!x)
                fail_msg("no finding at %s: %s", path, what);
        assert_int_equal(x->severity, sev);
        assert_non_null(x->why);
        assert_non_null(x->fix);
}

static bool joins_host(const struct finding *f, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (strncmp(f[i].what, "joins the host's", 16) == 0)
                        return true;
        return false;
}

#define NS_OWN "{\"type\":\"mount\"},{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"}"

/* Host paths bound into the container, and a second proc or sysfs outside /proc and /sys. */
static void test_host_mounts(void **state)
{
        struct finding out[LINT_MAX_FINDINGS];
        struct oci_spec *s = parse("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"mounts\":["
                "{\"destination\":\"/host\",\"type\":\"bind\",\"source\":\"/\",\"options\":[\"rbind\",\"rw\"]},"
                "{\"destination\":\"/s\",\"source\":\"/var/run/docker.sock\",\"options\":[\"bind\",\"ro\"]},"
                "{\"destination\":\"/sh\",\"type\":\"none\",\"source\":\"/etc/shadow\",\"options\":[\"rbind\",\"ro\"]},"
                "{\"destination\":\"/v\",\"type\":\"bind\",\"source\":\"//var/\",\"options\":[\"rbind\"]},"
                "{\"destination\":\"/p\",\"type\":\"proc\",\"source\":\"proc\"},"
                "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                "{\"destination\":\"/hp\",\"type\":\"bind\",\"source\":\"/proc\",\"options\":[\"rbind\"]},"
                "{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"/srv/data\",\"options\":[\"rbind\"]},"
                "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/var/lib/docker/containers/x/hosts\","
                "\"options\":[\"rbind\"]},"
                "{\"destination\":\"/s2\",\"type\":\"sysfs\",\"source\":\"sysfs\"},"
                "{\"destination\":\"/s3\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"ro\"]},"
                "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"/\"},"
                "{\"destination\":\"/sys\",\"type\":\"none\",\"source\":\"/sys\",\"options\":[\"rbind\",\"ro\"]},"
                "{\"destination\":\"/sys2\",\"type\":\"none\",\"source\":\"/sys\",\"options\":[\"rbind\",\"ro\"]}]}");
        size_t n = lint_spec(s, out);

        expect(out, n, "mounts[0].source", SEVERITY_CRITICAL, "binds the host's / into the container");
        expect(out, n, "mounts[1].source", SEVERITY_CRITICAL,
               "binds the host's /run/docker.sock into the container read-only");
        expect(out, n, "mounts[2].source", SEVERITY_MEDIUM,
               "binds the host's /etc/shadow (in /etc) into the container read-only");
        expect(out, n, "mounts[3].source", SEVERITY_HIGH,
               "binds the host's /var (holding /var/lib/docker) into the container");
        expect(out, n, "mounts[4]", SEVERITY_CRITICAL, "a proc mount at /p, outside /proc");
        assert_null(at(out, n, "mounts[5]"));
        expect(out, n, "mounts[6].source", SEVERITY_CRITICAL, "binds the host's /proc into the container");
        assert_null(at(out, n, "mounts[7].source"));
        assert_null(at(out, n, "mounts[8].source"));
        expect(out, n, "mounts[9]", SEVERITY_HIGH, "a sysfs mount at /s2, outside /sys");
        assert_null(at(out, n, "mounts[10]"));
        assert_null(at(out, n, "mounts[11].source"));          /* not a bind: a tmpfs's source is a name */
        assert_null(at(out, n, "mounts[12].source"));          /* runc spec --rootless: as a ro sysfs */
        expect(out, n, "mounts[13].source", SEVERITY_MEDIUM, "binds the host's /sys into the container read-only");
        for (size_t i = 0; i < n; i++)
                assert_false(out[i].refuse);
        oci_spec_free(s);
}

/* Every spelling of a host process's namespace; another process's only when it is the host's. */
static void test_host_namespace_paths(void **state)
{
        static const char *const host[] = { "/proc/1/ns/net", "/proc/self/ns/net", "/proc/thread-self/ns/net",
                                            "/proc/1/task/1/ns/net", "//proc/./self/task/7/ns/net" };
        struct finding out[LINT_MAX_FINDINGS];
        char doc[512], what[128];

        for (size_t i = 0; i < ARRAY_SIZE(host); i++) {
                snprintf(doc, sizeof(doc), "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"linux\":{"
                         "\"namespaces\":[" NS_OWN ",{\"type\":\"network\",\"path\":\"%s\"}]}}", host[i]);
                struct oci_spec *s = parse(doc);
                size_t n = lint_spec(s, out);
                snprintf(what, sizeof(what), "joins the host's network namespace (%s)", host[i]);
                expect(out, n, "linux.namespaces", SEVERITY_MEDIUM, what);
                oci_spec_free(s);
        }
        /* This process is in the host's network namespace: lint_bundle looks, lint_spec cannot know. */
        snprintf(doc, sizeof(doc), "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"linux\":{"
                 "\"namespaces\":[" NS_OWN ",{\"type\":\"network\",\"path\":\"/proc/%d/ns/net\"}]}}", (int) getpid());
        struct oci_spec *s = parse(doc);
        size_t n = lint_spec(s, out);
        assert_false(joins_host(out, n));
        n = lint_bundle(s, NULL, out);
        snprintf(what, sizeof(what), "joins the host's network namespace (/proc/%d/ns/net)", (int) getpid());
        expect(out, n, "linux.namespaces", SEVERITY_MEDIUM, what);
        oci_spec_free(s);
        /* A namespace of its own, and another process's that is not the host's: nothing. */
        s = parse("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[" NS_OWN
                  ",{\"type\":\"network\",\"path\":\"/proc/1/nsx/net\"},{\"type\":\"user\"}]}}");
        n = lint_bundle(s, NULL, out);
        assert_false(joins_host(out, n));
        oci_spec_free(s);
}

/* A sysctl of a namespace the container shares with the host is critical and refused whatever refuse_at says. */
static void test_sysctl_namespaces(void **state)
{
        struct finding out[LINT_MAX_FINDINGS];
        struct oci_spec *s = parse("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"linux\":{"
                "\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"network\",\"path\":\"/proc/thread-self/ns/net\"},"
                "{\"type\":\"uts\"}],"
                "\"sysctl\":{\"net.ipv4.ip_forward\":\"1\",\"net/ipv4/ping_group_range\":\"0 0\","
                "\"kernel.shmmax\":\"1\",\"fs.mqueue.msg_max\":\"20\",\"kernel.hostname\":\"x\","
                "\"kernel.core_pattern\":\"|/x\",\"vm.overcommit_memory\":\"1\"}}}");
        size_t n = lint_spec(s, out);
        char doc[512], what[160];
        const struct finding *f;

        expect(out, n, "linux.sysctl[\"net.ipv4.ip_forward\"]", SEVERITY_CRITICAL,
               "sets net.ipv4.ip_forward in the host's network namespace (/proc/thread-self/ns/net)");
        expect(out, n, "linux.sysctl[\"net/ipv4/ping_group_range\"]", SEVERITY_CRITICAL,
               "sets net/ipv4/ping_group_range in the host's network namespace (/proc/thread-self/ns/net)");
        expect(out, n, "linux.sysctl[\"kernel.shmmax\"]", SEVERITY_CRITICAL,
               "sets kernel.shmmax in the host's ipc namespace (it has none of its own)");
        expect(out, n, "linux.sysctl[\"fs.mqueue.msg_max\"]", SEVERITY_CRITICAL,
               "sets fs.mqueue.msg_max in the host's ipc namespace (it has none of its own)");
        assert_null(at(out, n, "linux.sysctl[\"kernel.hostname\"]"));   /* its own UTS namespace */
        expect(out, n, "linux.sysctl[\"kernel.core_pattern\"]", SEVERITY_CRITICAL,
               "sets kernel.core_pattern, which is not namespaced");
        expect(out, n, "linux.sysctl[\"vm.overcommit_memory\"]", SEVERITY_CRITICAL,
               "sets vm.overcommit_memory, which is not namespaced");
        for (size_t i = 0; i < n; i++)
                if (strncmp(out[i].path, "linux.sysctl", 12) == 0)
                        assert_true(out[i].refuse);
        f = at(out, n, "linux.sysctl[\"net.ipv4.ip_forward\"]");
        assert_string_equal(f->fix, "give the container a network namespace of its own ({\"type\": \"network\"} "
                                    "without a path), or remove the key");
        oci_spec_free(s);

        /* Its own namespaces, or another's joined by path (Podman's /run/netns/netns-..., a pod's): its to tune. */
        s = parse("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":["
                  "{\"type\":\"network\",\"path\":\"/run/netns/netns-c57f52f1\"},{\"type\":\"ipc\"}],"
                  "\"sysctl\":{\"net.ipv4.ping_group_range\":\"0 0\",\"kernel.shmmax\":\"1\"}}}");
        n = lint_bundle(s, NULL, out);
        for (size_t i = 0; i < n; i++)
                assert_int_not_equal(strncmp(out[i].path, "linux.sysctl", 12), 0);
        oci_spec_free(s);

        /* The host's namespace under a name of its own: only a look at the inode tells (lint_bundle). */
        snprintf(doc, sizeof(doc), "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"linux\":{"
                 "\"namespaces\":[{\"type\":\"network\",\"path\":\"/proc/%d/ns/net\"}],"
                 "\"sysctl\":{\"net.ipv4.ip_forward\":\"1\"}}}", (int) getpid());
        s = parse(doc);
        n = lint_spec(s, out);
        assert_null(at(out, n, "linux.sysctl[\"net.ipv4.ip_forward\"]"));
        n = lint_bundle(s, NULL, out);
        snprintf(what, sizeof(what), "sets net.ipv4.ip_forward in the host's network namespace (/proc/%d/ns/net)",
                 (int) getpid());
        expect(out, n, "linux.sysctl[\"net.ipv4.ip_forward\"]", SEVERITY_CRITICAL, what);
        oci_spec_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_dev_links, setup, teardown),
                cmocka_unit_test_setup_teardown(test_no_finding, setup, teardown),
                cmocka_unit_test_setup_teardown(test_spec_and_bundle, setup, teardown),
                cmocka_unit_test(test_host_mounts),
                cmocka_unit_test(test_host_namespace_paths),
                cmocka_unit_test(test_sysctl_namespaces),
        };
        return cmocka_run_group_tests_name("lint", tests, NULL, NULL);
}
