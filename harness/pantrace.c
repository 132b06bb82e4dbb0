// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * pantrace - record, dump, replay, diff and compare Panthor uAPI traces
 * (harness/FORMAT.md).
 *
 *   pantrace record [-o FILE] -- CMD [ARG...]    run CMD under the recorder
 *   pantrace dump FILE                           strace-like decoding
 *   pantrace replay FILE... [--device DEV]       replay, diff against the recording
 *   pantrace compare FILE... --a DEV --b DEV     replay on two devices in lockstep
 *   pantrace diff A B                            compare two recordings offline
 *
 * DEV is a device node (/dev/dri/renderD129) or driver:NAME, the render node
 * whose device is bound to kernel driver NAME (default driver:panthor).
 * Report options (replay, compare, diff): --policy FILE (default: the
 * built-in harness/pantrace.policy), --other-hardware (hw values are not
 * compared), --json FILE, --junit FILE, --ktap FILE, --expect (compare the
 * differences with FILE's .expect file: see corpus/README.md), -q (summary
 * only), --inject SEQ:WHAT (test-only: alter the replay's result of record
 * SEQ; WHAT is result=-ERRNO, FIELD=VALUE, drop (report the recorded result
 * without issuing the call), or mem+OFF (flip a byte of the replay's memory
 * at a BO_DATA record)).
 *
 * dump decodes every record through the uAPI description table
 * (harness/uapi.c), at whatever size the program's headers gave each
 * struct (FORMAT.md, "Sizes"), and says which uAPI version and kernel the
 * trace was recorded against. replay/compare issue an ioctl the table does
 * not know as recorded (a warning once per number) and report a call newer
 * than the driver's uAPI version that the driver answers differently as
 * CALL.unsupported (see harness/pantrace.policy). A truncated or corrupt trace prints or replays every
 * complete record, then says what is wrong and where. Exit status: 0 fine,
 * 1 differences (or expectations not met), 2 usage, 3 truncated trace,
 * 4 corrupt trace, 5 replay error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "csdis.h"
#include "differ.h"
#include "drmnode.h"
#include "replay.h"
#include "toc.h"
#include "trace.h"
#include "uapi.h"

static FILE *pout;	/* where decoded records go */
static struct pt_mem memv[PT_MAX_MEM];

static uint64_t get(const uint8_t *p, uint32_t size)
{
	uint64_t v = 0;

	memcpy(&v, p, size < 8 ? size : 8);
	return v;
}

/*
 * The uAPI minor the dumped trace was recorded against: values a later
 * version gave a name to are printed as numbers (a 1.0 driver's pad0 is no
 * selected_coherency, bit 1 of its BO flags no WB_MMAP).
 */
static unsigned int dump_minor = PU_NEWEST_MINOR;

static void print_value(const struct pu_field *f, uint64_t v)
{
	const struct pu_value *pv;
	uint64_t rest = v;
	int first = 1;

	for (pv = f->values; f->kind == PU_ENUM && pv && pv->name; pv++) {
		if (pv->value == v && pv->minor <= dump_minor) {
			fprintf(pout, "%s", pv->name);
			return;
		}
	}
	if (f->kind == PU_FLAGS && v) {
		for (pv = f->values; pv && pv->name; pv++) {
			if (pv->minor > dump_minor)
				continue;
			if (pv->value && (v & pv->value) == pv->value) {
				fprintf(pout, "%s%s", first ? "" : "|", pv->name);
				rest &= ~pv->value;
				first = 0;
			}
		}
		if (rest)
			fprintf(pout, "%s%#llx", first ? "" : "|", (unsigned long long)rest);
		return;
	}
	if (f->kind == PU_HANDLE || f->kind == PU_PAD)
		fprintf(pout, "%llu", (unsigned long long)v);
	else
		fprintf(pout, "%#llx", (unsigned long long)v);
}

static const struct pt_mem *find_mem(const struct pt_mem *m, uint32_t n, uint64_t addr,
				    uint32_t dir)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (m[i].addr == addr && (!dir || m[i].dir == dir))
			return &m[i];
	return NULL;
}

static void print_hex(const char *what, const uint8_t *p, uint32_t len)
{
	uint32_t i;

	fprintf(pout, "%s", what);
	for (i = 0; i < len; i++)
		fprintf(pout, "%02x", p[i]);
}

static void print_struct(const struct pu_struct *s, const uint8_t *in, const uint8_t *out,
			 uint32_t len, const struct pt_mem *m, uint32_t nm, int indent);

static void print_array(const struct pu_field *f, const uint8_t *base, const struct pt_mem *m,
			uint32_t nm, int indent)
{
	struct drm_panthor_obj_array a;
	const struct pt_mem *blk;
	uint32_t k;

	memcpy(&a, base + f->offset, sizeof(a));
	blk = a.count ? find_mem(m, nm, a.array, 0) : NULL;
	for (k = 0; blk && k < a.count && (size_t)(k + 1) * a.stride <= blk->len; k++) {
		fprintf(pout, "%*s%s[%u]: ", indent, "", f->name, k);
		print_struct(f->elem, blk->bytes + (size_t)k * a.stride, NULL,
			     pu_known_len(f->elem, a.stride), m, nm, indent + 2);
	}
}

/* What a user pointer pointed at when recorded: handle/point arrays, strings. */
static void print_pointee(const struct pu_struct *s, const struct pu_field *f, const uint8_t *in,
			  const struct pt_mem *m, uint32_t nm)
{
	const struct pt_mem *blk = find_mem(m, nm, pu_get(f, in), PT_MEM_READ);
	uint32_t k, esz = f->elem_size;

	if (!blk)
		return;
	if (f->attr & PU_A_STRING) {
		fprintf(pout, "\"%.*s\"", (int)strnlen((const char *)blk->bytes, blk->len),
			(const char *)blk->bytes);
		return;
	}
	if ((esz != 4 && esz != 8) || blk->len != pu_uptr_len(s, f, in))
		return;
	fprintf(pout, "[");
	for (k = 0; k < blk->len / esz && k < 16; k++)
		fprintf(pout, "%s%llu", k ? ", " : "", (unsigned long long)get(blk->bytes + k * esz, esz));
	fprintf(pout, "%s]", blk->len / esz > 16 ? ", ..." : "");
}

/* A DEV_QUERY payload: what the kernel read (from 1.8) and wrote. */
static void print_query(const uint8_t *in, const struct pt_mem *m, uint32_t nm, int indent)
{
	struct drm_panthor_dev_query q;
	const struct pu_query *pq;
	const struct pt_mem *r, *w;
	uint32_t len;

	memcpy(&q, in, sizeof(q));
	pq = pu_query_by_type(q.type);
	r = q.pointer ? find_mem(m, nm, q.pointer, PT_MEM_READ) : NULL;
	w = q.pointer ? find_mem(m, nm, q.pointer, PT_MEM_WRITTEN) : NULL;
	if (!pq || !r || r->len != q.size || (w && w->len != q.size))
		return;
	len = pu_known_len(pq->payload, q.size);
	fprintf(pout, "%*s%s", indent, "", pq->name);
	if (!pu_layout_of(pq->payload, q.size))
		fprintf(pout, "<%u bytes, decoded up to %u>", q.size, len);
	print_struct(pq->payload, r->bytes, w ? w->bytes : NULL, len, m, nm, indent + 2);
	if (len < q.size && w) {
		print_hex("  + bytes past the table's layouts: ", w->bytes + len, q.size - len);
		fprintf(pout, "\n");
	}
}

/*
 * One line of the fields within @len bytes (the kernel's rule: what both
 * the call and the table know); out-only fields from @out, in/out shown as
 * in->out.
 */
static void print_struct(const struct pu_struct *s, const uint8_t *in, const uint8_t *out,
			 uint32_t len, const struct pt_mem *m, uint32_t nm, int indent)
{
	uint32_t i, n = 0;

	fprintf(pout, "{");
	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		const uint8_t *src = (f->dir == PU_OUT && out) ? out : in;
		uint64_t v;

		if (!pu_field_in(f, len))
			continue;
		fprintf(pout, "%s%s=", n++ ? ", " : "", f->name);
		if (f->kind == PU_OBJ_ARRAY) {
			struct drm_panthor_obj_array a;

			memcpy(&a, in + f->offset, sizeof(a));
			fprintf(pout, "{stride=%u, count=%u", a.stride, a.count);
			if (out && f->dir == PU_INOUT)
				fprintf(pout, "->%u", (uint32_t)get(out + f->offset + 4, 4));
			fprintf(pout, "}");
			continue;
		}
		if (f->size > 8) {
			fprintf(pout, "[%u bytes]", f->size);
			continue;
		}
		v = get(src + f->offset, f->size);
		print_value(f, v);
		if (out && f->dir == PU_INOUT && get(out + f->offset, f->size) != v) {
			fprintf(pout, "->");
			print_value(f, get(out + f->offset, f->size));
		}
		if (f->kind == PU_UPTR)
			print_pointee(s, f, in, m, nm);
	}
	fprintf(pout, "}\n");
	for (i = 0; i < s->nfields; i++)
		if (s->fields[i].kind == PU_OBJ_ARRAY && pu_field_in(&s->fields[i], len))
			print_array(&s->fields[i], in, m, nm, indent + 2);
}

/*
 * ---- command streams in dump ----
 *
 * dump follows where each submitted stream lives: BO_MMAP_OFFSET ties a BO
 * to an mmap offset, MMAP to an address, BO_DATA fills a copy of the
 * mapping, VM_BIND puts the BO at a GPU VA of a VM, GROUP_CREATE ties a
 * group to its VM. A GROUP_SUBMIT's stream_addr then leads to the bytes,
 * which the disassembler (csdis.h) prints. Handles are not told apart by
 * DRM file (one file per program is the common case).
 */
#define DS_MAX 256

static struct {
	uint64_t addr, len, offset;
	uint8_t *bytes;
} ds_maps[DS_MAX];
static struct { uint64_t offset; uint32_t handle; } ds_offs[DS_MAX];
static struct { uint64_t va, size, bo_offset; uint32_t vm, handle; } ds_binds[DS_MAX * 4];
static struct { uint32_t group, vm; } ds_groups[DS_MAX];
static uint32_t ds_nbinds;

static void streams_mmap(const struct pt_mmap *m)
{
	uint32_t i;

	for (i = 0; m->addr && m->length <= (64u << 20) && i < DS_MAX; i++) {
		if (!ds_maps[i].bytes) {
			ds_maps[i].bytes = calloc(1, m->length);
			ds_maps[i].addr = m->addr;
			ds_maps[i].len = m->length;
			ds_maps[i].offset = m->offset;
			return;
		}
	}
}

static void streams_munmap(uint64_t addr)
{
	uint32_t i;

	for (i = 0; i < DS_MAX; i++) {
		if (ds_maps[i].bytes && ds_maps[i].addr == addr) {
			free(ds_maps[i].bytes);
			ds_maps[i].bytes = NULL;
		}
	}
}

static void streams_bo_data(const struct pt_bo_data *b)
{
	uint32_t i;

	for (i = 0; i < DS_MAX; i++)
		if (ds_maps[i].bytes && ds_maps[i].addr == b->map_addr &&
		    b->offset <= ds_maps[i].len && b->len <= ds_maps[i].len - b->offset)
			memcpy(ds_maps[i].bytes + b->offset, b->bytes, b->len);
}

/* The recorded bytes of [va, va + size) in @vm, or NULL. */
static const uint8_t *streams_find(uint32_t vm, uint64_t va, uint64_t size)
{
	uint32_t i, k, m;

	for (i = ds_nbinds; i-- > 0;) {
		uint64_t off;

		if (ds_binds[i].vm != vm || va < ds_binds[i].va ||
		    va - ds_binds[i].va + size > ds_binds[i].size)
			continue;
		off = ds_binds[i].bo_offset + (va - ds_binds[i].va);
		for (k = 0; k < DS_MAX; k++) {
			if (ds_offs[k].handle != ds_binds[i].handle || !ds_offs[k].offset)
				continue;
			for (m = 0; m < DS_MAX; m++)
				if (ds_maps[m].bytes && ds_maps[m].offset == ds_offs[k].offset &&
				    off + size <= ds_maps[m].len)
					return ds_maps[m].bytes + off;
		}
		return NULL;
	}
	return NULL;
}

static void streams_ioctl(const struct pt_ioctl *io)
{
	const struct pu_ioctl *pi = pu_ioctl_lookup(io->request);
	uint32_t i, k;

	/* the Panthor structs below have had one size only */
	if (io->ret || !pi || pi->arg->size != io->arg_len)
		return;
	if (pu_same_nr(io->request, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET)) {
		struct drm_panthor_bo_mmap_offset a;

		memcpy(&a, io->arg_out, sizeof(a));
		for (i = 0; i < DS_MAX; i++) {
			if (!ds_offs[i].offset || ds_offs[i].handle == a.handle) {
				ds_offs[i].offset = a.offset;
				ds_offs[i].handle = a.handle;
				break;
			}
		}
	} else if (pu_same_nr(io->request, DRM_IOCTL_PANTHOR_GROUP_CREATE)) {
		struct drm_panthor_group_create g;

		memcpy(&g, io->arg_out, sizeof(g));
		for (i = 0; i < DS_MAX; i++) {
			if (!ds_groups[i].group || ds_groups[i].group == g.group_handle) {
				ds_groups[i].group = g.group_handle;
				ds_groups[i].vm = g.vm_id;
				break;
			}
		}
	} else if (pu_same_nr(io->request, DRM_IOCTL_PANTHOR_VM_BIND)) {
		struct drm_panthor_vm_bind b;
		const struct pt_mem *blk;

		memcpy(&b, io->arg_in, sizeof(b));
		blk = pt_find_mem(io, b.ops.array, PT_MEM_READ);
		for (k = 0; blk && b.ops.stride >= sizeof(struct drm_panthor_vm_bind_op) &&
		     k < b.ops.count && (uint64_t)(k + 1) * b.ops.stride <= blk->len; k++) {
			struct drm_panthor_vm_bind_op op;

			memcpy(&op, blk->bytes + (size_t)k * b.ops.stride, sizeof(op));
			if ((op.flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) !=
			    DRM_PANTHOR_VM_BIND_OP_TYPE_MAP || ds_nbinds == DS_MAX * 4)
				continue;
			ds_binds[ds_nbinds].va = op.va;
			ds_binds[ds_nbinds].size = op.size;
			ds_binds[ds_nbinds].bo_offset = op.bo_offset;
			ds_binds[ds_nbinds].vm = b.vm_id;
			ds_binds[ds_nbinds++].handle = op.bo_handle;
		}
	} else if (pu_same_nr(io->request, DRM_IOCTL_PANTHOR_GROUP_SUBMIT)) {
		struct drm_panthor_group_submit gs;
		const struct pt_mem *blk;
		uint32_t vm = 0;

		memcpy(&gs, io->arg_in, sizeof(gs));
		for (i = 0; i < DS_MAX; i++)
			if (ds_groups[i].group == gs.group_handle)
				vm = ds_groups[i].vm;
		blk = pt_find_mem(io, gs.queue_submits.array, PT_MEM_READ);
		for (k = 0; blk && gs.queue_submits.stride >= sizeof(struct drm_panthor_queue_submit) &&
		     k < gs.queue_submits.count &&
		     (uint64_t)(k + 1) * gs.queue_submits.stride <= blk->len; k++) {
			struct drm_panthor_queue_submit q;
			const uint8_t *code;

			memcpy(&q, blk->bytes + (size_t)k * gs.queue_submits.stride, sizeof(q));
			if (!q.stream_size || q.stream_size > (1u << 20))
				continue;
			code = streams_find(vm, q.stream_addr, q.stream_size);
			fprintf(pout, "    stream of queue %u (%u instructions)%s\n", q.queue_index,
				q.stream_size / 8, code ? ":" : ": not in the recorded memory");
			if (code)
				pt_cs_disasm_buf(pout, code, q.stream_size / 8, q.stream_addr);
		}
	}
}

static void print_ioctl(const struct pt_record *rec, const struct pt_ioctl *io)
{
	const struct pu_ioctl *pi = pu_ioctl_lookup(io->request);
	uint32_t known = pi ? pu_known_len(pi->arg, io->arg_len) : 0;

	fprintf(pout, "#%u [tid %u, %lluus] fd=%u ", rec->seq, io->tid,
		(unsigned long long)(io->t_end - io->t_start) / 1000, io->fd);
	if (pi && (io->flags & PT_IOCTL_ARG_UNREADABLE)) {
		fprintf(pout, "%s(unreadable argument pointer)\n", pi->name);
	} else if (!pi) {
		fprintf(pout, "ioctl(%#llx, %u bytes; not in the uAPI table)",
			(unsigned long long)io->request, io->arg_len);
		print_hex(" in=", io->arg_in, io->arg_len);
		print_hex(" out=", io->arg_out, io->arg_len);
		fprintf(pout, "\n");
	} else {
		fprintf(pout, "%s", pi->name);
		/* a size of no layout: decoded as far as both know, the rest shown raw */
		if (!pu_layout_of(pi->arg, io->arg_len))
			fprintf(pout, "<%u bytes, decoded up to %u>", io->arg_len, known);
		print_struct(pi->arg, io->arg_in, io->arg_out, known, io->mem, io->nmem, 0);
		if (known < io->arg_len) {
			print_hex("  + bytes past the table's layouts: in=", io->arg_in + known,
				  io->arg_len - known);
			print_hex(" out=", io->arg_out + known, io->arg_len - known);
			fprintf(pout, "\n");
		}
		if (pu_same_nr(io->request, DRM_IOCTL_PANTHOR_DEV_QUERY) &&
		    known >= sizeof(struct drm_panthor_dev_query))
			print_query(io->arg_in, io->mem, io->nmem, 2);
	}
	if (io->ret)
		fprintf(pout, "  = %d %s (%s)\n", io->ret, io->err > 0 ? strerrorname_np(io->err) : "?",
			strerror(io->err));
	else
		fprintf(pout, "  = 0\n");
}

/* One record, decoded; -1 (with @err) if its payload is malformed. */
static int print_record(const struct pt_record *rec, char *err, size_t errlen)
{
	const uint8_t *p = rec->payload;
	struct pt_ioctl io;
	struct pt_open o;
	struct pt_mmap m;
	struct pt_bo_data b;
	uint32_t u[2];
	uint64_t v[2];

	switch (rec->type) {
	case PT_HEADER: {
		const char *l = (const char *)p, *e = l + rec->len, *nl;

		for (; l < e; l = nl + 1) {
			nl = memchr(l, '\n', e - l);
			if (!nl)
				nl = e;
			fprintf(pout, "# %.*s\n", (int)(nl - l), l);
		}
		break;
	}
	case PT_OPEN:
		if (pt_decode_open(rec, &o, err, errlen))
			return -1;
		fprintf(pout, "#%u open(\"%.*s\", %#x) = %u\n", rec->seq, (int)o.path_len, o.path,
			o.flags, o.fd);
		break;
	case PT_CLOSE:
		if (rec->len != 4)
			return snprintf(err, errlen, "malformed CLOSE record %u", rec->seq), -1;
		memcpy(u, p, 4);
		fprintf(pout, "#%u close(%u)\n", rec->seq, u[0]);
		break;
	case PT_DUP:
		if (rec->len != 8)
			return snprintf(err, errlen, "malformed DUP record %u", rec->seq), -1;
		memcpy(u, p, 8);
		fprintf(pout, "#%u dup(%u) = %u\n", rec->seq, u[0], u[1]);
		break;
	case PT_MMAP:
		if (pt_decode_mmap(rec, &m, err, errlen))
			return -1;
		fprintf(pout, "#%u mmap(fd=%u, len=%#llx, prot=%#x, flags=%#x, offset=%#llx) = %#llx\n",
			rec->seq, m.fd, (unsigned long long)m.length, m.prot, m.flags,
			(unsigned long long)m.offset, (unsigned long long)m.addr);
		streams_mmap(&m);
		break;
	case PT_MUNMAP:
		if (rec->len != 16)
			return snprintf(err, errlen, "malformed MUNMAP record %u", rec->seq), -1;
		memcpy(v, p, 16);
		fprintf(pout, "#%u munmap(%#llx, %#llx)\n", rec->seq, (unsigned long long)v[0],
			(unsigned long long)v[1]);
		streams_munmap(v[0]);
		break;
	case PT_BO_DATA:
		if (pt_decode_bo_data(rec, &b, err, errlen))
			return -1;
		fprintf(pout, "#%u bo_data(%s, fd=%u, handle=%u, map=%#llx+%#llx, %u bytes%s)\n",
			rec->seq, b.kind == PT_BO_CPU ? "cpu" : "observed", b.fd, b.handle,
			(unsigned long long)b.map_addr, (unsigned long long)b.offset, b.len,
			rec->compressed ? ", zstd" : "");
		streams_bo_data(&b);
		break;
	case PT_IOCTL:
		if (pt_decode_ioctl(rec, &io, memv, PT_MAX_MEM, err, errlen))
			return -1;
		print_ioctl(rec, &io);
		streams_ioctl(&io);
		break;
	case PT_END:
		fprintf(pout, "#%u end: the program exited normally\n", rec->seq);
		break;
	}
	return 0;
}

/* ---- loading a trace ---- */

struct trace {
	const char *path;
	void *data;
	size_t size;
	struct pt_record *rec;
	uint32_t n;
	int status;		/* 0, 3 truncated, 4 corrupt */
	struct pt_reader r;	/* owns decompressed payloads */
	char error[200];
	int saw_end;
};

static int load(struct trace *t, const char *path)
{
	struct pt_reader *rd = &t->r;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), s;
	uint32_t cap = 0;

	memset(t, 0, sizeof(*t));
	t->path = path;
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "pantrace: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	t->size = (size_t)st.st_size;
	t->data = t->size ? mmap(NULL, t->size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (t->data == MAP_FAILED) {
		fprintf(stderr, "pantrace: %s: mmap: %s\n", path, strerror(errno));
		return -1;
	}
	s = pt_reader_start(rd, t->data, t->size);
	while (s == PT_OK) {
		if (t->n == cap) {
			struct pt_record *nr;

			cap = cap ? cap * 2 : 1024;
			nr = realloc(t->rec, cap * sizeof(*nr));
			if (!nr) {
				fprintf(stderr, "pantrace: %s: out of memory\n", path);
				return -1;
			}
			t->rec = nr;
		}
		s = pt_read(rd, &t->rec[t->n]);
		if (s == PT_OK)
			t->saw_end |= t->rec[t->n++].type == PT_END;
	}
	if (s == PT_TRUNCATED || s == PT_CORRUPT) {
		t->status = s == PT_TRUNCATED ? 3 : 4;
		snprintf(t->error, sizeof(t->error), "%s: %s", path, rd->error);
	}
	return 0;
}

static void unload(struct trace *t)
{
	pt_reader_end(&t->r);
	if (t->data && t->data != MAP_FAILED)
		munmap(t->data, t->size);
	free(t->rec);
}

/* The value of "@key=" in a HEADER payload, into @buf ("" if absent). */
static void header_value(const struct pt_record *rec, const char *key, char *buf, size_t len)
{
	const char *l = (const char *)rec->payload, *e = l + rec->len, *nl;
	size_t k = strlen(key);

	buf[0] = 0;
	for (; l < e; l = nl + 1) {
		nl = memchr(l, '\n', e - l);
		if (!nl)
			nl = e;
		if ((size_t)(nl - l) > k && !memcmp(l, key, k) && l[k] == '=') {
			snprintf(buf, len, "%.*s", (int)(nl - l - k - 1), l + k + 1);
			return;
		}
	}
}

/*
 * The uAPI version the trace was recorded against: the recorder's note of
 * the driver's DRM_IOCTL_VERSION at open, else the program's own VERSION
 * call (recordings made before the recorder noted it), and the kernel's.
 */
#define KERNEL_LEN	80
#define VER_LEN		40
#define HOW_LEN		64
static void trace_versions(const struct trace *t, char *kernel, char *ver, char *how)
{
	char v[80], old[VER_LEN] = "";
	uint32_t i;

	kernel[0] = ver[0] = how[0] = 0;

	for (i = 0; i < t->n; i++) {
		const struct pt_record *rec = &t->rec[i];
		struct pt_ioctl io;
		char err[160];

		if (rec->type == PT_HEADER) {
			header_value(rec, "kernel", v, sizeof(v));
			if (v[0] && !kernel[0])
				snprintf(kernel, KERNEL_LEN, "%s", v);
			header_value(rec, "driver_version", v, sizeof(v));
			if (v[0] && !ver[0]) {
				snprintf(ver, VER_LEN, "%.39s", v);
				snprintf(how, HOW_LEN, "the driver's DRM_IOCTL_VERSION at open");
			}
			/* recorders before the per-open note wrote uapi=1.0 (all on 6.12) */
			header_value(rec, "table_uapi", v, sizeof(v));
			if (!v[0] && !old[0])
				header_value(rec, "uapi", old, sizeof(old));
		} else if (rec->type == PT_IOCTL && !ver[0] &&
			   !pt_decode_ioctl(rec, &io, memv, PT_MAX_MEM, err, sizeof(err)) &&
			   !io.ret && pu_same_nr(io.request, DRM_IOCTL_VERSION) && io.arg_len >= 12) {
			int32_t x[3];

			memcpy(x, io.arg_out, 12);
			snprintf(ver, VER_LEN, "%d.%d.%d", x[0], x[1], x[2]);
			snprintf(how, HOW_LEN, "the program's DRM_IOCTL_VERSION, record %u", rec->seq);
		}
	}
	if (!ver[0] && old[0]) {
		snprintf(ver, VER_LEN, "%s", old);
		snprintf(how, HOW_LEN, "an older recorder's uapi= note");
	}
}

/* The uAPI minor the trace was recorded against, or -1 if it does not say. */
static int trace_minor(const struct trace *t)
{
	char kernel[KERNEL_LEN], ver[VER_LEN], how[HOW_LEN];
	int maj, min;

	trace_versions(t, kernel, ver, how);
	return sscanf(ver, "%d.%d", &maj, &min) == 2 && maj == 1 ? min : -1;
}

static void print_versions(const struct trace *t)
{
	char kernel[KERNEL_LEN], ver[VER_LEN], how[HOW_LEN];

	trace_versions(t, kernel, ver, how);
	if (ver[0]) {
		int maj = 0, min = 0;

		sscanf(ver, "%d.%d", &maj, &min);
		fprintf(pout, "# recorded against: Panthor uAPI %d.%d (driver version %s, from %s)",
			maj, min, ver, how);
	} else {
		fprintf(pout, "# recorded against: Panthor uAPI unknown (no DRM_IOCTL_VERSION recorded)");
	}
	fprintf(pout, ", kernel %s\n", kernel[0] ? kernel : "unknown");
}

static int dump(const char *path)
{
	struct trace t;
	char err[256];
	uint32_t i;

	if (load(&t, path))
		return 1;
	pout = stdout;
	fprintf(pout, "# trace %s\n", path);
	print_versions(&t);
	if (trace_minor(&t) >= 0)
		dump_minor = (unsigned int)trace_minor(&t);
	for (i = 0; i < t.n; i++) {
		if (print_record(&t.rec[i], err, sizeof(err))) {
			fprintf(stderr, "pantrace: %s: %s\n", path, err);
			unload(&t);
			return 4;
		}
	}
	fflush(stdout);
	if (t.status)
		fprintf(stderr, "pantrace: %s (every complete record before it is shown)\n", t.error);
	else if (!t.saw_end)
		fprintf(stderr, "pantrace: %s: no END record: the program did not exit normally\n",
			path);
	unload(&t);
	return t.status;
}

/* ---- replay, compare, diff ---- */

struct inject {
	uint32_t seq;
	char what[64];
};

struct opts {
	const char *dev[2];
	struct pd_policy policy;
	const char *json, *junit, *ktap;
	int expect, quiet;
	struct inject inj[16];
	uint32_t ninj;
};

static int resolve_dev(const char *spec, char *path, size_t len)
{
	int fd;

	if (strncmp(spec, "driver:", 7)) {
		snprintf(path, len, "%s", spec);
		return 0;
	}
	fd = drmnode_open_by_driver(spec + 7, path, len);
	if (fd < 0) {
		fprintf(stderr, "pantrace: no render node bound to driver %s\n", spec + 7);
		return -1;
	}
	close(fd);
	return 0;
}

/* --inject: alter device 0's result of record @seq (test-only). */
static void apply_inject(const struct opts *o, uint32_t seq, const struct pt_ioctl *io,
			 const struct rp_out *rec, struct rp_out *out, int *drop)
{
	const struct pu_ioctl *pi = pu_ioctl_lookup(io->request);
	uint32_t i;

	for (i = 0; i < o->ninj; i++) {
		const char *w = o->inj[i].what, *eq = strchr(w, '=');

		if (o->inj[i].seq != seq)
			continue;
		if (drop && !strcmp(w, "drop")) {
			*drop = 1;
		} else if (!drop && !strncmp(w, "result=", 7)) {
			out->ret = -1;
			out->err = -atoi(w + 7);
		} else if (!drop && eq && pi) {
			char name[64];
			const struct pu_field *f;
			uint64_t v = strtoull(eq + 1, NULL, 0);

			snprintf(name, sizeof(name), "%.*s", (int)(eq - w), w);
			f = pu_field_by_name(pi->arg, name);
			if (f && f->size <= 8 && f->offset + f->size <= out->arg_len)
				memcpy(out->arg + f->offset, &v, f->size);
		}
	}
	(void)rec;
}

static int inject_mem(const struct opts *o, uint32_t seq, uint64_t *off)
{
	uint32_t i;

	for (i = 0; i < o->ninj; i++) {
		if (o->inj[i].seq == seq && !strncmp(o->inj[i].what, "mem+", 4)) {
			*off = strtoull(o->inj[i].what + 4, NULL, 0);
			return 1;
		}
	}
	return 0;
}

/* The memory a recorded call's kernel read at @addr (pu_mem_fn over a pt_ioctl). */
static const uint8_t *recorded_mem(void *ctx, uint64_t addr, uint32_t len)
{
	const struct pt_mem *m = pt_find_mem(ctx, addr, PT_MEM_READ);

	return m && m->len >= len ? m->bytes : NULL;
}

/* A call the uAPI table does not know: replayed as recorded, said once per number. */
static void warn_unknown(const struct pt_ioctl *io)
{
	static uint8_t warned[65536 / 8];
	unsigned int k = (unsigned int)(_IOC_TYPE(io->request) << 8 | _IOC_NR(io->request));

	if (warned[k / 8] & (1u << (k % 8)))
		return;
	warned[k / 8] |= (uint8_t)(1u << (k % 8));
	fprintf(stderr, "pantrace: warning: ioctl %#llx (type %#x, nr %#x, %u bytes) is not in the "
		"uAPI table: replayed with its recorded bytes, compared as bytes\n",
		(unsigned long long)io->request, (unsigned int)_IOC_TYPE(io->request),
		(unsigned int)_IOC_NR(io->request), io->arg_len);
}

/* Whether @d's driver has a uAPI older than 1.@minor. */
static int older(const struct rp_dev *d, unsigned int minor)
{
	return d->drv_known && d->drv_major == 1 && minor > (unsigned int)d->drv_minor;
}

/*
 * Compare the results of recorded call @io: the recording's (@recd) with
 * the replay's, or two devices' (@out). A call newer than the uAPI version of a
 * device that answered it differently is a difference of its own kind.
 */
static void compare_call(const struct opts *o, struct pd_report *rep, uint32_t seq,
			 const struct pt_ioctl *io, const struct rp_dev *dev, int ndev,
			 const struct rp_out *recd, const struct rp_out *out, int rec_minor)
{
	const struct pu_ioctl *pi = pu_ioctl_lookup(io->request);
	const struct rp_out *a = ndev == 1 ? recd : &out[0], *b = &out[ndev - 1];
	unsigned int m = 0;
	int k;

	if (pi && !(io->flags & PT_IOCTL_ARG_UNREADABLE))
		m = pu_call_minor(pi, io->arg_in, pu_known_len(pi->arg, io->arg_len), recorded_mem,
				  (void *)io);
	/*
	 * Two drivers that both predate the call are compared as usual; so is
	 * a call the recording's driver did not have either (a 1.0 recording
	 * of a flag bit that a later version gave a meaning to), or, when the
	 * trace does not say its version, one that failed when recorded.
	 */
	if (ndev == 1 && (rec_minor >= 0 ? m > (unsigned int)rec_minor : recd->ret != 0))
		m = 0;
	if (m && (a->ret != b->ret || a->err != b->err) &&
	    (ndev == 1 || older(&dev[0], m) != older(&dev[1], m))) {
		for (k = ndev - 1; k >= 0; k--) {
			if (older(&dev[k], m)) {
				pd_unsupported(rep, &o->policy, seq, io, m, k == ndev - 1 ? a : b,
					       &out[k], dev[k].drv_major, dev[k].drv_minor);
				return;
			}
		}
	}
	pd_ioctl(rep, &o->policy, seq, io, a, b);
}

/*
 * Replay @t on @ndev devices. With one device, its results are compared
 * with the recording; with two, with each other.
 */
static int replay_trace(const struct opts *o, struct trace *t, struct rp_dev *dev, int ndev,
			struct pd_report *rep)
{
	static struct rp_out out[2], recd;
	int rec_minor = trace_minor(t), k;
	char err[256];
	uint32_t i;

	for (i = 0; i < t->n; i++) {
		const struct pt_record *rec = &t->rec[i];
		struct pt_ioctl io;
		struct pt_open op;
		struct pt_mmap m;
		struct pt_bo_data b;
		uint32_t u[2];
		uint64_t v[2];
		int ok[2] = { 0, 0 }, rc = 0, drop = 0;
		const uint8_t *cur[2] = { NULL, NULL };

		rep->records++;
		switch (rec->type) {
		case PT_OPEN:
			if (pt_decode_open(rec, &op, err, sizeof(err)))
				goto malformed;
			for (k = 0; k < ndev && !rc; k++)
				rc = rp_open(&dev[k], &op);
			break;
		case PT_CLOSE:
		case PT_DUP:
			if (rec->len != (rec->type == PT_CLOSE ? 4u : 8u)) {
				snprintf(err, sizeof(err), "malformed record %u at offset %zu",
					 rec->seq, rec->offset);
				goto malformed;
			}
			memcpy(u, rec->payload, rec->len);
			for (k = 0; k < ndev && !rc; k++)
				rc = rec->type == PT_CLOSE ? rp_close(&dev[k], u[0]) :
							     rp_dup(&dev[k], u[0], u[1]);
			break;
		case PT_MMAP:
			if (pt_decode_mmap(rec, &m, err, sizeof(err)))
				goto malformed;
			for (k = 0; k < ndev && !rc; k++)
				rc = rp_mmap(&dev[k], &m, &ok[k]);
			rep->compared += !rc;
			if (!rc && (ndev == 1 ? ok[0] != !!m.addr : ok[0] != ok[1]))
				pd_add(rep, rec->seq, "mmap", "mmap.result",
				       (ndev == 1 ? !!m.addr : ok[0]) ? "mapped" : "failed",
				       ok[ndev - 1] ? "mapped" : "failed");
			break;
		case PT_MUNMAP:
			if (rec->len != 16) {
				snprintf(err, sizeof(err), "malformed MUNMAP record %u", rec->seq);
				goto malformed;
			}
			memcpy(v, rec->payload, 16);
			for (k = 0; k < ndev && !rc; k++)
				rc = rp_munmap(&dev[k], v[0], v[1]);
			break;
		case PT_BO_DATA:
			if (pt_decode_bo_data(rec, &b, err, sizeof(err)))
				goto malformed;
			for (k = 0; k < ndev && !rc; k++)
				rc = rp_bo_data(&dev[k], &b, b.kind == PT_BO_CPU, &cur[k]);
			if (rc || b.kind != PT_BO_OBSERVED)
				break;
			if (cur[0] && inject_mem(o, rec->seq, &v[0]) && v[0] < b.len)
				((uint8_t *)cur[0])[v[0]] ^= 0xff;
			if (ndev == 1 && cur[0])
				pd_mem(rep, &o->policy, rec->seq, "BO_DATA", b.offset, b.bytes, cur[0],
				       b.len);
			else if (ndev == 2 && cur[0] && cur[1])
				pd_mem(rep, &o->policy, rec->seq, "BO_DATA", b.offset, cur[0], cur[1],
				       b.len);
			/* then continue from the recorded state */
			for (k = 0; k < ndev && !rc; k++)
				rc = rp_bo_data(&dev[k], &b, 1, &cur[k]);
			break;
		case PT_IOCTL:
			if (pt_decode_ioctl(rec, &io, memv, PT_MAX_MEM, err, sizeof(err)))
				goto malformed;
			if (rp_skip_record(&io))
				break;
			rp_out_from_trace(&io, &recd);
			for (k = 0; k < ndev && !rc; k++) {
				if (k == 0)
					apply_inject(o, rec->seq, &io, &recd, &out[0], &drop);
				if (drop) {
					out[0] = recd;
					continue;
				}
				rc = rp_ioctl(&dev[k], &io, &out[k]);
				if (k == 0)
					apply_inject(o, rec->seq, &io, &recd, &out[0], NULL);
			}
			if (!rc && out[0].unknown)
				warn_unknown(&io);
			if (!rc)
				compare_call(o, rep, rec->seq, &io, dev, ndev, &recd, out, rec_minor);
			break;
		}
		if (rc) {
			for (k = 0; k < ndev; k++)
				if (dev[k].err[0])
					snprintf(rep->trace_error, sizeof(rep->trace_error),
						 "record %u: %s: %s", rec->seq, dev[k].name, dev[k].err);
			rep->trace_status = 5;
			return 0;
		}
	}
	if (t->status) {
		rep->trace_status = t->status;
		snprintf(rep->trace_error, sizeof(rep->trace_error), "%s", t->error);
	}
	return 0;
malformed:
	rep->trace_status = 4;
	snprintf(rep->trace_error, sizeof(rep->trace_error), "%s", err);
	return 0;
}

static const struct pt_record *find_seq(const struct trace *t, uint32_t seq)
{
	return seq < t->n && t->rec[seq].seq == seq ? &t->rec[seq] : NULL;
}

/* Text report: the summary, and the first difference among its neighbours. */
static void text_report(const struct opts *o, const struct trace *t, const struct pd_report *r)
{
	char err[256];
	uint32_t k, s;

	printf("pantrace: %s: %llu records, %llu ioctls, %llu values compared (%s vs %s): "
	       "%u difference%s%s%s (%.2f s)\n", r->trace, (unsigned long long)r->records,
	       (unsigned long long)r->ioctls, (unsigned long long)r->compared, r->a_name,
	       r->b_name, r->n, r->n == 1 ? "" : "s", r->trace_status ? "; " : "",
	       r->trace_status ? r->trace_error : "", r->seconds);
	if (r->unknown)
		printf("pantrace: %s: %llu call%s unknown to the uAPI table, replayed and compared "
		       "as bytes\n", r->trace, (unsigned long long)r->unknown, r->unknown == 1 ? "" : "s");
	if (r->unsupported)
		printf("pantrace: %s: %llu call%s of a newer uAPI than the driver's (kind "
		       "\"unsupported\")\n", r->trace, (unsigned long long)r->unsupported,
		       r->unsupported == 1 ? "" : "s");
	if (!r->n || o->quiet)
		return;
	s = r->d[0].seq;
	printf("first difference at record #%u (%s): %s: %s %s, %s %s\n", s, r->d[0].call,
	       r->d[0].path, r->a_name, r->d[0].a, r->b_name, r->d[0].b);
	printf("around it (recorded):\n");
	pout = stdout;
	for (k = s > 3 ? s - 3 : 0; k <= s + 2; k++) {
		const struct pt_record *rec = find_seq(t, k);

		if (!rec)
			continue;
		printf("%s ", k == s ? ">>" : "  ");
		if (print_record(rec, err, sizeof(err)))
			printf("(%s)\n", err);
	}
	for (k = 0; k < r->n && k < 20; k++)
		printf("  #%u %s %s: %s %s, %s %s\n", r->d[k].seq, r->d[k].call, r->d[k].path,
		       r->a_name, r->d[k].a, r->b_name, r->d[k].b);
	if (r->n > 20)
		printf("  ... %u more\n", r->n - 20);
}

/*
 * --expect: TRACE with .ptrace replaced by .expect lists the differences a
 * replay must give ("difference SEQ PATH" lines; none: no difference).
 */
static int check_expect(const struct pd_report *r)
{
	char path[PATH_MAX], line[256], *dot;
	uint32_t seq, k, want = 0, bad = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s", r->trace);
	dot = strrchr(path, '.');
	if (dot)
		*dot = 0;
	strncat(path, ".expect", sizeof(path) - strlen(path) - 1);
	f = fopen(path, "r");
	if (!f) {
		printf("pantrace: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char p[128];
		int found = 0;

		if (sscanf(line, "difference %u %127s", &seq, p) != 2)
			continue;
		want++;
		for (k = 0; k < r->n; k++)
			found |= r->d[k].seq == seq && !strcmp(r->d[k].path, p);
		if (!found) {
			printf("pantrace: %s: expected difference #%u %s did not occur\n", path, seq, p);
			bad++;
		}
	}
	fclose(f);
	if (want != r->n) {
		printf("pantrace: %s: %u difference%s expected, %u found\n", path, want,
		       want == 1 ? "" : "s", r->n);
		bad++;
	}
	return bad ? 1 : 0;
}

static int write_reports(const struct opts *o, struct pd_report **reps, uint32_t n)
{
	const char *files[3] = { o->json, o->junit, o->ktap };
	void (*fn[3])(FILE *, struct pd_report *const *, uint32_t) = {
		pd_write_json, pd_write_junit, pd_write_ktap,
	};
	int i;

	for (i = 0; i < 3; i++) {
		FILE *f;

		if (!files[i])
			continue;
		f = strcmp(files[i], "-") ? fopen(files[i], "w") : stdout;
		if (!f) {
			fprintf(stderr, "pantrace: %s: %s\n", files[i], strerror(errno));
			return -1;
		}
		fn[i](f, reps, n);
		if (f != stdout && fclose(f)) {
			fprintf(stderr, "pantrace: %s: %s\n", files[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: pantrace record [-o FILE] -- CMD [ARG...]\n"
		"       pantrace dump FILE\n"
		"       pantrace replay FILE... [--device DEV] [REPORT OPTIONS]\n"
		"       pantrace compare FILE... --a DEV --b DEV [REPORT OPTIONS]\n"
		"       pantrace diff A B [REPORT OPTIONS]\n"
		"       pantrace c FILE [-o OUT.c]     (a standalone C reproducer)\n"
		"DEV: /dev/dri/renderDN or driver:NAME. REPORT OPTIONS: --policy FILE,\n"
		"--other-hardware, --json FILE, --junit FILE, --ktap FILE, --expect, -q,\n"
		"--inject SEQ:WHAT (test-only; see the header of harness/pantrace.c)\n");
	return 2;
}

static int parse_opts(int argc, char **argv, struct opts *o, const char **files,
		      uint32_t *nfiles)
{
	char err[200];
	int a;

	memset(o, 0, sizeof(*o));
	o->dev[0] = "driver:panthor";
	if (pd_policy_parse(&o->policy, pd_default_policy, err, sizeof(err))) {
		fprintf(stderr, "pantrace: built-in policy: %s\n", err);
		return -1;
	}
	*nfiles = 0;
	for (a = 0; a < argc; a++) {
		const char *v = a + 1 < argc ? argv[a + 1] : NULL;

		if ((!strcmp(argv[a], "--device") || !strcmp(argv[a], "--a")) && v) {
			o->dev[0] = argv[++a];
		} else if (!strcmp(argv[a], "--b") && v) {
			o->dev[1] = argv[++a];
		} else if (!strcmp(argv[a], "--json") && v) {
			o->json = argv[++a];
		} else if (!strcmp(argv[a], "--junit") && v) {
			o->junit = argv[++a];
		} else if (!strcmp(argv[a], "--ktap") && v) {
			o->ktap = argv[++a];
		} else if (!strcmp(argv[a], "--expect")) {
			o->expect = 1;
		} else if (!strcmp(argv[a], "-q")) {
			o->quiet = 1;
		} else if (!strcmp(argv[a], "--other-hardware")) {
			o->policy.other_hw = 1;
		} else if (!strcmp(argv[a], "--inject") && v && o->ninj < 16) {
			if (sscanf(v, "%u:%63s", &o->inj[o->ninj].seq, o->inj[o->ninj].what) != 2) {
				fprintf(stderr, "pantrace: --inject wants SEQ:WHAT\n");
				return -1;
			}
			o->ninj++;
			a++;
		} else if (!strcmp(argv[a], "--policy") && v) {
			FILE *f = fopen(v, "r");
			char text[65536];
			size_t n;
			int oh = o->policy.other_hw;

			if (!f) {
				fprintf(stderr, "pantrace: %s: %s\n", v, strerror(errno));
				return -1;
			}
			n = fread(text, 1, sizeof(text) - 1, f);
			fclose(f);
			text[n] = 0;
			if (pd_policy_parse(&o->policy, text, err, sizeof(err))) {
				fprintf(stderr, "pantrace: %s: %s\n", v, err);
				return -1;
			}
			o->policy.other_hw = oh;
			a++;
		} else if (argv[a][0] == '-') {
			fprintf(stderr, "pantrace: unknown option %s\n", argv[a]);
			return -1;
		} else if (*nfiles < 256) {
			files[(*nfiles)++] = argv[a];
		}
	}
	return 0;
}

/* replay (one device) or compare (two), for every FILE. */
static int replay_cmd(int argc, char **argv, int ndev)
{
	static struct opts o;
	const char *files[256];
	struct pd_report *reps[256];
	char path[2][256];
	uint32_t nfiles, i;
	int rc = 0, k;

	if (parse_opts(argc, argv, &o, files, &nfiles) || !nfiles ||
	    (ndev == 2 && !o.dev[1]))
		return usage();
	for (k = 0; k < ndev; k++)
		if (resolve_dev(o.dev[k], path[k], sizeof(path[k])))
			return 5;
	for (i = 0; i < nfiles; i++) {
		struct rp_dev *dev = calloc(ndev, sizeof(*dev));
		struct pd_report *r = calloc(1, sizeof(*r));
		struct trace t;
		double t0 = now_s();

		reps[i] = r;
		if (!dev || !r)
			return 5;
		r->trace = files[i];
		r->a_name = ndev == 1 ? "recorded" : o.dev[0];
		r->b_name = ndev == 1 ? "replayed" : o.dev[1];
		if (load(&t, files[i])) {
			r->trace_status = 4;
			snprintf(r->trace_error, sizeof(r->trace_error), "%s: cannot read",
				 files[i]);
		} else {
			for (k = 0; k < ndev; k++)
				if (rp_init(&dev[k], ndev == 1 ? "replay" : k ? "b" : "a", path[k]))
					return 5;
			replay_trace(&o, &t, dev, ndev, r);
			for (k = 0; k < ndev; k++)
				rp_fini(&dev[k]);
			r->seconds = now_s() - t0;
			text_report(&o, &t, r);
			unload(&t);
		}
		free(dev);
		if (r->trace_status > rc)
			rc = r->trace_status;
		if (o.expect ? check_expect(r) : r->n != 0)
			rc = rc ? rc : 1;
	}
	if (write_reports(&o, reps, nfiles))
		rc = rc ? rc : 5;
	return rc;
}

/* diff A B: two recordings of the same program, call by call. */
/*
 * diff: the index of a snapshot in @t right after the call at @k (only
 * records nothing compares may lie between) of the same BO range as the
 * snapshot @bo, or UINT32_MAX. Either may be a CPU snapshot: a GPU write
 * that lands before the recorder's check ahead of a wait is taken for the
 * CPU's, one that lands after it is observed after the wait.
 */
static uint32_t observed_after(const struct trace *t, const uint8_t *used, uint32_t k,
			       const struct pt_record *bo)
{
	struct pt_bo_data a, b;
	char err[64];

	if (pt_decode_bo_data(bo, &a, err, sizeof(err)))
		return UINT32_MAX;
	for (k++; k < t->n; k++) {
		if (used[k])
			continue;
		if (t->rec[k].type == PT_IOCTL)
			return UINT32_MAX;
		if (t->rec[k].type != PT_BO_DATA)
			continue;
		if (pt_decode_bo_data(&t->rec[k], &b, err, sizeof(err)) ||
		    b.handle != a.handle || b.len != a.len || b.offset != a.offset)
			return UINT32_MAX;
		return k;
	}
	return UINT32_MAX;
}

/* diff: the bytes of snapshot @a (first trace) against @b (second). */
static void diff_snapshots(struct pd_report *r, const struct pd_policy *pol,
			   const struct pt_record *a, const struct pt_record *b, char *err,
			   size_t errlen)
{
	struct pt_bo_data x, y;

	if (!pt_decode_bo_data(a, &x, err, errlen) && !pt_decode_bo_data(b, &y, err, errlen))
		pd_mem(r, pol, b->seq, "BO_DATA", y.offset, x.bytes, y.bytes, x.len);
}

static int diff_cmd(int argc, char **argv)
{
	static struct opts o;
	static struct pt_mem mem2[PT_MAX_MEM];
	const char *files[256];
	struct pd_report r, *rp = &r;
	struct trace t[2];
	uint8_t *used[2] = { NULL, NULL };	/* records compared out of order */
	uint32_t nfiles, i = 0, j = 0;
	char err[256] = "";
	int rc;

	if (parse_opts(argc, argv, &o, files, &nfiles) || nfiles != 2)
		return usage();
	memset(&r, 0, sizeof(r));
	r.trace = files[1];
	r.a_name = files[0];
	r.b_name = files[1];
	if (load(&t[0], files[0]) || load(&t[1], files[1]))
		return 4;
	used[0] = calloc(t[0].n + 1, 1);
	used[1] = calloc(t[1].n + 1, 1);
	if (!used[0] || !used[1]) {
		fprintf(stderr, "pantrace: out of memory\n");
		return 4;
	}
	for (;;) {
		struct pt_ioctl x, y;
		struct pt_bo_data bx, by;
		static struct rp_out ox, oy;
		uint32_t k2;

		/* the next comparable record on each side */
		while (i < t[0].n && (used[0][i] || (t[0].rec[i].type != PT_IOCTL &&
						    t[0].rec[i].type != PT_BO_DATA)))
			i++;
		while (j < t[1].n && (used[1][j] || (t[1].rec[j].type != PT_IOCTL &&
						    t[1].rec[j].type != PT_BO_DATA)))
			j++;
		if (i == t[0].n || j == t[1].n) {
			if (i != t[0].n || j != t[1].n)
				pd_add(&r, i < t[0].n ? t[0].rec[i].seq : t[1].rec[j].seq, "end",
				       "records", i < t[0].n ? "more records" : "end",
				       j < t[1].n ? "more records" : "end");
			break;
		}
		r.records++;
		/*
		 * A snapshot of GPU-written memory lands before or after the next
		 * call depending on when the GPU finished (see observed_after): it
		 * is compared with the other side's snapshot just past that call.
		 */
		if (t[0].rec[i].type == PT_BO_DATA && t[1].rec[j].type == PT_IOCTL &&
		    (k2 = observed_after(&t[1], used[1], j, &t[0].rec[i])) != UINT32_MAX) {
			diff_snapshots(&r, &o.policy, &t[0].rec[i], &t[1].rec[k2], err, sizeof(err));
			used[1][k2] = 1;
			i++;
			continue;
		}
		if (t[1].rec[j].type == PT_BO_DATA && t[0].rec[i].type == PT_IOCTL &&
		    (k2 = observed_after(&t[0], used[0], i, &t[1].rec[j])) != UINT32_MAX) {
			diff_snapshots(&r, &o.policy, &t[0].rec[k2], &t[1].rec[j], err, sizeof(err));
			used[0][k2] = 1;
			j++;
			continue;
		}
		if (t[0].rec[i].type != t[1].rec[j].type) {
			pd_add(&r, t[1].rec[j].seq, "record", "type", pt_type_name(t[0].rec[i].type),
			       pt_type_name(t[1].rec[j].type));
			break;
		}
		if (t[0].rec[i].type == PT_BO_DATA) {
			if (pt_decode_bo_data(&t[0].rec[i], &bx, err, sizeof(err)) ||
			    pt_decode_bo_data(&t[1].rec[j], &by, err, sizeof(err)))
				break;
			if (bx.kind == PT_BO_OBSERVED && by.kind == PT_BO_OBSERVED && bx.len == by.len)
				pd_mem(&r, &o.policy, t[1].rec[j].seq, "BO_DATA", by.offset, bx.bytes,
				       by.bytes, bx.len);
			i++, j++;
			continue;
		}
		if (pt_decode_ioctl(&t[0].rec[i], &x, memv, PT_MAX_MEM, err, sizeof(err)) ||
		    pt_decode_ioctl(&t[1].rec[j], &y, mem2, PT_MAX_MEM, err, sizeof(err)))
			break;
		if (rp_skip_record(&x)) {
			i++;
			continue;
		}
		if (rp_skip_record(&y)) {
			j++;
			continue;
		}
		if (!pu_same_nr(x.request, y.request)) {
			const struct pu_ioctl *px = pu_ioctl_lookup(x.request);
			const struct pu_ioctl *py = pu_ioctl_lookup(y.request);

			pd_add(&r, t[1].rec[j].seq, "ioctl", "request", px ? px->name : "?",
			       py ? py->name : "?");
			break;
		}
		rp_out_from_trace(&x, &ox);
		rp_out_from_trace(&y, &oy);
		pd_ioctl(&r, &o.policy, t[1].rec[j].seq, &y, &ox, &oy);
		i++, j++;
	}
	if (err[0]) {
		r.trace_status = 4;
		snprintf(r.trace_error, sizeof(r.trace_error), "%s", err);
	}
	text_report(&o, &t[1], &r);
	rc = r.trace_status ? r.trace_status : r.n ? 1 : 0;
	if (write_reports(&o, &rp, 1))
		rc = 5;
	unload(&t[0]);
	unload(&t[1]);
	free(used[0]);
	free(used[1]);
	return rc;
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
	/* first, so that it records what any other preloaded library returns */
	if (getenv("LD_PRELOAD") && *getenv("LD_PRELOAD")) {
		char *both;

		if (asprintf(&both, "%s:%s", lib, getenv("LD_PRELOAD")) < 0)
			return 1;
		setenv("LD_PRELOAD", both, 1);
	} else {
		setenv("LD_PRELOAD", lib, 1);
	}
	execvp(argv[a + 1], argv + a + 1);
	fprintf(stderr, "pantrace: %s: %s\n", argv[a + 1], strerror(errno));
	return 127;
}

/* pantrace c TRACE [-o FILE]: a standalone C reproducer (harness/toc.c). */
static int to_c(int argc, char **argv)
{
	const char *out = NULL;
	struct trace t;
	char err[256];
	FILE *o = stdout;
	int rc;

	if (argc == 3 && !strcmp(argv[1], "-o"))
		out = argv[2];
	else if (argc != 1)
		return usage();
	if (load(&t, argv[0]))
		return 1;
	if (t.status == 4) {
		fprintf(stderr, "pantrace: %s\n", t.error);
		unload(&t);
		return 4;
	}
	if (out && !(o = fopen(out, "w"))) {
		fprintf(stderr, "pantrace: %s: %s\n", out, strerror(errno));
		unload(&t);
		return 1;
	}
	rc = pt_to_c(o, t.rec, t.n, argv[0], err, sizeof(err)) ? 4 : t.status;
	if (rc == 4)
		fprintf(stderr, "pantrace: %s: %s\n", argv[0], err);
	else if (t.status)
		fprintf(stderr, "pantrace: %s (the complete records are in the program)\n", t.error);
	if (out && fclose(o))
		rc = 1;
	unload(&t);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "c"))
		return to_c(argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "dump"))
		return dump(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "record"))
		return record(argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "replay"))
		return replay_cmd(argc - 2, argv + 2, 1);
	if (argc >= 3 && !strcmp(argv[1], "compare"))
		return replay_cmd(argc - 2, argv + 2, 2);
	if (argc >= 3 && !strcmp(argv[1], "diff"))
		return diff_cmd(argc - 2, argv + 2);
	return usage();
}
