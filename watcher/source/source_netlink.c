/*
 * source_netlink: the live kernel source (see source_netlink.h).
 *
 * Multicast audit messages carry no nlmsg_seq of use; their body starts with
 * "audit(TIME:SERIAL): ". Every message, SECCOMP or not, feeds the serial gap counter, since
 * serials are shared by all record types. Buffers are allocated once at open.
 */
#include "source_netlink.h"
#include "nlmsg.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef AUDIT_NLGRP_READLOG
#define AUDIT_NLGRP_READLOG 1
#endif

#define BATCH   64
#define MSG_MAX 9000 /* MAX_AUDIT_MESSAGE_LENGTH 8970 + header */

struct scw_nl_audit {
    int fd;
    size_t rcvbuf;
    struct scw_nl_stats st;
    struct scw_seqgap gap;
    struct scw_record rec;
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    char bufs[BATCH][MSG_MAX];
};

int scw_nl_audit_open(size_t rcvbuf, struct scw_nl_audit **ret)
{
    struct scw_nl_audit *nl = calloc(1, sizeof(*nl));
    if (!nl)
        return -ENOMEM;
    nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT);
    if (nl->fd < 0) {
        int e = -errno;
        free(nl);
        return e;
    }
    int sz = rcvbuf > INT32_MAX / 2 ? INT32_MAX / 2 : (int)rcvbuf;
    if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
        setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
    int eff = 0;
    socklen_t len = sizeof(eff);
    if (getsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &eff, &len) == 0)
        nl->rcvbuf = (size_t)eff;
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = 1U << (AUDIT_NLGRP_READLOG - 1)};
    if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = -errno;
        close(nl->fd);
        free(nl);
        return e;
    }
    for (int i = 0; i < BATCH; i++) {
        nl->iov[i].iov_base = nl->bufs[i];
        nl->iov[i].iov_len = MSG_MAX;
        nl->msgs[i].msg_hdr.msg_iov = &nl->iov[i];
        nl->msgs[i].msg_hdr.msg_iovlen = 1;
    }
    scw_seqgap_init(&nl->gap);
    *ret = nl;
    return 0;
}

void scw_nl_audit_close(struct scw_nl_audit *nl)
{
    if (!nl)
        return;
    close(nl->fd);
    free(nl);
}

int scw_nl_audit_fd(const struct scw_nl_audit *nl)
{
    return nl->fd;
}

size_t scw_nl_audit_rcvbuf(const struct scw_nl_audit *nl)
{
    return nl->rcvbuf;
}

/* Serial from "audit(TIME:SERIAL): ..." without a full parse. */
static uint64_t body_serial(const char *p, size_t len)
{
    const char *end = p + len;
    if (len < 8 || memcmp(p, "audit(", 6) != 0)
        return 0;
    const char *c = memchr(p, ':', len > 40 ? 40 : len);
    if (!c)
        return 0;
    uint64_t s = 0;
    for (c++; c < end && *c >= '0' && *c <= '9'; c++)
        s = s * 10 + (uint64_t)(*c - '0');
    return s;
}

static void handle_message(struct scw_nl_audit *nl, const char *buf, size_t len, scw_record_fn cb,
                           void *ctx)
{
    /* A datagram may in principle hold several nlmsghdrs; walk them. */
    const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)buf;
    int left = (int)len; /* signed: audit does not pad nlmsg_len, NLMSG_NEXT may overshoot */
    for (; scw_nlmsg_ok(h, left); h = NLMSG_NEXT(h, left)) {
        nl->st.messages++;
        const char *body = NLMSG_DATA(h);
        size_t blen = h->nlmsg_len - NLMSG_HDRLEN;
        if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
            continue;
        scw_seqgap_see(&nl->gap, body_serial(body, blen));
        if (h->nlmsg_type != SCW_AUDIT_SECCOMP)
            continue;
        if (scw_record_parse_body(body, blen, &nl->rec) != SCW_PARSE_SECCOMP) {
            nl->st.malformed++;
            continue;
        }
        nl->st.seccomp++;
        cb(ctx, &nl->rec);
    }
}

int scw_nl_audit_drain(struct scw_nl_audit *nl, int max_messages, scw_record_fn cb, void *ctx)
{
    int total = 0;
    for (;;) {
        int want = max_messages - total < BATCH ? max_messages - total : BATCH;
        if (want <= 0)
            return total;
        int n = recvmmsg(nl->fd, nl->msgs, (unsigned)want, MSG_DONTWAIT, NULL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ENOBUFS) {
                nl->st.enobufs++;
                continue;
            }
            if (errno == EAGAIN)
                return total;
            return total ? total : -errno;
        }
        for (int i = 0; i < n; i++)
            handle_message(nl, nl->bufs[i], nl->msgs[i].msg_len, cb, ctx);
        total += n;
        if (n < want)
            return total;
    }
}

void scw_nl_audit_stats(const struct scw_nl_audit *nl, struct scw_nl_stats *ret)
{
    *ret = nl->st;
    ret->serial_lost = scw_seqgap_lost(&nl->gap);
}

int scw_audit_kernel_status(uint64_t *ret_lost, uint32_t *ret_backlog, uint32_t *ret_pid)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
    if (fd < 0)
        return -errno;
    struct {
        struct nlmsghdr h;
        char pad[16];
    } req = {0};
    req.h.nlmsg_len = NLMSG_LENGTH(0);
    req.h.nlmsg_type = AUDIT_GET;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    req.h.nlmsg_seq = 1;
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    int rc = -EIO;
    if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        rc = -errno;
        goto out;
    }
    for (int tries = 0; tries < 4; tries++) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 1000) <= 0) {
            rc = -ETIMEDOUT;
            break;
        }
        char buf[1024] __attribute__((aligned(8)));
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n < 0) {
            rc = -errno;
            break;
        }
        const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)buf;
        int left = (int)n; /* signed: NLMSG_NEXT may overshoot an unpadded last message */
        for (; scw_nlmsg_ok(h, left); h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(h);
                if (e->error) {
                    rc = e->error;
                    goto out;
                }
            } else if (h->nlmsg_type == AUDIT_GET) {
                struct audit_status st = {0};
                size_t l = h->nlmsg_len - NLMSG_HDRLEN;
                memcpy(&st, NLMSG_DATA(h), l < sizeof(st) ? l : sizeof(st));
                if (ret_lost)
                    *ret_lost = st.lost;
                if (ret_backlog)
                    *ret_backlog = st.backlog;
                if (ret_pid)
                    *ret_pid = st.pid;
                rc = 0;
                goto out;
            }
        }
    }
out:
    close(fd);
    return rc;
}
