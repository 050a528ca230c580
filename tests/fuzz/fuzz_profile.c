/*
 * fuzz_profile: the profile reader (measure, jansson, types, bounds, checks, positions) on
 * arbitrary bytes, and invariants on what it accepts: writing is stable (dump, load, dump
 * gives the same text), queries answer, logify (both ways) and tune succeed and their results
 * load, small profiles build with libseccomp, and the diff between the profile and its
 * log-only variant is produced; tuning by source (scw_profile_tune_source) gives a text that
 * parses to exactly the tuned document, the input itself when nothing changes, and the
 * canonical text for a canonical input; a loadable profile and its logify compare the same both
 * ways (profile_compare: staging is no stale deploy). A broken invariant aborts.
 */
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "profile.h"
#include "profile_compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_profile: invariant broken: %s\n", what);
        abort();
    }
}

static char *dump(const struct scw_profile *p, size_t *len)
{
    char *t = NULL;
    check(scw_profile_dump(p, false, &t, len) == 0, "dump");
    return t;
}

/* scw_profile_tune_source with t: the same outcome as the tune that gave tuned (rc) */
static void tune_source(const struct scw_profile *p, const struct scw_profile_tune *t, int rc,
                        const struct scw_profile *tuned, const char *base, size_t base_len)
{
    char *text = NULL;
    size_t len = 0;
    bool reformatted = false;
    int rs = scw_profile_tune_source(p, t, &text, &len, &reformatted, NULL, NULL);
    if (rs == -ENOMEM || rc == -ENOMEM)
        goto out;
    check(rs == rc, "tune by source fails as tune does");
    if (rs < 0)
        goto out;
    char *want;
    size_t want_len;
    check(scw_profile_dump(tuned, false, &want, &want_len) == 0, "dump tuned");
    json_error_t err;
    json_t *got = json_loadb(text, len, 0, &err), *doc = json_loadb(want, want_len, 0, &err);
    check(got != NULL, "the tuned-by-source text parses");
    check(doc != NULL, "the tuned text parses");
    check(json_equal(got, doc), "the tuned-by-source text is the tuned document");
    char *a = json_dumps(got, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    char *b = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    check(!a || !b || strcmp(a, b) == 0, "the tuned-by-source text keeps the key order");
    free(a);
    free(b);
    json_decref(got);
    json_decref(doc);
    size_t olen;
    const char *orig = scw_profile_text(p, &olen);
    bool canonical = olen == base_len && memcmp(orig, base, olen) == 0;
    check(!reformatted || (len == want_len && memcmp(text, want, len) == 0),
          "reformatted means the canonical text");
    check(!canonical || (len == want_len && memcmp(text, want, len) == 0),
          "a canonical input gives the canonical output");
    check(want_len != base_len || memcmp(want, base, base_len) != 0 || reformatted ||
              (len == olen && memcmp(text, orig, olen) == 0),
          "no change gives the input byte for byte");
    free(want);
out:
    free(text);
}

/* loadable: libseccomp built every filter of p without an error (what a runtime would load) */
static void derived(const struct scw_profile *p, const char *base, size_t base_len, bool loadable)
{
    struct scw_profile *l = NULL;
    struct scw_profile_changes ch;
    int rc = scw_profile_logify(p, false, &l, &ch);
    check(rc == 0 || rc == -ENOMEM || rc == -EFBIG, "logify");
    if (l) {
        size_t len;
        char *t = dump(l, &len);
        check(scw_profile_log_only(l) || !ch.default_changed, "logify sets SCMP_ACT_LOG");
        FILE *devnull = fopen("/dev/null", "w");
        if (devnull) {
            struct scw_diff_opts o = {.context = 3};
            rc = scw_diff_unified(base, base_len, t, len, &o, devnull);
            check(rc >= 0 || rc == -ENOMEM || rc == -E2BIG, "diff");
            check(rc != 0 || !ch.default_changed, "a changed profile diffs");
            fclose(devnull);
        }
        free(t);
        if (loadable && scw_profile_ok(l)) {
            /* staging runs the logified file: that is no stale deploy, either way round (for a
             * profile runtimes load: one libseccomp refuses, e.g. two unconditional rules with
             * different actions for a syscall, has no defined answer to compare) */
            struct scw_profile_comparison c;
            rc = scw_profile_compare(p, l, NULL, &c);
            check(rc == 0 || rc == -ENOMEM || rc == -EINVAL, "compare");
            check(rc != 0 || scw_profile_comparison_same(&c),
                  "a profile runs what its logify runs");
            rc = scw_profile_compare(l, p, NULL, &c);
            check(rc != 0 || scw_profile_comparison_same(&c),
                  "the logify runs what its profile runs");
        }
        scw_profile_free(l);
    }
    rc = scw_profile_logify(p, true, &l, NULL);
    check(rc == 0 || rc == -ENOMEM || rc == -EFBIG, "logify --all");
    scw_profile_free(l);

    static const char *const allow[] = {"read", "mount", "clone3", "read"};
    struct scw_profile_tune t = {
        .allow = allow, .n_allow = 4, .comment = "fuzz", .default_errno = 1};
    struct scw_profile *tuned = NULL;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    rc = scw_profile_tune(p, &t, &tuned, NULL, &d);
    check(rc == 0 || rc == -ENOMEM || rc == -EFBIG || rc == -E2BIG, "tune");
    check(!tuned || !scw_profile_log_only(tuned), "tune enforces");
    tune_source(p, &t, rc, tuned, base, base_len);
    scw_profile_diags_free(&d);
    scw_profile_free(tuned);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct scw_profile *p = NULL;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    int rc = scw_profile_load("fuzz", (const char *)data, size, &p, &d);
    check(rc == 0 || d.errors > 0, "a failed load says why");
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull) {
        scw_profile_diags_print(&d, "fuzz", SCW_DIAG_NOTE, devnull);
        fclose(devnull);
    }
    scw_profile_diags_free(&d);
    if (rc < 0)
        return 0;

    size_t len;
    char *t1 = dump(p, &len);
    if (len <= SCW_PROFILE_MAX_BYTES) {
        struct scw_profile *q = NULL;
        check(scw_profile_load("again", t1, len, &q, NULL) == 0, "a written profile loads");
        size_t len2;
        char *t2 = dump(q, &len2);
        check(len == len2 && memcmp(t1, t2, len) == 0, "writing is stable");
        check(scw_profile_ok(p) == scw_profile_ok(q), "same findings after a rewrite");
        free(t2);
        scw_profile_free(q);
    }

    const char **names = NULL;
    int n = scw_profile_names(p, &names);
    check(n >= 0, "names");
    static const uint32_t arches[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_AARCH64,
                                      SCMP_ARCH_S390X};
    const struct scw_profile_host hosts[] = {
        {0}, {.no_caps = true, .kernel_major = 4, .kernel_minor = 4}};
    for (int i = 0; i < (n < 8 ? n : 8); i++)
        for (size_t a = 0; a < sizeof(arches) / sizeof(arches[0]); a++)
            for (size_t h = 0; h < 2; h++) {
                struct scw_profile_answer ans;
                rc = scw_profile_query(p, &hosts[h], arches[a], names[i], &ans);
                check(rc == 0 || !scw_profile_ok(p), "query of a valid profile");
                check(rc < 0 || (ans.match >= 0 && ans.match < SCW_MATCH_MAX && ans.verdict >= 0 &&
                                 ans.verdict < SCW_VERDICT_MAX),
                      "answer in range");
            }
    free(names);

    bool loadable = false;
    if (scw_profile_n_entries(p) <= 64) {
        struct scw_profile_diags v;
        scw_profile_diags_init(&v);
        rc = scw_profile_validate(p, NULL, &v, NULL);
        loadable = rc == 0;
        check(rc >= 0 || rc == -ENOMEM, "validate");
        check(rc > 0 || scw_profile_ok(p), "a profile with errors fails validation");
        scw_profile_diags_free(&v);
    }
    derived(p, t1, len, loadable);
    free(t1);
    scw_profile_free(p);
    return 0;
}
