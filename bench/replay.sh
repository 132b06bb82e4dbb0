#!/bin/bash
# Inside the VM (bench/run): the two pantrace figures of issue 5.
#  1. replay time of a 100 000-ioctl trace vs the raw loop issuing the same
#     ioctls (target <= 1.3x): whole-process wall times, median of 3;
#  2. recorder overhead on a submit-heavy program (target <= 5 %):
#     bench-throughput's jobs/s with and without the recorder (medians of 5).
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
# 32 jobs per GROUP_SUBMIT); it runs 5 times alone and 5 times under the
# recorder, alternating, and the medians are compared.
for i in 1 2 3 4 5; do
	"$B/bin/bench-throughput" --driver panthor --jobs 20000 2>&1 | grep 'jobs/s' >> "$t/plain"
	"$PT" record -o "$t/tp.ptrace" -- "$B/bin/bench-throughput" --driver panthor --jobs 20000 \
		2>&1 | grep 'jobs/s' >> "$t/rec"
done
rate() { grep -F "$1:" "$2" | grep -oE '[0-9]+ jobs/s' | cut -d' ' -f1 | sort -n | sed -n 3p; }
sed -E 's/: [0-9]+ jobs\/s.*//' "$t/plain" | awk '!seen[$0]++' | while IFS= read -r cfg; do
	x=$(rate "$cfg" "$t/plain") y=$(rate "$cfg" "$t/rec")
	printf 'recorder: %s: median %s jobs/s, recorded %s jobs/s: overhead %.1f %% (target <= 5 %%)\n' \
		"$cfg" "$x" "$y" "$(echo "($x / $y - 1) * 100" | bc -l)"
done
echo "recorder: trace of the recorded run: $(stat -c %s "$t/tp.ptrace") bytes"
rm -rf "$t"
