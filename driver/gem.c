// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: buffer objects (drm_gem_shmem) and kernel-owned BOs mapped into
 * a VM (firmware sections).
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>

#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>

#include "panref.h"

static void panref_gem_free(struct drm_gem_object *obj)
{
	struct panref_bo *bo = to_pr_bo(obj);
	struct drm_gem_object *root = bo->exclusive_vm_root;

	drm_gem_free_mmap_offset(obj);
	mutex_destroy(&bo->gpuva_lock);
	drm_gem_shmem_free(&bo->base);
	drm_gem_object_put(root);
}

/* NO_MMAP BOs refuse mmap() (Panthor 6.12: EINVAL from the GEM mmap). */
static int panref_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	if (to_pr_bo(obj)->flags & DRM_PANTHOR_BO_NO_MMAP)
		return -EINVAL;
	return drm_gem_shmem_object_mmap(obj, vma);
}

/* A BO private to one VM shares that VM's resv: it cannot be exported. */
static struct dma_buf *panref_gem_export(struct drm_gem_object *obj, int flags)
{
	if (to_pr_bo(obj)->exclusive_vm_root)
		return ERR_PTR(-EINVAL);
	return drm_gem_prime_export(obj, flags);
}

static const struct drm_gem_object_funcs panref_gem_funcs = {
	.free = panref_gem_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = panref_gem_mmap,
	.export = panref_gem_export,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

struct drm_gem_object *panref_gem_create_object(struct drm_device *ddev, size_t size)
{
	struct panref_device *prdev = to_pr_device(ddev);
	struct panref_bo *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->base.base.funcs = &panref_gem_funcs;
	/* Without coherency the CPU maps write-combined. */
	bo->base.map_wc = !prdev->coherent;
	mutex_init(&bo->gpuva_lock);
	drm_gem_gpuva_set_lock(&bo->base.base, &bo->gpuva_lock);
	return &bo->base.base;
}

static void panref_bo_set_exclusive(struct panref_bo *bo, struct panref_vm *vm)
{
	bo->exclusive_vm_root = panref_vm_root_gem(vm);
	drm_gem_object_get(bo->exclusive_vm_root);
	bo->base.base.resv = bo->exclusive_vm_root->resv;
}

int panref_gem_create_with_handle(struct drm_file *file, struct drm_device *ddev,
			      struct panref_vm *exclusive_vm, u64 *size, u32 flags,
			      u32 *handle)
{
	struct drm_gem_shmem_object *shmem;
	struct panref_bo *bo;
	int ret;

	shmem = drm_gem_shmem_create(ddev, *size);
	if (IS_ERR(shmem))
		return PTR_ERR(shmem);
	bo = to_pr_bo(&shmem->base);
	bo->flags = flags;
	if (exclusive_vm)
		panref_bo_set_exclusive(bo, exclusive_vm);

	/*
	 * Write-combined: build the sg table now, which cleans the CPU caches
	 * of the zeroed pages before any uncached mapping sees them.
	 */
	if (shmem->map_wc) {
		struct sg_table *sgt = drm_gem_shmem_get_pages_sgt(shmem);

		if (IS_ERR(sgt)) {
			ret = PTR_ERR(sgt);
			goto out_put;
		}
	}

	ret = drm_gem_handle_create(file, &shmem->base, handle);
	if (!ret)
		*size = shmem->base.size;	/* page-rounded */
out_put:
	drm_gem_object_put(&shmem->base);
	return ret;
}

/* ---- kernel BOs ------------------------------------------------------------- */

struct panref_kbo *panref_kbo_create(struct panref_device *prdev, struct panref_vm *vm,
			     size_t size, u32 bo_flags, u32 map_flags, u64 va)
{
	struct drm_gem_shmem_object *shmem;
	struct panref_kbo *kbo;
	struct panref_bo *bo;
	int ret;

	if (WARN_ON(!vm))
		return ERR_PTR(-EINVAL);
	kbo = kzalloc(sizeof(*kbo), GFP_KERNEL);
	if (!kbo)
		return ERR_PTR(-ENOMEM);

	shmem = drm_gem_shmem_create(&prdev->base, size);
	if (IS_ERR(shmem)) {
		ret = PTR_ERR(shmem);
		goto err_free;
	}
	bo = to_pr_bo(&shmem->base);
	bo->flags = bo_flags;
	panref_bo_set_exclusive(bo, vm);
	kbo->obj = &shmem->base;

	/* Map exactly what was asked for, in GPU pages. */
	size = ALIGN(size, panref_vm_page_size(vm));
	ret = panref_vm_alloc_va(vm, va, size, &kbo->va_node);
	if (ret)
		goto err_put;
	ret = panref_vm_map_bo_range(vm, bo, 0, size, kbo->va_node.start, map_flags);
	if (ret)
		goto err_va;
	kbo->vm = panref_vm_get(vm);
	return kbo;

err_va:
	panref_vm_free_va(vm, &kbo->va_node);
err_put:
	drm_gem_object_put(kbo->obj);
err_free:
	kfree(kbo);
	return ERR_PTR(ret);
}

int panref_kbo_vmap(struct panref_kbo *kbo)
{
	int ret;

	if (kbo->kmap)
		return 0;
	ret = drm_gem_vmap_unlocked(kbo->obj, &kbo->map);
	if (ret)
		return ret;
	kbo->kmap = kbo->map.vaddr;
	return 0;
}

/*
 * A driver-owned BO (no CPU mmap for userspace) at a VA the kernel picks in
 * @vm, mapped with @map_flags and already vmapped for the CPU.
 */
struct panref_kbo *panref_kbo_create_vmapped(struct panref_device *prdev, struct panref_vm *vm,
					     size_t size, u32 map_flags)
{
	struct panref_kbo *kbo;
	int ret;

	kbo = panref_kbo_create(prdev, vm, size, DRM_PANTHOR_BO_NO_MMAP, map_flags,
				PANREF_VM_KERNEL_AUTO_VA);
	if (IS_ERR(kbo))
		return kbo;
	ret = panref_kbo_vmap(kbo);
	if (ret) {
		panref_kbo_destroy(kbo);
		return ERR_PTR(ret);
	}
	return kbo;
}

void panref_kbo_destroy(struct panref_kbo *kbo)
{
	struct panref_vm *vm;

	if (IS_ERR_OR_NULL(kbo))
		return;
	vm = kbo->vm;
	if (kbo->kmap)
		drm_gem_vunmap_unlocked(kbo->obj, &kbo->map);
	panref_vm_unmap_range(vm, kbo->va_node.start, kbo->va_node.size);
	panref_vm_free_va(vm, &kbo->va_node);
	drm_gem_object_put(kbo->obj);
	panref_vm_put(vm);
	kfree(kbo);
}
