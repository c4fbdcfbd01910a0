/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A third-party seccomp agent for the tests, reading what the runtime sends
 * the way runc's reference agent (contrib/cmd/seccompagent) does: one
 * recvmsg into a 4096-byte buffer with room for one SCM_RIGHTS fd, refusing
 * a message that fills the buffer. It then answers every notification with
 * errno ERRNO (without running the call), so a served call is visible.
 *
 *   notify_agent SOCKET ERRNO SECONDS
 *
 * Serves one container; exits after SECONDS whatever happens (alarm), so a
 * test can never hang on it. Prints "state N bytes" or why it gave up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define STATE_BUF 4096

static int recv_state(int conn)
{
        char buf[STATE_BUF], oob[CMSG_SPACE(sizeof(int))];
        struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = oob,
                              .msg_controllen = sizeof(oob) };
        struct cmsghdr *c;
        ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
        int fd;

        if (n < 0) {
                perror("notify_agent: recvmsg");
                return -1;
        }
        printf("state %zd bytes\n", n);
        fflush(stdout);
        /* runc's agent: "incorrect number of bytes read"; the listener it was sent stays unserved. */
        if (n >= STATE_BUF || msg.msg_controllen != sizeof(oob)) {
                fprintf(stderr, "notify_agent: incorrect number of bytes read (n=%zd oobn=%zu)\n", n,
                        (size_t) msg.msg_controllen);
                return -1;
        }
        c = CMSG_FIRSTHDR(&msg);
        if (!c || c->cmsg_type != SCM_RIGHTS) {
                fprintf(stderr, "notify_agent: no SCM_RIGHTS\n");
                return -1;
        }
        memcpy(&fd, CMSG_DATA(c), sizeof(fd));
        return fd;
}

static void serve(int listener, int answer)
{
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;

        for (;;) {
                memset(&req, 0, sizeof(req));
                if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
                        if (errno == EINTR)
                                continue;
                        return;         /* the container is gone */
                }
                memset(&resp, 0, sizeof(resp));
                resp.id = req.id;
                resp.error = -answer;
                printf("served syscall %d\n", req.data.nr);
                fflush(stdout);
                (void) ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
        }
}

int main(int argc, char **argv)
{
        struct sockaddr_un addr = { .sun_family = AF_UNIX };
        int sock, conn, listener;

        if (argc != 4 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
                fprintf(stderr, "usage: notify_agent SOCKET ERRNO SECONDS\n");
                return 2;
        }
        alarm((unsigned) strtoul(argv[3], NULL, 10));
        memcpy(addr.sun_path, argv[1], strlen(argv[1]));
        sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (sock < 0 || bind(sock, (struct sockaddr *) &addr, sizeof(addr)) < 0 || listen(sock, 1) < 0) {
                perror("notify_agent: socket");
                return 1;
        }
        printf("listening\n");
        fflush(stdout);
        conn = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0) {
                perror("notify_agent: accept");
                return 1;
        }
        listener = recv_state(conn);
        if (listener < 0) {
                pause();        /* as runc's agent: holds what it got, serves nothing, until the alarm */
                return 1;
        }
        serve(listener, (int) strtol(argv[2], NULL, 10));
        return 0;
}
