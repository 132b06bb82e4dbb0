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
 * munmap of it. Each record is one write() to an O_APPEND file, so a crash
 * of the program loses at most the record being written. A thread-local
 * guard keeps the recorder's own calls out of the trace.
 *
 * Not recorded yet: BO content snapshots (BO_DATA), fcntl(F_DUPFD).
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
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <panthor_drm.h>

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

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Mappings of tracked nodes, so that only their munmap is recorded. */
static struct { uint64_t addr, len; } maps[1024];
static struct pt_writer writer;
static int out_fd = -1;
static unsigned char tracked[MAX_FDS];
static __thread int inside;	/* re-entrancy guard */

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

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void emit(uint32_t type, const void *payload, uint32_t len)
{
	if (out_fd < 0)
		return;
	pthread_mutex_lock(&lock);
	if (pt_write(&writer, type, payload, len))
		fprintf(stderr, "pantrace: writing the trace failed: %s\n", strerror(errno));
	pthread_mutex_unlock(&lock);
}

static void finish(void)
{
	emit(PT_END, NULL, 0);
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
	out_fd = real_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (out_fd < 0 || pt_writer_start(&writer, out_fd)) {
		fprintf(stderr, "pantrace: cannot write %s: %s\n", path, strerror(errno));
		out_fd = -1;
		return;
	}
	uname(&u);
	n = snprintf(hdr, sizeof(hdr), "format=1\nuapi=1.0\nkernel=%s\nmachine=%s\npid=%d\n",
		     u.release, u.machine, getpid());
	emit(PT_HEADER, hdr, (uint32_t)n);
	atexit(finish);
}

/* A render node whose DRM driver name is "panthor"? (untraced query) */
static int is_panthor(int fd)
{
	char name[32] = "";
	struct drm_version v = { .name_len = sizeof(name) - 1, .name = name };

	if (real_ioctl(fd, DRM_IOCTL_VERSION, &v))
		return 0;
	return v.name_len == 7 && !memcmp(name, "panthor", 7);
}

static void track_open(int fd, const char *path, int flags)
{
	uint8_t buf[8 + 4096];
	size_t n = strlen(path);

	if (fd < 0 || fd >= MAX_FDS || strncmp(path, "/dev/dri/", 9) || !is_panthor(fd))
		return;
	tracked[fd] = 1;
	if (n > 4096)
		n = 4096;
	memcpy(buf, &fd, 4);
	memcpy(buf + 4, &flags, 4);
	memcpy(buf + 8, path, n);
	emit(PT_OPEN, buf, (uint32_t)(8 + n));
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
 * record that call, not crash the program. 0, or -1 if unreadable.
 */
static int safe_copy(void *dst, const void *src, size_t len)
{
	struct iovec local = { dst, len }, remote = { (void *)src, len };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -1;
}

struct membuf {
	uint8_t *p;
	size_t len, cap;
	uint32_t n;
};

static void mem_add(struct membuf *m, uint64_t addr, const void *src, uint32_t len,
		    uint32_t dir)
{
	size_t need = 16 + ((len + 7u) & ~7u);

	if (!addr || !len || len > (16u << 20))
		return;
	if (m->len + need > m->cap) {
		size_t cap = (m->len + need) * 2;
		uint8_t *p = realloc(m->p, cap);

		if (!p)
			return;
		m->p = p;
		m->cap = cap;
	}
	memcpy(m->p + m->len, &addr, 8);
	memcpy(m->p + m->len + 8, &len, 4);
	memcpy(m->p + m->len + 12, &dir, 4);
	memset(m->p + m->len + 16, 0, need - 16);
	if (safe_copy(m->p + m->len + 16, src, len))
		return;		/* unreadable: not recorded */
	m->len += need;
	m->n++;
}

static uint64_t field_u64(const uint8_t *base, const struct pu_field *f)
{
	uint64_t v = 0;

	memcpy(&v, base + f->offset, f->size < 8 ? f->size : 8);
	return v;
}

/* The obj_arrays of @s at @base (and their nested arrays), as read memory. */
static void capture_arrays(struct membuf *m, const struct pu_struct *s, const uint8_t *base,
			   int depth)
{
	uint32_t i, k;

	for (i = 0; i < s->nfields && depth < 2; i++) {
		const struct pu_field *f = &s->fields[i];
		struct drm_panthor_obj_array a;
		const uint8_t *elems;

		if (f->kind != PU_OBJ_ARRAY)
			continue;
		memcpy(&a, base + f->offset, sizeof(a));
		if (!a.array || !a.count || !a.stride || (uint64_t)a.count * a.stride > (16u << 20))
			continue;
		elems = (const uint8_t *)(uintptr_t)a.array;
		mem_add(m, a.array, elems, a.count * a.stride, 1);
		for (k = 0; k < a.count && k < 1024; k++) {
			uint8_t e[256];

			if (a.stride > sizeof(e) ||
			    safe_copy(e, elems + (size_t)k * a.stride, a.stride))
				break;
			capture_arrays(m, f->elem, e, depth + 1);
		}
	}
}

/* User pointers written by the call (DEV_QUERY payload, VERSION strings). */
static void capture_outputs(struct membuf *m, const struct pu_struct *s, const uint8_t *arg)
{
	uint32_t i;

	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		const struct pu_field *sz;
		uint64_t p, len;

		if (f->kind != PU_UPTR)
			continue;
		sz = pu_field_by_name(s, f->size_field);
		p = field_u64(arg, f);
		len = sz ? field_u64(arg, sz) : 0;
		if (!strncmp(f->size_field, "count", 5))
			len *= strcmp(f->name, "points") ? 4 : 8;	/* handles u32, points u64 */
		if (p && len && len <= (16u << 20))
			mem_add(m, p, (const void *)(uintptr_t)p, (uint32_t)len, 2);
	}
}

int ioctl(int fd, unsigned long request, ...)
{
	const struct pu_ioctl *io;
	uint8_t in[256], out[256], *rec;
	int readable;
	struct membuf mem = { 0 };
	uint32_t arg_len = _IOC_SIZE(request), hdr[12];
	uint64_t t0, t1;
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
	io = pu_ioctl_by_request(request);
	/* An unreadable argument is recorded as zeros with the call's result. */
	readable = arg && arg_len && !safe_copy(in, arg, arg_len);
	if (!readable)
		memset(in, 0, sizeof(in));
	if (io && readable)
		capture_arrays(&mem, io->arg, in, 0);
	t0 = now_ns();
	r = real_ioctl(fd, request, arg);
	err = r ? errno : 0;
	t1 = now_ns();
	if (readable && safe_copy(out, arg, arg_len))
		readable = 0;
	if (io && readable && !r)
		capture_outputs(&mem, io->arg, out);
	rec = malloc(48 + 2 * (size_t)arg_len + mem.len);
	if (rec) {
		uint64_t req = request;
		int32_t sret = r, serr = err;
		uint32_t tid = (uint32_t)syscall(SYS_gettid);

		hdr[0] = (uint32_t)fd;
		hdr[1] = tid;
		memcpy(rec, hdr, 8);
		memcpy(rec + 8, &req, 8);
		memcpy(rec + 16, &t0, 8);
		memcpy(rec + 24, &t1, 8);
		memcpy(rec + 32, &sret, 4);
		memcpy(rec + 36, &serr, 4);
		memcpy(rec + 40, &arg_len, 4);
		memcpy(rec + 44, &mem.n, 4);
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
			for (size_t i = 0; i < 1024; i++) {
				if (!maps[i].addr) {
					maps[i].addr = (uint64_t)(uintptr_t)p;
					maps[i].len = len;
					break;
				}
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
	if (!inside && out_fd >= 0 && addr) {
		uint64_t v[2] = { (uint64_t)(uintptr_t)addr, len };
		int found = 0;

		pthread_mutex_lock(&lock);
		for (size_t i = 0; i < 1024; i++) {
			if (maps[i].addr == v[0]) {
				maps[i].addr = 0;
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
