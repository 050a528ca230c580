/*
 * test_attribute: the pid cache against a fake procfs (a temp dir with PID/cgroup files):
 * first sight reads /proc once, hits read nothing, a forked child that is gone before its
 * first record inherits its parent's container, exec re-reads the cgroup (a runtime moved the
 * process), pid reuse through fork, exited pids evicted after their ttl, the root cgroup and
 * vanished processes counted as unattributed, and no empty workloads for processes that never
 * made a record.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include "attribute.h"
#include "runtime_meta.h"

static char *proc;

static void set_cgroup(int pid, const char *path)
{
    char *dir = scw_test_asprintf("%s/%d", proc, pid);
    mkdir(dir, 0755);
    char *file = scw_test_asprintf("%s/cgroup", dir);
    char *text = scw_test_asprintf("12:pids:%s\n1:name=systemd:%s\n0::%s\n", path, path, path);
    scw_test_write_file(file, text, strlen(text));
    free(text);
    free(file);
    free(dir);
}

static void gone(int pid)
{
    char *file = scw_test_asprintf("%s/%d/cgroup", proc, pid);
    unlink(file);
    free(file);
}

static struct scw_record rec(int pid, const char *exe)
{
    struct scw_record r;
    memset(&r, 0, sizeof(r));
    r.pid = pid;
    r.arch = 0xc000003e;
    r.syscall = 90;
    r.code = 0x7ffc0000;
    snprintf(r.exe, sizeof(r.exe), "%s", exe);
    return r;
}

static const char *key_of(struct scw_aggregate *agg, int w)
{
    assert_true(w >= 0);
    return scw_aggregate_workload_at(agg, (size_t)w)->key;
}

#define D1 "1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "2222222222222222222222222222222222222222222222222222222222222222"

static void test_cache_fork_exec_exit(void **state)
{
    (void)state;
    proc = scw_test_mkdtemp();
    struct scw_meta_roots roots = {0}; /* no runtime state: names from cgroups only */
    struct scw_attr_opts o = {.proc_root = proc, .meta_roots = &roots, .exited_ttl_sec = 1};
    struct scw_attr *a;
    assert_int_equal(scw_attr_new(&o, &a), 0);
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    scw_attr_set_aggregate(a, agg);
    struct scw_attr_stats st;

    /* first sight: one read; then hits */
    set_cgroup(100, "/docker/" D1);
    struct scw_record r = rec(100, "/bin/sh");
    int w = scw_attr_resolve(a, agg, &r);
    assert_string_equal(key_of(agg, w), "docker:" D1);
    const struct scw_workload *wl = scw_aggregate_workload_at(agg, (size_t)w);
    assert_string_equal(wl->container->runtime, "docker");
    assert_string_equal(wl->container->id, D1);
    assert_int_equal(scw_attr_resolve(a, agg, &r), w);
    assert_int_equal(scw_attr_resolve(a, agg, &r), w);
    scw_attr_stats(a, &st);
    assert_int_equal(st.proc_reads, 1);
    assert_int_equal(st.hits, 2);

    /* fork: the child exits before its first record is read; its parent's container holds */
    struct scw_proc_event ev = {.kind = SCW_PROC_FORK, .pid = 101, .tid = 101, .parent_pid = 100};
    scw_attr_proc_event(a, &ev);
    r = rec(101, "/bin/chmod");
    assert_int_equal(scw_attr_resolve(a, agg, &r), w);
    scw_attr_stats(a, &st);
    assert_int_equal(st.proc_reads, 1); /* no read for the child */
    assert_int_equal(st.via_fork, 1);

    /* a thread creation is not a new process */
    ev = (struct scw_proc_event){.kind = SCW_PROC_FORK, .pid = 100, .tid = 105, .parent_pid = 100};
    scw_attr_proc_event(a, &ev);
    scw_attr_stats(a, &st);
    assert_int_equal(st.via_fork, 1);

    /* a runtime forks (child in its own cgroup), moves the child, the child execs */
    set_cgroup(200, "/system.slice/containerd.service");
    ev = (struct scw_proc_event){.kind = SCW_PROC_FORK, .pid = 201, .tid = 201, .parent_pid = 200};
    set_cgroup(201, "/system.slice/containerd.service");
    scw_attr_proc_event(a, &ev);
    set_cgroup(201, "/system.slice/docker-" D2 ".scope");
    ev = (struct scw_proc_event){.kind = SCW_PROC_EXEC, .pid = 201, .tid = 201};
    scw_attr_proc_event(a, &ev);
    gone(201); /* and is gone before its record is read */
    r = rec(201, "/app");
    int w2 = scw_attr_resolve(a, agg, &r);
    assert_string_equal(key_of(agg, w2), "docker:" D2);
    /* the runtime's own cgroup never made a record: no workload for it */
    for (size_t i = 0; i < scw_aggregate_n_workloads(agg); i++)
        assert_null(strstr(scw_aggregate_workload_at(agg, i)->key, "containerd.service"));

    /* vanished without any event seen, and the root cgroup: unattributed, by executable */
    r = rec(300, "/usr/bin/ghost");
    int w3 = scw_attr_resolve(a, agg, &r);
    assert_string_equal(key_of(agg, w3), "exe:/usr/bin/ghost");
    set_cgroup(301, "/");
    r = rec(301, "/usr/bin/rooted");
    assert_string_equal(key_of(agg, scw_attr_resolve(a, agg, &r)), "exe:/usr/bin/rooted");
    assert_int_equal(scw_aggregate_stats(agg)->unattributed, 2);

    /* host service */
    set_cgroup(400, "/system.slice/nginx.service");
    r = rec(400, "/usr/sbin/nginx");
    assert_string_equal(key_of(agg, scw_attr_resolve(a, agg, &r)), "unit:nginx.service");

    /* exit, ttl, eviction; then pid reuse by a fork re-reads */
    ev = (struct scw_proc_event){.kind = SCW_PROC_EXIT, .pid = 100, .tid = 100};
    scw_attr_proc_event(a, &ev);
    scw_attr_tick(a, 1000000); /* far in the future: past the ttl */
    scw_attr_stats(a, &st);
    assert_true(st.evicted >= 1);
    set_cgroup(100, "/docker/" D2);
    ev = (struct scw_proc_event){.kind = SCW_PROC_FORK, .pid = 100, .tid = 100, .parent_pid = 1};
    scw_attr_proc_event(a, &ev);
    r = rec(100, "/bin/sh");
    assert_string_equal(key_of(agg, scw_attr_resolve(a, agg, &r)), "docker:" D2);

    scw_attr_free(a);
    scw_aggregate_free(agg);
    scw_test_rmtree(proc);
    free(proc);
}

/* Evicting many exited pids in place keeps every live one findable (probe chains intact). */
static void test_sweep_keeps_chains(void **state)
{
    (void)state;
    proc = scw_test_mkdtemp();
    struct scw_meta_roots roots = {0};
    struct scw_attr_opts o = {.proc_root = proc,
                              .meta_roots = &roots,
                              .exited_ttl_sec = 1,
                              .max_pids = 4096}; /* a small table: long probe chains */
    struct scw_attr *a;
    assert_int_equal(scw_attr_new(&o, &a), 0);
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    scw_attr_set_aggregate(a, agg);
    set_cgroup(1, "/docker/" D1);
    for (int pid = 1000; pid < 4000; pid++) {
        struct scw_proc_event ev = {.kind = SCW_PROC_FORK, .pid = pid, .tid = pid, .parent_pid = 1};
        scw_attr_proc_event(a, &ev);
    }
    struct scw_record r = rec(1, "/bin/sh");
    assert_true(scw_attr_resolve(a, agg, &r) >= 0); /* pid 1 itself: one read */
    for (int pid = 1000; pid < 4000; pid += 2) {
        struct scw_proc_event ev = {.kind = SCW_PROC_EXIT, .pid = pid, .tid = pid};
        scw_attr_proc_event(a, &ev);
    }
    struct scw_attr_stats before, after;
    scw_attr_stats(a, &before);
    scw_attr_tick(a, 1000000);
    scw_attr_stats(a, &after);
    assert_int_equal(after.evicted - before.evicted, 1500);
    assert_int_equal(after.pids, before.pids - 1500);
    for (int pid = 1001; pid < 4000; pid += 2) {
        r = rec(pid, "/bin/sh");
        assert_string_equal(key_of(agg, scw_attr_resolve(a, agg, &r)), "docker:" D1);
    }
    scw_attr_stats(a, &after);
    assert_int_equal(after.proc_reads, before.proc_reads); /* every one a cache hit */
    scw_attr_free(a);
    scw_aggregate_free(agg);
    scw_test_rmtree(proc);
    free(proc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache_fork_exec_exit),
        cmocka_unit_test(test_sweep_keeps_chains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
