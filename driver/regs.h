/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * panref: Mali CSF (arch v10, Mali-G610) register map.
 *
 * Offsets and bit meanings as documented by Arm's Mali CSF programming
 * model and used by Linux 6.12's Panthor (panthor_regs.h); the names here
 * are panref's own.
 */
#ifndef PANREF_REGS_H
#define PANREF_REGS_H

#include <linux/bits.h>

/* GPU control: identification */
#define PANREF_GPU_ID			0x000
#define PANREF_GPU_L2_FEATURES		0x004
#define PANREF_GPU_CORE_FEATURES		0x008
#define PANREF_GPU_TILER_FEATURES		0x00c
#define PANREF_GPU_MEM_FEATURES		0x010
#define PANREF_GPU_MMU_FEATURES		0x014
#define PANREF_GPU_AS_PRESENT		0x018
#define PANREF_GPU_CSF_ID			0x01c
#define PANREF_GPU_THREAD_MAX_THREADS	0x0a0
#define PANREF_GPU_THREAD_MAX_WG_SIZE	0x0a4
#define PANREF_GPU_THREAD_MAX_BARRIER_SIZE	0x0a8
#define PANREF_GPU_THREAD_FEATURES		0x0ac
#define PANREF_GPU_TEXTURE_FEATURES(n)	(0x0b0 + (n) * 4)
#define PANREF_GPU_SHADER_PRESENT		0x100	/* 64-bit: LO, HI */
#define PANREF_GPU_TILER_PRESENT		0x110
#define PANREF_GPU_L2_PRESENT		0x120
#define PANREF_GPU_REVID			0x280
#define PANREF_GPU_COHERENCY_FEATURES	0x300

#define PANREF_ID_ARCH_MAJOR(x)		((x) >> 28)
#define PANREF_ID_ARCH_MINOR(x)		(((x) >> 24) & 0xf)
#define PANREF_ID_PROD_MAJOR(x)		(((x) >> 16) & 0xf)
#define PANREF_ID_VER_MAJOR(x)		(((x) >> 12) & 0xf)
#define PANREF_ID_VER_MINOR(x)		(((x) >> 4) & 0xff)
#define PANREF_ID_VER_STATUS(x)		((x) & 0xf)
#define PANREF_MMU_VA_BITS(x)		((x) & 0xff)
#define PANREF_MMU_PA_BITS(x)		(((x) >> 8) & 0xff)

/* Interrupt blocks: RAWSTAT, CLEAR, MASK, STAT at +0, +4, +8, +0xc. */
#define PANREF_INT_RAWSTAT			0x0
#define PANREF_INT_CLEAR			0x4
#define PANREF_INT_MASK			0x8
#define PANREF_INT_STAT			0xc
#define PANREF_GPU_INT_BASE			0x020
#define PANREF_JOB_INT_BASE			0x1000
#define PANREF_MMU_INT_BASE			0x2000

#define PANREF_GPU_IRQ_FAULT		BIT(0)
#define PANREF_GPU_IRQ_PROTM_FAULT		BIT(1)
#define PANREF_GPU_IRQ_RESET_COMPLETED	BIT(8)
#define PANREF_GPU_IRQ_POWER_CHANGED	BIT(9)
#define PANREF_GPU_IRQ_POWER_CHANGED_ALL	BIT(10)
#define PANREF_GPU_IRQ_CLEAN_CACHES_DONE	BIT(17)
#define PANREF_GPU_IRQ_MCU_STATUS_CHANGED	BIT(19)

#define PANREF_JOB_IRQ_GLOBAL_IF		BIT(31)

/* GPU commands */
#define PANREF_GPU_CMD			0x030
#define PANREF_GPU_CMD_MAKE(type, arg)	((type) | ((arg) << 8))
#define PANREF_GPU_CMD_SOFT_RESET		PANREF_GPU_CMD_MAKE(1, 1)
#define PANREF_GPU_CMD_HARD_RESET		PANREF_GPU_CMD_MAKE(1, 2)
#define PANREF_CACHE_CLEAN			BIT(0)
#define PANREF_CACHE_INV			BIT(1)
#define PANREF_GPU_CMD_FLUSH(l2, lsc, oth)	\
	PANREF_GPU_CMD_MAKE(4, (l2) | ((lsc) << 4) | ((oth) << 8))

#define PANREF_GPU_STATUS			0x034
#define PANREF_GPU_FAULT_STATUS		0x03c
#define PANREF_GPU_FAULT_ADDR_LO		0x040
#define PANREF_GPU_FAULT_ADDR_HI		0x044

/* Power domains: READY/ON/OFF/TRANS blocks, each 64-bit per domain. */
#define PANREF_PWR_READY			0x140
#define PANREF_PWR_ON			0x180
#define PANREF_PWR_OFF			0x1c0
#define PANREF_PWR_TRANS			0x200
#define PANREF_PWR_SHADER			0x00
#define PANREF_PWR_TILER			0x10
#define PANREF_PWR_L2			0x20

/* MCU */
#define PANREF_MCU_CONTROL			0x700
#define PANREF_MCU_CONTROL_DISABLE		0
#define PANREF_MCU_CONTROL_ENABLE		1
#define PANREF_MCU_CONTROL_AUTO		2
#define PANREF_MCU_STATUS			0x704
#define PANREF_MCU_STATUS_DISABLED		0
#define PANREF_MCU_STATUS_ENABLED		1
#define PANREF_MCU_STATUS_HALT		2
#define PANREF_MCU_STATUS_FATAL		3

/* MMU address spaces */
#define PANREF_AS(n)			(0x2400 + (n) * 0x40)
#define PANREF_AS_TRANSTAB_LO(n)		(PANREF_AS(n) + 0x00)
#define PANREF_AS_TRANSTAB_HI(n)		(PANREF_AS(n) + 0x04)
#define PANREF_AS_MEMATTR_LO(n)		(PANREF_AS(n) + 0x08)
#define PANREF_AS_MEMATTR_HI(n)		(PANREF_AS(n) + 0x0c)
#define PANREF_AS_LOCKADDR_LO(n)		(PANREF_AS(n) + 0x10)
#define PANREF_AS_LOCKADDR_HI(n)		(PANREF_AS(n) + 0x14)
#define PANREF_AS_COMMAND(n)		(PANREF_AS(n) + 0x18)
#define PANREF_AS_FAULTSTATUS(n)		(PANREF_AS(n) + 0x1c)
#define PANREF_AS_FAULTADDRESS_LO(n)	(PANREF_AS(n) + 0x20)
#define PANREF_AS_FAULTADDRESS_HI(n)	(PANREF_AS(n) + 0x24)
#define PANREF_AS_STATUS(n)			(PANREF_AS(n) + 0x28)
#define PANREF_AS_TRANSCFG_LO(n)		(PANREF_AS(n) + 0x30)
#define PANREF_AS_TRANSCFG_HI(n)		(PANREF_AS(n) + 0x34)
#define PANREF_MAX_AS			16

#define PANREF_AS_CMD_UPDATE		1
#define PANREF_AS_CMD_LOCK			2
#define PANREF_AS_CMD_UNLOCK		3
#define PANREF_AS_CMD_FLUSH_PT		4
#define PANREF_AS_CMD_FLUSH_MEM		5
#define PANREF_AS_STATUS_ACTIVE		BIT(0)
#define PANREF_AS_LOCK_MIN_SHIFT		15	/* 32 KiB */

#define PANREF_AS_TRANSCFG_UNMAPPED		1
#define PANREF_AS_TRANSCFG_AARCH64_4K	6
#define PANREF_AS_TRANSCFG_INA_BITS(x)	((u64)(x) << 6)
#define PANREF_AS_TRANSCFG_PTW_MEMATTR_WB	(2ull << 24)
#define PANREF_AS_TRANSCFG_PTW_SH_OS	(2ull << 28)
#define PANREF_AS_TRANSCFG_PTW_RA		BIT_ULL(30)

#define PANREF_MEMATTR_ALLOC_EXPL(w, r)	((3 << 2) | ((w) ? 1 : 0) | ((r) ? 2 : 0))
#define PANREF_MEMATTR_SH_MIDGARD_INNER	(0 << 4)
#define PANREF_MEMATTR_SH_CPU_INNER		(1 << 4)
#define PANREF_MEMATTR_INNER_OUTER_NC	(1 << 6)
#define PANREF_MEMATTR_INNER_OUTER_WB	(2 << 6)

#define PANREF_AS_FAULT_ACCESS(x)		(((x) >> 8) & 3)

/* CSF */
#define PANREF_LATEST_FLUSH_ID		0x10000
#define PANREF_DOORBELL(i)			(0x80000 + (i) * 0x10000)
#define PANREF_GLB_DOORBELL			0

#endif
