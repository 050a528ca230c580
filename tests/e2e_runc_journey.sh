#!/usr/bin/env bash
# e2e_runc_journey: the walkthrough's journey with a plain runc bundle (no daemon): the
# enforcing profile in the bundle's config.json breaks the app; `scmpwatch profile logify`
# makes the bundle's config.json log-only; the staging run is attributed to the runc container
# by id, with the profile found through runc's state (state.json -> bundle -> config.json), no
# --profile given; exact counts; allow chmod and mknodat, review unshare; the tuned profile in
# a new bundle gets the app past chmod and mknod, unshare still refused. Skips (77) when runc
# cannot be installed, saying why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
. "$here/lib/runtimes.sh"
name=e2e_runc_journey
rt_need_packages
tmp=$(mktemp -d)
root=$tmp/runc-root # runc --root of our own: other tests' runc containers are not ours
runc_ids=()
cleanup() {
  local rc=$?
  rt_keep_on_failure "$rc" "$tmp" "$name"
  [ -n "${watch_pid:-}" ] && kill -9 "$watch_pid" 2>/dev/null || true
  for id in "${runc_ids[@]:-}"; do
    [ -n "$id" ] && runc --root "$root" delete -f "$id" >/dev/null 2>&1 || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
suffix=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')

# 0. The enforcing profile in a bundle: the app stops at its first chmod.
enf=scw-enforcing-$suffix
rt_runc_bundle "$tmp/enforcing" "$enf" "$rt_data/app-profile.json" /app.sh || fail "bundle"
runc_ids+=("$enf")
rc=0
runc --root "$root" run --bundle "$tmp/enforcing" "$enf" >"$tmp/enforcing.out" 2>&1 </dev/null || rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/enforcing.out" >&2; fail "enforcing run exit status $rc, expected 1"; }
grep -qx "chmod: a: Operation not permitted" "$tmp/enforcing.out" || fail "no chmod refusal: $(cat "$tmp/enforcing.out")"

# 1. The staging bundle: the same config.json, made log-only by scmpwatch.
stg=scw-staging-$suffix
rt_runc_bundle "$tmp/staging" "$stg" "$rt_data/app-profile.json" /app.sh || fail "bundle"
"$SCMPWATCH" profile logify "$tmp/staging/config.json" -o "$tmp/staging-config.json" ||
  fail "profile logify of a config.json"
mv "$tmp/staging-config.json" "$tmp/staging/config.json"
python3 - "$tmp/enforcing/config.json" "$tmp/staging/config.json" <<'PY' || fail "logified config.json"
import json, sys
old, new = (json.load(open(p)) for p in sys.argv[1:])
so, sn = old["linux"].pop("seccomp"), new["linux"].pop("seccomp")
old["hostname"] = new["hostname"]; old["linux"]["cgroupsPath"] = new["linux"]["cgroupsPath"]
assert old == new, "config.json changed outside linux.seccomp"
assert so["defaultAction"] == "SCMP_ACT_ERRNO" and sn["defaultAction"] == "SCMP_ACT_LOG", sn["defaultAction"]
assert sn["syscalls"] == so["syscalls"] and sn["architectures"] == so["architectures"]
PY

# 2-3. Watch, run the staging container.
state=$tmp/state.json
start_watch --state "$state" --interval 1 --runtime-root "runc=$root"
runc_ids+=("$stg")
runc --root "$root" run --bundle "$tmp/staging" "$stg" >"$tmp/staging.out" 2>&1 </dev/null ||
  { cat "$tmp/staging.out" >&2; fail "staging run failed"; }
printf 'app: chmod ok\napp: mknod ok\napp: unshare allowed\napp: done\n' | diff -u - "$tmp/staging.out" >&2 ||
  fail "staging run output"
sleep 1.5
stop_watch TERM || fail "watcher exit status $? on SIGTERM"

# 4. Attribution: runtime runc, the container id, the bundle's config.json.
"$SCMPWATCH" suggest --state "$state" --format json >"$tmp/report.json" || fail "suggest --format json"
json_check "$tmp/report.json" \
  "w = workload('runc', '$stg'); c = w['container']" \
  "assert c['cgroup'] == '/$stg', c" \
  "assert c['profile_path'] == '$tmp/staging/config.json', c" \
  "assert counts(w) == {'chmod': 3, 'mknodat': 3, 'unshare': 1}, counts(w)" \
  "assert all(s['action'] == 'log' for s in w['syscalls'])"

# 4. Proposals with the default rules, for the profile found in the bundle.
"$SCMPWATCH" suggest --state "$state" --format json --output "$tmp/proposals.json" || fail "suggest --format json"
json_check "$tmp/proposals.json" \
  "w = workload('runc', '$stg'); p = w['profile']" \
  "assert p['source'] == 'runtime' and p['path'] == '$tmp/staging/config.json' and p['log_only'] is True, p" \
  "d = {x['syscall']: (x['decision'], x['count']) for x in w['proposals']}" \
  "assert d == {'chmod': ('allow', 3), 'mknodat': ('allow', 3), 'unshare': ('review', 1)}, d" \
  "g = [g for g in doc['profiles'] if g['workloads'] == ['runc:$stg']]; assert len(g) == 1, doc['profiles']" \
  "assert g[0]['name'] == p['group'], (g[0]['name'], p)" \
  "assert g[0]['tuned']['allow'] == ['chmod', 'mknodat'], g[0]['tuned']" \
  "open('$tmp/group', 'w').write(g[0]['name'])"
group=$(cat "$tmp/group")

# 5. The tuned profile: the bundle's linux.seccomp, enforcing, plus chmod and mknodat.
"$SCMPWATCH" suggest --state "$state" --format profile --output "$tmp/tuned/" || fail "suggest --format profile"
tuned=$tmp/tuned/$group.json
[ -s "$tuned" ] && [ -s "$tmp/tuned/$group.diff" ] || fail "no $group.json and $group.diff in tuned/: $(ls "$tmp/tuned")"
python3 - "$tuned" "$tmp/staging/config.json" <<'PY' || fail "tuned profile"
import json, sys
tuned = json.load(open(sys.argv[1]))
staged = json.load(open(sys.argv[2]))["linux"]["seccomp"]
assert tuned["defaultAction"] == "SCMP_ACT_ERRNO" and tuned["defaultErrnoRet"] == 1, tuned["defaultAction"]
assert tuned["architectures"] == staged["architectures"]
assert tuned["syscalls"][:-1] == staged["syscalls"], "the bundle's entries changed"
assert tuned["syscalls"][-1]["names"] == ["chmod", "mknodat"], tuned["syscalls"][-1]
assert tuned["syscalls"][-1]["action"] == "SCMP_ACT_ALLOW"
PY

# 6. A bundle enforcing the tuned profile: past the harmless calls; unshare still refused.
tun=scw-tuned-$suffix
rt_runc_bundle "$tmp/tuned-run" "$tun" "$tuned" /app.sh || fail "bundle"
runc_ids+=("$tun")
runc --root "$root" run --bundle "$tmp/tuned-run" "$tun" >"$tmp/tuned.out" 2>&1 </dev/null ||
  { cat "$tmp/tuned.out" >&2; fail "the app failed under the tuned profile"; }
printf 'app: chmod ok\napp: mknod ok\napp: unshare refused\napp: done\n' | diff -u - "$tmp/tuned.out" >&2 ||
  fail "the app under the tuned profile (expected first, got second)"
watch_pid=
echo "$name: ok (runc container $stg: chmod 3, mknodat 3, unshare 1 -> allow, allow, review; tuned profile '$group' runs the app)"
