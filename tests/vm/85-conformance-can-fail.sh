#!/bin/bash
# The conformance suite catches a driver that answers wrongly (LD_PRELOAD shim).
. "$(dirname "$0")/lib-host.sh"
vm_test canfail --timeout 300 -- "$top/tests/vm/guest/conf-canfail.sh"
