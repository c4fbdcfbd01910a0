/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "cleanup.h"
#include "json.h"

const struct json_limits json_untrusted_limits = {
        .max_bytes = 4 << 20,
        .max_depth = 64,
        .max_members = 65536,
};

/* ---- key paths ---- */

void jpath_init(struct jpath *p)
{
        p->buf[0] = '\0';
        p->len = 0;
}

__attribute__((format(printf, 2, 3)))
static size_t jpath_append(struct jpath *p, const char *fmt, ...)
{
        size_t old = p->len;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(p->buf + p->len, sizeof(p->buf) - p->len, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t) n >= sizeof(p->buf) - p->len) {
                /* Truncated paths stay readable: mark and keep the prefix. */
                p->len = sizeof(p->buf) - 1;
                memcpy(p->buf + p->len - 3, "...", 3);
        } else {
                p->len += (size_t) n;
        }
        return old;
}

static bool plain_key(const char *key)
{
        if (!*key)
                return false;
        for (const char *c = key; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
                        return false;
        return true;
}

size_t jpath_key(struct jpath *p, const char *key)
{
        /* Keys such as annotation names contain dots: quote those. */
        if (!plain_key(key))
                return jpath_append(p, "[\"%s\"]", key);
        return jpath_append(p, "%s%s", p->len ? "." : "", key);
}

size_t jpath_index(struct jpath *p, size_t index)
{
        return jpath_append(p, "[%zu]", index);
}

void jpath_pop(struct jpath *p, size_t old_len)
{
        p->len = old_len;
        p->buf[old_len] = '\0';
}

const char *jpath_str(const struct jpath *p)
{
        return p->len ? p->buf : "(root)";
}

/* ---- tree ---- */

const char *json_type_name(enum json_type t)
{
        switch (t) {
        case JSON_NULL: return "null";
        case JSON_BOOL: return "a boolean";
        case JSON_NUMBER: return "a number";
        case JSON_STRING: return "a string";
        case JSON_ARRAY: return "an array";
        case JSON_OBJECT: return "an object";
        }
        return "?";
}

void json_free(struct json *v)
{
        if (!v)
                return;
        for (size_t i = 0; i < v->len; i++) {
                if (v->keys)
                        free(v->keys[i]);
                json_free(v->items[i]);
        }
        free(v->keys);
        free(v->items);
        free(v->str);
        free(v);
}

struct json *json_get(const struct json *obj, const char *key)
{
        if (!obj || obj->type != JSON_OBJECT)
                return NULL;
        for (size_t i = 0; i < obj->len; i++)
                if (strcmp(obj->keys[i], key) == 0)
                        return obj->items[i];
        return NULL;
}

/* ---- parser ---- */

struct frame {
        struct json *node;
        char *pending_key;      /* objects: key awaiting its value */
};

struct parser {
        const struct json_limits *lim;
        struct frame stack[257];
        unsigned depth;
        struct json *root;
        struct pal_err *err;
        bool failed;
};

static void parser_path(const struct parser *ps, struct jpath *p)
{
        jpath_init(p);
        for (unsigned i = 0; i < ps->depth; i++) {
                const struct frame *f = &ps->stack[i];
                /* Below the top, a frame's last member is the open container above it. */
                bool open_child = i + 1 < ps->depth;

                if (f->node->type == JSON_OBJECT) {
                        if (open_child)
                                jpath_key(p, f->node->keys[f->node->len - 1]);
                        else if (f->pending_key)
                                jpath_key(p, f->pending_key);
                } else {
                        jpath_index(p, open_child ? f->node->len - 1 : f->node->len);
                }
        }
}

__attribute__((format(printf, 2, 3)))
static int parser_fail(struct parser *ps, const char *fmt, ...)
{
        struct jpath p;
        char what[256];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(what, sizeof(what), fmt, ap);
        va_end(ap);
        parser_path(ps, &p);
        pal_err_set(ps->err, -EINVAL, "%s: %s", jpath_str(&p), what);
        ps->failed = true;
        return 0;
}

static int parser_add(struct parser *ps, struct json *v)
{
        struct frame *top;
        struct json *c;

        if (!v) {
                ps->failed = true;
                pal_err_set(ps->err, -ENOMEM, "out of memory");
                return 0;
        }
        if (ps->depth == 0) {
                ps->root = v;
                return 1;
        }
        top = &ps->stack[ps->depth - 1];
        c = top->node;
        if (c->len >= ps->lim->max_members) {
                json_free(v);
                return parser_fail(ps, "more than %zu members", ps->lim->max_members);
        }
        if (c->len == c->cap) {
                size_t ncap = c->cap ? c->cap * 2 : 8;
                struct json **items = realloc(c->items, ncap * sizeof(*items));
                if (!items) {
                        json_free(v);
                        return parser_add(ps, NULL);
                }
                c->items = items;
                if (c->type == JSON_OBJECT) {
                        char **keys = realloc(c->keys, ncap * sizeof(*keys));
                        if (!keys) {
                                json_free(v);
                                return parser_add(ps, NULL);
                        }
                        c->keys = keys;
                }
                c->cap = ncap;
        }
        if (c->type == JSON_OBJECT)
                c->keys[c->len] = TAKE_PTR(top->pending_key);
        c->items[c->len++] = v;
        return 1;
}

static struct json *node_new(enum json_type t)
{
        struct json *v = calloc(1, sizeof(*v));
        if (v)
                v->type = t;
        return v;
}

static int on_null(void *ctx)
{
        return parser_add(ctx, node_new(JSON_NULL));
}

static int on_bool(void *ctx, int b)
{
        struct json *v = node_new(JSON_BOOL);
        if (v)
                v->boolean = b;
        return parser_add(ctx, v);
}

static int on_text(struct parser *ps, enum json_type t, const char *s, size_t len)
{
        struct json *v;

        if (memchr(s, '\0', len))
                return parser_fail(ps, "string contains a NUL character");
        v = node_new(t);
        if (v) {
                v->str = strndup(s, len);
                if (!v->str) {
                        free(v);
                        v = NULL;
                }
        }
        return parser_add(ps, v);
}

/*
 * yajl checks only the shape of UTF-8 sequences. Refuse overlong forms,
 * surrogates and code points past U+10FFFF too: Go's decoder turns them
 * into U+FFFD, so runc would see another string than palisade.
 */
static bool utf8_strict(const unsigned char *s, size_t len)
{
        for (size_t i = 0; i < len;) {
                uint32_t cp;
                size_t n;

                if (s[i] < 0x80) {
                        i++;
                        continue;
                } else if ((s[i] & 0xe0) == 0xc0) {
                        n = 2;
                        cp = s[i] & 0x1f;
                } else if ((s[i] & 0xf0) == 0xe0) {
                        n = 3;
                        cp = s[i] & 0x0f;
                } else if ((s[i] & 0xf8) == 0xf0) {
                        n = 4;
                        cp = s[i] & 0x07;
                } else {
                        return false;
                }
                if (len - i < n)
                        return false;
                for (size_t k = 1; k < n; k++) {
                        if ((s[i + k] & 0xc0) != 0x80)
                                return false;
                        cp = cp << 6 | (s[i + k] & 0x3f);
                }
                if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
                    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                        return false;
                i += n;
        }
        return true;
}

static int on_number(void *ctx, const char *s, size_t len)
{
        return on_text(ctx, JSON_NUMBER, s, len);
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
        if (!utf8_strict(s, len))
                return parser_fail(ctx, "string is not valid UTF-8");
        return on_text(ctx, JSON_STRING, (const char *) s, len);
}

static int on_start(struct parser *ps, enum json_type t)
{
        struct json *v;

        if (ps->depth >= ps->lim->max_depth || ps->depth >= ARRAY_SIZE(ps->stack))
                return parser_fail(ps, "nested deeper than %u levels", ps->lim->max_depth);
        v = node_new(t);
        if (!parser_add(ps, v))
                return 0;
        ps->stack[ps->depth].node = v;
        ps->stack[ps->depth].pending_key = NULL;
        ps->depth++;
        return 1;
}

static int on_start_map(void *ctx)
{
        return on_start(ctx, JSON_OBJECT);
}

static int on_start_array(void *ctx)
{
        return on_start(ctx, JSON_ARRAY);
}

static int on_map_key(void *ctx, const unsigned char *key, size_t len)
{
        struct parser *ps = ctx;
        struct frame *top = &ps->stack[ps->depth - 1];

        if (memchr(key, '\0', len))
                return parser_fail(ps, "key contains a NUL character");
        if (!utf8_strict(key, len))
                return parser_fail(ps, "key is not valid UTF-8");
        free(top->pending_key);
        top->pending_key = strndup((const char *) key, len);
        if (!top->pending_key)
                return parser_add(ps, NULL);
        return 1;
}

static int cmp_keys(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static int on_end_map(void *ctx)
{
        struct parser *ps = ctx;
        struct json *obj = ps->stack[ps->depth - 1].node;
        _cleanup_free_ char **sorted = NULL;

        if (obj->len > 1) {
                /* O(n log n) duplicate check, so a huge object cannot stall us. */
                sorted = malloc(obj->len * sizeof(*sorted));
                if (!sorted)
                        return parser_add(ps, NULL);
                memcpy(sorted, obj->keys, obj->len * sizeof(*sorted));
                qsort(sorted, obj->len, sizeof(*sorted), cmp_keys);
                for (size_t i = 1; i < obj->len; i++)
                        if (strcmp(sorted[i - 1], sorted[i]) == 0) {
                                /* Point the path at the duplicate. */
                                ps->stack[ps->depth - 1].pending_key = strdup(sorted[i]);
                                return parser_fail(ps, "duplicate key (runc and Podman would use the last one, "
                                                        "palisade refuses to guess)");
                        }
        }
        ps->depth--;
        return 1;
}

static int on_end_array(void *ctx)
{
        struct parser *ps = ctx;
        ps->depth--;
        return 1;
}

static const yajl_callbacks callbacks = {
        .yajl_null = on_null,
        .yajl_boolean = on_bool,
        .yajl_number = on_number,
        .yajl_string = on_string,
        .yajl_start_map = on_start_map,
        .yajl_map_key = on_map_key,
        .yajl_end_map = on_end_map,
        .yajl_start_array = on_start_array,
        .yajl_end_array = on_end_array,
};

static void parser_release(struct parser *ps)
{
        for (unsigned i = 0; i < ARRAY_SIZE(ps->stack); i++) {
                free(ps->stack[i].pending_key);
                ps->stack[i].pending_key = NULL;
        }
}

int json_parse(const char *buf, size_t len, const struct json_limits *lim,
               struct json **out, struct pal_err *err)
{
        struct parser ps = { .lim = lim, .err = err };
        const char *nul;
        yajl_handle h;
        yajl_status st;
        bool at_end = false;

        *out = NULL;
        if (len > lim->max_bytes)
                return pal_err_set(err, -EFBIG, "larger than %zu bytes", lim->max_bytes);
        nul = memchr(buf, '\0', len);
        if (nul)
                return pal_err_set(err, -EINVAL, "NUL byte at offset %zu", (size_t) (nul - buf));

        h = yajl_alloc(&callbacks, NULL, &ps);
        if (!h)
                return pal_err_set(err, -ENOMEM, "out of memory");
        /* Defaults, spelt out: no comments, strict UTF-8, one value only. */
        yajl_config(h, yajl_allow_comments, 0);
        yajl_config(h, yajl_dont_validate_strings, 0);
        yajl_config(h, yajl_allow_trailing_garbage, 0);
        yajl_config(h, yajl_allow_multiple_values, 0);
        yajl_config(h, yajl_allow_partial_values, 0);

        st = yajl_parse(h, (const unsigned char *) buf, len);
        if (st == yajl_status_ok) {
                /* All input accepted: a failure now can only be a missing end. */
                at_end = true;
                st = yajl_complete_parse(h);
        }
        if (st != yajl_status_ok && !ps.failed) {
                unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *) buf, len);
                size_t at = yajl_get_bytes_consumed(h);
                struct jpath p;
                char *nl;

                parser_path(&ps, &p);
                if (msg && (nl = strchr((char *) msg, '\n')))
                        *nl = '\0';
                if (ps.root && ps.depth == 0)
                        pal_err_set(err, -EINVAL, "trailing data after the JSON value");
                else if (at_end)
                        pal_err_set(err, -EINVAL, "truncated JSON (unexpected end of input at %s)",
                                    jpath_str(&p));
                else
                        pal_err_set(err, -EINVAL, "not valid JSON at byte %zu, at %s: %s", at,
                                    jpath_str(&p), msg ? (char *) msg : "parse error");
                if (msg)
                        yajl_free_error(h, msg);
                ps.failed = true;
        }
        yajl_free(h);
        parser_release(&ps);
        if (ps.failed || !ps.root) {
                json_free(ps.root);
                if (!ps.failed)
                        return pal_err_set(err, -EINVAL, "empty document");
                return err->code;
        }
        *out = ps.root;
        return 0;
}

/* ---- typed reads ---- */

int json_expect(const struct json *v, enum json_type t, const struct jpath *p,
                struct pal_err *err)
{
        if (v->type != t)
                return pal_err_set(err, -EINVAL, "%s: expected %s, got %s", jpath_str(p),
                                   json_type_name(t), json_type_name(v->type));
        return 0;
}

int json_as_string(const struct json *v, const struct jpath *p, const char **out,
                   struct pal_err *err)
{
        int r = json_expect(v, JSON_STRING, p, err);
        if (r < 0)
                return r;
        *out = v->str;
        return 0;
}

int json_as_bool(const struct json *v, const struct jpath *p, bool *out, struct pal_err *err)
{
        int r = json_expect(v, JSON_BOOL, p, err);
        if (r < 0)
                return r;
        *out = v->boolean;
        return 0;
}

int json_as_i64(const struct json *v, const struct jpath *p, int64_t min, int64_t max,
                int64_t *out, struct pal_err *err)
{
        char *end;
        long long n;

        if (v->type != JSON_NUMBER)
                return pal_err_set(err, -EINVAL, "%s: expected an integer, got %s", jpath_str(p),
                                   json_type_name(v->type));
        errno = 0;
        n = strtoll(v->str, &end, 10);
        if (*end != '\0')
                return pal_err_set(err, -EINVAL, "%s: expected an integer, got %s", jpath_str(p),
                                   v->str);
        if (errno == ERANGE || n < min || n > max)
                return pal_err_set(err, -ERANGE, "%s: %s is out of range [%" PRId64 ", %" PRId64 "]",
                                   jpath_str(p), v->str, min, max);
        *out = n;
        return 0;
}

int json_as_u32(const struct json *v, const struct jpath *p, uint32_t *out, struct pal_err *err)
{
        int64_t n;
        int r = json_as_i64(v, p, 0, UINT32_MAX, &n, err);
        if (r < 0)
                return r;
        *out = (uint32_t) n;
        return 0;
}

int json_only_keys(const struct json *obj, const char *const *known, bool allow_comments,
                   const struct jpath *p, struct pal_err *err)
{
        for (size_t i = 0; i < obj->len; i++) {
                const char *k = obj->keys[i];
                bool ok = false;

                if (allow_comments && strncmp(k, "//", 2) == 0)
                        continue;
                for (const char *const *n = known; *n; n++)
                        if (strcmp(*n, k) == 0) {
                                ok = true;
                                break;
                        }
                if (!ok) {
                        struct jpath q = *p;
                        jpath_key(&q, k);
                        return pal_err_set(err, -EINVAL, "%s: unknown key", jpath_str(&q));
                }
        }
        return 0;
}

/* ---- output ---- */

static yajl_gen_status gen_value(yajl_gen g, const struct json *v)
{
        yajl_gen_status s = yajl_gen_status_ok;

        switch (v->type) {
        case JSON_NULL:
                return yajl_gen_null(g);
        case JSON_BOOL:
                return yajl_gen_bool(g, v->boolean);
        case JSON_NUMBER:
                return yajl_gen_number(g, v->str, strlen(v->str));
        case JSON_STRING:
                return yajl_gen_string(g, (const unsigned char *) v->str, strlen(v->str));
        case JSON_ARRAY:
                s = yajl_gen_array_open(g);
                for (size_t i = 0; i < v->len && s == yajl_gen_status_ok; i++)
                        s = gen_value(g, v->items[i]);
                return s == yajl_gen_status_ok ? yajl_gen_array_close(g) : s;
        case JSON_OBJECT:
                s = yajl_gen_map_open(g);
                for (size_t i = 0; i < v->len && s == yajl_gen_status_ok; i++) {
                        s = yajl_gen_string(g, (const unsigned char *) v->keys[i], strlen(v->keys[i]));
                        if (s == yajl_gen_status_ok)
                                s = gen_value(g, v->items[i]);
                }
                return s == yajl_gen_status_ok ? yajl_gen_map_close(g) : s;
        }
        return yajl_gen_invalid_string;
}

int json_dump(const struct json *v, bool pretty, char **out, size_t *out_len,
              struct pal_err *err)
{
        yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *buf;
        size_t len;
        int r = 0;

        if (!g)
                return pal_err_set(err, -ENOMEM, "out of memory");
        yajl_gen_config(g, yajl_gen_beautify, pretty ? 1 : 0);
        yajl_gen_config(g, yajl_gen_indent_string, "  ");
        if (gen_value(g, v) != yajl_gen_status_ok || yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok) {
                r = pal_err_set(err, -EINVAL, "cannot serialise JSON");
                goto out;
        }
        *out = strndup((const char *) buf, len);
        if (!*out) {
                r = pal_err_set(err, -ENOMEM, "out of memory");
                goto out;
        }
        if (out_len)
                *out_len = len;
out:
        yajl_gen_free(g);
        return r;
}

/* ---- building ---- */

struct json *json_new(enum json_type t)
{
        return node_new(t);
}

struct json *json_new_string(const char *s)
{
        struct json *v = node_new(JSON_STRING);
        if (v && !(v->str = strdup(s))) {
                free(v);
                return NULL;
        }
        return v;
}

struct json *json_new_int(int64_t n)
{
        struct json *v = node_new(JSON_NUMBER);
        if (v && asprintf(&v->str, "%" PRId64, n) < 0) {
                free(v);
                return NULL;
        }
        return v;
}

struct json *json_new_bool(bool b)
{
        struct json *v = node_new(JSON_BOOL);
        if (v)
                v->boolean = b;
        return v;
}

static int grow(struct json *c)
{
        size_t ncap;

        if (c->len < c->cap)
                return 0;
        ncap = c->cap ? c->cap * 2 : 8;
        struct json **items = realloc(c->items, ncap * sizeof(*items));
        if (!items)
                return -ENOMEM;
        c->items = items;
        if (c->type == JSON_OBJECT) {
                char **keys = realloc(c->keys, ncap * sizeof(*keys));
                if (!keys)
                        return -ENOMEM;
                c->keys = keys;
        }
        c->cap = ncap;
        return 0;
}

int json_set(struct json *obj, const char *key, struct json *child)
{
        char *k;

        if (!child || obj->type != JSON_OBJECT) {
                json_free(child);
                return -ENOMEM;
        }
        for (size_t i = 0; i < obj->len; i++)
                if (strcmp(obj->keys[i], key) == 0) {
                        json_free(obj->items[i]);
                        obj->items[i] = child;
                        return 0;
                }
        if (grow(obj) < 0 || !(k = strdup(key))) {
                json_free(child);
                return -ENOMEM;
        }
        obj->keys[obj->len] = k;
        obj->items[obj->len++] = child;
        return 0;
}

int json_append(struct json *arr, struct json *child)
{
        if (!child || arr->type != JSON_ARRAY || grow(arr) < 0) {
                json_free(child);
                return -ENOMEM;
        }
        arr->items[arr->len++] = child;
        return 0;
}

struct json *json_clone(const struct json *v)
{
        _cleanup_json_ struct json *c = node_new(v->type);

        if (!c)
                return NULL;
        c->boolean = v->boolean;
        if (v->str && !(c->str = strdup(v->str)))
                return NULL;
        for (size_t i = 0; i < v->len; i++) {
                int r = v->type == JSON_OBJECT ? json_set(c, v->keys[i], json_clone(v->items[i]))
                                               : json_append(c, json_clone(v->items[i]));
                if (r < 0)
                        return NULL;
        }
        return TAKE_PTR(c);
}

bool json_equal(const struct json *a, const struct json *b)
{
        if (a->type != b->type || a->len != b->len)
                return false;
        switch (a->type) {
        case JSON_NULL:
                return true;
        case JSON_BOOL:
                return a->boolean == b->boolean;
        case JSON_NUMBER:
        case JSON_STRING:
                return strcmp(a->str, b->str) == 0;
        case JSON_ARRAY:
                for (size_t i = 0; i < a->len; i++)
                        if (!json_equal(a->items[i], b->items[i]))
                                return false;
                return true;
        case JSON_OBJECT:
                for (size_t i = 0; i < a->len; i++) {
                        struct json *other = json_get(b, a->keys[i]);
                        if (!other || !json_equal(a->items[i], other))
                                return false;
                }
                return true;
        }
        return false;
}

void json_remove(struct json *obj, const char *key)
{
        for (size_t i = 0; obj->type == JSON_OBJECT && i < obj->len; i++)
                if (strcmp(obj->keys[i], key) == 0) {
                        free(obj->keys[i]);
                        json_free(obj->items[i]);
                        memmove(obj->keys + i, obj->keys + i + 1, (obj->len - i - 1) * sizeof(*obj->keys));
                        memmove(obj->items + i, obj->items + i + 1, (obj->len - i - 1) * sizeof(*obj->items));
                        obj->len--;
                        return;
                }
}

/* ---- optional members ---- */

int json_read_member(const struct json *obj, const char *key, struct jpath *p, json_reader read, void *arg,
                     struct pal_err *err)
{
        const struct json *v = json_get(obj, key);
        size_t mark;
        int r;

        if (!v)
                return 0;
        mark = jpath_key(p, key);
        if ((r = read(v, p, arg, err)) < 0)
                return r;
        jpath_pop(p, mark);
        return 0;
}

int json_expect_strings(const struct json *v, struct jpath *p, struct pal_err *err)
{
        int r;

        if ((r = json_expect(v, JSON_ARRAY, p, err)) < 0)
                return r;
        for (size_t i = 0; i < v->len; i++) {
                size_t mark = jpath_index(p, i);
                if ((r = json_expect(v->items[i], JSON_STRING, p, err)) < 0)
                        return r;
                jpath_pop(p, mark);
        }
        return 0;
}

int json_read_strings(const struct json *v, struct jpath *p, void *unused, struct pal_err *err)
{
        return json_expect_strings(v, p, err);
}

struct typed_member {
        enum json_type t;
        struct json **out;
};

static int read_typed(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        const struct typed_member *m = arg;
        int r = json_expect(v, m->t, p, err);

        if (r == 0)
                *m->out = (struct json *) v;
        return r;
}

int json_opt_member(const struct json *obj, const char *key, enum json_type t, struct jpath *p, struct json **out,
                    struct pal_err *err)
{
        struct typed_member m = { t, out };

        return json_read_member(obj, key, p, read_typed, &m, err);
}

static int read_string(const struct json *v, struct jpath *p, void *out, struct pal_err *err)
{
        return json_as_string(v, p, out, err);
}

int json_opt_string(const struct json *obj, const char *key, struct jpath *p, const char **out, struct pal_err *err)
{
        return json_read_member(obj, key, p, read_string, out, err);
}

static int read_bool(const struct json *v, struct jpath *p, void *out, struct pal_err *err)
{
        return json_as_bool(v, p, out, err);
}

int json_opt_bool(const struct json *obj, const char *key, struct jpath *p, bool *out, struct pal_err *err)
{
        return json_read_member(obj, key, p, read_bool, out, err);
}

struct i64_member {
        int64_t min, max, *out;
};

static int read_i64(const struct json *v, struct jpath *p, void *arg, struct pal_err *err)
{
        const struct i64_member *m = arg;

        return json_as_i64(v, p, m->min, m->max, m->out, err);
}

int json_opt_i64(const struct json *obj, const char *key, struct jpath *p, int64_t min, int64_t max, int64_t *out,
                 struct pal_err *err)
{
        struct i64_member m = { min, max, out };

        return json_read_member(obj, key, p, read_i64, &m, err);
}
