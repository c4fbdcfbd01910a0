/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guards and the composer (docs/ARCHITECTURE.md). A guard is a table of
 * optional phase functions; the composer calls every enabled guard in the
 * fixed order of guard_table (the stop phase in reverse), even after one has
 * refused, so each sees every decision (ctx->refusal), and the phase fails
 * with the first refusal.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/proc.h"
#include "lib/registry.h"
#include "oci/policy.h"
#include "oci/spec.h"
#include "oci/state.h"

enum pal_phase {
        PAL_PHASE_SPEC,         /* shim create/run, hook precreate: may edit ctx->spec */
        PAL_PHASE_CREATE,       /* createRuntime / prestart */
        PAL_PHASE_START,        /* poststart */
        PAL_PHASE_STOP,         /* poststop, delete, or rollback of a failed create */
        PAL_PHASE_COUNT,
};

/* A capability set, bit N for capability N. */
#define CAPBIT(c) (UINT64_C(1) << (c))

#define PAL_MAX_GRANTS 64

/* A device granted to the container, for the records. */
struct pal_device {
        char path[256];                 /* node in the container, or "" for a rule alone */
        struct devrule rule;
};

struct pal_ctx {
        const char *id;                 /* container ID */
        const char *bundle;             /* bundle directory (spec phase, when known), else NULL */
        const char *stage;              /* hook stage name, for records */
        const struct policy *policy;
        struct oci_state *state;        /* NULL in the spec phase */
        struct oci_spec *spec;          /* NULL when unreadable at stop */
        int registry_fd;
        struct proc_handle proc;        /* container init (create, start) */
        struct registry_entry entry;    /* filled by guards, written after create */
        bool rollback;                  /* stop phase undoing a failed create */
        const struct pal_err *refusal;  /* first refusal so far in this phase */
        const struct pal_err *carried;  /* a refusal from an earlier phase (precreate) */
        struct pal_device devices[PAL_MAX_GRANTS];      /* granted (devices guard, create) */
        size_t n_devices;
};

/* What `palisade gc` reclaimed (guards/lifecycle.c and each guard's gc). */
struct gc_result {
        size_t containers;      /* dead containers released (their guards' stop ran) */
        size_t claims, leases;  /* orphans removed */
        size_t seccomp_cache;   /* validated-profile entries dropped (seccomp/cache.h) */
        size_t mounts;          /* idmapped rootfs of containers that died before registration */
};

struct guard {
        const char *name;
        const char *const *annotations; /* io.palisade.* keys it reads */
        int (*spec)(struct pal_ctx *ctx, struct pal_err *err);
        int (*create)(struct pal_ctx *ctx, struct pal_err *err);
        int (*start)(struct pal_ctx *ctx, struct pal_err *err);
        int (*stop)(struct pal_ctx *ctx, struct pal_err *err);
        /* The spec phase failed after spec() succeeded: let go of what it took on the host. */
        int (*undo)(struct pal_ctx *ctx, struct pal_err *err);
        uint64_t caps[PAL_PHASE_COUNT]; /* capabilities each phase uses */
        /*
         * `palisade gc`: reclaim what containers that died unregistered left
         * to this guard. Runs for every guard, enabled or not, in table order,
         * before the registry drops orphan leases; adds to its own counter in res.
         */
        int (*gc)(const struct policy *policy, int regfd, struct gc_result *res, struct pal_err *err);
};

/* Guard names in composer order, NULL-terminated (for policy checks). */
extern const char *const guard_names[];

int composer_run(struct pal_ctx *ctx, enum pal_phase phase, struct pal_err *err);

/*
 * A spec phase that composer_run passed but that cannot be used (config.json
 * not written): every enabled guard's undo, in reverse. composer_run does
 * this itself for the guards that succeeded when a later one refuses.
 */
void composer_undo_spec(struct pal_ctx *ctx);

/* The capabilities a phase needs: the framework's and the enabled guards'. */
uint64_t composer_caps(const struct policy *policy, enum pal_phase phase);

/* Does any enabled guard act in this phase? (Inject only the hooks needed.) */
bool composer_needs(const struct policy *policy, enum pal_phase phase);

/*
 * Every guard's gc (struct guard), in table order; all run even after one
 * fails, and the first failure is returned, wrapped with the guard's name.
 */
int composer_gc(const struct policy *policy, int regfd, struct gc_result *res, struct pal_err *err);

/* Refuse io.palisade.* annotations that no guard knows (a typo must not pass). */
int composer_check_annotations(const struct oci_kv *kv, size_t n, struct pal_err *err);

/* Refuse io.palisade.* annotations addressed to a guard that policy does not enable. */
int composer_check_served(const struct policy *policy, const struct oci_kv *kv, size_t n, struct pal_err *err);

/* The guards, guard_<name> in guards/<name>.c, declared from the one list. */
#define GUARD(name) extern const struct guard guard_##name;
#include "guard_list.h"
#undef GUARD
