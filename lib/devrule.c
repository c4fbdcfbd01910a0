/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devrule.h"

int devrule_access(const char *text, char out[4], struct pal_err *err)
{
        bool r = false, w = false, m = false;
        size_t n = 0;

        if (!*text)
                return pal_err_set(err, -EINVAL, "empty access (use letters r, w, m)");
        for (const char *c = text; *c; c++) {
                bool *seen = *c == 'r' ? &r : *c == 'w' ? &w : *c == 'm' ? &m : NULL;
                if (!seen)
                        return pal_err_set(err, -EINVAL, "access \"%.8s\": '%c' is not one of r, w, m", text, *c);
                if (*seen)
                        return pal_err_set(err, -EINVAL, "access \"%.8s\": '%c' given twice", text, *c);
                *seen = true;
        }
        if (r)
                out[n++] = 'r';
        if (w)
                out[n++] = 'w';
        if (m)
                out[n++] = 'm';
        out[n] = '\0';
        return 0;
}

static int number(const char *s, size_t len, int64_t max, const char *what, int64_t *out, struct pal_err *err)
{
        char buf[24];
        char *end;
        long long v;

        if (len == 1 && s[0] == '*') {
                *out = DEVRULE_ANY;
                return 0;
        }
        if (len == 0 || len >= sizeof(buf))
                return pal_err_set(err, -EINVAL, "%s: expected a number or *", what);
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (buf[0] < '0' || buf[0] > '9')
                return pal_err_set(err, -EINVAL, "%s \"%s\": expected a number or *", what, buf);
        errno = 0;
        v = strtoll(buf, &end, 10);
        if (*end)
                return pal_err_set(err, -EINVAL, "%s \"%s\": expected a number or *", what, buf);
        if (errno == ERANGE || v > max)
                return pal_err_set(err, -ERANGE, "%s %s is out of range [0, %lld]", what, buf, (long long) max);
        *out = v;
        return 0;
}

int devrule_parse(const char *text, struct devrule *out, struct pal_err *err)
{
        const char *p = text, *colon, *space;
        int r;

        if (!(p[0] == 'c' || p[0] == 'b' || p[0] == 'a') || (p[1] != ' ' && p[1] != '\0'))
                return pal_err_set(err, -EINVAL, "\"%.40s\": type must be c, b or a", text);
        out->type = p[0];
        if (p[1] == '\0') {     /* "a" alone: everything */
                out->major = out->minor = DEVRULE_ANY;
                memcpy(out->access, "rwm", 4);
                return 0;
        }
        p += 2;
        colon = strchr(p, ':');
        if (!colon)
                return pal_err_set(err, -EINVAL, "\"%.40s\": expected TYPE MAJOR:MINOR ACCESS", text);
        space = strchr(colon, ' ');
        if ((r = number(p, (size_t) (colon - p), DEVRULE_MAJOR_MAX, "major", &out->major, err)) < 0 ||
            (r = number(colon + 1, space ? (size_t) (space - colon - 1) : strlen(colon + 1), DEVRULE_MINOR_MAX, "minor",
                        &out->minor, err)) < 0)
                return pal_err_wrap(err, "\"%.40s\"", text);
        if (!space) {
                memcpy(out->access, "rwm", 4);
                return 0;
        }
        if ((r = devrule_access(space + 1, out->access, err)) < 0)
                return pal_err_wrap(err, "\"%.40s\"", text);
        return 0;
}

static bool num_overlaps(int64_t a, int64_t b)
{
        return a == DEVRULE_ANY || b == DEVRULE_ANY || a == b;
}

bool devrule_overlaps(const struct devrule *a, const struct devrule *b)
{
        bool type = a->type == 'a' || b->type == 'a' || a->type == b->type;
        bool access = strpbrk(a->access, b->access) != NULL;
        return type && access && num_overlaps(a->major, b->major) && num_overlaps(a->minor, b->minor);
}

static bool num_covers(int64_t outer, int64_t inner)
{
        return outer == DEVRULE_ANY || outer == inner;
}

bool devrule_covers(const struct devrule *outer, const struct devrule *inner)
{
        bool type = outer->type == 'a' || outer->type == inner->type;

        for (const char *c = inner->access; *c; c++)
                if (!strchr(outer->access, *c))
                        return false;
        return type && num_covers(outer->major, inner->major) && num_covers(outer->minor, inner->minor);
}

void devrule_format(const struct devrule *r, char *buf, size_t size)
{
        char maj[16] = "*", min[16] = "*";

        if (r->major != DEVRULE_ANY)
                snprintf(maj, sizeof(maj), "%lld", (long long) r->major);
        if (r->minor != DEVRULE_ANY)
                snprintf(min, sizeof(min), "%lld", (long long) r->minor);
        snprintf(buf, size, "%c %s:%s %s", r->type, maj, min, r->access);
}
