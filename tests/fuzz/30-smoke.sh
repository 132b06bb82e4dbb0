#!/bin/bash
# A 30-second campaign per kind (the ioctl fuzzer, the firmware-interface
# fuzzer) and per driver in the fuzzing kernel
# (the debug variant: KASAN, UBSAN, lockdep), from an empty corpus, known
# bugs filtered (fuzz/campaign, as `make fuzz` runs it). It must run,
# collect coverage from syscall context and from the driver's workqueues
# (remote KCOV: panref's PANREF_KCOV build, Panthor's patched build), and
# find nothing. FUZZ_SMOKE_MINUTES changes the length (0.5: at 30 s a
# campaign has 2-4 times the executions and PCs asked below; long
# campaigns are `make fuzz`'s).
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
mins=${FUZZ_SMOKE_MINUTES:-0.5}
ktap_begin 16
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for kind in ioctl fw; do
for driver in panthor panref; do
	# the firmware fuzzer re-probes the driver for every input: far fewer
	min_execs=2000
	[ $kind = fw ] && min_execs=200
	"$top/fuzz/campaign" --driver "$driver" --kind $kind --minutes "$mins" --debug-kernel \
		--out "$tmp/$kind-$driver" --corpus "$tmp/$kind-$driver-corpus" -- -seed=1 \
		> "$tmp/$kind-$driver.log" 2>&1
	rc=$?
	sum=$tmp/$kind-$driver/summary.txt
	execs=$(sed -n 's/^executions: \([0-9]*\).*/\1/p' "$sum" 2>/dev/null)
	read -r tpcs rpcs < <(sed -n 's/^distinct PCs.*: thread \([0-9]*\), remote \([0-9]*\),.*/\1 \2/p' "$sum" 2>/dev/null)
	crashes=$(sed -n 's/^crashes: \([0-9]*\) distinct.*/\1/p' "$sum" 2>/dev/null)
	echo "# $kind $driver: exit $rc, ${execs:-?} executions, PCs thread ${tpcs:-?} remote ${rpcs:-?}, ${crashes:-?} crashes"
	if [ $rc = 0 ] && [ "${execs:-0}" -ge $min_execs ]; then
		ktap_ok "${kind}_${driver}_campaign_ran"
	else
		ktap_fail "${kind}_${driver}_campaign_ran" "$(tail -n 30 "$tmp/$kind-$driver.log")"
	fi
	# Well under what 30 s reaches (about 600 and 200+), well over nothing.
	if [ "${tpcs:-0}" -ge 300 ]; then ktap_ok "${kind}_${driver}_syscall_coverage"
	else ktap_fail "${kind}_${driver}_syscall_coverage" "distinct PCs from syscalls: ${tpcs:-none}"; fi
	if [ "${rpcs:-0}" -ge 100 ]; then ktap_ok "${kind}_${driver}_remote_coverage"
	else ktap_fail "${kind}_${driver}_remote_coverage" "distinct PCs from workqueues: ${rpcs:-none}"; fi
	if [ "${crashes:-1}" = 0 ]; then ktap_ok "${kind}_${driver}_no_new_crash"
	else
		keep=$top/build/fuzz/smoke-$kind-$driver-$(date +%Y%m%d-%H%M%S)
		mkdir -p "$top/build/fuzz" && cp -r "$tmp/$kind-$driver" "$keep"
		ktap_fail "${kind}_${driver}_no_new_crash" "$(sed -n '/^crashes/,$p' "$sum")" \
			"crash directories (kept in $keep/crashes): $(ls "$tmp/$kind-$driver/crashes" 2>/dev/null)"
	fi
done
done
ktap_end
