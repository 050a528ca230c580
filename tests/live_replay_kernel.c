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
    int fd = nl_open();
    assert_true(fd >= 0);
    int status;
    pid_t pid = run_logme("chmod:5 mknod:3", &status);
    assert_int_equal(status, 0);
    assert_true(pid > 0);

    char *dir = scw_test_mkdtemp();
    char *log = scw_test_asprintf("%s/audit.log", dir);
    FILE *f = fopen(log, "w");
    assert_non_null(f);
    char needle[32];
    snprintf(needle, sizeof(needle), " pid=%d ", (int)pid);
    int got = 0;
    time_t deadline = time(NULL) + 20;
    static char buf[16384];
    while (got < 8 && time(NULL) < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 500) <= 0)
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
            continue; /* another test's process */
        fprintf(f, "type=SECCOMP msg=%s\n", body);
        /* interleave a foreign record, as in a real audit.log */
        fprintf(f, "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=90 success=no\n");
        got++;
    }
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
        cmocka_unit_test(test_kernel_record_through_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
