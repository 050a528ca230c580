/*
 * flood: the load of the live benchmark (bench/run-live.sh). Forks N children; each moves into
 * its own cgroup named like a Docker container under the cgroup v2 mount and execs itself (as
 * a runtime execs the entrypoint after joining the cgroup), installs a libseccomp filter
 * (default ALLOW, SCMP_ACT_LOG for one syscall), calls that syscall in a loop for S seconds
 * and reports exactly how many calls it made. Every call makes the kernel
 * emit one SECCOMP record (the kernel does not drop them: when its queue is full it makes the
 * caller wait), so the sum of the calls is the number of records sent.
 *
 * Children stay alive (idle, in their cgroup) for --linger seconds after the loop, like a
 * container that keeps running, so a reader that is behind can still look their pids up. The
 * cgroups are removed at the end, also on SIGINT/SIGTERM.
 *
 * Output, one fact per line (for scripts):
 *   cgroup2 MOUNT
 *   child I pid PID id ID cgroup /system.slice/docker-ID.scope
 *   calls I N
 *   sent TOTAL seconds S rate R
 * Not part of scmpwatch; needs root (cgroups, CAP_SYS_ADMIN not needed for the filter).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_util.h"

#define MAX_CHILDREN 64
#define MAX_SECONDS  3600
#define COMM         "scw-flood" /* the children's comm: readers can pick their records */
#define BAD_PATH     "/nonexistent-scmpwatch-flood/x"
#define CHILD_FLAG   "--exec-child" /* internal: the child's second half, after its exec */

enum style { STYLE_SYSTEMD, STYLE_CGROUPFS };

struct child {
    pid_t pid;
    char id[65];
    char rel[128]; /* cgroup path relative to the mount, starting with '/' */
    bool cgroup_made;
    int result_fd; /* read end: the child writes its count here */
    uint64_t calls;
    bool reported;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static uint64_t mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void make_id(char out[65], unsigned idx)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t s = mix((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec) ^
                 mix((uint64_t)getpid() << 16 | idx);
    for (int i = 0; i < 4; i++) {
        s = mix(s);
        snprintf(out + 16 * i, 17, "%016llx", (unsigned long long)s);
    }
}

static int write_file(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t n = write(fd, s, strlen(s));
    int e = n < 0 ? -errno : 0;
    close(fd);
    return e;
}

static long do_call(int nr)
{
    if (nr == SCMP_SYS(chmod))
        return syscall(SYS_chmod, BAD_PATH, 0644);
    return syscall(SYS_getppid);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The child, first half (after fork): join the cgroup, then exec ourselves, as a container
 * runtime does (runc joins the cgroup, then execs the entrypoint). A reader that inherits a
 * child's attribution from its parent at fork sees the new cgroup at the exec.
 */
static void child_start(const char *mount, const struct child *c, int nr, double seconds,
                        uint64_t max_calls, double linger, int ready_fd, int go_fd, int result_fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (c->rel[0]) {
        char path[4096], pid[32];
        snprintf(path, sizeof(path), "%s%s/cgroup.procs", mount, c->rel);
        snprintf(pid, sizeof(pid), "%d", (int)getpid());
        int e = write_file(path, pid);
        if (e < 0) {
            fprintf(stderr, "scw_flood: cannot move pid %s into '%s': %s\n", pid, path,
                    strerror(-e));
            _exit(1);
        }
    }
    /* the three pipe ends survive the exec; everything else is close-on-exec */
    int fds[3] = {ready_fd, go_fd, result_fd};
    for (int i = 0; i < 3; i++)
        fcntl(fds[i], F_SETFD, 0);
    char a_nr[16], a_sec[32], a_calls[32], a_linger[32], a_fds[48];
    snprintf(a_nr, sizeof(a_nr), "%d", nr);
    snprintf(a_sec, sizeof(a_sec), "%.6f", seconds);
    snprintf(a_calls, sizeof(a_calls), "%llu", (unsigned long long)max_calls);
    snprintf(a_linger, sizeof(a_linger), "%.6f", linger);
    snprintf(a_fds, sizeof(a_fds), "%d,%d,%d", ready_fd, go_fd, result_fd);
    execl("/proc/self/exe", COMM, CHILD_FLAG, a_nr, a_sec, a_calls, a_linger, a_fds, (char *)NULL);
    fprintf(stderr, "scw_flood: cannot exec /proc/self/exe: %s\n", strerror(errno));
    _exit(1);
}

/*
 * The child, second half (after exec: argv = COMM CHILD_FLAG NR SECONDS CALLS LINGER
 * READY,GO,RESULT): install the filter, say ready, wait for go, loop, report, linger.
 */
static int child_run(char **argv)
{
    int nr = (int)strtol(argv[2], NULL, 10);
    double seconds = strtod(argv[3], NULL);
    uint64_t max_calls = strtoull(argv[4], NULL, 10);
    double linger = strtod(argv[5], NULL);
    int ready_fd, go_fd, result_fd;
    if (sscanf(argv[6], "%d,%d,%d", &ready_fd, &go_fd, &result_fd) != 3)
        return 1;
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* reset by the exec */
    prctl(PR_SET_NAME, COMM);
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_LOG, nr, 0) < 0 || seccomp_load(ctx) < 0) {
        fprintf(stderr, "scw_flood: cannot install the seccomp filter\n");
        return 1;
    }
    seccomp_release(ctx);
    char b = 'r';
    if (write(ready_fd, &b, 1) != 1)
        return 1;
    close(ready_fd);
    while (read(go_fd, &b, 1) < 0 && errno == EINTR)
        ;
    close(go_fd);

    uint64_t calls = 0;
    double deadline = now() + seconds;
    if (max_calls) {
        while (calls < max_calls && now() < deadline) {
            do_call(nr);
            calls++;
        }
    } else {
        do {
            for (int i = 0; i < 256; i++)
                do_call(nr);
            calls += 256;
        } while (now() < deadline);
    }
    if (write(result_fd, &calls, sizeof(calls)) != (ssize_t)sizeof(calls))
        return 1;
    close(result_fd);
    if (linger > 0) {
        struct timespec ts = {(time_t)linger, (long)((linger - (double)(time_t)linger) * 1e9)};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
            ;
    }
    return 0;
}

static void remove_cgroup(const char *mount, struct child *c)
{
    if (!c->cgroup_made)
        return;
    if (scw_cgroup_util_remove(c->rel) == 0) /* retried while the kernel empties it */
        c->cgroup_made = false;
    else
        fprintf(stderr, "scw_flood: cannot remove cgroup '%s%s': %s\n", mount, c->rel,
                strerror(errno));
}

static const char usage[] =
    "Usage: scw_flood [OPTIONS]\n"
    "Fork N processes, each in its own container-like cgroup under a seccomp filter that logs\n"
    "one syscall, call it in a loop for S seconds and print how many calls each made.\n"
    "\n"
    "Options:\n"
    "  -n, --processes N      flooding processes (default 1, at most 64)\n"
    "  -s, --seconds S        seconds of flooding (default 5; fractions allowed)\n"
    "  -c, --calls N          stop each child after N calls (or S seconds, what comes first)\n"
    "      --syscall NAME     getppid (default) or chmod (on a path that does not exist)\n"
    "      --linger S         seconds the children stay alive after flooding (default 2)\n"
    "      --style STYLE      cgroup naming: systemd (default: /system.slice/docker-ID.scope)\n"
    "                         or cgroupfs (/docker/ID)\n"
    "      --no-cgroup        stay in the current cgroup\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 every child reported; 1 a child or a cgroup failed; 2 usage error.\n";

int main(int argc, char **argv)
{
    if (argc == 7 && strcmp(argv[1], CHILD_FLAG) == 0)
        return child_run(argv);
    static const struct option opts[] = {
        {"processes", required_argument, NULL, 'n'},
        {"seconds", required_argument, NULL, 's'},
        {"calls", required_argument, NULL, 'c'},
        {"syscall", required_argument, NULL, 'S'},
        {"linger", required_argument, NULL, 'L'},
        {"style", required_argument, NULL, 'T'},
        {"no-cgroup", no_argument, NULL, 'N'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long n = 1;
    double seconds = 5, linger = 2;
    uint64_t max_calls = 0;
    int nr = SCMP_SYS(getppid);
    const char *sysname = "getppid";
    enum style style = STYLE_SYSTEMD;
    bool use_cgroup = true;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "n:s:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            errno = 0;
            n = strtol(optarg, &end, 10);
            if (errno || *end || n < 1 || n > MAX_CHILDREN) {
                fprintf(stderr, "scw_flood: --processes needs a number in [1, %d], not '%s'\n",
                        MAX_CHILDREN, optarg);
                return 2;
            }
            break;
        case 'c': {
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || *end || v == 0 || optarg[0] == '-') {
                fprintf(stderr, "scw_flood: --calls needs a positive number, not '%s'\n", optarg);
                return 2;
            }
            max_calls = v;
            break;
        }
        case 's':
        case 'L': {
            errno = 0;
            double v = strtod(optarg, &end);
            if (errno || *end || !(v >= 0 && v <= MAX_SECONDS) || (c == 's' && v <= 0)) {
                fprintf(stderr, "scw_flood: %s needs seconds in (0, %d], not '%s'\n",
                        c == 's' ? "--seconds" : "--linger", MAX_SECONDS, optarg);
                return 2;
            }
            if (c == 's')
                seconds = v;
            else
                linger = v;
            break;
        }
        case 'S':
            if (strcmp(optarg, "getppid") != 0 && strcmp(optarg, "chmod") != 0) {
                fprintf(stderr, "scw_flood: --syscall is getppid or chmod, not '%s'\n", optarg);
                return 2;
            }
            sysname = optarg;
            nr = seccomp_syscall_resolve_name(optarg);
            break;
        case 'T':
            if (strcmp(optarg, "systemd") == 0)
                style = STYLE_SYSTEMD;
            else if (strcmp(optarg, "cgroupfs") == 0)
                style = STYLE_CGROUPFS;
            else {
                fprintf(stderr, "scw_flood: --style is systemd or cgroupfs, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'N':
            use_cgroup = false;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fprintf(stderr, "Try 'scw_flood --help'.\n");
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "scw_flood: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }

    char mount[1024] = "";
    const char *parent = style == STYLE_SYSTEMD ? "/system.slice" : "/docker";
    bool parent_made = false;
    if (use_cgroup) {
        const char *m = scw_cgroup_util_mount();
        if (!m) {
            fprintf(stderr,
                    "scw_flood: no cgroup v2 hierarchy is mounted (/proc/self/mountinfo has no "
                    "cgroup2 line); mount one or use --no-cgroup\n");
            return 1;
        }
        snprintf(mount, sizeof(mount), "%s", m);
        printf("cgroup2 %s\n", mount);
        char path[2048];
        snprintf(path, sizeof(path), "%s%s", mount, parent);
        if (mkdir(path, 0755) == 0)
            parent_made = true;
        else if (errno != EEXIST) {
            fprintf(stderr, "scw_flood: cannot create cgroup '%s': %s (run as root)\n", path,
                    strerror(errno));
            return 1;
        }
    }

    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: reads are interrupted */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    static struct child kids[MAX_CHILDREN];
    int ready[2], go[2];
    if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) {
        perror("scw_flood: pipe");
        return 1;
    }
    int rc = 0;
    long started = 0;
    for (long i = 0; i < n; i++) {
        struct child *k = &kids[i];
        char id[65];
        make_id(id, (unsigned)i);
        memcpy(k->id, id, sizeof(id));
        if (use_cgroup) {
            if (style == STYLE_SYSTEMD)
                snprintf(k->rel, sizeof(k->rel), "%s/docker-%s.scope", parent, id);
            else
                snprintf(k->rel, sizeof(k->rel), "%s/%s", parent, id);
            char path[2048];
            snprintf(path, sizeof(path), "%s%s", mount, k->rel);
            if (mkdir(path, 0755) < 0) {
                fprintf(stderr, "scw_flood: cannot create cgroup '%s': %s\n", path,
                        strerror(errno));
                rc = 1;
                break;
            }
            k->cgroup_made = true;
        }
        int res[2];
        if (pipe2(res, O_CLOEXEC) < 0) {
            perror("scw_flood: pipe");
            rc = 1;
            break;
        }
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
            perror("scw_flood: fork");
            close(res[0]);
            close(res[1]);
            rc = 1;
            break;
        }
        if (pid == 0) {
            close(ready[0]);
            close(go[1]);
            close(res[0]);
            child_start(mount, k, nr, seconds, max_calls, linger, ready[1], go[0], res[1]);
        }
        close(res[1]);
        k->pid = pid;
        k->result_fd = res[0];
        started++;
    }
    close(ready[1]);
    close(go[0]);

    /* wait until every child has joined its cgroup and installed its filter */
    long n_ready = 0;
    char b;
    while (rc == 0 && n_ready < started && !stop_requested) {
        ssize_t r = read(ready[0], &b, 1);
        if (r == 1)
            n_ready++;
        else if (r == 0 || errno != EINTR)
            break;
    }
    close(ready[0]);
    if (n_ready < started || stop_requested)
        rc = 1;
    for (long i = 0; i < started; i++)
        printf("child %ld pid %d id %s cgroup %s\n", i, (int)kids[i].pid, kids[i].id,
               kids[i].rel[0] ? kids[i].rel : "-");
    fflush(stdout);

    double t0 = now();
    if (rc != 0)
        for (long i = 0; i < started; i++)
            kill(kids[i].pid, SIGKILL);
    close(go[1]); /* go: every waiting child's read returns 0 */

    uint64_t sent = 0;
    for (long i = 0; i < started; i++) {
        struct child *k = &kids[i];
        ssize_t r;
        do {
            if (stop_requested)
                for (long j = 0; j < started; j++)
                    kill(kids[j].pid, SIGKILL);
            r = read(k->result_fd, &k->calls, sizeof(k->calls));
        } while (r < 0 && errno == EINTR);
        close(k->result_fd);
        if (r == (ssize_t)sizeof(k->calls)) {
            k->reported = true;
            sent += k->calls;
            printf("calls %ld %llu\n", i, (unsigned long long)k->calls);
        } else {
            fprintf(stderr, "scw_flood: child %ld (pid %d) did not report its calls\n", i,
                    (int)k->pid);
            rc = 1;
        }
    }
    double elapsed = now() - t0;
    for (long i = 0; i < started; i++) {
        int st;
        while (waitpid(kids[i].pid, &st, 0) < 0 && errno == EINTR)
            if (stop_requested)
                kill(kids[i].pid, SIGKILL);
    }
    for (long i = 0; i < n; i++)
        remove_cgroup(mount, &kids[i]);
    if (parent_made) {
        char path[2048];
        snprintf(path, sizeof(path), "%s%s", mount, parent);
        rmdir(path); /* only if we made it and it is empty */
    }
    printf("sent %llu seconds %.3f rate %.0f syscall %s\n", (unsigned long long)sent, elapsed,
           elapsed > 0 ? (double)sent / elapsed : 0.0, sysname);
    if (stop_requested) {
        fprintf(stderr, "scw_flood: interrupted\n");
        rc = 1;
    }
    return rc;
}
