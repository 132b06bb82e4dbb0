#!/bin/bash
# Inside the VM (bench/run): the two pantrace figures of issue 5.
#  1. replay time of a 100 000-ioctl trace vs the raw loop issuing the same
#     ioctls (target <= 1.3x): whole-process wall times, median of 3;
#  2. recorder overhead on a submit-heavy program (target <= 5 %):
#     bench-throughput's jobs/s with and without the recorder (medians of R=7),
#     and the recorder's own time per ioctl.
B=$(cd "$(dirname "$0")/.." && pwd)/build
PT=$B/bin/pantrace
# the trace goes to the guest's tmpfs (/run): hostfs page faults are UML's cost, not the recorder's
t=$(mktemp -d /run/bench-replay.XXXXXX)
N=${N:-100000}
wall() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>"$t/err" || { cat "$t/err" >&2; exit 1; }
	e=$(date +%s.%N); echo "$e - $s" | bc; }
med() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
"$PT" record -o "$t/loop.ptrace" -- "$B/bin/bench-ioctl-loop" "$N" 2>/dev/null
n=$("$PT" dump "$t/loop.ptrace" | grep -c '^#[0-9]* \[tid')
raw=() rep=()
for i in 1 2 3; do
	raw+=("$(wall "$B/bin/bench-ioctl-loop" "$N")")
	rep+=("$(wall "$PT" replay -q "$t/loop.ptrace")")
done
r=$(med "${raw[@]}") p=$(med "${rep[@]}")
printf 'replay: %d-ioctl trace (%s bytes): raw loop %.2f s, pantrace replay %.2f s: %.2fx (target <= 1.3x)\n' \
	"$n" "$(stat -c %s "$t/loop.ptrace")" "$r" "$p" "$(echo "$p / $r" | bc -l)"
# bench-throughput prints one line per configuration (1 and 8 queues, 1 and
# 32 jobs per GROUP_SUBMIT); it runs R times alone and R times under the
# recorder, alternating, and the medians are compared. Each run starts with
# 4000 untimed jobs (--warmup), so that the first configuration's figure is
# not also the recorder's start-up (shadow copies, first trace pages).
# UML's timing is noisy (a run-to-run spread of 10-30 % at 32 jobs per
# submit), so the spread of the paired runs and the recorder's own time
# (PANTRACE_STATS=1: counter ticks spent in its ioctl wrapper, as a share of
# the recorded run's wall time) are printed too.
R=${R:-7}
for i in $(seq "$R"); do
	"$B/bin/bench-throughput" --driver panthor --jobs 20000 --batch-jobs 160000 --warmup 4000 2>&1 | grep 'jobs/s' >> "$t/plain"
	s=$(date +%s%N)
	PANTRACE_STATS=1 "$PT" record -o "$t/tp.ptrace" -- "$B/bin/bench-throughput" --driver panthor --batch-jobs 160000 --warmup 4000 \
		--jobs 20000 > "$t/out" 2>&1
	e=$(date +%s%N)
	grep 'jobs/s' "$t/out" >> "$t/rec"
	w=$(grep -oE '^pantrace: +[0-9]+ us in the ioctl wrapper' "$t/out" | grep -oE '[0-9]+ us' | cut -d' ' -f1)
	[ -n "$w" ] || { echo "recorder: no PANTRACE_STATS line:"; cat "$t/out"; exit 1; } >&2
	echo "$w $(( (e - s) / 1000 ))" >> "$t/self"
	grep -E '^pantrace: [0-9]+ ioctls' "$t/out" > "$t/calls"
done
mid=$(( (R + 1) / 2 ))
rates() { grep -F "$1:" "$2" | grep -oE '[0-9]+ jobs/s' | cut -d' ' -f1; }	# CFG FILE, in run order
rate() { rates "$1" "$2" | sort -n | sed -n ${mid}p; }
sed -E 's/: [0-9]+ jobs\/s.*//' "$t/plain" | awk '!seen[$0]++' | while IFS= read -r cfg; do
	x=$(rate "$cfg" "$t/plain") y=$(rate "$cfg" "$t/rec")
	# the spread of run i alone / run i recorded (adjacent in time): the
	# noise any single figure above carries
	q=$(paste <(rates "$cfg" "$t/plain") <(rates "$cfg" "$t/rec") |
		awk '{ print ($1 / $2 - 1) * 100 }' | sort -g |
		awk '{ v[NR] = $1 } END { printf "%.1f %% .. %.1f %%", v[int((NR + 3) / 4)], v[int((3 * NR + 3) / 4)] }')
	printf 'recorder: %s: median %s jobs/s, recorded %s jobs/s: overhead %.1f %% (target <= 5 %%; pairs'"'"' quartiles %s)\n' \
		"$cfg" "$x" "$y" "$(echo "($x / $y - 1) * 100" | bc -l)" "$q"
done
awk '{ s = $1 / ($2 - $1) * 100; print s }' "$t/self" | sort -n | sed -n ${mid}p | {
	read -r share
	printf 'recorder: own time in its ioctl wrapper: median %.1f %% of the rest of the recorded run (%s; %d runs)\n' \
		"$share" "$(sed 's/^pantrace: //' "$t/calls")" "$R"
}
echo "recorder: trace of the recorded run: $(stat -c %s "$t/tp.ptrace") bytes"
[ -n "${BENCH_KEEP:-}" ] && { echo "== plain"; cat "$t/plain"; echo "== recorded"; cat "$t/rec"; cat "$t/self"; }
rm -rf "$t"
