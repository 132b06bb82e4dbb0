#!/bin/bash
# pantrace: record real programs on Panthor, dump them decoded, survive kills.
. "$(dirname "$0")/lib-host.sh"
vm_test pantrace --timeout 300 -- "$top/tests/vm/guest/pantrace.sh"
