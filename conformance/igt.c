// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>

#include "drmnode.h"
#include "igt.h"

int conf_fd = -1;
const char *conf_device;
const char *conf_driver;

#define MAX_SUBTESTS	1024
static struct igt_subtest tests[MAX_SUBTESTS];
static int ntests;
static const char *skips[64];
static int nskips;
static jmp_buf jump;
static char reason[512];
enum { R_PASS, R_FAIL, R_SKIP };

void igt_add(const char *name, void (*fn)(void *), void *arg)
{
	if (ntests == MAX_SUBTESTS) {
		fprintf(stderr, "too many subtests\n");
		exit(98);
	}
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	tests[ntests].arg = arg;
	ntests++;
}

void igt_addf(void (*fn)(void *), void *arg, const char *fmt, ...)
{
	struct igt_subtest *t = &tests[ntests];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->owned_name, sizeof(t->owned_name), fmt, ap);
	va_end(ap);
	igt_add(t->owned_name, fn, arg);
}

void igt_fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(reason, sizeof(reason), "%s:%d: ", file, line);

	va_start(ap, fmt);
	vsnprintf(reason + n, sizeof(reason) - n, fmt, ap);
	va_end(ap);
	longjmp(jump, R_FAIL);
}

void igt_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	longjmp(jump, R_SKIP);
}

int conf_ioctl(unsigned long request, void *arg)
{
	return drmIoctl(conf_fd, request, arg) ? -errno : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One subtest, with IGT's lines around it. Kept apart for setjmp's sake. */
static int run_one(const struct igt_subtest *t)
{
	double t0 = now();
	int r;

	printf("Starting subtest: %s\n", t->name);
	reason[0] = 0;
	r = setjmp(jump);
	if (!r) {
		for (int k = 0; k < nskips; k++)
			if (!fnmatch(skips[k], t->name, 0))
				igt_skip("excluded by the expectation file (see its reason)");
		if (conf_fd < 0)
			igt_skip("no device (driver %s)", conf_driver);
		t->fn(t->arg);
	}
	if (reason[0])
		printf("%s: %s\n", r == R_SKIP ? "Skipping" : "Failure", reason);
	printf("Subtest %s: %s (%.3fs)\n", t->name,
	       r == R_PASS ? "SUCCESS" : r == R_SKIP ? "SKIP" : "FAIL", now() - t0);
	return r;
}

int igt_run(int argc, char **argv, void (*setup)(void))
{
	static char path[PATH_MAX];
	const char *only = NULL;
	int i, a, pass = 0, fail = 0, skip = 0;
	bool list = false;

	conf_driver = getenv("CONF_DRIVER") ? getenv("CONF_DRIVER") : "panthor";
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--list-subtests"))
			list = true;
		else if (!strcmp(argv[a], "--run-subtest") && a + 1 < argc)
			only = argv[++a];
		else if (!strcmp(argv[a], "--skip-subtest") && a + 1 < argc && nskips < 64)
			skips[nskips++] = argv[++a];
		else if (!strcmp(argv[a], "--device") && a + 1 < argc)
			conf_device = argv[++a];
		else if (!strcmp(argv[a], "--driver") && a + 1 < argc)
			conf_driver = argv[++a];
		else {
			fprintf(stderr, "usage: %s [--list-subtests] [--run-subtest GLOB] "
				"[--device PATH | --driver NAME]\n", argv[0]);
			return 79;	/* IGT: INVALID */
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (list) {
		if (setup)
			setup();	/* subtests may be generated there */
		for (i = 0; i < ntests; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	printf("IGT-Version: 1.30-panref (conformance, uAPI 1.0)\n");
	if (conf_device) {
		snprintf(path, sizeof(path), "%s", conf_device);
		conf_fd = open(path, O_RDWR | O_CLOEXEC);
	} else {
		conf_fd = drmnode_open_by_driver(conf_driver, path, sizeof(path));
	}
	/* conformance/run reads this line: "none" makes the run fail. */
	if (conf_fd >= 0)
		printf("Device: %s\n", path);
	else if (path[0])
		printf("Device: none (%s: %s)\n", path, strerror(errno));
	else
		printf("Device: none (no render node bound to driver %s)\n", conf_driver);
	conf_device = path;
	if (setup)
		setup();
	for (i = 0; i < ntests; i++) {
		int r;

		if (only && fnmatch(only, tests[i].name, 0))
			continue;
		r = run_one(&tests[i]);
		pass += r == R_PASS;
		fail += r == R_FAIL;
		skip += r == R_SKIP;
	}
	if (fail)
		return 98;
	return pass ? 0 : (skip ? 77 : 0);
}
