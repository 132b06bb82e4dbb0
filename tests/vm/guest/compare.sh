#!/bin/bash
# Inside the VM: pantrace compare, Panthor vs panref, over every corpus
# trace: no difference. Then panref's test knob (module parameter deviate)
# is turned on, and the difference must be reported at the first call it
# changes, with the field it changes.
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/pantrace-lib.sh"
PT=$B/bin/pantrace
C=$PANREF_TOP/corpus/traces
KNOB=/sys/module/panref/parameters/deviate
t=$(mktemp -d /tmp/compare.XXXXXX)
traces=("$C"/*.ptrace)
ktap_begin $((${#traces[@]} + 2))
if [ ! -e "$GPU1/driver" ] || [ "$(basename "$(readlink "$GPU1/driver")")" != panref ]; then
	for tr in "${traces[@]}"; do ktap_fail "compare_$(basename "$tr" .ptrace)" "panref is not bound"; done
	ktap_fail deviation_bo_create_pad_errno_reported "panref is not bound"
	ktap_fail deviation_query_gpu_rev_reported "panref is not bound"
	ktap_end
	exit
fi
"$PT" compare --a driver:panthor --b driver:panref --ktap "$t/c.tap" "${traces[@]}" >"$t/out" 2>&1
pt_forward_ktap compare_ "$t/c.tap" "$t/out"

knob() {	# NAME TRACE WANT-SEQ WANT-PATH
	local got rc
	echo "$1" > "$KNOB"
	"$PT" compare -q --a driver:panthor --b driver:panref --json "$t/d.json" "$2" >"$t/out" 2>&1
	rc=$?
	echo > "$KNOB"
	got=$(pt_first_diff "$t/d.json")
	if [ $rc = 1 ] && [ "$got" = "$3 $4" ]; then
		ktap_ok "deviation_${1}_reported"
	else
		ktap_fail "deviation_${1}_reported" "compare exit $rc; first difference \"$got\", wanted \"$3 $4\"" \
			"$(cat "$t/out")"
	fi
}
tr=$C/conformance-bo.ptrace
want=$("$PT" dump "$tr" | awk '/^#[0-9]+ \[tid.* PANTHOR_BO_CREATE\{.*pad=[1-9]/ { print substr($1, 2); exit }')
knob bo_create_pad_errno "$tr" "$want" PANTHOR_BO_CREATE.result
tr=$C/conformance-query.ptrace
# the first GPU_INFO query with a buffer that succeeded (its result line
# follows the decoded buffer)
want=$("$PT" dump "$tr" | awk '
	/^#[0-9]+ / { s = ""; if ($0 ~ /PANTHOR_DEV_QUERY\{type=GPU_INFO, size=0x[1-9a-f]/) s = substr($1, 2); next }
	s != "" && /^  = 0$/ { print s; exit }')
knob query_gpu_rev "$tr" "$want" PANTHOR_DEV_QUERY.GPU_INFO.gpu_rev
rm -rf "$t"
ktap_end
