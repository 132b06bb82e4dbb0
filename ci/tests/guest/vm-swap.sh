#!/usr/bin/env bash
# Inside the VM booted without panref (vm/run --no-panref): the board's
# one-GPU path. run-job's pantrace job replays the corpus on Panthor, takes
# GPU 0 from Panthor for the dist's panref.ko (the module swap of a board),
# replays again and diffs the two recordings; then the conformance-panref
# job's command line runs on the swapped GPU. Exit statuses in W/*.rc.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
W=$1
D=$W/lava-dut
rc=0
"$D/ci/dut/run-job" --results "$W/swap-pt" pantrace > "$W/swap-pt.log" 2>&1 || rc=$?
echo $rc > "$W/swap-pt.rc"
rc=0
bash -c "'$D/ci/dut/run-job' --results '$W/swap-conf' $("$top/ci/lava/render" --get RUN conformance-panref)" \
	> "$W/swap-conf.log" 2>&1 || rc=$?
echo $rc > "$W/swap-conf.rc"
