/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * palisade-runtime: a runtime shim. Called exactly as runc or crun would be;
 * on create/run it runs palisade's spec phase on the bundle's config.json,
 * then execs the real runtime with the same arguments. Every other command
 * is exec'd untouched, so output, exit code, signals and file descriptors
 * are the runtime's own. delete additionally releases what a container whose
 * poststop never ran still holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guards/lifecycle.h"
#include "guards/specphase.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "lib/stdiodev.h"
#include "oci/argv.h"

#define PROG "palisade-runtime"
#define LOOP_GUARD_ENV "PALISADE_RUNTIME_ACTIVE"

static bool is_self(const char *path)
{
        struct stat a, b;
        return stat(path, &a) == 0 && stat("/proc/self/exe", &b) == 0 && a.st_dev == b.st_dev &&
               a.st_ino == b.st_ino;
}

static bool executable(const char *path)
{
        struct stat st;
        return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* NAME or a path: a path is taken as is; a bare name is looked up in PATH, skipping ourselves. */
static int resolve(const char *name, char out[PATH_MAX], bool *found_self)
{
        const char *path = getenv("PATH");
        _cleanup_free_ char *copy = NULL;
        char *save = NULL;

        if (strchr(name, '/')) {
                if (!executable(name))
                        return -ENOENT;
                if (is_self(name)) {
                        *found_self = true;
                        return -ELOOP;
                }
                snprintf(out, PATH_MAX, "%s", name);
                return 0;
        }
        copy = strdup(path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (!copy)
                return -ENOMEM;
        for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
                if (snprintf(out, PATH_MAX, "%s/%s", *dir ? dir : ".", name) >= PATH_MAX || !executable(out))
                        continue;
                if (is_self(out)) {
                        *found_self = true;
                        continue;
                }
                return 0;
        }
        return -ENOENT;
}

static int find_runtime(const struct policy *pol, char out[PATH_MAX], struct pal_err *err)
{
        const char *env = getenv("PALISADE_RUNTIME");
        const char *want = env && *env ? env : pol && pol->runtime.path[0] ? pol->runtime.path : NULL;
        const char *from = env && *env ? "PALISADE_RUNTIME" : "policy runtime.path";
        bool self = false;
        int r;

        if (getenv(LOOP_GUARD_ENV))
                return pal_err_set(err, -ELOOP, "loop: the runtime palisade-runtime ran called palisade-runtime "
                                   "again (check PALISADE_RUNTIME and the policy's runtime.path)");
        if (want) {
                r = resolve(want, out, &self);
                if (self)
                        return pal_err_set(err, -ELOOP, "%s \"%s\" is palisade-runtime itself: name the real "
                                           "runtime (runc or crun)", from, want);
                if (r < 0)
                        return pal_err_set(err, r, "%s \"%s\": no such executable", from, want);
                return 0;
        }
        if (resolve("runc", out, &self) == 0 || resolve("crun", out, &self) == 0)
                return 0;
        return pal_err_set(err, -ENOENT, "no runtime found: neither runc nor crun is on PATH%s (set "
                           "PALISADE_RUNTIME or the policy's runtime.path)",
                           self ? " (other than palisade-runtime itself)" : "");
}

static int hook_path(const struct policy *pol, char out[PATH_MAX], struct pal_err *err)
{
        char self[PATH_MAX];
        ssize_t n;

        if (pol->runtime.hook[0]) {
                snprintf(out, PATH_MAX, "%s", pol->runtime.hook);
        } else {
                n = readlink("/proc/self/exe", self, sizeof(self) - 1);
                if (n < 0)
                        return pal_err_sys(err, errno, "/proc/self/exe");
                self[n] = '\0';
                snprintf(out, PATH_MAX, "%s/palisade-hook", dirname(self));
        }
        if (!executable(out))
                return pal_err_set(err, -ENOENT, "palisade-hook not found at %s (install it there or set the "
                                   "policy's runtime.hook)", out);
        return 0;
}

/*
 * The runtime fchowns its stdio to the container's root when the spec has a
 * user namespace: unless that root is the host's, no host device may be
 * among them. Mappings the parsed view lacks (added by the userns guard, or
 * a namespace joined by path) count as unprivileged.
 */
static bool root_unprivileged(const struct oci_spec *s)
{
        if (!oci_spec_namespace(s, "user"))
                return false;
        for (size_t i = 0; i < s->n_uid_mappings; i++)
                if (s->uid_mappings[i].container_id == 0 && s->uid_mappings[i].size > 0)
                        return s->uid_mappings[i].host_id != 0;
        return true;
}

/* The spec phase on the bundle's config.json, written back only if it changed. */
static int apply(const struct runtime_args *a, const struct policy *pol, struct pal_err *err)
{
        _cleanup_close_ int dir_fd = -1;
        _cleanup_free_ char *orig = NULL, *out = NULL, *cfg_copy = NULL, *old_record = NULL;
        _cleanup_spec_ struct oci_spec *spec = NULL;
        _cleanup_json_ struct json *record = NULL;
        const char *dir, *name, *label;
        char hook[PATH_MAX], env_buf[PATH_MAX + 32], bundle_abs[PATH_MAX];
        const char *env[2] = { NULL, NULL };
        struct pal_ctx ctx = { .registry_fd = -1, .proc = PROC_HANDLE_INIT };
        struct spec_phase_opts opts = { .inject_hooks = true };
        struct stat st;
        size_t len, out_len, old_record_len;
        int r;

        if (a->config) {
                /* crun --config FILE: relative to the working directory, as crun reads it. */
                char *slash;

                cfg_copy = strdup(a->config);
                if (!cfg_copy)
                        return pal_err_set(err, -ENOMEM, "out of memory");
                slash = strrchr(cfg_copy, '/');
                if (slash) {
                        *slash = '\0';
                        dir = *cfg_copy ? cfg_copy : "/";
                        name = slash + 1;
                } else {
                        dir = ".";
                        name = cfg_copy;
                }
                label = a->config;
        } else {
                dir = a->bundle ? a->bundle : ".";
                name = "config.json";
                label = "config.json";
        }
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return pal_err_sys(err, errno, "bundle %s", dir);
        r = read_file_at_stat(dir_fd, name, OCI_SPEC_MAX_BYTES, &orig, &len, &st, err);
        /* A reused bundle: start from the owner's spec, not from palisade's last output. */
        if (r == 0)
                r = spec_record_owner_spec(dir_fd, name, orig, len, &spec, &old_record, &old_record_len, err);
        if (r < 0)
                return pal_err_wrap(err, "%s", label);
        if ((r = hook_path(pol, hook, err)) < 0)
                return r;
        if (getenv("PALISADE_CONFIG")) {
                /* The hook must judge by the same policy as the shim; it takes an absolute path only. */
                char policy_abs[PATH_MAX];
                const char *policy = getenv("PALISADE_CONFIG");
                snprintf(env_buf, sizeof(env_buf), "PALISADE_CONFIG=%s",
                         realpath(policy, policy_abs) ? policy_abs : policy);
                env[0] = env_buf;
        }
        opts.hook_path = hook;
        opts.hook_env = env;
        opts.record = &record;
        /* Only for config.json in its bundle: the hook reads config.json from there. */
        if (!a->config && realpath(dir, bundle_abs))
                opts.hook_bundle = bundle_abs;
        ctx.id = a->id;
        ctx.bundle = dir;
        ctx.stage = "create";
        ctx.policy = pol;
        ctx.spec = spec;
        if ((r = spec_phase_run(&ctx, &opts, err)) < 0)
                return r;
        if (root_unprivileged(spec) && (r = stdio_privatize(err)) < 0) {
                composer_undo_spec(&ctx);
                return r;
        }
        if ((r = json_dump(spec->tree, true, &out, &out_len, err)) < 0) {
                composer_undo_spec(&ctx);
                return pal_err_wrap(err, "%s", label);
        }
        out[out_len++] = '\n';
        /* The record first: a config.json palisade wrote is never without it. */
        if ((r = spec_record_store(dir_fd, name, record, old_record, old_record_len, &st, err)) < 0) {
                composer_undo_spec(&ctx);
                return pal_err_wrap(err, "bundle %s", dir);
        }
        /* Guards' edits are idempotent: a retried create gets config.json back byte for byte. */
        if (out_len == len && memcmp(out, orig, len) == 0)
                return 0;
        r = write_file_atomic_owned(dir_fd, name, out, out_len, st.st_mode & 07777, st.st_uid, st.st_gid, err);
        if (r < 0) {
                /* The runtime will never see this spec: what the guards took for it goes too. */
                composer_undo_spec(&ctx);
                return pal_err_wrap(err, "bundle %s: cannot rewrite %s", dir, name);
        }
        return 0;
}

/* After a successful delete: release what a container whose poststop never ran holds. */
static int cleanup_after_delete(const struct runtime_args *a, const struct policy *pol, struct pal_err *err)
{
        struct pal_ctx ctx = { .registry_fd = -1, .proc = PROC_HANDLE_INIT };
        int r;

        ctx.id = a->id;
        ctx.stage = "delete";
        ctx.policy = pol;
        r = lifecycle_stop(&ctx, err);
        pal_closep(&ctx.registry_fd);
        return r;
}

static int run_and_wait(const char *runtime, char **argv)
{
        pid_t pid = fork();
        int status;

        if (pid < 0)
                return -errno;
        if (pid == 0) {
                execv(runtime, argv);
                fprintf(stderr, PROG ": exec %s: %s\n", runtime, strerror(errno));
                _exit(127);
        }
        /* The runtime gets the terminal's signals itself; we only wait. */
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        return status;
}

static int fail(const char *id, struct pal_err *err)
{
        if (id)
                fprintf(stderr, PROG ": container %s: %s\n", id, pal_err_oneline(err));
        else
                fprintf(stderr, PROG ": %s\n", pal_err_oneline(err));
        return 1;
}

int main(int argc, char **argv)
{
        _cleanup_policy_ struct policy *pol = NULL;
        struct runtime_args a;
        struct pal_err err = { 0 };
        char runtime[PATH_MAX];
        int r, status;

        r = runtime_args_parse(argc, argv, &a, &err);
        if (r < 0)
                return fail(NULL, &err);
        /* Passing through with PALISADE_RUNTIME set needs no policy at all. */
        if (a.cmd != RUNTIME_CMD_OTHER || !getenv("PALISADE_RUNTIME")) {
                r = policy_load(guard_names, &pol, &err);
                if (r < 0)
                        return fail(a.id, &err);
        }
        r = find_runtime(pol, runtime, &err);
        if (r < 0)
                return fail(a.id, &err);
        setenv(LOOP_GUARD_ENV, "1", 1);
        /* The runtime names itself by argv[0] in messages (and crun picks a mode by it). */
        argv[0] = strrchr(runtime, '/') ? strrchr(runtime, '/') + 1 : runtime;

        switch (a.cmd) {
        case RUNTIME_CMD_CREATE:
        case RUNTIME_CMD_RUN:
                r = apply(&a, pol, &err);
                if (r < 0)
                        return fail(a.id, &err);
                break;
        case RUNTIME_CMD_DELETE:
                status = run_and_wait(runtime, argv);
                if (status < 0) {
                        pal_err_sys(&err, status, "%s", runtime);
                        return fail(a.id, &err);
                }
                if (WIFSIGNALED(status)) {
                        signal(WTERMSIG(status), SIG_DFL);
                        raise(WTERMSIG(status));
                        return 128 + WTERMSIG(status);
                }
                if (WEXITSTATUS(status) != 0)
                        return WEXITSTATUS(status);
                if (cleanup_after_delete(&a, pol, &err) < 0)
                        return fail(a.id, &err);
                return 0;
        case RUNTIME_CMD_OTHER:
                /* exec: the container's user namespace is not known here, so assume one. */
                if (a.cmd_index >= 0 && strcmp(argv[a.cmd_index], "exec") == 0 && stdio_privatize(&err) < 0)
                        return fail(NULL, &err);
                break;
        }
        execv(runtime, argv);
        pal_err_sys(&err, errno, "exec %s", runtime);
        return fail(a.id, &err);
}
