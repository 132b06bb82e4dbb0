/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef PANREF_CPUTICKS_H
#define PANREF_CPUTICKS_H

#include <stdint.h>

/*
 * The CPU's cycle counter, read in user mode: timestamps without a system
 * call (clock_gettime is a real one where there is no vDSO, as in UML).
 * 0 where there is none; callers calibrate it against a clock.
 */
static inline uint64_t cpu_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
	return v;
#else
	return 0;
#endif
}

#endif
