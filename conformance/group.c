// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Conformance: GROUP_CREATE, GROUP_DESTROY, GROUP_GET_STATE (Panthor 6.12). */
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>
#include <panthor_drm.h>

#include "igt.h"
#include "rules.h"

static uint32_t vm;

static int create(struct drm_panthor_queue_create *q, uint32_t nq,
		  void (*tweak)(struct drm_panthor_group_create *), uint32_t *g)
{
	struct drm_panthor_group_create c = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(nq, q),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM, .compute_core_mask = 1,
		.fragment_core_mask = 1, .tiler_core_mask = 1, .vm_id = vm,
	};
	int r;

	if (tweak)
		tweak(&c);
	r = conf_ioctl(DRM_IOCTL_PANTHOR_GROUP_CREATE, &c);
	*g = c.group_handle;
	if (!r)
		conf_group_destroy(*g);
	return r;
}

static struct drm_panthor_queue_create qs[33];

static void reset_queues(void)
{
	int i;

	for (i = 0; i < 33; i++)
		qs[i] = (struct drm_panthor_queue_create){ .priority = 1, .ringbuf_size = 4096 };
}

/*
 * 1..min(MAX_CS_PER_CSG = 32, the firmware's CS slots per group): the
 * ioctl checks 32 (panthor_drv.c), the scheduler cs_slot_count
 * (panthor_sched.c), which is 8 on a G610.
 */
static void queue_counts(void *arg)
{
	struct drm_panthor_csif_info info;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_CSIF_INFO, .size = sizeof(info),
		.pointer = (uintptr_t)&info,
	};
	uint32_t g, max;

	(void)arg;
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &q), 0);
	max = info.cs_slot_count < 32 ? info.cs_slot_count : 32;
	reset_queues();
	igt_assert_err(create(qs, 0, NULL, &g), EINVAL);
	igt_assert_err(create(qs, 1, NULL, &g), 0);
	igt_assert_err(create(qs, max, NULL, &g), 0);
	igt_assert_err(create(qs, max + 1, NULL, &g), EINVAL);
	igt_assert_err(create(qs, 33, NULL, &g), EINVAL);
}

static void ring_sizes(void *arg)
{
	static const struct { uint32_t size; int err; } t[] = {
		{ 4096, 0 }, { 65536, 0 }, { 2048, EINVAL }, { 131072, EINVAL },
		{ 12288, EINVAL }, { 0, EINVAL },
	};
	uint32_t g, i;

	(void)arg;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		reset_queues();
		qs[0].ringbuf_size = t[i].size;
		igt_assert_f(create(qs, 1, NULL, &g) == -t[i].err,
			     "ring size %u: expected %d", t[i].size, -t[i].err);
	}
}

static void queue_priority(void *arg)
{
	uint32_t g;

	(void)arg;
	reset_queues();
	qs[0].priority = 15;
	igt_assert_err(create(qs, 1, NULL, &g), 0);
	qs[0].priority = 16;
	igt_assert_err(create(qs, 1, NULL, &g), EINVAL);
}

static void prio_bad(struct drm_panthor_group_create *c) { c->priority = 3; }
static void mask_bad(struct drm_panthor_group_create *c) { c->compute_core_mask = 1ull << 40; }
static void cores_bad(struct drm_panthor_group_create *c) { c->max_compute_cores = 2; }
static void vm_bad(struct drm_panthor_group_create *c) { c->vm_id = 0x7fff; }

static void group_args(void *arg)
{
	uint32_t g;

	(void)arg;
	reset_queues();
	/* 1.0 has LOW/MEDIUM/HIGH; REALTIME (3) came with 1.2 */
	igt_assert_err(create(qs, 1, prio_bad, &g), EINVAL);
	igt_assert_err(create(qs, 1, mask_bad, &g), EINVAL);	/* not in shader_present */
	igt_assert_err(create(qs, 1, cores_bad, &g), EINVAL);	/* popcount(mask) < max */
	igt_assert_err(create(qs, 1, vm_bad, &g), EINVAL);
}

/* At most 128 groups per file (MAX_GROUPS_PER_POOL). */
static void limit_128(void *arg)
{
	struct drm_panthor_group_create c = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, qs),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_LOW, .compute_core_mask = 1,
		.fragment_core_mask = 1, .tiler_core_mask = 1, .vm_id = vm,
	};
	uint32_t g[129], i, n = 0;
	int r = 0;

	(void)arg;
	reset_queues();
	for (i = 0; i < 129 && !r; i++) {
		r = conf_ioctl(DRM_IOCTL_PANTHOR_GROUP_CREATE, &c);
		if (!r)
			g[n++] = c.group_handle;
	}
	for (i = 0; i < n; i++)
		conf_group_destroy(g[i]);
	igt_assert_eq(n, 128);
	igt_assert_f(r < 0, "group 129 was created");
}

static void get_state_fresh(void *arg)
{
	struct drm_panthor_group_get_state s;
	uint32_t g;

	(void)arg;
	igt_assert_err(conf_group_create(vm, 2, &g), 0);
	s = (struct drm_panthor_group_get_state){ .group_handle = g, .state = ~0u,
						  .fatal_queues = ~0u };
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s), 0);
	igt_assert_eq(s.state, 0);
	igt_assert_eq(s.fatal_queues, 0);
	conf_group_destroy(g);
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &s), EINVAL);
}

static void destroy_twice(void *arg)
{
	struct drm_panthor_group_destroy d;
	uint32_t g;

	(void)arg;
	igt_assert_err(conf_group_create(vm, 1, &g), 0);
	d = (struct drm_panthor_group_destroy){ .group_handle = g };
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d), 0);
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d), EINVAL);
}

static void prio_high(struct drm_panthor_group_create *c) { c->priority = PANTHOR_GROUP_PRIORITY_HIGH; }

/*
 * HIGH needs CAP_SYS_NICE or DRM master (group_priority_permit); a render
 * node is never master, so a child that dropped CAP_SYS_NICE gets EACCES
 * while LOW and MEDIUM still work.
 */
static void priority_permission(void *arg)
{
	pid_t pid;
	int status;
	uint32_t g;

	(void)arg;
	reset_queues();
	pid = fork();
	igt_assert(pid >= 0);
	if (!pid) {
		struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct d[2];

		if (syscall(SYS_capget, &h, d))
			_exit(10);
		d[CAP_SYS_NICE / 32].effective &= ~(1u << (CAP_SYS_NICE % 32));
		if (syscall(SYS_capset, &h, d))
			_exit(11);
		if (create(qs, 1, prio_high, &g) != -EACCES)
			_exit(12);
		if (create(qs, 1, NULL, &g))		/* MEDIUM */
			_exit(13);
		_exit(0);
	}
	igt_assert(waitpid(pid, &status, 0) == pid);
	igt_assert_f(WIFEXITED(status) && !WEXITSTATUS(status),
		     "child status %#x (12: HIGH without CAP_SYS_NICE was not EACCES, "
		     "13: MEDIUM failed, 10/11: capget/capset failed)", status);
	/* With the capability (root in the VM): allowed. */
	igt_assert_err(create(qs, 1, prio_high, &g), 0);
}

static void prio_low(struct drm_panthor_group_create *c) { c->priority = PANTHOR_GROUP_PRIORITY_LOW; }

static void priority_low_medium(void *arg)
{
	uint32_t g;

	(void)arg;
	reset_queues();
	igt_assert_err(create(qs, 1, prio_low, &g), 0);
	igt_assert_err(create(qs, 1, NULL, &g), 0);	/* MEDIUM */
}

static void setup(void)
{
	conf_add_rules("PANTHOR_GROUP_CREATE");
	conf_add_rules("PANTHOR_GROUP_DESTROY");
	conf_add_rules("PANTHOR_GROUP_GET_STATE");
	igt_add("group-create-queue-count-limits", queue_counts, NULL);
	igt_add("group-create-ring-sizes", ring_sizes, NULL);
	igt_add("group-create-queue-priority", queue_priority, NULL);
	igt_add("group-create-bad-arguments", group_args, NULL);
	igt_add("group-create-limit-128", limit_128, NULL);
	igt_add("group-get-state-fresh-and-destroyed", get_state_fresh, NULL);
	igt_add("group-destroy-twice", destroy_twice, NULL);
	igt_add("group-create-priority-permission", priority_permission, NULL);
	igt_add("group-create-priority-low-medium", priority_low_medium, NULL);
}

static void vm_setup(void)
{
	setup();
	if (conf_fd >= 0 && conf_vm_create(&vm))
		vm = 0;
}

int main(int argc, char **argv)
{
	return igt_run(argc, argv, vm_setup);
}
