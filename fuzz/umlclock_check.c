// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Check of fuzz/umlclock.c in the VM (tests/fuzz/35-umlclock.sh): for
 * SECONDS (default 3), read CLOCK_REALTIME and CLOCK_MONOTONIC through the
 * TSC clock and through the kernel (a raw system call) side by side, with
 * short sleeps between. Prints KTAP: the TSC clock is on, it never goes
 * backwards, it stays within 1 ms of the kernel's clock, and it costs no
 * system call between anchors (it is much faster than the kernel's).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cputicks.h"
#include "umlclock.h"

static int64_t ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000ll + ts->tv_nsec;
}

static int64_t kernel_ns(clockid_t id)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, id, &ts);
	return ns(&ts);
}

int main(int argc, char **argv)
{
	static const clockid_t ids[2] = { CLOCK_REALTIME, CLOCK_MONOTONIC };
	double secs = argc > 1 ? atof(argv[1]) : 3;
	int64_t last[2] = { 0, 0 }, worst = 0, end;
	uint64_t backwards = 0, reads = 0, t0, t_tsc, t_sys;
	struct timespec ts, nap = { 0, 300000 };
	bool on = umlclock_init();
	int i, k;

	printf("KTAP version 1\n1..4\n");
	printf("%sok 1 tsc_clock_on\n", on ? "" : "not ");
	end = kernel_ns(CLOCK_MONOTONIC) + (int64_t)(secs * 1e9);
	while (kernel_ns(CLOCK_MONOTONIC) < end) {
		for (k = 0; k < 2; k++) {
			int64_t before = kernel_ns(ids[k]), v, after, d;

			clock_gettime(ids[k], &ts);
			v = ns(&ts);
			after = kernel_ns(ids[k]);
			d = v < before ? before - v : v > after ? v - after : 0;
			if (d > worst)
				worst = d;
			if (v < last[k])
				backwards++;
			last[k] = v;
			reads++;
		}
		nanosleep(&nap, NULL);
	}
	printf("%sok 2 never_backwards # %llu reads\n", backwards ? "not " : "",
	       (unsigned long long)reads);
	printf("%sok 3 within_1ms_of_the_kernel # worst %.1f us\n", worst > 1000000 ? "not " : "",
	       worst / 1e3);
	/* 1000 reads each way: between anchors the TSC clock makes no system call */
	t0 = cpu_ticks();
	for (i = 0; i < 1000; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	t_tsc = cpu_ticks() - t0;
	t0 = cpu_ticks();
	for (i = 0; i < 1000; i++)
		kernel_ns(CLOCK_MONOTONIC);
	t_sys = cpu_ticks() - t0;
	printf("%sok 4 cheaper_than_the_syscall # %llu vs %llu ticks per 1000\n",
	       on && t_tsc * 10 < t_sys ? "" : "not ", (unsigned long long)t_tsc,
	       (unsigned long long)t_sys);
	return 0;
}
