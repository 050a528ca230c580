/*
 * nlcount: the bare reference reader of the live benchmark. Opens a NETLINK_AUDIT socket,
 * joins the read-only multicast group AUDIT_NLGRP_READLOG, and recv()s one message at a time,
 * counting SECCOMP (type 1326) messages, those from processes whose comm is scw_flood's
 * ("scw-flood"), ENOBUFS overflows and gaps in the audit serial numbers. No parsing beyond
 * that, no attribution: it shows what a reader costs at the least, and checks that the kernel
 * emits what scw_flood says it sent.
 *
 * Runs until SIGINT/SIGTERM or --seconds, then prints (one fact per line):
 *   received SECCOMP_MESSAGES flood FLOOD_RECORDS messages ALL enobufs N serial_gaps N
 *   cpu_us_per_record X rcvbuf BYTES
 * Needs CAP_AUDIT_READ (root). Not part of scmpwatch (watcher/source_netlink.c is the real
 * reader).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef AUDIT_NLGRP_READLOG
#define AUDIT_NLGRP_READLOG 1
#endif
#define AUDIT_SECCOMP_TYPE 1326
#define MSG_MAX            (64 * 1024)
#define FLOOD_COMM         "comm=\"scw-flood\""

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* "audit(1700000000.123:4567): ..." -> 4567; 0 when absent. */
static uint64_t serial_of(const char *p, size_t len)
{
    const char *end = p + len;
    if (len < 7 || memcmp(p, "audit(", 6) != 0)
        return 0;
    const char *colon = memchr(p, ':', len);
    if (!colon)
        return 0;
    uint64_t v = 0;
    for (const char *q = colon + 1; q < end && *q >= '0' && *q <= '9'; q++)
        v = v * 10 + (uint64_t)(*q - '0');
    return v;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static const char usage[] =
    "Usage: scw_nlcount [OPTIONS]\n"
    "Count SECCOMP audit records from the kernel's read-only netlink multicast group with a bare\n"
    "recv() loop (the benchmark's reference reader) until SIGINT/SIGTERM.\n"
    "\n"
    "Options:\n"
    "  -b, --rcvbuf BYTES   receive buffer (SO_RCVBUFFORCE; default 67108864; 0 keeps the\n"
    "                       kernel default)\n"
    "  -t, --seconds S      stop after S seconds\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 counted; 1 the socket could not be opened (needs root); 2 usage error.\n";

int main(int argc, char **argv)
{
    long rcvbuf = 64L << 20;
    double seconds = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        if ((strcmp(argv[i], "-b") == 0 || strcmp(argv[i], "--rcvbuf") == 0) && i + 1 < argc) {
            errno = 0;
            rcvbuf = strtol(argv[++i], &end, 10);
            if (errno || *end || rcvbuf < 0 || rcvbuf > (1L << 30)) {
                fprintf(stderr, "scw_nlcount: --rcvbuf needs bytes in [0, 1G], not '%s'\n",
                        argv[i]);
                return 2;
            }
        } else if ((strcmp(argv[i], "-t") == 0 || strcmp(argv[i], "--seconds") == 0) &&
                   i + 1 < argc) {
            errno = 0;
            seconds = strtod(argv[++i], &end);
            if (errno || *end || !(seconds > 0)) {
                fprintf(stderr, "scw_nlcount: --seconds needs a positive number, not '%s'\n",
                        argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "scw_nlcount: unknown argument '%s'\nTry 'scw_nlcount --help'.\n",
                    argv[i]);
            return 2;
        }
    }

    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
    if (fd < 0) {
        fprintf(stderr, "scw_nlcount: cannot open a NETLINK_AUDIT socket: %s\n", strerror(errno));
        return 1;
    }
    if (rcvbuf > 0) {
        int v = (int)rcvbuf;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
            fprintf(stderr, "scw_nlcount: SO_RCVBUFFORCE %d: %s (keeping the default)\n", v,
                    strerror(errno));
    }
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = 1U << (AUDIT_NLGRP_READLOG - 1)};
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr,
                "scw_nlcount: cannot join the audit multicast group: %s (needs CAP_AUDIT_READ)\n",
                strerror(errno));
        return 1;
    }
    int eff = 0;
    socklen_t el = sizeof(eff);
    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &eff, &el);

    struct sigaction sig = {.sa_handler = on_signal}; /* no SA_RESTART */
    sigaction(SIGINT, &sig, NULL);
    sigaction(SIGTERM, &sig, NULL);
    printf("ready rcvbuf %d\n", eff);
    fflush(stdout);

    static char buf[MSG_MAX];
    uint64_t messages = 0, seccomp = 0, flood = 0, enobufs = 0, gaps = 0, last_serial = 0;
    double cpu0 = cpu_seconds();
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!stop_requested) {
        if (seconds > 0) {
            struct timespec t;
            clock_gettime(CLOCK_MONOTONIC, &t);
            double el_s = (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9;
            if (el_s >= seconds)
                break;
            struct pollfd pfd = {.fd = fd, .events = POLLIN};
            if (poll(&pfd, 1, 100) <= 0)
                continue;
        }
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n < 0) {
            if (errno == ENOBUFS)
                enobufs++;
            else if (errno != EINTR)
                break;
            continue;
        }
        if ((size_t)n < NLMSG_HDRLEN)
            continue;
        const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
        messages++;
        const char *body = buf + NLMSG_HDRLEN;
        size_t blen = (size_t)n - NLMSG_HDRLEN;
        if (h->nlmsg_len >= NLMSG_HDRLEN && h->nlmsg_len - NLMSG_HDRLEN < blen)
            blen = h->nlmsg_len - NLMSG_HDRLEN;
        uint64_t s = serial_of(body, blen);
        if (s && last_serial && s > last_serial + 1)
            gaps += s - last_serial - 1;
        if (s > last_serial)
            last_serial = s;
        if (h->nlmsg_type != AUDIT_SECCOMP_TYPE)
            continue;
        seccomp++;
        if (memmem(body, blen, FLOOD_COMM, sizeof(FLOOD_COMM) - 1))
            flood++;
    }
    double cpu = cpu_seconds() - cpu0;
    printf("received %llu flood %llu messages %llu enobufs %llu serial_gaps %llu "
           "cpu_us_per_record %.2f rcvbuf %d\n",
           (unsigned long long)seccomp, (unsigned long long)flood, (unsigned long long)messages,
           (unsigned long long)enobufs, (unsigned long long)gaps,
           messages ? cpu * 1e6 / (double)messages : 0.0, eff);
    close(fd);
    return 0;
}
