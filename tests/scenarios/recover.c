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
 *   recover [--driver NAME] --hung-slot   the caller armed the model's
 *       "csg_hang": a destroyed group's TERMINATE is never acknowledged, so
 *       its slot hangs until the GPU reset the driver schedules; a group of
 *       another VM submitted meanwhile must wait for the reset and then run
 *       (first_group_runs, other_vm_runs_after_hung_slot)
 *   recover [--driver NAME] --dead   the caller armed "mcu_dead" and
 *       "cs_unrecoverable": the reset after the fatal job cannot reboot the
 *       MCU; every fence (the fatal job's, a job blocked on the GPU, a job
 *       queued behind it) must signal with an error (ECANCELED for the
 *       innocent group, EINVAL for the fatal one), and the device must
 *       refuse new work with ENODEV (failed_reset_fails_every_fence,
 *       failed_reset_refuses_work)
 *
 * Run by tests/vm/guest/recover.sh after arming the model's one-shot
 * "cs_unrecoverable" injection: a job with an illegal opcode then raises a
 * CS_UNRECOVERABLE fatal, for which Panthor schedules a full GPU reset
 * (pre-reset, soft reset, MCU reboot). Afterwards new work must run.
 *
 *  fatal_job_reported   the faulty group reports FATAL_FAULT
 *  work_after_reset     a new group's job runs and writes its result
 */
#include <errno.h>
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

/* A store of @value to @dst at @offset of @code. */
static void store_job(struct ptu_cs *cs, struct ptu_bo *code, uint32_t offset, uint64_t dst,
		      uint32_t value)
{
	ptu_cs_init(cs, code, offset, 8);
	ptu_cs_emit(cs, mm_cs_mov48(2, dst));
	ptu_cs_emit(cs, mm_cs_mov32(4, value));
	ptu_cs_emit(cs, mm_cs_ldst(21, 4, 2, 1, 0));
	ptu_cs_emit(cs, mm_cs_wait(0xff));
}

static int hung_slot(int fd)
{
	struct ptu_bo code1, data1, code2, data2;
	uint32_t vm1, vm2, ga, gb, sync, st = 0;
	struct ptu_cs a, b;
	uint64_t t0;
	int w, status;

	ptu_plan(2);
	vm1 = ptu_vm_create(fd);
	vm2 = ptu_vm_create(fd);
	ptu_bo_mapped(fd, vm1, &code1, 4096, CODE_VA, 0);
	ptu_bo_mapped(fd, vm1, &data1, 4096, DATA_VA, 0);
	ptu_bo_mapped(fd, vm2, &code2, 4096, CODE_VA, 0);
	ptu_bo_mapped(fd, vm2, &data2, 4096, DATA_VA, 0);

	store_job(&a, &code1, 0, DATA_VA, 0xa);
	w = ptu_run_job(fd, vm1, &a, 10000, &st, NULL, &ga);
	ptu_result(!w && !st && *(volatile uint32_t *)data1.map == 0xa, "first_group_runs",
		   "fence %d, state %#x, value %#x", w, st, *(volatile uint32_t *)data1.map);
	/* Its slot is asked to TERMINATE, which the model never acknowledges. */
	ptu_group_destroy(fd, ga);
	usleep(300 * 1000);

	store_job(&b, &code2, 0, DATA_VA, 0xb);
	gb = ptu_group_create(fd, vm2, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	sync = ptu_syncobj(fd);
	t0 = ptu_now_ns();
	ptu_submit(fd, gb, 0, b.va, ptu_cs_bytes(&b), sync);
	w = ptu_wait(fd, sync, 20000);
	status = ptu_fence_status(fd, sync);
	ptu_group_state(fd, gb, &st, NULL);
	ptu_result(!w && status == 1 && !st && *(volatile uint32_t *)data2.map == 0xb,
		   "other_vm_runs_after_hung_slot",
		   "wait %d after %.2f s, fence status %d, state %#x, value %#x", w,
		   (ptu_now_ns() - t0) / 1e9, status, st, *(volatile uint32_t *)data2.map);
	return ptu_exit();
}

static int dead(int fd, uint32_t vm, struct ptu_bo *code)
{
	struct ptu_cs wait, after, bad;
	uint32_t ga, gb, sync[3];
	int sfd[3], status[3], r, i;
	bool ok = true;

	ptu_plan(2);
	gb = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	ga = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	for (i = 0; i < 3; i++)
		sync[i] = ptu_syncobj(fd);
	ptu_cs_init(&wait, code, 0x200, 8);
	ptu_cs_emit(&wait, mm_cs_mov48(2, DATA_VA + 0x100));
	ptu_cs_emit(&wait, mm_cs_mov48(4, 0));
	ptu_cs_emit(&wait, mm_cs_sync_wait(53, 1, 2, 4));	/* until mem > 0: never */
	store_job(&after, code, 0x300, DATA_VA, 0xaf);
	/*
	 * The fences are watched through sync files: once the device is
	 * unplugged, every ioctl of its node (syncobj ones too) is ENODEV.
	 */
	ptu_submit(fd, gb, 0, wait.va, ptu_cs_bytes(&wait), sync[0]);
	sfd[0] = ptu_sync_file(fd, sync[0]);
	ptu_submit(fd, gb, 0, after.va, ptu_cs_bytes(&after), sync[1]);
	sfd[1] = ptu_sync_file(fd, sync[1]);
	usleep(100 * 1000);	/* the blocked job is on the GPU */

	ptu_cs_init(&bad, code, 0, 8);
	ptu_cs_emit(&bad, mm_cs_op(12, 0));	/* CS_UNRECOVERABLE: reset, MCU dead */
	ptu_submit(fd, ga, 0, bad.va, ptu_cs_bytes(&bad), sync[2]);
	sfd[2] = ptu_sync_file(fd, sync[2]);
	/*
	 * Panthor 6.12's errors: the innocent group's jobs are cancelled,
	 * the faulty one's job fails as its queue's fatal error does.
	 */
	for (i = 0; i < 3; i++) {
		status[i] = ptu_sync_file_status(sfd[i], 15000);
		ok &= status[i] == (i == 2 ? -EINVAL : -ECANCELED);
		close(sfd[i]);
	}
	ptu_result(ok, "failed_reset_fails_every_fence",
		   "blocked job: status %d; queued job: status %d; fatal job: status %d",
		   status[0], status[1], status[2]);
	for (i = 0; i < 3; i++)
		printf("# fence %d: %s\n", i, status[i] < 0 ? strerror(-status[i]) :
		       status[i] ? "no error" : "not signalled");
	r = ptu_submit_try(fd, gb, 0, after.va, ptu_cs_bytes(&after), 0);
	ptu_result(r == -ENODEV, "failed_reset_refuses_work", "GROUP_SUBMIT: %s",
		   r ? strerror(-r) : "accepted");
	return ptu_exit();
}

int main(int argc, char **argv)
{
	const char *driver = argc > 2 && !strcmp(argv[1], "--driver") ? argv[2] : "panthor";
	bool hang_mode = !strcmp(argv[argc - 1], "--hang");
	bool job_mode = !strcmp(argv[argc - 1], "--job");
	bool dead_mode = !strcmp(argv[argc - 1], "--dead");
	struct ptu_bo code, data;
	struct ptu_cs bad, good;
	uint32_t vm, st1 = 0, st2 = 0, v;
	int fd, w1, w2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = ptu_open(driver);
	if (!strcmp(argv[argc - 1], "--hung-slot"))
		return hung_slot(fd);
	vm = ptu_vm_create(fd);
	ptu_bo_mapped(fd, vm, &code, 4096, CODE_VA, 0);
	ptu_bo_mapped(fd, vm, &data, 4096, DATA_VA, 0);
	if (hang_mode)
		return hang(fd, vm, &code);
	if (dead_mode)
		return dead(fd, vm, &code);
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
