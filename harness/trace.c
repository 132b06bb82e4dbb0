// SPDX-License-Identifier: GPL-2.0 OR MIT
/* pantrace trace codec (see trace.h and FORMAT.md). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* mremap */
#endif
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zstd.h>

#include "trace.h"

/*
 * CRC-32 (IEEE 802.3, reflected, as zlib's crc32()), eight bytes per step
 * with eight tables ("slicing-by-8"): the recorder computes one per record.
 */
static uint32_t crc_tab[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	uint32_t i, k;

	for (i = 0; i < 256; i++) {
		uint32_t c = i;

		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_tab[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			crc_tab[k][i] = (crc_tab[k - 1][i] >> 8) ^ crc_tab[0][crc_tab[k - 1][i] & 0xff];
}

uint32_t pt_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	pthread_once(&crc_once, crc_init);
	crc = ~crc;
	for (; len >= 8; len -= 8, p += 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
				     (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);

		crc = crc_tab[7][lo & 0xff] ^ crc_tab[6][(lo >> 8) & 0xff] ^
		      crc_tab[5][(lo >> 16) & 0xff] ^ crc_tab[4][lo >> 24] ^
		      crc_tab[3][p[4]] ^ crc_tab[2][p[5]] ^ crc_tab[1][p[6]] ^ crc_tab[0][p[7]];
	}
	for (; len; len--, p++)
		crc = crc_tab[0][(crc ^ *p) & 0xff] ^ (crc >> 8);
	return ~crc;
}

const char *pt_type_name(uint32_t type)
{
	static const char *const names[] = {
		[PT_HEADER] = "HEADER", [PT_OPEN] = "OPEN", [PT_CLOSE] = "CLOSE",
		[PT_DUP] = "DUP", [PT_IOCTL] = "IOCTL", [PT_MMAP] = "MMAP",
		[PT_MUNMAP] = "MUNMAP", [PT_BO_DATA] = "BO_DATA", [PT_END] = "END",
	};

	return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : NULL;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int pt_writer_start(struct pt_writer *w, int fd, int zstd)
{
	uint8_t h[PT_FILE_HEADER_SIZE];

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->zstd = zstd;
	memcpy(h, PT_MAGIC, 8);
	put32(h + 8, PT_VERSION);
	put32(h + 12, zstd ? PT_FLAG_ZSTD : 0);
	return write_all(fd, h, sizeof(h));
}

int pt_writer_start_mapped(struct pt_writer *w, int fd, int zstd)
{
	uint8_t h[PT_FILE_HEADER_SIZE];

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->zstd = zstd;
	if (ftruncate(fd, PT_MAP_STEP))
		return -errno;
	w->map = mmap(NULL, PT_MAP_STEP, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w->map == MAP_FAILED) {
		w->map = NULL;
		return -errno;
	}
	w->mapsize = PT_MAP_STEP;
	memcpy(h, PT_MAGIC, 8);
	put32(h + 8, PT_VERSION);
	put32(h + 12, zstd ? PT_FLAG_ZSTD : 0);
	memcpy(w->map, h, sizeof(h));
	w->off = sizeof(h);
	return 0;
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23	/* Linux 5.14 */
#endif

/*
 * Fault in the pages from the write position to PT_POPULATE_STEP past it
 * in one call. Best effort: a kernel without MADV_POPULATE_WRITE takes one
 * fault per page instead, which is only slower.
 */
static void map_populate(struct pt_writer *w)
{
	size_t start = w->populated > w->off ? w->populated : w->off & ~(size_t)4095;
	size_t end = start + PT_POPULATE_STEP;

	if (end > w->mapsize)
		end = w->mapsize;
	if (start >= end)
		return;
	if (madvise(w->map + start, end - start, MADV_POPULATE_WRITE))
		w->populated = SIZE_MAX;	/* not supported: stop trying */
	else
		w->populated = end;
}

/* Room for @n more bytes in the mapping. 0 or -errno. */
static int map_reserve(struct pt_writer *w, size_t n)
{
	size_t size = w->mapsize;
	void *p;

	if (w->off + n <= w->mapsize)
		return 0;
	while (size < w->off + n)
		size += PT_MAP_STEP;
	if (ftruncate(w->fd, (off_t)size))
		return -errno;
	p = mremap(w->map, w->mapsize, size, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		return -errno;
	w->map = p;
	w->mapsize = size;
	return 0;
}

/* Room for @n more bytes, with the pages they land on already faulted in. */
static int map_room(struct pt_writer *w, size_t n)
{
	int r = map_reserve(w, n);

	if (!r && w->off + n > w->populated && w->populated != SIZE_MAX)
		map_populate(w);
	return r;
}

int pt_writer_finish(struct pt_writer *w)
{
	int r = 0;

	if (!w->map)
		return 0;
	if (ftruncate(w->fd, (off_t)w->off))
		r = -errno;
	munmap(w->map, w->mapsize);
	w->map = NULL;
	return r;
}

void pt_writer_drop(struct pt_writer *w)
{
	if (w->map)
		munmap(w->map, w->mapsize);
	w->map = NULL;
}

int pt_write(struct pt_writer *w, uint32_t type, const void *payload, uint32_t len)
{
	uint8_t hdr[PT_RECORD_HEADER_SIZE], *z = NULL;
	uint32_t crc, stored = len;
	size_t total;
	int r;

	if (len > PT_MAX_PAYLOAD)
		return -EFBIG;
	if (w->zstd && len >= PT_ZSTD_MIN) {
		/* u32 uncompressed length, then one zstd frame; kept if smaller */
		size_t cap = 4 + ZSTD_compressBound(len), n;

		z = malloc(cap);
		if (z) {
			n = ZSTD_compress(z + 4, cap - 4, payload, len, 1);
			if (!ZSTD_isError(n) && n + 4 < len) {
				put32(z, len);
				payload = z;
				stored = (uint32_t)n + 4;
				type |= PT_TYPE_ZSTD;
			}
		}
	}
	total = PT_RECORD_HEADER_SIZE + ((stored + 7u) & ~7u);
	memset(hdr, 0, sizeof(hdr));
	put32(hdr, type);
	put32(hdr + 4, stored);
	put32(hdr + 8, w->seq);
	crc = pt_crc32(0, hdr, 12);
	crc = pt_crc32(crc, payload, stored);
	put32(hdr + 12, crc);
	if (w->map) {
		/*
		 * Straight into the mapping: the payload and its padding, then
		 * the header, the CRC last (see pt_read()).
		 */
		r = map_room(w, total);
		if (!r) {
			volatile uint8_t *dst = w->map + w->off;

			if (stored)
				memcpy((uint8_t *)dst + PT_RECORD_HEADER_SIZE, payload, stored);
			memset((uint8_t *)dst + PT_RECORD_HEADER_SIZE + stored, 0,
			       total - PT_RECORD_HEADER_SIZE - stored);
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			memcpy((uint8_t *)dst, hdr, 12);
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			memcpy((uint8_t *)dst + 12, hdr + 12, 4);
			w->off += total;
		}
	} else {
		/* One write: a crash never leaves half a record before another. */
		uint8_t stack[4096], *buf = stack;

		if (total > sizeof(stack))
			buf = malloc(total);
		if (buf) {
			memcpy(buf, hdr, PT_RECORD_HEADER_SIZE);
			if (stored)
				memcpy(buf + PT_RECORD_HEADER_SIZE, payload, stored);
			memset(buf + PT_RECORD_HEADER_SIZE + stored, 0,
			       total - PT_RECORD_HEADER_SIZE - stored);
			r = write_all(w->fd, buf, total);
			if (buf != stack)
				free(buf);
		} else {
			r = -ENOMEM;
		}
	}
	if (!r)
		w->seq++;
	free(z);
	return r;
}

int pt_reader_start(struct pt_reader *r, const void *data, size_t size)
{
	memset(r, 0, sizeof(*r));
	r->data = data;
	r->size = size;
	if (size < PT_FILE_HEADER_SIZE) {
		snprintf(r->error, sizeof(r->error),
			 "file of %zu bytes is shorter than the %u-byte header", size,
			 PT_FILE_HEADER_SIZE);
		return PT_TRUNCATED;
	}
	if (memcmp(data, PT_MAGIC, 8)) {
		snprintf(r->error, sizeof(r->error), "not a pantrace file (bad magic)");
		return PT_CORRUPT;
	}
	if (get32(r->data + 8) != PT_VERSION) {
		snprintf(r->error, sizeof(r->error), "format version %u, this reader knows %u",
			 get32(r->data + 8), PT_VERSION);
		return PT_CORRUPT;
	}
	if (get32(r->data + 12) & ~PT_FLAG_ZSTD) {
		snprintf(r->error, sizeof(r->error), "unsupported flags %#x",
			 get32(r->data + 12));
		return PT_CORRUPT;
	}
	r->flags = get32(r->data + 12);
	r->off = PT_FILE_HEADER_SIZE;
	return PT_OK;
}

/* Replace @rec's stored payload by its decompressed copy. 0 or -1. */
static int inflate(struct pt_reader *r, struct pt_record *rec)
{
	uint32_t raw;
	uint8_t *out;
	size_t n;

	if (!(r->flags & PT_FLAG_ZSTD) || rec->len < 4) {
		snprintf(r->error, sizeof(r->error),
			 "compressed record at offset %zu in a file without the zstd flag, or too short",
			 rec->offset);
		return -1;
	}
	raw = get32(rec->payload);
	if (raw > PT_MAX_PAYLOAD || raw < PT_ZSTD_MIN ||
	    ZSTD_getFrameContentSize(rec->payload + 4, rec->len - 4) != raw) {
		snprintf(r->error, sizeof(r->error),
			 "compressed record at offset %zu: bad uncompressed size %u", rec->offset, raw);
		return -1;
	}
	if (r->nbufs == r->capbufs) {
		size_t cap = r->capbufs ? r->capbufs * 2 : 64;
		void **nb = realloc(r->bufs, cap * sizeof(*nb));

		if (!nb)
			goto nomem;
		r->bufs = nb;
		r->capbufs = cap;
	}
	out = malloc(raw);
	if (!out)
		goto nomem;
	n = ZSTD_decompress(out, raw, rec->payload + 4, rec->len - 4);
	if (ZSTD_isError(n) || n != raw) {
		free(out);
		snprintf(r->error, sizeof(r->error),
			 "compressed record at offset %zu does not decompress: %s", rec->offset,
			 ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short");
		return -1;
	}
	r->bufs[r->nbufs++] = out;
	rec->payload = out;
	rec->len = raw;
	return 0;
nomem:
	snprintf(r->error, sizeof(r->error), "out of memory at offset %zu", rec->offset);
	return -1;
}

void pt_reader_end(struct pt_reader *r)
{
	while (r->nbufs)
		free(r->bufs[--r->nbufs]);
	free(r->bufs);
	r->bufs = NULL;
	r->capbufs = 0;
}

/* Whether every byte of @data from @off on is zero. */
static int zero_from(const uint8_t *data, size_t size, size_t off)
{
	for (; off < size; off++)
		if (data[off])
			return 0;
	return 1;
}

int pt_read(struct pt_reader *r, struct pt_record *rec)
{
	const uint8_t *h = r->data + r->off;
	size_t left = r->size - r->off, need;
	uint32_t crc;

	if (!left)
		return PT_EOF;
	if (left < PT_RECORD_HEADER_SIZE) {
		snprintf(r->error, sizeof(r->error),
			 "truncated tail at offset %zu: %zu of %u header bytes", r->off, left,
			 PT_RECORD_HEADER_SIZE);
		return PT_TRUNCATED;
	}
	rec->type = get32(h);
	rec->len = get32(h + 4);
	rec->seq = get32(h + 8);
	rec->offset = r->off;
	if (!rec->type && !rec->len && !rec->seq && !get32(h + 12)) {
		/* a mapped writer's file past its last record: it did not finish */
		snprintf(r->error, sizeof(r->error),
			 "truncated tail at offset %zu: %zu bytes the recorder never completed",
			 r->off, left);
		return PT_TRUNCATED;
	}
	if (rec->len > PT_MAX_PAYLOAD) {
		snprintf(r->error, sizeof(r->error),
			 "record at offset %zu claims %u payload bytes", r->off, rec->len);
		return PT_CORRUPT;
	}
	need = PT_RECORD_HEADER_SIZE + ((rec->len + 7u) & ~7u);
	if (left < need) {
		/* A valid-looking header whose payload ran out: a cut tail. */
		snprintf(r->error, sizeof(r->error),
			 "truncated tail at offset %zu: record %u (%s) needs %zu bytes, %zu left",
			 r->off, rec->seq, pt_type_name(rec->type) ? pt_type_name(rec->type) : "?",
			 need, left);
		return PT_TRUNCATED;
	}
	crc = pt_crc32(0, h, 12);
	crc = pt_crc32(crc, h + PT_RECORD_HEADER_SIZE, rec->len);
	if (crc != get32(h + 12)) {
		if (r->off + need < r->size && zero_from(r->data, r->size, r->off + need)) {
			/* the last record, caught half-written: the recorder died */
			snprintf(r->error, sizeof(r->error),
				 "truncated tail at offset %zu: record %u was never completed",
				 r->off, rec->seq);
			return PT_TRUNCATED;
		}
		snprintf(r->error, sizeof(r->error), "bad CRC in the record at offset %zu", r->off);
		return PT_CORRUPT;
	}
	for (size_t i = PT_RECORD_HEADER_SIZE + rec->len; i < need; i++) {
		if (h[i]) {
			snprintf(r->error, sizeof(r->error),
				 "non-zero padding in the record at offset %zu", r->off);
			return PT_CORRUPT;
		}
	}
	if (rec->seq != r->seq) {
		snprintf(r->error, sizeof(r->error),
			 "record at offset %zu has sequence %u, expected %u", r->off, rec->seq,
			 r->seq);
		return PT_CORRUPT;
	}
	rec->compressed = !!(rec->type & PT_TYPE_ZSTD);
	rec->type &= ~PT_TYPE_ZSTD;
	if (!pt_type_name(rec->type)) {
		snprintf(r->error, sizeof(r->error), "unknown record type %u at offset %zu",
			 rec->type, r->off);
		return PT_CORRUPT;
	}
	rec->payload = h + PT_RECORD_HEADER_SIZE;
	if (rec->compressed && inflate(r, rec))
		return PT_CORRUPT;
	r->off += need;
	r->seq++;
	return PT_OK;
}

/* ---- payload decoders ---------------------------------------------------- */

static int bad(char *err, size_t errlen, const struct pt_record *rec, const char *what)
{
	snprintf(err, errlen, "malformed %s record %u at offset %zu: %s",
		 pt_type_name(rec->type) ? pt_type_name(rec->type) : "?", rec->seq, rec->offset,
		 what);
	return -1;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

int pt_decode_ioctl(const struct pt_record *rec, struct pt_ioctl *io, struct pt_mem *mem,
		    uint32_t max_mem, char *err, size_t errlen)
{
	const uint8_t *p = rec->payload;
	size_t off;
	uint32_t i;

	if (rec->type != PT_IOCTL || rec->len < PT_IOCTL_FIXED)
		return bad(err, errlen, rec, "shorter than the fixed part");
	io->fd = get32(p);
	io->tid = get32(p + 4);
	io->request = get64(p + 8);
	io->t_start = get64(p + 16);
	io->t_end = get64(p + 24);
	io->ret = (int32_t)get32(p + 32);
	io->err = (int32_t)get32(p + 36);
	io->arg_len = get32(p + 40);
	io->nmem = get32(p + 44) & 0xffff;
	io->flags = get32(p + 44) >> 16;
	io->mem = mem;
	if (io->arg_len > PT_MAX_ARG)
		return bad(err, errlen, rec, "argument longer than 256 bytes");
	if (io->flags & ~PT_IOCTL_ARG_UNREADABLE)
		return bad(err, errlen, rec, "unknown flags");
	if (io->nmem > max_mem || io->nmem > PT_MAX_MEM)
		return bad(err, errlen, rec, "too many memory blocks");
	off = PT_IOCTL_FIXED + 2 * (size_t)io->arg_len;
	if (off > rec->len)
		return bad(err, errlen, rec, "argument bytes run past the payload");
	io->arg_in = p + PT_IOCTL_FIXED;
	io->arg_out = p + PT_IOCTL_FIXED + io->arg_len;
	for (i = 0; i < io->nmem; i++) {
		if (rec->len - off < 16)
			return bad(err, errlen, rec, "memory block header past the payload");
		mem[i].addr = get64(p + off);
		mem[i].len = get32(p + off + 8);
		mem[i].dir = get32(p + off + 12);
		mem[i].bytes = p + off + 16;
		if (mem[i].dir != PT_MEM_READ && mem[i].dir != PT_MEM_WRITTEN)
			return bad(err, errlen, rec, "memory block with an unknown direction");
		off += 16;
		if (rec->len - off < ((uint64_t)mem[i].len + 7u) / 8u * 8u)
			return bad(err, errlen, rec, "memory block bytes past the payload");
		off += ((uint64_t)mem[i].len + 7u) / 8u * 8u;
	}
	if (off != rec->len)
		return bad(err, errlen, rec, "trailing bytes after the memory blocks");
	return 0;
}

int pt_decode_open(const struct pt_record *rec, struct pt_open *o, char *err, size_t errlen)
{
	if (rec->type != PT_OPEN || rec->len < 8)
		return bad(err, errlen, rec, "shorter than 8 bytes");
	o->fd = get32(rec->payload);
	o->flags = get32(rec->payload + 4);
	o->path = (const char *)rec->payload + 8;
	o->path_len = rec->len - 8;
	return 0;
}

int pt_decode_mmap(const struct pt_record *rec, struct pt_mmap *m, char *err, size_t errlen)
{
	const uint8_t *p = rec->payload;

	if (rec->type != PT_MMAP || rec->len != 40)
		return bad(err, errlen, rec, "not 40 bytes long");
	m->fd = get32(p);
	m->prot = get32(p + 4);
	m->flags = get32(p + 8);
	m->offset = get64(p + 16);
	m->length = get64(p + 24);
	m->addr = get64(p + 32);
	return 0;
}

int pt_decode_bo_data(const struct pt_record *rec, struct pt_bo_data *b, char *err,
		      size_t errlen)
{
	const uint8_t *p = rec->payload;

	if (rec->type != PT_BO_DATA || rec->len < PT_BO_DATA_FIXED)
		return bad(err, errlen, rec, "shorter than the fixed part");
	b->fd = get32(p);
	b->handle = get32(p + 4);
	b->map_addr = get64(p + 8);
	b->offset = get64(p + 16);
	b->kind = get32(p + 24);
	b->len = get32(p + 28);
	b->bytes = p + PT_BO_DATA_FIXED;
	if (b->kind != PT_BO_CPU && b->kind != PT_BO_OBSERVED)
		return bad(err, errlen, rec, "unknown kind");
	if (b->len != rec->len - PT_BO_DATA_FIXED)
		return bad(err, errlen, rec, "length does not match the payload");
	if (b->offset + b->len < b->offset)
		return bad(err, errlen, rec, "offset + length overflows");
	return 0;
}

const struct pt_mem *pt_find_mem(const struct pt_ioctl *io, uint64_t addr, uint32_t dir)
{
	uint32_t i;

	for (i = 0; i < io->nmem; i++)
		if (io->mem[i].addr == addr && io->mem[i].dir == dir)
			return &io->mem[i];
	return NULL;
}
