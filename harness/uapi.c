// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The uAPI description table (see uapi.h). Facts: include/uapi/drm/
 * panthor_drm.h, drm.h and panthor_drv.c of Linux 6.12 (uAPI 1.0): minimum
 * sizes are PANTHOR_UOBJ_DECL's "last mandatory field", valid flag masks
 * are what the 6.12 ioctl handlers accept. Later versions: panthor_uapi_new.h.
 *
 * The kernel's structs, not libdrm's: this file includes no libdrm header,
 * and panthor_drm.h includes "drm.h" from its own directory, so the 6.12
 * kernel's drm.h is the one compiled here whatever the include path order
 * (the assertions below fail the build otherwise).
 */
#include <string.h>
#include <sys/ioctl.h>

/* the raw uAPI headers of the kernel tree still carry the sparse annotation */
#ifndef __user
#define __user
#endif
#include <panthor_drm.h>

#include "panthor_uapi_new.h"
#include "uapi.h"

_Static_assert(sizeof(struct drm_syncobj_wait) == 40 &&
	       sizeof(struct drm_syncobj_timeline_wait) == 48,
	       "uapi.c must be built against the 6.12 kernel's drm.h, not libdrm's");
_Static_assert(sizeof(struct pn_gpu_info) == sizeof(struct drm_panthor_gpu_info) + 8,
	       "pn_gpu_info is drm_panthor_gpu_info plus gpu_features");

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
#define NFIELDS(a)	(sizeof(a) / sizeof((a)[0]))
/* A struct with one size, since uAPI 1.0 / in the 6.12 core header. */
#define STRUCT(var, st, min, ...) \
	static const struct pu_layout var##_layouts[] = { \
		{ sizeof(struct st), 0, "Linux 6.12 header" } }; \
	STRUCTV(var, #st, sizeof(struct st), min, var##_layouts, __VA_ARGS__)
/* A struct named @name with the layouts @lay (oldest first). */
#define STRUCTV(var, name_, sz, min, lay, ...) \
	static const struct pu_field var##_fields[] = { __VA_ARGS__ }; \
	static const struct pu_struct var = { \
		.name = (name_), .size = (sz), .min_size = (min), \
		.fields = var##_fields, .nfields = NFIELDS(var##_fields), \
		.layouts = (lay), .nlayouts = NFIELDS(lay) }

/* ---- values ------------------------------------------------------------ */

static const struct pu_value sync_op_flags[] = {
	{ "TIMELINE_SYNCOBJ", DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ, 0 },
	{ "SIGNAL", (uint32_t)DRM_PANTHOR_SYNC_OP_SIGNAL, 0 },
	{ NULL, 0, 0 },
};
static const struct pu_value query_types[] = {
	{ "GPU_INFO", DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0 },
	{ "CSIF_INFO", DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 0 },
	{ "TIMESTAMP_INFO", PN_QUERY_TIMESTAMP_INFO, 1 },
	{ "GROUP_PRIORITIES_INFO", PN_QUERY_GROUP_PRIORITIES_INFO, 2 },
	{ "MMU_INFO", PN_QUERY_MMU_INFO, 9 },
	{ NULL, 0, 0 },
};
static const struct pu_value bind_op_flags[] = {
	{ "MAP_READONLY", DRM_PANTHOR_VM_BIND_OP_MAP_READONLY, 0 },
	{ "MAP_NOEXEC", DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, 0 },
	{ "MAP_UNCACHED", DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED, 0 },
	{ "TYPE_UNMAP", DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0 },
	{ "TYPE_SYNC_ONLY", DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0 },
	{ "MAP_SPARSE", PN_VM_BIND_OP_MAP_SPARSE, 9 },
	{ NULL, 0, 0 },
};
static const struct pu_value bind_flags[] = {
	{ "ASYNC", DRM_PANTHOR_VM_BIND_ASYNC, 0 },
	{ NULL, 0, 0 },
};
static const struct pu_value vm_states[] = {
	{ "USABLE", DRM_PANTHOR_VM_STATE_USABLE, 0 },
	{ "UNUSABLE", DRM_PANTHOR_VM_STATE_UNUSABLE, 0 },
	{ NULL, 0, 0 },
};
static const struct pu_value bo_flags[] = {
	{ "NO_MMAP", DRM_PANTHOR_BO_NO_MMAP, 0 },
	{ "WB_MMAP", PN_BO_WB_MMAP, 7 },
	{ NULL, 0, 0 },
};
static const struct pu_value priorities[] = {
	{ "LOW", PANTHOR_GROUP_PRIORITY_LOW, 0 },
	{ "MEDIUM", PANTHOR_GROUP_PRIORITY_MEDIUM, 0 },
	{ "HIGH", PANTHOR_GROUP_PRIORITY_HIGH, 0 },
	{ "REALTIME", PN_GROUP_PRIORITY_REALTIME, 2 },
	{ NULL, 0, 0 },
};
static const struct pu_value group_states[] = {
	{ "TIMEDOUT", DRM_PANTHOR_GROUP_STATE_TIMEDOUT, 0 },
	{ "FATAL_FAULT", DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, 0 },
	{ "INNOCENT", PN_GROUP_STATE_INNOCENT, 3 },
	{ NULL, 0, 0 },
};
static const struct pu_value coherency[] = {
	{ "ACE_LITE", PN_COHERENCY_ACE_LITE, 7 },
	{ "ACE", PN_COHERENCY_ACE, 7 },
	{ "NONE", PN_COHERENCY_NONE, 7 },
	{ NULL, 0, 0 },
};
static const struct pu_value ts_flags[] = {
	{ "GPU", PN_TS_GPU, 8 },
	{ "CPU_MONOTONIC_RAW", PN_TS_CPU_MONOTONIC_RAW, 8 },	/* before the bit it contains */
	{ "CPU_MONOTONIC", PN_TS_CPU_MONOTONIC, 8 },
	{ "GPU_OFFSET", PN_TS_GPU_OFFSET, 8 },
	{ "GPU_CYCLE_COUNT", PN_TS_GPU_CYCLE_COUNT, 8 },
	{ "FREQ", PN_TS_FREQ, 8 },
	{ "DURATION", PN_TS_DURATION, 8 },
	{ NULL, 0, 0 },
};
static const struct pu_value bo_extra_flags[] = {
	{ "IS_IMPORTED", PN_BO_IS_IMPORTED, 7 },
	{ NULL, 0, 0 },
};
static const struct pu_value bo_sync_types[] = {
	{ "FLUSH", PN_BO_SYNC_FLUSH, 7 },
	{ "FLUSH_AND_INVALIDATE", PN_BO_SYNC_FLUSH_AND_INVALIDATE, 7 },
	{ NULL, 0, 0 },
};
static const struct pu_value mmio_offsets[] = {
	{ "MMIO_OFFSET_32BIT", PN_USER_MMIO_OFFSET_32BIT, 5 },
	{ "MMIO_OFFSET_64BIT", PN_USER_MMIO_OFFSET_64BIT, 5 },
	{ NULL, 0, 0 },
};
static const struct pu_value wait_flags[] = {
	{ "WAIT_ALL", DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, 0 },
	{ "WAIT_FOR_SUBMIT", DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, 0 },
	{ "WAIT_AVAILABLE", DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, 0 },
	{ "WAIT_DEADLINE", DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE, 0 },
	{ NULL, 0, 0 },
};
static const struct pu_value no_flags[] = { { NULL, 0, 0 } };

#define SYNC_OP_VALID	(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK | (uint32_t)DRM_PANTHOR_SYNC_OP_SIGNAL)
#define BIND_OP_VALID	(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
			 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | \
			 (uint32_t)DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)

/* ---- Panthor structs ---------------------------------------------------- */

STRUCT(s_sync_op, drm_panthor_sync_op, ENDOF(drm_panthor_sync_op, timeline_value),
	FLAGS(drm_panthor_sync_op, flags, PU_IN, SYNC_OP_VALID, sync_op_flags),
	HANDLE(drm_panthor_sync_op, handle, PU_IN, PU_H_SYNCOBJ),
	INT(drm_panthor_sync_op, timeline_value, PU_IN));

/* drm_panthor_gpu_info: 1.0 (pad0), 1.7 (selected_coherency), + gpu_features */
static const struct pu_layout gpu_info_layouts[] = {
	{ sizeof(struct drm_panthor_gpu_info), 0, "uAPI 1.0 (Linux 6.12 header)" },
	{ sizeof(struct pn_gpu_info), 0, "gpu_features appended (no uAPI version change)" },
};
#define GI(f)	INT(pn_gpu_info, f, PU_OUT)
STRUCTV(s_gpu_info, "drm_panthor_gpu_info", sizeof(struct drm_panthor_gpu_info),
	ENDOF(drm_panthor_gpu_info, tiler_present), gpu_info_layouts,
	GI(gpu_id), GI(gpu_rev), GI(csf_id), GI(l2_features), GI(tiler_features),
	GI(mem_features), GI(mmu_features), GI(thread_features), GI(max_threads),
	GI(thread_max_workgroup_size), GI(thread_max_barrier_size), GI(coherency_features),
	GI(texture_features), GI(as_present),
	/* pad0 until 1.7, which reports the selected coherency protocol in it */
	FIELD(pn_gpu_info, selected_coherency, PU_ENUM, PU_OUT, .values = coherency,
	      .was = "pad0"),
	GI(shader_present), GI(l2_present), GI(tiler_present), GI(core_features),
	OPAD(pn_gpu_info, pad),
	GI(gpu_features));

STRUCT(s_csif_info, drm_panthor_csif_info, ENDOF(drm_panthor_csif_info, pad),
	INT(drm_panthor_csif_info, csg_slot_count, PU_OUT),
	INT(drm_panthor_csif_info, cs_slot_count, PU_OUT),
	INT(drm_panthor_csif_info, cs_reg_count, PU_OUT),
	INT(drm_panthor_csif_info, scoreboard_slot_count, PU_OUT),
	INT(drm_panthor_csif_info, unpreserved_cs_reg_count, PU_OUT),
	OPAD(drm_panthor_csif_info, pad));

/* TIMESTAMP_INFO: 1.1 (24 bytes, output only), 1.8 (flags in, more out) */
static const struct pu_layout ts_layouts[] = {
	{ PN_TIMESTAMP_INFO_V1_1_SIZE, 1, "uAPI 1.1 (Linux 6.13)" },
	{ sizeof(struct pn_timestamp_info), 8, "uAPI 1.8 (Linux 7.1)" },
};
STRUCTV(s_timestamp_info, "drm_panthor_timestamp_info", PN_TIMESTAMP_INFO_V1_1_SIZE,
	ENDOF(pn_timestamp_info, current_timestamp), ts_layouts,
	INT(pn_timestamp_info, timestamp_frequency, PU_OUT),
	FIELD(pn_timestamp_info, current_timestamp, PU_INT, PU_OUT),
	INT(pn_timestamp_info, timestamp_offset, PU_OUT),
	/* copy_struct_from_user(): the kernel reads the flags */
	FLAGS(pn_timestamp_info, flags, PU_IN, PN_TS_GPU | PN_TS_CPU_TYPE_MASK | PN_TS_GPU_OFFSET |
	      PN_TS_GPU_CYCLE_COUNT | PN_TS_FREQ | PN_TS_DURATION, ts_flags),
	INT(pn_timestamp_info, duration_nsec, PU_OUT),
	INT(pn_timestamp_info, cycle_count, PU_OUT),
	INT(pn_timestamp_info, cpu_timestamp_sec, PU_OUT),
	INT(pn_timestamp_info, cpu_timestamp_nsec, PU_OUT));

static const struct pu_layout prio_layouts[] = {
	{ sizeof(struct pn_group_priorities_info), 2, "uAPI 1.2 (Linux 6.13)" },
};
STRUCTV(s_group_priorities_info, "drm_panthor_group_priorities_info",
	sizeof(struct pn_group_priorities_info), sizeof(struct pn_group_priorities_info),
	prio_layouts,
	INT(pn_group_priorities_info, allowed_mask, PU_OUT),
	OPAD(pn_group_priorities_info, pad));

static const struct pu_layout mmu_layouts[] = {
	{ sizeof(struct pn_mmu_info), 9, "uAPI 1.9" },
};
STRUCTV(s_mmu_info, "drm_panthor_mmu_info", sizeof(struct pn_mmu_info),
	sizeof(struct pn_mmu_info), mmu_layouts,
	INT(pn_mmu_info, page_size_bitmap, PU_OUT));

STRUCT(s_dev_query, drm_panthor_dev_query, sizeof(struct drm_panthor_dev_query),
	ENUM(drm_panthor_dev_query, type, PU_IN, query_types),
	INT(drm_panthor_dev_query, size, PU_INOUT),
	/* written; read too for TIMESTAMP_INFO from 1.8 (its flags) */
	UPTR(drm_panthor_dev_query, pointer, PU_INOUT, "size", 0, PU_H_NONE));

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

/* ---- Panthor ioctls after 1.0 (panthor_uapi_new.h) -------------------- */

#define ONE_LAYOUT(var, st, minor_, since) \
	static const struct pu_layout var##_layouts[] = { \
		{ sizeof(struct st), (minor_), (since) } }

ONE_LAYOUT(s_bo_set_label, pn_bo_set_label, 4, "uAPI 1.4 (Linux 6.16)");
STRUCTV(s_bo_set_label, "drm_panthor_bo_set_label", sizeof(struct pn_bo_set_label),
	sizeof(struct pn_bo_set_label), s_bo_set_label_layouts,
	HANDLE(pn_bo_set_label, handle, PU_IN, PU_H_BO),
	PAD(pn_bo_set_label, pad),
	FIELD(pn_bo_set_label, label, PU_UPTR, PU_IN, .mem_dir = PU_IN, .attr = PU_A_STRING));

ONE_LAYOUT(s_set_mmio, pn_set_user_mmio_offset, 5, "uAPI 1.5 (Linux 6.17)");
STRUCTV(s_set_mmio, "drm_panthor_set_user_mmio_offset",
	sizeof(struct pn_set_user_mmio_offset), sizeof(struct pn_set_user_mmio_offset),
	s_set_mmio_layouts,
	ENUM(pn_set_user_mmio_offset, offset, PU_IN, mmio_offsets));

ONE_LAYOUT(s_bo_sync_op, pn_bo_sync_op, 7, "uAPI 1.7 (Linux 7.0)");
STRUCTV(s_bo_sync_op, "drm_panthor_bo_sync_op", sizeof(struct pn_bo_sync_op),
	sizeof(struct pn_bo_sync_op), s_bo_sync_op_layouts,
	HANDLE(pn_bo_sync_op, handle, PU_IN, PU_H_BO),
	ENUM(pn_bo_sync_op, type, PU_IN, bo_sync_types),
	INT(pn_bo_sync_op, offset, PU_IN),
	INT(pn_bo_sync_op, size, PU_IN));

ONE_LAYOUT(s_bo_sync, pn_bo_sync, 7, "uAPI 1.7 (Linux 7.0)");
STRUCTV(s_bo_sync, "drm_panthor_bo_sync", sizeof(struct pn_bo_sync), sizeof(struct pn_bo_sync),
	s_bo_sync_layouts,
	ARRAY(pn_bo_sync, ops, PU_IN, s_bo_sync_op));

ONE_LAYOUT(s_bo_query_info, pn_bo_query_info, 7, "uAPI 1.7 (Linux 7.0)");
STRUCTV(s_bo_query_info, "drm_panthor_bo_query_info", sizeof(struct pn_bo_query_info),
	sizeof(struct pn_bo_query_info), s_bo_query_info_layouts,
	HANDLE(pn_bo_query_info, handle, PU_IN, PU_H_BO),
	FLAGS(pn_bo_query_info, extra_flags, PU_OUT, PN_BO_IS_IMPORTED, bo_extra_flags),
	FLAGS(pn_bo_query_info, create_flags, PU_OUT, DRM_PANTHOR_BO_NO_MMAP | PN_BO_WB_MMAP,
	      bo_flags),
	OPAD(pn_bo_query_info, pad));

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

/*
 * The syncobj waits grew deadline_nsec in Linux 6.5; libdrm's copy of drm.h
 * (2.4.114 and older) still has the old size, so both sizes are in use.
 */
static const struct pu_layout wait_layouts[] = {
	{ offsetof(struct drm_syncobj_wait, deadline_nsec), 0, "before Linux 6.5 (libdrm <= 2.4.114)" },
	{ sizeof(struct drm_syncobj_wait), 0, "Linux 6.5 (deadline_nsec)" },
};
#define WAIT_FLAGS_VALID (DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT | \
			  DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE)
#define ABSTIME(st, f)	FIELD(st, f, PU_INT, PU_IN, .attr = PU_A_ABSTIME)
STRUCTV(s_syncobj_wait, "drm_syncobj_wait", sizeof(struct drm_syncobj_wait),
	offsetof(struct drm_syncobj_wait, deadline_nsec), wait_layouts,
	UPTR(drm_syncobj_wait, handles, PU_IN, "count_handles", 4, PU_H_SYNCOBJ),
	ABSTIME(drm_syncobj_wait, timeout_nsec),
	INT(drm_syncobj_wait, count_handles, PU_IN),
	FLAGS(drm_syncobj_wait, flags, PU_IN, WAIT_FLAGS_VALID, wait_flags),
	INT(drm_syncobj_wait, first_signaled, PU_OUT),
	PAD(drm_syncobj_wait, pad),
	ABSTIME(drm_syncobj_wait, deadline_nsec));

static const struct pu_layout twait_layouts[] = {
	{ offsetof(struct drm_syncobj_timeline_wait, deadline_nsec), 0,
	  "before Linux 6.5 (libdrm <= 2.4.114)" },
	{ sizeof(struct drm_syncobj_timeline_wait), 0, "Linux 6.5 (deadline_nsec)" },
};
STRUCTV(s_syncobj_timeline_wait, "drm_syncobj_timeline_wait",
	sizeof(struct drm_syncobj_timeline_wait),
	offsetof(struct drm_syncobj_timeline_wait, deadline_nsec), twait_layouts,
	UPTR(drm_syncobj_timeline_wait, handles, PU_IN, "count_handles", 4,
	     PU_H_SYNCOBJ),
	UPTR(drm_syncobj_timeline_wait, points, PU_IN, "count_handles", 8, PU_H_NONE),
	ABSTIME(drm_syncobj_timeline_wait, timeout_nsec),
	INT(drm_syncobj_timeline_wait, count_handles, PU_IN),
	FLAGS(drm_syncobj_timeline_wait, flags, PU_IN, WAIT_FLAGS_VALID, wait_flags),
	INT(drm_syncobj_timeline_wait, first_signaled, PU_OUT),
	PAD(drm_syncobj_timeline_wait, pad),
	ABSTIME(drm_syncobj_timeline_wait, deadline_nsec));

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

#define PANTHOR(n, s)	{ "PANTHOR_" #n, DRM_IOCTL_PANTHOR_##n, &(s), true, 0 }
#define NEWER(n, s, m)	{ "PANTHOR_" #n, PN_IOCTL_##n, &(s), true, (m) }
#define CORE(n, s)	{ #n, DRM_IOCTL_##n, &(s), false, 0 }

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
	NEWER(BO_SET_LABEL, s_bo_set_label, 4),
	NEWER(SET_USER_MMIO_OFFSET, s_set_mmio, 5),
	NEWER(BO_SYNC, s_bo_sync, 7),
	NEWER(BO_QUERY_INFO, s_bo_query_info, 7),
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

const struct pu_query pu_queries[] = {
	{ DRM_PANTHOR_DEV_QUERY_GPU_INFO, "GPU_INFO", &s_gpu_info, 0 },
	{ DRM_PANTHOR_DEV_QUERY_CSIF_INFO, "CSIF_INFO", &s_csif_info, 0 },
	{ PN_QUERY_TIMESTAMP_INFO, "TIMESTAMP_INFO", &s_timestamp_info, 1 },
	{ PN_QUERY_GROUP_PRIORITIES_INFO, "GROUP_PRIORITIES_INFO", &s_group_priorities_info, 2 },
	{ PN_QUERY_MMU_INFO, "MMU_INFO", &s_mmu_info, 9 },
};
const size_t pu_nqueries = NFIELDS(pu_queries);

const struct pu_query *pu_query_by_type(uint32_t type)
{
	size_t i;

	for (i = 0; i < pu_nqueries; i++)
		if (pu_queries[i].type == type)
			return &pu_queries[i];
	return NULL;
}

const struct pu_struct *pu_query_payload(uint32_t type)
{
	const struct pu_query *q = pu_query_by_type(type);

	return q ? q->payload : NULL;
}

uint32_t pu_full_size(const struct pu_struct *s)
{
	return s->nlayouts ? s->layouts[s->nlayouts - 1].size : s->size;
}

uint32_t pu_known_len(const struct pu_struct *s, uint32_t len)
{
	uint32_t full = pu_full_size(s);

	return len < full ? len : full;
}

const struct pu_layout *pu_layout_of(const struct pu_struct *s, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < s->nlayouts; i++)
		if (s->layouts[i].size == len)
			return &s->layouts[i];
	return NULL;
}

bool pu_same_nr(unsigned long a, unsigned long b)
{
	return _IOC_TYPE(a) == _IOC_TYPE(b) && _IOC_NR(a) == _IOC_NR(b);
}

const struct pu_ioctl *pu_ioctl_lookup(unsigned long request)
{
	size_t i;

	for (i = 0; i < pu_nioctls; i++)
		if (pu_same_nr(pu_ioctls[i].request, request))
			return &pu_ioctls[i];
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

static unsigned int max_u(unsigned int a, unsigned int b)
{
	return a > b ? a : b;
}

/* The minor a value of flags/enum field @f needs. */
static unsigned int value_minor(const struct pu_field *f, uint64_t v)
{
	const struct pu_value *p;
	unsigned int m = 0;

	for (p = f->values; p && p->name; p++) {
		if (f->kind == PU_ENUM && p->value == v)
			return p->minor;
		/* a multi-bit value (a field inside the flags) counts when it is all there */
		if (f->kind == PU_FLAGS && p->value && (v & p->value) == p->value)
			m = max_u(m, p->minor);
	}
	return m;
}

static unsigned int struct_minor(const struct pu_struct *s, const uint8_t *b, uint32_t len,
				 pu_mem_fn mem, void *ctx, int depth)
{
	unsigned int m = 0;
	uint32_t i, k;

	len = pu_known_len(s, len);
	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];

		if (!pu_field_in(f, len) || !(f->dir & PU_IN))
			continue;
		if (f->kind == PU_FLAGS || f->kind == PU_ENUM) {
			m = max_u(m, value_minor(f, pu_get(f, b)));
		} else if (f->kind == PU_OBJ_ARRAY && mem && depth < 2) {
			uint32_t stride, count;
			uint64_t addr;
			const uint8_t *e;

			memcpy(&stride, b + f->offset, 4);
			memcpy(&count, b + f->offset + 4, 4);
			memcpy(&addr, b + f->offset + 8, 8);
			if (!count || !stride || (uint64_t)count * stride > UINT32_MAX)
				continue;
			e = mem(ctx, addr, count * stride);
			for (k = 0; e && k < count; k++)
				m = max_u(m, struct_minor(f->elem, e + (size_t)k * stride, stride, mem,
							  ctx, depth + 1));
		}
	}
	return m;
}

unsigned int pu_call_minor(const struct pu_ioctl *io, const uint8_t *arg, uint32_t len,
			   pu_mem_fn mem, void *ctx)
{
	unsigned int m = io->minor;

	m = max_u(m, struct_minor(io->arg, arg, len, mem, ctx, 0));
	if (io->arg == &s_dev_query && pu_field_in(&s_dev_query_fields[2], len)) {
		struct drm_panthor_dev_query q;
		const struct pu_query *pq;
		const uint8_t *p;

		memcpy(&q, arg, sizeof(q));
		pq = pu_query_by_type(q.type);
		if (!pq)
			return m;
		m = max_u(m, pq->minor);
		/* the payload is an input too from 1.8 (TIMESTAMP_INFO flags) */
		p = q.pointer && q.size && mem ? mem(ctx, q.pointer, q.size) : NULL;
		if (p)
			m = max_u(m, struct_minor(pq->payload, p, q.size, mem, ctx, 1));
	}
	return m;
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
