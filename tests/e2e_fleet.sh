#!/usr/bin/env bash
# e2e_fleet: the states of several nodes, merged. Watchers on synthetic logs
# (`watch --source - --node N`) record their node and observation; states of a Deployment's
# pods on three nodes (written in the documented format, one of them version 1) are merged by
# `suggest --state` (repeated, a directory, '-') and by `scmpwatch merge`, exactly:
#   - counts and input counters add, per node too (input.nodes); "node" per workload;
#   - coverage "in 5 of 6 containers on 3 of 3 nodes" (text) and in JSON;
#   - completeness: the last new syscall, the observation, and records lost -> INCOMPLETE;
#   - merge(A,B) then C is byte for byte merge(A,B,C); kept profiles are copied beside it;
#   - group and file names do not change when the Deployment scales from 1 to 4 pods;
#   - --fail-on exits 4; bad inputs (a newer version, the same state twice, one container on
#     two nodes with different profiles, a kept profile that no longer parses) are named and
#     the others merged; nothing is written when the output cannot be.
set -uo pipefail
bin=${SCMPWATCH:?SCMPWATCH must name the binary}
export NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
pass() { passes=$((passes + 1)); }
# run WANT_RC CMD...: stdout in $tmp/out, stderr in $tmp/err
run() {
  local want=$1; shift
  local rc=0
  "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$*: exit $rc, expected $want"; sed 's/^/  stderr: /' "$tmp/err" | head -20
    return 1
  fi
  pass
}
# check FILE PYTHON: asserts over doc = the JSON in FILE
check() {
  local file=$1; shift
  if python3 - "$file" "$@" <<'PY'; then pass; else fail "check on $file: $*"; fi
import json, sys
doc = json.load(open(sys.argv[1]))
for code in sys.argv[2:]:
    exec(code)
PY
}
# same_groups A.json B.json: the same profile groups, proposals and evidence (paths aside)
same_groups() {
  python3 - "$1" "$2" <<'PY'
import json, sys
def groups(f):
    d = json.load(open(f))
    return [(g["name"], g["workloads"], g["proposals"], g["completeness"], g["nodes"]) for g in d["profiles"]]
a, b = groups(sys.argv[1]), groups(sys.argv[2])
assert a == b, (a, b)
PY
}
has() { if grep -qF -- "$2" "$1"; then pass; else fail "$1 lacks: $2"; sed 's/^/  | /' "$1" | head -30; fi; }

cd "$tmp" || exit 1
mkdir states

# --- 1. real watchers on synthetic logs: --node and the observation in the state ------------
serial=0
log() { # log EXE NR COUNT SEC: audit lines (pid 0: nothing to attribute, so per executable)
  for _ in $(seq 1 "$3"); do
    serial=$((serial + 1))
    echo "type=SECCOMP msg=audit($4.$((serial % 1000)):$serial): auid=0 uid=0 gid=0 ses=1 pid=0 comm=\"w\" exe=\"$1\" sig=0 arch=c000003e syscall=$2 compat=0 ip=0x1 code=0x7ffc0000"
  done
}
{ log /opt/web 90 4 1795875800; log /opt/web 133 1 1795875900; } >n1.log
{ log /opt/web 90 3 1795875810; echo "garbage"; } >n2.log
for n in 1 2; do
  run 0 "$bin" watch --source - --state "w$n.json" --node "web-$n" --no-proc-events \
    --sandbox off <"n$n.log"
done
check w1.json \
  "assert doc['version'] == 2 and [n['name'] for n in doc['nodes']] == ['web-1'], doc['nodes']" \
  "n = doc['nodes'][0]; assert n['observed'][0] > 0 and n['observed'][1] >= n['observed'][0], n" \
  "assert n['input']['seccomp'] == 5 and doc['workloads'][0]['node'] == 0, n"
run 0 "$bin" suggest --state w1.json --state w2.json --no-default-rules \
  --profile "$SCW_SOURCE_DIR/tests/data/advise/web.json" --format json
cp out w.json
check w.json \
  "ws = sorted((w['node'], w['key'], w['events']) for w in doc['workloads'])" \
  "assert ws == [('web-1', 'exe:/opt/web', 5), ('web-2', 'exe:/opt/web', 3)], ws" \
  "i = doc['input']; assert i['seccomp'] == 8 and i['other'] == 1, i" \
  "assert i['nodes']['web-1']['seccomp'] == 5 and i['nodes']['web-2']['seccomp'] == 3, i['nodes']" \
  "assert i['nodes']['web-2']['other'] == 1 and i['nodes']['web-1']['other'] == 0" \
  "assert i['nodes']['web-1']['state'] == 'w1.json', i['nodes']['web-1']" \
  "g = doc['profiles'][0]; assert g['name'] == 'web' and g['nodes'] == ['web-1', 'web-2'], g['nodes']" \
  "p = {x['syscall']: x for x in g['proposals']}" \
  "assert (p['chmod']['seen_in'], p['chmod']['seen_on_nodes'], p['chmod']['nodes']) == (2, 2, 2)" \
  "assert p['chmod']['node_coverage'] == '2 of 2' and p['mknod']['node_coverage'] == '1 of 2'"
run 2 "$bin" watch --node "bad/name" --source - --state x.json </dev/null
run 2 "$bin" replay --node "" n1.log

# --- 2. a Deployment's pods on three nodes ------------------------------------------------
# gen.py STATE NODE VERSION LOST FROM TO PODS...: POD is NAME:ID:CHMOD:MKNOD:PROFILE (counts;
# PROFILE names the kept copy, whose content is the profile's number)
cat >gen.py <<'PY'
import json, os, sys
path, node, version, lost, t0, t1 = sys.argv[1:7]
version, lost, t0, t1 = int(version), int(lost), int(t0), int(t1)
kept_dir = path + ".profiles"
os.makedirs(kept_dir, exist_ok=True)
def profile(n):
    return {"ociVersion": "1.0.2", "linux": {"seccomp": {"defaultAction": "SCMP_ACT_LOG",
            "architectures": ["SCMP_ARCH_X86_64"],
            "syscalls": [{"names": ["read", "write"] + (["getpid"] if n == "2" else []),
                          "action": "SCMP_ACT_ALLOW"}]}}}
workloads, seccomp = [], 0
for spec in sys.argv[7:]:
    pod, cid, chmod, mknod, prof = spec.split(":")
    cid = cid * 16
    name = "%s.json" % ("p" + prof)
    json.dump(profile(prof), open(os.path.join(kept_dir, name), "w"), indent=2)
    entries = []
    for nr, n, at in ((90, int(chmod), t0 + 60), (133, int(mknod), t1 - 3600)):
        if n:
            entries.append({"arch": 3221225534, "syscall": nr, "code": 2147221504, "count": n,
                            "first": [at, 0], "last": [at + 10, 0], "pids": [7],
                            "pids_truncated": False, "exes": ["/srv/checkout"],
                            "exes_truncated": False})
            seccomp += n
    c = {"runtime": "containerd", "id": cid, "runtime_namespace": "k8s.io",
         "name": pod, "image": "reg.example/shop/checkout:3", "pod": pod, "namespace": "shop",
         "k8s_container": "checkout",
         "profile_path": "/run/containerd/io.containerd.runtime.v2.task/k8s.io/%s/config.json" % cid,
         "profile_kept": os.path.basename(path) + ".profiles/" + name,
         "labels": {"pod-template-hash": "6d9c7b5f4"}}
    w = {"key": "containerd:k8s.io/" + cid, "container": c, "entries": entries}
    if version == 2:
        w["node"] = 0
    workloads.append(w)
counters = {"lines": seccomp, "seccomp": seccomp, "lost": lost}
doc = {"format": "scmpwatch-state", "version": version, "saved_at": t1, "input": counters}
if version == 2:
    doc["nodes"] = [{"name": node, "saved_at": t1, "observed": [t0, t1], "input": counters}]
doc["workloads"] = workloads
json.dump(doc, open(path, "w"))
PY
T0=1764320000; T1=$((T0 + 14 * 3600))
python3 gen.py states/a.json node-a 2 0 "$T0" "$T1" checkout-6d9c7b5f4-x2x9k:a:3:0:1 checkout-6d9c7b5f4-bd2kq:b:2:0:1
python3 gen.py states/b.json node-b 2 0 "$((T0 + 600))" "$((T1 - 600))" checkout-6d9c7b5f4-vv5cq:c:1:1:1 checkout-6d9c7b5f4-zz7hw:d:0:0:1
python3 gen.py states/c.json node-c 2 12 "$T0" "$T1" checkout-6d9c7b5f4-qq4zz:e:4:0:1 checkout-6d9c7b5f4-pp5rr:f:1:0:1
rules=(--no-default-rules)
run 0 "$bin" suggest "${rules[@]}" --state states/a.json --state states/b.json --state states/c.json
cp out fleet.txt
has fleet.txt "profile checkout: "
has fleet.txt "  6 containers: containerd checkout-6d9c7b5f4-qq4zz (eeeeeeeeeeee) on node-c, containerd checkout-6d9c7b5f4-x2x9k (aaaaaaaaaaaa) on node-a,"
has fleet.txt "in 5 of 6 containers on 3 of 3 nodes"
has fleet.txt "in 1 of 6 containers on 1 of 3 nodes"
has fleet.txt "  completeness: no new syscall for 1 h 10 min over 14 h of observation (the last new: mknod; observed 2025-11-28 08:53:20 to 2025-11-28 22:53:20 UTC, 3 nodes)"
has fleet.txt "  INCOMPLETE: records were lost on its nodes while it was observed: 12 lost by the reader"
has fleet.txt "      first seen:  2025-11-28 08:54:20.000 UTC"
has fleet.txt "      first seen:  2025-11-28 21:43:20.000 UTC"
run 0 "$bin" suggest "${rules[@]}" --state states/a.json --state states/b.json --state states/c.json \
  --format json
cp out fleet.json
check fleet.json \
  "g = doc['profiles'][0]; assert g['name'] == 'checkout' and g['members'] == 6, g['name']" \
  "assert g['nodes'] == ['node-a', 'node-b', 'node-c'], g['nodes']" \
  "p = {x['syscall']: x for x in g['proposals']}" \
  "assert (p['chmod']['count'], p['chmod']['seen_in'], p['chmod']['seen_on_nodes']) == (11, 5, 3)" \
  "assert (p['mknod']['count'], p['mknod']['seen_in'], p['mknod']['seen_on_nodes']) == (1, 1, 1)" \
  "assert p['chmod']['first_seen'] == $T0 + 60 and p['mknod']['first_seen'] == $T1 - 600 - 3600" \
  "c = g['completeness']; assert c['complete'] is False and c['loss'] == {'lost': 12, 'kernel_lost': 0, 'dropped_at_bounds': 0}, c" \
  "assert c['observed_seconds'] == 14 * 3600 and c['quiet_seconds'] == 4200 and c['last_new_syscall'] == 'mknod', c" \
  "i = doc['input']; assert i['seccomp'] == 12 and i['lost'] == 12, i" \
  "assert {k: v['seccomp'] for k, v in i['nodes'].items()} == {'node-a': 5, 'node-b': 2, 'node-c': 5}" \
  "assert sorted(set(w['node'] for w in doc['workloads'])) == ['node-a', 'node-b', 'node-c']"
# the gate
run 4 "$bin" suggest "${rules[@]}" --state states/ --fail-on review,incomplete
has err "--fail-on: 1 profile group incomplete (checkout) (exit 4)"
run 0 "$bin" suggest "${rules[@]}" --state states/ --fail-on review,deny
run 2 "$bin" suggest --state states/ --fail-on sometimes
# a directory and standard input read the same states
run 0 "$bin" suggest "${rules[@]}" --state states/ --format json
python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); assert a["profiles"]==b["profiles"] and a["workloads"]==b["workloads"]' out fleet.json && pass || fail "directory differs"
cat states/a.json states/b.json states/c.json | (cd states && "$bin" suggest "${rules[@]}" --state - --format json) >stdin.json 2>"$tmp/err" &&
  same_groups stdin.json fleet.json && pass || fail "stdin differs: $(cat "$tmp/err")"

# --- 3. merge: in steps is the same as at once --------------------------------------------
mkdir m1 m2 m3
run 0 "$bin" merge --state states/a.json --state states/b.json --output m1/ab.json
run 0 "$bin" merge --state m1/ab.json --state states/c.json --output m2/merged.json
run 0 "$bin" merge --state states/a.json --state states/b.json --state states/c.json --output m3/merged.json
cmp m2/merged.json m3/merged.json && pass || fail "merge(A,B)+C differs from merge(A,B,C)"
[ "$(ls m3/merged.json.profiles)" = "p1.json" ] && pass || fail "kept profiles: $(ls m3/merged.json.profiles)"
check m3/merged.json \
  "assert [n['name'] for n in doc['nodes']] == ['node-a', 'node-b', 'node-c']" \
  "assert all(w['container']['profile_kept'] == 'merged.json.profiles/p1.json' for w in doc['workloads'])" \
  "assert doc['input']['seccomp'] == 12 and doc['nodes'][2]['input']['lost'] == 12"
# the merged state proposes what the states do, from anywhere
mv m3 moved
(cd / && "$bin" suggest "${rules[@]}" --state "$tmp/moved/merged.json" --format json) >merged.json 2>"$tmp/err" &&
  same_groups merged.json fleet.json &&
  pass || fail "suggest on the merged state differs: $(cat "$tmp/err")"
grep -q "is gone\|no longer parses" "$tmp/err" && fail "kept profiles not found from elsewhere: $(cat "$tmp/err")" || pass

# --- 4. bad inputs ------------------------------------------------------------------------
# the same state twice: said, counted once
run 0 "$bin" suggest "${rules[@]}" --state states/a.json --state states/a.json --state ./states/a.json --format json
has err "is the same state file as 'states/a.json': counted once"
check out "assert doc['input']['seccomp'] == 5, doc['input']"
# one node in two states: the later snapshot
cp states/a.json older.json
python3 - older.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["nodes"][0]["observed"][1] -= 999
d["workloads"][0]["entries"][0]["count"] = 1
json.dump(d, open(sys.argv[1], "w"))
PY
run 0 "$bin" suggest "${rules[@]}" --state older.json --state states/a.json --format json
has err "node 'node-a' is in 'older.json' and in 'states/a.json': counted once, from 'states/a.json'"
check out "assert doc['input']['seccomp'] == 5 and len(doc['workloads']) == 2"
# a newer version: named, with what to do; the others merged; exit 1
echo '{"format":"scmpwatch-state","version":3,"nodes":[],"workloads":[]}' >future.json
run 1 "$bin" suggest "${rules[@]}" --state states/a.json --state future.json --format json
has err "future.json: state file version 3, written by a newer scmpwatch; this one reads versions 1 to 2: upgrade scmpwatch"
check out "assert doc['input']['seccomp'] == 5"
run 1 "$bin" merge --state future.json --state states/b.json --output m4.json
[ -s m4.json ] && pass || fail "merge wrote nothing for the good state"
# versions 1 and 2 together
python3 gen.py old.json '' 1 0 "$T0" "$T1" checkout-6d9c7b5f4-ww2ww:g:2:0:1
run 0 "$bin" suggest "${rules[@]}" --state old.json --state states/a.json --format json
check out "assert '(old.json)' in doc['input']['nodes'] and doc['input']['seccomp'] == 7, doc['input']['nodes'].keys()"
# one container on two nodes with different profiles: both kept, named with the files
python3 gen.py d.json node-d 2 0 "$T0" "$T1" checkout-6d9c7b5f4-x2x9k:a:1:0:2
run 0 "$bin" suggest "${rules[@]}" --state states/a.json --state d.json --format json
has err "container 'containerd:k8s.io/aaaaaaaaaaaaaaaa' is claimed by node 'node-a' (state 'states/a.json') with the profile 'states/a.json.profiles/p1.json'"
has err "is claimed by node 'node-d' (state 'd.json') with the profile 'd.json.profiles/p2.json'; both kept"
check out "assert [w['node'] for w in doc['workloads'] if w['key'].endswith('aaaaaaaaaaaaaaaa')] == ['node-a', 'node-d']"
# a kept profile that no longer parses: named, what to do; the rest merged; exit 1
cp -r states broken
echo '{"ociVersion": "1.0.2", "linux": {"seccomp": {' >broken/b.json.profiles/p1.json
run 1 "$bin" merge --state broken/a.json --state broken/b.json --output m5.json
has err "merge: the profile kept for 'containerd:k8s.io/cccccccccccccccc' of node 'node-b' (state 'broken/b.json'), 'broken/b.json.profiles/p1.json', no longer parses"
has err "copy broken/b.json.profiles/ from that node again"
check m5.json "assert sum(w['container']['profile_kept'] is None for w in doc['workloads']) == 2"
run 1 "$bin" suggest "${rules[@]}" --state broken/a.json --state broken/b.json
has err "the profile of a container, 'broken/b.json.profiles/p1.json', no longer parses"
has out "profile checkout: "
# nothing written when the output cannot be
run 1 "$bin" merge --state states/a.json --output nodir/x.json
[ ! -e nodir ] && pass || fail "merge left something behind"
run 2 "$bin" merge --output m.json
run 2 "$bin" merge --state states/a.json

# --- 5. the group's name does not change as the Deployment scales --------------------------
python3 gen.py one.json node-a 2 0 "$T0" "$T1" checkout-6d9c7b5f4-x2x9k:a:3:0:1
python3 gen.py four.json node-a 2 0 "$T0" "$T1" checkout-6d9c7b5f4-x2x9k:a:3:0:1 \
  checkout-6d9c7b5f4-bd2kq:b:1:0:1 checkout-6d9c7b5f4-vv5cq:c:1:0:1 checkout-6d9c7b5f4-zz7hw:d:1:0:1
for n in one four; do
  run 0 "$bin" suggest "${rules[@]}" --state "$n.json" --output "tuned-$n/"
  (cd "tuned-$n" && ls) >"files-$n"
done
[ "$(cat files-one)" = "checkout.diff
checkout.json" ] && pass || fail "1 pod: $(cat files-one)"
cmp -s files-one files-four && pass || fail "4 pods: $(cat files-four)"

echo "e2e_fleet: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
