/* SPDX-License-Identifier: GPL-2.0-or-later */
/* audit_format and audit_id_parse: the text that goes to the audit log. */
#include <errno.h>
#include <stdio.h>

#include "guards/audit_record.h"
#include "unit.h"

static void sample(struct registry_entry *e, const char *id)
{
        static const struct pal_ns ns[] = {
                { "ipc", 4, 4026532290, true },
                { "mnt", 4, 4026532288, true },
                { "net", 4, 4026531840, false },
                { "pid", 4, 4026532291, true },
        };

        memset(e, 0, sizeof(*e));
        snprintf(e->id, sizeof(e->id), "%s", id);
        snprintf(e->audit_id, sizeof(e->audit_id), "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        e->pid = 4242;
        memcpy(e->ns, ns, sizeof(ns));
        e->n_ns = N_ELEMENTS(ns);
}

static void test_format_start(void **state)
{
        struct registry_entry e;
        struct audit_event ev = { .op = "start", .reason = "create", .entry = &e, .success = true };
        char *out = NULL;

        sample(&e, "web1");
        assert_int_equal(audit_format(&ev, &out), 0);
        assert_string_equal(out, "virt=palisade op=start reason=create vm=\"web1\" "
                                 "uuid=1b4e28ba-2fa1-11d2-883f-0016d3cca427 vm-pid=4242 init-pid=4242 "
                                 "pid-ns=4026532291 ns=ipc:4:4026532290,mnt:4:4026532288,net:4:4026531840,"
                                 "pid:4:4026532291");
        free(out);
}

static void test_format_refusal(void **state)
{
        struct registry_entry e;
        struct audit_event ev = { .op = "start", .reason = "refused", .error = "audit: no CAP_AUDIT_WRITE",
                                  .entry = &e };
        char *out = NULL;

        /* Before the process exists: no namespaces, no audit ID yet. */
        memset(&e, 0, sizeof(e));
        snprintf(e.id, sizeof(e.id), "web1");
        assert_int_equal(audit_format(&ev, &out), 0);
        assert_string_equal(out, "virt=palisade op=start reason=refused vm=\"web1\" uuid=? vm-pid=0 init-pid=0 "
                                 "pid-ns=? ns=? error=61756469743A206E6F204341505F41554449545F5752495445");
        free(out);

        /* An error without spaces or quotes is quoted, not encoded. */
        ev.error = "EPERM";
        assert_int_equal(audit_format(&ev, &out), 0);
        assert_non_null(strstr(out, " ns=? error=\"EPERM\""));
        free(out);
}

static void test_format_encodes_id(void **state)
{
        struct registry_entry e;
        struct audit_event ev = { .op = "stop", .reason = "exit", .entry = &e, .success = true };
        char *out = NULL;

        /* An ID with a space or a quote must not forge fields: libaudit hex-encodes it. */
        sample(&e, "web 1");
        e.n_ns = 0;
        assert_int_equal(audit_format(&ev, &out), 0);
        assert_string_equal(out, "virt=palisade op=stop reason=exit vm=7765622031 "
                                 "uuid=1b4e28ba-2fa1-11d2-883f-0016d3cca427 vm-pid=4242 init-pid=4242 pid-ns=? ns=?");
        free(out);

        sample(&e, "web\"1");
        assert_int_equal(audit_format(&ev, &out), 0);
        assert_non_null(strstr(out, " vm=7765622231 "));
        free(out);

        sample(&e, "web 1 uuid=00000000-0000-0000-0000-000000000001");
        assert_int_equal(audit_format(&ev, &out), 0);
        assert_null(strstr(out, "uuid=0000"));
        free(out);
}

struct id_case {
        const char *text;
        const char *want;       /* normalised, or NULL: refused with msg */
        const char *msg;
};

#define NOT_UUID(s) "annotations[\"io.palisade.audit-id\"]: \"" s "\" is not a UUID (expected 8-4-4-4-12 hex digits)"

static void test_audit_id_parse(void **state)
{
        static const struct id_case cases[] = {
                { "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", NULL },
                { "1B4E28BA-2FA1-11D2-883F-0016D3CCA427", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", NULL },
                { "ffffffff-ffff-ffff-ffff-ffffffffffff", "ffffffff-ffff-ffff-ffff-ffffffffffff", NULL },
                { "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000001", NULL },
                { "00000000-0000-0000-0000-000000000000", NULL,
                  "annotations[\"io.palisade.audit-id\"]: the nil UUID cannot identify a container" },
                { "", NULL, NOT_UUID("") },
                { "web1", NULL, NOT_UUID("web1") },
                { "1b4e28ba2fa111d2883f0016d3cca427", NULL, NOT_UUID("1b4e28ba2fa111d2883f0016d3cca427") },
                { "{1b4e28ba-2fa1-11d2-883f-0016d3cca427}", NULL,
                  NOT_UUID("{1b4e28ba-2fa1-11d2-883f-0016d3cca427}") },
                { "1b4e28ba-2fa1-11d2-883f-0016d3cca42g", NULL, NOT_UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca42g") },
                { "1b4e28ba-2fa1-11d2-883f_0016d3cca427", NULL, NOT_UUID("1b4e28ba-2fa1-11d2-883f_0016d3cca427") },
                { " 1b4e28ba-2fa1-11d2-883f-0016d3cca42", NULL, NOT_UUID(" 1b4e28ba-2fa1-11d2-883f-0016d3cca42") },
                { "1b4e28ba-2fa1-11d2-883f-0016d3cca427 ", NULL, NOT_UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427 ") },
                { "1b4e28ba-2fa1-11d2-883f-0016d3cca427\n", NULL,
                  NOT_UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427\n") },
                /* Quoted at most 64 bytes. */
                { "0123456789012345678901234567890123456789012345678901234567890123456789", NULL,
                  NOT_UUID("0123456789012345678901234567890123456789012345678901234567890123") },
        };

        for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
                const struct id_case *c = &cases[i];
                struct pal_err err = { 0 };
                char out[37] = "unchanged";
                int r = audit_id_parse(c->text, out, &err);

                if (c->want) {
                        if (r != 0)
                                fail_msg("\"%s\" refused: %s", c->text, err.msg);
                        assert_string_equal(out, c->want);
                } else {
                        if (r != -EINVAL)
                                fail_msg("\"%s\" accepted", c->text);
                        assert_string_equal(err.msg, c->msg);
                        assert_string_equal(out, "unchanged");
                }
        }
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_format_start),
                cmocka_unit_test(test_format_refusal),
                cmocka_unit_test(test_format_encodes_id),
                cmocka_unit_test(test_audit_id_parse),
        };

        return cmocka_run_group_tests_name("audit_record", tests, NULL, NULL);
}
