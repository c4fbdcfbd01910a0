/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Seccomp profiles. One model, struct sc_profile, with the OCI
 * `linux.seccomp` meaning: a default action, an architecture list, and rules
 * of one syscall name each. Two formats are read into it:
 *
 *   - the OCI object (a spec's linux.seccomp, or a file holding one);
 *   - Docker/moby's profile (archMap, includes/excludes by caps, arches and
 *     minKernel), resolved against the container as Docker and Podman
 *     resolve it: the native architecture's archMap entry, the container's
 *     bounding set, the running kernel.
 *
 * Actions are kept as the kernel's 32-bit return values (libseccomp's
 * SCMP_ACT_* are the same numbers), so precedence is a comparison.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/json.h"

#define SC_MAX_ARGS 6
#define SC_MAX_RULES 16384
#define SC_MAX_ARCHES 24

struct sc_arg {
        unsigned index;
        uint64_t value, value_two;
        int op;                         /* enum scmp_compare */
};

struct sc_rule {
        char *name;
        uint32_t action;
        struct sc_arg args[SC_MAX_ARGS];
        unsigned n_args;
        char origin[96];                /* "syscalls[12].names[3]", for messages */
        size_t seq;                     /* position in the profile: libseccomp reads overlapping rules in order */
};

struct sc_profile {
        uint32_t default_action;
        uint32_t arches[SC_MAX_ARCHES]; /* SCMP_ARCH_* tokens; none: native only */
        unsigned n_arches;
        unsigned flags;                 /* SC_FLAG_* */
        char *listener_path;
        char *listener_metadata;
        struct sc_rule *rules;
        size_t n_rules;
};

enum {
        SC_FLAG_LOG = 1u << 0,
        SC_FLAG_SPEC_ALLOW = 1u << 1,
        SC_FLAG_TSYNC = 1u << 2,
        SC_FLAG_WAIT_KILLABLE_RECV = 1u << 3,
};

/* What a Docker-format profile is resolved against. */
struct sc_target {
        uint64_t bounding;              /* the container's bounding set, bit N = capability N */
        uint32_t native_arch;           /* SCMP_ARCH_*; 0: this machine's */
        unsigned kernel_major, kernel_minor;    /* 0.0: this machine's */
};

/* What to do with a syscall name libseccomp does not know. */
enum sc_unknown {
        SC_UNKNOWN_SKIP,                /* leave it out (as runc and crun do), noted in *skipped */
        SC_UNKNOWN_REFUSE,
};

/*
 * Read a profile of either format from a parsed document. `what` names the
 * document in messages ("config.json: linux.seccomp", "/etc/palisade/x.json").
 */
int sc_profile_from_json(const struct json *doc, const char *what, const struct sc_target *target,
                         enum sc_unknown unknown, struct sc_profile *out, size_t *skipped, struct pal_err *err);

/* The name of palisade's built-in profile wherever a profile file is named. */
#define SC_BUILTIN "builtin"

/* The same from a file of the host (policy profiles), or SC_BUILTIN; a final symlink is refused. */
int sc_profile_load(const char *path, const struct sc_target *target, enum sc_unknown unknown,
                    struct sc_profile *out, size_t *skipped, struct pal_err *err);
/* The same for a path the operator typed: symlinks followed, "-" is standard input. */
int sc_profile_load_operator(const char *path, const struct sc_target *target, enum sc_unknown unknown,
                             struct sc_profile *out, size_t *skipped, struct pal_err *err);

/* palisade's own default profile (seccomp/default.json, compiled in). */
extern const char sc_default_profile[];

/* The OCI linux.seccomp object for a profile; NULL when out of memory. */
struct json *sc_profile_to_json(const struct sc_profile *p);

void sc_profile_free(struct sc_profile *p);
static inline void sc_profile_freep(struct sc_profile *p)
{
        sc_profile_free(p);
}
#define _cleanup_sc_profile_ __attribute__((cleanup(sc_profile_freep)))

/* Names <-> values, for the formats and for messages. */
int sc_action_parse(const char *name, int64_t errno_ret, bool has_errno, uint32_t *out);
const char *sc_action_name(uint32_t action);    /* "SCMP_ACT_ERRNO" */
void sc_action_describe(uint32_t action, char *buf, size_t size);       /* "SCMP_ACT_ERRNO(1)" */
int sc_arch_parse(const char *name, uint32_t *out);     /* "SCMP_ARCH_X86_64", "x86_64", "amd64" */
const char *sc_arch_name(uint32_t arch);                /* "SCMP_ARCH_X86_64" */
uint32_t sc_native_arch(void);

/*
 * Kernel precedence: is a more restrictive than b? KILL_PROCESS >
 * KILL_THREAD > TRAP > ERRNO > USER_NOTIF > TRACE > LOG > ALLOW. Two
 * actions of one kind (ERRNO with different errnos) are equally restrictive.
 */
bool sc_action_stricter(uint32_t a, uint32_t b);

/* The more restrictive of two; a when equally restrictive. */
uint32_t sc_action_max(uint32_t a, uint32_t b);
