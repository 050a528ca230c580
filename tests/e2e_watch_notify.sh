#!/usr/bin/env bash
# e2e_watch_notify: sd_notify as systemd's Type=notify sees it. The test plays the service
# manager: a unix datagram socket of its own (python3) as $NOTIFY_SOCKET. READY=1 must come
# once the watcher is started (its ready file exists by then, the sandbox is on), a SIGHUP
# reload is framed by RELOADING=1 (with MONOTONIC_USEC=) and READY=1, also when the reload
# fails, and SIGTERM brings STOPPING=1. Skips when the binary was built without libsystemd.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
grep -q '^# sd_notify: through libsystemd' <<<"$("$SCMPWATCH" watch --print-sandbox)" ||
  { echo "SKIP: built without libsystemd (sd_notify is a no-op)"; exit 77; }
tmp=$(mktemp -d)
cleanup() {
  [ -n "${watch_pid:-}" ] && kill -9 "$watch_pid" 2>/dev/null || true
  [ -n "${mgr:-}" ] && kill "$mgr" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
sock=$tmp/notify.sock
# the "service manager": one line per datagram, newlines inside a datagram shown as '|'
python3 - "$sock" "$tmp/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        msg = s.recv(4096).decode(errors="replace")
        out.write(msg.replace("\n", "|") + "\n")
PY
mgr=$!
for _ in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || fail "the notify socket did not appear"
wait_for() { # wait_for N: the log has N lines
  for _ in $(seq 1 100); do [ "$(wc -l <"$tmp/notify.log" 2>/dev/null || echo 0)" -ge "$1" ] && return 0; sleep 0.05; done
  fail "expected $1 notifications, got: $(cat "$tmp/notify.log" 2>/dev/null)"
}
printf 'version: 1\n' >"$tmp/rules.yaml"
: >"$tmp/audit.log"
NOTIFY_SOCKET=$sock start_watch --source "follow:$tmp/audit.log" --no-state --no-proc-events \
  --rules "$tmp/rules.yaml"
wait_for 1
[ "$(sed -n 1p "$tmp/notify.log")" = "READY=1" ] || fail "first notification: $(cat "$tmp/notify.log")"
kill -HUP "$watch_pid"
wait_for 3
sed -n 2p "$tmp/notify.log" | grep -Eq '^RELOADING=1\|MONOTONIC_USEC=[0-9]+$' ||
  fail "reload start: $(cat "$tmp/notify.log")"
[ "$(sed -n 3p "$tmp/notify.log")" = "READY=1" ] || fail "reload end: $(cat "$tmp/notify.log")"
# a reload that fails is framed the same way, and the watcher stays
printf 'version: 1\nrules: [unclosed\n' >"$tmp/rules.yaml"
kill -HUP "$watch_pid"
wait_for 5
[ "$(sed -n 5p "$tmp/notify.log")" = "READY=1" ] || fail "failed reload end: $(cat "$tmp/notify.log")"
kill -0 "$watch_pid" || fail "the watcher died on a failed reload"
stop_watch TERM || fail "exit status $?"
wait_for 6
[ "$(sed -n 6p "$tmp/notify.log")" = "STOPPING=1" ] || fail "stop: $(cat "$tmp/notify.log")"
grep -q "rule reload failed" "$tmp/watch.log" || fail "no reload error logged"
watch_pid=
echo "e2e_watch_notify: ok ($(wc -l <"$tmp/notify.log") notifications)"
