#!/usr/bin/env bash
# Time for the ioctl fuzzer to find a known bug by itself: N campaigns
# (default 3) from an empty corpus, each with that bug taken off the
# known-bug list (the others stay filtered), each stopped at the first crash
# whose title matches; prints each time and the median. Default: Panthor's
# NULL dereference on a SIGNAL sync op naming an unknown syncobj.
#
#   bench/fuzz-rediscover.sh [N] [BUG-ID] [DRIVER] [TITLE-RE] [MAX-MINUTES]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-3} bug=${2:-signal-unknown-syncobj} driver=${3:-panthor}
re=${4:-NULL pointer dereference} max=${5:-20}
t=$(mktemp -d "$top/build/fuzz/rediscover.XXXXXX")
grep -vE "^$bug " "$top/fuzz/known-bugs.txt" > "$t/known"
times=()
for i in $(seq 1 "$N"); do
	"$top/fuzz/campaign" --driver "$driver" --minutes "$max" --debug-kernel --known "$t/known" \
		--out "$t/c$i" --corpus "$t/corpus$i" --until "$re" -- -seed="$i" > "$t/c$i.log" 2>&1
	hit=$(grep -lE -- "$re" "$t/c$i"/crashes/*/title 2>/dev/null | head -n 1)
	if [ -n "$hit" ]; then
		s=$(cut -d' ' -f1 "$(dirname "$hit")/first")
		echo "campaign $i: $(cat "$hit") after $s s"
		times+=("$s")
	else
		echo "campaign $i: not found in $max minutes"
		times+=(99999)
	fi
done
printf '%s\n' "${times[@]}" | sort -n | awk -v n="$N" -v bug="$bug" -v d="$driver" '
	{ x[NR] = $1 } END { m = (n % 2) ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
	printf "rediscovery of %s on %s: median %s s over %d campaigns [%s .. %s] (99999: not found)\n",
		bug, d, m, n, x[1], x[n] }'
echo "campaigns kept in $t"
