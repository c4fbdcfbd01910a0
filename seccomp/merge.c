/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The merge, syscall by syscall. Each profile says, for one syscall name,
 * either one action whatever the arguments ("plain": a rule without
 * conditions, or no rule and so the default), or rules with argument
 * conditions and the default for arguments no rule matches ("conditional").
 *
 * The rule: where both profiles let a call run, the merge gives the
 * stricter of their two verdicts, exactly; where either denies it (ERRNO,
 * TRAP, KILL), the merge denies it at least as strictly. Only how a call is
 * denied may change: the errno of one side where the other's differs, or a
 * stricter denial where libseccomp cannot say the exact one (reported in
 * struct sc_loss). Where neither fits, the merge is refused.
 *
 *   plain + plain: max(a, b).
 *   otherwise the argument space is cut into regions: a rule of each side
 *   matches (one rule with both conditions), a rule of one side only (that
 *   rule, where it overlaps none of the other side's), none (the merged
 *   default, which must serve: the same action, or a denial for a denial).
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

/* Does the action stop the call (rather than let it run, traced, logged or notified)? */
static bool denies(uint32_t action)
{
        return !sc_action_stricter(SCMP_ACT_ERRNO(0), action);
}

static bool same_kind(uint32_t a, uint32_t b)
{
        return !sc_action_stricter(a, b) && !sc_action_stricter(b, a);
}

/*
 * May the merged default stand for a region that wants `want`? Only the
 * same action, or a denial by a denial at least as strict: the merge may
 * change how a call is denied, never whether.
 */
static bool default_serves(uint32_t want, uint32_t dflt)
{
        return want == dflt || (denies(want) && denies(dflt) && !sc_action_stricter(want, dflt));
}

static bool cond_holds(const struct sc_arg *c, uint64_t v)
{
        switch (c->op) {
        case SCMP_CMP_NE: return v != c->value;
        case SCMP_CMP_LT: return v < c->value;
        case SCMP_CMP_LE: return v <= c->value;
        case SCMP_CMP_EQ: return v == c->value;
        case SCMP_CMP_GE: return v >= c->value;
        case SCMP_CMP_GT: return v > c->value;
        case SCMP_CMP_MASKED_EQ: return (v & c->value) == c->value_two;
        default: return true;           /* unknown: assume it may hold */
        }
}

/* The values a range condition admits, [lo, hi]; false for other ops or none at all. */
static bool cond_range(const struct sc_arg *c, uint64_t *lo, uint64_t *hi)
{
        *lo = 0;
        *hi = UINT64_MAX;
        switch (c->op) {
        case SCMP_CMP_LT: *hi = c->value - 1; return c->value != 0;
        case SCMP_CMP_LE: *hi = c->value; return true;
        case SCMP_CMP_GE: *lo = c->value; return true;
        case SCMP_CMP_GT: *lo = c->value + 1; return c->value != UINT64_MAX;
        default: return false;
        }
}

static bool same_cond(const struct sc_arg *a, const struct sc_arg *b)
{
        return a->index == b->index && a->op == b->op && a->value == b->value &&
               (a->op != SCMP_CMP_MASKED_EQ || a->value_two == b->value_two);
}

/* Provably no value satisfies both conditions (of one argument)? */
static bool cond_disjoint(const struct sc_arg *a, const struct sc_arg *b)
{
        uint64_t alo, ahi, blo, bhi;

        if (a->op == SCMP_CMP_EQ)
                return !cond_holds(b, a->value);
        if (b->op == SCMP_CMP_EQ)
                return !cond_holds(a, b->value);
        if (a->op == SCMP_CMP_MASKED_EQ && b->op == SCMP_CMP_MASKED_EQ)
                return ((a->value_two ^ b->value_two) & a->value & b->value) || (a->value_two & ~a->value) ||
                       (b->value_two & ~b->value);
        if ((a->op == SCMP_CMP_LT && a->value == 0) || (b->op == SCMP_CMP_LT && b->value == 0) ||
            (a->op == SCMP_CMP_GT && a->value == UINT64_MAX) || (b->op == SCMP_CMP_GT && b->value == UINT64_MAX))
                return true;
        if (cond_range(a, &alo, &ahi) && cond_range(b, &blo, &bhi))
                return (alo > blo ? alo : blo) > (ahi < bhi ? ahi : bhi);
        return false;
}

/* a AND b as one condition: 1 (in *out), 0 when nothing satisfies both, -1 when libseccomp cannot say it. */
static int cond_and(const struct sc_arg *a, const struct sc_arg *b, struct sc_arg *out)
{
        uint64_t alo, ahi, blo, bhi;

        if (same_cond(a, b)) {
                *out = *a;
                return 1;
        }
        if (cond_disjoint(a, b))
                return 0;
        if (a->op == SCMP_CMP_EQ || b->op == SCMP_CMP_EQ) {
                *out = a->op == SCMP_CMP_EQ ? *a : *b;
                return 1;
        }
        /* Two bounds on the same side: the tighter one. */
        if (cond_range(a, &alo, &ahi) && cond_range(b, &blo, &bhi) && (alo == blo || ahi == bhi)) {
                *out = (alo == blo ? ahi <= bhi : alo >= blo) ? *a : *b;
                return 1;
        }
        return -1;
}

/* Rules whose conditions no call can meet together. */
static bool rules_disjoint(const struct sc_rule *a, const struct sc_rule *b)
{
        for (unsigned i = 0; i < a->n_args; i++)
                for (unsigned k = 0; k < b->n_args; k++)
                        if (a->args[i].index == b->args[k].index && cond_disjoint(&a->args[i], &b->args[k]))
                                return true;
        return false;
}

/* Every call h matches, w matches too. */
static bool rule_implies(const struct sc_rule *h, const struct sc_rule *w)
{
        for (unsigned k = 0; k < w->n_args; k++) {
                bool ok = false;
                for (unsigned i = 0; i < h->n_args && !ok; i++)
                        ok = same_cond(&h->args[i], &w->args[k]) ||
                             (h->args[i].index == w->args[k].index && h->args[i].op == SCMP_CMP_EQ &&
                              cond_holds(&w->args[k], h->args[i].value));
                if (!ok)
                        return false;
        }
        return true;
}

/* The rule matching exactly the calls both match: 1, 0 (none), -1 (not one libseccomp rule). */
static int rule_and(const struct sc_rule *a, const struct sc_rule *b, struct sc_rule *out)
{
        *out = *a;
        for (unsigned k = 0; k < b->n_args; k++) {
                unsigned i;
                for (i = 0; i < out->n_args && out->args[i].index != b->args[k].index; i++)
                        ;
                if (i == out->n_args) {
                        out->args[out->n_args++] = b->args[k];
                        continue;
                }
                int r = cond_and(&out->args[i], &b->args[k], &out->args[i]);
                if (r <= 0)
                        return r;
        }
        return 1;
}

/* Two rules of one side that may match one call with different kinds of action: libseccomp's order decides. */
static bool overlapping(const struct view *v)
{
        for (size_t i = 0; i < v->n_cond; i++)
                for (size_t k = i + 1; k < v->n_cond; k++)
                        if (!same_kind(v->cond[i]->action, v->cond[k]->action) &&
                            !rules_disjoint(v->cond[i], v->cond[k]))
                                return true;
        return false;
}

static int inexact(struct out *o, const char *name, const char *why)
{
        return pal_err_set(o->err, -EINVAL, "seccomp merge: syscall %s: %s; libseccomp rules cannot say the merge "
                           "exactly, and the merge never denies a call both profiles allow nor allows one either denies",
                           name, why);
}

/*
 * One side's rules where the other side's rules do not match (rows of the
 * cells below): a rule that overlaps none of the other side's is written
 * as it is, raised to the other side's rest; a denial that overlaps them
 * covers its cells too (done[i]); anything else is left to the default
 * and the cells.
 */
static int merge_side(struct out *o, const char *name, const struct view *v, const struct view *other, bool *done,
                      bool *lost)
{
        uint32_t dflt = o->p->default_action;
        int r;

        for (size_t i = 0; i < v->n_cond; i++) {
                const struct sc_rule *ri = v->cond[i];
                uint32_t w = sc_action_max(ri->action, other->rest), cover = w;
                bool alone = true;

                for (size_t k = 0; k < other->n_cond; k++)
                        if (!rules_disjoint(ri, other->cond[k])) {
                                alone = false;
                                cover = sc_action_max(cover, sc_action_max(ri->action, other->cond[k]->action));
                        }
                if (!alone && default_serves(w, dflt)) {
                        *lost = *lost || !same_kind(w, dflt);
                        continue;
                }
                if (!alone && !denies(w))
                        return inexact(o, name, "an argument rule of one profile overlaps the other's and needs "
                                       "its own action where the other's rules do not match");
                done[i] = true;
                *lost = *lost || !same_kind(cover, w);
                if ((r = emit(o, name, cover, ri)) < 0)
                        return r;
        }
        /*
         * A rule the merge drops (it says the merged default) no longer
         * shadows an overlapping rule of its side that stays: a denial may
         * then be denied otherwise, anything else is refused.
         */
        for (size_t i = 0; i < v->n_cond; i++) {
                uint32_t wi = sc_action_max(v->cond[i]->action, other->rest);

                if (done[i] && wi != dflt)
                        continue;
                for (size_t k = 0; k < v->n_cond; k++) {
                        if (k == i || !done[k] || same_kind(sc_action_max(v->cond[k]->action, other->rest), wi) ||
                            rules_disjoint(v->cond[i], v->cond[k]))
                                continue;
                        if (!denies(wi))
                                return inexact(o, name, "a rule that says the merged default overlaps one that "
                                               "stays");
                        *lost = true;
                }
        }
        return 0;
}

/*
 * The merged action of each region of the argument space: where a rule of
 * each side matches (a cell of the two rule lists), where a rule of one
 * side matches and none of the other (a row or column), and where none
 * matches (the rest). A region is written as a rule when the merged default
 * cannot stand for it; it never widens or narrows what is allowed.
 */
static int merge_views(struct out *o, const char *name, const struct view *va, const struct view *vb,
                       struct sc_loss *loss)
{
        uint32_t dflt = o->p->default_action, rest = sc_action_max(va->rest, vb->rest), all = rest;
        bool uniform = true, all_deny = denies(rest), lost = false;
        _cleanup_free_ bool *row_done = calloc(va->n_cond + 1, sizeof(bool));
        _cleanup_free_ bool *col_done = calloc(vb->n_cond + 1, sizeof(bool));
        int r;

        if (!row_done || !col_done)
                return pal_err_set(o->err, -ENOMEM, "seccomp merge: out of memory");
        /* Every region's action: one kind everywhere, or denials everywhere, make one plain rule. */
        for (size_t i = 0; i < va->n_cond; i++) {
                uint32_t w = sc_action_max(va->cond[i]->action, vb->rest);
                uniform = uniform && same_kind(w, rest);
                all_deny = all_deny && denies(w);
                all = sc_action_max(all, w);
                for (size_t k = 0; k < vb->n_cond; k++) {
                        uint32_t c = sc_action_max(va->cond[i]->action, vb->cond[k]->action);
                        uniform = uniform && same_kind(c, rest);
                        all_deny = all_deny && denies(c);
                        all = sc_action_max(all, c);
                }
        }
        for (size_t k = 0; k < vb->n_cond; k++) {
                uint32_t w = sc_action_max(vb->cond[k]->action, va->rest);
                uniform = uniform && same_kind(w, rest);
                all_deny = all_deny && denies(w);
                all = sc_action_max(all, w);
        }
        if (uniform)
                return emit(o, name, all, NULL);
        /* Where no rule matches, the merged default decides; if it cannot, only denials may be made one. */
        if (!default_serves(rest, dflt)) {
                if (!all_deny)
                        return inexact(o, name, "the calls no argument rule matches need another action than the "
                                       "merged default");
                note_loss(loss, name);          /* some denials become stricter ones */
                return emit(o, name, all, NULL);
        }
        lost = !same_kind(rest, dflt);
        if (va->n_cond && vb->n_cond && (overlapping(va) || overlapping(vb)))
                return inexact(o, name, "one profile's argument rules overlap with different actions");
        if ((r = merge_side(o, name, va, vb, row_done, &lost)) < 0 || (r = merge_side(o, name, vb, va, col_done, &lost)) < 0)
                return r;
        /* Cells: where a rule of each side matches, one rule with both conditions. */
        for (size_t i = 0; i < va->n_cond; i++)
                for (size_t k = 0; k < vb->n_cond; k++) {
                        uint32_t w = sc_action_max(va->cond[i]->action, vb->cond[k]->action);
                        struct sc_rule both;
                        int and;

                        if (row_done[i] || col_done[k] || w == dflt)
                                continue;
                        and = rule_and(va->cond[i], vb->cond[k], &both);
                        if (and == 0)
                                continue;
                        if (and < 0) {
                                if (!default_serves(w, dflt))
                                        return inexact(o, name, "two argument rules match the same calls and "
                                                       "their conditions do not make one rule");
                                lost = lost || !same_kind(w, dflt);
                                continue;
                        }
                        if ((r = emit(o, name, w, &both)) < 0)
                                return r;
                }
        if (lost)
                note_loss(loss, name);
        return 0;
}

static int merge_name(struct out *o, struct index *a, struct index *b, const char *name,
                      const struct sc_rule **buf_a, const struct sc_rule **buf_b, struct sc_loss *loss)
{
        struct view va, vb;

        view_of(a, name, buf_a, &va);
        view_of(b, name, buf_b, &vb);
        if (!view_conditional(&va) && !view_conditional(&vb))
                return emit(o, name, sc_action_max(va.plain, vb.plain), NULL);
        return merge_views(o, name, &va, &vb, loss);
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

/*
 * Conditional against conditional: every rule of h is at least as strict as
 * what w says wherever it matches, or matches only calls one rule of w
 * matches and is at least as strict; every rule of w is matched by a rule
 * of h with its conditions, as strict, or falls to h's rest, which is at
 * least as strict.
 */
static bool covers(const struct view *h, const struct view *w)
{
        if (sc_action_stricter(w->rest, h->rest))
                return false;
        for (size_t i = 0; i < h->n_cond; i++) {
                bool ok = !sc_action_stricter(w->worst, h->cond[i]->action), apart = !ok;
                /* At least as strict as whatever w says where it matches. */
                apart = apart && !sc_action_stricter(w->rest, h->cond[i]->action);
                for (size_t k = 0; k < w->n_cond && apart; k++)
                        apart = rules_disjoint(h->cond[i], w->cond[k]) ||
                                !sc_action_stricter(w->cond[k]->action, h->cond[i]->action);
                ok = ok || apart;
                for (size_t k = 0; k < w->n_cond && !ok; k++)
                        ok = rule_implies(h->cond[i], w->cond[k]) &&
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
