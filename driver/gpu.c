// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: GPU control block - identification, soft reset, L2 power and
 * cache maintenance, and the "gpu" interrupt line.
 */
#include <linux/dma-mapping.h>
#include <linux/iopoll.h>
#include <linux/platform_device.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "panref.h"

/* What panref waits for through the gpu line (Panthor 6.12: same set). */
#define PANREF_GPU_IRQ_MASK	(PANREF_GPU_IRQ_FAULT | PANREF_GPU_IRQ_PROTM_FAULT | \
			 PANREF_GPU_IRQ_RESET_COMPLETED | PANREF_GPU_IRQ_CLEAN_CACHES_DONE)

#define PANREF_GPU_REQ_TIMEOUT_MS	100
#define PANREF_PWR_TIMEOUT_US	20000

static const char *panref_gpu_model_name(u32 gpu_id)
{
	/* Arch 10, product 7: Mali-G610 (the only one Panthor 6.12 names). */
	if (PANREF_ID_ARCH_MAJOR(gpu_id) == 10 && PANREF_ID_PROD_MAJOR(gpu_id) == 7)
		return "g610";
	return "unknown";
}

static void panref_gpu_read_info(struct panref_device *prdev)
{
	struct drm_panthor_gpu_info *gi = &prdev->gpu_info;
	unsigned int i;

	gi->gpu_id = panref_read(prdev, PANREF_GPU_ID);
	gi->csf_id = panref_read(prdev, PANREF_GPU_CSF_ID);
	gi->gpu_rev = panref_read(prdev, PANREF_GPU_REVID);
	gi->core_features = panref_read(prdev, PANREF_GPU_CORE_FEATURES);
	gi->l2_features = panref_read(prdev, PANREF_GPU_L2_FEATURES);
	gi->tiler_features = panref_read(prdev, PANREF_GPU_TILER_FEATURES);
	gi->mem_features = panref_read(prdev, PANREF_GPU_MEM_FEATURES);
	gi->mmu_features = panref_read(prdev, PANREF_GPU_MMU_FEATURES);
	gi->thread_features = panref_read(prdev, PANREF_GPU_THREAD_FEATURES);
	gi->max_threads = panref_read(prdev, PANREF_GPU_THREAD_MAX_THREADS);
	gi->thread_max_workgroup_size = panref_read(prdev, PANREF_GPU_THREAD_MAX_WG_SIZE);
	gi->thread_max_barrier_size = panref_read(prdev, PANREF_GPU_THREAD_MAX_BARRIER_SIZE);
	gi->coherency_features = panref_read(prdev, PANREF_GPU_COHERENCY_FEATURES);
	for (i = 0; i < ARRAY_SIZE(gi->texture_features); i++)
		gi->texture_features[i] = panref_read(prdev, PANREF_GPU_TEXTURE_FEATURES(i));
	gi->as_present = panref_read(prdev, PANREF_GPU_AS_PRESENT);
	gi->shader_present = panref_read64(prdev, PANREF_GPU_SHADER_PRESENT);
	gi->tiler_present = panref_read64(prdev, PANREF_GPU_TILER_PRESENT);
	gi->l2_present = panref_read64(prdev, PANREF_GPU_L2_PRESENT);

	drm_info(&prdev->base, "mali-%s id 0x%x major 0x%x minor 0x%x status 0x%x",
		 panref_gpu_model_name(gi->gpu_id), gi->gpu_id >> 16,
		 PANREF_ID_VER_MAJOR(gi->gpu_id), PANREF_ID_VER_MINOR(gi->gpu_id),
		 PANREF_ID_VER_STATUS(gi->gpu_id));
	drm_info(&prdev->base, "Features: L2:%#x Tiler:%#x Mem:%#x MMU:%#x AS:%#x",
		 gi->l2_features, gi->tiler_features, gi->mem_features,
		 gi->mmu_features, gi->as_present);
	drm_info(&prdev->base, "shader_present=0x%llx l2_present=0x%llx tiler_present=0x%llx",
		 gi->shader_present, gi->l2_present, gi->tiler_present);
}

static void panref_gpu_irq_handler(struct panref_device *prdev, u32 status)
{
	if (status & PANREF_GPU_IRQ_FAULT)
		drm_warn(&prdev->base, "GPU fault %#x at %#llx",
			 panref_read(prdev, PANREF_GPU_FAULT_STATUS),
			 panref_read64(prdev, PANREF_GPU_FAULT_ADDR_LO));
	if (status & PANREF_GPU_IRQ_PROTM_FAULT)
		drm_warn(&prdev->base, "GPU fault in protected mode");

	spin_lock(&prdev->reqs_lock);
	if (prdev->pending_reqs & status) {
		prdev->pending_reqs &= ~status;
		wake_up_all(&prdev->reqs_wq);
	}
	spin_unlock(&prdev->reqs_lock);
}

int panref_gpu_init(struct panref_device *prdev)
{
	struct device *dev = prdev->base.dev;
	int ret;

	spin_lock_init(&prdev->reqs_lock);
	init_waitqueue_head(&prdev->reqs_wq);
	ret = drmm_mutex_init(&prdev->base, &prdev->flush_lock);
	if (ret)
		return ret;

	panref_gpu_read_info(prdev);

	dma_set_max_seg_size(dev, UINT_MAX);
	ret = dma_set_mask_and_coherent(dev,
					DMA_BIT_MASK(PANREF_MMU_PA_BITS(prdev->gpu_info.mmu_features)));
	if (ret)
		return ret;

	return panref_irq_request(prdev, &prdev->gpu_irq, "gpu", PANREF_GPU_INT_BASE,
			      PANREF_GPU_IRQ_MASK, panref_gpu_irq_handler);
}

void panref_gpu_unplug(struct panref_device *prdev)
{
	unsigned long flags;

	panref_irq_suspend(&prdev->gpu_irq);
	spin_lock_irqsave(&prdev->reqs_lock, flags);
	prdev->pending_reqs = 0;
	wake_up_all(&prdev->reqs_wq);
	spin_unlock_irqrestore(&prdev->reqs_lock, flags);
}

/*
 * Issue a GPU command whose completion is signalled by @bit in GPU_INT and
 * wait for it. Like Panthor, a missed interrupt whose RAWSTAT bit is set
 * still counts as completion.
 */
static int panref_gpu_cmd_wait(struct panref_device *prdev, u32 cmd, u32 bit)
{
	unsigned long flags;
	bool timedout = false;

	spin_lock_irqsave(&prdev->reqs_lock, flags);
	if (prdev->pending_reqs & bit) {
		spin_unlock_irqrestore(&prdev->reqs_lock, flags);
		return -EBUSY;
	}
	prdev->pending_reqs |= bit;
	panref_write(prdev, PANREF_GPU_INT_BASE + PANREF_INT_CLEAR, bit);
	panref_write(prdev, PANREF_GPU_CMD, cmd);
	spin_unlock_irqrestore(&prdev->reqs_lock, flags);

	if (!wait_event_timeout(prdev->reqs_wq, !(READ_ONCE(prdev->pending_reqs) & bit),
				msecs_to_jiffies(PANREF_GPU_REQ_TIMEOUT_MS))) {
		spin_lock_irqsave(&prdev->reqs_lock, flags);
		if ((prdev->pending_reqs & bit) &&
		    !(panref_read(prdev, PANREF_GPU_INT_BASE + PANREF_INT_RAWSTAT) & bit))
			timedout = true;
		prdev->pending_reqs &= ~bit;
		spin_unlock_irqrestore(&prdev->reqs_lock, flags);
	}
	return timedout ? -ETIMEDOUT : 0;
}

int panref_gpu_soft_reset(struct panref_device *prdev)
{
	int ret = panref_gpu_cmd_wait(prdev, PANREF_GPU_CMD_SOFT_RESET,
				  PANREF_GPU_IRQ_RESET_COMPLETED);

	if (ret)
		drm_err(&prdev->base, "Soft reset timeout");
	return ret;
}

int panref_gpu_flush_caches(struct panref_device *prdev, u32 l2, u32 lsc, u32 other)
{
	int ret;

	mutex_lock(&prdev->flush_lock);
	ret = panref_gpu_cmd_wait(prdev, PANREF_GPU_CMD_FLUSH(l2, lsc, other),
			      PANREF_GPU_IRQ_CLEAN_CACHES_DONE);
	mutex_unlock(&prdev->flush_lock);
	if (ret) {
		drm_err(&prdev->base, "Flush caches timeout, scheduling a reset");
		panref_device_schedule_reset(prdev);
	}
	return ret;
}

/* Power a domain on or off and poll PWRTRANS/READY, 32 bits at a time. */
static int panref_gpu_power(struct panref_device *prdev, u32 domain, u64 mask, bool on)
{
	u32 cmd = (on ? PANREF_PWR_ON : PANREF_PWR_OFF) + domain;
	u32 val, half;
	int ret;

	for (half = 0; half < 2; half++) {
		u32 m = mask >> (32 * half);

		if (!m)
			continue;
		ret = readl_relaxed_poll_timeout(prdev->iomem + PANREF_PWR_TRANS + domain + 4 * half,
						 val, !(val & m), 100, PANREF_PWR_TIMEOUT_US);
		if (ret)
			goto timeout;
		panref_write(prdev, cmd + 4 * half, m);
	}
	for (half = 0; half < 2; half++) {
		u32 m = mask >> (32 * half);

		if (!m)
			continue;
		if (on)
			ret = readl_relaxed_poll_timeout(prdev->iomem + PANREF_PWR_READY + domain +
							 4 * half, val, (val & m) == m,
							 100, PANREF_PWR_TIMEOUT_US);
		else
			ret = readl_relaxed_poll_timeout(prdev->iomem + PANREF_PWR_TRANS + domain +
							 4 * half, val, !(val & m),
							 100, PANREF_PWR_TIMEOUT_US);
		if (ret)
			goto timeout;
	}
	return 0;

timeout:
	drm_err(&prdev->base, "power %s timeout on domain %#x mask %#llx",
		on ? "on" : "off", domain, mask);
	return ret;
}

/* Only the first L2 (core group) is used, as in Panthor 6.12. */
int panref_gpu_l2_power_on(struct panref_device *prdev)
{
	return panref_gpu_power(prdev, PANREF_PWR_L2, 1, true);
}

int panref_gpu_l2_power_off(struct panref_device *prdev)
{
	return panref_gpu_power(prdev, PANREF_PWR_L2, prdev->gpu_info.l2_present, false);
}

/* A soft reset leaves the L2 off; that is the suspend path. */
void panref_gpu_suspend(struct panref_device *prdev)
{
	panref_gpu_soft_reset(prdev);
	panref_irq_suspend(&prdev->gpu_irq);
}

void panref_gpu_resume(struct panref_device *prdev)
{
	panref_irq_resume(&prdev->gpu_irq, PANREF_GPU_IRQ_MASK);
	panref_gpu_l2_power_on(prdev);
}
