/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef PANREF_FUZZ_UMLCLOCK_H
#define PANREF_FUZZ_UMLCLOCK_H

#include <stdbool.h>

/*
 * Serve clock_gettime() from the cycle counter from now on, if this is a
 * UML guest with an invariant TSC (fuzz/umlclock.c); true if it does.
 */
bool umlclock_init(void);

#endif
