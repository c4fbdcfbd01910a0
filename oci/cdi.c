/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdi.h"
#include "lib/cleanup.h"
#include "lib/devrule.h"

static const char *const versions[] = { "0.3.0", "0.4.0", "0.5.0", "0.6.0", "0.7.0", NULL };

static const char *const spec_keys[] = { "cdiVersion", "kind", "annotations", "devices", "containerEdits", NULL };
static const char *const device_keys[] = { "name", "annotations", "containerEdits", NULL };
static const char *const edit_keys[] = { "env", "deviceNodes", "hooks", "mounts", "intelRdt", "additionalGids", NULL };
static const char *const node_keys[] = { "path", "hostPath", "type", "major", "minor", "fileMode", "permissions",
                                         "uid", "gid", NULL };

void cdi_free(struct cdi_spec *s)
{
        if (!s)
                return;
        json_free(s->tree);
        free(s->devices);
        free(s);
}

static int version_index(const char *v)
{
        for (int i = 0; versions[i]; i++)
                if (strcmp(versions[i], v) == 0)
                        return i;
        return -1;
}

/* A field that needs at least version min (e.g. "0.6.0"). */
static int needs(const struct cdi_spec *s, const struct jpath *p, const char *min, struct pal_err *err)
{
        if (version_index(s->version) < version_index(min))
                return pal_err_set(err, -EINVAL, "%s: needs cdiVersion %s or later (the spec says %s)", jpath_str(p),
                                   min, s->version);
        return 0;
}

static int parse_node(const struct cdi_spec *s, const struct json *n, struct jpath *p, struct cdi_node *out,
                      struct pal_err *err)
{
        const char *type = NULL, *perms = NULL;
        size_t mark;
        int r;

        *out = (struct cdi_node) { .major = -1, .minor = -1, .mode = -1, .uid = -1, .gid = -1 };
        if ((r = json_expect(n, JSON_OBJECT, p, err)) < 0 || (r = json_only_keys(n, node_keys, false, p, err)) < 0 ||
            (r = json_opt_string(n, "path", p, &out->path, err)) < 0 || (r = json_opt_string(n, "hostPath", p, &out->host_path, err)) < 0 ||
            (r = json_opt_string(n, "type", p, &type, err)) < 0 || (r = json_opt_string(n, "permissions", p, &perms, err)) < 0 ||
            (r = json_opt_i64(n, "major", p, 0, DEVRULE_MAJOR_MAX, &out->major, err)) < 0 ||
            (r = json_opt_i64(n, "minor", p, 0, DEVRULE_MINOR_MAX, &out->minor, err)) < 0 ||
            (r = json_opt_i64(n, "fileMode", p, 0, 07777, &out->mode, err)) < 0 ||
            (r = json_opt_i64(n, "uid", p, 0, UINT32_MAX, &out->uid, err)) < 0 ||
            (r = json_opt_i64(n, "gid", p, 0, UINT32_MAX, &out->gid, err)) < 0)
                return r;
        if (!out->path || out->path[0] != '/') {
                jpath_key(p, "path");
                return pal_err_set(err, -EINVAL, "%s: required, an absolute path", jpath_str(p));
        }
        if (out->host_path && (r = needs(s, p, "0.5.0", err)) < 0)
                return r;
        if (type) {
                if (strcmp(type, "c") && strcmp(type, "b") && strcmp(type, "u")) {
                        jpath_key(p, "type");
                        return pal_err_set(err, -EINVAL, "%s: \"%.8s\" is not c, b or u", jpath_str(p), type);
                }
                out->type = type[0] == 'u' ? 'c' : type[0];
        }
        memcpy(out->access, "rwm", 4);
        if (perms) {
                mark = jpath_key(p, "permissions");
                if ((r = needs(s, p, "0.5.0", err)) < 0)
                        return r;
                if ((r = devrule_access(perms, out->access, err)) < 0)
                        return pal_err_wrap(err, "%s", jpath_str(p));
                jpath_pop(p, mark);
        }
        return 0;
}

static int parse_edits(const struct cdi_spec *s, const struct json *e, struct jpath *p, struct cdi_edits *out,
                       struct pal_err *err)
{
        struct json *v;
        size_t mark;
        int r;

        memset(out, 0, sizeof(*out));
        if ((r = json_expect(e, JSON_OBJECT, p, err)) < 0 || (r = json_only_keys(e, edit_keys, false, p, err)) < 0)
                return r;
        if ((v = json_get(e, "deviceNodes"))) {
                mark = jpath_key(p, "deviceNodes");
                if ((r = json_expect(v, JSON_ARRAY, p, err)) < 0)
                        return r;
                if (v->len > ARRAY_SIZE(out->nodes))
                        return pal_err_set(err, -E2BIG, "%s: more than %zu nodes", jpath_str(p), ARRAY_SIZE(out->nodes));
                for (size_t i = 0; i < v->len; i++) {
                        size_t m2 = jpath_index(p, i);
                        if ((r = parse_node(s, v->items[i], p, &out->nodes[out->n_nodes++], err)) < 0)
                                return r;
                        jpath_pop(p, m2);
                }
                jpath_pop(p, mark);
        }
        if ((r = json_read_member(e, "env", p, json_read_strings, NULL, err)) < 0)
                return r;
        out->env = json_get(e, "env");
        if ((r = json_opt_member(e, "mounts", JSON_ARRAY, p, &v, err)) < 0)
                return r;
        out->mounts = json_get(e, "mounts");
        if ((r = json_opt_member(e, "hooks", JSON_ARRAY, p, &v, err)) < 0)
                return r;
        out->hooks = json_get(e, "hooks");
        if (json_get(e, "intelRdt") || json_get(e, "additionalGids")) {
                jpath_key(p, json_get(e, "intelRdt") ? "intelRdt" : "additionalGids");
                if ((r = needs(s, p, "0.7.0", err)) < 0)
                        return r;
                return pal_err_set(err, -ENOTSUP, "%s: not supported by palisade; refusing rather than dropping it",
                                   jpath_str(p));
        }
        return 0;
}

static bool name_char(char c, bool allow_dot_slash)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.' || (allow_dot_slash && c == '/') || c == ':';
}

int cdi_parse_name(const char *qualified, char *kind, size_t kind_size, const char **name, struct pal_err *err)
{
        const char *eq = strchr(qualified, '='), *slash = strchr(qualified, '/');
        size_t klen;

        if (!eq || !slash || slash > eq || slash == qualified || slash + 1 == eq || !eq[1])
                return pal_err_set(err, -EINVAL, "\"%.128s\" is not a CDI device name (vendor.com/class=name)", qualified);
        klen = (size_t) (eq - qualified);
        for (const char *c = qualified; c < eq; c++)
                if (!name_char(*c, true) || *c == ':')
                        return pal_err_set(err, -EINVAL, "\"%.128s\": invalid character in the kind", qualified);
        for (const char *c = eq + 1; *c; c++)
                if (!name_char(*c, false))
                        return pal_err_set(err, -EINVAL, "\"%.128s\": invalid character in the device name", qualified);
        if (klen >= kind_size)
                return pal_err_set(err, -EINVAL, "\"%.128s\": kind too long", qualified);
        memcpy(kind, qualified, klen);
        kind[klen] = '\0';
        *name = eq + 1;
        return 0;
}

int cdi_parse(const char *buf, size_t len, struct cdi_spec **out, struct pal_err *err)
{
        _cleanup_cdi_ struct cdi_spec *s = calloc(1, sizeof(*s));
        struct json *v;
        struct jpath p;
        size_t mark;
        int r;

        *out = NULL;
        jpath_init(&p);
        if (!s)
                return pal_err_set(err, -ENOMEM, "out of memory");
        if ((r = json_parse(buf, len, &json_untrusted_limits, &s->tree, err)) < 0 ||
            (r = json_expect(s->tree, JSON_OBJECT, &p, err)) < 0 ||
            (r = json_only_keys(s->tree, spec_keys, false, &p, err)) < 0 ||
            (r = json_opt_string(s->tree, "cdiVersion", &p, &s->version, err)) < 0 ||
            (r = json_opt_string(s->tree, "kind", &p, &s->kind, err)) < 0)
                return r;
        if (!s->version || version_index(s->version) < 0)
                return pal_err_set(err, -EINVAL, "cdiVersion: %s%s%s (palisade reads 0.3.0 to 0.7.0)",
                                   s->version ? "\"" : "missing", s->version ? s->version : "", s->version ? "\" is not known" : "");
        if (!s->kind || !strchr(s->kind, '/'))
                return pal_err_set(err, -EINVAL, "kind: %s", s->kind ? "expected vendor.com/class" : "required");
        if ((v = json_get(s->tree, "annotations"))) {
                jpath_key(&p, "annotations");
                if ((r = json_expect(v, JSON_OBJECT, &p, err)) < 0 || (r = needs(s, &p, "0.6.0", err)) < 0)
                        return r;
                jpath_pop(&p, 0);
        }
        if ((v = json_get(s->tree, "containerEdits"))) {
                mark = jpath_key(&p, "containerEdits");
                if ((r = parse_edits(s, v, &p, &s->edits, err)) < 0)
                        return r;
                jpath_pop(&p, mark);
        }
        v = json_get(s->tree, "devices");
        mark = jpath_key(&p, "devices");
        if (!v)
                return pal_err_set(err, -EINVAL, "devices: required");
        if ((r = json_expect(v, JSON_ARRAY, &p, err)) < 0)
                return r;
        if (v->len && !(s->devices = calloc(v->len, sizeof(*s->devices))))
                return pal_err_set(err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < v->len; i++) {
                const struct json *d = v->items[i];
                struct cdi_device *dev = &s->devices[s->n_devices++];
                struct json *e;
                size_t m2 = jpath_index(&p, i);

                if ((r = json_expect(d, JSON_OBJECT, &p, err)) < 0 ||
                    (r = json_only_keys(d, device_keys, false, &p, err)) < 0 ||
                    (r = json_opt_string(d, "name", &p, &dev->name, err)) < 0)
                        return r;
                if (!dev->name || !*dev->name)
                        return pal_err_set(err, -EINVAL, "%s.name: required", jpath_str(&p));
                for (size_t j = 0; j + 1 < s->n_devices; j++)
                        if (strcmp(s->devices[j].name, dev->name) == 0)
                                return pal_err_set(err, -EINVAL, "%s.name: device \"%s\" defined twice", jpath_str(&p),
                                                   dev->name);
                if (json_get(d, "annotations")) {
                        size_t m3 = jpath_key(&p, "annotations");
                        if ((r = needs(s, &p, "0.6.0", err)) < 0)
                                return r;
                        jpath_pop(&p, m3);
                }
                if (!(e = json_get(d, "containerEdits"))) {
                        jpath_key(&p, "containerEdits");
                        return pal_err_set(err, -EINVAL, "%s: required", jpath_str(&p));
                }
                {
                        size_t m3 = jpath_key(&p, "containerEdits");
                        if ((r = parse_edits(s, e, &p, &dev->edits, err)) < 0)
                                return r;
                        jpath_pop(&p, m3);
                }
                jpath_pop(&p, m2);
        }
        *out = TAKE_PTR(s);
        return 0;
}
