/*
 * live_replay_kernel: a real SECCOMP record, made by the kernel during the test, goes through
 * `scmpwatch replay`. A child (scw_logme) runs under a SCMP_ACT_LOG filter and calls chmod 5
 * times and mknod 3 times; the records are captured from the audit multicast group (as raw
 * netlink bodies), written out the way auditd writes them, and replayed: the report must show
 * exactly those counts for the child's executable. Other tests run in parallel, so only
 * records with the child's pid are kept.
 */
#include "testutil.h"

#include <errno.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Run scw_logme with args; returns its pid (already reaped) and exit status. */
static pid_t run_logme(const char *args, int *ret_status)
{
    char *cmd = scw_test_asprintf("%s/scw_logme %s", SCW_TEST_BIN, args);
    char *out = NULL;
    *ret_status = scw_test_run(cmd, &out, NULL);
    pid_t pid = (pid_t)strtol(out ? out : "0", NULL, 10);
    free(cmd);
    free(out);
    return pid;
}

static void test_kernel_record_through_replay(void **state)
{
    (void)state;
    int fd = scw_test_audit_open();
    assert_true(fd >= 0);
    int status;
    pid_t pid = run_logme("chmod:5 mknod:3", &status);
    assert_int_equal(status, 0);
    assert_true(pid > 0);

    char *dir = scw_test_mkdtemp();
    char *log = scw_test_asprintf("%s/audit.log", dir);
    FILE *f = fopen(log, "w");
    assert_non_null(f);
    /* each record followed by a foreign one, as in a real audit.log */
    int got = scw_test_audit_capture(
        fd, (int)pid, 8, 0, "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=90 success=no",
        f);
    fclose(f);
    close(fd);
    assert_int_equal(got, 8);

    char *cmd = scw_test_asprintf("%s replay --format json %s", scw_test_binary(), log);
    char *out = NULL;
    assert_int_equal(scw_test_run(cmd, &out, NULL), 0);
    json_error_t err;
    json_t *doc = json_loads(out, 0, &err);
    assert_non_null(doc);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "input"), "seccomp")),
                     8);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "input"), "other")),
                     8);
    json_t *wls = json_object_get(doc, "workloads");
    assert_int_equal(json_array_size(wls), 1);
    json_t *w = json_array_get(wls, 0);
    const char *exe = json_string_value(json_array_get(json_object_get(w, "executables"), 0));
    assert_non_null(exe);
    assert_non_null(strstr(exe, "scw_logme"));
    json_t *sys = json_object_get(w, "syscalls");
    assert_int_equal(json_array_size(sys), 2);
    json_t *first = json_array_get(sys, 0), *second = json_array_get(sys, 1);
    assert_string_equal(json_string_value(json_object_get(first, "name")), "chmod");
    assert_int_equal(json_integer_value(json_object_get(first, "count")), 5);
    assert_string_equal(json_string_value(json_object_get(first, "action")), "log");
    assert_string_equal(json_string_value(json_object_get(first, "arch")), "x86_64");
    assert_string_equal(json_string_value(json_object_get(second, "name")), "mknod");
    assert_int_equal(json_integer_value(json_object_get(second, "count")), 3);
    double fs = json_real_value(json_object_get(first, "first_seen"));
    double ls = json_real_value(json_object_get(first, "last_seen"));
    assert_true(fs > 1.6e9 && ls >= fs);
    json_decref(doc);
    free(out);
    free(cmd);
    scw_test_rmtree(dir);
    free(log);
    free(dir);
}

int main(void)
{
    if (scw_test_audit_skip())
        return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernel_record_through_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
