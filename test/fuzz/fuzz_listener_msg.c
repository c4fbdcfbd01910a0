/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: the message a runtime sends to the agent's socket (linux.seccomp.listenerPath). */
#include <stddef.h>
#include <stdint.h>

#include "oci/listener_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct listener_msg m;
        struct pal_err err;

        if (listener_msg_parse((const char *) data, size, &m, &err) == 0)
                listener_msg_release(&m);
        return 0;
}
