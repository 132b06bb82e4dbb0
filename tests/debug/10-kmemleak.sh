#!/bin/bash
# In the debug kernel (make debug-vm): panref's VM test (20 rebinds with an
# open node, 20 reloads, conformance against Panthor) and the fault
# scenarios (a job timeout among them), then every group must be freed,
# kmemleak must report nothing and the log must show no lockdep splat.
. "$(dirname "$0")/../vm/lib-host.sh"
vm_test kmemleak --debug-kernel --timeout 1500 -- "$top/tests/debug/guest-kmemleak.sh"
