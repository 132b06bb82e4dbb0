// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: GPU virtual address spaces - the VMs of VM_CREATE/DESTROY, their
 * page tables and VM_BIND. Which VM holds an address space slot on the GPU
 * is mmu.c's.
 *
 * - Page tables: io-pgtable-arm, ARM_64_LPAE_S1, 4 KiB and 2 MiB pages.
 * - VA management: drm_gpuvm; the split/merge callbacks program the page
 *   tables. VM_BIND runs either in the ioctl (synchronous) or as a
 *   drm_sched job on the VM's own queue (asynchronous).
 *
 * Validation order and error codes follow Panthor 6.12 (panthor_mmu.c).
 *
 * Shape shared with Panthor: an operation context that preallocates the
 * page-table pages and VMA objects before the drm_gpuvm split/merge walk
 * (which may not allocate), the sm_step_map/remap/unmap callbacks and the
 * bind queue as a drm_sched of credit 1 follow from drm_gpuvm's and
 * io-pgtable's rules and match Panthor's panthor_mmu.c (GPL-2.0 or MIT,
 * Copyright 2019 Linaro, 2023 Collabora ltd.); the code is written for
 * panref.
 */
#include <linux/iopoll.h>
#include <linux/kmemleak.h>
#include <linux/kref.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sizes.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "panref.h"

struct panref_vma {
	struct drm_gpuva base;
	struct list_head node;	/* on op_ctx->returned once unlinked */
	u32 flags;		/* DRM_PANTHOR_VM_BIND_OP_MAP_* */
};

/* Everything an operation needs, allocated before it runs. */
struct panref_vm_op_ctx {
	u32 flags;
	u64 va;
	u64 range;
	struct {
		struct drm_gpuvm_bo *vm_bo;
		u64 bo_offset;
		struct sg_table *sgt;
	} map;
	struct panref_vma *prealloc[3];
	struct list_head returned;
	/* Page tables reserved up front: run_job must not allocate. */
	struct {
		void **pages;
		u32 count, used;
	} pt;
};

struct panref_bind_job {
	struct drm_sched_job base;
	struct kref ref;
	struct panref_vm *vm;
	struct panref_vm_op_ctx ctx;
	struct work_struct cleanup;
};

#define PANREF_MAP_FLAGS	(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | \
			 DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
			 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED)
#define PANREF_VM_MIN_KERNEL_VA	SZ_256M
#define PANREF_MAX_VMS_PER_FILE	32

/* ---- page tables ---------------------------------------------------------- */

/*
 * The largest page (2 MiB or 4 KiB) usable at @addr for @size, and how
 * many of them fit before the next boundary of the level above: one
 * io-pgtable call may not cross a table.
 */
static size_t panref_pgsize(u64 addr, u64 size, size_t *count)
{
	u64 to_2m = -addr & (SZ_2M - 1);
	u64 to_1g;

	if (to_2m || size < SZ_2M) {
		*count = (to_2m ? min(to_2m, size) : min_t(u64, size, SZ_2M)) / SZ_4K;
		return SZ_4K;
	}
	to_1g = -addr & (SZ_1G - 1);
	if (!to_1g)
		to_1g = SZ_1G;
	*count = min(to_1g, size) / SZ_2M;
	return SZ_2M;
}

static int panref_vm_unmap_pages(struct panref_vm *vm, u64 va, u64 size)
{
	struct io_pgtable_ops *ops = vm->pgtbl;
	u64 done = 0;

	while (done < size) {
		size_t count, pgsize = panref_pgsize(va + done, size - done, &count);
		size_t unmapped = ops->unmap_pages(ops, va + done, pgsize, count, NULL);

		if (unmapped != pgsize * count) {
			drm_err(&vm->prdev->base, "unmap of %#llx-%#llx stopped at %#llx",
				va, va + size, va + done + unmapped);
			panref_vm_flush_range(vm, va, done + unmapped);
			return -EINVAL;
		}
		done += unmapped;
	}
	return panref_vm_flush_range(vm, va, size);
}

static int panref_vm_map_pages(struct panref_vm *vm, u64 va, int prot,
			   struct sg_table *sgt, u64 offset, u64 size)
{
	struct io_pgtable_ops *ops = vm->pgtbl;
	struct scatterlist *sg;
	u64 start = va;
	unsigned int i;
	int ret;

	if (!size)
		return 0;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		dma_addr_t pa = sg_dma_address(sg);
		u64 len = sg_dma_len(sg);

		if (offset >= len) {
			offset -= len;
			continue;
		}
		pa += offset;
		len = min(len - offset, size);
		offset = 0;
		size -= len;

		while (len) {
			size_t count, mapped = 0;
			size_t pgsize = panref_pgsize(va | pa, len, &count);

			ret = ops->map_pages(ops, va, pa, pgsize, count, prot,
					     GFP_KERNEL, &mapped);
			if (!ret && !mapped)
				ret = -ENOMEM;
			va += mapped;
			pa += mapped;
			len -= mapped;
			if (ret) {
				panref_vm_unmap_pages(vm, start, va - start);
				return ret;
			}
		}
		if (!size)
			break;
	}
	return panref_vm_flush_range(vm, start, va - start);
}

static int panref_flags_to_prot(u32 flags)
{
	int prot = IOMMU_READ;

	if (!(flags & DRM_PANTHOR_VM_BIND_OP_MAP_READONLY))
		prot |= IOMMU_WRITE;
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC)
		prot |= IOMMU_NOEXEC;
	if (!(flags & DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED))
		prot |= IOMMU_CACHE;
	return prot;
}

/*
 * Translate the CPU MAIR io-pgtable chose into the GPU's MEMATTR: only
 * write-back inner and outer stays cacheable; everything else becomes
 * non-cacheable.
 */
static u64 panref_mair_to_memattr(u64 mair)
{
	u64 memattr = 0;
	int i;

	for (i = 0; i < 8; i++) {
		u8 attr = mair >> (8 * i), inner = attr & 0xf, outer = attr >> 4;
		u8 out;

		if ((outer & 3) && (outer & 4) && (inner & 4))
			out = PANREF_MEMATTR_INNER_OUTER_WB | PANREF_MEMATTR_SH_CPU_INNER |
			      PANREF_MEMATTR_ALLOC_EXPL(inner & 1, inner & 2);
		else
			out = PANREF_MEMATTR_INNER_OUTER_NC | PANREF_MEMATTR_SH_MIDGARD_INNER |
			      PANREF_MEMATTR_ALLOC_EXPL(0, 0);
		memattr |= (u64)out << (8 * i);
	}
	return memattr;
}

/*
 * Page-table pages come from a cache. Within an operation they are taken
 * from the context's reserve, filled before the operation is queued, so
 * that an asynchronous bind never allocates memory while it runs in the
 * scheduler's fence-signalling path (Panthor 6.12 does the same).
 */
static struct kmem_cache *panref_pt_cache;

int panref_mmu_pt_cache_init(void)
{
	panref_pt_cache = kmem_cache_create("panref-pt", SZ_4K, SZ_4K, 0, NULL);
	return panref_pt_cache ? 0 : -ENOMEM;
}

void panref_mmu_pt_cache_fini(void)
{
	kmem_cache_destroy(panref_pt_cache);
}

static void *panref_pt_alloc(void *cookie, size_t size, gfp_t gfp)
{
	struct panref_vm *vm = cookie;
	struct panref_vm_op_ctx *ctx = vm->op_ctx;
	void *page;

	if (WARN_ON(size != SZ_4K))
		return NULL;
	/* No operation: the root table, allocated when the VM is created. */
	if (!ctx)
		return kmem_cache_zalloc(panref_pt_cache, gfp);
	if (WARN_ON(ctx->pt.used == ctx->pt.count))
		return NULL;
	page = ctx->pt.pages[ctx->pt.used++];
	memset(page, 0, SZ_4K);
	/*
	 * From here on only its parent table points at it, by physical
	 * address, which kmemleak does not follow (Panthor 6.12 ignores its
	 * page-table pages for the same reason). Unused reserve pages stay
	 * tracked: panref_op_ctx_cleanup() frees them.
	 */
	kmemleak_ignore(page);
	return page;
}

static void panref_pt_free(void *cookie, void *page, size_t size)
{
	if (!WARN_ON(size != SZ_4K))
		kmem_cache_free(panref_pt_cache, page);
}

static int panref_op_ctx_reserve_pts(struct panref_vm_op_ctx *ctx, u32 count)
{
	int got;

	if (!count)
		return 0;
	ctx->pt.pages = kcalloc(count, sizeof(*ctx->pt.pages), GFP_KERNEL);
	if (!ctx->pt.pages)
		return -ENOMEM;
	got = kmem_cache_alloc_bulk(panref_pt_cache, GFP_KERNEL, count, ctx->pt.pages);
	ctx->pt.count = got;
	return got == count ? 0 : -ENOMEM;
}

/* io-pgtable wants TLB callbacks; panref flushes per range itself. */
static void panref_tlb_flush_all(void *cookie)
{
}

static void panref_tlb_flush_walk(unsigned long iova, size_t size, size_t granule,
			      void *cookie)
{
}

static const struct iommu_flush_ops panref_tlb_ops = {
	.tlb_flush_all = panref_tlb_flush_all,
	.tlb_flush_walk = panref_tlb_flush_walk,
};

/* ---- kernel VA ranges ------------------------------------------------------ */

int panref_vm_alloc_va(struct panref_vm *vm, u64 va, u64 size, struct drm_mm_node *node)
{
	u32 pgsz = panref_vm_page_size(vm);
	int ret;

	if (!size || !IS_ALIGNED(size, pgsz))
		return -EINVAL;
	if (va != PANREF_VM_KERNEL_AUTO_VA && !IS_ALIGNED(va, pgsz))
		return -EINVAL;

	mutex_lock(&vm->mm_lock);
	if (va != PANREF_VM_KERNEL_AUTO_VA) {
		node->start = va;
		node->size = size;
		ret = drm_mm_reserve_node(&vm->mm, node);
	} else {
		ret = drm_mm_insert_node_in_range(&vm->mm, node, size,
						  size >= SZ_2M ? SZ_2M : SZ_4K, 0,
						  vm->auto_va_start, vm->auto_va_end,
						  DRM_MM_INSERT_BEST);
	}
	mutex_unlock(&vm->mm_lock);
	return ret;
}

void panref_vm_free_va(struct panref_vm *vm, struct drm_mm_node *node)
{
	mutex_lock(&vm->mm_lock);
	drm_mm_remove_node(node);
	mutex_unlock(&vm->mm_lock);
}

/* ---- operation contexts ------------------------------------------------- */

static void panref_vm_bo_put(struct drm_gpuvm_bo *vm_bo)
{
	struct panref_bo *bo = to_pr_bo(vm_bo->obj);
	struct drm_gpuvm *gpuvm = vm_bo->vm;
	bool gone;

	/* Both may go away with the last vm_bo reference: hold them. */
	drm_gem_object_get(&bo->base.base);
	drm_gpuvm_get(gpuvm);

	/* The VM resv protects the extobj/evict lists drm_gpuvm updates. */
	dma_resv_lock(drm_gpuvm_resv(gpuvm), NULL);
	mutex_lock(&bo->gpuva_lock);
	gone = drm_gpuvm_bo_put(vm_bo);
	mutex_unlock(&bo->gpuva_lock);
	dma_resv_unlock(drm_gpuvm_resv(gpuvm));

	/* The vm_bo held the BO's pages pinned. */
	if (gone && !bo->base.base.import_attach)
		drm_gem_shmem_unpin(&bo->base);

	drm_gpuvm_put(gpuvm);
	drm_gem_object_put(&bo->base.base);
}

static void panref_op_ctx_cleanup(struct panref_vm_op_ctx *ctx)
{
	struct panref_vma *vma, *tmp;
	unsigned int i;

	if (ctx->pt.count > ctx->pt.used)
		kmem_cache_free_bulk(panref_pt_cache, ctx->pt.count - ctx->pt.used,
				     ctx->pt.pages + ctx->pt.used);
	kfree(ctx->pt.pages);
	ctx->pt.pages = NULL;
	ctx->pt.count = 0;
	ctx->pt.used = 0;
	if (ctx->map.vm_bo)
		panref_vm_bo_put(ctx->map.vm_bo);
	ctx->map.vm_bo = NULL;
	for (i = 0; i < ARRAY_SIZE(ctx->prealloc); i++) {
		kfree(ctx->prealloc[i]);
		ctx->prealloc[i] = NULL;
	}
	list_for_each_entry_safe(vma, tmp, &ctx->returned, node) {
		list_del(&vma->node);
		panref_vm_bo_put(vma->base.vm_bo);
		kfree(vma);
	}
}

static struct panref_vma *panref_op_ctx_take_vma(struct panref_vm_op_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ctx->prealloc); i++) {
		struct panref_vma *vma = ctx->prealloc[i];

		if (vma) {
			ctx->prealloc[i] = NULL;
			INIT_LIST_HEAD(&vma->node);
			return vma;
		}
	}
	return NULL;
}

static void panref_op_ctx_give_back_vma(struct panref_vm_op_ctx *ctx, struct panref_vma *vma)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ctx->prealloc); i++) {
		if (!ctx->prealloc[i]) {
			ctx->prealloc[i] = vma;
			return;
		}
	}
	kfree(vma);
}

/* A map needs its VMA plus a prev and next remainder; an unmap two. */
static int panref_op_ctx_prealloc(struct panref_vm_op_ctx *ctx, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		ctx->prealloc[i] = kzalloc(sizeof(*ctx->prealloc[i]), GFP_KERNEL);
		if (!ctx->prealloc[i])
			return -ENOMEM;
	}
	return 0;
}

static void panref_op_ctx_init(struct panref_vm_op_ctx *ctx, u32 flags, u64 va, u64 range)
{
	memset(ctx, 0, sizeof(*ctx));
	INIT_LIST_HEAD(&ctx->returned);
	ctx->flags = flags;
	ctx->va = va;
	ctx->range = range;
}

/* How many naturally aligned 1 << @shift blocks [va, va + size) touches. */
static u64 panref_tables_spanned(u64 va, u64 size, unsigned int shift)
{
	return (ALIGN(va + size, 1ull << shift) - ALIGN_DOWN(va, 1ull << shift)) >> shift;
}

static int panref_prepare_map(struct panref_vm_op_ctx *ctx, struct panref_vm *vm,
			  struct panref_bo *bo, u64 offset, u64 size, u64 va, u32 flags)
{
	bool imported;
	struct drm_gpuvm_bo *fresh;
	struct sg_table *sgt;
	int ret;

	if (!bo)
		return -EINVAL;
	if ((flags & ~(PANREF_MAP_FLAGS | DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)) ||
	    (flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) != DRM_PANTHOR_VM_BIND_OP_TYPE_MAP)
		return -EINVAL;
	if (size > bo->base.base.size || offset > bo->base.base.size - size)
		return -EINVAL;
	/* A BO private to one VM maps into that VM only. */
	if (bo->exclusive_vm_root && bo->exclusive_vm_root != panref_vm_root_gem(vm))
		return -EINVAL;

	panref_op_ctx_init(ctx, flags, va, size);
	ret = panref_op_ctx_prealloc(ctx, 3);
	if (ret)
		goto err;

	imported = !!bo->base.base.import_attach;
	if (!imported) {
		ret = drm_gem_shmem_pin(&bo->base);
		if (ret)
			goto err;
	}
	sgt = drm_gem_shmem_get_pages_sgt(&bo->base);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_unpin;
	}
	ctx->map.sgt = sgt;

	fresh = drm_gpuvm_bo_create(&vm->base, &bo->base.base);
	if (!fresh) {
		ret = -ENOMEM;
		goto err_unpin;
	}
	/* An existing <VM, BO> pair wins; it already holds a pin. */
	dma_resv_lock(drm_gpuvm_resv(&vm->base), NULL);
	mutex_lock(&bo->gpuva_lock);
	ctx->map.vm_bo = drm_gpuvm_bo_obtain_prealloc(fresh);
	mutex_unlock(&bo->gpuva_lock);
	dma_resv_unlock(drm_gpuvm_resv(&vm->base));
	if (ctx->map.vm_bo != fresh && !imported)
		drm_gem_shmem_unpin(&bo->base);
	ctx->map.bo_offset = offset;

	/*
	 * Level 1, 2 and 3 tables the range may need (level 0 exists): one per
	 * 512 GiB, 1 GiB and 2 MiB it touches. Unused ones go back after.
	 */
	ret = panref_op_ctx_reserve_pts(ctx, panref_tables_spanned(va, size, 39) +
				    panref_tables_spanned(va, size, 30) +
				    panref_tables_spanned(va, size, 21));
	if (ret)
		goto err;

	dma_resv_lock(drm_gpuvm_resv(&vm->base), NULL);
	drm_gpuvm_bo_extobj_add(ctx->map.vm_bo);
	dma_resv_unlock(drm_gpuvm_resv(&vm->base));
	return 0;

err_unpin:
	if (!imported)
		drm_gem_shmem_unpin(&bo->base);
err:
	panref_op_ctx_cleanup(ctx);
	return ret;
}

static int panref_prepare_unmap(struct panref_vm_op_ctx *ctx, u64 va, u64 size)
{
	u32 pts = 0;
	int ret;

	panref_op_ctx_init(ctx, DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, va, size);
	/* Unmapping part of a 2 MiB block splits it: one level-3 table per end. */
	if (!IS_ALIGNED(va, SZ_2M))
		pts++;
	if (!IS_ALIGNED(va + size, SZ_2M) && ALIGN(va + size, SZ_2M) != ALIGN(va, SZ_2M))
		pts++;
	ret = panref_op_ctx_prealloc(ctx, 2);
	if (!ret)
		ret = panref_op_ctx_reserve_pts(ctx, pts);
	if (ret)
		panref_op_ctx_cleanup(ctx);
	return ret;
}

/* ---- drm_gpuvm callbacks ---------------------------------------------------- */

static void panref_vma_link(struct panref_vma *vma, struct drm_gpuvm_bo *vm_bo)
{
	struct panref_bo *bo = to_pr_bo(vma->base.gem.obj);

	mutex_lock(&bo->gpuva_lock);
	drm_gpuva_link(&vma->base, vm_bo);
	/* The VMA now holds the reference it was given through @vm_bo. */
	WARN_ON(drm_gpuvm_bo_put(vm_bo));
	mutex_unlock(&bo->gpuva_lock);
}

/*
 * Unlinked VMAs are freed after the operation, outside the locks, with
 * the vm_bo reference they keep until then.
 */
static void panref_vma_unlink(struct panref_vm *vm, struct panref_vma *vma)
{
	struct panref_bo *bo = to_pr_bo(vma->base.gem.obj);
	struct drm_gpuvm_bo *vm_bo = drm_gpuvm_bo_get(vma->base.vm_bo);

	mutex_lock(&bo->gpuva_lock);
	drm_gpuva_unlink(&vma->base);
	mutex_unlock(&bo->gpuva_lock);
	vma->base.vm_bo = vm_bo;
	list_add_tail(&vma->node, &vm->op_ctx->returned);
}

static int panref_sm_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct panref_vm *vm = priv;
	struct panref_vm_op_ctx *ctx = vm->op_ctx;
	struct panref_vma *vma = panref_op_ctx_take_vma(ctx);
	int ret;

	if (!vma)
		return -EINVAL;
	vma->flags = ctx->flags & PANREF_MAP_FLAGS;
	ret = panref_vm_map_pages(vm, op->map.va.addr, panref_flags_to_prot(vma->flags),
			      ctx->map.sgt, op->map.gem.offset, op->map.va.range);
	if (ret) {
		panref_op_ctx_give_back_vma(ctx, vma);
		return ret;
	}
	drm_gpuva_map(&vm->base, &vma->base, &op->map);
	panref_vma_link(vma, ctx->map.vm_bo);
	ctx->map.vm_bo = NULL;	/* owned by the VMA now */
	return 0;
}

static int panref_sm_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct panref_vma *old = container_of(op->remap.unmap->va, struct panref_vma, base);
	struct panref_vm *vm = priv;
	struct panref_vm_op_ctx *ctx = vm->op_ctx;
	struct panref_vma *prev = NULL, *next = NULL;
	u64 start, range;
	int ret;

	drm_gpuva_op_remap_to_unmap_range(&op->remap, &start, &range);
	ret = panref_vm_unmap_pages(vm, start, range);
	if (ret)
		return ret;

	if (op->remap.prev) {
		prev = panref_op_ctx_take_vma(ctx);
		prev->flags = old->flags;
	}
	if (op->remap.next) {
		next = panref_op_ctx_take_vma(ctx);
		next->flags = old->flags;
	}
	drm_gpuva_remap(prev ? &prev->base : NULL, next ? &next->base : NULL,
			&op->remap);
	if (prev)
		panref_vma_link(prev, drm_gpuvm_bo_get(op->remap.unmap->va->vm_bo));
	if (next)
		panref_vma_link(next, drm_gpuvm_bo_get(op->remap.unmap->va->vm_bo));
	panref_vma_unlink(vm, old);
	return 0;
}

static int panref_sm_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct panref_vma *vma = container_of(op->unmap.va, struct panref_vma, base);
	struct panref_vm *vm = priv;
	int ret;

	ret = panref_vm_unmap_pages(vm, vma->base.va.addr, vma->base.va.range);
	if (ret)
		return ret;
	drm_gpuva_unmap(&op->unmap);
	panref_vma_unlink(vm, vma);
	return 0;
}

static void panref_vm_free(struct drm_gpuvm *gpuvm)
{
	struct panref_vm *vm = container_of(gpuvm, struct panref_vm, base);
	struct panref_device *prdev = vm->prdev;

	mutex_lock(&prdev->mmu.vms_lock);
	list_del(&vm->node);
	/* No job can be left: restart a queue a reset stopped, to tear it down. */
	if (prdev->vm_reset_in_progress)
		drm_sched_start(&vm->sched);
	mutex_unlock(&prdev->mmu.vms_lock);

	drm_sched_entity_destroy(&vm->entity);
	drm_sched_fini(&vm->sched);

	panref_vm_drop_as(vm);

	free_io_pgtable_ops(vm->pgtbl);
	drm_mm_takedown(&vm->mm);
	mutex_destroy(&vm->heaps_lock);
	mutex_destroy(&vm->mm_lock);
	mutex_destroy(&vm->op_lock);
	kfree(vm);
}

static const struct drm_gpuvm_ops panref_gpuvm_ops = {
	.vm_free = panref_vm_free,
	.sm_step_map = panref_sm_step_map,
	.sm_step_remap = panref_sm_step_remap,
	.sm_step_unmap = panref_sm_step_unmap,
};

struct drm_gem_object *panref_vm_root_gem(struct panref_vm *vm)
{
	return vm ? vm->base.r_obj : NULL;
}

struct panref_vm *panref_vm_get(struct panref_vm *vm)
{
	if (vm)
		drm_gpuvm_get(&vm->base);
	return vm;
}

void panref_vm_put(struct panref_vm *vm)
{
	if (vm)
		drm_gpuvm_put(&vm->base);
}

/* ---- running an operation ------------------------------------------------- */

static int panref_vm_exec_op(struct panref_vm *vm, struct panref_vm_op_ctx *ctx,
			 bool unusable_on_failure)
{
	u32 type = ctx->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;
	int ret;

	if (type == DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY)
		return 0;

	mutex_lock(&vm->op_lock);
	vm->op_ctx = ctx;
	if (type == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP) {
		ret = vm->unusable ? -EINVAL :
		      drm_gpuvm_sm_map(&vm->base, vm, ctx->va, ctx->range,
				       ctx->map.vm_bo->obj, ctx->map.bo_offset);
	} else if (type == DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP) {
		ret = drm_gpuvm_sm_unmap(&vm->base, vm, ctx->va, ctx->range);
	} else {
		ret = -EINVAL;
	}
	/* A failed asynchronous bind leaves the VM in an unknown state. */
	if (ret && unusable_on_failure)
		vm->unusable = true;
	vm->op_ctx = NULL;
	mutex_unlock(&vm->op_lock);
	return ret;
}

int panref_vm_map_bo_range(struct panref_vm *vm, struct panref_bo *bo, u64 offset,
		       u64 size, u64 va, u32 flags)
{
	struct panref_vm_op_ctx ctx;
	int ret;

	ret = panref_prepare_map(&ctx, vm, bo, offset, size, va, flags);
	if (ret)
		return ret;
	ret = panref_vm_exec_op(vm, &ctx, false);
	panref_op_ctx_cleanup(&ctx);
	return ret;
}

int panref_vm_unmap_range(struct panref_vm *vm, u64 va, u64 size)
{
	struct panref_vm_op_ctx ctx;
	int ret;

	ret = panref_prepare_unmap(&ctx, va, size);
	if (ret)
		return ret;
	ret = panref_vm_exec_op(vm, &ctx, false);
	panref_op_ctx_cleanup(&ctx);
	return ret;
}

/*
 * Validate one drm_panthor_vm_bind_op and prepare its context; the checks
 * and their order are Panthor 6.12's (panthor_vm_bind_prepare_op_ctx).
 */
static int panref_vm_bind_prepare(struct drm_file *file, struct panref_vm *vm,
			      const struct drm_panthor_vm_bind_op *op,
			      struct panref_vm_op_ctx *ctx)
{
	struct drm_gem_object *gem;
	int ret;

	if (!IS_ALIGNED(op->va | op->size | op->bo_offset, panref_vm_page_size(vm)))
		return -EINVAL;
	/* The kernel's part of the VA space is not for userspace. */
	if (range_overflows(op->va, op->size, vm->user_va_range))
		return -EINVAL;

	switch (op->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) {
	case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP:
		gem = drm_gem_object_lookup(file, op->bo_handle);
		ret = panref_prepare_map(ctx, vm, gem ? to_pr_bo(gem) : NULL,
				     op->bo_offset, op->size, op->va, op->flags);
		drm_gem_object_put(gem);
		return ret;

	case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
		if (op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)
			return -EINVAL;
		if (op->bo_handle || op->bo_offset)
			return -EINVAL;
		return panref_prepare_unmap(ctx, op->va, op->size);

	case DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY:
		if (op->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)
			return -EINVAL;
		if (op->bo_handle || op->bo_offset || op->va || op->size)
			return -EINVAL;
		if (!op->syncs.count)
			return -EINVAL;
		panref_op_ctx_init(ctx, DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0);
		return 0;

	default:
		return -EINVAL;
	}
}

int panref_vm_bind_exec_sync_op(struct drm_file *file, struct panref_vm *vm,
			    const struct drm_panthor_vm_bind_op *op)
{
	struct panref_vm_op_ctx ctx;
	int ret;

	/* Synchronous binds take no sync objects (Panthor 6.12: EINVAL). */
	if (op->syncs.count)
		return -EINVAL;
	/* ... and a zero size is a no-op, before any other check. */
	if (!op->size)
		return 0;

	ret = panref_vm_bind_prepare(file, vm, op, &ctx);
	if (ret)
		return ret;
	ret = panref_vm_exec_op(vm, &ctx, false);
	panref_op_ctx_cleanup(&ctx);
	return ret;
}

/* ---- asynchronous VM_BIND jobs ---------------------------------------------- */

static void panref_bind_job_release(struct kref *ref)
{
	struct panref_bind_job *job = container_of(ref, struct panref_bind_job, ref);

	if (job->base.s_fence)
		drm_sched_job_cleanup(&job->base);
	panref_op_ctx_cleanup(&job->ctx);
	panref_vm_put(job->vm);
	kfree(job);
}

void panref_vm_bind_job_put(struct drm_sched_job *sched_job)
{
	struct panref_bind_job *job = container_of(sched_job, struct panref_bind_job, base);

	if (sched_job)
		kref_put(&job->ref, panref_bind_job_release);
}

static void panref_bind_job_cleanup_work(struct work_struct *work)
{
	struct panref_bind_job *job = container_of(work, struct panref_bind_job, cleanup);

	CLASS(panref_kcov, kc)(job->vm->prdev);

	panref_vm_bind_job_put(&job->base);
}

static struct dma_fence *panref_bind_run_job(struct drm_sched_job *sched_job)
{
	struct panref_bind_job *job = container_of(sched_job, struct panref_bind_job, base);
	bool cookie;
	int ret;

	CLASS(panref_kcov, kc)(job->vm->prdev);

	/*
	 * A failure here is reported through the finished fence and leaves
	 * the VM unusable: userspace must recreate it (Panthor 6.12 too).
	 */
	cookie = dma_fence_begin_signalling();
	ret = panref_vm_exec_op(job->vm, &job->ctx, true);
	dma_fence_end_signalling(cookie);
	return ret ? ERR_PTR(ret) : NULL;
}

/*
 * The cleanup takes resv locks: do it from a workqueue, out of the
 * scheduler's fence-signalling path.
 */
static void panref_bind_free_job(struct drm_sched_job *sched_job)
{
	struct panref_bind_job *job = container_of(sched_job, struct panref_bind_job, base);

	CLASS(panref_kcov, kc)(job->vm->prdev);

	drm_sched_job_cleanup(sched_job);
	queue_work(panref_cleanup_wq, &job->cleanup);
}

static enum drm_gpu_sched_stat panref_bind_timedout_job(struct drm_sched_job *sched_job)
{
	/* Binds run to completion in run_job: there is no timeout. */
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static const struct drm_sched_backend_ops panref_bind_sched_ops = {
	.run_job = panref_bind_run_job,
	.free_job = panref_bind_free_job,
	.timedout_job = panref_bind_timedout_job,
};

struct drm_sched_job *panref_vm_bind_job_create(struct drm_file *file,
					    struct panref_vm *vm,
					    const struct drm_panthor_vm_bind_op *op)
{
	struct panref_bind_job *job;
	int ret;

	if (!vm)
		return ERR_PTR(-EINVAL);
	if (vm->destroyed || vm->unusable)
		return ERR_PTR(-EINVAL);

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return ERR_PTR(-ENOMEM);
	ret = panref_vm_bind_prepare(file, vm, op, &job->ctx);
	if (ret) {
		kfree(job);
		return ERR_PTR(ret);
	}
	INIT_WORK(&job->cleanup, panref_bind_job_cleanup_work);
	kref_init(&job->ref);
	job->vm = panref_vm_get(vm);

	ret = drm_sched_job_init(&job->base, &vm->entity, 1, vm, file->client_id);
	if (ret) {
		panref_vm_bind_job_put(&job->base);
		return ERR_PTR(ret);
	}
	return &job->base;
}

int panref_vm_bind_job_prepare_resvs(struct drm_exec *exec, struct drm_sched_job *sched_job)
{
	struct panref_bind_job *job = container_of(sched_job, struct panref_bind_job, base);
	int ret;

	ret = drm_gpuvm_prepare_vm(&job->vm->base, exec, 1);
	if (ret)
		return ret;
	if (job->ctx.map.vm_bo)
		return drm_exec_prepare_obj(exec, job->ctx.map.vm_bo->obj, 1);
	return 0;
}

void panref_vm_bind_job_update_resvs(struct drm_exec *exec, struct drm_sched_job *sched_job)
{
	struct panref_bind_job *job = container_of(sched_job, struct panref_bind_job, base);

	/* Explicit synchronisation: the fence is only for bookkeeping. */
	drm_gpuvm_resv_add_fence(&job->vm->base, exec, &sched_job->s_fence->finished,
				 DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
}

/*
 * GROUP_SUBMIT: the VM's reservation object and those of the BOs mapped
 * in it (external ones) get @slots fence slots.
 */
int panref_vm_prepare_mapped_bos_resvs(struct drm_exec *exec, struct panref_vm *vm, u32 slots)
{
	int ret;

	ret = drm_gpuvm_prepare_vm(&vm->base, exec, slots);
	if (ret)
		return ret;
	return drm_gpuvm_prepare_objects(&vm->base, exec, slots);
}

/* The VM's heap pool, made on first use when @create; NULL if none. */
struct panref_heap_pool *panref_vm_get_heap_pool(struct panref_vm *vm, bool create)
{
	struct panref_heap_pool *pool;

	mutex_lock(&vm->heaps_lock);
	if (!vm->heaps && create && !vm->destroyed) {
		pool = panref_heap_pool_create(vm->prdev, vm);
		if (IS_ERR(pool)) {
			mutex_unlock(&vm->heaps_lock);
			return pool;
		}
		vm->heaps = pool;
	}
	pool = vm->heaps ? panref_heap_pool_get(vm->heaps) : ERR_PTR(-ENOENT);
	mutex_unlock(&vm->heaps_lock);
	return pool;
}

/* ---- VM life cycle ---------------------------------------------------------- */

struct panref_vm *panref_vm_create(struct panref_device *prdev, bool for_mcu,
			   u64 kva_start, u64 kva_size,
			   u64 auto_va_start, u64 auto_va_size)
{
	u32 va_bits = PANREF_MMU_VA_BITS(prdev->gpu_info.mmu_features);
	u32 pa_bits = PANREF_MMU_PA_BITS(prdev->gpu_info.mmu_features);
	const struct drm_sched_init_args sched_args = {
		.ops = &panref_bind_sched_ops,
		.submit_wq = prdev->mmu.bind_wq,
		.num_rqs = 1,
		.credit_limit = 1,
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.name = "panref-vm-bind",
		.dev = prdev->base.dev,
	};
	struct io_pgtable_cfg cfg = {
		.pgsize_bitmap = SZ_4K | SZ_2M,
		.ias = va_bits,
		.oas = pa_bits,
		.coherent_walk = prdev->coherent,
		.tlb = &panref_tlb_ops,
		.iommu_dev = prdev->base.dev,
		.alloc = panref_pt_alloc,
		.free = panref_pt_free,
	};
	struct drm_gpu_scheduler *sched;
	struct drm_gem_object *resv_gem;
	struct panref_vm *vm;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	resv_gem = drm_gpuvm_resv_object_alloc(&prdev->base);
	if (!resv_gem) {
		ret = -ENOMEM;
		goto err_free;
	}

	vm->prdev = prdev;
	vm->for_mcu = for_mcu;
	vm->user_va_range = kva_start;
	vm->as_id = -1;
	refcount_set(&vm->as_active, 0);
	INIT_LIST_HEAD(&vm->as_lru);
	INIT_LIST_HEAD(&vm->node);
	mutex_init(&vm->op_lock);
	mutex_init(&vm->mm_lock);
	mutex_init(&vm->heaps_lock);
	drm_mm_init(&vm->mm, kva_start, kva_size);
	vm->auto_va_start = auto_va_start;
	vm->auto_va_end = auto_va_start + auto_va_size - 1;

	vm->pgtbl = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &cfg, vm);
	if (!vm->pgtbl) {
		ret = -EINVAL;
		goto err_mm;
	}
	vm->memattr = panref_mair_to_memattr(io_pgtable_ops_to_pgtable(vm->pgtbl)->cfg.arm_lpae_s1_cfg.mair);

	ret = drm_sched_init(&vm->sched, &sched_args);
	if (ret)
		goto err_pgtbl;
	sched = &vm->sched;
	ret = drm_sched_entity_init(&vm->entity, 0, &sched, 1, NULL);
	if (ret)
		goto err_sched;

	mutex_lock(&prdev->mmu.vms_lock);
	list_add_tail(&vm->node, &prdev->mmu.vms);
	/* A bind queue created during a reset waits for its end. */
	if (prdev->vm_reset_in_progress)
		drm_sched_stop(&vm->sched, NULL);
	mutex_unlock(&prdev->mmu.vms_lock);

	/* The MCU addresses 4 GiB; user VMs the whole VA width. */
	drm_gpuvm_init(&vm->base, for_mcu ? "panref-MCU-VM" : "panref-GPU-VM",
		       DRM_GPUVM_RESV_PROTECTED, &prdev->base, resv_gem, 0,
		       for_mcu ? SZ_4G : 1ull << va_bits, 0, 0, &panref_gpuvm_ops);
	drm_gem_object_put(resv_gem);
	return vm;

err_sched:
	drm_sched_fini(&vm->sched);
err_pgtbl:
	free_io_pgtable_ops(vm->pgtbl);
err_mm:
	drm_mm_takedown(&vm->mm);
	drm_gem_object_put(resv_gem);
err_free:
	kfree(vm);
	return ERR_PTR(ret);
}

static void panref_vm_destroy(struct panref_vm *vm)
{
	if (!vm)
		return;
	vm->destroyed = true;
	/* Heap chunks hold references on the VM: the pool goes first. */
	mutex_lock(&vm->heaps_lock);
	panref_heap_pool_destroy(vm->heaps);
	vm->heaps = NULL;
	mutex_unlock(&vm->heaps_lock);
	WARN_ON(panref_vm_unmap_range(vm, vm->base.mm_start, vm->base.mm_range));
	panref_vm_put(vm);
}

/*
 * VM_CREATE: by default userspace gets the CPU's address range (so CPU and
 * GPU pointers can match) or, if the GPU's is smaller, half of it above
 * 4 GiB; the kernel keeps at least 256 MiB, a power of two, at the top.
 * Panthor 6.12: panthor_vm_create_check_args().
 */
static int panref_vm_create_check_args(struct panref_device *prdev,
				   const struct drm_panthor_vm_create *args,
				   u64 *kva_start, u64 *kva_size)
{
	u64 full = 1ull << PANREF_MMU_VA_BITS(prdev->gpu_info.mmu_features);
	u64 user;

	if (args->flags)
		return -EINVAL;
	if (full < PANREF_VM_MIN_KERNEL_VA)
		return -EINVAL;

	if (args->user_va_range)
		user = args->user_va_range;
	else if (TASK_SIZE_OF(current) < full)
		user = TASK_SIZE_OF(current);
	else
		user = full > SZ_4G ? full / 2 : full - PANREF_VM_MIN_KERNEL_VA;
	if (user > full - PANREF_VM_MIN_KERNEL_VA)
		user = full - PANREF_VM_MIN_KERNEL_VA;

	if (!user || (args->user_va_range && args->user_va_range > user))
		return -EINVAL;

	*kva_size = rounddown_pow_of_two(full - user);
	*kva_start = full - *kva_size;
	return 0;
}

int panref_vm_pool_create(struct panref_vm_pool **pool)
{
	*pool = kzalloc(sizeof(**pool), GFP_KERNEL);
	if (!*pool)
		return -ENOMEM;
	xa_init_flags(&(*pool)->xa, XA_FLAGS_ALLOC1);
	return 0;
}

void panref_vm_pool_destroy(struct panref_vm_pool *pool)
{
	struct panref_vm *vm;
	unsigned long i;

	if (!pool)
		return;
	xa_for_each(&pool->xa, i, vm)
		panref_vm_destroy(vm);
	xa_destroy(&pool->xa);
	kfree(pool);
}

int panref_vm_pool_create_vm(struct panref_device *prdev, struct panref_vm_pool *pool,
			 struct drm_panthor_vm_create *args)
{
	u64 kva_start, kva_size;
	struct panref_vm *vm;
	u32 id;
	int ret;

	ret = panref_vm_create_check_args(prdev, args, &kva_start, &kva_size);
	if (ret)
		return ret;
	vm = panref_vm_create(prdev, false, kva_start, kva_size, kva_start, kva_size);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	ret = xa_alloc(&pool->xa, &id, vm, XA_LIMIT(1, PANREF_MAX_VMS_PER_FILE),
		       GFP_KERNEL);
	if (ret) {
		panref_vm_put(vm);
		return ret;
	}
	args->user_va_range = kva_start;
	return id;
}

int panref_vm_pool_destroy_vm(struct panref_vm_pool *pool, u32 id)
{
	struct panref_vm *vm = xa_erase(&pool->xa, id);

	if (!vm)
		return -EINVAL;
	panref_vm_destroy(vm);
	return 0;
}

struct panref_vm *panref_vm_pool_get_vm(struct panref_vm_pool *pool, u32 id)
{
	struct panref_vm *vm;

	xa_lock(&pool->xa);
	vm = panref_vm_get(xa_load(&pool->xa, id));
	xa_unlock(&pool->xa);
	return vm;
}
