// SPDX-License-Identifier: GPL-2.0
/*
 * UML glue for the software Mali-G610: a platform driver on the model host
 * node of the VM's device tree. For each GPU child node it
 *  - emulates the GPU's register window with logic_iomem (registered before
 *    the children are populated, so their resources nest inside it),
 *  - provides the job/mmu/gpu interrupt lines through an irq_domain on the
 *    host node,
 *  - runs one kthread that plays the MCU (mm_mcu_step) and raises the
 *    interrupt lines, level-style, with generic_handle_irq_safe() -- never
 *    from inside a register access;
 *  - provides each GPU's core clock (the host node is a clock provider,
 *    one clock per GPU node, in node order), whose rate a driver's devfreq
 *    sets through its OPP table; the model counts the changes but does not
 *    run slower at a lower rate (its cycle counter keeps mm_config's rate);
 *  - backs each GPU's USER_FLUSH_ID page (window + 0x10000, what a driver
 *    lets userspace map) with a page of a host file: when UML was booted
 *    with iomem=mali-model,FILE, the GPU windows are moved onto that
 *    region (the nodes' reg is rewritten before they are populated), so
 *    the pfn a driver inserts for the page is the file's, and the model
 *    writes LATEST_FLUSH_ID there. Without it the page has nothing behind
 *    it over logic_iomem and a userspace read of it gets SIGSEGV.
 * The core (mali_model.c) reaches RAM through phys_to_virt(): UML has no
 * highmem and DMA addresses are physical addresses.
 *
 * logic_iomem has no way to remove a region, so this module cannot be
 * unloaded.
 */
#include <linux/clk-provider.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kthread.h>
#include <linux/logic_iomem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include <mem_user.h>

#include "mali_model.h"
#include "mm_regs.h"

#define MODEL_MAX_GPUS	4
#define MODEL_GPU_SPAN	0x200000	/* register window of one GPU */
/* The UML iomem= region the GPU windows are laid over (one file for all). */
#define MODEL_IOMEM_NAME	"mali-model"
/* Rates the GPU clocks accept; they start at the top one, like a board's. */
#define MODEL_CLK_MIN_HZ	100000000ul
#define MODEL_CLK_MAX_HZ	1000000000ul

static const char * const line_names[MM_IRQ_COUNT] = {
	[MM_IRQ_JOB] = "job", [MM_IRQ_MMU] = "mmu", [MM_IRQ_GPU] = "gpu",
};

/**
 * struct model_gpu - one software GPU
 * @core: the portable model (registers, MMU, MCU)
 * @lock: serialises every call into @core
 * @host: the model host it belongs to
 * @index: its place among the host's GPU nodes (debugfs gpuN)
 * @base: physical start of its register window
 * @user_page: LATEST_FLUSH_ID in the page a driver maps for USER_FLUSH_ID
 *	(window + 0x10000, a page of the iomem= host file), or NULL when that
 *	page has nothing behind it
 * @hwirq: hwirq of each interrupt line, from the node's "interrupts"
 * @thread: the MCU and interrupt thread
 * @wq: where @thread waits for @kick
 * @kick: set when @thread has work (MCU work or a line may have changed)
 * @dir: its debugfs directory
 * @clk: its core clock, as the host node provides it
 * @clk_rate: @clk's rate in Hz
 * @clk_changes: how many times a driver changed @clk_rate
 * @clk_on: @clk is enabled
 * @clk_off_accesses: register accesses made while @clk was off
 */
struct model_gpu {
	struct mm_gpu core;
	spinlock_t lock;
	struct model_host *host;
	unsigned int index;
	phys_addr_t base;
	__le32 *user_page;
	u32 hwirq[MM_IRQ_COUNT];
	struct task_struct *thread;
	wait_queue_head_t wq;
	bool kick;
	struct dentry *dir;
	struct clk_hw clk;
	unsigned long clk_rate;
	u64 clk_changes;
	bool clk_on;
	u64 clk_off_accesses;
};

/**
 * struct model_host - the model host node: all GPUs of the VM
 * @dev: the host platform device
 * @domain: interrupt domain of the GPUs' lines
 * @region: the logic_iomem region covering every GPU window
 * @region_start: physical start of @region
 * @ngpus: number of GPU nodes
 * @gpu: the GPUs, in node order
 * @dir: debugfs mali-model directory
 */
struct model_host {
	struct device *dev;
	struct irq_domain *domain;
	struct resource region;
	phys_addr_t region_start;
	unsigned int ngpus;
	struct model_gpu *gpu[MODEL_MAX_GPUS];
	struct dentry *dir;
};

/* ---- memory and environment for the core -------------------------- */

static bool ram_range(u64 pa, size_t len)
{
	return len && pfn_valid(PHYS_PFN(pa)) && pfn_valid(PHYS_PFN(pa + len - 1));
}

static int model_phys_read(void *ctx, u64 pa, void *buf, size_t len)
{
	if (!ram_range(pa, len))
		return -1;
	memcpy(buf, phys_to_virt(pa), len);
	return 0;
}

static int model_phys_write(void *ctx, u64 pa, const void *buf, size_t len)
{
	if (!ram_range(pa, len))
		return -1;
	memcpy(phys_to_virt(pa), buf, len);
	return 0;
}

static u64 model_now_ns(void *ctx)
{
	return ktime_get_ns();
}

static void model_log(void *ctx, int level, const char *msg)
{
	struct model_gpu *mg = ctx;
	struct device *dev = mg->host->dev;

	switch (level) {
	case MM_LOG_ERR:
		dev_err_ratelimited(dev, "gpu%u: %s\n", mg->index, msg);
		break;
	case MM_LOG_WARN:
		dev_warn_ratelimited(dev, "gpu%u: %s\n", mg->index, msg);
		break;
	case MM_LOG_INFO:
		dev_info_ratelimited(dev, "gpu%u: %s\n", mg->index, msg);
		break;
	default:
		dev_dbg_ratelimited(dev, "gpu%u: %s\n", mg->index, msg);
		break;
	}
}

/* Called with mg->lock held (or before the GPU is shared). */
static void model_flush_id_changed(void *ctx, u32 flush_id)
{
	struct model_gpu *mg = ctx;

	if (mg->user_page)
		WRITE_ONCE(*mg->user_page, cpu_to_le32(flush_id));
}

static const struct mm_host_ops model_host_ops = {
	.phys_read = model_phys_read,
	.phys_write = model_phys_write,
	.now_ns = model_now_ns,
	.log = model_log,
	.flush_id_changed = model_flush_id_changed,
};

/* Called with mg->lock held after every call into the core. */
static void model_maybe_kick(struct model_gpu *mg)
{
	if (mg->core.irq_dirty || mg->core.mcu_work) {
		mg->kick = true;
		wake_up(&mg->wq);
	}
}

/* ---- register window (logic_iomem) -------------------------------- */

/*
 * A register access while the GPU's clock is gated: on a board the bus
 * access stalls or faults; the model serves it but counts it and says so
 * (vm/run fails a run whose kernel log has this line).
 */
static void model_check_clock(struct model_gpu *mg, unsigned int offset,
			      const char *what)
{
	if (likely(READ_ONCE(mg->clk_on)))
		return;
	WRITE_ONCE(mg->clk_off_accesses, mg->clk_off_accesses + 1);
	dev_err_ratelimited(mg->host->dev,
			    "gpu%u: register %s at %#x with the GPU clock off\n",
			    mg->index, what, offset);
}

static unsigned long model_mmio_read(void *priv, unsigned int offset, int size)
{
	struct model_gpu *mg = priv;
	unsigned long flags, val;
	unsigned int reg = offset & ~3u;

	model_check_clock(mg, offset, "read");
	spin_lock_irqsave(&mg->lock, flags);
	val = mm_reg_read(&mg->core, reg);
	if (size == 8)
		val |= (unsigned long)mm_reg_read(&mg->core, reg + 4) << 32;
	model_maybe_kick(mg);
	spin_unlock_irqrestore(&mg->lock, flags);
	if (size < 4)
		val = (val >> ((offset & 3) * 8)) & ((1ul << (size * 8)) - 1);
	return val;
}

static void model_mmio_write(void *priv, unsigned int offset, int size,
			     unsigned long val)
{
	struct model_gpu *mg = priv;
	unsigned long flags;

	if (size < 4) {
		dev_warn_ratelimited(mg->host->dev,
				     "gpu%u: %d-byte write at %#x ignored\n",
				     mg->index, size, offset);
		return;
	}
	model_check_clock(mg, offset, "write");
	spin_lock_irqsave(&mg->lock, flags);
	mm_reg_write(&mg->core, offset, (u32)val);
	if (size == 8)
		mm_reg_write(&mg->core, offset + 4, (u32)(val >> 32));
	model_maybe_kick(mg);
	spin_unlock_irqrestore(&mg->lock, flags);
}

static const struct logic_iomem_ops model_mmio_ops = {
	.read = model_mmio_read,
	.write = model_mmio_write,
};

/*
 * logic_iomem's map callback has no context pointer, so the one host
 * instance is global (there is one model host node per VM).
 */
static struct model_host *the_host;

static long model_mmio_map(unsigned long offset, size_t size,
			   const struct logic_iomem_ops **ops, void **priv)
{
	unsigned int idx = offset / MODEL_GPU_SPAN;

	if (!the_host || idx >= the_host->ngpus ||
	    (offset % MODEL_GPU_SPAN) + size > MODEL_GPU_SPAN)
		return -EINVAL;
	*ops = &model_mmio_ops;
	*priv = the_host->gpu[idx];
	return offset % MODEL_GPU_SPAN;
}

static const struct logic_iomem_region_ops model_region_ops = {
	.map = model_mmio_map,
};

/* ---- interrupts ---------------------------------------------------- */

static void model_irq_noop(struct irq_data *d)
{
}

static struct irq_chip model_irq_chip = {
	.name = "mali-model",
	.irq_mask = model_irq_noop,
	.irq_unmask = model_irq_noop,
};

static int model_irq_map(struct irq_domain *d, unsigned int virq,
			 irq_hw_number_t hw)
{
	irq_set_chip_and_handler(virq, &model_irq_chip, handle_simple_irq);
	return 0;
}

static const struct irq_domain_ops model_irq_domain_ops = {
	.map = model_irq_map,
	.xlate = irq_domain_xlate_onecell,
};

/*
 * The MCU and the interrupt controller: one thread per GPU. It runs the
 * MCU in slices (dropping the lock in between so register accesses get
 * in), raises asserted lines, and polls streams blocked on SYNC_WAIT every
 * millisecond, since the memory they wait on may be written by the CPU.
 */
static int model_gpu_thread(void *data)
{
	struct model_gpu *mg = data;
	bool more = false;

	while (!kthread_should_stop()) {
		bool assert[MM_IRQ_COUNT], waiting;
		unsigned long flags;
		int i;

		if (!more)
			wait_event_interruptible_timeout(mg->wq, READ_ONCE(mg->kick) ||
							 kthread_should_stop(),
							 READ_ONCE(mg->core.any_waiting) ?
							 msecs_to_jiffies(1) :
							 MAX_SCHEDULE_TIMEOUT);
		spin_lock_irqsave(&mg->lock, flags);
		mg->kick = false;
		waiting = mg->core.any_waiting;
		if (waiting)
			mm_mcu_poll_waits(&mg->core);
		more = mm_mcu_step(&mg->core);
		mg->core.irq_dirty = false;
		for (i = 0; i < MM_IRQ_COUNT; i++)
			assert[i] = mm_irq_asserted(&mg->core, i);
		spin_unlock_irqrestore(&mg->lock, flags);

		for (i = 0; i < MM_IRQ_COUNT; i++) {
			unsigned int virq;

			if (!assert[i])
				continue;
			virq = irq_find_mapping(mg->host->domain, mg->hwirq[i]);
			if (!virq)
				continue;	/* nobody requested the line yet */
			mg->core.stats.irqs_raised[i]++;
			generic_handle_irq_safe(virq);
		}
		cond_resched();
	}
	return 0;
}

/* ---- debugfs ------------------------------------------------------- */

static int model_info_show(struct seq_file *m, void *unused)
{
	struct model_gpu *mg = m->private;
	char *buf;
	int len;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	len = mm_format_info(&mg->core, buf, PAGE_SIZE);
	if (len > 0)
		seq_write(m, buf, min_t(int, len, PAGE_SIZE - 1));
	kfree(buf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(model_info);

static int model_state_show(struct seq_file *m, void *unused)
{
	struct model_gpu *mg = m->private;
	struct mm_stats s;
	unsigned long flags;
	u32 mcu_status, flush_id, rawstat[MM_IRQ_COUNT], mask[MM_IRQ_COUNT];
	int i;

	spin_lock_irqsave(&mg->lock, flags);
	s = mg->core.stats;
	flush_id = mg->core.flush_id;
	mcu_status = mg->core.mcu_status;
	memcpy(rawstat, mg->core.rawstat, sizeof(rawstat));
	memcpy(mask, mg->core.mask, sizeof(mask));
	spin_unlock_irqrestore(&mg->lock, flags);

	seq_printf(m, "base %pa\n", &mg->base);
	seq_printf(m, "user_page %s\n", mg->user_page ? "backed" : "unbacked");
	seq_printf(m, "latest_flush_id %u\n", flush_id);
	seq_printf(m, "mcu_status %u\n", mcu_status);
	for (i = 0; i < MM_IRQ_COUNT; i++)
		seq_printf(m, "irq.%s hwirq=%u rawstat=%#x mask=%#x raised=%llu\n",
			   line_names[i], mg->hwirq[i], rawstat[i], mask[i],
			   s.irqs_raised[i]);
	seq_printf(m, "reg_reads %llu\nreg_writes %llu\n", s.reg_reads, s.reg_writes);
	seq_printf(m, "unknown_reads %llu\nunknown_writes %llu\n",
		   s.unknown_reads, s.unknown_writes);
	seq_printf(m, "soft_resets %llu\nhard_resets %llu\ncache_flushes %llu\n",
		   s.soft_resets, s.hard_resets, s.cache_flushes);
	seq_printf(m, "mcu_boots %llu\nmcu_faults %llu\ndoorbells %llu\n",
		   s.mcu_boots, s.mcu_faults, s.doorbells);
	seq_printf(m, "glb_reqs_acked %llu\npings %llu\n", s.glb_reqs_acked, s.pings);
	seq_printf(m, "cs_instructions %llu\ncs_fatals %llu\n", s.cs_instructions, s.cs_fatals);
	seq_printf(m, "csg_starts %llu\ncsg_suspends %llu\ncsg_resumes %llu\n",
		   s.csg_starts, s.csg_suspends, s.csg_resumes);
	seq_printf(m, "csg_terminates %llu\nsync_update_events %llu\nidle_events %llu\n",
		   s.csg_terminates, s.sync_update_events, s.idle_events);
	seq_printf(m, "tiler_ooms %llu\nheap_chunks_granted %llu\nheap_grants_refused %llu\n",
		   s.tiler_ooms, s.heap_chunks_granted, s.heap_grants_refused);
	seq_printf(m, "last_heap_chunk %#llx\nprogress_timer_events %llu\n",
		   s.last_heap_chunk, s.progress_timer_events);
	seq_printf(m, "clock_hz %lu\nclock_changes %llu\nclock_on %d\n",
		   READ_ONCE(mg->clk_rate), READ_ONCE(mg->clk_changes),
		   READ_ONCE(mg->clk_on));
	seq_printf(m, "clock_off_accesses %llu\n", READ_ONCE(mg->clk_off_accesses));
	seq_printf(m, "csg_hangs %llu\nhung_slot_reprogrammed %llu\nmcu_boots_refused %llu\n",
		   s.csg_hangs, s.hung_slot_reprogrammed, s.mcu_boots_refused);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(model_state);

/*
 * Fault injection, one shot each: "cs_unrecoverable" makes the next CS
 * fatal CS_UNRECOVERABLE; "hang_endpoint" makes the next RUN_COMPUTE/
 * FRAGMENT never complete, so a WAIT on its scoreboard never passes;
 * "csg_hang" makes the next SUSPEND/TERMINATE of a running CSG slot never
 * acknowledged (the slot hangs until a GPU reset). "mcu_dead" is kept:
 * the MCU never boots again, until "none" clears every injection.
 */
static ssize_t model_inject_write(struct file *f, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	struct model_gpu *mg = f->private_data;
	unsigned long flags;
	char buf[32];
	u32 bit;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	if (!strcmp(strim(buf), "cs_unrecoverable"))
		bit = MM_INJECT_CS_UNRECOVERABLE;
	else if (!strcmp(strim(buf), "hang_endpoint"))
		bit = MM_INJECT_HANG_ENDPOINT;
	else if (!strcmp(strim(buf), "csg_hang"))
		bit = MM_INJECT_CSG_HANG;
	else if (!strcmp(strim(buf), "mcu_dead"))
		bit = MM_INJECT_MCU_DEAD;
	else if (!strcmp(strim(buf), "none"))
		bit = 0;
	else
		return -EINVAL;
	spin_lock_irqsave(&mg->lock, flags);
	mg->core.inject = bit ? mg->core.inject | bit : 0;
	spin_unlock_irqrestore(&mg->lock, flags);
	return len;
}

static const struct file_operations model_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = model_inject_write,
};

/*
 * A hostile MCU from now on (struct mm_hostile, parsed from the bytes the
 * firmware-interface fuzzer writes; an empty write makes it honest again).
 * Interface writes apply at the next MCU boot.
 */
static ssize_t model_hostile_write(struct file *f, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	struct model_gpu *mg = f->private_data;
	struct mm_hostile h;
	unsigned long flags;
	u8 buf[256];

	if (len > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	mm_hostile_parse(&h, buf, len);
	spin_lock_irqsave(&mg->lock, flags);
	mg->core.hostile = h;
	spin_unlock_irqrestore(&mg->lock, flags);
	return len;
}

static const struct file_operations model_hostile_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = model_hostile_write,
};

/*
 * Any write: a cache flush the driver did not ask for (as a command
 * stream's FLUSH_CACHE2 would do), so LATEST_FLUSH_ID advances. Lets a
 * test see the USER_FLUSH_ID page follow the model.
 */
static ssize_t model_flush_caches_write(struct file *f, const char __user *ubuf,
					size_t len, loff_t *ppos)
{
	struct model_gpu *mg = f->private_data;
	unsigned long flags;

	spin_lock_irqsave(&mg->lock, flags);
	mm_set_flush_id(&mg->core, mg->core.flush_id + 1);
	spin_unlock_irqrestore(&mg->lock, flags);
	return len;
}

static const struct file_operations model_flush_caches_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = model_flush_caches_write,
};

/* ---- probe --------------------------------------------------------- */

/* ---- the GPU clocks ------------------------------------------------ */

static unsigned long model_clk_recalc_rate(struct clk_hw *hw, unsigned long parent)
{
	return READ_ONCE(container_of(hw, struct model_gpu, clk)->clk_rate);
}

/* Any rate in range, to the hertz: the OPP table says which ones are used. */
static int model_clk_determine_rate(struct clk_hw *hw, struct clk_rate_request *req)
{
	req->rate = clamp(req->rate, MODEL_CLK_MIN_HZ, MODEL_CLK_MAX_HZ);
	return 0;
}

static int model_clk_set_rate(struct clk_hw *hw, unsigned long rate,
			      unsigned long parent)
{
	struct model_gpu *mg = container_of(hw, struct model_gpu, clk);

	if (rate < MODEL_CLK_MIN_HZ || rate > MODEL_CLK_MAX_HZ)
		return -EINVAL;
	if (rate != mg->clk_rate) {
		WRITE_ONCE(mg->clk_changes, mg->clk_changes + 1);
		WRITE_ONCE(mg->clk_rate, rate);
	}
	return 0;
}

static int model_clk_enable(struct clk_hw *hw)
{
	WRITE_ONCE(container_of(hw, struct model_gpu, clk)->clk_on, true);
	return 0;
}

static void model_clk_disable(struct clk_hw *hw)
{
	WRITE_ONCE(container_of(hw, struct model_gpu, clk)->clk_on, false);
}

static int model_clk_is_enabled(struct clk_hw *hw)
{
	return READ_ONCE(container_of(hw, struct model_gpu, clk)->clk_on);
}

static const struct clk_ops model_clk_ops = {
	.enable = model_clk_enable,
	.disable = model_clk_disable,
	.is_enabled = model_clk_is_enabled,
	.recalc_rate = model_clk_recalc_rate,
	.determine_rate = model_clk_determine_rate,
	.set_rate = model_clk_set_rate,
};

/* "clocks = <&model N>": GPU node N's core clock. */
static struct clk_hw *model_clk_get(struct of_phandle_args *spec, void *data)
{
	struct model_host *host = data;

	if (spec->args_count != 1 || spec->args[0] >= host->ngpus)
		return ERR_PTR(-EINVAL);
	return &host->gpu[spec->args[0]]->clk;
}

static int model_clk_register(struct model_gpu *mg)
{
	struct clk_init_data init = {
		.ops = &model_clk_ops,
		.flags = CLK_GET_RATE_NOCACHE,
	};
	char name[24];

	snprintf(name, sizeof(name), "mali-model-gpu%u", mg->index);
	init.name = name;
	mg->clk_rate = MODEL_CLK_MAX_HZ;
	mg->clk.init = &init;
	return clk_hw_register(mg->host->dev, &mg->clk);
}

static int model_gpu_setup(struct model_host *host, struct device_node *np,
			   unsigned int idx, const struct resource *res,
			   __le32 *user_page)
{
	struct model_gpu *mg;
	struct mm_config cfg;
	char name[16];
	int i, ret;

	mg = vzalloc(sizeof(*mg));
	if (!mg)
		return -ENOMEM;
	host->gpu[idx] = mg;

	mg->host = host;
	mg->index = idx;
	mg->base = res->start;
	mg->user_page = user_page;
	spin_lock_init(&mg->lock);
	init_waitqueue_head(&mg->wq);
	for (i = 0; i < MM_IRQ_COUNT; i++) {
		int n = of_property_match_string(np, "interrupt-names", line_names[i]);

		if (n < 0 || of_property_read_u32_index(np, "interrupts", n,
							&mg->hwirq[i])) {
			dev_err(host->dev, "%pOF: no \"%s\" interrupt\n", np,
				line_names[i]);
			host->gpu[idx] = NULL;
			vfree(mg);
			return -EINVAL;
		}
	}
	mm_config_g610(&cfg);
	mm_init(&mg->core, &cfg, &model_host_ops, mg);
	ret = model_clk_register(mg);
	if (ret) {
		dev_err(host->dev, "%pOF: cannot register its clock: %d\n", np, ret);
		host->gpu[idx] = NULL;
		vfree(mg);
		return ret;
	}

	mg->thread = kthread_run(model_gpu_thread, mg, "mali-model/%u", idx);
	if (IS_ERR(mg->thread)) {
		clk_hw_unregister(&mg->clk);
		host->gpu[idx] = NULL;
		vfree(mg);
		return PTR_ERR(mg->thread);
	}

	snprintf(name, sizeof(name), "gpu%u", idx);
	mg->dir = debugfs_create_dir(name, host->dir);
	debugfs_create_file("info", 0444, mg->dir, mg, &model_info_fops);
	debugfs_create_file("state", 0444, mg->dir, mg, &model_state_fops);
	debugfs_create_file("inject", 0200, mg->dir, mg, &model_inject_fops);
	debugfs_create_file("hostile", 0200, mg->dir, mg, &model_hostile_fops);
	debugfs_create_file("flush_caches", 0200, mg->dir, mg,
			    &model_flush_caches_fops);
	dev_info(host->dev, "gpu%u: Mali-G610 model at %pa, irqs %u/%u/%u, USER_FLUSH_ID page %s\n",
		 idx, &mg->base, mg->hwirq[0], mg->hwirq[1], mg->hwirq[2],
		 user_page ? "backed" : "unbacked");
	return 0;
}

/*
 * The host file UML maps for iomem=mali-model,FILE: GPU i's window is
 * placed at the region's physical start + i * MODEL_GPU_SPAN, so its
 * USER_FLUSH_ID page is the file's page at that offset + 0x10000. Returns
 * the kernel's mapping of the file, or NULL (no such region, or too small:
 * the windows stay where the device tree puts them).
 */
static void *model_user_pages(struct device *dev, unsigned int ngpus)
{
	static char name[] = MODEL_IOMEM_NAME;
	unsigned long len, va, need;

	need = (ngpus - 1) * MODEL_GPU_SPAN + MMR_LATEST_FLUSH_ID + PAGE_SIZE;
	va = find_iomem(name, &len);
	if (!va) {
		dev_warn(dev, "no iomem=%s,FILE region: the USER_FLUSH_ID pages are not backed\n",
			 name);
		return NULL;
	}
	if (len < need) {
		dev_warn(dev, "iomem region %s has %lu bytes, %u GPUs need %lu: the USER_FLUSH_ID pages are not backed\n",
			 name, len, ngpus, need);
		return NULL;
	}
	return (void *)va;
}

/* Store @val in @n big-endian cells (n <= 2). */
static void model_write_cells(__be32 *cells, int n, u64 val)
{
	while (n--) {
		cells[n] = cpu_to_be32(lower_32_bits(val));
		val = upper_32_bits(val);
	}
}

/* Replace @np's reg with one window of MODEL_GPU_SPAN bytes at @base. */
static int model_move_node(struct device_node *np, phys_addr_t base)
{
	int na = of_n_addr_cells(np), ns = of_n_size_cells(np);
	struct property *prop, *old;
	__be32 *cells;

	if (na < 1 || na > 2 || ns < 1 || ns > 2)
		return -EINVAL;
	/* Never freed: the node keeps it (the module cannot be unloaded). */
	prop = kzalloc(sizeof(*prop) + (na + ns) * sizeof(*cells), GFP_KERNEL);
	if (!prop)
		return -ENOMEM;
	cells = (__be32 *)(prop + 1);
	model_write_cells(cells, na, base);
	model_write_cells(cells + na, ns, MODEL_GPU_SPAN);
	prop->name = "reg";
	prop->length = (na + ns) * sizeof(*cells);
	prop->value = cells;
	old = of_find_property(np, "reg", NULL);
	if (old)
		of_remove_property(np, old);
	return of_add_property(np, prop);
}

static int model_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct device_node *np = dev->of_node, *child;
	struct resource res[MODEL_MAX_GPUS];
	struct model_host *host;
	phys_addr_t start = ~(phys_addr_t)0, end = 0;
	unsigned int n = 0, i;
	void *upages;
	int ret;

	if (the_host)
		return -EBUSY;	/* one model host per VM */

	/* The region spans the GPU windows, which must be laid out back to back. */
	for_each_available_child_of_node(np, child) {
		if (n == MODEL_MAX_GPUS) {
			of_node_put(child);
			dev_err(dev, "more than %d GPU nodes\n", MODEL_MAX_GPUS);
			return -EINVAL;
		}
		ret = of_address_to_resource(child, 0, &res[n]);
		if (ret || resource_size(&res[n]) != MODEL_GPU_SPAN) {
			dev_err(dev, "%pOF: reg must be one %#x-byte window\n",
				child, MODEL_GPU_SPAN);
			of_node_put(child);
			return -EINVAL;
		}
		start = min(start, res[n].start);
		end = max(end, res[n].end);
		n++;
	}
	if (!n) {
		dev_err(dev, "no GPU nodes under %pOF\n", np);
		return -ENODEV;
	}
	for (i = 0; i < n; i++) {
		if (res[i].start != start + (phys_addr_t)i * MODEL_GPU_SPAN) {
			dev_err(dev, "GPU windows must be contiguous and in order\n");
			return -EINVAL;
		}
	}
	/* Move the windows onto the iomem= region, if there is one. */
	upages = model_user_pages(dev, n);
	if (upages) {
		start = __pa(upages);
		for (i = 0; i < n; i++) {
			res[i].start = start + (phys_addr_t)i * MODEL_GPU_SPAN;
			res[i].end = res[i].start + MODEL_GPU_SPAN - 1;
		}
		end = res[n - 1].end;
	}

	host = devm_kzalloc(dev, sizeof(*host), GFP_KERNEL);
	if (!host)
		return -ENOMEM;
	host->dev = dev;
	host->ngpus = n;
	host->region_start = start;
	host->region.name = "mali-model";
	host->region.start = start;
	host->region.end = end;
	host->region.flags = IORESOURCE_MEM;

	host->domain = irq_domain_add_linear(np, 128, &model_irq_domain_ops, host);
	if (!host->domain)
		return -ENOMEM;

	host->dir = debugfs_create_dir("mali-model", NULL);
	i = 0;
	for_each_available_child_of_node(np, child) {
		__le32 *up = NULL;

		if (upages)
			up = upages + i * MODEL_GPU_SPAN + MMR_LATEST_FLUSH_ID;
		ret = model_gpu_setup(host, child, i, &res[i], up);
		if (ret) {
			of_node_put(child);
			goto err_stop;
		}
		i++;
	}

	/* From here on the host must stay: logic_iomem cannot forget it. */
	the_host = host;
	ret = logic_iomem_add_region(&host->region, &model_region_ops);
	if (ret) {
		dev_err(dev, "cannot register %pR for emulation: %d\n",
			&host->region, ret);
		the_host = NULL;
		goto err_stop;
	}
	__module_get(THIS_MODULE);

	if (upages) {
		i = 0;
		for_each_available_child_of_node(np, child) {
			ret = model_move_node(child, res[i].start);
			if (ret) {
				dev_err(dev, "%pOF: cannot move reg to %pa: %d\n",
					child, &res[i].start, ret);
				of_node_put(child);
				return ret;
			}
			i++;
		}
	}

	/* Before the GPU nodes appear: their drivers get these clocks. */
	ret = of_clk_add_hw_provider(np, model_clk_get, host);
	if (ret) {
		dev_err(dev, "cannot provide the GPU clocks: %d\n", ret);
		return ret;
	}
	ret = of_platform_populate(np, NULL, NULL, dev);
	if (ret)
		dev_err(dev, "populating the GPU nodes failed: %d\n", ret);
	return ret;

err_stop:
	while (i--) {
		kthread_stop(host->gpu[i]->thread);
		clk_hw_unregister(&host->gpu[i]->clk);
		vfree(host->gpu[i]);
	}
	debugfs_remove_recursive(host->dir);
	irq_domain_remove(host->domain);
	return ret;
}

static const struct of_device_id model_of_match[] = {
	{ .compatible = "panref,mali-model" },
	{ }
};
MODULE_DEVICE_TABLE(of, model_of_match);

static struct platform_driver model_driver = {
	.probe = model_probe,
	.driver = {
		.name = "mali-model",
		.of_match_table = model_of_match,
		.suppress_bind_attrs = true,
	},
};
builtin_platform_driver(model_driver);

MODULE_DESCRIPTION("Software Mali-G610 (CSF) for User-Mode Linux");
MODULE_LICENSE("GPL");
