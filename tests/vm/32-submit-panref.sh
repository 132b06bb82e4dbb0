#!/bin/bash
# tests/run: alone (its checks have timeouts: a second VM beside it slows it down)
# 30-submit.sh on panref (GPU 1): submits checked in memory, the GPU reading
# and writing through panref's page tables.
. "$(dirname "$0")/lib-host.sh"
vm_test submit_panref --timeout 240 -- "$top/build/bin/scenario-submit" --driver panref
