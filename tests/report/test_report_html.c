/*
 * test_report_html: the HTML and Markdown reports (report_html.c, report_md.c), their
 * escaping (report_esc.c) and charts (svg.c). A container controls its name, labels and
 * executables, a rule file its reasons: a table of hostile strings and what each output makes
 * of them; a page built from hostile names holds no markup of theirs; the Markdown bound and
 * its summary line; the timeline's time buckets: bars per interval of the aggregate's grid
 * (a title per bar), spans and a note for events without a time (a state from before buckets).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advice_report.h"
#include "advise.h"
#include "report_esc.h"
#include "svg.h"

#define X86_64 0xc000003eU
#define LOG    0x7ffc0000U

struct esc_case {
    const char *in;
    const char *text, *html, *md;
};

static const struct esc_case esc_cases[] = {
    {"plain-name_1", "plain-name_1", "plain-name_1", "plain-name\\_1"},
    {"<script>alert(1)</script>", "<script>alert(1)</script>",
     "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"},
    {"a&b \"q\" 'x'", "a&b \"q\" 'x'", "a&amp;b &quot;q&quot; &#39;x&#39;", "a&amp;b \"q\" 'x'"},
    {"line1\nline2", "line1\\x0aline2", "line1\\x0aline2", "line1\\\\x0aline2"},
    {"\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m", "\\x1b[31mred\\x1b[0m",
     "\\\\x1b\\[31mred\\\\x1b\\[0m"},
    {"cell|split`code`", "cell|split`code`", "cell|split`code`", "cell\\|split\\`code\\`"},
    {"*bold* [link](x) ~s~ #h \\", "*bold* [link](x) ~s~ #h \\", "*bold* [link](x) ~s~ #h \\",
     "\\*bold\\* \\[link\\](x) \\~s\\~ \\#h \\\\"},
    {"caf\xc3\xa9 \xff", "caf\xc3\xa9 \\xff", "caf\xc3\xa9 \\xff", "caf\xc3\xa9 \\\\xff"},
    {"c1\xc2\x9b", "c1\\xc2\\x9b", "c1\\xc2\\x9b", "c1\\\\xc2\\\\x9b"},
};

static void test_escape_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
        const struct esc_case *c = &esc_cases[i];
        char buf[256];
        scw_esc_str(SCW_ESC_TEXT, c->in, buf, sizeof(buf));
        assert_string_equal(buf, c->text);
        scw_esc_str(SCW_ESC_HTML, c->in, buf, sizeof(buf));
        assert_string_equal(buf, c->html);
        scw_esc_str(SCW_ESC_MARKDOWN, c->in, buf, sizeof(buf));
        assert_string_equal(buf, c->md);
    }
    /* cut at a whole entity, never half of one */
    char small[6];
    assert_int_equal(scw_esc_str(SCW_ESC_HTML, "ab<cd", small, sizeof(small)), 2);
    assert_string_equal(small, "ab");
}

static char *workload_label(enum scw_esc e, const char *runtime, const char *id, const char *name)
{
    struct scw_container c = {.runtime = (char *)runtime, .id = (char *)id, .name = (char *)name};
    struct scw_workload w = {.key = "k", .container = &c};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    scw_esc_workload(f, e, &w);
    fclose(f);
    return buf;
}

static void test_container_ids(void **state)
{
    (void)state;
    static const char hex[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    struct {
        const char *id, *name, *want;
    } cases[] = {
        {hex, "api-1", "docker api-1 (0123456789ab)"},
        {hex, NULL, "docker 0123456789ab"},
        {"0123456789abcdef0123-not-hex", NULL, "docker 0123456789abcdef0123-not-hex"},
        {"web.service", "web", "docker web (web.service)"},
        {"ABCDEF0123456789ABCDEF", NULL, "docker ABCDEF0123456789ABCDEF"}, /* not lowercase */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *s = workload_label(SCW_ESC_TEXT, "docker", cases[i].id, cases[i].name);
        assert_string_equal(s, cases[i].want);
        free(s);
    }
    char *s = workload_label(SCW_ESC_HTML, "docker", "x<y", "<b>");
    assert_string_equal(s, "docker &lt;b&gt; (x&lt;y)");
    free(s);
    assert_true(scw_esc_is_hex("00ff"));
    assert_false(scw_esc_is_hex(""));
    assert_false(scw_esc_is_hex(NULL));
}

/* ---- an advice over hostile names ---- */

static const char rules_yaml[] = "version: 1\n"
                                 "rules:\n"
                                 "  - {name: no-chmod, syscalls: [chmod], decision: deny,\n"
                                 "     reason: \"chmod <b>is</b> not | for `us`\"}\n"
                                 "defaults:\n"
                                 "  thresholds: {min_events: 1}\n";

/* Events without a time: added as a state written before time buckets loads them. */
static bool untimed;

static void add(struct scw_aggregate *agg, int w, uint32_t nr, int times, const char *exe)
{
    if (untimed) {
        struct scw_agg_entry e = {.workload = (uint32_t)w, .arch = X86_64, .syscall = nr};
        e.code = LOG;
        e.count = (uint64_t)times;
        e.first_sec = 1764339736 + (int64_t)nr;
        e.last_sec = 1764339736 + (times - 1) * 60 + (int64_t)nr;
        const char *exes[] = {exe};
        assert_int_equal(scw_aggregate_merge(agg, &e, exes, 1, NULL), 0);
        return;
    }
    for (int i = 0; i < times; i++) {
        struct scw_record r;
        memset(&r, 0, sizeof(r));
        r.arch = X86_64;
        r.syscall = nr;
        r.code = LOG;
        r.action = SCW_ACTION_LOG;
        r.ts_sec = 1764339736 + i * 60 + (int64_t)nr;
        r.pid = 7 + i;
        snprintf(r.exe, sizeof(r.exe), "%s", exe);
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    }
}

static int query(const void *ctx, uint32_t arch, const char *syscall, struct scw_advise_answer *ret)
{
    (void)ctx;
    (void)arch;
    (void)syscall;
    *ret = (struct scw_advise_answer){
        .verdict = SCW_CURRENT_REFUSED, .action = "SCMP_ACT_LOG", .errno_value = -1, .entry = -1};
    return 0;
}

struct fixture {
    struct scw_rules *rs;
    struct scw_aggregate *agg;
    struct scw_advise_profile prof;
    struct scw_advise_assign *assign;
    struct scw_advice *a;
    struct scw_advice_report_opts o;
};

static const char hostile_name[] = "<script>alert(\"x\")</script>|`rm`\n\x1b[2J&amp;";
static const char hostile_label[] = "evil=<img src=x onerror=alert(1)>";
static const char hostile_exe[] = "/bin/<svg onload=alert(2)>\x1b]0;title\x07";

/* n_workloads containers running one profile, each logging n_syscalls syscalls. */
static void fixture_make(struct fixture *fx, int n_workloads, uint32_t n_syscalls)
{
    memset(fx, 0, sizeof(*fx));
    fx->rs = scw_rules_new();
    assert_int_equal(scw_rules_load_buffer(fx->rs, "t.yaml", rules_yaml, strlen(rules_yaml), NULL),
                     0);
    fx->agg = scw_aggregate_new(NULL);
    char *labels[] = {(char *)hostile_label, "app=web", NULL};
    for (int w = 0; w < n_workloads; w++) {
        char id[65], key[80];
        snprintf(id, sizeof(id), "%064x", w + 1);
        snprintf(key, sizeof(key), "docker:%s", id);
        struct scw_container c = {.runtime = "docker",
                                  .id = id,
                                  .name = (char *)hostile_name,
                                  .image = "img:<1>",
                                  .labels = labels};
        int wi = scw_aggregate_workload(fx->agg, key, &c);
        assert_true(wi >= 0);
        add(fx->agg, wi, 90, 2, hostile_exe); /* chmod: denied by the rule */
        for (uint32_t s = 0; s < n_syscalls; s++)
            add(fx->agg, wi, s, 1, "/bin/app");
    }
    fx->prof = (struct scw_advise_profile){.path = "p<1>.json",
                                           .default_action = "SCMP_ACT_LOG",
                                           .default_errno = -1,
                                           .log_only = true,
                                           .query = query};
    fx->assign = calloc((size_t)n_workloads, sizeof(*fx->assign));
    for (int w = 0; w < n_workloads; w++)
        fx->assign[w] = (struct scw_advise_assign){SCW_ADVISE_SOURCE_CLI, "p<1>.json", 0, NULL};
    struct scw_advise_input in = {.agg = fx->agg,
                                  .rules = fx->rs,
                                  .profiles = &fx->prof,
                                  .n_profiles = 1,
                                  .assign = fx->assign};
    assert_int_equal(scw_advise(&in, &fx->a), 0);
    static const char *files[] = {"t<1>.yaml"};
    fx->o = (struct scw_advice_report_opts){.report = {.title = "t"},
                                            .profiles = &fx->prof,
                                            .n_profiles = 1,
                                            .rule_files = files,
                                            .n_rule_files = 1};
}

static void fixture_free(struct fixture *fx)
{
    scw_advice_free(fx->a);
    free(fx->assign);
    scw_aggregate_free(fx->agg);
    scw_rules_free(fx->rs);
}

enum out { OUT_HTML, OUT_MD };

static char *render(struct fixture *fx, enum out k, size_t md_max)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    int rc = k == OUT_HTML ? scw_advice_write_html(fx->agg, fx->a, &fx->o, f)
                           : scw_advice_write_markdown_max(fx->agg, fx->a, &fx->o, md_max, f);
    assert_int_equal(rc, 0);
    fclose(f);
    return buf;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void test_html_hostile(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_make(&fx, 2, 3);
    char *h = render(&fx, OUT_HTML, 0);
    /* nothing of theirs became markup; nothing drives a terminal */
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "<img"));
    assert_null(strstr(h, "<svg onload"));
    assert_null(strstr(h, "<b>is"));
    assert_null(strchr(h, '\x1b'));
    assert_null(strchr(h, '\x07'));
    assert_non_null(strstr(h, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;|`rm`\\x0a"
                              "\\x1b[2J&amp;amp; (000000000000)"));
    assert_non_null(strstr(h, "evil=&lt;img src=x onerror=alert(1)&gt;"));
    assert_non_null(strstr(h, "/bin/&lt;svg onload=alert(2)&gt;\\x1b]0;title\\x07"));
    assert_non_null(strstr(h, "chmod &lt;b&gt;is&lt;/b&gt; not | for `us`"));
    /* self-contained: a policy that forbids fetching and running anything, no URL loaded */
    assert_non_null(strstr(h, "Content-Security-Policy\" content=\"default-src 'none'"));
    assert_null(strstr(h, "src=\"http"));
    assert_null(strstr(h, "<link"));
    assert_non_null(strstr(h, "@media print"));
    /* the sections of a group */
    assert_non_null(strstr(h, "<svg class=\"timeline\""));
    assert_non_null(strstr(h, "<table class=\"matrix\">"));
    assert_non_null(strstr(h, "<table class=\"decisions\">"));
    assert_non_null(strstr(h, "What breaks if you enforce the current profile"));
    assert_non_null(strstr(h, "Completeness of the evidence"));
    assert_non_null(strstr(h, "<span class=\"d deny\">deny</span>"));
    /* the matrix: 2 containers x 4 syscalls, chmod 2 in each */
    assert_int_equal(count(h, "<td class=\"h4\">2</td>"), 2);
    assert_true(strstr(h, "</html>\n") != NULL);
    free(h);
    fixture_free(&fx);
}

/* Every table row of a Markdown document has the header's number of unescaped '|'. */
static void check_md_cells(const char *md)
{
    size_t want = 0;
    for (const char *line = md; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len && line[0] == '|') {
            size_t bars = 0;
            for (size_t i = 0; i < len; i++)
                if (line[i] == '|' && (i == 0 || line[i - 1] != '\\'))
                    bars++;
            if (!want || strncmp(line, "|   |", 5) == 0 || strncmp(line, "| Workload", 10) == 0)
                want = bars;
            assert_int_equal(bars, want);
        } else {
            want = 0;
        }
        assert_null(memchr(line, '\x1b', len));
        line += len + (nl != NULL);
    }
}

static void test_markdown_hostile(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_make(&fx, 2, 3);
    char *m = render(&fx, OUT_MD, SCW_ADVICE_MARKDOWN_MAX);
    check_md_cells(m);
    assert_null(strstr(m, "<script"));
    assert_non_null(strstr(m, "&lt;script&gt;alert(\"x\")&lt;/script&gt;\\|\\`rm\\`\\\\x0a"));
    assert_non_null(strstr(m, "chmod &lt;b&gt;is&lt;/b&gt; not \\| for \\`us\\`"));
    assert_non_null(strstr(m, "**What breaks if you enforce the current profile:** `chmod` (4)"));
    assert_null(strstr(m, "more syscalls"));
    free(m);
    fixture_free(&fx);
}

static void test_markdown_bound(void **state)
{
    (void)state;
    struct fixture fx;
    fixture_make(&fx, 3, 200);
    size_t total = fx.a->groups[0].n_proposals;
    assert_true(total > 150);
    static const size_t bounds[] = {2000, 8000, SCW_ADVICE_MARKDOWN_MAX};
    for (size_t b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++) {
        char *m = render(&fx, OUT_MD, bounds[b]);
        assert_true(strlen(m) <= bounds[b]);
        check_md_cells(m);
        size_t rows = count(m, "\n| ") - 1; /* the header row of the one group */
        const char *sum = strstr(m, "\n... and ");
        if (rows < total) {
            assert_non_null(sum);
            unsigned long more = 0, groups = 0;
            assert_int_equal(
                sscanf(sum, "\n... and %lu more syscalls in %lu group", &more, &groups), 2);
            assert_int_equal(more + rows, total);
            assert_int_equal(groups, 1);
            assert_non_null(strstr(sum, ": see the JSON report"));
        } else {
            assert_null(sum);
        }
        free(m);
    }
    fixture_free(&fx);
}

static void test_svg_buckets(void **state)
{
    (void)state;
    static const uint64_t b[] = {1, 0, 4, 2};
    struct scw_svg_row rows[] = {
        {.label = "read",
         .css_class = "allow",
         .count = 7,
         .first_ms = 1000,
         .last_ms = 4000,
         .buckets = b,
         .n_buckets = 4,
         .bucket0_ms = 0,
         .bucket_ms = 1000},
        {.label = "<w>", .css_class = "deny", .count = 1, .first_ms = 2000, .last_ms = 2000},
    };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    scw_svg_timeline(f, rows, 2, 0, 4000);
    fclose(f);
    /* three non-empty buckets as bars, the span of the second row, escaped label */
    assert_int_equal(count(buf, "<rect class=\"allow\""), 3);
    assert_int_equal(count(buf, "<rect class=\"deny\""), 1);
    assert_non_null(strstr(buf, "&lt;w&gt;"));
    assert_null(strstr(buf, "<w>"));
    free(buf);
}

/* The timeline from the aggregate's buckets: bars with titles; without times, spans. */
static void test_html_time_buckets(void **state)
{
    (void)state;
    struct fixture fx;
    /* chmod at seconds +90 and +150 in each of 2 containers, syscalls 0..2 at +0..+2: 16-second
     * buckets from 1764339728 (a multiple of 16) */
    fixture_make(&fx, 2, 3);
    assert_int_equal(fx.a->grid.width, 16);
    assert_int_equal(fx.a->grid.origin, 1764339728);
    char *h = render(&fx, OUT_HTML, 0);
    assert_non_null(strstr(h, "<p class=\"dim\">bars: events per 16 s</p>"));
    assert_int_equal(count(h, "<title>chmod: 2 in 16 s from "), 2);
    assert_non_null(strstr(h, "<title>chmod: 2 in 16 s from 2025-11-28 14:23:44.000 UTC</title>"));
    assert_non_null(strstr(h, "<title>chmod: 2 in 16 s from 2025-11-28 14:24:32.000 UTC</title>"));
    assert_int_equal(count(h, " in 16 s from "), 5); /* chmod twice, three syscalls once */
    assert_null(strstr(h, "no time"));
    free(h);
    fixture_free(&fx);

    /* the same from a state without buckets: spans, and the events said to have no time */
    untimed = true;
    fixture_make(&fx, 2, 3);
    untimed = false;
    assert_int_equal(fx.a->grid.width, 0);
    h = render(&fx, OUT_HTML, 0);
    assert_null(strstr(h, " in 16 s from "));
    assert_null(strstr(h, "bars: events per"));
    assert_non_null(strstr(h, "<title>chmod: 4</title>"));
    assert_non_null(strstr(h, "10 events have no time (read from a state written before time "
                              "buckets): counted, not in the bars"));
    free(h);
    fixture_free(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_table),      cmocka_unit_test(test_container_ids),
        cmocka_unit_test(test_html_hostile),      cmocka_unit_test(test_markdown_hostile),
        cmocka_unit_test(test_markdown_bound),    cmocka_unit_test(test_svg_buckets),
        cmocka_unit_test(test_html_time_buckets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
