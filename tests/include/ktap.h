/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* KTAP result lines for small host test programs. */
#ifndef PANREF_KTAP_H
#define PANREF_KTAP_H

#include <stdio.h>

static int ktap_n, ktap_failed;

/* One result; @why is printed as a diagnostic when it failed. */
static inline void result(int ok, const char *name, const char *why)
{
	ktap_n++;
	if (!ok) {
		ktap_failed++;
		printf("# %s\nnot ok %d %s\n", why, ktap_n, name);
	} else {
		printf("ok %d %s\n", ktap_n, name);
	}
}

#endif
