/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one JSON layer. yajl is used as a raw tokenizer only; this file builds
 * its own tree so that it can refuse what yajl_tree would accept: comments,
 * duplicate keys (yajl_tree_get returns the first, Go keeps the last),
 * NUL bytes, excessive size, depth and member counts, trailing garbage.
 * Numbers keep their source text; typed getters convert with range checks
 * and report the key path ("linux.namespaces[3].type").
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum json_type {
        JSON_NULL,
        JSON_BOOL,
        JSON_NUMBER,
        JSON_STRING,
        JSON_ARRAY,
        JSON_OBJECT,
};

struct json {
        enum json_type type;
        bool boolean;
        char *str;              /* JSON_STRING value or JSON_NUMBER text */
        size_t len;             /* members of an object/array */
        size_t cap;
        char **keys;            /* JSON_OBJECT only, parallel to items */
        struct json **items;
};

struct json_limits {
        size_t max_bytes;
        unsigned max_depth;
        size_t max_members;     /* per object or array */
};

/* Limits for files a container owner controls. */
extern const struct json_limits json_untrusted_limits;

int json_parse(const char *buf, size_t len, const struct json_limits *lim,
               struct json **out, struct pal_err *err);
void json_free(struct json *v);
static inline void json_freep(struct json **v)
{
        json_free(*v);
}
#define _cleanup_json_ __attribute__((cleanup(json_freep)))

const char *json_type_name(enum json_type t);

/* Member of an object, or NULL (also when obj is not an object). */
struct json *json_get(const struct json *obj, const char *key);

/*
 * Key paths for messages. A jpath is a small fixed buffer; push returns the
 * old length so the caller can pop back to it.
 */
struct jpath {
        char buf[512];
        size_t len;
};

void jpath_init(struct jpath *p);
size_t jpath_key(struct jpath *p, const char *key);
size_t jpath_index(struct jpath *p, size_t index);
void jpath_pop(struct jpath *p, size_t old_len);
const char *jpath_str(const struct jpath *p); /* "(root)" when empty */

/* Type checks with "PATH: expected a string" style errors. */
int json_expect(const struct json *v, enum json_type t, const struct jpath *p,
                struct pal_err *err);

/* Typed reads of a present value; errors name the path and the value. */
int json_as_string(const struct json *v, const struct jpath *p, const char **out,
                   struct pal_err *err);
int json_as_bool(const struct json *v, const struct jpath *p, bool *out, struct pal_err *err);
int json_as_i64(const struct json *v, const struct jpath *p, int64_t min, int64_t max,
                int64_t *out, struct pal_err *err);
int json_as_u32(const struct json *v, const struct jpath *p, uint32_t *out, struct pal_err *err);

/*
 * Refuse members of obj not listed in known (NULL-terminated). Keys starting
 * with "//" are comments when allow_comments is set (policy files only).
 */
int json_only_keys(const struct json *obj, const char *const *known, bool allow_comments,
                   const struct jpath *p, struct pal_err *err);

/* Serialise; *out is NUL-terminated and must be freed. */
int json_dump(const struct json *v, bool pretty, char **out, size_t *out_len,
              struct pal_err *err);

/* Building trees (registry entries, journal lines, spec edits). */
struct json *json_new(enum json_type t);
struct json *json_new_string(const char *s);
struct json *json_new_int(int64_t n);
struct json *json_new_bool(bool b);
/* Take ownership of child; on failure child is freed. Replaces an existing key. */
int json_set(struct json *obj, const char *key, struct json *child);
int json_append(struct json *arr, struct json *child);

/* A deep copy, or NULL when out of memory. */
struct json *json_clone(const struct json *v);
/* Same value? Objects compare as sets of members, numbers by their text. */
bool json_equal(const struct json *a, const struct json *b);
/* Remove obj[key] if present. */
void json_remove(struct json *obj, const char *key);

/*
 * Reads the value v that the path p names into the caller's arg; errors name
 * p. The shape of every "enter a key or index, read, pop the path" step.
 */
typedef int (*json_reader)(const struct json *v, struct jpath *p, void *arg, struct pal_err *err);

/*
 * obj.key, when present: read(v, p extended by key, arg, err), the path
 * popped back after a successful read. When absent: 0, read not called.
 */
int json_read_member(const struct json *obj, const char *key, struct jpath *p, json_reader read, void *arg,
                     struct pal_err *err);

/* v is an array of strings ("PATH: expected an array", "PATH[i]: expected a string"). */
int json_expect_strings(const struct json *v, struct jpath *p, struct pal_err *err);
/* The same as a json_reader (arg unused), for json_read_member. */
int json_read_strings(const struct json *v, struct jpath *p, void *unused, struct pal_err *err);

/*
 * Optional members: obj.key read into *out when present (errors name the
 * path p extended by key); when absent, *out is left as it was and 0 returned.
 */
int json_opt_member(const struct json *obj, const char *key, enum json_type t, struct jpath *p, struct json **out,
                    struct pal_err *err);
int json_opt_string(const struct json *obj, const char *key, struct jpath *p, const char **out, struct pal_err *err);
int json_opt_bool(const struct json *obj, const char *key, struct jpath *p, bool *out, struct pal_err *err);
int json_opt_i64(const struct json *obj, const char *key, struct jpath *p, int64_t min, int64_t max, int64_t *out,
                 struct pal_err *err);
