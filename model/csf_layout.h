/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Memory layout the software Mali-G610 (model/) publishes in the MCU's
 * shared section, and that vm/mkfw writes into the firmware container.
 * Pure constants: included by the kernel module, host tests and host tools.
 *
 * Facts (panthor_fw.c/.h, Linux 6.12): the interface lives in the section
 * at MCU VA 0x04000000 (CSF_MCU_SHARED_REGION_START), which must carry the
 * SHARED flag; the global control block is at +0, CSG i control at
 * +0x1000 + i * group_stride, CS j control at CSG_i + 0x40 + j * stream_stride.
 * Input/output block addresses are the model's own choice.
 */
#ifndef PANREF_CSF_LAYOUT_H
#define PANREF_CSF_LAYOUT_H

#define CSFL_SHARED_VA		0x04000000u	/* CSF_MCU_SHARED_REGION_START */
#define CSFL_SHARED_SIZE	0x00020000u	/* what vm/mkfw declares */
#define CSFL_CODE_VA		0x00000000u	/* the (inert) code section */

#define CSFL_GROUP_CONTROL	0x1000u		/* CSF_GROUP_CONTROL_OFFSET */
#define CSFL_STREAM_CONTROL	0x40u		/* CSF_STREAM_CONTROL_OFFSET */
#define CSFL_GROUP_STRIDE	0x100u
#define CSFL_STREAM_STRIDE	0x0cu

#define CSFL_GLB_INPUT		0x2000u
#define CSFL_GLB_OUTPUT		0x3000u
/* One input page and one output page per CSG; CS blocks inside them. */
#define CSFL_CSG_INPUT(i)	(0x4000u + (i) * 0x2000u)
#define CSFL_CSG_OUTPUT(i)	(0x5000u + (i) * 0x2000u)
#define CSFL_CS_INPUT(i, j)	(CSFL_CSG_INPUT(i) + 0x100u + (j) * 0x80u)
#define CSFL_CS_OUTPUT(i, j)	(CSFL_CSG_OUTPUT(i) + 0x100u + (j) * 0x100u)
#define CSFL_MAX_CSG		14u	/* what fits below CSFL_SHARED_SIZE */
#define CSFL_MAX_CS		8u

#endif
