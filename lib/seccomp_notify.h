/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's seccomp user-notification protocol (seccomp_unotify(2)) and
 * what a supervisor needs around it: receiving a listener fd that a runtime
 * sends over a unix socket (SCM_RIGHTS), reading a target's memory, and
 * re-validating a notification after every read of the target's state.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct snotify_req {
        uint64_t id;            /* cookie for ID_VALID and SEND */
        pid_t pid;              /* thread ID of the caller, in our pid namespace */
        int nr;                 /* system call number */
        uint32_t arch;          /* AUDIT_ARCH_* */
        uint64_t args[6];
};

/* One notification from a listener (-ENOENT: the caller went away meanwhile). */
int snotify_recv(int listener, struct snotify_req *req);

/* Is the notification still pending (its caller alive and waiting)? 0 yes, negative errno no. */
int snotify_id_valid(int listener, uint64_t id);

/*
 * Answer: the system call returns val (error 0), fails with -error, or,
 * with cont, runs in the kernel as if not intercepted.
 */
int snotify_respond(int listener, uint64_t id, int error, int64_t val, bool cont);

/* Is fd a seccomp listener (anon inode "seccomp notify")? */
bool snotify_is_listener(int fd);

/*
 * A NUL-terminated string of at most size-1 bytes from the target's memory
 * at addr (process_vm_readv, page by page). -ENAMETOOLONG when it does not
 * fit, -EFAULT for an unmapped address.
 */
int snotify_read_string(pid_t pid, uint64_t addr, char *buf, size_t size);

/*
 * One recvmsg on a unix socket: data into buf (size bytes), SCM_RIGHTS fds
 * (close-on-exec) into fds, at most max_fds; extra fds are closed. Returns
 * the bytes read (0 at EOF) or a negative errno.
 */
ssize_t unix_recv_fds(int sock, char *buf, size_t size, int *fds, size_t max_fds, size_t *n_fds);
