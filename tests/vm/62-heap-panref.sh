#!/bin/bash
# 60-heap.sh on panref: TILER_OOM answered by panref's heap-grow path.
. "$(dirname "$0")/lib-host.sh"
vm_test heap_panref --timeout 240 -- "$top/build/bin/scenario-heap" --driver panref \
	--model-state /sys/kernel/debug/mali-model/gpu1/state
