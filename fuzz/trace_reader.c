// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: the pantrace trace reader (harness/trace.c) and its
 * payload decoders on arbitrary bytes. They must never crash, read out of
 * bounds, or return a record or memory block that lies outside the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "trace.h"

static struct pt_mem mem[PT_MAX_MEM];

static void inside(const uint8_t *p, size_t len, const uint8_t *data, size_t size)
{
	if (len && (p < data || p + len > data + size))
		abort();
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
