/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CDI for runtimes without it: devices requested through cdi.k8s.io/...
 * annotations ("vendor.com/class=name", comma-separated) are looked up in the
 * policy's CDI directories (JSON specs), for the device guard to apply.
 */
#pragma once

#include "guard.h"
#include "oci/cdi.h"

#define CDI_ANNOTATION_PREFIX "cdi.k8s.io/"
#define CDI_MAX_SPECS 16
#define CDI_MAX_DEVICES 32

struct cdi_found {
        char qualified[256];
        char file[512];
        const struct cdi_spec *spec;
        const struct cdi_device *device;
};

struct cdi_set {
        struct cdi_spec *specs[CDI_MAX_SPECS];  /* owned */
        char files[CDI_MAX_SPECS][512];
        size_t n_specs;
        struct cdi_found found[CDI_MAX_DEVICES];
        size_t n_found;
};

/* Resolve every requested CDI device; an unknown or conflicting one is an error. */
int cdi_resolve(const struct policy *pol, const struct oci_spec *s, struct cdi_set *out, struct pal_err *err);
void cdi_set_release(struct cdi_set *set);

/* CDI's edits other than device nodes, in the spec phase: env, mounts, hooks. */
int cdi_apply_edits(struct oci_spec *spec, const struct cdi_set *set, struct pal_err *err);
bool cdi_has_other_edits(const struct cdi_set *set);
