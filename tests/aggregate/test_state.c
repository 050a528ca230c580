/*
 * test_state: snapshots round-trip exactly (counts, times, pids, executables, containers,
 * input accounting), merge on load adds to what is there, and corrupt or foreign files are
 * refused with a message naming the file (and line:column for JSON errors). The loader reads
 * the document one workload at a time: any layout and member order the writer could produce,
 * a pipe as well as a file, and a message for what is out of place. Version 2 records the
 * nodes: their counters, observation and saved_at round-trip exactly, a live watcher's node
 * is stamped at each save, a version 1 file loads as one unnamed node. Time buckets: the
 * grid and every entry's buckets round-trip exactly (trailing zeros left out of the file), a
 * state from before buckets loads with its events counted and in no bucket, and bad buckets
 * are refused with file:line:column and what is wrong.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
    assert_int_equal(scw_aggregate_set_self(agg, "node-a", 0), 0);
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

#define ENTRY                                                                                      \
    "{\"arch\":3221225534,\"syscall\":90,\"code\":2147221504,\"count\":4,"                         \
    "\"first\":[1,0],\"last\":[2,0],\"pids\":[1],\"exes\":[\"/x\"]}"

/* Loads text as a state file; returns the error (or NULL) and the aggregate's seccomp total. */
static char *load_text(const char *path, const char *text, int *ret_rc, uint64_t *ret_seccomp,
                       size_t *ret_workloads)
{
    scw_test_write_file(path, text, strlen(text));
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    char *err = NULL;
    *ret_rc = scw_state_load(agg, path, &err);
    *ret_seccomp = scw_aggregate_stats(agg)->seccomp;
    *ret_workloads = scw_aggregate_n_workloads(agg);
    scw_aggregate_free(agg);
    return err;
}

static void test_layouts(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/state.json", dir);
    static const struct {
        const char *name, *text, *error; /* error: NULL when it loads, else a part of it */
        uint64_t seccomp;
        size_t workloads;
    } cases[] = {
        {"pretty, members reordered, unknown member",
         "{\n  \"version\" : 1 ,\r\n  \"format\": \"scmpwatch-state\",\n  \"future\": {\"x\": "
         "[1]},\n"
         "  \"input\": {\"seccomp\": 7},\n  \"workloads\": [\n    {\"key\": \"a\", \"entries\": "
         "[" ENTRY "]} ,\n    {\"key\": \"b\", \"entries\": []}\n  ]\n}\n",
         NULL, 7, 2},
        {"input after workloads",
         "{\"format\":\"scmpwatch-state\",\"version\":1,\"workloads\":[],"
         "\"input\":{\"seccomp\":3}}",
         NULL, 3, 0},
        {"no workloads", "{\"format\":\"scmpwatch-state\",\"version\":1}",
         "not a scmpwatch state file", 0, 0},
        {"empty object", "{}", "not a scmpwatch state file", 0, 0},
        {"empty file", "", ":1:1: the file ends too early", 0, 0},
        {"workloads before version",
         "{\"format\":\"scmpwatch-state\",\n\"workloads\":[],\"version\":1}",
         ":2:1: not a scmpwatch state file (\"format\" and \"version\" must come before", 0, 0},
        {"twice",
         "{\"format\":\"scmpwatch-state\",\"version\":1,\"format\":\"x\",\"workloads\":[]}",
         ":1:41: \"format\" appears twice", 0, 0},
        {"trailing", "{\"format\":\"scmpwatch-state\",\"version\":1,\"workloads\":[]}\n[]",
         ":2:1: data after the end of the state document", 0, 0},
        {"workload not an object",
         "{\"format\":\"scmpwatch-state\",\"version\":1,\"workloads\":[{\"key\":\"a\",\"entries\":["
         "]},7]}",
         ":1:79: expected a workload object", 0, 0},
        {"missing comma",
         "{\"format\":\"scmpwatch-state\",\"version\":1,\"workloads\":[{\"key\":\"a\",\"entries\":["
         "]}"
         " {\"key\":\"b\",\"entries\":[]}]}",
         ":1:79: expected ',' or ']' after a workload", 0, 0},
        {"duplicate key inside a workload",
         "{\"format\":\"scmpwatch-state\",\"version\":1,\"workloads\":[{\"key\":\"a\",\"key\":"
         "\"b\","
         "\"entries\":[]}]}",
         "duplicate object key", 0, 0},
        {"version is a string",
         "{\"format\":\"scmpwatch-state\",\"version\":\"1\",\"workloads\":[]}",
         "state file version -1, this scmpwatch reads versions 1 to 2", 0, 0},
        {"version from the future",
         "{\"format\":\"scmpwatch-state\",\"version\":3,\"workloads\":[]}",
         "state file version 3, written by a newer scmpwatch; this one reads versions 1 to 2: "
         "upgrade scmpwatch",
         0, 0},
        {"version 2 without nodes",
         "{\"format\":\"scmpwatch-state\",\"version\":2,\"workloads\":[]}",
         ":1:41: \"nodes\" must come before \"workloads\"", 0, 0},
        {"version 2, a workload of no node",
         "{\"format\":\"scmpwatch-state\",\"version\":2,\"nodes\":[{\"name\":\"a\"}],"
         "\"workloads\":[{\"key\":\"k\",\"node\":1,\"entries\":[]}]}",
         "workload 'k' names no node", 0, 0},
        {"version 2, a node twice",
         "{\"format\":\"scmpwatch-state\",\"version\":2,\"nodes\":[{\"name\":\"a\"},"
         "{\"name\":\"a\"}],\"workloads\":[]}",
         "a node appears twice", 0, 0},
        {"version 2, two nodes",
         "{\"format\":\"scmpwatch-state\",\"version\":2,\"nodes\":[{\"name\":\"a\",\"input\":"
         "{\"seccomp\":4}},{\"name\":\"b\",\"input\":{\"seccomp\":3}}],\"workloads\":[{\"key\":"
         "\"k\",\"node\":1,\"entries\":[" ENTRY "]},{\"key\":\"k\",\"node\":0,\"entries\":[]}]}",
         NULL, 7, 2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *text = cases[i].text;
        int rc;
        uint64_t seccomp;
        size_t workloads;
        char *err = load_text(path, text, &rc, &seccomp, &workloads);
        if (cases[i].error) {
            if (rc != -EINVAL || !err || !strstr(err, path) || !strstr(err, cases[i].error))
                fail_msg("%s: rc %d, error '%s', want '%s'", cases[i].name, rc, err ? err : "-",
                         cases[i].error);
        } else if (rc != 0 || err || seccomp != cases[i].seccomp ||
                   workloads != cases[i].workloads) {
            fail_msg("%s: rc %d, error '%s', seccomp %llu, workloads %zu", cases[i].name, rc,
                     err ? err : "-", (unsigned long long)seccomp, workloads);
        }
        free(err);
    }
    free(path);
    scw_test_rmtree(dir);
    free(dir);
}

/* Kept profiles are found beside the state that was loaded, whatever the working directory. */
static void test_kept_profile_paths(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/node-a/state.json", dir);
    char *sub = scw_test_asprintf("%s/node-a", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    char *kept_dir = scw_test_asprintf("%s/state.json.profiles", sub);
    assert_int_equal(mkdir(kept_dir, 0700), 0);
    char *copy = scw_test_asprintf("%s/00bb.json", kept_dir);
    scw_test_write_file(copy, "{}", 2); /* the copy collected with the state */
    free(copy);
    free(kept_dir);
    static const struct {
        const char *kept, *want; /* want: NULL = dir/node-a/ + kept as is; "=" = unchanged */
    } cases[] = {
        {"state.json.profiles/00aa.json", NULL}, /* beside the state */
        {"node-a/state.json.profiles/00aa.json", "state.json.profiles/00aa.json"}, /* old form */
        {"../x/state.json.profiles/00aa.json", "state.json.profiles/00aa.json"},
        {"copies/00aa.json", NULL},   /* any other relative path */
        {"/srv/kept/00aa.json", "="}, /* absolute */
        /* absolute, as a watcher with --state /var/lib/... writes it: beside the collected
         * state when the copy travelled with it (see below), else as it is */
        {"/var/lib/scmpwatch/state.json.profiles/00bb.json", "state.json.profiles/00bb.json"},
        {"/var/lib/scmpwatch/state.json.profiles/00cc.json", "="},
        {"other.json.profiles/00aa.json", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = scw_test_asprintf(
            "{\"format\":\"scmpwatch-state\",\"version\":1,\"workloads\":[{\"key\":"
            "\"docker:a\",\"container\":{\"runtime\":\"docker\",\"id\":\"a\","
            "\"profile_kept\":\"%s\"},\"entries\":[" ENTRY "]}]}",
            cases[i].kept);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        struct scw_aggregate *agg = scw_aggregate_new(NULL);
        char *err = NULL;
        assert_int_equal(scw_state_load(agg, path, &err), 0);
        const struct scw_workload *w = scw_aggregate_workload_at(agg, 0);
        assert_non_null(w);
        assert_non_null(w->container);
        char *want = !cases[i].want ? scw_test_asprintf("%s/node-a/%s", dir, cases[i].kept)
                     : strcmp(cases[i].want, "=") == 0
                         ? scw_test_asprintf("%s", cases[i].kept)
                         : scw_test_asprintf("%s/node-a/%s", dir, cases[i].want);
        if (!w->container->profile_kept || strcmp(w->container->profile_kept, want) != 0)
            fail_msg("kept '%s': got '%s', want '%s'", cases[i].kept,
                     w->container->profile_kept ? w->container->profile_kept : "(null)", want);
        free(want);
        free(err);
        free(text);
        scw_aggregate_free(agg);
    }
    free(sub);
    free(path);
    scw_test_rmtree(dir);
    free(dir);
}

/* A state given through a pipe (not mapped: read into memory) loads the same. */
static void test_pipe(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *fifo = scw_test_asprintf("%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    static const char text[] =
        "{\"format\":\"scmpwatch-state\",\"version\":1,\"input\":{\"seccomp\":"
        "5},\"workloads\":[{\"key\":\"a\",\"entries\":[" ENTRY "]}]}";
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *f = fopen(fifo, "w");
        for (size_t i = 0; f && i + 1 < sizeof(text); i++) { /* many short reads */
            fputc(text[i], f);
            fflush(f);
        }
        _exit(f ? 0 : 1);
    }
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    char *err = NULL;
    assert_int_equal(scw_state_load(agg, fifo, &err), 0);
    assert_null(err);
    assert_int_equal(scw_aggregate_stats(agg)->seccomp, 5);
    assert_int_equal(scw_aggregate_n_workloads(agg), 1);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    scw_aggregate_free(agg);
    free(fifo);
    scw_test_rmtree(dir);
    free(dir);
}

/* Nodes round-trip: names, counters per node, observation, the node of each workload. */
static void test_nodes_round_trip(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/state.json", dir);
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int b = scw_aggregate_node(agg, "node-b");
    struct scw_input_stats sb = {.lines = 40, .seccomp = 30, .lost = 2, .kernel_lost = 9};
    struct scw_agg_drops db = {.entries = 4};
    scw_aggregate_node_add(agg, (uint32_t)b, &sb, &db, 500, 600, 650);
    int wb = scw_aggregate_workload_on(agg, (uint32_t)b, "docker:abc123", NULL);
    struct scw_record r = rec(90, 550, 1, "/x");
    assert_int_equal(scw_aggregate_add(agg, (uint32_t)wb, &r), 0);
    /* this watcher: node-a, live since 1000; counts 6 events of the same container id */
    assert_int_equal(scw_aggregate_set_self(agg, "node-a", 1000), 1);
    int wa = scw_aggregate_workload(agg, "docker:abc123", NULL);
    assert_true(wa >= 0 && wa != wb);
    for (int i = 0; i < 6; i++)
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)wa, &r), 0);
    scw_aggregate_stats(agg)->seccomp += 6;
    time_t before = time(NULL);
    assert_int_equal(scw_state_save(agg, path), 0);

    struct scw_aggregate *back = scw_aggregate_new(NULL);
    char *err = NULL;
    assert_int_equal(scw_state_load(back, path, &err), 0);
    assert_int_equal(scw_aggregate_n_nodes(back), 2);
    assert_int_equal(scw_aggregate_n_workloads(back), 2);
    const struct scw_agg_node *nb = scw_aggregate_node_at(back, 0);
    const struct scw_agg_node *na = scw_aggregate_node_at(back, 1);
    assert_string_equal(nb->name, "node-b");
    assert_string_equal(na->name, "node-a");
    assert_string_equal(na->source, path);
    assert_int_equal(nb->saved_at, 650);
    assert_true(na->saved_at >= before); /* stamped: live */
    struct scw_input_stats st;
    struct scw_agg_drops d;
    scw_aggregate_node_counters(back, 0, &st, &d);
    assert_int_equal(st.lines, 40);
    assert_int_equal(st.seccomp, 30);
    assert_int_equal(st.lost, 2);
    assert_int_equal(st.kernel_lost, 9);
    assert_int_equal(d.entries, 4);
    scw_aggregate_node_counters(back, 1, &st, &d);
    assert_int_equal(st.seccomp, 6);
    assert_int_equal(d.entries, 0);
    assert_int_equal(scw_aggregate_stats(back)->seccomp, 36);
    assert_int_equal(scw_aggregate_drops(back)->entries, 4);
    int64_t from, to;
    scw_aggregate_node_observed(back, 1, &from, &to);
    assert_int_equal(from, 550); /* its records reach back before the watcher started */
    assert_true(to >= before);
    scw_aggregate_node_observed(back, 0, &from, &to);
    assert_int_equal(from, 500);
    assert_int_equal(to, 600);
    for (size_t i = 0; i < 2; i++) {
        const struct scw_workload *w = scw_aggregate_workload_at(back, i);
        assert_int_equal(w->events, w->node == 0 ? 1 : 6);
    }
    /* the watcher of node-a restarting on it: its node, and node-b's kept apart */
    assert_int_equal(scw_aggregate_set_self(back, "node-a", 2000), 1);
    assert_int_equal(scw_aggregate_workload(back, "docker:abc123", NULL),
                     (int)(scw_aggregate_workload_at(back, 0)->node == 1 ? 0 : 1));
    scw_aggregate_free(back);
    scw_aggregate_free(agg);

    /* a version 1 file: one unnamed node, labelled with the file; loaded twice, two nodes */
    static const char v1[] = "{\"format\":\"scmpwatch-state\",\"version\":1,\"saved_at\":77,"
                             "\"input\":{\"seccomp\":2,\"lost\":1,\"dropped_at_bounds\":{"
                             "\"entries\":3}},\"workloads\":[{\"key\":\"a\",\"entries\":[]}]}";
    scw_test_write_file(path, v1, sizeof(v1) - 1);
    back = scw_aggregate_new(NULL);
    assert_int_equal(scw_state_load(back, path, &err), 0);
    assert_int_equal(scw_state_load(back, path, &err), 0);
    assert_int_equal(scw_aggregate_n_nodes(back), 2);
    assert_int_equal(scw_aggregate_n_workloads(back), 2);
    char *label = scw_test_asprintf("(%s)", path);
    assert_null(scw_aggregate_node_at(back, 0)->name);
    assert_string_equal(scw_aggregate_node_at(back, 0)->label, label);
    assert_int_equal(scw_aggregate_node_at(back, 0)->saved_at, 77);
    scw_aggregate_node_counters(back, 0, &st, &d);
    assert_int_equal(st.lost, 1);
    assert_int_equal(d.entries, 3);
    assert_int_equal(scw_aggregate_stats(back)->seccomp, 4);
    free(label);
    scw_aggregate_free(back);
    /* its watcher takes it as its own: the workload is found again on self */
    back = scw_aggregate_new(NULL);
    assert_int_equal(scw_state_load(back, path, &err), 0);
    assert_int_equal(scw_aggregate_set_self(back, "node-a", 5), 0);
    assert_int_equal(scw_aggregate_workload(back, "a", NULL), 0);
    scw_aggregate_free(back);
    free(path);
    scw_test_rmtree(dir);
    free(dir);
}

#define HEAD "{\"format\":\"scmpwatch-state\",\"version\":2,\"nodes\":[{\"name\":\"n\"}],"
#define WL   "\"workloads\":[{\"key\":\"a\",\"node\":0,\"entries\":["
#define BENTRY_OPEN(b)                                                                             \
    "{\"arch\":3221225534,\"syscall\":90,\"code\":2147221504,\"count\":4,"                         \
    "\"first\":[1795875800,0],\"last\":[1795875801,0]" b "}]}]"
#define BENTRY(b) BENTRY_OPEN(b) "}"

static void test_buckets_round_trip(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/state.json", dir);
    struct scw_aggregate *agg = sample(); /* seconds 1795875800..04 and 1795875900 */
    const struct scw_agg_grid *g = scw_aggregate_grid(agg);
    assert_int_equal(g->width, 8);
    assert_int_equal(g->origin, 1795875800);
    assert_int_equal(scw_state_save(agg, path), 0);
    char *text = scw_test_read_file(path, NULL);
    assert_non_null(strstr(text, "\"buckets\":{\"origin\":1795875800,\"width\":8},\"workloads\""));
    assert_non_null(strstr(text, "\"buckets\":[5]}")); /* trailing zeros left out */
    assert_non_null(strstr(text, "\"buckets\":[0,0,0,0,0,0,0,0,0,0,0,0,1]}")); /* second 900 */
    free(text);
    struct scw_aggregate *back = scw_aggregate_new(NULL);
    char *err = NULL;
    assert_int_equal(scw_state_load(back, path, &err), 0);
    assert_int_equal(scw_aggregate_grid(back)->width, 8);
    assert_int_equal(scw_aggregate_grid(back)->origin, 1795875800);
    for (size_t i = 0; i < scw_aggregate_n_entries(agg); i++) {
        const struct scw_agg_entry *a = scw_aggregate_entry_at(agg, i);
        const struct scw_agg_entry *b =
            find(back, scw_aggregate_workload_at(agg, a->workload)->key, a->syscall);
        assert_memory_equal(a->buckets, b->buckets, sizeof(a->buckets));
    }
    scw_aggregate_free(agg);
    scw_aggregate_free(back);
    scw_test_rmtree(dir);
    free(path);
    free(dir);
}

/* A state written before buckets: counted, in no bucket; new events then have a time. */
static void test_buckets_old_state(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/state.json", dir);
    static const char *const docs[] = {
        "{\"format\":\"scmpwatch-state\",\"version\":1,\"workloads\":[{\"key\":\"a\","
        "\"entries\":[" ENTRY "]}]}",
        HEAD WL BENTRY(""),
    };
    for (size_t i = 0; i < 2; i++) {
        scw_test_write_file(path, docs[i], strlen(docs[i]));
        struct scw_aggregate *agg = scw_aggregate_new(NULL);
        char *err = NULL;
        assert_int_equal(scw_state_load(agg, path, &err), 0);
        assert_null(err);
        const struct scw_agg_entry *e = scw_aggregate_entry_at(agg, 0);
        assert_int_equal(e->count, 4);
        assert_int_equal(scw_agg_buckets_sum(e->buckets, SCW_ENTRY_BUCKETS), 0);
        assert_int_equal(scw_aggregate_grid(agg)->width, 0);
        struct scw_record r = rec(90, 1795875800, 0, "/x");
        r.ts_msec = 0;
        assert_int_equal(scw_aggregate_add(agg, e->workload, &r), 0);
        e = scw_aggregate_entry_at(agg, 0);
        assert_int_equal(e->count, 5);
        assert_int_equal(scw_agg_buckets_sum(e->buckets, SCW_ENTRY_BUCKETS), 1); /* 4 untimed */
        free(err);
        scw_aggregate_free(agg);
    }
    scw_test_rmtree(dir);
    free(path);
    free(dir);
}

/* Bad grids and buckets: refused, named with file:line:column and what is wrong. */
static void test_buckets_bad(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *path = scw_test_asprintf("%s/state.json", dir);
    static const struct {
        const char *text, *where, *what;
    } cases[] = {
        {HEAD "\"buckets\":{\"origin\":1795875800,\"width\":-8}," WL BENTRY(""),
         ":1:64:", "\"width\" of \"buckets\" must be a power of two"},
        {HEAD "\"buckets\":{\"origin\":1795875800,\"width\":12}," WL BENTRY(""),
         ":1:64:", "power of two"},
        {HEAD "\"buckets\":{\"origin\":0,\"width\":137438953472}," WL BENTRY(""),
         ":1:64:", "power of two from 1 to 2^36"},
        {HEAD "\"buckets\":{\"origin\":1795875801,\"width\":8}," WL BENTRY(""),
         ":1:64:", "must be a multiple of its \"width\""},
        {HEAD "\"buckets\":{\"origin\":-8,\"width\":8}," WL BENTRY(""),
         ":1:64:", "\"origin\" of \"buckets\" must be a time"},
        {HEAD "\"buckets\":{\"origin\":1795875800}," WL BENTRY(""),
         ":1:64:", "must be {\"origin\": SECONDS, \"width\": SECONDS}"},
        {HEAD "\"buckets\":[1]," WL BENTRY(""), ":1:64:", "must be {\"origin\""},
        {HEAD
         "\"buckets\":{\"origin\":8,\"width\":8},\"buckets\":{\"origin\":8,\"width\":8}," WL BENTRY(
             ""),
         ":1:97:", "\"buckets\" appears twice"},
        {HEAD WL BENTRY_OPEN("") ",\"buckets\":{\"origin\":8,\"width\":8}}",
         ":1:217:", "\"buckets\" must come before \"workloads\""},
        {HEAD "\"buckets\":{\"origin\":1795875800,\"width\":8}," WL BENTRY(
             ",\"buckets\":[1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]"),
         ":1:119:", "workload 'a' entry 0: \"buckets\" has more than 16 counts"},
        {HEAD "\"buckets\":{\"origin\":1795875800,\"width\":8}," WL BENTRY(",\"buckets\":[3,2]"),
         ":1:119:", "entry 0: the \"buckets\" add up to more than \"count\""},
        {HEAD "\"buckets\":{\"origin\":1795875800,\"width\":8}," WL BENTRY(",\"buckets\":[1,-1]"),
         ":1:119:", "a count of \"buckets\" is not a number"},
        {HEAD "\"buckets\":{\"origin\":1795875800,\"width\":8}," WL BENTRY(",\"buckets\":{}"),
         ":1:119:", "\"buckets\" must be a list of counts"},
        {HEAD WL BENTRY(",\"buckets\":[0,1]"),
         ":1:77:", "\"buckets\" holds counts, but no \"buckets\" grid comes before \"workloads\""},
        {HEAD
         "\"buckets\":{\"origin\":1099511627760,\"width\":16}," WL BENTRY(",\"buckets\":[1,1]"),
         ":1:123:", "past the grid's last time"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *text = cases[i].text;
        scw_test_write_file(path, text, strlen(text));
        struct scw_aggregate *agg = scw_aggregate_new(NULL);
        char *err = NULL;
        assert_int_equal(scw_state_load(agg, path, &err), -EINVAL);
        assert_non_null(err);
        if (!strstr(err, path) || !strstr(err, cases[i].where) || !strstr(err, cases[i].what))
            fail_msg("case %zu: %s", i, err);
        free(err);
        scw_aggregate_free(agg);
    }
    scw_test_rmtree(dir);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_corrupt_and_foreign),
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_pipe),
        cmocka_unit_test(test_kept_profile_paths),
        cmocka_unit_test(test_nodes_round_trip),
        cmocka_unit_test(test_buckets_round_trip),
        cmocka_unit_test(test_buckets_old_state),
        cmocka_unit_test(test_buckets_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
