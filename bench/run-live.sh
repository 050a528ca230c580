#!/usr/bin/env bash
# bench/run-live.sh: the live benchmark of scmpwatch (issue 7), in one command. Needs root.
#
# Starts `scmpwatch watch --source netlink --state FILE --interval 1` (default settings
# otherwise) in the background, then floods it with scw_flood: first 1,000 calls (the RSS
# baseline), then 1 process for --seconds, then 2 processes for --seconds, each process in its
# own cgroup named like a Docker container and logging every getppid() through seccomp. After
# each phase it waits until the watcher is idle again and reads its state file with
# `scmpwatch suggest --state FILE --format json`. It prints, per phase: records sent (counted
# by the flooders), received (events of the flood containers' workloads), reported lost
# (input.lost, input.kernel_lost), the watcher's CPU microseconds per record (utime+stime from
# /proc/PID/stat) and its RSS (VmRSS, VmHWM from /proc/PID/status); then one "TARGET ... MET|
# MISSED" line per live target of the issue. SIGTERM ends the watcher, which must exit 0.
#
# --reference also runs the bare recv() reader (scw_nlcount) with the default socket buffer
# and with 64 MiB under the same floods: the issue's reference figures. Without `scmpwatch
# watch` in the build, the script says so and exits 1 (after the reference runs if asked).
# SCW_LIVE_WATCH_ARGS adds options to the watcher (the cost of --metrics, say).
# Exit 0 when every target is met, 1 otherwise or on failure, 2 on usage errors.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/run-live.sh [OPTIONS]
Live benchmark: flood scmpwatch watch with SECCOMP records from container-like cgroups and
report records sent, received and lost, CPU per record and RSS. Needs root.

Options:
  --seconds S        seconds of each flooding phase (default 10)
  --long             add a phase that brings the watcher to 10^8 events (about 8 minutes)
  --reference        also measure the bare recv() reader (scw_nlcount), default buffer and
                     64 MiB, under 1 and 2 flooding processes
  --build-dir DIR    where scmpwatch and bench/ tools are built (default ./build)
  --out DIR          where state files and results go (default bench/out)
  -h, --help         show this help
EOF
}

top=$(cd "$(dirname "$0")/.." && pwd)
seconds=10
long=0
reference=0
build=$top/build
out=$top/bench/out
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=${2:?--seconds needs a number}; shift ;;
    --long) long=1 ;;
    --reference) reference=1 ;;
    --build-dir) build=${2:?--build-dir needs a directory}; shift ;;
    --out) out=${2:?--out needs a directory}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-live.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "run-live.sh: --seconds needs a positive number, not '$seconds'" >&2; exit 2; }
if [ "$(id -u)" -ne 0 ]; then
  echo "run-live.sh: needs root (netlink audit multicast, cgroups)" >&2
  exit 1
fi
mkdir -p "$out" "$build"
out=$(cd "$out" && pwd)
build=$(cd "$build" && pwd)
scmpwatch=$build/scmpwatch
flood=$build/bench/scw_flood
nlcount=$build/bench/scw_nlcount
command -v jq >/dev/null || "$top/packaging/install-deps.sh" bench
if [ ! -x "$scmpwatch" ] || [ ! -x "$flood" ] || [ ! -x "$nlcount" ]; then
  echo "== building scmpwatch and the benchmark tools in $build"
  cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j2 --target scmpwatch scw_flood scw_nlcount >/dev/null
fi

failures=0
target() { # NAME TEXT MET(0/1)
  if [ "$3" -eq 1 ]; then echo "TARGET $1: $2 MET"; else echo "TARGET $1: $2 MISSED"; failures=$((failures + 1)); fi
}
now() { echo "${EPOCHREALTIME/,/.}"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k/1024}'; }
hz=$(getconf CLK_TCK)
cpu_ticks() { # utime + stime of PID, in clock ticks (fields 14, 15; comm may hold spaces)
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  echo "$st" | sed 's/.*) //' | awk '{print $12 + $13}'
}
watcher_died() { # the watcher is gone in the middle of the benchmark: say how, stop
  local rc=0
  wait "${wpid:-0}" 2>/dev/null || rc=$?
  echo "run-live.sh: the watcher (pid ${wpid:-?}) died during the benchmark, exit status $rc$([ $rc -gt 128 ] && echo " (signal $((rc - 128)))"); its log:" >&2
  tail -20 "$log" >&2
  trap - EXIT
  exit 1
}
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

echo "== scmpwatch live benchmark"
echo "machine: $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), kernel $(uname -r)"
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kernel audit: $(auditctl -s 2>/dev/null | tr '\n' ' ' || echo 'auditctl not installed')"
echo "actions logged: $(cat /proc/sys/kernel/seccomp/actions_logged)"
echo "command: bench/run-live.sh --seconds $seconds$([ $long -eq 1 ] && echo ' --long')$([ $reference -eq 1 ] && echo ' --reference')"

# flood_run ARGS...: run scw_flood, leave its output in $out/flood.out; sets SENT and IDS.
flood_run() {
  if ! "$flood" "$@" >"$out/flood.out" 2>"$out/flood.err"; then
    echo "run-live.sh: scw_flood $* failed:" >&2; cat "$out/flood.err" >&2
    return 1
  fi
  SENT=$(awk '$1 == "sent" {print $2}' "$out/flood.out")
  RATE=$(awk '$1 == "sent" {print $6}' "$out/flood.out")
  IDS=$(awk '$1 == "child" {print $6}' "$out/flood.out" | paste -sd, -)
}

# ---- reference: the bare recv() reader ----
if [ $reference -eq 1 ]; then
  echo
  echo "== reference: bare recv() reader (scw_nlcount), $seconds s floods"
  printf '| %-26s | %5s | %10s | %10s | %8s | %8s |\n' "reader" "procs" "sent" "received" "lost %" "us/rec"
  printf '|%s|%s|%s|%s|%s|%s|\n' "----------------------------" "-------" "------------" "------------" "----------" "----------"
  for buf in 0 67108864; do
    for procs in 1 2; do
      "$nlcount" --rcvbuf "$buf" >"$out/nlcount.out" 2>&1 &
      nlpid=$!
      sleep 0.5
      flood_run -n "$procs" -s "$seconds" --linger 0.5
      sleep 1
      kill -TERM "$nlpid"; wait "$nlpid" || true
      got=$(awk '$1 == "received" {print $4}' "$out/nlcount.out")
      us=$(awk '$1 == "received" {print $12}' "$out/nlcount.out")
      eff=$(awk '$1 == "received" {print $14}' "$out/nlcount.out")
      if [ "$buf" -eq 0 ]; then label="recv(), default $((eff / 1024)) KiB"; else label="recv(), $((buf >> 20)) MiB"; fi
      printf '| %-26s | %5d | %10d | %10d | %8s | %8s |\n' "$label" "$procs" "$SENT" "$got" \
        "$(awk -v s="$SENT" -v g="$got" 'BEGIN {printf "%.2f", (s-g)*100/s}')" "$us"
    done
  done
fi

# ---- the watcher ----
echo
if ! "$scmpwatch" watch --help >/dev/null 2>&1; then
  echo "run-live.sh: this build of scmpwatch has no working 'watch' command ($scmpwatch watch --help"
  echo "failed); the live benchmark needs the live watcher (issue 3). Build a tree that has it."
  exit 1
fi
if ! "$scmpwatch" suggest --help >/dev/null 2>&1; then
  echo "run-live.sh: this build of scmpwatch has no 'suggest' command to read the watcher's state file."
  exit 1
fi

state=$out/live.state
log=$out/live-watch.log
ready=$out/live.ready
rm -f "$state" "$ready"
# SCW_LIVE_WATCH_ARGS: more watch options, to measure their cost (e.g. "--metrics-file F").
read -r -a extra <<<"${SCW_LIVE_WATCH_ARGS:-}"
echo "== scmpwatch watch --source netlink --state $state --interval 1 ${extra[*]}"
"$scmpwatch" watch --source netlink --state "$state" --interval 1 --ready-file "$ready" \
  "${extra[@]}" >"$log" 2>&1 &
wpid=$!
stop_watcher() { kill -TERM "$wpid" 2>/dev/null || true; }
trap stop_watcher EXIT
for ((i = 0; i < 150; i++)); do
  [ -e "$ready" ] && [ -s "$state" ] && break
  kill -0 "$wpid" 2>/dev/null || { echo "run-live.sh: the watcher exited at start:" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 0.1
done
[ -e "$ready" ] && [ -s "$state" ] ||
  { echo "run-live.sh: the watcher was not ready with a state file in 15 s ($ready, $state)" >&2; tail -20 "$log" >&2; exit 1; }
rss_start=$(status_kb "$wpid" VmRSS)
echo "  watcher pid $wpid, RSS at start $(mib "$rss_start") MiB"

# wait until the watcher has drained: its CPU time still for 1 s (at most 60 s), then one
# snapshot interval more so the state file holds everything.
wait_idle() {
  local last cur still=0
  last=$(cpu_ticks "$wpid") || watcher_died
  for ((i = 0; i < 120 && still < 2; i++)); do
    sleep 0.5
    cur=$(cpu_ticks "$wpid") || watcher_died
    if [ "$cur" = "$last" ]; then still=$((still + 1)); else still=0; fi
    last=$cur
  done
  sleep 1.5
}

snapshot() { # -> $out/live.json
  "$scmpwatch" suggest --state "$state" --format json >"$out/live.json" 2>"$out/suggest.err" || {
    echo "run-live.sh: scmpwatch suggest --state $state failed:" >&2; cat "$out/suggest.err" >&2; return 1; }
}
received_for() { # IDS(comma-separated) -> events of workloads whose container id is one of them
  jq --arg ids "$1" '($ids | split(",")) as $want | [.workloads[] | select(.container != null and (.container.id as $i | $want | index($i))) | .events] | add // 0' "$out/live.json"
}

printf '\n| %-26s | %5s | %10s | %10s | %10s | %6s | %8s | %9s | %9s |\n' "phase" "procs" "sent" "received" "lost (rep.)" "k.lost" "us/rec" "RSS MiB" "HWM MiB"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "----------------------------" "-------" "------------" "------------" "-------------" "--------" "----------" "-----------" "-----------"
declare -A P_SENT P_RECV P_LOST P_US P_RSS
prev_lost=0
prev_seccomp=0
total_events=0
run_phase() { # NAME PROCS FLOOD_ARGS...
  local name=$1 procs=$2; shift 2
  local c0 c1 rec lost klost seccomp us rss hwm
  c0=$(cpu_ticks "$wpid") || watcher_died
  flood_run -n "$procs" "$@"
  kill -0 "$wpid" 2>/dev/null || watcher_died
  wait_idle
  c1=$(cpu_ticks "$wpid") || watcher_died
  snapshot
  rec=$(received_for "$IDS")
  lost=$(jq '.input.lost' "$out/live.json")
  klost=$(jq '.input.kernel_lost' "$out/live.json")
  seccomp=$(jq '.input.seccomp' "$out/live.json")
  us=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v n=$((seccomp - prev_seccomp)) 'BEGIN {if (n > 0) printf "%.2f", t / hz * 1e6 / n; else print "n/a"}')
  rss=$(status_kb "$wpid" VmRSS); hwm=$(status_kb "$wpid" VmHWM)
  total_events=$seccomp
  P_SENT[$name]=$SENT; P_RECV[$name]=$rec; P_LOST[$name]=$((lost - prev_lost)); P_US[$name]=$us; P_RSS[$name]=$rss
  printf '| %-26s | %5d | %10d | %10d | %11d | %6d | %8s | %9s | %9s |\n' "$name" "$procs" "$SENT" "$rec" \
    "$((lost - prev_lost))" "$klost" "$us" "$(mib "$rss")" "$(mib "$hwm")"
  prev_lost=$lost
  prev_seccomp=$seccomp
}

run_phase "warm-up (1,000 calls)" 1 --calls 1000 --linger 0.5
rss_1e3=${P_RSS[warm-up (1,000 calls)]}
run_phase "1 process, ${seconds} s" 1 -s "$seconds" --linger 2
run_phase "2 processes, ${seconds} s" 2 -s "$seconds" --linger 2
if [ $long -eq 1 ]; then
  # 2 processes emit ~250k records/s: enough seconds to pass 10^8 events in all
  need=$(( (100000000 - total_events) / 250000 + 1 ))
  [ "$need" -gt 0 ] || need=1
  run_phase "2 processes, to 10^8 events" 2 -s "$need" --linger 2
fi
hwm=$(status_kb "$wpid" VmHWM)
rss_end=$(status_kb "$wpid" VmRSS)

kill -TERM "$wpid"
trap - EXIT
rc=0
for ((i = 0; i < 300; i++)); do kill -0 "$wpid" 2>/dev/null || break; sleep 0.1; done
wait "$wpid" || rc=$?
echo
echo "watcher: exit status $rc after SIGTERM; $total_events SECCOMP events in all; peak RSS (VmHWM) $(mib "$hwm") MiB"
snapshot && echo "final snapshot: input $(jq -c '.input | {seccomp, lost, kernel_lost, unattributed}' "$out/live.json")"

echo
echo "== targets (issue 7, live)"
for name in "1 process, ${seconds} s" "2 processes, ${seconds} s"; do
  s=${P_SENT[$name]}; r=${P_RECV[$name]}; l=${P_LOST[$name]}
  target "live, $name: zero records lost at full rate" "sent $s, received $r, reported lost $l" \
    "$([ "$s" -eq "$r" ] && [ "$l" -eq 0 ] && echo 1 || echo 0)"
  if [ "$s" -ne $((r + l)) ]; then
    echo "INFO $name: $((s - r - l)) records neither received as the flood containers' nor reported lost (misattributed?)"
  fi
done
worst=$(printf '%s\n' "${P_US[1 process, ${seconds} s]}" "${P_US[2 processes, ${seconds} s]}" | sort -g | tail -1)
target "live: watcher CPU <= 2 us per record (warm cache)" "${worst} us per record (worse of the two phases)" \
  "$(awk -v u="$worst" 'BEGIN {print (u != "n/a" && u <= 2.0)}')"
target "live: RSS flat from 10^3 to $total_events events" \
  "$(mib "$rss_1e3") MiB after 10^3, $(mib "$rss_end") MiB at the end (<= 1.25x + 2 MiB)" \
  "$(awk -v a="$rss_1e3" -v b="$rss_end" 'BEGIN {print (b <= 1.25 * a + 2048)}')"
target "live: the watcher exits 0 on SIGTERM" "exit status $rc" "$([ "$rc" -eq 0 ] && echo 1 || echo 0)"
[ $long -eq 1 ] || echo "INFO RSS was followed to $total_events events; --long goes to 10^8"

if [ $failures -eq 0 ]; then echo "SUMMARY: every live target met"; exit 0; fi
echo "SUMMARY: $failures live target(s) missed"
exit 1
