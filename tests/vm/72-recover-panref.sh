#!/bin/bash
# tests/run: alone (its checks have timeouts: a second VM beside it slows it down)
# 70-recover.sh on panref: GPU reset with MCU reboot, and the progress timer.
. "$(dirname "$0")/lib-host.sh"
vm_test recover_panref --timeout 240 -- "$top/tests/vm/guest/recover.sh" panref
