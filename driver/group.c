// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: groups, queues and jobs - GROUP_CREATE/DESTROY/GET_STATE, the
 * jobs of GROUP_SUBMIT, their fences and the queues' drm_sched back end.
 *
 *  - A group is a set of queues sharing a VM; each queue has a ring buffer
 *    (in the group's VM), a ring interface page pair (in the MCU's VM), a
 *    drm_sched scheduler with one entity, and a 64-bit sync object in the
 *    group's sync BO that the job epilogue in the ring increments.
 *  - A job is pushed by drm_sched's run_job: a fixed 16-instruction block
 *    written into the ring (flush, CALL of the user stream, SYNC_ADD64 of
 *    the queue's sync object), the insert pointer moved, a doorbell rung if
 *    the group is on a CSG slot. Its fence signals, in queue order, when
 *    the sync object's seqno reaches the job's.
 *
 * What follows Panthor: the argument checks and the observable results
 * (errors, group state flags, fence errors) are Panthor 6.12's, which is
 * the contract. The job block's shape (flush, CALL, SYNC_ADD64 of a
 * {seqno, status} object with the error propagated) is the one the CSF
 * firmware interface gives any driver, Panthor's queue_run_job() included;
 * so are drm_sched's callbacks (run_job, timedout_job with its
 * drm_sched_stop()/drm_sched_start() pair, free_job) and the release of a
 * group from a workqueue, out of drm_sched's own workers. The code is
 * panref's; where a slot runs the group is sched.c's business.
 */
#include <linux/capability.h>
#include <linux/pm_runtime.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_print.h>

#include "sched.h"

#define PANREF_GROUPS_PER_FILE		128
#define PANREF_JOB_TIMEOUT_MS		5000
#define PANREF_JOB_INSTRS		16
#define PANREF_MAX_CS_PRIO		15
#define PANREF_KBO_NOEXEC_UNCACHED	(DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
					 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED)

/* Command stream instructions of the job block (see docs/cs-isa.md). */
#define PANREF_CS_OP(op)		((u64)(op) << 56)
#define PANREF_CS_MOVE48(r, v)		(PANREF_CS_OP(1) | (u64)(r) << 48 | ((v) & GENMASK_ULL(47, 0)))
#define PANREF_CS_MOVE32(r, v)		(PANREF_CS_OP(2) | (u64)(r) << 48 | (u32)(v))
#define PANREF_CS_WAIT(mask)		(PANREF_CS_OP(3) | (u64)(mask) << 16)
#define PANREF_CS_CALL(a, l)		(PANREF_CS_OP(32) | (u64)(a) << 40 | (u64)(l) << 32)
/* clean+invalidate L2 and LSC, invalidate the rest; flush id in @r; slot 0 */
#define PANREF_CS_FLUSH_ALL(r)		(PANREF_CS_OP(36) | (u64)(r) << 40 | 0x233)
#define PANREF_CS_ERROR_BARRIER		PANREF_CS_OP(47)
/* SYNC_ADD64, system scope, error propagated, no wait */
#define PANREF_CS_SYNC_ADD64(a, d)	(PANREF_CS_OP(51) | (u64)(a) << 40 | (u64)(d) << 32 | 1)

/**
 * struct panref_group_pool - the groups of a file
 * @xa: handle -> group (each entry holds a reference)
 */
struct panref_group_pool {
	struct xarray xa;
};

/**
 * struct panref_job - a job of GROUP_SUBMIT
 * @base: the drm_sched job
 * @ref: references: the submit context, drm_sched, the queue's job list
 * @group: its group (referenced)
 * @queue: queue index
 * @stream_va: GPU VA of the user's stream
 * @stream_size: its size in bytes (0: an empty job, no fence of its own)
 * @latest_flush: flush ID the user read before building the stream
 * @done: the fence the queue signals (NULL for an empty job)
 * @seqno: @done's seqno
 * @node: place in &panref_queue.jobs
 */
struct panref_job {
	struct drm_sched_job base;
	struct kref ref;
	struct panref_group *group;
	u32 queue;
	u64 stream_va;
	u32 stream_size;
	u32 latest_flush;
	struct dma_fence *done;
	u64 seqno;
	struct list_head node;
};

static struct panref_job *to_panref_job(struct drm_sched_job *job)
{
	return container_of(job, struct panref_job, base);
}

/* ---- groups: references --------------------------------------------------------- */

static void panref_queue_free(struct panref_queue *q)
{
	if (!q)
		return;
	if (q->entity_ready)
		drm_sched_entity_destroy(&q->entity);
	if (q->sched_ready)
		drm_sched_fini(&q->sched);
	dma_fence_put(q->last_fence);
	panref_kbo_destroy(q->ring);
	panref_kbo_destroy(q->iface);
	kfree(q);
}

static void panref_group_release_work(struct work_struct *work)
{
	struct panref_group *g = container_of(work, struct panref_group, release_work);
	u32 i;

	CLASS(panref_kcov, kc)(g->prdev);

	for (i = 0; i < g->queue_count; i++)
		panref_queue_free(g->queues[i]);
	panref_kbo_destroy(g->syncobjs);
	panref_kbo_destroy(g->suspend_buf);
	panref_kbo_destroy(g->protm_suspend_buf);
	panref_vm_put(g->vm);
#ifdef PANREF_TEST
	atomic_dec(&g->prdev->test_groups);
#endif
	/* The device outlives its groups, even when the release comes late. */
	drm_dev_put(&g->prdev->base);
	kfree(g);
}

static void panref_group_release(struct kref *ref)
{
	struct panref_group *g = container_of(ref, struct panref_group, ref);

	/* Tearing down drm_sched must not run on one of its own workers. */
	queue_work(panref_cleanup_wq, &g->release_work);
}

struct panref_group *panref_group_get(struct panref_group *g)
{
	if (g)
		kref_get(&g->ref);
	return g;
}

void panref_group_put(struct panref_group *g)
{
	if (g)
		kref_put(&g->ref, panref_group_release);
}

/* ---- job fences ------------------------------------------------------------------ */

static const char *panref_fence_driver_name(struct dma_fence *f)
{
	return "panref";
}

static const char *panref_fence_timeline_name(struct dma_fence *f)
{
	return "panref-queue";
}

static const struct dma_fence_ops panref_fence_ops = {
	.get_driver_name = panref_fence_driver_name,
	.get_timeline_name = panref_fence_timeline_name,
};

static struct panref_syncobj64 *panref_queue_syncobj(struct panref_queue *q)
{
	return q->group->syncobjs->kmap + q->index * sizeof(struct panref_syncobj64);
}

static void panref_job_release(struct kref *ref)
{
	struct panref_job *job = container_of(ref, struct panref_job, ref);

	if (job->base.s_fence)
		drm_sched_job_cleanup(&job->base);
	if (job->done && job->done->ops)
		dma_fence_put(job->done);
	else
		kfree(job->done);
	panref_group_put(job->group);
	kfree(job);
}

void panref_job_put(struct drm_sched_job *sched_job)
{
	if (sched_job)
		kref_put(&to_panref_job(sched_job)->ref, panref_job_release);
}

/*
 * Signal, in order, the jobs the GPU has completed (or all of them with
 * @err when the queue is torn down). The list's references are dropped
 * outside the fence lock.
 */
static void panref_queue_signal(struct panref_queue *q, bool all, int err)
{
	struct panref_syncobj64 *so = panref_queue_syncobj(q);
	struct panref_job *job, *tmp;
	unsigned long flags;
	LIST_HEAD(done);
	u64 seq = READ_ONCE(so->seqno);
	u32 status = READ_ONCE(so->status);

	spin_lock_irqsave(&q->lock, flags);
	if (all)
		q->dead = true;
	list_for_each_entry_safe(job, tmp, &q->jobs, node) {
		if (!all && job->seqno > seq)
			break;
		if (all)
			dma_fence_set_error(job->done, err);
		else if (status)
			dma_fence_set_error(job->done, -EINVAL);
		dma_fence_signal_locked(job->done);
		list_move_tail(&job->node, &done);
	}
	spin_unlock_irqrestore(&q->lock, flags);

	list_for_each_entry_safe(job, tmp, &done, node) {
		list_del_init(&job->node);
		panref_job_put(&job->base);
	}
}

bool panref_group_has_work(struct panref_group *g)
{
	bool busy = false;
	u32 i;

	for (i = 0; i < g->queue_count && !busy; i++) {
		struct panref_queue *q = g->queues[i];

		spin_lock_irq(&q->lock);
		busy = !list_empty(&q->jobs);
		spin_unlock_irq(&q->lock);
	}
	return busy;
}

/* Completed jobs of @g signal; returns true if work is left. */
bool panref_group_update(struct panref_group *g)
{
	u32 i;

	for (i = 0; i < g->queue_count; i++)
		panref_queue_signal(g->queues[i], false, 0);
	if (panref_group_has_work(g))
		return true;
	if (!READ_ONCE(g->empty_since))
		WRITE_ONCE(g->empty_since, jiffies | 1);
	return false;
}

/* A group that is gone: every job left fails with the reason why. */
void panref_group_fail_jobs(struct panref_group *g)
{
	u32 i;

	for (i = 0; i < g->queue_count; i++) {
		int err = -ECANCELED;

		if (g->fatal_queues & BIT(i))
			err = -EINVAL;
		else if (g->timedout)
			err = -ETIMEDOUT;
		panref_queue_signal(g->queues[i], true, err);
	}
}

/* ---- queues: drm_sched callbacks --------------------------------------------------- */

static void panref_queue_write_job(struct panref_queue *q, struct panref_job *job)
{
	struct panref_device *prdev = q->group->prdev;
	u32 regs = prdev->csif_info.cs_reg_count;
	u32 addr = regs - 4, val = regs - 2;
	u64 sync_va = panref_kbo_va(q->group->syncobjs) +
		      q->index * sizeof(struct panref_syncobj64);
	const u64 block[PANREF_JOB_INSTRS] = {
		PANREF_CS_MOVE32(val, job->latest_flush),
		PANREF_CS_FLUSH_ALL(val),
		PANREF_CS_MOVE48(addr, job->stream_va),
		PANREF_CS_MOVE32(val, job->stream_size),
		PANREF_CS_WAIT(1),
		PANREF_CS_CALL(addr, val),
		PANREF_CS_MOVE48(addr, sync_va),
		PANREF_CS_MOVE48(val, 1),
		PANREF_CS_WAIT(0xff),
		PANREF_CS_SYNC_ADD64(addr, val),
		PANREF_CS_ERROR_BARRIER,
	};
	u64 *ring = q->ring->kmap;
	u32 mask = panref_kbo_size(q->ring) / sizeof(u64) - 1;
	u32 i;

	for (i = 0; i < PANREF_JOB_INSTRS; i++)
		ring[(q->insert / sizeof(u64) + i) & mask] = block[i];
	q->insert += sizeof(block);
	/* The instructions before the pointer that makes them visible. */
	wmb();
	WRITE_ONCE(q->in->insert, q->insert);
}

/*
 * drm_sched runs one job of a queue at a time, so the ring and its insert
 * pointer need no lock. The scheduler lock is not taken either: a
 * terminated queue is refused under the queue's own lock, and a group off
 * its slot is brought back by the tick (see @doorbell).
 */
static struct dma_fence *panref_queue_push_job(struct drm_sched_job *sched_job)
{
	struct panref_job *job = to_panref_job(sched_job);
	struct panref_group *g = job->group;
	struct panref_queue *q = g->queues[job->queue];
	struct panref_sched *s = g->prdev->sched;
	struct dma_fence *fence;
	unsigned long flags;
	u32 db;
	int cookie;

	if (!job->done) {
		/* An empty job completes with the queue's last one. */
		spin_lock_irqsave(&q->lock, flags);
		fence = q->dead ? ERR_PTR(-ECANCELED) : dma_fence_get(q->last_fence);
		spin_unlock_irqrestore(&q->lock, flags);
		return fence;
	}

	spin_lock_irqsave(&q->lock, flags);
	if (q->dead) {
		spin_unlock_irqrestore(&q->lock, flags);
		return ERR_PTR(-ECANCELED);
	}
	job->seqno = ++q->seqno;
	dma_fence_init(job->done, &panref_fence_ops, &q->lock, q->fence_ctx, job->seqno);
	kref_get(&job->ref);
	list_add_tail(&job->node, &q->jobs);
	dma_fence_put(q->last_fence);
	q->last_fence = dma_fence_get(job->done);
	spin_unlock_irqrestore(&q->lock, flags);
	fence = dma_fence_get(job->done);

	panref_queue_write_job(q, job);
	WRITE_ONCE(g->empty_since, 0);
	/*
	 * The insert pointer before reading the doorbell, which the tick
	 * sets before ringing (pairs with the barrier in the tick).
	 */
	smp_mb();
	db = READ_ONCE(g->doorbell);
	/*
	 * The doorbell is a register write: only while the GPU is powered.
	 * The tick holds a PM reference while a slot is used, but may be
	 * dropping it right now; if the GPU is not active, the tick (which
	 * resumes it) brings the group back instead.
	 */
	if (db && pm_runtime_get_if_active(s->prdev->base.dev) > 0) {
		if (drm_dev_enter(&g->prdev->base, &cookie)) {
			panref_write(g->prdev, PANREF_DOORBELL(db), 1);
			drm_dev_exit(cookie);
		}
		pm_runtime_mark_last_busy(s->prdev->base.dev);
		pm_runtime_put_autosuspend(s->prdev->base.dev);
	} else {
		panref_sched_kick(s, 0);
	}
	return fence;
}

/* On the way to a fence: nothing in it may wait for memory reclaim. */
static struct dma_fence *panref_queue_run_job(struct drm_sched_job *sched_job)
{
	struct dma_fence *fence;
	bool fence_cookie;

	/*
	 * KCOV's remote start (fuzzing builds) allocates its buffer on first
	 * use: before the signalling section, as the workers do it.
	 */
	CLASS(panref_kcov, kc)(to_panref_job(sched_job)->group->prdev);

	fence_cookie = dma_fence_begin_signalling();
	fence = panref_queue_push_job(sched_job);
	dma_fence_end_signalling(fence_cookie);
	return fence;
}

/*
 * drm_sched (6.12) has taken the job off its pending list before calling
 * this; only drm_sched_stop() puts it back, and a job that is not on the
 * list is never given to free_job: returning without the stop/start pair
 * leaked the job, its group (queues, rings, suspend buffers in the MCU's
 * VM), the VM and the DRM device (tests/vm/guest/faults.sh
 * panref_timeout_frees_group). The stop/start pair around the verdict is
 * the framework's contract, the same in every drm_sched driver of 6.12
 * (Panthor's queue_timedout_job() too). The group is marked timed out;
 * the tick terminates it and its jobs' fences fail, which frees them.
 */
static enum drm_gpu_sched_stat panref_queue_timedout_job(struct drm_sched_job *sched_job)
{
	struct panref_job *job = to_panref_job(sched_job);
	struct panref_group *g = job->group;
	struct panref_sched *s = g->prdev->sched;
	struct drm_gpu_scheduler *qs = &g->queues[job->queue]->sched;

	CLASS(panref_kcov, kc)(s->prdev);

	drm_warn(&g->prdev->base, "job timeout on queue %u", job->queue);
	drm_sched_stop(qs, sched_job);
	mutex_lock(&s->lock);
	g->timedout = true;
	mutex_unlock(&s->lock);
	panref_sched_kick(s, 0);
	drm_sched_start(qs);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void panref_queue_free_job(struct drm_sched_job *sched_job)
{
	CLASS(panref_kcov, kc)(to_panref_job(sched_job)->group->prdev);

	panref_job_put(sched_job);
}

static const struct drm_sched_backend_ops panref_queue_sched_ops = {
	.run_job = panref_queue_run_job,
	.timedout_job = panref_queue_timedout_job,
	.free_job = panref_queue_free_job,
};

/* ---- GROUP_CREATE / DESTROY / GET_STATE ------------------------------------------ */

static struct panref_queue *panref_queue_create(struct panref_group *g, u32 index,
						const struct drm_panthor_queue_create *args)
{
	struct panref_device *prdev = g->prdev;
	const struct drm_sched_init_args sched_args = {
		.ops = &panref_queue_sched_ops,
		.submit_wq = prdev->sched->queue_wq,
		.num_rqs = 1,
		.credit_limit = args->ringbuf_size / sizeof(u64),
		.timeout = msecs_to_jiffies(PANREF_JOB_TIMEOUT_MS),
		.name = "panref-queue",
		.dev = prdev->base.dev,
	};
	struct drm_gpu_scheduler *sched;
	struct panref_queue *q;
	int ret;

	if (args->pad[0] || args->pad[1] || args->pad[2])
		return ERR_PTR(-EINVAL);
	if (args->ringbuf_size < SZ_4K || args->ringbuf_size > SZ_64K ||
	    !is_power_of_2(args->ringbuf_size))
		return ERR_PTR(-EINVAL);
	if (args->priority > PANREF_MAX_CS_PRIO)
		return ERR_PTR(-EINVAL);

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return ERR_PTR(-ENOMEM);
	q->group = g;
	q->index = index;
	q->priority = args->priority;
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->jobs);
	q->fence_ctx = dma_fence_context_alloc(1);

	q->ring = panref_kbo_create_vmapped(prdev, g->vm, args->ringbuf_size,
					    PANREF_KBO_NOEXEC_UNCACHED);
	if (IS_ERR(q->ring)) {
		ret = PTR_ERR(q->ring);
		q->ring = NULL;
		goto err;
	}
	q->iface = panref_kbo_create_vmapped(prdev, prdev->fw.vm, 2 * PAGE_SIZE,
					     PANREF_KBO_NOEXEC_UNCACHED);
	if (IS_ERR(q->iface)) {
		ret = PTR_ERR(q->iface);
		q->iface = NULL;
		goto err;
	}
	memset(q->iface->kmap, 0, 2 * PAGE_SIZE);
	q->in = q->iface->kmap;
	q->out = q->iface->kmap + PAGE_SIZE;

	ret = drm_sched_init(&q->sched, &sched_args);
	if (ret)
		goto err;
	q->sched_ready = true;
	sched = &q->sched;
	ret = drm_sched_entity_init(&q->entity, 0, &sched, 1, NULL);
	if (ret)
		goto err;
	q->entity_ready = true;
	return q;

err:
	panref_queue_free(q);
	return ERR_PTR(ret);
}

static struct panref_kbo *panref_fw_buffer(struct panref_device *prdev, u32 size)
{
	struct panref_kbo *kbo;

	kbo = panref_kbo_create(prdev, prdev->fw.vm, max_t(u32, size, PAGE_SIZE),
				DRM_PANTHOR_BO_NO_MMAP,
				DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, PANREF_VM_KERNEL_AUTO_VA);
	return kbo;
}

int panref_group_create(struct panref_file *pfile,
			const struct drm_panthor_group_create *args,
			const struct drm_panthor_queue_create *qargs)
{
	struct panref_device *prdev = pfile->prdev;
	struct panref_sched *s = prdev->sched;
	const struct panref_csg_control *ctl = prdev->fw.csgs[0].control;
	const struct drm_panthor_gpu_info *gi = &prdev->gpu_info;
	struct panref_group *g;
	u32 i, handle;
	int ret;

	if (args->pad || args->priority > PANTHOR_GROUP_PRIORITY_HIGH)
		return -EINVAL;
	if ((args->compute_core_mask & ~gi->shader_present) ||
	    (args->fragment_core_mask & ~gi->shader_present) ||
	    (args->tiler_core_mask & ~gi->tiler_present))
		return -EINVAL;
	if (hweight64(args->compute_core_mask) < args->max_compute_cores ||
	    hweight64(args->fragment_core_mask) < args->max_fragment_cores ||
	    hweight64(args->tiler_core_mask) < args->max_tiler_cores)
		return -EINVAL;
	if (args->queues.count > s->ncs)
		return -EINVAL;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	kref_init(&g->ref);
	INIT_WORK(&g->release_work, panref_group_release_work);
	INIT_LIST_HEAD(&g->node);
	drm_dev_get(&prdev->base);
#ifdef PANREF_TEST
	atomic_inc(&prdev->test_groups);
#endif
	g->prdev = prdev;
	g->slot = -1;
	g->state = PANREF_GROUP_NEW;
	g->priority = args->priority;
	g->compute_mask = args->compute_core_mask;
	g->fragment_mask = args->fragment_core_mask;
	g->tiler_mask = args->tiler_core_mask;
	g->max_compute = args->max_compute_cores;
	g->max_fragment = args->max_fragment_cores;
	g->max_tiler = args->max_tiler_cores;

	g->vm = panref_vm_pool_get_vm(pfile->vms, args->vm_id);
	if (!g->vm) {
		ret = -EINVAL;
		goto err_put;
	}
	g->suspend_buf = panref_fw_buffer(prdev, ctl->suspend_size);
	if (IS_ERR(g->suspend_buf)) {
		ret = PTR_ERR(g->suspend_buf);
		g->suspend_buf = NULL;
		goto err_put;
	}
	g->protm_suspend_buf = panref_fw_buffer(prdev, ctl->protm_suspend_size);
	if (IS_ERR(g->protm_suspend_buf)) {
		ret = PTR_ERR(g->protm_suspend_buf);
		g->protm_suspend_buf = NULL;
		goto err_put;
	}
	g->syncobjs = panref_kbo_create_vmapped(prdev, g->vm,
						args->queues.count * sizeof(struct panref_syncobj64),
						PANREF_KBO_NOEXEC_UNCACHED);
	if (IS_ERR(g->syncobjs)) {
		ret = PTR_ERR(g->syncobjs);
		g->syncobjs = NULL;
		goto err_put;
	}
	memset(g->syncobjs->kmap, 0, args->queues.count * sizeof(struct panref_syncobj64));

	for (i = 0; i < args->queues.count; i++) {
		struct panref_queue *q = panref_queue_create(g, i, &qargs[i]);

		if (IS_ERR(q)) {
			ret = PTR_ERR(q);
			goto err_put;
		}
		g->queues[i] = q;
		g->queue_count++;
	}

	/*
	 * The scheduler knows the group before userspace does: a handle
	 * guessed by a racing GROUP_DESTROY only ever finds a whole group.
	 */
	mutex_lock(&s->lock);
	list_add_tail(&g->node, &s->groups);
	panref_group_get(g);
	mutex_unlock(&s->lock);

	ret = xa_alloc(&pfile->groups->xa, &handle, g, XA_LIMIT(1, PANREF_GROUPS_PER_FILE),
		       GFP_KERNEL);
	if (ret) {
		mutex_lock(&s->lock);
		g->destroyed = true;
		mutex_unlock(&s->lock);
		panref_sched_kick(s, 0);
		goto err_put;
	}
	return handle;

err_put:
	panref_group_put(g);
	return ret;
}

int panref_group_destroy(struct panref_file *pfile, u32 handle)
{
	struct panref_sched *s = pfile->prdev->sched;
	struct panref_group *g = xa_erase(&pfile->groups->xa, handle);

	if (!g)
		return -EINVAL;
	mutex_lock(&s->lock);
	g->destroyed = true;
	mutex_unlock(&s->lock);
	panref_sched_kick(s, 0);
	panref_group_put(g);
	return 0;
}

static struct panref_group *panref_group_lookup(struct panref_file *pfile, u32 handle)
{
	struct panref_group *g;

	xa_lock(&pfile->groups->xa);
	g = panref_group_get(xa_load(&pfile->groups->xa, handle));
	xa_unlock(&pfile->groups->xa);
	return g;
}

int panref_group_get_state(struct panref_file *pfile, struct drm_panthor_group_get_state *args)
{
	struct panref_sched *s = pfile->prdev->sched;
	struct panref_group *g;

	if (args->pad)
		return -EINVAL;
	g = panref_group_lookup(pfile, args->group_handle);
	if (!g)
		return -EINVAL;
	memset(args, 0, sizeof(*args));
	mutex_lock(&s->lock);
	if (g->timedout)
		args->state |= DRM_PANTHOR_GROUP_STATE_TIMEDOUT;
	if (g->fatal_queues) {
		args->state |= DRM_PANTHOR_GROUP_STATE_FATAL_FAULT;
		args->fatal_queues = g->fatal_queues;
	}
	mutex_unlock(&s->lock);
	panref_group_put(g);
	return 0;
}

int panref_group_pool_create(struct panref_file *pfile)
{
	pfile->groups = kzalloc(sizeof(*pfile->groups), GFP_KERNEL);
	if (!pfile->groups)
		return -ENOMEM;
	xa_init_flags(&pfile->groups->xa, XA_FLAGS_ALLOC1);
	return 0;
}

void panref_group_pool_destroy(struct panref_file *pfile)
{
	struct panref_group *g;
	unsigned long i;

	if (!pfile->groups)
		return;
	xa_for_each(&pfile->groups->xa, i, g)
		panref_group_destroy(pfile, i);
	xa_destroy(&pfile->groups->xa);
	kfree(pfile->groups);
	pfile->groups = NULL;
}

/* ---- GROUP_SUBMIT jobs ------------------------------------------------------------- */

struct drm_sched_job *panref_job_create(struct panref_file *pfile, u16 group_handle,
					const struct drm_panthor_queue_submit *qsubmit,
					u64 client_id)
{
	struct panref_sched *s = pfile->prdev->sched;
	struct panref_job *job;
	bool can_run;
	int ret;

	if (qsubmit->pad)
		return ERR_PTR(-EINVAL);
	if (!qsubmit->stream_size != !qsubmit->stream_addr)
		return ERR_PTR(-EINVAL);
	/* Streams start on a cache line and are whole instructions. */
	if ((qsubmit->stream_addr & 63) || (qsubmit->stream_size & 7))
		return ERR_PTR(-EINVAL);
	if (qsubmit->latest_flush & GENMASK(30, 24))
		return ERR_PTR(-EINVAL);

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return ERR_PTR(-ENOMEM);
	kref_init(&job->ref);
	INIT_LIST_HEAD(&job->node);
	job->queue = qsubmit->queue_index;
	job->stream_va = qsubmit->stream_addr;
	job->stream_size = qsubmit->stream_size;
	job->latest_flush = qsubmit->latest_flush;

	job->group = panref_group_lookup(pfile, group_handle);
	if (!job->group) {
		ret = -EINVAL;
		goto err_put;
	}
	mutex_lock(&s->lock);
	can_run = panref_group_can_run(job->group);
	mutex_unlock(&s->lock);
	if (!can_run || job->queue >= job->group->queue_count) {
		ret = -EINVAL;
		goto err_put;
	}
	if (job->stream_size) {
		/* Allocated now: nothing allocates on the way to the GPU. */
		job->done = kzalloc(sizeof(*job->done), GFP_KERNEL);
		if (!job->done) {
			ret = -ENOMEM;
			goto err_put;
		}
	}
	ret = drm_sched_job_init(&job->base, &job->group->queues[job->queue]->entity,
				 job->stream_size ? PANREF_JOB_INSTRS : 1, job->group,
				 client_id);
	if (ret)
		goto err_put;
	return &job->base;

err_put:
	panref_job_put(&job->base);
	return ERR_PTR(ret);
}

struct panref_vm *panref_job_vm(struct drm_sched_job *sched_job)
{
	return to_panref_job(sched_job)->group->vm;
}

void panref_job_update_resvs(struct drm_exec *exec, struct drm_sched_job *sched_job)
{
	struct panref_vm *vm = panref_job_vm(sched_job);

	/* Explicit synchronisation: the fence is only for bookkeeping. */
	drm_gpuvm_resv_add_fence(&vm->base, exec, &sched_job->s_fence->finished,
				 DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
}
