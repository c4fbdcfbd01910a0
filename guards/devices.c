/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device guard. A container gets exactly the devices its profiles grant
 * (policy devices.default, plus annotation io.palisade.devices), enforced by
 * the runtime's cgroup device rules, which it writes from config.json: so the
 * grants go into the spec (linux.devices for the node, linux.resources.devices
 * for the allow rule), where `runc update` and systemd reloads keep them. The
 * spec's own allow rules and nodes are judged like any request: one that
 * allows a whole class of devices, anything policy denies, or a device policy
 * grants this container neither through its profiles and CDI devices nor in
 * devices.spec_allow (the standard set clients write) is refused.
 *
 * At createRuntime (any mode) the hook takes away what policy denies but the
 * runtime allows by itself (runc 1.1 allows c 10:200, /dev/net/tun, to every
 * container whatever the spec says), through the container's cgroup. With
 * the hook alone (no spec phase) it also grants through the cgroup and makes
 * the node inside the container's root. cgroup v1: devices.allow/deny;
 * cgroup v2: the container's device program, replaced (lib/devbpf.c).
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cdi_devices.h"
#include "guard.h"
#include "lib/cgroupdev.h"
#include "lib/cleanup.h"
#include "lib/devbpf.h"
#include "lib/json.h"
#include "lib/nsexec.h"
#include "oci/spec_edit.h"
#include "specphase.h"

#define ANNOTATION_DEVICES "io.palisade.devices"
#define MAX_PROFILES 32

static const char *const devices_annotations[] = { ANNOTATION_DEVICES, NULL };

struct resolved {
        struct devrule rule;
        const char *node;       /* container path, or NULL: rule only */
        int64_t mode, uid, gid;
        char key[192];          /* where the grant comes from, for messages */
};

/* type, major and minor from a host node, for grants that name one. */
static int from_node(const char *host, const char *key, struct resolved *out, struct pal_err *err)
{
        struct stat st;

        if (stat(host, &st) < 0)
                return pal_err_sys(err, errno, "%s: %s", key, host);
        if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
                return pal_err_set(err, -EINVAL, "%s: %s is not a device node", key, host);
        out->rule.type = S_ISCHR(st.st_mode) ? 'c' : 'b';
        out->rule.major = major(st.st_rdev);
        out->rule.minor = minor(st.st_rdev);
        if (out->mode < 0)
                out->mode = st.st_mode & 07777;
        return 0;
}

static int resolve(const struct device_grant *g, struct resolved *out, struct pal_err *err)
{
        char key[200];

        *out = (struct resolved) { .rule = g->rule, .node = g->container_path, .mode = g->mode, .uid = g->uid,
                                   .gid = g->gid };
        snprintf(out->key, sizeof(out->key), "%s", g->key);
        if (!g->path)
                return 0;
        if (!out->node)
                out->node = g->path;
        snprintf(key, sizeof(key), "%s.path", g->key);
        return from_node(g->path, key, out, err);
}

/* A CDI deviceNode as a grant: numbers from the spec, else from the host node. */
static int resolve_cdi(const struct cdi_found *f, const struct cdi_node *n, size_t i, struct resolved *out,
                       struct pal_err *err)
{
        *out = (struct resolved) { .node = n->path, .mode = n->mode, .uid = n->uid, .gid = n->gid };
        snprintf(out->key, sizeof(out->key), "CDI device %s (%s) deviceNodes[%zu]", f->qualified, f->file, i);
        memcpy(out->rule.access, n->access, sizeof(out->rule.access));
        if (n->type && n->major >= 0 && n->minor >= 0) {
                out->rule.type = n->type;
                out->rule.major = n->major;
                out->rule.minor = n->minor;
                return 0;
        }
        return from_node(n->host_path ? n->host_path : n->path, out->key, out, err);
}

/* The profiles this container gets: policy's defaults, then its annotation's. */
static int profiles(const struct pal_ctx *ctx, const struct device_profile *out[MAX_PROFILES], size_t *n,
                    struct pal_err *err)
{
        const struct policy *pol = ctx->policy;
        const char *ann = oci_annotation(ctx->spec->annotations, ctx->spec->n_annotations, ANNOTATION_DEVICES);
        char buf[1024], *save = NULL;

        *n = 0;
        for (size_t i = 0; i < pol->devices.n_defaults; i++)
                out[(*n)++] = policy_device_profile(pol, pol->devices.defaults[i]);
        if (!ann)
                return 0;
        if (strlen(ann) >= sizeof(buf))
                return pal_err_set(err, -EINVAL, "config.json: annotations[\"" ANNOTATION_DEVICES "\"]: longer than "
                                   "%zu characters", sizeof(buf) - 1);
        memcpy(buf, ann, strlen(ann) + 1);
        for (char *name = strtok_r(buf, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
                const struct device_profile *prof = policy_device_profile(pol, name);
                if (!prof)
                        return pal_err_set(err, -EINVAL, "config.json: annotations[\"" ANNOTATION_DEVICES "\"]: "
                                           "no device profile \"%.64s\" in policy %s (devices.profiles)", name,
                                           pol->source);
                if (*n >= MAX_PROFILES)
                        return pal_err_set(err, -EINVAL, "config.json: annotations[\"" ANNOTATION_DEVICES "\"]: "
                                           "more than %d profiles", MAX_PROFILES);
                out[(*n)++] = prof;
        }
        return 0;
}

static const struct devrule *denied(const struct policy *pol, const struct devrule *r)
{
        for (size_t i = 0; i < pol->devices.n_deny; i++)
                if (devrule_overlaps(&pol->devices.deny[i], r))
                        return &pol->devices.deny[i];
        return NULL;
}

/* The rule of a linux.resources.devices entry, allow or deny; false if it is not one. */
static bool spec_rule_fields(const struct json *d, struct devrule *r)
{
        struct json *type = json_get(d, "type"), *access = json_get(d, "access");
        struct json *maj = json_get(d, "major"), *min = json_get(d, "minor");
        struct pal_err ignored;

        if (d->type != JSON_OBJECT)
                return false;
        r->type = type && type->type == JSON_STRING && type->str[0] ? type->str[0] : 'a';
        r->major = maj && maj->type == JSON_NUMBER ? strtoll(maj->str, NULL, 10) : DEVRULE_ANY;
        r->minor = min && min->type == JSON_NUMBER ? strtoll(min->str, NULL, 10) : DEVRULE_ANY;
        if (r->major < 0)
                r->major = DEVRULE_ANY;
        if (r->minor < 0)
                r->minor = DEVRULE_ANY;
        if (!access || access->type != JSON_STRING || devrule_access(access->str, r->access, &ignored) < 0)
                memcpy(r->access, "rwm", 4);
        if (r->type != 'a' && r->type != 'b' && r->type != 'c')
                return false;
        return true;
}

/* linux.resources.devices[i] as a rule; false for deny rules and what is not a rule. */
static bool spec_allow_rule(const struct json *d, struct devrule *r)
{
        struct json *allow = json_get(d, "allow");

        if (!allow || allow->type != JSON_BOOL || !allow->boolean)
                return false;
        return spec_rule_fields(d, r);
}

/* Does policy let the spec carry rule r itself: its standard set (devices.spec_allow), or a grant of this container? */
static bool granted(const struct policy *pol, const struct devrule *r, const struct resolved *g, size_t n)
{
        for (size_t i = 0; i < pol->devices.n_spec_allow; i++)
                if (devrule_covers(&pol->devices.spec_allow[i], r))
                        return true;
        for (size_t i = 0; i < n; i++)
                if (devrule_covers(&g[i].rule, r))
                        return true;
        return false;
}

/*
 * One allow rule of the spec (KEY names it), judged like any request: no
 * broad rule unless policy permits, nothing denied, and nothing policy does
 * not grant this container.
 */
static int judge_rule(const struct pal_ctx *ctx, const struct devrule *r, const char *key, const struct resolved *g,
                      size_t n, struct pal_err *err)
{
        const struct policy *pol = ctx->policy;
        const struct devrule *deny;
        char text[48];

        devrule_format(r, text, sizeof(text));
        /* mknod alone of any node is harmless (Docker and containerd allow c *:* m): opening is what counts. */
        if ((r->type == 'a' || r->major == DEVRULE_ANY) && strpbrk(r->access, "rw") && !pol->devices.allow_broad)
                return pal_err_set(err, -EPERM, "%s: \"%s\" allows a whole class of devices, and policy %s does not "
                                   "set devices.allow_broad; grant the devices it needs through a profile instead",
                                   key, text, pol->source);
        if ((deny = denied(pol, r))) {
                char d[48];
                devrule_format(deny, d, sizeof(d));
                return pal_err_set(err, -EPERM, "%s: \"%s\" allows what policy %s denies (devices.deny \"%s\")", key,
                                   text, pol->source, d);
        }
        if (!strpbrk(r->access, "rw") || pol->devices.allow_broad || granted(pol, r, g, n))
                return 0;
        return pal_err_set(err, -EPERM, "%s: \"%s\" is not granted to this container by policy %s: grant it through a "
                           "device profile (devices.profiles, annotation " ANNOTATION_DEVICES ") or a CDI device, or "
                           "list it in devices.spec_allow", key, text, pol->source);
}

/* linux.devices[i] as the rule runc and crun add for it (rwm); false for what needs none (a fifo). */
static bool spec_node_rule(const struct json *d, struct devrule *r)
{
        struct json *type = json_get(d, "type"), *maj = json_get(d, "major"), *min = json_get(d, "minor");

        if (d->type != JSON_OBJECT || !type || type->type != JSON_STRING || !maj || maj->type != JSON_NUMBER ||
            !min || min->type != JSON_NUMBER)
                return false;
        /* "u": unbuffered character device, a c to the cgroup. */
        if (strcmp(type->str, "c") && strcmp(type->str, "u") && strcmp(type->str, "b"))
                return false;
        *r = (struct devrule) { .type = type->str[0] == 'b' ? 'b' : 'c', .major = strtoll(maj->str, NULL, 10),
                                .minor = strtoll(min->str, NULL, 10), .access = "rwm" };
        return r->major >= 0 && r->minor >= 0;
}

/*
 * The spec's own allow rules and device nodes (the runtime allows each node),
 * in any phase: exactly the devices policy grants this container (G: its
 * profiles' and CDI devices' grants) and the standard set, less denials.
 */
static int judge_spec_rules(const struct pal_ctx *ctx, const struct resolved *g, size_t n, struct pal_err *err)
{
        struct json *lx = json_get(ctx->spec->tree, "linux");
        struct json *devs = json_get(json_get(lx, "resources"), "devices"), *nodes = json_get(lx, "devices");
        char key[64];
        int r;

        for (size_t i = 0; devs && devs->type == JSON_ARRAY && i < devs->len; i++) {
                struct devrule dr;

                if (!spec_allow_rule(devs->items[i], &dr))
                        continue;
                snprintf(key, sizeof(key), "linux.resources.devices[%zu]", i);
                if ((r = judge_rule(ctx, &dr, key, g, n, err)) < 0)
                        return r;
        }
        for (size_t i = 0; nodes && nodes->type == JSON_ARRAY && i < nodes->len; i++) {
                struct devrule dr;

                if (!spec_node_rule(nodes->items[i], &dr))
                        continue;
                snprintf(key, sizeof(key), "linux.devices[%zu]", i);
                if ((r = judge_rule(ctx, &dr, key, g, n, err)) < 0)
                        return r;
        }
        return 0;
}

static int judge_grant(const struct pal_ctx *ctx, const struct resolved *g, struct pal_err *err)
{
        const struct devrule *deny = denied(ctx->policy, &g->rule);
        char d[48];

        if (!deny)
                return 0;
        devrule_format(deny, d, sizeof(d));
        return pal_err_set(err, -EPERM, "%s grants what policy %s denies (devices.deny \"%s\")", g->key,
                           ctx->policy->source, d);
}

/* The nodes of a CDI device: its spec's own edits, then the device's. */
static int cdi_grants(const struct pal_ctx *ctx, const struct cdi_set *set, struct resolved *out, size_t *n,
                      struct pal_err *err)
{
        int r;

        for (size_t i = 0; i < set->n_found; i++) {
                const struct cdi_edits *edits[2] = { &set->found[i].spec->edits, &set->found[i].device->edits };
                for (size_t e = 0; e < 2; e++)
                        for (size_t j = 0; j < edits[e]->n_nodes; j++) {
                                if (*n >= PAL_MAX_GRANTS)
                                        return pal_err_set(err, -E2BIG, "more than %d device grants", PAL_MAX_GRANTS);
                                if ((r = resolve_cdi(&set->found[i], &edits[e]->nodes[j], j, &out[*n], err)) < 0 ||
                                    (r = judge_grant(ctx, &out[*n], err)) < 0)
                                        return r;
                                (*n)++;
                        }
        }
        return 0;
}

/* Every grant of every profile and CDI device this container gets, resolved and judged. */
static int grants(struct pal_ctx *ctx, const struct cdi_set *set, struct resolved *out, size_t *n,
                  struct pal_err *err)
{
        const struct device_profile *prof[MAX_PROFILES];
        size_t n_prof;
        int r;

        *n = 0;
        if ((r = profiles(ctx, prof, &n_prof, err)) < 0)
                return r;
        for (size_t i = 0; i < n_prof; i++)
                for (size_t j = 0; j < prof[i]->n_grants; j++) {
                        if (*n >= PAL_MAX_GRANTS)
                                return pal_err_set(err, -E2BIG, "more than %d device grants", PAL_MAX_GRANTS);
                        if ((r = resolve(&prof[i]->grants[j], &out[*n], err)) < 0)
                                return pal_err_wrap(err, "policy %s", ctx->policy->source);
                        if ((r = judge_grant(ctx, &out[*n], err)) < 0)
                                return r;
                        (*n)++;
                }
        return cdi_grants(ctx, set, out, n, err);
}

static bool same_number(const struct json *v, int64_t n)
{
        char buf[24];
        snprintf(buf, sizeof(buf), "%lld", (long long) n);
        return v && v->type == JSON_NUMBER && strcmp(v->str, buf) == 0;
}

static bool has_allow(const struct json *devs, const struct devrule *r)
{
        char type[2] = { r->type, 0 };

        for (size_t i = 0; i < devs->len; i++) {
                const struct json *d = devs->items[i];
                struct json *allow = json_get(d, "allow"), *t = json_get(d, "type"), *a = json_get(d, "access");
                if (allow && allow->type == JSON_BOOL && allow->boolean && t && t->type == JSON_STRING &&
                    strcmp(t->str, type) == 0 && same_number(json_get(d, "major"), r->major) &&
                    (r->minor == DEVRULE_ANY ? !json_get(d, "minor") : same_number(json_get(d, "minor"), r->minor)) &&
                    a && a->type == JSON_STRING && strcmp(a->str, r->access) == 0)
                        return true;
        }
        return false;
}

static bool has_node(const struct json *devs, const char *path)
{
        for (size_t i = 0; i < devs->len; i++) {
                struct json *p = json_get(devs->items[i], "path");
                if (p && p->type == JSON_STRING && strcmp(p->str, path) == 0)
                        return true;
        }
        return false;
}

static int add_grant(struct oci_spec *s, const struct resolved *g, struct pal_err *err)
{
        struct json *linux_ = spec_child(s->tree, "linux", JSON_OBJECT, err);
        struct json *nodes = linux_ ? spec_child(linux_, "devices", JSON_ARRAY, err) : NULL;
        struct json *res = linux_ ? spec_child(linux_, "resources", JSON_OBJECT, err) : NULL;
        struct json *rules = res ? spec_child(res, "devices", JSON_ARRAY, err) : NULL;
        char type[2] = { g->rule.type, 0 };

        if (!nodes || !rules)
                return pal_err_wrap(err, "linux");
        if (g->node && !has_node(nodes, g->node)) {
                _cleanup_json_ struct json *n = json_new(JSON_OBJECT);
                if (!n || json_set(n, "path", json_new_string(g->node)) < 0 ||
                    json_set(n, "type", json_new_string(type)) < 0 ||
                    json_set(n, "major", json_new_int(g->rule.major)) < 0 ||
                    json_set(n, "minor", json_new_int(g->rule.minor)) < 0 ||
                    (g->mode >= 0 && json_set(n, "fileMode", json_new_int(g->mode)) < 0) ||
                    json_set(n, "uid", json_new_int(g->uid >= 0 ? g->uid : 0)) < 0 ||
                    json_set(n, "gid", json_new_int(g->gid >= 0 ? g->gid : 0)) < 0 ||
                    json_append(nodes, TAKE_PTR(n)) < 0)
                        return pal_err_set(err, -ENOMEM, "out of memory");
        }
        if (!has_allow(rules, &g->rule)) {
                _cleanup_json_ struct json *r = json_new(JSON_OBJECT);
                if (!r || json_set(r, "allow", json_new_bool(true)) < 0 ||
                    json_set(r, "type", json_new_string(type)) < 0 ||
                    json_set(r, "major", json_new_int(g->rule.major)) < 0 ||
                    (g->rule.minor != DEVRULE_ANY && json_set(r, "minor", json_new_int(g->rule.minor)) < 0) ||
                    json_set(r, "access", json_new_string(g->rule.access)) < 0 ||
                    json_append(rules, TAKE_PTR(r)) < 0)
                        return pal_err_set(err, -ENOMEM, "out of memory");
        }
        return 0;
}

/* What was granted: for the audit records now, and the registry (ps, inspect). */
static void remember(struct pal_ctx *ctx, const struct resolved *g, size_t n)
{
        ctx->n_devices = ctx->entry.n_devices = 0;
        for (size_t i = 0; i < n && i < PAL_MAX_GRANTS; i++) {
                struct pal_device *d = &ctx->devices[ctx->n_devices++];
                char rule[48];

                snprintf(d->path, sizeof(d->path), "%s", g[i].node ? g[i].node : "");
                d->rule = g[i].rule;
                if (ctx->entry.n_devices < ARRAY_SIZE(ctx->entry.devices)) {
                        devrule_format(&d->rule, rule, sizeof(rule));
                        snprintf(ctx->entry.devices[ctx->entry.n_devices++], sizeof(ctx->entry.devices[0]), "%s%s%.230s",
                                 rule, g[i].node ? " " : "", g[i].node ? g[i].node : "");
                }
        }
}

static int devices_spec(struct pal_ctx *ctx, struct pal_err *err)
{
        struct resolved g[PAL_MAX_GRANTS];
        struct cdi_set set;
        size_t n;
        int r;

        /* Released on every path: cdi_resolve starts from an empty set. */
        r = cdi_resolve(ctx->policy, ctx->spec, &set, err);
        if (r == 0)
                r = grants(ctx, &set, g, &n, err);
        if (r == 0)
                r = judge_spec_rules(ctx, g, n, err);
        for (size_t i = 0; r == 0 && i < n; i++)
                r = add_grant(ctx->spec, &g[i], err);
        if (r == 0)
                r = cdi_apply_edits(ctx->spec, &set, err);
        if (r == 0)
                remember(ctx, g, n);
        cdi_set_release(&set);
        return r;
}

/* The rootfs as the container's mount namespace shows it before pivot_root. */
static void rootfs_path(const struct pal_ctx *ctx, char *out, size_t size)
{
        if (ctx->spec->root_path[0] == '/')
                snprintf(out, size, "%s", ctx->spec->root_path);
        else
                snprintf(out, size, "%s/%s", ctx->state->bundle, ctx->spec->root_path);
}

static int make_node(struct pal_ctx *ctx, const struct resolved *g, struct pal_err *err)
{
        char rootfs[4096];
        int r;

        if (!g->node || g->rule.minor == DEVRULE_ANY)
                return 0;
        rootfs_path(ctx, rootfs, sizeof(rootfs));
        r = nsexec_mknod(&ctx->proc, rootfs, g->node, (g->rule.type == 'c' ? S_IFCHR : S_IFBLK) | (mode_t) (g->mode & 07777),
                         makedev((unsigned) g->rule.major, (unsigned) g->rule.minor), g->uid >= 0 ? (uid_t) g->uid : 0,
                         g->gid >= 0 ? (gid_t) g->gid : 0, err);
        return r < 0 ? pal_err_wrap(err, "%s", g->key) : 0;
}

/* A grant the spec phase did not make (cgroup v1): the allow rule, and the node in the container. */
static int grant_now(struct pal_ctx *ctx, int cgfd, const struct resolved *g, struct pal_err *err)
{
        char rule[48];
        int r;

        devrule_format(&g->rule, rule, sizeof(rule));
        if ((r = cgroupdev_write(cgfd, "devices.allow", rule, err)) < 0)
                return pal_err_wrap(err, "%s", g->key);
        return make_node(ctx, g, err);
}

/* What runtimes give every container besides the spec's rules (runc's and crun's defaults, less tun). */
static const char *const runtime_defaults[] = {
        "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
        "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm",
};

static int add_rule(struct devbpf_rule *rules, size_t *n, bool allow, const struct devrule *r, struct pal_err *err)
{
        if (*n >= DEVBPF_MAX_RULES)
                return pal_err_set(err, -E2BIG, "more than %d device rules", DEVBPF_MAX_RULES);
        rules[*n].allow = allow;
        rules[(*n)++].rule = *r;
        return 0;
}

/*
 * cgroup v2: the container's device program becomes one that allows exactly
 * the spec's rules, the runtime's defaults, the spec's nodes and the grants,
 * less the denials (last rule wins), put in place of the runtime's atomically.
 */
static int enforce_v2(struct pal_ctx *ctx, const struct resolved *g, size_t n, struct pal_err *err)
{
        static struct devbpf_rule rules[DEVBPF_MAX_RULES];
        struct json *lx = json_get(ctx->spec->tree, "linux");
        struct json *spec_rules = json_get(json_get(lx, "resources"), "devices"), *nodes = json_get(lx, "devices");
        const struct policy *pol = ctx->policy;
        _cleanup_close_ int cgfd = -1, prog = -1;
        char cgpath[4096];
        size_t k = 0;
        int r;

        cgfd = cgroupdev_open_v2(ctx->proc.procfd, cgpath, sizeof(cgpath), err);
        if (cgfd < 0)
                return pal_err_wrap(err, "devices at %s", ctx->stage);
        for (size_t i = 0; spec_rules && spec_rules->type == JSON_ARRAY && i < spec_rules->len; i++) {
                struct json *d = spec_rules->items[i], *allow = json_get(d, "allow");
                struct devrule dr;
                bool is_allow = allow && allow->type == JSON_BOOL && allow->boolean;

                if (!spec_rule_fields(d, &dr))
                        continue;
                if ((r = add_rule(rules, &k, is_allow, &dr, err)) < 0)
                        return r;
        }
        for (size_t i = 0; i < ARRAY_SIZE(runtime_defaults); i++) {
                struct devrule dr;
                if ((r = devrule_parse(runtime_defaults[i], &dr, err)) < 0 || (r = add_rule(rules, &k, true, &dr, err)) < 0)
                        return r;
        }
        for (size_t i = 0; nodes && nodes->type == JSON_ARRAY && i < nodes->len; i++) {
                struct json *t = json_get(nodes->items[i], "type");
                struct devrule dr = { .access = "rwm" };
                char text[64];

                if (!t || t->type != JSON_STRING || !json_get(nodes->items[i], "major") || !json_get(nodes->items[i], "minor"))
                        continue;
                snprintf(text, sizeof(text), "%c %s:%s rwm", t->str[0] == 'b' ? 'b' : 'c',
                         json_get(nodes->items[i], "major")->str, json_get(nodes->items[i], "minor")->str);
                if (devrule_parse(text, &dr, err) == 0 && (r = add_rule(rules, &k, true, &dr, err)) < 0)
                        return r;
        }
        for (size_t i = 0; i < n; i++)
                if ((r = add_rule(rules, &k, true, &g[i].rule, err)) < 0)
                        return r;
        for (size_t i = 0; i < pol->devices.n_deny; i++)
                if ((r = add_rule(rules, &k, false, &pol->devices.deny[i], err)) < 0)
                        return r;
        if ((prog = devbpf_load(rules, k, err)) < 0 || (r = devbpf_install(cgfd, prog, err)) < 0)
                return pal_err_wrap(err, "device program of %s", cgpath);
        return 0;
}

/* createRuntime, with the CDI devices resolved (their nodes point into set). */
static int create_with(struct pal_ctx *ctx, const struct cdi_set *set, struct pal_err *err)
{
        struct json *rules = json_get(json_get(json_get(ctx->spec->tree, "linux"), "resources"), "devices");
        const struct policy *pol = ctx->policy;
        _cleanup_close_ int cgfd = -1;
        struct resolved g[PAL_MAX_GRANTS];
        bool pending = false;
        char cgpath[4096];
        size_t n;
        int r;

        if ((r = grants(ctx, set, g, &n, err)) < 0 || (r = judge_spec_rules(ctx, g, n, err)) < 0)
                return r;
        if (cdi_has_other_edits(set) && !spec_phase_marked(ctx->spec))
                return pal_err_set(err, -ENOTSUP, "CDI edits other than device nodes (env, mounts, hooks) need the spec "
                                   "phase: run through palisade-runtime or Podman's precreate hook");
        for (size_t i = 0; i < n; i++)
                pending |= !(rules && rules->type == JSON_ARRAY && has_allow(rules, &g[i].rule));
        if (!pol->devices.n_deny && !pending) {
                remember(ctx, g, n);
                return 0;
        }
        if (strcmp(pol->devices.cgroup, "v2") != 0) {
                cgfd = cgroupdev_open(ctx->proc.procfd, cgpath, sizeof(cgpath), err);
                if (cgfd < 0 && !(cgfd == -ENOENT && strcmp(pol->devices.cgroup, "auto") == 0))
                        return pal_err_wrap(err, "%s at %s", pending ? "granting devices" : "denying devices", ctx->stage);
        }
        if (cgfd < 0) {
                /* cgroup v2: the node still has to be made; the program does the rest. */
                for (size_t i = 0; i < n; i++)
                        if (!(rules && rules->type == JSON_ARRAY && has_allow(rules, &g[i].rule)) &&
                            (r = make_node(ctx, &g[i], err)) < 0)
                                return r;
                if ((r = enforce_v2(ctx, g, n, err)) < 0)
                        return r;
                remember(ctx, g, n);
                return 0;
        }
        /* Denials first: a grant never reopens what policy denies (grants() refused those). */
        for (size_t i = 0; i < pol->devices.n_deny; i++) {
                char rule[48];
                devrule_format(&pol->devices.deny[i], rule, sizeof(rule));
                if ((r = cgroupdev_write(cgfd, "devices.deny", rule, err)) < 0)
                        return pal_err_wrap(err, "devices.deny[%zu] (%s)", i, cgpath);
        }
        for (size_t i = 0; i < n; i++)
                if (!(rules && rules->type == JSON_ARRAY && has_allow(rules, &g[i].rule)) &&
                    (r = grant_now(ctx, cgfd, &g[i], err)) < 0)
                        return r;
        remember(ctx, g, n);
        return 0;
}

static int devices_create(struct pal_ctx *ctx, struct pal_err *err)
{
        struct cdi_set set;
        int r;

        r = cdi_resolve(ctx->policy, ctx->spec, &set, err);
        if (r == 0)
                r = create_with(ctx, &set, err);
        cdi_set_release(&set);
        return r;
}

const struct guard guard_devices = {
        .name = "devices",
        .annotations = devices_annotations,
        .spec = devices_spec,
        .create = devices_create,
        /* The cgroup's files; setns into the mount namespace; the node and its owner; the v2 program. */
        .caps = {
                [PAL_PHASE_CREATE] = CAPBIT(CAP_DAC_OVERRIDE) | CAPBIT(CAP_SYS_ADMIN) | CAPBIT(CAP_SYS_CHROOT) |
                                     CAPBIT(CAP_MKNOD) | CAPBIT(CAP_CHOWN) | CAPBIT(CAP_BPF) | CAPBIT(CAP_NET_ADMIN),
        },
};
