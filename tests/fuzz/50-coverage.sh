#!/bin/bash
# Line coverage (make coverage-vm, fuzz/coverage): the VM (its kernel has
# CONFIG_GCOV_KERNEL) boots with each driver built with GCOV_PROFILE=y,
# the conformance suite runs, and lcov/genhtml make the report. Checks that the report exists,
# counts lines, and includes code that runs outside syscall context (the
# scheduler's tick work, which only a workqueue runs): the reason for gcov
# over UML's own CONFIG_GCOV, which takes no modules.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
ktap_begin 7
log=$("$top/tests/make" coverage-vm 2>&1)
if [ $? != 0 ]; then
	ktap_fail coverage_vm_builds "$(tail -n 30 <<<"$log")"
	exit 1
fi
ktap_ok coverage_vm_builds
# DRIVER TICK-FUNCTION
for pair in "panref panref_sched_tick_work" "panthor tick_work"; do
	set -- $pair
	out=$top/build/coverage/check-$1
	log=$("$top/fuzz/coverage" --driver "$1" --out "$out" 2>&1)
	rc=$?
	first=$(head -n 1 "$out/summary.txt" 2>/dev/null)
	echo "# $1: $first"
	if [ $rc = 0 ] && [ -s "$out/html/index.html" ] &&
	   [[ "$first" =~ lines\ ([1-9][0-9]*)\ of\ ([0-9]+) ]]; then
		ktap_ok "${1}_line_report"
	else
		ktap_fail "${1}_line_report" "exit $rc" "$(tail -n 20 <<<"$log")"
	fi
	# FNDA:<hits>,<function> of the workqueue-only function, hits > 0
	if awk -F'[:,]' -v f="$2" '$1 == "FNDA" && $3 == f && $2 > 0 { ok = 1 } END { exit !ok }' \
		"$out/cov.info" 2>/dev/null; then
		ktap_ok "${1}_report_has_${2}"
	else
		ktap_fail "${1}_report_has_${2}" "$(grep -E "^FN(DA)?:.*,$2\$" "$out/cov.info" 2>&1 | head -n 3)"
	fi
	if grep -q "functions never reached" "$out/summary.txt" 2>/dev/null; then
		ktap_ok "${1}_unreached_list"
	else
		ktap_fail "${1}_unreached_list" "no list in $out/summary.txt"
	fi
done
ktap_end
