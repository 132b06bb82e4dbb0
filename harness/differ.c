// SPDX-License-Identifier: GPL-2.0 OR MIT
/* pantrace differ (see differ.h). */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xf86drm.h>
#include <panthor_drm.h>

#include "differ.h"

/* generated from harness/pantrace.policy by the Makefile */
const char pd_default_policy[] =
#include "default_policy.inc"
	;

static const char *const rule_names[] = {
	"exact", "handle", "kernel", "hw", "time", "ignore",
};

int pd_policy_parse(struct pd_policy *p, const char *text, char *err, size_t errlen)
{
	const char *l = text, *nl;
	unsigned int line = 0;

	p->n = 0;
	for (; *l; l = nl ? nl + 1 : l + strlen(l)) {
		char buf[256], pat[128], rule[32], extra[8];
		unsigned int i, n;

		nl = strchr(l, '\n');
		n = nl ? (unsigned int)(nl - l) : (unsigned int)strlen(l);
		line++;
		if (n >= sizeof(buf)) {
			snprintf(err, errlen, "line %u: longer than %zu characters", line,
				 sizeof(buf) - 1);
			return -1;
		}
		memcpy(buf, l, n);
		buf[n] = 0;
		if (strchr(buf, '#'))
			*strchr(buf, '#') = 0;
		i = (unsigned int)sscanf(buf, "%127s %31s %7s", pat, rule, extra);
		if ((int)i == EOF || i == 0)
			continue;
		if (i != 2) {
			snprintf(err, errlen, "line %u: expected \"PATTERN RULE\"", line);
			return -1;
		}
		for (i = 0; i < sizeof(rule_names) / sizeof(rule_names[0]); i++)
			if (!strcmp(rule, rule_names[i]))
				break;
		if (i == sizeof(rule_names) / sizeof(rule_names[0])) {
			snprintf(err, errlen,
				 "line %u: unknown rule \"%s\" (exact, handle, kernel, hw, time, ignore)",
				 line, rule);
			return -1;
		}
		if (p->n == sizeof(p->r) / sizeof(p->r[0]) || strlen(pat) >= sizeof(p->r[0].pat)) {
			snprintf(err, errlen, "line %u: too many rules or pattern too long", line);
			return -1;
		}
		snprintf(p->r[p->n].pat, sizeof(p->r[p->n].pat), "%s", pat);
		p->r[p->n++].rule = (uint8_t)i;
	}
	return 0;
}

enum pd_rule pd_rule_for(const struct pd_policy *p, const char *path)
{
	uint32_t i;

	for (i = 0; i < p->n; i++)
		if (!fnmatch(p->r[i].pat, path, 0))
			return (enum pd_rule)p->r[i].rule;
	return PD_EXACT;
}

static int compared(const struct pd_policy *p, const char *path)
{
	enum pd_rule r = pd_rule_for(p, path);

	return r == PD_EXACT || (r == PD_HW && !p->other_hw);
}

void pd_add(struct pd_report *r, uint32_t seq, const char *call, const char *path,
	    const char *a, const char *b)
{
	struct pd_diff *d;

	if (r->n == r->cap) {
		uint32_t cap = r->cap ? r->cap * 2 : 16;
		struct pd_diff *nd = realloc(r->d, cap * sizeof(*nd));

		if (!nd)
			return;
		r->d = nd;
		r->cap = cap;
	}
	d = &r->d[r->n++];
	d->seq = seq;
	snprintf(d->call, sizeof(d->call), "%s", call);
	snprintf(d->path, sizeof(d->path), "%s", path);
	snprintf(d->a, sizeof(d->a), "%s", a);
	snprintf(d->b, sizeof(d->b), "%s", b);
}

static void result_str(char *buf, size_t len, const struct rp_out *o)
{
	if (o->skipped)
		snprintf(buf, len, "not issued");
	else if (!o->ret)
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "%d %s", o->ret, o->err > 0 ? strerrorname_np(o->err) : "?");
}

static void value_str(char *buf, size_t len, const struct pu_field *f, uint64_t v)
{
	const char *name = (f->kind == PU_ENUM || f->kind == PU_FLAGS) ? pu_value_name(f, v) : NULL;

	if (name)
		snprintf(buf, len, "%s (%#llx)", name, (unsigned long long)v);
	else
		snprintf(buf, len, "%#llx", (unsigned long long)v);
}

/* Fields of @s (out-fields only unless @all) in @a and @b under @prefix. */
static void fields(struct pd_report *r, const struct pd_policy *p, uint32_t seq,
		   const char *call, const char *prefix, const struct pu_struct *s,
		   const uint8_t *a, const uint8_t *b, uint32_t len, int all)
{
	uint32_t i;

	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];
		char path[112], va[96], vb[96];
		uint64_t x, y;

		if (f->offset + f->size > len || (!all && !(f->dir & PU_OUT)))
			continue;
		if (f->kind == PU_OBJ_ARRAY) {
			uint32_t ca, cb;

			snprintf(path, sizeof(path), "%s.%s.count", prefix, f->name);
			memcpy(&ca, a + f->offset + 4, 4);
			memcpy(&cb, b + f->offset + 4, 4);
			r->compared++;
			if (ca != cb && compared(p, path)) {
				snprintf(va, sizeof(va), "%u", ca);
				snprintf(vb, sizeof(vb), "%u", cb);
				pd_add(r, seq, call, path, va, vb);
			}
			continue;
		}
		if (f->kind == PU_HANDLE || f->kind == PU_UPTR || f->size > 8)
			continue;	/* ids are remapped; pointers are ours */
		snprintf(path, sizeof(path), "%s.%s", prefix, f->name);
		x = pu_get(f, a);
		y = pu_get(f, b);
		r->compared++;
		if (x != y && compared(p, path)) {
			value_str(va, sizeof(va), f, x);
			value_str(vb, sizeof(vb), f, y);
			pd_add(r, seq, call, path, va, vb);
		}
	}
}

static const struct pu_field *uptr_at(const struct pu_struct *s, const uint8_t *arg,
				      uint64_t taddr, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < s->nfields; i++) {
		const struct pu_field *f = &s->fields[i];

		if (f->kind == PU_UPTR && pu_field_in(f, len) && pu_get(f, arg) == taddr)
			return f;
	}
	return NULL;
}

void pd_call_name(const struct pt_ioctl *io, char *buf, size_t len)
{
	const struct pu_ioctl *pi = pu_ioctl_lookup(io->request);
	const struct pu_query *q = NULL;
	uint32_t type;

	if (pi && pu_same_nr(io->request, DRM_IOCTL_PANTHOR_DEV_QUERY) && io->arg_len >= 4) {
		memcpy(&type, io->arg_in, 4);
		q = pu_query_by_type(type);
	}
	if (q)
		snprintf(buf, len, "%s.%s", pi->name, q->name);
	else if (pi)
		snprintf(buf, len, "%s", pi->name);
	else
		snprintf(buf, len, "ioctl(%#llx)", (unsigned long long)io->request);
}

void pd_unsupported(struct pd_report *r, const struct pd_policy *p, uint32_t seq,
		    const struct pt_ioctl *io, unsigned int call_minor, const struct rp_out *a,
		    const struct rp_out *b, int b_major, int b_minor)
{
	char call[64], path[112], va[96], vb[96], res[32];
	const struct pu_ioctl *pi = pu_ioctl_lookup(io->request);

	pd_call_name(io, call, sizeof(call));
	snprintf(path, sizeof(path), "%s.unsupported", call);
	r->ioctls++;
	r->compared++;
	r->unsupported++;
	if (!compared(p, path))
		return;		/* the policy accepts it */
	result_str(res, sizeof(res), a);
	snprintf(va, sizeof(va), "uAPI 1.%u call: %s", call_minor, res);
	result_str(res, sizeof(res), b);
	snprintf(vb, sizeof(vb), "not supported by this driver (uAPI %d.%d): %.24s", b_major, b_minor,
		 res);
	pd_add(r, seq, pi ? pi->name : call, path, va, vb);
}

void pd_ioctl(struct pd_report *r, const struct pd_policy *p, uint32_t seq,
	      const struct pt_ioctl *io, const struct rp_out *a, const struct rp_out *b)
{
	const struct pu_ioctl *pi = pu_ioctl_lookup(io->request);
	char call[48], path[112], va[96], vb[96];
	uint32_t i, k, known;

	if (pi)
		snprintf(call, sizeof(call), "%s", pi->name);
	else
		snprintf(call, sizeof(call), "ioctl(%#llx)", (unsigned long long)io->request);
	r->ioctls++;
	r->unknown += !pi;
	r->compared++;
	snprintf(path, sizeof(path), "%s.result", call);
	if (a->skipped || b->skipped || a->ret != b->ret || a->err != b->err) {
		if (compared(p, path)) {
			result_str(va, sizeof(va), a);
			result_str(vb, sizeof(vb), b);
			pd_add(r, seq, call, path, va, vb);
		}
		return;		/* the out-fields of different outcomes are noise */
	}
	/* the kernel's rule: fields both know by name, the rest as bytes */
	known = pi ? pu_known_len(pi->arg, io->arg_len) : 0;
	if (known)
		fields(r, p, seq, call, call, pi->arg, a->arg, b->arg, known, 0);
	if (known < io->arg_len) {
		snprintf(path, sizeof(path), "%s.arg", call);
		pd_mem(r, p, seq, path, known, a->arg + known, b->arg + known, io->arg_len - known);
	}
	if (!known)
		return;
	/* memory the call wrote, matched by the trace's address */
	for (i = 0; i < a->nmem; i++) {
		const struct pu_field *f = uptr_at(pi->arg, io->arg_in, a->mem[i].taddr, known);
		const uint8_t *x = a->mem[i].bytes, *y = NULL;
		uint32_t len = a->mem[i].len;

		for (k = 0; k < b->nmem; k++)
			if (b->mem[k].taddr == a->mem[i].taddr)
				y = b->mem[k].bytes, len = len < b->mem[k].len ? len : b->mem[k].len;
		if (!f || !y)
			continue;
		if (pu_same_nr(io->request, DRM_IOCTL_PANTHOR_DEV_QUERY) &&
		    io->arg_len >= sizeof(struct drm_panthor_dev_query)) {
			struct drm_panthor_dev_query q;
			const struct pu_query *pq;

			memcpy(&q, io->arg_in, sizeof(q));
			pq = pu_query_by_type(q.type);
			if (pq) {
				uint32_t kl = pu_known_len(pq->payload, len);

				snprintf(path, sizeof(path), "%s.%s", call, pq->name);
				fields(r, p, seq, call, path, pq->payload, x, y, kl, 1);
				if (kl < len) {
					strncat(path, ".tail", sizeof(path) - strlen(path) - 1);
					pd_mem(r, p, seq, path, kl, x + kl, y + kl, len - kl);
				}
				continue;
			}
		}
		snprintf(path, sizeof(path), "%s.%s", call, f->name);
		pd_mem(r, p, seq, path, 0, x, y, len);
	}
}

void pd_mem(struct pd_report *r, const struct pd_policy *p, uint32_t seq, const char *what,
	    uint64_t base, const uint8_t *a, const uint8_t *b, uint32_t len)
{
	char path[112], va[96], vb[96];
	uint32_t i, n = 0, first = 0;

	r->compared++;
	if (!memcmp(a, b, len) || !compared(p, what))
		return;
	for (i = 0; i < len; i++)
		if (a[i] != b[i] && !n++)
			first = i;
	snprintf(path, sizeof(path), "%s+%#llx", what, (unsigned long long)(base + first));
	snprintf(va, sizeof(va), "%02x (%u bytes differ)", a[first], n);
	snprintf(vb, sizeof(vb), "%02x", b[first]);
	pd_add(r, seq, what, path, va, vb);
}

/* ---- machine-readable reports ---- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void pd_write_json(FILE *f, struct pd_report *const *r, uint32_t n)
{
	uint32_t i, k;

	fprintf(f, "{\"pantrace_report\": 1, \"traces\": [");
	for (i = 0; i < n; i++) {
		fprintf(f, "%s\n {\"trace\": ", i ? "," : "");
		json_str(f, r[i]->trace);
		fprintf(f, ", \"a\": ");
		json_str(f, r[i]->a_name);
		fprintf(f, ", \"b\": ");
		json_str(f, r[i]->b_name);
		fprintf(f, ", \"records\": %llu, \"ioctls\": %llu, \"values_compared\": %llu, "
			"\"unknown_ioctls\": %llu, \"unsupported_ioctls\": %llu, "
			"\"seconds\": %.3f, \"trace_status\": %d, \"trace_error\": ",
			(unsigned long long)r[i]->records, (unsigned long long)r[i]->ioctls,
			(unsigned long long)r[i]->compared, (unsigned long long)r[i]->unknown,
			(unsigned long long)r[i]->unsupported, r[i]->seconds, r[i]->trace_status);
		json_str(f, r[i]->trace_error);
		fprintf(f, ", \"differences\": [");
		for (k = 0; k < r[i]->n; k++) {
			const struct pd_diff *d = &r[i]->d[k];

			fprintf(f, "%s\n  {\"record\": %u, \"call\": ", k ? "," : "", d->seq);
			json_str(f, d->call);
			fprintf(f, ", \"path\": ");
			json_str(f, d->path);
			fprintf(f, ", \"a\": ");
			json_str(f, d->a);
			fprintf(f, ", \"b\": ");
			json_str(f, d->b);
			fprintf(f, "}");
		}
		fprintf(f, "]}");
	}
	fprintf(f, "\n]}\n");
}

static void xml_str(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

void pd_write_junit(FILE *f, struct pd_report *const *r, uint32_t n)
{
	uint32_t i, k, failures = 0;

	for (i = 0; i < n; i++)
		failures += r[i]->n || r[i]->trace_status;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<testsuite name=\"pantrace\" tests=\"%u\" failures=\"%u\">\n", n, failures);
	for (i = 0; i < n; i++) {
		fprintf(f, "  <testcase classname=\"pantrace\" name=\"");
		xml_str(f, r[i]->trace);
		fprintf(f, "\" time=\"%.3f\">\n", r[i]->seconds);
		if (r[i]->n || r[i]->trace_status) {
			fprintf(f, "    <failure message=\"%u differences%s", r[i]->n,
				r[i]->trace_status ? "; " : "");
			xml_str(f, r[i]->trace_error);
			fprintf(f, "\">");
			for (k = 0; k < r[i]->n; k++) {
				const struct pd_diff *d = &r[i]->d[k];
				char line[512];

				snprintf(line, sizeof(line), "#%u %s %s: %s %s, %s %s\n", d->seq,
					 d->call, d->path, r[i]->a_name, d->a, r[i]->b_name, d->b);
				xml_str(f, line);
			}
			fprintf(f, "</failure>\n");
		}
		fprintf(f, "  </testcase>\n");
	}
	fprintf(f, "</testsuite>\n");
}

void pd_write_ktap(FILE *f, struct pd_report *const *r, uint32_t n)
{
	uint32_t i, k;

	fprintf(f, "KTAP version 1\n1..%u\n", n);
	for (i = 0; i < n; i++) {
		const char *base = strrchr(r[i]->trace, '/');

		for (k = 0; k < r[i]->n && k < 20; k++)
			fprintf(f, "# #%u %s %s: %s %s, %s %s\n", r[i]->d[k].seq, r[i]->d[k].call,
				r[i]->d[k].path, r[i]->a_name, r[i]->d[k].a, r[i]->b_name,
				r[i]->d[k].b);
		if (r[i]->trace_status)
			fprintf(f, "# %s\n", r[i]->trace_error);
		fprintf(f, "%s %u %s\n", r[i]->n || r[i]->trace_status ? "not ok" : "ok", i + 1,
			base ? base + 1 : r[i]->trace);
	}
}
