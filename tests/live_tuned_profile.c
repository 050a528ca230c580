/*
 * live_tuned_profile: the whole loop on a real kernel. An enforcing profile refuses chmod,
 * getppid and mknod; `scmpwatch profile logify` makes its log-only variant; a workload
 * (scw_profile_run, which loads profiles with the profile module's filter builder) runs
 * under it, makes the calls and succeeds while the kernel logs them; the records are captured
 * from the audit multicast group (only the workload's pid: other tests run in parallel) and
 * `scmpwatch replay --rules --profile --format profile` writes the tuned profile. Then, in
 * fresh children: the tuned profile, enforcing, lets chmod and getppid run and keeps mknod
 * refused (a deny rule), and the original enforcing profile refuses them all (EPERM).
 */
#include "testutil.h"

#include <errno.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The syscalls a glibc program needs to print and exit once the filter is in force. */
static const char enforcing_json[] =
    "{\n"
    "  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
    "  \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],\n"
    "  \"syscalls\": [\n"
    "    {\"names\": [\"read\", \"write\", \"exit\", \"exit_group\", \"brk\", \"mmap\",\n"
    "               \"munmap\", \"fstat\", \"newfstatat\", \"rt_sigreturn\",\n"
    "               \"rt_sigprocmask\", \"futex\"],\n"
    "     \"action\": \"SCMP_ACT_ALLOW\"}\n"
    "  ]\n"
    "}\n";

/* Allow what was seen even once; keep mknod refused. */
static const char rules_yaml[] = "version: 1\n"
                                 "rules:\n"
                                 "  - name: no-device-nodes\n"
                                 "    syscalls: [mknod, mknodat]\n"
                                 "    decision: deny\n"
                                 "    reason: this workload never creates device nodes\n"
                                 "defaults:\n"
                                 "  decision: allow\n"
                                 "  thresholds: {min_events: 1, min_processes: 1}\n"
                                 "  action: SCMP_ACT_ERRNO\n"
                                 "  errno: EPERM\n";

static int nl_open(void)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
    if (fd < 0)
        return -errno;
    int sz = 16 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = 1};
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    return fd;
}

/* Run the workload under a profile; returns its exit status, *ret_out its output. */
static int run_workload(const char *profile, const char *calls, char **ret_out)
{
    char *cmd = scw_test_asprintf("%s/scw_profile_run %s %s", SCW_TEST_BIN, profile, calls);
    char *err = NULL;
    int st = scw_test_run(cmd, ret_out, &err);
    /* shown when an assertion on it fails */
    fprintf(stderr, "%s: exit %d\n%s%s", cmd, st, *ret_out ? *ret_out : "", err ? err : "");
    free(err);
    free(cmd);
    return st;
}

/* Capture the SECCOMP records of pid into path, as auditd writes them; returns how many. */
static int capture(int fd, pid_t pid, int want, const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    char needle[32];
    snprintf(needle, sizeof(needle), " pid=%d ", (int)pid);
    int got = 0;
    time_t deadline = time(NULL) + 20;
    static char buf[16384];
    /* until the wanted ones arrived (or 20 s), then a second more for anything else the
       workload logged (the records of other tests keep arriving meanwhile) */
    bool drained = false;
    while (time(NULL) < deadline) {
        if (got >= want && !drained) {
            deadline = time(NULL) + 1;
            drained = true;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 300) <= 0)
            continue;
        ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
        if (n < 0 && errno == ENOBUFS)
            continue;
        assert_true(n > 0);
        struct nlmsghdr *h = (struct nlmsghdr *)(void *)buf;
        if (h->nlmsg_type != AUDIT_SECCOMP)
            continue;
        char *body = NLMSG_DATA(h);
        size_t blen = h->nlmsg_len - NLMSG_HDRLEN;
        body[blen] = '\0';
        if (!strstr(body, needle))
            continue;
        fprintf(f, "type=SECCOMP msg=%s\n", body);
        got++;
    }
    fclose(f);
    return got;
}

static void test_tuned_profile_enforces(void **state)
{
    (void)state;
    char *dir = scw_test_mkdtemp();
    char *enforcing = scw_test_asprintf("%s/enforcing.json", dir);
    char *logonly = scw_test_asprintf("%s/log-only.json", dir);
    char *rules = scw_test_asprintf("%s/rules.yaml", dir);
    char *log = scw_test_asprintf("%s/audit.log", dir);
    char *tuned = scw_test_asprintf("%s/tuned/log-only.json", dir); /* named after the profile */
    scw_test_write_file(enforcing, enforcing_json, strlen(enforcing_json));
    scw_test_write_file(rules, rules_yaml, strlen(rules_yaml));

    /* the log-only variant, as a team would make it for staging */
    char *cmd = scw_test_asprintf("%s profile logify --quiet --output %s %s", scw_test_binary(),
                                  logonly, enforcing);
    assert_int_equal(scw_test_run(cmd, NULL, NULL), 0);
    free(cmd);

    /* staging: the workload succeeds under the log-only profile; the kernel logs its calls */
    int fd = nl_open();
    assert_true(fd >= 0);
    char *out = NULL;
    assert_int_equal(run_workload(logonly, "chmod:5 getppid:4 mknod:3", &out), 0);
    pid_t pid = (pid_t)strtol(out, NULL, 10);
    assert_true(pid > 0);
    assert_non_null(strstr(out, "\nchmod ran\ngetppid ran\nmknod ran\n"));
    free(out);
    int got = capture(fd, pid, 12, log);
    close(fd);
    assert_true(got >= 12);

    /* the proposals, then the tuned profile */
    cmd = scw_test_asprintf("%s replay --rules %s --profile %s --format json %s", scw_test_binary(),
                            rules, logonly, log);
    assert_int_equal(scw_test_run(cmd, &out, NULL), 0);
    free(cmd);
    json_error_t jerr;
    json_t *doc = json_loads(out, 0, &jerr);
    assert_non_null(doc);
    json_t *groups = json_object_get(doc, "profiles");
    assert_int_equal(json_array_size(groups), 1);
    json_t *g = json_array_get(groups, 0);
    json_t *props = json_object_get(g, "proposals");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(props); i++) {
        json_t *p = json_array_get(props, i);
        const char *sys = json_string_value(json_object_get(p, "syscall"));
        const char *dec = json_string_value(json_object_get(p, "decision"));
        json_int_t count = json_integer_value(json_object_get(p, "count"));
        if (sys && strcmp(sys, "chmod") == 0) {
            assert_string_equal(dec, "allow");
            assert_int_equal(count, 5);
            seen++;
        } else if (sys && strcmp(sys, "getppid") == 0) {
            assert_string_equal(dec, "allow");
            assert_int_equal(count, 4);
            seen++;
        } else if (sys && strcmp(sys, "mknod") == 0) {
            assert_string_equal(dec, "deny");
            assert_string_equal(json_string_value(json_object_get(p, "rule")), "no-device-nodes");
            assert_int_equal(count, 3);
            seen++;
        }
        assert_string_equal(json_string_value(json_object_get(p, "profile_verdict")), "refused");
    }
    assert_int_equal(seen, 3);
    json_decref(doc);
    free(out);

    cmd =
        scw_test_asprintf("%s replay --rules %s --profile %s --format profile --output %s/tuned %s",
                          scw_test_binary(), rules, logonly, dir, log);
    assert_int_equal(scw_test_run(cmd, NULL, NULL), 0);
    free(cmd);
    char *tuned_text = scw_test_read_file(tuned, NULL);
    assert_non_null(tuned_text);
    assert_non_null(strstr(tuned_text, "\"defaultAction\": \"SCMP_ACT_ERRNO\""));
    free(tuned_text);

    /* production: the tuned profile enforcing lets the same calls run, mknod stays refused */
    assert_int_equal(run_workload(tuned, "chmod:5 getppid:4", &out), 0);
    assert_non_null(strstr(out, "\nchmod ran\ngetppid ran\n"));
    free(out);
    assert_int_equal(run_workload(tuned, "mknod:1", &out), 1);
    assert_non_null(strstr(out, "\nmknod refused (EPERM)\n"));
    free(out);
    /* the original enforcing profile breaks the workload */
    assert_int_equal(run_workload(enforcing, "chmod:5 getppid:4", &out), 1);
    assert_non_null(strstr(out, "\nchmod refused (EPERM)\ngetppid refused (EPERM)\n"));
    free(out);

    scw_test_rmtree(dir);
    free(dir);
    free(enforcing);
    free(logonly);
    free(rules);
    free(log);
    free(tuned);
}

int main(void)
{
    if (!scw_test_is_root()) {
        fprintf(stderr, "SKIP: needs root (CAP_AUDIT_READ) to read the audit multicast group\n");
        return 77;
    }
    int fd = nl_open();
    if (fd == -EPROTONOSUPPORT || fd == -EPERM) {
        fprintf(stderr, "SKIP: audit netlink unavailable here: %s\n", strerror(-fd));
        return 77;
    }
    if (fd >= 0)
        close(fd);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tuned_profile_enforces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
