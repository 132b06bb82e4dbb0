/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * pantrace trace codec: the file format of harness/FORMAT.md. Pure C (no
 * kernel or libdrm dependency), used by the recorder, the tools, host
 * tests and fuzz targets.
 */
#ifndef PANREF_TRACE_H
#define PANREF_TRACE_H

#include <stddef.h>
#include <stdint.h>

#define PT_MAGIC		"PANTRACE"
#define PT_VERSION		1u
#define PT_FILE_HEADER_SIZE	16u
#define PT_RECORD_HEADER_SIZE	16u
#define PT_MAX_PAYLOAD		(64u << 20)	/* larger is corruption */
#define PT_FLAG_ZSTD		1u	/* file header flag: records may be compressed */
#define PT_TYPE_ZSTD		0x100u	/* record type bit: zstd-compressed payload */
#define PT_ZSTD_MIN		4096u	/* payloads this large are compressed */

enum pt_type {
	PT_HEADER = 1, PT_OPEN, PT_CLOSE, PT_DUP, PT_IOCTL, PT_MMAP, PT_MUNMAP,
	PT_BO_DATA, PT_END,
};

uint32_t pt_crc32(uint32_t crc, const void *buf, size_t len);
const char *pt_type_name(uint32_t type);

/* ---- writing ---- */

struct pt_writer {
	int fd;
	uint32_t seq;
	int zstd;		/* compress payloads of PT_ZSTD_MIN bytes and more */
	uint8_t *map;		/* mapped mode: the file's shared mapping */
	size_t mapsize, off;
	size_t populated;	/* mapped mode: pages before this are faulted in */
};

/*
 * Write the file header to @fd (at its current position). 0 or -errno.
 * With @zstd, large payloads are stored zstd-compressed (FORMAT.md).
 */
int pt_writer_start(struct pt_writer *w, int fd, int zstd);
/*
 * Mapped mode: the same file format written through a shared mapping of
 * @fd (grown in PT_MAP_STEP steps), so appending a record costs no system
 * call. What is stored in the mapping survives the process being killed;
 * the file then ends in zeros, which readers report as the truncation point.
 * pt_writer_finish() cuts the file to its length. 0 or -errno.
 */
#define PT_MAP_STEP	(8u << 20)
/*
 * The pages ahead of the write position are faulted in this many bytes at a
 * time (one madvise(MADV_POPULATE_WRITE)): a page fault per 4 KiB of trace
 * costs more than the record-keeping itself where faults are slow (UML).
 */
#define PT_POPULATE_STEP (1u << 20)
int pt_writer_start_mapped(struct pt_writer *w, int fd, int zstd);
int pt_writer_finish(struct pt_writer *w);
/* Forget a mapping inherited across fork() without touching the file. */
void pt_writer_drop(struct pt_writer *w);
/*
 * Append one record: with one write(), or, mapped, payload first and the
 * header last, so that a record is either whole or visibly unfinished.
 * 0 or -errno.
 */
int pt_write(struct pt_writer *w, uint32_t type, const void *payload, uint32_t len);

/* ---- reading ---- */

struct pt_record {
	uint32_t type, len, seq;	/* type without PT_TYPE_ZSTD; len uncompressed */
	size_t offset;			/* of the record header in the file */
	const uint8_t *payload;		/* into the input, or the reader's copy */
	int compressed;			/* it was stored compressed */
};

enum pt_status {
	PT_OK = 1,		/* a record was returned */
	PT_EOF = 0,		/* clean end of file */
	PT_TRUNCATED = -1,	/* the file ends inside a record */
	PT_CORRUPT = -2,	/* bad CRC, sequence, length or header */
};

struct pt_reader {
	const uint8_t *data;
	size_t size, off;
	uint32_t seq, flags;
	char error[160];	/* what went wrong, with the offset */
	void **bufs;		/* decompressed payloads, freed by pt_reader_end */
	size_t nbufs, capbufs;
};

/* Check the file header of @data. PT_OK or PT_CORRUPT/PT_TRUNCATED. */
int pt_reader_start(struct pt_reader *r, const void *data, size_t size);
/*
 * The next record; on anything but PT_OK, r->error says why. A payload
 * stays valid until pt_reader_end().
 */
int pt_read(struct pt_reader *r, struct pt_record *rec);
void pt_reader_end(struct pt_reader *r);

/* ---- record payloads (FORMAT.md), decoded with every bound checked ---- */

#define PT_IOCTL_FIXED		48u	/* IOCTL payload before arg_in */
#define PT_BO_DATA_FIXED	32u	/* BO_DATA payload before the bytes */
#define PT_MAX_ARG		256u	/* larger ioctl arguments are not recorded */
#define PT_MAX_MEM		4096u	/* memory blocks per IOCTL record */

/* IOCTL flags */
#define PT_IOCTL_ARG_UNREADABLE	1u	/* the argument pointer faulted: arg bytes are 0 */

enum pt_mem_dir { PT_MEM_READ = 1, PT_MEM_WRITTEN = 2 };
/* BO_DATA kinds */
enum pt_bo_data_kind {
	PT_BO_CPU = 1,		/* written by the CPU: restore before what follows */
	PT_BO_OBSERVED = 2,	/* found after a wait completed: compare */
};

struct pt_mem {
	uint64_t addr;
	uint32_t len, dir;
	const uint8_t *bytes;
};

struct pt_ioctl {
	uint32_t fd, tid;
	uint64_t request, t_start, t_end;
	int32_t ret, err;
	uint32_t arg_len, nmem, flags;	/* flags: PT_IOCTL_* */
	const uint8_t *arg_in, *arg_out;
	struct pt_mem *mem;		/* nmem entries, caller's array */
};

struct pt_open {
	uint32_t fd, flags, path_len;
	const char *path;		/* not NUL-terminated */
};

struct pt_mmap {
	uint32_t fd, prot, flags;
	uint64_t offset, length, addr;	/* addr 0: the mmap failed */
};

struct pt_bo_data {
	uint32_t fd, handle;		/* handle 0: not known to the recorder */
	uint64_t map_addr, offset;	/* mapping (as recorded) and offset in it */
	uint32_t kind, len;
	const uint8_t *bytes;
};

/*
 * Decode @rec's payload. 0, or -1 with @err saying what is malformed.
 * pt_decode_ioctl fills at most @max_mem entries of @mem.
 */
int pt_decode_ioctl(const struct pt_record *rec, struct pt_ioctl *io, struct pt_mem *mem,
		    uint32_t max_mem, char *err, size_t errlen);
int pt_decode_open(const struct pt_record *rec, struct pt_open *o, char *err, size_t errlen);
int pt_decode_mmap(const struct pt_record *rec, struct pt_mmap *m, char *err, size_t errlen);
int pt_decode_bo_data(const struct pt_record *rec, struct pt_bo_data *b, char *err,
		      size_t errlen);
/* The IOCTL memory block at exactly @addr with direction @dir, or NULL. */
const struct pt_mem *pt_find_mem(const struct pt_ioctl *io, uint64_t addr, uint32_t dir);

#endif
