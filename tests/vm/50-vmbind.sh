#!/bin/bash
# VM_BIND map/unmap, synchronous and asynchronous, as the GPU sees it.
. "$(dirname "$0")/lib-host.sh"
vm_test vmbind --timeout 240 -- "$top/build/bin/scenario-vmbind" --driver panthor
