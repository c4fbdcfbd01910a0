/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/seccomp_notify.h"
#include "oci/listener_msg.h"
#include "server.h"
#include "worker.h"

#define MAX_CONNS 64
#define MAX_LISTENERS 4096
#define MAX_WORKERS 64
#define CONN_TIMEOUT_MS 2000

enum tag { TAG_SOCKET, TAG_SIGNAL, TAG_CONN, TAG_LISTENER };

/* A runtime's connection, until its message and listener fd have come. */
struct conn {
        int fd;
        char buf[LISTENER_MSG_MAX_BYTES];
        size_t len;
        int fds[LISTENER_MSG_MAX_FDS];
        size_t n_fds;
        int64_t deadline;
};

/* One container process tree's listener. */
struct listener {
        int fd;
        char id[1025];
        int busy;               /* workers now */
        bool polling;           /* EPOLLIN wanted */
        bool dead;              /* hung up or failed: freed when its last worker ends */
};

struct worker {
        pid_t pid;
        struct listener *l;
        uint64_t notif;
        int64_t deadline;
        bool late;              /* killed at its deadline, answered by the agent */
};

struct server {
        const struct policy *pol;
        FILE *log;
        int ep;
        struct conn *conns[MAX_CONNS];
        struct listener *listeners[MAX_LISTENERS];
        struct worker workers[MAX_WORKERS];
        sigset_t old_mask;      /* restored in workers */
        bool starved;           /* a listener waited for a free worker */
};

static int64_t now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int watch(struct server *s, int op, int fd, uint32_t events, enum tag tag, size_t index)
{
        struct epoll_event ev = { .events = events, .data.u64 = ((uint64_t) tag << 32) | index };
        return epoll_ctl(s->ep, op, fd, &ev) < 0 ? -errno : 0;
}

int agent_listen(const char *path, struct pal_err *err)
{
        struct sockaddr_un addr = { .sun_family = AF_UNIX };
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (strlen(path) >= sizeof(addr.sun_path))
                return pal_err_set(err, -ENAMETOOLONG, "agent.socket: %s: longer than %zu bytes", path,
                                   sizeof(addr.sun_path) - 1);
        memcpy(addr.sun_path, path, strlen(path) + 1);
        if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
                return pal_err_sys(err, errno, "socket");
        /* A socket left by an agent that died: replace it; anything else there is an error. */
        if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
                unlink(path);
        {
                mode_t old = umask(0177);
                int r = bind(fd, (struct sockaddr *) &addr, sizeof(addr));
                int e = errno;
                umask(old);
                if (r < 0)
                        return pal_err_sys(err, e, "agent.socket: bind %s", path);
        }
        if (listen(fd, 128) < 0)
                return pal_err_sys(err, errno, "agent.socket: listen %s", path);
        return TAKE_FD(fd);
}

static void conn_close(struct server *s, size_t i)
{
        struct conn *c = s->conns[i];

        for (size_t k = 0; k < c->n_fds; k++)
                close(c->fds[k]);
        close(c->fd);
        free(c);
        s->conns[i] = NULL;
}

static void listener_close(struct server *s, size_t i)
{
        close(s->listeners[i]->fd);
        free(s->listeners[i]);
        s->listeners[i] = NULL;
}

/* Stop watching a listener; free it once no worker uses it. */
static void listener_drop(struct server *s, size_t i)
{
        struct listener *l = s->listeners[i];

        if (!l->dead)
                watch(s, EPOLL_CTL_DEL, l->fd, 0, TAG_LISTENER, i);
        l->dead = true;
        if (!l->busy)
                listener_close(s, i);
}

static void accept_all(struct server *s, int sock)
{
        for (;;) {
                int fd = accept4(sock, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                size_t i;

                if (fd < 0)
                        return;
                for (i = 0; i < MAX_CONNS && s->conns[i]; i++)
                        ;
                if (i == MAX_CONNS || !(s->conns[i] = calloc(1, sizeof(struct conn)))) {
                        fprintf(s->log, "palisade agent: too many connections at once: one refused\n");
                        close(fd);
                        continue;
                }
                s->conns[i]->fd = fd;
                s->conns[i]->deadline = now_ms() + CONN_TIMEOUT_MS;
                if (watch(s, EPOLL_CTL_ADD, fd, EPOLLIN, TAG_CONN, i) < 0)
                        conn_close(s, i);
        }
}

/* The message is whole: adopt its listener fd. */
static void adopt(struct server *s, struct conn *c, const struct listener_msg *m)
{
        struct listener *l;
        int fd = c->fds[m->seccomp_fd];
        size_t i;

        if (m->n_fds != c->n_fds || !snotify_is_listener(fd)) {
                fprintf(s->log, "palisade agent: container %s: %zu fds named, %zu received, or no seccomp listener "
                        "among them: ignored\n", m->id, m->n_fds, c->n_fds);
                return;
        }
        for (i = 0; i < MAX_LISTENERS && s->listeners[i]; i++)
                ;
        if (i == MAX_LISTENERS || !(l = calloc(1, sizeof(*l)))) {
                fprintf(s->log, "palisade agent: container %s: too many listeners: refused\n", m->id);
                return;
        }
        l->fd = fd;
        snprintf(l->id, sizeof(l->id), "%s", m->id);
        l->polling = true;
        s->listeners[i] = l;
        if (watch(s, EPOLL_CTL_ADD, fd, EPOLLIN, TAG_LISTENER, i) < 0) {
                free(l);
                s->listeners[i] = NULL;
                return;
        }
        c->fds[m->seccomp_fd] = -1;     /* the listener owns it now */
        for (size_t k = m->seccomp_fd; k + 1 < c->n_fds; k++)
                c->fds[k] = c->fds[k + 1];
        c->n_fds--;
        fprintf(s->log, "palisade agent: container %s: serving pid %d (%s)\n", l->id, (int) m->pid, m->status);
}

static void conn_read(struct server *s, size_t i)
{
        struct conn *c = s->conns[i];
        struct listener_msg m;
        struct pal_err err;
        size_t got_fds = 0;
        ssize_t n;

        if (c->len >= sizeof(c->buf)) {
                fprintf(s->log, "palisade agent: a message over %zu bytes: dropped\n", sizeof(c->buf));
                conn_close(s, i);
                return;
        }
        n = unix_recv_fds(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, c->fds + c->n_fds,
                          ARRAY_SIZE(c->fds) - c->n_fds, &got_fds);
        if (n == -EAGAIN)
                return;
        c->n_fds += got_fds;
        if (n < 0 || (n == 0 && c->len == 0)) {
                conn_close(s, i);
                return;
        }
        c->len += (size_t) n;
        /* Runtimes send the whole message in one sendmsg; a partial one waits for more, to its deadline. */
        if (listener_msg_parse(c->buf, c->len, &m, &err) < 0) {
                if (n == 0) {
                        fprintf(s->log, "palisade agent: listener message: %s\n", pal_err_oneline(&err));
                        conn_close(s, i);
                }
                return;
        }
        adopt(s, c, &m);
        listener_msg_release(&m);
        conn_close(s, i);
}

static void set_polling(struct server *s, size_t i, bool on)
{
        struct listener *l = s->listeners[i];

        if (l->polling == on || l->dead)
                return;
        l->polling = on;
        watch(s, EPOLL_CTL_MOD, l->fd, on ? EPOLLIN : 0, TAG_LISTENER, i);
}

static size_t listener_index(struct server *s, const struct listener *l)
{
        for (size_t i = 0; i < MAX_LISTENERS; i++)
                if (s->listeners[i] == l)
                        return i;
        return MAX_LISTENERS;
}

static void spawn(struct server *s, size_t li)
{
        struct listener *l = s->listeners[li];
        struct snotify_req req;
        struct worker *w = NULL;
        pid_t pid;
        int r;

        for (size_t k = 0; k < MAX_WORKERS && !w; k++)
                if (!s->workers[k].pid)
                        w = &s->workers[k];
        if (!w) {
                set_polling(s, li, false);      /* every worker busy: its turn comes when one ends */
                s->starved = true;
                return;
        }
        r = snotify_recv(l->fd, &req);
        if (r == -ENOENT || r == -EINTR)
                return;         /* the caller went away first */
        if (r < 0) {
                fprintf(s->log, "palisade agent: container %s: receiving a notification: %s\n", l->id, strerror(-r));
                listener_drop(s, li);
                return;
        }
        fflush(s->log);
        pid = fork();
        if (pid < 0) {
                snotify_respond(l->fd, req.id, EPERM, 0, false);
                return;
        }
        if (pid == 0) {
                /* Dies with the agent: a container's call then fails (ENOSYS), never hangs. */
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
                _exit(agent_worker(s->pol, l->fd, l->id, &req, s->log));
        }
        *w = (struct worker) { .pid = pid, .l = l, .notif = req.id, .deadline = now_ms() + s->pol->agent.timeout_ms };
        if (++l->busy >= s->pol->agent.per_container)
                set_polling(s, li, false);
}

/* The worker's call is settled: its container may have another handled. */
static void release_listener(struct server *s, struct worker *w)
{
        struct listener *l = w->l;
        size_t li = listener_index(s, l);

        w->l = NULL;
        if (li == MAX_LISTENERS)
                return;
        l->busy--;
        if (l->dead && !l->busy)
                listener_close(s, li);
        else if (l->busy < s->pol->agent.per_container)
                set_polling(s, li, true);
}

/*
 * Past its deadline: killed, and the call answered EPERM here. It is reaped
 * on its SIGCHLD (a process stuck in the kernel may take its time: the loop
 * never waits for it).
 */
static void worker_late(struct server *s, struct worker *w)
{
        kill(w->pid, SIGKILL);
        if (snotify_respond(w->l->fd, w->notif, EPERM, 0, false) == 0)
                fprintf(s->log, "palisade agent: container %s: a call took longer than agent.timeout_ms: answered "
                        "EPERM\n", w->l->id);
        w->late = true;
        release_listener(s, w);
}

/* The worker has exited (reaped, status): answer for it if it could not, free its slot. */
static void worker_done(struct server *s, struct worker *w, int status)
{
        if (!w->late) {
                if ((!WIFEXITED(status) || WEXITSTATUS(status) == WORKER_UNANSWERED) &&
                    snotify_respond(w->l->fd, w->notif, EPERM, 0, false) == 0)
                        fprintf(s->log, "palisade agent: container %s: a worker failed: answered EPERM\n", w->l->id);
                release_listener(s, w);
        }
        *w = (struct worker) { 0 };
        /* A worker is free: listeners that waited for one may go again. */
        for (size_t i = 0; s->starved && i < MAX_LISTENERS; i++)
                if (s->listeners[i] && s->listeners[i]->busy < s->pol->agent.per_container)
                        set_polling(s, i, true);
        s->starved = false;
}

/* SIGCHLD: reap every worker that has exited. */
static void reap_all(struct server *s)
{
        int status;
        pid_t pid;

        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
                for (size_t i = 0; i < MAX_WORKERS; i++)
                        if (s->workers[i].pid == pid) {
                                worker_done(s, &s->workers[i], status);
                                break;
                        }
}

static int next_timeout(struct server *s)
{
        int64_t now = now_ms(), first = -1;

        for (size_t i = 0; i < MAX_WORKERS; i++)
                if (s->workers[i].pid && !s->workers[i].late && (first < 0 || s->workers[i].deadline < first))
                        first = s->workers[i].deadline;
        for (size_t i = 0; i < MAX_CONNS; i++)
                if (s->conns[i] && (first < 0 || s->conns[i]->deadline < first))
                        first = s->conns[i]->deadline;
        if (first < 0)
                return -1;
        return first <= now ? 0 : (int) (first - now);
}

static void expire(struct server *s)
{
        int64_t now = now_ms();

        for (size_t i = 0; i < MAX_WORKERS; i++)
                if (s->workers[i].pid && !s->workers[i].late && s->workers[i].deadline <= now)
                        worker_late(s, &s->workers[i]);
        for (size_t i = 0; i < MAX_CONNS; i++)
                if (s->conns[i] && s->conns[i]->deadline <= now) {
                        fprintf(s->log, "palisade agent: a runtime's connection sent no whole message in time\n");
                        conn_close(s, i);
                }
}

static void release(struct server *s)
{
        /* Workers die with the agent (PR_SET_PDEATHSIG); their calls then fail with ENOSYS. */
        for (size_t i = 0; i < MAX_WORKERS; i++)
                if (s->workers[i].pid)
                        kill(s->workers[i].pid, SIGKILL);
        for (size_t i = 0; i < MAX_CONNS; i++)
                if (s->conns[i])
                        conn_close(s, i);
        for (size_t i = 0; i < MAX_LISTENERS; i++)
                if (s->listeners[i])
                        listener_close(s, i);
}

int agent_serve(const struct policy *pol, int listen_fd, FILE *log, struct pal_err *err)
{
        static struct server s;
        _cleanup_close_ int ep = -1, sigfd = -1;
        sigset_t mask;
        int r = 0;

        s = (struct server) { .pol = pol, .log = log };
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGCHLD);
        if (sigprocmask(SIG_BLOCK, &mask, &s.old_mask) < 0 || (sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
                return pal_err_sys(err, errno, "signalfd");
        if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
                return pal_err_sys(err, errno, "epoll");
        s.ep = ep;
        if ((r = watch(&s, EPOLL_CTL_ADD, listen_fd, EPOLLIN, TAG_SOCKET, 0)) < 0 ||
            (r = watch(&s, EPOLL_CTL_ADD, sigfd, EPOLLIN, TAG_SIGNAL, 0)) < 0)
                return pal_err_sys(err, -r, "epoll");
        for (;;) {
                struct epoll_event evs[64];
                int n = epoll_wait(ep, evs, (int) ARRAY_SIZE(evs), next_timeout(&s));

                if (n < 0 && errno != EINTR) {
                        r = pal_err_sys(err, errno, "epoll_wait");
                        break;
                }
                for (int k = 0; k < n; k++) {
                        enum tag tag = (enum tag) (evs[k].data.u64 >> 32);
                        size_t i = (size_t) (evs[k].data.u64 & 0xffffffff);

                        switch (tag) {
                        case TAG_SOCKET:
                                accept_all(&s, listen_fd);
                                break;
                        case TAG_SIGNAL: {
                                struct signalfd_siginfo si;
                                bool stop = false;

                                while (read(sigfd, &si, sizeof(si)) == (ssize_t) sizeof(si))
                                        stop |= si.ssi_signo != SIGCHLD;
                                reap_all(&s);
                                if (stop) {
                                        release(&s);
                                        return 0;
                                }
                                break;
                        }
                        case TAG_CONN:
                                if (s.conns[i])
                                        conn_read(&s, i);
                                break;
                        case TAG_LISTENER:
                                if (!s.listeners[i] || s.listeners[i]->dead)
                                        break;
                                if (evs[k].events & EPOLLIN)
                                        spawn(&s, i);
                                else if (evs[k].events & (EPOLLHUP | EPOLLERR))
                                        listener_drop(&s, i);   /* every process of the filter is gone */
                                break;
                        }
                }
                expire(&s);
        }
        release(&s);
        return r;
}
