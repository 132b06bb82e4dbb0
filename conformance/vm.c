// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Conformance: VM_CREATE, VM_DESTROY, VM_GET_STATE (Panthor 6.12). */
#include <xf86drm.h>
#include <panthor_drm.h>

#include "igt.h"
#include "rules.h"

/* At most 32 VMs per file (xarray limit 1..32 in panthor_vm_pool_create_vm). */
static void limit_32(void *arg)
{
	uint32_t vm[33], i;
	int r = 0;

	(void)arg;
	for (i = 0; i < 32 && !r; i++)
		r = conf_vm_create(&vm[i]);
	igt_assert_f(!r, "VM %u of 32 failed: %s", i, strerror(-r));
	r = conf_vm_create(&vm[32]);
	for (i = 0; i < 32; i++)
		conf_vm_destroy(vm[i]);
	igt_assert_f(r < 0, "a 33rd VM was created");
}

/* Ids are reused after destroy, and a destroyed id is unknown. */
static void destroy_twice(void *arg)
{
	struct drm_panthor_vm_destroy d;
	uint32_t vm;

	(void)arg;
	igt_assert_err(conf_vm_create(&vm), 0);
	d = (struct drm_panthor_vm_destroy){ .id = vm };
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_DESTROY, &d), 0);
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_DESTROY, &d), EINVAL);
}

/* user_va_range: 0 picks the default and reports the kernel VA start. */
static void va_range(void *arg)
{
	struct drm_panthor_vm_create c = { 0 };

	(void)arg;
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &c), 0);
	igt_assert_f(c.user_va_range > 0, "user_va_range not reported");
	conf_vm_destroy(c.id);
	/* A range that leaves no room for the kernel's 256 MiB: EINVAL. */
	c = (struct drm_panthor_vm_create){ .user_va_range = ~0ull };
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &c), EINVAL);
}

static void state_usable(void *arg)
{
	struct drm_panthor_vm_get_state s = { 0 };
	uint32_t vm;

	(void)arg;
	igt_assert_err(conf_vm_create(&vm), 0);
	s.vm_id = vm;
	s.state = 0xffffffff;
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &s), 0);
	igt_assert_eq(s.state, DRM_PANTHOR_VM_STATE_USABLE);
	conf_vm_destroy(vm);
}

static void state_destroyed(void *arg)
{
	struct drm_panthor_vm_get_state s = { 0 };
	uint32_t vm;

	(void)arg;
	igt_assert_err(conf_vm_create(&vm), 0);
	conf_vm_destroy(vm);
	s.vm_id = vm;
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &s), EINVAL);
}

/* Destroying a VM with mappings is fine; the BO lives on. */
static void destroy_with_mappings(void *arg)
{
	struct drm_panthor_vm_bind_op op;
	struct drm_panthor_vm_bind b;
	struct drm_panthor_bo_mmap_offset o = { 0 };
	struct drm_panthor_vm_destroy d;
	uint32_t vm, bo;

	(void)arg;
	igt_assert_err(conf_vm_create(&vm), 0);
	igt_assert_err(conf_bo_create(4096, 0, 0, &bo), 0);
	op = (struct drm_panthor_vm_bind_op){ .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
					      .bo_handle = bo, .va = 0x1000000, .size = 4096 };
	b = (struct drm_panthor_vm_bind){ .vm_id = vm, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_BIND, &b), 0);
	d = (struct drm_panthor_vm_destroy){ .id = vm };
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_DESTROY, &d), 0);
	o.handle = bo;
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &o), 0);
	conf_gem_close(bo);
}

static void setup(void)
{
	conf_add_rules("PANTHOR_VM_CREATE");
	conf_add_rules("PANTHOR_VM_DESTROY");
	conf_add_rules("PANTHOR_VM_GET_STATE");
	igt_add("vm-create-limit-32", limit_32, NULL);
	igt_add("vm-destroy-twice", destroy_twice, NULL);
	igt_add("vm-create-va-range", va_range, NULL);
	igt_add("vm-get-state-usable", state_usable, NULL);
	igt_add("vm-get-state-destroyed", state_destroyed, NULL);
	igt_add("vm-destroy-with-mappings", destroy_with_mappings, NULL);
}

int main(int argc, char **argv)
{
	return igt_run(argc, argv, setup);
}
