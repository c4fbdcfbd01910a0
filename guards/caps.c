/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The capabilities guard. Spec phase: remove the policy's and the
 * annotation's drops from every set, add the annotation's adds (only within
 * what policy lets this kind of container have: grants happen here or
 * nowhere), and refuse a spec holding a capability policy never allows.
 * Create phase (hook alone, the spec can no longer change): refuse a spec
 * that still holds a capability it should not.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "lib/capname.h"
#include "lib/cleanup.h"
#include "lib/json.h"
#include "oci/spec_edit.h"

#define ANNOTATION_ADD "io.palisade.caps.add"
#define ANNOTATION_DROP "io.palisade.caps.drop"

static const char *const caps_annotations[] = { ANNOTATION_ADD, ANNOTATION_DROP, NULL };
static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable", "ambient" };
/* Where an added capability goes, as Docker and Podman add them. */
static const char *const add_sets[] = { "bounding", "effective", "permitted" };

/* With a user namespace a capability acts only inside it (ns_capable). */
static bool unprivileged(const struct oci_spec *s)
{
        return oci_spec_namespace(s, "user") != NULL;
}

static int annotation_set(const struct oci_spec *s, const char *key, uint64_t *set, struct pal_err *err)
{
        const char *v = oci_annotation(s->annotations, s->n_annotations, key);

        *set = 0;
        if (!v)
                return 0;
        if (capname_parse_list(v, set, err) < 0)
                return pal_err_wrap(err, "config.json: annotations[\"%s\"]", key);
        return 0;
}

/* The capability a set member names; false for names libcap does not know (left alone). */
static bool cap_of(const struct json *v, int *cap)
{
        char canon[CAP_NAME_MAX];
        return v->type == JSON_STRING && capname_parse(v->str, cap, canon) == 0;
}

/* The capabilities present in any set of the spec. */
static uint64_t held(const struct oci_spec *s)
{
        struct json *caps = json_get(json_get(s->tree, "process"), "capabilities");
        uint64_t all = 0;

        for (size_t i = 0; caps && i < caps->len; i++)
                all |= capname_json_set(caps->items[i]);
        return all;
}

static void names(uint64_t set, char *buf, size_t size)
{
        char canon[CAP_NAME_MAX];
        size_t used = 0;

        buf[0] = '\0';
        for (int cap = 0; capname_next(set, &cap, canon); cap++) {
                used += (size_t) snprintf(buf + used, size - used, "%s%s", used ? ", " : "", canon);
                if (used >= size)
                        break;
        }
}

/* Remove every capability of set from the named array (absent: nothing to do). */
static void remove_from(struct json *arr, uint64_t set)
{
        size_t keep = 0;

        if (!arr || arr->type != JSON_ARRAY)
                return;
        for (size_t i = 0; i < arr->len; i++) {
                int cap;
                if (cap_of(arr->items[i], &cap) && (set & (UINT64_C(1) << cap))) {
                        json_free(arr->items[i]);
                        continue;
                }
                arr->items[keep++] = arr->items[i];
        }
        arr->len = keep;
}

static int add_to(struct json *caps, const char *set_name, uint64_t set, struct pal_err *err)
{
        struct json *arr = spec_child(caps, set_name, JSON_ARRAY, err);
        uint64_t have;

        if (!arr)
                return pal_err_wrap(err, "process.capabilities");
        have = capname_json_set(arr);
        if (capname_json_append(arr, set & ~have) < 0)
                return pal_err_set(err, -ENOMEM, "out of memory");
        return 0;
}

static int refuse_never(const struct pal_ctx *ctx, uint64_t present, struct pal_err *err)
{
        char list[512];

        if (!(present & ctx->policy->caps.never))
                return 0;
        names(present & ctx->policy->caps.never, list, sizeof(list));
        return pal_err_set(err, -EPERM, "process.capabilities: holds %s, which policy %s never allows (caps.never); "
                           "remove it from the container's capabilities", list, ctx->policy->source);
}

static int caps_spec(struct pal_ctx *ctx, struct pal_err *err)
{
        const struct policy *pol = ctx->policy;
        uint64_t add, drop, addable;
        struct json *process, *caps;
        char list[512];
        int r;

        if ((r = annotation_set(ctx->spec, ANNOTATION_ADD, &add, err)) < 0 ||
            (r = annotation_set(ctx->spec, ANNOTATION_DROP, &drop, err)) < 0)
                return r;
        addable = unprivileged(ctx->spec) ? pol->caps.add_unprivileged : pol->caps.add_privileged;
        if (add & ~addable) {
                names(add & ~addable, list, sizeof(list));
                return pal_err_set(err, -EPERM, "config.json: annotations[\"" ANNOTATION_ADD "\"]: %s may not be "
                                   "added to a container %s a user namespace (policy %s, caps.add.%s)", list,
                                   unprivileged(ctx->spec) ? "with" : "without", pol->source,
                                   unprivileged(ctx->spec) ? "unprivileged" : "privileged");
        }
        /* What is dropped wins over what is added. */
        drop |= pol->caps.drop;
        add &= ~drop;
        if ((r = refuse_never(ctx, (held(ctx->spec) & ~drop) | add, err)) < 0)
                return r;

        process = json_get(ctx->spec->tree, "process");
        if (!process)
                return 0;       /* no process: nothing holds capabilities */
        caps = add ? spec_child(process, "capabilities", JSON_OBJECT, err) : json_get(process, "capabilities");
        if (add && !caps)
                return pal_err_wrap(err, "process");
        for (size_t i = 0; caps && i < ARRAY_SIZE(sets); i++)
                remove_from(json_get(caps, sets[i]), drop);
        for (size_t i = 0; add && i < ARRAY_SIZE(add_sets); i++)
                if ((r = add_to(caps, add_sets[i], add, err)) < 0)
                        return r;
        return 0;
}

static int caps_create(struct pal_ctx *ctx, struct pal_err *err)
{
        uint64_t drop, present;
        char list[512];
        int r;

        if (!ctx->spec)
                return 0;
        if ((r = annotation_set(ctx->spec, ANNOTATION_DROP, &drop, err)) < 0)
                return r;
        present = held(ctx->spec);
        if ((r = refuse_never(ctx, present, err)) < 0)
                return r;
        drop |= ctx->policy->caps.drop;
        if (present & drop) {
                /* Too late to edit the spec: refuse rather than run with it. */
                names(present & drop, list, sizeof(list));
                return pal_err_set(err, -EPERM, "process.capabilities: holds %s, which must be dropped, and at %s the "
                                   "spec can no longer change; run through palisade-runtime or Podman's precreate "
                                   "hook, or drop it from the spec", list, ctx->stage);
        }
        return 0;
}

const struct guard guard_caps = {
        .name = "caps",
        .annotations = caps_annotations,
        .spec = caps_spec,
        .create = caps_create,
};
