#!/bin/bash
# The conformance suite on upstream Panthor, gated on its expectation files.
# Each subtest becomes one KTAP line; the runner's totals follow.
. "$(dirname "$0")/lib-host.sh"
res=$top/build/conformance-results/panthor
vm_test conformance --timeout 600 -- "$top/conformance/run" --driver panthor --results "$res" \
	--doc "$top/build/conformance-panthor.md" \
	> "$top/build/conformance-vm.log" 2>&1
rc=$?
n=0
while IFS=$'\t' read -r b t r s why; do
	n=$((n + 1))
	case $r in
	SUCCESS) echo "ok $n $b@$t" ;;
	SKIP) echo "ok $n $b@$t # SKIP ${why:-no reason given}" ;;
	*) [ -n "$why" ] && echo "# $why"; echo "not ok $n $b@$t" ;;
	esac
done < "$res/all.tsv"
cat "$top/build/conformance-vm.log"
exit $rc
