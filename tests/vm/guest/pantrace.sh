#!/bin/bash
# Inside the VM: pantrace records real programs and dumps every call decoded;
# a recorded program killed mid-run leaves a readable trace; every corpus
# trace replays on Panthor as its .expect file says; the differ reports a
# changed return value, errno, out-field, memory byte and missing signal at
# the right call and field; bad traces get clear errors.
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/pantrace-lib.sh"
PT=$B/bin/pantrace
SHIM=$B/lib/conf-shim.so
C=$PANREF_TOP/corpus/traces
t=$(mktemp -d /tmp/pantrace.XXXXXX)
ntraces=$(ls "$C"/*.ptrace | wc -l)
ktap_begin $((15 + ntraces))

check_trace() {	# NAME TRACE: dumps, every ioctl decoded, ends with END
	local name=$1 trace=$2 out rc n raw
	out=$("$PT" dump "$trace" 2>"$t/err")
	rc=$?
	n=$(grep -cE '^#[0-9]+ \[tid' <<<"$out")
	raw=$(grep -c 'ioctl(0x' <<<"$out")
	if [ $rc = 0 ] && [ "$n" -gt 20 ] && [ "$raw" = 0 ] && grep -q "end: the program exited" <<<"$out"; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "dump exit $rc, $n ioctls, $raw undecoded" "$(cat "$t/err")"
	fi
}

"$PT" record -o "$t/submit.ptrace" -- "$B/bin/scenario-submit" >/dev/null
check_trace record_and_dump_scenario_submit "$t/submit.ptrace"
# A fresh recording replays with no difference: scenario-vmbind (BO
# snapshots, a GPU job polling memory the CPU releases during a wait).
# (scenario-submit is not used here: its 2000 jobs run while the CPU takes
# its snapshots, and a counter the GPU bumps between two snapshots cannot be
# told from a CPU write -- harness/FORMAT.md, "BO_DATA".)
"$PT" record -o "$t/vmbind.ptrace" -- "$B/bin/scenario-vmbind" >/dev/null
"$PT" replay -q "$t/vmbind.ptrace" >"$t/out" 2>&1
rc=$?
nz=$("$PT" dump "$t/vmbind.ptrace" | grep -c 'bo_data(')
if [ $rc = 0 ] && grep -q ': 0 differences' "$t/out" && [ "$nz" -gt 0 ]; then
	ktap_ok replay_fresh_recording_of_scenario_vmbind
else
	ktap_fail replay_fresh_recording_of_scenario_vmbind "replay exit $rc, $nz BO_DATA" "$(cat "$t/out")"
fi
# not what takes Panthor 6.12 down or WARNs (conformance/expectations)
mapfile -t skip < <("$PANREF_TOP/conformance/skip-args" "$B/conformance/vm_bind")
"$PT" record -o "$t/vm_bind.ptrace" -- "$B/conformance/vm_bind" "${skip[@]}" >/dev/null
check_trace record_and_dump_conformance_vm_bind "$t/vm_bind.ptrace"

# SIGKILL mid-run: no END, every complete record readable, the tail reported.
"$PT" record -o "$t/killed.ptrace" -- "$B/bin/scenario-submit" >/dev/null &
pid=$!
sleep 0.3
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
out=$("$PT" dump "$t/killed.ptrace" 2>"$t/err")
rc=$?
n=$(grep -cE '^#[0-9]+ ' <<<"$out")
if { [ $rc = 0 ] || [ $rc = 3 ]; } && [ "$n" -gt 0 ] &&
   grep -qE "no END record|truncated tail" "$t/err" && ! grep -q "end: the program" <<<"$out"; then
	ktap_ok sigkill_mid_run_trace_readable
else
	ktap_fail sigkill_mid_run_trace_readable "dump exit $rc, $n records" "$(cat "$t/err")"
fi

# A corrupted byte: dump and replay stop there and say where (exit 4).
cp "$C/conformance-bo.ptrace" "$t/bad.ptrace"
printf '\xff' | dd of="$t/bad.ptrace" bs=1 seek=2000 conv=notrunc 2>/dev/null
"$PT" dump "$t/bad.ptrace" >/dev/null 2>"$t/err"
rc=$?
"$PT" replay "$t/bad.ptrace" >"$t/out" 2>&1
rc2=$?
if [ $rc = 4 ] && grep -qE "bad CRC .* offset [0-9]+" "$t/err" && [ $rc2 = 4 ] &&
   grep -qE "bad CRC .* offset [0-9]+" "$t/out"; then
	ktap_ok corrupt_trace_reported_by_dump_and_replay
else
	ktap_fail corrupt_trace_reported_by_dump_and_replay "dump exit $rc, replay exit $rc2" \
		"$(cat "$t/err" "$t/out")"
fi

# A cut trace: the replay runs every complete record, then reports the tail (exit 3).
head -c 5000 "$C/conformance-bo.ptrace" > "$t/cut.ptrace"
"$PT" replay "$t/cut.ptrace" >"$t/out" 2>&1
rc=$?
if [ $rc = 3 ] && grep -q "truncated tail at offset" "$t/out" && grep -q " 0 differences" "$t/out"; then
	ktap_ok truncated_trace_replayed_up_to_the_cut
else
	ktap_fail truncated_trace_replayed_up_to_the_cut "replay exit $rc" "$(cat "$t/out")"
fi

# Every corpus trace replays as its .expect file says (reports: KTAP, JSON, JUnit).
"$PT" replay --expect -q --ktap "$t/replay.tap" --json "$t/replay.json" \
	--junit "$t/replay.xml" "$C"/*.ptrace >"$t/out" 2>&1
rc=$?
pt_forward_ktap replay_ "$t/replay.tap" "$t/out"
if [ $rc = 0 ] && grep -q '"pantrace_report": 1' "$t/replay.json" &&
   [ "$(grep -c '"trace":' "$t/replay.json")" = "$ntraces" ] &&
   grep -q "<testsuite name=\"pantrace\" tests=\"$ntraces\" failures=\"0\">" "$t/replay.xml"; then
	ktap_ok replay_reports_json_junit_ktap
else
	ktap_fail replay_reports_json_junit_ktap "replay exit $rc" "$(cat "$t/out")"
fi

# compare: two files on Panthor in lockstep, every corpus trace, no difference.
"$PT" compare -q --a driver:panthor --b driver:panthor "$C"/*.ptrace >"$t/out" 2>&1
rc=$?
if [ $rc = 0 ] && [ "$(grep -c ': 0 differences' "$t/out")" = "$ntraces" ]; then
	ktap_ok compare_panthor_with_itself
else
	ktap_fail compare_panthor_with_itself "compare exit $rc" "$(cat "$t/out")"
fi

# caught NAME WANT-SEQ WANT-PATH JSON RC: the differ reported it, first
caught() {
	local got
	got=$(pt_first_diff "$4")
	if [ "$5" = 1 ] && [ "$got" = "$2 $3" ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "replay exit $5; first difference \"$got\", wanted \"$2 $3\"" \
			"$(head -c 2000 "$4")"
	fi
}

# A different errno (the driver under the replay is made to answer wrongly).
tr=$C/conformance-bo.ptrace
want=$("$PT" dump "$tr" | awk '
	/^#[0-9]+ \[tid/ { seq = substr($1, 2); n = $6 }
	/^  = -1 EINVAL/ && n ~ /^PANTHOR_BO_CREATE/ { print seq; exit }')
CONF_SHIM=PANTHOR_BO_CREATE:errno=14 LD_PRELOAD=$SHIM "$PT" replay -q --json "$t/d.json" "$tr" \
	>/dev/null 2>&1
caught differ_catches_errno "$want" PANTHOR_BO_CREATE.result "$t/d.json" $?

# A wrong out-field.
want=$("$PT" dump "$tr" | awk '
	/^#[0-9]+ \[tid/ { seq = substr($1, 2); n = $6 }
	/^  = 0/ && n ~ /^PANTHOR_VM_CREATE/ { print seq; exit }')
CONF_SHIM=PANTHOR_VM_CREATE:user_va_range=0x1234 LD_PRELOAD=$SHIM "$PT" replay -q \
	--json "$t/d.json" "$tr" >/dev/null 2>&1
caught differ_catches_out_field "$want" PANTHOR_VM_CREATE.user_va_range "$t/d.json" $?

# A different return value: a call that succeeded fails.
want=$("$PT" dump "$tr" | awk '
	/^#[0-9]+ \[tid/ { seq = substr($1, 2); n = $6 }
	/^  = 0/ && n ~ /^PANTHOR_BO_MMAP_OFFSET/ { print seq; exit }')
"$PT" replay -q --inject "$want:result=-22" --json "$t/d.json" "$tr" >/dev/null 2>&1
caught differ_catches_return_value "$want" PANTHOR_BO_MMAP_OFFSET.result "$t/d.json" $?

# A GPU-written byte that differs (the first observed BO range of a scenario).
tr=$C/scenario-vmbind.ptrace
line=$("$PT" dump "$tr" | grep -m1 'bo_data(observed')
want=$(sed -E 's/^#([0-9]+) .*/\1/' <<<"$line")
base=$(sed -E 's/.*map=0x[0-9a-f]+\+(0x[0-9a-f]+|0),.*/\1/' <<<"$line")
"$PT" replay -q --inject "$want:mem+0x10" --json "$t/d.json" "$tr" >/dev/null 2>&1
rc=$?
caught differ_catches_memory_byte "$want" "BO_DATA+$(printf '%#x' $((base + 16)))" "$t/d.json" $rc

# A missing signal: a submitted job never runs, the wait for it fails.
sub=$("$PT" dump "$tr" | awk '/^#[0-9]+ \[tid/ && $6 ~ /^PANTHOR_GROUP_SUBMIT/ { print substr($1, 2); exit }')
want=$("$PT" dump "$tr" | awk -v s="$sub" '
	/^#[0-9]+ \[tid/ && substr($1, 2) + 0 > s + 0 && $6 ~ /^SYNCOBJ_WAIT/ { print substr($1, 2); exit }')
"$PT" replay -q --inject "$sub:drop" --json "$t/d.json" "$tr" >/dev/null 2>&1
caught differ_catches_missing_signal "$want" SYNCOBJ_WAIT.result "$t/d.json" $?

# diff: two recordings of the same program agree; a deviating one does not.
tr=$B/conformance/bo
"$PT" record -o "$t/r1.ptrace" -- "$tr" >/dev/null 2>&1
"$PT" record -o "$t/r2.ptrace" -- "$tr" >/dev/null 2>&1
CONF_SHIM=PANTHOR_BO_CREATE:errno=14 LD_PRELOAD=$SHIM \
	"$PT" record -o "$t/r3.ptrace" -- "$tr" >/dev/null 2>&1
"$PT" diff "$t/r1.ptrace" "$t/r2.ptrace" >"$t/out" 2>&1
rc=$?
"$PT" diff "$t/r1.ptrace" "$t/r3.ptrace" --json "$t/d.json" >>"$t/out" 2>&1
rc2=$?
if [ $rc = 0 ] && [ $rc2 = 1 ] && grep -q '"path": "PANTHOR_BO_CREATE.result"' "$t/d.json"; then
	ktap_ok diff_two_recordings
else
	ktap_fail diff_two_recordings "diff exits $rc and $rc2" "$(cat "$t/out")"
fi

# A policy file with a bad rule: a clear error naming the line.
printf '*.result exact\nPANTHOR_* sometimes\n' > "$t/bad.policy"
"$PT" replay --policy "$t/bad.policy" "$C/conformance-query.ptrace" >"$t/out" 2>&1
rc=$?
if [ $rc = 2 ] && grep -q 'line 2: unknown rule "sometimes"' "$t/out"; then
	ktap_ok bad_policy_reported
else
	ktap_fail bad_policy_reported "replay exit $rc" "$(cat "$t/out")"
fi
rm -rf "$t"
ktap_end
