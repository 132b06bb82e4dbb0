// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Command-stream disassembler, Mali CSF arch v10 (Mali-G610). The syntax is
 * described in csdis.h; field layouts come from cs-isa.md section 2 and
 * match model/mm_cs.c.
 */
#include <stdarg.h>
#include <string.h>

#include "csdis.h"

/* Bits @start..@start+@width-1 of a word, as a mask / as a value. */
#define BITS(start, width)	((((uint64_t)1 << (width)) - 1) << (start))
#define FIELD(w, start, width)	((unsigned)(((w) >> (start)) & (((uint64_t)1 << (width)) - 1)))
#define PAYLOAD			BITS(0, 56)

/* Output builder: snprintf semantics over the whole instruction. */
struct out {
	char *buf;
	size_t len;	/* capacity, NUL included */
	size_t pos;	/* characters produced so far (may exceed len) */
	unsigned nops;	/* operands printed so far */
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (o->pos < o->len)
		n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
	else
		n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

/* Start the next operand: " " before the first, ", " before the others. */
static void sep(struct out *o)
{
	put(o, o->nops++ ? ", " : " ");
}

static void reg(struct out *o, unsigned r)
{
	sep(o);
	put(o, "r%u", r);
}

static void put_pair(struct out *o, unsigned r)
{
	if (r & 1)
		put(o, "r%u:r%u", r, r + 1);
	else
		put(o, "d%u", r);
}

static void pair(struct out *o, unsigned r)
{
	sep(o);
	put_pair(o, r);
}

/* [dN] or, with an offset field, [dN+0xoff] / [dN-0xoff]. */
static void mem(struct out *o, unsigned r, int has_off, int32_t off)
{
	sep(o);
	put(o, "[");
	put_pair(o, r);
	if (has_off)
		put(o, "%s0x%x", off < 0 ? "-" : "+",
		    off < 0 ? (unsigned)-(int64_t)off : (unsigned)off);
	put(o, "]");
}

static void imm(struct out *o, uint64_t v)
{
	sep(o);
	put(o, "0x%llx", (unsigned long long)v);
}

static void simm(struct out *o, int32_t v)
{
	sep(o);
	if (v < 0)
		put(o, "-0x%llx", (unsigned long long)-(int64_t)v);
	else
		put(o, "0x%x", (unsigned)v);
}

static void kv(struct out *o, const char *key, uint64_t v)
{
	sep(o);
	put(o, "%s=0x%llx", key, (unsigned long long)v);
}

static void slot(struct out *o, const char *key, unsigned sb)
{
	sep(o);
	put(o, "%s=sb%u", key, sb);
}

/* key=name, or key=0xv when @v has no name in @names. */
static void enm(struct out *o, const char *key, unsigned v,
		const char *const *names, size_t nnames)
{
	if (v < nnames && names[v]) {
		sep(o);
		put(o, "%s=%s", key, names[v]);
	} else {
		kv(o, key, v);
	}
}
#define ENUM(o, key, v, names)	enm(o, key, v, names, sizeof(names) / sizeof(names[0]))

static void flag(struct out *o, const char *name, unsigned set)
{
	if (set) {
		sep(o);
		put(o, "%s", name);
	}
}

static const char *const cond_names[] = {
	"le", "gt", "eq", "ne", "lt", "ge", "always",
};
static const char *const axis_names[] = { "x", "y", "z" };
static const char *const order_names[] = {
	[0] = "z", [1] = "horizontal", [2] = "vertical",
	[5] = "reverse_horizontal", [6] = "reverse_vertical",
};
/* CS Flush Mode (L2, LSC: 0/1/3) and Other Flush Mode (0/2); IGT calls 2 INVALIDATE. */
static const char *const flush_names[] = { "none", "clean", "inv", "clean_inv" };
static const char *const scope_names[] = { [0] = "system", [2] = "csg" };
static const char *const state_names[] = {
	"timestamp", "cycle_count", "disjoint_count", "error_status",
};
static const char *const heap_op_names[] = {
	[0] = "vt_start", [1] = "vt_end", [3] = "frag_end",
};
static const char *const exc_names[] = { [2] = "tiler_oom" };

struct opinfo {
	const char *name;
	uint64_t used;	/* payload bits some field covers */
};

#define SHADER_SEL	BITS(40, 8)	/* srt/spd/tsd/fau selects, 2 bits each */
#define DEFERRED	(BITS(16, 16) | BITS(48, 4))	/* wait mask, signal slot */

static const struct opinfo ops[256] = {
	[0] = { "NOP", 0 },
	[1] = { "MOVE48", BITS(0, 48) | BITS(48, 8) },
	[2] = { "MOVE32", BITS(0, 32) | BITS(48, 8) },
	[3] = { "WAIT", BITS(16, 8) | BITS(32, 1) },
	[4] = { "RUN_COMPUTE", BITS(0, 14) | BITS(14, 2) | BITS(32, 1) | SHADER_SEL },
	[5] = { "RUN_TILING", BITS(0, 32) | BITS(32, 1) | SHADER_SEL },
	[6] = { "RUN_IDVS", BITS(0, 32) | BITS(32, 8) | BITS(40, 8) },
	[7] = { "RUN_FRAGMENT", BITS(0, 1) | BITS(4, 4) | BITS(32, 1) },
	[8] = { "RUN_FULLSCREEN", BITS(0, 32) | BITS(32, 1) | BITS(40, 8) },
	[9] = { "FINISH_TILING", BITS(32, 1) },
	[11] = { "FINISH_FRAGMENT", BITS(0, 1) | DEFERRED | BITS(32, 8) | BITS(40, 8) },
	[16] = { "ADD_IMMEDIATE32", BITS(0, 32) | BITS(40, 8) | BITS(48, 8) },
	[17] = { "ADD_IMMEDIATE64", BITS(0, 32) | BITS(40, 8) | BITS(48, 8) },
	[18] = { "UMIN32", BITS(32, 8) | BITS(40, 8) | BITS(48, 8) },
	[20] = { "LOAD_MULTIPLE", BITS(0, 16) | BITS(16, 16) | BITS(40, 8) | BITS(48, 8) },
	[21] = { "STORE_MULTIPLE", BITS(0, 16) | BITS(16, 16) | BITS(40, 8) | BITS(48, 8) },
	[22] = { "BRANCH", BITS(0, 16) | BITS(28, 3) | BITS(40, 8) },
	[23] = { "SET_SB_ENTRY", BITS(0, 4) | BITS(4, 4) },
	[24] = { "PROGRESS_WAIT", BITS(0, 5) | BITS(40, 8) },
	[25] = { "SET_EXCEPTION_HANDLER", BITS(0, 8) | BITS(32, 8) | BITS(40, 8) },
	[32] = { "CALL", BITS(32, 8) | BITS(40, 8) },
	[33] = { "JUMP", BITS(32, 8) | BITS(40, 8) },
	[34] = { "REQ_RESOURCE", BITS(0, 4) },
	[36] = { "FLUSH_CACHE2", BITS(0, 12) | DEFERRED | BITS(40, 8) },
	[37] = { "SYNC_ADD32", BITS(0, 3) | DEFERRED | BITS(32, 8) | BITS(40, 8) },
	[38] = { "SYNC_SET32", BITS(0, 3) | DEFERRED | BITS(32, 8) | BITS(40, 8) },
	[39] = { "SYNC_WAIT32", BITS(0, 1) | BITS(28, 4) | BITS(32, 8) | BITS(40, 8) },
	[40] = { "STORE_STATE", BITS(0, 16) | DEFERRED | BITS(32, 2) | BITS(40, 8) },
	[41] = { "PROT_REGION", BITS(0, 16) },
	[42] = { "PROGRESS_STORE", BITS(40, 8) },
	[43] = { "PROGRESS_LOAD", BITS(48, 8) },
	[44] = { "RUN_COMPUTE_INDIRECT", BITS(0, 16) | BITS(32, 1) | SHADER_SEL },
	[47] = { "ERROR_BARRIER", 0 },
	[48] = { "HEAP_SET", BITS(40, 8) },
	[49] = { "HEAP_OPERATION", DEFERRED | BITS(32, 2) },
	[50] = { "TRACE_POINT", DEFERRED | BITS(32, 8) | BITS(40, 8) },
	[51] = { "SYNC_ADD64", BITS(0, 3) | DEFERRED | BITS(32, 8) | BITS(40, 8) },
	[52] = { "SYNC_SET64", BITS(0, 3) | DEFERRED | BITS(32, 8) | BITS(40, 8) },
	[53] = { "SYNC_WAIT64", BITS(0, 1) | BITS(28, 4) | BITS(32, 8) | BITS(40, 8) },
};

/* Shader-resource selects of RUN_COMPUTE(_INDIRECT)/RUN_TILING. */
static void shader_sel(struct out *o, uint64_t w)
{
	kv(o, "srt", FIELD(w, 40, 2));
	kv(o, "spd", FIELD(w, 42, 2));
	kv(o, "tsd", FIELD(w, 44, 2));
	kv(o, "fau", FIELD(w, 46, 2));
}

/* Wait mask and signal slot of a deferred operation. */
static void deferred(struct out *o, uint64_t w)
{
	kv(o, "wait", FIELD(w, 16, 16));
	slot(o, "signal", FIELD(w, 48, 4));
}

static void operands(struct out *o, unsigned op, uint64_t w)
{
	unsigned dst = FIELD(w, 48, 8), src = FIELD(w, 40, 8), src2 = FIELD(w, 32, 8);
	unsigned progress = FIELD(w, 32, 1);

	switch (op) {
	case 1:	/* MOVE48 */
		pair(o, dst);
		imm(o, FIELD(w, 0, 32) | (uint64_t)FIELD(w, 32, 16) << 32);
		break;
	case 2:	/* MOVE32 */
		reg(o, dst);
		imm(o, FIELD(w, 0, 32));
		break;
	case 3:	/* WAIT */
		imm(o, FIELD(w, 16, 8));
		flag(o, "progress_inc", progress);
		break;
	case 4:	/* RUN_COMPUTE */
		kv(o, "task_inc", FIELD(w, 0, 14));
		ENUM(o, "axis", FIELD(w, 14, 2), axis_names);
		shader_sel(o, w);
		flag(o, "progress_inc", progress);
		break;
	case 5:	/* RUN_TILING */
		kv(o, "flags", FIELD(w, 0, 32));
		shader_sel(o, w);
		flag(o, "progress_inc", progress);
		break;
	case 6:	/* RUN_IDVS */
		kv(o, "flags", FIELD(w, 0, 32));
		/* The draw ID register shows when enabled, or when set anyway. */
		if (FIELD(w, 34, 1) || src) {
			sep(o);
			put(o, "draw_id=r%u%s", src, FIELD(w, 34, 1) ? "" : "(disabled)");
		}
		flag(o, "progress_inc", progress);
		flag(o, "malloc", FIELD(w, 33, 1));
		flag(o, "vary_srt", FIELD(w, 35, 1));
		flag(o, "vary_fau", FIELD(w, 36, 1));
		flag(o, "vary_tsd", FIELD(w, 37, 1));
		flag(o, "frag_srt", FIELD(w, 38, 1));
		flag(o, "frag_tsd", FIELD(w, 39, 1));
		break;
	case 7:	/* RUN_FRAGMENT */
		ENUM(o, "order", FIELD(w, 4, 4), order_names);
		flag(o, "tem", FIELD(w, 0, 1));
		flag(o, "progress_inc", progress);
		break;
	case 8:	/* RUN_FULLSCREEN: DCD pair */
		pair(o, src);
		kv(o, "flags", FIELD(w, 0, 32));
		flag(o, "progress_inc", progress);
		break;
	case 9:	/* FINISH_TILING */
		flag(o, "progress_inc", progress);
		break;
	case 11:	/* FINISH_FRAGMENT: first, last heap chunk pairs */
		pair(o, src);
		pair(o, src2);
		deferred(o, w);
		flag(o, "inc_frag_completed", FIELD(w, 0, 1));
		break;
	case 16:	/* ADD_IMMEDIATE32 */
		reg(o, dst);
		reg(o, src);
		simm(o, (int32_t)FIELD(w, 0, 32));
		break;
	case 17:	/* ADD_IMMEDIATE64 */
		pair(o, dst);
		pair(o, src);
		simm(o, (int32_t)FIELD(w, 0, 32));
		break;
	case 18:	/* UMIN32 dst, src0, src1 */
		reg(o, dst);
		reg(o, src);
		reg(o, src2);
		break;
	case 20:	/* LOAD_MULTIPLE */
	case 21:	/* STORE_MULTIPLE */
		reg(o, dst);
		mem(o, src, 1, (int16_t)FIELD(w, 0, 16));
		kv(o, "mask", FIELD(w, 16, 16));
		break;
	case 22:	/* BRANCH */
		reg(o, src);
		simm(o, (int16_t)FIELD(w, 0, 16));
		ENUM(o, "cond", FIELD(w, 28, 3), cond_names);
		break;
	case 23:	/* SET_SB_ENTRY */
		slot(o, "endpoint", FIELD(w, 0, 4));
		slot(o, "other", FIELD(w, 4, 4));
		break;
	case 24:	/* PROGRESS_WAIT */
		pair(o, src);
		kv(o, "queue", FIELD(w, 0, 5));
		break;
	case 25:	/* SET_EXCEPTION_HANDLER address, length */
		pair(o, src);
		reg(o, src2);
		ENUM(o, "type", FIELD(w, 0, 8), exc_names);
		break;
	case 32:	/* CALL address, length */
	case 33:	/* JUMP */
		pair(o, src);
		reg(o, src2);
		break;
	case 34:	/* REQ_RESOURCE */
		if (!FIELD(w, 0, 4))
			flag(o, "none", 1);
		flag(o, "compute", FIELD(w, 0, 1));
		flag(o, "fragment", FIELD(w, 1, 1));
		flag(o, "tiler", FIELD(w, 2, 1));
		flag(o, "idvs", FIELD(w, 3, 1));
		break;
	case 36:	/* FLUSH_CACHE2 latest flush ID register */
		reg(o, src);
		ENUM(o, "l2", FIELD(w, 0, 4), flush_names);
		ENUM(o, "lsc", FIELD(w, 4, 4), flush_names);
		ENUM(o, "other", FIELD(w, 8, 4), flush_names);
		deferred(o, w);
		break;
	case 37:	/* SYNC_ADD32 */
	case 38:	/* SYNC_SET32 */
	case 51:	/* SYNC_ADD64 */
	case 52:	/* SYNC_SET64 */
		mem(o, src, 0, 0);
		if (op >= 51)
			pair(o, src2);
		else
			reg(o, src2);
		ENUM(o, "scope", FIELD(w, 1, 2), scope_names);
		deferred(o, w);
		flag(o, "error_propagate", FIELD(w, 0, 1));
		break;
	case 39:	/* SYNC_WAIT32 */
	case 53:	/* SYNC_WAIT64 */
		mem(o, src, 0, 0);
		if (op == 53)
			pair(o, src2);
		else
			reg(o, src2);
		ENUM(o, "cond", FIELD(w, 28, 4), cond_names);
		flag(o, "error_reject", FIELD(w, 0, 1));
		break;
	case 40:	/* STORE_STATE */
		mem(o, src, 1, (int16_t)FIELD(w, 0, 16));
		ENUM(o, "state", FIELD(w, 32, 2), state_names);
		deferred(o, w);
		break;
	case 41:	/* PROT_REGION: size field is bytes >> 3 */
		kv(o, "size", (uint64_t)FIELD(w, 0, 16) << 3);
		break;
	case 42:	/* PROGRESS_STORE */
		pair(o, src);
		break;
	case 43:	/* PROGRESS_LOAD */
		pair(o, dst);
		break;
	case 44:	/* RUN_COMPUTE_INDIRECT */
		kv(o, "wg_per_task", FIELD(w, 0, 16));
		shader_sel(o, w);
		flag(o, "progress_inc", progress);
		break;
	case 48:	/* HEAP_SET */
		pair(o, src);
		break;
	case 49:	/* HEAP_OPERATION */
		ENUM(o, "op", FIELD(w, 32, 2), heap_op_names);
		deferred(o, w);
		break;
	case 50:	/* TRACE_POINT */
		reg(o, src2);
		kv(o, "count", src);
		deferred(o, w);
		break;
	default:	/* NOP, ERROR_BARRIER: no operands */
		break;
	}
}

unsigned pt_cs_disasm(uint64_t instr, char *buf, size_t len)
{
	unsigned op = (unsigned)(instr >> 56);
	struct out o = { .buf = buf, .len = buf ? len : 0 };
	const struct opinfo *info = &ops[op];
	uint64_t rsvd;

	if (o.len)
		buf[0] = '\0';
	if (!info->name) {
		put(&o, "UNKNOWN_0x%02x 0x%016llx", op, (unsigned long long)instr);
		return op;
	}
	put(&o, "%s", info->name);
	operands(&o, op, instr);
	rsvd = instr & PAYLOAD & ~info->used;
	if (rsvd)
		kv(&o, "rsvd", rsvd);
	return op;
}

void pt_cs_disasm_buf(FILE *out, const void *code, size_t n, uint64_t va)
{
	const unsigned char *p = code;
	char text[384];
	size_t i;
	int b;

	for (i = 0; i < n; i++, p += 8) {
		uint64_t w = 0;

		for (b = 7; b >= 0; b--)
			w = w << 8 | p[b];
		pt_cs_disasm(w, text, sizeof(text));
		fprintf(out, "  %016llx: %016llx  %s\n", (unsigned long long)(va + 8 * i),
			(unsigned long long)w, text);
	}
}
