// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Synthetic records of every Panthor uAPI 1.1+ ioctl, DEV_QUERY type and
 * flag, as a board running a current kernel (uAPI 1.9) would record them.
 *
 *   test_newer_uapi                    KTAP: the records round-trip through
 *                                      the codec byte for byte, and every one
 *                                      decodes through the uAPI table at a
 *                                      size it knows, with the version it needs
 *   test_newer_uapi --write [--replayable] FILE
 *                                      write the trace (--replayable: only the
 *                                      calls a replay on an older driver can
 *                                      tell apart by result: no GROUP_GET_STATE
 *                                      of a group that driver never created)
 *
 * tests/harness/newer-uapi.sh dumps it; tests/vm/92-pantrace-uapi.sh
 * replays it on Panthor 6.12 (uAPI 1.0).
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "ktap.h"
#include "panthor_uapi_new.h"
#include "trace.h"
#include "uapi.h"

struct blk {
	uint64_t addr;
	uint32_t len, dir;
	const void *bytes;
};

static struct pt_writer w;
static uint64_t clock_ns = 1000000;

static void put_ioctl(unsigned long req, const void *in, const void *out, uint32_t len,
		      const struct blk *b, uint32_t nb)
{
	uint8_t rec[4096];
	uint32_t u[2] = { 3, 1000 }, n = 48 + 2 * len, i;
	uint64_t r = req, t[2] = { clock_ns, clock_ns + 20000 };
	int32_t res[2] = { 0, 0 };
	uint32_t meta[2] = { len, nb };

	clock_ns += 100000;
	memcpy(rec, u, 8);
	memcpy(rec + 8, &r, 8);
	memcpy(rec + 16, t, 16);
	memcpy(rec + 32, res, 8);
	memcpy(rec + 40, meta, 8);
	memcpy(rec + 48, in, len);
	memcpy(rec + 48 + len, out ? out : in, len);
	for (i = 0; i < nb; i++) {
		uint32_t l[2] = { b[i].len, b[i].dir };

		memcpy(rec + n, &b[i].addr, 8);
		memcpy(rec + n + 8, l, 8);
		memset(rec + n + 16, 0, (b[i].len + 7) & ~7u);
		memcpy(rec + n + 16, b[i].bytes, b[i].len);
		n += 16 + ((b[i].len + 7) & ~7u);
	}
	pt_write(&w, PT_IOCTL, rec, n);
}

/* DEV_QUERY of @type: the payload the kernel read (@in) and wrote (@out). */
static void put_query(uint32_t type, const void *in, const void *out, uint32_t size)
{
	struct drm_panthor_dev_query q = { .type = type, .size = size, .pointer = 0x7f0000001000 };
	struct blk b[2] = { { q.pointer, size, PT_MEM_READ, in },
			    { q.pointer, size, PT_MEM_WRITTEN, out } };

	put_ioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &q, NULL, sizeof(q), b, 2);
}

/* A trace's header, the open of fd 3 and the driver's header. */
static int start_trace(int fd, const char *hdr, const char *drv)
{
	uint8_t open_rec[8 + 19];
	uint32_t of[2] = { 3, O_RDWR };

	if (pt_writer_start(&w, fd, 1))
		return -1;
	pt_write(&w, PT_HEADER, hdr, strlen(hdr));
	memcpy(open_rec, of, 8);
	memcpy(open_rec + 8, "/dev/dri/renderD128", 19);
	pt_write(&w, PT_OPEN, open_rec, sizeof(open_rec));
	pt_write(&w, PT_HEADER, drv, strlen(drv));
	return 0;
}

static int write_trace(int fd, int replayable)
{
	static const char hdr[] = "format=1\ntable_uapi=1.9\nkernel=7.1.0-synthetic\n"
				  "machine=aarch64\n";
	static const char drv[] = "driver=panthor\ndriver_version=1.9.0\nuapi=1.9\nfd=3\n";
	static const char label[] = "synthetic label";
	struct drm_panthor_vm_create vc = { 0 }, vco = { .id = 1, .user_va_range = 0x800000000000 };
	struct drm_panthor_bo_create bc = { .size = 4096 }, bco = { .size = 4096, .handle = 1 };
	struct pn_bo_set_label sl = { .handle = 1, .label = 0x7f0000002000 };
	struct pn_set_user_mmio_offset mm = { .offset = PN_USER_MMIO_OFFSET_64BIT };
	struct pn_bo_sync_op so = { .handle = 1, .type = PN_BO_SYNC_FLUSH_AND_INVALIDATE,
				    .size = 4096 };
	struct pn_bo_sync bs = { .ops = { sizeof(so), 1, 0x7f0000003000 } };
	struct pn_bo_query_info qi = { .handle = 1 }, qio = { .handle = 1 };
	struct pn_timestamp_info ts = { 0 }, tso = { .timestamp_frequency = 24000000,
						     .current_timestamp = 123456789,
						     .timestamp_offset = 0 };
	struct pn_group_priorities_info gp = { 0 }, gpo = { .allowed_mask = 0x3 };
	struct pn_mmu_info mi = { 0 }, mio = { .page_size_bitmap = 0x40201000 };
	struct drm_panthor_queue_create qc = { .priority = 1, .ringbuf_size = 4096 };
	struct drm_panthor_group_create gc = {
		.queues = { sizeof(qc), 1, 0x7f0000004000 }, .max_compute_cores = 1,
		.max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PN_GROUP_PRIORITY_REALTIME, .compute_core_mask = 1,
		.fragment_core_mask = 1, .tiler_core_mask = 1, .vm_id = 1 }, gco;
	struct drm_panthor_group_get_state gs = { .group_handle = 1 }, gso;
	struct drm_panthor_vm_bind_op op = {
		.flags = PN_VM_BIND_OP_MAP_SPARSE | DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC,
		.va = 0x10000000, .size = 0x10000 };
	struct drm_panthor_vm_bind vb = { .vm_id = 1, .ops = { sizeof(op), 1, 0x7f0000005000 } };
	struct drm_gem_close cl = { .handle = 1 };
	struct drm_panthor_vm_destroy vd = { .id = 1 };
	struct blk b;

	if (start_trace(fd, hdr, drv))
		return -1;
	/* uAPI 1.0, which every later call builds on */
	put_ioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &vc, &vco, sizeof(vc), NULL, 0);
	put_ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &bc, &bco, sizeof(bc), NULL, 0);
	/* 1.1, 1.2, 1.8, 1.9: the newer query types and layouts */
	put_query(PN_QUERY_TIMESTAMP_INFO, &ts, &tso, PN_TIMESTAMP_INFO_V1_1_SIZE);
	ts.flags = PN_TS_GPU | PN_TS_CPU_MONOTONIC | PN_TS_FREQ | PN_TS_DURATION;
	tso.flags = ts.flags;
	tso.duration_nsec = 900;
	tso.cpu_timestamp_sec = 1000;
	tso.cpu_timestamp_nsec = 500;
	put_query(PN_QUERY_TIMESTAMP_INFO, &ts, &tso, sizeof(ts));
	put_query(PN_QUERY_GROUP_PRIORITIES_INFO, &gp, &gpo, sizeof(gp));
	put_query(PN_QUERY_MMU_INFO, &mi, &mio, sizeof(mi));
	/* 1.2: a realtime group */
	b = (struct blk){ gc.queues.array, sizeof(qc), PT_MEM_READ, &qc };
	gco = gc;
	gco.group_handle = 1;
	put_ioctl(DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc, &gco, sizeof(gc), &b, 1);
	/* 1.3: its state says innocent (decoded only: no older driver has the group) */
	gso = gs;
	gso.state = DRM_PANTHOR_GROUP_STATE_TIMEDOUT | PN_GROUP_STATE_INNOCENT;
	if (!replayable)
		put_ioctl(DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &gs, &gso, sizeof(gs), NULL, 0);
	/* 1.4 */
	b = (struct blk){ sl.label, sizeof(label), PT_MEM_READ, label };
	put_ioctl(PN_IOCTL_BO_SET_LABEL, &sl, NULL, sizeof(sl), &b, 1);
	/* 1.5 */
	put_ioctl(PN_IOCTL_SET_USER_MMIO_OFFSET, &mm, NULL, sizeof(mm), NULL, 0);
	/* 1.7 */
	b = (struct blk){ bs.ops.array, sizeof(so), PT_MEM_READ, &so };
	put_ioctl(PN_IOCTL_BO_SYNC, &bs, NULL, sizeof(bs), &b, 1);
	put_ioctl(PN_IOCTL_BO_QUERY_INFO, &qi, &qio, sizeof(qi), NULL, 0);
	bc.flags = PN_BO_WB_MMAP;
	bco.flags = PN_BO_WB_MMAP;
	bco.handle = 2;
	put_ioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &bc, &bco, sizeof(bc), NULL, 0);
	/* 1.9: a sparse mapping */
	b = (struct blk){ vb.ops.array, sizeof(op), PT_MEM_READ, &op };
	put_ioctl(DRM_IOCTL_PANTHOR_VM_BIND, &vb, NULL, sizeof(vb), &b, 1);
	put_ioctl(DRM_IOCTL_GEM_CLOSE, &cl, NULL, sizeof(cl), NULL, 0);
	put_ioctl(DRM_IOCTL_PANTHOR_VM_DESTROY, &vd, NULL, sizeof(vd), NULL, 0);
	pt_write(&w, PT_END, NULL, 0);
	return 0;
}

/*
 * --snapshots VARIANT FILE (for tests/harness/diff-snapshots.sh): a wait
 * and a 64-byte snapshot of BO 2 the GPU wrote. VARIANT "cpu-before": the
 * snapshot was taken ahead of the wait (the GPU had finished already);
 * "observed-after": after it; "observed-other": after it, other bytes.
 */
static int write_snapshots(int fd, const char *variant)
{
	static const char hdr[] = "format=1\ntable_uapi=1.0\nkernel=6.12.0-synthetic\n"
				  "machine=x86_64\n";
	static const char drv[] = "driver=panthor\ndriver_version=1.0.0\nuapi=1.0\nfd=3\n";
	uint8_t bo[32 + 64];
	uint32_t handle = 1, kind, h[2] = { 3, 2 };
	uint64_t addr[2] = { 0x40065000, 0 };
	struct drm_syncobj_wait wt = { .handles = 0x7f0000001000, .timeout_nsec = INT64_MAX,
				       .count_handles = 1 };
	struct blk b = { wt.handles, 4, PT_MEM_READ, &handle };
	bool before = !strcmp(variant, "cpu-before");

	if (!before && strcmp(variant, "observed-after") && strcmp(variant, "observed-other"))
		return -1;
	if (start_trace(fd, hdr, drv))
		return -1;
	kind = before ? PT_BO_CPU : PT_BO_OBSERVED;
	memcpy(bo, h, 8);
	memcpy(bo + 8, addr, 16);
	memcpy(bo + 24, &kind, 4);
	memcpy(bo + 28, &(uint32_t){ 64 }, 4);
	memset(bo + 32, !strcmp(variant, "observed-other") ? 0x5a : 0xa5, 64);
	if (before)
		pt_write(&w, PT_BO_DATA, bo, 32 + 64);
	put_ioctl(DRM_IOCTL_SYNCOBJ_WAIT, &wt, NULL, sizeof(wt), &b, 1);
	if (!before)
		pt_write(&w, PT_BO_DATA, bo, 32 + 64);
	pt_write(&w, PT_END, NULL, 0);
	return 0;
}

/* memory lookup over a decoded record, for pu_call_minor */
static const uint8_t *rec_mem(void *ctx, uint64_t addr, uint32_t len)
{
	const struct pt_mem *m = pt_find_mem(ctx, addr, PT_MEM_READ);

	return m && m->len >= len ? m->bytes : NULL;
}

int main(int argc, char **argv)
{
	static struct pt_mem mem[PT_MAX_MEM];
	char path[] = "/tmp/newer-uapi.XXXXXX", path2[] = "/tmp/newer-uapi2.XXXXXX", err[200];
	unsigned int seen_minor[16] = { 0 }, m, i;
	struct pt_reader r, r2;
	struct pt_record rec;
	struct pt_writer w2;
	uint8_t *a, *b2;
	long na, nb;
	int fd, fd2, ok, decoded = 1, n = 0;
	FILE *f;

	if (argc == 4 && !strcmp(argv[1], "--snapshots")) {
		fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write_snapshots(fd, argv[2]) || close(fd)) {
			fprintf(stderr, "cannot write %s trace %s\n", argv[2], argv[3]);
			return 1;
		}
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "--write")) {
		int rep = argc >= 4 && !strcmp(argv[2], "--replayable");

		fd = open(argv[argc - 1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write_trace(fd, rep) || close(fd)) {
			perror(argv[argc - 1]);
			return 1;
		}
		return 0;
	}
	printf("KTAP version 1\n1..3\n");
	fd = mkstemp(path);
	fd2 = mkstemp(path2);
	if (fd < 0 || fd2 < 0 || write_trace(fd, 0))
		return 1;
	/* read everything back and write it again with the codec */
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	na = ftell(f);
	rewind(f);
	a = malloc(na);
	ok = fread(a, 1, na, f) == (size_t)na;
	fclose(f);
	ok = ok && pt_reader_start(&r, a, na) == PT_OK && !pt_writer_start(&w2, fd2, 1);
	while (ok && pt_read(&r, &rec) == PT_OK) {
		struct pt_ioctl io;
		const struct pu_ioctl *pi;

		n++;
		ok = !pt_write(&w2, rec.type, rec.payload, rec.len);
		if (rec.type != PT_IOCTL)
			continue;
		if (pt_decode_ioctl(&rec, &io, mem, PT_MAX_MEM, err, sizeof(err))) {
			printf("# record %u: %s\n", rec.seq, err);
			decoded = 0;
			continue;
		}
		pi = pu_ioctl_lookup(io.request);
		if (!pi || !pu_layout_of(pi->arg, io.arg_len)) {
			printf("# record %u: %#llx not decoded at its size\n", rec.seq,
			       (unsigned long long)io.request);
			decoded = 0;
			continue;
		}
		m = pu_call_minor(pi, io.arg_in, io.arg_len, rec_mem, &io);
		seen_minor[m]++;
		if (pu_same_nr(io.request, DRM_IOCTL_PANTHOR_DEV_QUERY)) {
			struct drm_panthor_dev_query q;
			const struct pu_query *pq;

			memcpy(&q, io.arg_in, sizeof(q));
			pq = pu_query_by_type(q.type);
			if (!pq || !pu_layout_of(pq->payload, q.size) ||
			    !pt_find_mem(&io, q.pointer, PT_MEM_WRITTEN)) {
				printf("# record %u: query %u not decoded\n", rec.seq, q.type);
				decoded = 0;
			}
		}
	}
	ok = ok && r.off == (size_t)na;
	pt_reader_end(&r);
	close(fd2);
	f = fopen(path2, "rb");
	fseek(f, 0, SEEK_END);
	nb = ftell(f);
	rewind(f);
	b2 = malloc(nb);
	ok = ok && fread(b2, 1, nb, f) == (size_t)nb && nb == na && !memcmp(a, b2, na);
	fclose(f);
	ok = ok && pt_reader_start(&r2, b2, nb) == PT_OK;
	pt_reader_end(&r2);
	result(ok && n == 20, "newer_uapi_records_round_trip", "re-encoded trace differs");
	result(decoded, "newer_uapi_records_decode_at_known_sizes", "see above");
	/* 1.0 (VM/BO/close), and 1.1, 1.2, 1.3?, 1.4, 1.5, 1.7, 1.8, 1.9 */
	for (i = 0, ok = 1; i <= PU_NEWEST_MINOR; i++)
		printf("# calls needing uAPI 1.%u: %u\n", i, seen_minor[i]);
	ok = seen_minor[0] == 5 && seen_minor[1] == 1 && seen_minor[2] == 2 && seen_minor[4] == 1 &&
	     seen_minor[5] == 1 && seen_minor[7] == 3 && seen_minor[8] == 1 && seen_minor[9] == 2;
	result(ok, "newer_uapi_versions_a_call_needs", "see the counts above");
	unlink(path);
	unlink(path2);
	free(a);
	free(b2);
	return ktap_failed ? 1 : 0;
}
