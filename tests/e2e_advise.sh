#!/usr/bin/env bash
# e2e_advise: the proposals outputs of `scmpwatch replay --rules/--profile` and `scmpwatch
# suggest`, compared byte for byte with the golden files in tests/data/golden/advise-*:
# text (audit2why-like), JSON, the tuned profiles and their diffs, from saved logs (workloads
# are executables, --profile plus a selector's profile:) and from a watcher state file
# (three replicas whose runtime profiles are identical, a container without a profile, one
# whose profile file is gone). Then the error paths: invalid and conflicting profile JSON
# (file:line:column, exit 1, no output file created or replaced), usage errors.
#
# The inputs are tests/data/advise/ (audit.log and state.json were generated once by a small
# script and are kept as data). To regenerate the goldens after an intended output change:
#
#   SCW_REGEN_GOLDEN=1 SCMPWATCH=build/scmpwatch SCW_SOURCE_DIR=$PWD bash tests/e2e_advise.sh
#
# then review `git diff tests/data/golden/` before committing.
set -uo pipefail
bin=${SCMPWATCH:?SCMPWATCH must name the binary}
src=${SCW_SOURCE_DIR:?SCW_SOURCE_DIR must name the source tree}
golden=$src/tests/data/golden
regen=${SCW_REGEN_GOLDEN:-0}
export NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0

fail() { echo "FAIL $*"; fails=$((fails + 1)); }
pass() { passes=$((passes + 1)); }

# expect NAME WANT_RC CMD... : run CMD from the source tree; stdout in $tmp/out, stderr in $tmp/err
expect() {
  local name=$1 want=$2; shift 2
  local rc=0
  (cd "$src" && "$@") >"$tmp/out" 2>"$tmp/err" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, expected $want"; sed 's/^/  stderr: /' "$tmp/err"
    return 1
  fi
  pass
}

# golden NAME FILE: FILE must equal tests/data/golden/NAME byte for byte (the version string
# of JSON reports is normalised first)
golden() {
  local name=$1 file=$2
  sed -i -E '0,/^  "scmpwatch": "[^"]*",$/s//  "scmpwatch": "VERSION",/' "$file"
  if [ "$regen" = 1 ]; then
    cp "$file" "$golden/$name"; echo "regenerated $name"; pass; return
  fi
  if cmp -s "$file" "$golden/$name"; then
    pass
  else
    fail "$name differs from the golden file:"; diff -u "$golden/$name" "$file" | head -40
  fi
}

same_text() {
  if [ "$(cat "$2")" != "$3" ]; then
    fail "$1:"; echo "  got:  $(cat "$2")"; echo "  want: $3"
  else
    pass
  fi
}

# --no-default-rules: exactly these files (the shipped cve.yaml would add blocks that depend
# on the host kernel)
rules=(--no-default-rules --rules rules/default.yaml --rules tests/data/advise/overlay.yaml)
log=tests/data/advise/audit.log
state=tests/data/advise/state.json

# --- replay: two profile groups (web: --profile, three executables; batch: a selector's) ----
expect replay-text 0 "$bin" replay "${rules[@]}" --profile tests/data/advise/web.json "$log" &&
  golden advise-replay.txt "$tmp/out"
expect replay-json 0 "$bin" replay "${rules[@]}" --profile tests/data/advise/web.json \
  --format json "$log" && golden advise-replay.json "$tmp/out"
expect replay-diff 0 "$bin" replay "${rules[@]}" --profile tests/data/advise/web.json \
  --format diff "$log" && golden advise-replay.diff "$tmp/out"

# --output DIR: one tuned profile and one diff per group; nothing on standard output
expect replay-outdir 0 "$bin" replay "${rules[@]}" --profile tests/data/advise/web.json \
  --format profile --output "$tmp/tuned" "$log"
same_text replay-outdir-stdout "$tmp/out" ""
same_text replay-outdir-files <(cd "$tmp/tuned" && ls) "batch.diff
batch.json
web.diff
web.json"
for f in web.json web.diff batch.json batch.diff; do golden "advise-replay-$f" "$tmp/tuned/$f"; done
[ "$(stat -c %a "$tmp/tuned/web.json")" = 644 ] && pass || fail "tuned profile mode is not 644"
# the diff files are the same diffs --format diff prints
[ "$(cat "$tmp/tuned/web.diff" "$tmp/tuned/batch.diff")" = "$(cat "$golden/advise-replay.diff")" ] &&
  pass || fail "--output diffs differ from --format diff"

# text report to stdout and the profiles to an existing directory, in one run
mkdir "$tmp/both"
expect replay-text-and-dir 0 "$bin" replay "${rules[@]}" --profile tests/data/advise/web.json \
  --output "$tmp/both" "$log"
grep -qxF "    written to $tmp/both/web.json, diff $tmp/both/web.diff" "$tmp/out" && pass ||
  fail "text report does not say where the web profile went"
cmp -s "$tmp/both/web.json" "$tmp/tuned/web.json" && pass || fail "both/web.json differs"

# --output FILE: the report, written whole
expect replay-json-file 0 "$bin" replay "${rules[@]}" --profile tests/data/advise/web.json \
  --format json --output "$tmp/report.json" "$log"
golden advise-replay.json "$tmp/report.json"

# the tuned profile is a valid profile for the profile module (and libseccomp)
expect tuned-validates 0 "$bin" profile validate "$tmp/tuned/web.json"
expect tuned-oci-validates 0 "$bin" profile validate "$tmp/tuned/batch.json"

# without --rules or --profile, replay reports counts exactly as before (no proposals)
expect replay-plain 0 "$bin" replay --format json "$log"
grep -q '"proposals"' "$tmp/out" && fail "plain replay has proposals" || pass

# --- suggest from a state file: replicas with identical runtime profiles -------------------
expect suggest-text 0 "$bin" suggest --state "$state" --no-default-rules --rules rules/default.yaml &&
  golden advise-suggest.txt "$tmp/out"
same_text suggest-gone-warning "$tmp/err" "scmpwatch: warning: the profile of a container, 'tests/data/advise/run/removed/config.json', is gone (container removed?); its syscalls are proposed without it"
expect suggest-json 0 "$bin" suggest --state "$state" --no-default-rules --rules rules/default.yaml --format json &&
  golden advise-suggest.json "$tmp/out"
expect suggest-profile 0 "$bin" suggest --state "$state" --no-default-rules --rules rules/default.yaml \
  --format profile && golden advise-suggest-api.json "$tmp/out"
expect suggest-diff 0 "$bin" suggest --state "$state" --no-default-rules --rules rules/default.yaml \
  --format diff && golden advise-suggest-api.diff "$tmp/out"
# the shipped rules are the default ($SCMPWATCH_RULES_DIR points at the source tree)
expect suggest-default-rules 0 env SCMPWATCH_RULES_DIR="$src/rules" "$bin" suggest \
  --state "$state" --format profile
cmp -s "$tmp/out" "$golden/advise-suggest-api.json" && pass || fail "default rules differ"

# --- errors: nothing written, exit 1, file:line:column ----------------------------------
printf '{"defaultAction": "SCMP_ACT_LOG",\n "syscalls": [ {"names": ["read"] "action": "x"} ]}\n' \
  >"$tmp/bad.json"
echo "old report" >"$tmp/keep.json"
expect bad-json 1 "$bin" replay "${rules[@]}" --profile "$tmp/bad.json" --format json \
  --output "$tmp/keep.json" "$log"
same_text bad-json-message "$tmp/err" "$tmp/bad.json:2:42: error: invalid JSON: '}' expected near '\"action\"'
scmpwatch: error: replay: profile '$tmp/bad.json' is not usable; nothing was written"
same_text bad-json-untouched "$tmp/keep.json" "old report"
expect bad-json-dir 1 "$bin" replay "${rules[@]}" --profile "$tmp/bad.json" --output "$tmp/new/" "$log"
[ ! -e "$tmp/new" ] && pass || fail "output directory created for an invalid profile"

printf '{"defaultAction": "SCMP_ACT_LOG",\n "architectures": ["SCMP_ARCH_X86_64"],\n "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": []}],\n "syscalls": []}\n' \
  >"$tmp/conflict.json"
mkdir "$tmp/empty"
expect conflicting 1 "$bin" suggest --state "$state" --no-default-rules --rules rules/default.yaml \
  --profile "$tmp/conflict.json" --output "$tmp/empty"
same_text conflicting-message "$tmp/err" "$tmp/conflict.json:3:13: error: both 'architectures' and 'archMap' are given (Docker refuses the profile); keep one [at archMap]
scmpwatch: error: suggest: profile '$tmp/conflict.json' has errors (a runtime would refuse it); fix them first ('scmpwatch profile validate' lists them); nothing was written"
same_text conflicting-nothing-written <(ls -A "$tmp/empty") ""

# an invalid selector profile is found after the input was read: still nothing written
sed 's/batch-config.json/missing.json/' "$src/tests/data/advise/overlay.yaml" >"$tmp/overlay.yaml"
expect selector-missing 1 "$bin" replay --no-default-rules --rules rules/default.yaml --rules "$tmp/overlay.yaml" \
  --output "$tmp/empty" "$log"
same_text selector-missing-nothing-written <(ls -A "$tmp/empty") ""
grep -qF "$tmp/missing.json: error: cannot open '$tmp/missing.json': No such file or directory" \
  "$tmp/err" && pass || { fail "selector-missing message"; cat "$tmp/err"; }

expect missing-state 1 "$bin" suggest --state "$tmp/none.json" --rules rules/default.yaml
expect missing-rules 1 env SCMPWATCH_RULES_DIR="$tmp/none" "$bin" suggest --state "$state"

# --- usage errors ------------------------------------------------------------------------
expect several-profiles 2 "$bin" replay "${rules[@]}" --profile tests/data/advise/web.json \
  --format profile "$log"
same_text several-profiles-message "$tmp/err" "scmpwatch replay: --format profile concerns 2 profiles (web, batch); give --output DIR to write one file per profile
Try 'scmpwatch replay --help'."
expect no-profile 1 "$bin" replay --no-default-rules --rules rules/default.yaml --format profile "$log"
same_text no-profile-message "$tmp/err" "scmpwatch: error: replay: no workload has a known profile, so there is nothing to tune (give --profile FILE, or a selector with profile: in the rules)"
expect bad-format 2 "$bin" suggest --state "$state" --format yaml
expect extra-arg 2 "$bin" suggest --state "$state" stray
expect suggest-help 0 "$bin" suggest --help
grep -q -- "--format FORMAT" "$tmp/out" && pass || fail "suggest --help lacks --format"

# A labels: selector and containers whose runtime gave no labels: said once, not silently
# unmatched (text and JSON); without such a selector, nothing is said.
cat >"$tmp/labels.yaml" <<'YAML'
version: 1
containers:
  payments:
    labels:
      team: payments
rules:
  - name: payments-review
    containers: [payments]
    syscalls: [chmod]
    decision: review
    reason: the payments team reviews its own
YAML
"$bin" suggest --state "$src/$state" --rules "$tmp/labels.yaml" >"$tmp/out" 2>"$tmp/err"
grep -q "note: selector 'payments' matches on labels, but the runtime of [0-9]* containers\{0,1\} gave no labels" "$tmp/out" &&
  pass || fail "labels note missing: $(grep -n note "$tmp/out") $(head -3 "$tmp/err")"
"$bin" suggest --state "$src/$state" --rules "$tmp/labels.yaml" --format json 2>/dev/null |
  python3 -c 'import json,sys; u=json.load(sys.stdin)["rules"]["labels_unknown"]; sys.exit(not (u["selector"] == "payments" and u["containers"] > 0))' &&
  pass || fail "rules.labels_unknown missing in JSON"
"$bin" suggest --state "$src/$state" >"$tmp/out" 2>/dev/null
grep -q "matches on labels" "$tmp/out" && fail "labels note without a labels selector" || pass

echo "e2e_advise: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
