// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host libFuzzer target of the ioctl fuzzer's interpreter (fuzz/prog.c)
 * against a fake device, with ASan/UBSan: the interpreter must handle any
 * input bytes and any kernel answer. The fake device fails calls at
 * random (from a hash of the argument) and hands out small handles.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prog.h"

#define __user
#include <drm.h>

static uint32_t next_handle = 1, cur_mask;

/* Whether @req is DRM ioctl number @nr with an argument of at least @size bytes. */
static bool drm_req_is(unsigned long req, uint32_t nr, uint32_t size)
{
	return ((req >> 8) & 0xff) == 'd' && (req & 0xff) == nr && ((req >> 16) & 0x3fff) >= size;
}

/*
 * The known-bug filter's promise: with PF_BUG_ARRAY_HUGE_ALLOC filtered, no
 * GROUP_SUBMIT or VM_BIND reaches the device with a top-level object array
 * of more than 64 MiB (and at most INT_MAX bytes) in the kernel's element
 * size (queue_submit 40 bytes, vm_bind_op 48) and a stride the kernel
 * takes, whatever else the call has.
 */
static void check_filtered(unsigned long req, const uint8_t *p)
{
	uint32_t nr = req & 0xff, count, stride;
	uint64_t bytes;

	if (!(cur_mask & (1u << PF_BUG_ARRAY_HUGE_ALLOC)) ||
	    !(drm_req_is(req, 0x49, 24) || drm_req_is(req, 0x43, 24)))
		return;
	memcpy(&count, p + 12, 4);
	bytes = (uint64_t)count * (nr == 0x49 ? 40 : 48);
	memcpy(&stride, p + 8, 4);
	/* a stride under the struct's minimum is refused before any allocation */
	if (stride >= (nr == 0x49 ? 40 : 48) && bytes > (64u << 20) && bytes <= 0x7fffffffull)
		abort();
}

/*
 * The heap budget's promise (pf_options.heap_budget, 4 MiB here): no
 * TILER_HEAP_CREATE reaches the device with initial chunks of more than
 * 4 MiB and at most 64 MiB (above that is the known bug
 * heap-huge-initial-chunks, left to the filter) in chunks of at most 4 MiB.
 */
static void check_budget(unsigned long req, const uint8_t *p)
{
	uint32_t count, chunk;
	uint64_t bytes;

	if (!drm_req_is(req, 0x4b, 12))
		return;
	memcpy(&count, p + 4, 4);
	memcpy(&chunk, p + 8, 4);
	bytes = (uint64_t)count * chunk;
	if (chunk <= (4u << 20) && bytes > (4u << 20) && bytes <= (64u << 20))
		abort();
}

/*
 * The wait bound's promise: a SYNCOBJ_TRANSFER with WAIT_FOR_SUBMIT goes
 * through ioctl_bounded (at most PF_WAIT_BOUND_US), never plain ioctl.
 */
static bool in_bounded;

static void check_bounded(unsigned long req, const uint8_t *p)
{
	uint32_t flags;

	if (!drm_req_is(req, 0xcc, 28))
		return;
	memcpy(&flags, p + 24, 4);
	if ((flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT) && !in_bounded)
		abort();
}

static int fake_ioctl(void *ctx, int file, unsigned long req, void *arg)
{
	uint32_t size = (req >> 16) & 0x3fff, h = 2166136261u, i;
	const uint8_t *p = arg;

	(void)ctx;
	(void)file;
	check_filtered(req, p);
	check_budget(req, p);
	check_bounded(req, p);
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

static int fake_ioctl_bounded(void *ctx, int file, unsigned long req, void *arg,
			      unsigned int us)
{
	int r;

	if (!us || us > 3000)
		abort();
	in_bounded = true;
	r = fake_ioctl(ctx, file, req, arg);
	in_bounded = false;
	return r;
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
		.ioctl = fake_ioctl, .ioctl_bounded = fake_ioctl_bounded, .mmap = fake_mmap, .munmap = fake_munmap,
		.close_fd = fake_close,
	};
	/* every known bug filtered (Panthor's list), and panref's list */
	static const uint32_t masks[2] = {
		(1u << PF_NBUGS) - 1,
		((1u << PF_NBUGS) - 1) & ~(1u << PF_BUG_SIGNAL_UNKNOWN_SYNCOBJ |
					   1u << PF_BUG_ARRAY_OVER_INT_MAX |
					   1u << PF_BUG_ARRAY_HUGE_ALLOC |
					   1u << PF_BUG_HEAP_HUGE_INITIAL |
					   1u << PF_BUG_WAIT_ON_OWN_SIGNAL),
	};
	int m;

	for (m = 0; m < 2; m++) {
		struct pf_options opt = { .bugs = masks[m], .heap_budget = 4u << 20 };
		struct pf_stats st = { 0 };
		size_t starts[PF_MAX_CALLS + 1];
		int n;

		cur_mask = masks[m];
		n = pf_run(&be, &opt, data, size, &st, starts);
		if (n < 0 || n > PF_MAX_CALLS)
			abort();
		for (int i = 0; i < n; i++)
			if (starts[i] >= starts[i + 1] || starts[i + 1] > size)
				abort();
	}
	return 0;
}
