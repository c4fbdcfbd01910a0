/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * palisade: the operator's tool. main and the dispatch; one file per
 * subcommand (cmd/palisade_*.c, as crun's src/ does) and the helpers they share.
 */
#include <stdio.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "oci/policy.h"
#include "palisade.h"
#include "seccomp/profile.h"

void usage(FILE *out)
{
        fprintf(out,
                "Usage: " PROG " COMMAND [OPTIONS]\n"
                "\n"
                "Commands:\n"
                "  ps [--json] [--all]          list containers registered with palisade\n"
                "  audit-id PID [--json]        print the audit container ID of a process\n"
                "  audit-id --container ID      print the audit container ID of a container\n"
                "  inspect ID                   everything palisade did to a container, as JSON\n"
                "  check [--json] BUNDLE|FILE   lint a spec (a bundle directory or a config.json)\n"
                "  gc                           release what containers that died without poststop left\n"
                "  seccomp check FILE           validate a seccomp profile (Docker/moby or OCI format)\n"
                "  seccomp merge A B            print the OCI profile never weaker than A or B\n"
                "  seccomp export FILE [--arch ARCH] [--format bpf|pfc]\n"
                "                               the compiled filter (libseccomp), for inspection\n"
                "  agent [--socket PATH]        serve the seccomp notifications of the agent guard's containers\n"
                "                               (foreground; socket from policy agent.socket, or systemd's)\n"
                "  help                         show this help\n"
                "\n"
                "ps shows live containers with what the kernel says confines them now: the\n"
                "host UIDs of their user namespace, seccomp mode, effective capabilities.\n"
                "--all adds entries whose process is gone (left by a runtime that died\n"
                "before poststop; the next create of that ID reclaims them). audit-id finds a process's container by its namespaces, also when\n"
                "the process has unshared pid or user namespaces of its own inside it.\n"
                "\n"
                "check reports what an operator should know before running a spec: no user\n"
                "namespace, dangerous capabilities, no seccomp filter, broad device rules,\n"
                "host namespaces, writable /sys or /proc/sys, noNewPrivileges off, paths\n"
                "Docker masks left visible, a rootfs whose dev is a symbolic link. Each\n"
                "finding has a severity, the key path, why it matters and how to fix it.\n"
                "\n"
                "seccomp FILE is a path, \"-\" (standard input) or \"" SC_BUILTIN "\" (palisade's default\n"
                "profile); check's FILE may be \"-\" too.\n"
                "Docker-format profiles are resolved for this machine's architecture (or\n"
                "--arch) and the capabilities given with --caps LIST (default: none), as\n"
                "Docker and Podman resolve them for a container.\n"
                "\n"
                "Environment:\n"
                "  PALISADE_CONFIG  policy file (default " POLICY_DEFAULT_PATH ")\n"
                "\n"
                "Exit status: 0 on success, 1 on failure or when nothing matches, 2 on a\n"
                "usage error. check: the worst severity found (0 none, 1 low, 2 medium,\n"
                "3 high, 4 critical), 5 when the spec cannot be read.\n");
}

int print_json(struct json *v)
{
        _cleanup_json_ struct json *owned = v;
        _cleanup_free_ char *text = NULL;
        struct pal_err err;

        if (!v || json_dump(v, true, &text, NULL, &err) < 0) {
                fprintf(stderr, PROG ": cannot format JSON\n");
                return 1;
        }
        puts(text);
        return 0;
}

const char *operator_name(const char *path)
{
        return strcmp(path, OPERATOR_STDIN) == 0 ? OPERATOR_STDIN_NAME : path;
}

int main(int argc, char **argv)
{
        const char *cmd = argc > 1 ? argv[1] : NULL;

        if (!cmd) {
                usage(stderr);
                return 2;
        }
        if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
                usage(stdout);
                return 0;
        }
        if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
                printf(PROG " " PALISADE_VERSION "\n");
                return 0;
        }
        if (strcmp(cmd, "ps") == 0)
                return cmd_ps(argc - 1, argv + 1);
        if (strcmp(cmd, "audit-id") == 0)
                return cmd_audit_id(argc - 1, argv + 1);
        if (strcmp(cmd, "check") == 0)
                return cmd_check(argc - 1, argv + 1);
        if (strcmp(cmd, "inspect") == 0)
                return cmd_inspect(argc - 1, argv + 1);
        if (strcmp(cmd, "gc") == 0)
                return cmd_gc(argc - 1, argv + 1);
        if (strcmp(cmd, "seccomp") == 0)
                return cmd_seccomp(argc - 1, argv + 1);
        if (strcmp(cmd, "agent") == 0)
                return cmd_agent(argc - 1, argv + 1);
        fprintf(stderr, PROG ": unknown command \"%s\" (see " PROG " help)\n", cmd);
        return 2;
}
