/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cgroup v2 device programs (BPF_PROG_TYPE_CGROUP_DEVICE): generate one from
 * an ordered list of OCI device rules (the last rule that matches decides, as
 * runc and crun read them; nothing matches: denied), load it (the verifier's
 * log in the error when it refuses), and put it on a cgroup in place of the
 * runtime's (BPF_F_REPLACE), so the cgroup's access is exactly the rules.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "devrule.h"
#include "error.h"

struct devbpf_rule {
        bool allow;
        struct devrule rule;
};

#define DEVBPF_MAX_RULES 256

/* Generate and load; returns the program fd. */
int devbpf_load(const struct devbpf_rule *rules, size_t n, struct pal_err *err);

/*
 * Attach prog_fd to the cgroup dirfd (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI),
 * replacing the program already there if there is exactly one; more than
 * one is an error (palisade cannot tell which is the runtime's).
 */
int devbpf_install(int cgroup_fd, int prog_fd, struct pal_err *err);
