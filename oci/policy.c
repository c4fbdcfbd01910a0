/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "policy.h"

const char policy_embedded_default[] =
#include "default_policy.inc"
        ;

static const char *const top_keys[] = { "guards", "state_dir", "runtime", "audit", NULL };
static const char *const runtime_keys[] = { "path", "hook", NULL };
static const char *const audit_keys[] = { "required", "accept_annotation", "journal", NULL };

void policy_free(struct policy *p)
{
        if (!p)
                return;
        json_free(p->tree);
        free(p);
}

bool policy_guard_enabled(const struct policy *p, const char *name)
{
        for (size_t i = 0; i < p->n_guards; i++)
                if (strcmp(p->guards[i], name) == 0)
                        return true;
        return false;
}

static int abs_path(const struct json *v, struct jpath *p, const char **out, struct pal_err *err)
{
        int r = json_as_string(v, p, out, err);
        size_t len;

        if (r < 0)
                return r;
        len = strlen(*out);
        /* No ".." component, trailing ones included ("/run/.." is "/"). */
        if ((*out)[0] != '/' || strstr(*out, "/../") || len < 2 ||
            (len >= 3 && strcmp(*out + len - 3, "/..") == 0))
                return pal_err_set(err, -EINVAL, "%s: \"%s\" must be an absolute path", jpath_str(p), *out);
        return 0;
}

static int parse_guards(struct policy *pol, const struct json *v, struct jpath *p,
                        const char *const *guard_names, struct pal_err *err)
{
        int r;

        if ((r = json_expect(v, JSON_ARRAY, p, err)) < 0)
                return r;
        if (v->len > POLICY_MAX_GUARDS)
                return pal_err_set(err, -EINVAL, "%s: more than %d guards", jpath_str(p), POLICY_MAX_GUARDS);
        for (size_t i = 0; i < v->len; i++) {
                size_t mark = jpath_index(p, i);
                const char *name;
                bool known = false;

                if ((r = json_as_string(v->items[i], p, &name, err)) < 0)
                        return r;
                for (const char *const *g = guard_names; *g; g++)
                        known |= strcmp(*g, name) == 0;
                if (!known)
                        return pal_err_set(err, -EINVAL, "%s: unknown guard \"%s\"", jpath_str(p), name);
                if (policy_guard_enabled(pol, name))
                        return pal_err_set(err, -EINVAL, "%s: guard \"%s\" listed twice", jpath_str(p), name);
                pol->guards[pol->n_guards++] = name;
                jpath_pop(p, mark);
        }
        return 0;
}

/* "" (automatic) or an absolute path. */
static int opt_path(const struct json *v, struct jpath *p, const char **out, struct pal_err *err)
{
        int r = json_as_string(v, p, out, err);
        if (r < 0 || (*out)[0] == '\0')
                return r;
        return abs_path(v, p, out, err);
}

static int parse_runtime(struct policy *pol, const struct json *rt, struct jpath *p, struct pal_err *err)
{
        struct json *v;
        size_t mark;
        int r;

        if ((r = json_expect(rt, JSON_OBJECT, p, err)) < 0 ||
            (r = json_only_keys(rt, runtime_keys, true, p, err)) < 0)
                return r;
        if ((v = json_get(rt, "path"))) {
                mark = jpath_key(p, "path");
                if ((r = opt_path(v, p, &pol->runtime.path, err)) < 0)
                        return r;
                jpath_pop(p, mark);
        }
        if ((v = json_get(rt, "hook"))) {
                mark = jpath_key(p, "hook");
                if ((r = opt_path(v, p, &pol->runtime.hook, err)) < 0)
                        return r;
                jpath_pop(p, mark);
        }
        return 0;
}

static int parse_audit(struct policy *pol, const struct json *a, struct jpath *p, struct pal_err *err)
{
        struct json *v;
        size_t mark;
        int r;

        if ((r = json_expect(a, JSON_OBJECT, p, err)) < 0 ||
            (r = json_only_keys(a, audit_keys, true, p, err)) < 0)
                return r;
        if ((v = json_get(a, "required"))) {
                mark = jpath_key(p, "required");
                if ((r = json_as_bool(v, p, &pol->audit.required, err)) < 0)
                        return r;
                jpath_pop(p, mark);
        }
        if ((v = json_get(a, "accept_annotation"))) {
                mark = jpath_key(p, "accept_annotation");
                if ((r = json_as_bool(v, p, &pol->audit.accept_annotation, err)) < 0)
                        return r;
                jpath_pop(p, mark);
        }
        if ((v = json_get(a, "journal"))) {
                mark = jpath_key(p, "journal");
                if ((r = abs_path(v, p, &pol->audit.journal, err)) < 0)
                        return r;
                jpath_pop(p, mark);
        }
        return 0;
}

int policy_parse(const char *buf, size_t len, const char *const *guard_names, struct policy **out,
                 struct pal_err *err)
{
        static const struct json_limits lim = { .max_bytes = POLICY_MAX_BYTES, .max_depth = 32,
                                                .max_members = 4096 };
        struct policy *pol;
        struct json *v;
        struct jpath p;
        size_t mark;
        int r;

        *out = NULL;
        jpath_init(&p);
        if (!(pol = calloc(1, sizeof(*pol))))
                return pal_err_set(err, -ENOMEM, "out of memory");
        /* Defaults for keys a file leaves out. */
        pol->guards[0] = "audit";
        pol->n_guards = 1;
        pol->state_dir = "/run/palisade";
        pol->runtime.path = "";
        pol->runtime.hook = "";
        pol->audit.accept_annotation = true;
        pol->audit.journal = "/var/log/palisade/journal.jsonl";

        if ((r = json_parse(buf, len, &lim, &pol->tree, err)) < 0 ||
            (r = json_expect(pol->tree, JSON_OBJECT, &p, err)) < 0 ||
            (r = json_only_keys(pol->tree, top_keys, true, &p, err)) < 0)
                goto fail;
        if ((v = json_get(pol->tree, "guards"))) {
                pol->n_guards = 0;
                mark = jpath_key(&p, "guards");
                if ((r = parse_guards(pol, v, &p, guard_names, err)) < 0)
                        goto fail;
                jpath_pop(&p, mark);
        }
        if ((v = json_get(pol->tree, "state_dir"))) {
                mark = jpath_key(&p, "state_dir");
                if ((r = abs_path(v, &p, &pol->state_dir, err)) < 0)
                        goto fail;
                jpath_pop(&p, mark);
        }
        if ((v = json_get(pol->tree, "runtime"))) {
                mark = jpath_key(&p, "runtime");
                if ((r = parse_runtime(pol, v, &p, err)) < 0)
                        goto fail;
                jpath_pop(&p, mark);
        }
        if ((v = json_get(pol->tree, "audit"))) {
                mark = jpath_key(&p, "audit");
                if ((r = parse_audit(pol, v, &p, err)) < 0)
                        goto fail;
                jpath_pop(&p, mark);
        }
        *out = pol;
        return 0;
fail:
        policy_free(pol);
        return r;
}

int policy_load(const char *const *guard_names, struct policy **out, struct pal_err *err)
{
        const char *env = getenv("PALISADE_CONFIG");
        const char *path = env && *env ? env : POLICY_DEFAULT_PATH;
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        r = read_file_at(AT_FDCWD, path, POLICY_MAX_BYTES, &buf, &len, err);
        if (r == -ENOENT && !(env && *env)) {
                r = policy_parse(policy_embedded_default, strlen(policy_embedded_default), guard_names,
                                 out, err);
                if (r < 0)
                        return pal_err_wrap(err, "policy (embedded default)");
                (*out)->source = "(embedded default)";
                return 0;
        }
        if (r < 0)
                return pal_err_wrap(err, "policy %s", path);
        r = policy_parse(buf, len, guard_names, out, err);
        if (r < 0)
                return pal_err_wrap(err, "policy %s", path);
        (*out)->source = path;
        return 0;
}
