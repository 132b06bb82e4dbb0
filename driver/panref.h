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

struct pr_device;
struct pr_vm;
struct clk;
struct pr_devfreq;

/* ---- test knob (drv.c) ---------------------------------------------- */

enum pr_deviation {
	PR_DEV_BO_CREATE_PAD_ERRNO,	/* BO_CREATE pad != 0: EFAULT, not EINVAL */
	PR_DEV_QUERY_GPU_REV,		/* GPU_INFO.gpu_rev + 1 */
	PR_DEV_COUNT,
};

bool pr_deviate(enum pr_deviation d);

/* ---- interrupt lines (device.c) --------------------------------------- */

struct pr_irq {
	struct pr_device *prdev;
	int irq;
	u32 base;		/* offset of the block's RAWSTAT */
	u32 mask;		/* what the thread re-enables */
	atomic_t suspended;
	void (*handler)(struct pr_device *prdev, u32 status);
};

int pr_irq_request(struct pr_device *prdev, struct pr_irq *pi, const char *name,
		   u32 base, u32 mask,
		   void (*handler)(struct pr_device *prdev, u32 status));
void pr_irq_suspend(struct pr_irq *pi);
void pr_irq_resume(struct pr_irq *pi, u32 mask);

/* ---- firmware interface layout (the MCU's shared section) ------------ */

#define PR_MCU_SHARED_VA	0x04000000u	/* CSF_MCU_SHARED_REGION_START */
#define PR_MCU_SHARED_SIZE	0x04000000u
#define PR_FW_CSG_CTRL_OFFSET	0x1000u
#define PR_FW_CS_CTRL_OFFSET	0x40u
#define PR_FW_MIN_CSGS		3
#define PR_FW_MAX_CSGS		31
#define PR_FW_MIN_CS_PER_CSG	8
#define PR_FW_MAX_CS_PER_CSG	32
#define PR_FW_UNPRESERVED_REGS	4
#define PR_FW_MAX_CSG_PRIO	0xf

struct pr_glb_control {
	u32 version;
	u32 features;
	u32 input_va;
	u32 output_va;
	u32 group_num;
	u32 group_stride;
	u32 perfcnt_size;
	u32 instr_features;
};

#define PR_GLB_HALT		BIT(0)
#define PR_GLB_CFG_PROGRESS	BIT(1)
#define PR_GLB_CFG_ALLOC_EN	BIT(2)
#define PR_GLB_CFG_POWEROFF	BIT(3)
#define PR_GLB_PING		BIT(8)
#define PR_GLB_IDLE_EN		BIT(10)
#define PR_GLB_IDLE		BIT(26)
#define PR_GLB_TIMER_VAL(x)	((x) & GENMASK(30, 0))
#define PR_GLB_TIMER_GPU_COUNTER BIT(31)

struct pr_glb_input {
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

struct pr_glb_output {
	u32 ack;
	u32 rsvd0;
	u32 doorbell_ack;
	u32 rsvd1;
	u32 halt_status;
	u32 perfcnt_status;
	u32 perfcnt_insert;
};

struct pr_csg_control {
	u32 features;
	u32 input_va;
	u32 output_va;
	u32 suspend_size;
	u32 protm_suspend_size;
	u32 stream_num;
	u32 stream_stride;
};

struct pr_csg_input {
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

struct pr_csg_output {
	u32 ack;
	u32 rsvd0;
	u32 doorbell_ack;
	u32 cs_irq_req;
	u32 status_endpoint_current;
	u32 status_endpoint_req;
	u32 status_state;
	u32 resource_dep;
};

struct pr_cs_control {
	u32 features;
	u32 input_va;
	u32 output_va;
};

#define PR_CS_FEAT_WORK_REGS(x)		(((x) & 0xff) + 1)
#define PR_CS_FEAT_SCOREBOARDS(x)	(((x) >> 8) & 0xff)

struct pr_cs_input {
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

struct pr_cs_output {
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

struct pr_fw_cs {
	struct pr_cs_control *control;
	struct pr_cs_input *input;
	const struct pr_cs_output *output;
};

struct pr_fw_csg {
	const struct pr_csg_control *control;
	struct pr_csg_input *input;
	const struct pr_csg_output *output;
	struct pr_fw_cs cs[PR_FW_MAX_CS_PER_CSG];
};

/* ---- GEM (gem.c) -------------------------------------------------------- */

struct pr_bo {
	struct drm_gem_shmem_object base;
	u32 flags;			/* DRM_PANTHOR_BO_* */
	struct drm_gem_object *exclusive_vm_root;
	struct mutex gpuva_lock;	/* the GEM's gpuva list */
};

static inline struct pr_bo *to_pr_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct pr_bo, base);
}

/* A BO the driver owns, mapped into a VM at a fixed or automatic VA. */
struct pr_kbo {
	struct drm_gem_object *obj;
	struct pr_vm *vm;
	struct drm_mm_node va_node;
	void *kmap;
	struct iosys_map map;
};

#define PR_VM_KERNEL_AUTO_VA	(~0ull)

struct drm_gem_object *pr_gem_create_object(struct drm_device *ddev, size_t size);
int pr_gem_create_with_handle(struct drm_file *file, struct drm_device *ddev,
			      struct pr_vm *exclusive_vm, u64 *size, u32 flags,
			      u32 *handle);
struct pr_kbo *pr_kbo_create(struct pr_device *prdev, struct pr_vm *vm,
			     size_t size, u32 bo_flags, u32 map_flags, u64 va);
int pr_kbo_vmap(struct pr_kbo *kbo);
void pr_kbo_destroy(struct pr_kbo *kbo);

static inline u64 pr_kbo_va(const struct pr_kbo *kbo)
{
	return kbo->va_node.start;
}

static inline size_t pr_kbo_size(const struct pr_kbo *kbo)
{
	return kbo->obj->size;
}

/* ---- MMU and VMs (mmu.c) ------------------------------------------------ */

struct pr_vm_op_ctx;

struct pr_vm {
	struct drm_gpuvm base;
	struct pr_device *prdev;
	bool for_mcu;
	bool destroyed;
	bool unusable;
	bool unhandled_fault;
	struct io_pgtable_ops *pgtbl;
	u64 memattr;
	u64 user_va_range;	/* user VAs are [0, user_va_range) */

	/* op_lock serialises map/unmap; op_ctx is the one in progress. */
	struct mutex op_lock;
	struct pr_vm_op_ctx *op_ctx;

	/* Kernel-managed VA (firmware sections, later heap chunks). */
	struct mutex mm_lock;
	struct drm_mm mm;
	u64 auto_va_start, auto_va_end;

	/* Address space slot: id, users, place in the LRU of idle VMs. */
	int as_id;
	refcount_t as_active;
	struct list_head as_lru;

	/* Asynchronous VM_BIND queue. */
	struct drm_gpu_scheduler sched;
	struct drm_sched_entity entity;
	struct list_head node;	/* prdev->mmu.vms */
};

struct pr_vm_pool {
	struct xarray xa;
};

struct pr_mmu {
	struct pr_irq irq;
	struct mutex slots_lock;	/* the AS slots below */
	struct pr_vm *slots[PR_MAX_AS];
	unsigned long alloc_mask;
	unsigned long faulty_mask;
	struct list_head lru;		/* idle VMs that still hold a slot */
	struct mutex vms_lock;
	struct list_head vms;
	struct workqueue_struct *bind_wq;
};

int pr_mmu_pt_cache_init(void);
void pr_mmu_pt_cache_fini(void);
int pr_mmu_init(struct pr_device *prdev);
void pr_mmu_unplug(struct pr_device *prdev);
void pr_mmu_suspend(struct pr_device *prdev);
void pr_mmu_resume(struct pr_device *prdev);
void pr_mmu_pre_reset(struct pr_device *prdev);
void pr_mmu_post_reset(struct pr_device *prdev);

struct pr_vm *pr_vm_create(struct pr_device *prdev, bool for_mcu,
			   u64 kva_start, u64 kva_size,
			   u64 auto_va_start, u64 auto_va_size);
struct pr_vm *pr_vm_get(struct pr_vm *vm);
void pr_vm_put(struct pr_vm *vm);
int pr_vm_active(struct pr_vm *vm);
void pr_vm_idle(struct pr_vm *vm);
int pr_vm_flush_all(struct pr_vm *vm);
u32 pr_vm_page_size(struct pr_vm *vm);
struct drm_gem_object *pr_vm_root_gem(struct pr_vm *vm);
int pr_vm_alloc_va(struct pr_vm *vm, u64 va, u64 size, struct drm_mm_node *node);
void pr_vm_free_va(struct pr_vm *vm, struct drm_mm_node *node);
int pr_vm_map_bo_range(struct pr_vm *vm, struct pr_bo *bo, u64 offset,
		       u64 size, u64 va, u32 flags);
int pr_vm_unmap_range(struct pr_vm *vm, u64 va, u64 size);

int pr_vm_pool_create(struct pr_vm_pool **pool);
void pr_vm_pool_destroy(struct pr_vm_pool *pool);
int pr_vm_pool_create_vm(struct pr_device *prdev, struct pr_vm_pool *pool,
			 struct drm_panthor_vm_create *args);
int pr_vm_pool_destroy_vm(struct pr_vm_pool *pool, u32 id);
struct pr_vm *pr_vm_pool_get_vm(struct pr_vm_pool *pool, u32 id);

int pr_vm_bind_exec_sync_op(struct drm_file *file, struct pr_vm *vm,
			    const struct drm_panthor_vm_bind_op *op);
struct drm_sched_job *pr_vm_bind_job_create(struct drm_file *file,
					    struct pr_vm *vm,
					    const struct drm_panthor_vm_bind_op *op);
int pr_vm_bind_job_prepare_resvs(struct drm_exec *exec,
				 struct drm_sched_job *job);
void pr_vm_bind_job_update_resvs(struct drm_exec *exec,
				 struct drm_sched_job *job);
void pr_vm_bind_job_put(struct drm_sched_job *job);

/* ---- GPU control (gpu.c) ------------------------------------------------ */

int pr_gpu_init(struct pr_device *prdev);
void pr_gpu_unplug(struct pr_device *prdev);
int pr_gpu_soft_reset(struct pr_device *prdev);
int pr_gpu_l2_power_on(struct pr_device *prdev);
int pr_gpu_l2_power_off(struct pr_device *prdev);
int pr_gpu_flush_caches(struct pr_device *prdev, u32 l2, u32 lsc, u32 other);
void pr_gpu_suspend(struct pr_device *prdev);
void pr_gpu_resume(struct pr_device *prdev);

/* ---- firmware (fw.c) ---------------------------------------------------- */

struct pr_fw_mem_section {
	struct list_head node;
	struct pr_kbo *mem;
	u32 flags;
	const void *data;	/* copy of the image bytes, for reloads */
	size_t data_size;
	char *name;
};

struct pr_fw {
	struct pr_irq irq;
	struct pr_vm *vm;
	struct list_head sections;
	struct pr_fw_mem_section *shared;
	wait_queue_head_t req_wq;
	bool booted;
	bool fast_reset;
	struct delayed_work ping_work;
	const struct pr_glb_control *glb_control;
	struct pr_glb_input *glb_input;
	const struct pr_glb_output *glb_output;
	spinlock_t glb_lock;	/* glb_input->req */
	u32 csg_num;
	struct pr_fw_csg *csgs;
};

int pr_fw_init(struct pr_device *prdev);
void pr_fw_unplug(struct pr_device *prdev);
void pr_fw_suspend(struct pr_device *prdev);
void pr_fw_pre_reset(struct pr_device *prdev);
int pr_fw_resume(struct pr_device *prdev);

/* ---- devfreq (devfreq.c) ------------------------------------------------ */

int pr_devfreq_init(struct pr_device *prdev);
int pr_devfreq_suspend(struct pr_device *prdev);
int pr_devfreq_resume(struct pr_device *prdev);

/* ---- the device (device.c) ---------------------------------------------- */

enum pr_pm_state {
	PR_PM_SUSPENDED,
	PR_PM_RESUMING,
	PR_PM_ACTIVE,
	PR_PM_SUSPENDING,
};

struct pr_device {
	struct drm_device base;
	void __iomem *iomem;
	bool coherent;
	struct clk *clk;
	struct pr_devfreq *devfreq;

	struct drm_panthor_gpu_info gpu_info;
	struct drm_panthor_csif_info csif_info;

	/* gpu.c */
	struct pr_irq gpu_irq;
	spinlock_t reqs_lock;		/* pending_reqs */
	u32 pending_reqs;
	wait_queue_head_t reqs_wq;
	struct mutex flush_lock;

	struct pr_mmu mmu;
	struct pr_fw fw;

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

static inline struct pr_device *to_pr_device(struct drm_device *ddev)
{
	return container_of(ddev, struct pr_device, base);
}

struct pr_file {
	struct pr_device *prdev;
	struct pr_vm_pool *vms;
};

int pr_device_init(struct pr_device *prdev);
void pr_device_unplug(struct pr_device *prdev);
int pr_device_runtime_suspend(struct device *dev);
int pr_device_runtime_resume(struct device *dev);
int pr_device_mmap_io(struct pr_device *prdev, struct vm_area_struct *vma);
void pr_device_schedule_reset(struct pr_device *prdev);
void pr_debugfs_init(struct drm_minor *minor);

static inline void pr_write(struct pr_device *prdev, u32 reg, u32 val)
{
	writel(val, prdev->iomem + reg);
}

static inline u32 pr_read(struct pr_device *prdev, u32 reg)
{
	return readl(prdev->iomem + reg);
}

static inline u64 pr_read64(struct pr_device *prdev, u32 reg)
{
	return pr_read(prdev, reg) | ((u64)pr_read(prdev, reg + 4) << 32);
}

extern struct workqueue_struct *pr_cleanup_wq;

#endif
