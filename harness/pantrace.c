// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * pantrace - record and dump Panthor uAPI traces (harness/FORMAT.md).
 *
 *   pantrace record [-o FILE] -- CMD [ARG...]   run CMD under the recorder
 *   pantrace dump FILE                          strace-like decoding
 *
 * dump decodes every record through the uAPI description table
 * (harness/uapi.c): ioctl names, fields in and out, flags and enums by
 * name, obj_array elements (and their nested sync arrays) from the
 * recorded memory. A truncated or corrupt trace prints every complete
 * record, then says what is wrong and where (exit 3 truncated, 4 corrupt).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "trace.h"
#include "uapi.h"

struct mem {
	uint64_t addr;
	uint32_t len, dir;
	const uint8_t *bytes;
};

static uint64_t get(const uint8_t *p, uint32_t size)
{
	uint64_t v = 0;

	memcpy(&v, p, size < 8 ? size : 8);
	return v;
}

static void print_value(const struct pu_field *f, uint64_t v)
{
	const struct pu_value *pv;
	uint64_t rest = v;
	int first = 1;

	if (f->kind == PU_ENUM && pu_value_name(f, v)) {
		printf("%s", pu_value_name(f, v));
		return;
	}
	if (f->kind == PU_FLAGS && v) {
		for (pv = f->values; pv && pv->name; pv++) {
			if (pv->value && (v & pv->value) == pv->value) {
				printf("%s%s", first ? "" : "|", pv->name);
				rest &= ~pv->value;
				first = 0;
			}
		}
		if (rest)
			printf("%s%#llx", first ? "" : "|", (unsigned long long)rest);
		return;
	}
	if (f->kind == PU_HANDLE || f->kind == PU_PAD)
		printf("%llu", (unsigned long long)v);
	else
		printf("%#llx", (unsigned long long)v);
}

static const struct mem *find_mem(const struct mem *m, uint32_t n, uint64_t addr)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (m[i].addr == addr)
			return &m[i];
	return NULL;
}

static void print_struct(const struct pu_struct *s, const uint8_t *in, const uint8_t *out,
			 const struct mem *m, uint32_t nm, int indent);

static void print_array(const struct pu_field *f, const uint8_t *base, const struct mem *m,
			uint32_t nm, int indent)
{
	struct drm_panthor_obj_array a;
	const struct mem *blk;
	uint32_t k;

	memcpy(&a, base + f->offset, sizeof(a));
	blk = a.count ? find_mem(m, nm, a.array) : NULL;
	for (k = 0; blk && k < a.count && (size_t)(k + 1) * a.stride <= blk->len; k++) {
		printf("%*s%s[%u]: ", indent, "", f->name, k);
		print_struct(f->elem, blk->bytes + (size_t)k * a.stride, NULL, m, nm, indent + 2);
	}
}

/* One line of fields; out-only fields from @out, in/out shown as in->out. */
static void print_struct(const struct pu_struct *s, const uint8_t *in, const uint8_t *out,
			 const struct mem *m, uint32_t nm, int indent)
{
	uint32_t i;

	printf("{");
	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		const uint8_t *src = (f->dir == PU_OUT && out) ? out : in;
		uint64_t v;

		printf("%s%s=", i ? ", " : "", f->name);
		if (f->kind == PU_OBJ_ARRAY) {
			struct drm_panthor_obj_array a;

			memcpy(&a, in + f->offset, sizeof(a));
			printf("{stride=%u, count=%u", a.stride, a.count);
			if (out && f->dir == PU_INOUT)
				printf("->%u", (uint32_t)get(out + f->offset + 4, 4));
			printf("}");
			continue;
		}
		if (f->size > 8) {
			printf("[%u bytes]", f->size);
			continue;
		}
		v = get(src + f->offset, f->size);
		print_value(f, v);
		if (out && f->dir == PU_INOUT && get(out + f->offset, f->size) != v) {
			printf("->");
			print_value(f, get(out + f->offset, f->size));
		}
	}
	printf("}\n");
	for (i = 0; i < s->nfields; i++)
		if (s->fields[i].kind == PU_OBJ_ARRAY)
			print_array(&s->fields[i], in, m, nm, indent + 2);
}

static int dump_ioctl(const struct pt_record *rec)
{
	const uint8_t *p = rec->payload;
	uint32_t fd, tid, arg_len, nmem, i;
	uint64_t req, t0, t1;
	int32_t ret, err;
	const struct pu_ioctl *io;
	struct mem m[256];
	size_t off;

	if (rec->len < 48)
		return -1;
	memcpy(&fd, p, 4);
	memcpy(&tid, p + 4, 4);
	memcpy(&req, p + 8, 8);
	memcpy(&t0, p + 16, 8);
	memcpy(&t1, p + 24, 8);
	memcpy(&ret, p + 32, 4);
	memcpy(&err, p + 36, 4);
	memcpy(&arg_len, p + 40, 4);
	memcpy(&nmem, p + 44, 4);
	if (48 + 2 * (size_t)arg_len > rec->len)
		return -1;
	off = 48 + 2 * (size_t)arg_len;
	for (i = 0; i < nmem && i < 256; i++) {
		if (off + 16 > rec->len)
			return -1;
		memcpy(&m[i].addr, p + off, 8);
		memcpy(&m[i].len, p + off + 8, 4);
		memcpy(&m[i].dir, p + off + 12, 4);
		m[i].bytes = p + off + 16;
		off += 16 + ((m[i].len + 7u) & ~7u);
		if (off > rec->len)
			return -1;
	}
	io = pu_ioctl_by_request(req);
	printf("#%u [tid %u, %lluus] fd=%u ", rec->seq, tid,
	       (unsigned long long)(t1 - t0) / 1000, fd);
	if (!io || io->arg->size != arg_len) {
		printf("ioctl(%#llx, %u bytes)", (unsigned long long)req, arg_len);
	} else {
		printf("%s", io->name);
		print_struct(io->arg, p + 48, p + 48 + arg_len, m, nmem < 256 ? nmem : 256, 0);
	}
	if (ret)
		printf("  = %d %s (%s)\n", ret, err > 0 ? strerrorname_np(err) : "?",
		       strerror(err));
	else
		printf("  = 0\n");
	return 0;
}

static int dump(const char *path)
{
	struct pt_reader r;
	struct pt_record rec;
	struct stat st;
	void *data = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC), s, saw_end = 0;
	uint32_t u[4];
	uint64_t v[3];

	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "pantrace: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (st.st_size)
		data = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (data == MAP_FAILED) {
		fprintf(stderr, "pantrace: %s: mmap: %s\n", path, strerror(errno));
		return 1;
	}
	s = pt_reader_start(&r, data, st.st_size);
	while (s == PT_OK && (s = pt_read(&r, &rec)) == PT_OK) {
		const uint8_t *p = rec.payload;

		switch (rec.type) {
		case PT_HEADER: {
			const char *l = (const char *)p, *e = l + rec.len, *nl;

			printf("# trace %s\n", path);
			for (; l < e; l = nl + 1) {
				nl = memchr(l, '\n', e - l);
				if (!nl)
					nl = e;
				printf("# %.*s\n", (int)(nl - l), l);
			}
			break;
		}
		case PT_OPEN:
			memcpy(u, p, 8);
			printf("#%u open(\"%.*s\", %#x) = %u\n", rec.seq, (int)rec.len - 8,
			       (const char *)p + 8, u[1], u[0]);
			break;
		case PT_CLOSE:
			memcpy(u, p, 4);
			printf("#%u close(%u)\n", rec.seq, u[0]);
			break;
		case PT_DUP:
			memcpy(u, p, 8);
			printf("#%u dup(%u) = %u\n", rec.seq, u[0], u[1]);
			break;
		case PT_MMAP:
			memcpy(u, p, 16);
			memcpy(v, p + 16, 24);
			printf("#%u mmap(fd=%u, len=%#llx, prot=%#x, flags=%#x, offset=%#llx) = %#llx\n",
			       rec.seq, u[0], (unsigned long long)v[1], u[1], u[2],
			       (unsigned long long)v[0], (unsigned long long)v[2]);
			break;
		case PT_MUNMAP:
			memcpy(v, p, 16);
			printf("#%u munmap(%#llx, %#llx)\n", rec.seq, (unsigned long long)v[0],
			       (unsigned long long)v[1]);
			break;
		case PT_IOCTL:
			if (dump_ioctl(&rec)) {
				fprintf(stderr, "pantrace: malformed IOCTL record %u at offset %zu\n",
					rec.seq, rec.offset);
				return 4;
			}
			break;
		case PT_END:
			saw_end = 1;
			printf("#%u end: the program exited normally\n", rec.seq);
			break;
		default:
			printf("#%u %s (%u bytes)\n", rec.seq, pt_type_name(rec.type), rec.len);
			break;
		}
	}
	if (s == PT_TRUNCATED || s == PT_CORRUPT) {
		fprintf(stderr, "pantrace: %s: %s (every complete record before it is shown)\n",
			path, r.error);
		return s == PT_TRUNCATED ? 3 : 4;
	}
	if (!saw_end)
		fprintf(stderr, "pantrace: %s: no END record: the program did not exit normally\n",
			path);
	return 0;
}

static int record(int argc, char **argv)
{
	const char *out = "pantrace.ptrace";
	char self[PATH_MAX], lib[PATH_MAX + 32], *slash;
	ssize_t n;
	int a = 0;

	while (a < argc && strcmp(argv[a], "--")) {
		if (!strcmp(argv[a], "-o") && a + 1 < argc)
			out = argv[++a];
		a++;
	}
	if (a + 1 >= argc) {
		fprintf(stderr, "usage: pantrace record [-o FILE] -- CMD [ARG...]\n");
		return 2;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = 0;
	slash = strrchr(self, '/');
	*slash = 0;
	snprintf(lib, sizeof(lib), "%s/../lib/libpantrace-record.so", self);
	setenv("PANTRACE_OUT", out, 1);
	setenv("LD_PRELOAD", lib, 1);
	execvp(argv[a + 1], argv + a + 1);
	fprintf(stderr, "pantrace: %s: %s\n", argv[a + 1], strerror(errno));
	return 127;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "dump"))
		return dump(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "record"))
		return record(argc - 2, argv + 2);
	fprintf(stderr, "usage: pantrace record [-o FILE] -- CMD [ARG...]\n"
			"       pantrace dump FILE\n");
	return 2;
}
