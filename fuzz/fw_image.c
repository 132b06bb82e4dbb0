// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: panref's firmware container parser (driver/fw_image.c)
 * on arbitrary bytes. It must never crash or read outside the input; a
 * rejection must come with an untruncated message and no sections; an
 * accepted image must only describe ranges inside the input, with page
 * aligned, non-empty, disjoint VA ranges and exactly one shared section.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fw_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct panref_fw_image img;
	char err[PANREF_FW_ERRLEN];
	uint32_t i, j, shared = 0;
	uint8_t x = 0;
	int ret;

	memset(err, 'x', sizeof(err));
	ret = panref_fw_parse(data, size, &img, err, sizeof(err));
	if (ret) {
		if ((ret != -EINVAL && ret != -E2BIG && ret != -ENOENT) ||
		    !err[0] || strlen(err) >= sizeof(err) - 1 || img.nsections)
			abort();
		return 0;
	}
	if (err[0] || !img.nsections || img.nsections > PANREF_FW_MAX_SECTIONS)
		abort();
	for (i = 0; i < img.nsections; i++) {
		const struct panref_fw_section *s = &img.sec[i];

		if (s->data_start > s->data_end || s->data_end > size ||
		    s->name_off > size || s->name_len > size - s->name_off ||
		    s->va_start >= s->va_end ||
		    ((s->va_start | s->va_end) & (PANREF_FW_MCU_PAGE - 1)) ||
		    s->data_end - s->data_start > s->va_end - s->va_start ||
		    (s->flags & ~PANREF_FW_SEC_SUPPORTED) || (s->flags & PANREF_FW_SEC_PROT))
			abort();
		for (j = 0; j < i; j++)
			if (s->va_start < img.sec[j].va_end &&
			    img.sec[j].va_start < s->va_end)
				abort();
		if (s->va_start == PANREF_FW_SHARED_VA) {
			if (!(s->flags & PANREF_FW_SEC_SHARED))
				abort();
			shared++;
		}
		/* Touch every byte the result points at (ASan checks them). */
		for (j = s->data_start; j < s->data_end; j++)
			x ^= data[j];
		for (j = 0; j < s->name_len; j++)
			x ^= data[s->name_off + j];
	}
	if (shared != 1)
		abort();
	return x == 0x5a ? 0 : 0;
}
