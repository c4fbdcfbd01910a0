/* SPDX-License-Identifier: GPL-2.0-or-later */
/* palisade agent: the seccomp-notify daemon (agent/), with systemd socket activation. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>

#include "agent/server.h"
#include "guards/guard.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "lib/privs.h"
#include "palisade.h"

/* systemd socket activation (sd_listen_fds(3)): fd 3 when LISTEN_PID is us. */
static int activated_socket(void)
{
        const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
        char self[24];

        snprintf(self, sizeof(self), "%d", (int) getpid());
        if (!pid || !fds || strcmp(pid, self) != 0 || strcmp(fds, "1") != 0)
                return -1;
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDS");
        unsetenv("LISTEN_FDNAMES");
        if (fcntl(3, F_SETFD, FD_CLOEXEC) < 0 || fcntl(3, F_SETFL, fcntl(3, F_GETFL) | O_NONBLOCK) < 0)
                return -1;
        return 3;
}

/*
 * What the agent and its workers use: read callers' memory and /proc
 * (ptrace), enter their mount namespace and root, mount, make and chown
 * nodes, take their fsuid, fsgid and groups, kill late workers.
 */
static const uint64_t agent_caps = CAPBIT(CAP_SYS_PTRACE) | CAPBIT(CAP_SYS_ADMIN) | CAPBIT(CAP_SYS_CHROOT) |
                                   CAPBIT(CAP_MKNOD) | CAPBIT(CAP_CHOWN) | CAPBIT(CAP_DAC_OVERRIDE) |
                                   CAPBIT(CAP_DAC_READ_SEARCH) | CAPBIT(CAP_FOWNER) | CAPBIT(CAP_SETUID) |
                                   CAPBIT(CAP_SETGID) | CAPBIT(CAP_KILL);

int cmd_agent(int argc, char **argv)
{
        static const struct option opts[] = {
                { "socket", required_argument, NULL, 's' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_close_ int sock = -1;
        const char *path = NULL;
        struct pal_err err;
        int c;

        while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
                switch (c) {
                case 's':
                        path = optarg;
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        return 2;
                }
        }
        if (optind != argc) {
                fprintf(stderr, PROG " agent: takes no arguments besides --socket\n");
                return 2;
        }
        if (policy_load(guard_names, &pol, &err) < 0) {
                fprintf(stderr, PROG " agent: %s\n", pal_err_oneline(&err));
                return 1;
        }
        if (!path)
                path = pol->agent.socket;
        sock = activated_socket();
        if (sock < 0) {
                _cleanup_free_ char *dir = strdup(path);
                char *slash = dir ? strrchr(dir, '/') : NULL;

                if (slash && slash != dir) {
                        *slash = '\0';
                        if (mkdir_parents(dir, 0700, &err) < 0) {
                                fprintf(stderr, PROG " agent: %s\n", pal_err_oneline(&err));
                                return 1;
                        }
                }
                if ((sock = agent_listen(path, &err)) < 0) {
                        fprintf(stderr, PROG " agent: %s\n", pal_err_oneline(&err));
                        return 1;
                }
        }
        if (privs_keep_only(agent_caps, &err) < 0) {
                fprintf(stderr, PROG " agent: %s\n", pal_err_oneline(&err));
                return 1;
        }
        setvbuf(stderr, NULL, _IOLBF, 0);
        fprintf(stderr, PROG " agent: listening on %s (policy %s)\n", path, pol->source);
        if (agent_serve(pol, sock, stderr, &err) < 0) {
                fprintf(stderr, PROG " agent: %s\n", pal_err_oneline(&err));
                return 1;
        }
        return 0;
}
