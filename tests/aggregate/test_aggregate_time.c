/*
 * test_aggregate_time: the time grid and the entries' buckets (aggregate_time.c). Every
 * bucket equals a count made by brute force from the event times on the final grid; the grid
 * is the narrowest that holds the events (whatever their order: ascending across folds,
 * descending, shuffled); merging entries of grids of different widths and origins re-bins
 * exactly, and merging A then B equals B then A and equals counting all events in one
 * aggregate; absorbing parts equals reading them in one; buckets saturate; events without a
 * time (0.000, before 0, past the limit) are counted but in no bucket; bad buckets are refused.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"

#define X86_64 0xc000003eU
#define LOG    0x7ffc0000U
#define T0     INT64_C(1795875804) /* an audit time of 2026 */

static struct scw_record rec(uint32_t nr, int64_t sec, uint32_t msec)
{
    struct scw_record r;
    memset(&r, 0, sizeof(r));
    r.arch = X86_64;
    r.syscall = nr;
    r.code = LOG;
    r.action = SCW_ACTION_LOG;
    r.ts_sec = sec;
    r.ts_msec = msec;
    r.pid = 1;
    snprintf(r.exe, sizeof(r.exe), "/bin/x");
    return r;
}

static const struct scw_agg_entry *find(const struct scw_aggregate *agg, uint32_t w, uint32_t nr)
{
    for (size_t i = 0; i < scw_aggregate_n_entries(agg); i++) {
        const struct scw_agg_entry *e = scw_aggregate_entry_at(agg, i);
        if (e->workload == w && e->syscall == nr)
            return e;
    }
    return NULL;
}

/* The narrowest grid holding times[0..n) (the reference for what the aggregate must find). */
static struct scw_agg_grid grid_of(const int64_t *times, size_t n, int64_t min_width)
{
    int64_t lo = times[0], hi = times[0];
    for (size_t i = 1; i < n; i++) {
        lo = times[i] < lo ? times[i] : lo;
        hi = times[i] > hi ? times[i] : hi;
    }
    int64_t w = min_width;
    while (hi / w - lo / w >= SCW_ENTRY_BUCKETS)
        w *= 2;
    return (struct scw_agg_grid){lo / w * w, w};
}

/* Every entry (syscall nr of workload 0, events times[i] with syscall nrs[i]) holds exactly the
 * brute-force counts of its events on the aggregate's grid, which is the reference grid. */
static void check_buckets(const struct scw_aggregate *agg, const int64_t *times,
                          const uint32_t *nrs, size_t n, int64_t min_width)
{
    const struct scw_agg_grid *g = scw_aggregate_grid(agg);
    struct scw_agg_grid want = grid_of(times, n, min_width);
    assert_int_equal(g->width, want.width);
    assert_int_equal(g->origin, want.origin);
    for (size_t k = 0; k < scw_aggregate_n_entries(agg); k++) {
        const struct scw_agg_entry *e = scw_aggregate_entry_at(agg, k);
        uint64_t ref[SCW_ENTRY_BUCKETS] = {0};
        for (size_t i = 0; i < n; i++)
            if (nrs[i] == e->syscall) {
                int64_t b = (times[i] - g->origin) / g->width;
                assert_true(b >= 0 && b < SCW_ENTRY_BUCKETS);
                ref[b]++;
            }
        for (int b = 0; b < SCW_ENTRY_BUCKETS; b++)
            assert_int_equal(e->buckets[b], ref[b]);
        assert_int_equal(scw_agg_buckets_sum(e->buckets, SCW_ENTRY_BUCKETS), e->count);
    }
}

/* Buckets and grids of two aggregates are identical. */
static void assert_same_time(const struct scw_aggregate *a, const struct scw_aggregate *b)
{
    assert_int_equal(scw_aggregate_grid(a)->origin, scw_aggregate_grid(b)->origin);
    assert_int_equal(scw_aggregate_grid(a)->width, scw_aggregate_grid(b)->width);
    assert_int_equal(scw_aggregate_n_entries(a), scw_aggregate_n_entries(b));
    for (size_t i = 0; i < scw_aggregate_n_entries(a); i++) {
        const struct scw_agg_entry *x = scw_aggregate_entry_at(a, i);
        const struct scw_agg_entry *y = find(b, x->workload, x->syscall);
        assert_non_null(y);
        assert_int_equal(x->count, y->count);
        assert_memory_equal(x->buckets, y->buckets, sizeof(x->buckets));
    }
}

/* The buckets of every entry add up to n. */
static void check_buckets_total(const struct scw_aggregate *agg, uint64_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < scw_aggregate_n_entries(agg); i++)
        sum += scw_agg_buckets_sum(scw_aggregate_entry_at(agg, i)->buckets, SCW_ENTRY_BUCKETS);
    assert_int_equal(sum, n);
}

static uint64_t rnd_state = 1;
static uint64_t rnd(void)
{
    rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return rnd_state >> 33;
}

/* Events one second apart, ascending: the grid doubles each time they pass its 16 buckets. */
static void test_events_across_folds(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "w", NULL);
    assert_int_equal(scw_aggregate_grid(agg)->width, 0);
    enum { N = 1000 };
    int64_t times[N];
    uint32_t nrs[N];
    for (size_t i = 0; i < N; i++) {
        times[i] = T0 + (int64_t)i;
        nrs[i] = (uint32_t)(i % 3);
        struct scw_record r = rec(nrs[i], times[i], 7);
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
        if (i == 0) { /* one event: one second wide, at its second */
            assert_int_equal(scw_aggregate_grid(agg)->width, 1);
            assert_int_equal(scw_aggregate_grid(agg)->origin, T0);
        }
        if (i == 15) /* 16 seconds still fit */
            assert_int_equal(scw_aggregate_grid(agg)->width, 1);
        if (i == 16) /* the 17th does not: two-second buckets, origin aligned down */
            assert_int_equal(scw_aggregate_grid(agg)->width, 2);
    }
    check_buckets(agg, times, nrs, N, 1);
    /* 1000 s would fit 16 buckets of 64 s, but T0 lies 28 s past a multiple of 64: aligned,
     * they span 17, so 128-second buckets, the origin a multiple of 128 */
    assert_int_equal(scw_aggregate_grid(agg)->width, 128);
    assert_int_equal(scw_aggregate_grid(agg)->origin, T0 / 128 * 128);
    scw_aggregate_free(agg);
}

/* The same events in ascending, descending and shuffled order: one grid, the same buckets. */
static void test_order_independence(void **state)
{
    (void)state;
    enum { N = 3000 };
    int64_t times[N];
    uint32_t nrs[N];
    for (size_t i = 0; i < N; i++) {
        times[i] = T0 + (int64_t)(rnd() % 5000);
        nrs[i] = (uint32_t)(rnd() % 7);
    }
    struct scw_aggregate *aggs[3];
    for (int order = 0; order < 3; order++) {
        aggs[order] = scw_aggregate_new(NULL);
        int w = scw_aggregate_workload(aggs[order], "w", NULL);
        size_t idx[N];
        for (size_t i = 0; i < N; i++)
            idx[i] = order == 1 ? N - 1 - i : i;
        for (size_t i = N - 1; order == 2 && i > 0; i--) {
            size_t j = rnd() % (i + 1), t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        for (size_t i = 0; i < N; i++) {
            struct scw_record r = rec(nrs[idx[i]], times[idx[i]], 0);
            assert_int_equal(scw_aggregate_add(aggs[order], (uint32_t)w, &r), 0);
        }
        check_buckets(aggs[order], times, nrs, N, 1);
    }
    /* sorted and descending visit the same times: the entries differ only in order */
    assert_same_time(aggs[0], aggs[1]);
    assert_same_time(aggs[0], aggs[2]);
    for (int i = 0; i < 3; i++)
        scw_aggregate_free(aggs[i]);
}

/* An aggregate with events at times[from..to) (syscall nrs[i]) on workload "w". */
static struct scw_aggregate *counted(const int64_t *times, const uint32_t *nrs, size_t from,
                                     size_t to)
{
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "w", NULL);
    for (size_t i = from; i < to; i++) {
        struct scw_record r = rec(nrs[i], times[i], 500);
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    }
    return agg;
}

/* Merge every entry of src into dst as a state load does: with src's grid. */
static void merge_all(struct scw_aggregate *dst, const struct scw_aggregate *src)
{
    int w = scw_aggregate_workload(dst, "w", NULL);
    for (size_t i = 0; i < scw_aggregate_n_entries(src); i++) {
        struct scw_agg_entry e = *scw_aggregate_entry_at(src, i);
        e.workload = (uint32_t)w;
        e.n_exes = 0;
        assert_int_equal(scw_aggregate_merge(dst, &e, NULL, 0, scw_aggregate_grid(src)), 0);
    }
}

/*
 * A: 10 seconds of events (1-second buckets); B: 2000 seconds starting earlier (128-second
 * buckets, another origin). Merged into an empty aggregate in either order, the result equals
 * counting every event in one aggregate: exact re-binning.
 */
static void test_merge_rebins_exactly(void **state)
{
    (void)state;
    enum { NA = 40, NB = 400 };
    int64_t times[NA + NB];
    uint32_t nrs[NA + NB];
    for (size_t i = 0; i < NA; i++) {
        times[i] = T0 + 1500 + (int64_t)(i % 10);
        nrs[i] = (uint32_t)(i % 2);
    }
    for (size_t i = NA; i < NA + NB; i++) {
        times[i] = T0 - 300 + (int64_t)(rnd() % 2000);
        nrs[i] = (uint32_t)(rnd() % 3);
    }
    struct scw_aggregate *a = counted(times, nrs, 0, NA), *b = counted(times, nrs, NA, NA + NB);
    assert_int_equal(scw_aggregate_grid(a)->width, 1);
    assert_true(scw_aggregate_grid(b)->width >= 128);
    struct scw_aggregate *all = counted(times, nrs, 0, NA + NB);
    check_buckets(all, times, nrs, NA + NB, 1);

    struct scw_aggregate *ab = scw_aggregate_new(NULL), *ba = scw_aggregate_new(NULL);
    merge_all(ab, a);
    merge_all(ab, b);
    merge_all(ba, b);
    merge_all(ba, a);
    check_buckets(ab, times, nrs, NA + NB, 1);
    assert_same_time(ab, all);
    assert_same_time(ba, all);

    /* merging a wide grid's entry into a narrow one widens it to at least that width, even when
     * the events would fit a narrower one (a bucket cannot be split) */
    struct scw_aggregate *narrow = counted(times, nrs, 0, NA);
    int w = scw_aggregate_workload(narrow, "w", NULL);
    struct scw_agg_grid wide = {T0 / 256 * 256, 256};
    struct scw_agg_entry e = {.workload = (uint32_t)w, .arch = X86_64, .syscall = 9, .code = LOG};
    e.count = 5;
    e.buckets[0] = 2;
    e.buckets[1] = 3;
    assert_int_equal(scw_aggregate_merge(narrow, &e, NULL, 0, &wide), 0);
    const struct scw_agg_grid *g = scw_aggregate_grid(narrow);
    assert_int_equal(g->width, 256); /* seconds T0 - 220 .. T0 + 1509 fit 256-second buckets */
    assert_int_equal(g->origin, wide.origin);
    check_buckets_total(narrow, NA + 5);
    const struct scw_agg_entry *m = find(narrow, (uint32_t)w, 9);
    assert_int_equal(m->buckets[0], 2);
    assert_int_equal(m->buckets[1], 3);

    scw_aggregate_free(narrow);

    /* a wider grid's bucket inside the narrow grid's span widens it all the same: 16 seconds
     * of events cannot go into a one-second bucket */
    struct scw_aggregate *fine = counted(times, nrs, 0, NA); /* T0 + 1500 .. 1509, 1 s wide */
    assert_int_equal(scw_aggregate_grid(fine)->width, 1);
    w = scw_aggregate_workload(fine, "w", NULL);
    struct scw_agg_grid g16 = {(T0 + 1515) / 16 * 16, 16}; /* T0 + 1508 */
    struct scw_agg_entry e16 = {.workload = (uint32_t)w, .arch = X86_64, .syscall = 9, .code = LOG};
    e16.count = 4;
    e16.buckets[0] = 4;
    assert_int_equal(scw_aggregate_merge(fine, &e16, NULL, 0, &g16), 0);
    assert_int_equal(scw_aggregate_grid(fine)->width, 16);
    assert_int_equal(scw_aggregate_grid(fine)->origin, (T0 + 1500) / 16 * 16);
    assert_int_equal(find(fine, (uint32_t)w, 9)->buckets[1], 4);
    check_buckets_total(fine, NA + 4);
    scw_aggregate_free(fine);
    scw_aggregate_free(a);
    scw_aggregate_free(b);
    scw_aggregate_free(all);
    scw_aggregate_free(ab);
    scw_aggregate_free(ba);
}

/* The parts of a file read in parallel, absorbed in order, equal one reader. */
static void test_absorb(void **state)
{
    (void)state;
    enum { N = 900 };
    int64_t times[N];
    uint32_t nrs[N];
    for (size_t i = 0; i < N; i++) {
        times[i] = T0 + (int64_t)(i * i % 4000);
        nrs[i] = (uint32_t)(i % 4);
    }
    struct scw_aggregate *one = counted(times, nrs, 0, N);
    struct scw_aggregate *sum = scw_aggregate_new(NULL);
    for (size_t p = 0; p < 3; p++) {
        struct scw_aggregate *part = counted(times, nrs, p * N / 3, (p + 1) * N / 3);
        assert_int_equal(scw_aggregate_absorb(sum, part, 0), 0);
        scw_aggregate_free(part);
    }
    assert_same_time(sum, one);
    check_buckets(sum, times, nrs, N, 1);
    scw_aggregate_free(one);
    scw_aggregate_free(sum);
}

/* Buckets stop at UINT32_MAX (counts do not); folding two near-full buckets saturates too. */
static void test_saturation(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "w", NULL);
    struct scw_agg_grid g = {T0, 1};
    struct scw_agg_entry e = {.workload = (uint32_t)w, .arch = X86_64, .syscall = 1, .code = LOG};
    e.count = 2ULL * UINT32_MAX;
    e.buckets[0] = UINT32_MAX - 1;
    e.buckets[1] = UINT32_MAX - 1;
    assert_int_equal(scw_aggregate_merge(agg, &e, NULL, 0, &g), 0);
    for (int i = 0; i < 3; i++) {
        struct scw_record r = rec(1, T0, 0);
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    }
    const struct scw_agg_entry *x = find(agg, (uint32_t)w, 1);
    assert_int_equal(x->buckets[0], UINT32_MAX);
    assert_int_equal(x->buckets[1], UINT32_MAX - 1);
    assert_int_equal(x->count, 2ULL * UINT32_MAX + 3);
    /* an event 20 s later folds seconds 0 and 1 into one two-second bucket: full */
    struct scw_record r = rec(1, T0 + 20, 0);
    assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    assert_int_equal(scw_aggregate_grid(agg)->width, 2);
    int64_t b = (T0 - scw_aggregate_grid(agg)->origin) / 2;
    assert_int_equal(x->buckets[b], UINT32_MAX);
    assert_int_equal(x->buckets[(T0 + 20 - scw_aggregate_grid(agg)->origin) / 2], 1);
    assert_true(scw_agg_buckets_sum(x->buckets, SCW_ENTRY_BUCKETS) < x->count);
    assert_int_equal(scw_agg_bucket_add(UINT32_MAX - 2, 5), UINT32_MAX);
    assert_int_equal(scw_agg_bucket_add(3, 4), 7);
    scw_aggregate_free(agg);
}

/* Events with no usable time are counted, in no bucket, and move no grid. */
static void test_untimed(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "w", NULL);
    const int64_t secs[] = {0, -5, SCW_GRID_TIME_LIMIT, INT64_MAX};
    for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
        struct scw_record r = rec(1, secs[i], 0);
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    }
    assert_int_equal(scw_aggregate_grid(agg)->width, 0);
    const struct scw_agg_entry *e = find(agg, (uint32_t)w, 1);
    assert_int_equal(e->count, 4);
    assert_int_equal(scw_agg_buckets_sum(e->buckets, SCW_ENTRY_BUCKETS), 0);
    /* the last second a bucket holds, and 0.001 (a time, unlike 0.000) */
    struct scw_record r = rec(1, SCW_GRID_TIME_LIMIT - 1, 0);
    assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    r = rec(1, 0, 1);
    assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    assert_int_equal(scw_aggregate_grid(agg)->width, SCW_GRID_MAX_WIDTH);
    assert_int_equal(scw_aggregate_grid(agg)->origin, 0);
    assert_int_equal(e->buckets[0], 1);
    assert_int_equal(e->buckets[15], 1);
    assert_int_equal(e->count, 6);
    scw_aggregate_free(agg);
}

/* Buckets that cannot be placed are refused, and nothing is merged. */
static void test_merge_refuses(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "w", NULL);
    struct scw_agg_entry e = {.workload = (uint32_t)w, .arch = X86_64, .syscall = 1, .code = LOG};
    e.count = 3;
    e.buckets[2] = 3;
    const struct scw_agg_grid bad[] = {
        {0, 0},                       /* counts, no grid */
        {T0, 3},                      /* not a power of two */
        {T0 + 1, 2},                  /* origin not aligned */
        {-16, 16},                    /* before 0 */
        {0, SCW_GRID_MAX_WIDTH * 2},  /* too wide */
        {SCW_GRID_TIME_LIMIT - 1, 1}, /* bucket 2 past the limit */
        {SCW_GRID_TIME_LIMIT, 1},     /* origin past the limit */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(scw_aggregate_merge(agg, &e, NULL, 0, &bad[i]), -EINVAL);
    assert_int_equal(scw_aggregate_merge(agg, &e, NULL, 0, NULL), -EINVAL);
    struct scw_agg_grid ok = {T0, 1};
    e.count = 2; /* the buckets say 3 */
    assert_int_equal(scw_aggregate_merge(agg, &e, NULL, 0, &ok), -EINVAL);
    assert_int_equal(scw_aggregate_n_entries(agg), 0);
    assert_int_equal(scw_aggregate_grid(agg)->width, 0);
    e.count = 3;
    assert_int_equal(scw_aggregate_merge(agg, &e, NULL, 0, &ok), 0);
    assert_int_equal(find(agg, (uint32_t)w, 1)->buckets[0], 3); /* the grid starts at T0 + 2 */
    assert_int_equal(scw_aggregate_grid(agg)->origin, T0 + 2);
    assert_true(scw_agg_grid_valid(&ok));
    assert_false(scw_agg_grid_valid(&bad[1]));
    assert_true(scw_agg_grid_valid(&bad[0])); /* no grid is a grid (for entries without buckets) */
    scw_aggregate_free(agg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events_across_folds),  cmocka_unit_test(test_order_independence),
        cmocka_unit_test(test_merge_rebins_exactly), cmocka_unit_test(test_absorb),
        cmocka_unit_test(test_saturation),           cmocka_unit_test(test_untimed),
        cmocka_unit_test(test_merge_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
