/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fd-based file helpers: bounded reads, atomic replaces, durable appends. */
#pragma once

#include <stddef.h>
#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* Read all of fd, refusing more than max bytes. *out is NUL-terminated. */
int read_fd_bounded(int fd, size_t max, char **out, size_t *out_len, struct pal_err *err);

/*
 * Read a regular file below dirfd without following a final symlink and
 * without blocking on a FIFO a container owner may have put there.
 */
int read_file_at(int dirfd, const char *name, size_t max, char **out, size_t *out_len,
                 struct pal_err *err);
/* The same, also returning the file's stat (mode and owner to keep on rewrite). */
struct stat;
int read_file_at_stat(int dirfd, const char *name, size_t max, char **out, size_t *out_len, struct stat *st,
                      struct pal_err *err);

/*
 * A path the operator typed on the command line (a profile to check, a spec
 * to lint): the operator's own, so symlinks are followed (/dev/stdin is one)
 * and "-" is standard input. Anything but a directory is read (a pipe, a
 * FIFO: the operator named it). Paths from a bundle or a spec never come
 * here: they go through read_file_at or open_bundle_path.
 */
#define OPERATOR_STDIN_NAME "standard input"
#define OPERATOR_STDIN "-"
/* An O_RDONLY|O_CLOEXEC fd, or a negative errno (the caller names the path). */
int open_operator_path(const char *path, struct pal_err *err);
/* Its whole content, refusing more than max bytes. *out is NUL-terminated. */
int read_operator_file(const char *path, size_t max, char **out, size_t *out_len, struct pal_err *err);

/* Replace dirfd/name atomically: temp file (O_EXCL), fsync, rename. */
int write_file_atomic(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
                      struct pal_err *err);
/* The same, owned by uid:gid. */
int write_file_atomic_owned(int dirfd, const char *name, const void *data, size_t len, mode_t mode, uid_t uid,
                            gid_t gid, struct pal_err *err);

/*
 * Append one line to path under an exclusive lock, fsync'ed; a short write
 * is rolled back so the file never holds a torn line.
 */
int append_line_durable(const char *path, const char *line, size_t len, struct pal_err *err);
/* The same on a file opened by open_append (path names it in messages). */
int open_append(const char *path, struct pal_err *err);
int append_line_durable_fd(int fd, const char *path, const char *line, size_t len, struct pal_err *err);

/* openat2(2) with O_CLOEXEC and the given RESOLVE_* flags; an fd or -1 with errno set. */
#include <stdint.h>
int openat2_resolve(int dirfd, const char *path, int flags, uint64_t resolve);

/*
 * A path a bundle's spec names (root.path, a bind's source), opened as the
 * runtime finds it: absolute from the host's root, relative below BUNDLE
 * without leaving it (RESOLVE_BENEATH: a symlink or ".." out of it fails with
 * EXDEV); magic links never followed. An fd or -1 with errno set (EINVAL: a
 * relative path and no BUNDLE).
 */
int open_bundle_path(const char *bundle, const char *path, int flags);

/* mkdir -p for trusted host paths (policy-given directories), mode 0700. */
int mkdir_parents(const char *path, mode_t mode, struct pal_err *err);

/* Open (creating if needed) a trusted host directory as O_PATH-free dirfd. */
int open_dir(const char *path, bool create, struct pal_err *err);
