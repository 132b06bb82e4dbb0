#!/bin/bash
# tests/run: alone (its checks have timeouts: a second VM beside it slows it down)
# Panthor with the upstream fixes (upstream/panthor/, vm/run --panthor-fixed,
# make panthor-fixed), one boot, Panthor alone:
# - every crash of corpus/crashes/ that upstream/fixes.txt says the Panthor
#   series fixes: its input (panfuzz, no known-bug filter) and its
#   reproducers (trace, C) run to their end;
# - the conformance subtests skipped on Panthor 6.12 for those bugs
#   (conformance/expectations/panthor-skips.txt) pass;
# - scenario-limits without panref's per-call budget: a 1 GiB object array
#   and 72 MiB of initial heap chunks fail with ENOMEM, 64 MiB is created;
# - every corpus trace replays as its .expect file (recorded on the
#   unfixed Panthor) says: the series changes nothing else they see;
# - the kernel log is clean, including of allocation-failure warnings and
#   OOM kills (vm/run's own check does not look for those).
# On the unfixed Panthor the first three each crash or warn (seen before the
# series was written; fuzz/known-bugs.txt).
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ko=$top/build/upstream/panthor-fixed/panthor.ko
[ -f "$ko" ] || { echo "not ok 1 panthor_fixed_built # $ko missing (make panthor-fixed)"; exit 1; }
fixed=$(awk '!/^#/ && $2 ~ /^panthor\// { print $1 }' "$top/upstream/fixes.txt")
crashes=() conf=()
for id in $fixed; do [ -f "$top/corpus/crashes/$id/input" ] && crashes+=("$id"); done
while IFS= read -r re; do
	for b in "$top"/build/conformance/*; do
		while IFS= read -r st; do
			[[ "${b##*/}@$st" =~ $re ]] && conf+=("${b##*/}@$st")
		done < <("$b" --list-subtests)
	done
done < <(grep -v '^#' "$top/conformance/expectations/panthor-skips.txt" | grep .)
for id in "${crashes[@]}"; do
	[ -f "$top/corpus/crashes/$id/repro.c" ] &&
		${CC:-cc} -std=gnu11 -O1 -o "$tmp/$id" "$top/corpus/crashes/$id/repro.c" 2> "$tmp/$id.cc"
done
cat > "$tmp/guest.sh" <<GUEST
#!/bin/bash
for id in ${crashes[*]}; do
	env PANFUZZ_DRIVER=panthor PANFUZZ_OUT="$tmp/pf-\$id" PANFUZZ_KNOWN=none \
		"$top/build/bin/panfuzz" "$top/corpus/crashes/\$id/input" > "$tmp/pf-\$id.log" 2>&1
	echo "input \$id \$?"
	if [ -f "$top/corpus/crashes/\$id/repro.ptrace" ]; then
		"$top/build/bin/pantrace" replay "$top/corpus/crashes/\$id/repro.ptrace" --device driver:panthor -q > /dev/null 2>&1
		echo "trace \$id \$?"
	fi
	if [ -x "$tmp/\$id" ]; then
		"$tmp/\$id" /dev/dri/renderD128 > /dev/null 2>&1
		echo "c \$id \$?"
	fi
done
for s in ${conf[*]}; do
	"$top/build/conformance/\${s%%@*}" --driver panthor --run-subtest "\${s#*@}" > "$tmp/conf.log" 2>&1
	grep -q "^Subtest \${s#*@}: SUCCESS" "$tmp/conf.log"
	echo "conf \$s \$?"
done
"$top/build/bin/scenario-limits" --driver panthor --no-budget | sed 's/^/limits /'
"$top/build/bin/pantrace" replay --expect -q "$top"/corpus/traces/*.ptrace > "$tmp/replay.log" 2>&1
echo "corpus \$?"
GUEST
chmod +x "$tmp/guest.sh"
log=$("$top/vm/run" --panthor-fixed --no-panref --timeout 300 --rundir "$tmp/vm" -- "$tmp/guest.sh" 2>&1)
vmrc=$?
n=$((${#conf[@]} + 3 + 1 + 2))
for id in "${crashes[@]}"; do
	n=$((n + 1))
	[ -f "$top/corpus/crashes/$id/repro.ptrace" ] && n=$((n + 1))
	[ -f "$top/corpus/crashes/$id/repro.c" ] && n=$((n + 1))
done
ktap_begin $n
result() {	# result NAME KEY: ok if the guest printed "KEY 0" (1 allowed for c/trace)
	local got
	got=$(grep -E "^$2 [0-9]+$" <<<"$log" | tail -n 1 | awk '{ print $NF }')
	if [ "$got" = 0 ] || { [ "$got" = 1 ] && [[ $2 =~ ^(c|trace) ]]; }; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "exit ${got:-none}" "$(tail -n 20 <<<"$log")"
	fi
}
for id in "${crashes[@]}"; do
	result "${id}_input_runs_clean" "input $id"
	# (a crash directory without reproducers has only its input)
	[ -f "$top/corpus/crashes/$id/repro.ptrace" ] && result "${id}_trace_replays_clean" "trace $id"
	[ -f "$top/corpus/crashes/$id/repro.c" ] && result "${id}_c_repro_runs_clean" "c $id"
done
for s in "${conf[@]}"; do result "skipped_on_panthor_passes_${s//[@-]/_}" "conf $s"; done
for n in array_1gib_enomem heap_initial_over_max heap_initial_at_max; do
	if grep -qE "^limits ok [0-9]+ $n" <<<"$log"; then ktap_ok "$n"
	else ktap_fail "$n" "$(grep -E "^limits " <<<"$log")"; fi
done
result corpus_traces_replay_as_recorded_on_unfixed_panthor corpus
[ -f "$tmp/vm/console.log" ] || cp "$(ls -td "$top"/build/vm-runs/run.* | head -1)/console.log" "$tmp/vm/" 2>/dev/null
bad=$(grep -E 'vmalloc error|page allocation failure|invoked oom-killer|Out of memory' "$tmp/vm/console.log" 2>/dev/null)
if [ -z "$bad" ] && [ -s "$tmp/vm/console.log" ]; then ktap_ok no_allocation_warning_or_oom_kill
else ktap_fail no_allocation_warning_or_oom_kill "${bad:-no kernel log}"; fi
case $vmrc in
0) ktap_ok panthor_fixed_kernel_log_clean ;;
*) ktap_fail panthor_fixed_kernel_log_clean "vm/run exit $vmrc" "$(tail -n 30 <<<"$log")" ;;
esac
ktap_end
