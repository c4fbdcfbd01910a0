/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capability names: parse, and a bitmask back to names. */
#include <errno.h>
#include <linux/capability.h>

#include "lib/capname.h"
#include "lib/json.h"
#include "unit.h"

#define BIT(c) (UINT64_C(1) << (c))

static void test_parse(void **state)
{
        char canon[CAP_NAME_MAX];
        int cap = -1;

        assert_int_equal(capname_parse("net_raw", &cap, canon), 0);
        assert_int_equal(cap, CAP_NET_RAW);
        assert_string_equal(canon, "CAP_NET_RAW");
        assert_int_equal(capname_parse("cap_chown", &cap, canon), 0);
        assert_int_equal(cap, CAP_CHOWN);
        assert_int_equal(capname_parse("CAP_NOPE", &cap, canon), -EINVAL);
}

static void test_next(void **state)
{
        /* Bit 63 has no name: left out, as are bits above CAP_LAST_CAP. */
        uint64_t set = BIT(CAP_CHOWN) | BIT(CAP_NET_RAW) | BIT(CAP_SYS_ADMIN) | BIT(63);
        const char *want[] = { "CAP_CHOWN", "CAP_NET_RAW", "CAP_SYS_ADMIN" };
        char name[CAP_NAME_MAX];
        size_t n = 0;

        for (int cap = 0; capname_next(set, &cap, name); cap++) {
                assert_true(n < 3);
                assert_string_equal(name, want[n++]);
        }
        assert_int_equal(n, 3);
        n = 0;
        for (int cap = 0; capname_next(0, &cap, name); cap++)
                n++;
        assert_int_equal(n, 0);
}

static void test_json_append(void **state)
{
        struct json *arr = json_new(JSON_ARRAY);
        struct pal_err err = { 0 };
        char *text = NULL;
        size_t len;

        assert_non_null(arr);
        assert_int_equal(capname_json_append(arr, BIT(CAP_SYS_ADMIN) | BIT(CAP_KILL)), 0);
        assert_int_equal(json_dump(arr, false, &text, &len, &err), 0);
        assert_string_equal(text, "[\"CAP_KILL\",\"CAP_SYS_ADMIN\"]");
        assert_int_equal(capname_json_set(arr), BIT(CAP_SYS_ADMIN) | BIT(CAP_KILL));
        free(text);
        json_free(arr);
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse),
                cmocka_unit_test(test_next),
                cmocka_unit_test(test_json_append),
        };

        return cmocka_run_group_tests_name("capname", tests, NULL, NULL);
}
