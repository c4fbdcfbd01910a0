/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The JSON layer: key paths, typed reads, limits, dump and build. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "lib/json.h"
#include "unit.h"

static const struct json_limits big = { .max_bytes = 1 << 20, .max_depth = 64, .max_members = 1000 };

static struct json *parse_ok(const char *text)
{
        struct json *v = NULL;
        struct pal_err err = { 0 };

        if (json_parse(text, strlen(text), &big, &v, &err) < 0)
                fail_msg("parse of %s: %s", text, err.msg);
        return v;
}

static void test_jpath(void **state)
{
        struct jpath p;
        size_t m1, m2, m3;

        jpath_init(&p);
        assert_string_equal(jpath_str(&p), "(root)");
        m1 = jpath_key(&p, "linux");
        assert_int_equal(m1, 0);
        m2 = jpath_key(&p, "namespaces");
        m3 = jpath_index(&p, 3);
        jpath_key(&p, "type");
        assert_string_equal(jpath_str(&p), "linux.namespaces[3].type");
        jpath_pop(&p, m3);
        assert_string_equal(jpath_str(&p), "linux.namespaces");
        jpath_index(&p, 12);
        assert_string_equal(jpath_str(&p), "linux.namespaces[12]");
        jpath_pop(&p, m2);
        assert_string_equal(jpath_str(&p), "linux");
        jpath_pop(&p, m1);
        assert_string_equal(jpath_str(&p), "(root)");

        /* Keys other than [A-Za-z0-9_-]+ are quoted, at the root too. */
        jpath_key(&p, "annotations");
        jpath_key(&p, "io.palisade.audit-id");
        assert_string_equal(jpath_str(&p), "annotations[\"io.palisade.audit-id\"]");
        jpath_init(&p);
        jpath_key(&p, "a.b");
        jpath_key(&p, "");
        jpath_key(&p, "snake_case-1");
        jpath_key(&p, "a b");
        assert_string_equal(jpath_str(&p), "[\"a.b\"][\"\"].snake_case-1[\"a b\"]");
        jpath_init(&p);
        jpath_index(&p, 0);
        jpath_index(&p, SIZE_MAX);
        assert_string_equal(jpath_str(&p), "[0][18446744073709551615]");
}

static void test_jpath_truncation(void **state)
{
        char key[700];
        struct jpath p;
        size_t m1, m2;

        memset(key, 'k', sizeof(key) - 1);
        key[sizeof(key) - 1] = '\0';
        jpath_init(&p);
        m1 = jpath_key(&p, "top");
        m2 = jpath_key(&p, key);
        assert_int_equal(strlen(jpath_str(&p)), sizeof(p.buf) - 1);
        assert_memory_equal(jpath_str(&p), "top.kkk", 7);
        assert_string_equal(jpath_str(&p) + sizeof(p.buf) - 4, "...");
        /* Still full, still terminated. */
        jpath_index(&p, 7);
        assert_int_equal(strlen(jpath_str(&p)), sizeof(p.buf) - 1);
        jpath_pop(&p, m2);
        assert_string_equal(jpath_str(&p), "top");
        jpath_pop(&p, m1);
        assert_string_equal(jpath_str(&p), "(root)");
}

static void test_parse_values(void **state)
{
        struct json *v = parse_ok(" {\"n\":null,\"t\":true,\"f\":false,\"i\":-12,\"d\":1.5e3,\"s\":\"a\\\"b\\\\c\\n\","
                                  "\"a\":[1,[],{}],\"o\":{\"k\":\"v\"},\"u\":\"\\u00e9\\ud83d\\ude00\"} \n");
        struct json *a;

        assert_int_equal(v->type, JSON_OBJECT);
        assert_int_equal(v->len, 9);
        assert_int_equal(json_get(v, "n")->type, JSON_NULL);
        assert_true(json_get(v, "t")->boolean);
        assert_false(json_get(v, "f")->boolean);
        assert_int_equal(json_get(v, "f")->type, JSON_BOOL);
        assert_string_equal(json_get(v, "i")->str, "-12");
        assert_string_equal(json_get(v, "d")->str, "1.5e3");
        assert_int_equal(json_get(v, "d")->type, JSON_NUMBER);
        assert_string_equal(json_get(v, "s")->str, "a\"b\\c\n");
        assert_string_equal(json_get(v, "u")->str, "\xc3\xa9\xf0\x9f\x98\x80");
        a = json_get(v, "a");
        assert_int_equal(a->type, JSON_ARRAY);
        assert_int_equal(a->len, 3);
        assert_null(a->keys);
        assert_int_equal(a->items[1]->type, JSON_ARRAY);
        assert_int_equal(a->items[1]->len, 0);
        assert_int_equal(a->items[2]->type, JSON_OBJECT);
        assert_string_equal(json_get(json_get(v, "o"), "k")->str, "v");
        assert_null(json_get(v, "missing"));
        assert_null(json_get(a, "0"));
        assert_null(json_get(NULL, "x"));
        json_free(v);
        json_free(NULL);

        /* Any value may be the root. */
        v = parse_ok("\"x\"");
        assert_int_equal(v->type, JSON_STRING);
        json_free(v);
        v = parse_ok("7");
        assert_string_equal(v->str, "7");
        json_free(v);
        v = parse_ok("null");
        assert_int_equal(v->type, JSON_NULL);
        json_free(v);
}

static void test_valid_utf8(void **state)
{
        /* 2, 3 and 4 byte forms, the edges of the ranges, and escapes. */
        static const char *const good[] = {
                "\"\xc2\x80\"", "\"\xdf\xbf\"", "\"\xe0\xa0\x80\"", "\"\xed\x9f\xbf\"", "\"\xee\x80\x80\"",
                "\"\xef\xbf\xbf\"", "\"\xf0\x90\x80\x80\"", "\"\xf4\x8f\xbf\xbf\"", "\"\\u0001\"", "\"\\uffff\"",
                "\"\\udbff\\udfff\"", "{\"\xe2\x82\xac\":\"\xe2\x82\xac\"}",
        };

        for (size_t i = 0; i < N_ELEMENTS(good); i++)
                json_free(parse_ok(good[i]));
}

static void test_limits(void **state)
{
        static const struct json_limits tiny = { .max_bytes = 20, .max_depth = 2, .max_members = 2 };
        struct json *v = NULL;
        struct pal_err err = { 0 };

        assert_int_equal(json_parse("[[1,2],{\"a\":1}]", 15, &tiny, &v, &err), 0);
        json_free(v);
        assert_int_equal(json_parse("[[1,2],{\"a\":1}]      ", 21, &tiny, &v, &err), -EFBIG);
        assert_string_equal(err.msg, "larger than 20 bytes");
        assert_null(v);
        assert_int_equal(json_parse("[[1,2,3]]", 9, &tiny, &v, &err), -EINVAL);
        assert_string_equal(err.msg, "[0][2]: more than 2 members");
        assert_int_equal(json_parse("{\"a\":1,\"b\":2,\"c\":3}", 19, &tiny, &v, &err), -EINVAL);
        assert_string_equal(err.msg, "c: more than 2 members");
        assert_int_equal(json_parse("[1,[[]]]", 8, &tiny, &v, &err), -EINVAL);
        assert_string_equal(err.msg, "[1][0]: nested deeper than 2 levels");
        assert_int_equal(json_parse("{\"a\":{\"b\":{}}}", 14, &tiny, &v, &err), -EINVAL);
        assert_string_equal(err.msg, "a.b: nested deeper than 2 levels");
        assert_null(v);
}

struct i64_case {
        const char *text;
        int64_t min, max;
        int code;
        int64_t value;          /* when code is 0 */
        const char *msg;        /* when it is not */
};

static void test_as_i64(void **state)
{
        static const struct i64_case cases[] = {
                { "0", 0, 0, 0, 0, NULL },
                { "-0", 0, 10, 0, 0, NULL },
                { "42", 0, 100, 0, 42, NULL },
                { "-1", -1, 1, 0, -1, NULL },
                { "9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX, NULL },
                { "-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN, NULL },
                { "9223372036854775808", INT64_MIN, INT64_MAX, -ERANGE, 0,
                  "k: 9223372036854775808 is out of range [-9223372036854775808, 9223372036854775807]" },
                { "-9223372036854775809", INT64_MIN, INT64_MAX, -ERANGE, 0,
                  "k: -9223372036854775809 is out of range [-9223372036854775808, 9223372036854775807]" },
                { "101", 0, 100, -ERANGE, 0, "k: 101 is out of range [0, 100]" },
                { "-1", 0, 100, -ERANGE, 0, "k: -1 is out of range [0, 100]" },
                { "1.0", 0, 100, -EINVAL, 0, "k: expected an integer, got 1.0" },
                { "1e2", 0, 1000, -EINVAL, 0, "k: expected an integer, got 1e2" },
                { "1E2", 0, 1000, -EINVAL, 0, "k: expected an integer, got 1E2" },
                { "\"1\"", 0, 100, -EINVAL, 0, "k: expected an integer, got a string" },
                { "true", 0, 100, -EINVAL, 0, "k: expected an integer, got a boolean" },
                { "null", 0, 100, -EINVAL, 0, "k: expected an integer, got null" },
                { "[1]", 0, 100, -EINVAL, 0, "k: expected an integer, got an array" },
                { "{}", 0, 100, -EINVAL, 0, "k: expected an integer, got an object" },
        };
        struct jpath p;

        jpath_init(&p);
        jpath_key(&p, "k");
        for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
                const struct i64_case *c = &cases[i];
                struct json *v = parse_ok(c->text);
                struct pal_err err = { 0 };
                int64_t n = 12345;
                int r = json_as_i64(v, &p, c->min, c->max, &n, &err);

                if (r != c->code)
                        fail_msg("%s: returned %d, want %d (%s)", c->text, r, c->code, err.msg);
                if (r == 0)
                        assert_int_equal(n, c->value);
                else {
                        assert_int_equal(n, 12345);
                        assert_string_equal(err.msg, c->msg);
                }
                json_free(v);
        }
}

static void test_as_u32_string_bool(void **state)
{
        struct json *v = parse_ok("[4294967295,4294967296,\"s\",true,-1]");
        struct pal_err err = { 0 };
        struct jpath p;
        uint32_t u = 0;
        const char *s = NULL;
        bool b = false;

        jpath_init(&p);
        jpath_key(&p, "uid");
        assert_int_equal(json_as_u32(v->items[0], &p, &u, &err), 0);
        assert_int_equal(u, UINT32_MAX);
        assert_int_equal(json_as_u32(v->items[1], &p, &u, &err), -ERANGE);
        assert_string_equal(err.msg, "uid: 4294967296 is out of range [0, 4294967295]");
        assert_int_equal(json_as_u32(v->items[4], &p, &u, &err), -ERANGE);
        assert_string_equal(err.msg, "uid: -1 is out of range [0, 4294967295]");
        assert_int_equal(u, UINT32_MAX);

        assert_int_equal(json_as_string(v->items[2], &p, &s, &err), 0);
        assert_string_equal(s, "s");
        assert_int_equal(json_as_string(v->items[3], &p, &s, &err), -EINVAL);
        assert_string_equal(err.msg, "uid: expected a string, got a boolean");
        assert_int_equal(json_as_bool(v->items[3], &p, &b, &err), 0);
        assert_true(b);
        assert_int_equal(json_as_bool(v->items[2], &p, &b, &err), -EINVAL);
        assert_string_equal(err.msg, "uid: expected a boolean, got a string");

        jpath_init(&p);
        assert_int_equal(json_expect(v, JSON_OBJECT, &p, &err), -EINVAL);
        assert_string_equal(err.msg, "(root): expected an object, got an array");
        assert_int_equal(json_expect(v, JSON_ARRAY, &p, &err), 0);
        json_free(v);

        assert_string_equal(json_type_name(JSON_NULL), "null");
        assert_string_equal(json_type_name(JSON_NUMBER), "a number");
        assert_string_equal(json_type_name((enum json_type) 99), "?");
}

static void test_only_keys(void **state)
{
        static const char *const known[] = { "guards", "audit", NULL };
        static const char *const none[] = { NULL };
        struct json *v = parse_ok("{\"guards\":1,\"// note\":2,\"audit\":3}");
        struct json *bad = parse_ok("{\"audit\":1,\"io.x\":2}");
        struct json *empty = parse_ok("{}");
        struct pal_err err = { 0 };
        struct jpath p;

        jpath_init(&p);
        assert_int_equal(json_only_keys(v, known, true, &p, &err), 0);
        assert_int_equal(json_only_keys(v, known, false, &p, &err), -EINVAL);
        assert_string_equal(err.msg, "[\"// note\"]: unknown key");
        assert_int_equal(json_only_keys(empty, none, false, &p, &err), 0);
        assert_int_equal(json_only_keys(v, none, true, &p, &err), -EINVAL);
        assert_string_equal(err.msg, "guards: unknown key");

        /* The path given is the object's; p itself is left as it was. */
        jpath_key(&p, "policy");
        assert_int_equal(json_only_keys(bad, known, true, &p, &err), -EINVAL);
        assert_string_equal(err.msg, "policy[\"io.x\"]: unknown key");
        assert_string_equal(jpath_str(&p), "policy");
        json_free(v);
        json_free(bad);
        json_free(empty);
}

static void test_dump_round_trip(void **state)
{
        static const char compact[] =
                "{\"ociVersion\":\"1.0.2\",\"n\":null,\"b\":[true,false],\"num\":[0,-1,1.5e-3,18446744073709551616],"
                "\"s\":\"tab\\there \\\"q\\\" back\\\\slash \xc3\xa9 \xf0\x9f\x98\x80\",\"o\":{\"\":{},\"a\":[]}}";
        struct json *v = parse_ok(compact), *again;
        struct pal_err err = { 0 };
        char *out = NULL, *pretty = NULL, *out2 = NULL;
        size_t len = 0;

        /* Order, number text and escapes survive exactly. */
        assert_int_equal(json_dump(v, false, &out, &len, &err), 0);
        assert_string_equal(out, compact);
        assert_int_equal(len, strlen(compact));

        assert_int_equal(json_dump(v, true, &pretty, NULL, &err), 0);
        assert_non_null(strstr(pretty, "\n  \"ociVersion\": \"1.0.2\",\n"));
        again = parse_ok(pretty);
        assert_int_equal(json_dump(again, false, &out2, NULL, &err), 0);
        assert_string_equal(out2, compact);
        json_free(v);
        json_free(again);
        free(out);
        free(out2);
        free(pretty);
}

static void test_build(void **state)
{
        struct json *o = json_new(JSON_OBJECT), *a = json_new(JSON_ARRAY), *s;
        struct pal_err err = { 0 };
        char *out = NULL;

        assert_int_equal(json_set(o, "id", json_new_string("web1")), 0);
        assert_int_equal(json_set(o, "pid", json_new_int(INT64_MIN)), 0);
        assert_int_equal(json_set(o, "ok", json_new_bool(true)), 0);
        assert_int_equal(json_set(o, "id", json_new_string("web2")), 0); /* replaces, keeps the place */
        for (int i = 0; i < 20; i++)
                assert_int_equal(json_append(a, json_new_int(i % 3)), 0);
        assert_int_equal(json_set(o, "list", a), 0);
        assert_int_equal(json_dump(o, false, &out, NULL, &err), 0);
        assert_string_equal(out, "{\"id\":\"web2\",\"pid\":-9223372036854775808,\"ok\":true,"
                                 "\"list\":[0,1,2,0,1,2,0,1,2,0,1,2,0,1,2,0,1,2,0,1]}");
        free(out);

        /* Wrong container or a NULL child (failed allocation): child freed, -ENOMEM. */
        s = json_new_string("x");
        assert_int_equal(json_set(s, "k", json_new_int(1)), -ENOMEM);
        assert_int_equal(json_append(o, json_new_int(1)), -ENOMEM);
        assert_int_equal(json_set(o, "k", NULL), -ENOMEM);
        assert_int_equal(json_append(a, NULL), -ENOMEM);
        assert_int_equal(o->len, 4);
        json_free(s);
        json_free(o);
}

/* A json_reader that counts its calls and checks the path it is given. */
static int read_count(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        int *calls = arg;

        (*calls)++;
        if (v->type != JSON_STRING)
                return pal_err_set(err, -EINVAL, "%s: refused", jpath_str(p));
        return 0;
}

static void test_read_member(void **state)
{
        struct json *v = parse_ok("{\"a\": \"x\", \"b\": 1}");
        struct pal_err err = { 0 };
        struct jpath p;
        int calls = 0;

        jpath_init(&p);
        jpath_key(&p, "top");
        /* Absent: 0, the reader not called, the path unchanged. */
        assert_int_equal(json_read_member(v, "none", &p, read_count, &calls, &err), 0);
        assert_int_equal(calls, 0);
        /* Present and read: the path popped back. */
        assert_int_equal(json_read_member(v, "a", &p, read_count, &calls, &err), 0);
        assert_int_equal(calls, 1);
        assert_string_equal(jpath_str(&p), "top");
        /* Refused: the reader saw the path extended by the key. */
        assert_int_equal(json_read_member(v, "b", &p, read_count, &calls, &err), -EINVAL);
        assert_string_equal(err.msg, "top.b: refused");
        json_free(v);
}

static void test_expect_strings(void **state)
{
        struct json *ok = parse_ok("[\"a\", \"b\"]"), *empty = parse_ok("[]"), *bad = parse_ok("[\"a\", 2]");
        struct json *obj = parse_ok("{\"k\": [\"a\"], \"n\": \"a\"}");
        struct pal_err err = { 0 };
        struct jpath p;

        jpath_init(&p);
        jpath_key(&p, "env");
        assert_int_equal(json_expect_strings(ok, &p, &err), 0);
        assert_int_equal(json_expect_strings(empty, &p, &err), 0);
        assert_string_equal(jpath_str(&p), "env");
        assert_int_equal(json_expect_strings(bad, &p, &err), -EINVAL);
        assert_string_equal(err.msg, "env[1]: expected a string, got a number");
        assert_int_equal(json_expect_strings(obj, &p, &err), -EINVAL);
        jpath_init(&p);
        assert_int_equal(json_read_member(obj, "k", &p, json_read_strings, NULL, &err), 0);
        assert_int_equal(json_read_member(obj, "n", &p, json_read_strings, NULL, &err), -EINVAL);
        assert_string_equal(err.msg, "n: expected an array, got a string");
        json_free(ok);
        json_free(empty);
        json_free(bad);
        json_free(obj);
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_jpath),
                cmocka_unit_test(test_jpath_truncation),
                cmocka_unit_test(test_parse_values),
                cmocka_unit_test(test_valid_utf8),
                cmocka_unit_test(test_limits),
                cmocka_unit_test(test_as_i64),
                cmocka_unit_test(test_as_u32_string_bool),
                cmocka_unit_test(test_only_keys),
                cmocka_unit_test(test_dump_round_trip),
                cmocka_unit_test(test_build),
                cmocka_unit_test(test_read_member),
                cmocka_unit_test(test_expect_strings),
        };

        return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
