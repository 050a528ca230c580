#!/usr/bin/env bash
# e2e_rt_ctr: containerd through `ctr`: the same container id in two namespaces (default and
# k8s.io) is two workloads ("containerd:<ns>/<id>", runtime_namespace), each with its own
# config.json (<state>/io.containerd.runtime.v2.task/<ns>/<id>/config.json), its own
# annotations (a CRI pod name in one) and its image and labels from containerd's meta.db; a
# third namespace, unknown to the cgroup path "/<ns>/<id>", is found by its task on disk. A
# containerd of our own (root, state, sockets of ours, no CRI plugin), so nobody else's
# containers are seen or touched. Skips (77) only when containerd cannot be installed or
# started, saying why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/runtimes.sh"
name=e2e_rt_ctr
rt_need_runtimes containerd ctr runc
tmp=$(mktemp -d)
cleanup() {
  local rc=$?
  rt_keep_on_failure "$rc" "$tmp" "$name"
  rt_containerd_stop
  rm -rf "$tmp"
}
trap cleanup EXIT
suffix=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
id=scw-same-$suffix
image=localhost/scwbusybox:1

rt_containerd_start "$name"
roots=(--runtime-root "containerd=$rt_ctd_state" --runtime-root "containerd-root=$rt_ctd_root")
rt_rootfs "$tmp/rootfs" || rt_fail "busybox rootfs"
rt_oci_archive "$tmp/rootfs" "$image" "$tmp/image.tar" || rt_fail "OCI archive of the rootfs"
for ns in default k8s.io prod; do
  rt_ctr -n "$ns" images import "$tmp/image.tar" >"$tmp/import-$ns.log" 2>&1 ||
    { cat "$tmp/import-$ns.log" >&2; rt_fail "ctr -n $ns images import"; }
done
rt_ctr -n default run -d --seccomp --label team=payments --annotation org.example.note=one \
  "$image" "$id" sleep 30 >"$tmp/run1.log" 2>&1 || { cat "$tmp/run1.log" >&2; rt_fail "ctr -n default run"; }
rt_ctr -n k8s.io run -d --seccomp --label team=ops \
  --annotation io.kubernetes.cri.sandbox-name=web-pod \
  --annotation io.kubernetes.cri.sandbox-namespace=shop \
  "$image" "$id" sleep 30 >"$tmp/run2.log" 2>&1 || { cat "$tmp/run2.log" >&2; rt_fail "ctr -n k8s.io run"; }
rt_ctr -n prod run -d "$image" "$id" sleep 30 >"$tmp/run3.log" 2>&1 ||
  { cat "$tmp/run3.log" >&2; rt_fail "ctr -n prod run"; }

task_pid() { rt_ctr -n "$1" tasks ls | awk -v id="$id" '$1 == id {print $2}'; }
declare -A pid
for ns in default k8s.io prod; do
  pid[$ns]=$(rt_wait_pid task_pid "$ns") || rt_fail "no task pid for $id in $ns"
  grep -q "^0::/$ns/$id\$" "/proc/${pid[$ns]}/cgroup" ||
    rt_fail "cgroup of $ns/$id: $(cat "/proc/${pid[$ns]}/cgroup")"
done

task=$rt_ctd_state/io.containerd.runtime.v2.task
json=$(rt_attr "${roots[@]}" "${pid[default]}")
rt_check "$json" "a['workload'] == 'containerd:default/$id'" "a['runtime'] == 'containerd'" \
  "a['monitor'] is False" "c['id'] == '$id' and c['runtime_namespace'] == 'default'" \
  "c['name'] == '$id'" "c['image'] == '$image'" "c['labels']['team'] == 'payments'" \
  "c['pod'] is None" "c['profile_path'] == '$task/default/$id/config.json'" \
  "a['metadata']['complete'] and a['metadata']['files_read'] == 2"
rt_check_profile "$json"
json=$(rt_attr "${roots[@]}" "${pid[k8s.io]}")
rt_check "$json" "a['workload'] == 'containerd:k8s.io/$id'" \
  "c['id'] == '$id' and c['runtime_namespace'] == 'k8s.io'" "c['image'] == '$image'" \
  "c['labels']['team'] == 'ops'" "c['pod'] == 'web-pod' and c['namespace'] == 'shop'" \
  "c['profile_path'] == '$task/k8s.io/$id/config.json'"
rt_check_profile "$json"
# no --seccomp: ctr runs it unconfined, and says so
json=$(rt_attr "${roots[@]}" "${pid[prod]}")
rt_check "$json" "a['workload'] == 'containerd:prod/$id'" "c['runtime_namespace'] == 'prod'" \
  "c['image'] == '$image'" "c['profile_path'] is None" "a['metadata']['unconfined'] is True"
# without our containerd's state the third namespace is just a path
json=$(rt_attr --runtime-root "containerd=$tmp/none" "${pid[prod]}")
rt_check "$json" "a['workload'] == 'cgroup:/prod/$id'" "a['container'] is None"
echo "$name: ok (default ${pid[default]}, k8s.io ${pid[k8s.io]}, prod ${pid[prod]})"
