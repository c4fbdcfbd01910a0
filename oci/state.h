/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The OCI state a runtime gives a hook on stdin. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "spec.h"

#define OCI_STATE_MAX_BYTES (1u << 20)

struct oci_state {
        struct json *tree;
        const char *oci_version;
        const char *id;
        const char *status;     /* creating created running stopped */
        const char *bundle;
        pid_t pid;              /* 0 when absent */
        struct oci_kv *annotations;
        size_t n_annotations;
};

int oci_state_parse(const char *buf, size_t len, struct oci_state **out, struct pal_err *err);
void oci_state_free(struct oci_state *s);
static inline void oci_state_freep(struct oci_state **s)
{
        oci_state_free(*s);
}
#define _cleanup_state_ __attribute__((cleanup(oci_state_freep)))

