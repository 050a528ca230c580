/*
 * testutil: generic plumbing for the tests (see testutil.h).
 */
#include "testutil.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <time.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *scw_test_mkdtemp(void)
{
    const char *tmp = getenv("TMPDIR");
    char *path = scw_test_asprintf("%s/scwtest.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(path));
    return path;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void scw_test_rmtree(const char *path)
{
    if (path)
        nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *scw_test_read_file(const char *path, size_t *ret_len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0, n;
    char *buf = malloc(cap + 1);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[len] = '\0';
    if (ret_len)
        *ret_len = len;
    return buf;
}

void scw_test_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

char *scw_test_asprintf(const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    int rc = vasprintf(&s, fmt, ap);
    va_end(ap);
    assert_true(rc >= 0);
    return s;
}

static char *slurp_fd(int fd)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    ssize_t n;
    while (buf && (n = read(fd, buf + len, cap - len)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        len += (size_t)n;
        if (len == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
    }
    if (buf)
        buf[len] = '\0';
    return buf;
}

int scw_test_run(const char *cmdline, char **ret_out, char **ret_err)
{
    char errpath[] = "/tmp/scwtest-err.XXXXXX";
    int errfd = mkstemp(errpath);
    assert_true(errfd >= 0);
    unlink(errpath);
    int pipefd[2];
    assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(pipefd[1], STDOUT_FILENO);
        dup2(errfd, STDERR_FILENO);
        execl("/bin/sh", "sh", "-c", cmdline, (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    char *out = slurp_fd(pipefd[0]);
    close(pipefd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    lseek(errfd, 0, SEEK_SET);
    char *err = slurp_fd(errfd);
    close(errfd);
    if (ret_out)
        *ret_out = out;
    else
        free(out);
    if (ret_err)
        *ret_err = err;
    else
        free(err);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

const char *scw_test_binary(void)
{
    const char *b = getenv("SCMPWATCH");
    return b && *b ? b : SCW_BINARY;
}

int scw_test_is_root(void)
{
    return geteuid() == 0;
}

int scw_test_audit_open(void)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
    if (fd < 0)
        return -errno;
    int sz = 16 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = 1 /* AUDIT_NLGRP_READLOG */};
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    return fd;
}

int scw_test_audit_skip(void)
{
    if (!scw_test_is_root()) {
        fprintf(stderr, "SKIP: needs root (CAP_AUDIT_READ) to read the audit multicast group\n");
        return 77;
    }
    int fd = scw_test_audit_open();
    if (fd == -EPROTONOSUPPORT || fd == -EPERM) {
        fprintf(stderr, "SKIP: audit netlink unavailable here: %s\n", strerror(-fd));
        return 77;
    }
    if (fd >= 0)
        close(fd);
    return 0;
}

int scw_test_audit_capture(int fd, int pid, int want, int settle_s, const char *after, FILE *out)
{
    char needle[32];
    snprintf(needle, sizeof(needle), " pid=%d ", pid);
    int got = 0;
    time_t deadline = time(NULL) + 20;
    bool settling = false;
    static char buf[16384];
    while (time(NULL) < deadline) {
        if (got >= want && !settling) {
            if (settle_s <= 0)
                break;
            deadline = time(NULL) + settle_s;
            settling = true;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 300) <= 0)
            continue;
        ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
        if (n < 0 && errno == ENOBUFS)
            continue;
        assert_true(n > 0);
        struct nlmsghdr *h = (struct nlmsghdr *)(void *)buf;
        if (h->nlmsg_type != AUDIT_SECCOMP || h->nlmsg_len < NLMSG_HDRLEN ||
            h->nlmsg_len > (size_t)n)
            continue;
        char *body = NLMSG_DATA(h);
        body[h->nlmsg_len - NLMSG_HDRLEN] = '\0';
        if (!strstr(body, needle))
            continue; /* another test's process */
        fprintf(out, "type=SECCOMP msg=%s\n", body);
        if (after)
            fprintf(out, "%s\n", after);
        got++;
    }
    return got;
}
