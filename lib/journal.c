/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cleanup.h"
#include "fileio.h"
#include "journal.h"
#include "json.h"

void journal_time(char *buf, size_t size)
{
        struct timespec ts;
        struct tm tm;
        size_t n;

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf + n, size - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

int journal_open(const char *path, struct pal_err *err)
{
        _cleanup_free_ char *dir = strdup(path);
        char *slash;
        int r;

        if (!dir)
                return pal_err_set(err, -ENOMEM, "out of memory");
        slash = strrchr(dir, '/');
        if (slash && slash != dir) {
                *slash = '\0';
                if ((r = mkdir_parents(dir, 0700, err)) < 0)
                        return pal_err_wrap(err, "journal");
        }
        r = open_append(path, err);
        return r < 0 ? pal_err_wrap(err, "journal") : r;
}

int journal_write_fd(int fd, const char *path, const struct json *line, struct pal_err *err)
{
        _cleanup_free_ char *text = NULL;
        size_t len;
        int r;

        if ((r = json_dump(line, false, &text, &len, err)) < 0)
                return r;
        text[len] = '\n';       /* json_dump leaves room: strndup'ed len + 1 */
        if ((r = append_line_durable_fd(fd, path, text, len + 1, err)) < 0)
                return pal_err_wrap(err, "journal");
        return 0;
}

int journal_write(const char *path, const struct json *line, struct pal_err *err)
{
        _cleanup_close_ int fd = journal_open(path, err);

        if (fd < 0)
                return fd;
        return journal_write_fd(fd, path, line, err);
}
