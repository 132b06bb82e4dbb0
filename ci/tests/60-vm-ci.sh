#!/usr/bin/env bash
# The farm path against the VM, one boot (ci/tests/guest/vm-board.sh):
# - LAVA: ci/dut/run-job from the dist tarball prints LAVA's test-case
#   signals; its console, made into LAVA's log (ci/tests/lava-log), goes
#   through ci/lava/collect, which must rebuild the DUT's results.json,
#   junit.xml and all.tsv byte for byte; the results are those of the VM run
#   (conformance/run in the same boot) but for run identity and timings;
# - ci/board-run over SSH (an sshd in the VM on loopback) gives the same
#   report as the VM run, and its pantrace job passes;
# - the fuzz job of run-job, on the host, for a few seconds per target.
# The one-GPU path of a board (a second boot) is ci/tests/62-vm-ci-swap.sh,
# a test of its own so that make check can run it beside this one.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib-host.sh"
W=$top/build/ci/vm
rm -rf "$W" && mkdir -p "$W"
dist=$W/panref-native.tar.gz
# the fuzz targets and seeds the dist carries (make check has built them already)
"$top/tests/make" -o kernel "$top/build/fuzz/trace_reader" "$top/build/fuzz/fw_image" \
	"$top/build/fuzz/seed-fw/.stamp" >/dev/null
"$top/ci/mkdist" --build "$top/build" --module "$top/driver/panref.ko" --arch native --out "$dist" >/dev/null
echo "KTAP version 1"
echo "1..13"
vm_test ci_vm --timeout 600 -- "$top/ci/tests/guest/vm-board.sh" "$W" "$dist" || :
. "$top/ci/tests/lib-vm-ci.sh"
# results.json with what differs between two runs removed: run identity
# (time_elapsed, uname) and each test's time
norm_json() { /usr/bin/python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
j.pop("time_elapsed"); j.pop("uname")
for v in j["tests"].values(): v.pop("time")
print(json.dumps(j, indent=1, sort_keys=True))' "$1"; }
norm_junit() { sed -E 's/ time="[^"]*"//g' "$1"; }
same_run() {	# same_run A_DIR B_DIR: same tests, results, reasons, totals
	diff <(norm_json "$1/results.json") <(norm_json "$2/results.json") &&
	diff <(norm_junit "$1/junit.xml") <(norm_junit "$2/junit.xml") &&
	diff <(cut -f1-3,5 "$1/all.tsv") <(cut -f1-3,5 "$2/all.tsv")
}
check vm_run_gate_passed test "$(rcof vm)" = 0
check lava_dut_gate_passed test "$(rcof lava)" = 0
lava() {
	"$top/ci/tests/lava-log" 0_conformance-panthor < "$W/lava-console.txt" > "$W/log.yaml" &&
	"$top/ci/lava/collect" "$W/log.yaml" --out "$W/collected"
}
check lava_log_collected lava
C=$W/collected/conformance-panthor D=$W/lava-dut/results/conformance-panthor
byte_same() { has_results "$2" && cmp "$1/results.json" "$2/results.json" && cmp "$1/junit.xml" "$2/junit.xml" &&
	cmp "$1/all.tsv" "$2/all.tsv"; }
check lava_log_gives_dut_files_byte_for_byte byte_same "$C" "$D"
check lava_results_same_as_vm_run same_run "$C" "$W/vm"
check board_run_gate_passed test "$(rcof board)" = 0
check board_run_went_over_ssh grep -q 'Accepted publickey for root from 127.0.0.1' "$W/ssh/sshd.log"
check board_run_report_same_as_vm_run same_run "$W/board/conformance-panthor/conformance-panthor" "$W/vm"
pantrace_job() {	# every case passed, and there are replay and compare cases besides the exits
	local c=$W/board/pantrace/cases.txt
	grep -qx 'replay-exit pass' "$c" && grep -qx 'compare-exit pass' "$c" &&
	grep -q '^replay-.*\.ptrace pass$' "$c" && grep -q '^compare-.*\.ptrace pass$' "$c" &&
	! grep -v ' pass$' "$c" || { cat "$c"; return 1; }
}
check board_run_pantrace_replay_and_compare pantrace_job
igt_merged() {	# the stand-in's subtest and the suite's, in one results.json, one gate
	local r=$W/igt-res/conformance-panthor/results.json
	test "$(rcof igt)" = 0 && grep -q '"igt@panthor_standin@query":{"result":"pass"' "$r" &&
	grep -q '"igt@query@' "$r" && ! grep -q 'other_test' "$r" &&
	grep -qx 'igt-present pass' "$W/igt-res/cases.txt" || { cat "$W/igt.log"; return 1; }
}
check igt_option_merges_igt_binaries_into_the_results igt_merged
check igt_option_without_igt_binary_fails bash -c \
	"[ \"\$(cat '$W/igt-none.rc')\" != 0 ] && grep -qx 'igt-present fail' '$W/igt-none/cases.txt'"
# fuzz: no device needed; the host runs the job as a board would
fuzz() {
	mkdir -p "$W/fuzz-dut" && tar -xzf "$dist" -C "$W/fuzz-dut" --strip-components=1 &&
	[ -x "$W/fuzz-dut/build/fuzz/trace_reader" ] && [ -x "$W/fuzz-dut/build/fuzz/fw_image" ] &&
	"$W/fuzz-dut/ci/dut/run-job" --results "$W/fuzz-res" fuzz --seconds 3 > "$W/fuzz.log" 2>&1 &&
	[ "$(grep -c '^fuzz-.* pass [0-9]* runs$' "$W/fuzz-res/cases.txt")" = 2 ] ||
	{ cat "$W/fuzz.log" "$W/fuzz-res/cases.txt"; return 1; }
}
check fuzz_job_runs_every_target fuzz
[ "$n" = 12 ] || echo "not ok 99 test_count"
