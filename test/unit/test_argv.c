/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runc/crun command-line grammar as palisade-runtime reads it. */
#include <errno.h>

#include "lib/json.h"
#include "oci/argv.h"
#include "oci/spec_edit.h"
#include "unit.h"

#define ARGV(...) ((char *const[]) { "palisade-runtime", __VA_ARGS__, NULL })
#define ARGC(v) ((int) (sizeof(v) / sizeof((v)[0])) - 1)

struct argv_case {
        const char *name;
        char *const *argv;
        int argc;
        enum runtime_cmd cmd;
        const char *id, *bundle, *config, *root;
        bool force;
};

#define CASE(n, v, c, i, b, f, r, force) { n, v, ARGC(v), c, i, b, f, r, force }

static void test_grammar(void **state)
{
        const struct argv_case cases[] = {
                CASE("podman create", ARGV("--root", "/run/runc", "--log", "/x/log", "--log-format=json", "--systemd-cgroup",
                                           "create", "--bundle", "/b", "--pid-file", "/p", "ctr1"),
                     RUNTIME_CMD_CREATE, "ctr1", "/b", NULL, "/run/runc", false),
                CASE("containerd create", ARGV("--root=/run/containerd/runc/default", "--log=/l", "--log-format", "json",
                                               "create", "--bundle=/b", "--pid-file=/p", "--console-socket", "/s", "k1"),
                     RUNTIME_CMD_CREATE, "k1", "/b", NULL, "/run/containerd/runc/default", false),
                CASE("run short options", ARGV("run", "-d", "-b", "/b", "--preserve-fds", "2", "r1"), RUNTIME_CMD_RUN, "r1",
                     "/b", NULL, NULL, false),
                CASE("run, id before options", ARGV("run", "r2", "--bundle", "/b"), RUNTIME_CMD_RUN, "r2", "/b", NULL,
                     NULL, false),
                CASE("crun --config", ARGV("--cgroup-manager", "cgroupfs", "create", "-f", "alt.json", "c1"),
                     RUNTIME_CMD_CREATE, "c1", NULL, "alt.json", NULL, false),
                CASE("rootless with a value", ARGV("--rootless", "auto", "create", "c2"), RUNTIME_CMD_CREATE, "c2", NULL,
                     NULL, NULL, false),
                CASE("rootless as a flag", ARGV("--rootless", "create", "c3"), RUNTIME_CMD_CREATE, "c3", NULL, NULL,
                     NULL, false),
                CASE("delete force", ARGV("delete", "-f", "d1"), RUNTIME_CMD_DELETE, "d1", NULL, NULL, NULL, true),
                CASE("delete unknown option passes", ARGV("delete", "--later-option", "d1"), RUNTIME_CMD_OTHER, NULL,
                     NULL, NULL, NULL, false),
                CASE("create --help passes", ARGV("create", "--help"), RUNTIME_CMD_OTHER, NULL, NULL, NULL, NULL, false),
                CASE("state passes", ARGV("state", "x"), RUNTIME_CMD_OTHER, NULL, NULL, NULL, NULL, false),
                CASE("version passes", ARGV("--version"), RUNTIME_CMD_OTHER, NULL, NULL, NULL, NULL, false),
                CASE("unknown global, no create", ARGV("--future", "list"), RUNTIME_CMD_OTHER, NULL, NULL, NULL, NULL,
                     false),
                CASE("-- ends options", ARGV("run", "--", "-weird-id"), RUNTIME_CMD_RUN, "-weird-id", NULL, NULL, NULL,
                     false),
        };
        (void) state;
        for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
                const struct argv_case *c = &cases[i];
                struct runtime_args a;
                struct pal_err err = { 0 };

                print_message("# %s\n", c->name);
                assert_int_equal(runtime_args_parse(c->argc, c->argv, &a, &err), 0);
                assert_int_equal(a.cmd, c->cmd);
                if (c->cmd == RUNTIME_CMD_OTHER)
                        continue;
                assert_string_equal(a.id, c->id);
                if (c->bundle)
                        assert_string_equal(a.bundle, c->bundle);
                else
                        assert_null(a.bundle);
                if (c->config)
                        assert_string_equal(a.config, c->config);
                else
                        assert_null(a.config);
                if (c->root)
                        assert_string_equal(a.root, c->root);
                assert_int_equal(a.force, c->force);
        }
}

static void test_refusals(void **state)
{
        const struct {
                char *const *argv;
                int argc;
                const char *msg;
        } cases[] = {
                { ARGV("--future", "create", "x"), ARGC(ARGV("--future", "create", "x")),
                  "unknown global option \"--future\" before create/run: palisade cannot tell whether it takes a "
                  "value, so it refuses rather than start a container unguarded" },
                { ARGV("create", "--future", "x"), ARGC(ARGV("create", "--future", "x")),
                  "create: unknown option \"--future\": palisade cannot tell whether it takes a value, so it refuses "
                  "rather than start a container unguarded" },
                { ARGV("create", "--bundle"), ARGC(ARGV("create", "--bundle")), "create: option --bundle needs a value" },
                { ARGV("run", "--bundle", "/b"), ARGC(ARGV("run", "--bundle", "/b")), "run: no container ID given" },
        };
        (void) state;
        for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
                struct runtime_args a;
                struct pal_err err = { 0 };

                assert_int_equal(runtime_args_parse(cases[i].argc, cases[i].argv, &a, &err), -EINVAL);
                assert_string_equal(err.msg, cases[i].msg);
        }
}

static const char spec_text[] = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},"
                                "\"hooks\":{\"createRuntime\":[{\"path\":\"/bin/true\",\"args\":[\"own\"]}]},"
                                "\"x-ext\":{\"n\":18446744073709551615}}";

static void test_spec_edits(void **state)
{
        const char *args[] = { "palisade-hook", "createRuntime", NULL };
        const char *env[] = { "PALISADE_CONFIG=/p.json", NULL };
        struct oci_spec *s = NULL;
        struct pal_err err = { 0 };
        char *out = NULL;

        (void) state;
        assert_int_equal(oci_spec_parse(spec_text, sizeof(spec_text) - 1, &s, &err), 0);
        assert_int_equal(spec_add_hook(s, "createRuntime", true, "/bin/sh", args, env, &err), 0);
        /* Entries of the program that palisade did not write go: the same file, its name, or its args[0]. */
        assert_int_equal(spec_drop_hooks_of(s, "/bin/sh", "palisade-hook"), 1);
        assert_int_equal(spec_add_hook(s, "createRuntime", true, "/bin/sh", args, env, &err), 0);
        assert_int_equal(spec_add_hook(s, "poststop", false, "/bin/sh", args, NULL, &err), 0);
        assert_int_equal(spec_set_annotation(s, "io.palisade.spec", "applied", &err), 0);
        assert_int_equal(json_dump(s->tree, false, &out, NULL, &err), 0);
        assert_string_equal(out,
                            "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},"
                            "\"hooks\":{\"createRuntime\":[{\"path\":\"/bin/sh\",\"args\":[\"palisade-hook\",\"createRuntime\"],"
                            "\"env\":[\"PALISADE_CONFIG=/p.json\"]},{\"path\":\"/bin/true\",\"args\":[\"own\"]}],"
                            "\"poststop\":[{\"path\":\"/bin/sh\",\"args\":[\"palisade-hook\",\"createRuntime\"]}]},"
                            "\"x-ext\":{\"n\":18446744073709551615},"
                            "\"annotations\":{\"io.palisade.spec\":\"applied\"}}");
        free(out);
        oci_spec_free(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_grammar),
                cmocka_unit_test(test_refusals),
                cmocka_unit_test(test_spec_edits),
        };
        return cmocka_run_group_tests_name("argv", tests, NULL, NULL);
}
