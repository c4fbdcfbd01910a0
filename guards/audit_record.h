/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Audit record text, kept pure so it can be unit-tested. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "lib/error.h"
#include "lib/registry.h"

#define AUDIT_ID_ANNOTATION "io.palisade.audit-id"

struct audit_event {
        const char *op;         /* "start" or "stop" */
        const char *reason;     /* create, refused, exit, failed-start */
        const char *error;      /* refusal message, or NULL */
        const struct registry_entry *entry;
        bool success;
};

/*
 * Format the AUDIT_VIRT_CONTROL body, libvirt style:
 *   virt=palisade op=start reason=create vm="ID" uuid=AUDIT-ID vm-pid=PID
 *   init-pid=PID pid-ns=INODE ns=TYPE:DEV:INO,...
 * libaudit appends exe=, hostname=, addr=, terminal= and res=.
 */
int audit_format(const struct audit_event *ev, char **out);

/*
 * One AUDIT_VIRT_RESOURCE body per device granted, in libvirt's form for
 * cgroup device rules:
 *   virt=palisade resrc=cgroup reason=allow vm="ID" uuid=AUDIT-ID class=path
 *   path=/dev/fuse rdev=0A:E5 acl=rwm
 * (class=major with category=c|b and maj=NN for a rule without a node).
 */
struct pal_device;
int audit_format_device(const struct registry_entry *e, const struct pal_device *d, char **out);

/* Parse and normalise (lower case) an audit container ID; refuses the nil UUID. */
int audit_id_parse(const char *text, char out[37], struct pal_err *err);
