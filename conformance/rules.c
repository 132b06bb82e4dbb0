// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Table-driven subtests (see rules.h). Expected errnos follow Panthor
 * 6.12 (panthor_drv.c), cited per rule; docs/uapi.md
 * section 2 lists them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "igt.h"
#include "rules.h"
#include "uapi.h"

/* ---- object helpers ------------------------------------------------------ */

int conf_vm_create(uint32_t *vm)
{
	struct drm_panthor_vm_create c = { 0 };
	int r = conf_ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &c);

	*vm = c.id;
	return r;
}

void conf_vm_destroy(uint32_t vm)
{
	struct drm_panthor_vm_destroy d = { .id = vm };

	conf_ioctl(DRM_IOCTL_PANTHOR_VM_DESTROY, &d);
}

int conf_bo_create(uint64_t size, uint32_t flags, uint32_t excl_vm, uint32_t *bo)
{
	struct drm_panthor_bo_create c = {
		.size = size, .flags = flags, .exclusive_vm_id = excl_vm,
	};
	int r = conf_ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &c);

	*bo = c.handle;
	return r;
}

void conf_gem_close(uint32_t bo)
{
	struct drm_gem_close c = { .handle = bo };

	conf_ioctl(DRM_IOCTL_GEM_CLOSE, &c);
}

int conf_group_create(uint32_t vm, uint32_t nqueues, uint32_t *group)
{
	struct drm_panthor_queue_create q[32];
	struct drm_panthor_group_create c = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(nqueues, q),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = 1, .fragment_core_mask = 1, .tiler_core_mask = 1,
		.vm_id = vm,
	};
	uint32_t i;
	int r;

	for (i = 0; i < nqueues && i < 32; i++)
		q[i] = (struct drm_panthor_queue_create){ .priority = 1, .ringbuf_size = 4096 };
	r = conf_ioctl(DRM_IOCTL_PANTHOR_GROUP_CREATE, &c);
	*group = c.group_handle;
	return r;
}

void conf_group_destroy(uint32_t group)
{
	struct drm_panthor_group_destroy d = { .group_handle = group };

	conf_ioctl(DRM_IOCTL_PANTHOR_GROUP_DESTROY, &d);
}

/* ---- valid arguments, per ioctl ---------------------------------------- */

/*
 * Everything a call needs, in one place, so a mutation can reach any
 * byte: the argument and the arrays it points at.
 */
struct call {
	const struct pu_ioctl *io;
	uint8_t arg[256];
	/* arrays the argument points at, with room for larger strides */
	uint8_t elems[4][256];
	uint8_t payload[256];	/* DEV_QUERY output */
	uint32_t vm, bo, group, heap;
};

static void must(int r, const char *what)
{
	if (r)
		igt_fail_at(__FILE__, __LINE__, "setup: %s: %s", what, strerror(-r));
}

#define ARG(c, st)	((struct st *)(c)->arg)

/* Fill @c with a call of @c->io that must succeed. */
static void build(struct call *c)
{
	unsigned long req = c->io->request;

	memset(c->arg, 0, sizeof(c->arg));
	memset(c->elems, 0, sizeof(c->elems));
	c->vm = c->bo = c->group = c->heap = 0;
	if (req == DRM_IOCTL_PANTHOR_DEV_QUERY) {
		*ARG(c, drm_panthor_dev_query) = (struct drm_panthor_dev_query){
			.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
			.size = sizeof(struct drm_panthor_gpu_info),
			.pointer = (uintptr_t)c->payload };
	} else if (req == DRM_IOCTL_PANTHOR_VM_CREATE) {
		/* all zero: default VA split */
	} else if (req == DRM_IOCTL_PANTHOR_BO_CREATE) {
		ARG(c, drm_panthor_bo_create)->size = 4096;
	} else {
		must(conf_vm_create(&c->vm), "VM_CREATE");
	}
	if (req == DRM_IOCTL_PANTHOR_VM_DESTROY) {
		ARG(c, drm_panthor_vm_destroy)->id = c->vm;
	} else if (req == DRM_IOCTL_PANTHOR_VM_GET_STATE) {
		ARG(c, drm_panthor_vm_get_state)->vm_id = c->vm;
	} else if (req == DRM_IOCTL_PANTHOR_VM_BIND) {
		struct drm_panthor_vm_bind_op *op = (void *)c->elems[0];

		must(conf_bo_create(4096, 0, 0, &c->bo), "BO_CREATE");
		*op = (struct drm_panthor_vm_bind_op){
			.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .bo_handle = c->bo,
			.va = 0x1000000, .size = 4096 };
		*ARG(c, drm_panthor_vm_bind) = (struct drm_panthor_vm_bind){
			.vm_id = c->vm, .ops = DRM_PANTHOR_OBJ_ARRAY(1, op) };
	} else if (req == DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET) {
		must(conf_bo_create(4096, 0, 0, &c->bo), "BO_CREATE");
		ARG(c, drm_panthor_bo_mmap_offset)->handle = c->bo;
	} else if (req == DRM_IOCTL_PANTHOR_GROUP_CREATE) {
		struct drm_panthor_queue_create *q = (void *)c->elems[0];

		*q = (struct drm_panthor_queue_create){ .priority = 1, .ringbuf_size = 4096 };
		*ARG(c, drm_panthor_group_create) = (struct drm_panthor_group_create){
			.queues = DRM_PANTHOR_OBJ_ARRAY(1, q),
			.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
			.priority = PANTHOR_GROUP_PRIORITY_MEDIUM, .compute_core_mask = 1,
			.fragment_core_mask = 1, .tiler_core_mask = 1, .vm_id = c->vm };
	} else if (req == DRM_IOCTL_PANTHOR_GROUP_DESTROY ||
		   req == DRM_IOCTL_PANTHOR_GROUP_GET_STATE ||
		   req == DRM_IOCTL_PANTHOR_GROUP_SUBMIT) {
		must(conf_group_create(c->vm, 1, &c->group), "GROUP_CREATE");
		/* group_handle is the first field of all three */
		*(uint32_t *)c->arg = c->group;
		if (req == DRM_IOCTL_PANTHOR_GROUP_SUBMIT) {
			struct drm_panthor_queue_submit *qs = (void *)c->elems[0];

			/* an empty job (stream_addr = stream_size = 0) is valid */
			memset(qs, 0, sizeof(*qs));
			ARG(c, drm_panthor_group_submit)->queue_submits =
				(struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, qs);
		}
	} else if (req == DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE) {
		*ARG(c, drm_panthor_tiler_heap_create) = (struct drm_panthor_tiler_heap_create){
			.vm_id = c->vm, .initial_chunk_count = 1, .chunk_size = 128 * 1024,
			.max_chunks = 4, .target_in_flight = 1 };
	} else if (req == DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY) {
		struct drm_panthor_tiler_heap_create h = {
			.vm_id = c->vm, .initial_chunk_count = 1, .chunk_size = 128 * 1024,
			.max_chunks = 4, .target_in_flight = 1 };

		must(conf_ioctl(DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &h), "TILER_HEAP_CREATE");
		c->heap = h.handle;
		ARG(c, drm_panthor_tiler_heap_destroy)->handle = h.handle;
	}
}

/* Release what build() and a successful call created. */
static void cleanup(struct call *c, int call_result)
{
	unsigned long req = c->io->request;

	if (!call_result && req == DRM_IOCTL_PANTHOR_VM_CREATE)
		conf_vm_destroy(ARG(c, drm_panthor_vm_create)->id);
	if (!call_result && req == DRM_IOCTL_PANTHOR_BO_CREATE)
		conf_gem_close(ARG(c, drm_panthor_bo_create)->handle);
	if (!call_result && req == DRM_IOCTL_PANTHOR_GROUP_CREATE)
		conf_group_destroy(ARG(c, drm_panthor_group_create)->group_handle);
	if (c->group && (call_result || req != DRM_IOCTL_PANTHOR_GROUP_DESTROY))
		conf_group_destroy(c->group);
	if (c->bo)
		conf_gem_close(c->bo);
	if (c->vm && (call_result || req != DRM_IOCTL_PANTHOR_VM_DESTROY))
		conf_vm_destroy(c->vm);	/* also frees heaps and mappings */
}

/* ---- mutations ------------------------------------------------------------- */

enum mut_kind { M_VALID, M_PAD, M_FLAG, M_STRIDE_SMALL, M_STRIDE_ZERO_TAIL,
		M_STRIDE_DIRTY_TAIL, M_ARRAY_EFAULT, M_HANDLE, M_ARG_EFAULT,
		M_COUNT_ZERO, M_HUGE_COUNT, M_OVERSIZE_COUNT };

struct mutation {
	const struct pu_ioctl *io;
	enum mut_kind kind;
	const struct pu_field *array;	/* top-level obj_array, if in an element */
	const struct pu_field *field;
	uint64_t bit;
	int expect;			/* errno, 0 for success */
};

static void set_field(uint8_t *base, const struct pu_field *f, uint64_t v)
{
	memcpy(base + f->offset, &v, f->size < 8 ? f->size : 8);
}

static void run_mutation(void *p)
{
	const struct mutation *m = p;
	struct call c = { .io = m->io };
	struct drm_panthor_obj_array *arr = NULL;
	uint8_t *target = c.arg;
	int r;

	/* Control: the unmutated call succeeds. */
	build(&c);
	r = conf_ioctl(c.io->request, c.arg);
	cleanup(&c, r);
	if (r)
		igt_fail_at(__FILE__, __LINE__, "the valid %s call failed: %s", c.io->name,
			    strerror(-r));
	if (m->kind == M_VALID)
		return;

	build(&c);
	if (m->array) {
		arr = (void *)(c.arg + m->array->offset);
		target = c.elems[0];
		if (!arr->count) {
			cleanup(&c, -1);
			igt_skip("%s.%s is empty in the valid call", c.io->name, m->array->name);
		}
	}
	switch (m->kind) {
	case M_PAD:
		memset(target + m->field->offset, 0, m->field->size);
		target[m->field->offset] = 1;
		break;
	case M_FLAG: {
		uint64_t v = 0;

		memcpy(&v, target + m->field->offset, m->field->size);
		set_field(target, m->field, v | m->bit);
		break;
	}
	case M_HANDLE:
		set_field(target, m->field, 0x7fffffff);
		break;
	case M_STRIDE_SMALL:
		arr->stride = m->array->elem->min_size - 1;
		break;
	case M_STRIDE_ZERO_TAIL:
	case M_STRIDE_DIRTY_TAIL: {
		uint32_t size = m->array->elem->size;

		/* Element 0 keeps its bytes; the tail beyond sizeof is new. */
		arr->stride = size + 8;
		memset(c.elems[0] + size, 0, 8);
		if (m->kind == M_STRIDE_DIRTY_TAIL)
			c.elems[0][size + 3] = 0x5a;
		break;
	}
	case M_ARRAY_EFAULT:
		arr->array = 16;	/* never mapped */
		break;
	case M_COUNT_ZERO:
		arr->count = 0;
		break;
	case M_HUGE_COUNT:
		arr->count = 0x100000;	/* allocatable, far past the one element */
		break;
	case M_OVERSIZE_COUNT:
		arr->count = 0x10000000;	/* count * stride > INT_MAX bytes */
		break;
	default:
		break;
	}
	if (m->kind == M_ARG_EFAULT)
		r = conf_ioctl(c.io->request, (void *)16);
	else
		r = conf_ioctl(c.io->request, c.arg);
	cleanup(&c, r);
	if (m->kind == M_OVERSIZE_COUNT) {
		/* Any clean failure (ENOMEM, EINVAL, E2BIG...): never success. */
		igt_assert_f(r < 0, "%s with a count past INT_MAX bytes succeeded", c.io->name);
		return;
	}
	igt_assert_err(r, m->expect);
}

/* ---- expectations ------------------------------------------------------------ */

/* errno for an unknown handle in @io.@f (Panthor 6.12 panthor_drv.c). */
static int handle_errno(const struct pu_ioctl *io, const struct pu_field *f)
{
	/* drm_gem_object_lookup() failures in BO_MMAP_OFFSET are ENOENT */
	if (io->request == DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET)
		return ENOENT;
	(void)f;
	return EINVAL;
}

/*
 * An empty array: panthor_get_uobj_array() returns an empty array; VM_BIND
 * and GROUP_SUBMIT then have nothing to do, GROUP_CREATE needs 1..N queues.
 */
static int count_zero_errno(const struct pu_ioctl *io)
{
	return io->request == DRM_IOCTL_PANTHOR_GROUP_CREATE ? EINVAL : 0;
}

/*
 * A count far past the one valid element: GROUP_CREATE bounds it first
 * (1..32, EINVAL); elsewhere the copy of element 1 faults (EFAULT).
 */
static int huge_count_errno(const struct pu_ioctl *io)
{
	return io->request == DRM_IOCTL_PANTHOR_GROUP_CREATE ? EINVAL : EFAULT;
}

static char *lower_dash(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = s[i] == '_' ? '-' : tolower((unsigned char)s[i]);
	buf[i] = 0;
	return buf;
}

static struct mutation *new_mut(const struct pu_ioctl *io, enum mut_kind k,
				const struct pu_field *array, const struct pu_field *f,
				uint64_t bit, int expect)
{
	struct mutation *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	*m = (struct mutation){ io, k, array, f, bit, expect };
	return m;
}

/* Rules for the fields of @s (the argument, or an element of @array). */
static void add_field_rules(const struct pu_ioctl *io, const char *ioname,
			    const struct pu_struct *s, const struct pu_field *array)
{
	char fname[64], prefix[80];
	uint32_t i;

	snprintf(prefix, sizeof(prefix), "%s%s%s", ioname, array ? "-" : "",
		 array ? lower_dash(array->name, fname, sizeof(fname)) : "");
	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		uint64_t width = f->size >= 8 ? ~0ull : (1ull << (8 * f->size)) - 1;
		uint64_t invalid = ~f->valid_mask & width;

		lower_dash(f->name, fname, sizeof(fname));
		if (f->kind == PU_PAD && (f->dir & PU_IN))
			igt_addf(run_mutation, new_mut(io, M_PAD, array, f, 0, EINVAL),
				 "%s-nonzero-%s", prefix, fname);
		if (f->kind == PU_FLAGS && (f->dir & PU_IN) && invalid) {
			/* the lowest and the highest bit the kernel rejects */
			uint64_t lo = invalid & -invalid, hi = lo;

			while (invalid & ~((hi << 1) - 1))
				hi <<= 1;
			igt_addf(run_mutation, new_mut(io, M_FLAG, array, f, lo, EINVAL),
				 "%s-%s-unknown-bit%d", prefix, fname, __builtin_ctzll(lo));
			if (hi != lo)
				igt_addf(run_mutation, new_mut(io, M_FLAG, array, f, hi, EINVAL),
					 "%s-%s-unknown-bit%d", prefix, fname, __builtin_ctzll(hi));
		}
		if (f->kind == PU_HANDLE && f->dir == PU_IN)
			igt_addf(run_mutation,
				 new_mut(io, M_HANDLE, array, f, 0, handle_errno(io, f)),
				 "%s-unknown-%s", prefix, fname);
		if (f->kind == PU_OBJ_ARRAY && !array) {
			/* panthor_get_uobj_array(): stride < min is EINVAL, a
			 * larger stride is copied with copy_struct_from_user(),
			 * so a non-zero tail is E2BIG; a bad pointer EFAULT.
			 */
			igt_addf(run_mutation, new_mut(io, M_STRIDE_SMALL, f, NULL, 0, EINVAL),
				 "%s-%s-stride-too-small", ioname, fname);
			igt_addf(run_mutation, new_mut(io, M_STRIDE_ZERO_TAIL, f, NULL, 0, 0),
				 "%s-%s-stride-larger-zero-tail", ioname, fname);
			igt_addf(run_mutation, new_mut(io, M_STRIDE_DIRTY_TAIL, f, NULL, 0, E2BIG),
				 "%s-%s-stride-larger-nonzero-tail", ioname, fname);
			igt_addf(run_mutation, new_mut(io, M_ARRAY_EFAULT, f, NULL, 0, EFAULT),
				 "%s-%s-bad-pointer", ioname, fname);
			igt_addf(run_mutation, new_mut(io, M_COUNT_ZERO, f, NULL, 0,
						       count_zero_errno(io)),
				 "%s-%s-count-zero", ioname, fname);
			igt_addf(run_mutation, new_mut(io, M_HUGE_COUNT, f, NULL, 0,
						       huge_count_errno(io)),
				 "%s-%s-huge-count", ioname, fname);
			igt_addf(run_mutation, new_mut(io, M_OVERSIZE_COUNT, f, NULL, 0, 0),
				 "%s-%s-count-over-int-max", ioname, fname);
			add_field_rules(io, ioname, f->elem, f);
		}
	}
}

void conf_add_rules(const char *name)
{
	const struct pu_ioctl *io = pu_ioctl_by_name(name);
	char ioname[64];

	if (!io) {
		fprintf(stderr, "conformance: %s is not in the uAPI table\n", name);
		exit(79);
	}
	lower_dash(io->name + strlen("PANTHOR_"), ioname, sizeof(ioname));
	igt_addf(run_mutation, new_mut(io, M_VALID, NULL, NULL, 0, 0), "%s-valid", ioname);
	/* drm_ioctl() copies the argument in: a bad pointer is EFAULT. */
	igt_addf(run_mutation, new_mut(io, M_ARG_EFAULT, NULL, NULL, 0, EFAULT),
		 "%s-bad-argument-pointer", ioname);
	add_field_rules(io, ioname, io->arg, NULL);
}
