/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Container Device Interface specs (JSON), parsed strictly as the CDI
 * library does: unknown fields fail, and cdiVersion must be recent enough
 * for the fields a spec uses. Pure: buffer in, struct out.
 */
#pragma once

#include "lib/json.h"

struct cdi_node {
        const char *path, *host_path;   /* host_path NULL: path */
        char type;                      /* 'c', 'b', or 0: read from the host node */
        int64_t major, minor, mode, uid, gid;   /* -1: unset */
        char access[4];                 /* "permissions", default rwm */
};

/* One set of edits: a device's, or the spec's own (applied with any of its devices). */
struct cdi_edits {
        struct cdi_node nodes[32];
        size_t n_nodes;
        const struct json *env, *mounts, *hooks;        /* kept as JSON, checked */
};

struct cdi_device {
        const char *name;
        struct cdi_edits edits;
};

struct cdi_spec {
        struct json *tree;
        const char *version, *kind;     /* kind: "vendor.com/class" */
        struct cdi_edits edits;
        struct cdi_device *devices;
        size_t n_devices;
};

int cdi_parse(const char *buf, size_t len, struct cdi_spec **out, struct pal_err *err);
void cdi_free(struct cdi_spec *s);
static inline void cdi_freep(struct cdi_spec **s)
{
        cdi_free(*s);
}
#define _cleanup_cdi_ __attribute__((cleanup(cdi_freep)))

/* Split "vendor.com/class=name": checks both parts. */
int cdi_parse_name(const char *qualified, char *kind, size_t kind_size, const char **name, struct pal_err *err);
