#!/bin/bash
# On the host: pantrace dump decodes every corpus trace completely (no raw
# ioctl, an END record) and disassembles every submitted command stream it
# can locate; the scenario traces' streams must all be located.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
PT=$top/build/bin/pantrace
traces=("$top"/corpus/traces/*.ptrace)
ktap_begin ${#traces[@]}
for tr in "${traces[@]}"; do
	name=dump_$(basename "$tr" .ptrace)
	out=$("$PT" dump "$tr" 2>&1)
	rc=$?
	raw=$(grep -c 'ioctl(0x' <<<"$out")
	subs=$(grep -cE '^#[0-9]+ .* PANTHOR_GROUP_SUBMIT\{' <<<"$out")
	streams=$(grep -c '^    stream of queue' <<<"$out")
	lost=$(grep -c 'not in the recorded memory' <<<"$out")
	instr=$(grep -cE '^  [0-9a-f]{16}: [0-9a-f]{16}  [A-Z]' <<<"$out")
	ok=1
	[ $rc = 0 ] && [ "$raw" = 0 ] && grep -q "end: the program exited" <<<"$out" || ok=0
	case $name in
	dump_scenario-*) [ "$subs" -gt 0 ] && [ "$lost" = 0 ] && [ "$instr" -gt 0 ] || ok=0 ;;
	esac
	if [ $ok = 1 ]; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "exit $rc, $raw undecoded, $subs submits, $streams streams" \
			"($lost not located), $instr instructions"
	fi
done
ktap_end
