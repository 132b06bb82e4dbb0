// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: the pantrace trace reader (harness/trace.c) and its
 * payload decoders on arbitrary bytes, then every decoded call through the
 * uAPI table (harness/uapi.c) the way dump, replay and the differ walk it:
 * lookup by type and nr at any size, the fields both the call and the table
 * know (every layout), obj-array elements and DEV_QUERY payloads of every
 * type found in the recorded memory, the uAPI version the call needs.
 * Nothing may crash, read out of bounds, or return a record or memory
 * block that lies outside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "uapi.h"

static struct pt_mem mem[PT_MAX_MEM];
static volatile uint64_t sink;

static void inside(const uint8_t *p, size_t len, const uint8_t *data, size_t size)
{
	if (len && (p < data || p + len > data + size))
		abort();
}

static const uint8_t *rec_mem(void *ctx, uint64_t addr, uint32_t len)
{
	const struct pt_mem *m = pt_find_mem(ctx, addr, PT_MEM_READ);

	return m && m->len >= len ? m->bytes : NULL;
}

/* Sum of every known field of @s in @b (@len bytes), elements included. */
static uint64_t walk(const struct pu_struct *s, const uint8_t *b, uint32_t len,
		     const struct pt_ioctl *io, int depth)
{
	uint64_t x = 0;
	uint32_t i, k;

	len = pu_known_len(s, len);
	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		uint32_t a[4];
		const struct pt_mem *m;

		if (!pu_field_in(f, len))
			continue;
		if (f->size <= 8)
			x += pu_get(f, b);
		if (f->kind == PU_UPTR && !(f->attr & PU_A_STRING))
			x += pu_uptr_len(s, f, b);
		if (f->kind != PU_OBJ_ARRAY || depth > 2)
			continue;
		memcpy(a, b + f->offset, 16);
		m = pt_find_mem(io, (uint64_t)a[3] << 32 | a[2], PT_MEM_READ);
		for (k = 0; m && a[0] && k < a[1] && (uint64_t)(k + 1) * a[0] <= m->len; k++)
			x += walk(f->elem, m->bytes + (size_t)k * a[0], a[0], io, depth + 1);
	}
	return x;
}

static uint64_t table(const struct pt_ioctl *io)
{
	const struct pu_ioctl *pi = pu_ioctl_lookup(io->request);
	uint64_t x;
	uint32_t type, size, i;

	if (!pi)
		return 0;
	x = walk(pi->arg, io->arg_in, io->arg_len, io, 0) + walk(pi->arg, io->arg_out, io->arg_len, io, 0);
	x += pu_call_minor(pi, io->arg_in, io->arg_len, rec_mem, (void *)io);
	x += pu_layout_of(pi->arg, io->arg_len) != NULL;
	if (io->arg_len >= 8 && !strcmp(pi->name, "PANTHOR_DEV_QUERY")) {
		const struct pu_struct *p;

		memcpy(&type, io->arg_in, 4);
		memcpy(&size, io->arg_in + 4, 4);
		p = pu_query_payload(type);
		for (i = 0; p && i < io->nmem; i++)
			if (io->mem[i].len == size)
				x += walk(p, io->mem[i].bytes, size, io, 1);
	}
	return x;
}

static void decode(const struct pt_record *rec, const uint8_t *data, size_t size)
{
	struct pt_ioctl io;
	struct pt_open o;
	struct pt_mmap m;
	struct pt_bo_data b;
	char err[256];
	uint32_t i;

	switch (rec->type) {
	case PT_IOCTL:
		if (pt_decode_ioctl(rec, &io, mem, PT_MAX_MEM, err, sizeof(err)))
			return;
		sink += table(&io);
		if (rec->compressed)
			return;
		inside(io.arg_in, io.arg_len, data, size);
		inside(io.arg_out, io.arg_len, data, size);
		for (i = 0; i < io.nmem; i++)
			inside(mem[i].bytes, mem[i].len, data, size);
		break;
	case PT_OPEN:
		if (!pt_decode_open(rec, &o, err, sizeof(err)))
			inside((const uint8_t *)o.path, o.path_len, data, size);
		break;
	case PT_MMAP:
		pt_decode_mmap(rec, &m, err, sizeof(err));
		break;
	case PT_BO_DATA:
		if (!pt_decode_bo_data(rec, &b, err, sizeof(err)) && !rec->compressed)
			inside(b.bytes, b.len, data, size);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pt_reader r;
	struct pt_record rec;
	uint8_t x = 0;

	if (pt_reader_start(&r, data, size) != PT_OK)
		return 0;
	while (pt_read(&r, &rec) == PT_OK) {
		if (!rec.compressed && (rec.payload < data || rec.payload + rec.len > data + size))
			abort();
		for (uint32_t i = 0; i < rec.len; i++)
			x ^= rec.payload[i];
		decode(&rec, data, size);
	}
	pt_reader_end(&r);
	return x == 0x5a ? 0 : 0;
}
