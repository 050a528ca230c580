/*
 * test_advice_report: what advice_report.c prints for cases the golden files (e2e_advise.sh)
 * do not reach: a vulnerability block with its evidence (text and JSON), a deny the current
 * profile already allows, a profile that allows everything logged, colour, terminal-unsafe
 * executables, workloads without a profile and the "no SECCOMP events" report; a proposal's
 * "timeline" (its events per interval of the time grid).
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advice_report.h"
#include "advise.h"

#define X86_64 0xc000003eU
#define LOG    0x7ffc0000U

static const char rules_yaml[] = "version: 1\n"
                                 "rules:\n"
                                 "  - {name: no-chmod, syscalls: [chmod], decision: deny,\n"
                                 "     reason: chmod is not for us}\n"
                                 "defaults:\n"
                                 "  thresholds: {min_events: 1}\n";

static void add(struct scw_aggregate *agg, int w, uint32_t nr, int times, const char *exe)
{
    for (int i = 0; i < times; i++) {
        struct scw_record r;
        memset(&r, 0, sizeof(r));
        r.arch = X86_64;
        r.syscall = nr;
        r.code = LOG;
        r.action = SCW_ACTION_LOG;
        r.ts_sec = 1764339736 + i;
        r.pid = 7;
        snprintf(r.exe, sizeof(r.exe), "%s", exe);
        assert_int_equal(scw_aggregate_add(agg, (uint32_t)w, &r), 0);
    }
}

static bool block_mknod(void *ctx, const struct scw_container *c, const char *arch,
                        const char *syscall, struct scw_advise_block *ret)
{
    (void)ctx;
    (void)c;
    (void)arch;
    if (!syscall || strcmp(syscall, "mknod") != 0)
        return false;
    *ret = (struct scw_advise_block){
        .name = "fake-block",
        .reason = "a fake unfixed CVE",
        .evidence = "CVE-2099-1 (high) in libfake 1.0",
        .vuln = {
            .cve = "CVE-2099-1", .severity = "high", .package = "libfake", .installed = "1.0"}};
    return true;
}

/* Allows chmod (so the deny rule meets an allowing profile); refuses the rest. */
static int query(const void *ctx, uint32_t arch, const char *syscall, struct scw_advise_answer *ret)
{
    (void)ctx;
    (void)arch;
    bool allowed = syscall && strcmp(syscall, "chmod") == 0;
    *ret =
        (struct scw_advise_answer){.verdict = allowed ? SCW_CURRENT_ALLOWED : SCW_CURRENT_REFUSED,
                                   .action = allowed ? "SCMP_ACT_ALLOW" : "SCMP_ACT_LOG",
                                   .errno_value = -1,
                                   .entry = allowed ? 0 : -1};
    return 0;
}

static char *render(const struct scw_aggregate *agg, const struct scw_advice *a,
                    const struct scw_advice_report_opts *o, bool json)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    int rc = json ? scw_advice_write_json(agg, a, o, f) : scw_advice_write_text(agg, a, o, f);
    assert_int_equal(rc, 0);
    fclose(f);
    return buf;
}

static void test_blocks_and_allowed_denies(void **state)
{
    (void)state;
    struct scw_rules *rs = scw_rules_new();
    assert_int_equal(scw_rules_load_buffer(rs, "t.yaml", rules_yaml, strlen(rules_yaml), NULL), 0);
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    int w = scw_aggregate_workload(agg, "exe:/bin/app", NULL);
    add(agg, w, 133, 2, "/bin/app\x1b[31m"); /* mknod, an executable with an escape */
    add(agg, w, 90, 3, "/bin/app");          /* chmod */
    int lone = scw_aggregate_workload(agg, "exe:/bin/lone", NULL);
    add(agg, lone, 39, 1, "/bin/lone"); /* getpid, no profile */
    struct scw_advise_profile prof = {.path = "p.json",
                                      .default_action = "SCMP_ACT_LOG",
                                      .default_errno = -1,
                                      .log_only = true,
                                      .query = query};
    struct scw_advise_assign assign[2] = {{SCW_ADVISE_SOURCE_CLI, "p.json", 0, NULL},
                                          {SCW_ADVISE_SOURCE_NONE, NULL, -1, NULL}};
    struct scw_advise_input in = {.agg = agg,
                                  .rules = rs,
                                  .profiles = &prof,
                                  .n_profiles = 1,
                                  .assign = assign,
                                  .vuln_block = block_mknod};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    const char *files[] = {"t.yaml"};
    struct scw_advice_report_opts o = {.report = {.title = "t"},
                                       .profiles = &prof,
                                       .n_profiles = 1,
                                       .rule_files = files,
                                       .n_rule_files = 1};
    char *t = render(agg, a, &o, false);
    assert_non_null(strstr(t, "t: proposals for 2 workloads in 1 profile group, 1 without a "
                              "known profile\n"));
    assert_non_null(strstr(t, "  mknod (x86_64): deny\n"
                              "      rule:        fake-block (vulnerability block: outranks "
                              "every rule)\n"
                              "      reason:      a fake unfixed CVE\n"
                              "      evidence:    CVE-2099-1 (high) in libfake 1.0\n"
                              "      enforcing:   this workload was seen calling mknod:"));
    /* the plain statement (wrapped over lines): enforcing breaks that code path, on purpose */
    char *flat = strdup(t);
    size_t fo = 0;
    for (size_t i = 0; t[i]; i++) {
        if (t[i] == '\n') {
            while (t[i + 1] == ' ')
                i++;
            flat[fo++] = ' ';
        } else {
            flat[fo++] = t[i];
        }
    }
    flat[fo] = '\0';
    assert_non_null(strstr(flat, "enforcing the tuned profile WILL break that code path. That is "
                                 "intended: CVE-2099-1 stays exploitable through it until the "
                                 "image is rebuilt with the fix."));
    free(flat);
    assert_non_null(strstr(t, "      executables: /bin/app\\x1b[31m\n"));
    assert_null(strchr(t, '\x1b')); /* no raw escape reaches the terminal */
    assert_non_null(strstr(t, "      profile:     already allowed by syscalls[0] (SCMP_ACT_ALLOW)\n"
                              "      note:        the current profile lets it run and the "
                              "tuned profile only adds an allow entry: remove it from the "
                              "profile by hand\n"));
    /* chmod is allowed already: not in "what breaks", not "kept refused" */
    assert_non_null(strstr(t, "  Tuned profile: allows nothing new; keeps refused mknod: "
                              "deny.\n"));
    assert_non_null(strstr(t, "\nworkload /bin/lone: no profile known"));
    assert_non_null(strstr(t, "What breaks if you enforce the current profile:\x20unknown"));
    free(t);

    char *j = render(agg, a, &o, true);
    json_t *doc = json_loads(j, 0, NULL);
    assert_non_null(doc);
    json_t *g = json_array_get(json_object_get(doc, "profiles"), 0);
    json_t *p0 = json_array_get(json_object_get(g, "proposals"), 0);
    assert_string_equal(json_string_value(json_object_get(p0, "syscall")), "chmod");
    assert_string_equal(json_string_value(json_object_get(p0, "profile_verdict")), "allowed");
    assert_int_equal(json_integer_value(json_object_get(p0, "profile_entry")), 0);
    /* its timeline: seconds +0, +1, +2 of one-second buckets (the aggregate's grid) */
    json_t *tl = json_object_get(p0, "timeline");
    assert_int_equal(json_integer_value(json_object_get(tl, "origin")), 1764339736);
    assert_int_equal(json_integer_value(json_object_get(tl, "width")), 1);
    assert_int_equal(json_integer_value(json_object_get(tl, "untimed")), 0);
    json_t *counts = json_object_get(tl, "counts"); /* first to last bucket with events */
    assert_int_equal(json_array_size(counts), 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(json_integer_value(json_array_get(counts, i)), 1);
    json_t *p1 = json_array_get(json_object_get(g, "proposals"), 1);
    assert_string_equal(json_string_value(json_object_get(p1, "rule")), "fake-block");
    /* mknod: seconds +0 and +1 */
    json_t *c1 = json_object_get(json_object_get(p1, "timeline"), "counts");
    assert_int_equal(json_array_size(c1), 2);
    assert_true(json_is_true(json_object_get(p1, "blocked_by_vulnerability")));
    json_t *vuln = json_object_get(p1, "vulnerability");
    assert_string_equal(json_string_value(json_object_get(vuln, "evidence")),
                        "CVE-2099-1 (high) in libfake 1.0");
    assert_string_equal(json_string_value(json_object_get(vuln, "cve")), "CVE-2099-1");
    assert_string_equal(json_string_value(json_object_get(vuln, "package")), "libfake");
    assert_string_equal(json_string_value(json_object_get(vuln, "block")), "fake-block");
    assert_true(json_is_null(json_object_get(vuln, "kernel")));
    assert_int_equal(json_array_size(json_object_get(g, "breaks_if_enforced")), 1);
    json_t *tuned = json_object_get(g, "tuned");
    assert_int_equal(json_array_size(json_object_get(tuned, "allow")), 0);
    assert_int_equal(json_integer_value(json_object_get(tuned, "default_errno")), 1);
    json_t *wl = json_array_get(json_object_get(doc, "workloads"), 1);
    assert_true(json_is_null(json_object_get(json_object_get(wl, "profile"), "source")));
    assert_true(json_is_null(json_object_get(json_object_get(wl, "profile"), "group")));
    json_decref(doc);
    free(j);

    /* colour: headings bold, deny in the warning colour */
    o.report.color = true;
    t = render(agg, a, &o, false);
    assert_non_null(strstr(t, "  \033[1mmknod (x86_64)\033[0m: \033[33mdeny\033[0m\n"));
    assert_non_null(strstr(t, "\n\033[1mprofile p:\033[0m p.json (from --profile)"));
    free(t);
    scw_advice_free(a);
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

static void test_no_events(void **state)
{
    (void)state;
    struct scw_rules *rs = scw_rules_new();
    assert_int_equal(scw_rules_load_buffer(rs, "t.yaml", rules_yaml, strlen(rules_yaml), NULL), 0);
    struct scw_aggregate *agg = scw_aggregate_new(NULL);
    struct scw_advise_input in = {.agg = agg, .rules = rs};
    struct scw_advice *a = NULL;
    assert_int_equal(scw_advise(&in, &a), 0);
    struct scw_advice_report_opts o = {.report = {.title = "t", .n_inputs = 2}};
    char *t = render(agg, a, &o, false);
    assert_string_equal(t, "t: proposals for 0 workloads in 0 profile groups\n"
                           "  input: 2 files, 0 lines, 0 SECCOMP records\n"
                           "  rules: -\n"
                           "  tuned profiles refuse with SCMP_ACT_ERRNO (EPERM)\n"
                           "\n"
                           "no SECCOMP events\n");
    free(t);
    char *j = render(agg, a, &o, true);
    json_t *doc = json_loads(j, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(doc, "profiles")), 0);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "rules"), "enforce_action")),
        "SCMP_ACT_ERRNO");
    json_decref(doc);
    free(j);
    scw_advice_free(a);
    scw_aggregate_free(agg);
    scw_rules_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_and_allowed_denies),
        cmocka_unit_test(test_no_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
