#!/usr/bin/env bash
# e2e_docker_default_profile: Docker's own seccomp profiles, not a fixture of ours. Debian
# ships Moby's profiles/seccomp/default.json (and the fixtures its tests use) in
# golang-github-docker-docker-dev; the package is fetched with `apt-get download` and unpacked
# (nothing installed). Then: `profile validate` builds every archMap filter with libseccomp
# with no error; `profile show` answers as Docker documents (chmod allowed, reboot refused
# without CAP_SYS_BOOT, allowed with it; clone conditional on its flags); the logified
# profile validates and logs by default; a tuned copy of the logified one enforces again.
# Without Debian's registry the test says so and is skipped (exit 77), never passed.
set -euo pipefail
bin=${SCMPWATCH:?}
cache=${SCW_TEST_BIN:-/tmp}/debs
fail() { echo "FAIL: $*" >&2; exit 1; }
pkg=golang-github-docker-docker-dev
mkdir -p "$cache"
if ! ls "$cache"/${pkg}_*.deb >/dev/null 2>&1; then
  (cd "$cache" && { apt-get download "$pkg" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get download "$pkg" >/dev/null 2>&1; }; }) ||
    { echo "SKIP: cannot download $pkg from Debian's registry (Docker's default profile)"; exit 77; }
fi
deb=$(ls "$cache"/${pkg}_*.deb | head -1)
x=$cache/x; [ -d "$x" ] || dpkg-deb -x "$deb" "$x"
d=$x/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp
[ -f "$d/default.json" ] || fail "no default.json in $deb"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for f in default.json fixtures/example.json fixtures/conditional_include.json fixtures/default-old-format.json; do
  out=$("$bin" profile validate "$d/$f" 2>&1) || fail "validate $f: $out"
  grep -q "valid (Docker profile; 0 errors" <<<"$out" || fail "validate $f: $out"
done
# one filter per archMap entry of default.json, each built by libseccomp
n_map=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["archMap"]))' "$d/default.json")
n_built=$("$bin" profile validate "$d/default.json" 2>&1 | grep -c "note: filter for ")
[ "$n_map" -eq "$n_built" ] || fail "$n_built filters built for $n_map archMap entries"

"$bin" profile show --arch x86_64 --syscall chmod --syscall reboot --syscall clone -f json \
  "$d/default.json" >"$tmp/show.json" || fail "show"
"$bin" profile show --arch x86_64 --cap CAP_SYS_BOOT --syscall reboot -f json \
  "$d/default.json" >"$tmp/boot.json" || fail "show with CAP_SYS_BOOT"
python3 - "$tmp/show.json" "$tmp/boot.json" <<'PY' || fail "show answers"
import json, sys
v = {(a["syscall"], a["arch"]): a["verdict"] for a in json.load(open(sys.argv[1]))}
assert v[("chmod", "x86_64")] == "allowed", v
assert v[("reboot", "x86_64")] == "refused", v
assert v[("clone", "x86_64")] == "conditional", v
boot = {(a["syscall"], a["arch"]): a["verdict"] for a in json.load(open(sys.argv[2]))}
assert boot[("reboot", "x86_64")] == "allowed", boot
PY

"$bin" profile logify "$d/default.json" >"$tmp/log.json" || fail "logify"
"$bin" profile validate "$tmp/log.json" >/dev/null 2>&1 || fail "logified profile does not validate"
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); assert p["defaultAction"]=="SCMP_ACT_LOG", p["defaultAction"]' "$tmp/log.json" ||
  fail "logified default action"
"$bin" profile tune --allow reboot "$tmp/log.json" >"$tmp/tuned.json" 2>/dev/null || fail "tune"
"$bin" profile validate "$tmp/tuned.json" >/dev/null 2>&1 || fail "tuned profile does not validate"
python3 - "$tmp/tuned.json" <<'PY' || fail "tuned profile"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["defaultAction"] != "SCMP_ACT_LOG", p["defaultAction"]
assert p["syscalls"][-1]["names"] == ["reboot"] and p["syscalls"][-1]["action"] == "SCMP_ACT_ALLOW", p["syscalls"][-1]
PY
echo "e2e_docker_default_profile: ok (Docker $(basename "$deb" | cut -d_ -f2): $n_built filters)"
