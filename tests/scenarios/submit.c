// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Scenarios: real work through GROUP_SUBMIT, results checked in memory.
 *
 *   submit [--driver NAME]    (default: panthor)
 *
 *  deadbeef       IGT's group_submit stream stores 0xdeadbeef; the value is
 *                 in memory when the syncobj signals
 *  counters       4 groups x 2 queues x 250 submits: each job reads its
 *                 queue's counter, logs counter+1 at its own index, then
 *                 SYNC_ADD64s the counter; every counter ends exact, every
 *                 log entry proves in-order execution, every fence signals
 *  many_groups    20 groups (more than the 8 CSG slots) at once, all done
 *  cross_queue    group B waits (SYNC_WAIT64) on a value group A's job sets
 *                 later, then copies A's result: B saw A's write
 *  busy_vms       8 groups on 8 VMs, one more than the G610's 7 user
 *                 address spaces: each job marks itself started, then waits
 *                 (SYNC_WAIT64) on a word a ninth group's job sets once
 *                 the CPU has seen all 8 start (or after 4 s, before the
 *                 5 s job timeout). Every group must get the GPU while the
 *                 others wait, and every job must then complete cleanly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mm_cs.h"
#include "ptu.h"

#define CODE_VA		0x1000000ull
#define DATA_VA		0x4000000ull
#define WAIT_MS		10000

static int fd;
static uint32_t vm;

static void deadbeef(void)
{
	static const uint64_t user[] = {	/* cs-isa.md section 4, verbatim */
		0x0144000001001000ull, 0x02460000DEADBEEFull, 0x1546440000010000ull,
		0x0300000000FF0000ull, 0x0246000000000000ull, 0x2401460000000233ull,
		0x0300000000FF0000ull,
	};
	struct ptu_bo cmd, res;
	uint32_t g, sync, v;
	int r;

	ptu_bo_mapped(fd, vm, &cmd, 4096, 0x1000000, 0);
	ptu_bo_mapped(fd, vm, &res, 4096, 0x1001000, 0);
	memcpy(cmd.map, user, sizeof(user));
	g = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	sync = ptu_syncobj(fd);
	ptu_submit(fd, g, 0, 0x1000000, sizeof(user), sync);
	r = ptu_wait(fd, sync, WAIT_MS);
	v = *(volatile uint32_t *)res.map;
	ptu_result(!r && v == 0xdeadbeef, "deadbeef",
		   "wait: %s, result %#x", r ? strerror(-r) : "signalled", v);
	ptu_group_destroy(fd, g);
	drmSyncobjDestroy(fd, sync);
	ptu_unmap_try(fd, vm, 0x1000000, 4096);
	ptu_unmap_try(fd, vm, 0x1001000, 4096);
	ptu_bo_free(fd, &cmd);
	ptu_bo_free(fd, &res);
}

/* Job @i of a queue: log[i] = *counter + 1; *counter += 1 (SYNC_ADD64). */
static void counter_job(struct ptu_cs *cs, uint64_t counter, uint64_t log_entry)
{
	ptu_cs_emit(cs, mm_cs_mov48(2, counter));
	ptu_cs_emit(cs, mm_cs_ldst(20, 10, 2, 0x3, 0));	/* r10:11 = counter */
	ptu_cs_emit(cs, mm_cs_wait(0xff));
	ptu_cs_emit(cs, mm_cs_add64(10, 10, 1));
	ptu_cs_emit(cs, mm_cs_mov48(4, log_entry));
	ptu_cs_emit(cs, mm_cs_ldst(21, 10, 4, 0x3, 0));
	ptu_cs_emit(cs, mm_cs_mov48(6, 1));
	ptu_cs_emit(cs, mm_cs_sync(51, 2, 6, false));
}

#define NG	4
#define NQ	2
#define NJ	250

static void counters(void)
{
	static uint32_t syncs[NG * NQ * NJ];
	struct ptu_bo code, data;
	uint32_t groups[NG], g, q, j, n = 0, bad = 0;
	uint64_t *mem;
	char why[200] = "";
	int r;

	ptu_bo_mapped(fd, vm, &code, NG * NQ * NJ * 64, CODE_VA, 0);
	ptu_bo_mapped(fd, vm, &data, NG * NQ * (NJ + 1) * 8, DATA_VA, 0);
	mem = data.map;
	for (g = 0; g < NG; g++)
		groups[g] = ptu_group_create(fd, vm, NQ, PANTHOR_GROUP_PRIORITY_MEDIUM);
	/* Interleave submits across groups and queues. */
	for (j = 0; j < NJ; j++) {
		for (g = 0; g < NG; g++) {
			for (q = 0; q < NQ; q++) {
				uint32_t k = (g * NQ + q) * NJ + j;
				uint64_t base = DATA_VA + (uint64_t)(g * NQ + q) * (NJ + 1) * 8;
				struct ptu_cs cs;

				ptu_cs_init(&cs, &code, k * 64, 8);
				counter_job(&cs, base, base + 8 + 8ull * j);
				syncs[n] = ptu_syncobj(fd);
				ptu_submit(fd, groups[g], q, cs.va, ptu_cs_bytes(&cs), syncs[n]);
				n++;
			}
		}
	}
	r = drmSyncobjWait(fd, syncs, n, ptu_now_ns() + 60ull * 1000000000,
			   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL) ? -errno : 0;
	for (g = 0; g < NG * NQ && !r; g++) {
		uint64_t *c = mem + g * (NJ + 1);

		if (c[0] != NJ && !bad++)
			snprintf(why, sizeof(why), "queue %u: counter %llu, expected %u",
				 g, (unsigned long long)c[0], NJ);
		for (j = 0; j < NJ; j++)
			if (c[1 + j] != j + 1 && !bad++)
				snprintf(why, sizeof(why), "queue %u job %u saw %llu jobs before it",
					 g, j, (unsigned long long)c[1 + j] - 1);
	}
	ptu_result(!r && !bad, "counters_4x2x250",
		   "%s%s (%u bad values)", r ? "fence wait: " : "",
		   r ? strerror(-r) : why, bad);
	for (g = 0; g < NG; g++)
		ptu_group_destroy(fd, groups[g]);
	for (j = 0; j < n; j++)
		drmSyncobjDestroy(fd, syncs[j]);
	ptu_unmap_try(fd, vm, CODE_VA, code.size);
	ptu_unmap_try(fd, vm, DATA_VA, data.size);
	ptu_bo_free(fd, &code);
	ptu_bo_free(fd, &data);
}

#define MANY 20

static void many_groups(void)
{
	struct ptu_bo code, data;
	uint32_t groups[MANY], syncs[MANY], g, bad = 0;
	volatile uint32_t *res;
	int r;

	ptu_bo_mapped(fd, vm, &code, MANY * 64, CODE_VA, 0);
	ptu_bo_mapped(fd, vm, &data, 4096, DATA_VA, 0);
	res = data.map;
	for (g = 0; g < MANY; g++)
		groups[g] = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	for (g = 0; g < MANY; g++) {
		struct ptu_cs cs;

		ptu_cs_init(&cs, &code, g * 64, 8);
		ptu_cs_emit(&cs, mm_cs_mov48(2, DATA_VA + 4 * g));
		ptu_cs_emit(&cs, mm_cs_mov32(4, 0x1000 + g));
		ptu_cs_emit(&cs, mm_cs_ldst(21, 4, 2, 1, 0));
		ptu_cs_emit(&cs, mm_cs_wait(0xff));
		syncs[g] = ptu_syncobj(fd);
		ptu_submit(fd, groups[g], 0, cs.va, ptu_cs_bytes(&cs), syncs[g]);
	}
	r = drmSyncobjWait(fd, syncs, MANY, ptu_now_ns() + 30ull * 1000000000,
			   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL) ? -errno : 0;
	for (g = 0; g < MANY; g++)
		bad += res[g] != 0x1000 + g;
	ptu_result(!r && !bad, "groups_20_over_8_slots", "wait: %s, %u wrong results",
		   r ? strerror(-r) : "ok", bad);
	for (g = 0; g < MANY; g++) {
		ptu_group_destroy(fd, groups[g]);
		drmSyncobjDestroy(fd, syncs[g]);
	}
	ptu_unmap_try(fd, vm, CODE_VA, code.size);
	ptu_unmap_try(fd, vm, DATA_VA, data.size);
	ptu_bo_free(fd, &code);
	ptu_bo_free(fd, &data);
}

static void cross_queue(void)
{
	struct ptu_bo code, data;
	struct ptu_cs a, b;
	uint32_t ga, gb, sa, sb;
	volatile uint32_t *res;
	int ra, rb, early;

	ptu_bo_mapped(fd, vm, &code, 4096, CODE_VA, 0);
	ptu_bo_mapped(fd, vm, &data, 4096, DATA_VA, 0);
	res = data.map;
	ga = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	gb = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	/* B: wait until sem (u64 at +0x100) > 0, then copy A's result (+0). */
	ptu_cs_init(&b, &code, 0x400, 16);
	ptu_cs_emit(&b, mm_cs_mov48(2, DATA_VA + 0x100));
	ptu_cs_emit(&b, mm_cs_mov48(4, 0));
	ptu_cs_emit(&b, mm_cs_sync_wait(53, 1, 2, 4));
	ptu_cs_emit(&b, mm_cs_mov48(6, DATA_VA));
	ptu_cs_emit(&b, mm_cs_ldst(20, 8, 6, 1, 0));
	ptu_cs_emit(&b, mm_cs_wait(0xff));
	ptu_cs_emit(&b, mm_cs_ldst(21, 8, 6, 1, 4));
	ptu_cs_emit(&b, mm_cs_wait(0xff));
	/* A: result = 0xa; sem = 1 */
	ptu_cs_init(&a, &code, 0x800, 16);
	ptu_cs_emit(&a, mm_cs_mov48(2, DATA_VA));
	ptu_cs_emit(&a, mm_cs_mov32(4, 0xa));
	ptu_cs_emit(&a, mm_cs_ldst(21, 4, 2, 1, 0));
	ptu_cs_emit(&a, mm_cs_wait(0xff));
	ptu_cs_emit(&a, mm_cs_mov48(6, DATA_VA + 0x100));
	ptu_cs_emit(&a, mm_cs_mov48(8, 1));
	ptu_cs_emit(&a, mm_cs_sync(52, 6, 8, false));
	sa = ptu_syncobj(fd);
	sb = ptu_syncobj(fd);
	ptu_submit(fd, gb, 0, b.va, ptu_cs_bytes(&b), sb);
	/* B must not complete before A exists. */
	early = ptu_wait(fd, sb, 200) == 0;
	ptu_submit(fd, ga, 0, a.va, ptu_cs_bytes(&a), sa);
	ra = ptu_wait(fd, sa, WAIT_MS);
	rb = ptu_wait(fd, sb, WAIT_MS);
	ptu_result(!early && !ra && !rb && res[1] == 0xa, "cross_queue_sync_wait",
		   "B done before A: %d, A: %s, B: %s, B copied %#x", early,
		   ra ? strerror(-ra) : "ok", rb ? strerror(-rb) : "ok", res[1]);
	ptu_group_destroy(fd, ga);
	ptu_group_destroy(fd, gb);
	drmSyncobjDestroy(fd, sa);
	drmSyncobjDestroy(fd, sb);
	ptu_unmap_try(fd, vm, CODE_VA, code.size);
	ptu_unmap_try(fd, vm, DATA_VA, data.size);
	ptu_bo_free(fd, &code);
	ptu_bo_free(fd, &data);
}

#define BUSY_VMS	8
#define RELEASE_VA	0x8000000ull

/*
 * The release is a GPU write (SYNC_SET64 by a ninth group, in VM 0) of a
 * BO mapped in all eight VMs: Panthor re-checks the groups it parked on a
 * SYNC_WAIT only when the GPU reports a sync update, never on a CPU write.
 */
static void busy_vms(void)
{
	struct ptu_bo mem[BUSY_VMS], rel;
	uint32_t vms[BUSY_VMS], groups[BUSY_VMS + 1], syncs[BUSY_VMS + 1], st, i;
	uint32_t started = 0, bad = 0;
	uint64_t t0 = ptu_now_ns();
	struct ptu_cs cs;
	int r, status;

	ptu_bo_new(fd, &rel, 4096, 0, 0);
	for (i = 0; i < BUSY_VMS; i++) {
		vms[i] = ptu_vm_create(fd);
		/* code at +0, the "started" flag at +0x800 */
		ptu_bo_mapped(fd, vms[i], &mem[i], 4096, CODE_VA, 0);
		ptu_map(fd, vms[i], &rel, RELEASE_VA, 0);
		ptu_cs_init(&cs, &mem[i], 0, 16);
		ptu_cs_emit(&cs, mm_cs_mov48(2, CODE_VA + 0x800));
		ptu_cs_emit(&cs, mm_cs_mov32(4, 1));
		ptu_cs_emit(&cs, mm_cs_ldst(21, 4, 2, 1, 0));
		ptu_cs_emit(&cs, mm_cs_wait(0xff));
		ptu_cs_emit(&cs, mm_cs_mov48(6, RELEASE_VA));
		ptu_cs_emit(&cs, mm_cs_mov48(8, 0));
		ptu_cs_emit(&cs, mm_cs_sync_wait(53, 1, 6, 8));	/* until release > 0 */
		ptu_cs_emit(&cs, mm_cs_mov32(4, 2));
		ptu_cs_emit(&cs, mm_cs_ldst(21, 4, 2, 1, 0));
		ptu_cs_emit(&cs, mm_cs_wait(0xff));
		groups[i] = ptu_group_create(fd, vms[i], 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
		syncs[i] = ptu_syncobj(fd);
		ptu_submit(fd, groups[i], 0, cs.va, ptu_cs_bytes(&cs), syncs[i]);
	}
	while (ptu_now_ns() - t0 < 4000000000ull) {
		started = 0;
		for (i = 0; i < BUSY_VMS; i++)
			started += *(volatile uint32_t *)((char *)mem[i].map + 0x800) != 0;
		if (started == BUSY_VMS)
			break;
		usleep(5000);
	}
	printf("# %u of %u groups started in %.2f s\n", started, BUSY_VMS,
	       (ptu_now_ns() - t0) / 1e9);
	ptu_cs_init(&cs, &mem[0], 0x400, 8);
	ptu_cs_emit(&cs, mm_cs_mov48(6, RELEASE_VA));
	ptu_cs_emit(&cs, mm_cs_mov48(8, 1));
	ptu_cs_emit(&cs, mm_cs_sync(52, 6, 8, false));	/* SYNC_SET64 release = 1 */
	groups[BUSY_VMS] = ptu_group_create(fd, vms[0], 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	syncs[BUSY_VMS] = ptu_syncobj(fd);
	ptu_submit(fd, groups[BUSY_VMS], 0, cs.va, ptu_cs_bytes(&cs), syncs[BUSY_VMS]);
	r = drmSyncobjWait(fd, syncs, BUSY_VMS + 1, ptu_now_ns() + 15ull * 1000000000,
			   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL) ? -errno : 0;
	for (i = 0; i <= BUSY_VMS; i++) {
		uint32_t flag = i < BUSY_VMS ?
				*(volatile uint32_t *)((char *)mem[i].map + 0x800) : 2;

		status = ptu_fence_status(fd, syncs[i]);
		ptu_group_state(fd, groups[i], &st, NULL);
		if (status != 1 || st || flag != 2) {
			printf("# group %u: fence status %d, state %#x, flag %u\n", i, status, st,
			       flag);
			bad++;
		}
	}
	ptu_result(started == BUSY_VMS && !r && !bad, "busy_vms_8_over_7_address_spaces",
		   "%u of %u started together, wait: %s, %u failed", started, BUSY_VMS,
		   r ? strerror(-r) : "ok", bad);
	for (i = 0; i <= BUSY_VMS; i++) {
		ptu_group_destroy(fd, groups[i]);
		drmSyncobjDestroy(fd, syncs[i]);
	}
	for (i = 0; i < BUSY_VMS; i++) {
		ptu_unmap_try(fd, vms[i], CODE_VA, mem[i].size);
		ptu_unmap_try(fd, vms[i], RELEASE_VA, rel.size);
		ptu_bo_free(fd, &mem[i]);
		ptu_vm_destroy(fd, vms[i]);
	}
	ptu_bo_free(fd, &rel);
}

int main(int argc, char **argv)
{
	const char *driver = argc > 2 && !strcmp(argv[1], "--driver") ? argv[2] : "panthor";

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = ptu_open(driver);
	vm = ptu_vm_create(fd);
	ptu_plan(5);
	deadbeef();
	counters();
	many_groups();
	cross_queue();
	busy_vms();
	ptu_vm_destroy(fd, vm);
	return ptu_exit();
}
