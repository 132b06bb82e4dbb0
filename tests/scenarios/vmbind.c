// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Scenarios: VM_BIND as the GPU sees it.
 *
 *   vmbind [--driver NAME]    (default: panthor)
 *
 *  sync_map_unmap     a synchronous MAP makes a BO visible to a job; after a
 *                     synchronous UNMAP the same store faults (FATAL_FAULT)
 *  async_map_signal   an ASYNC MAP signals its syncobj; a job then uses it
 *  async_map_waits    an ASYNC MAP waiting on the fence of a job blocked on a
 *                     semaphore (a WAIT needs a syncobj with a fence: Panthor
 *                     rejects an empty one with EINVAL): its out-fence stays
 *                     unsignalled until the CPU releases the job, and the
 *                     mapping works after
 *  async_unmap        an ASYNC UNMAP signals; a store there then faults
 *  sync_only          a SYNC_ONLY op signals only after its wait fence
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mm_cs.h"
#include "ptu.h"

#define CODE_VA	0x1000000ull
#define BO_VA	0x2000000ull

static int fd;
static uint32_t vm;
static struct ptu_bo code;

static int bind_async(uint32_t type_flags, struct ptu_bo *bo, uint64_t va,
		      uint64_t size, uint32_t wait, uint32_t signal)
{
	struct drm_panthor_sync_op syncs[2];
	uint32_t n = 0;
	struct drm_panthor_vm_bind_op op = {
		.flags = type_flags, .bo_handle = bo ? bo->handle : 0,
		.va = va, .size = size,
	};
	struct drm_panthor_vm_bind b = {
		.vm_id = vm, .flags = DRM_PANTHOR_VM_BIND_ASYNC,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	if (wait)
		syncs[n++] = (struct drm_panthor_sync_op){
			.flags = DRM_PANTHOR_SYNC_OP_WAIT | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
			.handle = wait };
	if (signal)
		syncs[n++] = (struct drm_panthor_sync_op){
			.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
			.handle = signal };
	op.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(n, syncs);
	return drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b) ? -errno : 0;
}

/* A job storing @value at @va; returns group state after its fence. */
static uint32_t store_job(uint32_t slot, uint64_t va, uint32_t value, int *wait_ret)
{
	struct ptu_cs cs;
	uint32_t state = 0;

	ptu_cs_init(&cs, &code, slot * 64, 8);
	ptu_cs_emit(&cs, mm_cs_mov48(2, va));
	ptu_cs_emit(&cs, mm_cs_mov32(4, value));
	ptu_cs_emit(&cs, mm_cs_ldst(21, 4, 2, 1, 0));
	ptu_cs_emit(&cs, mm_cs_wait(0xff));
	*wait_ret = ptu_run_job(fd, vm, &cs, 10000, &state, NULL, NULL);
	return state;
}

#define SEM_OFF	0x800	/* semaphores in the code BO */

/* A job blocked until the u64 at SEM_OFF + 8 * @sem is > 0; its fence -> @sync. */
static uint32_t gate_job(uint32_t slot, uint32_t sem, uint32_t sync)
{
	struct ptu_cs cs;
	uint32_t g = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);

	ptu_cs_init(&cs, &code, slot * 64, 8);
	ptu_cs_emit(&cs, mm_cs_mov48(2, CODE_VA + SEM_OFF + 8 * sem));
	ptu_cs_emit(&cs, mm_cs_mov48(4, 0));
	ptu_cs_emit(&cs, mm_cs_sync_wait(53, 1, 2, 4));
	ptu_submit(fd, g, 0, cs.va, ptu_cs_bytes(&cs), sync);
	return g;
}

static void release(uint32_t sem)
{
	((volatile uint64_t *)((char *)code.map + SEM_OFF))[sem] = 1;
}

static bool signalled(uint32_t s)
{
	return ptu_wait(fd, s, 0) == 0;
}

int main(int argc, char **argv)
{
	const char *driver = argc > 2 && !strcmp(argv[1], "--driver") ? argv[2] : "panthor";
	struct ptu_bo bo;
	volatile uint32_t *v;
	uint32_t st, st2, s1, s2, gate;
	int w, w2, r, early;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = ptu_open(driver);
	vm = ptu_vm_create(fd);
	ptu_bo_mapped(fd, vm, &code, 4096, CODE_VA, 0);
	ptu_bo_new(fd, &bo, 4096, 0, 0);
	v = bo.map;
	ptu_plan(5);

	ptu_map(fd, vm, &bo, BO_VA, 0);
	st = store_job(0, BO_VA + 16, 0x1111, &w);
	r = ptu_unmap_try(fd, vm, BO_VA, bo.size);
	st2 = store_job(1, BO_VA + 20, 0x2222, &w2);
	ptu_result(!w && !st && v[4] == 0x1111 && !r && !w2 &&
		   (st2 & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT) && v[5] == 0,
		   "sync_map_unmap", "mapped: fence %d state %#x value %#x; unmap %d; "
		   "unmapped: fence %d state %#x value %#x", w, st, v[4], r, w2, st2, v[5]);

	s1 = ptu_syncobj(fd);
	r = bind_async(DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, &bo, BO_VA, bo.size, 0, s1);
	w = r ? r : ptu_wait(fd, s1, 10000);
	st = store_job(2, BO_VA + 24, 0x3333, &w2);
	ptu_result(!r && !w && !w2 && !st && v[6] == 0x3333, "async_map_signal",
		   "bind %d, bind fence %d, job fence %d, state %#x, value %#x",
		   r, w, w2, st, v[6]);
	drmSyncobjDestroy(fd, s1);

	/* Unmap it again, then an async map gated on a CPU-signalled syncobj. */
	r = ptu_unmap_try(fd, vm, BO_VA, bo.size);
	s1 = ptu_syncobj(fd);
	s2 = ptu_syncobj(fd);
	gate = gate_job(5, 0, s1);
	r = r ? r : bind_async(DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, &bo, BO_VA, bo.size, s1, s2);
	usleep(100000);
	early = signalled(s2);
	release(0);
	w = r ? r : ptu_wait(fd, s2, 10000);
	ptu_group_destroy(fd, gate);
	st = store_job(3, BO_VA + 28, 0x4444, &w2);
	ptu_result(!r && !early && !w && !w2 && !st && v[7] == 0x4444, "async_map_waits",
		   "bind %d, out-fence before the wait was signalled: %d, after: %d, "
		   "job %d state %#x value %#x", r, early, w, w2, st, v[7]);
	drmSyncobjDestroy(fd, s1);
	drmSyncobjDestroy(fd, s2);

	s1 = ptu_syncobj(fd);
	r = bind_async(DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, NULL, BO_VA, bo.size, 0, s1);
	w = r ? r : ptu_wait(fd, s1, 10000);
	st = store_job(4, BO_VA + 32, 0x5555, &w2);
	ptu_result(!r && !w && !w2 && (st & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT) && v[8] == 0,
		   "async_unmap", "unbind %d fence %d, job fence %d state %#x value %#x",
		   r, w, w2, st, v[8]);
	drmSyncobjDestroy(fd, s1);

	s1 = ptu_syncobj(fd);
	s2 = ptu_syncobj(fd);
	gate = gate_job(6, 1, s1);
	r = bind_async(DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, NULL, 0, 0, s1, s2);
	usleep(100000);
	early = signalled(s2);
	release(1);
	w = r ? r : ptu_wait(fd, s2, 10000);
	ptu_group_destroy(fd, gate);
	ptu_result(!r && !early && !w, "sync_only_orders_fences",
		   "bind %d, signalled before its wait: %d, after: %d", r, early, w);
	drmSyncobjDestroy(fd, s1);
	drmSyncobjDestroy(fd, s2);

	ptu_bo_free(fd, &bo);
	ptu_bo_free(fd, &code);
	ptu_vm_destroy(fd, vm);
	return ptu_exit();
}
