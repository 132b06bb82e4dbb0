/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A small IGT-compatible subtest runner for the conformance binaries.
 * Output and exit codes follow IGT's runner (runner/output_strings.h):
 *   IGT-Version: ...
 *   Starting subtest: NAME
 *   Subtest NAME: SUCCESS (0.003s)      (or FAIL / SKIP)
 * exit 0 all passed (or some skipped), 77 all skipped, 98 any failed.
 * After the version line, "Device: PATH", or "Device: none (why)" when no
 * device could be opened (every subtest then SKIPs; conformance/run fails
 * the run unless --allow-no-device).
 * Options: --list-subtests, --run-subtest NAME (glob), --skip-subtest GLOB
 * (repeatable; reported as SKIP), --device PATH,
 * --driver NAME (default: $CONF_DRIVER, else "panthor").
 */
#ifndef PANREF_IGT_H
#define PANREF_IGT_H

#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct igt_subtest {
	const char *name;
	void (*fn)(void *arg);
	void *arg;
	char owned_name[96];	/* for generated subtests */
};

/* Register a subtest (generated ones may pass a formatted name). */
void igt_add(const char *name, void (*fn)(void *), void *arg);
void igt_addf(void (*fn)(void *), void *arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int igt_run(int argc, char **argv, void (*setup)(void));

_Noreturn void igt_fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void igt_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define igt_assert(c) do { if (!(c)) \
	igt_fail_at(__FILE__, __LINE__, "assertion failed: %s", #c); } while (0)
#define igt_assert_f(c, ...) do { if (!(c)) \
	igt_fail_at(__FILE__, __LINE__, __VA_ARGS__); } while (0)
#define igt_assert_eq(a, b) do { long long _a = (a), _b = (b); if (_a != _b) \
	igt_fail_at(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", \
		    #a, _a, #b, _b); } while (0)
/* An ioctl result (0 or -errno) must be @err (0 or an errno, e.g. EINVAL). */
#define igt_assert_err(r, err) do { int _r = (r), _e = (err); if (_r != -_e) \
	igt_fail_at(__FILE__, __LINE__, "%s returned %d (%s), expected %d (%s)", #r, \
		    _r, _r ? strerror(-_r) : "success", -_e, _e ? strerror(_e) : "success"); \
	} while (0)

/* The device under test, opened by igt_run before setup(). */
extern int conf_fd;
extern const char *conf_device;
extern const char *conf_driver;

/* drmIoctl() on the device under test: 0 or -errno. */
int conf_ioctl(unsigned long request, void *arg);

#endif
