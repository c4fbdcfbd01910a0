/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroupdev.h"
#include "cleanup.h"
#include "fileio.h"

#define DEVICES_ROOT "/sys/fs/cgroup/devices"

int cgroupdev_open(int procfd, char *path, size_t size, struct pal_err *err)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -1;
        char *save = NULL;

        fd = openat(procfd, "cgroup", O_RDONLY | O_CLOEXEC);
        if (fd < 0 || read_fd_bounded(fd, 64 << 10, &buf, NULL, err) < 0)
                return fd < 0 ? pal_err_sys(err, errno, "/proc/PID/cgroup") : err->code;
        for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                /* "4:devices:/user.slice/…": controllers may be listed together ("cpu,devices"). */
                char *ctrl = strchr(line, ':'), *rel;
                bool devices = false;

                if (!ctrl || !(rel = strchr(ctrl + 1, ':')))
                        continue;
                *rel++ = '\0';
                for (char *c = strtok(ctrl + 1, ","); c; c = strtok(NULL, ","))
                        devices |= strcmp(c, "devices") == 0;
                if (!devices)
                        continue;
                if (rel[0] != '/' || strstr(rel, "/../") || snprintf(path, size, DEVICES_ROOT "%s", rel) >= (int) size)
                        return pal_err_set(err, -EINVAL, "devices cgroup \"%.128s\": not a cgroup path", rel);
                fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fd < 0)
                        return pal_err_sys(err, errno, "%s", path);
                return TAKE_FD(fd);
        }
        return pal_err_set(err, -ENOENT, "no cgroup v1 devices controller for the container (cgroup v2 only)");
}

int cgroupdev_write(int cgfd, const char *file, const char *rule, struct pal_err *err)
{
        _cleanup_close_ int fd = openat(cgfd, file, O_WRONLY | O_CLOEXEC);
        size_t len = strlen(rule);

        if (fd < 0)
                return pal_err_sys(err, errno, "%s", file);
        if (write(fd, rule, len) != (ssize_t) len)
                return pal_err_sys(err, errno, "%s \"%s\"", file, rule);
        return 0;
}

#define CGROUP2_SUPER_MAGIC 0x63677270

int cgroupdev_open_v2(int procfd, char *path, size_t size, struct pal_err *err)
{
        static const char *const mounts[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -1;
        const char *root = NULL;
        struct statfs sf;
        char *line, *save = NULL;

        for (size_t i = 0; i < ARRAY_SIZE(mounts) && !root; i++)
                if (statfs(mounts[i], &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
                        root = mounts[i];
        if (!root)
                return pal_err_set(err, -ENOENT, "no cgroup2 mount");
        fd = openat(procfd, "cgroup", O_RDONLY | O_CLOEXEC);
        if (fd < 0 || read_fd_bounded(fd, 64 << 10, &buf, NULL, err) < 0)
                return fd < 0 ? pal_err_sys(err, errno, "/proc/PID/cgroup") : err->code;
        for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
                if (strncmp(line, "0::", 3) == 0)
                        break;
        if (!line)
                return pal_err_set(err, -ENOENT, "the container has no cgroup v2");
        line += 3;
        if (line[0] != '/' || strstr(line, "/../") || snprintf(path, size, "%s%s", root, line) >= (int) size)
                return pal_err_set(err, -EINVAL, "cgroup v2 \"%.128s\": not a cgroup path", line);
        pal_closep(&fd);
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return pal_err_sys(err, errno, "%s", path);
        return TAKE_FD(fd);
}
