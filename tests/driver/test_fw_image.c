// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of panref's firmware container parser (driver/fw_image.c) on
 * the real output of vm/mkfw: the valid image parses to the sections mkfw
 * writes; every corruption kind mkfw lists is rejected with its own message;
 * cuts at every length and random bit flips never crash and never yield an
 * inconsistent result; hand-made images cover the checks mkfw has no kind
 * for. Run under ASan/UBSan.
 *
 *   test_fw_image [MKFW]    MKFW defaults to the path compiled in (MKFW_PATH)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csf_layout.h"
#include "fw_image.h"
#include "ktap.h"

#ifndef MKFW_PATH
#define MKFW_PATH "build/mkfw"
#endif

#define MAX_KINDS 64
#define MAX_IMAGE 4096

static const char *mkfw = MKFW_PATH;

/*
 * The valid image, as vm/mkfw.c lays it out: 20-byte header; IFACE "code"
 * at 0x14 (24 bytes of fields + "code\0" padded to 8 = 32 bytes); IFACE
 * "shared" at 0x34 (32 bytes); BUILD_INFO at 0x54 (12 bytes); the table
 * ends at 0x60 = the header's size field. Then the code text (53 chars +
 * NUL, padded to 56: 0x60-0x98) and the build-info string (49 + NUL, padded
 * to 52: 0x98-0xcc). The shared section has no data (0x98-0x98).
 */
#define V_TABLE_END	0x60u
#define V_CODE_DATA	0x60u
#define V_CODE_END	0x98u
#define V_INFO_END	0xcau	/* last byte referenced: the NUL + 1 */
#define V_FILE_SIZE	0xccu

static const struct panref_fw_section want[] = {
	{
		.flags = PANREF_FW_SEC_RD | PANREF_FW_SEC_EX | PANREF_FW_SEC_CACHE_CACHED,
		.va_start = CSFL_CODE_VA, .va_end = CSFL_CODE_VA + 0x1000,
		.data_start = V_CODE_DATA, .data_end = V_CODE_END,
		.name_off = 0x14 + 24, .name_len = 4,
	},
	{
		.flags = PANREF_FW_SEC_RD | PANREF_FW_SEC_WR | PANREF_FW_SEC_SHARED |
			 PANREF_FW_SEC_ZERO | PANREF_FW_SEC_CACHE_CACHED_COH,
		.va_start = CSFL_SHARED_VA,
		.va_end = CSFL_SHARED_VA + CSFL_SHARED_SIZE,
		.data_start = V_CODE_END, .data_end = V_CODE_END,
		.name_off = 0x34 + 24, .name_len = 6,
	},
};

static const char *const want_names[] = { "code", "shared" };

/* The message panref must give for each of mkfw's kinds (a substring). */
static const struct {
	const char *kind, *text;
} want_msgs[] = {
	{ "bad-magic", "bad magic 0xc3f13a91 at offset 0 " },
	{ "bad-major", "unsupported header version 1.1 at offset 4 " },
	{ "truncated-header", "file of 12 bytes at offset 0 is shorter than the 20-byte header" },
	{ "size-past-file", "header size field 0xd0 at offset 16 exceeds the file size 0xcc" },
	{ "entry-past-end", "entry at offset 0x54: length 252 runs past the header size field 0x60" },
	{ "unaligned-entry", "entry at offset 0x54: length 14 is not a multiple of 4" },
	{ "unknown-entry", "entry at offset 0x60: unknown type 0x5a without the OPTIONAL bit" },
	{ "data-past-end", "interface entry at offset 0x14: data 0x60-0x" },
	{ "unaligned-va", "interface entry at offset 0x14: VA range 0x0-0x1800 not 4 KiB aligned" },
	{ "unknown-flags", "interface entry at offset 0x14: unsupported flags 0x10d (unknown bits 0x100)" },
	{ "shared-not-shared", "interface entry at offset 0x34: section at VA 0x4000000 lacks the SHARED flag" },
	{ "data-exceeds-section", "interface entry at offset 0x14: 0x38 data bytes exceed the 0x0-byte VA range" },
	{ "no-shared-section", "no shared interface section at VA 0x4000000 among the entries at offset 0x14-0x40" },
};

/* Runs mkfw [--corrupt=KIND] into a temp file and loads it. */
static uint8_t *run_mkfw(const char *kind, size_t *size)
{
	char dir[] = "/tmp/fwimg-XXXXXX", path[64], opt[96];
	uint8_t *buf = NULL;
	int status;
	pid_t pid;
	FILE *f;
	long n;

	if (!mkdtemp(dir))
		return NULL;
	snprintf(path, sizeof(path), "%s/fw.bin", dir);
	snprintf(opt, sizeof(opt), "--corrupt=%s", kind ? kind : "");
	pid = fork();
	if (pid == 0) {
		if (kind)
			execl(mkfw, mkfw, opt, path, (char *)NULL);
		else
			execl(mkfw, mkfw, path, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		goto out;
	f = fopen(path, "rb");
	if (!f)
		goto out;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n <= MAX_IMAGE &&
	    fseek(f, 0, SEEK_SET) == 0) {
		/* At least one byte, so that an empty file is not NULL. */
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
out:
	unlink(path);
	rmdir(dir);
	return buf;
}

/* mkfw --list-corruptions: KIND <TAB> text. */
static int list_kinds(char kinds[MAX_KINDS][64])
{
	char cmd[4200], line[512];
	int n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' --list-corruptions", mkfw);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n < MAX_KINDS && fgets(line, sizeof(line), p)) {
		char *tab = strchr(line, '\t');

		if (!tab || tab == line || (size_t)(tab - line) >= 64)
			continue;
		*tab = '\0';
		memcpy(kinds[n++], line, (size_t)(tab - line) + 1);
	}
	return pclose(p) == 0 ? n : -1;
}

/*
 * Whatever the parser accepts must be safe to use: every range inside the
 * file, VA ranges page aligned, non-empty and disjoint, data no longer than
 * the VA range, exactly one section at the shared VA.
 */
static int consistent(const struct panref_fw_image *img, size_t size, char *why, size_t wl)
{
	uint32_t i, j, shared = 0;

	if (img->nsections == 0 || img->nsections > PANREF_FW_MAX_SECTIONS) {
		snprintf(why, wl, "%u sections", img->nsections);
		return 0;
	}
	for (i = 0; i < img->nsections; i++) {
		const struct panref_fw_section *s = &img->sec[i];

		if (s->data_start > s->data_end || s->data_end > size ||
		    s->name_off > size || s->name_len > size - s->name_off ||
		    s->va_start >= s->va_end || (s->va_start | s->va_end) & 0xfff ||
		    s->data_end - s->data_start > s->va_end - s->va_start ||
		    s->flags & ~PANREF_FW_SEC_SUPPORTED || s->flags & PANREF_FW_SEC_PROT) {
			snprintf(why, wl, "section %u: flags 0x%x va 0x%x-0x%x data 0x%x-0x%x name 0x%x+%u",
				 i, s->flags, s->va_start, s->va_end, s->data_start,
				 s->data_end, s->name_off, s->name_len);
			return 0;
		}
		if (s->va_start == PANREF_FW_SHARED_VA)
			shared += (s->flags & PANREF_FW_SEC_SHARED) ? 1 : 100;
		for (j = 0; j < i; j++)
			if (s->va_start < img->sec[j].va_end && img->sec[j].va_start < s->va_end) {
				snprintf(why, wl, "sections %u and %u overlap", j, i);
				return 0;
			}
	}
	if (shared != 1) {
		snprintf(why, wl, "shared-section count %u", shared);
		return 0;
	}
	return 1;
}

static int same_sections(const struct panref_fw_image *a, const struct panref_fw_image *b)
{
	return a->nsections == b->nsections && a->version_major == b->version_major &&
	       a->version_minor == b->version_minor &&
	       !memcmp(a->sec, b->sec, a->nsections * sizeof(a->sec[0]));
}

/* ---- hand-made images, for checks mkfw has no corruption kind for ---- */

struct img {
	uint8_t b[MAX_IMAGE];
	size_t len;
};

static void put32(struct img *m, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		m->b[at + i] = (uint8_t)(v >> (8 * i));
	if (at + 4 > m->len)
		m->len = at + 4;
}

static void hdr(struct img *m)
{
	memset(m, 0, sizeof(*m));
	put32(m, 0, PANREF_FW_MAGIC);
	m->b[4] = 3;	/* minor: any */
	put32(m, 16, 20);
	m->len = 20;
}

/* Appends an IFACE entry with @namelen name bytes ('n', no NUL). */
static size_t iface(struct img *m, uint32_t flags, uint32_t va0, uint32_t va1,
		    uint32_t d0, uint32_t d1, uint32_t namelen)
{
	size_t at = m->len;

	put32(m, at, PANREF_FW_ENTRY_IFACE | (24 + namelen) << 8);
	put32(m, at + 4, flags);
	put32(m, at + 8, va0);
	put32(m, at + 12, va1);
	put32(m, at + 16, d0);
	put32(m, at + 20, d1);
	memset(m->b + at + 24, 'n', namelen);
	m->len = at + 24 + namelen;
	return at;
}

static void raw(struct img *m, uint32_t word)
{
	put32(m, m->len, word);
}

/* Sets the header's size field to the current length (end of table). */
static void table_end(struct img *m)
{
	put32(m, 16, (uint32_t)m->len);
}

#define SHARED_FLAGS (PANREF_FW_SEC_RD | PANREF_FW_SEC_WR | PANREF_FW_SEC_SHARED)

static void shared(struct img *m)
{
	iface(m, SHARED_FLAGS, PANREF_FW_SHARED_VA, PANREF_FW_SHARED_VA + 0x1000, 0, 0, 0);
}

/* Parse @m and compare the errno and message with what is expected. */
static void expect(const struct img *m, int want_ret, const char *want_text, const char *name)
{
	static struct panref_fw_image img;
	char err[PANREF_FW_ERRLEN], why[400];
	int ret = panref_fw_parse(m->b, m->len, &img, err, sizeof(err));
	int ok = ret == want_ret && (want_ret ? strstr(err, want_text) != NULL &&
				     img.nsections == 0 : err[0] == '\0');

	snprintf(why, sizeof(why), "ret %d (want %d), message \"%s\" (want \"%s\")",
		 ret, want_ret, err, want_text);
	result(ok, name, why);
}

static void hand_made(void)
{
	static struct panref_fw_image img;
	struct img m;
	char why[300];
	size_t at;
	int ret, ok;

	hdr(&m);
	put32(&m, 16, 12);
	expect(&m, -EINVAL, "header size field 0xc at offset 16 is less than the 20-byte header",
	       "header_size_below_header");

	hdr(&m);
	expect(&m, -ENOENT, "no section: the entry table at offset 0x14-0x14 maps nothing",
	       "empty_table_no_section");

	hdr(&m);
	shared(&m);
	m.len += 2;
	table_end(&m);
	expect(&m, -EINVAL, "entry header at offset 0x2c cut by the header size field 0x2e",
	       "entry_header_cut_by_size");

	hdr(&m);
	raw(&m, PANREF_FW_ENTRY_IFACE);	/* length 0 */
	table_end(&m);
	expect(&m, -EINVAL, "entry at offset 0x14: length 0 is less than its 4-byte header",
	       "entry_length_zero");

	hdr(&m);
	raw(&m, PANREF_FW_ENTRY_IFACE | 20 << 8);
	m.len += 16;
	table_end(&m);
	expect(&m, -EINVAL, "interface entry at offset 0x14: length 20, less than the 24 bytes",
	       "iface_entry_too_short");

	hdr(&m);
	iface(&m, PANREF_FW_SEC_RD, 0, 0x1000, 0x30, 0x20, 0);
	table_end(&m);
	expect(&m, -EINVAL, "interface entry at offset 0x14: data end 0x20 below data start 0x30",
	       "data_end_below_start");

	hdr(&m);
	iface(&m, PANREF_FW_SEC_RD, 0x2000, 0x1000, 0, 0, 0);
	table_end(&m);
	expect(&m, -EINVAL, "interface entry at offset 0x14: VA end 0x1000 below VA start 0x2000",
	       "va_end_below_start");

	hdr(&m);
	shared(&m);
	iface(&m, PANREF_FW_SEC_RD, PANREF_FW_SHARED_VA + 0x1000 - 0x2000, PANREF_FW_SHARED_VA + 0x1000, 0, 0, 0);
	table_end(&m);
	expect(&m, -EINVAL,
	       "interface entry at offset 0x2c: VA 0x3fff000-0x4001000 overlaps section 0 (0x4000000-0x4001000)",
	       "va_overlap");

	hdr(&m);
	shared(&m);
	for (uint32_t i = 0; i < PANREF_FW_MAX_SECTIONS; i++)
		iface(&m, PANREF_FW_SEC_RD, i * 0x1000, (i + 1) * 0x1000, 0, 0, 0);
	table_end(&m);
	expect(&m, -E2BIG, "interface entry at offset 0x314: more than 32 sections",
	       "too_many_sections");

	hdr(&m);
	raw(&m, PANREF_FW_ENTRY_BUILD_INFO | 8 << 8 | PANREF_FW_ENTRY_OPTIONAL);
	raw(&m, 0);
	shared(&m);
	table_end(&m);
	expect(&m, -EINVAL, "build-info entry at offset 0x14: length 8, less than the 12 bytes",
	       "build_info_too_short");

	hdr(&m);
	raw(&m, PANREF_FW_ENTRY_BUILD_INFO | 12 << 8 | PANREF_FW_ENTRY_OPTIONAL);
	raw(&m, 0xfffffff0u);
	raw(&m, 0x20);
	shared(&m);
	table_end(&m);
	expect(&m, -EINVAL,
	       "build-info entry at offset 0x14: metadata 0xfffffff0+0x20 runs past the end of the file (0x38)",
	       "build_info_range_wraps");

	/*
	 * Accepted: skipped entries (types 1-4 even without OPTIONAL, unknown
	 * types with it), a PROT section (ignored as by Panthor 6.12, even
	 * overlapping), an empty one, a name without NUL up to the entry end.
	 */
	hdr(&m);
	for (uint32_t t = PANREF_FW_ENTRY_CONFIG; t <= PANREF_FW_ENTRY_TIMELINE_METADATA; t++) {
		raw(&m, t | 8 << 8);
		raw(&m, 0xdeadbeef);
	}
	raw(&m, 0x77 | 4 << 8 | PANREF_FW_ENTRY_OPTIONAL | PANREF_FW_ENTRY_UPDATE);
	iface(&m, PANREF_FW_SEC_RD | PANREF_FW_SEC_PROT, PANREF_FW_SHARED_VA, PANREF_FW_SHARED_VA + 0x1000, 0, 0, 0);
	iface(&m, PANREF_FW_SEC_RD, 0x8000, 0x8000, 0, 0, 0);
	at = iface(&m, PANREF_FW_SEC_RD | PANREF_FW_SEC_EX, 0x10000, 0x12000, 0, 8, 8);
	shared(&m);
	table_end(&m);
	ret = panref_fw_parse(m.b, m.len, &img, NULL, 0);
	ok = ret == 0 && img.nsections == 2 && img.version_major == 0 && img.version_minor == 3 &&
	     img.sec[0].va_start == 0x10000 && img.sec[0].va_end == 0x12000 &&
	     img.sec[0].data_end == 8 && img.sec[0].name_off == at + 24 &&
	     img.sec[0].name_len == 8 && img.sec[1].va_start == PANREF_FW_SHARED_VA;
	snprintf(why, sizeof(why), "ret %d, %u sections, sec0 va 0x%x name 0x%x+%u", ret,
		 img.nsections, img.sec[0].va_start, img.sec[0].name_off, img.sec[0].name_len);
	result(ok, "skipped_entries_prot_empty_and_unterminated_name", why);

	/* Exactly PANREF_FW_MAX_SECTIONS sections fit. */
	hdr(&m);
	shared(&m);
	for (uint32_t i = 0; i < PANREF_FW_MAX_SECTIONS - 1; i++)
		iface(&m, PANREF_FW_SEC_RD, i * 0x1000, (i + 1) * 0x1000, 0, 0, 0);
	table_end(&m);
	ret = panref_fw_parse(m.b, m.len, &img, NULL, 0);
	ok = ret == 0 && img.nsections == PANREF_FW_MAX_SECTIONS && consistent(&img, m.len, why, 300);
	if (ret)
		snprintf(why, sizeof(why), "ret %d", ret);
	result(ok, "max_sections_accepted", why);
}

int main(int argc, char **argv)
{
	static char kinds[MAX_KINDS][64], msgs[MAX_KINDS][PANREF_FW_ERRLEN];
	static struct panref_fw_image img, ref;
	char err[PANREF_FW_ERRLEN], why[600] = "";
	size_t size = 0, cut, last_ref = V_INFO_END;
	uint32_t i, trials = 20000, accepted = 0;
	int nkinds, ok, ret, k;
	uint8_t *valid, *buf;

	if (argc > 1)
		mkfw = argv[1];
	nkinds = list_kinds(kinds);
	valid = run_mkfw(NULL, &size);
	printf("KTAP version 1\n1..%d\n", 4 + (nkinds > 0 ? nkinds : 1) + 1 + 15);
	if (nkinds <= 0 || !valid) {
		printf("# cannot run %s (pass the mkfw path as argv[1])\n", mkfw);
		return 1;
	}

	/* 1. The valid image: exactly the sections mkfw writes. */
	ret = panref_fw_parse(valid, size, &ref, err, sizeof(err));
	ok = ret == 0 && err[0] == '\0' && size == V_FILE_SIZE && ref.nsections == 2 &&
	     ref.version_major == 0 && ref.version_minor == 1;
	for (i = 0; ok && i < 2; i++)
		ok = !memcmp(&ref.sec[i], &want[i], sizeof(want[i])) &&
		     !memcmp(valid + ref.sec[i].name_off, want_names[i], ref.sec[i].name_len);
	ok = ok && !memcmp(valid + ref.sec[0].data_start, "panref model MCU image", 22);
	snprintf(why, sizeof(why), "ret %d (%s), %zu bytes, %u sections; sec0 flags 0x%x va 0x%x-0x%x data 0x%x-0x%x name 0x%x+%u",
		 ret, err, size, ref.nsections, ref.sec[0].flags, ref.sec[0].va_start,
		 ref.sec[0].va_end, ref.sec[0].data_start, ref.sec[0].data_end,
		 ref.sec[0].name_off, ref.sec[0].name_len);
	result(ok, "valid_image_sections", why);
	ok = ret == 0 && consistent(&ref, size, why, sizeof(why));
	result(ok, "valid_image_consistent", why);
	ret = panref_fw_parse(valid, size, &img, NULL, 0);
	result(ret == 0 && same_sections(&img, &ref), "valid_image_without_err_buffer",
	       "parsing with err == NULL differs");
	ret = panref_fw_parse(valid, size, &img, err, 1);
	result(ret == 0 && same_sections(&img, &ref) && err[0] == '\0',
	       "valid_image_errlen_1", "parsing with errlen 1 differs");

	/* 2. Every corruption kind: rejected, with its own precise message. */
	for (k = 0; k < nkinds; k++) {
		const char *text = NULL;
		char name[96];

		for (i = 0; i < sizeof(want_msgs) / sizeof(want_msgs[0]); i++)
			if (!strcmp(want_msgs[i].kind, kinds[k]))
				text = want_msgs[i].text;
		buf = run_mkfw(kinds[k], &size);
		snprintf(name, sizeof(name), "corrupt_%s", kinds[k]);
		for (char *c = name; *c; c++)
			if (*c == '-')
				*c = '_';
		if (!buf) {
			result(0, name, "mkfw failed");
			continue;
		}
		memset(err, 'x', sizeof(err));
		ret = panref_fw_parse(buf, size, &img, err, sizeof(err));
		snprintf(msgs[k], sizeof(msgs[k]), "%s", err);
		ok = ret == -EINVAL && img.nsections == 0 && strlen(err) < sizeof(err) - 1 &&
		     strstr(err, "offset") && (!text || strstr(err, text));
		for (i = 0; ok && i < (uint32_t)k; i++)
			ok = strcmp(msgs[i], err) != 0;
		snprintf(why, sizeof(why), "ret %d, message \"%.*s\"; want \"%s\" (distinct)", ret,
			 (int)sizeof(err) - 1, err, text ? text : "<any, with an offset>");
		result(ok, name, why);
		if (ok)
			printf("# %s: %s\n", kinds[k], err);
		if (ok && !text)
			printf("# %s: no expected message on file in this test\n", kinds[k]);
		free(buf);
	}
	/* All of mkfw's kinds known here are listed by it (none went missing). */
	for (i = 0, ok = 1; i < sizeof(want_msgs) / sizeof(want_msgs[0]); i++) {
		int found = 0;

		for (k = 0; k < nkinds; k++)
			found |= !strcmp(kinds[k], want_msgs[i].kind);
		if (!found) {
			ok = 0;
			snprintf(why, sizeof(why), "mkfw no longer lists %s", want_msgs[i].kind);
		}
	}
	result(ok, "corruption_kinds_all_listed", why);

	/*
	 * 3. Cut at every length: rejected while any referenced byte is
	 * missing; past the last one (only padding left) the same sections.
	 */
	size = V_FILE_SIZE;
	for (cut = 0, ok = 1; cut <= size && ok; cut++) {
		buf = malloc(cut ? cut : 1);
		memcpy(buf, valid, cut);
		ret = panref_fw_parse(buf, cut, &img, err, sizeof(err));
		if (cut < last_ref)
			ok = ret == -EINVAL && err[0] && img.nsections == 0;
		else
			ok = ret == 0 && same_sections(&img, &ref);
		if (!ok)
			snprintf(why, sizeof(why), "cut at %zu: ret %d: %s", cut, ret, err);
		free(buf);
	}
	result(ok, "truncated_at_every_length", why);

	/* 4. Random bit flips (fixed seed): no crash; what passes is sane. */
	srand(0x70616e72);
	buf = malloc(size);
	for (i = 0, ok = 1; i < trials && ok; i++) {
		uint32_t flips = 1 + (uint32_t)rand() % 4, f;

		memcpy(buf, valid, size);
		for (f = 0; f < flips; f++) {
			uint32_t bit = (uint32_t)rand() % (uint32_t)(size * 8);

			buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		memset(err, 0, sizeof(err));
		ret = panref_fw_parse(buf, size, &img, err, sizeof(err));
		if (ret == 0) {
			accepted++;
			ok = err[0] == '\0' && consistent(&img, size, why, sizeof(why));
		} else {
			ok = (ret == -EINVAL || ret == -E2BIG || ret == -ENOENT) && err[0] &&
			     strlen(err) < sizeof(err) - 1 && img.nsections == 0;
			if (!ok)
				snprintf(why, sizeof(why), "trial %u: ret %d, message \"%s\"", i, ret, err);
		}
	}
	free(buf);
	printf("# %u bit-flip trials, %u accepted (flips in names, data, padding, hash)\n",
	       i, accepted);
	result(ok, "random_bit_flips", why);

	/* 5. Checks without an mkfw kind. */
	hand_made();

	free(valid);
	return ktap_failed ? 1 : 0;
}
