#!/bin/bash
# Inside the VM (make corpus): record the corpus traces on upstream Panthor
# (GPU 0) into corpus/traces/, one NAME.ptrace per program, and create
# NAME.expect for new traces (see corpus/README.md).
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build
out=$top/corpus/traces
PT=$B/bin/pantrace
mkdir -p "$out"

rec() {	# NAME CMD...
	local name=$1; shift
	rm -f "$out/$name.ptrace"
	if ! "$PT" record -o "$out/$name.ptrace" -- "$@" >/dev/null 2>&1; then
		echo "corpus: $name: the program failed" >&2
		return 1
	fi
	rm -f "$out/$name.ptrace".[0-9]*	# forked children's traces are not replayed
	[ -e "$out/$name.expect" ] || cat > "$out/$name.expect" <<EXP
# Replaying $name.ptrace on upstream Panthor (the VM's GPU 0) under the
# default policy gives no difference. List expected differences as
# "difference SEQ PATH" lines.
EXP
	echo "corpus: $name: $(stat -c %s "$out/$name.ptrace") bytes"
}

rc=0
for a in query bo vm vm_bind group submit sync tiler_heap mmio file; do
	# not what takes Panthor 6.12 down or makes it WARN
	mapfile -t skip < <("$top/conformance/skip-args" "$B/conformance/$a")
	rec "conformance-$a" "$B/conformance/$a" "${skip[@]}" || rc=1
done
# Scenario programs small enough to keep (scenario-submit records 19 MB;
# scenario-recover injects a fault through debugfs, which a replay cannot).
for s in vmbind faults heap; do
	rec "scenario-$s" "$B/bin/scenario-$s" || rc=1
done
exit $rc
