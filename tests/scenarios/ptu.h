/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ptu - small helpers for the scenario programs that drive a panthor-uAPI
 * driver through libdrm (uAPI 1.0, Linux 6.12 header) and check results in
 * memory. Every helper reports a failing call with its errno and exits the
 * program through ptu_fail() unless it is a *_try variant.
 */
#ifndef PANREF_PTU_H
#define PANREF_PTU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xf86drm.h>
#include <panthor_drm.h>

/* KTAP result lines. */
void ptu_plan(int n);
void ptu_result(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ptu_skip(const char *name, const char *why);
int ptu_exit(void);
_Noreturn void ptu_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The render node bound to kernel driver @driver (e.g. "panthor"). */
int ptu_open(const char *driver);

/* A command stream being built in a mapped BO. */
struct ptu_cs {
	uint64_t *w;
	uint32_t n, max;
	uint64_t va;
};

struct ptu_bo {
	uint32_t handle;
	uint64_t size;
	void *map;
	uint64_t va;		/* where it is mapped in the VM, if it is */
};

uint32_t ptu_vm_create(int fd);
void ptu_vm_destroy(int fd, uint32_t vm);
uint32_t ptu_vm_state(int fd, uint32_t vm);
void ptu_bo_new(int fd, struct ptu_bo *bo, uint64_t size, uint32_t flags,
		uint32_t excl_vm);
void ptu_bo_free(int fd, struct ptu_bo *bo);
/* A CPU-mapped BO of @size, mapped at @va in @vm with MAP flags @map_flags. */
void ptu_bo_mapped(int fd, uint32_t vm, struct ptu_bo *bo, uint64_t size, uint64_t va,
		   uint32_t map_flags);
/* VM_BIND MAP/UNMAP, synchronous; returns 0 or -errno. */
int ptu_map_try(int fd, uint32_t vm, struct ptu_bo *bo, uint64_t va, uint32_t flags);
void ptu_map(int fd, uint32_t vm, struct ptu_bo *bo, uint64_t va, uint32_t flags);
int ptu_unmap_try(int fd, uint32_t vm, uint64_t va, uint64_t size);

uint32_t ptu_group_create(int fd, uint32_t vm, uint32_t nqueues, uint32_t prio);
void ptu_group_destroy(int fd, uint32_t group);
void ptu_group_state(int fd, uint32_t group, uint32_t *state, uint32_t *fatal_queues);
/* Submit @size bytes at @va on @queue; signal @syncobj (0: none). */
int ptu_submit_try(int fd, uint32_t group, uint32_t queue, uint64_t va,
		   uint32_t size, uint32_t syncobj);
void ptu_submit(int fd, uint32_t group, uint32_t queue, uint64_t va,
		uint32_t size, uint32_t syncobj);

/*
 * Run @cs as the only job of a new 1-queue group: wait up to @timeout_ms
 * for its fence (returned: 0 or -errno), then read the group state. The
 * group is destroyed unless @group_out is non-NULL.
 */
int ptu_run_job(int fd, uint32_t vm, const struct ptu_cs *cs, int timeout_ms,
		uint32_t *state, uint32_t *fatal_queues, uint32_t *group_out);

uint32_t ptu_syncobj(int fd);
/*
 * The state of @syncobj's fence, as its sync file reports it: 1 signalled,
 * 0 not yet, the fence's error (< 0) if it signalled with one.
 */
int ptu_fence_status(int fd, uint32_t syncobj);
/* A sync file of @syncobj's fence (it outlives the device's ioctls). */
int ptu_sync_file(int fd, uint32_t syncobj);
/* Wait up to @timeout_ms for sync file @sfd; then its status, as above. */
int ptu_sync_file_status(int sfd, int timeout_ms);
/* Wait for @syncobj; returns 0, or -ETIME after @timeout_ms. */
int ptu_wait(int fd, uint32_t syncobj, int timeout_ms);

void ptu_cs_init(struct ptu_cs *cs, struct ptu_bo *bo, uint32_t offset,
		 uint32_t max);
void ptu_cs_emit(struct ptu_cs *cs, uint64_t w);
uint32_t ptu_cs_bytes(const struct ptu_cs *cs);

uint64_t ptu_now_ns(void);

#endif
