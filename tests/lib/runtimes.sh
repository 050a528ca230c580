# runtimes.sh: real container runtimes for the end-to-end tests (sourced, not run).
#   rt_need_packages        root, and runc, docker.io, busybox-static (installed when missing)
#   rt_rootfs DIR           a busybox rootfs with the walkthrough's /app.sh
#   rt_dockerd_start NAME   a private dockerd (own data root, exec root, pidfile, socket and
#                           containerd) with the image scwbusybox:1; sets DOCKER_HOST and
#                           rt_watch_roots (the watcher's --runtime-root options for it)
#   rt_dockerd_stop         stops it (call from the EXIT trap)
#   rt_runc_bundle DIR ID PROFILE|- ARGS...   an OCI bundle from `runc spec`: no terminal, the
#                           process ARGS, linux.seccomp from a Docker-format PROFILE (- for none)
# For the other runtimes (e2e_rt_*.sh):
#   rt_need_runtimes CMD...  root, packaging/install-deps.sh runtimes; CMDs in PATH
#   rt_attr ARGS...          the first attribution of `scmpwatch attribute --format json ARGS`
#   rt_check JSON PYEXPR...  each expression over a (that attribution) and c (its container)
#   rt_check_profile JSON    container.profile_path: an existing config.json with linux.seccomp
#   rt_podman ARGS... / rt_podman_image [USER]   podman as root (cgroupfs manager); the image
#   rt_unshare_cgv2 CMD...   CMD with a tmpfs over /sys/fs/cgroup/unified (crun refuses this
#                            host's v2 hierarchy: it has the hugetlb controller)
#   rt_crun ARGS...          crun with its own --root ($rt_crun_root)
#   rt_rootless_user         the user of rootless Podman (created once, /etc/subuid, subgid)
#   rt_pam_session USER CMD... CMD as USER in a PAM session of the real pam_cgfs.so
#                            (libpam-cgfs, extracted: never enabled system-wide)
#   rt_oci_archive ROOTFS NAME OUT  an OCI image archive (for `ctr images import`)
#   rt_containerd_start NAME / rt_ctr ARGS... / rt_containerd_stop   a containerd of our own
#   rt_lxc CMD ARGS... / rt_lxc_create NAME / rt_lxc_destroy NAME   LXC in $rt_lxc_path
#   rt_nspawn_bundle DIR ID PROFILE|- ARGS...   a bundle systemd-nspawn 252 accepts
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

# ---- the other runtimes (e2e_rt_*.sh) ----

rt_need_runtimes() {
  [ "$(id -u)" -eq 0 ] || rt_skip "needs root (container runtimes)"
  local log p
  log=$(mktemp)
  if ! "$rt_lib/../../packaging/install-deps.sh" runtimes >"$log" 2>&1; then
    echo "--- packaging/install-deps.sh runtimes:" >&2
    tail -20 "$log" >&2
    rm -f "$log"
    rt_skip "could not install the container runtimes (packaging/install-deps.sh runtimes failed; output above)"
  fi
  rm -f "$log"
  for p in busybox python3 "$@"; do
    command -v "$p" >/dev/null || rt_skip "'$p' not found in PATH after packaging/install-deps.sh runtimes"
  done
}

# rt_attr ARGS...: the first attribution of `scmpwatch attribute --format json ARGS` (JSON)
rt_attr() {
  "${SCMPWATCH:?}" attribute --format json "$@" |
    python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["attributions"][0]))'
}

# rt_check JSON EXPR...: every expression (Python, over a = the attribution, c = its
# container) holds; else the failing one and the JSON, and exit 1
rt_check() {
  local json=$1
  shift
  python3 - "$json" "$@" <<'PY' || rt_fail "attribution check failed (above)"
import json, sys
a = json.loads(sys.argv[1])
c = a.get("container") or {}
for e in sys.argv[2:]:
    try:
        ok = eval(e)
    except Exception as x:
        ok = False
        e += " (%r)" % x
    if not ok:
        print("FAIL: %s\n  in %s" % (e, json.dumps(a, indent=1)), file=sys.stderr)
        sys.exit(1)
PY
}

# rt_check_profile JSON: profile_path names an existing config.json that has linux.seccomp
rt_check_profile() {
  python3 - "$1" <<'PY' || rt_fail "profile_path check failed (above)"
import json, os, sys
a = json.loads(sys.argv[1])
p = (a.get("container") or {}).get("profile_path")
if not p or os.path.basename(p) != "config.json" or not os.path.isfile(p):
    sys.exit("FAIL: profile_path %r is no existing config.json" % p)
if not isinstance(json.load(open(p)).get("linux", {}).get("seccomp"), dict):
    sys.exit("FAIL: %s has no linux.seccomp" % p)
PY
}

# rt_wait_pid CMD...: the first line of CMD's output that is a pid, within 10 s
rt_wait_pid() {
  local out
  for _ in $(seq 1 100); do
    out=$("$@" 2>/dev/null | grep -E '^[0-9]+$' | head -1 || true)
    [ -n "$out" ] && [ "$out" != 0 ] && { echo "$out"; return 0; }
    sleep 0.1
  done
  return 1
}

# rt_cgroup_pids REL: the pids of cgroup REL (the first hierarchy that has it)
rt_cgroup_pids() {
  local f
  for f in /sys/fs/cgroup/unified"$1"/cgroup.procs /sys/fs/cgroup/systemd"$1"/cgroup.procs \
    /sys/fs/cgroup"$1"/cgroup.procs; do
    [ -r "$f" ] && { cat "$f"; return 0; }
  done
  return 1
}

rt_podman_flags=(--cgroup-manager cgroupfs)
rt_podman_run_flags=(--network none --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
rt_podman() { podman "${rt_podman_flags[@]}" "$@"; }

# rt_podman_image [USER]: the busybox image localhost/scwbusybox:1 in root's store (or USER's),
# imported once (and again when busybox changed)
rt_podman_image() {
  local user=${1:-} sum have dir pm=(podman "${rt_podman_flags[@]}")
  [ -n "$user" ] && pm=(runuser -u "$user" -- env -C / HOME="$(getent passwd "$user" | cut -d: -f6)" podman)
  sum=$(sha256sum <"$(command -v busybox)" | cut -c1-16)
  have=$("${pm[@]}" image inspect -f '{{index .Labels "scw.rootfs"}}' "localhost/$rt_image" 2>/dev/null || true)
  [ "$have" = "$sum" ] && return 0
  dir=$(mktemp -d)
  chmod 755 "$dir"
  rt_rootfs "$dir/rootfs" || { rm -rf "$dir"; return 1; }
  tar -C "$dir/rootfs" -c . >"$dir/rootfs.tar"
  chmod 644 "$dir/rootfs.tar"
  "${pm[@]}" import --change "LABEL scw.rootfs=$sum" "$dir/rootfs.tar" "localhost/$rt_image" >/dev/null
  local rc=$?
  rm -rf "$dir"
  return $rc
}

# rt_unshare_cgv2 CMD...: CMD with a tmpfs over /sys/fs/cgroup/unified (private mounts)
rt_unshare_cgv2() {
  unshare -m sh -c 'mount -t tmpfs scw-no-cgroup2 /sys/fs/cgroup/unified && exec "$@"' rt_unshare_cgv2 "$@"
}

rt_crun() { crun --root "${rt_crun_root:?}" "$@"; }

# rt_rootless_user: the user rootless Podman runs as (created once, left for later runs)
rt_rootless_name=scw-e2e-rl
rt_rootless_user() {
  if ! getent passwd "$rt_rootless_name" >/dev/null; then
    useradd -m -s /bin/sh "$rt_rootless_name" || rt_skip "could not create the user $rt_rootless_name (useradd)"
  fi
  grep -q "^$rt_rootless_name:" /etc/subuid || usermod --add-subuids 300000-365535 "$rt_rootless_name"
  grep -q "^$rt_rootless_name:" /etc/subgid || usermod --add-subgids 300000-365535 "$rt_rootless_name"
  rt_rootless_uid=$(id -u "$rt_rootless_name")
  rt_rootless_home=$(getent passwd "$rt_rootless_name" | cut -d: -f6)
  [ -d "$rt_rootless_home" ] || rt_fail "the home of $rt_rootless_name ($rt_rootless_home) is missing"
}

# pam_cgfs.so from libpam-cgfs, extracted under $SCW_TEST_BIN (installing the package would
# enable it for every login of the machine); a PAM config dir of our own that uses it
rt_pam_cgfs() {
  local dir=${SCW_TEST_BIN:?}/pam-cgfs
  rt_pam_confdir=$dir/pam.d
  if [ ! -f "$dir/pam_cgfs.so" ]; then
    rm -rf "$dir/dl" "$dir/x"
    mkdir -p "$dir/dl"
    (cd "$dir/dl" && apt-get download libpam-cgfs >/dev/null 2>&1) ||
      rt_skip "could not download libpam-cgfs (apt-get download): no pam_cgfs session cgroup to run in"
    dpkg -x "$dir"/dl/libpam-cgfs_*.deb "$dir/x" || rt_fail "dpkg -x libpam-cgfs"
    cp "$dir"/x/lib/*/security/pam_cgfs.so "$dir/pam_cgfs.so" || rt_fail "no pam_cgfs.so in libpam-cgfs"
  fi
  mkdir -p "$rt_pam_confdir"
  # the options Debian's /usr/share/pam-configs/cgfs gives it
  echo "session required $dir/pam_cgfs.so -c freezer,memory,name=systemd" >"$rt_pam_confdir/scw-cgfs"
}

# rt_pam_session USER CMD...: open a PAM session (pam_cgfs moves us into /user/USER/N), drop
# to USER, exec CMD with HOME, USER, LOGNAME and a plain PATH
rt_pam_session() {
  rt_pam_cgfs
  python3 - "$rt_pam_confdir" scw-cgfs "$@" <<'PY'
import ctypes, os, pwd, sys
confdir, service, user, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
pam = ctypes.CDLL("libpam.so.0")
class Conv(ctypes.Structure):
    _fields_ = [("conv", ctypes.c_void_p), ("appdata_ptr", ctypes.c_void_p)]
CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
cb = CB(lambda n, m, r, d: 19)  # PAM_CONV_ERR: pam_cgfs asks nothing
conv = Conv(ctypes.cast(cb, ctypes.c_void_p), None)
h = ctypes.c_void_p()
pam.pam_start_confdir.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(Conv),
                                  ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
pam.pam_open_session.argtypes = [ctypes.c_void_p, ctypes.c_int]
rc = pam.pam_start_confdir(service.encode(), user.encode(), ctypes.byref(conv), confdir.encode(), ctypes.byref(h))
if rc != 0:
    sys.exit("pam_start_confdir: %d" % rc)
rc = pam.pam_open_session(h, 0)
if rc != 0:
    sys.exit("pam_open_session (pam_cgfs): %d" % rc)
pw = pwd.getpwnam(user)
os.initgroups(user, pw.pw_gid)
os.setgid(pw.pw_gid)
os.setuid(pw.pw_uid)
os.environ.clear()
os.environ.update(HOME=pw.pw_dir, USER=user, LOGNAME=user, PATH="/usr/sbin:/usr/bin:/sbin:/bin")
os.chdir(pw.pw_dir)
os.execvp(cmd[0], cmd)
PY
}

# rt_oci_archive ROOTFS NAME OUT: an OCI image layout archive (one layer) of ROOTFS
rt_oci_archive() {
  python3 - "$1" "$2" "$3" <<'PY'
import hashlib, io, json, os, sys, tarfile
rootfs, name, out = sys.argv[1:]
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as t:
    for e in sorted(os.listdir(rootfs)):
        t.add(os.path.join(rootfs, e), arcname=e)
layer = layer.getvalue()
def blob(data):
    return "sha256:" + hashlib.sha256(data).hexdigest(), data
ld, lb = blob(layer)
config = json.dumps({"architecture": "amd64", "os": "linux",
                     "config": {"Cmd": ["/bin/sh"]},
                     "rootfs": {"type": "layers", "diff_ids": [ld]}}).encode()
cd, cb = blob(config)
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": len(cb)},
                       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": ld, "size": len(lb)}]}).encode()
md, mb = blob(manifest)
index = json.dumps({"schemaVersion": 2, "manifests": [{
    "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": len(mb),
    "annotations": {"io.containerd.image.name": name,
                    "org.opencontainers.image.ref.name": name.rsplit(":", 1)[-1]}}]}).encode()
with tarfile.open(out, "w") as t:
    def add(path, data):
        i = tarfile.TarInfo(path)
        i.size = len(data)
        t.addfile(i, io.BytesIO(data))
    add("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
    add("index.json", index)
    for d, b in ((ld, lb), (cd, cb), (md, mb)):
        add("blobs/sha256/" + d.split(":")[1], b)
PY
}

# rt_containerd_start NAME: a containerd of our own (root under $SCW_TEST_BIN, state and
# sockets in a short /tmp dir, no CRI plugin); sets rt_ctd_root, rt_ctd_state, rt_ctd_sock
rt_containerd_start() {
  local name=$1 i
  rt_ctd_root=${SCW_TEST_BIN:?}/containerd/$name
  mkdir -p "$rt_ctd_root"
  rt_ctd_root=$(cd "$rt_ctd_root" && pwd)/root
  rt_ctd_run=$(mktemp -d /tmp/scwc.XXXXXX)
  rt_ctd_state=$rt_ctd_run/state
  rt_ctd_sock=$rt_ctd_run/c.sock
  printf '%s\n' 'version = 2' "root = \"$rt_ctd_root\"" "state = \"$rt_ctd_state\"" \
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]' '[grpc]' "  address = \"$rt_ctd_sock\"" \
    '[ttrpc]' "  address = \"$rt_ctd_sock.ttrpc\"" >"$rt_ctd_run/config.toml"
  containerd --config "$rt_ctd_run/config.toml" >"$rt_ctd_run/containerd.log" 2>&1 &
  rt_ctd_pid=$!
  for i in $(seq 1 200); do
    if ! kill -0 "$rt_ctd_pid" 2>/dev/null; then
      tail -15 "$rt_ctd_run/containerd.log" >&2
      rt_ctd_pid=
      rt_skip "containerd exited at start (log above)"
    fi
    rt_ctr version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  tail -15 "$rt_ctd_run/containerd.log" >&2
  rt_skip "containerd did not answer on $rt_ctd_sock within 20 s (log above)"
}

rt_ctr() { ctr -a "${rt_ctd_sock:?}" "$@"; }

# rt_containerd_stop: the tasks and containers of our containerd, then it (EXIT trap)
rt_containerd_stop() {
  [ -n "${rt_ctd_pid:-}" ] || return 0
  local ns id
  for ns in $(rt_ctr namespaces ls -q 2>/dev/null); do
    for id in $(rt_ctr -n "$ns" tasks ls -q 2>/dev/null); do
      rt_ctr -n "$ns" tasks kill -s KILL "$id" >/dev/null 2>&1 || true
    done
    for id in $(rt_ctr -n "$ns" containers ls -q 2>/dev/null); do
      for _ in $(seq 1 50); do
        rt_ctr -n "$ns" tasks rm "$id" >/dev/null 2>&1 && break
        rt_ctr -n "$ns" tasks ls -q 2>/dev/null | grep -qx "$id" || break
        sleep 0.1
      done
      rt_ctr -n "$ns" containers rm "$id" >/dev/null 2>&1 || true
    done
  done
  kill "$rt_ctd_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$rt_ctd_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$rt_ctd_pid" 2>/dev/null || true
  wait "$rt_ctd_pid" 2>/dev/null || true
  rt_ctd_pid=
  rm -rf "$rt_ctd_run"
}

# LXC with an lxcpath of our own ($rt_lxc_path): never the containers of /var/lib/lxc
rt_lxc() {
  local cmd=$1
  shift
  "$cmd" -P "${rt_lxc_path:?}" "$@"
}

# rt_lxc_create NAME: a privileged busybox container (template lxc-busybox, offline), with no
# network (this host has no lxcbr0) and unconfined by AppArmor
rt_lxc_create() {
  local name=$1
  rt_lxc lxc-create -n "$name" -t busybox >"$rt_lxc_path/$name.create.log" 2>&1 || {
    tail -15 "$rt_lxc_path/$name.create.log" >&2
    rt_skip "lxc-create -t busybox failed (log above)"
  }
  local cfg=$rt_lxc_path/$name/config
  sed -i -e '/^lxc\.net\.0\./d' -e '/^lxc\.apparmor\./d' "$cfg"
  printf 'lxc.net.0.type = empty\nlxc.apparmor.profile = unconfined\n' >>"$cfg"
}

rt_lxc_destroy() {
  rt_lxc lxc-stop -k -n "$1" >/dev/null 2>&1 || true
  rt_lxc lxc-destroy -n "$1" >/dev/null 2>&1 || true
}

# rt_nspawn_bundle DIR ID PROFILE|- ARGS...: a runc bundle made acceptable to systemd-nspawn
# 252: ociVersion exactly 1.0.0, no linux.resources or cgroupsPath (either makes it call the
# absent system bus), a /usr in the rootfs (its "OS tree" check)
rt_nspawn_bundle() {
  rt_runc_bundle "$@" || return 1
  mkdir -p "$1/rootfs/usr"
  python3 - "$1/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["ociVersion"] = "1.0.0"
c["linux"].pop("resources", None)
c["linux"].pop("cgroupsPath", None)
json.dump(c, open(sys.argv[1], "w"), indent=1)
PY
}
