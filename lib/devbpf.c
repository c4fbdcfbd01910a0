/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "devbpf.h"

/* Instruction helpers (what libbpf's macros spell). */
#define INSN(c, d, s, o, i) ((struct bpf_insn) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define LDX_W(dst, src, off) INSN(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define MOV32_REG(dst, src) INSN(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV32_IMM(dst, imm) INSN(BPF_ALU | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define AND32_IMM(dst, imm) INSN(BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm)
#define RSH32_IMM(dst, imm) INSN(BPF_ALU | BPF_RSH | BPF_K, dst, 0, 0, imm)
#define JNE_IMM(dst, imm, off) INSN(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define JEQ_IMM(dst, imm, off) INSN(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, off, imm)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* Registers: r2 type, r3 access, r4 major, r5 minor, r1 scratch after the loads. */
enum { R0, R1, R2, R3, R4, R5 };

static int access_bits(const char *access)
{
        int bits = 0;
        for (; *access; access++)
                bits |= *access == 'r' ? BPF_DEVCG_ACC_READ : *access == 'w' ? BPF_DEVCG_ACC_WRITE : BPF_DEVCG_ACC_MKNOD;
        return bits;
}

/* One rule: fall through to the next block unless it matches; on a match, answer. */
static size_t emit_rule(struct bpf_insn *p, const struct devbpf_rule *r)
{
        struct bpf_insn block[16];
        size_t n = 0, checks;
        int bits = access_bits(r->rule.access);

        if (r->rule.type != 'a')
                block[n++] = JNE_IMM(R2, r->rule.type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK, 0);
        block[n++] = MOV32_REG(R1, R3);
        if (r->allow) {
                /* Allow only if every access asked for is allowed. */
                block[n++] = AND32_IMM(R1, ~bits);
                block[n++] = JNE_IMM(R1, 0, 0);
        } else {
                /* Deny if any access asked for is denied. */
                block[n++] = AND32_IMM(R1, bits);
                block[n++] = JEQ_IMM(R1, 0, 0);
        }
        if (r->rule.major != DEVRULE_ANY)
                block[n++] = JNE_IMM(R4, (int) r->rule.major, 0);
        if (r->rule.minor != DEVRULE_ANY)
                block[n++] = JNE_IMM(R5, (int) r->rule.minor, 0);
        checks = n;
        block[n++] = MOV32_IMM(R0, r->allow ? 1 : 0);
        block[n++] = EXIT();
        /* Every check jumps past the end of the block when it fails. */
        for (size_t i = 0; i < checks; i++)
                if (BPF_CLASS(block[i].code) == BPF_JMP)
                        block[i].off = (short) (n - i - 1);
        memcpy(p, block, n * sizeof(*block));
        return n;
}

int devbpf_load(const struct devbpf_rule *rules, size_t n, struct pal_err *err)
{
        struct bpf_insn prog[6 + DEVBPF_MAX_RULES * 10];
        static char log[16384];
        union bpf_attr attr;
        size_t len = 0;
        int fd;

        if (n > DEVBPF_MAX_RULES)
                return pal_err_set(err, -E2BIG, "more than %d device rules", DEVBPF_MAX_RULES);
        prog[len++] = LDX_W(R2, R1, 0);         /* access_type: (access << 16) | type */
        prog[len++] = MOV32_REG(R3, R2);
        prog[len++] = AND32_IMM(R2, 0xffff);
        prog[len++] = RSH32_IMM(R3, 16);
        prog[len++] = LDX_W(R4, R1, 4);         /* major */
        prog[len++] = LDX_W(R5, R1, 8);         /* minor */
        /* The last rule that matches decides: test from the end. */
        for (size_t i = n; i-- > 0;)
                len += emit_rule(prog + len, &rules[i]);
        prog[len++] = MOV32_IMM(R0, 0);
        prog[len++] = EXIT();

        memset(&attr, 0, sizeof(attr));
        attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
        attr.insns = (uint64_t) (uintptr_t) prog;
        attr.insn_cnt = (uint32_t) len;
        attr.license = (uint64_t) (uintptr_t) "GPL";
        attr.log_buf = (uint64_t) (uintptr_t) log;
        attr.log_size = sizeof(log);
        attr.log_level = 1;
        log[0] = '\0';
        fd = (int) syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
        if (fd < 0) {
                int e = errno;
                for (char *c = log; *c; c++)
                        if (*c == '\n')
                                *c = ' ';
                return pal_err_set(err, -e, "BPF_PROG_LOAD of the device program: %s%s%.300s", strerror(e),
                                   log[0] ? "; verifier: " : "", log);
        }
        return fd;
}

int devbpf_install(int cgroup_fd, int prog_fd, struct pal_err *err)
{
        uint32_t ids[8], count = 8;
        union bpf_attr attr;
        _cleanup_close_ int old = -1;

        memset(&attr, 0, sizeof(attr));
        attr.query.target_fd = (uint32_t) cgroup_fd;
        attr.query.attach_type = BPF_CGROUP_DEVICE;
        attr.query.prog_ids = (uint64_t) (uintptr_t) ids;
        attr.query.prog_cnt = count;
        if (syscall(SYS_bpf, BPF_PROG_QUERY, &attr, sizeof(attr)) < 0)
                return pal_err_sys(err, errno, "BPF_PROG_QUERY");
        count = attr.query.prog_cnt;
        if (count > 1)
                return pal_err_set(err, -EEXIST, "%u device programs on the cgroup: cannot tell which is the runtime's",
                                   count);
        if (count == 1) {
                memset(&attr, 0, sizeof(attr));
                attr.prog_id = ids[0];
                old = (int) syscall(SYS_bpf, BPF_PROG_GET_FD_BY_ID, &attr, sizeof(attr));
                if (old < 0)
                        return pal_err_sys(err, errno, "BPF_PROG_GET_FD_BY_ID %u", ids[0]);
        }
        memset(&attr, 0, sizeof(attr));
        attr.target_fd = (uint32_t) cgroup_fd;
        attr.attach_bpf_fd = (uint32_t) prog_fd;
        attr.attach_type = BPF_CGROUP_DEVICE;
        attr.attach_flags = BPF_F_ALLOW_MULTI;
        if (old >= 0) {
                /* Atomic: there is no moment with neither program, or both. */
                attr.attach_flags |= BPF_F_REPLACE;
                attr.replace_bpf_fd = (uint32_t) old;
        }
        if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr)) < 0)
                return pal_err_sys(err, errno, "BPF_PROG_ATTACH%s", old >= 0 ? " (replace)" : "");
        return 0;
}
