#!/usr/bin/env bash
# e2e_watch_follow: `watch --source follow:FILE` behaves like tail -F: starts at the end,
# follows appends, survives rotation (rename + new file) and truncation, and counts every
# record exactly once. Also `--source -` (a pipe) and the --events JSON lines. Records are
# synthetic (pid=0: nothing to attribute), so they are grouped by their unique executable.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
tmp=$(mktemp -d)
trap '[ -n "${watch_pid:-}" ] && kill -9 "$watch_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
tag=$(random_id | cut -c1-12)
exe="/opt/follow-$tag"
serial=100
rec() { # rec SYSCALL_NR COUNT FILE
  for _ in $(seq 1 "$2"); do
    serial=$((serial + 1))
    echo "type=SECCOMP msg=audit(1795875804.$((serial % 1000)):$serial): auid=0 uid=0 gid=0 ses=1 pid=0 comm=\"f\" exe=\"$exe\" sig=0 arch=c000003e syscall=$1 compat=0 ip=0x1 code=0x7ffc0000" >>"$3"
  done
}
log=$tmp/audit.log
rec 90 10 "$log"   # before the watcher starts: not counted (starts at the end)
start_watch --source "follow:$log" --state "$tmp/state.json" --no-proc-events --interval 1 \
  --events "$tmp/events.jsonl"
rec 90 50 "$log"
echo "type=SYSCALL msg=audit(1795875804.100:99): arch=c000003e syscall=90 success=no" >>"$log"
sleep 0.6
mv "$log" "$log.1"
rec 90 5 "$log.1"         # the writer still has the old file open
sleep 0.6
rec 133 20 "$log"          # the new file
sleep 0.6
: >"$log"                  # copytruncate
rec 133 7 "$log"
sleep 0.8
stop_watch TERM || fail "watcher exit status"
"$SCMPWATCH" suggest --state "$tmp/state.json" --format json >"$tmp/r.json"
python3 - "$tmp/r.json" "$exe" <<'PY' || fail "follow counts"
import json, sys
doc = json.load(open(sys.argv[1]))
ws = [w for w in doc["workloads"] if w["key"] == "exe:" + sys.argv[2]]
assert len(ws) == 1, ws
c = {s["name"]: s["count"] for s in ws[0]["syscalls"]}
assert c == {"chmod": 55, "mknod": 27}, c
assert doc["input"]["other"] == 1, doc["input"]
assert doc["input"]["unattributed"] == 82, doc["input"]
PY
# events: one first_seen per (workload, syscall, action), a summary at least at the end
[ "$(grep -c '"event":"first_seen"' "$tmp/events.jsonl")" -eq 2 ] || fail "first_seen lines: $(cat "$tmp/events.jsonl")"
grep -q '"event":"summary"' "$tmp/events.jsonl" || fail "no summary line"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/events.jsonl" || fail "events not JSON lines"

# stdin: the watcher ends when its only source ends, with a final snapshot
: >"$tmp/in.log"; rec 90 12 "$tmp/in.log"; printf 'garbage\0line\n' >>"$tmp/in.log"
"$SCMPWATCH" watch --source - --state "$tmp/s2.json" --no-proc-events --events-all \
  --events "$tmp/all.jsonl" <"$tmp/in.log" 2>>"$tmp/watch.log" || fail "stdin watch failed"
"$SCMPWATCH" suggest --state "$tmp/s2.json" --format json >"$tmp/r2.json"
python3 - "$tmp/r2.json" <<'PY' || fail "stdin counts"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["input"]["seccomp"] == 12 and doc["input"]["other"] == 1, doc["input"]
PY
[ "$(grep -c '"event":"record"' "$tmp/all.jsonl")" -eq 12 ] || fail "--events-all lines"

# rule ignores apply while reading; SIGHUP with a broken rule file keeps the rules in force
printf 'version: 1\nignore:\n  executables: ["/opt/ignored-%s"]\n' "$tag" >"$tmp/rules.yaml"
log2=$tmp/audit2.log; : >"$log2"
start_watch --source "follow:$log2" --state "$tmp/s3.json" --no-proc-events --interval 1 \
  --rules "$tmp/rules.yaml"
exe_keep=$exe; exe="/opt/ignored-$tag"; rec 90 4 "$log2"; exe=$exe_keep; rec 90 3 "$log2"
sleep 0.6
printf 'version: 1\nignore:\n  executables: [unclosed\n' >"$tmp/rules.yaml"
kill -HUP "$watch_pid"
sleep 0.4
exe="/opt/ignored-$tag"; rec 90 5 "$log2"; exe=$exe_keep
sleep 0.6
stop_watch TERM || fail "watcher exit status after SIGHUP"
grep -q "rule reload failed, the rules loaded before stay in force: .*rules.yaml:" "$tmp/watch.log" \
  || fail "no reload error in the log"
"$SCMPWATCH" suggest --state "$tmp/s3.json" --format json >"$tmp/r3.json"
python3 - "$tmp/r3.json" "$tag" <<'PY' || fail "ignore/reload counts"
import json, sys
doc = json.load(open(sys.argv[1]))
keys = {w["key"]: w["events"] for w in doc["workloads"]}
assert keys.get("exe:/opt/follow-" + sys.argv[2]) == 3, keys
assert not any("ignored-" + sys.argv[2] in k for k in keys), keys
assert doc["input"]["seccomp"] == 12, doc["input"]
PY

# a state file from a future version: moved aside with a message, the watcher runs on
echo '{"format":"scmpwatch-state","version":99,"workloads":[]}' >"$tmp/s4.json"
: >"$tmp/in2.log"; rec 90 2 "$tmp/in2.log"
"$SCMPWATCH" watch --source - --state "$tmp/s4.json" --no-proc-events <"$tmp/in2.log" \
  2>"$tmp/w4.log" || fail "watch with a future state file failed: $(cat "$tmp/w4.log")"
grep -q "cannot use the state file (.*version 99" "$tmp/w4.log" || fail "no message: $(cat "$tmp/w4.log")"
ls "$tmp"/s4.json.corrupt-* >/dev/null || fail "future state not kept aside"
"$SCMPWATCH" suggest --state "$tmp/s4.json" --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["input"]["seccomp"]==2, d["input"]' || fail "counts after fresh start"
# an input that is already over when the watcher starts (it used to wait forever)
: >"$tmp/empty.log"
timeout 30 "$SCMPWATCH" watch --source - --state "$tmp/s5.json" --no-proc-events <"$tmp/empty.log" \
  2>"$tmp/w5.log" || fail "watch on an empty stdin: exit $? ($(cat "$tmp/w5.log"))"
"$SCMPWATCH" suggest --state "$tmp/s5.json" --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["input"]["seccomp"]==0, d["input"]' || fail "state after an empty stdin"
watch_pid=
echo "e2e_watch_follow: ok"
