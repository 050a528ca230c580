/*
 * test_profile_compare: profile_compare.c, whether a container runs what the team's file gives
 * it. A log-only copy of the same file is the same; a missing allow entry, another
 * architecture set or another default is a difference, with the first syscall named; an entry
 * conditional on a capability follows the container's bounding set; the bounding set is read
 * from an OCI config.json. On the real moby default.json too.
 */
#include "testutil.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "profile_compare.h"

static struct scw_profile *load(const char *text)
{
    struct scw_profile *p = NULL;
    assert_int_equal(scw_profile_load("t.json", text, strlen(text), &p, NULL), 0);
    assert_true(scw_profile_ok(p));
    return p;
}

static const char team[] =
    "{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
    " \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": "
    "[\"SCMP_ARCH_X86\"]}],\n"
    " \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
    "  {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": "
    "[\"CAP_SYS_ADMIN\"]}}]}\n";

/* what a runtime resolves it to for x86_64 without CAP_SYS_ADMIN, log-only (staging) */
static const char runs_same[] =
    "{\"ociVersion\": \"1.0.2\", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_LOG\",\n"
    " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],\n"
    " \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}}}\n";

/* an older deploy: write was not allowed yet */
static const char runs_old[] =
    "{\"ociVersion\": \"1.0.2\", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_LOG\",\n"
    " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],\n"
    " \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}}}\n";

/* resolved with CAP_SYS_ADMIN: mount allowed; the bounding set is in the copy */
static const char runs_admin[] =
    "{\"ociVersion\": \"1.0.2\", \"process\": {\"capabilities\": {\"bounding\": "
    "[\"CAP_CHOWN\", \"CAP_SYS_ADMIN\"]}},\n"
    " \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
    " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],\n"
    " \"syscalls\": [{\"names\": [\"read\", \"write\", \"mount\"], \"action\": "
    "\"SCMP_ACT_ALLOW\"}]}}}\n";

/* x86_64 only, and a default that lets everything run */
static const char runs_other[] =
    "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
    " \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}\n";

static void compare(const char *want, const char *runs, const struct scw_profile_host *host,
                    struct scw_profile_comparison *c)
{
    struct scw_profile *w = load(want), *r = load(runs);
    assert_int_equal(scw_profile_compare(w, r, host, c), 0);
    scw_profile_free(w);
    scw_profile_free(r);
}

static void test_same_and_log_only(void **state)
{
    (void)state;
    struct scw_profile_comparison c;
    compare(team, runs_same, NULL, &c);
    assert_true(scw_profile_comparison_same(&c));
    assert_true(c.runs_log_only);
    assert_int_equal(c.n_differences, 0);
}

static void test_stale_deploy(void **state)
{
    (void)state;
    struct scw_profile_comparison c;
    struct scw_profile *w = load(team), *r = load(runs_old);
    assert_int_equal(scw_profile_compare(w, r, NULL, &c), 0);
    assert_false(scw_profile_comparison_same(&c));
    assert_int_equal(c.n_differences, 2); /* write on x86_64 and on x86 */
    assert_int_equal(c.n_examples, 2);
    assert_string_equal(c.examples[0].syscall, "write");
    assert_int_equal(c.examples[0].arch, SCMP_ARCH_X86_64);
    assert_int_equal(c.examples[0].want, SCW_VERDICT_ALLOWED);
    assert_int_equal(c.examples[0].runs, SCW_VERDICT_REFUSED);
    assert_false(c.arches_differ);
    assert_false(c.default_differs);
    scw_profile_free(w);
    scw_profile_free(r);
}

static void test_caps_follow_the_container(void **state)
{
    (void)state;
    struct scw_profile *w = load(team), *r = load(runs_admin);
    const char **caps = NULL;
    int n = scw_profile_bounding_caps(r, &caps);
    assert_int_equal(n, 2);
    assert_string_equal(caps[1], "CAP_SYS_ADMIN");
    struct scw_profile_host host = {.caps = caps, .n_caps = (size_t)n};
    struct scw_profile_comparison c;
    assert_int_equal(scw_profile_compare(w, r, &host, &c), 0);
    assert_true(scw_profile_comparison_same(&c));
    /* with Docker's default capabilities mount would be refused by the file */
    assert_int_equal(scw_profile_compare(w, r, NULL, &c), 0);
    assert_int_equal(c.n_differences, 2);
    assert_string_equal(c.examples[0].syscall, "mount");
    free(caps);
    /* a Docker profile carries no bounding set */
    assert_int_equal(scw_profile_bounding_caps(w, &caps), -ENOENT);
    scw_profile_free(w);
    scw_profile_free(r);
}

static void test_arches_and_default(void **state)
{
    (void)state;
    struct scw_profile_comparison c;
    compare(team, runs_other, NULL, &c);
    assert_true(c.arches_differ);
    assert_true(c.default_differs);
    assert_false(scw_profile_comparison_same(&c));
}

/* moby's default.json against its own logify: the same, whatever the archMap and includes */
static void test_real_moby(void **state)
{
    (void)state;
    struct scw_profile *w = NULL, *l = NULL;
    assert_int_equal(
        scw_profile_load_file(SCW_TEST_DATA "/real/profiles/moby-profiles-default.json", &w, NULL),
        0);
    assert_int_equal(scw_profile_logify(w, SCW_PROFILE_LOGIFY_ALL, &l, NULL), 0);
    struct scw_profile_comparison c;
    assert_int_equal(scw_profile_compare(w, l, NULL, &c), 0);
    assert_true(scw_profile_comparison_same(&c));
    assert_int_equal(scw_profile_compare(l, w, NULL, &c), 0);
    assert_true(scw_profile_comparison_same(&c));
    scw_profile_free(w);
    scw_profile_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_and_log_only),
        cmocka_unit_test(test_stale_deploy),
        cmocka_unit_test(test_caps_follow_the_container),
        cmocka_unit_test(test_arches_and_default),
        cmocka_unit_test(test_real_moby),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
