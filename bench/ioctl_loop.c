// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The raw loop of the replay benchmark (bench/replay.sh): N cheap ioctls on
 * a panthor-uAPI node, cycling through VM_GET_STATE, DEV_QUERY, BO_CREATE +
 * GEM_CLOSE and SYNCOBJ_CREATE + SYNCOBJ_DESTROY, so that a replay of its
 * trace remaps handles and rebuilds output buffers as it does for real
 * programs.
 *
 *   bench-ioctl-loop [--driver NAME] [N]   (default 100000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptu.h"

int main(int argc, char **argv)
{
	const char *driver = argc > 2 && !strcmp(argv[1], "--driver") ? argv[2] : "panthor";
	long n = strtol(argc > 3 ? argv[3] : argc == 2 ? argv[1] : "100000", NULL, 0), i;
	int fd = ptu_open(driver);
	uint32_t vm = ptu_vm_create(fd);
	struct drm_panthor_gpu_info info;
	uint64_t t0 = ptu_now_ns();
	long done = 2;	/* VERSION and VM_CREATE above */

	for (i = 0; done < n; i++) {
		struct drm_panthor_vm_get_state st = { .vm_id = vm };
		struct drm_panthor_dev_query q = {
			.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
			.size = sizeof(info), .pointer = (uintptr_t)&info,
		};
		struct drm_panthor_bo_create bo = { .size = 4096 };
		struct drm_syncobj_create sc = { 0 };
		int r = 0;

		switch (i % 4) {
		case 0:
			r = drmIoctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &st);
			done++;
			break;
		case 1:
			r = drmIoctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
			done++;
			break;
		case 2:
			r = drmIoctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bo);
			if (!r) {
				struct drm_gem_close c = { .handle = bo.handle };

				r = drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
			}
			done += 2;
			break;
		case 3:
			r = drmIoctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc);
			if (!r) {
				struct drm_syncobj_destroy d = { .handle = sc.handle };

				r = drmIoctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
			}
			done += 2;
			break;
		}
		if (r) {
			perror("bench-ioctl-loop");
			return 1;
		}
	}
	fprintf(stderr, "bench-ioctl-loop: %ld ioctls in %.3f s\n", done,
		(ptu_now_ns() - t0) / 1e9);
	return 0;
}
