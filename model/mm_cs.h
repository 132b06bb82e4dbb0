/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Command-stream interpreter of the software Mali-G610 (arch v10 CS ISA).
 * Facts: docs/cs-isa.md (Mesa genxml v10, cs_builder.h,
 * decode_csf.c; Panthor's job block). Portable C, like mm_core.c.
 *
 * Asynchronous work (RUN_*, FLUSH_CACHE2, LOAD/STORE_MULTIPLE, deferred
 * SYNC ops) completes at issue, which is one legal ordering of the
 * hardware's: scoreboards are therefore always drained and WAIT never
 * blocks. What can block is SYNC_WAIT, whose condition is re-evaluated
 * whenever the stream is run again.
 */
#ifndef PANREF_MM_CS_H
#define PANREF_MM_CS_H

#include "mm_compat.h"

struct mm_gpu;

#define MM_CS_MAX_REGS		128
#define MM_CS_MAX_DEPTH		7	/* nested CALLs on G610, entry excluded */

/* Exception types a stream can raise (CS output fatal/fault bits 7:0). */
#define MM_CS_EXC_BUS_FAULT		0x48
#define MM_CS_EXC_INSTR_INVALID		0x49
#define MM_CS_EXC_CALL_STACK_OVERFLOW	0x4a

/* CS output status_blocked_reason */
#define MM_CS_BLOCKED_NONE		0
#define MM_CS_BLOCKED_SB_WAIT		1
#define MM_CS_BLOCKED_SYNC_WAIT		3

/* Result of mm_cs_exec(). */
enum mm_cs_result {
	MM_CS_EMPTY,	/* reached the end of the ring: idle */
	MM_CS_BUDGET,	/* ran out of budget: runnable */
	MM_CS_WAITING,	/* blocked on SYNC_WAIT */
	MM_CS_FATAL,	/* stopped by an exception (see exc_*) */
	MM_CS_TILER_OOM,	/* a tiling run needs more heap (retried) */
	MM_CS_SB_WAIT,		/* WAIT on a scoreboard slot a hung task holds */
};

/*
 * Tiler heap model: the G610's tiler writes polygon lists into the heap
 * set with HEAP_SET. The model cannot know how much a draw needs (that
 * depends on Mesa's descriptors), so a RUN_TILING/RUN_IDVS with a heap set
 * consumes MM_CS_TILER_RUN_BYTES of heap credit. Credit comes from chunks
 * the host grants after a TILER_OOM event; FINISH_FRAGMENT gives back what
 * the renderpass used. Deterministic, so tests can count the OOM events.
 */
#define MM_CS_TILER_RUN_BYTES	0x10000

struct mm_cs_frame {
	u64 ip, end;	/* frame 0: ring byte offsets; others: GPU VAs */
};

struct mm_cs_state {
	u32 nregs;
	u32 reg[MM_CS_MAX_REGS];
	struct mm_cs_frame frame[MM_CS_MAX_DEPTH + 2];
	u32 depth;		/* 0: executing the ring itself */
	u64 ring_base;		/* ring buffer GPU VA */
	u32 ring_size;		/* power of two */
	u32 sb_endpoint, sb_other;
	u32 sb_busy;		/* slots held by hung endpoint tasks */
	bool hang_next_run;	/* fault injection: next RUN_* never completes */
	u64 heap_ctx;
	u32 heap_vt_start, heap_vt_end, heap_frag_end;
	u64 heap_credit, heap_used;	/* bytes */
	u64 progress;
	u64 exc_handler_va[4];
	u32 exc_handler_len[4];
	/* Blocked SYNC_WAIT, as the firmware reports it in CS output. */
	u32 blocked;
	u64 wait_ptr, wait_ref;
	bool wait_gt, wait64;
	/* Exception that stopped the stream. */
	u32 exc_type;
	u32 exc_data;
	u64 exc_info;		/* faulting address or instruction address */
	u64 executed;		/* instructions retired */
	u32 sync_updates;	/* SYNC_ADD/SET executed since last cleared */
	u32 flushes;
};

void mm_cs_reset(struct mm_cs_state *s, u32 nregs);

/*
 * Run the stream in address space @as: the ring from frame[0].ip up to
 * frame[0].end (the caller sets .end from the ring's insert pointer) and
 * whatever it CALLs. At most @budget instructions.
 */
enum mm_cs_result mm_cs_exec(struct mm_gpu *g, unsigned int as,
			     struct mm_cs_state *s, u32 budget);

/* Encoders (cs-isa.md section 2), for tests and scenario programs. */
#define MMCS_F(v, pos)	((u64)(v) << (pos))

static inline u64 mm_cs_op(u32 op, u64 payload)
{
	return ((u64)op << 56) | (payload & 0x00ffffffffffffffull);
}

static inline u64 mm_cs_mov48(u32 d, u64 imm)
{
	return mm_cs_op(1, MMCS_F(d, 48) | (imm & 0xffffffffffffull));
}

static inline u64 mm_cs_mov32(u32 d, u32 imm)
{
	return mm_cs_op(2, MMCS_F(d, 48) | imm);
}

static inline u64 mm_cs_wait(u32 mask)
{
	return mm_cs_op(3, MMCS_F(mask & 0xff, 16));
}

static inline u64 mm_cs_add32(u32 d, u32 s, s32 imm)
{
	return mm_cs_op(16, MMCS_F(d, 48) | MMCS_F(s, 40) | (u32)imm);
}

static inline u64 mm_cs_add64(u32 d, u32 s, s32 imm)
{
	return mm_cs_op(17, MMCS_F(d, 48) | MMCS_F(s, 40) | (u32)imm);
}

static inline u64 mm_cs_umin32(u32 d, u32 a, u32 b)
{
	return mm_cs_op(18, MMCS_F(d, 48) | MMCS_F(a, 40) | MMCS_F(b, 32));
}

/* LOAD_MULTIPLE (20) / STORE_MULTIPLE (21): r[base+i] <-> mem[a + off + 4i] */
static inline u64 mm_cs_ldst(u32 op, u32 base, u32 a, u32 mask, s16 off)
{
	return mm_cs_op(op, MMCS_F(base, 48) | MMCS_F(a, 40) | MMCS_F(mask, 16) | (u16)off);
}

static inline u64 mm_cs_branch(u32 cond, u32 r, s16 off)
{
	return mm_cs_op(22, MMCS_F(cond, 28) | MMCS_F(r, 40) | (u16)off);
}

/* CALL (32) / JUMP (33): address pair @a, byte length in register @len */
static inline u64 mm_cs_call(u32 op, u32 a, u32 len)
{
	return mm_cs_op(op, MMCS_F(a, 40) | MMCS_F(len, 32));
}

/* FLUSH_CACHE2: clean+invalidate L2 and LSC, invalidate other. */
static inline u64 mm_cs_flush(u32 flush_id_reg)
{
	return mm_cs_op(36, MMCS_F(flush_id_reg, 40) | 0x233);
}

/* SYNC_ADD/SET 32 (37/38) and 64 (51/52): mem[a] (+)= r[d] */
static inline u64 mm_cs_sync(u32 op, u32 a, u32 d, bool propagate)
{
	return mm_cs_op(op, MMCS_F(a, 40) | MMCS_F(d, 32) | propagate);
}

/* SYNC_WAIT32 (39) / SYNC_WAIT64 (53): cond 0 = LE, 1 = GT */
static inline u64 mm_cs_sync_wait(u32 op, u32 cond, u32 a, u32 d)
{
	return mm_cs_op(op, MMCS_F(cond, 28) | MMCS_F(a, 40) | MMCS_F(d, 32));
}

#endif
