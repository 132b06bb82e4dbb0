/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Mali CSF register offsets and bits used by the model.
 * Facts: Linux 6.12 drivers/gpu/drm/panthor/panthor_regs.h and panthor_fw.h;
 * see docs/csf-interface.md.
 */
#ifndef PANREF_MM_REGS_H
#define PANREF_MM_REGS_H

#define MMR_GPU_ID			0x000
#define MMR_L2_FEATURES			0x004
#define MMR_CORE_FEATURES		0x008
#define MMR_TILER_FEATURES		0x00c
#define MMR_MEM_FEATURES		0x010
#define MMR_MMU_FEATURES		0x014
#define MMR_AS_PRESENT			0x018
#define MMR_CSF_ID			0x01c
#define MMR_GPU_INT_RAWSTAT		0x020	/* CLEAR +4, MASK +8, STAT +c */
#define MMR_GPU_CMD			0x030
#define MMR_GPU_STATUS			0x034
#define MMR_GPU_FAULT_STATUS		0x03c
#define MMR_GPU_FAULT_ADDR_LO		0x040
#define MMR_GPU_FAULT_ADDR_HI		0x044
#define MMR_PWR_KEY			0x050
#define MMR_PWR_OVERRIDE0		0x054
#define MMR_PWR_OVERRIDE1		0x058
#define MMR_TIMESTAMP_OFFSET_LO		0x088
#define MMR_TIMESTAMP_OFFSET_HI		0x08c
#define MMR_CYCLE_COUNT_LO		0x090
#define MMR_CYCLE_COUNT_HI		0x094
#define MMR_TIMESTAMP_LO		0x098
#define MMR_TIMESTAMP_HI		0x09c
#define MMR_THREAD_MAX_THREADS		0x0a0
#define MMR_THREAD_MAX_WORKGROUP_SIZE	0x0a4
#define MMR_THREAD_MAX_BARRIER_SIZE	0x0a8
#define MMR_THREAD_FEATURES		0x0ac
#define MMR_TEXTURE_FEATURES(n)		(0x0b0 + (n) * 4)
#define MMR_SHADER_PRESENT_LO		0x100
#define MMR_TILER_PRESENT_LO		0x110
#define MMR_L2_PRESENT_LO		0x120
/* Power blocks: shader +0x00, tiler +0x10, L2 +0x20 from each base. */
#define MMR_PWR_READY			0x140
#define MMR_PWR_ON			0x180
#define MMR_PWR_OFF			0x1c0
#define MMR_PWR_TRANS			0x200
#define MMR_PWR_ACTIVE			0x240
#define MMR_GPU_REVID			0x280
#define MMR_COHERENCY_FEATURES		0x300
#define MMR_COHERENCY_PROTOCOL		0x304
#define MMR_MCU_CONTROL			0x700
#define MMR_MCU_STATUS			0x704
#define MMR_JOB_INT_RAWSTAT		0x1000
#define MMR_MMU_INT_RAWSTAT		0x2000
#define MMR_AS_BASE			0x2400
#define MMR_AS_STRIDE			0x40
#define MMR_AS_TRANSTAB			0x00
#define MMR_AS_MEMATTR			0x08
#define MMR_AS_LOCKADDR			0x10
#define MMR_AS_COMMAND			0x18
#define MMR_AS_FAULTSTATUS		0x1c
#define MMR_AS_FAULTADDRESS		0x20
#define MMR_AS_STATUS			0x28
#define MMR_AS_TRANSCFG			0x30
#define MMR_AS_FAULTEXTRA		0x38
#define MMR_LATEST_FLUSH_ID		0x10000
#define MMR_DOORBELL_BASE		0x80000
#define MMR_DOORBELL_STRIDE		0x10000
#define MMR_DOORBELL_COUNT		24	/* 0x80000..0x1fffff */

/* GPU_INT bits */
#define MMB_GPU_FAULT			(1u << 0)
#define MMB_RESET_COMPLETED		(1u << 8)
#define MMB_POWER_CHANGED		(1u << 9)
#define MMB_POWER_CHANGED_ALL		(1u << 10)
#define MMB_CLEAN_CACHES_COMPLETED	(1u << 17)
#define MMB_DOORBELL_MIRROR		(1u << 18)
#define MMB_MCU_STATUS_CHANGED		(1u << 19)
#define MMB_GPU_IRQ_ALL			0x000f0703u

/* GPU_CMD: type in bits 7:0, payload above. */
#define MMC_CMD_NOP			0
#define MMC_CMD_RESET			1	/* payload 1 soft, 2 hard */
#define MMC_CMD_FLUSH_CACHES		4
#define MMC_CMD_CLEAR_FAULT		7	/* unused by Panthor 6.12 */

#define MMB_JOB_GLOBAL_IF		(1u << 31)

#define MMC_MCU_DISABLE			0
#define MMC_MCU_ENABLE			1
#define MMC_MCU_AUTO			2
#define MMC_MCU_STATUS_DISABLED		0
#define MMC_MCU_STATUS_ENABLED		1
#define MMC_MCU_STATUS_HALT		2
#define MMC_MCU_STATUS_FATAL		3

#define MMC_AS_NOP			0
#define MMC_AS_UPDATE			1
#define MMC_AS_LOCK			2
#define MMC_AS_UNLOCK			3
#define MMC_AS_FLUSH_PT			4
#define MMC_AS_FLUSH_MEM		5
#define MMC_AS_ADRMODE_MASK		0xfu
#define MMC_AS_ADRMODE_UNMAPPED		1
#define MMC_AS_ADRMODE_IDENTITY		2
#define MMC_AS_ADRMODE_AARCH64_4K	6
#define MMC_AS_INA_BITS(x)		(((x) >> 6) & 0x1f)
#define MMC_AS_DISABLE_AF_FAULT		(1ull << 34)
#define MMC_FAULT_ACCESS_SHIFT		8	/* ATOMIC 0, EX 1, READ 2, WRITE 3 */

/* Exception types (panthor_device.h enum drm_panthor_exception_type). */
#define MME_TRANSLATION_FAULT(l)	(0xc0u + (l))
#define MME_PERM_FAULT(l)		(0xc8u + (l))
#define MME_ACCESS_FLAG(l)		(0xd8u + (l))
#define MME_ADDR_SIZE_FAULT_IN		0xe0u
#define MME_ADDR_SIZE_FAULT_OUT(l)	(0xe4u + (l))

/* Firmware interface: control blocks (offsets in bytes). */
#define GLBC_VERSION			0x00
#define GLBC_FEATURES			0x04
#define GLBC_INPUT_VA			0x08
#define GLBC_OUTPUT_VA			0x0c
#define GLBC_GROUP_NUM			0x10
#define GLBC_GROUP_STRIDE		0x14
#define GLBC_PERFCNT_SIZE		0x18
#define GLBC_INSTR_FEATURES		0x1c
#define CSGC_FEATURES			0x00
#define CSGC_INPUT_VA			0x04
#define CSGC_OUTPUT_VA			0x08
#define CSGC_SUSPEND_SIZE		0x0c
#define CSGC_PROTM_SUSPEND_SIZE		0x10
#define CSGC_STREAM_NUM			0x14
#define CSGC_STREAM_STRIDE		0x18
#define CSC_FEATURES			0x00
#define CSC_INPUT_VA			0x04
#define CSC_OUTPUT_VA			0x08

/* GLB input/output */
#define GLBI_REQ			0x00
#define GLBI_ACK_IRQ_MASK		0x04
#define GLBI_DOORBELL_REQ		0x08
#define GLBI_PROGRESS_TIMER		0x10
#define GLBI_POWEROFF_TIMER		0x14
#define GLBI_CORE_EN_MASK		0x18
#define GLBI_IDLE_TIMER			0x80
#define GLBO_ACK			0x00
#define GLBO_DOORBELL_ACK		0x08
#define GLBO_HALT_STATUS		0x10
#define GLB_HALT			(1u << 0)
#define GLB_CFG_PROGRESS_TIMER		(1u << 1)
#define GLB_CFG_ALLOC_EN		(1u << 2)
#define GLB_CFG_POWEROFF_TIMER		(1u << 3)
#define GLB_PROTM_ENTER			(1u << 4)
#define GLB_PERFCNT_EN			(1u << 5)
#define GLB_PERFCNT_SAMPLE		(1u << 6)
#define GLB_COUNTER_EN			(1u << 7)
#define GLB_PING			(1u << 8)
#define GLB_FWCFG_UPDATE		(1u << 9)
#define GLB_IDLE_EN			(1u << 10)
#define GLB_REQ_MASK			0x7ffu
#define GLB_STATE_BITS			(GLB_PERFCNT_EN | GLB_COUNTER_EN | GLB_IDLE_EN)

/* CSG input/output */
#define CSGI_REQ			0x00
#define CSGI_ACK_IRQ_MASK		0x04
#define CSGI_DOORBELL_REQ		0x08
#define CSGI_CS_IRQ_ACK			0x0c
#define CSGI_ENDPOINT_REQ		0x34
#define CSGI_CONFIG			0x50
#define CSGO_ACK			0x00
#define CSGO_DOORBELL_ACK		0x08
#define CSGO_CS_IRQ_REQ			0x0c
#define CSGO_STATUS_EP_CURRENT		0x10
#define CSGO_STATUS_EP_REQ		0x14
#define CSGO_STATUS_STATE		0x18
#define CSG_STATE_MASK			0x7u
#define CSG_SYNC_UPDATE			(1u << 28)	/* events (MCU -> host) */
#define CSG_IDLE			(1u << 29)
#define CSG_PROGRESS_TIMER		(1u << 31)
#define CSG_ENDPOINT_CONFIG		(1u << 4)
#define CSG_STATUS_UPDATE		(1u << 5)
#define CSG_REQ_MASK			0x37u
#define CSG_STATUS_STATE_IDLE		(1u << 0)

/* CS input/output */
#define CSI_REQ				0x00
#define CSI_ACK_IRQ_MASK		0x0c
#define CSO_ACK				0x00
#define CS_REQ_MASK			0xf17u

#endif
