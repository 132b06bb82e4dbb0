#!/bin/bash
# Tiler heap: TILER_OOM events answered by Panthor's heap-grow path.
. "$(dirname "$0")/lib-host.sh"
vm_test heap --timeout 240 -- "$top/build/bin/scenario-heap" --driver panthor \
	--model-state /sys/kernel/debug/mali-model/gpu0/state
