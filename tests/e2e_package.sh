#!/usr/bin/env bash
# e2e_package: the Debian package is built (packaging/build-deb.sh: dpkg-buildpackage, lintian
# without errors), holds what it should (binary, rules, man pages, the unit naming /usr/bin,
# the rules.d conffile, /var/lib/scmpwatch 0700, Depends from dpkg-shlibdeps), installs on this
# machine with dpkg -i, runs `scmpwatch check` and `scmpwatch rules check` from /usr/bin with
# the rules from /usr/share, and leaves nothing behind after dpkg -P. The unit's systemd-analyze
# security exposure is at most 2.5. Needs root (dpkg); skips only without it.
# scw-test: exclusive-audit (installs /usr/bin/scmpwatch: no other package test at the same time)
set -euo pipefail
src=${SCW_SOURCE_DIR:?}
out=${SCW_TEST_BIN:?}/deb
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (dpkg -i)" >&2; exit 77; }
unset SCMPWATCH_RULES_DIR # the installed binary must find its own rules
# one dpkg at a time with the other tests that install packages (packaging/install-deps.sh)
locked() { flock /var/lock/scmpwatch-apt.lock "$@"; }
cleanup() { locked dpkg -P scmpwatch >/dev/null 2>&1 || true; }
trap cleanup EXIT

# a tree to build from: the checkout (its tracked files, as the script copies them)
deb=$("$src/packaging/build-deb.sh" "$out" | tail -1) || fail "build-deb.sh failed"
[ -f "$deb" ] || fail "no .deb ($deb)"
case "$(basename "$deb")" in scmpwatch_*_"$(dpkg --print-architecture)".deb) ;;
  *) fail "package file name $(basename "$deb")" ;; esac
contents=$(dpkg -c "$deb")
for f in ./usr/bin/scmpwatch ./usr/share/scmpwatch/rules/default.yaml \
  ./usr/share/scmpwatch/rules/cve.yaml ./usr/share/man/man1/scmpwatch-watch.1.gz \
  ./usr/share/man/man5/scmpwatch-rules.5.gz ./lib/systemd/system/scmpwatch.service \
  ./etc/scmpwatch/rules.d/10-local.yaml ./usr/share/doc/scmpwatch/copyright; do
  grep -q " $f\$" <<<"$contents" || fail "$f is not in the package"
done
grep -q '^drwx------ .* ./var/lib/scmpwatch/$' <<<"$contents" || fail "/var/lib/scmpwatch is not 0700"
dpkg-deb -f "$deb" Depends | grep -q 'libseccomp2' || fail "Depends: $(dpkg-deb -f "$deb" Depends)"
ctl=$(mktemp -d); dpkg-deb -e "$deb" "$ctl"
grep -qx /etc/scmpwatch/rules.d/10-local.yaml "$ctl/conffiles" || fail "rules.d is no conffile"
rm -rf "$ctl"

# cmake --install to a prefix of its own: that binary uses that prefix's rules, from anywhere
pfx=$(mktemp -d /tmp/scw-prefix.XXXXXX) # outside the build tree: a binary inside it uses the source rules
rm -rf "$pfx"
cmake --install "$(dirname "$SCMPWATCH")" --prefix "$pfx" >/dev/null || fail "cmake --install --prefix"
grep -q "^ExecStart=$pfx/bin/scmpwatch watch" "$pfx/lib/systemd/system/scmpwatch.service" ||
  fail "the unit installed under $pfx does not start $pfx/bin/scmpwatch"
outside=$(grep -v "^$pfx/" "$(dirname "$SCMPWATCH")/install_manifest.txt" || true)
[ -z "$outside" ] || fail "cmake --install --prefix $pfx wrote outside it: $outside"
printf 'type=SECCOMP msg=audit(1795875804.358:2): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=2407 comm="logme" exe="/tmp/logme" sig=0 arch=c000003e syscall=90 compat=0 ip=0x7f4192faed57 code=0x7ffc0000\n' |
  (cd / && "$pfx/bin/scmpwatch" replay --kernel 6.1.0 --format json -) >"$out/prefix.json" ||
  fail "replay with the binary installed under $pfx"
grep -q "\"$pfx/share/scmpwatch/rules/default.yaml\"" "$out/prefix.json" ||
  fail "the binary under $pfx did not use $pfx/share/scmpwatch/rules: $(grep -m2 default.yaml "$out/prefix.json")"
rm -rf "$pfx"

# install, use, purge
cleanup
locked dpkg -i "$deb" >/dev/null || fail "dpkg -i"
[ -x /usr/bin/scmpwatch ] || fail "/usr/bin/scmpwatch missing after dpkg -i"
grep -q '^ExecStart=/usr/bin/scmpwatch watch' /lib/systemd/system/scmpwatch.service ||
  fail "the unit does not start /usr/bin/scmpwatch"
if command -v systemd-analyze >/dev/null; then
  score=$(systemd-analyze security --offline=yes /lib/systemd/system/scmpwatch.service 2>/dev/null |
    sed -n 's/.*Overall exposure level for scmpwatch.service: \([0-9.]*\).*/\1/p')
  [ -n "$score" ] || fail "systemd-analyze gave no exposure level"
  awk "BEGIN{exit !($score <= 2.5)}" || fail "unit exposure $score (at most 2.5)"
  echo "e2e_package: unit exposure $score"
fi
/usr/bin/scmpwatch --version | grep -q '^scmpwatch ' || fail "--version"
rc=0; (cd / && /usr/bin/scmpwatch check) >/dev/null || rc=$?
[ "$rc" -le 1 ] || fail "scmpwatch check exit $rc"
(cd / && /usr/bin/scmpwatch rules check /usr/share/scmpwatch/rules/default.yaml \
  /usr/share/scmpwatch/rules/cve.yaml /etc/scmpwatch/rules.d/10-local.yaml) >/dev/null ||
  fail "rules check of the installed rules"
# the installed binary finds its own shipped rules (not the source tree's): groups, proposals
(cd / && /usr/bin/scmpwatch rules list-groups) | grep -q '^@mount ' || fail "list-groups"
printf 'type=SECCOMP msg=audit(1795875804.358:2): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=2407 comm="logme" exe="/tmp/logme" sig=0 arch=c000003e syscall=90 compat=0 ip=0x7f4192faed57 code=0x7ffc0000\n' |
  (cd / && /usr/bin/scmpwatch replay --kernel 6.1.0 --format json -) >"$out/replay.json" ||
  fail "replay with the installed binary"
grep -q '"/usr/share/scmpwatch/rules/default.yaml"' "$out/replay.json" ||
  fail "the installed binary did not use /usr/share/scmpwatch/rules/default.yaml"
files=$(dpkg -L scmpwatch | grep -v '^/\.$')
locked dpkg -P scmpwatch >/dev/null || fail "dpkg -P"
for f in $files; do
  case "$f" in /etc | /lib | /lib/systemd | /lib/systemd/system | /usr | /usr/bin | /usr/share | \
    /usr/share/doc | /usr/share/man | /usr/share/man/man1 | /usr/share/man/man5 | /var | /var/lib) continue ;; esac
  [ -e "$f" ] && fail "$f is left after dpkg -P"
done
[ -e /etc/scmpwatch ] && fail "/etc/scmpwatch is left after dpkg -P"
[ -e /var/lib/scmpwatch ] && fail "/var/lib/scmpwatch is left after dpkg -P"
echo "e2e_package: ok ($(basename "$deb"), $(wc -l <<<"$files") paths installed and removed)"
