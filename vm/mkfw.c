// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mkfw - write the Mali CSF firmware container the panref rig gives Panthor.
 *
 *   mkfw [--corrupt=KIND] OUTFILE   write a container (valid, or broken in
 *                                   one specific way)
 *   mkfw --list-corruptions         one line per KIND:
 *                                   KIND <TAB> text Panthor 6.12 logs for it
 *   mkfw --help
 *
 * The software Mali-G610 (model/) never executes firmware, but Panthor only
 * starts the MCU after it has parsed arm/mali/arch10.8/mali_csffw.bin and
 * mapped its sections, and it needs the section at MCU VA 0x04000000 as the
 * shared interface region. The container format, as Linux 6.12's
 * drivers/gpu/drm/panthor/panthor_fw.c (panthor_fw_load and friends) reads
 * it; everything little-endian:
 *
 *   header (20 bytes)
 *     u32 magic 0xc3f13a6e, u8 minor, u8 major (must be 0), u16 pad,
 *     u32 version_hash, u32 pad, u32 size.
 *     'size' must not exceed the file; entries are parsed from offset 20
 *     while the offset is below 'size', and no entry may reach past 'size'.
 *   entry
 *     u32 ehdr: type in bits 7:0, total entry length in bytes (header
 *     word included, multiple of 4) in bits 15:8, UPDATE bit 30,
 *     OPTIONAL bit 31. Unknown types are skipped when OPTIONAL, fatal
 *     otherwise.
 *   IFACE entry (type 0): u32 flags, va_start, va_end, data_start,
 *     data_end, then the name: every remaining byte of the entry (Panthor
 *     appends its own NUL, so NUL padding is harmless).
 *     data_start <= data_end <= file size (checked against the file, not
 *     against 'size': section data lives after the entry table); the VAs
 *     are MCU-page (4 KiB) aligned; va_end - va_start >= data length;
 *     flags only from RD|WR|EX|CACHE_MODE|PROT|SHARED|ZERO; a section at
 *     0x04000000 must carry SHARED. Empty sections are skipped silently.
 *   BUILD_INFO_METADATA entry (type 6): u32 meta_start, u32 meta_size,
 *     pointing at "git_sha: <40 hex digits>\0". Panthor 6.12 does not know
 *     type 6, so the entry carries OPTIONAL and 6.12 skips it. Later
 *     kernels (panthor_fw_read_build_info) want meta_start + meta_size
 *     inside the file, the "git_sha: " prefix, and the last byte of the
 *     range to be the NUL, so meta_size counts the terminator.
 *
 * The valid file is: header | IFACE "code" | IFACE "shared" | BUILD_INFO |
 * code bytes | build-info string. Every corruption kind breaks exactly one
 * rule so that Panthor 6.12 fails probe at one specific check; the
 * expected log text is in the table below and the VM test greps for it.
 * All paths used here log a message; none fails silently.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/csf_layout.h"

/* Container constants, named after their meaning in panthor_fw.c. */
#define FW_MAGIC		0xc3f13a6eu
#define FW_HDR_LEN		20u
#define FW_PAGE			0x1000u		/* MCU VM page size */

#define ENT_TYPE_IFACE		0x00u
#define ENT_TYPE_BUILD_INFO	0x06u
#define ENT_TYPE_BOGUS		0x5au	/* unknown to Panthor and kbase */
#define ENT_OPTIONAL		0x80000000u
#define ENT_HDR(type, len)	((uint32_t)(type) | (uint32_t)(len) << 8)

#define SEC_RD			0x00000001u
#define SEC_WR			0x00000002u
#define SEC_EX			0x00000004u
#define SEC_CACHE_CACHED	0x00000008u	/* CACHE_MODE 1 */
#define SEC_CACHE_CACHED_COH	0x00000018u	/* CACHE_MODE 3 */
#define SEC_SHARED		0x40000000u
#define SEC_ZERO		0x80000000u
#define SEC_BOGUS_FLAG		0x00000100u	/* outside the supported set */

#define IFACE_BODY_LEN		20u	/* flags, va_start/end, data_start/end */
#define BUILD_INFO_LEN		12u	/* header word, meta_start, meta_size */

static const char code_text[] =
	"panref model MCU image: this firmware is not executed";
static const char build_info_text[] =
	"git_sha: 0000000000000000000000000000000000000000";

/*
 * What the container looks like. The valid defaults come from
 * default_spec(); each corruption changes one field.
 */
struct spec {
	uint32_t magic;
	uint8_t major;
	uint32_t code_flags;
	uint32_t code_va_start, code_va_end;
	bool code_data_past_file;	/* data_end beyond the end of the file */
	bool with_shared;
	uint32_t shared_flags;
	uint32_t info_len_field;	/* length claimed by the BUILD_INFO ehdr */
	bool with_bogus_entry;
	bool size_past_file;		/* header size > file length */
	size_t truncate_to;		/* 0: keep the whole file */
};

static void default_spec(struct spec *s)
{
	memset(s, 0, sizeof(*s));
	s->magic = FW_MAGIC;
	s->major = 0;
	s->code_flags = SEC_RD | SEC_EX | SEC_CACHE_CACHED;
	s->code_va_start = CSFL_CODE_VA;
	s->code_va_end = CSFL_CODE_VA + FW_PAGE;
	s->with_shared = true;
	/*
	 * CACHE_MODE for the interface region: CACHED_COHERENT. kbase meant
	 * the *_COHERENT modes for SHARED sections only (it WARNs otherwise)
	 * and downgrades them to what the system supports, so that is the
	 * likely choice of Arm's firmware (not checked against a real
	 * mali_csffw.bin). Panthor 6.12 maps every mode except CACHED as
	 * uncached, so for Panthor this is the same mapping as NONE.
	 */
	s->shared_flags = SEC_RD | SEC_WR | SEC_SHARED | SEC_ZERO |
			  SEC_CACHE_CACHED_COH;
	s->info_len_field = BUILD_INFO_LEN;
}

static void c_bad_magic(struct spec *s) { s->magic = FW_MAGIC ^ 0xffu; }
static void c_bad_major(struct spec *s) { s->major = 1; }
static void c_truncated_header(struct spec *s) { s->truncate_to = 12; }
static void c_size_past_file(struct spec *s) { s->size_past_file = true; }
/* 252 bytes from the BUILD_INFO entry's start is past 'size' and the file. */
static void c_entry_past_end(struct spec *s) { s->info_len_field = 252; }
static void c_unaligned_entry(struct spec *s) { s->info_len_field = 14; }
static void c_unknown_entry(struct spec *s) { s->with_bogus_entry = true; }
static void c_data_past_end(struct spec *s) { s->code_data_past_file = true; }
static void c_unaligned_va(struct spec *s) { s->code_va_end += FW_PAGE / 2; }
static void c_unknown_flags(struct spec *s) { s->code_flags |= SEC_BOGUS_FLAG; }
static void c_shared_not_shared(struct spec *s) { s->shared_flags &= ~SEC_SHARED; }
/* A zero-length section holding data: checked before empty ones are skipped. */
static void c_data_exceeds_section(struct spec *s) { s->code_va_end = s->code_va_start; }
static void c_no_shared_section(struct spec *s) { s->with_shared = false; }

static const struct corruption {
	const char *kind;
	/* Literal part of the drm_err() text Panthor 6.12 prints. */
	const char *log;
	void (*apply)(struct spec *s);
} corruptions[] = {
	/* First entry: the VM test boots with it (see tests/vm/20-badfw.sh). */
	{ "bad-magic", "Invalid firmware magic", c_bad_magic },
	{ "bad-major", "Unsupported firmware binary header version", c_bad_major },
	/* panthor_fw_binary_iter_read() on the 20-byte header. */
	{ "truncated-header", "Firmware too small", c_truncated_header },
	{ "size-past-file", "Firmware image is truncated", c_size_past_file },
	/* panthor_fw_binary_sub_iter_init() against the header's size. */
	{ "entry-past-end", "Firmware entry too long", c_entry_past_end },
	{ "unaligned-entry", "Firmware entry isn't 32 bit aligned", c_unaligned_entry },
	{ "unknown-entry", "Unsupported non-optional entry type", c_unknown_entry },
	{ "data-past-end", "Firmware corrupted, file truncated?", c_data_past_end },
	{ "unaligned-va", "Firmware corrupted, virtual addresses not page aligned",
	  c_unaligned_va },
	{ "unknown-flags", "Firmware contains interface with unsupported flags",
	  c_unknown_flags },
	/* Printed as "Interface at 0x%llx must be shared", without a newline. */
	{ "shared-not-shared", "must be shared", c_shared_not_shared },
	{ "data-exceeds-section", "Firmware corrupted, section data exceeds section size",
	  c_data_exceeds_section },
	{ "no-shared-section", "Shared interface region not found", c_no_shared_section },
};

#define N_CORRUPTIONS (sizeof(corruptions) / sizeof(corruptions[0]))

/* A little-endian byte buffer that is large enough for any variant. */
struct image {
	uint8_t bytes[1024];
	size_t len;
};

static size_t align4(size_t n)
{
	return (n + 3u) & ~(size_t)3u;
}

static void image_overflow(void)
{
	fprintf(stderr, "mkfw: internal error: container larger than its buffer\n");
	exit(1);
}

static void set_u32(struct image *im, size_t at, uint32_t v)
{
	if (at + 4 > sizeof(im->bytes))
		image_overflow();
	for (int i = 0; i < 4; i++)
		im->bytes[at + i] = (uint8_t)(v >> (8 * i));
	if (at + 4 > im->len)
		im->len = at + 4;
}

static size_t put_u32(struct image *im, uint32_t v)
{
	size_t at = im->len;

	set_u32(im, at, v);
	return at;
}

/* Appends n bytes and zero padding up to a multiple of 4; returns the offset. */
static size_t put_bytes(struct image *im, const void *p, size_t n)
{
	size_t at = im->len, end = align4(at + n);

	if (end > sizeof(im->bytes))
		image_overflow();
	memcpy(im->bytes + at, p, n);
	memset(im->bytes + at + n, 0, end - at - n);
	im->len = end;
	return at;
}

struct iface_fields {
	size_t data_start, data_end;	/* offsets of the two fields */
};

static struct iface_fields put_iface(struct image *im, uint32_t flags,
				     uint32_t va_start, uint32_t va_end,
				     const char *name)
{
	/* The name keeps at least one NUL and is padded to a word boundary. */
	size_t name_room = align4(strlen(name) + 1);
	struct iface_fields f;

	put_u32(im, ENT_HDR(ENT_TYPE_IFACE, 4 + IFACE_BODY_LEN + name_room));
	put_u32(im, flags);
	put_u32(im, va_start);
	put_u32(im, va_end);
	f.data_start = put_u32(im, 0);
	f.data_end = put_u32(im, 0);
	put_bytes(im, name, strlen(name) + 1);
	return f;
}

static void build(const struct spec *s, struct image *im)
{
	struct iface_fields code, shared = { 0, 0 };
	size_t info_start_field, table_end, code_at, code_end, info_at;

	memset(im, 0, sizeof(*im));
	im->len = FW_HDR_LEN;

	/* Entry table. */
	code = put_iface(im, s->code_flags, s->code_va_start, s->code_va_end, "code");
	if (s->with_shared)
		shared = put_iface(im, s->shared_flags, CSFL_SHARED_VA,
				   CSFL_SHARED_VA + CSFL_SHARED_SIZE, "shared");
	put_u32(im, ENT_HDR(ENT_TYPE_BUILD_INFO, s->info_len_field) | ENT_OPTIONAL);
	info_start_field = put_u32(im, 0);
	put_u32(im, (uint32_t)sizeof(build_info_text));	/* NUL included */
	if (s->with_bogus_entry)
		put_u32(im, ENT_HDR(ENT_TYPE_BOGUS, 4));
	table_end = im->len;

	/* Payload after the table. */
	code_at = put_bytes(im, code_text, sizeof(code_text));
	code_end = im->len;
	info_at = put_bytes(im, build_info_text, sizeof(build_info_text));

	set_u32(im, code.data_start, (uint32_t)code_at);
	set_u32(im, code.data_end, (uint32_t)(s->code_data_past_file ?
					       im->len + FW_PAGE / 2 : code_end));
	if (s->with_shared) {
		/* No initial contents: ZERO makes Panthor clear the section. */
		set_u32(im, shared.data_start, (uint32_t)code_end);
		set_u32(im, shared.data_end, (uint32_t)code_end);
	}
	set_u32(im, info_start_field, (uint32_t)info_at);

	/* Header last: it needs the table end and the file length. */
	set_u32(im, 0, s->magic);
	im->bytes[4] = 1;				/* minor */
	im->bytes[5] = s->major;
	im->bytes[6] = im->bytes[7] = 0;
	set_u32(im, 8, 0x7061726eu);			/* version hash */
	set_u32(im, 12, 0);
	set_u32(im, 16, (uint32_t)(s->size_past_file ? im->len + 4 : table_end));

	if (s->truncate_to && s->truncate_to < im->len)
		im->len = s->truncate_to;
}

/* mkdir -p for every directory above 'path'. */
static int make_parents(const char *path)
{
	char *dir = strdup(path);
	int ret = 0;

	if (!dir) {
		fprintf(stderr, "mkfw: out of memory\n");
		return -1;
	}
	for (char *p = dir + 1; *p && !ret; p++) {
		struct stat st;

		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) != 0) {
			if (errno != EEXIST) {
				fprintf(stderr, "mkfw: cannot create directory %s: %s\n",
					dir, strerror(errno));
				ret = -1;
			} else if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
				fprintf(stderr, "mkfw: %s exists and is not a directory\n",
					dir);
				ret = -1;
			}
		}
		*p = '/';
	}
	free(dir);
	return ret;
}

/* Best effort: make the rename itself durable. */
static void sync_parent(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd;

	if (!dir)
		return;
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

static int write_file_atomically(const char *path, const uint8_t *buf, size_t len)
{
	size_t tmp_len = strlen(path) + sizeof(".tmp");
	char *tmp = malloc(tmp_len);
	size_t done = 0;
	struct stat st;
	int fd;

	if (!tmp) {
		fprintf(stderr, "mkfw: out of memory\n");
		return -1;
	}
	snprintf(tmp, tmp_len, "%s.tmp", path);
	if (make_parents(path))
		goto fail;
	/* Only ever replace a regular file (not a device, link or directory). */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "mkfw: %s exists and is not a regular file\n", path);
		goto fail;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "mkfw: cannot create %s: %s\n", tmp, strerror(errno));
		goto fail;
	}
	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "mkfw: cannot write %s: %s\n", tmp,
				n < 0 ? strerror(errno) : "short write");
			close(fd);
			goto fail_unlink;
		}
		done += (size_t)n;
	}
	if (fsync(fd) != 0) {
		fprintf(stderr, "mkfw: cannot sync %s: %s\n", tmp, strerror(errno));
		close(fd);
		goto fail_unlink;
	}
	if (close(fd) != 0) {
		fprintf(stderr, "mkfw: cannot close %s: %s\n", tmp, strerror(errno));
		goto fail_unlink;
	}
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "mkfw: cannot rename %s to %s: %s\n", tmp, path,
			strerror(errno));
		goto fail_unlink;
	}
	sync_parent(path);
	free(tmp);
	return 0;

fail_unlink:
	unlink(tmp);
fail:
	free(tmp);
	return -1;
}

static void short_usage(FILE *f)
{
	fprintf(f, "usage: mkfw [--corrupt=KIND] OUTFILE\n"
		   "       mkfw --list-corruptions\n"
		   "       mkfw --help\n");
}

static void usage(FILE *f)
{
	short_usage(f);
	fprintf(f,
		"\n"
		"Writes a Mali CSF firmware container (arm/mali/arch10.8/mali_csffw.bin)\n"
		"that Linux 6.12 Panthor accepts: an executable code section at MCU VA\n"
		"0x%08x, the shared interface section at 0x%08x (0x%x bytes) and a\n"
		"build-info entry. Missing parent directories of OUTFILE are created;\n"
		"the file is replaced atomically.\n"
		"\n"
		"  --corrupt=KIND       break the container so that Panthor fails probe\n"
		"                       with KIND's own error instead\n"
		"  --list-corruptions   print KIND<TAB>text Panthor logs, one per line\n"
		"\n"
		"Exit status: 0 success, 1 error, 2 bad usage or unknown KIND.\n",
		CSFL_CODE_VA, CSFL_SHARED_VA, CSFL_SHARED_SIZE);
}

static void list_kinds(FILE *f, const char *sep)
{
	for (size_t i = 0; i < N_CORRUPTIONS; i++)
		fprintf(f, "%s%s", i ? sep : "", corruptions[i].kind);
}

int main(int argc, char **argv)
{
	const struct corruption *corrupt = NULL;
	const char *out = NULL;
	bool options_done = false;
	static struct image im;
	struct spec s;

	for (int a = 1; a < argc; a++) {
		const char *arg = argv[a];

		if (!options_done && !strcmp(arg, "--")) {
			options_done = true;
		} else if (!options_done && (!strcmp(arg, "--help") || !strcmp(arg, "-h"))) {
			usage(stdout);
			return 0;
		} else if (!options_done && !strcmp(arg, "--list-corruptions")) {
			for (size_t i = 0; i < N_CORRUPTIONS; i++)
				printf("%s\t%s\n", corruptions[i].kind, corruptions[i].log);
			return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
		} else if (!options_done && !strncmp(arg, "--corrupt=", 10)) {
			const char *kind = arg + 10;

			corrupt = NULL;
			for (size_t i = 0; i < N_CORRUPTIONS; i++)
				if (!strcmp(kind, corruptions[i].kind))
					corrupt = &corruptions[i];
			if (!corrupt) {
				fprintf(stderr, "mkfw: unknown corruption kind '%s'; valid kinds: ",
					kind);
				list_kinds(stderr, ", ");
				fprintf(stderr, "\n");
				return 2;
			}
		} else if (!options_done && arg[0] == '-' && arg[1] != '\0') {
			fprintf(stderr, "mkfw: unknown option '%s'\n", arg);
			short_usage(stderr);
			return 2;
		} else if (out) {
			fprintf(stderr, "mkfw: more than one OUTFILE ('%s' and '%s')\n",
				out, arg);
			return 2;
		} else {
			out = arg;
		}
	}
	if (!out || !*out) {
		fprintf(stderr, "mkfw: missing OUTFILE\n");
		short_usage(stderr);
		return 2;
	}

	default_spec(&s);
	if (corrupt)
		corrupt->apply(&s);
	build(&s, &im);
	return write_file_atomically(out, im.bytes, im.len) ? 1 : 0;
}
