/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * panref: a reference driver for the Panthor uAPI (Arm Mali CSF GPUs).
 *
 * One file per hardware block (device, gpu, mmu, fw, gem, devfreq, drv),
 * like Panthor, so the two can be read side by side. Behaviour follows
 * Linux 6.12's Panthor where userspace can see it; the code is panref's.
 */
#ifndef PANREF_H
#define PANREF_H

#include <linux/atomic.h>
#include <linux/cleanup.h>
#include <linux/io.h>
#include <linux/io-pgtable.h>
#include <linux/kcov.h>
#include <linux/iosys-map.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <drm/drm_exec.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_mm.h>
#include <drm/gpu_scheduler.h>
#include <drm/panthor_drm.h>

#include "regs.h"

struct panref_device;
struct panref_vm;
struct clk;
struct panref_devfreq;
struct panref_file;

/* ---- test knob (drv.c) ---------------------------------------------- */

/**
 * enum panref_deviation - deliberate differences from Panthor (test only)
 * @PANREF_DEV_BO_CREATE_PAD_ERRNO: BO_CREATE with a non-zero pad fails
 *	with EFAULT instead of EINVAL
 * @PANREF_DEV_QUERY_GPU_REV: DEV_QUERY GPU_INFO reports gpu_rev + 1
 * @PANREF_DEV_COUNT: number of deviations, not a deviation itself
 *
 * Selected by name through the "deviate" module parameter of PANREF_TEST
 * builds (drv.c) and tested with panref_deviate(); a normal build never
 * deviates.
 */
enum panref_deviation {
	PANREF_DEV_BO_CREATE_PAD_ERRNO,	/* BO_CREATE pad != 0: EFAULT, not EINVAL */
	PANREF_DEV_QUERY_GPU_REV,		/* GPU_INFO.gpu_rev + 1 */
	PANREF_DEV_COUNT,
};

#ifdef PANREF_TEST
bool panref_deviate(enum panref_deviation d);
#else
static inline bool panref_deviate(enum panref_deviation d)
{
	return false;
}
#endif

/* ---- interrupt lines (device.c) --------------------------------------- */

/**
 * struct panref_irq - one interrupt line of a GPU block (gpu, mmu, job)
 * @prdev: the device
 * @irq: Linux IRQ number, from panref_irq_request()
 * @base: register offset of the block's RAWSTAT; CLEAR, MASK and STAT
 *	follow it
 * @mask: interrupt bits the thread handles and re-enables in MASK; set
 *	by panref_irq_request() and panref_irq_resume(), narrowed by the
 *	MMU (under &panref_mmu.slots_lock) to mask faulty AS slots
 * @suspended: non-zero while the line is suspended: the hard handler
 *	ignores the line and the thread leaves MASK at 0
 * @handler: the block's handler, called from the IRQ thread with the
 *	bits it has just read and cleared
 */
struct panref_irq {
	struct panref_device *prdev;
	int irq;
	u32 base;		/* offset of the block's RAWSTAT */
	u32 mask;		/* what the thread re-enables */
	atomic_t suspended;
	void (*handler)(struct panref_device *prdev, u32 status);
};

int panref_irq_request(struct panref_device *prdev, struct panref_irq *pi, const char *name,
		   u32 base, u32 mask,
		   void (*handler)(struct panref_device *prdev, u32 status));
void panref_irq_suspend(struct panref_irq *pi);
void panref_irq_resume(struct panref_irq *pi, u32 mask);

/* ---- firmware interface layout (the MCU's shared section) ------------ */

#define PANREF_MCU_SHARED_VA	0x04000000u	/* CSF_MCU_SHARED_REGION_START */
#define PANREF_MCU_SHARED_SIZE	0x04000000u
#define PANREF_FW_CSG_CTRL_OFFSET	0x1000u
#define PANREF_FW_CS_CTRL_OFFSET	0x40u
#define PANREF_FW_MIN_CSGS		3
#define PANREF_FW_MAX_CSGS		31
#define PANREF_FW_MIN_CS_PER_CSG	8
#define PANREF_FW_MAX_CS_PER_CSG	32
#define PANREF_FW_UNPRESERVED_REGS	4
#define PANREF_FW_MAX_CSG_PRIO	0xf

/**
 * struct panref_glb_control - global interface control block (firmware
 * writes, read-only for the host), at offset 0 of the shared section
 * @version: interface version: major in bits 31:24, minor in 23:16,
 *	patch in 15:0; 0 means the MCU did not boot
 * @features: global interface feature bits (only logged)
 * @input_va: MCU VA of the &struct panref_glb_input block
 * @output_va: MCU VA of the &struct panref_glb_output block
 * @group_num: number of CSG interfaces the firmware offers (3 to 31)
 * @group_stride: bytes between CSG control blocks, the first being at
 *	%PANREF_FW_CSG_CTRL_OFFSET
 * @perfcnt_size: size of the performance counter buffer (unused)
 * @instr_features: instrumentation features, valid from interface 1.1
 */
struct panref_glb_control {
	u32 version;
	u32 features;
	u32 input_va;
	u32 output_va;
	u32 group_num;
	u32 group_stride;
	u32 perfcnt_size;
	u32 instr_features;
};

#define PANREF_GLB_HALT		BIT(0)
#define PANREF_GLB_CFG_PROGRESS	BIT(1)
#define PANREF_GLB_CFG_ALLOC_EN	BIT(2)
#define PANREF_GLB_CFG_POWEROFF	BIT(3)
#define PANREF_GLB_PING		BIT(8)
#define PANREF_GLB_IDLE_EN		BIT(10)
#define PANREF_GLB_IDLE		BIT(26)
#define PANREF_GLB_TIMER_VAL(x)	((x) & GENMASK(30, 0))
#define PANREF_GLB_TIMER_GPU_COUNTER BIT(31)

/**
 * struct panref_glb_input - global interface input block (host writes,
 * firmware reads)
 * @req: requests: HALT and IDLE_EN are states, the CFG_* and PING bits
 *	are toggled so they differ from &panref_glb_output.ack; event bits
 *	(GLB_IDLE...) are acknowledged by copying them from ack. Changed
 *	under &panref_fw.glb_lock
 * @ack_irq_mask: requests and events whose acknowledgement raises the
 *	GLOBAL_IF job interrupt
 * @doorbell_req: one bit per CSG slot, toggled to kick that slot before
 *	ringing the global doorbell; changed under &panref_fw.glb_lock
 * @rsvd0: reserved
 * @progress_timer: progress timeout of the groups, in units of 1024 GPU
 *	cycles, applied on CFG_PROGRESS_TIMER
 * @poweroff_timer: shader core power-off delay (%PANREF_GLB_TIMER_VAL,
 *	plus %PANREF_GLB_TIMER_GPU_COUNTER for the GPU counter source),
 *	applied on CFG_POWEROFF_TIMER
 * @core_en_mask: shader cores the firmware may use (all of
 *	shader_present), applied on CFG_ALLOC_EN
 * @rsvd1: reserved
 * @perfcnt_as: address space of the performance counter buffer (unused)
 * @perfcnt_base: GPU VA of the performance counter buffer (unused)
 * @perfcnt_extract: performance counter ring extract index (unused)
 * @rsvd2: reserved
 * @perfcnt_config: performance counter configuration (unused)
 * @perfcnt_csg_select: CSGs sampled by the performance counters (unused)
 * @perfcnt_enables: performance counter enable masks per block (unused)
 * @rsvd3: reserved
 * @idle_timer: how long the GPU must be idle before the firmware raises
 *	GLB_IDLE (with IDLE_EN set), in the format of @poweroff_timer
 */
struct panref_glb_input {
	u32 req;
	u32 ack_irq_mask;
	u32 doorbell_req;
	u32 rsvd0;
	u32 progress_timer;
	u32 poweroff_timer;
	u64 core_en_mask;
	u32 rsvd1;
	u32 perfcnt_as;
	u64 perfcnt_base;
	u32 perfcnt_extract;
	u32 rsvd2[3];
	u32 perfcnt_config;
	u32 perfcnt_csg_select;
	u32 perfcnt_enables[6];
	u32 rsvd3[8];
	u32 idle_timer;
};

/**
 * struct panref_glb_output - global interface output block (firmware
 * writes, read-only for the host)
 * @ack: the firmware copies &panref_glb_input.req bits here once it has
 *	handled them, and flips event bits to raise events (HALT is never
 *	acknowledged)
 * @rsvd0: reserved
 * @doorbell_ack: copy of &panref_glb_input.doorbell_req bits the
 *	firmware has seen
 * @rsvd1: reserved
 * @halt_status: non-zero if the MCU did not halt cleanly (0x4e panic,
 *	0x4f watchdog); checked at suspend to allow a fast reset
 * @perfcnt_status: performance counter status (unused)
 * @perfcnt_insert: performance counter ring insert index (unused)
 */
struct panref_glb_output {
	u32 ack;
	u32 rsvd0;
	u32 doorbell_ack;
	u32 rsvd1;
	u32 halt_status;
	u32 perfcnt_status;
	u32 perfcnt_insert;
};

/**
 * struct panref_csg_control - control block of one CSG interface
 * (firmware writes, read-only for the host)
 * @features: CSG feature bits; every group must have the same
 * @input_va: MCU VA of the group's &struct panref_csg_input
 * @output_va: MCU VA of the group's &struct panref_csg_output
 * @suspend_size: size of the buffer the firmware saves a suspended
 *	group's state in (&panref_csg_input.suspend_buf)
 * @protm_suspend_size: the same for protected mode
 *	(&panref_csg_input.protm_suspend_buf)
 * @stream_num: number of CS interfaces in the group (8 to 32)
 * @stream_stride: bytes between CS control blocks, the first being at
 *	%PANREF_FW_CS_CTRL_OFFSET from this block
 */
struct panref_csg_control {
	u32 features;
	u32 input_va;
	u32 output_va;
	u32 suspend_size;
	u32 protm_suspend_size;
	u32 stream_num;
	u32 stream_stride;
};

/**
 * struct panref_csg_input - input block of one CSG interface (host
 * writes, firmware reads); written by the scheduler under
 * &panref_sched.lock
 * @req: requested state in bits 2:0 (TERMINATE, START, SUSPEND,
 *	RESUME), ENDPOINT_CONFIG and STATUS_UPDATE requests; events
 *	(SYNC_UPDATE, IDLE, PROGRESS_TIMER...) are acknowledged by copying
 *	them from &panref_csg_output.ack
 * @ack_irq_mask: requests and events that raise the group's job
 *	interrupt bit
 * @doorbell_req: one bit per CS, toggled to kick that stream
 * @cs_irq_ack: copy of &panref_csg_output.cs_irq_req once the streams'
 *	events have been handled
 * @rsvd0: reserved
 * @allow_compute: shader cores the group may use for compute
 * @allow_fragment: shader cores the group may use for fragment work
 * @allow_other: tiler units the group may use
 * @endpoint_req: maximum compute (bits 7:0), fragment (15:8) and tiler
 *	(19:16) endpoints and the CSG priority (31:28)
 * @rsvd1: reserved
 * @suspend_buf: MCU VA of the buffer the group's state is saved in when
 *	suspended
 * @protm_suspend_buf: MCU VA of the protected-mode suspend buffer
 * @config: the address space (AS slot) of the group's VM
 * @iter_trace_config: iterator trace configuration (unused)
 */
struct panref_csg_input {
	u32 req;
	u32 ack_irq_mask;
	u32 doorbell_req;
	u32 cs_irq_ack;
	u32 rsvd0[4];
	u64 allow_compute;
	u64 allow_fragment;
	u32 allow_other;
	u32 endpoint_req;
	u32 rsvd1[2];
	u64 suspend_buf;
	u64 protm_suspend_buf;
	u32 config;
	u32 iter_trace_config;
};

/**
 * struct panref_csg_output - output block of one CSG interface
 * (firmware writes, read-only for the host)
 * @ack: the firmware copies &panref_csg_input.req bits here once a
 *	request is done, and flips event bits to raise events
 * @rsvd0: reserved
 * @doorbell_ack: copy of &panref_csg_input.doorbell_req bits seen
 * @cs_irq_req: one bit per CS, toggled when that stream has events
 * @status_endpoint_current: endpoints currently given to the group, as
 *	in &panref_csg_input.endpoint_req
 * @status_endpoint_req: the endpoint request the firmware is applying
 * @status_state: group state; bit 0 is IDLE
 * @resource_dep: resources the group is waiting for
 */
struct panref_csg_output {
	u32 ack;
	u32 rsvd0;
	u32 doorbell_ack;
	u32 cs_irq_req;
	u32 status_endpoint_current;
	u32 status_endpoint_req;
	u32 status_state;
	u32 resource_dep;
};

/**
 * struct panref_cs_control - control block of one CS interface
 * (firmware writes, read-only for the host)
 * @features: work registers ((x & 0xff) + 1), scoreboards
 *	((x >> 8) & 0xff) and compute/fragment/tiler support (bits
 *	16/17/18); every stream must have the same
 * @input_va: MCU VA of the stream's &struct panref_cs_input
 * @output_va: MCU VA of the stream's &struct panref_cs_output
 */
struct panref_cs_control {
	u32 features;
	u32 input_va;
	u32 output_va;
};

#define PANREF_CS_FEAT_WORK_REGS(x)		(((x) & 0xff) + 1)
#define PANREF_CS_FEAT_SCOREBOARDS(x)	(((x) >> 8) & 0xff)

/**
 * struct panref_cs_input - input block of one CS interface (host
 * writes, firmware reads); written by the scheduler under
 * &panref_sched.lock
 * @req: requested state in bits 2:0 (STOP, START), EXTRACT_EVENT and
 *	IDLE_* bits; events (TILER_OOM, PROTM_PENDING, FATAL, FAULT) are
 *	acknowledged by copying them from &panref_cs_output.ack
 * @config: stream priority (bits 3:0) and doorbell (15:8, the CSG slot
 *	+ 1)
 * @rsvd0: reserved
 * @ack_irq_mask: requests and events that raise the CSG's cs_irq_req
 * @ringbuf_base: GPU VA of the ring buffer, in the group's VM
 * @ringbuf_size: size of the ring buffer in bytes
 * @rsvd1: reserved
 * @heap_start: GPU VA of a tiler heap chunk given in answer to
 *	TILER_OOM, 0 for none
 * @heap_end: end of that chunk (panref sets it to @heap_start)
 * @ringbuf_input: MCU VA of the ring's input page {insert, extract}
 * @ringbuf_output: MCU VA of the ring's output page {extract, active}
 * @instr_config: instrumentation configuration (unused)
 * @instrbuf_size: instrumentation buffer size (unused)
 * @instrbuf_base: instrumentation buffer GPU VA (unused)
 * @instrbuf_offset_ptr: GPU VA of the instrumentation buffer offset
 *	(unused)
 */
struct panref_cs_input {
	u32 req;
	u32 config;
	u32 rsvd0;
	u32 ack_irq_mask;
	u64 ringbuf_base;
	u32 ringbuf_size;
	u32 rsvd1;
	u64 heap_start;
	u64 heap_end;
	u64 ringbuf_input;
	u64 ringbuf_output;
	u32 instr_config;
	u32 instrbuf_size;
	u64 instrbuf_base;
	u64 instrbuf_offset_ptr;
};

/**
 * struct panref_cs_output - output block of one CS interface (firmware
 * writes, read-only for the host)
 * @ack: the firmware copies &panref_cs_input.req bits here once a
 *	request is done, and flips event bits to raise events
 * @rsvd0: reserved
 * @status_cmd_ptr: GPU VA of the instruction the stream is at
 * @status_wait: what the stream waits for (sync condition, 64-bit
 *	sync...)
 * @status_req_resource: resources the stream requests
 * @status_wait_sync_ptr: GPU VA of the sync object waited on
 * @status_wait_sync_value: low 32 bits of the value waited for
 * @status_scoreboards: scoreboard entries still pending
 * @status_blocked_reason: why the stream is blocked (0 to 6)
 * @status_wait_sync_value_hi: high 32 bits of the value waited for
 * @rsvd1: reserved
 * @fault: last CS_FAULT: exception type (bits 7:0) and data (31:8)
 * @fatal: last CS_FATAL, laid out as @fault
 * @fault_info: extra information on @fault
 * @fatal_info: extra information on @fatal
 * @rsvd2: reserved
 * @heap_vt_start: vertex/tiling passes started on the tiler heap
 * @heap_vt_end: vertex/tiling passes finished
 * @rsvd3: reserved
 * @heap_frag_end: fragment passes finished; with the two above it gives
 *	the in-flight and pending counts of a TILER_OOM heap grow
 * @heap_address: GPU VA of the heap context of the heap that ran out
 *	(TILER_OOM)
 */
struct panref_cs_output {
	u32 ack;
	u32 rsvd0[15];
	u64 status_cmd_ptr;
	u32 status_wait;
	u32 status_req_resource;
	u64 status_wait_sync_ptr;
	u32 status_wait_sync_value;
	u32 status_scoreboards;
	u32 status_blocked_reason;
	u32 status_wait_sync_value_hi;
	u32 rsvd1[6];
	u32 fault;
	u32 fatal;
	u64 fault_info;
	u64 fatal_info;
	u32 rsvd2[10];
	u32 heap_vt_start;
	u32 heap_vt_end;
	u32 rsvd3;
	u32 heap_frag_end;
	u64 heap_address;
};

/**
 * struct panref_fw_cs - CPU pointers to one CS interface in the shared
 * section, set by panref_fw_read_ifaces() when the firmware is loaded
 * @control: the stream's control block
 * @input: the stream's input block (written under &panref_sched.lock)
 * @output: the stream's output block
 */
struct panref_fw_cs {
	struct panref_cs_control *control;
	struct panref_cs_input *input;
	const struct panref_cs_output *output;
};

/**
 * struct panref_fw_csg - CPU pointers to one CSG interface in the shared
 * section, set by panref_fw_read_ifaces() when the firmware is loaded
 * @control: the group's control block
 * @input: the group's input block (written under &panref_sched.lock)
 * @output: the group's output block
 * @cs: its CS interfaces; the first &panref_csg_control.stream_num are
 *	valid
 */
struct panref_fw_csg {
	const struct panref_csg_control *control;
	struct panref_csg_input *input;
	const struct panref_csg_output *output;
	struct panref_fw_cs cs[PANREF_FW_MAX_CS_PER_CSG];
};

/* ---- GEM (gem.c) -------------------------------------------------------- */

/**
 * struct panref_bo - a GEM buffer object (shmem-backed)
 * @base: the shmem GEM object
 * @flags: DRM_PANTHOR_BO_* flags given at creation (NO_MMAP refuses
 *	mmap())
 * @exclusive_vm_root: for a BO private to one VM, that VM's root GEM
 *	(a reference is held), whose resv the BO shares; such a BO can be
 *	neither exported nor mapped in another VM. NULL otherwise
 * @gpuva_lock: protects the GEM's gpuva list (drm_gem_gpuva_set_lock())
 */
struct panref_bo {
	struct drm_gem_shmem_object base;
	u32 flags;			/* DRM_PANTHOR_BO_* */
	struct drm_gem_object *exclusive_vm_root;
	struct mutex gpuva_lock;	/* the GEM's gpuva list */
};

static inline struct panref_bo *to_pr_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct panref_bo, base);
}

/**
 * struct panref_kbo - a BO the driver owns, mapped into a VM at a fixed
 * or automatic VA (firmware sections, queue rings, heap chunks...)
 * @obj: the GEM object (a &struct panref_bo private to @vm); a reference
 *	is held
 * @vm: the VM it is mapped into; a reference is held
 * @va_node: its VA range, from the VM's kernel-managed &panref_vm.mm
 * @kmap: kernel CPU mapping, NULL until panref_kbo_vmap()
 * @map: the vmap behind @kmap
 */
struct panref_kbo {
	struct drm_gem_object *obj;
	struct panref_vm *vm;
	struct drm_mm_node va_node;
	void *kmap;
	struct iosys_map map;
};

#define PANREF_VM_KERNEL_AUTO_VA	(~0ull)

struct drm_gem_object *panref_gem_create_object(struct drm_device *ddev, size_t size);
int panref_gem_create_with_handle(struct drm_file *file, struct drm_device *ddev,
			      struct panref_vm *exclusive_vm, u64 *size, u32 flags,
			      u32 *handle);
struct panref_kbo *panref_kbo_create(struct panref_device *prdev, struct panref_vm *vm,
			     size_t size, u32 bo_flags, u32 map_flags, u64 va);
int panref_kbo_vmap(struct panref_kbo *kbo);
struct panref_kbo *panref_kbo_create_vmapped(struct panref_device *prdev, struct panref_vm *vm,
					     size_t size, u32 map_flags);
void panref_kbo_destroy(struct panref_kbo *kbo);

static inline u64 panref_kbo_va(const struct panref_kbo *kbo)
{
	return kbo->va_node.start;
}

static inline size_t panref_kbo_size(const struct panref_kbo *kbo)
{
	return kbo->obj->size;
}

/* ---- MMU (mmu.c) and VMs (vm.c) ---------------------------------------- */

struct panref_vm_op_ctx;

/**
 * struct panref_vm - a GPU virtual address space
 * @base: the drm_gpuvm (reference count, VA tree, shared resv)
 * @prdev: the device
 * @for_mcu: the MCU's VM, which always uses AS0
 * @destroyed: set by panref_vm_destroy() (VM_DESTROY, file close): no
 *	more bind jobs nor heap pool are accepted
 * @unusable: a failed asynchronous bind left the page tables in an
 *	unknown state: further maps and bind jobs are refused and
 *	VM_GET_STATE reports UNUSABLE; set under @op_lock
 * @unhandled_fault: the MMU reported a page fault on the VM's AS; set
 *	by the MMU interrupt handler under &panref_mmu.slots_lock, cleared
 *	when the VM is activated again; the scheduler fails its groups
 * @pgtbl: io-pgtable ops of the page tables (ARM LPAE stage 1)
 * @memattr: MEMATTR programmed in the AS, from the page tables' MAIR
 * @user_va_range: user VAs are [0, user_va_range); the kernel-managed
 *	range starts there
 * @op_lock: serialises map/unmap operations on the page tables
 * @op_ctx: the operation in progress (under @op_lock), whose reserve
 *	the page-table pages come from
 * @mm_lock: protects @mm
 * @mm: allocator of the kernel-managed VA (firmware sections, later heap
 *	chunks)
 * @auto_va_start: first VA of %PANREF_VM_KERNEL_AUTO_VA allocations
 * @auto_va_end: last VA (inclusive) of such allocations
 * @as_id: the AS slot held, or -1; under &panref_mmu.slots_lock
 * @as_active: users of the AS slot; 0 when the VM is idle
 * @as_lru: place in &panref_mmu.lru while idle with a slot; under
 *	&panref_mmu.slots_lock
 * @heaps_lock: protects @heaps
 * @heaps: the VM's tiler heap pool (heap.c), NULL until first used
 * @sched: scheduler of the asynchronous VM_BIND queue (one job at a
 *	time, on &panref_mmu.bind_wq)
 * @entity: the VM_BIND queue's entity
 * @node: on &panref_mmu.vms (prdev->mmu.vms), under
 *	&panref_mmu.vms_lock
 */
struct panref_vm {
	struct drm_gpuvm base;
	struct panref_device *prdev;
	bool for_mcu;
	bool destroyed;
	bool unusable;
	bool unhandled_fault;
	struct io_pgtable_ops *pgtbl;
	u64 memattr;
	u64 user_va_range;	/* user VAs are [0, user_va_range) */

	/* op_lock serialises map/unmap; op_ctx is the one in progress. */
	struct mutex op_lock;
	struct panref_vm_op_ctx *op_ctx;

	/* Kernel-managed VA (firmware sections, later heap chunks). */
	struct mutex mm_lock;
	struct drm_mm mm;
	u64 auto_va_start, auto_va_end;

	/* Address space slot: id, users, place in the LRU of idle VMs. */
	int as_id;
	refcount_t as_active;
	struct list_head as_lru;

	/* Tiler heaps of this VM (heap.c), created on first use. */
	struct mutex heaps_lock;
	struct panref_heap_pool *heaps;

	/* Asynchronous VM_BIND queue. */
	struct drm_gpu_scheduler sched;
	struct drm_sched_entity entity;
	struct list_head node;	/* prdev->mmu.vms */
};

/**
 * struct panref_vm_pool - the VMs a file created
 * @xa: VM handle (1 to 32) -> &struct panref_vm, which holds a
 *	reference; lookups take the xarray lock
 */
struct panref_vm_pool {
	struct xarray xa;
};

/**
 * struct panref_mmu - the MMU block: AS slots and the device's VMs
 * @irq: the "mmu" interrupt line; faulty AS slots are masked out of it
 * @slots_lock: protects the AS slots: @slots, @alloc_mask, @faulty_mask,
 *	@lru, the VMs' as_id and as_lru, and the AS registers
 * @slots: the VM holding each AS slot, or NULL
 * @alloc_mask: AS slots in use (bit 0 is the MCU's)
 * @faulty_mask: AS slots disabled after a page fault, until their VM is
 *	activated again
 * @lru: idle VMs that still hold a slot, least recently idled first; the
 *	first one loses its slot when none is free
 * @vms_lock: protects @vms and &panref_device.vm_reset_in_progress
 * @vms: every VM of the device, whose bind queues a reset stops
 * @bind_wq: unbound workqueue the VM_BIND queues run on; it outlives the
 *	platform device
 */
struct panref_mmu {
	struct panref_irq irq;
	struct mutex slots_lock;	/* the AS slots below */
	struct panref_vm *slots[PANREF_MAX_AS];
	unsigned long alloc_mask;
	unsigned long faulty_mask;
	struct list_head lru;		/* idle VMs that still hold a slot */
	struct mutex vms_lock;
	struct list_head vms;
	struct workqueue_struct *bind_wq;
};

int panref_mmu_pt_cache_init(void);
void panref_mmu_pt_cache_fini(void);
int panref_mmu_init(struct panref_device *prdev);
void panref_mmu_unplug(struct panref_device *prdev);
void panref_mmu_suspend(struct panref_device *prdev);
void panref_mmu_resume(struct panref_device *prdev);
void panref_mmu_pre_reset(struct panref_device *prdev);
void panref_mmu_post_reset(struct panref_device *prdev);

struct panref_vm *panref_vm_create(struct panref_device *prdev, bool for_mcu,
			   u64 kva_start, u64 kva_size,
			   u64 auto_va_start, u64 auto_va_size);
struct panref_vm *panref_vm_get(struct panref_vm *vm);
void panref_vm_put(struct panref_vm *vm);
int panref_vm_active(struct panref_vm *vm);
void panref_vm_idle(struct panref_vm *vm);
int panref_vm_flush_range(struct panref_vm *vm, u64 va, u64 size);
int panref_vm_flush_all(struct panref_vm *vm);
void panref_vm_drop_as(struct panref_vm *vm);
u32 panref_vm_page_size(struct panref_vm *vm);
struct drm_gem_object *panref_vm_root_gem(struct panref_vm *vm);
int panref_vm_alloc_va(struct panref_vm *vm, u64 va, u64 size, struct drm_mm_node *node);
void panref_vm_free_va(struct panref_vm *vm, struct drm_mm_node *node);
int panref_vm_map_bo_range(struct panref_vm *vm, struct panref_bo *bo, u64 offset,
		       u64 size, u64 va, u32 flags);
int panref_vm_unmap_range(struct panref_vm *vm, u64 va, u64 size);

int panref_vm_pool_create(struct panref_vm_pool **pool);
void panref_vm_pool_destroy(struct panref_vm_pool *pool);
int panref_vm_pool_create_vm(struct panref_device *prdev, struct panref_vm_pool *pool,
			 struct drm_panthor_vm_create *args);
int panref_vm_pool_destroy_vm(struct panref_vm_pool *pool, u32 id);
struct panref_vm *panref_vm_pool_get_vm(struct panref_vm_pool *pool, u32 id);

int panref_vm_bind_exec_sync_op(struct drm_file *file, struct panref_vm *vm,
			    const struct drm_panthor_vm_bind_op *op);
struct drm_sched_job *panref_vm_bind_job_create(struct drm_file *file,
					    struct panref_vm *vm,
					    const struct drm_panthor_vm_bind_op *op);
int panref_vm_bind_job_prepare_resvs(struct drm_exec *exec,
				 struct drm_sched_job *job);
void panref_vm_bind_job_update_resvs(struct drm_exec *exec,
				 struct drm_sched_job *job);
void panref_vm_bind_job_put(struct drm_sched_job *job);

/* ---- GPU control (gpu.c) ------------------------------------------------ */

int panref_gpu_init(struct panref_device *prdev);
void panref_gpu_unplug(struct panref_device *prdev);
int panref_gpu_soft_reset(struct panref_device *prdev);
int panref_gpu_l2_power_on(struct panref_device *prdev);
int panref_gpu_l2_power_off(struct panref_device *prdev);
int panref_gpu_flush_caches(struct panref_device *prdev, u32 l2, u32 lsc, u32 other);
void panref_gpu_suspend(struct panref_device *prdev);
void panref_gpu_resume(struct panref_device *prdev);

/* ---- firmware (fw.c) ---------------------------------------------------- */

/**
 * struct panref_fw_mem_section - one section of the firmware image
 * @node: on &panref_fw.sections
 * @mem: the kernel BO backing it, mapped at the section's MCU VA
 * @flags: PANREF_FW_SEC_* flags from the image (access, cache mode,
 *	SHARED, ZERO)
 * @data: copy of the image bytes, for reloads
 * @data_size: size of @data; the rest of the section is zero-filled
 * @name: the section's name from the image, or NULL
 */
struct panref_fw_mem_section {
	struct list_head node;
	struct panref_kbo *mem;
	u32 flags;
	const void *data;	/* copy of the image bytes, for reloads */
	size_t data_size;
	char *name;
};

/**
 * struct panref_fw - the CSF firmware and its interfaces
 * @irq: the "job" interrupt line (GLOBAL_IF and one bit per CSG slot)
 * @vm: the MCU's VM (AS0, 4 GiB)
 * @sections: the &struct panref_fw_mem_section list of the image
 * @shared: the section at %PANREF_MCU_SHARED_VA holding the interface
 *	blocks, kept mapped for the CPU
 * @req_wq: woken by the job interrupt; waits for the boot and for global
 *	and CSG acknowledgements
 * @booted: the MCU raised GLOBAL_IF since it was last started; set by
 *	the job interrupt handler
 * @fast_reset: the MCU halted cleanly at suspend, so the next start
 *	skips reloading the sections
 * @ping_work: pings the firmware every 12 s and schedules a reset if it
 *	does not answer within 100 ms
 * @glb_control: the global control block
 * @glb_input: the global input block
 * @glb_output: the global output block
 * @glb_lock: protects updates of glb_input->req and doorbell_req, also
 *	made from the interrupt thread
 * @csg_num: number of CSG interfaces (&panref_glb_control.group_num)
 * @csgs: the @csg_num CSG interfaces, allocated by
 *	panref_fw_read_ifaces()
 */
struct panref_fw {
	struct panref_irq irq;
	struct panref_vm *vm;
	struct list_head sections;
	struct panref_fw_mem_section *shared;
	wait_queue_head_t req_wq;
	bool booted;
	bool fast_reset;
	struct delayed_work ping_work;
	const struct panref_glb_control *glb_control;
	struct panref_glb_input *glb_input;
	const struct panref_glb_output *glb_output;
	spinlock_t glb_lock;	/* glb_input->req */
	u32 csg_num;
	struct panref_fw_csg *csgs;
};

int panref_fw_init(struct panref_device *prdev);
void panref_fw_unplug(struct panref_device *prdev);
void panref_fw_suspend(struct panref_device *prdev);
void panref_fw_pre_reset(struct panref_device *prdev);
int panref_fw_resume(struct panref_device *prdev);

/* ---- groups (group.c), scheduler (sched.c), tiler heaps (heap.c) -------- */

struct panref_sched;
struct panref_group_pool;
struct panref_heap_pool;

int panref_sched_init(struct panref_device *prdev);
void panref_sched_unplug(struct panref_device *prdev);
void panref_sched_report_irq(struct panref_device *prdev, u32 csg_mask);
void panref_sched_pre_reset(struct panref_device *prdev);
void panref_sched_post_reset(struct panref_device *prdev);

int panref_group_pool_create(struct panref_file *pfile);
void panref_group_pool_destroy(struct panref_file *pfile);
int panref_group_create(struct panref_file *pfile,
			const struct drm_panthor_group_create *args,
			const struct drm_panthor_queue_create *qargs);
int panref_group_destroy(struct panref_file *pfile, u32 handle);
int panref_group_get_state(struct panref_file *pfile,
			   struct drm_panthor_group_get_state *args);
struct drm_sched_job *panref_job_create(struct panref_file *pfile, u16 group_handle,
					const struct drm_panthor_queue_submit *qsubmit,
					u64 client_id);
void panref_job_put(struct drm_sched_job *job);
struct panref_vm *panref_job_vm(struct drm_sched_job *job);
void panref_job_update_resvs(struct drm_exec *exec, struct drm_sched_job *job);

int panref_vm_prepare_mapped_bos_resvs(struct drm_exec *exec, struct panref_vm *vm,
				       u32 slots);
struct panref_heap_pool *panref_vm_get_heap_pool(struct panref_vm *vm, bool create);

struct panref_heap_pool *panref_heap_pool_create(struct panref_device *prdev,
						 struct panref_vm *vm);
struct panref_heap_pool *panref_heap_pool_get(struct panref_heap_pool *pool);
void panref_heap_pool_put(struct panref_heap_pool *pool);
void panref_heap_pool_destroy(struct panref_heap_pool *pool);
int panref_heap_create(struct panref_heap_pool *pool, u32 initial_chunks, u32 chunk_size,
		       u32 max_chunks, u32 target_in_flight, u64 *ctx_va, u64 *first_chunk_va);
int panref_heap_destroy(struct panref_heap_pool *pool, u32 id);
int panref_heap_grow(struct panref_heap_pool *pool, u64 ctx_va, u32 in_flight,
		     u32 pending_frag, u64 *chunk);

void panref_fw_ring_csgs(struct panref_device *prdev, u32 slots);

/* ---- devfreq (devfreq.c) ------------------------------------------------ */

int panref_devfreq_init(struct panref_device *prdev);
int panref_devfreq_suspend(struct panref_device *prdev);
int panref_devfreq_resume(struct panref_device *prdev);
void panref_devfreq_record(struct panref_device *prdev, bool busy);

/* ---- the device (device.c) ---------------------------------------------- */

/**
 * enum panref_pm_state - runtime PM state of the device (&panref_device.pm_state)
 * @PANREF_PM_SUSPENDED: clock off, GPU not usable
 * @PANREF_PM_RESUMING: the runtime resume callback is running
 * @PANREF_PM_ACTIVE: powered and running; the USER_FLUSH_ID page maps the
 *	real register
 * @PANREF_PM_SUSPENDING: the runtime suspend callback is running
 */
enum panref_pm_state {
	PANREF_PM_SUSPENDED,
	PANREF_PM_RESUMING,
	PANREF_PM_ACTIVE,
	PANREF_PM_SUSPENDING,
};

/**
 * struct panref_device - one Mali CSF GPU
 * @base: the DRM device
 * @iomem: the mapped register window
 * @coherent: the GPU is IO-coherent with the CPU; otherwise CPU mappings
 *	are write-combined and the driver syncs caches itself
 * @clk: the core clock (the first one)
 * @devfreq: DVFS state (devfreq.c), NULL without devfreq
 * @gpu_info: GPU identification registers read at init (DEV_QUERY
 *	GPU_INFO)
 * @csif_info: CSF interface limits derived from the firmware (DEV_QUERY
 *	CSIF_INFO)
 * @gpu_irq: the "gpu" interrupt line (gpu.c)
 * @reqs_lock: protects @pending_reqs
 * @pending_reqs: GPU_INT bits that GPU commands (soft reset, cache
 *	clean) are waiting for; cleared by the gpu interrupt handler
 * @reqs_wq: woken when @pending_reqs bits are cleared
 * @flush_lock: serialises cache flush commands
 * @mmu: the MMU block
 * @fw: the firmware
 * @sched: the group scheduler (sched.c)
 * @pm_state: an &enum panref_pm_state, changed by the runtime PM
 *	callbacks (with @mmio_lock when becoming ACTIVE or SUSPENDING)
 * @initialized: all blocks are up; runtime PM touches them only then
 * @phys_addr: physical address of the register window
 * @dummy_flush_id: page holding flush ID 1, mapped as USER_FLUSH_ID
 *	while the GPU is suspended
 * @mmio_lock: orders @pm_state changes against USER_FLUSH_ID faults
 * @unplug_lock: protects @unplugged
 * @unplugged: panref_device_unplug() has run, or a failed reset did it
 * @unplug_done: the unplug that @unplugged announced has finished
 * @reset_work: the GPU reset after a hang
 * @reset_pending: a reset was asked for and has not finished; queued at
 *	once when active, otherwise after the next resume
 * @vm_reset_in_progress: the VM_BIND queues are stopped for a reset;
 *	under &panref_mmu.vms_lock
 * @test_reset_delay_ms: the reset work sleeps this long once it holds its
 *	runtime PM reference (PANREF_TEST builds only, debugfs
 *	"reset_delay_ms"), so a test can make a reset race runtime suspend
 * @test_groups: groups allocated and not freed yet (PANREF_TEST builds
 *	only, debugfs "groups"), so a test can see a group leak
 * @kcov_handle: KCOV remote handle of the last process that opened the
 *	device (fuzzing builds, PANREF_KCOV=y): the driver's workers and
 *	drm_sched callbacks report their coverage to it
 */
struct panref_device {
	struct drm_device base;
	void __iomem *iomem;
	bool coherent;
	struct clk *clk;
	struct panref_devfreq *devfreq;

	struct drm_panthor_gpu_info gpu_info;
	struct drm_panthor_csif_info csif_info;

	/* gpu.c */
	struct panref_irq gpu_irq;
	spinlock_t reqs_lock;		/* pending_reqs */
	u32 pending_reqs;
	wait_queue_head_t reqs_wq;
	struct mutex flush_lock;

	struct panref_mmu mmu;
	struct panref_fw fw;
	struct panref_sched *sched;

	atomic_t pm_state;
	bool initialized;
	phys_addr_t phys_addr;		/* of the register window */
	struct page *dummy_flush_id;	/* USER_FLUSH_ID while suspended */
	struct mutex mmio_lock;		/* pm_state vs. USER_FLUSH_ID faults */
	struct mutex unplug_lock;
	bool unplugged;
	struct completion unplug_done;

	/* GPU reset after a hang (ping timeout, stuck MMU, cache flush). */
	struct work_struct reset_work;
	atomic_t reset_pending;
	bool vm_reset_in_progress;	/* under mmu.vms_lock */
#ifdef PANREF_TEST
	u32 test_reset_delay_ms;
	atomic_t test_groups;
#endif
#ifdef PANREF_KCOV
	u64 kcov_handle;
#endif
};

/*
 * Remote KCOV coverage for the fuzzer (PANREF_KCOV=y only): code that runs
 * in a workqueue, the IRQ thread or a drm_sched callback declares
 * CLASS(panref_kcov, kc)(prdev) first; its coverage then goes to the
 * process that last opened the device (kcov_remote_start_common(), as USB
 * and vhost do), until the scope ends. Not opened in a task that already
 * collects coverage (an ioctl, or an enclosing section): kcov_remote_start()
 * WARNs there.
 */
#ifdef PANREF_KCOV
static inline void panref_kcov_note_opener(struct panref_device *prdev)
{
	WRITE_ONCE(prdev->kcov_handle, kcov_common_handle());
}

/* Nested sections (free_job called by drm_sched_stop() in the reset work) are not opened. */
static inline struct panref_device *panref_kcov_start(struct panref_device *prdev)
{
	if (READ_ONCE(current->kcov_mode) != KCOV_MODE_DISABLED)
		return NULL;
	kcov_remote_start_common(READ_ONCE(prdev->kcov_handle));
	return prdev;
}

DEFINE_CLASS(panref_kcov, struct panref_device *, if (_T) kcov_remote_stop(),
	     panref_kcov_start(prdev), struct panref_device *prdev)
#else
static inline void panref_kcov_note_opener(struct panref_device *prdev) { }

DEFINE_CLASS(panref_kcov, struct panref_device *, (void)_T, prdev,
	     struct panref_device *prdev)
#endif

static inline struct panref_device *to_pr_device(struct drm_device *ddev)
{
	return container_of(ddev, struct panref_device, base);
}

/**
 * struct panref_file - per-open-file state (drm_file.driver_priv)
 * @prdev: the device
 * @vms: the VMs this file created
 * @groups: the scheduling groups this file created
 */
struct panref_file {
	struct panref_device *prdev;
	struct panref_vm_pool *vms;
	struct panref_group_pool *groups;
};

int panref_device_init(struct panref_device *prdev);
void panref_device_unplug(struct panref_device *prdev);
int panref_device_runtime_suspend(struct device *dev);
int panref_device_runtime_resume(struct device *dev);
int panref_device_mmap_io(struct panref_device *prdev, struct vm_area_struct *vma);
void panref_device_schedule_reset(struct panref_device *prdev);
void panref_device_kick_reset(struct panref_device *prdev);
void panref_debugfs_init(struct drm_minor *minor);

static inline void panref_write(struct panref_device *prdev, u32 reg, u32 val)
{
	writel(val, prdev->iomem + reg);
}

static inline u32 panref_read(struct panref_device *prdev, u32 reg)
{
	return readl(prdev->iomem + reg);
}

static inline u64 panref_read64(struct panref_device *prdev, u32 reg)
{
	return panref_read(prdev, reg) | ((u64)panref_read(prdev, reg + 4) << 32);
}

extern struct workqueue_struct *panref_cleanup_wq;

#endif
