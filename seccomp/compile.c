/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "compile.h"

static int add_arches(const struct sc_profile *p, const char *what, uint32_t only_arch, scmp_filter_ctx ctx,
                      struct pal_err *err)
{
        int r;

        if (only_arch) {
                if (only_arch == seccomp_arch_native())
                        return 0;
                if ((r = seccomp_arch_add(ctx, only_arch)) < 0 ||
                    (r = seccomp_arch_remove(ctx, seccomp_arch_native())) < 0)
                        return pal_err_sys(err, r, "%s: libseccomp cannot build a filter for %s alone", what,
                                           sc_arch_name(only_arch));
                return 0;
        }
        for (unsigned i = 0; i < p->n_arches; i++) {
                r = seccomp_arch_add(ctx, p->arches[i]);
                if (r < 0 && r != -EEXIST)
                        return pal_err_sys(err, r, "%s: architectures: libseccomp cannot add %s", what,
                                           sc_arch_name(p->arches[i]));
        }
        return 0;
}

static int add_rule(const struct sc_profile *p, const struct sc_rule *rule, const char *what, scmp_filter_ctx ctx,
                    struct pal_err *err)
{
        struct scmp_arg_cmp cmp[SC_MAX_ARGS];
        int nr = seccomp_syscall_resolve_name(rule->name), r;
        char act[48];

        if (rule->action == p->default_action)
                return 0;               /* as runc and crun: nothing to say */
        if (nr == __NR_SCMP_ERROR)
                return pal_err_set(err, -EINVAL, "%s: %s: unknown syscall \"%s\"", what, rule->origin, rule->name);
        for (unsigned k = 0; k < rule->n_args; k++)
                cmp[k] = (struct scmp_arg_cmp) { .arg = rule->args[k].index,
                                                 .op = (enum scmp_compare) rule->args[k].op,
                                                 .datum_a = rule->args[k].value,
                                                 .datum_b = rule->args[k].value_two };
        r = seccomp_rule_add_array(ctx, rule->action, nr, rule->n_args, cmp);
        if (r < 0)
                return pal_err_sys(err, r, "%s: %s (\"%s\", %s): libseccomp refused the rule", what, rule->origin,
                                   rule->name, (sc_action_describe(rule->action, act, sizeof(act)), act));
        return 0;
}

int sc_compile(const struct sc_profile *p, const char *what, uint32_t only_arch, scmp_filter_ctx *out,
               struct pal_err *err)
{
        _cleanup_scmp_ scmp_filter_ctx ctx = seccomp_init(p->default_action);
        char act[48];
        int r;

        *out = NULL;
        if (!ctx)
                return pal_err_set(err, -EINVAL, "%s: libseccomp refused defaultAction %s", what,
                                   (sc_action_describe(p->default_action, act, sizeof(act)), act));
        /*
         * libseccomp copies its rule database on every rule added so that a
         * failed add can roll back; a failure here ends the compile anyway,
         * so skip that (it made 400 rules cost milliseconds). Rules go in in
         * the profile's order, as the runtime adds them: libseccomp's view
         * of overlapping and multiplexed (x86 socketcall) rules depends on it.
         */
        if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_API_TSKIP, 1)) < 0)
                return pal_err_sys(err, r, "%s: libseccomp", what);
        if ((r = add_arches(p, what, only_arch, ctx, err)) < 0)
                return r;
        for (size_t i = 0; i < p->n_rules; i++)
                if ((r = add_rule(p, &p->rules[i], what, ctx, err)) < 0)
                        return r;
        *out = ctx;
        ctx = NULL;
        return 0;
}

int sc_validate(const struct sc_profile *p, const char *what, struct pal_err *err)
{
        _cleanup_scmp_ scmp_filter_ctx ctx = NULL;

        return sc_compile(p, what, 0, &ctx, err);
}

int sc_export(const struct sc_profile *p, const char *what, uint32_t only_arch, enum sc_export_format fmt, int fd,
              struct pal_err *err)
{
        _cleanup_scmp_ scmp_filter_ctx ctx = NULL;
        int r;

        if ((r = sc_compile(p, what, only_arch, &ctx, err)) < 0)
                return r;
        r = fmt == SC_EXPORT_BPF ? seccomp_export_bpf(ctx, fd) : seccomp_export_pfc(ctx, fd);
        if (r < 0)
                return pal_err_sys(err, r, "%s: libseccomp could not export the filter", what);
        return 0;
}
