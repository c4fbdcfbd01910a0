/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: config.json as a container owner could write it. */
#include <stddef.h>
#include <stdint.h>

#include "oci/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct oci_spec *s = NULL;
        struct pal_err err;

        if (oci_spec_parse((const char *) data, size, &s, &err) == 0) {
                /* Walk what a guard would read. */
                for (size_t i = 0; i < s->n_namespaces; i++)
                        (void) oci_spec_namespace(s, s->namespaces[i].type);
                (void) oci_annotation(s->annotations, s->n_annotations, "io.palisade.audit-id");
        }
        oci_spec_free(s);
        return 0;
}
