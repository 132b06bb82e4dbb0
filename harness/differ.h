/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * pantrace differ: compares two results of the same recorded call (the
 * recording and a replay, or two devices) under a policy, and writes the
 * differences as text, JSON, JUnit XML or KTAP. The policy format is
 * documented in harness/pantrace.policy (the default one).
 */
#ifndef PANREF_DIFFER_H
#define PANREF_DIFFER_H

#include <stdint.h>
#include <stdio.h>

#include "replay.h"

enum pd_rule { PD_EXACT, PD_HANDLE, PD_KERNEL, PD_HW, PD_TIME, PD_IGNORE };

struct pd_policy {
	struct {
		char pat[96];
		uint8_t rule;
	} r[256];
	uint32_t n;
	int other_hw;		/* hw values are not compared */
};

/* Parse policy text. 0, or -1 with @err naming the line. */
int pd_policy_parse(struct pd_policy *p, const char *text, char *err, size_t errlen);
/* The rule of @path (the first matching pattern; exact if none). */
enum pd_rule pd_rule_for(const struct pd_policy *p, const char *path);
/* The built-in default (harness/pantrace.policy). */
extern const char pd_default_policy[];

struct pd_diff {
	uint32_t seq;			/* record of the trace */
	char call[48];			/* ioctl name, "BO_DATA", "mmap", ... */
	char path[112];			/* policy path of the value */
	char a[96], b[96];		/* the two values, printed */
};

struct pd_report {
	const char *trace;		/* file name */
	const char *a_name, *b_name;	/* "recorded"/"replayed" or the devices */
	uint64_t records, ioctls, compared;
	uint64_t unknown;		/* calls not in the uAPI table (compared as bytes) */
	uint64_t unsupported;		/* calls newer than a driver's uAPI version */
	struct pd_diff *d;
	uint32_t n, cap;
	char trace_error[320];		/* truncated/corrupt tail, engine error */
	int trace_status;		/* 0, or 3 truncated / 4 corrupt / 5 engine */
	double seconds;
};

void pd_add(struct pd_report *r, uint32_t seq, const char *call, const char *path,
	    const char *a, const char *b);
/* Compare two results of recorded call @io (record @seq). */
void pd_ioctl(struct pd_report *r, const struct pd_policy *p, uint32_t seq,
	      const struct pt_ioctl *io, const struct rp_out *a, const struct rp_out *b);
/*
 * A call that needs uAPI 1.@call_minor, answered differently by a driver of
 * uAPI @b_major.@b_minor (@b): its own kind of difference, path
 * CALL.unsupported (DEV_QUERY: PANTHOR_DEV_QUERY.TYPE.unsupported), which
 * a policy line can accept.
 */
void pd_unsupported(struct pd_report *r, const struct pd_policy *p, uint32_t seq,
		    const struct pt_ioctl *io, unsigned int call_minor, const struct rp_out *a,
		    const struct rp_out *b, int b_major, int b_minor);
/* The name of @io's call for reports: IOCTL, IOCTL.QUERY_TYPE, ioctl(0x...) */
void pd_call_name(const struct pt_ioctl *io, char *buf, size_t len);
/* Compare two copies of memory (the first differing byte is reported). */
void pd_mem(struct pd_report *r, const struct pd_policy *p, uint32_t seq, const char *what,
	    uint64_t base, const uint8_t *a, const uint8_t *b, uint32_t len);

void pd_write_json(FILE *f, struct pd_report *const *r, uint32_t n);
void pd_write_junit(FILE *f, struct pd_report *const *r, uint32_t n);
void pd_write_ktap(FILE *f, struct pd_report *const *r, uint32_t n);

#endif
