/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scope-bound release of resources, as systemd and crun do it. */
#pragma once

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>

static inline void pal_freep(void *p)
{
        free(*(void **) p);
}

static inline void pal_closep(int *fd)
{
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}

static inline void pal_fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}

static inline void pal_closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}

#define _cleanup_free_ __attribute__((cleanup(pal_freep)))
#define _cleanup_closedir_ __attribute__((cleanup(pal_closedirp)))
#define _cleanup_close_ __attribute__((cleanup(pal_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(pal_fclosep)))

/* Hand ownership out of a cleanup-scoped variable. */
#define TAKE_PTR(p) ({ __typeof__(p) _t = (p); (p) = NULL; _t; })
#define TAKE_FD(fd) ({ int _t = (fd); (fd) = -1; _t; })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
