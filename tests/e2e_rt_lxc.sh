#!/usr/bin/env bash
# e2e_rt_lxc: a privileged LXC 5 container (lxc-create -t busybox, offline; no network, no
# AppArmor here): its init in /lxc.payload.<name> and a process lxc-attach'ed into it (v2:
# /lxc.payload.<name>/.lxc) are the workload "lxc:<name>"; the "[lxc monitor]" in
# /lxc.monitor.<name> is the monitor, apart. LXC keeps no OCI config.json (its seccomp is in its
# own format): nothing is read, nothing counted missing. An lxcpath of our own, so no
# container of /var/lib/lxc is touched. Skips (77) only when LXC cannot be installed or
# started, saying why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/runtimes.sh"
name=e2e_rt_lxc
rt_need_runtimes lxc-create lxc-start lxc-attach lxc-info
tmp=$(mktemp -d)
rt_lxc_path=$tmp/lxc
mkdir -p "$rt_lxc_path"
suffix=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
ct=scw-lxc-$suffix
cleanup() {
  local rc=$?
  rt_keep_on_failure "$rc" "$tmp" "$name"
  rt_lxc_destroy "$ct"
  rm -rf "$tmp"
}
trap cleanup EXIT

rt_lxc_create "$ct"
if ! rt_lxc lxc-start -n "$ct" -l INFO -o "$tmp/start.log" >/dev/null 2>&1; then
  tail -15 "$tmp/start.log" >&2
  rt_skip "lxc-start failed (log above)"
fi
pid=$(rt_wait_pid rt_lxc lxc-info -n "$ct" -p -H) || rt_fail "lxc-info gave no pid for $ct"
rt_lxc lxc-attach -n "$ct" -- sh -c 'sleep 30 >/dev/null 2>&1 &' || rt_fail "lxc-attach"
attached=
for _ in $(seq 1 50); do
  for p in $(rt_cgroup_pids "/lxc.payload.$ct/.lxc" 2>/dev/null || true); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ] && attached=$p
  done
  [ -n "$attached" ] && break
  sleep 0.1
done
[ -n "$attached" ] || rt_fail "the lxc-attach'ed sleep is not in /lxc.payload.$ct/.lxc"
monitor=
for p in $(rt_cgroup_pids "/lxc.monitor.$ct" 2>/dev/null || true); do monitor=$p; done
[ -n "$monitor" ] || rt_fail "no process in /lxc.monitor.$ct"

json=$(rt_attr "$pid")
rt_check "$json" "a['cgroup'] == '/lxc.payload.$ct'" "a['workload'] == 'lxc:$ct'" \
  "a['runtime'] == 'lxc' and a['monitor'] is False" "c['name'] == '$ct' and c['id'] == '$ct'" \
  "c['image'] is None and c['profile_path'] is None" \
  "a['metadata']['complete'] and a['metadata']['missing'] == 0"
json=$(rt_attr "$attached")
rt_check "$json" "a['workload'] == 'lxc:$ct'" "a['monitor'] is False" \
  "a['cgroup'] in ('/lxc.payload.$ct/.lxc', '/lxc.payload.$ct')"
json=$(rt_attr "$monitor")
rt_check "$json" "a['cgroup'] == '/lxc.monitor.$ct'" "a['workload'] == 'monitor:lxc:$ct'" \
  "a['monitor'] is True" "c['name'] == 'lxc-monitor'"
grep -q "lxc monitor" "/proc/$monitor/cmdline" || rt_fail "pid $monitor is not LXC's monitor"
echo "$name: ok (init $pid, attached $attached, monitor $monitor)"
