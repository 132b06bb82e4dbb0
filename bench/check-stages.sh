#!/usr/bin/env bash
# The time of each stage of the README's two commands, largest first, so
# the cost of every addition to `make check` is visible (docs/ci-time.md
# keeps the table).
#
#   bench/check-stages.sh [--runs N]   warm: this tree as it is, N times
#                                      (default 1); nothing is rebuilt
#                                      unless something changed
#   bench/check-stages.sh --cold       cold: a fresh clone of HEAD in a
#                                      temporary directory with an empty
#                                      kernel cache (PANREF_CACHE), then
#                                      `make run` and `make check` there,
#                                      as on a fresh machine (about 45 min
#                                      on 2 cores). Debian packages that
#                                      this machine already has are not
#                                      reinstalled: `make deps` then costs
#                                      only its check.
#
# Stages: `make deps`; the build steps `make check` runs before its tests
# (vm tools: the VM's kernel, the model, panref, the tools; debug-vm;
# fuzz-builds; panthor-fixed), each kernel build within them as vm/make-progress logged
# it; each test program (tests/run's last-run.tsv); and the wall time of
# the tests (TEST_JOBS programs side by side) and of the whole. With
# --runs N > 1 each line is the median of the runs and [min .. max].
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cold=0 runs=1
while [ $# -gt 0 ]; do
	case $1 in
	--cold) cold=1; shift ;;
	--runs) runs=$2; shift 2 ;;
	*) echo "usage: bench/check-stages.sh [--cold | --runs N]" >&2; exit 2 ;;
	esac
done
[ $cold = 1 ] && runs=1
work=$(mktemp -d /var/tmp/panref-stages.XXXXXX)
trap 'rm -rf "$work/clone" "$work/cache"' EXIT
tree=$top
if [ $cold = 1 ]; then
	git clone -q "$top" "$work/clone"
	tree=$work/clone
	export PANREF_CACHE=$work/cache
fi
now() { date +%s.%N; }
# stage RUN NAME CMD...: time CMD, record it
stage() {
	local r=$1 name=$2 s e rc=0
	shift 2
	s=$(now)
	"$@" >> "$work/run$r.log" 2>&1 || rc=$?
	e=$(now)
	printf '%s\t%.0f\n' "$name" "$(echo "$e - $s" | bc)" >> "$work/run$r.tsv"
	[ $rc = 0 ] || { echo "check-stages: '$name' failed (exit $rc); log: $work/run$r.log" >&2
		tail -n 30 "$work/run$r.log" >&2; trap - EXIT; exit 1; }
}
for r in $(seq 1 "$runs"); do
	: > "$work/run$r.tsv"
	export PANREF_STAGE_LOG=$work/stages$r.tsv
	: > "$PANREF_STAGE_LOG"
	s0=$(now)
	stage "$r" "make deps" make -s -C "$tree" deps
	if [ $cold = 1 ]; then
		s=$(now)
		stage "$r" "make run" make -s -C "$tree" run
		printf 'wall: make run\t%.0f\n' "$(echo "$(now) - $s" | bc)" >> "$work/run$r.tsv"
	fi
	s1=$(now)
	stage "$r" "build: vm tools" make -s -C "$tree" vm tools
	stage "$r" "build: debug-vm" make -s -C "$tree" debug-vm
	stage "$r" "build: fuzz-builds" make -s -C "$tree" fuzz-builds
	stage "$r" "build: panthor-fixed" make -s -C "$tree" panthor-fixed
	# what `make check` has left: its tests
	stage "$r" "wall: tests" make -s -C "$tree" check
	printf 'wall: make check\t%.0f\n' "$(echo "$(now) - $s1" | bc)" >> "$work/run$r.tsv"
	printf 'wall: all\t%.0f\n' "$(echo "$(now) - $s0" | bc)" >> "$work/run$r.tsv"
	# kernel builds inside the build steps (vm/make-progress), tests
	awk -F'\t' '{ printf "kernel build: %s\t%s\n", $1, $2 }' "$PANREF_STAGE_LOG" >> "$work/run$r.tsv"
	awk -F'\t' '{ printf "test: %s\t%s\n", $1, $2 }' "$tree/build/test-results/last-run.tsv" >> "$work/run$r.tsv"
done
echo "make check stages on $(nproc) cores, $([ $cold = 1 ] && echo "cold (fresh clone, empty kernel cache)" || echo warm), $runs run(s); TEST_JOBS=${TEST_JOBS:-default}"
echo "seconds: median [min .. max] over the runs, largest first"
cat "$work"/run*.tsv | awk -F'\t' '
	{ n[$1]++; v[$1, n[$1]] = $2 }
	END {
		for (k in n) {
			m = n[k]
			for (i = 1; i <= m; i++) a[i] = v[k, i]
			for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
			med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
			printf "%8.0f  [%5.0f .. %5.0f]  %s\n", med, a[1], a[m], k
		}
	}' | sort -k1,1nr
echo "logs: $work"
