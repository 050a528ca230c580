#!/usr/bin/env bash
# e2e_check: `scmpwatch check` on this host (as root every required check passes) and on
# doctored inputs (a kernel config without CONFIG_AUDIT, an actions_logged without 'log'),
# where the matching line must FAIL with its fix and the exit status must be 1.
set -euo pipefail
bin=${SCMPWATCH:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root for the netlink checks"; exit 77; fi

out=$("$bin" check) || fail "check failed on this host: $out"
grep -q '^PASS  audit netlink group' <<<"$out" || fail "netlink line missing: $out"
grep -q '^PASS  seccomp actions_logged' <<<"$out" || fail "actions_logged line missing"
grep -q '^PASS  libseccomp .*API level' <<<"$out" || fail "libseccomp line missing"
grep -qE '^(PASS|WARN)  proc connector' <<<"$out" || fail "proc connector line missing"
grep -qE '^PASS  host kernel version +[0-9][^,]*, from (uname -r|Debian \(uname -v\)|Ubuntu \(/proc/version_signature\)):' <<<"$out" \
  || fail "host kernel version line missing: $out"

# a kernel built without audit
printf 'CONFIG_SECCOMP=y\nCONFIG_SECCOMP_FILTER=y\n# CONFIG_AUDIT is not set\n' >"$tmp/config"
set +e; out=$("$bin" check --kernel-config "$tmp/config"); rc=$?; set -e
[ "$rc" -eq 1 ] || fail "expected exit 1 without CONFIG_AUDIT, got $rc"
grep -q '^FAIL  CONFIG_AUDIT .*CONFIG_AUDIT=y' <<<"$out" || fail "no FAIL line with the fix: $out"
grep -q '^PASS  CONFIG_SECCOMP_FILTER' <<<"$out" || fail "SECCOMP_FILTER should pass: $out"

# the same config gzip'd, as /proc/config.gz is
gzip -c "$tmp/config" >"$tmp/config.gz"
set +e; out=$("$bin" check --kernel-config "$tmp/config.gz"); rc=$?; set -e
[ "$rc" -eq 1 ] && grep -q '^FAIL  CONFIG_AUDIT' <<<"$out" || fail "gzip config not read: $out"

# seccomp logging of 'log' switched off
mkdir -p "$tmp/proc/sys/kernel/seccomp" "$tmp/proc/self"
echo "kill_process kill_thread trap errno" >"$tmp/proc/sys/kernel/seccomp/actions_logged"
cp /proc/self/mountinfo "$tmp/proc/self/mountinfo"
set +e; out=$("$bin" check --proc "$tmp/proc" --kernel-config "$tmp/nonexistent"); rc=$?; set -e
[ "$rc" -eq 1 ] || fail "expected exit 1 without 'log' in actions_logged, got $rc"
grep -q "^FAIL  seccomp actions_logged .*actions_logged" <<<"$out" || fail "no fix shown: $out"

set +e; "$bin" check --bogus >/dev/null 2>&1; rc=$?; set -e
[ "$rc" -eq 2 ] || fail "usage error should exit 2, got $rc"
echo "e2e_check: ok"
