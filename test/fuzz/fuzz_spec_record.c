/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: config.json.palisade, palisade's record beside a bundle's spec, as its owner could forge it. */
#include <stddef.h>
#include <stdint.h>

#include "oci/spec_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A spec the record is undone on: objects, arrays and values to walk through. */
static const char spec[] = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"hooks\":{\"poststop\":[{\"path\":\"/h\"}]},"
                           "\"linux\":{\"devices\":[{\"path\":\"/dev/a\"},1,\"x\"],\"seccomp\":{\"defaultAction\":\"A\"}},"
                           "\"annotations\":{\"k\":\"v\"}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct json *rec = NULL, *tree = NULL;
        struct pal_err err;

        if (spec_record_parse((const char *) data, size, &rec, &err) == 0 &&
            json_parse(spec, sizeof(spec) - 1, &json_untrusted_limits, &tree, &err) == 0)
                (void) spec_record_revert(tree, rec, &err);
        json_free(tree);
        json_free(rec);
        return 0;
}
