#!/usr/bin/env bash
# e2e_docker_shortlived: a private dockerd runs 20 `docker run --rm` containers one after the
# other under a log-only profile; each makes one logged chmod and exits within a fraction of a
# second, so its runtime state is gone before the watcher could read much of it. Every event
# must still be counted and attributed to its own container id (from the cgroup). Then a
# container whose runtime state files are half-written when its events arrive: still counted
# and attributed by id, and no garbage name or image. Skips (77) when dockerd cannot be
# installed or started, saying why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
. "$here/lib/runtimes.sh"
rt_need_packages
tmp=$(mktemp -d)
cleanup() {
  local rc=$?
  [ -n "${watch_pid:-}" ] && kill -9 "$watch_pid" 2>/dev/null || true
  rt_keep_on_failure "$rc" "$tmp" e2e_docker_shortlived
  rt_dockerd_stop
  rm -rf "$tmp"
}
trap cleanup EXIT
rt_dockerd_start e2e_docker_shortlived
echo "dockerd up in ${rt_dockerd_up_sec} s"

# A log-only profile: everything allowed, chmod logged.
profile=$rt_data/log-chmod.json

state=$tmp/state.json
start_watch --state "$state" --interval 1 "${rt_watch_roots[@]}"

n=20
t0=$(date +%s.%N)
for i in $(seq 1 $n); do
  rt_docker run --rm --network none --cidfile "$tmp/cid.$i" --name "scw-short-$i" \
    --security-opt "seccomp=$profile" "$rt_image" \
    sh -c 'echo x >/tmp/f && chmod 600 /tmp/f' >"$tmp/run.$i" 2>&1 || {
    cat "$tmp/run.$i" >&2
    fail "docker run $i failed"
  }
done
t1=$(date +%s.%N)
awk "BEGIN{printf \"%d docker run --rm: %.2f s each\n\", $n, ($t1-$t0)/$n}"
ids=()
for i in $(seq 1 $n); do ids+=("$(cat "$tmp/cid.$i")"); done
[ "$(printf '%s\n' "${ids[@]}" | sort -u | wc -l)" -eq $n ] || fail "container ids are not distinct"
for id in "${ids[@]}"; do
  rt_docker inspect "$id" >/dev/null 2>&1 && fail "container $id still exists after --rm"
done

# A container whose runtime state is half-written when its events come: it waits for the
# signal file, we cut its config.v2.json and OCI config.json in half, then it calls chmod.
half=$(rt_docker run -d --network none --name scw-half --security-opt "seccomp=$profile" \
  "$rt_image" sh -c 'while [ ! -e /tmp/go ]; do usleep 20000; done; chmod 600 /tmp/go /tmp/go')
cfg=$rt_dir/data/containers/$half/config.v2.json
oci=$rt_run/exec/containerd/daemon/io.containerd.runtime.v2.task/moby/$half/config.json
[ -s "$cfg" ] || fail "no $cfg"
[ -s "$oci" ] || fail "no $oci"
for f in "$cfg" "$oci"; do
  sz=$(stat -c %s "$f")
  head -c $((sz / 2)) "$f" >"$f.half" && cp "$f.half" "$f" && rm -f "$f.half"
done
rt_docker exec scw-half touch /tmp/go
rt_docker wait "$half" >/dev/null
sleep 1.5
stop_watch TERM || fail "watcher exit status $? on SIGTERM"
"$SCMPWATCH" suggest --state "$state" --format json >"$tmp/report.json" || fail "suggest failed"

json_check "$tmp/report.json" \
  "ids = '${ids[*]}'.split()" \
  "named = 0
for i, cid in enumerate(ids, 1):
    w = workload('docker', cid)
    assert counts(w) == {'chmod': 1}, (cid, counts(w))
    assert w['container']['cgroup'] == '/docker/' + cid, w['container']
    assert w['syscalls'][0]['action'] == 'log'
    if w['container']['name'] is not None:
        assert w['container']['name'] == 'scw-short-%d' % i, w['container']
        assert w['container']['image'] == '$rt_image', w['container']
        named += 1
print('short-lived: %d of %d attributed to their id, %d with name and image' % (len(ids), len(ids), named))" \
  "h = workload('docker', '$half')
assert counts(h) == {'chmod': 2}, counts(h)
assert h['container']['cgroup'] == '/docker/$half'
assert h['container']['name'] in (None, 'scw-half'), h['container']
assert h['container']['image'] in (None, '$rt_image'), h['container']
print('half-written state: attributed by id, name', h['container']['name'])"
watch_pid=
echo "e2e_docker_shortlived: ok"
