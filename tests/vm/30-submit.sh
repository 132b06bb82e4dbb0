#!/bin/bash
# Real work through upstream Panthor on the model: submits checked in memory.
. "$(dirname "$0")/lib-host.sh"
vm_test submit --timeout 240 -- "$top/build/bin/scenario-submit" --driver panthor
