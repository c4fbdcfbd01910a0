/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "spec.h"

static const char *const namespace_types[] = {
        "pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time", NULL,
};

static const char *const hook_stages[] = {
        "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop", NULL,
};

void oci_spec_free(struct oci_spec *s)
{
        if (!s)
                return;
        json_free(s->tree);
        free(s->annotations);
        free(s->namespaces);
        free(s->uid_mappings);
        free(s->gid_mappings);
        free(s);
}

const char *oci_annotation(const struct oci_kv *kv, size_t n, const char *key)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(kv[i].key, key) == 0)
                        return kv[i].value;
        return NULL;
}

const struct oci_namespace *oci_spec_namespace(const struct oci_spec *s, const char *type)
{
        for (size_t i = 0; i < s->n_namespaces; i++)
                if (strcmp(s->namespaces[i].type, type) == 0)
                        return &s->namespaces[i];
        return NULL;
}

static bool in_list(const char *s, const char *const *list)
{
        for (; *list; list++)
                if (strcmp(*list, s) == 0)
                        return true;
        return false;
}

/* Member lookup that type-checks when present; *out NULL when absent. */
static int member(const struct json *obj, const char *key, enum json_type t, bool required,
                  struct jpath *p, struct json **out, struct pal_err *err)
{
        struct json *v = json_get(obj, key);
        size_t mark;
        int r = 0;

        *out = v;
        mark = jpath_key(p, key);
        if (!v) {
                if (required)
                        r = pal_err_set(err, -EINVAL, "%s: required key is missing", jpath_str(p));
        } else if (t != JSON_NULL) {
                r = json_expect(v, t, p, err);
        }
        if (r == 0)
                jpath_pop(p, mark);
        return r;
}

int oci_parse_annotations(const struct json *v, struct jpath *p, struct oci_kv **out, size_t *n,
                          struct pal_err *err)
{
        _cleanup_free_ struct oci_kv *kv = NULL;

        *out = NULL;
        *n = 0;
        if (!v)
                return 0;
        if (v->len && !(kv = calloc(v->len, sizeof(*kv))))
                return pal_err_set(err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < v->len; i++) {
                size_t mark = jpath_key(p, v->keys[i]);
                int r = json_as_string(v->items[i], p, &kv[i].value, err);
                if (r < 0)
                        return r;
                jpath_pop(p, mark);
                kv[i].key = v->keys[i];
        }
        *out = TAKE_PTR(kv);
        *n = v->len;
        return 0;
}

/* obj.key, when present, must be an array of strings. */
static int string_array_member(const struct json *obj, const char *key, struct jpath *p, struct pal_err *err)
{
        return json_read_member(obj, key, p, json_read_strings, NULL, err);
}

size_t oci_path_clean(const char *path, char *out, size_t size)
{
        size_t len = 0;

        if (size < 2)
                return 0;
        out[len++] = '/';
        while (*path) {
                size_t n;

                path += strspn(path, "/");
                n = strcspn(path, "/");
                if (n == 0 || (n == 1 && path[0] == '.')) {
                        path += n;
                        continue;
                }
                if (n == 2 && path[0] == '.' && path[1] == '.') {
                        /* Back to the last '/', never above the root: as runc and crun clamp it. */
                        while (len > 1 && out[len - 1] != '/')
                                len--;
                        if (len > 1)
                                len--;
                        path += n;
                        continue;
                }
                if (len + (len > 1) + n >= size)
                        return 0;
                if (len > 1)
                        out[len++] = '/';
                memcpy(out + len, path, n);
                len += n;
                path += n;
        }
        out[len] = '\0';
        return len;
}

static bool has_dotdot(const char *path)
{
        for (const char *c = path; *c; c += strcspn(c, "/")) {
                c += strspn(c, "/");
                if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0'))
                        return true;
        }
        return false;
}

/*
 * obj.key, a path inside the container (a mount's destination, a device's
 * path): absolute and without "..". runc resolves a relative one from the
 * root and crun from elsewhere, and palisade judges paths as written, so it
 * refuses to guess rather than see one path where the runtime uses another.
 */
static int container_path(const struct json *obj, const char *key, struct jpath *p, struct pal_err *err)
{
        char clean[512];
        struct json *v;
        int r;

        if ((r = member(obj, key, JSON_STRING, true, p, &v, err)) < 0)
                return r;
        jpath_key(p, key);
        if (!oci_path_clean(v->str, clean, sizeof(clean)))
                snprintf(clean, sizeof(clean), "/...");
        if (v->str[0] != '/')
                return pal_err_set(err, -EINVAL, "%s: \"%.200s\" is not an absolute path; write the path inside the "
                                   "container from its root (\"%.200s\")", jpath_str(p), v->str, clean);
        if (has_dotdot(v->str))
                return pal_err_set(err, -EINVAL, "%s: \"%.200s\" goes through \"..\"; write the path inside the "
                                   "container without it (\"%.200s\")", jpath_str(p), v->str, clean);
        return 0;
}

/* arr[i].key for every member of arr (an array of objects, when present): a container path. */
static int container_paths(const struct json *arr, const char *key, struct jpath *p, struct pal_err *err)
{
        int r;

        for (size_t i = 0; arr && i < arr->len; i++) {
                size_t mark = jpath_index(p, i);
                if ((r = json_expect(arr->items[i], JSON_OBJECT, p, err)) < 0 ||
                    (r = container_path(arr->items[i], key, p, err)) < 0)
                        return r;
                jpath_pop(p, mark);
        }
        return 0;
}

/* config.json's process, an object (arg: the spec). */
static int parse_process(const struct json *proc, struct jpath *p, void *arg, struct pal_err *err)
{
        struct oci_spec *s = arg;
        struct json *user, *v, *caps;
        size_t mark;
        int r;

        if ((r = json_expect(proc, JSON_OBJECT, p, err)) < 0)
                return r;
        s->has_process = true;
        if ((r = string_array_member(proc, "args", p, err)) < 0 ||
            (r = string_array_member(proc, "env", p, err)) < 0)
                return r;
        if ((r = member(proc, "cwd", JSON_STRING, false, p, &v, err)) < 0)
                return r;
        if ((r = member(proc, "noNewPrivileges", JSON_BOOL, false, p, &v, err)) < 0)
                return r;
        if ((r = member(proc, "capabilities", JSON_OBJECT, false, p, &caps, err)) < 0)
                return r;
        if (caps) {
                mark = jpath_key(p, "capabilities");
                for (size_t i = 0; i < caps->len; i++) {
                        size_t m2 = jpath_key(p, caps->keys[i]);
                        if ((r = json_expect_strings(caps->items[i], p, err)) < 0)
                                return r;
                        jpath_pop(p, m2);
                }
                jpath_pop(p, mark);
        }
        if ((r = member(proc, "user", JSON_OBJECT, false, p, &user, err)) < 0)
                return r;
        if (!user)
                return 0;
        mark = jpath_key(p, "user");
        if ((v = json_get(user, "uid"))) {
                size_t m2 = jpath_key(p, "uid");
                if ((r = json_as_u32(v, p, &s->uid, err)) < 0)
                        return r;
                jpath_pop(p, m2);
        }
        if ((v = json_get(user, "gid"))) {
                size_t m2 = jpath_key(p, "gid");
                if ((r = json_as_u32(v, p, &s->gid, err)) < 0)
                        return r;
                jpath_pop(p, m2);
        }
        if ((r = member(user, "additionalGids", JSON_ARRAY, false, p, &v, err)) < 0)
                return r;
        if (v) {
                size_t m2 = jpath_key(p, "additionalGids");
                for (size_t i = 0; i < v->len; i++) {
                        size_t m3 = jpath_index(p, i);
                        uint32_t g;
                        if ((r = json_as_u32(v->items[i], p, &g, err)) < 0)
                                return r;
                        jpath_pop(p, m3);
                }
                jpath_pop(p, m2);
        }
        jpath_pop(p, mark);
        return 0;
}

/* config.json's hooks, an object. */
static int parse_hooks(const struct json *hooks, struct jpath *p, void *unused, struct pal_err *err)
{
        int r;

        if ((r = json_expect(hooks, JSON_OBJECT, p, err)) < 0)
                return r;
        for (size_t i = 0; i < hooks->len; i++) {
                const struct json *list = hooks->items[i];
                size_t mark = jpath_key(p, hooks->keys[i]);

                if (!in_list(hooks->keys[i], hook_stages))
                        return pal_err_set(err, -EINVAL, "%s: unknown hook stage", jpath_str(p));
                if ((r = json_expect(list, JSON_ARRAY, p, err)) < 0)
                        return r;
                for (size_t j = 0; j < list->len; j++) {
                        const struct json *h = list->items[j];
                        struct json *v;
                        const char *path;
                        size_t m2 = jpath_index(p, j), m3;

                        if ((r = json_expect(h, JSON_OBJECT, p, err)) < 0 ||
                            (r = member(h, "path", JSON_STRING, true, p, &v, err)) < 0)
                                return r;
                        path = v->str;
                        if (path[0] != '/') {
                                jpath_key(p, "path");
                                return pal_err_set(err, -EINVAL, "%s: \"%s\" is not an absolute path",
                                                   jpath_str(p), path);
                        }
                        if ((r = string_array_member(h, "args", p, err)) < 0 ||
                            (r = string_array_member(h, "env", p, err)) < 0)
                                return r;
                        if ((v = json_get(h, "timeout"))) {
                                int64_t t;
                                m3 = jpath_key(p, "timeout");
                                if ((r = json_as_i64(v, p, 1, INT32_MAX, &t, err)) < 0)
                                        return r;
                                jpath_pop(p, m3);
                        }
                        jpath_pop(p, m2);
                }
                jpath_pop(p, mark);
        }
        return 0;
}

static int parse_idmaps(const struct json *arr, struct jpath *p, struct idmap **out, size_t *n,
                        struct pal_err *err)
{
        static const char *const fields[] = { "containerID", "hostID", "size" };
        _cleanup_free_ struct idmap *maps = NULL;
        int r;

        if (!arr)
                return 0;
        if (arr->len && !(maps = calloc(arr->len, sizeof(*maps))))
                return pal_err_set(err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < arr->len; i++) {
                size_t mark = jpath_index(p, i);
                uint32_t *dst[] = { &maps[i].container_id, &maps[i].host_id, &maps[i].size };

                if ((r = json_expect(arr->items[i], JSON_OBJECT, p, err)) < 0)
                        return r;
                for (size_t f = 0; f < ARRAY_SIZE(fields); f++) {
                        struct json *v;
                        size_t m2;
                        if ((r = member(arr->items[i], fields[f], JSON_NULL, true, p, &v, err)) < 0)
                                return r;
                        m2 = jpath_key(p, fields[f]);
                        if ((r = json_as_u32(v, p, dst[f], err)) < 0)
                                return r;
                        jpath_pop(p, m2);
                }
                jpath_pop(p, mark);
        }
        *out = TAKE_PTR(maps);
        *n = arr->len;
        return 0;
}

/* config.json's linux, an object (arg: the spec). */
static int parse_linux(const struct json *lx, struct jpath *p, void *arg, struct pal_err *err)
{
        struct oci_spec *s = arg;
        struct json *ns, *v;
        size_t mark;
        int r;

        if ((r = json_expect(lx, JSON_OBJECT, p, err)) < 0)
                return r;
        if ((r = member(lx, "namespaces", JSON_ARRAY, false, p, &ns, err)) < 0)
                return r;
        if (ns) {
                mark = jpath_key(p, "namespaces");
                if (ns->len && !(s->namespaces = calloc(ns->len, sizeof(*s->namespaces))))
                        return pal_err_set(err, -ENOMEM, "out of memory");
                for (size_t i = 0; i < ns->len; i++) {
                        struct oci_namespace *n = &s->namespaces[i];
                        size_t m2 = jpath_index(p, i);

                        if ((r = json_expect(ns->items[i], JSON_OBJECT, p, err)) < 0 ||
                            (r = member(ns->items[i], "type", JSON_STRING, true, p, &v, err)) < 0)
                                return r;
                        n->type = v->str;
                        if (!in_list(n->type, namespace_types)) {
                                jpath_key(p, "type");
                                return pal_err_set(err, -EINVAL, "%s: unknown namespace type \"%s\"",
                                                   jpath_str(p), n->type);
                        }
                        if (oci_spec_namespace(s, n->type)) {
                                jpath_key(p, "type");
                                return pal_err_set(err, -EINVAL, "%s: namespace \"%s\" given twice",
                                                   jpath_str(p), n->type);
                        }
                        if ((r = member(ns->items[i], "path", JSON_STRING, false, p, &v, err)) < 0)
                                return r;
                        n->path = v ? v->str : NULL;
                        s->n_namespaces++;
                        jpath_pop(p, m2);
                }
                jpath_pop(p, mark);
        }
        if ((r = member(lx, "devices", JSON_ARRAY, false, p, &v, err)) < 0)
                return r;
        mark = jpath_key(p, "devices");
        if ((r = container_paths(v, "path", p, err)) < 0)
                return r;
        jpath_pop(p, mark);
        if ((r = member(lx, "uidMappings", JSON_ARRAY, false, p, &v, err)) < 0)
                return r;
        mark = jpath_key(p, "uidMappings");
        if ((r = parse_idmaps(v, p, &s->uid_mappings, &s->n_uid_mappings, err)) < 0)
                return r;
        jpath_pop(p, mark);
        if ((r = member(lx, "gidMappings", JSON_ARRAY, false, p, &v, err)) < 0)
                return r;
        mark = jpath_key(p, "gidMappings");
        if ((r = parse_idmaps(v, p, &s->gid_mappings, &s->n_gid_mappings, err)) < 0)
                return r;
        jpath_pop(p, mark);
        return 0;
}

int oci_spec_parse(const char *buf, size_t len, struct oci_spec **out, struct pal_err *err)
{
        struct json *tree = NULL;
        int r;

        *out = NULL;
        r = json_parse(buf, len, &json_untrusted_limits, &tree, err);
        if (r < 0)
                return r;
        return oci_spec_from_tree(tree, out, err);
}

int oci_spec_from_tree(struct json *tree_in, struct oci_spec **out, struct pal_err *err)
{
        _cleanup_json_ struct json *tree = tree_in;
        struct oci_spec *s;
        struct json *v, *obj;
        struct jpath p;
        size_t mark;
        int r;

        *out = NULL;
        jpath_init(&p);
        if ((r = json_expect(tree, JSON_OBJECT, &p, err)) < 0)
                return r;
        s = calloc(1, sizeof(*s));
        if (!s)
                return pal_err_set(err, -ENOMEM, "out of memory");
        s->tree = TAKE_PTR(tree);

        if ((r = member(s->tree, "ociVersion", JSON_STRING, true, &p, &v, err)) < 0)
                goto fail;
        s->oci_version = v->str;

        if ((r = member(s->tree, "root", JSON_OBJECT, true, &p, &obj, err)) < 0)
                goto fail;
        mark = jpath_key(&p, "root");
        if ((r = member(obj, "path", JSON_STRING, true, &p, &v, err)) < 0)
                goto fail;
        s->root_path = v->str;
        if (!*s->root_path) {
                jpath_key(&p, "path");
                r = pal_err_set(err, -EINVAL, "%s: must not be empty", jpath_str(&p));
                goto fail;
        }
        if ((r = member(obj, "readonly", JSON_BOOL, false, &p, &v, err)) < 0)
                goto fail;
        s->root_readonly = v && v->boolean;
        jpath_pop(&p, mark);

        if ((r = json_read_member(s->tree, "process", &p, parse_process, s, err)) < 0)
                goto fail;

        if ((r = member(s->tree, "hostname", JSON_STRING, false, &p, &v, err)) < 0)
                goto fail;

        if ((r = member(s->tree, "mounts", JSON_ARRAY, false, &p, &obj, err)) < 0)
                goto fail;
        mark = jpath_key(&p, "mounts");
        if ((r = container_paths(obj, "destination", &p, err)) < 0)
                goto fail;
        jpath_pop(&p, mark);

        if ((r = member(s->tree, "annotations", JSON_OBJECT, false, &p, &obj, err)) < 0)
                goto fail;
        mark = jpath_key(&p, "annotations");
        if ((r = oci_parse_annotations(obj, &p, &s->annotations, &s->n_annotations, err)) < 0)
                goto fail;
        jpath_pop(&p, mark);

        if ((r = json_read_member(s->tree, "hooks", &p, parse_hooks, NULL, err)) < 0 ||
            (r = json_read_member(s->tree, "linux", &p, parse_linux, s, err)) < 0)
                goto fail;
        *out = s;
        return 0;
fail:
        oci_spec_free(s);
        return r;
}

int oci_spec_load(int bundle_fd, struct oci_spec **out, struct pal_err *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        r = read_file_at(bundle_fd, "config.json", OCI_SPEC_MAX_BYTES, &buf, &len, err);
        if (r < 0)
                return pal_err_wrap(err, "config.json");
        r = oci_spec_parse(buf, len, out, err);
        if (r < 0)
                return pal_err_wrap(err, "config.json");
        return 0;
}
