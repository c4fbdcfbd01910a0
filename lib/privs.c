/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "privs.h"

int privs_keep_only(uint64_t keep, struct pal_err *err)
{
        cap_value_t last = cap_max_bits() - 1;
        cap_value_t list[64];
        int n = 0, r = 0;
        cap_t caps;

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return pal_err_sys(err, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
        /* The bounding set first: dropping from it needs CAP_SETPCAP, which may go next. */
        if (CAP_IS_SUPPORTED(CAP_SETPCAP) && cap_get_bound(CAP_SETPCAP) == 1)
                for (cap_value_t c = 0; c <= last && c < 64; c++)
                        if (!(keep & (UINT64_C(1) << c)) && cap_get_bound(c) == 1)
                                (void) cap_drop_bound(c);
        (void) cap_reset_ambient();

        caps = cap_init();      /* all clear */
        if (!caps)
                return pal_err_sys(err, errno, "cap_init");
        for (cap_value_t c = 0; c <= last && c < 64; c++)
                if (keep & (UINT64_C(1) << c))
                        list[n++] = c;
        if (n && (cap_set_flag(caps, CAP_EFFECTIVE, n, list, CAP_SET) < 0 ||
                  cap_set_flag(caps, CAP_PERMITTED, n, list, CAP_SET) < 0))
                r = pal_err_sys(err, errno, "cap_set_flag");
        /* Asking for more than we hold fails with EPERM: keep what we have of it. */
        if (r == 0 && cap_set_proc(caps) < 0) {
                cap_t have = cap_get_proc();
                cap_flag_value_t v;

                for (int i = 0; have && i < n; i++)
                        if (cap_get_flag(have, list[i], CAP_PERMITTED, &v) == 0 && v == CAP_CLEAR) {
                                cap_set_flag(caps, CAP_EFFECTIVE, 1, &list[i], CAP_CLEAR);
                                cap_set_flag(caps, CAP_PERMITTED, 1, &list[i], CAP_CLEAR);
                        }
                if (have)
                        cap_free(have);
                if (cap_set_proc(caps) < 0)
                        r = pal_err_sys(err, errno, "cap_set_proc");
        }
        cap_free(caps);
        return r;
}

bool privs_effective(int cap)
{
        cap_t caps = cap_get_proc();
        cap_flag_value_t v = CAP_CLEAR;

        if (caps) {
                (void) cap_get_flag(caps, (cap_value_t) cap, CAP_EFFECTIVE, &v);
                cap_free(caps);
        }
        return v == CAP_SET;
}
