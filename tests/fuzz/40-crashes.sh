#!/bin/bash
# Regression tests of the crashes the fuzzers found (corpus/crashes/, see its
# README.md): each input on both drivers in the VM. On a driver that has the
# bug (fuzz/known-bugs.txt) it is a SKIP naming the report, and the input
# must run clean with the known-bug filter on (and be filtered); on a driver
# that does not have it, it must run clean with no filter. The reproducers
# of a crash (repro.ptrace, repro.c: fuzz/repro) are run the same way: on a
# driver without the bug the trace must replay and the C program run to
# their end (exit 0, or 1 where a result differs from the recording, e.g.
# a wait's timing) with a clean kernel log; on one with it, a SKIP.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
crashes=("$top"/corpus/crashes/*/input)
[ -e "${crashes[0]}" ] || { echo "no crash inputs under corpus/crashes"; exit 1; }
repros=()
for f in "$top"/corpus/crashes/*/repro.ptrace; do [ -e "$f" ] && repros+=("$(dirname "$f")"); done
ktap_begin $((2 * ${#crashes[@]} * 2 + 2 * ${#repros[@]} * 2))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# has_bug ID DRIVER: the known-bugs list says DRIVER has ID
has_bug() { "$top/fuzz/has-bug" "$1" "$2"; }
# run DRIVER KNOWN OUT FILE...: panfuzz runs each FILE once in a VM
run() {
	local driver=$1 known=$2 out=$3; shift 3
	local opts=(--no-panref)
	[ "$driver" = panref ] && opts=(--no-panthor)
	"$top/vm/run" --timeout 120 "${opts[@]}" -- env PANFUZZ_DRIVER="$driver" \
		PANFUZZ_OUT="$out" PANFUZZ_KNOWN="$known" "$top/build/bin/panfuzz" "$@"
}
for driver in panthor panref; do
	filtered=() clean=()
	for f in "${crashes[@]}"; do
		id=$(basename "$(dirname "$f")")
		if has_bug "$id" "$driver"; then filtered+=("$f"); else clean+=("$f"); fi
	done
	if [ ${#filtered[@]} -gt 0 ]; then
		log=$(run "$driver" "$top/fuzz/known-bugs.txt" "$tmp/$driver-f" "${filtered[@]}" 2>&1)
		rc=$?
		sup=$(tail -n 1 "$tmp/$driver-f/stats" 2>/dev/null | sed -n 's/.* suppressed=\([0-9]*\).*/\1/p')
		for f in "${filtered[@]}"; do
			id=$(basename "$(dirname "$f")")
			ktap_skip "${driver}_${id}_reproduces" \
				"known bug of $driver: $(head -n 1 "$(dirname "$f")/report.txt")"
			if [ $rc = 0 ] && [ "${sup:-0}" -ge ${#filtered[@]} ]; then
				ktap_ok "${driver}_${id}_filtered"
			else
				ktap_fail "${driver}_${id}_filtered" "exit $rc, suppressed ${sup:-none}" \
					"$(tail -n 20 <<<"$log")"
			fi
		done
	fi
	if [ ${#clean[@]} -gt 0 ]; then
		log=$(run "$driver" none "$tmp/$driver-c" "${clean[@]}" 2>&1)
		rc=$?
		for f in "${clean[@]}"; do
			id=$(basename "$(dirname "$f")")
			if [ $rc = 0 ]; then
				ktap_ok "${driver}_${id}_runs_clean"
				ktap_ok "${driver}_${id}_no_filter_needed"
			else
				ktap_fail "${driver}_${id}_runs_clean" "exit $rc" "$(tail -n 30 <<<"$log")"
				ktap_fail "${driver}_${id}_no_filter_needed" "see above"
			fi
		done
	fi
done
# the reproducers: compiled here, run in one VM per driver
for r in "${repros[@]}"; do
	id=$(basename "$r")
	mkdir -p "$tmp/c"
	${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -O1 -o "$tmp/c/$id" "$r/repro.c" 2> "$tmp/c/$id.log" ||
		echo "$id" >> "$tmp/c/broken"
done
for driver in panthor panref; do
	run_ids=()
	for r in "${repros[@]}"; do
		id=$(basename "$r")
		if has_bug "$id" "$driver"; then
			ktap_skip "${driver}_${id}_trace_replays_clean" \
				"known bug of $driver: $(sed -n 's/^  *'"$driver"' *trace *//p' "$r/repro.txt" | head -n 1)"
			ktap_skip "${driver}_${id}_c_repro_runs_clean" "known bug of $driver (the trace's report)"
		else
			run_ids+=("$id")
		fi
	done
	[ ${#run_ids[@]} -gt 0 ] || continue
	cat > "$tmp/repro-$driver.sh" <<GUEST
#!/bin/bash
for id in ${run_ids[*]}; do
	"$top/build/bin/pantrace" replay "$top/corpus/crashes/\$id/repro.ptrace" --device driver:$driver -q
	echo "trace \$id \$?"
	"$tmp/c/\$id" /dev/dri/renderD128 > /dev/null
	echo "c \$id \$?"
done
GUEST
	chmod +x "$tmp/repro-$driver.sh"
	opts=(--no-panref)
	[ "$driver" = panref ] && opts=(--no-panthor)
	log=$("$top/vm/run" --timeout 120 "${opts[@]}" -- "$tmp/repro-$driver.sh" 2>&1)
	rc=$?
	for id in "${run_ids[@]}"; do
		for how in trace c; do
			name=${driver}_${id}_trace_replays_clean
			[ $how = c ] && name=${driver}_${id}_c_repro_runs_clean
			got=$(sed -n "s/^$how $id \([0-9]*\)\$/\1/p" <<<"$log" | tail -n 1)
			if grep -qx "$id" "$tmp/c/broken" 2>/dev/null && [ $how = c ]; then
				ktap_fail "$name" "$(cat "$tmp/c/$id.log")"
			elif [ $rc = 0 ] && { [ "$got" = 0 ] || [ "$got" = 1 ]; }; then
				# 1: a result differs from the recording (a wait's timing):
				# the kernel log is this test's oracle, and it is clean
				[ "$got" = 1 ] && echo "# $name: some results differ from the recording"
				ktap_ok "$name"
			else
				ktap_fail "$name" "vm/run exit $rc, $how exit ${got:-none}" "$(tail -n 20 <<<"$log")"
			fi
		done
	done
done
ktap_end
