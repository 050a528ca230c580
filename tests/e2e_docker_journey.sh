#!/usr/bin/env bash
# e2e_docker_journey: the README walkthrough (tests/walkthrough.sh) on a private dockerd, then
# exact checks of what it produced: the enforcing profile breaks the app; the log-only copy
# keeps everything but the default action; the watcher attributes the staging container's
# calls to it by id, name and image, with the profile it runs found in the runtime's state (no
# --profile given); exact counts. And the README's block is the script's, line for line.
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
grep -q "app: chmod ok" "$tmp/walk.out" && fail "the app got past chmod under the enforcing profile"

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

# 3. In staging the app did everything (the log-only profile refuses nothing).
rt_docker logs app-staging >"$tmp/staging.out" 2>&1
printf 'app: chmod ok\napp: mknod ok\napp: unshare allowed\napp: done\n' | diff -u - "$tmp/staging.out" >&2 ||
  fail "staging run output"

# 4. Attribution: by id, name and image; the profile from the runtime's state.
id=$(rt_docker inspect -f '{{.Id}}' app-staging)
bundle=$rt_run/exec/containerd/daemon/io.containerd.runtime.v2.task/moby/$id/config.json
"$SCMPWATCH" suggest --state "$tmp/work/state.json" --format json >"$tmp/report.json" || fail "suggest --format json"
json_check "$tmp/report.json" \
  "w = workload('docker', '$id'); c = w['container']" \
  "assert c['name'] == 'app-staging' and c['image'] == 'scwbusybox:1', c" \
  "assert c['cgroup'] == '/docker/$id', c" \
  "assert c['profile_path'] == '$bundle', c" \
  "assert counts(w) == {'chmod': 3, 'mknodat': 3, 'unshare': 1}, counts(w)" \
  "assert all(s['action'] == 'log' and s['arch'] == 'x86_64' for s in w['syscalls']), w['syscalls']" \
  "assert w['executables'] == ['/bin/sh'], w['executables']" \
  "assert doc['input']['lost'] == 0, doc['input']"
python3 - "$bundle" "$tmp/work/app-staging.json" <<'PY' || fail "the runtime's profile is not the log-only one"
import json, sys
oci = json.load(open(sys.argv[1]))["linux"]["seccomp"]
staged = json.load(open(sys.argv[2]))
assert oci["defaultAction"] == "SCMP_ACT_LOG", oci["defaultAction"]
names = lambda p: sorted(n for s in p["syscalls"] if s["action"] == "SCMP_ACT_ALLOW" for n in s["names"])
assert names(oci) == names(staged), "allowed syscalls differ"
PY
grep -q "app-staging" "$tmp/walk.out" || fail "the text report does not name the container"
echo "$name: ok (container ${id:0:12}: chmod 3, mknodat 3, unshare 1; profile from $bundle)"
