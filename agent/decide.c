/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "decide.h"
#include "lib/cleanup.h"

/* What runc and crun give every container anyway (ptmx and pts are devpts's to make). */
static const struct { char type; unsigned major, minor; } harmless[] = {
        { 'c', 1, 3 },  /* null */
        { 'c', 1, 5 },  /* zero */
        { 'c', 1, 7 },  /* full */
        { 'c', 1, 8 },  /* random */
        { 'c', 1, 9 },  /* urandom */
        { 'c', 5, 0 },  /* tty */
};

struct mknod_call mknod_call_from(mode_t mode, uint64_t dev)
{
        /* The system call takes a 32-bit dev in the kernel's "new" encoding. */
        uint32_t d = (uint32_t) dev;
        struct mknod_call c = {
                .type = S_ISCHR(mode) ? 'c' : S_ISBLK(mode) ? 'b' : '?',
                .major = (d & 0xfff00) >> 8,
                .minor = (d & 0xff) | ((d >> 12) & 0xfff00),
        };
        return c;
}

static bool covers(const struct devrule *r, const struct mknod_call *c)
{
        return (r->type == 'a' || r->type == c->type) && (r->major == DEVRULE_ANY || r->major == (int64_t) c->major) &&
               (r->minor == DEVRULE_ANY || r->minor == (int64_t) c->minor);
}

enum mknod_verdict agent_decide(const struct mknod_call *c, const struct devrule *grants, size_t n_grants,
                                const struct devrule *deny, size_t n_deny, const char **why)
{
        if (c->type != 'c' && c->type != 'b') {
                *why = "not a device";
                return MKNOD_CONTINUE;
        }
        if (c->type == 'c' && c->major == 0 && c->minor == 0) {
                *why = "whiteout";
                return MKNOD_CONTINUE;
        }
        for (size_t i = 0; i < n_deny; i++)
                if (covers(&deny[i], c)) {
                        *why = "denied by policy";
                        return MKNOD_DENY;
                }
        for (size_t i = 0; i < ARRAY_SIZE(harmless); i++)
                if (harmless[i].type == c->type && harmless[i].major == c->major && harmless[i].minor == c->minor) {
                        *why = "harmless";
                        return MKNOD_CREATE;
                }
        for (size_t i = 0; i < n_grants; i++)
                if (covers(&grants[i], c)) {
                        *why = "whitelisted";
                        return MKNOD_CREATE;
                }
        *why = "not whitelisted";
        return MKNOD_DENY;
}

int agent_grant_parse(const char *text, struct devrule *out)
{
        char rule[48];
        struct pal_err err;
        const char *sp = text;

        /* TYPE MAJOR:MINOR ACCESS, then the node's path if any. */
        for (int words = 0; words < 3 && sp; words++) {
                sp = strchr(sp, ' ');
                if (sp && words < 2)
                        sp++;
        }
        snprintf(rule, sizeof(rule), "%.*s", sp ? (int) (sp - text) : (int) strlen(text), text);
        return devrule_parse(rule, out, &err) < 0 ? -EINVAL : 0;
}
