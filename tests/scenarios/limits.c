// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Scenario: what one ioctl may make the kernel allocate (panref; where
 * Panthor 6.12 differs, fuzz/known-bugs.txt names the bug).
 *
 *   limits [--driver NAME] [--no-budget]    (default: panref)
 *
 * --no-budget leaves out the three subtests of panref's 64 MiB per-call
 * budget (upstream's fix for Panthor, upstream/panthor/0003, has none: it
 * lets a memory cgroup bound the arrays); the others run on panref and on
 * Panthor with the upstream fixes (vm/run --panthor-fixed).
 *
 *  array_over_budget       GROUP_SUBMIT whose one sync-op array is 65 MiB
 *                          (valid memory): ENOMEM before anything is
 *                          allocated (Panthor copies it, then EINVAL)
 *  arrays_over_budget      two jobs with 40 MiB of sync ops each: each
 *                          array fits, both do not (the 64 MiB budget is
 *                          per call): ENOMEM
 *  arrays_within_budget    two jobs with 16 MiB of sync ops each: copied and
 *                          checked, ENOENT for their unknown syncobj as
 *                          before (the budget did not refuse it)
 *  array_1gib_enomem       GROUP_SUBMIT whose sync-op array would take 1 GiB
 *                          in the 512 MiB VM: ENOMEM, and no warning or OOM
 *                          kill in the kernel log (Panthor 6.12: a vmalloc
 *                          failure warning, or the OOM killer)
 *  heap_initial_over_max   TILER_HEAP_CREATE of 9 initial 8 MiB chunks
 *                          (72 MiB): ENOMEM (Panthor allocates until memory
 *                          runs out)
 *  heap_initial_at_max     8 initial 8 MiB chunks (64 MiB): created
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ptu.h"

#define MIB	(1024ull * 1024)

/* A GROUP_SUBMIT of @njobs empty jobs, each with @bytes of zeroed sync ops. */
static int submit_syncs(int fd, uint32_t group, uint32_t njobs, uint64_t bytes, void *ops)
{
	struct drm_panthor_queue_submit qs[2] = { 0 };
	struct drm_panthor_group_submit s = {
		.group_handle = group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(njobs, qs),
	};
	uint32_t i;

	for (i = 0; i < njobs; i++) {
		qs[i].syncs.stride = sizeof(struct drm_panthor_sync_op);
		qs[i].syncs.count = bytes / sizeof(struct drm_panthor_sync_op);
		qs[i].syncs.array = (uint64_t)(uintptr_t)ops;
	}
	return drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &s) ? -errno : 0;
}

static int heap_create(int fd, uint32_t vm, uint32_t initial, uint32_t *handle)
{
	struct drm_panthor_tiler_heap_create h = {
		.vm_id = vm, .initial_chunk_count = initial, .chunk_size = 8 * MIB,
		.max_chunks = 64, .target_in_flight = 2,
	};

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &h))
		return -errno;
	*handle = h.handle;
	return 0;
}

int main(int argc, char **argv)
{
	const char *driver = "panref";
	struct drm_panthor_tiler_heap_destroy d = { 0 };
	uint32_t vm, group, heap = 0;
	bool budget = true;
	void *ops;
	int fd, r, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--driver") && i + 1 < argc)
			driver = argv[++i];
		else if (!strcmp(argv[i], "--no-budget"))
			budget = false;
		else
			ptu_fail("usage: %s [--driver NAME] [--no-budget]", argv[0]);
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = ptu_open(driver);
	vm = ptu_vm_create(fd);
	group = ptu_group_create(fd, vm, 2, PANTHOR_GROUP_PRIORITY_MEDIUM);
	/* Zeroed sync ops: WAIT on syncobj handle 0, which does not exist. */
	ops = mmap(NULL, 65 * MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ops == MAP_FAILED)
		ptu_fail("mmap: %s", strerror(errno));
	ptu_plan(budget ? 6 : 3);

	if (budget) {
		r = submit_syncs(fd, group, 1, 65 * MIB, ops);
		ptu_result(r == -ENOMEM, "array_over_budget", "GROUP_SUBMIT: %s",
			   r ? strerror(-r) : "accepted");
		r = submit_syncs(fd, group, 2, 40 * MIB, ops);
		ptu_result(r == -ENOMEM, "arrays_over_budget", "GROUP_SUBMIT: %s",
			   r ? strerror(-r) : "accepted");
		r = submit_syncs(fd, group, 2, 16 * MIB, ops);
		ptu_result(r == -ENOENT, "arrays_within_budget", "GROUP_SUBMIT: %s",
			   r ? strerror(-r) : "accepted");
	}
	/* The kernel's copy cannot be had: it fails before reading the array. */
	r = submit_syncs(fd, group, 1, 1024 * MIB, ops);
	ptu_result(r == -ENOMEM, "array_1gib_enomem", "GROUP_SUBMIT: %s",
		   r ? strerror(-r) : "accepted");

	r = heap_create(fd, vm, 9, &heap);
	ptu_result(r == -ENOMEM, "heap_initial_over_max", "TILER_HEAP_CREATE: %s",
		   r ? strerror(-r) : "created");
	if (!r) {
		d.handle = heap;
		drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d);
	}
	r = heap_create(fd, vm, 8, &heap);
	ptu_result(!r, "heap_initial_at_max", "TILER_HEAP_CREATE: %s",
		   r ? strerror(-r) : "created");
	if (!r) {
		d.handle = heap;
		drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d);
	}
	munmap(ops, 65 * MIB);
	ptu_group_destroy(fd, group);
	ptu_vm_destroy(fd, vm);
	return ptu_exit();
}
