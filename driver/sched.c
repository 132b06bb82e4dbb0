// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: groups, queues, jobs and the CSG scheduler.
 *
 * The design is panref's own (driver/README.md has the state diagram):
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
 *  - Every CSG slot is an explicit state machine,
 *        FREE -> STARTING -> RUNNING -> SUSPENDING -> FREE
 *                                   \-> TERMINATING -> FREE
 *    and only the tick worker moves slots from one state to the next. The
 *    tick ranks runnable groups (priority, then how long since they last
 *    started), keeps the best on the slots, suspends the rest through their
 *    suspend buffers (they resume on any free slot later), terminates
 *    groups that cannot run any more, and evicts groups that have had
 *    nothing to do for PANREF_IDLE_EVICT_MS.
 *  - Firmware events are collected by the job interrupt line and handled
 *    by one event worker on the same ordered workqueue as the tick.
 *
 * The argument checks and the observable results (errors, group state
 * flags, fence errors) follow Panthor 6.12 (panthor_sched.c), which is the
 * contract; drm_sched's callbacks and the firmware's request/acknowledge
 * protocol give both drivers the same outline in places, nothing more.
 */
#include <linux/capability.h>
#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/pm_runtime.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/gpu_scheduler.h>

#include "panref.h"

#define PANREF_MAX_CSG_SLOTS		16
#define PANREF_MAX_QUEUES		32
#define PANREF_GROUPS_PER_FILE		128
#define PANREF_JOB_TIMEOUT_MS		5000
#define PANREF_TICK_MS			10
#define PANREF_IDLE_EVICT_MS		20
#define PANREF_CSG_ACK_TIMEOUT_MS	100
#define PANREF_JOB_INSTRS		16
#define PANREF_MAX_CS_PRIO		15
#define PANREF_KBO_NOEXEC_UNCACHED	(DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
					 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED)

/* CSG and CS request bits (the firmware interface). */
#define PANREF_CSG_STATE_MASK		GENMASK(2, 0)
#define PANREF_CSG_STATE_TERMINATE	0
#define PANREF_CSG_STATE_START		1
#define PANREF_CSG_STATE_SUSPEND	2
#define PANREF_CSG_STATE_RESUME		3
#define PANREF_CSG_SYNC_UPDATE		BIT(28)
#define PANREF_CSG_IDLE			BIT(29)
#define PANREF_CSG_PROGRESS_TIMER	BIT(31)
#define PANREF_CSG_EVENTS		(PANREF_CSG_SYNC_UPDATE | PANREF_CSG_IDLE | \
					 PANREF_CSG_PROGRESS_TIMER)
#define PANREF_CSG_STATUS_IDLE		BIT(0)
#define PANREF_CS_STATE_MASK		GENMASK(2, 0)
#define PANREF_CS_STATE_STOP		0
#define PANREF_CS_STATE_START		1
#define PANREF_CS_TILER_OOM		BIT(26)
#define PANREF_CS_FATAL			BIT(30)
#define PANREF_CS_FAULT			BIT(31)
#define PANREF_CS_EXC_UNRECOVERABLE	0x41

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
 * enum panref_slot_state - what a CSG slot is doing
 * @PANREF_SLOT_FREE: no group
 * @PANREF_SLOT_STARTING: START or RESUME asked, not acknowledged yet
 * @PANREF_SLOT_RUNNING: the group's streams run
 * @PANREF_SLOT_SUSPENDING: SUSPEND asked; the slot frees once acknowledged
 * @PANREF_SLOT_TERMINATING: TERMINATE asked; the slot frees once acknowledged
 */
enum panref_slot_state {
	PANREF_SLOT_FREE,
	PANREF_SLOT_STARTING,
	PANREF_SLOT_RUNNING,
	PANREF_SLOT_SUSPENDING,
	PANREF_SLOT_TERMINATING,
};

/**
 * enum panref_group_state - where a group is
 * @PANREF_GROUP_NEW: never ran
 * @PANREF_GROUP_RESIDENT: on a CSG slot
 * @PANREF_GROUP_SUSPENDED: off the slots, its state in its suspend buffer
 * @PANREF_GROUP_TERMINATED: gone from the firmware for good
 */
enum panref_group_state {
	PANREF_GROUP_NEW,
	PANREF_GROUP_RESIDENT,
	PANREF_GROUP_SUSPENDED,
	PANREF_GROUP_TERMINATED,
};

/**
 * struct panref_slot - one CSG slot of the firmware
 * @group: the group on it (a reference), NULL when free
 * @state: &enum panref_slot_state
 */
struct panref_slot {
	struct panref_group *group;
	enum panref_slot_state state;
};

/**
 * struct panref_sched - the scheduler of one device
 * @prdev: the device
 * @wq: ordered workqueue of @tick_work and @event_work
 * @queue_wq: where the queues' drm_sched run jobs
 * @heap_wq: where @oom_work allocates heap chunks, out of the
 *	fence-signalling path of @event_work
 * @oom_work: answers the TILER_OOM events in @oom_queued
 * @tick_work: the tick (slot decisions)
 * @event_work: firmware events of the CSG slots in @irq_pending
 * @irq_pending: CSG slots whose interrupt bit was seen
 * @lock: protects everything below and the CSG/CS input blocks
 * @nslots: CSG slots in use
 * @ncs: CS slots per CSG
 * @nas: address spaces for user VMs (AS0 is the MCU's)
 * @slots: the CSG slots
 * @oom_queued: per CSG slot, the CS slots whose TILER_OOM waits for
 *	@oom_work (cleared when the slot's group leaves it)
 * @groups: every group not terminated yet (each holds a reference)
 * @stopped: no slot may change (reset or unplug in progress)
 * @pm_held: a runtime PM reference is held while a slot is used
 * @start_seq: counter giving each group start its place in the rotation
 */
struct panref_sched {
	struct panref_device *prdev;
	struct workqueue_struct *wq;
	struct workqueue_struct *queue_wq;
	struct workqueue_struct *heap_wq;
	struct work_struct oom_work;
	struct delayed_work tick_work;
	struct work_struct event_work;
	atomic_t irq_pending;
	struct mutex lock;
	u32 nslots;
	u32 ncs;
	u32 nas;
	struct panref_slot slots[PANREF_MAX_CSG_SLOTS];
	u32 oom_queued[PANREF_MAX_CSG_SLOTS];
	struct list_head groups;
	bool stopped;
	bool pm_held;
	u64 start_seq;
};

/**
 * struct panref_syncobj64 - a queue's sync object, as the GPU writes it
 * @seqno: jobs completed
 * @status: error state propagated by SYNC_ADD64 (0: none)
 * @pad: padding
 */
struct panref_syncobj64 {
	u64 seqno;
	u32 status;
	u32 pad;
};

/**
 * struct panref_ring_input - host side of a ring interface page
 * @insert: bytes written into the ring
 * @extract: where the stream starts reading (set before START)
 */
struct panref_ring_input {
	u64 insert;
	u64 extract;
};

/**
 * struct panref_ring_output - firmware side of a ring interface page
 * @extract: bytes the stream has consumed
 * @active: the stream is active
 */
struct panref_ring_output {
	u64 extract;
	u32 active;
};

/**
 * struct panref_queue - a queue of a group
 * @group: its group (not referenced: the group owns the queue)
 * @index: its CS slot within the group's CSG slot
 * @priority: CS priority (0..15)
 * @ring: the ring buffer, in the group's VM
 * @iface: input page and output page, in the MCU's VM
 * @in: CPU view of the input page
 * @out: CPU view of the output page
 * @insert: bytes written into the ring so far
 * @started: the stream was started once (its extract pointer is set)
 * @dead: the group was terminated: no job enters the ring any more
 * @lock: protects @jobs, @seqno, @last_fence and @dead; the fences' lock
 * @jobs: jobs in the ring whose fence has not signalled, in seqno order
 * @fence_ctx: dma_fence context of the queue's job fences
 * @seqno: seqno of the last job put in the ring
 * @last_fence: fence of the last job with a stream (empty jobs take it)
 * @sched: the queue's drm_sched scheduler
 * @entity: its only entity
 * @sched_ready: @sched was initialised
 * @entity_ready: @entity was initialised
 */
struct panref_queue {
	struct panref_group *group;
	u32 index;
	u8 priority;
	struct panref_kbo *ring;
	struct panref_kbo *iface;
	struct panref_ring_input *in;
	struct panref_ring_output *out;
	u64 insert;
	bool started;
	bool dead;
	spinlock_t lock;
	struct list_head jobs;
	u64 fence_ctx;
	u64 seqno;
	struct dma_fence *last_fence;
	struct drm_gpu_scheduler sched;
	struct drm_sched_entity entity;
	bool sched_ready;
	bool entity_ready;
};

/**
 * struct panref_group - a group of queues (GROUP_CREATE)
 * @ref: references: the file's handle, the scheduler's list, jobs
 * @prdev: the device
 * @vm: the VM (referenced)
 * @priority: PANTHOR_GROUP_PRIORITY_*
 * @compute_mask: cores its compute work may use
 * @fragment_mask: cores its fragment work may use
 * @tiler_mask: tiler units it may use
 * @max_compute: compute cores at most
 * @max_fragment: fragment cores at most
 * @max_tiler: tiler units at most
 * @queue_count: number of queues
 * @queues: the queues
 * @syncobjs: one &struct panref_syncobj64 per queue, in @vm
 * @suspend_buf: where the firmware saves the group, in the MCU's VM
 * @protm_suspend_buf: the same for protected mode
 * @node: place in &panref_sched.groups
 * @state: &enum panref_group_state (scheduler lock)
 * @slot: CSG slot while resident, else -1
 * @doorbell: the CS doorbell of its slot while the slot is RUNNING, else 0;
 *            read by run_job without the scheduler lock
 * @started_at: jiffies of the last start on a slot
 * @start_seq: rotation order of the last start
 * @empty_since: jiffies since which no job is in flight (0: busy); run_job
 *	clears it without the scheduler lock, so every access is marked
 * @picked: the tick keeps or puts it on a slot
 * @destroyed: GROUP_DESTROY was called
 * @timedout: a job timed out, a progress timer fired or a suspend failed
 * @fatal_queues: queues that had a fatal error
 * @release_work: frees the group outside any scheduler context
 */
struct panref_group {
	struct kref ref;
	struct panref_device *prdev;
	struct panref_vm *vm;
	u8 priority;
	u64 compute_mask;
	u64 fragment_mask;
	u64 tiler_mask;
	u8 max_compute;
	u8 max_fragment;
	u8 max_tiler;
	u32 queue_count;
	struct panref_queue *queues[PANREF_MAX_QUEUES];
	struct panref_kbo *syncobjs;
	struct panref_kbo *suspend_buf;
	struct panref_kbo *protm_suspend_buf;
	struct list_head node;
	enum panref_group_state state;
	int slot;
	u32 doorbell;
	unsigned long started_at;
	u64 start_seq;
	unsigned long empty_since;
	bool picked;
	bool destroyed;
	bool timedout;
	u32 fatal_queues;
	struct work_struct release_work;
};

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

static struct panref_group *panref_group_get(struct panref_group *g)
{
	if (g)
		kref_get(&g->ref);
	return g;
}

static void panref_group_put(struct panref_group *g)
{
	if (g)
		kref_put(&g->ref, panref_group_release);
}

static bool panref_group_can_run(const struct panref_group *g)
{
	return g->state != PANREF_GROUP_TERMINATED && !g->destroyed && !g->timedout &&
	       !g->fatal_queues;
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

static bool panref_group_has_work(struct panref_group *g)
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
static bool panref_group_update(struct panref_group *g)
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
static void panref_group_fail_jobs(struct panref_group *g)
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

/* ---- CSG slots -------------------------------------------------------------------- */

static void panref_sched_kick(struct panref_sched *s, unsigned int ms)
{
	if (!ms)
		mod_delayed_work(s->wq, &s->tick_work, 0);
	else
		queue_delayed_work(s->wq, &s->tick_work, msecs_to_jiffies(ms));
}

static void panref_csg_request_state(struct panref_sched *s, u32 slot, u32 state)
{
	struct panref_fw_csg *csg = &s->prdev->fw.csgs[slot];
	u32 req = READ_ONCE(csg->input->req);

	WRITE_ONCE(csg->input->req, (req & ~PANREF_CSG_STATE_MASK) | state);
}

static bool panref_csgs_acked(struct panref_sched *s, u32 mask)
{
	while (mask) {
		struct panref_fw_csg *csg = &s->prdev->fw.csgs[__ffs(mask)];

		if ((READ_ONCE(csg->input->req) ^ READ_ONCE(csg->output->ack)) &
		    PANREF_CSG_STATE_MASK)
			return false;
		mask &= mask - 1;
	}
	return true;
}

/* Ring the CSGs in @mask, wait for their state acks; returns the laggards. */
static u32 panref_csgs_apply(struct panref_sched *s, u32 mask)
{
	struct panref_device *prdev = s->prdev;
	u32 late = 0, i;

	if (!mask)
		return 0;
	panref_fw_ring_csgs(prdev, mask);
	wait_event_timeout(prdev->fw.req_wq, panref_csgs_acked(s, mask),
			   msecs_to_jiffies(PANREF_CSG_ACK_TIMEOUT_MS));
	for (i = 0; i < s->nslots; i++)
		if ((mask & BIT(i)) && !panref_csgs_acked(s, BIT(i)))
			late |= BIT(i);
	return late;
}

/* Program the CSG and CS inputs of @slot for @g and ask for START/RESUME. */
static void panref_slot_program(struct panref_sched *s, u32 slot, struct panref_group *g,
				int as)
{
	struct panref_fw_csg *csg = &s->prdev->fw.csgs[slot];
	u32 i, ep;

	for (i = 0; i < s->ncs; i++) {
		struct panref_fw_cs *cs = &csg->cs[i];
		struct panref_queue *q = i < g->queue_count ? g->queues[i] : NULL;
		u32 ack = READ_ONCE(cs->output->ack);

		if (!q) {
			WRITE_ONCE(cs->input->req, (ack & ~PANREF_CS_STATE_MASK) |
				   PANREF_CS_STATE_STOP);
			continue;
		}
		cs->input->ringbuf_base = panref_kbo_va(q->ring);
		cs->input->ringbuf_size = panref_kbo_size(q->ring);
		cs->input->ringbuf_input = panref_kbo_va(q->iface);
		cs->input->ringbuf_output = panref_kbo_va(q->iface) + PAGE_SIZE;
		cs->input->config = q->priority | (slot + 1) << 8;
		cs->input->ack_irq_mask = ~0u;
		cs->input->heap_start = 0;
		cs->input->heap_end = 0;
		if (!q->started) {
			WRITE_ONCE(q->in->extract, READ_ONCE(q->out->extract));
			q->started = true;
		}
		/* Events the slot's previous group left are not ours. */
		WRITE_ONCE(cs->input->req, (ack & ~PANREF_CS_STATE_MASK) | PANREF_CS_STATE_START);
	}

	ep = g->max_compute | g->max_fragment << 8 | (g->max_tiler & 0xf) << 16 |
	     (u32)g->priority << 2 << 28;
	csg->input->allow_compute = g->compute_mask;
	csg->input->allow_fragment = g->fragment_mask;
	csg->input->allow_other = g->tiler_mask;
	csg->input->endpoint_req = ep;
	csg->input->suspend_buf = panref_kbo_va(g->suspend_buf);
	csg->input->protm_suspend_buf = panref_kbo_va(g->protm_suspend_buf);
	csg->input->config = as;
	csg->input->ack_irq_mask = ~0u;
	WRITE_ONCE(csg->input->cs_irq_ack, READ_ONCE(csg->output->cs_irq_req));
	WRITE_ONCE(csg->input->req,
		   (READ_ONCE(csg->output->ack) & ~PANREF_CSG_STATE_MASK) |
		   (g->state == PANREF_GROUP_SUSPENDED ? PANREF_CSG_STATE_RESUME :
							 PANREF_CSG_STATE_START));
}

/* A slot's request was acknowledged (or not): the group leaves it. */
static void panref_slot_release(struct panref_sched *s, u32 slot, bool terminated)
{
	struct panref_slot *sl = &s->slots[slot];
	struct panref_group *g = sl->group;

	sl->group = NULL;
	sl->state = PANREF_SLOT_FREE;
	s->oom_queued[slot] = 0;
	g->slot = -1;
	WRITE_ONCE(g->doorbell, 0);
	panref_vm_idle(g->vm);
	panref_group_update(g);
	if (terminated) {
		g->state = PANREF_GROUP_TERMINATED;
		panref_group_fail_jobs(g);
		list_del_init(&g->node);
		panref_group_put(g);	/* the scheduler list's */
	} else {
		g->state = PANREF_GROUP_SUSPENDED;
		/* A job that came in while it was being suspended. */
		if (panref_group_has_work(g))
			panref_sched_kick(s, 0);
	}
	panref_group_put(g);		/* the slot's */
}

/* ---- firmware events --------------------------------------------------------------- */

/* Ring the CS doorbells @db of CSG @slot. */
static void panref_csg_ring_cs(struct panref_sched *s, u32 slot, u32 db)
{
	struct panref_fw_csg *csg = &s->prdev->fw.csgs[slot];
	u32 dreq = READ_ONCE(csg->input->doorbell_req);
	u32 dack = READ_ONCE(csg->output->doorbell_ack);

	WRITE_ONCE(csg->input->doorbell_req, (dreq & ~db) | (~dack & db));
	panref_fw_ring_csgs(s->prdev, BIT(slot));
}

/*
 * TILER_OOM is answered by @oom_work on its own workqueue: growing a heap
 * allocates (a chunk BO, its pages, page tables, a kernel mapping), and
 * the event worker is on the path that signals job fences, where an
 * allocation may wait in reclaim for those very fences. The event stays
 * unacknowledged until the answer is written.
 */
static void panref_cs_tiler_oom(struct panref_sched *s, u32 slot, u32 j)
{
	if (s->oom_queued[slot] & BIT(j))
		return;
	s->oom_queued[slot] |= BIT(j);
	queue_work(s->heap_wq, &s->oom_work);
}

/*
 * The oldest queued TILER_OOM, with what the firmware asked for; a
 * reference on the group on the slot. False when none is queued.
 */
static bool panref_oom_take(struct panref_sched *s, u32 *slot, u32 *j,
			    struct panref_group **g, u64 *heap_ctx, u32 *in_flight,
			    u32 *pending_frag)
{
	const struct panref_cs_output *out;
	u32 i;

	for (i = 0; i < s->nslots; i++) {
		if (!s->oom_queued[i])
			continue;
		*slot = i;
		*j = __ffs(s->oom_queued[i]);
		s->oom_queued[i] &= ~BIT(*j);
		out = s->prdev->fw.csgs[i].cs[*j].output;
		*g = panref_group_get(s->slots[i].group);
		*heap_ctx = out->heap_address;
		*in_flight = out->heap_vt_start - out->heap_frag_end;
		*pending_frag = out->heap_vt_end - out->heap_frag_end;
		return true;
	}
	return false;
}

static void panref_sched_oom_work(struct work_struct *work)
{
	struct panref_sched *s = container_of(work, struct panref_sched, oom_work);
	struct panref_device *prdev = s->prdev;
	u32 slot, j, in_flight, pending_frag;
	struct panref_heap_pool *pool;
	struct panref_group *g;
	u64 heap_ctx, chunk;
	int ret, cookie;

	CLASS(panref_kcov, kc)(prdev);

	for (;;) {
		mutex_lock(&s->lock);
		if (s->stopped ||
		    !panref_oom_take(s, &slot, &j, &g, &heap_ctx, &in_flight, &pending_frag)) {
			mutex_unlock(&s->lock);
			return;
		}
		mutex_unlock(&s->lock);

		/* The allocation, with no scheduler lock held. */
		chunk = 0;
		pool = g ? panref_vm_get_heap_pool(g->vm, false) : ERR_PTR(-EINVAL);
		if (IS_ERR(pool)) {
			ret = PTR_ERR(pool);
		} else {
			ret = panref_heap_grow(pool, heap_ctx, in_flight, pending_frag, &chunk);
			panref_heap_pool_put(pool);
		}

		/*
		 * Answered only if the same group still waits on the slot.
		 * Otherwise the firmware asks again when the group is back on
		 * a slot; a chunk allocated meanwhile stays in its heap, which
		 * counts it against max_chunks and frees it with the heap.
		 */
		mutex_lock(&s->lock);
		if (g && s->slots[slot].group == g && !s->stopped &&
		    drm_dev_enter(&prdev->base, &cookie)) {
			struct panref_fw_csg *csg = &prdev->fw.csgs[slot];
			struct panref_fw_cs *cs = &csg->cs[j];
			u32 req = READ_ONCE(cs->input->req);

			if ((req ^ READ_ONCE(cs->output->ack)) & PANREF_CS_TILER_OOM) {
				/* No memory: the firmware falls back on what it has. */
				if (ret && ret != -ENOMEM) {
					g->fatal_queues |= BIT(j);
					panref_sched_kick(s, 0);
				}
				cs->input->heap_start = ret ? 0 : chunk;
				cs->input->heap_end = ret ? 0 : chunk;
				WRITE_ONCE(cs->input->req, req ^ PANREF_CS_TILER_OOM);
				panref_csg_ring_cs(s, slot, BIT(j));
			}
			drm_dev_exit(cookie);
		}
		mutex_unlock(&s->lock);
		panref_group_put(g);
	}
}

static void panref_slot_cs_events(struct panref_sched *s, u32 slot, u32 j,
				  struct panref_group *g)
{
	struct panref_device *prdev = s->prdev;
	struct panref_fw_cs *cs = &prdev->fw.csgs[slot].cs[j];
	u32 req = READ_ONCE(cs->input->req);
	u32 evts = (req ^ READ_ONCE(cs->output->ack)) &
		   (PANREF_CS_FATAL | PANREF_CS_FAULT | PANREF_CS_TILER_OOM);

	if (evts & PANREF_CS_FATAL) {
		u32 fatal = cs->output->fatal;

		if (g)
			g->fatal_queues |= BIT(j);
		drm_warn(&prdev->base,
			 "CSG slot %u CS slot %u: CS_FATAL type %#x data %#x info %#llx",
			 slot, j, fatal & 0xff, fatal >> 8, cs->output->fatal_info);
		if ((fatal & 0xff) == PANREF_CS_EXC_UNRECOVERABLE)
			panref_device_schedule_reset(prdev);
		else
			panref_sched_kick(s, 0);
	}
	if (evts & PANREF_CS_FAULT) {
		u32 fault = cs->output->fault;

		drm_warn(&prdev->base,
			 "CSG slot %u CS slot %u: CS_FAULT type %#x data %#x info %#llx",
			 slot, j, fault & 0xff, fault >> 8, cs->output->fault_info);
	}
	/* Acknowledged by the answer (@oom_work), not here. */
	if (evts & PANREF_CS_TILER_OOM)
		panref_cs_tiler_oom(s, slot, j);
	evts &= ~PANREF_CS_TILER_OOM;
	if (evts)
		WRITE_ONCE(cs->input->req, req ^ evts);
}

static void panref_slot_events(struct panref_sched *s, u32 slot)
{
	struct panref_device *prdev = s->prdev;
	struct panref_fw_csg *csg = &prdev->fw.csgs[slot];
	struct panref_group *g = s->slots[slot].group;
	u32 req = READ_ONCE(csg->input->req);
	u32 evts = (req ^ READ_ONCE(csg->output->ack)) & PANREF_CSG_EVENTS;
	u32 irq_req = READ_ONCE(csg->output->cs_irq_req);
	u32 cs_irqs = irq_req ^ READ_ONCE(csg->input->cs_irq_ack);

	WRITE_ONCE(csg->input->cs_irq_ack, irq_req);
	if (evts)
		WRITE_ONCE(csg->input->req, req ^ evts);

	if (evts & PANREF_CSG_PROGRESS_TIMER) {
		drm_warn(&prdev->base, "CSG slot %u progress timeout", slot);
		if (g)
			g->timedout = true;
		panref_sched_kick(s, 0);
	}
	while (cs_irqs) {
		u32 j = __ffs(cs_irqs);

		cs_irqs &= cs_irqs - 1;
		if (j < s->ncs)
			panref_slot_cs_events(s, slot, j, g);
	}
	if (g && !panref_group_update(g))
		panref_sched_kick(s, PANREF_IDLE_EVICT_MS);
}

/* devfreq's load: busy while a group on a slot has jobs in flight. */
static void panref_sched_record_busy(struct panref_sched *s)
{
	bool busy = false;
	u32 i;

	for (i = 0; i < s->nslots && !busy; i++)
		busy = s->slots[i].group && panref_group_has_work(s->slots[i].group);
	panref_devfreq_record(s->prdev, busy);
}

static void panref_sched_events_locked(struct panref_sched *s)
{
	u32 pending = atomic_xchg(&s->irq_pending, 0);

	while (pending) {
		u32 slot = __ffs(pending);

		pending &= pending - 1;
		if (slot < s->nslots)
			panref_slot_events(s, slot);
	}
}

static void panref_sched_event_work(struct work_struct *work)
{
	struct panref_sched *s = container_of(work, struct panref_sched, event_work);
	bool fence_cookie;
	int cookie;

	CLASS(panref_kcov, kc)(s->prdev);

	if (!drm_dev_enter(&s->prdev->base, &cookie))
		return;
	/*
	 * Job fences are signalled here: nothing in this section may wait
	 * for memory reclaim (lockdep checks it; heap growth is @oom_work's).
	 */
	fence_cookie = dma_fence_begin_signalling();
	mutex_lock(&s->lock);
	if (!s->stopped) {
		panref_sched_events_locked(s);
		panref_sched_record_busy(s);
	}
	mutex_unlock(&s->lock);
	dma_fence_end_signalling(fence_cookie);
	drm_dev_exit(cookie);
}

/* From the job interrupt line: CSG slots in @csg_mask have something. */
void panref_sched_report_irq(struct panref_device *prdev, u32 csg_mask)
{
	struct panref_sched *s = prdev->sched;

	if (!s || !csg_mask)
		return;
	atomic_or(csg_mask, &s->irq_pending);
	queue_work(s->wq, &s->event_work);
}

/* ---- the tick ---------------------------------------------------------------------- */

/*
 * Rank of a group for a slot: priority first; then a group that started
 * less than a tick ago keeps its slot; then whoever started longest ago.
 */
static bool panref_group_better(struct panref_sched *s, struct panref_group *a,
				struct panref_group *b, unsigned long now)
{
	bool pa, pb;

	if (a->priority != b->priority)
		return a->priority > b->priority;
	pa = a->slot >= 0 && time_before(now, a->started_at + msecs_to_jiffies(PANREF_TICK_MS));
	pb = b->slot >= 0 && time_before(now, b->started_at + msecs_to_jiffies(PANREF_TICK_MS));
	if (pa != pb)
		return pa;
	return a->start_seq < b->start_seq;
}

static bool panref_vm_in(struct panref_vm **vms, u32 n, struct panref_vm *vm)
{
	while (n--)
		if (vms[n] == vm)
			return true;
	return false;
}

/*
 * Mark the groups that should be on the slots; returns how many want one.
 * The picked groups use at most as many VMs as there are user address
 * spaces: a group picked beyond that would find no AS free while the
 * others are busy, and wait for one until its job timed out (8 busy VMs
 * on the G610's 7). Left out, it gets its turn through rotation.
 */
static u32 panref_sched_pick(struct panref_sched *s, unsigned long now)
{
	struct panref_vm *vms[PANREF_MAX_CSG_SLOTS];
	struct panref_group *g, *best;
	u32 n, nvms = 0, wanting = 0;

	list_for_each_entry(g, &s->groups, node) {
		g->picked = false;
		if (panref_group_can_run(g) && panref_group_has_work(g))
			wanting++;
		else
			WRITE_ONCE(g->empty_since, READ_ONCE(g->empty_since) ?: (jiffies | 1));
	}
	for (n = 0; n < s->nslots; n++) {
		best = NULL;
		list_for_each_entry(g, &s->groups, node) {
			if (g->picked || !panref_group_can_run(g) || !panref_group_has_work(g))
				continue;
			if (nvms == s->nas && !panref_vm_in(vms, nvms, g->vm))
				continue;
			if (!best || panref_group_better(s, g, best, now))
				best = g;
		}
		if (!best)
			break;
		best->picked = true;
		if (!panref_vm_in(vms, nvms, best->vm))
			vms[nvms++] = best->vm;
	}
	return wanting;
}

static void panref_sched_tick_locked(struct panref_sched *s)
{
	struct panref_device *prdev = s->prdev;
	unsigned long now = jiffies;
	u32 wanting, need = 0, free = 0, evict = 0, term = 0, start = 0, late, i;
	struct panref_group *g, *tmp;
	bool rotate, idle_left = false;

	panref_sched_events_locked(s);

	/* Resident groups: completions, faults seen by the MMU. */
	for (i = 0; i < s->nslots; i++) {
		g = s->slots[i].group;
		if (!g)
			continue;
		if (g->vm->unhandled_fault && !g->fatal_queues)
			g->fatal_queues = GENMASK(g->queue_count - 1, 0);
		panref_group_update(g);
	}

	/* Groups off the slots that cannot run any more are finished here. */
	list_for_each_entry_safe(g, tmp, &s->groups, node) {
		if (g->slot >= 0 || panref_group_can_run(g))
			continue;
		g->state = PANREF_GROUP_TERMINATED;
		panref_group_fail_jobs(g);
		list_del_init(&g->node);
		panref_group_put(g);
	}

	wanting = panref_sched_pick(s, now);
	list_for_each_entry(g, &s->groups, node)
		if (g->picked && g->slot < 0)
			need++;

	/* Which slots empty: the dead, the rotated out, then the idle. */
	for (i = 0; i < s->nslots; i++) {
		g = s->slots[i].group;
		if (!g)
			free++;
		else if (!panref_group_can_run(g))
			term |= BIT(i);
		else if (!g->picked && panref_group_has_work(g))
			evict |= BIT(i);
	}
	free += hweight32(term | evict);
	for (i = 0; i < s->nslots; i++) {
		g = s->slots[i].group;
		if (!g || ((term | evict) & BIT(i)) || g->picked)
			continue;
		if (need > free ||
		    time_after_eq(now, READ_ONCE(g->empty_since) +
				  msecs_to_jiffies(PANREF_IDLE_EVICT_MS))) {
			evict |= BIT(i);
			free++;
		} else {
			idle_left = true;
		}
	}

	for (i = 0; i < s->nslots; i++) {
		if ((term | evict) & BIT(i))
			WRITE_ONCE(s->slots[i].group->doorbell, 0);
		if (term & BIT(i)) {
			panref_csg_request_state(s, i, PANREF_CSG_STATE_TERMINATE);
			s->slots[i].state = PANREF_SLOT_TERMINATING;
		} else if (evict & BIT(i)) {
			panref_csg_request_state(s, i, PANREF_CSG_STATE_SUSPEND);
			s->slots[i].state = PANREF_SLOT_SUSPENDING;
		}
	}
	late = panref_csgs_apply(s, term | evict);
	/*
	 * A slot that did not acknowledge keeps its group, and its VM keeps
	 * its address space, until the reset: the firmware may still be
	 * running the group there, so neither goes to anyone else. No tick
	 * runs while the reset is pending (panref_sched_tick_work()).
	 */
	for (i = 0; i < s->nslots; i++)
		if (((term | evict) & ~late) & BIT(i))
			panref_slot_release(s, i, term & BIT(i));
	if (late) {
		drm_err(&prdev->base, "CSG slots %#x did not acknowledge, resetting", late);
		for (i = 0; i < s->nslots; i++)
			if (late & BIT(i))
				s->slots[i].group->timedout = true;
		panref_device_schedule_reset(prdev);
		return;
	}

	/* Picked groups onto free slots, best first. */
	for (;;) {
		struct panref_group *best = NULL;
		int as;

		list_for_each_entry(g, &s->groups, node)
			if (g->picked && g->slot < 0 &&
			    (!best || panref_group_better(s, g, best, now)))
				best = g;
		if (!best)
			break;
		best->picked = false;
		for (i = 0; i < s->nslots && s->slots[i].group; i++)
			;
		if (i == s->nslots)
			break;
		as = panref_vm_active(best->vm);
		if (as)
			continue;	/* no address space free: next tick */
		as = best->vm->as_id;
		s->slots[i].group = panref_group_get(best);
		s->slots[i].state = PANREF_SLOT_STARTING;
		best->slot = i;
		best->started_at = now;
		best->start_seq = ++s->start_seq;
		WRITE_ONCE(best->empty_since, 0);
		panref_slot_program(s, i, best, as);
		start |= BIT(i);
	}
	late = panref_csgs_apply(s, start);
	for (i = 0; i < s->nslots; i++) {
		if (!(start & BIT(i)))
			continue;
		if (late & BIT(i)) {
			s->slots[i].group->timedout = true;
			continue;
		}
		s->slots[i].state = PANREF_SLOT_RUNNING;
		s->slots[i].group->state = PANREF_GROUP_RESIDENT;
		/* From now on run_job rings; this ring covers earlier jobs. */
		WRITE_ONCE(s->slots[i].group->doorbell, i + 1);
		/* Pairs with the barrier in run_job: doorbell, then insert. */
		smp_mb();
		panref_write(prdev, PANREF_DOORBELL(i + 1), 1);
	}
	if (late) {
		drm_err(&prdev->base, "CSG slots %#x did not start, resetting", late);
		panref_device_schedule_reset(prdev);
		return;
	}

	rotate = wanting > s->nslots;
	list_for_each_entry(g, &s->groups, node)
		if (panref_group_can_run(g) && g->slot < 0 && panref_group_has_work(g))
			rotate = true;
	if (rotate)
		panref_sched_kick(s, PANREF_TICK_MS);
	else if (idle_left)
		panref_sched_kick(s, PANREF_IDLE_EVICT_MS);
}

static bool panref_sched_slots_used(struct panref_sched *s)
{
	u32 i;

	for (i = 0; i < s->nslots; i++)
		if (s->slots[i].group)
			return true;
	return false;
}

static void panref_sched_tick_work(struct work_struct *work)
{
	struct panref_sched *s = container_of(work, struct panref_sched, tick_work.work);
	struct device *dev = s->prdev->base.dev;
	bool keep = false, drop_held = false, fence_cookie;
	int cookie;

	CLASS(panref_kcov, kc)(s->prdev);

	if (!drm_dev_enter(&s->prdev->base, &cookie))
		return;
	if (pm_runtime_resume_and_get(dev)) {
		drm_dev_exit(cookie);
		return;
	}
	/* The tick fails the jobs of the groups it terminates. */
	fence_cookie = dma_fence_begin_signalling();
	mutex_lock(&s->lock);
	/* Slots of a hung GPU are the reset's; post_reset ticks again. */
	if (!s->stopped && !atomic_read(&s->prdev->reset_pending))
		panref_sched_tick_locked(s);
	panref_sched_record_busy(s);
	if (panref_sched_slots_used(s)) {
		keep = !s->pm_held;
		s->pm_held = true;
	} else if (s->pm_held) {
		s->pm_held = false;
		drop_held = true;
	}
	mutex_unlock(&s->lock);
	dma_fence_end_signalling(fence_cookie);
	pm_runtime_mark_last_busy(dev);
	if (!keep)
		pm_runtime_put_autosuspend(dev);
	if (drop_held)
		pm_runtime_put_autosuspend(dev);
	drm_dev_exit(cookie);
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

	CLASS(panref_kcov, kc)(s->prdev);

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
	bool fence_cookie = dma_fence_begin_signalling();
	struct dma_fence *fence = panref_queue_push_job(sched_job);

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

/* ---- reset, unplug, init ------------------------------------------------------------ */

/*
 * Before a GPU reset: groups on slots are suspended if the firmware still
 * answers (they are innocent and resume afterwards); those it does not
 * suspend are marked timed out and fail their jobs.
 */
void panref_sched_pre_reset(struct panref_device *prdev)
{
	struct panref_sched *s = prdev->sched;
	bool drop = false;
	u32 used = 0, late, i;

	if (!s)
		return;
	mutex_lock(&s->lock);
	s->stopped = true;
	for (i = 0; i < s->nslots; i++) {
		struct panref_group *g = s->slots[i].group;

		if (!g)
			continue;
		used |= BIT(i);
		WRITE_ONCE(g->doorbell, 0);
		panref_csg_request_state(s, i, panref_group_can_run(g) ?
					 PANREF_CSG_STATE_SUSPEND : PANREF_CSG_STATE_TERMINATE);
	}
	late = panref_csgs_apply(s, used);
	for (i = 0; i < s->nslots; i++) {
		struct panref_group *g = s->slots[i].group;

		if (!g)
			continue;
		if (late & BIT(i))
			g->timedout = true;
		panref_slot_release(s, i, !panref_group_can_run(g));
	}
	drop = s->pm_held;
	s->pm_held = false;
	mutex_unlock(&s->lock);
	cancel_delayed_work_sync(&s->tick_work);
	cancel_work_sync(&s->event_work);
	atomic_set(&s->irq_pending, 0);
	if (drop) {
		pm_runtime_mark_last_busy(prdev->base.dev);
		pm_runtime_put_autosuspend(prdev->base.dev);
	}
}

void panref_sched_post_reset(struct panref_device *prdev)
{
	struct panref_sched *s = prdev->sched;

	if (!s)
		return;
	mutex_lock(&s->lock);
	s->stopped = false;
	mutex_unlock(&s->lock);
	panref_sched_kick(s, 0);
}

/* The device goes away: every job left fails, no register is touched. */
void panref_sched_unplug(struct panref_device *prdev)
{
	struct panref_sched *s = prdev->sched;
	struct panref_group *g, *tmp;
	bool drop;
	u32 i;

	if (!s)
		return;
	mutex_lock(&s->lock);
	s->stopped = true;
	mutex_unlock(&s->lock);
	cancel_delayed_work_sync(&s->tick_work);
	cancel_work_sync(&s->event_work);

	mutex_lock(&s->lock);
	for (i = 0; i < s->nslots; i++) {
		g = s->slots[i].group;
		if (!g)
			continue;
		s->slots[i].group = NULL;
		s->slots[i].state = PANREF_SLOT_FREE;
		g->slot = -1;
		WRITE_ONCE(g->doorbell, 0);
		panref_vm_idle(g->vm);
		panref_group_put(g);
	}
	list_for_each_entry_safe(g, tmp, &s->groups, node) {
		g->state = PANREF_GROUP_TERMINATED;
		panref_group_fail_jobs(g);
		list_del_init(&g->node);
		panref_group_put(g);
	}
	drop = s->pm_held;
	s->pm_held = false;
	mutex_unlock(&s->lock);
	if (drop) {
		pm_runtime_mark_last_busy(prdev->base.dev);
		pm_runtime_put_autosuspend(prdev->base.dev);
	}
}

static void panref_sched_release(struct drm_device *ddev, void *res)
{
	struct panref_sched *s = res;

	destroy_workqueue(s->wq);
	destroy_workqueue(s->queue_wq);
	destroy_workqueue(s->heap_wq);
	mutex_destroy(&s->lock);
}

int panref_sched_init(struct panref_device *prdev)
{
	struct panref_sched *s;

	s = drmm_kzalloc(&prdev->base, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->prdev = prdev;
	mutex_init(&s->lock);
	INIT_LIST_HEAD(&s->groups);
	INIT_DELAYED_WORK(&s->tick_work, panref_sched_tick_work);
	INIT_WORK(&s->event_work, panref_sched_event_work);
	INIT_WORK(&s->oom_work, panref_sched_oom_work);
	s->nslots = min_t(u32, prdev->csif_info.csg_slot_count, PANREF_MAX_CSG_SLOTS);
	s->ncs = min_t(u32, prdev->csif_info.cs_slot_count, PANREF_MAX_QUEUES);
	/* panref_fw_read_ifaces() made sure there is at least one. */
	s->nas = hweight32(prdev->gpu_info.as_present & GENMASK(31, 1));
	s->wq = alloc_ordered_workqueue("panref-sched", 0);
	/*
	 * drm_sched's submit work runs at high priority: a GROUP_SUBMIT of
	 * many jobs is then written into the ring before the completion work
	 * (and, on the rig, the model's MCU thread) take the CPU, so the CS
	 * runs the burst in few slices and the jobs complete with few
	 * SYNC_UPDATE events and interrupts. On the one-CPU rig this took a
	 * 32-job submit's latency from 1.07-1.28x to 0.83-0.89x of Panthor's,
	 * and the SYNC_UPDATE events per job from 0.56 to 0.18
	 * (bench/submit.sh).
	 */
	s->queue_wq = alloc_workqueue("panref-queues", WQ_UNBOUND | WQ_HIGHPRI, 0);
	s->heap_wq = alloc_workqueue("panref-heap", WQ_UNBOUND, 0);
	if (!s->wq || !s->queue_wq || !s->heap_wq) {
		if (s->wq)
			destroy_workqueue(s->wq);
		if (s->queue_wq)
			destroy_workqueue(s->queue_wq);
		if (s->heap_wq)
			destroy_workqueue(s->heap_wq);
		return -ENOMEM;
	}
	prdev->sched = s;
	/* Open files keep queues after unbind: the workqueues outlive it. */
	return drmm_add_action_or_reset(&prdev->base, panref_sched_release, s);
}
