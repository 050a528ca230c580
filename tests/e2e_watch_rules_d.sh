#!/usr/bin/env bash
# e2e_watch_rules_d: `watch` loads the same layered rule set as suggest, with or without
# --rules: the shipped rules, then rules.d (--rules-d DIR, else $SCMPWATCH_RULES_D), then
# --rules; --no-default-rules leaves out the first two. Its ignore lists drop events before
# counting; the startup log lists the files; SIGHUP reloads every layer (a file added to
# rules.d counts), and a reload that fails keeps the set in force and says file:line:column;
# a broken rules.d file stops the start with file:line:column. Records are synthetic (pid=0,
# followed files and stdin, no kernel events), grouped by their own executables.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
tmp=$(mktemp -d)
trap '[ -n "${watch_pid:-}" ] && kill -9 "$watch_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
tag=$(random_id | cut -c1-12)
keep="/opt/rd-keep-$tag" drop="/opt/rd-drop-$tag"
serial=100
rec() { # rec EXE SYSCALL_NR COUNT FILE
  for _ in $(seq 1 "$3"); do
    serial=$((serial + 1))
    echo "type=SECCOMP msg=audit(1795875804.$((serial % 1000)):$serial): auid=0 uid=0 gid=0 ses=1 pid=0 comm=\"r\" exe=\"$1\" sig=0 arch=c000003e syscall=$2 compat=0 ip=0x1 code=0x7ffc0000" >>"$4"
  done
}
# counts STATE PYTHON-DICT: the events per executable (this test's only) are exactly these
counts() {
  "$SCMPWATCH" suggest --no-default-rules --state "$1" --format json >"$tmp/r.json"
  python3 - "$tmp/r.json" "$tag" "$2" <<'PY' || fail "counts in $1"
import json, sys
doc = json.load(open(sys.argv[1]))
got = {w["key"][len("exe:/opt/rd-"):-len(sys.argv[2]) - 1]: {s["name"]: s["count"] for s in w["syscalls"]}
       for w in doc["workloads"] if w["key"].startswith("exe:/opt/rd-") and w["key"].endswith(sys.argv[2])}
want = eval(sys.argv[3])
assert got == want, (got, want)
PY
}
shipped="$SCW_SOURCE_DIR/rules/default.yaml, $SCW_SOURCE_DIR/rules/cve.yaml"

# the shipped rules ignore nothing: counts are those of --no-default-rules
grep -A4 '^ignore:' "$SCW_SOURCE_DIR/rules/default.yaml" | grep -q '\[\]' || fail "default.yaml ignores something: live counts change"
if grep -q '^ignore:' "$SCW_SOURCE_DIR/rules/cve.yaml"; then fail "cve.yaml has an ignore section"; fi

mkdir "$tmp/rules.d"
printf 'version: 1\nignore:\n  executables: ["%s"]\n' "$drop" >"$tmp/rules.d/10-site.yaml"

# --- 1. rules.d without --rules, followed live; SIGHUP reloads every layer -----------------
log=$tmp/audit.log; : >"$log"
start_watch --source "follow:$log" --state "$tmp/s1.json" --no-proc-events --interval 1 \
  --rules-d "$tmp/rules.d"
grep -qF "rules: 3 rule files: $shipped, $tmp/rules.d/10-site.yaml" "$tmp/watch.log" ||
  fail "the startup log does not list the rule files"
rec "$drop" 90 4 "$log"; rec "$keep" 90 3 "$log"; rec "$keep" 133 2 "$log"
sleep 0.8
# a file added to rules.d is loaded by the reload
printf 'version: 1\nignore:\n  syscalls: [mknod]\n' >"$tmp/rules.d/20-more.yaml"
kill -HUP "$watch_pid"
sleep 0.5
grep -qF "rules reloaded: 4 rule files: $shipped, $tmp/rules.d/10-site.yaml, $tmp/rules.d/20-more.yaml" \
  "$tmp/watch.log" || fail "the reload does not list rules.d's new file"
rec "$keep" 133 5 "$log"; rec "$keep" 90 1 "$log"; rec "$drop" 133 1 "$log"
sleep 0.8
# a broken rules.d file: the reload fails with file:line:column, the set in force stays
printf 'version: 1\nignore:\n  executables: [unclosed\n' >"$tmp/rules.d/30-broken.yaml"
kill -HUP "$watch_pid"
sleep 0.5
grep -qE "rule reload failed, the rules loaded before stay in force: $tmp/rules.d/30-broken.yaml:[0-9]+:[0-9]+: " \
  "$tmp/watch.log" || fail "no file:line:column for the failed reload"
rec "$drop" 90 6 "$log"; rec "$keep" 133 7 "$log"; rec "$keep" 90 2 "$log"
sleep 0.8
stop_watch TERM || fail "watcher exit status"
counts "$tmp/s1.json" "{'keep': {'chmod': 6, 'mknod': 2}}"
rm "$tmp/rules.d/20-more.yaml" "$tmp/rules.d/30-broken.yaml"

# --- 2. $SCMPWATCH_RULES_D names rules.d when --rules-d does not ----------------------------
in=$tmp/in.log; : >"$in"
rec "$drop" 90 2 "$in"; rec "$keep" 90 3 "$in"
SCMPWATCH_RULES_D=$tmp/rules.d "$SCMPWATCH" watch --source - --state "$tmp/s2.json" \
  --no-proc-events <"$in" 2>>"$tmp/watch.log" || fail "watch with \$SCMPWATCH_RULES_D"
counts "$tmp/s2.json" "{'keep': {'chmod': 3}}"

# --- 3. --no-default-rules: neither the shipped rules nor rules.d; --rules still adds -------
"$SCMPWATCH" watch --source - --state "$tmp/s3.json" --no-proc-events --rules-d "$tmp/rules.d" \
  --no-default-rules <"$in" 2>"$tmp/w3.log" || fail "watch --no-default-rules"
grep -qF "rules: 0 rule files (nothing is ignored)" "$tmp/w3.log" || fail "no-default-rules log: $(cat "$tmp/w3.log")"
counts "$tmp/s3.json" "{'keep': {'chmod': 3}, 'drop': {'chmod': 2}}"
printf 'version: 1\nignore:\n  executables: ["%s"]\n' "$keep" >"$tmp/own.yaml"
"$SCMPWATCH" watch --source - --state "$tmp/s4.json" --no-proc-events --rules-d "$tmp/rules.d" \
  --no-default-rules --rules "$tmp/own.yaml" <"$in" 2>"$tmp/w4.log" || fail "watch --no-default-rules --rules"
grep -qF "rules: 1 rule file: $tmp/own.yaml" "$tmp/w4.log" || fail "--rules log: $(cat "$tmp/w4.log")"
counts "$tmp/s4.json" "{'drop': {'chmod': 2}}"
# and without it, --rules adds to rules.d (both ignores apply)
"$SCMPWATCH" watch --source - --state "$tmp/s5.json" --no-proc-events --rules-d "$tmp/rules.d" \
  --rules "$tmp/own.yaml" <"$in" 2>"$tmp/w5.log" || fail "watch --rules with rules.d"
counts "$tmp/s5.json" "{}"

# --- 4. a broken rules.d file: watch does not start, and says file:line:column --------------
printf 'version: 1\nignore:\n  comms: [a, b\n' >"$tmp/rules.d/05-broken.yaml"
rc=0
"$SCMPWATCH" watch --source - --state "$tmp/s6.json" --no-proc-events --rules-d "$tmp/rules.d" \
  --ready-file "$tmp/ready6" <"$in" 2>"$tmp/w6.log" || rc=$?
[ "$rc" -eq 1 ] || fail "a broken rules.d file: exit $rc, expected 1 ($(cat "$tmp/w6.log"))"
grep -qE "^scmpwatch: error: $tmp/rules.d/05-broken.yaml:[0-9]+:[0-9]+: " "$tmp/w6.log" ||
  fail "no file:line:column: $(cat "$tmp/w6.log")"
[ ! -e "$tmp/ready6" ] && [ ! -e "$tmp/s6.json" ] || fail "watch started with a broken rules.d file"
# --no-default-rules leaves the broken directory out
"$SCMPWATCH" watch --source - --state "$tmp/s7.json" --no-proc-events --rules-d "$tmp/rules.d" \
  --no-default-rules <"$in" 2>"$tmp/w7.log" || fail "--no-default-rules still reads rules.d"
rc=0
"$SCMPWATCH" watch --rules-d "" --source - </dev/null 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "--rules-d '': exit $rc, expected 2"
watch_pid=
echo "e2e_watch_rules_d: ok"
