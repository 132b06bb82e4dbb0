// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Benchmark: VM_BIND and BO life cycle costs on one panthor-uAPI node.
 *
 *   bench-vmbind-bo --device /dev/dri/renderDN [--rounds N]
 *
 * Prints, per operation, the mean time over the loop (best of N rounds):
 *   dev_query            DEV_QUERY(GPU_INFO), the VM's syscall floor
 *   map_4k / unmap_4k    1000 synchronous VM_BINDs of one 4 KiB page each
 *   map_4k_batch         one VM_BIND with 1000 MAP ops (per op), and its unmap
 *   map_2m / unmap_2m    100 synchronous VM_BINDs of one 2 MiB page each
 *   map_4k_async         1000 ASYNC MAPs signalling one syncobj, then waited
 *   bo_create_mmap_close 1000 x (BO_CREATE 4 KiB, MMAP_OFFSET, mmap, write,
 *                        munmap, GEM_CLOSE)
 * Absolute figures inside the UML VM are bounded by its syscall cost: quote
 * them with the dev_query line and the ratio to it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#define N_4K	1000
#define N_2M	100
#define SZ_4K	4096ull
#define SZ_2M	(2ull << 20)
#define VA_4K	0x10000000ull
#define VA_2M	0x40000000ull

static int fd;
static uint32_t vm;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench-vmbind-bo: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint32_t bo_create(uint64_t size)
{
	struct drm_panthor_bo_create c = { .size = size };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c))
		die("BO_CREATE");
	return c.handle;
}

static void gem_close(uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	if (drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c))
		die("GEM_CLOSE");
}

static void bind(uint32_t flags, struct drm_panthor_vm_bind_op *ops, uint32_t n)
{
	struct drm_panthor_vm_bind b = {
		.vm_id = vm, .flags = flags, .ops = DRM_PANTHOR_OBJ_ARRAY(n, ops),
	};

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &b))
		die("VM_BIND");
}

static struct drm_panthor_vm_bind_op map_op(uint32_t bo, uint64_t va, uint64_t size)
{
	return (struct drm_panthor_vm_bind_op){
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .bo_handle = bo,
		.va = va, .size = size,
	};
}

static struct drm_panthor_vm_bind_op unmap_op(uint64_t va, uint64_t size)
{
	return (struct drm_panthor_vm_bind_op){
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, .va = va, .size = size,
	};
}

/* The best (smallest) per-op time of each measurement over the rounds. */
enum { DEVQ, MAP4K, UNMAP4K, MAP4KB, UNMAP4KB, MAP2M, UNMAP2M, ASYNC4K, BOLOOP, NMEAS };
static const char *const names[NMEAS] = {
	"dev_query", "map_4k", "unmap_4k", "map_4k_batch", "unmap_4k_batch",
	"map_2m", "unmap_2m", "map_4k_async", "bo_create_mmap_close",
};
static double best[NMEAS];

static void record(int m, double t0, unsigned int n)
{
	double per = (now() - t0) / n;

	if (best[m] == 0 || per < best[m])
		best[m] = per;
}

static void round_once(uint32_t bo4k, uint32_t bo2m)
{
	static struct drm_panthor_vm_bind_op ops[N_4K];
	struct drm_panthor_gpu_info gi;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(gi),
		.pointer = (uintptr_t)&gi,
	};
	struct drm_panthor_sync_op sig = { .flags = DRM_PANTHOR_SYNC_OP_SIGNAL };
	uint32_t syncobj;
	unsigned int i;
	double t0;

	t0 = now();
	for (i = 0; i < N_4K; i++)
		if (drmIoctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q))
			die("DEV_QUERY");
	record(DEVQ, t0, N_4K);

	t0 = now();
	for (i = 0; i < N_4K; i++) {
		ops[0] = map_op(bo4k, VA_4K + i * SZ_4K * 2, SZ_4K);
		bind(0, ops, 1);
	}
	record(MAP4K, t0, N_4K);
	t0 = now();
	for (i = 0; i < N_4K; i++) {
		ops[0] = unmap_op(VA_4K + i * SZ_4K * 2, SZ_4K);
		bind(0, ops, 1);
	}
	record(UNMAP4K, t0, N_4K);

	for (i = 0; i < N_4K; i++)
		ops[i] = map_op(bo4k, VA_4K + i * SZ_4K * 2, SZ_4K);
	t0 = now();
	bind(0, ops, N_4K);
	record(MAP4KB, t0, N_4K);
	for (i = 0; i < N_4K; i++)
		ops[i] = unmap_op(VA_4K + i * SZ_4K * 2, SZ_4K);
	t0 = now();
	bind(0, ops, N_4K);
	record(UNMAP4KB, t0, N_4K);

	t0 = now();
	for (i = 0; i < N_2M; i++) {
		ops[0] = map_op(bo2m, VA_2M + i * SZ_2M, SZ_2M);
		bind(0, ops, 1);
	}
	record(MAP2M, t0, N_2M);
	t0 = now();
	for (i = 0; i < N_2M; i++) {
		ops[0] = unmap_op(VA_2M + i * SZ_2M, SZ_2M);
		bind(0, ops, 1);
	}
	record(UNMAP2M, t0, N_2M);

	if (drmSyncobjCreate(fd, 0, &syncobj))
		die("SYNCOBJ_CREATE");
	sig.handle = syncobj;
	t0 = now();
	for (i = 0; i < N_4K; i++) {
		ops[0] = map_op(bo4k, VA_4K + i * SZ_4K * 2, SZ_4K);
		ops[0].syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &sig);
		bind(DRM_PANTHOR_VM_BIND_ASYNC, ops, 1);
	}
	if (drmSyncobjWait(fd, &syncobj, 1, INT64_MAX, 0, NULL))
		die("SYNCOBJ_WAIT");
	record(ASYNC4K, t0, N_4K);
	drmSyncobjDestroy(fd, syncobj);
	ops[0] = unmap_op(VA_4K, N_4K * SZ_4K * 2);
	bind(0, ops, 1);

	t0 = now();
	for (i = 0; i < N_4K; i++) {
		uint32_t h = bo_create(SZ_4K);
		struct drm_panthor_bo_mmap_offset mo = { .handle = h };
		volatile uint32_t *p;

		if (drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo))
			die("BO_MMAP_OFFSET");
		p = mmap(NULL, SZ_4K, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
		if (p == MAP_FAILED)
			die("mmap");
		p[0] = i;
		munmap((void *)p, SZ_4K);
		gem_close(h);
	}
	record(BOLOOP, t0, N_4K);
}

int main(int argc, char **argv)
{
	const char *dev = NULL;
	struct drm_panthor_vm_create vc = { 0 };
	unsigned int rounds = 3, r;
	uint32_t bo4k, bo2m;
	drmVersionPtr ver;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--device") && a + 1 < argc)
			dev = argv[++a];
		else if (!strcmp(argv[a], "--rounds") && a + 1 < argc)
			rounds = strtoul(argv[++a], NULL, 0);
		else
			break;
	}
	if (!dev || a != argc || !rounds) {
		fprintf(stderr, "usage: %s --device /dev/dri/renderDN [--rounds N]\n", argv[0]);
		return 2;
	}
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(dev);
	ver = drmGetVersion(fd);
	if (!ver || strcmp(ver->name, "panthor")) {
		fprintf(stderr, "bench-vmbind-bo: %s is not a panthor-uAPI node\n", dev);
		return 1;
	}
	drmFreeVersion(ver);
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc))
		die("VM_CREATE");
	vm = vc.id;
	bo4k = bo_create(SZ_4K);
	bo2m = bo_create(SZ_2M);

	for (r = 0; r < rounds; r++)
		round_once(bo4k, bo2m);

	printf("device %s (best of %u rounds)\n", dev, rounds);
	for (a = 0; a < NMEAS; a++)
		printf("%-22s %9.2f us/op  %7.2f x dev_query\n", names[a], best[a] * 1e6,
		       best[a] / best[DEVQ]);
	gem_close(bo4k);
	gem_close(bo2m);
	close(fd);
	return 0;
}
