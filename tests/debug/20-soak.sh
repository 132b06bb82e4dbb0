#!/bin/bash
# In the debug kernel (KASAN, kmemleak, lockdep): 8 processes mixing
# submits, binds, heap growth, group create/destroy and faulting jobs on
# panref for SOAK_SECONDS (default 60; `make soak` runs 600), with firmware
# faults injected at random (tests/soak/guest-soak.sh).
. "$(dirname "$0")/../vm/lib-host.sh"
secs=${SOAK_SECONDS:-60}
vm_test soak --debug-kernel --mem 768M --timeout $((secs + 600)) \
	-- "$top/tests/soak/guest-soak.sh" "$secs"
