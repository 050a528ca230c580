#!/usr/bin/env bash
# e2e_rt_podman: rootful Podman 4 (cgroupfs manager) with runc and with crun: the container
# in /libpod_parent/libpod-<id> is attributed to podman with its name and image (the graph
# root's <driver>-containers/containers.json), its labels (libpod's bolt_state.db) and the
# profile it runs: the config.json Podman writes under the GRAPH root
# (<graphroot>/<driver>-containers/<id>/userdata/), the run root's userdata having none (the
# image's labels are the container's too). conmon,
# in the shared /libpod_parent/conmon, is the monitor, not the workload. Podman's default
# stores are used (what users have); only our own containers are touched. crun refuses this
# hybrid host's cgroup v2, so its run goes through a mount namespace with a tmpfs over
# /sys/fs/cgroup/unified. Skips (77) only when Podman cannot be installed or run, saying why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/runtimes.sh"
name=e2e_rt_podman
rt_need_runtimes podman runc crun conmon unshare
tmp=$(mktemp -d)
suffix=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
ctrs=()
cleanup() {
  local rc=$?
  rt_keep_on_failure "$rc" "$tmp" "$name"
  local c
  for c in "${ctrs[@]:-}"; do
    [ -n "$c" ] || continue
    rt_unshare_cgv2 podman "${rt_podman_flags[@]}" rm -f -t 0 "$c" >/dev/null 2>&1 ||
      rt_podman rm -f -t 0 "$c" >/dev/null 2>&1 || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

rt_podman_image >"$tmp/image.log" 2>&1 || { cat "$tmp/image.log" >&2; rt_skip "podman import of the busybox rootfs failed (above)"; }
graph=$(rt_podman info --format '{{.Store.GraphRoot}}')
[ -n "$graph" ] || rt_fail "podman info gave no graph root"

# check_podman RUNTIME: the container $ctr started with RUNTIME, and its conmon
check_podman() {
  local runtime=$1 id pid conmon json
  id=$(rt_podman inspect -f '{{.Id}}' "$ctr")
  pid=$(rt_podman inspect -f '{{.State.Pid}}' "$ctr")
  conmon=$(rt_podman inspect -f '{{.State.ConmonPid}}' "$ctr")
  [ "$pid" -gt 0 ] || rt_fail "$ctr ($runtime) has no pid"
  grep -q ":/libpod_parent/libpod-$id\$" "/proc/$pid/cgroup" ||
    rt_fail "unexpected cgroup of $pid: $(cat "/proc/$pid/cgroup")"
  json=$(rt_attr "$pid")
  rt_check "$json" "a['pid'] == $pid" "a['workload'] == 'podman:$id'" "a['monitor'] is False" \
    "a['cgroup'] == '/libpod_parent/libpod-$id'" \
    "c['runtime'] == 'podman' and c['id'] == '$id'" "c['name'] == '$ctr'" \
    "c['image'] == 'localhost/$rt_image'" \
    "c['labels']['team'] == 'payments' and c['labels']['tier'] == 'web'" \
    "'scw.rootfs' in c['labels']" \
    "c['profile_path'].startswith('$graph/') and c['profile_path'].endswith('-containers/$id/userdata/config.json')" \
    "a['metadata']['complete'] and a['metadata']['bad'] + a['metadata']['unreadable'] == 0"
  rt_check_profile "$json"
  json=$(rt_attr "$conmon")
  rt_check "$json" "a['monitor'] is True" "a['workload'] == 'monitor:podman:/libpod_parent/conmon'" \
    "c['name'] == 'conmon'" "c['profile_path'] is None"
  echo "$name: $runtime: $ctr ($pid) and its conmon ($conmon) ok"
}

labels=(--label team=payments --label tier=web)
ctr=scw-e2e-pm-runc-$suffix
ctrs+=("$ctr")
if ! rt_podman --runtime runc run -d --name "$ctr" "${labels[@]}" "${rt_podman_run_flags[@]}" \
  "localhost/$rt_image" sleep 30 >"$tmp/run-runc.log" 2>&1; then
  cat "$tmp/run-runc.log" >&2
  rt_skip "podman --runtime runc could not start a container (output above)"
fi
check_podman runc

ctr=scw-e2e-pm-crun-$suffix
ctrs+=("$ctr")
if ! rt_unshare_cgv2 podman "${rt_podman_flags[@]}" --runtime crun run -d --name "$ctr" \
  "${labels[@]}" "${rt_podman_run_flags[@]}" "localhost/$rt_image" sleep 30 >"$tmp/run-crun.log" 2>&1; then
  cat "$tmp/run-crun.log" >&2
  rt_fail "podman --runtime crun failed where runc worked (output above)"
fi
check_podman crun

# the graph root moved elsewhere (--runtime-root storage=DIR): nothing found, all attributed
id=$(rt_podman inspect -f '{{.Id}}' "$ctr")
json=$(rt_attr --runtime-root "storage=$tmp/nothing" --runtime-root "storage-run=$tmp/nothing" \
  --cgroup "/libpod_parent/libpod-$id")
rt_check "$json" "a['workload'] == 'podman:$id'" "c['name'] is None" "c['profile_path'] is None" \
  "a['metadata']['missing'] == 1"
echo "$name: ok"
