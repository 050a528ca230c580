/*
 * test_profile_source: scw_profile_tune_source, the tuned profile as an edit of the team's own
 * file. On the real profiles of tests/data/real/profiles (moby's default.json with tabs,
 * Podman's with defaultErrno, 4-space and 2-space fixtures, inline names arrays) and a table of
 * small inputs (CRLF, no final newline, one line, no syscalls, an empty syscalls, null
 * syscalls, OCI config.json, log-only with flags, UTF-8): the text parses to exactly
 * scw_profile_tune's document (key order too), and a line diff against the input has exactly
 * the lines the change needs. Also: nothing to add gives the input byte for byte, a canonical
 * input gives the canonical output, and an input it cannot splice (duplicate keys) falls back
 * to the canonical text with reformatted set.
 */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "profile.h"

static const char *const allow2[] = {"scw_test_two", "scw_test_one"};
static const char comment[] = "scmpwatch: allowed after 12 events – ünïcode ✓";

struct result {
    char *text;
    size_t len;
    bool reformatted;
    size_t plus, minus; /* lines added and removed by a diff from the input */
    size_t foreign;     /* added lines indented with a character no line of the input starts with */
    struct scw_profile_changes ch;
    char *canonical; /* scw_profile_dump of scw_profile_tune's result */
    size_t canonical_len;
};

static struct scw_profile *load(const char *text, size_t len)
{
    struct scw_profile *p = NULL;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    int rc = scw_profile_load("test", text, len, &p, &d);
    if (rc != 0)
        scw_profile_diags_print(&d, "test", SCW_DIAG_ERROR, stderr);
    assert_int_equal(rc, 0);
    scw_profile_diags_free(&d);
    return p;
}

/* Lines starting with '+' / '-' in the unified diff from a to b (headers left out). */
static void count_diff(const char *a, size_t alen, const char *b, size_t blen, size_t *plus,
                       size_t *minus, size_t *foreign)
{
    bool tabs = false, spaces = false; /* in the indentation of the input's lines */
    for (size_t i = 0; i < alen; i++)
        if (i == 0 || a[i - 1] == '\n')
            for (size_t k = i; k < alen && (a[k] == ' ' || a[k] == '\t'); k++)
                *(a[k] == ' ' ? &spaces : &tabs) = true;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_non_null(mem);
    struct scw_diff_opts o = {.context = 0, .max_edits = 100000};
    assert_true(scw_diff_unified(a, alen, b, blen, &o, mem) >= 0);
    assert_int_equal(fclose(mem), 0);
    *plus = *minus = *foreign = 0;
    for (char *line = buf; line && *line;) {
        char *nl = strchr(line, '\n');
        if (line[0] == '+' && strncmp(line, "+++ ", 4) != 0) {
            ++*plus;
            bool bad = false;
            for (const char *c = line + 1; *c == ' ' || *c == '\t'; c++)
                bad |= *c == ' ' ? !spaces : !tabs;
            *foreign += bad;
        }
        if (line[0] == '-' && strncmp(line, "--- ", 4) != 0)
            ++*minus;
        line = nl ? nl + 1 : NULL;
    }
    free(buf);
}

/* The tuned document, as scw_profile_tune gives it, must be what text parses to. */
static void assert_same_document(const char *text, size_t len, const char *canonical)
{
    json_error_t err;
    json_t *got = json_loadb(text, len, 0, &err);
    if (!got)
        fprintf(stderr, "spliced text does not parse: %d:%d: %s\n", err.line, err.column, err.text);
    assert_non_null(got);
    json_t *want = json_loads(canonical, 0, &err);
    assert_non_null(want);
    assert_true(json_equal(got, want));
    /* key order as well: the canonical dumps are the same bytes */
    char *a = json_dumps(got, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    char *b = json_dumps(want, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    assert_string_equal(a, b);
    free(a);
    free(b);
    json_decref(got);
    json_decref(want);
}

static void tune_text(const char *text, size_t len, const struct scw_profile_tune *t,
                      struct result *r)
{
    struct scw_profile *p = load(text, len), *tuned = NULL;
    struct scw_profile_changes ch;
    assert_int_equal(scw_profile_tune(p, t, &tuned, &ch, NULL), 0);
    assert_int_equal(scw_profile_dump(tuned, false, &r->canonical, &r->canonical_len), 0);
    scw_profile_free(tuned);
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    r->reformatted = true;
    assert_int_equal(scw_profile_tune_source(p, t, &r->text, &r->len, &r->reformatted, &r->ch, &d),
                     0);
    assert_int_equal(strlen(r->text), r->len);
    assert_int_equal(r->ch.names_added, ch.names_added);
    assert_int_equal(r->ch.default_changed, ch.default_changed);
    scw_profile_diags_free(&d);
    size_t olen;
    const char *orig = scw_profile_text(p, &olen);
    assert_int_equal(olen, len);
    assert_memory_equal(orig, text, len);
    assert_same_document(r->text, r->len, r->canonical);
    count_diff(text, len, r->text, r->len, &r->plus, &r->minus, &r->foreign);
    if (!r->reformatted)
        assert_int_equal(r->foreign, 0);
    scw_profile_free(p);
}

static void result_free(struct result *r)
{
    free(r->text);
    free(r->canonical);
}

/* Lines of the new entry in a diff: "}," of the entry before, "{", names, "],", action
 * (+ comment); the entry's own "}" lines up with the old last one. */
static size_t entry_lines(size_t names, bool with_comment)
{
    return 5 + names + (with_comment ? 1 : 0);
}

/* ---- real files ---- */

static void test_real_profiles(void **state)
{
    (void)state;
    const char *dir = SCW_TEST_DATA "/real/profiles";
    DIR *d = opendir(dir);
    if (!d) {
        print_message("skipped: no %s\n", dir);
        return;
    }
    size_t tested = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (nl < 6 || strcmp(de->d_name + nl - 5, ".json") != 0)
            continue;
        char *path = scw_test_asprintf("%s/%s", dir, de->d_name);
        size_t len;
        char *text = scw_test_read_file(path, &len);
        assert_non_null(text);
        struct scw_profile_tune t = {
            .allow = allow2, .n_allow = 2, .comment = comment, .default_errno = -1};
        struct result r = {0};
        tune_text(text, len, &t, &r);
        print_message("%s: +%zu -%zu%s\n", de->d_name, r.plus, r.minus,
                      r.reformatted ? " (reformatted)" : "");
        assert_false(r.reformatted);
        assert_int_equal(r.ch.names_added, 2);
        assert_int_equal(r.plus, entry_lines(2, true));
        assert_int_equal(r.minus, 0);
        /* the input is a prefix of the output up to the insertion, and its end the rest */
        assert_true(r.len > len);
        tested++;
        result_free(&r);
        free(text);
        free(path);
    }
    closedir(d);
    assert_true(tested >= 9);
}

/* moby's default.json made log-only by hand (as a team would in git), then tuned: the result
 * is moby's file again plus the new entry. */
static void test_real_log_only(void **state)
{
    (void)state;
    size_t len;
    char *moby = scw_test_read_file(SCW_TEST_DATA "/real/profiles/moby-moby-default.json", &len);
    if (!moby) {
        print_message("skipped: no moby-moby-default.json\n");
        return;
    }
    static const char enforcing[] = "\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
                                    "\t\"defaultErrnoRet\": 1,\n";
    static const char logging[] = "\t\"defaultAction\": \"SCMP_ACT_LOG\",\n";
    char *at = strstr(moby, enforcing);
    assert_non_null(at);
    char *log =
        scw_test_asprintf("%.*s%s%s", (int)(at - moby), moby, logging, at + strlen(enforcing));
    struct scw_profile_tune t = {
        .allow = allow2, .n_allow = 2, .comment = comment, .default_errno = 1};
    struct result r = {0};
    tune_text(log, strlen(log), &t, &r);
    assert_false(r.reformatted);
    assert_true(r.ch.default_changed);
    assert_int_equal(r.minus, 1);                       /* "SCMP_ACT_LOG" */
    assert_int_equal(r.plus, 2 + entry_lines(2, true)); /* ERRNO, defaultErrnoRet, entry */
    size_t plus, minus, foreign;
    count_diff(moby, len, r.text, r.len, &plus, &minus, &foreign);
    assert_int_equal(foreign, 0);
    assert_int_equal(minus, 0);
    assert_int_equal(plus, entry_lines(2, true));
    result_free(&r);
    free(log);
    free(moby);
}

/* ---- small inputs ---- */

struct small_case {
    const char *what;
    const char *text;
    bool log_only; /* tuned with default_errno 1 */
    size_t plus, minus;
    bool reformatted;
};

#define ENTRY_TABS                                                                                 \
    "\t\t{\n\t\t\t\"names\": [\n\t\t\t\t\"read\"\n\t\t\t],\n\t\t\t\"action\": "                    \
    "\"SCMP_ACT_ALLOW\"\n\t\t}"

static const struct small_case small_cases[] = {
    {"tabs",
     "{\n\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n\t\"syscalls\": [\n" ENTRY_TABS "\n\t]\n}\n",
     false, 7, 0, false},
    {"four spaces, no final newline",
     "{\n    \"defaultAction\": \"SCMP_ACT_ERRNO\",\n    \"syscalls\": [\n        {\n"
     "            \"names\": [\"read\"],\n            \"action\": \"SCMP_ACT_ALLOW\"\n        }\n"
     "    ]\n}",
     false, 7, 0, false},
    {"CRLF",
     "{\r\n\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\r\n\t\"syscalls\": [\r\n\t\t{\r\n"
     "\t\t\t\"names\": [\r\n\t\t\t\t\"read\"\r\n\t\t\t],\r\n"
     "\t\t\t\"action\": \"SCMP_ACT_ALLOW\"\r\n\t\t}\r\n\t]\r\n}\r\n",
     false, 7, 0, false},
    {"no syscalls", "{\n\t\"defaultAction\": \"SCMP_ACT_ERRNO\"\n}\n", false, 11, 1, false},
    {"empty syscalls", "{\n\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n\t\"syscalls\": []\n}\n",
     false, 10, 1, false},
    {"null syscalls", "{\n\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n\t\"syscalls\": null\n}\n",
     false, 10, 1, false},
    {"one line",
     "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
     "\"action\":\"SCMP_ACT_ALLOW\"}]}",
     false, 1, 1, false},
    {"UTF-8 comments",
     "{\n\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n\t\"syscalls\": [\n\t\t{\n"
     "\t\t\t\"names\": [\n\t\t\t\t\"read\"\n\t\t\t],\n"
     "\t\t\t\"action\": \"SCMP_ACT_ALLOW\",\n"
     "\t\t\t\"comment\": \"für Ärger – ✓ \\u00e9\"\n\t\t}\n\t]\n}\n",
     false, 8, 0, false},
    {"log-only, flags",
     "{\n\t\"defaultAction\": \"SCMP_ACT_LOG\",\n\t\"flags\": [\n"
     "\t\t\"SECCOMP_FILTER_FLAG_LOG\"\n\t],\n\t\"syscalls\": [\n" ENTRY_TABS "\n\t]\n}\n",
     true, 9, 4, false},
    {"log-only, flags last",
     "{\n\t\"defaultAction\": \"SCMP_ACT_LOG\",\n\t\"syscalls\": [\n" ENTRY_TABS
     "\n\t],\n\t\"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"]\n}\n",
     true, 10, 3, false},
    {"log-only, two flags",
     "{\n\t\"defaultAction\": \"SCMP_ACT_LOG\",\n\t\"flags\": [\n\t\t\"SECCOMP_FILTER_FLAG_LOG\",\n"
     "\t\t\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"\n\t],\n\t\"syscalls\": [\n" ENTRY_TABS "\n\t]\n}\n",
     true, 9, 2, false},
    {"log-only, Podman's defaultErrno first",
     "{\n  \"defaultErrno\": \"ENOSYS\",\n  \"defaultAction\": \"SCMP_ACT_LOG\",\n"
     "  \"syscalls\": []\n}\n",
     true, 12, 3, false},
    {"OCI config, 2 spaces",
     "{\n  \"ociVersion\": \"1.0.2\",\n  \"linux\": {\n    \"seccomp\": {\n"
     "      \"defaultAction\": \"SCMP_ACT_LOG\",\n      \"syscalls\": [\n        {\n"
     "          \"names\": [\n            \"read\"\n          ],\n"
     "          \"action\": \"SCMP_ACT_ALLOW\"\n        }\n      ]\n    },\n"
     "    \"namespaces\": []\n  }\n}\n",
     true, 9, 1, false},
    {"OCI config, tabs, no syscalls",
     "{\n\t\"ociVersion\": \"1.0.2\",\n\t\"linux\": {\n\t\t\"seccomp\": {\n"
     "\t\t\t\"defaultAction\": \"SCMP_ACT_ERRNO\"\n\t\t}\n\t}\n}",
     false, 11, 1, false},
    {"duplicate key",
     "{\n\t\"defaultAction\": \"SCMP_ACT_LOG\",\n\t\"defaultAction\": \"SCMP_ACT_LOG\",\n"
     "\t\"syscalls\": []\n}\n",
     true, 0, 0, true},
};

static void test_small(void **state)
{
    (void)state;
    static const char *const allow[] = {"read", "write", "mount"};
    for (size_t i = 0; i < sizeof(small_cases) / sizeof(small_cases[0]); i++) {
        const struct small_case *c = &small_cases[i];
        struct scw_profile_tune t = {.allow = allow,
                                     .n_allow = 3,
                                     .comment = strstr(c->what, "UTF-8") ? comment : NULL,
                                     .default_errno = c->log_only ? 1 : -1};
        struct result r = {0};
        tune_text(c->text, strlen(c->text), &t, &r);
        print_message("%s: +%zu -%zu%s\n", c->what, r.plus, r.minus,
                      r.reformatted ? " (reformatted)" : "");
        if (r.reformatted != c->reformatted ||
            (!c->reformatted && (r.plus != c->plus || r.minus != c->minus)))
            fprintf(stderr, "%s: got\n%s\n", c->what, r.text);
        assert_int_equal(r.reformatted, c->reformatted);
        if (c->reformatted) {
            assert_string_equal(r.text, r.canonical);
        } else {
            assert_int_equal(r.plus, c->plus);
            assert_int_equal(r.minus, c->minus);
        }
        bool crlf = strstr(c->text, "\r\n") != NULL;
        for (size_t k = 0; k < r.len; k++)
            if (r.text[k] == '\n')
                assert_true(crlf == (k > 0 && r.text[k - 1] == '\r'));
        size_t n = strlen(c->text);
        assert_int_equal(r.len && r.text[r.len - 1] == '\n', c->text[n - 1] == '\n');
        result_free(&r);
    }
}

/* The new entry takes the file's unit and keys names, action, comment (Docker's order). */
static void test_layout(void **state)
{
    (void)state;
    static const char text[] =
        "{\n   \"defaultAction\": \"SCMP_ACT_ERRNO\",\n   \"syscalls\": [\n      {\n"
        "         \"names\": [\"read\"],\n         \"action\": \"SCMP_ACT_ALLOW\"\n      }\n"
        "   ]\n}\n";
    static const char want[] =
        "{\n   \"defaultAction\": \"SCMP_ACT_ERRNO\",\n   \"syscalls\": [\n      {\n"
        "         \"names\": [\"read\"],\n         \"action\": \"SCMP_ACT_ALLOW\"\n      },\n"
        "      {\n         \"names\": [\n            \"mount\",\n            \"write\"\n"
        "         ],\n         \"action\": \"SCMP_ACT_ALLOW\",\n"
        "         \"comment\": \"new \\\"one\\\"\"\n      }\n   ]\n}\n";
    static const char *const allow[] = {"write", "read", "mount"};
    struct scw_profile_tune t = {
        .allow = allow, .n_allow = 3, .comment = "new \"one\"", .default_errno = -1};
    struct result r = {0};
    tune_text(text, strlen(text), &t, &r);
    assert_false(r.reformatted);
    assert_string_equal(r.text, want);
    result_free(&r);

    /* log-only: defaultAction replaced, defaultErrnoRet added after it, flags cut with its
     * comma, the empty syscalls filled */
    static const char log[] = "{\n\t\"defaultAction\": \"SCMP_ACT_LOG\",\n\t\"flags\": [\n"
                              "\t\t\"SECCOMP_FILTER_FLAG_LOG\"\n\t],\n\t\"syscalls\": []\n}";
    static const char want_log[] = "{\n\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
                                   "\t\"defaultErrnoRet\": 38,\n\t\"syscalls\": [\n\t\t{\n"
                                   "\t\t\t\"names\": [\n\t\t\t\t\"mount\",\n\t\t\t\t\"read\",\n"
                                   "\t\t\t\t\"write\"\n\t\t\t],\n"
                                   "\t\t\t\"action\": \"SCMP_ACT_ALLOW\"\n\t\t}\n\t]\n}";
    struct scw_profile_tune tl = {.allow = allow, .n_allow = 3, .default_errno = 38};
    r = (struct result){0};
    tune_text(log, strlen(log), &tl, &r);
    assert_false(r.reformatted);
    assert_string_equal(r.text, want_log);
    result_free(&r);
}

/* Nothing to add: the input byte for byte; a canonical input: the canonical output. */
static void test_identity(void **state)
{
    (void)state;
    static const char text[] = "{\r\n\t\"defaultAction\":  \"SCMP_ACT_ERRNO\" ,\r\n"
                               "\t\"syscalls\": [ { \"names\": [\"read\"], "
                               "\"action\": \"SCMP_ACT_ALLOW\" } ]\r\n}";
    static const char *const allow[] = {"read"};
    struct scw_profile_tune t = {.allow = allow, .n_allow = 1, .default_errno = -1};
    struct result r = {0};
    tune_text(text, strlen(text), &t, &r);
    assert_false(r.reformatted);
    assert_int_equal(r.ch.names_added, 0);
    assert_int_equal(r.len, strlen(text));
    assert_memory_equal(r.text, text, r.len);
    result_free(&r);

    size_t len;
    char *fixture = scw_test_read_file(SCW_TEST_DATA "/profiles/docker-default-log.json", &len);
    assert_non_null(fixture);
    struct scw_profile *p = load(fixture, len);
    char *canon;
    size_t clen;
    assert_int_equal(scw_profile_dump(p, false, &canon, &clen), 0);
    scw_profile_free(p);
    assert_int_equal(clen, len); /* the fixture is canonical */
    static const char *const allow3[] = {"mount", "io_uring_setup", "ptrace"};
    struct scw_profile_tune t3 = {
        .allow = allow3, .n_allow = 3, .comment = comment, .default_errno = 1};
    r = (struct result){0};
    tune_text(fixture, len, &t3, &r);
    assert_false(r.reformatted);
    assert_string_equal(r.text, r.canonical);
    result_free(&r);
    free(canon);
    free(fixture);
}

/* Errors are scw_profile_tune's, and nothing is returned with them. */
static void test_errors(void **state)
{
    (void)state;
    static const char text[] = "{\"defaultAction\": \"SCMP_ACT_LOG\"}";
    struct scw_profile *p = load(text, strlen(text));
    static const char *const bad[] = {"read;rm"};
    struct scw_profile_tune t = {.allow = bad, .n_allow = 1, .default_errno = -1};
    char *out = NULL;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_tune_source(p, &t, &out, NULL, NULL, NULL, &d), -EINVAL);
    assert_null(out);
    assert_true(d.errors > 0);
    scw_profile_diags_free(&d);
    assert_int_equal(scw_profile_tune_source(NULL, &t, &out, NULL, NULL, NULL, NULL), -EINVAL);
    scw_profile_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_profiles), cmocka_unit_test(test_real_log_only),
        cmocka_unit_test(test_small),         cmocka_unit_test(test_layout),
        cmocka_unit_test(test_identity),      cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
