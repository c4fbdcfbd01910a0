/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/cleanup.h"
#include "spec_edit.h"

struct json *spec_child(struct json *obj, const char *key, enum json_type t, struct pal_err *err)
{
        struct json *v = json_get(obj, key);

        if (v) {
                if (v->type != t) {
                        pal_err_set(err, -EINVAL, "%s: expected %s", key, json_type_name(t));
                        return NULL;
                }
                return v;
        }
        if (json_set(obj, key, json_new(t)) < 0) {
                pal_err_set(err, -ENOMEM, "out of memory");
                return NULL;
        }
        return json_get(obj, key);
}

static bool same_file(const char *a, const struct stat *b)
{
        struct stat st;
        return stat(a, &st) == 0 && st.st_dev == b->st_dev && st.st_ino == b->st_ino;
}

static struct json *string_array(const char *const *items)
{
        struct json *arr = json_new(JSON_ARRAY);
        for (; arr && items && *items; items++)
                if (json_append(arr, json_new_string(*items)) < 0) {
                        json_free(arr);
                        return NULL;
                }
        return arr;
}

int spec_add_hook(struct oci_spec *s, const char *stage, bool first, const char *path,
                  const char *const *args, const char *const *env, struct pal_err *err)
{
        _cleanup_json_ struct json *hook = NULL;
        struct json *hooks, *list, *added;
        struct stat self;

        if (!(hooks = spec_child(s->tree, "hooks", JSON_OBJECT, err)) ||
            !(list = spec_child(hooks, stage, JSON_ARRAY, err)))
                return err->code;
        if (stat(path, &self) == 0)
                for (size_t i = 0; i < list->len; i++) {
                        struct json *p = json_get(list->items[i], "path");
                        if (p && p->type == JSON_STRING && same_file(p->str, &self))
                                return 0;       /* registered already (by hand or hooks.d) */
                }
        hook = json_new(JSON_OBJECT);
        if (!hook || json_set(hook, "path", json_new_string(path)) < 0 ||
            json_set(hook, "args", string_array(args)) < 0 ||
            (env && *env && json_set(hook, "env", string_array(env)) < 0))
                return pal_err_set(err, -ENOMEM, "out of memory");
        added = hook;
        if (json_append(list, TAKE_PTR(hook)) < 0)
                return pal_err_set(err, -ENOMEM, "out of memory");
        if (first && list->len > 1) {
                memmove(list->items + 1, list->items, (list->len - 1) * sizeof(*list->items));
                list->items[0] = added;
        }
        return 0;
}

int spec_set_annotation(struct oci_spec *s, const char *key, const char *value, struct pal_err *err)
{
        struct json *ann = spec_child(s->tree, "annotations", JSON_OBJECT, err);

        if (!ann)
                return err->code;
        if (json_set(ann, key, json_new_string(value)) < 0)
                return pal_err_set(err, -ENOMEM, "out of memory");
        return 0;
}
