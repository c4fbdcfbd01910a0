/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "containerid.h"

bool containerid_valid(const char *id)
{
        size_t len = strlen(id);

        if (len == 0 || len > 1024 || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
                return false;
        for (const char *c = id; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                      (*c >= '0' && *c <= '9') || *c == '_' || *c == '+' || *c == '-' || *c == '.'))
                        return false;
        return true;
}
