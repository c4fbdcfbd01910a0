/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spec_record: undoing palisade's recorded edits gives back the owner's spec. */
#include <errno.h>

#include "lib/cleanup.h"
#include "oci/spec_record.h"
#include "unit.h"

static const char owner_text[] =
        "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
        "\"hooks\":{\"poststop\":[{\"path\":\"/bin/true\",\"args\":[\"own\"]}]},"
        "\"linux\":{\"devices\":[{\"path\":\"/dev/a\",\"type\":\"c\",\"major\":1,\"minor\":1}],"
        "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\"},\"sysctl\":{\"x\":\"1\"}},"
        "\"annotations\":{\"cdi.k8s.io/x\":\"vendor/class=fuse\"}}";

/* What a spec phase might make of it: grants, rewrites, a removal, hooks, a marker. */
static const char palisade_text[] =
        "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"/run/palisade/userns/t1/rootfs\"},"
        "\"hooks\":{\"createRuntime\":[{\"path\":\"/h\",\"args\":[\"palisade-hook\"]}],"
        "\"poststop\":[{\"path\":\"/bin/true\",\"args\":[\"own\"]},{\"path\":\"/h\",\"args\":[\"palisade-hook\"]}]},"
        "\"linux\":{\"devices\":[{\"path\":\"/dev/a\",\"type\":\"c\",\"major\":1,\"minor\":1},"
        "{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229}],"
        "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\"},"
        "\"namespaces\":[{\"type\":\"user\"}]},"
        "\"annotations\":{\"cdi.k8s.io/x\":\"vendor/class=fuse\",\"io.palisade.spec\":\"applied\"}}";

static struct json *parse(const char *text)
{
        struct json *v = NULL;
        struct pal_err err = { 0 };

        assert_int_equal(json_parse(text, strlen(text), &json_untrusted_limits, &v, &err), 0);
        return v;
}

/* Through the record's text, as the shim stores and reads it. */
static struct json *record_for(const struct json *owner, const struct json *out)
{
        _cleanup_json_ struct json *rec = spec_record_new(owner, out);
        _cleanup_free_ char *text = NULL;
        struct json *back = NULL;
        struct pal_err err = { 0 };
        size_t len;

        assert_non_null(rec);
        assert_int_equal(json_dump(rec, false, &text, &len, &err), 0);
        assert_int_equal(spec_record_parse(text, len, &back, &err), 0);
        return back;
}

static void revert(struct json *tree, const struct json *rec)
{
        struct pal_err err = { 0 };

        assert_int_equal(spec_record_revert(tree, rec, &err), 0);
}

static void test_round_trip(void **state)
{
        _cleanup_json_ struct json *owner = parse(owner_text), *out = parse(palisade_text), *rec = NULL;

        (void) state;
        rec = record_for(owner, out);
        revert(out, rec);
        assert_true(json_equal(out, owner));
        /* Twice is once: nothing of palisade's is left to undo. */
        revert(out, rec);
        assert_true(json_equal(out, owner));
}

static void test_owner_edits_after(void **state)
{
        _cleanup_json_ struct json *owner = parse(owner_text), *out = parse(palisade_text), *rec = NULL,
                                   *want = NULL;
        struct json *lx;

        (void) state;
        rec = record_for(owner, out);
        /* The owner, since: a new key, a value palisade wrote changed, a device and a hook of its own added. */
        lx = json_get(out, "linux");
        assert_int_equal(json_set(out, "hostname", json_new_string("h")), 0);
        assert_int_equal(json_set(json_get(lx, "seccomp"), "defaultAction", json_new_string("SCMP_ACT_LOG")), 0);
        assert_int_equal(json_append(json_get(lx, "devices"), parse("{\"path\":\"/dev/b\"}")), 0);
        assert_int_equal(json_append(json_get(json_get(out, "hooks"), "poststop"), parse("{\"path\":\"/x\"}")), 0);
        json_remove(json_get(out, "annotations"), "cdi.k8s.io/x");
        /* A hook of the owner's in the list palisade added, and a member in the object it added. */
        assert_int_equal(json_append(json_get(json_get(out, "hooks"), "createRuntime"), parse("{\"path\":\"/y\"}")), 0);
        assert_int_equal(json_append(json_get(lx, "namespaces"), parse("{\"type\":\"pid\"}")), 0);
        revert(out, rec);
        /*
         * The owner's keys stay, the owner's value wins where it replaced
         * palisade's, palisade's elements leave the owner's arrays, and its
         * grant is gone with the request.
         */
        want = parse("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"hostname\":\"h\","
                     "\"hooks\":{\"poststop\":[{\"path\":\"/bin/true\",\"args\":[\"own\"]},{\"path\":\"/x\"}],"
                     "\"createRuntime\":[{\"path\":\"/y\"}]},"
                     "\"linux\":{\"devices\":[{\"path\":\"/dev/a\",\"type\":\"c\",\"major\":1,\"minor\":1},"
                     "{\"path\":\"/dev/b\"}],\"seccomp\":{\"defaultAction\":\"SCMP_ACT_LOG\"},"
                     "\"sysctl\":{\"x\":\"1\"},\"namespaces\":[{\"type\":\"pid\"}]},\"annotations\":{}}");
        assert_true(json_equal(out, want));
}

static void test_forged(void **state)
{
        _cleanup_json_ struct json *tree = parse(owner_text), *rec = NULL;
        struct pal_err err = { 0 };
        static const char *const bad[] = {
                "{\"palisade_record\":2,\"changes\":[]}",
                "{\"palisade_record\":1}",
                "{\"palisade_record\":1,\"changes\":[{\"keys\":[],\"op\":\"add\",\"after\":1}]}",
                "{\"palisade_record\":1,\"changes\":[{\"keys\":[\"a\"],\"op\":\"move\",\"after\":1}]}",
                "{\"palisade_record\":1,\"changes\":[{\"keys\":[\"a\"],\"op\":\"replace\",\"after\":1}]}",
                "{\"palisade_record\":1,\"changes\":[{\"keys\":[1],\"op\":\"add\",\"after\":1}]}",
        };

        (void) state;
        for (size_t i = 0; i < N_ELEMENTS(bad); i++) {
                struct json *v = NULL;
                assert_int_equal(spec_record_parse(bad[i], strlen(bad[i]), &v, &err), -EINVAL);
                assert_null(v);
        }
        /* A well-formed forgery can only say what the owner's spec is: paths through non-objects are skipped. */
        rec = parse("{\"palisade_record\":1,\"changes\":[{\"keys\":[\"ociVersion\",\"x\"],\"op\":\"remove\","
                    "\"before\":1},{\"keys\":[\"process\"],\"op\":\"remove\",\"before\":{\"args\":[\"sh\"]}}]}");
        revert(tree, rec);
        assert_string_equal(json_get(tree, "ociVersion")->str, "1.0.2");
        assert_non_null(json_get(json_get(tree, "process"), "args"));
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_round_trip),
                cmocka_unit_test(test_owner_edits_after),
                cmocka_unit_test(test_forged),
        };

        return cmocka_run_group_tests_name("spec_record", tests, NULL, NULL);
}
