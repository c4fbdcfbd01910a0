/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oci_state_parse: the state a runtime writes on a hook's stdin. */
#include <errno.h>
#include <stdio.h>

#include "lib/containerid.h"
#include "oci/state.h"
#include "unit.h"

static void test_runc_state(void **state)
{
        /* As runc 1.1 writes it for createRuntime. */
        static const char doc[] =
                "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"web1\",\"status\":\"creating\",\"pid\":4242,"
                "\"bundle\":\"/run/containers/web1/userdata\","
                "\"annotations\":{\"io.palisade.audit-id\":\"1b4e28ba-2fa1-11d2-883f-0016d3cca427\"}}";
        struct oci_state *s = NULL;
        struct pal_err err = { 0 };

        assert_int_equal(oci_state_parse(doc, strlen(doc), &s, &err), 0);
        assert_string_equal(s->oci_version, "1.0.2-dev");
        assert_string_equal(s->id, "web1");
        assert_string_equal(s->status, "creating");
        assert_string_equal(s->bundle, "/run/containers/web1/userdata");
        assert_int_equal(s->pid, 4242);
        assert_int_equal(s->n_annotations, 1);
        assert_string_equal(oci_annotation(s->annotations, s->n_annotations, "io.palisade.audit-id"),
                            "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        oci_state_free(s);
        oci_state_free(NULL);
}

static void test_minimal_state(void **state)
{
        /* poststop: the process is gone, runc omits pid. */
        static const char doc[] = "{\"ociVersion\":\"1.0.2\",\"id\":\"a_b+c-d.e\",\"status\":\"stopped\",\"bundle\":\"/b\"}";
        struct oci_state *s = NULL;
        struct pal_err err = { 0 };

        assert_int_equal(oci_state_parse(doc, strlen(doc), &s, &err), 0);
        assert_string_equal(s->id, "a_b+c-d.e");
        assert_int_equal(s->pid, 0);
        assert_int_equal(s->n_annotations, 0);
        assert_null(s->annotations);
        oci_state_free(s);
}

static void test_statuses_and_pids(void **state)
{
        static const char *const statuses[] = { "creating", "created", "running", "stopped" };
        static const char *const pids[] = { "0", "1", "2147483647" };
        char doc[256];

        for (size_t i = 0; i < N_ELEMENTS(statuses); i++)
                for (size_t j = 0; j < N_ELEMENTS(pids); j++) {
                        struct oci_state *s = NULL;
                        struct pal_err err = { 0 };

                        snprintf(doc, sizeof(doc),
                                 "{\"ociVersion\":\"1\",\"id\":\"x\",\"status\":\"%s\",\"bundle\":\"/b\",\"pid\":%s}",
                                 statuses[i], pids[j]);
                        assert_int_equal(oci_state_parse(doc, strlen(doc), &s, &err), 0);
                        assert_string_equal(s->status, statuses[i]);
                        assert_int_equal(s->pid, strtol(pids[j], NULL, 10));
                        oci_state_free(s);
                }
}

static void test_container_ids(void **state)
{
        static const char *const good[] = { "a", "web1", "A-Z_a.z+0", "...", ".a", "a..b", "-" };
        static const char *const bad[] = { "", ".", "..", "../x", "a/b", "/a", "a b", "a\nb", "a:b", "é",
                                           "a\\b", "a*", "$(id)" };
        char id[1026];

        for (size_t i = 0; i < N_ELEMENTS(good); i++)
                assert_true(containerid_valid(good[i]));
        for (size_t i = 0; i < N_ELEMENTS(bad); i++)
                if (containerid_valid(bad[i]))
                        fail_msg("\"%s\" accepted as a container ID", bad[i]);
        memset(id, 'a', 1024);
        id[1024] = '\0';
        assert_true(containerid_valid(id));
        id[1024] = 'a';
        id[1025] = '\0';
        assert_false(containerid_valid(id));
}

#define V "\"ociVersion\":\"1.0.2\""
#define ST(rest) "{" V ",\"id\":\"web1\",\"status\":\"created\",\"bundle\":\"/b\"" rest "}"
#define INVALID_ID "is not a valid container ID (letters, digits, _ + - . only)"

static const struct bad_case bad_states[] = {
        BAD("state: empty", "", -EINVAL, "truncated JSON (unexpected end of input at (root))"),
        BAD("state: not JSON", "created", -EINVAL,
            "not valid JSON at byte 1, at (root): lexical error: invalid char in json text."),
        BAD("state: truncated", "{" V ",\"id\":\"web1\",\"status\":\"created\",\"bundle\":\"/b\",\"pid\":", -EINVAL,
            "truncated JSON (unexpected end of input at pid)"),
        BAD("state: truncated after a value", "{" V ",\"id\":\"web1\"", -EINVAL,
            "truncated JSON (unexpected end of input at (root))"),
        BAD("state: trailing garbage", ST("") "\n{}", -EINVAL, "trailing data after the JSON value"),
        BAD("state: duplicate id", "{" V ",\"id\":\"web1\",\"status\":\"created\",\"bundle\":\"/b\",\"id\":\"db\"}", -EINVAL,
            "id: duplicate key (runc and Podman would use the last one, palisade refuses to guess)"),
        BAD("state: NUL byte", ST(",\"x\":\"\0\""), -EINVAL, "NUL byte at offset 72"),
        BAD("state: an array", "[]", -EINVAL, "(root): expected an object, got an array"),

        BAD("state: missing ociVersion", "{\"id\":\"web1\",\"status\":\"created\",\"bundle\":\"/b\"}", -EINVAL,
            "ociVersion: required key is missing"),
        BAD("state: missing id", "{" V ",\"status\":\"created\",\"bundle\":\"/b\"}", -EINVAL,
            "id: required key is missing"),
        BAD("state: missing status", "{" V ",\"id\":\"web1\",\"bundle\":\"/b\"}", -EINVAL,
            "status: required key is missing"),
        BAD("state: missing bundle", "{" V ",\"id\":\"web1\",\"status\":\"created\"}", -EINVAL,
            "bundle: required key is missing"),
        BAD("state: id a number", "{" V ",\"id\":7,\"status\":\"created\",\"bundle\":\"/b\"}", -EINVAL,
            "id: expected a string, got a number"),
        BAD("state: status null", "{" V ",\"id\":\"a\",\"status\":null,\"bundle\":\"/b\"}", -EINVAL,
            "status: expected a string, got null"),

        BAD("state: id ../x", "{" V ",\"id\":\"../x\",\"status\":\"created\",\"bundle\":\"/b\"}", -EINVAL,
            "id: \"../x\" " INVALID_ID),
        BAD("state: id a/b", "{" V ",\"id\":\"a/b\",\"status\":\"created\",\"bundle\":\"/b\"}", -EINVAL,
            "id: \"a/b\" " INVALID_ID),
        BAD("state: id ..", "{" V ",\"id\":\"..\",\"status\":\"created\",\"bundle\":\"/b\"}", -EINVAL,
            "id: \"..\" " INVALID_ID),
        BAD("state: id empty", "{" V ",\"id\":\"\",\"status\":\"created\",\"bundle\":\"/b\"}", -EINVAL,
            "id: \"\" " INVALID_ID),
        BAD("state: id with a space", "{" V ",\"id\":\"web 1\",\"status\":\"created\",\"bundle\":\"/b\"}", -EINVAL,
            "id: \"web 1\" " INVALID_ID),
        BAD("state: id long, message cut",
            "{" V ",\"id\":\"0123456789012345678901234567890123456789012345678901234567890123/456\","
            "\"status\":\"created\",\"bundle\":\"/b\"}", -EINVAL,
            "id: \"0123456789012345678901234567890123456789012345678901234567890123\" " INVALID_ID),

        BAD("state: unknown status", "{" V ",\"id\":\"a\",\"status\":\"paused\",\"bundle\":\"/b\"}", -EINVAL,
            "status: unknown status \"paused\""),
        BAD("state: status upper case", "{" V ",\"id\":\"a\",\"status\":\"Running\",\"bundle\":\"/b\"}", -EINVAL,
            "status: unknown status \"Running\""),
        BAD("state: relative bundle", "{" V ",\"id\":\"a\",\"status\":\"created\",\"bundle\":\"run/b\"}", -EINVAL,
            "bundle: \"run/b\" is not an absolute path"),
        BAD("state: empty bundle", "{" V ",\"id\":\"a\",\"status\":\"created\",\"bundle\":\"\"}", -EINVAL,
            "bundle: \"\" is not an absolute path"),

        BAD("state: pid -1", ST(",\"pid\":-1"), -ERANGE, "pid: -1 is out of range [0, 2147483647]"),
        BAD("state: pid 2^31", ST(",\"pid\":2147483648"), -ERANGE, "pid: 2147483648 is out of range [0, 2147483647]"),
        BAD("state: pid 2^40", ST(",\"pid\":1099511627776"), -ERANGE,
            "pid: 1099511627776 is out of range [0, 2147483647]"),
        BAD("state: pid a string", ST(",\"pid\":\"4242\""), -EINVAL, "pid: expected an integer, got a string"),
        BAD("state: pid a float", ST(",\"pid\":4242.0"), -EINVAL, "pid: expected an integer, got 4242.0"),
        BAD("state: pid null", ST(",\"pid\":null"), -EINVAL, "pid: expected an integer, got null"),

        BAD("state: annotations an array", ST(",\"annotations\":[]"), -EINVAL,
            "annotations: expected an object, got an array"),
        BAD("state: annotations a string", ST(",\"annotations\":\"x\""), -EINVAL,
            "annotations: expected an object, got a string"),
        BAD("state: annotation a number", ST(",\"annotations\":{\"io.palisade.audit-id\":1}"), -EINVAL,
            "annotations[\"io.palisade.audit-id\"]: expected a string, got a number"),
        BAD("state: annotation null", ST(",\"annotations\":{\"a\":\"b\",\"owner\":null}"), -EINVAL,
            "annotations.owner: expected a string, got null"),
};

static void test_bad_state(void **state)
{
        const struct bad_case *c = *state;
        struct oci_state *s = (struct oci_state *) c; /* must be reset to NULL */
        struct pal_err err = { 0 };
        int r;

        r = oci_state_parse(c->text, c->len, &s, &err);
        assert_null(s);
        check_bad(c, r, err.code, err.msg);
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_runc_state),
                cmocka_unit_test(test_minimal_state),
                cmocka_unit_test(test_statuses_and_pids),
                cmocka_unit_test(test_container_ids),
        };

        return run_with_cases("oci_state", tests, N_ELEMENTS(tests), bad_states, N_ELEMENTS(bad_states),
                              test_bad_state);
}
