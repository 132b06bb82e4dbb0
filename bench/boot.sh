#!/usr/bin/env bash
# Cold VM boot to "Panthor bound, render node present", N boots (default 5).
# Host wall time from launching the UML kernel to the moment vm/init.sh saw
# the render node (the mtime of its "ready" file, written through hostfs),
# and the guest's own uptime at that point.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-5}
walls=() guests=()
for i in $(seq "$n"); do
	"$top/vm/run" --keep -- true >/dev/null
	rd=$(ls -td "$top"/build/vm-runs/run.* | head -1)
	start=$(cat "$rd/start")
	ready=$(stat -c %.9Y "$rd/ready")
	grep -q "^panthor " "$rd/times" || { echo "boot $i: no panthor stamp" >&2; exit 1; }
	walls+=("$(echo "$ready - $start" | bc)")
	guests+=("$(awk '$1 == "panthor" { print $2 }' "$rd/times")")
	rm -rf "$rd"
done
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "median %.2f s (min %.2f, max %.2f, n=%d)", v[int((NR + 1) / 2)], v[1], v[NR], NR }'; }
echo "boot to render node, host wall time: $(stats "${walls[@]}")"
echo "boot to render node, guest uptime:   $(stats "${guests[@]}")"
