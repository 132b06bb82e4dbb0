// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Command-stream interpreter of the software Mali-G610 (arch v10).
 * Encodings: docs/cs-isa.md. See mm_cs.h for the model.
 */
#include "mali_model.h"
#include "mm_cs.h"

/* Opcodes (bits 63:56). */
enum {
	OP_NOP = 0, OP_MOVE48 = 1, OP_MOVE32 = 2, OP_WAIT = 3,
	OP_RUN_COMPUTE = 4, OP_RUN_TILING = 5, OP_RUN_IDVS = 6,
	OP_RUN_FRAGMENT = 7, OP_RUN_FULLSCREEN = 8, OP_FINISH_TILING = 9,
	OP_FINISH_FRAGMENT = 11, OP_ADD_IMM32 = 16, OP_ADD_IMM64 = 17,
	OP_UMIN32 = 18, OP_LOAD_MULTIPLE = 20, OP_STORE_MULTIPLE = 21,
	OP_BRANCH = 22, OP_SET_SB_ENTRY = 23, OP_PROGRESS_WAIT = 24,
	OP_SET_EXCEPTION_HANDLER = 25, OP_CALL = 32, OP_JUMP = 33,
	OP_REQ_RESOURCE = 34, OP_FLUSH_CACHE2 = 36, OP_SYNC_ADD32 = 37,
	OP_SYNC_SET32 = 38, OP_SYNC_WAIT32 = 39, OP_STORE_STATE = 40,
	OP_PROT_REGION = 41, OP_PROGRESS_STORE = 42, OP_PROGRESS_LOAD = 43,
	OP_RUN_COMPUTE_INDIRECT = 44, OP_ERROR_BARRIER = 47, OP_HEAP_SET = 48,
	OP_HEAP_OPERATION = 49, OP_TRACE_POINT = 50, OP_SYNC_ADD64 = 51,
	OP_SYNC_SET64 = 52, OP_SYNC_WAIT64 = 53,
};

enum {
	COND_LE = 0, COND_GT = 1, COND_EQ = 2, COND_NE = 3, COND_LT = 4,
	COND_GE = 5, COND_ALWAYS = 6,
};

#define FIELD(w, start, width)	(((w) >> (start)) & ((1ull << (width)) - 1))
#define SEXT16(x)		((s64)(s16)(u16)(x))

void mm_cs_reset(struct mm_cs_state *s, u32 nregs)
{
	memset(s, 0, sizeof(*s));
	s->nregs = nregs > MM_CS_MAX_REGS ? MM_CS_MAX_REGS : nregs;
}

/* Stop the stream with an exception; the caller reports it. */
static enum mm_cs_result cs_fatal(struct mm_cs_state *s, u32 type, u64 info)
{
	s->exc_type = type;
	s->exc_data = 0;
	s->exc_info = info;
	return MM_CS_FATAL;
}

static bool reg_ok(const struct mm_cs_state *s, u32 r, u32 count)
{
	return r + count <= s->nregs;
}

static u64 pair(const struct mm_cs_state *s, u32 r)
{
	return s->reg[r] | (u64)s->reg[r + 1] << 32;
}

static void set_pair(struct mm_cs_state *s, u32 r, u64 v)
{
	s->reg[r] = (u32)v;
	s->reg[r + 1] = (u32)(v >> 32);
}

/* Memory through the stream's address space; faults go to the MMU. */
static int cs_mem(struct mm_gpu *g, unsigned int as, u64 va, void *buf,
		  size_t len, bool write, struct mm_cs_state *s)
{
	struct mm_xlate x;
	int r;

	r = write ? mm_vm_write(g, as, va, buf, len, &x) :
		    mm_vm_read(g, as, va, buf, len, &x);
	if (!r)
		return 0;
	mm_mmu_fault(g, as, x.pa, write ? MM_ACC_WRITE : MM_ACC_READ, x.fault);
	s->exc_type = MM_CS_EXC_BUS_FAULT;
	s->exc_data = x.fault;
	s->exc_info = x.pa;
	return -1;
}

static int rd32(struct mm_gpu *g, unsigned int as, u64 va, u32 *v,
		struct mm_cs_state *s)
{
	u8 b[4];

	if (cs_mem(g, as, va, b, 4, false, s))
		return -1;
	*v = b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
	return 0;
}

static int wr32(struct mm_gpu *g, unsigned int as, u64 va, u32 v,
		struct mm_cs_state *s)
{
	u8 b[4] = { v, v >> 8, v >> 16, v >> 24 };

	return cs_mem(g, as, va, b, 4, true, s);
}

static int rd64(struct mm_gpu *g, unsigned int as, u64 va, u64 *v,
		struct mm_cs_state *s)
{
	u32 lo, hi;

	if (rd32(g, as, va, &lo, s) || rd32(g, as, va + 4, &hi, s))
		return -1;
	*v = lo | (u64)hi << 32;
	return 0;
}

static int wr64(struct mm_gpu *g, unsigned int as, u64 va, u64 v,
		struct mm_cs_state *s)
{
	u8 b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = v >> (8 * i);
	return cs_mem(g, as, va, b, 8, true, s);
}

static bool branch_taken(u32 cond, s32 v)
{
	switch (cond) {
	case COND_LE:
		return v <= 0;
	case COND_GT:
		return v > 0;
	case COND_EQ:
		return v == 0;
	case COND_NE:
		return v != 0;
	case COND_LT:
		return v < 0;
	case COND_GE:
		return v >= 0;
	default:
		return true;	/* ALWAYS */
	}
}

/* Address of the instruction at the current frame's ip. */
static u64 fetch_va(const struct mm_cs_state *s)
{
	const struct mm_cs_frame *f = &s->frame[s->depth];

	if (s->depth)
		return f->ip;
	return s->ring_base + (f->ip & (s->ring_size - 1));
}

/* SYNC_ADD/SET 32/64: returns 0, or -1 after a memory fault. */
static int sync_op(struct mm_gpu *g, unsigned int as, struct mm_cs_state *s,
		   u32 op, u64 w)
{
	u32 data = FIELD(w, 32, 8), addr = FIELD(w, 40, 8);
	bool wide = op == OP_SYNC_ADD64 || op == OP_SYNC_SET64;
	bool add = op == OP_SYNC_ADD32 || op == OP_SYNC_ADD64;
	u64 va = pair(s, addr), cur;
	u32 cur32;

	if (wide) {
		if (rd64(g, as, va, &cur, s))
			return -1;
		cur = add ? cur + pair(s, data) : pair(s, data);
		if (wr64(g, as, va, cur, s))
			return -1;
	} else {
		if (rd32(g, as, va, &cur32, s))
			return -1;
		cur32 = add ? cur32 + s->reg[data] : s->reg[data];
		if (wr32(g, as, va, cur32, s))
			return -1;
	}
	/* error_propagate: the stream carries no error, so status = 0. */
	if (FIELD(w, 0, 1) && wr32(g, as, va + (wide ? 8 : 4), 0, s))
		return -1;
	s->sync_updates++;
	return 0;
}

/* SYNC_WAIT32/64: true if the condition holds (unsigned compare). */
static int sync_wait(struct mm_gpu *g, unsigned int as, struct mm_cs_state *s,
		     u32 op, u64 w, bool *done)
{
	u32 cond = FIELD(w, 28, 4), data = FIELD(w, 32, 8);
	bool wide = op == OP_SYNC_WAIT64;
	u64 va = pair(s, FIELD(w, 40, 8)), cur, ref;
	u32 cur32;

	if (wide) {
		if (rd64(g, as, va, &cur, s))
			return -1;
		ref = pair(s, data);
	} else {
		if (rd32(g, as, va, &cur32, s))
			return -1;
		cur = cur32;
		ref = s->reg[data];
	}
	*done = cond == COND_GT ? cur > ref : cur <= ref;
	if (!*done) {
		s->blocked = MM_CS_BLOCKED_SYNC_WAIT;
		s->wait_ptr = va;
		s->wait_ref = ref;
		s->wait_gt = cond == COND_GT;
		s->wait64 = wide;
	} else {
		s->blocked = MM_CS_BLOCKED_NONE;
	}
	return 0;
}

/* Operand registers each opcode names, checked against nregs. */
static bool operands_ok(const struct mm_cs_state *s, u32 op, u64 w)
{
	u32 dst = FIELD(w, 48, 8), src = FIELD(w, 40, 8), src2 = FIELD(w, 32, 8);

	switch (op) {
	case OP_MOVE48:
		return !(dst & 1) && reg_ok(s, dst, 2);
	case OP_MOVE32:
		return reg_ok(s, dst, 1);
	case OP_ADD_IMM32:
		return reg_ok(s, dst, 1) && reg_ok(s, src, 1);
	case OP_ADD_IMM64:
		return !(dst & 1) && !(src & 1) && reg_ok(s, dst, 2) && reg_ok(s, src, 2);
	case OP_UMIN32:
		return reg_ok(s, dst, 1) && reg_ok(s, src, 1) && reg_ok(s, src2, 1);
	case OP_LOAD_MULTIPLE:
	case OP_STORE_MULTIPLE: {
		u32 mask = FIELD(w, 16, 16), top = 0;

		while (mask >> top)
			top++;
		return !(src & 1) && reg_ok(s, src, 2) && reg_ok(s, dst, top);
	}
	case OP_BRANCH:
		return FIELD(w, 28, 3) == COND_ALWAYS || reg_ok(s, src, 1);
	case OP_CALL:
	case OP_JUMP:
	case OP_SET_EXCEPTION_HANDLER:
		return !(src & 1) && reg_ok(s, src, 2) && reg_ok(s, src2, 1);
	case OP_FLUSH_CACHE2:
		return reg_ok(s, src, 1);
	case OP_SYNC_ADD32:
	case OP_SYNC_SET32:
	case OP_SYNC_WAIT32:
		return !(src & 1) && reg_ok(s, src, 2) && reg_ok(s, src2, 1);
	case OP_SYNC_ADD64:
	case OP_SYNC_SET64:
	case OP_SYNC_WAIT64:
		return !(src & 1) && !(src2 & 1) && reg_ok(s, src, 2) && reg_ok(s, src2, 2);
	case OP_STORE_STATE:
	case OP_PROGRESS_WAIT:
	case OP_PROGRESS_STORE:
	case OP_HEAP_SET:
		return !(src & 1) && reg_ok(s, src, 2);
	case OP_PROGRESS_LOAD:
		return !(dst & 1) && reg_ok(s, dst, 2);
	case OP_FINISH_FRAGMENT:
		return reg_ok(s, src, 2) && reg_ok(s, src2, 2);
	}
	return true;
}

/* Execute one instruction. Returns MM_CS_BUDGET to go on. */
static enum mm_cs_result step(struct mm_gpu *g, unsigned int as,
			      struct mm_cs_state *s, u64 w, u64 va)
{
	struct mm_cs_frame *f = &s->frame[s->depth];
	u32 op = w >> 56, dst = FIELD(w, 48, 8), src = FIELD(w, 40, 8);
	u32 src2 = FIELD(w, 32, 8);
	u64 next = f->ip + 8;
	bool done;

	if (!operands_ok(s, op, w))
		return cs_fatal(s, MM_CS_EXC_INSTR_INVALID, va);

	switch (op) {
	case OP_WAIT:
		/* Scoreboards drain at issue, unless a task was made to hang. */
		if (FIELD(w, 16, 8) & s->sb_busy) {
			s->blocked = MM_CS_BLOCKED_SB_WAIT;
			return MM_CS_SB_WAIT;
		}
		s->blocked = MM_CS_BLOCKED_NONE;
		break;
	case OP_NOP:
	case OP_REQ_RESOURCE:
	case OP_PROGRESS_WAIT:	/* progress of others: always reached */
	case OP_PROT_REGION:	/* no protected mode in the model */
	case OP_ERROR_BARRIER:	/* streams carry no error state */
	case OP_TRACE_POINT:
	case OP_FINISH_TILING:
		break;
	case OP_RUN_TILING:
	case OP_RUN_IDVS:
		if (s->heap_ctx) {
			if (s->heap_credit < MM_CS_TILER_RUN_BYTES)
				return MM_CS_TILER_OOM;	/* ip stays: retried */
			s->heap_credit -= MM_CS_TILER_RUN_BYTES;
			s->heap_used += MM_CS_TILER_RUN_BYTES;
		}
		if (FIELD(w, 32, 1))
			s->progress++;
		break;
	case OP_RUN_COMPUTE:
	case OP_RUN_FRAGMENT:
	case OP_RUN_FULLSCREEN:
	case OP_RUN_COMPUTE_INDIRECT:
		/* Work completes without running shaders. */
		if (s->hang_next_run) {
			s->hang_next_run = false;
			s->sb_busy |= 1u << (s->sb_endpoint & 7);
		}
		if (FIELD(w, 32, 1))
			s->progress++;
		break;
	case OP_FINISH_FRAGMENT:
		if (FIELD(w, 0, 1))
			s->heap_frag_end++;
		/* The renderpass's heap memory goes back to the heap. */
		s->heap_credit += s->heap_used;
		s->heap_used = 0;
		break;
	case OP_MOVE48:
		set_pair(s, dst, FIELD(w, 0, 48));
		break;
	case OP_MOVE32:
		s->reg[dst] = (u32)w;
		break;
	case OP_ADD_IMM32:
		s->reg[dst] = s->reg[src] + (u32)w;
		break;
	case OP_ADD_IMM64:
		set_pair(s, dst, pair(s, src) + (u64)(s64)(s32)(u32)w);
		break;
	case OP_UMIN32:
		s->reg[dst] = s->reg[src] < s->reg[src2] ? s->reg[src] : s->reg[src2];
		break;
	case OP_LOAD_MULTIPLE:
	case OP_STORE_MULTIPLE: {
		u64 addr = pair(s, src) + SEXT16(w);
		u32 mask = FIELD(w, 16, 16), i;

		for (i = 0; i < 16; i++) {
			if (!(mask & (1u << i)))
				continue;
			if (op == OP_LOAD_MULTIPLE ?
			    rd32(g, as, addr + 4 * i, &s->reg[dst + i], s) :
			    wr32(g, as, addr + 4 * i, s->reg[dst + i], s))
				return MM_CS_FATAL;
		}
		break;
	}
	case OP_BRANCH:
		if (branch_taken(FIELD(w, 28, 3), (s32)s->reg[src]))
			next = f->ip + 8 + 8 * SEXT16(w);
		break;
	case OP_SET_SB_ENTRY:
		s->sb_endpoint = FIELD(w, 0, 4);
		s->sb_other = FIELD(w, 4, 4);
		break;
	case OP_SET_EXCEPTION_HANDLER: {
		u32 type = FIELD(w, 0, 8);

		if (type < 4) {
			s->exc_handler_va[type] = pair(s, src);
			s->exc_handler_len[type] = s->reg[src2];
		}
		break;
	}
	case OP_CALL:
	case OP_JUMP: {
		u64 target = pair(s, src);
		u32 len = s->reg[src2];

		if ((len & 7) || (target & 7))
			return cs_fatal(s, MM_CS_EXC_INSTR_INVALID, va);
		if (op == OP_JUMP) {
			if (!s->depth)	/* the ring cannot be replaced */
				return cs_fatal(s, MM_CS_EXC_INSTR_INVALID, va);
			f->ip = target;
			f->end = target + len;
			s->executed++;
			return MM_CS_BUDGET;
		}
		f->ip = next;
		if (!len)
			break;
		/* The kernel ring is frame 0; 7 more nested CALLs fit. */
		if (s->depth >= MM_CS_MAX_DEPTH)
			return cs_fatal(s, MM_CS_EXC_CALL_STACK_OVERFLOW, va);
		s->depth++;
		s->frame[s->depth].ip = target;
		s->frame[s->depth].end = target + len;
		s->executed++;
		return MM_CS_BUDGET;
	}
	case OP_FLUSH_CACHE2:
		/* Nothing is cached; a flush still advances the flush ID. */
		mm_set_flush_id(g, g->flush_id + 1);
		s->flushes++;
		break;
	case OP_SYNC_ADD32:
	case OP_SYNC_SET32:
	case OP_SYNC_ADD64:
	case OP_SYNC_SET64:
		if (sync_op(g, as, s, op, w))
			return MM_CS_FATAL;
		break;
	case OP_SYNC_WAIT32:
	case OP_SYNC_WAIT64:
		if (FIELD(w, 28, 4) != COND_LE && FIELD(w, 28, 4) != COND_GT)
			return cs_fatal(s, MM_CS_EXC_INSTR_INVALID, va);
		if (sync_wait(g, as, s, op, w, &done))
			return MM_CS_FATAL;
		if (!done)
			return MM_CS_WAITING;	/* ip stays on the wait */
		break;
	case OP_STORE_STATE: {
		u64 v = 0, ns = g->ops->now_ns ? g->ops->now_ns(g->ctx) : 0;

		switch (FIELD(w, 32, 2)) {
		case 0:
			v = (ns / 1000000000ull) * g->cfg.timestamp_hz +
			    (ns % 1000000000ull) * g->cfg.timestamp_hz / 1000000000ull +
			    g->timestamp_offset;
			break;
		case 1:
			v = (ns / 1000000000ull) * g->cfg.cycle_hz +
			    (ns % 1000000000ull) * g->cfg.cycle_hz / 1000000000ull;
			break;
		default:
			v = 0;	/* disjoint count, error status: none */
			break;
		}
		if (wr64(g, as, pair(s, src) + SEXT16(w), v, s))
			return MM_CS_FATAL;
		break;
	}
	case OP_PROGRESS_STORE:
		s->progress = pair(s, src);
		break;
	case OP_PROGRESS_LOAD:
		set_pair(s, dst, s->progress);
		break;
	case OP_HEAP_SET:
		s->heap_ctx = pair(s, src);
		break;
	case OP_HEAP_OPERATION:
		switch (FIELD(w, 32, 2)) {
		case 0:
			s->heap_vt_start++;
			break;
		case 1:
			s->heap_vt_end++;
			break;
		case 3:
			s->heap_frag_end++;
			break;
		default:
			return cs_fatal(s, MM_CS_EXC_INSTR_INVALID, va);
		}
		break;
	default:
		return cs_fatal(s, MM_CS_EXC_INSTR_INVALID, va);
	}
	f->ip = next;
	s->executed++;
	return MM_CS_BUDGET;
}

enum mm_cs_result mm_cs_exec(struct mm_gpu *g, unsigned int as,
			     struct mm_cs_state *s, u32 budget)
{
	enum mm_cs_result r;

	if (s->exc_type)
		return MM_CS_FATAL;	/* stays stopped until reset */
	while (budget--) {
		struct mm_cs_frame *f = &s->frame[s->depth];
		u64 va, w;

		if (f->ip >= f->end) {
			if (!s->depth)
				return MM_CS_EMPTY;
			s->depth--;	/* return from CALL */
			continue;
		}
		va = fetch_va(s);
		if (rd64(g, as, va, &w, s))
			return MM_CS_FATAL;
		r = step(g, as, s, w, va);
		if (r != MM_CS_BUDGET)
			return r;
	}
	return MM_CS_BUDGET;
}
