#!/bin/bash
# tests/run: alone (its checks have timeouts: a second VM beside it slows it down)
# GPU reset and recovery: Panthor resets the model and carries on.
. "$(dirname "$0")/lib-host.sh"
vm_test recover --timeout 240 -- "$top/tests/vm/guest/recover.sh"
