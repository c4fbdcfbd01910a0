/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "lib/capname.h"
#include "policy.h"

const char policy_embedded_default[] =
#include "default_policy.inc"
        ;

static const char *const top_keys[] = { "guards", "state_dir", "runtime", "audit", "caps", "check", "devices",
                                        "seccomp", "agent", "userns", "runtime_annotations",
                                        "hooks", NULL };
static const char *const seccomp_keys[] = { "default", "profiles", "accept_annotation", "required", "unknown_syscalls",
                                            NULL };
static const char *const devices_keys[] = { "profiles", "default", "deny", "spec_allow", "allow_broad", "cdi_dirs",
                                            "cgroup", NULL };

/*
 * devices.spec_allow when a policy leaves it out: the allow rules Docker,
 * Podman, containerd and `runc spec` clients write, and runc and crun add by
 * themselves (null, zero, full, random, urandom, tty, console, ptmx, the pts
 * range; mknod of any node). containerd's oci.WithDefaultUnixDevices also
 * writes tun (c 10:200): not here, it is a device (policy profile "tun").
 */
static const char *const default_spec_allow[] = {
        "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
        "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm",
};
static const char *const grant_keys[] = { "path", "rule", "access", "container_path", "mode", "uid", "gid", NULL };
static const char *const caps_keys[] = { "drop", "never", "add", NULL };
static const char *const caps_add_keys[] = { "privileged", "unprivileged", NULL };
static const char *const check_keys[] = { "refuse_at", NULL };
static const char *const severity_names[] = { "none", "low", "medium", "high", "critical" };
static const char *const runtime_keys[] = { "path", "hook", NULL };
static const char *const agent_keys[] = { "socket", "timeout_ms", "per_container", NULL };
static const char *const userns_keys[] = { "mode", "annotation_may_loosen", "pool", "reserved", "subuid", "subgid",
                                           "subid_user", "unshiftable", NULL };
static const char *const pool_keys[] = { "start", "size", "count", NULL };
static const char *const span_keys[] = { "start", "size", NULL };
static const char *const userns_modes[] = { "keep", "auto", "require" };
static const char *const audit_keys[] = { "required", "accept_annotation", "journal", NULL };
static const char *const allow_keys[] = { "allow", NULL };

const struct device_profile *policy_device_profile(const struct policy *p, const char *name)
{
        for (size_t i = 0; i < p->devices.n_profiles; i++)
                if (strcmp(p->devices.profiles[i].name, name) == 0)
                        return &p->devices.profiles[i];
        return NULL;
}

void policy_free(struct policy *p)
{
        if (!p)
                return;
        for (size_t i = 0; i < p->devices.n_profiles; i++)
                free(p->devices.profiles[i].grants);
        free(p->devices.profiles);
        free(p->devices.deny);
        free(p->devices.spec_allow);
        json_free(p->tree);
        free(p);
}

bool policy_guard_enabled(const struct policy *p, const char *name)
{
        for (size_t i = 0; i < p->n_guards; i++)
                if (strcmp(p->guards[i], name) == 0)
                        return true;
        return false;
}

static int abs_path(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        const char **out = arg;
        int r = json_as_string(v, p, out, err);
        size_t len;

        if (r < 0)
                return r;
        len = strlen(*out);
        /* No ".." component, trailing ones included ("/run/.." is "/"). */
        if ((*out)[0] != '/' || strstr(*out, "/../") || len < 2 ||
            (len >= 3 && strcmp(*out + len - 3, "/..") == 0))
                return pal_err_set(err, -EINVAL, "%s: \"%s\" must be an absolute path", jpath_str(p), *out);
        return 0;
}

static int parse_guards(struct policy *pol, const struct json *v, struct jpath *p,
                        const char *const *guard_names, struct pal_err *err)
{
        int r;

        if ((r = json_expect(v, JSON_ARRAY, p, err)) < 0)
                return r;
        if (v->len > POLICY_MAX_GUARDS)
                return pal_err_set(err, -EINVAL, "%s: more than %d guards", jpath_str(p), POLICY_MAX_GUARDS);
        for (size_t i = 0; i < v->len; i++) {
                size_t mark = jpath_index(p, i);
                const char *name;
                bool known = false;

                if ((r = json_as_string(v->items[i], p, &name, err)) < 0)
                        return r;
                for (const char *const *g = guard_names; *g; g++)
                        known |= strcmp(*g, name) == 0;
                if (!known)
                        return pal_err_set(err, -EINVAL, "%s: unknown guard \"%s\"", jpath_str(p), name);
                if (policy_guard_enabled(pol, name))
                        return pal_err_set(err, -EINVAL, "%s: guard \"%s\" listed twice", jpath_str(p), name);
                pol->guards[pol->n_guards++] = name;
                jpath_pop(p, mark);
        }
        return 0;
}

bool policy_runtime_annotation_allowed(const struct policy *p, const char *key)
{
        for (size_t i = 0; i < p->runtime_annotations.n_allow; i++)
                if (strcmp(p->runtime_annotations.allow[i], key) == 0)
                        return true;
        return false;
}

/* "" (automatic) or an absolute path. */
static int opt_path(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        const char **out = arg;
        int r = json_as_string(v, p, out, err);
        if (r < 0 || (*out)[0] == '\0')
                return r;
        return abs_path(v, p, out, err);
}

/* An object whose keys must all be known. */
static int section(const struct json *v, const char *const *known, struct jpath *p, struct pal_err *err)
{
        int r = json_expect(v, JSON_OBJECT, p, err);
        return r < 0 ? r : json_only_keys(v, known, true, p, err);
}

static int parse_runtime(const struct json *rt, struct jpath *p, void *arg, struct pal_err *err)
{
        struct policy *pol = arg;
        int r;

        if ((r = section(rt, runtime_keys, p, err)) < 0 ||
            (r = json_read_member(rt, "path", p, opt_path, &pol->runtime.path, err)) < 0 ||
            (r = json_read_member(rt, "hook", p, opt_path, &pol->runtime.hook, err)) < 0)
                return r;
        return 0;
}

static int parse_audit(const struct json *a, struct jpath *p, void *arg, struct pal_err *err)
{
        struct policy *pol = arg;
        int r;

        if ((r = section(a, audit_keys, p, err)) < 0 ||
            (r = json_opt_bool(a, "required", p, &pol->audit.required, err)) < 0 ||
            (r = json_opt_bool(a, "accept_annotation", p, &pol->audit.accept_annotation, err)) < 0 ||
            (r = json_read_member(a, "journal", p, abs_path, &pol->audit.journal, err)) < 0)
                return r;
        return 0;
}

static int parse_agent(const struct json *a, struct jpath *p, void *arg, struct pal_err *err)
{
        struct policy *pol = arg;
        int r;

        if ((r = section(a, agent_keys, p, err)) < 0 ||
            (r = json_read_member(a, "socket", p, abs_path, &pol->agent.socket, err)) < 0 ||
            (r = json_opt_i64(a, "timeout_ms", p, 10, 60000, &pol->agent.timeout_ms, err)) < 0 ||
            (r = json_opt_i64(a, "per_container", p, 1, 64, &pol->agent.per_container, err)) < 0)
                return r;
        return 0;
}

const char *severity_name(enum severity sev)
{
        return (size_t) sev < ARRAY_SIZE(severity_names) ? severity_names[sev] : "?";
}

/* An array of capability names, as a bitmask (arg: uint64_t *). */
static int read_caps(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        uint64_t *out = arg;
        int r;

        if ((r = json_expect(v, JSON_ARRAY, p, err)) < 0)
                return r;
        *out = 0;
        for (size_t i = 0; i < v->len; i++) {
                size_t m2 = jpath_index(p, i);
                char canon[CAP_NAME_MAX];
                const char *name;
                int cap;

                if ((r = json_as_string(v->items[i], p, &name, err)) < 0)
                        return r;
                if (capname_parse(name, &cap, canon) < 0)
                        return pal_err_set(err, -EINVAL, "%s: \"%.40s\" is not a capability libcap knows "
                                           "(e.g. CAP_NET_RAW or net_raw)", jpath_str(p), name);
                *out |= UINT64_C(1) << cap;
                jpath_pop(p, m2);
        }
        return 0;
}

/* caps.add: capabilities added by container kind (arg: the policy). */
static int parse_caps_add(const struct json *add, struct jpath *p, void *arg, struct pal_err *err)
{
        struct policy *pol = arg;
        int r;

        if ((r = section(add, caps_add_keys, p, err)) < 0 ||
            (r = json_read_member(add, "privileged", p, read_caps, &pol->caps.add_privileged, err)) < 0 ||
            (r = json_read_member(add, "unprivileged", p, read_caps, &pol->caps.add_unprivileged, err)) < 0)
                return r;
        return 0;
}

static int parse_caps(const struct json *c, struct jpath *p, void *arg, struct pal_err *err)
{
        struct policy *pol = arg;
        int r;

        if ((r = section(c, caps_keys, p, err)) < 0 ||
            (r = json_read_member(c, "drop", p, read_caps, &pol->caps.drop, err)) < 0 ||
            (r = json_read_member(c, "never", p, read_caps, &pol->caps.never, err)) < 0 ||
            (r = json_read_member(c, "add", p, parse_caps_add, pol, err)) < 0)
                return r;
        return 0;
}

static int parse_check(const struct json *c, struct jpath *p, void *arg, struct pal_err *err)
{
        struct policy *pol = arg;
        const char *level = NULL;
        int r;

        if ((r = section(c, check_keys, p, err)) < 0 ||
            (r = json_opt_string(c, "refuse_at", p, &level, err)) < 0)
                return r;
        if (!level)
                return 0;
        for (size_t i = 0; i < ARRAY_SIZE(severity_names); i++)
                if (strcmp(level, severity_names[i]) == 0) {
                        pol->check.refuse_at = (enum severity) i;
                        return 0;
                }
        jpath_key(p, "refuse_at");
        return pal_err_set(err, -EINVAL, "%s: \"%.32s\" is not one of none, low, medium, high, critical",
                           jpath_str(p), level);
}

static int parse_grant(const struct json *g, struct jpath *p, struct device_grant *out, struct pal_err *err)
{
        const char *rule = NULL, *access = NULL;
        int r;

        *out = (struct device_grant) { .mode = -1, .uid = -1, .gid = -1 };
        snprintf(out->key, sizeof(out->key), "%s", jpath_str(p));
        if ((r = section(g, grant_keys, p, err)) < 0 ||
            (r = json_read_member(g, "path", p, abs_path, &out->path, err)) < 0 ||
            (r = json_opt_string(g, "rule", p, &rule, err)) < 0 ||
            (r = json_opt_string(g, "access", p, &access, err)) < 0 ||
            (r = json_read_member(g, "container_path", p, abs_path, &out->container_path, err)) < 0 ||
            (r = json_opt_i64(g, "mode", p, 0, 07777, &out->mode, err)) < 0 ||
            (r = json_opt_i64(g, "uid", p, 0, UINT32_MAX, &out->uid, err)) < 0 ||
            (r = json_opt_i64(g, "gid", p, 0, UINT32_MAX, &out->gid, err)) < 0)
                return r;
        if (!out->path == !rule)
                return pal_err_set(err, -EINVAL, "%s: give either \"path\" (a host device node) or \"rule\" "
                                   "(\"c 10:229 rwm\")", jpath_str(p));
        if (rule) {
                size_t mark = jpath_key(p, "rule");
                if (access)
                        return pal_err_set(err, -EINVAL, "%s: a rule carries its own access", jpath_str(p));
                if ((r = devrule_parse(rule, &out->rule, err)) < 0)
                        return pal_err_wrap(err, "%s", jpath_str(p));
                if (out->rule.type == 'a' || out->rule.major == DEVRULE_ANY)
                        return pal_err_set(err, -EINVAL, "%s: a profile grants devices of one type and major "
                                           "(\"%s\" is broader)", jpath_str(p), rule);
                jpath_pop(p, mark);
        } else {
                out->rule.type = '?';   /* read from the node when used */
                memcpy(out->rule.access, "rwm", 4);
                if (access) {
                        size_t mark = jpath_key(p, "access");
                        if ((r = devrule_access(access, out->rule.access, err)) < 0)
                                return pal_err_wrap(err, "%s", jpath_str(p));
                        jpath_pop(p, mark);
                }
        }
        return 0;
}

static bool profile_name_ok(const char *n)
{
        if (!*n || strlen(n) > 64)
                return false;
        for (; *n; n++)
                if (!((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9') || *n == '-' || *n == '_' || *n == '.'))
                        return false;
        return true;
}

/* devices.KEY: an array of rules ("c 10:229 rwm"), replacing what *out held. */
static int parse_rules(const struct json *d, const char *key, struct jpath *p, struct devrule **out, size_t *n,
                       struct pal_err *err)
{
        struct json *v = json_get(d, key);
        size_t mark;
        int r;

        if (!v)
                return 0;
        mark = jpath_key(p, key);
        if ((r = json_expect(v, JSON_ARRAY, p, err)) < 0)
                return r;
        free(*out);
        *out = NULL;
        *n = 0;
        if (v->len && !(*out = calloc(v->len, sizeof(**out))))
                return pal_err_set(err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < v->len; i++) {
                size_t m2 = jpath_index(p, i);
                const char *text;
                if ((r = json_as_string(v->items[i], p, &text, err)) < 0)
                        return r;
                if ((r = devrule_parse(text, &(*out)[(*n)++], err)) < 0)
                        return pal_err_wrap(err, "%s", jpath_str(p));
                jpath_pop(p, m2);
        }
        jpath_pop(p, mark);
        return 0;
}

static int parse_devices(const struct json *d, struct jpath *p, void *arg, struct pal_err *err)
{
        struct policy *pol = arg;
        struct json *profiles, *v;
        size_t mark;
        int r;

        if ((r = section(d, devices_keys, p, err)) < 0 ||
            (r = json_opt_bool(d, "allow_broad", p, &pol->devices.allow_broad, err)) < 0)
                return r;
        if ((profiles = json_get(d, "profiles"))) {
                mark = jpath_key(p, "profiles");
                if ((r = json_expect(profiles, JSON_OBJECT, p, err)) < 0)
                        return r;
                if (profiles->len && !(pol->devices.profiles = calloc(profiles->len, sizeof(*pol->devices.profiles))))
                        return pal_err_set(err, -ENOMEM, "out of memory");
                for (size_t i = 0; i < profiles->len; i++) {
                        struct device_profile *prof = &pol->devices.profiles[pol->devices.n_profiles++];
                        struct json *list = profiles->items[i];
                        size_t m2 = jpath_key(p, profiles->keys[i]);

                        if (!profile_name_ok(profiles->keys[i]))
                                return pal_err_set(err, -EINVAL, "%s: a profile name is 1-64 of a-z 0-9 . _ -",
                                                   jpath_str(p));
                        prof->name = profiles->keys[i];
                        if ((r = json_expect(list, JSON_ARRAY, p, err)) < 0)
                                return r;
                        if (list->len && !(prof->grants = calloc(list->len, sizeof(*prof->grants))))
                                return pal_err_set(err, -ENOMEM, "out of memory");
                        for (size_t j = 0; j < list->len; j++) {
                                size_t m3 = jpath_index(p, j);
                                if ((r = parse_grant(list->items[j], p, &prof->grants[prof->n_grants++], err)) < 0)
                                        return r;
                                jpath_pop(p, m3);
                        }
                        jpath_pop(p, m2);
                }
                jpath_pop(p, mark);
        }
        if ((v = json_get(d, "default"))) {
                mark = jpath_key(p, "default");
                if ((r = json_expect(v, JSON_ARRAY, p, err)) < 0)
                        return r;
                if (v->len > ARRAY_SIZE(pol->devices.defaults))
                        return pal_err_set(err, -EINVAL, "%s: more than %zu profiles", jpath_str(p),
                                           ARRAY_SIZE(pol->devices.defaults));
                for (size_t i = 0; i < v->len; i++) {
                        size_t m2 = jpath_index(p, i);
                        const char *name;
                        if ((r = json_as_string(v->items[i], p, &name, err)) < 0)
                                return r;
                        if (!policy_device_profile(pol, name))
                                return pal_err_set(err, -EINVAL, "%s: no profile \"%.64s\" in devices.profiles",
                                                   jpath_str(p), name);
                        pol->devices.defaults[pol->devices.n_defaults++] = name;
                        jpath_pop(p, m2);
                }
                jpath_pop(p, mark);
        }
        if ((r = json_opt_string(d, "cgroup", p, &pol->devices.cgroup, err)) < 0)
                return r;
        if (strcmp(pol->devices.cgroup, "auto") && strcmp(pol->devices.cgroup, "v1") && strcmp(pol->devices.cgroup, "v2")) {
                jpath_key(p, "cgroup");
                return pal_err_set(err, -EINVAL, "%s: \"%.16s\" is not auto, v1 or v2", jpath_str(p), pol->devices.cgroup);
        }
        if ((v = json_get(d, "cdi_dirs"))) {
                mark = jpath_key(p, "cdi_dirs");
                if ((r = json_expect(v, JSON_ARRAY, p, err)) < 0)
                        return r;
                if (v->len > ARRAY_SIZE(pol->devices.cdi_dirs))
                        return pal_err_set(err, -EINVAL, "%s: more than %zu directories", jpath_str(p),
                                           ARRAY_SIZE(pol->devices.cdi_dirs));
                pol->devices.n_cdi_dirs = 0;
                for (size_t i = 0; i < v->len; i++) {
                        size_t m2 = jpath_index(p, i);
                        if ((r = abs_path(v->items[i], p, &pol->devices.cdi_dirs[pol->devices.n_cdi_dirs++], err)) < 0)
                                return r;
                        jpath_pop(p, m2);
                }
                jpath_pop(p, mark);
        }
        if ((r = parse_rules(d, "deny", p, &pol->devices.deny, &pol->devices.n_deny, err)) < 0 ||
            (r = parse_rules(d, "spec_allow", p, &pol->devices.spec_allow, &pol->devices.n_spec_allow, err)) < 0)
                return r;
        return 0;
}

const char *userns_mode_name(enum userns_mode m)
{
        return (size_t) m < ARRAY_SIZE(userns_modes) ? userns_modes[m] : "?";
}

int userns_mode_parse(const char *s, enum userns_mode *out)
{
        for (size_t i = 0; i < ARRAY_SIZE(userns_modes); i++)
                if (strcmp(s, userns_modes[i]) == 0) {
                        *out = (enum userns_mode) i;
                        return 0;
                }
        return -EINVAL;
}

/* obj.key, when present, as a uint32 in [min, max]. */
static int opt_u32(const struct json *obj, const char *key, struct jpath *p, uint32_t min, uint32_t max,
                   uint32_t *out, struct pal_err *err)
{
        int64_t v = *out;
        int r = json_opt_i64(obj, key, p, min, max, &v, err);

        if (r == 0)
                *out = (uint32_t) v;
        return r;
}

static int parse_span(const struct json *v, struct jpath *p, struct id_span *out, struct pal_err *err)
{
        int r;

        *out = (struct id_span) { 0 };
        if ((r = section(v, span_keys, p, err)) < 0 ||
            (r = opt_u32(v, "start", p, 0, UINT32_MAX, &out->start, err)) < 0 ||
            (r = opt_u32(v, "size", p, 1, UINT32_MAX, &out->size, err)) < 0)
                return r;
        if (!json_get(v, "start") || !json_get(v, "size"))
                return pal_err_set(err, -EINVAL, "%s: give both \"start\" and \"size\"", jpath_str(p));
        if ((uint64_t) out->start + out->size > (UINT64_C(1) << 32))
                return pal_err_set(err, -EINVAL, "%s: start + size passes 2^32", jpath_str(p));
        return 0;
}

static int parse_userns(const struct json *u, struct jpath *p, void *arg, struct pal_err *err)
{
        struct policy *pol = arg;
        const char *mode = NULL, *unshiftable = NULL;
        struct json *v;
        size_t mark;
        int r;

        if ((r = section(u, userns_keys, p, err)) < 0 ||
            (r = json_opt_string(u, "mode", p, &mode, err)) < 0 ||
            (r = json_opt_bool(u, "annotation_may_loosen", p, &pol->userns.annotation_may_loosen, err)) < 0 ||
            (r = json_read_member(u, "subuid", p, abs_path, &pol->userns.subuid, err)) < 0 ||
            (r = json_read_member(u, "subgid", p, abs_path, &pol->userns.subgid, err)) < 0 ||
            (r = json_opt_string(u, "subid_user", p, &pol->userns.subid_user, err)) < 0 ||
            (r = json_opt_string(u, "unshiftable", p, &unshiftable, err)) < 0)
                return r;
        if (mode && userns_mode_parse(mode, &pol->userns.mode) < 0) {
                jpath_key(p, "mode");
                return pal_err_set(err, -EINVAL, "%s: \"%.16s\" is not keep, auto or require", jpath_str(p), mode);
        }
        if (unshiftable) {
                if (strcmp(unshiftable, "refuse") && strcmp(unshiftable, "chown")) {
                        jpath_key(p, "unshiftable");
                        return pal_err_set(err, -EINVAL, "%s: \"%.16s\" is not refuse or chown", jpath_str(p),
                                           unshiftable);
                }
                pol->userns.chown_fallback = strcmp(unshiftable, "chown") == 0;
        }
        if ((v = json_get(u, "pool"))) {
                mark = jpath_key(p, "pool");
                if ((r = section(v, pool_keys, p, err)) < 0 ||
                    (r = opt_u32(v, "start", p, 1, UINT32_MAX, &pol->userns.pool_start, err)) < 0 ||
                    (r = opt_u32(v, "size", p, 1, UINT32_MAX, &pol->userns.range_size, err)) < 0 ||
                    (r = opt_u32(v, "count", p, 1, 1u << 20, &pol->userns.pool_count, err)) < 0)
                        return r;
                /* The last ID of the last range must fit in 32 bits, and (uid_t) -1 is never an ID. */
                if ((uint64_t) pol->userns.pool_start + (uint64_t) pol->userns.range_size * pol->userns.pool_count >
                    UINT32_MAX)
                        return pal_err_set(err, -EINVAL, "%s: start + size * count passes 2^32 - 1", jpath_str(p));
                jpath_pop(p, mark);
        }
        if ((v = json_get(u, "reserved"))) {
                mark = jpath_key(p, "reserved");
                if ((r = json_expect(v, JSON_ARRAY, p, err)) < 0)
                        return r;
                if (v->len > POLICY_MAX_RESERVED)
                        return pal_err_set(err, -EINVAL, "%s: more than %d spans", jpath_str(p), POLICY_MAX_RESERVED);
                pol->userns.n_reserved = 0;
                for (size_t i = 0; i < v->len; i++) {
                        size_t m2 = jpath_index(p, i);
                        if ((r = parse_span(v->items[i], p, &pol->userns.reserved[pol->userns.n_reserved++], err)) < 0)
                                return r;
                        jpath_pop(p, m2);
                }
                jpath_pop(p, mark);
        }
        return 0;
}

/* {"allow": [strings read by read]}: the list replaces the default. */
static int parse_allow(const struct json *sec, json_reader read, struct jpath *p, const char **out, size_t *n,
                       struct pal_err *err)
{
        struct json *v;
        size_t mark;
        int r;

        if ((r = section(sec, allow_keys, p, err)) < 0)
                return r;
        if (!(v = json_get(sec, "allow")))
                return 0;
        mark = jpath_key(p, "allow");
        if ((r = json_expect(v, JSON_ARRAY, p, err)) < 0)
                return r;
        if (v->len > POLICY_MAX_ALLOW)
                return pal_err_set(err, -EINVAL, "%s: more than %d entries", jpath_str(p), POLICY_MAX_ALLOW);
        *n = 0;
        for (size_t i = 0; i < v->len; i++) {
                size_t m2 = jpath_index(p, i);
                if ((r = read(v->items[i], p, &out[(*n)++], err)) < 0)
                        return r;
                jpath_pop(p, m2);
        }
        jpath_pop(p, mark);
        return 0;
}

/* An annotation key: 1-253 characters, none blank or a control character. */
static int annotation_key(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        const char **out = arg;
        int r = json_as_string(v, p, out, err);
        size_t len;

        if (r < 0)
                return r;
        len = strlen(*out);
        for (const char *c = *out; *c; c++)
                if ((unsigned char) *c <= 0x20 || *c == 0x7f)
                        len = 0;
        if (len == 0 || len > 253)
                return pal_err_set(err, -EINVAL, "%s: \"%.64s\" is not an annotation key", jpath_str(p), *out);
        return 0;
}

/* "PATH" or "PATH ARGV0": an absolute path, and the args[0] a hook running it must have. */
static int hook_entry(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        const char **out = arg;
        int r = json_as_string(v, p, out, err);
        const char *space;

        if (r < 0)
                return r;
        space = strchr(*out, ' ');
        if ((*out)[0] != '/' || strstr(*out, "/../") || (space && (!space[1] || strchr(space + 1, ' '))))
                return pal_err_set(err, -EINVAL, "%s: \"%.128s\" is not \"PATH\" or \"PATH ARGV0\" with an "
                                   "absolute PATH", jpath_str(p), *out);
        return 0;
}

static int parse_runtime_annotations(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        struct policy *pol = arg;
        return parse_allow(v, annotation_key, p, pol->runtime_annotations.allow, &pol->runtime_annotations.n_allow,
                           err);
}

static int parse_hooks(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        struct policy *pol = arg;
        return parse_allow(v, hook_entry, p, pol->hooks.allow, &pol->hooks.n_allow, err);
}

/* A profile source: an absolute path, or "builtin" (palisade's own). */
static int profile_source(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        const char **out = arg;
        int r = json_as_string(v, p, out, err);
        if (r < 0 || strcmp(*out, "builtin") == 0)
                return r;
        return abs_path(v, p, out, err);
}

static int any_string(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        const char **out = arg;
        return json_as_string(v, p, out, err);
}

static int parse_seccomp(const struct json *sc, struct jpath *p, void *arg, struct pal_err *err)
{
        struct policy *pol = arg;
        const char *unknown = NULL;
        struct json *profiles = NULL;
        int r;

        if ((r = section(sc, seccomp_keys, p, err)) < 0 ||
            (r = json_read_member(sc, "default", p, any_string, &pol->seccomp.default_profile, err)) < 0 ||
            (r = json_opt_bool(sc, "accept_annotation", p, &pol->seccomp.accept_annotation, err)) < 0 ||
            (r = json_opt_bool(sc, "required", p, &pol->seccomp.required, err)) < 0 ||
            (r = json_read_member(sc, "unknown_syscalls", p, any_string, &unknown, err)) < 0 ||
            (r = json_opt_member(sc, "profiles", JSON_OBJECT, p, &profiles, err)) < 0)
                return r;
        if (unknown) {
                size_t m = jpath_key(p, "unknown_syscalls");
                if (strcmp(unknown, "skip") != 0 && strcmp(unknown, "refuse") != 0)
                        return pal_err_set(err, -EINVAL, "%s: \"%.64s\" is neither \"skip\" nor \"refuse\"",
                                           jpath_str(p), unknown);
                pol->seccomp.refuse_unknown = strcmp(unknown, "refuse") == 0;
                jpath_pop(p, m);
        }
        if (profiles) {
                size_t m = jpath_key(p, "profiles");
                if (profiles->len > POLICY_MAX_PROFILES)
                        return pal_err_set(err, -EINVAL, "%s: more than %d profiles", jpath_str(p), POLICY_MAX_PROFILES);
                for (size_t i = 0; i < profiles->len; i++) {
                        const char *path;
                        size_t mk = jpath_key(p, profiles->keys[i]);

                        if (strncmp(profiles->keys[i], "//", 2) == 0) {
                                jpath_pop(p, mk);
                                continue;
                        }
                        if ((r = profile_source(profiles->items[i], p, &path, err)) < 0)
                                return r;
                        pol->seccomp.profiles[pol->seccomp.n_profiles].name = profiles->keys[i];
                        pol->seccomp.profiles[pol->seccomp.n_profiles++].source = path;
                        jpath_pop(p, mk);
                }
                jpath_pop(p, m);
        }
        if (strcmp(pol->seccomp.default_profile, "none") != 0 &&
            !policy_seccomp_profile(pol, pol->seccomp.default_profile)) {
                size_t m = jpath_key(p, "default");
                r = pal_err_set(err, -EINVAL, "%s: no profile \"%.64s\" in seccomp.profiles (or \"builtin\", or "
                                "\"none\")", jpath_str(p), pol->seccomp.default_profile);
                jpath_pop(p, m);
                return r;
        }
        return 0;
}

const char *policy_seccomp_profile(const struct policy *p, const char *name)
{
        if (strcmp(name, "builtin") == 0)
                return "builtin";
        for (size_t i = 0; i < p->seccomp.n_profiles; i++)
                if (strcmp(p->seccomp.profiles[i].name, name) == 0)
                        return p->seccomp.profiles[i].source;
        return NULL;
}

int policy_parse(const char *buf, size_t len, const char *const *guard_names, struct policy **out,
                 struct pal_err *err)
{
        static const struct json_limits lim = { .max_bytes = POLICY_MAX_BYTES, .max_depth = 32,
                                                .max_members = 4096 };
        struct policy *pol;
        struct json *v;
        struct jpath p;
        size_t mark;
        int r;

        *out = NULL;
        jpath_init(&p);
        if (!(pol = calloc(1, sizeof(*pol))))
                return pal_err_set(err, -ENOMEM, "out of memory");
        /* Defaults for keys a file leaves out. */
        pol->guards[0] = "userns";
        pol->guards[1] = "devices";
        pol->guards[2] = "caps";
        pol->guards[3] = "seccomp";
        pol->guards[4] = "check";
        pol->guards[5] = "audit";
        pol->n_guards = 6;
        pol->runtime_annotations.allow[0] = "run.oci.hooks.stderr";
        pol->runtime_annotations.n_allow = 1;
        pol->hooks.allow[0] = "/usr/sbin/dockerd libnetwork-setkey";
        pol->hooks.n_allow = 1;
        pol->seccomp.default_profile = "builtin";
        pol->seccomp.accept_annotation = true;
        pol->state_dir = "/run/palisade";
        pol->runtime.path = "";
        pol->runtime.hook = "";
        pol->audit.accept_annotation = true;
        pol->devices.cdi_dirs[0] = "/etc/cdi";
        pol->devices.cdi_dirs[1] = "/var/run/cdi";
        pol->devices.n_cdi_dirs = 2;
        pol->devices.cgroup = "auto";
        if (!(pol->devices.spec_allow = calloc(ARRAY_SIZE(default_spec_allow), sizeof(*pol->devices.spec_allow)))) {
                policy_free(pol);
                return pal_err_set(err, -ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < ARRAY_SIZE(default_spec_allow); i++)
                if ((r = devrule_parse(default_spec_allow[i], &pol->devices.spec_allow[pol->devices.n_spec_allow++],
                                       err)) < 0) {
                        policy_free(pol);
                        return pal_err_wrap(err, "devices.spec_allow (built in)");
                }
        pol->audit.journal = "/var/log/palisade/journal.jsonl";
        pol->agent.socket = "/run/palisade/agent.sock";
        pol->agent.timeout_ms = 2000;
        pol->agent.per_container = 4;
        pol->userns.mode = USERNS_KEEP;
        pol->userns.pool_start = 1000000;
        pol->userns.range_size = 65536;
        pol->userns.pool_count = 1024;
        pol->userns.subuid = "/etc/subuid";
        pol->userns.subgid = "/etc/subgid";
        pol->userns.subid_user = "root";

        if ((r = json_parse(buf, len, &lim, &pol->tree, err)) < 0 ||
            (r = json_expect(pol->tree, JSON_OBJECT, &p, err)) < 0 ||
            (r = json_only_keys(pol->tree, top_keys, true, &p, err)) < 0)
                goto fail;
        if ((v = json_get(pol->tree, "guards"))) {
                pol->n_guards = 0;
                mark = jpath_key(&p, "guards");
                if ((r = parse_guards(pol, v, &p, guard_names, err)) < 0)
                        goto fail;
                jpath_pop(&p, mark);
        }
        if ((r = json_read_member(pol->tree, "state_dir", &p, abs_path, &pol->state_dir, err)) < 0 ||
            (r = json_read_member(pol->tree, "runtime", &p, parse_runtime, pol, err)) < 0 ||
            (r = json_read_member(pol->tree, "audit", &p, parse_audit, pol, err)) < 0 ||
            (r = json_read_member(pol->tree, "caps", &p, parse_caps, pol, err)) < 0 ||
            (r = json_read_member(pol->tree, "check", &p, parse_check, pol, err)) < 0 ||
            (r = json_read_member(pol->tree, "devices", &p, parse_devices, pol, err)) < 0 ||
            (r = json_read_member(pol->tree, "seccomp", &p, parse_seccomp, pol, err)) < 0 ||
            (r = json_read_member(pol->tree, "agent", &p, parse_agent, pol, err)) < 0 ||
            (r = json_read_member(pol->tree, "userns", &p, parse_userns, pol, err)) < 0 ||
            (r = json_read_member(pol->tree, "runtime_annotations", &p, parse_runtime_annotations, pol, err)) < 0 ||
            (r = json_read_member(pol->tree, "hooks", &p, parse_hooks, pol, err)) < 0)
                goto fail;
        *out = pol;
        return 0;
fail:
        policy_free(pol);
        return r;
}

int policy_load(const char *const *guard_names, struct policy **out, struct pal_err *err)
{
        return policy_load_at(POLICY_DEFAULT_PATH, guard_names, out, err);
}

int policy_load_at(const char *default_path, const char *const *guard_names, struct policy **out,
                   struct pal_err *err)
{
        const char *env = getenv("PALISADE_CONFIG");
        const char *path = env && *env ? env : default_path;
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        r = read_file_at(AT_FDCWD, path, POLICY_MAX_BYTES, &buf, &len, err);
        if (r == -ENOENT && !(env && *env)) {
                r = policy_parse(policy_embedded_default, strlen(policy_embedded_default), guard_names,
                                 out, err);
                if (r < 0)
                        return pal_err_wrap(err, "policy (embedded default)");
                (*out)->source = "(embedded default)";
                return 0;
        }
        if (r < 0)
                return pal_err_wrap(err, "policy %s", path);
        r = policy_parse(buf, len, guard_names, out, err);
        if (r < 0)
                return pal_err_wrap(err, "policy %s", path);
        (*out)->source = path;
        return 0;
}
