/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bundle's config.json: parsed once into typed fields (checked against
 * the OCI runtime spec's types), the tree kept for the spec phase's edits.
 * Keys palisade does not read are kept untouched, as runtimes allow.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/idmap.h"
#include "lib/json.h"

#define OCI_SPEC_MAX_BYTES (4u << 20)

struct oci_kv {
        const char *key;
        const char *value;
};

struct oci_namespace {
        const char *type;       /* pid network mount ipc uts user cgroup time */
        const char *path;       /* NULL: a new namespace */
};

struct oci_spec {
        struct json *tree;      /* owns every string below */
        const char *oci_version;
        const char *root_path;
        bool root_readonly;
        bool has_process;
        uint32_t uid, gid;
        struct oci_kv *annotations;
        size_t n_annotations;
        struct oci_namespace *namespaces;
        size_t n_namespaces;
        struct idmap *uid_mappings, *gid_mappings;
        size_t n_uid_mappings, n_gid_mappings;
};

/* Parse a config.json buffer; errors read "KEY.PATH: what is wrong". */
int oci_spec_parse(const char *buf, size_t len, struct oci_spec **out, struct pal_err *err);
/* The same for a tree already parsed (with json_untrusted_limits); takes tree, even on failure. */
int oci_spec_from_tree(struct json *tree, struct oci_spec **out, struct pal_err *err);

/* Read and parse BUNDLE/config.json through a bundle directory fd. */
int oci_spec_load(int bundle_fd, struct oci_spec **out, struct pal_err *err);

void oci_spec_free(struct oci_spec *s);
static inline void oci_spec_freep(struct oci_spec **s)
{
        oci_spec_free(*s);
}
#define _cleanup_spec_ __attribute__((cleanup(oci_spec_freep)))

/*
 * PATH inside a container as a runtime resolves it without symlinks: from
 * the root, "." and empty components dropped, ".." never above the root.
 * Writes at most SIZE bytes to OUT; returns its length, 0 if it did not fit.
 */
size_t oci_path_clean(const char *path, char *out, size_t size);

const char *oci_annotation(const struct oci_kv *kv, size_t n, const char *key);
const struct oci_namespace *oci_spec_namespace(const struct oci_spec *s, const char *type);

/* Shared by spec and state: an object of string values. */
int oci_parse_annotations(const struct json *v, struct jpath *p, struct oci_kv **out, size_t *n,
                          struct pal_err *err);
