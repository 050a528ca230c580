/*
 * scw_profile_run: a workload for live tests of tuned profiles. Loads a seccomp profile
 * (Docker or OCI JSON) the way a runtime would, with the profile module's filter builder
 * (scw_profile_build: libseccomp, never loaded by scmpwatch itself), into its own process,
 * then calls each named syscall COUNT times with harmless arguments and says, per syscall,
 * whether the filter let it run or refused it (EPERM: none of these calls fails with EPERM on
 * its own as root).
 *
 *   scw_profile_run PROFILE.json SYSCALL[:COUNT]...
 *
 * Prints its pid, then one line per syscall: "NAME ran" or "NAME refused (EPERM)".
 * Exit 0 every call ran; 1 some call was refused; 2 usage; 3 the profile could not be loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "profile.h"

/*
 * In sanitizer builds, LeakSanitizer checks at exit from a tracer process it forks: that
 * process runs under the workload's filter but logs under another pid, so the test cannot
 * attribute its syscalls. The workload is short-lived; leak checking it adds nothing.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0";
}

static long call(const char *name)
{
    static const char bad[] = "/nonexistent-scmpwatch-test/x";
    if (strcmp(name, "chmod") == 0)
        return syscall(SYS_chmod, bad, 0644);
    if (strcmp(name, "mknod") == 0)
        return syscall(SYS_mknod, bad, S_IFIFO | 0600, 0);
    if (strcmp(name, "mkdir") == 0)
        return syscall(SYS_mkdir, bad, 0700);
    if (strcmp(name, "getppid") == 0)
        return syscall(SYS_getppid);
    if (strcmp(name, "umask") == 0)
        return syscall(SYS_umask, 022);
    if (strcmp(name, "fchmod") == 0)
        return syscall(SYS_fchmod, -1, 0644);
    errno = ENOSYS;
    return -2;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: scw_profile_run PROFILE.json SYSCALL[:COUNT]...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)strcspn(argv[i], ":"), argv[i]);
        static const char *const safe[] = {"chmod", "mknod", "mkdir", "getppid", "umask", "fchmod"};
        bool ok = false;
        for (size_t k = 0; k < sizeof(safe) / sizeof(safe[0]); k++)
            ok |= strcmp(safe[k], name) == 0;
        if (!ok) {
            fprintf(stderr, "scw_profile_run: %s is not in the table of safe calls\n", name);
            return 2;
        }
    }
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    struct scw_profile *p = NULL;
    scmp_filter_ctx ctx = NULL;
    if (scw_profile_load_file(argv[1], &p, &d) < 0 || !scw_profile_ok(p) ||
        scw_profile_build(p, NULL, &d, &ctx) < 0) {
        scw_profile_diags_print(&d, argv[1], SCW_DIAG_WARNING, stderr);
        fprintf(stderr, "scw_profile_run: cannot build a filter from %s\n", argv[1]);
        return 3;
    }
    scw_profile_diags_free(&d);
    scw_profile_free(p);
    /* print (and so allocate stdout's buffer) before the filter is in force */
    printf("%d\n", (int)getpid());
    fflush(stdout);
    char results[32][96];
    int n_results = 0, refused = 0;
    if (seccomp_load(ctx) < 0) {
        fprintf(stderr, "scw_profile_run: seccomp_load failed\n");
        return 3;
    }
    for (int i = 2; i < argc && n_results < 32; i++) {
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)strcspn(argv[i], ":"), argv[i]);
        const char *colon = strchr(argv[i], ':');
        long count = colon ? strtol(colon + 1, NULL, 10) : 1;
        bool was_refused = false;
        for (long k = 0; k < count; k++) {
            errno = 0;
            if (call(name) < 0 && errno == EPERM)
                was_refused = true;
        }
        refused |= was_refused;
        snprintf(results[n_results++], sizeof(results[0]), "%s %s\n", name,
                 was_refused ? "refused (EPERM)" : "ran");
    }
    for (int i = 0; i < n_results; i++)
        fputs(results[i], stdout);
    fflush(stdout);
    seccomp_release(ctx);
    return refused ? 1 : 0;
}
