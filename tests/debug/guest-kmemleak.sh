#!/bin/bash
# Inside the debug VM: see tests/debug/10-kmemleak.sh; then the fault
# scenarios (a job timeout among them) must leave no group behind.
. "$(dirname "$0")/../vm/guest/common.sh"
KL=/sys/kernel/debug/kmemleak
t=$(mktemp -d /tmp/kmemleak.XXXXXX)
ktap_begin 3
if [ ! -w $KL ]; then
	ktap_fail panref_tests_under_debug_kernel "no $KL: not the debug kernel"
	ktap_fail fault_scenarios_free_every_group "no $KL"
	ktap_fail kmemleak_reports_nothing "no $KL"
	ktap_end
	exit
fi
echo clear > $KL	# what boot left behind is not ours
"$PANREF_TOP/tests/vm/guest/panref.sh" > "$t/panref.out" 2>&1
rc=$?
if [ $rc = 0 ]; then
	ktap_ok panref_tests_under_debug_kernel
else
	ktap_fail panref_tests_under_debug_kernel "exit $rc" "$(grep -E '^not ok|^#' "$t/panref.out" | head -20)"
fi
# The fault scenarios (page faults, CS fatals, a job timeout) on panref:
# every group they made must be freed once they have exited.
out=$("$B/bin/scenario-faults" --driver panref 2>&1)
rc=$?
dbg=/sys/kernel/debug/dri/$(basename "$GPU1")
if [ $rc = 0 ] && wait_for 20 grep -qx 0 "$dbg/groups"; then
	ktap_ok fault_scenarios_free_every_group
else
	ktap_fail fault_scenarios_free_every_group "scenario-faults exit $rc," \
		"groups left: $(cat "$dbg/groups" 2>&1)" "$out"
fi
kmemleak_verdict kmemleak_reports_nothing
rm -rf "$t"
ktap_end
