/*
 * test_fleet: merging the states of several nodes (fleet.c) is exact arithmetic: counts add,
 * first/last seen are min/max, every node keeps its counters and observation; merging in
 * steps gives the same bytes as merging at once (merge(A,B)+C == merge(A,B,C)); a directory
 * is read in name order and standard input may carry several documents; the same file or
 * node twice counts once (the later snapshot); a state from a newer scmpwatch, or a corrupt
 * one, is left out whole while the others are merged; a container claimed by two nodes with
 * different profiles is kept on both and counted as a conflict. Time buckets merge onto one
 * grid, every event kept in one.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fleet.h"
#include "state.h"

#define X86_64 0xc000003eU
#define LOG    0x7ffc0000U

static void add(struct scw_aggregate *agg, int w, uint32_t nr, int n, int64_t sec, int32_t pid)
{
    for (int i = 0; i < n; i++) {
        struct scw_record r = {.arch = X86_64,
                               .syscall = nr,
                               .code = LOG,
                               .action = SCW_ACTION_LOG,
                               .ts_sec = sec + i,
                               .ts_msec = 10,
                               .pid = pid};
        snprintf(r.exe, sizeof(r.exe), "/srv/app");
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    }
}

/* A node's state: container "shared" (the same id on every node), and one of its own. */
static void node_state(const char *path, const char *node, int base, const char *kept)
{
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    assert_true(scw_aggregate_set_self(agg, node, 0) >= 0);
    struct scw_container c = {
        .runtime = "docker", .id = "shared", .image = "reg/api:1", .profile_kept = (char *)kept};
    int w = scw_aggregate_workload(agg, "docker:shared", &c);
    char own[64];
    snprintf(own, sizeof(own), "docker:%s-own", node);
    int o = scw_aggregate_workload(agg, own, NULL);
    add(agg, w, 90, base, 1000 + base, base);
    add(agg, w, 133, 1, 5000 - base, base + 1);
    add(agg, o, 90, 2, 3000, 7);
    struct scw_input_stats *st = scw_aggregate_stats(agg);
    st->lines = 100u * (unsigned)base;
    st->seccomp = (unsigned)base + 3;
    st->lost = (unsigned)base;
    st->kernel_lost = 10u + (unsigned)base;
    /* when it was saved, fixed (a live watcher stamps now), for exact comparisons */
    scw_aggregate_node_add(agg, (uint32_t)scw_aggregate_self(agg), NULL, NULL, 0, 0, 50 + base);
    assert_int_equal(scw_state_save(agg, path), 0);
    scw_aggregate_free(agg);
    /* the watcher's observation, fixed too */
    size_t len;
    char *text = scw_test_read_file(path, &len);
    char *p = strstr(text, "\"observed\":[");
    assert_non_null(p);
    char *end = strchr(p, ']');
    char *fixed = scw_test_asprintf("%.*s\"observed\":[%d,%d]%s", (int)(p - text), text, 100 + base,
                                    9000 + base, end + 1);
    scw_test_write_file(path, fixed, strlen(fixed));
    free(fixed);
    free(text);
}

static char *merge_to_text(const char *const *args, size_t n, struct scw_fleet_result *res,
                           struct scw_aggregate **ret_agg)
{
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    assert_int_equal(scw_fleet_load(agg, "test", args, n, res), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(scw_state_write(agg, f), 0);
    fclose(f);
    if (ret_agg)
        *ret_agg = agg;
    else
        scw_aggregate_free(agg);
    return buf;
}

static const struct scw_workload *find(const struct scw_aggregate *agg, const char *node,
                                       const char *key)
{
    for (size_t i = 0; i < scw_aggregate_n_workloads(agg); i++) {
        const struct scw_workload *w = scw_aggregate_workload_at(agg, i);
        const char *n = scw_aggregate_node_at(agg, w->node)->name;
        if (strcmp(w->key, key) == 0 && n && strcmp(n, node) == 0)
            return w;
    }
    return NULL;
}

static void test_exact_and_associative(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *a = scw_test_asprintf("%s/a.json", dir), *b = scw_test_asprintf("%s/b.json", dir),
         *c = scw_test_asprintf("%s/c.json", dir), *ab = scw_test_asprintf("%s/ab.json", dir);
    node_state(a, "node-a", 3, NULL);
    node_state(b, "node-b", 5, NULL);
    node_state(c, "node-c", 8, NULL);
    struct scw_fleet_result res;
    const char *abc[] = {a, b, c};
    struct scw_aggregate *agg;
    char *direct = merge_to_text(abc, 3, &res, &agg);
    assert_int_equal(res.documents, 3);
    assert_int_equal(res.nodes, 3);
    assert_int_equal(res.failed + res.duplicates + res.conflicts, 0);
    /* the same container id on three nodes: three workloads, exact per node */
    assert_int_equal(scw_aggregate_n_workloads(agg), 6);
    assert_int_equal(scw_aggregate_n_nodes(agg), 3);
    const struct scw_workload *w = find(agg, "node-b", "docker:shared");
    assert_non_null(w);
    assert_int_equal(w->events, 6);
    assert_int_equal(w->first_sec, 1005);
    assert_int_equal(w->last_sec, 4995);
    /* totals are sums; each node keeps its own */
    const struct scw_input_stats *t = scw_aggregate_stats(agg);
    assert_int_equal(t->lines, 1600);
    assert_int_equal(t->seccomp, 6 + 8 + 11);
    assert_int_equal(t->lost, 16);
    assert_int_equal(t->kernel_lost, 13 + 15 + 18); /* three kernels */
    struct scw_input_stats st;
    struct scw_agg_drops d;
    scw_aggregate_node_counters(agg, 2, &st, &d);
    assert_string_equal(scw_aggregate_node_at(agg, 2)->name, "node-c");
    assert_int_equal(st.lines, 800);
    assert_int_equal(st.lost, 8);
    assert_int_equal(st.kernel_lost, 18);
    int64_t from, to;
    scw_aggregate_node_observed(agg, 2, &from, &to);
    assert_int_equal(from, 108);
    assert_int_equal(to, 9008);
    /* every event had a time: in the buckets of one grid, the narrowest over seconds
     * 1003..4997 (512 s wide, from 512) */
    assert_int_equal(scw_aggregate_grid(agg)->width, 512);
    assert_int_equal(scw_aggregate_grid(agg)->origin, 512);
    uint64_t timed = 0, events = 0;
    for (size_t i = 0; i < scw_aggregate_n_entries(agg); i++) {
        const struct scw_agg_entry *e = scw_aggregate_entry_at(agg, i);
        timed += scw_agg_buckets_sum(e->buckets, SCW_ENTRY_BUCKETS);
        events += e->count;
    }
    assert_int_equal(timed, events);
    assert_int_equal(events, 3 + 1 + 2 + 5 + 1 + 2 + 8 + 1 + 2);
    scw_aggregate_free(agg);

    /* in steps: merge(A,B) written as a state, then with C: the same bytes */
    const char *two[] = {a, b};
    char *step = merge_to_text(two, 2, &res, NULL);
    scw_test_write_file(ab, step, strlen(step));
    const char *again[] = {ab, c};
    char *stepped = merge_to_text(again, 2, &res, NULL);
    assert_int_equal(res.nodes, 3);
    assert_string_equal(stepped, direct);
    /* and merging the merged state alone changes nothing */
    const char *one[] = {ab};
    char *same = merge_to_text(one, 1, &res, NULL);
    assert_string_equal(same, step);
    free(step);
    free(stepped);
    free(same);
    free(direct);
    free(a);
    free(b);
    free(c);
    free(ab);
    scw_test_rmtree(dir);
    free(dir);
}

static void test_twice_newer_future_corrupt(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *a = scw_test_asprintf("%s/a.json", dir), *a2 = scw_test_asprintf("%s/a-later.json", dir),
         *b = scw_test_asprintf("%s/b.json", dir), *fut = scw_test_asprintf("%s/f.json", dir),
         *bad = scw_test_asprintf("%s/bad.json", dir);
    node_state(a, "node-a", 3, NULL);
    node_state(a2, "node-a", 4, NULL); /* a later snapshot of node-a: observed to 9004 */
    node_state(b, "node-b", 5, NULL);
    static const char future[] = "{\"format\":\"scmpwatch-state\",\"version\":9,\"workloads\":[]}";
    scw_test_write_file(fut, future, strlen(future));
    /* valid up to its last entry: nothing of it may be merged */
    static const char corrupt[] =
        "{\"format\":\"scmpwatch-state\",\"version\":2,\"nodes\":[{\"name\":\"node-x\",\"input\":"
        "{\"seccomp\":50}}],\"workloads\":[{\"key\":\"k\",\"node\":0,\"entries\":[{\"arch\":1,"
        "\"syscall\":2,\"code\":0,\"count\":5,\"first\":[1,0],\"last\":[1,0]}]},{\"key\":\"k2\","
        "\"node\":0,\"entries\":[{\"arch\":\"bad\"}]}]}";
    scw_test_write_file(bad, corrupt, strlen(corrupt));
    char *alias = scw_test_asprintf("%s/./b.json", dir);
    const char *args[] = {a, b, alias, a2, fut, bad};
    struct scw_fleet_result res;
    struct scw_aggregate *agg;
    char *text = merge_to_text(args, 6, &res, &agg);
    assert_int_equal(res.failed, 2);     /* the future one and the corrupt one */
    assert_int_equal(res.duplicates, 2); /* b.json twice; node-a twice */
    assert_int_equal(res.nodes, 2);
    assert_int_equal(scw_aggregate_n_nodes(agg), 2);
    const struct scw_workload *w = find(agg, "node-a", "docker:shared");
    assert_int_equal(w->events, 5); /* from a-later.json only (4 + 1) */
    assert_int_equal(scw_aggregate_stats(agg)->seccomp, 7 + 8);
    assert_string_equal(scw_aggregate_node_at(agg, w->node)->source, a2);
    assert_null(find(agg, "node-x", "k"));
    scw_aggregate_free(agg);
    free(text);
    free(alias);
    free(a);
    free(a2);
    free(b);
    free(fut);
    free(bad);
    scw_test_rmtree(dir);
    free(dir);
}

static void test_directory_stdin_conflicts(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *sub = scw_test_asprintf("%s/states", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    char *a = scw_test_asprintf("%s/2-a.json", sub), *b = scw_test_asprintf("%s/1-b.json", sub),
         *hidden = scw_test_asprintf("%s/.x.json", sub), *txt = scw_test_asprintf("%s/x.txt", sub);
    node_state(a, "node-a", 3, "s.json.profiles/0001.json");
    node_state(b, "node-b", 5, "s.json.profiles/0002.json"); /* another profile */
    scw_test_write_file(hidden, "junk", 4);
    scw_test_write_file(txt, "junk", 4);
    const char *args[] = {sub};
    struct scw_fleet_result res;
    struct scw_aggregate *agg;
    char *text = merge_to_text(args, 1, &res, &agg);
    assert_int_equal(res.files, 2);
    assert_int_equal(res.failed, 0);
    /* name order: 1-b.json first, so node-b is node 0 */
    assert_string_equal(scw_aggregate_node_at(agg, 0)->name, "node-b");
    /* "shared" on two nodes with two profiles: kept on both, reported */
    assert_int_equal(res.conflicts, 1);
    assert_non_null(find(agg, "node-a", "docker:shared"));
    assert_non_null(find(agg, "node-b", "docker:shared"));
    /* kept profiles follow their state: beside it */
    const struct scw_workload *w = find(agg, "node-a", "docker:shared");
    char *want = scw_test_asprintf("%s/s.json.profiles/0001.json", sub);
    assert_string_equal(w->container->profile_kept, want);
    free(want);
    scw_aggregate_free(agg);

    /* standard input: the two documents one after the other */
    size_t la, lb;
    char *ta = scw_test_read_file(a, &la), *tb = scw_test_read_file(b, &lb);
    char *cat = scw_test_asprintf("%s/cat.json", dir);
    char *both = scw_test_asprintf("%s\n%s", tb, ta);
    scw_test_write_file(cat, both, strlen(both));
    int saved = dup(STDIN_FILENO), fd = open(cat, O_RDONLY);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, STDIN_FILENO);
    close(fd);
    const char *dash[] = {"-"};
    char *from_stdin = merge_to_text(dash, 1, &res, &agg);
    dup2(saved, STDIN_FILENO);
    close(saved);
    assert_int_equal(res.documents, 2);
    assert_int_equal(res.nodes, 2);
    /* the same state as from the directory, kept paths aside (relative to the working dir) */
    assert_int_equal(scw_aggregate_n_workloads(agg), 4);
    assert_int_equal(scw_aggregate_stats(agg)->seccomp, 6 + 8);
    scw_aggregate_free(agg);
    free(from_stdin);
    free(both);
    free(cat);
    free(ta);
    free(tb);
    free(text);
    free(a);
    free(b);
    free(hidden);
    free(txt);
    free(sub);
    scw_test_rmtree(dir);
    free(dir);
}

/* Version 1 states (no node) still merge: each is a node of its own, named after its file. */
static void test_version_1(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *v1 = scw_test_asprintf("%s/old.json", dir), *a = scw_test_asprintf("%s/a.json", dir);
    static const char old[] =
        "{\"format\":\"scmpwatch-state\",\"version\":1,\"saved_at\":7,\"input\":{\"seccomp\":4,"
        "\"lost\":1},\"workloads\":[{\"key\":\"docker:shared\",\"entries\":[{\"arch\":"
        "3221225534,\"syscall\":90,\"code\":2147221504,\"count\":4,\"first\":[10,0],\"last\":"
        "[20,0]}]}]}";
    scw_test_write_file(v1, old, strlen(old));
    node_state(a, "node-a", 3, NULL);
    const char *args[] = {v1, a};
    struct scw_fleet_result res;
    struct scw_aggregate *agg;
    char *text = merge_to_text(args, 2, &res, &agg);
    assert_int_equal(res.failed, 0);
    assert_int_equal(scw_aggregate_n_nodes(agg), 2);
    const struct scw_agg_node *n = scw_aggregate_node_at(agg, 0);
    assert_null(n->name);
    char *label = scw_test_asprintf("(%s)", v1);
    assert_string_equal(n->label, label);
    struct scw_input_stats st;
    struct scw_agg_drops d;
    scw_aggregate_node_counters(agg, 0, &st, &d);
    assert_int_equal(st.seccomp, 4);
    assert_int_equal(st.lost, 1);
    assert_int_equal(scw_aggregate_stats(agg)->seccomp, 4 + 6);
    assert_int_equal(scw_aggregate_n_workloads(agg), 3);
    free(label);
    free(text);
    scw_aggregate_free(agg);
    free(v1);
    free(a);
    scw_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_and_associative),
        cmocka_unit_test(test_twice_newer_future_corrupt),
        cmocka_unit_test(test_directory_stdin_conflicts),
        cmocka_unit_test(test_version_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
