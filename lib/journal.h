/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The journal: JSON lines appended durably, shared by the audit guard and the agent. */
#pragma once

#include <stddef.h>

#include "error.h"

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
