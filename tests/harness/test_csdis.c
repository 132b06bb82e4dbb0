// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of the CS disassembler (harness/csdis.c): the exact text of
 * every opcode the model implements, encoded with the model's encoders
 * (model/mm_cs.h) where they exist, the fact sheet's words (cs-isa.md
 * section 3 and 4), unknown opcodes, reserved bits, the buffer form, and
 * truncation. Run under ASan/UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csdis.h"
#include "ktap.h"
#include "mm_cs.h"

#define F(v, pos)	MMCS_F(v, pos)

struct tcase {
	uint64_t w;
	const char *text;
};

/* One opcode's subtest: every case must disassemble to its exact text. */
struct opcase {
	unsigned op;
	const char *name;
	struct tcase c[8];
};

#define NOPCASES	39	/* opcodes of the v10 table, all implemented by the model */
static struct opcase opcases[NOPCASES];

/* The cases call the encoders, so they are built at run time. */
static void init_cases(void)
{
	const struct opcase t[] = {
	{ 0, "NOP", {
		{ 0, "NOP" },
		{ mm_cs_op(0, 0x1234), "NOP rsvd=0x1234" },
	} },
	{ 1, "MOVE48", {
		{ mm_cs_mov48(68, 0x1001000), "MOVE48 d68, 0x1001000" },
		{ mm_cs_mov48(92, 0xffffffffffffull), "MOVE48 d92, 0xffffffffffff" },
		{ mm_cs_mov48(0, 0), "MOVE48 d0, 0x0" },
		{ mm_cs_mov48(69, 1), "MOVE48 r69:r70, 0x1" },
	} },
	{ 2, "MOVE32", {
		{ mm_cs_mov32(70, 0xdeadbeef), "MOVE32 r70, 0xdeadbeef" },
		{ mm_cs_mov32(0, 0), "MOVE32 r0, 0x0" },
		{ mm_cs_mov32(95, 0xffffffff), "MOVE32 r95, 0xffffffff" },
	} },
	{ 3, "WAIT", {
		{ mm_cs_wait(0xff), "WAIT 0xff" },
		{ mm_cs_wait(0), "WAIT 0x0" },
		{ mm_cs_wait(1) | F(1, 32), "WAIT 0x1, progress_inc" },
	} },
	{ 4, "RUN_COMPUTE", {
		{ mm_cs_op(4, 0x10 | F(1, 14) | F(1, 32) | F(1, 40) | F(2, 42) | F(3, 44) | F(1, 46)),
		  "RUN_COMPUTE task_inc=0x10, axis=y, srt=0x1, spd=0x2, tsd=0x3, fau=0x1, progress_inc" },
		{ mm_cs_op(4, 0x3fff | F(2, 14)),
		  "RUN_COMPUTE task_inc=0x3fff, axis=z, srt=0x0, spd=0x0, tsd=0x0, fau=0x0" },
		{ mm_cs_op(4, F(3, 14)),
		  "RUN_COMPUTE task_inc=0x0, axis=0x3, srt=0x0, spd=0x0, tsd=0x0, fau=0x0" },
		{ mm_cs_op(4, 0),
		  "RUN_COMPUTE task_inc=0x0, axis=x, srt=0x0, spd=0x0, tsd=0x0, fau=0x0" },
	} },
	{ 5, "RUN_TILING", {
		{ mm_cs_op(5, 0x80000001u | F(2, 40)),
		  "RUN_TILING flags=0x80000001, srt=0x2, spd=0x0, tsd=0x0, fau=0x0" },
		{ mm_cs_op(5, F(1, 32) | F(0xff, 40)),
		  "RUN_TILING flags=0x0, srt=0x3, spd=0x3, tsd=0x3, fau=0x3, progress_inc" },
	} },
	{ 6, "RUN_IDVS", {
		{ mm_cs_op(6, 0x3 | F(1, 33) | F(1, 34) | F(1, 35) | F(1, 39) | F(57, 40)),
		  "RUN_IDVS flags=0x3, draw_id=r57, malloc, vary_srt, frag_tsd" },
		{ mm_cs_op(6, F(1, 32) | F(1, 36) | F(1, 37) | F(1, 38)),
		  "RUN_IDVS flags=0x0, progress_inc, vary_fau, vary_tsd, frag_srt" },
		{ mm_cs_op(6, F(5, 40)), "RUN_IDVS flags=0x0, draw_id=r5(disabled)" },
		{ mm_cs_op(6, F(1, 34)), "RUN_IDVS flags=0x0, draw_id=r0" },
	} },
	{ 7, "RUN_FRAGMENT", {
		{ mm_cs_op(7, 0), "RUN_FRAGMENT order=z" },
		{ mm_cs_op(7, 1 | F(5, 4) | F(1, 32)),
		  "RUN_FRAGMENT order=reverse_horizontal, tem, progress_inc" },
		{ mm_cs_op(7, F(1, 4)), "RUN_FRAGMENT order=horizontal" },
		{ mm_cs_op(7, F(2, 4)), "RUN_FRAGMENT order=vertical" },
		{ mm_cs_op(7, F(6, 4)), "RUN_FRAGMENT order=reverse_vertical" },
		{ mm_cs_op(7, F(3, 4)), "RUN_FRAGMENT order=0x3" },
		{ mm_cs_op(7, F(1, 1)), "RUN_FRAGMENT order=z, rsvd=0x2" },
	} },
	{ 8, "RUN_FULLSCREEN", {
		{ mm_cs_op(8, 0x10 | F(1, 32) | F(58, 40)),
		  "RUN_FULLSCREEN d58, flags=0x10, progress_inc" },
	} },
	{ 9, "FINISH_TILING", {
		{ mm_cs_op(9, 0), "FINISH_TILING" },
		{ mm_cs_op(9, F(1, 32)), "FINISH_TILING progress_inc" },
	} },
	{ 11, "FINISH_FRAGMENT", {
		{ mm_cs_op(11, 1 | F(0x3, 16) | F(42, 32) | F(40, 40) | F(2, 48)),
		  "FINISH_FRAGMENT d40, d42, wait=0x3, signal=sb2, inc_frag_completed" },
		{ mm_cs_op(11, 0), "FINISH_FRAGMENT d0, d0, wait=0x0, signal=sb0" },
	} },
	{ 16, "ADD_IMMEDIATE32", {
		{ mm_cs_add32(5, 6, -1), "ADD_IMMEDIATE32 r5, r6, -0x1" },
		{ mm_cs_add32(1, 1, 0x7fffffff), "ADD_IMMEDIATE32 r1, r1, 0x7fffffff" },
		{ mm_cs_add32(2, 3, INT32_MIN), "ADD_IMMEDIATE32 r2, r3, -0x80000000" },
		{ mm_cs_add32(94, 94, 0), "ADD_IMMEDIATE32 r94, r94, 0x0" },
	} },
	{ 17, "ADD_IMMEDIATE64", {
		{ mm_cs_add64(92, 92, 16), "ADD_IMMEDIATE64 d92, d92, 0x10" },
		{ mm_cs_add64(2, 4, -8), "ADD_IMMEDIATE64 d2, d4, -0x8" },
		{ mm_cs_add64(3, 4, 1), "ADD_IMMEDIATE64 r3:r4, d4, 0x1" },
	} },
	{ 18, "UMIN32", {
		{ mm_cs_umin32(1, 2, 3), "UMIN32 r1, r2, r3" },
		{ mm_cs_umin32(95, 0, 94), "UMIN32 r95, r0, r94" },
	} },
	{ 20, "LOAD_MULTIPLE", {
		{ mm_cs_ldst(20, 70, 68, 0x1, 0), "LOAD_MULTIPLE r70, [d68+0x0], mask=0x1" },
		{ mm_cs_ldst(20, 0, 90, 0xffff, -4), "LOAD_MULTIPLE r0, [d90-0x4], mask=0xffff" },
		{ mm_cs_ldst(20, 8, 2, 0x5, -32768), "LOAD_MULTIPLE r8, [d2-0x8000], mask=0x5" },
		{ mm_cs_ldst(20, 8, 2, 0x5, 32764), "LOAD_MULTIPLE r8, [d2+0x7ffc], mask=0x5" },
	} },
	{ 21, "STORE_MULTIPLE", {
		{ mm_cs_ldst(21, 70, 68, 0x1, 0), "STORE_MULTIPLE r70, [d68+0x0], mask=0x1" },
		{ mm_cs_ldst(21, 40, 7, 0xf0, 16), "STORE_MULTIPLE r40, [r7:r8+0x10], mask=0xf0" },
	} },
	{ 22, "BRANCH", {
		{ mm_cs_branch(0, 5, -3), "BRANCH r5, -0x3, cond=le" },
		{ mm_cs_branch(1, 5, 1), "BRANCH r5, 0x1, cond=gt" },
		{ mm_cs_branch(2, 5, 0), "BRANCH r5, 0x0, cond=eq" },
		{ mm_cs_branch(3, 5, -32768), "BRANCH r5, -0x8000, cond=ne" },
		{ mm_cs_branch(4, 5, 32767), "BRANCH r5, 0x7fff, cond=lt" },
		{ mm_cs_branch(5, 5, 2), "BRANCH r5, 0x2, cond=ge" },
		{ mm_cs_branch(6, 0, 2), "BRANCH r0, 0x2, cond=always" },
		{ mm_cs_branch(7, 1, 2), "BRANCH r1, 0x2, cond=0x7" },
	} },
	{ 23, "SET_SB_ENTRY", {
		{ mm_cs_op(23, 2 | F(1, 4)), "SET_SB_ENTRY endpoint=sb2, other=sb1" },
		{ mm_cs_op(23, 0xff), "SET_SB_ENTRY endpoint=sb15, other=sb15" },
	} },
	{ 24, "PROGRESS_WAIT", {
		{ mm_cs_op(24, 0x1f | F(10, 40)), "PROGRESS_WAIT d10, queue=0x1f" },
	} },
	{ 25, "SET_EXCEPTION_HANDLER", {
		{ mm_cs_op(25, 2 | F(94, 32) | F(92, 40)),
		  "SET_EXCEPTION_HANDLER d92, r94, type=tiler_oom" },
		{ mm_cs_op(25, 1 | F(3, 32) | F(4, 40)),
		  "SET_EXCEPTION_HANDLER d4, r3, type=0x1" },
	} },
	{ 32, "CALL", {
		{ mm_cs_call(32, 92, 94), "CALL d92, r94" },
		{ mm_cs_call(32, 1, 0), "CALL r1:r2, r0" },
	} },
	{ 33, "JUMP", {
		{ mm_cs_call(33, 94, 93), "JUMP d94, r93" },
	} },
	{ 34, "REQ_RESOURCE", {
		{ mm_cs_op(34, 0), "REQ_RESOURCE none" },
		{ mm_cs_op(34, 0xf), "REQ_RESOURCE compute, fragment, tiler, idvs" },
		{ mm_cs_op(34, 0x5), "REQ_RESOURCE compute, tiler" },
		{ mm_cs_op(34, 0x1a), "REQ_RESOURCE fragment, idvs, rsvd=0x10" },
	} },
	{ 36, "FLUSH_CACHE2", {
		{ mm_cs_flush(70),
		  "FLUSH_CACHE2 r70, l2=clean_inv, lsc=clean_inv, other=inv, wait=0x0, signal=sb0" },
		{ mm_cs_op(36, 0x041 | F(0xfe, 16) | F(3, 48) | F(1, 40)),
		  "FLUSH_CACHE2 r1, l2=clean, lsc=0x4, other=none, wait=0xfe, signal=sb3" },
	} },
	{ 37, "SYNC_ADD32", {
		{ mm_cs_sync(37, 92, 94, true),
		  "SYNC_ADD32 [d92], r94, scope=system, wait=0x0, signal=sb0, error_propagate" },
		{ mm_cs_sync(37, 2, 3, false) | F(1, 1),
		  "SYNC_ADD32 [d2], r3, scope=0x1, wait=0x0, signal=sb0" },
	} },
	{ 38, "SYNC_SET32", {
		{ mm_cs_sync(38, 2, 4, false) | F(2, 1) | F(0x1, 16) | F(2, 48),
		  "SYNC_SET32 [d2], r4, scope=csg, wait=0x1, signal=sb2" },
	} },
	{ 39, "SYNC_WAIT32", {
		{ mm_cs_sync_wait(39, 1, 92, 94), "SYNC_WAIT32 [d92], r94, cond=gt" },
		{ mm_cs_sync_wait(39, 0, 92, 94) | 1, "SYNC_WAIT32 [d92], r94, cond=le, error_reject" },
		{ mm_cs_sync_wait(39, 8, 2, 5), "SYNC_WAIT32 [d2], r5, cond=0x8" },
	} },
	{ 40, "STORE_STATE", {
		{ mm_cs_op(40, 0xfff8 | F(0x1, 16) | F(1, 32) | F(6, 40) | F(3, 48)),
		  "STORE_STATE [d6-0x8], state=cycle_count, wait=0x1, signal=sb3" },
		{ mm_cs_op(40, 0x10 | F(92, 40)),
		  "STORE_STATE [d92+0x10], state=timestamp, wait=0x0, signal=sb0" },
		{ mm_cs_op(40, F(2, 32) | F(92, 40)),
		  "STORE_STATE [d92+0x0], state=disjoint_count, wait=0x0, signal=sb0" },
		{ mm_cs_op(40, F(3, 32) | F(92, 40)),
		  "STORE_STATE [d92+0x0], state=error_status, wait=0x0, signal=sb0" },
	} },
	{ 41, "PROT_REGION", {
		{ mm_cs_op(41, 8), "PROT_REGION size=0x40" },
		{ mm_cs_op(41, 0xffff), "PROT_REGION size=0x7fff8" },
	} },
	{ 42, "PROGRESS_STORE", {
		{ mm_cs_op(42, F(20, 40)), "PROGRESS_STORE d20" },
	} },
	{ 43, "PROGRESS_LOAD", {
		{ mm_cs_op(43, F(22, 48)), "PROGRESS_LOAD d22" },
	} },
	{ 44, "RUN_COMPUTE_INDIRECT", {
		{ mm_cs_op(44, 0x40 | F(1, 32) | F(0xe4, 40)),
		  "RUN_COMPUTE_INDIRECT wg_per_task=0x40, srt=0x0, spd=0x1, tsd=0x2, fau=0x3, progress_inc" },
	} },
	{ 47, "ERROR_BARRIER", {
		{ mm_cs_op(47, 0), "ERROR_BARRIER" },
	} },
	{ 48, "HEAP_SET", {
		{ mm_cs_op(48, F(80, 40)), "HEAP_SET d80" },
	} },
	{ 49, "HEAP_OPERATION", {
		{ mm_cs_op(49, F(0, 32)), "HEAP_OPERATION op=vt_start, wait=0x0, signal=sb0" },
		{ mm_cs_op(49, F(1, 32)), "HEAP_OPERATION op=vt_end, wait=0x0, signal=sb0" },
		{ mm_cs_op(49, F(2, 32)), "HEAP_OPERATION op=0x2, wait=0x0, signal=sb0" },
		{ mm_cs_op(49, F(3, 32) | F(0x2, 16) | F(1, 48)),
		  "HEAP_OPERATION op=frag_end, wait=0x2, signal=sb1" },
	} },
	{ 50, "TRACE_POINT", {
		{ mm_cs_op(50, F(4, 32) | F(2, 40) | F(0x80, 16) | F(7, 48)),
		  "TRACE_POINT r4, count=0x2, wait=0x80, signal=sb7" },
	} },
	{ 51, "SYNC_ADD64", {
		{ mm_cs_sync(51, 92, 94, true),
		  "SYNC_ADD64 [d92], d94, scope=system, wait=0x0, signal=sb0, error_propagate" },
		{ mm_cs_sync(51, 92, 95, false),
		  "SYNC_ADD64 [d92], r95:r96, scope=system, wait=0x0, signal=sb0" },
	} },
	{ 52, "SYNC_SET64", {
		{ mm_cs_sync(52, 10, 12, false),
		  "SYNC_SET64 [d10], d12, scope=system, wait=0x0, signal=sb0" },
	} },
	{ 53, "SYNC_WAIT64", {
		{ mm_cs_sync_wait(53, 0, 10, 12), "SYNC_WAIT64 [d10], d12, cond=le" },
		{ mm_cs_sync_wait(53, 1, 10, 12), "SYNC_WAIT64 [d10], d12, cond=gt" },
	} },
	};

	if (sizeof(t) / sizeof(t[0]) != NOPCASES) {
		printf("# %zu opcode cases, expected %d\n", sizeof(t) / sizeof(t[0]), NOPCASES);
		exit(2);
	}
	memcpy(opcases, t, sizeof(t));
}

/* The opcodes the model implements (model/mm_cs.c) are exactly these. */
static int known(unsigned op)
{
	size_t i;

	for (i = 0; i < NOPCASES; i++)
		if (opcases[i].op == op)
			return 1;
	return 0;
}

/* Compare one word's text; on mismatch append a diagnostic to @why. */
static int check(uint64_t w, const char *want, char *why, size_t wl)
{
	char got[512];
	unsigned op = pt_cs_disasm(w, got, sizeof(got));
	size_t used = strlen(why);

	if (!strcmp(got, want) && op == (unsigned)(w >> 56))
		return 1;
	if (used < wl)
		snprintf(why + used, wl - used, "%s%016llx: got \"%s\" (op %u), want \"%s\"",
			 used ? "; " : "", (unsigned long long)w, got, op, want);
	return 0;
}

static void test_opcode(const struct opcase *oc)
{
	char name[64], why[2048] = "";
	int ok = 1;
	size_t i;

	for (i = 0; i < 8 && oc->c[i].text; i++) {
		ok &= (unsigned)(oc->c[i].w >> 56) == oc->op;
		ok &= check(oc->c[i].w, oc->c[i].text, why, sizeof(why));
	}
	snprintf(name, sizeof(name), "op_%02u_%s", oc->op, oc->name);
	result(ok && i > 0, name, why[0] ? why : "case of another opcode");
}

/* cs-isa.md section 4: IGT group_submit's user stream, words and text. */
static void test_igt_stream(void)
{
	static const struct tcase t[] = {
		{ 0x0144000001001000ull, "MOVE48 d68, 0x1001000" },
		{ 0x02460000DEADBEEFull, "MOVE32 r70, 0xdeadbeef" },
		{ 0x1546440000010000ull, "STORE_MULTIPLE r70, [d68+0x0], mask=0x1" },
		{ 0x0300000000FF0000ull, "WAIT 0xff" },
		{ 0x0246000000000000ull, "MOVE32 r70, 0x0" },
		{ 0x2401460000000233ull,
		  "FLUSH_CACHE2 r70, l2=clean_inv, lsc=clean_inv, other=inv, wait=0x0, signal=sb1" },
		{ 0x0300000000FF0000ull, "WAIT 0xff" },
	};
	char why[2048] = "";
	int ok = 1;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ok &= check(t[i].w, t[i].text, why, sizeof(why));
	/* The model's encoders produce the same words. */
	ok &= mm_cs_mov48(68, 0x1001000) == t[0].w && mm_cs_mov32(70, 0xdeadbeef) == t[1].w &&
	      mm_cs_ldst(21, 70, 68, 1, 0) == t[2].w && mm_cs_wait(0xff) == t[3].w &&
	      (mm_cs_flush(70) | F(1, 48)) == t[5].w;
	result(ok, "factsheet_igt_stream", why[0] ? why : "encoder words differ from cs-isa.md");
}

/* cs-isa.md section 3: Panthor's job block for a user stream (r92-r95). */
static void test_job_block(void)
{
	static const struct tcase t[] = {
		{ 0x025e000000000000ull, "MOVE32 r94, 0x0" },
		{ 0x24005E0000000233ull,
		  "FLUSH_CACHE2 r94, l2=clean_inv, lsc=clean_inv, other=inv, wait=0x0, signal=sb0" },
		{ 0x015c000001000000ull, "MOVE48 d92, 0x1000000" },
		{ 0x025e000000000038ull, "MOVE32 r94, 0x38" },
		{ 0x0300000000010000ull, "WAIT 0x1" },
		{ 0x20005c5e00000000ull, "CALL d92, r94" },
		{ 0x0300000000ff0000ull, "WAIT 0xff" },
		{ 0x33005c5e00000001ull,
		  "SYNC_ADD64 [d92], d94, scope=system, wait=0x0, signal=sb0, error_propagate" },
		{ 0x2f00000000000000ull, "ERROR_BARRIER" },
		{ 0, "NOP" },
	};
	char why[2048] = "";
	int ok = 1;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ok &= check(t[i].w, t[i].text, why, sizeof(why));
	ok &= mm_cs_flush(94) == t[1].w && mm_cs_call(32, 92, 94) == t[5].w &&
	      mm_cs_sync(51, 92, 94, true) == t[7].w;
	result(ok, "factsheet_job_block", why[0] ? why : "encoder words differ from cs-isa.md");
}

/* Every opcode the model does not implement prints UNKNOWN_0xNN <word>. */
static void test_unknown(void)
{
	static const unsigned unassigned[] = { 10, 12, 13, 14, 15, 19, 26, 27, 28, 29, 30, 31,
					       35, 45, 46 };
	char why[2048] = "", want[64];
	unsigned op, nunknown = 0;
	int ok = 1;
	size_t i;

	for (op = 0; op < 256; op++) {
		uint64_t w = (uint64_t)op << 56 | 0x0123456789abcdull;

		if (known(op))
			continue;
		nunknown++;
		snprintf(want, sizeof(want), "UNKNOWN_0x%02x 0x%016llx", op, (unsigned long long)w);
		ok &= check(w, want, why, sizeof(why));
		ok &= pt_cs_disasm((uint64_t)op << 56, want, sizeof(want)) == op && want[0];
	}
	/* The v10 holes below 54 are unknown, and so is everything from 54. */
	for (i = 0; i < sizeof(unassigned) / sizeof(unassigned[0]); i++)
		ok &= !known(unassigned[i]);
	ok &= nunknown == 256 - NOPCASES && NOPCASES == 54 - 15;
	ok &= check(0x0a00000000000000ull, "UNKNOWN_0x0a 0x0a00000000000000", why, sizeof(why));
	ok &= check(0xffffffffffffffffull, "UNKNOWN_0xff 0xffffffffffffffff", why, sizeof(why));
	result(ok, "unknown_opcodes", why[0] ? why : "opcode set differs from the v10 table");
}

/* Reserved bits print as rsvd=0x<bits at their word position>. */
static void test_reserved_examples(void)
{
	const struct tcase t[] = {
		/* IGT declares WAIT's mask 16 bits wide, [XML] 8: bits 24-31 are rsvd. */
		{ mm_cs_op(3, F(0xffff, 16)), "WAIT 0xff, rsvd=0xff000000" },
		/* IGT2 declares LOAD_MULTIPLE's mask 24 bits wide, [XML] 16. */
		{ mm_cs_ldst(20, 70, 68, 1, 0) | F(1, 32),
		  "LOAD_MULTIPLE r70, [d68+0x0], mask=0x1, rsvd=0x100000000" },
		{ mm_cs_mov32(1, 2) | F(0xffff, 32), "MOVE32 r1, 0x2, rsvd=0xffff00000000" },
		{ mm_cs_branch(2, 5, 1) | F(1, 31) | F(1, 16),
		  "BRANCH r5, 0x1, cond=eq, rsvd=0x80010000" },
		{ mm_cs_op(47, ~0ull), "ERROR_BARRIER rsvd=0xffffffffffffff" },
		{ mm_cs_sync_wait(39, 1, 92, 94) | 0x2 | F(1, 48),
		  "SYNC_WAIT32 [d92], r94, cond=gt, rsvd=0x1000000000002" },
		{ mm_cs_call(32, 92, 94) | 0xff | F(1, 55), "CALL d92, r94, rsvd=0x800000000000ff" },
		{ mm_cs_op(41, F(1, 16)), "PROT_REGION size=0x0, rsvd=0x10000" },
	};
	char why[2048] = "";
	int ok = 1;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ok &= check(t[i].w, t[i].text, why, sizeof(why));
	result(ok, "reserved_bits_examples", why[0] ? why : "?");
}

/*
 * No payload bit is silently dropped: for every known opcode, setting any
 * single one of bits 0-55 changes the text; a bit the opcode does not
 * define shows as exactly rsvd=0x<bit>.
 */
static void test_reserved_every_bit(void)
{
	char why[512] = "", base[512], got[512], tail[64], exp[640];
	unsigned bad = 0, b;
	size_t i;

	for (i = 0; i < NOPCASES; i++) {
		uint64_t w0 = (uint64_t)opcases[i].op << 56;

		pt_cs_disasm(w0, base, sizeof(base));
		for (b = 0; b < 56; b++) {
			int rsvd;

			pt_cs_disasm(w0 | (uint64_t)1 << b, got, sizeof(got));
			snprintf(tail, sizeof(tail), "rsvd=0x%llx", 1ull << b);
			snprintf(exp, sizeof(exp), "%s%s%s", base, strchr(base, ' ') ? ", " : " ",
				 tail);
			rsvd = !!strstr(got, "rsvd=");
			/* A reserved bit adds just "rsvd=<bit>", a field bit no rsvd. */
			if (!strcmp(got, base) || (rsvd && strcmp(got, exp))) {
				if (!bad++)
					snprintf(why, sizeof(why), "%s bit %u: \"%.200s\" vs \"%.200s\"",
						 opcases[i].name, b, got, base);
			}
		}
	}
	result(!bad, "reserved_bits_every_bit", why);
}

/* The buffer form: exact lines, unaligned input, n = 0. */
static void test_buf(void)
{
	static const uint64_t words[] = {
		0x0144000001001000ull, 0x1546440000010000ull, 0x0a00000000000001ull,
	};
	static const char want[] =
		"  0000000001000000: 0144000001001000  MOVE48 d68, 0x1001000\n"
		"  0000000001000008: 1546440000010000  STORE_MULTIPLE r70, [d68+0x0], mask=0x1\n"
		"  0000000001000010: 0a00000000000001  UNKNOWN_0x0a 0x0a00000000000001\n";
	unsigned char *raw = malloc(1 + sizeof(words));
	char *text = NULL, why[1024];
	size_t size = 0, i, k;
	int ok;
	FILE *f;

	if (!raw)
		exit(2);
	for (i = 0; i < 3; i++)	/* little-endian, at an odd address */
		for (k = 0; k < 8; k++)
			raw[1 + 8 * i + k] = (unsigned char)(words[i] >> (8 * k));
	f = open_memstream(&text, &size);
	if (!f)
		exit(2);
	pt_cs_disasm_buf(f, raw + 1, 3, 0x1000000);
	pt_cs_disasm_buf(f, raw + 1, 0, 0x2000000);	/* prints nothing */
	fclose(f);
	ok = text && !strcmp(text, want);
	snprintf(why, sizeof(why), "got:\n%s", text ? text : "(null)");
	for (i = 0; i < sizeof(why); i++)
		if (why[i] == '\n')
			why[i] = '|';
	result(ok, "disasm_buf_format", why);
	free(text);
	free(raw);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/*
 * Truncation: at every buffer size from 0 past the full length, the output
 * is the NUL-terminated prefix and not a byte is written past @len (the
 * buffer is malloc'd at exactly @len, so ASan sees any overflow). Also
 * NULL/0, and random words never fill pt_cs_disasm_buf's line buffer.
 */
static void test_truncation(void)
{
	uint64_t words[64];
	char full[512], why[512] = "";
	unsigned bad = 0;
	size_t nw = 0, i, len, fl, maxlen = 0;

	for (i = 0; i < NOPCASES; i++)
		words[nw++] = opcases[i].c[0].w | (i & 1 ? F(0xff, 24) : 0);
	words[nw++] = mm_cs_op(6, ~0ull);	/* longest: every IDVS flag and rsvd */
	words[nw++] = 0xdeadbeefcafef00dull;	/* unknown */
	for (i = 0; i < nw; i++) {
		unsigned op = pt_cs_disasm(words[i], full, sizeof(full));

		fl = strlen(full);
		if (op != words[i] >> 56 || pt_cs_disasm(words[i], NULL, 0) != op)
			bad++;
		for (len = 0; len <= fl + 2; len++) {
			char *buf = malloc(len ? len : 1);
			size_t want = len ? (len - 1 < fl ? len - 1 : fl) : 0;

			if (!buf)
				exit(2);
			memset(buf, 'X', len ? len : 1);
			if (pt_cs_disasm(words[i], buf, len) != op)
				bad++;
			if (len && (strlen(buf) != want || memcmp(buf, full, want))) {
				if (!bad++)
					snprintf(why, sizeof(why), "len %zu: \"%.200s\" of \"%.200s\"", len,
						 buf, full);
			}
			if (!len && buf[0] != 'X')
				bad++;
			free(buf);
		}
	}
	for (i = 0; i < 200000; i++) {
		uint64_t w = next();

		if (pt_cs_disasm(w, full, sizeof(full)) != w >> 56)
			bad++;
		if (strlen(full) > maxlen)
			maxlen = strlen(full);
	}
	if (maxlen >= 383) {	/* csdis.c's line buffer */
		bad++;
		snprintf(why, sizeof(why), "a text of %zu characters", maxlen);
	}
	result(!bad, "truncation", why[0] ? why : "wrong opcode returned or buffer touched");
}

int main(void)
{
	size_t i;

	init_cases();
	printf("KTAP version 1\n1..%d\n", NOPCASES + 7);
	for (i = 0; i < NOPCASES; i++)
		test_opcode(&opcases[i]);
	test_igt_stream();
	test_job_block();
	test_unknown();
	test_reserved_examples();
	test_reserved_every_bit();
	test_buf();
	test_truncation();
	return ktap_failed ? 1 : 0;
}
