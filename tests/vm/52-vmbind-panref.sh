#!/bin/bash
# 50-vmbind.sh on panref: VM_BIND map/unmap as the GPU sees it.
. "$(dirname "$0")/lib-host.sh"
vm_test vmbind_panref --timeout 240 -- "$top/build/bin/scenario-vmbind" --driver panref
