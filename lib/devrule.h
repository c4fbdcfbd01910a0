/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Device rules as the cgroup device controller reads them: "c 10:229 rwm", "b 7:* rw". */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define DEVRULE_ANY (-1)
#define DEVRULE_MAJOR_MAX 4095          /* 12 bits */
#define DEVRULE_MINOR_MAX 1048575       /* 20 bits */

struct devrule {
        char type;              /* 'c', 'b', or 'a' (all) */
        int64_t major, minor;   /* DEVRULE_ANY for '*' */
        char access[4];         /* a non-empty subset of "rwm", in that order */
};

/* Parse "TYPE MAJOR:MINOR ACCESS" (access defaults to rwm when absent). */
int devrule_parse(const char *text, struct devrule *out, struct pal_err *err);

/* Parse an access string ("rw", "mr"): normalised to rwm order. */
int devrule_access(const char *text, char out[4], struct pal_err *err);

/* Does rule a allow anything rule b (a concrete device or rule) covers? */
bool devrule_overlaps(const struct devrule *a, const struct devrule *b);

/* Does rule outer allow everything rule inner allows (type, numbers and access)? */
bool devrule_covers(const struct devrule *outer, const struct devrule *inner);

/* "c 10:229 rwm" */
void devrule_format(const struct devrule *r, char *buf, size_t size);
