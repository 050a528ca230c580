#!/usr/bin/env bash
# e2e_source_of_truth: proposals against the profile the team keeps in git, on real Docker
# containers and real profiles (moby's default.json, two versions, and Podman's: see
# tests/data/real/SOURCES). The team's git holds profiles/web.json (moby's newest, then a
# commit that allowed syslog after an earlier review) and api.json (Podman's); the compose
# service label names the group. web-1 runs the logified web.json, web-2 the logified first
# commit (a stale deploy: moby's two versions give the same filter on x86_64, measured), api-1
# the logified web.json (the wrong file). After a person allows unshare for web:
#   - the group is named web, proposed against profiles/web.json (not the runtime's copy);
#   - the tuned web.json is the team's file plus one entry: every archMap entry, conditional
#     entry, comment, the tabs and field order kept; the diff against the file in git is the
#     added lines and one line that gained a comma (git diff --numstat);
#   - the report says web-2 runs something else (STALE DEPLOY) and api-1 runs exactly what
#     web.json gives (WRONG FILE), in text and JSON; web-1 matches;
#   - --layout kubelet writes DIR/profiles/<group>.json; bad inputs are named, nothing written.
# Skips (77) when dockerd cannot be installed or started, saying why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
. "$here/lib/runtimes.sh"
name=e2e_source_of_truth
real=$here/data/real/profiles
tmp=$(mktemp -d)
cleanup() {
  local rc=$?
  rt_keep_on_failure "$rc" "$tmp" "$name"
  [ -n "${watch_pid:-}" ] && kill -9 "$watch_pid" 2>/dev/null || true
  for c in "${cs[@]:-}"; do [ -n "$c" ] && rt_docker rm -f "$c" >/dev/null 2>&1 || true; done
  rt_dockerd_stop
  rm -rf "$tmp"
}
trap cleanup EXIT
rt_need_packages
rt_dockerd_start "$name"
"$here/../packaging/install-deps.sh" e2e || rt_fail "cannot install git (packaging/install-deps.sh e2e)"

git=$tmp/git
mkdir -p "$git/profiles"
cp "$real/moby-profiles-default.json" "$git/profiles/web.json"
cp "$real/podman-containers-common-seccomp.json" "$git/profiles/api.json"
git -C "$git" init -q
git -C "$git" -c user.name=t -c user.email=t@example.org add profiles
git -C "$git" -c user.name=t -c user.email=t@example.org commit -q -m profiles
"$SCMPWATCH" profile logify -q "$git/profiles/web.json" -o "$tmp/old-staging.json" || fail "logify old"
# the second commit, by hand in the file's own layout: one entry allowing syslog
python3 - "$git/profiles/web.json" <<'PY' || fail "cannot edit web.json"
import sys
p = sys.argv[1]
t = open(p).read()
end = t.rindex("\n\t]")
t = (t[:end] + ',\n\t\t{\n\t\t\t"names": [\n\t\t\t\t"syslog"\n\t\t\t],\n'
     '\t\t\t"action": "SCMP_ACT_ALLOW",\n\t\t\t"comment": "T-0: reviewed"\n\t\t}' + t[end:])
open(p, "w").write(t)
PY
git -C "$git" -c user.name=t -c user.email=t@example.org commit -q -am "web: allow syslog"
"$SCMPWATCH" profile logify -q "$git/profiles/web.json" -o "$tmp/web-staging.json" || fail "logify web"
state=$tmp/state.json
start_watch --state "$state" --interval 1 "${rt_watch_roots[@]}"
sfx=$$
cs=("sot-web-1-$sfx" "sot-web-2-$sfx" "sot-api-1-$sfx")
run() { # name, compose service, profile
  rt_docker run -d --name "$1" --network none --label "com.docker.compose.service=$2" \
    --security-opt "seccomp=$3" "$rt_image" /app.sh --serve >/dev/null || fail "docker run $1"
}
run "${cs[0]}" web "$tmp/web-staging.json"
run "${cs[1]}" web "$tmp/old-staging.json"
run "${cs[2]}" api "$tmp/web-staging.json"
for c in "${cs[@]}"; do
  for _ in $(seq 1 100); do
    rt_docker logs "$c" 2>/dev/null | grep -qx 'app: done' && break
    sleep 0.1
  done
  rt_docker logs "$c" 2>/dev/null | grep -qx 'app: done' || fail "$c did not finish: $(rt_docker logs "$c" 2>&1)"
done
sleep 1.5
stop_watch TERM || fail "watcher exit status $? on SIGTERM"
watch_pid=

# only our containers: a state of their workloads alone (tests run in parallel)
ids=()
for c in "${cs[@]}"; do ids+=("$(rt_docker inspect -f '{{.Id}}' "$c")"); done
python3 - "$state" "$tmp/mine.json" "${ids[@]}" <<'PY' || fail "cannot pick our workloads"
import json, sys
doc = json.load(open(sys.argv[1]))
keep = {"docker:" + i for i in sys.argv[3:]}
doc["workloads"] = [w for w in doc["workloads"] if w["key"] in keep]
assert len(doc["workloads"]) == 3, [w["key"] for w in doc["workloads"]]
json.dump(doc, open(sys.argv[2], "w"))
PY
# the kept profile copies are found beside the state
ln -s "$state.profiles" "$tmp/mine.json.profiles" 2>/dev/null || true
mkdir -p "$tmp/rules.d"
common=(--state "$tmp/mine.json" --profiles "$git/profiles" --rules-d "$tmp/rules.d")
"$SCMPWATCH" decide allow unshare --group web --reason T-1 "${common[@]}" \
  --decisions "$tmp/rules.d/50-decisions.yaml" >/dev/null 2>&1 || fail "decide allow unshare --group web"

# while the containers run (their config.json files are the runtime's copies)
"$SCMPWATCH" suggest "${common[@]}" --format json --output "$tmp/report.json" 2>"$tmp/err" ||
  fail "suggest json: $(cat "$tmp/err")"
"$SCMPWATCH" suggest "${common[@]}" >"$tmp/report.txt" 2>"$tmp/err" || fail "suggest text: $(cat "$tmp/err")"
"$SCMPWATCH" suggest "${common[@]}" --format profile --layout kubelet --output "$tmp/kubelet/" \
  2>"$tmp/err" || fail "suggest --layout kubelet: $(cat "$tmp/err")"

json_check "$tmp/report.json" \
  "g = {x['name']: x for x in doc['profiles']}" \
  "assert set(g) == {'web', 'api'}, sorted(g)" \
  "w = g['web']; a = g['api']" \
  "assert w['profile']['path'] == '$git/profiles/web.json' and w['profile']['source'] == 'profiles', w['profile']" \
  "assert a['profile']['path'] == '$git/profiles/api.json', a['profile']" \
  "assert w['members'] == 2 and a['members'] == 1, (w['members'], a['members'])" \
  "assert w['tuned']['allow'] == ['unshare'], w['tuned']" \
  "assert w['tuned']['reformatted'] is False, w['tuned']" \
  "s = w['source_of_truth']" \
  "assert s['verdict'] == 'stale deploy' and s['compared'] == 2 and s['differ'] == 1, s" \
  "assert s['first_differing'] == '${cs[1]}' and s['differences'] > 0, s" \
  "assert s['example'].startswith('syslog (x86_64): the file allows it, the container') and 'refuses' in s['example'], s" \
  "t = a['source_of_truth']" \
  "assert t['verdict'] == 'wrong file' and t['runs_instead'] == '$git/profiles/web.json', t"
tr -s ' \n' ' ' <"$tmp/report.txt" >"$tmp/report.flat" # wrapped at 80 columns
grep -q "source of truth: STALE DEPLOY: 1 of 2 containers compared run a profile other than $git/profiles/web.json" \
  "$tmp/report.flat" || fail "the text report does not say the stale deploy: $(grep -A3 'profile web' "$tmp/report.txt")"
grep -q "source of truth: WRONG FILE: .* it runs exactly what $git/profiles/web.json gives" "$tmp/report.flat" || fail "the text report does not say the wrong file"

# the tuned file is the team's file plus one entry, in its own layout
tuned=$tmp/kubelet/profiles/web.json
[ -s "$tuned" ] && [ -s "$tmp/kubelet/profiles/api.json" ] || fail "kubelet layout: $(find "$tmp/kubelet")"
[ -s "$tmp/kubelet/web.diff" ] || fail "no web.diff beside profiles/"
# its diff is against the file in git: a header naming it, then added lines only
head -1 "$tmp/kubelet/web.diff" | grep -q "^--- $git/profiles/web.json" || fail "web.diff: $(head -2 "$tmp/kubelet/web.diff")"
! grep -q '^-[^-]' "$tmp/kubelet/web.diff" || fail "web.diff removes lines: $(grep '^-' "$tmp/kubelet/web.diff")"
[ "$(grep -c '^+[^+]' "$tmp/kubelet/web.diff")" -ge 5 ] || fail "web.diff adds too little"
python3 - "$git/profiles/web.json" "$tuned" <<'PY' || fail "tuned web.json is not the file plus one entry"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert b["archMap"] == a["archMap"] and len(a["archMap"]) >= 5, "archMap changed"
assert b["syscalls"][:-1] == a["syscalls"], "entries changed"
e = b["syscalls"][-1]
assert e["names"] == ["unshare"] and e["action"] == "SCMP_ACT_ALLOW" and "comment" in e, e
assert [k for k in b if k != "syscalls"] == [k for k in a if k != "syscalls"], "fields or their order changed"
assert sum(1 for x in a["syscalls"] if "includes" in x or "excludes" in x) >= 10
PY
grep -q "^	\"syscalls\"" "$tuned" || fail "the tabs of web.json were not kept"
cp "$tuned" "$git/profiles/web.json"
read -r added removed _ < <(git -C "$git" diff --numstat)
[ "$removed" -le 1 ] && [ "$added" -ge 5 ] && [ "$added" -le 12 ] ||
  fail "git diff of the tuned web.json: +$added -$removed (want a few added lines, at most one changed)"
git -C "$git" checkout -q profiles/web.json

# the containers removed (config.json gone): the watcher's kept copies, with their capability
# bounding sets, give the same findings
for c in "${cs[@]}"; do rt_docker rm -f "$c" >/dev/null 2>&1 || fail "docker rm $c"; done
"$SCMPWATCH" suggest "${common[@]}" --format json --output "$tmp/gone.json" 2>"$tmp/err" ||
  fail "suggest after the containers were removed: $(cat "$tmp/err")"
json_check "$tmp/gone.json" \
  "g = {x['name']: x['source_of_truth'] for x in doc['profiles']}" \
  "assert g['web']['verdict'] == 'stale deploy' and g['web']['compared'] == 2, g['web']" \
  "assert g['web']['example'].startswith('syslog (x86_64)'), g['web']" \
  "assert g['api']['verdict'] == 'wrong file', g['api']"

# bad input: a mapped file that no longer parses is named; nothing is written
printf '{\n  "defaultAction": "SCMP_ACT_ERRNO",\n  "syscalls": [\n' >"$git/profiles/api.json"
if "$SCMPWATCH" suggest "${common[@]}" --format profile --output "$tmp/bad/" 2>"$tmp/err"; then
  fail "suggest accepted a profile that does not parse"
fi
grep -q "$git/profiles/api.json:[0-9]*:[0-9]*" "$tmp/err" || fail "no file:line:column: $(cat "$tmp/err")"
[ ! -e "$tmp/bad/web.json" ] || fail "a tuned profile was written although an input is broken"
git -C "$git" checkout -q profiles/api.json
set +e
"$SCMPWATCH" suggest "${common[@]}" --layout kubelet >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "layout kubelet" "$tmp/err" || fail "--layout kubelet without --output DIR: rc $rc $(cat "$tmp/err")"
echo "$name: ok (web: stale deploy found, api: wrong file found, tuned web.json +$added -$removed lines)"
