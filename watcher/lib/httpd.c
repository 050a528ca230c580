/*
 * httpd: the bounded GET/HEAD responder (see httpd.h). A fixed table of connection slots; a
 * slot holds the request head read so far (at most max_request bytes, allocated at accept) and
 * then the answer being written. Every connection is answered once and closed.
 */
#include "httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ACCEPT_BATCH 64 /* connections accepted per dispatch */
#define EVENT_BATCH  64
#define PATH_MAX_LEN 256
#define LISTEN_TAG   UINT32_MAX
/* The kernel's queue of connections not accepted yet (kernel memory, capped by somaxconn):
 * deep enough that a burst is queued, accepted and answered (503 past max_connections)
 * rather than left half-open by a full queue, where the kernel drops the client's ACK. */
#define LISTEN_BACKLOG 1024

struct conn {
    int fd; /* -1: free */
    uint64_t deadline_ms;
    char *in;
    size_t in_len;
    char *out; /* the answer, once decided */
    size_t out_len, out_off;
};

struct scw_httpd {
    int epfd, lfd;
    unsigned port;
    struct scw_httpd_limits lim;
    scw_httpd_fn fn;
    void *ctx;
    struct scw_httpd_stats st;
    struct conn *conns;
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- the parser ---- */

static bool is_token_char(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* The end of the head (just past the blank line), or NULL. */
static const char *head_end(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n')
            continue;
        if (i + 1 < len && buf[i + 1] == '\n')
            return buf + i + 2;
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
            return buf + i + 3;
    }
    return NULL;
}

static unsigned count_lines(const char *buf, size_t len)
{
    unsigned n = 0;
    for (size_t i = 0; i < len; i++)
        n += buf[i] == '\n';
    return n;
}

int scw_httpd_parse_head(const char *buf, size_t len, size_t max_request, unsigned max_headers,
                         char *path, size_t path_cap, bool *ret_head_only)
{
    /* a method token first: anything else is not HTTP, answered without waiting for more */
    size_t m = 0;
    while (m < len && m < 16 && is_token_char(buf[m]))
        m++;
    if (m < len && (m == 0 || m == 16 || buf[m] != ' '))
        return 400;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f)
            return 400; /* NUL and other control bytes are never in a request head */
    }
    const char *end = head_end(buf, len < max_request ? len : max_request);
    if (!end) {
        if (len >= max_request || count_lines(buf, len) > max_headers + 1)
            return 431;
        return 0;
    }
    size_t head_len = (size_t)(end - buf);
    /* header lines: every line after the request line, less the blank one */
    unsigned lines = count_lines(buf, head_len);
    if (lines < 2)
        return 400;
    if (lines - 2 > max_headers)
        return 431;
    const char *eol = memchr(buf, '\n', head_len);
    size_t line_len = (size_t)(eol - buf);
    if (line_len && buf[line_len - 1] == '\r')
        line_len--;
    /* METHOD SP TARGET SP HTTP/1.x */
    const char *target = buf + m + 1, *line_end = buf + line_len;
    const char *sp = target < line_end ? memchr(target, ' ', (size_t)(line_end - target)) : NULL;
    if (!sp || sp == target || *target != '/')
        return 400;
    const char *version = sp + 1;
    size_t vlen = (size_t)(line_end - version);
    if (vlen < 8 || memcmp(version, "HTTP/", 5) != 0)
        return 400;
    if (vlen != 8 || version[5] != '1' || version[6] != '.' ||
        (version[7] != '0' && version[7] != '1'))
        return 505;
    for (const char *h = eol + 1; h < end;) {
        const char *hl = memchr(h, '\n', (size_t)(end - h));
        size_t l = (size_t)(hl - h);
        if (l > 1 || (l == 1 && *h != '\r')) {
            if (!memchr(h, ':', l) || *h == ' ' || *h == '\t')
                return 400; /* no name: value, or obsolete line folding */
        }
        h = hl + 1;
    }
    bool head_only;
    if (m == 3 && memcmp(buf, "GET", 3) == 0)
        head_only = false;
    else if (m == 4 && memcmp(buf, "HEAD", 4) == 0)
        head_only = true;
    else
        return 405;
    const char *q = memchr(target, '?', (size_t)(sp - target));
    size_t plen = (size_t)((q ? q : sp) - target);
    if (plen >= path_cap)
        return 414;
    memcpy(path, target, plen);
    path[plen] = '\0';
    *ret_head_only = head_only;
    return 200;
}

/* ---- connections ---- */

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    }
    return "Internal Server Error";
}

static void count_status(struct scw_httpd *h, int status)
{
    int k = status < 300                     ? SCW_HTTPD_OK
            : status == 404 || status == 405 ? SCW_HTTPD_NOT_FOUND
            : status == 408                  ? SCW_HTTPD_TIMEOUT
            : status == 414 || status == 431 ? SCW_HTTPD_TOO_LARGE
            : status >= 500 && status != 505 ? SCW_HTTPD_SERVER_ERROR
                                             : SCW_HTTPD_BAD_REQUEST;
    h->st.requests[k]++;
}

static void conn_free(struct scw_httpd *h, struct conn *c)
{
    if (c->fd < 0)
        return;
    epoll_ctl(h->epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->in);
    free(c->out);
    *c = (struct conn){.fd = -1};
    h->st.open--;
}

/* Write what the socket takes; close when all is sent. */
static void conn_write(struct scw_httpd *h, struct conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t n =
            send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return; /* EPOLLOUT brings us back */
            break;      /* the peer went away */
        }
        c->out_off += (size_t)n;
    }
    shutdown(c->fd, SHUT_WR);
    conn_free(h, c);
}

/* Decide the answer (status, and for 200 the body unless head_only) and start writing. */
static void conn_answer(struct scw_httpd *h, struct conn *c, int status, const char *path,
                        bool head_only)
{
    char *body = NULL;
    size_t blen = 0;
    if (status == 200) {
        int rc = h->fn(h->ctx, path, &body, &blen);
        status = rc < 0 ? 500 : rc;
        if (status != 200) {
            free(body);
            body = NULL;
        }
    }
    if (status != 200) {
        const char *r = reason(status);
        blen = strlen(r) + 1;
        body = malloc(blen + 1);
        if (body)
            snprintf(body, blen + 1, "%s\n", r);
        else
            blen = 0;
    }
    count_status(h, status);
    char hdr[256];
    int hl = snprintf(hdr, sizeof(hdr),
                      "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
                      "Connection: close\r\n\r\n",
                      status, reason(status),
                      status == 200 ? "text/plain; version=0.0.4; charset=utf-8"
                                    : "text/plain; charset=utf-8",
                      blen, status == 405 ? "Allow: GET, HEAD\r\n" : "");
    size_t send_body = head_only ? 0 : blen;
    free(c->in);
    c->in = NULL;
    c->out = malloc((size_t)hl + send_body);
    if (!c->out) {
        free(body);
        conn_free(h, c);
        return;
    }
    memcpy(c->out, hdr, (size_t)hl);
    if (send_body)
        memcpy(c->out + hl, body, send_body);
    free(body);
    c->out_len = (size_t)hl + send_body;
    struct epoll_event ev = {.events = EPOLLOUT, .data.u32 = (uint32_t)(c - h->conns)};
    epoll_ctl(h->epfd, EPOLL_CTL_MOD, c->fd, &ev);
    conn_write(h, c);
}

static void conn_read(struct scw_httpd *h, struct conn *c)
{
    for (;;) {
        size_t room = h->lim.max_request - c->in_len;
        if (room == 0)
            break;
        ssize_t n = recv(c->fd, c->in + c->in_len, room, MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                break;
            conn_free(h, c);
            return;
        }
        if (n == 0) { /* the peer closed before a whole request: nothing to answer */
            conn_free(h, c);
            return;
        }
        c->in_len += (size_t)n;
    }
    char path[PATH_MAX_LEN];
    bool head_only = false;
    int status = scw_httpd_parse_head(c->in, c->in_len, h->lim.max_request, h->lim.max_headers,
                                      path, sizeof(path), &head_only);
    if (status)
        conn_answer(h, c, status, path, head_only);
}

static void accept_some(struct scw_httpd *h)
{
    for (int i = 0; i < ACCEPT_BATCH; i++) {
        int fd = accept4(h->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return; /* EAGAIN, or a connection that went away (ECONNABORTED): next time */
        h->st.accepted++;
        struct conn *c = NULL;
        for (unsigned j = 0; j < h->lim.max_connections && !c; j++)
            if (h->conns[j].fd < 0)
                c = &h->conns[j];
        char *in = c ? malloc(h->lim.max_request) : NULL;
        if (!in) { /* full: say so in one non-blocking send, and close */
            static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                       "Connection: close\r\nRetry-After: 1\r\n\r\n";
            ssize_t ignored = send(fd, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
            (void)ignored;
            close(fd);
            h->st.rejected++;
            continue;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)(c - h->conns)};
        if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
            free(in);
            close(fd);
            continue;
        }
        *c = (struct conn){.fd = fd, .in = in, .deadline_ms = now_ms() + h->lim.timeout_ms};
        h->st.open++;
    }
}

void scw_httpd_dispatch(struct scw_httpd *h)
{
    struct epoll_event evs[EVENT_BATCH];
    int n = epoll_wait(h->epfd, evs, EVENT_BATCH, 0);
    for (int i = 0; i < n; i++) {
        uint32_t idx = evs[i].data.u32;
        if (idx == LISTEN_TAG) {
            accept_some(h);
            continue;
        }
        if (idx >= h->lim.max_connections || h->conns[idx].fd < 0)
            continue;
        struct conn *c = &h->conns[idx];
        if (c->out)
            conn_write(h, c);
        else if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
            conn_read(h, c);
    }
}

void scw_httpd_expire(struct scw_httpd *h, uint64_t now)
{
    for (unsigned i = 0; i < h->lim.max_connections; i++) {
        struct conn *c = &h->conns[i];
        if (c->fd < 0 || now < c->deadline_ms)
            continue;
        if (!c->out) { /* a slow request: one try to say 408, then closed */
            c->deadline_ms = UINT64_MAX;
            conn_answer(h, c, 408, "", false);
            if (c->fd >= 0)
                conn_free(h, c);
        } else {
            conn_free(h, c); /* a reader too slow for its answer */
        }
    }
}

/* "1.2.3.4:80", "[::1]:80", ":80" -> a socket address. */
static int parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
    const char *colon = strrchr(addr, ':');
    if (!colon || !colon[1])
        return -EINVAL;
    char *endp;
    errno = 0;
    unsigned long port = strtoul(colon + 1, &endp, 10);
    if (*endp || errno || port > 65535 || colon[1] < '0' || colon[1] > '9')
        return -EINVAL;
    char host[64];
    size_t hlen = (size_t)(colon - addr);
    if (hlen >= sizeof(host))
        return -EINVAL;
    memcpy(host, addr, hlen);
    host[hlen] = '\0';
    memset(ss, 0, sizeof(*ss));
    if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        host[hlen - 1] = '\0';
        if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
            return -EINVAL;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        *len = sizeof(*s6);
        return 0;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    if (hlen == 0)
        s4->sin_addr.s_addr = htonl(INADDR_ANY);
    else if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
        return -EINVAL;
    *len = sizeof(*s4);
    return 0;
}

int scw_httpd_open(const char *addr, const struct scw_httpd_limits *limits, scw_httpd_fn fn,
                   void *ctx, struct scw_httpd **ret)
{
    struct sockaddr_storage ss;
    socklen_t slen;
    int rc = parse_addr(addr, &ss, &slen);
    if (rc < 0)
        return rc;
    struct scw_httpd *h = calloc(1, sizeof(*h));
    if (!h)
        return -ENOMEM;
    h->lim = limits ? *limits : (struct scw_httpd_limits){0};
    if (!h->lim.max_connections)
        h->lim.max_connections = 64;
    if (h->lim.max_request < 256)
        h->lim.max_request = 8192;
    if (!h->lim.max_headers)
        h->lim.max_headers = 64;
    if (!h->lim.timeout_ms)
        h->lim.timeout_ms = 5000;
    h->fn = fn;
    h->ctx = ctx;
    h->epfd = h->lfd = -1;
    h->conns = calloc(h->lim.max_connections, sizeof(*h->conns));
    if (!h->conns) {
        free(h);
        return -ENOMEM;
    }
    for (unsigned i = 0; i < h->lim.max_connections; i++)
        h->conns[i].fd = -1;
    int one = 1;
    h->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (h->lfd < 0 || setsockopt(h->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(h->lfd, (struct sockaddr *)&ss, slen) < 0 || listen(h->lfd, LISTEN_BACKLOG) < 0 ||
        getsockname(h->lfd, (struct sockaddr *)&ss, &slen) < 0 ||
        (h->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
        rc = -errno;
        scw_httpd_close(h);
        return rc;
    }
    h->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                             : ((struct sockaddr_in *)&ss)->sin_port);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = LISTEN_TAG};
    if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->lfd, &ev) < 0) {
        rc = -errno;
        scw_httpd_close(h);
        return rc;
    }
    *ret = h;
    return 0;
}

void scw_httpd_close(struct scw_httpd *h)
{
    if (!h)
        return;
    for (unsigned i = 0; h->conns && i < h->lim.max_connections; i++)
        conn_free(h, &h->conns[i]);
    if (h->lfd >= 0)
        close(h->lfd);
    if (h->epfd >= 0)
        close(h->epfd);
    free(h->conns);
    free(h);
}

int scw_httpd_fd(const struct scw_httpd *h)
{
    return h->epfd;
}

unsigned scw_httpd_port(const struct scw_httpd *h)
{
    return h->port;
}

void scw_httpd_stats(const struct scw_httpd *h, struct scw_httpd_stats *ret)
{
    *ret = h->st;
}
