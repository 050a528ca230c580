#!/usr/bin/env bash
# bench/html.sh: what the HTML report costs. Generates a deterministic state of W workloads x
# S syscalls (default 10,000 x 50), as bench/state.sh does, then measures under /usr/bin/time:
#   scmpwatch suggest --format html  (load, decide, render) with --profile (one group of W
#   members) and without (W workloads without a profile): seconds, peak RSS, HTML size;
#   scmpwatch suggest --format markdown (its size stays under the 65,000-byte bound);
#   headless Chromium loading the page and taking a screenshot: seconds (if installed).
# Prints the figures; asserts nothing about time.
# Usage: bench/html.sh [--build-dir DIR] [--workloads W] [--syscalls S] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=build; workloads=10000; syscalls=50; out=bench/out
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --syscalls) syscalls=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "html.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
bin=$build/scmpwatch
[ -x "$bin" ] || { echo "html.sh: no $bin; build first" >&2; exit 2; }
mkdir -p "$out"
state=$out/html-state-${workloads}x${syscalls}.json
python3 - "$state" "$workloads" "$syscalls" <<'PY'
import json, sys
path, nw, ns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as f:
    f.write('{"format":"scmpwatch-state","version":1,"input":{"seccomp":%d},"workloads":[' % (nw * ns * 3))
    for w in range(nw):
        wid = "%064x" % (w + 1)
        entries = [{"arch": 3221225534, "syscall": s, "code": 2147221504, "count": 1 + (w + s) % 7,
                    "first": [1795875804 + s * 30, 0], "last": [1795875804 + s * 30 + w % 3600, 0],
                    "pids": [1, 2, 3], "exes": ["/usr/bin/app%d" % (w % 50)]} for s in range(ns)]
        doc = {"key": "docker:" + wid, "container": {"runtime": "docker", "id": wid, "name": "c%d" % w,
               "image": "registry.example/app%d:1" % (w % 50), "cgroup": "/docker/" + wid}, "entries": entries}
        f.write(("," if w else "") + json.dumps(doc, separators=(",", ":")))
    f.write("]}\n")
PY
echo "state: $workloads workloads x $syscalls syscalls, $(($(stat -c %s "$state") / 1048576)) MiB ($state)"
profile=tests/data/advise/web.json

run() { # name, output file, suggest args...
  local name=$1 file=$2; shift 2
  /usr/bin/time -f '%e %M' -o "$out/html-time.txt" "$bin" suggest --state "$state" \
    --no-default-rules --rules rules/default.yaml --output "$file" "$@" 2>"$out/html-err.txt" ||
    { echo "html.sh: '$name' failed: $(tail -2 "$out/html-err.txt")" >&2; exit 1; }
  read -r wall rss <"$out/html-time.txt"
  printf '  %-44s %7.2f s  %6d MiB peak RSS  %8.2f MB output\n' "$name" "$wall" $((rss / 1024)) \
    "$(echo "scale=2; $(stat -c %s "$file") / 1000000" | bc)"
}
run "suggest --format html --profile (1 group)" "$out/report-group.html" --format html --profile "$profile"
run "suggest --format html (no profile known)" "$out/report-lone.html" --format html
run "suggest --format json --profile (for scale)" "$out/report-group.json" --format json --profile "$profile"
run "suggest --format markdown --profile" "$out/report-group.md" --format markdown --profile "$profile"
md=$(stat -c %s "$out/report-group.md")
[ "$md" -le 65000 ] || { echo "html.sh: markdown is $md bytes, over the 65,000 bound" >&2; exit 1; }

chromium=$(command -v chromium || true)
if [ -z "$chromium" ]; then
  echo "  (no chromium: packaging/install-deps.sh browser, to time the page in a browser)"
  exit 0
fi
for page in report-group.html report-lone.html; do
  prof=$(mktemp -d)
  start=$(date +%s.%N)
  timeout 300 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$prof" --screenshot="$out/${page%.html}.png" --window-size=1280,2000 \
    "file://$PWD/$out/$page" >/dev/null 2>&1
  end=$(date +%s.%N)
  rm -rf "$prof"
  printf '  %-44s %7.2f s  (headless, load + screenshot)\n' "chromium $page" "$(echo "$end - $start" | bc)"
done
