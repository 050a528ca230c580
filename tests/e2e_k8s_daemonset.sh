#!/usr/bin/env bash
# e2e_k8s_daemonset: packaging/kubernetes/ as a cluster would run it, without a cluster.
# scw-test: exclusive-audit
#  (a) the manifest: `kubectl create --dry-run=client -f ... -o yaml` takes it (against a stub
#      API server that answers discovery only: kubectl needs the kinds' REST mappings even for
#      a client-side dry run, and no cluster is reachable), it sends nothing, every field of
#      every object is one of the Kubernetes API's (python3-kubernetes' models, strictly:
#      kubectl keeps a misspelt field without a word), and the security posture is the one
#      packaging/kubernetes/README.md promises;
#  (b) the image: build-image.sh with the binary under test, into a private dockerd; the
#      watcher runs in it with the DaemonSet's settings translated to `docker run` flags by a
#      reader of the manifest (hostPID, hostNetwork, user, capabilities, no_new_privs, read-only
#      root, resources, grace period, env from the downward API, every hostPath mount with its
#      mode and propagation), not a copy of them: a setting it does not know fails the test;
#      the running process is checked: the node's pid and network namespaces, its capability
#      sets within the manifest's, no_new_privs, a seccomp filter, its read-only mounts;
#  (c) from inside that container the watcher attributes a sibling container's logged calls
#      (tests/data/e2e/app.sh under a logified app-profile.json) by name, image and the profile
#      it runs, with exact counts: `suggest` run in the pod as `kubectl exec` would; after the
#      pod stops (SIGTERM, exit 0) the state is copied out with the tar `kubectl cp` runs in the
#      pod, and `suggest` on that copy, elsewhere, still finds the profile in the kept copies;
#  (d) the run's tuned profile as a SeccompProfile (suggest --format seccompprofile when the
#      binary has it, else the writer through test_seccompprofile --render): it parses, holds
#      only the CRD's fields and values, kubectl takes it, and its spec, which the operator
#      installs as the node's profile, runs the app enforcing: chmod and mknod pass, unshare
#      is refused.
# Only containers of its own dockerd are touched; bind mounts it makes (sources of
# HostToContainer mounts must be shared) are undone. The watcher runs under the manifest's CPU
# limit, so it does not share the kernel's audit stream with the flood tests (the marker at the
# top).
# Skips (77) when kubectl, python3-yaml, python3-kubernetes or dockerd cannot be installed or
# started, saying why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
. "$here/lib/runtimes.sh"
name=e2e_k8s_daemonset
top=${SCW_SOURCE_DIR:-$here/..}
manifest=$top/packaging/kubernetes/scmpwatch-daemonset.yaml
tmp=$(mktemp -d)
binds=()
stub_pid=
cleanup() {
  local rc=$? i
  set +e
  [ -n "${rt_dockerd_pid:-}" ] && rt_docker logs scw-k8s-watcher >"$tmp/watcher.log" 2>&1
  rt_keep_on_failure "$rc" "$tmp" "$name"
  [ -n "$stub_pid" ] && kill "$stub_pid" 2>/dev/null
  [ -n "${rt_dockerd_pid:-}" ] && rt_docker rm -f scw-k8s-watcher scw-k8s-sibling >/dev/null 2>&1
  for ((i = ${#binds[@]} - 1; i >= 0; i--)); do
    umount "${binds[i]}" 2>/dev/null || umount -l "${binds[i]}" 2>/dev/null || true
  done
  local run=${rt_run:-}
  rt_dockerd_stop 2>/dev/null
  # dockerd leaves its host network namespace bound under the exec root (netns/default)
  if [ -n "$run" ] && [ -d "$run" ]; then
    awk -v r="$run/" 'index($5, r) == 1 {print $5}' /proc/self/mountinfo | sort -r |
      while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
    rm -rf "$run"
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- what this needs ------------------------------------------------------------------------
if ! "$top/packaging/install-deps.sh" k8s >"$tmp/install.log" 2>&1; then
  tail -20 "$tmp/install.log" >&2
  rt_skip "could not install kubectl, python3-yaml, python3-kubernetes (packaging/install-deps.sh k8s failed; output above)"
fi
kubectl=$(command -v kubectl) || rt_skip "no kubectl on PATH after packaging/install-deps.sh k8s"
py=/usr/bin/python3 # Debian's, where install-deps.sh puts python3-yaml and python3-kubernetes
"$py" -c 'import yaml, kubernetes.client' 2>/dev/null ||
  rt_skip "$py cannot import yaml and kubernetes.client after packaging/install-deps.sh k8s"

# A stub API server: discovery documents for the kinds used here, 404 for anything else, and
# a log of every request (a dry run must send no object).
cat >"$tmp/stub.py" <<'PY'
import http.server, json, sys
kinds = {"v1": [("namespaces", "Namespace", False), ("serviceaccounts", "ServiceAccount", True)],
         "apps/v1": [("daemonsets", "DaemonSet", True)],
         "security-profiles-operator.x-k8s.io/v1beta1": [("seccompprofiles", "SeccompProfile", False)]}
def resources(gv):
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": [
        {"name": n, "singularName": k.lower(), "namespaced": ns, "kind": k,
         "verbs": ["create", "get", "list"]} for n, k, ns in kinds[gv]]}
docs = {"/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
            {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},
        "/api/v1": resources("v1"),
        "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
            {"name": gv.split("/")[0], "versions": [{"groupVersion": gv, "version": gv.split("/")[1]}],
             "preferredVersion": {"groupVersion": gv, "version": gv.split("/")[1]}}
            for gv in kinds if "/" in gv]}}
for gv in kinds:
    if "/" in gv:
        docs["/apis/" + gv] = resources(gv)
class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, doc):
        body = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        path = self.path.split("?")[0]
        if path in docs:
            self.reply(200, docs[path])
        else:
            self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404})
    def do_POST(self):
        self.reply(403, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 403})
    do_PUT = do_PATCH = do_DELETE = do_POST
    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.command, self.path))
        sys.stderr.flush()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PY
"$py" "$tmp/stub.py" "$tmp/stub.port" 2>"$tmp/stub.log" &
stub_pid=$!
for _ in $(seq 1 100); do [ -s "$tmp/stub.port" ] && break; sleep 0.1; done
[ -s "$tmp/stub.port" ] || fail "the stub API server did not start: $(cat "$tmp/stub.log")"
kube() {
  KUBECONFIG=/dev/null "$kubectl" --server "http://127.0.0.1:$(cat "$tmp/stub.port")" \
    --cache-dir "$tmp/kube-cache" "$@"
}

# --- (a) the manifest -----------------------------------------------------------------------
kube create --dry-run=client --validate=false -f "$manifest" -o yaml >"$tmp/dry-run.yaml" \
  2>"$tmp/dry-run.err" || fail "kubectl create --dry-run=client: $(cat "$tmp/dry-run.err")"
grep -qE '^(POST|PUT|PATCH|DELETE) ' "$tmp/stub.log" && fail "the dry run sent something: $(cat "$tmp/stub.log")"
"$py" - "$manifest" "$tmp/dry-run.yaml" <<'PY' || fail "the manifest's objects (above)"
import sys, yaml, kubernetes.client as kc
src = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
out = [d for d in yaml.safe_load_all(open(sys.argv[2])) if d]
errs = []
assert [d["kind"] for d in src] == ["Namespace", "ServiceAccount", "DaemonSet"], [d["kind"] for d in src]
assert [d["kind"] for d in out] == [d["kind"] for d in src], [d["kind"] for d in out]
def contains(a, b, path):  # everything of a is in b (kubectl may add defaults)
    if isinstance(a, dict):
        if not isinstance(b, dict):
            errs.append(f"{path}: kubectl wrote {b!r}")
            return
        for k, v in a.items():
            if k not in b:
                errs.append(f"{path}.{k}: missing from kubectl's output")
            else:
                contains(v, b[k], f"{path}.{k}")
    elif isinstance(a, list):
        if not isinstance(b, list) or len(a) != len(b):
            errs.append(f"{path}: kubectl wrote {b!r}")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            contains(x, y, f"{path}[{i}]")
    elif a != b:
        errs.append(f"{path}: {a!r} became {b!r}")
def check(v, t, path):  # v against the API's model t, strictly
    if t == "object":
        return
    if t in ("str", "datetime", "date"):
        ok = isinstance(v, str)
    elif t == "int":
        ok = isinstance(v, int) and not isinstance(v, bool)
    elif t == "bool":
        ok = isinstance(v, bool)
    elif t.startswith("list["):
        ok = isinstance(v, list)
        for i, x in enumerate(v if ok else []):
            check(x, t[5:-1], f"{path}[{i}]")
    elif t.startswith("dict("):
        ok = isinstance(v, dict)
        for k, x in (v.items() if ok else []):
            check(x, t[t.index(",") + 1:-1].strip(), f"{path}.{k}")
    else:
        model = getattr(kc, t)
        ok = isinstance(v, dict)
        fields = {j: a for a, j in model.attribute_map.items()}
        for k, x in (v.items() if ok else []):
            if k not in fields:
                errs.append(f"{path}.{k}: no such field in {t} (fields: {', '.join(sorted(fields))})")
            else:
                check(x, model.openapi_types[fields[k]], f"{path}.{k}")
    if not ok:
        errs.append(f"{path}: {v!r} is not {t}")
for d in src:
    check(d, "V1" + d["kind"], d["kind"])
for d, o in zip(src, out):
    contains(d, o, d["kind"])
# values the models leave open
pod = src[2]["spec"]["template"]["spec"]
# the posture this project promises (packaging/kubernetes/README.md): changing it is a decision
# to make here too
c = pod["containers"][0]
sc = c["securityContext"]
want = {"hostPID": True, "hostNetwork": True, "automountServiceAccountToken": False}
for k, v in want.items():
    if pod.get(k) != v:
        errs.append(f"pod spec {k}: {pod.get(k)!r}, not {v!r}")
want = {"privileged": False, "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"], "add": ["AUDIT_READ", "NET_ADMIN", "DAC_READ_SEARCH"]},
        "seccompProfile": {"type": "RuntimeDefault"}}
for k, v in want.items():
    if sc.get(k) != v:
        errs.append(f"securityContext {k}: {sc.get(k)!r}, not {v!r}")
for m in c["volumeMounts"]:
    if m["name"] != "state" and not m.get("readOnly"):
        errs.append(f"volumeMount {m['name']} is writable: only the state may be")
if "limits" not in c.get("resources", {}) or "requests" not in c["resources"]:
    errs.append("resources: requests and limits")
if {"operator": "Exists"} not in pod.get("tolerations", []):
    errs.append("tolerations: not every node")
for m in pod["containers"][0].get("volumeMounts", []):
    if m.get("mountPropagation", "None") not in ("None", "HostToContainer", "Bidirectional"):
        errs.append(f"volumeMounts {m['name']}: mountPropagation {m['mountPropagation']}")
for v in pod.get("volumes", []):
    t = v.get("hostPath", {}).get("type", "")
    if t not in ("", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"):
        errs.append(f"volume {v['name']}: hostPath type {t}")
if errs:
    print("\n".join(errs), file=sys.stderr)
    sys.exit(1)
PY
echo "manifest: kubectl takes it; every field is the Kubernetes API's"

# --- (b) the image and the DaemonSet's settings ---------------------------------------------
rt_need_packages
rt_dockerd_start "$name"
version=$(sed -n 's/^project(scmpwatch VERSION \([0-9.]*\).*/\1/p' "$top/CMakeLists.txt")
t0=$(date +%s.%N)
image=$(DOCKER=$rt_docker "$top/packaging/kubernetes/build-image.sh" --binary "$SCMPWATCH" 2>"$tmp/build-image.log" | tail -1) ||
  fail "build-image.sh: $(tail -5 "$tmp/build-image.log")"
[ "$image" = "scmpwatch:$version" ] || fail "build-image.sh made '$image', not scmpwatch:$version"
awk "BEGIN{printf \"image %s: %.1f s\n\", \"$image\", $(date +%s.%N)-$t0}"
[ "$(rt_docker image inspect -f '{{json .Config.Entrypoint}}' "$image")" = '["/usr/bin/scmpwatch"]' ] ||
  fail "the image's entrypoint is not /usr/bin/scmpwatch"

# The manifest read as `docker run` would need it. Host paths move to this test's daemon
# (its data and exec roots), to /sys/fs/cgroup, to the test's state directory, or to empty
# directories of the test for runtimes that are not here: no directory of the host is made.
node=$(hostname)
"$py" - "$manifest" "$tmp/run.sh" "$image" "$node" \
  "/var/lib/docker=$rt_dir/data" "/run/docker=$rt_run/exec" "/var/lib/scmpwatch=$tmp/state" \
  "/sys/fs/cgroup=/sys/fs/cgroup" "=$tmp/host" <<'PY' || fail "translating the DaemonSet (above)"
import re, shlex, sys, yaml
manifest, out, want_image, node = sys.argv[1:5]
moves = [a.split("=", 1) for a in sys.argv[5:]]
def fail(msg):
    sys.exit("translate: " + msg + " (teach tests/e2e_k8s_daemonset.sh the new setting)")
def only(obj, allowed, what):
    extra = set(obj) - set(allowed)
    if extra:
        fail(f"{what}: {', '.join(sorted(extra))} not translated")
ds = [d for d in yaml.safe_load_all(open(manifest)) if d and d["kind"] == "DaemonSet"][0]
pod = ds["spec"]["template"]["spec"]
only(pod, ["serviceAccountName", "automountServiceAccountToken", "enableServiceLinks", "hostPID",
           "hostNetwork", "hostIPC", "terminationGracePeriodSeconds", "tolerations", "containers",
           "volumes", "priorityClassName", "nodeSelector", "dnsPolicy", "securityContext"], "pod spec")
if pod.get("automountServiceAccountToken", True) is not False:
    fail("a service account token would be mounted")
if len(pod["containers"]) != 1:
    fail("more than one container")
c = pod["containers"][0]
only(c, ["name", "image", "imagePullPolicy", "command", "args", "env", "resources",
         "securityContext", "volumeMounts"], "container")
if c["image"] != want_image:
    fail(f"the manifest runs {c['image']}, build-image.sh makes {want_image}")
flags = []
if pod.get("hostPID"):
    flags += ["--pid", "host"]
if pod.get("hostNetwork"):
    flags += ["--network", "host"]
if pod.get("hostIPC"):
    flags += ["--ipc", "host"]
if "terminationGracePeriodSeconds" in pod:
    flags += ["--stop-timeout", str(pod["terminationGracePeriodSeconds"])]
sc = dict(pod.get("securityContext", {}))
only(sc, ["runAsUser", "runAsGroup", "runAsNonRoot", "seccompProfile"], "pod securityContext")
sc.update(c.get("securityContext", {}))
only(sc, ["runAsUser", "runAsGroup", "runAsNonRoot", "privileged", "allowPrivilegeEscalation",
          "readOnlyRootFilesystem", "capabilities", "seccompProfile"], "securityContext")
if sc.get("privileged"):
    flags.append("--privileged")
if "runAsUser" in sc:
    if sc.get("runAsNonRoot") and sc["runAsUser"] == 0:
        fail("runAsNonRoot with runAsUser 0: the kubelet refuses to start it")
    flags += ["--user", f"{sc['runAsUser']}" + (f":{sc['runAsGroup']}" if "runAsGroup" in sc else "")]
if sc.get("allowPrivilegeEscalation") is False:
    flags += ["--security-opt", "no-new-privileges"]
if sc.get("readOnlyRootFilesystem"):
    flags.append("--read-only")
caps = sc.get("capabilities", {})
only(caps, ["drop", "add"], "capabilities")
for cap in caps.get("drop", []):
    flags += ["--cap-drop", cap]
for cap in caps.get("add", []):
    flags += ["--cap-add", cap]
sp = sc.get("seccompProfile", {"type": "RuntimeDefault"})  # the kubelet's default since 1.27
if sp["type"] == "Unconfined":
    flags += ["--security-opt", "seccomp=unconfined"]
elif sp["type"] != "RuntimeDefault":  # RuntimeDefault: the runtime's own, Docker's default
    fail(f"seccompProfile {sp['type']}")
res = c.get("resources", {})
only(res, ["requests", "limits"], "resources")
def mem(q):
    m = re.fullmatch(r"(\d+)(Ki|Mi|Gi)?", str(q))
    if not m:
        fail(f"memory quantity {q}")
    return m.group(1) + {None: "b", "Ki": "k", "Mi": "m", "Gi": "g"}[m.group(2)]
def cpu(q):
    m = re.fullmatch(r"(\d+)(m?)", str(q))
    if not m:
        fail(f"cpu quantity {q}")
    return int(m.group(1)) / (1000 if m.group(2) else 1)
lim, req = res.get("limits", {}), res.get("requests", {})
only(lim, ["cpu", "memory"], "limits")
only(req, ["cpu", "memory"], "requests")
if "memory" in lim:
    flags += ["--memory", mem(lim["memory"])]
if "cpu" in lim:
    flags += ["--cpus", f"{cpu(lim['cpu']):g}"]
if "memory" in req:
    flags += ["--memory-reservation", mem(req["memory"])]
if "cpu" in req:  # the kubelet's cpu.shares for a request
    flags += ["--cpu-shares", str(max(2, int(cpu(req["cpu"]) * 1024)))]
env = {}
for e in c.get("env", []):
    only(e, ["name", "value", "valueFrom"], "env")
    if "value" in e:
        env[e["name"]] = e["value"]
    elif e.get("valueFrom") == {"fieldRef": {"fieldPath": "spec.nodeName"}}:
        env[e["name"]] = node
    else:
        fail(f"env {e['name']}")
    flags += ["-e", f"{e['name']}={env[e['name']]}"]
expand = lambda s: re.sub(r"\$\((\w+)\)", lambda m: env.get(m.group(1), m.group(0)), s)
command = [expand(a) for a in c.get("command", [])]
args = [expand(a) for a in c.get("args", [])]
if len(command) != 1:
    fail("command is not one executable")
volumes = {}
for v in pod.get("volumes", []):
    only(v, ["name", "hostPath"], f"volume {v['name']}")
    volumes[v["name"]] = v["hostPath"]
def moved(path):
    for frm, to in moves:
        if frm and (path == frm or path.startswith(frm + "/")):
            return to + path[len(frm):]
    return moves[-1][1] + path
mkdirs, shared, mounts = [], [], []
for m in c.get("volumeMounts", []):
    only(m, ["name", "mountPath", "readOnly", "mountPropagation"], f"volumeMount {m['name']}")
    hp = volumes[m["name"]]
    only(hp, ["path", "type"], f"hostPath {m['name']}")
    src = moved(hp["path"])
    if hp.get("type") == "DirectoryOrCreate":
        mkdirs.append(src)
    elif hp.get("type") not in ("Directory", None):
        fail(f"hostPath type {hp.get('type')}")
    opts = ["ro"] if m.get("readOnly") else []
    prop = m.get("mountPropagation", "None")
    if prop == "HostToContainer":
        opts.append("rslave")
        shared.append(src)
    elif prop != "None":
        fail(f"mountPropagation {prop}")
    flags += ["-v", f"{src}:{m['mountPath']}" + (":" + ",".join(opts) if opts else "")]
    mounts.append((m["mountPath"], bool(m.get("readOnly"))))
with open(out, "w") as f:
    q = lambda xs: " ".join(shlex.quote(x) for x in xs)
    f.write(f"run_flags=({q(flags)})\nrun_entrypoint={shlex.quote(command[0])}\n")
    f.write(f"run_args=({q(args)})\nrun_mkdirs=({q(mkdirs)})\nrun_shared=({q(shared)})\n")
    f.write(f"run_mounts=({q(p + (':ro' if ro else ':rw') for p, ro in mounts)})\n")
    f.write(f"run_caps=({q(caps.get('add', []))})\n")
PY
. "$tmp/run.sh"
mkdir -p "$tmp/state"
for d in "${run_mkdirs[@]}"; do mkdir -p "$d"; done
# HostToContainer is rslave: docker wants the source on a shared (or slave) mount, as a
# systemd host's / is. This test's directories sit on whatever the machine has, so each such
# source is bound onto itself and made shared (undone at exit).
for d in "${run_shared[@]}"; do
  while mountpoint -q "$d"; do umount "$d" || break; done # left by an interrupted run
  mount --bind "$d" "$d" && binds+=("$d") && mount --make-shared "$d" ||
    fail "cannot make '$d' a shared mount (HostToContainer needs one)"
done
printf 'docker run'; printf ' %q' "${run_flags[@]}" --entrypoint "$run_entrypoint" "$image" "${run_args[@]}"; echo
rt_docker run -d --name scw-k8s-watcher "${run_flags[@]}" --entrypoint "$run_entrypoint" \
  "$image" "${run_args[@]}" >/dev/null 2>"$tmp/run.err" || fail "docker run of the watcher: $(cat "$tmp/run.err")"
for _ in $(seq 1 150); do
  rt_docker logs scw-k8s-watcher 2>&1 | grep -q 'watching (' && break
  [ "$(rt_docker inspect -f '{{.State.Running}}' scw-k8s-watcher)" = true ] ||
    fail "the watcher's container stopped: $(rt_docker logs scw-k8s-watcher 2>&1 | tail -5)"
  sleep 0.1
done
rt_docker logs scw-k8s-watcher 2>&1 | grep -q 'watching (' ||
  fail "the watcher did not start watching in 15 s: $(rt_docker logs scw-k8s-watcher 2>&1 | tail -5)"

# The process as the kernel sees it.
wpid=$(rt_docker inspect -f '{{.State.Pid}}' scw-k8s-watcher)
for ns in pid net; do
  [ "$(readlink "/proc/$wpid/ns/$ns")" = "$(readlink /proc/self/ns/$ns)" ] ||
    fail "the watcher is not in the node's $ns namespace"
done
"$py" - "$wpid" "${run_caps[@]}" <<'PY' || fail "the watcher's privileges (above)"
import sys
pid, caps = sys.argv[1], sys.argv[2:]
names = ("CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP "
         "LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER "
         "SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE "
         "SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP "
         "MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF "
         "CHECKPOINT_RESTORE").split()
allowed = sum(1 << names.index(c) for c in caps)
st = dict(l.rstrip("\n").split(":\t", 1) for l in open(f"/proc/{pid}/status") if ":\t" in l)
errs = []
for k in ("CapBnd", "CapPrm", "CapEff"):
    if int(st[k], 16) & ~allowed:
        errs.append(f"{k} {st[k]} has capabilities beyond {caps}")
if int(st["CapBnd"], 16) == 0:
    errs.append("CapBnd is empty: the capabilities were not granted")
if st.get("NoNewPrivs") != "1":
    errs.append(f"NoNewPrivs {st.get('NoNewPrivs')}")
if st.get("Seccomp") != "2":
    errs.append(f"Seccomp {st.get('Seccomp')} (2: a filter)")
if errs:
    sys.exit("\n".join(errs))
PY
"$py" - "$wpid" "${run_mounts[@]}" <<'PY' || fail "the watcher's mounts (above)"
import sys
pid, want = sys.argv[1], sys.argv[2:]
mounts = {}
for line in open(f"/proc/{pid}/mountinfo"):
    f = line.split()
    mounts[f[4]] = f[5].split(",")
errs = []
if "ro" not in mounts.get("/", []):
    errs.append("the root file system is writable")
for w in want:
    path, mode = w.rsplit(":", 1)
    if path not in mounts:
        errs.append(f"{path} is not mounted")
    elif mode not in mounts[path]:
        errs.append(f"{path} is mounted {mounts[path]}, not {mode}")
if errs:
    sys.exit("\n".join(errs))
PY
echo "watcher: running in $image with the DaemonSet's settings (pid $wpid)"

# --- (c) a sibling container, attributed from inside ----------------------------------------
"$SCMPWATCH" profile logify -q "$rt_data/app-profile.json" -o "$tmp/app-staging.json" || fail "logify"
rt_docker run -d --name scw-k8s-sibling --network none --security-opt "seccomp=$tmp/app-staging.json" \
  "$rt_image" /app.sh --serve >/dev/null || fail "docker run of the sibling"
for _ in $(seq 1 100); do
  rt_docker logs scw-k8s-sibling 2>/dev/null | grep -qx 'app: done' && break
  sleep 0.1
done
rt_docker logs scw-k8s-sibling 2>/dev/null | grep -qx 'app: done' ||
  fail "the sibling did not finish: $(rt_docker logs scw-k8s-sibling 2>&1)"
id=$(rt_docker inspect -f '{{.Id}}' scw-k8s-sibling)
sleep 1 # the last records reach the watcher
# What `kubectl exec -n scmpwatch ds/scmpwatch -- scmpwatch suggest ...` does: SIGUSR1 for a
# snapshot now, then suggest inside the pod, with its settings and paths.
rt_docker kill -s USR1 scw-k8s-watcher >/dev/null
for _ in $(seq 1 100); do grep -qF "$id" "$tmp/state/state.json" 2>/dev/null && break; sleep 0.1; done
grep -qF "$id" "$tmp/state/state.json" 2>/dev/null || fail "no snapshot with the sibling after SIGUSR1"
in_pod() { rt_docker exec scw-k8s-watcher scmpwatch "$@"; } # by PATH, as kubectl exec
in_pod suggest --state /var/lib/scmpwatch/state.json --format json >"$tmp/report.json" \
  2>"$tmp/suggest.err" || fail "suggest in the pod: $(cat "$tmp/suggest.err")"
bundle=/run/docker/containerd/daemon/io.containerd.runtime.v2.task/moby/$id/config.json
json_check "$tmp/report.json" \
  "w = workload('docker', '$id'); c = w['container']" \
  "assert c['name'] == 'scw-k8s-sibling' and c['image'] == '$rt_image', c" \
  "assert c['cgroup'] == '/docker/$id', c" \
  "assert c['profile_path'] == '$bundle', c" \
  "assert counts(w) == {'chmod': 3, 'mknodat': 3, 'unshare': 1}, counts(w)" \
  "assert all(s['action'] == 'log' and s['arch'] == 'x86_64' for s in w['syscalls']), w['syscalls']" \
  "p = w['profile']" \
  "assert p['source'] == 'runtime' and p['path'] == '$bundle' and p['error'] is None, p" \
  "assert p['log_only'] is True, p"
group=$(python3 -c 'import json, sys
print(*[g["name"] for g in json.load(open(sys.argv[1]))["profiles"] if "docker:" + sys.argv[2] in g["workloads"]])' \
  "$tmp/report.json" "$id")
[ -n "$group" ] || fail "no profile group holds the sibling"
in_pod suggest --state /var/lib/scmpwatch/state.json --format profile \
  --output /var/lib/scmpwatch/tuned/ >/dev/null 2>"$tmp/suggest.err" ||
  fail "suggest --format profile in the pod: $(cat "$tmp/suggest.err")"
spo_in_pod=
if "$SCMPWATCH" suggest --help | grep -q seccompprofile; then
  in_pod suggest --state /var/lib/scmpwatch/state.json --format seccompprofile \
    --output /var/lib/scmpwatch/spo/ >/dev/null 2>"$tmp/suggest.err" ||
    fail "suggest --format seccompprofile in the pod: $(cat "$tmp/suggest.err")"
  spo_in_pod=1
fi
echo "attribution: ${id:0:12} is scw-k8s-sibling ($rt_image) under $bundle, profile group '$group'"

# The pod's end: SIGTERM, then the grace period; the watcher writes its last snapshot.
rt_docker stop scw-k8s-watcher >/dev/null
rc=$(rt_docker inspect -f '{{.State.ExitCode}}' scw-k8s-watcher)
rt_docker logs scw-k8s-watcher >"$tmp/watcher.log" 2>&1
[ "$rc" = 0 ] || fail "the watcher exited with $rc: $(tail -5 "$tmp/watcher.log")"
python3 -c 'import json, sys
assert [n["name"] for n in json.load(open(sys.argv[1]))["nodes"]] == [sys.argv[2]]' "$tmp/state/state.json" "$node" ||
  fail "the state does not name the node '$node' (--node \$(NODE_NAME), the downward API)"
# Collected as `kubectl cp -n scmpwatch POD:/var/lib/scmpwatch collected/NODE` does (it runs
# this tar in the container), suggest still finds the profile the sibling ran in the kept
# copy: its config.json is the node's, gone from here.
rt_docker start scw-k8s-watcher >/dev/null # a pod's container restarts; tar runs in it
mkdir -p "$tmp/collected" "$tmp/cp"
rt_docker exec scw-k8s-watcher tar cf - -C /var/lib -- scmpwatch | tar xf - -C "$tmp/cp" ||
  fail "tar in the pod (kubectl cp) failed"
mv "$tmp/cp/scmpwatch" "$tmp/collected/$node"
[ -s "$tmp/collected/$node/state.json" ] || fail "kubectl cp's tar brought no state.json"
(cd / && "$SCMPWATCH" suggest --state "$tmp/collected/$node/state.json" --format json \
  --output "$tmp/collected.json") 2>"$tmp/suggest.err" ||
  fail "suggest on the collected state: $(cat "$tmp/suggest.err")"
json_check "$tmp/collected.json" \
  "w = workload('docker', '$id'); c = w['container']; p = w['profile']" \
  "assert c['name'] == 'scw-k8s-sibling' and counts(w) == {'chmod': 3, 'mknodat': 3, 'unshare': 1}, w" \
  "assert p['error'] is None and p['path'].startswith('$tmp/collected/$node/state.json.profiles/'), ('the kept copy is not found beside the collected state (the watcher recorded it by its absolute path on the node)', c['profile_kept'], p)"

# --- (d) the tuned profile as a SeccompProfile ----------------------------------------------
tuned=$tmp/state/tuned/$group.json
[ -s "$tuned" ] || fail "no tuned profile $tuned"
if [ -n "$spo_in_pod" ]; then
  spo=$tmp/state/spo/$group.yaml
  [ -s "$spo" ] || fail "suggest --format seccompprofile wrote no $group.yaml: $(ls "$tmp/state/spo")"
  echo "SeccompProfile: from suggest --format seccompprofile"
else
  spo=$tmp/spo.yaml
  "$SCW_TEST_BIN/test_seccompprofile" --render "$tuned" "$group" >"$spo" 2>"$tmp/render.err" ||
    fail "test_seccompprofile --render: $(cat "$tmp/render.err")"
  echo "SeccompProfile: suggest has no --format seccompprofile yet; written by test_seccompprofile --render"
fi
"$py" - "$spo" "$tmp/spo-spec.json" <<'PY' || fail "the SeccompProfile (above)"
import json, re, sys, yaml
# security-profiles-operator's CRD (api/seccompprofile/v1beta1, as of v1.0.0): fields and enums
ACTIONS = {"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
           "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"}
ARCHES = {"SCMP_ARCH_" + a for a in ("NATIVE X86 X86_64 X32 ARM AARCH64 MIPS MIPS64 MIPS64N32 MIPSEL "
          "MIPSEL64 MIPSEL64N32 PPC PPC64 PPC64LE S390 S390X PARISC PARISC64 RISCV64").split()}
FLAGS = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
         "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}
OPS = {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
       "SCMP_CMP_MASKED_EQ"}
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
assert len(docs) == 1, len(docs)
d = docs[0]
assert set(d) == {"apiVersion", "kind", "metadata", "spec"}, set(d)
assert d["apiVersion"] == "security-profiles-operator.x-k8s.io/v1beta1" and d["kind"] == "SeccompProfile", d
assert re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", d["metadata"]["name"]), d["metadata"]
s = d["spec"]
assert set(s) <= {"baseProfileName", "defaultAction", "architectures", "listenerPath",
                  "listenerMetadata", "syscalls", "flags", "state"}, set(s)
assert s["defaultAction"] in ACTIONS, s["defaultAction"]
assert len(set(s.get("architectures", []))) == len(s.get("architectures", [])) and set(s.get("architectures", [])) <= ARCHES
assert set(s.get("flags", [])) <= FLAGS
u64 = lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**63
for i, c in enumerate(s.get("syscalls", [])):
    assert set(c) <= {"names", "action", "errnoRet", "args"} and {"names", "action"} <= set(c), (i, c)
    assert c["action"] in ACTIONS and c["names"] and len(set(c["names"])) == len(c["names"]), (i, c)
    assert all(isinstance(n, str) for n in c["names"]), (i, c)
    assert "errnoRet" not in c or (u64(c["errnoRet"]) and c["errnoRet"] < 2**31), (i, c)
    assert len(c.get("args", [])) <= 6, (i, c)
    for a in c.get("args", []):
        assert set(a) <= {"index", "value", "valueTwo", "op"} and {"index", "op"} <= set(a), (i, a)
        assert u64(a["index"]) and a["op"] in OPS and all(u64(a[k]) for k in ("value", "valueTwo") if k in a), (i, a)
allowed = {n for c in s["syscalls"] if c["action"] == "SCMP_ACT_ALLOW" for n in c["names"]}
assert {"chmod", "mknodat"} <= allowed and "unshare" not in allowed, "the tuned allow list"
assert s["defaultAction"] == "SCMP_ACT_ERRNO", s["defaultAction"]
json.dump(s, open(sys.argv[2], "w"), indent=1)
PY
kube create --dry-run=client --validate=false -f "$spo" -o yaml >"$tmp/spo-dry-run.yaml" 2>"$tmp/dry-run.err" ||
  fail "kubectl create --dry-run=client of the SeccompProfile: $(cat "$tmp/dry-run.err")"
grep -qx 'kind: SeccompProfile' "$tmp/spo-dry-run.yaml" || fail "kubectl did not echo the SeccompProfile"
# What the operator installs on the node is the spec: the app runs enforcing under it.
"$SCMPWATCH" profile validate "$tmp/spo-spec.json" >/dev/null 2>"$tmp/validate.err" ||
  fail "the SeccompProfile's spec is no valid profile: $(cat "$tmp/validate.err")"
rt_docker run --rm --network none --security-opt "seccomp=$tmp/spo-spec.json" "$rt_image" /app.sh \
  >"$tmp/enforced.out" 2>&1 || fail "the app under the SeccompProfile's spec: $(cat "$tmp/enforced.out")"
printf 'app: chmod ok\napp: mknod ok\napp: unshare refused\napp: done\n' | diff -u - "$tmp/enforced.out" >&2 ||
  fail "the app under the SeccompProfile's spec (expected first, got second)"

echo "$name: ok (manifest checked by kubectl and the API models; the watcher ran with its settings in $image and attributed ${id:0:12}: chmod 3, mknodat 3, unshare 1; SeccompProfile '$group' enforces)"
