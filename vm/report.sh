#!/bin/bash
# The main job's command inside the VM: which GPUs exist, which driver has
# each, and the DEV_QUERY report of every panthor-uAPI render node.
B=$(cd "$(dirname "$0")/.." && pwd)/build
for d in /sys/bus/platform/devices/*.gpu; do
	drv=none
	[ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
	echo "gpu $(basename "$d") driver=$drv override=$(cat "$d/driver_override")"
done
echo
exec "$B/bin/panthor-devquery"
