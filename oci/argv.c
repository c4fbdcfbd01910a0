/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "argv.h"
#include "lib/cleanup.h"

struct opt {
        const char *name;       /* without dashes: "root", "b" */
        bool takes_value;
};

/* Global options of runc 1.1 and crun 1.8. */
static const struct opt global_opts[] = {
        { "root", true },       { "log", true },        { "log-format", true },
        { "log-level", true },  { "criu", true },       { "cgroup-manager", true },
        { "debug", false },     { "systemd-cgroup", false }, { "help", false },
        { "h", false },         { "version", false },   { "v", false },
        { "V", false },         { "rootless", false }, /* value handled below */
};

/* Options of create and run in runc and crun. */
static const struct opt create_opts[] = {
        { "bundle", true },     { "b", true },          { "config", true },
        { "f", true },          { "console-socket", true }, { "pid-file", true },
        { "preserve-fds", true }, { "no-pivot", false }, { "no-new-keyring", false },
        { "detach", false },    { "d", false },         { "keep", false },
        { "no-subreaper", false }, { "help", false },   { "h", false },
};

static const struct opt delete_opts[] = {
        { "force", false }, { "f", false }, { "help", false }, { "h", false },
};

/* Split "--name=value" / "-n": returns the bare name length, *value or NULL. */
static const char *opt_name(const char *arg, size_t *len, const char **value)
{
        const char *name = arg + (arg[1] == '-' ? 2 : 1);
        const char *eq = strchr(name, '=');

        *value = eq ? eq + 1 : NULL;
        *len = eq ? (size_t) (eq - name) : strlen(name);
        return name;
}

static const struct opt *find(const struct opt *opts, size_t n, const char *name, size_t len)
{
        for (size_t i = 0; i < n; i++)
                if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
                        return &opts[i];
        return NULL;
}

static bool is_rootless_value(const char *s)
{
        return strcmp(s, "true") == 0 || strcmp(s, "false") == 0 || strcmp(s, "auto") == 0;
}

static bool later_is_create(int argc, char *const *argv, int from)
{
        for (int i = from; i < argc; i++)
                if (strcmp(argv[i], "create") == 0 || strcmp(argv[i], "run") == 0)
                        return true;
        return false;
}

static int parse_command_opts(int argc, char *const *argv, struct runtime_args *a, const struct opt *opts,
                              size_t n, bool strict, struct pal_err *err)
{
        const char *cmd = argv[a->cmd_index];

        for (int i = a->cmd_index + 1; i < argc; i++) {
                const char *arg = argv[i], *name, *value;
                const struct opt *o;
                size_t len;

                if (strcmp(arg, "--") == 0) {
                        if (i + 1 < argc && !a->id)
                                a->id = argv[i + 1];
                        break;
                }
                if (arg[0] != '-' || arg[1] == '\0') {
                        if (!a->id)
                                a->id = arg;
                        continue;
                }
                name = opt_name(arg, &len, &value);
                o = find(opts, n, name, len);
                if (!o && !strict) {
                        a->cmd = RUNTIME_CMD_OTHER;     /* let the runtime judge it */
                        return 0;
                }
                if (!o)
                        return pal_err_set(err, -EINVAL, "%s: unknown option \"%s\": palisade cannot tell whether "
                                           "it takes a value, so it refuses rather than start a container "
                                           "unguarded", cmd, arg);
                if (strcmp(o->name, "help") == 0 || strcmp(o->name, "h") == 0) {
                        a->cmd = RUNTIME_CMD_OTHER;     /* the runtime prints its help */
                        return 0;
                }
                if (o->takes_value && !value) {
                        if (i + 1 >= argc)
                                return pal_err_set(err, -EINVAL, "%s: option %s needs a value", cmd, arg);
                        value = argv[++i];
                }
                if (strcmp(o->name, "bundle") == 0 || strcmp(o->name, "b") == 0)
                        a->bundle = value;
                else if (strcmp(o->name, "config") == 0 || (strcmp(o->name, "f") == 0 && o->takes_value))
                        a->config = value;
                else if (strcmp(o->name, "force") == 0 || strcmp(o->name, "f") == 0)
                        a->force = true;
        }
        if (!a->id && strict)
                return pal_err_set(err, -EINVAL, "%s: no container ID given", cmd);
        if (!a->id)
                a->cmd = RUNTIME_CMD_OTHER;
        return 0;
}

int runtime_args_parse(int argc, char *const *argv, struct runtime_args *a, struct pal_err *err)
{
        bool unknown_global = false;
        const char *unknown = NULL;
        int i;

        *a = (struct runtime_args) { .cmd = RUNTIME_CMD_OTHER, .cmd_index = -1 };
        for (i = 1; i < argc; i++) {
                const char *arg = argv[i], *name, *value;
                const struct opt *o;
                size_t len;

                if (arg[0] != '-' || arg[1] == '\0')
                        break;
                name = opt_name(arg, &len, &value);
                o = find(global_opts, ARRAY_SIZE(global_opts), name, len);
                if (!o) {
                        /* Its arity is unknown: only a later create/run makes that matter. */
                        unknown_global = true;
                        unknown = arg;
                        continue;
                }
                if (strcmp(o->name, "rootless") == 0 && !value && i + 1 < argc && is_rootless_value(argv[i + 1]))
                        i++;
                else if (o->takes_value && !value)
                        i++;
        }
        if (i >= argc)
                return 0;
        if (unknown_global) {
                if (later_is_create(argc, argv, i))
                        return pal_err_set(err, -EINVAL, "unknown global option \"%s\" before create/run: palisade "
                                           "cannot tell whether it takes a value, so it refuses rather than "
                                           "start a container unguarded", unknown);
                return 0;
        }
        a->cmd_index = i;
        if (strcmp(argv[i], "create") == 0)
                a->cmd = RUNTIME_CMD_CREATE;
        else if (strcmp(argv[i], "run") == 0)
                a->cmd = RUNTIME_CMD_RUN;
        else if (strcmp(argv[i], "delete") == 0)
                a->cmd = RUNTIME_CMD_DELETE;
        else
                return 0;
        for (int k = 1; k < i; k++)
                if (strncmp(argv[k], "--root", 6) == 0 && (argv[k][6] == '=' || argv[k][6] == '\0'))
                        a->root = argv[k][6] == '=' ? argv[k] + 7 : (k + 1 < i ? argv[k + 1] : NULL);
        if (a->cmd == RUNTIME_CMD_DELETE)
                return parse_command_opts(argc, argv, a, delete_opts, ARRAY_SIZE(delete_opts), false, err);
        return parse_command_opts(argc, argv, a, create_opts, ARRAY_SIZE(create_opts), true, err);
}
