/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The audit guard: a 128-bit audit container ID per container, registered
 * with the Linux audit system (user-space AUDIT_VIRT_CONTROL records, as
 * libvirt writes them, so ausearch finds and renders them) together with
 * the init PID and every namespace, and appended to a journal that survives
 * audit being unavailable. The kernel's proposed AUDIT_CONTAINER_* numbers
 * were never merged and are taken by other records: never use them.
 */
#include <errno.h>
#include <libaudit.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "audit_record.h"
#include "guard.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "lib/journal.h"
#include "lib/json.h"
#include "lib/lease.h"
#include "lib/privs.h"

#define LEASE_KIND "audit-id"

static const char *const audit_annotations[] = { AUDIT_ID_ANNOTATION, NULL };

static const char *annotation(const struct pal_ctx *ctx)
{
        const char *v = NULL;

        if (ctx->spec)
                v = oci_annotation(ctx->spec->annotations, ctx->spec->n_annotations, AUDIT_ID_ANNOTATION);
        if (!v && ctx->state)
                v = oci_annotation(ctx->state->annotations, ctx->state->n_annotations, AUDIT_ID_ANNOTATION);
        return v;
}

/* Where the ID comes from: the orchestrator's annotation, else libuuid. */
static int choose_audit_id(const struct pal_ctx *ctx, char out[37], struct pal_err *err)
{
        const char *given = annotation(ctx);
        uuid_t u;

        if (given) {
                if (!ctx->policy->audit.accept_annotation)
                        return pal_err_set(err, -EPERM, "config.json: annotations[\"" AUDIT_ID_ANNOTATION "\"]: "
                                           "policy %s sets audit.accept_annotation to false", ctx->policy->source);
                return audit_id_parse(given, out, err) < 0 ? pal_err_wrap(err, "config.json") : 0;
        }
        uuid_generate_random(u);
        uuid_unparse_lower(u, out);
        return 0;
}

static int journal_append(const struct pal_ctx *ctx, const struct audit_event *ev, const char *audit_status,
                          struct pal_err *err)
{
        _cleanup_json_ struct json *line = NULL;
        struct json *entry;
        char when[40];

        journal_time(when, sizeof(when));
        entry = registry_entry_to_json(ev->entry);
        line = json_new(JSON_OBJECT);
        if (!line || json_set(line, "time", json_new_string(when)) < 0 ||
            json_set(line, "event", json_new_string(ev->op)) < 0 ||
            json_set(line, "stage", json_new_string(ctx->stage)) < 0 ||
            json_set(line, "result", json_new_string(ev->success ? "success" : "failed")) < 0 ||
            json_set(line, "reason", json_new_string(ev->reason)) < 0 ||
            (ev->error && json_set(line, "error", json_new_string(ev->error)) < 0) ||
            json_set(line, "audit", json_new_string(audit_status)) < 0 ||
            json_set(line, "container", entry) < 0)
                return pal_err_set(err, -ENOMEM, "out of memory");
        return journal_write(ctx->policy->audit.journal, line, err);
}

/*
 * Ask the kernel whether audit is enabled and a daemon receives records.
 * Returns -1 when it cannot tell (no CAP_AUDIT_CONTROL): then just send.
 */
static int audit_status(int fd, bool *enabled, pid_t *daemon)
{
        struct audit_reply rep;

        if (audit_request_status(fd) <= 0)
                return -1;
        for (int tries = 0; tries < 8; tries++) {
                int r = audit_get_reply(fd, &rep, GET_REPLY_BLOCKING, 0);
                if (r <= 0)
                        return -1;
                if (rep.type == AUDIT_GET && rep.status) {
                        *enabled = rep.status->enabled != 0;
                        *daemon = (pid_t) rep.status->pid;
                        return 0;
                }
        }
        return -1;
}

/*
 * Send one record. Returns 0 when an audit daemon will have it, else a
 * negative errno with *status saying why, for the journal.
 */
static int audit_send(int type, const char *msg, bool success, char *status, size_t size)
{
        int fd = audit_open();
        bool enabled = true;
        pid_t daemon = 1;
        int r;

        if (fd < 0) {
                snprintf(status, size, "unavailable: audit_open: %s", strerror(errno));
                return -errno;
        }
        if (audit_status(fd, &enabled, &daemon) == 0 && (!enabled || daemon == 0)) {
                audit_close(fd);
                snprintf(status, size, "unavailable: %s", !enabled ? "audit is disabled (auditctl -e 0)"
                                                                    : "no audit daemon is running");
                return -ENOSYS;
        }
        r = audit_log_user_message(fd, type, msg, NULL, NULL, NULL, success ? 1 : 0);
        r = r <= 0 ? -errno : 0;
        audit_close(fd);
        /* The kernel refuses a user record with EPERM to a sender without CAP_AUDIT_WRITE: say so. */
        if (r == -EPERM && !privs_effective(CAP_AUDIT_WRITE))
                snprintf(status, size, "unavailable: without CAP_AUDIT_WRITE: %s", strerror(-r));
        else if (r < 0)
                snprintf(status, size, "unavailable: %s", strerror(-r));
        else
                snprintf(status, size, "sent");
        return r;
}

/* Record an event everywhere; fails when the journal, or a required audit, fails. */
static int record(const struct pal_ctx *ctx, const struct audit_event *ev, struct pal_err *err)
{
        _cleanup_free_ char *msg = NULL;
        struct pal_err refusal = { 0 };
        struct audit_event refused;
        char status[160];
        int audit_r, r;

        if (audit_format(ev, &msg) < 0)
                return pal_err_set(err, -ENOMEM, "out of memory");
        audit_r = audit_send(AUDIT_VIRT_CONTROL, msg, ev->success, status, sizeof(status));
        /* One resource record per device granted to a container that starts. */
        for (size_t i = 0; audit_r == 0 && ev->success && strcmp(ev->op, "start") == 0 && i < ctx->n_devices; i++) {
                _cleanup_free_ char *res = NULL;
                if (audit_format_device(ev->entry, &ctx->devices[i], &res) < 0)
                        return pal_err_set(err, -ENOMEM, "out of memory");
                audit_r = audit_send(AUDIT_VIRT_RESOURCE, res, true, status, sizeof(status));
        }
        if (audit_r < 0 && ctx->policy->audit.required) {
                pal_err_set(&refusal, audit_r, "audit system %s, and policy %s sets audit.required", status,
                            ctx->policy->source);
                /* The start does not happen: the journal must not say it did. */
                if (ev->success && strcmp(ev->op, "start") == 0) {
                        refused = *ev;
                        refused.success = false;
                        refused.reason = "refused";
                        refused.error = refusal.msg;
                        ev = &refused;
                }
        }
        r = journal_append(ctx, ev, status, err);
        if (r < 0)
                return r;
        if (refusal.code) {
                *err = refusal;
                return refusal.code;
        }
        return 0;
}

static int audit_spec(struct pal_ctx *ctx, struct pal_err *err)
{
        char id[37];
        const char *given = annotation(ctx);

        /* Refuse a bad ID before the runtime runs anything. */
        return given ? choose_audit_id(ctx, id, err) : 0;
}

static bool own_user_ns(const struct registry_entry *e)
{
        for (size_t i = 0; i < e->n_ns; i++)
                if (strcmp(e->ns[i].type, "user") == 0)
                        return e->ns[i].own;
        return false;
}

static int audit_create(struct pal_ctx *ctx, struct pal_err *err)
{
        struct registry_entry *e = &ctx->entry;
        struct audit_event ev = { .op = "start", .reason = "create", .entry = e, .success = true };
        struct pal_err lease_err;
        int r;

        if (ctx->refusal) {
                /* Another guard refused: record that, reserve nothing. */
                ev.success = false;
                ev.reason = "refused";
                ev.error = ctx->refusal->msg;
                return record(ctx, &ev, err);
        }
        r = choose_audit_id(ctx, e->audit_id, err);
        if (r == 0)
                r = proc_namespaces(&ctx->proc, e->ns, &e->n_ns, err);
        if (r == 0 && own_user_ns(e)) {
                /* Which host IDs it runs as: the journal shows no two live containers shared them. */
                proc_id_map(ctx->proc.procfd, "uid_map", e->uid_map, sizeof(e->uid_map));
                proc_id_map(ctx->proc.procfd, "gid_map", e->gid_map, sizeof(e->gid_map));
        }
        if (r == 0)
                r = lease_take(ctx->registry_fd, LEASE_KIND, e->audit_id, e->id, err);
        if (r < 0) {
                ev.success = false;
                ev.reason = "refused";
                ev.error = err->msg;
                (void) record(ctx, &ev, &lease_err);
                return r;
        }
        r = record(ctx, &ev, err);
        if (r < 0)
                (void) lease_release(ctx->registry_fd, LEASE_KIND, e->audit_id, e->id, &lease_err);
        return r;
}

/* Released by gc, or by a create of its ID, after it died without its poststop. */
static bool gone(const char *stage)
{
        return strcmp(stage, "gc") == 0 || strcmp(stage, "reclaim") == 0;
}

static int audit_stop(struct pal_ctx *ctx, struct pal_err *err)
{
        struct registry_entry *e = &ctx->entry;
        struct audit_event ev = {
                .op = "stop",
                .reason = ctx->rollback ? "failed-start" : gone(ctx->stage) ? "gone" : "exit",
                .entry = e,
                .success = true,
        };
        struct pal_err release_err;
        int r, rr;

        if (!e->audit_id[0])
                return 0;       /* never registered */
        r = record(ctx, &ev, err);
        /* Release whatever the record did: a lease must not outlive its container. */
        rr = lease_release(ctx->registry_fd, LEASE_KIND, e->audit_id, e->id, &release_err);
        if (r == 0 && rr < 0) {
                *err = release_err;
                r = rr;
        }
        return r;
}

const struct guard guard_audit = {
        .name = "audit",
        .annotations = audit_annotations,
        .spec = audit_spec,
        .create = audit_create,
        .stop = audit_stop,
        /* Send records; ask whether audit is on and a daemon listens. */
        .caps = {
                [PAL_PHASE_CREATE] = CAPBIT(CAP_AUDIT_WRITE) | CAPBIT(CAP_AUDIT_CONTROL),
                [PAL_PHASE_STOP] = CAPBIT(CAP_AUDIT_WRITE) | CAPBIT(CAP_AUDIT_CONTROL),
        },
};
