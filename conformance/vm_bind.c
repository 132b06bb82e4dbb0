// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Conformance: VM_BIND (Panthor 6.12 panthor_ioctl_vm_bind and friends). */
#include <xf86drm.h>
#include <panthor_drm.h>

#include "igt.h"
#include "rules.h"

static uint32_t vm, bo;

static int bind(uint32_t flags, struct drm_panthor_vm_bind_op *ops, uint32_t n,
		uint32_t *count_out)
{
	struct drm_panthor_vm_bind b = {
		.vm_id = vm, .flags = flags, .ops = DRM_PANTHOR_OBJ_ARRAY(n, ops),
	};
	int r = conf_ioctl(DRM_IOCTL_PANTHOR_VM_BIND, &b);

	if (count_out)
		*count_out = b.ops.count;
	return r;
}

static struct drm_panthor_vm_bind_op map_op(uint64_t va, uint64_t size, uint64_t off)
{
	return (struct drm_panthor_vm_bind_op){
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .bo_handle = bo,
		.bo_offset = off, .va = va, .size = size,
	};
}

static struct drm_panthor_vm_bind_op unmap_op(uint64_t va, uint64_t size)
{
	return (struct drm_panthor_vm_bind_op){
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, .va = va, .size = size,
	};
}

static void fresh(void)
{
	igt_assert_err(conf_vm_create(&vm), 0);
	igt_assert_err(conf_bo_create(8192, 0, 0, &bo), 0);
}

static void done(void)
{
	conf_gem_close(bo);
	conf_vm_destroy(vm);
}

static void map_unmap(void *arg)
{
	struct drm_panthor_vm_bind_op op;

	(void)arg;
	fresh();
	op = map_op(0x1000000, 8192, 0);
	igt_assert_err(bind(0, &op, 1, NULL), 0);
	op = unmap_op(0x1000000, 8192);
	igt_assert_err(bind(0, &op, 1, NULL), 0);
	done();
}

static void unaligned(void *arg)
{
	struct drm_panthor_vm_bind_op op;

	(void)arg;
	fresh();
	op = map_op(0x1000800, 4096, 0);
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	op = map_op(0x1000000, 100, 0);
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	done();
}

static void beyond_bo(void *arg)
{
	struct drm_panthor_vm_bind_op op;

	(void)arg;
	fresh();
	op = map_op(0x1000000, 3 * 4096, 0);		/* size > bo size */
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	op = map_op(0x1000000, 8192, 4096);		/* offset + size > bo size */
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	done();
}

/* size 0 is a no-op in synchronous mode. */
static void size_zero(void *arg)
{
	struct drm_panthor_vm_bind_op op;

	(void)arg;
	fresh();
	op = map_op(0x1000000, 0, 0);
	igt_assert_err(bind(0, &op, 1, NULL), 0);
	done();
}

/* The failing op's index is written back into ops.count. */
static void failing_index(void *arg)
{
	struct drm_panthor_vm_bind_op ops[3];
	uint32_t count = 0;

	(void)arg;
	fresh();
	ops[0] = map_op(0x1000000, 4096, 0);
	ops[1] = map_op(0x2000000, 4096, 0);
	ops[2] = map_op(0x3000800, 4096, 0);	/* unaligned */
	igt_assert_err(bind(0, ops, 3, &count), EINVAL);
	igt_assert_eq(count, 2);
	done();
}

static void unmap_with_bo(void *arg)
{
	struct drm_panthor_vm_bind_op op;

	(void)arg;
	fresh();
	op = map_op(0x1000000, 4096, 0);
	igt_assert_err(bind(0, &op, 1, NULL), 0);
	op = unmap_op(0x1000000, 4096);
	op.bo_handle = bo;
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	op = unmap_op(0x1000000, 4096);
	op.bo_offset = 4096;
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	op = unmap_op(0x1000000, 4096);
	op.flags |= DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	done();
}

/*
 * SYNC_ONLY needs syncs on the async path. In synchronous mode a size-0
 * op returns 0 before it is validated at all (panthor_vm_bind_exec_sync_op
 * in 6.12), so a SYNC_ONLY op there is a silent no-op: the test follows
 * Panthor.
 */
static void sync_only_sync_mode(void *arg)
{
	struct drm_panthor_vm_bind_op op = { .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY };

	(void)arg;
	fresh();
	igt_assert_err(bind(0, &op, 1, NULL), 0);
	igt_assert_err(bind(DRM_PANTHOR_VM_BIND_ASYNC, &op, 1, NULL), EINVAL);
	op.va = 0x1000000;
	op.size = 4096;		/* with a range it is validated, and refused */
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	done();
}

/* 6.12 honours DRM_PANTHOR_VM_BIND_ASYNC only and ignores other bits. */
static void unknown_flags_ignored(void *arg)
{
	struct drm_panthor_vm_bind_op op;

	(void)arg;
	fresh();
	op = map_op(0x1000000, 4096, 0);
	igt_assert_err(bind(1u << 5, &op, 1, NULL), 0);
	done();
}

/* Op type 3 does not exist. */
static void bad_type(void *arg)
{
	struct drm_panthor_vm_bind_op op;

	(void)arg;
	fresh();
	op = map_op(0x1000000, 4096, 0);
	op.flags = 3u << 28;
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	done();
}

/* Synchronous ops may not carry syncs. */
static void sync_mode_with_syncs(void *arg)
{
	struct drm_panthor_sync_op s = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
	};
	struct drm_panthor_vm_bind_op op;

	(void)arg;
	fresh();
	igt_assert_err(drmSyncobjCreate(conf_fd, 0, &s.handle) ? -errno : 0, 0);
	op = map_op(0x1000000, 4096, 0);
	op.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &s);
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	drmSyncobjDestroy(conf_fd, s.handle);
	done();
}

/* An exclusive-VM BO cannot be mapped into another VM. */
static void exclusive_other_vm(void *arg)
{
	struct drm_panthor_vm_bind_op op;
	uint32_t other, excl;

	(void)arg;
	fresh();
	igt_assert_err(conf_vm_create(&other), 0);
	igt_assert_err(conf_bo_create(4096, 0, other, &excl), 0);
	op = map_op(0x1000000, 4096, 0);
	op.bo_handle = excl;
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	conf_gem_close(excl);
	conf_vm_destroy(other);
	done();
}

/* Each MAP flag of 1.0 is accepted on its own. */
static void map_flag(uint32_t flag)
{
	struct drm_panthor_vm_bind_op op;

	fresh();
	op = map_op(0x1000000, 8192, 0);
	op.flags |= flag;
	igt_assert_err(bind(0, &op, 1, NULL), 0);
	done();
}

static void map_readonly(void *arg) { (void)arg; map_flag(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY); }
static void map_noexec(void *arg) { (void)arg; map_flag(DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC); }
static void map_uncached(void *arg) { (void)arg; map_flag(DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED); }

/* Several ops in one call, then a partial unmap of a 2-page mapping. */
static void multi_ops_partial_unmap(void *arg)
{
	struct drm_panthor_vm_bind_op ops[2];

	(void)arg;
	fresh();
	ops[0] = map_op(0x1000000, 8192, 0);
	ops[1] = map_op(0x2000000, 4096, 4096);
	igt_assert_err(bind(0, ops, 2, NULL), 0);
	ops[0] = unmap_op(0x1001000, 4096);
	igt_assert_err(bind(0, ops, 1, NULL), 0);
	done();
}

/* VM_BIND on a destroyed VM id is EINVAL. */
static void destroyed_vm(void *arg)
{
	struct drm_panthor_vm_bind_op op;

	(void)arg;
	fresh();
	conf_vm_destroy(vm);
	op = map_op(0x1000000, 4096, 0);
	igt_assert_err(bind(0, &op, 1, NULL), EINVAL);
	conf_gem_close(bo);
}

/*
 * An asynchronous bind whose SIGNAL names a syncobj the file doesn't have is
 * EINVAL, the VM stays usable and the op was not applied (its range maps
 * afterwards). Panthor 6.12 oopses here: the failure path of
 * panthor_submit_ctx_add_sync_signal() puts a NULL syncobj, the path of
 * submit@group-submit-signal-unknown-syncobj (panthor-skips.txt).
 */
static void async_signal_unknown_syncobj(void *arg)
{
	struct drm_panthor_sync_op s = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ,
		.handle = 0x7fff,
	};
	struct drm_panthor_vm_get_state st = { 0 };
	struct drm_panthor_vm_bind_op op;

	(void)arg;
	fresh();
	op = map_op(0x1000000, 4096, 0);
	op.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &s);
	igt_assert_err(bind(DRM_PANTHOR_VM_BIND_ASYNC, &op, 1, NULL), EINVAL);
	st.vm_id = vm;
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &st), 0);
	igt_assert_eq(st.state, DRM_PANTHOR_VM_STATE_USABLE);
	op = map_op(0x1000000, 4096, 0);
	igt_assert_err(bind(0, &op, 1, NULL), 0);
	done();
}

static void setup(void)
{
	conf_add_rules("PANTHOR_VM_BIND");
	igt_add("vm-bind-map-unmap", map_unmap, NULL);
	igt_add("vm-bind-unaligned", unaligned, NULL);
	igt_add("vm-bind-beyond-bo", beyond_bo, NULL);
	igt_add("vm-bind-size-zero-noop", size_zero, NULL);
	igt_add("vm-bind-failing-op-index", failing_index, NULL);
	igt_add("vm-bind-unmap-with-bo-fields", unmap_with_bo, NULL);
	igt_add("vm-bind-sync-only-rules", sync_only_sync_mode, NULL);
	igt_add("vm-bind-unknown-flags-ignored", unknown_flags_ignored, NULL);
	igt_add("vm-bind-bad-op-type", bad_type, NULL);
	igt_add("vm-bind-sync-mode-with-syncs", sync_mode_with_syncs, NULL);
	igt_add("vm-bind-async-signal-unknown-syncobj", async_signal_unknown_syncobj, NULL);
	igt_add("vm-bind-exclusive-bo-other-vm", exclusive_other_vm, NULL);
	igt_add("vm-bind-map-readonly", map_readonly, NULL);
	igt_add("vm-bind-map-noexec", map_noexec, NULL);
	igt_add("vm-bind-map-uncached", map_uncached, NULL);
	igt_add("vm-bind-multiple-ops-partial-unmap", multi_ops_partial_unmap, NULL);
	igt_add("vm-bind-destroyed-vm", destroyed_vm, NULL);
}

int main(int argc, char **argv)
{
	return igt_run(argc, argv, setup);
}
