/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent guard (spec phase). A container with a user namespace cannot
 * mknod a device node: the kernel wants CAP_MKNOD in the initial namespace.
 * This guard sends its mknod and mknodat of character and block devices
 * (mode & S_IFMT, SCMP_CMP_MASKED_EQ: regular files and FIFOs never leave
 * the kernel) to `palisade agent` through seccomp user notification
 * (SCMP_ACT_NOTIFY, linux.seccomp.listenerPath), which makes the node for it
 * if the device is on its whitelist. listenerMetadata is the container ID,
 * for the agent to find the registry entry; whatever the bundle set there is
 * replaced. A container without a user namespace is left alone: it has
 * CAP_MKNOD and the cgroup device rules already.
 *
 * Where the spec's profile already lets mknod through unconditionally, the
 * rule is split by file type so that devices notify and the rest stays
 * allowed; where the profile refuses or restricts mknod, it is left as it is
 * (never more permissive than the profile).
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "guard.h"
#include "lib/cleanup.h"
#include "oci/spec_edit.h"

#define NOTIFY "SCMP_ACT_NOTIFY"
#define ALLOW "SCMP_ACT_ALLOW"

static const struct { const char *name; unsigned mode_arg; } trapped[] = {
        { "mknod", 1 },
        { "mknodat", 2 },
};

/* A rule for one syscall whose mode argument, masked with S_IFMT, equals type. */
static struct json *typed_rule(const char *name, unsigned arg, const char *action, unsigned type)
{
        _cleanup_json_ struct json *rule = json_new(JSON_OBJECT);
        struct json *names = json_new(JSON_ARRAY), *args = json_new(JSON_ARRAY), *cmp = json_new(JSON_OBJECT);

        if (!rule || !names || !args || !cmp) {
                json_free(names);
                json_free(args);
                json_free(cmp);
                return NULL;
        }
        if (json_set(rule, "names", names) < 0 || json_append(names, json_new_string(name)) < 0 ||
            json_set(rule, "action", json_new_string(action)) < 0 || json_set(rule, "args", args) < 0 ||
            json_append(args, cmp) < 0 || json_set(cmp, "index", json_new_int(arg)) < 0 ||
            json_set(cmp, "value", json_new_int(S_IFMT)) < 0 || json_set(cmp, "valueTwo", json_new_int(type)) < 0 ||
            json_set(cmp, "op", json_new_string("SCMP_CMP_MASKED_EQ")) < 0)
                return NULL;
        return TAKE_PTR(rule);
}

static bool names_syscall(const struct json *rule, const char *name)
{
        struct json *names = json_get(rule, "names"), *one = json_get(rule, "name");

        if (one && one->type == JSON_STRING && strcmp(one->str, name) == 0)
                return true;
        for (size_t i = 0; names && names->type == JSON_ARRAY && i < names->len; i++)
                if (names->items[i]->type == JSON_STRING && strcmp(names->items[i]->str, name) == 0)
                        return true;
        return false;
}

static bool is_string(const struct json *v, const char *s)
{
        return v && v->type == JSON_STRING && strcmp(v->str, s) == 0;
}

static bool unconditional(const struct json *rule)
{
        struct json *args = json_get(rule, "args");
        return !args || args->type == JSON_NULL || (args->type == JSON_ARRAY && args->len == 0);
}

/* Remove name from rule's "names"; true when the rule then names nothing and must go. */
static bool drop_name(struct json *rule, const char *name)
{
        struct json *names = json_get(rule, "names");
        size_t k = 0;

        if (!names || names->type != JSON_ARRAY)
                return true;
        for (size_t i = 0; i < names->len; i++) {
                if (names->items[i]->type == JSON_STRING && strcmp(names->items[i]->str, name) == 0)
                        json_free(names->items[i]);
                else
                        names->items[k++] = names->items[i];
        }
        names->len = k;
        return k == 0 && !json_get(rule, "name");
}

static int append(struct json *rules, struct json *rule, struct pal_err *err)
{
        bool present = false;

        if (!rule)
                return pal_err_set(err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < rules->len && !present; i++)
                present = json_equal(rules->items[i], rule);
        if (present) {
                json_free(rule);
                return 0;
        }
        return json_append(rules, rule) < 0 ? pal_err_set(err, -ENOMEM, "out of memory") : 0;
}

static const unsigned other_types[] = { 0, S_IFREG, S_IFIFO, S_IFSOCK };

/* One of the rules this guard writes (so that applying it twice changes nothing). */
static bool is_ours(const struct json *rule, const char *name, unsigned arg)
{
        static const unsigned device_types[] = { S_IFCHR, S_IFBLK };

        for (size_t i = 0; i < ARRAY_SIZE(device_types) + ARRAY_SIZE(other_types); i++) {
                bool device = i < ARRAY_SIZE(device_types);
                unsigned type = device ? device_types[i] : other_types[i - ARRAY_SIZE(device_types)];
                _cleanup_json_ struct json *mine = typed_rule(name, arg, device ? NOTIFY : ALLOW, type);
                if (mine && json_equal(mine, rule))
                        return true;
        }
        return false;
}

/*
 * One trapped syscall. Its rules in the profile decide: none (the default
 * action applies), an unconditional allow (split by type), or anything else
 * (a restriction: kept, nothing trapped).
 */
static int trap(struct json *rules, bool default_allows, const char *name, unsigned arg, struct pal_err *err)
{
        bool allowed = default_allows, ours = false;
        int r;

        for (size_t i = 0; i < rules->len; i++) {
                struct json *rule = rules->items[i];
                if (!names_syscall(rule, name))
                        continue;
                if (is_ours(rule, name, arg))
                        ours = true;
                else if (!is_string(json_get(rule, "action"), ALLOW) || !unconditional(rule))
                        return 0;       /* the profile restricts it: never loosen */
                else if (!ours)
                        allowed = true;
        }
        if (!allowed && !ours)
                return 0;
        /* Split unconditional allows by file type: devices notify, the rest stays allowed. */
        for (size_t i = 0; i < rules->len;) {
                struct json *rule = rules->items[i];
                if (names_syscall(rule, name) && is_string(json_get(rule, "action"), ALLOW) && unconditional(rule) &&
                    drop_name(rule, name)) {
                        json_free(rule);
                        memmove(&rules->items[i], &rules->items[i + 1], (rules->len - i - 1) * sizeof(rules->items[0]));
                        rules->len--;
                        continue;
                }
                i++;
        }
        if (!default_allows)
                for (size_t i = 0; i < ARRAY_SIZE(other_types); i++)
                        if ((r = append(rules, typed_rule(name, arg, ALLOW, other_types[i]), err)) < 0)
                                return r;
        if ((r = append(rules, typed_rule(name, arg, NOTIFY, S_IFCHR), err)) < 0 ||
            (r = append(rules, typed_rule(name, arg, NOTIFY, S_IFBLK), err)) < 0)
                return r;
        return 0;
}

static int agent_spec(struct pal_ctx *ctx, struct pal_err *err)
{
        struct json *linux_, *seccomp, *rules, *def;
        int r;

        if (!oci_spec_namespace(ctx->spec, "user"))
                return 0;
        if (!(linux_ = spec_child(ctx->spec->tree, "linux", JSON_OBJECT, err)) ||
            !(seccomp = spec_child(linux_, "seccomp", JSON_OBJECT, err)))
                return pal_err_wrap(err, "config.json: linux");
        if (!(def = json_get(seccomp, "defaultAction"))) {
                /* No profile: one that allows everything but what the agent handles. */
                if (json_set(seccomp, "defaultAction", json_new_string(ALLOW)) < 0)
                        return pal_err_set(err, -ENOMEM, "out of memory");
                def = json_get(seccomp, "defaultAction");
        }
        if (def->type != JSON_STRING)
                return pal_err_set(err, -EINVAL, "config.json: linux.seccomp.defaultAction: expected a string");
        if (!(rules = spec_child(seccomp, "syscalls", JSON_ARRAY, err)))
                return pal_err_wrap(err, "config.json: linux.seccomp");
        for (size_t i = 0; i < ARRAY_SIZE(trapped); i++)
                if ((r = trap(rules, strcmp(def->str, ALLOW) == 0, trapped[i].name, trapped[i].mode_arg, err)) < 0)
                        return pal_err_wrap(err, "config.json: linux.seccomp.syscalls");
        /* The agent's socket and this container's ID, whatever the bundle said. */
        if (json_set(seccomp, "listenerPath", json_new_string(ctx->policy->agent.socket)) < 0 ||
            json_set(seccomp, "listenerMetadata", json_new_string(ctx->id)) < 0)
                return pal_err_set(err, -ENOMEM, "out of memory");
        return 0;
}

const struct guard guard_agent = {
        .name = "agent",
        .spec = agent_spec,
};
