#!/bin/bash
# panref (driver/panref.ko) on GPU 1 next to upstream Panthor on GPU 0:
# probe, DEV_QUERY and conformance results identical to Panthor's, the
# deviation knob, runtime PM, 20 rebinds with an open node, 20 reloads.
. "$(dirname "$0")/lib-host.sh"
if [ ! -e "$top/driver/panref.ko" ]; then
	echo "1..1"
	echo "not ok 1 panref_built # driver/panref.ko missing (make vm)"
	exit 1
fi
vm_test panref --timeout 400 -- "$top/tests/vm/guest/panref.sh"
