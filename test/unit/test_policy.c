/* SPDX-License-Identifier: GPL-2.0-or-later */
/* policy_parse / policy_load: the host policy file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "guards/guard.h"
#include "lib/fileio.h"
#include "oci/policy.h"
#include "unit.h"

/* Guards for the tables, so that they do not depend on which guards exist yet. */
static const char *const test_guards[] = { "audit", "devices", "caps", "seccomp", "check", "uidmap", NULL };

/* devices.spec_allow by default: the standard set clients write, no more. */
static void assert_spec_allow_standard(const struct policy *p)
{
        static const char *const want[] = { "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm",
                                            "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm" };
        char text[48];

        assert_int_equal(p->devices.n_spec_allow, N_ELEMENTS(want));
        for (size_t i = 0; i < N_ELEMENTS(want); i++) {
                devrule_format(&p->devices.spec_allow[i], text, sizeof(text));
                assert_string_equal(text, want[i]);
        }
}

static void assert_defaults(const struct policy *p)
{
        assert_int_equal(p->n_guards, 6);
        assert_string_equal(p->guards[0], "userns");
        assert_string_equal(p->guards[1], "devices");
        assert_string_equal(p->guards[2], "caps");
        assert_string_equal(p->guards[3], "seccomp");
        assert_string_equal(p->guards[4], "check");
        assert_string_equal(p->guards[5], "audit");
        assert_int_equal(p->runtime_annotations.n_allow, 1);
        assert_string_equal(p->runtime_annotations.allow[0], "run.oci.hooks.stderr");
        assert_true(policy_runtime_annotation_allowed(p, "run.oci.hooks.stderr"));
        assert_false(policy_runtime_annotation_allowed(p, "run.oci.seccomp_bpf_data"));
        assert_int_equal(p->hooks.n_allow, 1);
        assert_string_equal(p->hooks.allow[0], "/usr/sbin/dockerd libnetwork-setkey");
        assert_string_equal(p->seccomp.default_profile, "builtin");
        assert_true(p->seccomp.accept_annotation);
        assert_false(p->seccomp.required);
        assert_false(p->seccomp.refuse_unknown);
        assert_true(policy_guard_enabled(p, "audit"));
        assert_false(policy_guard_enabled(p, "uidmap"));
        assert_string_equal(p->state_dir, "/run/palisade");
        assert_false(p->audit.required);
        assert_true(p->audit.accept_annotation);
        assert_string_equal(p->audit.journal, "/var/log/palisade/journal.jsonl");
        assert_string_equal(p->runtime.path, "");
        assert_string_equal(p->runtime.hook, "");
        assert_int_equal(p->caps.drop, 0);
        assert_int_equal(p->caps.never, 0);
        assert_int_equal(p->caps.add_privileged, 0);
        assert_int_equal(p->caps.add_unprivileged, 0);
        assert_int_equal(p->check.refuse_at, SEVERITY_NONE);
        assert_int_equal(p->devices.n_defaults, 0);
        assert_int_equal(p->devices.n_deny, 0);
        assert_false(p->devices.allow_broad);
        assert_spec_allow_standard(p);
        assert_int_equal(p->userns.mode, USERNS_KEEP);
        assert_false(p->userns.annotation_may_loosen);
        assert_int_equal(p->userns.pool_start, 1000000);
        assert_int_equal(p->userns.range_size, 65536);
        assert_int_equal(p->userns.pool_count, 1024);
        assert_int_equal(p->userns.n_reserved, 0);
        assert_string_equal(p->userns.subuid, "/etc/subuid");
        assert_string_equal(p->userns.subgid, "/etc/subgid");
        assert_string_equal(p->userns.subid_user, "root");
        assert_false(p->userns.chown_fallback);
}

static void test_empty_object_gives_defaults(void **state)
{
        struct policy *p = NULL;
        struct pal_err err = { 0 };

        assert_int_equal(policy_parse("{}", 2, test_guards, &p, &err), 0);
        assert_defaults(p);
        policy_free(p);
        policy_free(NULL);
}

/* The file shipped at the repository root is exactly the defaults, with every key shown. */
static void test_config_example(void **state)
{
        const char *srcdir = getenv("PALISADE_SRCDIR");
        char path[4096];
        char *buf = NULL;
        size_t len;
        struct policy *p = NULL;
        struct pal_err err = { 0 };

        snprintf(path, sizeof(path), "%s/config.example.json", srcdir && *srcdir ? srcdir : ".");
        if (read_file_at(AT_FDCWD, path, POLICY_MAX_BYTES, &buf, &len, &err) < 0)
                fail_msg("%s: %s (run from the repository root or set PALISADE_SRCDIR)", path, err.msg);
        assert_int_equal(policy_parse(buf, len, guard_names, &p, &err), 0);
        assert_defaults(p);
        /* Every key is spelt out, not left to the defaults. */
        assert_non_null(json_get(p->tree, "guards"));
        assert_non_null(json_get(p->tree, "state_dir"));
        assert_non_null(json_get(json_get(p->tree, "audit"), "required"));
        assert_non_null(json_get(json_get(p->tree, "audit"), "accept_annotation"));
        assert_non_null(json_get(json_get(p->tree, "audit"), "journal"));
        assert_non_null(json_get(json_get(p->tree, "runtime"), "path"));
        assert_non_null(json_get(json_get(p->tree, "runtime"), "hook"));
        assert_non_null(json_get(json_get(p->tree, "caps"), "drop"));
        assert_non_null(json_get(json_get(p->tree, "caps"), "never"));
        assert_non_null(json_get(json_get(json_get(p->tree, "caps"), "add"), "privileged"));
        assert_non_null(json_get(json_get(json_get(p->tree, "caps"), "add"), "unprivileged"));
        assert_non_null(json_get(json_get(p->tree, "check"), "refuse_at"));
        assert_non_null(json_get(json_get(p->tree, "devices"), "spec_allow"));
        policy_free(p);

        /* The embedded default is that file. */
        assert_int_equal(strlen(policy_embedded_default), len);
        assert_memory_equal(policy_embedded_default, buf, len);
        free(buf);
}

static void test_embedded_default(void **state)
{
        struct policy *p = NULL;
        struct pal_err err = { 0 };

        assert_int_equal(policy_parse(policy_embedded_default, strlen(policy_embedded_default), guard_names, &p,
                                      &err), 0);
        assert_defaults(p);
        policy_free(p);
}

static void test_full_policy(void **state)
{
        static const char no_spec_allow[] = "{\"devices\":{\"spec_allow\":[]}}";
        static const char doc[] =
                "{\"//\":\"comment\",\"// any\":[1,{}],"
                "\"guards\":[\"uidmap\",\"audit\"],\"state_dir\":\"/var/run/pal\","
                "\"audit\":{\"//journal\":\"x\",\"required\":true,\"accept_annotation\":false,"
                "\"journal\":\"/var/log/j.jsonl\"}}";
        struct policy *p = NULL;
        struct pal_err err = { 0 };

        assert_int_equal(policy_parse(doc, strlen(doc), test_guards, &p, &err), 0);
        assert_int_equal(p->n_guards, 2);
        assert_string_equal(p->guards[0], "uidmap");
        assert_string_equal(p->guards[1], "audit");
        assert_true(policy_guard_enabled(p, "uidmap"));
        assert_false(policy_guard_enabled(p, "devices"));
        assert_string_equal(p->state_dir, "/var/run/pal");
        assert_true(p->audit.required);
        assert_false(p->audit.accept_annotation);
        assert_string_equal(p->audit.journal, "/var/log/j.jsonl");
        policy_free(p);

        /* devices.spec_allow replaces the standard set: here, with nothing. */
        assert_int_equal(policy_parse(no_spec_allow, strlen(no_spec_allow), test_guards, &p, &err), 0);
        assert_int_equal(p->devices.n_spec_allow, 0);
        policy_free(p);

        /* runtime_annotations.allow and hooks.allow replace their defaults. */
        {
                static const char allow[] = "{\"runtime_annotations\":{\"allow\":[\"run.oci.handler\","
                                            "\"org.systemd.property.CPUWeight\"]},\"hooks\":{\"//\":1,\"allow\":"
                                            "[\"/usr/libexec/oci/hooks.d/nv\",\"/usr/bin/x argv0\"]}}";
                assert_int_equal(policy_parse(allow, strlen(allow), test_guards, &p, &err), 0);
                assert_int_equal(p->runtime_annotations.n_allow, 2);
                assert_true(policy_runtime_annotation_allowed(p, "org.systemd.property.CPUWeight"));
                assert_false(policy_runtime_annotation_allowed(p, "run.oci.hooks.stderr"));
                assert_false(policy_runtime_annotation_allowed(p, "org.systemd.property."));
                assert_int_equal(p->hooks.n_allow, 2);
                assert_string_equal(p->hooks.allow[1], "/usr/bin/x argv0");
                policy_free(p);
                assert_int_equal(policy_parse("{\"hooks\":{\"allow\":[]}}", 22, test_guards, &p, &err), 0);
                assert_int_equal(p->hooks.n_allow, 0);
                policy_free(p);
        }

        /* No guards at all is allowed (palisade then only checks annotations). */
        assert_int_equal(policy_parse("{\"guards\":[]}", 13, test_guards, &p, &err), 0);
        assert_int_equal(p->n_guards, 0);
        assert_false(policy_guard_enabled(p, "audit"));
        policy_free(p);
}

static void test_policy_load(void **state)
{
        static const char doc[] = "{\"state_dir\":\"/tmp/pal-state\"}";
        char file[] = "/tmp/palisade-unit-policy-XXXXXX";
        struct policy *p = NULL;
        struct pal_err err = { 0 };
        int fd = mkstemp(file);

        assert_true(fd >= 0);
        assert_int_equal(write(fd, doc, strlen(doc)), (ssize_t) strlen(doc));
        close(fd);

        assert_int_equal(setenv("PALISADE_CONFIG", file, 1), 0);
        assert_int_equal(policy_load(test_guards, &p, &err), 0);
        assert_string_equal(p->source, file);
        assert_string_equal(p->state_dir, "/tmp/pal-state");
        policy_free(p);

        fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC);
        assert_int_equal(write(fd, "{\"audit\":{\"journal\":\"j\"}}", 25), 25);
        close(fd);
        assert_int_equal(policy_load(test_guards, &p, &err), -EINVAL);
        assert_null(p);
        {
                char expect[256];
                snprintf(expect, sizeof(expect), "policy %s: audit.journal: \"j\" must be an absolute path", file);
                assert_string_equal(err.msg, expect);
        }
        unlink(file);

        /* A file named by PALISADE_CONFIG must exist: no silent fallback. */
        assert_int_equal(policy_load(test_guards, &p, &err), -ENOENT);
        {
                char expect[256];
                snprintf(expect, sizeof(expect), "policy %s: open: No such file or directory", file);
                assert_string_equal(err.msg, expect);
        }

        /* Without PALISADE_CONFIG: the default path (here a scratch one, so that the
         * host's /etc/palisade/config.json plays no part), else the embedded default. */
        unsetenv("PALISADE_CONFIG");
        assert_int_equal(policy_load_at(file, guard_names, &p, &err), 0);
        assert_string_equal(p->source, "(embedded default)");
        assert_defaults(p);
        policy_free(p);
        fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, doc, strlen(doc)), (ssize_t) strlen(doc));
        close(fd);
        assert_int_equal(policy_load_at(file, test_guards, &p, &err), 0);
        assert_string_equal(p->source, file);
        assert_string_equal(p->state_dir, "/tmp/pal-state");
        policy_free(p);
        unlink(file);
}

static const struct bad_case bad_policies[] = {
        BAD("policy: empty", "", -EINVAL, "truncated JSON (unexpected end of input at (root))"),
        BAD("policy: not JSON", "guards = audit", -EINVAL,
            "not valid JSON at byte 1, at (root): lexical error: invalid char in json text."),
        BAD("policy: truncated", "{\"audit\":{\"required\":tr", -EINVAL,
            "truncated JSON (unexpected end of input at audit.required)"),
        BAD("policy: real comment", "{\"guards\":[\"audit\"] // x\n}", -EINVAL,
            "not valid JSON at byte 20, at (root): lexical error: probable comment found in input text, "
            "comments are not enabled."),
        BAD("policy: an array", "[]", -EINVAL, "(root): expected an object, got an array"),
        BAD("policy: duplicate key", "{\"audit\":{\"required\":true,\"required\":false}}", -EINVAL,
            "audit.required: duplicate key (runc and Podman would use the last one, palisade refuses to guess)"),
        BAD("policy: duplicate comment key", "{\"//\":\"a\",\"//\":\"b\"}", -EINVAL,
            "[\"//\"]: duplicate key (runc and Podman would use the last one, palisade refuses to guess)"),

        BAD("policy: unknown top-level key", "{\"guard\":[\"audit\"]}", -EINVAL, "guard: unknown key"),
        BAD("policy: unknown key, case", "{\"State_dir\":\"/run/x\"}", -EINVAL, "State_dir: unknown key"),
        BAD("policy: single-slash comment", "{\"/guards\":1}", -EINVAL, "[\"/guards\"]: unknown key"),
        BAD("policy: unknown audit key", "{\"audit\":{\"//required\":1,\"requird\":true}}", -EINVAL,
            "audit.requird: unknown key"),

        BAD("policy: guards a string", "{\"guards\":\"audit\"}", -EINVAL, "guards: expected an array, got a string"),
        BAD("policy: guard a number", "{\"guards\":[1]}", -EINVAL, "guards[0]: expected a string, got a number"),
        BAD("policy: unknown guard", "{\"guards\":[\"audit\",\"selinux\"]}", -EINVAL,
            "guards[1]: unknown guard \"selinux\""),
        BAD("policy: guard name case", "{\"guards\":[\"Audit\"]}", -EINVAL, "guards[0]: unknown guard \"Audit\""),
        BAD("policy: guard listed twice", "{\"guards\":[\"audit\",\"uidmap\",\"audit\"]}", -EINVAL,
            "guards[2]: guard \"audit\" listed twice"),
        BAD("policy: too many guards",
            "{\"guards\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\",\"m\",\"n\",\"o\",\"p\",\"q\"]}",
            -EINVAL, "guards: more than 16 guards"),

        BAD("policy: state_dir relative", "{\"state_dir\":\"run/palisade\"}", -EINVAL,
            "state_dir: \"run/palisade\" must be an absolute path"),
        BAD("policy: state_dir empty", "{\"state_dir\":\"\"}", -EINVAL, "state_dir: \"\" must be an absolute path"),
        BAD("policy: state_dir /", "{\"state_dir\":\"/\"}", -EINVAL, "state_dir: \"/\" must be an absolute path"),
        BAD("policy: state_dir with ..", "{\"state_dir\":\"/run/../etc\"}", -EINVAL,
            "state_dir: \"/run/../etc\" must be an absolute path"),
        BAD("policy: state_dir ending in ..", "{\"state_dir\":\"/run/..\"}", -EINVAL,
            "state_dir: \"/run/..\" must be an absolute path"),
        BAD("policy: state_dir null", "{\"state_dir\":null}", -EINVAL, "state_dir: expected a string, got null"),
        BAD("policy: state_dir an array", "{\"state_dir\":[\"/run\"]}", -EINVAL,
            "state_dir: expected a string, got an array"),

        BAD("policy: audit an array", "{\"audit\":[]}", -EINVAL, "audit: expected an object, got an array"),
        BAD("policy: audit.required a string", "{\"audit\":{\"required\":\"yes\"}}", -EINVAL,
            "audit.required: expected a boolean, got a string"),
        BAD("policy: audit.required 1", "{\"audit\":{\"required\":1}}", -EINVAL,
            "audit.required: expected a boolean, got a number"),
        BAD("policy: accept_annotation null", "{\"audit\":{\"accept_annotation\":null}}", -EINVAL,
            "audit.accept_annotation: expected a boolean, got null"),
        BAD("policy: journal relative", "{\"audit\":{\"journal\":\"log/journal.jsonl\"}}", -EINVAL,
            "audit.journal: \"log/journal.jsonl\" must be an absolute path"),
        BAD("policy: journal with ..", "{\"audit\":{\"journal\":\"/var/log/../../etc/shadow\"}}", -EINVAL,
            "audit.journal: \"/var/log/../../etc/shadow\" must be an absolute path"),
        BAD("policy: journal a number", "{\"audit\":{\"journal\":5}}", -EINVAL,
            "audit.journal: expected a string, got a number"),
        BAD("policy: runtime.path relative", "{\"runtime\":{\"path\":\"runc\"}}", -EINVAL,
            "runtime.path: \"runc\" must be an absolute path"),
        BAD("policy: runtime unknown key", "{\"runtime\":{\"binary\":\"/usr/bin/runc\"}}", -EINVAL,
            "runtime.binary: unknown key"),
        BAD("policy: caps.drop unknown name", "{\"caps\":{\"drop\":[\"NET_RAW\",\"CAP_FLY\"]}}", -EINVAL,
            "caps.drop[1]: \"CAP_FLY\" is not a capability libcap knows (e.g. CAP_NET_RAW or net_raw)"),
        BAD("policy: caps.never a string", "{\"caps\":{\"never\":\"CAP_SYS_ADMIN\"}}", -EINVAL,
            "caps.never: expected an array, got a string"),
        BAD("policy: caps.add unknown kind", "{\"caps\":{\"add\":{\"root\":[]}}}", -EINVAL,
            "caps.add.root: unknown key"),
        BAD("policy: caps.add.unprivileged number", "{\"caps\":{\"add\":{\"unprivileged\":[12]}}}", -EINVAL,
            "caps.add.unprivileged[0]: expected a string, got a number"),
        BAD("policy: devices.cgroup unknown", "{\"devices\":{\"cgroup\":\"v3\"}}", -EINVAL,
            "devices.cgroup: \"v3\" is not auto, v1 or v2"),
        BAD("policy: devices.spec_allow bad rule", "{\"devices\":{\"spec_allow\":[\"c 10:229 rwm\", \"c 1:x\"]}}",
            -EINVAL, "devices.spec_allow[1]: \"c 1:x\": minor \"x\": expected a number or *"),
        BAD("policy: devices.deny bad rule", "{\"devices\":{\"deny\":[\"c 10:200 rwx\"]}}", -EINVAL,
            "devices.deny[0]: \"c 10:200 rwx\": access \"rwx\": 'x' is not one of r, w, m"),
        BAD("policy: devices.default unknown profile", "{\"devices\":{\"default\":[\"gpu\"]}}", -EINVAL,
            "devices.default[0]: no profile \"gpu\" in devices.profiles"),
        BAD("policy: device grant without path or rule", "{\"devices\":{\"profiles\":{\"x\":[{\"mode\":438}]}}}", -EINVAL,
            "devices.profiles.x[0]: give either \"path\" (a host device node) or \"rule\" (\"c 10:229 rwm\")"),
        BAD("policy: userns.mode unknown", "{\"userns\":{\"mode\":\"always\"}}", -EINVAL,
            "userns.mode: \"always\" is not keep, auto or require"),
        BAD("policy: userns.pool past 2^32", "{\"userns\":{\"pool\":{\"start\":4000000000,\"size\":65536,"
            "\"count\":10000}}}", -EINVAL, "userns.pool: start + size * count passes 2^32 - 1"),
        BAD("policy: userns.pool size 0", "{\"userns\":{\"pool\":{\"size\":0}}}", -ERANGE,
            "userns.pool.size: 0 is out of range [1, 4294967295]"),
        BAD("policy: userns.reserved without size", "{\"userns\":{\"reserved\":[{\"start\":5}]}}", -EINVAL,
            "userns.reserved[0]: give both \"start\" and \"size\""),
        BAD("policy: userns.unshiftable unknown", "{\"userns\":{\"unshiftable\":\"copy\"}}", -EINVAL,
            "userns.unshiftable: \"copy\" is not refuse or chown"),
        BAD("policy: userns unknown key", "{\"userns\":{\"range\":5}}", -EINVAL, "userns.range: unknown key"),
        BAD("policy: runtime_annotations unknown key", "{\"runtime_annotations\":{\"deny\":[]}}", -EINVAL,
            "runtime_annotations.deny: unknown key"),
        BAD("policy: runtime_annotations.allow a string", "{\"runtime_annotations\":{\"allow\":\"run.oci.handler\"}}",
            -EINVAL, "runtime_annotations.allow: expected an array, got a string"),
        BAD("policy: runtime_annotations.allow empty key", "{\"runtime_annotations\":{\"allow\":[\"\"]}}", -EINVAL,
            "runtime_annotations.allow[0]: \"\" is not an annotation key"),
        BAD("policy: runtime_annotations.allow key with a space",
            "{\"runtime_annotations\":{\"allow\":[\"run.oci.handler \"]}}", -EINVAL,
            "runtime_annotations.allow[0]: \"run.oci.handler \" is not an annotation key"),
        BAD("policy: hooks.allow relative", "{\"hooks\":{\"allow\":[\"sh\"]}}", -EINVAL,
            "hooks.allow[0]: \"sh\" is not \"PATH\" or \"PATH ARGV0\" with an absolute PATH"),
        BAD("policy: hooks.allow two args", "{\"hooks\":{\"allow\":[\"/bin/sh -c x\"]}}", -EINVAL,
            "hooks.allow[0]: \"/bin/sh -c x\" is not \"PATH\" or \"PATH ARGV0\" with an absolute PATH"),
        BAD("policy: hooks.allow a number", "{\"hooks\":{\"allow\":[1]}}", -EINVAL,
            "hooks.allow[0]: expected a string, got a number"),
        BAD("policy: hooks unknown key", "{\"hooks\":{\"prestart\":[]}}", -EINVAL, "hooks.prestart: unknown key"),
        BAD("policy: check.refuse_at unknown", "{\"check\":{\"refuse_at\":\"severe\"}}", -EINVAL,
            "check.refuse_at: \"severe\" is not one of none, low, medium, high, critical"),
};

static void test_bad_policy(void **state)
{
        const struct bad_case *c = *state;
        struct policy *p = (struct policy *) c; /* must be reset to NULL */
        struct pal_err err = { 0 };
        int r;

        r = policy_parse(c->text, c->len, test_guards, &p, &err);
        assert_null(p);
        check_bad(c, r, err.code, err.msg);
}

static void test_policy_limits(void **state)
{
        /* 4096 members per object; 32 levels. */
        size_t cap = 4097 * 16 + 16, len = 0;
        char *buf = malloc(cap);
        struct policy *p = NULL;
        struct pal_err err = { 0 };

        assert_non_null(buf);
        buf[len++] = '{';
        for (int i = 0; i < 4097; i++)
                len += (size_t) snprintf(buf + len, cap - len, "%s\"//%d\":0", i ? "," : "", i);
        buf[len++] = '}';
        assert_int_equal(policy_parse(buf, len, test_guards, &p, &err), -EINVAL);
        assert_string_equal(err.msg, "[\"//4096\"]: more than 4096 members");
        /* Drop the last member (`,"//4096":0`): 4096 pass. */
        assert_int_equal(policy_parse(buf, len - 12, test_guards, &p, &err), -EINVAL);
        assert_string_equal(err.msg, "truncated JSON (unexpected end of input at (root))");
        buf[len - 12] = '}';
        assert_int_equal(policy_parse(buf, len - 11, test_guards, &p, &err), 0);
        policy_free(p);

        /* n levels: the root object and n - 1 nested ones. */
        for (size_t n = 32; n <= 33; n++) {
                len = 0;
                buf[len++] = '{';
                for (size_t i = 0; i < n; i++, len += 6)
                        memcpy(buf + len, "\"//\":{", 6);
                buf[len - 1] = '1';
                memset(buf + len, '}', n);
                len += n;
                assert_int_equal(policy_parse(buf, len, test_guards, &p, &err), n == 32 ? 0 : -EINVAL);
                policy_free(p);
        }
        len = 0;
        for (int i = 0; i < 32; i++)
                len += (size_t) snprintf(buf + len, cap - len, "[\"//\"]");
        snprintf(buf + len, cap - len, ": nested deeper than 32 levels");
        assert_string_equal(err.msg, buf);
        free(buf);
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_empty_object_gives_defaults),
                cmocka_unit_test(test_config_example),
                cmocka_unit_test(test_embedded_default),
                cmocka_unit_test(test_full_policy),
                cmocka_unit_test(test_policy_load),
                cmocka_unit_test(test_policy_limits),
        };

        return run_with_cases("policy", tests, N_ELEMENTS(tests), bad_policies, N_ELEMENTS(bad_policies),
                              test_bad_policy);
}
