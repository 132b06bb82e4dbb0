/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * panref: parser of the Mali CSF firmware container (mali_csffw.bin).
 *
 * Pure logic with no kernel-only dependency: the same fw_image.c builds into
 * panref.ko, into a host unit test (tests/driver/test_fw_image.c) and into a
 * libFuzzer target (fuzz/fw_image.c). The container format and the checks
 * are those of Linux 6.12's drivers/gpu/drm/panthor/panthor_fw.c
 * (panthor_fw_load() and the functions it calls); see fw_image.c.
 */
#ifndef PANREF_FW_IMAGE_H
#define PANREF_FW_IMAGE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

/* Header: u32 magic, u8 minor, u8 major, u16 pad, u32 hash, u32 pad, u32 size */
#define PANREF_FW_MAGIC		0xc3f13a6eu	/* CSF_FW_BINARY_HEADER_MAGIC */
#define PANREF_FW_MAJOR_MAX		0u	/* CSF_FW_BINARY_HEADER_MAJOR_MAX */
#define PANREF_FW_HDR_SIZE		20u

/* Entry header word: type 7:0, entry length in bytes 15:8, flags 31:30. */
#define PANREF_FW_ENTRY_TYPE(ehdr)	((ehdr) & 0xffu)
#define PANREF_FW_ENTRY_SIZE(ehdr)	(((ehdr) >> 8) & 0xffu)
#define PANREF_FW_ENTRY_UPDATE	(1u << 30)
#define PANREF_FW_ENTRY_OPTIONAL	(1u << 31)

/* Entry types (panthor_fw_binary_entry_type; 6 is later kernels' build info). */
#define PANREF_FW_ENTRY_IFACE		0u
#define PANREF_FW_ENTRY_CONFIG		1u
#define PANREF_FW_ENTRY_FUTF_TEST		2u
#define PANREF_FW_ENTRY_TRACE_BUFFER	3u
#define PANREF_FW_ENTRY_TIMELINE_METADATA	4u
#define PANREF_FW_ENTRY_BUILD_INFO		6u

/* IFACE entry: u32 flags, va_start, va_end, data_start, data_end, name. */
#define PANREF_FW_IFACE_SIZE	24u	/* entry header word + five u32 */

/* BUILD_INFO entry: u32 meta_start, u32 meta_size ("git_sha: <hex>\0"). */
#define PANREF_FW_BUILD_INFO_SIZE	12u	/* entry header word + two u32 */

/* Section flags (CSF_FW_BINARY_IFACE_ENTRY_RD_*). */
#define PANREF_FW_SEC_RD			(1u << 0)
#define PANREF_FW_SEC_WR			(1u << 1)
#define PANREF_FW_SEC_EX			(1u << 2)
#define PANREF_FW_SEC_CACHE_MODE_SHIFT	3
#define PANREF_FW_SEC_CACHE_MODE_MASK	(3u << 3)
#define PANREF_FW_SEC_CACHE_NONE		(0u << 3)
#define PANREF_FW_SEC_CACHE_CACHED		(1u << 3)
#define PANREF_FW_SEC_CACHE_UNCACHED_COH	(2u << 3)
#define PANREF_FW_SEC_CACHE_CACHED_COH	(3u << 3)
#define PANREF_FW_SEC_PROT			(1u << 5)
#define PANREF_FW_SEC_SHARED		(1u << 30)
#define PANREF_FW_SEC_ZERO			(1u << 31)
#define PANREF_FW_SEC_SUPPORTED \
	(PANREF_FW_SEC_RD | PANREF_FW_SEC_WR | PANREF_FW_SEC_EX | \
	 PANREF_FW_SEC_CACHE_MODE_MASK | PANREF_FW_SEC_PROT | PANREF_FW_SEC_SHARED | \
	 PANREF_FW_SEC_ZERO)

/* MCU VM page size and the interface region (CSF_MCU_SHARED_REGION_START). */
#define PANREF_FW_MCU_PAGE		0x1000u
#define PANREF_FW_SHARED_VA		0x04000000u

#define PANREF_FW_MAX_SECTIONS	32
#define PANREF_FW_ERRLEN		128	/* smallest @errlen that never truncates */

/*
 * One section to map. Only non-empty (va_end > va_start), non-protected
 * sections are listed: Panthor 6.12 skips PROT ones and empty ones.
 */
struct panref_fw_section {
	/* The IFACE entry's flags word as in the container (PANREF_FW_SEC_*). */
	uint32_t flags;
	uint32_t va_start, va_end;	/* MCU virtual addresses, [start, end) */
	uint32_t data_start, data_end;	/* byte range of the data in the image */
	/*
	 * Name bytes in the image: the entry's remaining bytes up to the
	 * first NUL (may be 0 length; not NUL-terminated in the image).
	 */
	uint32_t name_off, name_len;
};

struct panref_fw_image {
	uint32_t version_major, version_minor;	/* container header version */
	uint32_t nsections;
	struct panref_fw_section sec[PANREF_FW_MAX_SECTIONS];
};

/*
 * panref_fw_parse() - validate a firmware container and list its sections.
 * @data, @size: the whole file.
 * @img: filled on success; nsections is 0 on failure.
 * @err, @errlen: on failure, what is wrong and at which byte offset
 *	(NUL-terminated; errlen >= PANREF_FW_ERRLEN never truncates). May be NULL.
 *
 * Return: 0, or -EINVAL (malformed), -E2BIG (more than PANREF_FW_MAX_SECTIONS
 * sections), -ENOENT (no section at all).
 */
int panref_fw_parse(const void *data, size_t size, struct panref_fw_image *img,
		char *err, size_t errlen);

#endif
