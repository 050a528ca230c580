#!/usr/bin/env bash
# e2e_watch_sandbox: the watcher confines itself once its sources are open, whoever starts it.
#  1. --print-sandbox prints the filter (kill, log) and the capability set, and exits 0;
#  2. a running watcher: Seccomp 2 (filter), NoNewPrivs 1, and CapEff/CapPrm/CapBnd exactly
#     CAP_DAC_READ_SEARCH (0x4), nothing inheritable or ambient;
#  3. that capability is what the steady state needs: a container's runtime state in another
#     user's 0700 directory (rootless Podman's homes) is read after the drop; a watcher started
#     without it (setpriv) keeps no capability at all, and the same container stays unnamed
#     with the state file counted unreadable;
#  4. a SIGHUP reload of a rule file that the confined watcher may not read fails with a
#     message (EACCES), the watcher runs on, and a later readable reload succeeds.
# Every live watch test runs sandboxed (the default), so a syscall missing from the allow list
# kills a test. To measure the list again: run the live tests with `--sandbox log` added to
# every `watch` (a wrapper as $SCMPWATCH) while an unconfined watcher records what the kernel
# logs: `scmpwatch watch --no-sandbox --events-all --events obs.jsonl`, then keep the records
# whose exe is scmpwatch. strace -f of the same runs shows the calls the list allows.
# scw-test: exclusive-audit
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
need_root_cgroup2
command -v setpriv >/dev/null || { echo "SKIP: no setpriv (util-linux)"; exit 77; }
logme=${SCW_TEST_BIN:?}/scw_logme
tmp=$(mktemp -d)
id1=$(random_id); id2=$(random_id)
rel1="system.slice/docker-$id1.scope"; rel2="system.slice/docker-$id2.scope"
cleanup() {
  [ -n "${watch_pid:-}" ] && kill -9 "$watch_pid" 2>/dev/null || true
  cgroup_rm "$rel1"; cgroup_rm "$rel2"
  [ -n "${KEEP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT

# 1. the filter, printed
"$SCMPWATCH" watch --print-sandbox >"$tmp/kill.txt" || fail "--print-sandbox exit status"
grep -q 'KILL_PROCESS' "$tmp/kill.txt" || fail "no kill action: $(head "$tmp/kill.txt")"
grep -q '"recvmmsg"' "$tmp/kill.txt" || fail "recvmmsg not allowed"
grep -q '"execve"' "$tmp/kill.txt" && fail "execve allowed"
grep -q '^# capabilities kept.*: cap_dac_read_search$' "$tmp/kill.txt" || fail "capabilities line"
grep -q 'SCMP_ACT_LOG' <<<"$("$SCMPWATCH" watch --sandbox log --print-sandbox)" || fail "log mode"
grep -q 'no filter' <<<"$("$SCMPWATCH" watch --no-sandbox --print-sandbox)" || fail "off"
"$SCMPWATCH" watch --sandbox strict >/dev/null 2>&1 && fail "a bad --sandbox was taken"

# a docker root owned by someone else, 0700 all the way (as a rootless user's home is)
dr=$tmp/docker-nobody
for id in "$id1" "$id2"; do
  mkdir -p "$dr/containers/$id"
  printf '{"Name":"/sbx-%s","Config":{"Image":"busybox:sbx","Labels":{}}}' "${id:0:8}" \
    >"$dr/containers/$id/config.v2.json"
done
chown -R nobody:nogroup "$dr"; chmod -R go-rwx "$dr"
rdir=$tmp/rules-nobody; mkdir -p "$rdir"
printf 'version: 1\n' >"$rdir/rules.yaml"
chown -R nobody:nogroup "$rdir"; chmod 0700 "$rdir"; chmod 0600 "$rdir/rules.yaml"

status_field() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$watch_pid/status"; }

# 2. + 3. as root: confined, one capability, and it reads the 0700 state
start_watch --state "$tmp/s1.json" --interval 1 --runtime-root "docker=$dr" --rules "$rdir/rules.yaml"
[ "$(status_field Seccomp)" = 2 ] || fail "Seccomp: $(status_field Seccomp)"
[ "$(status_field NoNewPrivs)" = 1 ] || fail "NoNewPrivs: $(status_field NoNewPrivs)"
for f in CapEff CapPrm CapBnd; do
  [ "$(status_field $f)" = 0000000000000004 ] || fail "$f $(status_field $f), want 0x4 (cap_dac_read_search)"
done
for f in CapInh CapAmb; do
  [ "$(status_field $f)" = 0000000000000000 ] || fail "$f $(status_field $f)"
done
"$logme" --cgroup "$rel1" chmod:3 >/dev/null || fail "logme 1"
kill -HUP "$watch_pid"  # readable through cap_dac_read_search
sleep 1.2
kill -0 "$watch_pid" || fail "the confined watcher died"
stop_watch TERM || fail "exit status $?"
grep -q "rules reloaded" "$tmp/watch.log" || fail "reload with the capability failed"
"$SCMPWATCH" suggest --state "$tmp/s1.json" --format json >"$tmp/r1.json"
json_check "$tmp/r1.json" \
  "w = workload('docker', '$id1'); assert counts(w) == {'chmod': 3}, counts(w)" \
  "assert w['container']['name'] == 'sbx-${id1:0:8}', w['container']"

# 3. + 4. started without CAP_DAC_READ_SEARCH: nothing kept, the state is unreadable, and so
# is the rule file on reload (loaded at start, before the drop, while CAP_DAC_OVERRIDE held)
: >"$tmp/watch.log"
rm -f "$tmp/ready"
setpriv --bounding-set -dac_read_search -- "$SCMPWATCH" watch --ready-file "$tmp/ready" \
  --log-level info --state "$tmp/s2.json" --interval 1 --runtime-root "docker=$dr" \
  --rules "$rdir/rules.yaml" 2>>"$tmp/watch.log" &
watch_pid=$!
for _ in $(seq 1 100); do [ -e "$tmp/ready" ] && break; sleep 0.1; done
[ -e "$tmp/ready" ] || fail "watcher (no cap_dac_read_search) not ready"
[ "$(status_field CapEff)" = 0000000000000000 ] || fail "CapEff $(status_field CapEff), want none"
[ "$(status_field Seccomp)" = 2 ] || fail "Seccomp without the capability"
"$logme" --cgroup "$rel2" chmod:2 >/dev/null || fail "logme 2"
kill -HUP "$watch_pid"
sleep 0.5
kill -0 "$watch_pid" || fail "the watcher died on a reload it may not read"
grep -q "rule reload failed, the rules loaded before stay in force: .*Permission denied" \
  "$tmp/watch.log" || fail "no EACCES reload message: $(cat "$tmp/watch.log")"
chmod 0755 "$rdir"; chmod 0644 "$rdir/rules.yaml"
kill -HUP "$watch_pid"
sleep 0.5
grep -q "rules reloaded" "$tmp/watch.log" || fail "readable reload failed: $(cat "$tmp/watch.log")"
stop_watch TERM || fail "exit status $? (no cap_dac_read_search)"
"$SCMPWATCH" suggest --state "$tmp/s2.json" --format json >"$tmp/r2.json"
json_check "$tmp/r2.json" \
  "w = workload('docker', '$id2'); assert counts(w) == {'chmod': 2}, counts(w)" \
  "assert w['container']['name'] is None, w['container']"
watch_pid=
echo "e2e_watch_sandbox: ok"
