/*
 * test_advise_names: profile group names (advise_names.c) come from what a group is, never
 * from how many members it has: a Deployment scaled from 1 to 4 pods keeps its name and its
 * group (with and without the pod-template-hash label), as do StatefulSets, DaemonSets,
 * CronJobs, compose services and plain images; a sidecar gets its container's name; clashes
 * take the namespace, then a number in the order of the groups' workload keys, whatever the
 * event counts.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advise.h"
#include "advise_impl.h"
#include "aggregate.h"
#include "rules.h"

#define X86_64   0xc000003eU
#define LOG      0x7ffc0000U
#define NR_CHMOD 90

static struct scw_rules *empty_rules(void)
{
    struct scw_rules *rs = scw_rules_new();
    assert_non_null(rs);
    char *err = NULL;
    static const char y[] = "version: 1\n";
    assert_int_equal(scw_rules_load_buffer(rs, "t.yaml", y, strlen(y), &err), 0);
    return rs;
}

static int fake_query(const void *ctx, uint32_t arch, const char *syscall,
                      struct scw_advise_answer *ret)
{
    (void)ctx;
    (void)arch;
    (void)syscall;
    *ret = (struct scw_advise_answer){
        .verdict = SCW_CURRENT_REFUSED, .action = "SCMP_ACT_LOG", .errno_value = -1, .entry = -1};
    return 0;
}

static void owner_is(const struct scw_container *c, const char *want)
{
    char out[SCW_ADVISE_NAME_MAX];
    advise_owner(c, out, sizeof(out));
    if (strcmp(out, want) != 0)
        fail_msg("pod '%s' name '%s' image '%s': owner '%s', want '%s'", c->pod ? c->pod : "-",
                 c->name ? c->name : "-", c->image ? c->image : "-", out, want);
}

static void test_owners(void **state)
{
    (void)state;
    char *rs_hash[] = {"pod-template-hash=7d4b9c8f5", NULL};
    char *sts[] = {"statefulset.kubernetes.io/pod-name=db-12", "controller-revision-hash=x", NULL};
    char *ds[] = {"controller-revision-hash=6c8b5", "pod-template-generation=1", NULL};
    char *job[] = {"batch.kubernetes.io/job-name=backup-28391234", NULL};
    char *compose[] = {"com.docker.compose.service=worker", NULL};
    const struct {
        const char *pod, *k8s_container, *name, *image;
        char **labels;
        const char *want;
    } cases[] = {
        /* Deployment: label, then the ReplicaSet hash in the name without labels */
        {"web-7d4b9c8f5-x2x9k", "web", NULL, "reg/web:1", rs_hash, "web"},
        {"web-7d4b9c8f5-qq4zz", "web", NULL, "reg/web:2", NULL, "web"},
        {"my-api-server-5f6d8b9c7d-bd2kq", "my-api-server", NULL, NULL, NULL, "my-api-server"},
        /* a sidecar: the container's own name after the owner */
        {"web-7d4b9c8f5-x2x9k", "istio-proxy", NULL, NULL, rs_hash, "web-istio-proxy"},
        /* StatefulSet, DaemonSet, CronJob's Job */
        {"db-12", "db", NULL, NULL, sts, "db"},
        {"db-3", "db", NULL, NULL, NULL, "db"},
        {"fluentd-x2x9k", "fluentd", NULL, NULL, ds, "fluentd"},
        {"backup-28391234-vv5cq", "backup", NULL, NULL, job, "backup"},
        /* a bare pod is its own owner; a word with vowels is not a hash */
        {"debug", "debug", NULL, NULL, NULL, "debug"},
        {"api-server-beta-x2x9k", "api-server-beta-x2x9k", NULL, NULL, NULL,
         "api-server-beta-x2x9k"},
        /* not Kubernetes: compose service, image's name, name without its replica number */
        {NULL, NULL, "proj-worker-3", "reg/any:1", compose, "worker"},
        {NULL, NULL, "app-staging", "registry.example/team/app:1.4@sha256:ab", NULL, "app"},
        {NULL, NULL, "api_2", NULL, NULL, "api"},
        {NULL, NULL, "api-17", NULL, NULL, "api"},
        {NULL, NULL, "../x y", NULL, NULL, "_._x_y"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scw_container c = {.runtime = "containerd",
                                  .id = "abc",
                                  .pod = (char *)cases[i].pod,
                                  .k8s_container = (char *)cases[i].k8s_container,
                                  .name = (char *)cases[i].name,
                                  .image = (char *)cases[i].image,
                                  .labels = cases[i].labels};
        owner_is(&c, cases[i].want);
    }
}

/* n pods of one Deployment (one profile), events unequal; returns the advice. */
static struct scw_advice *deployment(struct scw_aggregate *agg, struct scw_rules *rs, size_t n,
                                     bool labels)
{
    static const char *const suffix[] = {"x2x9k", "bd2kq", "vv5cq", "zz7hw"};
    char *lab[] = {"pod-template-hash=6d9c7b5f4", NULL};
    for (size_t i = 0; i < n; i++) {
        char id[64], key[96], pod[64], cfg[128], name[96];
        snprintf(id, sizeof(id), "%zu%zu%zu", i, i, i);
        snprintf(key, sizeof(key), "containerd:k8s.io/%s", id);
        snprintf(pod, sizeof(pod), "checkout-6d9c7b5f4-%s", suffix[i]);
        snprintf(cfg, sizeof(cfg), "/run/containerd/%s/config.json", id);
        snprintf(name, sizeof(name), "k8s_checkout_%s_shop", pod); /* one per replica */
        struct scw_container c = {.runtime = "containerd",
                                  .id = id,
                                  .runtime_namespace = "k8s.io",
                                  .pod = pod,
                                  .namespace = "shop",
                                  .k8s_container = "checkout",
                                  .name = name,
                                  .image = "reg/shop/checkout:3",
                                  .profile = cfg,
                                  .labels = labels ? lab : NULL};
        int w = scw_aggregate_workload(agg, key, &c);
        assert_true(w >= 0);
        struct scw_record r = {.arch = X86_64,
                               .syscall = NR_CHMOD,
                               .code = LOG,
                               .action = SCW_ACTION_LOG,
                               .ts_sec = 1000,
                               .pid = (int)i + 1};
        for (size_t k = 0; k < 10 - i; k++)
            assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    }
    static struct scw_advise_profile prof = {.path = "/run/containerd/000/config.json",
                                             .default_action = "SCMP_ACT_LOG",
                                             .default_errno = -1,
                                             .log_only = true,
                                             .query = fake_query};
    struct scw_advise_assign *assign = calloc(n, sizeof(*assign));
    for (size_t i = 0; i < n; i++)
        assign[i] = (struct scw_advise_assign){SCW_ADVISE_SOURCE_RUNTIME,
                                               "/run/containerd/x/config.json", 0, NULL};
    struct scw_advise_input in = {
        .agg = agg, .rules = rs, .profiles = &prof, .n_profiles = 1, .assign = assign};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    free(assign);
    return a;
}

static void test_scaling_keeps_the_name(void **state)
{
    (void)state;
    struct scw_rules *rs = empty_rules();
    for (int labels = 0; labels < 2; labels++) {
        for (size_t n = 1; n <= 4; n++) {
            struct scw_aggregate *agg = scw_aggregate_new(NULL);
            struct scw_advice *a = deployment(agg, rs, n, labels);
            assert_int_equal(a->n_groups, 1);
            assert_int_equal(a->groups[0].n_members, n);
            if (strcmp(a->groups[0].name, "checkout") != 0)
                fail_msg("%zu pods (labels %d): group '%s'", n, labels, a->groups[0].name);
            scw_advice_free(a);
            scw_aggregate_free(agg);
        }
    }
    scw_rules_free(rs);
}

/* Two groups whose owners clash: namespaces first, then numbers by workload key. */
static void test_clashes(void **state)
{
    (void)state;
    struct scw_rules *rs = empty_rules();
    static const struct scw_advise_profile prof[2] = {
        {.path = "p0", .default_action = "SCMP_ACT_LOG", .query = fake_query},
        {.path = "p1", .default_action = "SCMP_ACT_LOG", .query = fake_query},
    };
    for (int busier = 0; busier < 2; busier++) {
        for (int ns = 0; ns < 2; ns++) {
            struct scw_aggregate *agg = scw_aggregate_new(NULL);
            const char *keys[2] = {"docker:aaa", "docker:bbb"};
            for (int i = 0; i < 2; i++) {
                struct scw_container c = {.runtime = "docker",
                                          .id = (char *)keys[i] + 7,
                                          .pod = ns ? "web-0" : NULL,
                                          .namespace = ns ? (i ? "prod" : "staging") : NULL,
                                          .k8s_container = ns ? "web" : NULL,
                                          .image = "reg/web:1",
                                          .profile = "x"};
                int w = scw_aggregate_workload(agg, keys[i], &c);
                struct scw_record r = {.arch = X86_64,
                                       .syscall = NR_CHMOD,
                                       .code = LOG,
                                       .action = SCW_ACTION_LOG,
                                       .ts_sec = 1000,
                                       .pid = 1};
                /* the event counts decide the report order, never the names */
                for (int k = 0; k < (i == busier ? 9 : 1); k++)
                    assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
            }
            struct scw_advise_assign assign[2] = {{SCW_ADVISE_SOURCE_RUNTIME, "x", 0, NULL},
                                                  {SCW_ADVISE_SOURCE_RUNTIME, "y", 1, NULL}};
            struct scw_advise_input in = {
                .agg = agg, .rules = rs, .profiles = prof, .n_profiles = 2, .assign = assign};
            struct scw_advice *a = NULL;
            assert_int_equal(scw_advise(&in, &a), 0);
            assert_int_equal(a->n_groups, 2);
            for (size_t g = 0; g < 2; g++) {
                bool first = a->groups[g].members[0] == 0;
                const char *want =
                    ns ? (first ? "web-staging" : "web-prod") : (first ? "web" : "web-2");
                if (strcmp(a->groups[g].name, want) != 0)
                    fail_msg("busier %d ns %d: group of %s is '%s', want '%s'", busier, ns,
                             keys[a->groups[g].members[0]], a->groups[g].name, want);
            }
            scw_advice_free(a);
            scw_aggregate_free(agg);
        }
    }
    scw_rules_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_owners),
        cmocka_unit_test(test_scaling_keeps_the_name),
        cmocka_unit_test(test_clashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
