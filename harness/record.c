// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libpantrace-record.so - LD_PRELOAD recorder of Panthor uAPI traffic.
 *
 *   PANTRACE_OUT=FILE LD_PRELOAD=.../libpantrace-record.so CMD...
 *   (or: harness/pantrace record -o FILE -- CMD...)
 *
 * Records, in the format of harness/FORMAT.md, every open/close/dup of a
 * render node whose DRM driver name is "panthor", every ioctl on it (argument
 * before and after, return value, errno, thread, timestamps, and the user
 * memory the uAPI description table says it reads or writes), and mmap/
 * munmap of it. Records go through a shared mapping of the trace file (no
 * system call per record; PANTRACE_WRITE=1 uses one write() each), so a crash
 * of the program loses at most the record being written. A thread-local
 * guard keeps the recorder's own calls out of the trace.
 *
 * BO content snapshots (BO_DATA): see snapshot_locked(). Not recorded:
 * fcntl(F_DUPFD), mremap of a mapping, munmap of part of a mapping.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "cputicks.h"
#include "trace.h"
#include "uapi.h"

#define MAX_FDS 4096

static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);
static int (*real_dup)(int);
static int (*real_dup2)(int, int);
static int (*real_ioctl)(int, unsigned long, ...);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static int (*real_munmap)(void *, size_t);

#define MAX_MAPS 1024
#define BO_DATA_MAX (8u << 20)	/* bytes per BO_DATA record */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Mappings of tracked nodes, with their shadow copies (see snapshot). */
struct map {
	uint64_t addr, len;
	uint8_t *shadow;	/* NULL: not readable, not snapshotted */
	uint32_t fd, handle;
};
static struct map maps[MAX_MAPS];
/* mmap offset -> BO handle, from BO_MMAP_OFFSET */
static struct { uint64_t offset; int fd; uint32_t handle; } offsets[MAX_MAPS];
static struct pt_writer writer;
static int out_fd = -1;
static unsigned char tracked[MAX_FDS];
static __thread int inside;	/* re-entrancy guard */
/* readable address ranges of the program (see safe_copy) */
#define MAX_RANGES 1024

static pthread_mutex_t ranges_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { uintptr_t lo, hi; } ranges[MAX_RANGES];
static int nranges, ranges_stale = 1, checked_copies;
static pid_t self_pid;

static void init_real(void)
{
	real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	real_openat = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
	real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	real_dup = (int (*)(int))dlsym(RTLD_NEXT, "dup");
	real_dup2 = (int (*)(int, int))dlsym(RTLD_NEXT, "dup2");
	real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	real_mmap = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
	real_munmap = (int (*)(void *, size_t))dlsym(RTLD_NEXT, "munmap");
}

static uint32_t this_tid(void)
{
	static __thread uint32_t tid;

	if (!tid)
		tid = (uint32_t)syscall(SYS_gettid);
	return tid;
}

static uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * Timestamps without a system call (clock_gettime is one where there is no
 * vDSO, as in UML): the CPU's counter, calibrated against CLOCK_MONOTONIC
 * at start and re-anchored by every exact reading (exact_ns()).
 */
static uint64_t ticks(void)
{
	return cpu_ticks();
}

static uint64_t anchor_ns, anchor_ticks;
static double ns_per_tick;	/* 0: no usable counter, use the clock */

static void calibrate(void)
{
	uint64_t n0 = clock_ns(), t0 = ticks(), n1, t1;

	do {
		n1 = clock_ns();
		t1 = ticks();
	} while (n1 - n0 < 20000000ull);	/* 20 ms */
	if (t1 > t0)
		ns_per_tick = (double)(n1 - n0) / (double)(t1 - t0);
	anchor_ns = n1;
	anchor_ticks = t1;
}

/* CLOCK_MONOTONIC itself, and a new anchor for now_ns() */
static uint64_t exact_ns(void)
{
	uint64_t t = ticks(), n = clock_ns();

	__atomic_store_n(&anchor_ticks, t, __ATOMIC_RELAXED);
	__atomic_store_n(&anchor_ns, n, __ATOMIC_RELAXED);
	return n;
}

static uint64_t now_ns(void)
{
	uint64_t t = ticks(), at = __atomic_load_n(&anchor_ticks, __ATOMIC_RELAXED);

	if (!ns_per_tick || t < at)
		return clock_ns();
	return __atomic_load_n(&anchor_ns, __ATOMIC_RELAXED) + (uint64_t)((double)(t - at) * ns_per_tick);
}

/*
 * PANTRACE_STATS=1: where the recorder's own time goes, printed at exit
 * (counter ticks, so no system call is added to what is measured).
 */
enum { ST_WRAP, ST_SNAP, ST_EMIT, ST_N };
static const char *const st_name[ST_N] = { "in the ioctl wrapper", "of it comparing BO snapshots",
					    "of it encoding records" };
static uint64_t st_ticks[ST_N], st_calls, st_bytes;
static uint64_t st_nr_ticks[256], st_nr_calls[256];	/* by _IOC_NR */
static long st_minflt;
static int stats;

static void st_add(int what, uint64_t t0)
{
	if (stats)
		__atomic_fetch_add(&st_ticks[what], ticks() - t0, __ATOMIC_RELAXED);
}

static long minor_faults(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? 0 : ru.ru_minflt;
}

static void print_stats(void)
{
	double scale = ns_per_tick ? ns_per_tick / 1e3 : 0;
	uint64_t n = st_calls ? st_calls : 1;
	int i;

	fprintf(stderr, "pantrace: %llu ioctls recorded, %llu bytes of records, %ld minor faults\n",
		(unsigned long long)st_calls, (unsigned long long)st_bytes,
		minor_faults() - st_minflt);
	for (i = 0; i < ST_N; i++)
		fprintf(stderr, "pantrace: %10.0f us %s (%.2f us per ioctl)\n",
			st_ticks[i] * scale, st_name[i], st_ticks[i] * scale / n);
	for (i = 0; i < 256; i++) {
		const struct pu_ioctl *io = NULL;

		if (!st_nr_calls[i])
			continue;
		for (size_t k = 0; !io && k < pu_nioctls; k++)
			if (_IOC_NR(pu_ioctls[k].request) == (unsigned int)i)
				io = &pu_ioctls[k];
		fprintf(stderr, "pantrace: %10.0f us in %llu %s (%.2f us each)\n",
			st_nr_ticks[i] * scale, (unsigned long long)st_nr_calls[i],
			io ? io->name : "other ioctls", st_nr_ticks[i] * scale / st_nr_calls[i]);
	}
}

static void emit(uint32_t type, const void *payload, uint32_t len)
{
	uint64_t t0 = stats ? ticks() : 0;

	if (out_fd < 0)
		return;
	pthread_mutex_lock(&lock);
	if (pt_write(&writer, type, payload, len))
		fprintf(stderr, "pantrace: writing the trace failed: %s\n", strerror(errno));
	pthread_mutex_unlock(&lock);
	if (stats)
		__atomic_fetch_add(&st_bytes, len, __ATOMIC_RELAXED);
	st_add(ST_EMIT, t0);
}

static void snapshot(uint32_t kind);

static void finish(void)
{
	snapshot(PT_BO_OBSERVED);
	emit(PT_END, NULL, 0);
	inside = 1;	/* the writer's munmap is not the program's */
	pthread_mutex_lock(&lock);
	if (out_fd >= 0 && pt_writer_finish(&writer))
		fprintf(stderr, "pantrace: cutting the trace to its length failed\n");
	out_fd = -1;
	pthread_mutex_unlock(&lock);
	if (stats)
		print_stats();
	inside = 0;
}

/* The trace file, written through a shared mapping (PANTRACE_WRITE=1: write()). */
static int start_writer(const char *path)
{
	int zstd = !getenv("PANTRACE_NO_ZSTD");

	out_fd = real_open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out_fd < 0)
		return -1;
	if (getenv("PANTRACE_WRITE") ? pt_writer_start(&writer, out_fd, zstd) :
				       pt_writer_start_mapped(&writer, out_fd, zstd)) {
		real_close(out_fd);
		out_fd = -1;
		return -1;
	}
	return 0;
}

/*
 * A forked child shares the trace's file but not its sequence numbers: it
 * records into FILE.PID of its own instead, so neither trace is corrupted.
 */
static void child_after_fork(void)
{
	char path[4096];
	const char *base = getenv("PANTRACE_OUT");

	pthread_mutex_init(&lock, NULL);
	pthread_mutex_init(&ranges_lock, NULL);
	self_pid = getpid();
	if (out_fd < 0 || !base)
		return;
	inside = 1;
	pt_writer_drop(&writer);	/* the parent's mapping: not ours to touch */
	real_close(out_fd);
	out_fd = -1;
	snprintf(path, sizeof(path), "%s.%d", base, getpid());
	if (start_writer(path)) {
		inside = 0;
		return;
	}
	inside = 0;
	snprintf(path, sizeof(path), "format=1\ntable_uapi=1.%d\nforked_from=%d\npid=%d\n",
		 PU_NEWEST_MINOR, getppid(), getpid());
	pt_write(&writer, PT_HEADER, path, (uint32_t)strlen(path));
}

__attribute__((constructor)) static void start(void)
{
	const char *path = getenv("PANTRACE_OUT");
	struct utsname u;
	char hdr[512];
	int n;

	init_real();
	if (!path)
		return;
	self_pid = getpid();
	checked_copies = !!getenv("PANTRACE_SAFE_COPY");
	if (start_writer(path)) {
		fprintf(stderr, "pantrace: cannot write %s: %s\n", path, strerror(errno));
		return;
	}
	calibrate();
	stats = !!getenv("PANTRACE_STATS");
	st_minflt = stats ? minor_faults() : 0;
	uname(&u);
	/* the driver's uAPI version follows each OPEN (track_open) */
	n = snprintf(hdr, sizeof(hdr), "format=1\ntable_uapi=1.%d\nkernel=%s\nmachine=%s\npid=%d\n",
		     PU_NEWEST_MINOR, u.release, u.machine, getpid());
	emit(PT_HEADER, hdr, (uint32_t)n);
	atexit(finish);
	pthread_atfork(NULL, NULL, child_after_fork);
}

/* A render node whose DRM driver name is "panthor"? (untraced query) */
static int is_panthor(int fd, struct drm_version *v, char *name, size_t len)
{
	memset(v, 0, sizeof(*v));
	v->name_len = len - 1;
	v->name = name;
	if (real_ioctl(fd, DRM_IOCTL_VERSION, v))
		return 0;
	return v->name_len == 7 && !memcmp(name, "panthor", 7);
}

static void track_open(int fd, const char *path, int flags)
{
	uint8_t buf[8 + 4096];
	size_t n = strlen(path);
	struct drm_version v;
	char hdr[160], name[32] = "";
	int hn;

	if (fd < 0 || fd >= MAX_FDS || strncmp(path, "/dev/dri/", 9) || !is_panthor(fd, &v, name, sizeof(name)))
		return;
	tracked[fd] = 1;
	if (n > 4096)
		n = 4096;
	memcpy(buf, &fd, 4);
	memcpy(buf + 4, &flags, 4);
	memcpy(buf + 8, path, n);
	emit(PT_OPEN, buf, (uint32_t)(8 + n));
	/* the uAPI version the recording is made against (DRM_IOCTL_VERSION) */
	hn = snprintf(hdr, sizeof(hdr), "driver=panthor\ndriver_version=%d.%d.%d\nuapi=%d.%d\nfd=%d\n",
		      v.version_major, v.version_minor, v.version_patchlevel, v.version_major,
		      v.version_minor, fd);
	emit(PT_HEADER, hdr, (uint32_t)hn);
}

/* After a successful open: track it if it is a panthor node (errno kept). */
static int opened(int fd, const char *path, int flags)
{
	if (!inside && fd >= 0) {
		int e = errno;

		inside = 1;
		track_open(fd, path, flags);
		inside = 0;
		errno = e;
	}
	return fd;
}

/* The mode argument exists only with O_CREAT or O_TMPFILE. */
#define OPEN_MODE(flags, last, mode) do {			\
	if ((flags) & (O_CREAT | O_TMPFILE)) {			\
		va_list ap;					\
		va_start(ap, last);				\
		mode = va_arg(ap, mode_t);			\
		va_end(ap);					\
	}							\
} while (0)

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, flags, mode);
	if (!real_open)
		init_real();
	return opened(real_open(path, flags, mode), path, flags);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, flags, mode);
	if (!real_openat)
		init_real();
	return opened(real_openat(dirfd, path, flags, mode), path, flags);
}

int close(int fd)
{
	int r;

	if (!real_close)
		init_real();
	if (fd >= 0 && fd < MAX_FDS && tracked[fd] && fd != out_fd) {
		uint32_t f = (uint32_t)fd;

		tracked[fd] = 0;
		emit(PT_CLOSE, &f, 4);
	}
	r = real_close(fd);
	return r;
}

static void track_dup(int oldfd, int newfd)
{
	uint32_t p[2] = { (uint32_t)oldfd, (uint32_t)newfd };

	if (oldfd < 0 || oldfd >= MAX_FDS || newfd < 0 || newfd >= MAX_FDS || !tracked[oldfd])
		return;
	tracked[newfd] = 1;
	emit(PT_DUP, p, sizeof(p));
}

int dup(int fd)
{
	int r;

	if (!real_dup)
		init_real();
	r = real_dup(fd);
	track_dup(fd, r);
	return r;
}

int dup2(int fd, int fd2)
{
	int r;

	if (!real_dup2)
		init_real();
	r = real_dup2(fd, fd2);
	if (r >= 0)
		track_dup(fd, r);
	return r;
}

/* ---- ioctl: argument, then the user memory it points at ---- */

/*
 * Copy the program's memory without trusting it: the program may pass bad
 * pointers on purpose (the conformance suite does), and the recorder must
 * record that call, not crash the program.
 *
 * A copy from a range /proc/self/maps lists as readable is a plain memcpy;
 * the list is read again on a miss and after every munmap, mremap or
 * mprotect the program makes. Anything else goes through process_vm_readv,
 * which the kernel checks. Memory that glibc unmaps by itself (a freed
 * large block, a trimmed heap) can stay listed until the next miss, so a
 * program that hands the kernel a pointer to memory it already freed could
 * fault in the recorder: PANTRACE_SAFE_COPY=1 makes every copy a checked
 * one. 0, or -1 if unreadable.
 */

static void ranges_changed(void)
{
	__atomic_store_n(&ranges_stale, 1, __ATOMIC_RELAXED);
}

/* Read the readable mappings, adjacent ones merged. Under ranges_lock. */
static void ranges_load(void)
{
	char buf[65536], *l, *nl;
	size_t used = 0;
	ssize_t n;
	int fd = real_open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	nranges = 0;
	ranges_stale = 0;
	if (fd < 0)
		return;
	/* lines never straddle reads of a whole buffer minus one line */
	for (;;) {
		n = read(fd, buf + used, sizeof(buf) - 1 - used);
		if (n <= 0)
			break;
		used += (size_t)n;
		buf[used] = 0;
		for (l = buf; (nl = strchr(l, '\n')); l = nl + 1) {
			unsigned long lo, hi;
			char perms[5];

			*nl = 0;
			if (sscanf(l, "%lx-%lx %4s", &lo, &hi, perms) != 3 || perms[0] != 'r')
				continue;
			if (nranges && ranges[nranges - 1].hi == lo)
				ranges[nranges - 1].hi = hi;
			else if (nranges < MAX_RANGES)
				ranges[nranges].lo = lo, ranges[nranges++].hi = hi;
		}
		used -= (size_t)(l - buf);
		memmove(buf, l, used);
	}
	real_close(fd);
}

static int ranges_hit(uintptr_t p, size_t len)
{
	int lo = 0, hi = nranges - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (p < ranges[mid].lo)
			hi = mid - 1;
		else if (p >= ranges[mid].hi)
			lo = mid + 1;
		else
			return len <= ranges[mid].hi - p;
	}
	return 0;
}

static int listed_readable(const void *src, size_t len)
{
	uintptr_t p = (uintptr_t)src;
	int ok;

	if (!len || p + len < p || checked_copies)
		return 0;
	pthread_mutex_lock(&ranges_lock);
	if (ranges_stale)
		ranges_load();
	ok = ranges_hit(p, len);
	if (!ok) {
		ranges_load();
		ok = ranges_hit(p, len);
	}
	pthread_mutex_unlock(&ranges_lock);
	return ok;
}

static int safe_copy(void *dst, const void *src, size_t len)
{
	struct iovec local = { dst, len }, remote = { (void *)src, len };

	if (listed_readable(src, len)) {
		memcpy(dst, src, len);
		return 0;
	}
	return process_vm_readv(self_pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -1;
}

struct membuf {
	uint8_t *p;
	size_t len, cap;
	uint32_t n;
};

/* Append a copy of [addr, addr + len); the copy's offset in m->p, or -1. */
static long mem_add(struct membuf *m, uint64_t addr, const void *src, uint32_t len,
		    uint32_t dir)
{
	size_t need = 16 + ((len + 7u) & ~7u);

	if (!addr || !len || len > (16u << 20) || m->n == PT_MAX_MEM)
		return -1;
	if (m->len + need > m->cap) {
		size_t cap = (m->len + need) * 2;
		uint8_t *p = realloc(m->p, cap);

		if (!p)
			return -1;
		m->p = p;
		m->cap = cap;
	}
	memcpy(m->p + m->len, &addr, 8);
	memcpy(m->p + m->len + 8, &len, 4);
	memcpy(m->p + m->len + 12, &dir, 4);
	memset(m->p + m->len + 16, 0, need - 16);
	if (safe_copy(m->p + m->len + 16, src, len))
		return -1;	/* unreadable: not recorded */
	m->len += need;
	m->n++;
	return (long)(m->len - need + 16);
}

/*
 * Bytes of the NUL-terminated string at @p, the NUL included, read a page at
 * a time (at most PU_STRING_MAX); 0 if unreadable or unterminated (the
 * kernel fails such a call, and the replay gives the pointer a faulting
 * address).
 */
static uint64_t string_len(uint64_t p)
{
	char buf[PU_STRING_MAX];
	uint64_t n = 0;

	while (p && n < PU_STRING_MAX) {
		uint64_t chunk = 4096 - ((p + n) & 4095);
		const char *z;

		if (chunk > PU_STRING_MAX - n)
			chunk = PU_STRING_MAX - n;
		if (safe_copy(buf + n, (const void *)(uintptr_t)(p + n), chunk))
			return 0;
		z = memchr(buf + n, 0, chunk);
		if (z)
			return (uint64_t)(z - buf) + 1;
		n += chunk;
	}
	return 0;
}

static uint64_t field_u64(const uint8_t *base, const struct pu_field *f)
{
	uint64_t v = 0;

	memcpy(&v, base + f->offset, f->size < 8 ? f->size : 8);
	return v;
}

/*
 * The obj_arrays of @s at @base (@len bytes of it are the program's: the
 * kernel sees zeros past them), and their nested arrays, as read memory.
 */
static void capture_arrays(struct membuf *m, const struct pu_struct *s, const uint8_t *base,
			   uint32_t len, int depth)
{
	uint32_t i, k;

	for (i = 0; i < s->nfields && depth < 2; i++) {
		const struct pu_field *f = &s->fields[i];
		struct drm_panthor_obj_array a;
		long at;

		if (f->kind != PU_OBJ_ARRAY || !pu_field_in(f, len))
			continue;
		memcpy(&a, base + f->offset, sizeof(a));
		if (!a.array || !a.count || !a.stride || (uint64_t)a.count * a.stride > (16u << 20))
			continue;
		at = mem_add(m, a.array, (const void *)(uintptr_t)a.array, a.count * a.stride, 1);
		/* the elements' own arrays, read from the copy (m->p may move) */
		for (k = 0; at >= 0 && k < a.count && k < 1024 && a.stride <= 256; k++) {
			uint8_t e[256];

			memcpy(e, m->p + at + (size_t)k * a.stride, a.stride);
			capture_arrays(m, f->elem, e, a.stride, depth + 1);
		}
	}
}

/*
 * The memory @s's user pointers point at: with @dir PU_IN, before the call,
 * all of it (what the kernel will read, and the initial contents of what it
 * will write); with PU_OUT, after a successful call, what it wrote. Syncobj
 * handle and point arrays, DEV_QUERY payloads, VERSION strings.
 */
static void capture_uptrs(struct membuf *m, const struct pu_struct *s, const uint8_t *arg,
			  uint32_t arg_len, uint32_t dir)
{
	uint32_t i;

	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		uint64_t p, len;

		/* before the call, every pointer: the replay must know which were valid */
		if (f->kind != PU_UPTR || (dir == PU_OUT && !(f->mem_dir & PU_OUT)) ||
		    !pu_field_in(f, arg_len))
			continue;
		p = field_u64(arg, f);
		len = (f->attr & PU_A_STRING) ? string_len(p) : pu_uptr_len(s, f, arg);
		if (p && len && len <= (16u << 20))
			mem_add(m, p, (const void *)(uintptr_t)p, (uint32_t)len,
				dir == PU_IN ? PT_MEM_READ : PT_MEM_WRITTEN);
	}
}

/* ---- BO content snapshots ---- */

/*
 * Every readable mapping of a tracked node has a shadow copy of what the
 * trace already holds. A snapshot compares each mapping with its shadow,
 * in 64-byte blocks, and writes the changed runs as BO_DATA records: before
 * GROUP_SUBMIT, VM_BIND, syncobj waits and munmap (the CPU's writes, which a
 * replay must restore first: the GPU may be polling them during a wait), and after a successful syncobj wait and at exit (what
 * the GPU left, which a replay compares). Called with @lock held.
 */
static void snapshot_locked(uint32_t kind)
{
	size_t i;

	for (i = 0; i < MAX_MAPS; i++) {
		struct map *mp = &maps[i];
		uint64_t pg = 64, o, run;	/* compare and emit in 64-byte blocks */

		if (!mp->addr || !mp->shadow)
			continue;
		for (o = 0; o < mp->len; o = run) {
			const uint8_t *cur = (const uint8_t *)(uintptr_t)mp->addr;
			uint64_t n = mp->len - o < pg ? mp->len - o : pg;

			run = o + n;
			if (!memcmp(cur + o, mp->shadow + o, n))
				continue;
			/* extend the dirty run over the following dirty pages */
			while (run < mp->len) {
				n = mp->len - run < pg ? mp->len - run : pg;
				if (!memcmp(cur + run, mp->shadow + run, n))
					break;
				run += n;
			}
			while (o < run) {
				uint64_t len = run - o > BO_DATA_MAX ? BO_DATA_MAX : run - o;
				uint8_t *rec = malloc(PT_BO_DATA_FIXED + len);
				uint32_t u[2] = { mp->fd, mp->handle }, k[2] = { kind, (uint32_t)len };
				uint64_t v[2] = { mp->addr, o };

				if (!rec)
					return;
				memcpy(rec, u, 8);
				memcpy(rec + 8, v, 16);
				memcpy(rec + 24, k, 8);
				memcpy(rec + PT_BO_DATA_FIXED, cur + o, len);
				memcpy(mp->shadow + o, cur + o, len);
				if (pt_write(&writer, PT_BO_DATA, rec, (uint32_t)(PT_BO_DATA_FIXED + len)))
					fprintf(stderr, "pantrace: writing the trace failed\n");
				free(rec);
				o += len;
			}
		}
	}
}

static void snapshot(uint32_t kind)
{
	uint64_t t0 = stats ? ticks() : 0;

	if (out_fd < 0)
		return;
	pthread_mutex_lock(&lock);
	snapshot_locked(kind);
	pthread_mutex_unlock(&lock);
	st_add(ST_SNAP, t0);
}

/* BO_MMAP_OFFSET told us which handle an mmap offset belongs to. */
static void learn_offset(int fd, uint32_t handle, uint64_t offset)
{
	size_t i, free_slot = MAX_MAPS;

	pthread_mutex_lock(&lock);
	for (i = 0; i < MAX_MAPS; i++) {
		if (offsets[i].offset == offset && offsets[i].fd == fd)
			break;
		if (!offsets[i].offset && free_slot == MAX_MAPS)
			free_slot = i;
	}
	if (i == MAX_MAPS)
		i = free_slot;
	if (i < MAX_MAPS) {
		offsets[i].offset = offset;
		offsets[i].fd = fd;
		offsets[i].handle = handle;
	}
	pthread_mutex_unlock(&lock);
}

/* Whether the kernel writes any field of @s back. */
static int writes_back(const struct pu_struct *s)
{
	uint32_t i;

	for (i = 0; i < s->nfields; i++)
		if (s->fields[i].dir & PU_OUT)
			return 1;
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	const struct pu_ioctl *io;
	uint8_t in[256], out[256], *rec;
	int readable, is_wait;
	struct membuf mem = { 0 };
	uint32_t arg_len = _IOC_SIZE(request), hdr[12];
	uint64_t t0, t1, w0, w1;
	va_list ap;
	void *arg;
	int r, err;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real_ioctl)
		init_real();
	if (inside || fd < 0 || fd >= MAX_FDS || !tracked[fd] || out_fd < 0 ||
	    arg_len > sizeof(in))
		return real_ioctl(fd, request, arg);
	inside = 1;
	w0 = stats ? ticks() : 0;
	/* by type and nr, whatever size the program's headers gave the struct */
	io = pu_ioctl_lookup(request);
	is_wait = pu_same_nr(request, DRM_IOCTL_SYNCOBJ_WAIT) ||
		  pu_same_nr(request, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT);
	/* An unreadable argument is recorded as zeros with the call's result. */
	readable = arg && arg_len && !safe_copy(in, arg, arg_len);
	/* as the kernel does: what the call did not pass reads as zeros */
	memset(in + (readable ? arg_len : 0), 0, sizeof(in) - (readable ? arg_len : 0));
	if (io && readable) {
		capture_arrays(&mem, io->arg, in, arg_len, 0);
		capture_uptrs(&mem, io->arg, in, arg_len, PU_IN);
	}
	/* what the GPU will read, or may be polling while we wait */
	if (is_wait || pu_same_nr(request, DRM_IOCTL_PANTHOR_GROUP_SUBMIT) ||
	    pu_same_nr(request, DRM_IOCTL_PANTHOR_VM_BIND))
		snapshot(PT_BO_CPU);
	/* waits carry absolute CLOCK_MONOTONIC deadlines: their start is read exactly */
	t0 = is_wait ? exact_ns() : now_ns();
	if (stats) {
		w1 = ticks();
		__atomic_fetch_add(&st_ticks[ST_WRAP], w1 - w0, __ATOMIC_RELAXED);
		__atomic_fetch_add(&st_nr_ticks[_IOC_NR(request)], w1 - w0, __ATOMIC_RELAXED);
	}
	r = real_ioctl(fd, request, arg);
	err = r ? errno : 0;
	t1 = now_ns();
	w0 = stats ? ticks() : 0;
	if (!io || writes_back(io->arg)) {
		if (readable && safe_copy(out, arg, arg_len))
			readable = 0;
	} else {
		memcpy(out, in, arg_len);	/* nothing is written back */
	}
	if (io && readable && !r)
		capture_uptrs(&mem, io->arg, out, arg_len, PU_OUT);
	rec = malloc(48 + 2 * (size_t)arg_len + mem.len);
	if (rec) {
		uint64_t req = request;
		int32_t sret = r, serr = err;
		uint32_t tid = this_tid(), nm_flags;

		hdr[0] = (uint32_t)fd;
		hdr[1] = tid;
		memcpy(rec, hdr, 8);
		memcpy(rec + 8, &req, 8);
		memcpy(rec + 16, &t0, 8);
		memcpy(rec + 24, &t1, 8);
		memcpy(rec + 32, &sret, 4);
		memcpy(rec + 36, &serr, 4);
		memcpy(rec + 40, &arg_len, 4);
		nm_flags = mem.n | (readable || !arg_len ? 0 : PT_IOCTL_ARG_UNREADABLE << 16);
		memcpy(rec + 44, &nm_flags, 4);
		if (arg_len) {
			memcpy(rec + 48, in, arg_len);
			memcpy(rec + 48 + arg_len, readable ? out : in, arg_len);
		}
		if (mem.len)
			memcpy(rec + 48 + 2 * arg_len, mem.p, mem.len);
		emit(PT_IOCTL, rec, (uint32_t)(48 + 2 * arg_len + mem.len));
		free(rec);
	}
	free(mem.p);
	if (!r && readable && pu_same_nr(request, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET) &&
	    arg_len >= sizeof(struct drm_panthor_bo_mmap_offset)) {
		struct drm_panthor_bo_mmap_offset a;

		memcpy(&a, out, sizeof(a));
		learn_offset(fd, a.handle, a.offset);
	}
	if (!r && is_wait)
		snapshot(PT_BO_OBSERVED);
	if (stats) {
		uint64_t d = ticks() - w0;

		__atomic_fetch_add(&st_calls, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&st_ticks[ST_WRAP], d, __ATOMIC_RELAXED);
		__atomic_fetch_add(&st_nr_ticks[_IOC_NR(request)], d, __ATOMIC_RELAXED);
		__atomic_fetch_add(&st_nr_calls[_IOC_NR(request)], 1, __ATOMIC_RELAXED);
	}
	inside = 0;
	errno = err;
	return r;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p;

	if (!real_mmap)
		init_real();
	p = real_mmap(addr, len, prot, flags, fd, off);
	if (!inside && fd >= 0 && fd < MAX_FDS && tracked[fd]) {
		uint8_t b[40];
		uint32_t u[4] = { (uint32_t)fd, (uint32_t)prot, (uint32_t)flags, 0 };
		uint64_t v[3] = { (uint64_t)off, len, p == MAP_FAILED ? 0 : (uint64_t)(uintptr_t)p };
		int e = errno;

		memcpy(b, u, 16);
		memcpy(b + 16, v, 24);
		emit(PT_MMAP, b, sizeof(b));
		if (p != MAP_FAILED) {
			pthread_mutex_lock(&lock);
			for (size_t i = 0; i < MAX_MAPS; i++) {
				struct map *mp = &maps[i];

				if (mp->addr)
					continue;
				mp->addr = (uint64_t)(uintptr_t)p;
				mp->len = len;
				mp->fd = (uint32_t)fd;
				mp->handle = 0;
				for (size_t k = 0; k < MAX_MAPS; k++)
					if (offsets[k].offset == (uint64_t)off && offsets[k].fd == fd)
						mp->handle = offsets[k].handle;
				/* what the kernel gave us is the baseline */
				mp->shadow = (prot & PROT_READ) && len < (256u << 20) ? malloc(len) : NULL;
				if (mp->shadow)
					memcpy(mp->shadow, p, len);
				break;
			}
			pthread_mutex_unlock(&lock);
		}
		errno = e;
	}
	return p;
}

void *mmap64(void *, size_t, int, int, int, off_t) __attribute__((alias("mmap")));

int munmap(void *addr, size_t len)
{
	if (!real_munmap)
		init_real();
	ranges_changed();
	if (!inside && out_fd >= 0 && addr) {
		uint64_t v[2] = { (uint64_t)(uintptr_t)addr, len };
		int found = 0;

		pthread_mutex_lock(&lock);
		for (size_t i = 0; i < MAX_MAPS; i++) {
			if (maps[i].addr == v[0]) {
				/* the CPU's last writes, before they become unreachable */
				snapshot_locked(PT_BO_CPU);
				free(maps[i].shadow);
				memset(&maps[i], 0, sizeof(maps[i]));
				found = 1;
				break;
			}
		}
		pthread_mutex_unlock(&lock);
		if (found)
			emit(PT_MUNMAP, v, sizeof(v));
	}
	return real_munmap(addr, len);
}

/* Mappings change: the readable-range list must be read again (safe_copy). */
int mprotect(void *addr, size_t len, int prot)
{
	static int (*real_mprotect)(void *, size_t, int);

	if (!real_mprotect)
		real_mprotect = (int (*)(void *, size_t, int))dlsym(RTLD_NEXT, "mprotect");
	ranges_changed();
	return real_mprotect(addr, len, prot);
}

void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	static void *(*real_mremap)(void *, size_t, size_t, int, ...);
	void *new_addr = NULL;
	va_list ap;

	if (!real_mremap)
		real_mremap = (void *(*)(void *, size_t, size_t, int, ...))dlsym(RTLD_NEXT, "mremap");
	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	ranges_changed();
	return real_mremap(old, old_len, new_len, flags, new_addr);
}
