/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * panref: the objects the CSG scheduler (sched.c) and the uAPI's groups,
 * queues and jobs (group.c) share. Private to those two files.
 */
#ifndef PANREF_SCHED_H
#define PANREF_SCHED_H

#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <drm/gpu_scheduler.h>

#include "panref.h"

#define PANREF_MAX_CSG_SLOTS		16
#define PANREF_MAX_QUEUES		32

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

static inline bool panref_group_can_run(const struct panref_group *g)
{
	return g->state != PANREF_GROUP_TERMINATED && !g->destroyed && !g->timedout &&
	       !g->fatal_queues;
}

/* group.c */
struct panref_group *panref_group_get(struct panref_group *g);
void panref_group_put(struct panref_group *g);
bool panref_group_has_work(struct panref_group *g);
bool panref_group_update(struct panref_group *g);
void panref_group_fail_jobs(struct panref_group *g);

/* sched.c */
void panref_sched_kick(struct panref_sched *s, unsigned int ms);

#endif
