/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test and benchmark helper, run inside containers (built static):
 *   mknod_helper at DIR NAME MAJOR MINOR     mknodat(open(DIR), NAME, c MAJOR:MINOR)
 *   mknod_helper thread PATH MAJOR MINOR     mknod from a second thread (not the leader)
 *   mknod_helper deep DIR N NAME             mknod NAME c 1 3 from a working directory N levels
 *                                            below DIR (made as needed)
 *   mknod_helper loop PATH N [fifo]          N times mknod PATH c 1 3 (or a FIFO, which the
 *                                            filter lets through: the baseline) then unlink;
 *                                            prints each call's latency in ns, one a line,
 *                                            between "# start NS" and "# end NS" (CLOCK_REALTIME)
 * Prints "ok" or the errno's name; exit 0 on success.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

struct job {
        const char *path;
        dev_t dev;
        int err;
};

static int report(int r)
{
        if (r == 0) {
                puts("ok");
                return 0;
        }
        const char *name = strerrorname_np(errno);
        printf("%s\n", name ? name : strerror(errno));
        return 1;
}

static void *in_thread(void *arg)
{
        struct job *j = arg;
        j->err = mknod(j->path, S_IFCHR | 0666, j->dev) < 0 ? errno : 0;
        return NULL;
}

int main(int argc, char **argv)
{
        if (argc == 6 && strcmp(argv[1], "at") == 0) {
                int dir = open(argv[2], O_PATH | O_DIRECTORY);
                if (dir < 0)
                        return report(-1);
                /* Leave the working directory elsewhere: only the fd may lead to DIR. */
                if (chdir("/") < 0)
                        return report(-1);
                return report(mknodat(dir, argv[3], S_IFCHR | 0666, makedev(atoi(argv[4]), atoi(argv[5]))));
        }
        if (argc == 5 && strcmp(argv[1], "thread") == 0) {
                struct job j = { .path = argv[2], .dev = makedev(atoi(argv[3]), atoi(argv[4])) };
                pthread_t t;
                if (pthread_create(&t, NULL, in_thread, &j) != 0 || pthread_join(t, NULL) != 0)
                        return 2;
                errno = j.err;
                return report(j.err ? -1 : 0);
        }
        if (argc == 5 && strcmp(argv[1], "deep") == 0) {
                long n = atol(argv[3]);
                if (chdir(argv[2]) < 0)
                        return report(-1);
                for (long i = 0; i < n; i++)
                        if ((mkdir("d", 0755) < 0 && errno != EEXIST) || chdir("d") < 0)
                                return report(-1);
                return report(mknod(argv[4], S_IFCHR | 0666, makedev(1, 3)));
        }
        if ((argc == 4 || argc == 5) && strcmp(argv[1], "loop") == 0) {
                long n = atol(argv[3]);
                mode_t mode = argc == 5 ? S_IFIFO | 0666 : S_IFCHR | 0666;
                struct timespec t;

                clock_gettime(CLOCK_REALTIME, &t);
                printf("# start %lld\n", (long long) t.tv_sec * 1000000000LL + t.tv_nsec);
                for (long i = 0; i < n; i++) {
                        struct timespec a, b;
                        clock_gettime(CLOCK_MONOTONIC, &a);
                        if (mknod(argv[2], mode, makedev(1, 3)) < 0)
                                return report(-1);
                        clock_gettime(CLOCK_MONOTONIC, &b);
                        unlink(argv[2]);
                        printf("%lld\n", (long long) (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));
                }
                clock_gettime(CLOCK_REALTIME, &t);
                printf("# end %lld\n", (long long) t.tv_sec * 1000000000LL + t.tv_nsec);
                return 0;
        }
        fprintf(stderr, "usage: mknod_helper at DIR NAME MAJOR MINOR | thread PATH MAJOR MINOR | deep DIR N NAME | loop PATH N [fifo]\n");
        return 2;
}
