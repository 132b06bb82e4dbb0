#!/bin/bash
# Inside the VM: pantrace records real programs and dumps every call decoded;
# a recorded program killed mid-run leaves a readable trace.
. "$(dirname "$0")/common.sh"
PT=$B/bin/pantrace
t=$(mktemp -d /tmp/pantrace.XXXXXX)
ktap_begin 4

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
# (count-over-int-max WARNs in Panthor 6.12: see conformance/expectations)
"$PT" record -o "$t/vm_bind.ptrace" -- "$B/conformance/vm_bind" \
	--skip-subtest '*-count-over-int-max' >/dev/null
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

# A corrupted byte: the dump stops there and says where.
cp "$t/submit.ptrace" "$t/bad.ptrace"
printf '\xff' | dd of="$t/bad.ptrace" bs=1 seek=2000 conv=notrunc 2>/dev/null
"$PT" dump "$t/bad.ptrace" >/dev/null 2>"$t/err"
rc=$?
if [ $rc = 4 ] && grep -qE "bad CRC|offset [0-9]+" "$t/err"; then
	ktap_ok corrupt_trace_reported
else
	ktap_fail corrupt_trace_reported "dump exit $rc" "$(cat "$t/err")"
fi
rm -rf "$t"
ktap_end
