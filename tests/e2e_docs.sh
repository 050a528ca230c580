#!/usr/bin/env bash
# e2e_docs: docs and code stay in step: every long option a command's --help lists appears in
# that command's man page, every command has a man page and a README mention, and every
# subcommand answers --help with exit 0.
set -euo pipefail
bin=${SCMPWATCH:?}; src=${SCW_SOURCE_DIR:?}
fail() { echo "FAIL: $*" >&2; exit 1; }
"$bin" --help >/dev/null || fail "scmpwatch --help"
"$bin" --version | grep -q '^scmpwatch [0-9]' || fail "--version"
cmds=$("$bin" --help | awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1} /^$/{if(on) exit}')
[ -n "$cmds" ] || fail "no commands listed in --help"
for c in $cmds; do
  help=$("$bin" "$c" --help) || fail "scmpwatch $c --help exit status"
  man=$(ls "$src/packaging/man/scmpwatch-$c".[15] 2>/dev/null | head -1 || true)
  [ -n "$man" ] || fail "no man page for '$c' (packaging/man/scmpwatch-$c.1)"
  grep -q "scmpwatch $c" "$src/README.md" || fail "README does not mention 'scmpwatch $c'"
  for opt in $(grep -oE -- '--[a-z][a-z0-9-]+' <<<"$help" | sort -u); do
    esc=$(sed 's/-/\\\\-/g' <<<"$opt")
    grep -qF -- "$opt" "$man" || grep -q -- "$esc" "$man" || fail "option $opt of '$c' is not in $man"
  done
done
[ -f "$src/packaging/man/scmpwatch.1" ] || fail "no scmpwatch(1)"
echo "e2e_docs: ok ($(wc -w <<<"$cmds") commands)"
