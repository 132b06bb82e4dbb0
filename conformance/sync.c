// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Conformance: sync operations on GROUP_SUBMIT and VM_BIND (Panthor 6.12). */
#include <xf86drm.h>
#include <panthor_drm.h>

#include "igt.h"
#include "rules.h"

static uint32_t vm, group;

static int submit_syncs(struct drm_panthor_sync_op *s, uint32_t n)
{
	struct drm_panthor_queue_submit qs = { .syncs = DRM_PANTHOR_OBJ_ARRAY(n, s) };
	struct drm_panthor_group_submit gs = {
		.group_handle = group, .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	return conf_ioctl(DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);
}

static uint32_t syncobj(uint32_t flags)
{
	uint32_t h;

	igt_assert_err(drmSyncobjCreate(conf_fd, flags, &h) ? -errno : 0, 0);
	return h;
}

static bool signalled(uint32_t h)
{
	return !drmSyncobjWait(conf_fd, &h, 1, 0, 0, NULL);
}

static void fresh(void)
{
	igt_assert_err(conf_vm_create(&vm), 0);
	igt_assert_err(conf_group_create(vm, 1, &group), 0);
}

static void done(void)
{
	conf_group_destroy(group);
	conf_vm_destroy(vm);
}

/* An empty job signals its syncobj. */
static void signal_binary(void *arg)
{
	uint32_t h;
	struct drm_panthor_sync_op s;

	(void)arg;
	fresh();
	h = syncobj(0);
	s = (struct drm_panthor_sync_op){ .flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = h };
	igt_assert_err(submit_syncs(&s, 1), 0);
	igt_assert_err(drmSyncobjWait(conf_fd, &h, 1, INT64_MAX, 0, NULL) ? -errno : 0, 0);
	drmSyncobjDestroy(conf_fd, h);
	done();
}

/* A timeline syncobj gets the point the job signals. */
static void signal_timeline(void *arg)
{
	struct drm_panthor_sync_op s;
	uint64_t point = 0;
	uint32_t h;

	(void)arg;
	fresh();
	h = syncobj(0);
	s = (struct drm_panthor_sync_op){
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL | DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ,
		.handle = h, .timeline_value = 5 };
	igt_assert_err(submit_syncs(&s, 1), 0);
	igt_assert_err(drmSyncobjTimelineWait(conf_fd, &h, &point, 1, INT64_MAX, 0, NULL) ?
		       -errno : 0, 0);
	point = 5;
	igt_assert_err(drmSyncobjTimelineWait(conf_fd, &h, &point, 1, INT64_MAX, 0, NULL) ?
		       -errno : 0, 0);
	igt_assert_err(drmSyncobjQuery(conf_fd, &h, &point, 1) ? -errno : 0, 0);
	igt_assert_eq(point, 5);
	drmSyncobjDestroy(conf_fd, h);
	done();
}

/* A job waiting on a signalled syncobj runs and signals. */
static void wait_signalled(void *arg)
{
	struct drm_panthor_sync_op s[2];
	uint32_t in, out;

	(void)arg;
	fresh();
	in = syncobj(DRM_SYNCOBJ_CREATE_SIGNALED);
	out = syncobj(0);
	s[0] = (struct drm_panthor_sync_op){ .flags = DRM_PANTHOR_SYNC_OP_WAIT, .handle = in };
	s[1] = (struct drm_panthor_sync_op){ .flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = out };
	igt_assert_err(submit_syncs(s, 2), 0);
	igt_assert_err(drmSyncobjWait(conf_fd, &out, 1, INT64_MAX, 0, NULL) ? -errno : 0, 0);
	drmSyncobjDestroy(conf_fd, in);
	drmSyncobjDestroy(conf_fd, out);
	done();
}

/* Waiting on a syncobj without a fence is refused (no WAIT_FOR_SUBMIT). */
static void wait_no_fence(void *arg)
{
	struct drm_panthor_sync_op s;
	uint32_t h;

	(void)arg;
	fresh();
	h = syncobj(0);
	s = (struct drm_panthor_sync_op){ .flags = DRM_PANTHOR_SYNC_OP_WAIT, .handle = h };
	igt_assert_f(submit_syncs(&s, 1) < 0, "a WAIT on a syncobj without a fence was accepted");
	drmSyncobjDestroy(conf_fd, h);
	done();
}

/* Jobs of one queue signal in order. */
static void order_within_queue(void *arg)
{
	struct drm_panthor_sync_op s;
	uint32_t h[4], i;

	(void)arg;
	fresh();
	for (i = 0; i < 4; i++) {
		h[i] = syncobj(0);
		s = (struct drm_panthor_sync_op){ .flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = h[i] };
		igt_assert_err(submit_syncs(&s, 1), 0);
	}
	igt_assert_err(drmSyncobjWait(conf_fd, &h[3], 1, INT64_MAX, 0, NULL) ? -errno : 0, 0);
	for (i = 0; i < 4; i++) {
		igt_assert_f(signalled(h[i]), "job %u not signalled after job 3", i);
		drmSyncobjDestroy(conf_fd, h[i]);
	}
	done();
}

/* An async VM_BIND signals; a SYNC_ONLY op orders fences. */
static void vm_bind_async_signal(void *arg)
{
	struct drm_panthor_sync_op s;
	struct drm_panthor_vm_bind_op op;
	struct drm_panthor_vm_bind b;
	uint32_t h, bo;

	(void)arg;
	fresh();
	h = syncobj(0);
	igt_assert_err(conf_bo_create(4096, 0, 0, &bo), 0);
	s = (struct drm_panthor_sync_op){ .flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = h };
	op = (struct drm_panthor_vm_bind_op){
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .bo_handle = bo, .va = 0x1000000,
		.size = 4096, .syncs = DRM_PANTHOR_OBJ_ARRAY(1, &s) };
	b = (struct drm_panthor_vm_bind){ .vm_id = vm, .flags = DRM_PANTHOR_VM_BIND_ASYNC,
					  .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_VM_BIND, &b), 0);
	igt_assert_err(drmSyncobjWait(conf_fd, &h, 1, INT64_MAX, 0, NULL) ? -errno : 0, 0);
	drmSyncobjDestroy(conf_fd, h);
	conf_gem_close(bo);
	done();
}

static void setup(void)
{
	igt_add("sync-signal-binary", signal_binary, NULL);
	igt_add("sync-signal-timeline-point", signal_timeline, NULL);
	igt_add("sync-wait-signalled", wait_signalled, NULL);
	igt_add("sync-wait-without-fence-refused", wait_no_fence, NULL);
	igt_add("sync-order-within-queue", order_within_queue, NULL);
	igt_add("sync-vm-bind-async-signal", vm_bind_async_signal, NULL);
}

int main(int argc, char **argv)
{
	return igt_run(argc, argv, setup);
}
