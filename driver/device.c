// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: device bring-up, interrupt lines, runtime PM and unplug.
 *
 * Order of bring-up as in Panthor 6.12 (panthor_device_init): clocks,
 * devfreq, registers, runtime PM on, GPU block, MMU, firmware, then the
 * DRM device is registered and the GPU may autosuspend after 50 ms.
 *
 * Shape shared with Panthor: the bring-up order, the threaded interrupt
 * lines that mask themselves in the hard handler, and the USER_FLUSH_ID
 * mmap (a fault handler that inserts the register page while the GPU is
 * active and a dummy page while it is suspended) are Panthor's design
 * (panthor_device.c, GPL-2.0 or MIT, Copyright 2018 Marty E. Plummer,
 * 2019 Linaro, 2023 Collabora ltd.); the code is written for panref.
 */
#include <linux/clk.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>

#include <linux/debugfs.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_managed.h>

#include "panref.h"

/* ---- interrupt lines ----------------------------------------------------- */

/*
 * The hard handler only masks the block; the thread reads RAWSTAT, clears
 * what it handles and restores the mask, so a level line that is still
 * pending fires again.
 */
static irqreturn_t panref_irq_hard(int irq, void *data)
{
	struct panref_irq *pi = data;
	struct panref_device *prdev = pi->prdev;

	if (atomic_read(&pi->suspended))
		return IRQ_NONE;
	if (!panref_read(prdev, pi->base + PANREF_INT_STAT))
		return IRQ_NONE;
	panref_write(prdev, pi->base + PANREF_INT_MASK, 0);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t panref_irq_thread(int irq, void *data)
{
	struct panref_irq *pi = data;
	struct panref_device *prdev = pi->prdev;
	irqreturn_t ret = IRQ_NONE;

	CLASS(panref_kcov, kc)(prdev);

	for (;;) {
		u32 status = panref_read(prdev, pi->base + PANREF_INT_RAWSTAT) &
			     READ_ONCE(pi->mask);

		if (!status)
			break;
		panref_write(prdev, pi->base + PANREF_INT_CLEAR, status);
		pi->handler(prdev, status);
		ret = IRQ_HANDLED;
	}
	if (!atomic_read(&pi->suspended))
		panref_write(prdev, pi->base + PANREF_INT_MASK, READ_ONCE(pi->mask));
	return ret;
}

int panref_irq_request(struct panref_device *prdev, struct panref_irq *pi, const char *name,
		   u32 base, u32 mask,
		   void (*handler)(struct panref_device *prdev, u32 status))
{
	struct platform_device *pdev = to_platform_device(prdev->base.dev);
	char *label;
	int irq;

	irq = platform_get_irq_byname(pdev, name);
	if (irq < 0)
		return irq;
	label = devm_kasprintf(prdev->base.dev, GFP_KERNEL, "panref-%s", name);
	if (!label)
		return -ENOMEM;

	pi->prdev = prdev;
	pi->irq = irq;
	pi->base = base;
	pi->mask = mask;
	pi->handler = handler;
	atomic_set(&pi->suspended, 0);
	panref_write(prdev, base + PANREF_INT_CLEAR, ~0u);
	panref_write(prdev, base + PANREF_INT_MASK, mask);
	return devm_request_threaded_irq(prdev->base.dev, irq, panref_irq_hard,
					 panref_irq_thread, IRQF_SHARED, label, pi);
}

void panref_irq_suspend(struct panref_irq *pi)
{
	atomic_set(&pi->suspended, 1);
	panref_write(pi->prdev, pi->base + PANREF_INT_MASK, 0);
	synchronize_irq(pi->irq);
}

void panref_irq_resume(struct panref_irq *pi, u32 mask)
{
	WRITE_ONCE(pi->mask, mask);
	atomic_set(&pi->suspended, 0);
	panref_write(pi->prdev, pi->base + PANREF_INT_CLEAR, mask);
	panref_write(pi->prdev, pi->base + PANREF_INT_MASK, mask);
}

/* ---- the user MMIO window ---------------------------------------------------- */

/*
 * USER_FLUSH_ID: one read-only page. While the GPU is active it is the
 * LATEST_FLUSH_ID register page; while suspended a dummy page, so reads
 * never wake the GPU. PM transitions zap the mapping (Panthor 6.12 does the
 * same in panthor_device_{suspend,resume}).
 */
static vm_fault_t panref_mmio_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct panref_device *prdev = vma->vm_private_data;
	u64 offset = (u64)vma->vm_pgoff << PAGE_SHIFT;
	pgprot_t prot = vma->vm_page_prot;
	unsigned long pfn;
	vm_fault_t ret;
	bool active;
	int cookie;

	if (offset != DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET)
		return VM_FAULT_SIGBUS;
	if (!drm_dev_enter(&prdev->base, &cookie))
		return VM_FAULT_SIGBUS;
	mutex_lock(&prdev->mmio_lock);
	active = atomic_read(&prdev->pm_state) == PANREF_PM_ACTIVE;
	if (active) {
		pfn = __phys_to_pfn(prdev->phys_addr + PANREF_LATEST_FLUSH_ID);
		prot = pgprot_noncached(prot);
	} else {
		pfn = page_to_pfn(prdev->dummy_flush_id);
	}
	ret = vmf_insert_pfn_prot(vma, vmf->address, pfn, prot);
	mutex_unlock(&prdev->mmio_lock);
	drm_dev_exit(cookie);
	return ret;
}

static const struct vm_operations_struct panref_mmio_vm_ops = {
	.fault = panref_mmio_fault,
};

/* Shared, one page, neither writable nor executable; otherwise EINVAL. */
int panref_device_mmap_io(struct panref_device *prdev, struct vm_area_struct *vma)
{
	u64 offset = (u64)vma->vm_pgoff << PAGE_SHIFT;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (offset != DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET)
		return -EINVAL;
	if (vma->vm_end - vma->vm_start != PAGE_SIZE ||
	    (vma->vm_flags & (VM_WRITE | VM_EXEC)))
		return -EINVAL;
	vm_flags_clear(vma, VM_MAYWRITE);
	vma->vm_private_data = prdev;
	vma->vm_ops = &panref_mmio_vm_ops;
	vm_flags_set(vma, VM_IO | VM_DONTCOPY | VM_DONTEXPAND | VM_NORESERVE |
		     VM_DONTDUMP | VM_PFNMAP);
	return 0;
}

static void panref_set_pm_state(struct panref_device *prdev, enum panref_pm_state state)
{
	mutex_lock(&prdev->mmio_lock);
	atomic_set(&prdev->pm_state, state);
	unmap_mapping_range(prdev->base.anon_inode->i_mapping,
			    DRM_PANTHOR_USER_MMIO_OFFSET, 0, 1);
	mutex_unlock(&prdev->mmio_lock);
}

static void panref_free_page(struct drm_device *ddev, void *page)
{
	__free_page(page);
}

/* ---- reset ------------------------------------------------------------------ */

static void panref_device_shutdown(struct panref_device *prdev, bool from_reset);

/*
 * A hang (ping timeout, stuck AS, cache flush timeout): stop the MCU and
 * the MMU line, soft-reset the GPU, power the L2, then reload and restart
 * the firmware. Queued only while the GPU is active; a reset asked for
 * while suspending runs after the next resume (Panthor 6.12 likewise).
 */
void panref_device_schedule_reset(struct panref_device *prdev)
{
	if (!atomic_cmpxchg(&prdev->reset_pending, 0, 1) &&
	    atomic_read(&prdev->pm_state) == PANREF_PM_ACTIVE)
		queue_work(system_unbound_wq, &prdev->reset_work);
}

/*
 * A reset is pending and the caller holds the GPU active (the tick): queue
 * it again. The reset work gives up when the GPU is not active, and the
 * runtime resume that queues it comes before the PM core calls the GPU
 * active, so a reset queued from there can find it still resuming, give up
 * and stay pending with nothing left to queue it: the tick, which does not
 * run while a reset is pending, would then never run again.
 */
void panref_device_kick_reset(struct panref_device *prdev)
{
	if (atomic_read(&prdev->reset_pending))
		queue_work(system_unbound_wq, &prdev->reset_work);
}

static void panref_device_reset_work(struct work_struct *work)
{
	struct panref_device *prdev = container_of(work, struct panref_device, reset_work);
	struct device *dev = prdev->base.dev;
	int ret, cookie;

	CLASS(panref_kcov, kc)(prdev);

	/*
	 * Nothing pending: an earlier run of this work did the reset. The
	 * tick queues the work again when it finds a reset pending
	 * (panref_device_kick_reset()), which it can while the work runs;
	 * without this the GPU was reset a second time, failing what the
	 * innocent groups had started since (tests/vm/guest/recover.sh).
	 */
	if (!atomic_read(&prdev->reset_pending))
		return;

	/*
	 * The GPU stays active for the whole reset. Without this reference a
	 * runtime suspend could start meanwhile and wait for this work
	 * (cancel_work_sync()), the tick could wait in
	 * pm_runtime_resume_and_get() for that suspend, and this work waits
	 * for the tick in panref_sched_pre_reset(): the three hang (seen in
	 * the soak; tests/vm/guest/recover.sh reset_races_autosuspend). If
	 * the GPU is not active, a suspend is under way or done: the reset
	 * stays pending and the next runtime resume queues it again.
	 */
	if (pm_runtime_get_if_active(dev) <= 0)
		return;
	if (!drm_dev_enter(&prdev->base, &cookie)) {
		pm_runtime_put_noidle(dev);
		return;
	}
#ifdef PANREF_TEST
	if (READ_ONCE(prdev->test_reset_delay_ms))
		msleep(READ_ONCE(prdev->test_reset_delay_ms));
#endif
	drm_info(&prdev->base, "resetting the GPU");
	panref_sched_pre_reset(prdev);
	panref_fw_pre_reset(prdev);
	panref_mmu_pre_reset(prdev);
	panref_gpu_soft_reset(prdev);
	panref_gpu_l2_power_on(prdev);
	panref_mmu_post_reset(prdev);
	ret = panref_fw_resume(prdev);
	atomic_set(&prdev->reset_pending, 0);
	if (!ret)
		panref_sched_post_reset(prdev);
	drm_dev_exit(cookie);
	/*
	 * The firmware did not come back: the device is unplugged as Panthor
	 * 6.12 does it, so every job in flight or queued fails (its fence
	 * signals with an error) and every later ioctl gets ENODEV. Leaving
	 * the scheduler stopped instead took jobs whose fences never signal.
	 */
	if (ret) {
		drm_err(&prdev->base, "GPU reset failed (%d): the device is unusable, rebind it",
			ret);
		panref_device_shutdown(prdev, true);
	}
	pm_runtime_mark_last_busy(dev);
	pm_runtime_put_autosuspend(dev);
}

#ifdef PANREF_TEST
/* debugfs "reset" (test only): writing 1 asks for a reset as a hang would. */
static ssize_t panref_debugfs_reset_write(struct file *f, const char __user *ubuf,
				      size_t len, loff_t *pos)
{
	struct panref_device *prdev = file_inode(f)->i_private;
	bool v;
	int ret;

	ret = kstrtobool_from_user(ubuf, len, &v);
	if (ret)
		return ret;
	if (v)
		panref_device_schedule_reset(prdev);
	return len;
}

static const struct file_operations panref_debugfs_reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = panref_debugfs_reset_write,
	.llseek = noop_llseek,
};

void panref_debugfs_init(struct drm_minor *minor)
{
	struct panref_device *prdev = to_pr_device(minor->dev);

	debugfs_create_file("reset", 0200, minor->debugfs_root, prdev,
			    &panref_debugfs_reset_fops);
	debugfs_create_u32("reset_delay_ms", 0600, minor->debugfs_root,
			   &prdev->test_reset_delay_ms);
	debugfs_create_atomic_t("groups", 0400, minor->debugfs_root, &prdev->test_groups);
}
#endif /* PANREF_TEST */

/* ---- runtime PM ----------------------------------------------------------- */

int panref_device_runtime_resume(struct device *dev)
{
	struct panref_device *prdev = dev_get_drvdata(dev);
	int ret, cookie;

	if (atomic_read(&prdev->pm_state) != PANREF_PM_SUSPENDED)
		return -EINVAL;
	atomic_set(&prdev->pm_state, PANREF_PM_RESUMING);

	ret = clk_prepare_enable(prdev->clk);
	if (ret)
		goto err_suspended;
	ret = panref_devfreq_resume(prdev);
	if (ret)
		goto err_clk;

	if (prdev->initialized && drm_dev_enter(&prdev->base, &cookie)) {
		panref_gpu_resume(prdev);
		panref_mmu_resume(prdev);
		ret = panref_fw_resume(prdev);
		if (ret) {
			drm_err(&prdev->base, "firmware resume failed: %d", ret);
			panref_mmu_suspend(prdev);
			panref_gpu_suspend(prdev);
		}
		drm_dev_exit(cookie);
		if (ret)
			goto err_devfreq;
	}

	panref_set_pm_state(prdev, PANREF_PM_ACTIVE);
	if (atomic_read(&prdev->reset_pending))
		queue_work(system_unbound_wq, &prdev->reset_work);
	return 0;

err_devfreq:
	panref_devfreq_suspend(prdev);
err_clk:
	clk_disable_unprepare(prdev->clk);
err_suspended:
	atomic_set(&prdev->pm_state, PANREF_PM_SUSPENDED);
	return ret;
}

/* Suspend halts the MCU, releases the AS slots and soft-resets the GPU. */
int panref_device_runtime_suspend(struct device *dev)
{
	struct panref_device *prdev = dev_get_drvdata(dev);
	int ret, cookie;

	if (atomic_read(&prdev->pm_state) != PANREF_PM_ACTIVE)
		return -EINVAL;
	panref_set_pm_state(prdev, PANREF_PM_SUSPENDING);

	if (prdev->initialized && drm_dev_enter(&prdev->base, &cookie)) {
		cancel_work_sync(&prdev->reset_work);
		panref_fw_suspend(prdev);
		panref_mmu_suspend(prdev);
		panref_gpu_suspend(prdev);
		drm_dev_exit(cookie);
	}

	ret = panref_devfreq_suspend(prdev);
	if (ret) {
		if (prdev->initialized && drm_dev_enter(&prdev->base, &cookie)) {
			panref_gpu_resume(prdev);
			panref_mmu_resume(prdev);
			if (panref_fw_resume(prdev))
				drm_err(&prdev->base, "firmware restart failed");
			drm_dev_exit(cookie);
		}
		panref_set_pm_state(prdev, PANREF_PM_ACTIVE);
		/* A reset the suspend cancelled, or the reset work gave up on. */
		if (atomic_read(&prdev->reset_pending))
			queue_work(system_unbound_wq, &prdev->reset_work);
		return ret;
	}

	clk_disable_unprepare(prdev->clk);
	atomic_set(&prdev->pm_state, PANREF_PM_SUSPENDED);
	return 0;
}

/* ---- bring-up and unplug -------------------------------------------------- */

int panref_device_init(struct panref_device *prdev)
{
	struct device *dev = prdev->base.dev;
	struct resource *res;
	int ret;

	prdev->coherent = device_get_dma_attr(dev) == DEV_DMA_COHERENT;
	atomic_set(&prdev->pm_state, PANREF_PM_SUSPENDED);
	INIT_WORK(&prdev->reset_work, panref_device_reset_work);
	init_completion(&prdev->unplug_done);
	ret = drmm_mutex_init(&prdev->base, &prdev->unplug_lock);
	if (ret)
		return ret;
	ret = drmm_mutex_init(&prdev->base, &prdev->mmio_lock);
	if (ret)
		return ret;
	prdev->dummy_flush_id = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!prdev->dummy_flush_id)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(&prdev->base, panref_free_page, prdev->dummy_flush_id);
	if (ret)
		return ret;
	/* Like the hardware after reset: flush ID 1 (Panthor 6.12 too). */
	*(u32 *)page_address(prdev->dummy_flush_id) = 1;

	/* Panthor 6.12 takes the first clock as "core"; so does panref. */
	prdev->clk = devm_clk_get(dev, NULL);
	if (IS_ERR(prdev->clk))
		return dev_err_probe(dev, PTR_ERR(prdev->clk), "no core clock\n");

	ret = panref_devfreq_init(prdev);
	if (ret)
		return ret;

	prdev->iomem = devm_platform_get_and_ioremap_resource(to_platform_device(dev),
							      0, &res);
	if (IS_ERR(prdev->iomem))
		return PTR_ERR(prdev->iomem);
	prdev->phys_addr = res->start;

	ret = devm_pm_runtime_enable(dev);
	if (ret)
		return ret;
	ret = pm_runtime_resume_and_get(dev);
	if (ret)
		return ret;

	ret = panref_gpu_init(prdev);
	if (ret)
		goto err_rpm_put;
	ret = panref_mmu_init(prdev);
	if (ret)
		goto err_gpu;
	ret = panref_fw_init(prdev);
	if (ret)
		goto err_mmu;
	ret = panref_sched_init(prdev);
	if (ret)
		goto err_fw;

	prdev->initialized = true;
	pm_runtime_set_autosuspend_delay(dev, 50);
	pm_runtime_use_autosuspend(dev);

	ret = drm_dev_register(&prdev->base, 0);
	if (ret)
		goto err_autosuspend;

	pm_runtime_put_autosuspend(dev);
	return 0;

err_autosuspend:
	pm_runtime_dont_use_autosuspend(dev);
	prdev->initialized = false;
err_fw:
	panref_fw_unplug(prdev);
err_mmu:
	panref_mmu_unplug(prdev);
err_gpu:
	panref_gpu_unplug(prdev);
err_rpm_put:
	cancel_work_sync(&prdev->reset_work);
	pm_runtime_put_sync_suspend(dev);
	return ret;
}

/*
 * The device becomes unusable: the platform device goes away (unbind,
 * rmmod) or a GPU reset failed (@from_reset, called by the reset work).
 * Userspace may still hold the DRM device open. drm_dev_unplug() makes
 * every drm_dev_enter() fail from now on, so no ioctl touches the
 * hardware after the blocks below have been shut down.
 *
 * The first caller does the work. A remove that comes second waits for it
 * and then for the reset work; the reset work never waits (a remove that
 * came first is waiting for it in cancel_work_sync()).
 */
static void panref_device_shutdown(struct panref_device *prdev, bool from_reset)
{
	struct device *dev = prdev->base.dev;

	mutex_lock(&prdev->unplug_lock);
	if (prdev->unplugged) {
		mutex_unlock(&prdev->unplug_lock);
		if (!from_reset) {
			wait_for_completion(&prdev->unplug_done);
			cancel_work_sync(&prdev->reset_work);
		}
		return;
	}
	prdev->unplugged = true;
	mutex_unlock(&prdev->unplug_lock);

	drm_dev_unplug(&prdev->base);
	if (!from_reset)
		cancel_work_sync(&prdev->reset_work);

	/* The blocks are shut down with the GPU powered. */
	pm_runtime_get_sync(dev);
	panref_sched_unplug(prdev);
	panref_fw_unplug(prdev);
	panref_mmu_unplug(prdev);
	panref_gpu_unplug(prdev);
	pm_runtime_dont_use_autosuspend(dev);
	pm_runtime_put_sync_suspend(dev);
	/*
	 * The runtime resume above queues a pending reset again; it finds
	 * the device unplugged, but must not run after the device is gone.
	 */
	if (!from_reset)
		cancel_work_sync(&prdev->reset_work);
	complete_all(&prdev->unplug_done);
}

void panref_device_unplug(struct panref_device *prdev)
{
	panref_device_shutdown(prdev, false);
}
