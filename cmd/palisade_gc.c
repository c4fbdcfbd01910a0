/* SPDX-License-Identifier: GPL-2.0-or-later */
/* palisade gc: reclaim what dead containers left. */
#include <stdio.h>

#include "guards/lifecycle.h"
#include "palisade.h"

/* Reclaim what dead containers left; also runs from a timer (contrib/). */
int cmd_gc(int argc, char **argv)
{
        _cleanup_policy_ struct policy *pol = NULL;
        struct gc_result res;
        struct pal_err err;
        int r;

        if (argc > 1) {
                fprintf(stderr, PROG " gc: takes no arguments\n");
                return 2;
        }
        if (policy_load(guard_names, &pol, &err) < 0) {
                fprintf(stderr, PROG " gc: %s\n", pal_err_oneline(&err));
                return 1;
        }
        r = lifecycle_gc(pol, &res, &err);
        printf("released %zu dead container%s, removed %zu orphan claim%s and %zu orphan lease%s", res.containers,
               res.containers == 1 ? "" : "s", res.claims, res.claims == 1 ? "" : "s", res.leases,
               res.leases == 1 ? "" : "s");
        if (res.mounts)
                printf(", detached %zu orphan rootfs mount%s", res.mounts, res.mounts == 1 ? "" : "s");
        printf("\n");
        if (r < 0) {
                fprintf(stderr, PROG " gc: %s\n", pal_err_oneline(&err));
                return 1;
        }
        return 0;
}
