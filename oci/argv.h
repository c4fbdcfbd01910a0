/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command-line grammar of runc and crun, as far as the shim must read it:
 * global options, the command, and for create/run the bundle, the config
 * file (crun's --config) and the container ID. Pure: argv in, struct out.
 */
#pragma once

#include <stdbool.h>

#include "lib/error.h"

enum runtime_cmd {
        RUNTIME_CMD_OTHER,      /* pass through untouched */
        RUNTIME_CMD_CREATE,
        RUNTIME_CMD_RUN,
        RUNTIME_CMD_DELETE,
};

struct runtime_args {
        enum runtime_cmd cmd;
        int cmd_index;          /* argv index of the command, -1 if none */
        const char *root;       /* --root, or NULL */
        const char *bundle;     /* create/run: --bundle/-b, or NULL (cwd) */
        const char *config;     /* create/run: crun --config/-f, or NULL */
        const char *id;         /* create/run/delete: the container ID */
        bool force;             /* delete --force/-f */
};

/*
 * Parse argv. Returns 0 with cmd OTHER for anything the shim passes through
 * (unknown commands, --help, --version, no command at all). Refuses (-EINVAL,
 * fail closed) only when a create/run cannot be read with certainty: an
 * unknown option whose arity is unknown, a missing container ID.
 */
int runtime_args_parse(int argc, char *const *argv, struct runtime_args *out, struct pal_err *err);
