/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Subtests generated from the uAPI description table (harness/uapi.c) for
 * one ioctl: a valid call succeeds, then one mutation per rule the table
 * implies (non-zero pad, unknown flag bit, obj_array stride/tail/pointer,
 * unknown handle), each checked against the errno Panthor 6.12 returns.
 * Every mutation test first runs the unmutated call, so it cannot pass
 * because the setup itself was broken.
 */
#ifndef PANREF_CONF_RULES_H
#define PANREF_CONF_RULES_H

/* Register the generated subtests of ioctl @name (e.g. "PANTHOR_VM_BIND"). */
void conf_add_rules(const char *name);

/* Helpers shared with the hand-written subtests (0 or -errno). */
int conf_vm_create(uint32_t *vm);
void conf_vm_destroy(uint32_t vm);
int conf_bo_create(uint64_t size, uint32_t flags, uint32_t excl_vm, uint32_t *bo);
void conf_gem_close(uint32_t bo);
int conf_group_create(uint32_t vm, uint32_t nqueues, uint32_t *group);
void conf_group_destroy(uint32_t group);

#endif
