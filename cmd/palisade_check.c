/* SPDX-License-Identifier: GPL-2.0-or-later */
/* palisade check: lint a bundle's config.json (check/lint.h). */
#include <ctype.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "check/lint.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "palisade.h"

#define CHECK_EXIT_ERROR 5

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

int cmd_check(int argc, char **argv)
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
