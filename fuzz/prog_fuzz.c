// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host libFuzzer target of the ioctl fuzzer's interpreter (fuzz/prog.c)
 * against a fake device, with ASan/UBSan: the interpreter must handle any
 * input bytes and any kernel answer. The fake device fails calls at
 * random (from a hash of the argument) and hands out small handles.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prog.h"

static uint32_t next_handle = 1;

static int fake_ioctl(void *ctx, int file, unsigned long req, void *arg)
{
	uint32_t size = (req >> 16) & 0x3fff, h = 2166136261u, i;
	const uint8_t *p = arg;

	(void)ctx;
	(void)file;
	for (i = 0; i < size && i < 512; i++)
		h = (h ^ p[i]) * 16777619u;
	if (h % 3 == 0) {
		errno = EINVAL;
		return -1;
	}
	/* "kernel" outputs: write small handles over the argument's words */
	for (i = 0; i + 4 <= size && i < 64; i += 4)
		if (h >> (i % 32) & 1) {
			uint32_t v = next_handle++ % 16;

			memcpy((uint8_t *)arg + i, &v, 4);
		}
	return 0;
}

static void *fake_mmap(void *ctx, int file, uint64_t off, uint64_t size)
{
	(void)ctx;
	(void)file;
	(void)off;
	return size && size <= (16u << 20) ? calloc(1, size) : NULL;
}

static void fake_munmap(void *ctx, void *p, uint64_t size)
{
	(void)ctx;
	(void)size;
	free(p);
}

static void fake_close(void *ctx, int fd)
{
	(void)ctx;
	(void)fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pf_backend be = {
		.ioctl = fake_ioctl, .mmap = fake_mmap, .munmap = fake_munmap,
		.close_fd = fake_close,
	};
	struct pf_options opt = { .bugs = (1u << PF_NBUGS) - 1 };
	struct pf_stats st = { 0 };
	size_t starts[PF_MAX_CALLS + 1];
	int n = pf_run(&be, &opt, data, size, &st, starts);

	if (n < 0 || n > PF_MAX_CALLS)
		abort();
	for (int i = 0; i < n; i++)
		if (starts[i] >= starts[i + 1] || starts[i + 1] > size)
			abort();
	return 0;
}
