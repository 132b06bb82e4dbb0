// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Conformance: BO_CREATE, BO_MMAP_OFFSET, GEM_CLOSE (Panthor 6.12). */
#include <sys/mman.h>
#include <xf86drm.h>
#include <panthor_drm.h>

#include "igt.h"
#include "rules.h"

static int create(uint64_t *size, uint32_t flags, uint32_t *h)
{
	struct drm_panthor_bo_create c = { .size = *size, .flags = flags };
	int r = conf_ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &c);

	*size = c.size;
	*h = c.handle;
	return r;
}

static int mmap_offset(uint32_t h, uint64_t *off)
{
	struct drm_panthor_bo_mmap_offset o = { .handle = h };
	int r = conf_ioctl(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &o);

	*off = o.offset;
	return r;
}

static void size_zero(void *arg)
{
	uint64_t s = 0;
	uint32_t h;

	(void)arg;
	igt_assert_err(create(&s, 0, &h), EINVAL);
}

/* The size is rounded up to pages and written back (IGT bo_create_round_size). */
static void size_rounded(void *arg)
{
	uint64_t s = 5000;
	uint32_t h;

	(void)arg;
	igt_assert_err(create(&s, 0, &h), 0);
	igt_assert_eq(s, 8192);
	conf_gem_close(h);
}

/* New BOs read as zero through a CPU mapping, and keep what is written. */
static void zeroed_and_mappable(void *arg)
{
	uint64_t s = 3 * 4096, off;
	uint32_t h, i;
	uint8_t *p;

	(void)arg;
	igt_assert_err(create(&s, 0, &h), 0);
	igt_assert_err(mmap_offset(h, &off), 0);
	p = mmap(NULL, s, PROT_READ | PROT_WRITE, MAP_SHARED, conf_fd, off);
	igt_assert(p != MAP_FAILED);
	for (i = 0; i < s; i++)
		igt_assert_f(!p[i], "byte %u of a new BO is %#x", i, p[i]);
	p[s - 1] = 0x42;
	munmap(p, s);
	p = mmap(NULL, s, PROT_READ, MAP_SHARED, conf_fd, off);
	igt_assert(p != MAP_FAILED);
	igt_assert_eq(p[s - 1], 0x42);
	munmap(p, s);
	conf_gem_close(h);
}

static void handles_distinct(void *arg)
{
	uint64_t s = 4096;
	uint32_t h[8], i, j;

	(void)arg;
	for (i = 0; i < 8; i++)
		igt_assert_err(create(&s, 0, &h[i]), 0);
	for (i = 0; i < 8; i++)
		for (j = i + 1; j < 8; j++)
			igt_assert(h[i] != h[j]);
	for (i = 0; i < 8; i++)
		conf_gem_close(h[i]);
}

/* After GEM_CLOSE the handle is gone: MMAP_OFFSET says ENOENT. */
static void closed_handle(void *arg)
{
	uint64_t s = 4096, off;
	uint32_t h;
	struct drm_gem_close c;

	(void)arg;
	igt_assert_err(create(&s, 0, &h), 0);
	c = (struct drm_gem_close){ .handle = h };
	igt_assert_err(conf_ioctl(DRM_IOCTL_GEM_CLOSE, &c), 0);
	igt_assert_err(mmap_offset(h, &off), ENOENT);
	igt_assert_err(conf_ioctl(DRM_IOCTL_GEM_CLOSE, &c), EINVAL);
}

/* An exclusive-VM BO needs an existing VM. */
static void exclusive_vm(void *arg)
{
	uint32_t vm, h;

	(void)arg;
	igt_assert_err(conf_vm_create(&vm), 0);
	igt_assert_err(conf_bo_create(4096, 0, vm, &h), 0);
	conf_gem_close(h);
	conf_vm_destroy(vm);
	igt_assert_err(conf_bo_create(4096, 0, vm, &h), EINVAL);
}

/*
 * NO_MMAP: in 6.12 BO_MMAP_OFFSET still hands out an offset (the EPERM
 * rule came with uAPI 1.4); the mmap itself must then fail.
 */
static void no_mmap(void *arg)
{
	uint64_t s = 4096, off = 0;
	uint32_t h;
	void *p;
	int r;

	(void)arg;
	igt_assert_err(create(&s, DRM_PANTHOR_BO_NO_MMAP, &h), 0);
	r = mmap_offset(h, &off);
	if (!r) {
		p = mmap(NULL, s, PROT_READ, MAP_SHARED, conf_fd, off);
		igt_assert_f(p == MAP_FAILED, "a NO_MMAP BO was mapped");
	} else {
		igt_assert_err(r, EPERM);
	}
	conf_gem_close(h);
}

static void round_to(uint64_t in, uint64_t out)
{
	uint64_t s = in;
	uint32_t h;

	igt_assert_err(create(&s, 0, &h), 0);
	igt_assert_eq(s, out);
	conf_gem_close(h);
}

static void size_one_page(void *arg) { (void)arg; round_to(4096, 4096); }
static void size_one_byte(void *arg) { (void)arg; round_to(1, 4096); }
static void size_2m(void *arg) { (void)arg; round_to(2 << 20, 2 << 20); }

/* The mmap offset of a BO does not change between calls. */
static void offset_stable(void *arg)
{
	uint64_t s = 4096, a, b;
	uint32_t h;

	(void)arg;
	igt_assert_err(create(&s, 0, &h), 0);
	igt_assert_err(mmap_offset(h, &a), 0);
	igt_assert_err(mmap_offset(h, &b), 0);
	igt_assert_eq(a, b);
	igt_assert_f(a && !(a & 4095), "offset %#llx", (unsigned long long)a);
	conf_gem_close(h);
}

static void setup(void)
{
	conf_add_rules("PANTHOR_BO_CREATE");
	conf_add_rules("PANTHOR_BO_MMAP_OFFSET");
	igt_add("bo-create-size-zero", size_zero, NULL);
	igt_add("bo-create-round-size", size_rounded, NULL);
	igt_add("bo-zeroed-and-mappable", zeroed_and_mappable, NULL);
	igt_add("bo-handles-distinct", handles_distinct, NULL);
	igt_add("bo-closed-handle", closed_handle, NULL);
	igt_add("bo-exclusive-vm", exclusive_vm, NULL);
	igt_add("bo-no-mmap", no_mmap, NULL);
	igt_add("bo-create-size-one-page", size_one_page, NULL);
	igt_add("bo-create-size-one-byte", size_one_byte, NULL);
	igt_add("bo-create-size-2m", size_2m, NULL);
	igt_add("bo-mmap-offset-stable", offset_stable, NULL);
}

int main(int argc, char **argv)
{
	return igt_run(argc, argv, setup);
}
