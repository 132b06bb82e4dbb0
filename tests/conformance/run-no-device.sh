#!/bin/bash
# Host test of conformance/run when there is no device to test: the run
# must fail (exit 3), --allow-no-device makes it exit 0 with every subtest
# reported SKIP (results.json, junit.xml), a run in which subtests ran is
# not affected, and a binary directory with nothing in it is an error.
# Uses the real conformance binaries (build/conformance, `make tools`) with
# a driver name no device is bound to, and a fake IGT-style binary.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
ktap_begin 7
run=$top/conformance/run
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nodrv=panref-test-no-such-driver

mkdir -p "$tmp/bin" "$tmp/fake" "$tmp/empty"
missing=""
for b in query mmio; do
	if [ -x "$top/build/conformance/$b" ]; then
		ln -s "$top/build/conformance/$b" "$tmp/bin/$b"
	else
		missing="$missing $b"
	fi
done
nsub=0
# check_run NAME WANT_RC PATTERN -- RUN-ARGS...: conformance/run exits
# WANT_RC and prints a line matching PATTERN.
check_run() {
	local name=$1 want=$2 pat=$3 out=$tmp/$1.out rc
	shift 4
	"$run" "$@" > "$out" 2>&1
	rc=$?
	if [ $rc = "$want" ] && grep -q -- "$pat" "$out"; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "exit $rc, expected $want and a line matching '$pat':" "$(cat "$out")"
	fi
}
for b in "$tmp"/bin/*; do
	[ -x "$b" ] && nsub=$((nsub + $("$b" --list-subtests | grep -c .)))
done

# --- no device: the run fails ----------------------------------------------
if [ -n "$missing" ]; then
	ktap_fail no_device_run_fails "build/conformance:$missing not built (make tools)"
else
	check_run no_device_run_fails 3 \
		"NO DEVICE TESTED: no device in 2 of 2 binaries (mmio: no render node bound to driver $nodrv)" \
		-- --driver "$nodrv" --bin "$tmp/bin" --results "$tmp/r1"
fi

# --- --allow-no-device: exit 0, every subtest a SKIP --------------------------
"$run" --driver "$nodrv" --bin "$tmp/bin" --results "$tmp/r2" --allow-no-device > "$tmp/out2" 2>&1
rc=$?
skips=$(grep -o '"result":"skip"' "$tmp/r2/results.json" 2>/dev/null | wc -l)
others=$(grep -oE '"result":"(pass|fail|crash)"' "$tmp/r2/results.json" 2>/dev/null | wc -l)
jskips=$(grep -c '<skipped message="no device (driver '"$nodrv"')"/>' "$tmp/r2/junit.xml" 2>/dev/null)
if [ $rc = 0 ] && [ "$nsub" -ge 10 ] && [ "$skips" = "$nsub" ] && [ "$others" = 0 ] &&
   [ "$jskips" = "$nsub" ] && grep -q "0 pass, 0 fail (0 expected), $nsub skip" "$tmp/out2" &&
   grep -q "accepted (--allow-no-device), reported as SKIP" "$tmp/out2"; then
	ktap_ok allow_no_device_exits_0_with_skips
	echo "# $nsub subtests reported SKIP"
else
	ktap_fail allow_no_device_exits_0_with_skips "exit $rc; $nsub subtests listed," \
		"results.json: $skips skip, $others other; junit.xml: $jskips skipped" "$(cat "$tmp/out2")"
fi

# --- a device path that cannot be opened is no device either ------------------
check_run unopenable_device_run_fails 3 "NO DEVICE TESTED: .*$tmp/no-such-node: No such file" \
	-- --device "$tmp/no-such-node" --bin "$tmp/bin" --results "$tmp/r3"

# --- a run that tested something is not affected -------------------------------
# fake BINARY RESULT...: an IGT-style binary that found a device.
fake() {
	local f=$tmp/fake/$1; shift
	{
		echo '#!/bin/sh'
		echo '[ "$1" = --list-subtests ] && { echo a; echo b; exit 0; }'
		echo 'echo "IGT-Version: fake"; echo "Device: /dev/dri/renderD200"'
		for r in "$@"; do
			echo "echo 'Starting subtest: $r'; echo 'Subtest $r: $r (0.001s)'"
		done
	} > "$f"
	chmod +x "$f"
}
fake one SUCCESS SKIP
"$run" --driver "$nodrv" --bin "$tmp/fake" --results "$tmp/r4" > "$tmp/out4" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q "1 pass, 0 fail (0 expected), 1 skip" "$tmp/out4" &&
   ! grep -qi "device" "$tmp/out4"; then
	ktap_ok run_with_device_unaffected
else
	ktap_fail run_with_device_unaffected "exit $rc, expected 0:" "$(cat "$tmp/out4")"
fi

# --- a device, but every subtest skipped: nothing was tested ---------------------
rm -f "$tmp/fake/"*
fake one SKIP SKIP
"$run" --driver "$nodrv" --bin "$tmp/fake" --results "$tmp/r5" > "$tmp/out5" 2>&1
rc=$?
"$run" --driver "$nodrv" --bin "$tmp/fake" --results "$tmp/r5" --allow-no-device > "$tmp/out5b" 2>&1
rc2=$?
if [ $rc = 3 ] && grep -q "no subtest ran: all 2 were skipped" "$tmp/out5" && [ $rc2 = 0 ]; then
	ktap_ok all_skipped_run_fails
else
	ktap_fail all_skipped_run_fails "exit $rc (expected 3), with --allow-no-device $rc2 (expected 0):" \
		"$(cat "$tmp/out5" "$tmp/out5b")"
fi

# --- an unexpected failure keeps exit 1 --------------------------------------
rm -f "$tmp/fake/"*
fake one SUCCESS FAIL
check_run unexpected_failure_exits_1 1 "UNEXPECTED: one@FAIL" \
	-- --driver "$nodrv" --bin "$tmp/fake" --results "$tmp/r6"

# --- no binary at all: an error, --allow-no-device or not ---------------------
check_run empty_bin_dir_is_an_error 2 "no conformance binary in $tmp/empty" \
	-- --driver "$nodrv" --bin "$tmp/empty" --results "$tmp/r7" --allow-no-device
ktap_end
