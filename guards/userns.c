/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The userns guard: unprivileged containers with host ID ranges of their
 * own. Spec phase: decide the mode (policy userns.mode, annotation
 * io.palisade.userns), give a container without a user namespace one with a
 * range leased from the pool (lib/idrange.c), check a container's own
 * mappings against the pool and the host's ranges, and show the rootfs
 * through an idmapped mount under STATE_DIR/userns/<id>/rootfs (made private
 * so nothing propagates; guards/userns_shift.c), to which root.path is rewritten. Stop phase:
 * detach the mount, release the range. A range or mount whose container
 * died before it was registered is reclaimed by the next allocation and by
 * `palisade gc` (userns_gc, the guard's gc).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guard.h"
#include "lib/cleanup.h"
#include "lib/containerid.h"
#include "lib/idmount.h"
#include "lib/idrange.h"
#include "lib/json.h"
#include "lib/registry.h"
#include "oci/spec_edit.h"
#include "oci/state.h"
#include "specphase.h"
#include "userns_shift.h"

#define ANNOTATION_USERNS "io.palisade.userns"

/* What the spec phase changes is undone from the bundle's record (oci/spec_record.h), not from annotations. */
static const char *const userns_annotations[] = { ANNOTATION_USERNS, NULL };

static const char *annotation(const struct oci_spec *s, const char *key)
{
        return oci_annotation(s->annotations, s->n_annotations, key);
}

/* The mode for this container: policy's, moved by the annotation where policy lets it. */
static int effective_mode(const struct pal_ctx *ctx, enum userns_mode *mode, struct pal_err *err)
{
        const struct policy *pol = ctx->policy;
        const char *v = annotation(ctx->spec, ANNOTATION_USERNS);
        enum userns_mode want;

        *mode = pol->userns.mode;
        if (!v)
                return 0;
        if (userns_mode_parse(v, &want) < 0 || want == USERNS_REQUIRE)
                return pal_err_set(err, -EINVAL, "config.json: annotations[\"" ANNOTATION_USERNS "\"]: \"%.32s\" is "
                                   "not auto or keep", v);
        if (want == USERNS_AUTO) {
                /* A user namespace for a container that would get none: always allowed. */
                *mode = USERNS_AUTO;
                return 0;
        }
        if (pol->userns.mode == USERNS_AUTO && !pol->userns.annotation_may_loosen)
                return pal_err_set(err, -EPERM, "config.json: annotations[\"" ANNOTATION_USERNS "\"]: keep would run "
                                   "the container without a user namespace, which policy %s does not allow "
                                   "(userns.mode auto, userns.annotation_may_loosen false); remove the annotation",
                                   pol->source);
        if (pol->userns.mode == USERNS_AUTO)
                *mode = USERNS_KEEP;
        return 0;
}

static struct idrange_pool pool_of(const struct policy *pol)
{
        return (struct idrange_pool) { .start = pol->userns.pool_start, .size = pol->userns.range_size,
                                       .count = pol->userns.pool_count };
}

/* Host IDs no container may get: reserved spans and other users' subordinate IDs. */
static int excluded_spans(const struct policy *pol, bool gids, struct id_span *out, size_t *n, struct pal_err *err)
{
        *n = 0;
        for (size_t i = 0; i < pol->userns.n_reserved; i++)
                out[(*n)++] = pol->userns.reserved[i];
        return idrange_load_subid(gids ? pol->userns.subgid : pol->userns.subuid, pol->userns.subid_user, out,
                                  IDRANGE_MAX_EXCLUDED, n, err);
}

/* A container's own mappings: sane, and clear of the pool, the host's ranges and host root. */
static int check_own_maps(const struct pal_ctx *ctx, const char *key, const struct idmap *m, size_t n,
                          bool gids, struct pal_err *err)
{
        struct idrange_pool pool = pool_of(ctx->policy);
        struct id_span excl[IDRANGE_MAX_EXCLUDED];
        size_t n_excl;
        int r;

        if (n == 0)
                return pal_err_set(err, -EINVAL, "linux.%s: a user namespace needs at least one mapping (or leave "
                                   "the user namespace out and let userns.mode auto allocate a range)", key);
        if (n > IDMOUNT_MAX_MAPS)
                return pal_err_set(err, -EINVAL, "linux.%s: more than %d mappings", key, IDMOUNT_MAX_MAPS);
        if ((r = excluded_spans(ctx->policy, gids, excl, &n_excl, err)) < 0)
                return pal_err_wrap(err, "userns");
        for (size_t i = 0; i < n; i++) {
                struct id_span host = { m[i].host_id, m[i].size };

                if (m[i].size == 0)
                        return pal_err_set(err, -EINVAL, "linux.%s[%zu].size: 0 maps nothing; give the number of "
                                           "IDs to map", key, i);
                if ((uint64_t) m[i].host_id + m[i].size > (UINT64_C(1) << 32) ||
                    (uint64_t) m[i].container_id + m[i].size > (UINT64_C(1) << 32))
                        return pal_err_set(err, -EINVAL, "linux.%s[%zu]: containerID or hostID + size passes 2^32",
                                           key, i);
                if (id_span_overlap(host, idrange_pool_span(&pool)))
                        return pal_err_set(err, -EPERM, "linux.%s[%zu]: host IDs %" PRIu32 "-%" PRIu64 " overlap "
                                           "palisade's pool (userns.pool in policy %s), which belongs to other "
                                           "containers; map IDs outside it, or leave the mappings out", key, i,
                                           host.start, (uint64_t) host.start + host.size - 1, ctx->policy->source);
                for (size_t j = 0; j < n_excl; j++)
                        if (id_span_overlap(host, excl[j]))
                                return pal_err_set(err, -EPERM, "linux.%s[%zu]: host IDs %" PRIu32 "-%" PRIu64
                                                   " overlap the host's IDs %" PRIu32 "-%" PRIu64 " (userns.reserved, "
                                                   "or another user's entry in %s); map IDs no one else uses", key,
                                                   i, host.start, (uint64_t) host.start + host.size - 1,
                                                   excl[j].start, (uint64_t) excl[j].start + excl[j].size - 1,
                                                   gids ? ctx->policy->userns.subgid : ctx->policy->userns.subuid);
                for (size_t j = 0; j < i; j++)
                        if (id_span_overlap(host, (struct id_span) { m[j].host_id, m[j].size }))
                                return pal_err_set(err, -EINVAL, "linux.%s[%zu]: host IDs overlap those of "
                                                   "linux.%s[%zu]", key, i, key, j);
        }
        return 0;
}

static bool maps_id(const struct idmap *m, size_t n, uint32_t id)
{
        for (size_t i = 0; i < n; i++)
                if (id >= m[i].container_id && (uint64_t) id < (uint64_t) m[i].container_id + m[i].size)
                        return true;
        return false;
}

/* process.user must run as IDs the namespace maps, or the runtime fails obscurely. */
static int check_user(const struct oci_spec *s, const struct idmap *u, size_t nu, const struct idmap *g,
                      size_t ng, struct pal_err *err)
{
        struct json *gids = json_get(json_get(json_get(s->tree, "process"), "user"), "additionalGids");

        if (!s->has_process)
                return 0;
        if (!maps_id(u, nu, s->uid))
                return pal_err_set(err, -EINVAL, "process.user.uid: %" PRIu32 " is not mapped by the container's "
                                   "user namespace (linux.uidMappings)", s->uid);
        if (!maps_id(g, ng, s->gid))
                return pal_err_set(err, -EINVAL, "process.user.gid: %" PRIu32 " is not mapped by the container's "
                                   "user namespace (linux.gidMappings)", s->gid);
        for (size_t i = 0; gids && gids->type == JSON_ARRAY && i < gids->len; i++) {
                struct jpath p;
                uint32_t gid;
                jpath_init(&p);
                jpath_key(&p, "process.user.additionalGids");
                jpath_index(&p, i);
                if (json_as_u32(gids->items[i], &p, &gid, err) < 0)
                        return err->code;
                if (!maps_id(g, ng, gid))
                        return pal_err_set(err, -EINVAL, "process.user.additionalGids[%zu]: %" PRIu32 " is not "
                                           "mapped by the container's user namespace (linux.gidMappings)", i, gid);
        }
        return 0;
}

static struct json *idmap_json(uint32_t host, uint32_t size)
{
        _cleanup_json_ struct json *arr = json_new(JSON_ARRAY), *m = json_new(JSON_OBJECT);

        if (!arr || !m || json_set(m, "containerID", json_new_int(0)) < 0 ||
            json_set(m, "hostID", json_new_int(host)) < 0 || json_set(m, "size", json_new_int(size)) < 0 ||
            json_append(arr, TAKE_PTR(m)) < 0)
                return NULL;
        return TAKE_PTR(arr);
}

/* Give the spec a user namespace mapping container 0..size-1 to the range. */
static int add_userns(struct pal_ctx *ctx, struct id_span range, struct pal_err *err)
{
        struct json *lx = spec_child(ctx->spec->tree, "linux", JSON_OBJECT, err), *ns, *entry;
        struct oci_namespace *list;

        if (!lx)
                return pal_err_wrap(err, "config.json");
        if (!(ns = spec_child(lx, "namespaces", JSON_ARRAY, err)))
                return pal_err_wrap(err, "linux");
        if (!(entry = json_new(JSON_OBJECT)) || json_set(entry, "type", json_new_string("user")) < 0 ||
            json_append(ns, entry) < 0 || json_set(lx, "uidMappings", idmap_json(range.start, range.size)) < 0 ||
            json_set(lx, "gidMappings", idmap_json(range.start, range.size)) < 0)
                return pal_err_set(err, -ENOMEM, "out of memory");
        /* The parsed view too, for the guards after this one (caps: unprivileged). */
        list = realloc(ctx->spec->namespaces, (ctx->spec->n_namespaces + 1) * sizeof(*list));
        if (!list)
                return pal_err_set(err, -ENOMEM, "out of memory");
        ctx->spec->namespaces = list;
        list[ctx->spec->n_namespaces++] = (struct oci_namespace) { .type = "user" };
        return 0;
}

/* The process that keeps a spec-phase lease live until the container is registered. */
static pid_t lease_creator(void)
{
        /* palisade-runtime execs the runtime: the same PID, alive until the container is registered. */
        return getpid();
}

static int set_root(struct pal_ctx *ctx, const char *target, struct pal_err *err)
{
        struct json *root = json_get(ctx->spec->tree, "root");

        if (json_set(root, "path", json_new_string(target)) < 0)
                return pal_err_set(err, -ENOMEM, "out of memory");
        ctx->spec->root_path = json_get(root, "path")->str;
        return 0;
}

static int userns_spec(struct pal_ctx *ctx, struct pal_err *err)
{
        const struct policy *pol = ctx->policy;
        struct idrange_pool pool = pool_of(pol);
        struct id_span excl[2 * IDRANGE_MAX_EXCLUDED], gexcl[IDRANGE_MAX_EXCLUDED], range = { 0 };
        struct idmap mine = { 0 };
        const struct idmap *u, *g;
        const struct oci_namespace *ns;
        _cleanup_close_ int regfd = -1;
        char target[PATH_MAX], reclaimed[1100];
        size_t n_excl, n_gexcl, nu, ng;
        enum userns_mode mode;
        uint32_t slot = 0;
        bool leased = false, live;
        struct pal_err ignored;
        int r;

        if ((r = effective_mode(ctx, &mode, err)) < 0)
                return r;
        ns = oci_spec_namespace(ctx->spec, "user");
        if (ctx->stage && strcmp(ctx->stage, "precreate") == 0) {
                if ((!ns && mode == USERNS_KEEP) || (ns && ns->path))
                        return 0;
                /*
                 * Podman made the namespace (--userns, --uidmap) and shifts the
                 * rootfs itself: judge its mappings, lease and mount nothing.
                 */
                if (ns) {
                        r = check_own_maps(ctx, "uidMappings", ctx->spec->uid_mappings, ctx->spec->n_uid_mappings,
                                           false, err);
                        return r < 0 ? r : check_own_maps(ctx, "gidMappings", ctx->spec->gid_mappings,
                                                          ctx->spec->n_gid_mappings, true, err);
                }
                /* Leases and mounts are the container's by ID, and stop knows only the runtime's. */
                return pal_err_set(err, -ENOTSUP, "Podman's precreate hook does not give the container's ID, "
                                   "which the range and the rootfs mount are kept under; run Podman with --runtime "
                                   "palisade-runtime to shift this container");
        }
        regfd = registry_open(pol->state_dir, true, err);
        if (regfd < 0)
                return pal_err_wrap(err, "registry");
        if (registry_is_live(regfd, ctx->id))
                return pal_err_set(err, -EEXIST, "a live container is already registered under this ID");
        /* What an earlier create of this ID left, unless that create is still going on. */
        if (idrange_held(regfd, ctx->id, &slot, &live) == 0) {
                if (live)
                        return pal_err_set(err, -EBUSY, "another create of this ID is in progress (it holds host "
                                           "range %" PRIu32 " of userns.pool)", slot);
                (void) idrange_release(regfd, slot, ctx->id, &ignored);
        }
        (void) userns_remove_mount(ctx, ctx->id, &ignored);

        if (ns && ns->path)
                return 0;       /* joins an existing namespace: its mapping is not the spec's to shift by */
        if (!ns && mode == USERNS_REQUIRE)
                return pal_err_set(err, -EPERM, "linux.namespaces: no user namespace, so container root would be "
                                   "host root, and policy %s requires one (userns.mode require); add "
                                   "annotation " ANNOTATION_USERNS "=auto or a user namespace with mappings",
                                   pol->source);
        if (!ns && mode == USERNS_KEEP)
                return 0;
        if (ns) {
                if ((r = check_own_maps(ctx, "uidMappings", ctx->spec->uid_mappings, ctx->spec->n_uid_mappings,
                                        false, err)) < 0 ||
                    (r = check_own_maps(ctx, "gidMappings", ctx->spec->gid_mappings, ctx->spec->n_gid_mappings,
                                        true, err)) < 0)
                        return r;
                u = ctx->spec->uid_mappings;
                nu = ctx->spec->n_uid_mappings;
                g = ctx->spec->gid_mappings;
                ng = ctx->spec->n_gid_mappings;
        } else {
                /* A range clear of both the UID and the GID exclusions: one range serves both maps. */
                if ((r = excluded_spans(pol, false, excl, &n_excl, err)) < 0 ||
                    (r = excluded_spans(pol, true, gexcl, &n_gexcl, err)) < 0)
                        return pal_err_wrap(err, "userns");
                memcpy(excl + n_excl, gexcl, n_gexcl * sizeof(*gexcl));
                n_excl += n_gexcl;
                r = idrange_alloc(regfd, &pool, excl, n_excl, ctx->id, lease_creator(), &slot, reclaimed,
                                  sizeof(reclaimed), err);
                if (r < 0)
                        return pal_err_wrap(err, "userns.pool (policy %s)", pol->source);
                leased = true;
                userns_clean_dead(ctx, regfd, reclaimed);
                range = idrange_slot(&pool, slot);
                mine = (struct idmap) { .container_id = 0, .host_id = range.start, .size = range.size };
                u = g = &mine;
                nu = ng = 1;
        }
        if ((r = check_user(ctx->spec, u, nu, g, ng, err)) < 0)
                goto fail;
        if ((r = userns_shift_rootfs(ctx, regfd, u, nu, g, ng, target, err)) < 0)
                goto fail;
        if (leased && (r = add_userns(ctx, range, err)) < 0)
                goto fail_mounted;
        if ((r = set_root(ctx, target, err)) < 0)
                goto fail_mounted;
        return 0;
fail_mounted:
        (void) userns_remove_mount(ctx, ctx->id, &ignored);
fail:
        if (leased)
                (void) idrange_release(regfd, slot, ctx->id, &ignored);
        return r;
}

/* Without the spec phase nothing can be granted: refuse what policy would have changed. */
static int userns_create(struct pal_ctx *ctx, struct pal_err *err)
{
        enum userns_mode mode;
        int r;

        if (!ctx->spec || spec_phase_marked(ctx->spec))
                return 0;
        if ((r = effective_mode(ctx, &mode, err)) < 0)
                return r;
        if (mode != USERNS_KEEP && !oci_spec_namespace(ctx->spec, "user"))
                return pal_err_set(err, -EPERM, "linux.namespaces: no user namespace, and policy %s wants one "
                                   "(userns.mode %s), which only the spec phase can add: run through "
                                   "palisade-runtime or Podman's precreate hook", ctx->policy->source,
                                   userns_mode_name(mode));
        return 0;
}

static int release(const struct pal_ctx *ctx, int regfd, const char *id, struct pal_err *err)
{
        uint32_t slot;
        bool live;
        int r;

        if ((r = userns_remove_mount(ctx, id, err)) < 0)
                return r;
        if (idrange_held(regfd, id, &slot, &live) == 0 && (r = idrange_release(regfd, slot, id, err)) < 0)
                return r;
        return 0;
}

static int userns_stop(struct pal_ctx *ctx, struct pal_err *err)
{
        return release(ctx, ctx->registry_fd, ctx->id, err);
}

/*
 * The spec phase failed after userns_spec shifted this spec: its mount and
 * range go now, not at the next gc. No live container holds the ID (spec
 * checked), so what is under the ID is this create's.
 */
static int userns_undo(struct pal_ctx *ctx, struct pal_err *err)
{
        _cleanup_close_ int regfd = -1;
        char dir[PATH_MAX], target[PATH_MAX];

        userns_mount_paths(ctx, ctx->id, dir, target);
        if (!ctx->spec->root_path || strcmp(ctx->spec->root_path, target) != 0)
                return 0;       /* not shifted by this phase */
        regfd = registry_open(ctx->policy->state_dir, false, err);
        if (regfd < 0)
                return pal_err_wrap(err, "registry");
        return release(ctx, regfd, ctx->id, err);
}

/*
 * Release the idmapped mounts and ID ranges of containers that died before
 * they were registered (a runtime killed mid-create): those whose container
 * is not live and whose range lease, if any, is not live either.
 */
static int userns_gc(const struct policy *policy, int regfd, struct gc_result *res, struct pal_err *err)
{
        size_t *released = &res->mounts;
        struct pal_ctx ctx = { .policy = policy, .registry_fd = regfd, .stage = "gc" };
        char top[PATH_MAX];
        struct dirent *de;
        int fd, r = 0;
        DIR *d;

        *released = 0;
        snprintf(top, sizeof(top), "%s/" USERNS_DIR, policy->state_dir);
        fd = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : pal_err_sys(err, errno, "%s", top);
        if (!(d = fdopendir(fd))) {
                close(fd);
                return pal_err_sys(err, errno, "%s", top);
        }
        while ((de = readdir(d))) {
                uint32_t slot;
                bool live = false;

                if (!containerid_valid(de->d_name) || registry_is_live(regfd, de->d_name) ||
                    (idrange_held(regfd, de->d_name, &slot, &live) == 0 && live))
                        continue;
                ctx.id = de->d_name;
                if ((r = release(&ctx, regfd, de->d_name, err)) < 0)
                        break;
                (*released)++;
        }
        closedir(d);
        return r;
}

const struct guard guard_userns = {
        .name = "userns",
        .annotations = userns_annotations,
        .spec = userns_spec,
        .create = userns_create,
        .stop = userns_stop,
        .undo = userns_undo,
        .gc = userns_gc,
        /* Spec: nothing in precreate (it refuses to shift). Stop: unmount, the state directory. */
        .caps = {
                [PAL_PHASE_STOP] = CAPBIT(CAP_SYS_ADMIN) | CAPBIT(CAP_DAC_OVERRIDE),
        },
};
