// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * panref: tiler heaps - TILER_HEAP_CREATE/DESTROY and growing a heap when
 * the firmware reports TILER_OOM.
 *
 * A VM has one heap pool: a kernel BO of 128 heap contexts (one L2 line
 * each, the tiler's view of a heap) and the heaps themselves, each a list
 * of chunk BOs whose first 8 bytes link to the next chunk as
 * (VA | size >> 12). The sizes, limits and the encoding of the links are
 * the uAPI's and the hardware's (Panthor 6.12's panthor_heap.c gives the
 * same results); the code is panref's.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rwsem.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "panref.h"

#define PANREF_HEAPS_PER_POOL	128
#define PANREF_HEAP_CTX_SIZE	32
/* Initial chunks of one heap, in bytes (Mesa: 5 chunks of 2 MiB by default). */
#define PANREF_HEAP_INITIAL_MAX	SZ_64M

/**
 * struct panref_heap_chunk - one chunk of a tiler heap
 * @node: place in &panref_heap.chunks (newest first)
 * @bo: the chunk's memory, mapped in the heap's VM
 */
struct panref_heap_chunk {
	struct list_head node;
	struct panref_kbo *bo;
};

/**
 * struct panref_heap - a tiler heap
 * @chunks: its chunks, the most recently added first
 * @chunk_size: bytes per chunk
 * @chunk_count: number of chunks in @chunks
 * @max_chunks: the most it may grow to
 * @target_in_flight: render passes in flight above which it does not grow
 */
struct panref_heap {
	struct list_head chunks;
	u32 chunk_size;
	u32 chunk_count;
	u32 max_chunks;
	u32 target_in_flight;
};

/**
 * struct panref_heap_pool - the heaps of one VM
 * @ref: references (the VM's, and each user for the time of a call)
 * @prdev: the device
 * @vm: the VM the heaps live in; NULL once the pool has been destroyed
 * @lock: protects @vm, @xa and the heaps' chunk lists
 * @xa: heap id -> &struct panref_heap
 * @ctxs: the heap contexts, one stride each
 * @stride: bytes per heap context (a GPU L2 cache line at least)
 */
struct panref_heap_pool {
	struct kref ref;
	struct panref_device *prdev;
	struct panref_vm *vm;
	struct rw_semaphore lock;
	struct xarray xa;
	struct panref_kbo *ctxs;
	u32 stride;
};

static u32 panref_heap_ctx_stride(struct panref_device *prdev)
{
	u32 line = 1u << (prdev->gpu_info.l2_features & 0xff);

	return ALIGN(PANREF_HEAP_CTX_SIZE, line);
}

/*
 * A new chunk of @size in @vm, not in any heap yet. Called with no pool
 * lock held: a TILER_OOM answer must not wait behind a TILER_HEAP_CREATE
 * that allocates its initial chunks.
 */
static struct panref_heap_chunk *panref_heap_chunk_new(struct panref_device *prdev,
						       struct panref_vm *vm, u32 size)
{
	struct panref_heap_chunk *chunk;
	int ret;

	chunk = kzalloc(sizeof(*chunk), GFP_KERNEL_ACCOUNT);
	if (!chunk)
		return ERR_PTR(-ENOMEM);
	chunk->bo = panref_kbo_create_vmapped(prdev, vm, size, DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	if (IS_ERR(chunk->bo)) {
		ret = PTR_ERR(chunk->bo);
		kfree(chunk);
		return ERR_PTR(ret);
	}
	memset(chunk->bo->kmap, 0, 64);
	return chunk;
}

static void panref_heap_chunk_free(struct panref_heap_chunk *chunk)
{
	panref_kbo_destroy(chunk->bo);
	kfree(chunk);
}

/*
 * Put @chunk at the head of @heap (pool lock held); an initial chunk
 * (@link) links to the previous head.
 */
static void panref_heap_add_chunk(struct panref_heap *heap, struct panref_heap_chunk *chunk,
				  bool link)
{
	struct panref_heap_chunk *head;
	u64 *hdr = chunk->bo->kmap;

	head = list_first_entry_or_null(&heap->chunks, struct panref_heap_chunk, node);
	if (link && head)
		hdr[0] = (panref_kbo_va(head->bo) & GENMASK_ULL(63, 12)) |
			 (heap->chunk_size >> 12);
	list_add(&chunk->node, &heap->chunks);
	heap->chunk_count++;
}

/* The pool's VM, referenced, or NULL once the pool has been destroyed. */
static struct panref_vm *panref_heap_pool_vm(struct panref_heap_pool *pool)
{
	struct panref_vm *vm;

	down_read(&pool->lock);
	vm = pool->vm ? panref_vm_get(pool->vm) : NULL;
	up_read(&pool->lock);
	return vm;
}

static void panref_heap_free(struct panref_heap *heap)
{
	struct panref_heap_chunk *chunk, *tmp;

	list_for_each_entry_safe(chunk, tmp, &heap->chunks, node) {
		list_del(&chunk->node);
		panref_heap_chunk_free(chunk);
	}
	kfree(heap);
}

struct panref_heap_pool *panref_heap_pool_create(struct panref_device *prdev,
						 struct panref_vm *vm)
{
	struct panref_heap_pool *pool;
	u32 stride = panref_heap_ctx_stride(prdev);

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	kref_init(&pool->ref);
	init_rwsem(&pool->lock);
	xa_init_flags(&pool->xa, XA_FLAGS_ALLOC);
	pool->prdev = prdev;
	pool->stride = stride;
	/* The VM is not referenced: it destroys the pool before it goes. */
	pool->vm = vm;
	pool->ctxs = panref_kbo_create_vmapped(prdev, vm,
					       ALIGN(PANREF_HEAPS_PER_POOL * stride, PAGE_SIZE),
					       DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC |
					       DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED);
	if (IS_ERR(pool->ctxs)) {
		int ret = PTR_ERR(pool->ctxs);

		kfree(pool);
		return ERR_PTR(ret);
	}
	return pool;
}

struct panref_heap_pool *panref_heap_pool_get(struct panref_heap_pool *pool)
{
	kref_get(&pool->ref);
	return pool;
}

static void panref_heap_pool_release(struct kref *ref)
{
	struct panref_heap_pool *pool = container_of(ref, struct panref_heap_pool, ref);

	xa_destroy(&pool->xa);
	kfree(pool);
}

void panref_heap_pool_put(struct panref_heap_pool *pool)
{
	if (pool)
		kref_put(&pool->ref, panref_heap_pool_release);
}

/* VM_DESTROY or the file's close: every heap goes, users see EINVAL after. */
void panref_heap_pool_destroy(struct panref_heap_pool *pool)
{
	struct panref_heap *heap;
	unsigned long id;

	if (!pool)
		return;
	down_write(&pool->lock);
	xa_for_each(&pool->xa, id, heap) {
		xa_erase(&pool->xa, id);
		panref_heap_free(heap);
	}
	panref_kbo_destroy(pool->ctxs);
	pool->ctxs = NULL;
	pool->vm = NULL;
	up_write(&pool->lock);
	panref_heap_pool_put(pool);
}

int panref_heap_create(struct panref_heap_pool *pool, u32 initial_chunks, u32 chunk_size,
		       u32 max_chunks, u32 target_in_flight, u64 *ctx_va, u64 *first_chunk_va)
{
	struct panref_heap_chunk *chunk;
	struct panref_heap *heap;
	struct panref_vm *vm;
	u32 i, id;
	int ret;

	/* The uAPI's rules, in Panthor 6.12's order. */
	if (!initial_chunks || initial_chunks > max_chunks)
		return -EINVAL;
	if (!IS_ALIGNED(chunk_size, PAGE_SIZE) || chunk_size < SZ_128K || chunk_size > SZ_8M)
		return -EINVAL;
	/*
	 * The initial chunks are pinned at once, in the caller's context:
	 * at most PANREF_HEAP_INITIAL_MAX bytes of them. Panthor 6.12 bounds
	 * them only by the caller's own max_chunks (up to 4 GiB of 8 MiB
	 * chunks), and allocates until memory runs out, waking the OOM
	 * killer (fuzz/known-bugs.txt heap-huge-initial-chunks).
	 */
	if ((u64)initial_chunks * chunk_size > PANREF_HEAP_INITIAL_MAX)
		return -ENOMEM;

	heap = kzalloc(sizeof(*heap), GFP_KERNEL_ACCOUNT);
	if (!heap)
		return -ENOMEM;
	INIT_LIST_HEAD(&heap->chunks);
	heap->chunk_size = chunk_size;
	heap->max_chunks = max_chunks;
	heap->target_in_flight = target_in_flight;

	/* The initial chunks, with no pool lock held (see panref_heap_chunk_new()). */
	vm = panref_heap_pool_vm(pool);
	if (!vm) {
		ret = -EINVAL;
		goto err_free;
	}
	for (i = 0, ret = 0; i < initial_chunks && !ret; i++) {
		chunk = panref_heap_chunk_new(pool->prdev, vm, chunk_size);
		if (IS_ERR(chunk)) {
			ret = PTR_ERR(chunk);
			break;
		}
		panref_heap_add_chunk(heap, chunk, true);
		ret = fatal_signal_pending(current) ? -EINTR : 0;
		cond_resched();
	}
	if (ret) {
		panref_vm_put(vm);
		goto err_free;
	}

	down_write(&pool->lock);
	ret = -EINVAL;
	if (pool->vm == vm)
		ret = xa_alloc(&pool->xa, &id, heap, XA_LIMIT(0, PANREF_HEAPS_PER_POOL - 1),
			       GFP_KERNEL);
	panref_vm_put(vm);
	if (ret)
		goto err_unlock;
	memset(pool->ctxs->kmap + (size_t)id * pool->stride, 0, pool->stride);
	*ctx_va = panref_kbo_va(pool->ctxs) + (u64)id * pool->stride;
	*first_chunk_va = panref_kbo_va(list_first_entry(&heap->chunks,
							 struct panref_heap_chunk,
							 node)->bo);
	up_write(&pool->lock);
	return id;

err_unlock:
	up_write(&pool->lock);
err_free:
	panref_heap_free(heap);
	return ret;
}

int panref_heap_destroy(struct panref_heap_pool *pool, u32 id)
{
	struct panref_heap *heap;

	down_write(&pool->lock);
	heap = pool->vm ? xa_erase(&pool->xa, id) : NULL;
	if (heap)
		panref_heap_free(heap);
	up_write(&pool->lock);
	return heap ? 0 : -EINVAL;
}

/* The heap whose context is at @ctx_va (pool lock held), or NULL. */
static struct panref_heap *panref_heap_find(struct panref_heap_pool *pool, u64 ctx_va)
{
	u64 off;

	if (!pool->vm || ctx_va < panref_kbo_va(pool->ctxs))
		return NULL;
	off = ctx_va - panref_kbo_va(pool->ctxs);
	if (off / pool->stride >= PANREF_HEAPS_PER_POOL)
		return NULL;
	return xa_load(&pool->xa, off / pool->stride);
}

/*
 * TILER_OOM: a new chunk for the heap whose context is at @ctx_va, as the
 * firmware wants it (VA | size >> 12). -ENOMEM when the heap is at its
 * limit or enough render passes are in flight that waiting frees memory.
 */
int panref_heap_grow(struct panref_heap_pool *pool, u64 ctx_va, u32 in_flight,
		     u32 pending_frag, u64 *chunk_out)
{
	struct panref_heap_chunk *chunk;
	struct panref_heap *heap;
	struct panref_vm *vm;
	u32 size;
	int ret;

	down_read(&pool->lock);
	heap = panref_heap_find(pool, ctx_va);
	ret = heap ? 0 : -EINVAL;
	if (heap && (in_flight > heap->target_in_flight ||
		     heap->chunk_count >= heap->max_chunks))
		ret = -ENOMEM;
	size = heap ? heap->chunk_size : 0;
	/* panref_heap_find() found the pool alive: its VM is there. */
	vm = ret ? NULL : panref_vm_get(pool->vm);
	up_read(&pool->lock);
	if (ret)
		return ret;

	/* Allocated unlocked, then added if the heap is still there. */
	chunk = panref_heap_chunk_new(pool->prdev, vm, size);
	panref_vm_put(vm);
	if (IS_ERR(chunk))
		return PTR_ERR(chunk);

	down_write(&pool->lock);
	heap = panref_heap_find(pool, ctx_va);
	if (!heap) {
		ret = -EINVAL;
	} else if (heap->chunk_count >= heap->max_chunks) {
		ret = -ENOMEM;
	} else {
		panref_heap_add_chunk(heap, chunk, false);
		*chunk_out = (panref_kbo_va(chunk->bo) & GENMASK_ULL(63, 12)) |
			     (heap->chunk_size >> 12);
		chunk = NULL;
	}
	up_write(&pool->lock);
	if (chunk)
		panref_heap_chunk_free(chunk);
	return ret;
}
