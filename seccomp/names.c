/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Seccomp action and architecture names, and the kernel's action precedence. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "profile.h"
#include "lib/cleanup.h"

#define ACTION_KIND(a) ((a) & 0xffff0000u)

static const struct {
        const char *name;
        uint32_t value;
        bool data;                      /* takes errnoRet */
} actions[] = {
        /* The first of each value is the name written back. */
        { "SCMP_ACT_KILL", SCMP_ACT_KILL, false },
        { "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false },
        { "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false },
        { "SCMP_ACT_TRAP", SCMP_ACT_TRAP, false },
        { "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true },
        { "SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, false },
        { "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true },
        { "SCMP_ACT_LOG", SCMP_ACT_LOG, false },
        { "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false },
};

int sc_action_parse(const char *name, int64_t errno_ret, bool has_errno, uint32_t *out)
{
        for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
                if (strcmp(actions[i].name, name) != 0)
                        continue;
                if (!actions[i].data) {
                        if (has_errno)
                                return -EINVAL;
                        *out = actions[i].value;
                        return 0;
                }
                /* runc and crun return EPERM when errnoRet is absent. */
                *out = actions[i].value | (uint32_t) (has_errno ? errno_ret : EPERM);
                return 0;
        }
        return -ENOENT;
}

const char *sc_action_name(uint32_t action)
{
        for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
                if (ACTION_KIND(actions[i].value) == ACTION_KIND(action))
                        return actions[i].name;
        return "SCMP_ACT_?";
}

void sc_action_describe(uint32_t action, char *buf, size_t size)
{
        if (ACTION_KIND(action) == ACTION_KIND(SCMP_ACT_ERRNO(0)) ||
            ACTION_KIND(action) == ACTION_KIND(SCMP_ACT_TRACE(0)))
                snprintf(buf, size, "%s(%u)", sc_action_name(action), action & 0xffffu);
        else
                snprintf(buf, size, "%s", sc_action_name(action));
}

/*
 * The kernel runs every filter and keeps the return value whose action,
 * read as a signed number, is lowest (kernel/seccomp.c): KILL_PROCESS is
 * 0x80000000, ALLOW 0x7fff0000.
 */
bool sc_action_stricter(uint32_t a, uint32_t b)
{
        return (int32_t) ACTION_KIND(a) < (int32_t) ACTION_KIND(b);
}

uint32_t sc_action_max(uint32_t a, uint32_t b)
{
        return sc_action_stricter(b, a) ? b : a;
}

/* Go's GOARCH names, used by Docker profiles' includes.arches. */
static const struct {
        const char *alias;
        const char *name;
} arch_aliases[] = {
        { "amd64", "x86_64" }, { "386", "x86" }, { "i386", "x86" }, { "arm64", "aarch64" },
        { "mips64le", "mipsel64" }, { "mipsle", "mipsel" }, { "ppc64le", "ppc64le" },
};

int sc_arch_parse(const char *name, uint32_t *out)
{
        char lower[64];
        const char *n = name;
        uint32_t arch;

        if (strncmp(n, "SCMP_ARCH_", 10) == 0)
                n += 10;
        if (strlen(n) >= sizeof(lower) || !*n)
                return -EINVAL;
        for (size_t i = 0; n[i]; i++)
                lower[i] = (char) (n[i] >= 'A' && n[i] <= 'Z' ? n[i] - 'A' + 'a' : n[i]);
        lower[strlen(n)] = '\0';
        for (size_t i = 0; i < ARRAY_SIZE(arch_aliases); i++)
                if (strcmp(lower, arch_aliases[i].alias) == 0)
                        snprintf(lower, sizeof(lower), "%s", arch_aliases[i].name);
        arch = seccomp_arch_resolve_name(lower);
        if (arch == 0)
                return -EINVAL;
        *out = arch;
        return 0;
}

const char *sc_arch_name(uint32_t arch)
{
        static const struct {
                uint32_t arch;
                const char *name;
        } names[] = {
                { SCMP_ARCH_X86, "SCMP_ARCH_X86" }, { SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64" },
                { SCMP_ARCH_X32, "SCMP_ARCH_X32" }, { SCMP_ARCH_ARM, "SCMP_ARCH_ARM" },
                { SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64" }, { SCMP_ARCH_MIPS, "SCMP_ARCH_MIPS" },
                { SCMP_ARCH_MIPS64, "SCMP_ARCH_MIPS64" }, { SCMP_ARCH_MIPS64N32, "SCMP_ARCH_MIPS64N32" },
                { SCMP_ARCH_MIPSEL, "SCMP_ARCH_MIPSEL" }, { SCMP_ARCH_MIPSEL64, "SCMP_ARCH_MIPSEL64" },
                { SCMP_ARCH_MIPSEL64N32, "SCMP_ARCH_MIPSEL64N32" }, { SCMP_ARCH_PPC, "SCMP_ARCH_PPC" },
                { SCMP_ARCH_PPC64, "SCMP_ARCH_PPC64" }, { SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE" },
                { SCMP_ARCH_S390, "SCMP_ARCH_S390" }, { SCMP_ARCH_S390X, "SCMP_ARCH_S390X" },
                { SCMP_ARCH_PARISC, "SCMP_ARCH_PARISC" }, { SCMP_ARCH_PARISC64, "SCMP_ARCH_PARISC64" },
                { SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64" },
        };

        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (names[i].arch == arch)
                        return names[i].name;
        return "SCMP_ARCH_?";
}

uint32_t sc_native_arch(void)
{
        return seccomp_arch_native();
}
