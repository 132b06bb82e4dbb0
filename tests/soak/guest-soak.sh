#!/bin/bash
# Inside the debug VM: the soak (tests/soak/soak.c) on panref for SECONDS
# (default 60; its processes also submit jobs that time out) while the
# model is told, every 1-3 s, to make the next CS fatal unrecoverable (a GPU
# reset) or to hang the next endpoint (the progress timer). Then every group
# must be freed, a reset the MCU does not come back from must fail every
# fence and a rebind must bring the device back; last, kmemleak, after its
# 5 s minimum object age, must report nothing. vm/run fails the run on any
# KASAN, lockdep or other report.
. "$(dirname "$0")/../vm/guest/common.sh"
secs=${1:-60}
KL=/sys/kernel/debug/kmemleak
t=$(mktemp -d /tmp/soak.XXXXXX)
[ -w $KL ] && echo clear > $KL
(
	nu=0 nh=0
	while :; do
		sleep $((1 + RANDOM % 3))
		case $((RANDOM % 2)) in
		0) echo cs_unrecoverable > "$MODEL/gpu1/inject" && nu=$((nu + 1)) ;;
		*) echo hang_endpoint > "$MODEL/gpu1/inject" && nh=$((nh + 1)) ;;
		esac
		echo "$nu $nh" > "$t/injected"
	done
) &
inj=$!
# the kernel log's ring wraps in a long soak: follow it into a file
resets0=$(dmesg | grep -c 'panref.*resetting the GPU')
dmesg -w > "$t/kmsg" 2>/dev/null &
follow=$!
"$B/bin/soak" --driver panref --procs 8 --seconds "$secs" --seed "$RANDOM" |
	grep -v '^KTAP\|^1\.\.' > "$t/soak.out"
kill $inj; wait $inj 2>/dev/null
sleep 1; kill $follow; wait $follow 2>/dev/null
nsoak=$(grep -c '^\(not \)\?ok ' "$t/soak.out")
ktap_begin $((nsoak + 4))
cat "$t/soak.out"
_ktap_n=$nsoak
grep -q '^not ok' "$t/soak.out" && _ktap_fail=$((_ktap_fail + 1))
resets=$(( $(grep -c 'panref.*resetting the GPU' "$t/kmsg") - resets0 ))
read -r nu nh < "$t/injected" 2>/dev/null
timeouts=$(grep -c 'panref.*job timeout' "$t/kmsg")
echo "# injected: ${nu:-0} unrecoverable CS faults, ${nh:-0} hung endpoints;" \
	"$timeouts job timeouts; $resets GPU resets"
if [ $(( ${nu:-0} + ${nh:-0} )) -gt 0 ] && [ "$resets" -gt 0 ]; then
	ktap_ok faults_injected_and_resets_survived
else
	ktap_fail faults_injected_and_resets_survived "injections ${nu:-0}+${nh:-0}, resets $resets"
fi

# Every group of the soak's closed files is freed (timed-out ones too).
dbg=/sys/kernel/debug/dri/$(basename "$GPU1")
if wait_for 20 grep -qx 0 "$dbg/groups"; then
	ktap_ok soak_groups_all_freed
else
	ktap_fail soak_groups_all_freed "$(cat "$dbg/groups") groups still allocated"
fi

# A reset the MCU does not come back from (model "mcu_dead"): every fence
# fails and the device is unplugged; a rebind brings it back.
echo on > "$GPU1/power/control"
echo mcu_dead > "$MODEL/gpu1/inject"
echo cs_unrecoverable > "$MODEL/gpu1/inject"
dead=$(timeout 120 "$B/bin/scenario-recover" --driver panref --dead 2>&1)
drc=$?
echo none > "$MODEL/gpu1/inject"
echo "$(basename "$GPU1")" > /sys/bus/platform/drivers/panref/unbind
echo "$(basename "$GPU1")" > /sys/bus/platform/drivers/panref/bind
after=$(timeout 60 "$B/bin/scenario-recover" --driver panref --job 2>&1)
arc=$?
if [ $drc = 0 ] && [ $arc = 0 ]; then
	echo "# failed reset: 1 injected, every fence failed, the rebound device runs a job"
	ktap_ok failed_reset_then_rebind_recovers
else
	ktap_fail failed_reset_then_rebind_recovers "failed reset: exit $drc, after rebind: exit $arc" \
		"$dead" "$after"
fi
if [ ! -w $KL ]; then
	ktap_fail kmemleak_reports_nothing "no $KL: not the debug kernel"
else
	sleep 6		# kmemleak reports only objects older than 5 s
	kmemleak_verdict kmemleak_reports_nothing
fi
rm -rf "$t"
ktap_end
