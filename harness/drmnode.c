// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drmnode.h"

int drmnode_open_by_driver(const char *driver, char *path, size_t len)
{
	DIR *d = opendir("/sys/class/drm");
	struct dirent *e;
	int fd = -1, err = ENODEV;

	if (!d)
		return -1;
	while ((e = readdir(d)) && fd < 0) {
		char link[PATH_MAX], target[PATH_MAX];
		const char *base;
		ssize_t n;

		if (strncmp(e->d_name, "renderD", 7))
			continue;
		snprintf(link, sizeof(link), "/sys/class/drm/%s/device/driver", e->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = 0;
		base = strrchr(target, '/');
		if (strcmp(base ? base + 1 : target, driver))
			continue;
		snprintf(path, len, "/dev/dri/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			err = errno;
	}
	closedir(d);
	if (fd < 0)
		errno = err;
	return fd;
}
