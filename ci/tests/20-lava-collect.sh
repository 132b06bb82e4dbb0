#!/usr/bin/env bash
# ci/lava/collect on the sample LAVA logs (ci/lava/samples/): the
# results.json, junit.xml and all.tsv it rebuilds from each log alone are
# byte for byte the ones conformance/run wrote on the DUT in that run; and
# it refuses logs that contradict themselves or were cut short, and fails
# (exit 1, UNEXPECTED line) on a regression against the expectation files.
# The same log as `lavacli jobs logs --raw` prints it (YAML flow style, every
# scalar quoted, floats tagged) gives the same files; ci/lava/submit, with a
# stand-in for lavacli, submits the rendered job and collects its log.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
S=$top/ci/lava/samples
w=$top/build/ci/collect
rm -rf "$w" && mkdir -p "$w"
collect() { "$top/ci/lava/collect" "$@" > "$w/out" 2>&1 && rc=0 || rc=$?; }
# mutate SAMPLE NAME PYTHON: a copy of SAMPLE's log with each line passed
# through PYTHON (l is the line; drop it by setting l = None)
mutate() {
	/usr/bin/python3 -c "
import sys
T = chr(92) * 2 + 't'	# a tab in run-job's row, as the JSON of the log spells it
out = []
for l in open(sys.argv[1]).read().splitlines():
    g = {'l': l, 'T': T}
    exec(sys.argv[3], g)
    if g['l'] is not None: out.append(g['l'])
open(sys.argv[2], 'w').write(chr(10).join(out) + chr(10))" "$S/$1/log.yaml" "$w/$2.yaml" "$3"
}
ktap_begin 15
for s in conformance-panthor conformance-panref; do
	collect "$S/$s/log.yaml" --out "$w/$s" --expectations-dir "$S/$s/expectations"
	same=1
	for f in results.json junit.xml all.tsv; do
		cmp -s "$w/$s/$s/$f" "$S/$s/$f" || same=0
	done
	if [ $rc = 0 ] && [ $same = 1 ]; then
		ktap_ok "${s//-/_}_log_gives_the_dut_files"
	else
		ktap_fail "${s//-/_}_log_gives_the_dut_files" "collect exit $rc" "$(cat "$w/out")" \
			"$(diff "$w/$s/$s/results.json" "$S/$s/results.json" 2>&1 | head -c 2000)"
	fi
	n=$(grep -c '"lvl": "results"' "$S/$s/log.yaml")
	if grep -q "collect: $((n - 1)) LAVA test cases" "$w/out"; then
		ktap_ok "${s//-/_}_every_lava_case_read"
	else
		ktap_fail "${s//-/_}_every_lava_case_read" "$(tail -n 1 "$w/out"), $n results entries"
	fi
done
E=(--expectations-dir "$S/conformance-panthor/expectations")
# LAVA recorded a different result than the row the DUT printed: refused
mutate conformance-panthor disagree \
	"l = l.replace('\"case\": \"bo@bo-create-valid\", \"result\": \"pass\"', '\"case\": \"bo@bo-create-valid\", \"result\": \"fail\"')"
collect "$w/disagree.yaml" --out "$w/disagree" "${E[@]}"
if [ $rc = 2 ] && grep -q 'bo@bo-create-valid' "$w/out"; then ktap_ok refuses_row_lava_disagree
else ktap_fail refuses_row_lava_disagree "collect exit $rc" "$(cat "$w/out")"; fi
# the job was cut before the run's end line: refused
mutate conformance-panthor cut "l = None if 'panref-conformance-end' in l else l"
collect "$w/cut.yaml" --out "$w/cut" "${E[@]}"
if [ $rc = 2 ] && grep -q 'no end' "$w/out"; then ktap_ok refuses_cut_log
else ktap_fail refuses_cut_log "collect exit $rc" "$(cat "$w/out")"; fi
# not a LAVA log
printf 'hello\n' > "$w/text.yaml"
collect "$w/text.yaml" --out "$w/text" "${E[@]}"
if [ $rc = 2 ]; then ktap_ok refuses_non_lava_log; else ktap_fail refuses_non_lava_log "collect exit $rc"; fi
# the DUT's gate says pass, the log's rows say regression: refused
mutate conformance-panthor gatelie \
	"l = l.replace('bo' + T + 'bo-create-valid' + T + 'SUCCESS', 'bo' + T + 'bo-create-valid' + T + 'FAIL').replace('\"case\": \"bo@bo-create-valid\", \"result\": \"pass\"', '\"case\": \"bo@bo-create-valid\", \"result\": \"fail\"')"
collect "$w/gatelie.yaml" --out "$w/gatelie" "${E[@]}"
if [ $rc = 2 ] && grep -q 'gate' "$w/out"; then ktap_ok refuses_gate_disagreement
else ktap_fail refuses_gate_disagreement "collect exit $rc" "$(cat "$w/out")"; fi
# a consistent regression: one subtest fails on the DUT (row, LAVA case, DUT gate)
mutate conformance-panthor regress \
	"l = l.replace('bo' + T + 'bo-create-valid' + T + 'SUCCESS', 'bo' + T + 'bo-create-valid' + T + 'FAIL').replace('\"case\": \"bo@bo-create-valid\", \"result\": \"pass\"', '\"case\": \"bo@bo-create-valid\", \"result\": \"fail\"').replace('\"case\": \"conformance-panthor-gate\", \"result\": \"pass\"', '\"case\": \"conformance-panthor-gate\", \"result\": \"fail\"').replace('panref-conformance-end panthor 0', 'panref-conformance-end panthor 1')"
collect "$w/regress.yaml" --out "$w/regress" "${E[@]}"
if [ $rc = 1 ] && grep -qx 'UNEXPECTED: bo@bo-create-valid' "$w/out" &&
   grep -q '"igt@bo@bo-create-valid":{"result":"fail"' "$w/regress/conformance-panthor/results.json" &&
   grep -q '"fail":1,' "$w/regress/conformance-panthor/results.json"; then
	ktap_ok regression_fails_the_gate
else
	ktap_fail regression_fails_the_gate "collect exit $rc" "$(cat "$w/out")"
fi
# an expected failure that passes (panref sample) is a regression too
P=conformance-panref
key=$(grep -vE '^\s*(#|$)' "$S/$P/expectations/panref-fails.txt" | head -n 1 | cut -d, -f1)
b=${key%%@*} t=${key#*@}
/usr/bin/python3 -c "
import sys
b, t, src, dst = sys.argv[1:5]
s = open(src).read()
s = s.replace(b + '\\\\\\\\t' + t + '\\\\\\\\tFAIL', b + '\\\\\\\\t' + t + '\\\\\\\\tSUCCESS', 1)
s = s.replace('\"case\": \"%s@%s\", \"result\": \"fail\"' % (b, t), '\"case\": \"%s@%s\", \"result\": \"pass\"' % (b, t))
s = s.replace('\"case\": \"conformance-panref-gate\", \"result\": \"pass\"', '\"case\": \"conformance-panref-gate\", \"result\": \"fail\"')
s = s.replace('panref-conformance-end panref 0', 'panref-conformance-end panref 1')
open(dst, 'w').write(s)" "$b" "$t" "$S/$P/log.yaml" "$w/xpass.yaml"
collect "$w/xpass.yaml" --out "$w/xpass" --expectations-dir "$S/$P/expectations"
if [ -n "$key" ] && [ $rc = 1 ] && grep -qx "UNEXPECTED: $key (unexpected pass)" "$w/out"; then
	ktap_ok unexpected_pass_fails_the_gate
else
	ktap_fail unexpected_pass_fails_the_gate "key '$key', collect exit $rc" "$(cat "$w/out")"
fi
# a failed LAVA case outside the gated suite (device missing) fails the job
mutate conformance-panthor nodev \
	"l = l.replace('\"case\": \"device-panthor\", \"result\": \"pass\"', '\"case\": \"device-panthor\", \"result\": \"fail\"')"
collect "$w/nodev.yaml" --out "$w/nodev" "${E[@]}"
if [ $rc = 1 ] && grep -q '^FAILED: device-panthor' "$w/out" && grep -q 'failures="1"' "$w/nodev/lava-junit.xml"; then
	ktap_ok failed_lava_case_fails_the_job
else
	ktap_fail failed_lava_case_fails_the_job "collect exit $rc" "$(cat "$w/out")"
fi
# every subtest skipped (no device): the DUT's conformance/run exits 3; a
# run that tested nothing is no pass here either
allskip=$(cat <<'PY'
import re
if 'panref-result: ' in l: l = l.replace(T + 'SUCCESS' + T, T + 'SKIP' + T)
l = re.sub(r'("case": "[a-z_]+@[^"]*", "result": )"pass"', r'\1"skip"', l)
l = l.replace('"case": "conformance-panthor-gate", "result": "pass"', '"case": "conformance-panthor-gate", "result": "fail"')
l = l.replace('panref-conformance-end panthor 0', 'panref-conformance-end panthor 3')
PY
)
mutate conformance-panthor allskip "$allskip"
collect "$w/allskip.yaml" --out "$w/allskip" "${E[@]}"
if [ $rc = 1 ] && grep -q 'NO DEVICE TESTED' "$w/out" && grep -q '"pass":0,' "$w/allskip/conformance-panthor/results.json"; then
	ktap_ok nothing_tested_fails_the_gate
else
	ktap_fail nothing_tested_fails_the_gate "collect exit $rc" "$(cat "$w/out")"
fi
# lavacli's --raw form of the same log (its print_logs: yaml.dump of each
# entry, flow style, double-quoted scalars, one line each)
/usr/bin/python3 - "$S/conformance-panthor/log.yaml" "$w/raw.yaml" <<'PY'
import json, sys, yaml
with open(sys.argv[2], "w") as f:
    for l in open(sys.argv[1]):
        e = json.loads(l[2:])
        f.write("- " + yaml.dump(e, default_flow_style=True, default_style='"', width=10 ** 6)[:-1] + "\n")
PY
collect "$w/raw.yaml" --out "$w/raw" "${E[@]}"
P=$S/conformance-panthor
if [ $rc = 0 ] && grep -q '!!float' "$w/raw.yaml" && cmp -s "$w/raw/conformance-panthor/results.json" "$P/results.json" &&
   cmp -s "$w/raw/conformance-panthor/junit.xml" "$P/junit.xml"; then
	ktap_ok lavacli_raw_log_gives_the_dut_files
else
	ktap_fail lavacli_raw_log_gives_the_dut_files "collect exit $rc" "$(tail -n 5 "$w/out")"
fi
# ci/lava/submit with the stand-in lavacli: Complete, then Incomplete
sd=$w/standin && mkdir -p "$sd" && cp "$w/raw.yaml" "$sd/log.yaml" && echo Complete > "$sd/health"
want=0
"$top/ci/lava/collect" "$w/raw.yaml" --out "$w/direct" > /dev/null 2>&1 || want=$?
src=0
PATH=$top/ci/tests/lavacli-standin:$PATH LAVACLI_STANDIN_DIR=$sd \
	"$top/ci/lava/submit" conformance-panthor --out "$w/sub" --identity farm > "$w/sub.log" 2>&1 || src=$?
if [ $src = $want ] && grep -q '^job_name: panref conformance-panthor rk3588-rock-5b' "$sd/submitted.yaml" &&
   "$top/ci/lava/validate" "$sd/submitted.yaml" >/dev/null && cmp -s "$w/sub/log.yaml" "$w/raw.yaml" &&
   cmp -s "$w/sub/conformance-panthor/results.json" "$P/results.json" && grep -q 'health Complete' "$w/sub.log"; then
	ktap_ok submit_renders_validates_submits_and_collects
else
	ktap_fail submit_renders_validates_submits_and_collects "submit exit $src, collect alone $want" "$(cat "$w/sub.log")"
fi
echo Incomplete > "$sd/health"
src=0
PATH=$top/ci/tests/lavacli-standin:$PATH LAVACLI_STANDIN_DIR=$sd \
	"$top/ci/lava/submit" conformance-panthor --out "$w/sub2" --identity farm > "$w/sub2.log" 2>&1 || src=$?
if [ $src != 0 ] && grep -q 'health Incomplete' "$w/sub2.log"; then
	ktap_ok submit_fails_an_incomplete_job
else
	ktap_fail submit_fails_an_incomplete_job "submit exit $src" "$(cat "$w/sub2.log")"
fi
ktap_end
