#!/usr/bin/env bash
# e2e_seccompprofile: `replay`/`suggest --format seccompprofile` writes the tuned profile of each
# group as an SPO SeccompProfile: one YAML document per group on standard output, or
# DIR/<group>.yaml with --output DIR; the added syscall is in spec.syscalls, and what the CRD
# cannot express is said (archMap and includes resolved for this host, as warnings).
set -euo pipefail
bin=${SCMPWATCH:?}; src=${SCW_SOURCE_DIR:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# 4 records of unshare (272, refused by the profile below) by one executable
for i in 1 2 3 4; do
  printf 'type=SECCOMP msg=audit(1795875804.%03d:%d): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=24%02d comm="app" exe="/srv/app" sig=0 arch=c000003e syscall=4 compat=0 ip=0x1 code=0x7ffc0000\n' "$i" "$i" "$i"
done >"$tmp/log"
# a profile that does not allow stat (4): tests/data/profiles/docker-default.json minus stat
python3 - "$src/tests/data/profiles/docker-default.json" "$tmp/app.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
for s in p["syscalls"]:
    s["names"] = [n for n in s["names"] if n != "stat"]
p["syscalls"] = [s for s in p["syscalls"] if s["names"]]
json.dump(p, open(sys.argv[2], "w"), indent=2)
PY
"$bin" replay --no-default-rules --rules "$src/rules/default.yaml" --profile "$tmp/app.json" \
  --format seccompprofile "$tmp/log" >"$tmp/out.yaml" 2>"$tmp/err" || fail "replay: $(cat "$tmp/err")"
grep -qx 'apiVersion: security-profiles-operator.x-k8s.io/v1beta1' "$tmp/out.yaml" || fail "apiVersion"
grep -qx 'kind: SeccompProfile' "$tmp/out.yaml" || fail "kind"
grep -qx '  name: app' "$tmp/out.yaml" || fail "metadata.name: $(grep -m1 'name:' "$tmp/out.yaml")"
grep -qx '  defaultAction: SCMP_ACT_ERRNO' "$tmp/out.yaml" || fail "defaultAction"
grep -q -- '- stat$' "$tmp/out.yaml" || fail "stat is not allowed in the SeccompProfile"
grep -q 'warning: resolved for x86_64 as Docker does' "$tmp/err" || fail "no warning about archMap"
grep -q '^# warning: resolved for x86_64' "$tmp/out.yaml" || fail "no comment about archMap"
grep -v '^ *#' "$tmp/out.yaml" | grep -q 'archMap\|includes\|subArchitectures' && fail "archMap/includes left in the spec"
# --output DIR: DIR/<group>.yaml only
"$bin" replay --profile "$tmp/app.json" --format seccompprofile --output "$tmp/spo" "$tmp/log" \
  2>"$tmp/err2" || fail "replay --output: $(cat "$tmp/err2")"
[ "$(ls "$tmp/spo")" = "app.yaml" ] || fail "files in DIR: $(ls "$tmp/spo")"
cmp -s "$tmp/spo/app.yaml" "$tmp/out.yaml" || fail "the DIR file differs from standard output"
grep -q "wrote $tmp/spo/app.yaml (SeccompProfile" "$tmp/err2" || fail "notice: $(cat "$tmp/err2")"
echo "e2e_seccompprofile: ok"
