// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Conformance: DEV_QUERY (Panthor 6.12 panthor_ioctl_dev_query). */
#include <stdio.h>
#include <xf86drm.h>
#include <panthor_drm.h>

#include "igt.h"
#include "rules.h"
#include "uapi.h"

static int query(uint32_t type, uint32_t size, void *p, uint32_t *out_size)
{
	struct drm_panthor_dev_query q = { .type = type, .size = size, .pointer = (uintptr_t)p };
	int r = conf_ioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &q);

	if (out_size)
		*out_size = q.size;
	return r;
}

/* pointer == 0 returns the kernel's size of each payload. */
static void size_negotiation(void *arg)
{
	uint32_t t, sz;

	(void)arg;
	for (t = 0; t < 2; t++) {
		igt_assert_err(query(t, 0, NULL, &sz), 0);
		igt_assert_eq(sz, pu_query_payload(t)->size);
	}
}

static void unknown_type(void *arg)
{
	uint8_t buf[256];

	(void)arg;
	igt_assert_err(query(2, 0, NULL, NULL), EINVAL);	/* size query branch */
	igt_assert_err(query(2, sizeof(buf), buf, NULL), EINVAL);
	igt_assert_err(query(0xffffffff, sizeof(buf), buf, NULL), EINVAL);
}

/* A size below the minimum (through the last mandatory field) is EINVAL. */
static void too_small(void *arg)
{
	uint8_t buf[256];
	uint32_t t;

	(void)arg;
	for (t = 0; t < 2; t++)
		igt_assert_err(query(t, pu_query_payload(t)->min_size - 1, buf, NULL), EINVAL);
}

/* Exactly the minimum is fine, and nothing past it is written. */
static void minimum_size_no_overwrite(void *arg)
{
	uint8_t buf[256];
	uint32_t t, i, min;

	(void)arg;
	for (t = 0; t < 2; t++) {
		min = pu_query_payload(t)->min_size;
		memset(buf, 0xa5, sizeof(buf));
		igt_assert_err(query(t, min, buf, NULL), 0);
		for (i = min; i < sizeof(buf); i++)
			igt_assert_f(buf[i] == 0xa5, "type %u: byte %u past the size written", t, i);
	}
}

/* A larger buffer: the tail beyond the kernel struct is zero-filled. */
static void larger_size_zero_fills(void *arg)
{
	uint8_t buf[256];
	uint32_t t, i, size;

	(void)arg;
	for (t = 0; t < 2; t++) {
		size = pu_query_payload(t)->size;
		memset(buf, 0xa5, sizeof(buf));
		igt_assert_err(query(t, size + 16, buf, NULL), 0);
		for (i = size; i < size + 16; i++)
			igt_assert_f(!buf[i], "type %u: tail byte %u is %#x", t, i, buf[i]);
	}
}

static void bad_pointer(void *arg)
{
	(void)arg;
	igt_assert_err(query(0, sizeof(struct drm_panthor_gpu_info), (void *)16, NULL), EFAULT);
}

/* GPU_INFO and CSIF_INFO hold what a CSF GPU must report. */
static void values_sane(void *arg)
{
	struct drm_panthor_gpu_info g;
	struct drm_panthor_csif_info c;

	(void)arg;
	igt_assert_err(query(0, sizeof(g), &g, NULL), 0);
	igt_assert_err(query(1, sizeof(c), &c, NULL), 0);
	igt_assert_f(g.gpu_id >> 28 >= 10, "gpu_id %#x is not a CSF (arch >= 10) GPU", g.gpu_id);
	igt_assert(g.shader_present && g.l2_present && g.tiler_present);
	igt_assert_f((g.as_present & 3) == 3, "as_present %#x: need AS0 (MCU) and one more",
		     g.as_present);
	igt_assert_f((g.mmu_features & 0xff) >= 32, "VA bits %u", g.mmu_features & 0xff);
	igt_assert_eq(g.pad0, 0);
	igt_assert(c.csg_slot_count >= 3 && c.csg_slot_count <= 16);
	igt_assert(c.cs_slot_count >= 8 && c.cs_slot_count <= 32);
	igt_assert(c.cs_reg_count >= 64);
	igt_assert(c.scoreboard_slot_count >= 1);
	igt_assert_eq(c.unpreserved_cs_reg_count, 4);	/* CSF_UNPRESERVED_REG_COUNT */
	igt_assert_eq(c.pad, 0);
}

static void setup(void)
{
	conf_add_rules("PANTHOR_DEV_QUERY");
	igt_add("dev-query-size-negotiation", size_negotiation, NULL);
	igt_add("dev-query-unknown-type", unknown_type, NULL);
	igt_add("dev-query-size-too-small", too_small, NULL);
	igt_add("dev-query-minimum-size-no-overwrite", minimum_size_no_overwrite, NULL);
	igt_add("dev-query-larger-size-zero-fills", larger_size_zero_fills, NULL);
	igt_add("dev-query-bad-pointer", bad_pointer, NULL);
	igt_add("dev-query-values-sane", values_sane, NULL);
}

int main(int argc, char **argv)
{
	return igt_run(argc, argv, setup);
}
