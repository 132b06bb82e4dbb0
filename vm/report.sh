#!/bin/bash
# The main job's command inside the VM (make run): which GPUs exist and which
# driver has each, the DEV_QUERY report of every panthor-uAPI render node,
# then the bundled traces (corpus/traces): each replayed on Panthor against
# its recording, and every one compared Panthor vs panref in lockstep. Exit status: 0 when no trace shows a difference.
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build
PT=$B/bin/pantrace
for d in /sys/bus/platform/devices/*.gpu; do
	drv=none
	[ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
	echo "gpu $(basename "$d") driver=$drv override=$(cat "$d/driver_override")"
done
echo
"$B/bin/panthor-devquery" || exit 1
echo
echo "== replay of the bundled traces on Panthor (recorded vs replayed)"
"$PT" replay -q "$top"/corpus/traces/*.ptrace
rc=$?
echo
echo "== Panthor vs panref in lockstep, every bundled trace"
if ls /sys/bus/platform/drivers/panref/*.gpu >/dev/null 2>&1; then
	"$PT" compare -q --a driver:panthor --b driver:panref "$top"/corpus/traces/*.ptrace || rc=1
else
	echo "panref is not bound: no comparison"
	rc=1
fi
exit $rc
