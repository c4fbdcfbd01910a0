/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fixture for the tests of the registry and what lives in it: a state
 * directory that does not exist yet (created with its parents by
 * registry_open) below a fresh temporary directory, removed afterwards.
 */
#pragma once

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/registry.h"
#include "unit.h"

struct fixture {
        char dir[64];
        int regfd;
};

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof(*f));
        struct pal_err err = { 0 };

        if (!f)
                return -1;
        snprintf(f->dir, sizeof(f->dir), "/tmp/palisade-unit-XXXXXX");
        if (!mkdtemp(f->dir))
                return -1;
        strcat(f->dir, "/run/palisade");
        f->regfd = registry_open(f->dir, true, &err);
        if (f->regfd < 0) {
                print_message("# registry_open: %s\n", err.msg);
                return -1;
        }
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;

        close(f->regfd);
        *strstr(f->dir, "/run/palisade") = '\0';
        unit_rm_tree(f->dir);
        free(f);
        return 0;
}
