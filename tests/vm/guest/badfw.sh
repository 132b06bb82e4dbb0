#!/bin/bash
# Inside the VM, booted with the first corrupt firmware: every corrupt
# container makes Panthor fail probe with its own error, the model survives,
# and a valid container then binds.
. "$(dirname "$0")/common.sh"
kinds=$("$B/mkfw" --list-corruptions)
ktap_begin $(( $(wc -l <<<"$kinds") + 1 ))
dev=$(basename "$GPU0")
fwpath=/sys/module/firmware_class/parameters/path
first=1
while IFS=$'\t' read -r kind msg; do
	if [ $first = 1 ]; then
		first=0	# vm/run booted with this one and loaded Panthor
		res="probe at boot"
	else
		dmesg -C
		printf '%s' "$B/firmware-bad/$kind" > "$fwpath"
		if echo "$dev" > /sys/bus/platform/drivers/panthor/bind 2>/dev/null; then
			res="bind succeeded"
		else
			res="bind failed"
		fi
	fi
	log=$(dmesg)
	drv=$(bound_driver "$GPU0")
	alive=$(model_stat 0 reg_reads)
	why=""
	[ -z "$drv" ] || why="$why; GPU 0 is bound to $drv ($res)"
	[ -z "$msg" ] || grep -qF -- "$msg" <<<"$log" || why="$why; Panthor did not log '$msg'"
	grep -qE "panthor .*probe with driver panthor failed" <<<"$log" ||
		why="$why; no probe failure reported"
	[ -n "$alive" ] || why="$why; the model's debugfs state is gone"
	if [ -z "$why" ]; then ktap_ok "corrupt_firmware_$kind"
	else ktap_fail "corrupt_firmware_$kind" "${why#; }" "$(grep -iE 'panthor|mali' <<<"$log")"; fi
done <<<"$kinds"

dmesg -C
printf '%s' "$B/firmware" > "$fwpath"
echo "$dev" > /sys/bus/platform/drivers/panthor/bind 2>/dev/null
if [ "$(bound_driver "$GPU0")" = panthor ] && "$DEVQUERY" --driver panthor >/dev/null; then
	ktap_ok valid_firmware_binds_after_failures
else
	ktap_fail valid_firmware_binds_after_failures "$(dmesg | grep -iE 'panthor|mali')"
fi
ktap_end
