#!/bin/bash
# Kernel code (driver/, model/) passes checkpatch.pl --no-tree from the 6.12
# tree (make checkpatch): one KTAP result.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
ktap_begin 1
# Its own make: a -jN parent's jobserver is not passed to this script.
out=$("$top/tests/make" checkpatch 2>&1)
rc=$?
out=$(grep -v '^build-kernel:' <<<"$out")
if [ $rc = 0 ] && [ -z "$out" ]; then
	ktap_ok checkpatch_clean
else
	ktap_fail checkpatch_clean "$(tail -n 30 <<<"$out")"
fi
ktap_end
