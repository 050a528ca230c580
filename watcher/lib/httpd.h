/*
 * httpd: a small single-threaded HTTP/1.1 responder for one read-only endpoint (the watcher's
 * /metrics), run from the caller's event loop: it has an epoll fd of its own that the caller
 * watches, and does a bounded amount of non-blocking work per call. GET and HEAD only, no
 * request body, one request per connection (Connection: close). Every bound is explicit:
 * connections open at once, bytes of a request head, header lines, and time per connection
 * (from accept to the last byte of the answer, so a slow client cannot hold a slot). Over a
 * bound a request is answered (400, 405, 408, 414, 431, 503) or closed, and counted.
 *
 * Why not libmicrohttpd: the endpoint needs a request line and a header count, nothing of
 * HTTP/1.1's bodies, chunking, keep-alive or threads; this file is what it does, every bound is
 * in its limits struct, its syscalls are the few the watcher's seccomp list allows (accept4,
 * recvfrom, sendto, shutdown, close, epoll_*), and nothing new is linked into a root daemon.
 * It does not know about metrics: the caller's function renders the body.
 */
#ifndef SCW_HTTPD_H
#define SCW_HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scw_httpd_limits {
    unsigned max_connections; /* open at once; default 64 (more: 503 and closed) */
    size_t max_request;       /* bytes of request line + headers; default 8192 (431) */
    unsigned max_headers;     /* header lines; default 64 (431) */
    unsigned timeout_ms;      /* from accept to the end of the answer; default 5000 (408) */
};

/*
 * Render the body for a GET or HEAD of path (the target before any '?'). Returns the HTTP
 * status (200, or 404 for a path it does not serve) and, for 200, a malloc'd *ret_body of
 * *ret_len bytes that httpd frees; a negative errno answers 500.
 */
typedef int (*scw_httpd_fn)(void *ctx, const char *path, char **ret_body, size_t *ret_len);

struct scw_httpd_stats {
    uint64_t requests[6]; /* answered: 2xx, 400, 404/405, 408, 414/431, 5xx (see below) */
    uint64_t rejected;    /* connections over max_connections (503, closed at once) */
    uint64_t accepted;
    unsigned open; /* connections open now */
};
enum {
    SCW_HTTPD_OK,
    SCW_HTTPD_BAD_REQUEST,
    SCW_HTTPD_NOT_FOUND,
    SCW_HTTPD_TIMEOUT,
    SCW_HTTPD_TOO_LARGE,
    SCW_HTTPD_SERVER_ERROR,
};

struct scw_httpd;

/*
 * Listen on addr: "HOST:PORT" with a numeric IPv4 host, "[IPv6]:PORT", or ":PORT" (every
 * address). Port 0 picks a free one (scw_httpd_port). NULL limits: the defaults. Returns 0, or
 * -EINVAL (addr not of that form), -EADDRINUSE, -EACCES (a port below 1024 without
 * privileges), other -errno.
 */
int scw_httpd_open(const char *addr, const struct scw_httpd_limits *limits, scw_httpd_fn fn,
                   void *ctx, struct scw_httpd **ret);
void scw_httpd_close(struct scw_httpd *h);
/* The fd to watch for EPOLLIN (an epoll fd over the listener and the connections). */
int scw_httpd_fd(const struct scw_httpd *h);
unsigned scw_httpd_port(const struct scw_httpd *h);
/* Do what is ready: accept, read, answer, write (bounded per call; never blocks). */
void scw_httpd_dispatch(struct scw_httpd *h);
/* Close connections past their time (answering 408 when nothing was sent yet). now_ms:
 * CLOCK_MONOTONIC milliseconds. Call about once a second. */
void scw_httpd_expire(struct scw_httpd *h, uint64_t now_ms);
void scw_httpd_stats(const struct scw_httpd *h, struct scw_httpd_stats *ret);

/*
 * The request head parser (pure; tests and fuzzing): buf holds len bytes received so far.
 * Returns 0 when more bytes are needed, else an HTTP status: 200 with *ret_head_only (HEAD)
 * and the path copied into path (NUL-terminated, at most path_cap - 1 bytes: longer is 414),
 * 400 (not a request), 405 (a method other than GET/HEAD), 431 (more than max_headers
 * lines, or no end of head within max_request bytes), 505 (not HTTP/1.x).
 */
int scw_httpd_parse_head(const char *buf, size_t len, size_t max_request, unsigned max_headers,
                         char *path, size_t path_cap, bool *ret_head_only);

#endif
