/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "runtime_annotations.h"

/*
 * What each does, from the runtimes' sources at the versions named in
 * RUNTIME_ANNOTATIONS_CHECKED. Harmless entries are listed so that a reader
 * sees they were judged, and so that the "run.oci." catch-all spares them.
 */
const struct runtime_annotation runtime_annotations[] = {
        { "run.oci.seccomp_bpf_data", false, false, "crun",
          "crun installs this raw BPF program instead of linux.seccomp: it replaces palisade's filter" },
        { "run.oci.seccomp.plugins", false, false, "crun",
          "crun dlopens the named libraries as root on the host to serve the container's seccomp notifications" },
        { "run.oci.seccomp.receiver", false, false, "crun",
          "crun connects to this host socket as root and hands it the container's seccomp listener fd" },
        { "run.oci.pidfd_receiver", false, false, "crun",
          "crun connects to this host socket as root and hands it a pidfd of the container's init" },
        { "run.oci.handler", false, false, "crun",
          "crun runs the container through another handler (krun, wasm...) instead of the spec's process" },
        { "module.wasm.image/variant", false, false, "crun",
          "crun runs the container through its wasm handler instead of the spec's process" },
        { "run.oci.keep_original_groups", false, false, "crun",
          "crun skips setgroups: the container's process keeps the runtime's supplementary groups (podman "
          "--group-add keep-groups, rootless only)" },
        { "run.oci.systemd.subgroup", false, false, "crun",
          "crun moves the container into a sub-cgroup of its unit, away from the cgroup the limits were set on" },
        { "run.oci.delegate-cgroup", false, false, "crun",
          "crun creates a cgroup delegated to the container, which it may then reconfigure" },
        { "run.oci.systemd.force_cgroup_v1", false, false, "crun",
          "crun mounts a cgroup v1 hierarchy from the host into the container" },
        { "run.oci.mount_context_type", false, false, "crun",
          "crun labels the container's mounts with another SELinux context option" },
        { "run.oci.hooks.stdout", false, false, "crun",
          "crun opens this host path as root (created, appended to) for the hooks' output: a bundle may create "
          "files anywhere on the host" },
        { "run.oci.hooks.stderr", false, false, "crun",
          "crun opens this host path as root (created, appended to) for the hooks' errors: a bundle may create "
          "files anywhere on the host" },
        { "run.oci.timens_offset", false, true, "crun",
          "offsets of the container's own time namespace: its clocks only" },
        { "run.oci.seccomp_fail_unknown_syscall", false, true, "crun",
          "crun refuses a filter naming a syscall it does not know: stricter, never looser" },
        { "io.kubernetes.cri.container-type", false, true, "crun",
          "only stops crun from running a handler for a sandbox (pause) container; containerd's CRI sets it" },
        { "org.criu.config", false, false, "runc",
          "runc hands CRIU this configuration file at checkpoint and restore, run as root on the host" },
        { "org.systemd.property.", true, false, "runc, crun",
          "with the systemd cgroup driver, the runtime sets this unit property (DeviceAllow, DevicePolicy, "
          "Delegate...) on the container's scope: limits and devices behind the spec's back" },
        { "run.oci.", true, false, "crun",
          "crun's own annotation namespace: a key this table does not know may change enforcement in a newer "
          "crun" },
        { NULL, false, false, NULL, NULL },
};

const struct runtime_annotation *runtime_annotation_lookup(const char *key)
{
        const struct runtime_annotation *best = NULL;

        for (const struct runtime_annotation *a = runtime_annotations; a->key; a++) {
                if (!a->prefix) {
                        if (strcmp(a->key, key) == 0)
                                return a;
                        continue;
                }
                if (strncmp(a->key, key, strlen(a->key)) == 0 && (!best || strlen(a->key) > strlen(best->key)))
                        best = a;
        }
        return best;
}
