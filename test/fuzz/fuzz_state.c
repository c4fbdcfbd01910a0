/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: the OCI state a runtime writes on a hook's stdin. */
#include <stddef.h>
#include <stdint.h>

#include "oci/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct oci_state *s = NULL;
        struct pal_err err;

        if (oci_state_parse((const char *) data, size, &s, &err) == 0)
                (void) oci_annotation(s->annotations, s->n_annotations, "io.palisade.audit-id");
        oci_state_free(s);
        return 0;
}
