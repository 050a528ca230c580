#!/usr/bin/env bash
# bench/merge.sh: what merging a fleet's states costs. Generates (as bench/state.sh does) N
# node states of W workloads x S syscalls each (default 10 nodes of 1,000 x 100: 100,000
# entries each, a million in all: the default --max-entries; with time buckets, none with
# --no-buckets), and one state of the same total size on one node, then measures under
# /usr/bin/time (wall clock, peak RSS):
#   scmpwatch merge --state DIR --output FILE    (the N states, one at a time)
#   scmpwatch merge --state ONE --output FILE    (the one big state: load and write alone)
# and checks that the merge kept every workload and entry and dropped nothing at the bounds.
# Usage: bench/merge.sh [--build-dir DIR] [--nodes N] [--workloads W] [--syscalls S] [--no-buckets]
#                       [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=build; nodes=10; workloads=1000; syscalls=100; out=bench/out; buckets=1
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --syscalls) syscalls=$2; shift 2 ;;
    --no-buckets) buckets=0; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "merge.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
bin=$build/scmpwatch
[ -x "$bin" ] || { echo "merge.sh: no $bin; build first (cmake -B $build && cmake --build $build)" >&2; exit 2; }
dir=$out/merge-${nodes}x${workloads}x${syscalls}
rm -rf "$dir"; mkdir -p "$dir/nodes"
# gen PATH FIRST_NODE N_NODES WORKLOADS_PER_NODE: a version 2 state, N_NODES nodes in it
gen() {
  python3 - "$@" "$syscalls" "$buckets" <<'PY'
import json, sys
path, first, n_nodes, nw, ns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
buckets = sys.argv[6] == "1"
with open(path, "w") as f:
    nodes = [{"name": "node-%02d" % (first + k), "saved_at": 1795875900,
              "observed": [1795870000, 1795875900],
              "input": {"lines": nw * ns * 3, "seccomp": nw * ns * 3}} for k in range(n_nodes)]
    grid = '"buckets":{"origin":1795875804,"width":1},' if buckets else ''
    f.write('{"format":"scmpwatch-state","version":2,"saved_at":1795875900,"nodes":%s,%s"workloads":['
            % (json.dumps(nodes, separators=(",", ":")), grid))
    for k in range(n_nodes):
        for w in range(nw):
            wid = "%032x%032x" % (first + k, w + 1)
            entries = [{"arch": 3221225534, "syscall": s, "code": 2147221504, "count": 3,
                        "first": [1795875804, 0], "last": [1795875805, 0], "pids": [1, 2, 3],
                        "exes": ["/usr/bin/app%d" % w]} for s in range(ns)]
            for e in entries if buckets else []:
                e["buckets"] = [2, 1]
            doc = {"key": "docker:" + wid, "node": k,
                   "container": {"runtime": "docker", "id": wid, "name": "c%d" % w,
                                 "image": "registry.example/app%d:1" % w, "cgroup": "/docker/" + wid},
                   "entries": entries}
            f.write(("," if k or w else "") + json.dumps(doc, separators=(",", ":")))
    f.write("]}\n")
PY
}
for k in $(seq 0 $((nodes - 1))); do gen "$dir/nodes/$(printf 'node-%02d' "$k").json" "$k" 1 "$workloads"; done
gen "$dir/one.json" 0 1 $((nodes * workloads))
each=$(($(du -cb "$dir"/nodes/*.json | tail -1 | cut -f1) / nodes / 1048576))
echo "states: $nodes nodes x $workloads workloads x $syscalls syscalls ($each MiB each); one state of $((nodes * workloads)) workloads, $(($(stat -c %s "$dir/one.json") / 1048576)) MiB"

run() { # name, command...
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/err.txt" ||
    { echo "merge.sh: '$name' failed: $(tail -2 "$dir/err.txt")" >&2; exit 1; }
  read -r wall rss <"$dir/time.txt"
  printf '  %-48s %8.2f s  %7d MiB peak RSS\n' "$name" "$wall" $((rss / 1024))
}
run "merge --state DIR ($nodes states) --output" "$bin" merge --state "$dir/nodes" --output "$dir/merged.json"
run "merge --state ONE (the same total) --output" "$bin" merge --state "$dir/one.json" --output "$dir/one-out.json"
python3 - "$dir/merged.json" "$((nodes * workloads))" "$((nodes * workloads * syscalls))" "$nodes" "$buckets" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
nw, ne, nn, buckets = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
got = (len(d["workloads"]), sum(len(w["entries"]) for w in d["workloads"]), len(d["nodes"]))
drops = d["input"]["dropped_at_bounds"]
ok = got == (nw, ne, nn) and drops["workloads"] == 0 and drops["entries"] == 0
# every entry keeps its time buckets (or, from states without them, has none)
ok = ok and all(e.get("buckets") == ([2, 1] if buckets else None)
                for w in d["workloads"] for e in w["entries"])
print("CHECK merged state holds %d workloads, %d entries, %d nodes, no drops, buckets kept: %s"
      % (got + ("ok" if ok else "FAILED",)))
sys.exit(0 if ok else 1)
PY
rm -rf "$dir"
