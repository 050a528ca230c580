#!/usr/bin/env bash
# e2e_runtimes_skip: the runtime helpers report a dockerd that cannot start as a skip (exit 77)
# with the reason, never as a pass, and leave nothing running: a dockerd that exits at once,
# and one that never answers. Fake dockerd programs on PATH; no container runtime is used.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p "$tmp/exits" "$tmp/hangs"
printf '#!/bin/sh\necho "failed to start daemon: fake" >&2\nexit 1\n' >"$tmp/exits/dockerd"
printf '#!/bin/sh\necho $$ >"%s/hang.pid"\nexec sleep 60\n' "$tmp" >"$tmp/hangs/dockerd"
chmod +x "$tmp/exits/dockerd" "$tmp/hangs/dockerd"

# run_case DIR: rt_dockerd_start with DIR's dockerd first on PATH; prints its stderr
run_case() {
  local rc=0
  PATH=$1:$PATH SCW_TEST_BIN=$tmp/bin RT_DOCKERD_WAIT_TENTHS=20 bash -c '
    . "$0/lib/runtimes.sh"
    rt_docker=/bin/false
    rt_dockerd_start skiptest
    echo "SHOULD NOT BE HERE"' "$here" >"$tmp/out" 2>&1 || rc=$?
  [ "$rc" -eq 77 ] || { cat "$tmp/out" >&2; fail "$1: exit status $rc, expected 77"; }
  grep -q "SHOULD NOT BE HERE" "$tmp/out" && fail "$1: went on after a failed start"
  cat "$tmp/out"
}
run_case "$tmp/exits" | tee "$tmp/exits.out" | grep -qx "SKIP: dockerd exited at start (log above)" ||
  fail "no reason given for a dockerd that exits: $(cat "$tmp/exits.out")"
grep -q "failed to start daemon: fake" "$tmp/exits.out" || fail "dockerd's own message is not shown"
run_case "$tmp/hangs" | tee "$tmp/hangs.out" | grep -q "^SKIP: dockerd did not answer on unix://.* within 2 s" ||
  fail "no reason given for a dockerd that does not answer: $(cat "$tmp/hangs.out")"
hang=$(cat "$tmp/hang.pid")
for _ in $(seq 1 50); do kill -0 "$hang" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$hang" 2>/dev/null; then
  kill "$hang"
  fail "the dockerd that did not answer was left running"
fi
echo "e2e_runtimes_skip: ok"
