/*
 * test_profile: profile.c and profile_filter.c on fixtures (a trimmed Docker default profile
 * with archMap, includes/excludes on caps/arches/minKernel and the clone argument filters; a
 * compact OCI config.json as containerd writes it): load errors with file:line:column,
 * findings with JSON paths, round-trip preservation, queries per host, logify both ways, tune,
 * golden outputs compared byte for byte, libseccomp validation and filter building.
 */
#include "testutil.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "jsonpos.h"
#include "profile.h"

#define PROFILES SCW_TEST_DATA "/profiles/"
#define GOLDEN   SCW_TEST_DATA "/golden/"
#define TUNE_COMMENT                                                                               \
    "scmpwatch: allowed after 1234 events from 3 containers, 2024-05-01 to 2024-05-07"

static struct scw_profile *load_path(const char *path)
{
    struct scw_profile *p = NULL;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    int rc = scw_profile_load_file(path, &p, &d);
    if (rc < 0)
        scw_profile_diags_print(&d, path, SCW_DIAG_NOTE, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(d.errors, 0);
    scw_profile_diags_free(&d);
    return p;
}

static struct scw_profile *load_text(const char *text)
{
    struct scw_profile *p = NULL;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    int rc = scw_profile_load("t.json", text, strlen(text), &p, &d);
    if (rc < 0)
        scw_profile_diags_print(&d, "t.json", SCW_DIAG_NOTE, stderr);
    assert_int_equal(rc, 0);
    scw_profile_diags_free(&d);
    return p;
}

static char *dump(const struct scw_profile *p)
{
    char *text;
    assert_int_equal(scw_profile_dump(p, false, &text, NULL), 0);
    return text;
}

static void assert_golden(const char *text, const char *golden)
{
    char *want = scw_test_read_file(golden, NULL);
    assert_non_null(want);
    if (strcmp(text, want) != 0) {
        fprintf(stderr, "differs from %s:\n", golden);
        scw_diff_unified(want, strlen(want), text, strlen(text), NULL, stderr);
    }
    assert_string_equal(text, want);
    free(want);
}

/* The one diagnostic whose message contains needle (asserting there is exactly one). */
static const struct scw_diag *find_diag(const struct scw_profile_diags *d, const char *needle)
{
    const struct scw_diag *hit = NULL;
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].message, needle)) {
            assert_null(hit);
            hit = &d->items[i];
        }
    if (!hit) {
        fprintf(stderr, "no diagnostic with '%s' among:\n", needle);
        scw_profile_diags_print(d, "t", SCW_DIAG_NOTE, stderr);
    }
    assert_non_null(hit);
    return hit;
}

/* ---- loading and round trips ---- */

static void test_docker_fixture(void **state)
{
    (void)state;
    struct scw_profile *p = load_path(PROFILES "docker-default.json");
    assert_int_equal(scw_profile_kind(p), SCW_PROFILE_DOCKER);
    assert_true(scw_profile_ok(p));
    int e;
    assert_int_equal(scw_profile_default_action(p, &e), SCW_ACTION_ERRNO);
    assert_int_equal(e, 1);
    assert_false(scw_profile_log_only(p));
    assert_int_equal(scw_profile_n_entries(p), 28);
    /* one finding: 'mseal' is newer than this libseccomp (and kept, see round trip) */
    const struct scw_profile_diags *d = scw_profile_diags(p);
    bool mseal_known = seccomp_syscall_resolve_name("mseal") != __NR_SCMP_ERROR;
    assert_int_equal(d->errors, 0);
    assert_int_equal(d->warnings, mseal_known ? 0 : 1);
    if (!mseal_known) {
        const struct scw_diag *g = find_diag(d, "unknown syscall 'mseal'");
        assert_int_equal(g->level, SCW_DIAG_WARNING);
        assert_int_equal(g->line, 140);
        assert_int_equal(g->column, 9);
        assert_string_equal(g->path, "syscalls[0].names[101]");
    }
    /* architectures: archMap entry of the host, native first */
    uint32_t a[SCW_PROFILE_MAX_ARCHES];
    assert_int_equal(scw_profile_arches(p, SCMP_ARCH_X86_64, a, SCW_PROFILE_MAX_ARCHES), 3);
    assert_int_equal(a[0], SCMP_ARCH_X86_64);
    assert_int_equal(a[1], SCMP_ARCH_X86);
    assert_int_equal(a[2], SCMP_ARCH_X32);
    assert_int_equal(scw_profile_arches(p, SCMP_ARCH_AARCH64, a, SCW_PROFILE_MAX_ARCHES), 2);
    assert_int_equal(a[1], SCMP_ARCH_ARM);
    assert_int_equal(scw_profile_arches(p, SCMP_ARCH_RISCV64, a, SCW_PROFILE_MAX_ARCHES), 1);
    assert_int_equal(scw_profile_arches(p, SCMP_ARCH_PPC64LE, a, SCW_PROFILE_MAX_ARCHES), 1);
    assert_int_equal(scw_profile_listed_arches(p, a, SCW_PROFILE_MAX_ARCHES), 11);
    /* names: sorted, unique, unknown ones included */
    const char **names;
    int n = scw_profile_names(p, &names);
    assert_int_equal(n, 231); /* python3: len(set(all names)) */
    for (int i = 1; i < n; i++)
        assert_true(strcmp(names[i - 1], names[i]) < 0);
    bool has_mseal = false;
    for (int i = 0; i < n; i++)
        has_mseal |= strcmp(names[i], "mseal") == 0;
    assert_true(has_mseal);
    free(names);
    scw_profile_free(p);
}

static void test_roundtrip(void **state)
{
    (void)state;
    /* the Docker fixture is canonical (written by Python's json): byte-identical */
    size_t len;
    char *orig = scw_test_read_file(PROFILES "docker-default.json", &len);
    struct scw_profile *p = load_path(PROFILES "docker-default.json");
    char *out = dump(p);
    assert_string_equal(out, orig);
    free(out);
    free(orig);
    scw_profile_free(p);

    /* the OCI config is compact: rewritten canonically, then stable; every field kept */
    orig = scw_test_read_file(PROFILES "oci-config.json", &len);
    p = load_path(PROFILES "oci-config.json");
    out = dump(p);
    assert_string_not_equal(out, orig);
    struct scw_profile *q = load_text(out);
    char *again = dump(q);
    assert_string_equal(again, out);
    assert_non_null(strstr(out, "\"com.example.note\": \"caf\xc3\xa9\""));
    assert_non_null(strstr(out, "\"libnetwork-setkey\""));
    assert_non_null(strstr(out, "\"maskedPaths\": ["));
    assert_non_null(strstr(out, "\"noNewPrivileges\": true"));
    assert_non_null(strstr(out, "\"limit\": 536870912"));
    assert_true(out[strlen(out) - 1] == '\n');
    /* key order as read: ociVersion, process, root, hostname, mounts, hooks, linux, annotations */
    const char *keys[] = {"\"ociVersion\"", "\"process\"", "\"root\"",  "\"hostname\"",
                          "\"mounts\"",     "\"hooks\"",   "\"linux\"", "\"annotations\""};
    const char *prev = out;
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const char *at = strstr(prev, keys[i]);
        assert_non_null(at);
        prev = at;
    }
    /* seccomp_only writes the linux.seccomp object */
    char *sc;
    assert_int_equal(scw_profile_dump(p, true, &sc, NULL), 0);
    const char *head = "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n";
    assert_int_equal(strncmp(sc, head, strlen(head)), 0);
    assert_null(strstr(sc, "ociVersion"));
    free(sc);
    free(again);
    free(out);
    free(orig);
    scw_profile_free(q);
    scw_profile_free(p);

    /* unknown fields, unknown syscalls, floats, unicode escapes survive */
    p = load_text("{\"x-team\":{\"owner\":\"ops\",\"weight\":1.5},\"defaultAction\":"
                  "\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"scw_not_a_syscall\"],"
                  "\"action\":\"SCMP_ACT_ALLOW\",\"x-why\":\"\\u00e9t\\u00e9\"}]}");
    out = dump(p);
    assert_string_equal(out, "{\n"
                             "  \"x-team\": {\n"
                             "    \"owner\": \"ops\",\n"
                             "    \"weight\": 1.5\n"
                             "  },\n"
                             "  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
                             "  \"syscalls\": [\n"
                             "    {\n"
                             "      \"names\": [\n"
                             "        \"read\",\n"
                             "        \"scw_not_a_syscall\"\n"
                             "      ],\n"
                             "      \"action\": \"SCMP_ACT_ALLOW\",\n"
                             "      \"x-why\": \"\xc3\xa9t\xc3\xa9\"\n"
                             "    }\n"
                             "  ]\n"
                             "}\n");
    const struct scw_profile_diags *d = scw_profile_diags(p);
    assert_int_equal(d->errors, 0);
    assert_int_equal(d->warnings, 3);
    assert_string_equal(find_diag(d, "'x-team'")->path, "[\"x-team\"]");
    assert_string_equal(find_diag(d, "'x-why'")->path, "syscalls[0][\"x-why\"]");
    const struct scw_diag *g = find_diag(d, "unknown syscall 'scw_not_a_syscall'");
    assert_string_equal(g->path, "syscalls[0].names[1]");
    assert_int_equal(g->line, 1);
    assert_int_equal(g->column, 102);
    free(out);
    scw_profile_free(p);
}

static void test_oci(void **state)
{
    (void)state;
    struct scw_profile *p = load_path(PROFILES "oci-config.json");
    assert_int_equal(scw_profile_kind(p), SCW_PROFILE_OCI);
    assert_true(scw_profile_ok(p));
    assert_int_equal(scw_profile_diags(p)->warnings, 0);
    assert_int_equal(scw_profile_n_entries(p), 4);
    uint32_t a[SCW_PROFILE_MAX_ARCHES];
    assert_int_equal(scw_profile_arches(p, SCMP_ARCH_X86_64, a, SCW_PROFILE_MAX_ARCHES), 3);
    struct scw_profile_answer ans;
    assert_int_equal(scw_profile_query(p, NULL, SCMP_ARCH_X86_64, "clone3", &ans), 0);
    assert_int_equal(ans.match, SCW_MATCH_ENTRY);
    assert_int_equal(ans.action, SCW_ACTION_ERRNO);
    assert_int_equal(ans.errno_ret, 38);
    assert_int_equal(ans.entry, 3);
    assert_false(ans.assumed);
    assert_int_equal(scw_profile_query(p, NULL, SCMP_ARCH_X86, "getuid32", &ans), 0);
    assert_int_equal(ans.match, SCW_MATCH_DEFAULT);
    assert_int_equal(ans.verdict, SCW_VERDICT_REFUSED);
    assert_int_equal(ans.errno_ret, 1);
    scw_profile_free(p);

    /* Docker-only fields in linux.seccomp are warned about and ignored (not applied) */
    p = load_text("{\"ociVersion\":\"1.0.2\",\"linux\":{\"seccomp\":{\"defaultAction\":"
                  "\"SCMP_ACT_ERRNO\",\"archMap\":[],\"syscalls\":[{\"names\":[\"mount\"],"
                  "\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}}}");
    const struct scw_profile_diags *d = scw_profile_diags(p);
    assert_int_equal(d->warnings, 2);
    assert_string_equal(find_diag(d, "'archMap' is a Docker")->path, "linux.seccomp.archMap");
    assert_string_equal(find_diag(d, "'includes' is a Docker")->path,
                        "linux.seccomp.syscalls[0].includes");
    assert_int_equal(scw_profile_query(p, NULL, SCMP_ARCH_X86_64, "mount", &ans), 0);
    assert_int_equal(ans.match, SCW_MATCH_ENTRY); /* runc ignores includes: always allowed */
    scw_profile_free(p);
}

/* ---- load errors: file:line:column and the reason ---- */

static void test_load_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int rc;
        unsigned line, column;
        const char *path;
        const char *message;
    } cases[] = {
        {"{\"defaultAction\": 5}", -EINVAL, 1, 19, "defaultAction",
         "'defaultAction' must be a string, not an integer"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": {}}", -EINVAL, 2, 14, "syscalls",
         "'syscalls' must be an array of objects, not an object"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n  {\"names\": [\"read\"],\n"
         "   \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": -1, \"op\": "
         "\"SCMP_CMP_EQ\"}]}]}",
         -EINVAL, 3, 51, "syscalls[0].args[0].index",
         "'index' must be a non-negative integer, not a negative number"},
        {"{\"syscalls\": [{\"names\": [\"read\", 7]}]}", -EINVAL, 1, 34, "syscalls[0].names[1]",
         "'names' must hold strings, not an integer"},
        {"{\"syscalls\": [{\"names\": [\"read\"], \"errnoRet\": 1.5}]}", -EINVAL, 1, 47,
         "syscalls[0].errnoRet", "'errnoRet' must be a non-negative integer, not a fractional"},
        {"{\"syscalls\": [{\"includes\": {\"caps\": \"CAP_SYS_ADMIN\"}}]}", -EINVAL, 1, 37,
         "syscalls[0].includes.caps", "'caps' must be an array of strings, not a string"},
        {"{\"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": 1}]}",
         -EINVAL, 1, 71, "archMap[0].subArchitectures", "must be an array of strings"},
        {"{\"syscalls\": [null]}", -EINVAL, 1, 15, "syscalls[0]",
         "each of 'syscalls' must be an object, not null"},
        {"{\"syscalls\": [{\"names\": [\"read\"],, }]}", -EINVAL, 1, 34, "",
         "invalid JSON: string or '}' expected"},
        {"{\"syscalls\": [{\"args\": [{\"value\": 18446744073709551615}]}]}", -EINVAL, 1, 54, "",
         "too big integer"},
        {"[1, 2]", -EINVAL, 1, 1, "", "the document is an array, not an object"},
        {"", -EINVAL, 1, 0, "", "invalid JSON"},
        {"{\"ociVersion\": \"1.0.2\", \"linux\": {\"namespaces\": []}}", -EINVAL, 1, 34, "linux",
         "no linux.seccomp"},
        {"{\"ociVersion\": \"1.0.2\", \"linux\": {\"seccomp\": []}}", -EINVAL, 1, 46,
         "linux.seccomp", "linux.seccomp must be an object, not an array"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scw_profile *p = NULL;
        struct scw_profile_diags d;
        scw_profile_diags_init(&d);
        int rc = scw_profile_load("bad.json", cases[i].text, strlen(cases[i].text), &p, &d);
        if (rc != cases[i].rc || d.n < 1 || !strstr(d.items[0].message, cases[i].message) ||
            d.items[0].line != cases[i].line || d.items[0].column != cases[i].column ||
            strcmp(d.items[0].path, cases[i].path) != 0) {
            fprintf(stderr, "case %zu: rc %d\n", i, rc);
            scw_profile_diags_print(&d, "bad.json", SCW_DIAG_NOTE, stderr);
        }
        assert_int_equal(rc, cases[i].rc);
        assert_null(p);
        assert_true(d.n >= 1);
        assert_int_equal(d.items[0].level, SCW_DIAG_ERROR);
        assert_non_null(strstr(d.items[0].message, cases[i].message));
        assert_int_equal(d.items[0].line, cases[i].line);
        assert_int_equal(d.items[0].column, cases[i].column);
        assert_string_equal(d.items[0].path, cases[i].path);
        scw_profile_diags_free(&d);
    }
}

static void test_load_bounds(void **state)
{
    (void)state;
    struct scw_profile *p = NULL;
    struct scw_profile_diags d;
    /* nesting deeper than SCW_PROFILE_MAX_DEPTH */
    char deep[200];
    size_t k = 0;
    deep[k++] = '{';
    deep[k++] = '"';
    deep[k++] = 'a';
    deep[k++] = '"';
    deep[k++] = ':';
    for (int i = 0; i < 70; i++)
        deep[k++] = '[';
    deep[k] = '\0';
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_load("deep", deep, k, &p, &d), -EINVAL);
    assert_non_null(strstr(d.items[0].message, "nested deeper than 64"));
    assert_int_equal(d.items[0].column, 69);
    scw_profile_diags_free(&d);

    /* more entries than SCW_PROFILE_MAX_ENTRIES */
    size_t cap = 16 + (SCW_PROFILE_MAX_ENTRIES + 1) * 3;
    char *big = malloc(cap);
    k = (size_t)snprintf(big, cap, "{\"syscalls\":[");
    for (int i = 0; i <= SCW_PROFILE_MAX_ENTRIES; i++)
        k += (size_t)snprintf(big + k, cap - k, "%s{}", i ? "," : "");
    k += (size_t)snprintf(big + k, cap - k, "]}");
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_load("big", big, k, &p, &d), -EINVAL);
    assert_string_equal(d.items[0].message,
                        "'syscalls' has 4097 entries; scmpwatch reads at most 4096");
    assert_string_equal(d.items[0].path, "syscalls");
    scw_profile_diags_free(&d);
    free(big);

    /* more than SCW_PROFILE_MAX_VALUES values, refused before jansson parses them */
    size_t nvals = SCW_PROFILE_MAX_VALUES + 10;
    big = malloc(nvals * 2 + 16);
    k = (size_t)snprintf(big, 16, "{\"a\":[");
    for (size_t i = 0; i < nvals; i++) {
        big[k++] = '0';
        big[k++] = ',';
    }
    big[k - 1] = ']';
    big[k++] = '}';
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_load("many", big, k, &p, &d), -EINVAL);
    assert_non_null(strstr(d.items[0].message, "more than 1000000 values"));
    scw_profile_diags_free(&d);
    free(big);

    /* file size */
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_load("huge", "{}", SCW_PROFILE_MAX_BYTES + 1, &p, &d), -EFBIG);
    assert_int_equal(d.errors, 1);
    scw_profile_diags_free(&d);

    /* a file that cannot be opened */
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_load_file("/nonexistent/p.json", &p, &d), -ENOENT);
    assert_non_null(strstr(d.items[0].message, "cannot open '/nonexistent/p.json'"));
    scw_profile_diags_free(&d);
}

/* ---- findings: what runtimes refuse (errors) or ignore (warnings) ---- */

static void test_findings(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum scw_diag_level level;
        const char *path;
        const char *message;
        size_t n; /* findings in all (0: 1) */
    } cases[] = {
        {"{\"defaultAction\":\"SCMP_ACT_DENY\"}", SCW_DIAG_ERROR, "defaultAction",
         "unknown action 'SCMP_ACT_DENY'"},
        {"{\"syscalls\":[]}", SCW_DIAG_ERROR, "", "no 'defaultAction'"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":5000}", SCW_DIAG_ERROR,
         "defaultErrnoRet", "'defaultErrnoRet' 5000: libseccomp takes errno 0 to 4094 only"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
         "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}",
         SCW_DIAG_ERROR, "archMap", "both 'architectures' and 'archMap'"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_AMD64\"]}",
         SCW_DIAG_ERROR, "architectures[0]", "unknown architecture 'SCMP_ARCH_AMD64'"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"x86_64\"]}", SCW_DIAG_ERROR,
         "architectures[0]", "unknown architecture 'x86_64'"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":"
         "\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_I386\"]}]}",
         SCW_DIAG_ERROR, "archMap[0].subArchitectures[0]", "unknown architecture 'SCMP_ARCH_I386'"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"flags\":[\"SECCOMP_FILTER_FLAG_NEW_LISTENER\"]}",
         SCW_DIAG_ERROR, "flags[0]", "unknown flag 'SECCOMP_FILTER_FLAG_NEW_LISTENER'", 2},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"]}]}",
         SCW_DIAG_ERROR, "syscalls[0]", "no 'action'"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
         "\"action\":\"allow\"}]}",
         SCW_DIAG_ERROR, "syscalls[0].action", "unknown action 'allow'"},

        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"name\":\"read\",\"names\":"
         "[\"write\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
         SCW_DIAG_ERROR, "syscalls[0].name", "both 'name' and 'names'"},

        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
         "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":6,\"value\":1,\"op\":"
         "\"SCMP_CMP_EQ\"}]}]}",
         SCW_DIAG_ERROR, "syscalls[0].args[0].index", "argument index 6"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
         "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":"
         "\"SCMP_CMP_BETWEEN\"}]}]}",
         SCW_DIAG_ERROR, "syscalls[0].args[0].op", "unknown comparison 'SCMP_CMP_BETWEEN'"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
         "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1}]}]}",
         SCW_DIAG_ERROR, "syscalls[0].args[0]", "no 'op'"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"ptrace\"],"
         "\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"4.8.0\"}}]}",
         SCW_DIAG_ERROR, "syscalls[0].includes.minKernel", "minKernel '4.8.0' is not a kernel"},
        /* warnings */
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"name\":\"read\","
         "\"action\":\"SCMP_ACT_ALLOW\"}]}",
         SCW_DIAG_WARNING, "syscalls[0].name", "'name' is deprecated; write \"names\": [\"read\"]"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"action\":\"SCMP_ACT_ALLOW\"}]}",
         SCW_DIAG_WARNING, "syscalls[0]", "names no syscall"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"Syscalls\":[]}", SCW_DIAG_WARNING, "Syscalls",
         "did you mean 'syscalls'?"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"flags\":"
         "[\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}",
         SCW_DIAG_WARNING, "flags[0]", "runc before 1.5 does not know", 2},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],"
         "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"valueTwo\":2,"
         "\"op\":\"SCMP_CMP_EQ\"}]}]}",
         SCW_DIAG_WARNING, "syscalls[0].args[0].valueTwo", "only used with SCMP_CMP_MASKED_EQ"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
         "\"SCMP_ARCH_X86\"],\"syscalls\":[{\"names\":[\"personality\"],\"action\":"
         "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":4294967296,\"op\":"
         "\"SCMP_CMP_EQ\"}]}]}",
         SCW_DIAG_WARNING, "syscalls[0].args[0]", "4294967296 does not fit in 32 bits"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"arch_prctl\"],"
         "\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"x86_64\"]}}]}",
         SCW_DIAG_WARNING, "syscalls[0].includes.arches[0]", "'x86_64' is not a host arch"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"mount\"],"
         "\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"SYS_ADMIN\"]}}]}",
         SCW_DIAG_WARNING, "syscalls[0].includes.caps[0]", "'SYS_ADMIN' never matches"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":"
         "\"SCMP_ARCH_X86_64\"},{\"architecture\":\"SCMP_ARCH_X86_64\"}]}",
         SCW_DIAG_WARNING, "archMap[1].architecture", "already has archMap[0]"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scw_profile *p = load_text(cases[i].text);
        const struct scw_profile_diags *d = scw_profile_diags(p);
        size_t want_n = cases[i].n ? cases[i].n : 1;
        if (d->n != want_n)
            fprintf(stderr, "case %zu:\n", i);
        const struct scw_diag *g = find_diag(d, cases[i].message);
        assert_int_equal(d->n, want_n);
        assert_int_equal(g->level, cases[i].level);
        assert_string_equal(g->path, cases[i].path);
        assert_int_equal(g->line, 1);
        assert_int_equal(g->column == 1, cases[i].path[0] == '\0');
        assert_int_equal(scw_profile_ok(p), cases[i].level != SCW_DIAG_ERROR);
        struct scw_profile_answer a;
        assert_int_equal(scw_profile_query(p, NULL, SCMP_ARCH_X86_64, "read", &a),
                         cases[i].level == SCW_DIAG_ERROR ? -EINVAL : 0);
        scw_profile_free(p);
    }
}

/* ---- queries ---- */

static void test_query(void **state)
{
    (void)state;
    struct scw_profile *p = load_path(PROFILES "docker-default.json");
    static const char *const admin[] = {"CAP_SYS_ADMIN", "CAP_CHOWN"};
    static const struct scw_profile_host h_default = {.kernel_major = 6, .kernel_minor = 1};
    static const struct scw_profile_host h_admin = {
        .caps = admin, .n_caps = 2, .kernel_major = 6, .kernel_minor = 1};
    static const struct scw_profile_host h_old = {.kernel_major = 4, .kernel_minor = 4};
    static const struct scw_profile_host h_none = {
        .no_caps = true, .kernel_major = 6, .kernel_minor = 1};
    static const struct scw_profile_host h_s390 = {.native = SCMP_ARCH_S390X, .kernel_major = 6};
    static const struct scw_profile_host h_arm = {.native = SCMP_ARCH_AARCH64};
    static const struct {
        const struct scw_profile_host *host;
        uint32_t arch;
        const char *syscall;
        enum scw_profile_match match;
        enum scw_profile_verdict verdict;
        enum scw_action action;
        int errno_ret;
        long entry;
        bool assumed;
    } cases[] = {
        {NULL, SCMP_ARCH_X86_64, "read", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED, SCW_ACTION_ALLOW, -1,
         0, false},
        {NULL, SCMP_ARCH_X86_64, "getuid32", SCW_MATCH_NO_SYSCALL, SCW_VERDICT_REFUSED,
         SCW_ACTION_ERRNO, 1, -1, false},
        {NULL, SCMP_ARCH_X86, "getuid32", SCW_MATCH_DEFAULT, SCW_VERDICT_REFUSED, SCW_ACTION_ERRNO,
         1, -1, false},
        {NULL, SCMP_ARCH_X86, "_llseek", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED, SCW_ACTION_ALLOW, -1,
         0, false},
        {NULL, SCMP_ARCH_X86, "socket", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED, SCW_ACTION_ALLOW, -1,
         0, false},
        {&h_default, SCMP_ARCH_X86_64, "clone3", SCW_MATCH_ENTRY, SCW_VERDICT_REFUSED,
         SCW_ACTION_ERRNO, 38, 17, true},
        {&h_admin, SCMP_ARCH_X86_64, "clone3", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED,
         SCW_ACTION_ALLOW, -1, 14, false},
        {&h_default, SCMP_ARCH_X86_64, "clone", SCW_MATCH_CONDITIONAL, SCW_VERDICT_CONDITIONAL,
         SCW_ACTION_ALLOW, -1, 15, true},
        {&h_admin, SCMP_ARCH_X86_64, "clone", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED,
         SCW_ACTION_ALLOW, -1, 14, false},
        {&h_s390, SCMP_ARCH_S390X, "clone", SCW_MATCH_CONDITIONAL, SCW_VERDICT_CONDITIONAL,
         SCW_ACTION_ALLOW, -1, 16, true},
        {&h_s390, SCMP_ARCH_S390, "s390_runtime_instr", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED,
         SCW_ACTION_ALLOW, -1, 11, false},
        {&h_default, SCMP_ARCH_X86_64, "mount", SCW_MATCH_DEFAULT, SCW_VERDICT_REFUSED,
         SCW_ACTION_ERRNO, 1, -1, true},
        {&h_none, SCMP_ARCH_X86_64, "chroot", SCW_MATCH_DEFAULT, SCW_VERDICT_REFUSED,
         SCW_ACTION_ERRNO, 1, -1, false},
        {&h_default, SCMP_ARCH_X86_64, "chroot", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED,
         SCW_ACTION_ALLOW, -1, 19, true},
        {&h_default, SCMP_ARCH_X86_64, "ptrace", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED,
         SCW_ACTION_ALLOW, -1, 1, false},
        {&h_old, SCMP_ARCH_X86_64, "ptrace", SCW_MATCH_DEFAULT, SCW_VERDICT_REFUSED,
         SCW_ACTION_ERRNO, 1, -1, true},
        {&h_default, SCMP_ARCH_X86_64, "personality", SCW_MATCH_CONDITIONAL,
         SCW_VERDICT_CONDITIONAL, SCW_ACTION_ALLOW, -1, 2, false},
        {NULL, SCMP_ARCH_X86_64, "arch_prctl", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED,
         SCW_ACTION_ALLOW, -1, 9, false},
        {NULL, SCMP_ARCH_X86, "modify_ldt", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED, SCW_ACTION_ALLOW,
         -1, 10, false},
        {NULL, SCMP_ARCH_AARCH64, "arch_prctl", SCW_MATCH_NO_SYSCALL, SCW_VERDICT_REFUSED,
         SCW_ACTION_ERRNO, 1, -1, false},
        {NULL, SCMP_ARCH_ARM, "breakpoint", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED, SCW_ACTION_ALLOW,
         -1, 8, false},
        {NULL, SCMP_ARCH_RISCV64, "riscv_flush_icache", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED,
         SCW_ACTION_ALLOW, -1, 12, false},
        {NULL, SCMP_ARCH_PPC64LE, "read", SCW_MATCH_ENTRY, SCW_VERDICT_ALLOWED, SCW_ACTION_ALLOW,
         -1, 0, false},
        {NULL, SCMP_ARCH_X86_64, "scw_not_a_syscall", SCW_MATCH_NO_SYSCALL, SCW_VERDICT_REFUSED,
         SCW_ACTION_ERRNO, 1, -1, false},
        /* the host is aarch64 (native given): x86 is not in its filter */
        {&h_arm, SCMP_ARCH_X86, "read", SCW_MATCH_BAD_ARCH, SCW_VERDICT_REFUSED,
         SCW_ACTION_KILL_THREAD, -1, -1, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scw_profile_answer a;
        assert_int_equal(scw_profile_query(p, cases[i].host, cases[i].arch, cases[i].syscall, &a),
                         0);
        if (a.match != cases[i].match || a.entry != cases[i].entry || a.assumed != cases[i].assumed)
            fprintf(stderr, "case %zu (%s): match %d entry %ld assumed %d\n", i, cases[i].syscall,
                    a.match, a.entry, a.assumed);
        assert_int_equal(a.match, cases[i].match);
        assert_int_equal(a.verdict, cases[i].verdict);
        assert_int_equal(a.action, cases[i].action);
        assert_int_equal(a.errno_ret, cases[i].errno_ret);
        assert_int_equal(a.entry, cases[i].entry);
        assert_int_equal(a.assumed, cases[i].assumed);
        if (a.match == SCW_MATCH_CONDITIONAL) {
            assert_int_equal(a.otherwise, SCW_ACTION_ERRNO);
            assert_int_equal(a.otherwise_errno, 1);
        }
    }
    struct scw_profile_answer a;
    assert_int_equal(scw_profile_query(p, NULL, 0, "read", &a), -EINVAL);
    assert_int_equal(scw_profile_query(p, NULL, SCMP_ARCH_X86_64, NULL, &a), -EINVAL);
    scw_profile_free(p);

    /* a log-only profile: the default runs now but counts as refused once enforced */
    p = load_path(PROFILES "docker-default-log.json");
    assert_true(scw_profile_log_only(p));
    assert_int_equal(scw_profile_query(p, &h_default, SCMP_ARCH_X86_64, "mount", &a), 0);
    assert_int_equal(a.match, SCW_MATCH_DEFAULT);
    assert_int_equal(a.action, SCW_ACTION_LOG);
    assert_int_equal(a.errno_ret, -1);
    assert_int_equal(a.verdict, SCW_VERDICT_REFUSED);
    assert_int_equal(scw_profile_query(p, &h_default, SCMP_ARCH_X86_64, "read", &a), 0);
    assert_int_equal(a.verdict, SCW_VERDICT_ALLOWED);
    assert_int_equal(scw_profile_query(p, &h_default, SCMP_ARCH_X86_64, "clone3", &a), 0);
    assert_int_equal(a.match, SCW_MATCH_ENTRY);
    assert_int_equal(a.errno_ret, 38);
    scw_profile_free(p);

    /* architectures list: x86 calls when only x86_64 is listed are killed (bad arch) */
    p = load_text("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":"
                  "[\"SCMP_ARCH_X86_64\"],\"syscalls\":[{\"names\":[\"read\",\"write\"],"
                  "\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"read\"],\"action\":"
                  "\"SCMP_ACT_KILL\"},{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\"},"
                  "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_LOG\"}]}");
    assert_int_equal(scw_profile_query(p, NULL, SCMP_ARCH_X86, "read", &a), 0);
    assert_int_equal(a.match, SCW_MATCH_BAD_ARCH);
    assert_int_equal(a.verdict, SCW_VERDICT_REFUSED);
    /* the first unconditional rule of a syscall wins (libseccomp) */
    assert_int_equal(scw_profile_query(p, NULL, SCMP_ARCH_X86_64, "read", &a), 0);
    assert_int_equal(a.entry, 0);
    assert_int_equal(a.action, SCW_ACTION_ALLOW);
    /* an entry equal to the default is skipped (runc), so the later LOG one decides */
    assert_int_equal(scw_profile_query(p, NULL, SCMP_ARCH_X86_64, "getpid", &a), 0);
    assert_int_equal(a.entry, 3);
    assert_int_equal(a.action, SCW_ACTION_LOG);
    assert_int_equal(a.verdict, SCW_VERDICT_ALLOWED);
    scw_profile_free(p);
}

/* ---- logify ---- */

/* The unified diff of a and b, labelled like the CLI's. */
static char *diff_of(const char *a, const char *b, const char *label_a, const char *label_b)
{
    char *buf = NULL;
    size_t blen = 0;
    FILE *mem = open_memstream(&buf, &blen);
    struct scw_diff_opts o = {.label_a = label_a, .label_b = label_b, .context = 3};
    assert_int_equal(scw_diff_unified(a, strlen(a), b, strlen(b), &o, mem), 1);
    fclose(mem);
    return buf;
}

static void test_logify(void **state)
{
    (void)state;
    struct scw_profile *p = load_path(PROFILES "docker-default.json"), *l = NULL, *l2 = NULL;
    struct scw_profile_changes ch;
    char *orig = dump(p);

    /* the default: no flags (runc 1.1 refuses any, dockerd 20.10 drops them), and a warning
     * that clone3's ENOSYS entry keeps refusing and goes unlogged */
    assert_int_equal(scw_profile_logify(p, 0, &l, &ch), 0);
    assert_true(ch.default_changed);
    assert_false(ch.log_flag_added);
    assert_int_equal(ch.entries_changed, 0);
    assert_int_equal(ch.unlogged, 1);
    assert_int_equal(ch.unlogged_entry, 17);
    assert_int_equal(ch.unlogged_warning.level, SCW_DIAG_WARNING);
    assert_string_equal(ch.unlogged_warning.path, "syscalls[17]");
    assert_int_equal(ch.unlogged_warning.line, 460);
    assert_int_equal(ch.unlogged_warning.column, 5);
    assert_non_null(strstr(ch.unlogged_warning.message,
                           "1 entry keeps refusing (here clone3: SCMP_ACT_ERRNO) and its hits are "
                           "not logged: the log-only profile has no SECCOMP_FILTER_FLAG_LOG; "
                           "--log-flag adds it (for crun and runc 1.2+ only"));
    assert_non_null(strstr(ch.unlogged_warning.message, "--all logs them instead"));
    assert_true(scw_profile_ok(l));
    assert_true(scw_profile_log_only(l));
    assert_int_equal(scw_profile_diags(l)->errors, 0);
    char *text = dump(l);
    assert_null(strstr(text, "\"flags\""));
    assert_golden(text, PROFILES "docker-default.logify.json");
    char *buf =
        diff_of(orig, text, "docker-default.json\t(current)", "docker-default.json\t(logified)");
    assert_golden(buf, PROFILES "docker-default.logify.diff");
    free(buf);
    /* idempotent: nothing left to change, the warning stays (still true) */
    assert_int_equal(scw_profile_logify(l, 0, &l2, &ch), 0);
    assert_false(ch.default_changed || ch.log_flag_added || ch.entries_changed);
    assert_int_equal(ch.unlogged, 1);
    char *text2 = dump(l2);
    assert_string_equal(text2, text);
    free(text2);
    scw_profile_free(l2);
    free(text);
    scw_profile_free(l);

    /* asked for: SECCOMP_FILTER_FLAG_LOG added, nothing unlogged (docker-default-log.json and
     * golden/docker-default.logify.diff are this variant) */
    assert_int_equal(scw_profile_logify(p, SCW_PROFILE_LOGIFY_LOG_FLAG, &l, &ch), 0);
    assert_true(ch.default_changed);
    assert_true(ch.log_flag_added);
    assert_int_equal(ch.unlogged, 0);
    assert_int_equal(ch.unlogged_entry, -1);
    assert_string_equal(ch.unlogged_warning.message, "");
    text = dump(l);
    assert_golden(text, PROFILES "docker-default-log.json");
    buf = diff_of(orig, text, "docker-default.json\t(current)", "docker-default.json\t(logified)");
    assert_golden(buf, GOLDEN "docker-default.logify.diff");
    free(buf);
    /* a profile that has the flag keeps it and has nothing unlogged, with or without opts */
    assert_int_equal(scw_profile_logify(l, 0, &l2, &ch), 0);
    assert_false(ch.default_changed || ch.log_flag_added || ch.entries_changed);
    assert_int_equal(ch.unlogged, 0);
    text2 = dump(l2);
    assert_string_equal(text2, text);
    free(text2);
    scw_profile_free(l2);
    free(text);
    scw_profile_free(l);

    /* --all: the clone3 ENOSYS entry becomes LOG, its errnoRet goes, no flag needed */
    for (unsigned opts = SCW_PROFILE_LOGIFY_ALL;
         opts <= (SCW_PROFILE_LOGIFY_ALL | SCW_PROFILE_LOGIFY_LOG_FLAG); opts += 2) {
        assert_int_equal(scw_profile_logify(p, opts, &l, &ch), 0);
        assert_true(ch.default_changed);
        assert_false(ch.log_flag_added);
        assert_int_equal(ch.entries_changed, 1);
        assert_int_equal(ch.unlogged, 0);
        text = dump(l);
        assert_golden(text, GOLDEN "docker-default.logify-all.json");
        struct scw_profile_answer a;
        assert_int_equal(scw_profile_query(l, NULL, SCMP_ARCH_X86_64, "clone3", &a), 0);
        assert_int_equal(a.match, SCW_MATCH_DEFAULT); /* LOG equals the default: runc skips it */
        assert_int_equal(a.action, SCW_ACTION_LOG);
        free(text);
        scw_profile_free(l);
    }
    /* a bool "all" reads the same (SCW_PROFILE_LOGIFY_ALL is 1); unknown bits are refused */
    assert_int_equal(SCW_PROFILE_LOGIFY_ALL, (unsigned)true);
    assert_int_equal(scw_profile_logify(p, 1u << 2, &l, &ch), -EINVAL);
    free(orig);
    scw_profile_free(p);

    /* OCI config: the whole document is kept, linux.seccomp changed */
    p = load_path(PROFILES "oci-config.json");
    assert_int_equal(scw_profile_logify(p, 0, &l, &ch), 0);
    assert_int_equal(ch.unlogged, 1); /* clone3 -> ENOSYS */
    assert_string_equal(ch.unlogged_warning.path, "linux.seccomp.syscalls[3]");
    text = dump(l);
    assert_golden(text, PROFILES "oci-config.logify.json");
    free(text);
    scw_profile_free(l);
    assert_int_equal(scw_profile_logify(p, SCW_PROFILE_LOGIFY_LOG_FLAG, &l, &ch), 0);
    text = dump(l);
    assert_golden(text, GOLDEN "oci-config.logify.json");
    free(text);
    scw_profile_free(l);
    scw_profile_free(p);

    /* a deny-list profile (default ALLOW) keeps its default and its flags; the kill entry is
     * logged by the kernel anyway, the errno one only with the flag */
    p = load_text("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_"
                  "SPEC_ALLOW\"],\"syscalls\":[{\"names\":[\"ptrace\"],\"action\":"
                  "\"SCMP_ACT_KILL_PROCESS\"},{\"names\":[\"kexec_load\"],\"action\":"
                  "\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}");
    assert_int_equal(scw_profile_logify(p, 0, &l, &ch), 0);
    assert_false(ch.default_changed);
    assert_false(ch.log_flag_added);
    assert_int_equal(ch.unlogged, 1);
    assert_int_equal(ch.unlogged_entry, 1);
    assert_non_null(strstr(ch.unlogged_warning.message, "(here kexec_load: SCMP_ACT_ERRNO)"));
    text = dump(l);
    text2 = dump(p);
    assert_string_equal(text, text2); /* nothing to change: written as it was */
    free(text2);
    free(text);
    scw_profile_free(l);
    assert_int_equal(scw_profile_logify(p, SCW_PROFILE_LOGIFY_LOG_FLAG, &l, &ch), 0);
    assert_true(ch.log_flag_added);
    text = dump(l);
    assert_non_null(strstr(text, "\"defaultAction\": \"SCMP_ACT_ALLOW\""));
    assert_non_null(strstr(text, "\"flags\": [\n    \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\",\n    "
                                 "\"SECCOMP_FILTER_FLAG_LOG\"\n  ]"));
    free(text);
    scw_profile_free(l);
    assert_int_equal(scw_profile_logify(p, SCW_PROFILE_LOGIFY_ALL, &l, &ch), 0);
    assert_int_equal(ch.entries_changed, 2);
    assert_false(ch.log_flag_added);
    assert_int_equal(ch.unlogged, 0);
    text = dump(l);
    assert_null(strstr(text, "errnoRet"));
    assert_null(strstr(text, "SECCOMP_FILTER_FLAG_LOG"));
    free(text);
    scw_profile_free(l);
    scw_profile_free(p);
}

/* ---- tune ---- */

static void test_tune(void **state)
{
    (void)state;
    struct scw_profile *p = load_path(PROFILES "docker-default-log.json"), *t = NULL;
    static const char *const allow[] = {"read",   "mount",          "clone3",
                                        "ptrace", "io_uring_setup", "mount"};
    struct scw_profile_tune tune = {
        .allow = allow, .n_allow = 6, .comment = TUNE_COMMENT, .default_errno = 1};
    struct scw_profile_changes ch;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_tune(p, &tune, &t, &ch, &d), 0);
    assert_true(ch.default_changed);
    assert_true(ch.log_flag_removed);
    assert_int_equal(ch.names_added, 4);   /* clone3 io_uring_setup mount ptrace */
    assert_int_equal(ch.names_already, 1); /* read */
    assert_int_equal(ch.names_refused, 0);
    assert_int_equal(d.warnings, 1);
    const struct scw_diag *g = find_diag(&d, "'clone3' added, but on hosts");
    assert_string_equal(g->path, "syscalls[17]");
    assert_int_equal(g->line, 462);
    scw_profile_diags_free(&d);
    assert_true(scw_profile_ok(t));
    assert_false(scw_profile_log_only(t));
    char *text = dump(t);
    assert_golden(text, GOLDEN "docker-default-log.tune.json");
    char *orig = dump(p), *buf = NULL;
    size_t blen = 0;
    FILE *mem = open_memstream(&buf, &blen);
    struct scw_diff_opts o = {.label_a = "docker-default-log.json\t(current)",
                              .label_b = "docker-default-log.json\t(tuned)",
                              .context = 3};
    assert_int_equal(scw_diff_unified(orig, strlen(orig), text, strlen(text), &o, mem), 1);
    fclose(mem);
    assert_golden(buf, GOLDEN "docker-default-log.tune.diff");
    free(buf);
    free(orig);
    /* the tuned profile does what it says */
    struct scw_profile_answer a;
    const struct scw_profile_host h = {.kernel_major = 6, .kernel_minor = 1};
    assert_int_equal(scw_profile_query(t, &h, SCMP_ARCH_X86_64, "mount", &a), 0);
    assert_int_equal(a.verdict, SCW_VERDICT_ALLOWED);
    assert_int_equal(a.entry, 28);
    assert_int_equal(scw_profile_query(t, &h, SCMP_ARCH_X86_64, "umount2", &a), 0);
    assert_int_equal(a.verdict, SCW_VERDICT_REFUSED);
    assert_int_equal(a.action, SCW_ACTION_ERRNO);
    assert_int_equal(a.errno_ret, 1);
    free(text);
    scw_profile_free(t);

    /* an unconditional refusal first: the name is left out (it could never run) */
    scw_profile_free(p);
    p = load_text("{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":[{\"names\":[\"kexec_load\"],"
                  "\"action\":\"SCMP_ACT_KILL\"},{\"names\":[\"getpid\"],\"action\":"
                  "\"SCMP_ACT_LOG\"},{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\","
                  "\"args\":[{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]}]}");
    static const char *const allow2[] = {"kexec_load", "personality", "getpid"};
    tune = (struct scw_profile_tune){.allow = allow2,
                                     .n_allow = 3,
                                     .default_errno = -1,
                                     .default_action = "SCMP_ACT_KILL_PROCESS"};
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_tune(p, &tune, &t, &ch, &d), 0);
    assert_int_equal(ch.names_added, 1);
    assert_int_equal(ch.names_already, 1);
    assert_int_equal(ch.names_refused, 1);
    assert_int_equal(d.warnings, 3);
    assert_string_equal(find_diag(&d, "'kexec_load' not added")->path, "syscalls[0]");
    assert_string_equal(find_diag(&d, "argument filter (SCMP_ACT_ERRNO) no longer")->path,
                        "syscalls[2]");
    assert_string_equal(find_diag(&d, "SCMP_ACT_LOG in the enforcing profile")->path,
                        "syscalls[1].action");
    scw_profile_diags_free(&d);
    text = dump(t);
    assert_string_equal(text, "{\n"
                              "  \"defaultAction\": \"SCMP_ACT_KILL_PROCESS\",\n"
                              "  \"syscalls\": [\n"
                              "    {\n"
                              "      \"names\": [\n"
                              "        \"kexec_load\"\n"
                              "      ],\n"
                              "      \"action\": \"SCMP_ACT_KILL\"\n"
                              "    },\n"
                              "    {\n"
                              "      \"names\": [\n"
                              "        \"getpid\"\n"
                              "      ],\n"
                              "      \"action\": \"SCMP_ACT_LOG\"\n"
                              "    },\n"
                              "    {\n"
                              "      \"names\": [\n"
                              "        \"personality\"\n"
                              "      ],\n"
                              "      \"action\": \"SCMP_ACT_ERRNO\",\n"
                              "      \"args\": [\n"
                              "        {\n"
                              "          \"index\": 0,\n"
                              "          \"value\": 8,\n"
                              "          \"op\": \"SCMP_CMP_EQ\"\n"
                              "        }\n"
                              "      ]\n"
                              "    },\n"
                              "    {\n"
                              "      \"names\": [\n"
                              "        \"personality\"\n"
                              "      ],\n"
                              "      \"action\": \"SCMP_ACT_ALLOW\"\n"
                              "    }\n"
                              "  ]\n"
                              "}\n");
    free(text);
    scw_profile_free(t);

    /* invalid requests */
    static const char *const bad_name[] = {"read", "open at"};
    tune = (struct scw_profile_tune){.allow = bad_name, .n_allow = 2, .default_errno = -1};
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_tune(p, &tune, &t, NULL, &d), -EINVAL);
    assert_non_null(strstr(d.items[0].message, "'open at' is not a syscall name"));
    scw_profile_diags_free(&d);
    tune = (struct scw_profile_tune){.default_action = "SCMP_ACT_LOG", .default_errno = -1};
    assert_int_equal(scw_profile_tune(p, &tune, &t, NULL, NULL), -EINVAL);
    tune = (struct scw_profile_tune){.default_action = "SCMP_ACT_TRAP", .default_errno = 1};
    assert_int_equal(scw_profile_tune(p, &tune, &t, NULL, NULL), -EINVAL);
    tune = (struct scw_profile_tune){.default_errno = 4096};
    assert_int_equal(scw_profile_tune(p, &tune, &t, NULL, NULL), -EINVAL);
    /* nothing to add: only the default is restored, flags untouched when keep_log_flag */
    scw_profile_free(p);
    p = load_text("{\"defaultAction\":\"SCMP_ACT_LOG\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"]}");
    tune = (struct scw_profile_tune){.default_errno = 38, .keep_log_flag = true};
    assert_int_equal(scw_profile_tune(p, &tune, &t, &ch, NULL), 0);
    assert_false(ch.log_flag_removed);
    text = dump(t);
    assert_string_equal(text, "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"defaultErrnoRet\": "
                              "38,\n  \"flags\": [\n    \"SECCOMP_FILTER_FLAG_LOG\"\n  ]\n}\n");
    free(text);
    scw_profile_free(t);
    scw_profile_free(p);

    /* OCI: entry without a comment (OCI has none), enforcing default kept */
    p = load_path(PROFILES "oci-config.json");
    static const char *const allow3[] = {"getuid", "setuid", "read"};
    tune = (struct scw_profile_tune){
        .allow = allow3, .n_allow = 3, .comment = "ignored", .default_errno = -1};
    assert_int_equal(scw_profile_tune(p, &tune, &t, &ch, NULL), 0);
    assert_false(ch.default_changed);
    assert_int_equal(ch.names_added, 2);
    text = dump(t);
    orig = dump(p);
    buf = NULL;
    mem = open_memstream(&buf, &blen);
    o = (struct scw_diff_opts){.label_a = "oci-config.json\t(current)",
                               .label_b = "oci-config.json\t(tuned)",
                               .context = 3};
    assert_int_equal(scw_diff_unified(orig, strlen(orig), text, strlen(text), &o, mem), 1);
    fclose(mem);
    assert_golden(buf, GOLDEN "oci-config.tune.diff");
    free(buf);
    free(orig);
    free(text);
    scw_profile_free(t);
    scw_profile_free(p);
}

/* ---- libseccomp: validation and filters ---- */

static void test_validate(void **state)
{
    (void)state;
    struct scw_profile *p = load_path(PROFILES "docker-default.json");
    struct scw_profile_diags d;
    struct scw_profile_validation v;
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_validate(p, NULL, &d, &v), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.notes, 5);
    assert_int_equal(v.n_filters, 5);
    static const size_t n_arches[] = {3, 2, 3, 2, 1};
    for (size_t i = 0; i < v.n_filters; i++) {
        assert_int_equal(v.filters[i].n_arches, n_arches[i]);
        assert_true(v.filters[i].rules > 150);
        assert_true(v.filters[i].bpf_insns > 100 && v.filters[i].bpf_insns <= 4096);
    }
    assert_int_equal(v.filters[0].arches[0], SCMP_ARCH_X86_64);
    assert_int_equal(v.filters[3].arches[0], SCMP_ARCH_S390X);
    assert_non_null(strstr(find_diag(&d, "filter for x86_64+x86+x32")->path, "archMap[0]"));
    scw_profile_diags_free(&d);
    scw_profile_free(p);

    /* libseccomp refusals: same args, other action (-EEXIST); mixed byte orders */
    static const struct {
        const char *text;
        const char *path;
        const char *message;
    } cases[] = {
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"personality\"],"
         "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]"
         "},"
         "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,"
         "\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]}]}",
         "syscalls[1]", "an earlier rule for this syscall has the same argument filter"},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
         "\"SCMP_ARCH_S390X\"]}",
         "architectures", "their byte orders differ"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        p = load_text(cases[i].text);
        assert_true(scw_profile_ok(p));
        scw_profile_diags_init(&d);
        assert_int_equal(scw_profile_validate(p, NULL, &d, NULL), 1);
        const struct scw_diag *g = find_diag(&d, cases[i].message);
        assert_int_equal(g->level, SCW_DIAG_ERROR);
        assert_string_equal(g->path, cases[i].path);
        scw_profile_diags_free(&d);
        scmp_filter_ctx ctx;
        assert_int_equal(scw_profile_build(p, NULL, NULL, &ctx), -EINVAL);
        scw_profile_free(p);
    }

    /* a profile too big for the kernel: more than 4096 BPF instructions */
    size_t cap = 1 << 20, k = 0;
    char *big = malloc(cap);
    k += (size_t)snprintf(big + k, cap - k, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[");
    for (int i = 0; i < 90; i++) { /* 4500 rules: args sharing index 0 are split (runc) */
        k += (size_t)snprintf(big + k, cap - k,
                              "%s{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\","
                              "\"args\":[",
                              i ? "," : "");
        for (int j = 0; j < 50; j++)
            k += (size_t)snprintf(big + k, cap - k,
                                  "%s{\"index\":0,\"value\":%d,\"op\":\"SCMP_CMP_EQ\"}",
                                  j ? "," : "", i * 50 + j);
        k += (size_t)snprintf(big + k, cap - k, "]}");
    }
    k += (size_t)snprintf(big + k, cap - k, "]}");
    p = load_text(big);
    free(big);
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_validate(p, NULL, &d, &v), 1);
    assert_non_null(strstr(
        find_diag(&d, "BPF instructions; the kernel loads at most 4096")->message, "filter for"));
    assert_true(v.filters[0].bpf_insns > 4096);
    scw_profile_diags_free(&d);
    scw_profile_free(p);

    /* a profile with errors: libseccomp is not asked */
    p = load_text("{\"defaultAction\":\"SCMP_ACT_NOPE\"}");
    scw_profile_diags_init(&d);
    assert_int_equal(scw_profile_validate(p, NULL, &d, &v), 1);
    assert_int_equal(v.n_filters, 0);
    find_diag(&d, "libseccomp checks skipped");
    scw_profile_diags_free(&d);
    scw_profile_free(p);
}

static void test_build(void **state)
{
    (void)state;
    struct scw_profile *p = load_path(PROFILES "docker-default.json");
    scmp_filter_ctx ctx;
    const struct scw_profile_host h = {.native = SCMP_ARCH_AARCH64};
    assert_int_equal(scw_profile_build(p, &h, NULL, &ctx), 0);
    assert_int_equal(seccomp_arch_exist(ctx, SCMP_ARCH_AARCH64), 0);
    assert_int_equal(seccomp_arch_exist(ctx, SCMP_ARCH_ARM), 0);
    assert_int_equal(seccomp_arch_exist(ctx, SCMP_ARCH_X86_64), -EEXIST);
    uint32_t def;
    assert_int_equal(seccomp_attr_get(ctx, SCMP_FLTATR_ACT_DEFAULT, &def), 0);
    assert_int_equal(def, SCMP_ACT_ERRNO(1));
    seccomp_release(ctx);
    scw_profile_free(p);

    /* SECCOMP_FILTER_FLAG_LOG becomes the filter's log attribute */
    p = load_path(PROFILES "docker-default-log.json");
    assert_int_equal(scw_profile_build(p, NULL, NULL, &ctx), 0);
    uint32_t log = 0;
    assert_int_equal(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_LOG, &log), 0);
    assert_int_equal(log, 1);
    assert_int_equal(seccomp_attr_get(ctx, SCMP_FLTATR_ACT_DEFAULT, &def), 0);
    assert_int_equal(def, SCMP_ACT_LOG);
    seccomp_release(ctx);
    scw_profile_free(p);
}

/* ---- helpers ---- */

static void test_actions(void **state)
{
    (void)state;
    assert_int_equal(scw_profile_action_from_name("SCMP_ACT_KILL"), SCW_ACTION_KILL_THREAD);
    assert_int_equal(scw_profile_action_from_name("SCMP_ACT_NOTIFY"), SCW_ACTION_USER_NOTIF);
    assert_int_equal(scw_profile_action_from_name("scmp_act_allow"), SCW_ACTION_INVALID);
    assert_string_equal(scw_profile_action_name(SCW_ACTION_KILL_THREAD), "SCMP_ACT_KILL_THREAD");
    assert_null(scw_profile_action_name(SCW_ACTION_UNKNOWN));
    assert_int_equal(scw_profile_action_code(SCW_ACTION_ERRNO, -1), SCMP_ACT_ERRNO(1));
    assert_int_equal(scw_profile_action_code(SCW_ACTION_ERRNO, 38), SCMP_ACT_ERRNO(38));
    assert_int_equal(scw_profile_action_code(SCW_ACTION_TRACE, 7), SCMP_ACT_TRACE(7));
    assert_int_equal(scw_profile_action_code(SCW_ACTION_LOG, 5), SCMP_ACT_LOG);
    assert_true(scw_profile_action_runs(SCW_ACTION_LOG));
    assert_false(scw_profile_action_runs(SCW_ACTION_ERRNO));
}

static void test_jsonpos(void **state)
{
    (void)state;
    const char *text = "{\n  \"a\": [1, {\"b\\u0063\": \"x\"}],\n  \"caf\\u00e9\": {\"k\": null},"
                       "\n\t\"\xc3\xa9t\xc3\xa9\": 2}";
    struct scw_jsonpos *jp;
    assert_int_equal(scw_jsonpos_new(text, strlen(text), 100, 8, &jp), 0);
    unsigned l, c;
    const struct scw_jsonpath p1[] = {{.key = "a"}, {.index = 1}, {.key = "bc"}};
    assert_true(scw_jsonpos_find(jp, p1, 3, &l, &c));
    assert_int_equal(l, 2);
    assert_int_equal(c, 24);
    const struct scw_jsonpath p2[] = {{.key = "caf\xc3\xa9"}, {.key = "k"}};
    assert_true(scw_jsonpos_find(jp, p2, 2, &l, &c));
    assert_int_equal(l, 3);
    assert_int_equal(c, 22);
    const struct scw_jsonpath p3[] = {{.key = "\xc3\xa9t\xc3\xa9"}};
    assert_true(scw_jsonpos_find(jp, p3, 1, &l, &c));
    assert_int_equal(l, 4);
    assert_int_equal(c, 9); /* columns count characters: the tab, "été" (5), ':' and ' ' */
    /* a missing step: the deepest found */
    const struct scw_jsonpath p4[] = {{.key = "a"}, {.index = 7}};
    assert_false(scw_jsonpos_find(jp, p4, 2, &l, &c));
    assert_int_equal(l, 2);
    assert_int_equal(c, 8);
    assert_true(scw_jsonpos_find(jp, NULL, 0, &l, &c));
    assert_int_equal(l, 1);
    assert_int_equal(c, 1);
    scw_jsonpos_free(jp);

    struct scw_json_measure m;
    scw_jsonpos_measure(text, strlen(text), 100, 8, &m);
    assert_true(m.complete);
    assert_int_equal(m.values, 8); /* {} [] 1 {} "x" {} null 2 */
    assert_int_equal(m.depth, 3);
    scw_jsonpos_measure(text, strlen(text), 5, 8, &m);
    assert_false(m.complete);
    assert_true(m.too_big);
    scw_jsonpos_measure("[[[]]]", 6, 100, 2, &m);
    assert_true(m.too_big);
    assert_int_equal(m.column, 3);
    scw_jsonpos_measure("{\"a\" 1}", 7, 100, 8, &m);
    assert_false(m.complete);
    assert_false(m.too_big);
    assert_int_equal(scw_jsonpos_new("[1,]", 4, 100, 8, &jp), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docker_fixture),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_oci),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_load_bounds),
        cmocka_unit_test(test_findings),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_logify),
        cmocka_unit_test(test_tune),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_actions),
        cmocka_unit_test(test_jsonpos),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
