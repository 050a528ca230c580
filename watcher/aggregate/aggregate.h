/*
 * aggregate: bounded counting of SECCOMP events per workload x arch x syscall x action.
 *
 * A workload is what a report groups by: a container (live attribution), a host service, or an
 * executable when nothing better is known. Every outside-controlled dimension is bounded by
 * struct scw_agg_limits; hitting a bound is counted in struct scw_agg_drops, never fatal.
 * Adding an event to a known (workload, syscall) allocates nothing and makes no syscall.
 *
 * Nodes: every workload belongs to a node (the host its watcher ran on), and its identity is
 * (node, key): the same container id on two nodes is two workloads. A process counts for one
 * node of its own, "self" (scw_aggregate_set_self(); created unnamed when a workload is made
 * without one); states merged in bring theirs (aggregate_node.c, state.c, fleet.c). The input
 * counters and drops are kept in total (scw_aggregate_stats(), what ingest counts into) and
 * per node: a loaded node's are what its state said plus the drops of its own merge, and
 * self's are the rest, so the nodes always add up to the totals.
 *
 * Time: every entry counts its events in SCW_ENTRY_BUCKETS intervals of one time grid per
 * aggregate (struct scw_agg_grid, aggregate_time.c), which widens (its buckets fold exactly
 * into twice as wide ones) so that every event with a time fits. The per-event path stays
 * without allocation or syscall; a fold walks every entry, a few dozen times at most.
 */
#ifndef SCW_AGGREGATE_H
#define SCW_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define SCW_ENTRY_EXES     8     /* distinct executables kept per (workload, syscall) */
#define SCW_ENTRY_PIDS     16    /* distinct pids tracked per entry (for "distinct processes") */
#define SCW_WORKLOAD_EXES  16    /* distinct executables kept per workload */
#define SCW_MALFORMED_KEEP 5     /* malformed line locations kept for the report */
#define SCW_AGG_MAX_NODES  65536 /* nodes one aggregate holds (a fleet's states merged) */
#define SCW_ENTRY_BUCKETS  16    /* time buckets per entry, on the aggregate's grid */
/* Times (seconds since the epoch) a bucket can hold: [0, SCW_GRID_TIME_LIMIT), year 36812;
 * other times are counted, not bucketed. 16 buckets of the widest width span all of it. */
#define SCW_GRID_TIME_LIMIT (INT64_C(1) << 40)
#define SCW_GRID_MAX_WIDTH  (INT64_C(1) << 36)

/*
 * The time grid of an aggregate: bucket i of every entry counts the events of the seconds
 * [origin + i * width, origin + (i + 1) * width). width is a power of two (1 s and up), origin
 * a multiple of it, so a bucket of a wider grid is exactly the union of buckets of a narrower
 * one, and grids re-bin into each other without loss. width 0: no event had a time yet.
 * An aggregate's grid is the narrowest (at least as wide as any grid merged in) whose 16
 * buckets hold every bucketed event, origin at the first one's bucket: it depends on the
 * events only, not on the order they were counted or merged in.
 */
struct scw_agg_grid {
    int64_t origin;
    int64_t width;
};

/* What the attribution stage knows about a container; every string may be NULL (unknown). */
struct scw_container {
    char *runtime; /* docker, containerd, cri-o, podman, runc, crun, lxc, nspawn, systemd */
    char *id;      /* container id, or the unit name for host services */
    char *runtime_namespace; /* containerd namespace ("k8s.io", "default"...) */
    char *name;
    char *image;
    char *cgroup; /* cgroup path as read from /proc/PID/cgroup */
    char *pod;
    char *namespace;
    char *pod_uid;       /* Kubernetes pod uid, from the cgroup path */
    char *k8s_container; /* Kubernetes container name (CRI annotation) */
    char *profile; /* path of the file carrying the seccomp profile it runs (OCI config.json) */
    char *profile_kept; /* the watcher's copy of that profile, beside its state: runtimes
                           delete config.json with the container */
    /* the container's labels as "key=value" (Docker/containerd/Podman labels, CRI-O's
     * io.kubernetes.cri-o.Labels, OCI annotations for plain runc/crun), NULL-terminated;
     * NULL if unknown */
    char **labels;
};
struct scw_container *scw_container_dup(const struct scw_container *c);
void scw_container_free(struct scw_container *c);
/* Free a NULL-terminated "key=value" array (NULL-safe). */
void scw_container_labels_free(char **labels);

struct scw_agg_limits {
    uint32_t max_workloads; /* default 10000 */
    uint32_t max_entries;   /* default 1000000 (workload x arch x syscall x action) */
    uint32_t max_strings;   /* distinct executables interned; default 65536 */
};

/* Input accounting, carried with the data so state files and reports keep it. */
struct scw_input_stats {
    uint64_t lines, seccomp, malformed, oversized, other;
    uint64_t unattributed; /* SECCOMP events with no container/service found */
    uint64_t lost;         /* records known lost (serial gaps, ENOBUFS, printk suppression) */
    uint64_t kernel_lost;  /* the kernel's audit lost counter, last read */
    uint64_t read_errors;  /* inputs that could not be (fully) read */
    unsigned malformed_kept;
    char malformed_where[SCW_MALFORMED_KEEP][160]; /* "FILE:LINE" of the first few */
};

struct scw_agg_drops {
    uint64_t workloads; /* events dropped: workload table full */
    uint64_t entries;   /* events dropped: entry table full */
    uint64_t strings;   /* events whose executable was not recorded: string table full */
};

struct scw_workload {
    char *key;                       /* unique per node: "exe:/usr/bin/x", "docker:<id>", ... */
    uint32_t node;                   /* index into the node table (scw_aggregate_node_at) */
    struct scw_container *container; /* owned; NULL when the events are unattributed */
    uint64_t events;
    int64_t first_sec, last_sec;
    uint32_t first_msec, last_msec;
    uint32_t exes[SCW_WORKLOAD_EXES]; /* string ids, see scw_aggregate_string() */
    uint8_t n_exes;
    bool exes_truncated;
};

struct scw_agg_entry {
    uint32_t workload; /* index into the workload table */
    uint32_t arch;     /* audit arch as logged */
    uint32_t syscall;  /* number as logged */
    uint32_t code;     /* seccomp action code */
    uint64_t count;
    int64_t first_sec, last_sec;
    uint32_t first_msec, last_msec;
    uint32_t exes[SCW_ENTRY_EXES];
    uint8_t n_exes;
    bool exes_truncated;
    uint8_t n_pids;
    bool pids_truncated; /* more distinct pids than SCW_ENTRY_PIDS */
    int32_t pids[SCW_ENTRY_PIDS];
    /* events per interval of the aggregate's grid, saturating at UINT32_MAX; their sum is
     * below count when some had no time (read from a state written before buckets, or a
     * record without a timestamp) */
    uint32_t buckets[SCW_ENTRY_BUCKETS];
};

/* A host whose watcher counted some of the workloads (see the top of this file). */
struct scw_agg_node {
    char *name;   /* the host name its state recorded; NULL: none (a version 1 state) */
    char *label;  /* for people: the name, "(local)" or "(FILE)" for an unnamed one */
    char *source; /* the state file it was loaded from; NULL: counted by this process */
    /* explicit counters: what its states said, plus drops while merging them; for the self
     * node, use scw_aggregate_node_counters() (which adds the rest) */
    struct scw_input_stats stats; /* malformed_where is not kept per node */
    struct scw_agg_drops drops;
    int64_t observed_from, observed_to; /* its watcher's start, last snapshot (wall s); 0: ? */
    int64_t saved_at;                   /* when its state was written; 0: unknown */
    uint64_t workloads;                 /* workloads it holds */
    int64_t first_sec, last_sec;        /* the span of its records (s; 0: none) */
};

struct scw_aggregate;

struct scw_aggregate *scw_aggregate_new(const struct scw_agg_limits *limits /* NULL: defaults */);
/* The limits in force (defaults filled in). */
const struct scw_agg_limits *scw_aggregate_limits(const struct scw_aggregate *agg);
void scw_aggregate_free(struct scw_aggregate *agg);

/* The counters (the totals over every node: what ingest counts into), owned by agg. */
struct scw_input_stats *scw_aggregate_stats(struct scw_aggregate *agg);
const struct scw_agg_drops *scw_aggregate_drops(const struct scw_aggregate *agg);

/*
 * Find or create the workload with this key on the self node (made, unnamed, if there is
 * none). container (may be NULL) is copied on creation only; use scw_aggregate_set_container()
 * to update it. Returns the index, or -ENOSPC when the workload table is full (counted in
 * drops), -ENOMEM.
 */
int scw_aggregate_workload(struct scw_aggregate *agg, const char *key,
                           const struct scw_container *container);
/* The same on a given node (state loading). -EINVAL when node is out of range. */
int scw_aggregate_workload_on(struct scw_aggregate *agg, uint32_t node, const char *key,
                              const struct scw_container *container);

/* ---- nodes (aggregate_node.c) ---- */

/*
 * The node named name, made if new (name NULL: a new unnamed node every time). Returns its
 * index, -ENOSPC past SCW_AGG_MAX_NODES, -ENOMEM.
 */
int scw_aggregate_node(struct scw_aggregate *agg, const char *name);
/*
 * The node this process counts for: the node named name (NULL: unnamed), made if new; an
 * aggregate whose only node is unnamed and loaded (a state written before nodes were
 * recorded, loaded by its own watcher) takes it as self and names it. live_since > 0: a live
 * watcher started then (wall seconds): its observation runs from then to each snapshot
 * (scw_state_save stamps it). Returns the index or -errno.
 */
int scw_aggregate_set_self(struct scw_aggregate *agg, const char *name, int64_t live_since);
/* The self node's index, or -1 when there is none yet. */
int scw_aggregate_self(const struct scw_aggregate *agg);
/* Whether self is a live watcher (its observation reaches each snapshot: state.c). */
bool scw_aggregate_self_live(const struct scw_aggregate *agg);
size_t scw_aggregate_n_nodes(const struct scw_aggregate *agg);
const struct scw_agg_node *scw_aggregate_node_at(const struct scw_aggregate *agg, size_t i);
/* Set a node's label (messages, report keys) and the file it came from; copies both. */
int scw_aggregate_node_describe(struct scw_aggregate *agg, uint32_t node, const char *label,
                                const char *source);
/*
 * Add a state's counters for a node: to the node and to the totals (counts add; the kernel's
 * lost counter is the node's own, so it is its largest reading, and the totals' is the sum
 * over nodes); widen its observation and saved_at.
 */
void scw_aggregate_node_add(struct scw_aggregate *agg, uint32_t node,
                            const struct scw_input_stats *stats, const struct scw_agg_drops *drops,
                            int64_t observed_from, int64_t observed_to, int64_t saved_at);
/* A node's counters (the self node's include everything no other node accounts for). */
void scw_aggregate_node_counters(const struct scw_aggregate *agg, size_t i,
                                 struct scw_input_stats *ret, struct scw_agg_drops *ret_drops);
/*
 * A node's observation (wall seconds, 0 unknown): as its states recorded it, widened to its
 * records (a watcher reading a log from its start observed what the log holds; replay
 * observed its records, from the first to the last).
 */
void scw_aggregate_node_observed(const struct scw_aggregate *agg, size_t i, int64_t *ret_from,
                                 int64_t *ret_to);
int scw_aggregate_set_container(struct scw_aggregate *agg, uint32_t workload,
                                const struct scw_container *container);

/* Count one record for a workload. Returns 0, -ENOSPC (bound hit, counted), -ENOMEM. */
int scw_aggregate_add(struct scw_aggregate *agg, uint32_t workload, const struct scw_record *r);

/*
 * Merge a whole entry (state files, merging aggregates): counts add, first/last widen,
 * executables (given as strings) and pids are unioned within the bounds, e's buckets (on
 * grid: NULL or width 0 when e has none) are re-binned exactly into agg's grid, widening it
 * when needed. Returns 0, -ENOSPC (bound hit, counted), -ENOMEM, -EINVAL (no such workload;
 * buckets without a valid grid, past SCW_GRID_TIME_LIMIT, or summing above e->count).
 */
int scw_aggregate_merge(struct scw_aggregate *agg, const struct scw_agg_entry *e,
                        const char *const *exes, size_t n_exes, const struct scw_agg_grid *grid);

/* ---- time (aggregate_time.c) ---- */

/* The aggregate's grid (width 0: no bucketed event yet). */
const struct scw_agg_grid *scw_aggregate_grid(const struct scw_aggregate *agg);
/* Whether g is a grid: width 0 with origin 0 (none), or as struct scw_agg_grid says, with
 * width <= SCW_GRID_MAX_WIDTH and 0 <= origin < SCW_GRID_TIME_LIMIT. */
bool scw_agg_grid_valid(const struct scw_agg_grid *g);
/* The sum of n buckets (events with a time). */
uint64_t scw_agg_buckets_sum(const uint32_t *buckets, size_t n);
/* a + b, saturating at UINT32_MAX (how buckets add). */
static inline uint32_t scw_agg_bucket_add(uint32_t a, uint64_t b)
{
    return b >= UINT32_MAX - a ? UINT32_MAX : a + (uint32_t)b;
}

/* Intern a string (executables). Returns its id (>= 1) or 0 when the table is full. */
uint32_t scw_aggregate_intern(struct scw_aggregate *agg, const char *s, size_t len);
const char *scw_aggregate_string(const struct scw_aggregate *agg, uint32_t id);

/*
 * Add everything src counted to agg, as if agg had read src's input right after its own (the
 * parts of one file read in parallel): workloads, then entries, in src's order; counts, times,
 * time buckets (re-binned onto agg's grid), pids and executables; input counters and drops. src's
 * malformed-line locations
 * ("WHERE:LINE") get line_offset added. With no bound hit the result equals reading the
 * inputs in order; at a bound the dropped totals are equal. Returns 0 or -ENOMEM.
 */
int scw_aggregate_absorb(struct scw_aggregate *agg, const struct scw_aggregate *src,
                         uint64_t line_offset);

size_t scw_aggregate_n_workloads(const struct scw_aggregate *agg);
const struct scw_workload *scw_aggregate_workload_at(const struct scw_aggregate *agg, size_t i);
size_t scw_aggregate_n_entries(const struct scw_aggregate *agg);
const struct scw_agg_entry *scw_aggregate_entry_at(const struct scw_aggregate *agg, size_t i);

/*
 * Report order, computed once: workloads by events (desc) then key; the entries of each
 * workload by count (desc), then arch, syscall, code. Entries of workload index w are
 * entries[start[w]] .. entries[start[w + 1] - 1].
 */
struct scw_agg_view {
    uint32_t *workloads; /* workload indexes in report order */
    size_t n_workloads;
    uint32_t *entries; /* entry indexes grouped by workload index */
    size_t *start;     /* n_workloads + 1 offsets, indexed by workload index */
};
int scw_aggregate_view(const struct scw_aggregate *agg, struct scw_agg_view *ret);
void scw_agg_view_release(struct scw_agg_view *v);

#endif
