#!/bin/bash
# On the host: the uAPI table's layouts against the headers themselves.
# Every struct of the 6.12 kernel (uAPI 1.0 and the core DRM structs) is
# compiled against the kernel tree's include/uapi/drm alone: its size and
# every field's offset and size must equal the table's. Every core DRM
# struct is compiled against libdrm's drm.h (what most programs include):
# its size must be one of the table's layouts, and the fields inside that
# size must sit where the table says. One KTAP result per struct and header.
# (Structs of uAPI 1.1+ are in no header this project has: they come from
# harness/panthor_uapi_new.h and are checked only for coverage, in test_uapi.)
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
B=$top/build
UAPI=$B/linux/include/uapi/drm
t=$(mktemp -d /tmp/uapi-hdr.XXXXXX)
trap 'rm -rf "$t"' EXIT
"$B/tests/test_uapi" --print-layouts > "$t/layouts" || { echo "Bail out! test_uapi --print-layouts failed"; exit 1; }

# gen HEADER-KIND: a C program with one KTAP result per struct it checks
gen() {
	awk -v kind="$1" -v sizes="$t/libdrm.sizes" '
	function flush() { if (cur != "") print "\tresult(!bad, \"" kind "_" cur "\", \"see above\");" }
	BEGIN {
		while (kind == "libdrm" && (getline l < sizes) > 0) { split(l, w, " "); hsize[w[1]] = w[2] }
		print "#include <stddef.h>\n#include <stdio.h>"
		if (kind == "kernel") print "#define __user\n#include <panthor_drm.h>"
		else print "#include <xf86drm.h>"
		print "static int failed, bad;"
		print "static void result(int ok, const char *n, const char *why) {"
		print "\tstatic int i; printf(\"%sok %d %s%s%s\\n\", ok ? \"\" : \"not \", ++i, n, ok ? \"\" : \" # \", ok ? \"\" : why); failed |= !ok; }"
		print "#define FLD(s, f, o, z) do { size_t ho = offsetof(struct s, f), hz = sizeof(((struct s *)0)->f); \\"
		print "\tif (ho != (o) || hz != (z)) { printf(\"# %s.%s: table %u+%u, header %zu+%zu\\n\", #s, #f, (o), (z), ho, hz); bad = 1; } } while (0)"
		print "int main(void) {"
	}
	$1 == "S" {
		flush(); cur = ""
		if (kind == "kernel" && $4 != 1) next
		if (kind == "libdrm" && ($4 != 1 || $2 ~ /^drm_panthor_/)) next
		cur = $2; size = $3; n++
		print "\tbad = 0;"
		if (kind == "kernel") {
			print "\tif (sizeof(struct " $2 ") != " $3 ") { printf(\"# sizeof " $2 ": table " $3 ", header %zu\\n\", sizeof(struct " $2 ")); bad = 1; }"
		} else {
			cond = ""
			for (i = 5; i <= NF; i++) cond = cond (cond == "" ? "" : " && ") "sizeof(struct " $2 ") != " $i
			print "\tif (" cond ") { printf(\"# sizeof " $2 " %zu: no layout of the table\\n\", sizeof(struct " $2 ")); bad = 1; }"
		}
		next
	}
	$1 == "F" && cur != "" && $2 == cur {
		# kernel: the fields of the 6.12 size; libdrm: those inside its size
		if (kind == "kernel" && $5 + $6 > size) next
		if (kind == "kernel") print "\tFLD(" $2 ", " $4 ", " $5 ", " $6 ");"
		else if ($5 + $6 <= hsize[$2]) print "\tFLD(" $2 ", " $4 ", " $5 ", " $6 ");"
	}
	END { flush(); print "\treturn failed;\n}" }' "$t/layouts"
}

nk=$(awk '$1 == "S" && $4 == 1' "$t/layouts" | wc -l)
nl=$(awk '$1 == "S" && $4 == 1 && $2 !~ /^drm_panthor_/' "$t/layouts" | wc -l)
ktap_begin $((nk + nl + 2))
# check KIND CFLAGS...: build and run KIND's program, forward its results
check() {
	local kind=$1 l; shift
	gen "$kind" > "$t/$kind.c"
	if ! cc -std=c11 -Wall -Werror "$@" "$t/$kind.c" -o "$t/$kind" 2>"$t/err"; then
		ktap_fail "${kind}_header_check_builds" "$(cat "$t/err")"
		# every struct fails: the header did not even compile with the table's names
		grep -oE '"'"$kind"'_[a-z0-9_]+"' "$t/$kind.c" | tr -d '"' |
			while read -r l; do ktap_fail "$l" "not built"; done
		return
	fi
	ktap_ok "${kind}_header_check_builds"
	while read -r l; do
		case "$l" in
		"#"*) echo "$l" ;;
		"ok "*) ktap_ok "$(sed -E 's/^ok [0-9]+ //' <<<"$l")" ;;
		"not ok "*) ktap_fail "$(sed -E 's/^not ok [0-9]+ ([^ ]+).*/\1/' <<<"$l")" "offsets differ" ;;
		esac
	done < <("$t/$kind")
}
# the kernel's headers only: its drm.h is the one panthor_drm.h includes
check kernel -I"$UAPI"
# libdrm's sizes first: only the fields inside them can be named there
# shellcheck disable=SC2046
{
	echo '#include <stdio.h>'
	echo '#include <xf86drm.h>'
	echo 'int main(void) {'
	awk '$1 == "S" && $4 == 1 && $2 !~ /^drm_panthor_/ {
		print "\tprintf(\"" $2 " %zu\\n\", sizeof(struct " $2 "));" }' "$t/layouts"
	echo 'return 0; }'
} > "$t/sizes.c"
cc -std=c11 $(pkg-config --cflags libdrm) "$t/sizes.c" -o "$t/sizes" && "$t/sizes" > "$t/libdrm.sizes"
# shellcheck disable=SC2046
check libdrm $(pkg-config --cflags libdrm)
ktap_end
