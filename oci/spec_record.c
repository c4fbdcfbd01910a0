/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "spec.h"
#include "spec_diff.h"
#include "spec_record.h"

#define RECORD_VERSION "palisade_record"

static const struct json_limits record_limits = {
        .max_bytes = SPEC_RECORD_MAX_BYTES,
        .max_depth = 80,
        .max_members = 65536,
};

struct json *spec_record_new(const struct json *owner, const struct json *out)
{
        _cleanup_json_ struct json *rec = json_new(JSON_OBJECT);

        if (!rec || json_set(rec, RECORD_VERSION, json_new_int(1)) < 0 ||
            json_set(rec, "changes", spec_diff(owner, out)) < 0)
                return NULL;
        return TAKE_PTR(rec);
}

const struct json *spec_record_changes(const struct json *record)
{
        return json_get(record, "changes");
}

static int check_change(const struct json *c, size_t i, struct pal_err *err)
{
        const struct json *keys = json_get(c, "keys"), *op = json_get(c, "op");
        bool add, rem;

        if (c->type != JSON_OBJECT || !keys || keys->type != JSON_ARRAY || keys->len == 0 ||
            keys->len > SPEC_DIFF_MAX_KEYS || !op || op->type != JSON_STRING)
                return pal_err_set(err, -EINVAL, "changes[%zu]: expected {keys, op, before, after}", i);
        for (size_t k = 0; k < keys->len; k++)
                if (keys->items[k]->type != JSON_STRING)
                        return pal_err_set(err, -EINVAL, "changes[%zu].keys[%zu]: expected a string", i, k);
        add = strcmp(op->str, "add") == 0;
        rem = strcmp(op->str, "remove") == 0;
        if (!add && !rem && strcmp(op->str, "replace") != 0)
                return pal_err_set(err, -EINVAL, "changes[%zu].op: \"%.16s\" is not add, remove or replace", i,
                                   op->str);
        if ((!add && !json_get(c, "before")) || (!rem && !json_get(c, "after")))
                return pal_err_set(err, -EINVAL, "changes[%zu]: %s needs %s", i, op->str,
                                   add ? "after" : rem ? "before" : "before and after");
        return 0;
}

int spec_record_parse(const char *buf, size_t len, struct json **out, struct pal_err *err)
{
        _cleanup_json_ struct json *rec = NULL;
        const struct json *v, *changes;
        int r;

        if ((r = json_parse(buf, len, &record_limits, &rec, err)) < 0)
                return r;
        v = json_get(rec, RECORD_VERSION);
        if (!v || v->type != JSON_NUMBER || strcmp(v->str, "1") != 0)
                return pal_err_set(err, -EINVAL, RECORD_VERSION ": expected 1");
        changes = json_get(rec, "changes");
        if (!changes || changes->type != JSON_ARRAY)
                return pal_err_set(err, -EINVAL, "changes: expected an array");
        for (size_t i = 0; i < changes->len; i++)
                if ((r = check_change(changes->items[i], i, err)) < 0)
                        return r;
        *out = TAKE_PTR(rec);
        return 0;
}

/* Index of the first element of arr equal to v at or after from, or arr->len. */
static size_t find_equal(const struct json *arr, const struct json *v, size_t from)
{
        for (size_t i = from; i < arr->len; i++)
                if (json_equal(arr->items[i], v))
                        return i;
        return arr->len;
}

/*
 * palisade only inserted into this array (before is a subsequence of
 * after) and the owner changed it since: take palisade's elements out of
 * the owner's array, one occurrence each; otherwise leave it the owner's.
 */
static void remove_inserted(struct json *cur, const struct json *before, const struct json *after)
{
        bool *ours = calloc(after->len ? after->len : 1, sizeof(*ours));
        size_t j = 0;

        if (!ours)
                return;
        for (size_t i = 0; i < after->len; i++) {
                if (j < before->len && json_equal(after->items[i], before->items[j]))
                        j++;
                else
                        ours[i] = true;
        }
        if (j == before->len)
                for (size_t i = 0; i < after->len; i++) {
                        size_t at;

                        if (!ours[i] || (at = find_equal(cur, after->items[i], 0)) == cur->len)
                                continue;
                        json_free(cur->items[at]);
                        memmove(cur->items + at, cur->items + at + 1, (cur->len - at - 1) * sizeof(*cur->items));
                        cur->len--;
                }
        free(ours);
}

/*
 * palisade added after where the owner has changed it since (cur): take out
 * of cur what is still palisade's, member by member, keeping the owner's.
 */
static void remove_added(struct json *cur, const struct json *after, unsigned depth)
{
        static const struct json none = { .type = JSON_ARRAY };

        if (cur->type == JSON_ARRAY && after->type == JSON_ARRAY) {
                remove_inserted(cur, &none, after);
                return;
        }
        if (cur->type != JSON_OBJECT || after->type != JSON_OBJECT || depth > SPEC_DIFF_MAX_KEYS)
                return;
        for (size_t i = 0; i < after->len; i++) {
                struct json *mine = json_get(cur, after->keys[i]);

                if (!mine)
                        continue;
                if (json_equal(mine, after->items[i]))
                        json_remove(cur, after->keys[i]);
                else
                        remove_added(mine, after->items[i], depth + 1);
        }
}

static int revert_one(struct json *tree, const struct json *c)
{
        const struct json *keys = json_get(c, "keys"), *before = json_get(c, "before"), *after = json_get(c, "after");
        const char *op = json_get(c, "op")->str, *last = keys->items[keys->len - 1]->str;
        struct json *parent = tree, *cur;

        for (size_t k = 0; k + 1 < keys->len; k++)
                if (!(parent = json_get(parent, keys->items[k]->str)) || parent->type != JSON_OBJECT)
                        return 0;       /* the owner restructured it: the owner's */
        if (parent->type != JSON_OBJECT)
                return 0;
        cur = json_get(parent, last);
        if (strcmp(op, "remove") == 0)
                return cur ? 0 : json_set(parent, last, json_clone(before));
        if (!cur)
                return 0;
        if (json_equal(cur, after)) {
                if (strcmp(op, "add") == 0) {
                        json_remove(parent, last);
                        return 0;
                }
                return json_set(parent, last, json_clone(before));
        }
        if (strcmp(op, "add") == 0)
                remove_added(cur, after, 0);
        else if (cur->type == JSON_ARRAY && before->type == JSON_ARRAY && after->type == JSON_ARRAY)
                remove_inserted(cur, before, after);
        return 0;
}

int spec_record_revert(struct json *tree, const struct json *record, struct pal_err *err)
{
        const struct json *changes = spec_record_changes(record);

        if (tree->type != JSON_OBJECT)
                return pal_err_set(err, -EINVAL, "expected an object");
        for (size_t i = 0; changes && i < changes->len; i++)
                if (revert_one(tree, changes->items[i]) < 0)
                        return pal_err_set(err, -ENOMEM, "out of memory");
        return 0;
}

static int record_name(const char *name, char out[PATH_MAX], struct pal_err *err)
{
        if ((size_t) snprintf(out, PATH_MAX, "%s" SPEC_RECORD_SUFFIX, name) >= PATH_MAX)
                return pal_err_set(err, -ENAMETOOLONG, "%s" SPEC_RECORD_SUFFIX ": name too long", name);
        return 0;
}

int spec_record_owner_spec(int dir_fd, const char *name, const char *text, size_t len, struct oci_spec **out,
                           char **record, size_t *record_len, struct pal_err *err)
{
        _cleanup_json_ struct json *tree = NULL, *rec = NULL;
        _cleanup_free_ char *rtext = NULL;
        char rname[PATH_MAX];
        const struct json *ann;
        size_t rlen = 0;
        int r;

        *record = NULL;
        *record_len = 0;
        if ((r = record_name(name, rname, err)) < 0 ||
            (r = json_parse(text, len, &json_untrusted_limits, &tree, err)) < 0)
                return r;
        r = read_file_at(dir_fd, rname, SPEC_RECORD_MAX_BYTES, &rtext, &rlen, err);
        if (r == -ENOENT) {
                ann = json_get(tree, "annotations");
                if (json_get(ann, SPEC_LEGACY_DIFF_ANNOTATION))
                        return pal_err_set(err, -EINVAL, "annotations[\"" SPEC_LEGACY_DIFF_ANNOTATION "\"]: this "
                                           "spec went through an older palisade, whose edits cannot be told from "
                                           "its owner's without %s: give palisade the owner's spec", rname);
        } else if (r < 0 || (r = spec_record_parse(rtext, rlen, &rec, err)) < 0 ||
                   (r = spec_record_revert(tree, rec, err)) < 0) {
                return pal_err_wrap(err, "%s (palisade's record of its edits to %s)", rname, name);
        }
        if ((r = oci_spec_from_tree(TAKE_PTR(tree), out, err)) < 0)
                return r;
        *record = TAKE_PTR(rtext);
        *record_len = rlen;
        return 0;
}

int spec_record_store(int dir_fd, const char *name, const struct json *record, const char *old, size_t old_len,
                      const struct stat *st, struct pal_err *err)
{
        _cleanup_free_ char *text = NULL;
        char rname[PATH_MAX];
        size_t len;
        int r;

        if ((r = record_name(name, rname, err)) < 0 || (r = json_dump(record, false, &text, &len, err)) < 0)
                return r;
        text[len++] = '\n';
        if (old && old_len == len && memcmp(old, text, len) == 0)
                return 0;
        r = write_file_atomic_owned(dir_fd, rname, text, len, st->st_mode & 0666, st->st_uid, st->st_gid, err);
        if (r < 0)
                return pal_err_wrap(err, "cannot write %s", rname);
        return 0;
}
