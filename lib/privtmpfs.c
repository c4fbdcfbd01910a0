/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <sys/mount.h>

#include "cleanup.h"
#include "privtmpfs.h"

int privtmpfs_open(struct pal_err *err)
{
        _cleanup_close_ int fsfd = -1;
        int mnt;

        if ((fsfd = fsopen("tmpfs", FSOPEN_CLOEXEC)) < 0 ||
            fsconfig(fsfd, FSCONFIG_SET_STRING, "mode", "0755", 0) < 0 ||
            fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0 ||
            (mnt = fsmount(fsfd, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC)) < 0)
                return pal_err_sys(err, errno, "a private tmpfs");
        return mnt;
}
