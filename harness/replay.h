/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * pantrace replay engine: re-issues the records of a trace on a device of
 * the Panthor uAPI, mapping every id the trace holds to the one the device
 * gave: files (per OPEN, shared by DUP), BO/VM/group/heap/syncobj handles
 * (learned from the out-fields that created them, dropped when destroyed),
 * exported fds, mmap offsets, and kernel-chosen GPU VAs (tiler heap context
 * and chunks: patched where BO contents carry them). User-chosen GPU VAs are
 * kept. Memory the kernel reads (obj arrays, nested sync arrays, handle
 * arrays) is rebuilt from the recorded bytes with handles remapped; pointers
 * the recording could not read get an address that faults here too.
 * Absolute syncobj wait deadlines are moved to the same distance from now.
 *
 * One rp_dev per device: `compare` runs two in lockstep.
 */
#ifndef PANREF_REPLAY_H
#define PANREF_REPLAY_H

#include <stdint.h>

#include "trace.h"
#include "uapi.h"

#define RP_MAX_TFD	4096	/* trace fds (the recorder's limit) */
#define RP_MAX_OUTMEM	8

/* The result of one call, recorded or replayed, in a comparable form. */
struct rp_out {
	int32_t ret, err;
	uint32_t arg_len;
	uint8_t arg[PT_MAX_ARG];	/* the argument after the call */
	uint32_t nmem;			/* memory the call wrote (UPTR outputs) */
	struct {
		uint64_t taddr;		/* the trace's address of the buffer */
		uint32_t len;
		const uint8_t *bytes;
	} mem[RP_MAX_OUTMEM];
	int skipped;			/* not issued (see rp_skip_record) */
	int unknown;			/* not in the uAPI table: issued as recorded */
};

struct rp_kv {
	uint64_t key, val;
	uint8_t used, dead;
};

struct rp_map {
	uint64_t taddr, len;
	uint8_t *raddr;
	uint8_t *shadow;		/* the recording's view of the bytes */
	uint32_t prot;
};

struct rp_dev {
	char name[16];			/* "replay", "a", "b" */
	char path[256];			/* device node */
	int fd[RP_MAX_TFD];		/* trace fd -> replay fd, -1 */
	uint32_t file[RP_MAX_TFD];	/* trace fd -> file id */
	uint32_t nfiles;
	struct rp_kv *h;		/* (file, kind, trace value) -> value */
	uint32_t hcap, hcount;
	struct rp_kv *offs;		/* (file, trace mmap offset) -> offset */
	uint32_t ocap, ocount;
	struct rp_map *maps;
	uint32_t nmaps, mapcap;
	uint64_t kv_t[64], kv_r[64];	/* kernel-chosen VAs that differ */
	uint32_t nkv;
	uint8_t *bad;			/* PROT_NONE window for unreadable pointers */
	/* buffers of the call in flight */
	void *scratch[512];
	uint32_t nscratch;
	char err[256];
	/* the driver's DRM_IOCTL_VERSION, from the first file opened */
	int drv_known, drv_major, drv_minor, drv_patch;
	char drv_name[32];
};

/* Open nothing yet: remember which node OPEN records will open. 0 / -1. */
int rp_init(struct rp_dev *d, const char *name, const char *path);
void rp_fini(struct rp_dev *d);

/* Records other than IOCTL and BO_DATA. 0, or -1 with d->err set. */
int rp_open(struct rp_dev *d, const struct pt_open *o);
int rp_close(struct rp_dev *d, uint32_t tfd);
int rp_dup(struct rp_dev *d, uint32_t oldfd, uint32_t newfd);
/* *ok: whether the replayed mmap succeeded */
int rp_mmap(struct rp_dev *d, const struct pt_mmap *m, int *ok);
int rp_munmap(struct rp_dev *d, uint64_t taddr, uint64_t len);

/*
 * BO_DATA: the replay's bytes of that range (*cur, NULL if the range is not
 * mapped here or not readable), then, if @write, the recorded bytes are
 * merged in: a byte the recording changed since its previous BO_DATA is
 * written only where the replay's byte is still the recording's previous
 * one. A byte both changed is one the replay's GPU owns (it wrote it while
 * the recording's GPU did too), so a job still in flight at a snapshot does
 * not get its results overwritten with the recording's stale ones.
 */
int rp_bo_data(struct rp_dev *d, const struct pt_bo_data *b, int write, const uint8_t **cur);

/* Whether a recorded call is a libdrm restart (EINTR), not replayed. */
int rp_skip_record(const struct pt_ioctl *io);

/* Issue one recorded ioctl; fill @out (its memory lives until the next call). */
int rp_ioctl(struct rp_dev *d, const struct pt_ioctl *io, struct rp_out *out);

/* The recorded result of @io in the same form. */
void rp_out_from_trace(const struct pt_ioctl *io, struct rp_out *out);

#endif
