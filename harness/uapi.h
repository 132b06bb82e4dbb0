/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The one description of the Panthor uAPI (1.0 as in the Linux 6.12 header,
 * and every later version up to 1.9) and of the core DRM ioctls used with
 * it, as C data: ioctls (identified by type and nr, as drm_ioctl() does),
 * argument structs with every size they have had (layouts), every field's
 * offset/size/direction, which fields are padding, handles (of which kind),
 * user pointers (sized by which field), object arrays (of which element,
 * with the minimum stride the kernel accepts), flag sets with the bits the
 * 6.12 kernel accepts, enums, and the uAPI minor version that introduced
 * each ioctl, query type and flag. Offsets and sizes of the 6.12 structs
 * come from the kernel's own uAPI headers (offsetof/sizeof; uapi.c is built
 * so that the kernel's drm.h wins over libdrm's), those of later versions
 * from harness/panthor_uapi_new.h; tests/harness/uapi-vs-headers.sh checks
 * every layout against the kernel's and libdrm's headers.
 *
 * Readers: the conformance suite (which ioctls, pads, flags and arrays to
 * test), the pantrace recorder, dump, replayer and differ, the fuzzer.
 *
 * Sizes follow the kernel's rule (drm_ioctl(), copy_struct_from_user()):
 * a call whose size the table knows is decoded fully; a smaller or larger
 * one up to what both know (pu_known_len()), the rest is kept as bytes.
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
	uint8_t minor;		/* Panthor uAPI 1.minor introduced it (0: 1.0) */
};

/* field attributes */
#define PU_A_ABSTIME	1u	/* an absolute CLOCK_MONOTONIC time (ns) */
#define PU_A_STRING	2u	/* PU_UPTR to a NUL-terminated string (no size field) */
#define PU_STRING_MAX	4096u	/* longest string the kernel reads (BO_SET_LABEL) */

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
	uint8_t attr;			/* PU_A_* */
	const char *was;		/* its name in the 6.12 header, if renamed since */
};

/* One size a struct has had, oldest first. */
struct pu_layout {
	uint32_t size;
	uint8_t minor;		/* uAPI minor of this size (0: 1.0, core DRM, or no version change) */
	const char *since;	/* where it comes from, for people */
};

struct pu_struct {
	const char *name;
	/* sizeof in the 6.12 kernel header (a struct added later: its first size) */
	uint32_t size;
	uint32_t min_size;	/* smallest size/stride the kernel accepts */
	const struct pu_field *fields;	/* cover the newest layout */
	uint32_t nfields;
	const struct pu_layout *layouts;	/* every size, oldest first */
	uint32_t nlayouts;
};

struct pu_ioctl {
	const char *name;	/* e.g. "PANTHOR_VM_BIND" */
	/* DRM_IOCTL_* with the 6.12 kernel header's size (or the first size) */
	unsigned long request;
	const struct pu_struct *arg;
	bool panthor;		/* driver ioctl (vs core DRM) */
	uint8_t minor;		/* Panthor uAPI 1.minor introduced it (0: 1.0, core) */
};

/* A DEV_QUERY type. */
struct pu_query {
	uint32_t type;
	const char *name;	/* "GPU_INFO" */
	const struct pu_struct *payload;
	uint8_t minor;		/* uAPI minor that introduced the type */
};

extern const struct pu_query pu_queries[];
extern const size_t pu_nqueries;

/* The newest layout's size (what the fields cover). */
uint32_t pu_full_size(const struct pu_struct *s);
/* Bytes of a @len-byte instance of @s the table can decode: min(len, full). */
uint32_t pu_known_len(const struct pu_struct *s, uint32_t len);
/* The layout of exactly @len bytes, or NULL (a size the table does not know). */
const struct pu_layout *pu_layout_of(const struct pu_struct *s, uint32_t len);
/* Whether two requests are the same ioctl (type and nr; size and dir aside). */
bool pu_same_nr(unsigned long a, unsigned long b);
/* The ioctl of @request's type and nr, whatever its size; NULL if unknown. */
const struct pu_ioctl *pu_ioctl_lookup(unsigned long request);
/* The DEV_QUERY type @type, or NULL. */
const struct pu_query *pu_query_by_type(uint32_t type);

/*
 * The memory a call points at, for walking a recorded call: the bytes at
 * @addr of at least @len bytes (read by the kernel), or NULL.
 */
typedef const uint8_t *(*pu_mem_fn)(void *ctx, uint64_t addr, uint32_t len);
/*
 * The uAPI minor version a call needs: that of its ioctl, of the DEV_QUERY
 * type, and of every flag/enum value its input fields (arrays and query
 * payloads included, found through @mem) use. 0: uAPI 1.0 is enough.
 */
unsigned int pu_call_minor(const struct pu_ioctl *io, const uint8_t *arg, uint32_t len,
			   pu_mem_fn mem, void *ctx);
/* The newest Panthor uAPI minor the table describes. */
#define PU_NEWEST_MINOR	9

extern const struct pu_ioctl pu_ioctls[];
extern const size_t pu_nioctls;

/* The payload DEV_QUERY type @type points at, or NULL for an unknown type. */
const struct pu_struct *pu_query_payload(uint32_t type);

/* Exact request (size included): the table's entry, or NULL. */
const struct pu_ioctl *pu_ioctl_by_request(unsigned long request);
const struct pu_ioctl *pu_ioctl_by_name(const char *name);
const struct pu_field *pu_field_by_name(const struct pu_struct *s, const char *name);
/*
 * Byte length of the memory PU_UPTR field @f of struct @s points at, given
 * the argument bytes @arg (0 if the size is 0 or overflows 32 bits).
 */
uint64_t pu_uptr_len(const struct pu_struct *s, const struct pu_field *f, const void *arg);
/* Whether field @f lies within the first @len bytes. */
static inline bool pu_field_in(const struct pu_field *f, uint32_t len)
{
	return (uint32_t)f->offset + f->size <= len;
}
/* Value of field @f (up to 8 bytes) in the argument bytes @arg. */
uint64_t pu_get(const struct pu_field *f, const void *arg);
/* Name of value @v of an enum/flags field, or NULL. */
const char *pu_value_name(const struct pu_field *f, uint64_t v);
const char *pu_kind_name(enum pu_kind k);
const char *pu_handle_name(enum pu_handle_kind h);

#endif
