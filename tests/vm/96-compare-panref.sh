#!/bin/bash
# pantrace compare: every corpus trace, Panthor (GPU 0)
# vs panref (GPU 1) in lockstep; the deviation knob shows up at the right call.
. "$(dirname "$0")/lib-host.sh"
vm_test compare_panref --timeout 300 -- "$top/tests/vm/guest/compare.sh"
