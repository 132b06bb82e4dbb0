#!/bin/bash
# On the host: `pantrace diff` of two recordings where the GPU finished
# before the recorder's check ahead of a wait in one (its write is
# snapshotted as the CPU's, before the wait) and after it in the other
# (observed after the wait): the snapshots are compared across the wait,
# equal bytes give no difference, other bytes one BO_DATA difference.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
B=$top/build
PT=$B/bin/pantrace
t=$(mktemp -d /tmp/diff-snapshots.XXXXXX)
trap 'rm -rf "$t"' EXIT
for v in cpu-before observed-after observed-other; do
	"$B/tests/test_newer_uapi" --snapshots $v "$t/$v.ptrace" ||
		{ echo "Bail out! cannot write the $v trace"; exit 1; }
done
ktap_begin 3
"$PT" diff "$t/cpu-before.ptrace" "$t/observed-after.ptrace" >"$t/out" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q ': 0 differences' "$t/out"; then
	ktap_ok diff_snapshot_before_vs_after_wait_equal
else
	ktap_fail diff_snapshot_before_vs_after_wait_equal "exit $rc" "$(cat "$t/out")"
fi
"$PT" diff "$t/observed-after.ptrace" "$t/cpu-before.ptrace" >"$t/out" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q ': 0 differences' "$t/out"; then
	ktap_ok diff_snapshot_after_vs_before_wait_equal
else
	ktap_fail diff_snapshot_after_vs_before_wait_equal "exit $rc" "$(cat "$t/out")"
fi
"$PT" diff "$t/cpu-before.ptrace" "$t/observed-other.ptrace" --json "$t/d.json" >"$t/out" 2>&1
rc=$?
if [ $rc = 1 ] && grep -q '"path": "BO_DATA' "$t/d.json" && grep -q ': 1 difference' "$t/out"; then
	ktap_ok diff_snapshot_other_bytes_reported
else
	ktap_fail diff_snapshot_other_bytes_reported "exit $rc" "$(cat "$t/out")"
fi
ktap_end
