#!/usr/bin/env bash
# e2e_rt_crun: a container run by crun directly (no daemon) is crun's, not runc's: both give
# it the cgroup "/<id>", only crun's state (<root>/<id>/status, whose "bundle" holds the
# config.json) tells them apart. `scmpwatch attribute PID` with crun's root says crun, the
# profile it runs, its annotations as labels; with a root where crun keeps nothing it stays
# the runc-shaped guess. crun refuses this hybrid host's cgroup v2 (it has a controller), so it
# runs in a mount namespace with a tmpfs over /sys/fs/cgroup/unified, as users here do.
# Skips (77) only when crun cannot be installed or cannot start a container, saying why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/runtimes.sh"
name=e2e_rt_crun
rt_need_runtimes crun unshare
tmp=$(mktemp -d)
rt_crun_root=$tmp/crun-root # our own: other tests' containers are not ours
suffix=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
id=scw-crun-$suffix
cleanup() {
  local rc=$?
  rt_keep_on_failure "$rc" "$tmp" "$name"
  rt_crun kill "$id" KILL >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do
    rt_crun delete -f "$id" >/dev/null 2>&1 && break
    sleep 0.1
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

rt_runc_bundle "$tmp/bundle" "$id" "$rt_data/log-chmod.json" sleep 30 || rt_fail "bundle"
python3 - "$tmp/bundle/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["annotations"] = {"org.example.team": "payments"}
json.dump(c, open(sys.argv[1], "w"), indent=1)
PY
if ! (cd "$tmp/bundle" && rt_unshare_cgv2 crun --root "$rt_crun_root" run -d "$id" \
  </dev/null >"$tmp/run.log" 2>&1); then
  cat "$tmp/run.log" >&2
  rt_skip "crun could not start a container here (output above)"
fi
pid=$(rt_crun state "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
[ -n "$pid" ] && [ "$pid" -gt 0 ] || rt_fail "no pid from crun state $id"
grep -q "^[0-9]*:[^:]*:/$id\$" "/proc/$pid/cgroup" || rt_fail "cgroup of $pid: $(cat "/proc/$pid/cgroup")"

json=$(rt_attr --runtime-root "crun=$rt_crun_root" "$pid")
rt_check "$json" "a['pid'] == $pid" "a['cgroup'] == '/$id'" "a['workload'] == 'crun:$id'" \
  "a['runtime'] == 'crun'" "a['monitor'] is False" "c['runtime'] == 'crun'" "c['id'] == '$id'" \
  "c['name'] is None and c['image'] is None" \
  "c['profile_path'] == '$tmp/bundle/config.json'" \
  "c['labels'] == {'org.example.team': 'payments'}" \
  "a['metadata']['found'] and a['metadata']['complete'] and a['metadata']['bad'] == 0"
rt_check_profile "$json"

# where crun keeps nothing of it, the same "/<id>" is runc's guess (counted missing)
json=$(rt_attr --runtime-root "crun=$tmp/elsewhere" --runtime-root "runc=$tmp/elsewhere" "$pid")
rt_check "$json" "a['workload'] == 'runc:$id'" "c['profile_path'] is None" \
  "a['metadata']['missing'] == 1"

# crun's own copy of what it ran, once the bundle is gone
mv "$tmp/bundle/config.json" "$tmp/bundle/config.json.moved"
json=$(rt_attr --runtime-root "crun=$rt_crun_root" "$pid")
rt_check "$json" "a['workload'] == 'crun:$id'" \
  "c['profile_path'] == '$rt_crun_root/$id/config.json'"
rt_check_profile "$json"
mv "$tmp/bundle/config.json.moved" "$tmp/bundle/config.json"
echo "$name: ok (crun $pid in /$id)"
