#!/bin/bash
# pantrace c: every corpus trace becomes a C program (compiled here with
# -Wall -Wextra -Werror), which the VM runs on Panthor and on panref; each
# must make its calls with the recorded results (the program's own check:
# "0 of N results differ"). Two traces hold what a C reproducer cannot
# carry over and are run for a clean finish only (exit 0 or 1, not 2):
# conformance-file passes PRIME fds inside arguments (the recorded numbers
# differ at run time) and scenario-vmbind waits with absolute time-outs of
# the recording's clock.
. "$(dirname "$0")/lib-host.sh"
d=$top/build/pantrace-c
rm -rf "$d" && mkdir -p "$d"
n=0
for t in "$top"/corpus/traces/*.ptrace; do
	b=$(basename "$t" .ptrace)
	if ! "$top/build/bin/pantrace" c "$t" -o "$d/$b.c" > "$d/$b.gen.log" 2>&1 ||
	   ! ${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -O1 -o "$d/$b" "$d/$b.c" >> "$d/$b.gen.log" 2>&1; then
		echo "$b" >> "$d/broken"
	fi
	n=$((n + 1))
done
cat > "$d/guest.sh" <<'GUEST'
#!/bin/bash
. "$PANREF_TOP/tests/vm/guest/common.sh"
d=$1 n=$2
ktap_begin $((2 * n))
for drv in panthor panref; do
	node=$(render_node "$drv")
	for c in "$d"/*.c; do
		b=$(basename "$c" .c)
		if grep -qx "$b" "$d/broken" 2>/dev/null; then
			ktap_fail "pantrace_c_${b}_$drv" "$(cat "$d/$b.gen.log")"
			continue
		fi
		out=$("$d/$b" "$node" 2>&1); rc=$?
		case $b:$rc in
		conformance-file:[01]|scenario-vmbind:[01]|*:0)
			echo "# $b on $drv: $(tail -n 1 <<<"$out")"
			ktap_ok "pantrace_c_${b}_$drv" ;;
		*) ktap_fail "pantrace_c_${b}_$drv" "$node, exit $rc" "$(grep -v 'recorded' <<<"$out" | tail -n 5)" ;;
		esac
	done
done
ktap_end
GUEST
chmod +x "$d/guest.sh"
vm_test pantrace_c --timeout 600 -- "$d/guest.sh" "$d" "$n"
