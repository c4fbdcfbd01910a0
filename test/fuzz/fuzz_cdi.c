/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: CDI specs (vendors' files) and CDI device names (annotations). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "oci/cdi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct cdi_spec *s = NULL;
        struct pal_err err;
        char name[512], kind[128];
        const char *dev;

        (void) cdi_parse((const char *) data, size, &s, &err);
        cdi_free(s);
        if (size < sizeof(name)) {
                memcpy(name, data, size);
                name[size] = '\0';
                (void) cdi_parse_name(name, kind, sizeof(kind), &dev, &err);
        }
        return 0;
}
