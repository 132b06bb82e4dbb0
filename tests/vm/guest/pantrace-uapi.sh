#!/bin/bash
# Inside the VM (see tests/vm/92-pantrace-uapi.sh). $1: the directory with
# the synthetic uAPI 1.1+ trace written on the host.
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/pantrace-lib.sh"
PT=$B/bin/pantrace
syn=$1/newer.ptrace
t=$(mktemp -d /tmp/pantrace-uapi.XXXXXX)
ktap_begin 13
# the synthetic trace: 11 calls need uAPI 1.1 or later (test_newer_uapi.c)
NEWER=11

# ---- the same client, built against the kernel's and libdrm's headers ----
for h in kernel libdrm; do
	out=$("$PT" record -o "$t/$h.ptrace" -- "$B/bin/uapi-client-$h" panthor 2>&1)
	rc=$?
	if [ $rc = 0 ] && grep -q ": ok$" <<<"$out"; then
		ktap_ok "record_${h}_headers_client"
	else
		ktap_fail "record_${h}_headers_client" "exit $rc" "$out"
	fi
done

# dump_check HEADERS WAIT-SIZE: every call decoded but the one unknown ioctl
dump_check() {
	local h=$1 out rc raw waits deadline bad=""
	out=$("$PT" dump "$t/$h.ptrace" 2>"$t/err")
	rc=$?
	echo "$out" > "$t/$h.dump"
	raw=$(grep -c 'ioctl(0x' <<<"$out")
	# the waits of the header's own size: fully decoded, handles shown
	waits=$(grep -cE '^#[0-9]+ .* SYNCOBJ_WAIT\{handles=0x[0-9a-f]+\[[0-9]+(, [0-9]+)*\], ' <<<"$out")
	deadline=$(grep -E '^#[0-9]+ .* SYNCOBJ_WAIT\{' <<<"$out" | grep -c 'deadline_nsec=')
	[ $rc = 0 ] || bad="$bad; dump exit $rc"
	[ "$raw" = 1 ] || bad="$bad; $raw raw calls (want 1: SYNCOBJ_EVENTFD)"
	grep -qE '^#[0-9]+ .* ioctl\(0xc01864cf, 24 bytes; not in the uAPI table\) in=' <<<"$out" ||
		bad="$bad; the unknown ioctl is not dumped raw"
	[ "$waits" = 2 ] || bad="$bad; $waits decoded SYNCOBJ_WAITs with their handles (want 2)"
	if [ "$2" = 40 ]; then
		[ "$deadline" = 2 ] || bad="$bad; $deadline waits show deadline_nsec (want 2)"
		grep -qE 'SYNCOBJ_TIMELINE_WAIT\{handles=0x[0-9a-f]+\[[0-9]+\], points=0x[0-9a-f]+\[2\], .*deadline_nsec=0\}' <<<"$out" ||
			bad="$bad; TIMELINE_WAIT (48 bytes) not decoded"
		grep -q 'flags=WAIT_ALL|WAIT_DEADLINE' <<<"$out" || bad="$bad; no WAIT_DEADLINE flag"
	else
		[ "$deadline" = 0 ] || bad="$bad; a 32-byte wait shows deadline_nsec"
		grep -qE 'SYNCOBJ_TIMELINE_WAIT\{handles=0x[0-9a-f]+\[[0-9]+\], points=0x[0-9a-f]+\[2\], .*pad=0\}$' <<<"$out" ||
			bad="$bad; TIMELINE_WAIT (40 bytes) not decoded"
	fi
	grep -qE '^#[0-9]+ .* SYNCOBJ_WAIT<48 bytes, decoded up to 40>\{handles=0x[0-9a-f]+\[[0-9]+\], .*deadline_nsec=(0|0x[0-9a-f]+)\}$' <<<"$out" &&
		grep -qE '^  \+ bytes past the table.s layouts: in=0000000000000000 out=0000000000000000$' <<<"$out" ||
		bad="$bad; the 48-byte wait is not decoded up to 40 with its tail"
	grep -qE '^#[0-9]+ .* PANTHOR_BO_SET_LABEL\{handle=1, pad=0, label=0x[0-9a-f]+"uapi-client label"\}$' <<<"$out" ||
		bad="$bad; the label string is not recorded"
	grep -qE '^# recorded against: Panthor uAPI 1\.0 \(driver version 1\.0\.[0-9]+, from the driver.s DRM_IOCTL_VERSION at open\), kernel 6\.12' <<<"$out" ||
		bad="$bad; no 'recorded against' line with uAPI 1.0 and kernel 6.12"
	if [ -z "$bad" ]; then
		ktap_ok "dump_${h}_headers_client_decoded"
	else
		ktap_fail "dump_${h}_headers_client_decoded" "${bad#; }" "$(grep -E 'SYNCOBJ|ioctl\(|recorded' <<<"$out")"
	fi
}
dump_check kernel 40
dump_check libdrm 32
# the recorded requests are the two headers' sizes
if grep -q 'SYNCOBJ_WAIT{' "$t/kernel.dump" && [ "$(od -An -tx1 "$t/kernel.ptrace" | tr -d ' \n' | grep -o 'c36428c0' | wc -l)" -ge 2 ] &&
   [ "$(od -An -tx1 "$t/libdrm.ptrace" | tr -d ' \n' | grep -o 'c36420c0' | wc -l)" -ge 2 ]; then
	ktap_ok recorded_requests_are_0xc02864c3_and_0xc02064c3
else
	ktap_fail recorded_requests_are_0xc02864c3_and_0xc02064c3 "request numbers not found in the traces"
fi

# replay: no difference; the unknown ioctl replayed and reported as unknown, once
for h in kernel libdrm; do
	"$PT" replay "$t/$h.ptrace" >"$t/out" 2>"$t/err"
	rc=$?
	if [ $rc = 0 ] && grep -q ": 0 differences" "$t/out" &&
	   grep -q ": 1 call unknown to the uAPI table, replayed and compared as bytes" "$t/out" &&
	   [ "$(grep -c 'warning: ioctl 0xc01864cf .* is not in the uAPI table' "$t/err")" = 1 ]; then
		ktap_ok "replay_${h}_headers_client_on_panthor"
	else
		ktap_fail "replay_${h}_headers_client_on_panthor" "replay exit $rc" "$(cat "$t/out" "$t/err")"
	fi
done
# the unknown call: a replayed result the differ compares (a changed errno shows)
want=$(grep -E 'ioctl\(0xc01864cf' "$t/kernel.dump" | sed -E 's/^#([0-9]+) .*/\1/')
"$PT" replay -q --inject "$want:result=-22" --json "$t/d.json" "$t/kernel.ptrace" >/dev/null 2>&1
rc=$?
got=$(pt_first_diff "$t/d.json")
if [ $rc = 1 ] && [ "$got" = "$want ioctl(0xc01864cf).result" ] && grep -q '"unknown_ioctls": 1' "$t/d.json" &&
   grep -q '"trace_status": 0' "$t/d.json"; then
	ktap_ok unknown_ioctl_compared_not_corrupt
else
	ktap_fail unknown_ioctl_compared_not_corrupt "exit $rc, first difference \"$got\"" "$(cat "$t/d.json")"
fi

# compare: Panthor vs panref (part 1 serves every call of the client)
for h in kernel libdrm; do
	if [ "$(bound_driver "$GPU1")" != panref ]; then
		ktap_fail "compare_${h}_headers_client_panthor_panref" "panref is not bound to GPU 1"
		continue
	fi
	"$PT" compare --a driver:panthor --b driver:panref "$t/$h.ptrace" >"$t/out" 2>&1
	rc=$?
	if [ $rc = 0 ] && grep -q ": 0 differences" "$t/out"; then
		ktap_ok "compare_${h}_headers_client_panthor_panref"
	else
		ktap_fail "compare_${h}_headers_client_panthor_panref" "compare exit $rc" "$(cat "$t/out")"
	fi
done

# ---- synthetic uAPI 1.1+ records on Panthor 6.12 (uAPI 1.0) ----
"$PT" replay --json "$t/s.json" "$syn" >"$t/out" 2>&1
rc=$?
nd=$(grep -c '"record": ' "$t/s.json")
nu=$(grep -c '"path": "[^"]*\.unsupported"' "$t/s.json")
nmsg=$(grep -c 'not supported by this driver (uAPI 1\.0)' "$t/s.json")
if [ $rc = 1 ] && [ "$nd" = $NEWER ] && [ "$nu" = $NEWER ] && [ "$nmsg" = $NEWER ]; then
	ktap_ok newer_uapi_replay_reports_not_supported
else
	ktap_fail newer_uapi_replay_reports_not_supported "exit $rc, $nd differences, $nu unsupported, $nmsg messages (want $NEWER)" \
		"$(cat "$t/out")"
fi
for p in PANTHOR_BO_SET_LABEL PANTHOR_SET_USER_MMIO_OFFSET PANTHOR_BO_SYNC PANTHOR_BO_QUERY_INFO \
	 PANTHOR_DEV_QUERY.TIMESTAMP_INFO PANTHOR_DEV_QUERY.GROUP_PRIORITIES_INFO PANTHOR_DEV_QUERY.MMU_INFO \
	 PANTHOR_GROUP_CREATE PANTHOR_BO_CREATE PANTHOR_VM_BIND; do
	grep -q "\"path\": \"$p.unsupported\"" "$t/s.json" || echo "$p" >> "$t/missing"
done
if [ ! -s "$t/missing" ] && grep -q "uAPI 1.9 call: 0" "$t/s.json" && grep -q "uAPI 1.4 call: 0" "$t/s.json"; then
	ktap_ok newer_uapi_each_call_kind_reported
else
	ktap_fail newer_uapi_each_call_kind_reported "missing: $(cat "$t/missing" 2>/dev/null)" "$(cat "$t/s.json")"
fi
# a policy line accepts them
{ echo "*.unsupported ignore"; cat "$PANREF_TOP/harness/pantrace.policy"; } > "$t/accept.policy"
"$PT" replay --policy "$t/accept.policy" "$syn" >"$t/out" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q ": 0 differences" "$t/out" &&
   grep -q ": $NEWER calls of a newer uAPI than the driver's" "$t/out"; then
	ktap_ok newer_uapi_accepted_by_policy_line
else
	ktap_fail newer_uapi_accepted_by_policy_line "replay exit $rc" "$(cat "$t/out")"
fi
rm -rf "$t"
ktap_end
