#!/bin/bash
# tests/run: alone (its checks have timeouts: a second VM beside it slows it down)
# Real work through upstream Panthor on the model: submits checked in memory.
. "$(dirname "$0")/lib-host.sh"
vm_test submit --timeout 240 -- "$top/build/bin/scenario-submit" --driver panthor
