/*
 * live_profile: filters built from profiles, loaded by the real kernel. From the Docker
 * default fixture the test makes the staging variant (logify) and the tuned one (tune: allow
 * getsid, enforcing default SCMP_ACT_ERRNO/EPERM); a forked child loads each with libseccomp
 * (scw_profile_build, seccomp_load) and calls raw syscalls: the tuned filter lets getsid run,
 * refuses getpgid with EPERM and keeps Docker's explicit clone3 -> ENOSYS entry; the logified
 * filter lets getpgid run; the original refuses getsid. Exits 77 only when the kernel has no
 * seccomp filter support (or no SCMP_ACT_LOG), saying so.
 */
#include "testutil.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "profile.h"

#define FIXTURE SCW_TEST_DATA "/profiles/docker-default.json"

enum expect { RUNS, FAILS_EPERM, FAILS_ENOSYS };

struct call {
    long nr;
    const char *name;
    enum expect expect;
};

/* In the child, after seccomp_load: raw syscalls only, then _exit (exit_group is allowed). */
static int check_calls(const struct call *calls, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        long r = calls[i].nr == SYS_clone3 ? syscall(SYS_clone3, NULL, 0) : syscall(calls[i].nr, 0);
        int e = errno;
        bool ok;
        switch (calls[i].expect) {
        case RUNS:
            ok = r >= 0;
            break;
        case FAILS_EPERM:
            ok = r == -1 && e == EPERM;
            break;
        case FAILS_ENOSYS:
            ok = r == -1 && e == ENOSYS;
            break;
        }
        if (!ok)
            return 10 + (int)i;
    }
    return 0;
}

/* Fork a child that loads p's filter and makes the calls. Returns the child's exit code. */
static int run_under(const struct scw_profile *p, const struct call *calls, size_t n)
{
    scmp_filter_ctx ctx;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    int rc = scw_profile_build(p, NULL, &d, &ctx);
    if (rc < 0)
        scw_profile_diags_print(&d, "built", SCW_DIAG_NOTE, stderr);
    assert_int_equal(rc, 0);
    scw_profile_diags_free(&d);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (seccomp_load(ctx) < 0)
            _exit(2);
        _exit(check_calls(calls, n));
    }
    seccomp_release(ctx);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_tuned_profile_enforces(void **state)
{
    (void)state;
    struct scw_profile *orig = NULL, *staged = NULL, *tuned = NULL;
    assert_int_equal(scw_profile_load_file(FIXTURE, &orig, NULL), 0);
    assert_int_equal(scw_profile_logify(orig, false, &staged, NULL), 0);
    static const char *const allow[] = {"getsid"};
    struct scw_profile_tune t = {
        .allow = allow, .n_allow = 1, .comment = "live test", .default_errno = 1};
    assert_int_equal(scw_profile_tune(staged, &t, &tuned, NULL, NULL), 0);
    assert_false(scw_profile_log_only(tuned));

    /* the kernel here has clone3 (it answers EFAULT/EINVAL to clone3(NULL, 0), not ENOSYS),
     * so ENOSYS under the filter comes from the profile's explicit entry */
    long r = syscall(SYS_clone3, NULL, 0);
    bool has_clone3 = !(r == -1 && errno == ENOSYS);
    if (!has_clone3)
        fprintf(stderr, "note: this kernel has no clone3; its ENOSYS check proves nothing\n");

    const struct call tuned_calls[] = {
        {SYS_getsid, "getsid", RUNS},
        {SYS_getppid, "getppid", RUNS},
        {SYS_getpgid, "getpgid", FAILS_EPERM},
        {SYS_clone3, "clone3", FAILS_ENOSYS},
    };
    assert_int_equal(run_under(tuned, tuned_calls, 4), 0);

    const struct call staged_calls[] = {
        {SYS_getsid, "getsid", RUNS},
        {SYS_getpgid, "getpgid", RUNS}, /* logged, not refused */
        {SYS_clone3, "clone3", FAILS_ENOSYS},
    };
    assert_int_equal(run_under(staged, staged_calls, 3), 0);

    const struct call orig_calls[] = {
        {SYS_getppid, "getppid", RUNS},
        {SYS_getsid, "getsid", FAILS_EPERM},
    };
    assert_int_equal(run_under(orig, orig_calls, 2), 0);

    /* and the check can fail: getpgid does not run under the tuned filter */
    const struct call wrong[] = {{SYS_getpgid, "getpgid", RUNS}};
    assert_int_equal(run_under(tuned, wrong, 1), 10);

    scw_profile_free(tuned);
    scw_profile_free(staged);
    scw_profile_free(orig);
}

int main(void)
{
    if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
        fprintf(stderr, "skipped: this kernel has no seccomp support (CONFIG_SECCOMP)\n");
        return 77;
    }
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0) < 0 && errno == EINVAL) {
        fprintf(stderr, "skipped: this kernel has no seccomp filters (CONFIG_SECCOMP_FILTER)\n");
        return 77;
    }
    if (seccomp_api_get() < 3) {
        fprintf(stderr, "skipped: kernel/libseccomp without SCMP_ACT_LOG (API level %u < 3)\n",
                seccomp_api_get());
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tuned_profile_enforces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
