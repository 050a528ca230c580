#!/usr/bin/env bash
# e2e_rt_podman_rootless: rootless Podman as a user with /etc/subuid and /etc/subgid, started
# from a login session the way this host makes one (pam_cgfs: /user/<name>/<N>, the real
# pam_cgfs.so through a PAM config of our own, never enabled system-wide). The container's
# cgroup /user/<name>/<N>/<id> is attributed to podman, rootless, with its name and image
# (containers.json) and profile (config.json) from the USER's graph root
# (~/.local/share/containers/storage/<driver>-containers/, here driver vfs); the v2 layout
# systemd would give (user@UID.service/.../podman-PID.scope/<id>) reads the same state. A home
# that vanished or a graph root that cannot be read is counted, the record still attributed.
# Skips (77) only when Podman cannot run rootless here (no user namespaces, no pam_cgfs), saying
# why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/runtimes.sh"
name=e2e_rt_podman_rootless
rt_need_runtimes podman runc newuidmap newgidmap runuser apt-get dpkg
rt_rootless_user
user=$rt_rootless_name
tmp=$(mktemp -d)
chmod 755 "$tmp"
suffix=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
ctr=scw-e2e-rl-$suffix
session=
# podman as the user (no XDG_RUNTIME_DIR without logind: its run root is /tmp/podman-run-UID)
rl() {
  runuser -u "$user" -- env -i HOME="$rt_rootless_home" USER="$user" LOGNAME="$user" \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c 'cd && exec podman "$@"' podman "$@"
}
cleanup() {
  local rc=$?
  rt_keep_on_failure "$rc" "$tmp" "$name"
  rl rm -f -t 0 "$ctr" >/dev/null 2>&1 || true
  if [ -n "$session" ]; then # the session cgroups pam_cgfs made for us, once empty
    local h
    for _ in $(seq 1 20); do
      for h in freezer memory systemd unified; do
        rmdir "/sys/fs/cgroup/$h$session" "/sys/fs/cgroup/$h${session%/*}" 2>/dev/null || true
      done
      [ -d "/sys/fs/cgroup/freezer$session" ] || break
      sleep 0.1
    done
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if ! rl info >"$tmp/info.log" 2>&1; then
  cat "$tmp/info.log" >&2
  rt_skip "rootless podman does not run for $user here (podman info failed, above)"
fi
rt_podman_image "$user" >"$tmp/image.log" 2>&1 ||
  { cat "$tmp/image.log" >&2; rt_skip "rootless podman import of the busybox rootfs failed (above)"; }
graph=$(rl info --format '{{.Store.GraphRoot}}')
[ "$graph" = "$rt_rootless_home/.local/share/containers/storage" ] ||
  rt_fail "unexpected rootless graph root '$graph'"

if ! rt_pam_session "$user" podman --runtime runc run -d --name "$ctr" --label team=payments \
  "${rt_podman_run_flags[@]}" "localhost/$rt_image" sleep 30 >"$tmp/run.log" 2>&1; then
  cat "$tmp/run.log" >&2
  rt_skip "rootless podman run in a pam_cgfs session failed (above)"
fi
id=$(rl inspect -f '{{.Id}}' "$ctr")
pid=$(rl inspect -f '{{.State.Pid}}' "$ctr")
[ "$pid" -gt 0 ] || rt_fail "$ctr has no pid"
cg=$(sed -n 's/^[0-9]*:name=systemd://p' "/proc/$pid/cgroup")
[[ "$cg" =~ ^/user/$user/[0-9]+/$id$ ]] || rt_fail "not a pam_cgfs session cgroup: $(cat "/proc/$pid/cgroup")"
session=${cg%/"$id"}

json=$(rt_attr "$pid")
rt_check "$json" "a['cgroup'] == '$cg'" "a['workload'] == 'podman:$id'" "a['monitor'] is False" \
  "c['runtime'] == 'podman' and c['id'] == '$id'" "c['name'] == '$ctr'" \
  "c['image'] == 'localhost/$rt_image'" "c['labels']['team'] == 'payments'" \
  "c['profile_path'].startswith('$graph/') and c['profile_path'].endswith('-containers/$id/userdata/config.json')" \
  "a['metadata']['complete'] and a['metadata']['no_user'] == 0"
rt_check_profile "$json"

# the layout of a systemd host (cgroup v2, user@UID.service): the same state files
uid=$rt_rootless_uid
v2=/user.slice/user-$uid.slice/user@$uid.service/user.slice/podman-4242.scope/$id
json=$(rt_attr --cgroup "$v2")
rt_check "$json" "a['workload'] == 'podman:$id'" "c['name'] == '$ctr'" \
  "c['image'] == 'localhost/$rt_image'" "c['profile_path'].startswith('$graph/')"
rt_check_profile "$json"

# the home vanished (a passwd saying so): counted, still attributed by its cgroup
sed "s|^$user:\([^:]*:[^:]*:[^:]*:[^:]*\):[^:]*:|$user:\1:$tmp/gone:|" /etc/passwd >"$tmp/passwd"
grep -q "^$user:.*:$tmp/gone:" "$tmp/passwd" || rt_fail "could not write a passwd without the home"
json=$(rt_attr --runtime-root "passwd=$tmp/passwd" "$pid")
rt_check "$json" "a['workload'] == 'podman:$id'" "c['id'] == '$id'" "c['name'] is None" \
  "a['metadata']['no_user'] == 1"
# a graph root that cannot be read (a symlink loop where the storage is): counted
mkdir -p "$tmp/home/.local/share/containers"
ln -s storage "$tmp/home/.local/share/containers/storage"
sed "s|^$user:\([^:]*:[^:]*:[^:]*:[^:]*\):[^:]*:|$user:\1:$tmp/home:|" /etc/passwd >"$tmp/passwd"
json=$(rt_attr --runtime-root "passwd=$tmp/passwd" "$pid")
rt_check "$json" "a['workload'] == 'podman:$id'" "c['profile_path'] is None" \
  "a['metadata']['unreadable'] >= 1"
echo "$name: ok ($ctr $pid in $cg)"
