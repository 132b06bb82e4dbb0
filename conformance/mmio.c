// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Conformance: the USER_FLUSH_ID MMIO page (panthor_device_mmap_io, 6.12):
 * offset DRM_PANTHOR_USER_MMIO_OFFSET, exactly one page, MAP_SHARED,
 * no PROT_WRITE, no PROT_EXEC; and what a read of it gives.
 */
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>
#include <panthor_drm.h>

#include "igt.h"
#include "rules.h"

static int try_map(size_t len, int prot, int flags, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, conf_fd, off);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, len);
	return 0;
}

#define FLUSH_ID_OFF	((off_t)DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET)

static void valid(void *arg)
{
	(void)arg;
	igt_assert_err(try_map(getpagesize(), PROT_READ, MAP_SHARED, FLUSH_ID_OFF), 0);
}

static void private(void *arg)
{
	(void)arg;
	igt_assert_err(try_map(getpagesize(), PROT_READ, MAP_PRIVATE, FLUSH_ID_OFF), EINVAL);
}

static void writable(void *arg)
{
	(void)arg;
	igt_assert_err(try_map(getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED,
			       FLUSH_ID_OFF), EINVAL);
}

static void executable(void *arg)
{
	(void)arg;
	igt_assert_err(try_map(getpagesize(), PROT_READ | PROT_EXEC, MAP_SHARED,
			       FLUSH_ID_OFF), EINVAL);
}

static void two_pages(void *arg)
{
	(void)arg;
	igt_assert_err(try_map(2 * getpagesize(), PROT_READ, MAP_SHARED, FLUSH_ID_OFF), EINVAL);
}

static void other_offset(void *arg)
{
	(void)arg;
	igt_assert_err(try_map(getpagesize(), PROT_READ, MAP_SHARED,
			       FLUSH_ID_OFF + getpagesize()), EINVAL);
}

/* Read a small sysfs/debugfs file into @buf; 0 or -errno. */
static int read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
	return 0;
}

static int write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int r = 0;

	if (!f)
		return -errno;
	if (fputs(s, f) < 0)
		r = -EIO;
	if (fclose(f))
		r = -errno;
	return r;
}

/* One "key value" line of the model's state file; -1 when absent. */
static long long model_state(const char *dir, const char *key)
{
	char path[PATH_MAX], buf[4096], *l;
	size_t k = strlen(key);

	snprintf(path, sizeof(path), "%s/state", dir);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	for (l = buf; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, key, k) && l[k] == ' ')
			return strtoll(l + k + 1, NULL, 0);
	return -1;
}

/*
 * The software GPU behind the device under test, when it is the panref
 * rig's model: the debugfs directory whose "base" is the address the
 * platform device is named after (ADDR.gpu). 0, or -1 if there is none.
 */
static int model_dir_of(const char *devpath, char *dir, size_t len)
{
	const char *name = strrchr(devpath, '/');
	unsigned long long addr;
	glob_t g;
	int r = -1;

	addr = strtoull(name ? name + 1 : devpath, NULL, 16);
	if (glob("/sys/kernel/debug/mali-model/gpu*", 0, NULL, &g))
		return -1;
	for (size_t i = 0; i < g.gl_pathc && r; i++) {
		if (model_state(g.gl_pathv[i], "base") == (long long)addr) {
			snprintf(dir, len, "%s", g.gl_pathv[i]);
			r = 0;
		}
	}
	globfree(&g);
	return r;
}

/* What the child of read_flush_id() saw, in memory shared with it. */
struct reading {
	int map_err;		/* 0 or -errno of the mmap */
	int flush_err;		/* 0 or -errno of the write to flush_caches */
	uint32_t v0, v1;	/* the page before and after the model's flush */
	long long m0, m1;	/* the model's LATEST_FLUSH_ID, same moments */
};

/*
 * In a child process, so that a page with nothing behind it (SIGSEGV or
 * SIGBUS) fails the subtest instead of killing the binary.
 */
static void read_page(struct reading *rd, const char *mdir)
{
	char path[PATH_MAX + 32];
	const volatile uint32_t *page;
	void *p;

	p = mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED, conf_fd, FLUSH_ID_OFF);
	if (p == MAP_FAILED) {
		rd->map_err = -errno;
		return;
	}
	page = p;
	rd->v0 = page[0];
	if (mdir) {
		rd->m0 = model_state(mdir, "latest_flush_id");
		snprintf(path, sizeof(path), "%s/flush_caches", mdir);
		rd->flush_err = write_file(path, "1");
		rd->m1 = model_state(mdir, "latest_flush_id");
		rd->v1 = page[0];
	}
	munmap(p, getpagesize());
}

/*
 * What Mesa does on every submit: read LATEST_FLUSH_ID through the page.
 * With the GPU held active (runtime PM "on"), the page is the register
 * page, so the value read is the GPU's. On the panref rig it must equal
 * the model's LATEST_FLUSH_ID, before and after a cache flush the model
 * performs (so a stale or dummy page fails, and so does an unbacked one,
 * whose read kills the reader).
 */
static void read_flush_id(void *arg)
{
	char link[PATH_MAX], dev[PATH_MAX], ctl[PATH_MAX + 32], st[PATH_MAX + 32];
	char mdir[PATH_MAX], old[32] = "auto", status[32] = "";
	struct reading *rd, got;
	struct stat sb;
	int r, have_model, wst = 0;
	pid_t pid;

	(void)arg;
	igt_assert(fstat(conf_fd, &sb) == 0);
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(sb.st_rdev), minor(sb.st_rdev));
	igt_assert_f(realpath(link, dev), "%s: %s", link, strerror(errno));
	have_model = !model_dir_of(dev, mdir, sizeof(mdir));
	rd = mmap(NULL, sizeof(*rd), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	igt_assert(rd != MAP_FAILED);
	rd->m0 = rd->m1 = -1;

	snprintf(ctl, sizeof(ctl), "%s/power/control", dev);
	snprintf(st, sizeof(st), "%s/power/runtime_status", dev);
	read_file(ctl, old, sizeof(old));
	r = write_file(ctl, "on");
	if (r) {
		munmap(rd, sizeof(*rd));
		igt_skip("cannot hold the GPU active to read the register page (%s: %s)",
			 ctl, strerror(-r));
	}
	read_file(st, status, sizeof(status));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		read_page(rd, have_model ? mdir : NULL);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &wst, 0);
	write_file(ctl, old);
	got = *rd;
	munmap(rd, sizeof(*rd));
	igt_assert(pid > 0);
	igt_assert_f(!strncmp(status, "active", 6), "runtime status with control \"on\": %s",
		     status);
	igt_assert_f(!WIFSIGNALED(wst), "reading the page killed the reader with signal %d (%s)",
		     WTERMSIG(wst), strsignal(WTERMSIG(wst)));
	igt_assert_err(got.map_err, 0);
	if (!have_model)
		igt_skip("read %#x, but %s is no model of the panref rig to compare it with",
			 got.v0, dev);
	igt_assert_f(got.m0 >= 0 && got.m1 >= 0, "no latest_flush_id in %s/state", mdir);
	igt_assert_err(got.flush_err, 0);
	igt_assert_eq(got.v0, got.m0);
	igt_assert_eq(got.m1, got.m0 + 1);
	igt_assert_eq(got.v1, got.m1);
}

static void setup(void)
{
	igt_add("mmio-flush-id-map-valid", valid, NULL);
	igt_add("mmio-flush-id-map-private", private, NULL);
	igt_add("mmio-flush-id-map-writable", writable, NULL);
	igt_add("mmio-flush-id-map-executable", executable, NULL);
	igt_add("mmio-flush-id-map-two-pages", two_pages, NULL);
	igt_add("mmio-flush-id-map-other-offset", other_offset, NULL);
	igt_add("mmio-flush-id-read", read_flush_id, NULL);
}

int main(int argc, char **argv)
{
	return igt_run(argc, argv, setup);
}
