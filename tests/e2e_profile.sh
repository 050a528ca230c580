#!/usr/bin/env bash
# e2e_profile: `scmpwatch profile` end to end on the fixtures in tests/data/profiles: validate
# (valid, invalid with FILE:LINE:COLUMN messages, unreadable, --strict, stdin), logify and tune
# (golden outputs compared byte for byte, --format diff, -o replacing a file atomically,
# --seccomp-only), show (--syscall answers, JSON), fmt (canonical and stable), diff (and
# --exit-code), and usage errors exiting 2. Then what runtimes accept: moby's current default
# profile shape (an archMap entry for SCMP_ARCH_LOONGARCH64, which this libseccomp does not
# know), errnoRet values past libseccomp's range or 16 bits, Podman's installed profile (and
# the real copies in tests/data/real/profiles, when present).
set -uo pipefail

bin=${SCMPWATCH:?SCMPWATCH must name the scmpwatch binary}
src=${SCW_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
data=$src/tests/data/profiles
golden=$src/tests/data/golden
comment="scmpwatch: allowed after 1234 events from 3 containers, 2024-05-01 to 2024-05-07"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# expect_exit WANT DESCRIPTION -- runs "$@", records stdout/stderr in $work/out and $work/err
expect_exit() {
  local want=$1 what=$2; shift 2
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$what: exit $rc, want $want"; sed 's/^/  stderr: /' "$work/err" | head -5
    return 1
  fi
  return 0
}
# same_as GOLDEN DESCRIPTION: $work/out must equal the golden file byte for byte
same_as() {
  if cmp -s "$work/out" "$1"; then pass "$2"
  else fail "$2: differs from $(basename "$1")"; diff -u "$1" "$work/out" | head -20; fi
}

cd "$data" || exit 1  # relative names keep the diff labels stable

# --- validate ------------------------------------------------------------------------------
if expect_exit 0 "validate the fixtures" "$bin" profile validate docker-default.json oci-config.json docker-default-log.json; then
  grep -q "^docker-default.json: valid (Docker profile; 0 errors" "$work/out" && pass "Docker fixture valid" || fail "no valid line: $(cat "$work/out")"
  grep -q "^oci-config.json: valid (OCI config.json; 0 errors, 0 warnings)" "$work/out" && pass "OCI fixture valid" || fail "OCI line missing"
  [ "$(grep -c "note: filter for" "$work/out")" -eq 11 ] && pass "5 + 1 + 5 filters built and measured" || fail "filter notes: $(grep -c "note: filter for" "$work/out")"
fi
printf '{"defaultAction": "SCMP_ACT_ERRNO",\n "syscalls": [\n  {"names": ["read"], "action": "SCMP_ACT_ALOW"},\n  {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 7, "value": 0, "op": "SCMP_CMP_EQ"}]}]}\n' >"$work/bad.json"
if expect_exit 1 "validate an invalid profile" "$bin" profile validate "$work/bad.json"; then
  grep -q "bad.json:3:33: error: unknown action 'SCMP_ACT_ALOW'.*\[at syscalls\[0\].action\]" "$work/out" \
    && pass "unknown action located at 3:33" || fail "no located action error: $(cat "$work/out")"
  grep -q "bad.json:4:77: error: argument index 7" "$work/out" && pass "bad arg index located at 4:77" || fail "no arg index error"
  grep -q "bad.json: INVALID (Docker profile; 2 errors, 0 warnings)" "$work/out" && pass "summary counts errors" || fail "summary"
fi
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "scw_future_call"], "action": "SCMP_ACT_ALLOW"}]}' >"$work/warn.json"
expect_exit 0 "warnings alone pass" "$bin" profile validate -q "$work/warn.json" \
  && grep -q "warn.json:1:69: warning: unknown syscall 'scw_future_call'" "$work/out" && pass "unknown syscall is a warning" || fail "warning missing: $(cat "$work/out")"
expect_exit 1 "--strict fails on warnings" "$bin" profile validate --strict "$work/warn.json" && pass "--strict"
expect_exit 0 "validate from stdin" "$bin" profile validate - <oci-config.json \
  && grep -q "^<stdin>: valid" "$work/out" && pass "stdin is '-'" || fail "stdin validation"
expect_exit 1 "validate a missing file" "$bin" profile validate /nonexistent/p.json \
  && grep -q "cannot open '/nonexistent/p.json'" "$work/out" && pass "missing file named" || fail "missing file message"
printf '{"defaultAction": "SCMP_ACT_ERRNO",\n  "syscalls": [{"names": ["read"],}]}' >"$work/syntax.json"
expect_exit 1 "validate broken JSON" "$bin" profile validate "$work/syntax.json" \
  && grep -q "syntax.json:2:35: error: invalid JSON: string or '}' expected near '}'" "$work/out" && pass "JSON syntax error located" || fail "syntax: $(cat "$work/out")"

# --- logify --------------------------------------------------------------------------------
expect_exit 0 "logify" "$bin" profile logify docker-default.json && same_as docker-default.logify.json "logify equals the golden staging profile"
grep -q "defaultAction SCMP_ACT_ERRNO -> SCMP_ACT_LOG" "$work/err" && pass "logify summary on stderr" || fail "logify summary: $(cat "$work/err")"
grep -q '"flags"' "$work/out" && fail "logify wrote flags (runc 1.1 refuses any, dockerd 20.10 drops them)" || pass "logify writes no flags by default"
expect_exit 0 "logify --all" "$bin" profile logify -q --all docker-default.json && same_as "$golden/docker-default.logify-all.json" "logify --all golden"
[ -s "$work/err" ] && fail "-q still printed: $(cat "$work/err")"
expect_exit 0 "logify --format diff" "$bin" profile logify -q -f diff docker-default.json && same_as docker-default.logify.diff "logify diff golden"
expect_exit 0 "logify an OCI config" "$bin" profile logify -q oci-config.json && same_as oci-config.logify.json "OCI logify golden"
expect_exit 0 "logify --seccomp-only" "$bin" profile logify -q --seccomp-only oci-config.json \
  && head -2 "$work/out" | grep -q '"defaultAction": "SCMP_ACT_LOG"' && ! grep -q ociVersion "$work/out" && pass "--seccomp-only writes linux.seccomp" || fail "--seccomp-only"
# the diff applies with patch(1)
if command -v patch >/dev/null; then
  cp docker-default.json "$work/p.json"
  "$bin" profile logify -q -f diff docker-default.json | patch -s "$work/p.json" && cmp -s "$work/p.json" docker-default.logify.json \
    && pass "the logify diff applies with patch(1)" || fail "patch(1) did not reproduce the logified profile"
fi
# -o replaces the file (also in place)
cp docker-default.json "$work/inplace.json"
expect_exit 0 "logify -o in place" "$bin" profile logify -q -o "$work/inplace.json" "$work/inplace.json" \
  && [ ! -s "$work/out" ] && cmp -s "$work/inplace.json" docker-default.logify.json && pass "-o rewrote the file" || fail "-o output"
ls "$work" | grep -q 'tmp' && fail "temporary file left behind: $(ls "$work")"
expect_exit 1 "logify into a missing directory" "$bin" profile logify -q -o /nonexistent/dir/x.json docker-default.json \
  && grep -q "cannot write to '/nonexistent/dir/x.json'" "$work/err" && pass "unwritable output named" || fail "unwritable output message"
expect_exit 1 "logify refuses a profile with errors" "$bin" profile logify "$work/bad.json" \
  && grep -q "has errors; fix them first" "$work/err" && pass "invalid input refused" || fail "invalid input message"

# --- tune ----------------------------------------------------------------------------------
expect_exit 0 "tune" "$bin" profile tune -q -A read,mount,clone3 --allow ptrace,io_uring_setup,mount -c "$comment" -e 1 docker-default-log.json \
  && same_as "$golden/docker-default-log.tune.json" "tune golden"
grep -q "docker-default-log.json:462:5: warning: 'clone3' added, but on hosts" "$work/err" && pass "tune warns about clone3 with its location" || fail "tune warning: $(cat "$work/err")"
expect_exit 0 "tune --format diff" "$bin" profile tune -q -A read,mount,clone3,ptrace,io_uring_setup -c "$comment" -e 1 -f diff docker-default-log.json \
  && same_as "$golden/docker-default-log.tune.diff" "tune diff golden"
expect_exit 0 "tune an OCI config --canonical" "$bin" profile tune -q --canonical -A getuid,setuid,read -c "ignored: OCI has no comment" -f diff oci-config.json \
  && same_as "$golden/oci-config.tune.diff" "OCI tune diff golden (canonical)"
# oci-config.json is one line, as runtimes write it: the tuned text is that line with the entry
expect_exit 0 "tune an OCI config" "$bin" profile tune -q -A getuid,setuid,read -c "ignored: OCI has no comment" -f diff oci-config.json \
  && grep -q '^@@ -1 +1 @@$' "$work/out" && [ "$(grep -c '^[-+][^-+]' "$work/out")" -eq 2 ] \
  && grep -qF '"errnoRet":38},{"names":["getuid","setuid"],"action":"SCMP_ACT_ALLOW"}]},' "$work/out" \
  && pass "OCI tune: its one line, with the entry in compact form" || fail "OCI tune diff: $(head -c 600 "$work/out")"
expect_exit 0 "tune --canonical" "$bin" profile tune -q --canonical -A read,mount,clone3,ptrace,io_uring_setup -c "$comment" -e 1 docker-default-log.json \
  && same_as "$golden/docker-default-log.tune.json" "tune --canonical golden (the fixture is canonical: same text)"
# The team's file as it is written (moby's default.json: tabs, no final newline): the tuned
# file is that text plus the new entry, so its diff has only added lines; --canonical re-dumps.
moby=$src/tests/data/real/profiles/moby-moby-default.json
if [ -f "$moby" ]; then
  expect_exit 0 "tune moby's default.json" "$bin" profile tune -q -A scw_test_a,scw_test_b -c "$comment" -o "$work/moby-tuned.json" "$moby" \
    && [ ! -s "$work/err" ] && pass "tune of a tab-indented file: no note" || fail "tune moby: $(cat "$work/err")"
  diff "$moby" "$work/moby-tuned.json" >"$work/moby.diff"
  if [ "$(grep -c '^>' "$work/moby.diff")" -eq 8 ] && ! grep -q '^<' "$work/moby.diff" && grep -qP '^> \t\t\t"comment": "scmpwatch: allowed' "$work/moby.diff"; then
    pass "moby tuned: 8 lines added in its own style, none changed"
  else
    fail "moby tuned diff: $(head -20 "$work/moby.diff")"
  fi
  expect_exit 0 "tune moby's default.json --format diff" "$bin" profile tune -q -A scw_test_a,scw_test_b -f diff "$moby" \
    && [ "$(grep -c '^+[^+]' "$work/out")" -eq 7 ] && ! grep -q '^-[^-]' "$work/out" && pass "--format diff is from the file as written" || fail "moby diff: $(cat "$work/out")"
  expect_exit 0 "tune moby's default.json --canonical" "$bin" profile tune -q --canonical -A scw_test_a -o "$work/moby-canon.json" "$moby" \
    && "$bin" profile fmt "$work/moby-canon.json" | cmp -s - "$work/moby-canon.json" && pass "--canonical writes the canonical layout" || fail "--canonical"
fi
printf '{\r\n    "defaultAction": "SCMP_ACT_LOG",\r\n    "syscalls": []\r\n}' >"$work/crlf.json"
expect_exit 0 "tune a CRLF file" "$bin" profile tune -q -A read -e 1 -o "$work/crlf-tuned.json" "$work/crlf.json" \
  && [ "$(tr -cd '\n' <"$work/crlf-tuned.json" | wc -c)" -eq "$(tr -cd '\r' <"$work/crlf-tuned.json" | wc -c)" ] \
  && grep -q '^            "names": \[' "$work/crlf-tuned.json" && pass "CRLF and 4 spaces kept" || fail "CRLF tune: $(cat -A "$work/crlf-tuned.json")"
printf '{"defaultAction": "SCMP_ACT_LOG", "defaultAction": "SCMP_ACT_LOG"}' >"$work/dup.json"
expect_exit 0 "tune a file it cannot edit in place" "$bin" profile tune -q -A read "$work/dup.json" \
  && grep -q "could not add the change to '.*dup.json' as it is written" "$work/err" \
  && "$bin" profile fmt - <"$work/out" | cmp -s - "$work/out" && pass "reformatted: said so, canonical text" || fail "reformat note: $(cat "$work/err")"
expect_exit 2 "tune with a bad name" "$bin" profile tune -A 'read;rm' docker-default-log.json \
  && grep -q "'read;rm' is not a syscall name" "$work/err" && pass "bad syscall name is a usage error" || fail "bad name"
expect_exit 2 "tune with a non-enforcing default" "$bin" profile tune -A read -d SCMP_ACT_ALLOW docker-default-log.json && pass "--default-action must enforce"
expect_exit 2 "tune --errno out of range" "$bin" profile tune -A read -e 5000 docker-default-log.json && pass "--errno bounded"

# --- show ----------------------------------------------------------------------------------
expect_exit 0 "show --syscall" "$bin" profile show --arch x86_64 --kernel 6.1 -s clone3 -s read docker-default.json
cat >"$work/want" <<'EOF'
clone3 on x86_64: refused: SCMP_ACT_ERRNO errno 38 (syscalls[17]) (assuming Docker's default capabilities / the running kernel)
clone3 on x86: refused: SCMP_ACT_ERRNO errno 38 (syscalls[17]) (assuming Docker's default capabilities / the running kernel)
clone3 on x32: refused: SCMP_ACT_ERRNO errno 38 (syscalls[17]) (assuming Docker's default capabilities / the running kernel)
read on x86_64: allowed: SCMP_ACT_ALLOW (syscalls[0])
read on x86: allowed: SCMP_ACT_ALLOW (syscalls[0])
read on x32: allowed: SCMP_ACT_ALLOW (syscalls[0])
EOF
cmp -s "$work/out" "$work/want" && pass "show --syscall answers" || { fail "show --syscall"; diff "$work/want" "$work/out"; }
expect_exit 0 "show with CAP_SYS_ADMIN" "$bin" profile show --arch x86_64 --cap CAP_SYS_ADMIN,CAP_CHOWN --kernel 6.1 -s clone3 docker-default.json \
  && grep -q "^clone3 on x86_64: allowed: SCMP_ACT_ALLOW (syscalls\[14\])$" "$work/out" && pass "--cap changes the answer" || fail "--cap: $(cat "$work/out")"
expect_exit 0 "show --format json" "$bin" profile show --arch aarch64 -f json docker-default.json \
  && python3 - "$work/out" <<'EOF' && pass "show JSON: aarch64+arm sets" || fail "show JSON content"
import json, sys
d = json.load(open(sys.argv[1]))
arches = [a["arch"] for a in d["architectures"]]
assert arches == ["aarch64", "arm"], arches
a = d["architectures"][0]
assert "read" in a["allowed"] and "breakpoint" not in a["allowed"], a["allowed"][:5]
assert "breakpoint" in d["architectures"][1]["allowed"]  # ARM only (includes arches arm, arm64)
assert a["conditional"] == ["clone", "personality"], a["conditional"]
assert a["refused"] == [{"syscall": "clone3", "action": "SCMP_ACT_ERRNO", "errno": 38, "entry": 17}], a["refused"]
assert "mount" in a["inactive"]
EOF
expect_exit 0 "show text" "$bin" profile show --arch x86_64 docker-default.json \
  && grep -q "^  refused by an entry (1):" "$work/out" && grep -q "clone3(SCMP_ACT_ERRNO errno 38)" "$work/out" && pass "show text lists refusals" || fail "show text"

# --- fmt and diff --------------------------------------------------------------------------
expect_exit 0 "fmt" "$bin" profile fmt docker-default.json && same_as docker-default.json "fmt of a canonical profile is byte-identical"
expect_exit 0 "fmt OCI" "$bin" profile fmt oci-config.json && cp "$work/out" "$work/oci-canon.json" \
  && expect_exit 0 "fmt twice" "$bin" profile fmt "$work/oci-canon.json" && same_as "$work/oci-canon.json" "fmt is stable"
expect_exit 0 "diff of formatting only" "$bin" profile diff --exit-code oci-config.json "$work/oci-canon.json" \
  && [ ! -s "$work/out" ] && pass "formatting differences do not show" || fail "diff showed formatting"
expect_exit 1 "diff --exit-code" "$bin" profile diff --exit-code docker-default.json docker-default-log.json \
  && grep -q '^+  "defaultAction": "SCMP_ACT_LOG",$' "$work/out" && pass "diff shows the change" || fail "diff output"

# --- what runtimes accept: an archMap entry for an architecture libseccomp does not know ----
# moby's default.json (2025/2026) has one for SCMP_ARCH_LOONGARCH64; Docker uses only the host's.
loong=docker-default-loongarch.json
if expect_exit 0 "validate an archMap entry libseccomp does not know" "$bin" profile validate "$loong"; then
  grep -q "^$loong:36:23: warning: architecture 'SCMP_ARCH_LOONGARCH64' is unknown to libseccomp [0-9.]* (a newer libseccomp's architecture, or a typo): Docker uses only the archMap entry of the host's architecture.*\[at archMap\[5\]\.architecture\]$" "$work/out" \
    && pass "LOONGARCH64: a located warning" || fail "LOONGARCH64 warning: $(grep -i loong "$work/out")"
  grep -q "^$loong:35:5: note: no filter built for SCMP_ARCH_LOONGARCH64: libseccomp [0-9.]* does not know it \[at archMap\[5\]\]$" "$work/out" \
    && pass "LOONGARCH64: validate says it built no filter for it" || fail "no 'not built' note: $(grep -i loong "$work/out")"
  [ "$(grep -c "note: filter for" "$work/out")" -eq 5 ] && pass "the 5 known archMap entries built" || fail "filters: $(grep -c "note: filter for" "$work/out")"
  grep -q "^$loong: valid (Docker profile; 0 errors" "$work/out" && pass "LOONGARCH64 profile valid" || fail "summary: $(tail -1 "$work/out")"
fi
expect_exit 0 "fmt keeps the LOONGARCH64 entry" "$bin" profile fmt "$loong" && same_as "$loong" "fmt of it is byte-identical"
# entry_kept FILE GOLDEN: FILE has the entry's lines verbatim, and without them is GOLDEN
entry_kept() {
  python3 -c '
import sys
out, want = open(sys.argv[1]).read(), open(sys.argv[2]).read()
entry = ",\n    {\n      \"architecture\": \"SCMP_ARCH_LOONGARCH64\",\n      \"subArchitectures\": null\n    }\n"
assert out.count(entry) == 1, "entry not kept verbatim"
assert out.replace(entry, "\n") == want, "the rest differs"
' "$1" "$2"
}
expect_exit 0 "logify keeps the LOONGARCH64 entry" "$bin" profile logify -q "$loong" \
  && entry_kept "$work/out" docker-default.logify.json && pass "logify: entry byte for byte, the rest as docker-default's" || fail "logify output"
cp "$work/out" "$work/loong-log.json"
expect_exit 0 "tune keeps the LOONGARCH64 entry" "$bin" profile tune -q -A mount -e 1 "$work/loong-log.json" \
  && grep -qF '      "architecture": "SCMP_ARCH_LOONGARCH64",' "$work/out" && pass "tune: entry kept" || fail "tune output"
expect_exit 0 "show a profile with the LOONGARCH64 entry" "$bin" profile show --arch x86_64 --kernel 6.1 -s clone3 "$loong" \
  && grep -q "^clone3 on x86_64: refused: SCMP_ACT_ERRNO errno 38 (syscalls\[17\])" "$work/out" && pass "show answers" || fail "show: $(cat "$work/out")"
# in a list the runtime gets, libseccomp cannot add it: runc and crun refuse (measured)
printf '{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_LOONGARCH64"]}\n' >"$work/arches.json"
if python3 -c 'import ctypes, sys; sys.exit(ctypes.CDLL("libseccomp.so.2").seccomp_arch_resolve_name(b"loongarch64") != 0)'; then
  if expect_exit 1 "an unknown architecture in 'architectures'" "$bin" profile validate "$work/arches.json"; then
    grep -q "arches.json:1:75: error: unknown architecture 'SCMP_ARCH_LOONGARCH64': libseccomp [0-9.]* cannot add it, so runtimes refuse the profile" "$work/out" \
      && pass "refused where runc and crun refuse" || fail "architectures error: $(cat "$work/out")"
  fi
else
  echo "note: this libseccomp knows loongarch64: no refusal to check"
fi
real=$src/tests/data/real/profiles
if [ -f "$real/moby-profiles-default.json" ]; then
  expect_exit 0 "validate moby's current default.json" "$bin" profile validate "$real/moby-profiles-default.json" \
    && grep -q "moby-profiles-default.json:57:20: warning: architecture 'SCMP_ARCH_LOONGARCH64'" "$work/out" \
    && pass "moby's default.json: valid, LOONGARCH64 warned about" || fail "moby default: $(grep -v "unknown syscall\|note:" "$work/out")"
  expect_exit 0 "logify moby's current default.json" "$bin" profile logify -q "$real/moby-profiles-default.json" \
    && grep -qF '"architecture": "SCMP_ARCH_LOONGARCH64"' "$work/out" && pass "moby's default.json logified, entry kept" || fail "moby logify"
else
  echo "note: $real/moby-profiles-default.json absent: the real copy is not checked"
fi

# --- what runtimes accept: errnoRet ----------------------------------------------------------
# moby's test profile has errnoRet 12345: Docker 20.10.24 reads it, then its runc 1.1.5 fails
# ("error adding seccomp filter rule for syscall syslog"), as does crun 1.8.1: libseccomp takes
# 0 to 4094 (measured). Past 16 bits runtimes keep the low 16: 65537 is EPERM.
# (default ALLOW here, so that syslog's answer comes from the entry)
printf '{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [\n    {"name": "syslog", "action": "SCMP_ACT_ERRNO", "errnoRet": 12345, "args": []}\n  ]\n}\n' >"$work/errno12345.json"
if expect_exit 1 "errnoRet 12345 (moby's example.json)" "$bin" profile validate "$work/errno12345.json"; then
  grep -q "errno12345.json:4:64: error: 'errnoRet' 12345: libseccomp takes errno 0 to 4094 only, so runc and crun refuse the profile and the container does not start (Docker accepts the file, then its runc fails" "$work/out" \
    && pass "errnoRet 12345: the measured refusal, located" || fail "errnoRet 12345: $(cat "$work/out")"
fi
sed 's/12345/65537/' "$work/errno12345.json" >"$work/errno65537.json"
if expect_exit 0 "errnoRet 65537 loads" "$bin" profile validate "$work/errno65537.json"; then
  grep -q "errno65537.json:4:64: warning: 'errnoRet' 65537: runtimes keep its low 16 bits: the process sees errno 1 (EPERM), not 65537" "$work/out" \
    && pass "errnoRet 65537: loads with a warning naming the errno seen" || fail "errnoRet 65537: $(cat "$work/out")"
  expect_exit 0 "show answers with the errno seen" "$bin" profile show --arch x86_64 -s syslog "$work/errno65537.json" \
    && grep -q "^syslog on x86_64: refused: SCMP_ACT_ERRNO errno 1 (syscalls\[0\])$" "$work/out" && pass "show: errno 1" || fail "show: $(cat "$work/out")"
fi

# --- what runtimes accept: Podman's profile --------------------------------------------------
for pod in /usr/share/containers/seccomp.json "$real"/podman-*.json; do
  [ -f "$pod" ] || { echo "note: $pod absent: not checked"; continue; }
  name=$(basename "$pod")
  expect_exit 0 "validate $name" "$bin" profile validate "$pod" \
    && grep -q ": valid (Docker profile; 0 errors, 0 warnings)" "$work/out" && pass "$name: valid, no warnings (defaultErrno/errno agree with the numbers)" \
    || fail "$name: $(grep -v "note:" "$work/out" | head -3)"
  expect_exit 0 "logify $name" "$bin" profile logify -q -o "$work/pod-log.json" "$pod" || continue
  grep -q '"defaultErrno"\|"flags"' "$work/pod-log.json" && fail "$name: logify left defaultErrno or wrote flags"
  expect_exit 0 "validate logified $name" "$bin" profile validate "$work/pod-log.json" \
    && grep -q ": valid (Docker profile; 0 errors, 0 warnings)" "$work/out" && pass "$name: logified cleanly" || fail "$name logified: $(grep -v "note:" "$work/out" | head -3)"
  expect_exit 0 "tune logified $name" "$bin" profile tune -q -A mount -e 38 -o "$work/pod-tuned.json" "$work/pod-log.json" \
    && [ ! -s "$work/err" ] && pass "$name: tuned without warnings" || fail "$name tune: $(cat "$work/err")"
  expect_exit 0 "validate tuned $name" "$bin" profile validate "$work/pod-tuned.json" \
    && grep -q ": valid (Docker profile; 0 errors, 0 warnings)" "$work/out" && pass "$name: tuned profile valid" || fail "$name tuned: $(grep -v "note:" "$work/out" | head -3)"
done

# --- logify's flags, through the command line ----------------------------------------------
# default: no flags (runc 1.1 refuses them, dockerd 20.10 drops them) and a warning naming the
# refusals that will not be logged; --log-flag adds SECCOMP_FILTER_FLAG_LOG
expect_exit 0 "logify default" "$bin" profile logify -q "$data/docker-default.json" &&
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit("flags" in d or d["defaultAction"] != "SCMP_ACT_LOG")' "$work/out" &&
  grep -q "warning: .* hits are not logged.*--log-flag adds it" "$work/err" &&
  pass "logify writes no flags and warns (even with -q)" || fail "logify default: $(head -3 "$work/err")"
expect_exit 0 "logify --log-flag" "$bin" profile logify --log-flag "$data/docker-default.json" &&
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d.get("flags") != ["SECCOMP_FILTER_FLAG_LOG"])' "$work/out" &&
  ! grep -q "not logged" "$work/err" && pass "logify --log-flag adds the flag" || fail "logify --log-flag"
expect_exit 2 "tune --errno 4095" "$bin" profile tune -A chmod -e 4095 "$data/docker-default.json" &&
  grep -q "0 to 4094" "$work/err" && pass "tune --errno is libseccomp's 0..4094" || fail "tune --errno 4095"

# --- usage ---------------------------------------------------------------------------------
expect_exit 2 "no subcommand" "$bin" profile && pass "no subcommand: usage"
expect_exit 2 "unknown subcommand" "$bin" profile frobnicate && grep -q "unknown command 'frobnicate'" "$work/err" && pass "unknown subcommand"
expect_exit 2 "logify without a file" "$bin" profile logify && pass "logify needs a file"
expect_exit 2 "logify bad format" "$bin" profile logify -f yaml docker-default.json && pass "bad --format"
expect_exit 2 "validate bad option" "$bin" profile validate --frob docker-default.json && pass "unknown option"
expect_exit 2 "show bad arch" "$bin" profile show --arch vax docker-default.json && pass "bad --arch"
for sub in validate show logify tune diff fmt; do
  expect_exit 0 "$sub --help" "$bin" profile "$sub" --help && grep -q "^Usage: scmpwatch profile $sub" "$work/out" || fail "$sub --help"
done
pass "every subcommand has --help"
expect_exit 0 "scmpwatch --help lists profile" "$bin" --help && grep -q "^  profile " "$work/out" && pass "profile in the command list"

echo "e2e_profile: $failures failure(s)"
[ "$failures" -eq 0 ]
