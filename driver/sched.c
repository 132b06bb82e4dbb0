// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: the CSG scheduler - CSG slots, firmware events, heap growth on
 * TILER_OOM, the tick, reset and unplug. The groups, queues and jobs it
 * schedules are group.c's.
 *
 * The design is panref's own (driver/README.md has the state diagram):
 *
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
 *    by one event worker on the same ordered workqueue as the tick; a
 *    TILER_OOM is answered by a heap worker on a workqueue of its own.
 *
 * What follows Panthor: the firmware's request/acknowledge protocol (CSG
 * and CS requests, doorbells) gives both drivers the same outline where
 * they program a slot or acknowledge an event; the heap worker's steps
 * (read the request under the lock, allocate without it, answer if the
 * group is still on its slot) are those any driver of this interface
 * takes, Panthor's group_process_tiler_oom() included; the workers'
 * runtime-PM handling (a reference held while slots are used, the reset
 * holding one) follows the runtime-PM contract as Panthor's does. The
 * observable results (group states, fence errors, the reset's outcome)
 * are Panthor 6.12's. The code is panref's.
 */
#include <linux/dma-fence.h>
#include <linux/pm_runtime.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "sched.h"

#define PANREF_TICK_MS			10
#define PANREF_IDLE_EVICT_MS		20
#define PANREF_CSG_ACK_TIMEOUT_MS	100

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

/* ---- CSG slots -------------------------------------------------------------------- */

void panref_sched_kick(struct panref_sched *s, unsigned int ms)
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

/* Tick, steps 1-2: what the GPU reported, and groups that cannot run. */
static void panref_tick_collect(struct panref_sched *s)
{
	struct panref_group *g, *tmp;
	u32 i;

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
}

/*
 * Tick, step 4: empty the slots whose group cannot run (TERMINATE), was not
 * picked though it has work (SUSPEND: rotation), or is idle and either
 * overdue or in the way of @need picked groups (SUSPEND). Returns false if
 * a slot did not acknowledge (a reset is scheduled); sets *@idle_left if an
 * idle group keeps its slot for now.
 */
static bool panref_tick_empty_slots(struct panref_sched *s, unsigned long now, u32 need,
				    bool *idle_left)
{
	u32 free = 0, evict = 0, term = 0, late, i;
	struct panref_group *g;

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
			*idle_left = true;
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
	if (!late)
		return true;
	drm_err(&s->prdev->base, "CSG slots %#x did not acknowledge, resetting", late);
	for (i = 0; i < s->nslots; i++)
		if (late & BIT(i))
			s->slots[i].group->timedout = true;
	panref_device_schedule_reset(s->prdev);
	return false;
}

/*
 * Tick, step 5: the picked groups onto free slots, best first, each VM
 * given an address space; one doorbell, one wait for the START/RESUME
 * acknowledgements. Returns false if a slot did not acknowledge.
 */
static bool panref_tick_fill_slots(struct panref_sched *s, unsigned long now)
{
	struct panref_device *prdev = s->prdev;
	struct panref_group *g;
	u32 start = 0, late, i;

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
	if (!late)
		return true;
	drm_err(&prdev->base, "CSG slots %#x did not start, resetting", late);
	panref_device_schedule_reset(prdev);
	return false;
}

/* One tick: the steps of "What a tick decides" in driver/README.md. */
static void panref_sched_tick_locked(struct panref_sched *s)
{
	unsigned long now = jiffies;
	bool rotate, idle_left = false;
	struct panref_group *g;
	u32 wanting, need = 0;

	panref_tick_collect(s);

	wanting = panref_sched_pick(s, now);
	list_for_each_entry(g, &s->groups, node)
		if (g->picked && g->slot < 0)
			need++;

	if (!panref_tick_empty_slots(s, now, need, &idle_left) ||
	    !panref_tick_fill_slots(s, now))
		return;

	/* Step 6: runnable groups left off the slots get their turn soon. */
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
	/* A pending reset runs first (it may have given up while resuming). */
	panref_device_kick_reset(s->prdev);
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
