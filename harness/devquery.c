// SPDX-License-Identifier: MIT
/*
 * panthor-devquery - dump what a Panthor render node reports through
 * DRM_IOCTL_PANTHOR_DEV_QUERY (uAPI 1.0), one "key value" line per field,
 * so the output can be diffed against the GPU model's own list of values.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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

#define PROG		"panthor-devquery"
#define DRM_CLASS	"/sys/class/drm"
#define DRI_DIR		"/dev/dri"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct node {
	char path[PATH_MAX];		/* /dev/dri/renderDxxx */
	char sysdev[NAME_MAX + 1];	/* e.g. 40000000.gpu */
	char driver[NAME_MAX + 1];	/* kernel driver bound to the device */
	int fd;
	drmVersionPtr ver;
};

struct field {
	const char *name;
	size_t off;
	size_t size;
};

#define FIELD(type, member) {						\
	.name = #member,						\
	.off = offsetof(type, member),					\
	.size = sizeof(((type *)0)->member),				\
}
#define GPU(member)	FIELD(struct drm_panthor_gpu_info, member)
#define CSIF(member)	FIELD(struct drm_panthor_csif_info, member)

static const struct field gpu_fields[] = {
	GPU(gpu_id),
	GPU(gpu_rev),
	GPU(csf_id),
	GPU(l2_features),
	GPU(tiler_features),
	GPU(mem_features),
	GPU(mmu_features),
	GPU(thread_features),
	GPU(max_threads),
	GPU(thread_max_workgroup_size),
	GPU(thread_max_barrier_size),
	GPU(coherency_features),
	GPU(texture_features[0]),
	GPU(texture_features[1]),
	GPU(texture_features[2]),
	GPU(texture_features[3]),
	GPU(as_present),
	GPU(shader_present),
	GPU(l2_present),
	GPU(tiler_present),
	GPU(core_features),
};

static const struct field csif_fields[] = {
	CSIF(csg_slot_count),
	CSIF(cs_slot_count),
	CSIF(cs_reg_count),
	CSIF(scoreboard_slot_count),
	CSIF(unpreserved_cs_reg_count),
};

/* A sub-field of a 32-bit register: (reg >> shift) & mask. */
struct bitfield {
	const char *name;
	unsigned int shift;
	uint32_t mask;
};

static const struct bitfield gpu_id_bits[] = {
	{ "arch_major",		28, 0xf },
	{ "arch_minor",		24, 0xf },
	{ "arch_rev",		20, 0xf },
	{ "product_major",	16, 0xf },
	{ "version_major",	12, 0xf },
	{ "version_minor",	 4, 0xff },
	{ "version_status",	 0, 0xf },
};

static const struct bitfield csf_id_bits[] = {
	{ "cshw_major",		26, 0x3f },
	{ "cshw_minor",		20, 0x3f },
	{ "cshw_rev",		16, 0xf },
	{ "mcu_major",		10, 0x3f },
	{ "mcu_minor",		 4, 0x3f },
	{ "mcu_rev",		 0, 0xf },
};

static const struct bitfield mmu_features_bits[] = {
	{ "va_bits",		 0, 0xff },
	{ "pa_bits",		 8, 0xff },
};

struct decoded_reg {
	const char *name;
	size_t off;
	const struct bitfield *bits;
	size_t nbits;
};

#define DECODE(member, table) {						\
	.name = #member,						\
	.off = offsetof(struct drm_panthor_gpu_info, member),		\
	.bits = table,							\
	.nbits = ARRAY_SIZE(table),					\
}

static const struct decoded_reg decoded_regs[] = {
	DECODE(gpu_id, gpu_id_bits),
	DECODE(csf_id, csf_id_bits),
	DECODE(mmu_features, mmu_features_bits),
};

static int failed;

static void fail(const char *what, const char *call)
{
	int err = errno;

	fprintf(stderr, PROG ": %s: %s: %s\n", what, call, strerror(err));
	failed = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG " [--driver NAME] [--device PATH] [--list]\n"
		"\n"
		"Print the DEV_QUERY information of every panthor render node.\n"
		"\n"
		"  --driver NAME  only devices bound to kernel driver NAME\n"
		"  --device PATH  only the render node PATH (no sysfs walk)\n"
		"  --list         one line per device: <path> <driver> <device>\n"
		"  -h, --help     show this help\n");
}

/* ---- device discovery ------------------------------------------------ */

/* Store the last path component of the symlink @link into @out. */
static int link_basename(const char *link, char *out, size_t outsz)
{
	char buf[PATH_MAX];
	const char *base;
	ssize_t len;

	len = readlink(link, buf, sizeof(buf) - 1);
	if (len < 0)
		return -1;
	buf[len] = '\0';

	base = strrchr(buf, '/');
	base = base ? base + 1 : buf;
	if (strlen(base) >= outsz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(out, base);
	return 0;
}

/* @sysdir is the node's sysfs directory (class or /sys/dev/char entry). */
static void read_sysfs_info(struct node *n, const char *sysdir)
{
	char link[PATH_MAX];

	strcpy(n->sysdev, "unknown");
	strcpy(n->driver, "unknown");

	snprintf(link, sizeof(link), "%s/device", sysdir);
	if (link_basename(link, n->sysdev, sizeof(n->sysdev)))
		fail(link, "readlink");

	snprintf(link, sizeof(link), "%s/device/driver", sysdir);
	if (link_basename(link, n->driver, sizeof(n->driver)))
		fail(link, "readlink");
}

/* Open @path and check it is driven by a panthor-uAPI driver. */
static int open_node(struct node *n, const char *path, int explicit)
{
	if (strlen(path) >= sizeof(n->path)) {
		errno = ENAMETOOLONG;
		fail(path, "open");
		return -1;
	}
	strcpy(n->path, path);

	n->fd = open(path, O_RDWR | O_CLOEXEC);
	if (n->fd < 0) {
		fail(path, "open");
		return -1;
	}

	n->ver = drmGetVersion(n->fd);
	if (!n->ver) {
		fail(path, "drmGetVersion");
		goto err_close;
	}

	if (strcmp(n->ver->name, "panthor")) {
		if (explicit) {
			fprintf(stderr, PROG ": %s: DRM driver is \"%s\", not panthor\n",
				path, n->ver->name);
			failed = 1;
		}
		drmFreeVersion(n->ver);
		goto err_close;
	}
	return 0;

err_close:
	close(n->fd);
	return -1;
}

static void free_node(struct node *n)
{
	drmFreeVersion(n->ver);
	close(n->fd);
}

struct node_list {
	struct node *nodes;
	size_t count;
	const char *driver_filter;
};

static void keep_node(struct node_list *list, struct node *n)
{
	struct node *nodes;

	if (list->driver_filter && strcmp(n->driver, list->driver_filter)) {
		free_node(n);
		return;
	}

	nodes = realloc(list->nodes, (list->count + 1) * sizeof(*nodes));
	if (!nodes) {
		fail(n->path, "realloc");
		free_node(n);
		return;
	}
	nodes[list->count++] = *n;
	list->nodes = nodes;
}

static void add_render_node(struct node_list *list, const char *name)
{
	char path[PATH_MAX], sysdir[PATH_MAX];
	struct node n;

	snprintf(path, sizeof(path), DRI_DIR "/%s", name);
	if (open_node(&n, path, 0))
		return;

	snprintf(sysdir, sizeof(sysdir), DRM_CLASS "/%s", name);
	read_sysfs_info(&n, sysdir);
	keep_node(list, &n);
}

static void scan_sysfs(struct node_list *list)
{
	struct dirent *de;
	DIR *dir;

	dir = opendir(DRM_CLASS);
	if (!dir) {
		/* No DRM class at all simply means no device. */
		if (errno != ENOENT)
			fail(DRM_CLASS, "opendir");
		return;
	}

	while ((de = readdir(dir)))
		if (!strncmp(de->d_name, "renderD", strlen("renderD")))
			add_render_node(list, de->d_name);

	closedir(dir);
}

static void add_explicit_node(struct node_list *list, const char *path)
{
	char sysdir[PATH_MAX];
	struct stat st;
	struct node n;

	if (open_node(&n, path, 1))
		return;

	if (fstat(n.fd, &st)) {
		fail(path, "fstat");
		free_node(&n);
		return;
	}
	if (!S_ISCHR(st.st_mode)) {
		fprintf(stderr, PROG ": %s: not a character device\n", path);
		failed = 1;
		free_node(&n);
		return;
	}

	snprintf(sysdir, sizeof(sysdir), "/sys/dev/char/%u:%u",
		 major(st.st_rdev), minor(st.st_rdev));
	read_sysfs_info(&n, sysdir);
	keep_node(list, &n);
}

static int node_cmp(const void *a, const void *b)
{
	const struct node *na = a, *nb = b;
	int ret = strcmp(na->sysdev, nb->sysdev);

	return ret ? ret : strcmp(na->path, nb->path);
}

/* ---- DEV_QUERY ------------------------------------------------------- */

static int dev_query(const struct node *n, uint32_t type, const char *tname,
		     void *buf, size_t size)
{
	struct drm_panthor_dev_query q = { .type = type };
	char call[128];

	snprintf(call, sizeof(call), "DRM_IOCTL_PANTHOR_DEV_QUERY(%s, size probe)",
		 tname);
	if (drmIoctl(n->fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q)) {
		fail(n->path, call);
		return -1;
	}
	if (q.size < size) {
		fprintf(stderr, PROG ": %s: %s: kernel reports %u bytes, expected at least %zu\n",
			n->path, call, q.size, size);
		failed = 1;
		return -1;
	}

	memset(buf, 0, size);
	q.size = size;
	q.pointer = (uint64_t)(uintptr_t)buf;
	snprintf(call, sizeof(call), "DRM_IOCTL_PANTHOR_DEV_QUERY(%s)", tname);
	if (drmIoctl(n->fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q)) {
		fail(n->path, call);
		return -1;
	}
	if (q.size != size) {
		fprintf(stderr, PROG ": %s: %s: kernel copied %u bytes, expected %zu\n",
			n->path, call, q.size, size);
		failed = 1;
		return -1;
	}
	return 0;
}

/* ---- printing -------------------------------------------------------- */

static uint64_t read_field(const void *base, size_t off, size_t size)
{
	uint32_t v32;
	uint64_t v64;

	if (size == sizeof(v64)) {
		memcpy(&v64, (const char *)base + off, sizeof(v64));
		return v64;
	}
	memcpy(&v32, (const char *)base + off, sizeof(v32));
	return v32;
}

static void print_fields(const char *prefix, const void *base,
			 const struct field *fields, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		printf("%s.%s 0x%llx\n", prefix, fields[i].name,
		       (unsigned long long)read_field(base, fields[i].off,
						      fields[i].size));
}

static unsigned int popcount64(uint64_t v)
{
	unsigned int count = 0;

	for (; v; v &= v - 1)
		count++;
	return count;
}

static void print_decoded(const struct drm_panthor_gpu_info *gi)
{
	const struct decoded_reg *reg;
	const struct bitfield *bf;
	uint32_t v;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(decoded_regs); i++) {
		reg = &decoded_regs[i];
		v = (uint32_t)read_field(gi, reg->off, sizeof(v));
		for (j = 0; j < reg->nbits; j++) {
			bf = &reg->bits[j];
			printf("decoded.%s.%s %u\n", reg->name, bf->name,
			       (v >> bf->shift) & bf->mask);
		}
	}

	printf("decoded.l2_features.line_size %llu\n",
	       1ULL << (gi->l2_features & 0xff));
	printf("decoded.shader_present.count %u\n",
	       popcount64(gi->shader_present));
}

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

static void print_device(const struct node *n)
{
	struct drm_panthor_csif_info ci;
	struct drm_panthor_gpu_info gi;
	int gi_ok, ci_ok;

	gi_ok = !dev_query(n, DRM_PANTHOR_DEV_QUERY_GPU_INFO, "GPU_INFO",
			   &gi, sizeof(gi));
	ci_ok = !dev_query(n, DRM_PANTHOR_DEV_QUERY_CSIF_INFO, "CSIF_INFO",
			   &ci, sizeof(ci));

	printf("device %s\n", n->path);
	printf("device.sysfs %s\n", n->sysdev);
	printf("device.driver %s\n", n->driver);
	printf("drm.name %s\n", n->ver->name);
	printf("drm.version %d.%d.%d\n", n->ver->version_major,
	       n->ver->version_minor, n->ver->version_patchlevel);
	printf("drm.date %s\n", str_or_empty(n->ver->date));
	printf("drm.desc %s\n", str_or_empty(n->ver->desc));

	if (gi_ok)
		print_fields("gpu_info", &gi, gpu_fields, ARRAY_SIZE(gpu_fields));
	if (ci_ok)
		print_fields("csif_info", &ci, csif_fields, ARRAY_SIZE(csif_fields));
	if (gi_ok)
		print_decoded(&gi);
}

/* ---- main ------------------------------------------------------------ */

struct options {
	const char *driver;
	const char *device;
	int list;
};

static void parse_options(int argc, char **argv, struct options *opts)
{
	static const struct option longopts[] = {
		{ "driver",	required_argument,	NULL, 'r' },
		{ "device",	required_argument,	NULL, 'd' },
		{ "list",	no_argument,		NULL, 'l' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opts->driver = optarg;
			break;
		case 'd':
			opts->device = optarg;
			break;
		case 'l':
			opts->list = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}

	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	struct options opts = { 0 };
	struct node_list list = { 0 };
	size_t i;

	parse_options(argc, argv, &opts);
	list.driver_filter = opts.driver;

	if (opts.device)
		add_explicit_node(&list, opts.device);
	else
		scan_sysfs(&list);

	if (!list.count) {
		fprintf(stderr, PROG ": no panthor render node found\n");
		return 1;
	}

	qsort(list.nodes, list.count, sizeof(*list.nodes), node_cmp);

	for (i = 0; i < list.count; i++) {
		if (opts.list) {
			printf("%s %s %s\n", list.nodes[i].path,
			       list.nodes[i].driver, list.nodes[i].sysdev);
		} else {
			if (i)
				printf("\n");
			print_device(&list.nodes[i]);
		}
		free_node(&list.nodes[i]);
	}
	free(list.nodes);

	return failed ? 1 : 0;
}
