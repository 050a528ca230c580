/*
 * test_ingest: the line -> aggregate step (ingest.c): input accounting per classification,
 * malformed line locations (the first few kept), the default executable resolver, filters and
 * resolvers that drop records.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

#define REC(exe, nr)                                                                               \
    "type=SECCOMP msg=audit(1700000000.100:1): pid=1 comm=\"c\" exe=\"" exe                        \
    "\" arch=c000003e syscall=" #nr " code=0x7ffc0000"

static void feed(struct scw_ingest *in, const char *line, const char *where, uint64_t lineno)
{
    scw_ingest_line(in, line, strlen(line), where, lineno);
}

static void test_accounting(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    struct scw_ingest in;
    scw_ingest_init(&in, agg);
    uint64_t n = 0;
    feed(&in, REC("/bin/a", 1), "f", ++n);
    feed(&in, "type=SYSCALL msg=audit(1.1:1): arch=c000003e syscall=1", "f", ++n);
    for (int i = 0; i < 7; i++) /* more malformed lines than are kept */
        feed(&in, "type=SECCOMP msg=audit(1.1:1): pid=1", i < 6 ? "f" : NULL, ++n);
    feed(&in, "", "f", ++n);
    scw_ingest_oversized(&in);
    feed(&in, REC("/bin/a", 1), "f", ++n);
    feed(&in, REC("/bin/b", 2), "f", ++n);
    const struct scw_input_stats *st = scw_aggregate_stats(agg);
    assert_int_equal(st->lines, 13);
    assert_int_equal(st->seccomp, 3);
    assert_int_equal(st->other, 2);
    assert_int_equal(st->malformed, 7);
    assert_int_equal(st->oversized, 1);
    assert_int_equal(st->lines, st->seccomp + st->other + st->malformed + st->oversized);
    assert_int_equal(st->malformed_kept, SCW_MALFORMED_KEEP);
    assert_string_equal(st->malformed_where[0], "f:3");
    assert_string_equal(st->malformed_where[4], "f:7");
    assert_int_equal(scw_aggregate_n_workloads(agg), 2);
    assert_int_equal(scw_aggregate_workload_at(agg, 0)->events, 2);
    assert_string_equal(scw_aggregate_workload_at(agg, 0)->key, "exe:/bin/a");
    scw_aggregate_free(agg);
}

static void test_where_default(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    struct scw_ingest in;
    scw_ingest_init(&in, agg);
    feed(&in, "type=SECCOMP", NULL, 12);
    char longname[400];
    memset(longname, 'd', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    feed(&in, "type=SECCOMP", longname, 99);
    const struct scw_input_stats *st = scw_aggregate_stats(agg);
    assert_string_equal(st->malformed_where[0], "-:12");
    /* a long name is cut to the slot, never overflowing it */
    assert_int_equal(strlen(st->malformed_where[1]), sizeof(st->malformed_where[1]) - 1);
    scw_aggregate_free(agg);
}

static void test_resolve_exe(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    struct scw_record r;
    memset(&r, 0, sizeof(r));
    snprintf(r.exe, sizeof(r.exe), "/usr/bin/x");
    snprintf(r.comm, sizeof(r.comm), "x");
    assert_int_equal(scw_ingest_resolve_exe(NULL, agg, &r), 0);
    assert_string_equal(scw_aggregate_workload_at(agg, 0)->key, "exe:/usr/bin/x");
    r.exe[0] = '\0'; /* no exe: the comm */
    assert_int_equal(scw_ingest_resolve_exe(NULL, agg, &r), 1);
    assert_string_equal(scw_aggregate_workload_at(agg, 1)->key, "exe:x");
    r.comm[0] = '\0'; /* neither */
    assert_int_equal(scw_ingest_resolve_exe(NULL, agg, &r), 2);
    assert_string_equal(scw_aggregate_workload_at(agg, 2)->key, "exe:unknown");
    snprintf(r.exe, sizeof(r.exe), "(null)");
    assert_int_equal(scw_ingest_resolve_exe(NULL, agg, &r), 3);
    assert_string_equal(scw_aggregate_workload_at(agg, 3)->key, "exe:(null)");
    /* the longest exe a record can hold */
    memset(r.exe, 'e', sizeof(r.exe) - 1);
    r.exe[sizeof(r.exe) - 1] = '\0';
    assert_int_equal(scw_ingest_resolve_exe(NULL, agg, &r), 4);
    assert_int_equal(strlen(scw_aggregate_workload_at(agg, 4)->key), 4 + SCW_EXE_MAX - 1);
    scw_aggregate_free(agg);
}

static bool drop_syscall_2(void *ctx, const struct scw_record *r)
{
    (*(int *)ctx)++;
    return r->syscall == 2;
}

static int resolve_full(void *ctx, struct scw_aggregate *agg, const struct scw_record *r)
{
    (void)agg;
    (void)r;
    (*(int *)ctx)++;
    return -ENOSPC;
}

static void test_filter_and_resolver(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    struct scw_ingest in;
    scw_ingest_init(&in, agg);
    int filtered = 0, resolved = 0;
    in.filter = drop_syscall_2;
    in.filter_ctx = &filtered;
    feed(&in, REC("/bin/a", 1), "f", 1);
    feed(&in, REC("/bin/a", 2), "f", 2);
    feed(&in, REC("/bin/a", 2), "f", 3);
    assert_int_equal(filtered, 3);
    assert_int_equal(in.ignored, 2);
    assert_int_equal(scw_aggregate_stats(agg)->seccomp, 3); /* read, then ignored */
    assert_int_equal(scw_aggregate_n_entries(agg), 1);
    in.resolve = resolve_full;
    in.resolve_ctx = &resolved;
    feed(&in, REC("/bin/a", 1), "f", 4);
    assert_int_equal(resolved, 1);
    assert_int_equal(scw_aggregate_workload_at(agg, 0)->events, 1); /* not counted */
    /* a record parsed elsewhere (netlink) */
    in.resolve = NULL;
    struct scw_record r;
    assert_int_equal(scw_record_parse_line(REC("/bin/z", 5), strlen(REC("/bin/z", 5)), &r),
                     SCW_PARSE_SECCOMP);
    scw_ingest_record(&in, &r);
    assert_int_equal(scw_aggregate_stats(agg)->seccomp, 5);
    assert_int_equal(scw_aggregate_stats(agg)->lines, 4); /* records are not lines */
    assert_int_equal(scw_aggregate_n_workloads(agg), 2);
    scw_aggregate_free(agg);
}

/* printk's rate limiting: the suppressed count is known loss; look-alikes are not */
static void test_printk_suppressed(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    struct scw_ingest in;
    scw_ingest_init(&in, agg);
    feed(&in,
         "Nov 28 14:22:17 host kernel: [ 123.00] kauditd_printk_skb: 4711 callbacks suppressed",
         "k", 1);
    feed(&in, "[  124.10] kauditd_printk_skb: 89 callbacks suppressed", "k", 2);
    feed(&in, "Nov 28 14:22:18 host app: kauditd_printk_skb: 12 callbacks were not suppressed", "k",
         3);
    feed(&in, "Nov 28 14:22:18 host kernel: kauditd_printk_skb: callbacks suppressed", "k", 4);
    const struct scw_input_stats *st = scw_aggregate_stats(agg);
    assert_int_equal(st->lost, 4800);
    assert_int_equal(in.printk_suppressed, 4800);
    assert_int_equal(st->other, 4);
    scw_aggregate_free(agg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accounting),        cmocka_unit_test(test_where_default),
        cmocka_unit_test(test_resolve_exe),       cmocka_unit_test(test_filter_and_resolver),
        cmocka_unit_test(test_printk_suppressed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
