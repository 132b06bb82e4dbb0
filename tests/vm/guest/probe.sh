#!/bin/bash
# Inside the VM: upstream Panthor probes GPU 0 of the model, boots the MCU
# interface, serves DEV_QUERY, survives runtime suspend/resume (HALT, soft
# reset with RESET_COMPLETED, MCU reboot) and its PING watchdog for 15 s.
. "$(dirname "$0")/common.sh"
ktap_begin 11

n=0
for d in /sys/bus/platform/devices/*.gpu; do
	grep -q "arm,mali-valhall-csf" "$d/of_node/compatible" 2>/dev/null && n=$((n + 1))
done
if [ "$n" = 2 ]; then ktap_ok both_gpu_nodes_present
else ktap_fail both_gpu_nodes_present "found $n Mali CSF GPU devices, expected 2"; fi

drv0=$(bound_driver "$GPU0")
if [ "$drv0" = panthor ]; then ktap_ok panthor_bound_gpu0
else ktap_fail panthor_bound_gpu0 "GPU 0 driver: '${drv0:-none}'" "$(dmesg | grep -i panthor)"; fi

ov=$(cat "$GPU1/driver_override")
drv1=$(bound_driver "$GPU1")
if [ "$ov" = panref ] && [ "$drv1" != panthor ]; then ktap_ok gpu1_reserved_for_panref
else ktap_fail gpu1_reserved_for_panref "override '$ov', driver '${drv1:-none}'"; fi

fwline=$(dmesg | grep -E "panthor .*CSF FW v[0-9]+\.[0-9]+\.[0-9]+")
boots=$(model_stat 0 mcu_boots)
if [ -n "$fwline" ] && [ "${boots:-0}" -ge 1 ] && ! dmesg | grep -q "Failed to boot MCU"; then
	ktap_ok mcu_interface_booted
else
	ktap_fail mcu_interface_booted "model mcu_boots=$boots" "$(dmesg | grep -iE 'panthor|mali')"
fi

node=$(ls "$GPU0/drm" 2>/dev/null | grep renderD)
if [ -n "$node" ] && [ -c "/dev/dri/$node" ]; then ktap_ok render_node_present
else ktap_fail render_node_present "no render node under $GPU0/drm"; fi

# DEV_QUERY through libdrm against the model's own description of itself.
out=$("$DEVQUERY" --driver panthor 2>&1)
rc=$?
bad=""
[ $rc = 0 ] || bad="panthor-devquery exited $rc"
grep -qx "drm.name panthor" <<<"$out" || bad="$bad; DRM name is not panthor"
grep -qE "^drm.version 1\.0\.[0-9]+$" <<<"$out" || bad="$bad; DRM version is not 1.0.x"
checked=0
while read -r key val; do
	got=$(awk -v k="$key" '$1 == k { print $2 }' <<<"$out")
	[ "$got" = "$val" ] || bad="$bad; $key: DEV_QUERY says '${got:-missing}', model has $val"
	checked=$((checked + 1))
done < "$MODEL/gpu0/info"
[ "$checked" -ge 20 ] || bad="$bad; only $checked model values to compare"
if [ -z "$bad" ]; then ktap_ok devquery_matches_model
else ktap_fail devquery_matches_model "$bad" "$out"; fi

# Runtime suspend: Panthor halts the MCU (GLB_HALT), stops it and soft-resets
# the GPU, waiting for RESET_COMPLETED through the gpu interrupt line.
pm=$GPU0/power
echo on > "$pm/control"	# probe may have autosuspended it already
wait_for 5 grep -qx active "$pm/runtime_status"
resets0=$(model_stat 0 soft_resets)
gpu_irqs() { awk '$NF == "panthor-gpu" { print $2; exit }' /proc/interrupts; }
irq0=$(gpu_irqs)
echo auto > "$pm/control"
if wait_for 5 grep -qx suspended "$pm/runtime_status"; then
	resets1=$(model_stat 0 soft_resets)
	irq1=$(gpu_irqs)
	if [ "$resets1" -gt "$resets0" ] && [ "${irq1:-0}" -gt "${irq0:-0}" ] &&
	   ! dmesg | grep -qE "Soft reset timeout|Failed to cleanly suspend MCU"; then
		ktap_ok runtime_suspend_halts_and_resets
	else
		ktap_fail runtime_suspend_halts_and_resets \
			"soft resets $resets0 -> $resets1, panthor-gpu interrupts ${irq0:-none} -> ${irq1:-none}" "$(dmesg | tail -20)"
	fi
else
	ktap_fail runtime_suspend_halts_and_resets "runtime_status: $(cat "$pm/runtime_status")"
fi

# The RESET_COMPLETED interrupt itself: the model counts what it raised.
raised=$(awk '$1 == "irq.gpu" { sub("raised=", "", $5); print $5 }' "$MODEL/gpu0/state")
if [ "${raised:-0}" -ge 1 ]; then ktap_ok reset_completed_interrupt_delivered
else ktap_fail reset_completed_interrupt_delivered "$(cat "$MODEL/gpu0/state")"; fi

# Resume: L2 power-on, AS0, MCU re-boot, global interface re-initialised.
boots0=$(model_stat 0 mcu_boots)
echo on > "$pm/control"
if wait_for 5 grep -qx active "$pm/runtime_status" &&
   wait_for 2 test "$(model_stat 0 mcu_boots)" -gt "$boots0"; then
	ktap_ok runtime_resume_reboots_mcu
else
	ktap_fail runtime_resume_reboots_mcu "status $(cat "$pm/runtime_status"), boots $boots0 -> $(model_stat 0 mcu_boots)"
fi

# Watchdog: with the device kept active, Panthor pings every 12 s.
pings0=$(model_stat 0 pings)
sleep 15
pings1=$(model_stat 0 pings)
mcu=$(model_stat 0 mcu_status)
if [ "$pings1" -gt "$pings0" ] && [ "$mcu" = 1 ] && ! dmesg | grep -q "FW ping timeout"; then
	ktap_ok ping_watchdog_15s
else
	ktap_fail ping_watchdog_15s "pings $pings0 -> $pings1 in 15 s, mcu_status $mcu" "$(dmesg | tail)"
fi

ur=$(model_stat 0 unknown_reads) uw=$(model_stat 0 unknown_writes)
if [ "$ur" = 0 ] && [ "$uw" = 0 ]; then ktap_ok panthor_touches_only_modelled_registers
else ktap_fail panthor_touches_only_modelled_registers "unknown reads $ur, writes $uw" "$(dmesg | grep mali-model)"; fi
ktap_end
