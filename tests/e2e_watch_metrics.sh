#!/usr/bin/env bash
# e2e_watch_metrics: `watch --metrics` as Prometheus sees it. Debian's real Prometheus
# (packaging/install-deps.sh metrics, run here if it is missing) scrapes the watcher on a
# loopback port every second, and its HTTP API must return the record counts the test wrote:
# per source, and per (workload, syscall, action), with a workload label holding a quote, a
# backslash and a newline exactly as the record's (hex-encoded) executable had them. Also:
# `promtool check metrics` on the endpoint and on --metrics-file, --metrics-top bounding the
# series, the shipped alerts (promtool check rules and test rules) and Grafana dashboard (every
# metric it names exists), and a port in use: a clear error and exit status 3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
src=${SCW_SOURCE_DIR:?}
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null || ! command -v curl >/dev/null; then
  [ "$(id -u)" -eq 0 ] && "$src/packaging/install-deps.sh" metrics >&2 || true
fi
command -v prometheus >/dev/null && command -v promtool >/dev/null && command -v curl >/dev/null ||
  { echo "SKIP: no prometheus/promtool/curl (packaging/install-deps.sh metrics)"; exit 77; }
tmp=$(mktemp -d)
cleanup() {
  [ -n "${watch_pid:-}" ] && kill -9 "$watch_pid" 2>/dev/null || true
  [ -n "${prom:-}" ] && kill "$prom" 2>/dev/null && wait "$prom" 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port); pport=$(free_port)
tag=$(random_id | cut -c1-12)
serial=500
rec() { # rec EXE SYSCALL_NR COUNT: EXE as audit writes it (quoted or hex)
  for _ in $(seq 1 "$3"); do
    serial=$((serial + 1))
    echo "type=SECCOMP msg=audit(1795875804.$((serial % 1000)):$serial): auid=0 uid=0 gid=0 ses=1 pid=0 comm=\"m\" exe=$1 sig=0 arch=c000003e syscall=$2 compat=0 ip=0x1 code=0x7ffc0000"
  done >>"$tmp/audit.log"
}
: >"$tmp/audit.log"
start_watch --source "follow:$tmp/audit.log" --no-state --no-proc-events --interval 1 \
  --metrics "127.0.0.1:$port" --metrics-file "$tmp/scmpwatch.prom" --metrics-top 3
rec "\"/opt/metrics-$tag\"" 90 37
# /opt/q"b\c<newline>d-TAG, hex-encoded as audit does for such bytes
weird_hex=$(printf '/opt/q"b\\c\nd-%s' "$tag" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
rec "$weird_hex" 133 5
# --metrics-top 3: the first three keys keep a series (nothing was counted at the first render),
# the four after them are summed under "other"
for i in 1 2 3 4; do rec "\"/opt/many-$i-$tag\"" 90 1; done
sleep 1.5
curl -sf "http://127.0.0.1:$port/metrics" >"$tmp/m.txt" || fail "GET /metrics"
promtool check metrics <"$tmp/m.txt" || fail "promtool check metrics (endpoint)"
promtool check metrics <"$tmp/scmpwatch.prom" || fail "promtool check metrics (--metrics-file)"
grep -q "^scmpwatch_records_received_total{source=\"follow\",path=\"$tmp/audit.log\"} 46$" "$tmp/m.txt" ||
  fail "received: $(grep records_received "$tmp/m.txt")"
grep -q '^scmpwatch_seccomp_series{kind="exported"} 3$' "$tmp/m.txt" || fail "series bound"
grep -q '^scmpwatch_seccomp_events_total{workload="other",syscall="other",action="other"} 3$' "$tmp/m.txt" ||
  fail "other: $(grep seccomp_events "$tmp/m.txt")"
for f in "$tmp/m.txt" "$tmp/scmpwatch.prom"; do # HELP and TYPE for every family, one prefix
  python3 - "$f" <<'PY' || fail "families in $f"
import re, sys
help_, type_, names = set(), set(), set()
for l in open(sys.argv[1]):
    if l.startswith("# HELP "): help_.add(l.split()[2])
    elif l.startswith("# TYPE "): type_.add(l.split()[2])
    elif l.strip(): names.add(re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", l).group(0))
assert names and names <= help_ and names <= type_, (names - help_, names - type_)
assert all(n.startswith("scmpwatch_") for n in names), names
PY
done
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[ "$(code "http://127.0.0.1:$port/nope")" = 404 ] || fail "404"
[ "$(code -X POST "http://127.0.0.1:$port/metrics")" = 405 ] || fail "405"
[ "$(code -I "http://127.0.0.1:$port/metrics")" = 200 ] || fail "HEAD"

# a real Prometheus scrapes it; its API answers the counts
cat >"$tmp/prometheus.yml" <<EOF2
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ["$src/packaging/prometheus/alerts.yml"]
scrape_configs:
  - job_name: scmpwatch
    static_configs: [{targets: ["127.0.0.1:$port"]}]
EOF2
promtool check config "$tmp/prometheus.yml" >/dev/null || fail "promtool check config"
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
  --web.listen-address="127.0.0.1:$pport" --log.level=warn 2>"$tmp/prometheus.log" &
prom=$!
python3 - "$pport" "$tag" <<'PY' || fail "Prometheus query: $(tail -5 "$tmp/prometheus.log")"
import json, sys, time, urllib.parse, urllib.request
port, tag = sys.argv[1], sys.argv[2]
def query(q):
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": q})
    with urllib.request.urlopen(url, timeout=5) as r:
        d = json.load(r)
    assert d["status"] == "success", d
    return d["data"]["result"]
deadline, res = time.time() + 60, None
while time.time() < deadline:
    try:
        res = query(f'scmpwatch_seccomp_events_total{{workload="exe:/opt/metrics-{tag}",syscall="chmod",action="log"}}')
        if res:
            break
    except Exception:
        pass
    time.sleep(0.5)
assert res and res[0]["value"][1] == "37", res
weird = query(f'scmpwatch_seccomp_events_total{{syscall="mknod"}}')
want = f'exe:/opt/q"b\\c\nd-{tag}'
assert [r["metric"]["workload"] for r in weird] == [want], (weird, want)
assert weird[0]["value"][1] == "5", weird
up = query('up{job="scmpwatch"}')
assert up and up[0]["value"][1] == "1", up
rules = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/rules", timeout=5))
names = {r["name"] for g in rules["data"]["groups"] for r in g["rules"]}
assert {"ScmpwatchRecordsLost", "ScmpwatchDown", "ScmpwatchSilent", "ScmpwatchSnapshotFailing"} <= names, names
print(f"prometheus: 37 chmod and 5 mknod for the escaped workload, {len(names)} alert rules loaded")
PY

# the shipped alerts and dashboard
promtool check rules "$src/packaging/prometheus/alerts.yml" >/dev/null || fail "promtool check rules"
(cd "$src/packaging/prometheus" && promtool test rules alerts_test.yml >/dev/null) || fail "promtool test rules"
python3 - "$src/packaging/grafana/scmpwatch.json" "$src/packaging/prometheus/alerts.yml" "$tmp/m.txt" <<'PY' || fail "dashboard/alerts name metrics that do not exist"
import json, re, sys
have = {l.split()[2] for l in open(sys.argv[3]) if l.startswith("# TYPE ")}
dash = json.load(open(sys.argv[1]))
exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
exprs.append(open(sys.argv[2]).read())
used = {m for e in exprs for m in re.findall(r"\bscmpwatch_[a-z_]+", e)}
assert used and used <= have, used - have
PY

# a port in use: a clear message and exit status 3
rc=0
"$SCMPWATCH" watch --source "follow:$tmp/audit.log" --no-state --no-proc-events \
  --metrics "127.0.0.1:$port" 2>"$tmp/inuse.log" || rc=$?
[ "$rc" -eq 3 ] || fail "port in use: exit status $rc"
grep -q "cannot serve metrics on '127.0.0.1:$port'.*port is in use.*Address already in use" "$tmp/inuse.log" ||
  fail "port in use message: $(cat "$tmp/inuse.log")"
rc=0
"$SCMPWATCH" watch --source "follow:$tmp/audit.log" --no-state --metrics "localhost:80" \
  2>"$tmp/bad.log" || rc=$?
[ "$rc" -eq 3 ] && grep -q "expected ADDR:PORT" "$tmp/bad.log" || fail "bad address: $rc $(cat "$tmp/bad.log")"
stop_watch TERM || fail "watcher exit status $?"
watch_pid=
echo "e2e_watch_metrics: ok"
