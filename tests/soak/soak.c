// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * soak: several processes mixing every kind of work on one driver, for a
 * fixed time, while the caller injects firmware faults at random.
 *
 *   soak [--driver NAME] [--procs N] [--seconds S] [--seed X]
 *
 * Each process loops over random actions until the time is up:
 *   submit    a job stores a marker; the fence must signal and, unless the
 *             group was hit by a fault, the marker must be in memory
 *   bind      synchronous map and unmap of a scratch BO
 *   heap      tiler heap create, a tiling pass that grows it, destroy
 *   churn     group create, submit, destroy before the job ran: the fence
 *             must still signal (or fail)
 *   fault     a job with an illegal instruction: FATAL_FAULT
 *   timeout   about every 15 s: a job waiting (SYNC_WAIT) on memory nobody
 *             writes; the driver's job timeout must fail its fence and
 *             mark the group TIMEDOUT
 * Every wait is bounded (10 s): a fence that never signals is a failure.
 * Prints KTAP: one result per process and the totals.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mm_cs.h"
#include "ptu.h"

#define CODE_VA		0x1000000ull
#define DATA_VA		0x2000000ull
#define SCRATCH_VA	0x3000000ull
#define WAIT_MS		10000

struct counts {
	unsigned long submits, binds, heaps, churns, faults, timeouts, hit, errors;
};

static unsigned long long rng;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned int)(rng >> 33) % n;
}

static int group_new(int fd, uint32_t vm, uint32_t *g)
{
	struct drm_panthor_queue_create q[2] = {
		{ .priority = 1, .ringbuf_size = 4096 },
		{ .priority = 1, .ringbuf_size = 8192 },
	};
	struct drm_panthor_group_create c = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(2, q),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = 1, .fragment_core_mask = 1, .tiler_core_mask = 1,
		.vm_id = vm,
	};

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &c))
		return -errno;
	*g = c.group_handle;
	return 0;
}

static void group_del(int fd, uint32_t g)
{
	struct drm_panthor_group_destroy d = { .group_handle = g };

	drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d);
}

static uint32_t group_state(int fd, uint32_t g)
{
	struct drm_panthor_group_get_state s = { .group_handle = g };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s))
		return ~0u;
	return s.state;
}

/* Submit the stream at @va on @g's queue @q and wait; 0 or -errno. */
static int submit_wait(int fd, uint32_t g, uint32_t q, uint64_t va, uint32_t bytes,
		       uint32_t sync, bool wait)
{
	int r = ptu_submit_try(fd, g, q, va, bytes, sync);

	if (r || !wait)
		return r;
	return ptu_wait(fd, sync, WAIT_MS);
}

static void bad(struct counts *c, const char *what, int r)
{
	c->errors++;
	printf("# pid %d: %s: %s\n", getpid(), what, strerror(-r));
}

static void worker(const char *driver, unsigned int seconds, unsigned long long seed,
		   struct counts *c)
{
	int fd = ptu_open(driver);
	uint32_t vm = ptu_vm_create(fd), g = 0, sync = ptu_syncobj(fd);
	uint64_t deadline = ptu_now_ns() + seconds * 1000000000ull;
	uint64_t next_timeout;
	volatile uint32_t *data;
	struct ptu_bo code, dbo, scratch;
	unsigned int n = 0;

	rng = seed;
	next_timeout = ptu_now_ns() + (5 + rnd(10)) * 1000000000ull;
	ptu_bo_mapped(fd, vm, &code, 65536, CODE_VA, 0);
	ptu_bo_mapped(fd, vm, &dbo, 4096, DATA_VA, 0);
	ptu_bo_new(fd, &scratch, 2 * 1024 * 1024, 0, 0);
	data = dbo.map;
	if (group_new(fd, vm, &g))
		ptu_fail("GROUP_CREATE: %s", strerror(errno));

	while (ptu_now_ns() < deadline) {
		uint32_t slot = n++ % 64, marker = (uint32_t)rnd(1u << 30) | 1;
		unsigned int what = rnd(10);
		struct ptu_cs cs;
		int r;

		drmSyncobjReset(fd, &sync, 1);
		ptu_cs_init(&cs, &code, slot * 512, 48);
		if (ptu_now_ns() >= next_timeout && ptu_now_ns() + 10000000000ull < deadline) {
			uint32_t tg, st;				/* timeout */

			next_timeout = ptu_now_ns() + (10 + rnd(10)) * 1000000000ull;
			if (group_new(fd, vm, &tg)) {
				bad(c, "timeout create", -errno);
				continue;
			}
			ptu_cs_emit(&cs, mm_cs_mov48(2, DATA_VA + 0x200));
			ptu_cs_emit(&cs, mm_cs_mov48(4, 0x7fffffffffffull));
			ptu_cs_emit(&cs, mm_cs_sync_wait(53, 1, 2, 4));	/* > 2^47: never */
			r = submit_wait(fd, tg, 0, cs.va, ptu_cs_bytes(&cs), sync, true);
			st = group_state(fd, tg);
			if (r || !(st & DRM_PANTHOR_GROUP_STATE_TIMEDOUT)) {
				c->errors++;
				printf("# pid %d: timeout job: wait %d, state %#x\n", getpid(), r, st);
			}
			group_del(fd, tg);
			c->timeouts++;
		} else if (what < 5) {			/* submit */
			uint32_t q = rnd(2), st;

			data[slot] = 0;
			ptu_cs_emit(&cs, mm_cs_mov48(2, DATA_VA + 4 * slot));
			ptu_cs_emit(&cs, mm_cs_mov32(4, marker));
			ptu_cs_emit(&cs, mm_cs_ldst(21, 4, 2, 1, 0));
			ptu_cs_emit(&cs, mm_cs_wait(0xff));
			r = submit_wait(fd, g, q, cs.va, ptu_cs_bytes(&cs), sync, true);
			st = group_state(fd, g);
			if (r == -EINVAL || st) {
				/* A fault or reset hit the group: a new one. */
				c->hit++;
				group_del(fd, g);
				if (group_new(fd, vm, &g))
					ptu_fail("GROUP_CREATE: %s", strerror(errno));
			} else if (r) {
				bad(c, "submit wait", r);
			} else if (data[slot] != marker) {
				c->errors++;
				printf("# pid %d: slot %u holds %#x, want %#x\n", getpid(), slot,
				       data[slot], marker);
			}
			c->submits++;
		} else if (what < 7) {			/* bind */
			r = ptu_map_try(fd, vm, &scratch, SCRATCH_VA, 0);
			if (!r)
				r = ptu_unmap_try(fd, vm, SCRATCH_VA, scratch.size);
			if (r)
				bad(c, "bind", r);
			c->binds++;
		} else if (what == 7) {			/* heap */
			struct drm_panthor_tiler_heap_create h = {
				.vm_id = vm, .initial_chunk_count = 1, .chunk_size = 128 * 1024,
				.max_chunks = 1 + rnd(4), .target_in_flight = 2,
			};
			struct drm_panthor_tiler_heap_destroy d = { 0 };
			uint32_t hg, i;

			if (drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &h)) {
				bad(c, "heap create", -errno);
				continue;
			}
			ptu_cs_emit(&cs, mm_cs_mov48(10, h.tiler_heap_ctx_gpu_va));
			ptu_cs_emit(&cs, mm_cs_op(48, MMCS_F(10, 40)));
			ptu_cs_emit(&cs, mm_cs_op(49, MMCS_F(0, 32)));
			for (i = 0; i < 5; i++)
				ptu_cs_emit(&cs, mm_cs_op(5, 0));
			ptu_cs_emit(&cs, mm_cs_op(49, MMCS_F(1, 32)));
			ptu_cs_emit(&cs, mm_cs_op(49, MMCS_F(3, 32)));
			ptu_cs_emit(&cs, mm_cs_wait(0xff));
			if (!group_new(fd, vm, &hg)) {
				r = submit_wait(fd, hg, 0, cs.va, ptu_cs_bytes(&cs), sync, true);
				if (r && r != -EINVAL && !group_state(fd, hg))
					bad(c, "heap pass", r);
				group_del(fd, hg);
			}
			d.handle = h.handle;
			if (drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d))
				bad(c, "heap destroy", -errno);
			c->heaps++;
		} else if (what == 8) {			/* churn */
			uint32_t cg;

			if (group_new(fd, vm, &cg)) {
				bad(c, "churn create", -errno);
				continue;
			}
			ptu_cs_emit(&cs, mm_cs_mov48(2, DATA_VA + 4 * slot));
			ptu_cs_emit(&cs, mm_cs_mov32(4, marker));
			ptu_cs_emit(&cs, mm_cs_ldst(21, 4, 2, 1, 0));
			ptu_cs_emit(&cs, mm_cs_wait(0xff));
			r = submit_wait(fd, cg, rnd(2), cs.va, ptu_cs_bytes(&cs), sync, false);
			group_del(fd, cg);
			if (!r)
				r = ptu_wait(fd, sync, WAIT_MS);
			/* Signalled, with or without an error: both are fine. */
			if (r)
				bad(c, "churn wait", r);
			c->churns++;
		} else {				/* fault */
			uint32_t fg, st;

			if (group_new(fd, vm, &fg)) {
				bad(c, "fault create", -errno);
				continue;
			}
			ptu_cs_emit(&cs, mm_cs_op(0x7f, 0));	/* unassigned opcode */
			ptu_cs_emit(&cs, mm_cs_wait(0xff));
			r = submit_wait(fd, fg, 0, cs.va, ptu_cs_bytes(&cs), sync, true);
			st = group_state(fd, fg);
			if (r || !(st & (DRM_PANTHOR_GROUP_STATE_FATAL_FAULT |
					 DRM_PANTHOR_GROUP_STATE_TIMEDOUT))) {
				c->errors++;
				printf("# pid %d: fault job: wait %d, state %#x\n", getpid(), r, st);
			}
			group_del(fd, fg);
			c->faults++;
		}
	}
	group_del(fd, g);
	ptu_bo_free(fd, &scratch);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *driver = "panthor";
	unsigned int procs = 8, seconds = 60, i, failed = 0;
	unsigned long long seed = 1;
	struct counts total = { 0 };
	int a, p[2];

	for (a = 1; a + 1 < argc; a += 2) {
		if (!strcmp(argv[a], "--driver"))
			driver = argv[a + 1];
		else if (!strcmp(argv[a], "--procs"))
			procs = (unsigned int)atoi(argv[a + 1]);
		else if (!strcmp(argv[a], "--seconds"))
			seconds = (unsigned int)atoi(argv[a + 1]);
		else if (!strcmp(argv[a], "--seed"))
			seed = strtoull(argv[a + 1], NULL, 0);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(p))
		ptu_fail("pipe: %s", strerror(errno));
	printf("KTAP version 1\n1..%u\n", procs + 1);
	for (i = 0; i < procs; i++) {
		if (fork() == 0) {
			struct counts c = { 0 };

			close(p[0]);
			worker(driver, seconds, seed * 1000 + i, &c);
			if (write(p[1], &c, sizeof(c)) != sizeof(c))
				_exit(2);
			_exit(c.errors ? 1 : 0);
		}
	}
	close(p[1]);
	for (i = 0; i < procs; i++) {
		struct counts c;
		int st;

		if (read(p[0], &c, sizeof(c)) == sizeof(c)) {
			total.submits += c.submits;
			total.binds += c.binds;
			total.heaps += c.heaps;
			total.churns += c.churns;
			total.faults += c.faults;
			total.timeouts += c.timeouts;
			total.hit += c.hit;
			total.errors += c.errors;
		}
		wait(&st);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			failed++;
			printf("not ok %u process_%u # status %#x\n", i + 1, i, st);
		} else {
			printf("ok %u process_%u\n", i + 1, i);
		}
	}
	printf("# %lu submits (%lu hit by faults), %lu binds, %lu heaps, %lu churns, %lu fault jobs, %lu timed-out jobs, %lu errors\n",
	       total.submits, total.hit, total.binds, total.heaps, total.churns, total.faults,
	       total.timeouts, total.errors);
	if (!failed && !total.errors && total.submits && total.heaps && total.faults &&
	    (total.timeouts || seconds < 20))
		printf("ok %u soak_%s_all_work_done\n", procs + 1, driver);
	else
		printf("not ok %u soak_%s_all_work_done\n", procs + 1, driver);
	return failed || total.errors;
}
