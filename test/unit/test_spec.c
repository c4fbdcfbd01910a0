/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oci_spec_parse / oci_spec_load: config.json as a container owner writes it. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oci/spec.h"
#include "unit.h"

/* `runc spec --rootless` (runc 1.1), trimmed, plus annotations and a joined namespace. */
static const char runc_spec[] =
        "{\n"
        "  \"ociVersion\": \"1.0.2-dev\",\n"
        "  \"process\": {\n"
        "    \"terminal\": true,\n"
        "    \"user\": { \"uid\": 1000, \"gid\": 100, \"additionalGids\": [10, 20] },\n"
        "    \"args\": [\"sh\"],\n"
        "    \"env\": [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"TERM=xterm\"],\n"
        "    \"cwd\": \"/\",\n"
        "    \"capabilities\": {\n"
        "      \"bounding\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
        "      \"effective\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
        "      \"permitted\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
        "      \"ambient\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"]\n"
        "    },\n"
        "    \"rlimits\": [{ \"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024 }],\n"
        "    \"noNewPrivileges\": true\n"
        "  },\n"
        "  \"root\": { \"path\": \"rootfs\", \"readonly\": true },\n"
        "  \"hostname\": \"runc\",\n"
        "  \"mounts\": [\n"
        "    { \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\" },\n"
        "    { \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
        "      \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"] }\n"
        "  ],\n"
        "  \"hooks\": {\n"
        "    \"createRuntime\": [{ \"path\": \"/usr/bin/palisade-hook\", \"args\": [\"palisade-hook\", \"createRuntime\"],\n"
        "                       \"timeout\": 10 }],\n"
        "    \"poststop\": [{ \"path\": \"/usr/bin/palisade-hook\", \"env\": [\"A=1\"] }]\n"
        "  },\n"
        "  \"annotations\": {\n"
        "    \"io.palisade.audit-id\": \"1b4e28ba-2fa1-11d2-883f-0016d3cca427\",\n"
        "    \"org.opencontainers.image.ref.name\": \"web\"\n"
        "  },\n"
        "  \"linux\": {\n"
        "    \"uidMappings\": [{ \"containerID\": 0, \"hostID\": 100000, \"size\": 65536 }],\n"
        "    \"gidMappings\": [{ \"containerID\": 0, \"hostID\": 100000, \"size\": 65536 },\n"
        "                    { \"containerID\": 65536, \"hostID\": 4294967294, \"size\": 1 }],\n"
        "    \"namespaces\": [\n"
        "      { \"type\": \"pid\" }, { \"type\": \"ipc\" }, { \"type\": \"uts\" }, { \"type\": \"mount\" },\n"
        "      { \"type\": \"user\" }, { \"type\": \"network\", \"path\": \"/var/run/netns/web\" }\n"
        "    ],\n"
        "    \"maskedPaths\": [\"/proc/acpi\", \"/proc/kcore\"],\n"
        "    \"readonlyPaths\": [\"/proc/bus\", \"/proc/sys\"]\n"
        "  }\n"
        "}\n";

static void test_runc_spec(void **state)
{
        struct oci_spec *s = NULL;
        struct pal_err err = { 0 };
        static const char *const ns[] = { "pid", "ipc", "uts", "mount", "user", "network" };

        assert_int_equal(oci_spec_parse(runc_spec, strlen(runc_spec), &s, &err), 0);
        assert_non_null(s);
        assert_string_equal(s->oci_version, "1.0.2-dev");
        assert_string_equal(s->root_path, "rootfs");
        assert_true(s->root_readonly);
        assert_true(s->has_process);
        assert_int_equal(s->uid, 1000);
        assert_int_equal(s->gid, 100);

        assert_int_equal(s->n_namespaces, N_ELEMENTS(ns));
        for (size_t i = 0; i < N_ELEMENTS(ns); i++)
                assert_string_equal(s->namespaces[i].type, ns[i]);
        assert_null(s->namespaces[0].path);
        assert_string_equal(s->namespaces[5].path, "/var/run/netns/web");
        assert_ptr_equal(oci_spec_namespace(s, "mount"), &s->namespaces[3]);
        assert_null(oci_spec_namespace(s, "cgroup"));

        assert_int_equal(s->n_uid_mappings, 1);
        assert_int_equal(s->uid_mappings[0].container_id, 0);
        assert_int_equal(s->uid_mappings[0].host_id, 100000);
        assert_int_equal(s->uid_mappings[0].size, 65536);
        assert_int_equal(s->n_gid_mappings, 2);
        assert_int_equal(s->gid_mappings[1].container_id, 65536);
        assert_int_equal(s->gid_mappings[1].host_id, 4294967294u);
        assert_int_equal(s->gid_mappings[1].size, 1);

        assert_int_equal(s->n_annotations, 2);
        assert_string_equal(s->annotations[0].key, "io.palisade.audit-id");
        assert_string_equal(oci_annotation(s->annotations, s->n_annotations, "io.palisade.audit-id"),
                            "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        assert_string_equal(oci_annotation(s->annotations, s->n_annotations,
                                           "org.opencontainers.image.ref.name"), "web");
        assert_null(oci_annotation(s->annotations, s->n_annotations, "io.palisade.other"));

        /* Keys palisade does not read stay in the tree. */
        assert_non_null(json_get(s->tree, "mounts"));
        assert_non_null(json_get(json_get(s->tree, "linux"), "maskedPaths"));
        oci_spec_free(s);
}

static void test_minimal_spec(void **state)
{
        static const char doc[] = "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"/var/lib/x/rootfs\"}}";
        struct oci_spec *s = NULL;
        struct pal_err err = { 0 };

        assert_int_equal(oci_spec_parse(doc, strlen(doc), &s, &err), 0);
        assert_string_equal(s->root_path, "/var/lib/x/rootfs");
        assert_false(s->root_readonly);
        assert_false(s->has_process);
        assert_int_equal(s->uid, 0);
        assert_int_equal(s->n_namespaces, 0);
        assert_int_equal(s->n_annotations, 0);
        assert_null(s->annotations);
        assert_int_equal(s->n_uid_mappings, 0);
        assert_null(oci_spec_namespace(s, "pid"));
        oci_spec_free(s);
        oci_spec_free(NULL);
}

/* Exact limits: 64 levels parse, 65 do not; 4 MiB parses, one byte more does not. */
static char *nested(unsigned depth, size_t *len)
{
        static const char head[] = "{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"x\":";
        size_t n = strlen(head) + 2 * depth + 1;
        char *buf = malloc(n + 1);

        assert_non_null(buf);
        memcpy(buf, head, strlen(head));
        memset(buf + strlen(head), '[', depth);
        memset(buf + strlen(head) + depth, ']', depth);
        buf[n - 1] = '}';
        buf[n] = '\0';
        *len = n;
        return buf;
}

static void test_depth_limit(void **state)
{
        struct oci_spec *s = NULL;
        struct pal_err err = { 0 };
        char expect[512] = "x";
        size_t len;
        char *buf;

        /* The root object is level 1. */
        buf = nested(63, &len);
        assert_int_equal(oci_spec_parse(buf, len, &s, &err), 0);
        oci_spec_free(s);
        free(buf);

        buf = nested(100, &len);
        assert_int_equal(oci_spec_parse(buf, len, &s, &err), -EINVAL);
        assert_null(s);
        for (int i = 0; i < 63; i++)
                strcat(expect, "[0]");
        strcat(expect, ": nested deeper than 64 levels");
        assert_string_equal(err.msg, expect);
        free(buf);
}

static void test_size_limit(void **state)
{
        static const char head[] = "{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"pad\":\"";
        size_t len = OCI_SPEC_MAX_BYTES;
        char *buf = malloc(len + 2);
        struct oci_spec *s = NULL;
        struct pal_err err = { 0 };

        assert_non_null(buf);
        memcpy(buf, head, strlen(head));
        memset(buf + strlen(head), 'x', len - strlen(head) - 2);
        memcpy(buf + len - 2, "\"}", 2);
        assert_int_equal(oci_spec_parse(buf, len, &s, &err), 0);
        oci_spec_free(s);

        memmove(buf + len - 1, "\"}", 2);
        buf[len - 2] = 'x';
        assert_int_equal(oci_spec_parse(buf, len + 1, &s, &err), -EFBIG);
        assert_null(s);
        assert_string_equal(err.msg, "larger than 4194304 bytes");
        free(buf);
}

static void test_spec_load(void **state)
{
        static const char good[] = "{\"ociVersion\":\"1\",\"root\":{\"path\":\"rootfs\"}}";
        static const char bad[] = "{\"ociVersion\":\"1\"}";
        char dir[] = "/tmp/palisade-unit-XXXXXX";
        struct oci_spec *s = NULL;
        struct pal_err err = { 0 };
        int fd, cfg;

        assert_non_null(mkdtemp(dir));
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(fd >= 0);

        assert_int_equal(oci_spec_load(fd, &s, &err), -ENOENT);
        assert_string_equal(err.msg, "config.json: open: No such file or directory");

        cfg = openat(fd, "config.json", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        assert_int_equal(write(cfg, good, strlen(good)), (ssize_t) strlen(good));
        close(cfg);
        assert_int_equal(oci_spec_load(fd, &s, &err), 0);
        assert_string_equal(s->root_path, "rootfs");
        oci_spec_free(s);

        cfg = openat(fd, "config.json", O_WRONLY | O_TRUNC | O_CLOEXEC);
        assert_int_equal(write(cfg, bad, strlen(bad)), (ssize_t) strlen(bad));
        close(cfg);
        assert_int_equal(oci_spec_load(fd, &s, &err), -EINVAL);
        assert_string_equal(err.msg, "config.json: root: required key is missing");

        /* A symlink (to anywhere) or a FIFO is never followed or opened for reading. */
        assert_int_equal(unlinkat(fd, "config.json", 0), 0);
        assert_int_equal(symlinkat("/etc/passwd", fd, "config.json"), 0);
        assert_int_equal(oci_spec_load(fd, &s, &err), -ELOOP);
        assert_string_equal(err.msg, "config.json: is a symbolic link (refused: it could point anywhere on the host)");
        assert_int_equal(unlinkat(fd, "config.json", 0), 0);
        assert_int_equal(mkfifoat(fd, "config.json", 0600), 0);
        assert_int_equal(oci_spec_load(fd, &s, &err), -EINVAL);
        assert_string_equal(err.msg, "config.json: not a regular file");
        assert_null(s);

        close(fd);
        unit_rm_tree(dir);
}

#define SPEC_HEAD "\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"}"
#define DUP "duplicate key (runc and Podman would use the last one, palisade refuses to guess)"

static const struct bad_case bad_specs[] = {
        /* Not JSON, or not one clean JSON value. */
        BAD("spec: empty", "", -EINVAL, "truncated JSON (unexpected end of input at (root))"),
        BAD("spec: blank", "  \n", -EINVAL, "truncated JSON (unexpected end of input at (root))"),
        BAD("spec: not JSON", "hello", -EINVAL,
            "not valid JSON at byte 1, at (root): lexical error: invalid char in json text."),
        BAD("spec: YAML", "ociVersion: 1.0.2\n", -EINVAL,
            "not valid JSON at byte 1, at (root): lexical error: invalid char in json text."),
        BAD("spec: truncated object", "{" SPEC_HEAD, -EINVAL,
            "truncated JSON (unexpected end of input at (root))"),
        BAD("spec: truncated in a string", "{" SPEC_HEAD ",\"hostname\":\"we", -EINVAL,
            "truncated JSON (unexpected end of input at hostname)"),
        BAD("spec: truncated at depth", "{" SPEC_HEAD ",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"ty", -EINVAL,
            "truncated JSON (unexpected end of input at linux.namespaces[1])"),
        BAD("spec: trailing garbage", "{" SPEC_HEAD "} x", -EINVAL, "trailing data after the JSON value"),
        BAD("spec: extra brace", "{" SPEC_HEAD "}}", -EINVAL, "trailing data after the JSON value"),
        BAD("spec: two documents", "{" SPEC_HEAD "}{" SPEC_HEAD "}", -EINVAL,
            "trailing data after the JSON value"),
        BAD("spec: trailing comma", "{" SPEC_HEAD ",}", -EINVAL,
            "not valid JSON at byte 48, at (root): parse error: invalid object key (must be a string)"),
        BAD("spec: line comment", "{" SPEC_HEAD ", // x\n\"hostname\":\"h\"}", -EINVAL,
            "not valid JSON at byte 48, at (root): lexical error: probable comment found in input text, "
            "comments are not enabled."),
        BAD("spec: block comment", "{" SPEC_HEAD ",\"linux\":{\"namespaces\":[/* x */]}}", -EINVAL,
            "not valid JSON at byte 70, at linux.namespaces[0]: lexical error: probable comment found in "
            "input text, comments are not enabled."),
        BAD("spec: single quotes", "{'ociVersion':'1'}", -EINVAL,
            "not valid JSON at byte 2, at (root): lexical error: invalid char in json text."),

        /* Duplicate keys, named by their full path. */
        BAD("spec: duplicate top-level key", "{" SPEC_HEAD ",\"ociVersion\":\"1.1\"}", -EINVAL,
            "ociVersion: " DUP),
        BAD("spec: duplicate root.path", "{\"ociVersion\":\"1\",\"root\":{\"path\":\"a\",\"path\":\"b\"}}", -EINVAL,
            "root.path: " DUP),
        BAD("spec: duplicate key deep in an array",
            "{" SPEC_HEAD ",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},"
            "{\"type\":\"uts\"},{\"type\":\"user\",\"type\":\"mount\"}]}}", -EINVAL,
            "linux.namespaces[3].type: " DUP),
        BAD("spec: duplicate annotation", "{" SPEC_HEAD ",\"annotations\":{\"io.palisade.audit-id\":\"a\","
            "\"x\":\"y\",\"io.palisade.audit-id\":\"b\"}}", -EINVAL,
            "annotations[\"io.palisade.audit-id\"]: " DUP),
        BAD("spec: duplicate in unread key", "{" SPEC_HEAD ",\"mounts\":[{},{\"a\":[1,{\"b\":1,\"b\":1}]}]}",
            -EINVAL, "mounts[1].a[1].b: " DUP),

        /* NUL bytes and bad UTF-8. */
        BAD("spec: raw NUL byte", "{" SPEC_HEAD ",\"hostname\":\"a\0b\"}", -EINVAL, "NUL byte at offset 60"),
        BAD("spec: escaped NUL in a value", "{" SPEC_HEAD ",\"hostname\":\"a\\u0000b\"}", -EINVAL,
            "hostname: string contains a NUL character"),
        BAD("spec: escaped NUL in a key", "{" SPEC_HEAD ",\"annotations\":{\"a\\u0000b\":\"x\"}}", -EINVAL,
            "annotations: key contains a NUL character"),
        BAD("spec: invalid UTF-8 byte", "{" SPEC_HEAD ",\"hostname\":\"\xff\"}", -EINVAL,
            "not valid JSON at byte 60, at hostname: lexical error: invalid bytes in UTF8 string."),
        BAD("spec: truncated UTF-8 sequence", "{" SPEC_HEAD ",\"hostname\":\"\xc3(\"}", -EINVAL,
            "not valid JSON at byte 61, at hostname: lexical error: invalid bytes in UTF8 string."),
        BAD("spec: overlong UTF-8 '/'", "{" SPEC_HEAD ",\"hostname\":\"\xc0\xaf\"}", -EINVAL,
            "hostname: string is not valid UTF-8"),
        BAD("spec: UTF-8 surrogate", "{" SPEC_HEAD ",\"root\":{\"path\":\"r\xed\xa0\x80\"}}", -EINVAL,
            "root.path: string is not valid UTF-8"),
        BAD("spec: escaped lone low surrogate", "{" SPEC_HEAD ",\"hostname\":\"\\udc00\"}", -EINVAL,
            "hostname: string is not valid UTF-8"),
        BAD("spec: UTF-8 past U+10FFFF", "{" SPEC_HEAD ",\"hostname\":\"\xf4\x90\x80\x80\"}", -EINVAL,
            "hostname: string is not valid UTF-8"),
        BAD("spec: overlong UTF-8 in a key", "{" SPEC_HEAD ",\"annotations\":{\"a\xe0\x80\xaf\":\"x\"}}", -EINVAL,
            "annotations: key is not valid UTF-8"),
        BAD("spec: invalid UTF-8 in a key", "{" SPEC_HEAD ",\"\xfe\":1}", -EINVAL,
            "not valid JSON at byte 49, at (root): lexical error: invalid bytes in UTF8 string."),

        /* The root and required keys. */
        BAD("spec: root is an array", "[]", -EINVAL, "(root): expected an object, got an array"),
        BAD("spec: root is null", "null", -EINVAL, "(root): expected an object, got null"),
        BAD("spec: root is a number", "42", -EINVAL, "(root): expected an object, got a number"),
        BAD("spec: missing ociVersion", "{\"root\":{\"path\":\"rootfs\"}}", -EINVAL,
            "ociVersion: required key is missing"),
        BAD("spec: ociVersion a number", "{\"ociVersion\":1.0,\"root\":{\"path\":\"rootfs\"}}", -EINVAL,
            "ociVersion: expected a string, got a number"),
        BAD("spec: missing root", "{\"ociVersion\":\"1.0.2\"}", -EINVAL, "root: required key is missing"),
        BAD("spec: root a string", "{\"ociVersion\":\"1.0.2\",\"root\":\"rootfs\"}", -EINVAL,
            "root: expected an object, got a string"),
        BAD("spec: missing root.path", "{\"ociVersion\":\"1.0.2\",\"root\":{\"readonly\":true}}", -EINVAL,
            "root.path: required key is missing"),
        BAD("spec: empty root.path", "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"\"}}", -EINVAL,
            "root.path: must not be empty"),
        BAD("spec: root.path null", "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":null}}", -EINVAL,
            "root.path: expected a string, got null"),
        BAD("spec: root.readonly a string", "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\",\"readonly\":\"true\"}}",
            -EINVAL, "root.readonly: expected a boolean, got a string"),
        BAD("spec: hostname an array", "{" SPEC_HEAD ",\"hostname\":[]}", -EINVAL,
            "hostname: expected a string, got an array"),

        /* process */
        BAD("spec: process a boolean", "{" SPEC_HEAD ",\"process\":true}", -EINVAL,
            "process: expected an object, got a boolean"),
        BAD("spec: uid as a string", "{" SPEC_HEAD ",\"process\":{\"user\":{\"uid\":\"0\",\"gid\":0}}}", -EINVAL,
            "process.user.uid: expected an integer, got a string"),
        BAD("spec: uid negative", "{" SPEC_HEAD ",\"process\":{\"user\":{\"uid\":-1,\"gid\":0}}}", -ERANGE,
            "process.user.uid: -1 is out of range [0, 4294967295]"),
        BAD("spec: gid too large", "{" SPEC_HEAD ",\"process\":{\"user\":{\"uid\":0,\"gid\":4294967296}}}", -ERANGE,
            "process.user.gid: 4294967296 is out of range [0, 4294967295]"),
        BAD("spec: uid a fraction", "{" SPEC_HEAD ",\"process\":{\"user\":{\"uid\":0.5}}}", -EINVAL,
            "process.user.uid: expected an integer, got 0.5"),
        BAD("spec: uid with exponent", "{" SPEC_HEAD ",\"process\":{\"user\":{\"uid\":1e3}}}", -EINVAL,
            "process.user.uid: expected an integer, got 1e3"),
        BAD("spec: additionalGids a string", "{" SPEC_HEAD ",\"process\":{\"user\":{\"additionalGids\":[1,\"2\"]}}}",
            -EINVAL, "process.user.additionalGids[1]: expected an integer, got a string"),
        BAD("spec: user an array", "{" SPEC_HEAD ",\"process\":{\"user\":[]}}", -EINVAL,
            "process.user: expected an object, got an array"),
        BAD("spec: args with null", "{" SPEC_HEAD ",\"process\":{\"args\":[\"sh\",null]}}", -EINVAL,
            "process.args[1]: expected a string, got null"),
        BAD("spec: env a string", "{" SPEC_HEAD ",\"process\":{\"env\":\"PATH=/bin\"}}", -EINVAL,
            "process.env: expected an array, got a string"),
        BAD("spec: cwd a number", "{" SPEC_HEAD ",\"process\":{\"cwd\":5}}", -EINVAL,
            "process.cwd: expected a string, got a number"),
        BAD("spec: noNewPrivileges a string", "{" SPEC_HEAD ",\"process\":{\"noNewPrivileges\":\"yes\"}}", -EINVAL,
            "process.noNewPrivileges: expected a boolean, got a string"),
        BAD("spec: capability a number", "{" SPEC_HEAD ",\"process\":{\"capabilities\":{\"bounding\":[\"CAP_KILL\",3]}}}",
            -EINVAL, "process.capabilities.bounding[1]: expected a string, got a number"),
        BAD("spec: capability set a string", "{" SPEC_HEAD ",\"process\":{\"capabilities\":{\"bounding\":\"CAP_KILL\"}}}",
            -EINVAL, "process.capabilities.bounding: expected an array, got a string"),

        /* annotations */
        BAD("spec: annotations an array", "{" SPEC_HEAD ",\"annotations\":[]}", -EINVAL,
            "annotations: expected an object, got an array"),
        BAD("spec: annotation a number", "{" SPEC_HEAD ",\"annotations\":{\"a\":\"b\",\"io.palisade.audit-id\":5}}",
            -EINVAL, "annotations[\"io.palisade.audit-id\"]: expected a string, got a number"),
        BAD("spec: annotation an object", "{" SPEC_HEAD ",\"annotations\":{\"io.palisade.audit-id\":{}}}", -EINVAL,
            "annotations[\"io.palisade.audit-id\"]: expected a string, got an object"),
        BAD("spec: plain annotation key null", "{" SPEC_HEAD ",\"annotations\":{\"owner\":null}}", -EINVAL,
            "annotations.owner: expected a string, got null"),

        /* hooks */
        BAD("spec: hooks an array", "{" SPEC_HEAD ",\"hooks\":[]}", -EINVAL, "hooks: expected an object, got an array"),
        BAD("spec: unknown hook stage", "{" SPEC_HEAD ",\"hooks\":{\"onStart\":[]}}", -EINVAL,
            "hooks.onStart: unknown hook stage"),
        BAD("spec: hook stage an object", "{" SPEC_HEAD ",\"hooks\":{\"prestart\":{}}}", -EINVAL,
            "hooks.prestart: expected an array, got an object"),
        BAD("spec: hook a string", "{" SPEC_HEAD ",\"hooks\":{\"prestart\":[\"/bin/true\"]}}", -EINVAL,
            "hooks.prestart[0]: expected an object, got a string"),
        BAD("spec: hook without path", "{" SPEC_HEAD ",\"hooks\":{\"prestart\":[{\"args\":[]}]}}", -EINVAL,
            "hooks.prestart[0].path: required key is missing"),
        BAD("spec: hook relative path",
            "{" SPEC_HEAD ",\"hooks\":{\"createRuntime\":[{\"path\":\"/bin/true\"},{\"path\":\"bin/true\"}]}}", -EINVAL,
            "hooks.createRuntime[1].path: \"bin/true\" is not an absolute path"),
        BAD("spec: hook empty path", "{" SPEC_HEAD ",\"hooks\":{\"poststop\":[{\"path\":\"\"}]}}", -EINVAL,
            "hooks.poststop[0].path: \"\" is not an absolute path"),
        BAD("spec: hook timeout 0", "{" SPEC_HEAD ",\"hooks\":{\"poststart\":[{\"path\":\"/bin/true\",\"timeout\":0}]}}",
            -ERANGE, "hooks.poststart[0].timeout: 0 is out of range [1, 2147483647]"),
        BAD("spec: hook timeout negative",
            "{" SPEC_HEAD ",\"hooks\":{\"poststart\":[{\"path\":\"/bin/true\",\"timeout\":-5}]}}",
            -ERANGE, "hooks.poststart[0].timeout: -5 is out of range [1, 2147483647]"),
        BAD("spec: hook timeout too large",
            "{" SPEC_HEAD ",\"hooks\":{\"poststart\":[{\"path\":\"/bin/true\",\"timeout\":2147483648}]}}",
            -ERANGE, "hooks.poststart[0].timeout: 2147483648 is out of range [1, 2147483647]"),
        BAD("spec: hook timeout a string",
            "{" SPEC_HEAD ",\"hooks\":{\"poststart\":[{\"path\":\"/bin/true\",\"timeout\":\"5\"}]}}",
            -EINVAL, "hooks.poststart[0].timeout: expected an integer, got a string"),
        BAD("spec: hook args a number", "{" SPEC_HEAD ",\"hooks\":{\"poststop\":[{\"path\":\"/x\",\"args\":[\"x\",1]}]}}",
            -EINVAL, "hooks.poststop[0].args[1]: expected a string, got a number"),
        BAD("spec: hook env a string", "{" SPEC_HEAD ",\"hooks\":{\"poststop\":[{\"path\":\"/x\",\"env\":\"A=1\"}]}}",
            -EINVAL, "hooks.poststop[0].env: expected an array, got a string"),

        /* linux.namespaces */
        BAD("spec: linux an array", "{" SPEC_HEAD ",\"linux\":[]}", -EINVAL, "linux: expected an object, got an array"),
        BAD("spec: namespaces an object", "{" SPEC_HEAD ",\"linux\":{\"namespaces\":{}}}", -EINVAL,
            "linux.namespaces: expected an array, got an object"),
        BAD("spec: namespace a string", "{" SPEC_HEAD ",\"linux\":{\"namespaces\":[\"pid\"]}}", -EINVAL,
            "linux.namespaces[0]: expected an object, got a string"),
        BAD("spec: namespace type a number",
            "{" SPEC_HEAD ",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
            "{\"type\":3}]}}", -EINVAL, "linux.namespaces[3].type: expected a string, got a number"),
        BAD("spec: namespace without type", "{" SPEC_HEAD ",\"linux\":{\"namespaces\":[{\"path\":\"/x\"}]}}", -EINVAL,
            "linux.namespaces[0].type: required key is missing"),
        BAD("spec: unknown namespace type", "{" SPEC_HEAD ",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mnt\"}]}}",
            -EINVAL, "linux.namespaces[1].type: unknown namespace type \"mnt\""),
        BAD("spec: namespace type empty", "{" SPEC_HEAD ",\"linux\":{\"namespaces\":[{\"type\":\"\"}]}}", -EINVAL,
            "linux.namespaces[0].type: unknown namespace type \"\""),
        BAD("spec: duplicate namespace type",
            "{" SPEC_HEAD ",\"linux\":{\"namespaces\":[{\"type\":\"network\"},{\"type\":\"pid\"},"
            "{\"type\":\"network\",\"path\":\"/run/netns/x\"}]}}", -EINVAL,
            "linux.namespaces[2].type: namespace \"network\" given twice"),
        BAD("spec: namespace path a number", "{" SPEC_HEAD ",\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":7}]}}",
            -EINVAL, "linux.namespaces[0].path: expected a string, got a number"),

        /* linux.uidMappings / gidMappings */
        BAD("spec: uidMappings an object", "{" SPEC_HEAD ",\"linux\":{\"uidMappings\":{}}}", -EINVAL,
            "linux.uidMappings: expected an array, got an object"),
        BAD("spec: uidMappings hostID negative",
            "{" SPEC_HEAD ",\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":-1,\"size\":1}]}}", -ERANGE,
            "linux.uidMappings[0].hostID: -1 is out of range [0, 4294967295]"),
        BAD("spec: uidMappings containerID negative",
            "{" SPEC_HEAD ",\"linux\":{\"uidMappings\":[{\"containerID\":-65536,\"hostID\":0,\"size\":1}]}}", -ERANGE,
            "linux.uidMappings[0].containerID: -65536 is out of range [0, 4294967295]"),
        BAD("spec: uidMappings size too large",
            "{" SPEC_HEAD ",\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":4294967296}]}}",
            -ERANGE, "linux.uidMappings[0].size: 4294967296 is out of range [0, 4294967295]"),
        BAD("spec: uidMappings size beyond int64",
            "{" SPEC_HEAD ",\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,"
            "\"size\":99999999999999999999999}]}}",
            -ERANGE, "linux.uidMappings[0].size: 99999999999999999999999 is out of range [0, 4294967295]"),
        BAD("spec: uidMappings without size",
            "{" SPEC_HEAD ",\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":1000}]}}", -EINVAL,
            "linux.uidMappings[0].size: required key is missing"),
        BAD("spec: uidMappings hostID a string",
            "{" SPEC_HEAD ",\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":\"1000\",\"size\":1}]}}", -EINVAL,
            "linux.uidMappings[0].hostID: expected an integer, got a string"),
        BAD("spec: gidMappings entry a number",
            "{" SPEC_HEAD ",\"linux\":{\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1},5]}}", -EINVAL,
            "linux.gidMappings[1]: expected an object, got a number"),
        BAD("spec: gidMappings hostID a float",
            "{" SPEC_HEAD ",\"linux\":{\"gidMappings\":[{\"containerID\":0,\"hostID\":1000.0,\"size\":1}]}}", -EINVAL,
            "linux.gidMappings[0].hostID: expected an integer, got 1000.0"),

        /* Paths inside the container: absolute, without "..", as runc and crun would resolve them alike. */
        BAD("spec: mount destination through ..",
            "{" SPEC_HEAD ",\"mounts\":[{\"destination\":\"/proc\"},{\"destination\":\"/../../etc\"}]}", -EINVAL,
            "mounts[1].destination: \"/../../etc\" goes through \"..\"; write the path inside the container "
            "without it (\"/etc\")"),
        BAD("spec: mount destination relative", "{" SPEC_HEAD ",\"mounts\":[{\"destination\":\"../x\"}]}", -EINVAL,
            "mounts[0].destination: \"../x\" is not an absolute path; write the path inside the container from its "
            "root (\"/x\")"),
        BAD("spec: mount without destination", "{" SPEC_HEAD ",\"mounts\":[{\"source\":\"/x\"}]}", -EINVAL,
            "mounts[0].destination: required key is missing"),
        BAD("spec: mount destination a number", "{" SPEC_HEAD ",\"mounts\":[{\"destination\":1}]}", -EINVAL,
            "mounts[0].destination: expected a string, got a number"),
        BAD("spec: mount not an object", "{" SPEC_HEAD ",\"mounts\":[\"/x\"]}", -EINVAL,
            "mounts[0]: expected an object, got a string"),
        BAD("spec: device path through ..",
            "{" SPEC_HEAD ",\"linux\":{\"devices\":[{\"path\":\"/dev/../etc/passwd\",\"type\":\"c\"}]}}", -EINVAL,
            "linux.devices[0].path: \"/dev/../etc/passwd\" goes through \"..\"; write the path inside the container "
            "without it (\"/etc/passwd\")"),
        BAD("spec: device path ending in ..", "{" SPEC_HEAD ",\"linux\":{\"devices\":[{\"path\":\"/dev/x/..\"}]}}",
            -EINVAL, "linux.devices[0].path: \"/dev/x/..\" goes through \"..\"; write the path inside the container "
            "without it (\"/dev\")"),
        BAD("spec: device path relative", "{" SPEC_HEAD ",\"linux\":{\"devices\":[{\"path\":\"dev/fuse\"}]}}", -EINVAL,
            "linux.devices[0].path: \"dev/fuse\" is not an absolute path; write the path inside the container from "
            "its root (\"/dev/fuse\")"),
        BAD("spec: device without path", "{" SPEC_HEAD ",\"linux\":{\"devices\":[{\"type\":\"c\"}]}}", -EINVAL,
            "linux.devices[0].path: required key is missing"),
};

static void test_path_clean(void **state)
{
        static const char *const cases[][2] = {
                { "/", "/" }, { "", "/" }, { "//sys/", "/sys" }, { "/./sys/.", "/sys" }, { "/../../etc", "/etc" },
                { "/dev/../etc/passwd", "/etc/passwd" }, { "dev/fuse", "/dev/fuse" }, { "/etc/..", "/" },
                { "/a/b/../../..", "/" }, { "/..a/b..", "/..a/b.." }, { "/a//b/./c/..", "/a/b" },
        };
        char out[64];

        (void) state;
        for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
                assert_int_equal(oci_path_clean(cases[i][0], out, sizeof(out)), strlen(cases[i][1]));
                assert_string_equal(out, cases[i][1]);
        }
        /* Too long for the buffer: 0, never a cut path. */
        assert_int_equal(oci_path_clean("/abcdefgh", out, 8), 0);
        assert_int_equal(oci_path_clean("/abcdef", out, 8), 7);
}

static void test_bad_spec(void **state)
{
        const struct bad_case *c = *state;
        struct oci_spec *s = (struct oci_spec *) c; /* must be reset to NULL */
        struct pal_err err = { 0 };
        int r;

        r = oci_spec_parse(c->text, c->len, &s, &err);
        assert_null(s);
        check_bad(c, r, err.code, err.msg);
}

int main(void)
{
        static const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_runc_spec),
                cmocka_unit_test(test_minimal_spec),
                cmocka_unit_test(test_depth_limit),
                cmocka_unit_test(test_size_limit),
                cmocka_unit_test(test_spec_load),
                cmocka_unit_test(test_path_clean),
        };

        return run_with_cases("oci_spec", tests, N_ELEMENTS(tests), bad_specs, N_ELEMENTS(bad_specs),
                              test_bad_spec);
}
