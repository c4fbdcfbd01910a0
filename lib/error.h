/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Errors: every fallible function returns 0 or a negative errno and fills a
 * struct pal_err. Callers add context by prefixing ("container web1: " +
 * "config.json: " + "linux.devices[2].major: expected an integer"), so the
 * final message reads outermost-first on one line.
 */
#pragma once

#include <stdarg.h>

#define PAL_ERR_MAX 2048

struct pal_err {
        int code;               /* negative errno, 0 when unset */
        char msg[PAL_ERR_MAX];
};

/* Set the message; returns the negative code (-EINVAL if code is 0). */
int pal_err_set(struct pal_err *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Set the message with ": strerror(code)" appended. */
int pal_err_sys(struct pal_err *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Prefix the existing message with "CONTEXT: "; returns err->code. */
int pal_err_wrap(struct pal_err *err, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

void pal_err_clear(struct pal_err *err);

static inline int pal_neg(int code)
{
        return code > 0 ? -code : code;
}

/*
 * Replace control characters (a container owner's key may hold a newline)
 * so the message stays one line on a terminal or in a log.
 */
const char *pal_err_oneline(struct pal_err *err);
