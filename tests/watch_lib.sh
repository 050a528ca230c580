# watch_lib.sh: shared shell helpers for the watcher's end-to-end tests (sourced, not run).
# Starts `scmpwatch watch` in the background with a ready file, stops it with a signal, and
# checks its JSON report with python3.

fail() { echo "FAIL: $*" >&2; [ -n "${tmp:-}" ] && [ -f "$tmp/watch.log" ] && tail -20 "$tmp/watch.log" >&2; exit 1; }

need_root_cgroup2() {
  [ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (audit netlink, cgroups)"; exit 77; }
  cg2=$(awk '$0 ~ / - cgroup2 / {print $5; exit}' /proc/self/mountinfo)
  [ -n "$cg2" ] && [ -w "$cg2" ] || { echo "SKIP: no writable cgroup v2 mount"; exit 77; }
}

# start_watch ARGS...: runs the watcher in the background; sets watch_pid
start_watch() {
  rm -f "$tmp/ready"
  "$SCMPWATCH" watch --ready-file "$tmp/ready" --log-level info "$@" 2>>"$tmp/watch.log" &
  watch_pid=$!
  for _ in $(seq 1 100); do
    [ -e "$tmp/ready" ] && return 0
    kill -0 "$watch_pid" 2>/dev/null || fail "watcher exited at start"
    sleep 0.1
  done
  fail "watcher not ready after 10 s"
}

# stop_watch [SIGNAL]: signals the watcher and waits; returns its exit status
stop_watch() {
  kill -"${1:-TERM}" "$watch_pid"
  local rc=0
  wait "$watch_pid" || rc=$?
  return $rc
}

random_id() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

# cgroup_rm REL: remove a test cgroup once empty
cgroup_rm() { rmdir "$cg2/$1" 2>/dev/null || true; }

# json_check FILE PYTHON-EXPR-LINES: runs python with `doc` loaded from FILE; the code asserts
json_check() {
  local file=$1; shift
  python3 - "$file" "$@" <<'PY' || fail "report check failed on $file"
import json, sys
doc = json.load(open(sys.argv[1]))
def workload(runtime, cid):
    ws = [w for w in doc["workloads"] if w["container"] and w["container"]["runtime"] == runtime and w["container"]["id"] == cid]
    assert len(ws) == 1, f"{runtime}:{cid}: {len(ws)} workloads"
    return ws[0]
def counts(w):
    return {s["name"]: s["count"] for s in w["syscalls"]}
env = {"doc": doc, "workload": workload, "counts": counts}
for code in sys.argv[2:]:
    exec(code, env)
PY
}
