/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "lib/cleanup.h"

#define CACHE_DIR "seccomp"

/* FNV-1a, 64 bits, from two offsets: a name, not a proof (see cache.h). */
static uint64_t fnv1a(const char *text, size_t len, uint64_t h)
{
        for (size_t i = 0; i < len; i++) {
                h ^= (unsigned char) text[i];
                h *= UINT64_C(0x100000001b3);
        }
        return h;
}

static void entry_name(const char *text, size_t len, char out[64])
{
        const struct scmp_version *v = seccomp_version();

        snprintf(out, 64, "%u.%u.%u-%016llx%016llx", v->major, v->minor, v->micro,
                 (unsigned long long) fnv1a(text, len, UINT64_C(0xcbf29ce484222325)),
                 (unsigned long long) fnv1a(text, len, UINT64_C(0x84222325cbf29ce4)));
}

bool sc_cache_has(int state_fd, const char *text, size_t len)
{
        char name[64], path[80];
        struct stat st;

        entry_name(text, len, name);
        snprintf(path, sizeof(path), CACHE_DIR "/%s", name);
        return fstatat(state_fd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

void sc_cache_add(int state_fd, const char *text, size_t len)
{
        char name[64], path[80];
        int fd;

        entry_name(text, len, name);
        (void) mkdirat(state_fd, CACHE_DIR, 0700);
        snprintf(path, sizeof(path), CACHE_DIR "/%s", name);
        fd = openat(state_fd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0)
                close(fd);
}

size_t sc_cache_clear(int state_fd)
{
        int fd = openat(state_fd, CACHE_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        _cleanup_closedir_ DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        size_t n = 0;

        if (!d) {
                if (fd >= 0)
                        close(fd);
                return 0;
        }
        for (struct dirent *e; (e = readdir(d));)
                if (e->d_name[0] != '.' && unlinkat(dirfd(d), e->d_name, 0) == 0)
                        n++;
        return n;
}
