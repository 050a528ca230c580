#!/usr/bin/env bash
# check_layers: the layout rules of watcher/ (watcher/README.md), checked over the sources:
#  - every module sits in a stage folder named in CMakeLists.txt's SCW_STAGES;
#  - a file includes only headers of its own stage or of stages listed before it (a lower
#    stage never includes a higher one), and every quoted include names a header that exists;
#  - no file is over 800 lines (a longer one is split along its seams).
# Usage: check_layers.sh [SOURCE_DIR]   (default: the checkout this script is in)
set -euo pipefail
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
stages=$(sed -n 's/^set(SCW_STAGES \(.*\))$/\1/p' "$top/CMakeLists.txt")
[ -n "$stages" ] || { echo "check_layers: no set(SCW_STAGES ...) in $top/CMakeLists.txt" >&2; exit 1; }
declare -A rank=() where=()
i=0
for s in $stages; do rank[$s]=$i; i=$((i + 1)); done
fail=0
for f in "$top"/watcher/*.[ch] "$top"/watcher/*/*.[ch]; do
  [ -e "$f" ] || continue
  rel=${f#"$top"/watcher/}
  stage=${rel%%/*}
  if [ "$stage" = "$rel" ] || [ -z "${rank[$stage]:-}" ]; then
    echo "check_layers: watcher/$rel is not in a stage folder ($stages)"; fail=1; continue
  fi
  where[$(basename "$f")]=$stage
done
for f in "$top"/watcher/*/*.[ch]; do
  rel=${f#"$top"/watcher/}
  stage=${rel%%/*}
  [ -n "${rank[$stage]:-}" ] || continue
  n=$(wc -l <"$f")
  if [ "$n" -gt 800 ]; then
    echo "check_layers: watcher/$rel has $n lines (at most 800: split it along its seams)"; fail=1
  fi
  while IFS=: read -r line inc; do
    inc=${inc#*\"}; inc=${inc%\"*}
    to=${where[$inc]:-}
    if [ -z "$to" ]; then
      echo "check_layers: watcher/$rel:$line includes \"$inc\", which is no header in watcher/"
      fail=1
    elif [ "${rank[$to]}" -gt "${rank[$stage]}" ]; then
      echo "check_layers: watcher/$rel:$line ($stage) includes $to/$inc: $to comes after $stage"
      fail=1
    fi
  done < <(grep -n '^#include "' "$f" || true)
done
[ "$fail" -eq 0 ] && echo "check_layers: $(ls "$top"/watcher/*/*.[ch] | wc -l) files, stages: $stages"
exit "$fail"
