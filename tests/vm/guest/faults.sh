#!/bin/bash
# Inside the VM: the fault scenarios, then Panthor's own log lines for them.
. "$(dirname "$0")/common.sh"
"$B/bin/scenario-faults" --driver panthor
rc=$?
log=$(dmesg)
n=5
for expect in "Unhandled Page fault in AS1 at VA 0x0000000007000000" \
	      "CS_FATAL.EXCEPTION_TYPE: 0x48 (CS_BUS_FAULT)" \
	      "CS_FATAL.EXCEPTION_TYPE: 0x49 (CS_INSTR_INVALID)" \
	      "job timeout"; do
	n=$((n + 1))
	name="panthor_logged_$(tr -c 'a-zA-Z0-9\n' _ <<<"$expect" | cut -c1-40)"
	if grep -qF -- "$expect" <<<"$log"; then echo "ok $n $name"
	else echo "# Panthor did not log: $expect"; echo "not ok $n $name"; rc=1; fi
done
exit $rc
