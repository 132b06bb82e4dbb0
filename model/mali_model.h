/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Software Mali-G610 (CSF) - the portable core.
 *
 * The core owns the register file, the three interrupt lines, the MMU and
 * the MCU firmware interface. It never sleeps, never allocates and reaches
 * memory only through struct mm_host_ops, so the same code runs in the UML
 * kernel module (memory = phys_to_virt) and in host tests (a byte array).
 * The caller serialises all calls (one lock per GPU).
 *
 * Register accesses take effect immediately; work that real hardware does
 * on the MCU (booting the interface, answering doorbells) is queued and
 * done by mm_mcu_step(), which the UML glue calls from one kthread per GPU.
 * Interrupt lines are level: asserted while RAWSTAT & MASK != 0.
 */
#ifndef PANREF_MALI_MODEL_H
#define PANREF_MALI_MODEL_H

#include "mm_compat.h"
#include "csf_layout.h"
#include "mm_cs.h"

#define MM_MAX_AS	8
#define MM_MAX_CSG	CSFL_MAX_CSG
#define MM_MAX_CS	CSFL_MAX_CS

/* What the model presents. mm_config_g610() fills in a Mali-G610 (RK3588). */
struct mm_config {
	u32 gpu_id, gpu_rev, csf_id;
	u32 l2_features, core_features, tiler_features, mem_features;
	u32 mmu_features, as_present;
	u32 thread_max_threads, thread_max_workgroup_size;
	u32 thread_max_barrier_size, thread_features;
	u32 texture_features[4];
	u32 coherency_features;
	u64 shader_present, tiler_present, l2_present;
	u64 timestamp_hz;	/* system timer feeding TIMESTAMP */
	u64 cycle_hz;		/* GPU clock feeding CYCLE_COUNT */
	/* Firmware interface (what the MCU publishes at boot). */
	u32 glb_version, glb_features, instr_features;
	u32 csg_num, cs_num;
	u32 csg_features, csg_suspend_size, csg_protm_suspend_size;
	u32 cs_features;
	u32 flush_id_reset;	/* LATEST_FLUSH_ID after reset */
};

void mm_config_g610(struct mm_config *cfg);

/* Memory access and environment, provided by the embedder. */
struct mm_host_ops {
	/* Physical memory; return 0 or -1 if @pa..@pa+@len is not RAM. */
	int (*phys_read)(void *ctx, u64 pa, void *buf, size_t len);
	int (*phys_write)(void *ctx, u64 pa, const void *buf, size_t len);
	u64 (*now_ns)(void *ctx);
	/* One already-formatted message; the embedder rate-limits. */
	void (*log)(void *ctx, int level, const char *msg);
	/*
	 * Optional: LATEST_FLUSH_ID changed to @flush_id. The embedder keeps
	 * it in the page userspace maps (USER_FLUSH_ID), so that page and the
	 * register read the same value.
	 */
	void (*flush_id_changed)(void *ctx, u32 flush_id);
};

enum mm_log_level { MM_LOG_ERR, MM_LOG_WARN, MM_LOG_INFO, MM_LOG_DEBUG };

enum mm_irq_line { MM_IRQ_JOB, MM_IRQ_MMU, MM_IRQ_GPU, MM_IRQ_COUNT };

enum mm_access { MM_ACC_READ, MM_ACC_WRITE, MM_ACC_EXEC };

/* Result of a page-table walk. */
struct mm_xlate {
	u64 pa;
	u32 fault;		/* 0, or an AS_FAULTSTATUS exception type */
	int level;		/* level of the descriptor that decided */
	bool writable, executable;
};

struct mm_as {
	/* Programmed values (written by the driver). */
	u64 transtab, memattr, transcfg, lockaddr;
	/* Values latched by AS_COMMAND_UPDATE: what the walker uses. */
	u64 act_transtab, act_memattr, act_transcfg;
	u32 faultstatus;
	u64 faultaddress, faultextra;
	u32 cmd_count;
};

/* Fault injection (mm_gpu.inject): the next CS fatal is unrecoverable. */
#define MM_INJECT_CS_UNRECOVERABLE	(1u << 0)
/* ... the next RUN_COMPUTE/FRAGMENT in any stream never completes. */
#define MM_INJECT_HANG_ENDPOINT		(1u << 1)
/*
 * ... the next SUSPEND or TERMINATE of a running CSG is never acknowledged:
 * the slot hangs, its streams go on running in its address space, and it
 * answers no state request until the GPU is reset (mm_csg_slot.hung).
 */
#define MM_INJECT_CSG_HANG		(1u << 2)
/* ... the MCU never boots again (not one shot: kept until cleared). */
#define MM_INJECT_MCU_DEAD		(1u << 3)

/*
 * A hostile MCU, for the firmware-interface fuzzer (docs/fuzzing.md): set
 * through debugfs "hostile" (mm_hostile_parse()), kept until replaced.
 * @writes go into the shared section after every MCU boot (the control
 * blocks the host reads: versions, counts, strides, VAs); @glb_ack_drop and
 * @csg_ack_drop are request bits the MCU never acknowledges; @ack_flip is
 * XORed into every GLB and CSG acknowledgement; @fatal_code, if set,
 * replaces the exception type of every CS fatal; @ack_late_ms holds every
 * answer to the global doorbell (the GLB and CSG acknowledgements it
 * carries) back by that many milliseconds; @spurious_csg says which CSG
 * events the MCU raises, unasked, on every CSG start or resume (bit 0
 * SYNC_UPDATE, bit 1 IDLE, bit 2 PROGRESS_TIMER).
 */
#define MM_HOSTILE_MAX_WRITES	16
struct mm_hostile {
	u32 nwrites;
	struct {
		u32 off, val;
	} w[MM_HOSTILE_MAX_WRITES];
	u32 glb_ack_drop, csg_ack_drop, ack_flip;
	u32 fatal_code;
	u32 ack_late_ms;
	u32 spurious_csg;
};

/* Parse @len bytes of fuzz input into @h; returns the bytes used. */
u32 mm_hostile_parse(struct mm_hostile *h, const u8 *buf, u32 len);

/* Pending MCU work bits (mm_gpu.mcu_work). */
#define MM_WORK_CONTROL		(1u << 0)	/* MCU_CONTROL changed */
#define MM_WORK_GLB_DB		(1u << 1)	/* doorbell 0 rung */
#define MM_WORK_CS_DB_SHIFT	2		/* doorbells 1..: per CSG slot */

/* A command stream slot (CS j of CSG slot i) as the MCU runs it. */
struct mm_cs_slot {
	bool started;		/* CS STATE = START acknowledged */
	bool runnable;		/* may have work: doorbell, start, sync update */
	bool waiting;		/* blocked on SYNC_WAIT */
	bool fatal;		/* stopped by an exception, reported */
	bool oom_pending;	/* TILER_OOM raised, host has not answered */
	bool progress_reported;	/* PROGRESS_TIMER raised for this hang */
	u64 stalled_since_ns;	/* blocked on a hung scoreboard since */
	u64 ring_in_va, ring_out_va;	/* MCU VAs of the ring pointers */
	struct mm_cs_state st;
};

struct mm_csg_slot {
	bool running;		/* START/RESUME acknowledged, not suspended */
	bool hung;		/* MM_INJECT_CSG_HANG took it: acks nothing */
	u32 hung_state;		/* the CSG state request it hung on */
	bool idle;		/* last reported CSG status: idle */
	u32 as;			/* address space of the group (CSG config) */
	struct mm_cs_slot cs[MM_MAX_CS];
};

struct mm_stats {
	u64 reg_reads, reg_writes, unknown_reads, unknown_writes;
	u64 soft_resets, hard_resets, cache_flushes, mcu_boots;
	u64 doorbells, glb_reqs_acked, pings, mcu_faults;
	u64 cs_instructions, cs_fatals, csg_starts, csg_suspends, csg_resumes;
	u64 csg_terminates, sync_update_events, idle_events;
	u64 tiler_ooms, heap_chunks_granted, heap_grants_refused;
	u64 progress_timer_events;
	/*
	 * csg_hangs: slots MM_INJECT_CSG_HANG hung; hung_slot_reprogrammed:
	 * a host asked a hung slot for another state before resetting the
	 * GPU (it gave the slot, still running the old group, to a new one);
	 * mcu_boots_refused: boots MM_INJECT_MCU_DEAD refused.
	 */
	u64 csg_hangs, hung_slot_reprogrammed, mcu_boots_refused;
	u64 last_heap_chunk;	/* VA of the last chunk the host granted */
	u64 irqs_raised[MM_IRQ_COUNT];	/* counted by the embedder */
};

struct mm_gpu {
	struct mm_config cfg;
	const struct mm_host_ops *ops;
	void *ctx;

	/* Interrupt registers, per line. */
	u32 rawstat[MM_IRQ_COUNT], mask[MM_IRQ_COUNT];

	u32 gpu_status, fault_status;
	u64 fault_addr;
	u64 timestamp_offset;
	u64 shader_ready, tiler_ready, l2_ready;
	u32 coherency_protocol;
	u32 pwr_key, pwr_override[2];
	u32 flush_id;

	u32 mcu_control, mcu_status;
	u32 mcu_work;		/* MM_WORK_* still to be done by mm_mcu_step */
	u32 mcu_work_late;	/* MM_WORK_* a late hostile MCU holds back */
	u64 late_since_ns;	/* when it started holding them */
	bool halt_latched;	/* GLB_HALT 0->1 already acted on */
	/* GLB configuration the MCU latched from its input page. */
	u32 glb_progress_timer, glb_poweroff_timer, glb_idle_timer;
	u64 glb_core_en_mask;
	u32 glb_state_reqs;	/* IDLE_EN/COUNTER_EN/PERFCNT_EN as acked */

	struct mm_as as[MM_MAX_AS];
	struct mm_csg_slot csg[MM_MAX_CSG];
	bool any_waiting;	/* some stream is blocked on SYNC_WAIT */

	/* One-shot fault injections (MM_INJECT_*), set through debugfs. */
	u32 inject;
	struct mm_hostile hostile;

	/* Set when a line may have changed; the embedder clears it. */
	bool irq_dirty;
	struct mm_stats stats;
};

void mm_init(struct mm_gpu *g, const struct mm_config *cfg,
	     const struct mm_host_ops *ops, void *ctx);
/* Power-on state (what soft and hard reset restore). */
void mm_reset(struct mm_gpu *g);

u32 mm_reg_read(struct mm_gpu *g, u32 offset);
void mm_reg_write(struct mm_gpu *g, u32 offset, u32 value);

bool mm_irq_asserted(const struct mm_gpu *g, enum mm_irq_line line);

/*
 * Set LATEST_FLUSH_ID (reset, and each cache flush: GPU_COMMAND, a
 * command stream's FLUSH_CACHE2, or one the embedder injects) and tell
 * the embedder through ops->flush_id_changed.
 */
void mm_set_flush_id(struct mm_gpu *g, u32 flush_id);

/*
 * Do the MCU's pending work: requests, doorbells, and a bounded slice of
 * command-stream execution. Returns true if it should be called again
 * (work remains); the embedder may drop its lock in between.
 */
bool mm_mcu_step(struct mm_gpu *g);
/* Re-evaluate streams blocked on SYNC_WAIT (memory may have changed). */
void mm_mcu_poll_waits(struct mm_gpu *g);

/* Walk the page tables of @as (its latched configuration) for @va. */
void mm_translate(struct mm_gpu *g, unsigned int as, u64 va,
		  enum mm_access acc, struct mm_xlate *out);
/* Bytes through the MMU; -1 on a fault (reported in @x if non-NULL). */
int mm_vm_read(struct mm_gpu *g, unsigned int as, u64 va, void *buf,
	       size_t len, struct mm_xlate *x);
int mm_vm_write(struct mm_gpu *g, unsigned int as, u64 va, const void *buf,
		size_t len, struct mm_xlate *x);
/* Record an MMU fault on @as and raise its MMU_INT bit. */
void mm_mmu_fault(struct mm_gpu *g, unsigned int as, u64 va,
		  enum mm_access acc, u32 exception);

/* key value lines of what DEV_QUERY should report for this model. */
int mm_format_info(const struct mm_gpu *g, char *buf, size_t len);

#endif
