// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Scenario: GPU frequency scaling under simple_ondemand.
 *
 *   devfreq [--driver NAME] [--gpu N]
 *
 * The VM's GPU nodes have three OPPs (300, 600, 1000 MHz) and a clock the
 * model provides (vm/panref-vm.dts); the driver's devfreq device samples
 * the GPU's load every 50 ms. Runtime PM is held off (power/control "on")
 * for the test, so the governor keeps sampling while the GPU is idle (with
 * runtime PM on, an idle GPU suspends after 50 ms and devfreq with it,
 * leaving the frequency where it was).
 *
 *  idle_lowest_frequency     idle, the governor settles at the lowest OPP
 *  load_raises_frequency     a job spinning on the GPU (a CS loop polling a
 *      flag in memory: running, not blocked) takes it to the highest OPP,
 *      and the model's clock (its debugfs state, GPU N) has that rate: the
 *      driver set the clock, not only devfreq's books
 *  idle_lowers_frequency     once the job ends, back to the lowest OPP
 *
 * A driver that never tells devfreq the GPU is busy fails the second.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mm_cs.h"
#include "ptu.h"

#define CODE_VA	0x1000000ull
#define DATA_VA	0x2000000ull

static char devdir[256], dfdir[320], statefile[128];

static unsigned long read_ul(const char *dir, const char *name)
{
	char path[400];
	unsigned long v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%lu", &v) != 1)
		ptu_fail("cannot read %s: %s", path, strerror(errno));
	fclose(f);
	return v;
}

static void write_str(const char *path, const char *v)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(v, f) < 0 || fclose(f))
		ptu_fail("cannot write %s to %s: %s", v, path, strerror(errno));
}

/* The model's clock_hz for this GPU (0 if the state file lacks it). */
static unsigned long model_clock(void)
{
	char line[256], key[64];
	unsigned long v = 0, r;
	FILE *f = fopen(statefile, "r");

	if (!f)
		ptu_fail("cannot read %s: %s", statefile, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lu", key, &r) == 2 && !strcmp(key, "clock_hz"))
			v = r;
	fclose(f);
	return v;
}

/* Wait up to @ms for cur_freq == @hz; returns the last value read. */
static unsigned long wait_freq(unsigned long hz, int ms)
{
	unsigned long cur = 0;
	int t;

	for (t = 0; t <= ms; t += 20) {
		cur = read_ul(dfdir, "cur_freq");
		if (cur == hz)
			break;
		usleep(20 * 1000);
	}
	return cur;
}

static void find_devfreq(int fd)
{
	char pat[300];
	struct stat st;
	glob_t g;

	if (fstat(fd, &st))
		ptu_fail("fstat: %s", strerror(errno));
	snprintf(devdir, sizeof(devdir), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	snprintf(pat, sizeof(pat), "%s/devfreq/*", devdir);
	if (glob(pat, 0, NULL, &g) || g.gl_pathc != 1)
		ptu_fail("no devfreq device under %s", devdir);
	snprintf(dfdir, sizeof(dfdir), "%s", g.gl_pathv[0]);
	globfree(&g);
}

int main(int argc, char **argv)
{
	const char *driver = "panthor";
	unsigned long lo = ~0ul, hi = 0, f, cur, clk;
	char path[400], freqs[256], *p, *end;
	struct ptu_bo code, data;
	volatile uint32_t *flag;
	uint32_t vm, group, sync, st = 0;
	struct ptu_cs cs;
	int gpu = -1, i, fd, w;
	FILE *fl;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--driver") && i + 1 < argc)
			driver = argv[++i];
		else if (!strcmp(argv[i], "--gpu") && i + 1 < argc)
			gpu = atoi(argv[++i]);
		else
			ptu_fail("usage: %s [--driver NAME] [--gpu N]", argv[0]);
	}
	if (gpu < 0)
		gpu = strcmp(driver, "panthor") ? 1 : 0;
	snprintf(statefile, sizeof(statefile), "/sys/kernel/debug/mali-model/gpu%d/state", gpu);
	ptu_plan(3);
	fd = ptu_open(driver);
	find_devfreq(fd);

	snprintf(path, sizeof(path), "%s/available_frequencies", dfdir);
	fl = fopen(path, "r");
	if (!fl || !fgets(freqs, sizeof(freqs), fl))
		ptu_fail("cannot read %s", path);
	fclose(fl);
	for (p = freqs; (f = strtoul(p, &end, 10)), end != p; p = end) {
		lo = f < lo ? f : lo;
		hi = f > hi ? f : hi;
	}
	if (hi <= lo)
		ptu_fail("%s: %s has fewer than two OPPs: nothing to scale", driver, path);

	snprintf(path, sizeof(path), "%s/power/control", devdir);
	write_str(path, "on");

	cur = wait_freq(lo, 3000);
	ptu_result(cur == lo, "idle_lowest_frequency", "cur_freq %lu, lowest %lu", cur, lo);

	vm = ptu_vm_create(fd);
	ptu_bo_mapped(fd, vm, &code, 4096, CODE_VA, 0);
	ptu_bo_mapped(fd, vm, &data, 4096, DATA_VA, 0);
	flag = data.map;
	*flag = 0;
	/* Spin until the flag is set: r4 <- [r2]; if r4 == 0 go back one. */
	ptu_cs_init(&cs, &code, 0, 8);
	ptu_cs_emit(&cs, mm_cs_mov48(2, DATA_VA));
	ptu_cs_emit(&cs, mm_cs_ldst(20, 4, 2, 1, 0));
	ptu_cs_emit(&cs, mm_cs_wait(0xff));
	ptu_cs_emit(&cs, mm_cs_branch(2, 4, -3));
	group = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	sync = ptu_syncobj(fd);
	ptu_submit(fd, group, 0, cs.va, ptu_cs_bytes(&cs), sync);
	cur = wait_freq(hi, 3000);
	clk = model_clock();
	ptu_result(cur == hi && clk == hi, "load_raises_frequency",
		   "cur_freq %lu, highest %lu, model clock %lu Hz", cur, hi, clk);

	*flag = 1;
	w = ptu_wait(fd, sync, 5000);
	ptu_group_state(fd, group, &st, NULL);
	if (w || st)
		ptu_fail("the spinning job did not end: wait %d, group state %#x", w, st);
	cur = wait_freq(lo, 3000);
	clk = model_clock();
	ptu_result(cur == lo && clk == lo, "idle_lowers_frequency",
		   "cur_freq %lu, lowest %lu, model clock %lu Hz", cur, lo, clk);

	ptu_group_destroy(fd, group);
	ptu_vm_destroy(fd, vm);
	snprintf(path, sizeof(path), "%s/power/control", devdir);
	write_str(path, "auto");
	return ptu_exit();
}
