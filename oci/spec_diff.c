/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "lib/cleanup.h"
#include "spec_diff.h"

static int change(struct json *out, const struct jpath *p, const char *op, const struct json *before,
                  const struct json *after)
{
        _cleanup_json_ struct json *c = json_new(JSON_OBJECT);

        if (!c || json_set(c, "path", json_new_string(jpath_str(p))) < 0 || json_set(c, "op", json_new_string(op)) < 0 ||
            (before && json_set(c, "before", json_clone(before)) < 0) ||
            (after && json_set(c, "after", json_clone(after)) < 0))
                return -1;
        return json_append(out, TAKE_PTR(c));
}

static int walk(struct json *out, struct jpath *p, const struct json *a, const struct json *b)
{
        if (a->type != JSON_OBJECT || b->type != JSON_OBJECT)
                return json_equal(a, b) ? 0 : change(out, p, "replace", a, b);
        for (size_t i = 0; i < a->len; i++) {
                struct json *other = json_get(b, a->keys[i]);
                size_t mark = jpath_key(p, a->keys[i]);
                int r = other ? walk(out, p, a->items[i], other) : change(out, p, "remove", a->items[i], NULL);
                jpath_pop(p, mark);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < b->len; i++) {
                size_t mark;
                int r;

                if (json_get(a, b->keys[i]))
                        continue;
                mark = jpath_key(p, b->keys[i]);
                r = change(out, p, "add", NULL, b->items[i]);
                jpath_pop(p, mark);
                if (r < 0)
                        return r;
        }
        return 0;
}

struct json *spec_diff(const struct json *before, const struct json *after)
{
        _cleanup_json_ struct json *out = json_new(JSON_ARRAY);
        struct jpath p;

        jpath_init(&p);
        if (!out || walk(out, &p, before, after) < 0)
                return NULL;
        return TAKE_PTR(out);
}
