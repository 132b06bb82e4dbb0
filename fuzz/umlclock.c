// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The clock for the in-VM executor, read from the cycle counter.
 *
 * libFuzzer reads the time several times per input (std::chrono around
 * each run, its time-out and total-time checks). In User-Mode Linux the
 * vDSO's clock_gettime() is a real system call, about 40 us each (a ptrace
 * round trip to the host): measured with the executor's profile
 * ($PANFUZZ_OUT/profile), libFuzzer's own share of an input was ~300 us.
 *
 * This file defines clock_gettime() for the executor. Under UML on x86_64
 * with an invariant TSC (/proc/cpuinfo: vendor "User Mode Linux",
 * constant_tsc and nonstop_tsc), CLOCK_REALTIME and CLOCK_MONOTONIC are
 * extrapolated from the TSC, anchored to the kernel's clock at most every
 * ANCHOR_NS, and never go backwards. Any other clock, and any other
 * machine (a board has a real vDSO), gets libc's clock_gettime().
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cputicks.h"
#include "umlclock.h"

/*
 * Re-read the kernel's clock every 50 ms: an execution takes 1-4 ms, and at
 * 5 ms the two clocks cost a system call every other execution or so
 * (strace). The TSC's rate is first measured over 20 ms against clock reads
 * that each take tens of microseconds (up to ~0.5 % off), then again at
 * every CLOCK_MONOTONIC anchor over all the time since (after a second,
 * under 0.01 %), so an extrapolation over 50 ms stays within microseconds.
 */
#define ANCHOR_NS	50000000ll

typedef int (*clock_fn)(clockid_t, struct timespec *);

static struct {
	pthread_mutex_t lock;
	clock_fn next;
	bool on;
	double ns_per_tick;
	uint64_t anchor_tsc[2];		/* [0] CLOCK_REALTIME, [1] CLOCK_MONOTONIC */
	int64_t anchor_ns[2], last_ns[2];
	uint64_t cal_tsc;		/* the first calibration's start */
	int64_t cal_ns;			/* (CLOCK_MONOTONIC) */
} uc = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* the TSC; this clock is for x86_64 UML only */
static uint64_t rdtsc(void)
{
#if defined(__x86_64__)
	return cpu_ticks();
#else
	return 0;
#endif
}

static int next_clock(clockid_t id, struct timespec *ts)
{
	if (!uc.next)
		uc.next = (clock_fn)dlsym(RTLD_NEXT, "clock_gettime");
	return uc.next ? uc.next(id, ts) : -1;
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000ll + ts->tv_nsec;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	int k = id == CLOCK_MONOTONIC;
	uint64_t t;
	int64_t ns;

	if (!uc.on || (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC))
		return next_clock(id, ts);
	pthread_mutex_lock(&uc.lock);
	t = rdtsc();
	if (!uc.anchor_tsc[k] || (t - uc.anchor_tsc[k]) * uc.ns_per_tick > ANCHOR_NS) {
		struct timespec now;

		if (next_clock(id, &now)) {
			pthread_mutex_unlock(&uc.lock);
			return -1;
		}
		uc.anchor_tsc[k] = t = rdtsc();
		uc.anchor_ns[k] = ts_ns(&now);
		if (k && ts_ns(&now) - uc.cal_ns > 1000000000ll && t > uc.cal_tsc)
			uc.ns_per_tick = (double)(ts_ns(&now) - uc.cal_ns) / (double)(t - uc.cal_tsc);
	}
	ns = uc.anchor_ns[k] + (int64_t)((t - uc.anchor_tsc[k]) * uc.ns_per_tick);
	if (ns < uc.last_ns[k])
		ns = uc.last_ns[k];
	uc.last_ns[k] = ns;
	pthread_mutex_unlock(&uc.lock);
	ts->tv_sec = ns / 1000000000ll;
	ts->tv_nsec = ns % 1000000000ll;
	return 0;
}

/* A UML guest on a host whose TSC runs at a constant rate? */
static bool uml_invariant_tsc(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	bool uml = false, constant = false, nonstop = false;
	char line[4096];

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "vendor_id", 9) && strstr(line, "User Mode Linux"))
			uml = true;
		if (!strncmp(line, "flags", 5)) {
			constant = strstr(line, " constant_tsc") != NULL;
			nonstop = strstr(line, " nonstop_tsc") != NULL;
		}
	}
	if (f)
		fclose(f);
	return uml && constant && nonstop;
}

bool umlclock_init(void)
{
	struct timespec a, b, pause = { 0, 20000000 };
	uint64_t t0, t1;

	if (!rdtsc() || !uml_invariant_tsc())
		return false;
	/* the TSC's rate against the kernel's clock, over 20 ms */
	if (next_clock(CLOCK_MONOTONIC, &a))
		return false;
	t0 = rdtsc();
	nanosleep(&pause, NULL);
	if (next_clock(CLOCK_MONOTONIC, &b))
		return false;
	t1 = rdtsc();
	if (t1 <= t0 || ts_ns(&b) <= ts_ns(&a))
		return false;
	uc.ns_per_tick = (double)(ts_ns(&b) - ts_ns(&a)) / (double)(t1 - t0);
	uc.cal_tsc = t0;
	uc.cal_ns = ts_ns(&a);
	uc.on = true;
	return true;
}
