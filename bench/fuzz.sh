#!/usr/bin/env bash
# Executions per second of the ioctl fuzzer (build/bin/panfuzz) in the VM,
# per driver and kernel: R rounds (default 3) of S seconds (default 30) from
# an empty corpus with the same seed, the drivers' order alternating; prints
# the median exec/s of the rounds with their minimum and maximum, and the
# mean calls per program (ioctls and pseudo-calls; programs are at most
# 512 bytes: -max_len=512).
# Each round boots its own VM with the KCOV build of the driver under test.
#
#   bench/fuzz.sh [ROUNDS] [SECONDS] [plain|debug|both] [MAXLEN]
#
# With MAXLEN, programs are that many bytes from the start (-max_len=MAXLEN
# -len_control=0; 200 bytes make about 10 calls) instead of growing from
# one byte up to 512 as a campaign's do. PANFUZZ_HEAP_BUDGET_MB, if set, is
# handed to panfuzz (its heap budget; 0: none).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
R=${1:-3} S=${2:-30} kernels=${3:-both} maxlen=${4:-}
lenopts=(-max_len=512)
[ -z "$maxlen" ] || lenopts=(-max_len="$maxlen" -len_control=0)
[ "$kernels" = both ] && kernels="plain debug"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
one() {	# KERNEL DRIVER ROUND
	local k=$1 d=$2 r=$3 sfx='' opts=() out=$t/$1-$2-$3
	[ "$k" = debug ] && sfx=-debug opts=(--debug-kernel --cmdline kmemleak=off --mem 768M)
	if [ "$d" = panref ]; then opts+=(--no-panthor --panref-ko "$top/build/fuzz/panref-kcov$sfx/panref.ko")
	else opts+=(--no-panref --panthor-ko "$top/build/fuzz/panthor-kcov$sfx/panthor.ko"); fi
	mkdir -p "$out/corpus"
	if ! "$top/vm/run" --timeout $((S + 120)) --rundir "$out.vm" "${opts[@]}" -- \
		env PANFUZZ_DRIVER="$d" PANFUZZ_OUT="$out" \
		${PANFUZZ_HEAP_BUDGET_MB:+PANFUZZ_HEAP_BUDGET_MB=$PANFUZZ_HEAP_BUDGET_MB} \
		"$top/build/bin/panfuzz" -seed=1 \
		"${lenopts[@]}" -max_total_time="$S" "$out/corpus" > "$out.log" 2>&1; then
		# a finding ends the round early: its rate up to there still counts
		mkdir -p "$top/build/fuzz/bench-findings"
		cp -r "$out" "$out.vm" "$top/build/fuzz/bench-findings/" 2>/dev/null
		echo "  ($k $d round $r ended early: $("$top/fuzz/classify" "$out.vm/console.log" |
			sed -n 's/^title //p'); kept in build/fuzz/bench-findings)"
	fi
	[ -s "$out/stats" ] || { echo "bench/fuzz.sh: $k $d round $r: no stats"; exit 1; }
	# executions over the run's own time (first to last stats line), calls per program
	awk -v key="$k $d" '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		if (NR == 1) { t0 = $1; e0 = v["execs"] } t1 = $1; e1 = v["execs"]; o = v["ops"] }
		END { printf "%s %.1f %.1f\n", key, (t1 > t0 ? (e1 - e0) / (t1 - t0) : 0), o / e1 }' \
		"$out/stats" >> "$t/rows"
}
for k in $kernels; do
	for r in $(seq 1 "$R"); do
		if [ $((r % 2)) = 1 ]; then one "$k" panthor "$r"; one "$k" panref "$r"
		else one "$k" panref "$r"; one "$k" panthor "$r"; fi
	done
done
echo "panfuzz exec/s per VM (KCOV on, $S s from an empty corpus, ${lenopts[*]}, median of $R [min .. max]; calls per program)"
sort -k1,2 "$t/rows" | awk '
	function flush() { if (n) { m = (n % 2) ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
		printf "  %-6s %-8s %7.0f exec/s [%.0f .. %.0f]  %.1f calls/program\n", k, d, m, x[1], x[n], c / n } }
	{ if ($1 != k || $2 != d) { flush(); k = $1; d = $2; n = 0; c = 0 }
	  x[++n] = $3; c += $4; for (i = n; i > 1 && x[i] < x[i - 1]; i--) { y = x[i]; x[i] = x[i - 1]; x[i - 1] = y } }
	END { flush() }'
