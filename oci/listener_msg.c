/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "lib/containerid.h"
#include "listener_msg.h"
#include "state.h"

static const struct json_limits limits = { .max_bytes = LISTENER_MSG_MAX_BYTES, .max_depth = 16,
                                           .max_members = 1024 };

static int required(const struct json *obj, const char *key, enum json_type t, struct jpath *p, struct json **out,
                    struct pal_err *err)
{
        int r;

        *out = NULL;
        r = json_opt_member(obj, key, t, p, out, err);
        if (r == 0 && !*out) {
                size_t mark = jpath_key(p, key);
                r = pal_err_set(err, -EINVAL, "%s: required key is missing", jpath_str(p));
                jpath_pop(p, mark);
        }
        return r;
}

static int pid_of(const struct json *obj, struct jpath *p, bool need, pid_t *out, struct pal_err *err)
{
        struct json *v = json_get(obj, "pid");
        size_t mark;
        int64_t pid;
        int r;

        *out = 0;
        if (!v)
                return need ? required(obj, "pid", JSON_NUMBER, p, &v, err) : 0;
        mark = jpath_key(p, "pid");
        if ((r = json_as_i64(v, p, 1, INT_MAX, &pid, err)) < 0)
                return r;
        jpath_pop(p, mark);
        *out = (pid_t) pid;
        return 0;
}

static int parse_fds(const struct json *fds, struct jpath *p, struct listener_msg *m, struct pal_err *err)
{
        size_t mark = jpath_key(p, "fds");
        bool found = false;

        if (fds->len > LISTENER_MSG_MAX_FDS)
                return pal_err_set(err, -EINVAL, "%s: more than %d fds", jpath_str(p), LISTENER_MSG_MAX_FDS);
        for (size_t i = 0; i < fds->len; i++) {
                size_t m2 = jpath_index(p, i);
                const char *name;
                int r;

                if ((r = json_as_string(fds->items[i], p, &name, err)) < 0)
                        return r;
                if (strcmp(name, "seccompFd") == 0) {
                        if (found)
                                return pal_err_set(err, -EINVAL, "%s: a second \"seccompFd\"", jpath_str(p));
                        found = true;
                        m->seccomp_fd = i;
                }
                jpath_pop(p, m2);
        }
        if (!found)
                return pal_err_set(err, -EINVAL, "%s: no \"seccompFd\"", jpath_str(p));
        m->n_fds = fds->len;
        jpath_pop(p, mark);
        return 0;
}

int listener_msg_parse(const char *buf, size_t len, struct listener_msg *out, struct pal_err *err)
{
        struct json *fds, *state, *v;
        struct listener_msg m = { .metadata = "" };
        struct jpath p;
        size_t mark;
        int r;

        *out = (struct listener_msg) { 0 };
        jpath_init(&p);
        if ((r = json_parse(buf, len, &limits, &m.tree, err)) < 0)
                return r;
        if ((r = json_expect(m.tree, JSON_OBJECT, &p, err)) < 0 ||
            (r = required(m.tree, "ociVersion", JSON_STRING, &p, &v, err)) < 0)
                goto fail;
        m.oci_version = v->str;
        if ((r = required(m.tree, "fds", JSON_ARRAY, &p, &fds, err)) < 0 || (r = parse_fds(fds, &p, &m, err)) < 0 ||
            (r = pid_of(m.tree, &p, true, &m.pid, err)) < 0 ||
            (r = json_opt_string(m.tree, "metadata", &p, &m.metadata, err)) < 0 ||
            (r = required(m.tree, "state", JSON_OBJECT, &p, &state, err)) < 0)
                goto fail;
        if (!m.metadata)
                m.metadata = "";
        mark = jpath_key(&p, "state");
        if ((r = required(state, "id", JSON_STRING, &p, &v, err)) < 0)
                goto fail;
        m.id = v->str;
        if (!containerid_valid(m.id)) {
                r = pal_err_set(err, -EINVAL, "state.id: \"%.64s\" is not a valid container ID", m.id);
                goto fail;
        }
        if ((r = required(state, "status", JSON_STRING, &p, &v, err)) < 0 ||
            (r = pid_of(state, &p, false, &m.state_pid, err)) < 0)
                goto fail;
        m.status = v->str;
        jpath_pop(&p, mark);
        *out = m;
        return 0;
fail:
        json_free(m.tree);
        return r;
}

void listener_msg_release(struct listener_msg *m)
{
        json_free(m->tree);
        *m = (struct listener_msg) { 0 };
}
