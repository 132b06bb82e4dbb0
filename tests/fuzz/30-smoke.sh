#!/bin/bash
# A campaign per kind (the ioctl fuzzer: 30 s; the firmware-interface
# fuzzer: 60 s, as its coverage from the workqueues comes late) and per driver in the fuzzing kernel
# (the debug variant: KASAN, UBSAN, lockdep), from an empty corpus, known
# bugs filtered (fuzz/campaign, as `make fuzz` runs it). It must run,
# collect coverage from syscall context and from the driver's workqueues
# (remote KCOV: panref's PANREF_KCOV build, Panthor's patched build), and
# find nothing. FUZZ_SMOKE_MINUTES sets both lengths (at 30 s an ioctl
# campaign has twice the executions and PCs asked below; the firmware
# fuzzer reached 27-45 remote PCs in 30 s, 215-470 in 60; long campaigns
# are `make fuzz`'s).
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
mins_ioctl=${FUZZ_SMOKE_MINUTES:-0.5} mins_fw=${FUZZ_SMOKE_MINUTES:-1}
ktap_begin 16
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for kind in ioctl fw; do
for driver in panthor panref; do
	# the firmware fuzzer re-probes the driver for every input: far fewer
	min_execs=2000 mins=$mins_ioctl
	[ $kind = fw ] && min_execs=200 mins=$mins_fw
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
	# Well under what the campaign reaches (550+ and 200+), well over nothing.
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
