#!/bin/bash
# tests/run: alone (its checks have timeouts: a second VM beside it slows it down)
# 40-faults.sh on panref: faults and timeouts, and panref's log lines.
. "$(dirname "$0")/lib-host.sh"
vm_test faults_panref --timeout 240 -- "$top/tests/vm/guest/faults.sh" panref
