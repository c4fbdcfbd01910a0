/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/capname.h"
#include "lib/cleanup.h"
#include "lib/fileio.h"
#include "lib/json.h"
#include "lint.h"
#include "oci/runtime_annotations.h"
#include "oci/spec_hooks.h"

struct lint {
        struct finding *out;
        size_t n;
};

__attribute__((format(printf, 5, 6)))
static void add(struct lint *l, enum severity sev, const char *path, const char *const why_fix[2], const char *fmt, ...)
{
        struct finding *f;
        va_list ap;

        if (l->n >= LINT_MAX_FINDINGS)
                return;
        f = &l->out[l->n++];
        f->severity = sev;
        snprintf(f->path, sizeof(f->path), "%s", path);
        va_start(ap, fmt);
        vsnprintf(f->what, sizeof(f->what), fmt, ap);
        va_end(ap);
        f->why = why_fix[0];
        f->fix = why_fix[1];
        f->refuse = false;
}

/* TEXT with control characters shown as '?': a finding is one line. */
static const char *one_line(const char *text, char *out, size_t size)
{
        snprintf(out, size, "%s", text);
        for (char *c = out; *c; c++)
                if ((unsigned char) *c < 0x20 || *c == 0x7f)
                        *c = '?';
        return out;
}

static const struct {
        const char *name;
        enum severity severity;
        const char *why;
} dangerous_caps[] = {
        { "CAP_SYS_ADMIN", SEVERITY_HIGH, "mount, namespaces, BPF and much more: the usual way out of a container" },
        { "CAP_SYS_MODULE", SEVERITY_CRITICAL, "loads kernel modules: arbitrary code in the host kernel" },
        { "CAP_SYS_RAWIO", SEVERITY_CRITICAL, "raw I/O ports and /dev/mem: reads and writes host memory" },
        { "CAP_SYS_PTRACE", SEVERITY_HIGH, "traces any process it can see, and with a shared pid namespace the host's" },
        { "CAP_DAC_READ_SEARCH", SEVERITY_HIGH, "open_by_handle_at reads host files outside the rootfs (shocker)" },
        { "CAP_SYS_BOOT", SEVERITY_HIGH, "reboots the host or loads a new kernel (kexec)" },
        { "CAP_MAC_ADMIN", SEVERITY_HIGH, "changes the LSM policy that confines it" },
        { "CAP_MAC_OVERRIDE", SEVERITY_HIGH, "bypasses the LSM policy that confines it" },
        { "CAP_BPF", SEVERITY_HIGH, "loads BPF programs into the host kernel" },
        { "CAP_PERFMON", SEVERITY_MEDIUM, "perf events expose host kernel and process data" },
        { "CAP_SYS_TIME", SEVERITY_MEDIUM, "sets the host clock for every container" },
        { "CAP_NET_ADMIN", SEVERITY_MEDIUM, "reconfigures networking, with the host's in a shared network namespace" },
        { "CAP_SYSLOG", SEVERITY_MEDIUM, "reads kernel messages and addresses" },
};

static const char *const docker_masked[] = {
        "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
};

static const char *const docker_readonly[] = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

static bool string_in(const struct json *arr, const char *s)
{
        for (size_t i = 0; arr && arr->type == JSON_ARRAY && i < arr->len; i++)
                if (arr->items[i]->type == JSON_STRING && strcmp(arr->items[i]->str, s) == 0)
                        return true;
        return false;
}

static void check_caps(struct lint *l, const struct oci_spec *s)
{
        struct json *caps = json_get(json_get(s->tree, "process"), "capabilities");
        const char *in_user_ns = oci_spec_namespace(s, "user") ? " (inside its user namespace only)" : "";

        for (size_t i = 0; i < ARRAY_SIZE(dangerous_caps); i++) {
                const char *set = NULL;
                char path[96];

                for (size_t j = 0; caps && j < caps->len && !set; j++)
                        if (string_in(caps->items[j], dangerous_caps[i].name))
                                set = caps->keys[j];
                if (!set)
                        continue;
                const char *const fix[2] = {
                        dangerous_caps[i].why,
                        "drop it (policy caps.drop, annotation io.palisade.caps.drop, or remove it from every set)",
                };

                snprintf(path, sizeof(path), "process.capabilities.%s", set);
                add(l, in_user_ns[0] && dangerous_caps[i].severity > SEVERITY_LOW ? dangerous_caps[i].severity - 1
                                                                                   : dangerous_caps[i].severity,
                    path, fix, "holds %s%s", dangerous_caps[i].name, in_user_ns);
        }
}

/*
 * A namespace path that names a host process's namespace whatever the
 * machine: PID 1's, or the runtime's own (self, thread-self: the runtime
 * joins it from the host), directly or through a task: "/proc/1/ns/net",
 * "/proc/self/ns/net", "/proc/thread-self/ns/net", "/proc/1/task/1/ns/net",
 * spelled any way the runtime resolves alike ("//proc/./1/ns/net").
 */
static bool ns_path_names_host(const char *path)
{
        static const char *const procs[] = { "/proc/1/", "/proc/self/", "/proc/thread-self/" };
        char clean[4096];
        const char *rest = NULL;

        if (!oci_path_clean(path, clean, sizeof(clean)))
                return false;
        for (size_t i = 0; i < ARRAY_SIZE(procs) && !rest; i++)
                if (strncmp(clean, procs[i], strlen(procs[i])) == 0)
                        rest = clean + strlen(procs[i]);
        if (!rest)
                return false;
        /* task/TID/: a thread of that process, in its namespaces. */
        if (strncmp(rest, "task/", 5) == 0) {
                rest += 5;
                if (!(*rest >= '0' && *rest <= '9'))
                        return false;
                rest += strspn(rest, "0123456789");
                if (*rest++ != '/')
                        return false;
        }
        return strncmp(rest, "ns/", 3) == 0;
}

/*
 * Not pure: does PATH (any spelling, a bind mount of one under /run/netns...)
 * hold the host's namespace of TYPE: PID 1's, or palisade's own (the runtime
 * runs it in the host's, and it needs no ptrace access to its own)? Compared
 * by device and inode, as nsfs identifies a namespace.
 */
static bool ns_path_is_host(const char *path, const char *type)
{
        static const char *const kernel_names[][2] = {
                { "network", "net" }, { "mount", "mnt" }, { "pid", "pid" }, { "ipc", "ipc" },
                { "uts", "uts" }, { "user", "user" }, { "cgroup", "cgroup" }, { "time", "time" },
        };
        static const char *const holders[] = { "1", "self" };
        struct stat ours, host;
        char hostpath[32];

        for (size_t i = 0; i < ARRAY_SIZE(kernel_names); i++) {
                if (strcmp(kernel_names[i][0], type) != 0)
                        continue;
                if (stat(path, &ours) < 0)
                        return false;
                for (size_t j = 0; j < ARRAY_SIZE(holders); j++) {
                        snprintf(hostpath, sizeof(hostpath), "/proc/%s/ns/%s", holders[j], kernel_names[i][1]);
                        if (stat(hostpath, &host) == 0 && ours.st_dev == host.st_dev && ours.st_ino == host.st_ino)
                                return true;
                }
        }
        return false;
}

/*
 * Is the container in the host's namespace of TYPE: none of its own, or one
 * joined by a path that is the host's? PROBE: also look at what the path
 * holds (lint_bundle), not only how it is spelled.
 */
static bool shares_host(const struct oci_spec *s, const char *type, bool probe)
{
        const struct oci_namespace *ns = oci_spec_namespace(s, type);

        return !ns || (ns->path && (ns_path_names_host(ns->path) || (probe && ns_path_is_host(ns->path, type))));
}

static void check_namespaces(struct lint *l, const struct oci_spec *s, bool probe)
{
        static const struct {
                const char *type;
                enum severity severity;
                const char *why_fix[2];
        } wanted[] = {
                { "user", SEVERITY_MEDIUM, { "root in the container is root on the host: a privileged container",
                                             "add a user namespace with uidMappings/gidMappings (palisade's userns guard, or podman --userns=auto)" } },
                { "mount", SEVERITY_CRITICAL, { "shares the host's mount namespace: the host's filesystem is the container's",
                                                "add {\"type\": \"mount\"} to linux.namespaces" } },
                { "pid", SEVERITY_HIGH, { "shares the host's pid namespace: sees and signals host processes",
                                          "add {\"type\": \"pid\"} to linux.namespaces" } },
                { "network", SEVERITY_MEDIUM, { "shares the host's network namespace: binds host ports, sees host interfaces",
                                                "add {\"type\": \"network\"} to linux.namespaces" } },
                { "ipc", SEVERITY_MEDIUM, { "shares the host's IPC namespace: host shared memory and semaphores",
                                            "add {\"type\": \"ipc\"} to linux.namespaces" } },
                { "uts", SEVERITY_LOW, { "shares the host's hostname", "add {\"type\": \"uts\"} to linux.namespaces" } },
        };

        for (size_t i = 0; i < ARRAY_SIZE(wanted); i++) {
                const struct oci_namespace *ns = oci_spec_namespace(s, wanted[i].type);
                if (shares_host(s, wanted[i].type, probe))
                        add(l, wanted[i].severity, "linux.namespaces", wanted[i].why_fix,
                            ns ? "joins the host's %s namespace (%s)" : "no %s namespace of its own%s", wanted[i].type,
                            ns ? ns->path : "");
        }
}

static void check_process(struct lint *l, const struct oci_spec *s)
{
        static const char *why_fix[2] = {
                "setuid binaries and file capabilities can raise privileges inside the container",
                "set process.noNewPrivileges to true",
        };
        struct json *process = json_get(s->tree, "process");
        struct json *nnp = json_get(process, "noNewPrivileges");

        if (process && !(nnp && nnp->type == JSON_BOOL && nnp->boolean))
                add(l, SEVERITY_LOW, "process.noNewPrivileges", why_fix, "noNewPrivileges is off");
}

static bool lets_through(const struct json *action)
{
        /* NOTIFY hands the call to a supervisor (the agent guard's): it restricts nothing by itself. */
        return action && action->type == JSON_STRING &&
               (strcmp(action->str, "SCMP_ACT_ALLOW") == 0 || strcmp(action->str, "SCMP_ACT_NOTIFY") == 0 ||
                strcmp(action->str, "SCMP_ACT_LOG") == 0);
}

/* Default allow and no rule refusing anything: as if there were no filter (the agent guard makes one). */
static bool refuses_nothing(const struct json *seccomp)
{
        struct json *rules = json_get(seccomp, "syscalls");

        if (!lets_through(json_get(seccomp, "defaultAction")))
                return false;
        for (size_t i = 0; rules && rules->type == JSON_ARRAY && i < rules->len; i++)
                if (!lets_through(json_get(rules->items[i], "action")))
                        return false;
        return true;
}

static void check_seccomp(struct lint *l, const struct oci_spec *s)
{
        static const char *why_fix[2] = {
                "every system call of the kernel is reachable: its whole attack surface",
                "add a seccomp profile (Docker's default, or palisade's seccomp guard)",
        };
        struct json *seccomp = json_get(json_get(s->tree, "linux"), "seccomp");

        if (!seccomp)
                add(l, SEVERITY_HIGH, "linux.seccomp", why_fix, "no seccomp filter");
        else if (refuses_nothing(seccomp))
                add(l, SEVERITY_HIGH, "linux.seccomp", why_fix, "a seccomp profile that refuses nothing");
}

static void check_devices(struct lint *l, const struct oci_spec *s)
{
        static const char *why_fix[2] = {
                "a rule without a type or numbers allows devices the container was not given: with CAP_MKNOD it "
                "can make a node for a host disk and open it",
                "allow only the devices the container needs, as \"c\"/\"b\" with major and minor",
        };
        struct json *devs = json_get(json_get(json_get(s->tree, "linux"), "resources"), "devices");

        for (size_t i = 0; devs && devs->type == JSON_ARRAY && i < devs->len; i++) {
                struct json *d = devs->items[i];
                struct json *allow = json_get(d, "allow"), *type = json_get(d, "type"), *access = json_get(d, "access");
                char path[96];
                bool any_type = !type || (type->type == JSON_STRING && strcmp(type->str, "a") == 0);
                bool any_num = !json_get(d, "major") || !json_get(d, "minor");

                /* mknod alone ("m") of any node is harmless: opening is what the rule guards. */
                bool opens = !access || access->type != JSON_STRING || strpbrk(access->str, "rw");

                if (!(allow && allow->type == JSON_BOOL && allow->boolean) || !(any_type || any_num) || !opens)
                        continue;
                snprintf(path, sizeof(path), "linux.resources.devices[%zu]", i);
                add(l, any_type && any_num ? SEVERITY_CRITICAL : SEVERITY_HIGH, path, why_fix,
                    "allows %s", any_type && any_num ? "every device (a *:* rwm)" : "a whole class of devices");
        }
}

static void check_mounts(struct lint *l, const struct oci_spec *s)
{
        static const char *sys_why_fix[2] = {
                "a writable /sys reconfigures the host kernel and devices",
                "mount /sys with the \"ro\" option",
        };
        static const char *mask_why_fix[2] = {
                "Docker masks it: it exposes host kernel state or secrets",
                "add it to linux.maskedPaths",
        };
        static const char *ro_why_fix[2] = {
                "Docker makes it read-only: writing it reconfigures the host kernel",
                "add it to linux.readonlyPaths",
        };
        struct json *mounts = json_get(s->tree, "mounts");
        struct json *lx = json_get(s->tree, "linux");

        for (size_t i = 0; mounts && mounts->type == JSON_ARRAY && i < mounts->len; i++) {
                struct json *dest = json_get(mounts->items[i], "destination");
                char path[96], clean[4096];
                /* "/sys/", "//sys", "/./sys" are /sys to the runtime. */
                if (!dest || dest->type != JSON_STRING || !oci_path_clean(dest->str, clean, sizeof(clean)) ||
                    strcmp(clean, "/sys") != 0 ||
                    string_in(json_get(mounts->items[i], "options"), "ro"))
                        continue;
                snprintf(path, sizeof(path), "mounts[%zu]", i);
                add(l, SEVERITY_HIGH, path, sys_why_fix, "/sys is mounted writable");
        }
        for (size_t i = 0; i < ARRAY_SIZE(docker_masked); i++)
                if (!string_in(json_get(lx, "maskedPaths"), docker_masked[i]))
                        add(l, SEVERITY_MEDIUM, "linux.maskedPaths", mask_why_fix, "%s is not masked", docker_masked[i]);
        for (size_t i = 0; i < ARRAY_SIZE(docker_readonly); i++)
                if (!string_in(json_get(lx, "readonlyPaths"), docker_readonly[i]))
                        add(l, strcmp(docker_readonly[i], "/proc/sys") == 0 ? SEVERITY_HIGH : SEVERITY_MEDIUM,
                            "linux.readonlyPaths", ro_why_fix, "%s is writable", docker_readonly[i]);
}

/*
 * Host paths a bind mount must not bring into a container. SUBTREE: a path
 * below it too ("/etc/shadow"); a bind of an ancestor ("/var" holds
 * /var/lib/docker) always counts. RO: the severity of a read-only bind (a
 * socket still connects through one). First match wins: worst first.
 */
static const struct host_path {
        const char *path;
        bool subtree;
        enum severity rw, ro;
        const char *why;
} host_paths[] = {
        { "/", false, SEVERITY_CRITICAL, SEVERITY_CRITICAL,
          "the host's whole filesystem: its accounts and keys, and every daemon's socket under /run" },
        { "/run/docker.sock", false, SEVERITY_CRITICAL, SEVERITY_CRITICAL, "the Docker API: root on the host" },
        { "/run/containerd/containerd.sock", false, SEVERITY_CRITICAL, SEVERITY_CRITICAL,
          "the containerd API: root on the host" },
        { "/run/podman/podman.sock", false, SEVERITY_CRITICAL, SEVERITY_CRITICAL, "the Podman API: root on the host" },
        { "/run/crio/crio.sock", false, SEVERITY_CRITICAL, SEVERITY_CRITICAL, "the CRI-O API: root on the host" },
        { "/run/dbus/system_bus_socket", false, SEVERITY_HIGH, SEVERITY_HIGH,
          "the system bus: systemd and every host service that trusts root callers" },
        { "/run", false, SEVERITY_CRITICAL, SEVERITY_CRITICAL,
          "every host daemon's socket (Docker, containerd, Podman, systemd, D-Bus)" },
        { "/proc", true, SEVERITY_CRITICAL, SEVERITY_HIGH,
          "the host's /proc: host processes' memory and roots (/proc/PID/root), /proc/sys and /proc/sysrq-trigger "
          "unmasked" },
        { "/sys", true, SEVERITY_HIGH, SEVERITY_MEDIUM, "the host's kernel and device settings, unmasked" },
        { "/dev", true, SEVERITY_HIGH, SEVERITY_MEDIUM,
          "the host's device nodes (the device cgroup still guards opening them), /dev/shm and /dev/mqueue" },
        { "/etc", true, SEVERITY_HIGH, SEVERITY_MEDIUM,
          "the host's accounts and password hashes, sudoers, cron: its configuration" },
        { "/boot", true, SEVERITY_HIGH, SEVERITY_MEDIUM, "the host's kernels and boot loader" },
        { "/root", true, SEVERITY_HIGH, SEVERITY_MEDIUM, "root's home on the host: keys and credentials" },
        { "/var/lib/docker", false, SEVERITY_HIGH, SEVERITY_HIGH, "every Docker container's and image's files" },
        { "/var/lib/containers", false, SEVERITY_HIGH, SEVERITY_HIGH, "every Podman container's and image's files" },
        { "/var/lib/containerd", false, SEVERITY_HIGH, SEVERITY_HIGH, "every containerd container's and image's files" },
        { "/var/lib/kubelet", false, SEVERITY_HIGH, SEVERITY_HIGH, "every pod's volumes and secrets" },
};

static bool is_under(const char *path, const char *dir)
{
        size_t n = strlen(dir);
        return strcmp(dir, "/") == 0 || (strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0'));
}

static bool is_bind(const struct json *m)
{
        struct json *type = json_get(m, "type");
        return (type && type->type == JSON_STRING && strcmp(type->str, "bind") == 0) ||
               string_in(json_get(m, "options"), "bind") || string_in(json_get(m, "options"), "rbind");
}

/* The host_paths entry a bind of SRC (clean, absolute) exposes, or NULL. */
static const struct host_path *exposed(const char *src)
{
        for (size_t i = 0; i < ARRAY_SIZE(host_paths); i++) {
                const struct host_path *h = &host_paths[i];
                if (strcmp(src, h->path) == 0 || is_under(h->path, src) || (h->subtree && is_under(src, h->path)))
                        return h;
        }
        return NULL;
}

static void check_host_binds(struct lint *l, const struct oci_spec *s)
{
        struct json *mounts = json_get(s->tree, "mounts");

        for (size_t i = 0; mounts && mounts->type == JSON_ARRAY && i < mounts->len; i++) {
                struct json *m = mounts->items[i], *src = json_get(m, "source"), *dest = json_get(m, "destination");
                const struct host_path *h;
                char clean[4096], dclean[4096], path[96], shown[256];
                const char *host;
                bool ro = string_in(json_get(m, "options"), "ro");

                if (!is_bind(m) || !src || src->type != JSON_STRING || src->str[0] != '/' ||
                    !oci_path_clean(src->str, clean, sizeof(clean)))
                        continue;
                /* /var/run is a link to /run on the host: the runtime follows it. */
                host = strncmp(clean, "/var/run", 8) == 0 && (clean[8] == '/' || !clean[8]) ? clean + 4 : clean;
                if (!(h = exposed(host)))
                        continue;
                /* `runc spec --rootless`: /sys read-only at /sys, as a ro sysfs would be (and masked as one). */
                if (strcmp(host, "/sys") == 0 && ro && dest && dest->type == JSON_STRING &&
                    oci_path_clean(dest->str, dclean, sizeof(dclean)) && strcmp(dclean, "/sys") == 0)
                        continue;
                const char *const why_fix[2] = {
                        h->why,
                        "bind only the files the container needs, from a directory of its own; never a host "
                        "system directory or a daemon's socket",
                };
                snprintf(path, sizeof(path), "mounts[%zu].source", i);
                /* Which part of the host: the entry itself, something in it, or a directory holding it. */
                const char *rel = strcmp(host, h->path) == 0 ? "" : is_under(host, h->path) ? " (in " : " (holding ";
                add(l, ro ? h->ro : h->rw, path, why_fix, "binds the host's %s%s%s%s into the container%s",
                    one_line(host, shown, sizeof(shown)), rel,
                    rel[0] ? h->path : "", rel[0] ? ")" : "", ro ? " read-only" : "");
        }
}

/*
 * readonlyPaths and maskedPaths name /proc/... and /sys/...: a second proc or
 * sysfs at another destination is neither (/p/sys/kernel/core_pattern opens
 * for writing while /proc/sys is read-only).
 */
static void check_pseudo_fs_mounts(struct lint *l, const struct oci_spec *s)
{
        static const struct {
                const char *type, *home;
                const char *why_fix[2];
        } fs[] = {
                { "proc", "/proc", { "readonlyPaths and maskedPaths cover /proc only: this one exposes sys/ "
                                     "(kernel.core_pattern runs a program as root on the host), sysrq-trigger and kcore",
                                     "mount proc at /proc only" } },
                { "sysfs", "/sys", { "readonlyPaths and maskedPaths cover /sys only: this one exposes the host's "
                                     "kernel and device settings",
                                     "mount sysfs at /sys only, or with the \"ro\" option" } },
        };
        struct json *mounts = json_get(s->tree, "mounts");
        bool userns = oci_spec_namespace(s, "user") && !oci_spec_namespace(s, "user")->path;

        for (size_t i = 0; mounts && mounts->type == JSON_ARRAY && i < mounts->len; i++) {
                struct json *m = mounts->items[i], *type = json_get(m, "type"), *dest = json_get(m, "destination");
                char clean[4096], path[96];

                if (!type || type->type != JSON_STRING || !dest || dest->type != JSON_STRING ||
                    !oci_path_clean(dest->str, clean, sizeof(clean)))
                        continue;
                for (size_t j = 0; j < ARRAY_SIZE(fs); j++) {
                        bool sys = strcmp(fs[j].type, "sysfs") == 0;
                        if (strcmp(type->str, fs[j].type) != 0 || strcmp(clean, fs[j].home) == 0 ||
                            (sys && string_in(json_get(m, "options"), "ro")))
                                continue;
                        snprintf(path, sizeof(path), "mounts[%zu]", i);
                        /* In a user namespace of its own, the host's knobs stay root's: less to reach. */
                        add(l, sys || userns ? SEVERITY_HIGH : SEVERITY_CRITICAL, path, fs[j].why_fix,
                            "a %s mount at %s, outside %s", fs[j].type, clean, fs[j].home);
                }
        }
}

/* The namespace a sysctl belongs to (an OCI linux.namespaces type), or NULL: none holds it. */
static const char *sysctl_namespace(const char *key)
{
        static const char *const ipc[] = { "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
                                           "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced" };
        char k[256];

        /* "net/ipv4/ip_forward" is the same file as "net.ipv4.ip_forward". */
        snprintf(k, sizeof(k), "%s", key);
        for (char *c = k; *c; c++)
                if (*c == '/')
                        *c = '.';
        if (strncmp(k, "net.", 4) == 0)
                return "network";
        if (strncmp(k, "fs.mqueue.", 10) == 0)
                return "ipc";
        for (size_t i = 0; i < ARRAY_SIZE(ipc); i++)
                if (strcmp(k, ipc[i]) == 0)
                        return "ipc";
        if (strcmp(k, "kernel.hostname") == 0 || strcmp(k, "kernel.domainname") == 0)
                return "uts";
        return NULL;
}

/*
 * linux.sysctl writes /proc/sys in the namespaces the container is in: a key
 * of a namespace it shares with the host (none of that type, or the host's
 * joined by path) writes the host's; one that no namespace holds always
 * does. crun 1.8.1 writes them before createRuntime (runc refuses net.* in
 * the host's network namespace only), so the check guard refuses them in any
 * phase, whatever check.refuse_at says. A namespace joined by another path
 * (Podman's own /run/netns/netns-..., a pod's) is the container's to tune.
 */
static void check_sysctls(struct lint *l, const struct oci_spec *s, bool probe)
{
        struct json *sysctl = json_get(json_get(s->tree, "linux"), "sysctl");

        for (size_t i = 0; sysctl && sysctl->type == JSON_OBJECT && i < sysctl->len; i++) {
                char path[96], shown[128], nspath[128];
                const char *key = one_line(sysctl->keys[i], shown, sizeof(shown)), *type = sysctl_namespace(key);
                const struct oci_namespace *ns = type ? oci_spec_namespace(s, type) : NULL;
                size_t n = l->n;

                if (type && !shares_host(s, type, probe))
                        continue;
                snprintf(path, sizeof(path), "linux.sysctl[\"%.60s\"]", key);
                if (!type) {
                        static const char *const why_fix[2] = {
                                "no namespace holds it: writing it changes the host's kernel for everyone",
                                "remove it from linux.sysctl (set it on the host, if at all)",
                        };
                        add(l, SEVERITY_CRITICAL, path, why_fix, "sets %.100s, which is not namespaced", key);
                } else {
                        static const char *const fixes[][2] = {
                                { "network", "give the container a network namespace of its own ({\"type\": "
                                             "\"network\"} without a path), or remove the key" },
                                { "ipc", "give the container an IPC namespace of its own ({\"type\": \"ipc\"} "
                                         "without a path), or remove the key" },
                                { "uts", "give the container a UTS namespace of its own ({\"type\": \"uts\"} "
                                         "without a path), or remove the key" },
                        };
                        size_t t = 0;
                        while (t < ARRAY_SIZE(fixes) - 1 && strcmp(fixes[t][0], type) != 0)
                                t++;
                        const char *const why_fix[2] = {
                                "the runtime writes it in the host's namespace, for every process of the host "
                                "(crun before any hook runs)",
                                fixes[t][1],
                        };
                        add(l, SEVERITY_CRITICAL, path, why_fix, "sets %.100s in the host's %s namespace (%s)", key,
                            type, ns ? one_line(ns->path, nspath, sizeof(nspath)) : "it has none of its own");
                }
                if (l->n > n)
                        l->out[n].refuse = true;
        }
}

static void check_root(struct lint *l, const struct oci_spec *s)
{
        static const char *const why_fix[2] = {
                "the container's root is the host's: every host file is the container's",
                "give the container a root filesystem of its own",
        };
        char clean[4096];

        /* "/", "//", "/.", "/etc/..": the host's root, as the runtime will resolve it. */
        if (s->root_path[0] == '/' && oci_path_clean(s->root_path, clean, sizeof(clean)) && strcmp(clean, "/") == 0)
                add(l, SEVERITY_CRITICAL, "root.path", why_fix, "root.path is \"%s\"", s->root_path);
}

/*
 * rootfs/dev: runc and crun make their device nodes and links in it before
 * any hook runs, following it on the host, not inside the rootfs (runc 1.1.5
 * its /dev/fd, /dev/stdin... links, crun 1.8.1 every node). A symbolic link
 * there ("../../../../tmp/x", "/dev") leads them onto the host; one that stays
 * inside today can be changed to one that does not after this check.
 */
static void check_rootfs_dev(struct lint *l, const struct oci_spec *s, const char *bundle)
{
        static const char *const out_why_fix[2] = {
                "runc and crun would create device nodes and links where it leads, outside the rootfs, before any "
                "hook runs",
                "make dev a directory",
        };
        static const char *const in_why_fix[2] = {
                "runc and crun follow it on the host to create device nodes and links, before any hook runs: "
                "changed to lead outside the rootfs, it takes them there",
                "make dev a directory",
        };
        _cleanup_close_ int root = -1, dev = -1, beneath = -1;
        char rootfs[4096], target[4096];
        size_t rlen, n;
        ssize_t len;
        bool outside;
        struct stat st;

        root = open_bundle_path(bundle, s->root_path, O_PATH | O_DIRECTORY);
        if (root < 0)
                return;
        /* The entry itself (O_NOFOLLOW: a link is not followed but opened as what it is). */
        dev = openat2_resolve(root, "dev", O_PATH | O_NOFOLLOW, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
        if (dev < 0 || fstat(dev, &st) < 0 || !S_ISLNK(st.st_mode))
                return;
        len = readlinkat(dev, "", target, sizeof(target) - 1);
        target[len > 0 ? len : 0] = '\0';
        /* A target may hold a newline: the finding is one line. */
        for (char *c = target; *c; c++)
                if ((unsigned char) *c < 0x20 || *c == 0x7f)
                        *c = '?';
        /* Followed from the rootfs without leaving it: EXDEV, or ELOOP through a magic link, when it does leave. */
        beneath = openat2_resolve(root, "dev", O_PATH, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
        outside = beneath < 0 && (errno == EXDEV || errno == ELOOP);
        if (s->root_path[0] == '/' || !bundle)
                snprintf(rootfs, sizeof(rootfs), "%s", s->root_path);
        else
                snprintf(rootfs, sizeof(rootfs), "%s/%s", bundle, s->root_path);
        for (rlen = strlen(rootfs); rlen > 1 && rootfs[rlen - 1] == '/'; rlen--)
                rootfs[rlen - 1] = '\0';
        n = l->n;
        add(l, SEVERITY_CRITICAL, "root.path", outside ? out_why_fix : in_why_fix, "%s%s is a symbolic link (to \"%s\")",
            rootfs, strcmp(rootfs, "/") == 0 ? "dev" : "/dev", target);
        if (l->n > n)
                l->out[n].refuse = true;
}

size_t lint_rootfs(const struct oci_spec *s, const char *bundle, struct finding out[LINT_MAX_FINDINGS])
{
        struct lint l = { .out = out };

        check_rootfs_dev(&l, s, bundle);
        return l.n;
}

/*
 * Annotations the runtime obeys behind the spec (oci/runtime_annotations.h).
 * Critical: each replaces or bypasses what palisade enforces; the hook output
 * files only create host files, medium (the default policy allows stderr).
 */
static void check_runtime_annotations(struct lint *l, const struct oci_spec *s)
{
        for (size_t i = 0; i < s->n_annotations; i++) {
                const char *key = s->annotations[i].key;
                const struct runtime_annotation *a = runtime_annotation_lookup(key);
                const char *why_fix[2] = { NULL, "remove the annotation, or name it in policy "
                                                 "runtime_annotations.allow if the host's owner accepts it" };
                char path[96];

                if (!a || a->harmless)
                        continue;
                why_fix[0] = a->why;
                snprintf(path, sizeof(path), "annotations[\"%.64s\"]", key);
                add(l, strncmp(key, "run.oci.hooks.", 14) == 0 ? SEVERITY_MEDIUM : SEVERITY_CRITICAL, path, why_fix,
                    "%.128s: %s acts on it behind the spec", key, a->runtimes);
        }
}

/* The bundle's own hooks: programs the runtime runs as root, most in the host's namespaces. */
static void check_bundle_hooks(struct lint *l, const struct oci_spec *s)
{
        static const char *const why_fix[2] = {
                "the runtime runs it as root (prestart, createRuntime, poststart and poststop in the host's "
                "namespaces), before any createRuntime hook could refuse the container",
                "remove it, or list the program in policy hooks.allow if the host's owner installed it",
        };
        static const char *const docker_why_fix[2] = {
                "Docker's network hook runs the daemon's binary again (/proc/<dockerd>/exe): fine when that PID is "
                "dockerd, which palisade checks against policy hooks.allow",
                "nothing, under Docker",
        };
        struct spec_hook hooks[SPEC_HOOKS_MAX];
        size_t n = spec_hooks_list(s, hooks, SPEC_HOOKS_MAX);

        for (size_t i = 0; i < n && i < SPEC_HOOKS_MAX; i++) {
                const struct spec_hook *h = &hooks[i];
                bool docker = spec_hook_is_proc_exe(h->path) && h->argv0 && strcmp(h->argv0, "libnetwork-setkey") == 0;
                char path[96];

                if (spec_hook_is_palisade(h->path))
                        continue;
                snprintf(path, sizeof(path), "hooks.%.32s[%zu].path", h->stage, h->index);
                add(l, docker ? SEVERITY_LOW : SEVERITY_HIGH, path, docker ? docker_why_fix : why_fix,
                    "runs %.256s as root on the host", h->path);
        }
}

static void lint_all(struct lint *l, const struct oci_spec *s, bool rootfs, const char *bundle)
{
        check_root(l, s);
        if (rootfs)
                check_rootfs_dev(l, s, bundle);
        check_namespaces(l, s, rootfs);
        check_caps(l, s);
        check_seccomp(l, s);
        check_devices(l, s);
        check_mounts(l, s);
        check_host_binds(l, s);
        check_pseudo_fs_mounts(l, s);
        check_sysctls(l, s, rootfs);
        check_process(l, s);
        check_runtime_annotations(l, s);
        check_bundle_hooks(l, s);
}

size_t lint_spec(const struct oci_spec *s, struct finding out[LINT_MAX_FINDINGS])
{
        struct lint l = { .out = out };

        lint_all(&l, s, false, NULL);
        return l.n;
}

size_t lint_bundle(const struct oci_spec *s, const char *bundle, struct finding out[LINT_MAX_FINDINGS])
{
        struct lint l = { .out = out };

        lint_all(&l, s, true, bundle);
        return l.n;
}

enum severity lint_worst(const struct finding *f, size_t n)
{
        enum severity worst = SEVERITY_NONE;

        for (size_t i = 0; i < n; i++)
                if (f[i].severity > worst)
                        worst = f[i].severity;
        return worst;
}
