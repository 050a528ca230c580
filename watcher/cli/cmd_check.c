/*
 * cmd_check: "scmpwatch check" tells whether this host can do what scmpwatch needs, one line
 * per check: PASS, WARN or FAIL with the fix. Non-zero exit when a required check fails.
 * Reads kernel config (/proc/config.gz or /boot/config-RELEASE), sysctls, tries the netlink
 * group and the proc connector, looks at cgroups, libseccomp and the runtime state roots.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include "commands.h"
#include "host_kernel.h"
#include "proc_events.h"
#include "runtime_support.h"
#include "source_netlink.h"

static const char usage[] =
    "Usage: scmpwatch check [OPTIONS]\n"
    "Check that this host supports watching seccomp audit records: kernel configuration\n"
    "(CONFIG_SECCOMP, CONFIG_SECCOMP_FILTER, CONFIG_AUDIT), the 'log' action in\n"
    "/proc/sys/kernel/seccomp/actions_logged, the audit netlink group, the proc connector,\n"
    "auditd, the cgroup layout, libseccomp's API level, the container runtime state roots, and\n"
    "what the runtimes on PATH (runc, crun, dockerd) do with a profile's seccomp flags.\n"
    "\n"
    "Options:\n"
    "      --kernel-config FILE  read the kernel configuration from FILE\n"
    "      --proc DIR            procfs root (default /proc; for tests)\n"
    "  -h, --help                show this help\n"
    "\n"
    "Each line is PASS, WARN or FAIL with what to do. Exit status: 0 no required check failed;\n"
    "1 a required check failed; 2 usage error.\n";

struct checks {
    unsigned fail, warn;
};

static void report(struct checks *c, const char *level, const char *what, const char *detail)
{
    if (strcmp(level, "FAIL") == 0)
        c->fail++;
    else if (strcmp(level, "WARN") == 0)
        c->warn++;
    printf("%-4s  %-28s %s\n", level, what, detail);
}

/* Look up CONFIG_X in a (possibly gzip'd) kernel config. Returns 'y', 'm', 'n' or 0 unknown. */
static char config_value(const char *path, const char *key)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return 0;
    char line[512];
    size_t klen = strlen(key);
    char v = 'n';
    while (gzgets(f, line, sizeof(line))) {
        if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
            v = line[klen + 1];
            break;
        }
    }
    gzclose(f);
    return v;
}

static const char *find_config(const char *given, char *buf, size_t cap, const char *proc)
{
    if (given)
        return access(given, R_OK) == 0 ? given : NULL;
    snprintf(buf, cap, "%s/config.gz", proc);
    if (access(buf, R_OK) == 0)
        return buf;
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(buf, cap, "/boot/config-%s", u.release);
        if (access(buf, R_OK) == 0)
            return buf;
    }
    return NULL;
}

static void check_kernel_config(struct checks *c, const char *given, const char *proc)
{
    char buf[512], msg[600];
    const char *cfg = find_config(given, buf, sizeof(buf), proc);
    static const char *const keys[] = {"CONFIG_SECCOMP", "CONFIG_SECCOMP_FILTER", "CONFIG_AUDIT"};
    for (size_t i = 0; i < 3; i++) {
        if (!cfg) {
            report(c, "WARN", keys[i],
                   "kernel configuration not found (/proc/config.gz, /boot/config-$(uname -r)); "
                   "the runtime checks below still tell");
            continue;
        }
        char v = config_value(cfg, keys[i]);
        if (v == 'y') {
            snprintf(msg, sizeof(msg), "=y (%s)", cfg);
            report(c, "PASS", keys[i], msg);
        } else {
            snprintf(msg, sizeof(msg), "not set in %s: rebuild the kernel with %s=y", cfg, keys[i]);
            report(c, "FAIL", keys[i], msg);
        }
    }
}

static void check_actions_logged(struct checks *c, const char *proc)
{
    char path[512], buf[512];
    snprintf(path, sizeof(path), "%s/sys/kernel/seccomp/actions_logged", proc);
    FILE *f = fopen(path, "re");
    if (!f) {
        report(c, "FAIL", "seccomp actions_logged",
               "cannot read /proc/sys/kernel/seccomp/actions_logged: kernel without seccomp "
               "logging (needs 4.14+)");
        return;
    }
    if (!fgets(buf, sizeof(buf), f))
        buf[0] = '\0';
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    char padded[520];
    snprintf(padded, sizeof(padded), " %s ", buf);
    bool has_log = strstr(padded, " log ") != NULL;
    char msg[1300];
    if (has_log) {
        snprintf(msg, sizeof(msg), "'log' is logged (%s)", buf);
        report(c, "PASS", "seccomp actions_logged", msg);
    } else {
        snprintf(msg, sizeof(msg),
                 "'log' missing (%s): echo '%s log' > /proc/sys/kernel/seccomp/actions_logged", buf,
                 buf);
        report(c, "FAIL", "seccomp actions_logged", msg);
    }
}

static void check_netlink(struct checks *c)
{
    struct scw_nl_audit *nl;
    int rc = scw_nl_audit_open(SCW_NETLINK_RCVBUF_DEFAULT, &nl);
    char msg[300];
    if (rc < 0) {
        snprintf(msg, sizeof(msg),
                 "cannot join AUDIT_NLGRP_READLOG: %s (run as root or grant CAP_AUDIT_READ; "
                 "kernel needs CONFIG_AUDIT)",
                 strerror(-rc));
        report(c, "FAIL", "audit netlink group", msg);
        return;
    }
    size_t got = scw_nl_audit_rcvbuf(nl);
    scw_nl_audit_close(nl);
    snprintf(msg, sizeof(msg), "joined read-only; receive buffer %zu bytes", got);
    report(c, got >= SCW_NETLINK_RCVBUF_DEFAULT ? "PASS" : "WARN", "audit netlink group",
           got >= SCW_NETLINK_RCVBUF_DEFAULT
               ? msg
               : "joined, but the receive buffer could not be raised (needs CAP_NET_ADMIN): "
                 "floods may lose records");
}

static void check_proc_connector(struct checks *c)
{
    struct scw_proc_events *pe;
    int rc = scw_proc_events_open(1 << 20, &pe);
    if (rc < 0) {
        char msg[300];
        snprintf(msg, sizeof(msg),
                 "%s: short-lived processes may go unattributed (needs CAP_NET_ADMIN and "
                 "CONFIG_PROC_EVENTS)",
                 strerror(-rc));
        report(c, "WARN", "proc connector", msg);
        return;
    }
    scw_proc_events_close(pe);
    report(c, "PASS", "proc connector", "fork/exec/exit events available");
}

static void check_auditd(struct checks *c)
{
    uint64_t lost;
    uint32_t backlog, pid;
    int rc = scw_audit_kernel_status(&lost, &backlog, &pid);
    char msg[300];
    if (rc < 0) {
        snprintf(msg, sizeof(msg),
                 "cannot read the audit status: %s (lost records cannot be "
                 "cross-checked)",
                 strerror(-rc));
        report(c, "WARN", "audit status", msg);
        return;
    }
    if (pid)
        snprintf(msg, sizeof(msg),
                 "auditd running (pid %u); scmpwatch reads alongside it; "
                 "kernel lost counter %llu",
                 pid, (unsigned long long)lost);
    else
        snprintf(msg, sizeof(msg),
                 "no audit daemon; records reach scmpwatch through the "
                 "multicast group; kernel lost counter %llu",
                 (unsigned long long)lost);
    report(c, "PASS", "audit daemon", msg);
}

static void check_cgroups(struct checks *c, const char *proc)
{
    char path[512], line[1024];
    snprintf(path, sizeof(path), "%s/self/mountinfo", proc);
    FILE *f = fopen(path, "re");
    bool v1 = false;
    char v2[256] = "";
    while (f && fgets(line, sizeof(line), f)) {
        char *dash = strstr(line, " - ");
        if (!dash)
            continue;
        if (strncmp(dash + 3, "cgroup2 ", 8) == 0 && !v2[0]) {
            char *p = line;
            for (int i = 0; i < 4 && p; i++)
                p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
            if (p)
                snprintf(v2, sizeof(v2), "%.*s", (int)strcspn(p, " "), p);
        } else if (strncmp(dash + 3, "cgroup ", 7) == 0) {
            v1 = true;
        }
    }
    if (f)
        fclose(f);
    char msg[400];
    if (v2[0] && v1)
        snprintf(msg, sizeof(msg), "hybrid: cgroup v2 at %s, v1 controllers beside it", v2);
    else if (v2[0])
        snprintf(msg, sizeof(msg), "unified cgroup v2 at %s", v2);
    else if (v1)
        snprintf(msg, sizeof(msg), "cgroup v1 only");
    else
        snprintf(msg, sizeof(msg), "no cgroup filesystem mounted: attribution impossible");
    report(c, v2[0] || v1 ? "PASS" : "FAIL", "cgroup layout", msg);
}

static void check_libseccomp(struct checks *c)
{
    const struct scmp_version *v = seccomp_version();
    unsigned api = seccomp_api_get();
    char msg[200];
    snprintf(msg, sizeof(msg), "libseccomp %u.%u.%u, API level %u%s", v->major, v->minor, v->micro,
             api, api < 3 ? " (< 3: SECCOMP_FILTER_FLAG_LOG and SCMP_ACT_LOG missing)" : "");
    report(c, api >= 3 ? "PASS" : "FAIL", "libseccomp", msg);
}

/* What cve_blocks' kernel_below is measured against (see host_kernel.h). */
static void check_host_kernel(struct checks *c)
{
    char version[128], msg[300];
    const char *source = scw_host_kernel(version, sizeof(version));
    snprintf(msg, sizeof(msg),
             "%s, from %s: cve_blocks' kernel_below bounds are checked against it", version,
             source);
    report(c, version[0] ? "PASS" : "WARN", "host kernel version", msg);
}

static void check_roots(struct checks *c)
{
    static const struct {
        const char *runtime, *path;
    } roots[] = {
        {"docker", "/var/lib/docker/containers"},
        {"docker (containerd bundles)", "/run/docker/containerd/daemon"},
        {"containerd", "/run/containerd/io.containerd.runtime.v2.task"},
        {"cri-o/podman", "/run/containers/storage"},
        {"runc", "/run/runc"},
    };
    unsigned found = 0;
    for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        struct stat st;
        if (stat(roots[i].path, &st) == 0 && S_ISDIR(st.st_mode)) {
            char msg[300];
            snprintf(msg, sizeof(msg), "%s found", roots[i].path);
            report(c, "PASS", roots[i].runtime, msg);
            found++;
        }
    }
    if (!found)
        report(c, "WARN", "runtime state roots",
               "none of the default runtime state directories exists: containers will be named "
               "by cgroup only (use --runtime-root KIND=DIR if they live elsewhere)");
}

/* The first lines of `PROGRAM --version` (stderr too), if PROGRAM is on PATH; "" otherwise. */
static void version_output(const char *program, char *buf, size_t size)
{
    char cmd[128];
    buf[0] = '\0';
    snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1 && %s --version 2>&1", program,
             program);
    FILE *f = popen(cmd, "re");
    if (!f)
        return;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    while (fread(cmd, 1, sizeof(cmd), f) > 0)
        ; /* drain, so the program is not killed by SIGPIPE mid-write */
    pclose(f);
}

/*
 * What each container runtime on PATH does with a profile's "flags" (logify --log-flag):
 * runc before 1.2 refuses to start the container, dockerd 20.10 drops them (see
 * runtime_support.c). The log-only profile logify writes by default has no flags.
 */
static void check_runtime_flags(struct checks *c)
{
    static const struct {
        const char *program, *runtime, *banner;
    } progs[] = {
        {"runc", "runc", "runc"}, {"crun", "crun", "crun"}, {"dockerd", "docker", "Docker"}};
    for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
        char out[4096], version[64], why[300], what[64], msg[512];
        version_output(progs[i].program, out, sizeof(out));
        if (!out[0])
            continue;
        if (scw_runtime_version_from(progs[i].banner, out, version, sizeof(version)) < 0)
            snprintf(version, sizeof(version), "(version not understood)");
        enum scw_flags_support s =
            scw_runtime_flags_support(progs[i].runtime, version, why, sizeof(why));
        snprintf(what, sizeof(what), "%s seccomp flags", progs[i].program);
        snprintf(msg, sizeof(msg), "%s %s: %s; %s", progs[i].program, version,
                 scw_flags_support_name(s), why);
        report(c, s == SCW_FLAGS_ACCEPTS ? "PASS" : "WARN", what, msg);
    }
}

int scw_cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"kernel-config", required_argument, NULL, 'k'},
        {"proc", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *config = NULL, *proc = "/proc";
    int opt;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 'k':
            config = optarg;
            break;
        case 'p':
            proc = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        default:
            return scw_cmd_usage_error("check", "unknown option");
        }
    }
    if (optind < argc)
        return scw_cmd_usage_error("check", "unexpected argument '%s'", argv[optind]);
    struct checks c = {0};
    check_kernel_config(&c, config, proc);
    check_actions_logged(&c, proc);
    check_netlink(&c);
    check_proc_connector(&c);
    check_auditd(&c);
    check_cgroups(&c, proc);
    check_libseccomp(&c);
    check_host_kernel(&c);
    check_roots(&c);
    check_runtime_flags(&c);
    printf("\n%u failed, %u warnings\n", c.fail, c.warn);
    return c.fail ? SCW_EXIT_INPUT : SCW_EXIT_OK;
}
