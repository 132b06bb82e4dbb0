// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * pantrace c: a trace turned into a standalone C program that makes the
 * same calls (harness/FORMAT.md in, C11 out). Pure C over the trace codec.
 *
 * The program needs nothing but libc and a panthor-uAPI render node:
 *
 *  - every ioctl is made with its recorded argument bytes, on the file the
 *    recording made it on (files are opened in the same order, so the
 *    kernel hands out the same GEM, VM, group and syncobj handles, which
 *    are kept as recorded);
 *  - the user memory the ioctl read (object arrays, sync ops, query
 *    buffers) is a static array with the recorded bytes, memory the kernel
 *    writes a zeroed one; a 64-bit word of the argument or of such memory
 *    that held the recorded address of one of them now holds its copy's
 *    (any other pointer is passed as recorded);
 *  - an argument the recorded program passed as a bad pointer is passed as
 *    a pointer to a PROT_NONE page;
 *  - an mmap's offset is taken from the BO_MMAP_OFFSET result that gave
 *    it, at run time; munmap follows the mapping;
 *  - calls of several threads run in record order on one thread.
 *
 * Each call's result is printed next to the recorded one; the program
 * exits 0 when every result matched, 1 otherwise, 2 if it could not set a
 * call up. A kernel report it provokes is for the caller to look at.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toc.h"

#define MAX_MAPS	4096

static void hex_array(FILE *o, const char *name, const uint8_t *b, size_t n)
{
	size_t i;

	fprintf(o, "\t\tstatic __attribute__((unused, aligned(64))) unsigned char %s[%zu] = {",
		name, n ? n : 1);
	for (i = 0; i < n; i++)
		fprintf(o, "%s0x%02x,", i % 12 ? " " : "\n\t\t\t", b[i]);
	fprintf(o, "%s};\n", n ? "\n\t\t" : " 0 ");
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static const char prologue[] =
"#define _GNU_SOURCE\n"
"#include <errno.h>\n"
"#include <fcntl.h>\n"
"#include <stdint.h>\n"
"#include <stdio.h>\n"
"#include <stdlib.h>\n"
"#include <string.h>\n"
"#include <sys/ioctl.h>\n"
"#include <sys/mman.h>\n"
"#include <unistd.h>\n"
"\n"

"static const char *node = \"/dev/dri/renderD128\";\n"
"static int fds[" "4096" "], mismatches;\n"

"static __attribute__((unused)) void *maps[" "4096" "];\n"
"\n"
"static __attribute__((unused)) void *bad_pointer(void)\n"
"{\n"
"\tstatic void *p;\n"
"\n"
"\tif (!p)\n"
"\t\tp = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);\n"
"\treturn p;\n"
"}\n"
"\n"
"static void result(unsigned int seq, const char *what, long r, int want, int want_err)\n"
"{\n"
"\tint e = r < 0 ? errno : 0;\n"
"\n"
"\tif ((r < 0 ? -1 : 0) != (want < 0 ? -1 : 0) || (r < 0 && want_err >= 0 && e != want_err))\n"
"\t\tmismatches++;\n"
"\tprintf(\"#%u %s = %ld%s%s (recorded %d%s%s)\\n\", seq, what, r, r < 0 ? \" \" : \"\",\n"
"\t       r < 0 ? strerror(e) : \"\", want, want < 0 && want_err >= 0 ? \" \" : \"\",\n"
"\t       want < 0 && want_err >= 0 ? strerror(want_err) : \"\");\n"
"}\n"
"\n";

/*
 * Every aligned 64-bit word of @b (the bytes of @var) that holds the
 * recorded address of one of the @nmem blocks becomes that block's copy.
 */
static void patch_pointers(FILE *o, const char *var, const uint8_t *b, uint32_t len,
			   const struct pt_mem *mem, uint32_t nmem)
{
	uint32_t off, k;

	for (off = 0; off + 8 <= len; off += 8) {
		uint64_t v = rd64(b + off);

		for (k = 0; v && k < nmem; k++)
			if (mem[k].addr == v) {
				fprintf(o, "\t\t{ void *p = m%u; memcpy(%s + %u, &p, 8); }\n",
					k, var, off);
				break;
			}
	}
}

/* Find @v in the out-argument of an earlier ioctl: its record and offset. */
static int find_offset(const struct pt_ioctl *ios, const int *valid, size_t upto, uint64_t v,
		       size_t *which, uint32_t *off)
{
	size_t k;
	uint32_t o;

	for (k = upto; k-- > 0;) {
		if (!valid[k])
			continue;
		for (o = 0; o + 8 <= ios[k].arg_len && o + 8 <= 256; o += 8)
			if (rd64(ios[k].arg_out + o) == v) {
				*which = k;
				*off = o;
				return 1;
			}
	}
	return 0;
}

int pt_to_c(FILE *o, const struct pt_record *rec, size_t n, const char *source,
	    char *err, size_t errlen)
{
	struct pt_ioctl *ios = calloc(n ? n : 1, sizeof(*ios));
	struct pt_mem *mem = calloc(PT_MAX_MEM, sizeof(*mem));
	int *valid = calloc(n ? n : 1, sizeof(*valid));	/* 1 + the ioctl's ordinal */
	uint64_t *mapaddr = calloc(MAX_MAPS, sizeof(*mapaddr));
	unsigned int nmaps = 0, calls = 0, total;
	size_t i, k;
	int ret = -1;

	if (!ios || !mem || !valid || !mapaddr) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		calls += rec[i].type == PT_IOCTL || rec[i].type == PT_MMAP;
	fprintf(o, "// SPDX-License-Identifier: GPL-2.0 OR MIT\n"
		"/*\n * Reproducer written by `pantrace c` from %s: %u calls.\n"
		" *\n *   cc -std=gnu11 -o repro repro.c && ./repro [/dev/dri/renderDN]\n *\n"
		" * Makes the recorded calls in record order with the recorded arguments;\n"
		" * prints each result beside the recorded one; exits 0 if all matched.\n */\n",
		strstr(source, "*/") ? "a trace" : source, calls);	/* not the comment's end */
	fputs(prologue, o);
	fprintf(o, "/* each ioctl's argument, in record order: mmap offsets come from them */\n"
		"static __attribute__((unused)) unsigned char args[%u][16384];\n\n", calls ? calls : 1);
	total = calls;
	calls = 0;
	fprintf(o, "int main(int argc, char **argv)\n{\n\tif (argc > 1)\n\t\tnode = argv[1];\n"
		"\tsetvbuf(stdout, NULL, _IONBF, 0);\n");
	for (i = 0; i < n; i++) {
		const struct pt_record *r = &rec[i];

		switch (r->type) {
		case PT_OPEN: {
			struct pt_open op;

			if (pt_decode_open(r, &op, err, errlen))
				goto out;
			if (op.fd >= 4096)
				break;
			fprintf(o, "\tfds[%u] = open(node, O_RDWR | O_CLOEXEC);\n"
				"\tif (fds[%u] < 0) {\n\t\tperror(node);\n\t\treturn 2;\n\t}\n",
				op.fd, op.fd);
			break;
		}
		case PT_CLOSE:
			if (r->len >= 4 && rd32(r->payload) < 4096)
				fprintf(o, "\tclose(fds[%u]);\n", rd32(r->payload));
			break;
		case PT_DUP:
			if (r->len >= 8 && rd32(r->payload) < 4096 && rd32(r->payload + 4) < 4096)
				fprintf(o, "\tfds[%u] = dup(fds[%u]);\n", rd32(r->payload + 4),
					rd32(r->payload));
			break;
		case PT_IOCTL: {
			struct pt_ioctl *io = &ios[i];
			char name[32];
			uint32_t len;

			if (pt_decode_ioctl(r, io, mem, PT_MAX_MEM, err, errlen))
				goto out;
			io->mem = NULL;		/* @mem is reused */
			valid[i] = 1 + (int)calls++;
			if (io->fd >= 4096)
				break;
			fprintf(o, "\t{\t/* record %u, thread %u */\n", r->seq, io->tid);
			for (k = 0; k < io->nmem; k++) {
				snprintf(name, sizeof(name), "m%zu", k);
				if (mem[k].dir & PT_MEM_READ)
					hex_array(o, name, mem[k].bytes, mem[k].len);
				else
					fprintf(o, "\t\tstatic __attribute__((unused)) unsigned char m%zu[%u] "
						"__attribute__((aligned(64)));\n", k,
						mem[k].len ? mem[k].len : 1);
			}
			/* the kernel copies _IOC_SIZE bytes, whatever was recorded */
			len = io->arg_len > 256 ? 256 : io->arg_len;
			hex_array(o, "arg", io->arg_in, len);
			snprintf(name, sizeof(name), "args[%d]", valid[i] - 1);
			fprintf(o, "\t\tmemcpy(%s, arg, %u);\n", name, len);
			/* pointers to recorded memory now point to its copy */
			patch_pointers(o, name, io->arg_in, len, mem, io->nmem);
			for (k = 0; k < io->nmem; k++) {
				char mname[16];

				snprintf(mname, sizeof(mname), "m%zu", k);
				if (mem[k].dir & PT_MEM_READ)
					patch_pointers(o, mname, mem[k].bytes, mem[k].len, mem,
						       io->nmem);
			}
			fprintf(o, "\t\tresult(%u, \"ioctl(%#" PRIx64 ")\", ioctl(fds[%u], 0x%" PRIx64
				"ul, %s), %d, %d);\n\t}\n", r->seq, io->request, io->fd, io->request,
				io->flags & PT_IOCTL_ARG_UNREADABLE ? "bad_pointer()" : name,
				io->ret, io->err);
			break;
		}
		case PT_MMAP: {
			struct pt_mmap m;
			size_t which;
			uint32_t off;

			if (pt_decode_mmap(r, &m, err, errlen))
				goto out;
			if (m.fd >= 4096 || nmaps == MAX_MAPS)
				break;
			mapaddr[nmaps] = m.addr;
			if (find_offset(ios, valid, i, m.offset, &which, &off))
				fprintf(o, "\t{\n\t\tuint64_t off;\n\n\t\tmemcpy(&off, args[%d] + %u, 8);\n",
					valid[which] - 1, off);
			else
				fprintf(o, "\t{\n\t\tuint64_t off = 0x%" PRIx64 "ull;\n\n", m.offset);
			fprintf(o, "\t\tmaps[%u] = mmap(NULL, 0x%" PRIx64 "ul, %u, %u, fds[%u], (off_t)off);\n"
				"\t\tresult(%u, \"mmap\", maps[%u] == MAP_FAILED ? -1 : 0, %d, -1);\n"
				"\t\tif (maps[%u] != MAP_FAILED && (%u & PROT_WRITE))\n"
				"\t\t\tmemset(maps[%u], 0, 1);\n\t}\n",
				nmaps, m.length, m.prot, m.flags & ~0x10u /* MAP_FIXED */, m.fd,
				r->seq, nmaps, m.addr ? 0 : -1, nmaps, m.prot, nmaps);	/* no errno recorded: -1 */
			nmaps++;
			break;
		}
		case PT_MUNMAP: {
			uint64_t addr = r->len >= 16 ? rd64(r->payload) : 0;
			unsigned int m;

			for (m = nmaps; m-- > 0;)
				if (mapaddr[m] == addr && addr) {
					fprintf(o, "\tif (maps[%u] != MAP_FAILED)\n"
						"\t\tmunmap(maps[%u], 0x%" PRIx64 "ul);\n",
						m, m, rd64(r->payload + 8));
					mapaddr[m] = 0;
					break;
				}
			break;
		}
		default:	/* HEADER, BO_DATA, END: nothing to do */
			break;
		}
	}
	fprintf(o, "\tprintf(\"repro: %%d of %u results differ from the recording\\n\", mismatches);\n"
		"\treturn mismatches ? 1 : 0;\n}\n", total);
	ret = 0;
out:
	free(ios);
	free(mem);
	free(valid);
	free(mapaddr);
	return ret;
}
