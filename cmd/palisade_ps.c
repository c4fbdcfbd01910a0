/* SPDX-License-Identifier: GPL-2.0-or-later */
/* palisade ps, inspect and audit-id: views of the registry, with the kernel's view of each process. */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "guards/guard.h"
#include "lib/capname.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "lib/nsmatch.h"
#include "oci/spec_record.h"
#include "palisade.h"

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

int cmd_ps(int argc, char **argv)
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

int cmd_audit_id(int argc, char **argv)
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
int cmd_inspect(int argc, char **argv)
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
