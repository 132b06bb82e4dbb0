/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The ioctl fuzzer's program interpreter: turns fuzz input bytes into a
 * sequence of panthor-uAPI calls and runs them, one by one, through a
 * backend (the real device in the VM, a fake one in host tests and in the
 * host libFuzzer target of the interpreter itself).
 *
 * Every call is generated from the one uAPI table (harness/uapi.[ch]):
 * which ioctls exist, their argument sizes, and per field its kind (pad,
 * handle of which kind, flags with the bits the kernel accepts, enum, user
 * pointer sized by which field, object array of which element and stride).
 * Handles come from the resources earlier calls returned (live, destroyed,
 * or from a second open file: foreign), or are made up. Pseudo-calls build
 * real command streams in mapped BOs (so GROUP_SUBMIT reaches the firmware
 * and fault paths), map BOs, run the next two calls on two threads at once
 * (races), arm fault injection (fail-nth) for the next call, and let time
 * pass. See docs/fuzzing.md for the input format.
 *
 * Known bugs (fuzz/known-bugs.txt) are filtered here, before a call is
 * made: a call that would trigger one on the driver under test is not
 * issued (counted in pf_stats.suppressed), so campaigns get past them.
 */
#ifndef PANREF_FUZZ_PROG_H
#define PANREF_FUZZ_PROG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi.h"

#define PF_MAX_CALLS	32	/* calls per program */
#define PF_MAX_RES	64	/* resources of one kind kept per program */
#define PF_ARENA	(1u << 20)	/* user memory a call's pointers use */

/* What the interpreter asks of the world (device or fake). */
struct pf_backend {
	void *ctx;
	/* ioctl on file @file (0: the main render node, 1: a second one) */
	int (*ioctl)(void *ctx, int file, unsigned long req, void *arg);
	/*
	 * The same for a call that may wait in the kernel for something the
	 * program never does (SYNCOBJ_TRANSFER's WAIT_FOR_SUBMIT: up to 5 s
	 * for a fence nobody submits): interrupted after @us microseconds
	 * (EINTR), if able. NULL: ioctl().
	 */
	int (*ioctl_bounded)(void *ctx, int file, unsigned long req, void *arg,
			     unsigned int us);
	/* map @size bytes of a BO at fake offset @off of @file; NULL on error */
	void *(*mmap)(void *ctx, int file, uint64_t off, uint64_t size);
	void (*munmap)(void *ctx, void *p, uint64_t size);
	/* close a file descriptor a call returned (dma-buf, syncobj fd) */
	void (*close_fd)(void *ctx, int fd);
	/* the next call fails its @nth allocation (fault injection), if able */
	void (*fail_nth)(void *ctx, unsigned int nth);
	/*
	 * Run @n (1 or 2) thunks: 2 means at the same time, on two threads.
	 * NULL: run them one after the other.
	 */
	void (*run)(void *ctx, void (*fn)(void *), void **args, int n);
	void (*sleep_us)(void *ctx, unsigned int us);
	/* if set: one line per call made (name, size, result), for listings */
	void (*log)(void *ctx, const char *line);
};

/* Known bugs the filter knows how to recognise (fuzz/known-bugs.txt). */
enum pf_bug {
	PF_BUG_SIGNAL_UNKNOWN_SYNCOBJ,	/* SIGNAL op naming no syncobj: NULL deref */
	PF_BUG_ARRAY_OVER_INT_MAX,	/* obj_array bytes > INT_MAX: kvmalloc WARN */
	PF_BUG_ARRAY_HUGE_ALLOC,	/* obj_array bytes > 64 MiB: memory exhaustion */
	PF_BUG_UML_UACCESS_INT,		/* user copy >= 2 GiB: UML's buffer_op() int len */
	PF_BUG_DRM_SYNCOBJ_COUNT,	/* syncobj array > 4 MiB: kmalloc WARN in DRM core */
	PF_BUG_BO_HUGE_PIN,		/* BO > 64 MiB: binding it pins it all: OOM killer */
	PF_BUG_HEAP_HUGE_INITIAL,	/* heap's initial chunks > 64 MiB: OOM killer */
	PF_BUG_WAIT_ON_OWN_SIGNAL,	/* a submit waits on a syncobj it signals: WARN */
	PF_NBUGS,
};

struct pf_stats {
	uint64_t calls, ok, suppressed, races, cs_built, jobs;
	uint64_t budgeted;	/* calls whose allocation was cut to the budget */
	uint64_t by_bug[PF_NBUGS];
};

struct pf_options {
	uint32_t bugs;		/* bit per enum pf_bug: filter these */
	bool fail_nth;		/* allow fault-injection pseudo-calls */
	unsigned int max_sleep_us;
	/*
	 * If not 0: a TILER_HEAP_CREATE whose initial chunks (count times a
	 * chunk size up to this) exceed this many bytes has its
	 * initial_chunk_count cut to fit, before the call is made (counted in
	 * pf_stats.budgeted). The driver allocates, zeroes and maps every
	 * initial chunk in the ioctl; more chunks take longer, not new paths.
	 */
	uint64_t heap_budget;
};

/* Parse fuzz/known-bugs.txt for @driver: the bugs to filter (bit mask). */
int pf_known_bugs_load(const char *path, const char *driver, uint32_t *mask,
		       char *err, size_t errlen);
const char *pf_bug_name(enum pf_bug b);

/*
 * Run the program in @data. @stats accumulates. Call boundaries (input
 * offsets where each call starts) go to @starts (if not NULL, up to
 * PF_MAX_CALLS + 1 entries; the count is returned), for minimisation.
 */
int pf_run(const struct pf_backend *be, const struct pf_options *opt,
	   const uint8_t *data, size_t size, struct pf_stats *stats,
	   size_t *starts);

#endif
