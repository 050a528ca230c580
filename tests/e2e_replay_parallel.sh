#!/usr/bin/env bash
# e2e_replay_parallel: `replay --jobs N` reads a large plain file in parts, in threads, and
# must print exactly what one reader prints: the JSON and text reports of the replay corpus
# (tests/replay_corpus.py: every format, gzip, stdin, malformed lines with their line numbers,
# oversized lines) are byte-identical with -j1 and -j8 when every file is cut into parts of
# about 1000 bytes (SCW_REPLAY_PART_MIN), also with --rules (ignore lists, syscall names
# looked up in every thread) and at the --max-entries and --max-workloads bounds.
set -uo pipefail
bin=${SCMPWATCH:?SCMPWATCH must name the scmpwatch binary}
src=${SCW_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
command -v python3 >/dev/null || { echo "e2e_replay_parallel: python3 not found"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
python3 "$src/tests/replay_corpus.py" gen "$work" >/dev/null || { echo "corpus generation failed"; exit 1; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# same WHAT ARGS...: the report with one reader and with eight, on parts of ~1000 bytes
same() {
  local what=$1; shift
  "$bin" replay -j1 "$@" <stdin.log >one.out 2>one.err; local r1=$?
  SCW_REPLAY_PART_MIN=1000 "$bin" replay -j8 "$@" <stdin.log >eight.out 2>eight.err; local r8=$?
  if [ "$r1" -ne "$r8" ]; then fail "$what: exit $r1 with -j1, $r8 with -j8"; return; fi
  if ! cmp -s one.out eight.out; then
    fail "$what: reports differ"; diff one.out eight.out | head -8; return
  fi
  cmp -s one.err eight.err || { fail "$what: messages differ"; diff one.err eight.err | head -4; return; }
  pass "$what ($(wc -c <one.out) bytes, exit $r1)"
}

inputs=(audit.log audit.log.1.gz kern.log.2.gz dmesg.txt - journal.txt kmsg.txt)
same "JSON report of the whole corpus" --format json "${inputs[@]}"
same "text report of the whole corpus" "${inputs[@]}"
same "JSON with --rules" --format json --rules "$src/rules/default.yaml" "${inputs[@]}"
for m in 50 500 800; do
  same "--max-entries $m" --format json --max-entries "$m" audit.log dmesg.txt journal.txt kmsg.txt
done
same "--max-workloads 3" --format json --max-workloads 3 audit.log dmesg.txt

# malformed lines found by later parts are named by their line in the whole file
SCW_REPLAY_PART_MIN=1000 "$bin" replay -j8 --format json audit.log >parts.json 2>/dev/null
python3 - parts.json audit.log <<'PY' || fail "malformed lines of later parts keep their file line numbers"
import json, sys
doc = json.load(open(sys.argv[1]))
where = doc["input"]["malformed_lines"]
lines = open(sys.argv[2], "rb").read().split(b"\n")
assert where, doc["input"]
for w in where:
    n = int(w.rsplit(":", 1)[1])
    line = lines[n - 1]
    assert b"SECCOMP" in line or b"1326" in line, (w, line[:80])
print("malformed lines:", ", ".join(where))
PY

# usage
"$bin" replay -j0 audit.log >/dev/null 2>err; rc=$?
[ "$rc" -eq 2 ] && grep -q -- "--jobs needs a number from 1 to 64" err && pass "-j0 is a usage error" || fail "-j0: exit $rc, $(cat err)"

[ "$failures" -eq 0 ] && echo "e2e_replay_parallel: ok" || { echo "e2e_replay_parallel: $failures failed"; exit 1; }
