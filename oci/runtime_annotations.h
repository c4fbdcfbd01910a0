/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Annotations the runtimes themselves obey, behind linux.seccomp,
 * linux.resources and hooks: one table, checked against crun 1.8.1 and
 * runc 1.1.5 (their sources: crun src/libcrun, each find_annotation and the
 * systemd property prefix; runc libcontainer/specconv initSystemdProps and
 * the CRIU configuration). A bundle's owner sets annotations, so each one
 * that changes what is enforced is refused unless policy names it in
 * runtime_annotations.allow. Keys under crun's own prefix "run.oci." that the
 * table does not know are refused too: a newer crun may read them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define RUNTIME_ANNOTATIONS_CHECKED "crun 1.8.1, runc 1.1.5"

struct runtime_annotation {
        const char *key;        /* the key, or a prefix when prefix is set */
        bool prefix;
        bool harmless;          /* changes nothing palisade enforces: never refused */
        const char *runtimes;   /* which runtimes read it */
        const char *why;        /* what the runtime does with it */
};

/* The table, terminated by an entry whose key is NULL. */
extern const struct runtime_annotation runtime_annotations[];

/*
 * The entry for an annotation key: an exact key first, else the longest
 * prefix. NULL for a key no runtime reads (as far as the table knows).
 */
const struct runtime_annotation *runtime_annotation_lookup(const char *key);
