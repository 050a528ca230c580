# runtimes.sh: real container runtimes for the end-to-end tests (sourced, not run).
#   rt_need_packages        root, and runc, docker.io, busybox-static (installed when missing)
#   rt_rootfs DIR           a busybox rootfs with the walkthrough's /app.sh
#   rt_dockerd_start NAME   a private dockerd (own data root, exec root, pidfile, socket and
#                           containerd) with the image scwbusybox:1; sets DOCKER_HOST and
#                           rt_watch_roots (the watcher's --runtime-root options for it)
#   rt_dockerd_stop         stops it (call from the EXIT trap)
#   rt_runc_bundle DIR ID PROFILE|- ARGS...   an OCI bundle from `runc spec`: no terminal, the
#                           process ARGS, linux.seccomp from a Docker-format PROFILE (- for none)
# A runtime that cannot be installed or started makes the test exit 77 (skipped) with the
# reason (rt_skip); nothing here ever lets a test pass. Anything failing once it runs: exit 1.
# Other tests run in parallel with their own dockerd: everything here lives under a directory
# of our own, and only containers of our own daemon are touched.

rt_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rt_data=$rt_lib/../data/e2e
rt_image=scwbusybox:1

rt_skip() { echo "SKIP: $*" >&2; exit 77; }
rt_fail() { echo "FAIL: $*" >&2; exit 1; }

rt_need_packages() {
  [ "$(id -u)" -eq 0 ] || rt_skip "needs root (container runtimes, audit netlink)"
  [ "$(uname -m)" = x86_64 ] || rt_skip "the expected syscall names and architectures are x86_64's"
  local log
  log=$(mktemp)
  if ! "$rt_lib/../../packaging/install-deps.sh" e2e >"$log" 2>&1; then
    echo "--- packaging/install-deps.sh e2e:" >&2
    tail -20 "$log" >&2
    rm -f "$log"
    rt_skip "could not install runc, docker.io, busybox-static (packaging/install-deps.sh e2e failed; output above)"
  fi
  rm -f "$log"
  local p
  for p in runc dockerd busybox python3; do
    command -v "$p" >/dev/null || rt_skip "'$p' not found in PATH after packaging/install-deps.sh e2e"
  done
  # The client that comes with the daemon (docker.io), whatever else is first in PATH.
  rt_docker=/usr/bin/docker
  [ -x "$rt_docker" ] || rt_docker=$(command -v docker || true)
  [ -x "$rt_docker" ] || rt_skip "no docker client found (docker.io installs /usr/bin/docker)"
}

# rt_rootfs DIR: busybox (hard links: its symlinks would point at the host path) and /app.sh.
rt_rootfs() {
  local dir=$1 bb
  bb=$(command -v busybox)
  rm -rf "$dir"
  mkdir -p "$dir/bin" "$dir/tmp" "$dir/proc" "$dir/sys" "$dir/dev" "$dir/etc" "$dir/root"
  cp "$bb" "$dir/bin/busybox"
  "$dir/bin/busybox" --install "$dir/bin" || return 1
  [ -x "$dir/bin/sh" ] || return 1
  chmod 1777 "$dir/tmp"
  echo "root:x:0:0:root:/root:/bin/sh" >"$dir/etc/passwd"
  echo "root:x:0:" >"$dir/etc/group"
  install -m 0755 "$rt_data/app.sh" "$dir/app.sh"
}

# docker CLI of our own daemon (DOCKER_HOST is exported by rt_dockerd_start)
rt_docker() { "$rt_docker" "$@"; }

rt_dockerd_start() {
  local name=$1
  rt_dir=${SCW_TEST_BIN:?}/dockerd/$name # persistent: the imported image is kept
  mkdir -p "$rt_dir"
  rt_dir=$(cd "$rt_dir" && pwd)
  # A dockerd of ours left by an interrupted run (same pidfile, same data root): stop it.
  local old
  old=$(cat "$rt_dir/dockerd.pid" 2>/dev/null || true)
  if [ -n "$old" ] && tr "\\0" " " <"/proc/$old/cmdline" 2>/dev/null | grep -F -- "--data-root $rt_dir/data" >/dev/null; then
    echo "stopping a dockerd left by an earlier run (pid $old)" >&2
    kill "$old" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
  fi
  # Run-time state: short paths (unix socket paths are limited to 107 bytes).
  rt_run=$(mktemp -d /tmp/scwd.XXXXXX)
  echo '{}' >"$rt_dir/daemon.json"
  export DOCKER_HOST=unix://$rt_run/docker.sock DOCKER_CONFIG=$rt_run/cli
  dockerd --iptables=false --ip6tables=false --bridge=none \
    --config-file "$rt_dir/daemon.json" --data-root "$rt_dir/data" --exec-root "$rt_run/exec" \
    --pidfile "$rt_dir/dockerd.pid" -H "$DOCKER_HOST" >"$rt_dir/dockerd.log" 2>&1 &
  rt_dockerd_pid=$!
  local i up=
  for i in $(seq 1 "${RT_DOCKERD_WAIT_TENTHS:-300}"); do
    if ! kill -0 "$rt_dockerd_pid" 2>/dev/null; then
      echo "--- $rt_dir/dockerd.log:" >&2; tail -15 "$rt_dir/dockerd.log" >&2
      rt_dockerd_pid=
      rm -rf "$rt_run"
      rt_skip "dockerd exited at start (log above)"
    fi
    if rt_docker version >/dev/null 2>&1; then up=1; break; fi
    sleep 0.1
  done
  if [ -z "$up" ]; then
    echo "--- $rt_dir/dockerd.log:" >&2; tail -15 "$rt_dir/dockerd.log" >&2
    kill "$rt_dockerd_pid" 2>/dev/null || true
    wait "$rt_dockerd_pid" 2>/dev/null || true
    rt_dockerd_pid=
    rm -rf "$rt_run"
    rt_skip "dockerd did not answer on $DOCKER_HOST within $((${RT_DOCKERD_WAIT_TENTHS:-300} / 10)) s (log above)"
  fi
  rt_dockerd_up_sec=$(awk "BEGIN{print $i/10}")
  # Containers left by an interrupted run: all containers of this daemon are ours.
  local left
  left=$(rt_docker ps -aq)
  [ -z "$left" ] || rt_docker rm -f $left >/dev/null
  # The image is kept in the data root; made again when busybox or app.sh changed.
  local sum have
  sum=$(cat "$(command -v busybox)" "$rt_data/app.sh" | sha256sum | cut -c1-16)
  have=$(rt_docker image inspect -f '{{index .Config.Labels "scw.rootfs"}}' "$rt_image" 2>/dev/null || true)
  if [ "$have" != "$sum" ]; then
    rt_rootfs "$rt_run/rootfs" || rt_fail "could not build a busybox rootfs from $(command -v busybox)"
    tar -C "$rt_run/rootfs" -c . |
      rt_docker import --change "LABEL scw.rootfs=$sum" - "$rt_image" >/dev/null ||
      rt_fail "docker import of the busybox rootfs failed"
    rm -rf "$rt_run/rootfs"
  fi
  rt_watch_roots=(--runtime-root "docker=$rt_dir/data" --runtime-root "docker-exec=$rt_run/exec")
}

rt_dockerd_stop() {
  [ -n "${rt_dockerd_pid:-}" ] || return 0
  local left
  left=$(rt_docker ps -aq 2>/dev/null || true)
  [ -z "$left" ] || rt_docker rm -f $left >/dev/null 2>&1 || true
  kill "$rt_dockerd_pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$rt_dockerd_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$rt_dockerd_pid" 2>/dev/null; then
    echo "dockerd $rt_dockerd_pid did not stop in 20 s: killing it" >&2
    kill -9 "$rt_dockerd_pid" 2>/dev/null || true
  fi
  wait "$rt_dockerd_pid" 2>/dev/null || true
  rt_dockerd_pid=
  [ -n "${rt_run:-}" ] && rm -rf "$rt_run"
}

# rt_oci_seccomp PROFILE: a Docker-format profile as an OCI linux.seccomp object (JSON on
# stdout): archMap flattened into architectures; comment, includes and excludes dropped (an
# entry with includes/excludes is refused: the fixtures have none).
rt_oci_seccomp() {
  python3 - "$1" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
out = {k: v for k, v in p.items() if k not in ("archMap", "architectures", "syscalls")}
arches = list(p.get("architectures", []))
for m in p.get("archMap", []):
    arches += [m["architecture"]] + m.get("subArchitectures", [])
if arches:
    out["architectures"] = arches
out["syscalls"] = []
for s in p.get("syscalls", []):
    if s.get("includes") or s.get("excludes"):
        sys.exit("rt_oci_seccomp: includes/excludes are not converted")
    out["syscalls"].append({k: v for k, v in s.items() if k != "comment"})
json.dump(out, sys.stdout, indent=1)
PY
}

# rt_runc_bundle DIR ID PROFILE|- ARGS...: DIR/rootfs and DIR/config.json
rt_runc_bundle() {
  local dir=$1 id=$2 profile=$3
  shift 3
  mkdir -p "$dir"
  rt_rootfs "$dir/rootfs" || return 1
  (cd "$dir" && rm -f config.json && runc spec) || return 1
  local seccomp=null
  if [ "$profile" != - ]; then
    seccomp=$(rt_oci_seccomp "$profile") || return 1
  fi
  python3 - "$dir/config.json" "$id" "$seccomp" "$@" <<'PY'
import json, sys
path, cid, seccomp, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4:]
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = args
c["hostname"] = cid
c["root"]["readonly"] = False
c["linux"]["cgroupsPath"] = "/" + cid
if seccomp is None:
    c["linux"].pop("seccomp", None)
else:
    c["linux"]["seccomp"] = seccomp
json.dump(c, open(path, "w"), indent=1)
PY
}

# rt_keep_on_failure RC DIR NAME: after a failure, keep DIR's reports and logs for a look
# (copied to $SCW_TEST_BIN/NAME.failed/); says where.
rt_keep_on_failure() {
  [ "$1" -ne 0 ] && [ "$1" -ne 77 ] || return 0
  local keep=${SCW_TEST_BIN:?}/$3.failed
  rm -rf "$keep" && mkdir -p "$keep"
  cp -r "$2"/. "$keep"/ 2>/dev/null || true
  [ -n "${rt_dir:-}" ] && cp "$rt_dir/dockerd.log" "$keep"/ 2>/dev/null
  echo "kept for a look: $keep" >&2
}
