# KTAP helpers for shell tests: source this, call ktap_begin N, then
# ktap_ok / ktap_fail / ktap_skip once per subtest, then ktap_end.
_ktap_n=0 _ktap_fail=0
ktap_begin() { echo "KTAP version 1"; echo "1..$1"; }
ktap_ok() { _ktap_n=$((_ktap_n + 1)); echo "ok $_ktap_n $1"; }
ktap_fail() {
	_ktap_n=$((_ktap_n + 1)) _ktap_fail=$((_ktap_fail + 1))
	shift_name=$1; shift
	[ $# -gt 0 ] && printf '# %s\n' "$@"
	echo "not ok $_ktap_n $shift_name"
}
ktap_skip() { _ktap_n=$((_ktap_n + 1)); echo "ok $_ktap_n $1 # SKIP $2"; }
# ktap_check NAME CMD...: ok if CMD succeeds, else fail with its output.
ktap_check() {
	local name=$1 out; shift
	if out=$("$@" 2>&1); then ktap_ok "$name"; else ktap_fail "$name" "$out"; fi
}
ktap_end() { [ "$_ktap_fail" = 0 ]; }
