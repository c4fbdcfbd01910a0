/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The record of palisade's edits to a bundle's spec, kept beside it (file
 * NAME.palisade next to NAME, written by the shim), so that the next spec
 * phase on the bundle starts from the owner's spec, not from palisade's
 * last output: {"palisade_record": 1, "changes": spec_diff(owner, output)}.
 *
 * The record is the bundle's file, so the bundle's owner can forge it. It is
 * trusted for one thing only: what "the owner's spec" is, which the owner
 * decides anyway. The guards then judge that spec from scratch. Nothing in
 * it names a file palisade acts on.
 *
 * Reverting is value-guarded: a change is undone only where the spec still
 * holds the value palisade wrote. Where the owner changed that value since,
 * the owner's value stays (it is the owner's spec now), less what palisade
 * added: its elements of an array it only inserted into, its members (and
 * theirs) of an object it added.
 */
#pragma once

#include "lib/json.h"
#include "spec.h"

#define SPEC_RECORD_SUFFIX ".palisade"
#define SPEC_RECORD_MAX_BYTES (2 * OCI_SPEC_MAX_BYTES + 4096)

/* The record for a spec phase that turned owner into out, or NULL when out of memory. */
struct json *spec_record_new(const struct json *owner, const struct json *out);

/* Parse and check a record's text (its shape; its values are the owner's). */
int spec_record_parse(const char *buf, size_t len, struct json **out, struct pal_err *err);

/* The changes list of a parsed record (for `palisade inspect`). */
const struct json *spec_record_changes(const struct json *record);

/* Undo in tree (a config.json) what record says palisade changed, where tree still shows it. */
int spec_record_revert(struct json *tree, const struct json *record, struct pal_err *err);

/*
 * A bundle's spec as its owner wrote it: text (NAME in dir_fd, read by the
 * caller) with the edits recorded in NAME.palisade undone. *record gets the
 * record's text as read (NULL when there is none), for spec_record_store.
 * A spec that still carries an older palisade's inline record (annotation
 * SPEC_LEGACY_DIFF_ANNOTATION) and no record file is refused: its edits
 * cannot be told from the owner's.
 */
#define SPEC_LEGACY_DIFF_ANNOTATION "io.palisade.diff"
int spec_record_owner_spec(int dir_fd, const char *name, const char *text, size_t len, struct oci_spec **out,
                           char **record, size_t *record_len, struct pal_err *err);

/* Write record as NAME.palisade (atomically, mode and owner of NAME), unless it reads old already. */
struct stat;
int spec_record_store(int dir_fd, const char *name, const struct json *record, const char *old, size_t old_len,
                      const struct stat *st, struct pal_err *err);
