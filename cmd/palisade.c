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
#include <unistd.h>
#include <linux/capability.h>

#include "agent/server.h"
#include "check/lint.h"
#include "guards/guard.h"
#include "guards/lifecycle.h"
#include "guards/specphase.h"
#include "lib/capname.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "lib/json.h"
#include "lib/nsmatch.h"
#include "lib/privs.h"
#include "seccomp/compile.h"
#include "seccomp/merge.h"

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

static const char *seccomp_word(int mode)
{
        return mode == PROC_SECCOMP_FILTER ? "filter" : mode == PROC_SECCOMP_STRICT ? "strict" :
               mode == PROC_SECCOMP_OFF ? "no" : mode == PROC_SECCOMP_DEAD ? "killed" : "?";
}

/* "host" for the identity map, "100000-165535" for one range, else the map itself. */
static void uid_range(const char *map, char *out, size_t size)
{
        unsigned long inside, outside, count;

        if (!map[0])
                snprintf(out, size, "?");
        else if (sscanf(map, "%lu %lu %lu", &inside, &outside, &count) == 3 && !strchr(map, ';') &&
                 inside == 0 && outside == 0 && count == 4294967295UL)
                snprintf(out, size, "host");
        else if (!strchr(map, ';') && sscanf(map, "%lu %lu %lu", &inside, &outside, &count) == 3 && count)
                snprintf(out, size, "%lu-%lu", outside, outside + count - 1);
        else
                snprintf(out, size, "%s", map);
}

static struct json *caps_json(uint64_t set)
{
        struct json *arr = json_new(JSON_ARRAY);

        if (arr && capname_json_append(arr, set) < 0) {
                json_free(arr);
                return NULL;
        }
        return arr;
}

/* The registry entry with what the kernel says of the process now. */
static struct json *entry_json(const struct registry_entry *e, bool live)
{
        _cleanup_json_ struct json *v = registry_entry_to_json(e);
        struct proc_facts f;
        struct pal_err err;
        struct json *sc;
        char uids[128];

        if (!v || json_set(v, "status", json_new_string(live ? "running" : "gone")) < 0)
                return NULL;
        if (!live || proc_facts(e->pid, &f, &err) < 0)
                return TAKE_PTR(v);
        uid_range(f.uid_map, uids, sizeof(uids));
        if (json_set(v, "uid_map", json_new_string(f.uid_map)) < 0 || json_set(v, "uids", json_new_string(uids)) < 0 ||
            json_set(v, "seccomp", (sc = json_new(JSON_OBJECT))) < 0 ||
            json_set(sc, "mode", json_new_string(seccomp_word(f.seccomp))) < 0 ||
            json_set(sc, "filters", json_new_int(f.seccomp_filters)) < 0 ||
            json_set(v, "capabilities", caps_json(f.cap_eff)) < 0)
                return NULL;
        return TAKE_PTR(v);
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
                        bool live = proc_is_running(entries[i].pid, entries[i].start_time);
                        if ((live || all) && json_append(arr, entry_json(&entries[i], live)) < 0) {
                                json_free(arr);
                                arr = NULL;
                        }
                }
                return print_json(arr);
        }
        printf("%-20s  %-36s  %8s  %-8s  %-15s  %-7s  %4s  %7s  %s\n", "CONTAINER", "AUDIT ID", "PID", "STATUS",
               "HOST UIDS", "SECCOMP", "CAPS", "DEVICES", "CREATED");
        for (size_t i = 0; i < n; i++) {
                const struct registry_entry *e = &entries[i];
                bool live = proc_is_running(e->pid, e->start_time);
                char when[32] = "?", uids[128] = "-", ncaps[8] = "-";
                const char *seccomp = "-";
                time_t t = (time_t) e->created;
                struct proc_facts f;
                struct tm tm;

                if (!live && !all)
                        continue;
                if (localtime_r(&t, &tm))
                        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
                if (live && proc_facts(e->pid, &f, &err) == 0) {
                        uid_range(f.uid_map, uids, sizeof(uids));
                        seccomp = seccomp_word(f.seccomp);
                        snprintf(ncaps, sizeof(ncaps), "%d", __builtin_popcountll(f.cap_eff));
                }
                /* Podman's 64-hex IDs: the first 20 characters are unique in practice. */
                printf("%-20.20s  %-36s  %8d  %-8s  %-15s  %-7s  %4s  %7zu  %s\n", e->id, e->audit_id, (int) e->pid,
                       live ? "running" : "gone", uids, seccomp, ncaps, e->n_devices, when);
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
                struct json *v = entry_json(&entries[idx], proc_is_running(entries[idx].pid, entries[idx].start_time));
                if (v && pid && json_set(v, "query_pid", json_new_int(pid)) < 0)
                        v = NULL;
                return print_json(v);
        }
        printf("%s\n", entries[idx].audit_id);
        return 0;
}

/* What palisade did: the entry, the kernel's view now, and the spec phase's changes as the bundle's record says. */
static int cmd_inspect(int argc, char **argv)
{
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_free_ struct registry_entry *entries = NULL;
        _cleanup_spec_ struct oci_spec *spec = NULL;
        _cleanup_json_ struct json *v = NULL;
        _cleanup_close_ int bundle_fd = -1;
        _cleanup_free_ char *record_text = NULL;
        _cleanup_json_ struct json *record = NULL;
        struct json *palisade_ann, *changes = NULL;
        struct pal_err err;
        size_t n, record_len;
        int idx = -1;

        if (argc != 2 || argv[1][0] == '-') {
                if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                        usage(stdout);
                        return 0;
                }
                fprintf(stderr, PROG " inspect: give one container ID (see " PROG " ps)\n");
                return 2;
        }
        if (load(&pol, &entries, &n, &err) < 0) {
                fprintf(stderr, PROG " inspect: %s\n", pal_err_oneline(&err));
                return 1;
        }
        for (size_t i = 0; i < n; i++)
                if (strcmp(entries[i].id, argv[1]) == 0)
                        idx = (int) i;
        if (idx < 0) {
                fprintf(stderr, PROG " inspect: no container \"%s\" is registered with palisade (see palisade ps)\n",
                        argv[1]);
                return 1;
        }
        v = entry_json(&entries[idx], proc_is_running(entries[idx].pid, entries[idx].start_time));
        if (!v || json_set(v, "palisade_annotations", (palisade_ann = json_new(JSON_OBJECT))) < 0)
                return print_json(NULL);
        /* The bundle is the container owner's: read it as untrusted, and say so. */
        bundle_fd = open(entries[idx].bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (bundle_fd < 0 || oci_spec_load(bundle_fd, &spec, &err) < 0) {
                if (bundle_fd < 0)
                        pal_err_sys(&err, errno, "bundle %s", entries[idx].bundle);
                if (json_set(v, "spec_error", json_new_string(pal_err_oneline(&err))) < 0)
                        return print_json(NULL);
                return print_json(TAKE_PTR(v));
        }
        for (size_t i = 0; i < spec->n_annotations; i++) {
                const struct oci_kv *kv = &spec->annotations[i];
                if (strncmp(kv->key, "io.palisade.", 12) == 0 &&
                    json_set(palisade_ann, kv->key, json_new_string(kv->value)) < 0)
                        return print_json(NULL);
        }
        /* The shim's record of its edits, beside config.json (oci/spec_record.h). */
        if (read_file_at(bundle_fd, "config.json" SPEC_RECORD_SUFFIX, SPEC_RECORD_MAX_BYTES, &record_text,
                         &record_len, &err) == 0 &&
            spec_record_parse(record_text, record_len, &record, &err) == 0)
                changes = json_clone(spec_record_changes(record));
        if (json_set(v, "spec_changes", changes ? changes : json_new(JSON_NULL)) < 0)
                return print_json(NULL);
        return print_json(TAKE_PTR(v));
}

/* Reclaim what dead containers left; also runs from a timer (contrib/). */
static int cmd_gc(int argc, char **argv)
{
        _cleanup_policy_ struct policy *pol = NULL;
        struct gc_result res;
        struct pal_err err;
        int r;

        if (argc > 1) {
                fprintf(stderr, PROG " gc: takes no arguments\n");
                return 2;
        }
        if (policy_load(guard_names, &pol, &err) < 0) {
                fprintf(stderr, PROG " gc: %s\n", pal_err_oneline(&err));
                return 1;
        }
        r = lifecycle_gc(pol, &res, &err);
        printf("released %zu dead container%s, removed %zu orphan claim%s and %zu orphan lease%s", res.containers,
               res.containers == 1 ? "" : "s", res.claims, res.claims == 1 ? "" : "s", res.leases,
               res.leases == 1 ? "" : "s");
        if (res.mounts)
                printf(", detached %zu orphan rootfs mount%s", res.mounts, res.mounts == 1 ? "" : "s");
        printf("\n");
        if (r < 0) {
                fprintf(stderr, PROG " gc: %s\n", pal_err_oneline(&err));
                return 1;
        }
        return 0;
}

/* systemd socket activation (sd_listen_fds(3)): fd 3 when LISTEN_PID is us. */
static int activated_socket(void)
{
        const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
        char self[24];

        snprintf(self, sizeof(self), "%d", (int) getpid());
        if (!pid || !fds || strcmp(pid, self) != 0 || strcmp(fds, "1") != 0)
                return -1;
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDS");
        unsetenv("LISTEN_FDNAMES");
        if (fcntl(3, F_SETFD, FD_CLOEXEC) < 0 || fcntl(3, F_SETFL, fcntl(3, F_GETFL) | O_NONBLOCK) < 0)
                return -1;
        return 3;
}

/*
 * What the agent and its workers use: read callers' memory and /proc
 * (ptrace), enter their mount namespace and root, mount, make and chown
 * nodes, take their fsuid, fsgid and groups, kill late workers.
 */
static const uint64_t agent_caps = CAPBIT(CAP_SYS_PTRACE) | CAPBIT(CAP_SYS_ADMIN) | CAPBIT(CAP_SYS_CHROOT) |
                                   CAPBIT(CAP_MKNOD) | CAPBIT(CAP_CHOWN) | CAPBIT(CAP_DAC_OVERRIDE) |
                                   CAPBIT(CAP_DAC_READ_SEARCH) | CAPBIT(CAP_FOWNER) | CAPBIT(CAP_SETUID) |
                                   CAPBIT(CAP_SETGID) | CAPBIT(CAP_KILL);

static int cmd_agent(int argc, char **argv)
{
        static const struct option opts[] = {
                { "socket", required_argument, NULL, 's' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_close_ int sock = -1;
        const char *path = NULL;
        struct pal_err err;
        int c;

        while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
                switch (c) {
                case 's':
                        path = optarg;
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        return 2;
                }
        }
        if (optind != argc) {
                fprintf(stderr, PROG " agent: takes no arguments besides --socket\n");
                return 2;
        }
        if (policy_load(guard_names, &pol, &err) < 0) {
                fprintf(stderr, PROG " agent: %s\n", pal_err_oneline(&err));
                return 1;
        }
        if (!path)
                path = pol->agent.socket;
        sock = activated_socket();
        if (sock < 0) {
                _cleanup_free_ char *dir = strdup(path);
                char *slash = dir ? strrchr(dir, '/') : NULL;

                if (slash && slash != dir) {
                        *slash = '\0';
                        if (mkdir_parents(dir, 0700, &err) < 0) {
                                fprintf(stderr, PROG " agent: %s\n", pal_err_oneline(&err));
                                return 1;
                        }
                }
                if ((sock = agent_listen(path, &err)) < 0) {
                        fprintf(stderr, PROG " agent: %s\n", pal_err_oneline(&err));
                        return 1;
                }
        }
        if (privs_keep_only(agent_caps, &err) < 0) {
                fprintf(stderr, PROG " agent: %s\n", pal_err_oneline(&err));
                return 1;
        }
        setvbuf(stderr, NULL, _IOLBF, 0);
        fprintf(stderr, PROG " agent: listening on %s (policy %s)\n", path, pol->source);
        if (agent_serve(pol, sock, stderr, &err) < 0) {
                fprintf(stderr, PROG " agent: %s\n", pal_err_oneline(&err));
                return 1;
        }
        return 0;
}

#define CHECK_EXIT_ERROR 5

static const char *operator_name(const char *path)
{
        return strcmp(path, OPERATOR_STDIN) == 0 ? OPERATOR_STDIN_NAME : path;
}

/* BUNDLE: the directory a relative root.path is below (PATH's own, or the one holding the file). */
static int load_spec(const char *path, struct oci_spec **spec, char **bundle, struct pal_err *err)
{
        _cleanup_close_ int dirfd = -1;
        _cleanup_free_ char *buf = NULL;
        const char *slash = strrchr(path, '/');
        size_t len;
        int r;

        /* "-": a config.json on standard input, its relative root.path from the working directory. */
        dirfd = strcmp(path, OPERATOR_STDIN) == 0 ? -1 : open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        *bundle = dirfd >= 0 ? strdup(path) : !slash ? strdup(".") : slash == path ? strdup("/")
                                                                                  : strndup(path, (size_t) (slash - path));
        if (!*bundle)
                return pal_err_set(err, -ENOMEM, "out of memory");
        if (dirfd >= 0)
                return oci_spec_load(dirfd, spec, err);
        if (strcmp(path, OPERATOR_STDIN) != 0 && errno != ENOTDIR)
                return pal_err_sys(err, errno, "%s", path);
        /* A config.json given directly (or "-"): the operator named it, so follow links. */
        r = read_operator_file(path, OCI_SPEC_MAX_BYTES, &buf, &len, err);
        if (r == 0)
                r = oci_spec_parse(buf, len, spec, err);
        return r < 0 ? pal_err_wrap(err, "%s", operator_name(path)) : 0;
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
        _cleanup_free_ char *bundle = NULL;
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
        if (load_spec(argv[optind], &spec, &bundle, &err) < 0) {
                fprintf(stderr, PROG " check: %s\n", pal_err_oneline(&err));
                return CHECK_EXIT_ERROR;
        }
        n = lint_bundle(spec, bundle, f);
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

/* palisade seccomp check|merge|export: the profile code, for an administrator. */
static int cmd_seccomp(int argc, char **argv)
{
        const char *sub = argc > 1 ? argv[1] : "", *files[2] = { NULL, NULL }, *format = "pfc";
        struct sc_target target = { 0 };
        _cleanup_sc_profile_ struct sc_profile a = { 0 }, b = { 0 }, merged = { 0 };
        struct pal_err err = { 0 };
        _cleanup_json_ struct json *out = NULL;
        _cleanup_free_ char *text = NULL;
        size_t n_files = 0, skipped = 0, skipped_b = 0;
        struct sc_loss loss;
        uint32_t arch = 0;

        for (int i = 2; i < argc; i++) {
                if ((strcmp(argv[i], "--arch") == 0 || strcmp(argv[i], "--format") == 0 ||
                     strcmp(argv[i], "--caps") == 0) && i + 1 < argc) {
                        const char *opt = argv[i++];
                        if (strcmp(opt, "--format") == 0)
                                format = argv[i];
                        else if (strcmp(opt, "--caps") == 0 && capname_parse_list(argv[i], &target.bounding, &err) < 0)
                                goto fail;
                        else if (strcmp(opt, "--arch") == 0 && sc_arch_parse(argv[i], &arch) < 0) {
                                fprintf(stderr, PROG " seccomp: unknown architecture \"%s\" (e.g. x86_64, x86, x32, "
                                        "aarch64)\n", argv[i]);
                                return 2;
                        }
                } else if ((argv[i][0] == '-' && strcmp(argv[i], OPERATOR_STDIN) != 0) || n_files == 2) {
                        fprintf(stderr, PROG " seccomp: unexpected argument \"%s\" (see " PROG " help)\n", argv[i]);
                        return 2;
                } else
                        files[n_files++] = argv[i];
        }
        if (strcmp(format, "bpf") != 0 && strcmp(format, "pfc") != 0) {
                fprintf(stderr, PROG " seccomp: --format is bpf or pfc, not \"%s\"\n", format);
                return 2;
        }
        target.native_arch = arch;
        if (n_files == 2 && strcmp(files[0], OPERATOR_STDIN) == 0 && strcmp(files[1], OPERATOR_STDIN) == 0) {
                fprintf(stderr, PROG " seccomp: standard input (\"-\") can be one of the profiles, not both\n");
                return 2;
        }
        if (n_files != (strcmp(sub, "merge") == 0 ? 2u : 1u) ||
            (strcmp(sub, "check") != 0 && strcmp(sub, "merge") != 0 && strcmp(sub, "export") != 0)) {
                fprintf(stderr, PROG " seccomp: usage: check FILE | merge A B | export FILE [--arch A] "
                        "[--format bpf|pfc]\n");
                return 2;
        }
        if (sc_profile_load_operator(files[0], &target, SC_UNKNOWN_SKIP, &a, &skipped, &err) < 0 ||
            sc_validate(&a, operator_name(files[0]), &err) < 0)
                goto fail;
        if (strcmp(sub, "check") == 0) {
                printf("%s: valid, %zu rules, default %s", operator_name(files[0]), a.n_rules, sc_action_name(a.default_action));
                if (skipped)
                        printf(", %zu syscall names libseccomp does not know left out", skipped);
                printf("\n");
                return 0;
        }
        if (strcmp(sub, "export") == 0)
                return sc_export(&a, operator_name(files[0]), arch, strcmp(format, "bpf") == 0 ? SC_EXPORT_BPF : SC_EXPORT_PFC,
                                 STDOUT_FILENO, &err) < 0 ? (fprintf(stderr, PROG ": %s\n", pal_err_oneline(&err)), 1) : 0;
        if (sc_profile_load_operator(files[1], &target, SC_UNKNOWN_SKIP, &b, &skipped_b, &err) < 0 ||
            sc_validate(&b, operator_name(files[1]), &err) < 0 || sc_merge(&a, &b, &merged, &loss, &err) < 0 ||
            sc_validate(&merged, "merged profile", &err) < 0)
                goto fail;
        if (loss.count) {
                char names[512];
                sc_loss_describe(&loss, names, sizeof(names));
                fprintf(stderr, PROG " seccomp: merged stricter than exact for %s (a denial made stricter where "
                        "libseccomp cannot say the exact one; allowed calls unchanged)\n", names);
        }
        if (!(out = sc_profile_to_json(&merged)) || json_dump(out, true, &text, NULL, &err) < 0) {
                fprintf(stderr, PROG " seccomp: out of memory\n");
                return 1;
        }
        printf("%s\n", text);
        return 0;
fail:
        fprintf(stderr, PROG " seccomp: %s\n", pal_err_oneline(&err));
        return 1;
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
