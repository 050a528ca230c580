#!/usr/bin/env bash
# e2e_docker_journey: the README walkthrough (tests/walkthrough.sh) on a private dockerd, then
# exact checks of what it produced: the enforcing profile breaks the app; the log-only copy
# keeps everything but the default action; the watcher attributes the staging container's
# calls to it by id, name and image, with the profile it runs found in the runtime's state (no
# --profile given), exact counts; the default rules propose allow for chmod and mknodat and
# review for unshare; the tuned profile is the running one plus those two, enforcing; under it
# the app gets past chmod and mknod and unshare stays refused. And the README's block is the
# script's, line for line.
# Skips (77) when dockerd cannot be installed or started, saying why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
. "$here/lib/runtimes.sh"
name=e2e_docker_journey
tmp=$(mktemp -d)
cleanup() {
  local rc=$?
  rt_keep_on_failure "$rc" "$tmp" "$name"
  rt_dockerd_stop
  rm -rf "$tmp"
}
trap cleanup EXIT

# The README's block and the script's must be the same text (checked first: no runtime needed).
readme=${SCW_SOURCE_DIR:-$here/..}/README.md
sed -n '/^# --- walkthrough ---$/,/^# --- end walkthrough ---$/p' "$here/walkthrough.sh" |
  sed '1d;$d' >"$tmp/script-block"
awk '/^<!-- section: walkthrough/ {in_s=1} /^<!-- end section: walkthrough/ {in_s=0}
     in_s && /^```sh$/ && !done {in_b=1; next} in_b && /^```$/ {in_b=0; done=1} in_b' \
  "$readme" >"$tmp/readme-block"
[ -s "$tmp/script-block" ] || fail "no walkthrough block in tests/walkthrough.sh"
[ -s "$tmp/readme-block" ] || fail "no \`\`\`sh block in README.md's walkthrough section"
diff -u "$tmp/readme-block" "$tmp/script-block" >&2 ||
  fail "README.md's walkthrough differs from tests/walkthrough.sh (diff above: README first)"

rt_need_packages
rt_dockerd_start "$name"

# What the walkthrough finds on PATH: our daemon's client, and scmpwatch with that daemon's
# state roots for `watch` (a default Docker install needs none).
mkdir -p "$tmp/bin" "$tmp/work"
printf '#!/bin/sh\nexec %q "$@"\n' "$rt_docker" >"$tmp/bin/docker"
{
  printf '#!/bin/bash\n'
  printf 'if [ "$1" = watch ]; then shift; exec %q watch' "$SCMPWATCH"
  printf ' %q' "${rt_watch_roots[@]}"
  printf ' --log-level info "$@" 2>>%q; fi\n' "$tmp/watch.log"
  printf 'exec %q "$@"\n' "$SCMPWATCH"
} >"$tmp/bin/scmpwatch"
chmod +x "$tmp/bin/docker" "$tmp/bin/scmpwatch"
cp "$rt_data/app-profile.json" "$tmp/work/"
export SCMPWATCH_RULES_DIR=${SCW_SOURCE_DIR:-$here/..}/rules

t0=$(date +%s.%N)
PATH=$tmp/bin:$PATH timeout 120 bash "$here/walkthrough.sh" "$tmp/work" >"$tmp/walk.out" 2>&1 || {
  rc=$?
  cat "$tmp/walk.out" >&2
  fail "walkthrough.sh exit status $rc"
}
t1=$(date +%s.%N)
awk "BEGIN{printf \"walkthrough: %.1f s\n\", $t1-$t0}"

# 0. Under the enforcing profile the app stopped at its first chmod.
grep -qx "chmod: a: Operation not permitted" "$tmp/walk.out" || fail "no chmod refusal under the enforcing profile"
grep -qx "app failed: exit 1" "$tmp/walk.out" || fail "the app did not fail under the enforcing profile"
sed '/^app failed: exit 1$/q' "$tmp/walk.out" | grep -q "app: chmod ok" &&
  fail "the app got past chmod under the enforcing profile"

# 1. The log-only copy: the default action, and nothing else, changed.
python3 - "$tmp/work/app-profile.json" "$tmp/work/app-staging.json" <<'PY' || fail "logified profile"
import json, sys
old, new = (json.load(open(p)) for p in sys.argv[1:])
assert old["defaultAction"] == "SCMP_ACT_ERRNO" and new["defaultAction"] == "SCMP_ACT_LOG", new["defaultAction"]
assert "defaultErrnoRet" not in new
assert new["archMap"] == old["archMap"]
assert new["syscalls"] == old["syscalls"]
assert set(new) == set(old) - {"defaultErrnoRet"}, set(new)
PY

# 3-4. Attribution: by id, name and image; the profile from the runtime's state (read while
# the container ran: step 6 removed it, and its task's config.json with it).
report=$tmp/work/proposals.json
id=$(python3 -c 'import json, sys
print(*[w["container"]["id"] for w in json.load(open(sys.argv[1]))["workloads"]
        if w["container"] and w["container"]["name"] == "app-staging"])' "$report")
[ ${#id} -eq 64 ] || fail "not one workload named app-staging in the report: '$id'"
bundle=$rt_run/exec/containerd/daemon/io.containerd.runtime.v2.task/moby/$id/config.json
json_check "$report" \
  "w = workload('docker', '$id'); c = w['container']" \
  "assert c['name'] == 'app-staging' and c['image'] == 'scwbusybox:1', c" \
  "assert c['cgroup'] == '/docker/$id', c" \
  "assert c['profile_path'] == '$bundle', c" \
  "assert counts(w) == {'chmod': 3, 'mknodat': 3, 'unshare': 1}, counts(w)" \
  "assert all(s['action'] == 'log' and s['arch'] == 'x86_64' for s in w['syscalls']), w['syscalls']" \
  "assert w['executables'] == ['/bin/sh'], w['executables']" \
  "assert doc['input']['lost'] == 0, doc['input']" \
  "p = w['profile']" \
  "assert p['source'] == 'runtime' and p['path'] == '$bundle' and p['error'] is None, p" \
  "assert p['default_action'] == 'SCMP_ACT_LOG' and p['log_only'] is True and p['group'] == 'scwbusybox', p"
grep -q "^profile scwbusybox: $bundle (from the container runtime), log-only" "$tmp/walk.out" ||
  fail "the text report does not name the profile group and the runtime's profile"

# 4. Proposals with the default rules: allow the harmless calls, review the dangerous one.
json_check "$report" \
  "w = workload('docker', '$id')" \
  "d = {x['syscall']: (x['decision'], x['rule'], x['count'], x['profile_verdict']) for x in w['proposals']}" \
  "assert d == {'chmod': ('allow', 'defaults', 3, 'refused'), 'mknodat': ('allow', 'defaults', 3, 'refused'), 'unshare': ('review', 'namespaces', 1, 'refused')}, d" \
  "g = [g for g in doc['profiles'] if g['name'] == 'scwbusybox']; assert len(g) == 1, doc['profiles']; g = g[0]" \
  "assert g['workloads'] == ['docker:$id'] and g['members'] == 1 and g['member_kind'] == 'container', g" \
  "t = g['tuned']" \
  "assert t['allow'] == ['chmod', 'mknodat'] and t['default_action'] == 'SCMP_ACT_ERRNO' and t['default_errno'] == 1, t" \
  "assert t['kept_refused'] == [{'syscall': 'unshare', 'arch': 'x86_64', 'decision': 'review'}], t"

# 5. The tuned profile: what the container ran (Docker's OCI form of app-staging.json),
# enforcing, plus one entry allowing chmod and mknodat.
python3 - "$tmp/work/tuned/scwbusybox.json" "$tmp/work/app-profile.json" <<'PY' || fail "tuned profile"
import json, sys
tuned, source = (json.load(open(p)) for p in sys.argv[1:])
assert tuned["defaultAction"] == "SCMP_ACT_ERRNO" and tuned["defaultErrnoRet"] == 1, tuned["defaultAction"]
allowed = lambda p: [n for s in p["syscalls"] if s["action"] == "SCMP_ACT_ALLOW" for n in s["names"]]
assert sorted(allowed(tuned)) == sorted(allowed(source) + ["chmod", "mknodat"]), "allowed syscalls"
assert tuned["syscalls"][-1]["names"] == ["chmod", "mknodat"], tuned["syscalls"][-1]
assert "unshare" not in allowed(tuned)
# Docker keeps only the host's archMap entry (x86_64 here) when it converts the profile
host = [m for m in source["archMap"] if m["architecture"] == "SCMP_ARCH_X86_64"][0]
assert tuned["architectures"] == [host["architecture"]] + host["subArchitectures"], tuned["architectures"]
PY
grep -qx '+        "chmod",' "$tmp/work/tuned/scwbusybox.diff" &&
  grep -qx '+        "mknodat"' "$tmp/work/tuned/scwbusybox.diff" || fail "the diff does not add chmod and mknodat"
grep -q unshare "$tmp/work/tuned/scwbusybox.diff" && fail "the diff mentions unshare"

# 6. Enforcing under the tuned profile: past the harmless calls; the dangerous one refused.
tail -4 "$tmp/walk.out" >"$tmp/enforced.out"
printf 'app: chmod ok\napp: mknod ok\napp: unshare refused\napp: done\n' | diff -u - "$tmp/enforced.out" >&2 ||
  fail "the app under the tuned profile (expected first, got second)"
# 7. Later: the container is gone, and its task's config.json with it; the watcher kept a copy
# of the profile beside its state, so suggest still proposes for it, with the same tuned allow.
[ -e "$bundle" ] && fail "the container's config.json is still there: nothing is tested"
(cd "$tmp/work" && "$SCMPWATCH" suggest --state state.json --format json --output later.json) \
  2>"$tmp/later.err" || fail "suggest after the container was removed: $(cat "$tmp/later.err")"
json_check "$tmp/work/later.json" \
  "w = workload('docker', '$id'); p = w['profile']; c = w['container']" \
  "assert c['profile_path'] == '$bundle' and c['profile_kept'].startswith('state.json.profiles/'), c" \
  "assert p['source'] == 'runtime' and p['path'] == c['profile_kept'] and p['error'] is None, p" \
  "g = [g for g in doc['profiles'] if 'docker:$id' in g['workloads']][0]" \
  "assert g['tuned']['allow'] == ['chmod', 'mknodat'], g['tuned']"
# The same from another directory: the kept copy is found beside the state, not the cwd.
(cd / && "$SCMPWATCH" suggest --state "$tmp/work/state.json" --format json \
  --output "$tmp/work/later-elsewhere.json") 2>"$tmp/later.err" ||
  fail "suggest from another directory: $(cat "$tmp/later.err")"
json_check "$tmp/work/later-elsewhere.json" \
  "w = workload('docker', '$id'); p = w['profile']; c = w['container']" \
  "assert c['profile_kept'].startswith('$tmp/work/state.json.profiles/'), c" \
  "assert p['source'] == 'runtime' and p['path'] == c['profile_kept'] and p['error'] is None, p" \
  "g = [g for g in doc['profiles'] if 'docker:$id' in g['workloads']][0]" \
  "assert g['tuned']['allow'] == ['chmod', 'mknodat'], g['tuned']"
grep -q "environment\|\"env\"" "$tmp"/work/state.json.profiles/*.json && fail "the kept copy holds more than linux.seccomp"

echo "$name: ok (container ${id:0:12}: chmod 3, mknodat 3, unshare 1 -> allow, allow, review; tuned profile runs the app)"
