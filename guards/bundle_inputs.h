/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a bundle asks of the runtime directly, around the guards: runtime
 * annotations that change enforcement (oci/runtime_annotations.h), hooks the
 * runtime runs as root, and io.palisade.* requests no enabled guard serves.
 * Judged in every door before the guards run.
 */
#pragma once

#include "guard.h"

/*
 * spec_phase: the shim's create/run or precreate, where the bundle's hooks
 * are judged too (at createRuntime the spec also holds the hooks Podman took
 * from hooks.d, which are the administrator's).
 */
int bundle_inputs_check(const struct pal_ctx *ctx, bool spec_phase, struct pal_err *err);
