/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Seccomp profiles: parsing errors, and the proof of the merge. Profiles A,
 * B and merge(A, B) are compiled to BPF by libseccomp and run in a BPF
 * interpreter over every syscall number of x86_64, i386 and x32 with sampled
 * arguments: the merged verdict must be the more restrictive of A's and B's
 * (exactly, except for syscalls the merge reported as stricter, where it
 * must be at least as restrictive). Pairs: palisade's built-in profile with
 * Podman's stock profile, and randomized profiles.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf_interp.h"
#include "unit.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "seccomp/compile.h"
#include "seccomp/merge.h"

#define PODMAN_PROFILE "/usr/share/containers/seccomp.json"
#define X32_BIT 0x40000000u
#define MAX_NR 512

static const uint64_t runc_caps = (UINT64_C(1) << 29) | (UINT64_C(1) << 5) | (UINT64_C(1) << 10); /* AUDIT_WRITE KILL NET_BIND */

struct program {
        struct sock_filter *insns;
        size_t len;
};

static void compile(const struct sc_profile *p, struct program *out)
{
        struct pal_err err = { 0 };
        int fd = memfd_create("bpf", 0);
        struct stat st;

        assert_true(fd >= 0);
        if (sc_export(p, "test", 0, SC_EXPORT_BPF, fd, &err) < 0)
                fail_msg("export: %s", err.msg);
        assert_int_equal(fstat(fd, &st), 0);
        out->len = (size_t) st.st_size / sizeof(struct sock_filter);
        out->insns = malloc((size_t) st.st_size + 1);
        assert_non_null(out->insns);
        assert_int_equal(pread(fd, out->insns, (size_t) st.st_size, 0), st.st_size);
        close(fd);
}

static bool stricter(uint32_t a, uint32_t b)
{
        return sc_action_stricter(a, b);
}

/* The call does not run (ERRNO, TRAP, KILL), as opposed to ALLOW, LOG, TRACE, NOTIFY. */
static bool denies(uint32_t action)
{
        return !stricter(SCMP_ACT_ERRNO(0), action);
}

/* Argument values worth trying: each condition's boundaries, and 0, all-ones. */
struct samples {
        uint64_t v[1024];
        size_t n;
        bool index_used[SC_MAX_ARGS];
};

static void sample_add(struct samples *s, uint64_t v)
{
        for (size_t i = 0; i < s->n; i++)
                if (s->v[i] == v)
                        return;
        if (s->n == N_ELEMENTS(s->v))
                fail_msg("more than %zu argument samples: raise the table", N_ELEMENTS(s->v));
        s->v[s->n++] = v;
}

/* v itself, just inside and outside it, and as 32 bits (i386, x32 and 64-bit compares differ there). */
static void sample_around(struct samples *s, uint64_t v)
{
        sample_add(s, v);
        sample_add(s, v + 1);
        sample_add(s, v - 1);
        sample_add(s, v & 0xffffffffu);
        sample_add(s, v | UINT64_C(0xffffffff00000000));
}

static void samples_of(const struct sc_profile *p, struct samples *s)
{
        for (size_t i = 0; i < p->n_rules; i++)
                for (unsigned k = 0; k < p->rules[i].n_args; k++) {
                        const struct sc_arg *a = &p->rules[i].args[k];
                        s->index_used[a->index] = true;
                        sample_around(s, a->value);
                        if (a->op != SCMP_CMP_MASKED_EQ)
                                continue;
                        /* Masked-equal: matching values (bare, all other bits set), and each end of the mask flipped. */
                        uint64_t low = a->value & -a->value, high = a->value ? UINT64_C(1) << (63 - __builtin_clzll(a->value)) : 0;
                        sample_around(s, a->value_two);
                        sample_add(s, a->value_two | ~a->value);
                        sample_add(s, a->value_two ^ low);
                        sample_add(s, a->value_two ^ high);
                        sample_add(s, (a->value_two | ~a->value) ^ low);
                        sample_add(s, a->value_two | (a->value & (a->value - 1)));
                        sample_add(s, ~a->value);
                }
        sample_add(s, 0);
        sample_add(s, ~UINT64_C(0));
        sample_add(s, 0xffffffffu);
        sample_add(s, 0x80000000u);
        sample_add(s, UINT64_C(1) << 63);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t rng(void)
{
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        return rng_state;
}

struct arch_case {
        uint32_t audit_arch, scmp_arch, nr_bit;
        const char *name;
};

static const struct arch_case arches[] = {
        { AUDIT_ARCH_X86_64, SCMP_ARCH_X86_64, 0, "x86_64" },
        { AUDIT_ARCH_I386, SCMP_ARCH_X86, 0, "i386" },
        { AUDIT_ARCH_X86_64, SCMP_ARCH_X32, X32_BIT, "x32" },
};

static bool lossy(const struct sc_loss *loss, uint32_t scmp_arch, int nr)
{
        if (loss->count > SC_LOSS_NAMES)
                return true;    /* names not all kept: accept stricter anywhere */
        _cleanup_free_ char *called = seccomp_syscall_resolve_num_arch(scmp_arch, nr);
        /* i386's socketcall and ipc carry the socket and SysV calls rules name: any report may be theirs. */
        if (loss->count && called && (strcmp(called, "socketcall") == 0 || strcmp(called, "ipc") == 0))
                return true;
        for (size_t i = 0; i < loss->count; i++) {
                _cleanup_free_ char *name = seccomp_syscall_resolve_num_arch(scmp_arch, nr);
                /* i386's socket calls have numbers of their own and socketcall's: match by name too. */
                if (seccomp_syscall_resolve_name_arch(scmp_arch, loss->names[i]) == nr ||
                    (name && strcmp(name, loss->names[i]) == 0))
                        return true;
        }
        return false;
}

static bool has_arch(const struct sc_profile *p, uint32_t arch)
{
        for (unsigned i = 0; i < p->n_arches; i++)
                if (p->arches[i] == arch)
                        return true;
        return arch == SCMP_ARCH_X86_64;
}

static void dump(const char *label, const struct sc_profile *p)
{
        _cleanup_json_ struct json *j = sc_profile_to_json(p);
        _cleanup_free_ char *text = NULL;
        struct pal_err err = { 0 };

        if (j && json_dump(j, false, &text, NULL, &err) == 0)
                fprintf(stderr, "# %s: %s\n", label, text);    /* print_message cuts at 1 KB */
}

/* What one proof compared: every verdict, and those both inputs allow or one denies. */
struct tally {
        size_t compared, allowed, denied;
        size_t samples;         /* the most argument values one pair had */
};

/*
 * The merge rule, for one call: where A and B both let it run, the merged
 * filter gives the same verdict; where either denies it, the merged filter
 * denies it at least as strictly (the errno may be either's; a stricter
 * kind of denial only where the merge reported the syscall).
 */
static void judge(const struct sc_profile *a, const struct sc_profile *b, const struct sc_profile *m,
                  const struct sc_loss *loss, const struct arch_case *ac, int nr, const struct seccomp_data *d,
                  uint32_t ra, uint32_t rb, uint32_t rm, struct tally *t)
{
        uint32_t want = sc_action_max(ra, rb);
        const char *why = NULL;
        char *name;

        assert_int_not_equal(ra, BPF_INTERP_BAD);
        assert_int_not_equal(rb, BPF_INTERP_BAD);
        assert_int_not_equal(rm, BPF_INTERP_BAD);
        t->compared++;
        /*
         * The one known gap: an architecture only A filters is dropped (B
         * kills it), and the kill is libseccomp's bad-arch action,
         * KILL_THREAD, where A might say KILL_PROCESS. OCI profiles have no
         * bad-arch setting to say otherwise (README, "Seccomp").
         */
        if (want == SCMP_ACT_KILL_PROCESS && rm == SCMP_ACT_KILL_THREAD && !has_arch(m, ac->scmp_arch))
                return;
        if (!denies(want)) {
                t->allowed++;
                if (denies(rm))
                        why = "denies a call both allow";
                else if (rm != ra && rm != rb)
                        why = "lets it run otherwise than either";
                else if (stricter(rm, want) || stricter(want, rm))
                        why = "lets it run otherwise than the stricter of the two";
        } else {
                t->denied++;
                if (!denies(rm))
                        why = "lets a call run that one denies";
                else if (stricter(want, rm))
                        why = "denies it less strictly than one does";
                else if (stricter(rm, want) && !lossy(loss, ac->scmp_arch, nr))
                        why = "denies it more strictly than either and the merge did not report it";
        }
        if (!why)
                return;
        dump("A", a), dump("B", b), dump("merged", m);
        name = seccomp_syscall_resolve_num_arch(ac->scmp_arch, nr);
        fail_msg("%s syscall %d (%s) args %llx %llx %llx %llx: merged %#x %s (A %#x, B %#x)", ac->name,
                 nr & ~(int) X32_BIT, name ? name : "?", (unsigned long long) d->args[0],
                 (unsigned long long) d->args[1], (unsigned long long) d->args[2],
                 (unsigned long long) d->args[3], rm, why, ra, rb);
}

/*
 * Check the merge rule over every syscall number of x86_64, i386 and x32:
 * all arguments 0, all ones, then every sample in each argument a rule
 * conditions on (the others drawn from the samples), then random draws.
 * Returns 0 when merged, or the merge's error (random pairs may be ones
 * libseccomp cannot merge exactly: the merge must then refuse).
 */
static int prove(const struct sc_profile *a, const struct sc_profile *b, struct tally *t, struct pal_err *merge_err)
{
        _cleanup_sc_profile_ struct sc_profile m = { 0 };
        struct program pa, pb, pm;
        struct pal_err err = { 0 };
        struct sc_loss loss;
        static struct samples s;
        int r;

        if ((r = sc_merge(a, b, &m, &loss, merge_err)) < 0)
                return r;
        if (sc_check_at_least(&m, a, &err) < 0 || sc_check_at_least(&m, b, &err) < 0) {
                dump("A", a), dump("B", b), dump("merged", &m);
                fail_msg("merged profile judged weaker than an input: %s", err.msg);
        }
        compile(a, &pa);
        compile(b, &pb);
        compile(&m, &pm);
        s = (struct samples) { .n = 0 };
        samples_of(a, &s);
        samples_of(b, &s);
        t->samples = s.n > t->samples ? s.n : t->samples;
        for (size_t ai = 0; ai < N_ELEMENTS(arches); ai++) {
                const struct arch_case *ac = &arches[ai];
                for (int nr = 0; nr < MAX_NR; nr++) {
                        struct seccomp_data d = { .nr = (int) ((uint32_t) nr | ac->nr_bit), .arch = ac->audit_arch };
                        size_t trials = 2 + 8;

                        for (unsigned k = 0; k < SC_MAX_ARGS; k++)
                                trials += s.index_used[k] ? s.n : 0;
                        for (size_t trial = 0; trial < trials; trial++) {
                                size_t sweep = trial - 2;
                                unsigned k;

                                for (k = 0; k < SC_MAX_ARGS; k++)
                                        d.args[k] = trial == 0 ? 0 : trial == 1 ? ~UINT64_C(0) : s.v[rng() % s.n];
                                /* The sweep: argument k takes every sample in turn. */
                                for (k = 0; trial >= 2 && k < SC_MAX_ARGS; k++) {
                                        if (!s.index_used[k])
                                                continue;
                                        if (sweep < s.n) {
                                                d.args[k] = s.v[sweep];
                                                break;
                                        }
                                        sweep -= s.n;
                                }
                                judge(a, b, &m, &loss, ac, d.nr, &d, bpf_run(pa.insns, pa.len, &d),
                                      bpf_run(pb.insns, pb.len, &d), bpf_run(pm.insns, pm.len, &d), t);
                        }
                }
        }
        free(pa.insns);
        free(pb.insns);
        free(pm.insns);
        return 0;
}

/* test/data/NAME of this source tree, found from the test binary (BUILD/unit/test_seccomp). */
static void data_path(const char *name, char *buf, size_t size)
{
        char exe[4096];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

        assert_true(n > 0);
        exe[n] = '\0';
        for (int up = 0; up < 3; up++) {
                char *slash = strrchr(exe, '/');
                assert_non_null(slash);
                *slash = '\0';
        }
        assert_true((size_t) snprintf(buf, size, "%s/test/data/%s", exe, name) < size);
        if (access(buf, R_OK) != 0)
                fail_msg("%s: %s", buf, strerror(errno));
}

static void load(const char *path, uint64_t caps, struct sc_profile *p)
{
        struct sc_target t = { .bounding = caps, .native_arch = SCMP_ARCH_X86_64 };
        struct pal_err err = { 0 };

        if (sc_profile_load(path, &t, SC_UNKNOWN_SKIP, p, NULL, &err) < 0)
                fail_msg("%s: %s", path, err.msg);
}

/* Docker's default bounding set (the 14 capabilities of moby's oci/caps/defaults.go). */
#define CAP(n) (UINT64_C(1) << (n))
static const uint64_t docker_caps = CAP(0) | CAP(1) | CAP(3) | CAP(4) | CAP(5) | CAP(6) | CAP(7) | CAP(8) |
                                    CAP(10) | CAP(13) | CAP(18) | CAP(27) | CAP(29) | CAP(31);
#define CAP_SYS_ADMIN_BIT CAP(21)

/*
 * The profiles people run: palisade's built-in one, Podman's stock file
 * (containers-common, resolved for the bounding set), and the linux.seccomp
 * Docker 20.10 and containerd 1.6 write into a default container's
 * config.json (test/data/README), each without and with CAP_SYS_ADMIN,
 * merged every way.
 */
static void test_users_profiles(void **state)
{
        static const struct {
                const char *name, *plain, *sys_admin;   /* a file of test/data, or a path */
        } sources[] = {
                { "builtin", SC_BUILTIN, SC_BUILTIN },
                { "podman", PODMAN_PROFILE, PODMAN_PROFILE },
                { "docker", "seccomp-docker-20.10.24.json", "seccomp-docker-20.10.24-sys-admin.json" },
                { "containerd", "seccomp-containerd-1.6.20.json", "seccomp-containerd-1.6.20-sys-admin.json" },
        };
        enum { N = N_ELEMENTS(sources) };
        struct tally total = { 0 };
        size_t pairs = 0;

        if (access(PODMAN_PROFILE, R_OK) != 0)
                fail_msg(PODMAN_PROFILE " is missing: install podman (contrib/install-deps.sh)");
        for (int admin = 0; admin < 2; admin++) {
                struct sc_profile p[N] = { 0 };
                uint64_t caps = docker_caps | (admin ? CAP_SYS_ADMIN_BIT : 0);

                for (size_t i = 0; i < N; i++) {
                        const char *f = admin ? sources[i].sys_admin : sources[i].plain;
                        char path[4096];

                        if (strcmp(f, SC_BUILTIN) != 0 && f[0] != '/')
                                data_path(f, path, sizeof(path));
                        else
                                snprintf(path, sizeof(path), "%s", f);
                        load(path, caps, &p[i]);
                }
                for (size_t i = 0; i < N; i++)
                        for (size_t k = 0; k < N; k++) {
                                struct tally t = { 0 };
                                struct pal_err err = { 0 };

                                if (i == k)
                                        continue;
                                if (prove(&p[i], &p[k], &t, &err) < 0)
                                        fail_msg("%s + %s%s: %s", sources[i].name, sources[k].name,
                                                 admin ? " (CAP_SYS_ADMIN)" : "", err.msg);
                                /* Each pair: every syscall of three architectures, calls allowed and denied. */
                                if (t.compared < 3 * MAX_NR * 10 || t.allowed < 3 * 250 * 10 || t.denied < 3 * 50)
                                        fail_msg("%s + %s: only %zu verdicts compared (%zu allowed, %zu denied)",
                                                 sources[i].name, sources[k].name, t.compared, t.allowed, t.denied);
                                total.compared += t.compared;
                                total.allowed += t.allowed;
                                total.denied += t.denied;
                                total.samples = t.samples > total.samples ? t.samples : total.samples;
                                pairs++;
                        }
                for (size_t i = 0; i < N; i++)
                        sc_profile_free(&p[i]);
        }
        print_message("# %zu profile pairs, %zu verdicts compared (%zu allowed by both, %zu denied by one; "
                      "up to %zu argument values a pair)\n", pairs, total.compared, total.allowed, total.denied,
                      total.samples);
        assert_int_equal(pairs, 2 * N * (N - 1));
}

/* The case Docker users met: clone under EPERM and under ENOSYS defaults; fork allowed, namespaces denied. */
static void test_docker_clone(void **state)
{
        _cleanup_sc_profile_ struct sc_profile dock = { 0 }, pal = { 0 }, m = { 0 };
        struct program pm;
        struct pal_err err = { 0 };
        struct sc_loss loss;
        char path[4096];
        int clone_nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, "clone");
        struct seccomp_data fork_call = { .nr = clone_nr, .arch = AUDIT_ARCH_X86_64, .args = { 0x01200011 } };
        struct seccomp_data ns_call = { .nr = clone_nr, .arch = AUDIT_ARCH_X86_64, .args = { 0x10000000 | 17 } };

        data_path("seccomp-docker-20.10.24.json", path, sizeof(path));
        load(path, docker_caps, &dock);
        load(SC_BUILTIN, docker_caps, &pal);
        for (int way = 0; way < 2; way++) {
                if (sc_merge(way ? &dock : &pal, way ? &pal : &dock, &m, &loss, &err) < 0)
                        fail_msg("merge: %s", err.msg);
                compile(&m, &pm);
                /* CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD, what fork() passes. */
                assert_int_equal(bpf_run(pm.insns, pm.len, &fork_call), SCMP_ACT_ALLOW);
                assert_true(denies(bpf_run(pm.insns, pm.len, &ns_call)));     /* CLONE_NEWUSER */
                assert_int_equal(loss.count, 0);
                free(pm.insns);
                sc_profile_free(&m);
        }
}

static void profile_text(const char *text, struct sc_profile *p)
{
        _cleanup_json_ struct json *doc = NULL;
        struct sc_target t = { .native_arch = SCMP_ARCH_X86_64 };
        struct pal_err err = { 0 };

        if (json_parse(text, strlen(text), &json_untrusted_limits, &doc, &err) < 0 ||
            sc_profile_from_json(doc, "p", &t, SC_UNKNOWN_REFUSE, p, NULL, &err) < 0)
                fail_msg("%s: %s", text, err.msg);
}

/* Allowed where two conditions on one argument meet, and no one rule says that: refused, not guessed. */
static void test_refuses_inexact(void **state)
{
        _cleanup_sc_profile_ struct sc_profile a = { 0 }, b = { 0 }, m = { 0 };
        struct pal_err err = { 0 };
        struct sc_loss loss;

        profile_text("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"args\":[{\"index\":0,\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}", &a);
        profile_text("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"args\":[{\"index\":0,\"value\":5,\"op\":\"SCMP_CMP_GE\"}]}]}", &b);
        assert_int_equal(sc_merge(&a, &b, &m, &loss, &err), -EINVAL);
        assert_string_equal(err.msg, "seccomp merge: syscall clone: two argument rules match the same calls and their "
                            "conditions do not make one rule; libseccomp rules cannot say the merge exactly, and the "
                            "merge never denies a call both profiles allow nor allows one either denies");
}

/* Interpreter view of "builtin at least as strict as Podman's", not just the checker's. */
static void test_builtin_at_least_podman(void **state)
{
        _cleanup_sc_profile_ struct sc_profile pod = { 0 }, pal = { 0 };
        struct pal_err err = { 0 };
        struct program pp, pb;
        size_t compared = 0;

        load(PODMAN_PROFILE, runc_caps, &pod);
        load(SC_BUILTIN, runc_caps, &pal);
        compile(&pod, &pp);
        compile(&pal, &pb);
        for (size_t ai = 0; ai < N_ELEMENTS(arches); ai++)
                for (int nr = 0; nr < MAX_NR; nr++) {
                        struct seccomp_data d = { .nr = (int) ((uint32_t) nr | arches[ai].nr_bit),
                                                  .arch = arches[ai].audit_arch };
                        uint32_t rp = bpf_run(pp.insns, pp.len, &d), rb = bpf_run(pb.insns, pb.len, &d);
                        assert_int_not_equal(rp, BPF_INTERP_BAD);
                        assert_int_not_equal(rb, BPF_INTERP_BAD);
                        compared++;
                        if (stricter(rp, rb))
                                fail_msg("%s syscall %d (%s): builtin %#x, Podman %#x", arches[ai].name, nr,
                                         seccomp_syscall_resolve_num_arch(arches[ai].scmp_arch, nr) ?: "?", rb, rp);
                }
        free(pp.insns);
        free(pb.insns);
        assert_int_equal(compared, N_ELEMENTS(arches) * MAX_NR);
        /* The checker agrees, for every syscall. */
        if (sc_check_at_least(&pal, &pod, &err) < 0)
                fail_msg("builtin weaker than Podman's: %s", err.msg);
}

static const char *const some_syscalls[] = {
        "read", "write", "open", "close", "mmap", "ioctl", "socket", "connect", "clone", "personality",
        "unshare", "setns", "mount", "keyctl", "ptrace", "kill", "prctl", "fcntl", "getpid", "setuid",
        "bpf", "madvise", "futex", "openat", "chmod", "chown", "sendto", "recvfrom", "dup3", "pipe2",
};

static const uint32_t random_actions[] = {
        SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_TRACE(1), SCMP_ACT_ERRNO(1), SCMP_ACT_ERRNO(38),
        SCMP_ACT_TRAP, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS,
};

static const char *const random_ops[] = { "SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_GE", "SCMP_CMP_MASKED_EQ" };

static void action_json(uint32_t act, const char *key, const char *errno_key, char *buf, size_t size)
{
        if ((act & 0xffff0000u) == SCMP_ACT_ERRNO(0) || (act & 0xffff0000u) == SCMP_ACT_TRACE(0))
                snprintf(buf, size, "\"%s\": \"%s\", \"%s\": %u", key, sc_action_name(act), errno_key, act & 0xffffu);
        else
                snprintf(buf, size, "\"%s\": \"%s\"", key, sc_action_name(act));
}

/* A random profile: plain rules, and per name either conditional rules or a plain one. */
static void random_profile(struct sc_profile *out)
{
        char text[16384], act[96];
        size_t used = 0;
        bool used_name[N_ELEMENTS(some_syscalls)] = { false };
        _cleanup_json_ struct json *doc = NULL;
        struct sc_target t = { .native_arch = SCMP_ARCH_X86_64 };
        struct pal_err err = { 0 };
        int n = 4 + (int) (rng() % 14);

        action_json(random_actions[rng() % 5], "defaultAction", "defaultErrnoRet", act, sizeof(act));
        used += (size_t) snprintf(text + used, sizeof(text) - used, "{ %s, \"architectures\": [%s], \"syscalls\": [",
                                  act, rng() % 4 ? "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\""
                                                 : "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X32\"");
        for (int i = 0; i < n; i++) {
                size_t name = rng() % N_ELEMENTS(some_syscalls);
                int conds = rng() % 3 == 0 ? 1 + (int) (rng() % 3) : 0;

                if (used_name[name])
                        continue;
                used_name[name] = true;
                if (!conds) {
                        action_json(random_actions[rng() % N_ELEMENTS(random_actions)], "action", "errnoRet", act,
                                    sizeof(act));
                        used += (size_t) snprintf(text + used, sizeof(text) - used, "%s{ \"names\": [\"%s\"], %s }",
                                                  used_name[name] && i ? "," : "", some_syscalls[name], act);
                        continue;
                }
                /* Conditions on distinct argument values: rules of one name never overlap. */
                for (int c = 0; c < conds; c++) {
                        const char *op = random_ops[rng() % N_ELEMENTS(random_ops)];
                        unsigned idx = (unsigned) (rng() % 3);

                        if (c > 0)
                                op = "SCMP_CMP_EQ";
                        action_json(random_actions[rng() % N_ELEMENTS(random_actions)], "action", "errnoRet", act,
                                    sizeof(act));
                        used += (size_t) snprintf(text + used, sizeof(text) - used,
                                                  ",{ \"names\": [\"%s\"], %s, \"args\": [{ \"index\": %u, \"value\": %u, "
                                                  "\"valueTwo\": %u, \"op\": \"%s\" }] }",
                                                  some_syscalls[name], act, c == 0 ? idx : 0,
                                                  c == 0 ? (unsigned) (rng() % 64) : 100u + (unsigned) c,
                                                  (unsigned) (rng() % 4), op);
                        if (c == 0 && strcmp(op, "SCMP_CMP_EQ") != 0)
                                break;  /* a range or mask rule alone: no overlap */
                }
        }
        used += (size_t) snprintf(text + used, sizeof(text) - used, "] }");
        /* The first rule may start with a comma: make it valid JSON. */
        char *fix = strstr(text, "[,");
        if (fix)
                fix[1] = ' ';
        if (json_parse(text, strlen(text), &json_untrusted_limits, &doc, &err) < 0)
                fail_msg("random profile is not JSON (%s): %s", err.msg, text);
        if (sc_profile_from_json(doc, "random", &t, SC_UNKNOWN_REFUSE, out, NULL, &err) < 0)
                fail_msg("random profile: %s: %s", err.msg, text);
}

static void test_random_pairs(void **state)
{
        size_t pairs = 0, refused = 0;
        struct tally t = { 0 };

        for (int i = 0; i < 600 && pairs < 150; i++) {
                _cleanup_sc_profile_ struct sc_profile a = { 0 }, b = { 0 };
                struct pal_err err = { 0 };

                random_profile(&a);
                random_profile(&b);
                /* Some random rule sets are ones libseccomp itself refuses: not a merge question. */
                if (sc_validate(&a, "a", &err) < 0 || sc_validate(&b, "b", &err) < 0)
                        continue;
                if (prove(&a, &b, &t, &err) < 0) {
                        /* A merge libseccomp cannot say exactly is refused, never approximated. */
                        if (!strstr(err.msg, "libseccomp rules cannot say the merge exactly"))
                                fail_msg("merge: %s", err.msg);
                        refused++;
                        continue;
                }
                pairs++;
        }
        print_message("# %zu random pairs merged (%zu refused), %zu verdicts compared (%zu allowed by both, "
                      "%zu denied by one)\n", pairs, refused, t.compared, t.allowed, t.denied);
        assert_true(pairs >= 100);
        assert_true(t.compared >= pairs * 3 * MAX_NR * 10);
        assert_true(t.allowed >= 10000 && t.denied >= 10000);
}

/* A merged profile merged again with either input is unchanged in meaning and passes the check. */
static void test_required_check(void **state)
{
        _cleanup_sc_profile_ struct sc_profile pod = { 0 }, pal = { 0 }, m = { 0 }, allow = { 0 };
        _cleanup_json_ struct json *doc = NULL;
        struct sc_target t = { .native_arch = SCMP_ARCH_X86_64 };
        struct pal_err err = { 0 };
        struct sc_loss loss;
        static const char unconfined[] = "{ \"defaultAction\": \"SCMP_ACT_ALLOW\" }";

        load(PODMAN_PROFILE, runc_caps, &pod);
        load(SC_BUILTIN, runc_caps, &pal);
        assert_int_equal(sc_merge(&pal, &pod, &m, &loss, &err), 0);
        assert_int_equal(sc_check_at_least(&m, &pal, &err), 0);
        assert_int_equal(sc_check_at_least(&m, &pod, &err), 0);
        /* Podman's own is weaker than palisade's (unshare, keyctl, mount...). */
        assert_int_equal(sc_check_at_least(&pod, &pal, &err), -EPERM);
        assert_non_null(strstr(err.msg, "syscall"));
        assert_int_equal(json_parse(unconfined, sizeof(unconfined) - 1, &json_untrusted_limits, &doc, &err), 0);
        assert_int_equal(sc_profile_from_json(doc, "x", &t, SC_UNKNOWN_SKIP, &allow, NULL, &err), 0);
        assert_int_equal(sc_check_at_least(&allow, &pal, &err), -EPERM);
        assert_string_equal(err.msg, "defaultAction is SCMP_ACT_ALLOW, policy requires SCMP_ACT_ERRNO(38)");
}

static void test_precedence(void **state)
{
        const uint32_t order[] = { SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO(1),
                                   SCMP_ACT_NOTIFY, SCMP_ACT_TRACE(1), SCMP_ACT_LOG, SCMP_ACT_ALLOW };

        for (size_t i = 0; i < N_ELEMENTS(order); i++)
                for (size_t k = 0; k < N_ELEMENTS(order); k++) {
                        assert_int_equal(sc_action_stricter(order[i], order[k]), i < k);
                        assert_int_equal(sc_action_max(order[i], order[k]), order[i < k ? i : k]);
                }
        assert_false(sc_action_stricter(SCMP_ACT_ERRNO(1), SCMP_ACT_ERRNO(38)));
        assert_int_equal(sc_action_max(SCMP_ACT_ERRNO(1), SCMP_ACT_ERRNO(38)), SCMP_ACT_ERRNO(1));
}

static void check_bad_profile(void **state)
{
        const struct bad_case *c = *state;
        _cleanup_json_ struct json *doc = NULL;
        _cleanup_sc_profile_ struct sc_profile p = { 0 };
        struct sc_target t = { .native_arch = SCMP_ARCH_X86_64 };
        struct pal_err err = { 0 };
        int r;

        r = json_parse(c->text, c->len, &json_untrusted_limits, &doc, &err);
        if (r == 0)
                r = sc_profile_from_json(doc, "p.json", &t, SC_UNKNOWN_REFUSE, &p, NULL, &err);
        assert_int_equal(r, c->code);
        assert_string_equal(err.msg, c->msg);
}

static const struct bad_case bad[] = {
        BAD("unknown syscall", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"nosuchcall\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
            -EINVAL, "p.json: syscalls[0].names[1]: unknown syscall \"nosuchcall\" (libseccomp does not know it; policy seccomp.unknown_syscalls is \"refuse\")"),
        BAD("unknown action", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_MAYBE\"}]}",
            -EINVAL, "p.json: syscalls[0].action: unknown action \"SCMP_ACT_MAYBE\" (SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_NOTIFY, SCMP_ACT_TRACE, SCMP_ACT_LOG, SCMP_ACT_ALLOW)"),
        BAD("unknown default action", "{\"defaultAction\":\"ALLOW\"}",
            -EINVAL, "p.json: defaultAction: unknown action \"ALLOW\" (SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_NOTIFY, SCMP_ACT_TRACE, SCMP_ACT_LOG, SCMP_ACT_ALLOW)"),
        BAD("missing default action", "{\"syscalls\":[]}", -EINVAL, "p.json: defaultAction: missing (e.g. \"SCMP_ACT_ERRNO\")"),
        BAD("unknown arch", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_Z80\"]}",
            -EINVAL, "p.json: architectures[1]: unknown architecture \"SCMP_ARCH_Z80\" (libseccomp names, e.g. SCMP_ARCH_X86_64)"),
        BAD("unknown op", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_SIMILAR\"}]}]}",
            -EINVAL, "p.json: syscalls[0].args[0]: unknown op \"SCMP_CMP_SIMILAR\" (SCMP_CMP_EQ, _NE, _LT, _LE, _GE, _GT, _MASKED_EQ)"),
        BAD("arg index 6", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
            -ERANGE, "p.json: syscalls[0].args[0].index: 6 is out of range [0, 5]"),
        BAD("two conditions on one argument", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_GE\"},{\"index\":0,\"value\":9,\"op\":\"SCMP_CMP_LE\"}]}]}",
            -EINVAL, "p.json: syscalls[0].args[1]: a second condition on argument 0 (runc and crun disagree on what that means; write one rule per condition)"),
        BAD("negative value", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
            -EINVAL, "p.json: syscalls[0].args[0].value: expected an unsigned 64-bit integer"),
        BAD("errnoRet on ALLOW", "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1}",
            -EINVAL, "p.json: defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a return value, not SCMP_ACT_ALLOW"),
        BAD("unknown key", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultActoin\":\"SCMP_ACT_ALLOW\"}",
            -EINVAL, "p.json: defaultActoin: unknown key"),
        BAD("unknown flag", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"flags\":[\"SECCOMP_FILTER_FLAG_FAST\"]}",
            -EINVAL, "p.json: flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FAST\""),
        BAD("names not strings", "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[1],\"action\":\"SCMP_ACT_ALLOW\"}]}",
            -EINVAL, "p.json: syscalls[0].names[0]: expected a string, got a number"),
        BAD("not an object", "[]", -EINVAL, "p.json: (root): expected an object, got an array"),
};

/* 10,000 rules of distinct names are more than SC_MAX_RULES allows? No: the limit is 16384; 20,000 are refused. */
static void test_too_many_rules(void **state)
{
        size_t size = 64 + 20000 * 48, used = 0;
        _cleanup_free_ char *text = malloc(size);
        _cleanup_json_ struct json *doc = NULL;
        _cleanup_sc_profile_ struct sc_profile p = { 0 };
        struct sc_target t = { .native_arch = SCMP_ARCH_X86_64 };
        struct pal_err err = { 0 };

        assert_non_null(text);
        used += (size_t) snprintf(text, size, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[");
        for (int i = 0; i < 20000; i++)
                used += (size_t) snprintf(text + used, size - used, "%s{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}",
                                          i ? "," : "");
        snprintf(text + used, size - used, "]}");
        assert_int_equal(json_parse(text, strlen(text), &json_untrusted_limits, &doc, &err), 0);
        assert_int_equal(sc_profile_from_json(doc, "big.json", &t, SC_UNKNOWN_SKIP, &p, NULL, &err), -EINVAL);
        assert_string_equal(err.msg, "big.json: syscalls[16384].names[0]: more than 16384 rules (counting one per syscall name)");
}

int main(void)
{
        const struct CMUnitTest fixed[] = {
                cmocka_unit_test(test_precedence),
                cmocka_unit_test(test_required_check),
                cmocka_unit_test(test_builtin_at_least_podman),
                cmocka_unit_test(test_users_profiles),
                cmocka_unit_test(test_docker_clone),
                cmocka_unit_test(test_refuses_inexact),
                cmocka_unit_test(test_random_pairs),
                cmocka_unit_test(test_too_many_rules),
        };

        return run_with_cases("seccomp", fixed, N_ELEMENTS(fixed), bad, N_ELEMENTS(bad), check_bad_profile);
}
