// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Conformance: per-file scopes and lifetimes. Handles and ids belong to the
 * file that created them; closing a file frees its objects without touching
 * another file's; BOs are shared across files through PRIME.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>
#include <panthor_drm.h>

#include "igt.h"
#include "rules.h"

static int other(void)
{
	int fd = open(conf_device, O_RDWR | O_CLOEXEC);

	igt_assert_f(fd >= 0, "reopen %s: %s", conf_device, strerror(errno));
	return fd;
}

static int ioctl_on(int fd, unsigned long req, void *arg)
{
	int saved = conf_fd, r;

	conf_fd = fd;
	r = conf_ioctl(req, arg);
	conf_fd = saved;
	return r;
}

static void bo_handle_per_file(void *arg)
{
	struct drm_panthor_bo_mmap_offset o = { 0 };
	uint32_t bo;
	int fd2 = other();

	(void)arg;
	igt_assert_err(conf_bo_create(4096, 0, 0, &bo), 0);
	o.handle = bo;
	igt_assert_err(ioctl_on(fd2, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &o), ENOENT);
	conf_gem_close(bo);
	close(fd2);
}

static void vm_id_per_file(void *arg)
{
	struct drm_panthor_vm_get_state s = { 0 };
	uint32_t vm;
	int fd2 = other();

	(void)arg;
	igt_assert_err(conf_vm_create(&vm), 0);
	s.vm_id = vm;
	igt_assert_err(ioctl_on(fd2, DRM_IOCTL_PANTHOR_VM_GET_STATE, &s), EINVAL);
	conf_vm_destroy(vm);
	close(fd2);
}

static void group_per_file(void *arg)
{
	struct drm_panthor_group_get_state s = { 0 };
	uint32_t vm, g;
	int fd2 = other();

	(void)arg;
	igt_assert_err(conf_vm_create(&vm), 0);
	igt_assert_err(conf_group_create(vm, 1, &g), 0);
	s.group_handle = g;
	igt_assert_err(ioctl_on(fd2, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s), EINVAL);
	conf_group_destroy(g);
	conf_vm_destroy(vm);
	close(fd2);
}

/* Closing a file frees its objects; the other file's stay. */
static void close_frees_objects(void *arg)
{
	struct drm_panthor_vm_get_state s = { 0 };
	uint32_t vm1, vm2, g;
	int fd2 = other(), saved = conf_fd;

	(void)arg;
	igt_assert_err(conf_vm_create(&vm1), 0);
	conf_fd = fd2;
	igt_assert_err(conf_vm_create(&vm2), 0);
	igt_assert_err(conf_group_create(vm2, 1, &g), 0);
	conf_fd = saved;
	close(fd2);		/* its VM and group go away with it */
	s.vm_id = vm1;
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &s), 0);
	conf_vm_destroy(vm1);
}

/* VM ids are reused per file after destroy, starting at 1. */
static void vm_ids_from_one(void *arg)
{
	uint32_t vm;
	int fd2 = other(), saved = conf_fd;

	(void)arg;
	conf_fd = fd2;
	igt_assert_err(conf_vm_create(&vm), 0);
	conf_fd = saved;
	igt_assert_eq(vm, 1);
	close(fd2);
}

/* PRIME: a BO exported from one file and imported in another is shared. */
static void prime_share(void *arg)
{
	struct drm_panthor_bo_mmap_offset o = { 0 };
	uint32_t bo, bo2, bo3;
	int fd2 = other(), dmabuf;
	volatile uint32_t *p, *p2;

	(void)arg;
	igt_assert_err(conf_bo_create(4096, 0, 0, &bo), 0);
	igt_assert_err(drmPrimeHandleToFD(conf_fd, bo, DRM_CLOEXEC | DRM_RDWR, &dmabuf) ?
		       -errno : 0, 0);
	igt_assert_err(drmPrimeFDToHandle(fd2, dmabuf, &bo2) ? -errno : 0, 0);
	igt_assert_err(drmPrimeFDToHandle(fd2, dmabuf, &bo3) ? -errno : 0, 0);
	igt_assert_eq(bo2, bo3);	/* the same object, the same handle */
	o.handle = bo;
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &o), 0);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, conf_fd, o.offset);
	igt_assert(p != MAP_FAILED);
	o.handle = bo2;
	igt_assert_err(ioctl_on(fd2, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &o), 0);
	p2 = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd2, o.offset);
	igt_assert(p2 != MAP_FAILED);
	p[7] = 0x12345678;
	igt_assert_eq(p2[7], 0x12345678);
	munmap((void *)p, 4096);
	munmap((void *)p2, 4096);
	close(dmabuf);
	conf_gem_close(bo);
	close(fd2);
}

/* An imported BO can be mapped into a VM of the importing file. */
static void prime_import_map(void *arg)
{
	struct drm_panthor_vm_bind_op op;
	struct drm_panthor_vm_bind b;
	uint32_t bo, bo2, vm;
	int fd2 = other(), dmabuf, saved = conf_fd;

	(void)arg;
	igt_assert_err(conf_bo_create(4096, 0, 0, &bo), 0);
	igt_assert_err(drmPrimeHandleToFD(conf_fd, bo, DRM_CLOEXEC, &dmabuf) ? -errno : 0, 0);
	igt_assert_err(drmPrimeFDToHandle(fd2, dmabuf, &bo2) ? -errno : 0, 0);
	conf_fd = fd2;
	igt_assert_err(conf_vm_create(&vm), 0);
	op = (struct drm_panthor_vm_bind_op){ .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
					      .bo_handle = bo2, .va = 0x1000000, .size = 4096 };
	b = (struct drm_panthor_vm_bind){ .vm_id = vm, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_BIND, &b), 0);
	conf_vm_destroy(vm);
	conf_fd = saved;
	close(dmabuf);
	conf_gem_close(bo);
	close(fd2);
}

/* GEM_CLOSE of the exporter's handle leaves the importer's BO alive. */
static void prime_outlives_exporter(void *arg)
{
	struct drm_panthor_bo_mmap_offset o = { 0 };
	uint32_t bo, bo2;
	int fd2 = other(), dmabuf;

	(void)arg;
	igt_assert_err(conf_bo_create(4096, 0, 0, &bo), 0);
	igt_assert_err(drmPrimeHandleToFD(conf_fd, bo, DRM_CLOEXEC, &dmabuf) ? -errno : 0, 0);
	igt_assert_err(drmPrimeFDToHandle(fd2, dmabuf, &bo2) ? -errno : 0, 0);
	conf_gem_close(bo);
	close(dmabuf);
	o.handle = bo2;
	igt_assert_err(ioctl_on(fd2, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &o), 0);
	close(fd2);
}

static void setup(void)
{
	igt_add("file-bo-handle-per-file", bo_handle_per_file, NULL);
	igt_add("file-vm-id-per-file", vm_id_per_file, NULL);
	igt_add("file-group-handle-per-file", group_per_file, NULL);
	igt_add("file-close-frees-its-objects", close_frees_objects, NULL);
	igt_add("file-vm-ids-start-at-1", vm_ids_from_one, NULL);
	igt_add("file-prime-share", prime_share, NULL);
	igt_add("file-prime-import-and-map", prime_import_map, NULL);
	igt_add("file-prime-outlives-exporter", prime_outlives_exporter, NULL);
}

int main(int argc, char **argv)
{
	return igt_run(argc, argv, setup);
}
