#!/bin/bash
# Inside the debug VM: see tests/debug/10-kmemleak.sh.
. "$(dirname "$0")/../vm/guest/common.sh"
KL=/sys/kernel/debug/kmemleak
t=$(mktemp -d /tmp/kmemleak.XXXXXX)
ktap_begin 2
if [ ! -w $KL ]; then
	ktap_fail panref_tests_under_debug_kernel "no $KL: not the debug kernel"
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
kmemleak_verdict kmemleak_reports_nothing
rm -rf "$t"
ktap_end
