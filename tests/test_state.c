/*
 * test_state: snapshots round-trip exactly (counts, times, pids, executables, containers,
 * input accounting), merge on load adds to what is there, and corrupt or foreign files are
 * refused with a message naming the file (and line:column for JSON errors).
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

static struct scw_record rec(uint32_t nr, int64_t sec, int32_t pid, const char *exe)
{
    struct scw_record r;
    memset(&r, 0, sizeof(r));
    r.arch = 0xc000003e;
    r.syscall = nr;
    r.code = 0x7ffc0000;
    r.action = SCW_ACTION_LOG;
    r.ts_sec = sec;
    r.ts_msec = 250;
    r.pid = pid;
    snprintf(r.exe, sizeof(r.exe), "%s", exe);
    return r;
}

static struct scw_aggregate *sample(void)
{
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    struct scw_container c = {.runtime = "docker",
                              .id = "abc123",
                              .name = "web",
                              .image = "nginx:1.25",
                              .cgroup = "/docker/abc123"};
    int w1 = scw_aggregate_workload(agg, "docker:abc123", &c);
    int w2 = scw_aggregate_workload(agg, "exe:/usr/bin/tool", NULL);
    assert_true(w1 >= 0 && w2 >= 0);
    for (int i = 0; i < 5; i++) {
        struct scw_record r = rec(90, 1795875800 + i, 100 + i % 2, "/usr/sbin/nginx");
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)w1, &r), 0);
    }
    struct scw_record r = rec(133, 1795875900, 7, "/usr/bin/tool");
    assert_int_equal(scw_aggregate_add(agg, (uint32_t)w2, &r), 0);
    struct scw_input_stats *st = scw_aggregate_stats(agg);
    st->seccomp = 6;
    st->lost = 3;
    st->unattributed = 1;
    return agg;
}

static const struct scw_agg_entry *find(const struct scw_aggregate *agg, const char *key,
                                        uint32_t nr)
{
    for (size_t i = 0; i < scw_aggregate_n_entries(agg); i++) {
        const struct scw_agg_entry *e = scw_aggregate_entry_at(agg, i);
        if (e->syscall == nr && strcmp(scw_aggregate_workload_at(agg, e->workload)->key, key) == 0)
            return e;
    }
    return NULL;
}

static void test_round_trip(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/state.json", dir);
    struct scw_aggregate *agg = sample();
    assert_int_equal(scw_state_save(agg, path), 0);

    struct scw_aggregate *back = scw_aggregate_new(NULL);
    char *err = NULL;
    assert_int_equal(scw_state_load(back, path, &err), 0);
    assert_null(err);
    assert_int_equal(scw_aggregate_n_workloads(back), 2);
    const struct scw_agg_entry *e = find(back, "docker:abc123", 90);
    assert_non_null(e);
    assert_int_equal(e->count, 5);
    assert_int_equal(e->first_sec, 1795875800);
    assert_int_equal(e->first_msec, 250);
    assert_int_equal(e->last_sec, 1795875804);
    assert_int_equal(e->n_pids, 2);
    assert_int_equal(e->n_exes, 1);
    assert_string_equal(scw_aggregate_string(back, e->exes[0]), "/usr/sbin/nginx");
    const struct scw_workload *w = scw_aggregate_workload_at(back, e->workload);
    assert_non_null(w->container);
    assert_string_equal(w->container->image, "nginx:1.25");
    assert_string_equal(w->container->name, "web");
    assert_null(w->container->pod);
    assert_int_equal(scw_aggregate_stats(back)->seccomp, 6);
    assert_int_equal(scw_aggregate_stats(back)->lost, 3);

    /* loading again merges: counts add up, pid sets union */
    assert_int_equal(scw_state_load(back, path, &err), 0);
    e = find(back, "docker:abc123", 90);
    assert_int_equal(e->count, 10);
    assert_int_equal(e->n_pids, 2);
    assert_int_equal(scw_aggregate_stats(back)->seccomp, 12);

    scw_aggregate_free(agg);
    scw_aggregate_free(back);
    scw_test_rmtree(dir);
    free(path);
    free(dir);
}

static void test_corrupt_and_foreign(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/state.json", dir);
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    char *err = NULL;

    assert_int_equal(scw_state_load(agg, path, &err), -ENOENT);

    scw_test_write_file(path, "{\"format\": \"scmpwatch-state\",\n \"workloads\": [", 45);
    assert_int_equal(scw_state_load(agg, path, &err), -EINVAL);
    assert_non_null(err);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, ":2:")); /* line of the error */
    free(err);
    err = NULL;

    scw_test_write_file(path, "{\"hello\": 1}", 12);
    assert_int_equal(scw_state_load(agg, path, &err), -EINVAL);
    assert_non_null(strstr(err, "not a scmpwatch state file"));
    free(err);
    err = NULL;

    static const char bad_entry[] =
        "{\"format\":\"scmpwatch-state\",\"version\":1,\"workloads\":[{\"key\":\"x\","
        "\"entries\":[{\"arch\":\"no\",\"syscall\":1,\"code\":0,\"count\":1}]}]}";
    scw_test_write_file(path, bad_entry, sizeof(bad_entry) - 1);
    assert_int_equal(scw_state_load(agg, path, &err), -EINVAL);
    assert_non_null(strstr(err, "entry 0"));
    free(err);
    err = NULL;

    char *moved = scw_state_quarantine(path);
    assert_non_null(moved);
    assert_non_null(strstr(moved, ".corrupt-"));
    size_t len;
    char *data = scw_test_read_file(moved, &len);
    assert_non_null(data);
    assert_int_equal(len, sizeof(bad_entry) - 1);
    free(data);
    free(moved);
    scw_aggregate_free(agg);
    scw_test_rmtree(dir);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_corrupt_and_foreign),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
