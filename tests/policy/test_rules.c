/*
 * test_rules: the rule-file module. Tables of invalid files with the exact message each must
 * give (file:line:column and what was expected), then every key, group nesting and cycles,
 * first-match order, thresholds, selectors, ignore lists, multiple files, cve blocks, bounds,
 * and the shipped rules/default.yaml.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <seccomp.h>
#include <unistd.h>

#include "advise.h"
#include "aggregate.h"
#include "rules.h"
#include "rules_files.h"

/* Load YAML text as "t.yaml" (or name) into rs; returns the error (malloc'd) or NULL. */
static char *load_as(struct scw_rules *rs, const char *name, const char *yaml)
{
    char *err = NULL;
    int rc = scw_rules_load_buffer(rs, name, yaml, strlen(yaml), &err);
    if (rc == 0)
        assert_null(err);
    else
        assert_non_null(err);
    return err;
}

static struct scw_rules *load_ok(const char *yaml)
{
    struct scw_rules *rs = scw_rules_new();
    assert_non_null(rs);
    char *err = load_as(rs, "t.yaml", yaml);
    if (err)
        fail_msg("unexpected error: %s", err);
    return rs;
}

static const struct {
    const char *name, *yaml, *error;
} invalid[] = {
    {"empty", "", "t.yaml:1:1: empty rule file (expected a mapping that starts with 'version: 1')"},
    {"null_doc", "---\n",
     "t.yaml:1:1: empty rule file (expected a mapping that starts with 'version: 1')"},
    {"not_map",
     "- a\n"
     "- b\n",
     "t.yaml:1:1: expected a mapping for the top level of a rule file (found a list)"},
    {"no_version", "rules: []\n",
     "t.yaml:1:1: missing 'version: 1' at the top level (the schema version the file is written "
     "for)"},
    {"version_2", "version: 2\n",
     "t.yaml:1:10: unsupported version 2 (this scmpwatch reads version 1)"},
    {"version_str", "version: \"1\"\n",
     "t.yaml:1:10: expected 'version: 1' (a whole number, without quotes)"},
    {"version_float", "version: 1.0\n",
     "t.yaml:1:10: expected 'version: 1' (a whole number, without quotes)"},
    {"unknown_top",
     "version: 1\n"
     "rule:\n"
     "  - name: x\n",
     "t.yaml:2:1: unknown key 'rule' in the top level: did you mean 'rules'? (expected one of: "
     "version, groups, "
     "containers, ignore, rules, defaults, cve_blocks, decisions, profiles)"},
    {"profiles_not_string", "version: 1\nprofiles: [a, b]\n",
     "t.yaml:2:11: expected a string for 'profiles' (a directory of profile files) (found a "
     "list)"},
    {"profiles_empty", "version: 1\nprofiles: \"\"\n",
     "t.yaml:2:11: empty string for 'profiles' (a directory of profile files)"},
    {"syntax",
     "version: 1\n"
     "rules: [\n",
     "t.yaml:3:1: YAML syntax error: did not find expected node content while parsing a flow node"},
    {"syntax2",
     "version: 1\n"
     "groups:\n"
     "  a: [x\n"
     "  b: y\n",
     "t.yaml:4:4: YAML syntax error: did not find expected ',' or ']' while parsing a flow "
     "sequence (started at line 3)"},
    {"tab",
     "version: 1\n"
     "rules:\n"
     "\t- name: x\n",
     "t.yaml:3:1: YAML syntax error: found character that cannot start any token while scanning "
     "for the next token (YAML does not allow tabs for indentation)"},
    {"two_docs",
     "version: 1\n"
     "---\n"
     "version: 1\n",
     "t.yaml:2:1: a rule file holds one YAML document (found a second '---'); split it into "
     "several files"},
    {"alias",
     "version: 1\n"
     "groups:\n"
     "  a: &x [read]\n"
     "  b: *x\n",
     "t.yaml:4:6: YAML aliases ('*x') are not supported in rule files; use a group for shared "
     "syscall lists"},
    {"dup_key",
     "version: 1\n"
     "groups:\n"
     "  a: [read]\n"
     "  a: [write]\n",
     "t.yaml:4:3: duplicate key 'a' (first at line 3)"},
    {"complex_key",
     "version: 1\n"
     "groups:\n"
     "  ? [a]\n"
     "  : [read]\n",
     "t.yaml:3:5: expected a plain key (found a list used as a key)"},
    {"groups_list",
     "version: 1\n"
     "groups: [read]\n",
     "t.yaml:2:9: expected a mapping for 'groups' (found a list)"},
    {"group_bad_name",
     "version: 1\n"
     "groups:\n"
     "  \"a b\": [read]\n",
     "t.yaml:3:3: invalid group name 'a b' (expected 1 to 64 letters, digits, '_', '-' or '.', "
     "optionally after '@')"},
    {"group_unknown_key",
     "version: 1\n"
     "groups:\n"
     "  a:\n"
     "    description: x\n"
     "    syscall: [read]\n",
     "t.yaml:5:5: unknown key 'syscall' in group '@a': did you mean 'syscalls'? (expected one of: "
     "description, syscalls)"},
    {"group_no_syscalls",
     "version: 1\n"
     "groups:\n"
     "  a:\n"
     "    description: x\n",
     "t.yaml:4:5: group '@a' has no 'syscalls' list"},
    {"group_bad_syscall",
     "version: 1\n"
     "groups:\n"
     "  a: [Read]\n",
     "t.yaml:3:7: invalid syscall name 'Read' in group '@a' (expected lower-case letters, digits "
     "and '_', or \"@group\"; YAML needs quotes around @names)"},
    {"group_star",
     "version: 1\n"
     "groups:\n"
     "  a: [\"*\"]\n",
     "t.yaml:3:7: \"*\" (every syscall) is allowed only in a rule's syscalls, not in group '@a'"},
    {"group_unknown_ref",
     "version: 1\n"
     "groups:\n"
     "  a: [read, \"@nope\"]\n",
     "t.yaml:3:13: unknown group '@nope' in group '@a' (define it under 'groups:')"},
    {"group_self",
     "version: 1\n"
     "groups:\n"
     "  a: [read, \"@a\"]\n",
     "t.yaml:3:13: group '@a' includes itself: @a -> @a"},
    {"group_cycle3",
     "version: 1\n"
     "groups:\n"
     "  a: [\"@b\"]\n"
     "  b: [\"@c\"]\n"
     "  c: [read, \"@a\"]\n",
     "t.yaml:5:13: group '@a' includes itself: @a -> @b -> @c -> @a"},
    {"group_desc_map",
     "version: 1\n"
     "groups:\n"
     "  a:\n"
     "    description: [x]\n"
     "    syscalls: [read]\n",
     "t.yaml:4:18: expected a string for 'description' of group '@a' (found a list)"},
    {"group_at_bare",
     "version: 1\n"
     "groups:\n"
     "  a: [\"@\"]\n",
     "t.yaml:3:7: invalid group name '@' in group '@a'"},
    {"sel_not_map",
     "version: 1\n"
     "containers:\n"
     "  web: nginx\n",
     "t.yaml:3:8: expected a mapping for container selector 'web' (found a scalar)"},
    {"sel_unknown_key",
     "version: 1\n"
     "containers:\n"
     "  web:\n"
     "    imag: nginx\n",
     "t.yaml:4:5: unknown key 'imag' in container selector 'web': did you mean 'image'? (expected "
     "one of: name, image, "
     "runtime, cgroup, namespace, pod, container, id, labels, executable, host, profile)"},
    {"sel_empty",
     "version: 1\n"
     "containers:\n"
     "  web:\n"
     "    profile: /dev/null\n",
     "t.yaml:4:5: container selector 'web' matches nothing: give at least one of name, image, "
     "runtime, cgroup, namespace, pod, container, id, labels, executable or host"},
    {"sel_bad_host",
     "version: 1\n"
     "containers:\n"
     "  web:\n"
     "    host: yes\n",
     "t.yaml:4:11: expected true or false for 'host' of container selector 'web'"},
    {"sel_labels_list",
     "version: 1\n"
     "containers:\n"
     "  web:\n"
     "    labels: [app]\n",
     "t.yaml:4:13: expected a mapping for 'labels' of container selector 'web' (found a list)"},
    {"sel_empty_string",
     "version: 1\n"
     "containers:\n"
     "  web:\n"
     "    name: \"\"\n",
     "t.yaml:4:11: empty string for 'name' of container selector 'web'"},
    {"sel_bad_name",
     "version: 1\n"
     "containers:\n"
     "  \"-web\":\n"
     "    name: x\n",
     "t.yaml:3:3: invalid selector name '-web' (expected 1 to 64 letters, digits, '_', '-' or "
     "'.')"},
    {"sel_name_map",
     "version: 1\n"
     "containers:\n"
     "  web:\n"
     "    name: {a: b}\n",
     "t.yaml:4:11: expected a string or a list of strings for 'name' of container selector 'web' "
     "(found a mapping)"},
    {"rules_map",
     "version: 1\n"
     "rules:\n"
     "  name: x\n",
     "t.yaml:3:3: expected a list for 'rules' (found a mapping)"},
    {"rule_not_map",
     "version: 1\n"
     "rules:\n"
     "  - read\n",
     "t.yaml:3:5: expected a mapping for rule #1 (found a scalar)"},
    {"rule_no_name",
     "version: 1\n"
     "rules:\n"
     "  - syscalls: [read]\n"
     "    decision: allow\n"
     "    reason: r\n",
     "t.yaml:3:5: rule #1 has no 'name' (every rule needs name, syscalls, decision and reason)"},
    {"rule_bad_name",
     "version: 1\n"
     "rules:\n"
     "  - name: \"a b\"\n"
     "    syscalls: [read]\n"
     "    decision: allow\n"
     "    reason: r\n",
     "t.yaml:3:11: invalid rule name 'a b' (expected 1 to 64 letters, digits, '_', '-' or '.', "
     "starting with a letter or digit)"},
    {"rule_unknown_key",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    decision: allow\n"
     "    reason: r\n"
     "    thresold: {min_events: 2}\n",
     "t.yaml:7:5: unknown key 'thresold' in rule 'x': did you mean 'thresholds'? (expected one of: "
     "name, syscalls, decision, "
     "reason, link, containers, arches, thresholds)"},
    {"rule_no_syscalls",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    decision: allow\n"
     "    reason: r\n",
     "t.yaml:3:5: rule 'x' has no 'syscalls' (every rule needs name, syscalls, decision and "
     "reason)"},
    {"rule_no_decision",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    reason: r\n",
     "t.yaml:3:5: rule 'x' has no 'decision' (every rule needs name, syscalls, decision and "
     "reason)"},
    {"rule_no_reason",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    decision: allow\n",
     "t.yaml:3:5: rule 'x' has no 'reason' (every rule needs name, syscalls, decision and reason)"},
    {"rule_bad_decision",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    decision: permit\n"
     "    reason: r\n",
     "t.yaml:5:15: unknown decision 'permit' for rule 'x' (expected one of: allow, deny, review, "
     "ignore)"},
    {"rule_empty_syscalls",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: []\n"
     "    decision: allow\n"
     "    reason: r\n",
     "t.yaml:4:15: empty 'syscalls' in rule 'x' (list syscalls, \"@group\" names or \"*\")"},
    {"rule_syscalls_map",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: {read: 1}\n"
     "    decision: allow\n"
     "    reason: r\n",
     "t.yaml:4:15: expected a list of syscall names and \"@group\" names for rule 'x'"},
    {"rule_unknown_group",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [\"@mount\"]\n"
     "    decision: deny\n"
     "    reason: r\n",
     "t.yaml:4:16: unknown group '@mount' in rule 'x' (define it under 'groups:'; 'scmpwatch rules "
     "list-groups' lists the known ones)"},
    {"rule_unknown_sel",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    containers: [web]\n"
     "    decision: deny\n"
     "    reason: r\n",
     "t.yaml:5:18: unknown container selector 'web' in rule 'x' (define it under 'containers:')"},
    {"rule_bad_arch",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    arches: [x86_65]\n"
     "    decision: deny\n"
     "    reason: r\n",
     "t.yaml:5:14: unknown architecture 'x86_65' in rule 'x' (expected x86_64, x86, x32, aarch64, "
     "arm, ppc64le, s390x, riscv64, mips...)"},
    {"rule_dup",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    decision: deny\n"
     "    reason: r\n"
     "  - name: x\n"
     "    syscalls: [write]\n"
     "    decision: deny\n"
     "    reason: r\n",
     "t.yaml:7:11: rule name 'x' is already used at t.yaml:3:5"},
    {"rule_bad_link",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    decision: deny\n"
     "    reason: r\n"
     "    link: docs.docker.com\n",
     "t.yaml:7:11: 'link' of rule 'x' is 'docs.docker.com', not a web address (expected "
     "https://...)"},
    {"rule_empty_reason",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    decision: deny\n"
     "    reason: \"\"\n",
     "t.yaml:6:13: empty string for 'reason' of rule 'x'"},
    {"rule_thr_unknown",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    decision: allow\n"
     "    reason: r\n"
     "    thresholds: {min_event: 2}\n",
     "t.yaml:7:18: unknown key 'min_event' in thresholds of rule 'x': did you mean 'min_events'? "
     "(expected one of: min_events, "
     "min_processes)"},
    {"rule_thr_neg",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    decision: allow\n"
     "    reason: r\n"
     "    thresholds: {min_events: -1}\n",
     "t.yaml:7:30: expected a whole number from 0 to 9223372036854775807 for 'min_events' of "
     "thresholds of rule 'x'"},
    {"rule_thr_procs",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    decision: allow\n"
     "    reason: r\n"
     "    thresholds: {min_processes: 17}\n",
     "t.yaml:7:33: 'min_processes' of thresholds of rule 'x' is 17, more than 16 (scmpwatch tracks "
     "up to 16 distinct processes per syscall)"},
    {"rule_thr_big",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    decision: allow\n"
     "    reason: r\n"
     "    thresholds: {min_events: 99999999999999999999}\n",
     "t.yaml:7:30: 'min_events' of thresholds of rule 'x' is 99999999999999999999, more than "
     "9223372036854775807 (the limit)"},
    {"rule_thr_list",
     "version: 1\n"
     "rules:\n"
     "  - name: x\n"
     "    syscalls: [read]\n"
     "    decision: allow\n"
     "    reason: r\n"
     "    thresholds: [1]\n",
     "t.yaml:7:17: expected a mapping for thresholds of rule 'x' (found a list)"},
    {"ignore_unknown",
     "version: 1\n"
     "ignore:\n"
     "  exes: [a]\n",
     "t.yaml:3:3: unknown key 'exes' in 'ignore' (expected one of: executables, comms, syscalls, "
     "containers)"},
    {"ignore_list",
     "version: 1\n"
     "ignore: [a]\n",
     "t.yaml:2:9: expected a mapping for 'ignore' (found a list)"},
    {"ignore_sel",
     "version: 1\n"
     "ignore:\n"
     "  containers: [nope]\n",
     "t.yaml:3:16: unknown container selector 'nope' in 'ignore: containers' (define it under "
     "'containers:')"},
    {"ignore_star",
     "version: 1\n"
     "ignore:\n"
     "  syscalls: [\"*\"]\n",
     "t.yaml:3:14: \"*\" (every syscall) is allowed only in a rule's syscalls, not in 'ignore: "
     "syscalls'"},
    {"defaults_unknown",
     "version: 1\n"
     "defaults:\n"
     "  decisions: allow\n",
     "t.yaml:3:3: unknown key 'decisions' in 'defaults': did you mean 'decision'? (expected one "
     "of: decision, thresholds, "
     "action, errno)"},
    {"defaults_log",
     "version: 1\n"
     "defaults:\n"
     "  action: SCMP_ACT_LOG\n",
     "t.yaml:3:11: 'defaults: action' SCMP_ACT_LOG does not enforce (expected SCMP_ACT_ERRNO, "
     "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL or SCMP_ACT_TRAP)"},
    {"defaults_action",
     "version: 1\n"
     "defaults:\n"
     "  action: SCMP_ACT_DENY\n",
     "t.yaml:3:11: unknown action 'SCMP_ACT_DENY' for 'defaults: action' (expected SCMP_ACT_ERRNO, "
     "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL or SCMP_ACT_TRAP)"},
    {"defaults_errno_kill",
     "version: 1\n"
     "defaults:\n"
     "  action: SCMP_ACT_KILL_PROCESS\n"
     "  errno: EPERM\n",
     "t.yaml:4:10: 'defaults: errno' applies only with action SCMP_ACT_ERRNO (the action is "
     "SCMP_ACT_KILL_PROCESS)"},
    {"defaults_errno_bad",
     "version: 1\n"
     "defaults:\n"
     "  errno: EWHAT\n",
     "t.yaml:3:10: unknown errno 'EWHAT' for 'defaults: errno' (expected a name such as EPERM, "
     "EACCES or ENOSYS, or a number from 1 to 4095)"},
    {"defaults_errno_big",
     "version: 1\n"
     "defaults:\n"
     "  errno: 4096\n",
     "t.yaml:3:10: unknown errno '4096' for 'defaults: errno' (expected a name such as EPERM, "
     "EACCES or ENOSYS, or a number from 1 to 4095)"},
    {"defaults_decision",
     "version: 1\n"
     "defaults:\n"
     "  decision: maybe\n",
     "t.yaml:3:13: unknown decision 'maybe' for 'defaults: decision' (expected one of: allow, "
     "deny, review, ignore)"},
    {"cve_map",
     "version: 1\n"
     "cve_blocks:\n"
     "  name: x\n",
     "t.yaml:3:3: expected a list for 'cve_blocks' (found a mapping)"},
    {"cve_no_name",
     "version: 1\n"
     "cve_blocks:\n"
     "  - cves: [CVE-2022-0847]\n",
     "t.yaml:3:5: cve block #1 has no 'name' (every cve block needs name, syscalls, reason and "
     "link)"},
    {"cve_unknown_key",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cve: [CVE-2022-0847]\n",
     "t.yaml:4:5: unknown key 'cve' in cve block 'dp': did you mean 'cves'? (expected one of: "
     "name, cves, package, "
     "severity, kernel_below, kernel_since, syscalls, reason, link)"},
    {"cve_no_link",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    syscalls: [splice]\n"
     "    reason: r\n",
     "t.yaml:3:5: cve block 'dp' has no 'link' (every cve block needs name, syscalls, reason and "
     "link)"},
    {"cve_both",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    package: openssl\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:5:14: cve block 'dp' has both 'cves' and 'package' (expected one of them)"},
    {"cve_neither",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:3:5: cve block 'dp' needs 'cves' (a list of CVE ids) or 'package' (a package name)"},
    {"cve_bad_id",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847, CVE-22-1]\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:4:27: invalid CVE id 'CVE-22-1' in cve block 'dp' (expected CVE-YYYY-NNNN)"},
    {"cve_sev_without_pkg",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    severity: high\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:5:15: 'severity' in cve block 'dp' applies only with 'package'"},
    {"cve_bad_sev",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    package: openssl\n"
     "    severity: severe\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:5:15: unknown severity 'severe' in cve block 'dp' (expected one of: unknown, "
     "negligible, low, medium, high, critical)"},
    {"cve_bad_kernel",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    kernel_below: 5.16.x\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:5:19: invalid kernel version '5.16.x' for 'kernel_below' in cve block 'dp' (expected "
     "e.g. \"5.16.11\")"},
    {"cve_bad_kernel_in_list",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    kernel_below: [\"5.16.11\", \"5.15.x\"]\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:5:31: invalid kernel version '5.15.x' for 'kernel_below' in cve block 'dp' (expected "
     "e.g. \"5.16.11\")"},
    {"cve_kernel_same_series",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    kernel_below: [\"5.16.11\", \"5.15.25\", \"5.15.30\"]\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:5:42: 'kernel_below' in cve block 'dp' lists two fixes for one series ('5.15.25' and "
     "'5.15.30'; expected one release per major.minor)"},
    {"cve_since_without_below",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    kernel_since: \"5.8\"\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:5:19: 'kernel_since' in cve block 'dp' applies only with 'kernel_below'"},
    {"cve_since_after_fix",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    kernel_below: [\"5.16.11\", \"5.10.102\"]\n"
     "    kernel_since: \"5.10.102\"\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:6:19: 'kernel_since' 5.10.102 in cve block 'dp' is not older than its fix 5.10.102 "
     "(expected the release that brought the bug)"},
    {"cve_bad_since",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    kernel_below: \"5.16.11\"\n"
     "    kernel_since: five\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:6:19: invalid kernel version 'five' for 'kernel_since' in cve block 'dp' (expected "
     "e.g. \"5.8\")"},
    {"cve_kernel_empty",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    kernel_below: []\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:5:19: empty 'kernel_below' in cve block 'dp' (expected a release like \"5.16.11\" or "
     "a list of them, one per stable series)"},
    {"cve_dup",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n"
     "  - name: dp\n"
     "    package: p\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:8:11: cve block name 'dp' is already used at t.yaml:3:5"},
    {"cve_empty_syscalls",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: [CVE-2022-0847]\n"
     "    syscalls: []\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:5:15: empty 'syscalls' in cve block 'dp'"},
    {"cve_empty_cves",
     "version: 1\n"
     "cve_blocks:\n"
     "  - name: dp\n"
     "    cves: []\n"
     "    syscalls: [splice]\n"
     "    reason: r\n"
     "    link: https://x\n",
     "t.yaml:4:11: empty 'cves' in cve block 'dp' (expected CVE ids like CVE-2022-0847)"},
    {"nul",
     "version: 1\n"
     "rules:\n"
     "  - name: \"a\\0b\"\n",
     "t.yaml:3:11: string holds a NUL byte"},
    {"bad_utf8",
     "version: 1\n"
     "groups:\n"
     "  a: [\xff]\n",
     "t.yaml:3:7: invalid leading UTF-8 octet (rule files are UTF-8 text)"},
    {"control_char",
     "version: 1\n"
     "x: \"a\x01b\"\n",
     "t.yaml:2:6: control characters are not allowed (rule files are UTF-8 text)"},
};

static void test_invalid_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
        struct scw_rules *rs = scw_rules_new();
        char *err = NULL;
        int rc =
            scw_rules_load_buffer(rs, "t.yaml", invalid[i].yaml, strlen(invalid[i].yaml), &err);
        if (rc != -EINVAL || !err || strcmp(err, invalid[i].error) != 0)
            fail_msg("case %s: rc %d\n  got:  %s\n  want: %s", invalid[i].name, rc,
                     err ? err : "(none)", invalid[i].error);
        free(err);
        scw_rules_free(rs);
    }
}

static const char every_key[] = "version: 1\n"
                                "groups:\n"
                                "  \"@net\":\n"
                                "    description: Networking\n"
                                "    syscalls: [socket, connect]\n"
                                "  fs: [openat, \"@net\"]\n"
                                "  empty: []\n"
                                "containers:\n"
                                "  web:\n"
                                "    name: \"web-*\"\n"
                                "    image: nginx\n"
                                "    runtime: [docker, containerd]\n"
                                "    cgroup: \"/docker/*\"\n"
                                "    namespace: prod\n"
                                "    pod: \"web-*\"\n"
                                "    container: nginx\n"
                                "    id: \"abc*\"\n"
                                "    labels: {app: web, tier: \"front*\"}\n"
                                "    executable: /usr/sbin/nginx\n"
                                "    host: false\n"
                                "    profile: profiles/web.json\n"
                                "ignore:\n"
                                "  executables: [\"/usr/bin/strace\"]\n"
                                "  comms: \"runc:[2:INIT]\"\n"
                                "  syscalls: [\"@net\", getpid]\n"
                                "  containers: [web]\n"
                                "rules:\n"
                                "  - name: r1\n"
                                "    syscalls: [\"@fs\", read]\n"
                                "    decision: review\n"
                                "    reason: because\n"
                                "    link: https://example.org/r1\n"
                                "    containers: [web]\n"
                                "    arches: [x86_64, SCMP_ARCH_AARCH64]\n"
                                "    thresholds: {min_events: 5, min_processes: 2}\n"
                                "defaults:\n"
                                "  decision: review\n"
                                "  thresholds: {min_events: 7, min_processes: 3}\n"
                                "  action: SCMP_ACT_ERRNO\n"
                                "  errno: EACCES\n"
                                "cve_blocks:\n"
                                "  - name: dirty-pipe\n"
                                "    cves: [cve-2022-0847]\n"
                                "    kernel_below: [\"5.16.11\", \"5.15.25\"]\n"
                                "    kernel_since: \"5.8\"\n"
                                "    syscalls: [splice, \"@net\"]\n"
                                "    reason: Dirty Pipe\n"
                                "    link: https://dirtypipe.cm4all.com/\n"
                                "  - name: openssl\n"
                                "    package: openssl\n"
                                "    severity: HIGH\n"
                                "    syscalls: connect\n"
                                "    reason: r\n"
                                "    link: http://x\n"
                                "profiles: git/profiles\n";

static void assert_names(const struct scw_syscall_set *set, const char *const *want, size_t n)
{
    assert_int_equal(set->n_names, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(set->names[i], want[i]);
}

static void test_every_key(void **state)
{
    (void)state;
    struct scw_rules *rs = scw_rules_new();
    char *err = load_as(rs, "/nonexistent/dir/t.yaml", every_key);
    assert_null(err);

    assert_int_equal(rs->n_files, 1);
    assert_string_equal(rs->files[0], "/nonexistent/dir/t.yaml");
    assert_int_equal(rs->n_groups, 3);
    assert_string_equal(rs->groups[0].name, "net");
    assert_string_equal(rs->groups[0].description, "Networking");
    assert_int_equal(rs->groups[0].where.line, 3);
    assert_int_equal(rs->groups[0].where.column, 3);
    assert_names(&rs->groups[0].set, (const char *[]){"connect", "socket"}, 2);
    assert_string_equal(rs->groups[1].name, "fs");
    assert_null(rs->groups[1].description);
    assert_names(&rs->groups[1].set, (const char *[]){"connect", "openat", "socket"}, 3);
    assert_string_equal(rs->groups[2].name, "empty");
    assert_int_equal(rs->groups[2].set.n_names, 0);

    assert_int_equal(rs->n_selectors, 1);
    const struct scw_selector *s = &rs->selectors[0];
    assert_string_equal(s->name, "web");
    assert_string_equal(s->names.v[0], "web-*");
    assert_string_equal(s->images.v[0], "nginx");
    assert_int_equal(s->runtimes.n, 2);
    assert_string_equal(s->runtimes.v[1], "containerd");
    assert_string_equal(s->cgroups.v[0], "/docker/*");
    assert_string_equal(s->namespaces.v[0], "prod");
    assert_string_equal(s->pods.v[0], "web-*");
    assert_string_equal(s->k8s_containers.v[0], "nginx");
    assert_string_equal(s->ids.v[0], "abc*");
    assert_int_equal(s->n_labels, 2);
    assert_string_equal(s->labels[0].key, "app");
    assert_string_equal(s->labels[0].glob, "web");
    assert_string_equal(s->labels[1].key, "tier");
    assert_string_equal(s->labels[1].glob, "front*");
    assert_string_equal(s->executables.v[0], "/usr/sbin/nginx");
    assert_int_equal(s->host, 0);
    assert_string_equal(s->profile, "/nonexistent/dir/profiles/web.json");

    assert_int_equal(rs->ignore.executables.n, 1);
    assert_string_equal(rs->ignore.executables.v[0], "/usr/bin/strace");
    assert_string_equal(rs->ignore.comms.v[0], "runc:[2:INIT]");
    assert_names(&rs->ignore.syscalls, (const char *[]){"connect", "getpid", "socket"}, 3);
    assert_int_equal(rs->ignore.n_selectors, 1);
    assert_int_equal(rs->ignore.selectors[0], 0);

    assert_int_equal(rs->n_rules, 1);
    const struct scw_rule *r = &rs->rules[0];
    assert_string_equal(r->name, "r1");
    assert_int_equal(r->decision, SCW_DECISION_REVIEW);
    assert_string_equal(r->reason, "because");
    assert_string_equal(r->link, "https://example.org/r1");
    assert_false(r->syscalls.all);
    assert_names(&r->syscalls, (const char *[]){"connect", "openat", "read", "socket"}, 4);
    assert_int_equal(r->arches.n, 2);
    assert_string_equal(r->arches.v[0], "x86_64");
    assert_string_equal(r->arches.v[1], "aarch64");
    assert_int_equal(r->n_selectors, 1);
    assert_string_equal(r->selector_names[0], "web");
    assert_int_equal(r->selectors[0], 0);
    assert_true(r->thresholds.has_min_events);
    assert_int_equal(r->thresholds.min_events, 5);
    assert_true(r->thresholds.has_min_processes);
    assert_int_equal(r->thresholds.min_processes, 2);
    assert_string_equal(r->where.file, "/nonexistent/dir/t.yaml");
    assert_int_equal(r->where.line, 28);
    assert_int_equal(r->where.column, 5);

    assert_int_equal(rs->defaults.decision, SCW_DECISION_REVIEW);
    assert_int_equal(rs->defaults.thresholds.min_events, 7);
    assert_int_equal(rs->defaults.thresholds.min_processes, 3);
    assert_string_equal(rs->defaults.action, "SCMP_ACT_ERRNO");
    assert_int_equal(rs->defaults.errno_value, EACCES);

    assert_int_equal(rs->n_cve_blocks, 2);
    const struct scw_cve_block *b = &rs->cve_blocks[0];
    assert_string_equal(b->name, "dirty-pipe");
    assert_int_equal(b->n_cves, 1);
    assert_string_equal(b->cves[0], "CVE-2022-0847");
    assert_null(b->package);
    assert_int_equal(b->severity, SCW_SEVERITY_UNKNOWN);
    assert_int_equal(b->n_kernel_below, 2);
    assert_string_equal(b->kernel_below[0], "5.16.11");
    assert_string_equal(b->kernel_below[1], "5.15.25");
    assert_string_equal(b->kernel_since, "5.8");
    assert_null(scw_rules_kernel_missing_fix(b, "5.4.200")); /* older than the bug */
    assert_string_equal(scw_rules_kernel_missing_fix(b, "5.8.0"), "5.16.11");
    assert_names(&b->syscalls, (const char *[]){"connect", "socket", "splice"}, 3);
    assert_string_equal(b->reason, "Dirty Pipe");
    assert_string_equal(b->link, "https://dirtypipe.cm4all.com/");
    assert_int_equal(b->where.line, 42);
    b = &rs->cve_blocks[1];
    assert_string_equal(b->package, "openssl");
    assert_int_equal(b->n_cves, 0);
    assert_int_equal(b->severity, SCW_SEVERITY_HIGH);
    assert_int_equal(b->n_kernel_below, 0);
    assert_null(scw_rules_kernel_missing_fix(b, "4.19.0"));
    assert_names(&b->syscalls, (const char *[]){"connect"}, 1);

    /* the profiles directory, relative to the file */
    assert_string_equal(rs->profiles_dir, "/nonexistent/dir/git/profiles");

    /* the profile file and the directory do not exist: a warning each, exact */
    assert_int_equal(rs->n_warnings, 2);
    assert_string_equal(rs->warnings[0],
                        "/nonexistent/dir/t.yaml:21:14: profile "
                        "'/nonexistent/dir/profiles/web.json' of container selector 'web' "
                        "cannot be read: No such file or directory");
    assert_string_equal(rs->warnings[1], "/nonexistent/dir/t.yaml:55:11: profiles directory "
                                         "'/nonexistent/dir/git/profiles' cannot be read: No "
                                         "such file or directory");
    scw_rules_free(rs);
}

/* A chain of n groups g0 -> g1 -> ... -> g(n-1) -> read. */
static char *group_chain(unsigned n)
{
    size_t cap = 64 + (size_t)n * 32, off = 0;
    char *y = malloc(cap);
    assert_non_null(y);
    off += (size_t)snprintf(y, cap, "version: 1\ngroups:\n");
    for (unsigned i = 0; i + 1 < n; i++)
        off += (size_t)snprintf(y + off, cap - off, "  g%u: [\"@g%u\"]\n", i, i + 1);
    snprintf(y + off, cap - off, "  g%u: [read]\n", n - 1);
    return y;
}

static void test_group_nesting(void **state)
{
    (void)state;
    /* 16 groups deep is fine; every level expands to the innermost names */
    char *y = group_chain(16);
    struct scw_rules *rs = load_ok(y);
    assert_int_equal(rs->n_groups, 16);
    assert_names(&scw_rules_group(rs, "@g0")->set, (const char *[]){"read"}, 1);
    assert_names(&scw_rules_group(rs, "g15")->set, (const char *[]){"read"}, 1);
    assert_null(scw_rules_group(rs, "g16"));
    scw_rules_free(rs);
    free(y);

    /* 17 is one too many */
    y = group_chain(17);
    rs = scw_rules_new();
    char *err = load_as(rs, "t.yaml", y);
    assert_string_equal(err, "t.yaml:18:9: groups nest more than 16 levels deep: @g0 -> @g1 -> "
                             "@g2 -> @g3 -> @g4 -> @g5 -> @g6 -> @g7 -> @g8 -> @g9 -> @g10 -> "
                             "@g11 -> @g12 -> @g13 -> @g14 -> @g15 -> @g16");
    free(err);
    scw_rules_free(rs);
    free(y);

    /* diamonds are not cycles; duplicates collapse */
    rs = load_ok("version: 1\n"
                 "groups:\n"
                 "  top: [\"@left\", \"@right\", read]\n"
                 "  left: [\"@base\", write]\n"
                 "  right: [\"@base\", write]\n"
                 "  base: [read, close]\n");
    assert_names(&scw_rules_group(rs, "top")->set, (const char *[]){"close", "read", "write"}, 3);
    scw_rules_free(rs);
}

static void test_first_match_order(void **state)
{
    (void)state;
    struct scw_rules *rs = load_ok("version: 1\n"
                                   "containers:\n"
                                   "  db: {image: postgres}\n"
                                   "rules:\n"
                                   "  - {name: db-io, syscalls: [io_submit], containers: [db], "
                                   "decision: allow, reason: db uses aio}\n"
                                   "  - {name: arm-read, syscalls: [read], arches: [aarch64], "
                                   "decision: deny, reason: arm}\n"
                                   "  - {name: reads, syscalls: [read, io_submit], decision: "
                                   "review, reason: second}\n"
                                   "  - {name: everything, syscalls: [\"*\"], decision: ignore, "
                                   "reason: last}\n"
                                   "  - {name: never, syscalls: [write], decision: deny, "
                                   "reason: shadowed}\n");
    struct scw_container db = {.image = "postgres:16"}, web = {.image = "nginx"};
    struct scw_decision d;
    assert_int_equal(scw_rules_decide(rs, &db, NULL, 0, "x86_64", "io_submit", 10, 2, &d),
                     SCW_DECISION_ALLOW);
    assert_string_equal(d.rule_name, "db-io");
    assert_ptr_equal(d.rule, &rs->rules[0]);
    assert_string_equal(d.reason, "db uses aio");
    assert_null(d.link);
    assert_int_equal(scw_rules_decide(rs, &web, NULL, 0, "x86_64", "io_submit", 10, 2, &d),
                     SCW_DECISION_REVIEW);
    assert_string_equal(d.rule_name, "reads");
    assert_false(d.demoted);
    assert_int_equal(scw_rules_decide(rs, &web, NULL, 0, "aarch64", "read", 10, 2, &d),
                     SCW_DECISION_DENY);
    assert_string_equal(d.rule_name, "arm-read");
    assert_int_equal(scw_rules_decide(rs, &web, NULL, 0, "x86_64", "read", 10, 2, &d),
                     SCW_DECISION_REVIEW);
    assert_string_equal(d.rule_name, "reads");
    /* arch unknown (NULL): arch-specific rules do not match */
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, NULL, "read", 10, 2, &d),
                     SCW_DECISION_REVIEW);
    /* "*" matches any name, and numbers libseccomp cannot name */
    assert_int_equal(scw_rules_decide(rs, &web, NULL, 0, "x86_64", "write", 10, 2, &d),
                     SCW_DECISION_IGNORE);
    assert_string_equal(d.rule_name, "everything");
    assert_int_equal(scw_rules_decide(rs, &web, NULL, 0, "x86_64", NULL, 10, 2, NULL),
                     SCW_DECISION_IGNORE);
    scw_rules_free(rs);

    /* no rule matches: the default decision, named "defaults" */
    rs = load_ok("version: 1\nrules:\n  - {name: w, syscalls: [write], decision: deny, reason: "
                 "x}\ndefaults: {decision: review}\n");
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "read", 10, 2, &d),
                     SCW_DECISION_REVIEW);
    assert_null(d.rule);
    assert_string_equal(d.rule_name, "defaults");
    assert_string_equal(d.reason, "no rule matched: the rule file's default decision");
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", NULL, 10, 2, &d),
                     SCW_DECISION_REVIEW);
    scw_rules_free(rs);
}

static void test_thresholds(void **state)
{
    (void)state;
    struct scw_rules *rs = load_ok("version: 1\n"
                                   "rules:\n"
                                   "  - {name: a, syscalls: [read], decision: allow, reason: r,\n"
                                   "     thresholds: {min_processes: 2}}\n"
                                   "  - {name: b, syscalls: [write], decision: allow, reason: r,\n"
                                   "     thresholds: {min_events: 0, min_processes: 0}}\n"
                                   "  - {name: c, syscalls: [ptrace], decision: deny, reason: r,\n"
                                   "     thresholds: {min_events: 100}}\n"
                                   "defaults: {thresholds: {min_events: 3}}\n");
    struct scw_decision d;
    /* min_events falls back to the defaults (3), min_processes from the rule (2) */
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "read", 2, 5, &d),
                     SCW_DECISION_REVIEW);
    assert_true(d.demoted);
    assert_int_equal(d.undemoted, SCW_DECISION_ALLOW);
    assert_string_equal(d.rule_name, "a");
    assert_int_equal(d.min_events, 3);
    assert_int_equal(d.min_processes, 2);
    assert_string_equal(d.demoted_why, "seen 2 times (minimum 3)");
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "read", 3, 1, &d),
                     SCW_DECISION_REVIEW);
    assert_string_equal(d.demoted_why, "seen in 1 process (minimum 2)");
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "read", 3, 2, &d),
                     SCW_DECISION_ALLOW);
    assert_false(d.demoted);
    assert_string_equal(d.demoted_why, "");
    /* thresholds of 0 never demote */
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "write", 0, 0, &d),
                     SCW_DECISION_ALLOW);
    /* only allow is demoted */
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "ptrace", 1, 1, &d),
                     SCW_DECISION_DENY);
    assert_false(d.demoted);
    /* the default decision (allow) with the default thresholds (3 events, 1 process) */
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "close", 1, 1, &d),
                     SCW_DECISION_REVIEW);
    assert_string_equal(d.demoted_why, "seen 1 time (minimum 3)");
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "close", 3, 0, &d),
                     SCW_DECISION_REVIEW);
    assert_string_equal(d.demoted_why, "seen in 0 processes (minimum 1)");
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "close", 3, 1, &d),
                     SCW_DECISION_ALLOW);
    scw_rules_free(rs);
}

static bool sel_match(const struct scw_rules *rs, const char *name, const struct scw_container *c,
                      const char *exe)
{
    for (size_t i = 0; i < rs->n_selectors; i++)
        if (strcmp(rs->selectors[i].name, name) == 0)
            return scw_rules_selector_matches(&rs->selectors[i], c, exe ? &exe : NULL, exe ? 1 : 0);
    fail_msg("no selector %s", name);
    return false;
}

static void test_selectors(void **state)
{
    (void)state;
    struct scw_rules *rs = load_ok("version: 1\n"
                                   "containers:\n"
                                   "  by-name: {name: \"web-*\"}\n"
                                   "  by-image: {image: nginx}\n"
                                   "  by-tag: {image: \"nginx:1.25\"}\n"
                                   "  by-registry: {image: \"ghcr.io/acme/*\"}\n"
                                   "  by-port: {image: \"registry:5000/app\"}\n"
                                   "  by-hub: {image: docker.io/library/redis}\n"
                                   "  by-runtime: {runtime: [podman, cri-o]}\n"
                                   "  by-cgroup: {cgroup: \"/kubepods*\"}\n"
                                   "  by-ns: {namespace: prod, pod: \"api-*\", container: api}\n"
                                   "  by-id: {id: \"3f2a*\"}\n"
                                   "  by-labels: {labels: {app: web, tier: \"front*\"}}\n"
                                   "  by-exe: {executable: [\"/usr/sbin/*\", /bin/sh]}\n"
                                   "  host-only: {host: true}\n"
                                   "  containers-only: {host: false}\n"
                                   "  host-exe: {host: true, executable: /usr/sbin/cron}\n");
    char *labels[] = {"app=web", "tier=frontend", NULL};
    struct scw_container c = {
        .runtime = "podman",
        .id = "3f2a9c",
        .name = "web-1",
        .image = "docker.io/library/nginx:1.25",
        .cgroup = "/kubepods.slice/kubepods-pod1.slice/cri-containerd-3f2a9c.scope",
        .pod = "api-7d9",
        .namespace = "prod",
        .k8s_container = "api",
        .labels = labels,
    };
    struct scw_container empty = {0};
    assert_true(sel_match(rs, "by-name", &c, NULL));
    assert_false(sel_match(rs, "by-name", &empty, NULL));
    assert_false(sel_match(rs, "by-name", NULL, NULL));
    assert_true(sel_match(rs, "by-image", &c, NULL));
    assert_true(sel_match(rs, "by-tag", &c, NULL));
    struct scw_container img = {.image = "nginx@sha256:0123"};
    assert_true(sel_match(rs, "by-image", &img, NULL));
    assert_false(sel_match(rs, "by-tag", &img, NULL));
    img.image = "nginx:1.24";
    assert_true(sel_match(rs, "by-image", &img, NULL));
    assert_false(sel_match(rs, "by-tag", &img, NULL));
    img.image = "docker.io/library/nginx-proxy:1";
    assert_false(sel_match(rs, "by-image", &img, NULL));
    img.image = "ghcr.io/acme/api:v1";
    assert_true(sel_match(rs, "by-registry", &img, NULL));
    assert_false(sel_match(rs, "by-image", &img, NULL));
    img.image = "redis:7";
    assert_true(sel_match(rs, "by-hub", &img, NULL)); /* prefix in the pattern, not the image */
    img.image = "docker.io/library/redis@sha256:0123";
    assert_true(sel_match(rs, "by-hub", &img, NULL));
    img.image = "quay.io/redis:7";
    assert_false(sel_match(rs, "by-hub", &img, NULL));
    img.image = "registry:5000/app:v2";
    assert_true(sel_match(rs, "by-port", &img, NULL));
    img.image = "registry:5000/app2:v2";
    assert_false(sel_match(rs, "by-port", &img, NULL));
    assert_true(sel_match(rs, "by-runtime", &c, NULL));
    c.runtime = "docker";
    assert_false(sel_match(rs, "by-runtime", &c, NULL));
    assert_true(sel_match(rs, "by-cgroup", &c, NULL)); /* '*' crosses '/' */
    assert_true(sel_match(rs, "by-ns", &c, NULL));
    c.k8s_container = "sidecar";
    assert_false(sel_match(rs, "by-ns", &c, NULL)); /* fields are ANDed */
    assert_true(sel_match(rs, "by-id", &c, NULL));
    assert_true(sel_match(rs, "by-labels", &c, NULL));
    char *labels2[] = {"app=web", NULL};
    c.labels = labels2;
    assert_false(sel_match(rs, "by-labels", &c, NULL));
    c.labels = NULL;
    assert_false(sel_match(rs, "by-labels", &c, NULL));
    assert_true(sel_match(rs, "by-exe", &c, "/usr/sbin/nginx"));
    assert_true(sel_match(rs, "by-exe", NULL, "/bin/sh"));
    assert_false(sel_match(rs, "by-exe", &c, "/usr/bin/python3"));
    assert_false(sel_match(rs, "by-exe", &c, NULL));
    assert_true(sel_match(rs, "host-only", NULL, NULL));
    assert_false(sel_match(rs, "host-only", &c, NULL));
    assert_true(sel_match(rs, "containers-only", &c, NULL));
    assert_false(sel_match(rs, "containers-only", NULL, NULL));
    assert_true(sel_match(rs, "host-exe", NULL, "/usr/sbin/cron"));
    assert_false(sel_match(rs, "host-exe", &c, "/usr/sbin/cron"));
    assert_false(sel_match(rs, "host-exe", NULL, "/usr/sbin/atd"));

    /* any of several executables of a workload may match */
    const char *exes[] = {"/usr/bin/python3", "/usr/sbin/nginx"};
    assert_true(scw_rules_selector_matches(&rs->selectors[11], &c, exes, 2));
    assert_string_equal(rs->selectors[11].name, "by-exe");
    scw_rules_free(rs);
}

static void test_ignore(void **state)
{
    (void)state;
    struct scw_rules *rs = load_ok("version: 1\n"
                                   "groups: {ids: [getuid, getgid]}\n"
                                   "containers: {build: {image: moby/buildkit}}\n"
                                   "ignore:\n"
                                   "  executables: [\"/usr/bin/*trace\"]\n"
                                   "  comms: [\"runc:[2:INIT]\", \"debug-*\"]\n"
                                   "  syscalls: [\"@ids\", getpid]\n"
                                   "  containers: [build]\n");
    struct scw_container bk = {.image = "moby/buildkit:v0.12"}, app = {.image = "app"};
    assert_true(scw_rules_ignores(rs, &app, "/usr/bin/strace", NULL, "read"));
    assert_true(scw_rules_ignores(rs, &app, "/usr/bin/ltrace", "x", "read"));
    assert_false(scw_rules_ignores(rs, &app, "/usr/bin/trace/x", "x", "read"));
    assert_true(scw_rules_ignores(rs, &app, "/bin/x", "runc:[2:INIT]", "read"));
    assert_true(scw_rules_ignores(rs, &app, "/bin/x", "debug-shell", "read"));
    assert_true(scw_rules_ignores(rs, &app, "/bin/x", "x", "getgid"));
    assert_true(scw_rules_ignores(rs, &app, "/bin/x", "x", "getpid"));
    assert_false(scw_rules_ignores(rs, &app, "/bin/x", "x", "read"));
    assert_true(scw_rules_ignores(rs, &bk, "/bin/x", "x", "read"));
    assert_false(scw_rules_ignores(rs, NULL, NULL, NULL, NULL));

    /* the ingest filter: exe, comm and syscall lists (numbers named per architecture) */
    struct scw_record r = {.arch = 0xc000003e, .syscall = 39}; /* x86_64 getpid */
    snprintf(r.exe, sizeof(r.exe), "/bin/app");
    snprintf(r.comm, sizeof(r.comm), "app");
    assert_true(scw_rules_filter_record(rs, &r));
    r.syscall = 0; /* read */
    assert_false(scw_rules_filter_record(rs, &r));
    r.arch = 0xc00000b7; /* aarch64: 172 is getpid there */
    r.syscall = 172;
    assert_true(scw_rules_filter_record(rs, &r));
    r.syscall = 63; /* aarch64 read */
    assert_false(scw_rules_filter_record(rs, &r));
    snprintf(r.comm, sizeof(r.comm), "runc:[2:INIT]");
    assert_true(scw_rules_filter_record(rs, &r));
    snprintf(r.comm, sizeof(r.comm), "app");
    snprintf(r.exe, sizeof(r.exe), "/usr/bin/strace");
    assert_true(scw_rules_filter_record(rs, &r));
    scw_rules_free(rs);
}

static const char file_a[] =
    "version: 1\n"
    "groups:\n"
    "  net: [socket]\n"
    "containers:\n"
    "  web: {name: web}\n"
    "ignore:\n"
    "  syscalls: [getpid]\n"
    "rules:\n"
    "  - {name: a-net, syscalls: [\"@net\"], decision: review, reason: A}\n"
    "  - {name: a-read, syscalls: [read], decision: deny, reason: A}\n"
    "defaults:\n"
    "  decision: allow\n"
    "  thresholds: {min_events: 4}\n"
    "  action: SCMP_ACT_KILL_PROCESS\n";

static const char file_b[] = "version: 1\n"
                             "groups:\n"
                             "  net: [connect]\n"
                             "  extra: [\"@net\", bind]\n"
                             "ignore:\n"
                             "  syscalls: [gettid]\n"
                             "rules:\n"
                             "  - {name: b-web, syscalls: [read], containers: [web], decision: "
                             "allow, reason: B}\n"
                             "  - {name: b-extra, syscalls: [\"@extra\"], decision: deny, "
                             "reason: B}\n"
                             "defaults:\n"
                             "  action: SCMP_ACT_ERRNO\n";

static void test_multiple_files(void **state)
{
    (void)state;
    struct scw_rules *rs = scw_rules_new();
    assert_null(load_as(rs, "a.yaml", file_a));
    assert_int_equal(rs->defaults.errno_value, 0); /* KILL_PROCESS has no errno */
    assert_null(load_as(rs, "b.yaml", file_b));
    assert_int_equal(rs->n_files, 2);
    /* later files' rules come first, each file in its own order */
    assert_int_equal(rs->n_rules, 4);
    assert_string_equal(rs->rules[0].name, "b-web");
    assert_string_equal(rs->rules[1].name, "b-extra");
    assert_string_equal(rs->rules[2].name, "a-net");
    assert_string_equal(rs->rules[3].name, "a-read");
    assert_string_equal(rs->rules[3].where.file, "a.yaml");
    assert_string_equal(rs->rules[0].where.file, "b.yaml");
    /* groups appended to; rules of the first file see the additions */
    assert_int_equal(rs->n_groups, 2);
    assert_names(&scw_rules_group(rs, "net")->set, (const char *[]){"connect", "socket"}, 2);
    assert_names(&rs->rules[2].syscalls, (const char *[]){"connect", "socket"}, 2);
    assert_names(&scw_rules_group(rs, "extra")->set, (const char *[]){"bind", "connect", "socket"},
                 3);
    assert_string_equal(scw_rules_group(rs, "net")->where.file, "a.yaml");
    /* the second file used the first file's selector */
    struct scw_container web = {.name = "web"}, other = {.name = "db"};
    struct scw_decision d;
    assert_int_equal(scw_rules_decide(rs, &web, NULL, 0, "x86_64", "read", 9, 1, &d),
                     SCW_DECISION_ALLOW);
    assert_string_equal(d.rule_name, "b-web");
    assert_int_equal(scw_rules_decide(rs, &other, NULL, 0, "x86_64", "read", 9, 1, &d),
                     SCW_DECISION_DENY);
    assert_string_equal(d.rule_name, "a-read");
    assert_int_equal(scw_rules_decide(rs, &other, NULL, 0, "x86_64", "socket", 9, 1, &d),
                     SCW_DECISION_DENY);
    assert_string_equal(d.rule_name, "b-extra");
    /* ignore lists appended; defaults overridden key by key */
    assert_names(&rs->ignore.syscalls, (const char *[]){"getpid", "gettid"}, 2);
    assert_int_equal(rs->defaults.thresholds.min_events, 4);
    assert_string_equal(rs->defaults.action, "SCMP_ACT_ERRNO");
    assert_int_equal(rs->defaults.errno_value, EPERM);
    scw_rules_free(rs);

    /* empty lists in several files (realloc to zero must not free what is kept) */
    rs = scw_rules_new();
    for (int i = 0; i < 3; i++)
        assert_null(load_as(rs, "e.yaml",
                            "version: 1\n"
                            "ignore: {executables: [], comms: [], syscalls: [], containers: []}\n"
                            "rules: []\n"));
    scw_rules_free(rs);

    /* a rule name used by an earlier file */
    rs = scw_rules_new();
    assert_null(load_as(rs, "a.yaml", file_a));
    char *err = load_as(rs, "c.yaml",
                        "version: 1\nrules:\n  - {name: a-read, syscalls: [read], decision: "
                        "allow, reason: again}\n");
    assert_string_equal(err, "c.yaml:3:12: rule name 'a-read' is already used at a.yaml:10:5");
    free(err);
    scw_rules_free(rs);

    /* a selector defined twice */
    rs = scw_rules_new();
    assert_null(load_as(rs, "a.yaml", file_a));
    err = load_as(rs, "c.yaml", "version: 1\ncontainers:\n  web: {image: x}\n");
    assert_string_equal(err, "c.yaml:3:3: container selector 'web' is already defined at "
                             "a.yaml:5:3");
    free(err);
    scw_rules_free(rs);

    /* a cycle closed by a later file */
    rs = scw_rules_new();
    assert_null(load_as(rs, "a.yaml", file_a));
    assert_null(load_as(rs, "b.yaml", file_b));
    err = load_as(rs, "c.yaml", "version: 1\ngroups:\n  net: [\"@extra\"]\n");
    assert_string_equal(err, "b.yaml:4:11: group '@net' includes itself: @net -> @extra -> @net");
    free(err);
    scw_rules_free(rs);

    /* alone, the second file lacks the first file's selector */
    rs = scw_rules_new();
    err = load_as(rs, "b.yaml", file_b);
    assert_string_equal(err, "b.yaml:8:50: unknown container selector 'web' in rule 'b-web' "
                             "(define it under 'containers:')");
    free(err);
    scw_rules_free(rs);
}

static void test_files_on_disk(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *pdir = scw_test_asprintf("%s/profiles", dir);
    assert_int_equal(mkdir(pdir, 0755), 0);
    char *prof = scw_test_asprintf("%s/web.json", pdir);
    scw_test_write_file(prof, "{}", 2);
    char *path = scw_test_asprintf("%s/rules.yaml", dir);
    const char *y = "version: 1\n"
                    "containers:\n"
                    "  web: {name: \"web*\", profile: profiles/web.json}\n"
                    "  abs: {name: db, profile: /etc/db.json}\n"
                    "  noprof: {name: \"*\"}\n";
    scw_test_write_file(path, y, strlen(y));
    struct scw_rules *rs = scw_rules_new();
    char *err = NULL;
    assert_int_equal(scw_rules_load(rs, path, &err), 0);
    assert_null(err);
    struct scw_container web = {.name = "web-2"}, db = {.name = "db"}, other = {.name = "x"};
    assert_string_equal(scw_rules_profile_for(rs, &web, NULL, 0), prof);
    assert_string_equal(scw_rules_profile_for(rs, &db, NULL, 0), "/etc/db.json");
    assert_null(scw_rules_profile_for(rs, &other, NULL, 0));
    assert_null(scw_rules_profile_for(rs, NULL, NULL, 0));
    /* only /etc/db.json is unreadable here (if it exists, no warning) */
    assert_int_equal(rs->n_warnings, access("/etc/db.json", R_OK) == 0 ? 0 : 1);
    scw_rules_free(rs);

    /* missing file, directory, too large */
    rs = scw_rules_new();
    char *missing = scw_test_asprintf("%s/nope.yaml", dir);
    assert_int_equal(scw_rules_load(rs, missing, &err), -ENOENT);
    char *want =
        scw_test_asprintf("%s: cannot open the rule file: No such file or directory", missing);
    assert_string_equal(err, want);
    free(err);
    free(want);
    assert_int_equal(scw_rules_load(rs, dir, &err), -EISDIR);
    want = scw_test_asprintf("%s: cannot read the rule file: Is a directory", dir);
    assert_string_equal(err, want);
    free(err);
    free(want);
    size_t big = SCW_RULES_MAX_FILE_SIZE + 1;
    char *data = malloc(big);
    assert_non_null(data);
    memset(data, '#', big);
    scw_test_write_file(path, data, big);
    assert_int_equal(scw_rules_load(rs, path, &err), -EFBIG);
    want = scw_test_asprintf("%s: rule file larger than 4194304 bytes (the limit)", path);
    assert_string_equal(err, want);
    free(err);
    free(want);
    assert_int_equal(scw_rules_load_buffer(rs, "t.yaml", data, big, &err), -EINVAL);
    assert_string_equal(err, "t.yaml:1:1: rule file larger than 4194304 bytes (the limit)");
    free(err);
    free(data);
    scw_rules_free(rs);

    free(missing);
    free(path);
    free(prof);
    free(pdir);
    scw_test_rmtree(dir);
    free(dir);
}

static void test_warnings(void **state)
{
    (void)state;
    struct scw_rules *rs = load_ok("version: 1\n"
                                   "groups:\n"
                                   "  a: [read, mout]\n"
                                   "rules:\n"
                                   "  - {name: r, syscalls: [future_call], decision: deny, reason: "
                                   "x}\n");
    const struct scmp_version *v = seccomp_version();
    char *w0 = scw_test_asprintf("t.yaml:3:13: unknown syscall 'mout' in group '@a': libseccomp "
                                 "%u.%u.%u knows it on no architecture (kept as written; check "
                                 "the spelling)",
                                 v->major, v->minor, v->micro);
    char *w1 = scw_test_asprintf("t.yaml:5:26: unknown syscall 'future_call' in rule 'r': "
                                 "libseccomp %u.%u.%u knows it on no architecture (kept as "
                                 "written; check the spelling)",
                                 v->major, v->minor, v->micro);
    assert_int_equal(rs->n_warnings, 2);
    assert_string_equal(rs->warnings[0], w0);
    assert_string_equal(rs->warnings[1], w1);
    /* kept: a newer kernel's name still matches by name */
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "future_call", 5, 1, NULL),
                     SCW_DECISION_DENY);
    assert_true(scw_syscall_set_has(&scw_rules_group(rs, "a")->set, "mout"));
    free(w0);
    free(w1);
    scw_rules_free(rs);
}

/* head, then n lines "pre<i>post", then tail */
static char *repeat_lines(const char *head, const char *pre, const char *post, unsigned n,
                          const char *tail)
{
    size_t cap = strlen(head) + strlen(tail) + (size_t)n * (strlen(pre) + strlen(post) + 12) + 1,
           off;
    char *y = malloc(cap);
    assert_non_null(y);
    off = (size_t)snprintf(y, cap, "%s", head);
    for (unsigned i = 0; i < n; i++)
        off += (size_t)snprintf(y + off, cap - off, "%s%u%s", pre, i, post);
    snprintf(y + off, cap - off, "%s", tail);
    return y;
}

static void test_bounds(void **state)
{
    (void)state;
    struct scw_rules *rs;
    char *err, *y;

    /* string length */
    char longname[SCW_RULES_MAX_STRING + 2];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    y = scw_test_asprintf("version: 1\nrules:\n  - name: %s\n", longname);
    rs = scw_rules_new();
    err = load_as(rs, "t.yaml", y);
    assert_string_equal(err, "t.yaml:3:11: string longer than 4096 bytes (the limit)");
    free(err);
    free(y);
    scw_rules_free(rs);

    /* nesting depth: the root mapping plus 31 lists is the most */
    char brackets[41];
    memset(brackets, '[', 40);
    brackets[40] = '\0';
    y = scw_test_asprintf("version: 1\nx: %s\n", brackets);
    rs = scw_rules_new();
    err = load_as(rs, "t.yaml", y);
    assert_string_equal(err, "t.yaml:2:35: a list nested more than 32 levels deep (the limit)");
    free(err);
    free(y);
    scw_rules_free(rs);

    /* entries in one list */
    y = repeat_lines("version: 1\ngroups:\n  a:\n", "    - read # ", "\n", 4097, "");
    rs = scw_rules_new();
    err = load_as(rs, "t.yaml", y);
    assert_string_equal(err, "t.yaml:4100:7: more than 4096 entries in one list (the limit)");
    free(err);
    free(y);
    scw_rules_free(rs);

    /* nodes per file: 65 lines of 4002 nodes, then the 262145th node on line 68 */
    char items[4000 * 2 + 1];
    for (size_t i = 0; i < 4000; i++) {
        items[2 * i] = 'r';
        items[2 * i + 1] = ',';
    }
    items[sizeof(items) - 2] = '\0';
    size_t cap = 70 * (sizeof(items) + 16), off = 0;
    y = malloc(cap);
    off += (size_t)snprintf(y, cap, "version: 1\ngroups:\n");
    for (unsigned i = 0; i < 70; i++)
        off += (size_t)snprintf(y + off, cap - off, "  g%02u: [%s]\n", i, items);
    rs = scw_rules_new();
    err = load_as(rs, "t.yaml", y);
    assert_string_equal(err, "t.yaml:68:4023: more than 262144 YAML nodes in one file (the "
                             "limit)");
    free(err);
    free(y);
    scw_rules_free(rs);

    /* rules in a rule set (over several files) */
    rs = scw_rules_new();
    y = repeat_lines("version: 1\nrules:\n", "  - {name: r",
                     ", syscalls: [read], decision: allow, reason: r}\n", 4096, "");
    assert_null(load_as(rs, "a.yaml", y));
    free(y);
    err = load_as(rs, "b.yaml",
                  "version: 1\nrules:\n  - {name: one-more, syscalls: [read], decision: allow, "
                  "reason: r}\n");
    assert_string_equal(err, "b.yaml:3:5: more than 4096 rules (the limit)");
    free(err);
    scw_rules_free(rs);

    /* files in a rule set */
    rs = scw_rules_new();
    for (unsigned i = 0; i < SCW_RULES_MAX_FILES; i++)
        assert_null(load_as(rs, "t.yaml", "version: 1\n"));
    err = load_as(rs, "t.yaml", "version: 1\n");
    assert_string_equal(err, "t.yaml:1:1: more than 64 rule files (the limit)");
    free(err);
    scw_rules_free(rs);

    /* distinct names one list expands to; warnings past 256 are counted */
    y = repeat_lines("version: 1\ngroups:\n  big:\n", "    - x", "\n", 2049, "");
    rs = scw_rules_new();
    err = load_as(rs, "t.yaml", y);
    assert_string_equal(err, "t.yaml:4:7: group '@big' expands to more than 2048 syscall names "
                             "(the limit)");
    assert_int_equal(rs->n_warnings, SCW_RULES_MAX_WARNINGS);
    assert_int_equal(rs->warnings_dropped, 2049 - SCW_RULES_MAX_WARNINGS);
    free(err);
    free(y);
    scw_rules_free(rs);

    /* a group wide and nested: pre-deduplication bound */
    rs = load_ok("version: 1\ngroups:\n  a: [read, write]\n  b: [\"@a\", \"@a\", \"@a\"]\n");
    assert_int_equal(scw_rules_group(rs, "b")->set.n_names, 2);
    scw_rules_free(rs);
}

static void test_default_yaml(void **state)
{
    (void)state;
    struct scw_rules *rs = scw_rules_new();
    char *err = NULL;
    assert_int_equal(scw_rules_load(rs, SCW_SOURCE_DIR "/rules/default.yaml", &err), 0);
    assert_null(err);
    assert_int_equal(rs->n_warnings, 0);
    assert_int_equal(rs->n_groups, 19);
    assert_int_equal(rs->n_rules, 17);
    assert_int_equal(rs->n_selectors, 0);
    assert_int_equal(rs->n_cve_blocks, 0);
    assert_int_equal(rs->defaults.decision, SCW_DECISION_ALLOW);
    assert_int_equal(rs->defaults.thresholds.min_events, 3);
    assert_int_equal(rs->defaults.thresholds.min_processes, 1);
    assert_string_equal(rs->defaults.action, "SCMP_ACT_ERRNO");
    assert_int_equal(rs->defaults.errno_value, EPERM);

    /* every syscall Docker blocks is denied or sent to review, with a link */
    const struct scw_group *blocked = scw_rules_group(rs, "@docker-blocked");
    assert_non_null(blocked);
    assert_int_equal(blocked->set.n_names, 52);
    for (size_t i = 0; i < blocked->set.n_names; i++) {
        struct scw_decision d;
        enum scw_decision_kind k =
            scw_rules_decide(rs, NULL, NULL, 0, "x86_64", blocked->set.names[i], 1000, 10, &d);
        if ((k != SCW_DECISION_DENY && k != SCW_DECISION_REVIEW) || !d.rule || !d.link)
            fail_msg("%s: %s by %s", blocked->set.names[i], scw_decision_name(k), d.rule_name);
    }
    static const struct {
        const char *syscall, *rule;
        enum scw_decision_kind decision;
    } expect[] = {
        {"init_module", "kernel-modules", SCW_DECISION_DENY},
        {"kexec_load", "reboot-and-kexec", SCW_DECISION_DENY},
        {"clock_settime", "clock", SCW_DECISION_DENY},
        {"open_by_handle_at", "file-handles", SCW_DECISION_DENY},
        {"_sysctl", "obsolete", SCW_DECISION_DENY},
        {"mount", "mount", SCW_DECISION_REVIEW},
        {"unshare", "namespaces", SCW_DECISION_REVIEW},
        {"clone3", "clone3", SCW_DECISION_REVIEW},
        {"ptrace", "ptrace-and-process-memory", SCW_DECISION_REVIEW},
        {"bpf", "bpf-and-perf", SCW_DECISION_REVIEW},
        {"keyctl", "keyring", SCW_DECISION_REVIEW},
        {"read", "defaults", SCW_DECISION_ALLOW},
        {"adjtimex", "defaults", SCW_DECISION_ALLOW},
        {"setuid", "defaults", SCW_DECISION_ALLOW},
        {"io_uring_setup", "defaults", SCW_DECISION_ALLOW},
    };
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        struct scw_decision d;
        assert_int_equal(
            scw_rules_decide(rs, NULL, NULL, 0, "x86_64", expect[i].syscall, 1000, 10, &d),
            expect[i].decision);
        assert_string_equal(d.rule_name, expect[i].rule);
    }
    /* a one-off becomes review */
    struct scw_decision d;
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "read", 2, 1, &d),
                     SCW_DECISION_REVIEW);
    assert_string_equal(d.demoted_why, "seen 2 times (minimum 3)");

    /* the examples layer onto it */
    static const char *const examples[] = {"by-image.yaml", "kubernetes.yaml", "team-overlay.yaml"};
    for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
        char *p = scw_test_asprintf("%s/rules/examples/%s", SCW_SOURCE_DIR, examples[i]);
        if (scw_rules_load(rs, p, &err) < 0)
            fail_msg("%s", err);
        free(p);
    }
    assert_int_equal(rs->n_files, 4);
    scw_rules_free(rs);
}

static void test_helpers(void **state)
{
    (void)state;
    assert_true(scw_rules_kernel_older("5.15.0-91-generic", "5.16.11"));
    assert_true(scw_rules_kernel_older("5.16.10-arch1-1", "5.16.11"));
    assert_true(scw_rules_kernel_older("4.19", "5"));
    assert_false(scw_rules_kernel_older("5.16.11", "5.16.11"));
    assert_false(scw_rules_kernel_older("5.16.11-rc1", "5.16.11"));
    assert_false(scw_rules_kernel_older("6.1.0-18-amd64", "5.16.11"));
    assert_false(scw_rules_kernel_older("garbage", "5.16"));
    assert_false(scw_rules_kernel_older(NULL, "5.16"));

    /* the fix a release lacks: its own series' fix, else the newest one */
    char *one[] = {"5.16.11"}, *many[] = {"6.1.76", "6.7.3", "5.10.209", "6.6.15"};
    struct scw_cve_block single = {.kernel_below = one, .n_kernel_below = 1};
    struct scw_cve_block series = {.kernel_below = many, .n_kernel_below = 4};
    static const struct {
        const char *release, *single, *series;
    } fixes[] = {
        {"5.15.0-91-generic", "5.16.11", "6.7.3"}, /* 5.15: no fix listed, older than 6.7.3 */
        {"5.16.11", NULL, "6.7.3"},
        {"6.1.75", NULL, "6.1.76"},
        {"6.1.76-1", NULL, NULL},
        {"6.1.0-18-amd64", NULL, "6.1.76"},
        {"5.10.208", "5.16.11", "5.10.209"},
        {"5.10.209", "5.16.11", NULL},
        {"4.19.300", "5.16.11", "6.7.3"},
        {"6.6", NULL, "6.6.15"},
        {"6.7.2", NULL, "6.7.3"},
        {"6.7.3", NULL, NULL},
        {"6.8.0", NULL, NULL}, /* newer than every series listed: fixed */
        {"6.2.16", NULL, "6.7.3"},
        {"garbage", NULL, NULL},
        {"", NULL, NULL},
        {"99999999999999999999999.1", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++) {
        const char *a = scw_rules_kernel_missing_fix(&single, fixes[i].release);
        const char *b = scw_rules_kernel_missing_fix(&series, fixes[i].release);
        if ((a == NULL) != (fixes[i].single == NULL) || (a && strcmp(a, fixes[i].single) != 0) ||
            (b == NULL) != (fixes[i].series == NULL) || (b && strcmp(b, fixes[i].series) != 0))
            fail_msg("%s: lacks %s and %s, want %s and %s", fixes[i].release, a ? a : "none",
                     b ? b : "none", fixes[i].single ? fixes[i].single : "none",
                     fixes[i].series ? fixes[i].series : "none");
    }
    assert_null(scw_rules_kernel_missing_fix(&single, NULL));

    assert_int_equal(scw_rules_errno_from_name("EPERM"), EPERM);
    assert_int_equal(scw_rules_errno_from_name("ENOSYS"), ENOSYS);
    assert_int_equal(scw_rules_errno_from_name("13"), 13);
    assert_int_equal(scw_rules_errno_from_name("4095"), 4095);
    assert_true(scw_rules_errno_from_name("0") < 0);
    assert_true(scw_rules_errno_from_name("4096") < 0);
    assert_true(scw_rules_errno_from_name("eperm") < 0);
    assert_true(scw_rules_errno_from_name("") < 0);
    assert_string_equal(scw_rules_errno_name(38), "ENOSYS");
    assert_null(scw_rules_errno_name(4000));

    for (int i = 0; i < SCW_DECISION_MAX; i++)
        assert_int_equal(scw_decision_from_name(scw_decision_name(i)), i);
    assert_int_equal(scw_decision_from_name("Allow"), SCW_DECISION_INVALID);
    assert_null(scw_decision_name(SCW_DECISION_MAX));
    for (int i = 0; i < SCW_SEVERITY_MAX; i++)
        assert_int_equal(scw_severity_from_name(scw_severity_name(i)), i);
    assert_int_equal(scw_severity_from_name("CRITICAL"), SCW_SEVERITY_CRITICAL);
    assert_int_equal(scw_severity_from_name("severe"), SCW_SEVERITY_INVALID);

    setenv("SCMPWATCH_RULES_DIR", "/opt/r", 1);
    assert_string_equal(scw_rules_default_path(), "/opt/r/default.yaml");
    unsetenv("SCMPWATCH_RULES_DIR");
    /* installed: the installed file; run from a build tree: the source tree's */
    if (access(SCW_RULES_DIR "/default.yaml", R_OK) == 0)
        assert_string_equal(scw_rules_default_path(), SCW_RULES_DIR "/default.yaml");
    else
        assert_string_equal(scw_rules_default_path(), SCW_SOURCE_RULES_DIR "/default.yaml");

    scw_rules_free(NULL);
}

/* ---- decisions: what people decided, per profile group and syscall ---------------------- */

static const struct {
    const char *name, *yaml, *error;
} invalid_decisions[] = {
    {"not_list", "version: 1\ndecisions: {a: b}\n",
     "t.yaml:2:12: expected a list for 'decisions' (found a mapping)"},
    {"no_group", "version: 1\ndecisions:\n  - {syscall: chmod, decision: allow, reason: r}\n",
     "t.yaml:3:5: decision #1 has no 'group' (every decision needs group, syscall, decision and "
     "reason)"},
    {"no_reason", "version: 1\ndecisions:\n  - {group: api, syscall: chmod, decision: allow}\n",
     "t.yaml:3:5: decision #1 has no 'reason' (every decision needs group, syscall, decision and "
     "reason)"},
    {"unknown_key",
     "version: 1\ndecisions:\n  - {group: api, syscall: chmod, decision: allow, reason: r, "
     "arch: x86_64}\n",
     "t.yaml:3:62: unknown key 'arch' in decision #1 (expected one of: group, syscall, decision, "
     "reason, by, at)"},
    {"bad_group",
     "version: 1\ndecisions:\n  - {group: \"-api\", syscall: chmod, decision: allow, reason: r}\n",
     "t.yaml:3:13: invalid profile group name '-api' in decision #1 (expected the name the report "
     "gives the group: 1 to 64 letters, digits, '_', '-' or '.')"},
    {"group_ref",
     "version: 1\ndecisions:\n  - {group: api, syscall: \"@mount\", decision: allow, reason: r}\n",
     "t.yaml:3:27: invalid syscall name '@mount' in decision #1 (expected one name in lower-case "
     "letters, digits and '_'; groups are not allowed here)"},
    {"review",
     "version: 1\ndecisions:\n  - {group: api, syscall: chmod, decision: review, reason: r}\n",
     "t.yaml:3:44: unexpected decision 'review' for the decision for 'chmod' in group 'api' "
     "(expected allow, deny or ignore: a person's decision settles the review)"},
    {"unknown_decision",
     "version: 1\ndecisions:\n  - {group: api, syscall: chmod, decision: maybe, reason: r}\n",
     "t.yaml:3:44: unknown decision 'maybe' for the decision for 'chmod' in group 'api' (expected "
     "allow, deny or ignore: a person's decision settles the review)"},
    {"bad_time",
     "version: 1\ndecisions:\n  - {group: api, syscall: chmod, decision: allow, reason: r, "
     "at: \"2025-13-01T00:00:00Z\"}\n",
     "t.yaml:3:66: 'at' of the decision for 'chmod' in group 'api' is '2025-13-01T00:00:00Z', "
     "not a UTC time (expected e.g. \"2025-11-28T14:22:16Z\")"},
};

static void test_decisions_section(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(invalid_decisions) / sizeof(invalid_decisions[0]); i++) {
        struct scw_rules *rs = scw_rules_new();
        char *err = load_as(rs, "t.yaml", invalid_decisions[i].yaml);
        if (!err || strcmp(err, invalid_decisions[i].error) != 0)
            fail_msg("case %s:\n  got:  %s\n  want: %s", invalid_decisions[i].name,
                     err ? err : "(no error)", invalid_decisions[i].error);
        free(err);
        scw_rules_free(rs);
    }

    /* sorted, unique, later wins (in one file and across files), with a warning each */
    struct scw_rules *rs = scw_rules_new();
    assert_null(load_as(rs, "a.yaml",
                        "version: 1\n"
                        "decisions:\n"
                        "  - {group: web, syscall: chmod, decision: deny, reason: first}\n"
                        "  - {group: api, syscall: chmod, decision: allow, reason: r, by: alice,\n"
                        "     at: \"2025-11-28T14:22:16Z\"}\n"
                        "  - {group: web, syscall: chmod, decision: allow, reason: second}\n"));
    assert_int_equal(rs->n_decisions, 2);
    assert_int_equal(rs->n_warnings, 1);
    assert_string_equal(rs->warnings[0], "a.yaml:6:5: the decision for 'chmod' in group 'web' "
                                         "replaces the one at a.yaml:3:5 (the later one wins)");
    const struct scw_human_decision *h = scw_rules_human_decision(rs, "web", "chmod");
    assert_non_null(h);
    assert_string_equal(h->reason, "second");
    assert_int_equal(h->decision, SCW_DECISION_ALLOW);
    assert_null(h->by);
    h = scw_rules_human_decision(rs, "api", "chmod");
    assert_non_null(h);
    assert_string_equal(h->by, "alice");
    assert_string_equal(h->at, "2025-11-28T14:22:16Z");
    assert_int_equal(h->where.line, 4);
    assert_null(scw_rules_human_decision(rs, "api", "chown"));
    assert_null(scw_rules_human_decision(rs, "db", "chmod"));
    assert_null(scw_rules_human_decision(rs, NULL, "chmod"));
    assert_null(load_as(rs, "b.yaml",
                        "version: 1\n"
                        "decisions:\n"
                        "  - {group: api, syscall: chmod, decision: ignore, reason: later file}\n"
                        "  - {group: api, syscall: mout, decision: deny, reason: typo}\n"));
    assert_int_equal(rs->n_decisions, 3);
    h = scw_rules_human_decision(rs, "api", "chmod");
    assert_string_equal(h->reason, "later file");
    assert_string_equal(h->where.file, "b.yaml");
    assert_int_equal(rs->n_warnings, 3); /* 'mout' is unknown; replaced a.yaml's */
    assert_non_null(strstr(rs->warnings[1], "b.yaml:4:27: unknown syscall 'mout'"));
    assert_string_equal(rs->warnings[2], "b.yaml:3:5: the decision for 'chmod' in group 'api' "
                                         "replaces the one at a.yaml:4:5 (the later one wins)");
    /* sorted by group, then syscall */
    for (size_t i = 1; i < rs->n_decisions; i++) {
        int c = strcmp(rs->decisions[i - 1].group, rs->decisions[i].group);
        assert_true(c < 0 ||
                    (c == 0 && strcmp(rs->decisions[i - 1].syscall, rs->decisions[i].syscall) < 0));
    }
    scw_rules_free(rs);

    /* a version 1 file without decisions, and an empty list */
    rs = load_ok("version: 1\ndecisions: []\n");
    assert_int_equal(rs->n_decisions, 0);
    scw_rules_free(rs);
}

/* ---- layers: shipped, rules.d in name order, --rules, the decisions file ------------------ */

static char *saved_env(const char *name)
{
    const char *v = getenv(name);
    return v ? strdup(v) : NULL;
}

static void restore_env(const char *name, char *value)
{
    if (value)
        setenv(name, value, 1);
    else
        unsetenv(name);
    free(value);
}

static void put(const char *dir, const char *name, const char *text)
{
    char *p = scw_test_asprintf("%s/%s", dir, name);
    scw_test_write_file(p, text, strlen(text));
    free(p);
}

static const char *rule_yaml(const char *name, const char *decision)
{
    static char buf[256];
    snprintf(buf, sizeof(buf),
             "version: 1\nrules:\n  - {name: %s, syscalls: [chmod], decision: %s, reason: %s}\n",
             name, decision, name);
    return buf;
}

static void test_layering(void **state)
{
    (void)state;
    char *env_dir = saved_env("SCMPWATCH_RULES_DIR"), *env_d = saved_env("SCMPWATCH_RULES_D");
    char *top = scw_test_mkdtemp();
    char *shipped = scw_test_asprintf("%s/shipped", top),
         *rd = scw_test_asprintf("%s/rules.d", top), *other = scw_test_asprintf("%s/other.d", top);
    assert_int_equal(mkdir(shipped, 0755), 0);
    assert_int_equal(mkdir(rd, 0755), 0);
    assert_int_equal(mkdir(other, 0755), 0);
    put(shipped, "default.yaml",
        "version: 1\ngroups:\n  g: [chmod]\nrules:\n  - {name: shipped, syscalls: [\"@g\"], "
        "decision: review, reason: shipped}\n");
    put(shipped, "cve.yaml",
        "version: 1\ncve_blocks:\n  - {name: blk, cves: [CVE-2022-0847], syscalls: [splice], "
        "reason: r, link: \"https://example.org\"}\n");
    put(rd, "20-b.yaml", rule_yaml("site-b", "deny"));
    put(rd, "10-a.yaml", rule_yaml("site-a", "ignore"));
    put(rd, ".hidden.yaml", "not: a rule file\n");
    put(rd, "notes.txt", "not: a rule file\n");
    char *sub = scw_test_asprintf("%s/dir.yaml", rd);
    assert_int_equal(mkdir(sub, 0755), 0);
    put(top, "team.yaml", rule_yaml("team", "allow"));
    put(other, "30-x.yaml", rule_yaml("other-x", "allow"));
    setenv("SCMPWATCH_RULES_DIR", shipped, 1);
    setenv("SCMPWATCH_RULES_D", rd, 1);
    char *team = scw_test_asprintf("%s/team.yaml", top);
    char *dec = scw_test_asprintf("%s/decisions.yaml", top);
    const char *paths[] = {team};

    /* the default layers and --rules: every file, in order */
    struct scw_rules *rs = NULL;
    char *err = NULL;
    struct scw_rules_sources src = {.paths = paths, .n_paths = 1};
    assert_int_equal(scw_rules_load_sources(&src, &rs, &err), 0);
    assert_null(err);
    const char *want[] = {"shipped/default.yaml", "shipped/cve.yaml", "rules.d/10-a.yaml",
                          "rules.d/20-b.yaml", "team.yaml"};
    assert_int_equal(rs->n_files, 5);
    for (size_t i = 0; i < 5; i++) {
        char *w = scw_test_asprintf("%s/%s", top, want[i]);
        assert_string_equal(rs->files[i], w);
        free(w);
    }
    assert_int_equal(rs->n_cve_blocks, 1); /* --rules did not replace the shipped cve.yaml */
    /* later layers' rules are tried first: --rules, then rules.d by name, then shipped */
    assert_string_equal(rs->rules[0].name, "team");
    assert_string_equal(rs->rules[1].name, "site-b");
    assert_string_equal(rs->rules[2].name, "site-a");
    assert_string_equal(rs->rules[3].name, "shipped");
    struct scw_decision d;
    assert_int_equal(scw_rules_decide(rs, NULL, NULL, 0, "x86_64", "chmod", 9, 1, &d),
                     SCW_DECISION_ALLOW);
    scw_rules_free(rs);

    /* scw_rules_load_files (watch) layers the same way */
    assert_int_equal(scw_rules_load_files(paths, 1, &rs, &err), 0);
    assert_int_equal(rs->n_files, 5);
    scw_rules_free(rs);

    /* a file met twice loads once, where it first came; the decisions file comes last */
    char *def = scw_test_asprintf("%s/default.yaml", shipped);
    const char *twice[] = {def, team};
    put(top, "decisions.yaml",
        "version: 1\ndecisions:\n  - {group: p, syscall: chmod, decision: deny, reason: r}\n");
    src = (struct scw_rules_sources){.paths = twice, .n_paths = 2, .decisions = dec};
    assert_int_equal(scw_rules_load_sources(&src, &rs, &err), 0);
    assert_int_equal(rs->n_files, 6);
    assert_string_equal(rs->files[0], def);
    assert_string_equal(rs->files[5], dec);
    assert_int_equal(rs->n_decisions, 1);
    scw_rules_free(rs);
    /* a decisions file that does not exist yet is no error */
    char *nodec = scw_test_asprintf("%s/none.yaml", top);
    src = (struct scw_rules_sources){.decisions = nodec};
    assert_int_equal(scw_rules_load_sources(&src, &rs, &err), 0);
    assert_int_equal(rs->n_files, 4);
    scw_rules_free(rs);

    /* --rules-d beats $SCMPWATCH_RULES_D; a missing rules.d holds nothing */
    src = (struct scw_rules_sources){.rules_d = other};
    assert_int_equal(scw_rules_load_sources(&src, &rs, &err), 0);
    assert_int_equal(rs->n_files, 3);
    assert_string_equal(rs->rules[0].name, "other-x");
    scw_rules_free(rs);
    assert_string_equal(scw_rules_d_path(NULL), rd);
    assert_string_equal(scw_rules_d_path(other), other);
    unsetenv("SCMPWATCH_RULES_D");
    assert_string_equal(scw_rules_d_path(NULL), "/etc/scmpwatch/rules.d");
    assert_string_equal(scw_rules_d_path(""), "/etc/scmpwatch/rules.d");
    src = (struct scw_rules_sources){.rules_d = nodec};
    assert_int_equal(scw_rules_load_sources(&src, &rs, &err), 0);
    assert_int_equal(rs->n_files, 2);
    scw_rules_free(rs);

    /* --no-default-rules: only --rules (neither shipped nor rules.d) */
    src =
        (struct scw_rules_sources){.paths = paths, .n_paths = 1, .rules_d = rd, .no_default = true};
    assert_int_equal(scw_rules_load_sources(&src, &rs, &err), 0);
    assert_int_equal(rs->n_files, 1);
    assert_int_equal(rs->n_cve_blocks, 0);
    scw_rules_free(rs);
    src = (struct scw_rules_sources){.no_default = true};
    assert_int_equal(scw_rules_load_sources(&src, &rs, &err), 0);
    assert_int_equal(rs->n_files, 0);
    scw_rules_free(rs);

    /* an invalid file of rules.d is named; a rules.d that is a file cannot be read */
    put(rd, "15-bad.yaml", "version: 1\nrulez: []\n");
    src = (struct scw_rules_sources){.rules_d = rd};
    rs = NULL;
    assert_int_equal(scw_rules_load_sources(&src, &rs, &err), -EINVAL);
    assert_null(rs);
    char *w = scw_test_asprintf("%s/15-bad.yaml:2:1: unknown key 'rulez'", rd);
    assert_non_null(strstr(err, w));
    free(w);
    free(err);
    src = (struct scw_rules_sources){.rules_d = team};
    assert_int_equal(scw_rules_load_sources(&src, &rs, &err), -ENOTDIR);
    w = scw_test_asprintf("%s: cannot read the rules directory: Not a directory", team);
    assert_string_equal(err, w);
    free(w);
    free(err);

    restore_env("SCMPWATCH_RULES_DIR", env_dir);
    restore_env("SCMPWATCH_RULES_D", env_d);
    free(nodec);
    free(def);
    free(dec);
    free(team);
    free(sub);
    free(other);
    free(rd);
    free(shipped);
    scw_test_rmtree(top);
    free(top);
}

/* ---- precedence: cve_blocks > people's decisions > rules, ignore lists, thresholds ---------- */

/* The vulnerability hook as propose.c wires it, reduced to: every cve block applies. */
static bool every_block(void *ctx, const struct scw_container *c, const char *arch,
                        const char *syscall, struct scw_advise_block *ret)
{
    const struct scw_rules *rs = ctx;
    (void)c;
    (void)arch;
    for (size_t i = 0; syscall && i < rs->n_cve_blocks; i++)
        if (scw_syscall_set_has(&rs->cve_blocks[i].syscalls, syscall)) {
            *ret = (struct scw_advise_block){.name = rs->cve_blocks[i].name,
                                             .reason = rs->cve_blocks[i].reason};
            return true;
        }
    return false;
}

static const char precedence_rules[] =
    "version: 1\n"
    "ignore: {syscalls: [getppid]}\n"
    "rules:\n"
    "  - {name: sandbox, syscalls: [unshare], decision: allow, reason: explicit allow}\n"
    "  - {name: no-ptrace, syscalls: [ptrace], decision: deny, reason: never}\n"
    "defaults:\n"
    "  thresholds: {min_events: 3}\n"
    "cve_blocks:\n"
    "  - {name: dirty-pipe, cves: [CVE-2022-0847], syscalls: [splice], reason: unfixed,\n"
    "     link: \"https://example.org\"}\n";

static const char precedence_decisions[] =
    "version: 1\n"
    "decisions:\n"
    "  - {group: p, syscall: unshare, decision: allow, reason: the helper, by: alice}\n"
    "  - {group: p, syscall: ptrace, decision: allow, reason: the debugger}\n"
    "  - {group: p, syscall: getppid, decision: allow, reason: harmless}\n"
    "  - {group: p, syscall: splice, decision: allow, reason: we need it, by: bob}\n"
    "  - {group: p, syscall: chmod, decision: deny, reason: no chmod here}\n"
    "  - {group: other, syscall: mount, decision: allow, reason: not this group}\n";

static struct scw_aggregate *precedence_aggregate(void)
{
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    assert_non_null(agg);
    static const struct {
        uint32_t nr;
        int times;
    } calls[] = {{272, 1} /* unshare */, {101, 5} /* ptrace */, {110, 5} /* getppid */,
                 {275, 5} /* splice */,  {90, 5} /* chmod */,   {165, 5} /* mount */};
    for (int w = 0; w < 2; w++) {
        char key[32];
        snprintf(key, sizeof(key), "exe:/usr/bin/app%d", w);
        int wi = scw_aggregate_workload(agg, key, NULL);
        assert_true(wi >= 0);
        for (size_t k = 0; k < sizeof(calls) / sizeof(calls[0]); k++)
            for (int i = 0; i < calls[k].times; i++) {
                struct scw_record r = {.arch = 0xc000003eU,
                                       .syscall = calls[k].nr,
                                       .code = 0x7ffc0000U,
                                       .ts_sec = 1000 + i,
                                       .pid = 10 + w};
                r.action = scw_action_from_code(r.code);
                snprintf(r.exe, sizeof(r.exe), "/usr/bin/app%d", w);
                assert_int_equal(scw_aggregate_add(agg, (uint32_t)wi, &r), 0);
            }
    }
    return agg;
}

/* Advise both workloads as one profile group "p" (the same --profile p.json). */
static struct scw_advice *advise_group(const struct scw_rules *rs, struct scw_aggregate *agg,
                                       const struct scw_human_decision *pending, size_t n_pending)
{
    static const struct scw_advise_profile prof = {
        .path = "p.json", .default_action = "SCMP_ACT_LOG", .log_only = true};
    static const struct scw_advise_assign assign[2] = {
        {.source = SCW_ADVISE_SOURCE_CLI, .path = "p.json", .profile = 0},
        {.source = SCW_ADVISE_SOURCE_CLI, .path = "p.json", .profile = 0}};
    struct scw_advise_input in = {.agg = agg,
                                  .rules = rs,
                                  .profiles = &prof,
                                  .n_profiles = 1,
                                  .assign = assign,
                                  .vuln_block = every_block,
                                  .vuln_ctx = (void *)rs,
                                  .pending = pending,
                                  .n_pending = n_pending};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    assert_int_equal(a->n_groups, 1);
    assert_string_equal(a->groups[0].name, "p");
    return a;
}

static const struct scw_proposal *group_proposal(const struct scw_advice *a, const char *sys)
{
    const struct scw_proposal *p =
        scw_advice_find(a->groups[0].proposals, a->groups[0].n_proposals, "x86_64", sys);
    if (!p)
        fail_msg("no proposal for %s", sys);
    return p;
}

static bool allows(const struct scw_advice_group *g, const char *sys)
{
    for (size_t i = 0; i < g->n_allow; i++)
        if (strcmp(g->allow[i], sys) == 0)
            return true;
    return false;
}

static void test_decision_precedence(void **state)
{
    (void)state;
    struct scw_aggregate *agg = precedence_aggregate();

    /* without decisions: a threshold demotes the explicit allow, the block denies splice */
    struct scw_rules *rs = scw_rules_new();
    assert_null(load_as(rs, "rules.yaml", precedence_rules));
    struct scw_advice *a = advise_group(rs, agg, NULL, 0);
    const struct scw_proposal *p = group_proposal(a, "unshare");
    assert_int_equal(p->decision, SCW_DECISION_REVIEW);
    assert_true(p->demoted);
    assert_string_equal(p->demoted_why, "seen 2 times (minimum 3)");
    assert_null(p->human);
    assert_true(scw_proposal_open(p));
    assert_int_equal(group_proposal(a, "ptrace")->decision, SCW_DECISION_DENY);
    assert_int_equal(group_proposal(a, "getppid")->decision, SCW_DECISION_IGNORE);
    assert_false(scw_proposal_open(group_proposal(a, "getppid")));
    assert_true(group_proposal(a, "splice")->blocked);
    assert_false(group_proposal(a, "splice")->human_overridden);
    assert_false(scw_proposal_open(group_proposal(a, "splice")));
    assert_int_equal(group_proposal(a, "chmod")->decision, SCW_DECISION_ALLOW);
    scw_advice_free(a);

    /* with them: a person outranks thresholds, rules, ignore lists, defaults... */
    assert_null(load_as(rs, "decisions.yaml", precedence_decisions));
    a = advise_group(rs, agg, NULL, 0);
    p = group_proposal(a, "unshare");
    assert_int_equal(p->decision, SCW_DECISION_ALLOW);
    assert_int_equal(p->undemoted, SCW_DECISION_ALLOW);
    assert_false(p->demoted);
    assert_string_equal(p->demoted_why, "");
    assert_string_equal(p->rule, "human-decision");
    assert_string_equal(p->reason, "the helper");
    assert_non_null(p->human);
    assert_string_equal(p->human->by, "alice");
    assert_false(scw_proposal_open(p));
    p = group_proposal(a, "ptrace"); /* the rule said deny */
    assert_int_equal(p->decision, SCW_DECISION_ALLOW);
    assert_string_equal(p->reason, "the debugger");
    p = group_proposal(a, "getppid"); /* the ignore list said ignore */
    assert_int_equal(p->decision, SCW_DECISION_ALLOW);
    assert_false(p->ignored_by_list);
    p = group_proposal(a, "chmod"); /* the defaults said allow */
    assert_int_equal(p->decision, SCW_DECISION_DENY);
    /* ...never a cve block, and the proposal says which decision the block overrode */
    p = group_proposal(a, "splice");
    assert_int_equal(p->decision, SCW_DECISION_DENY);
    assert_true(p->blocked);
    assert_string_equal(p->rule, "dirty-pipe");
    assert_non_null(p->human);
    assert_true(p->human_overridden);
    assert_string_equal(p->human->by, "bob");
    /* another group's decision does not apply */
    p = group_proposal(a, "mount");
    assert_int_equal(p->decision, SCW_DECISION_ALLOW);
    assert_null(p->human);
    assert_string_equal(p->rule, "defaults");
    /* the tuned allow list follows */
    const struct scw_advice_group *g = &a->groups[0];
    assert_true(allows(g, "unshare") && allows(g, "ptrace") && allows(g, "getppid"));
    assert_false(allows(g, "splice") || allows(g, "chmod"));
    /* the members' own proposals show the group's decisions */
    for (size_t m = 0; m < g->n_members; m++) {
        const struct scw_workload_advice *wa = &a->workloads[g->members[m]];
        p = scw_advice_find(wa->proposals, wa->n_proposals, "x86_64", "unshare");
        assert_non_null(p);
        assert_int_equal(p->decision, SCW_DECISION_ALLOW);
        assert_non_null(p->human);
        p = scw_advice_find(wa->proposals, wa->n_proposals, "x86_64", "splice");
        assert_true(p->blocked && p->human_overridden);
    }
    scw_advice_free(a);

    /* a deny overridden by a block is no override; pending decisions (a review session's)
     * come before the rule set's, the last of them counting */
    struct scw_human_decision pending[] = {
        {.group = "p", .syscall = "chmod", .decision = SCW_DECISION_IGNORE, .reason = "first"},
        {.group = "p", .syscall = "chmod", .decision = SCW_DECISION_ALLOW, .reason = "second"},
        {.group = "p", .syscall = "splice", .decision = SCW_DECISION_DENY, .reason = "agreed"},
    };
    a = advise_group(rs, agg, pending, 3);
    p = group_proposal(a, "chmod");
    assert_int_equal(p->decision, SCW_DECISION_ALLOW);
    assert_string_equal(p->reason, "second");
    p = group_proposal(a, "splice");
    assert_true(p->blocked);
    assert_false(p->human_overridden);
    assert_ptr_equal(p->human, &pending[2]);
    assert_int_equal(group_proposal(a, "ptrace")->decision, SCW_DECISION_ALLOW);
    scw_advice_free(a);

    scw_rules_free(rs);
    scw_aggregate_free(agg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_files), cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_group_nesting), cmocka_unit_test(test_first_match_order),
        cmocka_unit_test(test_thresholds),    cmocka_unit_test(test_selectors),
        cmocka_unit_test(test_ignore),        cmocka_unit_test(test_multiple_files),
        cmocka_unit_test(test_files_on_disk), cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_bounds),        cmocka_unit_test(test_default_yaml),
        cmocka_unit_test(test_helpers),       cmocka_unit_test(test_decisions_section),
        cmocka_unit_test(test_layering),      cmocka_unit_test(test_decision_precedence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
