#!/bin/bash
# Inside the debug VM: the soak (tests/soak/soak.c) on panref for SECONDS
# (default 60) while the model is told, every 1-3 s, to make the next CS
# fatal unrecoverable (a GPU reset) or to hang the next endpoint (the
# progress timer). Then kmemleak, after its 5 s minimum object age, must
# report nothing. vm/run fails the run on any KASAN, lockdep or other report.
. "$(dirname "$0")/../vm/guest/common.sh"
secs=${1:-60}
KL=/sys/kernel/debug/kmemleak
t=$(mktemp -d /tmp/soak.XXXXXX)
[ -w $KL ] && echo clear > $KL
(
	n=0
	while :; do
		sleep $((1 + RANDOM % 3))
		case $((RANDOM % 2)) in
		0) echo cs_unrecoverable ;;
		*) echo hang_endpoint ;;
		esac > "$MODEL/gpu1/inject" && n=$((n + 1))
		echo $n > "$t/injected"
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
ktap_begin $((nsoak + 2))
cat "$t/soak.out"
_ktap_n=$nsoak
grep -q '^not ok' "$t/soak.out" && _ktap_fail=$((_ktap_fail + 1))
resets=$(( $(grep -c 'panref.*resetting the GPU' "$t/kmsg") - resets0 ))
if [ "$(cat "$t/injected" 2>/dev/null || echo 0)" -gt 0 ] && [ "$resets" -gt 0 ]; then
	echo "# $(cat "$t/injected") injections, $resets GPU resets"
	ktap_ok faults_injected_and_resets_survived
else
	ktap_fail faults_injected_and_resets_survived "injections $(cat "$t/injected" 2>/dev/null), resets $resets"
fi
if [ ! -w $KL ]; then
	ktap_fail kmemleak_reports_nothing "no $KL: not the debug kernel"
else
	sleep 6		# kmemleak reports only objects older than 5 s
	kmemleak_verdict kmemleak_reports_nothing
fi
rm -rf "$t"
ktap_end
