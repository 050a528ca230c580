#!/usr/bin/env bash
# e2e_rt_nspawn: systemd-nspawn 252 in OCI bundle mode (--keep-unit --register=no, no systemd
# or machined here): its cgroup splits into /payload (the container) and /supervisor (nspawn
# itself). The payload is attributed to nspawn, named by the supervisor's --machine, with the
# profile of the bundle it runs; the supervisor is the monitor, not the workload. nspawn 252
# needs here: ociVersion "1.0.0", no linux.resources/cgroupsPath (they call the absent bus), a
# /usr in the rootfs, and SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 (its legacy cgroup setup fails on
# this host's v1 mounts). It runs from the test's own cgroup, so the paths are the ones a user
# sees ("/payload" from the root cgroup). Skips (77) only when systemd-nspawn cannot be
# installed or cannot start the bundle, saying why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/runtimes.sh"
name=e2e_rt_nspawn
rt_need_runtimes systemd-nspawn
tmp=$(mktemp -d)
nspawn_pid=
cleanup() {
  local rc=$?
  rt_keep_on_failure "$rc" "$tmp" "$name"
  if [ -n "$nspawn_pid" ]; then
    local p
    for p in ${payload_pids:-}; do kill -9 "$p" 2>/dev/null || true; done
    kill "$nspawn_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$nspawn_pid" 2>/dev/null || true
    wait "$nspawn_pid" 2>/dev/null || true
    # the empty cgroups nspawn leaves (rmdir removes only empty ones)
    local h
    for h in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd; do
      rmdir "$h${base:-}/payload" "$h${base:-}/supervisor" 2>/dev/null || true
    done
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
suffix=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
machine=scw-ns-$suffix

# nspawn names its cgroups after the one it starts in: ours
base=$(sed -n 's/^0:://p' /proc/self/cgroup)
[ "$base" = / ] && base=
[ -z "$(rt_cgroup_pids "$base/payload" 2>/dev/null || true)" ] ||
  rt_skip "another systemd-nspawn --keep-unit already runs from this cgroup ($base/payload is busy)"

rt_nspawn_bundle "$tmp/bundle" "$machine" "$rt_data/log-chmod.json" sleep 30 || rt_fail "bundle"
SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 systemd-nspawn --quiet --keep-unit --register=no \
  --machine="$machine" --oci-bundle="$tmp/bundle" </dev/null >"$tmp/nspawn.log" 2>&1 &
nspawn_pid=$!
payload_pids=
for _ in $(seq 1 100); do
  kill -0 "$nspawn_pid" 2>/dev/null || break
  payload_pids=$(rt_cgroup_pids "$base/payload" 2>/dev/null || true)
  [ -n "$payload_pids" ] && grep -qx "$nspawn_pid" <(rt_cgroup_pids "$base/supervisor" 2>/dev/null) && break
  sleep 0.1
done
if [ -z "$payload_pids" ]; then
  cat "$tmp/nspawn.log" >&2
  kill -0 "$nspawn_pid" 2>/dev/null || { nspawn_pid=; rt_skip "systemd-nspawn could not start the bundle (output above)"; }
  rt_fail "systemd-nspawn runs but nothing is in $base/payload"
fi
# the payload's own process: the one running sleep
pid=
for p in $payload_pids; do
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ] && pid=$p
done
[ -n "$pid" ] || rt_fail "no sleep among the payload's processes ($payload_pids)"

json=$(rt_attr "$pid")
rt_check "$json" "a['cgroup'] == '$base/payload'" "a['workload'] == 'nspawn:$machine'" \
  "a['runtime'] == 'nspawn' and a['monitor'] is False" "c['name'] == '$machine'" \
  "c['id'] == '$machine'" "c['profile_path'] == '$tmp/bundle/config.json'" \
  "a['metadata']['complete']"
rt_check_profile "$json"
json=$(rt_attr "$nspawn_pid")
rt_check "$json" "a['cgroup'] == '$base/supervisor'" "a['monitor'] is True" \
  "a['workload'] == 'monitor:nspawn:$machine'" "c['name'] == 'nspawn-supervisor'" \
  "c['profile_path'] is None"
# nothing known about the supervisor (another /proc): the payload keeps its path identity
json=$(rt_attr --runtime-root "proc=$tmp/noproc" "$pid")
rt_check "$json" "a['workload'] == 'nspawn:$base/payload'" "a['runtime'] == 'nspawn'"
echo "$name: ok (payload $pid, supervisor $nspawn_pid)"
