#!/usr/bin/env bash
# bench/state.sh: what a large state file costs. Generates a deterministic state of
# W workloads x S syscalls (default 10,000 x 100: a million entries, about 170 MB; each entry
# with time buckets as a watcher writes them, none with --no-buckets: a state of before), then
# measures, under /usr/bin/time (wall clock, peak RSS):
#   scmpwatch watch --state (load at start, snapshot, exit on SIGTERM), and
#   scmpwatch suggest --state --format text|json (load, decide, render every proposal).
# Prints one line per run; checks that the watcher's snapshot holds every workload again.
# Usage: bench/state.sh [--build-dir DIR] [--workloads W] [--syscalls S] [--no-buckets] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=build; workloads=10000; syscalls=100; out=bench/out; buckets=1
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --syscalls) syscalls=$2; shift 2 ;;
    --no-buckets) buckets=0; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "state.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
bin=$build/scmpwatch
[ -x "$bin" ] || { echo "state.sh: no $bin; build first (cmake -B $build && cmake --build $build)" >&2; exit 2; }
mkdir -p "$out"
state=$out/state-${workloads}x${syscalls}.json
python3 - "$state" "$workloads" "$syscalls" "$buckets" <<'PY'
import json, sys
path, nw, ns, buckets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
with open(path, "w") as f:
    grid = '"buckets":{"origin":1795875804,"width":1},' if buckets else ''
    f.write('{"format":"scmpwatch-state","version":1,"input":{"seccomp":%d},%s"workloads":['
            % (nw * ns * 3, grid))
    for w in range(nw):
        wid = "%064x" % (w + 1)
        entries = [{"arch": 3221225534, "syscall": s, "code": 2147221504, "count": 3,
                    "first": [1795875804, 0], "last": [1795875805, 0], "pids": [1, 2, 3],
                    "exes": ["/usr/bin/app%d" % w]} for s in range(ns)]
        for e in entries if buckets else []:
            e["buckets"] = [2, 1]
        doc = {"key": "docker:" + wid, "container": {"runtime": "docker", "id": wid, "name": "c%d" % w,
               "image": "registry.example/app%d:1" % w, "cgroup": "/docker/" + wid}, "entries": entries}
        f.write(("," if w else "") + json.dumps(doc, separators=(",", ":")))
    f.write("]}\n")
PY
echo "state: $workloads workloads x $syscalls syscalls, $(($(stat -c %s "$state") / 1048576)) MiB ($state)"

run() { # name, command...
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$out/state-time.txt" "$@" >/dev/null 2>"$out/state-err.txt" ||
    { echo "state.sh: '$name' failed: $(tail -2 "$out/state-err.txt")" >&2; exit 1; }
  read -r wall rss <"$out/state-time.txt"
  printf '  %-40s %8.2f s  %7d MiB peak RSS\n' "$name" "$wall" $((rss / 1024))
}

# the watcher: load, then SIGTERM once it says it is watching (final snapshot, exit 0)
cp "$state" "$out/state-watch.json"
: >"$out/state-empty.log"
/usr/bin/time -f '%e %M' -o "$out/state-time.txt" "$bin" watch --source "follow:$out/state-empty.log" \
  --state "$out/state-watch.json" --interval 3600 2>"$out/state-err.txt" &
pid=$!
for _ in $(seq 600); do grep -q "watching" "$out/state-err.txt" && break; sleep 0.5; done
wpid=$(pgrep -P $pid scmpwatch || echo $pid)
kill -TERM "$wpid"; wait $pid || { echo "state.sh: watch failed: $(tail -2 "$out/state-err.txt")" >&2; exit 1; }
read -r wall rss <"$out/state-time.txt"
printf '  %-40s %8.2f s  %7d MiB peak RSS\n' "watch: load, snapshot, exit" "$wall" $((rss / 1024))
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["workloads"]))' "$out/state-watch.json")
[ "$n" -eq "$workloads" ] && echo "CHECK snapshot after restart holds $n workloads: ok" ||
  { echo "CHECK snapshot after restart holds $n workloads, want $workloads: FAILED"; exit 1; }

run "suggest --state --format text" "$bin" suggest --state "$state" --format text
run "suggest --state --format json" "$bin" suggest --state "$state" --format json
rm -f "$out/state-watch.json" "$out/state-empty.log"
