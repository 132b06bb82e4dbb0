#!/bin/bash
# On the host: fuzz/symbolize maps KCOV PCs to the functions and files of a
# module. The "module" is two files built with -fsanitize-coverage=trace-pc
# and linked with `ld -r`, as a .ko is, in the small code model and in the
# large one (UML's modules: movabs + call *%rax). The PCs are real: the same
# object is run in a program whose __sanitizer_cov_trace_pc records its
# return addresses, turned into offsets from the object's .text (nm) and
# moved to a made-up module base. Checked: every PC on a callback site,
# the functions reached per context, per-file counts, the never-reached
# list, and that a wrong base is caught.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
t=$(mktemp -d /tmp/symbolize.XXXXXX)
trap 'rm -rf "$t"' EXIT
cat > "$t/a.c" <<'EOF'
int fa(int x);
int fc(int x);
int fb(int x);
int fa(int x)
{
	if (x > 3)
		return fb(x) + 1;
	return x * 2;
}
int fc(int x)
{
	return x ? fc(x - 1) + 1 : 0;
}
EOF
cat > "$t/b.c" <<'EOF'
int fb(int x);
int fd(int x);
int fb(int x)
{
	int s = 0;
	for (int i = 0; i < x; i++)
		if (i & 1)
			s += i;
	return s;
}
int fd(int x)
{
	return x > 1 ? fd(x / 2) : 1;
}
EOF
cat > "$t/main.c" <<'EOF'
#include <stdio.h>
#include <stdint.h>
extern char text0[] __asm__(FIRST);
int fa(int x);
int fb(int x);
static uintptr_t seen[2][256];
static int nseen[2];
static int which;	/* 0: fa's call (thread), 1: fb's own (remote) */
void __sanitizer_cov_trace_pc(void)
{
	uintptr_t pc = (uintptr_t)__builtin_return_address(0);

	for (int i = 0; i < nseen[which]; i++)
		if (seen[which][i] == pc)
			return;
	seen[which][nseen[which]++] = pc;
	printf("%lx %c\n", (unsigned long)(pc - (uintptr_t)text0), which ? 'r' : 't');
}
int main(void)
{
	which = 0;
	fa(9);
	which = 1;
	fb(5);
	return 0;
}
EOF
BASE=0x60a40000
variants=(small large)
ktap_begin $((${#variants[@]} * 6 + 1))
for v in "${variants[@]}"; do
	d=$t/$v; mkdir -p "$d"
	model=; [ $v = large ] && model="-mcmodel=large -O2"
	# as the kernel builds: no PIC; UML modules: the large code model
	flags="-O1 -g -fno-inline -fno-pic -fsanitize-coverage=trace-pc $model"
	if ! { gcc $flags -c "$t/a.c" -o "$d/a.o" && gcc $flags -c "$t/b.c" -o "$d/b.o" &&
		ld -r -o "$d/mod.ko" "$d/a.o" "$d/b.o"; } 2>"$d/err"; then
		for n in callback_sites functions_per_context per_file never_reached wrong_base_flagged per_pc_lines; do
			ktap_fail "${v}_$n" "cannot build: $(cat "$d/err")"
		done
		continue
	fi
	# the function at offset 0 of .text, the origin of the offsets
	first=$(nm "$d/mod.ko" | awk '$1 == "0000000000000000" && $2 == "T" { print $3; exit }')
	if ! { gcc -O1 -fno-pic -no-pie $model -DFIRST="\"$first\"" "$t/main.c" "$d/mod.ko" -o "$d/prog" &&
		"$d/prog" > "$d/offs"; } 2>>"$d/err"; then
		for n in callback_sites functions_per_context per_file never_reached wrong_base_flagged per_pc_lines; do
			ktap_fail "${v}_$n" "cannot build or run the program: $(cat "$d/err")"
		done
		continue
	fi
	{
		echo "module mod text $BASE"
		while read -r off k; do printf '%x %s\n' $((BASE + 0x$off)) "$k"; done < "$d/offs"
	} > "$d/pcs"
	n=$(cut -d' ' -f1 "$d/offs" | sort -u | wc -l)
	out=$("$top/fuzz/symbolize" "$d/pcs" "$d/mod.ko" 2>&1)
	echo "$out" > "$d/out"
	if grep -qx "PCs on a coverage callback site: $n of $n" <<<"$out" && [ "$n" -gt 4 ]; then
		ktap_ok "${v}_callback_sites"
	else
		ktap_fail "${v}_callback_sites" "$n PCs from the program:" "$out"
	fi
	# fa ran in the "thread" phase and called fb; fb ran again as "remote"
	if grep -qE '^functions reached +2 +1 +2 +of 4 instrumented' <<<"$out"; then
		ktap_ok "${v}_functions_per_context"
	else
		ktap_fail "${v}_functions_per_context" "$out"
	fi
	# per file: each file 1 of 2 functions; PCs split as nm's ranges say
	fa_start=$(nm "$d/mod.ko" | awk '$3 == "fa" { print $1 }')
	fb_start=$(nm "$d/mod.ko" | awk '$3 == "fb" { print $1 }')
	fa_size=$(nm -S "$d/mod.ko" | awk '$4 == "fa" { print $2 }')
	fb_size=$(nm -S "$d/mod.ko" | awk '$4 == "fb" { print $2 }')
	in_a=0 in_b=0
	while read -r off; do
		o=$((0x$off))
		if [ $o -gt $((0x$fa_start)) ] && [ $o -le $((0x$fa_start + 0x$fa_size)) ]; then
			in_a=$((in_a + 1))
		elif [ $o -gt $((0x$fb_start)) ] && [ $o -le $((0x$fb_start + 0x$fb_size)) ]; then
			in_b=$((in_b + 1))
		fi
	done < <(cut -d' ' -f1 "$d/offs" | sort -u)
	if [ $((in_a + in_b)) = "$n" ] &&
		grep -qE "/a\.c +1/2 +$in_a/" <<<"$out" && grep -qE "/b\.c +1/2 +$in_b/" <<<"$out"; then
		ktap_ok "${v}_per_file"
	else
		ktap_fail "${v}_per_file" "nm: $in_a PCs in fa, $in_b in fb, of $n" "$out"
	fi
	if [ "$(sed -n '/^instrumented functions never reached: /,$p' <<<"$out" | awk 'NR > 1 { print $NF }' | sort | tr '\n' ' ')" = "fc fd " ] &&
		grep -q '^instrumented functions never reached: 2$' <<<"$out"; then
		ktap_ok "${v}_never_reached"
	else
		ktap_fail "${v}_never_reached" "$out"
	fi
	# the same PCs against a base off by 0x10: no PC on a site, flagged
	sed "1s/.*/module mod text $(printf '0x%x' $((BASE + 0x10)))/" "$d/pcs" > "$d/pcs-bad"
	bad=$("$top/fuzz/symbolize" "$d/pcs-bad" "$d/mod.ko" 2>&1)
	if grep -q 'WRONG MAPPING' <<<"$bad" && ! grep -qx "PCs on a coverage callback site: $n of $n" <<<"$bad"; then
		ktap_ok "${v}_wrong_base_flagged"
	else
		ktap_fail "${v}_wrong_base_flagged" "$bad"
	fi
	# -v: every PC named with the function nm's ranges give, and a b.c line
	pv=$("$top/fuzz/symbolize" -v "$d/pcs" "$d/mod.ko" 2>&1 | sed -n '/^PCs:$/,$p' | tail -n +2)
	if [ $in_a -gt 0 ] && [ $in_b -gt 0 ] &&
		[ "$(grep -c ' fa+0x[0-9a-f]* .*/a\.c:[0-9]' <<<"$pv")" = $in_a ] &&
		[ "$(grep -c ' fb+0x[0-9a-f]* .*/b\.c:[0-9]' <<<"$pv")" = $in_b ]; then
		ktap_ok "${v}_per_pc_lines"
	else
		ktap_fail "${v}_per_pc_lines" "$pv"
	fi
done
# a PCs file without its module line is refused
echo "60a40010 t" > "$t/nohdr"
"$top/fuzz/symbolize" "$t/nohdr" "$t/small/mod.ko" > "$t/nohdr.out" 2>&1
if [ $? = 2 ] && grep -q 'no "module NAME text BASE" line' "$t/nohdr.out"; then
	ktap_ok refuses_pcs_without_module_line
else
	ktap_fail refuses_pcs_without_module_line
fi
ktap_end
