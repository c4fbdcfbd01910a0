/* SPDX-License-Identifier: GPL-2.0-or-later */
/* palisade: the operator's tool. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hooks/guard.h"
#include "hooks/lint.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "lib/nsmatch.h"
#include "oci/json.h"

#define PROG "palisade"

static void usage(FILE *out)
{
        fprintf(out,
                "Usage: " PROG " COMMAND [OPTIONS]\n"
                "\n"
                "Commands:\n"
                "  ps [--json] [--all]          list containers registered with palisade\n"
                "  audit-id PID [--json]        print the audit container ID of a process\n"
                "  audit-id --container ID      print the audit container ID of a container\n"
                "  check [--json] BUNDLE|FILE   lint a spec (a bundle directory or a config.json)\n"
                "  help                         show this help\n"
                "\n"
                "ps shows live containers; --all adds entries whose process is gone (left by\n"
                "a runtime that died before poststop; the next create of that ID reclaims\n"
                "them). audit-id finds a process's container by its namespaces, also when\n"
                "the process has unshared pid or user namespaces of its own inside it.\n"
                "\n"
                "check reports what an operator should know before running a spec: no user\n"
                "namespace, dangerous capabilities, no seccomp filter, broad device rules,\n"
                "host namespaces, writable /sys or /proc/sys, noNewPrivileges off, paths\n"
                "Docker masks left visible. Each finding has a severity, the key path, why\n"
                "it matters and how to fix it.\n"
                "\n"
                "Environment:\n"
                "  PALISADE_CONFIG  policy file (default " POLICY_DEFAULT_PATH ")\n"
                "\n"
                "Exit status: 0 on success, 1 on failure or when nothing matches, 2 on a\n"
                "usage error. check: the worst severity found (0 none, 1 low, 2 medium,\n"
                "3 high, 4 critical), 5 when the spec cannot be read.\n");
}

static int load(struct policy **pol, struct registry_entry **entries, size_t *n, struct pal_err *err)
{
        _cleanup_close_ int regfd = -1;
        int r;

        *entries = NULL;
        *n = 0;
        if ((r = policy_load(guard_names, pol, err)) < 0)
                return r;
        regfd = registry_open((*pol)->state_dir, false, err);
        if (regfd == -ENOENT)
                return 0;
        if (regfd < 0)
                return pal_err_wrap(err, "registry");
        return registry_list(regfd, entries, n, err);
}

static int print_json(struct json *v)
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

static struct json *entry_json(const struct registry_entry *e, bool live)
{
        struct json *v = registry_entry_to_json(e);
        if (v && json_set(v, "status", json_new_string(live ? "running" : "gone")) < 0)
                return NULL;
        return v;
}

static int cmd_ps(int argc, char **argv)
{
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "all", no_argument, NULL, 'a' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_free_ struct registry_entry *entries = NULL;
        struct pal_err err;
        bool json = false, all = false;
        size_t n;
        int c;

        while ((c = getopt_long(argc, argv, "ajh", opts, NULL)) != -1) {
                if (c == 'j')
                        json = true;
                else if (c == 'a')
                        all = true;
                else if (c == 'h') {
                        usage(stdout);
                        return 0;
                } else
                        return 2;
        }
        if (optind != argc) {
                fprintf(stderr, PROG " ps: unexpected argument \"%s\"\n", argv[optind]);
                return 2;
        }
        if (load(&pol, &entries, &n, &err) < 0) {
                fprintf(stderr, PROG " ps: %s\n", pal_err_oneline(&err));
                return 1;
        }
        if (json) {
                struct json *arr = json_new(JSON_ARRAY);
                for (size_t i = 0; arr && i < n; i++) {
                        bool live = proc_is_alive(entries[i].pid, entries[i].start_time);
                        if ((live || all) && json_append(arr, entry_json(&entries[i], live)) < 0) {
                                json_free(arr);
                                arr = NULL;
                        }
                }
                return print_json(arr);
        }
        printf("%-20s  %-36s  %8s  %-8s  %-20s  %s\n", "CONTAINER", "AUDIT ID", "PID", "STATUS", "CREATED",
               "BUNDLE");
        for (size_t i = 0; i < n; i++) {
                const struct registry_entry *e = &entries[i];
                bool live = proc_is_alive(e->pid, e->start_time);
                char when[32] = "?";
                time_t t = (time_t) e->created;
                struct tm tm;

                if (!live && !all)
                        continue;
                if (localtime_r(&t, &tm))
                        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
                /* Podman's 64-hex IDs: the first 20 characters are unique in practice. */
                printf("%-20.20s  %-36s  %8d  %-8s  %-20s  %s\n", e->id, e->audit_id, (int) e->pid,
                       live ? "running" : "gone", when, e->bundle);
        }
        return 0;
}

static int cmd_audit_id(int argc, char **argv)
{
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "container", required_argument, NULL, 'c' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_free_ struct registry_entry *entries = NULL;
        const char *container = NULL;
        struct pal_err err;
        bool json = false;
        long pid = 0;
        size_t n;
        int c, idx = -ENOENT;

        while ((c = getopt_long(argc, argv, "jc:h", opts, NULL)) != -1) {
                if (c == 'j')
                        json = true;
                else if (c == 'c')
                        container = optarg;
                else if (c == 'h') {
                        usage(stdout);
                        return 0;
                } else
                        return 2;
        }
        if (!!container == (optind < argc) || argc - optind > 1) {
                fprintf(stderr, PROG " audit-id: give one PID or --container ID (see " PROG " help)\n");
                return 2;
        }
        if (!container) {
                char *end;
                errno = 0;
                pid = strtol(argv[optind], &end, 10);
                if (errno || *end || end == argv[optind] || pid <= 0 || pid > INT_MAX) {
                        fprintf(stderr, PROG " audit-id: \"%s\" is not a process ID\n", argv[optind]);
                        return 2;
                }
        }
        if (load(&pol, &entries, &n, &err) < 0) {
                fprintf(stderr, PROG " audit-id: %s\n", pal_err_oneline(&err));
                return 1;
        }
        if (container) {
                for (size_t i = 0; i < n; i++)
                        if (strcmp(entries[i].id, container) == 0)
                                idx = (int) i;
                if (idx < 0)
                        pal_err_set(&err, -ENOENT, "no container \"%s\" is registered with palisade "
                                    "(see palisade ps)", container);
        } else {
                idx = nsmatch_find((pid_t) pid, entries, n, &err);
        }
        if (idx < 0) {
                fprintf(stderr, PROG " audit-id: %s\n", pal_err_oneline(&err));
                return 1;
        }
        if (json) {
                struct json *v = entry_json(&entries[idx], proc_is_alive(entries[idx].pid, entries[idx].start_time));
                if (v && pid && json_set(v, "query_pid", json_new_int(pid)) < 0)
                        v = NULL;
                return print_json(v);
        }
        printf("%s\n", entries[idx].audit_id);
        return 0;
}

#define CHECK_EXIT_ERROR 5

static int load_spec(const char *path, struct oci_spec **spec, struct pal_err *err)
{
        _cleanup_close_ int dirfd = -1;
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd >= 0)
                return oci_spec_load(dirfd, spec, err);
        if (errno != ENOTDIR)
                return pal_err_sys(err, errno, "%s", path);
        /* A config.json given directly: the user named it, so follow links. */
        r = read_file_at(AT_FDCWD, path, OCI_SPEC_MAX_BYTES, &buf, &len, err);
        if (r == -ELOOP) {
                _cleanup_free_ char *real = realpath(path, NULL);
                if (real)
                        r = read_file_at(AT_FDCWD, real, OCI_SPEC_MAX_BYTES, &buf, &len, err);
        }
        if (r == 0)
                r = oci_spec_parse(buf, len, spec, err);
        return r < 0 ? pal_err_wrap(err, "%s", path) : 0;
}

static void upper(const char *in, char *out, size_t size)
{
        size_t i;
        for (i = 0; in[i] && i + 1 < size; i++)
                out[i] = (char) toupper((unsigned char) in[i]);
        out[i] = '\0';
}

static int cmd_check(int argc, char **argv)
{
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        _cleanup_spec_ struct oci_spec *spec = NULL;
        struct finding f[LINT_MAX_FINDINGS];
        size_t count[SEVERITY_CRITICAL + 1] = { 0 };
        struct pal_err err;
        bool json = false;
        enum severity worst;
        size_t n;
        int c;

        while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
                if (c == 'j')
                        json = true;
                else if (c == 'h') {
                        usage(stdout);
                        return 0;
                } else
                        return CHECK_EXIT_ERROR;
        }
        if (argc - optind != 1) {
                fprintf(stderr, PROG " check: give one bundle directory or config.json (see " PROG " help)\n");
                return CHECK_EXIT_ERROR;
        }
        if (load_spec(argv[optind], &spec, &err) < 0) {
                fprintf(stderr, PROG " check: %s\n", pal_err_oneline(&err));
                return CHECK_EXIT_ERROR;
        }
        n = lint_spec(spec, f);
        worst = lint_worst(f, n);
        if (json) {
                struct json *arr = json_new(JSON_ARRAY);
                for (size_t i = 0; arr && i < n; i++) {
                        struct json *o = json_new(JSON_OBJECT);
                        if (!o || json_set(o, "severity", json_new_string(severity_name(f[i].severity))) < 0 ||
                            json_set(o, "path", json_new_string(f[i].path)) < 0 ||
                            json_set(o, "finding", json_new_string(f[i].what)) < 0 ||
                            json_set(o, "why", json_new_string(f[i].why)) < 0 ||
                            json_set(o, "fix", json_new_string(f[i].fix)) < 0 || json_append(arr, o) < 0) {
                                json_free(arr);
                                arr = NULL;
                        }
                }
                if (print_json(arr) != 0)
                        return CHECK_EXIT_ERROR;
                return (int) worst;
        }
        for (size_t i = 0; i < n; i++) {
                char sev[16];
                upper(severity_name(f[i].severity), sev, sizeof(sev));
                printf("%-8s  %-28s  %s\n", sev, f[i].path, f[i].what);
                printf("%-8s  %-28s  why: %s\n", "", "", f[i].why);
                printf("%-8s  %-28s  fix: %s\n", "", "", f[i].fix);
                count[f[i].severity]++;
        }
        if (!n) {
                printf("no findings\n");
                return 0;
        }
        printf("%zu finding%s: %zu critical, %zu high, %zu medium, %zu low\n", n, n == 1 ? "" : "s",
               count[SEVERITY_CRITICAL], count[SEVERITY_HIGH], count[SEVERITY_MEDIUM], count[SEVERITY_LOW]);
        return (int) worst;
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
        fprintf(stderr, PROG ": unknown command \"%s\" (see " PROG " help)\n", cmd);
        return 2;
}
