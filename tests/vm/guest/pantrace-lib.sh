# Helpers for guest scripts that run pantrace (sourced after common.sh).

# pt_forward_ktap PREFIX TAP DIAG-FILE: one subtest per result line of a
# pantrace KTAP report (one per trace), named PREFIX<trace>, with DIAG-FILE
# as the diagnostics of a failure.
pt_forward_ktap() {
	local l
	while read -r l; do
		case "$l" in
		"ok "*) ktap_ok "$1${l#ok * }" ;;
		"not ok "*) ktap_fail "$1${l#not ok * }" "$(cat "$3")" ;;
		esac
	done < <(grep -E '^(not )?ok ' "$2")
}

# pt_first_diff JSON: "record path" of the first difference of a JSON report
pt_first_diff() {
	grep -m1 -oE '"record": [0-9]+, "call": "[^"]*", "path": "[^"]*"' "$1" |
		sed -E 's/"record": ([0-9]+), "call": "[^"]*", "path": "([^"]*)"/\1 \2/'
}
