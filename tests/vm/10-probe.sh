#!/bin/bash
# One boot: Panthor probes the model, DEV_QUERY, runtime PM, watchdog.
. "$(dirname "$0")/lib-host.sh"
vm_test probe --timeout 120 -- "$top/tests/vm/guest/probe.sh"
