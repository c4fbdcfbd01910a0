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

/* The journal's timestamp: RFC 3339, UTC, milliseconds. */
void journal_time(char *buf, size_t size);

/*
 * Append one JSON object as a line to the journal at path: its directory
 * created (0700) if need be, the line written whole under a lock and
 * fsync'ed (lib/fileio.h append_line_durable). The audit guard's records and
 * the agent's decisions go through here.
 */
struct json;
int journal_write(const char *path, const struct json *line, struct pal_err *err);
/* The same in two steps, for a writer that changes root in between (the agent's workers). */
int journal_open(const char *path, struct pal_err *err);
int journal_write_fd(int fd, const char *path, const struct json *line, struct pal_err *err);
