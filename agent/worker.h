/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One intercepted mknod/mknodat, in a forked worker of the agent: read the
 * call from the caller's memory and /proc (re-validating the notification
 * after every read), decide from the container's whitelist, make the node
 * (the worker enters the caller's mount namespace and root for that, having
 * read all it needs from the host's tree and opened the journal first),
 * answer, and record the decision in the journal.
 */
#pragma once

#include "lib/seccomp_notify.h"
#include "oci/policy.h"

enum worker_exit {
        WORKER_ANSWERED = 0,    /* the call has its answer */
        WORKER_UNANSWERED = 1,  /* failed before answering: the agent answers EPERM */
        WORKER_GONE = 2,        /* the caller went away: nothing to answer */
};

enum worker_exit agent_worker(const struct policy *pol, int listener, const char *container_id,
                              const struct snotify_req *req, FILE *log);
