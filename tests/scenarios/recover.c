// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Scenario: GPU reset and recovery.
 *
 *   recover [--driver NAME]
 *
 * Run by tests/vm/guest/recover.sh after arming the model's one-shot
 * "cs_unrecoverable" injection: a job with an illegal opcode then raises a
 * CS_UNRECOVERABLE fatal, for which Panthor schedules a full GPU reset
 * (pre-reset, soft reset, MCU reboot). Afterwards new work must run.
 *
 *  fatal_job_reported   the faulty group reports FATAL_FAULT
 *  work_after_reset     a new group's job runs and writes its result
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mm_cs.h"
#include "ptu.h"

#define CODE_VA	0x1000000ull
#define DATA_VA	0x2000000ull

int main(int argc, char **argv)
{
	const char *driver = argc > 2 && !strcmp(argv[1], "--driver") ? argv[2] : "panthor";
	struct ptu_bo code, data;
	struct ptu_cs bad, good;
	uint32_t vm, g1, g2, s1, s2, st1 = 0, st2 = 0, v;
	int fd, w1, w2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = ptu_open(driver);
	vm = ptu_vm_create(fd);
	ptu_bo_new(fd, &code, 4096, 0, 0);
	ptu_bo_new(fd, &data, 4096, 0, 0);
	ptu_map(fd, vm, &code, CODE_VA, 0);
	ptu_map(fd, vm, &data, DATA_VA, 0);
	ptu_plan(2);

	ptu_cs_init(&bad, &code, 0, 8);
	ptu_cs_emit(&bad, mm_cs_op(12, 0));
	g1 = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	s1 = ptu_syncobj(fd);
	ptu_submit(fd, g1, 0, bad.va, ptu_cs_bytes(&bad), s1);
	w1 = ptu_wait(fd, s1, 20000);
	ptu_group_state(fd, g1, &st1, NULL);
	ptu_result(!w1 && (st1 & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT), "fatal_job_reported",
		   "fence %d, state %#x", w1, st1);

	sleep(1);	/* let the reset work run */
	ptu_cs_init(&good, &code, 0x100, 8);
	ptu_cs_emit(&good, mm_cs_mov48(2, DATA_VA));
	ptu_cs_emit(&good, mm_cs_mov32(4, 0x600d));
	ptu_cs_emit(&good, mm_cs_ldst(21, 4, 2, 1, 0));
	ptu_cs_emit(&good, mm_cs_wait(0xff));
	g2 = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	s2 = ptu_syncobj(fd);
	ptu_submit(fd, g2, 0, good.va, ptu_cs_bytes(&good), s2);
	w2 = ptu_wait(fd, s2, 20000);
	ptu_group_state(fd, g2, &st2, NULL);
	v = *(volatile uint32_t *)data.map;
	ptu_result(!w2 && !st2 && v == 0x600d, "work_after_reset",
		   "fence %d, state %#x, value %#x", w2, st2, v);
	return ptu_exit();
}
