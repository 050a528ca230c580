/*
 * proc_events: process fork/exec/exit notifications from the kernel's proc connector
 * (NETLINK_CONNECTOR, CN_IDX_PROC). The attribution stage uses them to learn a process's
 * cgroup while it still exists, so records from processes that exit before their lookup are
 * still attributed. Needs CAP_NET_ADMIN; absent, attribution falls back to lookups.
 */
#ifndef SCW_PROC_EVENTS_H
#define SCW_PROC_EVENTS_H

#include <stdint.h>
#include <sys/types.h>

enum scw_proc_event_kind {
    SCW_PROC_FORK,
    SCW_PROC_EXEC,
    SCW_PROC_EXIT,
    SCW_PROC_EVENT_MAX,
    SCW_PROC_EVENT_INVALID = -1,
};

struct scw_proc_event {
    enum scw_proc_event_kind kind;
    pid_t pid;        /* thread group id of the process concerned (child for forks) */
    pid_t tid;        /* thread id (forks: of the new thread) */
    pid_t parent_pid; /* forks only */
    uint64_t time_ns; /* kernel timestamp (ns since boot) */
};

typedef void (*scw_proc_event_fn)(void *ctx, const struct scw_proc_event *ev);

struct scw_proc_events;

int scw_proc_events_open(size_t rcvbuf, struct scw_proc_events **ret);
void scw_proc_events_close(struct scw_proc_events *pe);
int scw_proc_events_fd(const struct scw_proc_events *pe);
/* Drain queued events; returns the number handled or -errno. ENOBUFS is counted. */
int scw_proc_events_drain(struct scw_proc_events *pe, scw_proc_event_fn cb, void *ctx);
uint64_t scw_proc_events_overruns(const struct scw_proc_events *pe);

#endif
