#!/bin/bash
# Inside the VM: panref (driver/panref.ko) on GPU 1 against upstream Panthor
# on GPU 0. panref must probe and boot the MCU interface; answer DEV_QUERY
# exactly like Panthor; give the same per-subtest conformance results in the
# areas it implements (query, bo, vm, vm_bind) and meet its own expectation
# files elsewhere; give the same result as Panthor at every step of an
# asynchronous VM_BIND program; show a deliberate deviation (module
# parameter deviate=) as a difference; suspend and resume at run time; ping
# the firmware; recover from a GPU reset; reject each corrupt firmware with one clear error; survive
# 20 unbind/bind cycles with a render node held open (a VM, BOs and
# mappings in it) and 20 rmmod/insmod cycles; touch only modelled registers.
. "$(dirname "$0")/common.sh"
ktap_begin 18

# the module vm/run loaded (the debug kernel has its own build)
KO=${PANREF_PANREF_KO:-$PANREF_TOP/driver/panref.ko}
CONF=$B/conformance
PARAM=/sys/module/panref/parameters/deviate
tmp=$(mktemp -d)

render_of() {	# render_of SYSFS_GPU: its renderD* name
	local r
	for r in "$1"/drm/renderD*; do [ -e "$r" ] && basename "$r" && return; done
}
node0=/dev/dri/$(render_of "$GPU0")
node1=/dev/dri/$(render_of "$GPU1")
dev1=$(basename "$GPU1")

# --- panref_bound -----------------------------------------------------------
drv1=$(bound_driver "$GPU1")
ur=$(model_stat 1 unknown_reads) uw=$(model_stat 1 unknown_writes)
boots=$(model_stat 1 mcu_boots)
if [ "$drv1" = panref ] && [ -c "$node1" ] && [ "$ur" = 0 ] && [ "$uw" = 0 ] &&
   [ "${boots:-0}" -ge 1 ] && dmesg | grep -q "panref $dev1: .*CSF FW v"; then
	ktap_ok panref_bound
else
	ktap_fail panref_bound "GPU 1 driver '${drv1:-none}', node '$node1'," \
		"model unknown reads $ur writes $uw, mcu_boots $boots" "$(dmesg | grep -iE 'panref|mali' | tail -20)"
fi

# --- devquery_identical -------------------------------------------------------
# One block per render node; compare all but the lines naming the device.
devquery_block() {	# devquery_block NODE
	"$DEVQUERY" | awk -v n="$1" '
		/^device / { on = ($2 == n); next }
		on && !/^device\./ && NF { print }'
}
q0=$(devquery_block "$node0") q1=$(devquery_block "$node1")
if [ -n "$q0" ] && [ "$q0" = "$q1" ] && [ "$(wc -l <<<"$q0")" -ge 25 ]; then
	ktap_ok devquery_identical
else
	ktap_fail devquery_identical "panthor ($node0) vs panref ($node1):" \
		"$(diff <(echo "$q0") <(echo "$q1") | head -20)"
fi

# --- conformance areas: same result per subtest on both drivers ---------------
results() {	# results BINARY NODE: "subtest RESULT" lines
	# never on either node what takes Panthor 6.12 down or makes it WARN
	local skip
	mapfile -t skip < <("$PANREF_TOP/conformance/skip-args" "$CONF/$1")
	"$CONF/$1" "${skip[@]}" --device "$2" 2>&1 |
		sed -n 's/^Subtest \([^:]*\): \([A-Z]*\) .*/\1 \2/p'
}
for area in query bo vm vm_bind; do
	r0=$(results "$area" "$node0") r1=$(results "$area" "$node1")
	n=$(wc -l <<<"$r0")
	if [ -z "$r0" ]; then
		ktap_fail "conformance_${area}_same_as_panthor" "no subtest results on Panthor"
	elif [ "$r0" = "$r1" ]; then
		ktap_ok "conformance_${area}_same_as_panthor"
		echo "# $area: $n subtests, $(grep -c ' SUCCESS$' <<<"$r1") pass on both"
	else
		ktap_fail "conformance_${area}_same_as_panthor" \
			"$(diff <(echo "$r0") <(echo "$r1") | head -20)"
	fi
done

# --- the whole suite on panref, gated on conformance/expectations/panref-* ---
out=$("$PANREF_TOP/conformance/run" --driver panref --results "$tmp/conf" 2>&1)
rc=$?
if [ $rc = 0 ] && grep -q " 0 unexpected" <<<"$out"; then
	ktap_ok conformance_run_panref_expectations
	echo "# $(tail -1 <<<"$out")"
else
	ktap_fail conformance_run_panref_expectations "conformance/run exited $rc" "$(tail -15 <<<"$out")"
fi

# --- asynchronous VM_BIND: same outcome on both drivers ---------------------
# One program of VM_BIND calls (ASYNC with binary and timeline syncobjs,
# in-batch dependencies, SYNC_ONLY, every sync-op validation rule, partial
# unmap of a 2 MiB page, a destroyed VM) runs on each node; every step's
# result (errno, syncobj wait result, timeline value, VM state) must match.
cat > "$tmp/async.py" <<'EOF'
import ctypes, errno, fcntl, os, struct, sys, time

def iowr(nr, size):
    return (3 << 30) | (size << 16) | (ord('d') << 8) | nr

VM_CREATE, VM_DESTROY, VM_BIND = iowr(0x41, 16), iowr(0x42, 8), iowr(0x43, 24)
VM_GET_STATE, BO_CREATE = iowr(0x44, 8), iowr(0x45, 24)
SO_CREATE, SO_WAIT = iowr(0xBF, 8), iowr(0xC3, 40)
SO_TL_WAIT, SO_QUERY = iowr(0xCA, 48), iowr(0xCB, 24)
MAP, UNMAP, SYNC_ONLY = 0, 1 << 28, 2 << 28
SIGNAL, TIMELINE = 1 << 31, 1
fd = os.open(sys.argv[1], os.O_RDWR)
keep = []

def ptr(data):
    b = ctypes.create_string_buffer(data or b'\0')
    keep.append(b)
    return ctypes.addressof(b)

def call(req, args):
    b = bytearray(args)
    try:
        fcntl.ioctl(fd, req, b)
        return 'OK', b
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno)), b

SKIP = set(os.environ.get('SKIP_STEPS', '').split())

def step(name, res):
    print(name, res, flush=True)

def skipped(name):
    if name in SKIP:
        print(name, 'SKIP', flush=True)
        return True
    return False

def vm_create():
    return struct.unpack_from('<I', call(VM_CREATE, struct.pack('<IIQ', 0, 0, 0))[1], 4)[0]

def bo_create(size):
    return struct.unpack_from('<I', call(BO_CREATE, struct.pack('<QIIII', size, 0, 0, 0, 0))[1], 16)[0]

def syncobj():
    return struct.unpack_from('<I', call(SO_CREATE, struct.pack('<II', 0, 0))[1])[0]

def sync(flags, handle, point=0):
    return struct.pack('<IIQ', flags, handle, point)

def op(flags, bo=0, off=0, va=0, size=0, syncs=(), stride=16):
    data = b''.join(s + b'\0' * (stride - 16) for s in syncs)
    return struct.pack('<IIQQQIIQ', flags, bo, off, va, size, stride, len(syncs), ptr(data))

def bind(vm, ops, flags=1, stride=48):
    data = b''.join(o + b'\0' * (stride - 48) for o in ops)
    r, b = call(VM_BIND, struct.pack('<IIIIQ', vm, flags, stride, len(ops), ptr(data)))
    return r + ' count=%d' % struct.unpack_from('<I', b, 12)[0]

def wait(handle, point=None):
    deadline = time.monotonic_ns() + 2 * 10**9
    h = ptr(struct.pack('<I', handle))
    if point is None:
        return call(SO_WAIT, struct.pack('<QqIIIIQ', h, deadline, 1, 0, 0, 0, 0))[0]
    p = ptr(struct.pack('<Q', point))
    return call(SO_TL_WAIT, struct.pack('<QQqIIIIQ', h, p, deadline, 1, 0, 0, 0, 0))[0]

def query(handle):
    h, p = ptr(struct.pack('<I', handle)), ctypes.create_string_buffer(8)
    r = call(SO_QUERY, struct.pack('<QQII', h, ctypes.addressof(p), 1, 0))[0]
    return '%s %d' % (r, struct.unpack('<Q', p.raw)[0])

vm, bo = vm_create(), bo_create(4 << 20)
s, t, s2, s3, s4 = syncobj(), syncobj(), syncobj(), syncobj(), syncobj()
step('map_signal', bind(vm, [op(MAP, bo, 0, 0x1000000, 2 << 20, [sync(SIGNAL, s)])]))
step('map_signal_wait', wait(s))
step('unmap_wait_signal_point3', bind(vm, [op(UNMAP, 0, 0, 0x1000000, 2 << 20,
     [sync(0, s), sync(SIGNAL | TIMELINE, t, 3)])]))
step('point3_wait', wait(t, 3))
step('point3_query', query(t))
if not skipped('signal_unknown_syncobj'):
    step('signal_unknown_syncobj', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(SIGNAL, 999)])]))
step('wait_unknown_syncobj', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(0, 999)])]))
step('wait_syncobj_without_fence', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(0, s2)])]))
step('wait_point_not_submitted', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(TIMELINE, t, 100)])]))
step('sync_only_signal', bind(vm, [op(SYNC_ONLY, syncs=[sync(SIGNAL, s3)])]))
step('sync_only_signal_wait', wait(s3))
step('sync_only_without_syncs', bind(vm, [op(SYNC_ONLY)]))
step('sync_only_with_va', bind(vm, [op(SYNC_ONLY, va=0x1000000, size=4096, syncs=[sync(SIGNAL, s3)])]))
step('batch_chain', bind(vm, [op(MAP, bo, 0, 0x2000000, 4 << 20, [sync(SIGNAL, s4)]),
     op(UNMAP, 0, 0, 0x2000000, 4 << 20, [sync(0, s4), sync(SIGNAL | TIMELINE, t, 7)])]))
step('batch_chain_wait', wait(t, 7))
step('batch_chain_query', query(t))
step('binary_with_point', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(SIGNAL, s, 5)])]))
step('handle_type_2', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(SIGNAL | 2, s)])]))
step('sync_flag_bit8', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(SIGNAL | 0x100, s)])]))
step('second_op_unaligned', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(SIGNAL, s)]),
     op(MAP, bo, 0, 0x1000800, 4096, [sync(SIGNAL, s)])]))
step('syncs_stride_8', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(SIGNAL, s)], stride=8)]))
step('syncs_stride_24', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(SIGNAL, s)], stride=24)]))
step('ops_stride_40', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(SIGNAL, s)])], stride=40))
step('ops_stride_56', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(SIGNAL, s)])], stride=56))
step('ops_count_zero', bind(vm, []))
step('huge_map', bind(vm, [op(MAP, bo, 0, 0x40000000, 4 << 20, [sync(SIGNAL, s)])]))
step('huge_map_wait', wait(s))
step('huge_partial_unmap', bind(vm, [op(UNMAP, 0, 0, 0x40001000, 4096, [sync(SIGNAL, s)])]))
step('huge_partial_unmap_wait', wait(s))
step('huge_rest_unmap_sync', bind(vm, [op(UNMAP, 0, 0, 0x40000000, 4 << 20)], flags=0))
step('map_flags_all', bind(vm, [op(MAP | 7, bo, 4096, 0x5000000, 8192, [sync(SIGNAL, s)])]))
step('map_flags_all_wait', wait(s))
step('map_flag_bit3', bind(vm, [op(MAP | 8, bo, 0, 0x5000000, 8192, [sync(SIGNAL, s)])]))
step('map_kernel_va', bind(vm, [op(MAP, bo, 0, 0xffff00000000, 4096, [sync(SIGNAL, s)])]))
# PRIME: a shared BO exports and imports back as the same handle, which
# maps; a BO private to a VM refuses to be exported.
PRIME_TO_FD, PRIME_TO_HANDLE = iowr(0x2d, 12), iowr(0x2e, 12)
r, b = call(PRIME_TO_FD, struct.pack('<IIi', bo, os.O_CLOEXEC | os.O_RDWR, -1))
step('prime_export', r)
if r == 'OK':
    dfd = struct.unpack_from('<i', b, 8)[0]
    r, b = call(PRIME_TO_HANDLE, struct.pack('<IIi', 0, 0, dfd))
    step('prime_import_same_handle', '%s %s' % (r, struct.unpack_from('<I', b)[0] == bo))
    os.close(dfd)
xbo = struct.unpack_from('<I', call(BO_CREATE, struct.pack('<QIIII', 4096, 0, vm, 0, 0))[1], 16)[0]
step('prime_export_exclusive', call(PRIME_TO_FD, struct.pack('<IIi', xbo, os.O_CLOEXEC, -1))[0])
step('map_exclusive', bind(vm, [op(MAP, xbo, 0, 0x7000000, 4096)], flags=0))
step('unknown_vm', bind(77, [op(MAP, bo, 0, 0x1000000, 4096, [sync(SIGNAL, s)])]))
step('vm_state', '%s %d' % (lambda r: (r[0], struct.unpack_from('<I', r[1], 4)[0]))(
     call(VM_GET_STATE, struct.pack('<II', vm, 0))))
# A zero-size ASYNC map: Panthor 6.12 checks no size on this path; it is
# queued, runs and signals, and the VM stays usable.
step('async_size_zero_map', bind(vm, [op(MAP, bo, 0, 0x6000000, 0, [sync(SIGNAL, s)])]))
step('async_size_zero_map_wait', wait(s))
step('vm_state_after_size_zero', '%s %d' % (lambda r: (r[0], struct.unpack_from('<I', r[1], 4)[0]))(
     call(VM_GET_STATE, struct.pack('<II', vm, 0))))
step('async_map_after', bind(vm, [op(MAP, bo, 0, 0x6000000, 4096, [sync(SIGNAL, s)])]))
step('sync_map_after', bind(vm, [op(MAP, bo, 0, 0x6000000, 4096)], flags=0))
step('sync_unmap_after', bind(vm, [op(UNMAP, 0, 0, 0x5000000, 8192)], flags=0))
step('vm_destroy', call(VM_DESTROY, struct.pack('<II', vm, 0))[0])
step('destroyed_vm', bind(vm, [op(MAP, bo, 0, 0x1000000, 4096, [sync(SIGNAL, s)])]))
os.close(fd)
EOF
# Panthor 6.12 oopses on an unknown syncobj in an ASYNC signal op (as in
# GROUP_SUBMIT: panthor_sync_signal_free() puts a NULL syncobj): that step
# runs on panref only, which must give the EINVAL Panthor meant to return.
a0=$(SKIP_STEPS=signal_unknown_syncobj python3 "$tmp/async.py" "$node0" 2>&1)
a1=$(python3 "$tmp/async.py" "$node1" 2>&1)
u1=$(grep '^signal_unknown_syncobj ' <<<"$a1")
a1=$(sed 's/^signal_unknown_syncobj .*/signal_unknown_syncobj SKIP/' <<<"$a1")
if [ "$(wc -l <<<"$a0")" -ge 30 ] && [ "$a0" = "$a1" ] && ! grep -q ETIME <<<"$a0" &&
   [ "$u1" = "signal_unknown_syncobj EINVAL count=1" ]; then
	ktap_ok async_vm_bind_same_as_panthor
	echo "# $(wc -l <<<"$a1") steps, $(grep -c ' OK' <<<"$a1") succeed on both"
else
	ktap_fail async_vm_bind_same_as_panthor "panthor vs panref:" "$(diff <(echo "$a0") <(echo "$a1"))" \
		"panref, unknown signal syncobj: $u1" "$a0"
fi

# --- deviation knobs: the comparison above can fail ---------------------------
echo bo_create_pad_errno > "$PARAM"
r1=$(results bo "$node1")
echo > "$PARAM"
r1b=$(results bo "$node1")
# A misspelt deviation is refused, not silently ignored.
refused=no
(echo bo_create_pad_ernno > "$PARAM") 2>/dev/null || refused=yes
if grep -qx "bo-create-nonzero-pad FAIL" <<<"$r1" &&
   grep -qx "bo-create-nonzero-pad SUCCESS" <<<"$r1b" && [ $refused = yes ] &&
   [ -z "$(cat "$PARAM")" ]; then
	ktap_ok deviation_knob_detected
else
	ktap_fail deviation_knob_detected "with deviate=bo_create_pad_errno:" \
		"$(grep nonzero-pad <<<"$r1")" "after clearing it:" "$(grep nonzero-pad <<<"$r1b")" \
		"unknown name refused: $refused, parameter now '$(cat "$PARAM")'"
fi

echo query_gpu_rev > "$PARAM"
q1=$(devquery_block "$node1")
echo > "$PARAM"
d=$(diff <(echo "$q0") <(echo "$q1"))
if [ "$(grep -c '^[<>]' <<<"$d")" = 2 ] && grep -q '^> gpu_info.gpu_rev 0x1$' <<<"$d"; then
	ktap_ok deviation_query_gpu_rev_detected
else
	ktap_fail deviation_query_gpu_rev_detected "expected exactly gpu_rev to differ:" "$d"
fi

# --- runtime PM: suspend halts and resets, resume reboots the MCU -------------
pm=$GPU1/power
echo on > "$pm/control"
wait_for 5 grep -qx active "$pm/runtime_status"
resets0=$(model_stat 1 soft_resets) boots0=$(model_stat 1 mcu_boots)
echo auto > "$pm/control"
if wait_for 5 grep -qx suspended "$pm/runtime_status" &&
   [ "$(model_stat 1 soft_resets)" -gt "$resets0" ] &&
   [ "$(model_stat 1 mcu_status)" = 0 ]; then
	echo on > "$pm/control"
	if wait_for 5 grep -qx active "$pm/runtime_status" &&
	   wait_for 2 test "$(model_stat 1 mcu_boots)" -gt "$boots0" &&
	   [ "$(model_stat 1 mcu_status)" = 1 ]; then
		ktap_ok runtime_pm_suspend_resume
	else
		ktap_fail runtime_pm_suspend_resume "resume: $(cat "$pm/runtime_status"), boots $boots0 -> $(model_stat 1 mcu_boots)"
	fi
	echo auto > "$pm/control"
else
	ktap_fail runtime_pm_suspend_resume "suspend: $(cat "$pm/runtime_status"), resets $resets0 -> $(model_stat 1 soft_resets)"
	echo auto > "$pm/control"
fi

# --- watchdog: with the GPU kept active, panref pings every 12 s -----------
echo on > "$pm/control"
wait_for 5 grep -qx active "$pm/runtime_status"
pings0=$(model_stat 1 pings)
sleep 13
pings1=$(model_stat 1 pings) mcu=$(model_stat 1 mcu_status)
echo auto > "$pm/control"
if [ "$pings1" -gt "$pings0" ] && [ "$mcu" = 1 ] &&
   ! dmesg | grep -q "panref.*FW ping timeout"; then
	ktap_ok ping_watchdog_13s
else
	ktap_fail ping_watchdog_13s "pings $pings0 -> $pings1 in 13 s, mcu_status $mcu"
fi

# --- GPU reset (what a ping timeout or a stuck MMU triggers) ---------------
# debugfs "reset" (test only) asks for the reset a hang would: the MCU is
# stopped, the GPU soft-reset, the firmware reloaded and rebooted.
echo on > "$pm/control"
wait_for 5 grep -qx active "$pm/runtime_status"
resets0=$(model_stat 1 soft_resets) boots0=$(model_stat 1 mcu_boots)
bad=""
if echo 1 > "/sys/kernel/debug/dri/$dev1/reset"; then
	wait_for 5 test "$(model_stat 1 mcu_boots)" -gt "$boots0" || bad="MCU not rebooted"
	dmesg | grep -q "panref $dev1: .*resetting the GPU" || bad="$bad; no reset logged"
	[ "$(model_stat 1 soft_resets)" -gt "$resets0" ] || bad="$bad; no soft reset"
	[ "$(model_stat 1 mcu_status)" = 1 ] || bad="$bad; MCU status $(model_stat 1 mcu_status)"
	dmesg | grep -q "GPU reset failed" && bad="$bad; reset failed"
	[ "$(devquery_block "$node1")" = "$q0" ] || bad="$bad; DEV_QUERY differs after the reset"
	[ "$(results vm_bind "$node1")" = "$(results vm_bind "$node0")" ] ||
		bad="$bad; vm_bind conformance differs after the reset"
else
	bad="no debugfs reset file"
fi
echo auto > "$pm/control"
if [ -z "$bad" ]; then ktap_ok gpu_reset_recovers
else ktap_fail gpu_reset_recovers "${bad#; }" "$(dmesg | grep panref | tail -5)"; fi

# Before the first unbind: every group the steps above made (conformance,
# the reset) is freed (test build's debugfs "groups"); a group left behind
# would keep its VM, and its page tables would still be allocated when the
# module unloads below.
if wait_for 10 grep -qx 0 "/sys/kernel/debug/dri/$dev1/groups"; then
	ktap_ok groups_freed_before_unbind
else
	ktap_fail groups_freed_before_unbind \
		"$(cat "/sys/kernel/debug/dri/$dev1/groups") groups still allocated" \
		"$(dmesg | grep panref | tail -5)"
fi

# --- corrupt firmware: one clear error line, probe fails, no crash --------
fwpath=/sys/module/firmware_class/parameters/path
fw_orig=$(cat "$fwpath")
bad=""
kinds=$("$B/mkfw" --list-corruptions | cut -f1)
for kind in $kinds; do
	echo "$dev1" > /sys/bus/platform/drivers/panref/unbind 2>/dev/null
	dmesg -C
	printf '%s' "$B/firmware-bad/$kind" > "$fwpath"
	if echo "$dev1" > /sys/bus/platform/drivers/panref/bind 2>/dev/null; then
		bad="$bad; $kind: bound"
		continue
	fi
	n=$(dmesg | grep -c "panref $dev1: firmware .* rejected (-[0-9]*): ..")
	[ "$n" = 1 ] || bad="$bad; $kind: $n 'rejected' lines: $(dmesg | grep panref | tail -3)"
done
printf '%s' "$fw_orig" > "$fwpath"
echo "$dev1" > /sys/bus/platform/drivers/panref/bind 2>/dev/null || bad="$bad; good firmware did not bind"
wait_for 5 test -e "$GPU1/drm" || bad="$bad; no drm device with the good firmware"
node1=/dev/dri/$(render_of "$GPU1")
[ "$(devquery_block "$node1")" = "$q0" ] || bad="$bad; DEV_QUERY differs after the good firmware"
if [ -z "$bad" ] && [ "$(wc -w <<<"$kinds")" -ge 5 ]; then
	ktap_ok bad_firmware_rejected_cleanly
	echo "# $(wc -w <<<"$kinds") corrupt containers, each one dev_err line"
else
	ktap_fail bad_firmware_rejected_cleanly "${bad#; }"
fi

# --- rebind with an open render node -----------------------------------------
# A helper holds the node open with a VM, an exclusive and a shared BO
# mapped synchronously, and an asynchronous map signalling a syncobj. After
# the unbinds its ioctls must fail with ENODEV; closing it then frees
# everything on the unplugged device.
cat > "$tmp/holder.py" <<'EOF'
import ctypes, errno, fcntl, os, struct, sys

def iowr(nr, size):
    return (3 << 30) | (size << 16) | (ord('d') << 8) | nr

VM_CREATE, VM_BIND, BO_CREATE = iowr(0x41, 16), iowr(0x43, 24), iowr(0x45, 24)
SYNCOBJ_CREATE, SYNCOBJ_WAIT = iowr(0xBF, 8), iowr(0xC3, 40)

def ioctl(fd, req, buf):
    b = bytearray(buf)
    fcntl.ioctl(fd, req, b)
    return b

fd = os.open(sys.argv[1], os.O_RDWR)
vm = struct.unpack_from('<I', ioctl(fd, VM_CREATE, struct.pack('<IIQ', 0, 0, 0)), 4)[0]
bos = []
for excl in (vm, 0):
    r = ioctl(fd, BO_CREATE, struct.pack('<QIIII', 2 << 20, 0, excl, 0, 0))
    bos.append(struct.unpack_from('<I', r, 16)[0])
keep = []
def bind(flags, ops):
    arr = ctypes.create_string_buffer(b''.join(ops))
    keep.append(arr)
    ioctl(fd, VM_BIND, struct.pack('<IIIIQ', vm, flags, 48, len(ops), ctypes.addressof(arr)))
def map_op(bo, va, size, syncs=b'', nsyncs=0):
    s = ctypes.create_string_buffer(syncs or b'\0')
    keep.append(s)
    return struct.pack('<IIQQQIIQ', 0, bo, 0, va, size, 16, nsyncs, ctypes.addressof(s))
bind(0, [map_op(bos[0], 0x1000000, 2 << 20), map_op(bos[1], 0x2000000, 1 << 20)])
so = struct.unpack_from('<I', ioctl(fd, SYNCOBJ_CREATE, struct.pack('<II', 0, 0)))[0]
bind(1, [map_op(bos[1], 0x3000000, 2 << 20, struct.pack('<IIQ', 1 << 31, so, 0), 1)])
handles = ctypes.c_uint32(so)
ioctl(fd, SYNCOBJ_WAIT, struct.pack('<QqIIIIQ', ctypes.addressof(handles), 2**62, 1, 0, 0, 0, 0))
print('ready', flush=True)
sys.stdin.readline()
try:
    ioctl(fd, VM_CREATE, struct.pack('<IIQ', 0, 0, 0))
    print('vm_create_after_unplug ok')
except OSError as e:
    print('vm_create_after_unplug', errno.errorcode.get(e.errno, e.errno))
os.close(fd)
EOF
mkfifo "$tmp/ctl"
python3 "$tmp/holder.py" "$node1" < "$tmp/ctl" > "$tmp/holder.out" 2>&1 &
hpid=$!
exec 7> "$tmp/ctl"
wait_for 10 grep -q ready "$tmp/holder.out"
bad=""
grep -q ready "$tmp/holder.out" || bad="holder did not set up: $(cat "$tmp/holder.out")"
for i in $(seq 20); do
	[ -n "$bad" ] && break
	echo "$dev1" > /sys/bus/platform/drivers/panref/unbind || bad="unbind $i failed"
	[ -e "$GPU1/driver" ] && bad="$bad; still bound after unbind $i"
	echo "$dev1" > /sys/bus/platform/drivers/panref/bind || bad="$bad; bind $i failed"
	wait_for 5 test -e "$GPU1/drm" || bad="$bad; no drm device after bind $i"
done
echo >&7
exec 7>&-
wait "$hpid"
grep -qx "vm_create_after_unplug ENODEV" "$tmp/holder.out" ||
	bad="$bad; holder after unplug: $(cat "$tmp/holder.out")"
new1=/dev/dri/$(render_of "$GPU1")
q1=$(devquery_block "$new1")
[ "$q0" = "$q1" ] || bad="$bad; DEV_QUERY on $new1 differs after rebinding"
[ "$(model_stat 1 unknown_reads)$(model_stat 1 unknown_writes)" = 00 ] ||
	bad="$bad; unknown register accesses"
if [ -z "$bad" ]; then ktap_ok rebind_20x_with_open_fd
else ktap_fail rebind_20x_with_open_fd "$bad" "$(dmesg | grep -i panref | tail -10)"; fi

# --- rmmod/insmod ----------------------------------------------------------
# An open node holds a module reference (as with Panthor), so none is open.
bad=""
for i in $(seq 20); do
	rmmod panref || { bad="rmmod $i failed"; break; }
	[ -e "$GPU1/driver" ] && { bad="GPU 1 still bound after rmmod $i"; break; }
	insmod "$KO" || { bad="insmod $i failed"; break; }
	wait_for 5 test -e "$GPU1/drm" || { bad="no drm device after insmod $i"; break; }
done
new1=/dev/dri/$(render_of "$GPU1")
q1=$(devquery_block "$new1")
[ -z "$bad" ] && [ "$q0" != "$q1" ] && bad="DEV_QUERY on $new1 differs after reloading"
r1=$(results vm_bind "$new1") r0=$(results vm_bind "$node0")
[ -z "$bad" ] && [ "$r0" != "$r1" ] && bad="vm_bind conformance differs after reloading"
if [ -z "$bad" ]; then ktap_ok rmmod_insmod_20x
else ktap_fail rmmod_insmod_20x "$bad" "$(dmesg | grep -i panref | tail -10)"; fi

# --- the model saw only registers it knows ------------------------------------
ur=$(model_stat 1 unknown_reads) uw=$(model_stat 1 unknown_writes)
if [ "$ur" = 0 ] && [ "$uw" = 0 ]; then ktap_ok panref_touches_only_modelled_registers
else ktap_fail panref_touches_only_modelled_registers "unknown reads $ur, writes $uw" "$(dmesg | grep mali-model | tail)"; fi

rm -rf "$tmp"
ktap_end
