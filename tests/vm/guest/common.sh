# Guest-side helpers (run inside the VM by vm/run).
PANREF_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
. "$PANREF_TOP/tests/vm/ktap.sh"
B=$PANREF_TOP/build
DEVQUERY=$B/bin/panthor-devquery
GPU0=$(ls -d /sys/bus/platform/devices/*.gpu | sort | sed -n 1p)
GPU1=$(ls -d /sys/bus/platform/devices/*.gpu | sort | sed -n 2p)
MODEL=/sys/kernel/debug/mali-model
# model_stat GPU_INDEX KEY: one counter from the model's debugfs state.
model_stat() { awk -v k="$2" '$1 == k { print $2 }' "$MODEL/gpu$1/state"; }
bound_driver() { [ -e "$1/driver" ] && basename "$(readlink "$1/driver")"; }
# render_node DRIVER: /dev/dri/renderDN of the GPU bound to DRIVER
render_node() {
	local c
	for c in /sys/class/drm/renderD*; do
		[ "$(bound_driver "$c/device")" = "$1" ] && echo "/dev/dri/${c##*/}"
	done
}
wait_for() {	# wait_for SECONDS CMD...: poll CMD every 50 ms
	local t=$(( $1 * 20 )); shift
	while [ $t -gt 0 ]; do "$@" && return 0; sleep 0.05; t=$((t - 1)); done
	return 1
}
# kmemleak_verdict NAME: two kmemleak scans (it reports an object once two
# scans find it unreferenced, and none younger than 5 s), then NAME is ok
# if it lists nothing.
kmemleak_verdict() {
	local kl=/sys/kernel/debug/kmemleak n
	echo scan > $kl
	sleep 2
	echo scan > $kl
	n=$(grep -c '^unreferenced object' $kl)
	if [ "$n" = 0 ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "$n unreferenced objects:" "$(head -n 80 $kl)"
	fi
}
