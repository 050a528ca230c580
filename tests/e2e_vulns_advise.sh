#!/usr/bin/env bash
# e2e_vulns_advise: vulnerability blocks in the proposals (issue 6's end-to-end case).
#  - a workload seen calling splice, replayed as if from a host on kernel 5.10.0: the Dirty Pipe
#    block (rules/cve.yaml, kernel_below 5.16.11 and the 5.15 and 5.10 backports) makes it
#    deny, with the CVE and the fix 5.10 lacks, in text and JSON, and the text says plainly
#    that enforcing breaks that code path on purpose; with kernel 6.1.0, and with the stable
#    5.15.25 that has the backport, the same syscall gets the rules' normal decision;
#  - a container whose image a Trivy report says ships pkexec with PwnKit: setuid becomes deny
#    with CVE, severity, package, installed and fixed versions; without the report it does not;
#  - a broken report among good ones: named with what and where, exit 1, the good report and
#    the events still used.
set -euo pipefail
bin=${SCMPWATCH:?}; src=${SCW_SOURCE_DIR:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rules=(--rules "$src/rules/default.yaml" --rules "$src/rules/cve.yaml")

for i in 1 2 3 4; do # splice on x86_64 is 275
  echo "type=SECCOMP msg=audit(1795875804.$i:$i): auid=0 uid=0 gid=0 ses=1 pid=$((100 + i)) comm=\"app\" exe=\"/opt/app\" sig=0 arch=c000003e syscall=275 compat=0 ip=0x1 code=0x7ffc0000"
done >"$tmp/audit.log"

"$bin" replay "${rules[@]}" --kernel 5.10.0 -f json "$tmp/audit.log" >"$tmp/old.json" || fail "replay (old kernel)"
"$bin" replay "${rules[@]}" --kernel 5.10.0 "$tmp/audit.log" >"$tmp/old.txt" || fail "replay text"
"$bin" replay "${rules[@]}" --kernel 6.1.0 -f json "$tmp/audit.log" >"$tmp/new.json" || fail "replay (new kernel)"
"$bin" replay "${rules[@]}" --kernel 5.15.25 -f json "$tmp/audit.log" >"$tmp/stable.json" || fail "replay (stable kernel)"
python3 - "$tmp/old.json" "$tmp/new.json" "$tmp/stable.json" <<'PY' || fail "kernel block decisions"
import json, sys
def prop(path):
    doc = json.load(open(path))
    ps = [p for w in doc["workloads"] for p in w["proposals"] if p["syscall"] == "splice"]
    assert len(ps) == 1, ps
    return ps[0]
old, new, stable = prop(sys.argv[1]), prop(sys.argv[2]), prop(sys.argv[3])
assert old["decision"] == "deny" and old["blocked_by_vulnerability"], old
assert old["rule"] == "cve-2022-0847-dirty-pipe", old["rule"]
v = old["vulnerability"]
assert v["cve"] == "CVE-2022-0847" and v["kernel"] == "5.10.0" and v["kernel_below"] == "5.10.102", v
assert v["evidence"] == "host kernel 5.10.0 is older than 5.10.102 (CVE-2022-0847)", v
for p in (new, stable):
    assert not p["blocked_by_vulnerability"] and p["vulnerability"] is None, p
    assert p["decision"] != "deny" and p["rule"] != old["rule"], p
PY
grep -q "CVE-2022-0847" "$tmp/old.txt" || fail "text lacks the CVE"
tr -s ' \n' '  ' <"$tmp/old.txt" | grep -q "WILL break that code path. That is intended" || fail "text does not say enforcing breaks it"

# an image with PwnKit, from a Trivy report; the workload comes from a watcher's state file
id=$(printf 'ab%.0s' $(seq 32))
cat >"$tmp/state.json" <<JSON
{"format":"scmpwatch-state","version":1,"input":{"seccomp":5},
 "workloads":[{"key":"docker:$id","container":{"runtime":"docker","id":"$id","name":"web",
   "image":"registry.example:5000/team/web:1.2","cgroup":"/docker/$id"},
   "entries":[{"arch":3221225534,"syscall":105,"code":2147221504,"count":5,
     "first":[1795875804,0],"last":[1795875805,0],"pids":[1,2,3],"exes":["/usr/bin/web"]}]}]}
JSON
cat >"$tmp/trivy.json" <<'JSON'
{"SchemaVersion": 2, "ArtifactName": "registry.example:5000/team/web:1.2",
 "ArtifactType": "container_image",
 "Results": [{"Target": "registry.example:5000/team/web:1.2 (debian 11.2)", "Class": "os-pkgs",
   "Type": "debian", "Vulnerabilities": [
     {"VulnerabilityID": "CVE-2021-4034", "PkgName": "policykit-1", "InstalledVersion": "0.105-31",
      "FixedVersion": "0.105-31+deb11u1", "Severity": "HIGH"}]}]}
JSON
"$bin" suggest --state "$tmp/state.json" "${rules[@]}" --vulns "$tmp/trivy.json" -f json >"$tmp/img.json" || fail "suggest with the report"
"$bin" suggest --state "$tmp/state.json" "${rules[@]}" -f json >"$tmp/noimg.json" || fail "suggest without the report"
python3 - "$tmp/img.json" "$tmp/noimg.json" <<'PY' || fail "image block decisions"
import json, sys
def prop(path):
    doc = json.load(open(path))
    ps = [p for w in doc["workloads"] for p in w["proposals"] if p["syscall"] == "setuid"]
    assert len(ps) == 1, ps
    return ps[0]
with_r, without = prop(sys.argv[1]), prop(sys.argv[2])
assert with_r["decision"] == "deny" and with_r["rule"] == "cve-2021-4034-pwnkit", with_r
v = with_r["vulnerability"]
assert (v["cve"], v["severity"], v["package"], v["installed"], v["fixed"]) == \
    ("CVE-2021-4034", "high", "policykit-1", "0.105-31", "0.105-31+deb11u1"), v
assert not without["blocked_by_vulnerability"] and without["rule"] != with_r["rule"], without
PY

# a broken report among good ones
printf '{"SchemaVersion": 2, "Results": [' >"$tmp/broken.json"
set +e
"$bin" suggest --state "$tmp/state.json" "${rules[@]}" --vulns "$tmp/broken.json" \
  --vulns "$tmp/trivy.json" -f json >"$tmp/mixed.json" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "a broken report should make exit 1, got $rc"
grep -q "broken.json" "$tmp/err" || fail "the broken report is not named: $(cat "$tmp/err")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(p["syscall"]=="setuid" and p["decision"]=="deny" for w in d["workloads"] for p in w["proposals"])' "$tmp/mixed.json" \
  || fail "the good report was not used next to the broken one"
echo "e2e_vulns_advise: ok"
