/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Command-stream disassembler for Mali CSF arch v10 (Mali-G610), for
 * `pantrace dump`. Pure logic (libc only). Encodings:
 * docs/cs-isa.md section 2; agrees with the model's
 * interpreter and encoders (model/mm_cs.[ch]).
 *
 * Text syntax (one instruction):
 *
 *   NAME op, op, ..., key=value, flag, rsvd=0x...
 *
 * - r<N>: a 32-bit register; d<N>: the 64-bit pair r<N>:r<N+1> (N even).
 *   A pair field holding an odd N (invalid: the model raises
 *   INSTR_INVALID) prints as r<N>:r<N+1>.
 * - [d<N>]: memory at the address in d<N>; [d<N>+0x<off>] / [d<N>-0x<off>]
 *   when the instruction has an offset field (always printed, even 0).
 *   A pair used as a value (CALL/JUMP target, HEAP_SET, progress) has no
 *   brackets.
 * - sb<N>: scoreboard slot N (signal=, endpoint=, other=); wait masks are
 *   hex (WAIT 0xff, wait=0x3).
 * - Every other number is hex with 0x; signed immediates as 0x.. / -0x...
 * - Enumerated fields print key=name (cond=gt, l2=clean_inv, scope=system,
 *   state=timestamp, ...), or key=0x<v> for a value with no name.
 * - One-bit options print their name when set (progress_inc,
 *   error_propagate, error_reject, tem, malloc, ...).
 * - Bits of the payload no field covers print last as rsvd=0x<bits>, the
 *   bits at their position in the 64-bit word.
 * - An unassigned opcode prints UNKNOWN_0xNN 0x<16 hex digits of the word>.
 *
 * Operands per opcode (flags in [], printed only when set):
 *
 *   NOP, ERROR_BARRIER                  (none)
 *   MOVE48 dD, imm48                    MOVE32 rD, imm32
 *   WAIT mask [progress_inc]
 *   RUN_COMPUTE task_inc=, axis=x|y|z, srt=, spd=, tsd=, fau= [progress_inc]
 *   RUN_COMPUTE_INDIRECT wg_per_task=, srt=, spd=, tsd=, fau= [progress_inc]
 *   RUN_TILING flags=, srt=, spd=, tsd=, fau= [progress_inc]
 *   RUN_IDVS flags=, draw_id=rN (when enabled; "rN(disabled)" if set but
 *            not enabled) [progress_inc malloc vary_srt vary_fau vary_tsd
 *            frag_srt frag_tsd]
 *   RUN_FRAGMENT order= [tem progress_inc]
 *   RUN_FULLSCREEN dDCD, flags= [progress_inc]
 *   FINISH_TILING [progress_inc]
 *   FINISH_FRAGMENT dFIRST_CHUNK, dLAST_CHUNK, wait=, signal= [inc_frag_completed]
 *   ADD_IMMEDIATE32 rD, rS, simm        ADD_IMMEDIATE64 dD, dS, simm
 *   UMIN32 rD, rS0, rS1                 (v10 XML: COMPARE_SELECT32, opcode 18)
 *   LOAD_MULTIPLE / STORE_MULTIPLE rBASE, [dA+off], mask=
 *   BRANCH rV, simm (instructions, relative to the next one), cond=
 *   SET_SB_ENTRY endpoint=sbN, other=sbN
 *   PROGRESS_WAIT dS, queue=            PROGRESS_STORE dS    PROGRESS_LOAD dD
 *   SET_EXCEPTION_HANDLER dA, rLEN, type=
 *   CALL / JUMP dA, rLEN (byte length)
 *   REQ_RESOURCE none | [compute fragment tiler idvs]
 *   FLUSH_CACHE2 rFLUSH_ID, l2=, lsc=, other=, wait=, signal=
 *   SYNC_ADD32 / SYNC_SET32 [dA], rV, scope=, wait=, signal= [error_propagate]
 *   SYNC_ADD64 / SYNC_SET64 [dA], dV, ... (same)
 *   SYNC_WAIT32 [dA], rV, cond= [error_reject]   SYNC_WAIT64 [dA], dV, ...
 *   STORE_STATE [dA+off], state=, wait=, signal=
 *   PROT_REGION size= (bytes: the field times 8)
 *   HEAP_SET dA                         HEAP_OPERATION op=, wait=, signal=
 *   TRACE_POINT rBASE, count=, wait=, signal=
 *
 * Examples: "MOVE48 d68, 0x1001000", "STORE_MULTIPLE r70, [d68+0x0],
 * mask=0x1", "WAIT 0xff", "FLUSH_CACHE2 r70, l2=clean_inv, lsc=clean_inv,
 * other=inv, wait=0x0, signal=sb1", "BRANCH r5, -0x3, cond=ne",
 * "WAIT 0xff, rsvd=0xff000000" (a 16-bit mask: v10 defines 8 bits).
 */
#ifndef PANREF_CSDIS_H
#define PANREF_CSDIS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Disassemble one 64-bit CS instruction into @buf (NUL-terminated,
 * truncated to @len; nothing is written when @len is 0). Returns the
 * opcode (bits 63:56).
 */
unsigned pt_cs_disasm(uint64_t instr, char *buf, size_t len);

/*
 * Disassemble @n instructions (little-endian 8-byte words at @code, any
 * alignment, at GPU VA @va) to @out, one line each:
 * "  <va, 16 hex digits>: <word, 16 hex digits>  <text>".
 */
void pt_cs_disasm_buf(FILE *out, const void *code, size_t n, uint64_t va);

#endif
