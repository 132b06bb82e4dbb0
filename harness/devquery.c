// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panthor-devquery - print DEV_QUERY GPU_INFO and CSIF_INFO of every render
 * node whose DRM driver is "panthor" (the upstream driver, or any driver of
 * the same uAPI such as panref), one "key value" line per field.
 *
 *   panthor-devquery [--driver NAME] [--device PATH] [--list]
 *
 * Devices are found through /sys/class/drm/renderD*, never by number.
 * uAPI: include/uapi/drm/panthor_drm.h of Linux 6.12 (uAPI 1.0); the fields
 * printed are those of the uAPI description table (harness/uapi.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "uapi.h"

struct node {
	char path[PATH_MAX];	/* /dev/dri/renderDN */
	char sysfs[128];	/* platform device name, e.g. 40000000.gpu */
	char driver[64];	/* kernel driver bound to it */
};

/*
 * Print every non-padding field of @s (the uAPI table's description of the
 * payload), arrays of u32 one element per line: "prefix.name 0x...".
 */
static void print_fields(const char *prefix, const void *obj, const struct pu_struct *s)
{
	uint32_t i, k;

	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		const uint8_t *p = (const uint8_t *)obj + f->offset;
		uint64_t v64;
		uint32_t v32;

		/* fields of later layouts than the 6.12 struct queried here */
		if (f->kind == PU_PAD || !pu_field_in(f, s->size))
			continue;
		if (f->size == 8) {
			memcpy(&v64, p, 8);
			printf("%s.%s 0x%llx\n", prefix, f->name, (unsigned long long)v64);
		} else if (f->size == 4) {
			memcpy(&v32, p, 4);
			printf("%s.%s 0x%x\n", prefix, f->name, v32);
		} else {
			for (k = 0; k < f->size / 4; k++) {
				memcpy(&v32, p + 4 * k, 4);
				printf("%s.%s[%u] 0x%x\n", prefix, f->name, k, v32);
			}
		}
	}
}

static void link_basename(const char *link, char *out, size_t len)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(link, buf, sizeof(buf) - 1);
	const char *base;

	if (n < 0) {
		snprintf(out, len, "none");
		return;
	}
	buf[n] = 0;
	base = strrchr(buf, '/');
	base = base ? base + 1 : buf;
	n = strlen(base);
	if ((size_t)n >= len)
		n = len - 1;	/* truncate, visibly short */
	memcpy(out, base, n);
	out[n] = 0;
}

/* Fill sysfs and driver from /sys/class/drm/<name>. */
static void node_sysfs(struct node *nd, const char *name)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "/sys/class/drm/%s/device", name);
	link_basename(p, nd->sysfs, sizeof(nd->sysfs));
	snprintf(p, sizeof(p), "/sys/class/drm/%s/device/driver", name);
	link_basename(p, nd->driver, sizeof(nd->driver));
}

static int is_panthor(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	int ok = v && v->name && !strcmp(v->name, "panthor");

	drmFreeVersion(v);
	return ok;
}

static int cmp_node(const void *a, const void *b)
{
	return strcmp(((const struct node *)a)->sysfs, ((const struct node *)b)->sysfs);
}

/* All panthor render nodes, sorted by device name. */
static int find_nodes(struct node **out, size_t *count)
{
	DIR *d = opendir("/sys/class/drm");
	struct dirent *e;
	struct node *v = NULL;
	size_t n = 0;

	if (!d) {
		fprintf(stderr, "panthor-devquery: /sys/class/drm: %s\n", strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		struct node nd = { 0 }, *nv;
		int fd;

		if (strncmp(e->d_name, "renderD", 7))
			continue;
		snprintf(nd.path, sizeof(nd.path), "/dev/dri/%s", e->d_name);
		fd = open(nd.path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "panthor-devquery: open %s: %s\n", nd.path,
				strerror(errno));
			continue;
		}
		if (is_panthor(fd)) {
			node_sysfs(&nd, e->d_name);
			nv = realloc(v, (n + 1) * sizeof(*v));
			if (!nv) {
				close(fd);
				break;
			}
			v = nv;
			v[n++] = nd;
		}
		close(fd);
	}
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_node);
	*out = v;
	*count = n;
	return 0;
}

static int node_from_path(struct node *nd, const char *path)
{
	char name[PATH_MAX], link[64];
	struct stat st;

	memset(nd, 0, sizeof(*nd));
	snprintf(nd->path, sizeof(nd->path), "%s", path);
	if (stat(path, &st) || !S_ISCHR(st.st_mode)) {
		fprintf(stderr, "panthor-devquery: %s: %s\n", path,
			errno ? strerror(errno) : "not a character device");
		return -1;
	}
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u",
		 major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(link, name)) {
		snprintf(nd->sysfs, sizeof(nd->sysfs), "unknown");
		snprintf(nd->driver, sizeof(nd->driver), "unknown");
		return 0;
	}
	node_sysfs(nd, strrchr(name, '/') + 1);
	return 0;
}

static int query(int fd, const struct node *nd, uint32_t type, const char *what,
		 void *obj, uint32_t size)
{
	struct drm_panthor_dev_query q = { .type = type };

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q)) {
		fprintf(stderr, "panthor-devquery: %s: DEV_QUERY(%s) size: %s\n",
			nd->path, what, strerror(errno));
		return -1;
	}
	if (q.size < size) {
		fprintf(stderr, "panthor-devquery: %s: DEV_QUERY(%s) reports %u bytes, "
			"the 6.12 struct has %u\n", nd->path, what, q.size, size);
		return -1;
	}
	q.size = size;
	q.pointer = (uintptr_t)obj;
	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q)) {
		fprintf(stderr, "panthor-devquery: %s: DEV_QUERY(%s): %s\n",
			nd->path, what, strerror(errno));
		return -1;
	}
	return 0;
}

static void print_decoded(const struct drm_panthor_gpu_info *g)
{
	uint32_t id = g->gpu_id, csf = g->csf_id;

	printf("decoded.gpu_id.arch_major %u\n", id >> 28);
	printf("decoded.gpu_id.arch_minor %u\n", (id >> 24) & 0xf);
	printf("decoded.gpu_id.arch_rev %u\n", (id >> 20) & 0xf);
	printf("decoded.gpu_id.product_major %u\n", (id >> 16) & 0xf);
	printf("decoded.gpu_id.version_major %u\n", (id >> 12) & 0xf);
	printf("decoded.gpu_id.version_minor %u\n", (id >> 4) & 0xff);
	printf("decoded.gpu_id.version_status %u\n", id & 0xf);
	printf("decoded.csf_id.cshw_major %u\n", (csf >> 26) & 0x3f);
	printf("decoded.csf_id.cshw_minor %u\n", (csf >> 20) & 0x3f);
	printf("decoded.csf_id.cshw_rev %u\n", (csf >> 16) & 0xf);
	printf("decoded.csf_id.mcu_major %u\n", (csf >> 10) & 0x3f);
	printf("decoded.csf_id.mcu_minor %u\n", (csf >> 4) & 0x3f);
	printf("decoded.csf_id.mcu_rev %u\n", csf & 0xf);
	printf("decoded.mmu_features.va_bits %u\n", g->mmu_features & 0xff);
	printf("decoded.mmu_features.pa_bits %u\n", (g->mmu_features >> 8) & 0xff);
	printf("decoded.l2_features.line_size %u\n", 1u << (g->l2_features & 0xff));
	printf("decoded.shader_present.count %d\n", __builtin_popcountll(g->shader_present));
}

static int report(const struct node *nd)
{
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_csif_info csif;
	drmVersionPtr v;
	int fd, ret = 0;

	fd = open(nd->path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "panthor-devquery: open %s: %s\n", nd->path, strerror(errno));
		return -1;
	}
	v = drmGetVersion(fd);
	if (!v) {
		fprintf(stderr, "panthor-devquery: %s: DRM_IOCTL_VERSION: %s\n",
			nd->path, strerror(errno));
		close(fd);
		return -1;
	}
	printf("device %s\ndevice.sysfs %s\ndevice.driver %s\n", nd->path, nd->sysfs,
	       nd->driver);
	printf("drm.name %s\ndrm.version %d.%d.%d\ndrm.date %s\ndrm.desc %s\n",
	       v->name, v->version_major, v->version_minor, v->version_patchlevel,
	       v->date ? v->date : "", v->desc ? v->desc : "");
	drmFreeVersion(v);
	memset(&gpu, 0, sizeof(gpu));
	memset(&csif, 0, sizeof(csif));
	if (query(fd, nd, DRM_PANTHOR_DEV_QUERY_GPU_INFO, "GPU_INFO", &gpu, sizeof(gpu)))
		ret = -1;
	else
		print_fields("gpu_info", &gpu, pu_query_payload(DRM_PANTHOR_DEV_QUERY_GPU_INFO));
	if (query(fd, nd, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, "CSIF_INFO", &csif, sizeof(csif)))
		ret = -1;
	else
		print_fields("csif_info", &csif, pu_query_payload(DRM_PANTHOR_DEV_QUERY_CSIF_INFO));
	if (!ret)
		print_decoded(&gpu);
	close(fd);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: panthor-devquery [--driver NAME] [--device PATH] [--list]\n"
		   "Print DEV_QUERY GPU_INFO/CSIF_INFO of every panthor-uAPI render node.\n");
}

int main(int argc, char **argv)
{
	const char *driver = NULL, *device = NULL;
	struct node *nodes = NULL, one;
	size_t n = 0, i, shown = 0;
	int list = 0, a, ret = 0;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--driver") && a + 1 < argc) {
			driver = argv[++a];
		} else if (!strcmp(argv[a], "--device") && a + 1 < argc) {
			device = argv[++a];
		} else if (!strcmp(argv[a], "--list")) {
			list = 1;
		} else if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (device) {
		if (node_from_path(&one, device))
			return 1;
		nodes = &one;
		n = 1;
	} else if (find_nodes(&nodes, &n)) {
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (driver && strcmp(nodes[i].driver, driver))
			continue;
		if (list) {
			printf("%s %s %s\n", nodes[i].path, nodes[i].driver, nodes[i].sysfs);
		} else {
			if (shown)
				printf("\n");
			if (report(&nodes[i]))
				ret = 1;
		}
		shown++;
	}
	if (nodes != &one)
		free(nodes);
	if (!shown) {
		fprintf(stderr, "panthor-devquery: no panthor render node found%s%s\n",
			driver ? " bound to driver " : "", driver ? driver : "");
		return 1;
	}
	return ret;
}
