// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * kcov-reach: what KCOV sees of a driver of the Panthor uAPI, in the VM.
 *
 *   kcov-reach [--driver NAME] [--jobs N] [--settle MS] [--id ID] [-- CMD...]
 *
 * The main thread opens /sys/kernel/debug/kcov and does KCOV_REMOTE_ENABLE
 * with a common handle (KCOV_SUBSYSTEM_COMMON, ID; default: the pid). A
 * task that did so cannot also KCOV_ENABLE (kcov.c: t->kcov is set, -EBUSY),
 * so a worker thread, which inherits the common handle (kcov_task_init()
 * copies current->kcov_handle), opens kcov again, does KCOV_ENABLE and runs
 * the workload: VM, BOs, VM_BIND, a group, N jobs that store to memory and
 * signal a syncobj (each checked), a tiling pass that grows a tiler heap
 * (TILER_OOM events), then everything destroyed. The worker's buffer holds
 * the PCs of its own syscalls; the main thread's buffer gets the PCs of
 * every kcov_remote_start_common(handle) section (the patched Panthor,
 * fuzz/panthor-kcov.patch, opens one in each of its work items, drm_sched
 * callbacks and threaded IRQ handlers, with the handle of the last ioctl).
 * With `-- CMD...`, CMD runs in a child process instead of the built-in
 * workload: children inherit the common handle too (fork runs
 * kcov_task_init()), so the remote PCs of CMD's work are collected, but
 * its syscalls are not (no thread PCs).
 *
 * Prints the base of every text section of the driver's module
 * (`module-text 0x…` for .text, `section NAME 0x…` for all), then one line
 * per distinct PC (`thread 0x…`, `remote 0x…`; absolute kernel addresses),
 * then `summary: …`. fuzz/kcov-reach.sh symbolises. Exit status 0 if the
 * workload's results were right, 1 if not, 2 on a KCOV error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kcov.h>

#include "mm_cs.h"
#include "ptu.h"

#define KCOV_PATH	"/sys/kernel/debug/kcov"
#define AREA_WORDS	(1u << 20)	/* per buffer: 8 MiB */
#define REMOTE_WORDS	(1u << 16)	/* per remote section */
#define CODE_VA		0x1000000ull
#define DATA_VA		0x2000000ull
#define WAIT_MS		10000

static const char *driver = "panthor";
static unsigned int njobs = 4;

struct pcs {
	unsigned long *pc;
	unsigned long n, raw;
	int full;
};

static struct pcs thread_pcs;
static int workload_bad;

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "kcov-reach: %s: %s\n", what, strerror(errno));
	exit(2);
}

static unsigned long *kcov_open(int *fd)
{
	unsigned long *area;

	*fd = open(KCOV_PATH, O_RDWR);
	if (*fd < 0)
		die("open " KCOV_PATH);
	if (ioctl(*fd, KCOV_INIT_TRACE, (unsigned long)AREA_WORDS))
		die("KCOV_INIT_TRACE");
	area = mmap(NULL, AREA_WORDS * sizeof(unsigned long), PROT_READ | PROT_WRITE,
		    MAP_SHARED, *fd, 0);
	if (area == MAP_FAILED)
		die("mmap kcov");
	return area;
}

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Copy the PCs of @area out, sorted and distinct. */
static void collect(const unsigned long *area, struct pcs *out)
{
	unsigned long n = __atomic_load_n(&area[0], __ATOMIC_ACQUIRE), i, k = 0;

	if (n > AREA_WORDS - 1)
		n = AREA_WORDS - 1;
	out->raw = n;
	out->full = n == AREA_WORDS - 1;
	out->pc = malloc((n + 1) * sizeof(*out->pc));
	if (!out->pc)
		die("malloc");
	memcpy(out->pc, area + 1, n * sizeof(*out->pc));
	qsort(out->pc, n, sizeof(*out->pc), cmp_ul);
	for (i = 0; i < n; i++)
		if (!k || out->pc[k - 1] != out->pc[i])
			out->pc[k++] = out->pc[i];
	out->n = k;
}

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("workload: %s failed\n", what);
		workload_bad++;
	}
}

/* N jobs storing 0x1000 + i at DATA_VA + 4 i, each waited for and checked. */
static void store_jobs(int fd, uint32_t vm, struct ptu_bo *code, struct ptu_bo *data)
{
	uint32_t g = ptu_group_create(fd, vm, 1, PANTHOR_GROUP_PRIORITY_MEDIUM);
	volatile uint32_t *res = data->map;
	unsigned int i;

	for (i = 0; i < njobs; i++) {
		uint32_t sync = ptu_syncobj(fd);
		struct ptu_cs cs;

		ptu_cs_init(&cs, code, (i % 8) * 64, 8);
		ptu_cs_emit(&cs, mm_cs_mov48(2, DATA_VA + 4 * (i % 64)));
		ptu_cs_emit(&cs, mm_cs_mov32(4, 0x1000 + i));
		ptu_cs_emit(&cs, mm_cs_ldst(21, 4, 2, 1, 0));
		ptu_cs_emit(&cs, mm_cs_wait(0xff));
		ptu_submit(fd, g, 0, cs.va, ptu_cs_bytes(&cs), sync);
		check(ptu_wait(fd, sync, WAIT_MS) == 0, "store job fence");
		check(res[i % 64] == 0x1000 + i, "store job result");
		drmSyncobjDestroy(fd, sync);
	}
	ptu_group_destroy(fd, g);
}

/* A tiling pass: 5 RUN_TILING of 64 KiB on 128 KiB chunks, 3 TILER_OOMs. */
static void tiling_pass(int fd, uint32_t vm, struct ptu_bo *code, struct ptu_bo *data)
{
	struct drm_panthor_tiler_heap_create c = {
		.vm_id = vm, .initial_chunk_count = 1, .chunk_size = 128 * 1024,
		.max_chunks = 8, .target_in_flight = 2,
	};
	struct drm_panthor_tiler_heap_destroy d = { 0 };
	uint32_t st = 0;
	struct ptu_cs cs;
	int i;

	if (drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &c)) {
		check(0, "TILER_HEAP_CREATE");
		return;
	}
	ptu_cs_init(&cs, code, 0x800, 32);
	ptu_cs_emit(&cs, mm_cs_mov48(10, c.tiler_heap_ctx_gpu_va));
	ptu_cs_emit(&cs, mm_cs_op(48, MMCS_F(10, 40)));		/* HEAP_SET */
	ptu_cs_emit(&cs, mm_cs_op(49, MMCS_F(0, 32)));		/* VT started */
	for (i = 0; i < 5; i++)
		ptu_cs_emit(&cs, mm_cs_op(5, 0));			/* RUN_TILING */
	ptu_cs_emit(&cs, mm_cs_op(49, MMCS_F(1, 32)));		/* VT completed */
	ptu_cs_emit(&cs, mm_cs_op(49, MMCS_F(3, 32)));		/* fragment done */
	ptu_cs_emit(&cs, mm_cs_mov48(2, DATA_VA + 0x800));
	ptu_cs_emit(&cs, mm_cs_mov32(4, 0x7e57));
	ptu_cs_emit(&cs, mm_cs_ldst(21, 4, 2, 1, 0));
	ptu_cs_emit(&cs, mm_cs_wait(0xff));
	check(ptu_run_job(fd, vm, &cs, 20000, &st, NULL, NULL) == 0 && !st, "tiling job");
	check(((volatile uint32_t *)data->map)[0x200] == 0x7e57, "tiling job result");
	d.handle = c.handle;
	check(!drmIoctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d), "TILER_HEAP_DESTROY");
}

/* Run @argv in a child (it inherits the common handle); its exit status. */
static int run_cmd(char **argv)
{
	int st;
	pid_t p = fork();

	if (p < 0)
		die("fork");
	if (!p) {
		execvp(argv[0], argv);
		fprintf(stderr, "kcov-reach: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(p, &st, 0) < 0)
		die("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void *worker(void *arg)
{
	struct ptu_bo code, data;
	unsigned long *area;
	uint32_t vm;
	int kfd, fd;

	(void)arg;
	area = kcov_open(&kfd);
	if (ioctl(kfd, KCOV_ENABLE, KCOV_TRACE_PC))
		die("KCOV_ENABLE (worker)");
	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);

	fd = ptu_open(driver);
	vm = ptu_vm_create(fd);
	ptu_bo_mapped(fd, vm, &code, 4096, CODE_VA, 0);
	ptu_bo_mapped(fd, vm, &data, 4096, DATA_VA, 0);
	store_jobs(fd, vm, &code, &data);
	tiling_pass(fd, vm, &code, &data);
	ptu_unmap_try(fd, vm, CODE_VA, code.size);
	ptu_unmap_try(fd, vm, DATA_VA, data.size);
	ptu_bo_free(fd, &code);
	ptu_bo_free(fd, &data);
	ptu_vm_destroy(fd, vm);
	close(fd);

	if (ioctl(kfd, KCOV_DISABLE, 0))
		die("KCOV_DISABLE (worker)");
	collect(area, &thread_pcs);
	munmap(area, AREA_WORDS * sizeof(unsigned long));
	close(kfd);
	return NULL;
}

/* The load addresses of the module's text sections. */
static void print_sections(const char *module)
{
	char dir[128], path[400], line[64];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/module/%s/sections", module);
	d = opendir(dir);
	if (!d) {
		printf("module-text none (%s: %s)\n", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		FILE *f;

		if (strncmp(e->d_name, ".text", 5) && strncmp(e->d_name, ".init.text", 10) &&
		    strncmp(e->d_name, ".exit.text", 10))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = 0;
			if (!strcmp(e->d_name, ".text"))
				printf("module-text %s\n", line);
			printf("section %s %s\n", e->d_name, line);
		}
		fclose(f);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	unsigned int settle_ms = 500, id = (unsigned int)getpid();
	struct kcov_remote_arg arg = { .trace_mode = KCOV_TRACE_PC };
	struct pcs remote;
	unsigned long *area, i;
	pthread_t t;
	char **cmd = NULL;
	int a, kfd, r, cmd_rc = -1, bad = 0;

	for (a = 1; a < argc && !bad; a += 2) {
		if (!strcmp(argv[a], "--")) {
			cmd = argv + a + 1;
			bad = !*cmd;
			break;
		}
		if (a + 1 >= argc)
			bad = 1;
		else if (!strcmp(argv[a], "--driver"))
			driver = argv[a + 1];
		else if (!strcmp(argv[a], "--jobs"))
			njobs = strtoul(argv[a + 1], NULL, 0);
		else if (!strcmp(argv[a], "--settle"))
			settle_ms = strtoul(argv[a + 1], NULL, 0);
		else if (!strcmp(argv[a], "--id"))
			id = strtoul(argv[a + 1], NULL, 0);
		else
			bad = 1;
	}
	if (bad || !id) {
		fprintf(stderr, "usage: kcov-reach [--driver NAME] [--jobs N] [--settle MS] [--id ID] "
			"[-- CMD...]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	area = kcov_open(&kfd);
	arg.area_size = REMOTE_WORDS;
	arg.common_handle = kcov_remote_handle(KCOV_SUBSYSTEM_COMMON, id);
	if (ioctl(kfd, KCOV_REMOTE_ENABLE, &arg))
		die("KCOV_REMOTE_ENABLE");

	if (cmd) {
		cmd_rc = run_cmd(cmd);
	} else {
		r = pthread_create(&t, NULL, worker, NULL);
		if (r) {
			errno = r;
			die("pthread_create");
		}
		pthread_join(t, NULL);
	}
	/* Work queued by the last ioctls (releases, free_job) runs after them. */
	usleep(settle_ms * 1000);
	if (ioctl(kfd, KCOV_DISABLE, 0))
		die("KCOV_DISABLE");
	collect(area, &remote);

	print_sections(driver);
	for (i = 0; i < thread_pcs.n; i++)
		printf("thread 0x%lx\n", thread_pcs.pc[i]);
	for (i = 0; i < remote.n; i++)
		printf("remote 0x%lx\n", remote.pc[i]);
	if (cmd_rc >= 0)
		printf("summary: driver %s, handle %#llx, command %s exited %d; ",
		       driver, (unsigned long long)arg.common_handle, cmd[0], cmd_rc);
	else
		printf("summary: driver %s, handle %#llx, %u store jobs + 1 tiling job, workload %s; ",
		       driver, (unsigned long long)arg.common_handle, njobs,
		       workload_bad ? "FAILED" : "ok");
	printf("thread %lu distinct PCs (%lu recorded%s), remote %lu distinct PCs (%lu recorded%s)\n",
	       thread_pcs.n, thread_pcs.raw, thread_pcs.full ? ", buffer full" : "",
	       remote.n, remote.raw, remote.full ? ", buffer full" : "");
	close(kfd);
	if (cmd_rc >= 0)
		return cmd_rc;
	return workload_bad ? 1 : 0;
}
