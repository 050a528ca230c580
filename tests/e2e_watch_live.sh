#!/usr/bin/env bash
# e2e_watch_live: the live watcher on real kernel events. Children run under SCMP_ACT_LOG
# filters inside cgroups named like each container runtime; the report must attribute every
# record to the right runtime and id with exact counts. Then: 100 short-lived children (fork,
# one logged syscall, exit) all attributed; a restart on the same state carries totals over;
# after kill -9 at most one snapshot interval is missing. Other tests run in parallel: only
# our own random container ids are looked at.
# scw-test: exclusive-audit
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
need_root_cgroup2
logme=${SCW_TEST_BIN:?}/scw_logme
tmp=$(mktemp -d)
cleanup() {
  [ -n "${watch_pid:-}" ] && kill -9 "$watch_pid" 2>/dev/null || true
  for rel in "${cgroups[@]:-}"; do [ -n "$rel" ] && cgroup_rm "$rel"; done
  [ -n "${KEEP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT
state=$tmp/state.json
cgroups=()

d1=$(random_id); d2=$(random_id); k8s=$(random_id); crio=$(random_id); pod=$(random_id)
podu=$(cat /proc/sys/kernel/random/uuid); podu_=${podu//-/_}
short=$(random_id)
declare -A rel=(
  [docker_fs]="docker/$d1"
  [docker_sd]="system.slice/docker-$d2.scope"
  [k8s]="kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$podu_.slice/cri-containerd-$k8s.scope"
  [crio]="kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$podu_.slice/crio-$crio.scope"
  [podman]="machine.slice/libpod-$pod.scope"
  [short]="system.slice/docker-$short.scope"
)
cgroups=("${rel[@]}")

start_watch --state "$state" --interval 1
"$logme" --cgroup "${rel[docker_fs]}" chmod:5 mknod:2 >/dev/null || fail "logme docker_fs"
"$logme" --cgroup "${rel[docker_sd]}" chmod:3 >/dev/null || fail "logme docker_sd"
"$logme" --cgroup "${rel[k8s]}" mknod:4 unshare:1 >/dev/null || fail "logme k8s"
"$logme" --cgroup "${rel[crio]}" chmod:6 >/dev/null || fail "logme crio"
"$logme" --cgroup "${rel[podman]}" chmod:2 getppid:7 >/dev/null || fail "logme podman"
"$logme" --cgroup "${rel[short]}" --fork 100 chmod >/dev/null || fail "logme short-lived"
sleep 1
stop_watch TERM || fail "watcher exit status $? on SIGTERM"
"$SCMPWATCH" suggest --state "$state" --format json >"$tmp/r1.json" || fail "suggest failed"

json_check "$tmp/r1.json" \
  "assert counts(workload('docker', '$d1')) == {'chmod': 5, 'mknod': 2}, counts(workload('docker', '$d1'))" \
  "assert counts(workload('docker', '$d2')) == {'chmod': 3}" \
  "w = workload('containerd', '$k8s'); assert counts(w) == {'mknod': 4, 'unshare': 1}, counts(w)" \
  "assert w['container']['cgroup'].endswith('cri-containerd-$k8s.scope')" \
  "assert w['container']['pod_uid'] == '$podu', w['container']" \
  "assert counts(workload('cri-o', '$crio')) == {'chmod': 6}" \
  "assert counts(workload('podman', '$pod')) == {'chmod': 2, 'getppid': 7}" \
  "s = workload('docker', '$short'); assert counts(s) == {'chmod': 100}, counts(s)" \
  "assert s['syscalls'][0]['processes'] >= 16 and s['syscalls'][0]['processes_truncated']" \
  "assert all(x['action'] == 'log' for x in workload('docker', '$d1')['syscalls'])" \
  "assert doc['input']['lost'] == 0, doc['input']"

# restart on the same state: totals carried over, and still growing
start_watch --state "$state" --interval 1
"$logme" --cgroup "${rel[docker_fs]}" chmod:4 >/dev/null || fail "logme after restart"
sleep 1
stop_watch TERM || fail "second run exit status"
"$SCMPWATCH" suggest --state "$state" --format json >"$tmp/r2.json"
json_check "$tmp/r2.json" \
  "assert counts(workload('docker', '$d1')) == {'chmod': 9, 'mknod': 2}, counts(workload('docker', '$d1'))" \
  "assert counts(workload('docker', '$short')) == {'chmod': 100}"

# kill -9: what was snapshotted (interval 1 s, we wait 3 s) survives
start_watch --state "$state" --interval 1
"$logme" --cgroup "${rel[docker_sd]}" chmod:10 >/dev/null || fail "logme before kill"
sleep 3
stop_watch KILL || true
"$SCMPWATCH" suggest --state "$state" --format json >"$tmp/r3.json"
json_check "$tmp/r3.json" \
  "assert counts(workload('docker', '$d2')) == {'chmod': 13}, counts(workload('docker', '$d2'))"

# the text report names the runtime and id
"$SCMPWATCH" suggest --state "$state" >"$tmp/r3.txt"
grep -q "docker .*${d2:0:12}" "$tmp/r3.txt" || fail "text report lacks the container"
watch_pid=
echo "e2e_watch_live: ok"
