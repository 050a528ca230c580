/*
 * live_tuned_profile: the whole loop on a real kernel. An enforcing profile refuses chmod,
 * getppid and mknod; `scmpwatch profile logify` makes its log-only variant; a workload (a
 * forked child that loads the profile file as a runtime would, with the profile module's
 * filter builder, then makes raw syscalls) runs under it and succeeds while the kernel logs
 * the calls; the records are captured from the audit multicast group (only the workload's
 * pid: other tests run in parallel) and `scmpwatch replay --rules --profile --format
 * profile` writes the tuned profile. Then, in
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
#include <seccomp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "profile.h"

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

struct call {
    const char *name;
    int count;
};

/* The calls, with arguments that fail harmlessly (as root none fails with EPERM by itself). */
static long do_call(const char *name)
{
    static const char bad[] = "/nonexistent-scmpwatch-test/x";
    if (strcmp(name, "chmod") == 0)
        return syscall(SYS_chmod, bad, 0644);
    if (strcmp(name, "mknod") == 0)
        return syscall(SYS_mknod, bad, S_IFIFO | 0600, 0);
    if (strcmp(name, "getppid") == 0)
        return syscall(SYS_getppid);
    return -2;
}

/*
 * The workload: a child loads the profile file's filter (scw_profile_build, as a runtime
 * would) and makes the calls; it reports "NAME ran" or "NAME refused (EPERM)" per call
 * through a pipe and exits 1 when one was refused. After seccomp_load it makes only the
 * calls, write() and _exit() (no stdio, no exit handlers). Returns the exit status; *ret_pid
 * is the child's pid and *ret_out what it reported (caller frees).
 */
/* Leave the child without calling a noreturn function: under ASan every call to one (such as
 * _exit) first runs __asan_handle_no_return, which calls sigaltstack, a syscall the profile
 * under test may refuse (ASan then aborts). The raw exit_group has no such hook. */
static void child_exit(int code)
{
    for (;;)
        syscall(SYS_exit_group, code);
}

static int run_workload(const char *profile, const struct call *calls, size_t n, pid_t *ret_pid,
                        char **ret_out)
{
    struct scw_profile *p = NULL;
    struct scw_profile_diags d;
    scw_profile_diags_init(&d);
    scmp_filter_ctx ctx = NULL;
    int rc = scw_profile_load_file(profile, &p, &d);
    if (rc == 0)
        rc = scw_profile_build(p, NULL, &d, &ctx);
    if (rc < 0)
        scw_profile_diags_print(&d, profile, SCW_DIAG_NOTE, stderr);
    assert_int_equal(rc, 0);
    scw_profile_diags_free(&d);
    scw_profile_free(p);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        char buf[512];
        size_t len = 0;
        int refused = 0;
        if (seccomp_load(ctx) < 0)
            child_exit(3);
        for (size_t i = 0; i < n; i++) {
            int was_refused = 0;
            for (int k = 0; k < calls[i].count; k++) {
                errno = 0;
                if (do_call(calls[i].name) < 0 && errno == EPERM)
                    was_refused = 1;
            }
            refused |= was_refused;
            int w = snprintf(buf + len, sizeof(buf) - len, "%s %s\n", calls[i].name,
                             was_refused ? "refused (EPERM)" : "ran");
            if (w > 0 && (size_t)w < sizeof(buf) - len)
                len += (size_t)w;
        }
        if (write(fds[1], buf, len) != (ssize_t)len)
            child_exit(4);
        child_exit(refused ? 1 : 0);
    }
    close(fds[1]);
    seccomp_release(ctx);
    char *out = calloc(1, 1024);
    assert_non_null(out);
    size_t got = 0;
    ssize_t r;
    while (got < 1023 && (r = read(fds[0], out + got, 1023 - got)) > 0)
        got += (size_t)r;
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    fprintf(stderr, "workload under %s: exit %d\n%s", profile, WEXITSTATUS(status), out);
    *ret_pid = pid;
    *ret_out = out;
    return WEXITSTATUS(status);
}

/* Capture the SECCOMP records of pid into path, as auditd writes them; returns how many.
 * A second more after the wanted ones, for anything else the workload logged. */
static int capture(int fd, pid_t pid, int want, const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    int got = scw_test_audit_capture(fd, (int)pid, want, 1, NULL, f);
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
    int fd = scw_test_audit_open();
    assert_true(fd >= 0);
    char *out = NULL;
    pid_t pid;
    const struct call staging[] = {{"chmod", 5}, {"getppid", 4}, {"mknod", 3}};
    assert_int_equal(run_workload(logonly, staging, 3, &pid, &out), 0);
    assert_string_equal(out, "chmod ran\ngetppid ran\nmknod ran\n");
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
    const struct call production[] = {{"chmod", 5}, {"getppid", 4}};
    const struct call device[] = {{"mknod", 1}};
    assert_int_equal(run_workload(tuned, production, 2, &pid, &out), 0);
    assert_string_equal(out, "chmod ran\ngetppid ran\n");
    free(out);
    assert_int_equal(run_workload(tuned, device, 1, &pid, &out), 1);
    assert_string_equal(out, "mknod refused (EPERM)\n");
    free(out);
    /* the original enforcing profile breaks the workload */
    assert_int_equal(run_workload(enforcing, production, 2, &pid, &out), 1);
    assert_string_equal(out, "chmod refused (EPERM)\ngetppid refused (EPERM)\n");
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
    if (scw_test_audit_skip())
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tuned_profile_enforces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
