// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panfuzz: the coverage-guided ioctl fuzzer of a panthor-uAPI driver, run
 * inside the VM (fuzz/campaign starts it; docs/fuzzing.md). A libFuzzer
 * binary: libFuzzer mutates byte strings, fuzz/prog.c turns each into a
 * program of uAPI calls, and KCOV says what the driver did with it.
 *
 *  - Coverage: the main thread enables KCOV remote coverage with a common
 *    handle; the fuzzing thread (libFuzzer's loop, LLVMFuzzerRunDriver)
 *    and a helper thread for races, created after it (so they inherit the
 *    handle, which the driver saves when the device is opened), run the
 *    programs with per-thread KCOV; no hand-over between threads per input
 *    (a thread switch costs more than a millisecond in UML). The driver's workqueues, IRQ thread and
 *    drm_sched callbacks report to the remote area when the driver is
 *    annotated (panref built with PANREF_KCOV=y; Panthor with
 *    fuzz/panthor-kcov.patch). Edges of both go into libFuzzer's extra
 *    counters; distinct PCs are counted for the reports.
 *  - Persistent: one process runs every input; the render node is opened
 *    for each input and closed after it, which frees what the program made.
 *  - Oracles: after every input the kernel log (/dev/kmsg) is read for
 *    reports (oops, WARNING, KASAN, UBSAN, lockdep, hung task, allocation
 *    failures, the OOM killer); a program that does not finish in 20 s is
 *    a hang (the main thread watches). A finding is written to $PANFUZZ_OUT/report/ and the process
 *    exits 3. Before running an input it is written to
 *    $PANFUZZ_OUT/cur-input (hostfs writes reach the host file at once),
 *    so a kernel panic still leaves the culprit behind.
 *
 * PANFUZZ_MODE=fw fuzzes the firmware interface instead (run_fw_input()).
 *
 * Environment: PANFUZZ_DRIVER (panthor or panref), PANFUZZ_OUT (a
 * directory), PANFUZZ_KNOWN (known-bugs file, or "none"), PANFUZZ_FAILNTH=1
 * (fault injection pseudo-calls; needs the debug kernel),
 * PANFUZZ_HEAP_BUDGET_MB (default 4; 0: none, see pf_options.heap_budget), PANFUZZ_STARTS=FILE
 * (write the input offsets where each call of the last program started:
 * fuzz/triage minimises with them), PANFUZZ_LIST=1 (print each call and its
 * result: a program listing).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "cputicks.h"
#include "drmnode.h"
#include "prog.h"
#include "umlclock.h"

/* <linux/kcov.h>, which Debian's libc headers may not have */
struct pf_kcov_remote_arg {
	uint32_t trace_mode;
	uint32_t area_size;
	uint32_t num_handles;
	uint32_t pad;
	uint64_t common_handle;
	uint64_t handles[];
};
#define PF_KCOV_INIT_TRACE	_IOR('c', 1, unsigned long)
#define PF_KCOV_ENABLE		_IO('c', 100)
#define PF_KCOV_REMOTE_ENABLE	_IOW('c', 102, struct pf_kcov_remote_arg)
#define PF_KCOV_TRACE_PC	0
#define PF_KCOV_COMMON_ID	0x42ull		/* subsystem 0 (common), instance 0x42 */

#define COVER_WORDS	(1u << 18)
#define NCOUNTERS	(1u << 16)
#define PCSET		(1u << 18)
#define HANG_SECONDS	20

#ifndef PANFUZZ_AFL
__attribute__((section("__libfuzzer_extra_counters")))
static uint8_t pf_counters[NCOUNTERS];
#else
/* AFL++'s coverage map and its persistent-mode test case (afl-clang-fast) */
extern uint8_t *__afl_area_ptr;
extern uint32_t __afl_map_size;
__AFL_FUZZ_INIT();
#endif

/* The backend's calls that wait, timed for the profile. */
enum { BE_MMAP, BE_MUNMAP, BE_SLEEP, BE_RACE, BE_N };
static const char *const be_name[BE_N] = {
	"mmap (call)", "munmap", "SLEEP", "RACE (2 threads)",
};

struct worker {
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	void (*fn)(void *);
	void *arg;
	bool busy;
	uint64_t *cover;	/* KCOV area: [0] = count, then PCs */
	int failfd;
};

static struct {
	const char *driver, *out, *corpus, *starts;
	char node[64];
	struct pf_options opt;
	struct pf_stats st;
	struct worker w[2];
	uint64_t *remote;
	int kmsg, curfd, fds[2];
	uint64_t pcs[2][PCSET];	/* [0] syscall context, [1] remote */
	uint64_t npcs[2], edges;	/* distinct PCs; edge counters ever hit */
	uint8_t seen[NCOUNTERS / 8];
	uint64_t execs, last_execs, ops;	/* ops: calls and pseudo-calls run */
	uint64_t injected;	/* faults fail-nth injected */
	bool fw_mode;		/* PANFUZZ_MODE=fw */
	char fw_dev[64], fw_hostile[128];
	uint64_t probe_fails;
	bool armed;
	double start, last_stats, last_pcs;
	uint64_t text;
	const uint8_t *cur;
	size_t cursize, curfile;
	int busy;		/* an input is running */
	pid_t afl_pid;		/* afl-fuzz, in AFL mode */
	uint64_t beat;		/* inputs finished */
	/* the program being run, for the worker */
	const uint8_t *data;
	size_t size;
	bool done;
	pthread_mutex_t done_lock;
	pthread_cond_t done_cv;
	/* where an input's time goes, in cycle-counter ticks (save_profile()) */
	uint64_t prof[7], prof_last, tsc0;
	bool tsc_clock;		/* clock_gettime() from the TSC (fuzz/umlclock.c) */
	uint64_t ioc_t[256], ioc_n[256], ioc_ok[256];	/* per ioctl number: ticks, calls, successes */
	uint64_t be_t[BE_N], be_n[BE_N];	/* the backend's waits (BE_*) */
} G;

/*
 * Phases of one execution for the profile: libFuzzer's own work between
 * inputs, writing cur-input, opening the render node, the program, closing
 * the node, folding KCOV, reading /dev/kmsg. The cycle counter is read in
 * user mode (clock_gettime is a syscall in UML, ~40 us).
 */
enum { PH_ENGINE, PH_CUR, PH_OPEN, PH_PROG, PH_CLOSE, PH_FOLD, PH_KMSG, PH_N };
static const char *const ph_name[PH_N] = {
	"engine", "cur-input", "open", "program", "close", "kcov-fold", "kmsg",
};

/* Charge the time since the last mark to phase @ph. */
static void mark(int ph)
{
	uint64_t t = cpu_ticks();

	if (G.prof_last)
		G.prof[ph] += t - G.prof_last;
	G.prof_last = t;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "panfuzz: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static char *outpath(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", G.out, name);
	return buf;
}

/* ---- KCOV ------------------------------------------------------------------------- */

static uint64_t *kcov_area(int *fdp)
{
	int fd = open("/sys/kernel/debug/kcov", O_RDWR | O_CLOEXEC);
	void *p;

	if (fd < 0)
		die("open /sys/kernel/debug/kcov: %s (CONFIG_KCOV and debugfs needed)",
		    strerror(errno));
	if (ioctl(fd, PF_KCOV_INIT_TRACE, (unsigned long)COVER_WORDS))
		die("KCOV_INIT_TRACE: %s", strerror(errno));
	p = mmap(NULL, COVER_WORDS * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap kcov: %s", strerror(errno));
	*fdp = fd;
	return p;
}

static void remote_enable(void)
{
	struct pf_kcov_remote_arg *a = calloc(1, sizeof(*a));
	int fd;

	G.remote = kcov_area(&fd);
	a->trace_mode = PF_KCOV_TRACE_PC;
	a->area_size = COVER_WORDS;
	a->num_handles = 0;
	a->common_handle = PF_KCOV_COMMON_ID;
	if (ioctl(fd, PF_KCOV_REMOTE_ENABLE, a))
		die("KCOV_REMOTE_ENABLE: %s", strerror(errno));
	free(a);
}

static bool pcset_add(uint64_t *set, uint64_t pc)
{
	uint64_t h = (pc * 0x9e3779b97f4a7c15ull) >> 46;	/* 18 bits */

	while (set[h]) {
		if (set[h] == pc)
			return false;
		h = (h + 1) & (PCSET - 1);
	}
	set[h] = pc;
	return true;
}

/* Fold a KCOV area into the counters and the PC sets; then empty it. */
static void fold(uint64_t *area, int ctx)
{
	uint64_t n = __atomic_load_n(&area[0], __ATOMIC_ACQUIRE), i, prev = 0;

	if (n > COVER_WORDS - 1)
		n = COVER_WORDS - 1;
	for (i = 0; i < n; i++) {
		uint64_t pc = area[i + 1];
		uint64_t cur = (pc * 0xff51afd7ed558ccdull) >> 40;
		uint32_t e = (uint32_t)((cur ^ prev) % NCOUNTERS);

#ifdef PANFUZZ_AFL
		e %= __afl_map_size;
		__afl_area_ptr[e]++;
		e %= NCOUNTERS;
#else
		if (pf_counters[e] != 0xff)
			pf_counters[e]++;
#endif
		if (!(G.seen[e / 8] & (1u << (e % 8)))) {
			G.seen[e / 8] |= 1u << (e % 8);
			G.edges++;
		}
		prev = cur >> 1;
		if (G.npcs[ctx] < PCSET / 2 && pcset_add(G.pcs[ctx], pc))
			G.npcs[ctx]++;
	}
	__atomic_store_n(&area[0], 0, __ATOMIC_RELEASE);
}

/* ---- workers ---------------------------------------------------------------------- */

/* The calling thread collects its own coverage into @w and may inject faults. */
static void thread_kcov_enable(struct worker *w)
{
	int fd;

	w->cover = kcov_area(&fd);
	if (ioctl(fd, PF_KCOV_ENABLE, PF_KCOV_TRACE_PC))
		die("KCOV_ENABLE: %s", strerror(errno));
	w->failfd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
}

static void *worker_main(void *p)
{
	struct worker *w = p;

	thread_kcov_enable(w);
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->fn)
			pthread_cond_wait(&w->cv, &w->lock);
		pthread_mutex_unlock(&w->lock);
		w->fn(w->arg);
		pthread_mutex_lock(&w->lock);
		w->fn = NULL;
		pthread_cond_broadcast(&w->cv);
	}
	return NULL;
}

static void worker_post(struct worker *w, void (*fn)(void *), void *arg)
{
	pthread_mutex_lock(&w->lock);
	w->fn = fn;
	w->arg = arg;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->lock);
}

static void worker_wait(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	while (w->fn)
		pthread_cond_wait(&w->cv, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

/* ---- the backend: the real device ------------------------------------------------ */

static int be_fd(int file)
{
	if (G.fds[file] < 0)
		G.fds[file] = open(G.node, O_RDWR | O_CLOEXEC);
	return G.fds[file];
}

static int be_ioctl(void *ctx, int file, unsigned long req, void *arg)
{
	int fd = be_fd(file), r, nr = _IOC_NR(req) & 0xff;
	uint64_t t = cpu_ticks();

	(void)ctx;
	r = ioctl(fd, req, arg);
	G.ioc_t[nr] += cpu_ticks() - t;
	G.ioc_n[nr]++;
	G.ioc_ok[nr] += r == 0;
	return r;
}

/*
 * A call with a bounded wait: a one-shot timer of the calling thread (the
 * fuzzing thread or the race helper) raises PF_SIG_BOUND, whose handler
 * does nothing and is installed without SA_RESTART, so the wait ends with
 * EINTR. Not SIGALRM or SIGUSR1/2, which libFuzzer handles.
 */
#define PF_SIG_BOUND	(SIGRTMIN + 2)

static void bound_handler(int sig)
{
	(void)sig;
}

static int be_ioctl_bounded(void *ctx, int file, unsigned long req, void *arg,
			    unsigned int us)
{
	static __thread timer_t timer;
	static __thread bool have_timer;
	struct itimerspec on = { .it_value = { us / 1000000, (us % 1000000) * 1000 } };
	struct itimerspec off = { 0 };
	int r, e;

	if (!have_timer) {
		struct sigevent sev = {
			.sigev_notify = SIGEV_THREAD_ID,
			.sigev_signo = PF_SIG_BOUND,
		};

		sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
		if (timer_create(CLOCK_MONOTONIC, &sev, &timer))
			return be_ioctl(ctx, file, req, arg);
		have_timer = true;
	}
	timer_settime(timer, 0, &on, NULL);
	r = be_ioctl(ctx, file, req, arg);
	e = errno;
	timer_settime(timer, 0, &off, NULL);
	errno = e;
	return r;
}

static void be_time(int what, uint64_t t)
{
	G.be_t[what] += cpu_ticks() - t;
	G.be_n[what]++;
}

static void *be_mmap(void *ctx, int file, uint64_t off, uint64_t size)
{
	uint64_t t = cpu_ticks();
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, be_fd(file), (off_t)off);

	(void)ctx;
	be_time(BE_MMAP, t);
	return p == MAP_FAILED ? NULL : p;
}

static void be_munmap(void *ctx, void *p, uint64_t size)
{
	uint64_t t = cpu_ticks();

	(void)ctx;
	munmap(p, size);
	be_time(BE_MUNMAP, t);
}

static void be_close_fd(void *ctx, int fd)
{
	(void)ctx;
	/* never one of ours */
	if (fd > 2 && fd != G.fds[0] && fd != G.fds[1] && fd != G.kmsg && fd != G.curfd)
		close(fd);
}

/*
 * Arm (@nth > 0) or disarm (0) fault injection for the fuzzing thread. On
 * disarming, a count that reached 0 means the fault was injected.
 */
static void be_fail_nth(void *ctx, unsigned int nth)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%u", nth);

	(void)ctx;
	if (G.w[0].failfd < 0)
		return;
	if (!nth && G.armed) {
		ssize_t r = pread(G.w[0].failfd, buf, sizeof(buf) - 1, 0);

		if (r > 0 && buf[0] == '0')
			G.injected++;
		G.armed = false;
		n = snprintf(buf, sizeof(buf), "0");
	} else if (nth) {
		G.armed = true;
	} else {
		return;
	}
	(void)!pwrite(G.w[0].failfd, buf, n, 0);
}

static void be_run(void *ctx, void (*fn)(void *), void **args, int n)
{
	(void)ctx;
	if (n == 2) {
		uint64_t t = cpu_ticks();

		worker_post(&G.w[1], fn, args[1]);
		fn(args[0]);
		worker_wait(&G.w[1]);
		be_time(BE_RACE, t);
	} else {
		fn(args[0]);
	}
}

static void be_sleep(void *ctx, unsigned int us)
{
	uint64_t t = cpu_ticks();

	(void)ctx;
	usleep(us);
	be_time(BE_SLEEP, t);
}

static void be_log(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "panfuzz: call %s\n", line);
}

static struct pf_backend be = {
	.ioctl = be_ioctl, .ioctl_bounded = be_ioctl_bounded, .mmap = be_mmap,
	.munmap = be_munmap, .close_fd = be_close_fd,
	.fail_nth = be_fail_nth, .run = be_run, .sleep_us = be_sleep,
};

/* ---- firmware-interface mode ------------------------------------------------------ */

static int write_str(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = write(fd, buf, len) == (ssize_t)len ? 0 : -1;
	close(fd);
	return r;
}

/*
 * PANFUZZ_MODE=fw: the driver's GPU, its platform device name and the
 * model's debugfs directory for it (GPUs in device-name order, as vm/init.sh
 * hands them out).
 */
static void fw_init(void)
{
	char path[512], devs[4][64];
	struct dirent *e;
	DIR *d;
	int n = 0, i;

	d = opendir("/sys/bus/platform/devices");
	while (d && (e = readdir(d)))
		if (strstr(e->d_name, ".gpu") && n < 4)
			snprintf(devs[n++], sizeof(devs[0]), "%s", e->d_name);
	if (d)
		closedir(d);
	qsort(devs, n, sizeof(devs[0]), (int (*)(const void *, const void *))strcmp);
	for (i = 0; i < n; i++) {
		char link[512], target[512];
		ssize_t r;

		snprintf(link, sizeof(link), "/sys/bus/platform/devices/%s/driver", devs[i]);
		r = readlink(link, target, sizeof(target) - 1);
		if (r <= 0)
			continue;
		target[r] = 0;
		if (strcmp(strrchr(target, '/') ? strrchr(target, '/') + 1 : target, G.driver))
			continue;
		snprintf(G.fw_dev, sizeof(G.fw_dev), "%s", devs[i]);
		snprintf(G.fw_hostile, sizeof(G.fw_hostile),
			 "/sys/kernel/debug/mali-model/gpu%d/hostile", i);
	}
	if (!G.fw_dev[0])
		die("firmware mode: no GPU bound to %s", G.driver);
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s", G.driver);
	if (access(path, F_OK) || access(G.fw_hostile, W_OK))
		die("firmware mode: %s or %s missing", path, G.fw_hostile);
}

/*
 * One input of the firmware-interface fuzzer: byte 0 is the length of the
 * hostile-MCU description that follows (model/mali_model.h, struct
 * mm_hostile); the driver is unbound, the model turned hostile, the driver
 * bound again (its probe boots the MCU and reads the interface, in this
 * thread), and the rest of the input runs as a program if a render node
 * came up.
 */
static void run_fw_input(void)
{
	char path[512];
	size_t hl = G.size ? G.data[0] : 0;
	int fd;

	if (hl > G.size - (G.size ? 1 : 0))
		hl = G.size ? G.size - 1 : 0;
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s/unbind", G.driver);
	write_str(path, G.fw_dev, strlen(G.fw_dev));	/* fails if not bound */
	if (write_str(G.fw_hostile, G.size ? G.data + 1 : G.data, hl))
		die("%s: %s", G.fw_hostile, strerror(errno));
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s/bind", G.driver);
	if (write_str(path, G.fw_dev, strlen(G.fw_dev))) {
		G.probe_fails++;
		return;
	}
	fd = drmnode_open_by_driver(G.driver, G.node, sizeof(G.node));
	if (fd < 0)
		return;
	close(fd);
	G.fds[0] = G.fds[1] = -1;
	be_fd(0);
	pf_run(&be, &G.opt, G.data + 1 + hl, G.size - (G.size ? 1 : 0) - hl, &G.st, NULL);
	if (G.fds[1] >= 0)
		close(G.fds[1]);
	close(G.fds[0]);
	G.fds[0] = G.fds[1] = -1;
}

static void run_program(void *p)
{
	size_t starts[PF_MAX_CALLS + 1];
	int n, i;

	(void)p;
	if (G.fw_mode) {
		run_fw_input();
		return;
	}
	G.fds[0] = G.fds[1] = -1;
	be_fd(0);
	mark(PH_OPEN);
	n = pf_run(&be, &G.opt, G.data, G.size, &G.st, starts);
	mark(PH_PROG);
	if (n > 0)
		G.ops += (uint64_t)n;
	if (G.starts && n >= 0) {
		FILE *f = fopen(G.starts, "w");

		for (i = 0; f && i <= n; i++)
			fprintf(f, "%zu\n", starts[i]);
		if (f)
			fclose(f);
	}
	if (G.fds[1] >= 0)
		close(G.fds[1]);
	close(G.fds[0]);
	G.fds[0] = G.fds[1] = -1;
	mark(PH_CLOSE);
}

/* ---- oracles ---------------------------------------------------------------------- */

static const char *const report_re[] = {
	"BUG:", "WARNING:", "Oops", "KASAN", "UBSAN", "general protection", "Kernel panic",
	"possible circular locking", "inconsistent lock state", "possible recursive locking",
	"suspicious RCU usage", "blocked for more than", "vmalloc error", "page allocation failure",
	"invoked oom-killer", "kernel BUG", "Unable to handle", "list_add corruption",
	"list_del corruption", "refcount_t:", "DEBUG_LOCKS_WARN_ON",
};

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return;
	(void)!write(fd, data, len);
	close(fd);
}

static void save_stats(bool final);

static void finding(const char *why, const char *log, size_t loglen)
{
	mkdir(outpath("report"), 0755);
	write_file(outpath("report/input"), G.cur, G.cursize);
	write_file(outpath("report/log"), log, loglen);
	fprintf(stderr, "panfuzz: finding (%s); report in %s\n", why, outpath("report"));
	fwrite(log, 1, loglen, stderr);
	save_stats(true);
#ifdef PANFUZZ_AFL
	/* the run must end (the kernel is tainted): afl-fuzz, then us */
	if (G.afl_pid > 1)
		kill(G.afl_pid, SIGTERM);
#endif
	_exit(3);
}

/* Read new kernel-log records; a report ends the run. */
static void check_kmsg(void)
{
	static char log[1 << 16];
	size_t len = 0;
	bool bad = false;
	double until = 0;
	char rec[2048];

	for (;;) {
		ssize_t n = read(G.kmsg, rec, sizeof(rec) - 1);
		char *msg;
		size_t i;

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records */
		if (n <= 0) {
			if (!bad || now() > until)
				break;
			usleep(20000);	/* the rest of the report */
			continue;
		}
		rec[n] = 0;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (i = 0; i < sizeof(report_re) / sizeof(report_re[0]) && !bad; i++)
			if (strstr(msg, report_re[i])) {
				bad = true;
				until = now() + 0.5;
			}
		if (bad && len + strlen(msg) < sizeof(log))
			len += (size_t)snprintf(log + len, sizeof(log) - len, "%s", msg);
	}
	if (bad)
		finding("kernel report", log, len);
}

/* ---- reports ---------------------------------------------------------------------- */

static void save_pcs(void)
{
	char tmp[4096], *path = outpath("pcs");
	FILE *f;
	int ctx;
	uint64_t i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "module %s text 0x%llx\n", G.driver, (unsigned long long)G.text);
	for (ctx = 0; ctx < 2; ctx++)
		for (i = 0; i < PCSET; i++)
			if (G.pcs[ctx][i])
				fprintf(f, "0x%llx %c\n", (unsigned long long)G.pcs[ctx][i],
					ctx ? 'r' : 't');
	fclose(f);
	rename(tmp, outpath("pcs"));
}

/* $PANFUZZ_OUT/profile: microseconds per execution in each phase. */
static void save_profile(double t)
{
	double hz = (double)(cpu_ticks() - G.tsc0) / (t - G.start), sum = 0;
	bool shown[256] = { false };
	FILE *f;
	int i;

	if (!G.execs || t <= G.start || hz <= 0)
		return;
	f = fopen(outpath("profile"), "w");
	if (!f)
		return;
	fprintf(f, "us/exec over %llu execs:", (unsigned long long)G.execs);
	for (i = 0; i < PH_N; i++) {
		double us = G.prof[i] / hz * 1e6 / G.execs;

		sum += us;
		fprintf(f, " %s=%.1f", ph_name[i], us);
	}
	fprintf(f, " total=%.1f\n", sum);
	for (i = 0; i < BE_N; i++)
		if (G.be_n[i])
			fprintf(f, "  %s: %.1f us/exec, %llu calls, %.1f us/call\n", be_name[i],
				G.be_t[i] / hz * 1e6 / G.execs, (unsigned long long)G.be_n[i],
				G.be_t[i] / hz * 1e6 / G.be_n[i]);
	/* the ioctls that took most of the program phase */
	for (;;) {
		int top = -1;

		for (i = 0; i < 256; i++)
			if (G.ioc_n[i] && !shown[i] && (top < 0 || G.ioc_t[i] > G.ioc_t[top]))
				top = i;
		if (top < 0 || G.ioc_t[top] / hz * 1e6 / G.execs < 1)
			break;
		fprintf(f, "  ioctl nr 0x%02x: %.1f us/exec, %llu calls (%llu succeeded), %.1f us/call\n",
			top, G.ioc_t[top] / hz * 1e6 / G.execs, (unsigned long long)G.ioc_n[top],
			(unsigned long long)G.ioc_ok[top], G.ioc_t[top] / hz * 1e6 / G.ioc_n[top]);
		shown[top] = true;
	}
	fclose(f);
}

static unsigned long corpus_size(void)
{
	unsigned long n = 0;
	struct dirent *e;
	DIR *d = G.corpus ? opendir(G.corpus) : NULL;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void save_stats(bool final)
{
	double t = now();
	FILE *f;

	if (!final && t - G.last_stats < 5)
		return;
	f = fopen(outpath("stats"), "a");
	if (f) {
		fprintf(f, "%ld execs=%llu exec/s=%.0f pcs=%llu rpcs=%llu edges=%llu corpus=%lu suppressed=%llu budgeted=%llu calls=%llu ok=%llu races=%llu cs=%llu jobs=%llu ops=%llu injected=%llu probe_fails=%llu\n",
			(long)time(NULL), (unsigned long long)G.execs,
			(G.execs - G.last_execs) / (t - G.last_stats),
			(unsigned long long)G.npcs[0], (unsigned long long)G.npcs[1],
			(unsigned long long)G.edges, corpus_size(), (unsigned long long)G.st.suppressed,
			(unsigned long long)G.st.budgeted,
			(unsigned long long)G.st.calls, (unsigned long long)G.st.ok,
			(unsigned long long)G.st.races, (unsigned long long)G.st.cs_built,
			(unsigned long long)G.st.jobs, (unsigned long long)G.ops,
			(unsigned long long)G.injected, (unsigned long long)G.probe_fails);
		fclose(f);
	}
	G.last_stats = t;
	G.last_execs = G.execs;
	save_profile(t);
	if (final || t - G.last_pcs > 30) {
		save_pcs();
		G.last_pcs = t;
	}
}

static void at_exit(void)
{
	save_stats(true);
}

/* ---- libFuzzer -------------------------------------------------------------------- */

/* libFuzzer's entry point when it does not own main() (fuzzer_no_main). */
int LLVMFuzzerRunDriver(int *argc, char ***argv,
			int (*cb)(const uint8_t *data, size_t size));

static void init(int *argc, char ***argv)
{
	const char *known;
	char err[512], path[256];
	FILE *f;
	int i, fd;

	for (i = 1; i < *argc; i++) {
		struct stat sb;

		if ((*argv)[i][0] != '-' && !stat((*argv)[i], &sb) && S_ISDIR(sb.st_mode)) {
			G.corpus = (*argv)[i];
			break;
		}
	}
	G.driver = getenv("PANFUZZ_DRIVER");
	G.out = getenv("PANFUZZ_OUT");
	known = getenv("PANFUZZ_KNOWN");
	if (!G.driver || !G.out)
		die("set PANFUZZ_DRIVER (panthor or panref) and PANFUZZ_OUT");
	mkdir(G.out, 0755);
	if (!known)
		known = "fuzz/known-bugs.txt";
	if (pf_known_bugs_load(known, G.driver, &G.opt.bugs, err, sizeof(err)))
		die("%s", err);
	G.opt.fail_nth = getenv("PANFUZZ_FAILNTH") && !strcmp(getenv("PANFUZZ_FAILNTH"), "1");
	/*
	 * A SLEEP lets the driver's workers run between calls. In UML a sleep
	 * costs ~0.3-0.8 ms over what it asks for, and campaigns drift to
	 * programs full of them (46% of Panthor's time at 2 ms): 0.5 ms at most.
	 */
	G.opt.max_sleep_us = 500;
	{
		struct sigaction sa = { .sa_handler = bound_handler };	/* no SA_RESTART */

		sigemptyset(&sa.sa_mask);
		if (sigaction(PF_SIG_BOUND, &sa, NULL))
			die("sigaction: %s", strerror(errno));
	}
	/*
	 * TILER_HEAP_CREATE allocates, zeroes and maps its initial chunks in
	 * the ioctl. With up to 64 MiB let through, heaps under that bound
	 * pinned 455 MB and woke the OOM killer in a benchmark round (its
	 * effect on exec/s is within the noise: docs/fuzzing.md). 4 MiB (two
	 * chunks of the largest size) by default; PANFUZZ_HEAP_BUDGET_MB=0
	 * lets every size through (the known-bug filter still stops
	 * heap-huge-initial-chunks).
	 */
	G.opt.heap_budget = (getenv("PANFUZZ_HEAP_BUDGET_MB") ?
			     strtoull(getenv("PANFUZZ_HEAP_BUDGET_MB"), NULL, 0) : 4) << 20;
	G.starts = getenv("PANFUZZ_STARTS");
	G.fw_mode = getenv("PANFUZZ_MODE") && !strcmp(getenv("PANFUZZ_MODE"), "fw");
	if (G.fw_mode)
		fw_init();
	if (getenv("PANFUZZ_LIST"))
		be.log = be_log;
	fd = drmnode_open_by_driver(G.driver, G.node, sizeof(G.node));
	if (fd < 0)
		die("no render node of driver %s: nothing to fuzz", G.driver);
	close(fd);
	snprintf(path, sizeof(path), "/sys/module/%s/sections/.text", G.driver);
	f = fopen(path, "r");
	if (f) {
		unsigned long long t = 0;

		if (fscanf(f, "%llx", &t) == 1)
			G.text = t;
		fclose(f);
	}
	if (G.opt.fail_nth) {
		static const char *const knobs[] = {
			"/sys/kernel/debug/failslab/ignore-gfp-wait",
			"/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait",
		};
		for (i = 0; i < 2; i++) {
			fd = open(knobs[i], O_WRONLY);
			if (fd < 0 || write(fd, "N", 1) != 1)
				die("%s: %s (fault injection needs the debug kernel)", knobs[i],
				    strerror(errno));
			close(fd);
		}
	}
	G.kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (G.kmsg < 0)
		die("/dev/kmsg: %s", strerror(errno));
	lseek(G.kmsg, 0, SEEK_END);
	G.curfd = open(outpath("cur-input"), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (G.curfd < 0)
		die("%s: %s", outpath("cur-input"), strerror(errno));
	G.tsc_clock = umlclock_init();
	G.start = G.last_stats = G.last_pcs = now();
	G.tsc0 = cpu_ticks();
	atexit(at_exit);
	fprintf(stderr, "panfuzz: %s on %s, known bugs filtered: 0x%x, fail-nth %s, clock %s\n",
		G.driver, G.node, G.opt.bugs, G.opt.fail_nth ? "on" : "off",
		G.tsc_clock ? "from the TSC" : "libc's");
}

/* Runs in the fuzzing thread, which collects KCOV coverage itself. */
static int test_one(const uint8_t *data, size_t size)
{
	mark(PH_ENGINE);
	G.cur = data;
	G.cursize = size;
	/* hostfs writes reach the host file at once; truncate only to shrink */
	if (pwrite(G.curfd, data, size, 0) < 0 ||
	    (size < G.curfile && ftruncate(G.curfd, (off_t)size)))
		die("cur-input: %s", strerror(errno));
	G.curfile = size;
	G.data = data;
	G.size = size;
	mark(PH_CUR);
	__atomic_store_n(&G.w[0].cover[0], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&G.busy, 1, __ATOMIC_RELEASE);
	run_program(NULL);
	__atomic_store_n(&G.busy, 0, __ATOMIC_RELEASE);
	__atomic_add_fetch(&G.beat, 1, __ATOMIC_RELEASE);
	fold(G.w[0].cover, 0);
	fold(G.w[1].cover, 0);
	fold(G.remote, 1);
	G.execs++;
	mark(PH_FOLD);
	check_kmsg();
	mark(PH_KMSG);
	if (!(G.execs & 15))	/* clock_gettime is a syscall in UML */
		save_stats(false);
	return 0;
}

/*
 * The main thread enables remote coverage, starts the race helper and the
 * fuzzing thread @fn (both inherit the KCOV handle), then watches for
 * hangs: an input that runs for HANG_SECONDS is a finding.
 */
static _Noreturn void start_and_watch(void *(*fn)(void *), void *arg)
{
	uint64_t last = 0;
	int still = 0;
	pthread_t th;

	remote_enable();
	pthread_mutex_init(&G.w[1].lock, NULL);
	pthread_cond_init(&G.w[1].cv, NULL);
	G.w[1].failfd = -1;
	if (pthread_create(&G.w[1].th, NULL, worker_main, &G.w[1]))
		die("pthread_create");
	if (pthread_create(&th, NULL, fn, arg))
		die("pthread_create");
	for (;;) {
		uint64_t beat = __atomic_load_n(&G.beat, __ATOMIC_ACQUIRE);

		sleep(1);
		if (beat != last || !__atomic_load_n(&G.busy, __ATOMIC_ACQUIRE)) {
			last = beat;
			still = 0;
		} else if (++still >= HANG_SECONDS) {
			static const char msg[] = "hang: the program did not finish in 20 s\n";

			finding("hang", msg, sizeof(msg) - 1);
		}
	}
}

#ifdef PANFUZZ_AFL
/*
 * AFL++ persistent mode (make fuzz FUZZ_ENGINE=afl): the forkserver forks
 * at __AFL_INIT(), before any thread exists; in the child, the main thread
 * enables remote coverage and the fuzzing thread (which inherits the
 * handle) runs the persistent loop (its SIGSTOP stops the whole process)
 * and hashes the KCOV edges into AFL's map. Runs several VMs as one
 * campaign with afl-fuzz -M/-S over a shared output directory.
 */
static void *afl_main(void *p)
{
	unsigned char *buf;

	(void)p;
	thread_kcov_enable(&G.w[0]);
	buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(1000000))
		test_one(buf, __AFL_FUZZ_TESTCASE_LEN);
	exit(0);
}

int main(int argc, char **argv)
{
	__AFL_INIT();
	G.afl_pid = getppid() > 1 ? getppid() : 0;
	/* the forkserver's parent is afl-fuzz */
	{
		char path[64], line[256];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/status", (int)G.afl_pid);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "PPid: %d", &G.afl_pid) == 1)
				break;
		if (f)
			fclose(f);
	}
	init(&argc, &argv);
	start_and_watch(afl_main, NULL);
}
#else
struct fuzz_args {
	int argc;
	char **argv;
};

static void *fuzz_main(void *p)
{
	struct fuzz_args *a = p;

	thread_kcov_enable(&G.w[0]);
	exit(LLVMFuzzerRunDriver(&a->argc, &a->argv, test_one));
}

int main(int argc, char **argv)
{
	static struct fuzz_args a;

	init(&argc, &argv);
	a.argc = argc;
	a.argv = argv;
	start_and_watch(fuzz_main, &a);
}
#endif
