/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cdi_devices.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "oci/spec_edit.h"

#define CDI_SPEC_MAX_BYTES (1u << 20)

void cdi_set_release(struct cdi_set *set)
{
        for (size_t i = 0; i < set->n_specs; i++)
                cdi_free(set->specs[i]);
        set->n_specs = set->n_found = 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int cmp_names(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Load the JSON specs of one directory whose kind is wanted; note YAML ones. */
static int load_dir(const char *dir, const char *const *kinds, size_t n_kinds, struct cdi_set *set, size_t *first,
                    char *yaml, size_t yaml_size, struct pal_err *err)
{
        _cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        char *names[256];
        size_t n = 0;
        DIR *d;
        struct dirent *de;
        int r = 0;

        *first = set->n_specs;
        if (dfd < 0)
                return errno == ENOENT ? 0 : pal_err_sys(err, errno, "CDI directory %s", dir);
        if (!(d = fdopendir(dup(dfd))))
                return pal_err_sys(err, errno, "CDI directory %s", dir);
        while ((de = readdir(d)) && n < ARRAY_SIZE(names)) {
                if (has_suffix(de->d_name, ".yaml") || has_suffix(de->d_name, ".yml"))
                        snprintf(yaml, yaml_size, "%s/%s", dir, de->d_name);
                else if (has_suffix(de->d_name, ".json") && de->d_name[0] != '.')
                        names[n++] = strdup(de->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof(*names), cmp_names);
        for (size_t i = 0; i < n && r == 0; i++) {
                _cleanup_free_ char *buf = NULL;
                struct cdi_spec *spec = NULL;
                bool wanted = false;
                size_t len;

                if (!names[i]) {
                        r = pal_err_set(err, -ENOMEM, "out of memory");
                        break;
                }
                if ((r = read_file_at(dfd, names[i], CDI_SPEC_MAX_BYTES, &buf, &len, err)) < 0 ||
                    (r = cdi_parse(buf, len, &spec, err)) < 0) {
                        pal_err_wrap(err, "CDI spec %s/%s", dir, names[i]);
                        break;
                }
                for (size_t k = 0; k < n_kinds; k++)
                        wanted |= strcmp(kinds[k], spec->kind) == 0;
                if (!wanted || set->n_specs >= CDI_MAX_SPECS) {
                        cdi_free(spec);
                        if (wanted)
                                r = pal_err_set(err, -E2BIG, "more than %d CDI specs of the requested kinds", CDI_MAX_SPECS);
                        continue;
                }
                snprintf(set->files[set->n_specs], sizeof(set->files[0]), "%s/%s", dir, names[i]);
                set->specs[set->n_specs++] = spec;
        }
        for (size_t i = 0; i < n; i++)
                free(names[i]);
        return r;
}

int cdi_resolve(const struct policy *pol, const struct oci_spec *s, struct cdi_set *set, struct pal_err *err)
{
        char kinds_buf[CDI_MAX_DEVICES][128];
        const char *kinds[CDI_MAX_DEVICES], *names[CDI_MAX_DEVICES], *keys[CDI_MAX_DEVICES];
        char yaml[512] = "";
        char list[CDI_MAX_DEVICES][256];
        size_t n = 0;
        int r;

        memset(set, 0, sizeof(*set));
        for (size_t i = 0; i < s->n_annotations; i++) {
                char buf[2048], *save = NULL;

                if (strncmp(s->annotations[i].key, CDI_ANNOTATION_PREFIX, strlen(CDI_ANNOTATION_PREFIX)) != 0)
                        continue;
                snprintf(buf, sizeof(buf), "%s", s->annotations[i].value);
                for (char *q = strtok_r(buf, ",", &save); q; q = strtok_r(NULL, ",", &save)) {
                        if (n >= CDI_MAX_DEVICES)
                                return pal_err_set(err, -E2BIG, "more than %d CDI devices requested", CDI_MAX_DEVICES);
                        snprintf(list[n], sizeof(list[n]), "%s", q);
                        if ((r = cdi_parse_name(list[n], kinds_buf[n], sizeof(kinds_buf[n]), &names[n], err)) < 0)
                                return pal_err_wrap(err, "config.json: annotations[\"%.64s\"]", s->annotations[i].key);
                        kinds[n] = kinds_buf[n];
                        keys[n] = s->annotations[i].key;
                        n++;
                }
        }
        if (!n)
                return 0;
        for (size_t d = 0; d < pol->devices.n_cdi_dirs; d++) {
                size_t first;
                if ((r = load_dir(pol->devices.cdi_dirs[d], kinds, n, set, &first, yaml, sizeof(yaml), err)) < 0)
                        return r;
                /* Within one directory two definitions conflict; a later directory overrides. */
                for (size_t i = 0; i < n; i++) {
                        const struct cdi_spec *hit = NULL;
                        const struct cdi_device *dev = NULL;
                        size_t hit_file = 0;

                        for (size_t k = first; k < set->n_specs; k++) {
                                if (strcmp(set->specs[k]->kind, kinds[i]) != 0)
                                        continue;
                                for (size_t j = 0; j < set->specs[k]->n_devices; j++) {
                                        if (strcmp(set->specs[k]->devices[j].name, names[i]) != 0)
                                                continue;
                                        if (hit)
                                                return pal_err_set(err, -EINVAL, "CDI device %s is defined by both %s and %s "
                                                                   "(same priority): remove one", list[i],
                                                                   set->files[hit_file], set->files[k]);
                                        hit = set->specs[k];
                                        dev = &set->specs[k]->devices[j];
                                        hit_file = k;
                                }
                        }
                        if (!hit)
                                continue;
                        set->found[i].spec = hit;
                        set->found[i].device = dev;
                        snprintf(set->found[i].file, sizeof(set->found[i].file), "%s", set->files[hit_file]);
                        snprintf(set->found[i].qualified, sizeof(set->found[i].qualified), "%s", list[i]);
                }
        }
        for (size_t i = 0; i < n; i++)
                if (!set->found[i].device)
                        return pal_err_set(err, -ENOENT, "config.json: annotations[\"%.64s\"]: no CDI spec in the "
                                           "policy's devices.cdi_dirs defines %s%s%s%s", keys[i], list[i],
                                           yaml[0] ? " (palisade reads JSON specs only, and found " : "", yaml,
                                           yaml[0] ? ": generate JSON, e.g. nvidia-ctk cdi generate --format=json)" : "");
        set->n_found = n;
        return 0;
}

static bool string_in_array(const struct json *arr, const char *s)
{
        for (size_t i = 0; i < arr->len; i++)
                if (arr->items[i]->type == JSON_STRING && strcmp(arr->items[i]->str, s) == 0)
                        return true;
        return false;
}

/* CDI's other edits, in the spec phase: env, mounts, hooks. */
int cdi_apply_edits(struct oci_spec *spec, const struct cdi_set *set, struct pal_err *err)
{
        struct json *process = json_get(spec->tree, "process");

        for (size_t i = 0; i < set->n_found; i++) {
                const struct cdi_edits *edits[2] = { &set->found[i].spec->edits, &set->found[i].device->edits };
                for (size_t e = 0; e < 2; e++) {
                        const struct cdi_edits *ed = edits[e];
                        struct json *env = process ? spec_child(process, "env", JSON_ARRAY, err) : NULL;
                        struct json *mounts = spec_child(spec->tree, "mounts", JSON_ARRAY, err);
                        struct json *hooks = spec_child(spec->tree, "hooks", JSON_OBJECT, err);

                        for (size_t k = 0; ed->env && k < ed->env->len; k++)
                                if (!env || !string_in_array(env, ed->env->items[k]->str)) {
                                        if (!env || json_append(env, json_new_string(ed->env->items[k]->str)) < 0)
                                                return pal_err_set(err, -EINVAL, "CDI device %s: cannot set env "
                                                                   "(no process in the spec)", set->found[i].qualified);
                                }
                        for (size_t k = 0; ed->mounts && k < ed->mounts->len; k++) {
                                const struct json *m = ed->mounts->items[k];
                                struct json *host = json_get(m, "hostPath"), *dest = json_get(m, "containerPath");
                                struct json *opts = json_get(m, "options"), *type = json_get(m, "type");
                                _cleanup_json_ struct json *om = json_new(JSON_OBJECT);

                                if (!host || host->type != JSON_STRING || !dest || dest->type != JSON_STRING)
                                        return pal_err_set(err, -EINVAL, "CDI device %s (%s): mounts[%zu]: hostPath and "
                                                           "containerPath are required strings", set->found[i].qualified,
                                                           set->found[i].file, k);
                                if (!om || !mounts || json_set(om, "destination", json_new_string(dest->str)) < 0 ||
                                    json_set(om, "source", json_new_string(host->str)) < 0 ||
                                    json_set(om, "type", json_new_string(type && type->type == JSON_STRING ? type->str : "bind")) < 0 ||
                                    (opts && json_set(om, "options", json_clone(opts)) < 0) ||
                                    json_append(mounts, TAKE_PTR(om)) < 0)
                                        return pal_err_set(err, -ENOMEM, "out of memory");
                        }
                        for (size_t k = 0; ed->hooks && k < ed->hooks->len; k++) {
                                const struct json *h = ed->hooks->items[k];
                                struct json *name = json_get(h, "hookName"), *path = json_get(h, "path"), *list;
                                _cleanup_json_ struct json *oh = json_clone(h);

                                static const char *const hook_keys[] = { "hookName", "path", "args", "env", "timeout", NULL };
                                struct jpath hp;

                                jpath_init(&hp);
                                if (json_only_keys(h, hook_keys, false, &hp, err) < 0)
                                        return pal_err_wrap(err, "CDI device %s (%s): hooks[%zu]", set->found[i].qualified,
                                                            set->found[i].file, k);
                                if (!name || name->type != JSON_STRING || !path || path->type != JSON_STRING ||
                                    path->str[0] != '/')
                                        return pal_err_set(err, -EINVAL, "CDI device %s (%s): hooks[%zu]: hookName and an "
                                                           "absolute path are required", set->found[i].qualified,
                                                           set->found[i].file, k);
                                if (!oh || !hooks || !(list = spec_child(hooks, name->str, JSON_ARRAY, err)))
                                        return pal_err_set(err, -ENOMEM, "out of memory");
                                json_remove(oh, "hookName");
                                if (json_append(list, TAKE_PTR(oh)) < 0)
                                        return pal_err_set(err, -ENOMEM, "out of memory");
                        }
                }
        }
        return 0;
}

bool cdi_has_other_edits(const struct cdi_set *set)
{
        for (size_t i = 0; i < set->n_found; i++) {
                const struct cdi_edits *edits[2] = { &set->found[i].spec->edits, &set->found[i].device->edits };
                for (size_t e = 0; e < 2; e++)
                        if ((edits[e]->env && edits[e]->env->len) || (edits[e]->mounts && edits[e]->mounts->len) ||
                            (edits[e]->hooks && edits[e]->hooks->len))
                                return true;
        }
        return false;
}
