#!/bin/bash
# Inside the VM (bench/run): issue 6's figures, Panthor (GPU 0) and panref
# (GPU 1) in the same boot: VM_BIND map+unmap of 1000 x 4 KiB and 100 x 2 MiB,
# BO_CREATE + mmap + close, as the ratio panref / Panthor (< 1: panref faster).
B=$(cd "$(dirname "$0")/.." && pwd)/build
node() {	# the render node whose device is bound to kernel driver $1
	local d
	for d in /sys/class/drm/renderD*; do
		[ "$(basename "$(readlink "$d/device/driver")")" = "$1" ] && echo "/dev/dri/${d##*/}"
	done
}
a=$(node panthor) b=$(node panref)
[ -n "$a" ] && [ -n "$b" ] || { echo "vmbind bench: need both Panthor and panref" >&2; exit 1; }
"$B/bin/bench-vmbind-bo" --device "$a" --rounds 3 > /tmp/bench-a.txt || exit 1
"$B/bin/bench-vmbind-bo" --device "$b" --rounds 3 > /tmp/bench-b.txt || exit 1
echo "vmbind bench: us/op, Panthor ($a) vs panref ($b), best of 3 rounds"
join <(awk '/us\/op/ { print $1, $2 }' /tmp/bench-a.txt | sort) \
     <(awk '/us\/op/ { print $1, $2 }' /tmp/bench-b.txt | sort) |
	awk '{ printf "  %-22s Panthor %9.2f  panref %9.2f  ratio %.2f\n", $1, $2, $3, $3 / $2 }'
