// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Scenario: GPU reset and recovery.
 *
 *   recover [--driver NAME]          reset and recovery (below)
 *   recover [--driver NAME] --hang   a hung task (model injection
 *       "hang_endpoint" armed by the caller): a job whose WAIT never passes
 *       is reported TIMEDOUT by the firmware's progress timer (2.62 s as
 *       Panthor 6.12 programs it), before Panthor's 5 s job timeout
 *   recover [--driver NAME] --job    one good job only (job_runs): the
 *       caller has set up a race around it (a reset racing runtime suspend)
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

static int hang(int fd, uint32_t vm, struct ptu_bo *code)
{
	struct ptu_cs cs;
	uint32_t st = 0;
	uint64_t t0;
	double secs;
	int w;

	ptu_plan(1);
	ptu_cs_init(&cs, code, 0x200, 8);
	ptu_cs_emit(&cs, mm_cs_op(23, 0));		/* SET_SB_ENTRY: endpoint slot 0 */
	ptu_cs_emit(&cs, mm_cs_op(4, 0));		/* RUN_COMPUTE (hangs) */
	ptu_cs_emit(&cs, mm_cs_wait(0x01));
	t0 = ptu_now_ns();
	w = ptu_run_job(fd, vm, &cs, 20000, &st, NULL, NULL);
	secs = (ptu_now_ns() - t0) / 1e9;
	ptu_result(!w && (st & DRM_PANTHOR_GROUP_STATE_TIMEDOUT) && secs < 4.5,
		   "hung_task_progress_timeout", "fence %d after %.2f s, state %#x",
		   w, secs, st);
	return ptu_exit();
}

int main(int argc, char **argv)
{
	const char *driver = argc > 2 && !strcmp(argv[1], "--driver") ? argv[2] : "panthor";
	bool hang_mode = !strcmp(argv[argc - 1], "--hang");
	bool job_mode = !strcmp(argv[argc - 1], "--job");
	struct ptu_bo code, data;
	struct ptu_cs bad, good;
	uint32_t vm, st1 = 0, st2 = 0, v;
	int fd, w1, w2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = ptu_open(driver);
	vm = ptu_vm_create(fd);
	ptu_bo_mapped(fd, vm, &code, 4096, CODE_VA, 0);
	ptu_bo_mapped(fd, vm, &data, 4096, DATA_VA, 0);
	if (hang_mode)
		return hang(fd, vm, &code);
	ptu_plan(job_mode ? 1 : 2);
	if (job_mode)
		goto good_job;

	ptu_cs_init(&bad, &code, 0, 8);
	ptu_cs_emit(&bad, mm_cs_op(12, 0));
	w1 = ptu_run_job(fd, vm, &bad, 20000, &st1, NULL, NULL);
	ptu_result(!w1 && (st1 & DRM_PANTHOR_GROUP_STATE_FATAL_FAULT), "fatal_job_reported",
		   "fence %d, state %#x", w1, st1);

	sleep(1);	/* let the reset work run */
good_job:
	ptu_cs_init(&good, &code, 0x100, 8);
	ptu_cs_emit(&good, mm_cs_mov48(2, DATA_VA));
	ptu_cs_emit(&good, mm_cs_mov32(4, 0x600d));
	ptu_cs_emit(&good, mm_cs_ldst(21, 4, 2, 1, 0));
	ptu_cs_emit(&good, mm_cs_wait(0xff));
	w2 = ptu_run_job(fd, vm, &good, 20000, &st2, NULL, NULL);
	v = *(volatile uint32_t *)data.map;
	ptu_result(!w2 && !st2 && v == 0x600d, job_mode ? "job_runs" : "work_after_reset",
		   "fence %d, state %#x, value %#x", w2, st2, v);
	return ptu_exit();
}
