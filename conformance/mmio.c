// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Conformance: the USER_FLUSH_ID MMIO page (panthor_device_mmap_io, 6.12):
 * offset DRM_PANTHOR_USER_MMIO_OFFSET, exactly one page, MAP_SHARED,
 * no PROT_WRITE, no PROT_EXEC.
 */
#include <sys/mman.h>
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

/*
 * Reading the page needs the register page itself; over UML's logic_iomem
 * there is no host page behind it while the GPU is active (the process
 * gets SIGSEGV; ../shared/reference/uml-rig.md), so the model cannot
 * offer it yet.
 */
static void read_flush_id(void *arg)
{
	(void)arg;
	igt_skip("reading USER_FLUSH_ID needs a host page behind the GPU registers, "
		 "which the UML model does not provide yet (uml-rig.md, USER_FLUSH_ID)");
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
