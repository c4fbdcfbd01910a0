/* SPDX-License-Identifier: GPL-2.0-or-later */
/* palisade seccomp check|merge|export: the profile code, for an administrator. */
#include <stdio.h>
#include <string.h>

#include "lib/capname.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "palisade.h"
#include "seccomp/compile.h"
#include "seccomp/merge.h"

/* palisade seccomp check|merge|export: the profile code, for an administrator. */
int cmd_seccomp(int argc, char **argv)
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
