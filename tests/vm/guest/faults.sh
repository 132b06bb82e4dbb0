#!/bin/bash
# Inside the VM: the fault scenarios on DRIVER (panthor, the default, or
# panref), then the driver's own log lines for them.
. "$(dirname "$0")/common.sh"
drv=${1:-panthor}
"$B/bin/scenario-faults" --driver "$drv"
rc=$?
log=$(dmesg)
if [ "$drv" = panthor ]; then
	expects=("Unhandled Page fault in AS1 at VA 0x0000000007000000"
		 "CS_FATAL.EXCEPTION_TYPE: 0x48 (CS_BUS_FAULT)"
		 "CS_FATAL.EXCEPTION_TYPE: 0x49 (CS_INSTR_INVALID)"
		 "job timeout")
else
	expects=("Unhandled Page fault in AS1 at VA 0x0000000007000000"
		 "CS_FATAL type 0x48"
		 "CS_FATAL type 0x49"
		 "job timeout")
fi
n=5
for expect in "${expects[@]}"; do
	n=$((n + 1))
	name="${drv}_logged_$(tr -c 'a-zA-Z0-9\n' _ <<<"$expect" | cut -c1-40)"
	if grep -qF -- "$expect" <<<"$log"; then echo "ok $n $name"
	else echo "# $drv did not log: $expect"; echo "not ok $n $name"; rc=1; fi
done

# panref only: the limits of scenario-limits, then (its test build's
# debugfs "groups": groups allocated and not freed) once the scenarios have
# closed their files, every group must be
# freed, the one whose job timed out (infinite_wait) too; then the device
# unbinds and the module unloads without objects left in its caches.
if [ "$drv" = panref ]; then
	# what one ioctl may make panref allocate (scenario-limits, its own
	# KTAP block renumbered into this one)
	"$B/bin/scenario-limits" --driver panref | grep -v '^KTAP\|^1\.\.' |
		awk -v n=$n '/^(not )?ok / { $((/^not/) ? 3 : 2) = ++n } { print }'
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
	n=$((n + 5))
	dbg=/sys/kernel/debug/dri/$(basename "$GPU1")
	n=$((n + 1))
	if wait_for 10 grep -qx 0 "$dbg/groups"; then
		echo "ok $n panref_timeout_frees_group"
	else
		echo "# groups still allocated 10 s after the last file closed: $(cat "$dbg/groups")"
		echo "not ok $n panref_timeout_frees_group"
		rc=1
	fi
	n=$((n + 1))
	echo "$(basename "$GPU1")" > /sys/bus/platform/drivers/panref/unbind
	rmmod panref
	bad=$(dmesg | grep -E "Objects remaining|kmem_cache_destroy|Slab cache still has objects")
	if [ -z "$bad" ] && ! grep -q '^panref ' /proc/modules; then
		echo "ok $n panref_unloads_clean_after_faults"
	else
		echo "# $bad"
		echo "not ok $n panref_unloads_clean_after_faults"
		rc=1
	fi
fi
exit $rc
