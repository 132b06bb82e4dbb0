// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host tests of the pantrace differ (harness/differ.c): the policy parser
 * and matcher, and pd_ioctl/pd_mem on synthetic results: each kind of
 * difference is reported with the right record and path, and what the
 * policy excludes is not. Run under ASan/UBSan.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "differ.h"
#include "ktap.h"

static struct pd_policy pol;

static void reset(struct pd_report *r)
{
	free(r->d);
	memset(r, 0, sizeof(*r));
}

/* A recorded ioctl of @req with argument @in/@out (sizeof the struct). */
static void mk_io(struct pt_ioctl *io, unsigned long req, const void *in, const void *out,
		  uint32_t len)
{
	memset(io, 0, sizeof(*io));
	io->request = req;
	io->arg_len = len;
	io->arg_in = in;
	io->arg_out = out;
}

static void mk_out(struct rp_out *o, int ret, int err, const void *arg, uint32_t len)
{
	memset(o, 0, sizeof(*o));
	o->ret = ret;
	o->err = err;
	o->arg_len = len;
	memcpy(o->arg, arg, len);
}

static int one(const struct pd_report *r, uint32_t seq, const char *path)
{
	return r->n == 1 && r->d[0].seq == seq && !strcmp(r->d[0].path, path);
}

int main(void)
{
	struct pd_report r = { 0 };
	struct pt_ioctl io;
	struct rp_out a, b;
	char err[200];
	int ok;

	printf("KTAP version 1\n1..15\n");

	ok = !pd_policy_parse(&pol, pd_default_policy, err, sizeof(err)) && pol.n > 5;
	result(ok, "default_policy_parses", err);

	ok = pd_rule_for(&pol, "PANTHOR_BO_MMAP_OFFSET.offset") == PD_KERNEL &&
	     pd_rule_for(&pol, "PANTHOR_DEV_QUERY.GPU_INFO.gpu_rev") == PD_HW &&
	     pd_rule_for(&pol, "PANTHOR_VM_CREATE.result") == PD_EXACT &&
	     pd_rule_for(&pol, "PANTHOR_VM_CREATE.user_va_range") == PD_EXACT;
	result(ok, "rules_match_first_pattern", "unexpected rule");

	{
		struct pd_policy p;

		ok = pd_policy_parse(&p, "# c\n*.result exact\nX maybe\n", err, sizeof(err)) &&
		     strstr(err, "line 3") && strstr(err, "maybe");
		ok = ok && pd_policy_parse(&p, "lonely\n", err, sizeof(err)) && strstr(err, "line 1");
		result(ok, "bad_policy_lines_named", err);
	}

	/* a different errno */
	{
		struct drm_panthor_bo_create c = { .size = 4096, .pad = 1 };

		mk_io(&io, DRM_IOCTL_PANTHOR_BO_CREATE, &c, &c, sizeof(c));
		mk_out(&a, -1, EINVAL, &c, sizeof(c));
		mk_out(&b, -1, EFAULT, &c, sizeof(c));
		pd_ioctl(&r, &pol, 7, &io, &a, &b);
		ok = one(&r, 7, "PANTHOR_BO_CREATE.result") && strstr(r.d[0].a, "EINVAL") &&
		     strstr(r.d[0].b, "EFAULT");
		result(ok, "errno_difference", r.n ? r.d[0].path : "none");
		reset(&r);

		/* same outcome, different handle: handles are remapped, not compared */
		c.pad = 0;
		mk_out(&a, 0, 0, &c, sizeof(c));
		c.handle = 9;
		mk_out(&b, 0, 0, &c, sizeof(c));
		c.handle = 0;
		pd_ioctl(&r, &pol, 8, &io, &a, &b);
		result(r.n == 0, "handles_not_compared", r.n ? r.d[0].path : "");
		reset(&r);

		/* a rounded size that differs (INOUT field) */
		b.arg[0] ^= 0x10;
		pd_ioctl(&r, &pol, 9, &io, &a, &b);
		result(one(&r, 9, "PANTHOR_BO_CREATE.size"), "out_field_difference",
			    r.n ? r.d[0].path : "none");
		reset(&r);
	}

	/* VM_BIND's failing op index written back in ops.count */
	{
		struct drm_panthor_vm_bind vb = { .ops = { .stride = 48, .count = 3 } };

		mk_io(&io, DRM_IOCTL_PANTHOR_VM_BIND, &vb, &vb, sizeof(vb));
		vb.ops.count = 1;
		mk_out(&a, -1, EINVAL, &vb, sizeof(vb));
		vb.ops.count = 2;
		mk_out(&b, -1, EINVAL, &vb, sizeof(vb));
		pd_ioctl(&r, &pol, 11, &io, &a, &b);
		result(one(&r, 11, "PANTHOR_VM_BIND.ops.count"), "failing_op_index_difference",
			    r.n ? r.d[0].path : "none");
		reset(&r);
	}

	/* DEV_QUERY payload: hw fields compared, unless --other-hardware */
	{
		static struct drm_panthor_gpu_info ga, gb;
		struct drm_panthor_dev_query q = {
			.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(ga),
			.pointer = 0x1000,
		};

		gb.gpu_rev = 1;
		mk_io(&io, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, &q, sizeof(q));
		mk_out(&a, 0, 0, &q, sizeof(q));
		mk_out(&b, 0, 0, &q, sizeof(q));
		a.nmem = b.nmem = 1;
		a.mem[0].taddr = b.mem[0].taddr = 0x1000;
		a.mem[0].len = b.mem[0].len = sizeof(ga);
		a.mem[0].bytes = (const uint8_t *)&ga;
		b.mem[0].bytes = (const uint8_t *)&gb;
		pd_ioctl(&r, &pol, 3, &io, &a, &b);
		result(one(&r, 3, "PANTHOR_DEV_QUERY.GPU_INFO.gpu_rev"), "query_payload_field",
			    r.n ? r.d[0].path : "none");
		reset(&r);
		pol.other_hw = 1;
		pd_ioctl(&r, &pol, 3, &io, &a, &b);
		result(r.n == 0, "other_hardware_ignores_hw_fields", r.n ? r.d[0].path : "");
		pol.other_hw = 0;
		reset(&r);
	}

	/* memory: the first differing byte and how many */
	{
		uint8_t x[64] = { 0 }, y[64] = { 0 };

		y[40] = 1;
		y[50] = 2;
		pd_mem(&r, &pol, 12, "BO_DATA", 0x100, x, y, sizeof(x));
		ok = one(&r, 12, "BO_DATA+0x128") && strstr(r.d[0].a, "2 bytes differ");
		result(ok, "memory_difference", r.n ? r.d[0].path : "none");
		reset(&r);
	}

	/* a 32-byte SYNCOBJ_WAIT (libdrm's header): its fields by name */
	{
		uint8_t in[32] = { 0 }, x[32] = { 0 }, y[32] = { 0 };

		y[24] = 1;	/* first_signaled */
		mk_io(&io, 0xc02064c3, in, x, 32);
		mk_out(&a, 0, 0, x, 32);
		mk_out(&b, 0, 0, y, 32);
		pd_ioctl(&r, &pol, 4, &io, &a, &b);
		result(one(&r, 4, "SYNCOBJ_WAIT.first_signaled") && !r.unknown,
		       "old_size_decoded_by_name", r.n ? r.d[0].path : "none");
		reset(&r);
	}
	/* 48 bytes: the 40 the table knows by name, the tail as bytes */
	{
		uint8_t in[48] = { 0 }, x[48] = { 0 }, y[48] = { 0 };

		y[44] = 7;
		mk_io(&io, 0xc03064c3, in, x, 48);
		mk_out(&a, 0, 0, x, 48);
		mk_out(&b, 0, 0, y, 48);
		pd_ioctl(&r, &pol, 6, &io, &a, &b);
		result(one(&r, 6, "SYNCOBJ_WAIT.arg+0x2c"), "larger_size_tail_as_bytes",
		       r.n ? r.d[0].path : "none");
		reset(&r);
	}
	/* an ioctl the table does not know: counted, compared as bytes */
	{
		uint8_t in[24] = { 0 }, x[24] = { 0 }, y[24] = { 0 };

		y[3] = 1;
		mk_io(&io, 0xc01864cf, in, x, 24);
		mk_out(&a, 0, 0, x, 24);
		mk_out(&b, 0, 0, y, 24);
		pd_ioctl(&r, &pol, 8, &io, &a, &b);
		result(one(&r, 8, "ioctl(0xc01864cf).arg+0x3") && r.unknown == 1,
		       "unknown_ioctl_counted_and_compared", r.n ? r.d[0].path : "none");
		reset(&r);
	}
	/* a newer call an older driver refused: its own kind, which a policy accepts */
	{
		struct drm_panthor_dev_query q = { .type = 2, .size = 24, .pointer = 0x1000 };
		struct pd_policy acc;

		mk_io(&io, DRM_IOCTL_PANTHOR_DEV_QUERY, &q, &q, sizeof(q));
		mk_out(&a, 0, 0, &q, sizeof(q));
		mk_out(&b, -1, EINVAL, &q, sizeof(q));
		pd_unsupported(&r, &pol, 5, &io, 1, &a, &b, 1, 0);
		ok = one(&r, 5, "PANTHOR_DEV_QUERY.TIMESTAMP_INFO.unsupported") &&
		     strstr(r.d[0].b, "not supported by this driver (uAPI 1.0): -1 EINVAL") &&
		     strstr(r.d[0].a, "uAPI 1.1 call: 0") && r.unsupported == 1;
		reset(&r);
		ok = ok && !pd_policy_parse(&acc, "*.unsupported ignore\n* exact\n", err, sizeof(err));
		pd_unsupported(&r, &acc, 5, &io, 1, &a, &b, 1, 0);
		result(ok && r.n == 0 && r.unsupported == 1, "unsupported_kind_and_policy",
		       r.n ? r.d[0].path : "");
		reset(&r);
	}

	/* reports: JSON and JUnit name the difference */
	{
		struct pd_report *rp = &r;
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		r.trace = "t<1>.ptrace";
		r.a_name = "recorded";
		r.b_name = "replayed";
		pd_add(&r, 5, "PANTHOR_VM_CREATE", "PANTHOR_VM_CREATE.result", "0", "-1 \"EINVAL\"");
		pd_write_json(f, &rp, 1);
		pd_write_junit(f, &rp, 1);
		fclose(f);
		ok = buf && strstr(buf, "\"record\": 5") && strstr(buf, "-1 \\\"EINVAL\\\"") &&
		     strstr(buf, "failures=\"1\"") && strstr(buf, "t&lt;1&gt;.ptrace");
		result(ok, "reports_escape_and_name_the_difference", buf ? buf : "");
		free(buf);
		reset(&r);
	}
	return ktap_failed ? 1 : 0;
}
