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
#include <linux/io.h>
#include <linux/io-pgtable.h>
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

struct panref_glb_output {
	u32 ack;
	u32 rsvd0;
	u32 doorbell_ack;
	u32 rsvd1;
	u32 halt_status;
	u32 perfcnt_status;
	u32 perfcnt_insert;
};

struct panref_csg_control {
	u32 features;
	u32 input_va;
	u32 output_va;
	u32 suspend_size;
	u32 protm_suspend_size;
	u32 stream_num;
	u32 stream_stride;
};

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

struct panref_cs_control {
	u32 features;
	u32 input_va;
	u32 output_va;
};

#define PANREF_CS_FEAT_WORK_REGS(x)		(((x) & 0xff) + 1)
#define PANREF_CS_FEAT_SCOREBOARDS(x)	(((x) >> 8) & 0xff)

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

struct panref_fw_cs {
	struct panref_cs_control *control;
	struct panref_cs_input *input;
	const struct panref_cs_output *output;
};

struct panref_fw_csg {
	const struct panref_csg_control *control;
	struct panref_csg_input *input;
	const struct panref_csg_output *output;
	struct panref_fw_cs cs[PANREF_FW_MAX_CS_PER_CSG];
};

/* ---- GEM (gem.c) -------------------------------------------------------- */

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

/* A BO the driver owns, mapped into a VM at a fixed or automatic VA. */
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
void panref_kbo_destroy(struct panref_kbo *kbo);

static inline u64 panref_kbo_va(const struct panref_kbo *kbo)
{
	return kbo->va_node.start;
}

static inline size_t panref_kbo_size(const struct panref_kbo *kbo)
{
	return kbo->obj->size;
}

/* ---- MMU and VMs (mmu.c) ------------------------------------------------ */

struct panref_vm_op_ctx;

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

struct panref_vm_pool {
	struct xarray xa;
};

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
int panref_vm_flush_all(struct panref_vm *vm);
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

struct panref_fw_mem_section {
	struct list_head node;
	struct panref_kbo *mem;
	u32 flags;
	const void *data;	/* copy of the image bytes, for reloads */
	size_t data_size;
	char *name;
};

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

/* ---- scheduler (sched.c) and tiler heaps (heap.c) ------------------------ */

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

/* ---- the device (device.c) ---------------------------------------------- */

enum panref_pm_state {
	PANREF_PM_SUSPENDED,
	PANREF_PM_RESUMING,
	PANREF_PM_ACTIVE,
	PANREF_PM_SUSPENDING,
};

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

	/* GPU reset after a hang (ping timeout, stuck MMU, cache flush). */
	struct work_struct reset_work;
	atomic_t reset_pending;
	bool vm_reset_in_progress;	/* under mmu.vms_lock */
};

static inline struct panref_device *to_pr_device(struct drm_device *ddev)
{
	return container_of(ddev, struct panref_device, base);
}

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
