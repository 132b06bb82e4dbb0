#!/bin/bash
# The executor's clock (fuzz/umlclock.c: CLOCK_REALTIME and CLOCK_MONOTONIC
# from the TSC in a UML guest) against the kernel's own, in the VM, for
# 3 s: on, never backwards, within 1 ms, cheaper than the system call.
. "$(dirname "$0")/../vm/lib-host.sh"
vm_test umlclock --no-panthor --no-panref --timeout 60 -- "$top/build/bin/umlclock-check" 3
