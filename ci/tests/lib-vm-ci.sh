# Helpers of the farm-path tests against the VM (60-vm-ci.sh,
# 62-vm-ci-swap.sh); source after setting W, the test's work directory.
# rcof NAME: the exit status the guest wrote to W/NAME.rc, or "missing"
rcof() { cat "$W/$1.rc" 2>/dev/null || echo missing; }
# check NAME CMD...: the next KTAP result, ok if CMD succeeds (its output
# printed as diagnostics if not); n counts them
n=0
check() {
	local name=$1 out; shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then echo "ok $n $name"; else printf '# %s\n' "$out" | head -n 40; echo "not ok $n $name"; fi
}
# has_results DIR: a conformance run left results in DIR
has_results() { [ "$(wc -l < "$1/all.tsv")" -gt 0 ]; }
