/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "lib/cleanup.h"
#include "spec_diff.h"

/* The keys from the root to the member changed: path is for people, keys for spec_record_revert. */
struct keys {
        const char *k[SPEC_DIFF_MAX_KEYS];
        size_t n;
};

static struct json *keys_json(const struct keys *k)
{
        _cleanup_json_ struct json *arr = json_new(JSON_ARRAY);

        for (size_t i = 0; arr && i < k->n; i++)
                if (json_append(arr, json_new_string(k->k[i])) < 0)
                        return NULL;
        return TAKE_PTR(arr);
}

static int change(struct json *out, const struct jpath *p, const struct keys *k, const char *op,
                  const struct json *before, const struct json *after)
{
        _cleanup_json_ struct json *c = json_new(JSON_OBJECT);

        if (!c || json_set(c, "path", json_new_string(jpath_str(p))) < 0 || json_set(c, "keys", keys_json(k)) < 0 ||
            json_set(c, "op", json_new_string(op)) < 0 ||
            (before && json_set(c, "before", json_clone(before)) < 0) ||
            (after && json_set(c, "after", json_clone(after)) < 0))
                return -1;
        return json_append(out, TAKE_PTR(c));
}

static int walk(struct json *out, struct jpath *p, struct keys *k, const struct json *a, const struct json *b)
{
        if (a->type != JSON_OBJECT || b->type != JSON_OBJECT || k->n == SPEC_DIFF_MAX_KEYS)
                return json_equal(a, b) ? 0 : change(out, p, k, "replace", a, b);
        for (size_t i = 0; i < a->len; i++) {
                struct json *other = json_get(b, a->keys[i]);
                size_t mark = jpath_key(p, a->keys[i]);
                int r;

                k->k[k->n++] = a->keys[i];
                r = other ? walk(out, p, k, a->items[i], other) : change(out, p, k, "remove", a->items[i], NULL);
                k->n--;
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
                k->k[k->n++] = b->keys[i];
                r = change(out, p, k, "add", NULL, b->items[i]);
                k->n--;
                jpath_pop(p, mark);
                if (r < 0)
                        return r;
        }
        return 0;
}

struct json *spec_diff(const struct json *before, const struct json *after)
{
        _cleanup_json_ struct json *out = json_new(JSON_ARRAY);
        struct keys k = { .n = 0 };
        struct jpath p;

        jpath_init(&p);
        if (!out || walk(out, &p, &k, before, after) < 0)
                return NULL;
        return TAKE_PTR(out);
}
