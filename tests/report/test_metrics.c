/*
 * test_metrics: the exposition text: label values escaped (backslash, quote, newline),
 * invalid UTF-8 replaced, long values cut; and the SECCOMP series: at most N of their own, the
 * largest at the first render, the rest summed under "other", and no series ever shrinking
 * when later keys arrive (sticky selection).
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "metrics.h"

static void test_escape(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"plain", "plain"},
        {"a\"b", "a\\\"b"},
        {"back\\slash", "back\\\\slash"},
        {"new\nline", "new\\nline"},
        {"tab\tok", "tab\tok"},
        {"caf\xc3\xa9", "caf\xc3\xa9"},                   /* valid UTF-8 kept */
        {"bad\xff", "bad\xef\xbf\xbd"},                   /* invalid byte -> U+FFFD */
        {"over\xc0\xaf", "over\xef\xbf\xbd\xef\xbf\xbd"}, /* overlong '/' */
        {"cut\xe2\x82", "cut\xef\xbf\xbd\xef\xbf\xbd"},   /* truncated sequence */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scw_metrics_text t = {0};
        scw_metrics_escape(&t, cases[i].in);
        assert_string_equal(t.buf ? t.buf : "", cases[i].want);
        scw_metrics_text_release(&t);
    }
    char longv[1000];
    memset(longv, 'x', sizeof(longv) - 1);
    longv[sizeof(longv) - 1] = '\0';
    struct scw_metrics_text t = {0};
    scw_metrics_escape(&t, longv);
    assert_int_equal(t.len, SCW_METRICS_LABEL_MAX + 3);
    assert_string_equal(t.buf + SCW_METRICS_LABEL_MAX, "...");
    scw_metrics_text_release(&t);

    scw_metrics_family(&t, "x_total", "counter", "help with \\ and\nnewline");
    scw_metrics_u64(&t, "x_total", (const char *[]){"a", "1\"", "b", "2", NULL}, 7);
    scw_metrics_f64(&t, "y", NULL, 0.5);
    assert_string_equal(t.buf, "# HELP x_total help with \\\\ and\\nnewline\n"
                               "# TYPE x_total counter\n"
                               "x_total{a=\"1\\\"\",b=\"2\"} 7\n"
                               "y 0.5\n");
    scw_metrics_text_release(&t);
}

static void add(struct scw_aggregate *agg, const char *key, uint32_t nr, int n)
{
    int w = scw_aggregate_workload(agg, key, NULL);
    assert_true(w >= 0);
    struct scw_record r = {.arch = 0xc000003e, .syscall = nr, .code = 0x7ffc0000, .pid = 1};
    for (int i = 0; i < n; i++)
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
}

static uint64_t value(const char *text, const char *series)
{
    const char *p = strstr(text, series);
    if (!p)
        return UINT64_MAX;
    return strtoull(p + strlen(series), NULL, 10);
}

static void test_series_bounded(void **state)
{
    (void)state;
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    add(agg, "exe:/a", 90, 1);  /* chmod */
    add(agg, "exe:/b", 90, 50); /* the largest */
    add(agg, "exe:/c", 133, 5); /* mknod */
    struct scw_metrics_series *s;
    assert_int_equal(scw_metrics_series_new(2, &s), 0);
    struct scw_metrics_text t = {0};
    scw_metrics_series_render(s, agg, &t);
    /* the two largest have their own series, the smallest is under other */
    const char *b = "scmpwatch_seccomp_events_total{workload=\"exe:/b\",syscall=\"chmod\","
                    "action=\"log\"} ";
    const char *c = "scmpwatch_seccomp_events_total{workload=\"exe:/c\",syscall=\"mknod\","
                    "action=\"log\"} ";
    const char *a = "workload=\"exe:/a\"";
    const char *other = "{workload=\"other\",syscall=\"other\",action=\"other\"} ";
    assert_int_equal(value(t.buf, b), 50);
    assert_int_equal(value(t.buf, c), 5);
    assert_null(strstr(t.buf, a));
    assert_int_equal(value(t.buf, other), 1);
    assert_int_equal(value(t.buf, "scmpwatch_seccomp_series{kind=\"exported\"} "), 2);
    scw_metrics_text_release(&t);

    /* a new key larger than all: under other (no series moves), and nothing went down */
    add(agg, "exe:/d", 90, 100);
    add(agg, "exe:/c", 133, 1);
    scw_metrics_series_render(s, agg, &t);
    assert_int_equal(value(t.buf, b), 50);
    assert_int_equal(value(t.buf, c), 6);
    assert_int_equal(value(t.buf, other), 101);
    scw_metrics_text_release(&t);
    scw_metrics_series_free(s);

    /* a series table not full yet takes new keys as they come */
    assert_int_equal(scw_metrics_series_new(10, &s), 0);
    scw_metrics_series_render(s, agg, &t);
    assert_int_equal(value(t.buf, other), 0);
    assert_int_equal(value(t.buf, "scmpwatch_seccomp_series{kind=\"exported\"} "), 4);
    scw_metrics_text_release(&t);
    scw_metrics_series_free(s);
    scw_aggregate_free(agg);
}

static void test_workload_label(void **state)
{
    (void)state;
    struct scw_container k8s = {
        .namespace = "prod", .pod = "web-7d9f-x2", .k8s_container = "app", .name = "k8s_app_web"};
    struct scw_container named = {.name = "db"};
    struct scw_workload w1 = {.key = "containerd:1", .container = &k8s};
    struct scw_workload w2 = {.key = "docker:2", .container = &named};
    struct scw_workload w3 = {.key = "exe:/bin/x"};
    char buf[128];
    assert_string_equal(scw_metrics_workload_label(&w1, buf, sizeof(buf)), "prod/web-7d9f-x2/app");
    assert_string_equal(scw_metrics_workload_label(&w2, buf, sizeof(buf)), "db");
    assert_string_equal(scw_metrics_workload_label(&w3, buf, sizeof(buf)), "exe:/bin/x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_series_bounded),
        cmocka_unit_test(test_workload_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
