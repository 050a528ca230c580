/*
 * test_report: JSON and text rendering of an aggregate (report.c): the stable keys and their
 * values, unknown syscalls/architectures/actions and absent codes, UTF-8 repair of record
 * strings, timestamps, colour only on a terminal and never with NO_COLOR.
 */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"
#include "report.h"

static void feed(struct scw_ingest *in, const char *line)
{
    scw_ingest_line(in, line, strlen(line), "log", 0);
}

/* A small aggregate: /bin/app with known, unknown-number, unknown-action and absent-code
 * entries; an unknown architecture; a malformed line. */
static struct scw_aggregate *sample(void)
{
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    struct scw_ingest in;
    scw_ingest_init(&in, agg);
    for (int i = 0; i < 3; i++)
        feed(&in, "type=SECCOMP msg=audit(1795875804.358:2): pid=7 comm=\"app\" "
                  "exe=\"/bin/app\" arch=c000003e syscall=90 code=0x7ffc0000");
    feed(&in, "type=SECCOMP msg=audit(1795875805.001:3): pid=8 comm=\"app\" exe=\"/bin/app\" "
              "arch=c000003e syscall=99999 code=0x12340000");
    feed(&in, "type=SECCOMP msg=audit(1795875806.000:4): pid=8 comm=\"app\" exe=\"/bin/app\" "
              "arch=c000003e syscall=1073742081");
    feed(&in, "type=SECCOMP msg=audit(1795875807.5:5): pid=9 comm=\"odd\" exe=2F6F64642FFF "
              "arch=12345678 syscall=4 code=0x80000000");
    feed(&in, "type=SECCOMP msg=audit(1795875807.5:5): pid=9");
    feed(&in, "hello");
    scw_ingest_oversized(&in);
    return agg;
}

static json_t *entry_by_nr(json_t *syscalls, json_int_t nr)
{
    size_t i;
    json_t *e;
    json_array_foreach(syscalls, i,
                       e) if (json_integer_value(json_object_get(e, "nr")) == nr) return e;
    return NULL;
}

static void test_json(void **state)
{
    (void)state;
    struct scw_aggregate *agg = sample();
    json_t *doc = scw_report_json(agg, NULL);
    assert_non_null(doc);
    json_t *input = json_object_get(doc, "input");
    assert_int_equal(json_integer_value(json_object_get(input, "lines")), 9);
    assert_int_equal(json_integer_value(json_object_get(input, "seccomp")), 6);
    assert_int_equal(json_integer_value(json_object_get(input, "malformed")), 1);
    assert_int_equal(json_integer_value(json_object_get(input, "oversized")), 1);
    assert_int_equal(json_integer_value(json_object_get(input, "other")), 1);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(input, "malformed_lines"), 0)), "log:0");
    json_t *wls = json_object_get(doc, "workloads");
    assert_int_equal(json_array_size(wls), 2);
    json_t *app = json_array_get(wls, 0); /* 5 events first */
    assert_true(json_is_null(json_object_get(app, "container")));
    assert_string_equal(json_string_value(json_object_get(app, "key")), "exe:/bin/app");
    assert_int_equal(json_integer_value(json_object_get(app, "events")), 5);
    assert_string_equal(json_string_value(json_array_get(json_object_get(app, "executables"), 0)),
                        "/bin/app");
    json_t *sys = json_object_get(app, "syscalls");
    assert_int_equal(json_array_size(sys), 3);

    json_t *e = json_array_get(sys, 0); /* the most frequent first */
    assert_string_equal(json_string_value(json_object_get(e, "arch")), "x86_64");
    assert_string_equal(json_string_value(json_object_get(e, "name")), "chmod");
    assert_int_equal(json_integer_value(json_object_get(e, "nr")), 90);
    assert_string_equal(json_string_value(json_object_get(e, "action")), "log");
    assert_string_equal(json_string_value(json_object_get(e, "code")), "0x7ffc0000");
    assert_int_equal(json_integer_value(json_object_get(e, "count")), 3);
    assert_true(json_real_value(json_object_get(e, "first_seen")) == 1795875804.358);
    assert_true(json_real_value(json_object_get(e, "last_seen")) == 1795875804.358);
    assert_int_equal(json_integer_value(json_object_get(e, "processes")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(e, "executables"), 0)),
                        "/bin/app");

    e = entry_by_nr(sys, 99999); /* unknown number, unknown action: kept with raw values */
    assert_non_null(e);
    assert_true(json_is_null(json_object_get(e, "name")));
    assert_string_equal(json_string_value(json_object_get(e, "action")), "unknown");
    assert_string_equal(json_string_value(json_object_get(e, "code")), "0x12340000");

    e = entry_by_nr(sys, 1073742081); /* x32, no code= */
    assert_non_null(e);
    assert_string_equal(json_string_value(json_object_get(e, "arch")), "x32");
    assert_string_equal(json_string_value(json_object_get(e, "name")), "openat");
    assert_string_equal(json_string_value(json_object_get(e, "action")), "unknown");
    assert_true(json_is_null(json_object_get(e, "code")));

    json_t *odd = json_array_get(wls, 1);
    e = json_array_get(json_object_get(odd, "syscalls"), 0);
    assert_string_equal(json_string_value(json_object_get(e, "arch")), "0x12345678");
    assert_true(json_is_null(json_object_get(e, "name")));
    assert_string_equal(json_string_value(json_object_get(e, "action")), "kill_process");
    assert_true(json_real_value(json_object_get(e, "first_seen")) == 1795875807.5);
    /* the exe's invalid byte 0xff became U+FFFD */
    assert_string_equal(json_string_value(json_array_get(json_object_get(e, "executables"), 0)),
                        "/odd/\xef\xbf\xbd");
    json_decref(doc);

    /* the written form: one document, timestamps with their milliseconds */
    FILE *f = tmpfile();
    assert_int_equal(scw_report_write_json(agg, NULL, f), 0);
    rewind(f);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "\"first_seen\": 1795875804.358,"));
    assert_non_null(strstr(buf, "\"first_seen\": 1795875807.5,"));
    assert_int_equal(buf[n - 1], '\n');
    json_error_t err;
    json_t *back = json_loads(buf, 0, &err);
    assert_non_null(back);
    json_decref(back);
    scw_aggregate_free(agg);
}

static void test_json_helpers(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"caf\xc3\xa9", "caf\xc3\xa9"},                                   /* valid 2-byte */
        {"\xe2\x82\xac\xf0\x9f\x98\x80", "\xe2\x82\xac\xf0\x9f\x98\x80"}, /* 3 and 4 bytes */
        {"a\xff"
         "b",
         "a\xef\xbf\xbd"
         "b"},                                                                    /* invalid byte */
        {"\xc0\x80", "\xef\xbf\xbd\xef\xbf\xbd"},                                 /* overlong NUL */
        {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},                 /* surrogate */
        {"\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* > U+10FFFF */
        {"end\xc3", "end\xef\xbf\xbd"},                                           /* cut sequence */
        {"\x01\x1f", "\x01\x1f"}, /* controls: JSON escapes */
        {"q\"b\\s/\x7f\n\t", "q\"b\\s/\x7f\n\t"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *j = scw_json_string(cases[i].in);
        assert_non_null(j);
        assert_string_equal(json_string_value(j), cases[i].out);
        json_decref(j);
        /* written as text directly: JSON that reads back as the same string */
        char buf[256];
        FILE *f = fmemopen(buf, sizeof(buf), "w");
        scw_json_put_string(f, cases[i].in);
        fclose(f);
        json_error_t err;
        j = json_loads(buf, JSON_DECODE_ANY, &err);
        if (!j || !json_is_string(j) || strcmp(json_string_value(j), cases[i].out) != 0)
            fail_msg("case %zu: wrote %s (%s)", i, buf, j ? "another string" : err.text);
        json_decref(j);
    }
    char buf[8];
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    scw_json_put_string(f, NULL);
    fclose(f);
    assert_string_equal(buf, "null");
    json_t *j = scw_json_string(NULL);
    assert_true(json_is_null(j));
    j = scw_json_time(0, 0);
    assert_true(json_is_null(j));
    j = scw_json_time(1795875804, 358);
    assert_true(json_real_value(j) == 1795875804.358);
    json_decref(j);
    j = scw_aggregate_container_json(NULL);
    assert_true(json_is_null(j));
    struct scw_container c = {.runtime = "docker", .id = "abc"};
    j = scw_aggregate_container_json(&c);
    assert_string_equal(json_string_value(json_object_get(j, "runtime")), "docker");
    assert_true(json_is_null(json_object_get(j, "image")));
    json_decref(j);
    assert_int_equal(scw_format_from_name("json"), SCW_FORMAT_JSON);
    assert_int_equal(scw_format_from_name("TEXT"), SCW_FORMAT_TEXT);
    assert_int_equal(scw_format_from_name("yaml"), SCW_FORMAT_INVALID);
}

static char *text_of(const struct scw_aggregate *agg, bool color)
{
    FILE *f = tmpfile();
    struct scw_report_opts o = {.color = color, .title = "scmpwatch replay", .n_inputs = 2};
    assert_int_equal(scw_report_write_text(agg, &o, f), 0);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_text(void **state)
{
    (void)state;
    struct scw_aggregate *agg = sample();
    char *t = text_of(agg, false);
    assert_null(strchr(t, '\033'));
    assert_non_null(strstr(t, "scmpwatch replay: 2 inputs\n"));
    assert_non_null(strstr(t, "  lines 9: SECCOMP records 6, malformed 1, oversized 1, other 1\n"));
    assert_non_null(strstr(t, "warning: 1 malformed SECCOMP line skipped (no valid arch= or "
                              "syscall=); first: log:0\n"));
    assert_non_null(strstr(t, "warning: 1 line longer than 65536 bytes skipped\n"));
    assert_non_null(strstr(t, "\n/bin/app  (no container)\n  5 events, first 2026-11-28 "));
    assert_non_null(strstr(t, "chmod                    log              /bin/app\n"));
    assert_non_null(strstr(t, "unknown(99999)"));
    assert_non_null(strstr(t, "unknown(0x12340000)"));
    assert_non_null(strstr(t, "unknown(no code)"));
    assert_non_null(strstr(t, "0x12345678"));
    assert_non_null(strstr(t, "/odd/\\xff  (no container)")); /* invalid UTF-8 escaped */
    /* /bin/app (5 events) before /odd (1 event) */
    assert_true(strstr(t, "/bin/app  (no container)") < strstr(t, "(no container)\n  1 event"));
    free(t);
    t = text_of(agg, true);
    assert_non_null(strstr(t, "\033[1m"));
    assert_non_null(strstr(t, "\033[0m"));
    free(t);
    scw_aggregate_free(agg);

    /* record strings cannot drive the terminal: ESC and C1 (U+009B, CSI) come out escaped */
    agg = scw_aggregate_new(NULL);
    struct scw_ingest in;
    scw_ingest_init(&in, agg);
    feed(&in, "type=SECCOMP msg=audit(1.0:1): exe=2F781B5B33316DC29BC3A9 arch=c000003e syscall=1");
    t = text_of(agg, false);
    assert_non_null(strstr(t, "/x\\x1b[31m\\xc2\\x9b\xc3\xa9  (no container)"));
    assert_null(strchr(t, '\033'));
    free(t);
    scw_aggregate_free(agg);

    /* nothing at all */
    agg = scw_aggregate_new(NULL);
    t = text_of(agg, false);
    assert_non_null(strstr(t, "no SECCOMP events"));
    assert_null(strstr(t, "warning"));
    free(t);
    scw_aggregate_free(agg);
}

static char *capture_json(const struct scw_aggregate *agg, json_t *tail)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(scw_report_write_json_with(agg, NULL, tail, f), 0);
    fclose(f);
    return buf;
}

/* The streamed document is byte for byte what jansson writes for the whole one. */
static void test_json_streamed(void **state)
{
    (void)state;
    struct scw_aggregate *aggs[2] = {sample(), scw_aggregate_new(NULL)}; /* full and empty */
    for (int k = 0; k < 2; k++) {
        json_t *tail =
            json_pack("{s:{s:[s], s:n}, s:[]}", "rules", "files", "a.yaml", "x", "profiles");
        json_t *doc = scw_report_json(aggs[k], NULL);
        const char *key;
        json_t *value;
        json_object_foreach(tail, key, value) json_object_set(doc, key, value);
        char *whole =
            json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(13) | JSON_PRESERVE_ORDER);
        char *streamed = capture_json(aggs[k], tail);
        size_t wl = strlen(whole);
        assert_int_equal(strlen(streamed), wl + 1); /* plus the final newline */
        assert_memory_equal(streamed, whole, wl);
        assert_int_equal(streamed[wl], '\n');
        free(streamed);
        streamed = capture_json(aggs[k], NULL);
        json_object_del(doc, "rules");
        json_object_del(doc, "profiles");
        free(whole);
        whole = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(13) | JSON_PRESERVE_ORDER);
        assert_memory_equal(streamed, whole, strlen(whole));
        free(streamed);
        free(whole);
        json_decref(doc);
        json_decref(tail);
        scw_aggregate_free(aggs[k]);
    }
}

static void test_want_color(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    unsetenv("NO_COLOR");
    setenv("TERM", "xterm", 1);
    assert_false(scw_report_want_color(f)); /* not a terminal */
    fclose(f);

    int m = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(m >= 0);
    assert_int_equal(grantpt(m), 0);
    assert_int_equal(unlockpt(m), 0);
    FILE *tty = fopen(ptsname(m), "w");
    assert_non_null(tty);
    assert_true(scw_report_want_color(tty)); /* a terminal */
    setenv("NO_COLOR", "1", 1);
    assert_false(scw_report_want_color(tty));
    setenv("NO_COLOR", "", 1); /* empty: not set, per no-color.org */
    assert_true(scw_report_want_color(tty));
    unsetenv("NO_COLOR");
    setenv("TERM", "dumb", 1);
    assert_false(scw_report_want_color(tty));
    fclose(tty);
    close(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),          cmocka_unit_test(test_json_helpers),
        cmocka_unit_test(test_text),          cmocka_unit_test(test_want_color),
        cmocka_unit_test(test_json_streamed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
