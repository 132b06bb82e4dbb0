// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * conf-shim.so - LD_PRELOAD shim that makes one ioctl answer wrongly, to
 * prove that conformance subtests catch a deviating driver.
 *
 *   CONF_SHIM="IOCTL:MODE" LD_PRELOAD=build/lib/conf-shim.so BINARY ...
 *
 * IOCTL is a name from the uAPI table (e.g. PANTHOR_BO_CREATE); MODE is
 *   errno=N        a failing call fails with errno N instead
 *   succeed        a failing call reports success
 *   fail=N         a successful call reports failure with errno N
 *   FIELD=VALUE    after the call (failed or not), the argument's FIELD (a name from the
 *                  table; "ARRAY.count" for an obj_array's count) is VALUE
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "uapi.h"

static int (*real_ioctl)(int, unsigned long, ...);
static const struct pu_ioctl *target;
static char mode[64], field[64];
static long long value;

static void init(void)
{
	const char *spec = getenv("CONF_SHIM");
	char name[64];
	const char *colon, *eq;

	real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	if (!spec || !(colon = strchr(spec, ':')) || (size_t)(colon - spec) >= sizeof(name))
		return;
	memcpy(name, spec, colon - spec);
	name[colon - spec] = 0;
	target = pu_ioctl_by_name(name);
	if (!target) {
		fprintf(stderr, "conf-shim: unknown ioctl %s\n", name);
		exit(79);
	}
	snprintf(mode, sizeof(mode), "%s", colon + 1);
	eq = strchr(mode, '=');
	if (eq) {
		snprintf(field, sizeof(field), "%.*s", (int)(eq - mode), mode);
		value = strtoll(eq + 1, NULL, 0);
	}
}

/* Overwrite FIELD (or ARRAY.count) of @arg, @size bytes; 0 if done. */
static int set_field(void *arg, size_t size)
{
	char base[64];
	const char *dot = strchr(field, '.');
	const struct pu_field *f;
	uint64_t v = (uint64_t)value;

	snprintf(base, sizeof(base), "%.*s", dot ? (int)(dot - field) : (int)strlen(field), field);
	f = pu_field_by_name(target->arg, base);
	/* A caller built against an older header may not have the field. */
	if (!f || f->offset + f->size > size)
		return -1;
	if (dot && f->kind == PU_OBJ_ARRAY && !strcmp(dot + 1, "count")) {
		uint32_t c = (uint32_t)v;

		memcpy((char *)arg + f->offset + 4, &c, 4);
		return 0;
	}
	memcpy((char *)arg + f->offset, &v, f->size < 8 ? f->size : 8);
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	int r, err;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real_ioctl)
		init();
	r = real_ioctl(fd, request, arg);
	err = errno;
	/* By type and nr, whatever struct size the caller was built with. */
	if (!target || pu_ioctl_lookup(request) != target)
		return r;
	if (!strncmp(mode, "errno=", 6) && r < 0) {
		errno = atoi(mode + 6);
		return -1;
	}
	if (!strcmp(mode, "succeed") && r < 0)
		return 0;
	if (!strncmp(mode, "fail=", 5) && r == 0) {
		errno = atoi(mode + 5);
		return -1;
	}
	/* Out-fields are overridden whatever the result (VM_BIND writes
	 * ops.count back on failure). */
	if (field[0] && strcmp(field, "errno") && strcmp(field, "fail") &&
	    set_field(arg, _IOC_SIZE(request))) {
		fprintf(stderr, "conf-shim: %s has no field %s\n", target->name, field);
		exit(79);
	}
	errno = err;
	return r;
}
