// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Software Mali-G610 (CSF) - the portable core: register file, interrupt
 * lines, GPU control, MMU (LPAE 4K stage-1 walks) and the MCU firmware
 * interface. See mali_model.h for the contract with the embedder.
 *
 * Behaviour is taken from what Linux 6.12's Panthor expects of the hardware
 * (drivers/gpu/drm/panthor) and from docs/csf-interface.md;
 * the code is our own.
 */
#include "mali_model.h"
#include "mm_regs.h"

#define LO32(x)	((u32)(x))
#define HI32(x)	((u32)((u64)(x) >> 32))

static const u32 irq_base[MM_IRQ_COUNT] = {
	[MM_IRQ_JOB] = MMR_JOB_INT_RAWSTAT,
	[MM_IRQ_MMU] = MMR_MMU_INT_RAWSTAT,
	[MM_IRQ_GPU] = MMR_GPU_INT_RAWSTAT,
};

void mm_config_g610(struct mm_config *c)
{
	memset(c, 0, sizeof(*c));
	/*
	 * Mali-G610 MP4 as on RK3588: GPU_ID as Panthor logs it on that SoC
	 * ("mali-g610 id 0xa867 major 0x0 minor 0x0 status 0x5"); the other
	 * values are Mesa drm-shim's "dumped from a G610" set
	 * (docs/uapi.md).
	 */
	c->gpu_id = 0xa8670005;
	c->gpu_rev = 0;			/* not in the dump */
	c->csf_id = 0x40a0412;
	c->l2_features = 0x7120306;
	c->core_features = 0;		/* not in the dump */
	c->tiler_features = 0x809;
	c->mem_features = 0x301;
	c->mmu_features = 0x2830;	/* 48-bit VA, 40-bit PA */
	c->as_present = 0xff;
	c->thread_max_threads = 2048;
	c->thread_max_workgroup_size = 1024;
	c->thread_max_barrier_size = 1024;
	c->thread_features = 0x4010000;
	c->texture_features[0] = 0xc1ffff9e;
	c->coherency_features = 0x1;	/* ACE-Lite; not in the dump */
	c->shader_present = 0x50005;
	c->tiler_present = 0x1;
	c->l2_present = 0x1;
	c->timestamp_hz = 24000000;	/* RK3588 system counter */
	c->cycle_hz = 1000000000;	/* top OPP of the VM's device tree */
	/* Interface 1.1.0 (what Panthor 6.12 logs on RK3588 firmware). */
	c->glb_version = (1u << 24) | (1u << 16) | 0;
	c->glb_features = 0;
	c->instr_features = 0;
	c->csg_num = 8;
	c->cs_num = 8;
	c->csg_features = 0;
	c->csg_suspend_size = 0x2000;	/* holds the saved stream states */
	c->csg_protm_suspend_size = 0x1000;
	/* 96 work registers, 8 scoreboards, compute|fragment|tiler. */
	c->cs_features = (96 - 1) | (8u << 8) | (7u << 16);
	c->flush_id_reset = 1;
}

static __printf(3, 4) void mm_log(struct mm_gpu *g, int level, const char *fmt, ...);

static void mm_log(struct mm_gpu *g, int level, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	if (!g->ops->log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	g->ops->log(g->ctx, level, buf);
}

static void raise_bits(struct mm_gpu *g, enum mm_irq_line line, u32 bits)
{
	u32 old = g->rawstat[line];

	g->rawstat[line] |= bits;
	if (g->rawstat[line] != old)
		g->irq_dirty = true;
}

void mm_set_flush_id(struct mm_gpu *g, u32 flush_id)
{
	g->flush_id = flush_id;
	if (g->ops->flush_id_changed)
		g->ops->flush_id_changed(g->ctx, flush_id);
}

bool mm_irq_asserted(const struct mm_gpu *g, enum mm_irq_line line)
{
	return (g->rawstat[line] & g->mask[line]) != 0;
}

void mm_reset(struct mm_gpu *g)
{
	u32 mask[MM_IRQ_COUNT];
	unsigned int i;

	/*
	 * The interrupt masks survive a reset: Panthor programs GPU_INT_MASK
	 * once and then waits for RESET_COMPLETED through the interrupt.
	 */
	memcpy(mask, g->mask, sizeof(mask));
	memset(g->rawstat, 0, sizeof(g->rawstat));
	g->gpu_status = 0;
	g->fault_status = 0;
	g->fault_addr = 0;
	g->timestamp_offset = 0;
	g->shader_ready = 0;
	g->tiler_ready = 0;
	g->l2_ready = 0;
	g->coherency_protocol = 31;	/* NONE */
	g->pwr_key = 0;
	g->pwr_override[0] = 0;
	g->pwr_override[1] = 0;
	mm_set_flush_id(g, g->cfg.flush_id_reset);
	g->mcu_control = MMC_MCU_DISABLE;
	g->mcu_status = MMC_MCU_STATUS_DISABLED;
	g->mcu_work = 0;
	g->mcu_work_late = 0;
	g->late_since_ns = 0;
	g->halt_latched = false;
	g->glb_progress_timer = 0;
	g->glb_poweroff_timer = 0;
	g->glb_idle_timer = 0;
	g->glb_core_en_mask = 0;
	g->glb_state_reqs = 0;
	memset(g->csg, 0, sizeof(g->csg));
	g->any_waiting = false;
	for (i = 0; i < MM_MAX_AS; i++) {
		struct mm_as *as = &g->as[i];
		u32 cmds = as->cmd_count;

		memset(as, 0, sizeof(*as));
		as->cmd_count = cmds;
		as->transcfg = MMC_AS_ADRMODE_UNMAPPED;
		as->act_transcfg = MMC_AS_ADRMODE_UNMAPPED;
	}
	memcpy(g->mask, mask, sizeof(mask));
	g->irq_dirty = true;
}

void mm_init(struct mm_gpu *g, const struct mm_config *cfg,
	     const struct mm_host_ops *ops, void *ctx)
{
	memset(g, 0, sizeof(*g));
	g->cfg = *cfg;
	if (g->cfg.csg_num > MM_MAX_CSG)
		g->cfg.csg_num = MM_MAX_CSG;
	if (g->cfg.cs_num > MM_MAX_CS)
		g->cfg.cs_num = MM_MAX_CS;
	g->ops = ops;
	g->ctx = ctx;
	mm_reset(g);
	g->rawstat[MM_IRQ_GPU] = 0;	/* power-on: no reset was requested */
}

/* ---- time ---------------------------------------------------------- */

static u64 ns_to_ticks(u64 ns, u64 hz)
{
	return (ns / 1000000000ull) * hz + (ns % 1000000000ull) * hz / 1000000000ull;
}

static u64 timestamp(struct mm_gpu *g)
{
	u64 ns = g->ops->now_ns ? g->ops->now_ns(g->ctx) : 0;

	return ns_to_ticks(ns, g->cfg.timestamp_hz) + g->timestamp_offset;
}

static u64 cycle_count(struct mm_gpu *g)
{
	u64 ns = g->ops->now_ns ? g->ops->now_ns(g->ctx) : 0;

	return ns_to_ticks(ns, g->cfg.cycle_hz);
}

/* ---- MMU ----------------------------------------------------------- */

static int phys_read64(struct mm_gpu *g, u64 pa, u64 *v)
{
	u8 b[8];
	int i;

	if (g->ops->phys_read(g->ctx, pa, b, 8))
		return -1;
	*v = 0;
	for (i = 7; i >= 0; i--)
		*v = (*v << 8) | b[i];
	return 0;
}

#define PTE_VALID	(1ull << 0)
#define PTE_TABLE	(1ull << 1)	/* table at L0-2, page at L3 */
#define PTE_AP_RDONLY	(1ull << 7)
#define PTE_AF		(1ull << 10)
#define PTE_XN		(3ull << 53)	/* UXN | PXN */
#define PTE_ADDR	0x0000fffffffff000ull

void mm_translate(struct mm_gpu *g, unsigned int asn, u64 va,
		  enum mm_access acc, struct mm_xlate *x)
{
	const struct mm_as *as = &g->as[asn % MM_MAX_AS];
	u32 mode = as->act_transcfg & MMC_AS_ADRMODE_MASK;
	u32 pa_bits = (g->cfg.mmu_features >> 8) & 0xff;
	u32 va_bits, ina;
	u64 table, desc = 0;
	int level, start;

	memset(x, 0, sizeof(*x));
	if (asn >= MM_MAX_AS || !(g->cfg.as_present & (1u << asn))) {
		x->fault = MME_TRANSLATION_FAULT(0);
		return;
	}
	if (mode == MMC_AS_ADRMODE_IDENTITY) {
		x->pa = va;
		x->writable = true;
		x->executable = true;
		return;
	}
	if (mode != MMC_AS_ADRMODE_AARCH64_4K) {
		/* UNMAPPED, or a mode the G610 does not implement. */
		x->fault = MME_TRANSLATION_FAULT(0);
		return;
	}
	ina = MMC_AS_INA_BITS(as->act_transcfg);
	va_bits = ina ? 55 - ina : 48;
	if (va_bits > 48)
		va_bits = 48;
	if (va_bits < 25)
		va_bits = 25;
	if (va >> va_bits) {
		x->fault = MME_ADDR_SIZE_FAULT_IN;
		return;
	}
	/* Each level resolves 9 bits above the 12-bit page offset. */
	start = 4 - (int)((va_bits - 12 + 8) / 9);
	table = as->act_transtab & PTE_ADDR;
	for (level = start; level <= 3; level++) {
		unsigned int shift = 12 + 9 * (3 - level);
		u64 idx = (va >> shift) & 511;

		x->level = level;
		if (phys_read64(g, table + idx * 8, &desc)) {
			x->fault = 0xd0u + level;	/* TRANSTAB_BUS_FAULT */
			return;
		}
		if (!(desc & PTE_VALID)) {
			x->fault = MME_TRANSLATION_FAULT(level);
			return;
		}
		if (level < 3 && (desc & PTE_TABLE)) {
			table = desc & PTE_ADDR;
			continue;
		}
		/* A leaf: a page at L3, a block at L1/L2 (no L0 blocks). */
		if ((level == 3 && !(desc & PTE_TABLE)) || level == 0) {
			x->fault = MME_TRANSLATION_FAULT(level);
			return;
		}
		x->pa = (desc & PTE_ADDR & ~((1ull << shift) - 1)) |
			(va & ((1ull << shift) - 1));
		break;
	}
	if (pa_bits && (x->pa >> pa_bits)) {
		x->fault = MME_ADDR_SIZE_FAULT_OUT(level);
		return;
	}
	if (!(desc & PTE_AF) && !(as->act_transcfg & MMC_AS_DISABLE_AF_FAULT)) {
		x->fault = MME_ACCESS_FLAG(level);
		return;
	}
	x->writable = !(desc & PTE_AP_RDONLY);
	x->executable = !(desc & PTE_XN);
	if ((acc == MM_ACC_WRITE && !x->writable) ||
	    (acc == MM_ACC_EXEC && !x->executable))
		x->fault = MME_PERM_FAULT(level);
}

static int vm_access(struct mm_gpu *g, unsigned int asn, u64 va, void *rbuf,
		     const void *wbuf, size_t len, struct mm_xlate *xo)
{
	enum mm_access acc = wbuf ? MM_ACC_WRITE : MM_ACC_READ;
	struct mm_xlate x;
	size_t done = 0;

	while (done < len) {
		u64 cur = va + done;
		size_t chunk = 0x1000 - (cur & 0xfff);
		int r;

		if (chunk > len - done)
			chunk = len - done;
		mm_translate(g, asn, cur, acc, &x);
		if (!x.fault) {
			if (wbuf)
				r = g->ops->phys_write(g->ctx, x.pa,
						       (const u8 *)wbuf + done, chunk);
			else
				r = g->ops->phys_read(g->ctx, x.pa,
						      (u8 *)rbuf + done, chunk);
			if (r)
				x.fault = 0x80;		/* GPU_BUS_FAULT */
		}
		if (x.fault) {
			x.pa = cur;	/* report the faulting VA */
			if (xo)
				*xo = x;
			return -1;
		}
		done += chunk;
	}
	return 0;
}

int mm_vm_read(struct mm_gpu *g, unsigned int as, u64 va, void *buf,
	       size_t len, struct mm_xlate *x)
{
	return vm_access(g, as, va, buf, NULL, len, x);
}

int mm_vm_write(struct mm_gpu *g, unsigned int as, u64 va, const void *buf,
		size_t len, struct mm_xlate *x)
{
	return vm_access(g, as, va, NULL, buf, len, x);
}

void mm_mmu_fault(struct mm_gpu *g, unsigned int asn, u64 va,
		  enum mm_access acc, u32 exception)
{
	static const u32 acc_type[] = {
		[MM_ACC_READ] = 2, [MM_ACC_WRITE] = 3, [MM_ACC_EXEC] = 1,
	};
	struct mm_as *as;

	if (asn >= MM_MAX_AS)
		return;
	as = &g->as[asn];
	/* Like the hardware, keep the first fault until it is cleared. */
	if (g->rawstat[MM_IRQ_MMU] & (1u << asn))
		return;
	as->faultstatus = (exception & 0xff) |
			  (acc_type[acc] << MMC_FAULT_ACCESS_SHIFT);
	as->faultaddress = va;
	as->faultextra = 0;
	raise_bits(g, MM_IRQ_MMU, 1u << asn);
}

static void as_command(struct mm_gpu *g, unsigned int asn, u32 cmd)
{
	struct mm_as *as = &g->as[asn];

	as->cmd_count++;
	switch (cmd) {
	case MMC_AS_UPDATE:
		as->act_transtab = as->transtab;
		as->act_memattr = as->memattr;
		as->act_transcfg = as->transcfg;
		break;
	case MMC_AS_NOP:
	case MMC_AS_LOCK:
	case MMC_AS_UNLOCK:
	case MMC_AS_FLUSH_PT:
	case MMC_AS_FLUSH_MEM:
		/*
		 * The model caches no translations and writes memory
		 * through, so locking and flushing complete at once
		 * (AS_STATUS.ACTIVE never stays set).
		 */
		break;
	default:
		mm_log(g, MM_LOG_WARN, "AS%u: unknown command %#x", asn, cmd);
		break;
	}
}

/* The 64-bit register of an AS that @reg (either half) belongs to. */
static u64 *as_reg64(struct mm_as *as, u32 reg)
{
	switch (reg & ~4u) {
	case MMR_AS_TRANSTAB:
		return &as->transtab;
	case MMR_AS_MEMATTR:
		return &as->memattr;
	case MMR_AS_LOCKADDR:
		return &as->lockaddr;
	case MMR_AS_FAULTADDRESS:
		return &as->faultaddress;
	case MMR_AS_TRANSCFG:
		return &as->transcfg;
	case MMR_AS_FAULTEXTRA:
		return &as->faultextra;
	}
	return NULL;
}

/* Registers of one address space: @reg is the offset inside its 0x40. */
static bool as_reg_read(struct mm_gpu *g, unsigned int asn, u32 reg, u32 *v)
{
	struct mm_as *as = &g->as[asn];
	u64 *r;

	if (reg == MMR_AS_COMMAND || reg == MMR_AS_STATUS) {
		*v = 0;		/* commands complete at once: never ACTIVE */
		return true;
	}
	if (reg == MMR_AS_FAULTSTATUS) {
		*v = as->faultstatus;
		return true;
	}
	r = as_reg64(as, reg);
	if (!r)
		return false;
	*v = (reg & 4) ? HI32(*r) : LO32(*r);
	return true;
}

static void set_lo(u64 *r, u32 v)
{
	*r = (*r & ~0xffffffffull) | v;
}

static void set_hi(u64 *r, u32 v)
{
	*r = (*r & 0xffffffffull) | ((u64)v << 32);
}

static bool as_reg_write(struct mm_gpu *g, unsigned int asn, u32 reg, u32 v)
{
	struct mm_as *as = &g->as[asn];
	u64 *r;

	if (reg == MMR_AS_COMMAND) {
		as_command(g, asn, v);
		return true;
	}
	r = as_reg64(as, reg);
	if (!r || r == &as->faultaddress || r == &as->faultextra)
		return false;	/* unknown or read-only */
	if (reg & 4)
		set_hi(r, v);
	else
		set_lo(r, v);
	return true;
}

/* ---- GPU control --------------------------------------------------- */

static void gpu_command(struct mm_gpu *g, u32 cmd)
{
	switch (cmd & 0xff) {
	case MMC_CMD_NOP:
		break;
	case MMC_CMD_RESET:
		if ((cmd >> 8) == 2)
			g->stats.hard_resets++;
		else
			g->stats.soft_resets++;
		mm_reset(g);
		raise_bits(g, MM_IRQ_GPU, MMB_RESET_COMPLETED);
		break;
	case MMC_CMD_FLUSH_CACHES:
		/* Nothing is cached: the flush is complete at once. */
		g->stats.cache_flushes++;
		mm_set_flush_id(g, g->flush_id + 1);
		raise_bits(g, MM_IRQ_GPU, MMB_CLEAN_CACHES_COMPLETED);
		break;
	default:
		mm_log(g, MM_LOG_WARN, "unknown GPU_CMD %#x", cmd);
		break;
	}
}

/* Power domains: transitions are instantaneous, so PWRTRANS reads 0. */
static u64 *pwr_domain(struct mm_gpu *g, u32 blk, u64 *present)
{
	switch (blk) {
	case 0x00:
		*present = g->cfg.shader_present;
		return &g->shader_ready;
	case 0x10:
		*present = g->cfg.tiler_present;
		return &g->tiler_ready;
	case 0x20:
		*present = g->cfg.l2_present;
		return &g->l2_ready;
	}
	return NULL;
}

/*
 * Decode a power register: @base is READY/ON/OFF/TRANS/ACTIVE, @ready the
 * domain's ready mask. False if @off is not one.
 */
static bool pwr_decode(struct mm_gpu *g, u32 off, u32 *base, u64 **ready,
		       u64 *present)
{
	u32 rel;

	if (off < MMR_PWR_READY || off >= MMR_PWR_ACTIVE + 0x30)
		return false;
	rel = off - MMR_PWR_READY;
	if (rel & 8)
		return false;
	*base = MMR_PWR_READY + (rel & ~0x3fu);
	*ready = pwr_domain(g, rel & 0x30, present);
	return *ready != NULL;
}

static bool pwr_reg_read(struct mm_gpu *g, u32 off, u32 *v)
{
	u64 present, *ready, val;
	u32 base;

	if (!pwr_decode(g, off, &base, &ready, &present))
		return false;
	/* Transitions are instantaneous: TRANS reads 0, ACTIVE = READY. */
	val = (base == MMR_PWR_READY || base == MMR_PWR_ACTIVE) ? *ready : 0;
	*v = (off & 4) ? HI32(val) : LO32(val);
	return true;
}

static bool pwr_reg_write(struct mm_gpu *g, u32 off, u32 v)
{
	u64 present, *ready, mask;
	u32 base;

	if (!pwr_decode(g, off, &base, &ready, &present) ||
	    (base != MMR_PWR_ON && base != MMR_PWR_OFF))
		return false;
	mask = (off & 4) ? (u64)v << 32 : v;
	mask &= present;
	if (base == MMR_PWR_ON)
		*ready |= mask;
	else
		*ready &= ~mask;
	raise_bits(g, MM_IRQ_GPU, MMB_POWER_CHANGED | MMB_POWER_CHANGED_ALL);
	return true;
}

/* Read-only identity registers: where each one lives in struct mm_config. */
enum { ID32, ID64_LO, ID64_HI };
#define ID_REG(off, field, kind) { off, offsetof(struct mm_config, field), kind }
static const struct {
	u32 off;
	u16 field;
	u8 kind;
} id_regs[] = {
	ID_REG(MMR_GPU_ID, gpu_id, ID32),
	ID_REG(MMR_L2_FEATURES, l2_features, ID32),
	ID_REG(MMR_CORE_FEATURES, core_features, ID32),
	ID_REG(MMR_TILER_FEATURES, tiler_features, ID32),
	ID_REG(MMR_MEM_FEATURES, mem_features, ID32),
	ID_REG(MMR_MMU_FEATURES, mmu_features, ID32),
	ID_REG(MMR_AS_PRESENT, as_present, ID32),
	ID_REG(MMR_CSF_ID, csf_id, ID32),
	ID_REG(MMR_THREAD_MAX_THREADS, thread_max_threads, ID32),
	ID_REG(MMR_THREAD_MAX_WORKGROUP_SIZE, thread_max_workgroup_size, ID32),
	ID_REG(MMR_THREAD_MAX_BARRIER_SIZE, thread_max_barrier_size, ID32),
	ID_REG(MMR_THREAD_FEATURES, thread_features, ID32),
	ID_REG(MMR_TEXTURE_FEATURES(0), texture_features[0], ID32),
	ID_REG(MMR_TEXTURE_FEATURES(1), texture_features[1], ID32),
	ID_REG(MMR_TEXTURE_FEATURES(2), texture_features[2], ID32),
	ID_REG(MMR_TEXTURE_FEATURES(3), texture_features[3], ID32),
	ID_REG(MMR_SHADER_PRESENT_LO, shader_present, ID64_LO),
	ID_REG(MMR_SHADER_PRESENT_LO + 4, shader_present, ID64_HI),
	ID_REG(MMR_TILER_PRESENT_LO, tiler_present, ID64_LO),
	ID_REG(MMR_TILER_PRESENT_LO + 4, tiler_present, ID64_HI),
	ID_REG(MMR_L2_PRESENT_LO, l2_present, ID64_LO),
	ID_REG(MMR_L2_PRESENT_LO + 4, l2_present, ID64_HI),
	ID_REG(MMR_GPU_REVID, gpu_rev, ID32),
	ID_REG(MMR_COHERENCY_FEATURES, coherency_features, ID32),
};

static bool id_reg_read(struct mm_gpu *g, u32 off, u32 *v)
{
	const u8 *cfg = (const u8 *)&g->cfg;
	size_t i;
	u64 v64;
	u32 v32;

	for (i = 0; i < ARRAY_SIZE(id_regs); i++) {
		if (id_regs[i].off != off)
			continue;
		if (id_regs[i].kind == ID32) {
			memcpy(&v32, cfg + id_regs[i].field, 4);
			*v = v32;
		} else {
			memcpy(&v64, cfg + id_regs[i].field, 8);
			*v = id_regs[i].kind == ID64_HI ? HI32(v64) : LO32(v64);
		}
		return true;
	}
	return false;
}

static bool irq_reg(u32 off, enum mm_irq_line *line, u32 *reg)
{
	int i;

	for (i = 0; i < MM_IRQ_COUNT; i++) {
		if (off >= irq_base[i] && off < irq_base[i] + 0x10) {
			*line = i;
			*reg = off - irq_base[i];
			return true;
		}
	}
	return false;
}

/* The remaining single registers. */
static bool plain_reg_read(struct mm_gpu *g, u32 off, u32 *v)
{
	u64 v64;

	switch (off) {
	case MMR_GPU_CMD:
	case MMR_PWR_KEY:
		*v = 0;		/* write-only */
		return true;
	case MMR_GPU_STATUS:
		*v = g->gpu_status;
		return true;
	case MMR_GPU_FAULT_STATUS:
		*v = g->fault_status;
		return true;
	case MMR_PWR_OVERRIDE0:
	case MMR_PWR_OVERRIDE1:
		*v = g->pwr_override[(off - MMR_PWR_OVERRIDE0) / 4];
		return true;
	case MMR_COHERENCY_PROTOCOL:
		*v = g->coherency_protocol;
		return true;
	case MMR_MCU_CONTROL:
		*v = g->mcu_control;
		return true;
	case MMR_MCU_STATUS:
		*v = g->mcu_status;
		return true;
	case MMR_LATEST_FLUSH_ID:
		*v = g->flush_id;
		return true;
	case MMR_GPU_FAULT_ADDR_LO:
	case MMR_GPU_FAULT_ADDR_HI:
		v64 = g->fault_addr;
		break;
	case MMR_TIMESTAMP_OFFSET_LO:
	case MMR_TIMESTAMP_OFFSET_HI:
		v64 = g->timestamp_offset;
		break;
	case MMR_CYCLE_COUNT_LO:
	case MMR_CYCLE_COUNT_HI:
		v64 = cycle_count(g);
		break;
	case MMR_TIMESTAMP_LO:
	case MMR_TIMESTAMP_HI:
		v64 = timestamp(g);
		break;
	default:
		return false;
	}
	*v = (off & 4) ? HI32(v64) : LO32(v64);
	return true;
}

u32 mm_reg_read(struct mm_gpu *g, u32 off)
{
	enum mm_irq_line line;
	u32 v = 0, reg;

	g->stats.reg_reads++;
	if (id_reg_read(g, off, &v) || pwr_reg_read(g, off, &v))
		return v;
	if (irq_reg(off, &line, &reg)) {
		if (reg == 0x0)
			return g->rawstat[line];
		if (reg == 0x8)
			return g->mask[line];
		if (reg == 0xc)
			return g->rawstat[line] & g->mask[line];
		return 0;	/* CLEAR is write-only */
	}
	if (off >= MMR_AS_BASE && off < MMR_AS_BASE + MM_MAX_AS * MMR_AS_STRIDE &&
	    as_reg_read(g, (off - MMR_AS_BASE) / MMR_AS_STRIDE,
			(off - MMR_AS_BASE) % MMR_AS_STRIDE, &v))
		return v;
	if (off >= MMR_DOORBELL_BASE && off < MMR_DOORBELL_BASE +
	    MMR_DOORBELL_COUNT * MMR_DOORBELL_STRIDE)
		return 0;
	if (plain_reg_read(g, off, &v))
		return v;
	g->stats.unknown_reads++;
	mm_log(g, MM_LOG_WARN, "read of unknown register %#x (reads as 0)", off);
	return 0;
}

static void mcu_control(struct mm_gpu *g, u32 v)
{
	g->mcu_control = v & 3;
	if (g->mcu_control == MMC_MCU_DISABLE) {
		if (g->mcu_status != MMC_MCU_STATUS_DISABLED) {
			g->mcu_status = MMC_MCU_STATUS_DISABLED;
			raise_bits(g, MM_IRQ_GPU, MMB_MCU_STATUS_CHANGED);
		}
		g->mcu_work = 0;
		return;
	}
	g->mcu_work |= MM_WORK_CONTROL;
}

void mm_reg_write(struct mm_gpu *g, u32 off, u32 v)
{
	enum mm_irq_line line;
	u32 reg;

	g->stats.reg_writes++;
	if (pwr_reg_write(g, off, v))
		return;
	if (irq_reg(off, &line, &reg)) {
		switch (reg) {
		case 0x0:	/* writing RAWSTAT sets bits, as on Mali */
			raise_bits(g, line, v);
			return;
		case 0x4:
			g->rawstat[line] &= ~v;
			break;
		case 0x8:
			g->mask[line] = v;
			break;
		default:
			goto unknown;
		}
		g->irq_dirty = true;
		return;
	}
	if (off >= MMR_AS_BASE && off < MMR_AS_BASE + MM_MAX_AS * MMR_AS_STRIDE) {
		if (as_reg_write(g, (off - MMR_AS_BASE) / MMR_AS_STRIDE,
				 (off - MMR_AS_BASE) % MMR_AS_STRIDE, v))
			return;
		goto unknown;
	}
	if (off >= MMR_DOORBELL_BASE && off < MMR_DOORBELL_BASE +
	    MMR_DOORBELL_COUNT * MMR_DOORBELL_STRIDE &&
	    !(off & (MMR_DOORBELL_STRIDE - 1))) {
		u32 db = (off - MMR_DOORBELL_BASE) / MMR_DOORBELL_STRIDE;

		g->stats.doorbells++;
		if (db == 0)
			g->mcu_work |= MM_WORK_GLB_DB;
		else if (db <= MM_MAX_CSG)
			g->mcu_work |= 1u << (MM_WORK_CS_DB_SHIFT + db - 1);
		return;
	}
	switch (off) {
	case MMR_GPU_CMD:
		gpu_command(g, v);
		return;
	case MMR_PWR_KEY:
		g->pwr_key = v;
		return;
	case MMR_PWR_OVERRIDE0:
	case MMR_PWR_OVERRIDE1:
		g->pwr_override[(off - MMR_PWR_OVERRIDE0) / 4] = v;
		return;
	case MMR_TIMESTAMP_OFFSET_LO:
		set_lo(&g->timestamp_offset, v);
		return;
	case MMR_TIMESTAMP_OFFSET_HI:
		set_hi(&g->timestamp_offset, v);
		return;
	case MMR_COHERENCY_PROTOCOL:
		g->coherency_protocol = v;
		return;
	case MMR_MCU_CONTROL:
		mcu_control(g, v);
		return;
	}
unknown:
	g->stats.unknown_writes++;
	mm_log(g, MM_LOG_WARN, "write of %#x to unknown or read-only register %#x",
	       v, off);
}

/* ---- MCU: the firmware interface ----------------------------------- */

/*
 * The MCU reaches its interface through AS0, as the firmware does. A
 * failed access is a firmware page fault: it is reported on AS0 and the
 * MCU stops (MCU_STATUS = FATAL).
 */
struct mcu_ctx {
	struct mm_gpu *g;
	bool failed;
};

static u32 mcu_rd(struct mcu_ctx *m, u32 off)
{
	struct mm_xlate x;
	u8 b[4];

	if (m->failed)
		return 0;
	if (mm_vm_read(m->g, 0, (u64)CSFL_SHARED_VA + off, b, 4, &x)) {
		mm_mmu_fault(m->g, 0, x.pa, MM_ACC_READ, x.fault);
		m->failed = true;
		return 0;
	}
	return b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
}

static void mcu_wr(struct mcu_ctx *m, u32 off, u32 v)
{
	struct mm_xlate x;
	u8 b[4] = { v, v >> 8, v >> 16, v >> 24 };

	if (m->failed)
		return;
	if (mm_vm_write(m->g, 0, (u64)CSFL_SHARED_VA + off, b, 4, &x)) {
		mm_mmu_fault(m->g, 0, x.pa, MM_ACC_WRITE, x.fault);
		m->failed = true;
	}
}

static u64 mcu_rd64(struct mcu_ctx *m, u32 off)
{
	return mcu_rd(m, off) | (u64)mcu_rd(m, off + 4) << 32;
}

static void mcu_fatal(struct mm_gpu *g, const char *what)
{
	g->stats.mcu_faults++;
	g->mcu_status = MMC_MCU_STATUS_FATAL;
	g->mcu_work = 0;
	raise_bits(g, MM_IRQ_GPU, MMB_MCU_STATUS_CHANGED);
	mm_log(g, MM_LOG_ERR, "MCU fault while %s: AS0 fault status %#x at %#llx",
	       what, g->as[0].faultstatus,
	       (unsigned long long)g->as[0].faultaddress);
}

/*
 * The interface fields a hostile MCU overwrites (a selector byte below the
 * count picks one; above it, the next two bytes are a raw offset).
 */
static const u32 hostile_fields[] = {
	GLBC_VERSION, GLBC_FEATURES, GLBC_INPUT_VA, GLBC_OUTPUT_VA, GLBC_GROUP_NUM,
	GLBC_GROUP_STRIDE, GLBC_PERFCNT_SIZE, GLBC_INSTR_FEATURES,
	CSFL_GROUP_CONTROL + CSGC_FEATURES, CSFL_GROUP_CONTROL + CSGC_INPUT_VA,
	CSFL_GROUP_CONTROL + CSGC_OUTPUT_VA, CSFL_GROUP_CONTROL + CSGC_SUSPEND_SIZE,
	CSFL_GROUP_CONTROL + CSGC_PROTM_SUSPEND_SIZE, CSFL_GROUP_CONTROL + CSGC_STREAM_NUM,
	CSFL_GROUP_CONTROL + CSGC_STREAM_STRIDE,
	CSFL_GROUP_CONTROL + CSFL_STREAM_CONTROL + CSC_FEATURES,
	CSFL_GROUP_CONTROL + CSFL_STREAM_CONTROL + CSC_INPUT_VA,
	CSFL_GROUP_CONTROL + CSFL_STREAM_CONTROL + CSC_OUTPUT_VA,
	CSFL_GROUP_CONTROL + CSFL_GROUP_STRIDE + CSGC_STREAM_NUM,
	CSFL_GROUP_CONTROL + 7 * CSFL_GROUP_STRIDE + CSGC_INPUT_VA,
};

static u32 hostile_rd(const u8 *buf, u32 len, u32 *pos, u32 n)
{
	u32 v = 0, i;

	for (i = 0; i < n; i++, (*pos)++)
		if (*pos < len)
			v |= (u32)buf[*pos] << (8 * i);
	return v;
}

u32 mm_hostile_parse(struct mm_hostile *h, const u8 *buf, u32 len)
{
	u32 pos = 0, i, sel;

	memset(h, 0, sizeof(*h));
	h->nwrites = hostile_rd(buf, len, &pos, 1) % (MM_HOSTILE_MAX_WRITES + 1);
	for (i = 0; i < h->nwrites; i++) {
		sel = hostile_rd(buf, len, &pos, 1);
		if (sel < ARRAY_SIZE(hostile_fields))
			h->w[i].off = hostile_fields[sel];
		else
			h->w[i].off = hostile_rd(buf, len, &pos, 2) & ~3u;
		h->w[i].val = hostile_rd(buf, len, &pos, 4);
		/* small values and near misses more often than noise */
		if (sel & 0x80)
			h->w[i].val &= 0xff;
	}
	h->glb_ack_drop = hostile_rd(buf, len, &pos, 1) == 0xff ?
			  hostile_rd(buf, len, &pos, 4) : 0;
	h->csg_ack_drop = hostile_rd(buf, len, &pos, 1) == 0xff ?
			  hostile_rd(buf, len, &pos, 4) : 0;
	h->ack_flip = hostile_rd(buf, len, &pos, 1) == 0xff ?
		      hostile_rd(buf, len, &pos, 4) : 0;
	h->fatal_code = hostile_rd(buf, len, &pos, 1);
	/* late answers and spurious events, one time in four each */
	h->ack_late_ms = hostile_rd(buf, len, &pos, 1) >= 0xc0 ?
			 hostile_rd(buf, len, &pos, 1) : 0;
	sel = hostile_rd(buf, len, &pos, 1);
	h->spurious_csg = sel >= 0xc0 ? sel & 7 : 0;
	return pos < len ? pos : len;
}

static void mcu_boot(struct mm_gpu *g)
{
	const struct mm_config *c = &g->cfg;
	struct mcu_ctx m = { .g = g };
	u32 i, j;

	if (g->inject & MM_INJECT_MCU_DEAD) {
		g->stats.mcu_boots_refused++;
		mm_log(g, MM_LOG_INFO, "MCU does not boot (injected)");
		return;
	}
	mcu_wr(&m, GLBC_VERSION, c->glb_version);
	mcu_wr(&m, GLBC_FEATURES, c->glb_features);
	mcu_wr(&m, GLBC_INPUT_VA, CSFL_SHARED_VA + CSFL_GLB_INPUT);
	mcu_wr(&m, GLBC_OUTPUT_VA, CSFL_SHARED_VA + CSFL_GLB_OUTPUT);
	mcu_wr(&m, GLBC_GROUP_NUM, c->csg_num);
	mcu_wr(&m, GLBC_GROUP_STRIDE, CSFL_GROUP_STRIDE);
	mcu_wr(&m, GLBC_PERFCNT_SIZE, 0);
	mcu_wr(&m, GLBC_INSTR_FEATURES, c->instr_features);
	for (i = 0; i < c->csg_num; i++) {
		u32 csg = CSFL_GROUP_CONTROL + i * CSFL_GROUP_STRIDE;

		mcu_wr(&m, csg + CSGC_FEATURES, c->csg_features);
		mcu_wr(&m, csg + CSGC_INPUT_VA, CSFL_SHARED_VA + CSFL_CSG_INPUT(i));
		mcu_wr(&m, csg + CSGC_OUTPUT_VA, CSFL_SHARED_VA + CSFL_CSG_OUTPUT(i));
		mcu_wr(&m, csg + CSGC_SUSPEND_SIZE, c->csg_suspend_size);
		mcu_wr(&m, csg + CSGC_PROTM_SUSPEND_SIZE, c->csg_protm_suspend_size);
		mcu_wr(&m, csg + CSGC_STREAM_NUM, c->cs_num);
		mcu_wr(&m, csg + CSGC_STREAM_STRIDE, CSFL_STREAM_STRIDE);
		for (j = 0; j < c->cs_num; j++) {
			u32 cs = csg + CSFL_STREAM_CONTROL + j * CSFL_STREAM_STRIDE;

			mcu_wr(&m, cs + CSC_FEATURES, c->cs_features);
			mcu_wr(&m, cs + CSC_INPUT_VA,
			       CSFL_SHARED_VA + CSFL_CS_INPUT(i, j));
			mcu_wr(&m, cs + CSC_OUTPUT_VA,
			       CSFL_SHARED_VA + CSFL_CS_OUTPUT(i, j));
		}
		/*
		 * Nothing pending on a freshly booted interface: neither
		 * requests nor events (ack == req), so an event the host
		 * acknowledged before a reboot is not raised again.
		 */
		mcu_wr(&m, CSFL_CSG_OUTPUT(i) + CSGO_ACK,
		       mcu_rd(&m, CSFL_CSG_INPUT(i) + CSGI_REQ));
		mcu_wr(&m, CSFL_CSG_OUTPUT(i) + CSGO_DOORBELL_ACK,
		       mcu_rd(&m, CSFL_CSG_INPUT(i) + CSGI_DOORBELL_REQ));
		mcu_wr(&m, CSFL_CSG_OUTPUT(i) + CSGO_CS_IRQ_REQ,
		       mcu_rd(&m, CSFL_CSG_INPUT(i) + CSGI_CS_IRQ_ACK));
		mcu_wr(&m, CSFL_CSG_OUTPUT(i) + CSGO_STATUS_STATE,
		       CSG_STATUS_STATE_IDLE);
		for (j = 0; j < c->cs_num; j++)
			mcu_wr(&m, CSFL_CS_OUTPUT(i, j) + CSO_ACK,
			       mcu_rd(&m, CSFL_CS_INPUT(i, j) + CSI_REQ));
	}
	mcu_wr(&m, CSFL_GLB_OUTPUT + GLBO_ACK,
	       mcu_rd(&m, CSFL_GLB_INPUT + GLBI_REQ) & ~GLB_HALT);
	mcu_wr(&m, CSFL_GLB_OUTPUT + GLBO_DOORBELL_ACK,
	       mcu_rd(&m, CSFL_GLB_INPUT + GLBI_DOORBELL_REQ));
	mcu_wr(&m, CSFL_GLB_OUTPUT + GLBO_HALT_STATUS, 0);
	/* A hostile MCU publishes what the fuzzer says (CSFL_SHARED_SIZE bound). */
	for (i = 0; i < g->hostile.nwrites && i < MM_HOSTILE_MAX_WRITES; i++)
		mcu_wr(&m, g->hostile.w[i].off % CSFL_SHARED_SIZE, g->hostile.w[i].val);
	if (m.failed) {
		mcu_fatal(g, "publishing the global interface");
		return;
	}
	g->halt_latched = false;
	g->glb_state_reqs = 0;
	g->mcu_status = MMC_MCU_STATUS_ENABLED;
	g->stats.mcu_boots++;
	raise_bits(g, MM_IRQ_GPU, MMB_MCU_STATUS_CHANGED);
	raise_bits(g, MM_IRQ_JOB, MMB_JOB_GLOBAL_IF);
}

/* CSG/CS request, event and status bits (panthor_fw.h). */
#define CSG_STATE_TERMINATE	0
#define CSG_STATE_START		1
#define CSG_STATE_SUSPEND	2
#define CSG_STATE_RESUME	3
#define CS_STATE_MASK		0x7u
#define CS_STATE_START		1
#define CS_FATAL		(1u << 30)
#define CS_TILER_OOM		(1u << 26)
#define CSI_HEAP_START		0x20
#define CSO_HEAP_ADDRESS	0xd0
#define CSI_CONFIG		0x04
#define CSI_RINGBUF_BASE	0x10
#define CSI_RINGBUF_SIZE	0x18
#define CSI_RINGBUF_INPUT	0x30
#define CSI_RINGBUF_OUTPUT	0x38
#define CSO_STATUS_CMD_PTR	0x40
#define CSO_STATUS_WAIT		0x48
#define CSO_STATUS_REQ_RESOURCE	0x4c
#define CSO_STATUS_WAIT_SYNC_PTR 0x50
#define CSO_STATUS_WAIT_SYNC_VALUE 0x58
#define CSO_STATUS_SCOREBOARDS	0x5c
#define CSO_STATUS_BLOCKED_REASON 0x60
#define CSO_STATUS_WAIT_SYNC_VALUE_HI 0x64
#define CSO_FATAL		0x84
#define CSO_FATAL_INFO		0x90
#define CSO_HEAP_VT_START	0xc0
#define CSO_HEAP_VT_END		0xc4
#define CSO_HEAP_FRAG_END	0xcc
#define CSGI_SUSPEND_BUF	0x40
#define CS_WAIT_SYNC		(1u << 31)
#define CS_WAIT_SYNC_64B	(1u << 30)
#define CS_WAIT_COND_GT		(1u << 24)
#define SUSPEND_MAGIC		0x53434d4du	/* "MMCS" */

static void mcu_wr64(struct mcu_ctx *m, u32 off, u64 v)
{
	mcu_wr(m, off, (u32)v);
	mcu_wr(m, off + 4, (u32)(v >> 32));
}

/* Raise a firmware event: make (req ^ ack) & bit set, unless it is. */
static bool raise_evt(struct mcu_ctx *m, u32 req_off, u32 ack_off, u32 bit)
{
	u32 req = mcu_rd(m, req_off), ack = mcu_rd(m, ack_off);

	if ((req ^ ack) & bit)
		return false;	/* already pending */
	mcu_wr(m, ack_off, ack ^ bit);
	return true;
}

/* Raise a CSG event and its interrupt if the host unmasked it. */
static void csg_event(struct mm_gpu *g, struct mcu_ctx *m, u32 i, u32 bit)
{
	if (!raise_evt(m, CSFL_CSG_INPUT(i) + CSGI_REQ, CSFL_CSG_OUTPUT(i) + CSGO_ACK, bit))
		return;
	if (mcu_rd(m, CSFL_CSG_INPUT(i) + CSGI_ACK_IRQ_MASK) & bit)
		raise_bits(g, MM_IRQ_JOB, 1u << i);
}

/* A hostile MCU's unasked CSG events (mm_hostile.spurious_csg). */
static void hostile_spurious(struct mm_gpu *g, struct mcu_ctx *m, u32 i)
{
	static const u32 evt[] = { CSG_SYNC_UPDATE, CSG_IDLE, CSG_PROGRESS_TIMER };
	u32 k;

	for (k = 0; k < ARRAY_SIZE(evt); k++)
		if (g->hostile.spurious_csg & (1u << k))
			csg_event(g, m, i, evt[k]);
}

/* Signal CS j's interrupt through the CSG's cs_irq_req. */
static void cs_irq(struct mm_gpu *g, struct mcu_ctx *m, u32 i, u32 j)
{
	u32 irq_ack = mcu_rd(m, CSFL_CSG_INPUT(i) + CSGI_CS_IRQ_ACK);
	u32 irq_req = mcu_rd(m, CSFL_CSG_OUTPUT(i) + CSGO_CS_IRQ_REQ);

	mcu_wr(m, CSFL_CSG_OUTPUT(i) + CSGO_CS_IRQ_REQ,
	       (irq_req & ~(1u << j)) | (~irq_ack & (1u << j)));
	raise_bits(g, MM_IRQ_JOB, 1u << i);
}

/* The ring position Panthor sees as consumed: not past a CALL in flight. */
static u64 published_extract(const struct mm_cs_state *st)
{
	return st->depth ? st->frame[0].ip - 8 : st->frame[0].ip;
}

static u64 cs_cmd_ptr(const struct mm_cs_state *st)
{
	const struct mm_cs_frame *f = &st->frame[st->depth];

	return st->depth ? f->ip : st->ring_base + (f->ip & (st->ring_size - 1));
}

/* Publish a stream's state in its CS output block and ring output. */
static void cs_publish(struct mcu_ctx *m, u32 i, u32 j, struct mm_cs_slot *cs)
{
	const struct mm_cs_state *st = &cs->st;
	u32 out = CSFL_CS_OUTPUT(i, j), wait = 0;

	if (st->blocked == MM_CS_BLOCKED_SYNC_WAIT)
		wait = CS_WAIT_SYNC | (st->wait64 ? CS_WAIT_SYNC_64B : 0) |
		       (st->wait_gt ? CS_WAIT_COND_GT : 0);
	mcu_wr64(m, out + CSO_STATUS_CMD_PTR, cs_cmd_ptr(st));
	mcu_wr(m, out + CSO_STATUS_WAIT, wait);
	mcu_wr64(m, out + CSO_STATUS_WAIT_SYNC_PTR, wait ? st->wait_ptr : 0);
	mcu_wr(m, out + CSO_STATUS_WAIT_SYNC_VALUE, wait ? (u32)st->wait_ref : 0);
	mcu_wr(m, out + CSO_STATUS_WAIT_SYNC_VALUE_HI, wait ? (u32)(st->wait_ref >> 32) : 0);
	mcu_wr(m, out + CSO_STATUS_SCOREBOARDS, st->sb_busy);
	mcu_wr(m, out + CSO_STATUS_BLOCKED_REASON, st->blocked);
	mcu_wr(m, out + CSO_HEAP_VT_START, st->heap_vt_start);
	mcu_wr(m, out + CSO_HEAP_VT_END, st->heap_vt_end);
	mcu_wr(m, out + CSO_HEAP_FRAG_END, st->heap_frag_end);
	mcu_wr64(m, out + CSO_HEAP_ADDRESS, st->heap_ctx);
	if (cs->ring_out_va) {
		struct mm_xlate x;
		u64 ext = published_extract(st);
		u8 b[8];
		int k;

		for (k = 0; k < 8; k++)
			b[k] = ext >> (8 * k);
		if (mm_vm_write(m->g, 0, cs->ring_out_va, b, 8, &x)) {
			mm_mmu_fault(m->g, 0, x.pa, MM_ACC_WRITE, x.fault);
			m->failed = true;
		}
	}
}

static u64 mcu_va_rd64(struct mcu_ctx *m, u64 va)
{
	struct mm_xlate x;
	u8 b[8];
	u64 v = 0;
	int k;

	if (m->failed)
		return 0;
	if (mm_vm_read(m->g, 0, va, b, 8, &x)) {
		mm_mmu_fault(m->g, 0, x.pa, MM_ACC_READ, x.fault);
		m->failed = true;
		return 0;
	}
	for (k = 7; k >= 0; k--)
		v = (v << 8) | b[k];
	return v;
}

/* Suspend buffer layout (firmware-private): magic, then one slot per CS. */
static u64 suspend_slot_va(struct mcu_ctx *m, u32 i, u32 j)
{
	u64 buf = mcu_rd64(m, CSFL_CSG_INPUT(i) + CSGI_SUSPEND_BUF);

	return buf + 8 + (u64)j * (sizeof(struct mm_cs_state) + 8);
}

static void csg_save(struct mm_gpu *g, struct mcu_ctx *m, u32 i)
{
	u64 buf = mcu_rd64(m, CSFL_CSG_INPUT(i) + CSGI_SUSPEND_BUF);
	u32 j, magic = SUSPEND_MAGIC;
	struct mm_xlate x;

	if (8 + g->cfg.cs_num * (sizeof(struct mm_cs_state) + 8) > g->cfg.csg_suspend_size) {
		mm_log(g, MM_LOG_ERR, "CSG%u: suspend buffer too small for the model", i);
		return;
	}
	for (j = 0; j < g->cfg.cs_num; j++) {
		struct mm_cs_slot *cs = &g->csg[i].cs[j];
		u32 valid = cs->started;
		u64 va = suspend_slot_va(m, i, j);

		if (mm_vm_write(g, 0, va, &valid, 4, &x) ||
		    (valid && mm_vm_write(g, 0, va + 8, &cs->st, sizeof(cs->st), &x))) {
			mm_mmu_fault(g, 0, x.pa, MM_ACC_WRITE, x.fault);
			m->failed = true;
			return;
		}
	}
	if (mm_vm_write(g, 0, buf, &magic, 4, &x)) {
		mm_mmu_fault(g, 0, x.pa, MM_ACC_WRITE, x.fault);
		m->failed = true;
	}
}

/* Restore stream @j of CSG @i from the suspend buffer; false if none. */
static bool cs_restore(struct mm_gpu *g, struct mcu_ctx *m, u32 i, u32 j)
{
	u64 buf = mcu_rd64(m, CSFL_CSG_INPUT(i) + CSGI_SUSPEND_BUF);
	struct mm_cs_slot *cs = &g->csg[i].cs[j];
	u32 magic = 0, valid = 0;
	u64 va = suspend_slot_va(m, i, j);

	if (mm_vm_read(g, 0, buf, &magic, 4, NULL) || magic != SUSPEND_MAGIC ||
	    mm_vm_read(g, 0, va, &valid, 4, NULL) || !valid ||
	    mm_vm_read(g, 0, va + 8, &cs->st, sizeof(cs->st), NULL))
		return false;
	if (cs->st.nregs > MM_CS_MAX_REGS || cs->st.depth > MM_CS_MAX_DEPTH ||
	    !cs->st.ring_size || (cs->st.ring_size & (cs->st.ring_size - 1)))
		return false;	/* not ours: start afresh */
	return true;
}

/* CS START: latch the ring, then resume the saved state or start afresh. */
static void cs_start(struct mm_gpu *g, struct mcu_ctx *m, u32 i, u32 j, bool resume)
{
	struct mm_cs_slot *cs = &g->csg[i].cs[j];
	u32 in = CSFL_CS_INPUT(i, j);
	u64 base = mcu_rd64(m, in + CSI_RINGBUF_BASE);
	u32 size = mcu_rd(m, in + CSI_RINGBUF_SIZE);

	cs->ring_in_va = mcu_rd64(m, in + CSI_RINGBUF_INPUT);
	cs->ring_out_va = mcu_rd64(m, in + CSI_RINGBUF_OUTPUT);
	cs->started = true;
	cs->runnable = true;
	cs->waiting = false;
	cs->fatal = false;
	if (!resume || !cs_restore(g, m, i, j)) {
		mm_cs_reset(&cs->st, (g->cfg.cs_features & 0xff) + 1);
		/* Panthor sets input->extract = output->extract before START. */
		cs->st.frame[0].ip = mcu_va_rd64(m, cs->ring_in_va + 8);
		cs->st.frame[0].end = cs->st.frame[0].ip;
	}
	cs->st.ring_base = base;
	cs->st.ring_size = size;
	if (!size || (size & (size - 1))) {
		mm_log(g, MM_LOG_WARN, "CSG%u CS%u: ring size %#x is not a power of two",
		       i, j, size);
		cs->st.ring_size = 0x1000;
	}
	cs->st.blocked = 0;
	cs->st.exc_type = 0;
}

/*
 * The host answered TILER_OOM (Panthor: heap_start = heap_end = the new
 * chunk, encoded as VA | size >> 12, or 0 when it could not grow the heap).
 */
static void cs_oom_answered(struct mm_gpu *g, struct mcu_ctx *m, u32 i, u32 j)
{
	struct mm_cs_slot *cs = &g->csg[i].cs[j];
	u64 chunk = mcu_rd64(m, CSFL_CS_INPUT(i, j) + CSI_HEAP_START);
	struct mm_xlate x;

	cs->oom_pending = false;
	if (!chunk) {
		/*
		 * No memory: the firmware would fall back on incremental
		 * rendering; the model lets the tiling run complete.
		 */
		g->stats.heap_grants_refused++;
		cs->st.heap_credit += MM_CS_TILER_RUN_BYTES;
		return;
	}
	mm_translate(g, g->csg[i].as, chunk & ~0xfffull, MM_ACC_WRITE, &x);
	if (x.fault)
		mm_log(g, MM_LOG_WARN, "CSG%u CS%u: granted heap chunk %#llx is not mapped",
		       i, j, (unsigned long long)chunk);
	g->stats.heap_chunks_granted++;
	g->stats.last_heap_chunk = chunk & ~0xfffull;
	cs->st.heap_credit += (chunk & 0xfff) << 12;
}

/* Acknowledge the CSG's requests and its streams' (CSG doorbell). */
static void mcu_csg(struct mm_gpu *g, struct mcu_ctx *m, u32 i, bool db)
{
	struct mm_csg_slot *csg = &g->csg[i];
	u32 in = CSFL_CSG_INPUT(i), out = CSFL_CSG_OUTPUT(i);
	u32 req = mcu_rd(m, in + CSGI_REQ), ack = mcu_rd(m, out + CSGO_ACK);
	u32 pending = (req ^ ack) & CSG_REQ_MASK;
	bool resume = false, started = false;
	u32 csirq = 0, j;

	if ((pending & CSG_STATE_MASK) && csg->running && !csg->hung &&
	    (g->inject & MM_INJECT_CSG_HANG) &&
	    ((req & CSG_STATE_MASK) == CSG_STATE_SUSPEND ||
	     (req & CSG_STATE_MASK) == CSG_STATE_TERMINATE)) {
		g->inject &= ~MM_INJECT_CSG_HANG;
		csg->hung = true;
		csg->hung_state = req & CSG_STATE_MASK;
		g->stats.csg_hangs++;
		mm_log(g, MM_LOG_INFO, "CSG slot %u hangs (injected)", i);
	}
	if (csg->hung) {
		/* Only a reset ends it; a new request is a host bug. */
		if ((req & CSG_STATE_MASK) != csg->hung_state) {
			g->stats.hung_slot_reprogrammed++;
			csg->hung_state = req & CSG_STATE_MASK;
			mm_log(g, MM_LOG_WARN,
			       "CSG slot %u: state %u asked of a hung slot before a reset",
			       i, csg->hung_state);
		}
		pending &= ~CSG_STATE_MASK;
	}
	if (pending & CSG_STATE_MASK) {
		switch (req & CSG_STATE_MASK) {
		case CSG_STATE_START:
		case CSG_STATE_RESUME:
			resume = (req & CSG_STATE_MASK) == CSG_STATE_RESUME;
			if (resume)
				g->stats.csg_resumes++;
			else
				g->stats.csg_starts++;
			csg->running = true;
			csg->idle = false;
			csg->as = mcu_rd(m, in + CSGI_CONFIG) & 0xf;
			started = g->hostile.spurious_csg != 0;
			break;
		case CSG_STATE_SUSPEND:
			g->stats.csg_suspends++;
			if (csg->running)
				csg_save(g, m, i);
			csg->running = false;
			for (j = 0; j < MM_MAX_CS; j++)
				csg->cs[j].started = false;
			break;
		default:
			g->stats.csg_terminates++;
			memset(csg, 0, sizeof(*csg));
			break;
		}
	}
	/*
	 * A group starting or resuming runs every stream whose requested
	 * state is START, whether or not that request differs from the
	 * slot's previous ack (slots are reused by other groups).
	 */
	if ((pending & CSG_STATE_MASK) && csg->running) {
		for (j = 0; j < g->cfg.cs_num; j++) {
			u32 cin = CSFL_CS_INPUT(i, j), cout = CSFL_CS_OUTPUT(i, j);
			u32 creq = mcu_rd(m, cin + CSI_REQ);

			if ((creq & CS_STATE_MASK) != CS_STATE_START)
				continue;
			cs_start(g, m, i, j, resume);
			if ((mcu_rd(m, cout + CSO_ACK) & CS_STATE_MASK) != CS_STATE_START &&
			    (mcu_rd(m, cin + CSI_ACK_IRQ_MASK) & CS_STATE_MASK))
				csirq |= 1u << j;
			mcu_wr(m, cout + CSO_ACK, (mcu_rd(m, cout + CSO_ACK) & ~CS_STATE_MASK) |
			       CS_STATE_START);
		}
	}
	if (pending & CSG_STATUS_UPDATE) {
		u32 ep = mcu_rd(m, in + CSGI_ENDPOINT_REQ);

		mcu_wr(m, out + CSGO_STATUS_EP_REQ, ep);
		mcu_wr(m, out + CSGO_STATUS_EP_CURRENT, csg->running ? ep : 0);
		for (j = 0; j < g->cfg.cs_num; j++)
			if (csg->cs[j].started)
				cs_publish(m, i, j, &csg->cs[j]);
	}
	if (db) {
		u32 dreq = mcu_rd(m, in + CSGI_DOORBELL_REQ);
		u32 dack = mcu_rd(m, out + CSGO_DOORBELL_ACK);
		u32 streams = (dreq ^ dack) & ((1u << g->cfg.cs_num) - 1);

		for (j = 0; j < g->cfg.cs_num; j++) {
			u32 cin = CSFL_CS_INPUT(i, j), cout = CSFL_CS_OUTPUT(i, j);
			u32 creq, cack, cpend;

			if (!(streams & (1u << j)))
				continue;
			creq = mcu_rd(m, cin + CSI_REQ);
			cack = mcu_rd(m, cout + CSO_ACK);
			cpend = (creq ^ cack) & CS_REQ_MASK;
			if (cpend & CS_STATE_MASK) {
				if ((creq & CS_STATE_MASK) != CS_STATE_START)
					csg->cs[j].started = false;
				else if (csg->running && !csg->cs[j].started)
					cs_start(g, m, i, j, resume);
			}
			if (csg->cs[j].oom_pending &&
			    !((creq ^ cack) & CS_TILER_OOM))
				cs_oom_answered(g, m, i, j);
			csg->cs[j].runnable = true;
			if (!cpend)
				continue;
			mcu_wr(m, cout + CSO_ACK, (cack & ~cpend) | (creq & cpend));
			if (cpend & mcu_rd(m, cin + CSI_ACK_IRQ_MASK))
				csirq |= 1u << j;
		}
		if (streams)
			mcu_wr(m, out + CSGO_DOORBELL_ACK, dack ^ streams);
	}
	mcu_wr(m, out + CSGO_STATUS_STATE, csg->running && !csg->idle ? 0 :
	       CSG_STATUS_STATE_IDLE);
	for (j = 0; j < MM_MAX_CS; j++)
		if (csirq & (1u << j))
			cs_irq(g, m, i, j);
	pending &= ~g->hostile.csg_ack_drop;
	if (pending)
		mcu_wr(m, out + CSGO_ACK, ((ack & ~pending) | (req & pending)) ^
		       g->hostile.ack_flip);
	if (pending & mcu_rd(m, in + CSGI_ACK_IRQ_MASK))
		raise_bits(g, MM_IRQ_JOB, 1u << i);
	if (started)	/* after the acknowledgement, which would undo them */
		hostile_spurious(g, m, i);
}

/* Run one stream for a slice. Returns true if it may have more to do. */
static bool cs_run(struct mm_gpu *g, struct mcu_ctx *m, u32 i, u32 j)
{
	struct mm_csg_slot *csg = &g->csg[i];
	struct mm_cs_slot *cs = &csg->cs[j];
	enum mm_cs_result r;
	u64 before;

	if (!cs->started || cs->fatal || !cs->runnable)
		return false;
	cs->st.frame[0].end = mcu_va_rd64(m, cs->ring_in_va);	/* insert */
	if (m->failed)
		return false;
	before = cs->st.executed;
	cs->st.sync_updates = 0;
	if (g->inject & MM_INJECT_HANG_ENDPOINT) {
		g->inject &= ~MM_INJECT_HANG_ENDPOINT;
		cs->st.hang_next_run = true;
	}
	r = mm_cs_exec(g, csg->as, &cs->st, 512);
	g->stats.cs_instructions += cs->st.executed - before;
	cs->waiting = r == MM_CS_WAITING;
	cs->runnable = r == MM_CS_BUDGET;
	if (r == MM_CS_SB_WAIT) {
		/*
		 * Stuck behind a task that makes no progress: the firmware's
		 * progress timer (progress_timer << 10 GPU cycles, as Panthor
		 * programs it) fires once for the group.
		 */
		u64 now = g->ops->now_ns ? g->ops->now_ns(g->ctx) : 0;
		u64 limit_ns = ((u64)(g->glb_progress_timer & 0x7fffffff) << 10) *
			       1000000000ull / (g->cfg.cycle_hz ? g->cfg.cycle_hz : 1);

		if (!cs->stalled_since_ns)
			cs->stalled_since_ns = now ? now : 1;
		g->any_waiting = true;	/* poll until the deadline */
		cs->waiting = true;
		if (!cs->progress_reported && now - cs->stalled_since_ns >= limit_ns) {
			cs->progress_reported = true;
			g->stats.progress_timer_events++;
			csg_event(g, m, i, CSG_PROGRESS_TIMER);
		}
	} else {
		cs->stalled_since_ns = 0;
	}
	if (r == MM_CS_TILER_OOM && !cs->oom_pending) {
		cs->oom_pending = true;
		g->stats.tiler_ooms++;
	}
	if (cs->waiting)
		g->any_waiting = true;
	cs_publish(m, i, j, cs);
	if (cs->st.sync_updates) {
		g->stats.sync_update_events++;
		csg_event(g, m, i, CSG_SYNC_UPDATE);
		/* Others may wait on what this stream wrote. */
		mm_mcu_poll_waits(g);
	}
	if (r == MM_CS_TILER_OOM &&
	    raise_evt(m, CSFL_CS_INPUT(i, j) + CSI_REQ, CSFL_CS_OUTPUT(i, j) + CSO_ACK,
		      CS_TILER_OOM))
		cs_irq(g, m, i, j);
	if (r == MM_CS_FATAL) {
		u32 cout = CSFL_CS_OUTPUT(i, j);

		cs->fatal = true;
		g->stats.cs_fatals++;
		if (g->inject & MM_INJECT_CS_UNRECOVERABLE) {
			g->inject &= ~MM_INJECT_CS_UNRECOVERABLE;
			cs->st.exc_type = 0x41;	/* CS_UNRECOVERABLE */
		}
		if (g->hostile.fatal_code)
			cs->st.exc_type = g->hostile.fatal_code;
		mcu_wr(m, cout + CSO_FATAL, cs->st.exc_type | cs->st.exc_data << 8);
		mcu_wr64(m, cout + CSO_FATAL_INFO, cs->st.exc_info);
		if (raise_evt(m, CSFL_CS_INPUT(i, j) + CSI_REQ, cout + CSO_ACK, CS_FATAL))
			cs_irq(g, m, i, j);
	}
	return cs->runnable;
}

/* After a slice: report a group that went idle (all streams empty/waiting). */
static void csg_update_idle(struct mm_gpu *g, struct mcu_ctx *m, u32 i)
{
	struct mm_csg_slot *csg = &g->csg[i];
	bool idle = true;
	u32 j;

	for (j = 0; j < g->cfg.cs_num; j++)
		if (csg->cs[j].started && !csg->cs[j].fatal &&
		    (csg->cs[j].runnable || csg->cs[j].oom_pending ||
		     csg->cs[j].st.blocked == MM_CS_BLOCKED_SB_WAIT))
			idle = false;
	if (idle == csg->idle)
		return;
	csg->idle = idle;
	mcu_wr(m, CSFL_CSG_OUTPUT(i) + CSGO_STATUS_STATE, idle ? CSG_STATUS_STATE_IDLE : 0);
	if (idle) {
		g->stats.idle_events++;
		csg_event(g, m, i, CSG_IDLE);
	}
}

void mm_mcu_poll_waits(struct mm_gpu *g)
{
	u32 i, j;

	if (!g->any_waiting)
		return;
	g->any_waiting = false;
	for (i = 0; i < g->cfg.csg_num; i++)
		for (j = 0; j < g->cfg.cs_num; j++)
			if (g->csg[i].running && g->csg[i].cs[j].waiting)
				g->csg[i].cs[j].runnable = true;
}

/* A stream doorbell: wake the streams of that CSG slot bound to it. */
static void cs_doorbell(struct mm_gpu *g, u32 db)
{
	u32 i, j;

	for (i = 0; i < g->cfg.csg_num; i++) {
		struct mm_csg_slot *csg = &g->csg[i];

		if (!csg->running)
			continue;
		for (j = 0; j < g->cfg.cs_num; j++)
			if (csg->cs[j].started)
				csg->cs[j].runnable = true;
	}
	(void)db;
}

static void mcu_glb(struct mm_gpu *g)
{
	struct mcu_ctx m = { .g = g };
	u32 req, ack, pending, dreq, dack, csgs, i;

	req = mcu_rd(&m, CSFL_GLB_INPUT + GLBI_REQ);
	if (req & GLB_HALT) {
		/* The firmware acts on a 0 -> 1 transition of HALT. */
		if (!g->halt_latched && !m.failed) {
			g->halt_latched = true;
			mcu_wr(&m, CSFL_GLB_OUTPUT + GLBO_HALT_STATUS, 0);
			g->mcu_status = MMC_MCU_STATUS_HALT;
			raise_bits(g, MM_IRQ_GPU, MMB_MCU_STATUS_CHANGED);
		}
		goto out;
	}
	g->halt_latched = false;
	ack = mcu_rd(&m, CSFL_GLB_OUTPUT + GLBO_ACK);
	pending = (req ^ ack) & GLB_REQ_MASK & ~GLB_HALT;
	if (pending) {
		if (pending & GLB_CFG_PROGRESS_TIMER)
			g->glb_progress_timer =
				mcu_rd(&m, CSFL_GLB_INPUT + GLBI_PROGRESS_TIMER);
		if (pending & GLB_CFG_POWEROFF_TIMER)
			g->glb_poweroff_timer =
				mcu_rd(&m, CSFL_GLB_INPUT + GLBI_POWEROFF_TIMER);
		if (pending & GLB_CFG_ALLOC_EN) {
			/* In AUTO mode the MCU powers the enabled cores. */
			g->glb_core_en_mask =
				mcu_rd64(&m, CSFL_GLB_INPUT + GLBI_CORE_EN_MASK);
			g->shader_ready = g->glb_core_en_mask & g->cfg.shader_present;
			g->tiler_ready = g->cfg.tiler_present;
		}
		if (pending & GLB_IDLE_EN)
			g->glb_idle_timer = mcu_rd(&m, CSFL_GLB_INPUT + GLBI_IDLE_TIMER);
		if (pending & GLB_PING)
			g->stats.pings++;
		g->glb_state_reqs = req & GLB_STATE_BITS;
		pending &= ~g->hostile.glb_ack_drop;
		mcu_wr(&m, CSFL_GLB_OUTPUT + GLBO_ACK,
		       ((ack & ~pending) | (req & pending)) ^ g->hostile.ack_flip);
		g->stats.glb_reqs_acked++;
		if (pending & mcu_rd(&m, CSFL_GLB_INPUT + GLBI_ACK_IRQ_MASK))
			raise_bits(g, MM_IRQ_JOB, MMB_JOB_GLOBAL_IF);
	}
	dreq = mcu_rd(&m, CSFL_GLB_INPUT + GLBI_DOORBELL_REQ);
	dack = mcu_rd(&m, CSFL_GLB_OUTPUT + GLBO_DOORBELL_ACK);
	csgs = (dreq ^ dack) & ((1u << g->cfg.csg_num) - 1);
	for (i = 0; i < g->cfg.csg_num; i++)
		if (csgs & (1u << i))
			mcu_csg(g, &m, i, true);
	if (csgs)
		mcu_wr(&m, CSFL_GLB_OUTPUT + GLBO_DOORBELL_ACK, dack ^ csgs);
out:
	if (m.failed)
		mcu_fatal(g, "serving a global request");
}

bool mm_mcu_step(struct mm_gpu *g)
{
	u32 work = g->mcu_work | g->mcu_work_late, i, j;
	struct mcu_ctx m = { .g = g };
	bool more = false;

	g->mcu_work = 0;
	g->mcu_work_late = 0;
	if (g->hostile.ack_late_ms && (work & MM_WORK_GLB_DB)) {
		/*
		 * A late MCU: the global doorbell is answered ack_late_ms
		 * after it rang; until then the embedder polls (any_waiting).
		 */
		u64 now = g->ops->now_ns ? g->ops->now_ns(g->ctx) : 0;

		if (!g->late_since_ns)
			g->late_since_ns = now ? now : 1;
		if (now >= g->late_since_ns &&
		    now - g->late_since_ns < (u64)g->hostile.ack_late_ms * 1000000) {
			g->mcu_work_late = MM_WORK_GLB_DB;
			g->any_waiting = true;
			work &= ~MM_WORK_GLB_DB;
		} else {
			g->late_since_ns = 0;
		}
	}
	if ((work & MM_WORK_CONTROL) &&
	    g->mcu_control != MMC_MCU_DISABLE &&
	    g->mcu_status == MMC_MCU_STATUS_DISABLED)
		mcu_boot(g);
	if (g->mcu_status != MMC_MCU_STATUS_ENABLED &&
	    g->mcu_status != MMC_MCU_STATUS_HALT)
		return false;	/* doorbells to a stopped MCU are lost */
	if (work & MM_WORK_GLB_DB)
		mcu_glb(g);
	for (i = 0; i < MM_MAX_CSG; i++)
		if (work & (1u << (MM_WORK_CS_DB_SHIFT + i)))
			cs_doorbell(g, i + 1);
	if (g->mcu_status != MMC_MCU_STATUS_ENABLED)
		return false;	/* halted: streams do not run */
	for (i = 0; i < g->cfg.csg_num && !m.failed; i++) {
		if (!g->csg[i].running)
			continue;
		for (j = 0; j < g->cfg.cs_num; j++)
			more |= cs_run(g, &m, i, j);
		csg_update_idle(g, &m, i);
	}
	if (m.failed) {
		mcu_fatal(g, "running command streams");
		return false;
	}
	return more || g->mcu_work;
}

/* ---- introspection ------------------------------------------------- */

int mm_format_info(const struct mm_gpu *g, char *buf, size_t len)
{
	const struct mm_config *c = &g->cfg;
	const struct { const char *key; u64 val; } f[] = {
		{ "gpu_info.gpu_id", c->gpu_id },
		{ "gpu_info.gpu_rev", c->gpu_rev },
		{ "gpu_info.csf_id", c->csf_id },
		{ "gpu_info.l2_features", c->l2_features },
		{ "gpu_info.tiler_features", c->tiler_features },
		{ "gpu_info.mem_features", c->mem_features },
		{ "gpu_info.mmu_features", c->mmu_features },
		{ "gpu_info.thread_features", c->thread_features },
		{ "gpu_info.max_threads", c->thread_max_threads },
		{ "gpu_info.thread_max_workgroup_size", c->thread_max_workgroup_size },
		{ "gpu_info.thread_max_barrier_size", c->thread_max_barrier_size },
		{ "gpu_info.coherency_features", c->coherency_features },
		{ "gpu_info.texture_features[0]", c->texture_features[0] },
		{ "gpu_info.texture_features[1]", c->texture_features[1] },
		{ "gpu_info.texture_features[2]", c->texture_features[2] },
		{ "gpu_info.texture_features[3]", c->texture_features[3] },
		{ "gpu_info.as_present", c->as_present },
		{ "gpu_info.shader_present", c->shader_present },
		{ "gpu_info.l2_present", c->l2_present },
		{ "gpu_info.tiler_present", c->tiler_present },
		{ "gpu_info.core_features", c->core_features },
		{ "csif_info.csg_slot_count", c->csg_num },
		{ "csif_info.cs_slot_count", c->cs_num },
		{ "csif_info.cs_reg_count", (c->cs_features & 0xff) + 1 },
		{ "csif_info.scoreboard_slot_count", (c->cs_features >> 8) & 0xff },
	};
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		int r = snprintf(buf + n, n < len ? len - n : 0, "%s 0x%llx\n",
				 f[i].key, (unsigned long long)f[i].val);

		if (r < 0)
			return r;
		n += r;
	}
	return (int)n;
}
