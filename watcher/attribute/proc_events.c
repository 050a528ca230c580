/*
 * proc_events: the proc connector reader (see proc_events.h). Subscribes with
 * PROC_CN_MCAST_LISTEN, unsubscribes at close. Thread forks (pid != tgid) are reported as
 * forks of the same process so callers can ignore them.
 */
#include "proc_events.h"
#include "nlmsg.h"

#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct scw_proc_events {
    int fd;
    uint64_t overruns;
    char buf[16384] __attribute__((aligned(8)));
};

static int send_op(int fd, enum proc_cn_mcast_op op)
{
    /* nlmsghdr, cn_msg (whose data[] is the op), op: laid out by hand, cn_msg ends in data[] */
    char msg[NLMSG_LENGTH(sizeof(struct cn_msg) + sizeof(op))] __attribute__((aligned(8)));
    memset(msg, 0, sizeof(msg));
    struct nlmsghdr *h = (struct nlmsghdr *)(void *)msg;
    h->nlmsg_len = sizeof(msg);
    h->nlmsg_type = NLMSG_DONE;
    h->nlmsg_pid = (unsigned)getpid();
    struct cn_msg *cn = NLMSG_DATA(h);
    cn->id.idx = CN_IDX_PROC;
    cn->id.val = CN_VAL_PROC;
    cn->len = sizeof(op);
    memcpy(cn->data, &op, sizeof(op));
    return send(fd, msg, sizeof(msg), 0) < 0 ? -errno : 0;
}

int scw_proc_events_open(size_t rcvbuf, struct scw_proc_events **ret)
{
    struct scw_proc_events *pe = calloc(1, sizeof(*pe));
    if (!pe)
        return -ENOMEM;
    pe->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR);
    if (pe->fd < 0) {
        int e = -errno;
        free(pe);
        return e;
    }
    int sz = (int)rcvbuf;
    if (setsockopt(pe->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
        setsockopt(pe->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC, .nl_pid = 0};
    int rc = 0;
    if (bind(pe->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        rc = -errno;
    if (rc == 0)
        rc = send_op(pe->fd, PROC_CN_MCAST_LISTEN);
    if (rc < 0) {
        close(pe->fd);
        free(pe);
        return rc;
    }
    *ret = pe;
    return 0;
}

void scw_proc_events_close(struct scw_proc_events *pe)
{
    if (!pe)
        return;
    send_op(pe->fd, PROC_CN_MCAST_IGNORE);
    close(pe->fd);
    free(pe);
}

int scw_proc_events_fd(const struct scw_proc_events *pe)
{
    return pe->fd;
}

uint64_t scw_proc_events_overruns(const struct scw_proc_events *pe)
{
    return pe->overruns;
}

static void handle(const struct proc_event *e, scw_proc_event_fn cb, void *ctx)
{
    struct scw_proc_event ev = {.time_ns = e->timestamp_ns};
    switch (e->what) {
    case PROC_EVENT_FORK:
        ev.kind = SCW_PROC_FORK;
        ev.pid = e->event_data.fork.child_tgid;
        ev.tid = e->event_data.fork.child_pid;
        ev.parent_pid = e->event_data.fork.parent_tgid;
        break;
    case PROC_EVENT_EXEC:
        ev.kind = SCW_PROC_EXEC;
        ev.pid = e->event_data.exec.process_tgid;
        ev.tid = e->event_data.exec.process_pid;
        break;
    case PROC_EVENT_EXIT:
        ev.kind = SCW_PROC_EXIT;
        ev.pid = e->event_data.exit.process_tgid;
        ev.tid = e->event_data.exit.process_pid;
        break;
    default:
        return;
    }
    cb(ctx, &ev);
}

int scw_proc_events_drain(struct scw_proc_events *pe, scw_proc_event_fn cb, void *ctx)
{
    int total = 0;
    for (;;) {
        ssize_t n = recv(pe->fd, pe->buf, sizeof(pe->buf), MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ENOBUFS) {
                pe->overruns++;
                continue;
            }
            if (errno == EAGAIN)
                return total;
            return total ? total : -errno;
        }
        const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)pe->buf;
        int left = (int)n; /* signed: NLMSG_NEXT may overshoot an unpadded last message */
        for (; scw_nlmsg_ok(h, left); h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_NOOP)
                continue;
            const struct cn_msg *cn = NLMSG_DATA(h);
            if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC)
                continue;
            if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*cn) + sizeof(struct proc_event)))
                continue;
            /* cn_msg is 20 bytes: the event that follows is not 8-byte aligned */
            struct proc_event ev;
            memcpy(&ev, cn->data, sizeof(ev));
            handle(&ev, cb, ctx);
            total++;
        }
    }
}
