#!/usr/bin/env bash
# e2e_attribute: `scmpwatch attribute` names the workload of cgroup paths of every runtime
# shape, reads a runtime's state files for name, image and profile (a Docker layout under
# --runtime-root), escapes what a container controls, attributes a live process moved into a
# runtime-named cgroup, and refuses bad arguments with the documented exit codes.
set -euo pipefail
bin=${SCMPWATCH:?}
tmp=$(mktemp -d)
cg=""
cleanup() {
  [ -n "${sleeper:-}" ] && kill "$sleeper" 2>/dev/null || true
  [ -n "$cg" ] && { sleep 0.1; rmdir "$cg" 2>/dev/null || true; }
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
id=$(printf '%064x' $$)       # a container id of our own: nobody else's container
pod=0123abcd-4567-89ef-0123-456789abcdef

# field JSON PYTHON-EXPRESSION: evaluates over the first attribution (a)
field() { python3 -c 'import json,sys; a=json.load(sys.stdin)["attributions"][0]; print(eval(sys.argv[1]))' "$1"; }

# 1. cgroup shapes -> workload keys (the table of README "Attribution")
while IFS='|' read -r path want; do
  got=$("$bin" attribute --format json --cgroup "$path" | field 'a["workload"]')
  [ "$got" = "$want" ] || fail "--cgroup $path: workload '$got', want '$want'"
done <<EOF2
/docker/$id|docker:$id
/system.slice/docker-$id.scope|docker:$id
/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${pod//-/_}.slice/cri-containerd-$id.scope|containerd:$id
/machine.slice/libpod-conmon-$id.scope|monitor:podman:$id
/lxc.payload.web|lxc:web
/no/runtime/here|cgroup:/no/runtime/here
EOF2
got=$("$bin" attribute --format json --cgroup "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${pod//-/_}.slice/cri-containerd-$id.scope" | field 'a["container"]["pod_uid"]')
[ "$got" = "$pod" ] || fail "pod uid '$got', want '$pod'"

# 2. a saved /proc/PID/cgroup (hybrid: v1 lines and the v2 line), on stdin
printf '12:pids:/docker/%s\n1:name=systemd:/docker/%s\n0::/docker/%s\n' "$id" "$id" "$id" >"$tmp/cgroup"
got=$("$bin" attribute --format json --cgroup-file - <"$tmp/cgroup" | field 'a["runtime"]+" "+str(a["pid"])')
[ "$got" = "docker None" ] || fail "--cgroup-file -: '$got'"

# 3. Docker's state files under --runtime-root: name, image, the profile it runs
mkdir -p "$tmp/data/containers/$id" "$tmp/exec/containerd/daemon/io.containerd.runtime.v2.task/moby/$id"
printf '{"Name":"/web","Config":{"Image":"nginx:1.25","Labels":{}}}' \
  >"$tmp/data/containers/$id/config.v2.json"
cfg=$tmp/exec/containerd/daemon/io.containerd.runtime.v2.task/moby/$id/config.json
printf '{"ociVersion":"1.0.2","linux":{"seccomp":{"defaultAction":"SCMP_ACT_LOG"}}}' >"$cfg"
roots=(--runtime-root "docker=$tmp/data" --runtime-root "docker-exec=$tmp/exec")
json=$("$bin" attribute --format json "${roots[@]}" --cgroup "/docker/$id")
[ "$(field 'a["container"]["image"]' <<<"$json")" = "nginx:1.25" ] || fail "image: $json"
[ "$(field 'a["container"]["profile_path"]' <<<"$json")" = "$cfg" ] || fail "profile_path: $json"
[ "$(field 'a["container"]["name"]' <<<"$json")" = web ] || fail "name: $json"
[ "$(field 'a["metadata"]["files_read"]' <<<"$json")" = 2 ] || fail "files_read: $json"
text=$("$bin" attribute "${roots[@]}" --cgroup "/docker/$id")
grep -q 'name *web$' <<<"$text" || fail "text name: $text"
# a container can make cgroups below its own (delegation): the path is escaped in text
esc=$("$bin" attribute --cgroup $'/docker/'"$id"$'/x\e[31my')
grep -q 'cgroup */docker/'"$id"'/x\\x1b\[31my$' <<<"$esc" || fail "cgroup not escaped: $esc"
grep -q "profile *$cfg" <<<"$text" || fail "text profile: $text"
# a half-written state file: counted as bad, the container still named by its cgroup
printf '{"Name":"/web",' >"$tmp/data/containers/$id/config.v2.json"
json=$("$bin" attribute --format json "${roots[@]}" --cgroup "/docker/$id")
[ "$(field 'a["metadata"]["bad"]' <<<"$json")" = 1 ] || fail "bad state file not counted: $json"
[ "$(field 'a["workload"]' <<<"$json")" = "docker:$id" ] || fail "workload lost: $json"

# 4. a live process in a runtime-named cgroup (cgroup v2 hierarchy, as a runtime makes it)
v2=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/mounts)
if [ "$(id -u)" -eq 0 ] && [ -n "$v2" ]; then
  cg=$v2/docker/$id
  mkdir -p "$cg"
  sleep 30 &
  sleeper=$!
  echo "$sleeper" >"$cg/cgroup.procs"
  json=$("$bin" attribute --format json "${roots[@]}" "$sleeper")
  [ "$(field 'a["workload"]+" "+str(a["pid"])' <<<"$json")" = "docker:$id $sleeper" ] ||
    fail "live process: $json"
  kill "$sleeper"; wait "$sleeper" 2>/dev/null || true
  # the process is gone: exit 1 with a message, not a crash
  rc=0; "$bin" attribute "$sleeper" 2>"$tmp/err" >/dev/null || rc=$?
  [ "$rc" -eq 1 ] && grep -q "no such process" "$tmp/err" || fail "gone pid: rc $rc $(cat "$tmp/err")"
  sleeper=""
else
  echo "e2e_attribute: live part not run (needs root and a cgroup v2 mount)"
fi

# 5. bad arguments
for args in "--cgroup relative/path" "--cgroup /a --cgroup-file x" "--runtime-root nope=/x 1" \
  "--runtime-root docker= 1" "notapid" "--format xml 1" ""; do
  rc=0; "$bin" attribute $args >/dev/null 2>&1 || rc=$?
  [ "$rc" -eq 2 ] || fail "attribute $args: exit $rc, want 2"
done
rc=0; "$bin" attribute --cgroup-file "$tmp/none" >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "cannot read '$tmp/none'" "$tmp/err" || fail "missing file: rc $rc"
printf 'garbage\n' >"$tmp/garbage"
rc=0; "$bin" attribute --cgroup-file "$tmp/garbage" >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "no cgroup line" "$tmp/err" || fail "garbage file: rc $rc"
echo "e2e_attribute: ok"
