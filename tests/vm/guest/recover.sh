#!/bin/bash
# Inside the VM: DRIVER's (panthor, the default, or panref) reset and
# recovery path on the model.
. "$(dirname "$0")/common.sh"
drv=${1:-panthor}
if [ "$drv" = panthor ]; then
	gpu=0 dev=$GPU0 fatal_log="CS_FATAL.EXCEPTION_TYPE: 0x41 (CS_UNRECOVERABLE)"
else
	gpu=1 dev=$GPU1 fatal_log="CS_FATAL type 0x41"
fi
echo on > "$dev/power/control"	# no runtime-PM reboots: count only the reset
wait_for 5 grep -qx active "$dev/power/runtime_status"
resets0=$(model_stat $gpu soft_resets) boots0=$(model_stat $gpu mcu_boots)
echo cs_unrecoverable > "$MODEL/gpu$gpu/inject"
"$B/bin/scenario-recover" --driver "$drv"
rc=$?
# One fault, one reset: a second one would also kill the innocent groups'
# work (panref queued its reset work again from the tick while it ran).
sleep 1
resets1=$(model_stat $gpu soft_resets) boots1=$(model_stat $gpu mcu_boots)
if [ "$resets1" = $((resets0 + 1)) ] && [ "$boots1" -gt "$boots0" ] &&
   dmesg | grep -qF "$fatal_log"; then
	echo "ok 3 reset_reboots_mcu"
else
	echo "# soft resets $resets0 -> $resets1, MCU boots $boots0 -> $boots1"
	echo "not ok 3 reset_reboots_mcu"
	rc=1
fi

# A hung task: the firmware's progress timer, not the driver's job timeout.
echo hang_endpoint > "$MODEL/gpu$gpu/inject"
"$B/bin/scenario-recover" --driver "$drv" --hang | sed 's/^ok 1 /ok 4 /; s/^not ok 1 /not ok 4 /' | grep -v "^KTAP\|^1\.\."
[ "${PIPESTATUS[0]}" = 0 ] || rc=1
if dmesg | grep -q "progress timeout" && [ "$(model_stat $gpu progress_timer_events)" -ge 1 ]; then
	echo "ok 5 ${drv}_logged_progress_timeout"
else
	echo "# progress_timer_events $(model_stat $gpu progress_timer_events)"
	echo "not ok 5 ${drv}_logged_progress_timeout"
	rc=1
fi

# panref only (its test build's debugfs "reset_delay_ms"): a GPU reset that
# races runtime suspend. The reset work is queued while the GPU is active
# and sleeps 300 ms; meanwhile the last PM reference goes (autosuspend after
# 50 ms) and a new group's job kicks the scheduler tick. The reset must hold
# the GPU active, or suspend waits for the reset, the tick for suspend and
# the reset for the tick: the job never completes (seen in the soak).
if [ "$drv" = panref ]; then
	dbg=/sys/kernel/debug/dri/$(basename "$dev")
	n0=$(dmesg | grep -c "panref.*resetting the GPU")
	wait_for 5 grep -qx active "$dev/power/runtime_status"
	echo 300 > "$dbg/reset_delay_ms"
	echo 1 > "$dbg/reset"
	echo auto > "$dev/power/control"
	sleep 0.1
	out=$(timeout 60 "$B/bin/scenario-recover" --driver panref --job 2>&1)
	jrc=$?
	echo 0 > "$dbg/reset_delay_ms"
	wait_for 5 test "$(dmesg | grep -c "panref.*resetting the GPU")" -gt "$n0"
	# Exactly one: the job's tick came while the reset was pending and
	# queued the reset work again, which then reset the GPU a second time
	# (and killed whatever ran by then) until the work learned to return
	# when no reset is pending.
	sleep 1
	n1=$(dmesg | grep -c "panref.*resetting the GPU")
	if [ $jrc = 0 ] && [ "$n1" = $((n0 + 1)) ] &&
	   wait_for 5 grep -qx suspended "$dev/power/runtime_status"; then
		echo "ok 6 reset_races_autosuspend"
	else
		echo "# job exit $jrc, resets logged $n0 -> $n1, runtime PM $(cat "$dev/power/runtime_status")"
		echo "$out" | sed 's/^/# /'
		echo "not ok 6 reset_races_autosuspend"
		rc=1
	fi
fi

# A CSG slot that hangs (model injection "csg_hang": the next SUSPEND or
# TERMINATE of a running slot is never acknowledged, and the slot runs on
# until a GPU reset). The driver must keep that slot, and its VM's address
# space, until the reset: a group of another VM submitted meanwhile waits
# for the reset and then runs. The model counts a new state asked of a
# hung slot (hung_slot_reprogrammed): that group would be running on a
# slot the old one still holds. panref's reset is held back 500 ms
# (reset_delay_ms) so that the other group's job comes while it is pending.
dbg=/sys/kernel/debug/dri/$(basename "$dev")
echo on > "$dev/power/control"
wait_for 5 grep -qx active "$dev/power/runtime_status"
[ "$drv" = panref ] && echo 500 > "$dbg/reset_delay_ms"
h0=$(model_stat $gpu csg_hangs) p0=$(model_stat $gpu hung_slot_reprogrammed)
s0=$(model_stat $gpu soft_resets)
echo csg_hang > "$MODEL/gpu$gpu/inject"
out=$(timeout 60 "$B/bin/scenario-recover" --driver "$drv" --hung-slot 2>&1)
jrc=$?
[ "$drv" = panref ] && echo 0 > "$dbg/reset_delay_ms"
echo none > "$MODEL/gpu$gpu/inject"
h1=$(model_stat $gpu csg_hangs) p1=$(model_stat $gpu hung_slot_reprogrammed)
s1=$(model_stat $gpu soft_resets)
if [ $jrc = 0 ] && [ "$h1" = $((h0 + 1)) ] && [ "$p1" = "$p0" ] && [ "$s1" -gt "$s0" ]; then
	echo "ok 7 ${drv}_hung_slot_kept_until_reset"
else
	echo "# scenario exit $jrc; model: csg_hangs $h0 -> $h1," \
		"hung_slot_reprogrammed $p0 -> $p1, soft_resets $s0 -> $s1"
	echo "$out" | sed 's/^/# /'
	echo "not ok 7 ${drv}_hung_slot_kept_until_reset"
	rc=1
fi

# Last, as it leaves the device unusable: a reset after which the MCU
# does not boot (model injection "mcu_dead"). Every fence must signal with
# an error and new work must be refused (Panthor 6.12 unplugs the device).
if [ "$drv" = panthor ]; then dead_log="Failed to boot MCU after reset"
else dead_log="GPU reset failed"; fi
b0=$(model_stat $gpu mcu_boots_refused)
echo mcu_dead > "$MODEL/gpu$gpu/inject"
echo cs_unrecoverable > "$MODEL/gpu$gpu/inject"
out=$(timeout 90 "$B/bin/scenario-recover" --driver "$drv" --dead 2>&1)
jrc=$?
echo none > "$MODEL/gpu$gpu/inject"
b1=$(model_stat $gpu mcu_boots_refused)
echo "$out" | grep '^# fence' | sed "s/^# /# $drv: /"
if [ $jrc = 0 ] && [ "$b1" -gt "$b0" ] && dmesg | grep -qF "$dead_log"; then
	echo "ok 8 ${drv}_failed_reset_fails_every_job"
else
	echo "# scenario exit $jrc; model: mcu_boots_refused $b0 -> $b1;" \
		"logged '$dead_log': $(dmesg | grep -cF "$dead_log")"
	echo "$out" | sed 's/^/# /'
	echo "not ok 8 ${drv}_failed_reset_fails_every_job"
	rc=1
fi
exit $rc
