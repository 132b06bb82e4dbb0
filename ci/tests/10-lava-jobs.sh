#!/usr/bin/env bash
# The LAVA jobs: every job of ci/lava/jobs.yaml renders from the rk3588
# variables and passes LAVA's own job schema (lava-common's
# lava_common.schemas.validate, strict, under /usr/bin/python3); broken
# jobs (one mutation each of a valid job) and a template naming an unknown
# variable are rejected by the same tools. KTAP.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/ktap.sh"
out=$top/build/ci/lava
rm -rf "$out" && mkdir -p "$out/broken"
jobs=$(/usr/bin/python3 -c 'import sys, yaml; print(" ".join(yaml.safe_load(open(sys.argv[1]))))' \
	"$top/ci/lava/jobs.yaml")
# mutations: name, then a Python statement on the parsed job j
mutations=(
	"no_device_type:del j['device_type']"
	"no_job_timeout:del j['timeouts']['job']"
	"unknown_boot_method:j['actions'][1]['boot']['method'] = 'u-boot-typo'"
	"deploy_without_kernel:del j['actions'][0]['deploy']['kernel']"
	"unknown_context_variable:j['context']['panref_option'] = '1'"
	"bad_test_definition_name:j['actions'][2]['test']['definitions'][0]['name'] = 'has space'"
	"action_timeout_over_job_timeout:j['actions'][2]['test']['timeout'] = {'hours': 9}"
	"unknown_top_level_key:j['panref'] = 1"
)
ktap_begin $(( $(wc -w <<<"$jobs") + 1 + ${#mutations[@]} + 3 ))
if /usr/bin/python3 -c 'import lava_common.schemas' 2>/dev/null; then
	ktap_ok lava_common_importable
else
	ktap_fail lava_common_importable "/usr/bin/python3 cannot import lava_common (make deps installs lava-common)"
fi
render_log=$("$top/ci/lava/render" --out "$out" 2>&1) || true
for j in $jobs; do
	v=
	if [ -f "$out/$j.yaml" ] && v=$("$top/ci/lava/validate" "$out/$j.yaml" 2>&1); then
		ktap_ok "job_${j//-/_}_valid"
	else
		ktap_fail "job_${j//-/_}_valid" "$render_log" "${v:-not rendered}"
	fi
done
for m in "${mutations[@]}"; do
	name=${m%%:*} stmt=${m#*:}
	f=$out/broken/$name.yaml
	/usr/bin/python3 -c "
import sys, yaml
j = yaml.safe_load(open(sys.argv[1]))
$stmt
yaml.safe_dump(j, open(sys.argv[2], 'w'), sort_keys=False)" "$out/conformance-panthor.yaml" "$f" 2>/dev/null || :
	v=$("$top/ci/lava/validate" "$f" 2>&1) && rc=0 || rc=$?
	if [ -f "$f" ] && [ $rc = 1 ] && grep -q '^invalid ' <<<"$v"; then
		ktap_ok "rejects_$name"
	else
		ktap_fail "rejects_$name" "validate exit $rc: $v"
	fi
done
# A template naming a variable nobody defines: render fails, writes nothing.
sed 's/{{DTB_URL}}/{{DTB_URL_TYPO}}/' "$top/ci/lava/job.yaml" > "$out/broken/template.yaml"
if ! "$top/ci/lava/render" --template "$out/broken/template.yaml" --out "$out/broken/r" bench \
	>"$out/broken/render.log" 2>&1 && grep -q 'unknown variable DTB_URL_TYPO' "$out/broken/render.log" &&
	[ ! -e "$out/broken/r/bench.yaml" ]; then
	ktap_ok render_rejects_unknown_variable
else
	ktap_fail render_rejects_unknown_variable "$(cat "$out/broken/render.log")"
fi
# One set of variables: an override reaches every job.
"$top/ci/lava/render" --set DEVICE_TYPE=rk3588-test-board --out "$out/override" >/dev/null 2>&1 || :
n=$(cat "$out/override"/*.yaml 2>/dev/null | grep -c '^device_type: rk3588-test-board$' || :)
if [ "$n" = "$(wc -w <<<"$jobs")" ]; then
	ktap_ok set_override_reaches_every_job
else
	ktap_fail set_override_reaches_every_job "$n jobs carry the override"
fi
# ci/gitlab-ci.yml: parses; extends, stages and needs name what exists;
# every job has a stage and a script; one GitLab job per LAVA job of
# jobs.yaml; every repository script it calls exists and is executable.
gl=$(/usr/bin/python3 - "$top/ci/gitlab-ci.yml" <<'PY' 2>&1
import sys, yaml, re
d = yaml.safe_load(open(sys.argv[1]))
jobs = sorted(v["variables"]["LAVA_JOB"] for k, v in d.items()
              if isinstance(v, dict) and "LAVA_JOB" in v.get("variables", {}))
print(" ".join(jobs))
jobsd = {k: v for k, v in d.items() if isinstance(v, dict) and k not in ("variables", "default")}
for k, v in jobsd.items():
    for e in ([v["extends"]] if isinstance(v.get("extends"), str) else v.get("extends", [])):
        assert e in jobsd, "%s extends unknown %s" % (k, e)
    if "stage" in v:
        assert v["stage"] in d["stages"], "%s: unknown stage %s" % (k, v["stage"])
    for n in v.get("needs", []):
        assert n in jobsd and not n.startswith("."), "%s needs unknown job %s" % (k, n)
    if not k.startswith("."):
        merged = dict(v)
        e = v.get("extends")
        while e:
            merged = {**jobsd[e], **merged}
            e = jobsd[e].get("extends")
        assert "script" in merged and "stage" in merged, "%s: no script or stage" % k
text = open(sys.argv[1]).read()
print(" ".join(sorted(set(re.findall(r"(?<![\w/.])((?:ci|\.ci)/[\w./-]*\w)", text)))))
PY
) || :
want=$(tr ' ' '\n' <<<"$jobs" | sort | paste -sd' ')
missing=""
for f in $(sed -n 2p <<<"$gl"); do
	if [ -d "$top/$f" ]; then continue; fi
	case $f in *.yml|*.yaml|*.md) [ -f "$top/$f" ] || missing="$missing $f" ;;
	*) [ -x "$top/$f" ] || missing="$missing $f" ;; esac
done
if [ "$(sed -n 1p <<<"$gl")" = "$want" ] && [ -z "$missing" ] && [ -n "$(sed -n 2p <<<"$gl")" ]; then
	ktap_ok gitlab_ci_runs_every_lava_job_with_existing_scripts
else
	ktap_fail gitlab_ci_runs_every_lava_job_with_existing_scripts "$gl" "want jobs: $want" "missing:$missing"
fi
ktap_end
