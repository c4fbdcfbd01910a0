/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ID ranges: span arithmetic, subuid parsing, allocation from leases. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/idrange.h"
#include "lib/registry.h"
#include "statedir.h"

static void test_overlap(void **state)
{
        assert_true(id_span_overlap((struct id_span) { 10, 5 }, (struct id_span) { 14, 1 }));
        assert_false(id_span_overlap((struct id_span) { 10, 5 }, (struct id_span) { 15, 1 }));
        assert_false(id_span_overlap((struct id_span) { 10, 0 }, (struct id_span) { 10, 5 }));
        /* Ends past 2^32 - 1 do not wrap. */
        assert_true(id_span_overlap((struct id_span) { UINT32_MAX, 1 }, (struct id_span) { 0, UINT32_MAX }) == false);
        assert_true(id_span_overlap((struct id_span) { UINT32_MAX - 1, 2 }, (struct id_span) { UINT32_MAX, 1 }));
}

static void test_slots(void **state)
{
        struct idrange_pool pool = { .start = 1000000, .size = 65536, .count = 4 };
        struct id_span s = idrange_slot(&pool, 3), all = idrange_pool_span(&pool);

        assert_int_equal(s.start, 1000000 + 3 * 65536);
        assert_int_equal(s.size, 65536);
        assert_int_equal(all.start, 1000000);
        assert_int_equal(all.size, 4 * 65536);
}

static void test_subid(void **state)
{
        struct id_span out[4];
        struct pal_err err = { 0 };
        size_t n = 0;

        assert_int_equal(idrange_parse_subid("root:1000000:65536\nalice:100000:65536\n# note\n\nbob:200000:10",
                                             "/etc/subuid", "root", out, 4, &n, &err), 0);
        assert_int_equal(n, 2);
        assert_int_equal(out[0].start, 100000);
        assert_int_equal(out[1].size, 10);
}

static void test_subid_bad(void **state)
{
        static const struct { const char *text, *msg; } cases[] = {
                { "alice:100000", "/etc/subuid:1: expected USER:START:COUNT with START + COUNT at most 2^32" },
                { "ok:1:1\nalice:x:1", "/etc/subuid:2: expected USER:START:COUNT with START + COUNT at most 2^32" },
                { "alice:4294967295:2", "/etc/subuid:1: expected USER:START:COUNT with START + COUNT at most 2^32" },
                { "alice:1:2:3", "/etc/subuid:1: expected USER:START:COUNT with START + COUNT at most 2^32" },
                { "a:1:1\nb:2:1\nc:3:1", "/etc/subuid: more than 2 entries of other users" },
        };

        for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
                struct id_span out[2];
                struct pal_err err = { 0 };
                size_t n = 0;

                assert_true(idrange_parse_subid(cases[i].text, "/etc/subuid", "root", out, 2, &n, &err) < 0);
                assert_string_equal(err.msg, cases[i].msg);
        }
}

static pid_t dead_child(void)
{
        pid_t pid = fork();

        assert_true(pid >= 0);
        if (pid == 0)
                _exit(0);
        assert_int_equal(waitpid(pid, NULL, 0), pid);
        return pid;
}

static void test_alloc(void **state)
{
        struct fixture *f = *state;
        struct idrange_pool pool = { .start = 1000, .size = 100, .count = 4 };
        struct id_span excl[] = { { 1150, 1 } };        /* slot 1 */
        struct pal_err err = { 0 };
        char reclaimed[64];
        uint32_t slot;
        bool live;

        /* Leases live while this test process is: each create gets the next usable slot. */
        assert_int_equal(idrange_alloc(f->regfd, &pool, excl, 1, "a", getpid(), &slot, reclaimed, sizeof(reclaimed),
                                       &err), 0);
        assert_int_equal(slot, 0);
        assert_int_equal(idrange_alloc(f->regfd, &pool, excl, 1, "b", getpid(), &slot, reclaimed, sizeof(reclaimed),
                                       &err), 0);
        assert_int_equal(slot, 2);
        assert_int_equal(idrange_alloc(f->regfd, &pool, excl, 1, "c", getpid(), &slot, reclaimed, sizeof(reclaimed),
                                       &err), 0);
        assert_int_equal(slot, 3);
        assert_int_equal(idrange_alloc(f->regfd, &pool, excl, 1, "d", getpid(), &slot, reclaimed, sizeof(reclaimed),
                                       &err), -ENOSPC);
        assert_string_equal(err.msg, "ID pool exhausted: all 3 usable ranges of 100 IDs from 1000 are held by live "
                                     "containers (1 excluded by reserved or subuid/subgid); stop a container or "
                                     "raise userns.pool.count");
        assert_int_equal(idrange_held(f->regfd, "b", &slot, &live), 0);
        assert_int_equal(slot, 2);
        assert_true(live);
        assert_int_equal(idrange_release(f->regfd, 2, "b", &err), 0);
        assert_int_equal(idrange_held(f->regfd, "b", &slot, &live), -ENOENT);
        assert_int_equal(idrange_alloc(f->regfd, &pool, excl, 1, "d", getpid(), &slot, reclaimed, sizeof(reclaimed),
                                       &err), 0);
        assert_int_equal(slot, 2);
        assert_string_equal(reclaimed, "");
}

static void test_alloc_reclaims_dead(void **state)
{
        struct fixture *f = *state;
        struct idrange_pool pool = { .start = 1000, .size = 100, .count = 2 };
        struct pal_err err = { 0 };
        char reclaimed[64];
        uint32_t slot;
        bool live;

        /* Taken by a creator that died before its container was registered (kill -9 mid-create). */
        assert_int_equal(idrange_alloc(f->regfd, &pool, NULL, 0, "killed", dead_child(), &slot, reclaimed,
                                       sizeof(reclaimed), &err), -ENOENT);
        assert_int_equal(idrange_alloc(f->regfd, &pool, NULL, 0, "alive", getpid(), &slot, reclaimed,
                                       sizeof(reclaimed), &err), 0);
        assert_int_equal(slot, 0);
        assert_int_equal(idrange_alloc(f->regfd, &pool, NULL, 0, "killed", getpid(), &slot, reclaimed,
                                       sizeof(reclaimed), &err), 0);
        assert_int_equal(slot, 1);
        /* Make slot 1's holder dead by hand: a lease naming a creator that is gone. */
        assert_int_equal(idrange_release(f->regfd, 1, "killed", &err), 0);
        {
                char text[64];
                int fd = openat(f->regfd, "leases/userns-1", O_WRONLY | O_CREAT | O_EXCL, 0600);
                int len = snprintf(text, sizeof(text), "killed\n%d 1\n", (int) dead_child());
                assert_true(fd >= 0);
                assert_int_equal(write(fd, text, (size_t) len), len);
                close(fd);
        }
        assert_int_equal(idrange_held(f->regfd, "killed", &slot, &live), 0);
        assert_false(live);
        assert_int_equal(idrange_alloc(f->regfd, &pool, NULL, 0, "next", getpid(), &slot, reclaimed,
                                       sizeof(reclaimed), &err), 0);
        assert_int_equal(slot, 1);
        assert_string_equal(reclaimed, "killed");
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_overlap),
                cmocka_unit_test(test_slots),
                cmocka_unit_test(test_subid),
                cmocka_unit_test(test_subid_bad),
                cmocka_unit_test_setup_teardown(test_alloc, setup, teardown),
                cmocka_unit_test_setup_teardown(test_alloc_reclaims_dead, setup, teardown),
        };

        return cmocka_run_group_tests_name("idrange", tests, NULL, NULL);
}
