// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Submit -> fence-signalled throughput through a panthor-uAPI driver, run
 * inside the VM:
 *
 *   bench-throughput [--driver NAME] [--jobs N] [--batch-jobs N] [--warmup N]
 *
 * For 1 queue and for 8 queues of one group: N jobs, each a small stream
 * (store + SYNC_ADD64 counter), submitted one per GROUP_SUBMIT and then 32
 * per GROUP_SUBMIT; time from the first submit to the last fence signalled,
 * with the counters checked afterwards (a run that lost a job is an error).
 * The cost of one DEV_QUERY ioctl in the same VM is printed alongside: the
 * ratio carries over to other machines (../shared/reference/uml-rig.md).
 * --batch-jobs sets N for the 32-per-submit runs alone (default: --jobs):
 * those runs are ten times shorter, and short runs are noisy in UML.
 * --warmup N first runs N single-job submits on 1 queue, untimed, so that
 * the first configuration does not also pay the process's start-up.
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

static double run(uint32_t nq, uint32_t jobs, uint32_t batch)
{
	struct drm_panthor_queue_submit qs[32];
	struct drm_panthor_sync_op sig[8];
	struct ptu_bo code, data;
	uint32_t vm = ptu_vm_create(fd), g, q, j, syncs[8];
	uint64_t t0, t;
	volatile uint64_t *ctr;
	int r;

	ptu_bo_mapped(fd, vm, &code, 4096, CODE_VA, 0);
	ptu_bo_mapped(fd, vm, &data, 4096, DATA_VA, 0);
	ctr = data.map;
	g = ptu_group_create(fd, vm, nq, PANTHOR_GROUP_PRIORITY_MEDIUM);
	for (q = 0; q < nq; q++) {
		struct ptu_cs cs;

		ptu_cs_init(&cs, &code, q * 64, 8);
		ptu_cs_emit(&cs, mm_cs_mov48(2, DATA_VA + 8 * q));
		ptu_cs_emit(&cs, mm_cs_mov48(4, 1));
		ptu_cs_emit(&cs, mm_cs_sync(51, 2, 4, false));
		syncs[q] = ptu_syncobj(fd);
		sig[q] = (struct drm_panthor_sync_op){
			.flags = DRM_PANTHOR_SYNC_OP_SIGNAL |
				 DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
			.handle = syncs[q],
		};
	}
	t0 = ptu_now_ns();
	for (j = 0; j < jobs; ) {
		struct drm_panthor_group_submit s = { .group_handle = g };
		uint32_t k;

		for (k = 0; k < batch && j < jobs; k++, j++) {
			q = j % nq;
			qs[k] = (struct drm_panthor_queue_submit){
				.queue_index = q, .stream_size = 24,
				.stream_addr = CODE_VA + q * 64,
			};
			/* The last job of each queue signals its syncobj. */
			if (j >= jobs - nq)
				qs[k].syncs = (struct drm_panthor_obj_array)
					DRM_PANTHOR_OBJ_ARRAY(1, &sig[q]);
		}
		s.queue_submits = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(k, qs);
		if (drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &s))
			ptu_fail("GROUP_SUBMIT: %s", strerror(errno));
	}
	r = drmSyncobjWait(fd, syncs, nq, ptu_now_ns() + 120ull * 1000000000,
			   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL);
	t = ptu_now_ns() - t0;
	if (r)
		ptu_fail("fence wait: %s", strerror(errno));
	for (q = 0; q < nq; q++)
		if (ctr[q] != jobs / nq + (q < jobs % nq))
			ptu_fail("queue %u ran %llu jobs, expected %u", q,
				 (unsigned long long)ctr[q], jobs / nq + (q < jobs % nq));
	ptu_group_destroy(fd, g);
	for (q = 0; q < nq; q++)
		drmSyncobjDestroy(fd, syncs[q]);
	ptu_bo_free(fd, &code);
	ptu_bo_free(fd, &data);
	ptu_vm_destroy(fd, vm);
	return jobs / (t / 1e9);
}

int main(int argc, char **argv)
{
	const char *driver = "panthor";
	uint32_t jobs = 20000, batch_jobs = 0, warmup = 0, nq, batch;
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
	}
	fd = ptu_open(driver);
	dq = devquery_us();
	printf("DEV_QUERY ioctl in this VM: %.1f us (%.0f ioctl/s)\n", dq, 1e6 / dq);
	if (warmup)
		run(1, warmup, 1);
	for (batch = 1; batch <= 32; batch *= 32) {
		for (nq = 1; nq <= 8; nq *= 8) {
			double r = run(nq, batch > 1 && batch_jobs ? batch_jobs : jobs, batch);

			printf("submit->signal, %u queue%s, %2u job%s per GROUP_SUBMIT: "
			       "%.0f jobs/s (%.1f DEV_QUERY-equivalents per job)\n",
			       nq, nq > 1 ? "s" : " ", batch, batch > 1 ? "s" : " ",
			       r, 1e6 / r / dq);
		}
	}
	return 0;
}
