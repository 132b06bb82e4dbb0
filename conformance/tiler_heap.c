// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Conformance: TILER_HEAP_CREATE / DESTROY (Panthor 6.12 panthor_heap.c). */
#include <xf86drm.h>
#include <panthor_drm.h>

#include "igt.h"
#include "rules.h"

static int heap(uint32_t vm, uint32_t initial, uint32_t chunk, uint32_t max, uint32_t *h)
{
	struct drm_panthor_tiler_heap_create c = {
		.vm_id = vm, .initial_chunk_count = initial, .chunk_size = chunk,
		.max_chunks = max, .target_in_flight = 1,
	};
	int r = conf_ioctl(DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &c);

	*h = c.handle;
	if (!r) {
		igt_assert_f(c.handle >> 16 == vm, "handle %#x does not encode VM %u", c.handle, vm);
		igt_assert(c.tiler_heap_ctx_gpu_va && c.first_heap_chunk_gpu_va);
	}
	return r;
}

static void create_rules(void *arg)
{
	struct drm_panthor_tiler_heap_destroy d = { 0 };
	uint32_t vm, h;

	(void)arg;
	igt_assert_err(conf_vm_create(&vm), 0);
	igt_assert_err(heap(vm, 0, 128 * 1024, 4, &h), EINVAL);	/* no chunk */
	igt_assert_err(heap(vm, 5, 128 * 1024, 4, &h), EINVAL);	/* initial > max */
	igt_assert_err(heap(vm, 1, 64 * 1024, 4, &h), EINVAL);	/* < 128K */
	/* 6.12: page-aligned within [128K, 8M] (panthor_heap_create) */
	igt_assert_err(heap(vm, 1, 128 * 1024 + 100, 4, &h), EINVAL);
	igt_assert_err(heap(vm, 1, 8 * 1024 * 1024 + 4096, 4, &h), EINVAL);
	igt_assert_err(heap(vm, 1, 128 * 1024 + 4096, 4, &h), 0);
	igt_assert_err(heap(vm + 1, 1, 128 * 1024, 4, &h), EINVAL);	/* no such VM */
	igt_assert_err(heap(vm, 1, 2 * 1024 * 1024, 4, &h), 0);
	d.handle = h;
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d), 0);
	igt_assert_err(conf_ioctl(DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d), EINVAL);
	conf_vm_destroy(vm);
}

/* At most 128 heaps per VM (MAX_HEAPS_PER_POOL). */
static void limit_128(void *arg)
{
	uint32_t vm, h, n = 0;
	int r = 0;

	(void)arg;
	igt_assert_err(conf_vm_create(&vm), 0);
	while (!r && n <= 128) {
		r = heap(vm, 1, 128 * 1024, 1, &h);
		n += !r;
	}
	conf_vm_destroy(vm);
	igt_assert_eq(n, 128);
	igt_assert_f(r < 0, "heap 129 was created");
}

static void setup(void)
{
	conf_add_rules("PANTHOR_TILER_HEAP_CREATE");
	conf_add_rules("PANTHOR_TILER_HEAP_DESTROY");
	igt_add("tiler-heap-create-rules", create_rules, NULL);
	igt_add("tiler-heap-limit-128", limit_128, NULL);
}

int main(int argc, char **argv)
{
	return igt_run(argc, argv, setup);
}
