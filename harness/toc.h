/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef PANREF_TOC_H
#define PANREF_TOC_H

#include <stdio.h>

#include "trace.h"

/*
 * Write to @o a standalone C program that makes the calls of the @n
 * records @rec (one trace, read with pt_read()) as harness/toc.c says;
 * @source names the trace in its header comment. 0, or -1 with @err set
 * (a record that does not decode).
 */
int pt_to_c(FILE *o, const struct pt_record *rec, size_t n, const char *source,
	    char *err, size_t errlen);

#endif
