/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cleanup.h"
#include "seccomp_notify.h"

/*
 * A zeroed buffer for a notification (resp false) or a response: the
 * kernel's structures may be larger than our headers', so it is sized by
 * what the kernel says (asked once). NULL with errno set on failure.
 */
static void *notif_buffer(bool resp)
{
        static struct seccomp_notif_sizes sizes;
        size_t ours = resp ? sizeof(struct seccomp_notif_resp) : sizeof(struct seccomp_notif);
        size_t kernel;

        if (!sizes.seccomp_notif && syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
                return NULL;
        kernel = resp ? sizes.seccomp_notif_resp : sizes.seccomp_notif;
        return calloc(1, kernel > ours ? kernel : ours);
}

int snotify_recv(int listener, struct snotify_req *req)
{
        _cleanup_free_ struct seccomp_notif *n = notif_buffer(false);

        if (!n)
                return -errno;
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, n) < 0)
                return -errno;
        *req = (struct snotify_req) { .id = n->id, .pid = (pid_t) n->pid, .nr = n->data.nr, .arch = n->data.arch };
        memcpy(req->args, n->data.args, sizeof(req->args));
        return 0;
}

int snotify_id_valid(int listener, uint64_t id)
{
        return ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0 ? -errno : 0;
}

int snotify_respond(int listener, uint64_t id, int error, int64_t val, bool cont)
{
        _cleanup_free_ struct seccomp_notif_resp *resp = notif_buffer(true);

        if (!resp)
                return -errno;
        resp->id = id;
        if (cont)
                resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        else if (error)
                resp->error = error > 0 ? -error : error;
        else
                resp->val = val;
        return ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 ? -errno : 0;
}

bool snotify_is_listener(int fd)
{
        char link[64], target[64];
        ssize_t n;

        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        n = readlink(link, target, sizeof(target) - 1);
        if (n < 0)
                return false;
        target[n] = '\0';
        return strcmp(target, "anon_inode:seccomp notify") == 0;
}

int snotify_read_string(pid_t pid, uint64_t addr, char *buf, size_t size)
{
        long page = sysconf(_SC_PAGESIZE);
        size_t got = 0;

        if (size == 0)
                return -EINVAL;
        while (got < size) {
                /* Never read across a page boundary: the next page may be unmapped. */
                size_t want = (size_t) page - ((addr + got) % (uint64_t) page);
                struct iovec local, remote;
                ssize_t n;

                if (want > size - got)
                        want = size - got;
                local = (struct iovec) { .iov_base = buf + got, .iov_len = want };
                remote = (struct iovec) { .iov_base = (void *) (uintptr_t) (addr + got), .iov_len = want };
                n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
                if (n <= 0)
                        return n < 0 ? -errno : -EFAULT;
                if (memchr(buf + got, '\0', (size_t) n))
                        return 0;
                got += (size_t) n;
        }
        return -ENAMETOOLONG;
}

ssize_t unix_recv_fds(int sock, char *buf, size_t size, int *fds, size_t max_fds, size_t *n_fds)
{
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int) * 16)];
        } control;
        struct iovec iov = { .iov_base = buf, .iov_len = size };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                              .msg_controllen = sizeof(control.buf) };
        ssize_t n;

        *n_fds = 0;
        do
                n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                size_t count;
                int *in;

                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                in = (int *) (void *) CMSG_DATA(c);
                for (size_t i = 0; i < count; i++) {
                        if (*n_fds < max_fds)
                                fds[(*n_fds)++] = in[i];
                        else
                                close(in[i]);
                }
        }
        /* A truncated control message may have lost fds: refuse the message. */
        if (msg.msg_flags & MSG_CTRUNC) {
                for (size_t i = 0; i < *n_fds; i++)
                        close(fds[i]);
                *n_fds = 0;
                return -EMSGSIZE;
        }
        return n;
}
