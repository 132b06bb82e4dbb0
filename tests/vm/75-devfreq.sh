#!/bin/bash
# tests/run: alone (its checks have timeouts: a second VM beside it slows it down)
# One boot: both drivers' devfreq moves the model's GPU clock with the load.
. "$(dirname "$0")/lib-host.sh"
vm_test devfreq --timeout 120 -- "$top/tests/vm/guest/devfreq.sh"
