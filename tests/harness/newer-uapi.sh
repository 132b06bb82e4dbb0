#!/bin/bash
# On the host: pantrace dump decodes the synthetic records of every Panthor
# uAPI 1.1+ ioctl, DEV_QUERY type and flag (tests/harness/test_newer_uapi.c)
# -- names, fields, payloads, strings -- with no raw call, and says which
# uAPI version the trace was recorded against.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
B=$top/build
t=$(mktemp -d /tmp/newer-uapi.XXXXXX)
trap 'rm -rf "$t"' EXIT
# NAME REGEX: a dump line matches
want=(
	"recorded_against_1_9 ^# recorded against: Panthor uAPI 1\.9 \(driver version 1\.9\.0.*kernel 7\.1\.0-synthetic$"
	"timestamp_info_1_1 ^  TIMESTAMP_INFO\{timestamp_frequency=0x16e3600, current_timestamp=0x75bcd15, timestamp_offset=0\}$"
	"timestamp_info_1_8_flags ^  TIMESTAMP_INFO\{.*flags=GPU\|CPU_MONOTONIC\|FREQ\|DURATION, duration_nsec=0x384, cycle_count=0, cpu_timestamp_sec=0x3e8, cpu_timestamp_nsec=0x1f4\}$"
	"group_priorities_info_1_2 ^  GROUP_PRIORITIES_INFO\{allowed_mask=0x3, pad=0\}$"
	"priority_realtime_1_2 PANTHOR_GROUP_CREATE\{.*priority=REALTIME,"
	"group_state_innocent_1_3 PANTHOR_GROUP_GET_STATE\{group_handle=1, state=TIMEDOUT\|INNOCENT,"
	"bo_set_label_1_4 PANTHOR_BO_SET_LABEL\{handle=1, pad=0, label=0x7f0000002000\"synthetic label\"\}$"
	"set_user_mmio_offset_1_5 PANTHOR_SET_USER_MMIO_OFFSET\{offset=MMIO_OFFSET_64BIT\}$"
	"bo_sync_1_7 ^  ops\[0\]: \{handle=1, type=FLUSH_AND_INVALIDATE, offset=0, size=0x1000\}$"
	"bo_query_info_1_7 PANTHOR_BO_QUERY_INFO\{handle=1, extra_flags=0, create_flags=0, pad=0\}$"
	"bo_wb_mmap_1_7 PANTHOR_BO_CREATE\{size=0x1000, flags=WB_MMAP,"
	"mmu_info_1_9 ^  MMU_INFO\{page_size_bitmap=0x40201000\}$"
	"map_sparse_1_9 ^  ops\[0\]: \{flags=MAP_NOEXEC\|MAP_SPARSE, bo_handle=0,"
)
ktap_begin $((${#want[@]} + 1))
"$B/tests/test_newer_uapi" --write "$t/n.ptrace" || { echo "Bail out! cannot write the trace"; exit 1; }
out=$("$B/bin/pantrace" dump "$t/n.ptrace" 2>&1)
rc=$?
raw=$(grep -c 'ioctl(0x' <<<"$out")
n=$(grep -cE '^#[0-9]+ \[tid' <<<"$out")
if [ $rc = 0 ] && [ "$raw" = 0 ] && [ "$n" = 16 ] && grep -q "end: the program exited" <<<"$out"; then
	ktap_ok newer_uapi_dump_every_call_decoded
else
	ktap_fail newer_uapi_dump_every_call_decoded "dump exit $rc, $n calls, $raw raw" "$out"
fi
for w in "${want[@]}"; do
	name=${w%% *} re=${w#* }
	if grep -qE "$re" <<<"$out"; then
		ktap_ok "newer_uapi_dump_$name"
	else
		ktap_fail "newer_uapi_dump_$name" "no line matches: $re"
	fi
done
ktap_end
