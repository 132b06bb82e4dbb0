#!/bin/bash
# Inside the VM (bench/run): issue 6's figures, Panthor (GPU 0) and panref
# (GPU 1) in the same boot: VM_BIND map+unmap of 1000 x 4 KiB and 100 x 2 MiB,
# BO_CREATE + mmap + close, as the ratio panref / Panthor (< 1: panref
# faster). R rounds (default 6) alternate the order (odd rounds Panthor
# first, even rounds panref first: in UML the order moves the result);
# printed per row: the median of the R paired ratios and their range.
#
#   bench/vmbind.sh [ROUNDS]
B=$(cd "$(dirname "$0")/.." && pwd)/build
R=${1:-6}
node() {	# the render node whose device is bound to kernel driver $1
	local d
	for d in /sys/class/drm/renderD*; do
		[ "$(basename "$(readlink "$d/device/driver")")" = "$1" ] && echo "/dev/dri/${d##*/}"
	done
}
a=$(node panthor) b=$(node panref)
[ -n "$a" ] && [ -n "$b" ] || { echo "vmbind bench: need both Panthor and panref" >&2; exit 1; }
t=$(mktemp -d /tmp/bench-vmbind.XXXXXX)
one() {	# DEVICE OUT
	"$B/bin/bench-vmbind-bo" --device "$1" --rounds 1 > "$2.txt" || { cat "$2.txt"; exit 1; }
	awk '/us\/op/ { print $1, $2 }' "$2.txt" | sort > "$2"
}
for r in $(seq 1 "$R"); do
	if [ $((r % 2)) = 1 ]; then one "$a" "$t/a"; one "$b" "$t/b"
	else one "$b" "$t/b"; one "$a" "$t/a"; fi
	join "$t/a" "$t/b" >> "$t/pairs"
done
echo "vmbind bench: us/op, Panthor ($a) vs panref ($b), $R alternating rounds:"
echo "  medians, and the median of the paired ratios panref / Panthor [min .. max]"
sort -k1,1 "$t/pairs" | awk -v width=22 -v unit="" -f "$(dirname "$0")/pairs.awk" | sort
rm -rf "$t"
