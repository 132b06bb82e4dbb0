#!/bin/bash
# On the host: fuzz/classify names canned kernel reports (UML's formats,
# and x86's where they differ) as syzkaller would, with the top frames of
# the call trace for dedup, and finds nothing in a clean log.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
t=$(mktemp -d /tmp/classify.XXXXXX)
trap 'rm -rf "$t"' EXIT

cat > "$t/kasan" <<'EOF'
[   41.203117] panref 40000000.gpu: group 3 created
[   41.310442] ==================================================================
[   41.310588] BUG: KASAN: slab-use-after-free in panref_vm_put+0x21/0x90 [panref]
[   41.310730] Read of size 4 at addr 000000006b4e2c40 by task panfuzz/61
[   41.310866] 
[   41.310912] CPU: 0 UID: 0 PID: 61 Comm: panfuzz Not tainted 6.12.118 #1
[   41.311044] Stack:
[   41.311090]  6a9c7c30 60a1c4de 00000001 6a9c7cc0
[   41.311190]  6b4e2c40 6040b3a8 6a9c7cc0 60a1c4de
[   41.311290]  00000000 7f1a3c41 6a9c7d10 00000004
[   41.311388] Call Trace:
[   41.311433]  [<60a3f26d>] show_stack+0x13d/0x150
[   41.311536]  [<60a1c4de>] dump_stack_lvl+0x71/0xb0
[   41.311640]  [<6040b3a8>] print_report+0x174/0x5e0
[   41.311741]  [<6040b9f1>] kasan_report+0xe1/0x120
[   41.311843]  [<6040c8a5>] __asan_load4+0x85/0x90
[   41.311945]  [<7f1a3c41>] panref_vm_put+0x21/0x90 [panref]
[   41.312047]  [<7f1a6f02>] panref_ioctl_vm_destroy+0xa2/0x130 [panref]
[   41.312149]  [<605c1e33>] ? drm_ioctl_kernel+0x1c3/0x230
[   41.312251]  [<605c1e33>] drm_ioctl_kernel+0x1c3/0x230
[   41.312353]  [<605c2391>] drm_ioctl+0x3f1/0x6a0
[   41.312455]  [<60467f1c>] sys_ioctl+0xec/0x150
[   41.312557]  [<6003bd07>] handle_syscall+0x87/0xc0
[   41.312659]  [<6005d7c2>] userspace+0x4c2/0x650
[   41.312761]  [<60037b75>] fork_handler+0x85/0x90
[   41.312863] 
[   41.312905] Allocated by task 61:
[   41.313003]  kasan_save_stack+0x2c/0x50
[   41.313106]  __kasan_kmalloc+0x82/0x90
[   41.313208]  panref_vm_create+0x6f/0x3a0 [panref]
[   41.313310]  panref_ioctl_vm_create+0x58/0x120 [panref]
[   41.313412] 
[   41.313455] Freed by task 61:
[   41.313553]  kasan_save_stack+0x2c/0x50
[   41.313655]  kfree+0xd2/0x2f0
[   41.313757]  panref_vm_release+0x9d/0x140 [panref]
[   41.313859] 
[   41.313902] The buggy address belongs to the object at 000000006b4e2c00
[   41.313902]  which belongs to the cache kmalloc-256 of size 256
[   41.314230] ==================================================================
EOF

cat > "$t/warn" <<'EOF'
[   12.884102] ------------[ cut here ]------------
[   12.884210] WARNING: CPU: 0 PID: 47 at drivers/gpu/drm/panthor/panthor_sched.c:2387 panthor_sched_tick+0x6e4/0x9a0 [panthor]
[   12.884391] Modules linked in: panref panthor drm_gpuvm drm_exec gpu_sched drm_shmem_helper mali_model
[   12.884522] CPU: 0 UID: 0 PID: 47 Comm: kworker/u4:2 Not tainted 6.12.118 #1
[   12.884650] Workqueue: panthor-csf-sched panthor_sched_tick_work [panthor]
[   12.884779] Stack:
[   12.884823]  6ab1fd60 60a1c4de 00000009 6ab1fdf0
[   12.884922]  00000000 60073e3b 6ab1fe00 7f0c8a24
[   12.885020] Call Trace:
[   12.885064]  [<60a3f26d>] show_stack+0x13d/0x150
[   12.885165]  [<60a1c4de>] dump_stack_lvl+0x71/0xb0
[   12.885267]  [<60073e3b>] __warn+0xab/0x1a0
[   12.885368]  [<60a06f12>] warn_slowpath_fmt+0xf2/0x190
[   12.885470]  [<7f0c8a24>] panthor_sched_tick+0x6e4/0x9a0 [panthor]
[   12.885572]  [<7f0c8f31>] panthor_sched_tick_work+0x21/0x40 [panthor]
[   12.885674]  [<6009a2d0>] process_one_work+0x260/0x5c0
[   12.885776]  [<6009bc41>] worker_thread+0x2d1/0x4a0
[   12.885878]  [<600a5c11>] kthread+0x121/0x150
[   12.885979]  [<60037b75>] new_thread_handler+0x85/0xb0
[   12.886081] ---[ end trace 0000000000000000 ]---
EOF

# UML: a kernel-mode fault prints show_regs, then panics; the trace
# starts at the faulting context (its caller: the RIP function is not on it)
cat > "$t/null" <<'EOF'
[   33.001201] panref 40000000.gpu: VM_BIND: 2 ops
[   33.004420] 
[   33.004471] Modules linked in: panref panthor drm_gpuvm drm_exec gpu_sched drm_shmem_helper mali_model
[   33.004620] Pid: 58, comm: panfuzz Not tainted 6.12.118
[   33.004731] RIP: 0033:panref_group_submit+0x15b/0x5e0 [panref]
[   33.004840] RSP: 000000006a93fb10  EFLAGS: 00010246
[   33.004941] RAX: 0000000000000000 RBX: 000000006b2e1000 RCX: 0000000000000001
[   33.005052] RDX: 0000000000000000 RSI: 000000006a93fc08 RDI: 0000000000000000
[   33.005163] RBP: 000000006a93fb60 R08: 0000000000000000 R09: 0000000000000000
[   33.005274] R10: 0000000000000000 R11: 0000000000000246 R12: 0000000000000010
[   33.005385] R13: 000000006b2e1040 R14: 0000000000000002 R15: 000000006a93fd30
[   33.005500] Kernel panic - not syncing: Kernel mode fault at addr 0x10, ip 0x7f1a5f3b
[   33.005611] CPU: 0 UID: 0 PID: 58 Comm: panfuzz Not tainted 6.12.118 #1
[   33.005722] Stack:
[   33.005766]  6a93fb60 7f1a7cd8 6a93fc08 6b2e1000
[   33.005864]  6a93fd30 00000002 6a93fbd0 605c1e33
[   33.005962] Call Trace:
[   33.006006]  [<7f1a7cd8>] panref_ioctl_group_submit+0x1a8/0x2c0 [panref]
[   33.006108]  [<605c1e33>] drm_ioctl_kernel+0x1c3/0x230
[   33.006210]  [<605c2391>] drm_ioctl+0x3f1/0x6a0
[   33.006312]  [<60467f1c>] sys_ioctl+0xec/0x150
[   33.006414]  [<6003bd07>] handle_syscall+0x87/0xc0
[   33.006516]  [<6005d7c2>] userspace+0x4c2/0x650
[   33.006618]  [<60037b75>] fork_handler+0x85/0x90
EOF

# x86's way of saying the same, for logs from a board
cat > "$t/null-x86" <<'EOF'
[  101.880213] BUG: kernel NULL pointer dereference, address: 0000000000000010
[  101.880281] #PF: supervisor read access in kernel mode
[  101.880319] #PF: error_code(0x0000) - not-present page
[  101.880356] PGD 0 P4D 0 
[  101.880380] Oops: Oops: 0000 [#1] PREEMPT SMP NOPTI
[  101.880420] CPU: 2 UID: 0 PID: 1234 Comm: panfuzz Not tainted 6.12.0 #1
[  101.880466] RIP: 0010:panref_group_submit.isra.0+0x15b/0x5e0 [panref]
[  101.880512] Code: 48 8b 47 10 48 85 c0 74 0a
[  101.880610] RSP: 0018:ffffc900012bfb10 EFLAGS: 00010246
[  101.880800] Call Trace:
[  101.880815]  <TASK>
[  101.880830]  ? __die+0x23/0x70
[  101.880851]  ? page_fault_oops+0x171/0x4e0
[  101.880871]  ? exc_page_fault+0x7f/0x180
[  101.880890]  ? asm_exc_page_fault+0x26/0x30
[  101.880910]  panref_ioctl_group_submit+0x1a8/0x2c0 [panref]
[  101.880930]  drm_ioctl_kernel+0xb3/0x100
[  101.880950]  drm_ioctl+0x27a/0x4c0
[  101.880970]  __x64_sys_ioctl+0x94/0xd0
[  101.880990]  do_syscall_64+0x82/0x160
[  101.881010]  entry_SYSCALL_64_after_hwframe+0x76/0x7e
[  101.881030]  </TASK>
EOF

cat > "$t/lockdep" <<'EOF'
[   57.420031] 
[   57.420082] ======================================================
[   57.420183] WARNING: possible circular locking dependency detected
[   57.420284] 6.12.118 #1 Not tainted
[   57.420335] ------------------------------------------------------
[   57.420436] panfuzz/63 is trying to acquire lock:
[   57.420512] 000000006b02a1e8 (&vm->op_lock){+.+.}-{4:4}, at: panref_vm_bind_exec+0x61/0x2f0 [panref]
[   57.420660] 
[   57.420660] but task is already holding lock:
[   57.420760] 000000006b0c4470 (&sched->lock){+.+.}-{4:4}, at: panref_sched_evict+0x3c/0x210 [panref]
[   57.420907] 
[   57.420907] which lock already depends on the new lock.
[   57.420907] 
[   57.421059] 
[   57.421059] the existing dependency chain (in reverse order) is:
[   57.421184] 
[   57.421184] -> #1 (&sched->lock){+.+.}-{4:4}:
[   57.421286]        lock_acquire+0x11e/0x3a0
[   57.421362]        __mutex_lock+0x10f/0xd40
[   57.421437]        mutex_lock_nested+0x1b/0x30
[   57.421512]        panref_sched_bind_done+0x47/0x1d0 [panref]
[   57.421609]        panref_vm_bind_exec+0x1b9/0x2f0 [panref]
[   57.421706] 
[   57.421706] -> #0 (&vm->op_lock){+.+.}-{4:4}:
[   57.421808]        check_prev_add+0x1b0/0x1140
[   57.421883]        __lock_acquire+0x1a8d/0x2a60
[   57.421958]        lock_acquire+0x11e/0x3a0
[   57.422033]        __mutex_lock+0x10f/0xd40
[   57.422108]        mutex_lock_nested+0x1b/0x30
[   57.422183]        panref_vm_bind_exec+0x61/0x2f0 [panref]
[   57.422280] 
[   57.422280] other info that might help us debug this:
[   57.422280] 
[   57.422405]  Possible unsafe locking scenario:
[   57.422405] 
[   57.422505]        CPU0                    CPU1
[   57.422580]        ----                    ----
[   57.422655]   lock(&sched->lock);
[   57.422730]                                lock(&vm->op_lock);
[   57.422805]                                lock(&sched->lock);
[   57.422880]   lock(&vm->op_lock);
[   57.422955] 
[   57.422955]  *** DEADLOCK ***
[   57.422955] 
[   57.423055] 1 lock held by panfuzz/63:
[   57.423130]  #0: 000000006b0c4470 (&sched->lock){+.+.}-{4:4}, at: panref_sched_evict+0x3c/0x210 [panref]
[   57.423280] 
[   57.423280] stack backtrace:
[   57.423355] CPU: 0 UID: 0 PID: 63 Comm: panfuzz Not tainted 6.12.118 #1
[   57.423456] Stack:
[   57.423506]  6a8efa10 60a1c4de 00000000 6a8efaa0
[   57.423606] Call Trace:
[   57.423656]  [<60a3f26d>] show_stack+0x13d/0x150
[   57.423731]  [<60a1c4de>] dump_stack_lvl+0x71/0xb0
[   57.423806]  [<600e10e2>] print_circular_bug+0x2f2/0x390
[   57.423881]  [<600e1340>] check_noncircular+0x1c0/0x1f0
[   57.423956]  [<600e4c11>] check_prev_add+0x1b0/0x1140
[   57.424031]  [<600e8a3d>] __lock_acquire+0x1a8d/0x2a60
[   57.424106]  [<600ea36e>] lock_acquire+0x11e/0x3a0
[   57.424181]  [<60a2f1bf>] __mutex_lock+0x10f/0xd40
[   57.424256]  [<60a2fe0b>] mutex_lock_nested+0x1b/0x30
[   57.424331]  [<7f1a8061>] panref_vm_bind_exec+0x61/0x2f0 [panref]
[   57.424406]  [<7f1a8c52>] panref_sched_evict+0x132/0x210 [panref]
[   57.424481]  [<7f1a9a17>] panref_ioctl_group_destroy+0x97/0x140 [panref]
[   57.424556]  [<605c1e33>] drm_ioctl_kernel+0x1c3/0x230
EOF

cat > "$t/vmalloc" <<'EOF'
[   88.120031] panfuzz: vmalloc error: size 2147487744, exceeds total pages, mode:0xdc0(GFP_KERNEL|__GFP_ZERO), nodemask=(null)
[   88.120190] CPU: 0 UID: 0 PID: 66 Comm: panfuzz Not tainted 6.12.118 #1
[   88.120291] Stack:
[   88.120340]  6a87fa90 60a1c4de 00000000 6a87fb20
[   88.120440] Call Trace:
[   88.120489]  [<60a3f26d>] show_stack+0x13d/0x150
[   88.120564]  [<60a1c4de>] dump_stack_lvl+0x71/0xb0
[   88.120639]  [<60330d5f>] warn_alloc+0x15f/0x1f0
[   88.120714]  [<603df1c2>] __vmalloc_node_range_noprof+0x8d2/0x970
[   88.120789]  [<603df3ea>] __vmalloc_node_noprof+0x5a/0x70
[   88.120864]  [<60370f7b>] __kvmalloc_node_noprof+0x9b/0xe0
[   88.120939]  [<7f1a9e3c>] panref_copy_obj_array+0x8c/0x170 [panref]
[   88.121014]  [<7f1aa3d5>] panref_ioctl_group_submit+0x65/0x2c0 [panref]
[   88.121089]  [<605c1e33>] drm_ioctl_kernel+0x1c3/0x230
[   88.121164] Mem-Info:
[   88.121213] active_anon:1052 inactive_anon:0 isolated_anon:0
EOF

# /dev/kmsg records (what panfuzz saves in report/log): a hung task
cat > "$t/hung" <<'EOF'
3,901,120331551,-;INFO: task panfuzz:70 blocked for more than 20 seconds.
3,902,120331600,-;      Not tainted 6.12.118 #1
3,903,120331620,-;"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
6,904,120331700,-;task:panfuzz         state:D stack:0     pid:70    tgid:70    ppid:1      flags:0x00000000
6,905,120331720,-;Stack:
6,906,120331740,-; 6a8cfb60 60a2b1e0 6a8cfbd0 00000002
6,907,120331760,-;Call Trace:
6,908,120331780,-; [<60a2b1e0>] __schedule+0x3d0/0x9a0
6,909,120331800,-; [<60a2b8a2>] schedule+0x42/0x100
6,910,120331820,-; [<60a33c31>] schedule_timeout+0x161/0x1a0
6,911,120331840,-; [<604f0c77>] dma_fence_default_wait+0x1e7/0x2a0
6,912,120331860,-; [<604f1b0e>] dma_fence_wait_timeout+0x9e/0x190
6,913,120331880,-; [<7f1ab210>] panref_vm_destroy+0xe0/0x1c0 [panref]
6,914,120331900,-; [<7f1ab5a4>] panref_postclose+0x34/0x80 [panref]
EOF

cat > "$t/umlbug" <<'EOF'
[   20.000100] BUG: failure at drivers/gpu/drm/panref/mmu.c:412/panref_mmu_unmap_range()!
[   20.000200] Kernel panic - not syncing: BUG!
[   20.000300] CPU: 0 UID: 0 PID: 52 Comm: panfuzz Not tainted 6.12.118 #1
[   20.000400] Call Trace:
[   20.000500]  [<60a3f26d>] show_stack+0x13d/0x150
[   20.000600]  [<60a1c4de>] dump_stack_lvl+0x71/0xb0
[   20.000700]  [<60a0715c>] panic+0x1bc/0x430
[   20.000800]  [<7f1ac0d2>] panref_mmu_unmap_range+0x3c2/0x400 [panref]
EOF

# a kernel thread faults (a work item): UML cannot tell the address
cat > "$t/nomm" <<'EOF'
[   70.100000] Modules linked in: panref panthor
[   70.100100] Pid: 40, comm: kworker/0:2 Not tainted 6.12.118
[   70.100200] RIP: 0033:panref_job_timedout+0x4e/0x310 [panref]
[   70.100300] RSP: 000000006a8bfd20  EFLAGS: 00010246
[   70.100400] Kernel panic - not syncing: Segfault with no mm
[   70.100500] CPU: 0 UID: 0 PID: 40 Comm: kworker/0:2 Not tainted 6.12.118 #1
[   70.100600] Call Trace:
[   70.100700]  [<60532a6d>] drm_sched_job_timedout+0x9d/0x1a0
[   70.100800]  [<6009a2d0>] process_one_work+0x260/0x5c0
EOF

# Real UML logs (a panref campaign): a kernel-mode fault in a uaccess helper,
# named after the driver function; a WARNING whose trace has "? " and
# "+0x0" (function pointer) entries.
cat > "$t/uml-uaccess" <<'EOF'
[   49.010000] 
[   49.010000] Modules linked in: panref(O) panthor drm_gpuvm drm_exec drm_shmem_helper gpu_sched mali_model(O)
[   49.010000] Pid: 60, comm: panfuzz Tainted: G           O       6.12.118
[   49.010000] RIP: 0033:memset_orig+0x32/0xab
[   49.010000] RSP: 0000000091d93b18  EFLAGS: 00010207
[   49.010000] RAX: 0000000000000000 RBX: 0000000060028b8b RCX: 03ffffffff514082
[   49.010000] RDX: fffffffff090c0ff RSI: 0000000000000000 RDI: 00000000911ba000
[   49.010000] RBP: 0000000091d93b20 R08: 0000000000000000 R09: 0000000000000000
[   49.010000] R10: 0000000074db0000 R11: 0000000043a5a000 R12: 00000000f090c0ff
[   49.010000] R13: 0000000000000000 R14: 0000000060000000 R15: 0000000043a5a068
[   49.010000] Kernel panic - not syncing: Kernel tried to access user memory at addr 0x911ba000, ip 0x6047fb33
[   49.010000] CPU: 0 UID: 0 PID: 60 Comm: panfuzz Tainted: G           O       6.12.118 #1 
[   49.010000] Tainted: [O]=OOT_MODULE
[   49.010000] Stack:
[   49.010000]  60028ba0 91d93b50 60028d3b 43a5b000
[   49.010000]  60028cb2 60028b8b fffffffff090c0ff 91d93ba0
[   49.010000]  60028e09 00000000 100000068 f090d0ff
[   49.010000] Call Trace:
[   49.010000]  [<60028ba0>] ? clear_chunk+0x15/0x19
[   49.010000]  [<60028d3b>] do_op_one_page+0x89/0xa2
[   49.010000]  [<60028cb2>] ? do_op_one_page+0x0/0xa2
[   49.010000]  [<60028b8b>] ? clear_chunk+0x0/0x19
[   49.010000]  [<60028e09>] buffer_op+0xb5/0xcb
[   49.010000]  [<600b07ee>] ? __sanitizer_cov_trace_pc+0x0/0x9d
[   49.010000]  [<91def000>] ? __access_ok+0x0/0x5f [panref]
[   49.010000]  [<60028f14>] __clear_user+0x22/0x24
[   49.010000]  [<91defb51>] panref_uobj_set+0xc5/0xe1 [panref]
[   49.010000]  [<600b07ee>] ? __sanitizer_cov_trace_pc+0x0/0x9d
[   49.010000]  [<91defc58>] panref_ioctl_dev_query+0xeb/0x10b [panref]
[   49.010000]  [<601180db>] ? path_put+0x28/0x2c
[   49.010000]  [<91defb6d>] ? panref_ioctl_dev_query+0x0/0x10b [panref]
[   49.010000]  [<602f5214>] drm_ioctl_kernel+0xc3/0xd1
[   49.010000]  [<602f5987>] drm_ioctl+0x365/0x4ef
[   49.010000]  [<91defb6d>] ? panref_ioctl_dev_query+0x0/0x10b [panref]
[   49.010000]  [<60120801>] vfs_ioctl+0x13/0x2f
[   49.010000]  [<60121a77>] sys_ioctl+0xad5/0xafd
[   49.010000]  [<60028a2e>] handle_syscall+0x79/0xa7
[   49.010000]  [<6003b973>] userspace+0x4c2/0x4f4
[   49.010000]  [<6002637f>] fork_handler+0x86/0x88
EOF

cat > "$t/uml-warn" <<'EOF'
[   37.020000] ------------[ cut here ]------------
[   37.020000] WARNING: CPU: 0 PID: 60 at mm/page_alloc.c:4835 __alloc_pages_noprof+0x6a/0x6e6
[   37.020000] Modules linked in: panref(O) panthor drm_gpuvm drm_exec drm_shmem_helper gpu_sched mali_model(O)
[   37.020000] CPU: 0 UID: 0 PID: 60 Comm: panfuzz Tainted: G           O       6.12.118 #1 
[   37.020000] Tainted: [O]=OOT_MODULE
[   37.020000] Stack:
[   37.020000]  6047734a 6059c995 aa593970 6045ac26
[   37.020000]  60695710 6059c995 60038c28 600270b9
[   37.020000]  6045aaf9 00000001 aa5939b0 6047f7f3
[   37.020000] Call Trace:
[   37.020000]  [<6047734a>] ? _printk+0x0/0x57
[   37.020000]  [<6002723d>] show_stack+0x184/0x193
[   37.020000]  [<6047734a>] ? _printk+0x0/0x57
[   37.020000]  [<6045ac26>] ? dump_stack_print_info+0x12d/0x140
[   37.020000]  [<60038c28>] ? um_set_signals+0x0/0x3e
[   37.020000]  [<600270b9>] ? show_stack+0x0/0x193
[   37.020000]  [<6045aaf9>] ? dump_stack_print_info+0x0/0x140
[   37.020000]  [<6047f7f3>] dump_stack_lvl+0x72/0x84
[   37.020000]  [<600415d3>] ? check_panic_on_warn+0x0/0x6f
[   37.020000]  [<6047734a>] ? _printk+0x0/0x57
[   37.020000]  [<6047f81f>] dump_stack+0x1a/0x1c
[   37.020000]  [<600417d4>] __warn+0xe3/0x13a
[   37.020000]  [<600b07ee>] ? __sanitizer_cov_trace_pc+0x0/0x9d
[   37.020000]  [<60302900>] ? kmalloc_array_noprof+0x19/0x1b
[   37.020000]  [<6047665f>] warn_slowpath_fmt+0x8a/0x95
[   37.020000]  [<aa5f0310>] ? panref_open+0x10b/0x11a [panref]
[   37.020000]  [<60300f4f>] ? drm_prime_init_file_private+0x0/0x37
[   37.020000]  [<604765d5>] ? warn_slowpath_fmt+0x0/0x95
[   37.020000]  [<602ef82e>] ? drm_core_check_all_features+0x0/0x15
[   37.020000]  [<600f7199>] __alloc_pages_noprof+0x6a/0x6e6
[   37.020000]  [<602f0a0e>] ? drm_open_helper+0xe8/0x192
[   37.020000]  [<60302900>] ? kmalloc_array_noprof+0x19/0x1b
[   37.020000]  [<600f8c58>] __alloc_pages_node_noprof+0x6a/0x75
[   37.020000]  [<600f9ae3>] ___kmalloc_large_node+0x57/0xb3
[   37.020000]  [<600fbdea>] __kmalloc_noprof+0x33/0x183
[   37.020000]  [<603028e7>] ? kmalloc_array_noprof+0x0/0x1b
[   37.020000]  [<60302900>] kmalloc_array_noprof+0x19/0x1b
[   37.020000]  [<60302c36>] drm_syncobj_array_find+0x39/0x17e
[   37.020000]  [<60028ab6>] ? copy_chunk_from_user+0x0/0x2c
[   37.020000]  [<60304108>] ? drm_syncobj_wait_ioctl+0x0/0xb8
[   37.020000]  [<6030416c>] drm_syncobj_wait_ioctl+0x64/0xb8
[   37.020000]  [<602e738c>] ? drm_dev_exit+0x10/0x12
[   37.020000]  [<602f5214>] drm_ioctl_kernel+0xc3/0xd1
[   37.020000]  [<602f5987>] drm_ioctl+0x365/0x4ef
[   37.020000]  [<60304108>] ? drm_syncobj_wait_ioctl+0x0/0xb8
[   37.020000]  [<60120801>] vfs_ioctl+0x13/0x2f
[   37.020000]  [<60121a77>] sys_ioctl+0xad5/0xafd
[   37.020000]  [<60028a2e>] handle_syscall+0x79/0xa7
[   37.020000]  [<6003b973>] userspace+0x4c2/0x4f4
[   37.020000]  [<6002637f>] fork_handler+0x86/0x88
[   37.020000] ---[ end trace 0000000000000000 ]---
EOF

cat > "$t/clean" <<'EOF'
[    0.000000] Linux version 6.12.118 (root@host) #1 Sat Nov 29 2025
[    1.020000] panthor 40000000.gpu: [drm] Firmware protected mode entry not be supported, ignoring
[    1.030000] panref 40200000.gpu: mali-g610 id 0xa867 major 0x0 minor 0x0 status 0x5
[    2.000000] reboot: Power down
EOF

# NAME FILE TITLE FRAMES
cases=(
	"kasan_slab_use_after_free|kasan|BUG: KASAN: slab-use-after-free in panref_vm_put|panref_vm_put panref_ioctl_vm_destroy drm_ioctl_kernel"
	"warning_with_call_trace|warn|WARNING in panthor_sched_tick|panthor_sched_tick panthor_sched_tick_work"
	"uml_null_deref_oops|null|BUG: kernel NULL pointer dereference in panref_group_submit|panref_group_submit panref_ioctl_group_submit drm_ioctl_kernel"
	"x86_null_deref_oops|null-x86|BUG: kernel NULL pointer dereference in panref_group_submit|panref_group_submit panref_ioctl_group_submit drm_ioctl_kernel"
	"lockdep_circular|lockdep|possible deadlock in panref_vm_bind_exec|panref_vm_bind_exec panref_sched_evict panref_ioctl_group_destroy"
	"vmalloc_error|vmalloc|vmalloc error in panref_copy_obj_array|panref_copy_obj_array panref_ioctl_group_submit drm_ioctl_kernel"
	"hung_task_kmsg|hung|INFO: task hung in panref_vm_destroy|panref_vm_destroy panref_postclose"
	"uml_bug|umlbug|kernel BUG in panref_mmu_unmap_range|panref_mmu_unmap_range"
	"uml_uaccess_fault_real|uml-uaccess|BUG: kernel access to user memory in panref_uobj_set|panref_uobj_set panref_ioctl_dev_query drm_ioctl_kernel"
	"uml_warning_real|uml-warn|WARNING in __alloc_pages_noprof|drm_syncobj_array_find drm_syncobj_wait_ioctl drm_ioctl_kernel"
	"uml_fault_no_mm|nomm|BUG: kernel fault with no mm in panref_job_timedout|panref_job_timedout drm_sched_job_timedout"
)
ktap_begin $((${#cases[@]} + 1))
for c in "${cases[@]}"; do
	IFS='|' read -r name file title frames <<<"$c"
	out=$("$top/fuzz/classify" "$t/$file" 2>&1)
	rc=$?
	want=$(printf 'title %s\nframes %s' "$title" "$frames")
	if [ $rc = 0 ] && [ "$out" = "$want" ]; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "exit $rc; got:" "$out" "want:" "$want"
	fi
done
out=$("$top/fuzz/classify" "$t/clean" 2>&1)
rc=$?
if [ $rc = 1 ] && [ -z "$out" ]; then
	ktap_ok clean_log_no_report
else
	ktap_fail clean_log_no_report "exit $rc: $out"
fi
ktap_end
