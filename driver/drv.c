// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: the DRM driver - Panthor uAPI 1.0 ioctls, the platform driver
 * and the module.
 *
 * Registers as DRM driver "panthor" 1.0, so Panthor's userspace and tests
 * use it unchanged. Each ioctl checks its arguments in the order Panthor
 * 6.12 does and returns the same error codes (panthor_drv.c).
 *
 * Shape shared with Panthor: the submission context of GROUP_SUBMIT and
 * asynchronous VM_BIND takes the same steps in the same order as
 * Panthor's panthor_submit_ctx (every signal operation of the batch
 * collected first, reservations locked, dependencies added and jobs armed
 * one by one, then everything pushed and published), because the uAPI
 * lets a job wait on a signal of an earlier job of the same call and
 * drm_sched wants arm and push under one lock; the uobj helpers implement
 * the PANTHOR_UOBJ_* copy rules. That code was written for panref, not
 * copied; Panthor is GPL-2.0 or MIT (Copyright 2019-2023 Collabora ltd.,
 * Linaro, Marty E. Plummer), and those terms apply to what follows it.
 */
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/overflow.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_auth.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_syncobj.h>
#include <drm/drm_utils.h>
#include <drm/gpu_scheduler.h>

#include "panref.h"

struct workqueue_struct *panref_cleanup_wq;

/* ---- test knob (PANREF_TEST builds only) ----------------------------------- */

#ifdef PANREF_TEST
/*
 * deviate=NAME[,NAME...] (test only): make panref differ from Panthor on
 * purpose, so tests can prove that a comparison is able to fail. Empty by
 * default; also writable at run time through
 * /sys/module/panref/parameters/deviate. Unknown names are refused.
 */
static const char *const panref_deviation_names[PANREF_DEV_COUNT] = {
	[PANREF_DEV_BO_CREATE_PAD_ERRNO] = "bo_create_pad_errno",
	[PANREF_DEV_QUERY_GPU_REV] = "query_gpu_rev",
};

static unsigned long panref_deviations;
static char panref_deviate_str[128];

static int panref_deviate_set(const char *val, const struct kernel_param *kp)
{
	char buf[sizeof(panref_deviate_str)], *p, *tok;
	unsigned long mask = 0;
	int i;

	if (strscpy(buf, val, sizeof(buf)) < 0)
		return -E2BIG;
	p = strim(buf);
	strscpy(panref_deviate_str, p, sizeof(panref_deviate_str));
	while ((tok = strsep(&p, ","))) {
		if (!*tok)
			continue;
		i = match_string(panref_deviation_names, PANREF_DEV_COUNT, tok);
		if (i < 0) {
			pr_err("panref: deviate: unknown deviation \"%s\"\n", tok);
			panref_deviate_str[0] = '\0';
			WRITE_ONCE(panref_deviations, 0);
			return -EINVAL;
		}
		mask |= BIT(i);
	}
	WRITE_ONCE(panref_deviations, mask);
	if (mask)
		pr_info("panref: deviating from Panthor on purpose (test only): %s\n",
			panref_deviate_str);
	return 0;
}

static int panref_deviate_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n", panref_deviate_str);
}

static const struct kernel_param_ops panref_deviate_ops = {
	.set = panref_deviate_set,
	.get = panref_deviate_get,
};

module_param_cb(deviate, &panref_deviate_ops, NULL, 0644);
MODULE_PARM_DESC(deviate,
		 "TEST ONLY: deviate from Panthor on purpose, comma-separated: bo_create_pad_errno (BO_CREATE with pad != 0 gives EFAULT, not EINVAL), query_gpu_rev (GPU_INFO.gpu_rev + 1)");

bool panref_deviate(enum panref_deviation d)
{
	return READ_ONCE(panref_deviations) & BIT(d);
}
#endif /* PANREF_TEST */

/* ---- user object helpers (PANTHOR_UOBJ_* semantics) ----------------------- */

/*
 * Copy a kernel object out: at least @min bytes must be asked for; the
 * common part is copied and a larger user object is zero-filled.
 */
static int panref_uobj_set(u64 uptr, u32 usize, u32 min, u32 ksize, const void *obj)
{
	if (usize < min)
		return -EINVAL;
	if (copy_to_user(u64_to_user_ptr(uptr), obj, min(usize, ksize)))
		return -EFAULT;
	if (usize > ksize && clear_user(u64_to_user_ptr(uptr + ksize), usize - ksize))
		return -EFAULT;
	return 0;
}

/*
 * What the object arrays of one ioctl may take in kernel memory, all
 * arrays together (a GROUP_SUBMIT's queue_submits and every job's sync ops,
 * with its job table): 64 MiB. No client comes near it (Mesa submits a
 * few jobs with a few sync ops each); past it the ioctl fails with ENOMEM
 * before allocating. Panthor 6.12 bounds each array only by INT_MAX bytes,
 * so one call can make the kernel allocate gigabytes (a warning, or the
 * OOM killer; fuzz/known-bugs.txt obj-array-huge-alloc). What is allocated
 * is charged to the caller's memory cgroup (GFP_KERNEL_ACCOUNT).
 */
#define PANREF_UOBJ_BUDGET	SZ_64M

/*
 * Copy an object array in. Count 0 gives NULL; a stride below the minimum
 * is EINVAL; another stride copies element by element (copy_struct_from_
 * user: bytes beyond the kernel's struct must be zero, else E2BIG). The
 * array's bytes come off @budget; ENOMEM when they do not fit.
 */
static void *panref_uobj_get_array(const struct drm_panthor_obj_array *in, u32 min,
				   u32 ksize, size_t *budget)
{
	void __user *uptr = u64_to_user_ptr(in->array);
	size_t bytes;
	void *out;
	u32 i;
	int ret = 0;

	if (!in->count)
		return NULL;
	if (in->stride < min)
		return ERR_PTR(-EINVAL);
	/*
	 * Panthor 6.12 hands any size to kvmalloc_array(), which WARNs past
	 * INT_MAX bytes and fails; panref fails past its budget, silently.
	 */
	if (check_mul_overflow((size_t)in->count, (size_t)ksize, &bytes) || bytes > *budget)
		return ERR_PTR(-ENOMEM);
	out = kvmalloc(bytes, GFP_KERNEL_ACCOUNT);
	if (!out)
		return ERR_PTR(-ENOMEM);
	*budget -= bytes;

	if (in->stride == ksize) {
		if (copy_from_user(out, uptr, bytes))
			ret = -EFAULT;
	} else {
		for (i = 0; i < in->count && !ret; i++) {
			/* Up to millions of small copies: let others run. */
			if (!(i % 4096)) {
				if (fatal_signal_pending(current)) {
					ret = -EINTR;
					break;
				}
				cond_resched();
			}
			ret = copy_struct_from_user(out + (size_t)i * ksize, ksize,
						    uptr + (size_t)i * in->stride,
						    in->stride);
		}
	}
	if (ret) {
		kvfree(out);
		return ERR_PTR(ret);
	}
	return out;
}

#define PANREF_MIN_SIZE(type, last) offsetofend(type, last)

/* ---- submission context: sync objects, jobs, resv locking --------------- */

struct panref_sync_signal {
	struct list_head node;
	u32 handle;
	u64 point;
	struct drm_syncobj *syncobj;
	struct dma_fence_chain *chain;
	struct dma_fence *fence;
};

struct panref_submit_job {
	struct drm_sched_job *job;
	struct drm_panthor_sync_op *syncs;
	u32 nsyncs;
};

struct panref_submit {
	struct drm_file *file;
	struct list_head signals;
	struct panref_submit_job *jobs;
	u32 njobs;
	size_t uobj_budget;
	struct drm_exec exec;
};

#define PANREF_SYNC_OP_FLAGS (DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK | DRM_PANTHOR_SYNC_OP_SIGNAL)

static bool panref_sync_is_signal(const struct drm_panthor_sync_op *op)
{
	return op->flags & DRM_PANTHOR_SYNC_OP_SIGNAL;
}

static int panref_check_sync_op(const struct drm_panthor_sync_op *op)
{
	u32 type = op->flags & DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK;

	if (op->flags & ~PANREF_SYNC_OP_FLAGS)
		return -EINVAL;
	if (type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ &&
	    type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ)
		return -EINVAL;
	if (type == DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ && op->timeline_value)
		return -EINVAL;
	return 0;
}

static void panref_sync_signal_free(struct panref_sync_signal *s)
{
	if (s->syncobj)
		drm_syncobj_put(s->syncobj);
	dma_fence_chain_free(s->chain);
	dma_fence_put(s->fence);
	kfree(s);
}

static struct panref_sync_signal *panref_submit_find_signal(struct panref_submit *ctx, u32 handle,
						    u64 point)
{
	struct panref_sync_signal *s;

	list_for_each_entry(s, &ctx->signals, node)
		if (s->handle == handle && s->point == point)
			return s;
	return NULL;
}

/* Record a signal operation; an unknown syncobj is EINVAL (Panthor 6.12). */
static int panref_submit_add_signal(struct panref_submit *ctx, u32 handle, u64 point)
{
	struct panref_sync_signal *s;
	struct dma_fence *cur;

	if (panref_submit_find_signal(ctx, handle, point))
		return 0;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->handle = handle;
	s->point = point;
	if (point) {
		s->chain = dma_fence_chain_alloc();
		if (!s->chain) {
			panref_sync_signal_free(s);
			return -ENOMEM;
		}
	}
	s->syncobj = drm_syncobj_find(ctx->file, handle);
	if (!s->syncobj) {
		panref_sync_signal_free(s);
		return -EINVAL;
	}
	/* The point's current fence, if any: waits in this batch see it. */
	if (!drm_syncobj_find_fence(ctx->file, handle, point, 0, &cur))
		s->fence = cur;
	list_add_tail(&s->node, &ctx->signals);
	return 0;
}

/* @budget: what the ioctl's top array left of PANREF_UOBJ_BUDGET. */
static int panref_submit_init(struct panref_submit *ctx, struct drm_file *file, u32 njobs,
			      size_t budget)
{
	size_t bytes = array_size(njobs, sizeof(*ctx->jobs));

	if (bytes > budget)
		return -ENOMEM;
	ctx->jobs = kvzalloc(bytes, GFP_KERNEL_ACCOUNT);
	if (!ctx->jobs)
		return -ENOMEM;
	ctx->uobj_budget = budget - bytes;
	ctx->file = file;
	ctx->njobs = njobs;
	INIT_LIST_HEAD(&ctx->signals);
	drm_exec_init(&ctx->exec, DRM_EXEC_INTERRUPTIBLE_WAIT | DRM_EXEC_IGNORE_DUPLICATES, 0);
	return 0;
}

static void panref_submit_fini(struct panref_submit *ctx, void (*job_put)(struct drm_sched_job *))
{
	struct panref_sync_signal *s, *tmp;
	u32 i;

	drm_exec_fini(&ctx->exec);
	list_for_each_entry_safe(s, tmp, &ctx->signals, node)
		panref_sync_signal_free(s);
	for (i = 0; i < ctx->njobs; i++) {
		if (ctx->jobs[i].job)
			job_put(ctx->jobs[i].job);
		kvfree(ctx->jobs[i].syncs);
	}
	kvfree(ctx->jobs);
}

static int panref_submit_set_job(struct panref_submit *ctx, u32 i, struct drm_sched_job *job,
			     const struct drm_panthor_obj_array *syncs)
{
	struct drm_panthor_sync_op *ops;

	ctx->jobs[i].job = job;
	ops = panref_uobj_get_array(syncs, PANREF_MIN_SIZE(struct drm_panthor_sync_op, timeline_value),
				    sizeof(*ops), &ctx->uobj_budget);
	if (IS_ERR(ops))
		return PTR_ERR(ops);
	ctx->jobs[i].syncs = ops;
	ctx->jobs[i].nsyncs = syncs->count;
	return 0;
}

/* All signal operations of all jobs first, so later jobs can wait on them. */
static int panref_submit_collect_signals(struct panref_submit *ctx)
{
	u32 i, j;
	int ret;

	for (i = 0; i < ctx->njobs; i++) {
		for (j = 0; j < ctx->jobs[i].nsyncs; j++) {
			const struct drm_panthor_sync_op *op = &ctx->jobs[i].syncs[j];

			if (!panref_sync_is_signal(op))
				continue;
			ret = panref_check_sync_op(op);
			if (ret)
				return ret;
			ret = panref_submit_add_signal(ctx, op->handle, op->timeline_value);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Per job: its waits become dependencies, it is armed, its fence recorded. */
static int panref_submit_arm_jobs(struct panref_submit *ctx)
{
	u32 i, j;
	int ret;

	for (i = 0; i < ctx->njobs; i++) {
		struct panref_submit_job *sj = &ctx->jobs[i];
		struct dma_fence *done;

		for (j = 0; j < sj->nsyncs; j++) {
			const struct drm_panthor_sync_op *op = &sj->syncs[j];
			struct panref_sync_signal *s;
			struct dma_fence *fence;

			if (panref_sync_is_signal(op))
				continue;
			ret = panref_check_sync_op(op);
			if (ret)
				return ret;
			s = panref_submit_find_signal(ctx, op->handle, op->timeline_value);
			if (s) {
				if (!s->fence)
					return -EINVAL;
				fence = dma_fence_get(s->fence);
			} else {
				ret = drm_syncobj_find_fence(ctx->file, op->handle,
							     op->timeline_value, 0, &fence);
				if (ret)
					return ret;
			}
			ret = drm_sched_job_add_dependency(sj->job, fence);
			if (ret)
				return ret;
		}

		drm_sched_job_arm(sj->job);
		done = &sj->job->s_fence->finished;
		for (j = 0; j < sj->nsyncs; j++) {
			const struct drm_panthor_sync_op *op = &sj->syncs[j];
			struct panref_sync_signal *s;

			if (!panref_sync_is_signal(op))
				continue;
			s = panref_submit_find_signal(ctx, op->handle, op->timeline_value);
			if (WARN_ON(!s))
				return -EINVAL;
			dma_fence_put(s->fence);
			s->fence = dma_fence_get(done);
		}
	}
	return 0;
}

/* Nothing fails from here: push the jobs, then publish the fences. */
static void panref_submit_push(struct panref_submit *ctx,
			   void (*upd)(struct drm_exec *, struct drm_sched_job *))
{
	struct panref_sync_signal *s;
	u32 i;

	for (i = 0; i < ctx->njobs; i++) {
		upd(&ctx->exec, ctx->jobs[i].job);
		drm_sched_entity_push_job(ctx->jobs[i].job);
		ctx->jobs[i].job = NULL;
	}
	list_for_each_entry(s, &ctx->signals, node) {
		if (s->chain) {
			drm_syncobj_add_point(s->syncobj, s->chain, s->fence, s->point);
			s->chain = NULL;
		} else {
			drm_syncobj_replace_fence(s->syncobj, s->fence);
		}
	}
}

/*
 * The common tail of asynchronous VM_BIND and GROUP_SUBMIT: every signal
 * operation collected, the reservations @lock names locked (drm_exec
 * retries it on contention), dependencies added and jobs armed, then
 * everything pushed and published with @upd.
 */
static int panref_submit_run(struct panref_submit *ctx, int (*lock)(struct panref_submit *ctx),
			     void (*upd)(struct drm_exec *, struct drm_sched_job *))
{
	int ret;

	ret = panref_submit_collect_signals(ctx);
	if (ret)
		return ret;
	drm_exec_until_all_locked(&ctx->exec) {
		ret = lock(ctx);
		drm_exec_retry_on_contention(&ctx->exec);
		if (ret)
			return ret;
	}
	ret = panref_submit_arm_jobs(ctx);
	if (ret)
		return ret;
	panref_submit_push(ctx, upd);
	return 0;
}

/* ---- ioctls ------------------------------------------------------------------ */

static int panref_ioctl_dev_query(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct panref_device *prdev = to_pr_device(ddev);
	struct drm_panthor_dev_query *args = data;
	struct drm_panthor_gpu_info gi;

	/* A null pointer asks for the size; unknown types are EINVAL. */
	if (!args->pointer) {
		switch (args->type) {
		case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
			args->size = sizeof(prdev->gpu_info);
			return 0;
		case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
			args->size = sizeof(prdev->csif_info);
			return 0;
		default:
			return -EINVAL;
		}
	}

	switch (args->type) {
	case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
		gi = prdev->gpu_info;
		if (panref_deviate(PANREF_DEV_QUERY_GPU_REV))
			gi.gpu_rev++;
		return panref_uobj_set(args->pointer, args->size,
				   PANREF_MIN_SIZE(struct drm_panthor_gpu_info, tiler_present),
				   sizeof(gi), &gi);
	case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
		return panref_uobj_set(args->pointer, args->size,
				   PANREF_MIN_SIZE(struct drm_panthor_csif_info, pad),
				   sizeof(prdev->csif_info), &prdev->csif_info);
	default:
		return -EINVAL;
	}
}

static int panref_ioctl_vm_create(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct panref_file *pfile = file->driver_priv;
	struct drm_panthor_vm_create *args = data;
	int cookie, ret;

	if (!drm_dev_enter(ddev, &cookie))
		return -ENODEV;
	ret = panref_vm_pool_create_vm(to_pr_device(ddev), pfile->vms, args);
	if (ret >= 0) {
		args->id = ret;
		ret = 0;
	}
	drm_dev_exit(cookie);
	return ret;
}

static int panref_ioctl_vm_destroy(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct panref_file *pfile = file->driver_priv;
	struct drm_panthor_vm_destroy *args = data;

	if (args->pad)
		return -EINVAL;
	return panref_vm_pool_destroy_vm(pfile->vms, args->id);
}

/* Asynchronous VM_BIND: the VM's reservation and each op's BO. */
static int panref_bind_lock(struct panref_submit *ctx)
{
	u32 i;
	int ret;

	for (i = 0; i < ctx->njobs; i++) {
		ret = panref_vm_bind_job_prepare_resvs(&ctx->exec, ctx->jobs[i].job);
		if (ret)
			return ret;
	}
	return 0;
}

static int panref_ioctl_vm_bind_async(struct drm_file *file, struct drm_panthor_vm_bind *args)
{
	struct panref_file *pfile = file->driver_priv;
	struct drm_panthor_vm_bind_op *ops;
	size_t budget = PANREF_UOBJ_BUDGET;
	struct panref_submit ctx;
	struct panref_vm *vm;
	u32 i;
	int ret;

	vm = panref_vm_pool_get_vm(pfile->vms, args->vm_id);
	if (!vm)
		return -EINVAL;
	ops = panref_uobj_get_array(&args->ops, PANREF_MIN_SIZE(struct drm_panthor_vm_bind_op, syncs),
				    sizeof(*ops), &budget);
	if (IS_ERR(ops)) {
		ret = PTR_ERR(ops);
		goto out_put_vm;
	}
	ret = panref_submit_init(&ctx, file, args->ops.count, budget);
	if (ret)
		goto out_free_ops;

	for (i = 0; i < args->ops.count; i++) {
		struct drm_sched_job *job = panref_vm_bind_job_create(file, vm, &ops[i]);

		if (IS_ERR(job)) {
			ret = PTR_ERR(job);
			goto out_fini;
		}
		ret = panref_submit_set_job(&ctx, i, job, &ops[i].syncs);
		if (ret)
			goto out_fini;
	}

	ret = panref_submit_run(&ctx, panref_bind_lock, panref_vm_bind_job_update_resvs);
out_fini:
	panref_submit_fini(&ctx, panref_vm_bind_job_put);
out_free_ops:
	kvfree(ops);
out_put_vm:
	panref_vm_put(vm);
	return ret;
}

static int panref_ioctl_vm_bind_sync(struct drm_file *file, struct drm_panthor_vm_bind *args)
{
	struct panref_file *pfile = file->driver_priv;
	struct drm_panthor_vm_bind_op *ops;
	size_t budget = PANREF_UOBJ_BUDGET;
	struct panref_vm *vm;
	int ret = 0;
	u32 i;

	vm = panref_vm_pool_get_vm(pfile->vms, args->vm_id);
	if (!vm)
		return -EINVAL;
	ops = panref_uobj_get_array(&args->ops, PANREF_MIN_SIZE(struct drm_panthor_vm_bind_op, syncs),
				    sizeof(*ops), &budget);
	if (IS_ERR(ops)) {
		ret = PTR_ERR(ops);
		goto out_put_vm;
	}
	for (i = 0; i < args->ops.count; i++) {
		ret = panref_vm_bind_exec_sync_op(file, vm, &ops[i]);
		if (ret) {
			/* Tell userspace which op failed (Panthor 6.12 does). */
			args->ops.count = i;
			break;
		}
	}
	kvfree(ops);
out_put_vm:
	panref_vm_put(vm);
	return ret;
}

static int panref_ioctl_vm_bind(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct drm_panthor_vm_bind *args = data;
	int cookie, ret;

	if (!drm_dev_enter(ddev, &cookie))
		return -ENODEV;
	/* Flags other than ASYNC are ignored, as in Panthor 6.12. */
	if (args->flags & DRM_PANTHOR_VM_BIND_ASYNC)
		ret = panref_ioctl_vm_bind_async(file, args);
	else
		ret = panref_ioctl_vm_bind_sync(file, args);
	drm_dev_exit(cookie);
	return ret;
}

static int panref_ioctl_vm_get_state(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct panref_file *pfile = file->driver_priv;
	struct drm_panthor_vm_get_state *args = data;
	struct panref_vm *vm = panref_vm_pool_get_vm(pfile->vms, args->vm_id);

	if (!vm)
		return -EINVAL;
	args->state = vm->unusable ? DRM_PANTHOR_VM_STATE_UNUSABLE :
				     DRM_PANTHOR_VM_STATE_USABLE;
	panref_vm_put(vm);
	return 0;
}

static int panref_ioctl_bo_create(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct panref_file *pfile = file->driver_priv;
	struct drm_panthor_bo_create *args = data;
	struct panref_vm *vm = NULL;
	int cookie, ret;

	if (!drm_dev_enter(ddev, &cookie))
		return -ENODEV;

	if (args->pad && panref_deviate(PANREF_DEV_BO_CREATE_PAD_ERRNO)) {
		ret = -EFAULT;	/* the test knob's deliberate difference */
		goto out;
	}
	if (!args->size || args->pad || (args->flags & ~DRM_PANTHOR_BO_NO_MMAP)) {
		ret = -EINVAL;
		goto out;
	}
	if (args->exclusive_vm_id) {
		vm = panref_vm_pool_get_vm(pfile->vms, args->exclusive_vm_id);
		if (!vm) {
			ret = -EINVAL;
			goto out;
		}
	}
	ret = panref_gem_create_with_handle(file, ddev, vm, &args->size, args->flags,
					&args->handle);
	panref_vm_put(vm);
out:
	drm_dev_exit(cookie);
	return ret;
}

/* Panthor 6.12 hands out offsets even for NO_MMAP BOs; mmap() refuses. */
static int panref_ioctl_bo_mmap_offset(struct drm_device *ddev, void *data,
				   struct drm_file *file)
{
	struct drm_panthor_bo_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	ret = drm_gem_create_mmap_offset(obj);
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return ret;
}

/* GROUP_SUBMIT: one group, one VM, whose resv serialises arming and pushing. */
static int panref_group_submit_lock(struct panref_submit *ctx)
{
	if (!ctx->njobs)
		return 0;
	return panref_vm_prepare_mapped_bos_resvs(&ctx->exec, panref_job_vm(ctx->jobs[0].job),
						  ctx->njobs);
}

static int panref_ioctl_group_submit(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct panref_file *pfile = file->driver_priv;
	struct drm_panthor_group_submit *args = data;
	struct drm_panthor_queue_submit *qsubmits;
	size_t budget = PANREF_UOBJ_BUDGET;
	struct panref_submit ctx;
	int ret, cookie;
	u32 i;

	if (args->pad)
		return -EINVAL;
	if (!drm_dev_enter(ddev, &cookie))
		return -ENODEV;
	qsubmits = panref_uobj_get_array(&args->queue_submits,
					 PANREF_MIN_SIZE(struct drm_panthor_queue_submit, syncs),
					 sizeof(*qsubmits), &budget);
	if (IS_ERR(qsubmits)) {
		ret = PTR_ERR(qsubmits);
		goto out_exit;
	}
	ret = panref_submit_init(&ctx, file, args->queue_submits.count, budget);
	if (ret)
		goto out_free;

	for (i = 0; i < args->queue_submits.count; i++) {
		struct drm_sched_job *job;

		job = panref_job_create(pfile, args->group_handle, &qsubmits[i],
					file->client_id);
		if (IS_ERR(job)) {
			ret = PTR_ERR(job);
			goto out_fini;
		}
		ret = panref_submit_set_job(&ctx, i, job, &qsubmits[i].syncs);
		if (ret)
			goto out_fini;
	}

	ret = panref_submit_run(&ctx, panref_group_submit_lock, panref_job_update_resvs);
out_fini:
	panref_submit_fini(&ctx, panref_job_put);
out_free:
	kvfree(qsubmits);
out_exit:
	drm_dev_exit(cookie);
	return ret;
}

static int panref_ioctl_group_destroy(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct drm_panthor_group_destroy *args = data;

	if (args->pad)
		return -EINVAL;
	return panref_group_destroy(file->driver_priv, args->group_handle);
}

/* LOW and MEDIUM for everyone; HIGH needs CAP_SYS_NICE or DRM master. */
static int panref_group_priority_allowed(struct drm_file *file, u8 priority)
{
	if (priority > PANTHOR_GROUP_PRIORITY_HIGH)
		return -EINVAL;
	if (priority <= PANTHOR_GROUP_PRIORITY_MEDIUM)
		return 0;
	if (capable(CAP_SYS_NICE) || drm_is_current_master(file))
		return 0;
	return -EACCES;
}

static int panref_ioctl_group_create(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct drm_panthor_group_create *args = data;
	struct drm_panthor_queue_create *qargs;
	size_t budget = PANREF_UOBJ_BUDGET;
	int ret, cookie;

	if (!args->queues.count || args->queues.count > PANREF_FW_MAX_CS_PER_CSG)
		return -EINVAL;
	qargs = panref_uobj_get_array(&args->queues,
				      PANREF_MIN_SIZE(struct drm_panthor_queue_create, ringbuf_size),
				      sizeof(*qargs), &budget);
	if (IS_ERR(qargs))
		return PTR_ERR(qargs);
	ret = panref_group_priority_allowed(file, args->priority);
	/* A group needs the firmware's VM: not once the device is gone. */
	if (!ret) {
		if (drm_dev_enter(ddev, &cookie)) {
			ret = panref_group_create(file->driver_priv, args, qargs);
			drm_dev_exit(cookie);
		} else {
			ret = -ENODEV;
		}
	}
	if (ret >= 0) {
		args->group_handle = ret;
		ret = 0;
	}
	kvfree(qargs);
	return ret;
}

static int panref_ioctl_group_get_state(struct drm_device *ddev, void *data,
					struct drm_file *file)
{
	return panref_group_get_state(file->driver_priv, data);
}

static int panref_ioctl_tiler_heap_create(struct drm_device *ddev, void *data,
					  struct drm_file *file)
{
	struct panref_file *pfile = file->driver_priv;
	struct drm_panthor_tiler_heap_create *args = data;
	struct panref_heap_pool *pool;
	struct panref_vm *vm;
	int ret;

	vm = panref_vm_pool_get_vm(pfile->vms, args->vm_id);
	if (!vm)
		return -EINVAL;
	pool = panref_vm_get_heap_pool(vm, true);
	if (IS_ERR(pool)) {
		ret = PTR_ERR(pool);
		goto out_put_vm;
	}
	ret = panref_heap_create(pool, args->initial_chunk_count, args->chunk_size,
				 args->max_chunks, args->target_in_flight,
				 &args->tiler_heap_ctx_gpu_va, &args->first_heap_chunk_gpu_va);
	if (ret >= 0) {
		/* The handle names the VM and the heap within it. */
		args->handle = (args->vm_id << 16) | ret;
		ret = 0;
	}
	panref_heap_pool_put(pool);
out_put_vm:
	panref_vm_put(vm);
	return ret;
}

static int panref_ioctl_tiler_heap_destroy(struct drm_device *ddev, void *data,
					   struct drm_file *file)
{
	struct panref_file *pfile = file->driver_priv;
	struct drm_panthor_tiler_heap_destroy *args = data;
	struct panref_heap_pool *pool;
	struct panref_vm *vm;
	int ret;

	if (args->pad)
		return -EINVAL;
	vm = panref_vm_pool_get_vm(pfile->vms, args->handle >> 16);
	if (!vm)
		return -EINVAL;
	pool = panref_vm_get_heap_pool(vm, false);
	if (IS_ERR(pool)) {
		ret = PTR_ERR(pool);
		goto out_put_vm;
	}
	ret = panref_heap_destroy(pool, args->handle & GENMASK(15, 0));
	panref_heap_pool_put(pool);
out_put_vm:
	panref_vm_put(vm);
	return ret;
}

#define PANREF_IOCTL(n, func) \
	DRM_IOCTL_DEF_DRV(PANTHOR_##n, func, DRM_RENDER_ALLOW)

static const struct drm_ioctl_desc panref_ioctls[] = {
	PANREF_IOCTL(DEV_QUERY, panref_ioctl_dev_query),
	PANREF_IOCTL(VM_CREATE, panref_ioctl_vm_create),
	PANREF_IOCTL(VM_DESTROY, panref_ioctl_vm_destroy),
	PANREF_IOCTL(VM_BIND, panref_ioctl_vm_bind),
	PANREF_IOCTL(VM_GET_STATE, panref_ioctl_vm_get_state),
	PANREF_IOCTL(BO_CREATE, panref_ioctl_bo_create),
	PANREF_IOCTL(BO_MMAP_OFFSET, panref_ioctl_bo_mmap_offset),
	PANREF_IOCTL(GROUP_CREATE, panref_ioctl_group_create),
	PANREF_IOCTL(GROUP_DESTROY, panref_ioctl_group_destroy),
	PANREF_IOCTL(GROUP_GET_STATE, panref_ioctl_group_get_state),
	PANREF_IOCTL(TILER_HEAP_CREATE, panref_ioctl_tiler_heap_create),
	PANREF_IOCTL(TILER_HEAP_DESTROY, panref_ioctl_tiler_heap_destroy),
	PANREF_IOCTL(GROUP_SUBMIT, panref_ioctl_group_submit),
};

/* ---- file operations ---------------------------------------------------------- */

static int panref_open(struct drm_device *ddev, struct drm_file *file)
{
	struct panref_file *pfile;
	int ret;

	if (!try_module_get(THIS_MODULE))
		return -EINVAL;
	pfile = kzalloc(sizeof(*pfile), GFP_KERNEL);
	if (!pfile) {
		ret = -ENOMEM;
		goto err_put;
	}
	pfile->prdev = to_pr_device(ddev);
	panref_kcov_note_opener(pfile->prdev);
	ret = panref_vm_pool_create(&pfile->vms);
	if (ret)
		goto err_free;
	ret = panref_group_pool_create(pfile);
	if (ret)
		goto err_vms;
	file->driver_priv = pfile;
	return 0;

err_vms:
	panref_vm_pool_destroy(pfile->vms);
err_free:
	kfree(pfile);
err_put:
	module_put(THIS_MODULE);
	return ret;
}

static void panref_postclose(struct drm_device *ddev, struct drm_file *file)
{
	struct panref_file *pfile = file->driver_priv;

	/* Groups first: they hold their VMs. */
	panref_group_pool_destroy(pfile);
	panref_vm_pool_destroy(pfile->vms);
	kfree(pfile);
	module_put(THIS_MODULE);
}

/* GEM objects below DRM_PANTHOR_USER_MMIO_OFFSET, the MMIO window above. */
static int panref_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct drm_file *file = filp->private_data;
	u64 offset = (u64)vma->vm_pgoff << PAGE_SHIFT;
	int cookie, ret;

	if (!drm_dev_enter(file->minor->dev, &cookie))
		return -ENODEV;
#ifdef CONFIG_ARM64
	/* 32-bit processes cannot pass 1 << 56: they use 1 << 43. */
	if (test_tsk_thread_flag(current, TIF_32BIT) &&
	    offset >= DRM_PANTHOR_USER_MMIO_OFFSET_32BIT) {
		offset += DRM_PANTHOR_USER_MMIO_OFFSET_64BIT -
			  DRM_PANTHOR_USER_MMIO_OFFSET_32BIT;
		vma->vm_pgoff = offset >> PAGE_SHIFT;
	}
#endif
	if (offset >= DRM_PANTHOR_USER_MMIO_OFFSET)
		ret = panref_device_mmap_io(to_pr_device(file->minor->dev), vma);
	else
		ret = drm_gem_mmap(filp, vma);
	drm_dev_exit(cookie);
	return ret;
}

static const struct file_operations panref_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = drm_ioctl,
	.compat_ioctl = drm_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = panref_mmap,
	.fop_flags = FOP_UNSIGNED_OFFSET,
};

/* Same name, version and date as Panthor 6.12: userspace cannot tell. */
static const struct drm_driver panref_drm_driver = {
	.driver_features = DRIVER_RENDER | DRIVER_GEM | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE | DRIVER_GEM_GPUVA,
	.open = panref_open,
	.postclose = panref_postclose,
	.ioctls = panref_ioctls,
	.num_ioctls = ARRAY_SIZE(panref_ioctls),
	.fops = &panref_fops,
	.name = "panthor",
	.desc = "Panthor DRM driver",
	.date = "20230801",
	.major = 1,
	.minor = 0,
	.gem_create_object = panref_gem_create_object,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
#if defined(CONFIG_DEBUG_FS) && defined(PANREF_TEST)
	.debugfs_init = panref_debugfs_init,
#endif
};

/* ---- platform driver ------------------------------------------------------------ */

static int panref_probe(struct platform_device *pdev)
{
	struct panref_device *prdev;

	prdev = devm_drm_dev_alloc(&pdev->dev, &panref_drm_driver, struct panref_device, base);
	if (IS_ERR(prdev))
		return PTR_ERR(prdev);
	platform_set_drvdata(pdev, prdev);
	return panref_device_init(prdev);
}

static void panref_remove(struct platform_device *pdev)
{
	panref_device_unplug(platform_get_drvdata(pdev));
}

static const struct of_device_id panref_of_match[] = {
	{ .compatible = "rockchip,rk3588-mali" },
	{ .compatible = "arm,mali-valhall-csf" },
	{}
};
MODULE_DEVICE_TABLE(of, panref_of_match);

static DEFINE_RUNTIME_DEV_PM_OPS(panref_pm_ops, panref_device_runtime_suspend,
				 panref_device_runtime_resume, NULL);

static struct platform_driver panref_platform_driver = {
	.probe = panref_probe,
	.remove_new = panref_remove,
	.driver = {
		.name = "panref",
		.pm = pm_ptr(&panref_pm_ops),
		.of_match_table = panref_of_match,
	},
};

static int __init panref_init(void)
{
	int ret;

	ret = panref_mmu_pt_cache_init();
	if (ret)
		return ret;
	panref_cleanup_wq = alloc_workqueue("panref-cleanup", WQ_UNBOUND, 0);
	if (!panref_cleanup_wq) {
		ret = -ENOMEM;
		goto err_cache;
	}
	ret = platform_driver_register(&panref_platform_driver);
	if (ret)
		goto err_wq;
	return 0;

err_wq:
	destroy_workqueue(panref_cleanup_wq);
err_cache:
	panref_mmu_pt_cache_fini();
	return ret;
}
module_init(panref_init);

static void __exit panref_exit(void)
{
	platform_driver_unregister(&panref_platform_driver);
	destroy_workqueue(panref_cleanup_wq);
	panref_mmu_pt_cache_fini();
}
module_exit(panref_exit);

MODULE_DESCRIPTION("panref: reference driver for the Panthor uAPI (Arm Mali CSF)");
MODULE_LICENSE("Dual MIT/GPL");
