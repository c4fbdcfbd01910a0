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

#include "lib/devrule.h"
#include "lib/idmap.h"
#include "lib/json.h"

#define POLICY_DEFAULT_PATH "/etc/palisade/config.json"
#define POLICY_MAX_BYTES (1u << 20)
#define POLICY_MAX_GUARDS 16
#define POLICY_MAX_PROFILES 32
#define POLICY_MAX_ALLOW 32

/* One grant of a device profile. */
struct device_grant {
        struct devrule rule;            /* for a path: resolved when the spec phase runs */
        const char *path;               /* host node, or NULL for an explicit rule */
        const char *container_path;     /* node in the container; NULL: path, or no node */
        int64_t mode, uid, gid;         /* -1: as the host node, or the runtime's default */
        char key[96];                   /* "devices.profiles.fuse[0]", for messages */
};

struct device_profile {
        const char *name;
        struct device_grant *grants;
        size_t n_grants;
};

/* Severity of a `palisade check` finding; POLICY_SEVERITY_NONE refuses nothing. */
enum severity {
        SEVERITY_NONE,
        SEVERITY_LOW,
        SEVERITY_MEDIUM,
        SEVERITY_HIGH,
        SEVERITY_CRITICAL,
};

const char *severity_name(enum severity s);

/* userns.mode, loosest first. */
enum userns_mode {
        USERNS_KEEP,            /* leave namespaces alone; shift the rootfs of a container with a user namespace */
        USERNS_AUTO,            /* a container without one gets one, with a host range of its own */
        USERNS_REQUIRE,         /* refuse a container without one */
};

#define POLICY_MAX_RESERVED 32

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
                const char *socket;             /* where `palisade agent` listens; listenerPath */
                int64_t timeout_ms;             /* bound on one notification */
                int64_t per_container;          /* notifications of one container handled at once */
        } agent;
        struct {
                enum severity refuse_at;        /* refuse findings at or above; NONE: never */
        } check;
        struct {
                struct device_profile *profiles;
                size_t n_profiles;
                const char *defaults[16];       /* profiles every container gets */
                size_t n_defaults;
                struct devrule *deny;           /* rules no container gets */
                size_t n_deny;
                struct devrule *spec_allow;     /* allow rules a spec may carry itself (clients' standard set) */
                size_t n_spec_allow;
                bool allow_broad;               /* may a spec allow a whole class of devices? */
                const char *cdi_dirs[8];        /* CDI spec directories, lowest priority first */
                const char *cgroup;             /* "auto", "v1" or "v2": where the hook enforces */
                size_t n_cdi_dirs;
        } devices;
        struct {
                const char *default_profile;    /* a name in profiles, "builtin" or "none" */
                struct {
                        const char *name;
                        const char *source;     /* absolute path or "builtin" */
                } profiles[POLICY_MAX_PROFILES];
                size_t n_profiles;
                bool accept_annotation;         /* io.palisade.seccomp=NAME may choose a profile */
                bool required;                  /* refuse a filter weaker than the policy's */
                bool refuse_unknown;            /* a syscall name libseccomp does not know: refuse, not skip */
        } seccomp;
        struct {
                const char *allow[POLICY_MAX_ALLOW];    /* runtime annotations a bundle may carry */
                size_t n_allow;
        } runtime_annotations;
        struct {
                const char *allow[POLICY_MAX_ALLOW];    /* "PATH" or "PATH ARGV0": hooks a bundle may carry */
                size_t n_allow;
        } hooks;
        struct {
                enum userns_mode mode;
                bool annotation_may_loosen;     /* may io.palisade.userns=keep loosen auto? */
                uint32_t pool_start, range_size, pool_count;
                struct id_span reserved[POLICY_MAX_RESERVED];   /* host IDs never handed out */
                size_t n_reserved;
                const char *subuid, *subgid;    /* files whose other users' ranges are excluded */
                const char *subid_user;         /* the user whose entries are palisade's own */
                bool chown_fallback;            /* unshiftable: "chown" (true) or "refuse" */
        } userns;
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
/* The same with another default path (tests: a scratch file, never the host's). */
int policy_load_at(const char *default_path, const char *const *guard_names, struct policy **out,
                   struct pal_err *err);

bool policy_guard_enabled(const struct policy *p, const char *name);

/* Does runtime_annotations.allow name KEY? */
bool policy_runtime_annotation_allowed(const struct policy *p, const char *key);

const struct device_profile *policy_device_profile(const struct policy *p, const char *name);

/* The source (path or "builtin") of a seccomp profile by name, or NULL. */
const char *policy_seccomp_profile(const struct policy *p, const char *name);
const char *userns_mode_name(enum userns_mode m);
/* "keep", "auto" or "require"; -EINVAL for anything else. */
int userns_mode_parse(const char *s, enum userns_mode *out);

void policy_free(struct policy *p);
static inline void policy_freep(struct policy **p)
{
        policy_free(*p);
}
#define _cleanup_policy_ __attribute__((cleanup(policy_freep)))
