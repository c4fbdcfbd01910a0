/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * palisade-hook: the OCI hook. Reads the container state on stdin, loads the
 * bundle's config.json and the host policy, and runs the composer for the
 * stage. Any refusal: one line on stderr, exit status 1 (fail closed).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guards/lifecycle.h"
#include "guards/specphase.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "lib/privs.h"
#include "lib/trusted_path.h"
#include "oci/spec_edit.h"

#define PROG "palisade-hook"

static const struct {
        const char *stage;
        enum pal_phase phase;
} stages[] = {
        { "prestart", PAL_PHASE_CREATE },
        { "createRuntime", PAL_PHASE_CREATE },
        { "poststart", PAL_PHASE_START },
        { "poststop", PAL_PHASE_STOP },
};

static void usage(FILE *out)
{
        fprintf(out,
                "Usage: " PROG " [STAGE] < STATE\n"
                "       " PROG " precreate < CONFIG > CONFIG\n"
                "\n"
                "OCI runtime hook of palisade. The runtime passes the container state on\n"
                "standard input; palisade assigns the container an audit container ID,\n"
                "records it with the Linux audit system and in its journal, and keeps a\n"
                "registry entry under the policy's state_dir until the container stops.\n"
                "\n"
                "STAGE is one of precreate, prestart, createRuntime, poststart, poststop.\n"
                "Without it, the stage follows from standard input: a config (precreate) or\n"
                "the state's status (creating/created: createRuntime, running: poststart,\n"
                "stopped: poststop). Register it for createRuntime (or\n"
                "prestart, not both) and poststop; see contrib/ for runc, crun and Podman.\n"
                "\n"
                "precreate (Podman's hooks.d extension) reads a proposed config.json on\n"
                "stdin and prints it with palisade's spec phase applied, as\n"
                "palisade-runtime does on create.\n"
                "\n"
                "Options:\n"
                "  --bundle=DIR   the bundle, for a runtime whose state says \"/\" instead\n"
                "                 (crun before 1.17 with a user namespace and devices);\n"
                "                 palisade-runtime passes it\n"
                "  -h, --help     show this help\n"
                "  -V, --version  show the version\n"
                "\n"
                "Environment:\n"
                "  PALISADE_CONFIG  policy file (default " POLICY_DEFAULT_PATH ",\n"
                "                   else the embedded default)\n"
                "\n"
                "Exit status: 0 on success, 1 when palisade refuses the container or fails,\n"
                "2 on a usage error.\n");
}

/*
 * Whoever wrote the hook entry chose its environment, and a bundle's owner
 * can write one: the policy a hook runs under must be root's (see README,
 * "Who chooses the policy").
 */
static int trusted_policy(const char *bundle, struct pal_err *err)
{
        const char *path = getenv("PALISADE_CONFIG");

        if (!path || !*path)
                return 0;
        if (path_root_controlled(path, bundle, err) < 0)
                return pal_err_wrap(err, "PALISADE_CONFIG %s: refused as the policy", path);
        return 0;
}

/*
 * Podman's precreate: the proposed config.json on stdin, the edited one on
 * stdout. The same spec phase as palisade-runtime's, without registering
 * hooks: the hooks.d file registers createRuntime and poststop itself.
 */
static int precreate(const char *input, size_t len)
{
        _cleanup_policy_ struct policy *policy = NULL;
        _cleanup_spec_ struct oci_spec *spec = NULL;
        _cleanup_free_ char *out = NULL;
        struct pal_ctx ctx = { .registry_fd = -1, .proc = PROC_HANDLE_INIT, .stage = "precreate" };
        struct spec_phase_opts opts = { .inject_hooks = false };
        struct pal_err err = { 0 };
        size_t out_len;
        char id[65];
        int r;

        r = oci_spec_parse(input, len, &spec, &err);
        if (r < 0) {
                fprintf(stderr, PROG ": precreate: config.json on stdin: %s\n", pal_err_oneline(&err));
                return 1;
        }
        /* Podman gives no container ID here; its hostname is the short ID. */
        snprintf(id, sizeof(id), "%.64s",
                 json_get(spec->tree, "hostname") ? json_get(spec->tree, "hostname")->str : "(precreate)");
        ctx.id = id;
        if ((r = trusted_policy(NULL, &err)) == 0 && (r = policy_load(guard_names, &policy, &err)) == 0 &&
            (r = privs_keep_only(composer_caps(policy, PAL_PHASE_SPEC), &err)) == 0) {
                ctx.policy = policy;
                ctx.spec = spec;
                r = spec_phase_run(&ctx, &opts, &err);
        }
        if (r < 0 && ctx.policy) {
                /*
                 * Podman would drop our stderr: hand the unedited config on with
                 * the refusal, and createRuntime refuses with it, audited.
                 */
                struct pal_err why = err;
                oci_spec_free(TAKE_PTR(spec));
                r = oci_spec_parse(input, len, &spec, &err);
                if (r == 0)
                        r = spec_set_annotation(spec, SPEC_REFUSED_ANNOTATION, pal_err_oneline(&why), &err);
        }
        if (r == 0)
                r = json_dump(spec->tree, false, &out, &out_len, &err);
        if (r < 0) {
                fprintf(stderr, PROG ": container %s: precreate: %s\n", ctx.id, pal_err_oneline(&err));
                return 1;
        }
        if (fwrite(out, 1, out_len, stdout) != out_len || fflush(stdout) != 0) {
                fprintf(stderr, PROG ": precreate: writing the config to stdout: %s\n", strerror(errno));
                return 1;
        }
        return 0;
}

/*
 * Without a STAGE argument, stdin tells: a state has "status", the config
 * Podman's precreate passes has none. So one hooks.d entry serves every stage.
 */
static bool looks_like_config(const char *input, size_t len)
{
        _cleanup_json_ struct json *v = NULL;
        struct pal_err ignored;

        return json_parse(input, len, &json_untrusted_limits, &v, &ignored) == 0 && v->type == JSON_OBJECT &&
               !json_get(v, "status") && (json_get(v, "root") || json_get(v, "process"));
}

static int stage_from_status(const char *status, const char **stage)
{
        if (strcmp(status, "creating") == 0 || strcmp(status, "created") == 0)
                *stage = "createRuntime";
        else if (strcmp(status, "running") == 0)
                *stage = "poststart";
        else if (strcmp(status, "stopped") == 0)
                *stage = "poststop";
        else
                return -EINVAL;
        return 0;
}

int main(int argc, char **argv)
{
        static const struct option opts[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { "bundle", required_argument, NULL, 'b' },
                { 0 },
        };
        _cleanup_state_ struct oci_state *state = NULL;
        _cleanup_spec_ struct oci_spec *spec = NULL;
        _cleanup_policy_ struct policy *policy = NULL;
        _cleanup_free_ char *input = NULL;
        _cleanup_close_ int bundle_fd = -1;
        struct pal_ctx ctx = { .registry_fd = -1, .proc = PROC_HANDLE_INIT };
        struct pal_err err = { 0 }, spec_err = { 0 };
        enum pal_phase phase = PAL_PHASE_CREATE;
        const char *stage = NULL, *bundle_hint = NULL;
        size_t len;
        bool known = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
                switch (c) {
                case 'h':
                        usage(stdout);
                        return 0;
                case 'V':
                        printf(PROG " " PALISADE_VERSION "\n");
                        return 0;
                case 'b':
                        bundle_hint = optarg;
                        break;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (argc - optind > 1) {
                fprintf(stderr, PROG ": expected at most one STAGE argument (see --help)\n");
                return 2;
        }
        stage = optind < argc ? argv[optind] : NULL;

        r = read_fd_bounded(STDIN_FILENO, OCI_SPEC_MAX_BYTES, &input, &len, &err);
        if (r == 0 && ((stage && strcmp(stage, "precreate") == 0) || (!stage && looks_like_config(input, len))))
                return precreate(input, len);
        if (r == 0 && len > OCI_STATE_MAX_BYTES)
                r = pal_err_set(&err, -EFBIG, "larger than %u bytes", OCI_STATE_MAX_BYTES);
        if (r == 0)
                r = oci_state_parse(input, len, &state, &err);
        if (r < 0) {
                fprintf(stderr, PROG ": state on stdin: %s\n", pal_err_oneline(&err));
                return 1;
        }
        if (!stage && stage_from_status(state->status, &stage) < 0) {
                fprintf(stderr, PROG ": container %s: state on stdin: status: cannot infer stage\n", state->id);
                return 2;
        }
        for (size_t i = 0; i < ARRAY_SIZE(stages); i++)
                if (strcmp(stages[i].stage, stage) == 0) {
                        phase = stages[i].phase;
                        known = true;
                }
        if (!known) {
                fprintf(stderr, PROG ": container %s: unsupported stage \"%s\" (expected precreate, prestart, "
                        "createRuntime, poststart or poststop)\n", state->id, stage);
                return 2;
        }

        /*
         * crun before 1.17 gives createRuntime the working directory it has
         * moved to, "/", as the bundle (crun#2025); never a real bundle.
         */
        if (bundle_hint && strcmp(state->bundle, "/") == 0)
                state->bundle = bundle_hint;
        r = trusted_policy(strcmp(state->bundle, "/") != 0 ? state->bundle : NULL, &err);
        if (r == 0)
                r = policy_load(guard_names, &policy, &err);
        if (r == 0)
                r = privs_keep_only(composer_caps(policy, phase), &err);
        if (r < 0) {
                fprintf(stderr, PROG ": container %s: %s\n", state->id, pal_err_oneline(&err));
                return 1;
        }
        bundle_fd = open(state->bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (bundle_fd < 0)
                pal_err_sys(&spec_err, errno, "bundle %s", state->bundle);
        else
                (void) oci_spec_load(bundle_fd, &spec, &spec_err);

        ctx.id = state->id;
        ctx.stage = stage;
        ctx.policy = policy;
        ctx.state = state;
        ctx.spec = spec;
        switch (phase) {
        case PAL_PHASE_CREATE:
                if (spec)
                        r = lifecycle_create(&ctx, &err);
                else
                        r = (err = spec_err, err.code);
                break;
        case PAL_PHASE_START:
                r = spec ? lifecycle_start(&ctx, &err) : (err = spec_err, err.code);
                break;
        default:
                /* Release even when the bundle is gone or broken. */
                r = lifecycle_stop(&ctx, &err);
                break;
        }
        proc_close(&ctx.proc);
        pal_closep(&ctx.registry_fd);
        if (r < 0) {
                fprintf(stderr, PROG ": container %s: %s\n", state->id, pal_err_oneline(&err));
                return 1;
        }
        return 0;
}
