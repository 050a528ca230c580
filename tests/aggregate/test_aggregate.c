/*
 * test_aggregate: the counting tables (aggregate.c): exact counts, first/last seen, the
 * executable and pid bounds, the table bounds with their drop counters, string interning,
 * containers, merge, growth past many rehashes, and the report view's ordering. Nodes: the
 * same key on two nodes is two workloads; each node's counters are exact (a loaded node's as
 * its state said plus its own drops, self's the rest, so they add up to the totals); the
 * kernel's lost counter is a node's largest reading and the totals' sum; the watcher adopts
 * its own old unnamed state.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"

#define X86_64  0xc000003eU
#define AARCH64 0xc00000b7U
#define LOG     0x7ffc0000U
#define ERRNO   0x00050000U
#define KILL    0x80000000U

static struct scw_record rec(uint32_t arch, uint32_t nr, uint32_t code, int64_t sec, uint32_t msec,
                             int32_t pid, const char *exe)
{
    struct scw_record r;
    memset(&r, 0, sizeof(r));
    r.arch = arch;
    r.syscall = nr;
    r.code = code;
    r.action = scw_action_from_code(code);
    r.ts_sec = sec;
    r.ts_msec = msec;
    r.pid = pid;
    snprintf(r.exe, sizeof(r.exe), "%s", exe);
    return r;
}

/* The entry for (w, arch, nr, code), or NULL. */
static const struct scw_agg_entry *find(const struct scw_aggregate *agg, uint32_t w, uint32_t arch,
                                        uint32_t nr, uint32_t code)
{
    for (size_t i = 0; i < scw_aggregate_n_entries(agg); i++) {
        const struct scw_agg_entry *e = scw_aggregate_entry_at(agg, i);
        if (e->workload == w && e->arch == arch && e->syscall == nr && e->code == code)
            return e;
    }
    return NULL;
}

static bool has_exe(const struct scw_aggregate *agg, const uint32_t *ids, unsigned n,
                    const char *exe)
{
    for (unsigned i = 0; i < n; i++)
        if (strcmp(scw_aggregate_string(agg, ids[i]), exe) == 0)
            return true;
    return false;
}

static void test_exact_counts(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    assert_non_null(agg);
    int a = scw_aggregate_workload(agg, "exe:/bin/a", NULL);
    int b = scw_aggregate_workload(agg, "exe:/bin/b", NULL);
    assert_int_equal(a, 0);
    assert_int_equal(b, 1);
    assert_int_equal(scw_aggregate_workload(agg, "exe:/bin/a", NULL), a); /* found again */
    /* a: 90/log x7, 90/errno x3, 90 on aarch64 x2; b: 1/log x5 */
    for (int i = 0; i < 7; i++) {
        struct scw_record r = rec(X86_64, 90, LOG, 100 + i, 0, 10, "/bin/a");
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)a, &r), 0);
    }
    for (int i = 0; i < 3; i++) {
        struct scw_record r = rec(X86_64, 90, ERRNO, 200, 0, 10, "/bin/a");
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)a, &r), 0);
    }
    for (int i = 0; i < 2; i++) {
        struct scw_record r = rec(AARCH64, 90, LOG, 300, 0, 11, "/bin/a");
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)a, &r), 0);
    }
    for (int i = 0; i < 5; i++) {
        struct scw_record r = rec(X86_64, 1, LOG, 50, 0, 12, "/bin/b");
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)b, &r), 0);
    }
    assert_int_equal(scw_aggregate_n_workloads(agg), 2);
    assert_int_equal(scw_aggregate_n_entries(agg), 4);
    assert_int_equal(find(agg, 0, X86_64, 90, LOG)->count, 7);
    assert_int_equal(find(agg, 0, X86_64, 90, ERRNO)->count, 3);
    assert_int_equal(find(agg, 0, AARCH64, 90, LOG)->count, 2);
    assert_int_equal(find(agg, 1, X86_64, 1, LOG)->count, 5);
    assert_null(find(agg, 1, X86_64, 90, LOG));
    assert_int_equal(scw_aggregate_workload_at(agg, 0)->events, 12);
    assert_int_equal(scw_aggregate_workload_at(agg, 1)->events, 5);
    assert_string_equal(scw_aggregate_workload_at(agg, 1)->key, "exe:/bin/b");
    assert_null(scw_aggregate_workload_at(agg, 2));
    assert_null(scw_aggregate_entry_at(agg, 4));
    /* a workload index that does not exist */
    struct scw_record r = rec(X86_64, 1, LOG, 1, 0, 1, "/x");
    assert_int_equal(scw_aggregate_add(agg, 2, &r), -EINVAL);
    const struct scw_agg_drops *d = scw_aggregate_drops(agg);
    assert_int_equal(d->workloads + d->entries + d->strings, 0);
    scw_aggregate_free(agg);
    scw_aggregate_free(NULL);
}

static void test_first_last(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "w", NULL);
    /* out of order, same second with different msec, and unknown (0) times ignored */
    const struct {
        int64_t s;
        uint32_t ms;
    } times[] = {{1700000005, 500}, {1700000001, 999}, {0, 0},          {1700000009, 1},
                 {1700000001, 2},   {1700000009, 0},   {1700000009, 1}, {0, 0}};
    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
        struct scw_record r = rec(X86_64, 2, LOG, times[i].s, times[i].ms, 1, "");
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    }
    const struct scw_agg_entry *e = find(agg, 0, X86_64, 2, LOG);
    assert_int_equal(e->count, 8);
    assert_int_equal(e->first_sec, 1700000001);
    assert_int_equal(e->first_msec, 2);
    assert_int_equal(e->last_sec, 1700000009);
    assert_int_equal(e->last_msec, 1);
    const struct scw_workload *wl = scw_aggregate_workload_at(agg, 0);
    assert_int_equal(wl->first_sec, 1700000001);
    assert_int_equal(wl->first_msec, 2);
    assert_int_equal(wl->last_sec, 1700000009);
    assert_int_equal(wl->last_msec, 1);
    /* an entry that only ever saw unknown times keeps 0 (reported as null) */
    struct scw_record r = rec(X86_64, 3, LOG, 0, 0, 1, "");
    scw_aggregate_add(agg, (uint32_t)w, &r);
    e = find(agg, 0, X86_64, 3, LOG);
    assert_int_equal(e->first_sec, 0);
    assert_int_equal(e->last_sec, 0);
    /* no exe: nothing interned */
    assert_int_equal(e->n_exes, 0);
    assert_int_equal(wl->n_exes, 0);
    scw_aggregate_free(agg);
}

static void test_exe_bounds(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "container", NULL);
    char exe[32];
    /* entry bound: SCW_ENTRY_EXES distinct, then truncated; repeats do not count */
    for (int i = 0; i < SCW_ENTRY_EXES; i++) {
        snprintf(exe, sizeof(exe), "/bin/e%d", i);
        struct scw_record r = rec(X86_64, 5, LOG, 1, 0, 1, exe);
        scw_aggregate_add(agg, (uint32_t)w, &r);
        scw_aggregate_add(agg, (uint32_t)w, &r);
    }
    const struct scw_agg_entry *e = find(agg, 0, X86_64, 5, LOG);
    assert_int_equal(e->n_exes, SCW_ENTRY_EXES);
    assert_false(e->exes_truncated);
    struct scw_record r = rec(X86_64, 5, LOG, 1, 0, 1, "/bin/one-too-many");
    scw_aggregate_add(agg, (uint32_t)w, &r);
    e = find(agg, 0, X86_64, 5, LOG);
    assert_int_equal(e->n_exes, SCW_ENTRY_EXES);
    assert_true(e->exes_truncated);
    assert_false(has_exe(agg, e->exes, e->n_exes, "/bin/one-too-many"));
    assert_true(has_exe(agg, e->exes, e->n_exes, "/bin/e0"));
    /* the workload has its own, larger bound: it still took the ninth */
    const struct scw_workload *wl = scw_aggregate_workload_at(agg, 0);
    assert_int_equal(wl->n_exes, SCW_ENTRY_EXES + 1);
    assert_true(has_exe(agg, wl->exes, wl->n_exes, "/bin/one-too-many"));
    assert_false(wl->exes_truncated);
    /* fill the workload bound through other syscalls */
    for (int i = 0; i < 2 * SCW_WORKLOAD_EXES; i++) {
        snprintf(exe, sizeof(exe), "/usr/bin/w%d", i);
        struct scw_record r2 = rec(X86_64, (uint32_t)(100 + i), LOG, 1, 0, 1, exe);
        scw_aggregate_add(agg, (uint32_t)w, &r2);
    }
    wl = scw_aggregate_workload_at(agg, 0);
    assert_int_equal(wl->n_exes, SCW_WORKLOAD_EXES);
    assert_true(wl->exes_truncated);
    /* each of those entries has exactly its one executable */
    e = find(agg, 0, X86_64, 100 + 2 * SCW_WORKLOAD_EXES - 1, LOG);
    assert_int_equal(e->n_exes, 1);
    assert_string_equal(scw_aggregate_string(agg, e->exes[0]), "/usr/bin/w31");
    assert_false(e->exes_truncated);
    scw_aggregate_free(agg);
}

static void test_pid_bounds(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "w", NULL);
    for (int32_t pid = 1; pid <= SCW_ENTRY_PIDS; pid++) {
        struct scw_record r = rec(X86_64, 7, LOG, 1, 0, pid, "");
        scw_aggregate_add(agg, (uint32_t)w, &r);
        scw_aggregate_add(agg, (uint32_t)w, &r); /* same pid again */
    }
    struct scw_record none = rec(X86_64, 7, LOG, 1, 0, -1, ""); /* pid absent */
    scw_aggregate_add(agg, (uint32_t)w, &none);
    const struct scw_agg_entry *e = find(agg, 0, X86_64, 7, LOG);
    assert_int_equal(e->count, 2 * SCW_ENTRY_PIDS + 1);
    assert_int_equal(e->n_pids, SCW_ENTRY_PIDS);
    assert_false(e->pids_truncated);
    struct scw_record again = rec(X86_64, 7, LOG, 1, 0, 3, ""); /* known pid: still not full */
    scw_aggregate_add(agg, (uint32_t)w, &again);
    assert_false(find(agg, 0, X86_64, 7, LOG)->pids_truncated);
    struct scw_record more = rec(X86_64, 7, LOG, 1, 0, 9999, "");
    scw_aggregate_add(agg, (uint32_t)w, &more);
    e = find(agg, 0, X86_64, 7, LOG);
    assert_int_equal(e->n_pids, SCW_ENTRY_PIDS);
    assert_true(e->pids_truncated);
    scw_aggregate_free(agg);
}

static void test_table_bounds(void **state)
{
    (void)state;
    struct scw_agg_limits lim = {.max_workloads = 2, .max_entries = 3, .max_strings = 2};
    struct scw_aggregate *agg = scw_aggregate_new(&lim);
    assert_int_equal(scw_aggregate_workload(agg, "a", NULL), 0);
    assert_int_equal(scw_aggregate_workload(agg, "b", NULL), 1);
    assert_int_equal(scw_aggregate_workload(agg, "c", NULL), -ENOSPC);
    assert_int_equal(scw_aggregate_workload(agg, "d", NULL), -ENOSPC);
    assert_int_equal(scw_aggregate_workload(agg, "a", NULL), 0); /* known ones still found */
    assert_int_equal(scw_aggregate_drops(agg)->workloads, 2);

    struct scw_record r1 = rec(X86_64, 1, LOG, 1, 0, 1, "/e1");
    struct scw_record r2 = rec(X86_64, 2, LOG, 1, 0, 1, "/e2");
    struct scw_record r3 = rec(X86_64, 3, LOG, 1, 0, 1, "/e3");
    struct scw_record r4 = rec(X86_64, 4, LOG, 1, 0, 1, "/e4");
    assert_int_equal(scw_aggregate_add(agg, 0, &r1), 0);
    assert_int_equal(scw_aggregate_add(agg, 0, &r2), 0);
    assert_int_equal(scw_aggregate_add(agg, 1, &r3), 0); /* third string: not recorded */
    assert_int_equal(scw_aggregate_add(agg, 1, &r4), -ENOSPC);
    assert_int_equal(scw_aggregate_add(agg, 1, &r4), -ENOSPC);
    assert_int_equal(scw_aggregate_add(agg, 0, &r1), 0); /* known entry: still counted */
    assert_int_equal(scw_aggregate_n_entries(agg), 3);
    assert_int_equal(find(agg, 0, X86_64, 1, LOG)->count, 2);
    assert_int_equal(scw_aggregate_workload_at(agg, 1)->events, 1); /* the drops are not */
    const struct scw_agg_drops *d = scw_aggregate_drops(agg);
    assert_int_equal(d->entries, 2);
    assert_int_equal(d->strings, 1);
    const struct scw_agg_entry *e3 = find(agg, 1, X86_64, 3, LOG);
    assert_int_equal(e3->count, 1);
    assert_int_equal(e3->n_exes, 0);
    assert_int_equal(scw_aggregate_intern(agg, "/e1", 3), 1); /* known strings still found */
    assert_int_equal(scw_aggregate_intern(agg, "/new", 4), 0);
    scw_aggregate_free(agg);

    /* zero limits mean the defaults */
    struct scw_agg_limits zero = {0};
    agg = scw_aggregate_new(&zero);
    for (int i = 0; i < 300; i++) {
        char key[16];
        snprintf(key, sizeof(key), "w%d", i);
        assert_int_equal(scw_aggregate_workload(agg, key, NULL), i);
    }
    scw_aggregate_free(agg);
}

static void test_intern(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    uint32_t a = scw_aggregate_intern(agg, "/bin/sh", 7);
    uint32_t b = scw_aggregate_intern(agg, "/bin/bash", 9);
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    assert_int_equal(scw_aggregate_intern(agg, "/bin/sh", 7), a);
    assert_int_equal(scw_aggregate_intern(agg, "/bin/shell", 7), a); /* only len bytes */
    assert_int_equal(scw_aggregate_intern(agg, "/bin/s", 6), 3);     /* a prefix is new */
    assert_int_equal(scw_aggregate_intern(agg, "", 0), 4);
    assert_string_equal(scw_aggregate_string(agg, a), "/bin/sh");
    assert_string_equal(scw_aggregate_string(agg, 3), "/bin/s");
    assert_string_equal(scw_aggregate_string(agg, 4), "");
    assert_null(scw_aggregate_string(agg, 0));
    assert_null(scw_aggregate_string(agg, 5));
    /* many strings: ids stay stable across index growth */
    char s[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(s, sizeof(s), "/opt/app%d", i);
        assert_int_equal(scw_aggregate_intern(agg, s, (size_t)n), (uint32_t)(5 + i));
    }
    for (int i = 0; i < 5000; i += 97) {
        int n = snprintf(s, sizeof(s), "/opt/app%d", i);
        assert_int_equal(scw_aggregate_intern(agg, s, (size_t)n), (uint32_t)(5 + i));
        assert_string_equal(scw_aggregate_string(agg, (uint32_t)(5 + i)), s);
    }
    scw_aggregate_free(agg);
}

static void test_containers(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    char id[] = "0123456789abcdef";
    struct scw_container c = {.runtime = "docker", .id = id, .name = "web", .image = "nginx"};
    int w = scw_aggregate_workload(agg, "docker:0123", &c);
    id[0] = 'X'; /* copied, not borrowed */
    const struct scw_workload *wl = scw_aggregate_workload_at(agg, (size_t)w);
    assert_non_null(wl->container);
    assert_string_equal(wl->container->id, "0123456789abcdef");
    assert_string_equal(wl->container->runtime, "docker");
    assert_null(wl->container->pod);
    /* the container is taken on creation only */
    struct scw_container other = {.runtime = "podman"};
    assert_int_equal(scw_aggregate_workload(agg, "docker:0123", &other), w);
    assert_string_equal(scw_aggregate_workload_at(agg, 0)->container->runtime, "docker");
    assert_int_equal(scw_aggregate_set_container(agg, (uint32_t)w, &other), 0);
    assert_string_equal(scw_aggregate_workload_at(agg, 0)->container->runtime, "podman");
    assert_null(scw_aggregate_workload_at(agg, 0)->container->id);
    assert_int_equal(scw_aggregate_set_container(agg, (uint32_t)w, NULL), 0);
    assert_null(scw_aggregate_workload_at(agg, 0)->container);
    assert_int_equal(scw_aggregate_set_container(agg, 7, &other), -EINVAL);
    assert_null(scw_container_dup(NULL));
    scw_container_free(NULL);
    struct scw_container *d = scw_container_dup(&c);
    assert_string_equal(d->name, "web");
    assert_ptr_not_equal(d->name, c.name);
    scw_container_free(d);
    scw_aggregate_free(agg);
}

static void test_merge(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "w", NULL);
    struct scw_record r = rec(X86_64, 9, LOG, 1000, 500, 42, "/bin/a");
    scw_aggregate_add(agg, (uint32_t)w, &r);

    /* merge into the existing entry */
    struct scw_agg_entry in = {.workload = (uint32_t)w,
                               .arch = X86_64,
                               .syscall = 9,
                               .code = LOG,
                               .count = 10,
                               .first_sec = 900,
                               .first_msec = 1,
                               .last_sec = 2000,
                               .last_msec = 2,
                               .n_pids = 2,
                               .pids = {42, 43}};
    const char *exes[] = {"/bin/a", "/bin/b"};
    assert_int_equal(scw_aggregate_merge(agg, &in, exes, 2, NULL), 0);
    const struct scw_agg_entry *e = find(agg, 0, X86_64, 9, LOG);
    assert_int_equal(e->count, 11);
    assert_int_equal(e->first_sec, 900);
    assert_int_equal(e->first_msec, 1);
    assert_int_equal(e->last_sec, 2000);
    assert_int_equal(e->last_msec, 2);
    assert_int_equal(e->n_pids, 2); /* 42 was there already */
    assert_int_equal(e->n_exes, 2);
    assert_true(has_exe(agg, e->exes, e->n_exes, "/bin/b"));
    assert_false(e->exes_truncated);
    assert_false(e->pids_truncated);
    const struct scw_workload *wl = scw_aggregate_workload_at(agg, 0);
    assert_int_equal(wl->events, 11);
    assert_int_equal(wl->first_sec, 900);
    assert_int_equal(wl->last_sec, 2000);
    assert_int_equal(wl->n_exes, 2);

    /* merge a new entry; truncation flags carry over; unknown times stay unknown */
    struct scw_agg_entry in2 = {.workload = (uint32_t)w,
                                .arch = AARCH64,
                                .syscall = 9,
                                .code = KILL,
                                .count = 3,
                                .pids_truncated = true,
                                .exes_truncated = true};
    assert_int_equal(scw_aggregate_merge(agg, &in2, NULL, 0, NULL), 0);
    e = find(agg, 0, AARCH64, 9, KILL);
    assert_int_equal(e->count, 3);
    assert_true(e->pids_truncated);
    assert_true(e->exes_truncated);
    assert_int_equal(e->first_sec, 0);
    assert_int_equal(scw_aggregate_workload_at(agg, 0)->events, 14);
    assert_int_equal(scw_aggregate_workload_at(agg, 0)->first_sec, 900);

    /* merging twice adds twice */
    assert_int_equal(scw_aggregate_merge(agg, &in2, NULL, 0, NULL), 0);
    assert_int_equal(find(agg, 0, AARCH64, 9, KILL)->count, 6);

    /* a workload that does not exist */
    in2.workload = 5;
    assert_int_equal(scw_aggregate_merge(agg, &in2, NULL, 0, NULL), -EINVAL);
    scw_aggregate_free(agg);
}

/* Many workloads and entries: every count survives the index rebuilds. */
static void test_growth(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    const int nw = 300, nsys = 200;
    for (int pass = 0; pass < 2; pass++) {
        for (int w = 0; w < nw; w++) {
            char key[32];
            snprintf(key, sizeof(key), "exe:/w/%d", w);
            int wi = scw_aggregate_workload(agg, key, NULL);
            assert_int_equal(wi, w);
            for (int s = 0; s < nsys; s++) {
                struct scw_record r =
                    rec(X86_64, (uint32_t)s, (s % 3) ? LOG : ERRNO, 1, 0, w, key + 4);
                assert_int_equal(scw_aggregate_add(agg, (uint32_t)wi, &r), 0);
            }
        }
    }
    assert_int_equal(scw_aggregate_n_workloads(agg), nw);
    assert_int_equal(scw_aggregate_n_entries(agg), nw * nsys);
    for (size_t i = 0; i < scw_aggregate_n_entries(agg); i++)
        assert_int_equal(scw_aggregate_entry_at(agg, i)->count, 2);
    for (int w = 0; w < nw; w++)
        assert_int_equal(scw_aggregate_workload_at(agg, (size_t)w)->events, 2 * nsys);
    scw_aggregate_free(agg);
}

static void test_view_order(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    /* workloads: "b" 5 events, "a" 5 events (tie: by key), "c" 9 events, "d" none */
    int b = scw_aggregate_workload(agg, "b", NULL);
    int a = scw_aggregate_workload(agg, "a", NULL);
    int c = scw_aggregate_workload(agg, "c", NULL);
    int d = scw_aggregate_workload(agg, "d", NULL);
    (void)d;
    struct {
        int w;
        uint32_t arch, nr, code;
        int n;
    } adds[] = {
        {b, X86_64, 3, LOG, 5},   {a, X86_64, 9, LOG, 2},  {a, X86_64, 1, LOG, 2},
        {a, X86_64, 1, KILL, 1},  {c, AARCH64, 1, LOG, 3}, {c, X86_64, 1, LOG, 3},
        {c, X86_64, 0, ERRNO, 3},
    };
    for (size_t i = 0; i < sizeof(adds) / sizeof(adds[0]); i++)
        for (int k = 0; k < adds[i].n; k++) {
            struct scw_record r = rec(adds[i].arch, adds[i].nr, adds[i].code, 1, 0, 1, "");
            scw_aggregate_add(agg, (uint32_t)adds[i].w, &r);
        }
    struct scw_agg_view v;
    assert_int_equal(scw_aggregate_view(agg, &v), 0);
    assert_int_equal(v.n_workloads, 4);
    const char *order[] = {"c", "a", "b", "d"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(scw_aggregate_workload_at(agg, v.workloads[i])->key, order[i]);
    /* c: count ties broken by arch (x86_64 0xc000003e < aarch64 0xc00000b7), then syscall */
    size_t cs = v.start[c], ce = v.start[c + 1];
    assert_int_equal(ce - cs, 3);
    const struct scw_agg_entry *e0 = scw_aggregate_entry_at(agg, v.entries[cs]);
    const struct scw_agg_entry *e1 = scw_aggregate_entry_at(agg, v.entries[cs + 1]);
    const struct scw_agg_entry *e2 = scw_aggregate_entry_at(agg, v.entries[cs + 2]);
    assert_int_equal(e0->arch, X86_64);
    assert_int_equal(e0->syscall, 0);
    assert_int_equal(e1->arch, X86_64);
    assert_int_equal(e1->syscall, 1);
    assert_int_equal(e2->arch, AARCH64);
    /* a: 2, 2, 1: the two with count 2 by syscall, then the kill */
    size_t as = v.start[a];
    assert_int_equal(v.start[a + 1] - as, 3);
    assert_int_equal(scw_aggregate_entry_at(agg, v.entries[as])->syscall, 1);
    assert_int_equal(scw_aggregate_entry_at(agg, v.entries[as])->code, LOG);
    assert_int_equal(scw_aggregate_entry_at(agg, v.entries[as + 1])->syscall, 9);
    assert_int_equal(scw_aggregate_entry_at(agg, v.entries[as + 2])->code, KILL);
    /* every entry is in its workload's group */
    for (size_t w = 0; w < v.n_workloads; w++)
        for (size_t k = v.start[w]; k < v.start[w + 1]; k++)
            assert_int_equal(scw_aggregate_entry_at(agg, v.entries[k])->workload, w);
    assert_int_equal(v.start[v.n_workloads], scw_aggregate_n_entries(agg));
    assert_int_equal(v.start[d], v.start[d + 1]); /* d has no entries */
    scw_agg_view_release(&v);
    scw_agg_view_release(&v); /* NULL-safe after release */
    scw_aggregate_free(agg);

    /* an empty aggregate has an empty view */
    agg = scw_aggregate_new(NULL);
    assert_int_equal(scw_aggregate_view(agg, &v), 0);
    assert_int_equal(v.n_workloads, 0);
    assert_int_equal(v.start[0], 0);
    scw_agg_view_release(&v);
    scw_aggregate_free(agg);
}

/* Sum of every node's counters equals the totals, field by field. */
static void assert_nodes_add_up(const struct scw_aggregate *agg)
{
    struct scw_input_stats sum = {0}, st;
    struct scw_agg_drops dsum = {0}, d;
    for (size_t i = 0; i < scw_aggregate_n_nodes(agg); i++) {
        scw_aggregate_node_counters(agg, i, &st, &d);
        sum.lines += st.lines;
        sum.seccomp += st.seccomp;
        sum.lost += st.lost;
        sum.unattributed += st.unattributed;
        sum.kernel_lost += st.kernel_lost;
        dsum.workloads += d.workloads;
        dsum.entries += d.entries;
        dsum.strings += d.strings;
    }
    const struct scw_input_stats *t = scw_aggregate_stats((struct scw_aggregate *)agg);
    const struct scw_agg_drops *td = scw_aggregate_drops(agg);
    assert_int_equal(sum.lines, t->lines);
    assert_int_equal(sum.seccomp, t->seccomp);
    assert_int_equal(sum.lost, t->lost);
    assert_int_equal(sum.unattributed, t->unattributed);
    assert_int_equal(sum.kernel_lost, t->kernel_lost);
    assert_int_equal(dsum.workloads, td->workloads);
    assert_int_equal(dsum.entries, td->entries);
    assert_int_equal(dsum.strings, td->strings);
}

static void test_nodes(void **state)
{
    (void)state;
    struct scw_agg_limits lim = {.max_entries = 3};
    struct scw_aggregate *agg = scw_aggregate_new(&lim);
    int a = scw_aggregate_node(agg, "node-a"), b = scw_aggregate_node(agg, "node-b");
    assert_int_equal(a, 0);
    assert_int_equal(b, 1);
    assert_int_equal(scw_aggregate_node(agg, "node-a"), 0); /* by name */
    assert_int_equal(scw_aggregate_node(agg, NULL), 2);     /* unnamed: always a new one */
    assert_int_equal(scw_aggregate_node(agg, NULL), 3);
    assert_int_equal(scw_aggregate_self(agg), -1);
    assert_int_equal(scw_aggregate_workload_on(agg, 9, "x", NULL), -EINVAL);

    /* one container id on two nodes: two workloads */
    struct scw_container c = {.runtime = "docker", .id = "abc"};
    int wa = scw_aggregate_workload_on(agg, 0, "docker:abc", &c);
    int wb = scw_aggregate_workload_on(agg, 1, "docker:abc", &c);
    assert_true(wa >= 0 && wb >= 0 && wa != wb);
    assert_int_equal(scw_aggregate_workload_on(agg, 1, "docker:abc", NULL), wb);
    assert_int_equal(scw_aggregate_workload_at(agg, (size_t)wb)->node, 1);
    assert_int_equal(scw_aggregate_node_at(agg, 0)->workloads, 1);

    /* states' counters: added to the node and the totals; kernel_lost: max per node, sum */
    struct scw_input_stats sa = {.lines = 10, .seccomp = 7, .lost = 2, .kernel_lost = 5};
    struct scw_agg_drops da = {.entries = 1};
    scw_aggregate_node_add(agg, 0, &sa, &da, 100, 200, 300);
    sa.kernel_lost = 4; /* an older reading of the same kernel */
    scw_aggregate_node_add(agg, 0, &sa, NULL, 50, 150, 250);
    struct scw_input_stats sb = {.lines = 3, .seccomp = 3, .kernel_lost = 6};
    scw_aggregate_node_add(agg, 1, &sb, NULL, 0, 0, 0);
    struct scw_input_stats st;
    struct scw_agg_drops d;
    scw_aggregate_node_counters(agg, 0, &st, &d);
    assert_int_equal(st.lines, 20);
    assert_int_equal(st.seccomp, 14);
    assert_int_equal(st.lost, 4);
    assert_int_equal(st.kernel_lost, 5);
    assert_int_equal(d.entries, 1);
    assert_int_equal(scw_aggregate_stats(agg)->kernel_lost, 11); /* 5 + 6 */
    int64_t from, to;
    scw_aggregate_node_observed(agg, 0, &from, &to);
    assert_int_equal(from, 50);
    assert_int_equal(to, 200);
    assert_int_equal(scw_aggregate_node_at(agg, 0)->saved_at, 300);
    assert_nodes_add_up(agg);

    /* drops at the bounds are the node's whose workload hit them */
    struct scw_record r = rec(X86_64, 1, LOG, 1000, 0, 1, "/x");
    for (uint32_t nr = 1; nr <= 4; nr++) {
        r.syscall = nr;
        scw_aggregate_add(agg, (uint32_t)(nr <= 2 ? wa : wb), &r);
    }
    scw_aggregate_node_counters(agg, 1, &st, &d);
    assert_int_equal(d.entries, 1); /* the 4th entry, on node-b, did not fit */
    assert_nodes_add_up(agg);
    /* the records' span widens a node's observation */
    scw_aggregate_node_observed(agg, 1, &from, &to);
    assert_int_equal(from, 1000);
    assert_int_equal(to, 1000);

    /* self: what the process counts beyond the states, made unnamed on demand */
    int w = scw_aggregate_workload(agg, "exe:/bin/self", NULL);
    assert_true(w >= 0);
    int self = scw_aggregate_self(agg);
    assert_int_equal(self, 4);
    scw_aggregate_stats(agg)->seccomp += 5;
    scw_aggregate_stats(agg)->lines += 6;
    scw_aggregate_node_counters(agg, (size_t)self, &st, &d);
    assert_int_equal(st.seccomp, 5);
    assert_int_equal(st.lines, 6);
    assert_nodes_add_up(agg);
    /* naming self later names that node */
    assert_int_equal(scw_aggregate_set_self(agg, "here", 0), self);
    assert_string_equal(scw_aggregate_node_at(agg, (size_t)self)->label, "here");
    assert_false(scw_aggregate_self_live(agg));
    scw_aggregate_free(agg);

    /* a watcher loading its own unnamed (version 1) state takes it as itself */
    agg = scw_aggregate_new(NULL);
    int old = scw_aggregate_node(agg, NULL);
    assert_int_equal(scw_aggregate_node_describe(agg, (uint32_t)old, "(s.json)", "s.json"), 0);
    assert_int_equal(scw_aggregate_set_self(agg, "node-a", 1000), old);
    assert_string_equal(scw_aggregate_node_at(agg, (size_t)old)->name, "node-a");
    assert_true(scw_aggregate_self_live(agg));
    scw_aggregate_node_observed(agg, (size_t)old, &from, &to);
    assert_int_equal(from, 1000);
    /* but never someone else's named node */
    assert_int_equal(scw_aggregate_set_self(agg, "node-b", 0), 1);
    scw_aggregate_free(agg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_counts), cmocka_unit_test(test_first_last),
        cmocka_unit_test(test_exe_bounds),   cmocka_unit_test(test_pid_bounds),
        cmocka_unit_test(test_table_bounds), cmocka_unit_test(test_intern),
        cmocka_unit_test(test_containers),   cmocka_unit_test(test_merge),
        cmocka_unit_test(test_growth),       cmocka_unit_test(test_view_order),
        cmocka_unit_test(test_nodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
