#!/bin/bash
# tests/run: alone (its checks have timeouts: a second VM beside it slows it down)
# Faults and timeouts through upstream Panthor on the model.
. "$(dirname "$0")/lib-host.sh"
vm_test faults --timeout 240 -- "$top/tests/vm/guest/faults.sh"
