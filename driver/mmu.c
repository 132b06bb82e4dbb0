// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: the GPU MMU block - address space (AS) slots and their commands
 * (LOCK, FLUSH_PT, UPDATE), which VM holds which slot, MMU faults and the
 * mmu interrupt line, suspend and reset. The VMs themselves (page tables,
 * drm_gpuvm, VM_BIND) are vm.c's.
 *
 * AS0 belongs to the MCU; the others are given to active VMs, and idle VMs
 * keep theirs on an LRU until it is needed. Fault handling and error codes
 * follow Panthor 6.12 (panthor_mmu.c); handing out AS slots with an LRU of
 * idle VMs matches Panthor's panthor_mmu.c (GPL-2.0 or MIT, Copyright 2019
 * Linaro, 2023 Collabora ltd.); the code is written for panref.
 */
#include <linux/iopoll.h>
#include <linux/kmemleak.h>
#include <linux/kref.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sizes.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "panref.h"

#define PANREF_AS_TIMEOUT_US	100000

/* ---- AS slot hardware ----------------------------------------------------- */

static int panref_as_wait_ready(struct panref_device *prdev, u32 as)
{
	u32 val;
	int ret;

	ret = readl_relaxed_poll_timeout_atomic(prdev->iomem + PANREF_AS_STATUS(as), val,
						!(val & PANREF_AS_STATUS_ACTIVE), 10,
						PANREF_AS_TIMEOUT_US);
	if (ret) {
		drm_err(&prdev->base, "AS%u stays active, scheduling a reset", as);
		panref_device_schedule_reset(prdev);
	}
	return ret;
}

static int panref_as_cmd(struct panref_device *prdev, u32 as, u32 cmd)
{
	int ret = panref_as_wait_ready(prdev, as);

	if (!ret)
		panref_write(prdev, PANREF_AS_COMMAND(as), cmd);
	return ret;
}

/*
 * LOCKADDR holds a naturally aligned power-of-two region: the base with
 * log2(size) - 1 in the low bits. The smallest such region covering
 * [start, start + size) is set by the highest bit where start and the
 * last byte differ; the hardware minimum is 32 KiB.
 */
static void panref_as_lock(struct panref_device *prdev, u32 as, u64 start, u64 size)
{
	u64 last = start + size - 1;
	u32 width = max_t(u32, fls64(start ^ last), PANREF_AS_LOCK_MIN_SHIFT) - 1;
	u64 region = (start & GENMASK_ULL(63, width)) | width;

	panref_write(prdev, PANREF_AS_LOCKADDR_LO(as), lower_32_bits(region));
	panref_write(prdev, PANREF_AS_LOCKADDR_HI(as), upper_32_bits(region));
	panref_as_cmd(prdev, as, PANREF_AS_CMD_LOCK);
}

static int panref_as_op_locked(struct panref_device *prdev, int as, u64 va, u64 size,
			   u32 op)
{
	lockdep_assert_held(&prdev->mmu.slots_lock);
	if (as < 0 || !size)
		return 0;
	if (op != PANREF_AS_CMD_UNLOCK)
		panref_as_lock(prdev, as, va, size);
	panref_as_cmd(prdev, as, op);
	return panref_as_wait_ready(prdev, as);
}

static int panref_as_enable(struct panref_device *prdev, u32 as, u64 transtab,
			u64 transcfg, u64 memattr)
{
	int ret = panref_as_op_locked(prdev, as, 0, ~0ull, PANREF_AS_CMD_FLUSH_MEM);

	if (ret)
		return ret;
	panref_write(prdev, PANREF_AS_TRANSTAB_LO(as), lower_32_bits(transtab));
	panref_write(prdev, PANREF_AS_TRANSTAB_HI(as), upper_32_bits(transtab));
	panref_write(prdev, PANREF_AS_MEMATTR_LO(as), lower_32_bits(memattr));
	panref_write(prdev, PANREF_AS_MEMATTR_HI(as), upper_32_bits(memattr));
	panref_write(prdev, PANREF_AS_TRANSCFG_LO(as), lower_32_bits(transcfg));
	panref_write(prdev, PANREF_AS_TRANSCFG_HI(as), upper_32_bits(transcfg));
	return panref_as_cmd(prdev, as, PANREF_AS_CMD_UPDATE);
}

static int panref_as_disable(struct panref_device *prdev, u32 as)
{
	int ret = panref_as_op_locked(prdev, as, 0, ~0ull, PANREF_AS_CMD_FLUSH_MEM);

	if (ret)
		return ret;
	panref_write(prdev, PANREF_AS_TRANSTAB_LO(as), 0);
	panref_write(prdev, PANREF_AS_TRANSTAB_HI(as), 0);
	panref_write(prdev, PANREF_AS_MEMATTR_LO(as), 0);
	panref_write(prdev, PANREF_AS_MEMATTR_HI(as), 0);
	panref_write(prdev, PANREF_AS_TRANSCFG_LO(as), PANREF_AS_TRANSCFG_UNMAPPED);
	panref_write(prdev, PANREF_AS_TRANSCFG_HI(as), 0);
	return panref_as_cmd(prdev, as, PANREF_AS_CMD_UPDATE);
}

static void panref_vm_release_as_locked(struct panref_vm *vm)
{
	struct panref_mmu *mmu = &vm->prdev->mmu;

	lockdep_assert_held(&mmu->slots_lock);
	if (vm->as_id < 0)
		return;
	mmu->slots[vm->as_id] = NULL;
	clear_bit(vm->as_id, &mmu->alloc_mask);
	refcount_set(&vm->as_active, 0);
	list_del_init(&vm->as_lru);
	vm->as_id = -1;
}

/*
 * Give @vm an AS slot and program it (or just count one more user). A
 * free slot is taken first; otherwise the least recently idled VM loses
 * its slot.
 */
int panref_vm_active(struct panref_vm *vm)
{
	struct panref_device *prdev = vm->prdev;
	struct panref_mmu *mmu = &prdev->mmu;
	struct io_pgtable_cfg *cfg = &io_pgtable_ops_to_pgtable(vm->pgtbl)->cfg;
	u32 va_bits = PANREF_MMU_VA_BITS(prdev->gpu_info.mmu_features);
	u64 transcfg;
	int ret = 0, as, cookie;

	if (!drm_dev_enter(&prdev->base, &cookie))
		return -ENODEV;
	if (refcount_inc_not_zero(&vm->as_active))
		goto out_exit;

	mutex_lock(&mmu->slots_lock);
	if (refcount_inc_not_zero(&vm->as_active))
		goto out_unlock;

	as = vm->as_id;
	if (as >= 0 && !(mmu->faulty_mask & BIT(as)))
		goto out_active;

	if (as < 0) {
		if (vm->for_mcu)
			as = 0;
		else
			as = ffz(mmu->alloc_mask | BIT(0));
		if (!(BIT(as) & prdev->gpu_info.as_present) ||
		    (vm->for_mcu && test_bit(0, &mmu->alloc_mask))) {
			struct panref_vm *lru = list_first_entry_or_null(&mmu->lru, struct panref_vm,
								     as_lru);

			if (!lru || vm->for_mcu) {
				ret = -EBUSY;
				goto out_unlock;
			}
			as = lru->as_id;
			panref_vm_release_as_locked(lru);
		}
		vm->as_id = as;
		set_bit(as, &mmu->alloc_mask);
		mmu->slots[as] = vm;
	}

	/* A slot disabled by a fault is cleared and unmasked again. */
	vm->unhandled_fault = false;
	if (mmu->faulty_mask & BIT(as)) {
		panref_write(prdev, PANREF_MMU_INT_BASE + PANREF_INT_CLEAR, BIT(as));
		mmu->faulty_mask &= ~BIT(as);
		WRITE_ONCE(mmu->irq.mask, mmu->irq.mask | BIT(as));
		panref_write(prdev, PANREF_MMU_INT_BASE + PANREF_INT_MASK, mmu->irq.mask);
	}

	transcfg = PANREF_AS_TRANSCFG_PTW_MEMATTR_WB | PANREF_AS_TRANSCFG_PTW_RA |
		   PANREF_AS_TRANSCFG_AARCH64_4K | PANREF_AS_TRANSCFG_INA_BITS(55 - va_bits);
	if (prdev->coherent)
		transcfg |= PANREF_AS_TRANSCFG_PTW_SH_OS;
	ret = panref_as_enable(prdev, as, cfg->arm_lpae_s1_cfg.ttbr, transcfg,
			   vm->memattr);

out_active:
	if (!ret) {
		refcount_set(&vm->as_active, 1);
		list_del_init(&vm->as_lru);
	}
out_unlock:
	mutex_unlock(&mmu->slots_lock);
out_exit:
	drm_dev_exit(cookie);
	return ret;
}

/* The GPU is done with @vm: it keeps its slot until someone needs it. */
/* A VM goes away: its AS slot, if it has one, is disabled and freed. */
void panref_vm_drop_as(struct panref_vm *vm)
{
	struct panref_device *prdev = vm->prdev;
	int cookie;

	mutex_lock(&prdev->mmu.slots_lock);
	if (vm->as_id >= 0) {
		if (drm_dev_enter(&prdev->base, &cookie)) {
			panref_as_disable(prdev, vm->as_id);
			drm_dev_exit(cookie);
		}
		prdev->mmu.slots[vm->as_id] = NULL;
		clear_bit(vm->as_id, &prdev->mmu.alloc_mask);
		list_del(&vm->as_lru);
	}
	mutex_unlock(&prdev->mmu.slots_lock);
}

void panref_vm_idle(struct panref_vm *vm)
{
	struct panref_mmu *mmu = &vm->prdev->mmu;

	if (!refcount_dec_and_mutex_lock(&vm->as_active, &mmu->slots_lock))
		return;
	if (vm->as_id >= 0 && list_empty(&vm->as_lru))
		list_add_tail(&vm->as_lru, &mmu->lru);
	mutex_unlock(&mmu->slots_lock);
}

u32 panref_vm_page_size(struct panref_vm *vm)
{
	const struct io_pgtable *pgt = io_pgtable_ops_to_pgtable(vm->pgtbl);

	return 1u << __ffs(pgt->cfg.pgsize_bitmap);
}

int panref_vm_flush_range(struct panref_vm *vm, u64 va, u64 size)
{
	struct panref_device *prdev = vm->prdev;
	int ret = 0, cookie;

	if (vm->as_id < 0)
		return 0;
	/* Unplugged: nothing to flush any more. */
	if (!drm_dev_enter(&prdev->base, &cookie))
		return 0;
	mutex_lock(&prdev->mmu.slots_lock);
	ret = panref_as_op_locked(prdev, vm->as_id, va, size, PANREF_AS_CMD_FLUSH_PT);
	mutex_unlock(&prdev->mmu.slots_lock);
	drm_dev_exit(cookie);
	return ret;
}

int panref_vm_flush_all(struct panref_vm *vm)
{
	return panref_vm_flush_range(vm, vm->base.mm_start, vm->base.mm_range);
}

/* ---- the MMU block -------------------------------------------------------- */

static const char *const panref_access_names[] = { "ATOMIC", "EXECUTE", "READ", "WRITE" };

static const char *panref_mmu_exception_name(u32 type)
{
	switch (type) {
	case 0xc0 ... 0xc7:
		return "TRANSLATION_FAULT";
	case 0xc8 ... 0xcf:
		return "PERM_FAULT";
	case 0xd0 ... 0xd7:
		return "TRANSTAB_BUS_FAULT";
	case 0xd8 ... 0xdf:
		return "ACCESS_FLAG";
	case 0xe0 ... 0xe7:
		return "ADDR_SIZE_FAULT";
	case 0xe8 ... 0xef:
		return "MEM_ATTR_FAULT";
	default:
		return "UNKNOWN";
	}
}

/*
 * A GPU page fault: log it, mask the AS's line and disable the AS so the
 * jobs on it stop. Like Panthor 6.12 the VM is not marked unusable: it
 * reports VM_STATE_USABLE and gets its slot back on its next activation.
 */
static void panref_mmu_irq_handler(struct panref_device *prdev, u32 status)
{
	struct panref_mmu *mmu = &prdev->mmu;

	status &= GENMASK(15, 0);
	while (status) {
		u32 as = __ffs(status);
		u32 fs = panref_read(prdev, PANREF_AS_FAULTSTATUS(as));
		u64 addr = panref_read64(prdev, PANREF_AS_FAULTADDRESS_LO(as));

		mutex_lock(&mmu->slots_lock);
		mmu->faulty_mask |= BIT(as);
		WRITE_ONCE(mmu->irq.mask, ~mmu->faulty_mask & GENMASK(15, 0));
		panref_write(prdev, PANREF_MMU_INT_BASE + PANREF_INT_MASK, mmu->irq.mask);

		drm_err(&prdev->base,
			"Unhandled Page fault in AS%u at VA 0x%016llX\n"
			"raw fault status: 0x%X\n"
			"exception type 0x%X: %s\n"
			"access type 0x%X: %s\n"
			"source id 0x%X\n",
			as, addr, fs, fs & 0xff, panref_mmu_exception_name(fs & 0xff),
			PANREF_AS_FAULT_ACCESS(fs), panref_access_names[PANREF_AS_FAULT_ACCESS(fs)],
			fs >> 16);

		if (mmu->slots[as])
			mmu->slots[as]->unhandled_fault = true;
		panref_as_disable(prdev, as);
		mutex_unlock(&mmu->slots_lock);
		status &= ~BIT(as);
	}
}

static void panref_mmu_release_wq(struct drm_device *ddev, void *res)
{
	destroy_workqueue(res);
}

int panref_mmu_init(struct panref_device *prdev)
{
	struct panref_mmu *mmu = &prdev->mmu;
	int ret;

	ret = drmm_mutex_init(&prdev->base, &mmu->slots_lock);
	if (ret)
		return ret;
	ret = drmm_mutex_init(&prdev->base, &mmu->vms_lock);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&mmu->lru);
	INIT_LIST_HEAD(&mmu->vms);

	/* Outlives the platform device: open files keep VMs (and queues). */
	mmu->bind_wq = alloc_workqueue("panref-vm-bind", WQ_UNBOUND, 0);
	if (!mmu->bind_wq)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(&prdev->base, panref_mmu_release_wq, mmu->bind_wq);
	if (ret)
		return ret;

	return panref_irq_request(prdev, &mmu->irq, "mmu", PANREF_MMU_INT_BASE,
			      GENMASK(15, 0), panref_mmu_irq_handler);
}

static void panref_mmu_release_all_slots(struct panref_device *prdev)
{
	struct panref_mmu *mmu = &prdev->mmu;
	unsigned int i;

	mutex_lock(&mmu->slots_lock);
	for (i = 0; i < ARRAY_SIZE(mmu->slots); i++) {
		struct panref_vm *vm = mmu->slots[i];

		if (vm) {
			panref_as_disable(prdev, i);
			panref_vm_release_as_locked(vm);
		}
	}
	mutex_unlock(&mmu->slots_lock);
}

void panref_mmu_unplug(struct panref_device *prdev)
{
	panref_irq_suspend(&prdev->mmu.irq);
	panref_mmu_release_all_slots(prdev);
}

void panref_mmu_suspend(struct panref_device *prdev)
{
	panref_mmu_release_all_slots(prdev);
	panref_irq_suspend(&prdev->mmu.irq);
}

/*
 * Reset: the MMU line goes quiet and bind queues stop, so no operation
 * reaches the MMU while the GPU is down. The AS slots are not shut down
 * cleanly: the reset may come from a stuck AS.
 */
void panref_mmu_pre_reset(struct panref_device *prdev)
{
	struct panref_vm *vm;

	panref_irq_suspend(&prdev->mmu.irq);
	mutex_lock(&prdev->mmu.vms_lock);
	prdev->vm_reset_in_progress = true;
	list_for_each_entry(vm, &prdev->mmu.vms, node)
		drm_sched_stop(&vm->sched, NULL);
	mutex_unlock(&prdev->mmu.vms_lock);
}

/* After the reset no slot is programmed: forget them, restart the queues. */
void panref_mmu_post_reset(struct panref_device *prdev)
{
	struct panref_mmu *mmu = &prdev->mmu;
	struct panref_vm *vm;
	unsigned int i;

	mutex_lock(&mmu->slots_lock);
	mmu->alloc_mask = 0;
	mmu->faulty_mask = 0;
	for (i = 0; i < ARRAY_SIZE(mmu->slots); i++)
		if (mmu->slots[i])
			panref_vm_release_as_locked(mmu->slots[i]);
	mutex_unlock(&mmu->slots_lock);
	panref_irq_resume(&mmu->irq, GENMASK(15, 0));

	mutex_lock(&mmu->vms_lock);
	list_for_each_entry(vm, &mmu->vms, node)
		drm_sched_start(&vm->sched);
	prdev->vm_reset_in_progress = false;
	mutex_unlock(&mmu->vms_lock);
}

void panref_mmu_resume(struct panref_device *prdev)
{
	mutex_lock(&prdev->mmu.slots_lock);
	prdev->mmu.alloc_mask = 0;
	prdev->mmu.faulty_mask = 0;
	mutex_unlock(&prdev->mmu.slots_lock);
	panref_irq_resume(&prdev->mmu.irq, GENMASK(15, 0));
}
