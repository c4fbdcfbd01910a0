/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fileio.h"
#include "idrange.h"
#include "lease.h"

#define SUBID_MAX_BYTES (1u << 20)

bool id_span_overlap(struct id_span a, struct id_span b)
{
        uint64_t a_end = (uint64_t) a.start + a.size, b_end = (uint64_t) b.start + b.size;
        return a.size && b.size && a.start < b_end && b.start < a_end;
}

struct id_span idrange_slot(const struct idrange_pool *pool, uint32_t slot)
{
        return (struct id_span) { .start = pool->start + slot * pool->size, .size = pool->size };
}

struct id_span idrange_pool_span(const struct idrange_pool *pool)
{
        return (struct id_span) { .start = pool->start, .size = pool->size * pool->count };
}

/* A decimal uint32, the whole of s. */
static bool parse_u32(const char *s, uint32_t *out)
{
        char *end;
        unsigned long long v;

        if (*s < '0' || *s > '9')
                return false;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno || *end || v > UINT32_MAX)
                return false;
        *out = (uint32_t) v;
        return true;
}

int idrange_parse_subid(const char *text, const char *file, const char *self, struct id_span *out, size_t max,
                        size_t *n, struct pal_err *err)
{
        size_t lineno = 0;

        for (const char *line = text; line && *line; ) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t) (nl - line) : strlen(line);
                char buf[512], *user, *start, *count, *save = NULL;
                struct id_span span;

                lineno++;
                if (len >= sizeof(buf))
                        return pal_err_set(err, -EINVAL, "%s:%zu: line longer than %zu characters", file, lineno,
                                           sizeof(buf) - 1);
                memcpy(buf, line, len);
                buf[len] = '\0';
                line = nl ? nl + 1 : NULL;
                if (buf[0] == '\0' || buf[0] == '#')
                        continue;
                user = strtok_r(buf, ":", &save);
                start = strtok_r(NULL, ":", &save);
                count = strtok_r(NULL, ":", &save);
                if (!user || !start || !count || strtok_r(NULL, ":", &save) || !parse_u32(start, &span.start) ||
                    !parse_u32(count, &span.size) || (uint64_t) span.start + span.size > (UINT64_C(1) << 32))
                        return pal_err_set(err, -EINVAL, "%s:%zu: expected USER:START:COUNT with START + COUNT "
                                           "at most 2^32", file, lineno);
                if (strcmp(user, self) == 0 || span.size == 0)
                        continue;
                if (*n >= max)
                        return pal_err_set(err, -E2BIG, "%s: more than %zu entries of other users", file, max);
                out[(*n)++] = span;
        }
        return 0;
}

int idrange_load_subid(const char *path, const char *self, struct id_span *out, size_t max, size_t *n,
                       struct pal_err *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        r = read_file_at(AT_FDCWD, path, SUBID_MAX_BYTES, &buf, &len, err);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return pal_err_wrap(err, "%s", path);
        return idrange_parse_subid(buf, path, self, out, max, n, err);
}

static bool excluded(struct id_span s, const struct id_span *excl, size_t n_excl)
{
        for (size_t i = 0; i < n_excl; i++)
                if (id_span_overlap(s, excl[i]))
                        return true;
        return false;
}

int idrange_alloc(int regfd, const struct idrange_pool *pool, const struct id_span *excl, size_t n_excl,
                  const char *owner, pid_t creator, uint32_t *slot, char *reclaimed, size_t reclaimed_size,
                  struct pal_err *err)
{
        size_t usable = 0;

        for (uint32_t i = 0; i < pool->count; i++) {
                struct id_span s = idrange_slot(pool, i);
                char name[16];
                int r;

                if (excluded(s, excl, n_excl))
                        continue;
                usable++;
                snprintf(name, sizeof(name), "%" PRIu32, i);
                r = lease_take_as(regfd, IDRANGE_LEASE_KIND, name, owner, creator, reclaimed, reclaimed_size, err);
                if (r == -EBUSY)
                        continue;
                if (r < 0)
                        return r;
                *slot = i;
                return 0;
        }
        return pal_err_set(err, -ENOSPC, "ID pool exhausted: all %zu usable ranges of %" PRIu32 " IDs from %" PRIu32
                           " are held by live containers (%zu excluded by reserved or subuid/subgid); stop a "
                           "container or raise userns.pool.count", usable, pool->size, pool->start,
                           (size_t) pool->count - usable);
}

int idrange_held(int regfd, const char *owner, uint32_t *slot, bool *live)
{
        char name[64];
        int r = lease_find(regfd, IDRANGE_LEASE_KIND, owner, name, sizeof(name), live);

        if (r < 0)
                return r;
        return parse_u32(name, slot) ? 0 : -EINVAL;
}

int idrange_release(int regfd, uint32_t slot, const char *owner, struct pal_err *err)
{
        char name[16];

        snprintf(name, sizeof(name), "%" PRIu32, slot);
        return lease_release(regfd, IDRANGE_LEASE_KIND, name, owner, err);
}
