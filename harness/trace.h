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
};

/* Write the file header to @fd (at its current position). 0 or -errno. */
int pt_writer_start(struct pt_writer *w, int fd);
/* Append one record with a single write(). 0 or -errno. */
int pt_write(struct pt_writer *w, uint32_t type, const void *payload, uint32_t len);

/* ---- reading ---- */

struct pt_record {
	uint32_t type, len, seq;
	size_t offset;			/* of the record header in the file */
	const uint8_t *payload;		/* points into the reader's buffer */
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
	uint32_t seq;
	char error[160];	/* what went wrong, with the offset */
};

/* Check the file header of @data. PT_OK or PT_CORRUPT/PT_TRUNCATED. */
int pt_reader_start(struct pt_reader *r, const void *data, size_t size);
/* The next record; on anything but PT_OK, r->error says why. */
int pt_read(struct pt_reader *r, struct pt_record *rec);

#endif
