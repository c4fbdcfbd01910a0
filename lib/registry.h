/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The registry: what later phases and `palisade ps` need to know about each
 * live container, under STATE_DIR/containers/<id>/entry.json (atomic
 * writes). A container's directory is claimed with mkdir, so two creates of
 * one ID cannot both proceed; entries whose process is gone are stale and
 * reclaimed by the next claim or by `palisade gc` (registry_reap).
 * Leases, which the reap also collects, are lib/lease.h.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "proc.h"

struct registry_entry {
        char id[1025];
        char audit_id[37];
        pid_t pid;
        uint64_t start_time;
        int64_t created;        /* unix seconds */
        char bundle[4096];
        struct pal_ns ns[PAL_NS_MAX];
        size_t n_ns;
        char uid_map[128];      /* of its own user namespace: "0 100000 65536; ...", else "" */
        char gid_map[128];
        char devices[64][288];  /* granted: "c 10:229 rwm /dev/fuse" */
        size_t n_devices;
        char seccomp_profile[64];       /* policy profile merged in, "" if none */
        bool seccomp_seen;              /* poststart read the two below */
        int seccomp_mode;               /* /proc/PID/status Seccomp: PROC_SECCOMP_* */
        int seccomp_filters;            /* Seccomp_filters */
};

/* Open (creating) STATE_DIR and its subdirectories; returns a dirfd. */
int registry_open(const char *state_dir, bool create, struct pal_err *err);

/* Claim containers/<id>/; -EEXIST with a message if a live one holds it. */
int registry_claim(int regfd, const char *id, struct pal_err *err);
int registry_write(int regfd, const struct registry_entry *e, struct pal_err *err);
/* -ENOENT when the container has no entry. */
int registry_read(int regfd, const char *id, struct registry_entry *e, struct pal_err *err);
int registry_remove(int regfd, const char *id, struct pal_err *err);
/*
 * Hold containers/<id>/ for a stop (poststop, gc, a create reclaiming a dead
 * ID): a locked fd, closed to release. One stop at a time; the one that
 * waited gets -ENOENT once the first has removed the entry.
 */
int registry_lock(int regfd, const char *id, struct pal_err *err);

/* Every entry (complete ones only), sorted by creation time. */
int registry_list(int regfd, struct registry_entry **out, size_t *n, struct pal_err *err);

/* Is the container registered under id alive (or being created)? */
bool registry_is_live(int regfd, const char *id);

/*
 * Garbage: remove claims that never got an entry (a create that crashed,
 * older than the grace period) and leases whose holder is not live. Entries
 * of dead containers are left to the caller, who must run their guards' stop.
 */
int registry_reap(int regfd, size_t *claims, size_t *leases, struct pal_err *err);

/* Serialisation, shared with the journal and `palisade ps --json`. */
struct json;
struct json *registry_entry_to_json(const struct registry_entry *e);
int registry_entry_from_json(const struct json *v, struct registry_entry *e, struct pal_err *err);
