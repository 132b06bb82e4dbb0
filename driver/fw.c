// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: the CSF firmware - loading the container, mapping its sections
 * into the MCU's address space (AS0), booting the MCU, reading the
 * interfaces it publishes in the shared section, configuring the global
 * interface and pinging it.
 *
 * The container is parsed by fw_image.c (pure logic, host-tested). The
 * boot protocol and the values written are those of Panthor 6.12
 * (panthor_fw.c); see docs/ for the interface. The request/acknowledge
 * helpers have the shape the firmware's protocol gives every driver
 * (Panthor's panthor_fw_toggle_reqs/update_reqs, GPL-2.0 or MIT,
 * Copyright 2023 Collabora ltd.); the code is written for panref.
 */
#include <linux/clk.h>
#include <linux/dma-mapping.h>
#include <linux/firmware.h>
#include <linux/iopoll.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_print.h>

#ifdef CONFIG_ARM_ARCH_TIMER
#include <clocksource/arm_arch_timer.h>
#endif

#include "panref.h"
#include "fw_image.h"

#define PANREF_FW_BOOT_TIMEOUT_MS	1000
#define PANREF_FW_PING_INTERVAL_MS	12000
#define PANREF_FW_PING_TIMEOUT_MS	100
#define PANREF_FW_HALT_TIMEOUT_US	100000
/* Timer values of Panthor 6.12's global configuration. */
#define PANREF_FW_PROGRESS_CYCLES	(5ull * 500 * 1024 * 1024)
#define PANREF_FW_PROGRESS_SHIFT	10
#define PANREF_FW_IDLE_US		800
#define PANREF_FW_POWEROFF_US	10000
#define PANREF_GLB_EVT_MASK		GENMASK(26, 20)

/* ---- request/acknowledge helpers ------------------------------------------ */

/* Flip @mask bits of req so they differ from ack: a new request. */
static void panref_glb_toggle(struct panref_fw *fw, u32 mask)
{
	unsigned long flags;
	u32 req;

	spin_lock_irqsave(&fw->glb_lock, flags);
	req = READ_ONCE(fw->glb_input->req);
	req = (req & ~mask) | (~READ_ONCE(fw->glb_output->ack) & mask);
	WRITE_ONCE(fw->glb_input->req, req);
	spin_unlock_irqrestore(&fw->glb_lock, flags);
}

/* Set @mask bits of req to @val: a state (IDLE_EN, HALT). */
static void panref_glb_update(struct panref_fw *fw, u32 val, u32 mask)
{
	unsigned long flags;
	u32 req;

	spin_lock_irqsave(&fw->glb_lock, flags);
	req = READ_ONCE(fw->glb_input->req);
	WRITE_ONCE(fw->glb_input->req, (req & ~mask) | (val & mask));
	spin_unlock_irqrestore(&fw->glb_lock, flags);
}

static bool panref_glb_acked(struct panref_fw *fw, u32 mask)
{
	return !((READ_ONCE(fw->glb_input->req) ^ READ_ONCE(fw->glb_output->ack)) & mask);
}

static int panref_glb_wait_acks(struct panref_fw *fw, u32 mask, u32 timeout_ms)
{
	if (wait_event_timeout(fw->req_wq, panref_glb_acked(fw, mask),
			       msecs_to_jiffies(timeout_ms)))
		return 0;
	return panref_glb_acked(fw, mask) ? 0 : -ETIMEDOUT;
}

static void panref_glb_ring(struct panref_device *prdev)
{
	panref_write(prdev, PANREF_DOORBELL(PANREF_GLB_DOORBELL), 1);
}

/* ---- the job interrupt line ------------------------------------------------ */

static void panref_job_irq_handler(struct panref_device *prdev, u32 status)
{
	struct panref_fw *fw = &prdev->fw;

	if (!fw->booted && (status & PANREF_JOB_IRQ_GLOBAL_IF))
		fw->booted = true;
	if (fw->booted && fw->glb_input && (status & PANREF_JOB_IRQ_GLOBAL_IF)) {
		unsigned long flags;
		u32 req, evts;

		/* Acknowledge firmware events (GLB_IDLE...): req follows ack. */
		spin_lock_irqsave(&fw->glb_lock, flags);
		req = READ_ONCE(fw->glb_input->req);
		evts = (req ^ READ_ONCE(fw->glb_output->ack)) & PANREF_GLB_EVT_MASK;
		if (evts)
			WRITE_ONCE(fw->glb_input->req, req ^ evts);
		spin_unlock_irqrestore(&fw->glb_lock, flags);
	}
	if (fw->booted && (status & GENMASK(30, 0)))
		panref_sched_report_irq(prdev, status & GENMASK(30, 0));
	wake_up_all(&fw->req_wq);
}

/* Kick the CSG slots in @slots: toggle their global doorbell bits, ring. */
void panref_fw_ring_csgs(struct panref_device *prdev, u32 slots)
{
	struct panref_fw *fw = &prdev->fw;
	unsigned long flags;
	u32 req;

	spin_lock_irqsave(&fw->glb_lock, flags);
	req = READ_ONCE(fw->glb_input->doorbell_req);
	req = (req & ~slots) | (~READ_ONCE(fw->glb_output->doorbell_ack) & slots);
	WRITE_ONCE(fw->glb_input->doorbell_req, req);
	spin_unlock_irqrestore(&fw->glb_lock, flags);
	panref_glb_ring(prdev);
}

/* ---- sections --------------------------------------------------------------- */

static void panref_fw_write_section(struct panref_device *prdev, struct panref_fw_mem_section *s)
{
	struct panref_kbo *mem = s->mem;
	bool mapped = !!mem->kmap;
	struct sg_table *sgt;

	if (!s->data_size && !(s->flags & PANREF_FW_SEC_ZERO) && !mapped)
		return;
	if (panref_kbo_vmap(mem)) {
		drm_err(&prdev->base, "cannot map firmware section %s", s->name ?: "");
		return;
	}
	memcpy(mem->kmap, s->data, s->data_size);
	memset(mem->kmap + s->data_size, 0, panref_kbo_size(mem) - s->data_size);
	if (!mapped) {
		drm_gem_vunmap_unlocked(mem->obj, &mem->map);
		mem->kmap = NULL;
	}

	/* The MCU reads memory behind the CPU caches when not coherent. */
	if (!prdev->coherent) {
		sgt = drm_gem_shmem_get_pages_sgt(to_drm_gem_shmem_obj(mem->obj));
		if (!IS_ERR(sgt))
			dma_sync_sgtable_for_device(prdev->base.dev, sgt, DMA_TO_DEVICE);
	}
}

static void panref_fw_reload_sections(struct panref_device *prdev, bool all)
{
	struct panref_fw_mem_section *s;

	list_for_each_entry(s, &prdev->fw.sections, node)
		if (all || (s->flags & PANREF_FW_SEC_WR))
			panref_fw_write_section(prdev, s);
}

static int panref_fw_add_section(struct panref_device *prdev, const struct firmware *fwf,
			     const struct panref_fw_section *sec)
{
	u32 cache = sec->flags & PANREF_FW_SEC_CACHE_MODE_MASK;
	u32 size = sec->va_end - sec->va_start;
	struct panref_fw_mem_section *s;
	u32 map_flags = 0;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	list_add_tail(&s->node, &prdev->fw.sections);
	s->flags = sec->flags;
	s->data_size = sec->data_end - sec->data_start;
	if (s->data_size) {
		s->data = kmemdup(fwf->data + sec->data_start, s->data_size, GFP_KERNEL);
		if (!s->data)
			return -ENOMEM;
	}
	if (sec->name_len) {
		s->name = kmemdup_nul(fwf->data + sec->name_off, sec->name_len, GFP_KERNEL);
		if (!s->name)
			return -ENOMEM;
	}

	/* Mapping: read-only unless WR, no-exec unless EX, cached only if CACHED. */
	if (!(sec->flags & PANREF_FW_SEC_WR))
		map_flags |= DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
	if (!(sec->flags & PANREF_FW_SEC_EX))
		map_flags |= DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
	if (cache != PANREF_FW_SEC_CACHE_CACHED)
		map_flags |= DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED;

	s->mem = panref_kbo_create(prdev, prdev->fw.vm, size, DRM_PANTHOR_BO_NO_MMAP,
			       map_flags, sec->va_start);
	if (IS_ERR(s->mem)) {
		int ret = PTR_ERR(s->mem);

		s->mem = NULL;
		return ret;
	}
	if (sec->flags & PANREF_FW_SEC_SHARED) {
		int ret = panref_kbo_vmap(s->mem);

		if (ret)
			return ret;
	}
	if (sec->va_start == PANREF_MCU_SHARED_VA)
		prdev->fw.shared = s;
	panref_fw_write_section(prdev, s);
	return 0;
}

static int panref_fw_load(struct panref_device *prdev)
{
	u32 gpu_id = prdev->gpu_info.gpu_id;
	const struct firmware *fwf;
	struct panref_fw_image *img;
	char path[64], err[PANREF_FW_ERRLEN];
	unsigned int i;
	int ret;

	snprintf(path, sizeof(path), "arm/mali/arch%u.%u/mali_csffw.bin",
		 PANREF_ID_ARCH_MAJOR(gpu_id), PANREF_ID_ARCH_MINOR(gpu_id));
	ret = request_firmware(&fwf, path, prdev->base.dev);
	if (ret) {
		drm_err(&prdev->base, "firmware %s not loaded: %d", path, ret);
		return ret;
	}

	img = kzalloc(sizeof(*img), GFP_KERNEL);
	if (!img) {
		ret = -ENOMEM;
		goto out_release;
	}
	err[0] = '\0';
	ret = panref_fw_parse(fwf->data, fwf->size, img, err, sizeof(err));
	if (ret) {
		dev_err(prdev->base.dev, "firmware %s rejected (%d): %s\n", path, ret, err);
		goto out_free;
	}

	for (i = 0; i < img->nsections; i++) {
		const struct panref_fw_section *sec = &img->sec[i];

		/* The interface must be in a SHARED section (Panthor: EINVAL). */
		if (sec->va_start == PANREF_MCU_SHARED_VA && !(sec->flags & PANREF_FW_SEC_SHARED)) {
			dev_err(prdev->base.dev, "firmware %s rejected: interface section at %#x is not shared\n",
				path, PANREF_MCU_SHARED_VA);
			ret = -EINVAL;
			goto out_free;
		}
		ret = panref_fw_add_section(prdev, fwf, sec);
		if (ret) {
			drm_err(&prdev->base, "firmware section %u at %#x not mapped: %d",
				i, sec->va_start, ret);
			goto out_free;
		}
	}
	if (!prdev->fw.shared) {
		dev_err(prdev->base.dev, "firmware %s rejected: no interface section at %#x\n",
			path, PANREF_MCU_SHARED_VA);
		ret = -EINVAL;
	}

out_free:
	kfree(img);
out_release:
	release_firmware(fwf);
	return ret;
}

static void panref_fw_free_sections(struct panref_device *prdev)
{
	struct panref_fw_mem_section *s, *tmp;

	list_for_each_entry_safe(s, tmp, &prdev->fw.sections, node) {
		list_del(&s->node);
		panref_kbo_destroy(s->mem);
		kfree(s->data);
		kfree(s->name);
		kfree(s);
	}
	prdev->fw.shared = NULL;
}

/* ---- interfaces -------------------------------------------------------------- */

/* CPU pointer for an MCU address, if [va, va + size) is in the shared section. */
static void *panref_fw_iface_ptr(struct panref_device *prdev, u32 va, size_t size)
{
	struct panref_kbo *mem = prdev->fw.shared->mem;
	u64 start = panref_kbo_va(mem), len = panref_kbo_size(mem), off;

	if (va < start)
		return NULL;
	off = va - start;
	if (off > len || size > len - off)
		return NULL;
	return mem->kmap + off;
}

/* Pointer to a control block at @off of the section, if it fits whole. */
static void *panref_fw_ctrl_ptr(struct panref_device *prdev, u64 off, size_t size)
{
	struct panref_kbo *mem = prdev->fw.shared->mem;
	u64 len = panref_kbo_size(mem);

	if (off > len || size > len - off)
		return NULL;
	return mem->kmap + off;
}

static int panref_fw_read_cs(struct panref_device *prdev, struct panref_fw_csg *csg,
			 unsigned int g, unsigned int c)
{
	struct panref_fw *fw = &prdev->fw;
	struct panref_fw_cs *cs = &csg->cs[c];
	u64 off = PANREF_FW_CSG_CTRL_OFFSET + (u64)g * fw->glb_control->group_stride +
		  PANREF_FW_CS_CTRL_OFFSET + (u64)c * csg->control->stream_stride;

	cs->control = panref_fw_ctrl_ptr(prdev, off, sizeof(*cs->control));
	if (!cs->control)
		return -EINVAL;
	cs->input = panref_fw_iface_ptr(prdev, cs->control->input_va, sizeof(*cs->input));
	cs->output = panref_fw_iface_ptr(prdev, cs->control->output_va, sizeof(*cs->output));
	if (!cs->input || !cs->output) {
		drm_err(&prdev->base, "Invalid stream control interface input/output VA");
		return -EINVAL;
	}
	if (g || c) {
		if (cs->control->features != fw->csgs[0].cs[0].control->features) {
			drm_err(&prdev->base, "Expecting identical CS slots");
			return -EINVAL;
		}
	} else {
		prdev->csif_info.cs_reg_count = PANREF_CS_FEAT_WORK_REGS(cs->control->features);
		prdev->csif_info.unpreserved_cs_reg_count = PANREF_FW_UNPRESERVED_REGS;
	}
	return 0;
}

static int panref_fw_read_csg(struct panref_device *prdev, unsigned int g)
{
	struct panref_fw *fw = &prdev->fw;
	struct panref_fw_csg *csg = &fw->csgs[g];
	const struct panref_csg_control *first = fw->csgs[0].control;
	u64 off = PANREF_FW_CSG_CTRL_OFFSET + (u64)g * fw->glb_control->group_stride;
	unsigned int c;
	int ret;

	csg->control = panref_fw_ctrl_ptr(prdev, off, sizeof(*csg->control));
	if (!csg->control)
		return -EINVAL;
	csg->input = panref_fw_iface_ptr(prdev, csg->control->input_va, sizeof(*csg->input));
	csg->output = panref_fw_iface_ptr(prdev, csg->control->output_va, sizeof(*csg->output));
	if (csg->control->stream_num < PANREF_FW_MIN_CS_PER_CSG ||
	    csg->control->stream_num > PANREF_FW_MAX_CS_PER_CSG)
		return -EINVAL;
	if (!csg->input || !csg->output) {
		drm_err(&prdev->base, "Invalid group control interface input/output VA");
		return -EINVAL;
	}
	if (g && (csg->control->features != first->features ||
		  csg->control->suspend_size != first->suspend_size ||
		  csg->control->protm_suspend_size != first->protm_suspend_size ||
		  csg->control->stream_num != first->stream_num)) {
		drm_err(&prdev->base, "Expecting identical CSG slots");
		return -EINVAL;
	}
	for (c = 0; c < csg->control->stream_num; c++) {
		ret = panref_fw_read_cs(prdev, csg, g, c);
		if (ret)
			return ret;
	}
	return 0;
}

static int panref_fw_read_ifaces(struct panref_device *prdev)
{
	struct panref_fw *fw = &prdev->fw;
	const struct panref_glb_control *glb;
	u32 as_count, ngroups;
	unsigned int g;
	int ret;

	if (!fw->shared->mem->kmap)
		return -EINVAL;
	glb = panref_fw_ctrl_ptr(prdev, 0, sizeof(*glb));
	if (!glb)
		return -EINVAL;
	fw->glb_control = glb;
	if (!glb->version) {
		drm_err(&prdev->base, "Firmware version is 0. Firmware may have failed to boot");
		return -EINVAL;
	}
	fw->glb_input = panref_fw_iface_ptr(prdev, glb->input_va, sizeof(*fw->glb_input));
	fw->glb_output = panref_fw_iface_ptr(prdev, glb->output_va, sizeof(*fw->glb_output));
	if (!fw->glb_input || !fw->glb_output) {
		drm_err(&prdev->base, "Invalid global control interface input/output VA");
		return -EINVAL;
	}
	if (glb->group_num < PANREF_FW_MIN_CSGS || glb->group_num > PANREF_FW_MAX_CSGS) {
		drm_err(&prdev->base, "Invalid number of control groups");
		return -EINVAL;
	}

	fw->csg_num = glb->group_num;
	kfree(fw->csgs);
	fw->csgs = kcalloc(fw->csg_num, sizeof(*fw->csgs), GFP_KERNEL);
	if (!fw->csgs)
		return -ENOMEM;
	for (g = 0; g < fw->csg_num; g++) {
		ret = panref_fw_read_csg(prdev, g);
		if (ret)
			return ret;
	}

	/* AS0 is the MCU's: at least one more is needed for user VMs. */
	as_count = hweight32(prdev->gpu_info.as_present & GENMASK(31, 1));
	if (!as_count) {
		drm_err(&prdev->base, "Not enough AS (%u, expected at least 2)", as_count + 1);
		return -EINVAL;
	}

	/* CSG slots: at most 31 (JOB_INT bits) and one per CSG priority. */
	ngroups = min_t(u32, fw->csg_num, PANREF_FW_MAX_CSGS);
	ngroups = min_t(u32, ngroups, PANREF_FW_MAX_CSG_PRIO + 1);
	prdev->csif_info.csg_slot_count = ngroups;
	prdev->csif_info.cs_slot_count = fw->csgs[0].control->stream_num;
	prdev->csif_info.scoreboard_slot_count =
		PANREF_CS_FEAT_SCOREBOARDS(fw->csgs[0].cs[0].control->features);

	drm_info(&prdev->base, "CSF FW v%u.%u.%u, Features %#x Instrumentation features %#x",
		 glb->version >> 24, (glb->version >> 16) & 0xff, glb->version & 0xffff,
		 glb->features,
		 glb->version >= ((1u << 24) | (1u << 16)) ? glb->instr_features : 0);
	return 0;
}

/*
 * Firmware timeouts count 1024-tick units of a timer the firmware is told
 * about: the CPU's architected timer where there is one (as Panthor 6.12
 * picks on arm64), otherwise the GPU cycle counter at the core clock rate.
 */
static u32 panref_fw_timeout(struct panref_device *prdev, u32 us)
{
	u32 src = 0;
	u64 rate = 0, v;

#ifdef CONFIG_ARM_ARCH_TIMER
	rate = arch_timer_get_cntfrq();
#endif
	if (!rate) {
		src = PANREF_GLB_TIMER_GPU_COUNTER;
		rate = clk_get_rate(prdev->clk);
	}
	if (!rate)
		return PANREF_GLB_TIMER_VAL(~0u) | PANREF_GLB_TIMER_GPU_COUNTER;
	v = DIV_ROUND_UP_ULL((u64)us * rate, 1000000ull << 10);
	if (v > PANREF_GLB_TIMER_VAL(~0u))
		v = PANREF_GLB_TIMER_VAL(~0u);
	return PANREF_GLB_TIMER_VAL(v) | src;
}

static void panref_fw_init_glb(struct panref_device *prdev)
{
	struct panref_fw *fw = &prdev->fw;
	struct panref_glb_input *in = fw->glb_input;

	in->core_en_mask = prdev->gpu_info.shader_present;
	in->poweroff_timer = panref_fw_timeout(prdev, PANREF_FW_POWEROFF_US);
	in->progress_timer = PANREF_FW_PROGRESS_CYCLES >> PANREF_FW_PROGRESS_SHIFT;
	in->idle_timer = panref_fw_timeout(prdev, PANREF_FW_IDLE_US);
	in->ack_irq_mask = PANREF_GLB_CFG_ALLOC_EN | PANREF_GLB_PING | PANREF_GLB_CFG_PROGRESS |
			   PANREF_GLB_CFG_POWEROFF | PANREF_GLB_IDLE_EN | PANREF_GLB_IDLE;

	panref_glb_update(fw, PANREF_GLB_IDLE_EN, PANREF_GLB_IDLE_EN);
	panref_glb_toggle(fw, PANREF_GLB_CFG_ALLOC_EN | PANREF_GLB_CFG_POWEROFF | PANREF_GLB_CFG_PROGRESS);
	panref_glb_ring(prdev);

	mod_delayed_work(system_wq, &fw->ping_work,
			 msecs_to_jiffies(PANREF_FW_PING_INTERVAL_MS));
}

/* ---- MCU control ---------------------------------------------------------- */

static int panref_fw_start(struct panref_device *prdev)
{
	static const char *const names[] = { "disabled", "enabled", "halt", "fatal" };
	struct panref_fw *fw = &prdev->fw;
	u32 status;

	fw->booted = false;
	panref_irq_resume(&fw->irq, ~0u);
	panref_write(prdev, PANREF_MCU_CONTROL, PANREF_MCU_CONTROL_AUTO);
	if (wait_event_timeout(fw->req_wq, fw->booted,
			       msecs_to_jiffies(PANREF_FW_BOOT_TIMEOUT_MS)) ||
	    (panref_read(prdev, PANREF_JOB_INT_BASE + PANREF_INT_STAT) & PANREF_JOB_IRQ_GLOBAL_IF))
		return 0;

	status = panref_read(prdev, PANREF_MCU_STATUS);
	drm_err(&prdev->base, "Failed to boot MCU (status=%s)",
		status < ARRAY_SIZE(names) ? names[status] : "unknown");
	return -ETIMEDOUT;
}

static void panref_fw_stop(struct panref_device *prdev)
{
	u32 status;

	panref_write(prdev, PANREF_MCU_CONTROL, PANREF_MCU_CONTROL_DISABLE);
	if (readl_poll_timeout(prdev->iomem + PANREF_MCU_STATUS, status,
			       status == PANREF_MCU_STATUS_DISABLED, 10, PANREF_FW_HALT_TIMEOUT_US))
		drm_err(&prdev->base, "Failed to stop MCU");
}

static void panref_fw_ping_work(struct work_struct *work)
{
	struct panref_fw *fw = container_of(work, struct panref_fw, ping_work.work);
	struct panref_device *prdev = container_of(fw, struct panref_device, fw);
	int cookie;

	CLASS(panref_kcov, kc)(prdev);

	if (atomic_read(&prdev->reset_pending))
		return;
	if (!drm_dev_enter(&prdev->base, &cookie))
		return;
	panref_glb_toggle(fw, PANREF_GLB_PING);
	panref_glb_ring(prdev);
	if (panref_glb_wait_acks(fw, PANREF_GLB_PING, PANREF_FW_PING_TIMEOUT_MS)) {
		drm_err(&prdev->base, "FW ping timeout, scheduling a reset");
		panref_device_schedule_reset(prdev);
	} else {
		mod_delayed_work(system_wq, &fw->ping_work,
				 msecs_to_jiffies(PANREF_FW_PING_INTERVAL_MS));
	}
	drm_dev_exit(cookie);
}

/* Suspend: halt the MCU cleanly (fast restart possible), then stop it. */
void panref_fw_suspend(struct panref_device *prdev)
{
	struct panref_fw *fw = &prdev->fw;
	u32 status;

	cancel_delayed_work_sync(&fw->ping_work);
	fw->fast_reset = false;
	panref_glb_update(fw, PANREF_GLB_HALT, PANREF_GLB_HALT);
	panref_glb_ring(prdev);
	if (!readl_poll_timeout(prdev->iomem + PANREF_MCU_STATUS, status,
				status == PANREF_MCU_STATUS_HALT, 10, PANREF_FW_HALT_TIMEOUT_US) &&
	    !READ_ONCE(fw->glb_output->halt_status))
		fw->fast_reset = true;
	else
		drm_warn(&prdev->base, "Failed to cleanly suspend MCU");
	/* The firmware acts on 0 -> 1 of HALT: clear it before the next boot. */
	panref_glb_update(fw, 0, PANREF_GLB_HALT);

	panref_irq_suspend(&fw->irq);
	panref_fw_stop(prdev);
}

/*
 * Before a reset after a hang: no clean halt is possible, so the next
 * start reloads every section (slow reset).
 */
void panref_fw_pre_reset(struct panref_device *prdev)
{
	cancel_delayed_work_sync(&prdev->fw.ping_work);
	prdev->fw.fast_reset = false;
	panref_irq_suspend(&prdev->fw.irq);
	panref_fw_stop(prdev);
}

/* Resume: AS0 again, restart the MCU (reloading sections if needed). */
int panref_fw_resume(struct panref_device *prdev)
{
	struct panref_fw *fw = &prdev->fw;
	int ret;

	ret = panref_vm_active(fw->vm);
	if (ret)
		return ret;
	if (fw->fast_reset) {
		ret = panref_fw_start(prdev);
		if (!ret)
			goto out;
		panref_fw_stop(prdev);
		fw->fast_reset = false;
		drm_err(&prdev->base, "FW fast reset failed, trying a slow reset");
	}
	panref_fw_reload_sections(prdev, true);
	ret = panref_fw_start(prdev);
	if (ret)
		return ret;
out:
	panref_fw_init_glb(prdev);
	return 0;
}

int panref_fw_init(struct panref_device *prdev)
{
	struct panref_fw *fw = &prdev->fw;
	int ret;

	init_waitqueue_head(&fw->req_wq);
	INIT_LIST_HEAD(&fw->sections);
	INIT_DELAYED_WORK(&fw->ping_work, panref_fw_ping_work);
	spin_lock_init(&fw->glb_lock);

	ret = panref_irq_request(prdev, &fw->irq, "job", PANREF_JOB_INT_BASE, 0,
			     panref_job_irq_handler);
	if (ret)
		return ret;

	ret = panref_gpu_l2_power_on(prdev);
	if (ret)
		return ret;

	fw->vm = panref_vm_create(prdev, true, 0, SZ_4G, PANREF_MCU_SHARED_VA, PANREF_MCU_SHARED_SIZE);
	if (IS_ERR(fw->vm)) {
		ret = PTR_ERR(fw->vm);
		fw->vm = NULL;
		goto err;
	}
	ret = panref_fw_load(prdev);
	if (ret)
		goto err;
	ret = panref_vm_active(fw->vm);
	if (ret)
		goto err;
	ret = panref_fw_start(prdev);
	if (ret)
		goto err;
	ret = panref_fw_read_ifaces(prdev);
	if (ret)
		goto err;
	panref_fw_init_glb(prdev);
	return 0;

err:
	panref_fw_unplug(prdev);
	return ret;
}

void panref_fw_unplug(struct panref_device *prdev)
{
	struct panref_fw *fw = &prdev->fw;

	cancel_delayed_work_sync(&fw->ping_work);
	if (fw->irq.irq)
		panref_irq_suspend(&fw->irq);
	panref_fw_stop(prdev);
	fw->glb_input = NULL;
	fw->glb_output = NULL;
	fw->glb_control = NULL;
	panref_fw_free_sections(prdev);
	panref_vm_put(fw->vm);
	fw->vm = NULL;
	kfree(fw->csgs);
	fw->csgs = NULL;
	panref_gpu_l2_power_off(prdev);
}

MODULE_FIRMWARE("arm/mali/arch10.8/mali_csffw.bin");
