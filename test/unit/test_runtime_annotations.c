/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The runtime annotation table (oci/runtime_annotations.c), the hook list
 * (oci/spec_hooks.c) and what the doors refuse (guards/bundle_inputs.c).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "guards/bundle_inputs.h"
#include "oci/runtime_annotations.h"
#include "oci/spec_hooks.h"
#include "unit.h"

static void test_lookup(void **state)
{
        const struct runtime_annotation *a;

        a = runtime_annotation_lookup("run.oci.seccomp_bpf_data");
        assert_non_null(a);
        assert_string_equal(a->key, "run.oci.seccomp_bpf_data");
        assert_false(a->harmless);
        assert_string_equal(a->runtimes, "crun");
        /* Exact keys only: a longer key falls to the catch-all, refused all the same. */
        a = runtime_annotation_lookup("run.oci.seccomp_bpf_data2");
        assert_non_null(a);
        assert_string_equal(a->key, "run.oci.");
        assert_true(a->prefix);
        assert_false(a->harmless);
        /* Prefixes: the longest wins. */
        a = runtime_annotation_lookup("org.systemd.property.DeviceAllow");
        assert_non_null(a);
        assert_string_equal(a->key, "org.systemd.property.");
        assert_string_equal(a->runtimes, "runc, crun");
        assert_false(a->harmless);
        a = runtime_annotation_lookup("run.oci.timens_offset");
        assert_non_null(a);
        assert_true(a->harmless);
        assert_false(runtime_annotation_lookup("io.kubernetes.cri.container-type")->harmless == false);
        assert_null(runtime_annotation_lookup("io.palisade.userns"));
        assert_null(runtime_annotation_lookup("org.systemd.propert"));
        assert_null(runtime_annotation_lookup("run.ocix"));
        assert_null(runtime_annotation_lookup(""));
        /* Every entry says who reads it and why. */
        for (a = runtime_annotations; a->key; a++) {
                assert_non_null(a->runtimes);
                assert_true(strlen(a->why) > 10);
                assert_ptr_equal(runtime_annotation_lookup(a->key), a);
        }
}

static const char hooked[] =
        "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
        "\"annotations\":{\"run.oci.hooks.stderr\":\"/tmp/x\"},"
        "\"hooks\":{\"prestart\":[{\"path\":\"/usr/bin/env\",\"args\":[\"env\",\"x\"]}],"
        "\"createRuntime\":[{\"path\":\"/usr/local/bin/palisade-hook\"},{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"id\"]}],"
        "\"poststop\":[{\"path\":\"/usr/bin/true\"}]}}";

static void test_hooks_list(void **state)
{
        struct oci_spec *s = NULL;
        struct pal_err err = { 0 };
        struct spec_hook h[8];

        assert_int_equal(oci_spec_parse(hooked, strlen(hooked), &s, &err), 0);
        assert_int_equal(spec_hooks_list(s, h, 8), 4);
        assert_string_equal(h[0].stage, "prestart");
        assert_string_equal(h[0].argv0, "env");
        assert_false(spec_hook_is_proc_exe(h[0].path));
        assert_true(spec_hook_is_proc_exe("/proc/12/exe"));
        assert_string_equal(h[2].stage, "createRuntime");
        assert_int_equal(h[2].index, 1);
        assert_string_equal(h[2].path, "/bin/sh");
        assert_true(spec_hook_is_palisade(h[1].path));
        assert_null(h[3].argv0);
        /* The count goes on past max. */
        assert_int_equal(spec_hooks_list(s, h, 1), 4);
        oci_spec_free(s);

        assert_false(spec_hook_is_proc_exe("/proc/self/exe"));
        assert_false(spec_hook_is_proc_exe("/proc/0/exe"));
        assert_false(spec_hook_is_proc_exe("/proc/12/exe/x"));
        assert_false(spec_hook_is_palisade("/usr/bin/palisade-hooks"));
}

static void judge(const char *policy_doc, const char *spec_doc, bool spec_phase, int code, const char *msg)
{
        struct oci_spec *s = NULL;
        struct policy *p = NULL;
        struct pal_err err = { 0 };
        struct pal_ctx ctx = { .id = "t" };

        assert_int_equal(oci_spec_parse(spec_doc, strlen(spec_doc), &s, &err), 0);
        assert_int_equal(policy_parse(policy_doc, strlen(policy_doc), guard_names, &p, &err), 0);
        p->source = "P";
        ctx.spec = s;
        ctx.policy = p;
        assert_int_equal(bundle_inputs_check(&ctx, spec_phase, &err), code);
        if (msg)
                assert_string_equal(err.msg, msg);
        oci_spec_free(s);
        policy_free(p);
}

static void test_inputs(void **state)
{
        static const char bpf[] = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
                                  "\"annotations\":{\"run.oci.seccomp_bpf_data\":\"BgAAAAAA/38=\"}}";
        static const char userns[] = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
                                     "\"annotations\":{\"io.palisade.userns\":\"auto\"}}";

        judge("{}", bpf, false, -EPERM,
              "config.json: annotations[\"run.oci.seccomp_bpf_data\"]: read by crun (checked against crun 1.8.1, "
              "runc 1.1.5): crun installs this raw BPF program instead of linux.seccomp: it replaces palisade's "
              "filter; policy P does not allow it (runtime_annotations.allow)");
        judge("{\"runtime_annotations\":{\"allow\":[\"run.oci.seccomp_bpf_data\"]}}", bpf, true, 0, NULL);
        /* The default allows run.oci.hooks.stderr, an allow list of one's own does not. */
        {
                /* /proc/PID/exe is judged by where it leads (here: this test's binary), with args[0]. */
                char self[1024] = "", doc[2048], spec[2048];
                ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

                assert_true(n > 0);
                self[n] = '\0';
                snprintf(spec, sizeof(spec), "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"hooks\":"
                         "{\"prestart\":[{\"path\":\"/proc/%d/exe\",\"args\":[\"libnetwork-setkey\"]}]}}",
                         (int) getpid());
                snprintf(doc, sizeof(doc), "{\"hooks\":{\"allow\":[\"%s libnetwork-setkey\"]}}", self);
                judge(doc, spec, true, 0, NULL);
                snprintf(doc, sizeof(doc), "{\"hooks\":{\"allow\":[\"%s other\"]}}", self);
                judge(doc, spec, true, -EPERM, NULL);
        }
        judge("{\"runtime_annotations\":{\"allow\":[]}}", hooked, false, -EPERM, NULL);
        /* Hooks: judged in the spec phase only; palisade-hook is skipped; ARGV0 must match when given. */
        judge("{}", hooked, false, 0, NULL);
        judge("{\"hooks\":{\"allow\":[\"/usr/bin/env env\"]}}", hooked, true, -EPERM,
              "config.json: hooks.createRuntime[1].path: \"/bin/sh\" is not a hook program policy P allows "
              "(hooks.allow); the runtime would run it as root before palisade could refuse the container");
        judge("{\"hooks\":{\"allow\":[\"/usr/bin/env\",\"/bin/sh ash\"]}}", hooked, true, -EPERM, NULL);
        judge("{}", hooked, true, -EPERM,
              "config.json: hooks.prestart[0].path: \"/usr/bin/env\" is not a hook program policy P allows "
              "(hooks.allow); the runtime would run it as root before palisade could refuse the container");
        judge("{\"hooks\":{\"allow\":[\"/usr/bin/env\",\"/bin/sh sh\",\"/usr/bin/true x\"]}}", hooked, true, -EPERM,
              "config.json: hooks.poststop[0].path: \"/usr/bin/true\" is not a hook program policy P allows "
              "(hooks.allow); the runtime would run it as root before palisade could refuse the container");
        /* A request for a guard that is off. */
        judge("{}", userns, false, 0, NULL);
        judge("{\"guards\":[\"audit\"]}", userns, true, -EPERM,
              "config.json: annotations[\"io.palisade.userns\"]: the userns guard, which serves it, is not enabled "
              "in policy P (guards); enable it there or remove the annotation");
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_lookup),
                cmocka_unit_test(test_hooks_list),
                cmocka_unit_test(test_inputs),
        };

        return cmocka_run_group_tests_name("runtime_annotations", tests, NULL, NULL);
}
