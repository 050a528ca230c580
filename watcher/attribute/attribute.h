/*
 * attribute: which workload (container, host service, or executable) made a record.
 *
 * pid -> workload through a bounded pid cache filled at first sight of a pid (one read of
 * /proc/PID/cgroup), on exec (the process may have moved: runc puts a container's init in its
 * cgroup before exec) and on fork (the child inherits its parent's workload, so a process that
 * made one logged syscall and exited before its lookup is still attributed). Pid reuse is seen
 * through fork events. A cache hit costs a hash probe: no syscall, no allocation.
 * The cgroup path is classified by cgroup.c; the container is named from the runtime's state
 * on disk by runtime_meta.c, once per container.
 */
#ifndef SCW_ATTRIBUTE_H
#define SCW_ATTRIBUTE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "aggregate.h"
#include "proc_events.h"
#include "record.h"

struct scw_attr;
struct scw_meta_roots;

struct scw_attr_opts {
    const char *proc_root;                   /* "/proc" unless testing */
    const struct scw_meta_roots *meta_roots; /* NULL: runtime defaults */
    uint32_t max_pids;                       /* pid cache bound; default 262144 */
    unsigned exited_ttl_sec;                 /* keep exited pids this long; default 30 */
};

struct scw_attr_stats {
    uint64_t hits;          /* records resolved from the cache */
    uint64_t proc_reads;    /* /proc/PID/cgroup reads */
    uint64_t proc_failures; /* reads that failed (process gone) */
    uint64_t via_fork;      /* pids first known through a fork event */
    uint64_t exec_reads;    /* re-reads on exec */
    uint64_t unattributed;  /* records with no cgroup found */
    uint64_t evicted;       /* exited pids dropped after their ttl */
    uint64_t cache_full;    /* pids not cached: the cache was full */
    uint64_t pids;          /* pids cached now */
};

int scw_attr_new(const struct scw_attr_opts *opts, struct scw_attr **ret);
void scw_attr_free(struct scw_attr *attr);

/* The ingest resolver (scw_resolve_fn): ctx is the struct scw_attr. */
int scw_attr_resolve(void *attr, struct scw_aggregate *agg, const struct scw_record *r);
/* Feed a proc connector event (scw_proc_event_fn): ctx is the struct scw_attr. */
void scw_attr_proc_event(void *attr, const struct scw_proc_event *ev);
/* The aggregate proc events attach workloads to (set before feeding fork/exec events). */
void scw_attr_set_aggregate(struct scw_attr *attr, struct scw_aggregate *agg);
/* Housekeeping for the periodic tick: evict exited pids past their ttl, retry metadata that
 * was missing. now is CLOCK_MONOTONIC seconds. */
void scw_attr_tick(struct scw_attr *attr, uint64_t now);
void scw_attr_stats(const struct scw_attr *attr, struct scw_attr_stats *ret);

/* Counters of the runtime-state reads (files missing, unreadable, corrupt...). */
const struct scw_meta_stats *scw_attr_meta_stats(const struct scw_attr *attr);

#endif
