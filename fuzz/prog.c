// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The ioctl fuzzer's program interpreter (see prog.h and docs/fuzzing.md).
 * Pure logic: no device, no kernel headers beyond the uAPI table; the
 * backend does the calls.
 */
#include "prog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

/* the kernel's uAPI header, as harness/uapi.c includes it */
#define __user
#include <panthor_drm.h>

/* _IOC layout (asm-generic), without pulling in a kernel header. */
#define PF_IOC_SIZE_SHIFT	16
#define PF_IOC_SIZE_MASK	0x3fffu

/* ---- input ------------------------------------------------------------------------ */

struct pf_in {
	const uint8_t *p;
	size_t n, off;
};

static uint8_t in8(struct pf_in *in)
{
	return in->off < in->n ? in->p[in->off++] : 0;
}

static uint32_t in32(struct pf_in *in)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v |= (uint32_t)in8(in) << (8 * i);
	return v;
}

static uint64_t in64(struct pf_in *in)
{
	return in32(in) | (uint64_t)in32(in) << 32;
}

static bool in_done(const struct pf_in *in)
{
	return in->off >= in->n;
}

/* ---- resources -------------------------------------------------------------------- */

struct pf_res {
	uint32_t v;
	bool live;
	uint64_t aux;		/* BO: size */
};

struct pf_table {
	struct pf_res r[PF_MAX_RES];
	unsigned int n;
};

struct pf_stream {
	uint64_t va;
	uint32_t size;
};

#define PF_NKINDS	(PU_H_FD + 1)
#define PF_MAX_STREAMS	8
#define PF_CALL_ARG	512	/* largest argument we build (any _IOC size is cut here) */

struct pf_call {
	const struct pu_ioctl *io;
	unsigned long req;
	uint32_t size;
	int file;
	int ret, err;
	bool skip;
	uint8_t arg[PF_CALL_ARG];
};

struct pf_ctx {
	const struct pf_backend *be;
	const struct pf_options *opt;
	struct pf_stats *st;
	struct pf_in in;
	struct pf_table res[2][PF_NKINDS];	/* per file */
	struct pf_stream streams[PF_MAX_STREAMS];
	unsigned int nstreams;
	const struct pf_stream *last_stream;	/* coupling stream_addr/size */
	size_t arena_used;
	bool second_file;			/* the next call goes to file 1 */
	unsigned int fail_nth;
};

/*
 * The memory call arguments point at, between two inaccessible pages: a
 * kernel told to write more than was allocated (an output array whose
 * count says more) gets EFAULT at the guard instead of overwriting the
 * fuzzer's own heap.
 */
static uint8_t *pf_arena;

static int arena_init(void)
{
	uint8_t *p;

	if (pf_arena)
		return 0;
	p = mmap(NULL, PF_ARENA + 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	if (mprotect(p + 4096, PF_ARENA, PROT_READ | PROT_WRITE)) {
		munmap(p, PF_ARENA + 2 * 4096);
		return -1;
	}
	pf_arena = p + 4096;
	return 0;
}

static void res_add(struct pf_ctx *c, int file, unsigned int kind, uint32_t v, uint64_t aux)
{
	struct pf_table *t = &c->res[file][kind];
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->r[i].v == v) {
			t->r[i].live = true;
			t->r[i].aux = aux;
			return;
		}
	if (t->n < PF_MAX_RES)
		t->r[t->n++] = (struct pf_res){ v, true, aux };
}

static void res_kill(struct pf_ctx *c, int file, unsigned int kind, uint32_t v)
{
	struct pf_table *t = &c->res[file][kind];
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->r[i].v == v)
			t->r[i].live = false;
}

static bool res_is_live(const struct pf_ctx *c, int file, unsigned int kind, uint32_t v)
{
	const struct pf_table *t = &c->res[file][kind];
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->r[i].v == v && t->r[i].live)
			return true;
	return false;
}

static const struct pf_res *res_pick(struct pf_ctx *c, int file, unsigned int kind, bool live)
{
	const struct pf_table *t = &c->res[file][kind];
	unsigned int i, n = 0, k;

	for (i = 0; i < t->n; i++)
		n += t->r[i].live == live;
	if (!n)
		return NULL;
	k = in8(&c->in) % n;
	for (i = 0; i < t->n; i++)
		if (t->r[i].live == live && !k--)
			return &t->r[i];
	return NULL;
}

static void *arena_alloc(struct pf_ctx *c, size_t len)
{
	size_t at = (c->arena_used + 15) & ~(size_t)15;

	if (len > PF_ARENA || at > PF_ARENA - len)
		return NULL;
	c->arena_used = at + len;
	return pf_arena + at;
}

static uint64_t uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static bool in_arena(uint64_t addr, uint64_t len)
{
	uint64_t base = uptr(pf_arena);

	return addr >= base && len <= PF_ARENA && addr - base <= PF_ARENA - len;
}

/* ---- values ----------------------------------------------------------------------- */

static const uint64_t pf_ints[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256, 4095, 4096,
	0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull,
};

static const uint64_t pf_sizes[] = {
	0, 1, 0x1000, 0x2000, 0x3000, 0x8000, 0x10000, 0x20000, 0x100000, 0x200000,
	0x400000, 0x800000, 0x1000000, 0x100000000ull, 0x1001, 0xfff, ~0ull, 0xfffffffffffff000ull,
};

/* The fuzzer's GPU VAs: 16 1-MiB windows where CS buffers get bound. */
#define PF_VA_BASE	0x1000000ull
#define PF_VA_STEP	0x100000ull
#define PF_VA_SLOTS	16

static uint64_t gen_int_pool(struct pf_ctx *c, const uint64_t *pool, size_t n)
{
	uint8_t b = in8(&c->in);

	/* zero is what an absent or unused field must be: often */
	if (b < 40)
		return 0;
	if (b < 200)
		return pool[in8(&c->in) % n];
	if (b < 230)
		return (uint64_t)1 << (in8(&c->in) % 64);
	return in64(&c->in);
}

static bool name_is(const char *name, const char *suffix)
{
	size_t a = strlen(name), b = strlen(suffix);

	return a >= b && !strcmp(name + a - b, suffix);
}

static uint64_t gen_va(struct pf_ctx *c)
{
	uint8_t b = in8(&c->in);

	if (b < 160)
		return PF_VA_BASE + (in8(&c->in) % PF_VA_SLOTS) * PF_VA_STEP +
		       (uint64_t)(in8(&c->in) % 4) * 0x1000;
	if (b < 200)
		return (in64(&c->in) & 0xfffffffff000ull);
	return gen_int_pool(c, pf_sizes, sizeof(pf_sizes) / sizeof(pf_sizes[0]));
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Values the kernel accepts for some fields (by name suffix), so that
 * GROUP_CREATE, TILER_HEAP_CREATE and the sync operations get past their
 * checks often enough to reach the scheduler. The model's GPU: shader_present 0x50005, one tiler.
 */
#define POOL(...)	.v = (const uint64_t[]){ __VA_ARGS__ }, \
			.n = sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t)
static const struct {
	const char *suffix;
	const uint64_t *v;
	unsigned int n;
} pf_named[] = {
	{ "compute_core_mask", POOL(0x50005, 0x5, 0x1, 0x50000, 0x10000, 0x50004) },
	{ "fragment_core_mask", POOL(0x50005, 0x5, 0x1, 0x50000, 0x10000) },
	{ "tiler_core_mask", POOL(1, 1, 1, 3) },
	{ "_cores", POOL(1, 1, 2, 4, 0, 5) },
	{ "ringbuf_size", POOL(4096, 8192, 16384, 65536, 4096, 0x20000) },
	{ "priority", POOL(0, 1, 2, 3, 0, 1) },
	{ "queue_index", POOL(0, 1, 2, 0, 0) },
	{ "chunk_size", POOL(0x20000, 0x40000, 0x100000, 0x20000, 0x800000) },
	{ "initial_chunk_count", POOL(1, 2, 4, 1, 8) },
	{ "max_chunks", POOL(1, 2, 4, 8, 64) },
	{ "target_in_flight", POOL(1, 2, 4, 0, 65535) },
	{ "user_va_range", POOL(0, 0, 0x100000000ull, 0x1000000000ull, 0x4000000) },
	/* a binary syncobj's point must be 0; latest_flush bits 24-30 must be 0 */
	{ "timeline_value", POOL(0, 0, 0, 1, 2, ~0ull) },
	{ "latest_flush", POOL(0, 0, 1, 0x7f000000, 0x80000000) },
};

static uint64_t gen_int(struct pf_ctx *c, const struct pu_field *f)
{
	const char *n = f->name;
	uint64_t v;
	size_t i;

	if (f->attr & PU_A_ABSTIME) {
		/* Bounded: a wait that never ends is not a finding. */
		uint8_t b = in8(&c->in);

		return b < 40 ? 0 : now_ns() + (uint64_t)(b % 50) * 60000ull;	/* < 3 ms */
	}
	/*
	 * A queue_submit's stream: size, then address (their order in the
	 * struct), of one of the program's command streams most of the time.
	 */
	if (!strcmp(n, "stream_size")) {
		c->last_stream = NULL;
		if (c->nstreams && in8(&c->in) < 200) {
			c->last_stream = &c->streams[in8(&c->in) % c->nstreams];
			return c->last_stream->size;
		}
		return gen_int_pool(c, pf_sizes, sizeof(pf_sizes) / sizeof(pf_sizes[0])) & ~7ull;
	}
	if (!strcmp(n, "stream_addr")) {
		if (c->last_stream && in8(&c->in) < 220)
			return c->last_stream->va;
		return gen_va(c);
	}
	for (i = 0; i < sizeof(pf_named) / sizeof(pf_named[0]); i++)
		if (name_is(n, pf_named[i].suffix) && in8(&c->in) < 220)
			return pf_named[i].v[in8(&c->in) % pf_named[i].n];
	if (name_is(n, "va") || name_is(n, "_addr"))
		return gen_va(c);
	if (name_is(n, "size") || name_is(n, "offset") || name_is(n, "range"))
		return gen_int_pool(c, pf_sizes, sizeof(pf_sizes) / sizeof(pf_sizes[0]));
	if (name_is(n, "_mask")) {
		uint8_t b = in8(&c->in);

		return b < 128 ? ~0ull : b < 160 ? 1 : b < 180 ? 0 : in64(&c->in);
	}
	v = gen_int_pool(c, pf_ints, sizeof(pf_ints) / sizeof(pf_ints[0]));
	return v;
}

static uint64_t gen_handle(struct pf_ctx *c, int file, unsigned int kind)
{
	uint8_t b = in8(&c->in);
	const struct pf_res *r = NULL;

	if (kind == PU_H_NONE || kind >= PF_NKINDS)
		return in32(&c->in);
	if (b < 150)
		r = res_pick(c, file, kind, true);
	else if (b < 175)
		r = res_pick(c, file, kind, false);		/* stale */
	else if (b < 190)
		r = res_pick(c, !file, kind, true);		/* foreign */
	if (r)
		return r->v;
	if (b < 225)
		return 0;				/* none (UNMAP, SYNC_ONLY) */
	if (b < 245)
		return in8(&c->in) % 4;
	return in32(&c->in);
}

static void put_field(uint8_t *arg, const struct pu_field *f, uint64_t v)
{
	memcpy(arg + f->offset, &v, f->size);	/* little-endian */
}

static uint32_t gen_count(struct pf_ctx *c)
{
	static const uint32_t big[] = {
		255, 0x10000, 0x100000, 0x1000000, 0x2aaaaab, 0x7fffffff, 0x80000000, 0xffffffff,
	};
	uint8_t b = in8(&c->in);

	if (b < 230)
		return b % 5;
	if (b < 250)
		return big[in8(&c->in) % (sizeof(big) / sizeof(big[0]))];
	return in32(&c->in);
}

static uint32_t gen_stride(struct pf_ctx *c, const struct pu_struct *e)
{
	uint8_t b = in8(&c->in);

	if (b < 190)
		return e->size;
	if (b < 210)
		return e->min_size;
	if (b < 225)
		return e->size + 8 * (1 + in8(&c->in) % 4);
	if (b < 240)
		return in8(&c->in);
	return in32(&c->in);
}

static void gen_struct(struct pf_ctx *c, int file, const struct pu_struct *s, uint8_t *arg,
		       uint32_t len, int depth);

static void gen_obj_array(struct pf_ctx *c, int file, const struct pu_field *f, uint8_t *arg,
			  int depth)
{
	const struct pu_struct *e = f->elem;
	uint32_t stride = gen_stride(c, e), count = gen_count(c), i, n;
	uint8_t *mem = NULL;
	uint8_t b = in8(&c->in);
	uint64_t array;

	n = count < 8 ? count : 8;
	if (stride && stride <= 4096)
		mem = arena_alloc(c, (size_t)n * stride + 64);
	if (mem) {
		memset(mem, 0, (size_t)n * stride + 64);
		for (i = 0; i < n; i++)
			gen_struct(c, file, e, mem + (size_t)i * stride,
				   stride < pu_full_size(e) ? stride : pu_full_size(e), depth + 1);
	}
	array = b < 240 ? uptr(mem) : b < 248 ? 0 : in64(&c->in);
	memcpy(arg + f->offset, &stride, 4);
	memcpy(arg + f->offset + 4, &count, 4);
	memcpy(arg + f->offset + 8, &array, 8);
}

/* A user pointer and its size field, together; returns the size field's index or -1. */
static int gen_uptr(struct pf_ctx *c, int file, const struct pu_struct *s,
		     const struct pu_field *f, uint8_t *arg, uint32_t len)
{
	const struct pu_field *sz = f->size_field ? pu_field_by_name(s, f->size_field) : NULL;
	uint32_t esize = f->elem_size ? f->elem_size : 1;
	uint32_t n = in8(&c->in) % 9, i;
	uint8_t *mem, b = in8(&c->in);
	uint64_t size = (uint64_t)n * esize, ptr;

	if (f->attr & PU_A_STRING)
		n = in8(&c->in) % 64, size = n + 1;
	mem = arena_alloc(c, size + 64);
	if (mem) {
		memset(mem, 0, size + 64);
		for (i = 0; i < n; i++) {
			if (f->elem_size == 4 && f->handle)
				put_field(mem + 4 * i, &(struct pu_field){ .size = 4 },
					  gen_handle(c, file, f->handle));
			else if (f->attr & PU_A_STRING)
				mem[i] = 'a' + in8(&c->in) % 26;
			else
				mem[i * esize] = in8(&c->in);
		}
	}
	ptr = b < 235 ? uptr(mem) : b < 245 ? 0 : in64(&c->in);
	put_field(arg, f, ptr);
	if (sz && pu_field_in(sz, len)) {
		uint64_t v = (f->elem_size ? n : size);

		if (in8(&c->in) >= 220)
			v = gen_int_pool(c, pf_ints, sizeof(pf_ints) / sizeof(pf_ints[0]));
		put_field(arg, sz, v);
		return (int)(sz - s->fields);
	}
	return -1;
}

static void gen_struct(struct pf_ctx *c, int file, const struct pu_struct *s, uint8_t *arg,
		       uint32_t len, int depth)
{
	uint64_t fixed = 0;	/* fields a user pointer already sized */
	uint32_t i;
	int k;

	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		uint8_t b;

		if (!pu_field_in(f, len) || !(f->dir & PU_IN) || (i < 64 && (fixed >> i & 1)))
			continue;
		switch (f->kind) {
		case PU_PAD:
			b = in8(&c->in);
			put_field(arg, f, b < 245 ? 0 : (uint64_t)1 << (b % (8 * f->size)));
			break;
		case PU_HANDLE:
			put_field(arg, f, gen_handle(c, file, f->handle));
			break;
		case PU_FLAGS: {
			/*
			 * Mostly an OR of up to two named values (a flag set
			 * may hold an enum, e.g. a sync op's handle type: its
			 * random bits are almost never valid), else bits
			 * within what the kernel accepts, else any.
			 */
			uint32_t nv = 0, k;
			uint64_t v = 0;

			while (f->values && f->values[nv].name)
				nv++;
			b = in8(&c->in);
			if (nv && b < 170) {
				for (k = in8(&c->in) % 3; k; k--)
					v |= f->values[in8(&c->in) % nv].value;
			} else {
				v = b < 225 ? in64(&c->in) & f->valid_mask : in64(&c->in);
			}
			put_field(arg, f, v);
			break;
		}
		case PU_ENUM: {
			uint32_t nv = 0;

			while (f->values && f->values[nv].name)
				nv++;
			b = in8(&c->in);
			put_field(arg, f, nv && b < 225 ? f->values[in8(&c->in) % nv].value :
				  gen_int_pool(c, pf_ints, sizeof(pf_ints) / sizeof(pf_ints[0])));
			break;
		}
		case PU_UPTR:
			k = depth < 3 ? gen_uptr(c, file, s, f, arg, len) : -1;
			if (k >= 0 && k < 64)
				fixed |= 1ull << k;
			break;
		case PU_OBJ_ARRAY:
			if (depth < 3)
				gen_obj_array(c, file, f, arg, depth);
			break;
		default:
			if (!(f->dir & PU_OUT) || in8(&c->in) < 128)
				put_field(arg, f, gen_int(c, f));
			break;
		}
	}
}

/* ---- known bugs ------------------------------------------------------------------- */

static const char *const pf_bug_names[PF_NBUGS] = {
	[PF_BUG_SIGNAL_UNKNOWN_SYNCOBJ] = "signal-unknown-syncobj",
	[PF_BUG_ARRAY_OVER_INT_MAX] = "obj-array-over-int-max",
	[PF_BUG_ARRAY_HUGE_ALLOC] = "obj-array-huge-alloc",
	[PF_BUG_UML_UACCESS_INT] = "uml-uaccess-over-int-max",
	[PF_BUG_DRM_SYNCOBJ_COUNT] = "drm-syncobj-array-huge-count",
	[PF_BUG_BO_HUGE_PIN] = "bo-huge-pin",
	[PF_BUG_HEAP_HUGE_INITIAL] = "heap-huge-initial-chunks",
	[PF_BUG_WAIT_ON_OWN_SIGNAL] = "wait-on-own-signal",
};

const char *pf_bug_name(enum pf_bug b)
{
	return b < PF_NBUGS ? pf_bug_names[b] : "?";
}

int pf_known_bugs_load(const char *path, const char *driver, uint32_t *mask,
		       char *err, size_t errlen)
{
	char line[512];
	FILE *f;
	int lineno = 0;

	*mask = 0;
	if (!strcmp(path, "none"))
		return 0;
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char id[64], drivers[128], *tok, *save;
		int b;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%63s %127s", id, drivers) != 2) {
			snprintf(err, errlen, "%s:%d: expected 'ID DRIVER[,DRIVER] reason'",
				 path, lineno);
			fclose(f);
			return -1;
		}
		for (b = 0; b < PF_NBUGS; b++)
			if (!strcmp(id, pf_bug_names[b]))
				break;
		if (b == PF_NBUGS) {
			snprintf(err, errlen, "%s:%d: unknown bug id '%s'", path, lineno, id);
			fclose(f);
			return -1;
		}
		for (tok = strtok_r(drivers, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (!strcmp(tok, driver))
				*mask |= 1u << b;
	}
	fclose(f);
	return 0;
}

/*
 * Object array field @f of the argument bytes @arg, as the kernel takes it:
 * false if it reads no element (count 0, or a stride below the minimum).
 */
static bool array_get(const struct pu_field *f, const uint8_t *arg, uint32_t *stride,
		      uint32_t *count, uint64_t *array)
{
	memcpy(stride, arg + f->offset, 4);
	memcpy(count, arg + f->offset + 4, 4);
	memcpy(array, arg + f->offset + 8, 8);
	return *count && *stride >= f->elem->min_size;
}

/* Element @k of such an array, and its length in @len; NULL outside the arena. */
static const uint8_t *array_elem(const struct pu_field *f, uint32_t stride, uint64_t array,
				 uint32_t k, uint32_t *len)
{
	uint64_t at = array + (uint64_t)k * stride;

	*len = stride < pu_full_size(f->elem) ? stride : pu_full_size(f->elem);
	return in_arena(at, *len) ? (const uint8_t *)(uintptr_t)at : NULL;
}

/* The sync ops a call carries (every array level), as the kernel reads them. */
struct pf_syncs {
	uint32_t n;
	uint32_t flags[64], handle[64];
};

static void collect_syncs(const struct pu_struct *s, const uint8_t *arg, uint32_t len,
			  int depth, struct pf_syncs *out)
{
	uint32_t i, k;

	if (depth > 3)
		return;
	if (!strcmp(s->name, "drm_panthor_sync_op")) {
		if (len >= 8 && out->n < 64) {
			memcpy(&out->flags[out->n], arg, 4);
			memcpy(&out->handle[out->n], arg + 4, 4);
			out->n++;
		}
		return;
	}
	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		uint32_t stride, count, el;
		uint64_t array;
		const uint8_t *e;

		if (f->kind != PU_OBJ_ARRAY || !pu_field_in(f, len) ||
		    !array_get(f, arg, &stride, &count, &array))
			continue;
		for (k = 0; k < count && k < 64; k++) {
			e = array_elem(f, stride, array, k, &el);
			if (!e)
				break;
			collect_syncs(f->elem, e, el, depth + 1, out);
		}
	}
}

/*
 * Walk what the kernel would read of @s at @arg (@len bytes) for the known
 * bugs in @mask (the ones filtered for this driver): the first one found,
 * or -1. A bug outside @mask does not end the walk: a call that has one
 * of them and also one of ours is still filtered.
 */
#define PF_HIT(b)	do { if (mask & (1u << (b))) return (b); } while (0)

static int bug_walk(const struct pf_ctx *c, int file, const struct pu_ioctl *io,
		    const struct pu_struct *s, const uint8_t *arg, uint32_t len, int depth,
		    uint32_t mask)
{
	uint32_t i, k;

	if (depth > 3)
		return -1;
	if (!depth && !strcmp(io->name, "PANTHOR_BO_CREATE") && len >= 8) {
		uint64_t size;

		memcpy(&size, arg, 8);
		if (size > (64u << 20))
			PF_HIT(PF_BUG_BO_HUGE_PIN);
	}
	if (!depth && io->panthor && (!strcmp(io->name, "PANTHOR_GROUP_SUBMIT") ||
				      !strcmp(io->name, "PANTHOR_VM_BIND"))) {
		struct pf_syncs sy = { 0 };
		uint32_t a, b;

		collect_syncs(s, arg, len, 0, &sy);
		for (a = 0; a < sy.n; a++)
			for (b = 0; b < sy.n; b++)
				if ((sy.flags[a] & DRM_PANTHOR_SYNC_OP_SIGNAL) &&
				    !(sy.flags[b] & DRM_PANTHOR_SYNC_OP_SIGNAL) &&
				    sy.handle[a] == sy.handle[b] &&
				    res_is_live(c, file, PU_H_SYNCOBJ, sy.handle[a]))
					PF_HIT(PF_BUG_WAIT_ON_OWN_SIGNAL);
	}
	if (!depth && !strcmp(io->name, "PANTHOR_TILER_HEAP_CREATE")) {
		const struct pu_field *n = pu_field_by_name(s, "initial_chunk_count");
		const struct pu_field *cs = pu_field_by_name(s, "chunk_size");

		if (n && cs && pu_field_in(n, len) && pu_field_in(cs, len) &&
		    pu_get(n, arg) * pu_get(cs, arg) > (64u << 20))
			PF_HIT(PF_BUG_HEAP_HUGE_INITIAL);
	}
	if (!strcmp(s->name, "drm_panthor_sync_op")) {
		uint32_t flags = 0, handle = 0;

		memcpy(&flags, arg, len < 4 ? len : 4);
		if (len >= 8)
			memcpy(&handle, arg + 4, 4);
		if ((flags & DRM_PANTHOR_SYNC_OP_SIGNAL) &&
		    !res_is_live(c, file, PU_H_SYNCOBJ, handle))
			PF_HIT(PF_BUG_SIGNAL_UNKNOWN_SYNCOBJ);
		return -1;
	}
	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		uint32_t stride, count;
		uint64_t array, bytes;
		int r;

		if (f->kind == PU_UPTR && f->size_field && pu_field_in(f, len)) {
			const struct pu_field *sz = pu_field_by_name(s, f->size_field);

			uint64_t bytes = sz && pu_field_in(sz, len) ?
				pu_get(sz, arg) * (f->elem_size ? f->elem_size : 1) : 0;

			if (bytes >= 0x80000000ull)
				PF_HIT(PF_BUG_UML_UACCESS_INT);
			/* kmalloc_array() of the handles/points: above 4 MiB it WARNs */
			if (!io->panthor && f->elem_size && bytes > (4u << 20))
				PF_HIT(PF_BUG_DRM_SYNCOBJ_COUNT);
		}
		if (f->kind != PU_OBJ_ARRAY || !pu_field_in(f, len) ||
		    !array_get(f, arg, &stride, &count, &array))
			continue;
		/* the kernel allocates count elements of its own struct size */
		bytes = (uint64_t)count * f->elem->size;
		if (bytes > 0x7fffffffull)
			PF_HIT(PF_BUG_ARRAY_OVER_INT_MAX);
		if (bytes > (64u << 20) && bytes <= 0x7fffffffull)
			PF_HIT(PF_BUG_ARRAY_HUGE_ALLOC);
		for (k = 0; k < count; k++) {
			uint32_t el;
			const uint8_t *e = array_elem(f, stride, array, k, &el);

			if (!e)
				break;
			r = bug_walk(c, file, io, f->elem, e, el, depth + 1, mask);
			if (r >= 0)
				return r;
		}
	}
	return -1;
}

/* The bytes of a call's argument that were built (any _IOC size is cut at PF_CALL_ARG). */
static uint32_t call_len(const struct pf_call *call)
{
	return call->size < PF_CALL_ARG ? call->size : PF_CALL_ARG;
}

static bool suppress(struct pf_ctx *c, const struct pf_call *call)
{
	int b;

	if (!c->opt->bugs)
		return false;
	b = bug_walk(c, call->file, call->io, call->io->arg, call->arg, call_len(call), 0,
		     c->opt->bugs);
	if (b < 0)	/* bug_walk() reports filtered bugs only */
		return false;
	c->st->suppressed++;
	c->st->by_bug[b]++;
	return true;
}

/*
 * The heap budget (pf_options.heap_budget): cut a TILER_HEAP_CREATE's
 * initial_chunk_count so that its initial chunks fit. Left alone: a chunk
 * size above the budget (no valid chunk size is: the budget is at least
 * the largest, 2 MiB, where it is used), and a call that is the known bug
 * heap-huge-initial-chunks, so that the filter still stops it where it is
 * known and it still reproduces where it is not filtered (triage, the
 * crash tests).
 */
static void budget(struct pf_ctx *c, struct pf_call *call)
{
	const struct pu_struct *s = call->io->arg;
	const struct pu_field *n, *cs;
	uint32_t len = call_len(call);
	uint64_t count, chunk, fit;

	if (!c->opt->heap_budget || strcmp(call->io->name, "PANTHOR_TILER_HEAP_CREATE"))
		return;
	n = pu_field_by_name(s, "initial_chunk_count");
	cs = pu_field_by_name(s, "chunk_size");
	if (!n || !cs || !pu_field_in(n, len) || !pu_field_in(cs, len) || n->size != 4)
		return;
	count = pu_get(n, call->arg);
	chunk = pu_get(cs, call->arg);
	if (!chunk || chunk > c->opt->heap_budget || count <= c->opt->heap_budget / chunk ||
	    bug_walk(c, call->file, call->io, s, call->arg, len, 0,
		     1u << PF_BUG_HEAP_HUGE_INITIAL) == PF_BUG_HEAP_HUGE_INITIAL)
		return;
	fit = c->opt->heap_budget / chunk;
	memcpy(call->arg + n->offset, &(uint32_t){ (uint32_t)fit }, 4);
	c->st->budgeted++;
}

/* ---- calls ------------------------------------------------------------------------ */

static void gen_call(struct pf_ctx *c, struct pf_call *call, unsigned int idx)
{
	const struct pu_ioctl *io = &pu_ioctls[idx % pu_nioctls];
	const struct pu_struct *s = io->arg;
	uint8_t b = in8(&c->in);
	uint32_t size = s->size;

	memset(call, 0, sizeof(*call));
	call->io = io;
	call->file = c->second_file;
	c->second_file = false;
	if (b >= 245)
		size = in8(&c->in);
	else if (b >= 215 && s->nlayouts)
		size = s->layouts[in8(&c->in) % s->nlayouts].size;
	if (size > PF_CALL_ARG)
		size = PF_CALL_ARG;
	call->size = size;
	call->req = (io->request & ~((unsigned long)PF_IOC_SIZE_MASK << PF_IOC_SIZE_SHIFT)) |
		    ((unsigned long)size << PF_IOC_SIZE_SHIFT);
	c->last_stream = NULL;
	gen_struct(c, call->file, s, call->arg, size, 0);
}

struct pf_exec {
	struct pf_ctx *c;
	struct pf_call *call;
};

/*
 * How long a call may wait in the kernel on its own (0: as long as the
 * kernel likes). SYNCOBJ_TRANSFER with WAIT_FOR_SUBMIT waits up to 5 s
 * (DRM core's DRM_SYNCOBJ_WAIT_FOR_SUBMIT_TIMEOUT) for a fence at the
 * source point, which a program seldom submits: in one 30-second panref
 * run five such calls took 25 s. Bounded like the programs' own waits.
 */
#define PF_WAIT_BOUND_US	3000

static unsigned int wait_bound_us(const struct pf_call *call)
{
	const struct pu_field *f;
	uint32_t len = call_len(call);

	if (strcmp(call->io->name, "SYNCOBJ_TRANSFER"))
		return 0;
	f = pu_field_by_name(call->io->arg, "flags");
	return f && pu_field_in(f, len) &&
	       (pu_get(f, call->arg) & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT) ?
	       PF_WAIT_BOUND_US : 0;
}

static void exec_thunk(void *p)
{
	struct pf_exec *e = p;
	const struct pf_backend *be = e->c->be;
	unsigned int us;

	if (e->call->skip)
		return;
	us = be->ioctl_bounded ? wait_bound_us(e->call) : 0;
	if (us)
		e->call->ret = be->ioctl_bounded(be->ctx, e->call->file, e->call->req,
						 e->call->arg, us);
	else
		e->call->ret = be->ioctl(be->ctx, e->call->file, e->call->req, e->call->arg);
	e->call->err = e->call->ret < 0 ? errno : 0;
}

static bool is_destroy(const struct pu_ioctl *io)
{
	return name_is(io->name, "DESTROY") || !strcmp(io->name, "GEM_CLOSE");
}

/* Resources a successful call created or destroyed. */
static void post_call(struct pf_ctx *c, const struct pf_call *call)
{
	const struct pu_struct *s = call->io->arg;
	uint32_t i;

	if (c->be->log) {
		char line[160];

		if (call->skip)
			snprintf(line, sizeof(line), "%s%s(size %u): filtered (known bug)",
				 call->file ? "[file 1] " : "", call->io->name, call->size);
		else
			snprintf(line, sizeof(line), "%s%s(size %u) = %d%s%s",
				 call->file ? "[file 1] " : "", call->io->name, call->size,
				 call->ret, call->ret < 0 ? " " : "",
				 call->ret < 0 ? strerror(call->err) : "");
		c->be->log(c->be->ctx, line);
	}
	c->st->calls++;
	if (call->skip || call->ret < 0)
		return;
	c->st->ok++;
	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		uint64_t v;

		if (f->kind != PU_HANDLE || !pu_field_in(f, call->size))
			continue;
		v = pu_get(f, call->arg);
		if (is_destroy(call->io) && f->dir == PU_IN) {
			res_kill(c, call->file, f->handle, (uint32_t)v);
		} else if (f->dir == PU_OUT ||
			   (f->dir == PU_INOUT && name_is(call->io->name, "TO_FD") &&
			    f->handle == PU_H_FD) ||
			   (f->dir == PU_INOUT && name_is(call->io->name, "TO_HANDLE") &&
			    f->handle != PU_H_FD)) {
			uint64_t aux = 0;
			const struct pu_field *sz = pu_field_by_name(s, "size");

			if (sz && pu_field_in(sz, call->size))
				aux = pu_get(sz, call->arg);
			res_add(c, call->file, f->handle, (uint32_t)v, aux);
		}
	}
}

static void run_calls(struct pf_ctx *c, struct pf_call *calls, int n)
{
	struct pf_exec ex[2];
	void *args[2];
	int i;

	for (i = 0; i < n; i++) {
		budget(c, &calls[i]);
		calls[i].skip = suppress(c, &calls[i]);
		ex[i] = (struct pf_exec){ c, &calls[i] };
		args[i] = &ex[i];
	}
	if (c->fail_nth && c->be->fail_nth)
		c->be->fail_nth(c->be->ctx, c->fail_nth);
	c->fail_nth = 0;
	if (n == 2 && c->be->run) {
		c->be->run(c->be->ctx, exec_thunk, args, 2);
		c->st->races++;
	} else {
		for (i = 0; i < n; i++)
			exec_thunk(args[i]);
	}
	if (c->be->fail_nth)
		c->be->fail_nth(c->be->ctx, 0);
	for (i = 0; i < n; i++)
		post_call(c, &calls[i]);
}

/* ---- pseudo-calls ----------------------------------------------------------------- */

/* A direct helper call (not fuzzed) on the main file: the ioctl's result. */
static int helper(struct pf_ctx *c, unsigned long req, void *arg)
{
	return c->be->ioctl(c->be->ctx, 0, req, arg);
}

/* Command-stream instruction encoding (docs/cs-isa.md, section 2). */
static uint64_t cs_op(uint32_t op, uint64_t payload)
{
	return ((uint64_t)op << 56) | (payload & 0x00ffffffffffffffull);
}

#define F(v, pos)	((uint64_t)(v) << (pos))

static uint64_t gen_instr(struct pf_ctx *c, uint64_t data_va)
{
	uint8_t k = in8(&c->in) % 16;
	uint32_t r = (in8(&c->in) % 48) & ~1u, s = (in8(&c->in) % 48) & ~1u;

	switch (k) {
	case 0: return cs_op(1, F(r, 48) | (data_va + 8 * (in8(&c->in) % 64)));	/* MOVE48 */
	case 1: return cs_op(1, F(r, 48) | (gen_va(c) & 0xffffffffffffull));
	case 2: return cs_op(2, F(r, 48) | in32(&c->in));			/* MOVE32 */
	case 3: return cs_op(21, F(s, 48) | F(r, 40) | F(in8(&c->in), 16));	/* STORE */
	case 4: return cs_op(20, F(s, 48) | F(r, 40) | F(in8(&c->in), 16));	/* LOAD */
	case 5: return cs_op(3, F(in8(&c->in), 16));				/* WAIT */
	case 6: return cs_op(51 + in8(&c->in) % 2, F(r, 40) | F(s, 32) | (in8(&c->in) & 1));
	case 7: return cs_op(37 + in8(&c->in) % 2, F(r, 40) | F(s, 32) | (in8(&c->in) & 1));
	case 8: return cs_op(53 - 14 * (in8(&c->in) % 2),			/* SYNC_WAIT */
			     F(in8(&c->in) % 2, 28) | F(r, 40) | F(s, 32));
	case 9: return cs_op(36, F(r, 40) | 0x233);				/* FLUSH_CACHE2 */
	case 10: return cs_op(22, F(in8(&c->in) % 8, 28) | F(r, 40) |		/* BRANCH */
			      (uint16_t)(int16_t)((int8_t)in8(&c->in)));
	case 11: return cs_op(32 + in8(&c->in) % 2, F(r, 40) | F(s, 32));	/* CALL/JUMP */
	case 12: return cs_op(48 + in8(&c->in) % 2, F(r, 40) | F(in8(&c->in) % 4, 32));
	case 13: return cs_op(5, 0);						/* RUN_TILING */
	case 14: return cs_op(16 + in8(&c->in) % 2, F(r, 48) | F(s, 40) | (int8_t)in8(&c->in));
	default: return in64(&c->in);						/* anything */
	}
}

/*
 * A real command stream: a 64 KiB BO, CPU-mapped and filled, bound in a
 * VM (an existing one or a new one) at one of the fuzzer's VA windows.
 */
static void pseudo_cs(struct pf_ctx *c)
{
	uint8_t vmsel = in8(&c->in), slot = in8(&c->in) % PF_VA_SLOTS;
	uint32_t n = 1 + in8(&c->in) % 24, i, vm;
	const struct pf_res *r = vmsel < 200 ? res_pick(c, 0, PU_H_VM, true) : NULL;
	uint64_t va = PF_VA_BASE + slot * PF_VA_STEP, *w;
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_panthor_bo_create bo = { .size = 0x10000 };
	struct drm_panthor_vm_create vc = { 0 };
	struct drm_panthor_vm_bind_op op = { 0 };
	struct drm_panthor_vm_bind bind = { 0 };

	if (r) {
		vm = r->v;
	} else {
		if (helper(c, DRM_IOCTL_PANTHOR_VM_CREATE, &vc) < 0)
			return;
		vm = vc.id;
		res_add(c, 0, PU_H_VM, vm, 0);
	}
	if (helper(c, DRM_IOCTL_PANTHOR_BO_CREATE, &bo) < 0)
		return;
	res_add(c, 0, PU_H_BO, bo.handle, bo.size);
	mo.handle = bo.handle;
	if (helper(c, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo) < 0)
		return;
	w = c->be->mmap(c->be->ctx, 0, mo.offset, bo.size);
	if (!w)
		return;
	for (i = 0; i < n; i++)
		w[i] = gen_instr(c, va + 0x8000);
	c->be->munmap(c->be->ctx, w, bo.size);
	op.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
	op.bo_handle = bo.handle;
	op.va = va;
	op.size = bo.size;
	bind.vm_id = vm;
	bind.ops = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &op);
	if (helper(c, DRM_IOCTL_PANTHOR_VM_BIND, &bind) < 0)
		return;
	c->st->cs_built++;
	c->streams[c->nstreams < PF_MAX_STREAMS ? c->nstreams++ : slot % PF_MAX_STREAMS] =
		(struct pf_stream){ va, n * 8 };
}

/* A group that passes GROUP_CREATE's checks, on a VM of the program. */
static void pseudo_group(struct pf_ctx *c)
{
	const struct pf_res *r = res_pick(c, 0, PU_H_VM, true);
	struct drm_panthor_queue_create q[3];
	struct drm_panthor_group_create g = { 0 };
	struct drm_panthor_vm_create vc = { 0 };
	uint32_t nq = 1 + in8(&c->in) % 3, i;

	if (!r) {
		if (helper(c, DRM_IOCTL_PANTHOR_VM_CREATE, &vc) < 0)
			return;
		res_add(c, 0, PU_H_VM, vc.id, 0);
	}
	for (i = 0; i < nq; i++)
		q[i] = (struct drm_panthor_queue_create){
			.priority = in8(&c->in) % 16,
			.ringbuf_size = 4096u << (in8(&c->in) % 5),
		};
	g.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(nq, q);
	g.max_compute_cores = 1 + in8(&c->in) % 2;
	g.max_fragment_cores = 1 + in8(&c->in) % 2;
	g.max_tiler_cores = 1;
	g.priority = in8(&c->in) % 3;
	g.compute_core_mask = 0x50005;
	g.fragment_core_mask = 0x50005;
	g.tiler_core_mask = 1;
	g.vm_id = r ? r->v : vc.id;
	if (helper(c, DRM_IOCTL_PANTHOR_GROUP_CREATE, &g) < 0)
		return;
	res_add(c, 0, PU_H_GROUP, g.group_handle, nq);
}

/*
 * A job: GROUP_SUBMIT of a command stream of the program (built if there
 * is none) to a group (made if there is none), signalling a new syncobj,
 * which is then waited for briefly.
 */
static void pseudo_job(struct pf_ctx *c)
{
	struct drm_panthor_sync_op sync = { .flags = DRM_PANTHOR_SYNC_OP_SIGNAL };
	struct drm_panthor_queue_submit qs = { 0 };
	struct drm_panthor_group_submit gs = { 0 };
	struct drm_syncobj_create sc = { 0 };
	struct drm_syncobj_wait w = { 0 };
	const struct pf_res *g;
	const struct pf_stream *st;

	if (!c->nstreams)
		pseudo_cs(c);
	g = res_pick(c, 0, PU_H_GROUP, true);
	if (!g) {
		pseudo_group(c);
		g = res_pick(c, 0, PU_H_GROUP, true);
	}
	if (!g || !c->nstreams)
		return;
	st = &c->streams[in8(&c->in) % c->nstreams];
	if (helper(c, DRM_IOCTL_SYNCOBJ_CREATE, &sc) < 0)
		return;
	res_add(c, 0, PU_H_SYNCOBJ, sc.handle, 0);
	sync.handle = sc.handle;
	qs.queue_index = in8(&c->in) % (g->aux ? g->aux : 1);
	qs.stream_addr = st->va;
	qs.stream_size = st->size;
	qs.syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &sync);
	gs.group_handle = g->v;
	gs.queue_submits = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &qs);
	if (helper(c, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs) < 0)
		return;
	c->st->jobs++;
	if (in8(&c->in) < 128) {
		w.handles = uptr(&sc.handle);
		w.count_handles = 1;
		w.timeout_nsec = (int64_t)(now_ns() + (uint64_t)(in8(&c->in) % 16) * 200000ull);
		helper(c, DRM_IOCTL_SYNCOBJ_WAIT, &w);
	}
}

/* Map a BO the program has and touch it (the driver's mmap and fault paths). */
static void pseudo_mmap(struct pf_ctx *c)
{
	const struct pf_res *r = res_pick(c, 0, PU_H_BO, in8(&c->in) < 220);
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	uint64_t size;
	uint8_t *p;

	if (!r)
		return;
	mo.handle = r->v;
	if (helper(c, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo) < 0)
		return;
	size = r->aux ? r->aux : 0x1000;
	if (size > (16u << 20))
		size = 16u << 20;
	p = c->be->mmap(c->be->ctx, 0, mo.offset, size);
	if (!p)
		return;
	p[0] = in8(&c->in);
	p[size - 1] = in8(&c->in);
	c->be->munmap(c->be->ctx, p, size);
}

enum {
	PF_P_CS, PF_P_MMAP, PF_P_RACE, PF_P_FAILNTH, PF_P_FOREIGN, PF_P_SLEEP, PF_P_GROUP,
	PF_P_JOB, PF_NPSEUDO,
};

int pf_run(const struct pf_backend *be, const struct pf_options *opt,
	   const uint8_t *data, size_t size, struct pf_stats *stats, size_t *starts)
{
	struct pf_ctx *c = calloc(1, sizeof(*c));
	struct pf_call *calls = malloc(2 * sizeof(*calls));
	unsigned int ncalls = 0, nops = (unsigned int)pu_nioctls + PF_NPSEUDO, op;

	if (!c || !calls || arena_init()) {
		free(c);
		free(calls);
		return -1;
	}
	c->be = be;
	c->opt = opt;
	c->st = stats;
	c->in = (struct pf_in){ data, size, 0 };
	while (!in_done(&c->in) && ncalls < PF_MAX_CALLS) {
		op = in8(&c->in) % nops;
		if (starts)
			starts[ncalls] = c->in.off - 1;
		ncalls++;
		c->arena_used = 0;
		if (op < pu_nioctls) {
			gen_call(c, &calls[0], op);
			run_calls(c, calls, 1);
			continue;
		}
		if (be->log) {
			static const char *const names[PF_NPSEUDO] = {
				"CS", "MMAP", "RACE", "FAILNTH", "FOREIGN", "SLEEP", "GROUP", "JOB",
			};
			char line[64];

			snprintf(line, sizeof(line), "-- %s", names[op - pu_nioctls]);
			be->log(be->ctx, line);
		}
		switch (op - pu_nioctls) {
		case PF_P_CS:
			pseudo_cs(c);
			break;
		case PF_P_MMAP:
			pseudo_mmap(c);
			break;
		case PF_P_RACE:
			gen_call(c, &calls[0], in8(&c->in));
			gen_call(c, &calls[1], in8(&c->in));
			run_calls(c, calls, 2);
			break;
		case PF_P_FAILNTH:
			if (opt->fail_nth)
				c->fail_nth = 1 + in8(&c->in) % 32;
			break;
		case PF_P_FOREIGN:
			c->second_file = true;
			break;
		case PF_P_GROUP:
			pseudo_group(c);
			break;
		case PF_P_JOB:
			pseudo_job(c);
			break;
		case PF_P_SLEEP:
			if (be->sleep_us && opt->max_sleep_us)
				be->sleep_us(be->ctx, in8(&c->in) * opt->max_sleep_us / 255);
			break;
		}
	}
	if (starts)
		starts[ncalls] = size;
	/* File descriptors the program got (dma-bufs, syncobj fds) */
	for (op = 0; op < 2; op++) {
		const struct pf_table *t = &c->res[op][PU_H_FD];
		unsigned int i;

		for (i = 0; i < t->n; i++)
			if (t->r[i].live)
				be->close_fd(be->ctx, (int)t->r[i].v);
	}
	free(calls);
	free(c);
	return (int)ncalls;
}
