#!/bin/bash
# Inside the VM: devfreq under load on both drivers (scenario-devfreq):
# idle at the lowest OPP, the highest under a spinning job (the model's
# clock too), the lowest again when idle. Subtests are prefixed with the
# driver.
. "$(dirname "$0")/common.sh"
ktap_begin 6
for drv in panthor panref; do
	out=$("$B/bin/scenario-devfreq" --driver "$drv" 2>&1)
	rc=$?
	n=0
	while read -r line; do
		case $line in
		"ok "*) ktap_ok "${drv}_$(echo "$line" | cut -d' ' -f3)"; n=$((n + 1)) ;;
		"not ok "*) ktap_fail "${drv}_$(echo "$line" | cut -d' ' -f4)" \
			"$(echo "$out" | sed -n 's/^# //p')"; n=$((n + 1)) ;;
		esac
	done <<<"$out"
	if [ "$rc" != 0 ] && [ "$n" != 3 ]; then
		# It stopped before its three results: say why, count them failed.
		while [ $n -lt 3 ]; do
			ktap_fail "${drv}_devfreq_scenario_completed" "$out"
			n=$((n + 1))
		done
	fi
done
ktap_end
