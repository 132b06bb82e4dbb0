// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Scenarios: the tiler heap and Panthor's heap-grow path.
 *
 *   heap [--driver NAME] [--model-state FILE]
 *
 * A tiling pass (HEAP_SET, VT_STARTED, 5 x RUN_TILING, VT_COMPLETED,
 * FRAGMENT_COMPLETED) needs 5 x 64 KiB of heap under the model's rule
 * (model/mm_cs.h); with 128 KiB chunks that is 3 TILER_OOM events, each
 * answered by Panthor's panthor_heap_grow() with a new chunk.
 *
 *  heap_grows       max_chunks 8: the job completes, 3 OOMs, 3 chunks granted
 *  heap_limit       max_chunks 2: Panthor grants 1 chunk, then refuses
 *                   (chunk_count >= max_chunks -> -ENOMEM, heap_start = 0);
 *                   the job still completes (the firmware falls back)
 *  heap_destroy     TILER_HEAP_DESTROY of both heaps succeeds
 * With --model-state (the model's debugfs file) the OOM/grant counts are
 * checked; without it (real hardware) only the results in memory are.
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
static uint32_t vm;
static const char *state_file;

static long long model_stat(const char *key)
{
	char line[200], k[100];
	long long v, found = -1;
	FILE *f;

	if (!state_file || !(f = fopen(state_file, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%99s %lli", k, &v) == 2 && !strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

static uint32_t heap_create(uint32_t max_chunks, uint64_t *ctx)
{
	struct drm_panthor_tiler_heap_create c = {
		.vm_id = vm, .initial_chunk_count = 1, .chunk_size = 128 * 1024,
		.max_chunks = max_chunks, .target_in_flight = 2,
	};

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &c))
		ptu_fail("TILER_HEAP_CREATE: %s", strerror(errno));
	*ctx = c.tiler_heap_ctx_gpu_va;
	return c.handle;
}

/* Run the tiling pass against heap context @ctx; returns the marker. */
static uint32_t tiling_pass(struct ptu_bo *code, struct ptu_bo *data, uint32_t slot,
			    uint64_t ctx, int *wait_ret, uint32_t *state)
{
	struct ptu_cs cs;
	uint32_t i;

	ptu_cs_init(&cs, code, slot * 256, 32);
	ptu_cs_emit(&cs, mm_cs_mov48(10, ctx));
	ptu_cs_emit(&cs, mm_cs_op(48, MMCS_F(10, 40)));		/* HEAP_SET */
	ptu_cs_emit(&cs, mm_cs_op(49, MMCS_F(0, 32)));		/* VT started */
	for (i = 0; i < 5; i++)
		ptu_cs_emit(&cs, mm_cs_op(5, 0));			/* RUN_TILING */
	ptu_cs_emit(&cs, mm_cs_op(49, MMCS_F(1, 32)));		/* VT completed */
	ptu_cs_emit(&cs, mm_cs_op(49, MMCS_F(3, 32)));		/* fragment done */
	ptu_cs_emit(&cs, mm_cs_mov48(2, DATA_VA + 4 * slot));
	ptu_cs_emit(&cs, mm_cs_mov32(4, 0x7e57 + slot));
	ptu_cs_emit(&cs, mm_cs_ldst(21, 4, 2, 1, 0));
	ptu_cs_emit(&cs, mm_cs_wait(0xff));
	*wait_ret = ptu_run_job(fd, vm, &cs, 20000, state, NULL, NULL);
	return ((volatile uint32_t *)data->map)[slot];
}

int main(int argc, char **argv)
{
	const char *driver = "panthor";
	struct ptu_bo code, data;
	uint64_t ctx1, ctx2;
	uint32_t h1, h2, st, v;
	long long oom0, grant0, refused0, oom, grant, refused;
	struct drm_panthor_tiler_heap_destroy d = { 0 };
	int a, w, r1, r2;

	for (a = 1; a + 1 < argc; a += 2) {
		if (!strcmp(argv[a], "--driver"))
			driver = argv[a + 1];
		else if (!strcmp(argv[a], "--model-state"))
			state_file = argv[a + 1];
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = ptu_open(driver);
	vm = ptu_vm_create(fd);
	ptu_bo_mapped(fd, vm, &code, 4096, CODE_VA, 0);
	ptu_bo_mapped(fd, vm, &data, 4096, DATA_VA, 0);
	ptu_plan(3);

	h1 = heap_create(8, &ctx1);
	oom0 = model_stat("tiler_ooms");
	grant0 = model_stat("heap_chunks_granted");
	refused0 = model_stat("heap_grants_refused");
	v = tiling_pass(&code, &data, 0, ctx1, &w, &st);
	oom = model_stat("tiler_ooms") - oom0;
	grant = model_stat("heap_chunks_granted") - grant0;
	if (state_file)
		ptu_result(!w && !st && v == 0x7e57 && oom == 3 && grant == 3, "heap_grows",
			   "fence %d, state %#x, marker %#x, %lld OOM events, %lld chunks granted",
			   w, st, v, oom, grant);
	else
		ptu_result(!w && !st && v == 0x7e57, "heap_grows",
			   "fence %d, state %#x, marker %#x", w, st, v);

	h2 = heap_create(2, &ctx2);
	grant0 = model_stat("heap_chunks_granted");
	v = tiling_pass(&code, &data, 1, ctx2, &w, &st);
	grant = model_stat("heap_chunks_granted") - grant0;
	refused = model_stat("heap_grants_refused") - refused0;
	if (state_file)
		ptu_result(!w && !st && v == 0x7e58 && grant == 1 && refused >= 1,
			   "heap_limit_refuses_growth",
			   "fence %d, state %#x, marker %#x, %lld granted, %lld refused",
			   w, st, v, grant, refused);
	else
		ptu_result(!w && !st && v == 0x7e58, "heap_limit_refuses_growth",
			   "fence %d, state %#x, marker %#x", w, st, v);

	d.handle = h1;
	r1 = drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d) ? -errno : 0;
	d.handle = h2;
	r2 = drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d) ? -errno : 0;
	ptu_result(!r1 && !r2, "heap_destroy", "destroy: %d, %d", r1, r2);

	ptu_bo_free(fd, &code);
	ptu_bo_free(fd, &data);
	ptu_vm_destroy(fd, vm);
	return ptu_exit();
}
