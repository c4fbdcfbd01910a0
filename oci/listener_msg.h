/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The message an OCI runtime sends to linux.seccomp.listenerPath (runtime
 * spec, config-linux.md, "The Container Process State"): JSON with
 * ociVersion, fds (the names of the fds passed with SCM_RIGHTS, in order;
 * "seccompFd" is the listener), pid (the process the filter is on), metadata
 * (linux.seccomp.listenerMetadata) and state (the container's OCI state).
 * Pure: buffer in, struct out.
 */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "lib/json.h"

#define LISTENER_MSG_MAX_BYTES (64u * 1024)
#define LISTENER_MSG_MAX_FDS 16

struct listener_msg {
        struct json *tree;              /* owns the strings */
        const char *oci_version;
        size_t n_fds;                   /* names in "fds" */
        size_t seccomp_fd;              /* index of "seccompFd" in fds */
        pid_t pid;
        const char *metadata;           /* "" when absent */
        const char *id;                 /* state.id */
        const char *status;             /* state.status */
        pid_t state_pid;                /* state.pid, 0 when absent */
};

int listener_msg_parse(const char *buf, size_t len, struct listener_msg *out, struct pal_err *err);
void listener_msg_release(struct listener_msg *m);
