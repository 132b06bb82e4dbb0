// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Scenarios: faults and timeouts behave as on hardware.
 *
 *   faults [--driver NAME]    (default: panthor)
 *
 *  unmapped_write      a stream stores to an unmapped VA: the group reports
 *                      FATAL_FAULT for that queue. In Linux 6.12 a GPU page
 *                      fault only flags the VM (vm->unhandled_fault); it is
 *                      VM_GET_STATE UNUSABLE only after a failed async bind
 *                      (panthor_mmu.c), so the VM must still read USABLE.
 *  readonly_write      a store into a MAP_READONLY mapping: FATAL_FAULT, and
 *                      the memory is unchanged
 *  illegal_opcode      an unassigned opcode: FATAL_FAULT
 *  infinite_wait       SYNC_WAIT on memory nobody writes: Panthor's job
 *                      timeout (5 s in 6.12) marks the group TIMEDOUT and
 *                      the fence signals
 *  later_groups_run    after all of that, a new group still runs a job
 * The VM test around it checks that Panthor logged its own messages.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm_cs.h"
#include "ptu.h"

#define CODE_VA		0x1000000ull
#define DATA_VA		0x2000000ull
#define RO_VA		0x3000000ull
#define UNMAPPED_VA	0x7000000ull

static int fd;
static uint32_t vm;
static struct ptu_bo code, data, ro;

static void store_to(struct ptu_cs *cs, uint32_t off, uint64_t va, uint32_t value)
{
	ptu_cs_init(cs, &code, off, 8);
	ptu_cs_emit(cs, mm_cs_mov48(2, va));
	ptu_cs_emit(cs, mm_cs_mov32(4, value));
	ptu_cs_emit(cs, mm_cs_ldst(21, 4, 2, 1, 0));
	ptu_cs_emit(cs, mm_cs_wait(0xff));
}

static void check_fatal(const char *name, struct ptu_cs *cs)
{
	uint32_t state = 0, fq = 0, vs;
	int r = ptu_run_job(fd, vm, cs, 10000, &state, &fq, NULL);

	vs = ptu_vm_state(fd, vm);
	ptu_result(!r && (state & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT) && fq == 1 &&
		   vs == DRM_PANTHOR_VM_STATE_USABLE, name,
		   "fence: %s, group state %#x, fatal queues %#x, VM state %u",
		   r ? strerror(-r) : "signalled", state, fq, vs);
}

int main(int argc, char **argv)
{
	const char *driver = argc > 2 && !strcmp(argv[1], "--driver") ? argv[2] : "panthor";
	struct ptu_cs cs;
	uint32_t state = 0, fq = 0, g;
	uint64_t t0;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = ptu_open(driver);
	vm = ptu_vm_create(fd);
	ptu_bo_mapped(fd, vm, &code, 4096, CODE_VA, 0);
	ptu_bo_mapped(fd, vm, &data, 4096, DATA_VA, 0);
	ptu_bo_mapped(fd, vm, &ro, 4096, RO_VA, DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);
	ptu_plan(5);

	store_to(&cs, 0x000, UNMAPPED_VA, 1);
	check_fatal("unmapped_write_fatal_fault", &cs);

	((volatile uint32_t *)ro.map)[0] = 0x5a5a5a5a;
	store_to(&cs, 0x100, RO_VA, 0x12345678);
	check_fatal("readonly_write_fatal_fault", &cs);
	if (((volatile uint32_t *)ro.map)[0] != 0x5a5a5a5a)
		printf("# read-only memory was modified: %#x\n", ((volatile uint32_t *)ro.map)[0]);

	ptu_cs_init(&cs, &code, 0x200, 8);
	ptu_cs_emit(&cs, mm_cs_mov32(4, 1));
	ptu_cs_emit(&cs, mm_cs_op(12, 0));	/* unassigned in v10 */
	check_fatal("illegal_opcode_fatal_fault", &cs);

	ptu_cs_init(&cs, &code, 0x300, 8);
	ptu_cs_emit(&cs, mm_cs_mov48(2, DATA_VA + 0x100));
	ptu_cs_emit(&cs, mm_cs_mov48(4, 0));
	ptu_cs_emit(&cs, mm_cs_sync_wait(53, 1, 2, 4));	/* until mem > 0: never */
	t0 = ptu_now_ns();
	r = ptu_run_job(fd, vm, &cs, 20000, &state, &fq, &g);
	ptu_result(!r && (state & DRM_PANTHOR_GROUP_STATE_TIMEDOUT), "infinite_wait_timedout",
		   "fence: %s after %.1f s, group state %#x", r ? strerror(-r) : "signalled",
		   (ptu_now_ns() - t0) / 1e9, state);
	ptu_group_destroy(fd, g);

	store_to(&cs, 0x400, DATA_VA, 0xc0ffee);
	r = ptu_run_job(fd, vm, &cs, 10000, &state, &fq, NULL);
	ptu_result(!r && !state && ((volatile uint32_t *)data.map)[0] == 0xc0ffee,
		   "later_groups_still_run", "fence: %s, state %#x, value %#x",
		   r ? strerror(-r) : "signalled", state, ((volatile uint32_t *)data.map)[0]);

	ptu_bo_free(fd, &code);
	ptu_bo_free(fd, &data);
	ptu_bo_free(fd, &ro);
	ptu_vm_destroy(fd, vm);
	return ptu_exit();
}
