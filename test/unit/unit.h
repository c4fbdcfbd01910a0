/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the cmocka unit tests: tables of bad inputs, each with the exact
 * error a parser must give, run as one TAP test per row.
 */
#pragma once

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

struct bad_case {
        const char *name;
        const char *text;
        size_t len;
        int code;               /* negative errno */
        const char *msg;        /* the whole of err.msg */
};

/* sizeof, not strlen: a literal may hold a NUL byte on purpose. */
#define BAD(name, text, code, msg) { name, text, sizeof(text) - 1, code, msg }

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Run the fixed tests, then fn once per row of cases (*state is the row),
 * each under the row's name.
 */
static inline int run_with_cases(const char *group, const struct CMUnitTest *fixed, size_t n_fixed,
                                 const struct bad_case *cases, size_t n_cases, CMUnitTestFunction fn)
{
        struct CMUnitTest *all = calloc(n_fixed + n_cases, sizeof(*all));
        int r;

        if (!all)
                return 1;
        memcpy(all, fixed, n_fixed * sizeof(*all));
        for (size_t i = 0; i < n_cases; i++)
                all[n_fixed + i] = (struct CMUnitTest) {
                        .name = cases[i].name,
                        .test_func = fn,
                        .initial_state = (void *) &cases[i],
                };
        r = _cmocka_run_group_tests(group, all, n_fixed + n_cases, NULL, NULL);
        free(all);
        return r;
}

/* assert_string_equal, naming the row first so a failure is easy to find. */
static inline void check_bad(const struct bad_case *c, int r, int code, const char *msg)
{
        if (r != c->code || code != c->code || strcmp(msg, c->msg) != 0)
                print_message("# case \"%s\": got %d/%d \"%s\"\n", c->name, r, code, msg);
        assert_int_equal(r, c->code);
        assert_int_equal(code, c->code);
        assert_string_equal(msg, c->msg);
}

static inline int unit_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

/* Remove a test's temporary tree (its mkdtemp name): links in it are removed, never followed. */
static inline void unit_rm_tree(const char *dir)
{
        if (dir && strncmp(dir, "/tmp/palisade-unit-", 19) == 0)
                nftw(dir, unit_rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}
