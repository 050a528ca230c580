/*
 * test_advise: the proposals stage (advise.c) on hand-built aggregates: each decision path
 * (rule, defaults, thresholds, ignore lists, ignore rules, arch-specific rules, unnamed
 * numbers, vulnerability blocks), merging of actions, replica groups with coverage and summed
 * thresholds, splitting by selector, unique group names, the tuned allow list and its
 * comment, profile source precedence, and what the current profile says (fake profiles; the
 * real profile module is exercised by e2e_advise.sh).
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advise.h"
#include "aggregate.h"
#include "rules.h"

#define X86_64 0xc000003eU
#define I386   0x40000003U
#define LOG    0x7ffc0000U
#define ERRNO  0x00050000U

/* x86_64 numbers */
#define NR_CHMOD       90
#define NR_PTRACE      101
#define NR_UNAME       63
#define NR_GETPPID     110
#define NR_PERSONALITY 135
#define NR_SETNS       308
#define NR_MOUNT       165
#define NR_MKNOD       133
/* i386 */
#define NR_I386_PERSONALITY 136

static const char rules_yaml[] =
    "version: 1\n"
    "containers:\n"
    "  web: {name: \"web-*\"}\n"
    "  tools: {executable: \"/usr/bin/tool*\", profile: /etc/p/tool.json}\n"
    "ignore:\n"
    "  syscalls: [getppid]\n"
    "  executables: [\"/usr/bin/strace\"]\n"
    "rules:\n"
    "  - {name: no-ptrace, syscalls: [ptrace], decision: deny, reason: never trace,\n"
    "     link: \"https://example.com/ptrace\"}\n"
    "  - {name: mounts, syscalls: [mount], decision: review, reason: mounts need a human}\n"
    "  - {name: quiet-uname, syscalls: [uname], decision: ignore, reason: noise}\n"
    "  - {name: web-setns, syscalls: [setns], containers: [web], decision: allow,\n"
    "     reason: web sandboxes, thresholds: {min_events: 1}}\n"
    "  - {name: no-i386-personality, syscalls: [personality], arches: [x86], decision: deny,\n"
    "     reason: no personas on i386}\n"
    "defaults:\n"
    "  decision: allow\n"
    "  thresholds: {min_events: 3, min_processes: 1}\n";

static struct scw_rules *load_rules(void)
{
    struct scw_rules *rs = scw_rules_new();
    assert_non_null(rs);
    char *err = NULL;
    int rc = scw_rules_load_buffer(rs, "t.yaml", rules_yaml, strlen(rules_yaml), &err);
    if (rc < 0)
        fail_msg("rules: %s", err);
    return rs;
}

static void add(struct scw_aggregate *agg, int w, uint32_t arch, uint32_t nr, uint32_t code,
                int times, int64_t sec, int32_t pid, const char *exe)
{
    assert_true(w >= 0);
    for (int i = 0; i < times; i++) {
        struct scw_record r;
        memset(&r, 0, sizeof(r));
        r.arch = arch;
        r.syscall = nr;
        r.code = code;
        r.action = scw_action_from_code(code);
        r.ts_sec = sec + i;
        r.ts_msec = 250;
        r.pid = pid;
        snprintf(r.exe, sizeof(r.exe), "%s", exe);
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    }
}

static int image_workload(struct scw_aggregate *agg, const char *id, const char *name,
                          const char *image, const char *profile)
{
    struct scw_container c = {.runtime = "docker",
                              .id = (char *)id,
                              .name = (char *)name,
                              .image = (char *)image,
                              .profile = (char *)profile};
    char key[128];
    snprintf(key, sizeof(key), "docker:%s", id);
    return scw_aggregate_workload(agg, key, &c);
}

static int container_workload(struct scw_aggregate *agg, const char *id, const char *name,
                              const char *profile)
{
    return image_workload(agg, id, name, NULL, profile);
}

static const struct scw_proposal *find(const struct scw_proposal *p, size_t n, const char *arch,
                                       const char *sys)
{
    const struct scw_proposal *r = scw_advice_find(p, n, arch, sys);
    if (!r)
        fail_msg("no proposal for %s/%s", arch ? arch : "*", sys);
    return r;
}

/* ---- fake profiles: "allowed" and "conditional" lists, everything else refused ---- */

struct fake {
    const char *const *allowed;
    const char *const *conditional;
};

static bool in_list(const char *const *l, const char *s)
{
    for (; l && *l; l++)
        if (s && strcmp(*l, s) == 0)
            return true;
    return false;
}

static int fake_query(const void *ctx, uint32_t arch, const char *syscall,
                      struct scw_advise_answer *ret)
{
    const struct fake *f = ctx;
    (void)arch;
    *ret = (struct scw_advise_answer){
        .verdict = SCW_CURRENT_REFUSED, .action = "SCMP_ACT_LOG", .errno_value = -1, .entry = -1};
    if (in_list(f->allowed, syscall)) {
        ret->verdict = SCW_CURRENT_ALLOWED;
        ret->action = "SCMP_ACT_ALLOW";
        ret->entry = 0;
    } else if (in_list(f->conditional, syscall)) {
        ret->verdict = SCW_CURRENT_CONDITIONAL;
        ret->action = "SCMP_ACT_ALLOW";
        ret->otherwise = "SCMP_ACT_LOG";
        ret->entry = 1;
    }
    return 0;
}

/* ---- decisions of one workload ---- */

static void test_decisions(void **state)
{
    (void)state;
    struct scw_rules *rs = load_rules();
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "exe:/usr/bin/app", NULL);
    add(agg, w, X86_64, NR_CHMOD, LOG, 5, 1000, 10, "/usr/bin/app");
    add(agg, w, X86_64, NR_CHMOD, LOG, 2, 2000, 11, "/usr/bin/app");
    add(agg, w, X86_64, NR_CHMOD, ERRNO, 1, 500, 12, "/usr/bin/app"); /* another action */
    add(agg, w, X86_64, NR_MKNOD, LOG, 2, 1000, 10, "/usr/bin/app");  /* below min_events */
    add(agg, w, X86_64, NR_PTRACE, LOG, 4, 1000, 10, "/usr/bin/app");
    add(agg, w, X86_64, NR_MOUNT, LOG, 3, 1000, 10, "/usr/bin/app");
    add(agg, w, X86_64, NR_UNAME, LOG, 6, 1000, 10, "/usr/bin/app");
    add(agg, w, X86_64, NR_GETPPID, LOG, 9, 1000, 10, "/usr/bin/app");
    add(agg, w, X86_64, NR_SETNS, LOG, 3, 1000, 10, "/usr/bin/app"); /* web-only rule */
    add(agg, w, X86_64, 4000, LOG, 3, 1000, 10, "/usr/bin/app");     /* no name */
    add(agg, w, X86_64, NR_PERSONALITY, LOG, 3, 1000, 10, "/usr/bin/app");
    add(agg, w, I386, NR_I386_PERSONALITY, LOG, 3, 1000, 10, "/usr/bin/app");

    struct scw_advise_input in = {.agg = agg, .rules = rs};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    assert_int_equal(a->n_workloads, 1);
    assert_int_equal(a->n_groups, 0); /* no profile known: no group */
    assert_string_equal(a->enforce_action, "SCMP_ACT_ERRNO");
    assert_int_equal(a->enforce_errno, 1);
    const struct scw_workload_advice *wa = &a->workloads[0];
    assert_int_equal(wa->source, SCW_ADVISE_SOURCE_NONE);
    assert_int_equal(wa->group, -1);
    assert_int_equal(wa->n_proposals, 10); /* chmod's two actions merged */
    const struct scw_proposal *p = wa->proposals, *x;
    size_t n = wa->n_proposals;
    /* report order: count desc, then arch, number */
    assert_string_equal(p[0].syscall, "getppid");
    assert_string_equal(p[1].syscall, "chmod");
    assert_string_equal(p[2].syscall, "uname");

    x = find(p, n, "x86_64", "chmod");
    assert_int_equal(x->decision, SCW_DECISION_ALLOW);
    assert_string_equal(x->rule, "defaults");
    assert_int_equal(x->count, 8);
    assert_int_equal(x->processes, 3);
    assert_int_equal(x->first_sec, 500);
    assert_int_equal(x->last_sec, 2001);
    assert_int_equal(x->actions, (1u << SCW_ACTION_LOG) | (1u << SCW_ACTION_ERRNO));
    assert_int_equal(x->n_exes, 1);
    assert_string_equal(scw_aggregate_string(agg, x->exes[0]), "/usr/bin/app");
    assert_int_equal(x->current.verdict, SCW_CURRENT_UNKNOWN);
    assert_int_equal(x->seen_in, 1);

    x = find(p, n, "x86_64", "mknod");
    assert_int_equal(x->decision, SCW_DECISION_REVIEW);
    assert_int_equal(x->undemoted, SCW_DECISION_ALLOW);
    assert_true(x->demoted);
    assert_string_equal(x->demoted_why, "seen 2 times (minimum 3)");
    assert_int_equal(x->min_events, 3);

    x = find(p, n, "x86_64", "ptrace");
    assert_int_equal(x->decision, SCW_DECISION_DENY);
    assert_string_equal(x->rule, "no-ptrace");
    assert_string_equal(x->reason, "never trace");
    assert_string_equal(x->link, "https://example.com/ptrace");

    x = find(p, n, "x86_64", "mount");
    assert_int_equal(x->decision, SCW_DECISION_REVIEW);
    assert_false(x->demoted);
    assert_string_equal(x->rule, "mounts");

    x = find(p, n, "x86_64", "uname");
    assert_int_equal(x->decision, SCW_DECISION_IGNORE);
    assert_string_equal(x->rule, "quiet-uname");
    assert_false(x->ignored_by_list);

    x = find(p, n, "x86_64", "getppid");
    assert_int_equal(x->decision, SCW_DECISION_IGNORE);
    assert_string_equal(x->rule, "ignore");
    assert_true(x->ignored_by_list);

    /* the web-only rule does not apply to a host executable: defaults */
    x = find(p, n, "x86_64", "setns");
    assert_int_equal(x->decision, SCW_DECISION_ALLOW);
    assert_string_equal(x->rule, "defaults");

    /* arch-specific rule: deny on x86 (i386) only */
    x = find(p, n, "x86_64", "personality");
    assert_int_equal(x->decision, SCW_DECISION_ALLOW);
    x = find(p, n, "x86", "personality");
    assert_int_equal(x->decision, SCW_DECISION_DENY);
    assert_string_equal(x->rule, "no-i386-personality");
    assert_int_equal(x->nr, NR_I386_PERSONALITY);

    /* a number libseccomp cannot name: the allow cannot be written into a profile */
    const struct scw_proposal *unnamed = NULL;
    for (size_t i = 0; i < n; i++)
        if (!p[i].named)
            unnamed = &p[i];
    assert_non_null(unnamed);
    assert_int_equal(unnamed->nr, 4000);
    assert_string_equal(unnamed->arch, "x86_64");
    assert_int_equal(unnamed->decision, SCW_DECISION_REVIEW);
    assert_int_equal(unnamed->undemoted, SCW_DECISION_ALLOW);
    assert_string_equal(unnamed->demoted_why,
                        "libseccomp has no name for number 4000: a profile cannot list it");

    scw_advice_free(a);
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

static void test_ignored_executables(void **state)
{
    (void)state;
    struct scw_rules *rs = load_rules();
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "exe:/usr/bin/strace", NULL);
    add(agg, w, X86_64, NR_CHMOD, LOG, 5, 1000, 10, "/usr/bin/strace");
    int v = scw_aggregate_workload(agg, "exe:mixed", NULL);
    add(agg, v, X86_64, NR_CHMOD, LOG, 5, 1000, 20, "/usr/bin/strace");
    add(agg, v, X86_64, NR_CHMOD, LOG, 5, 1000, 21, "/usr/bin/app");
    struct scw_advise_input in = {.agg = agg, .rules = rs};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    /* every executable ignored: ignore; one not ignored: decided by the rules */
    const struct scw_proposal *x =
        find(a->workloads[w].proposals, a->workloads[w].n_proposals, "x86_64", "chmod");
    assert_int_equal(x->decision, SCW_DECISION_IGNORE);
    assert_true(x->ignored_by_list);
    x = find(a->workloads[v].proposals, a->workloads[v].n_proposals, "x86_64", "chmod");
    assert_int_equal(x->decision, SCW_DECISION_ALLOW);
    scw_advice_free(a);
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

/* ---- vulnerability blocks outrank every rule and the ignore lists ---- */

static bool fake_block(void *ctx, const struct scw_container *c, const char *arch,
                       const char *syscall, struct scw_advise_block *ret)
{
    (*(int *)ctx)++;
    (void)c;
    (void)arch;
    if (!syscall || (strcmp(syscall, "chmod") != 0 && strcmp(syscall, "getppid") != 0))
        return false;
    *ret = (struct scw_advise_block){.name = "fake-cve",
                                     .reason = "CVE-2099-0001 unfixed",
                                     .link = "https://cve.example",
                                     .evidence = "CVE-2099-0001 (high) in libfake 1.0"};
    return true;
}

static void test_vulnerability_blocks(void **state)
{
    (void)state;
    struct scw_rules *rs = load_rules();
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "exe:/usr/bin/app", NULL);
    add(agg, w, X86_64, NR_CHMOD, LOG, 5, 1000, 10, "/usr/bin/app");
    add(agg, w, X86_64, NR_GETPPID, LOG, 5, 1000, 10, "/usr/bin/app");
    add(agg, w, X86_64, NR_MOUNT, LOG, 5, 1000, 10, "/usr/bin/app");
    int asked = 0;
    struct scw_advise_input in = {
        .agg = agg, .rules = rs, .vuln_block = fake_block, .vuln_ctx = &asked};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    const struct scw_workload_advice *wa = &a->workloads[0];
    const struct scw_proposal *x = find(wa->proposals, wa->n_proposals, "x86_64", "chmod");
    assert_int_equal(x->decision, SCW_DECISION_DENY);
    assert_true(x->blocked);
    assert_string_equal(x->rule, "fake-cve");
    assert_string_equal(x->reason, "CVE-2099-0001 unfixed");
    assert_string_equal(x->link, "https://cve.example");
    assert_string_equal(x->evidence, "CVE-2099-0001 (high) in libfake 1.0");
    assert_int_equal(asked, 3); /* once per syscall of the one workload (no group) */
    x = find(wa->proposals, wa->n_proposals, "x86_64", "getppid"); /* in the ignore list */
    assert_int_equal(x->decision, SCW_DECISION_DENY);
    assert_true(x->blocked);
    x = find(wa->proposals, wa->n_proposals, "x86_64", "mount");
    assert_int_equal(x->decision, SCW_DECISION_REVIEW);
    assert_false(x->blocked);
    assert_null(x->evidence);
    scw_advice_free(a);
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

/* ---- replicas ---- */

static void test_replicas_and_coverage(void **state)
{
    (void)state;
    struct scw_rules *rs = load_rules();
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    /* three replicas of "api" on profile 0; one "batch" on profile 1; one with none */
    int r1 = container_workload(agg, "aaaa1111", "api-1", "/run/a/config.json");
    int r2 = container_workload(agg, "aaaa2222", "api-2", "/run/b/config.json");
    int r3 = container_workload(agg, "aaaa3333", "api-3", "/run/c/config.json");
    int b1 = container_workload(agg, "bbbb1111", "batch-1", "/run/d/config.json");
    int n1 = container_workload(agg, "cccc1111", "lone", NULL);
    /* chmod: once in each replica (each below min_events 3, the group's sum is 3) */
    add(agg, r1, X86_64, NR_CHMOD, LOG, 1, 1000, 101, "/app");
    add(agg, r2, X86_64, NR_CHMOD, LOG, 1, 1100, 201, "/app");
    add(agg, r3, X86_64, NR_CHMOD, LOG, 1, 1200, 301, "/app");
    /* mknod: twice in two of three */
    add(agg, r1, X86_64, NR_MKNOD, LOG, 2, 1000, 101, "/app");
    add(agg, r2, X86_64, NR_MKNOD, LOG, 2, 1300, 202, "/app");
    add(agg, r1, X86_64, NR_PTRACE, LOG, 7, 900, 101, "/app");
    add(agg, b1, X86_64, NR_CHMOD, LOG, 4, 1000, 401, "/batch");
    add(agg, n1, X86_64, NR_CHMOD, LOG, 4, 1000, 501, "/lone");

    struct fake f0 = {.allowed = (const char *const[]){"mknod", NULL}};
    struct fake f1 = {0};
    struct scw_advise_profile profiles[2] = {
        {.path = "/run/a/config.json",
         .default_action = "SCMP_ACT_LOG",
         .default_errno = -1,
         .log_only = true,
         .query = fake_query,
         .ctx = &f0},
        {.path = "/run/d/config.json",
         .default_action = "SCMP_ACT_LOG",
         .default_errno = -1,
         .log_only = true,
         .query = fake_query,
         .ctx = &f1},
    };
    struct scw_advise_assign assign[5] = {
        [0] = {SCW_ADVISE_SOURCE_RUNTIME, "/run/a/config.json", 0, NULL},
        [1] = {SCW_ADVISE_SOURCE_RUNTIME, "/run/b/config.json", 0, NULL},
        [2] = {SCW_ADVISE_SOURCE_RUNTIME, "/run/c/config.json", 0, NULL},
        [3] = {SCW_ADVISE_SOURCE_RUNTIME, "/run/d/config.json", 1, NULL},
        [4] = {SCW_ADVISE_SOURCE_NONE, NULL, -1, NULL},
    };
    struct scw_advise_input in = {
        .agg = agg, .rules = rs, .profiles = profiles, .n_profiles = 2, .assign = assign};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    assert_int_equal(a->n_groups, 2);

    /* report order: workloads by events: r1 (10) first, so "api" is group 0 */
    const struct scw_advice_group *g = &a->groups[0];
    assert_string_equal(g->name, "api"); /* the owner: the name without its replica number */
    assert_int_equal(g->n_members, 3);
    assert_int_equal(g->members[0], r1);
    assert_int_equal(g->profile, 0);
    assert_int_equal(g->source, SCW_ADVISE_SOURCE_RUNTIME);
    assert_string_equal(g->path, "/run/a/config.json");
    assert_null(g->selector);
    assert_int_equal(g->events, 14);
    assert_string_equal(scw_advice_group_noun(agg, g), "container");
    assert_int_equal(a->workloads[r1].group, 0);
    assert_int_equal(a->workloads[r2].group, 0);
    assert_int_equal(a->workloads[r3].group, 0);
    assert_int_equal(a->workloads[b1].group, 1);
    assert_int_equal(a->workloads[n1].group, -1);

    /* per workload: chmod once = review (below thresholds); for the group: 3 = allow */
    const struct scw_workload_advice *w1 = &a->workloads[r1];
    const struct scw_proposal *x = find(w1->proposals, w1->n_proposals, "x86_64", "chmod");
    assert_int_equal(x->decision, SCW_DECISION_REVIEW);
    assert_true(x->demoted);
    x = find(g->proposals, g->n_proposals, "x86_64", "chmod");
    assert_int_equal(x->decision, SCW_DECISION_ALLOW);
    assert_int_equal(x->count, 3);
    assert_int_equal(x->processes, 3);
    assert_int_equal(x->seen_in, 3);
    assert_int_equal(x->first_sec, 1000);
    assert_int_equal(x->last_sec, 1200);
    assert_int_equal(x->current.verdict, SCW_CURRENT_REFUSED);
    x = find(g->proposals, g->n_proposals, "x86_64", "mknod");
    assert_int_equal(x->seen_in, 2);
    assert_int_equal(x->count, 4);
    assert_int_equal(x->processes, 2);
    assert_int_equal(x->decision, SCW_DECISION_ALLOW);
    assert_int_equal(x->current.verdict, SCW_CURRENT_ALLOWED); /* already allowed */
    assert_string_equal(x->current.action, "SCMP_ACT_ALLOW");
    x = find(g->proposals, g->n_proposals, "x86_64", "ptrace");
    assert_int_equal(x->seen_in, 1);
    assert_int_equal(x->decision, SCW_DECISION_DENY);
    assert_int_equal(g->n_proposals, 3);

    /* tuned allow list: allow decisions only, sorted; deny stays out */
    assert_int_equal(g->n_allow, 2);
    assert_string_equal(g->allow[0], "chmod");
    assert_string_equal(g->allow[1], "mknod");
    assert_int_equal(g->allow_events, 7);
    assert_string_equal(g->comment, "scmpwatch: allowed 2 syscalls seen in 7 events in 3 "
                                    "containers, 1970-01-01T00:16:40Z to 1970-01-01T00:21:41Z");

    const struct scw_advice_group *h = &a->groups[1];
    assert_string_equal(h->name, "batch");
    assert_int_equal(h->n_members, 1);
    assert_int_equal(h->members[0], b1);
    assert_int_equal(h->n_allow, 1);
    assert_string_equal(h->comment, "scmpwatch: allowed 1 syscall seen in 4 events in 1 "
                                    "container, 1970-01-01T00:16:40Z to 1970-01-01T00:16:43Z");
    scw_advice_free(a);
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

static void test_selectors_split_replicas(void **state)
{
    (void)state;
    struct scw_rules *rs = load_rules();
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w1 = container_workload(agg, "1111", "web-1", NULL);
    int w2 = container_workload(agg, "2222", "web-2", NULL);
    int d1 = container_workload(agg, "3333", "db-1", NULL);
    add(agg, w1, X86_64, NR_SETNS, LOG, 3, 1000, 1, "/web");
    add(agg, w2, X86_64, NR_SETNS, LOG, 2, 1000, 2, "/web");
    add(agg, d1, X86_64, NR_SETNS, LOG, 1, 1000, 3, "/db");
    struct fake f = {0};
    struct scw_advise_profile prof = {.path = "/etc/profiles/web.json",
                                      .default_action = "SCMP_ACT_LOG",
                                      .default_errno = -1,
                                      .log_only = true,
                                      .query = fake_query,
                                      .ctx = &f};
    struct scw_advise_assign assign[3];
    for (int i = 0; i < 3; i++)
        assign[i] =
            (struct scw_advise_assign){SCW_ADVISE_SOURCE_CLI, "/etc/profiles/web.json", 0, NULL};
    struct scw_advise_input in = {
        .agg = agg, .rules = rs, .profiles = &prof, .n_profiles = 1, .assign = assign};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    assert_int_equal(a->n_groups, 2);
    const struct scw_advice_group *g = &a->groups[0], *h = &a->groups[1];
    assert_string_equal(g->name, "web"); /* the selector names the group */
    assert_string_equal(g->selector, "web");
    assert_int_equal(g->n_members, 2);
    assert_int_equal(g->members[0], w1);
    assert_int_equal(g->members[1], w2);
    assert_string_equal(h->name, "web-2"); /* the profile's stem, made unique */
    assert_null(h->selector);
    assert_int_equal(h->n_members, 1);
    /* web-setns (min_events 1) for web; defaults (min 3, seen once) for db */
    const struct scw_proposal *x = find(g->proposals, g->n_proposals, "x86_64", "setns");
    assert_string_equal(x->rule, "web-setns");
    assert_int_equal(x->decision, SCW_DECISION_ALLOW);
    assert_int_equal(x->seen_in, 2);
    x = find(h->proposals, h->n_proposals, "x86_64", "setns");
    assert_string_equal(x->rule, "defaults");
    assert_int_equal(x->decision, SCW_DECISION_REVIEW);
    assert_int_equal(h->n_allow, 0);
    assert_string_equal(h->comment, "scmpwatch: allowed 0 syscalls seen in 0 events in 1 "
                                    "container, an unknown time to an unknown time");
    scw_advice_free(a);
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

/* A name decided allow on one arch and refused on another stays out of the allow list. */
static void test_allow_list_across_arches(void **state)
{
    (void)state;
    struct scw_rules *rs = load_rules();
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "exe:/usr/bin/app", NULL);
    add(agg, w, X86_64, NR_PERSONALITY, LOG, 3, 1000, 10, "/usr/bin/app");
    add(agg, w, I386, NR_I386_PERSONALITY, LOG, 3, 1000, 10, "/usr/bin/app");
    add(agg, w, X86_64, NR_CHMOD, LOG, 3, 1000, 10, "/usr/bin/app");
    struct fake f = {0};
    struct scw_advise_profile prof = {.path = "p.json",
                                      .default_action = "SCMP_ACT_LOG",
                                      .default_errno = -1,
                                      .log_only = true,
                                      .query = fake_query,
                                      .ctx = &f};
    struct scw_advise_assign assign = {SCW_ADVISE_SOURCE_CLI, "p.json", 0, NULL};
    struct scw_advise_input in = {
        .agg = agg, .rules = rs, .profiles = &prof, .n_profiles = 1, .assign = &assign};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    assert_int_equal(a->n_groups, 1);
    assert_string_equal(a->groups[0].name, "p");
    assert_int_equal(a->groups[0].n_allow, 1);
    assert_string_equal(a->groups[0].allow[0], "chmod");
    scw_advice_free(a);
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

/* ---- what the current profile says ---- */

static void test_current_profile(void **state)
{
    (void)state;
    struct scw_rules *rs = load_rules();
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "exe:/usr/bin/app", NULL);
    add(agg, w, X86_64, NR_CHMOD, LOG, 3, 1000, 10, "/usr/bin/app");
    add(agg, w, X86_64, NR_PERSONALITY, LOG, 3, 1000, 10, "/usr/bin/app");
    add(agg, w, X86_64, NR_MKNOD, LOG, 3, 1000, 10, "/usr/bin/app");
    struct fake f = {.allowed = (const char *const[]){"mknod", NULL},
                     .conditional = (const char *const[]){"personality", NULL}};
    struct scw_advise_profile prof = {.path = "p.json",
                                      .default_action = "SCMP_ACT_LOG",
                                      .default_errno = -1,
                                      .log_only = true,
                                      .query = fake_query,
                                      .ctx = &f};
    struct scw_advise_assign assign = {SCW_ADVISE_SOURCE_CLI, "p.json", 0, NULL};
    struct scw_advise_input in = {
        .agg = agg, .rules = rs, .profiles = &prof, .n_profiles = 1, .assign = &assign};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    const struct scw_workload_advice *wa = &a->workloads[0];
    assert_int_equal(wa->source, SCW_ADVISE_SOURCE_CLI);
    assert_string_equal(wa->path, "p.json");
    assert_int_equal(wa->group, 0);
    const struct scw_proposal *x = find(wa->proposals, wa->n_proposals, "x86_64", "chmod");
    assert_int_equal(x->current.verdict, SCW_CURRENT_REFUSED);
    assert_string_equal(x->current.action, "SCMP_ACT_LOG");
    x = find(wa->proposals, wa->n_proposals, "x86_64", "mknod");
    assert_int_equal(x->current.verdict, SCW_CURRENT_ALLOWED);
    assert_int_equal(x->current.entry, 0);
    x = find(wa->proposals, wa->n_proposals, "x86_64", "personality");
    assert_int_equal(x->current.verdict, SCW_CURRENT_CONDITIONAL);
    assert_string_equal(x->current.otherwise, "SCMP_ACT_LOG");
    assert_int_equal(x->current.entry, 1);
    scw_advice_free(a);

    /* an out-of-range profile index is refused */
    assign.profile = 1;
    assert_int_equal(scw_advise(&in, &a), -EINVAL);
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

static bool exists_in_d(void *ctx, const char *path)
{
    (void)ctx;
    return strcmp(path, "/d/tools.json") == 0 || strcmp(path, "/d/other-box.json") == 0;
}

static enum scw_advise_source profile_for(const struct scw_rules *rs,
                                          const struct scw_aggregate *agg, int w,
                                          const struct scw_advise_maps *maps, char *path)
{
    return scw_advise_profile_for(rs, agg, (uint32_t)w, maps, path, 256);
}

/* The team's file comes before the runtime's copy: --profile SELECTOR=FILE (a selector's name
 * or a glob on the owner), a selector's profile:, the profiles directory (selector names, then
 * the owner), a catch-all --profile FILE; the runtime's copy only when nothing maps. */
static void test_profile_source_precedence(void **state)
{
    (void)state;
    struct scw_rules *rs = load_rules();
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    /* a container matching the selector "tools" (executable /usr/bin/tool*) */
    int sel = container_workload(agg, "1", "tool-box", "/run/x/config.json");
    add(agg, sel, X86_64, NR_CHMOD, LOG, 1, 1000, 1, "/usr/bin/tool-a");
    /* a container no selector matches */
    int rt = container_workload(agg, "2", "other-box", "/run/y/config.json");
    add(agg, rt, X86_64, NR_CHMOD, LOG, 1, 1000, 2, "/bin/other");
    /* a host workload */
    int host = scw_aggregate_workload(agg, "exe:/usr/bin/other", NULL);
    add(agg, host, X86_64, NR_CHMOD, LOG, 1, 1000, 3, "/usr/bin/other");
    char path[256];

    assert_int_equal(profile_for(rs, agg, sel, NULL, path), SCW_ADVISE_SOURCE_SELECTOR);
    assert_string_equal(path, "/etc/p/tool.json");
    assert_int_equal(profile_for(rs, agg, rt, NULL, path), SCW_ADVISE_SOURCE_RUNTIME);
    assert_string_equal(path, "/run/y/config.json");
    assert_int_equal(profile_for(rs, agg, host, NULL, path), SCW_ADVISE_SOURCE_NONE);
    assert_string_equal(path, "");

    /* by owner glob and by selector name; a catch-all for the rest */
    const struct scw_advise_map m[] = {
        {.selector = "tool-*", .path = "box.json"},
        {.selector = "nomatch", .path = "never.json"},
        {.path = "all.json"},
    };
    struct scw_advise_maps maps = {.maps = m, .n_maps = 3};
    assert_int_equal(profile_for(rs, agg, sel, &maps, path), SCW_ADVISE_SOURCE_CLI);
    assert_string_equal(path, "box.json");
    assert_int_equal(profile_for(rs, agg, rt, &maps, path), SCW_ADVISE_SOURCE_CLI);
    assert_string_equal(path, "all.json");
    assert_int_equal(profile_for(rs, agg, host, &maps, path), SCW_ADVISE_SOURCE_CLI);
    assert_string_equal(path, "all.json");
    const struct scw_advise_map by_sel[] = {{.selector = "tools", .path = "t.json"}};
    maps = (struct scw_advise_maps){.maps = by_sel, .n_maps = 1};
    assert_int_equal(profile_for(rs, agg, sel, &maps, path), SCW_ADVISE_SOURCE_CLI);
    assert_string_equal(path, "t.json");
    assert_int_equal(profile_for(rs, agg, rt, &maps, path), SCW_ADVISE_SOURCE_RUNTIME);

    /* the directory: a selector with profile: still comes first; the owner's file next */
    maps = (struct scw_advise_maps){.dir = "/d", .exists = exists_in_d};
    assert_int_equal(profile_for(rs, agg, sel, &maps, path), SCW_ADVISE_SOURCE_SELECTOR);
    assert_int_equal(profile_for(rs, agg, rt, &maps, path), SCW_ADVISE_SOURCE_DIR);
    assert_string_equal(path, "/d/other-box.json");
    assert_int_equal(profile_for(rs, agg, host, &maps, path), SCW_ADVISE_SOURCE_NONE);
    /* a path that does not fit is no mapping, never a truncated file name */
    const struct scw_advise_map longp[] = {{.path = "/a/very/long/path/to/a/profile.json"}};
    maps = (struct scw_advise_maps){.maps = longp, .n_maps = 1};
    assert_int_equal(scw_advise_profile_for(rs, agg, (uint32_t)host, &maps, path, 8),
                     SCW_ADVISE_SOURCE_NONE);
    assert_string_equal(scw_advise_source_name(SCW_ADVISE_SOURCE_DIR), "profiles");
    assert_string_equal(scw_advise_source_name(SCW_ADVISE_SOURCE_RUNTIME), "runtime");
    assert_string_equal(scw_advise_source_name(SCW_ADVISE_SOURCE_SELECTOR), "selector");
    assert_string_equal(scw_advise_source_name(SCW_ADVISE_SOURCE_CLI), "cli");
    assert_null(scw_advise_source_name(SCW_ADVISE_SOURCE_NONE));
    assert_null(scw_advise_source_name(SCW_ADVISE_SOURCE_INVALID));
    assert_string_equal(scw_current_name(SCW_CURRENT_CONDITIONAL), "conditional");
    assert_null(scw_current_name(SCW_CURRENT_MAX));
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

/* Group names: the image's name whatever the tag, a container's name without its replica
 * number when no image is known, unsafe bytes replaced (more in test_advise_names.c). */
static void test_group_names(void **state)
{
    (void)state;
    struct scw_rules *rs = load_rules();
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int a1 = image_workload(agg, "1", "shop-1", "registry.example/team/shop:2.1@sha256:ab", "x");
    int a2 = image_workload(agg, "2", "shop-2", "shop:2.0", "y");
    int b1 = image_workload(agg, "3", "../evil name", NULL, "z");
    add(agg, a1, X86_64, NR_CHMOD, LOG, 3, 1000, 1, "/shop");
    add(agg, a2, X86_64, NR_CHMOD, LOG, 2, 1000, 2, "/shop");
    add(agg, b1, X86_64, NR_CHMOD, LOG, 1, 1000, 3, "/evil");
    struct fake f = {0};
    struct scw_advise_profile prof[2] = {
        {.path = "x", .default_action = "SCMP_ACT_LOG", .query = fake_query, .ctx = &f},
        {.path = "z", .default_action = "SCMP_ACT_LOG", .query = fake_query, .ctx = &f},
    };
    struct scw_advise_assign assign[3] = {
        {SCW_ADVISE_SOURCE_RUNTIME, "x", 0, NULL},
        {SCW_ADVISE_SOURCE_RUNTIME, "y", 0, NULL}, /* another path, the same content */
        {SCW_ADVISE_SOURCE_RUNTIME, "z", 1, NULL},
    };
    struct scw_advise_input in = {
        .agg = agg, .rules = rs, .profiles = prof, .n_profiles = 2, .assign = assign};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    assert_int_equal(a->n_groups, 2);
    /* the images differ in tag only: the owner is the image's name either way */
    assert_string_equal(a->groups[0].name, "shop");
    assert_int_equal(a->groups[0].n_members, 2);
    assert_string_equal(a->groups[1].name, "_._evil_name");
    scw_advice_free(a);

    /* the same image: its stem names the group */
    struct scw_container c = *scw_aggregate_workload_at(agg, (uint32_t)a2)->container;
    c.image = "registry.example/team/shop:2.1@sha256:ab";
    assert_int_equal(scw_aggregate_set_container(agg, (uint32_t)a2, &c), 0);
    assert_int_equal(scw_advise(&in, &a), 0);
    assert_string_equal(a->groups[0].name, "shop");
    scw_advice_free(a);
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

static void test_empty(void **state)
{
    (void)state;
    struct scw_rules *rs = load_rules();
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    struct scw_advise_input in = {.agg = agg, .rules = rs};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    assert_int_equal(a->n_workloads, 0);
    assert_int_equal(a->n_groups, 0);
    scw_advice_free(a);
    scw_advice_free(NULL);
    in.rules = NULL;
    assert_int_equal(scw_advise(&in, &a), -EINVAL);
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decisions),
        cmocka_unit_test(test_ignored_executables),
        cmocka_unit_test(test_vulnerability_blocks),
        cmocka_unit_test(test_replicas_and_coverage),
        cmocka_unit_test(test_selectors_split_replicas),
        cmocka_unit_test(test_allow_list_across_arches),
        cmocka_unit_test(test_current_profile),
        cmocka_unit_test(test_profile_source_precedence),
        cmocka_unit_test(test_group_names),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
