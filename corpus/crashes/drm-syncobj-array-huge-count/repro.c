// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reproducer written by `pantrace c` from corpus/crashes/drm-syncobj-array-huge-count/repro.ptrace: 1 calls.
 *
 *   cc -std=gnu11 -o repro repro.c && ./repro [/dev/dri/renderDN]
 *
 * Makes the recorded calls in record order with the recorded arguments;
 * prints each result beside the recorded one; exits 0 if all matched.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *node = "/dev/dri/renderD128";
static int fds[4096], mismatches;
static __attribute__((unused)) void *maps[4096];

static __attribute__((unused)) void *bad_pointer(void)
{
	static void *p;

	if (!p)
		p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p;
}

static void result(unsigned int seq, const char *what, long r, int want, int want_err)
{
	int e = r < 0 ? errno : 0;

	if ((r < 0 ? -1 : 0) != (want < 0 ? -1 : 0) || (r < 0 && want_err >= 0 && e != want_err))
		mismatches++;
	printf("#%u %s = %ld%s%s (recorded %d%s%s)\n", seq, what, r, r < 0 ? " " : "",
	       r < 0 ? strerror(e) : "", want, want < 0 && want_err >= 0 ? " " : "",
	       want < 0 && want_err >= 0 ? strerror(want_err) : "");
}

/* each ioctl's argument, in record order: mmap offsets come from them */
static __attribute__((unused)) unsigned char args[1][16384];

int main(int argc, char **argv)
{
	if (argc > 1)
		node = argv[1];
	setvbuf(stdout, NULL, _IONBF, 0);
	fds[5] = open(node, O_RDWR | O_CLOEXEC);
	if (fds[5] < 0) {
		perror(node);
		return 2;
	}
	close(fds[5]);
	fds[9] = open(node, O_RDWR | O_CLOEXEC);
	if (fds[9] < 0) {
		perror(node);
		return 2;
	}
	{	/* record 6, thread 57 */
		static __attribute__((unused, aligned(64))) unsigned char arg[16] = {
			0x00, 0xb0, 0xb2, 0x43, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,
			0x00, 0x00, 0x00, 0x00,
		};
		memcpy(args[0], arg, 16);
		result(6, "ioctl(0xc01064c4)", ioctl(fds[9], 0xc01064c4ul, args[0]), -1, 12);
	}
	close(fds[9]);
	printf("repro: %d of 1 results differ from the recording\n", mismatches);
	return mismatches ? 1 : 0;
}
