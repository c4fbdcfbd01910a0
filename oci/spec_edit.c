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

/* Is hook (an entry of a hooks list) one of program's: the same file, or named name by its path or args[0]? */
static bool hook_of(const struct json *hook, const struct stat *program, const char *name)
{
        const struct json *p = json_get(hook, "path"), *args = json_get(hook, "args");
        const char *base;

        if (p && p->type == JSON_STRING) {
                base = strrchr(p->str, '/') ? strrchr(p->str, '/') + 1 : p->str;
                if (strcmp(base, name) == 0 || (program && same_file(p->str, program)))
                        return true;
        }
        return args && args->type == JSON_ARRAY && args->len > 0 && args->items[0]->type == JSON_STRING &&
               strcmp(args->items[0]->str, name) == 0;
}

size_t spec_drop_hooks_of(struct oci_spec *s, const char *path, const char *name)
{
        struct json *hooks = json_get(s->tree, "hooks");
        struct stat program;
        bool known = stat(path, &program) == 0;
        size_t dropped = 0;

        for (size_t st = 0; hooks && hooks->type == JSON_OBJECT && st < hooks->len; st++) {
                struct json *list = hooks->items[st];
                size_t keep = 0;

                for (size_t i = 0; list->type == JSON_ARRAY && i < list->len; i++) {
                        if (hook_of(list->items[i], known ? &program : NULL, name)) {
                                json_free(list->items[i]);
                                dropped++;
                                continue;
                        }
                        list->items[keep++] = list->items[i];
                }
                if (list->type == JSON_ARRAY)
                        list->len = keep;
        }
        return dropped;
}

int spec_add_hook(struct oci_spec *s, const char *stage, bool first, const char *path,
                  const char *const *args, const char *const *env, struct pal_err *err)
{
        _cleanup_json_ struct json *hook = NULL;
        struct json *hooks, *list, *added;

        if (!(hooks = spec_child(s->tree, "hooks", JSON_OBJECT, err)) ||
            !(list = spec_child(hooks, stage, JSON_ARRAY, err)))
                return err->code;
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
