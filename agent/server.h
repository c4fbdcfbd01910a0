/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `palisade agent`: the seccomp notification supervisor. It accepts the
 * listener fds runtimes send to linux.seccomp.listenerPath and answers the
 * intercepted mknod/mknodat of every container on one event loop (epoll,
 * non-blocking). Each notification is handled by a forked worker with a
 * deadline, at most policy agent.per_container at once per container, so a
 * slow or hostile container cannot hold the others up; a worker past its
 * deadline is killed and the call fails with EPERM.
 */
#pragma once

#include "lib/error.h"
#include "oci/policy.h"

/* A unix socket listening at path (mode 0600; a stale socket file is replaced). */
int agent_listen(const char *path, struct pal_err *err);

/*
 * Serve on listen_fd until SIGTERM or SIGINT (returns 0). log gets one line
 * per connection and per failure.
 */
int agent_serve(const struct policy *pol, int listen_fd, FILE *log, struct pal_err *err);
