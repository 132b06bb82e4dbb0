// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mkfw - write a Mali CSF firmware container for the software Mali-G610.
 *
 *   mkfw [--corrupt=KIND] OUTFILE
 *   mkfw --list-corruptions
 *
 * The model runs no firmware code, but Panthor must load a valid container
 * (arm/mali/arch10.8/mali_csffw.bin) before it starts the MCU. The format,
 * as Linux 6.12's panthor_fw.c reads it (all little-endian):
 *   header  u32 magic 0xc3f13a6e, u8 minor, u8 major (0), u16 pad,
 *           u32 version_hash, u32 pad, u32 size = end of the entry table
 *           (20 bytes)
 *   entry   u32 header: type bits 7:0, size (incl. header) bits 15:8,
 *           UPDATE bit 30, OPTIONAL bit 31; then a type-specific body
 *   IFACE   (type 0) u32 flags, va_start, va_end, data_start, data_end,
 *           then the section name
 *   BUILD_INFO (type 6) u32 meta_start, meta_size. 6.12 does not know this
 *           type, so it is marked OPTIONAL (later kernels parse it).
 * Each corruption kind breaks one rule, and the list says which error
 * Panthor 6.12 logs for it; the VM tests check both.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/csf_layout.h"

#define FW_MAGIC		0xc3f13a6eu
#define ENTRY_IFACE		0u
#define ENTRY_BUILD_INFO	6u
#define ENTRY_OPTIONAL		(1u << 31)
#define IFACE_RD		(1u << 0)
#define IFACE_WR		(1u << 1)
#define IFACE_EX		(1u << 2)
#define IFACE_CACHED		(1u << 3)	/* CACHE_MODE = 1 */
#define IFACE_SHARED		(1u << 30)
#define IFACE_ZERO		(1u << 31)
#define HDR_SIZE		20u

static const char code_text[] =
	"panref model MCU image: this firmware is not executed; "
	"the software Mali-G610 implements the interface itself.";
static const char build_info[] =
	"git_sha: 0000000000000000000000000000000000000000";

static const struct corruption {
	const char *kind;
	const char *panthor_msg;	/* what Panthor 6.12 logs */
} corruptions[] = {
	{ "bad-magic", "Invalid firmware magic" },
	{ "bad-major", "Unsupported firmware binary header version" },
	{ "truncated-header", "Firmware too small" },
	{ "size-past-file", "Firmware image is truncated" },
	{ "entry-past-end", "Firmware entry too long" },
	{ "unaligned-entry", "Firmware entry isn't 32 bit aligned" },
	{ "unknown-entry", "Unsupported non-optional entry type" },
	{ "data-past-end", "Firmware corrupted, file truncated?" },
	{ "unaligned-va", "virtual addresses not page aligned" },
	{ "unknown-flags", "Firmware contains interface with unsupported flags" },
	{ "shared-not-shared", "must be shared" },
	{ "data-exceeds-section", "section data exceeds section size" },
	{ "no-shared-section", "Shared interface region not found" },
};

struct image {
	uint8_t b[8192];
	size_t len;
};

static void put32(struct image *im, size_t off, uint32_t v)
{
	im->b[off] = v;
	im->b[off + 1] = v >> 8;
	im->b[off + 2] = v >> 16;
	im->b[off + 3] = v >> 24;
}

static size_t append32(struct image *im, uint32_t v)
{
	size_t off = im->len;

	put32(im, off, v);
	im->len += 4;
	return off;
}

/* An IFACE entry; returns the offset of its data_start field. */
static size_t add_iface(struct image *im, uint32_t flags, uint32_t va_start,
			uint32_t va_end, const char *name)
{
	size_t namelen = strlen(name), padded = (namelen + 3) & ~(size_t)3;
	uint32_t size = 4 + 20 + padded;
	size_t data_field;

	append32(im, ENTRY_IFACE | size << 8);
	append32(im, flags);
	append32(im, va_start);
	append32(im, va_end);
	data_field = append32(im, 0);		/* data_start, patched later */
	append32(im, 0);			/* data_end */
	memset(im->b + im->len, 0, padded);
	memcpy(im->b + im->len, name, namelen);
	im->len += padded;
	return data_field;
}

static size_t append_data(struct image *im, const void *p, size_t n)
{
	size_t off = im->len;

	memcpy(im->b + off, p, n);
	im->len += (n + 3) & ~(size_t)3;
	return off;
}

static void build(struct image *im, const char *kind)
{
	uint32_t shared_flags = IFACE_RD | IFACE_WR | IFACE_SHARED | IFACE_ZERO;
	uint32_t code_flags = IFACE_RD | IFACE_EX | IFACE_CACHED;
	uint32_t shared_va = CSFL_SHARED_VA, code_end = CSFL_CODE_VA + 0x1000;
	size_t code_field, shared_field = 0, info_field, table_end, off;
	int k_is = 0;

#define IS(k) (k_is = !strcmp(kind, k))
	memset(im, 0, sizeof(*im));
	im->len = HDR_SIZE;
	if (IS("unknown-flags"))
		code_flags |= 1u << 8;
	if (IS("unaligned-va"))
		code_end = CSFL_CODE_VA + 0x1800;
	if (IS("data-exceeds-section"))
		code_end = CSFL_CODE_VA;	/* empty section with data */
	code_field = add_iface(im, code_flags, CSFL_CODE_VA, code_end, "code");
	if (IS("shared-not-shared"))
		shared_flags &= ~IFACE_SHARED;
	if (!IS("no-shared-section"))
		shared_field = add_iface(im, shared_flags, shared_va,
					 shared_va + CSFL_SHARED_SIZE, "shared");
	append32(im, ENTRY_BUILD_INFO | ENTRY_OPTIONAL | 12u << 8);
	info_field = append32(im, 0);
	append32(im, sizeof(build_info) - 1);
	if (IS("unknown-entry"))
		append32(im, 0x42u | 4u << 8);		/* type 0x42, not optional */
	if (IS("unaligned-entry"))
		append32(im, ENTRY_OPTIONAL | 0x43u | 6u << 8);
	if (IS("entry-past-end"))
		append32(im, ENTRY_IFACE | 200u << 8);	/* runs past the table */
	table_end = im->len;

	/* Section data after the table. */
	off = append_data(im, code_text, sizeof(code_text));
	put32(im, code_field, off);
	put32(im, code_field + 4, off + sizeof(code_text));
	if (IS("data-past-end"))
		put32(im, code_field + 4, 0x100000);
	if (shared_field) {
		put32(im, shared_field, im->len);	/* no data: ZERO fills */
		put32(im, shared_field + 4, im->len);
	}
	off = append_data(im, build_info, sizeof(build_info));
	put32(im, info_field, off);

	put32(im, 0, IS("bad-magic") ? 0xc3f13a6f : FW_MAGIC);
	im->b[4] = 1;					/* minor */
	im->b[5] = IS("bad-major") ? 1 : 0;		/* major */
	put32(im, 8, 0x70616e72);			/* version hash "panr" */
	put32(im, 16, table_end);
	if (IS("size-past-file"))
		put32(im, 16, im->len + 64);
	if (IS("truncated-header"))
		im->len = 12;
#undef IS
	(void)k_is;
}

static int mkdirs(const char *path)
{
	char buf[4096];
	size_t i;

	if (strlen(path) >= sizeof(buf))
		return -1;
	strcpy(buf, path);
	for (i = 1; buf[i]; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		buf[i] = '/';
	}
	return 0;
}

static int write_atomic(const char *path, const void *p, size_t n)
{
	char tmp[4200];
	int fd;

	if (mkdirs(path)) {
		fprintf(stderr, "mkfw: cannot create the directories of %s: %s\n",
			path, strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fprintf(stderr, "mkfw: cannot create %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (write(fd, p, n) != (ssize_t)n || fsync(fd) || close(fd)) {
		fprintf(stderr, "mkfw: cannot write %s: %s\n", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		fprintf(stderr, "mkfw: cannot rename %s to %s: %s\n", tmp, path,
			strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: mkfw [--corrupt=KIND] OUTFILE\n"
		   "       mkfw --list-corruptions\n");
}

int main(int argc, char **argv)
{
	static struct image im;
	const char *kind = "", *out = NULL;
	size_t i;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--list-corruptions")) {
			for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++)
				printf("%s\t%s\n", corruptions[i].kind,
				       corruptions[i].panthor_msg);
			return 0;
		} else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strncmp(argv[a], "--corrupt=", 10)) {
			kind = argv[a] + 10;
		} else if (argv[a][0] == '-' || out) {
			usage(stderr);
			return 2;
		} else {
			out = argv[a];
		}
	}
	if (!out) {
		usage(stderr);
		return 2;
	}
	if (*kind) {
		for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++)
			if (!strcmp(kind, corruptions[i].kind))
				break;
		if (i == sizeof(corruptions) / sizeof(corruptions[0])) {
			fprintf(stderr, "mkfw: unknown corruption '%s'; valid kinds:", kind);
			for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++)
				fprintf(stderr, " %s", corruptions[i].kind);
			fprintf(stderr, "\n");
			return 2;
		}
	}
	build(&im, kind);
	return write_atomic(out, im.b, im.len) ? 1 : 0;
}
