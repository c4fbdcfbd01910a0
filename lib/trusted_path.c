/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "trusted_path.h"

/* Only root can change what dir holds: owned by root, not writable by group or others unless sticky. */
static bool root_dir(const struct stat *st)
{
        return S_ISDIR(st->st_mode) && st->st_uid == 0 &&
               (!(st->st_mode & (S_IWGRP | S_IWOTH)) || (st->st_mode & S_ISVTX));
}

static bool inside(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

int path_root_controlled(const char *path, const char *not_under, struct pal_err *err)
{
        _cleanup_free_ char *real = NULL, *dir = NULL;
        struct stat st;

        if (path[0] != '/')
                return pal_err_set(err, -EPERM, "not an absolute path");
        real = realpath(path, NULL);
        if (!real)
                return pal_err_sys(err, errno, "resolve");
        if (not_under && (dir = realpath(not_under, NULL)) && inside(real, dir))
                return pal_err_set(err, -EPERM, "%s is inside the bundle %s, which is the container owner's", real,
                                   dir);
        /* Each directory on the way, "/" first. */
        for (char *slash = real; slash; slash = strchr(slash + 1, '/')) {
                char keep = slash[1];
                int r;

                slash[1] = '\0';
                r = stat(real, &st) < 0 ? pal_err_sys(err, errno, "%s", real) :
                    !root_dir(&st) ? pal_err_set(err, -EPERM, "directory %s is not root's alone (owned by root, "
                                                 "not writable by group or others unless sticky)", real) : 0;
                slash[1] = keep;
                if (r < 0)
                        return r;
        }
        if (stat(real, &st) < 0)
                return pal_err_sys(err, errno, "%s", real);
        if (!S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
                return pal_err_set(err, -EPERM, "%s is not a regular file owned by root and writable by root alone",
                                   real);
        return 0;
}
