/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "capname.h"
#include "cleanup.h"
#include "json.h"

int capname_parse(const char *name, int *cap, char out[CAP_NAME_MAX])
{
        char lower[CAP_NAME_MAX + 4];
        size_t n = 0;
        cap_value_t v;

        if (strncasecmp(name, "cap_", 4) != 0) {
                memcpy(lower, "cap_", 4);
                n = 4;
        }
        for (const char *c = name; *c; c++) {
                if (n + 1 >= sizeof(lower) || !(isalnum((unsigned char) *c) || *c == '_'))
                        return -EINVAL;
                lower[n++] = (char) tolower((unsigned char) *c);
        }
        lower[n] = '\0';
        if (n <= 4 || cap_from_name(lower, &v) < 0 || v < 0 || v >= 64)
                return -EINVAL;
        /* libcap also accepts bare numbers ("cap_12"?) and names it does not
         * know as numbers; insist on a real name. */
        if (!capname_of(v, out) || strcasecmp(out, lower) != 0)
                return -EINVAL;
        *cap = v;
        return 0;
}

const char *capname_of(int cap, char out[CAP_NAME_MAX])
{
        char *name = cap_to_name(cap);
        size_t i;

        if (!name)
                return NULL;
        if (strncmp(name, "cap_", 4) != 0 || strlen(name) >= CAP_NAME_MAX) {
                cap_free(name);
                return NULL;
        }
        for (i = 0; name[i]; i++)
                out[i] = (char) toupper((unsigned char) name[i]);
        out[i] = '\0';
        cap_free(name);
        return out;
}

bool capname_next(uint64_t set, int *cap, char out[CAP_NAME_MAX])
{
        for (; *cap < 64; (*cap)++)
                if ((set & (UINT64_C(1) << *cap)) && capname_of(*cap, out))
                        return true;
        return false;
}

int capname_json_append(struct json *arr, uint64_t set)
{
        char name[CAP_NAME_MAX];

        for (int cap = 0; capname_next(set, &cap, name); cap++)
                if (json_append(arr, json_new_string(name)) < 0)
                        return -ENOMEM;
        return 0;
}

int capname_parse_list(const char *list, uint64_t *set, struct pal_err *err)
{
        char buf[1024];
        char *save = NULL;

        *set = 0;
        if (strlen(list) >= sizeof(buf))
                return pal_err_set(err, -EINVAL, "list longer than %zu characters", sizeof(buf) - 1);
        memcpy(buf, list, strlen(list) + 1);
        for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
                char canon[CAP_NAME_MAX];
                int cap;

                if (capname_parse(tok, &cap, canon) < 0)
                        return pal_err_set(err, -EINVAL, "\"%.40s\" is not a capability libcap knows", tok);
                *set |= UINT64_C(1) << cap;
        }
        return 0;
}

uint64_t capname_json_set(const struct json *arr)
{
        uint64_t set = 0;
        char canon[CAP_NAME_MAX];
        int cap;

        for (size_t i = 0; arr && arr->type == JSON_ARRAY && i < arr->len; i++)
                if (arr->items[i]->type == JSON_STRING && capname_parse(arr->items[i]->str, &cap, canon) == 0)
                        set |= UINT64_C(1) << cap;
        return set;
}
