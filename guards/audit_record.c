/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "audit_record.h"
#include "guard.h"
#include "lib/cleanup.h"

int audit_format(const struct audit_event *ev, char **out)
{
        const struct registry_entry *e = ev->entry;
        _cleanup_free_ char *vm = NULL, *error = NULL;
        char ns[PAL_NS_MAX * 48] = "", pidns[32] = "";
        size_t used = 0;

        for (size_t i = 0; i < e->n_ns; i++) {
                int n = snprintf(ns + used, sizeof(ns) - used, "%s%s:%" PRIu64 ":%" PRIu64, used ? "," : "",
                                 e->ns[i].type, e->ns[i].dev, e->ns[i].ino);
                if (n < 0 || (size_t) n >= sizeof(ns) - used)
                        break;
                used += (size_t) n;
                if (strcmp(e->ns[i].type, "pid") == 0)
                        snprintf(pidns, sizeof(pidns), "%" PRIu64, e->ns[i].ino);
        }
        /* Quotes or hex-encodes values with spaces, as ausearch -i expects. */
        vm = audit_encode_nv_string("vm", e->id, 0);
        if (!vm)
                return -ENOMEM;
        if (ev->error && !(error = audit_encode_nv_string("error", ev->error, 0)))
                return -ENOMEM;
        if (asprintf(out, "virt=palisade op=%s reason=%s %s uuid=%s vm-pid=%d init-pid=%d pid-ns=%s ns=%s%s%s",
                     ev->op, ev->reason, vm, e->audit_id[0] ? e->audit_id : "?", (int) e->pid, (int) e->pid,
                     pidns[0] ? pidns : "?", used ? ns : "?", error ? " " : "", error ? error : "") < 0)
                return -ENOMEM;
        return 0;
}

int audit_id_parse(const char *text, char out[37], struct pal_err *err)
{
        uuid_t u;

        if (strlen(text) != 36 || uuid_parse(text, u) < 0)
                return pal_err_set(err, -EINVAL, "annotations[\"" AUDIT_ID_ANNOTATION "\"]: \"%.64s\" is not a UUID "
                                   "(expected 8-4-4-4-12 hex digits)", text);
        if (uuid_is_null(u))
                return pal_err_set(err, -EINVAL, "annotations[\"" AUDIT_ID_ANNOTATION "\"]: the nil UUID "
                                   "cannot identify a container");
        uuid_unparse_lower(u, out);
        return 0;
}

int audit_format_device(const struct registry_entry *e, const struct pal_device *d, char **out)
{
        _cleanup_free_ char *vm = audit_encode_nv_string("vm", e->id, 0);
        _cleanup_free_ char *path = NULL;
        char rdev[32];

        if (!vm)
                return -ENOMEM;
        if (d->rule.minor == DEVRULE_ANY)
                snprintf(rdev, sizeof(rdev), "%02llX:*", (unsigned long long) d->rule.major);
        else
                snprintf(rdev, sizeof(rdev), "%02llX:%02llX", (unsigned long long) d->rule.major,
                         (unsigned long long) d->rule.minor);
        if (d->path[0]) {
                if (!(path = audit_encode_nv_string("path", d->path, 0)))
                        return -ENOMEM;
                if (asprintf(out, "virt=palisade resrc=cgroup reason=allow %s uuid=%s class=path %s rdev=%s acl=%s", vm,
                             e->audit_id, path, rdev, d->rule.access) < 0)
                        return -ENOMEM;
                return 0;
        }
        if (asprintf(out, "virt=palisade resrc=cgroup reason=allow %s uuid=%s class=major category=%c maj=%02llX acl=%s",
                     vm, e->audit_id, d->rule.type, (unsigned long long) d->rule.major, d->rule.access) < 0)
                return -ENOMEM;
        return 0;
}
