// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit tests of the model core (model/mm_core.c): the core runs on a
 * plain byte array standing in for RAM. KTAP output, one result per test.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>

#include "mali_model.h"
#include "mm_regs.h"
#include "mm_cs.h"

/* ---- fake machine ---------------------------------------------------- */

#define RAM_BASE	0x100000ull	/* pa 0 is not RAM: bus faults */
#define RAM_SIZE	(8u << 20)

static uint8_t *ram;
static uint64_t fake_ns;
static int log_count;
static char last_log[200];

static int ram_ok(u64 pa, size_t len)
{
	return pa >= RAM_BASE && pa + len <= RAM_BASE + RAM_SIZE && pa + len >= pa;
}

static int t_phys_read(void *ctx, u64 pa, void *buf, size_t len)
{
	(void)ctx;
	if (!ram_ok(pa, len))
		return -1;
	memcpy(buf, ram + (pa - RAM_BASE), len);
	return 0;
}

static int t_phys_write(void *ctx, u64 pa, const void *buf, size_t len)
{
	(void)ctx;
	if (!ram_ok(pa, len))
		return -1;
	memcpy(ram + (pa - RAM_BASE), buf, len);
	return 0;
}

static u64 t_now(void *ctx)
{
	(void)ctx;
	return fake_ns;
}

static void t_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	(void)level;
	log_count++;
	snprintf(last_log, sizeof(last_log), "%s", msg);
}

/* What the UML glue keeps in the USER_FLUSH_ID page. */
static u32 user_flush_id;

static void t_flush_id_changed(void *ctx, u32 flush_id)
{
	(void)ctx;
	user_flush_id = flush_id;
}

static const struct mm_host_ops ops = {
	.phys_read = t_phys_read,
	.phys_write = t_phys_write,
	.now_ns = t_now,
	.log = t_log,
	.flush_id_changed = t_flush_id_changed,
};

static struct mm_gpu gpu;
static u64 next_page;

static void machine_reset(void)
{
	struct mm_config cfg;

	memset(ram, 0, RAM_SIZE);
	fake_ns = 0;
	log_count = 0;
	last_log[0] = 0;
	next_page = RAM_BASE;
	user_flush_id = 0;
	mm_config_g610(&cfg);
	mm_init(&gpu, &cfg, &ops, NULL);
}

static u64 alloc_page(void)
{
	u64 pa = next_page;

	next_page += 0x1000;
	if (next_page > RAM_BASE + RAM_SIZE) {
		fprintf(stderr, "test RAM exhausted\n");
		exit(2);
	}
	return pa;
}

static void wr64(u64 pa, u64 v)
{
	memcpy(ram + (pa - RAM_BASE), &v, 8);	/* the host is little-endian */
}

static u64 rd64(u64 pa)
{
	u64 v;

	memcpy(&v, ram + (pa - RAM_BASE), 8);
	return v;
}

/* LPAE stage-1 descriptor bits, as io-pgtable-arm writes them. */
#define D_TABLE		0x3ull
#define D_PAGE		0x3ull		/* at level 3 */
#define D_BLOCK		0x1ull		/* at levels 1-2 */
#define D_AF		(1ull << 10)
#define D_RO		(1ull << 7)
#define D_XN		(3ull << 53)

/* Map one 4K page va -> pa in the tables rooted at @root (4 levels). */
static void map_page(u64 root, u64 va, u64 pa, u64 attrs)
{
	u64 table = root;
	int level;

	for (level = 0; level < 3; level++) {
		u64 slot = table + ((va >> (12 + 9 * (3 - level))) & 511) * 8;
		u64 d = rd64(slot);

		if (!(d & 1)) {
			d = alloc_page() | D_TABLE;
			wr64(slot, d);
		}
		table = d & 0x0000fffffffff000ull;
	}
	wr64(table + ((va >> 12) & 511) * 8, pa | D_PAGE | D_AF | attrs);
}

static void as_setup(unsigned int as, u64 root, u64 transcfg)
{
	u32 base = MMR_AS_BASE + as * MMR_AS_STRIDE;

	mm_reg_write(&gpu, base + MMR_AS_TRANSTAB, (u32)root);
	mm_reg_write(&gpu, base + MMR_AS_TRANSTAB + 4, (u32)(root >> 32));
	mm_reg_write(&gpu, base + MMR_AS_TRANSCFG, (u32)transcfg);
	mm_reg_write(&gpu, base + MMR_AS_TRANSCFG + 4, (u32)(transcfg >> 32));
	mm_reg_write(&gpu, base + MMR_AS_COMMAND, MMC_AS_UPDATE);
}

/* TRANSCFG as Panthor 6.12 programs it for a 48-bit VA (INA = 55 - 48). */
#define TRANSCFG_48	(MMC_AS_ADRMODE_AARCH64_4K | (7u << 6) | (2u << 24) | (1u << 30))

/* ---- tiny KTAP harness ----------------------------------------------- */

static int test_failed;
static char fail_msg[512];

#define CHECK(cond, ...) do {						\
	if (!(cond) && !test_failed) {					\
		test_failed = 1;					\
		snprintf(fail_msg, sizeof(fail_msg), __VA_ARGS__);	\
	}								\
} while (0)
#define CHECK_EQ(a, b) CHECK((uint64_t)(a) == (uint64_t)(b),		\
	"%s:%d: %s == 0x%" PRIx64 ", expected %s == 0x%" PRIx64,	\
	__FILE__, __LINE__, #a, (uint64_t)(a), #b, (uint64_t)(b))

/* ---- tests ------------------------------------------------------------ */

static void t_identity(void)
{
	const struct mm_config *c = &gpu.cfg;

	CHECK_EQ(mm_reg_read(&gpu, MMR_GPU_ID), c->gpu_id);
	CHECK_EQ(mm_reg_read(&gpu, MMR_GPU_ID) >> 28, 10);		/* arch 10 */
	CHECK_EQ((mm_reg_read(&gpu, MMR_GPU_ID) >> 24) & 0xf, 8);	/* .8 */
	CHECK_EQ(mm_reg_read(&gpu, MMR_CSF_ID), 0x40a0412);
	CHECK_EQ(mm_reg_read(&gpu, MMR_SHADER_PRESENT_LO), 0x50005);
	CHECK_EQ(mm_reg_read(&gpu, MMR_SHADER_PRESENT_LO + 4), 0);
	CHECK_EQ(mm_reg_read(&gpu, MMR_L2_PRESENT_LO), 1);
	CHECK_EQ(mm_reg_read(&gpu, MMR_TILER_PRESENT_LO), 1);
	CHECK_EQ(mm_reg_read(&gpu, MMR_AS_PRESENT), 0xff);
	CHECK_EQ(mm_reg_read(&gpu, MMR_MMU_FEATURES) & 0xff, 48);
	CHECK_EQ(mm_reg_read(&gpu, MMR_TEXTURE_FEATURES(0)), c->texture_features[0]);
	CHECK_EQ(mm_reg_read(&gpu, MMR_THREAD_MAX_THREADS), 2048);
	CHECK_EQ(mm_reg_read(&gpu, MMR_COHERENCY_FEATURES), c->coherency_features);
	CHECK_EQ(mm_reg_read(&gpu, MMR_MCU_STATUS), MMC_MCU_STATUS_DISABLED);
	CHECK_EQ(log_count, 0);
}

static void t_unknown_register(void)
{
	CHECK_EQ(mm_reg_read(&gpu, 0x5f0), 0);
	CHECK_EQ(gpu.stats.unknown_reads, 1);
	CHECK(strstr(last_log, "0x5f0") != NULL, "log does not name the offset: %s", last_log);
	mm_reg_write(&gpu, MMR_GPU_ID, 0x1234);		/* read-only */
	CHECK_EQ(gpu.stats.unknown_writes, 1);
	CHECK_EQ(mm_reg_read(&gpu, MMR_GPU_ID), gpu.cfg.gpu_id);
}

static void t_irq_registers(void)
{
	int line;

	for (line = 0; line < MM_IRQ_COUNT; line++) {
		static const u32 base[] = { 0x1000, 0x2000, 0x20 };
		u32 b = base[line];

		mm_reg_write(&gpu, b + 0x8, 0);
		mm_reg_write(&gpu, b + 0x0, 0x5);	/* RAWSTAT write sets bits */
		CHECK_EQ(mm_reg_read(&gpu, b + 0x0), 0x5);
		CHECK_EQ(mm_reg_read(&gpu, b + 0xc), 0);	/* masked */
		CHECK(!mm_irq_asserted(&gpu, line), "line %d asserted while masked", line);
		mm_reg_write(&gpu, b + 0x8, 0x4);
		CHECK_EQ(mm_reg_read(&gpu, b + 0xc), 0x4);
		CHECK(mm_irq_asserted(&gpu, line), "line %d not asserted", line);
		mm_reg_write(&gpu, b + 0x4, 0x4);	/* CLEAR */
		CHECK_EQ(mm_reg_read(&gpu, b + 0x0), 0x1);
		CHECK(!mm_irq_asserted(&gpu, line), "line %d still asserted", line);
		CHECK_EQ(mm_reg_read(&gpu, b + 0x4), 0);	/* CLEAR reads 0 */
		gpu.irq_dirty = false;
		mm_reg_write(&gpu, b + 0x8, 0x1);
		CHECK(gpu.irq_dirty, "MASK write did not flag the line");
		CHECK(mm_irq_asserted(&gpu, line), "unmasking a pending bit must assert");
	}
}

static void t_soft_reset(void)
{
	mm_reg_write(&gpu, 0x28, 0xffffffff);		/* GPU_INT_MASK */
	mm_reg_write(&gpu, MMR_PWR_ON + 0x20, 1);	/* L2 on */
	as_setup(1, RAM_BASE, TRANSCFG_48);
	mm_reg_write(&gpu, 0x24, 0xffffffff);		/* clear */
	mm_reg_write(&gpu, MMR_GPU_CMD, 0x101);
	CHECK_EQ(mm_reg_read(&gpu, 0x20) & MMB_RESET_COMPLETED, MMB_RESET_COMPLETED);
	CHECK(mm_irq_asserted(&gpu, MM_IRQ_GPU), "RESET_COMPLETED not signalled");
	CHECK_EQ(mm_reg_read(&gpu, 0x28), 0xffffffff);	/* mask survives */
	CHECK_EQ(mm_reg_read(&gpu, MMR_PWR_READY + 0x20), 0);	/* L2 off */
	CHECK_EQ(mm_reg_read(&gpu, MMR_AS_BASE + MMR_AS_STRIDE + MMR_AS_TRANSCFG),
		 MMC_AS_ADRMODE_UNMAPPED);
	CHECK_EQ(gpu.stats.soft_resets, 1);
	mm_reg_write(&gpu, MMR_GPU_CMD, 0x201);
	CHECK_EQ(gpu.stats.hard_resets, 1);
}

static void t_power(void)
{
	mm_reg_write(&gpu, 0x24, 0xffffffff);
	mm_reg_write(&gpu, MMR_PWR_ON + 0x20, 0xff);		/* L2: only bit 0 exists */
	CHECK_EQ(mm_reg_read(&gpu, MMR_PWR_READY + 0x20), 1);
	CHECK_EQ(mm_reg_read(&gpu, MMR_PWR_TRANS + 0x20), 0);
	CHECK(mm_reg_read(&gpu, 0x20) & MMB_POWER_CHANGED_ALL, "no POWER_CHANGED_ALL");
	mm_reg_write(&gpu, MMR_PWR_ON, 0xffffffff);		/* shaders */
	CHECK_EQ(mm_reg_read(&gpu, MMR_PWR_READY), 0x50005);
	mm_reg_write(&gpu, MMR_PWR_OFF, 0x5);
	CHECK_EQ(mm_reg_read(&gpu, MMR_PWR_READY), 0x50000);
	mm_reg_write(&gpu, MMR_PWR_ON + 4, 1);			/* HI word: none present */
	CHECK_EQ(mm_reg_read(&gpu, MMR_PWR_READY + 4), 0);
	mm_reg_write(&gpu, MMR_PWR_ON + 0x10, 1);		/* tiler */
	CHECK_EQ(mm_reg_read(&gpu, MMR_PWR_READY + 0x10), 1);
	mm_reg_write(&gpu, MMR_PWR_OFF + 0x20, 1);
	CHECK_EQ(mm_reg_read(&gpu, MMR_PWR_READY + 0x20), 0);
}

static void t_cache_flush(void)
{
	u32 id = mm_reg_read(&gpu, MMR_LATEST_FLUSH_ID);

	/* The user page holds the register's value from reset on. */
	CHECK_EQ(id, gpu.cfg.flush_id_reset);
	CHECK_EQ(user_flush_id, id);
	mm_reg_write(&gpu, 0x28, MMB_CLEAN_CACHES_COMPLETED);
	mm_reg_write(&gpu, MMR_GPU_CMD, 4 | (3 << 8) | (3 << 12) | (3 << 16));
	CHECK(mm_irq_asserted(&gpu, MM_IRQ_GPU), "CLEAN_CACHES_COMPLETED not signalled");
	CHECK_EQ(mm_reg_read(&gpu, MMR_LATEST_FLUSH_ID), id + 1);
	CHECK_EQ(user_flush_id, id + 1);
	mm_set_flush_id(&gpu, id + 7);
	CHECK_EQ(mm_reg_read(&gpu, MMR_LATEST_FLUSH_ID), id + 7);
	CHECK_EQ(user_flush_id, id + 7);
	mm_reg_write(&gpu, MMR_GPU_CMD, 1);			/* soft reset */
	CHECK_EQ(user_flush_id, gpu.cfg.flush_id_reset);
	mm_reg_write(&gpu, MMR_GPU_CMD, 4 | (3 << 8) | (3 << 12) | (3 << 16));
	CHECK_EQ(gpu.stats.cache_flushes, 2);
	mm_reg_write(&gpu, MMR_GPU_CMD, 0x99);			/* unknown command */
	CHECK(log_count > 0, "unknown GPU_CMD not logged");
}

static void t_timers(void)
{
	u64 ts1, ts2;

	fake_ns = 1000000000ull;		/* 1 s */
	ts1 = mm_reg_read(&gpu, MMR_TIMESTAMP_LO) |
	      (u64)mm_reg_read(&gpu, MMR_TIMESTAMP_HI) << 32;
	CHECK_EQ(ts1, gpu.cfg.timestamp_hz);
	mm_reg_write(&gpu, MMR_TIMESTAMP_OFFSET_LO, 100);
	fake_ns = 3000000000000ull;		/* 3000 s: wraps the low word */
	ts2 = mm_reg_read(&gpu, MMR_TIMESTAMP_LO) |
	      (u64)mm_reg_read(&gpu, MMR_TIMESTAMP_HI) << 32;
	CHECK_EQ(ts2, 3000 * gpu.cfg.timestamp_hz + 100);
	CHECK_EQ(mm_reg_read(&gpu, MMR_CYCLE_COUNT_LO) |
		 (u64)mm_reg_read(&gpu, MMR_CYCLE_COUNT_HI) << 32,
		 3000 * gpu.cfg.cycle_hz);
}

static void t_walk_4k(void)
{
	u64 root = alloc_page(), pa = alloc_page();
	struct mm_xlate x;

	map_page(root, 0x12345678000ull, pa, 0);
	as_setup(2, root, TRANSCFG_48);
	mm_translate(&gpu, 2, 0x12345678abcull, MM_ACC_WRITE, &x);
	CHECK_EQ(x.fault, 0);
	CHECK_EQ(x.pa, pa + 0xabc);
	CHECK_EQ(x.level, 3);
	CHECK(x.writable && x.executable, "default page must be RW and executable");
	/* The neighbouring page is not mapped: level-3 translation fault. */
	mm_translate(&gpu, 2, 0x12345679000ull, MM_ACC_READ, &x);
	CHECK_EQ(x.fault, MME_TRANSLATION_FAULT(3));
	/* Far away: the level-0 entry is invalid. */
	mm_translate(&gpu, 2, 0x800000000000ull - 0x1000, MM_ACC_READ, &x);
	CHECK_EQ(x.fault, MME_TRANSLATION_FAULT(0));
	/* Beyond the 48-bit input range. */
	mm_translate(&gpu, 2, 1ull << 48, MM_ACC_READ, &x);
	CHECK_EQ(x.fault, MME_ADDR_SIZE_FAULT_IN);
}

static void t_walk_blocks(void)
{
	u64 root = alloc_page(), l1 = alloc_page(), l2 = alloc_page();
	struct mm_xlate x;

	wr64(root, l1 | D_TABLE);			/* VA 0..512G */
	wr64(l1 + 1 * 8, 0x40000000ull | D_BLOCK | D_AF);	/* 1G block at VA 1G */
	wr64(l1 + 2 * 8, l2 | D_TABLE);			/* VA 2G.. */
	wr64(l2 + 3 * 8, 0x00600000ull | D_BLOCK | D_AF | D_RO);	/* 2M at 2G+6M */
	wr64(l2 + 4 * 8, 0x10000000ull | D_TABLE);	/* L2 "table" outside RAM */
	as_setup(3, root, TRANSCFG_48);

	mm_translate(&gpu, 3, 0x40000000ull + 0x123456, MM_ACC_READ, &x);
	CHECK_EQ(x.fault, 0);
	CHECK_EQ(x.pa, 0x40123456ull);
	CHECK_EQ(x.level, 1);
	mm_translate(&gpu, 3, 0x80000000ull + 0x600000 + 0x1234, MM_ACC_READ, &x);
	CHECK_EQ(x.fault, 0);
	CHECK_EQ(x.pa, 0x601234ull);
	CHECK_EQ(x.level, 2);
	CHECK(!x.writable, "RO block reported writable");
	/* Page-table memory outside RAM: a bus fault on the level-3 fetch. */
	mm_translate(&gpu, 3, 0x80000000ull + 0x800000, MM_ACC_READ, &x);
	CHECK_EQ(x.fault, 0xd3);
}

static void t_walk_permissions(void)
{
	u64 root = alloc_page(), p1 = alloc_page(), p2 = alloc_page(), p3 = alloc_page();
	struct mm_xlate x;

	map_page(root, 0x1000000, p1, D_RO);
	map_page(root, 0x1001000, p2, D_XN);
	map_page(root, 0x1002000, p3, 0);
	/* Clear the access flag of the third page by hand. */
	as_setup(4, root, TRANSCFG_48);
	mm_translate(&gpu, 4, 0x1000010, MM_ACC_READ, &x);
	CHECK_EQ(x.fault, 0);
	mm_translate(&gpu, 4, 0x1000010, MM_ACC_WRITE, &x);
	CHECK_EQ(x.fault, MME_PERM_FAULT(3));
	mm_translate(&gpu, 4, 0x1001000, MM_ACC_EXEC, &x);
	CHECK_EQ(x.fault, MME_PERM_FAULT(3));
	mm_translate(&gpu, 4, 0x1001000, MM_ACC_WRITE, &x);
	CHECK_EQ(x.fault, 0);
	{
		u64 l3 = 0, d;
		u64 table = root;
		int level;

		for (level = 0; level < 3; level++) {
			d = rd64(table + ((0x1002000ull >> (12 + 9 * (3 - level))) & 511) * 8);
			table = d & 0x0000fffffffff000ull;
		}
		l3 = table + ((0x1002000ull >> 12) & 511) * 8;
		wr64(l3, rd64(l3) & ~D_AF);
	}
	mm_translate(&gpu, 4, 0x1002000, MM_ACC_READ, &x);
	CHECK_EQ(x.fault, MME_ACCESS_FLAG(3));
}

static void t_update_latches(void)
{
	u64 root = alloc_page(), pa = alloc_page();
	u32 base = MMR_AS_BASE + 5 * MMR_AS_STRIDE;
	struct mm_xlate x;

	map_page(root, 0x2000000, pa, 0);
	/* Programmed but not latched with UPDATE: the AS is still unmapped. */
	mm_reg_write(&gpu, base + MMR_AS_TRANSTAB, (u32)root);
	mm_reg_write(&gpu, base + MMR_AS_TRANSCFG, TRANSCFG_48);
	CHECK_EQ(mm_reg_read(&gpu, base + MMR_AS_TRANSTAB), (u32)root);
	mm_translate(&gpu, 5, 0x2000000, MM_ACC_READ, &x);
	CHECK_EQ(x.fault, MME_TRANSLATION_FAULT(0));
	mm_reg_write(&gpu, base + MMR_AS_COMMAND, MMC_AS_UPDATE);
	mm_translate(&gpu, 5, 0x2000000, MM_ACC_READ, &x);
	CHECK_EQ(x.fault, 0);
	CHECK_EQ(x.pa, pa);
	CHECK_EQ(mm_reg_read(&gpu, base + MMR_AS_STATUS), 0);	/* never stuck ACTIVE */
	/* AS 8 does not exist on a G610 (AS_PRESENT = 0xff). */
	mm_translate(&gpu, 8, 0x2000000, MM_ACC_READ, &x);
	CHECK(x.fault != 0, "AS8 translated");
}

static void t_vm_access(void)
{
	u64 root = alloc_page(), p1 = alloc_page(), p2 = alloc_page();
	uint8_t in[64], out[64];
	struct mm_xlate x;
	int i;

	map_page(root, 0x3000000, p1, 0);
	map_page(root, 0x3001000, p2, D_RO);
	as_setup(1, root, TRANSCFG_48);
	for (i = 0; i < 64; i++)
		in[i] = (uint8_t)(i * 7 + 1);
	/* Straddles the page boundary into the read-only page. */
	CHECK_EQ(mm_vm_write(&gpu, 1, 0x3000fe0, in, 64, &x), -1);
	CHECK_EQ(x.fault, MME_PERM_FAULT(3));
	CHECK_EQ(x.pa, 0x3001000);		/* faulting VA */
	CHECK_EQ(ram[p1 - RAM_BASE + 0xfe0], in[0]);	/* first page was written */
	CHECK_EQ(mm_vm_write(&gpu, 1, 0x3000f00, in, 64, &x), 0);
	CHECK_EQ(mm_vm_read(&gpu, 1, 0x3000f00, out, 64, &x), 0);
	CHECK(!memcmp(in, out, 64), "read back differs");
	memcpy(ram + (p2 - RAM_BASE) + 0xff0, in, 16);
	CHECK_EQ(mm_vm_read(&gpu, 1, 0x3001ff0, out, 16, &x), 0);
	CHECK(!memcmp(in, out, 16), "read of RO page differs");
}

static void t_mmu_fault(void)
{
	mm_reg_write(&gpu, 0x2008, 0xffffffff);
	mm_mmu_fault(&gpu, 3, 0xdead000, MM_ACC_WRITE, MME_TRANSLATION_FAULT(2));
	CHECK(mm_irq_asserted(&gpu, MM_IRQ_MMU), "MMU line not asserted");
	CHECK_EQ(mm_reg_read(&gpu, 0x2000), 1u << 3);
	CHECK_EQ(mm_reg_read(&gpu, MMR_AS_BASE + 3 * MMR_AS_STRIDE + MMR_AS_FAULTSTATUS),
		 0xc2 | (3 << 8));
	CHECK_EQ(mm_reg_read(&gpu, MMR_AS_BASE + 3 * MMR_AS_STRIDE + MMR_AS_FAULTADDRESS),
		 0xdead000);
	/* A second fault before the first is cleared does not overwrite it. */
	mm_mmu_fault(&gpu, 3, 0xbeef000, MM_ACC_READ, MME_PERM_FAULT(3));
	CHECK_EQ(mm_reg_read(&gpu, MMR_AS_BASE + 3 * MMR_AS_STRIDE + MMR_AS_FAULTADDRESS),
		 0xdead000);
	mm_reg_write(&gpu, 0x2004, 1u << 3);
	mm_mmu_fault(&gpu, 3, 0xbeef000, MM_ACC_READ, MME_PERM_FAULT(3));
	CHECK_EQ(mm_reg_read(&gpu, MMR_AS_BASE + 3 * MMR_AS_STRIDE + MMR_AS_FAULTSTATUS),
		 0xcb | (2 << 8));
}

/* Map the MCU's shared section into AS0 and boot the MCU. */
static u64 shared_pa;

static void mcu_setup(void)
{
	u64 root = alloc_page();
	u32 off;

	shared_pa = next_page;
	for (off = 0; off < CSFL_SHARED_SIZE; off += 0x1000)
		alloc_page();
	for (off = 0; off < CSFL_SHARED_SIZE; off += 0x1000)
		map_page(root, CSFL_SHARED_VA + off, shared_pa + off, 0);
	as_setup(0, root, TRANSCFG_48);
}

static u32 sh32(u32 off)
{
	u32 v;

	memcpy(&v, ram + (shared_pa - RAM_BASE) + off, 4);
	return v;
}

static void sh32_set(u32 off, u32 v)
{
	memcpy(ram + (shared_pa - RAM_BASE) + off, &v, 4);
}

static void mcu_boot(void)
{
	mcu_setup();
	mm_reg_write(&gpu, 0x1008, 0xffffffff);	/* JOB_INT_MASK */
	mm_reg_write(&gpu, MMR_MCU_CONTROL, MMC_MCU_AUTO);
	mm_mcu_step(&gpu);
}

static void t_mcu_boot(void)
{
	u32 i, j;

	mcu_setup();
	mm_reg_write(&gpu, 0x1008, 0xffffffff);
	mm_reg_write(&gpu, MMR_MCU_CONTROL, MMC_MCU_AUTO);
	/* Nothing happens inside the register write: the MCU does the work. */
	CHECK_EQ(sh32(GLBC_VERSION), 0);
	CHECK(gpu.mcu_work & MM_WORK_CONTROL, "MCU_CONTROL did not queue work");
	mm_mcu_step(&gpu);
	CHECK_EQ(mm_reg_read(&gpu, MMR_MCU_STATUS), MMC_MCU_STATUS_ENABLED);
	CHECK(mm_reg_read(&gpu, 0x1000) & MMB_JOB_GLOBAL_IF, "no GLOBAL_IF");
	CHECK(mm_irq_asserted(&gpu, MM_IRQ_JOB), "job line not asserted");
	CHECK_EQ(sh32(GLBC_VERSION), gpu.cfg.glb_version);
	CHECK_EQ(sh32(GLBC_VERSION) >> 24, 1);
	CHECK_EQ(sh32(GLBC_GROUP_NUM), 8);
	CHECK_EQ(sh32(GLBC_INPUT_VA), CSFL_SHARED_VA + CSFL_GLB_INPUT);
	CHECK_EQ(sh32(GLBC_OUTPUT_VA), CSFL_SHARED_VA + CSFL_GLB_OUTPUT);
	for (i = 0; i < 8; i++) {
		u32 csg = CSFL_GROUP_CONTROL + i * sh32(GLBC_GROUP_STRIDE);

		CHECK_EQ(sh32(csg + CSGC_STREAM_NUM), 8);
		CHECK_EQ(sh32(csg + CSGC_INPUT_VA), CSFL_SHARED_VA + CSFL_CSG_INPUT(i));
		for (j = 0; j < 8; j++) {
			u32 cs = csg + CSFL_STREAM_CONTROL + j * sh32(csg + CSGC_STREAM_STRIDE);
			u32 f = sh32(cs + CSC_FEATURES);

			CHECK_EQ((f & 0xff) + 1, 96);		/* work registers */
			CHECK_EQ((f >> 8) & 0xff, 8);		/* scoreboards */
			CHECK_EQ(sh32(cs + CSC_OUTPUT_VA), CSFL_SHARED_VA + CSFL_CS_OUTPUT(i, j));
		}
	}
	CHECK_EQ(gpu.stats.mcu_boots, 1);
	/* A second AUTO write to a running MCU does not reboot it. */
	mm_reg_write(&gpu, MMR_MCU_CONTROL, MMC_MCU_AUTO);
	mm_mcu_step(&gpu);
	CHECK_EQ(gpu.stats.mcu_boots, 1);
}

static void t_mcu_boot_unmapped(void)
{
	mm_reg_write(&gpu, 0x2008, 0xffffffff);
	mm_reg_write(&gpu, MMR_MCU_CONTROL, MMC_MCU_AUTO);	/* AS0 not set up */
	mm_mcu_step(&gpu);
	CHECK_EQ(mm_reg_read(&gpu, MMR_MCU_STATUS), MMC_MCU_STATUS_FATAL);
	CHECK_EQ(mm_reg_read(&gpu, 0x2000) & 1, 1);		/* AS0 fault */
	CHECK_EQ(mm_reg_read(&gpu, 0x1000) & MMB_JOB_GLOBAL_IF, 0);
	CHECK(strstr(last_log, "MCU fault") != NULL, "no log: %s", last_log);
}

#define GLB_IN(o)	(CSFL_GLB_INPUT + (o))
#define GLB_OUT(o)	(CSFL_GLB_OUTPUT + (o))

/* What Panthor's panthor_fw_toggle_reqs() does. */
static void toggle_req(u32 in, u32 out, u32 mask)
{
	u32 req = sh32(in), ack = sh32(out);

	sh32_set(in, ((ack ^ mask) & mask) | (req & ~mask));
}

static void t_glb_req_ack(void)
{
	u32 ack;

	mcu_boot();
	mm_reg_write(&gpu, 0x1004, 0xffffffff);
	sh32_set(GLB_IN(GLBI_ACK_IRQ_MASK), GLB_PING | GLB_CFG_ALLOC_EN);
	sh32_set(GLB_IN(GLBI_CORE_EN_MASK), 0x50005);
	sh32_set(GLB_IN(GLBI_PROGRESS_TIMER), 0x1234);
	toggle_req(GLB_IN(GLBI_REQ), GLB_OUT(GLBO_ACK),
		   GLB_PING | GLB_CFG_ALLOC_EN | GLB_CFG_PROGRESS_TIMER);
	/* Without a doorbell the firmware does not look. */
	mm_mcu_step(&gpu);
	CHECK_EQ(sh32(GLB_OUT(GLBO_ACK)), 0);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	mm_mcu_step(&gpu);
	ack = sh32(GLB_OUT(GLBO_ACK));
	CHECK_EQ(ack & GLB_REQ_MASK, sh32(GLB_IN(GLBI_REQ)) & GLB_REQ_MASK);
	CHECK_EQ(ack & (GLB_PING | GLB_CFG_ALLOC_EN | GLB_CFG_PROGRESS_TIMER),
		 GLB_PING | GLB_CFG_ALLOC_EN | GLB_CFG_PROGRESS_TIMER);
	CHECK(mm_reg_read(&gpu, 0x1000) & MMB_JOB_GLOBAL_IF, "ack did not raise GLOBAL_IF");
	CHECK_EQ(gpu.glb_progress_timer, 0x1234);
	CHECK_EQ(gpu.glb_core_en_mask, 0x50005);
	CHECK_EQ(mm_reg_read(&gpu, MMR_PWR_READY), 0x50005);	/* MCU powered cores */
	CHECK_EQ(gpu.stats.pings, 1);

	/* Toggle PING back: acked again; an unmasked bit raises no interrupt. */
	mm_reg_write(&gpu, 0x1004, 0xffffffff);
	sh32_set(GLB_IN(GLBI_ACK_IRQ_MASK), 0);
	toggle_req(GLB_IN(GLBI_REQ), GLB_OUT(GLBO_ACK), GLB_PING);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	mm_mcu_step(&gpu);
	CHECK_EQ(sh32(GLB_OUT(GLBO_ACK)) & GLB_PING, 0);
	CHECK_EQ(mm_reg_read(&gpu, 0x1000) & MMB_JOB_GLOBAL_IF, 0);
	CHECK_EQ(gpu.stats.pings, 2);

	/* A state bit (IDLE_EN) set with update semantics is acked as set. */
	sh32_set(GLB_IN(GLBI_REQ), sh32(GLB_IN(GLBI_REQ)) | GLB_IDLE_EN);
	sh32_set(GLB_IN(GLBI_IDLE_TIMER), 800);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	mm_mcu_step(&gpu);
	CHECK(sh32(GLB_OUT(GLBO_ACK)) & GLB_IDLE_EN, "IDLE_EN not acked");
	CHECK_EQ(gpu.glb_idle_timer, 800);
}

static void t_glb_halt(void)
{
	mcu_boot();
	sh32_set(GLB_IN(GLBI_REQ), sh32(GLB_IN(GLBI_REQ)) | GLB_HALT);
	sh32_set(GLB_OUT(GLBO_HALT_STATUS), 0x4e);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	mm_mcu_step(&gpu);
	CHECK_EQ(mm_reg_read(&gpu, MMR_MCU_STATUS), MMC_MCU_STATUS_HALT);
	CHECK_EQ(sh32(GLB_OUT(GLBO_HALT_STATUS)), 0);		/* clean halt */
	CHECK_EQ(sh32(GLB_OUT(GLBO_ACK)) & GLB_HALT, 0);	/* HALT is never acked */
	/* A halted MCU answers nothing else. */
	toggle_req(GLB_IN(GLBI_REQ), GLB_OUT(GLBO_ACK), GLB_PING);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	mm_mcu_step(&gpu);
	CHECK_EQ(sh32(GLB_OUT(GLBO_ACK)) & GLB_PING, 0);
	/* Disable, clear HALT, re-enable: the MCU boots again. */
	mm_reg_write(&gpu, MMR_MCU_CONTROL, MMC_MCU_DISABLE);
	CHECK_EQ(mm_reg_read(&gpu, MMR_MCU_STATUS), MMC_MCU_STATUS_DISABLED);
	sh32_set(GLB_IN(GLBI_REQ), 0);
	mm_reg_write(&gpu, MMR_MCU_CONTROL, MMC_MCU_AUTO);
	mm_mcu_step(&gpu);
	CHECK_EQ(mm_reg_read(&gpu, MMR_MCU_STATUS), MMC_MCU_STATUS_ENABLED);
	CHECK_EQ(gpu.stats.mcu_boots, 2);
}

static void t_csg_req_ack(void)
{
	u32 in = CSFL_CSG_INPUT(2), out = CSFL_CSG_OUTPUT(2);

	mcu_boot();
	mm_reg_write(&gpu, 0x1004, 0xffffffff);
	/* Program CS 1 of CSG 2 to START, then the CSG to START (Panthor's order). */
	sh32_set(CSFL_CS_INPUT(2, 1) + 0x18, 0x1000);			/* ring size */
	sh32_set(CSFL_CS_INPUT(2, 1) + 0x30, CSFL_SHARED_VA + 0x1e000);	/* ring input */
	sh32_set(CSFL_CS_INPUT(2, 1) + 0x38, CSFL_SHARED_VA + 0x1e800);	/* ring output */
	sh32_set(CSFL_CS_INPUT(2, 1) + CSI_REQ, 1);
	sh32_set(CSFL_CS_INPUT(2, 1) + CSI_ACK_IRQ_MASK, 0x7);
	sh32_set(in + CSGI_DOORBELL_REQ, 1u << 1);
	sh32_set(in + CSGI_ACK_IRQ_MASK, CSG_STATE_MASK);
	sh32_set(in + CSGI_ENDPOINT_REQ, 0x10000401);
	sh32_set(in + CSGI_REQ, 1 | CSG_STATUS_UPDATE);
	toggle_req(GLB_IN(GLBI_DOORBELL_REQ), GLB_OUT(GLBO_DOORBELL_ACK), 1u << 2);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	mm_mcu_step(&gpu);
	CHECK_EQ(sh32(out + CSGO_ACK) & CSG_REQ_MASK, 1 | CSG_STATUS_UPDATE);
	CHECK_EQ(sh32(out + CSGO_STATUS_EP_CURRENT), 0x10000401);
	CHECK_EQ(sh32(CSFL_CS_OUTPUT(2, 1) + CSO_ACK) & 7, 1);
	CHECK_EQ(sh32(out + CSGO_DOORBELL_ACK), 1u << 1);
	CHECK_EQ(sh32(GLB_OUT(GLBO_DOORBELL_ACK)), 1u << 2);
	CHECK_EQ(sh32(out + CSGO_CS_IRQ_REQ) ^ sh32(in + CSGI_CS_IRQ_ACK), 1u << 1);
	CHECK(mm_reg_read(&gpu, 0x1000) & (1u << 2), "CSG 2 interrupt not raised");
	/* Other groups untouched. */
	CHECK_EQ(sh32(CSFL_CSG_OUTPUT(1) + CSGO_ACK), 0);
}

/* A late hostile MCU answers the global doorbell only after ack_late_ms. */
static void t_hostile_late_ack(void)
{
	mcu_boot();
	gpu.hostile.ack_late_ms = 5;
	fake_ns = 1000;
	toggle_req(GLB_IN(GLBI_REQ), GLB_OUT(GLBO_ACK), GLB_PING);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	CHECK(!mm_mcu_step(&gpu), "a late MCU asked to be stepped again at once");
	CHECK_EQ(sh32(GLB_OUT(GLBO_ACK)) & GLB_PING, 0);
	CHECK(gpu.any_waiting, "a late MCU is not polled");
	fake_ns += 4000000;	/* 4 ms: still late */
	mm_mcu_poll_waits(&gpu);
	mm_mcu_step(&gpu);
	CHECK_EQ(sh32(GLB_OUT(GLBO_ACK)) & GLB_PING, 0);
	fake_ns += 2000000;	/* 6 ms: answered */
	mm_mcu_poll_waits(&gpu);
	mm_mcu_step(&gpu);
	CHECK_EQ(sh32(GLB_OUT(GLBO_ACK)) & GLB_PING, GLB_PING);
	CHECK_EQ(gpu.stats.pings, 1);
	gpu.hostile.ack_late_ms = 0;
}

/* A hostile MCU raises the CSG events it was told to on a CSG start. */
static void t_hostile_spurious_events(void)
{
	u32 in = CSFL_CSG_INPUT(0), out = CSFL_CSG_OUTPUT(0), evts;

	mcu_boot();
	mm_reg_write(&gpu, 0x1004, 0xffffffff);
	gpu.hostile.spurious_csg = 5;	/* SYNC_UPDATE, PROGRESS_TIMER */
	sh32_set(in + CSGI_ACK_IRQ_MASK, CSG_STATE_MASK | CSG_SYNC_UPDATE | CSG_PROGRESS_TIMER);
	sh32_set(in + CSGI_REQ, 1);	/* START */
	toggle_req(GLB_IN(GLBI_DOORBELL_REQ), GLB_OUT(GLBO_DOORBELL_ACK), 1u << 0);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	mm_mcu_step(&gpu);
	/* (an empty group also goes idle: IDLE is a real event here) */
	evts = (sh32(in + CSGI_REQ) ^ sh32(out + CSGO_ACK)) & (CSG_SYNC_UPDATE | CSG_PROGRESS_TIMER);
	CHECK_EQ(evts, CSG_SYNC_UPDATE | CSG_PROGRESS_TIMER);
	CHECK_EQ(sh32(out + CSGO_ACK) & CSG_STATE_MASK, 1);	/* the start is acked too */
	CHECK(mm_reg_read(&gpu, 0x1000) & 1u, "CSG 0 interrupt not raised");
	gpu.hostile.spurious_csg = 0;
}

/* Ring CSG @i's doorbell through the global interface and step the MCU. */
static void csg_ring(u32 i)
{
	toggle_req(GLB_IN(GLBI_DOORBELL_REQ), GLB_OUT(GLBO_DOORBELL_ACK), 1u << i);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	mm_mcu_step(&gpu);
}

/*
 * "csg_hang": the next SUSPEND of a running slot is never acknowledged, a
 * later request of another state is counted as the host's error, and only
 * a reset ends the hang.
 */
static void t_inject_csg_hang(void)
{
	u32 in = CSFL_CSG_INPUT(0), out = CSFL_CSG_OUTPUT(0);

	mcu_boot();
	sh32_set(in + CSGI_REQ, 1);	/* START */
	csg_ring(0);
	CHECK_EQ(sh32(out + CSGO_ACK) & CSG_STATE_MASK, 1);
	gpu.inject |= MM_INJECT_CSG_HANG;
	sh32_set(in + CSGI_REQ, 2);	/* SUSPEND: hangs */
	csg_ring(0);
	CHECK_EQ(sh32(out + CSGO_ACK) & CSG_STATE_MASK, 1);
	CHECK(gpu.csg[0].running && gpu.csg[0].hung, "the slot did not hang running");
	CHECK_EQ(gpu.inject & MM_INJECT_CSG_HANG, 0);
	CHECK_EQ(gpu.stats.csg_hangs, 1);
	CHECK_EQ(gpu.stats.hung_slot_reprogrammed, 0);
	csg_ring(0);			/* asked again: still nothing */
	CHECK_EQ(sh32(out + CSGO_ACK) & CSG_STATE_MASK, 1);
	CHECK_EQ(gpu.stats.hung_slot_reprogrammed, 0);
	sh32_set(in + CSGI_REQ, 0);	/* TERMINATE: a new state, not acked */
	csg_ring(0);
	CHECK_EQ(sh32(out + CSGO_ACK) & CSG_STATE_MASK, 1);
	CHECK_EQ(gpu.stats.hung_slot_reprogrammed, 1);
	mm_reset(&gpu);
	CHECK(!gpu.csg[0].hung, "a reset did not end the hang");
}

/* "mcu_dead": no boot until the injection is cleared. */
static void t_inject_mcu_dead(void)
{
	gpu.inject |= MM_INJECT_MCU_DEAD;
	mcu_boot();
	CHECK_EQ(mm_reg_read(&gpu, MMR_MCU_STATUS), MMC_MCU_STATUS_DISABLED);
	CHECK_EQ(sh32(GLBC_VERSION), 0);
	CHECK_EQ(gpu.stats.mcu_boots, 0);
	CHECK_EQ(gpu.stats.mcu_boots_refused, 1);
	gpu.inject = 0;
	mm_reg_write(&gpu, MMR_MCU_CONTROL, MMC_MCU_DISABLE);
	mm_reg_write(&gpu, MMR_MCU_CONTROL, MMC_MCU_AUTO);
	mm_mcu_step(&gpu);
	CHECK_EQ(mm_reg_read(&gpu, MMR_MCU_STATUS), MMC_MCU_STATUS_ENABLED);
	CHECK_EQ(gpu.stats.mcu_boots, 1);
}

static void t_doorbell_stopped_mcu(void)
{
	mcu_setup();
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE + 3 * MMR_DOORBELL_STRIDE, 1);
	CHECK_EQ(gpu.stats.doorbells, 2);
	mm_mcu_step(&gpu);
	CHECK_EQ(sh32(GLB_OUT(GLBO_ACK)), 0);
	CHECK_EQ(mm_reg_read(&gpu, MMR_MCU_STATUS), MMC_MCU_STATUS_DISABLED);
	CHECK_EQ(gpu.mcu_work, 0);
}

static void t_format_info(void)
{
	char buf[4096];
	int n = mm_format_info(&gpu, buf, sizeof(buf));

	CHECK(n > 0 && n < (int)sizeof(buf), "format_info returned %d", n);
	CHECK(strstr(buf, "gpu_info.gpu_id 0xa8670005\n") != NULL, "gpu_id line missing");
	CHECK(strstr(buf, "csif_info.cs_reg_count 0x60\n") != NULL, "cs_reg_count missing");
	CHECK(strstr(buf, "gpu_info.shader_present 0x50005\n") != NULL, "shader_present");
	/* Truncation is reported as the length needed, never overflows. */
	CHECK_EQ(mm_format_info(&gpu, buf, 8), n);
}


/* ---- command-stream interpreter ---------------------------------------- */

#define CS_AS		1
#define CODE_VA		0x10000ull	/* 2 pages */
#define DATA_VA		0x20000ull
#define RING_VA		0x30000ull
static u64 code_pa, data_pa, ring_pa;
static struct mm_cs_state cs;

static u64 ins(u32 op, u64 payload)
{
	return mm_cs_op(op, payload);
}

#define R(n, pos)	MMCS_F(n, pos)
#define mov48		mm_cs_mov48
#define mov32		mm_cs_mov32
#define add32		mm_cs_add32
#define add64		mm_cs_add64
#define umin		mm_cs_umin32
#define branch		mm_cs_branch
#define ldm(b, a, m, o)	mm_cs_ldst(20, b, a, m, o)
#define stm(b, a, m, o)	mm_cs_ldst(21, b, a, m, o)
#define call(a, l)	mm_cs_call(32, a, l)
#define jump(a, l)	mm_cs_call(33, a, l)
#define sync		mm_cs_sync
#define swait		mm_cs_sync_wait

static void cs_setup(void)
{
	u64 root = alloc_page();

	code_pa = alloc_page();
	alloc_page();
	data_pa = alloc_page();
	ring_pa = alloc_page();
	map_page(root, CODE_VA, code_pa, 0);
	map_page(root, CODE_VA + 0x1000, code_pa + 0x1000, 0);
	map_page(root, DATA_VA, data_pa, 0);
	map_page(root, RING_VA, ring_pa, 0);
	as_setup(CS_AS, root, TRANSCFG_48);
	mm_cs_reset(&cs, 96);
	cs.ring_base = RING_VA;
	cs.ring_size = 0x1000;
}

/* Put @n instructions in the ring at its current end and run them. */
static enum mm_cs_result ring_run(const u64 *w, size_t n, u32 budget)
{
	size_t i;

	for (i = 0; i < n; i++)
		wr64(ring_pa + ((cs.frame[0].end + 8 * i) & 0xfff), w[i]);
	cs.frame[0].end += 8 * n;
	return mm_cs_exec(&gpu, CS_AS, &cs, budget);
}

static void code_put(u64 off, const u64 *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		wr64(code_pa + off + 8 * i, w[i]);
}

static u32 data32(u32 off)
{
	u32 v;

	memcpy(&v, ram + (data_pa - RAM_BASE) + off, 4);
	return v;
}

static void t_cs_moves_and_arith(void)
{
	const u64 w[] = {
		mov48(10, 0xabcdef012345ull), mov32(12, 0xffffffff),
		add32(13, 12, 2),		/* wraps to 1 */
		mov48(14, 5), add64(16, 14, -7),	/* 5 - 7 = -2 (64-bit) */
		mov32(20, 9), mov32(21, 4), umin(22, 20, 21),
		mov32(23, 0x80000000), umin(24, 23, 20),	/* unsigned */
	};

	cs_setup();
	CHECK_EQ(ring_run(w, sizeof(w) / 8, 100), MM_CS_EMPTY);
	CHECK_EQ(cs.reg[10], 0xef012345);
	CHECK_EQ(cs.reg[11], 0xabcd);
	CHECK_EQ(cs.reg[13], 1);
	CHECK_EQ(cs.reg[16] | (u64)cs.reg[17] << 32, (u64)-2);
	CHECK_EQ(cs.reg[22], 4);
	CHECK_EQ(cs.reg[24], 9);
	CHECK_EQ(cs.executed, sizeof(w) / 8);
	CHECK_EQ(cs.frame[0].ip, sizeof(w));
}

static void t_cs_load_store(void)
{
	const u64 w[] = {
		mov48(2, DATA_VA + 0x100),
		mov32(40, 0x11111111), mov32(41, 0x22222222), mov32(42, 0x33333333),
		stm(40, 2, 0x7, 0),
		stm(40, 2, 0x5, -0x10),		/* sparse mask, negative offset */
		ldm(50, 2, 0x3, 4),
	};

	cs_setup();
	CHECK_EQ(ring_run(w, sizeof(w) / 8, 100), MM_CS_EMPTY);
	CHECK_EQ(data32(0x100), 0x11111111);
	CHECK_EQ(data32(0x104), 0x22222222);
	CHECK_EQ(data32(0x108), 0x33333333);
	CHECK_EQ(data32(0xf0), 0x11111111);	/* bit i -> addr + 4 * i */
	CHECK_EQ(data32(0xf4), 0);
	CHECK_EQ(data32(0xf8), 0x33333333);
	CHECK_EQ(cs.reg[50], 0x22222222);
	CHECK_EQ(cs.reg[51], 0x33333333);
}

static void t_cs_branch(void)
{
	/* r30 = 5; loop: r31 += 3; r30 -= 1; if r30 > 0 goto loop */
	const u64 w[] = {
		mov32(30, 5), mov32(31, 0),
		add32(31, 31, 3), add32(30, 30, -1), branch(1, 30, -3),
		mov32(32, 0xffffffff),
		branch(4, 32, 1), mov32(33, 1),	/* LT: skips the MOVE */
		branch(2, 32, 1), mov32(34, 1),	/* EQ: not taken */
		branch(6, 0, 1), mov32(35, 1),	/* ALWAYS */
	};

	cs_setup();
	CHECK_EQ(ring_run(w, sizeof(w) / 8, 100), MM_CS_EMPTY);
	CHECK_EQ(cs.reg[31], 15);
	CHECK_EQ(cs.reg[30], 0);
	CHECK_EQ(cs.reg[33], 0);
	CHECK_EQ(cs.reg[34], 1);
	CHECK_EQ(cs.reg[35], 0);
}

static void t_cs_budget(void)
{
	const u64 w[] = { branch(6, 0, -1) };	/* spins forever */

	cs_setup();
	CHECK_EQ(ring_run(w, 1, 1000), MM_CS_BUDGET);
	CHECK_EQ(cs.executed, 1000);
}

static void t_cs_call_jump(void)
{
	/* code+0: r60 = 7; JUMP code+0x100 (8 bytes)   code+0x100: r61 = 8 */
	const u64 sub[] = { mov32(60, 7), mov48(4, CODE_VA + 0x100), mov32(6, 8), jump(4, 6) };
	const u64 tail[] = { mov32(61, 8) };
	const u64 w[] = { mov48(2, CODE_VA), mov32(5, sizeof(sub)), call(2, 5), mov32(62, 9) };

	cs_setup();
	code_put(0, sub, 4);
	code_put(0x100, tail, 1);
	CHECK_EQ(ring_run(w, 4, 100), MM_CS_EMPTY);
	CHECK_EQ(cs.reg[60], 7);
	CHECK_EQ(cs.reg[61], 8);
	CHECK_EQ(cs.reg[62], 9);	/* returned to the ring */
	CHECK_EQ(cs.depth, 0);
}

static void t_cs_call_depth(void)
{
	/* A stream that CALLs itself: overflows at the 8th nested frame. */
	const u64 self[] = { mov32(5, 8 * 3), mov48(2, CODE_VA), call(2, 5) };
	const u64 w[] = { mov48(2, CODE_VA), mov32(5, 24), call(2, 5) };

	cs_setup();
	code_put(0, self, 3);
	CHECK_EQ(ring_run(w, 3, 1000), MM_CS_FATAL);
	CHECK_EQ(cs.exc_type, MM_CS_EXC_CALL_STACK_OVERFLOW);
	CHECK_EQ(cs.depth, MM_CS_MAX_DEPTH);
	CHECK_EQ(cs.exc_info, CODE_VA + 16);
	/* Stays stopped. */
	CHECK_EQ(mm_cs_exec(&gpu, CS_AS, &cs, 10), MM_CS_FATAL);
}

static void t_cs_bad_call_and_jump(void)
{
	const u64 w1[] = { mov48(2, CODE_VA), mov32(5, 12), call(2, 5) };
	const u64 w2[] = { mov48(2, CODE_VA), mov32(5, 8), jump(2, 5) };

	cs_setup();
	CHECK_EQ(ring_run(w1, 3, 10), MM_CS_FATAL);	/* length not x8 */
	CHECK_EQ(cs.exc_type, MM_CS_EXC_INSTR_INVALID);
	cs_setup();
	CHECK_EQ(ring_run(w2, 3, 10), MM_CS_FATAL);	/* JUMP from the ring */
	CHECK_EQ(cs.exc_info, RING_VA + 16);
}

static void t_cs_sync_ops(void)
{
	const u64 w[] = {
		mov48(2, DATA_VA + 0x200), mov32(4, 5),
		sync(38, 2, 4, 0), sync(37, 2, 4, 1),		/* SET32 5, ADD32 5 + status */
		mov48(6, DATA_VA + 0x300), mov48(8, 0x100000000ull),
		sync(52, 6, 8, 0), sync(51, 6, 8, 1),		/* SET64, ADD64 + status */
	};

	cs_setup();
	memset(ram + (data_pa - RAM_BASE) + 0x200, 0xff, 0x200);
	CHECK_EQ(ring_run(w, sizeof(w) / 8, 100), MM_CS_EMPTY);
	CHECK_EQ(data32(0x200), 10);
	CHECK_EQ(data32(0x204), 0);		/* status written by propagate */
	CHECK_EQ(data32(0x300), 0);
	CHECK_EQ(data32(0x304), 2);		/* 0x200000000 */
	CHECK_EQ(data32(0x308), 0);
	CHECK_EQ(data32(0x30c), 0xffffffff);	/* beyond the 64-bit status word */
	CHECK_EQ(cs.sync_updates, 4);
}

static void t_cs_sync_wait(void)
{
	const u64 w[] = {
		mov48(2, DATA_VA + 0x400), mov48(4, 3),
		swait(53, 1, 2, 4),		/* WAIT64 until mem > 3 */
		mov32(10, 1),
		mov32(11, 7), swait(39, 0, 2, 11),	/* WAIT32 until mem <= 7 */
		mov32(12, 1),
	};
	u64 v;

	cs_setup();
	CHECK_EQ(ring_run(w, sizeof(w) / 8, 100), MM_CS_WAITING);
	CHECK_EQ(cs.blocked, MM_CS_BLOCKED_SYNC_WAIT);
	CHECK_EQ(cs.wait_ptr, DATA_VA + 0x400);
	CHECK_EQ(cs.wait_ref, 3);
	CHECK(cs.wait_gt && cs.wait64, "wait condition not recorded");
	CHECK_EQ(cs.reg[10], 0);
	CHECK_EQ(mm_cs_exec(&gpu, CS_AS, &cs, 100), MM_CS_WAITING);	/* still 0 */
	v = 4;
	memcpy(ram + (data_pa - RAM_BASE) + 0x400, &v, 8);
	CHECK_EQ(mm_cs_exec(&gpu, CS_AS, &cs, 100), MM_CS_EMPTY);
	CHECK_EQ(cs.reg[10], 1);
	CHECK_EQ(cs.reg[12], 1);		/* 4 <= 7 passed at once */
	CHECK_EQ(cs.blocked, MM_CS_BLOCKED_NONE);
}

static void t_cs_store_state_and_flush(void)
{
	const u64 w[] = {
		mov48(2, DATA_VA + 0x500),
		ins(40, R(2, 40) | R(0, 32) | 0x8),	/* timestamp at +8 */
		ins(40, R(2, 40) | R(1, 32) | 0x10),	/* cycle count at +16 */
		mov32(70, 0), ins(36, R(70, 40) | 0x233),	/* FLUSH_CACHE2 */
	};
	u32 id = mm_reg_read(&gpu, MMR_LATEST_FLUSH_ID);

	cs_setup();
	fake_ns = 2000000000ull;
	CHECK_EQ(ring_run(w, sizeof(w) / 8, 100), MM_CS_EMPTY);
	CHECK_EQ(data32(0x508), 2 * gpu.cfg.timestamp_hz);
	CHECK_EQ(data32(0x510) | (u64)data32(0x514) << 32, 2 * gpu.cfg.cycle_hz);
	CHECK_EQ(mm_reg_read(&gpu, MMR_LATEST_FLUSH_ID), id + 1);
	CHECK_EQ(user_flush_id, id + 1);
}

static void t_cs_invalid(void)
{
	const u64 bad_op[] = { mov32(1, 1), ins(10, 0) };
	const u64 odd_pair[] = { mov48(3, 1) };
	const u64 high_reg[] = { mov32(96, 1) };
	const u64 bad_cond[] = { mov48(2, DATA_VA), swait(39, 2, 2, 4) };

	cs_setup();
	CHECK_EQ(ring_run(bad_op, 2, 10), MM_CS_FATAL);
	CHECK_EQ(cs.exc_type, MM_CS_EXC_INSTR_INVALID);
	CHECK_EQ(cs.exc_info, RING_VA + 8);
	cs_setup();
	CHECK_EQ(ring_run(odd_pair, 1, 10), MM_CS_FATAL);
	cs_setup();
	CHECK_EQ(ring_run(high_reg, 1, 10), MM_CS_FATAL);	/* G610: r0..r95 */
	cs_setup();
	CHECK_EQ(ring_run(bad_cond, 2, 10), MM_CS_FATAL);
}

static void t_cs_bus_fault(void)
{
	const u64 w[] = { mov48(2, 0x7770000), mov32(4, 1), stm(4, 2, 1, 0) };

	cs_setup();
	mm_reg_write(&gpu, 0x2008, 0xffffffff);
	CHECK_EQ(ring_run(w, 3, 10), MM_CS_FATAL);
	CHECK_EQ(cs.exc_type, MM_CS_EXC_BUS_FAULT);
	CHECK_EQ(cs.exc_info, 0x7770000);
	CHECK_EQ(mm_reg_read(&gpu, 0x2000), 1u << CS_AS);
	CHECK_EQ(mm_reg_read(&gpu, MMR_AS_BASE + CS_AS * MMR_AS_STRIDE + MMR_AS_FAULTSTATUS),
		 MME_TRANSLATION_FAULT(2) | (3 << 8));
}

static void t_cs_ring_wrap(void)
{
	const u64 w[] = { mov32(1, 1), mov32(2, 2), mov32(3, 3) };

	cs_setup();
	cs.frame[0].ip = cs.frame[0].end = 0x1ff0;	/* 2 slots before the end */
	CHECK_EQ(ring_run(w, 3, 10), MM_CS_EMPTY);
	CHECK_EQ(cs.reg[3], 3);
	CHECK_EQ(cs.frame[0].ip, 0x2008);
	CHECK_EQ(rd64(ring_pa), w[2]);		/* third one wrapped to offset 0 */
}

static void t_cs_misc_ops(void)
{
	const u64 w[] = {
		ins(4, R(1, 32)), ins(5, 0), ins(6, R(1, 32)), ins(7, 0),
		ins(8, 0), ins(44, R(1, 32)), ins(9, 0), ins(34, 0xf),
		ins(23, 0x21), ins(3, R(0xff, 16)),
		mov48(2, 0x123456), ins(48, R(2, 40)),		/* HEAP_SET */
		ins(49, R(0, 32)), ins(49, R(1, 32)), ins(49, R(3, 32)),
		mov48(6, 77), ins(42, R(6, 40)), ins(43, R(8, 48)),	/* PROGRESS */
		ins(47, 0), ins(50, 0), ins(41, 0), ins(24, R(6, 40)),
	};

	cs_setup();
	CHECK_EQ(ring_run(w, sizeof(w) / 8, 100), MM_CS_EMPTY);
	CHECK_EQ(cs.progress, 77);
	CHECK_EQ(cs.reg[8], 77);
	CHECK_EQ(cs.heap_ctx, 0x123456);
	CHECK_EQ(cs.heap_vt_start + cs.heap_vt_end + cs.heap_frag_end, 3);
	CHECK_EQ(cs.sb_endpoint, 1);
	CHECK_EQ(cs.sb_other, 2);
}

static void t_cs_nop_finish_fragment_exc_handler(void)
{
	const u64 w[] = {
		ins(0, 0x123456789abcull),			/* NOP ignores its payload */
		mov48(10, 0x5000), ins(48, R(10, 40)),		/* HEAP_SET */
		mov48(2, CODE_VA), mov32(4, 64),
		ins(25, R(2, 40) | R(4, 32) | 2),		/* handler for TILER_OOM */
		ins(11, 1),					/* FINISH_FRAGMENT, inc */
	};

	cs_setup();
	cs.heap_used = 0x20000;		/* what a renderpass had tiled */
	CHECK_EQ(ring_run(w, sizeof(w) / 8, 100), MM_CS_EMPTY);
	CHECK_EQ(cs.executed, sizeof(w) / 8);
	CHECK_EQ(cs.exc_handler_va[2], CODE_VA);
	CHECK_EQ(cs.exc_handler_len[2], 64);
	CHECK_EQ(cs.heap_frag_end, 1);
	CHECK_EQ(cs.heap_used, 0);
	CHECK_EQ(cs.heap_credit, 0x20000);		/* memory went back */
}

/* IGT panthor_group/group_submit's stream, word for word (cs-isa.md §4). */
static void t_cs_igt_deadbeef(void)
{
	const u64 user[] = {
		0x0144000001001000ull, 0x02460000DEADBEEFull, 0x1546440000010000ull,
		0x0300000000FF0000ull, 0x0246000000000000ull, 0x2401460000000233ull,
		0x0300000000FF0000ull,
	};
	u64 root = alloc_page(), cmd = alloc_page(), res = alloc_page(), ring = alloc_page();
	/* Panthor's job block around it (without the final sync object). */
	const u64 block[] = {
		mov32(94, 0), ins(36, R(94, 40) | 0x233),
		mov48(92, 0x1000000), mov32(94, 56), ins(3, R(1, 16)), call(92, 94),
	};
	u32 v;
	size_t i;

	map_page(root, 0x1000000, cmd, 0);
	map_page(root, 0x1001000, res, 0);
	map_page(root, 0x2000000, ring, 0);
	as_setup(2, root, TRANSCFG_48);
	for (i = 0; i < 7; i++)
		wr64(cmd + 8 * i, user[i]);
	for (i = 0; i < 6; i++)
		wr64(ring + 8 * i, block[i]);
	mm_cs_reset(&cs, 96);
	cs.ring_base = 0x2000000;
	cs.ring_size = 0x1000;
	cs.frame[0].end = 48;
	CHECK_EQ(mm_cs_exec(&gpu, 2, &cs, 100), MM_CS_EMPTY);
	memcpy(&v, ram + (res - RAM_BASE), 4);
	CHECK_EQ(v, 0xdeadbeef);
	CHECK_EQ(cs.executed, 13);
}

/* ---- groups on the MCU: rings, events, suspend/resume -------------------- */

#define RING_IN(i)	(0x1e000u + (i) * 0x40)	/* in the shared section */
#define RING_OUT(i)	(0x1e800u + (i) * 0x40)
#define SUSPEND_BUF	0x18000u

static void ring_write(u32 n, const u64 *w, u64 *insert)
{
	u32 k;

	for (k = 0; k < n; k++)
		wr64(ring_pa + ((*insert + 8 * k) & 0xfff), w[k]);
	*insert += 8 * n;
	sh32_set(RING_IN(0), (u32)*insert);
}

static void csg_program(u32 i, u32 state)
{
	u32 in = CSFL_CSG_INPUT(i), cin = CSFL_CS_INPUT(i, 0);

	sh32_set(cin + 0x10, (u32)RING_VA);
	sh32_set(cin + 0x18, 0x1000);
	sh32_set(cin + 0x30, CSFL_SHARED_VA + RING_IN(0));
	sh32_set(cin + 0x38, CSFL_SHARED_VA + RING_OUT(0));
	sh32_set(cin + CSI_ACK_IRQ_MASK, 0xffffffff);
	/* Panthor: input->extract = output->extract, then CS START. */
	sh32_set(RING_IN(0) + 8, sh32(RING_OUT(0)));
	sh32_set(cin + CSI_REQ, (sh32(cin + CSI_REQ) & ~7u) | 1);
	sh32_set(in + CSGI_ACK_IRQ_MASK, 0xffffffff);
	sh32_set(in + 0x40, CSFL_SHARED_VA + SUSPEND_BUF);
	sh32_set(in + CSGI_CONFIG, CS_AS);
	toggle_req(in + CSGI_DOORBELL_REQ, CSFL_CSG_OUTPUT(i) + CSGO_DOORBELL_ACK, 1);
	sh32_set(in + CSGI_REQ, (sh32(in + CSGI_REQ) & ~7u) | state);
	toggle_req(GLB_IN(GLBI_DOORBELL_REQ), GLB_OUT(GLBO_DOORBELL_ACK), 1u << i);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
}

static void mcu_run(void)
{
	int n = 0;

	while (mm_mcu_step(&gpu) && n++ < 1000)
		;
}

static u64 data64(u32 off)
{
	u64 v;

	memcpy(&v, ram + (data_pa - RAM_BASE) + off, 8);
	return v;
}

static void t_group_runs_ring(void)
{
	/* Panthor's job completion: SYNC_ADD64 of 1 with error propagation. */
	const u64 done[] = { mov48(92, DATA_VA), mov48(94, 1), sync(51, 92, 94, 1) };
	const u64 wait[] = { mov48(80, DATA_VA + 0x100), mov48(82, 0),
			     swait(53, 1, 80, 82), sync(51, 92, 94, 1) };
	u32 in = CSFL_CSG_INPUT(0), out = CSFL_CSG_OUTPUT(0);
	u64 insert = 0, one = 1;

	mcu_boot();
	cs_setup();
	ring_write(3, done, &insert);
	csg_program(0, 1);
	mcu_run();
	CHECK_EQ(data64(0), 1);
	CHECK_EQ(sh32(RING_OUT(0)), 24);			/* extract */
	CHECK((sh32(in + CSGI_REQ) ^ sh32(out + CSGO_ACK)) & (1u << 28), "no SYNC_UPDATE event");
	CHECK((sh32(in + CSGI_REQ) ^ sh32(out + CSGO_ACK)) & (1u << 29), "no IDLE event");
	CHECK_EQ(sh32(out + CSGO_STATUS_STATE), CSG_STATUS_STATE_IDLE);
	CHECK(mm_reg_read(&gpu, 0x1000) & 1, "CSG 0 interrupt not raised");

	/* A job that waits on memory nobody has written yet. */
	ring_write(4, wait, &insert);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE + MMR_DOORBELL_STRIDE, 1);
	mcu_run();
	CHECK_EQ(data64(0), 1);
	CHECK_EQ(sh32(CSFL_CS_OUTPUT(0, 0) + 0x60), MM_CS_BLOCKED_SYNC_WAIT);
	CHECK_EQ(sh32(CSFL_CS_OUTPUT(0, 0) + 0x48), (1u << 31) | (1u << 30) | (1u << 24));
	CHECK_EQ(sh32(CSFL_CS_OUTPUT(0, 0) + 0x50), DATA_VA + 0x100);

	/* Suspend it, resume it on CSG slot 3: the wait carries over. */
	sh32_set(in + CSGI_REQ, (sh32(in + CSGI_REQ) & ~7u) | 2);
	toggle_req(GLB_IN(GLBI_DOORBELL_REQ), GLB_OUT(GLBO_DOORBELL_ACK), 1);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	mcu_run();
	CHECK_EQ(sh32(out + CSGO_ACK) & 7, 2);
	CHECK_EQ(gpu.stats.csg_suspends, 1);
	sh32_set(CSFL_CSG_INPUT(3) + 0x40, CSFL_SHARED_VA + SUSPEND_BUF);
	csg_program(3, 3);
	mcu_run();
	CHECK_EQ(gpu.stats.csg_resumes, 1);
	CHECK_EQ(sh32(CSFL_CS_OUTPUT(3, 0) + 0x60), MM_CS_BLOCKED_SYNC_WAIT);
	memcpy(ram + (data_pa - RAM_BASE) + 0x100, &one, 8);
	mm_mcu_poll_waits(&gpu);
	mcu_run();
	CHECK_EQ(data64(0), 2);
	CHECK_EQ(sh32(RING_OUT(0)), insert);
	CHECK_EQ(sh32(CSFL_CS_OUTPUT(3, 0) + 0x60), MM_CS_BLOCKED_NONE);
}

/* Boot, then start CSG 0 on a stream whose second instruction is illegal. */
static void run_illegal_opcode_group(void)
{
	const u64 bad[] = { mov32(1, 1), ins(12, 0) };
	u64 insert = 0;

	mcu_boot();
	cs_setup();
	ring_write(2, bad, &insert);
	csg_program(0, 1);
	mm_reg_write(&gpu, 0x1004, 0xffffffff);
	mcu_run();
}

static void t_group_fatal(void)
{
	u32 cout = CSFL_CS_OUTPUT(0, 0), cin = CSFL_CS_INPUT(0, 0);

	run_illegal_opcode_group();
	CHECK((sh32(cin + CSI_REQ) ^ sh32(cout + CSO_ACK)) & (1u << 30), "no FATAL event");
	CHECK_EQ(sh32(cout + 0x84) & 0xff, MM_CS_EXC_INSTR_INVALID);
	CHECK_EQ(sh32(cout + 0x90), RING_VA + 8);
	CHECK_EQ(sh32(CSFL_CSG_OUTPUT(0) + CSGO_CS_IRQ_REQ) ^
		 sh32(CSFL_CSG_INPUT(0) + CSGI_CS_IRQ_ACK), 1);
	CHECK(mm_reg_read(&gpu, 0x1000) & 1, "CSG 0 interrupt not raised");
	CHECK_EQ(gpu.stats.cs_fatals, 1);
}

static void t_reboot_keeps_events_acked(void)
{
	u32 cout = CSFL_CS_OUTPUT(0, 0), cin = CSFL_CS_INPUT(0, 0);

	run_illegal_opcode_group();
	/* The host acknowledges the FATAL event (req bit := ack bit). */
	sh32_set(cin + CSI_REQ, (sh32(cin + CSI_REQ) & ~(1u << 30)) |
		 (sh32(cout + CSO_ACK) & (1u << 30)));
	mm_reg_write(&gpu, MMR_MCU_CONTROL, MMC_MCU_DISABLE);
	mm_reg_write(&gpu, MMR_MCU_CONTROL, MMC_MCU_AUTO);
	mcu_run();
	CHECK_EQ(gpu.stats.mcu_boots, 2);
	CHECK_EQ((sh32(cin + CSI_REQ) ^ sh32(cout + CSO_ACK)) & (1u << 30), 0);
}

static void t_group_tiler_oom(void)
{
	/* HEAP_SET; VT_STARTED; 3 tiling runs (64K each); VT_COMPLETED; marker */
	const u64 w[] = {
		mov48(10, 0xabc000), ins(48, R(10, 40)), ins(49, R(0, 32)),
		ins(5, 0), ins(6, 0), ins(5, 0), ins(49, R(1, 32)),
		mov48(2, DATA_VA), mov32(4, 0x77), stm(4, 2, 1, 0),
	};
	u32 cin = CSFL_CS_INPUT(0, 0), cout = CSFL_CS_OUTPUT(0, 0), grants = 0;
	u64 insert = 0;

	mcu_boot();
	cs_setup();
	ring_write(sizeof(w) / 8, w, &insert);
	csg_program(0, 1);
	mcu_run();
	while ((sh32(cin + CSI_REQ) ^ sh32(cout + CSO_ACK)) & (1u << 26)) {
		/* What Panthor's group_process_tiler_oom() reads and writes. */
		CHECK_EQ(sh32(cout + 0xd0), 0xabc000);		/* heap_address */
		CHECK_EQ(sh32(cout + 0xc0), 1);			/* vt_start */
		CHECK_EQ(sh32(cout + 0xc4), 0);			/* vt_end */
		CHECK_EQ(data32(0), 0);
		sh32_set(cin + 0x20, 0x5000000 | (0x20000 >> 12));	/* 128K chunk */
		sh32_set(cin + CSI_REQ, (sh32(cin + CSI_REQ) & ~(1u << 26)) |
			 (sh32(cout + CSO_ACK) & (1u << 26)));
		toggle_req(CSFL_CSG_INPUT(0) + CSGI_DOORBELL_REQ,
			   CSFL_CSG_OUTPUT(0) + CSGO_DOORBELL_ACK, 1);
		toggle_req(GLB_IN(GLBI_DOORBELL_REQ), GLB_OUT(GLBO_DOORBELL_ACK), 1);
		mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
		mcu_run();
		if (++grants > 4)
			break;
	}
	CHECK_EQ(grants, 2);		/* 192K needed, 128K per chunk */
	CHECK_EQ(gpu.stats.tiler_ooms, 2);
	CHECK_EQ(gpu.stats.heap_chunks_granted, 2);
	CHECK_EQ(data32(0), 0x77);
	CHECK_EQ(sh32(cout + 0xc4), 1);				/* vt_end */
}

static void t_group_progress_timer(void)
{
	/* RUN_COMPUTE (hung by injection), WAIT on its slot (0), marker */
	const u64 w[] = {
		ins(23, 0), ins(4, 0), ins(3, R(1, 16)),
		mov48(2, DATA_VA), mov32(4, 0x99), stm(4, 2, 1, 0),
	};
	u32 in = CSFL_CSG_INPUT(0), out = CSFL_CSG_OUTPUT(0);
	u64 insert = 0;

	mcu_boot();
	cs_setup();
	/* Panthor's progress_timer: 2.62 G cycles >> 10; 2.62 s at 1 GHz. */
	sh32_set(GLB_IN(GLBI_PROGRESS_TIMER), 0x271000);
	toggle_req(GLB_IN(GLBI_REQ), GLB_OUT(GLBO_ACK), GLB_CFG_PROGRESS_TIMER);
	mm_reg_write(&gpu, MMR_DOORBELL_BASE, 1);
	mcu_run();
	gpu.inject |= MM_INJECT_HANG_ENDPOINT;
	ring_write(sizeof(w) / 8, w, &insert);
	fake_ns = 1000;
	csg_program(0, 1);
	mcu_run();
	CHECK_EQ(sh32(CSFL_CS_OUTPUT(0, 0) + 0x60), MM_CS_BLOCKED_SB_WAIT);
	CHECK_EQ(sh32(CSFL_CS_OUTPUT(0, 0) + 0x5c), 1);		/* status_scoreboards */
	CHECK_EQ(sh32(out + CSGO_STATUS_STATE), 0);		/* not idle */
	fake_ns += 2000000000ull;
	mm_mcu_poll_waits(&gpu);
	mcu_run();
	CHECK_EQ((sh32(in + CSGI_REQ) ^ sh32(out + CSGO_ACK)) & (1u << 31), 0);
	fake_ns += 700000000ull;	/* 2.7 s > 2.62 s */
	mm_mcu_poll_waits(&gpu);
	mcu_run();
	CHECK((sh32(in + CSGI_REQ) ^ sh32(out + CSGO_ACK)) & (1u << 31),
	      "no PROGRESS_TIMER event after 2.7 s");
	CHECK_EQ(gpu.stats.progress_timer_events, 1);
	CHECK_EQ(data32(0), 0);
}

static void t_hostile_mcu(void)
{
	/* 2 writes: GROUP_NUM (selector 4) = 200, raw offset 0x1234 = 0xdeadbeef */
	static const u8 blob[] = {
		2, 4, 200, 0, 0, 0, 0x70, 0x34, 0x12, 0xef, 0xbe, 0xad, 0xde,
		0xff, 0x01, 0, 0, 0,	/* GLB: never ack bit 0 */
		0, 0,			/* no CSG drop, no flip */
		0x58,			/* every CS fatal: type 0x58 */
		0xc0, 30,		/* answers 30 ms late */
		0xc5,			/* spurious SYNC_UPDATE and PROGRESS_TIMER */
	};
	struct mm_hostile h;
	u32 used = mm_hostile_parse(&h, blob, sizeof(blob));

	CHECK_EQ(used, sizeof(blob));
	CHECK_EQ(h.nwrites, 2);
	CHECK_EQ(h.w[0].off, GLBC_GROUP_NUM);
	CHECK_EQ(h.w[0].val, 200);
	CHECK_EQ(h.w[1].off, 0x1234);
	CHECK_EQ(h.w[1].val, 0xdeadbeef);
	CHECK_EQ(h.glb_ack_drop, 1);
	CHECK_EQ(h.csg_ack_drop, 0);
	CHECK_EQ(h.fatal_code, 0x58);
	CHECK_EQ(h.ack_late_ms, 30);
	CHECK_EQ(h.spurious_csg, 5);
	/* what the host reads after the boot is the hostile value */
	gpu.hostile = h;
	mcu_boot();
	CHECK_EQ(sh32(GLBC_GROUP_NUM), 200);
	CHECK_EQ(sh32(0x1234), 0xdeadbeef);
	/* an empty blob is an honest MCU again */
	mm_hostile_parse(&h, blob, 0);
	CHECK_EQ(h.nwrites, 0);
	CHECK_EQ(h.glb_ack_drop | h.csg_ack_drop | h.ack_flip | h.fatal_code, 0);
	CHECK_EQ(h.ack_late_ms | h.spurious_csg, 0);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "identity_registers", t_identity },
	{ "unknown_register_logged_reads_zero", t_unknown_register },
	{ "irq_rawstat_mask_clear_stat", t_irq_registers },
	{ "soft_and_hard_reset", t_soft_reset },
	{ "power_domains", t_power },
	{ "cache_flush_and_flush_id", t_cache_flush },
	{ "timestamp_and_cycle_counters", t_timers },
	{ "walk_4k_pages", t_walk_4k },
	{ "walk_block_descriptors", t_walk_blocks },
	{ "walk_permissions_and_access_flag", t_walk_permissions },
	{ "as_update_latches_config", t_update_latches },
	{ "vm_read_write_across_pages", t_vm_access },
	{ "mmu_fault_registers", t_mmu_fault },
	{ "mcu_boot_publishes_interface", t_mcu_boot },
	{ "hostile_mcu_publishes_what_it_is_told", t_hostile_mcu },
	{ "hostile_mcu_answers_late", t_hostile_late_ack },
	{ "hostile_mcu_raises_spurious_events", t_hostile_spurious_events },
	{ "inject_csg_hang", t_inject_csg_hang },
	{ "inject_mcu_dead", t_inject_mcu_dead },
	{ "mcu_boot_without_as0_is_fatal", t_mcu_boot_unmapped },
	{ "glb_request_ack_toggle", t_glb_req_ack },
	{ "glb_halt_and_reboot", t_glb_halt },
	{ "csg_and_cs_request_ack", t_csg_req_ack },
	{ "doorbell_to_stopped_mcu", t_doorbell_stopped_mcu },
	{ "format_info", t_format_info },
	{ "cs_moves_and_arithmetic", t_cs_moves_and_arith },
	{ "cs_load_store_multiple", t_cs_load_store },
	{ "cs_branch_conditions", t_cs_branch },
	{ "cs_budget_bounds_a_loop", t_cs_budget },
	{ "cs_call_return_jump", t_cs_call_jump },
	{ "cs_call_stack_overflow", t_cs_call_depth },
	{ "cs_bad_call_and_jump", t_cs_bad_call_and_jump },
	{ "cs_sync_add_set_32_64", t_cs_sync_ops },
	{ "cs_sync_wait_blocks_and_resumes", t_cs_sync_wait },
	{ "cs_store_state_and_flush", t_cs_store_state_and_flush },
	{ "cs_invalid_instructions", t_cs_invalid },
	{ "cs_bus_fault_raises_mmu_fault", t_cs_bus_fault },
	{ "cs_ring_wraps", t_cs_ring_wrap },
	{ "cs_other_instructions", t_cs_misc_ops },
	{ "cs_nop_finish_fragment_exception_handler", t_cs_nop_finish_fragment_exc_handler },
	{ "cs_igt_deadbeef_stream", t_cs_igt_deadbeef },
	{ "group_runs_ring_waits_suspends_resumes", t_group_runs_ring },
	{ "group_stream_fatal_event", t_group_fatal },
	{ "reboot_keeps_acknowledged_events", t_reboot_keeps_events_acked },
	{ "group_tiler_oom_and_heap_grant", t_group_tiler_oom },
	{ "group_hung_task_trips_progress_timer", t_group_progress_timer },
};

int main(void)
{
	size_t i, n = sizeof(tests) / sizeof(tests[0]);
	int failures = 0;

	ram = calloc(1, RAM_SIZE);
	if (!ram)
		return 2;
	printf("KTAP version 1\n1..%zu\n", n);
	for (i = 0; i < n; i++) {
		machine_reset();
		test_failed = 0;
		fail_msg[0] = 0;
		tests[i].fn();
		if (test_failed) {
			printf("# %s\n", fail_msg);
			printf("not ok %zu %s\n", i + 1, tests[i].name);
			failures++;
		} else {
			printf("ok %zu %s\n", i + 1, tests[i].name);
		}
	}
	free(ram);
	return failures ? 1 : 0;
}
