// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: parser of the Mali CSF firmware container (mali_csffw.bin).
 *
 * The format, as Linux 6.12's panthor_fw.c reads it (facts cited by function
 * name; the code here is panref's own). Everything is little-endian.
 *
 *   header, 20 bytes (struct panthor_fw_binary_hdr): magic 0xc3f13a6e,
 *     u8 minor, u8 major (panthor_fw_load() accepts only major 0), u16 pad,
 *     u32 version hash, u32 pad, u32 size. 'size' may not exceed the file
 *     ("Firmware image is truncated"); entries are read from offset 20
 *     while the offset is below 'size', none may reach past it.
 *   entry: u32 header word: type in bits 7:0, length in bytes including the
 *     header word in bits 15:8 (CSF_FW_BINARY_ENTRY_SIZE), UPDATE bit 30,
 *     OPTIONAL bit 31. panthor_fw_load_entry() wants the length to be a
 *     multiple of 4 and the entry inside 'size'; types 1-4 are skipped,
 *     unknown types are skipped if OPTIONAL and fatal otherwise.
 *   IFACE entry (type 0), panthor_fw_load_section_entry(): u32 flags,
 *     va_start, va_end, data_start, data_end (at least 20 bytes, else
 *     "Firmware too small"), then the name: the rest of the entry. Checked
 *     in this order: data_end >= data_start, va_end >= va_start, data_end
 *     <= file size (the file, not 'size'), both VAs aligned to the MCU VM
 *     page (4 KiB), no flag outside RD|WR|EX|CACHE_MODE|PROT|SHARED|ZERO;
 *     then a PROT section is ignored, a section at VA 0x04000000 must be
 *     SHARED, the data may not be longer than the VA range, and an empty
 *     VA range is skipped. panthor_fw_load() finally needs the section at
 *     0x04000000 (the shared interface region).
 *
 * In addition to those checks this parser rejects what Panthor lets through
 * or catches only by accident, so that every mistake gets its own message:
 * an entry shorter than its own header word (Panthor underflows the length
 * and reports "entry too long"), a header 'size' below the header itself,
 * sections overlapping in VA (Panthor would fail to map the second one),
 * more than PANREF_FW_MAX_SECTIONS sections, and a build-info entry whose
 * metadata lies outside the file (see fw_build_info()). All offset arithmetic is done by
 * comparing against what is left, so no sum can wrap.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#endif

#include "fw_image.h"

struct fw_ctx {
	const uint8_t *p;
	size_t size;		/* file size */
	struct panref_fw_image *img;
	char *err;
	size_t errlen;
	int shared;		/* the section at PANREF_FW_SHARED_VA was seen */
};

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

#ifdef __KERNEL__
/* The kernel build checks the formats; the host build has no __printf. */
static __printf(3, 4) int fw_fail(struct fw_ctx *c, int ret,
				  const char *fmt, ...);
#endif

static int fw_fail(struct fw_ctx *c, int ret, const char *fmt, ...)
{
	va_list ap;

	if (c->err && c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	c->img->nsections = 0;
	return ret;
}

/* IFACE entry of @len bytes at offset @at (len >= 4, inside the table). */
static int fw_iface(struct fw_ctx *c, uint32_t at, uint32_t len)
{
	const uint8_t *e = c->p + at;
	uint32_t flags, va_start, va_end, data_start, data_end, i;
	struct panref_fw_section *s;
	const uint8_t *nul;

	if (len < PANREF_FW_IFACE_SIZE)
		return fw_fail(c, -EINVAL,
			       "interface entry at offset 0x%x: length %u, less than the %u bytes of its fields",
			       at, len, PANREF_FW_IFACE_SIZE);
	flags = get_le32(e + 4);
	va_start = get_le32(e + 8);
	va_end = get_le32(e + 12);
	data_start = get_le32(e + 16);
	data_end = get_le32(e + 20);

	if (data_end < data_start)
		return fw_fail(c, -EINVAL,
			       "interface entry at offset 0x%x: data end 0x%x below data start 0x%x",
			       at, data_end, data_start);
	if (va_end < va_start)
		return fw_fail(c, -EINVAL,
			       "interface entry at offset 0x%x: VA end 0x%x below VA start 0x%x",
			       at, va_end, va_start);
	if (data_end > c->size)
		return fw_fail(c, -EINVAL,
			       "interface entry at offset 0x%x: data 0x%x-0x%x runs past the end of the file (0x%zx)",
			       at, data_start, data_end, c->size);
	/* panthor_vm_page_size() of the MCU VM: its smallest page, 4 KiB. */
	if ((va_start | va_end) & (PANREF_FW_MCU_PAGE - 1))
		return fw_fail(c, -EINVAL,
			       "interface entry at offset 0x%x: VA range 0x%x-0x%x not 4 KiB aligned",
			       at, va_start, va_end);
	if (flags & ~PANREF_FW_SEC_SUPPORTED)
		return fw_fail(c, -EINVAL,
			       "interface entry at offset 0x%x: unsupported flags 0x%x (unknown bits 0x%x)",
			       at, flags, flags & ~PANREF_FW_SEC_SUPPORTED);
	/* Panthor 6.12: "Firmware protected mode entry not be supported". */
	if (flags & PANREF_FW_SEC_PROT)
		return 0;
	if (va_start == PANREF_FW_SHARED_VA && !(flags & PANREF_FW_SEC_SHARED))
		return fw_fail(c, -EINVAL,
			       "interface entry at offset 0x%x: section at VA 0x%x lacks the SHARED flag (flags 0x%x)",
			       at, va_start, flags);
	if (data_end - data_start > va_end - va_start)
		return fw_fail(c, -EINVAL,
			       "interface entry at offset 0x%x: 0x%x data bytes exceed the 0x%x-byte VA range",
			       at, data_end - data_start, va_end - va_start);
	if (va_end == va_start)
		return 0;

	for (i = 0; i < c->img->nsections; i++) {
		s = &c->img->sec[i];
		if (va_start < s->va_end && s->va_start < va_end)
			return fw_fail(c, -EINVAL,
				       "interface entry at offset 0x%x: VA 0x%x-0x%x overlaps section %u (0x%x-0x%x)",
				       at, va_start, va_end, i, s->va_start, s->va_end);
	}
	if (c->img->nsections >= PANREF_FW_MAX_SECTIONS)
		return fw_fail(c, -E2BIG,
			       "interface entry at offset 0x%x: more than %d sections",
			       at, PANREF_FW_MAX_SECTIONS);

	s = &c->img->sec[c->img->nsections++];
	s->flags = flags;
	s->va_start = va_start;
	s->va_end = va_end;
	s->data_start = data_start;
	s->data_end = data_end;
	s->name_off = at + PANREF_FW_IFACE_SIZE;
	nul = memchr(e + PANREF_FW_IFACE_SIZE, 0, len - PANREF_FW_IFACE_SIZE);
	s->name_len = nul ? (uint32_t)(nul - (e + PANREF_FW_IFACE_SIZE)) :
			    len - PANREF_FW_IFACE_SIZE;
	if (va_start == PANREF_FW_SHARED_VA)
		c->shared = 1;
	return 0;
}

/*
 * BUILD_INFO_METADATA entry (type 6) of @len bytes at @at: u32 meta_start,
 * u32 meta_size. Panthor 6.12 skips it (it carries OPTIONAL); later kernels
 * (panthor_fw_read_build_info()) log a range outside the file and go on.
 * panref rejects that range: the file was cut short, and without this check
 * a container truncated inside its last payload would still be accepted.
 */
static int fw_build_info(struct fw_ctx *c, uint32_t at, uint32_t len)
{
	uint32_t start, msize;

	if (len < PANREF_FW_BUILD_INFO_SIZE)
		return fw_fail(c, -EINVAL,
			       "build-info entry at offset 0x%x: length %u, less than the %u bytes of its fields",
			       at, len, PANREF_FW_BUILD_INFO_SIZE);
	start = get_le32(c->p + at + 4);
	msize = get_le32(c->p + at + 8);
	if (start > c->size || msize > c->size - start)
		return fw_fail(c, -EINVAL,
			       "build-info entry at offset 0x%x: metadata 0x%x+0x%x runs past the end of the file (0x%zx)",
			       at, start, msize, c->size);
	return 0;
}

int panref_fw_parse(const void *data, size_t size, struct panref_fw_image *img,
		char *err, size_t errlen)
{
	struct fw_ctx c = {
		.p = data, .size = size, .img = img, .err = err, .errlen = errlen,
	};
	uint32_t magic, tsize, at, ehdr, type, len;
	int ret;

	memset(img, 0, sizeof(*img));
	if (err && errlen)
		err[0] = '\0';

	if (size < PANREF_FW_HDR_SIZE)
		return fw_fail(&c, -EINVAL,
			       "file of %zu bytes at offset 0 is shorter than the %u-byte header",
			       size, PANREF_FW_HDR_SIZE);
	magic = get_le32(c.p);
	if (magic != PANREF_FW_MAGIC)
		return fw_fail(&c, -EINVAL,
			       "bad magic 0x%08x at offset 0 (expected 0x%08x)",
			       magic, PANREF_FW_MAGIC);
	img->version_minor = c.p[4];
	img->version_major = c.p[5];
	if (img->version_major > PANREF_FW_MAJOR_MAX)
		return fw_fail(&c, -EINVAL,
			       "unsupported header version %u.%u at offset 4 (major must be %u)",
			       img->version_major, img->version_minor,
			       PANREF_FW_MAJOR_MAX);
	tsize = get_le32(c.p + 16);
	if (tsize > size)
		return fw_fail(&c, -EINVAL,
			       "header size field 0x%x at offset 16 exceeds the file size 0x%zx",
			       tsize, size);
	if (tsize < PANREF_FW_HDR_SIZE)
		return fw_fail(&c, -EINVAL,
			       "header size field 0x%x at offset 16 is less than the %u-byte header",
			       tsize, PANREF_FW_HDR_SIZE);

	for (at = PANREF_FW_HDR_SIZE; at < tsize; at += len) {
		if (tsize - at < 4)
			return fw_fail(&c, -EINVAL,
				       "entry header at offset 0x%x cut by the header size field 0x%x",
				       at, tsize);
		ehdr = get_le32(c.p + at);
		type = PANREF_FW_ENTRY_TYPE(ehdr);
		len = PANREF_FW_ENTRY_SIZE(ehdr);
		if (len % 4)
			return fw_fail(&c, -EINVAL,
				       "entry at offset 0x%x: length %u is not a multiple of 4",
				       at, len);
		if (len < 4)
			return fw_fail(&c, -EINVAL,
				       "entry at offset 0x%x: length %u is less than its 4-byte header",
				       at, len);
		if (len > tsize - at)
			return fw_fail(&c, -EINVAL,
				       "entry at offset 0x%x: length %u runs past the header size field 0x%x",
				       at, len, tsize);
		switch (type) {
		case PANREF_FW_ENTRY_IFACE:
			ret = fw_iface(&c, at, len);
			if (ret)
				return ret;
			break;
		case PANREF_FW_ENTRY_BUILD_INFO:
			ret = fw_build_info(&c, at, len);
			if (ret)
				return ret;
			break;
		case PANREF_FW_ENTRY_CONFIG:
		case PANREF_FW_ENTRY_FUTF_TEST:
		case PANREF_FW_ENTRY_TRACE_BUFFER:
		case PANREF_FW_ENTRY_TIMELINE_METADATA:
			/* Known to Panthor 6.12 and ignored. */
			break;
		default:
			if (!(ehdr & PANREF_FW_ENTRY_OPTIONAL))
				return fw_fail(&c, -EINVAL,
					       "entry at offset 0x%x: unknown type 0x%x without the OPTIONAL bit",
					       at, type);
			break;
		}
	}

	if (!img->nsections)
		return fw_fail(&c, -ENOENT,
			       "no section: the entry table at offset 0x14-0x%x maps nothing",
			       tsize);
	if (!c.shared)
		return fw_fail(&c, -EINVAL,
			       "no shared interface section at VA 0x%x among the entries at offset 0x14-0x%x",
			       PANREF_FW_SHARED_VA, tsize);
	return 0;
}
