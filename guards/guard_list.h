/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guards, written once, in the composer's fixed order: one line per
 * guard, GUARD(name) for the `const struct guard guard_<name>` that
 * guards/<name>.c defines. guard.h declares them from this list and
 * composer.c builds guard_table and guard_names from it, so adding a guard
 * is its file and its line here (docs/ARCHITECTURE.md, "Adding a guard").
 *
 * The order: guards that edit the spec come first, userns first of all (the
 * others judge a container with a user namespace differently); check judges
 * the result; audit is last so that it records every guard's decision,
 * refusals included. The stop phase runs in reverse.
 *
 * No include guard: it is included once per expansion of GUARD.
 */
GUARD(userns)
GUARD(devices)
GUARD(caps)
GUARD(seccomp)
GUARD(agent)
GUARD(check)
GUARD(audit)
