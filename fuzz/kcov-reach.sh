#!/usr/bin/env bash
# What KCOV sees of a coverage-instrumented driver, from syscall (thread)
# context and from remote context (work items, drm_sched callbacks, IRQ
# threads annotated with kcov_remote_start_common()).
#
#   fuzz/kcov-reach.sh DRIVER KO [vm/run options...] [-- CMD...]
#     DRIVER  panthor (KO loaded with --panthor-ko, panref not loaded) or
#             panref (KO loaded with --panref-ko)
#     KO      the instrumented module (make panthor-kcov:
#             build/fuzz/panthor-kcov/panthor.ko)
#     CMD     instead of kcov-reach's built-in jobs, run CMD (in the VM)
#             under the remote handle: remote PCs only (kcov-reach.c)
#
# Boots the VM, runs build/bin/kcov-reach (make kcov-reach) there, and
# symbolises its PCs against KO with the section bases the VM reported
# (/sys/module/DRIVER/sections): distinct PCs and functions per source file
# and context, then which of the scheduler's work functions were reached.
# KCOV_REACH_FUNCS=1 also lists every function reached (`func CONTEXT FILE
# FUNCTION NPCS`). Exit status: kcov-reach's (1: the workload's results were wrong), or
# vm/run's (123: the kernel log shows a WARNING, BUG, ...).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: $0 DRIVER KO [vm/run options...]" >&2; exit 2; }
driver=$1 ko=$(realpath "$2") || exit 2
shift 2
vmopts=() cmd=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do vmopts+=("$1"); shift; done
[ $# -gt 0 ] && { shift; cmd=(-- "$@"); }
probe=$top/build/bin/kcov-reach
[ -x "$probe" ] || { echo "kcov-reach.sh: missing $probe (make kcov-reach)" >&2; exit 2; }
case $driver in
panthor) load=(--no-panref --panthor-ko "$ko") ;;
panref) load=(--panref-ko "$ko") ;;
*) echo "kcov-reach.sh: DRIVER is panthor or panref" >&2; exit 2 ;;
esac

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$top/vm/run" "${load[@]}" "${vmopts[@]}" -- "$probe" --driver "$driver" "${cmd[@]}" > "$out"
rc=$?
# Everything that is not a PC line (kernel log on failure, workload notes).
grep -Ev '^(thread|remote) 0x' "$out" | grep -v '^section ' || true
grep -q '^summary:' "$out" || { echo "kcov-reach.sh: no summary (vm/run exit $rc)" >&2; exit "$((rc ? rc : 1))"; }

python3 - "$ko" "$out" <<'EOF'
import collections, os, re, subprocess, sys

ko, out = sys.argv[1], sys.argv[2]
bases, pcs = {}, {"thread": set(), "remote": set()}
for line in open(out):
    f = line.split()
    if len(f) == 3 and f[0] == "section":
        bases[f[1]] = int(f[2], 16)
    elif len(f) == 2 and f[0] in pcs:
        pcs[f[0]].add(int(f[1], 16))

# Section sizes of the module file.
sizes = {}
for line in subprocess.run(["objdump", "-h", ko], capture_output=True, text=True,
                           check=True).stdout.splitlines():
    f = line.split()
    if len(f) >= 3 and f[0].isdigit() and f[1] in bases:
        sizes[f[1]] = int(f[2], 16)

def where(pc):
    for sec, base in bases.items():
        if base <= pc < base + sizes.get(sec, 0):
            return sec, pc - base
    return None, None

# (function, file) of each PC: addr2line per section, the outermost frame
# of the inline chain (the function the code is in); pc - 1 is in the call
# to __sanitizer_cov_trace_pc whose return address KCOV records.
loc = {}
for ctx in pcs:
    for pc in pcs[ctx]:
        loc.setdefault(pc, None)
bysec = collections.defaultdict(list)
for pc in loc:
    sec, off = where(pc)
    if sec:
        bysec[sec].append((pc, off))
for sec, items in bysec.items():
    res = subprocess.run(["addr2line", "-a", "-f", "-i", "-j", sec, "-e", ko] +
                         ["%#x" % (off - 1) for _, off in items],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    blocks, cur = [], None
    for l in res:
        if re.fullmatch(r"0x[0-9a-f]+", l):
            cur = []
            blocks.append(cur)
        else:
            cur.append(l)
    for (pc, _), b in zip(items, blocks):
        func, path = (b[-2], b[-1]) if len(b) >= 2 else ("??", "??")
        fname = os.path.basename(path.split(":")[0].split(" ")[0])
        loc[pc] = (func, fname)

reached = {}
print("%-7s %-22s %6s %10s" % ("context", "file", "PCs", "functions"))
for ctx in ("thread", "remote"):
    per = collections.defaultdict(lambda: [0, set()])
    outside = 0
    for pc in pcs[ctx]:
        if loc[pc] is None:
            outside += 1
            continue
        func, fname = loc[pc]
        per[fname][0] += 1
        per[fname][1].add(func)
    funcs = set()
    for fname in sorted(per):
        print("%-7s %-22s %6d %10d" % (ctx, fname, per[fname][0], len(per[fname][1])))
        funcs |= {(fname, fn) for fn in per[fname][1]}
    print("%-7s %-22s %6d %10d" % (ctx, "(module total)", sum(v[0] for v in per.values()),
                                   len(funcs)))
    if outside:
        print("%-7s %-22s %6d" % (ctx, "(outside the module)", outside))
    reached[ctx] = {fn.lstrip("_") for _, fn in funcs}
    if os.environ.get("KCOV_REACH_FUNCS") == "1":
        n = collections.Counter(loc[pc] for pc in pcs[ctx] if loc[pc])
        for (func, fname), k in sorted(n.items(), key=lambda x: (x[0][1], x[0][0])):
            print("func %s %s %s %d" % (ctx, fname, func, k))

for fn in ("tick_work", "queue_run_job", "process_fw_events_work", "group_tiler_oom_work",
           "sync_upd_work", "group_sync_upd_work", "group_term_work", "group_release_work",
           "queue_free_job", "panthor_job_irq_threaded_handler",
           "panthor_mmu_irq_threaded_handler", "panthor_gpu_irq_threaded_handler"):
    print("reached %-34s remote: %-3s thread: %s" % (
        fn, "yes" if fn in reached["remote"] else "no",
        "yes" if fn in reached["thread"] else "no"))
EOF
prc=$?
[ $rc -ne 0 ] && exit $rc
exit $prc
