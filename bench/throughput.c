// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Submit -> fence-signalled throughput through a panthor-uAPI driver, run
 * inside the VM:
 *
 *   bench-throughput [--driver NAME] [--jobs N] [--batch-jobs N] [--warmup N]
 *                    [--latency RUNS]
 *
 * For 1 queue and for 8 queues of one group: N jobs, each a small stream
 * (store + SYNC_ADD64 counter), submitted one per GROUP_SUBMIT and then 32
 * per GROUP_SUBMIT; time from the first submit to the last fence signalled,
 * with the counters checked afterwards (a run that lost a job is an error).
 * The cost of one DEV_QUERY ioctl in the same VM is printed alongside: the
 * ratio carries over to other machines (docs/ on the UML rig).
 * --batch-jobs sets N for the 32-per-submit runs alone (default: --jobs):
 * those runs are ten times shorter, and short runs are noisy in UML.
 * --warmup N first runs N single-job submits on 1 queue, untimed, so that
 * the first configuration does not also pay the process's start-up.
 * --latency RUNS adds, per configuration, the round trip of one GROUP_SUBMIT
 * (of 1 or 32 jobs) to its last fence: median, 10th and 90th percentile.
 * --jobs 0 skips the throughput runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm_cs.h"
#include "ptu.h"

#define CODE_VA	0x1000000ull
#define DATA_VA	0x2000000ull

static int fd;

static double devquery_us(void)
{
	struct drm_panthor_gpu_info info;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
		.size = sizeof(info), .pointer = (uintptr_t)&info,
	};
	const int n = 5000;
	uint64_t t0 = ptu_now_ns();
	int i;

	for (i = 0; i < n; i++)
		if (drmIoctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q))
			ptu_fail("DEV_QUERY: %s", strerror(errno));
	return (ptu_now_ns() - t0) / 1e3 / n;
}

struct bench {
	uint32_t vm, g, nq, syncs[8];
	struct drm_panthor_sync_op sig[8];
	struct ptu_bo code, data;
	volatile uint64_t *ctr;
};

/* A VM, a group of @nq queues, each with a counter-increment stream. */
static void setup(struct bench *b, uint32_t nq)
{
	uint32_t q;

	b->nq = nq;
	b->vm = ptu_vm_create(fd);
	ptu_bo_mapped(fd, b->vm, &b->code, 4096, CODE_VA, 0);
	ptu_bo_mapped(fd, b->vm, &b->data, 4096, DATA_VA, 0);
	b->ctr = b->data.map;
	b->g = ptu_group_create(fd, b->vm, nq, PANTHOR_GROUP_PRIORITY_MEDIUM);
	for (q = 0; q < nq; q++) {
		struct ptu_cs cs;

		ptu_cs_init(&cs, &b->code, q * 64, 8);
		ptu_cs_emit(&cs, mm_cs_mov48(2, DATA_VA + 8 * q));
		ptu_cs_emit(&cs, mm_cs_mov48(4, 1));
		ptu_cs_emit(&cs, mm_cs_sync(51, 2, 4, false));
		b->syncs[q] = ptu_syncobj(fd);
		b->sig[q] = (struct drm_panthor_sync_op){
			.flags = DRM_PANTHOR_SYNC_OP_SIGNAL |
				 DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
			.handle = b->syncs[q],
		};
	}
}

static void teardown(struct bench *b)
{
	uint32_t q;

	ptu_group_destroy(fd, b->g);
	for (q = 0; q < b->nq; q++)
		drmSyncobjDestroy(fd, b->syncs[q]);
	ptu_bo_free(fd, &b->code);
	ptu_bo_free(fd, &b->data);
	ptu_vm_destroy(fd, b->vm);
}

/* Submit jobs [@first, @first + @n) in GROUP_SUBMITs of @batch; the jobs
 * with index >= @sig_from signal their queue's syncobj. */
static void submit(struct bench *b, uint32_t first, uint32_t n, uint32_t batch,
		   uint32_t sig_from)
{
	struct drm_panthor_queue_submit qs[32];
	uint32_t j, end = first + n;

	for (j = first; j < end; ) {
		struct drm_panthor_group_submit s = { .group_handle = b->g };
		uint32_t k, q;

		for (k = 0; k < batch && j < end; k++, j++) {
			q = j % b->nq;
			qs[k] = (struct drm_panthor_queue_submit){
				.queue_index = q, .stream_size = 24,
				.stream_addr = CODE_VA + q * 64,
			};
			if (j >= sig_from)
				qs[k].syncs = (struct drm_panthor_obj_array)
					DRM_PANTHOR_OBJ_ARRAY(1, &b->sig[q]);
		}
		s.queue_submits = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(k, qs);
		if (drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &s))
			ptu_fail("GROUP_SUBMIT: %s", strerror(errno));
	}
}

static void wait_all(struct bench *b, uint32_t nsync)
{
	if (drmSyncobjWait(fd, b->syncs, nsync, ptu_now_ns() + 120ull * 1000000000,
			   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL))
		ptu_fail("fence wait: %s", strerror(errno));
}

/* @rounds rounds of @jobs jobs, each round starting on queue 0, all ran. */
static void check_counts(struct bench *b, uint32_t jobs, uint32_t rounds)
{
	uint32_t q;

	for (q = 0; q < b->nq; q++) {
		uint64_t want = (uint64_t)rounds * (jobs / b->nq + (q < jobs % b->nq));

		if (b->ctr[q] != want)
			ptu_fail("queue %u ran %llu jobs, expected %llu", q,
				 (unsigned long long)b->ctr[q], (unsigned long long)want);
	}
}

static double run(uint32_t nq, uint32_t jobs, uint32_t batch)
{
	struct bench b;
	uint64_t t0, t;

	setup(&b, nq);
	t0 = ptu_now_ns();
	/* The last job of each queue signals its syncobj. */
	submit(&b, 0, jobs, batch, jobs - nq);
	wait_all(&b, nq);
	t = ptu_now_ns() - t0;
	check_counts(&b, jobs, 1);
	teardown(&b);
	return jobs / (t / 1e9);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Latency: @runs times, one round of @batch jobs (over @nq queues) is
 * submitted and waited for; the median and the 10th/90th percentiles of
 * the round trip, in microseconds.
 */
static void latency(uint32_t nq, uint32_t batch, uint32_t runs, double pct[3])
{
	double *us = calloc(runs, sizeof(*us));
	uint32_t i, used = batch < nq ? batch : nq;
	struct bench b;

	if (!us)
		ptu_fail("out of memory");
	setup(&b, nq);
	for (i = 0; i < runs; i++) {
		uint64_t t0;

		if (drmSyncobjReset(fd, b.syncs, used))
			ptu_fail("SYNCOBJ_RESET: %s", strerror(errno));
		t0 = ptu_now_ns();
		submit(&b, 0, batch, batch, batch - used);
		wait_all(&b, used);
		us[i] = (ptu_now_ns() - t0) / 1e3;
	}
	check_counts(&b, batch, runs);
	teardown(&b);
	qsort(us, runs, sizeof(*us), cmp_double);
	pct[0] = us[runs / 2];
	pct[1] = us[runs / 10];
	pct[2] = us[runs * 9 / 10];
	free(us);
}

int main(int argc, char **argv)
{
	const char *driver = "panthor";
	uint32_t jobs = 20000, batch_jobs = 0, warmup = 0, lat_runs = 0, nq, batch;
	double dq;
	int a;

	for (a = 1; a + 1 < argc; a += 2) {
		if (!strcmp(argv[a], "--driver"))
			driver = argv[a + 1];
		else if (!strcmp(argv[a], "--jobs"))
			jobs = strtoul(argv[a + 1], NULL, 0);
		else if (!strcmp(argv[a], "--batch-jobs"))
			batch_jobs = strtoul(argv[a + 1], NULL, 0);
		else if (!strcmp(argv[a], "--warmup"))
			warmup = strtoul(argv[a + 1], NULL, 0);
		else if (!strcmp(argv[a], "--latency"))
			lat_runs = strtoul(argv[a + 1], NULL, 0);
	}
	fd = ptu_open(driver);
	dq = devquery_us();
	printf("DEV_QUERY ioctl in this VM: %.1f us (%.0f ioctl/s)\n", dq, 1e6 / dq);
	if (warmup)
		run(1, warmup, 1);
	for (batch = 1; jobs && batch <= 32; batch *= 32) {
		for (nq = 1; nq <= 8; nq *= 8) {
			double r = run(nq, batch > 1 && batch_jobs ? batch_jobs : jobs, batch);

			printf("submit->signal, %u queue%s, %2u job%s per GROUP_SUBMIT: "
			       "%.0f jobs/s (%.1f DEV_QUERY-equivalents per job)\n",
			       nq, nq > 1 ? "s" : " ", batch, batch > 1 ? "s" : " ",
			       r, 1e6 / r / dq);
		}
	}
	for (batch = 1; lat_runs && batch <= 32; batch *= 32) {
		for (nq = 1; nq <= 8; nq *= 8) {
			double p[3];

			latency(nq, batch, lat_runs, p);
			printf("latency submit->signal, %u queue%s, %2u job%s per GROUP_SUBMIT: "
			       "median %.1f us (p10 %.1f, p90 %.1f)\n",
			       nq, nq > 1 ? "s" : " ", batch, batch > 1 ? "s" : " ",
			       p[0], p[1], p[2]);
		}
	}
	return 0;
}
