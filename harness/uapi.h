/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The one description of the Panthor uAPI (1.0, Linux 6.12 header) and of
 * the core DRM ioctls used with it, as C data: ioctl numbers, argument
 * structs, every field's offset/size/direction, which fields are padding,
 * handles (of which kind), user pointers (sized by which field), object
 * arrays (of which element, with the minimum stride the kernel accepts),
 * flag sets with the bits the kernel accepts, and enums. Offsets and sizes
 * come from the kernel header itself (offsetof/sizeof), so the table
 * cannot drift from it.
 *
 * Readers: the conformance suite (which ioctls, pads, flags and arrays to
 * test), and later the pantrace recorder/decoder/replayer and the fuzzer.
 */
#ifndef PANREF_UAPI_H
#define PANREF_UAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pu_kind {
	PU_INT,		/* plain value */
	PU_PAD,		/* must be zero */
	PU_HANDLE,	/* an id of kind pu_field.handle */
	PU_FLAGS,	/* bit set: valid_mask says what the kernel accepts */
	PU_ENUM,	/* one of pu_field.values */
	PU_UPTR,	/* user pointer; size_field names its byte count */
	PU_OBJ_ARRAY,	/* struct drm_panthor_obj_array of pu_field.elem */
};

enum pu_dir { PU_IN = 1, PU_OUT = 2, PU_INOUT = 3 };

enum pu_handle_kind {
	PU_H_NONE, PU_H_BO, PU_H_VM, PU_H_GROUP, PU_H_HEAP, PU_H_SYNCOBJ, PU_H_FD,
};

struct pu_value {
	const char *name;
	uint64_t value;
};

struct pu_struct;

struct pu_field {
	const char *name;
	uint16_t offset;
	uint8_t size;
	uint8_t kind;		/* enum pu_kind */
	uint8_t dir;		/* enum pu_dir */
	uint8_t handle;		/* enum pu_handle_kind, for PU_HANDLE */
	uint64_t valid_mask;	/* PU_FLAGS: every bit the kernel accepts */
	const struct pu_value *values;	/* flag/enum names, {NULL} ended */
	const struct pu_struct *elem;	/* PU_OBJ_ARRAY element */
	const char *size_field;		/* PU_UPTR: field holding the size */
	/*
	 * PU_UPTR: the pointed-to memory. elem_size 0 means size_field counts
	 * bytes, else elements of elem_size bytes (handle: their kind);
	 * mem_dir says whether the kernel reads it, writes it or both.
	 */
	uint8_t elem_size;
	uint8_t mem_dir;		/* enum pu_dir */
};

struct pu_struct {
	const char *name;
	uint32_t size;		/* sizeof in the 6.12 header */
	uint32_t min_size;	/* smallest size/stride the kernel accepts */
	const struct pu_field *fields;
	uint32_t nfields;
};

struct pu_ioctl {
	const char *name;	/* e.g. "PANTHOR_VM_BIND" */
	unsigned long request;	/* DRM_IOCTL_* */
	const struct pu_struct *arg;
	bool panthor;		/* driver ioctl (vs core DRM) */
};

extern const struct pu_ioctl pu_ioctls[];
extern const size_t pu_nioctls;

/* The payload DEV_QUERY type @type points at, or NULL for an unknown type. */
const struct pu_struct *pu_query_payload(uint32_t type);

const struct pu_ioctl *pu_ioctl_by_request(unsigned long request);
const struct pu_ioctl *pu_ioctl_by_name(const char *name);
const struct pu_field *pu_field_by_name(const struct pu_struct *s, const char *name);
/*
 * Byte length of the memory PU_UPTR field @f of struct @s points at, given
 * the argument bytes @arg (0 if the size is 0 or overflows 32 bits).
 */
uint64_t pu_uptr_len(const struct pu_struct *s, const struct pu_field *f, const void *arg);
/* Value of field @f (up to 8 bytes) in the argument bytes @arg. */
uint64_t pu_get(const struct pu_field *f, const void *arg);
/* Name of value @v of an enum/flags field, or NULL. */
const char *pu_value_name(const struct pu_field *f, uint64_t v);
const char *pu_kind_name(enum pu_kind k);
const char *pu_handle_name(enum pu_handle_kind h);

#endif
