#!/bin/bash
# Inside the VM: each subtest below passes on Panthor, and FAILs when the
# shim makes one ioctl answer wrongly -- proof that the suite can fail.
. "$(dirname "$0")/common.sh"
shim=$B/lib/conf-shim.so
[ -f "$shim" ] || { echo "not ok 1 shim_missing: $shim"; exit 1; }
cases=(
	"bo bo-create-size-zero PANTHOR_BO_CREATE:succeed"
	"bo bo-create-nonzero-pad PANTHOR_BO_CREATE:errno=14"
	"bo bo-create-round-size PANTHOR_BO_CREATE:size=5000"
	"query dev-query-size-negotiation PANTHOR_DEV_QUERY:size=12"
	"vm vm-create-limit-32 PANTHOR_VM_CREATE:fail=16"
	"vm vm-get-state-usable PANTHOR_VM_GET_STATE:state=1"
	"vm_bind vm-bind-failing-op-index PANTHOR_VM_BIND:ops.count=3"
	"vm_bind vm-bind-unaligned PANTHOR_VM_BIND:succeed"
	"group group-create-ring-sizes PANTHOR_GROUP_CREATE:errno=12"
	"group group-get-state-fresh-and-destroyed PANTHOR_GROUP_GET_STATE:state=1"
	"tiler_heap tiler-heap-create-rules PANTHOR_TILER_HEAP_CREATE:handle=1"
	"submit group-submit-stream-rules PANTHOR_GROUP_SUBMIT:succeed"
	"file file-bo-handle-per-file PANTHOR_BO_MMAP_OFFSET:succeed"
)
ktap_begin ${#cases[@]}
for c in "${cases[@]}"; do
	set -- $c
	bin=$B/conformance/$1 sub=$2 spec=$3
	plain=$("$bin" --run-subtest "$sub" 2>&1)
	prc=$?
	bad=$(CONF_SHIM=$spec LD_PRELOAD=$shim "$bin" --run-subtest "$sub" 2>&1)
	brc=$?
	if [ $prc = 0 ] && grep -q "Subtest $sub: SUCCESS" <<<"$plain" &&
	   [ $brc = 98 ] && grep -q "Subtest $sub: FAIL" <<<"$bad"; then
		ktap_ok "caught_${1}@${sub}_with_${spec}"
	else
		ktap_fail "caught_${1}@${sub}_with_${spec}" "without shim: exit $prc" \
			"with $spec: exit $brc" "$(tail -3 <<<"$bad")"
	fi
done
ktap_end
