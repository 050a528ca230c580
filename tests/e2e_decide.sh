#!/usr/bin/env bash
# e2e_decide: `scmpwatch decide` and the layered rules, through `scmpwatch suggest --format
# json`: a synthetic state (two replicas of one image, one profile group "api"; a container name
# with an escape sequence, an executable with a newline) as a watcher would have saved it.
#   - layering: the shipped rules, rules.d, then --rules (which adds, never replaces); the
#     report lists every file; --no-default-rules, --rules-d; replay and vulns too;
#   - a decision outranks a rule's allow demoted by thresholds, and a rule's deny; a
#     vulnerability block outranks the decision, and the report says so; a later decision
#     replaces an earlier one; other decisions are kept; two files deciding the same syscall:
#     the later wins, `rules check` warns;
#   - the decisions file: who, when, reason, evidence in comments, nothing unescaped;
#   - a hand-broken decisions file: decide and review refuse with file:line:column and change
#     nothing; usage errors.
set -uo pipefail
bin=${SCMPWATCH:?SCMPWATCH must name the binary}
src=${SCW_SOURCE_DIR:?SCW_SOURCE_DIR must name the source tree}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1 SCMPWATCH_RULES_DIR="$src/rules" SCMPWATCH_RULES_D="$tmp/rules.d" USER=tester
unset SUDO_USER
fails=0 passes=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
pass() { passes=$((passes + 1)); }
cd "$tmp" || exit 1

# expect NAME WANT_RC CMD...: stdout in out, stderr in err
expect() {
  local name=$1 want=$2; shift 2
  local rc=0
  "$@" >out 2>err || rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, expected $want"; sed 's/^/  stderr: /' err
    return 1
  fi
  pass
}
# jcheck NAME PYTHON-EXPR: the expression holds for d (the JSON in out) and p(SYSCALL)
jcheck() {
  if python3 - "$2" <<'PY'; then pass; else fail "$1"; fi
import json, sys
d = json.load(open("out"))
def p(name):
    ps = [x for x in d["profiles"][0]["proposals"] if x["syscall"] == name]
    assert len(ps) == 1, ps
    return ps[0]
ok = eval(sys.argv[1])
if not ok:
    print("  assertion:", sys.argv[1], file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

cp "$src/tests/data/advise/web.json" api.json
a1=$(printf 'a1%.0s' $(seq 32)) a2=$(printf 'a2%.0s' $(seq 32))
entry() { # NR COUNT PID EXE
  printf '{"arch":3221225534,"syscall":%s,"code":2147221504,"count":%s,"first":[1795875804,100],"last":[1795875810,900],"pids":[%s],"exes":["%s"]}' "$@"
}
cat >state.json <<JSON
{"format":"scmpwatch-state","version":1,"input":{"seccomp":21},
 "workloads":[
  {"key":"docker:$a1","container":{"runtime":"docker","id":"$a1","name":"api-1",
    "image":"registry.example/api:1.4","cgroup":"/docker/$a1","profile_path":"$tmp/api.json"},
   "entries":[$(entry 272 1 7 '/srv/api\nx'),$(entry 275 2 8 /srv/api),$(entry 90 3 8 /srv/api),
              $(entry 101 2 9 /srv/api)]},
  {"key":"docker:$a2","container":{"runtime":"docker","id":"$a2","name":"api-2\u001b[31m",
    "image":"registry.example/api:1.4","cgroup":"/docker/$a2","profile_path":"$tmp/api.json"},
   "entries":[$(entry 275 2 11 /srv/api),$(entry 90 2 12 /srv/api),$(entry 165 2 12 /srv/api),
              $(entry 101 2 13 /srv/api)]}]}
JSON
# the team's rules: unshare explicitly allowed (seen once: thresholds demote it), ptrace denied
cat >accept.yaml <<'EOF'
version: 1
rules:
  - {name: sandbox-unshare, syscalls: [unshare], decision: allow, reason: the sandbox needs it}
  - {name: no-ptrace, syscalls: [ptrace], decision: deny, reason: never in production}
EOF
sug=(suggest --state state.json --rules accept.yaml --kernel 6.10.0)
dec=(decide --state state.json --rules accept.yaml --group api)
shipped="\"$src/rules/default.yaml\", \"$src/rules/cve.yaml\""

# --- layering: --rules adds to the shipped rules (and rules.d) ---------------------------
expect suggest-before 0 "$bin" "${sug[@]}" -f json &&
  jcheck "--rules adds to the shipped rules" \
    "d['rules']['files'] == [$shipped, 'accept.yaml'] and d['profiles'][0]['name'] == 'api'" &&
  jcheck "threshold demotes the explicit allow" \
    "p('unshare')['decision'] == 'review' and p('unshare')['demoted'] and p('unshare')['open'] and p('unshare')['human_decision'] is None" &&
  jcheck "the shipped cve.yaml is loaded with --rules" "p('mount')['rule'] == 'mount'"
expect suggest-no-default 0 "$bin" "${sug[@]}" --no-default-rules -f json &&
  jcheck "--no-default-rules: only --rules" \
    "d['rules']['files'] == ['accept.yaml'] and p('mount')['rule'] == 'defaults'"
expect suggest-text-before 0 "$bin" "${sug[@]}"
grep -qF "  rules: $src/rules/default.yaml, $src/rules/cve.yaml, accept.yaml" out && pass ||
  fail "text heading does not list every rule file"
grep -qxF "  unshare (x86_64): review  [allow demoted: seen 1 time (minimum 3)]" out && pass ||
  fail "text: unshare not demoted before the decision"
# replay and vulns layer the same way
expect replay-layers 0 "$bin" replay --rules accept.yaml --profile api.json --kernel 6.10.0 \
  -f json "$src/tests/data/advise/audit.log" &&
  python3 -c "import json; f = json.load(open('out'))['rules']['files']; assert f == ['$src/rules/default.yaml', '$src/rules/cve.yaml', 'accept.yaml'], f" &&
  pass || fail "replay --rules replaces the shipped rules"
printf '{"SchemaVersion": 2, "ArtifactName": "x:1", "ArtifactType": "container_image", "Results": []}\n' >trivy.json
expect vulns-layers 0 "$bin" vulns -f json -k 6.10.0 --rules accept.yaml trivy.json
python3 -c "import json; assert json.load(open('out'))['cve_blocks'] == 8" 2>/dev/null && pass ||
  fail "vulns --rules replaces the shipped cve.yaml"

# --- decide: the decisions file ------------------------------------------------------------
expect decide-allow 0 "$bin" "${dec[@]}" --reason $'the sandbox helper\nneeds it' allow unshare
grep -qxF "unshare allow: decided in profile group api" out && pass || { fail "decide output"; cat out; }
f=rules.d/50-decisions.yaml
[ -f "$f" ] && pass || fail "no $f"
"$bin" rules check --no-default-rules --strict --quiet "$f" && pass || fail "the decisions file is not a valid rule file"
grep -qxF '  - group: "api"' "$f" && grep -qxF '    syscall: "unshare"' "$f" &&
  grep -qxF '    decision: allow' "$f" && grep -qxF '    by: "tester"' "$f" &&
  grep -qxF '    reason: "the sandbox helper\nneeds it"' "$f" && pass || { fail "decision entry"; cat "$f"; }
grep -qE '^    at: "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z"$' "$f" && pass ||
  fail "no UTC ISO 8601 time"
grep -qE '^  # unshare allow: tester, 20[0-9-]+T[0-9:]+Z \(scmpwatch decide\)$' "$f" &&
  grep -qxF '  # evidence (x86_64): 1 event by 1 process in 1 of 2 containers, first 2026-11-28T14:23:24Z, last 2026-11-28T14:23:30Z' "$f" &&
  grep -qxF '  #   the rules said: review (rule sandbox-unshare; allow demoted: seen 1 time (minimum 3))' "$f" &&
  grep -qxF '  #   executables: /srv/api\x0ax' "$f" &&
  grep -qxF '  #   seen in: docker api-1 (a1a1a1a1a1a1)' "$f" && pass || { fail "evidence comment"; cat "$f"; }

expect suggest-decided 0 "$bin" "${sug[@]}" -f json &&
  jcheck "the decisions file is listed, after rules.d's place, before --rules" \
    "d['rules']['files'] == [$shipped, '$tmp/$f', 'accept.yaml']" &&
  jcheck "a decision outranks thresholds" \
    "p('unshare')['decision'] == 'allow' and not p('unshare')['demoted'] and p('unshare')['rule'] == 'human-decision' and not p('unshare')['open']" &&
  jcheck "who and why" \
    "p('unshare')['human_decision']['by'] == 'tester' and p('unshare')['human_decision']['reason'] == 'the sandbox helper\nneeds it' and p('unshare')['human_decision']['defined_at'].startswith('$tmp/$f:')" &&
  jcheck "the tuned profile allows it" "'unshare' in d['profiles'][0]['tuned']['allow']" &&
  jcheck "the members' proposals too" \
    "[x['decision'] for w in d['workloads'] for x in w['proposals'] if x['syscall'] == 'unshare'] == ['allow']"
# re-running shows only what is still open
expect suggest-decided-text 0 "$bin" "${sug[@]}"
grep -qxF "  decided: unshare (x86_64) allow by tester" out && pass || fail "text lacks the decided line"
grep -q "^  unshare (x86_64):" out && fail "text still shows unshare as open" || pass

# a rule's deny is outranked; $SUDO_USER is who decided
expect decide-ptrace 0 env SUDO_USER=admin "$bin" "${dec[@]}" --reason "gdb in staging" allow ptrace
grep -A6 'syscall: "ptrace"' "$f" | grep -qxF '    by: "admin"' && pass || fail "SUDO_USER not used"
# a vulnerability block outranks a decision, and the report says so
expect decide-splice 0 "$bin" "${dec[@]}" --reason "zero-copy" allow splice
expect suggest-blocked 0 "$bin" "${sug[@]}" --kernel 5.16.0 -f json &&
  jcheck "a cve block outranks the decision, and says it overrode it" \
    "p('splice')['decision'] == 'deny' and p('splice')['blocked_by_vulnerability'] and p('splice')['block_overrode_human'] and p('splice')['human_decision']['decision'] == 'allow'" &&
  jcheck "a rule's deny is outranked" "p('ptrace')['decision'] == 'allow' and p('ptrace')['human_decision']['by'] == 'admin'" &&
  jcheck "not in the tuned allow list" "'splice' not in d['profiles'][0]['tuned']['allow']"
expect suggest-blocked-text 0 "$bin" "${sug[@]}" --kernel 5.16.0
tr -s ' \n' '  ' <out | grep -qF "decided: OVERRIDES the decision 'allow' by tester" && pass ||
  fail "text does not say the block overrode the decision"
expect suggest-unblocked 0 "$bin" "${sug[@]}" -f json &&
  jcheck "without the block the decision applies" "p('splice')['decision'] == 'allow' and not p('splice')['block_overrode_human']"

# a later decision for the same group and syscall replaces the earlier; the others are kept
sed -n '/syscall: "splice"/,$p' "$f" >splice.before
expect decide-again 0 "$bin" "${dec[@]}" --reason "changed our mind" deny unshare
[ "$(grep -c 'syscall: "unshare"' "$f")" = 1 ] && pass || fail "the earlier unshare decision was not replaced"
[ "$(grep -c '^  - group:' "$f")" = 3 ] && pass || fail "decisions lost"
grep -qF 'syscall: "splice"' "$f" && grep -qF 'syscall: "ptrace"' "$f" && pass || fail "other decisions lost"
grep -B7 'syscall: "splice"' "$f" | grep -qF '# splice allow: tester' && pass || fail "the splice comment was lost"
expect suggest-replaced 0 "$bin" "${sug[@]}" -f json &&
  jcheck "the later decision wins" "p('unshare')['decision'] == 'deny' and p('unshare')['human_decision']['reason'] == 'changed our mind'"

# decided ahead: a syscall the state has no event of
expect decide-ahead 0 "$bin" "${dec[@]}" --reason "later" deny kexec_load
grep -qxF "kexec_load deny: decided ahead (not logged yet) in profile group api" out && pass || fail "decide ahead"

# two files deciding the same syscall: the later (by name) wins, rules check warns
printf 'version: 1\ndecisions:\n  - {group: api, syscall: unshare, decision: ignore, reason: site says so}\n' \
  >rules.d/60-site.yaml
expect check-dup 0 "$bin" rules check
grep -qF "$tmp/rules.d/60-site.yaml:3:5: the decision for 'unshare' in group 'api' replaces the one at $tmp/$f:" err &&
  pass || { fail "rules check does not warn about the replaced decision"; cat err; }
expect check-dup-strict 1 "$bin" rules check --strict
expect suggest-dup 0 "$bin" "${sug[@]}" -f json &&
  jcheck "the later file wins" "p('unshare')['decision'] == 'ignore'"
rm rules.d/60-site.yaml

# --rules-d and --decisions name other places; tests never touch /etc
expect decide-elsewhere 0 "$bin" "${dec[@]}" --decisions "$tmp/other.yaml" --reason r allow mount
[ -f other.yaml ] && pass || fail "--decisions FILE not written"
expect suggest-other-d 0 "$bin" "${sug[@]}" --rules-d "$tmp/empty.d" -f json &&
  jcheck "--rules-d replaces rules.d" "d['rules']['files'] == [$shipped, 'accept.yaml'] and p('unshare')['human_decision'] is None"
expect suggest-other-file 0 "$bin" "${sug[@]}" --rules other.yaml -f json &&
  jcheck "a decisions file given with --rules" "p('mount')['decision'] == 'allow' and p('mount')['human_decision'] is not None"

# --- hostile names: escaped in the terminal and in the YAML ------------------------------
grep -q $'\x1b' "$f" other.yaml && fail "an escape byte reached a decisions file" || pass
expect decide-escape 0 "$bin" "${dec[@]}" --reason $'tab\there \x1b[2J "quoted"' deny chmod
grep -qxF '    reason: "tab\there \x1b[2J \"quoted\""' "$f" && pass || { fail "reason not escaped"; grep reason "$f"; }
grep -qF '#   seen in: docker api-1 (a1a1a1a1a1a1), docker api-2\x1b[31m (a2a2a2a2a2a2)' "$f" && pass ||
  fail "container name not escaped in the comment"
grep -q $'\x1b' "$f" && fail "an escape byte reached the decisions file" || pass
expect suggest-escape 0 "$bin" "${sug[@]}" -f json &&
  jcheck "the reason reads back as given" "p('chmod')['human_decision']['reason'] == 'tab\there \x1b[2J \"quoted\"'"
expect suggest-escape-text 0 "$bin" "${sug[@]}"
grep -q $'\x1b' out && fail "an escape byte reached the terminal" || pass

# --- a hand-broken decisions file: nothing starts, nothing changes -------------------------
cp "$f" good.yaml
printf '  - {group: api, syscall: read\n' >>"$f"
cp "$f" broken.yaml
lines=$(wc -l <"$f")
expect broken-decide 1 "$bin" "${dec[@]}" --reason r allow read
grep -qE "^scmpwatch: error: $tmp/$f:$((lines + 1)):1: YAML syntax error" err && pass ||
  { fail "decide does not name file:line:column"; cat err; }
cmp -s "$f" broken.yaml && pass || fail "decide changed the broken file"
expect broken-review 1 "$bin" review --state state.json </dev/null
grep -qE "^scmpwatch: error: $tmp/$f:[0-9]+:[0-9]+: " err && pass || { fail "review does not name file:line:column"; cat err; }
grep -q "scmpwatch review:" out && fail "review started" || pass
cmp -s "$f" broken.yaml && pass || fail "review changed the broken file"
# valid YAML, wrong schema: the same
cp good.yaml "$f"
sed -i 's/decision: deny/decision: nope/' "$f"
cp "$f" broken.yaml
expect schema-decide 1 "$bin" "${dec[@]}" --reason r allow read
grep -qE "^scmpwatch: error: $tmp/$f:[0-9]+:[0-9]+: unknown decision 'nope'" err && pass || { fail "schema error"; cat err; }
cmp -s "$f" broken.yaml && pass || fail "decide changed the invalid file"
cp good.yaml "$f"

# --- a fleet: the states of two nodes, merged exactly (as suggest merges them) -------------
# node-1 ran api-1, node-2 api-2: the same two containers as state.json, one per node
python3 - state.json <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for i, w in enumerate(doc["workloads"]):
    n = sum(e["count"] for e in w["entries"])
    w["node"] = 0
    c = {"lines": n, "seccomp": n, "lost": 0}
    json.dump({"format": "scmpwatch-state", "version": 2, "saved_at": 1795875900, "input": c,
               "nodes": [{"name": "node-%d" % (i + 1), "saved_at": 1795875900,
                          "observed": [1795875000, 1795875900], "input": c}],
               "workloads": [w]}, open("n%d.json" % (i + 1), "w"))
PY
mkdir -p nodes && cp n1.json n2.json nodes/
fdec=(decide --state n1.json --state n2.json --rules accept.yaml --group api --decisions fleet.yaml)
expect fleet-decide 0 "$bin" "${fdec[@]}" --reason "both nodes" allow splice mount
grep -qxF "splice allow: decided in profile group api" out && pass || { fail "fleet decide output"; cat out; }
# splice: 2 events on each node; mount: node-2's api-2 only
grep -qE '^  # evidence \(x86_64\): 4 events by 2 processes in 2 of 2 containers on 2 of 2 nodes, ' fleet.yaml &&
  grep -qE '^  # evidence \(x86_64\): 2 events by 1 process in 1 of 2 containers on 1 of 2 nodes, ' fleet.yaml &&
  grep -qxF '  #   seen in: docker api-1 (a1a1a1a1a1a1), docker api-2\x1b[31m (a2a2a2a2a2a2)' fleet.yaml &&
  pass || { fail "fleet evidence is not the merged view's"; cat fleet.yaml; }
# the same decision on the one state holding both containers writes the same evidence
expect fleet-decide-one 0 "$bin" decide --state state.json --rules accept.yaml --group api \
  --decisions one.yaml --reason "both nodes" allow splice mount
diff <(grep '^  #   \|^  # evidence' fleet.yaml | sed 's/ on [0-9] of [0-9] nodes,/,/') \
  <(grep '^  #   \|^  # evidence' one.yaml) >/dev/null && pass || { fail "merged evidence differs from one state's"; diff fleet.yaml one.yaml; }
# the decision counts of the merged view: suggest on the fleet with the decisions
expect fleet-suggest 0 "$bin" suggest --state nodes --rules accept.yaml --rules fleet.yaml \
  --kernel 6.10.0 -f json &&
  jcheck "the fleet's decisions apply to the merged proposals" \
    "p('splice')['decision'] == 'allow' and p('splice')['count'] == 4 and p('mount')['human_decision']['reason'] == 'both nodes' and sorted(d['profiles'][0]['nodes']) == ['node-1', 'node-2']"
# a directory and '-' work as for suggest
expect fleet-decide-dir 0 "$bin" decide --state nodes --rules accept.yaml --group api \
  --decisions dir.yaml --reason r deny chmod
grep -qE '^  # evidence \(x86_64\): 5 events by 2 processes in 2 of 2 containers on 2 of 2 nodes, ' dir.yaml && pass ||
  { fail "decide --state DIR evidence"; cat dir.yaml; }
expect fleet-decide-stdin 0 sh -c "cat n1.json n2.json | '$bin' decide --state - --rules accept.yaml --group api --decisions stdin.yaml --reason r deny chmod"
grep -qE '^  # evidence \(x86_64\): 5 events by 2 processes in 2 of 2 containers on 2 of 2 nodes, ' stdin.yaml && pass ||
  { fail "decide --state - evidence"; cat stdin.yaml; }
# one node's state unreadable: nothing decided on part of the fleet
cp fleet.yaml fleet.before
expect fleet-missing 1 "$bin" "${fdec[@]}" --state gone.json --reason r deny splice
grep -qF "gone.json" err && grep -qF "decide: 1 state could not be read" err && pass ||
  { fail "a missing node state is not named"; cat err; }
cmp -s fleet.yaml fleet.before && pass || fail "decide wrote with a node's state missing"
# review walks the merged proposals (q: quit and save nothing new)
expect fleet-review 0 sh -c "printf 'q\n' | '$bin' review --state n1.json --state n2.json --rules accept.yaml --decisions fleet.yaml --kernel 6.10.0"
expect one-review 0 sh -c "printf 'q\n' | '$bin' review --state state.json --rules accept.yaml --decisions fleet.yaml --kernel 6.10.0"
[ "$(grep -m1 '^scmpwatch review:' out)" != "" ] && pass || { fail "review heading"; cat out; }
one=$(grep -m1 '^scmpwatch review:' out)
"$bin" review --state n1.json --state n2.json --rules accept.yaml --decisions fleet.yaml \
  --kernel 6.10.0 <<<q >out 2>err
[ "$(grep -m1 '^scmpwatch review:' out)" = "$one" ] && pass ||
  fail "review of the fleet: '$(grep -m1 '^scmpwatch review:' out)', of one state: '$one'"
expect fleet-review-stdin 2 "$bin" review --state - --decisions fleet.yaml </dev/null

# --- usage and input errors ----------------------------------------------------------------
expect unknown-group 1 "$bin" decide --state state.json --group web --reason r allow read
grep -qF "no profile group 'web' in the state (its groups: api;" err && pass || { fail "unknown group message"; cat err; }
cmp -s "$f" good.yaml && pass || fail "an unknown group changed the file"
expect usage-review 2 "$bin" "${dec[@]}" --reason r review read
expect usage-no-reason 2 "$bin" "${dec[@]}" allow read
expect usage-no-group 2 "$bin" decide --state state.json --reason r allow read
expect usage-bad-syscall 2 "$bin" "${dec[@]}" --reason r allow "Read;rm"
expect usage-no-syscall 2 "$bin" "${dec[@]}" --reason r allow
expect missing-state 1 "$bin" decide --state none.json --group api --reason r allow read
cmp -s "$f" good.yaml && pass || fail "usage errors changed the file"
expect help 0 "$bin" decide --help
grep -qF -- "--reason TEXT" out && pass || fail "decide --help"

echo "e2e_decide: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
