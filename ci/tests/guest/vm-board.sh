#!/usr/bin/env bash
# Inside the VM (ci/tests/60-vm-ci.sh): the conformance suite on Panthor
# three ways in one boot, for the host to compare:
#   W/vm/          conformance/run, as the VM tests run it;
#   W/lava-dut/    ci/dut/run-job from the dist tarball with LAVA's test
#                  helper on PATH; its console is W/lava-console.txt;
#   W/igt-res/     run-job --igt with a stand-in IGT binary (W/igt-none/:
#                  --igt naming no binary);
#   W/board/       ci/board-run over SSH to an sshd in this VM (loopback),
#                  jobs conformance-panthor and pantrace.
# Exit statuses in W/*.rc.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
W=$1 dist=$2
rc=0
"$top/conformance/run" --driver panthor --results "$W/vm" > "$W/vm.log" 2>&1 || rc=$?
echo $rc > "$W/vm.rc"

mkdir -p "$W/lava-dut"
tar -xzf "$dist" -C "$W/lava-dut" --strip-components=1
rc=0
# the job's command line as the LAVA job's test step has it, run by a shell
PATH=$top/ci/tests/lava-shim:$PATH bash -c "'$W/lava-dut/ci/dut/run-job' --results '$W/lava-dut/results' \
	$("$top/ci/lava/render" --get RUN conformance-panthor)" > "$W/lava-console.txt" 2>&1 || rc=$?
echo $rc > "$W/lava.rc"

# --igt: a stand-in for an IGT binary (IGT itself is not packaged for
# Debian 12) runs beside the suite and lands in the same results; it
# refuses the suite's --driver/--device options, which the wrapper must drop.
mkdir -p "$W/igt"
cat > "$W/igt/panthor_standin" <<'SH'
#!/bin/sh
for a in "$@"; do case $a in --driver|--device) echo "unknown option $a" >&2; exit 79 ;; esac; done
[ "${1:-}" = --list-subtests ] && { echo query; exit 0; }
echo "IGT-Version: stand-in"
echo "Starting subtest: query"
echo "Subtest query: SUCCESS (0.001s)"
SH
cp "$W/igt/panthor_standin" "$W/igt/other_test"
chmod +x "$W/igt"/*
rc=0
IGT_DIR=$W/igt "$W/lava-dut/ci/dut/run-job" --results "$W/igt-res" conformance --driver panthor \
	--igt 'panthor_.*' > "$W/igt.log" 2>&1 || rc=$?
echo $rc > "$W/igt.rc"
rc=0
IGT_DIR=$W/igt "$W/lava-dut/ci/dut/run-job" --results "$W/igt-none" conformance --driver panthor \
	--igt 'panthor_nothing' > "$W/igt-none.log" 2>&1 || rc=$?
echo $rc > "$W/igt-none.rc"

# The board: this VM, an sshd on the loopback interface.
ip link set lo up
s=$W/ssh
mkdir -p "$s" /run/sshd
chmod 0755 /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$s/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$s/id"
cp "$s/id.pub" "$s/authorized_keys"
/usr/sbin/sshd -f /dev/null -E "$s/sshd.log" -o ListenAddress=127.0.0.1 -o Port=2222 \
	-o HostKey="$s/host_key" -o AuthorizedKeysFile="$s/authorized_keys" -o PidFile="$s/sshd.pid" \
	-o PermitRootLogin=prohibit-password -o UsePAM=no -o StrictModes=no -o LogLevel=VERBOSE
for _ in $(seq 100); do [ -s "$s/sshd.pid" ] && break; sleep 0.05; done
rc=0
"$top/ci/board-run" --host root@127.0.0.1 --port 2222 --identity "$s/id" \
	--ssh-opt StrictHostKeyChecking=no --ssh-opt UserKnownHostsFile=/dev/null --ssh-opt LogLevel=ERROR \
	--dist "$dist" --out "$W/board" --remote-dir /tmp/panref-vm-board conformance-panthor pantrace \
	> "$W/board.log" 2>&1 || rc=$?
echo $rc > "$W/board.rc"
kill "$(cat "$s/sshd.pid")" 2>/dev/null || :
rm -rf /tmp/panref-vm-board
