#!/bin/bash
# Inside the VM: Panthor's reset/recovery path on the model.
. "$(dirname "$0")/common.sh"
echo on > "$GPU0/power/control"	# no runtime-PM reboots: count only the reset
wait_for 5 grep -qx active "$GPU0/power/runtime_status"
resets0=$(model_stat 0 soft_resets) boots0=$(model_stat 0 mcu_boots)
echo cs_unrecoverable > "$MODEL/gpu0/inject"
"$B/bin/scenario-recover" --driver panthor
rc=$?
resets1=$(model_stat 0 soft_resets) boots1=$(model_stat 0 mcu_boots)
if [ "$resets1" -gt "$resets0" ] && [ "$boots1" -gt "$boots0" ] &&
   dmesg | grep -q "CS_FATAL.EXCEPTION_TYPE: 0x41 (CS_UNRECOVERABLE)"; then
	echo "ok 3 reset_reboots_mcu"
else
	echo "# soft resets $resets0 -> $resets1, MCU boots $boots0 -> $boots1"
	echo "not ok 3 reset_reboots_mcu"
	rc=1
fi

# A hung task: the firmware's progress timer, not Panthor's job timeout.
echo hang_endpoint > "$MODEL/gpu0/inject"
"$B/bin/scenario-recover" --driver panthor --hang | sed 's/^ok 1 /ok 4 /; s/^not ok 1 /not ok 4 /' | grep -v "^KTAP\|^1\.\."
[ "${PIPESTATUS[0]}" = 0 ] || rc=1
if dmesg | grep -q "progress timeout" && [ "$(model_stat 0 progress_timer_events)" -ge 1 ]; then
	echo "ok 5 panthor_logged_progress_timeout"
else
	echo "# progress_timer_events $(model_stat 0 progress_timer_events)"
	echo "not ok 5 panthor_logged_progress_timeout"
	rc=1
fi
exit $rc
