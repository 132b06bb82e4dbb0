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
sort -k1,1 "$t/pairs" | awk -v width=18 -v unit=" us" -f "$(dirname "$0")/pairs.awk" | sort
rm -rf "$t"
