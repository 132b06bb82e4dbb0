/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Finding render nodes by the kernel driver bound to their device. */
#ifndef PANREF_DRMNODE_H
#define PANREF_DRMNODE_H

#include <stddef.h>

/*
 * Open (O_RDWR | O_CLOEXEC) the render node whose parent device is bound
 * to kernel driver @driver (e.g. "panthor"), walking /sys/class/drm --
 * never a hard-coded renderD number. Returns the fd and writes
 * /dev/dri/renderDN to @path, or returns -1 (errno set; ENODEV: none).
 */
int drmnode_open_by_driver(const char *driver, char *path, size_t len);

#endif
