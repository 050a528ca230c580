#!/usr/bin/env bash
# e2e_replay: `scmpwatch replay` end to end on a generated corpus with known counts
# (tests/replay_corpus.py writes the inputs and the expected report): every record format,
# gzip (rotated, concatenated members, truncated), stdin as '-', a missing input, oversized,
# malformed and garbage lines. The JSON report must equal the expectation exactly; the text
# report must carry the totals and warnings; colour only on a terminal and never with
# NO_COLOR; usage errors exit 2.
set -uo pipefail

bin=${SCMPWATCH:?SCMPWATCH must name the scmpwatch binary}
src=${SCW_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
gen=$src/tests/replay_corpus.py
command -v python3 >/dev/null || { echo "e2e_replay: python3 not found (packaging/install-deps.sh test)"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

python3 "$gen" gen "$work" || { echo "corpus generation failed"; exit 1; }

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

# --- 1. everything at once: seven inputs, stdin among them --------------------------------
main_inputs=(audit.log audit.log.1.gz kern.log.2.gz dmesg.txt - journal.txt kmsg.txt)
if expect_exit 0 "replay of the whole corpus" "$bin" replay --format json "${main_inputs[@]}" <stdin.log; then
  cp out main.json
  if python3 "$gen" check expected.json main main.json; then pass "JSON report equals the expectation"
  else fail "JSON report differs from the expectation"; fi
  [ -s err ] && fail "stderr not empty on a clean run: $(head -3 err)"
fi
# the same through --output, and the JSON is one document
if expect_exit 0 "replay --output" "$bin" replay -f json -o report.json "${main_inputs[@]}" <stdin.log; then
  [ -s out ] && fail "--output still wrote to stdout"
  cmp -s report.json main.json && pass "--output writes the same report" || fail "--output report differs"
fi
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' main.json 2>/dev/null \
  && pass "the report is one JSON document" || fail "the report is not valid JSON"

# --- 2. a missing input: named with the reason, the others still reported, exit 1 ----------
if expect_exit 1 "replay with a missing file" "$bin" replay --format json audit.log /nonexistent/dir/audit.log kmsg.txt; then
  grep -q "'/nonexistent/dir/audit.log'.*No such file or directory" err \
    && pass "the missing file is named with the reason" || fail "stderr does not name the missing file: $(cat err)"
  python3 "$gen" check expected.json missing out && pass "the other inputs are still reported" \
    || fail "report with a missing input differs"
fi

# --- 3. a truncated gzip: the lines before the cut count, exit 1 -----------------------------
if expect_exit 1 "replay of a truncated gzip" "$bin" replay --format json trunc.log.gz dmesg.txt; then
  grep -q "'trunc.log.gz': compressed data is corrupt or truncated after line" err \
    && pass "the truncated gzip is reported" || fail "no truncation message: $(cat err)"
  python3 "$gen" check expected.json truncated out && pass "lines before the cut are counted exactly" \
    || fail "report of the truncated gzip differs"
fi

# --- 3b. journald's audit reader alone: records without audit stamps -----------------------
if expect_exit 0 "replay of journald lines" "$bin" replay --format json journald.txt; then
  python3 "$gen" check expected.json journald out && pass "journald lines: counts, null first/last seen" \
    || fail "report of journald lines differs"
  grep -q '"first_seen": null' out || fail "journald lines: no null first_seen"
fi

# --- 4. the text report --------------------------------------------------------------------
read -r lines seccomp malformed oversized other < <(python3 - <<'EOF'
import json
i = json.load(open("expected.json"))["main"]["input"]
print(*(f"{i[k]:,}" for k in ("lines", "seccomp", "malformed", "oversized", "other")))
EOF
)
first_bad=$(python3 -c 'import json; print(", ".join(json.load(open("expected.json"))["main"]["input"]["malformed_lines"]))')
if expect_exit 0 "text report" "$bin" replay "${main_inputs[@]}" <stdin.log; then
  cp out main.txt
  grep -qxF "scmpwatch replay: 7 inputs" main.txt && pass "text: heading" || fail "text: no heading line"
  grep -qxF "  lines $lines: SECCOMP records $seccomp, malformed $malformed, oversized $oversized, other $other" main.txt \
    && pass "text: input totals" || fail "text: totals line missing (want lines $lines, seccomp $seccomp...)"
  grep -qF "warning: $malformed malformed SECCOMP lines skipped (no valid arch= or syscall=); first: $first_bad" main.txt \
    && pass "text: malformed warning with the first locations" || fail "text: malformed warning missing"
  grep -qF "warning: $oversized lines longer than 65536 bytes skipped" main.txt \
    && pass "text: oversized warning" || fail "text: oversized warning missing"
  # workloads most frequent first: the first heading is the busiest executable
  top=$(python3 -c 'import json; print(json.load(open("expected.json"))["main"]["workloads"][0]["key"][4:])')
  first_heading=$(grep -m1 '(no container)$' main.txt)
  [ "$first_heading" = "$top  (no container)" ] && pass "text: busiest workload first" \
    || fail "text: first workload '$first_heading', want '$top'"
  grep -qE '^ +[0-9,]+  x32 +openat +' main.txt && pass "text: x32 named" || fail "text: no x32 openat row"
  grep -qE '^ +[0-9,]+  x86_64 +unknown\(99999\) ' main.txt && pass "text: unknown syscall kept with its number" \
    || fail "text: no unknown(99999) row"
  grep -qE ' unknown\(0x12340000\) ' main.txt && pass "text: unknown action with its code" || fail "text: no unknown(0x12340000)"
  grep -q '/tmp/bad\\xff' main.txt && pass "text: invalid bytes escaped" || fail "text: /tmp/bad\\xff not shown escaped"
  if grep -q $'\033' main.txt; then fail "text: escape codes in non-terminal output"; else pass "text: no colour on a pipe"; fi
fi

# --- 5. colour: only on a terminal, never with NO_COLOR --------------------------------------
if command -v script >/dev/null; then
  env -u NO_COLOR TERM=xterm script -qec "$bin replay dmesg.txt" /dev/null >tty.txt 2>&1
  grep -q $'\033\\[1m' tty.txt && pass "colour on a terminal" || fail "no colour on a terminal"
  NO_COLOR=1 TERM=xterm script -qec "$bin replay dmesg.txt" /dev/null >tty-nocolor.txt 2>&1
  if grep -q $'\033' tty-nocolor.txt; then fail "escape codes despite NO_COLOR"; else pass "NO_COLOR respected on a terminal"; fi
  grep -q "SECCOMP records" tty-nocolor.txt || fail "the terminal run printed no report"
else
  echo "note: script(1) missing, terminal colour not checked"
fi
env -u NO_COLOR TERM=xterm "$bin" replay dmesg.txt >pipe.txt 2>&1
if grep -q $'\033' pipe.txt; then fail "escape codes on a pipe without NO_COLOR"; else pass "no colour on a pipe without NO_COLOR"; fi

# --- 6. usage errors exit 2, --help exits 0 -----------------------------------------------------
expect_exit 2 "no input" "$bin" replay && grep -q "no input files" err && pass "usage: no input -> 2"
expect_exit 2 "bad format" "$bin" replay --format yaml dmesg.txt && grep -q "unknown format 'yaml'" err && pass "usage: --format yaml -> 2"
expect_exit 2 "unknown option" "$bin" replay --bogus dmesg.txt && grep -q "unknown option '--bogus'" err \
  && pass "usage: unknown option -> 2, named"
expect_exit 2 "zero bound" "$bin" replay --max-entries 0 dmesg.txt && pass "usage: --max-entries 0 -> 2"
expect_exit 2 "bad bound" "$bin" replay --max-workloads x1 dmesg.txt && pass "usage: --max-workloads x1 -> 2"
expect_exit 2 "missing argument" "$bin" replay dmesg.txt --format && grep -q "option '--format' needs a value" err \
  && pass "usage: --format without a value -> 2"
expect_exit 0 "--help" "$bin" replay --help && grep -q "^Usage: scmpwatch replay" out && pass "--help -> 0"
expect_exit 1 "unwritable --output" "$bin" replay -o /nonexistent/dir/r.json dmesg.txt \
  && grep -q "/nonexistent/dir/r.json" err && pass "unwritable --output -> 1, named"

# --- 6b. docs in step: every option of --help is in the man page ------------------------------
man=$src/packaging/man/scmpwatch-replay.1
if [ -f "$man" ]; then
  "$bin" replay --help >help.txt
  n=0
  for opt in $(grep -o -- '--[a-z][a-z-]*' help.txt | sort -u); do
    n=$((n + 1))
    grep -qF -- "${opt//-/\\-}" "$man" || fail "option $opt of --help is not in scmpwatch-replay.1"
  done
  [ "$n" -ge 5 ] && pass "docs: the $n options of --help are in the man page" || fail "docs: only $n options found in --help"
else
  fail "no man page $man"
fi

# --- 7. bounds: hitting them is reported, never fatal ------------------------------------------
if expect_exit 0 "tiny bounds" "$bin" replay --format json --max-workloads 2 --max-entries 5 audit.log; then
  python3 - out <<'EOF' && pass "bounds: drops counted, totals intact" || fail "bounds: drops not reported right"
import json, sys
d = json.load(open(sys.argv[1]))
drops = d["input"]["dropped_at_bounds"]
counted = sum(s["count"] for w in d["workloads"] for s in w["syscalls"])
assert len(d["workloads"]) <= 2 and sum(len(w["syscalls"]) for w in d["workloads"]) <= 5
assert drops["workloads"] > 0 and drops["entries"] > 0
assert counted + drops["workloads"] + drops["entries"] == d["input"]["seccomp"], (counted, drops)
EOF
fi

if [ "$failures" -ne 0 ]; then echo "e2e_replay: $failures failures"; exit 1; fi
echo "e2e_replay: all checks passed"
