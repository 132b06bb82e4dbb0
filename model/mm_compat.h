/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The model core is portable C: the same files build into the UML kernel
 * module and into host unit tests. This header is the only place that
 * knows which environment it is in.
 */
#ifndef PANREF_MM_COMPAT_H
#define PANREF_MM_COMPAT_H

#ifdef __KERNEL__
#include <linux/array_size.h>
#include <linux/compiler.h>
#include <linux/stdarg.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/sprintf.h>
#include <linux/types.h>
#else
/* Host builds (unit tests, fuzzers): -I tests/include */
#include <mm_host_compat.h>
#endif

#endif
