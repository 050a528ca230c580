#!/usr/bin/env bash
# e2e_watch_sandbox_selftest: a syscall outside the allow list is refused. The diagnostic
# that makes the watcher try one exists in debug builds only (SCW_DEBUG_SANDBOX, on with
# CMAKE_BUILD_TYPE=Debug, as in the sanitizer suite): SCW_SANDBOX_SELFTEST=execve|ptrace.
#  - default mode: the kernel kills the watcher (SIGSYS: exit status 159) after it was ready,
#    and the audit record of its pid says kill_process for that syscall;
#  - --sandbox=log: the watcher runs on, the record says log.
# The records are read back by an unconfined scmpwatch watching the audit group (our own tool).
# scw-test: exclusive-audit
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (audit netlink)"; exit 77; }
printed=$("$SCMPWATCH" watch --print-sandbox)
grep -q '^# self-test: compiled in' <<<"$printed" ||
  { echo "SKIP: not a debug build (the sandbox self-test is compiled into debug builds only)"; exit 77; }
refused=(execve ptrace)
# the sanitizer build allows LeakSanitizer's ptrace: there, execve stands for both
grep -q '^# sanitizer build' <<<"$printed" && refused=(execve)
tmp=$(mktemp -d)
trap '[ -n "${watch_pid:-}" ] && kill -9 "$watch_pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
# the observer: every SECCOMP record as a JSON line
start_watch --no-sandbox --no-state --no-proc-events --events-all --events "$tmp/obs.jsonl" \
  --interval 1
obs=$watch_pid
: >"$tmp/in.log"
check_record() { # PID SYSCALL ACTION
  for _ in $(seq 1 30); do
    python3 - "$tmp/obs.jsonl" "$@" <<'PY' && return 0
import json, sys
f, pid, name, action = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
for l in open(f):
    d = json.loads(l)
    if d.get("event") == "record" and d["pid"] == pid and d["name"] == name and d["action"] == action:
        sys.exit(0)
sys.exit(1)
PY
    sleep 0.2
  done
  fail "no $3 record for pid $1, syscall $2"
}
for sc in "${refused[@]}"; do
  rm -f "$tmp/ready"
  SCW_SANDBOX_SELFTEST=$sc "$SCMPWATCH" watch --source "follow:$tmp/in.log" --no-state \
    --no-proc-events --ready-file "$tmp/ready" 2>"$tmp/$sc.log" &
  pid=$!
  rc=0; wait "$pid" || rc=$?
  [ "$rc" -eq 159 ] || fail "$sc: exit status $rc, want 159 (SIGSYS): $(cat "$tmp/$sc.log")"
  [ -e "$tmp/ready" ] || fail "$sc: killed before it was ready"
  check_record "$pid" "$sc" kill_process
done
# log mode: logged, not killed
SCW_SANDBOX_SELFTEST=execve "$SCMPWATCH" watch --sandbox=log --source "follow:$tmp/in.log" \
  --no-state --no-proc-events --duration 1 2>"$tmp/log.log" &
pid=$!
wait "$pid" || fail "log mode: exit status $? ($(cat "$tmp/log.log"))"
grep -q "execve was not refused (log mode" "$tmp/log.log" || fail "log mode message: $(cat "$tmp/log.log")"
check_record "$pid" execve log
watch_pid=$obs
stop_watch TERM || true
watch_pid=
echo "e2e_watch_sandbox_selftest: ok"
