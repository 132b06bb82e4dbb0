// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The uAPI description table (see uapi.h). Facts: include/uapi/drm/
 * panthor_drm.h and panthor_drv.c of Linux 6.12 (uAPI 1.0): minimum sizes
 * are PANTHOR_UOBJ_DECL's "last mandatory field", valid flag masks are what
 * the 6.12 ioctl handlers accept.
 */
#include <string.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "uapi.h"

#define FSIZE(st, f)	sizeof(((struct st *)0)->f)
#define ENDOF(st, f)	(offsetof(struct st, f) + FSIZE(st, f))
#define FIELD(st, f, k, d, ...) \
	{ .name = #f, .offset = offsetof(struct st, f), .size = FSIZE(st, f), \
	  .kind = (k), .dir = (d), __VA_ARGS__ }
#define INT(st, f, d)		FIELD(st, f, PU_INT, d)
#define PAD(st, f)		FIELD(st, f, PU_PAD, PU_IN)
#define OPAD(st, f)		FIELD(st, f, PU_PAD, PU_OUT)
#define HANDLE(st, f, d, h)	FIELD(st, f, PU_HANDLE, d, .handle = (h))
#define FLAGS(st, f, d, m, v)	FIELD(st, f, PU_FLAGS, d, .valid_mask = (m), .values = (v))
#define ENUM(st, f, d, v)	FIELD(st, f, PU_ENUM, d, .values = (v))
/* A user pointer to @sz bytes (esz 0) or @sz elements of esz bytes (kind h) */
#define UPTR(st, f, md, sz, esz, h) \
	FIELD(st, f, PU_UPTR, PU_IN, .size_field = (sz), .mem_dir = (md), \
	      .elem_size = (esz), .handle = (h))
#define ARRAY(st, f, d, e)	FIELD(st, f, PU_OBJ_ARRAY, d, .elem = &(e))
#define STRUCT(var, st, min, ...) \
	static const struct pu_field var##_fields[] = { __VA_ARGS__ }; \
	static const struct pu_struct var = { \
		.name = #st, .size = sizeof(struct st), .min_size = (min), \
		.fields = var##_fields, \
		.nfields = sizeof(var##_fields) / sizeof(var##_fields[0]) }

/* ---- values ------------------------------------------------------------ */

static const struct pu_value sync_op_flags[] = {
	{ "TIMELINE_SYNCOBJ", DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ },
	{ "SIGNAL", (uint32_t)DRM_PANTHOR_SYNC_OP_SIGNAL },
	{ NULL, 0 },
};
static const struct pu_value query_types[] = {
	{ "GPU_INFO", DRM_PANTHOR_DEV_QUERY_GPU_INFO },
	{ "CSIF_INFO", DRM_PANTHOR_DEV_QUERY_CSIF_INFO },
	{ NULL, 0 },
};
static const struct pu_value bind_op_flags[] = {
	{ "MAP_READONLY", DRM_PANTHOR_VM_BIND_OP_MAP_READONLY },
	{ "MAP_NOEXEC", DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC },
	{ "MAP_UNCACHED", DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED },
	{ "TYPE_UNMAP", DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP },
	{ "TYPE_SYNC_ONLY", DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY },
	{ NULL, 0 },
};
static const struct pu_value bind_flags[] = {
	{ "ASYNC", DRM_PANTHOR_VM_BIND_ASYNC },
	{ NULL, 0 },
};
static const struct pu_value vm_states[] = {
	{ "USABLE", DRM_PANTHOR_VM_STATE_USABLE },
	{ "UNUSABLE", DRM_PANTHOR_VM_STATE_UNUSABLE },
	{ NULL, 0 },
};
static const struct pu_value bo_flags[] = {
	{ "NO_MMAP", DRM_PANTHOR_BO_NO_MMAP },
	{ NULL, 0 },
};
static const struct pu_value priorities[] = {
	{ "LOW", PANTHOR_GROUP_PRIORITY_LOW },
	{ "MEDIUM", PANTHOR_GROUP_PRIORITY_MEDIUM },
	{ "HIGH", PANTHOR_GROUP_PRIORITY_HIGH },
	{ NULL, 0 },
};
static const struct pu_value group_states[] = {
	{ "TIMEDOUT", DRM_PANTHOR_GROUP_STATE_TIMEDOUT },
	{ "FATAL_FAULT", DRM_PANTHOR_GROUP_STATE_FATAL_FAULT },
	{ NULL, 0 },
};
static const struct pu_value no_flags[] = { { NULL, 0 } };

#define SYNC_OP_VALID	(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK | (uint32_t)DRM_PANTHOR_SYNC_OP_SIGNAL)
#define BIND_OP_VALID	(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
			 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | \
			 (uint32_t)DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)

/* ---- Panthor structs ---------------------------------------------------- */

STRUCT(s_sync_op, drm_panthor_sync_op, ENDOF(drm_panthor_sync_op, timeline_value),
	FLAGS(drm_panthor_sync_op, flags, PU_IN, SYNC_OP_VALID, sync_op_flags),
	HANDLE(drm_panthor_sync_op, handle, PU_IN, PU_H_SYNCOBJ),
	INT(drm_panthor_sync_op, timeline_value, PU_IN));

STRUCT(s_gpu_info, drm_panthor_gpu_info, ENDOF(drm_panthor_gpu_info, tiler_present),
	INT(drm_panthor_gpu_info, gpu_id, PU_OUT),
	INT(drm_panthor_gpu_info, gpu_rev, PU_OUT),
	INT(drm_panthor_gpu_info, csf_id, PU_OUT),
	INT(drm_panthor_gpu_info, l2_features, PU_OUT),
	INT(drm_panthor_gpu_info, tiler_features, PU_OUT),
	INT(drm_panthor_gpu_info, mem_features, PU_OUT),
	INT(drm_panthor_gpu_info, mmu_features, PU_OUT),
	INT(drm_panthor_gpu_info, thread_features, PU_OUT),
	INT(drm_panthor_gpu_info, max_threads, PU_OUT),
	INT(drm_panthor_gpu_info, thread_max_workgroup_size, PU_OUT),
	INT(drm_panthor_gpu_info, thread_max_barrier_size, PU_OUT),
	INT(drm_panthor_gpu_info, coherency_features, PU_OUT),
	INT(drm_panthor_gpu_info, texture_features, PU_OUT),
	INT(drm_panthor_gpu_info, as_present, PU_OUT),
	OPAD(drm_panthor_gpu_info, pad0),
	INT(drm_panthor_gpu_info, shader_present, PU_OUT),
	INT(drm_panthor_gpu_info, l2_present, PU_OUT),
	INT(drm_panthor_gpu_info, tiler_present, PU_OUT),
	INT(drm_panthor_gpu_info, core_features, PU_OUT),
	OPAD(drm_panthor_gpu_info, pad));

STRUCT(s_csif_info, drm_panthor_csif_info, ENDOF(drm_panthor_csif_info, pad),
	INT(drm_panthor_csif_info, csg_slot_count, PU_OUT),
	INT(drm_panthor_csif_info, cs_slot_count, PU_OUT),
	INT(drm_panthor_csif_info, cs_reg_count, PU_OUT),
	INT(drm_panthor_csif_info, scoreboard_slot_count, PU_OUT),
	INT(drm_panthor_csif_info, unpreserved_cs_reg_count, PU_OUT),
	OPAD(drm_panthor_csif_info, pad));

STRUCT(s_dev_query, drm_panthor_dev_query, sizeof(struct drm_panthor_dev_query),
	ENUM(drm_panthor_dev_query, type, PU_IN, query_types),
	INT(drm_panthor_dev_query, size, PU_INOUT),
	UPTR(drm_panthor_dev_query, pointer, PU_OUT, "size", 0, PU_H_NONE));

STRUCT(s_vm_create, drm_panthor_vm_create, sizeof(struct drm_panthor_vm_create),
	FLAGS(drm_panthor_vm_create, flags, PU_IN, 0, no_flags),
	HANDLE(drm_panthor_vm_create, id, PU_OUT, PU_H_VM),
	INT(drm_panthor_vm_create, user_va_range, PU_INOUT));

STRUCT(s_vm_destroy, drm_panthor_vm_destroy, sizeof(struct drm_panthor_vm_destroy),
	HANDLE(drm_panthor_vm_destroy, id, PU_IN, PU_H_VM),
	PAD(drm_panthor_vm_destroy, pad));

STRUCT(s_vm_bind_op, drm_panthor_vm_bind_op, ENDOF(drm_panthor_vm_bind_op, syncs),
	FLAGS(drm_panthor_vm_bind_op, flags, PU_IN, BIND_OP_VALID, bind_op_flags),
	HANDLE(drm_panthor_vm_bind_op, bo_handle, PU_IN, PU_H_BO),
	INT(drm_panthor_vm_bind_op, bo_offset, PU_IN),
	INT(drm_panthor_vm_bind_op, va, PU_IN),
	INT(drm_panthor_vm_bind_op, size, PU_IN),
	ARRAY(drm_panthor_vm_bind_op, syncs, PU_IN, s_sync_op));

/* ops.count is written back with the failing op's index (sync mode). */
STRUCT(s_vm_bind, drm_panthor_vm_bind, sizeof(struct drm_panthor_vm_bind),
	HANDLE(drm_panthor_vm_bind, vm_id, PU_IN, PU_H_VM),
	/* 6.12 only tests ASYNC and ignores other bits: the kernel accepts all. */
	FLAGS(drm_panthor_vm_bind, flags, PU_IN, 0xffffffff, bind_flags),
	ARRAY(drm_panthor_vm_bind, ops, PU_INOUT, s_vm_bind_op));

STRUCT(s_vm_get_state, drm_panthor_vm_get_state, sizeof(struct drm_panthor_vm_get_state),
	HANDLE(drm_panthor_vm_get_state, vm_id, PU_IN, PU_H_VM),
	ENUM(drm_panthor_vm_get_state, state, PU_OUT, vm_states));

STRUCT(s_bo_create, drm_panthor_bo_create, sizeof(struct drm_panthor_bo_create),
	INT(drm_panthor_bo_create, size, PU_INOUT),
	FLAGS(drm_panthor_bo_create, flags, PU_IN, DRM_PANTHOR_BO_NO_MMAP, bo_flags),
	HANDLE(drm_panthor_bo_create, exclusive_vm_id, PU_IN, PU_H_VM),
	HANDLE(drm_panthor_bo_create, handle, PU_OUT, PU_H_BO),
	PAD(drm_panthor_bo_create, pad));

STRUCT(s_bo_mmap_offset, drm_panthor_bo_mmap_offset, sizeof(struct drm_panthor_bo_mmap_offset),
	HANDLE(drm_panthor_bo_mmap_offset, handle, PU_IN, PU_H_BO),
	PAD(drm_panthor_bo_mmap_offset, pad),
	INT(drm_panthor_bo_mmap_offset, offset, PU_OUT));

STRUCT(s_queue_create, drm_panthor_queue_create, ENDOF(drm_panthor_queue_create, ringbuf_size),
	INT(drm_panthor_queue_create, priority, PU_IN),
	PAD(drm_panthor_queue_create, pad),
	INT(drm_panthor_queue_create, ringbuf_size, PU_IN));

STRUCT(s_group_create, drm_panthor_group_create, sizeof(struct drm_panthor_group_create),
	ARRAY(drm_panthor_group_create, queues, PU_IN, s_queue_create),
	INT(drm_panthor_group_create, max_compute_cores, PU_IN),
	INT(drm_panthor_group_create, max_fragment_cores, PU_IN),
	INT(drm_panthor_group_create, max_tiler_cores, PU_IN),
	ENUM(drm_panthor_group_create, priority, PU_IN, priorities),
	PAD(drm_panthor_group_create, pad),
	INT(drm_panthor_group_create, compute_core_mask, PU_IN),
	INT(drm_panthor_group_create, fragment_core_mask, PU_IN),
	INT(drm_panthor_group_create, tiler_core_mask, PU_IN),
	HANDLE(drm_panthor_group_create, vm_id, PU_IN, PU_H_VM),
	HANDLE(drm_panthor_group_create, group_handle, PU_OUT, PU_H_GROUP));

STRUCT(s_group_destroy, drm_panthor_group_destroy, sizeof(struct drm_panthor_group_destroy),
	HANDLE(drm_panthor_group_destroy, group_handle, PU_IN, PU_H_GROUP),
	PAD(drm_panthor_group_destroy, pad));

STRUCT(s_queue_submit, drm_panthor_queue_submit, ENDOF(drm_panthor_queue_submit, syncs),
	INT(drm_panthor_queue_submit, queue_index, PU_IN),
	INT(drm_panthor_queue_submit, stream_size, PU_IN),
	INT(drm_panthor_queue_submit, stream_addr, PU_IN),
	INT(drm_panthor_queue_submit, latest_flush, PU_IN),
	PAD(drm_panthor_queue_submit, pad),
	ARRAY(drm_panthor_queue_submit, syncs, PU_IN, s_sync_op));

STRUCT(s_group_submit, drm_panthor_group_submit, sizeof(struct drm_panthor_group_submit),
	HANDLE(drm_panthor_group_submit, group_handle, PU_IN, PU_H_GROUP),
	PAD(drm_panthor_group_submit, pad),
	ARRAY(drm_panthor_group_submit, queue_submits, PU_IN, s_queue_submit));

STRUCT(s_group_get_state, drm_panthor_group_get_state, sizeof(struct drm_panthor_group_get_state),
	HANDLE(drm_panthor_group_get_state, group_handle, PU_IN, PU_H_GROUP),
	FLAGS(drm_panthor_group_get_state, state, PU_OUT,
	      DRM_PANTHOR_GROUP_STATE_TIMEDOUT | DRM_PANTHOR_GROUP_STATE_FATAL_FAULT,
	      group_states),
	INT(drm_panthor_group_get_state, fatal_queues, PU_OUT),
	PAD(drm_panthor_group_get_state, pad));

STRUCT(s_heap_create, drm_panthor_tiler_heap_create, sizeof(struct drm_panthor_tiler_heap_create),
	HANDLE(drm_panthor_tiler_heap_create, vm_id, PU_IN, PU_H_VM),
	INT(drm_panthor_tiler_heap_create, initial_chunk_count, PU_IN),
	INT(drm_panthor_tiler_heap_create, chunk_size, PU_IN),
	INT(drm_panthor_tiler_heap_create, max_chunks, PU_IN),
	INT(drm_panthor_tiler_heap_create, target_in_flight, PU_IN),
	HANDLE(drm_panthor_tiler_heap_create, handle, PU_OUT, PU_H_HEAP),
	INT(drm_panthor_tiler_heap_create, tiler_heap_ctx_gpu_va, PU_OUT),
	INT(drm_panthor_tiler_heap_create, first_heap_chunk_gpu_va, PU_OUT));

STRUCT(s_heap_destroy, drm_panthor_tiler_heap_destroy, sizeof(struct drm_panthor_tiler_heap_destroy),
	HANDLE(drm_panthor_tiler_heap_destroy, handle, PU_IN, PU_H_HEAP),
	PAD(drm_panthor_tiler_heap_destroy, pad));

/* ---- core DRM structs used with Panthor ---------------------------------- */

STRUCT(s_version, drm_version, sizeof(struct drm_version),
	INT(drm_version, version_major, PU_OUT),
	INT(drm_version, version_minor, PU_OUT),
	INT(drm_version, version_patchlevel, PU_OUT),
	/* compiler padding before the size_t on LP64 (arm64, x86_64) */
	{ .name = "(padding)", .offset = ENDOF(drm_version, version_patchlevel),
	  .size = offsetof(struct drm_version, name_len) - ENDOF(drm_version, version_patchlevel),
	  .kind = PU_PAD, .dir = PU_IN },
	INT(drm_version, name_len, PU_INOUT),
	UPTR(drm_version, name, PU_OUT, "name_len", 0, PU_H_NONE),
	INT(drm_version, date_len, PU_INOUT),
	UPTR(drm_version, date, PU_OUT, "date_len", 0, PU_H_NONE),
	INT(drm_version, desc_len, PU_INOUT),
	UPTR(drm_version, desc, PU_OUT, "desc_len", 0, PU_H_NONE));

STRUCT(s_get_cap, drm_get_cap, sizeof(struct drm_get_cap),
	INT(drm_get_cap, capability, PU_IN),
	INT(drm_get_cap, value, PU_OUT));

STRUCT(s_gem_close, drm_gem_close, sizeof(struct drm_gem_close),
	HANDLE(drm_gem_close, handle, PU_IN, PU_H_BO),
	PAD(drm_gem_close, pad));

STRUCT(s_prime_handle, drm_prime_handle, sizeof(struct drm_prime_handle),
	HANDLE(drm_prime_handle, handle, PU_INOUT, PU_H_BO),
	INT(drm_prime_handle, flags, PU_IN),
	HANDLE(drm_prime_handle, fd, PU_INOUT, PU_H_FD));

STRUCT(s_syncobj_create, drm_syncobj_create, sizeof(struct drm_syncobj_create),
	HANDLE(drm_syncobj_create, handle, PU_OUT, PU_H_SYNCOBJ),
	INT(drm_syncobj_create, flags, PU_IN));

STRUCT(s_syncobj_destroy, drm_syncobj_destroy, sizeof(struct drm_syncobj_destroy),
	HANDLE(drm_syncobj_destroy, handle, PU_IN, PU_H_SYNCOBJ),
	PAD(drm_syncobj_destroy, pad));

STRUCT(s_syncobj_handle, drm_syncobj_handle, sizeof(struct drm_syncobj_handle),
	HANDLE(drm_syncobj_handle, handle, PU_INOUT, PU_H_SYNCOBJ),
	INT(drm_syncobj_handle, flags, PU_IN),
	HANDLE(drm_syncobj_handle, fd, PU_INOUT, PU_H_FD),
	PAD(drm_syncobj_handle, pad));

STRUCT(s_syncobj_wait, drm_syncobj_wait, sizeof(struct drm_syncobj_wait),
	UPTR(drm_syncobj_wait, handles, PU_IN, "count_handles", 4, PU_H_SYNCOBJ),
	INT(drm_syncobj_wait, timeout_nsec, PU_IN),
	INT(drm_syncobj_wait, count_handles, PU_IN),
	INT(drm_syncobj_wait, flags, PU_IN),
	INT(drm_syncobj_wait, first_signaled, PU_OUT),
	PAD(drm_syncobj_wait, pad));

STRUCT(s_syncobj_timeline_wait, drm_syncobj_timeline_wait, sizeof(struct drm_syncobj_timeline_wait),
	UPTR(drm_syncobj_timeline_wait, handles, PU_IN, "count_handles", 4,
	     PU_H_SYNCOBJ),
	UPTR(drm_syncobj_timeline_wait, points, PU_IN, "count_handles", 8, PU_H_NONE),
	INT(drm_syncobj_timeline_wait, timeout_nsec, PU_IN),
	INT(drm_syncobj_timeline_wait, count_handles, PU_IN),
	INT(drm_syncobj_timeline_wait, flags, PU_IN),
	INT(drm_syncobj_timeline_wait, first_signaled, PU_OUT),
	PAD(drm_syncobj_timeline_wait, pad));

STRUCT(s_syncobj_array, drm_syncobj_array, sizeof(struct drm_syncobj_array),
	UPTR(drm_syncobj_array, handles, PU_IN, "count_handles", 4, PU_H_SYNCOBJ),
	INT(drm_syncobj_array, count_handles, PU_IN),
	PAD(drm_syncobj_array, pad));

STRUCT(s_syncobj_timeline_array, drm_syncobj_timeline_array, sizeof(struct drm_syncobj_timeline_array),
	UPTR(drm_syncobj_timeline_array, handles, PU_IN, "count_handles", 4,
	     PU_H_SYNCOBJ),
	/* SIGNAL reads the points, QUERY writes them */
	UPTR(drm_syncobj_timeline_array, points, PU_INOUT, "count_handles", 8, PU_H_NONE),
	INT(drm_syncobj_timeline_array, count_handles, PU_IN),
	INT(drm_syncobj_timeline_array, flags, PU_IN));

STRUCT(s_syncobj_transfer, drm_syncobj_transfer, sizeof(struct drm_syncobj_transfer),
	HANDLE(drm_syncobj_transfer, src_handle, PU_IN, PU_H_SYNCOBJ),
	HANDLE(drm_syncobj_transfer, dst_handle, PU_IN, PU_H_SYNCOBJ),
	INT(drm_syncobj_transfer, src_point, PU_IN),
	INT(drm_syncobj_transfer, dst_point, PU_IN),
	INT(drm_syncobj_transfer, flags, PU_IN),
	PAD(drm_syncobj_transfer, pad));

/* ---- the ioctls ----------------------------------------------------------- */

#define PANTHOR(n, s)	{ "PANTHOR_" #n, DRM_IOCTL_PANTHOR_##n, &(s), true }
#define CORE(n, s)	{ #n, DRM_IOCTL_##n, &(s), false }

const struct pu_ioctl pu_ioctls[] = {
	PANTHOR(DEV_QUERY, s_dev_query),
	PANTHOR(VM_CREATE, s_vm_create),
	PANTHOR(VM_DESTROY, s_vm_destroy),
	PANTHOR(VM_BIND, s_vm_bind),
	PANTHOR(VM_GET_STATE, s_vm_get_state),
	PANTHOR(BO_CREATE, s_bo_create),
	PANTHOR(BO_MMAP_OFFSET, s_bo_mmap_offset),
	PANTHOR(GROUP_CREATE, s_group_create),
	PANTHOR(GROUP_DESTROY, s_group_destroy),
	PANTHOR(GROUP_SUBMIT, s_group_submit),
	PANTHOR(GROUP_GET_STATE, s_group_get_state),
	PANTHOR(TILER_HEAP_CREATE, s_heap_create),
	PANTHOR(TILER_HEAP_DESTROY, s_heap_destroy),
	CORE(VERSION, s_version),
	CORE(GET_CAP, s_get_cap),
	CORE(GEM_CLOSE, s_gem_close),
	CORE(PRIME_HANDLE_TO_FD, s_prime_handle),
	CORE(PRIME_FD_TO_HANDLE, s_prime_handle),
	CORE(SYNCOBJ_CREATE, s_syncobj_create),
	CORE(SYNCOBJ_DESTROY, s_syncobj_destroy),
	CORE(SYNCOBJ_HANDLE_TO_FD, s_syncobj_handle),
	CORE(SYNCOBJ_FD_TO_HANDLE, s_syncobj_handle),
	CORE(SYNCOBJ_WAIT, s_syncobj_wait),
	CORE(SYNCOBJ_TIMELINE_WAIT, s_syncobj_timeline_wait),
	CORE(SYNCOBJ_RESET, s_syncobj_array),
	CORE(SYNCOBJ_SIGNAL, s_syncobj_array),
	CORE(SYNCOBJ_TIMELINE_SIGNAL, s_syncobj_timeline_array),
	CORE(SYNCOBJ_QUERY, s_syncobj_timeline_array),
	CORE(SYNCOBJ_TRANSFER, s_syncobj_transfer),
};
const size_t pu_nioctls = sizeof(pu_ioctls) / sizeof(pu_ioctls[0]);

const struct pu_struct *pu_query_payload(uint32_t type)
{
	switch (type) {
	case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
		return &s_gpu_info;
	case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
		return &s_csif_info;
	}
	return NULL;
}

const struct pu_ioctl *pu_ioctl_by_request(unsigned long request)
{
	size_t i;

	for (i = 0; i < pu_nioctls; i++)
		if (pu_ioctls[i].request == request)
			return &pu_ioctls[i];
	return NULL;
}

const struct pu_ioctl *pu_ioctl_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < pu_nioctls; i++)
		if (!strcmp(pu_ioctls[i].name, name))
			return &pu_ioctls[i];
	return NULL;
}

const struct pu_field *pu_field_by_name(const struct pu_struct *s, const char *name)
{
	uint32_t i;

	for (i = 0; i < s->nfields; i++)
		if (!strcmp(s->fields[i].name, name))
			return &s->fields[i];
	return NULL;
}

uint64_t pu_get(const struct pu_field *f, const void *arg)
{
	uint64_t v = 0;

	memcpy(&v, (const uint8_t *)arg + f->offset, f->size < 8 ? f->size : 8);
	return v;
}

uint64_t pu_uptr_len(const struct pu_struct *s, const struct pu_field *f, const void *arg)
{
	const struct pu_field *sz = f->size_field ? pu_field_by_name(s, f->size_field) : NULL;
	uint64_t n = sz ? pu_get(sz, arg) : 0;

	if (f->elem_size)
		n *= f->elem_size;	/* at most 2^32 * 8: no overflow */
	return n > UINT32_MAX ? 0 : n;
}

const char *pu_value_name(const struct pu_field *f, uint64_t v)
{
	const struct pu_value *p;

	for (p = f->values; p && p->name; p++)
		if (p->value == v)
			return p->name;
	return NULL;
}

const char *pu_kind_name(enum pu_kind k)
{
	static const char *const names[] = {
		"int", "pad", "handle", "flags", "enum", "uptr", "obj_array",
	};

	return (unsigned int)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

const char *pu_handle_name(enum pu_handle_kind h)
{
	static const char *const names[] = {
		"-", "bo", "vm", "group", "heap", "syncobj", "fd",
	};

	return (unsigned int)h < sizeof(names) / sizeof(names[0]) ? names[h] : "?";
}
