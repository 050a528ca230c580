#!/usr/bin/env bash
# The README's test command (and what .ci/run calls): install what is needed, check formatting,
# build with warnings as errors, run every test, then build with ASan+UBSan and run them again,
# run the threaded replay under ThreadSanitizer, and fuzz every target for a fixed number of inputs.
#   packaging/run-tests.sh            everything
#   SCW_TEST_LABELS=unit packaging/run-tests.sh   only tests with that ctest label
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
jobs=$(nproc)

packaging/install-deps.sh test e2e

echo "== formatting (.clang-format)"
bad=$(git ls-files '*.c' '*.h' 2>/dev/null | xargs -r clang-format --dry-run 2>&1 | grep -c "warning:" || true)
if [ "$bad" -gt 0 ]; then
  git ls-files '*.c' '*.h' | xargs -r clang-format --dry-run 2>&1 | grep "warning:" | head -20
  echo "formatting: $bad differences; run: git ls-files '*.c' '*.h' | xargs clang-format -i" >&2
  exit 1
fi

label_args=()
[ -n "${SCW_TEST_LABELS:-}" ] && label_args=(-L "$SCW_TEST_LABELS")

run_suite() { # name, cmake args...
  local name=$1; shift
  echo "== build $name"
  cmake -S "$top" -B "$top/build/$name" -DSCW_WERROR=ON "$@" >/dev/null
  cmake --build "$top/build/$name" -j"$jobs" >/dev/null
  echo "== test $name"
  (cd "$top/build/$name" && ctest --output-on-failure -j"$jobs" "${label_args[@]}")
}

run_suite release -DCMAKE_BUILD_TYPE=RelWithDebInfo
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite sanitize -DCMAKE_BUILD_TYPE=Debug -DSCW_SANITIZE=ON -DSCW_BENCH=OFF

# Threads exist in one place, replay --jobs: its end-to-end test runs on a ThreadSanitizer
# build (a race report changes the exit status and the messages, which the test compares).
echo "== thread sanitizer: replay --jobs"
cmake -S "$top" -B "$top/build/tsan" -DCMAKE_BUILD_TYPE=Debug -DSCW_WERROR=ON -DSCW_TSAN=ON \
  -DSCW_TESTS=OFF -DSCW_BENCH=OFF >/dev/null
cmake --build "$top/build/tsan" -j"$jobs" --target scmpwatch >/dev/null
TSAN_OPTIONS=halt_on_error=1 SCMPWATCH="$top/build/tsan/scmpwatch" SCW_SOURCE_DIR="$top" \
  bash "$top/tests/e2e_replay_parallel.sh"

# The fuzz gate: a fixed number of inputs per target with a fixed seed (packaging/fuzz.sh), so
# the same commit gets the same verdict on any machine at any load. Every corpus also runs as an
# ordinary ctest test in both suites above. Longer, exploring runs: packaging/fuzz.sh 600.
packaging/fuzz.sh --gate
echo "== all test suites passed"
