#!/usr/bin/env bash
# e2e_vulns: `scmpwatch vulns` end to end with reports written here (Trivy, Grype, klar) and
# the shipped rules (default.yaml + cve.yaml): what each report blocks, the kernel_below blocks
# for a kernel given with --kernel, JSON and text, a bad report among good ones (named with
# the reason, the others still listed, exit 1), IMAGE=PATH, --rules, and usage errors (exit 2).
set -uo pipefail

bin=${SCMPWATCH:?SCMPWATCH must name the scmpwatch binary}
src=${SCW_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
command -v python3 >/dev/null || { echo "e2e_vulns: python3 not found (packaging/install-deps.sh test)"; exit 77; }
export SCMPWATCH_RULES_DIR=$src/rules

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# expect_exit WANT DESCRIPTION -- runs "$@", records stdout/stderr in out/err
expect_exit() {
  local want=$1 what=$2; shift 2
  "$@" >out 2>err
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$what: exit $rc, want $want"; sed 's/^/  stderr: /' err | head -5
    return 1
  fi
  return 0
}
# jcheck EXPR DESCRIPTION: a Python expression over the JSON document in out (as d)
jcheck() {
  if python3 -c 'import json,sys; d=json.load(open("out")); sys.exit(0 if eval(sys.argv[1]) else 1)' "$1"; then
    pass "$2"
  else
    fail "$2 ($1)"
  fi
}

cat >trivy.json <<'EOF'
{"SchemaVersion": 2, "ArtifactName": "debian:10", "ArtifactType": "container_image",
 "Metadata": {"RepoTags": ["debian:10"]},
 "Results": [{"Target": "debian:10 (debian 10.7)", "Class": "os-pkgs", "Type": "debian",
   "Vulnerabilities": [
    {"VulnerabilityID": "CVE-2021-3156", "PkgName": "sudo", "InstalledVersion": "1.8.27-1+deb10u2",
     "FixedVersion": "1.8.27-1+deb10u3", "Severity": "HIGH"},
    {"VulnerabilityID": "CVE-2022-0847", "PkgName": "linux-libc-dev", "InstalledVersion": "4.19.160-2",
     "Severity": "HIGH"}]}]}
EOF
cat >grype.json <<'EOF'
{"matches": [{"vulnerability": {"id": "CVE-2021-4034", "severity": "High",
   "fix": {"versions": [], "state": "not-fixed"}},
  "artifact": {"name": "pkexec", "version": "0.105-33"}}],
 "source": {"type": "image", "target": {"userInput": "nginx:1.25", "tags": ["nginx:1.25"]}},
 "descriptor": {"name": "grype"}}
EOF
cat >clean.json <<'EOF'
{"matches": [], "source": {"type": "image", "target": {"userInput": "alpine:3.19"}}}
EOF
printf '{"LayerCount":2,"Vulnerabilities":{"High":[{"Name":"CVE-2021-4034","Severity":"High","FeatureName":"policykit-1","FeatureVersion":"0.105-31","FixedBy":""}]}}\n' >klar.json
printf '{"SchemaVersion": 2, "Results": [{"Target": "x", "Vulnerab' >truncated.json
printf '{"vulnerabilities": []}\n' >unknown.json

# --- 1. three good reports on an old kernel, text -----------------------------------------------
if expect_exit 0 "vulns on three reports" "$bin" vulns --kernel 5.10.0-8-amd64 trivy.json grype.json clean.json; then
  grep -q '^trivy.json: trivy report, image docker.io/library/debian:10$' out && pass "text names format and image" || fail "text heading: $(head -3 out)"
  grep -q 'sudo-high-severity: keeps refused setgid setregid setresgid setresuid setreuid setuid' out \
    && pass "sudo block with its syscalls" || fail "no sudo block line"
  grep -q 'CVE-2021-3156 (high) in sudo 1.8.27-1+deb10u2, fixed in 1.8.27-1+deb10u3' out \
    && pass "evidence with installed and fixed versions" || fail "no sudo evidence"
  grep -q 'CVE-2021-4034 (high) in pkexec 0.105-33, no fixed version yet' out \
    && pass "an unfixed vulnerability blocks too" || fail "no PwnKit evidence"
  grep -q '^clean.json: grype report, image docker.io/library/alpine:3.19$' out && grep -q '0 vulnerabilities' out \
    && pass "a report without vulnerabilities is listed" || fail "clean report missing"
  grep -q 'host kernel 5.10.0-8-amd64: 5 kernel_below blocks apply' out && grep -q 'cve-2022-0847-dirty-pipe: keeps refused splice' out \
    && pass "kernel blocks for the given release" || fail "kernel section: $(grep -A2 'host kernel' out | head -3)"
  [ -s err ] && fail "stderr not empty on a clean run: $(head -2 err)"
fi

# --- 2. the same as JSON --------------------------------------------------------------------------
if expect_exit 0 "vulns --format json" "$bin" vulns -f json -k 5.10.0-8-amd64 trivy.json grype.json clean.json; then
  jcheck 'd["kernel"] == "5.10.0-8-amd64" and d["cve_blocks"] == 8 and len(d["reports"]) == 3' "JSON document shape"
  jcheck '[b["block"] for b in d["reports"][0]["blocks"]] == ["sudo-high-severity"]' "trivy report blocks (linux-libc-dev is not the kernel)"
  jcheck 'd["reports"][0]["blocks"][0]["cve"] == "CVE-2021-3156" and d["reports"][0]["blocks"][0]["fixed"] == "1.8.27-1+deb10u3" and d["reports"][0]["blocks"][0]["cause"] == "package"' "block evidence in JSON"
  jcheck 'd["reports"][1]["blocks"][0]["block"] == "cve-2021-4034-pwnkit" and d["reports"][1]["blocks"][0]["fixed"] is None' "unfixed vulnerability: fixed is null"
  jcheck 'd["reports"][2]["vulnerabilities"] == 0 and d["reports"][2]["blocks"] == []' "clean report in JSON"
  jcheck 'd["reports"][0]["severities"]["high"] == 2 and d["reports"][0]["format"] == "trivy"' "severity counts"
  jcheck 'len(d["kernel_blocks"]) == 5 and d["kernel_blocks"][0]["block"] == "cve-2022-0847-dirty-pipe" and d["kernel_blocks"][0]["syscalls"] == ["splice"] and d["kernel_blocks"][0]["kernel_below"] == "5.10.102"' "kernel blocks in JSON (the fix of the 5.10 series)"
fi

# --- 3. a fixed kernel; no kernel checks ----------------------------------------------------------
if expect_exit 0 "vulns on a fixed kernel" "$bin" vulns -k 6.8.0 trivy.json; then
  grep -q 'host kernel 6.8.0: no kernel_below block applies' out && pass "no kernel block on 6.8.0" || fail "kernel line: $(tail -1 out)"
fi
if expect_exit 0 "vulns --kernel none" "$bin" vulns -f json --kernel none trivy.json; then
  jcheck 'd["kernel"] is None and d["kernel_blocks"] == [] and [b["block"] for b in d["reports"][0]["blocks"]] == ["cve-2022-0847-dirty-pipe", "sudo-high-severity"]' \
    "kernel unknown: Dirty Pipe from the image evidence"
fi
if expect_exit 0 "vulns with the host kernel" "$bin" vulns clean.json; then
  # the host's upstream version, as scmpwatch check finds it (uname -r unless Debian or Ubuntu)
  host=$("$bin" check 2>/dev/null | sed -n 's/^PASS  host kernel version *\([^,]*\), from .*/\1/p' || true)
  [ -n "$host" ] || fail "scmpwatch check names no host kernel version"
  grep -qF "host kernel $host" out && pass "the host kernel by default ($host)" || fail "host kernel not named: $(head -1 out)"
fi

# --- 4. a bad report among good ones: named, the others listed, exit 1 -------------------------
if expect_exit 1 "a truncated report among good ones" "$bin" vulns -k 6.8.0 trivy.json truncated.json grype.json; then
  grep -q 'truncated.json: truncated JSON (the file ends inside a value), at line 1, column 58' err \
    && pass "the bad report is named with what and where" || fail "stderr: $(cat err)"
  grep -q '^trivy.json: trivy report' out && grep -q '^grype.json: grype report' out \
    && pass "the other reports are still listed" || fail "good reports missing from the listing"
  grep -q '^not read: truncated.json: truncated JSON' out && pass "the listing says which was not read" || fail "no 'not read' line"
fi
if expect_exit 1 "bad reports in JSON" "$bin" vulns -f json -k 6.8.0 unknown.json klar.json missing.json grype.json; then
  jcheck 'd["reports"][0]["error"].startswith("unknown.json: not a scanner report of a known format")' "unknown format"
  jcheck 'd["reports"][1]["error"] == "klar.json: this klar report does not name a container image; give it as IMAGE=klar.json (e.g. nginx:1.25=klar.json)"' "klar needs IMAGE="
  jcheck 'd["reports"][2]["error"] == "missing.json: cannot open the report: No such file or directory"' "missing file"
  jcheck 'd["reports"][3]["blocks"][0]["block"] == "cve-2021-4034-pwnkit"' "the good report after three bad ones"
  [ "$(wc -l <err)" -eq 3 ] && pass "one stderr line per bad report" || fail "stderr has $(wc -l <err) lines"
fi

# --- 5. IMAGE=PATH ------------------------------------------------------------------------------
if expect_exit 0 "klar with IMAGE=" "$bin" vulns -k 6.8.0 registry.example.com:5000/web:2=klar.json; then
  grep -q '^klar.json: klar report, image registry.example.com:5000/web:2 (given)$' out \
    && grep -q 'cve-2021-4034-pwnkit' out && pass "klar report tied to the given image" || fail "klar listing: $(head -5 out)"
fi
expect_exit 1 "an invalid IMAGE" "$bin" vulns 'Bad Image=klar.json' \
  && grep -q "klar.json: invalid image reference 'Bad Image'" err && pass "invalid image named" || fail "invalid image: $(cat err)"

# --- 6. --rules adds to the shipped rules; --no-default-rules: only the given files ---------------
cat >mine.yaml <<'EOF'
version: 1
cve_blocks:
  - name: only-mine
    cves: [CVE-2021-3156]
    syscalls: [ptrace]
    reason: test block
    link: https://example.org/mine
EOF
if expect_exit 0 "--no-default-rules --rules" "$bin" vulns -f json -k 5.4.0 --no-default-rules --rules mine.yaml trivy.json; then
  jcheck 'd["cve_blocks"] == 1 and [b["block"] for b in d["reports"][0]["blocks"]] == ["only-mine"] and d["kernel_blocks"] == []' "only the given rule file"
  jcheck 'd["reports"][0]["blocks"][0]["defined_at"] == "mine.yaml:3:5"' "where the block is defined"
fi
if expect_exit 0 "--rules adds" "$bin" vulns -f json -k 5.4.0 --rules mine.yaml trivy.json; then
  jcheck 'd["cve_blocks"] == 9 and "only-mine" in [b["block"] for b in d["reports"][0]["blocks"]] and d["kernel_blocks"] != []' "--rules adds to the shipped blocks"
fi
printf 'version: 1\ncve_blocks:\n  - name: x\n' >broken.yaml
expect_exit 1 "an invalid rule file" "$bin" vulns --rules broken.yaml trivy.json \
  && grep -q '^scmpwatch: error: broken.yaml:3:5: ' err && pass "invalid rule file named with line:column" || fail "rule error: $(cat err)"

# --- 7. usage ------------------------------------------------------------------------------------
expect_exit 2 "no report" "$bin" vulns && pass "no report: exit 2"
expect_exit 2 "bad format" "$bin" vulns --format yaml trivy.json && pass "unknown --format: exit 2"
expect_exit 2 "empty kernel" "$bin" vulns --kernel '' trivy.json && pass "empty --kernel: exit 2"
expect_exit 2 "unknown option" "$bin" vulns --bogus trivy.json && pass "unknown option: exit 2"
if expect_exit 0 "--help" "$bin" vulns --help; then
  for opt in --rules --kernel --format --help IMAGE=PATH; do
    grep -q -- "$opt" out || fail "--help does not describe $opt"
  done
  pass "--help describes every option"
fi
"$bin" --help | grep -q '^  vulns ' && pass "listed in scmpwatch --help" || fail "vulns missing from scmpwatch --help"

echo "$failures failed"
[ "$failures" -eq 0 ]
