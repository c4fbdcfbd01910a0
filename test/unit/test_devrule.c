/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Device rules in cgroup syntax: "c 10:229 rwm". */
#include <errno.h>

#include "lib/devrule.h"
#include "unit.h"

static void test_good(void **state)
{
        static const struct {
                const char *text, *canonical;
        } cases[] = {
                { "c 10:229 rwm", "c 10:229 rwm" }, { "b 7:* rw", "b 7:* rw" }, { "c 1:3", "c 1:3 rwm" },
                { "a", "a *:* rwm" },                { "c *:* m", "c *:* m" },  { "c 4095:1048575 mwr", "c 4095:1048575 rwm" },
        };
        (void) state;
        for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
                struct devrule r;
                struct pal_err err = { 0 };
                char buf[48];

                assert_int_equal(devrule_parse(cases[i].text, &r, &err), 0);
                devrule_format(&r, buf, sizeof(buf));
                assert_string_equal(buf, cases[i].canonical);
        }
}

static const struct bad_case bad[] = {
        BAD("devrule: type", "x 1:3 rwm", -EINVAL, "\"x 1:3 rwm\": type must be c, b or a"),
        BAD("devrule: no colon", "c 13 rwm", -EINVAL, "\"c 13 rwm\": expected TYPE MAJOR:MINOR ACCESS"),
        BAD("devrule: major 2^32", "c 4294967296:1 rwm", -ERANGE,
            "\"c 4294967296:1 rwm\": major 4294967296 is out of range [0, 4095]"),
        BAD("devrule: minor too big", "c 1:1048576 rwm", -ERANGE,
            "\"c 1:1048576 rwm\": minor 1048576 is out of range [0, 1048575]"),
        BAD("devrule: negative", "c -1:1 rwm", -EINVAL, "\"c -1:1 rwm\": major \"-1\": expected a number or *"),
        BAD("devrule: access x", "c 1:3 rwx", -EINVAL, "\"c 1:3 rwx\": access \"rwx\": 'x' is not one of r, w, m"),
        BAD("devrule: access twice", "c 1:3 rr", -EINVAL, "\"c 1:3 rr\": access \"rr\": 'r' given twice"),
        BAD("devrule: empty access", "c 1:3 ", -EINVAL, "\"c 1:3 \": empty access (use letters r, w, m)"),
};

static void test_bad(void **state)
{
        const struct bad_case *c = *state;
        struct devrule r;
        struct pal_err err = { 0 };
        int ret = devrule_parse(c->text, &r, &err);

        check_bad(c, ret, err.code, err.msg);
}

static void test_overlaps(void **state)
{
        struct devrule fuse, tun, all_c, loop_m;
        struct pal_err err = { 0 };

        (void) state;
        assert_int_equal(devrule_parse("c 10:229 rwm", &fuse, &err), 0);
        assert_int_equal(devrule_parse("c 10:200 rw", &tun, &err), 0);
        assert_int_equal(devrule_parse("c *:* rw", &all_c, &err), 0);
        assert_int_equal(devrule_parse("b 7:* m", &loop_m, &err), 0);
        assert_false(devrule_overlaps(&fuse, &tun));
        assert_true(devrule_overlaps(&all_c, &fuse));
        assert_true(devrule_overlaps(&fuse, &all_c));
        assert_false(devrule_overlaps(&all_c, &loop_m));
}

static void test_covers(void **state)
{
        static const struct {
                const char *outer, *inner;
                bool covers;
        } cases[] = {
                { "c 10:229 rwm", "c 10:229 rw", true },  { "c 10:229 rw", "c 10:229 rwm", false },
                { "c 136:* rwm", "c 136:4 rw", true },    { "c 10:229 rwm", "c 10:* r", false },
                { "c 1:3 rwm", "b 1:3 rwm", false },      { "a", "b 8:0 r", true },
                { "c *:* m", "c 10:229 m", true },        { "c *:* m", "c 10:229 r", false },
                { "c 10:* rwm", "c 10:* r", true },       { "c 10:200 rwm", "a *:* rwm", false },
        };
        struct pal_err err = { 0 };

        (void) state;
        for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
                struct devrule o, in;
                assert_int_equal(devrule_parse(cases[i].outer, &o, &err), 0);
                assert_int_equal(devrule_parse(cases[i].inner, &in, &err), 0);
                if (devrule_covers(&o, &in) != cases[i].covers)
                        fail_msg("\"%s\" covers \"%s\": expected %s", cases[i].outer, cases[i].inner,
                                 cases[i].covers ? "yes" : "no");
        }
}

int main(void)
{
        const struct CMUnitTest fixed[] = {
                cmocka_unit_test(test_good),
                cmocka_unit_test(test_overlaps),
                cmocka_unit_test(test_covers),
        };
        return run_with_cases("devrule", fixed, N_ELEMENTS(fixed), bad, N_ELEMENTS(bad), test_bad);
}
