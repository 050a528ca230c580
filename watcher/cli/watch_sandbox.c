/*
 * watch_sandbox: no_new_privs, capabilities, and the watcher's own seccomp allow list (see
 * watch_sandbox.h). The list is a table, one group of syscalls per duty of the steady state,
 * each with why. It was measured, not guessed: the live watch tests (netlink, follow, kmsg,
 * stdin, docker and runc journeys, the flood, metrics, sd_notify, SIGHUP reloads) ran under
 * --sandbox=log (default action SCMP_ACT_LOG) while a second, unconfined watcher recorded the
 * SECCOMP records of the confined ones, and under strace for the calls the list allows
 * (tests/e2e_watch_sandbox.sh says how to do it again). Calls kept without being seen say so.
 * Capabilities are set with capget/capset and prctl directly: four calls do not need libcap.
 */
#include "watch_sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "sdnotify.h"

/* The sanitizer runtimes (the ASan+UBSan test build) make syscalls of their own: at exit
 * LeakSanitizer stops the world (clone, ptrace, wait4) to scan memory, reports go through
 * their own writes, signal set-up. Compiled in only when such a runtime is. */
#if defined(__SANITIZE_ADDRESS__)
#define SCW_SANITIZER_RUNTIME 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCW_SANITIZER_RUNTIME 1
#endif
#endif

/* The allow list. A syscall in no group is refused (killed, or logged in log mode). Each
 * group says which duty makes it; "(not seen)" marks the few kept although the measurement
 * did not see them, with the reason they can still come. */
static const char *const allowed[] = {
    /* the event loop (lib/loop.c, lib/httpd.c): epoll over the sources, the signalfd, the
     * timerfds and the metrics listener; epoll_ctl adds and removes metrics connections and
     * drops a source that ended */
    "epoll_wait",
    "epoll_ctl",
    /* reading the sources: netlink audit (recvmmsg), the proc connector and metrics requests
     * (recvfrom), followed files, kmsg, stdin, /proc and state files, signalfd and timerfd
     * (read) */
    "read",
    "recvmmsg",
    "recvfrom",
    /* a wake-up that read few records naps 200 us (watch_loop.c) */
    "clock_nanosleep",
    /* clocks (not seen): the vDSO answers them here, the syscall is glibc's fallback on clock
     * sources the vDSO cannot read (some hypervisors); restart_syscall (not seen): the kernel
     * resumes an interrupted nap through it after SIGSTOP/SIGCONT */
    "clock_gettime",
    "gettimeofday",
    "time",
    "restart_syscall",
    /* memory: malloc's heap and large blocks; mremap and madvise (not seen in the tests)
     * when large tables grow and shrink (realloc of an mmap'd block, trimming), as a big
     * aggregate does. mmap/mprotect only without PROT_EXEC: below */
    "brk",
    "munmap",
    "mremap",
    "madvise",
    /* files: /proc/PID/cgroup per new pid, the runtimes' state files per new container
     * (config.json, config.v2.json, state.json; directories listed with getdents64), a
     * followed file reopened after rotation, rule files on SIGHUP; sizes and the rotation
     * check (newfstatat: glibc's fstat and stat), the rewind after truncation (lseek) */
    "openat",
    "close",
    "newfstatat",
    "lseek",
    "getdents64",
    /* snapshots (lib/atomic_file.c): mkostemp (getrandom: in 42 of 731 measured snapshots
     * glibc redraws a biased random name from the kernel), fchmod, fdopen (fcntl F_GETFL,
     * below), write, fsync, rename, the directory's fsync; the --metrics-file textfile, the
     * events output and the log (write) */
    "write",
    "fchmod",
    "fsync",
    "rename",
    "getrandom",
    /* the profile copies beside the state (watch_loop.c keep_profile: mkdir, access, a
     * temporary named by getpid) and a failed temporary removed (unlink) */
    "mkdir",
    "access",
    "getpid",
    "unlink",
    /* the metrics endpoint (--metrics): connections accepted on the listening socket opened
     * before the sandbox, answered (sendto, MSG_NOSIGNAL) and shut */
    "accept4",
    "sendto",
    "shutdown",
    /* sd_notify (READY=1, RELOADING=1/READY=1 on SIGHUP, STOPPING=1): libsystemd sends on a
     * new AF_UNIX datagram socket each time (socket and its send buffer: only with those
     * arguments, below) and compares its ids to decide whether to pass credentials */
    "sendmsg",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    /* the end */
    "exit_group",
#ifdef SCW_SANITIZER_RUNTIME
    /* sanitizer runtime only (see above): LeakSanitizer at exit lists /proc/self/task (open,
     * getdents), starts a tracer (clone, prctl, sched_yield, futex) that attaches to the
     * watcher (ptrace, wait4, tgkill) */
    "open",
    "getdents",
    "clone",
    "ptrace",
    "wait4",
    "prctl",
    "sched_yield",
    "sigaltstack",
    "rt_sigaction",
    "rt_sigprocmask",
    "gettid",
    "tgkill",
    "readlink",
    "futex",
    "getppid",
    "sched_getaffinity",
    "exit",
#endif
};

/* Allowed with these arguments only. */
struct arg_rule {
    const char *name;
    unsigned n;
    struct scmp_arg_cmp cmp[2];
};

static const struct arg_rule allowed_args[] = {
    /* memory that is never executable: a hijacked watcher cannot map code of its own */
    {"mmap", 1, {SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)}},
    {"mprotect", 1, {SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)}},
    /* sd_notify's socket: AF_UNIX datagrams only; no network socket, no netlink */
    {"socket",
     2,
     {SCMP_A0(SCMP_CMP_EQ, AF_UNIX),
      SCMP_A1(SCMP_CMP_MASKED_EQ, ~(unsigned)(SOCK_CLOEXEC | SOCK_NONBLOCK), SOCK_DGRAM)}},
    /* libsystemd grows that socket's send buffer (SO_SNDBUFFORCE fails without CAP_NET_ADMIN,
     * then SO_SNDBUF) */
    {"setsockopt", 1, {SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET)}},
    {"getsockopt", 1, {SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET)}},
    /* fdopen's F_GETFL on a snapshot's temporary; nothing else of fcntl */
    {"fcntl", 1, {SCMP_A1(SCMP_CMP_EQ, F_GETFL)}},
};

/* The one capability of the steady state: reading runtime state under other users' homes and
 * runtime dirs (rootless Podman's ~/.local/share/containers, /run/user/UID), mode 0700 and not
 * root's. Everything else was needed at open time only: CAP_AUDIT_READ (the bind to the audit
 * group is checked then, not per message), CAP_NET_ADMIN (SO_RCVBUFFORCE and the proc
 * connector's subscription), CAP_AUDIT_CONTROL (the kernel's lost counter, AUDIT_GET: read at
 * start, not while confined: keeping it would let a hijacked watcher switch auditing off). */
#define KEPT_CAPS (1ULL << CAP_DAC_READ_SEARCH)

static const char *const mode_names[SCW_SANDBOX_MODE_MAX] = {"kill", "log", "off"};

enum scw_sandbox_mode scw_watch_sandbox_mode_from_name(const char *name)
{
    for (int i = 0; i < SCW_SANDBOX_MODE_MAX; i++)
        if (strcmp(name, mode_names[i]) == 0)
            return (enum scw_sandbox_mode)i;
    return SCW_SANDBOX_MODE_INVALID;
}

const char *scw_watch_sandbox_mode_name(enum scw_sandbox_mode mode)
{
    return mode >= 0 && mode < SCW_SANDBOX_MODE_MAX ? mode_names[mode] : "?";
}

uint64_t scw_watch_sandbox_kept_caps(void)
{
    return KEPT_CAPS;
}

const char *const *scw_watch_sandbox_syscalls(size_t *ret_n)
{
    *ret_n = sizeof(allowed) / sizeof(allowed[0]);
    return allowed;
}

static int caps_get(uint64_t *ret_eff, uint64_t *ret_perm)
{
    struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
    struct __user_cap_data_struct d[2] = {{0}};
    if (syscall(SYS_capget, &h, d) < 0)
        return -errno;
    *ret_eff = (uint64_t)d[0].effective | (uint64_t)d[1].effective << 32;
    *ret_perm = (uint64_t)d[0].permitted | (uint64_t)d[1].permitted << 32;
    return 0;
}

/* Keep (keep & held) in effective and permitted, nothing inheritable or ambient; the bounding
 * set shrinks to the same where CAP_SETPCAP is held (a unit's CapabilityBoundingSet= has
 * already done it otherwise). */
static int drop_caps(uint64_t *ret_kept)
{
    uint64_t eff = 0, perm = 0;
    int rc = caps_get(&eff, &perm);
    if (rc < 0)
        return rc;
    uint64_t keep = KEPT_CAPS & perm;
    if (eff & (1ULL << CAP_SETPCAP)) {
        for (int cap = 0; cap < 64; cap++) {
            if (keep & (1ULL << cap))
                continue;
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno == EINVAL)
                break; /* past the kernel's last capability */
        }
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); /* EINVAL before 4.3: none */
    struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
    struct __user_cap_data_struct d[2] = {{0}};
    d[0].effective = d[0].permitted = (uint32_t)keep;
    d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
    if (syscall(SYS_capset, &h, d) < 0)
        return -errno;
    *ret_kept = keep;
    return 0;
}

static int build_filter(enum scw_sandbox_mode mode, scmp_filter_ctx *ret)
{
    uint32_t deny = mode == SCW_SANDBOX_LOG ? SCMP_ACT_LOG : SCMP_ACT_KILL_PROCESS;
    scmp_filter_ctx ctx = seccomp_init(deny);
    if (!ctx)
        return -ENOMEM;
    int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, deny);
    for (size_t i = 0; rc == 0 && i < sizeof(allowed) / sizeof(allowed[0]); i++) {
        int nr = seccomp_syscall_resolve_name(allowed[i]);
        if (nr == __NR_SCMP_ERROR)
            continue; /* not on this architecture (or unknown to this libseccomp) */
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
    }
    for (size_t i = 0; rc == 0 && i < sizeof(allowed_args) / sizeof(allowed_args[0]); i++) {
        const struct arg_rule *a = &allowed_args[i];
        int nr = seccomp_syscall_resolve_name(a->name);
        if (nr != __NR_SCMP_ERROR)
            rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, a->n, a->cmp);
    }
    if (rc < 0) {
        seccomp_release(ctx);
        return rc;
    }
    *ret = ctx;
    return 0;
}

static void cap_names(uint64_t mask, char *buf, size_t cap)
{
    /* only the one the steady state may keep has a name here; others print as numbers */
    buf[0] = '\0';
    size_t used = 0;
    for (int c = 0; c < 64 && used < cap; c++) {
        if (!(mask & (1ULL << c)))
            continue;
        int n = c == CAP_DAC_READ_SEARCH
                    ? snprintf(buf + used, cap - used, "%scap_dac_read_search", used ? "," : "")
                    : snprintf(buf + used, cap - used, "%scap_%d", used ? "," : "", c);
        used += n > 0 ? (size_t)n : 0;
    }
    if (!used)
        snprintf(buf, cap, "none");
}

int scw_watch_sandbox_apply(enum scw_sandbox_mode mode)
{
    if (mode == SCW_SANDBOX_OFF)
        return 0;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        int e = -errno;
        scw_log_err(e, "sandbox: cannot set no_new_privs (run with --no-sandbox to go on "
                       "without the sandbox)");
        return e;
    }
    uint64_t kept = 0;
    int rc = drop_caps(&kept);
    if (rc < 0) {
        scw_log_err(rc, "sandbox: cannot drop capabilities (--no-sandbox to go on without)");
        return rc;
    }
    scmp_filter_ctx ctx;
    if ((rc = build_filter(mode, &ctx)) < 0) {
        scw_log_err(rc, "sandbox: cannot build the seccomp filter (--no-sandbox to go on "
                        "without)");
        return rc;
    }
    rc = seccomp_load(ctx);
    seccomp_release(ctx);
    if (rc < 0) {
        scw_log_err(rc, "sandbox: cannot load the seccomp filter (a kernel without "
                        "CONFIG_SECCOMP_FILTER?; --no-sandbox to go on without)");
        return rc;
    }
    char names[256];
    cap_names(kept, names, sizeof(names));
    scw_log_info("sandbox: no_new_privs, capabilities kept: %s, seccomp allow list of %zu "
                 "syscalls (anything else: %s)",
                 names,
                 sizeof(allowed) / sizeof(allowed[0]) +
                     sizeof(allowed_args) / sizeof(allowed_args[0]),
                 mode == SCW_SANDBOX_LOG ? "logged" : "kills the watcher");
    return 0;
}

int scw_watch_sandbox_print(enum scw_sandbox_mode mode, FILE *out)
{
    char names[256];
    cap_names(KEPT_CAPS, names, sizeof(names));
    fprintf(out,
            "# scmpwatch watch sandbox, mode %s\n"
            "# no_new_privs: yes\n"
            "# capabilities kept (effective and permitted, when held at start): %s\n"
            "# every other capability is dropped: effective, permitted, inheritable, ambient,\n"
            "# and the bounding set when CAP_SETPCAP is held\n",
            scw_watch_sandbox_mode_name(mode), names);
    fprintf(out, "# sd_notify: %s\n",
            scw_sdnotify_available() ? "through libsystemd ($NOTIFY_SOCKET)"
                                     : "not built in (no libsystemd at build time)");
#ifdef SCW_SANITIZER_RUNTIME
    fputs("# sanitizer build: its runtime's syscalls are allowed too (clone, ptrace, wait4...)\n",
          out);
#endif
#ifdef SCW_DEBUG_SANDBOX
    fputs("# self-test: compiled in (SCW_SANDBOX_SELFTEST=execve|ptrace, debug build)\n", out);
#else
    fputs("# self-test: not compiled in (a debug build has it)\n", out);
#endif
    if (mode == SCW_SANDBOX_OFF) {
        fputs("# --no-sandbox: no filter, nothing dropped\n", out);
        return fflush(out) == 0 ? 0 : -EIO;
    }
    fprintf(out, "# seccomp filter (libseccomp pseudo filter code); anything not allowed: %s\n",
            mode == SCW_SANDBOX_LOG ? "SCMP_ACT_LOG" : "SCMP_ACT_KILL_PROCESS");
    fflush(out);
    scmp_filter_ctx ctx;
    int rc = build_filter(mode, &ctx);
    if (rc < 0)
        return rc;
    rc = seccomp_export_pfc(ctx, fileno(out));
    seccomp_release(ctx);
    return rc;
}

void scw_watch_sandbox_selftest(void)
{
#ifdef SCW_DEBUG_SANDBOX
    const char *what = getenv("SCW_SANDBOX_SELFTEST");
    if (!what || !*what)
        return;
    scw_log_notice("sandbox self-test: calling %s, which the sandbox refuses", what);
    errno = 0;
    if (strcmp(what, "execve") == 0) {
        char *const argv[] = {(char *)"scmpwatch-selftest", NULL};
        execve("/nonexistent/scmpwatch-sandbox-selftest", argv, argv + 1);
    } else if (strcmp(what, "ptrace") == 0) {
        ptrace(PTRACE_ATTACH, 0, NULL, NULL); /* pid 0: fails harmlessly when allowed */
    } else {
        scw_log_warnx("sandbox self-test: unknown SCW_SANDBOX_SELFTEST '%s' (execve, ptrace)",
                      what);
        return;
    }
    scw_log_warn(errno, "sandbox self-test: %s was not refused (log mode, or no sandbox)", what);
#endif
}
