// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A Panthor client as a new pantrace user would write one, built twice
 * (Makefile): against the 6.12 kernel's own uAPI headers (<drm.h> is the
 * kernel's: 40-byte drm_syncobj_wait with deadline_nsec) and against
 * libdrm's (<drm.h> is libdrm 2.4.114's: 32 bytes). It uses only what
 * panref part 1 serves too: VERSION, DEV_QUERY, VM and BO ioctls, VM_BIND,
 * syncobjs. On top it waits once with a size no header has (48 bytes: the
 * kernel ignores the tail), labels its BO (uAPI 1.4: refused by an older
 * driver) and calls one ioctl the uAPI table does not describe
 * (SYNCOBJ_EVENTFD, on a handle that does not exist).
 *
 *   uapi-client-kernel|uapi-client-libdrm [DRIVER]     (default panthor)
 *
 * Plain ioctl() calls, no libdrm functions, so that the struct sizes are
 * exactly those of the header the build picked. Exit 0 when every call gave
 * what it must.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>
#include <panthor_drm.h>

#include "drmnode.h"
#include "panthor_uapi_new.h"

#ifndef WANT_WAIT_SIZE
#error "build with -DWANT_WAIT_SIZE=40 (kernel headers) or 32 (libdrm)"
#endif
_Static_assert(sizeof(struct drm_syncobj_wait) == WANT_WAIT_SIZE,
	       "<drm.h> is not the header this build was meant to use");

/* DRM_IOCTL_SYNCOBJ_EVENTFD (Linux 6.6), which the uAPI table leaves out */
struct eventfd_arg {
	uint32_t handle, flags;
	uint64_t point;
	int32_t fd;
	uint32_t pad;
};
#define IOCTL_SYNCOBJ_EVENTFD	_IOWR('d', 0xcf, struct eventfd_arg)

static int fd, failed;

static int call(unsigned long req, void *arg, int want_errno, const char *what)
{
	int r = ioctl(fd, req, arg), e = r ? errno : 0;

	if (e != want_errno) {
		fprintf(stderr, "uapi-client: %s: %s (wanted %s)\n", what,
			e ? strerror(e) : "success", want_errno ? strerror(want_errno) : "success");
		failed = 1;
	}
	return e;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	char path[64], name[32] = "", date[32], desc[128];
	struct drm_version v = { .name_len = sizeof(name) - 1, .name = name,
				 .date_len = sizeof(date), .date = date,
				 .desc_len = sizeof(desc), .desc = desc };
	struct drm_panthor_gpu_info gi;
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_GPU_INFO };
	struct drm_panthor_vm_create vc = { 0 };
	struct drm_panthor_bo_create bc = { .size = 65536 };
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_panthor_vm_bind_op op = { .flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP |
						      DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
					     .va = 0x1000000, .size = 65536 };
	struct drm_panthor_vm_bind vb = { .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	struct drm_syncobj_create sa = { 0 }, sb = { .flags = DRM_SYNCOBJ_CREATE_SIGNALED },
				  sc = { 0 };
	struct drm_syncobj_wait w;
	struct drm_syncobj_timeline_wait tw;
	struct drm_syncobj_timeline_array ta;
	struct drm_syncobj_destroy sd;
	struct drm_gem_close gc;
	struct drm_panthor_vm_destroy vd;
	struct eventfd_arg ev = { .handle = 0xdead, .fd = -1 };
	struct pn_bo_set_label sl = { 0 };
	uint8_t big[48];
	uint32_t h[2];
	uint64_t pt[1], got[1];
	void *map;

	fd = drmnode_open_by_driver(argc > 1 ? argv[1] : "panthor", path, sizeof(path));
	if (fd < 0) {
		perror("uapi-client: no render node");
		return 2;
	}
	call(DRM_IOCTL_VERSION, &v, 0, "VERSION");
	call(DRM_IOCTL_PANTHOR_DEV_QUERY, &q, 0, "DEV_QUERY size");
	q.pointer = (uintptr_t)&gi;
	q.size = sizeof(gi);
	call(DRM_IOCTL_PANTHOR_DEV_QUERY, &q, 0, "DEV_QUERY GPU_INFO");
	call(DRM_IOCTL_PANTHOR_VM_CREATE, &vc, 0, "VM_CREATE");
	call(DRM_IOCTL_PANTHOR_BO_CREATE, &bc, 0, "BO_CREATE");
	mo.handle = bc.handle;
	call(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo, 0, "BO_MMAP_OFFSET");
	map = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)mo.offset);
	if (map == MAP_FAILED) {
		perror("uapi-client: mmap");
		return 1;
	}
	memset(map, 0x5a, 4096);
	vb.vm_id = vc.id;
	op.bo_handle = bc.handle;
	call(DRM_IOCTL_PANTHOR_VM_BIND, &vb, 0, "VM_BIND map");

	call(DRM_IOCTL_SYNCOBJ_CREATE, &sa, 0, "SYNCOBJ_CREATE");
	call(DRM_IOCTL_SYNCOBJ_CREATE, &sb, 0, "SYNCOBJ_CREATE signaled");
	call(DRM_IOCTL_SYNCOBJ_CREATE, &sc, 0, "SYNCOBJ_CREATE timeline");
	/* the signaled one: at once; at 40 bytes with a deadline hint */
	h[0] = sb.handle;
	memset(&w, 0, sizeof(w));
	w.handles = (uintptr_t)h;
	w.count_handles = 1;
	w.timeout_nsec = (int64_t)(now_ns() + 1000000000ull);
	w.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
#if WANT_WAIT_SIZE >= 40
	w.flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE;
	w.deadline_nsec = now_ns() + 500000000ull;
#endif
	call(DRM_IOCTL_SYNCOBJ_WAIT, &w, 0, "SYNCOBJ_WAIT signaled");
	/* both, one never signaled: times out at the absolute deadline */
	h[1] = sa.handle;
	w.count_handles = 2;
	w.flags |= DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	w.timeout_nsec = (int64_t)(now_ns() + 20000000ull);
	call(DRM_IOCTL_SYNCOBJ_WAIT, &w, ETIME, "SYNCOBJ_WAIT unsignaled");
	/* a size no header has: the kernel reads what it knows, ignores the rest */
	w.count_handles = 1;
	w.timeout_nsec = (int64_t)(now_ns() + 1000000000ull);
	memset(big, 0, sizeof(big));
	memcpy(big, &w, sizeof(w));
	call(_IOWR('d', _IOC_NR(DRM_IOCTL_SYNCOBJ_WAIT), uint8_t[48]), big, 0,
	     "SYNCOBJ_WAIT at 48 bytes");

	/* timeline: signal point 3, wait for 2, query 3 */
	h[0] = sc.handle;
	pt[0] = 3;
	memset(&ta, 0, sizeof(ta));
	ta.handles = (uintptr_t)h;
	ta.points = (uintptr_t)pt;
	ta.count_handles = 1;
	call(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &ta, 0, "SYNCOBJ_TIMELINE_SIGNAL");
	pt[0] = 2;
	memset(&tw, 0, sizeof(tw));
	tw.handles = (uintptr_t)h;
	tw.points = (uintptr_t)pt;
	tw.count_handles = 1;
	tw.timeout_nsec = (int64_t)(now_ns() + 1000000000ull);
	call(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &tw, 0, "SYNCOBJ_TIMELINE_WAIT");
	ta.points = (uintptr_t)got;
	got[0] = 0;
	call(DRM_IOCTL_SYNCOBJ_QUERY, &ta, 0, "SYNCOBJ_QUERY");
	if (got[0] != 3) {
		fprintf(stderr, "uapi-client: timeline at %llu, not 3\n", (unsigned long long)got[0]);
		failed = 1;
	}
	/* uAPI 1.4: a label (EINVAL from a driver older than that) */
	sl.handle = bc.handle;
	sl.label = (uintptr_t)"uapi-client label";
	call(PN_IOCTL_BO_SET_LABEL, &sl, v.version_minor >= 4 ? 0 : EINVAL, "BO_SET_LABEL");
	/* an ioctl the uAPI table does not describe */
	call(IOCTL_SYNCOBJ_EVENTFD, &ev, ENOENT, "SYNCOBJ_EVENTFD");

	op.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP;
	op.bo_handle = 0;
	call(DRM_IOCTL_PANTHOR_VM_BIND, &vb, 0, "VM_BIND unmap");
	munmap(map, 65536);
	sd = (struct drm_syncobj_destroy){ .handle = sa.handle };
	call(DRM_IOCTL_SYNCOBJ_DESTROY, &sd, 0, "SYNCOBJ_DESTROY");
	sd.handle = sb.handle;
	call(DRM_IOCTL_SYNCOBJ_DESTROY, &sd, 0, "SYNCOBJ_DESTROY");
	sd.handle = sc.handle;
	call(DRM_IOCTL_SYNCOBJ_DESTROY, &sd, 0, "SYNCOBJ_DESTROY");
	gc = (struct drm_gem_close){ .handle = bc.handle };
	call(DRM_IOCTL_GEM_CLOSE, &gc, 0, "GEM_CLOSE");
	vd = (struct drm_panthor_vm_destroy){ .id = vc.id };
	call(DRM_IOCTL_PANTHOR_VM_DESTROY, &vd, 0, "VM_DESTROY");
	close(fd);
	printf("uapi-client (%s headers, %zu-byte drm_syncobj_wait) on %s (%s %d.%d.%d): %s\n",
	       WANT_WAIT_SIZE == 40 ? "kernel" : "libdrm", sizeof(struct drm_syncobj_wait), path,
	       name, v.version_major, v.version_minor, v.version_patchlevel,
	       failed ? "FAILED" : "ok");
	return failed;
}
