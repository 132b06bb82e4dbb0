#!/bin/bash
# Inside the VM (bench/run): submit->signal throughput and latency, panref
# (GPU 1) against Panthor (GPU 0) in the same boot, R rounds (default 5)
# whose order alternates (odd rounds Panthor first, even rounds panref
# first: the order moves the result in UML). Per configuration it prints
# the median of the paired time ratios panref / Panthor (< 1: panref
# faster) with their minimum and maximum.
#
#   bench/submit.sh [ROUNDS] [JOBS] [LATENCY_RUNS]
B=$(cd "$(dirname "$0")/.." && pwd)/build
R=${1:-5} JOBS=${2:-4000} LAT=${3:-300}
t=$(mktemp -d /tmp/bench-submit.XXXXXX)
one() {	# DRIVER ROUND: times in us per job (throughput) and per round trip
	"$B/bin/bench-throughput" --driver "$1" --jobs "$JOBS" --batch-jobs "$((JOBS * 4))" \
		--warmup 1000 --latency "$LAT" > "$t/$1.$2" || { cat "$t/$1.$2"; exit 1; }
	sed -nE 's/^(submit->signal|latency submit->signal), ([0-9]+) queues? *, +([0-9]+) jobs? +per GROUP_SUBMIT: (median )?([0-9.]+) .*/\1 \2 \3 \5/p' \
		"$t/$1.$2" | awk '{ if ($1 == "latency") printf "latency_%sq_%sj %s\n", $3, $4, $5
				     else printf "throughput_%sq_%sj %s\n", $2, $3, 1e6 / $4 }' > "$t/$1.$2.us"
}
for r in $(seq 1 "$R"); do
	if [ $((r % 2)) = 1 ]; then one panthor "$r"; one panref "$r"
	else one panref "$r"; one panthor "$r"; fi
	join "$t/panthor.$r.us" "$t/panref.$r.us" >> "$t/pairs"
done
echo "submit bench: panref / Panthor time ratio, median of $R alternating rounds [min .. max]"
echo "  (tput: time per job at $JOBS jobs, 1-job submits; $((JOBS * 4)) jobs, 32-job submits;"
echo "   lat: submit->last-fence round trip, median of $LAT per round)"
sort -k1,1 "$t/pairs" | awk '
	{ k = $1; a[k] = a[k] " " $2; b[k] = b[k] " " $3; r[k] = r[k] " " $3 / $2; n[k]++ }
	function med(s,   v, m, i, j, x) { m = split(s, v, " "); for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] + 0 < v[i] + 0) { x = v[i]; v[i] = v[j]; v[j] = x }
		lo = v[1]; hi = v[m]; return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
	END { for (k in n) { pa = med(a[k]); pb = med(b[k]); rr = med(r[k]);
		printf "  %-18s Panthor %9.2f us  panref %9.2f us  ratio %.2f [%.2f .. %.2f]\n", k, pa, pb, rr, lo, hi } }' | sort
rm -rf "$t"
