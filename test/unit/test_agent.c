/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's pure parts: the runtime's listener message, the mknod decision
 * (a table), the dev decoding, /proc/PID/status credentials, and the agent
 * guard's seccomp edit (idempotent, never loosening a profile).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "agent/decide.h"
#include "guards/guard.h"
#include "lib/mknod_as.h"
#include "oci/listener_msg.h"
#include "unit.h"

static void test_runc_message(void **state)
{
        /* As runc 1.1 and crun 1.8 send it (runtime-spec "The Container Process State"). */
        static const char doc[] =
                "{\"ociVersion\":\"1.0.2-dev\",\"fds\":[\"seccompFd\"],\"pid\":4242,\"metadata\":\"web1\","
                "\"state\":{\"ociVersion\":\"1.0.2-dev\",\"id\":\"web1\",\"status\":\"creating\",\"pid\":4242,"
                "\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"}}}";
        struct listener_msg m;
        struct pal_err err = { 0 };

        assert_int_equal(listener_msg_parse(doc, strlen(doc), &m, &err), 0);
        assert_string_equal(m.oci_version, "1.0.2-dev");
        assert_int_equal(m.n_fds, 1);
        assert_int_equal(m.seccomp_fd, 0);
        assert_int_equal(m.pid, 4242);
        assert_string_equal(m.metadata, "web1");
        assert_string_equal(m.id, "web1");
        assert_string_equal(m.status, "creating");
        assert_int_equal(m.state_pid, 4242);
        listener_msg_release(&m);
}

static void test_message_fd_order(void **state)
{
        static const char doc[] = "{\"ociVersion\":\"1\",\"fds\":[\"pidFd\",\"seccompFd\"],\"pid\":7,"
                                  "\"state\":{\"id\":\"a\",\"status\":\"running\"}}";
        struct listener_msg m;
        struct pal_err err = { 0 };

        assert_int_equal(listener_msg_parse(doc, strlen(doc), &m, &err), 0);
        assert_int_equal(m.n_fds, 2);
        assert_int_equal(m.seccomp_fd, 1);
        assert_string_equal(m.metadata, "");
        assert_int_equal(m.state_pid, 0);
        listener_msg_release(&m);
}

static const struct bad_case bad_messages[] = {
        BAD("message: no fds", "{\"ociVersion\":\"1\",\"pid\":1,\"state\":{\"id\":\"a\",\"status\":\"creating\"}}",
            -EINVAL, "fds: required key is missing"),
        BAD("message: no seccompFd", "{\"ociVersion\":\"1\",\"fds\":[\"x\"],\"pid\":1,\"state\":{\"id\":\"a\",\"status\":\"creating\"}}",
            -EINVAL, "fds: no \"seccompFd\""),
        BAD("message: two seccompFd", "{\"ociVersion\":\"1\",\"fds\":[\"seccompFd\",\"seccompFd\"],\"pid\":1,\"state\":{}}",
            -EINVAL, "fds[1]: a second \"seccompFd\""),
        BAD("message: fd name not a string", "{\"ociVersion\":\"1\",\"fds\":[3],\"pid\":1,\"state\":{}}",
            -EINVAL, "fds[0]: expected a string, got a number"),
        BAD("message: pid 0", "{\"ociVersion\":\"1\",\"fds\":[\"seccompFd\"],\"pid\":0,\"state\":{}}",
            -ERANGE, "pid: 0 is out of range [1, 2147483647]"),
        BAD("message: no state", "{\"ociVersion\":\"1\",\"fds\":[\"seccompFd\"],\"pid\":1}",
            -EINVAL, "state: required key is missing"),
        BAD("message: bad id", "{\"ociVersion\":\"1\",\"fds\":[\"seccompFd\"],\"pid\":1,\"state\":{\"id\":\"../x\",\"status\":\"creating\"}}",
            -EINVAL, "state.id: \"../x\" is not a valid container ID"),
        BAD("message: duplicate key", "{\"ociVersion\":\"1\",\"ociVersion\":\"2\"}",
            -EINVAL, "ociVersion: duplicate key (runc and Podman would use the last one, palisade refuses to guess)"),
        BAD("message: metadata not a string", "{\"ociVersion\":\"1\",\"fds\":[\"seccompFd\"],\"pid\":1,\"metadata\":{},\"state\":{}}",
            -EINVAL, "metadata: expected a string, got an object"),
};

static void test_bad_message(void **state)
{
        const struct bad_case *c = *state;
        struct listener_msg m;
        struct pal_err err = { 0 };
        int r = listener_msg_parse(c->text, c->len, &m, &err);

        check_bad(c, r, err.code, err.msg);
}

static void test_decide_table(void **state)
{
        struct devrule grants[2], deny[1];
        struct pal_err err;
        static const struct {
                char type;
                unsigned major, minor;
                enum mknod_verdict want;
                const char *why;
        } rows[] = {
                { 'c', 1, 3, MKNOD_CREATE, "harmless" },        /* null */
                { 'c', 1, 9, MKNOD_CREATE, "harmless" },        /* urandom */
                { 'c', 5, 0, MKNOD_CREATE, "harmless" },        /* tty */
                { 'c', 1, 1, MKNOD_DENY, "not whitelisted" },   /* mem */
                { 'c', 1, 2, MKNOD_DENY, "not whitelisted" },   /* kmem */
                { 'b', 1, 3, MKNOD_DENY, "not whitelisted" },   /* a block device with null's numbers */
                { 'c', 5, 1, MKNOD_DENY, "not whitelisted" },   /* console */
                { 'c', 10, 229, MKNOD_CREATE, "whitelisted" },  /* fuse, granted */
                { 'b', 7, 0, MKNOD_CREATE, "whitelisted" },     /* loop0, b 7:* granted */
                { 'b', 7, 12, MKNOD_CREATE, "whitelisted" },
                { 'b', 8, 0, MKNOD_DENY, "not whitelisted" },   /* sda */
                { 'c', 1, 8, MKNOD_DENY, "denied by policy" },  /* random, denied by policy */
                { 'c', 0, 0, MKNOD_CONTINUE, "whiteout" },      /* overlayfs whiteout */
                { 'p', 0, 0, MKNOD_CONTINUE, "not a device" },
        };

        assert_int_equal(devrule_parse("c 10:229 rwm", &grants[0], &err), 0);
        assert_int_equal(devrule_parse("b 7:* rwm", &grants[1], &err), 0);
        assert_int_equal(devrule_parse("c 1:8 rwm", &deny[0], &err), 0);
        for (size_t i = 0; i < N_ELEMENTS(rows); i++) {
                struct mknod_call c = { .type = rows[i].type, .major = rows[i].major, .minor = rows[i].minor };
                const char *why = NULL;
                enum mknod_verdict v = agent_decide(&c, grants, 2, deny, 1, &why);

                if (v != rows[i].want || strcmp(why, rows[i].why) != 0)
                        print_message("# row %zu: %c %u:%u -> %d %s\n", i, rows[i].type, rows[i].major,
                                      rows[i].minor, v, why);
                assert_int_equal(v, rows[i].want);
                assert_string_equal(why, rows[i].why);
        }
}

static void test_call_decoding(void **state)
{
        /* The kernel's new_encode_dev: minor's low 8 bits, major's 12, minor's high 12. */
        struct mknod_call c = mknod_call_from(S_IFCHR | 0666, (3u & 0xff) | (1u << 8));
        assert_int_equal(c.type, 'c');
        assert_int_equal(c.major, 1);
        assert_int_equal(c.minor, 3);
        c = mknod_call_from(S_IFBLK, (0x45u) | (259u << 8) | (0x123u << 20));
        assert_int_equal(c.type, 'b');
        assert_int_equal(c.major, 259);
        assert_int_equal(c.minor, 0x12345);
        c = mknod_call_from(S_IFIFO | 0600, 0);
        assert_int_equal(c.type, '?');
        /* Only the low 32 bits reach the kernel. */
        c = mknod_call_from(S_IFCHR, (UINT64_C(1) << 40) | (1u << 8) | 5);
        assert_int_equal(c.major, 1);
        assert_int_equal(c.minor, 5);
}

static void test_grant_parse(void **state)
{
        struct devrule r;

        assert_int_equal(agent_grant_parse("c 10:229 rwm /dev/fuse", &r), 0);
        assert_int_equal(r.type, 'c');
        assert_int_equal(r.major, 10);
        assert_int_equal(r.minor, 229);
        assert_int_equal(agent_grant_parse("b 7:* rw", &r), 0);
        assert_int_equal(r.minor, DEVRULE_ANY);
        assert_int_equal(agent_grant_parse("x 1:2 rwm /dev/x", &r), -EINVAL);
        assert_int_equal(agent_grant_parse("", &r), -EINVAL);
}

static void test_creds(void **state)
{
        static const char status[] =
                "Name:\tsh\nUmask:\t0027\nState:\tS (sleeping)\nUid:\t200000\t200000\t200000\t200005\n"
                "Gid:\t200001\t200001\t200001\t200007\nGroups:\t200010 200011 \nCapEff:\t00000000082425fb\n";
        struct proc_creds c;

        assert_int_equal(proc_creds_parse(status, &c), 0);
        assert_int_equal(c.fsuid, 200005);
        assert_int_equal(c.fsgid, 200007);
        assert_int_equal(c.umask, 027);
        assert_int_equal(c.n_groups, 2);
        assert_int_equal(c.groups[1], 200011);
        assert_true(c.cap_eff & (UINT64_C(1) << 27));   /* CAP_MKNOD */
        assert_int_equal(proc_creds_parse("Uid:\t1\t2\n", &c), -EINVAL);
        assert_int_equal(proc_creds_parse("Groups:\t\nUid:\t0 0 0 0\nGid:\t0 0 0 0\nUmask:\t0022\nCapEff:\t0\n", &c), 0);
        assert_int_equal(c.n_groups, 0);
}

/* The agent guard on a spec: the seccomp section it leaves. */
static struct json *agent_edit(const char *doc, int *r_out)
{
        static const char pol_doc[] = "{\"guards\":[\"agent\"],\"agent\":{\"socket\":\"/run/p/a.sock\"}}";
        struct policy *pol = NULL;
        struct oci_spec *s = NULL;
        struct pal_err err = { 0 };
        struct json *out = NULL;
        struct pal_ctx ctx = { .id = "c1" };

        assert_int_equal(policy_parse(pol_doc, strlen(pol_doc), guard_names, &pol, &err), 0);
        assert_int_equal(oci_spec_parse(doc, strlen(doc), &s, &err), 0);
        ctx.policy = pol;
        ctx.spec = s;
        *r_out = guard_agent.spec(&ctx, &err);
        if (*r_out == 0 && json_get(json_get(s->tree, "linux"), "seccomp")) {
                /* Idempotent: a second run changes nothing. */
                struct json *once = json_clone(json_get(json_get(s->tree, "linux"), "seccomp"));
                assert_int_equal(guard_agent.spec(&ctx, &err), 0);
                assert_true(json_equal(once, json_get(json_get(s->tree, "linux"), "seccomp")));
                json_free(once);
        }
        if (json_get(json_get(s->tree, "linux"), "seccomp"))
                out = json_clone(json_get(json_get(s->tree, "linux"), "seccomp"));
        oci_spec_free(s);
        policy_free(pol);
        return out;
}

static size_t count_action(const struct json *sc, const char *action)
{
        const struct json *rules = json_get(sc, "syscalls");
        size_t n = 0;

        for (size_t i = 0; rules && i < rules->len; i++)
                n += strcmp(json_get(rules->items[i], "action")->str, action) == 0;
        return n;
}

static void test_guard_edit(void **state)
{
        static const struct {
                const char *seccomp;
                size_t rules, notify;
        } profiles[] = {
                /* errno for mknod: kept as it is, nothing trapped; the listener is still set. */
                { ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
                  "[{\"names\":[\"mknod\",\"mknodat\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", 1, 0 },
                /* refused by default, allowed by a rule: read; mknod split (4 typed allows, 2 notify); mknodat untouched */
                { ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":"
                  "[{\"names\":[\"read\",\"mknod\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", 7, 2 },
                /* a conditional allow is a restriction too */
                { ",\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mknodat\"],"
                  "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}", 3, 2 },
        };
        static const char userns[] = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"user\"}]%s}}";
        char doc[1024];
        struct json *sc;
        int r;

        /* No profile: one allowing everything, the four notify rules, the listener. */
        snprintf(doc, sizeof(doc), userns, "");
        sc = agent_edit(doc, &r);
        assert_int_equal(r, 0);
        assert_string_equal(json_get(sc, "defaultAction")->str, "SCMP_ACT_ALLOW");
        assert_string_equal(json_get(sc, "listenerPath")->str, "/run/p/a.sock");
        assert_string_equal(json_get(sc, "listenerMetadata")->str, "c1");
        assert_int_equal(count_action(sc, "SCMP_ACT_NOTIFY"), 4);
        assert_int_equal(json_get(sc, "syscalls")->len, 4);
        json_free(sc);

        /* Profiles that restrict mknod are never loosened; one that allows it is split by type. */
        for (size_t i = 0; i < N_ELEMENTS(profiles); i++) {
                snprintf(doc, sizeof(doc), userns, profiles[i].seccomp);
                sc = agent_edit(doc, &r);
                assert_int_equal(r, 0);
                assert_int_equal(json_get(sc, "syscalls")->len, profiles[i].rules);
                assert_int_equal(count_action(sc, "SCMP_ACT_NOTIFY"), profiles[i].notify);
                json_free(sc);
        }

        /* No user namespace: nothing. */
        sc = agent_edit("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"}}", &r);
        assert_int_equal(r, 0);
        assert_null(sc);

        /* A defaultAction that is not a string is an error naming the key. */
        snprintf(doc, sizeof(doc), userns, ",\"seccomp\":{\"defaultAction\":3}");
        sc = agent_edit(doc, &r);
        assert_int_equal(r, -EINVAL);
        json_free(sc);
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_runc_message),
                cmocka_unit_test(test_message_fd_order),
                cmocka_unit_test(test_decide_table),
                cmocka_unit_test(test_call_decoding),
                cmocka_unit_test(test_grant_parse),
                cmocka_unit_test(test_creds),
                cmocka_unit_test(test_guard_edit),
        };

        return run_with_cases("agent", tests, N_ELEMENTS(tests), bad_messages, N_ELEMENTS(bad_messages),
                              test_bad_message);
}
