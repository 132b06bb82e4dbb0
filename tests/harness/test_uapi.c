// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of the uAPI description table (harness/uapi.c): every struct
 * fully described in each of its layouts, lookups by type and nr at any
 * size, the versions of uAPI 1.1+ ioctls, query types and flags, and the
 * uAPI version a call needs. (Offsets against the kernel's and libdrm's
 * headers: tests/harness/uapi-vs-headers.sh.)
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "ktap.h"
#include "panthor_uapi_new.h"
#include "uapi.h"


/* Every byte covered once, fields in order, inside the struct. */
static int struct_ok(const struct pu_struct *s, char *why, size_t len)
{
	unsigned char cover[512] = { 0 };
	uint32_t i, b;

	uint32_t full = pu_full_size(s);

	if (full > sizeof(cover) || !s->min_size || s->min_size > s->size || !s->nlayouts ||
	    !pu_layout_of(s, s->size) || s->min_size > s->layouts[0].size) {
		snprintf(why, len, "%s: size %u, min %u, %u layouts", s->name, s->size, s->min_size,
			 s->nlayouts);
		return 0;
	}
	for (i = 1; i < s->nlayouts; i++) {
		if (s->layouts[i].size <= s->layouts[i - 1].size ||
		    s->layouts[i].minor < s->layouts[i - 1].minor) {
			snprintf(why, len, "%s: layouts not oldest first", s->name);
			return 0;
		}
	}
	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];

		if (f->offset + f->size > full || !f->size) {
			snprintf(why, len, "%s.%s outside the struct", s->name, f->name);
			return 0;
		}
		for (b = f->offset; b < f->offset + f->size; b++) {
			if (cover[b]++) {
				snprintf(why, len, "%s.%s overlaps", s->name, f->name);
				return 0;
			}
		}
		if (f->kind == PU_UPTR && !(f->attr & PU_A_STRING) &&
		    !pu_field_by_name(s, f->size_field)) {
			snprintf(why, len, "%s.%s: no size field %s", s->name, f->name,
				 f->size_field);
			return 0;
		}
		if (f->kind == PU_OBJ_ARRAY &&
		    (!f->elem || f->size != sizeof(struct drm_panthor_obj_array) ||
		     !struct_ok(f->elem, why, len)))
			return 0;
		if (f->kind == PU_HANDLE && f->handle == PU_H_NONE) {
			snprintf(why, len, "%s.%s: handle of no kind", s->name, f->name);
			return 0;
		}
	}
	for (i = 0; i < s->nlayouts; i++) {
		/* every layout ends at a field's end: no field straddles a size */
		for (b = 0; b < s->nfields; b++)
			if (s->fields[b].offset < s->layouts[i].size &&
			    s->fields[b].offset + s->fields[b].size > s->layouts[i].size)
				break;
		if (b < s->nfields) {
			snprintf(why, len, "%s: field %s straddles layout size %u", s->name,
				 s->fields[b].name, s->layouts[i].size);
			return 0;
		}
	}
	for (b = 0; b < full; b++) {
		if (!cover[b]) {
			snprintf(why, len, "%s: byte %u described by no field", s->name, b);
			return 0;
		}
	}
	return 1;
}

/* memory lookup for pu_call_minor over one block */
static const uint8_t *one_block_addr_mem;
static uint64_t one_block_addr;
static uint32_t one_block_len;

static const uint8_t *one_block(void *ctx, uint64_t addr, uint32_t len)
{
	(void)ctx;
	return addr == one_block_addr && len <= one_block_len ? one_block_addr_mem : NULL;
}

static unsigned int minor_with(const char *ioctl, const void *arg, uint32_t len,
			       const void *mem, uint64_t addr, uint32_t mlen)
{
	one_block_addr_mem = mem;
	one_block_addr = addr;
	one_block_len = mlen;
	return pu_call_minor(pu_ioctl_by_name(ioctl), arg, len, one_block, NULL);
}

/* Every ioctl at every size: same entry by type/nr, what is known of it. */
static void test_sizes(void)
{
	const struct pu_ioctl *w = pu_ioctl_by_name("SYNCOBJ_WAIT");
	const struct pu_ioctl *tw = pu_ioctl_by_name("SYNCOBJ_TIMELINE_WAIT");
	unsigned long w32 = _IOC(_IOC_READ | _IOC_WRITE, 'd', 0xc3, 32);
	unsigned long w40 = _IOC(_IOC_READ | _IOC_WRITE, 'd', 0xc3, 40);
	int ok;

	ok = w && tw && w32 == 0xc02064c3 && w40 == 0xc02864c3 &&
	     pu_ioctl_lookup(w32) == w && pu_ioctl_lookup(w40) == w &&
	     pu_ioctl_lookup(_IOC(_IOC_READ | _IOC_WRITE, 'd', 0xc3, 36)) == w &&
	     pu_ioctl_lookup(0xc02864ca) == tw && pu_ioctl_lookup(0xc03064ca) == tw &&
	     w->request == w40 && pu_layout_of(w->arg, 32) && pu_layout_of(w->arg, 40) &&
	     !pu_layout_of(w->arg, 36) && pu_known_len(w->arg, 36) == 36 &&
	     pu_known_len(w->arg, 48) == 40 && pu_layout_of(tw->arg, 40) && pu_layout_of(tw->arg, 48) &&
	     pu_field_in(pu_field_by_name(w->arg, "deadline_nsec"), 40) &&
	     !pu_field_in(pu_field_by_name(w->arg, "deadline_nsec"), 32) &&
	     (pu_field_by_name(w->arg, "deadline_nsec")->attr & PU_A_ABSTIME);
	result(ok, "syncobj_waits_at_32_and_40_bytes", "SYNCOBJ_WAIT layouts/lookup wrong");
	ok = !pu_ioctl_lookup(_IOC(_IOC_READ | _IOC_WRITE, 'd', 0xcf, 16)) &&
	     !pu_ioctl_lookup(_IOC(_IOC_READ | _IOC_WRITE, 'd', 0x40 + 40, 16)) &&
	     !pu_ioctl_lookup(_IOC(_IOC_READ | _IOC_WRITE, 'e', 0xc3, 40)) &&
	     pu_same_nr(w32, w40) && !pu_same_nr(w32, 0xc02864ca);
	result(ok, "unknown_ioctls_not_found", "an unknown (type, nr) matched an entry");
}

/* uAPI 1.1 .. 1.9: ioctls, query types, flags, and the version a call needs. */
static void test_versions(void)
{
	static const struct { const char *name; unsigned long req; unsigned int minor; } newer[] = {
		{ "PANTHOR_BO_SET_LABEL", 0xc010644d, 4 },
		{ "PANTHOR_SET_USER_MMIO_OFFSET", 0xc008644e, 5 },
		{ "PANTHOR_BO_SYNC", 0xc010644f, 7 },
		{ "PANTHOR_BO_QUERY_INFO", 0xc0106450, 7 },
	};
	static const unsigned int qminor[] = { 0, 0, 1, 2, 9 };
	const struct pu_struct *ts = pu_query_payload(PN_QUERY_TIMESTAMP_INFO);
	struct drm_panthor_dev_query q = { .type = PN_QUERY_TIMESTAMP_INFO, .size = 56, .pointer = 4096 };
	struct pn_timestamp_info ti = { .flags = 0 };
	struct drm_panthor_bo_create bc = { .size = 4096, .flags = PN_BO_WB_MMAP };
	struct drm_panthor_vm_bind_op op = { .flags = PN_VM_BIND_OP_MAP_SPARSE | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC };
	struct drm_panthor_vm_bind vb = { .vm_id = 1, .ops = { sizeof(op), 1, 8192 } };
	struct drm_panthor_group_create gc = { .priority = PN_GROUP_PRIORITY_REALTIME };
	unsigned int i, n = 0;
	int ok = 1;

	for (i = 0; i < sizeof(newer) / sizeof(newer[0]); i++) {
		const struct pu_ioctl *io = pu_ioctl_by_name(newer[i].name);

		if (!io || io->request != newer[i].req || io->minor != newer[i].minor ||
		    pu_ioctl_lookup(newer[i].req) != io || _IOC_SIZE(io->request) != io->arg->size) {
			ok = 0;
			printf("# %s wrong\n", newer[i].name);
		}
	}
	for (i = 0; i < pu_nioctls; i++)
		n += pu_ioctls[i].panthor;
	result(ok && n == 17, "panthor_ioctls_1_0_to_1_9", "17 Panthor ioctls with their versions");
	ok = pu_nqueries == 5;
	for (i = 0; ok && i < 5; i++)
		ok = pu_query_by_type(i) && pu_query_by_type(i)->minor == qminor[i] &&
		     struct_ok(pu_query_payload(i), (char[200]){ 0 }, 200);
	ok = ok && ts && pu_layout_of(ts, 24)->minor == 1 && pu_layout_of(ts, 56)->minor == 8 &&
	     ts->min_size == 16 && pu_full_size(pu_query_payload(0)) == 112 &&
	     pu_query_payload(0)->size == sizeof(struct drm_panthor_gpu_info) &&
	     !strcmp(pu_field_by_name(pu_query_payload(0), "selected_coherency")->was, "pad0") &&
	     !pu_query_by_type(5);
	result(ok, "query_types_1_0_to_1_9", "DEV_QUERY types/layouts wrong");
	/* the version a call needs */
	ok = minor_with("PANTHOR_DEV_QUERY", &q, sizeof(q), &ti, 4096, 56) == 1;
	ti.flags = PN_TS_GPU | PN_TS_CPU_MONOTONIC;
	ok = ok && minor_with("PANTHOR_DEV_QUERY", &q, sizeof(q), &ti, 4096, 56) == 8;
	q.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO;
	ok = ok && minor_with("PANTHOR_DEV_QUERY", &q, sizeof(q), &ti, 4096, 56) == 0;
	q.type = PN_QUERY_MMU_INFO;
	ok = ok && minor_with("PANTHOR_DEV_QUERY", &q, sizeof(q), NULL, 0, 0) == 9;
	ok = ok && minor_with("PANTHOR_BO_CREATE", &bc, sizeof(bc), NULL, 0, 0) == 7;
	bc.flags = DRM_PANTHOR_BO_NO_MMAP;
	ok = ok && minor_with("PANTHOR_BO_CREATE", &bc, sizeof(bc), NULL, 0, 0) == 0;
	ok = ok && minor_with("PANTHOR_VM_BIND", &vb, sizeof(vb), &op, 8192, sizeof(op)) == 9;
	op.flags = DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
	ok = ok && minor_with("PANTHOR_VM_BIND", &vb, sizeof(vb), &op, 8192, sizeof(op)) == 0;
	ok = ok && minor_with("PANTHOR_GROUP_CREATE", &gc, sizeof(gc), NULL, 0, 0) == 2;
	ok = ok && minor_with("PANTHOR_BO_SYNC", &vb.ops, 16, NULL, 0, 0) == 7;
	result(ok, "uapi_version_a_call_needs", "pu_call_minor wrong");
}

/*
 * --print-layouts: every struct the table describes, for the header check
 * (tests/harness/uapi-vs-headers.sh). "S NAME SIZE612 IN612 LAYOUT..." then
 * "F NAME FIELD HEADER-NAME OFFSET SIZE" per field.
 */
static void print_layouts(const struct pu_struct *s, const struct pu_struct **seen, size_t *n)
{
	uint32_t i;
	size_t k;

	for (k = 0; k < *n; k++)
		if (seen[k] == s)
			return;
	seen[(*n)++] = s;
	printf("S %s %u %d", s->name, s->size, s->layouts[0].minor == 0);
	for (i = 0; i < s->nlayouts; i++)
		printf(" %u", s->layouts[i].size);
	printf("\n");
	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];

		if (f->name[0] != '(')
			printf("F %s %s %s %u %u\n", s->name, f->name, f->was ? f->was : f->name,
			       f->offset, f->size);
	}
	for (i = 0; i < s->nfields; i++)
		if (s->fields[i].kind == PU_OBJ_ARRAY)
			print_layouts(s->fields[i].elem, seen, n);
}

int main(int argc, char **argv)

{
	char why[200] = "";
	size_t i;
	int ok = 1, npanthor = 0;

	if (argc > 1 && !strcmp(argv[1], "--print-layouts")) {
		static const struct pu_struct *seen[128];
		size_t n = 0;

		for (i = 0; i < pu_nioctls; i++)
			print_layouts(pu_ioctls[i].arg, seen, &n);
		for (i = 0; i < pu_nqueries; i++)
			print_layouts(pu_queries[i].payload, seen, &n);
		return 0;
	}
	printf("KTAP version 1\n1..10\n");
	for (i = 0; i < pu_nioctls && ok; i++) {
		ok = _IOC_SIZE(pu_ioctls[i].request) == pu_ioctls[i].arg->size;
		if (!ok)
			snprintf(why, sizeof(why), "%s: request size %u, struct %u",
				 pu_ioctls[i].name, (unsigned int)_IOC_SIZE(pu_ioctls[i].request),
				 pu_ioctls[i].arg->size);
		npanthor += pu_ioctls[i].panthor;
	}
	result(ok, "ioctl_sizes_match_requests", why);
	for (i = 0, npanthor = 0; i < pu_nioctls; i++)
		npanthor += pu_ioctls[i].panthor && !pu_ioctls[i].minor;
	result(npanthor == DRM_PANTHOR_TILER_HEAP_DESTROY + 1, "every_panthor_1_0_ioctl",
	       "table does not list the 13 ioctls of uAPI 1.0");
	for (i = 0, ok = 1; i < pu_nioctls && ok; i++)
		ok = struct_ok(pu_ioctls[i].arg, why, sizeof(why));
	for (i = 0; ok && i < pu_nqueries; i++)
		ok = struct_ok(pu_queries[i].payload, why, sizeof(why));
	result(ok, "structs_fully_described", why);
	ok = pu_ioctl_by_request(DRM_IOCTL_PANTHOR_VM_BIND) == pu_ioctl_by_name("PANTHOR_VM_BIND") &&
	     pu_ioctl_by_name("PANTHOR_VM_BIND") &&
	     !pu_ioctl_by_request(0xdeadbeef) && !pu_query_payload(99) &&
	     pu_ioctl_lookup(DRM_IOCTL_PANTHOR_VM_BIND) == pu_ioctl_by_name("PANTHOR_VM_BIND");
	result(ok, "lookups", "lookup by request/name disagrees");
	{
		const struct pu_field *f = pu_field_by_name(pu_ioctl_by_name("PANTHOR_VM_BIND")->arg,
							    "ops");

		ok = f && f->elem->min_size == 48 &&
		     pu_field_by_name(f->elem, "syncs")->elem->min_size == 16 &&
		     pu_field_by_name(f->elem, "flags")->valid_mask == 0xf0000007 &&
		     !strcmp(pu_value_name(pu_field_by_name(f->elem, "flags"),
					   DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP), "TYPE_UNMAP");
		result(ok, "vm_bind_rules", "VM_BIND op min stride/flags wrong");
	}
	test_sizes();
	test_versions();
	return ktap_failed ? 1 : 0;
}
