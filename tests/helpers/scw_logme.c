/*
 * scw_logme: a workload for live tests. Optionally moves itself into a cgroup (relative to the
 * cgroup v2 mount, created if needed), installs a libseccomp filter whose default is ALLOW and
 * which logs (or refuses) the named syscalls, then calls each of them a given number of times
 * with harmless arguments, and prints its pid and what it did.
 *
 *   scw_logme [--cgroup REL] [--action log|errno|kill] [--wait-stdin] [--fork N]
 *             SYSCALL[:COUNT]...
 *
 * With --fork N the process forks N children one after another; each makes the calls and exits
 * at once (short-lived processes), the parent makes none.
 *
 * Like a container runtime, it joins the cgroup and then execs (itself), so the cgroup is final
 * at exec. Only syscalls from a table of safe calls are accepted. Exit 0 when every call was made.
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_util.h"

static long call(const char *name)
{
    static const char bad[] = "/nonexistent-scmpwatch-test/x";
    if (strcmp(name, "chmod") == 0)
        return syscall(SYS_chmod, bad, 0644);
    if (strcmp(name, "fchmod") == 0)
        return syscall(SYS_fchmod, -1, 0644);
    if (strcmp(name, "mknod") == 0)
        return syscall(SYS_mknod, bad, S_IFIFO | 0600, 0);
    if (strcmp(name, "mknodat") == 0)
        return syscall(SYS_mknodat, AT_FDCWD, bad, S_IFIFO | 0600, 0);
    if (strcmp(name, "unshare") == 0)
        return syscall(SYS_unshare, 0);
    if (strcmp(name, "setns") == 0)
        return syscall(SYS_setns, -1, 0);
    if (strcmp(name, "getppid") == 0)
        return syscall(SYS_getppid);
    if (strcmp(name, "uname") == 0)
        return syscall(SYS_uname, NULL);
    if (strcmp(name, "personality") == 0)
        return syscall(SYS_personality, 0xffffffffUL);
    if (strcmp(name, "mkdir") == 0)
        return syscall(SYS_mkdir, bad, 0700);
    if (strcmp(name, "umask") == 0)
        return syscall(SYS_umask, 022);
    errno = ENOSYS;
    return -2;
}

static int is_safe(const char *name)
{
    static const char *const safe[] = {"chmod",       "fchmod", "mknod",   "mknodat",
                                       "unshare",     "setns",  "getppid", "uname",
                                       "personality", "mkdir",  "umask"};
    for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
        if (strcmp(safe[i], name) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    const char *cgroup = NULL;
    uint32_t action = SCMP_ACT_LOG;
    int wait_stdin = 0, i = 1;
    long forks = 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--cgroup") == 0 && i + 1 < argc) {
            cgroup = argv[++i];
        } else if (strcmp(argv[i], "--action") == 0 && i + 1 < argc) {
            const char *a = argv[++i];
            action = strcmp(a, "errno") == 0  ? SCMP_ACT_ERRNO(EPERM)
                     : strcmp(a, "kill") == 0 ? SCMP_ACT_KILL_PROCESS
                                              : SCMP_ACT_LOG;
        } else if (strcmp(argv[i], "--fork") == 0 && i + 1 < argc) {
            forks = strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--wait-stdin") == 0) {
            wait_stdin = 1;
        } else {
            fprintf(stderr, "scw_logme: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (cgroup && !getenv("SCW_LOGME_JOINED")) {
        /* like a container runtime: move into the cgroup, then exec the workload */
        if (scw_cgroup_util_join(cgroup, getpid()) < 0) {
            fprintf(stderr, "scw_logme: cannot join cgroup %s: %s\n", cgroup, strerror(errno));
            return 3;
        }
        setenv("SCW_LOGME_JOINED", "1", 1);
        execv("/proc/self/exe", argv);
        fprintf(stderr, "scw_logme: re-exec failed: %s\n", strerror(errno));
        return 3;
    }
    if (getenv("SCW_LOGME_JOINED")) {
        /* Freshly exec'd into the container cgroup. Real container processes take
         * milliseconds to start (dynamic linking, a shell's startup); give the watcher's exec
         * handling the same 20 ms rather than racing it from the first microsecond. */
        unsetenv("SCW_LOGME_JOINED");
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return 3;
    for (int k = i; k < argc; k++) {
        char name[64];
        snprintf(name, sizeof(name), "%s", argv[k]);
        char *colon = strchr(name, ':');
        if (colon)
            *colon = '\0';
        int nr = seccomp_syscall_resolve_name(name);
        if (!is_safe(name)) {
            fprintf(stderr, "scw_logme: %s is not in the table of safe calls\n", name);
            return 2;
        }
        if (nr < 0 || seccomp_rule_add(ctx, action, nr, 0) < 0) {
            fprintf(stderr, "scw_logme: cannot add rule for %s\n", name);
            return 3;
        }
    }
    printf("%d\n", (int)getpid());
    fflush(stdout);
    if (wait_stdin) {
        char c;
        while (read(STDIN_FILENO, &c, 1) < 0 && errno == EINTR)
            ;
    }
    if (seccomp_load(ctx) < 0) {
        fprintf(stderr, "scw_logme: seccomp_load failed\n");
        return 3;
    }
    int failed = 0;
    for (long f = 0; f < forks; f++) {
        pid_t child = fork();
        if (child < 0)
            return 3;
        if (child == 0) {
            for (int k = i; k < argc; k++) {
                char name[64];
                snprintf(name, sizeof(name), "%s", argv[k]);
                char *colon = strchr(name, ':');
                if (colon)
                    *colon = '\0';
                call(name);
            }
            _exit(0);
        }
        int status;
        waitpid(child, &status, 0);
    }
    for (int k = i; forks == 0 && k < argc; k++) {
        char name[64];
        snprintf(name, sizeof(name), "%s", argv[k]);
        char *colon = strchr(name, ':');
        long count = 1;
        if (colon) {
            *colon = '\0';
            count = strtol(colon + 1, NULL, 10);
        }
        for (long n = 0; n < count; n++)
            if (call(name) == -2) {
                failed = 1;
                break;
            }
    }
    seccomp_release(ctx);
    return failed ? 4 : 0;
}
