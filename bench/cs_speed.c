// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Model CS interpreter speed on the host: instructions per second for an
 * ALU loop and for a memory-heavy loop (LOAD/STORE_MULTIPLE, SYNC_ADD64),
 * each instruction going through a 4-level page-table walk as in the VM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mali_model.h"
#include "mm_regs.h"

#define RAM_BASE	0x100000ull
#define RAM_SIZE	(4u << 20)

static u8 *ram;
static u64 next_page = RAM_BASE;

static int rd(void *c, u64 pa, void *b, size_t n)
{
	(void)c;
	if (pa < RAM_BASE || pa + n > RAM_BASE + RAM_SIZE)
		return -1;
	memcpy(b, ram + pa - RAM_BASE, n);
	return 0;
}

static int wr(void *c, u64 pa, const void *b, size_t n)
{
	(void)c;
	if (pa < RAM_BASE || pa + n > RAM_BASE + RAM_SIZE)
		return -1;
	memcpy(ram + pa - RAM_BASE, b, n);
	return 0;
}

static const struct mm_host_ops ops = { .phys_read = rd, .phys_write = wr };

static u64 page(void)
{
	u64 p = next_page;

	next_page += 0x1000;
	return p;
}

static void map(u64 root, u64 va, u64 pa)
{
	u64 t = root, d;
	int l;

	for (l = 0; l < 3; l++) {
		u64 slot = t + ((va >> (12 + 9 * (3 - l))) & 511) * 8;

		memcpy(&d, ram + slot - RAM_BASE, 8);
		if (!(d & 1)) {
			d = page() | 3;
			memcpy(ram + slot - RAM_BASE, &d, 8);
		}
		t = d & 0x0000fffffffff000ull;
	}
	d = pa | 3 | (1 << 10);
	memcpy(ram + t + ((va >> 12) & 511) * 8 - RAM_BASE, &d, 8);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double run(struct mm_gpu *g, const u64 *w, u32 n, const char *name)
{
	struct mm_cs_state s;
	u64 ring = page(), root = page(), data = page();
	double t0, t;
	u32 i;

	map(root, 0x10000, ring);
	map(root, 0x20000, data);
	mm_reg_write(g, MMR_AS_BASE + MMR_AS_STRIDE + MMR_AS_TRANSTAB, (u32)root);
	mm_reg_write(g, MMR_AS_BASE + MMR_AS_STRIDE + MMR_AS_TRANSCFG, 6 | (7 << 6));
	mm_reg_write(g, MMR_AS_BASE + MMR_AS_STRIDE + MMR_AS_COMMAND, 1);
	for (i = 0; i < n; i++)
		memcpy(ram + ring - RAM_BASE + 8 * i, &w[i], 8);
	mm_cs_reset(&s, 96);
	s.ring_base = 0x10000;
	s.ring_size = 0x1000;
	s.frame[0].end = 8 * n;
	t0 = now();
	while (mm_cs_exec(g, 1, &s, 1 << 16) == MM_CS_BUDGET)
		;
	t = now() - t0;
	printf("cs interpreter, %s: %.1f M instructions/s (%llu in %.2f s)\n", name,
	       s.executed / t / 1e6, (unsigned long long)s.executed, t);
	return s.executed / t;
}

int main(void)
{
	struct mm_config cfg;
	static struct mm_gpu g;
	const u32 iters = 2000000;
	const u64 alu[] = {
		mm_cs_mov32(10, iters), mm_cs_mov32(11, 0),
		mm_cs_add32(11, 11, 3), mm_cs_umin32(12, 11, 10),
		mm_cs_add32(10, 10, -1), mm_cs_branch(1, 10, -4),
	};
	const u64 mem[] = {
		mm_cs_mov32(10, iters / 4), mm_cs_mov48(2, 0x20000), mm_cs_mov48(6, 1),
		mm_cs_ldst(20, 20, 2, 0x3, 0x10), mm_cs_add64(20, 20, 1),
		mm_cs_ldst(21, 20, 2, 0x3, 0x10), mm_cs_sync(51, 2, 6, false),
		mm_cs_add32(10, 10, -1), mm_cs_branch(1, 10, -6),
	};

	ram = calloc(1, RAM_SIZE);
	if (!ram)
		return 1;
	mm_config_g610(&cfg);
	mm_init(&g, &cfg, &ops, NULL);
	run(&g, alu, sizeof(alu) / 8, "ALU loop");
	run(&g, mem, sizeof(mem) / 8, "memory + sync loop");
	free(ram);
	return 0;
}
