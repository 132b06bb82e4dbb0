// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of the uAPI description table (harness/uapi.c): it must agree
 * with the 6.12 header byte for byte.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "ktap.h"
#include "uapi.h"


/* Every byte covered once, fields in order, inside the struct. */
static int struct_ok(const struct pu_struct *s, char *why, size_t len)
{
	unsigned char cover[512] = { 0 };
	uint32_t i, b;

	if (s->size > sizeof(cover) || !s->min_size || s->min_size > s->size) {
		snprintf(why, len, "%s: size %u, min %u", s->name, s->size, s->min_size);
		return 0;
	}
	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];

		if (f->offset + f->size > s->size || !f->size) {
			snprintf(why, len, "%s.%s outside the struct", s->name, f->name);
			return 0;
		}
		for (b = f->offset; b < f->offset + f->size; b++) {
			if (cover[b]++) {
				snprintf(why, len, "%s.%s overlaps", s->name, f->name);
				return 0;
			}
		}
		if (f->kind == PU_UPTR && !pu_field_by_name(s, f->size_field)) {
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
	for (b = 0; b < s->size; b++) {
		if (!cover[b]) {
			snprintf(why, len, "%s: byte %u described by no field", s->name, b);
			return 0;
		}
	}
	return 1;
}

int main(void)
{
	char why[200] = "";
	size_t i;
	int ok = 1, npanthor = 0;

	printf("KTAP version 1\n1..5\n");
	for (i = 0; i < pu_nioctls && ok; i++) {
		ok = _IOC_SIZE(pu_ioctls[i].request) == pu_ioctls[i].arg->size;
		if (!ok)
			snprintf(why, sizeof(why), "%s: request size %u, struct %u",
				 pu_ioctls[i].name, (unsigned int)_IOC_SIZE(pu_ioctls[i].request),
				 pu_ioctls[i].arg->size);
		npanthor += pu_ioctls[i].panthor;
	}
	result(ok, "ioctl_sizes_match_requests", why);
	result(npanthor == DRM_PANTHOR_TILER_HEAP_DESTROY + 1, "every_panthor_1_0_ioctl",
	       "table does not list the 13 ioctls of uAPI 1.0");
	for (i = 0, ok = 1; i < pu_nioctls && ok; i++)
		ok = struct_ok(pu_ioctls[i].arg, why, sizeof(why));
	for (i = 0; ok && i < 2; i++)
		ok = struct_ok(pu_query_payload(i), why, sizeof(why));
	result(ok, "structs_fully_described", why);
	ok = pu_ioctl_by_request(DRM_IOCTL_PANTHOR_VM_BIND) == pu_ioctl_by_name("PANTHOR_VM_BIND") &&
	     pu_ioctl_by_name("PANTHOR_VM_BIND") &&
	     !pu_ioctl_by_request(0xdeadbeef) && !pu_query_payload(99);
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
	return ktap_failed ? 1 : 0;
}
