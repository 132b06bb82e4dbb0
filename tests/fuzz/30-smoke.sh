#!/bin/bash
# A 60-second campaign of the ioctl fuzzer per driver in the fuzzing kernel
# (the debug variant: KASAN, UBSAN, lockdep), from an empty corpus, known
# bugs filtered (fuzz/campaign, as `make fuzz` runs it). It must run,
# collect coverage from syscall context and from the driver's workqueues
# (remote KCOV: panref's PANREF_KCOV build, Panthor's patched build), and
# find nothing. FUZZ_SMOKE_MINUTES changes the length.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
mins=${FUZZ_SMOKE_MINUTES:-1}
ktap_begin 8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for driver in panthor panref; do
	"$top/fuzz/campaign" --driver "$driver" --minutes "$mins" --debug-kernel \
		--out "$tmp/$driver" --corpus "$tmp/$driver-corpus" -- -seed=1 > "$tmp/$driver.log" 2>&1
	rc=$?
	sum=$tmp/$driver/summary.txt
	execs=$(sed -n 's/^executions: \([0-9]*\).*/\1/p' "$sum" 2>/dev/null)
	read -r tpcs rpcs < <(sed -n 's/^distinct PCs.*: thread \([0-9]*\), remote \([0-9]*\),.*/\1 \2/p' "$sum" 2>/dev/null)
	crashes=$(sed -n 's/^crashes: \([0-9]*\) distinct.*/\1/p' "$sum" 2>/dev/null)
	echo "# $driver: exit $rc, ${execs:-?} executions, PCs thread ${tpcs:-?} remote ${rpcs:-?}, ${crashes:-?} crashes"
	if [ $rc = 0 ] && [ "${execs:-0}" -ge 2000 ]; then
		ktap_ok "${driver}_campaign_ran"
	else
		ktap_fail "${driver}_campaign_ran" "$(tail -n 30 "$tmp/$driver.log")"
	fi
	# Well under what a minute reaches (600+ and 450+), well over nothing.
	if [ "${tpcs:-0}" -ge 300 ]; then ktap_ok "${driver}_syscall_coverage"
	else ktap_fail "${driver}_syscall_coverage" "distinct PCs from syscalls: ${tpcs:-none}"; fi
	if [ "${rpcs:-0}" -ge 100 ]; then ktap_ok "${driver}_remote_coverage"
	else ktap_fail "${driver}_remote_coverage" "distinct PCs from workqueues: ${rpcs:-none}"; fi
	if [ "${crashes:-1}" = 0 ]; then ktap_ok "${driver}_no_new_crash"
	else
		keep=$top/build/fuzz/smoke-$driver-$(date +%Y%m%d-%H%M%S)
		mkdir -p "$top/build/fuzz" && cp -r "$tmp/$driver" "$keep"
		ktap_fail "${driver}_no_new_crash" "$(sed -n '/^crashes/,$p' "$sum")" \
			"crash directories (kept in $keep/crashes): $(ls "$tmp/$driver/crashes" 2>/dev/null)"
	fi
done
ktap_end
