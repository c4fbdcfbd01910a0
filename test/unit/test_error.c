/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The error chain: set, sys, wrap, one-line. */
#include <errno.h>

#include "lib/error.h"
#include "unit.h"

static void test_set_and_codes(void **state)
{
        struct pal_err err = { 0 };

        assert_int_equal(pal_err_set(&err, -ENOENT, "x %d", 1), -ENOENT);
        assert_int_equal(err.code, -ENOENT);
        assert_string_equal(err.msg, "x 1");
        assert_int_equal(pal_err_set(&err, EPERM, "positive"), -EPERM);
        assert_int_equal(pal_err_set(&err, 0, "zero"), -EINVAL);
        pal_err_clear(&err);
        assert_int_equal(err.code, 0);
        assert_string_equal(err.msg, "");
        assert_int_equal(pal_neg(5), -5);
        assert_int_equal(pal_neg(-5), -5);
        assert_int_equal(pal_neg(0), 0);
}

static void test_sys(void **state)
{
        struct pal_err err = { 0 };

        assert_int_equal(pal_err_sys(&err, ENOENT, "/etc/%s: open", "x"), -ENOENT);
        assert_string_equal(err.msg, "/etc/x: open: No such file or directory");
        assert_int_equal(pal_err_sys(&err, -EACCES, "mkdir"), -EACCES);
        assert_string_equal(err.msg, "mkdir: Permission denied");
}

static void test_wrap_chain(void **state)
{
        struct pal_err err = { 0 };

        pal_err_set(&err, -ERANGE, "linux.devices[2].major: expected an integer");
        assert_int_equal(pal_err_wrap(&err, "config.json"), -ERANGE);
        assert_int_equal(pal_err_wrap(&err, "container %s", "web1"), -ERANGE);
        assert_string_equal(err.msg, "container web1: config.json: linux.devices[2].major: expected an integer");

        /* Wrapping an unset error still yields a failure code. */
        pal_err_clear(&err);
        assert_int_equal(pal_err_wrap(&err, "ctx"), -EINVAL);
        assert_string_equal(err.msg, "ctx: ");
}

static void test_wrap_overflow(void **state)
{
        struct pal_err err = { 0 };
        char big[PAL_ERR_MAX + 100];

        memset(big, 'm', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        pal_err_set(&err, -EINVAL, "%s", big);
        assert_int_equal(strlen(err.msg), PAL_ERR_MAX - 1);
        pal_err_wrap(&err, "ctx");
        assert_int_equal(strlen(err.msg), PAL_ERR_MAX - 1);
        assert_memory_equal(err.msg, "ctx: mmm", 8);

        /* A prefix longer than its buffer is cut, not overflowed. */
        pal_err_set(&err, -EINVAL, "tail");
        pal_err_wrap(&err, "%s", big);
        assert_int_equal(strlen(err.msg), 509 + 2 + 4);
        assert_string_equal(err.msg + 509, ": tail");
}

static void test_oneline(void **state)
{
        struct pal_err err = { 0 };

        pal_err_set(&err, -EINVAL, "annotations[\"a\nb\"]: bad\r\x1b[31m\x7f");
        assert_string_equal(pal_err_oneline(&err), "annotations[\"a?b\"]: bad??[31m?");
        assert_string_equal(err.msg, "annotations[\"a?b\"]: bad??[31m?");
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_set_and_codes),
                cmocka_unit_test(test_sys),
                cmocka_unit_test(test_wrap_chain),
                cmocka_unit_test(test_wrap_overflow),
                cmocka_unit_test(test_oneline),
        };

        return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
