#!/usr/bin/env bash
# e2e_review_tmux: `scmpwatch review` under a real terminal (tmux): keys without Enter, a typed
# reason, the walking order (review, then deny, then allow; most events first), the evidence
# on screen (escape sequences of a container name shown escaped), wrapping at the terminal's
# width, the profile diff with the decisions so far, skip, undo, quit-and-save, the decisions
# file written; then a second run shows only what is still open, Ctrl-C saves nothing and
# leaves the terminal as it was, NO_COLOR is honoured, and the end of a piped input saves.
# Skips (77) when tmux is not installed (packaging/install-deps.sh test installs it).
set -uo pipefail
bin=${SCMPWATCH:?SCMPWATCH must name the binary}
src=${SCW_SOURCE_DIR:?SCW_SOURCE_DIR must name the source tree}
command -v tmux >/dev/null || { echo "e2e_review_tmux: SKIP: tmux is not installed"; exit 77; }
tmp=$(mktemp -d)
runs=0 sock=
trap 'for s in "$tmp"/tmux.*.sock; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$tmp"' EXIT
export SCMPWATCH_RULES_DIR="$src/rules" SCMPWATCH_RULES_D="$tmp/rules.d"
fails=0 passes=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
pass() { passes=$((passes + 1)); }
cd "$tmp" || exit 1

# The state: two replicas of one image (profile group "api"), see e2e_decide.sh.
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
   "entries":[$(entry 272 1 7 /srv/api),$(entry 275 2 8 /srv/api),$(entry 90 3 8 /srv/api),
              $(entry 101 2 9 /srv/api)]},
  {"key":"docker:$a2","container":{"runtime":"docker","id":"$a2","name":"api-2\u001b[31m",
    "image":"registry.example/api:1.4","cgroup":"/docker/$a2","profile_path":"$tmp/api.json"},
   "entries":[$(entry 275 2 11 /srv/api),$(entry 90 2 12 /srv/api),$(entry 165 2 12 /srv/api),
              $(entry 101 2 13 /srv/api)]}]}
JSON
cat >accept.yaml <<'EOF'
version: 1
rules:
  - {name: sandbox-unshare, syscalls: [unshare], decision: allow, reason: the sandbox needs it}
  - {name: no-ptrace, syscalls: [ptrace], decision: deny, reason: never in production}
EOF
f=rules.d/50-decisions.yaml
review="$bin review --state $tmp/state.json --rules $tmp/accept.yaml --kernel 6.10.0"

# start CMD...: a fresh 90x40 terminal (its own tmux server: a server being killed cannot take
# the next session) running CMD, then its exit status and terminal modes
start() {
  [ -n "$sock" ] && tmux -S "$sock" kill-server 2>/dev/null
  runs=$((runs + 1))
  sock=$tmp/tmux.$runs.sock
  tmux -S "$sock" new-session -d -x 90 -y 40 -s rv \
    "cd $tmp && env USER=tester $*; echo EXIT=\$?; stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' '; echo; sleep 600"
}
screen() { tmux -S "$sock" capture-pane -p -J -S - -t rv 2>/dev/null; }
keys() { tmux -S "$sock" send-keys -t rv "$@"; }
# wait_for TEXT: until the terminal shows TEXT (10 s)
wait_for() {
  for _ in $(seq 200); do
    screen | grep -qF -- "$1" && return 0
    sleep 0.05
  done
  fail "the terminal never showed: $1"; screen | tail -15 | sed 's/^/  | /'
  return 1
}
prompt="(a)llow (d)eny (i)gnore (s)kip (v)iew diff (u)ndo (q)uit and save [?]:"

# --- first run: decide two, skip one, undo one -----------------------------------------------
start env NO_COLOR=1 "$review"
wait_for "$prompt"
wait_for "scmpwatch review: 5 open proposals in 1 profile group"
# the order: review (most events first), then deny, then allow
wait_for "[1/5] profile api: mount (x86_64): review"
wait_for "  containers:  docker api-2\\x1b[31m (a2a2a2a2a2a2)"
wait_for "  first seen:  2026-11-28 14:23:24.100 UTC, last 2026-11-28 14:23:30.900 UTC"
wait_for "  breaks:      enforcing the current profile refuses it"
# wrapped at the terminal's 90 columns (-J joins what tmux itself wrapped)
long=$(screen | awk 'length > 90' | head -3)
[ -z "$long" ] && pass || fail "lines wider than the terminal: $long"
screen | grep -qE '^ {15}[a-z]' && pass || fail "no continuation line under the values"
screen | grep -q $'\x1b' && fail "escape bytes on the screen with NO_COLOR" || pass
keys a
wait_for "allow mount; reason (Enter: none):"
keys "needed for the build" Enter
wait_for "[2/5] profile api: unshare (x86_64): review  [allow demoted: seen 1 time (minimum 3)]"
keys v
wait_for "profile api: current vs tuned, with this session's 1 decision"
# the diff has the decision so far: mount joins the allow entry
screen | sed -n '/current vs tuned/,$p' | grep -qE '^\+ +"mount",?$' && pass ||
  fail "the diff does not show mount allowed"
keys s
wait_for "[3/5] profile api: ptrace (x86_64): deny"
keys d
wait_for "deny ptrace; reason (Enter: none):"
keys Enter
wait_for "[4/5] profile api: chmod (x86_64): allow"
keys u
wait_for "undone: ptrace in profile api is open again"
[ "$(screen | grep -cF '[3/5] profile api: ptrace (x86_64): deny')" -ge 2 ] && pass ||
  fail "undo did not show ptrace again"
keys x
wait_for "unknown key 'x'; ? lists the keys"
keys i
wait_for "ignore ptrace; reason (Enter: none):"
keys "noise" Enter
wait_for "[4/5] profile api: chmod (x86_64): allow"
[ -e "$f" ] && fail "decisions written before q" || pass
keys q
wait_for "saved 2 decisions to $tmp/$f"
wait_for "EXIT=0"
wait_for "icanon echo"
python3 - "$f" <<'PY' && pass || fail "the decisions file"
import re, sys
text = open(sys.argv[1]).read()
entries = re.findall(r'  - group: "(.*)"\n    syscall: "(.*)"\n    decision: (\w+)\n    reason: "(.*)"\n    by: "(.*)"\n    at: "(.*)"\n', text)
assert [(g, s, d, r, b) for g, s, d, r, b, _ in entries] == [
    ("api", "mount", "allow", "needed for the build", "tester"),
    ("api", "ptrace", "ignore", "noise", "tester")], entries
assert "  # mount allow: tester, " in text and "(scmpwatch review)" in text, text
assert "\x1b" not in text
PY
"$bin" rules check --no-default-rules --strict --quiet "$f" && pass || fail "not a valid rule file"
cp "$f" saved.yaml

# --- second run: only what is still open; Ctrl-C saves nothing ------------------------------
start env NO_COLOR=1 "$review"
wait_for "scmpwatch review: 3 open proposals in 1 profile group"
wait_for "  2 decided before, 0 kept denied by vulnerability blocks"
wait_for "[1/3] profile api: unshare (x86_64): review"
screen | grep -q "profile api: mount" && fail "a decided syscall is shown again" || pass
keys a
wait_for "allow unshare; reason (Enter: none):"
keys C-c
wait_for "scmpwatch: error: review: interrupted; nothing was saved"
wait_for "EXIT=1"
wait_for "icanon echo"
cmp -s "$f" saved.yaml && pass || fail "Ctrl-C changed the decisions file"

# --- colour on a terminal without NO_COLOR; q without decisions changes nothing --------------
start env -u NO_COLOR TERM=xterm "$review"
wait_for "$prompt"
tmux -S "$sock" capture-pane -p -e -t rv | grep -qF $'\x1b[1m' && pass || fail "no colour on a terminal"
keys q
wait_for "nothing decided; $tmp/$f unchanged"
wait_for "EXIT=0"
cmp -s "$f" saved.yaml && pass || fail "q without decisions changed the file"

# --- without a terminal: one line per answer, the end of the input saves ---------------------
printf 'd\nno sandboxes here\n' | env NO_COLOR=1 USER=piped $review >piped.out 2>&1 && pass ||
  fail "piped review exit status"
grep -qF "saved 1 decision to $tmp/$f" piped.out && pass || { fail "EOF did not save"; cat piped.out; }
grep -A3 'syscall: "unshare"' "$f" | grep -qxF '    reason: "no sandboxes here"' && pass ||
  fail "piped decision not written"
grep -q $'\x1b' piped.out && fail "escape bytes without a terminal" || pass

echo "e2e_review_tmux: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
