/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A profile compiled with libseccomp, as runc and crun compile it: the
 * native architecture plus the listed ones, every rule added, rules that
 * say the default action left out. Used to validate a profile before the
 * runtime sees it (so a bad rule is refused with palisade's message) and to
 * export BPF or PFC for inspection and for the tests' BPF interpreter.
 */
#pragma once

#include <seccomp.h>

#include "profile.h"

/*
 * Build a filter context; errors name the rule ("syscalls[3].names[1]").
 * only_arch: 0 for the profile's architectures, or one SCMP_ARCH_* alone
 * (exporting another machine's filter).
 */
int sc_compile(const struct sc_profile *p, const char *what, uint32_t only_arch, scmp_filter_ctx *out,
               struct pal_err *err);

/* Compile and throw away: is the profile one the runtime can load? */
int sc_validate(const struct sc_profile *p, const char *what, struct pal_err *err);

enum sc_export_format { SC_EXPORT_BPF, SC_EXPORT_PFC };

/* Write the compiled filter to fd. */
int sc_export(const struct sc_profile *p, const char *what, uint32_t only_arch, enum sc_export_format fmt, int fd,
              struct pal_err *err);

static inline void sc_filter_freep(scmp_filter_ctx *ctx)
{
        if (*ctx)
                seccomp_release(*ctx);
}
#define _cleanup_scmp_ __attribute__((cleanup(sc_filter_freep)))
