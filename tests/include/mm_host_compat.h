/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What the model core needs from a hosted C environment (see model/mm_compat.h). */
#ifndef PANREF_MM_HOST_COMPAT_H
#define PANREF_MM_HOST_COMPAT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#define __printf(a, b)	__attribute__((__format__(__printf__, a, b)))
#define ARRAY_SIZE(x)	(sizeof(x) / sizeof((x)[0]))

#endif
