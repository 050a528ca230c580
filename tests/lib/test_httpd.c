/*
 * test_httpd: the request head parser, as a table of inputs and the answer each gets (more
 * bytes needed, 200 with the path, 400/405/414/431/505), then a live round trip on a loopback
 * port: a GET answered with the body, a path not served, a connection limit of 2 answering
 * 503, a slow request closed with 408.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpd.h"

static void test_parse_table(void **state)
{
    (void)state;
    static char big[9000];
    memset(big, 'a', sizeof(big));
    memcpy(big, "GET /metrics HTTP/1.1\r\nX: ", 26);
    static char many[4096];
    size_t off = (size_t)snprintf(many, sizeof(many), "GET / HTTP/1.1\r\n");
    for (int i = 0; i < 70; i++)
        off += (size_t)snprintf(many + off, sizeof(many) - off, "H%d: v\r\n", i);
    snprintf(many + off, sizeof(many) - off, "\r\n");
    static char longpath[600];
    memset(longpath, 'p', sizeof(longpath));
    memcpy(longpath, "GET /", 5);
    memcpy(longpath + sizeof(longpath) - 16, " HTTP/1.1\r\n\r\n", 14);
    longpath[sizeof(longpath) - 2] = '\0';
    static const struct {
        const char *in;
        size_t len; /* 0: strlen */
        int want;
        const char *path;
        bool head;
    } cases[] = {
        {"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 0, 200, "/metrics", false},
        {"GET /metrics?x=1 HTTP/1.0\r\n\r\n", 0, 200, "/metrics", false},
        {"HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 0, 200, "/metrics", true},
        {"GET / HTTP/1.1\n\n", 0, 200, "/", false},
        {"GET /metrics HTTP/1.1\r\nHost: x\r\n", 0, 0, NULL, false}, /* not complete yet */
        {"GE", 0, 0, NULL, false},
        {"POST /metrics HTTP/1.1\r\n\r\n", 0, 405, NULL, false},
        {"DELETE / HTTP/1.1\r\n\r\n", 0, 405, NULL, false},
        {"get / HTTP/1.1\r\n\r\n", 0, 400, NULL, false},
        {"\x16\x03\x01\x02\x00\x01\x00", 7, 400, NULL, false}, /* a TLS hello */
        {"GET /\0 HTTP/1.1\r\n\r\n", 20, 400, NULL, false},
        {"GET metrics HTTP/1.1\r\n\r\n", 0, 400, NULL, false},
        {"GET /metrics\r\n\r\n", 0, 400, NULL, false}, /* HTTP/0.9 */
        {"GET /metrics HTTP/2.0\r\n\r\n", 0, 505, NULL, false},
        {"GET /metrics HTTP/1.1\r\nno colon\r\n\r\n", 0, 400, NULL, false},
        {"GET /metrics HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 0, 400, NULL, false},
        {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0, 400, NULL, false}, /* no method ends */
        {big, sizeof(big), 431, NULL, false},
        {many, 0, 431, NULL, false},
        {longpath, 0, 414, NULL, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[256] = "";
        bool head = false;
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
        int got = scw_httpd_parse_head(cases[i].in, len, 8192, 64, path, sizeof(path), &head);
        if (got != cases[i].want)
            fail_msg("case %zu: got %d, want %d", i, got, cases[i].want);
        if (cases[i].path) {
            assert_string_equal(path, cases[i].path);
            assert_int_equal(head, cases[i].head);
        }
    }
}

static int serve(void *ctx, const char *path, char **ret_body, size_t *ret_len)
{
    (void)ctx;
    if (strcmp(path, "/metrics") != 0)
        return 404;
    *ret_body = strdup("x_total 1\n");
    *ret_len = 10;
    return 200;
}

static int connect_to(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

/* Serve until fd has an answer (or closes); returns what it read. */
static char *answer(struct scw_httpd *h, int fd, uint64_t expire_at)
{
    static char buf[4096];
    size_t len = 0;
    for (int i = 0; i < 400; i++) {
        scw_httpd_dispatch(h);
        if (expire_at)
            scw_httpd_expire(h, expire_at);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 10) > 0) {
            ssize_t n = recv(fd, buf + len, sizeof(buf) - 1 - len, MSG_DONTWAIT);
            if (n <= 0)
                break;
            len += (size_t)n;
        }
    }
    buf[len] = '\0';
    return buf;
}

static void test_round_trip(void **state)
{
    (void)state;
    struct scw_httpd *h;
    struct scw_httpd_limits lim = {.max_connections = 2, .timeout_ms = 5000};
    assert_int_equal(scw_httpd_open("127.0.0.1:0", &lim, serve, NULL, &h), 0);
    unsigned port = scw_httpd_port(h);
    assert_true(port > 0);

    int fd = connect_to(port);
    const char req[] = "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n";
    assert_int_equal(send(fd, req, sizeof(req) - 1, 0), (ssize_t)sizeof(req) - 1);
    char *a = answer(h, fd, 0);
    assert_non_null(strstr(a, "HTTP/1.1 200 OK\r\n"));
    assert_non_null(strstr(a, "Content-Type: text/plain; version=0.0.4"));
    assert_non_null(strstr(a, "\r\n\r\nx_total 1\n"));
    close(fd);

    fd = connect_to(port);
    const char nf[] = "GET /nope HTTP/1.1\r\n\r\n";
    assert_int_equal(send(fd, nf, sizeof(nf) - 1, 0), (ssize_t)sizeof(nf) - 1);
    assert_non_null(strstr(answer(h, fd, 0), "HTTP/1.1 404 "));
    close(fd);

    /* two slow clients hold both slots; a third gets 503; time passes: both get 408 */
    int s1 = connect_to(port), s2 = connect_to(port);
    assert_int_equal(send(s1, "GET /met", 8, 0), 8);
    for (int i = 0; i < 20; i++)
        scw_httpd_dispatch(h);
    int s3 = connect_to(port);
    assert_non_null(strstr(answer(h, s3, 0), "HTTP/1.1 503 "));
    struct scw_httpd_stats st;
    scw_httpd_stats(h, &st);
    assert_int_equal(st.rejected, 1);
    assert_int_equal(st.open, 2);
    assert_non_null(strstr(answer(h, s1, UINT64_MAX - 1), "HTTP/1.1 408 "));
    scw_httpd_stats(h, &st);
    assert_int_equal(st.open, 0);
    assert_int_equal(st.requests[SCW_HTTPD_TIMEOUT], 2);
    close(s1);
    close(s2);
    close(s3);

    /* a port in use */
    struct scw_httpd *h2;
    char addr[32];
    snprintf(addr, sizeof(addr), "127.0.0.1:%u", port);
    assert_int_equal(scw_httpd_open(addr, NULL, serve, NULL, &h2), -EADDRINUSE);
    assert_int_equal(scw_httpd_open("localhost:80", NULL, serve, NULL, &h2), -EINVAL);
    assert_int_equal(scw_httpd_open("127.0.0.1:99999", NULL, serve, NULL, &h2), -EINVAL);
    scw_httpd_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
