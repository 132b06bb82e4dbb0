#!/bin/bash
# Inside the VM: the fault scenarios on DRIVER (panthor, the default, or
# panref), then the driver's own log lines for them.
. "$(dirname "$0")/common.sh"
drv=${1:-panthor}
"$B/bin/scenario-faults" --driver "$drv"
rc=$?
log=$(dmesg)
if [ "$drv" = panthor ]; then
	expects=("Unhandled Page fault in AS1 at VA 0x0000000007000000"
		 "CS_FATAL.EXCEPTION_TYPE: 0x48 (CS_BUS_FAULT)"
		 "CS_FATAL.EXCEPTION_TYPE: 0x49 (CS_INSTR_INVALID)"
		 "job timeout")
else
	expects=("Unhandled Page fault in AS1 at VA 0x0000000007000000"
		 "CS_FATAL type 0x48"
		 "CS_FATAL type 0x49"
		 "job timeout")
fi
n=5
for expect in "${expects[@]}"; do
	n=$((n + 1))
	name="${drv}_logged_$(tr -c 'a-zA-Z0-9\n' _ <<<"$expect" | cut -c1-40)"
	if grep -qF -- "$expect" <<<"$log"; then echo "ok $n $name"
	else echo "# $drv did not log: $expect"; echo "not ok $n $name"; rc=1; fi
done
exit $rc
