/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "spec_hooks.h"

size_t spec_hooks_list(const struct oci_spec *s, struct spec_hook *out, size_t max)
{
        const struct json *hooks = json_get(s->tree, "hooks");
        size_t n = 0;

        if (!hooks || hooks->type != JSON_OBJECT)
                return 0;
        for (size_t i = 0; i < hooks->len; i++) {
                const struct json *list = hooks->items[i];

                for (size_t j = 0; list->type == JSON_ARRAY && j < list->len; j++, n++) {
                        const struct json *h = list->items[j], *path = json_get(h, "path"),
                                          *args = json_get(h, "args");

                        if (n >= max)
                                continue;
                        out[n] = (struct spec_hook) { .stage = hooks->keys[i], .index = j };
                        if (path && path->type == JSON_STRING)
                                out[n].path = path->str;
                        if (args && args->type == JSON_ARRAY && args->len && args->items[0]->type == JSON_STRING)
                                out[n].argv0 = args->items[0]->str;
                }
        }
        return n;
}

bool spec_hook_is_palisade(const char *path)
{
        const char *base = strrchr(path, '/');

        return strcmp(base ? base + 1 : path, "palisade-hook") == 0;
}

bool spec_hook_is_proc_exe(const char *path)
{
        const char *p = path + strlen("/proc/");

        if (strncmp(path, "/proc/", strlen("/proc/")) != 0 || *p < '1' || *p > '9')
                return false;
        while (*p >= '0' && *p <= '9')
                p++;
        return strcmp(p, "/exe") == 0;
}
