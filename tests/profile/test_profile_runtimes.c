/*
 * test_profile_runtimes: profile_check.c's verdicts against what the runtimes do, one table row
 * per behaviour (measured with Docker 20.10.24, runc 1.1.5, crun 1.8.1 and libseccomp 2.5.4, or
 * read from moby, containers/common, runc and crun): an error only where all of them refuse,
 * a warning naming who refuses or what happens otherwise. Then the shapes of real profiles
 * in our own bytes: moby's current default.json with an archMap entry for an architecture
 * this libseccomp does not know (SCMP_ARCH_LOONGARCH64), moby's test profile's errnoRet 12345,
 * Podman's "defaultErrno"/"errno" names next to the numbers, and duplicate keys.
 */
#include "testutil.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

#define PROFILES SCW_TEST_DATA "/profiles/"

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

static struct scw_profile *load_path(const char *path)
{
    struct scw_profile *p = NULL;
    assert_int_equal(scw_profile_load_file(path, &p, NULL), 0);
    return p;
}

static char *dump(const struct scw_profile *p)
{
    char *text;
    assert_int_equal(scw_profile_dump(p, false, &text, NULL), 0);
    return text;
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

static bool libseccomp_knows(const char *arch)
{
    return seccomp_arch_resolve_name(arch) != 0;
}

#define D_ERRNO "{\"defaultAction\":\"SCMP_ACT_ERRNO\","
#define D_ALLOW "{\"defaultAction\":\"SCMP_ACT_ALLOW\","
#define GETPPID "{\"names\":[\"getppid\"],"

/* ---- verdicts ---- */

static void test_verdicts(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t n;                  /* findings in all */
        enum scw_diag_level level; /* of the one matching message (n > 0) */
        const char *path;
        const char *message;
    } cases[] = {
        /* errnoRet: runtimes pass the low 16 bits on; libseccomp refuses SCMP_ACT_ERRNO 4095
         * and up (runc: "error adding seccomp filter rule", crun: "seccomp_rule_add: Invalid
         * argument"; Docker accepts the file and its runc fails) */
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":12345}]}", 1,
         SCW_DIAG_ERROR, "syscalls[0].errnoRet",
         "'errnoRet' 12345: libseccomp takes errno 0 to 4094 only, so runc and crun refuse the "
         "profile and the container does not start"},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":4095}]}", 1,
         SCW_DIAG_ERROR, "syscalls[0].errnoRet", "'errnoRet' 4095: libseccomp takes errno 0"},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":70000}]}", 1,
         SCW_DIAG_ERROR, "syscalls[0].errnoRet",
         "'errnoRet' 70000 (runtimes keep its low 16 bits: 4464): libseccomp takes"},
        {D_ERRNO "\"defaultErrnoRet\":12345}", 1, SCW_DIAG_ERROR, "defaultErrnoRet",
         "then its runc fails: \"error creating filter\""},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":4094}]}", 0,
         SCW_DIAG_ERROR, NULL, NULL},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":65537}]}", 1,
         SCW_DIAG_WARNING, "syscalls[0].errnoRet",
         "'errnoRet' 65537: runtimes keep its low 16 bits: the process sees errno 1 (EPERM), not "
         "65537"},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":65574}]}", 1,
         SCW_DIAG_WARNING, "syscalls[0].errnoRet", "the process sees errno 38 (ENOSYS)"},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":65536}]}", 1,
         SCW_DIAG_WARNING, "syscalls[0].errnoRet",
         "the call returns 0 without running, as if it had succeeded"},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":12345}]}", 0,
         SCW_DIAG_ERROR, NULL, NULL},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":70000}]}", 1,
         SCW_DIAG_WARNING, "syscalls[0].errnoRet", "the tracer gets 4464"},
        {D_ALLOW "\"syscalls\":[{\"names\":[\"scw_future_call\"],\"action\":\"SCMP_ACT_ERRNO\","
                 "\"errnoRet\":12345}]}",
         2, SCW_DIAG_WARNING, "syscalls[0].errnoRet",
         "runtimes start the container because they skip this entry's unknown names"},
        /* an errno with an action that takes none: crun refuses, runc ignores it */
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ALLOW\",\"errnoRet\":1}]}", 1,
         SCW_DIAG_WARNING, "syscalls[0].errnoRet", "crun refuses it with SCMP_ACT_ALLOW"},
        {"{\"defaultAction\":\"SCMP_ACT_LOG\",\"defaultErrnoRet\":1}", 1, SCW_DIAG_WARNING,
         "defaultErrnoRet", "'defaultErrnoRet' goes only with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"},
        /* SCMP_ACT_NOTIFY: runc refuses it as the default, without listenerPath, for write */
        {"{\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"listenerPath\":\"/run/a.sock\"}", 1,
         SCW_DIAG_WARNING, "defaultAction", "runc refuses SCMP_ACT_NOTIFY as the default action"},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_NOTIFY\"}]}", 1, SCW_DIAG_WARNING,
         "syscalls[0].action", "runc refuses the profile (\"listenerPath is not set\")"},
        {D_ALLOW "\"listenerPath\":\"/run/a.sock\",\"syscalls\":[{\"names\":[\"write\"],"
                 "\"action\":\"SCMP_ACT_NOTIFY\"}]}",
         1, SCW_DIAG_WARNING, "syscalls[0].names[0]", "runc refuses SCMP_ACT_NOTIFY for 'write'"},
        {D_ALLOW "\"listenerMetadata\":\"x\"}", 1, SCW_DIAG_WARNING, "listenerMetadata",
         "'listenerMetadata' without 'listenerPath' is unused"},
        /* an empty syscall name: runc refuses, crun skips it */
        {D_ALLOW "\"syscalls\":[{\"names\":[\"\",\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", 1,
         SCW_DIAG_WARNING, "syscalls[0].names[0]", "empty syscall name: runc refuses the profile"},
        /* flags: runc before 1.2 refuses any, dockerd 20.10 drops them */
        {D_ERRNO "\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"]}", 1, SCW_DIAG_WARNING, "flags",
         "runc before 1.2 refuses a profile with flags"},
        {D_ERRNO "\"flags\":[]}", 0, SCW_DIAG_ERROR, NULL, NULL},
        /* architectures the runtime gets: it refuses those libseccomp cannot add */
        {D_ERRNO "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_RISCV64\"]}", 1,
         SCW_DIAG_WARNING, "architectures[1]",
         "runc before 1.1.8 does not know 'SCMP_ARCH_RISCV64' and refuses the profile"},
        {D_ERRNO "\"architectures\":[\"SCMP_ARCH_PARISC64\"]}", 1, SCW_DIAG_WARNING,
         "architectures[0]", "runc does not know 'SCMP_ARCH_PARISC64'"},
        {D_ERRNO "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]}", 0, SCW_DIAG_ERROR,
         NULL, NULL},
        {D_ERRNO "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":"
                 "[\"SCMP_ARCH_I386\"]}]}",
         1, SCW_DIAG_ERROR, "archMap[0].subArchitectures[0]",
         "unknown architecture 'SCMP_ARCH_I386': libseccomp"},
        /* archMap: Docker uses only the host's entry; the others may name anything */
        {D_ERRNO "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"},{\"subArchitectures\":"
                 "[\"SCMP_ARCH_X86\"]}]}",
         1, SCW_DIAG_WARNING, "archMap[1]", "this archMap entry has no 'architecture'"},
        {D_ERRNO "\"archMap\":[{\"architecture\":\"SCMP_ARCH_AMD64\",\"subArchitectures\":"
                 "[\"SCMP_ARCH_I386\"]}]}",
         1, SCW_DIAG_WARNING, "archMap[0].architecture",
         "architecture 'SCMP_ARCH_AMD64' is unknown to libseccomp"},
        /* minKernel as moby reads it */
        {D_ERRNO "\"syscalls\":[{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\","
                 "\"includes\":{\"minKernel\":\"0.0\"}}]}",
         1, SCW_DIAG_ERROR, "syscalls[0].includes.minKernel", "minKernel '0.0' is not a kernel"},
        {D_ERRNO "\"syscalls\":[{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\","
                 "\"includes\":{\"minKernel\":\"4.256\"}}]}",
         1, SCW_DIAG_ERROR, "syscalls[0].includes.minKernel", "minKernel '4.256' is not"},
        {D_ERRNO "\"syscalls\":[{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\","
                 "\"excludes\":{\"minKernel\":\"\"}}]}",
         1, SCW_DIAG_WARNING, "syscalls[0].excludes.minKernel",
         "reads as 0.0 for Docker, which every kernel meets: this entry never applies"},
        /* no defaultAction: runc and crun refuse; without syscalls Docker runs unconfined */
        {"{\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ALLOW\"}]}", 1, SCW_DIAG_ERROR, "",
         "no 'defaultAction' (what the filter does with every syscall no entry names; e.g. "
         "SCMP_ACT_ERRNO, or SCMP_ACT_LOG for staging): runc and crun refuse the profile"},
        {"{}", 1, SCW_DIAG_ERROR, "", "without any seccomp filter, crun refuses it"},
        /* Podman's errno names (Docker profiles): used instead of the numbers next to them */
        {D_ERRNO "\"defaultErrnoRet\":38,\"defaultErrno\":\"ENOSYS\",\"syscalls\":[" GETPPID
                 "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1,\"errno\":\"EPERM\"}]}",
         0, SCW_DIAG_ERROR, NULL, NULL},
        {D_ERRNO "\"defaultErrno\":\"ENOSYS\"}", 1, SCW_DIAG_WARNING, "defaultErrno",
         "'defaultErrno' \"ENOSYS\" (38) and defaultErrnoRet 1 (absent: EPERM) disagree: Podman "
         "uses 'defaultErrno', Docker and OCI runtimes use defaultErrnoRet"},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,"
                 "\"errno\":\"EPERM\"}]}",
         1, SCW_DIAG_WARNING, "syscalls[0].errno", "'errno' \"EPERM\" (1) and errnoRet 38"},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,"
                 "\"errno\":\"38\"}]}",
         0, SCW_DIAG_ERROR, NULL, NULL},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"ENOPE\"}]}", 1,
         SCW_DIAG_WARNING, "syscalls[0].errno", "Podman refuses the profile (\"unknown errno\")"},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errno\":1}]}", 1,
         SCW_DIAG_WARNING, "syscalls[0].errno", "'errno' must be a string such as \"EPERM\""},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ALLOW\",\"errno\":\"EPERM\"}]}", 1,
         SCW_DIAG_WARNING, "syscalls[0].errno",
         "Podman turns 'errno' into errnoRet, which crun refuses with SCMP_ACT_ALLOW"},
        {"{\"ociVersion\":\"1.0.2\",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\","
         "\"defaultErrno\":\"EPERM\"}}}",
         1, SCW_DIAG_WARNING, "linux.seccomp.defaultErrno",
         "'defaultErrno' is a Podman profile field; OCI runtimes ignore it here"},
        /* Go's decoder matches field names ignoring case, crun does not */
        {D_ERRNO "\"Architectures\":[\"SCMP_ARCH_X86\"]}", 1, SCW_DIAG_WARNING, "Architectures",
         "(Go's JSON decoder, in Docker, Podman and runc, matches field names ignoring case, "
         "crun does not"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scw_profile *p = load_text(cases[i].text);
        const struct scw_profile_diags *d = scw_profile_diags(p);
        if (d->n != cases[i].n) {
            fprintf(stderr, "case %zu: %zu findings, want %zu\n", i, d->n, cases[i].n);
            scw_profile_diags_print(d, "t.json", SCW_DIAG_NOTE, stderr);
        }
        assert_int_equal(d->n, cases[i].n);
        bool error = false;
        if (cases[i].message) {
            const struct scw_diag *g = find_diag(d, cases[i].message);
            assert_int_equal(g->level, cases[i].level);
            assert_string_equal(g->path, cases[i].path);
            assert_int_equal(g->line, 1);
            error = cases[i].level == SCW_DIAG_ERROR;
        }
        assert_int_equal(scw_profile_ok(p), !error);
        /* what loads with warnings only also builds with libseccomp */
        struct scw_profile_diags v;
        scw_profile_diags_init(&v);
        int errors = scw_profile_validate(p, NULL, &v, NULL);
        if (errors != (error ? 1 : 0)) {
            fprintf(stderr, "case %zu: validate found %d errors\n", i, errors);
            scw_profile_diags_print(&v, "t.json", SCW_DIAG_NOTE, stderr);
        }
        assert_int_equal(errors, error ? 1 : 0);
        scw_profile_diags_free(&v);
        scw_profile_free(p);
    }
}

/* unknown to libseccomp in a list the runtime gets: refused (measured with runc and crun) */
static void test_listed_arch_unknown(void **state)
{
    (void)state;
    struct scw_profile *p = load_text(D_ERRNO "\"architectures\":[\"SCMP_ARCH_X86_64\","
                                              "\"SCMP_ARCH_LOONGARCH64\"]}");
    const struct scw_diag *g = find_diag(scw_profile_diags(p), "'SCMP_ARCH_LOONGARCH64'");
    assert_string_equal(g->path, "architectures[1]");
    if (!libseccomp_knows("loongarch64")) {
        assert_int_equal(g->level, SCW_DIAG_ERROR);
        assert_non_null(strstr(g->message, "cannot add it, so runtimes refuse the profile"));
        assert_false(scw_profile_ok(p));
    } else {
        assert_int_equal(g->level, SCW_DIAG_WARNING); /* scmpwatch's table lags behind */
    }
    scw_profile_free(p);
}

/* ---- errnoRet past 16 bits: what the filter really returns ---- */

static void test_errno_low_bits(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int want; /* errno of the answer for getppid */
    } cases[] = {
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":65537}]}", 1},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":65536}]}", 0},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":4094}]}",
         4094},
        {D_ALLOW "\"syscalls\":[" GETPPID "\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":12345}]}",
         12345},
        {"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":131110}", 38},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scw_profile *p = load_text(cases[i].text);
        assert_true(scw_profile_ok(p));
        struct scw_profile_answer a;
        assert_int_equal(scw_profile_query(p, NULL, SCMP_ARCH_X86_64, "getppid", &a), 0);
        assert_int_equal(a.errno_ret, cases[i].want);
        scmp_filter_ctx ctx;
        assert_int_equal(scw_profile_build(p, NULL, NULL, &ctx), 0);
        seccomp_release(ctx);
        scw_profile_free(p);
    }
}

/* ---- moby's default.json: an archMap entry for an architecture libseccomp does not know ---- */

static const char loong_entry[] = "    {\n"
                                  "      \"architecture\": \"SCMP_ARCH_LOONGARCH64\",\n"
                                  "      \"subArchitectures\": null\n"
                                  "    }\n";

/* text without the LOONGARCH64 entry (and the comma before it): the docker-default.json shape */
static char *without_loong(const char *text)
{
    size_t n = strlen(text), len = strlen(loong_entry), at = 0;
    while (at + len <= n && strncmp(text + at, loong_entry, len) != 0)
        at++;
    if (at + len > n)
        fail_msg("no LOONGARCH64 entry in:\n%s", text);
    size_t tail = at + len;
    assert_true(at >= 3 && strncmp(text + at - 3, "},\n", 3) == 0);
    char *out = malloc(n + 1);
    assert_non_null(out);
    memcpy(out, text, at - 2); /* keep the "}" before the comma */
    out[at - 2] = '\n';
    memcpy(out + at - 1, text + tail, n - tail + 1);
    return out;
}

static void test_archmap_unknown_arch(void **state)
{
    (void)state;
    size_t len;
    char *orig = scw_test_read_file(PROFILES "docker-default-loongarch.json", &len);
    assert_non_null(orig);
    struct scw_profile *p = load_path(PROFILES "docker-default-loongarch.json");
    const struct scw_profile_diags *d = scw_profile_diags(p);
    assert_int_equal(d->errors, 0);
    const struct scw_diag *g = find_diag(d, "'SCMP_ARCH_LOONGARCH64'");
    assert_int_equal(g->level, SCW_DIAG_WARNING);
    assert_int_equal(g->line, 36);
    assert_int_equal(g->column, 23);
    assert_string_equal(g->path, "archMap[5].architecture");
    if (!libseccomp_knows("loongarch64"))
        assert_non_null(strstr(g->message, "is unknown to libseccomp"));
    assert_non_null(strstr(g->message, "Docker uses only the archMap entry of the host's "
                                       "architecture, so this one matters only on such hosts; "
                                       "scmpwatch keeps it as written and builds no filter"));
    assert_true(scw_profile_ok(p));

    /* the other entries answer as before */
    uint32_t a[SCW_PROFILE_MAX_ARCHES];
    assert_int_equal(scw_profile_arches(p, SCMP_ARCH_X86_64, a, SCW_PROFILE_MAX_ARCHES), 3);
    assert_int_equal(scw_profile_listed_arches(p, a, SCW_PROFILE_MAX_ARCHES), 11);
    struct scw_profile_answer ans;
    assert_int_equal(scw_profile_query(p, NULL, SCMP_ARCH_X86_64, "clone3", &ans), 0);
    assert_int_equal(ans.errno_ret, 38);

    /* validate: the five known entries built, a note for the one not built */
    struct scw_profile_diags v;
    struct scw_profile_validation info;
    scw_profile_diags_init(&v);
    assert_int_equal(scw_profile_validate(p, NULL, &v, &info), 0);
    assert_int_equal(info.n_filters, 5);
    const struct scw_diag *note = find_diag(&v, "no filter built for SCMP_ARCH_LOONGARCH64");
    assert_int_equal(note->level, SCW_DIAG_NOTE);
    assert_string_equal(note->path, "archMap[5]");
    assert_int_equal(note->line, 35);
    assert_int_equal(v.notes, 6);
    scw_profile_diags_free(&v);

    /* fmt: byte for byte */
    char *text = dump(p);
    assert_string_equal(text, orig);
    free(text);

    /* logify: the entry kept byte for byte, the rest as for docker-default.json */
    struct scw_profile *l = NULL, *t = NULL;
    struct scw_profile_changes ch;
    assert_int_equal(scw_profile_logify(p, 0, &l, &ch), 0);
    assert_true(scw_profile_ok(l));
    text = dump(l);
    assert_non_null(strstr(text, "  \"archMap\": [\n"));
    assert_non_null(strstr(text, loong_entry));
    char *rest = without_loong(text),
         *want = scw_test_read_file(PROFILES "docker-default.logify.json", NULL);
    assert_string_equal(rest, want);
    free(rest);
    free(want);
    free(text);

    /* tune of it: kept too */
    static const char *const allow[] = {"mount"};
    struct scw_profile_tune tune = {.allow = allow, .n_allow = 1, .default_errno = 1};
    assert_int_equal(scw_profile_tune(l, &tune, &t, &ch, NULL), 0);
    text = dump(t);
    assert_non_null(strstr(text, loong_entry));
    free(text);
    scw_profile_free(t);
    scw_profile_free(l);
    scw_profile_free(p);
    free(orig);
}

/* ---- moby's test profile: errnoRet 12345 ---- */

static void test_moby_example(void **state)
{
    (void)state;
    /* the shape of moby profiles/seccomp/fixtures/example.json (old "name", args []) */
    static const char text[] =
        "{\n"
        "    \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
        "    \"defaultErrnoRet\": 1,\n"
        "    \"syscalls\": [\n"
        "        {\"name\": \"open\", \"action\": \"SCMP_ACT_ALLOW\", \"args\": []},\n"
        "        {\n"
        "            \"name\": \"syslog\",\n"
        "            \"action\": \"SCMP_ACT_ERRNO\",\n"
        "            \"errnoRet\": 12345,\n"
        "            \"args\": []\n"
        "        }\n"
        "    ]\n"
        "}\n";
    struct scw_profile *p = load_text(text);
    const struct scw_profile_diags *d = scw_profile_diags(p);
    assert_int_equal(d->errors, 1);
    assert_int_equal(d->warnings, 2); /* the deprecated "name", twice */
    const struct scw_diag *g = find_diag(d, "'errnoRet' 12345");
    assert_int_equal(g->level, SCW_DIAG_ERROR);
    assert_int_equal(g->line, 9);
    assert_int_equal(g->column, 25);
    assert_string_equal(g->path, "syscalls[1].errnoRet");
    assert_non_null(strstr(g->message, "Docker accepts the file, then its runc fails: \"error "
                                       "adding seccomp filter rule for syscall ...\""));
    scw_profile_free(p);
}

/* ---- Podman's profile shape: "defaultErrno"/"errno" next to the numbers ---- */

static const char podman_shape[] =
    "{\n"
    "\t\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
    "\t\"defaultErrnoRet\": 38,\n"
    "\t\"defaultErrno\": \"ENOSYS\",\n"
    "\t\"archMap\": [\n"
    "\t\t{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\", "
    "\"SCMP_ARCH_X32\"]},\n"
    "\t\t{\"architecture\": \"SCMP_ARCH_S390X\", \"subArchitectures\": [\"SCMP_ARCH_S390\"]}\n"
    "\t],\n"
    "\t\"syscalls\": [\n"
    "\t\t{\"names\": [\"bdflush\", \"io_pgetevents\", \"kexec_file_load\"], \"action\": "
    "\"SCMP_ACT_ERRNO\", \"args\": [], \"comment\": \"\", \"includes\": {}, \"excludes\": {}, "
    "\"errnoRet\": 1, \"errno\": \"EPERM\"},\n"
    "\t\t{\"names\": [\"read\", \"write\", \"getppid\"], \"action\": \"SCMP_ACT_ALLOW\", "
    "\"args\": [], \"comment\": \"\", \"includes\": {}, \"excludes\": {}},\n"
    "\t\t{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, "
    "\"value\": 40, \"valueTwo\": 0, \"op\": \"SCMP_CMP_EQ\"}], \"comment\": \"\", "
    "\"includes\": {}, \"excludes\": {}, \"errnoRet\": 22, \"errno\": \"EINVAL\"}\n"
    "\t]\n"
    "}\n";

static void test_podman_shape(void **state)
{
    (void)state;
    struct scw_profile *p = load_text(podman_shape), *l = NULL, *t = NULL;
    assert_int_equal(scw_profile_diags(p)->n, 0); /* every field known, the names agree */

    /* logify: Podman's defaultErrno goes with defaultErrnoRet (Podman would turn it into a
     * defaultErrnoRet for SCMP_ACT_LOG, which crun refuses) */
    struct scw_profile_changes ch;
    assert_int_equal(scw_profile_logify(p, 0, &l, &ch), 0);
    assert_int_equal(ch.unlogged, 2);
    assert_int_equal(ch.unlogged_entry, 0);
    assert_non_null(strstr(ch.unlogged_warning.message, "2 entries keep refusing (here bdflush: "
                                                        "SCMP_ACT_ERRNO) and their hits are"));
    assert_int_equal(scw_profile_diags(l)->n, 0);
    char *text = dump(l);
    assert_null(strstr(text, "defaultErrno"));
    assert_non_null(strstr(text, "\"errno\": \"EPERM\""));
    free(text);

    /* tune it back: defaultErrnoRet as asked, no stale defaultErrno */
    struct scw_profile_tune tune = {.default_errno = 38};
    assert_int_equal(scw_profile_tune(l, &tune, &t, &ch, NULL), 0);
    assert_int_equal(scw_profile_diags(t)->n, 0);
    text = dump(t);
    assert_non_null(strstr(text, "\"defaultErrnoRet\": 38"));
    assert_null(strstr(text, "defaultErrno\""));
    free(text);
    scw_profile_free(t);
    scw_profile_free(l);

    /* --all: the entries' errno goes with their errnoRet */
    assert_int_equal(scw_profile_logify(p, SCW_PROFILE_LOGIFY_ALL, &l, &ch), 0);
    assert_int_equal(ch.entries_changed, 2);
    assert_int_equal(ch.unlogged, 0);
    assert_int_equal(scw_profile_diags(l)->n, 0);
    text = dump(l);
    assert_null(strstr(text, "errno"));
    free(text);
    scw_profile_free(l);
    scw_profile_free(p);

    /* a log-only profile that still has a defaultErrno: tune removes it */
    p = load_text("{\"defaultAction\":\"SCMP_ACT_LOG\",\"defaultErrno\":\"EPERM\"}");
    assert_int_equal(scw_profile_tune(p, &tune, &t, NULL, NULL), 0);
    text = dump(t);
    assert_string_equal(text, "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"defaultErrnoRet\": "
                              "38\n}\n");
    free(text);
    scw_profile_free(t);
    scw_profile_free(p);
}

/* ---- duplicate keys: runtimes read them differently (runc the last, crun the first) ---- */

static void test_duplicate_keys(void **state)
{
    (void)state;
    struct scw_profile *p = load_text("{\"defaultAction\": \"SCMP_ACT_KILL\",\n"
                                      "  \"defaultAction\": \"SCMP_ACT_ERRNO\"}");
    const struct scw_profile_diags *d = scw_profile_diags(p);
    assert_int_equal(d->n, 1);
    const struct scw_diag *g = find_diag(d, "duplicate object key");
    assert_int_equal(g->level, SCW_DIAG_WARNING);
    assert_int_equal(g->line, 2);
    assert_int_equal(g->column, 17);
    assert_non_null(strstr(g->message, "Docker, Podman and runc use the last value, crun the "
                                       "first; scmpwatch reads and writes the last"));
    assert_int_equal(scw_profile_default_action(p, NULL), SCW_ACTION_ERRNO);
    char *text = dump(p);
    assert_string_equal(text, "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\"\n}\n");
    free(text);
    scw_profile_free(p);
}

/* ---- logify's warning: one, located, saying what to do ---- */

static void test_logify_warning(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned opts;
        size_t unlogged;
        long entry;
        bool flag_added;
        const char *message;
    } cases[] = {
        /* kill entries are logged by the kernel anyway; errno/trap/trace/notify are not */
        {D_ERRNO "\"syscalls\":[{\"names\":[\"reboot\"],\"action\":\"SCMP_ACT_KILL\"}]}", 0, 0, -1,
         false, NULL},
        {D_ERRNO "\"syscalls\":[{\"names\":[\"reboot\"],\"action\":\"SCMP_ACT_KILL\"},"
                 "{\"names\":[\"acct\"],\"action\":\"SCMP_ACT_TRAP\"}]}",
         0, 1, 1, false, "1 entry keeps refusing (here acct: SCMP_ACT_TRAP)"},
        {D_ERRNO "\"syscalls\":[{\"names\":[\"acct\"],\"action\":\"SCMP_ACT_TRAP\"},"
                 "{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_TRACE\"}]}",
         SCW_PROFILE_LOGIFY_ALL, 1, 1, false, "--log-flag adds it (for crun and runc 1.2+"},
        {D_ERRNO "\"syscalls\":[{\"names\":[\"acct\"],\"action\":\"SCMP_ACT_TRAP\"}]}",
         SCW_PROFILE_LOGIFY_LOG_FLAG, 0, -1, true, NULL},
        {D_ERRNO "\"syscalls\":[{\"names\":[\"reboot\"],\"action\":\"SCMP_ACT_KILL\"}]}",
         SCW_PROFILE_LOGIFY_LOG_FLAG, 0, -1, false, NULL},
        /* flags present: kept as they are; with the LOG flag nothing is unlogged */
        {D_ERRNO "\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],\"syscalls\":[{\"names\":[\"acct\"],"
                 "\"action\":\"SCMP_ACT_ERRNO\"}]}",
         0, 0, -1, false, NULL},
        {D_ERRNO "\"flags\":[\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"],\"syscalls\":[{\"names\":"
                 "[\"acct\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
         0, 1, 0, false, "--all logs them instead"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scw_profile *p = load_text(cases[i].text), *l = NULL;
        struct scw_profile_changes ch;
        assert_int_equal(scw_profile_logify(p, cases[i].opts, &l, &ch), 0);
        if (ch.unlogged != cases[i].unlogged || ch.log_flag_added != cases[i].flag_added)
            fprintf(stderr, "case %zu: unlogged %zu, flag %d\n", i, ch.unlogged, ch.log_flag_added);
        assert_int_equal(ch.unlogged, cases[i].unlogged);
        assert_int_equal(ch.unlogged_entry, cases[i].entry);
        assert_int_equal(ch.log_flag_added, cases[i].flag_added);
        if (cases[i].message) {
            assert_non_null(strstr(ch.unlogged_warning.message, cases[i].message));
            char path[32];
            snprintf(path, sizeof(path), "syscalls[%ld]", cases[i].entry);
            assert_string_equal(ch.unlogged_warning.path, path);
            assert_int_equal(ch.unlogged_warning.line, 1);
            /* printed like every other diagnostic */
            char *buf = NULL;
            size_t blen = 0;
            FILE *mem = open_memstream(&buf, &blen);
            scw_profile_diag_print(&ch.unlogged_warning, "p.json", mem);
            fclose(mem);
            char *want =
                scw_test_asprintf("p.json:1:%u: warning: %s [at %s]\n", ch.unlogged_warning.column,
                                  ch.unlogged_warning.message, path);
            assert_string_equal(buf, want);
            free(want);
            free(buf);
        } else {
            assert_string_equal(ch.unlogged_warning.message, "");
        }
        char *text = dump(l);
        bool has_log_flag = strstr(text, "SECCOMP_FILTER_FLAG_LOG") != NULL;
        assert_int_equal(has_log_flag, cases[i].flag_added || strstr(cases[i].text, "FLAG_LOG"));
        free(text);
        scw_profile_free(l);
        scw_profile_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdicts),       cmocka_unit_test(test_listed_arch_unknown),
        cmocka_unit_test(test_errno_low_bits), cmocka_unit_test(test_archmap_unknown_arch),
        cmocka_unit_test(test_moby_example),   cmocka_unit_test(test_podman_shape),
        cmocka_unit_test(test_duplicate_keys), cmocka_unit_test(test_logify_warning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
