#!/bin/bash
# The libFuzzer targets (make fuzz-trace, fuzz-fw, fuzz-prog) still build and run
# clean for a short while: one KTAP result each. This keeps them compiling
# between the long campaigns quoted in issue notes; it proves nothing about
# depth (FUZZ_SMOKE_SECONDS, default 8, per target).
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
secs=${FUZZ_SMOKE_SECONDS:-8}
ktap_begin 3
for t in trace fw prog; do
	log=$("$top/tests/make" "fuzz-$t" \
		FUZZ_SECONDS="$secs" 2>&1)
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' <<<"$log" | tail -n 1)
	# A clean run exits 0 and prints its final stats; a finding (crash,
	# leak, sanitizer report) exits non-zero and leaves a crash-* file.
	if [ $rc = 0 ] && [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
		echo "# fuzz-$t: $runs runs in $secs s"
		ktap_ok "fuzz_${t}_smoke"
	else
		ktap_fail "fuzz_${t}_smoke" "$(tail -n 30 <<<"$log")"
	fi
done
ktap_end
