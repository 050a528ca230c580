#!/usr/bin/env bash
# The README's first command: install what is needed, build, and run the live watcher with
# the shipped rules (foreground; Ctrl-C writes a final snapshot and exits). Extra arguments are
# passed to `scmpwatch watch`.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh build
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCW_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)" >/dev/null
rules=()
[ -f rules/default.yaml ] && rules=(--rules rules/default.yaml)
exec build/release/scmpwatch watch "${rules[@]}" "$@"
