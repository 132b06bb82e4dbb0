// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * pantrace replay engine (see replay.h). Everything the trace says is
 * checked before use: a malformed record is an error with its sequence
 * number, never a wild pointer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "replay.h"

#define BAD_WINDOW	(2u << 20)

static int fail(struct rp_dev *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- small hash maps: 64-bit key -> 64-bit value, with deletion ---- */

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static struct rp_kv *kv_slot(struct rp_kv *t, uint32_t cap, uint64_t key, int for_insert)
{
	uint32_t i = (uint32_t)mix(key) & (cap - 1), n;
	struct rp_kv *tomb = NULL;

	for (n = 0; n < cap; n++, i = (i + 1) & (cap - 1)) {
		if (!t[i].used)
			return for_insert && tomb ? tomb : (for_insert ? &t[i] : NULL);
		if (t[i].dead) {
			if (!tomb)
				tomb = &t[i];
			continue;
		}
		if (t[i].key == key)
			return &t[i];
	}
	return for_insert ? tomb : NULL;
}

static int kv_put(struct rp_kv **t, uint32_t *cap, uint32_t *count, uint64_t key, uint64_t val)
{
	struct rp_kv *s;

	if ((*count + 1) * 2 > *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 256, i;
		struct rp_kv *nt = calloc(ncap, sizeof(*nt));

		if (!nt)
			return -1;
		for (i = 0; i < *cap; i++) {
			if ((*t)[i].used && !(*t)[i].dead) {
				s = kv_slot(nt, ncap, (*t)[i].key, 1);
				*s = (*t)[i];
			}
		}
		free(*t);
		*t = nt;
		*cap = ncap;
		*count = 0;
		for (i = 0; i < ncap; i++)
			*count += nt[i].used;
	}
	s = kv_slot(*t, *cap, key, 1);
	if (!s->used || s->dead)
		(*count)++;
	s->used = 1;
	s->dead = 0;
	s->key = key;
	s->val = val;
	return 0;
}

static int kv_get(struct rp_kv *t, uint32_t cap, uint64_t key, uint64_t *val)
{
	struct rp_kv *s = cap ? kv_slot(t, cap, key, 0) : NULL;

	if (!s)
		return 0;
	*val = s->val;
	return 1;
}

static void kv_del(struct rp_kv *t, uint32_t cap, uint64_t key)
{
	struct rp_kv *s = cap ? kv_slot(t, cap, key, 0) : NULL;

	if (s)
		s->dead = 1;
}

static uint64_t hkey(uint32_t file, uint32_t kind, uint64_t tval)
{
	return (uint64_t)file << 40 | (uint64_t)kind << 32 | (tval & 0xffffffffu);
}

/* mmap offsets are page multiples below 2^52 */
static uint64_t okey(uint32_t file, uint64_t offset)
{
	return (uint64_t)file << 52 ^ offset >> 12;
}

/* ---- setup ---- */

int rp_init(struct rp_dev *d, const char *name, const char *path)
{
	int i;

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->path, sizeof(d->path), "%s", path);
	for (i = 0; i < RP_MAX_TFD; i++)
		d->fd[i] = -1;
	d->bad = mmap(NULL, BAD_WINDOW, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		      -1, 0);
	if (d->bad == MAP_FAILED)
		return fail(d, "cannot reserve the fault window: %s", strerror(errno));
	return 0;
}

void rp_fini(struct rp_dev *d)
{
	uint32_t i;

	for (i = 0; i < d->nmaps; i++) {
		if (d->maps[i].raddr)
			munmap(d->maps[i].raddr, d->maps[i].len);
		free(d->maps[i].shadow);
	}
	for (i = 0; i < RP_MAX_TFD; i++)
		if (d->fd[i] >= 0)
			close(d->fd[i]);
	free(d->h);
	free(d->offs);
	free(d->maps);
	if (d->bad && d->bad != MAP_FAILED)
		munmap(d->bad, BAD_WINDOW);
}

static int tfd_ok(struct rp_dev *d, uint32_t tfd)
{
	if (tfd >= RP_MAX_TFD)
		return fail(d, "trace fd %u out of range", tfd);
	if (d->fd[tfd] < 0)
		return fail(d, "trace fd %u is not open", tfd);
	return 0;
}

int rp_open(struct rp_dev *d, const struct pt_open *o)
{
	if (o->fd >= RP_MAX_TFD)
		return fail(d, "trace fd %u out of range", o->fd);
	if (d->fd[o->fd] >= 0)
		close(d->fd[o->fd]);
	d->fd[o->fd] = open(d->path, O_RDWR | O_CLOEXEC);
	if (d->fd[o->fd] < 0)
		return fail(d, "%s: %s", d->path, strerror(errno));
	if (!d->drv_known) {
		struct drm_version v = { .name_len = sizeof(d->drv_name) - 1, .name = d->drv_name };

		if (!ioctl(d->fd[o->fd], DRM_IOCTL_VERSION, &v)) {
			d->drv_known = 1;
			d->drv_major = v.version_major;
			d->drv_minor = v.version_minor;
			d->drv_patch = v.version_patchlevel;
			d->drv_name[v.name_len < sizeof(d->drv_name) ? v.name_len :
				    sizeof(d->drv_name) - 1] = 0;
		}
	}
	d->file[o->fd] = ++d->nfiles;
	return 0;
}

int rp_close(struct rp_dev *d, uint32_t tfd)
{
	if (tfd_ok(d, tfd))
		return -1;
	close(d->fd[tfd]);
	d->fd[tfd] = -1;
	return 0;
}

int rp_dup(struct rp_dev *d, uint32_t oldfd, uint32_t newfd)
{
	if (tfd_ok(d, oldfd))
		return -1;
	if (newfd >= RP_MAX_TFD)
		return fail(d, "trace fd %u out of range", newfd);
	if (d->fd[newfd] >= 0)
		close(d->fd[newfd]);
	d->fd[newfd] = dup(d->fd[oldfd]);
	if (d->fd[newfd] < 0)
		return fail(d, "dup: %s", strerror(errno));
	d->file[newfd] = d->file[oldfd];
	return 0;
}

/* ---- memory ---- */

static struct rp_map *find_map(struct rp_dev *d, uint64_t taddr, uint64_t len)
{
	uint32_t i;

	for (i = 0; i < d->nmaps; i++) {
		struct rp_map *m = &d->maps[i];

		if (m->raddr && taddr >= m->taddr && taddr - m->taddr <= m->len &&
		    len <= m->len - (taddr - m->taddr))
			return m;
	}
	return NULL;
}

int rp_mmap(struct rp_dev *d, const struct pt_mmap *m, int *ok)
{
	uint64_t off = m->offset, v;
	void *p;
	uint32_t i;

	*ok = 0;
	if (tfd_ok(d, m->fd))
		return -1;
	if (kv_get(d->offs, d->ocap, okey(d->file[m->fd], m->offset), &v))
		off = v;
	if (!m->length || m->length > (1ull << 40))
		return 0;	/* what the recording did: fails (EINVAL) here too */
	p = mmap(NULL, m->length, (int)m->prot, (int)(m->flags & ~(uint32_t)MAP_FIXED),
		 d->fd[m->fd], (off_t)off);
	if (p == MAP_FAILED)
		return 0;
	*ok = 1;
	if (!m->addr) {		/* failed when recorded: nothing will refer to it */
		munmap(p, m->length);
		return 0;
	}
	for (i = 0; i < d->nmaps && d->maps[i].raddr; i++)
		;
	if (i == d->mapcap) {
		uint32_t ncap = d->mapcap ? d->mapcap * 2 : 64;
		struct rp_map *nm = realloc(d->maps, ncap * sizeof(*nm));

		if (!nm) {
			munmap(p, m->length);
			return fail(d, "out of memory");
		}
		d->maps = nm;
		d->mapcap = ncap;
	}
	if (i == d->nmaps)
		d->nmaps++;
	d->maps[i].taddr = m->addr;
	d->maps[i].len = m->length;
	d->maps[i].raddr = p;
	d->maps[i].prot = m->prot;
	d->maps[i].shadow = NULL;
	if ((m->prot & PROT_READ) && m->length <= (256u << 20)) {
		/* what the kernel gave the recording is what it gave us */
		d->maps[i].shadow = malloc(m->length);
		if (d->maps[i].shadow)
			memcpy(d->maps[i].shadow, p, m->length);
	}
	return 0;
}

int rp_munmap(struct rp_dev *d, uint64_t taddr, uint64_t len)
{
	uint32_t i;

	for (i = 0; i < d->nmaps; i++) {
		if (d->maps[i].raddr && d->maps[i].taddr == taddr) {
			munmap(d->maps[i].raddr, len < d->maps[i].len ? d->maps[i].len : len);
			d->maps[i].raddr = NULL;
			free(d->maps[i].shadow);
			d->maps[i].shadow = NULL;
			return 0;
		}
	}
	return 0;	/* never mapped here (the recorded mmap failed) */
}

/* Replace kernel-chosen VAs of the recording by this device's, 8-byte aligned. */
static void patch_kvals(struct rp_dev *d, uint8_t *p, uint32_t len)
{
	uint32_t o, k;

	for (o = 0; d->nkv && o + 8 <= len; o += 8) {
		uint64_t v;

		memcpy(&v, p + o, 8);
		for (k = 0; k < d->nkv; k++) {
			if (v == d->kv_t[k]) {
				memcpy(p + o, &d->kv_r[k], 8);
				break;
			}
		}
	}
}

int rp_bo_data(struct rp_dev *d, const struct pt_bo_data *b, int write, const uint8_t **cur)
{
	const uint8_t *src = b->bytes;
	uint8_t *dst, *sh, *patched = NULL;
	struct rp_map *m;
	uint64_t off;
	uint32_t i;

	*cur = NULL;
	if (b->offset > UINT64_MAX - b->map_addr)
		return fail(d, "BO_DATA range overflows");
	m = find_map(d, b->map_addr + b->offset, b->len);
	if (!m)
		return 0;
	off = b->map_addr + b->offset - m->taddr;
	dst = m->raddr + off;
	*cur = (m->prot & PROT_READ) ? dst : NULL;
	if (!write || !(m->prot & PROT_WRITE))
		return 0;
	if (d->nkv && (b->map_addr + b->offset) % 8 == 0) {
		patched = malloc(b->len ? b->len : 1);
		if (!patched)
			return fail(d, "out of memory");
		memcpy(patched, b->bytes, b->len);
		patch_kvals(d, patched, b->len);
		src = patched;
	}
	sh = m->shadow ? m->shadow + off : NULL;
	for (i = 0; i < b->len; i++) {
		if (!sh) {
			dst[i] = src[i];
		} else if (sh[i] != src[i]) {
			if (!(m->prot & PROT_READ) || dst[i] == sh[i])
				dst[i] = src[i];
			sh[i] = src[i];
		}
	}
	free(patched);
	return 0;
}

/* ---- ioctls ---- */

int rp_skip_record(const struct pt_ioctl *io)
{
	/* libdrm's drmIoctl() restarts interrupted calls: the restart is recorded too */
	return io->ret && io->err == EINTR;
}

static void *scratch(struct rp_dev *d, size_t len)
{
	void *p;

	if (d->nscratch == sizeof(d->scratch) / sizeof(d->scratch[0]))
		return NULL;
	p = calloc(1, len ? len : 1);
	if (p)
		d->scratch[d->nscratch++] = p;
	return p;
}

static void free_scratch(struct rp_dev *d)
{
	while (d->nscratch)
		free(d->scratch[--d->nscratch]);
}

static uint64_t bad_addr(struct rp_dev *d, uint64_t taddr)
{
	return (uint64_t)(uintptr_t)d->bad + (taddr & 0xfff);
}

static void put_field(const struct pu_field *f, uint8_t *arg, uint64_t v)
{
	memcpy(arg + f->offset, &v, f->size < 8 ? f->size : 8);
}

static uint64_t map_handle(struct rp_dev *d, uint32_t file, uint32_t kind, uint64_t tval)
{
	uint64_t v;

	if (kind == PU_H_FD)
		file = 0;	/* fds are per process, not per DRM file */
	return kv_get(d->h, d->hcap, hkey(file, kind, tval), &v) ? v : tval;
}

/* In-handles of struct @s in @arg (@len bytes valid) to this device's. */
static void remap_in(struct rp_dev *d, uint32_t file, const struct pu_struct *s, uint8_t *arg,
		     uint32_t len)
{
	uint32_t i;

	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];

		if (f->kind == PU_HANDLE && (f->dir & PU_IN) && f->offset + f->size <= len)
			put_field(f, arg, map_handle(d, file, f->handle, pu_get(f, arg)));
	}
}

struct outbuf {
	uint64_t taddr;
	uint32_t len;
	uint8_t *buf;
};

/*
 * Rebuild the memory struct @s at @arg points at: obj arrays (recursively)
 * and user pointers, with handles remapped. Output buffers go to @ob.
 */
static int build_mem(struct rp_dev *d, uint32_t file, const struct pt_ioctl *io,
		     const struct pu_struct *s, uint8_t *arg, uint32_t len, int depth,
		     struct outbuf *ob, uint32_t *nob)
{
	uint32_t i, k;

	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		const struct pt_mem *blk;
		uint64_t ta, n;
		uint8_t *buf;

		if (!pu_field_in(f, len))
			continue;
		if (f->kind == PU_OBJ_ARRAY) {
			struct drm_panthor_obj_array a;

			memcpy(&a, arg + f->offset, sizeof(a));
			n = (uint64_t)a.count * a.stride;
			if (!a.array || !n)
				continue;
			blk = pt_find_mem(io, a.array, PT_MEM_READ);
			if (!blk || blk->len != n || depth > 2) {
				a.array = bad_addr(d, a.array);
			} else {
				buf = scratch(d, n);
				if (!buf)
					return fail(d, "out of memory");
				memcpy(buf, blk->bytes, n);
				for (k = 0; k < a.count; k++) {
					uint8_t *e = buf + (size_t)k * a.stride;
					uint32_t el = pu_known_len(f->elem, a.stride);

					remap_in(d, file, f->elem, e, el);
					if (build_mem(d, file, io, f->elem, e, el, depth + 1, ob, nob))
						return -1;
				}
				a.array = (uint64_t)(uintptr_t)buf;
			}
			memcpy(arg + f->offset, &a, sizeof(a));
			continue;
		}
		if (f->kind != PU_UPTR)
			continue;
		ta = pu_get(f, arg);
		n = pu_uptr_len(s, f, arg);
		/* the recorder captured every valid pointer's memory before the call */
		blk = ta ? pt_find_mem(io, ta, PT_MEM_READ) : NULL;
		if ((f->attr & PU_A_STRING) && blk)
			n = blk->len;	/* a string: as long as the recorder found it */
		else if ((f->attr & PU_A_STRING) && ta)
			n = 1;		/* unreadable or unterminated when recorded */
		if (!ta || !n)
			continue;
		if (!blk || blk->len != n) {
			put_field(f, arg, bad_addr(d, ta));
			continue;
		}
		buf = scratch(d, n);
		if (!buf)
			return fail(d, "out of memory");
		memcpy(buf, blk->bytes, n);
		for (k = 0; f->handle && f->elem_size == 4 && k < n / 4; k++) {
			uint32_t h;

			memcpy(&h, buf + 4 * k, 4);
			h = (uint32_t)map_handle(d, file, f->handle, h);
			memcpy(buf + 4 * k, &h, 4);
		}
		if ((f->mem_dir & PU_OUT) && *nob < RP_MAX_OUTMEM) {
			ob[*nob].taddr = ta;
			ob[*nob].len = (uint32_t)n;
			ob[*nob].buf = buf;
			(*nob)++;
		}
		put_field(f, arg, (uint64_t)(uintptr_t)buf);
	}
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * syncobj waits take absolute CLOCK_MONOTONIC times (timeout, deadline):
 * keep their distance from the call's start
 */
static void move_deadline(const struct pu_struct *s, uint8_t *arg, uint32_t len,
			  const struct pt_ioctl *io)
{
	uint64_t now = now_ns();
	uint32_t i;

	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		int64_t t;

		if (!(f->attr & PU_A_ABSTIME) || f->size != 8 || !pu_field_in(f, len))
			continue;
		t = (int64_t)pu_get(f, arg);
		if (t <= 0 || t == INT64_MAX)
			continue;
		t = (int64_t)now + (t - (int64_t)io->t_start);
		put_field(f, arg, (uint64_t)t);
	}
}

static int is_destroy(const struct pu_ioctl *pi)
{
	return strstr(pi->name, "DESTROY") || !strcmp(pi->name, "GEM_CLOSE");
}

/* After a call that succeeded both times: learn and forget ids. */
static int learn(struct rp_dev *d, uint32_t file, const struct pu_ioctl *pi,
		 const struct pt_ioctl *io, const uint8_t *rin, const uint8_t *rout)
{
	const struct pu_struct *s = pi->arg;
	uint32_t i, len = pu_known_len(s, io->arg_len);

	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		uint64_t tin, tout, rv;
		uint32_t fl;

		if (!pu_field_in(f, len))
			continue;
		tin = pu_get(f, io->arg_in);
		tout = pu_get(f, io->arg_out);
		rv = pu_get(f, rout);
		fl = f->handle == PU_H_FD ? 0 : file;
		if (f->kind == PU_HANDLE && (f->dir & PU_OUT) && (f->dir == PU_OUT || tin != tout)) {
			if (kv_put(&d->h, &d->hcap, &d->hcount, hkey(fl, f->handle, tout), rv))
				return fail(d, "out of memory");
		} else if (f->kind == PU_HANDLE && is_destroy(pi)) {
			kv_del(d->h, d->hcap, hkey(fl, f->handle, tin));
		}
	}
	(void)rin;
	if (pu_same_nr(io->request, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET) &&
	    io->arg_len >= sizeof(struct drm_panthor_bo_mmap_offset)) {
		struct drm_panthor_bo_mmap_offset t, r;

		memcpy(&t, io->arg_out, sizeof(t));
		memcpy(&r, rout, sizeof(r));
		if (kv_put(&d->offs, &d->ocap, &d->ocount, okey(file, t.offset), r.offset))
			return fail(d, "out of memory");
	}
	if (pu_same_nr(io->request, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE) &&
	    io->arg_len >= sizeof(struct drm_panthor_tiler_heap_create)) {
		struct drm_panthor_tiler_heap_create t, r;

		memcpy(&t, io->arg_out, sizeof(t));
		memcpy(&r, rout, sizeof(r));
		if (t.tiler_heap_ctx_gpu_va != r.tiler_heap_ctx_gpu_va && d->nkv < 63) {
			d->kv_t[d->nkv] = t.tiler_heap_ctx_gpu_va;
			d->kv_r[d->nkv++] = r.tiler_heap_ctx_gpu_va;
		}
		if (t.first_heap_chunk_gpu_va != r.first_heap_chunk_gpu_va && d->nkv < 63) {
			d->kv_t[d->nkv] = t.first_heap_chunk_gpu_va;
			d->kv_r[d->nkv++] = r.first_heap_chunk_gpu_va;
		}
	}
	return 0;
}

int rp_ioctl(struct rp_dev *d, const struct pt_ioctl *io, struct rp_out *out)
{
	/* by type and nr: a size the table does not know is decoded as far as both know */
	const struct pu_ioctl *pi = pu_ioctl_lookup(io->request);
	struct outbuf ob[RP_MAX_OUTMEM];
	uint8_t arg[PT_MAX_ARG], in[PT_MAX_ARG];
	uint32_t nob = 0, file, i, known;
	int r;

	free_scratch(d);
	memset(out, 0, sizeof(*out));
	if (tfd_ok(d, io->fd))
		return -1;
	if (io->arg_len > PT_MAX_ARG || _IOC_SIZE(io->request) != io->arg_len)
		return fail(d, "argument size %u does not match request %#llx", io->arg_len,
			    (unsigned long long)io->request);
	file = d->file[io->fd];
	memcpy(arg, io->arg_in, io->arg_len);
	/* bytes past what the table knows are passed as recorded */
	known = pi ? pu_known_len(pi->arg, io->arg_len) : 0;
	out->unknown = !pi;
	if (known) {
		remap_in(d, file, pi->arg, arg, known);
		if (build_mem(d, file, io, pi->arg, arg, known, 0, ob, &nob))
			return -1;
		move_deadline(pi->arg, arg, known, io);
	}
	memcpy(in, arg, io->arg_len);
	do {
		void *argp = io->arg_len ? arg : NULL;

		if (io->flags & PT_IOCTL_ARG_UNREADABLE)
			argp = d->bad;
		r = ioctl(d->fd[io->fd], (unsigned long)io->request, argp);
	} while (r == -1 && (errno == EINTR || errno == EAGAIN) &&
		 !(io->ret && io->err == EAGAIN));
	out->ret = r;
	out->err = r ? errno : 0;
	out->arg_len = io->arg_len;
	memcpy(out->arg, arg, io->arg_len);
	for (i = 0; i < nob; i++) {
		out->mem[i].taddr = ob[i].taddr;
		out->mem[i].len = ob[i].len;
		out->mem[i].bytes = ob[i].buf;
	}
	out->nmem = nob;
	if (!r && !io->ret && known)
		return learn(d, file, pi, io, in, arg);
	return 0;
}

void rp_out_from_trace(const struct pt_ioctl *io, struct rp_out *out)
{
	uint32_t i;

	memset(out, 0, sizeof(*out));
	out->ret = io->ret;
	out->err = io->ret ? io->err : 0;
	out->arg_len = io->arg_len;
	memcpy(out->arg, io->arg_out, io->arg_len);
	for (i = 0; i < io->nmem && out->nmem < RP_MAX_OUTMEM; i++) {
		if (io->mem[i].dir != PT_MEM_WRITTEN)
			continue;
		out->mem[out->nmem].taddr = io->mem[i].addr;
		out->mem[out->nmem].len = io->mem[i].len;
		out->mem[out->nmem].bytes = io->mem[i].bytes;
		out->nmem++;
	}
}
