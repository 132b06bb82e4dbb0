// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of the trace codec (harness/trace.c): round trip, damage at
 * every byte, and a writer killed mid-stream. Run under ASan/UBSan.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "trace.h"


static const uint32_t sizes[] = { 0, 1, 7, 8, 9, 100, 5000, 3 };
#define NREC (sizeof(sizes) / sizeof(sizes[0]))

/* Write the test trace to a temp file and load it. */
static uint8_t *make_trace(size_t *size, size_t ends[NREC])
{
	char path[] = "/tmp/pt-test-XXXXXX";
	struct pt_writer w;
	uint8_t payload[5000], *buf;
	int fd = mkstemp(path);
	uint32_t i, k;
	FILE *f;

	if (fd < 0 || pt_writer_start(&w, fd, 1))
		exit(2);
	for (i = 0; i < NREC; i++) {
		for (k = 0; k < sizes[i]; k++)
			payload[k] = (uint8_t)(i * 31 + k);
		if (pt_write(&w, 1 + i % PT_END, payload, sizes[i]))
			exit(2);
		ends[i] = (size_t)lseek(fd, 0, SEEK_CUR);
	}
	close(fd);
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*size);
	if (!buf || fread(buf, 1, *size, f) != *size)
		exit(2);
	fclose(f);
	unlink(path);
	return buf;
}

/* Read all; returns the number of good records and the final status. */
static uint32_t read_all(const uint8_t *buf, size_t size, int *status, char *err, size_t el)
{
	struct pt_reader r;
	struct pt_record rec;
	uint32_t good = 0;
	int s = pt_reader_start(&r, buf, size);

	while (s == PT_OK && (s = pt_read(&r, &rec)) == PT_OK) {
		uint32_t k;

		for (k = 0; k < rec.len; k++)
			if (rec.payload[k] != (uint8_t)(good * 31 + k))
				break;
		if (rec.len != sizes[good] || k != rec.len || rec.type != 1 + good % PT_END) {
			*status = 99;	/* a record came back altered */
			pt_reader_end(&r);
			return good;
		}
		good++;
	}
	*status = s;
	snprintf(err, el, "%s", r.error);
	pt_reader_end(&r);
	return good;
}

/*
 * A writer SIGKILLed mid-stream (write() or mapped mode): every complete
 * record reads back, and the end is reported as a truncation.
 */
static void kill_test(int mapped)
{
	char why[256];
	size_t size;
	int ok;

	{
		char path[] = "/tmp/pt-kill-XXXXXX";
		int fd = mkstemp(path), status, s;
		struct pt_reader r;
		struct pt_record rec;
		uint32_t good = 0;
		uint8_t *data;
		pid_t pid;
		FILE *f;

		pid = fork();
		if (!pid) {
			struct pt_writer w;
			uint8_t p[300];

			memset(p, 0xab, sizeof(p));
			if (mapped ? pt_writer_start_mapped(&w, fd, 0) : pt_writer_start(&w, fd, 0))
				_exit(2);
			for (;;)
				pt_write(&w, PT_IOCTL, p, sizeof(p));
		}
		/* kill it once it has written something (at most 2 s) */
		for (int waited = 0; waited < 200; waited++) {
			struct stat stt;

			usleep(10000);
			if (!stat(path, &stt) && (size_t)stt.st_size > 16 + 10 * 320 &&
			    (!mapped || waited > 5))
				break;
		}
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		close(fd);
		f = fopen(path, "rb");
		fseek(f, 0, SEEK_END);
		size = (size_t)ftell(f);
		rewind(f);
		data = malloc(size ? size : 1);
		ok = data && fread(data, 1, size, f) == size;
		fclose(f);
		unlink(path);
		s = ok ? pt_reader_start(&r, data, size) : PT_CORRUPT;
		while (s == PT_OK && (s = pt_read(&r, &rec)) == PT_OK)
			good++;
		/* write(): whole records only; mapped: a zero tail after them */
		ok = ok && good > 0 && (s == PT_EOF || s == PT_TRUNCATED) &&
		     (mapped ? s == PT_TRUNCATED && size % PT_MAP_STEP == 0 :
			       good == (size - 16) / (16 + 304));
		snprintf(why, sizeof(why), "%u records from %zu bytes, status %d: %s", good, size,
			 s, r.error);
		result(ok, mapped ? "mapped_writer_killed_mid_stream" : "writer_killed_mid_stream",
		       why);
		pt_reader_end(&r);
		free(data);
	}
}

/* The mapped writer's finished file is the same format, cut to its length. */
static void mapped_round_trip(void)
{
	char path[] = "/tmp/pt-map-XXXXXX", why[200];
	struct pt_writer w;
	uint8_t payload[5000], *data;
	int fd = mkstemp(path), ok = fd >= 0, st = 0;
	size_t size = 0, ends[NREC];
	uint32_t i, k;
	FILE *f;

	ok = ok && !pt_writer_start_mapped(&w, fd, 1);
	for (i = 0; ok && i < NREC; i++) {
		for (k = 0; k < sizes[i]; k++)
			payload[k] = (uint8_t)(i * 31 + k);
		ok = !pt_write(&w, 1 + i % PT_END, payload, sizes[i]);
		ends[i] = w.off;
	}
	ok = ok && !pt_writer_finish(&w);
	close(fd);
	f = fopen(path, "rb");
	if (f) {
		fseek(f, 0, SEEK_END);
		size = (size_t)ftell(f);
		rewind(f);
	}
	data = malloc(size ? size : 1);
	ok = ok && f && data && fread(data, 1, size, f) == size && size == ends[NREC - 1];
	if (f)
		fclose(f);
	unlink(path);
	ok = ok && read_all(data, size, &st, why, sizeof(why)) == NREC && st == PT_EOF;
	result(ok, "mapped_writer_round_trip", why);
	free(data);
}

/* CRC-32 one bit at a time: the reference for the table-driven one. */
static uint32_t crc_bitwise(const uint8_t *p, size_t len)
{
	uint32_t c = ~0u;
	int k;

	while (len--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return ~c;
}

int main(void)
{
	size_t size, ends[NREC], cut, i;
	uint8_t *buf = make_trace(&size, ends);
	char why[256] = "", err[160];
	int ok, st;

	printf("KTAP version 1\n1..9\n");
	result(pt_crc32(0, "123456789", 9) == 0xcbf43926u, "crc32_check_value",
	       "CRC-32 of \"123456789\" is not 0xcbf43926");
	/* eight bytes per step: every length and alignment, and a CRC continued */
	{
		uint8_t data[300];
		size_t off, len;

		for (i = 0; i < sizeof(data); i++)
			data[i] = (uint8_t)(i * 167 + 13);
		for (off = 0, ok = 1; off < 8 && ok; off++)
			for (len = 0; len + off <= 290 && ok; len++) {
				uint32_t a = pt_crc32(0, data + off, len);
				uint32_t b = pt_crc32(pt_crc32(0, data + off, len / 3), data + off + len / 3,
						      len - len / 3);

				ok = a == crc_bitwise(data + off, len) && a == b;
				if (!ok)
					snprintf(why, sizeof(why), "offset %zu length %zu: %#x", off, len, a);
			}
		result(ok, "crc32_every_length_and_alignment", why);
	}

	ok = read_all(buf, size, &st, err, sizeof(err)) == NREC && st == PT_EOF;
	result(ok, "round_trip", err);
	/* the 5000-byte record is stored compressed: the file is smaller than the data */
	{
		size_t raw = PT_FILE_HEADER_SIZE;

		for (i = 0; i < NREC; i++)
			raw += PT_RECORD_HEADER_SIZE + ((sizes[i] + 7u) & ~7u);
		snprintf(why, sizeof(why), "file %zu bytes, uncompressed %zu", size, raw);
		result(size + 4000 < raw, "large_payload_zstd_compressed", why);
	}

	/* A cut anywhere: every complete record reads, then a clean report. */
	for (cut = 0, ok = 1; cut < size && ok; cut++) {
		uint32_t complete = 0, got;

		while (complete < NREC && ends[complete] <= cut)
			complete++;
		got = read_all(buf, cut, &st, err, sizeof(err));
		ok = got == complete &&
		     (st == PT_TRUNCATED || (st == PT_EOF && (cut == 16 || cut == ends[complete - 1])));
		if (!ok)
			snprintf(why, sizeof(why), "cut at %zu: %u records (expected %u), status %d: %s",
				 cut, got, complete, st, err);
	}
	result(ok, "truncated_at_every_offset", why);

	/* A flipped bit anywhere: records before it read, it never does. */
	for (i = 0, ok = 1; i < size && ok; i++) {
		uint32_t rec = 0, got;

		while (rec < NREC && ends[rec] <= i)
			rec++;
		buf[i] ^= 0x10;
		got = read_all(buf, size, &st, err, sizeof(err));
		buf[i] ^= 0x10;
		ok = st != 99 && st != PT_OK && st != PT_EOF && got <= rec &&
		     (i < 16 || got == rec);
		if (!ok)
			snprintf(why, sizeof(why), "flip at %zu: %u records, status %d", i, got, st);
	}
	result(ok, "bit_flip_at_every_offset", why);

	kill_test(0);
	kill_test(1);
	mapped_round_trip();
	free(buf);
	return ktap_failed ? 1 : 0;
}
