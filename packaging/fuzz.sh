#!/usr/bin/env bash
# Fuzz the parsers of outside input (tests/fuzz/fuzz_*.c) with libFuzzer, in one of two modes:
#
#   packaging/fuzz.sh --gate [TARGET...]
#       The CI gate (run-tests.sh calls it): each target runs a fixed number of inputs (the
#       table below) from its corpus with a fixed seed. The same commit explores the same inputs
#       on any machine at any load, so the verdict cannot change by chance. Under 3 minutes on a
#       2-core machine.
#
#   packaging/fuzz.sh [SECONDS] [TARGET...]
#       Exploration (default 600 s per target, random seeds): a crash is saved under
#       tests/fuzz/crashes/ with the command that replays it, and what the run found is
#       minimised (-merge=1) into tests/fuzz/corpus/<target>/, to be reviewed and committed.
#       Run it before changing a parser, and after: at least 10 minutes per target.
#
# TARGET is a name like vulns or fuzz_vulns; none means every target. Builds build/fuzz (clang).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

# Inputs per target for the gate, chosen so each takes about 15 s on one core of these machines
# (their speeds differ a hundredfold: profile builds libseccomp filters and state an aggregate
# per input, record parses a line). Measured: the whole gate 2 minutes on 2 cores.
declare -A gate_runs=(
  [cgroup]=500000 [profile]=20000 [record]=500000 [rules]=200000
  [runtime_meta]=200000 [state]=30000 [textfile]=60000 [vulns]=400000
)
gate_seed=1

mode=explore seconds=600
if [ "${1:-}" = "--gate" ]; then
  mode=gate; shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  seconds=$1; shift
fi

echo "== fuzz build (clang, libFuzzer)"
CC=clang cmake -S "$top" -B "$top/build/fuzz" -DSCW_WERROR=ON -DSCW_FUZZ=ON -DSCW_TESTS=ON \
  -DSCW_BENCH=OFF >/dev/null
cmake --build "$top/build/fuzz" -j"$(nproc)" >/dev/null

targets=()
if [ $# -gt 0 ]; then
  for t in "$@"; do targets+=("${t#fuzz_}"); done
else
  for f in "$top"/build/fuzz/tests/fuzz_*_libfuzzer; do
    n=$(basename "$f" _libfuzzer); targets+=("${n#fuzz_}")
  done
fi

# The gate runs without address-space randomisation (setarch -R): the fuzzers trace comparisons,
# pointer comparisons included, and random addresses would make each run explore other inputs.
norand=""
if [ "$mode" = gate ]; then
  setarch "$(uname -m)" -R true 2>/dev/null && norand="setarch $(uname -m) -R" ||
    echo "fuzz.sh: setarch -R is refused here: the gate's exploration may differ between runs" >&2
fi

status=0
for t in "${targets[@]}"; do
  bin=$top/build/fuzz/tests/fuzz_${t}_libfuzzer corpus=$top/tests/fuzz/corpus/$t
  if [ ! -x "$bin" ] || [ ! -d "$corpus" ]; then
    echo "fuzz.sh: no target '$t' (expected $bin and $corpus)" >&2; exit 2
  fi
  work=$(mktemp -d) crashes=$top/tests/fuzz/crashes
  mkdir -p "$work/new" "$work/art"
  # -reload=0: libFuzzer otherwise re-reads the corpus folder every second, a time-based input
  common=(-reload=0 -rss_limit_mb=2048 -malloc_limit_mb=512 -max_len=70000 -timeout=60
    -artifact_prefix="$work/art/")
  if [ "$mode" = gate ]; then
    [ -n "${gate_runs[$t]:-}" ] || { echo "fuzz.sh: no gate run count for '$t'" >&2; exit 2; }
    # -use_cmp=0: traced comparison operands (pointers among them) vary with the binary's
    # layout, so with them two builds of one commit in other folders explore differently
    args=(-use_cmp=0 -runs="${gate_runs[$t]}" -seed="$gate_seed" "$work/new" "$corpus")
  else
    args=(-max_total_time="$seconds" -seed=0 "$work/new" "$corpus")
  fi
  start=$SECONDS
  if $norand "$bin" "${common[@]}" "${args[@]}" >"$work/log" 2>&1; then
    echo "fuzz_$t: $(grep -o 'Done [0-9]* runs' "$work/log" | tail -1 || true)," \
      "$(grep -o 'cov: [0-9]* ft: [0-9]*' "$work/log" | tail -1 || true), $((SECONDS - start)) s"
  else
    status=1
    tail -30 "$work/log"
    for a in "$work"/art/*; do
      [ -e "$a" ] || continue
      if [ "$mode" = gate ]; then # CI keeps nothing: the input goes into the log
        echo "input $(basename "$a") ($(stat -c %s "$a") bytes), base64:"; head -c 65536 "$a" | base64
      else
        mkdir -p "$crashes"; dest=$crashes/$t-$(basename "$a"); cp "$a" "$dest"
        echo "saved $dest; replay: $bin $dest" | tee -a "$crashes/REPLAY"
      fi
    done
    echo "fuzz.sh: fuzz_$t found a crash; replay the input with: $bin FILE" \
      "(once fixed, add it to $corpus/)" >&2
  fi
  if [ "$mode" = explore ] && [ -n "$(ls -A "$work/new")" ]; then
    before=$(ls "$corpus" | wc -l)
    # edges only (-use_counters=0): hit counts would keep thousands of files per target
    # the same memory limits as the runs (a 512 MB RSS limit here stopped the merge of profile
    # inputs the runs took, leaving oom-* files in the working directory)
    "$bin" -merge=1 -use_counters=0 -max_len=70000 -rss_limit_mb=2048 -malloc_limit_mb=512 \
      -artifact_prefix="$work/art/" "$corpus" "$work/new" >"$work/merge" 2>&1 || true
    echo "fuzz_$t: corpus $before -> $(ls "$corpus" | wc -l) files (minimised into $corpus)"
  fi
  rm -rf "$work"
done
exit $status
