#!/usr/bin/env bash
# e2e_rules: `scmpwatch rules check` and `scmpwatch rules list-groups` as a user runs them:
# exit codes (0 valid, 1 invalid or unreadable, 2 usage), the exact error line, layering, and
# the shipped rules/default.yaml and examples.
set -euo pipefail
bin=${SCMPWATCH:?SCMPWATCH must name the binary}
src=${SCW_SOURCE_DIR:?SCW_SOURCE_DIR must name the source tree}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0

# expect NAME WANT_RC CMD... : runs CMD, keeps stdout/stderr in $tmp/out, $tmp/err
expect() {
  local name=$1 want=$2; shift 2
  local rc=0
  "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, expected $want"; sed 's/^/  stderr: /' "$tmp/err"; fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
}
# same_text NAME FILE WANT
same_text() {
  if [ "$(cat "$2")" != "$3" ]; then
    echo "FAIL $1:"; echo "  got:  $(cat "$2")"; echo "  want: $3"; fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
}

# contains NAME FILE GREP-ARGS... : the file matches (checked without touching out/err)
contains() {
  local name=$1 file=$2; shift 2
  if grep -q "$@" "$file"; then
    passes=$((passes + 1))
  else
    echo "FAIL $name: $file lacks $*"; sed 's/^/  /' "$file"; fails=$((fails + 1))
  fi
}

cd "$tmp"
# --- check: valid files ---------------------------------------------------------------------
# --no-default-rules: the files given alone
expect default-valid 0 "$bin" rules check --no-default-rules "$src/rules/default.yaml"
same_text default-summary out "$src/rules/default.yaml: ok
rule set: 19 groups, 0 container selectors, 17 rules, 0 cve blocks, 0 decisions, 0 warnings; default decision allow"
expect default-strict 0 "$bin" rules check --strict --quiet --no-default-rules "$src/rules/default.yaml"
same_text quiet-prints-nothing out ""
expect examples-layered 0 "$bin" rules check --strict --no-default-rules "$src/rules/default.yaml" \
  "$src/rules/examples/by-image.yaml" "$src/rules/examples/kubernetes.yaml" \
  "$src/rules/examples/team-overlay.yaml"
contains examples-summary out -x "rule set: 20 groups, 6 container selectors, 22 rules, 1 cve block, 0 decisions, 0 warnings; default decision allow"

# --- check: the layered set (the shipped rules, rules.d in name order, then the files) -------
mkdir rules.d
printf 'version: 1\nrules:\n  - {name: site-b, syscalls: [uname], decision: ignore, reason: r}\n' >rules.d/20-b.yaml
printf 'version: 1\nrules:\n  - {name: site-a, syscalls: [uname], decision: deny, reason: r}\n' >rules.d/10-a.yaml
printf 'not: loaded\n' >rules.d/notes.txt
printf 'version: 1\n' >rules.d/.hidden.yaml
expect layered-no-args 0 env SCMPWATCH_RULES_D="$tmp/rules.d" "$bin" rules check
same_text layered-files out "$src/rules/default.yaml: ok
$src/rules/cve.yaml: ok
$tmp/rules.d/10-a.yaml: ok
$tmp/rules.d/20-b.yaml: ok
rule set: 19 groups, 0 container selectors, 19 rules, 8 cve blocks, 0 decisions, 0 warnings; default decision allow"
# --rules-d beats the environment; a FILE comes after rules.d; a file met twice loads once
expect layered-option 0 env SCMPWATCH_RULES_D="$tmp/none" "$bin" rules check --rules-d "$tmp/rules.d" \
  "$src/rules/default.yaml" "$tmp/rules.d/10-a.yaml"
same_text layered-option-files <(sed -n 's/: ok$//p' out) "$src/rules/default.yaml
$src/rules/cve.yaml
$tmp/rules.d/10-a.yaml
$tmp/rules.d/20-b.yaml"
# a missing rules.d holds nothing; an invalid file in it is named
expect layered-missing-dir 0 "$bin" rules check --rules-d "$tmp/none" --quiet
printf 'version: 1\nrulez: []\n' >rules.d/30-bad.yaml
expect layered-invalid 1 "$bin" rules check --rules-d "$tmp/rules.d"
contains layered-invalid-message err -F "$tmp/rules.d/30-bad.yaml:2:1: unknown key 'rulez'"
rm rules.d/30-bad.yaml
# a decision replaced by a later one: the later wins, check warns (and --strict fails)
printf 'version: 1\ndecisions:\n  - {group: api, syscall: chmod, decision: allow, reason: a}\n  - {group: api, syscall: chmod, decision: deny, reason: b}\n' >dup.yaml
expect dup-decision 0 "$bin" rules check --no-default-rules dup.yaml
contains dup-decision-warning err -x "scmpwatch: warning: dup.yaml:4:5: the decision for 'chmod' in group 'api' replaces the one at dup.yaml:3:5 (the later one wins)"
contains dup-decision-count out -F "1 decision, 1 warning"
expect dup-decision-strict 1 "$bin" rules check --strict --no-default-rules dup.yaml

# --- check: invalid files ---------------------------------------------------------------------
printf 'version: 1\nrules:\n  - name: x\n    syscalls: [read]\n    decision: allow\n    reason: r\n    thresold: {min_events: 2}\n' >typo.yaml
expect typo-invalid 1 "$bin" rules check typo.yaml
same_text typo-message err "scmpwatch: error: typo.yaml:7:5: unknown key 'thresold' in rule 'x': did you mean 'thresholds'? (expected one of: name, syscalls, decision, reason, link, containers, arches, thresholds)"
same_text typo-no-stdout out ""

# an overlay alone lacks the groups of the file it is layered on
printf 'version: 1\nrules:\n  - {name: m, syscalls: ["@mount"], decision: allow, reason: r}\n' >overlay.yaml
expect overlay-alone 1 "$bin" rules check --no-default-rules overlay.yaml
same_text overlay-alone-message err "scmpwatch: error: overlay.yaml:3:26: unknown group '@mount' in rule 'm' (define it under 'groups:'; 'scmpwatch rules list-groups' lists the known ones)"
expect overlay-layered 0 "$bin" rules check --no-default-rules "$src/rules/default.yaml" overlay.yaml
# FILEs are added to the shipped rules: the overlay finds @mount there
expect overlay-on-shipped 0 "$bin" rules check overlay.yaml

# warnings: ok without --strict, exit 1 with it
printf 'version: 1\ngroups:\n  g: [mout]\n' >warn.yaml
expect warning-ok 0 "$bin" rules check warn.yaml
contains warning-printed err -e "^scmpwatch: warning: warn.yaml:3:7: unknown syscall 'mout' in group '@g'"
expect warning-strict 1 "$bin" rules check --strict warn.yaml
contains warning-strict-message err -x "scmpwatch: error: 1 warning and --strict given"

expect missing-file 1 "$bin" rules check nope.yaml
same_text missing-message err "scmpwatch: error: nope.yaml: cannot open the rule file: No such file or directory"

# --- usage errors ---------------------------------------------------------------------------
expect no-subcommand 2 "$bin" rules
expect bad-subcommand 2 "$bin" rules lint x.yaml
expect check-no-file 2 "$bin" rules check --no-default-rules
expect check-bad-option 2 "$bin" rules check --frobnicate x.yaml
expect list-two-groups 2 "$bin" rules list-groups -r "$src/rules/default.yaml" a b
expect help 0 "$bin" rules --help
contains help-mentions-check out -F "check [FILE...]"
expect check-help 0 "$bin" rules check --help
expect listed-in-main-help 0 "$bin" --help
contains main-help-has-rules out -e "^  rules "

# --- list-groups -----------------------------------------------------------------------------
expect list 0 "$bin" rules list-groups --rules "$src/rules/default.yaml"
contains list-count-19 <(wc -l <out) -x 19
contains list-line out -x "$(printf '@%-22s %4s  %s' swap 2 'Enable and disable swap devices')"
expect list-one 0 "$bin" rules list-groups -r "$src/rules/default.yaml" @reboot
same_text list-one-names out "kexec_file_load
kexec_load
reboot"
expect list-one-bare-name 0 "$bin" rules list-groups -r "$src/rules/default.yaml" swap
same_text list-bare-names out "swapoff
swapon"
# appended by a later file
expect list-appended 0 "$bin" rules list-groups -r "$src/rules/default.yaml" \
  -r "$src/rules/examples/team-overlay.yaml" @debug
contains list-appended-has-kcmp out -x kcmp
expect list-unknown 1 "$bin" rules list-groups -r "$src/rules/default.yaml" @nope
same_text list-unknown-message err "scmpwatch: error: unknown group '@nope' (19 groups are defined; run 'scmpwatch rules list-groups' to list them)"
expect list-invalid-file 1 "$bin" rules list-groups -r typo.yaml
# without --rules: the shipped default.yaml ($SCMPWATCH_RULES_DIR points at the source tree)
expect list-default 0 env SCMPWATCH_RULES_DIR="$src/rules" "$bin" rules list-groups @swap
same_text list-default-names out "swapoff
swapon"
expect list-default-missing 1 env SCMPWATCH_RULES_DIR="$tmp/none" "$bin" rules list-groups

# --- the man page documents every key the loader accepts (keys taken from its own errors) ----
man=$src/packaging/man/scmpwatch-rules.5
R='  - {name: x, syscalls: [read], decision: allow, reason: r'
for section in "zzz: 1" \
  "rules:\n$R, zzz: 1}" \
  "rules:\n$R, thresholds: {zzz: 1}}" \
  "containers:\n  c: {zzz: 1}" \
  "groups:\n  g: {zzz: 1}" \
  "ignore: {zzz: 1}" \
  "defaults: {zzz: 1}" \
  "cve_blocks:\n  - {name: b, zzz: 1}" \
  "decisions:\n  - {group: g, zzz: 1}"; do
  printf "version: 1\n$section\n" >keys.yaml
  "$bin" rules check keys.yaml 2>keys.err && { echo "FAIL: zzz accepted in: $section"; fails=$((fails + 1)); }
  keys=$(sed -n 's/.*(expected one of: \(.*\))$/\1/p' keys.err | tr -d ',')
  [ -n "$keys" ] || { echo "FAIL: no key list for: $section"; cat keys.err; fails=$((fails + 1)); }
  for k in $keys; do
    if grep -qE "(\\\\fB|^\\.BR? |\", \" ?)$k(\\\\fR|\$| |\")" "$man"; then
      passes=$((passes + 1))
    else
      echo "FAIL: key '$k' is not documented in $man"; fails=$((fails + 1))
    fi
  done
done

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
