/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host policy: /etc/palisade/config.json, or $PALISADE_CONFIG, or the
 * embedded default (config.example.json, compiled in). Unknown keys are
 * errors: a typo must not silently weaken policy. Keys beginning with "//"
 * are comments.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "json.h"

#define POLICY_DEFAULT_PATH "/etc/palisade/config.json"
#define POLICY_MAX_BYTES (1u << 20)
#define POLICY_MAX_GUARDS 16

/* Severity of a `palisade check` finding; POLICY_SEVERITY_NONE refuses nothing. */
enum severity {
        SEVERITY_NONE,
        SEVERITY_LOW,
        SEVERITY_MEDIUM,
        SEVERITY_HIGH,
        SEVERITY_CRITICAL,
};

const char *severity_name(enum severity s);

struct policy {
        struct json *tree;
        const char *source;             /* file path or "(embedded default)" */
        const char *guards[POLICY_MAX_GUARDS];
        size_t n_guards;
        const char *state_dir;
        struct {
                const char *path;       /* real runtime; "" = first of runc, crun on PATH */
                const char *hook;       /* palisade-hook; "" = beside palisade-runtime */
        } runtime;
        struct {
                bool required;
                bool accept_annotation;
                const char *journal;
        } audit;
        struct {
                uint64_t drop;                  /* removed from every set */
                uint64_t never;                 /* a spec holding one is refused */
                uint64_t add_privileged;        /* io.palisade.caps.add may add, no user namespace */
                uint64_t add_unprivileged;      /* the same, with a user namespace */
        } caps;
        struct {
                enum severity refuse_at;        /* refuse findings at or above; NONE: never */
        } check;
};

/* The embedded default, NUL-terminated. */
extern const char policy_embedded_default[];

/*
 * Parse a policy document. guard_names lists the guards that exist
 * (NULL-terminated), so "guards" can be checked.
 */
int policy_parse(const char *buf, size_t len, const char *const *guard_names, struct policy **out,
                 struct pal_err *err);

/* Load from $PALISADE_CONFIG, else the default path, else the embedded default. */
int policy_load(const char *const *guard_names, struct policy **out, struct pal_err *err);

bool policy_guard_enabled(const struct policy *p, const char *name);

void policy_free(struct policy *p);
static inline void policy_freep(struct policy **p)
{
        policy_free(*p);
}
#define _cleanup_policy_ __attribute__((cleanup(policy_freep)))
