/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer: seccomp profiles (a spec's linux.seccomp is the container
 * owner's), read in both formats, merged with palisade's built-in profile
 * both ways, checked, compiled by libseccomp and written back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp/compile.h"
#include "seccomp/merge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sc_profile builtin;
static bool have_builtin;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct sc_target t = { .bounding = size & 1 ? ~UINT64_C(0) : 0, .native_arch = SCMP_ARCH_X86_64 };
        struct json *doc = NULL, *out;
        struct sc_profile p = { 0 }, m = { 0 };
        struct sc_loss loss;
        struct pal_err err;
        char *text = NULL;

        if (!have_builtin)
                have_builtin = sc_profile_load(SC_BUILTIN, &t, SC_UNKNOWN_SKIP, &builtin, NULL, &err) == 0;
        if (json_parse((const char *) data, size, &json_untrusted_limits, &doc, &err) < 0)
                return 0;
        if (sc_profile_from_json(doc, "fuzz", &t, size & 2 ? SC_UNKNOWN_REFUSE : SC_UNKNOWN_SKIP, &p, NULL, &err) == 0) {
                if (have_builtin && sc_merge(&builtin, &p, &m, &loss, &err) == 0) {
                        /* The merge is never weaker than either input. */
                        if (sc_check_at_least(&m, &builtin, &err) < 0 || sc_check_at_least(&m, &p, &err) < 0)
                                abort();
                        (void) sc_validate(&m, "merged", &err);
                        sc_profile_free(&m);
                }
                if ((out = sc_profile_to_json(&p))) {
                        (void) json_dump(out, false, &text, NULL, &err);
                        free(text);
                        json_free(out);
                }
                sc_profile_free(&p);
        }
        json_free(doc);
        return 0;
}
