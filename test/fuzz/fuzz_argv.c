/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: the runtime command line palisade-runtime reads (arguments NUL-separated). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oci/argv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *buf = malloc(size + 1), *argv[66];
        struct runtime_args a;
        struct pal_err err;
        int argc = 0;

        if (!buf)
                return 0;
        memcpy(buf, data, size);
        buf[size] = '\0';
        argv[argc++] = (char *) "palisade-runtime";
        for (char *p = buf; p < buf + size + 1 && argc < 65; p += strlen(p) + 1)
                argv[argc++] = p;
        argv[argc] = NULL;
        (void) runtime_args_parse(argc, argv, &a, &err);
        free(buf);
        return 0;
}
