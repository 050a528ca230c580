#!/usr/bin/env bash
# e2e_real_artifacts: scmpwatch against public artifacts nobody on this project wrote
# (tests/data/real/, provenance in tests/data/real/SOURCES).
#  - records/*.log: `scmpwatch replay --format json` must count exactly the record lines
#    listed for that file in records/EXPECTED.tsv (input.seccomp), none malformed, and
#    report the same multiset of (arch, syscall nr, action code), each expected exe among
#    the executables of its entry.
#  - profiles/*.json: runtime defaults and runtime test fixtures that Docker/Podman/runc
#    load; `scmpwatch profile validate` must accept them (exit 0).
# Env: SCMPWATCH (binary, required), SCW_SOURCE_DIR (repo root). Exit 0 pass, 1 fail.
set -uo pipefail

bin=${SCMPWATCH:?SCMPWATCH must name the scmpwatch binary}
src=${SCW_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
data=$src/tests/data/real
command -v python3 >/dev/null || { echo "e2e_real_artifacts: python3 not found"; exit 77; }
[ -f "$data/records/EXPECTED.tsv" ] || { echo "FAIL: $data/records/EXPECTED.tsv missing"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

shopt -s nullglob
logs=("$data"/records/*.log)
[ ${#logs[@]} -gt 0 ] || { echo "FAIL: no records/*.log under $data"; exit 1; }

for log in "${logs[@]}"; do
  name=$(basename "$log")
  out=$work/$name.json
  "$bin" replay -j 1 --format json "$log" >"$out" 2>"$work/err"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "FAIL: records/$name: replay exit $rc"; sed 's/^/  stderr: /' "$work/err" | head -5
    failures=$((failures + 1)); continue
  fi
  if python3 - "$out" "$data/records/EXPECTED.tsv" "$name" "$log" <<'PY'
import collections, json, sys

report, tsv, name, logpath = sys.argv[1:5]
# audit arch (AUDIT_ARCH_*) -> the name scmpwatch reports
ARCH = {"c000003e": "x86_64", "40000003": "x86", "c00000b7": "aarch64", "40000028": "arm",
        "c0000015": "ppc64le", "80000015": "ppc64", "80000016": "s390x", "00000016": "s390",
        "c00000f3": "riscv64", "c0000102": "loongarch64", "80000008": "mips", "40000008": "mipsel",
        "8000000008": "mips64"}
lines = open(logpath, encoding="utf-8", errors="replace").read().split("\n")
want = []
for row in open(tsv, encoding="utf-8"):
    row = row.rstrip("\n")
    if not row or row.startswith("#"):
        continue
    f, ln, arch, nr, pid, code, exe = row.split("\t")
    if f != name:
        continue
    code = None if code == "-" else "0x%08x" % int(code, 16)
    want.append((int(ln), ARCH.get(arch.lower(), arch.lower()), int(nr), code, None if exe == "-" else exe))

try:
    d = json.load(open(report))
except Exception as e:
    print("FAIL: records/%s: report is not JSON: %s" % (name, e)); sys.exit(1)
bad = 0
def fail(msg):
    global bad
    bad += 1
    print("FAIL: records/%s: %s" % (name, msg))

inp = d.get("input", {})
if inp.get("seccomp") != len(want):
    fail("input.seccomp = %s, want %d (the record lines listed in EXPECTED.tsv: %s); other=%s"
         % (inp.get("seccomp"), len(want), ",".join(str(w[0]) for w in want), inp.get("other")))
if inp.get("malformed") != 0:
    fail("input.malformed = %s, want 0" % inp.get("malformed"))
    for m in (inp.get("malformed_lines") or [])[:5]:
        print("  malformed: %s" % json.dumps(m)[:300])

got = collections.Counter()
exes = collections.defaultdict(set)
for w in d.get("workloads") or []:
    for e in (w.get("syscalls") or w.get("entries") or []):
        key = (e.get("arch"), e.get("nr"), e.get("code"))
        got[key] += int(e.get("count") or 0)
        exes[key].update(e.get("executables") or [])

for ln, arch, nr, code, exe in want:
    key = (arch, nr, code)
    text = lines[ln - 1] if 0 < ln <= len(lines) else "?"
    if got[key] > 0:
        got[key] -= 1
        if exe is not None and exe not in exes[key]:
            fail("line %d: entry %s/%d/%s lacks executable %r (has %s)"
                 % (ln, arch, nr, code, exe, sorted(exes[key])))
    else:
        near = [k for k, v in got.items() if v > 0 and k[1] == nr]
        fail("line %d: no (arch=%s, nr=%d, code=%s) left in the report%s\n  line: %s"
             % (ln, arch, nr, code, "; report has %s" % near if near else "", text[:240]))
for k, v in got.items():
    if v > 0:
        fail("report has %d record(s) (arch=%s, nr=%s, code=%s) not in EXPECTED.tsv" % (v, k[0], k[1], k[2]))
if not bad:
    print("ok: records/%s: %d record(s), 0 malformed, (arch, nr, code) as expected" % (name, len(want)))
sys.exit(1 if bad else 0)
PY
  then :; else failures=$((failures + 1)); fi
done

# every EXPECTED.tsv row names a file that exists
while IFS=$'\t' read -r f _; do
  case $f in ''|'#'*) continue ;; esac
  [ -f "$data/records/$f" ] || { echo "FAIL: EXPECTED.tsv names records/$f, which is missing"; failures=$((failures + 1)); }
done <"$data/records/EXPECTED.tsv"

for prof in "$data"/profiles/*.json; do
  name=$(basename "$prof")
  "$bin" profile validate "$prof" >"$work/out" 2>&1
  rc=$?
  refused=$(awk -F'\t' -v f="$name" '$1 == f {print $2}' "$data/profiles/REFUSED.tsv")
  if [ -n "$refused" ]; then # the runtimes refuse it (measured): so must we, saying why
    if [ "$rc" -eq 1 ] && grep -q "error: .*$refused" "$work/out"; then
      echo "ok: profiles/$name: refused as the runtimes refuse it ($refused)"
    else
      echo "FAIL: profiles/$name: exit $rc, want 1 with an error about '$refused' (REFUSED.tsv)"
      failures=$((failures + 1))
    fi
    continue
  fi
  if [ "$rc" -eq 0 ]; then
    echo "ok: profiles/$name: profile validate exit 0"
  else
    echo "FAIL: profiles/$name: profile validate exit $rc, want 0 (a runtime loads this profile)"
    grep -E 'error' "$work/out" | head -5 | sed 's/^/  /'
    failures=$((failures + 1))
  fi
done

# cgroups/: scmpwatch attribute --cgroup-file names the runtime and container id as read by
# hand (EXPECTED.tsv: "-" = not a container: a monitor, a host unit or an unknown path)
while IFS=$'\t' read -r f runtime id; do
  case $f in ''|'#'*) continue ;; esac
  json=$("$bin" attribute --format json --cgroup-file "$data/cgroups/$f" 2>"$work/err") || {
    echo "FAIL: cgroups/$f: attribute exit $?: $(head -2 "$work/err")"; failures=$((failures + 1)); continue; }
  got=$(python3 -c '
import json, sys
a = json.load(sys.stdin)["attributions"][0]
c = a["container"]
container = c is not None and not a["monitor"] and a["runtime"] not in ("systemd", "unknown")
print("%s %s" % (c["runtime"], c["id"]) if container else "- -")' <<<"$json")
  want="${runtime/crio/cri-o} $id"
  if [ "$got" = "$want" ]; then
    echo "ok: cgroups/$f: $got"
  else
    echo "FAIL: cgroups/$f: attribute says '$got', want '$want' ($(head -c 300 "$data/cgroups/$f" | tr '\n' ' '))"
    failures=$((failures + 1))
  fi
done <"$data/cgroups/EXPECTED.tsv"

if [ "$failures" -ne 0 ]; then
  echo "e2e_real_artifacts: $failures failure(s)"
  exit 1
fi
echo "e2e_real_artifacts: all passed"
exit 0
