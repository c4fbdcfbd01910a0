/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading seccomp profiles (OCI and Docker/moby formats) into struct
 * sc_profile, and writing the OCI form back. A spec's linux.seccomp comes
 * from the container owner: every key is checked, unknown keys refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "profile.h"
#include "lib/capname.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"

#define PROFILE_MAX_BYTES (4u << 20)

static const char *const profile_keys[] = {
        "defaultAction", "defaultErrnoRet", "architectures", "flags", "listenerPath", "listenerMetadata",
        "syscalls",
        /* Docker/moby only; containers/common adds errno names */
        "archMap", "defaultErrno",
        NULL,
};
static const char *const rule_keys[] = {
        "names", "action", "errnoRet", "args",
        /* Docker/moby only; containers/common adds errno names */
        "name", "comment", "includes", "excludes", "errno",
        NULL,
};
static const char *const arg_keys[] = { "index", "value", "valueTwo", "op", NULL };
static const char *const filter_keys[] = { "caps", "arches", "minKernel", NULL };
static const char *const archmap_keys[] = { "architecture", "subArchitectures", NULL };

static const struct {
        const char *name;
        int op;
} ops[] = {
        { "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT }, { "SCMP_CMP_LE", SCMP_CMP_LE },
        { "SCMP_CMP_EQ", SCMP_CMP_EQ }, { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
        { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

static const struct {
        const char *name;
        unsigned flag;
} flag_names[] = {
        { "SECCOMP_FILTER_FLAG_LOG", SC_FLAG_LOG },
        { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SC_FLAG_SPEC_ALLOW },
        { "SECCOMP_FILTER_FLAG_TSYNC", SC_FLAG_TSYNC },
        { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SC_FLAG_WAIT_KILLABLE_RECV },
};

struct reader {
        const char *what;
        struct sc_target target;
        enum sc_unknown unknown;
        struct sc_profile *p;
        size_t skipped;
        bool docker;                    /* Docker-only keys seen */
};

/* Docker's profiles write null for an absent member ("args": null): drop them, so the typed readers see only values. */
static void drop_nulls(struct json *obj)
{
        for (size_t i = 0; obj->type == JSON_OBJECT && i < obj->len;)
                if (obj->items[i]->type == JSON_NULL)
                        json_remove(obj, obj->keys[i]);
                else
                        i++;
}

static int fail(struct reader *r, struct pal_err *err, const struct jpath *p, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static int fail(struct reader *r, struct pal_err *err, const struct jpath *p, const char *fmt, ...)
{
        char msg[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        return pal_err_set(err, -EINVAL, "%s: %s: %s", r->what, jpath_str(p), msg);
}

/* A JSON number as uint64 (argument values use the whole range). */
static int as_u64(const struct json *v, const struct jpath *p, uint64_t *out, struct pal_err *err)
{
        char *end;

        if (v->type != JSON_NUMBER || v->str[0] == '-' || !v->str[0])
                return pal_err_set(err, -EINVAL, "%s: expected an unsigned 64-bit integer", jpath_str(p));
        errno = 0;
        *out = strtoull(v->str, &end, 10);
        if (errno || *end)
                return pal_err_set(err, -EINVAL, "%s: %.64s is not an unsigned 64-bit integer", jpath_str(p), v->str);
        return 0;
}

static int add_arch(struct reader *r, const char *name, struct jpath *p, struct pal_err *err)
{
        uint32_t arch;

        if (sc_arch_parse(name, &arch) < 0)
                return fail(r, err, p, "unknown architecture \"%.64s\" (libseccomp names, e.g. SCMP_ARCH_X86_64)",
                            name);
        for (unsigned i = 0; i < r->p->n_arches; i++)
                if (r->p->arches[i] == arch)
                        return 0;
        if (r->p->n_arches >= SC_MAX_ARCHES)
                return fail(r, err, p, "more than %d architectures", SC_MAX_ARCHES);
        r->p->arches[r->p->n_arches++] = arch;
        return 0;
}

static int read_arches(struct reader *r, const struct json *doc, struct jpath *p, struct pal_err *err)
{
        struct json *list = NULL, *map = NULL;
        size_t m;
        int ret;

        if ((ret = json_opt_member(doc, "architectures", JSON_ARRAY, p, &list, err)) < 0 ||
            (ret = json_opt_member(doc, "archMap", JSON_ARRAY, p, &map, err)) < 0)
                return ret;
        m = jpath_key(p, "architectures");
        if (list && (ret = json_expect_strings(list, p, err)) < 0)
                return ret;
        for (size_t i = 0; list && i < list->len; i++) {
                size_t mi = jpath_index(p, i);
                if ((ret = add_arch(r, list->items[i]->str, p, err)) < 0)
                        return ret;
                jpath_pop(p, mi);
        }
        jpath_pop(p, m);
        if (!map)
                return 0;
        /* Docker: the native architecture's entry, with its sub-architectures. */
        r->docker = true;
        m = jpath_key(p, "archMap");
        for (size_t i = 0; i < map->len; i++) {
                const struct json *e = map->items[i];
                struct json *subs = NULL;
                const char *name = NULL;
                uint32_t arch;
                size_t mi = jpath_index(p, i);

                if ((ret = json_expect(e, JSON_OBJECT, p, err)) < 0 ||
                    (ret = json_only_keys(e, archmap_keys, false, p, err)) < 0 ||
                    (ret = json_opt_string(e, "architecture", p, &name, err)) < 0 ||
                    (ret = json_opt_member(e, "subArchitectures", JSON_ARRAY, p, &subs, err)) < 0)
                        return ret;
                if (!name)
                        return fail(r, err, p, "%s", "architecture is missing");
                if (sc_arch_parse(name, &arch) < 0)
                        return fail(r, err, p, "unknown architecture \"%.64s\"", name);
                if (subs && (ret = json_expect_strings(subs, p, err)) < 0)
                        return ret;
                if (arch == r->target.native_arch) {
                        if ((ret = add_arch(r, name, p, err)) < 0)
                                return ret;
                        for (size_t s = 0; subs && s < subs->len; s++)
                                if ((ret = add_arch(r, subs->items[s]->str, p, err)) < 0)
                                        return ret;
                }
                jpath_pop(p, mi);
        }
        jpath_pop(p, m);
        return 0;
}

static int read_flags(struct reader *r, const struct json *doc, struct jpath *p, struct pal_err *err)
{
        struct json *flags = NULL;
        size_t m;
        int ret;

        if ((ret = json_opt_member(doc, "flags", JSON_ARRAY, p, &flags, err)) < 0 || !flags)
                return ret;
        m = jpath_key(p, "flags");
        if ((ret = json_expect_strings(flags, p, err)) < 0)
                return ret;
        for (size_t i = 0; i < flags->len; i++) {
                size_t k, mi = jpath_index(p, i);

                for (k = 0; k < ARRAY_SIZE(flag_names); k++)
                        if (strcmp(flag_names[k].name, flags->items[i]->str) == 0)
                                break;
                if (k == ARRAY_SIZE(flag_names))
                        return fail(r, err, p, "unknown flag \"%.64s\"", flags->items[i]->str);
                r->p->flags |= flag_names[k].flag;
                jpath_pop(p, mi);
        }
        jpath_pop(p, m);
        return 0;
}

/* "ENOSYS" -> 38: containers/common profiles name errnos as well as number them. */
static int errno_by_name(const char *name)
{
        for (int e = 1; e < 4096; e++) {
                const char *n = strerrorname_np(e);
                if (n && strcmp(n, name) == 0)
                        return e;
        }
        return -1;
}

static int read_action(struct reader *r, const struct json *obj, const char *key, const char *errno_key,
                       const char *errno_name_key, struct jpath *p, uint32_t *out, struct pal_err *err)
{
        const char *name = NULL, *errno_name = NULL;
        int64_t errno_ret = 0;
        const struct json *has = json_get(obj, errno_key);
        int ret;

        if ((ret = json_opt_string(obj, key, p, &name, err)) < 0 ||
            (ret = json_opt_i64(obj, errno_key, p, 0, 4095, &errno_ret, err)) < 0 ||
            (ret = json_opt_string(obj, errno_name_key, p, &errno_name, err)) < 0)
                return ret;
        if (!has && errno_name && *errno_name) {
                int e = errno_by_name(errno_name);
                size_t m = jpath_key(p, errno_name_key);
                if (e < 0)
                        return fail(r, err, p, "unknown errno name \"%.32s\" (e.g. \"EPERM\")", errno_name);
                jpath_pop(p, m);
                errno_ret = e;
                has = obj;
        }
        if (!name) {
                size_t m = jpath_key(p, key);
                ret = fail(r, err, p, "%s", "missing (e.g. \"SCMP_ACT_ERRNO\")");
                jpath_pop(p, m);
                return ret;
        }
        ret = sc_action_parse(name, errno_ret, has != NULL, out);
        if (ret < 0) {
                size_t m = jpath_key(p, ret == -ENOENT ? key : errno_key);
                ret = ret == -ENOENT
                        ? fail(r, err, p, "unknown action \"%.64s\" (SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, "
                               "SCMP_ACT_KILL, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_NOTIFY, SCMP_ACT_TRACE, "
                               "SCMP_ACT_LOG, SCMP_ACT_ALLOW)", name)
                        : fail(r, err, p, "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a return value, not %.64s",
                               name);
                jpath_pop(p, m);
        }
        return ret;
}

static int read_arg(struct reader *r, const struct json *a, struct jpath *p, struct sc_arg *out, struct pal_err *err)
{
        const char *op = NULL;
        struct json *v;
        int64_t index = -1;
        size_t k, m;
        int ret;

        if ((ret = json_expect(a, JSON_OBJECT, p, err)) < 0 ||
            (ret = json_only_keys(a, arg_keys, false, p, err)) < 0 ||
            (ret = json_opt_i64(a, "index", p, 0, SC_MAX_ARGS - 1, &index, err)) < 0 ||
            (ret = json_opt_string(a, "op", p, &op, err)) < 0)
                return ret;
        if (index < 0)
                return fail(r, err, p, "%s", "index is missing");
        if (!op)
                return fail(r, err, p, "%s", "op is missing");
        for (k = 0; k < ARRAY_SIZE(ops); k++)
                if (strcmp(ops[k].name, op) == 0)
                        break;
        if (k == ARRAY_SIZE(ops))
                return fail(r, err, p, "unknown op \"%.64s\" (SCMP_CMP_EQ, _NE, _LT, _LE, _GE, _GT, _MASKED_EQ)", op);
        *out = (struct sc_arg) { .index = (unsigned) index, .op = ops[k].op };
        if (!(v = json_get(a, "value")))
                return fail(r, err, p, "%s", "value is missing");
        m = jpath_key(p, "value");
        if ((ret = as_u64(v, p, &out->value, err)) < 0)
                return ret;
        jpath_pop(p, m);
        if ((v = json_get(a, "valueTwo"))) {
                m = jpath_key(p, "valueTwo");
                if ((ret = as_u64(v, p, &out->value_two, err)) < 0)
                        return ret;
                jpath_pop(p, m);
        }
        return 0;
}

/* Docker's includes/excludes: does this filter match the target? */
static int filter_matches(struct reader *r, const struct json *f, struct jpath *p, bool all_caps, bool *match,
                          struct pal_err *err)
{
        struct json *caps = NULL, *arches = NULL;
        const char *min_kernel = NULL;
        bool any_cap = false, all = true, arch_hit = false;
        int ret;

        *match = false;
        if ((ret = json_expect(f, JSON_OBJECT, p, err)) < 0 ||
            (ret = json_only_keys(f, filter_keys, false, p, err)) < 0 ||
            (ret = json_opt_member(f, "caps", JSON_ARRAY, p, &caps, err)) < 0 ||
            (ret = json_opt_member(f, "arches", JSON_ARRAY, p, &arches, err)) < 0 ||
            (ret = json_opt_string(f, "minKernel", p, &min_kernel, err)) < 0)
                return ret;
        if (caps) {
                size_t m = jpath_key(p, "caps");
                if ((ret = json_expect_strings(caps, p, err)) < 0)
                        return ret;
                for (size_t i = 0; i < caps->len; i++) {
                        char canon[CAP_NAME_MAX];
                        int cap;
                        size_t mi = jpath_index(p, i);

                        if (capname_parse(caps->items[i]->str, &cap, canon) < 0)
                                return fail(r, err, p, "unknown capability \"%.64s\"", caps->items[i]->str);
                        if (r->target.bounding & (UINT64_C(1) << cap))
                                any_cap = true;
                        else
                                all = false;
                        jpath_pop(p, mi);
                }
                jpath_pop(p, m);
        }
        if (arches) {
                size_t m = jpath_key(p, "arches");
                if ((ret = json_expect_strings(arches, p, err)) < 0)
                        return ret;
                for (size_t i = 0; i < arches->len; i++) {
                        uint32_t arch;
                        /* Names libseccomp does not know match nothing here. */
                        if (sc_arch_parse(arches->items[i]->str, &arch) == 0 && arch == r->target.native_arch)
                                arch_hit = true;
                }
                jpath_pop(p, m);
        }
        if (min_kernel) {
                unsigned major, minor;
                char extra;
                size_t m = jpath_key(p, "minKernel");

                if (sscanf(min_kernel, "%u.%u%c", &major, &minor, &extra) != 2)
                        return fail(r, err, p, "\"%.64s\" is not a kernel version like \"4.8\"", min_kernel);
                jpath_pop(p, m);
                if (r->target.kernel_major > major ||
                    (r->target.kernel_major == major && r->target.kernel_minor >= minor))
                        *match = true;
                else if (all_caps)
                        return 0;               /* includes: too old a kernel fails the whole filter */
        }
        /*
         * includes (all_caps): every listed capability held, the native arch
         * listed, the kernel new enough. excludes: any one of those.
         */
        if (all_caps)
                *match = (!caps || all) && (!arches || arch_hit);
        else
                *match = *match || (caps && any_cap) || (arches && arch_hit);
        return 0;
}

static int push_rule(struct reader *r, const char *name, uint32_t action, const struct sc_arg *args,
                     unsigned n_args, const struct jpath *p, struct pal_err *err)
{
        struct sc_profile *prof = r->p;
        struct sc_rule *rule;

        if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR) {
                if (r->unknown == SC_UNKNOWN_REFUSE)
                        return fail(r, err, p, "unknown syscall \"%.64s\" (libseccomp does not know it; "
                                    "policy seccomp.unknown_syscalls is \"refuse\")", name);
                r->skipped++;
                return 0;
        }
        if (prof->n_rules >= SC_MAX_RULES)
                return fail(r, err, p, "more than %d rules (counting one per syscall name)", SC_MAX_RULES);
        if (prof->n_rules % 64 == 0) {
                struct sc_rule *n = realloc(prof->rules, (prof->n_rules + 64) * sizeof(*n));
                if (!n)
                        return pal_err_set(err, -ENOMEM, "%s: out of memory", r->what);
                prof->rules = n;
        }
        rule = &prof->rules[prof->n_rules];
        *rule = (struct sc_rule) { .action = action, .n_args = n_args, .seq = prof->n_rules };
        if (!(rule->name = strdup(name)))
                return pal_err_set(err, -ENOMEM, "%s: out of memory", r->what);
        memcpy(rule->args, args, n_args * sizeof(*args));
        snprintf(rule->origin, sizeof(rule->origin), "%s", jpath_str(p));
        prof->n_rules++;
        return 0;
}

static int read_rule(struct reader *r, const struct json *e, struct jpath *p, struct pal_err *err)
{
        struct json *names = NULL, *args = NULL, *inc = NULL, *exc = NULL;
        struct sc_arg a[SC_MAX_ARGS];
        const char *name = NULL;
        unsigned n_args = 0;
        uint32_t action;
        int ret;

        if ((ret = json_expect(e, JSON_OBJECT, p, err)) < 0 ||
            (ret = json_only_keys(e, rule_keys, false, p, err)) < 0 ||
            (ret = json_opt_member(e, "names", JSON_ARRAY, p, &names, err)) < 0 ||
            (ret = json_opt_string(e, "name", p, &name, err)) < 0 ||
            (ret = json_opt_member(e, "args", JSON_ARRAY, p, &args, err)) < 0 ||
            (ret = json_opt_member(e, "includes", JSON_OBJECT, p, &inc, err)) < 0 ||
            (ret = json_opt_member(e, "excludes", JSON_OBJECT, p, &exc, err)) < 0 ||
            (ret = read_action(r, e, "action", "errnoRet", "errno", p, &action, err)) < 0)
                return ret;
        if (name || inc || exc || json_get(e, "comment"))
                r->docker = true;
        if (!names && !name)
                return fail(r, err, p, "%s", "names is missing");
        if (args && args->len > SC_MAX_ARGS)
                return fail(r, err, p, "more than %d argument conditions", SC_MAX_ARGS);
        for (size_t i = 0; args && i < args->len; i++) {
                size_t m = jpath_key(p, "args"), mi = jpath_index(p, i);

                if ((ret = read_arg(r, args->items[i], p, &a[n_args], err)) < 0)
                        return ret;
                /* runc ORs two conditions on one argument, crun ANDs them: no meaning to keep. */
                for (unsigned k = 0; k < n_args; k++)
                        if (a[k].index == a[n_args].index)
                                return fail(r, err, p, "a second condition on argument %u (runc and crun disagree "
                                            "on what that means; write one rule per condition)", a[k].index);
                n_args++;
                jpath_pop(p, mi);
                (void) m;
                jpath_pop(p, m);
        }
        if (inc || exc) {
                bool in = true, out = false;
                size_t m;

                if (inc) {
                        m = jpath_key(p, "includes");
                        if ((ret = filter_matches(r, inc, p, true, &in, err)) < 0)
                                return ret;
                        jpath_pop(p, m);
                }
                if (exc) {
                        m = jpath_key(p, "excludes");
                        if ((ret = filter_matches(r, exc, p, false, &out, err)) < 0)
                                return ret;
                        jpath_pop(p, m);
                }
                if (!in || out)
                        return 0;
        }
        if (name) {
                size_t m = jpath_key(p, "name");
                ret = push_rule(r, name, action, a, n_args, p, err);
                jpath_pop(p, m);
                if (ret < 0)
                        return ret;
        }
        for (size_t i = 0; names && i < names->len; i++) {
                size_t m = jpath_key(p, "names"), mi = jpath_index(p, i);

                if ((ret = json_expect(names->items[i], JSON_STRING, p, err)) < 0 ||
                    (ret = push_rule(r, names->items[i]->str, action, a, n_args, p, err)) < 0)
                        return ret;
                jpath_pop(p, mi);
                jpath_pop(p, m);
        }
        return 0;
}

static void fill_target(struct sc_target *t)
{
        struct utsname u;

        if (!t->native_arch)
                t->native_arch = sc_native_arch();
        if (!t->kernel_major && uname(&u) == 0 && sscanf(u.release, "%u.%u", &t->kernel_major, &t->kernel_minor) != 2)
                t->kernel_major = t->kernel_minor = 0;
}

const char sc_default_profile[] =
#include "default_seccomp.inc"
        ;

int sc_profile_from_json(const struct json *document, const char *what, const struct sc_target *target,
                         enum sc_unknown unknown, struct sc_profile *out, size_t *skipped, struct pal_err *err)
{
        struct reader r = { .what = what, .target = target ? *target : (struct sc_target) { 0 },
                            .unknown = unknown, .p = out };
        _cleanup_json_ struct json *doc = NULL;
        struct json *syscalls = NULL;
        const char *lp = NULL, *lm = NULL;
        struct jpath p;
        int ret;

        *out = (struct sc_profile) { 0 };
        fill_target(&r.target);
        jpath_init(&p);
        if ((ret = json_expect(document, JSON_OBJECT, &p, err)) < 0)
                return pal_err_wrap(err, "%s", what);
        /* One copy, nulls dropped from the profile and from each rule. */
        if (!(doc = json_clone(document)))
                return pal_err_set(err, -ENOMEM, "%s: out of memory", what);
        drop_nulls(doc);
        syscalls = json_get(doc, "syscalls");
        for (size_t i = 0; syscalls && syscalls->type == JSON_ARRAY && i < syscalls->len; i++)
                drop_nulls(syscalls->items[i]);
        syscalls = NULL;
        if ((ret = json_only_keys(doc, profile_keys, false, &p, err)) < 0 ||
            (ret = read_action(&r, doc, "defaultAction", "defaultErrnoRet", "defaultErrno", &p, &out->default_action, err)) < 0 ||
            (ret = read_arches(&r, doc, &p, err)) < 0 || (ret = read_flags(&r, doc, &p, err)) < 0 ||
            (ret = json_opt_string(doc, "listenerPath", &p, &lp, err)) < 0 ||
            (ret = json_opt_string(doc, "listenerMetadata", &p, &lm, err)) < 0 ||
            (ret = json_opt_member(doc, "syscalls", JSON_ARRAY, &p, &syscalls, err)) < 0)
                goto fail;
        if ((lp && !(out->listener_path = strdup(lp))) || (lm && !(out->listener_metadata = strdup(lm)))) {
                ret = pal_err_set(err, -ENOMEM, "%s: out of memory", what);
                goto fail;
        }
        for (size_t i = 0; syscalls && i < syscalls->len; i++) {
                size_t m = jpath_key(&p, "syscalls"), mi = jpath_index(&p, i);

                if ((ret = read_rule(&r, syscalls->items[i], &p, err)) < 0)
                        goto fail;
                jpath_pop(&p, mi);
                jpath_pop(&p, m);
        }
        if (skipped)
                *skipped = r.skipped;
        return 0;
fail:
        if (ret != -ENOMEM && !strstr(err->msg, what))
                pal_err_wrap(err, "%s", what);
        sc_profile_free(out);
        return ret;
}

typedef int (*read_fn)(const char *path, size_t max, char **out, size_t *out_len, struct pal_err *err);

static int read_host_file(const char *path, size_t max, char **out, size_t *out_len, struct pal_err *err)
{
        return read_file_at(AT_FDCWD, path, max, out, out_len, err);
}

static int load_with(read_fn reader, const char *path, const struct sc_target *target, enum sc_unknown unknown,
                     struct sc_profile *out, size_t *skipped, struct pal_err *err)
{
        static const struct json_limits limits = { PROFILE_MAX_BYTES, 16, 1u << 16 };
        _cleanup_free_ char *buf = NULL;
        _cleanup_json_ struct json *doc = NULL;
        const char *name = strcmp(path, OPERATOR_STDIN) == 0 ? OPERATOR_STDIN_NAME : path;
        size_t len;
        int r;

        if (strcmp(path, SC_BUILTIN) == 0) {
                if ((r = json_parse(sc_default_profile, strlen(sc_default_profile), &limits, &doc, err)) < 0)
                        return pal_err_wrap(err, "palisade's built-in seccomp profile");
                return sc_profile_from_json(doc, "palisade's built-in seccomp profile", target, unknown, out,
                                            skipped, err);
        }
        if ((r = reader(path, PROFILE_MAX_BYTES, &buf, &len, err)) < 0 ||
            (r = json_parse(buf, len, &limits, &doc, err)) < 0)
                return pal_err_wrap(err, "seccomp profile %s", name);
        return sc_profile_from_json(doc, name, target, unknown, out, skipped, err);
}

int sc_profile_load(const char *path, const struct sc_target *target, enum sc_unknown unknown,
                    struct sc_profile *out, size_t *skipped, struct pal_err *err)
{
        return load_with(read_host_file, path, target, unknown, out, skipped, err);
}

int sc_profile_load_operator(const char *path, const struct sc_target *target, enum sc_unknown unknown,
                             struct sc_profile *out, size_t *skipped, struct pal_err *err)
{
        return load_with(read_operator_file, path, target, unknown, out, skipped, err);
}

static struct json *u64_json(uint64_t v)
{
        char text[24];
        struct json *j = json_new_int(0);

        if (!j)
                return NULL;
        snprintf(text, sizeof(text), "%llu", (unsigned long long) v);
        free(j->str);
        if (!(j->str = strdup(text))) {
                json_free(j);
                return NULL;
        }
        return j;
}

static const char *op_name(int op)
{
        for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
                if (ops[i].op == op)
                        return ops[i].name;
        return "SCMP_CMP_?";
}

/* Set obj.action (and obj.errnoKey), the OCI way. */
static int set_action(struct json *obj, const char *key, const char *errno_key, uint32_t action)
{
        if (json_set(obj, key, json_new_string(sc_action_name(action))) < 0)
                return -ENOMEM;
        if ((action & 0xffff0000u) == SCMP_ACT_ERRNO(0) || (action & 0xffff0000u) == SCMP_ACT_TRACE(0))
                return json_set(obj, errno_key, json_new_int(action & 0xffffu));
        return 0;
}

static bool same_conditions(const struct sc_rule *a, const struct sc_rule *b)
{
        return a->action == b->action && a->n_args == b->n_args &&
               memcmp(a->args, b->args, a->n_args * sizeof(a->args[0])) == 0;
}

struct json *sc_profile_to_json(const struct sc_profile *p)
{
        _cleanup_json_ struct json *o = json_new(JSON_OBJECT);
        struct json *arches, *calls, *flags;

        if (!o || set_action(o, "defaultAction", "defaultErrnoRet", p->default_action) < 0 ||
            json_set(o, "architectures", (arches = json_new(JSON_ARRAY))) < 0)
                return NULL;
        for (unsigned i = 0; i < p->n_arches; i++)
                if (json_append(arches, json_new_string(sc_arch_name(p->arches[i]))) < 0)
                        return NULL;
        if (p->flags) {
                if (json_set(o, "flags", (flags = json_new(JSON_ARRAY))) < 0)
                        return NULL;
                for (size_t i = 0; i < ARRAY_SIZE(flag_names); i++)
                        if ((p->flags & flag_names[i].flag) &&
                            json_append(flags, json_new_string(flag_names[i].name)) < 0)
                                return NULL;
        }
        if ((p->listener_path && json_set(o, "listenerPath", json_new_string(p->listener_path)) < 0) ||
            (p->listener_metadata && json_set(o, "listenerMetadata", json_new_string(p->listener_metadata)) < 0) ||
            json_set(o, "syscalls", (calls = json_new(JSON_ARRAY))) < 0)
                return NULL;
        /* Consecutive rules with the same action and conditions share one entry. */
        for (size_t i = 0; i < p->n_rules;) {
                const struct sc_rule *rule = &p->rules[i];
                struct json *e = json_new(JSON_OBJECT), *names, *args;

                if (json_append(calls, e) < 0 || json_set(e, "names", (names = json_new(JSON_ARRAY))) < 0)
                        return NULL;
                for (; i < p->n_rules && same_conditions(rule, &p->rules[i]); i++)
                        if (json_append(names, json_new_string(p->rules[i].name)) < 0)
                                return NULL;
                if (set_action(e, "action", "errnoRet", rule->action) < 0)
                        return NULL;
                if (!rule->n_args)
                        continue;
                if (json_set(e, "args", (args = json_new(JSON_ARRAY))) < 0)
                        return NULL;
                for (unsigned k = 0; k < rule->n_args; k++) {
                        const struct sc_arg *a = &rule->args[k];
                        struct json *aj = json_new(JSON_OBJECT);

                        if (json_append(args, aj) < 0 || json_set(aj, "index", json_new_int(a->index)) < 0 ||
                            json_set(aj, "value", u64_json(a->value)) < 0 ||
                            json_set(aj, "valueTwo", u64_json(a->value_two)) < 0 ||
                            json_set(aj, "op", json_new_string(op_name(a->op))) < 0)
                                return NULL;
                }
        }
        return TAKE_PTR(o);
}

void sc_profile_free(struct sc_profile *p)
{
        if (!p)
                return;
        for (size_t i = 0; i < p->n_rules; i++)
                free(p->rules[i].name);
        free(p->rules);
        free(p->listener_path);
        free(p->listener_metadata);
        *p = (struct sc_profile) { 0 };
}
