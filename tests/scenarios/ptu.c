// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "drmnode.h"
#include "ptu.h"

static int n_result, n_failed;

void ptu_plan(int n)
{
	printf("KTAP version 1\n1..%d\n", n);
	fflush(stdout);
}

void ptu_result(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	n_result++;
	if (!ok) {
		n_failed++;
		printf("# ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\nnot ok %d %s\n", n_result, name);
	} else {
		printf("ok %d %s\n", n_result, name);
	}
	fflush(stdout);
}

void ptu_skip(const char *name, const char *why)
{
	printf("ok %d %s # SKIP %s\n", ++n_result, name, why);
	fflush(stdout);
}

int ptu_exit(void)
{
	return n_failed ? 1 : 0;
}

void ptu_fail(const char *fmt, ...)
{
	va_list ap;

	printf("# fatal: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\nnot ok %d setup\n", n_result + 1);
	exit(1);
}

int ptu_open(const char *driver)
{
	char path[64];
	int fd = drmnode_open_by_driver(driver, path, sizeof(path));

	if (fd < 0)
		ptu_fail("no usable render node bound to driver %s: %s", driver, strerror(errno));
	return fd;
}

uint32_t ptu_vm_create(int fd)
{
	struct drm_panthor_vm_create c = { 0 };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c))
		ptu_fail("VM_CREATE: %s", strerror(errno));
	return c.id;
}

void ptu_vm_destroy(int fd, uint32_t vm)
{
	struct drm_panthor_vm_destroy d = { .id = vm };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &d))
		ptu_fail("VM_DESTROY %u: %s", vm, strerror(errno));
}

uint32_t ptu_vm_state(int fd, uint32_t vm)
{
	struct drm_panthor_vm_get_state s = { .vm_id = vm };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &s))
		ptu_fail("VM_GET_STATE %u: %s", vm, strerror(errno));
	return s.state;
}

void ptu_bo_new(int fd, struct ptu_bo *bo, uint64_t size, uint32_t flags,
		uint32_t excl_vm)
{
	struct drm_panthor_bo_create c = {
		.size = size, .flags = flags, .exclusive_vm_id = excl_vm,
	};
	struct drm_panthor_bo_mmap_offset o = { 0 };

	memset(bo, 0, sizeof(*bo));
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c))
		ptu_fail("BO_CREATE %#llx: %s", (unsigned long long)size, strerror(errno));
	bo->handle = c.handle;
	bo->size = c.size;
	if (flags & DRM_PANTHOR_BO_NO_MMAP)
		return;
	o.handle = c.handle;
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &o))
		ptu_fail("BO_MMAP_OFFSET: %s", strerror(errno));
	bo->map = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, o.offset);
	if (bo->map == MAP_FAILED)
		ptu_fail("mmap BO: %s", strerror(errno));
	memset(bo->map, 0, bo->size);
}

void ptu_bo_free(int fd, struct ptu_bo *bo)
{
	if (bo->map)
		munmap(bo->map, bo->size);
	drmCloseBufferHandle(fd, bo->handle);
	memset(bo, 0, sizeof(*bo));
}

static int bind(int fd, uint32_t vm, struct drm_panthor_vm_bind_op *op)
{
	struct drm_panthor_vm_bind b = {
		.vm_id = vm,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, op),
	};

	return drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b) ? -errno : 0;
}

int ptu_map_try(int fd, uint32_t vm, struct ptu_bo *bo, uint64_t va, uint32_t flags)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | flags,
		.bo_handle = bo->handle, .va = va, .size = bo->size,
	};
	int r = bind(fd, vm, &op);

	if (!r)
		bo->va = va;
	return r;
}

void ptu_map(int fd, uint32_t vm, struct ptu_bo *bo, uint64_t va, uint32_t flags)
{
	int r = ptu_map_try(fd, vm, bo, va, flags);

	if (r)
		ptu_fail("VM_BIND map %#llx: %s", (unsigned long long)va, strerror(-r));
}

int ptu_unmap_try(int fd, uint32_t vm, uint64_t va, uint64_t size)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, .va = va, .size = size,
	};

	return bind(fd, vm, &op);
}

void ptu_bo_mapped(int fd, uint32_t vm, struct ptu_bo *bo, uint64_t size, uint64_t va,
		   uint32_t map_flags)
{
	ptu_bo_new(fd, bo, size, 0, 0);
	ptu_map(fd, vm, bo, va, map_flags);
}

uint32_t ptu_group_create(int fd, uint32_t vm, uint32_t nqueues, uint32_t prio)
{
	struct drm_panthor_queue_create q[32];
	struct drm_panthor_group_create c = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(nqueues, q),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = prio,
		.compute_core_mask = 1, .fragment_core_mask = 1, .tiler_core_mask = 1,
		.vm_id = vm,
	};
	uint32_t i;

	for (i = 0; i < nqueues; i++)
		q[i] = (struct drm_panthor_queue_create){ .priority = 1, .ringbuf_size = 4096 };
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &c))
		ptu_fail("GROUP_CREATE: %s", strerror(errno));
	return c.group_handle;
}

void ptu_group_destroy(int fd, uint32_t group)
{
	struct drm_panthor_group_destroy d = { .group_handle = group };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d))
		ptu_fail("GROUP_DESTROY: %s", strerror(errno));
}

void ptu_group_state(int fd, uint32_t group, uint32_t *state, uint32_t *fatal)
{
	struct drm_panthor_group_get_state s = { .group_handle = group };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s))
		ptu_fail("GROUP_GET_STATE: %s", strerror(errno));
	*state = s.state;
	if (fatal)
		*fatal = s.fatal_queues;
}

int ptu_submit_try(int fd, uint32_t group, uint32_t queue, uint64_t va,
		   uint32_t size, uint32_t syncobj)
{
	struct drm_panthor_sync_op sig = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
		.handle = syncobj,
	};
	struct drm_panthor_queue_submit qs = {
		.queue_index = queue, .stream_size = size, .stream_addr = va,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(syncobj ? 1 : 0, &sig),
	};
	struct drm_panthor_group_submit s = {
		.group_handle = group,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	return drmIoctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &s) ? -errno : 0;
}

void ptu_submit(int fd, uint32_t group, uint32_t queue, uint64_t va,
		uint32_t size, uint32_t syncobj)
{
	int r = ptu_submit_try(fd, group, queue, va, size, syncobj);

	if (r)
		ptu_fail("GROUP_SUBMIT: %s", strerror(-r));
}

int ptu_run_job(int fd, uint32_t vm, const struct ptu_cs *cs, int timeout_ms,
		uint32_t *state, uint32_t *fatal_queues, uint32_t *group_out)
{
	uint32_t g = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	uint32_t sync = ptu_syncobj(fd);
	int r;

	ptu_submit(fd, g, 0, cs->va, ptu_cs_bytes(cs), sync);
	r = ptu_wait(fd, sync, timeout_ms);
	ptu_group_state(fd, g, state, fatal_queues);
	drmSyncobjDestroy(fd, sync);
	if (group_out)
		*group_out = g;
	else
		ptu_group_destroy(fd, g);
	return r;
}

uint32_t ptu_syncobj(int fd)
{
	uint32_t h;

	if (drmSyncobjCreate(fd, 0, &h))
		ptu_fail("SYNCOBJ_CREATE: %s", strerror(errno));
	return h;
}

int ptu_sync_file(int fd, uint32_t syncobj)
{
	int sfd;

	if (drmSyncobjExportSyncFile(fd, syncobj, &sfd))
		ptu_fail("SYNCOBJ_HANDLE_TO_FD (sync file): %s", strerror(errno));
	return sfd;
}

int ptu_sync_file_status(int sfd, int timeout_ms)
{
	struct sync_file_info info = { 0 };
	struct pollfd p = { .fd = sfd, .events = POLLIN };

	if (timeout_ms && poll(&p, 1, timeout_ms) < 0)
		ptu_fail("poll (sync file): %s", strerror(errno));
	if (ioctl(sfd, SYNC_IOC_FILE_INFO, &info))
		ptu_fail("SYNC_IOC_FILE_INFO: %s", strerror(errno));
	return info.status;
}

int ptu_fence_status(int fd, uint32_t syncobj)
{
	int sfd = ptu_sync_file(fd, syncobj);
	int status = ptu_sync_file_status(sfd, 0);

	close(sfd);
	return status;
}

uint64_t ptu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int ptu_wait(int fd, uint32_t syncobj, int timeout_ms)
{
	int64_t deadline = ptu_now_ns() + (int64_t)timeout_ms * 1000000;

	if (drmSyncobjWait(fd, &syncobj, 1, deadline, 0, NULL))
		return -errno;
	return 0;
}

void ptu_cs_init(struct ptu_cs *cs, struct ptu_bo *bo, uint32_t offset, uint32_t max)
{
	cs->w = (uint64_t *)((char *)bo->map + offset);
	cs->n = 0;
	cs->max = max;
	cs->va = bo->va + offset;
}

void ptu_cs_emit(struct ptu_cs *cs, uint64_t w)
{
	if (cs->n == cs->max)
		ptu_fail("command stream buffer full (%u instructions)", cs->max);
	cs->w[cs->n++] = w;
}

uint32_t ptu_cs_bytes(const struct ptu_cs *cs)
{
	return cs->n * 8;
}
