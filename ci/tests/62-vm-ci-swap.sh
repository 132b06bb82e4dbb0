#!/usr/bin/env bash
# The farm path's one-GPU case against the VM, one boot without panref
# (ci/tests/guest/vm-swap.sh): from the dist tarball, as a board has it,
# run-job's pantrace job replays the corpus on Panthor, takes GPU 0 from
# Panthor for the dist's panref.ko (the module swap), replays again on
# panref and diffs the two recordings; then the conformance-panref job's
# command line runs on the swapped GPU. (The two-GPU farm path is
# ci/tests/60-vm-ci.sh.)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib-host.sh"
W=$top/build/ci/vm-swap
rm -rf "$W" && mkdir -p "$W/lava-dut"
dist=$W/panref-native.tar.gz
"$top/tests/make" -o kernel "$top/build/fuzz/trace_reader" "$top/build/fuzz/fw_image" \
	"$top/build/fuzz/seed-fw/.stamp" >/dev/null
"$top/ci/mkdist" --build "$top/build" --module "$top/driver/panref.ko" --arch native --out "$dist" >/dev/null
tar -xzf "$dist" -C "$W/lava-dut" --strip-components=1
echo "KTAP version 1"
echo "1..3"
vm_test ci_vm_swap --no-panref --timeout 600 -- "$top/ci/tests/guest/vm-swap.sh" "$W" || :
. "$top/ci/tests/lib-vm-ci.sh"
swap_pantrace() {	# the swap happened, every trace replayed on both and diffed equal
	local c=$W/swap-pt/cases.txt nt
	nt=$(ls "$top"/corpus/traces/*.ptrace | wc -l)
	test "$(rcof swap-pt)" = 0 && grep -qx 'device-panref pass' "$c" && grep -qx 'compare-exit pass' "$c" &&
	[ "$(grep -c '^compare-.*\.ptrace pass$' "$c")" = "$nt" ] && ! grep -v ' pass$' "$c" ||
		{ cat "$W/swap-pt.log"; return 1; }
}
check one_gpu_pantrace_swaps_to_panref_and_diffs_every_trace swap_pantrace
swap_conf() {
	local r=$W/swap-conf/conformance-panref
	test "$(rcof swap-conf)" = 0 && has_results "$r" && grep -qx 'conformance-panref-gate pass' "$W/swap-conf/cases.txt" ||
		{ tail -n 20 "$W/swap-conf.log"; return 1; }
}
check conformance_panref_after_the_swap swap_conf
[ "$n" = 2 ] || echo "not ok 99 test_count"
