/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/containerid.h"
#include "state.h"

static const char *const statuses[] = { "creating", "created", "running", "stopped", NULL };

void oci_state_free(struct oci_state *s)
{
        if (!s)
                return;
        json_free(s->tree);
        free(s->annotations);
        free(s);
}

static int want_string(const struct json *obj, const char *key, const char **out, struct pal_err *err)
{
        struct json *v = json_get(obj, key);
        struct jpath p;

        jpath_init(&p);
        jpath_key(&p, key);
        if (!v)
                return pal_err_set(err, -EINVAL, "%s: required key is missing", jpath_str(&p));
        return json_as_string(v, &p, out, err);
}

int oci_state_parse(const char *buf, size_t len, struct oci_state **out, struct pal_err *err)
{
        _cleanup_json_ struct json *tree = NULL;
        struct oci_state *s;
        struct json *v;
        struct jpath p;
        int r;

        *out = NULL;
        jpath_init(&p);
        if ((r = json_parse(buf, len, &json_untrusted_limits, &tree, err)) < 0)
                return r;
        if ((r = json_expect(tree, JSON_OBJECT, &p, err)) < 0)
                return r;
        if (!(s = calloc(1, sizeof(*s))))
                return pal_err_set(err, -ENOMEM, "out of memory");
        s->tree = TAKE_PTR(tree);

        if ((r = want_string(s->tree, "ociVersion", &s->oci_version, err)) < 0 ||
            (r = want_string(s->tree, "id", &s->id, err)) < 0 ||
            (r = want_string(s->tree, "status", &s->status, err)) < 0 ||
            (r = want_string(s->tree, "bundle", &s->bundle, err)) < 0)
                goto fail;
        if (!containerid_valid(s->id)) {
                r = pal_err_set(err, -EINVAL, "id: \"%.64s\" is not a valid container ID "
                                "(letters, digits, _ + - . only)", s->id);
                goto fail;
        }
        {
                bool known = false;
                for (const char *const *st = statuses; *st; st++)
                        known |= strcmp(*st, s->status) == 0;
                if (!known) {
                        r = pal_err_set(err, -EINVAL, "status: unknown status \"%.32s\"", s->status);
                        goto fail;
                }
        }
        if (s->bundle[0] != '/') {
                r = pal_err_set(err, -EINVAL, "bundle: \"%.256s\" is not an absolute path", s->bundle);
                goto fail;
        }
        if ((v = json_get(s->tree, "pid"))) {
                int64_t pid;
                jpath_key(&p, "pid");
                if ((r = json_as_i64(v, &p, 0, INT_MAX, &pid, err)) < 0)
                        goto fail;
                jpath_pop(&p, 0);
                s->pid = (pid_t) pid;
        }
        if ((v = json_get(s->tree, "annotations"))) {
                jpath_key(&p, "annotations");
                if ((r = json_expect(v, JSON_OBJECT, &p, err)) < 0 ||
                    (r = oci_parse_annotations(v, &p, &s->annotations, &s->n_annotations, err)) < 0)
                        goto fail;
        }
        *out = s;
        return 0;
fail:
        oci_state_free(s);
        return r;
}
