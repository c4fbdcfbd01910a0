/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A classic-BPF interpreter for seccomp programs, for the tests: it runs the
 * program libseccomp exported over a struct seccomp_data the test makes, as
 * the kernel would, and returns the filter's 32-bit verdict. Written from
 * the instruction set (linux/filter.h), checking every jump and load so that
 * a bad program fails the test instead of crashing it.
 */
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define BPF_INTERP_BAD 0xdeadbeefu      /* not a seccomp action: the program was bad */

static inline uint32_t bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d)
{
        uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
        const uint8_t *data = (const uint8_t *) d;

        for (size_t pc = 0; pc < len; pc++) {
                const struct sock_filter *i = &prog[pc];
                uint32_t k = i->k, src = BPF_SRC(i->code) == BPF_X ? x : k;

                switch (BPF_CLASS(i->code)) {
                case BPF_LD:
                        if (BPF_MODE(i->code) == BPF_ABS && BPF_SIZE(i->code) == BPF_W) {
                                if (k % 4 || k + 4 > sizeof(*d))
                                        return BPF_INTERP_BAD;
                                memcpy(&a, data + k, 4);
                        } else if (BPF_MODE(i->code) == BPF_IMM)
                                a = k;
                        else if (BPF_MODE(i->code) == BPF_MEM && k < BPF_MEMWORDS)
                                a = mem[k];
                        else if (BPF_MODE(i->code) == BPF_LEN)
                                a = sizeof(*d);
                        else
                                return BPF_INTERP_BAD;
                        break;
                case BPF_LDX:
                        if (BPF_MODE(i->code) == BPF_IMM)
                                x = k;
                        else if (BPF_MODE(i->code) == BPF_MEM && k < BPF_MEMWORDS)
                                x = mem[k];
                        else if (BPF_MODE(i->code) == BPF_LEN)
                                x = sizeof(*d);
                        else
                                return BPF_INTERP_BAD;
                        break;
                case BPF_ST:
                        if (k >= BPF_MEMWORDS)
                                return BPF_INTERP_BAD;
                        mem[k] = a;
                        break;
                case BPF_STX:
                        if (k >= BPF_MEMWORDS)
                                return BPF_INTERP_BAD;
                        mem[k] = x;
                        break;
                case BPF_ALU:
                        switch (BPF_OP(i->code)) {
                        case BPF_ADD: a += src; break;
                        case BPF_SUB: a -= src; break;
                        case BPF_MUL: a *= src; break;
                        case BPF_DIV: if (!src) return 0; a /= src; break;
                        case BPF_MOD: if (!src) return 0; a %= src; break;
                        case BPF_OR: a |= src; break;
                        case BPF_AND: a &= src; break;
                        case BPF_XOR: a ^= src; break;
                        case BPF_LSH: a = src < 32 ? a << src : 0; break;
                        case BPF_RSH: a = src < 32 ? a >> src : 0; break;
                        case BPF_NEG: a = -a; break;
                        default: return BPF_INTERP_BAD;
                        }
                        break;
                case BPF_JMP: {
                        bool t;
                        size_t next;

                        if (BPF_OP(i->code) == BPF_JA) {
                                next = pc + 1 + k;
                                if (next >= len)
                                        return BPF_INTERP_BAD;
                                pc = next - 1;
                                break;
                        }
                        switch (BPF_OP(i->code)) {
                        case BPF_JEQ: t = a == src; break;
                        case BPF_JGT: t = a > src; break;
                        case BPF_JGE: t = a >= src; break;
                        case BPF_JSET: t = (a & src) != 0; break;
                        default: return BPF_INTERP_BAD;
                        }
                        next = pc + 1 + (t ? i->jt : i->jf);
                        if (next >= len)
                                return BPF_INTERP_BAD;
                        pc = next - 1;
                        break;
                }
                case BPF_RET:
                        return BPF_RVAL(i->code) == BPF_A ? a : k;
                case BPF_MISC:
                        if (BPF_MISCOP(i->code) == BPF_TAX)
                                x = a;
                        else
                                a = x;
                        break;
                default:
                        return BPF_INTERP_BAD;
                }
        }
        return BPF_INTERP_BAD;                  /* fell off the end */
}
