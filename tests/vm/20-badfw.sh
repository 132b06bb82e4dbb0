#!/bin/bash
# Corrupt firmware containers: Panthor fails probe with its own error, the
# model survives, a valid container binds afterwards.
. "$(dirname "$0")/lib-host.sh"
first=$("$top/build/mkfw" --list-corruptions | head -1 | cut -f1)
vm_test badfw --timeout 120 --fw "$top/build/firmware-bad/$first" -- \
	"$top/tests/vm/guest/badfw.sh"
