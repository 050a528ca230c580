/*
 * test_advise_evidence: coverage on nodes and completeness (advise_evidence.c) on a fleet
 * built by hand: 6 replicas on 3 nodes, a syscall seen in 5 of them on 3 of 3 nodes and one
 * in 1 on 1; the observation is the union of the nodes' (their watchers' start and last
 * snapshot), the last new syscall the latest first sighting; records lost on one node make
 * the group incomplete with the figures; and the --fail-on gate, its parser included.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advise.h"
#include "aggregate.h"
#include "rules.h"

#define X86_64    0xc000003eU
#define LOG       0x7ffc0000U
#define NR_CHMOD  90
#define NR_MKNOD  133
#define NR_PTRACE 101

static int allow_chmod(const void *ctx, uint32_t arch, const char *syscall,
                       struct scw_advise_answer *ret)
{
    (void)ctx;
    (void)arch;
    bool ok = strcmp(syscall, "chmod") == 0;
    *ret = (struct scw_advise_answer){.verdict = ok ? SCW_CURRENT_ALLOWED : SCW_CURRENT_REFUSED,
                                      .action = ok ? "SCMP_ACT_ALLOW" : "SCMP_ACT_LOG",
                                      .errno_value = -1,
                                      .entry = -1};
    return 0;
}

static void add(struct scw_aggregate *agg, int w, uint32_t nr, int64_t sec)
{
    struct scw_record r = {.arch = X86_64,
                           .syscall = nr,
                           .code = LOG,
                           .action = SCW_ACTION_LOG,
                           .ts_sec = sec,
                           .ts_msec = 5,
                           .pid = 7};
    assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
}

struct fleet {
    struct scw_aggregate *agg;
    struct scw_rules *rs;
    struct scw_advise_assign assign[6];
    struct scw_advise_profile prof;
};

static struct scw_advice *advise(struct fleet *f)
{
    struct scw_advise_input in = {
        .agg = f->agg, .rules = f->rs, .profiles = &f->prof, .n_profiles = 1, .assign = f->assign};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    return a;
}

/* 6 containers of one image on 3 nodes (2 each), observed from 1000 to 51000. */
static void make_fleet(struct fleet *f)
{
    memset(f, 0, sizeof(*f));
    f->agg = scw_aggregate_new(NULL);
    f->rs = scw_rules_new();
    char *err = NULL;
    static const char y[] = "version: 1\ndefaults: {decision: allow}\n"
                            "rules:\n  - {name: nt, syscalls: [ptrace], decision: deny, "
                            "reason: no}\n";
    assert_int_equal(scw_rules_load_buffer(f->rs, "t.yaml", y, strlen(y), &err), 0);
    static const char *const nodes[] = {"node-a", "node-b", "node-c"};
    for (int n = 0; n < 3; n++) {
        int ni = scw_aggregate_node(f->agg, nodes[n]);
        assert_int_equal(ni, n);
        struct scw_input_stats st = {.seccomp = 10};
        scw_aggregate_node_add(f->agg, (uint32_t)ni, &st, NULL, 1000 + n * 100, 51000 - n * 50,
                               51000);
    }
    for (int i = 0; i < 6; i++) {
        char id[8], key[32];
        snprintf(id, sizeof(id), "c%d", i);
        snprintf(key, sizeof(key), "docker:%s", id);
        struct scw_container c = {
            .runtime = "docker", .id = id, .image = "reg/api:1", .profile = "/p/config.json"};
        /* the same container id on every node would be three workloads: ids differ here */
        int w = scw_aggregate_workload_on(f->agg, (uint32_t)(i / 2), key, &c);
        assert_int_equal(w, i);
        f->assign[i] =
            (struct scw_advise_assign){SCW_ADVISE_SOURCE_RUNTIME, "/p/config.json", 0, NULL};
        if (i != 5)
            add(f->agg, w, NR_CHMOD, 2000 + i); /* 5 of 6, on 3 of 3 nodes */
    }
    add(f->agg, 1, NR_MKNOD, 39000); /* the last new one: 1 of 6, on node-a */
    add(f->agg, 5, NR_CHMOD - 0, 40000);
    f->prof = (struct scw_advise_profile){.path = "/p/config.json",
                                          .default_action = "SCMP_ACT_LOG",
                                          .default_errno = -1,
                                          .log_only = true,
                                          .query = allow_chmod};
}

static void free_fleet(struct fleet *f)
{
    scw_aggregate_free(f->agg);
    scw_rules_free(f->rs);
}

static const struct scw_proposal *find(const struct scw_advice_group *g, const char *sys)
{
    const struct scw_proposal *p = scw_advice_find(g->proposals, g->n_proposals, NULL, sys);
    assert_non_null(p);
    return p;
}

static void test_coverage_on_nodes(void **state)
{
    (void)state;
    struct fleet f;
    make_fleet(&f);
    struct scw_advice *a = advise(&f);
    assert_int_equal(a->n_nodes, 3);
    assert_int_equal(a->n_groups, 1);
    const struct scw_advice_group *g = &a->groups[0];
    assert_int_equal(g->n_members, 6);
    assert_int_equal(g->completeness.n_nodes, 3);
    const struct scw_proposal *p = find(g, "chmod");
    assert_int_equal(p->seen_in, 6); /* container 5 too, later */
    assert_int_equal(p->seen_on_nodes, 3);
    p = find(g, "mknod");
    assert_int_equal(p->seen_in, 1);
    assert_int_equal(p->seen_on_nodes, 1);
    /* a workload's own proposals: one node */
    assert_int_equal(a->workloads[1].proposals[0].seen_on_nodes, 1);
    scw_advice_free(a);

    /* container 5 without chmod: 5 of 6 containers, still on 3 of 3 nodes */
    free_fleet(&f);
    make_fleet(&f);
    scw_aggregate_free(f.agg);
    f.agg = scw_aggregate_new(NULL);
    for (int n = 0; n < 3; n++)
        assert_int_equal(scw_aggregate_node(f.agg, (const char *[]){"a", "b", "c"}[n]), n);
    for (int i = 0; i < 6; i++) {
        char key[16];
        snprintf(key, sizeof(key), "docker:c%d", i);
        struct scw_container c = {
            .runtime = "docker", .id = key + 7, .image = "reg/api:1", .profile = "/p/config.json"};
        int w = scw_aggregate_workload_on(f.agg, (uint32_t)(i / 2), key, &c);
        add(f.agg, w, i == 5 ? NR_MKNOD : NR_CHMOD, 2000);
    }
    a = advise(&f);
    g = &a->groups[0];
    p = find(g, "chmod");
    assert_int_equal(p->seen_in, 5);
    assert_int_equal(p->seen_on_nodes, 3);
    scw_advice_free(a);
    free_fleet(&f);
}

static void test_completeness(void **state)
{
    (void)state;
    struct fleet f;
    make_fleet(&f);
    struct scw_advice *a = advise(&f);
    const struct scw_advice_completeness *c = &a->groups[0].completeness;
    assert_int_equal(c->observed_from, 1000);
    assert_int_equal(c->observed_to, 51000);
    assert_int_equal(c->nodes_unobserved, 0);
    assert_int_equal(c->last_new_sec, 39000);
    assert_int_equal(c->last_new_msec, 5);
    assert_non_null(c->last_new);
    assert_string_equal(c->last_new->syscall, "mknod");
    assert_false(c->incomplete);
    assert_int_equal(c->lost + c->kernel_lost + c->dropped, 0);
    unsigned all = SCW_GATE_REVIEW | SCW_GATE_DENY | SCW_GATE_INCOMPLETE | SCW_GATE_BREAKS;
    struct scw_advice_gate_hits h;
    /* mknod is refused by the current profile: it breaks; nothing to review or deny */
    assert_int_equal(scw_advice_gate(a, all, &h), SCW_GATE_BREAKS);
    assert_int_equal(h.breaks, 1);
    assert_int_equal(h.review + h.deny + h.incomplete, 0);
    assert_int_equal(scw_advice_gate(a, SCW_GATE_REVIEW | SCW_GATE_INCOMPLETE, NULL), 0);
    scw_advice_free(a);

    /* node-b's reader lost 12 records, node-c's kernel 3, and node-b dropped 2 at bounds */
    struct scw_input_stats lost = {.lost = 12};
    struct scw_agg_drops dropped = {.entries = 2};
    scw_aggregate_node_add(f.agg, 1, &lost, &dropped, 0, 0, 0);
    struct scw_input_stats kl = {.kernel_lost = 3};
    scw_aggregate_node_add(f.agg, 2, &kl, NULL, 0, 0, 0);
    /* ptrace on node-c: denied */
    add(f.agg, 4, NR_PTRACE, 45000);
    a = advise(&f);
    c = &a->groups[0].completeness;
    assert_true(c->incomplete);
    assert_int_equal(c->lost, 12);
    assert_int_equal(c->kernel_lost, 3);
    assert_int_equal(c->dropped, 2);
    assert_int_equal(c->last_new_sec, 45000);
    assert_int_equal(scw_advice_gate(a, all, &h), all & ~SCW_GATE_REVIEW);
    assert_int_equal(h.deny, 1);
    assert_int_equal(h.incomplete, 1);
    assert_int_equal(scw_advice_gate(a, SCW_GATE_INCOMPLETE, NULL), SCW_GATE_INCOMPLETE);
    scw_advice_free(a);
    free_fleet(&f);
}

static void test_gate_parse(void **state)
{
    (void)state;
    unsigned m = 0;
    assert_int_equal(scw_advice_gate_parse("review,deny,incomplete,breaks", &m), 0);
    assert_int_equal(m, SCW_GATE_REVIEW | SCW_GATE_DENY | SCW_GATE_INCOMPLETE | SCW_GATE_BREAKS);
    assert_int_equal(scw_advice_gate_parse("deny", &m), 0);
    assert_int_equal(m, SCW_GATE_DENY);
    static const char *const bad[] = {"", "deny,", ",deny", "denied", "deny,,review", "DENY"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (scw_advice_gate_parse(bad[i], &m) != -EINVAL)
            fail_msg("'%s' accepted", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coverage_on_nodes),
        cmocka_unit_test(test_completeness),
        cmocka_unit_test(test_gate_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
