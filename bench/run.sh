#!/usr/bin/env bash
# bench/run.sh: the offline benchmark of scmpwatch (issue 7), in one command.
#
# Generates a deterministic 2,000,000-line audit.log (about 545 MB, half SECCOMP records) into
# bench/out/ and runs on it, whole-process under /usr/bin/time (wall clock, peak RSS):
#   wc -l, grep -c type=SECCOMP, a memchr scanner     (medians of --runs runs)
#   scmpwatch replay --format json, and with -j1      (median of --runs runs)
#   ausearch -m SECCOMP --format raw | wc -l, ausearch -m SECCOMP -i, an auparse reader (once:
#   they take minutes, see DESIGN.md)
# then checks that scmpwatch's counts equal the generator's exactly, replays a corpus with 5%
# malformed and oversized lines (slowdown vs their share of the bytes), a 10x smaller and a 3x
# larger corpus (RSS flat) and a 10,000 workloads x 400 syscalls corpus (bounds). Prints a
# table, one "TARGET ... MET|MISSED" line per target of the issue and one "CHECK" line per
# correctness check. Exit 0 when every target is met and every check passes, 1 otherwise,
# 2 on usage errors. Whole run: about 5 minutes on 2 cores; --quick: under a minute.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/run.sh [OPTIONS]
Run the offline benchmark: scmpwatch replay vs ausearch vs auparse vs grep -c vs wc -l on the
same generated audit.log, a correctness check, malformed/oversized input, RSS and bounds checks.

Options:
  --quick               200,000 lines, 3 runs (for development; the figures are not the
                        issue's)
  --lines N             corpus lines (default 2000000)
  --runs N              runs of each fast tool; the median is reported (default 5)
  --build-dir DIR       where scmpwatch and bench/ tools are built (default ./build; built
                        there with cmake when missing)
  --out DIR             where corpora and results go (default bench/out, git-ignored)
  --no-slow             skip ausearch and the auparse reader (their targets are not judged)
  --auparse-budget S    run the auparse reader on the whole corpus only if it can finish in
                        S seconds (estimated on a 5% prefix), else on a prefix, scaled and
                        said so (default 300)
  --perf                also record the replay with perf and print where its time goes
  --keep                keep every generated corpus (default: remove the large extra ones)
  --wait-idle           first wait (up to 10 minutes) until the 1-minute load average is
                        below 0.5: other processes disturb the timings
  -h, --help            show this help
EOF
}

top=$(cd "$(dirname "$0")/.." && pwd)
lines=2000000
runs=5
build=$top/build
out=$top/bench/out
slow=1
auparse_budget=300
do_perf=0
keep=0
quick=0
wait_idle=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; lines=200000; runs=3 ;;
    --lines) lines=${2:?--lines needs a number}; shift ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    --build-dir) build=${2:?--build-dir needs a directory}; shift ;;
    --out) out=${2:?--out needs a directory}; shift ;;
    --no-slow) slow=0 ;;
    --auparse-budget) auparse_budget=${2:?--auparse-budget needs seconds}; shift ;;
    --perf) do_perf=1 ;;
    --keep) keep=1 ;;
    --wait-idle) wait_idle=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for v in lines runs auparse_budget; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --${v//_/-} needs a positive number, not '${!v}'" >&2; exit 2; }
done
build=$(mkdir -p "$build" && cd "$build" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

# ---- tools ----
if ! command -v ausearch >/dev/null || ! command -v jq >/dev/null || [ ! -x /usr/bin/time ]; then
  echo "== installing the benchmark's packages (packaging/install-deps.sh bench)"
  "$top/packaging/install-deps.sh" bench
fi
scmpwatch=$build/scmpwatch
gen=$build/bench/scw_gen_corpus
memchr=$build/bench/scw_memchr_count
auparse=$build/bench/scw_auparse_count
if [ ! -x "$scmpwatch" ] || [ ! -x "$gen" ] || [ ! -x "$memchr" ] || [ ! -x "$auparse" ]; then
  echo "== building scmpwatch and the benchmark tools in $build"
  cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j2 --target scmpwatch scw_gen_corpus scw_memchr_count \
    scw_auparse_count >/dev/null
fi

# ---- helpers ----
declare -A WALL CPU RSS NRUNS
failures=0
results=$out/results.tsv
: >"$results"

now() { echo "${EPOCHREALTIME/,/.}"; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k/1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.1f", a/b; else print "inf"}'; }

# measure NAME RUNS STDOUT_FILE CMD...: whole-process wall time (median), CPU time user+sys
# (median; steadier than wall when other processes compete) and peak RSS (max).
measure() {
  local name=$1 n=$2 dest=$3; shift 3
  local walls=() cpus=() peak=0 t0 t1 m u s
  for ((i = 0; i < n; i++)); do
    # the input from the page cache every time (this machine reclaims cold pages on its own)
    [ -n "${warm_file:-}" ] && cat "$warm_file" >/dev/null
    t0=$(now)
    if ! /usr/bin/time -f '%M %U %S' -o "$out/time.txt" "$@" >"$dest" 2>"$out/stderr.txt"; then
      echo "run.sh: '$name' failed:" >&2; tail -5 "$out/stderr.txt" >&2
      return 1
    fi
    t1=$(now)
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b-a}')")
    read -r m u s < <(tail -1 "$out/time.txt")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u+s}')")
    [ "$m" -gt "$peak" ] && peak=$m
  done
  WALL[$name]=$(printf '%s\n' "${walls[@]}" | median)
  CPU[$name]=$(printf '%s\n' "${cpus[@]}" | median)
  RSS[$name]=$peak
  NRUNS[$name]=$n
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "${WALL[$name]}" "${CPU[$name]}" "$peak" "$n" >>"$results"
  printf '  %-34s %9.3f s  cpu %7.2f s  %8s MiB  (%d run%s: %s)\n' "$name" "${WALL[$name]}" "${CPU[$name]}" \
    "$(mib "$peak")" "$n" "$([ "$n" -gt 1 ] && echo s)" "${walls[*]}"
}

target() { # NAME VALUE_TEXT MET(0/1)
  if [ "$3" -eq 1 ]; then echo "TARGET $1: $2 MET"; else echo "TARGET $1: $2 MISSED"; failures=$((failures + 1)); fi
}
eq() { [ "$1" = "$2" ] && echo 1 || echo 0; }
check() { # NAME TEXT OK(0/1)
  if [ "$3" -eq 1 ]; then echo "CHECK $1: $2 OK"; else echo "CHECK $1: $2 FAILED"; failures=$((failures + 1)); fi
}

# gen NAME ARGS...: generate $out/NAME.log and NAME.exp unless an identical one is there.
gen() {
  local name=$1; shift
  local f=$out/$name.log e=$out/$name.exp
  local want="# scw_gen_corpus expected counts: $* -o $f --expect $e"
  if [ -f "$f" ] && [ -f "$e" ] && [ "$(head -1 "$e")" = "$want" ] &&
     [ "$(stat -c %s "$f")" = "$(awk '$1 == "bytes" {print $2}' "$e")" ]; then
    echo "  $name: reusing $(basename "$f") ($(exp_get "$e" lines) lines, $(mib $(( $(stat -c %s "$f") / 1024 ))) MiB)"
    return 0
  fi
  local t0; t0=$(now)
  "$gen" "$@" -o "$f" --expect "$e"
  echo "  $name: $(exp_get "$e" lines) lines, $(mib $(( $(stat -c %s "$f") / 1024 ))) MiB," \
       "generated in $(awk -v a="$t0" -v b="$(now)" 'BEGIN {printf "%.1f", b-a}') s"
}
exp_get() { awk -v k="$2" '$1 == k {print $2}' "$1"; }

# compare_counts EXP JSON: exact equality of the input counters and of every entry.
compare_counts() {
  local exp=$1 json=$2
  local got want
  got=$(jq -r '.input | "lines \(.lines) seccomp \(.seccomp) malformed \(.malformed) oversized \(.oversized) other \(.other)"' "$json")
  want=$(awk '/^(lines|seccomp|malformed|oversized|other) / {printf "%s%s %s", (n++ ? " " : ""), $1, $2}' "$exp")
  jq -r '.workloads[] | .key as $k | .syscalls[] | [$k, .arch, (.nr | tostring), .code, (.count | tostring)] | @tsv' \
    "$json" | LC_ALL=C sort >"$out/got.tsv"
  grep '^entry' "$exp" | cut -f2- | LC_ALL=C sort >"$out/want.tsv"
  local n_want n_diff
  n_want=$(wc -l <"$out/want.tsv")
  n_diff=$(diff "$out/want.tsv" "$out/got.tsv" | grep -c '^[<>]' || true)
  if [ "$got" = "$want" ] && [ "$n_diff" -eq 0 ]; then
    check "$3" "input counters ($got) and all $n_want (workload, arch, syscall, action) counts equal the generator's" 1
  else
    check "$3" "expected '$want', got '$got'; $n_diff differing entry lines (first below; full: diff $out/want.tsv $out/got.tsv)" 0
    diff "$out/want.tsv" "$out/got.tsv" | head -6 | sed 's/^/    /' || true
  fi
}

if [ $wait_idle -eq 1 ]; then
  for ((i = 0; i < 60; i++)); do
    awk '{exit !($1 < 0.5)}' /proc/loadavg && break
    [ $i -eq 0 ] && echo "== waiting for the machine to be idle (load $(cut -d' ' -f1 /proc/loadavg))"
    sleep 10
  done
fi
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
echo "== scmpwatch offline benchmark"
echo "machine: $(nproc) cores ($cpu), $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
echo "tools: $("$scmpwatch" --version 2>/dev/null | head -1 || echo scmpwatch), $(ausearch -v 2>&1 | head -1), $(grep --version | head -1)"
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on the machine disturb the figures)"
echo "command: bench/run.sh $([ $quick -eq 1 ] && echo --quick) --lines $lines --runs $runs"
[ $quick -eq 1 ] && echo "note: --quick: figures are for $lines lines, not the issue's 2,000,000"
t_start=$(now)

# ---- the corpus ----
echo "== corpus (deterministic: scw_gen_corpus, seed 1)"
corpus_args() { echo "--lines $1 --seed 1 --format auditd --nodes 3 --rate 800 --seccomp-share 0.5"; }
# shellcheck disable=SC2046 # word splitting of corpus_args is wanted
gen main $(corpus_args "$lines")
corpus=$out/main.log
exp=$out/main.exp
bytes=$(stat -c %s "$corpus")
warm_file=$corpus # measure() reads it into the page cache before each run

# ---- fast tools ----
echo "== timings (whole process; wall = median, RSS = peak)"
measure "wc -l" "$runs" "$out/wc.out" wc -l "$corpus"
measure "grep -c type=SECCOMP" "$runs" "$out/grep.out" grep -c type=SECCOMP "$corpus"
measure "memchr scanner" "$runs" "$out/memchr.out" "$memchr" "$corpus"
measure "scmpwatch replay --format json" "$runs" /dev/null \
  "$scmpwatch" replay --format json -o "$out/replay.json" "$corpus"
measure "scmpwatch replay -j1 --format json" "$runs" /dev/null \
  "$scmpwatch" replay -j1 --format json -o "$out/replay-j1.json" "$corpus"

# ---- slow tools, once ----
if [ $slow -eq 1 ]; then
  measure "ausearch --format raw | wc -l" 1 "$out/ausearch.out" \
    sh -c 'ausearch -m SECCOMP -if "$1" --format raw | wc -l' sh "$corpus"
  # ausearch -i interprets every field (user and group names too) and takes several minutes
  # on the whole corpus: a 10% prefix, scaled, keeps the benchmark under 10 minutes
  head -n $((lines / 10)) "$corpus" >"$out/prefix10.log"
  warm_file=$out/prefix10.log
  measure "ausearch -i (10% prefix)" 1 /dev/null ausearch -m SECCOMP -i -if "$out/prefix10.log"
  WALL[ausearch -i]=$(awk -v w="${WALL[ausearch -i (10% prefix)]}" 'BEGIN {print w * 10}')
  CPU[ausearch -i]=$(awk -v w="${CPU[ausearch -i (10% prefix)]}" 'BEGIN {print w * 10}')
  RSS[ausearch -i]=${RSS[ausearch -i (10% prefix)]}
  rm -f "$out/prefix10.log"
  warm_file=$corpus
  # the auparse reader is the slowest: estimate on a 5% prefix, run whole if within budget
  plines=$((lines / 20))
  head -n "$plines" "$corpus" >"$out/prefix.log"
  warm_file=$out/prefix.log
  measure "auparse reader (5% prefix)" 1 "$out/auparse-prefix.out" "$auparse" "$out/prefix.log"
  est=$(awk -v w="${WALL[auparse reader (5% prefix)]}" 'BEGIN {printf "%.0f", w * 20}')
  warm_file=$corpus
  if [ "$est" -le "$auparse_budget" ]; then
    measure "auparse reader" 1 "$out/auparse.out" "$auparse" "$corpus"
    auparse_note=""
  else
    WALL[auparse reader]=$(awk -v w="${WALL[auparse reader (5% prefix)]}" 'BEGIN {print w * 20}')
    RSS[auparse reader]=${RSS[auparse reader (5% prefix)]}
    CPU[auparse reader]=$(awk -v w="${CPU[auparse reader (5% prefix)]}" 'BEGIN {print w * 20}')
    auparse_note=" (5% prefix x 20: the whole file would take ~${est} s, over --auparse-budget)"
    echo "  auparse reader: estimated ${WALL[auparse reader]} s$auparse_note"
  fi
  rm -f "$out/prefix.log"
fi

# ---- table ----
echo
echo "== results: $lines lines, $(mib $((bytes / 1024))) MiB, $(exp_get "$exp" seccomp) SECCOMP records"
printf '| %-34s | %10s | %10s | %10s | %18s |\n' "tool" "wall (s)" "CPU (s)" "RSS (MiB)" "time / replay"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------------" "------------" "------------" "------------" "--------------------"
rw=${WALL[scmpwatch replay --format json]}
for name in "ausearch --format raw | wc -l" "ausearch -i" "auparse reader" "scmpwatch replay --format json" \
            "scmpwatch replay -j1 --format json" "memchr scanner" "grep -c type=SECCOMP" "wc -l"; do
  [ -n "${WALL[$name]:-}" ] || continue
  printf '| %-34s | %10.3f | %10s | %10s | %17sx |\n' "$name" "${WALL[$name]}" "${CPU[$name]:-}" "$(mib "${RSS[$name]}")" "$(ratio "${WALL[$name]}" "$rw")"
done
[ $slow -eq 1 ] && echo "ausearch -i: measured on a 10% prefix, time x 10 (RSS is the prefix's)"
[ -n "${auparse_note:-}" ] && echo "auparse reader$auparse_note"
echo "replay throughput: $(awk -v b="$bytes" -v w="$rw" 'BEGIN {printf "%.0f MB/s, %.0f ns per line", b/w/1e6, w*1e9/'"$lines"'}')"

# ---- targets ----
echo
echo "== targets (issue 7)"
if [ $slow -eq 1 ]; then
  r=$(ratio "${WALL[ausearch --format raw | wc -l]}" "$rw")
  target "replay >= 50x faster than ausearch --format raw" "${r}x" "$(awk -v r="$r" 'BEGIN {print (r >= 50)}')"
  r2=$(ratio "${WALL[auparse reader]}" "$rw")
  echo "INFO replay vs the auparse reader: ${r2}x faster${auparse_note:-}"
else
  echo "TARGET replay >= 50x faster than ausearch --format raw: not judged (--no-slow)"
fi
r=$(ratio "$rw" "${WALL[grep -c type=SECCOMP]}")
target "replay within 3x of grep -c" "${r}x grep's time" "$(awk -v r="$r" 'BEGIN {print (r <= 3)}')"
echo "INFO replay --jobs: the default is $(ratio "${WALL[scmpwatch replay -j1 --format json]}" "$rw")x" \
  "faster than -j1 (${WALL[scmpwatch replay -j1 --format json]} s) with $(nproc) CPUs"
echo "INFO in CPU time (user+sys, steadier on a busy machine): replay ${CPU[scmpwatch replay --format json]} s =" \
  "$(ratio "${CPU[scmpwatch replay --format json]}" "${CPU[grep -c type=SECCOMP]}")x grep -c$([ $slow -eq 1 ] && echo ", ausearch --format raw $(ratio "${CPU[ausearch --format raw | wc -l]}" "${CPU[scmpwatch replay --format json]}")x replay")"
rss_main=${RSS[scmpwatch replay --format json]}

# ---- correctness ----
echo
echo "== correctness (scmpwatch replay JSON vs the generator's expected counts)"
compare_counts "$exp" "$out/replay.json" "replay counts == generator's"
check "replay --jobs report == -j1's" "byte for byte" \
  "$(cmp -s "$out/replay.json" "$out/replay-j1.json" && echo 1 || echo 0)"
want_sc=$(exp_get "$exp" seccomp)
got=$(cat "$out/grep.out"); check "grep -c agrees" "grep -c type=SECCOMP $got, expected $want_sc" "$(eq "$got" "$want_sc")"
got=$(awk '$1 == "seccomp" {print $2}' "$out/memchr.out"); check "memchr scanner agrees" "$got SECCOMP lines, expected $want_sc" "$(eq "$got" "$want_sc")"
if [ $slow -eq 1 ]; then
  got=$(tr -d ' ' <"$out/ausearch.out"); check "ausearch agrees" "$got raw SECCOMP records, expected $want_sc" "$(eq "$got" "$want_sc")"
  if [ -f "$out/auparse.out" ] && [ -z "${auparse_note:-}" ]; then
    got=$(awk '$1 == "seccomp" {print $2}' "$out/auparse.out"); check "auparse reader agrees" "$got SECCOMP records, expected $want_sc" "$(eq "$got" "$want_sc")"
  fi
fi

# ---- bad input: 4.9% malformed + 0.1% oversized lines (5% of the lines) ----
echo
echo "== bad input: same corpus with 4.9% malformed SECCOMP lines and 0.1% lines over 64 KiB"
gen bad $(corpus_args "$lines") --malformed-share 0.049 --oversized-share 0.001
warm_file=$out/bad.log
bad_bytes=$(stat -c %s "$out/bad.log")
measure "replay, bad-input corpus" "$runs" /dev/null "$scmpwatch" replay --format json -o "$out/bad.json" "$out/bad.log"
compare_counts "$out/bad.exp" "$out/bad.json" "bad-input counts == generator's"
tb=${WALL[replay, bad-input corpus]}
cb=${CPU[replay, bad-input corpus]}; cc=${CPU[scmpwatch replay --format json]}
# CPU time the bad corpus would take if its bytes cost what clean bytes cost (CPU time: wall
# clock moves with whatever else runs on the machine)
slow_ratio=$(awk -v tb="$cb" -v tc="$cc" -v bb="$bad_bytes" -v bc="$bytes" 'BEGIN {printf "%.2f", tb / (tc * bb / bc)}')
echo "  bytes: clean $(mib $((bytes / 1024))) MiB, bad $(mib $((bad_bytes / 1024))) MiB (x$(ratio "$bad_bytes" "$bytes"));" \
     "CPU: clean ${cc} s, bad ${cb} s (x$(ratio "$cb" "$cc")); wall: clean ${rw} s, bad ${tb} s"
target "malformed/oversized lines cost no more than their byte share" \
  "CPU time per byte x${slow_ratio} of the clean corpus's (<= 1.10 allowed for noise)" \
  "$(awk -v r="$slow_ratio" 'BEGIN {print (r <= 1.10)}')"

# ---- RSS flat: 10x smaller and 3x larger corpora ----
echo
echo "== RSS vs file size (one run each, -j1: sizes compared, not thread counts; text = aggregation"
echo "   alone, json = + the JSON document)"
warm_file=$corpus
measure "replay --format text" 1 /dev/null "$scmpwatch" replay -j1 -o "$out/replay.txt" "$corpus"
gen small $(corpus_args $((lines / 10)))
warm_file=$out/small.log
measure "replay, corpus / 10 (json)" 1 /dev/null "$scmpwatch" replay -j1 --format json -o "$out/small.json" "$out/small.log"
measure "replay, corpus / 10 (text)" 1 /dev/null "$scmpwatch" replay -j1 -o "$out/small.txt" "$out/small.log"
gen large $(corpus_args $((lines * 3)))
warm_file=$out/large.log
measure "replay, corpus x 3 (json)" 1 /dev/null "$scmpwatch" replay -j1 --format json -o "$out/large.json" "$out/large.log"
measure "replay, corpus x 3 (text)" 1 /dev/null "$scmpwatch" replay -j1 -o "$out/large.txt" "$out/large.log"
compare_counts "$out/large.exp" "$out/large.json" "corpus x 3 counts == generator's"
j_small=${RSS[replay, corpus / 10 (json)]}; j_large=${RSS[replay, corpus x 3 (json)]}
t_small=${RSS[replay, corpus / 10 (text)]}; t_main=${RSS[replay --format text]}; t_large=${RSS[replay, corpus x 3 (text)]}
e_small=$(exp_get "$out/small.exp" entries); e_main=$(exp_get "$exp" entries); e_large=$(exp_get "$out/large.exp" entries)
echo "  lines:              $((lines / 10)) / $lines / $((lines * 3))"
echo "  distinct entries:   $e_small / $e_main / $e_large"
echo "  peak RSS, json:     $(mib "$j_small") / $(mib "$rss_main") / $(mib "$j_large") MiB"
echo "  peak RSS, text:     $(mib "$t_small") / $(mib "$t_main") / $(mib "$t_large") MiB"
hi=$(printf '%s\n' "$j_small" "$rss_main" "$j_large" | sort -n | tail -1)
target "replay peak RSS <= 32 MiB whatever the file size (1/10 to 3x)" "max $(mib "$hi") MiB (json)" \
  "$(( hi <= 32 * 1024 ))"
tlo=$(printf '%s\n' "$t_small" "$t_main" "$t_large" | sort -n | head -1)
thi=$(printf '%s\n' "$t_small" "$t_main" "$t_large" | sort -n | tail -1)
target "replay RSS flat with file size (30x range, aggregation + text report)" \
  "max/min x$(ratio "$thi" "$tlo") (<= 1.25)" "$(awk -v h="$thi" -v l="$tlo" 'BEGIN {print (h <= 1.25 * l)}')"
echo "INFO the JSON report grows with distinct entries, not lines:" \
  "$(awk -v a="$j_large" -v b="$j_small" -v ea="$e_large" -v eb="$e_small" 'BEGIN {if (ea > eb) printf "%.1f KiB", (a-b)/(ea-eb); else print "n/a"}') per entry"
[ $keep -eq 1 ] || rm -f "$out/large.log" "$out/small.log"

# ---- bounds: 10,000 workloads x 400 syscalls ----
echo
if [ $quick -eq 1 ]; then bw=1000; else bw=10000; fi
bs=400
pairs=$((bw * bs))
echo "== bounds: $bw workloads x $bs syscalls ($pairs distinct entries, one record each)"
gen bounds --spread --workloads "$bw" --syscalls "$bs" --seccomp-share 1 --lines "$pairs" --seed 1
warm_file=$out/bounds.log
bounds_ok=1
cap_lo=$((pairs / 40)) # 100,000 of 4,000,000
cap_hi=$((pairs / 4))  # 1,000,000 (the default --max-entries) of 4,000,000
for cap in $cap_lo $cap_hi; do
  for fmt in text json; do
    name="replay --max-entries $cap ($fmt)"
    if ! measure "$name" 1 /dev/null "$scmpwatch" replay --format "$fmt" --max-entries "$cap" \
         -o "$out/bounds.$fmt" "$out/bounds.log"; then
      bounds_ok=0; continue
    fi
    if [ "$fmt" = json ]; then
      d=$(jq '.input.dropped_at_bounds.entries' "$out/bounds.json")
      kept=$(jq '[.workloads[].syscalls | length] | add // 0' "$out/bounds.json")
      echo "    kept $kept entries, dropped_at_bounds.entries $d (expected $((pairs - cap)))"
      [ "$d" -eq $((pairs - cap)) ] && [ "$kept" -eq "$cap" ] || bounds_ok=0
    else
      grep -q "bounds reached: 0 events dropped (workload table full), $((pairs - cap)) (entry table full)" \
        "$out/bounds.text" || { echo "    the text report does not say $((pairs - cap)) events were dropped"; bounds_ok=0; }
    fi
  done
done
per_entry() { awk -v a="${RSS[replay --max-entries $cap_hi ($1)]:-0}" -v b="${RSS[replay --max-entries $cap_lo ($1)]:-0}" \
  -v n=$((cap_hi - cap_lo)) 'BEGIN {printf "%.0f", (a-b)*1024/n}'; }
lo_rss=${RSS[replay --max-entries $cap_lo (text)]:-0}
hi_rss=${RSS[replay --max-entries $cap_hi (text)]:-0}
[ "$lo_rss" -gt 0 ] && [ "$lo_rss" -lt "$hi_rss" ] || bounds_ok=0
echo "  RSS per kept entry: $(per_entry text) B with the text report, $(per_entry json) B with the JSON report"
target "bounds: hitting --max-entries is counted and reported, memory follows the bound" \
  "drops counted exactly, no crash; RSS $(mib "$lo_rss") MiB at $cap_lo, $(mib "$hi_rss") MiB at $cap_hi entries (text), $(mib "${RSS[replay --max-entries $cap_hi (json)]:-0}") MiB (json)" "$bounds_ok"
[ $keep -eq 1 ] || rm -f "$out/bounds.log" "$out/bounds.text" "$out/bounds.json"

# ---- where the replay's time goes ----
if [ $do_perf -eq 1 ] && command -v perf >/dev/null; then
  echo
  echo "== perf: where scmpwatch replay spends its time (main corpus)"
  perf record -q -o "$out/perf.data" "$scmpwatch" replay --format json -o /dev/null "$corpus" 2>/dev/null
  perf report -i "$out/perf.data" --no-children --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -15 || true
fi

echo
echo "== live part: bench/run-live.sh (needs root and 'scmpwatch watch')"
total=$(awk -v a="$t_start" -v b="$(now)" 'BEGIN {printf "%.0f", b-a}')
if [ $failures -eq 0 ]; then
  echo "SUMMARY: every target met and every check passed (${total} s)"
  exit 0
fi
echo "SUMMARY: $failures target(s) missed or check(s) failed (${total} s)"
exit 1
