/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ID spans and user namespace mappings: the plain data the policy, the
 * spec and the kernel helpers (idmapped mounts, shifted copies, ranges)
 * share, so that none of them needs the others' headers.
 */
#pragma once

#include <stdint.h>

/* A span of host IDs. */
struct id_span {
        uint32_t start, size;
};

/* One line of a uid_map or gid_map: container IDs [container_id, +size) are host IDs [host_id, +size). */
struct idmap {
        uint32_t container_id, host_id, size;
};
