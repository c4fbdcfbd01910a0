/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static int normalise(int code)
{
        code = pal_neg(code);
        return code == 0 ? -EINVAL : code;
}

int pal_err_set(struct pal_err *err, int code, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        err->code = normalise(code);
        return err->code;
}

int pal_err_sys(struct pal_err *err, int code, const char *fmt, ...)
{
        va_list ap;
        size_t len;

        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        err->code = normalise(code);
        len = strlen(err->msg);
        snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(-err->code));
        return err->code;
}

int pal_err_wrap(struct pal_err *err, const char *fmt, ...)
{
        char prefix[512];
        size_t plen, mlen;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(prefix, sizeof(prefix) - 2, fmt, ap);
        va_end(ap);
        plen = n < 0 ? 0 : (size_t) n >= sizeof(prefix) - 2 ? sizeof(prefix) - 3 : (size_t) n;
        memcpy(prefix + plen, ": ", 2);
        plen += 2;
        /* Shift the old message right, dropping its tail if it no longer fits. */
        mlen = strnlen(err->msg, sizeof(err->msg) - 1);
        if (plen + mlen > sizeof(err->msg) - 1)
                mlen = sizeof(err->msg) - 1 - plen;
        memmove(err->msg + plen, err->msg, mlen);
        memcpy(err->msg, prefix, plen);
        err->msg[plen + mlen] = '\0';
        if (err->code == 0)
                err->code = -EINVAL;
        return err->code;
}

void pal_err_clear(struct pal_err *err)
{
        err->code = 0;
        err->msg[0] = '\0';
}

const char *pal_err_oneline(struct pal_err *err)
{
        for (char *c = err->msg; *c; c++)
                if ((unsigned char) *c < 0x20 || *c == 0x7f)
                        *c = '?';
        return err->msg;
}
