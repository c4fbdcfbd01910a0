/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The merge, syscall by syscall. Each profile says, for one syscall name,
 * either one action whatever the arguments ("plain": a rule without
 * conditions, or no rule and so the default), or rules with argument
 * conditions and the default for arguments no rule matches ("conditional").
 *
 *   plain + plain:        max(a, b), exact.
 *   conditional + plain:  each conditional rule raised to max(rule, plain);
 *                         the rest is max(default, plain). Exact when that
 *                         rest is the merged default; otherwise libseccomp
 *                         cannot say "every other argument" and the stricter
 *                         choice is taken.
 *   conditional + conditional: identical rule sets merge exactly; otherwise
 *                         each side's rules are raised to the other side's
 *                         strictest outcome (stricter, reported).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <seccomp.h>
#include <string.h>

#include "merge.h"
#include "lib/cleanup.h"

/* What one profile says about one syscall name. */
struct view {
        const struct sc_rule **cond;    /* rules with conditions */
        size_t n_cond;
        bool has_plain;
        uint32_t plain;                 /* plain action, or the default */
        uint32_t worst;                 /* strictest outcome of all */
        uint32_t rest;                  /* where no conditional rule matches */
};

static bool same_args(const struct sc_rule *a, const struct sc_rule *b)
{
        return a->n_args == b->n_args && memcmp(a->args, b->args, a->n_args * sizeof(a->args[0])) == 0;
}

/* A profile's rules sorted by name, walked name by name in step with another's. */
struct index {
        const struct sc_profile *p;
        const struct sc_rule **by_name;
        size_t pos;
};

static int by_name(const void *x, const void *y)
{
        const struct sc_rule *a = *(const struct sc_rule *const *) x, *b = *(const struct sc_rule *const *) y;
        int c = strcmp(a->name, b->name);

        return c ? c : (a->seq < b->seq ? -1 : a->seq > b->seq);       /* the profile's order within a name */
}

static int index_init(struct index *ix, const struct sc_profile *p)
{
        *ix = (struct index) { .p = p, .by_name = calloc(p->n_rules + 1, sizeof(*ix->by_name)) };
        if (!ix->by_name)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_rules; i++)
                ix->by_name[i] = &p->rules[i];
        qsort(ix->by_name, p->n_rules, sizeof(*ix->by_name), by_name);
        return 0;
}

static void index_free(struct index *ix)
{
        free(ix->by_name);
}

static const char *index_name(const struct index *ix)
{
        return ix->pos < ix->p->n_rules ? ix->by_name[ix->pos]->name : NULL;
}

/* The next name of either index, in order; NULL when both are done. */
static const char *next_name(const struct index *a, const struct index *b)
{
        const char *na = index_name(a), *nb = index_name(b);

        if (!na || !nb)
                return na ? na : nb;
        return strcmp(na, nb) <= 0 ? na : nb;
}

/* What ix says about name (the next name, or one it lacks); steps past it. */
static void view_of(struct index *ix, const char *name, const struct sc_rule **buf, struct view *v)
{
        *v = (struct view) { .cond = buf, .plain = ix->p->default_action };
        for (; ix->pos < ix->p->n_rules && strcmp(ix->by_name[ix->pos]->name, name) == 0; ix->pos++) {
                const struct sc_rule *r = ix->by_name[ix->pos];

                if (r->n_args) {
                        bool dup = false;
                        for (size_t k = 0; k < v->n_cond && !dup; k++)
                                dup = same_args(v->cond[k], r) && v->cond[k]->action == r->action;
                        if (!dup)
                                buf[v->n_cond++] = r;
                } else {
                        /* Two plain rules for one name: libseccomp refuses; be strict. */
                        v->plain = v->has_plain ? sc_action_max(v->plain, r->action) : r->action;
                        v->has_plain = true;
                }
        }
        v->rest = v->plain;
        v->worst = v->plain;
        for (size_t i = 0; i < v->n_cond; i++)
                v->worst = sc_action_max(v->worst, v->cond[i]->action);
        /* A plain rule beside conditional ones: read it all as the strictest. */
        if (v->has_plain && v->n_cond) {
                v->plain = v->worst;
                v->n_cond = 0;
        }
}

static bool view_conditional(const struct view *v)
{
        return v->n_cond > 0;
}

static bool same_rules(const struct view *a, const struct view *b)
{
        if (a->n_cond != b->n_cond)
                return false;
        for (size_t i = 0; i < a->n_cond; i++) {
                size_t k;
                for (k = 0; k < b->n_cond; k++)
                        if (same_args(a->cond[i], b->cond[k]) && a->cond[i]->action == b->cond[k]->action)
                                break;
                if (k == b->n_cond)
                        return false;
        }
        return true;
}

/*
 * Conditional against conditional: every rule of h matches a rule of w with
 * the same conditions and is at least as strict, or is at least as strict as
 * anything w says; every rule of w is matched so, or falls to h's rest,
 * which is at least as strict.
 */
static bool covers(const struct view *h, const struct view *w)
{
        if (sc_action_stricter(w->rest, h->rest))
                return false;
        for (size_t i = 0; i < h->n_cond; i++) {
                bool ok = !sc_action_stricter(w->worst, h->cond[i]->action);
                for (size_t k = 0; k < w->n_cond && !ok; k++)
                        ok = same_args(h->cond[i], w->cond[k]) &&
                             !sc_action_stricter(w->cond[k]->action, h->cond[i]->action);
                if (!ok)
                        return false;
        }
        for (size_t i = 0; i < w->n_cond; i++) {
                bool ok = !sc_action_stricter(w->cond[i]->action, h->rest);
                for (size_t k = 0; k < h->n_cond && !ok; k++)
                        ok = same_args(h->cond[k], w->cond[i]) &&
                             !sc_action_stricter(w->cond[i]->action, h->cond[k]->action);
                if (!ok)
                        return false;
        }
        return true;
}

struct out {
        struct sc_profile *p;
        struct pal_err *err;
};

static int emit(struct out *o, const char *name, uint32_t action, const struct sc_rule *like)
{
        struct sc_profile *p = o->p;
        struct sc_rule *r;

        /* A rule that says the default says nothing (and runc skips it). */
        if (action == p->default_action)
                return 0;
        for (size_t i = 0; like && i < p->n_rules; i++)
                if (p->rules[i].action == action && same_args(&p->rules[i], like) && strcmp(p->rules[i].name, name) == 0)
                        return 0;
        if (p->n_rules % 64 == 0) {
                struct sc_rule *n = realloc(p->rules, (p->n_rules + 64) * sizeof(*n));
                if (!n)
                        return pal_err_set(o->err, -ENOMEM, "seccomp merge: out of memory");
                p->rules = n;
        }
        r = &p->rules[p->n_rules];
        *r = like ? *like : (struct sc_rule) { 0 };
        r->action = action;
        r->seq = p->n_rules;
        if (!like)
                snprintf(r->origin, sizeof(r->origin), "merged %s", name);
        if (!(r->name = strdup(name)))
                return pal_err_set(o->err, -ENOMEM, "seccomp merge: out of memory");
        p->n_rules++;
        return 0;
}

static void note_loss(struct sc_loss *loss, const char *name)
{
        if (loss->count < SC_LOSS_NAMES)
                snprintf(loss->names[loss->count], sizeof(loss->names[0]), "%.63s", name);
        loss->count++;
}

/* One conditional side (c) against the other side's plain action. */
static int merge_cond_plain(struct out *o, const char *name, const struct view *c, uint32_t plain,
                            struct sc_loss *loss)
{
        uint32_t rest = sc_action_max(c->rest, plain), all = rest;
        bool uniform = true;
        int r;

        for (size_t i = 0; i < c->n_cond; i++) {
                uint32_t raised = sc_action_max(c->cond[i]->action, plain);
                uniform = uniform && raised == rest;
                all = sc_action_max(all, raised);
        }
        if (uniform)
                return emit(o, name, rest, NULL);
        if (rest != o->p->default_action && sc_action_stricter(rest, o->p->default_action)) {
                /* "Every other argument" cannot be said: the whole syscall gets the strictest. */
                note_loss(loss, name);
                return emit(o, name, all, NULL);
        }
        size_t dropped = 0;
        for (size_t i = 0; i < c->n_cond; i++)
                dropped += sc_action_max(c->cond[i]->action, plain) == o->p->default_action;
        /*
         * The rest falls to the stricter default; or rules raised to the
         * default go (runc drops them too), and where one overlapped a kept
         * rule, the kept one, stricter, now decides.
         */
        if (rest != o->p->default_action || (dropped && dropped < c->n_cond))
                note_loss(loss, name);
        for (size_t i = 0; i < c->n_cond; i++)
                if ((r = emit(o, name, sc_action_max(c->cond[i]->action, plain), c->cond[i])) < 0)
                        return r;
        return 0;
}

static int merge_name(struct out *o, struct index *a, struct index *b, const char *name,
                      const struct sc_rule **buf_a, const struct sc_rule **buf_b, struct sc_loss *loss)
{
        struct view va, vb;
        int r;

        view_of(a, name, buf_a, &va);
        view_of(b, name, buf_b, &vb);
        if (!view_conditional(&va) && !view_conditional(&vb))
                return emit(o, name, sc_action_max(va.plain, vb.plain), NULL);
        if (!view_conditional(&vb))
                return merge_cond_plain(o, name, &va, vb.plain, loss);
        if (!view_conditional(&va))
                return merge_cond_plain(o, name, &vb, va.plain, loss);
        if (same_rules(&va, &vb) && va.rest == vb.rest)
                return merge_cond_plain(o, name, &va, SCMP_ACT_ALLOW, loss);    /* raises nothing */
        note_loss(loss, name);
        if (sc_action_stricter(sc_action_max(va.rest, vb.rest), o->p->default_action))
                return emit(o, name, sc_action_max(va.worst, vb.worst), NULL);
        for (size_t i = 0; i < va.n_cond; i++)
                if ((r = emit(o, name, sc_action_max(va.cond[i]->action, vb.worst), va.cond[i])) < 0)
                        return r;
        for (size_t i = 0; i < vb.n_cond; i++)
                if ((r = emit(o, name, sc_action_max(vb.cond[i]->action, va.worst), vb.cond[i])) < 0)
                        return r;
        return 0;
}

/* Architectures: a syscall of an architecture either filter lacks is killed, so both must list it. */
static void merge_arches(const struct sc_profile *a, const struct sc_profile *b, struct sc_profile *out)
{
        uint32_t native = sc_native_arch();

        for (unsigned i = 0; i < a->n_arches; i++)
                for (unsigned k = 0; k < b->n_arches; k++)
                        if (a->arches[i] == b->arches[k])
                                out->arches[out->n_arches++] = a->arches[i];
        /* The native architecture is always in a filter (seccomp_init adds it). */
        if (out->n_arches == 0 && (a->n_arches || b->n_arches))
                out->arches[out->n_arches++] = native;
}

/* Plain rules grouped by action (one JSON entry each); conditional rules in the order they came. */
static int by_action(const void *x, const void *y)
{
        const struct sc_rule *a = x, *b = y;

        if ((a->n_args != 0) != (b->n_args != 0))
                return a->n_args ? 1 : -1;
        if (a->n_args)
                return a->seq < b->seq ? -1 : a->seq > b->seq;
        if (a->action != b->action)
                return a->action < b->action ? -1 : 1;
        return strcmp(a->name, b->name);
}

int sc_merge(const struct sc_profile *a, const struct sc_profile *b, struct sc_profile *out, struct sc_loss *loss,
             struct pal_err *err)
{
        _cleanup_free_ const struct sc_rule **buf_a = calloc(a->n_rules + 1, sizeof(*buf_a));
        _cleanup_free_ const struct sc_rule **buf_b = calloc(b->n_rules + 1, sizeof(*buf_b));
        struct out o = { .p = out, .err = err };
        struct index ia = { 0 }, ib = { 0 };
        int r;

        *out = (struct sc_profile) { 0 };
        *loss = (struct sc_loss) { 0 };
        if (!buf_a || !buf_b)
                return pal_err_set(err, -ENOMEM, "seccomp merge: out of memory");
        if (a->listener_path && b->listener_path && strcmp(a->listener_path, b->listener_path) != 0)
                return pal_err_set(err, -EINVAL, "seccomp merge: two listenerPath values (\"%.200s\" and \"%.200s\"); "
                                   "a filter has one listener", a->listener_path, b->listener_path);
        out->default_action = sc_action_max(a->default_action, b->default_action);
        merge_arches(a, b, out);
        /* SPEC_ALLOW turns off a Spectre mitigation: only if both allow it. */
        out->flags = ((a->flags | b->flags) & ~SC_FLAG_SPEC_ALLOW) | (a->flags & b->flags & SC_FLAG_SPEC_ALLOW);
        const struct sc_profile *lp = a->listener_path ? a : b;
        if ((lp->listener_path && !(out->listener_path = strdup(lp->listener_path))) ||
            (lp->listener_metadata && !(out->listener_metadata = strdup(lp->listener_metadata)))) {
                r = pal_err_set(err, -ENOMEM, "seccomp merge: out of memory");
                goto fail;
        }
        if (index_init(&ia, a) < 0 || index_init(&ib, b) < 0) {
                r = pal_err_set(err, -ENOMEM, "seccomp merge: out of memory");
                goto fail;
        }
        for (const char *name; (name = next_name(&ia, &ib));) {
                char copy[128];

                /* name points into a rule the views step past: keep it. */
                snprintf(copy, sizeof(copy), "%s", name);
                if ((r = merge_name(&o, &ia, &ib, copy, buf_a, buf_b, loss)) < 0)
                        goto fail;
        }
        /* Both profiles may have no rule at all (a bare defaultAction): qsort's base is then NULL. */
        if (out->n_rules)
                qsort(out->rules, out->n_rules, sizeof(out->rules[0]), by_action);
        index_free(&ia);
        index_free(&ib);
        return 0;
fail:
        index_free(&ia);
        index_free(&ib);
        sc_profile_free(out);
        return r;
}

int sc_check_at_least(const struct sc_profile *have, const struct sc_profile *want, struct pal_err *err)
{
        _cleanup_free_ const struct sc_rule **buf_h = calloc(have->n_rules + 1, sizeof(*buf_h));
        _cleanup_free_ const struct sc_rule **buf_w = calloc(want->n_rules + 1, sizeof(*buf_w));
        struct index ih = { 0 }, iw = { 0 };
        char h[48], w[48];
        int r = 0;

        if (!buf_h || !buf_w)
                return pal_err_set(err, -ENOMEM, "out of memory");
        if (sc_action_stricter(want->default_action, have->default_action)) {
                sc_action_describe(have->default_action, h, sizeof(h));
                sc_action_describe(want->default_action, w, sizeof(w));
                return pal_err_set(err, -EPERM, "defaultAction is %s, policy requires %s", h, w);
        }
        if ((have->flags & SC_FLAG_SPEC_ALLOW) && !(want->flags & SC_FLAG_SPEC_ALLOW))
                return pal_err_set(err, -EPERM, "flag SECCOMP_FILTER_FLAG_SPEC_ALLOW turns off a mitigation policy keeps");
        for (unsigned i = 0; i < have->n_arches; i++) {
                bool found = have->arches[i] == sc_native_arch();
                for (unsigned k = 0; k < want->n_arches && !found; k++)
                        found = want->arches[k] == have->arches[i];
                if (!found)
                        return pal_err_set(err, -EPERM, "architecture %s is filtered by the policy's rules for no "
                                           "architecture", sc_arch_name(have->arches[i]));
        }
        if (index_init(&ih, have) < 0 || index_init(&iw, want) < 0) {
                r = pal_err_set(err, -ENOMEM, "out of memory");
                goto out;
        }
        for (const char *next; (next = next_name(&ih, &iw));) {
                struct view vh, vw;
                uint32_t least;
                char name[128];

                snprintf(name, sizeof(name), "%s", next);
                view_of(&ih, name, buf_h, &vh);
                view_of(&iw, name, buf_w, &vw);
                /* The most permissive outcome `have` allows for this name. */
                least = vh.rest;
                for (size_t k = 0; k < vh.n_cond; k++)
                        if (sc_action_stricter(least, vh.cond[k]->action))
                                least = vh.cond[k]->action;
                if (!sc_action_stricter(vw.worst, least))
                        continue;               /* at least as strict everywhere */
                if (view_conditional(&vh) && view_conditional(&vw) && covers(&vh, &vw))
                        continue;
                sc_action_describe(least, h, sizeof(h));
                sc_action_describe(vw.worst, w, sizeof(w));
                r = pal_err_set(err, -EPERM, "syscall %s: the filter allows %s where policy requires %s", name, h, w);
                goto out;
        }
out:
        index_free(&ih);
        index_free(&iw);
        return r;
}

void sc_loss_describe(const struct sc_loss *loss, char *buf, size_t size)
{
        size_t used = 0, shown = loss->count < SC_LOSS_NAMES ? loss->count : SC_LOSS_NAMES;

        buf[0] = '\0';
        for (size_t i = 0; i < shown && used < size; i++)
                used += (size_t) snprintf(buf + used, size - used, "%s%s", i ? ", " : "", loss->names[i]);
        if (loss->count > shown && used < size)
                snprintf(buf + used, size - used, " and %zu more", loss->count - shown);
}
