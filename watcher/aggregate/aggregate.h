/*
 * aggregate: bounded counting of SECCOMP events per workload x arch x syscall x action.
 *
 * A workload is what a report groups by: a container (live attribution), a host service, or an
 * executable when nothing better is known. Every outside-controlled dimension is bounded by
 * struct scw_agg_limits; hitting a bound is counted in struct scw_agg_drops, never fatal.
 * Adding an event to a known (workload, syscall) allocates nothing and makes no syscall.
 */
#ifndef SCW_AGGREGATE_H
#define SCW_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define SCW_ENTRY_EXES     8  /* distinct executables kept per (workload, syscall) */
#define SCW_ENTRY_PIDS     16 /* distinct pids tracked per entry (for "distinct processes") */
#define SCW_WORKLOAD_EXES  16 /* distinct executables kept per workload */
#define SCW_MALFORMED_KEEP 5  /* malformed line locations kept for the report */

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
    char *key;                       /* unique: "exe:/usr/bin/x", "docker:<id>", ... */
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
};

struct scw_aggregate;

struct scw_aggregate *scw_aggregate_new(const struct scw_agg_limits *limits /* NULL: defaults */);
/* The limits in force (defaults filled in). */
const struct scw_agg_limits *scw_aggregate_limits(const struct scw_aggregate *agg);
void scw_aggregate_free(struct scw_aggregate *agg);

/* The counters, owned by agg. */
struct scw_input_stats *scw_aggregate_stats(struct scw_aggregate *agg);
const struct scw_agg_drops *scw_aggregate_drops(const struct scw_aggregate *agg);

/*
 * Find or create the workload with this key. container (may be NULL) is copied on creation
 * only; use scw_aggregate_set_container() to update it. Returns the index, or -ENOSPC when the
 * workload table is full (counted in drops), -ENOMEM.
 */
int scw_aggregate_workload(struct scw_aggregate *agg, const char *key,
                           const struct scw_container *container);
int scw_aggregate_set_container(struct scw_aggregate *agg, uint32_t workload,
                                const struct scw_container *container);

/* Count one record for a workload. Returns 0, -ENOSPC (bound hit, counted), -ENOMEM. */
int scw_aggregate_add(struct scw_aggregate *agg, uint32_t workload, const struct scw_record *r);

/*
 * Merge a whole entry (state files, merging aggregates): counts add, first/last widen,
 * executables (given as strings) and pids are unioned within the bounds.
 */
int scw_aggregate_merge(struct scw_aggregate *agg, const struct scw_agg_entry *e,
                        const char *const *exes, size_t n_exes);

/* Intern a string (executables). Returns its id (>= 1) or 0 when the table is full. */
uint32_t scw_aggregate_intern(struct scw_aggregate *agg, const char *s, size_t len);
const char *scw_aggregate_string(const struct scw_aggregate *agg, uint32_t id);

/*
 * Add everything src counted to agg, as if agg had read src's input right after its own (the
 * parts of one file read in parallel): workloads, then entries, in src's order; counts, times,
 * pids and executables; input counters and drops. src's malformed-line locations
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
