/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: the host policy file. */
#include <stddef.h>
#include <stdint.h>

#include "guards/guard.h"
#include "oci/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct policy *p = NULL;
        struct pal_err err;

        if (policy_parse((const char *) data, size, guard_names, &p, &err) == 0)
                for (size_t i = 0; i < p->n_guards; i++)
                        (void) policy_guard_enabled(p, p->guards[i]);
        policy_free(p);
        return 0;
}
