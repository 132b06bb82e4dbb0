/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The Panthor uAPI after 1.0 (Linux 6.13 and later), which the Linux 6.12
 * header this project builds against does not have: the structs, ioctl
 * numbers, query types and flags of uAPI 1.1 to 1.9, described in this
 * project's own words from the published facts (ioctl ids, field order and
 * types, flag values; see README.md, "pantrace and newer uAPI versions").
 * Names carry the prefix pn_/PN_ so that they never clash with a newer
 * kernel header included next to this one.
 *
 *   1.1  DEV_QUERY type 2 TIMESTAMP_INFO (frequency, current, offset)
 *   1.2  DEV_QUERY type 3 GROUP_PRIORITIES_INFO, group priority REALTIME (3)
 *   1.3  group state INNOCENT (1 << 2)
 *   1.4  BO_SET_LABEL (ioctl id 13)
 *   1.5  SET_USER_MMIO_OFFSET (id 14)
 *   1.6  no uAPI change (the firmware's timestamp propagation)
 *   1.7  BO_SYNC (15), BO_QUERY_INFO (16), BO_CREATE flag WB_MMAP (1 << 1),
 *        gpu_info.pad0 became selected_coherency
 *   1.8  TIMESTAMP_INFO grows: flags (an input), duration, cycle count,
 *        CPU timestamp
 *   1.9  DEV_QUERY type 4 MMU_INFO, VM_BIND op flag MAP_SPARSE (1 << 3)
 *
 * drm_panthor_gpu_info also grew a trailing u64 gpu_features without a
 * version change; both sizes are in the table.
 */
#ifndef PANREF_PANTHOR_UAPI_NEW_H
#define PANREF_PANTHOR_UAPI_NEW_H

#include <stdint.h>
#include <linux/ioctl.h>

/* ioctl ids after DRM_PANTHOR_TILER_HEAP_DESTROY (12); nr = 0x40 + id */
#define PN_ID_BO_SET_LABEL		13
#define PN_ID_SET_USER_MMIO_OFFSET	14
#define PN_ID_BO_SYNC			15
#define PN_ID_BO_QUERY_INFO		16

/* DEV_QUERY types after CSIF_INFO (1) */
#define PN_QUERY_TIMESTAMP_INFO		2	/* 1.1 */
#define PN_QUERY_GROUP_PRIORITIES_INFO	3	/* 1.2 */
#define PN_QUERY_MMU_INFO		4	/* 1.9 */

/* flags and values */
#define PN_GROUP_PRIORITY_REALTIME	3		/* 1.2 */
#define PN_GROUP_STATE_INNOCENT		(1u << 2)	/* 1.3 */
#define PN_BO_WB_MMAP			(1u << 1)	/* 1.7 */
#define PN_BO_IS_IMPORTED		(1u << 0)	/* 1.7, BO_QUERY_INFO extra_flags */
#define PN_BO_SYNC_FLUSH		0		/* 1.7, bo_sync_op type */
#define PN_BO_SYNC_FLUSH_AND_INVALIDATE	1
#define PN_COHERENCY_ACE_LITE		0		/* 1.7, selected_coherency */
#define PN_COHERENCY_ACE		1
#define PN_COHERENCY_NONE		31
#define PN_VM_BIND_OP_MAP_SPARSE	(1u << 3)	/* 1.9 */
#define PN_USER_MMIO_OFFSET_32BIT	(1ull << 43)	/* 1.5 */
#define PN_USER_MMIO_OFFSET_64BIT	(1ull << 56)

/* TIMESTAMP_INFO flags (1.8); 0 means GPU | GPU_OFFSET | FREQ */
#define PN_TS_GPU			(1u << 0)
#define PN_TS_CPU_MONOTONIC		(1u << 1)	/* CPU clock: a 3-bit field */
#define PN_TS_CPU_MONOTONIC_RAW		(2u << 1)
#define PN_TS_CPU_TYPE_MASK		(7u << 1)
#define PN_TS_GPU_OFFSET		(1u << 4)
#define PN_TS_GPU_CYCLE_COUNT		(1u << 5)
#define PN_TS_FREQ			(1u << 6)
#define PN_TS_DURATION			(1u << 7)

/* DEV_QUERY TIMESTAMP_INFO payload: 24 bytes in 1.1, 56 from 1.8 */
struct pn_timestamp_info {
	uint64_t timestamp_frequency;
	uint64_t current_timestamp;
	uint64_t timestamp_offset;
	/* 1.8: */
	uint32_t flags;			/* input */
	uint32_t duration_nsec;
	uint64_t cycle_count;
	uint64_t cpu_timestamp_sec;
	uint64_t cpu_timestamp_nsec;
};
#define PN_TIMESTAMP_INFO_V1_1_SIZE	24u

/* DEV_QUERY GROUP_PRIORITIES_INFO payload (1.2) */
struct pn_group_priorities_info {
	uint8_t allowed_mask;		/* bit n: priority n allowed */
	uint8_t pad[3];
};

/* DEV_QUERY MMU_INFO payload (1.9) */
struct pn_mmu_info {
	uint64_t page_size_bitmap;
};

/* drm_panthor_gpu_info as of 1.7 and with gpu_features appended */
struct pn_gpu_info {
	uint32_t gpu_id, gpu_rev, csf_id, l2_features, tiler_features, mem_features;
	uint32_t mmu_features, thread_features, max_threads, thread_max_workgroup_size;
	uint32_t thread_max_barrier_size, coherency_features, texture_features[4];
	uint32_t as_present;
	uint32_t selected_coherency;	/* pad0 before 1.7 */
	uint64_t shader_present, l2_present, tiler_present;
	uint32_t core_features, pad;
	uint64_t gpu_features;		/* appended later, no version change */
};

/* BO_SET_LABEL (1.4): label is a user pointer to a NUL-terminated string */
struct pn_bo_set_label {
	uint32_t handle;
	uint32_t pad;
	uint64_t label;
};

/* SET_USER_MMIO_OFFSET (1.5) */
struct pn_set_user_mmio_offset {
	uint64_t offset;
};

/* BO_SYNC (1.7): an object array of pn_bo_sync_op */
struct pn_obj_array {
	uint32_t stride;
	uint32_t count;
	uint64_t array;
};

struct pn_bo_sync_op {
	uint32_t handle;
	uint32_t type;			/* PN_BO_SYNC_* */
	uint64_t offset;
	uint64_t size;
};

struct pn_bo_sync {
	struct pn_obj_array ops;
};

/* BO_QUERY_INFO (1.7) */
struct pn_bo_query_info {
	uint32_t handle;
	uint32_t extra_flags;		/* out: PN_BO_IS_IMPORTED */
	uint32_t create_flags;		/* out: the BO_CREATE flags */
	uint32_t pad;
};

#define PN_IOWR(id, type)	_IOWR('d', 0x40 + (id), type)
#define PN_IOCTL_BO_SET_LABEL		PN_IOWR(PN_ID_BO_SET_LABEL, struct pn_bo_set_label)
#define PN_IOCTL_SET_USER_MMIO_OFFSET	PN_IOWR(PN_ID_SET_USER_MMIO_OFFSET, \
						struct pn_set_user_mmio_offset)
#define PN_IOCTL_BO_SYNC		PN_IOWR(PN_ID_BO_SYNC, struct pn_bo_sync)
#define PN_IOCTL_BO_QUERY_INFO		PN_IOWR(PN_ID_BO_QUERY_INFO, struct pn_bo_query_info)

#endif
