/*
 * ingest: the record -> aggregate step shared by replay and the live watcher. Classifies a
 * line (or takes a parsed record), keeps the input accounting, asks a resolver which workload
 * the record belongs to and counts it. Owns no I/O; the record buffer is reused, so ingesting
 * a record of a known workload and syscall allocates nothing.
 */
#ifndef SCW_INGEST_H
#define SCW_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "record.h"

struct scw_ingest;

/* Returns the workload index for r, or a negative errno (the event is then dropped and counted
 * by the aggregate's bounds). */
typedef int (*scw_resolve_fn)(void *ctx, struct scw_aggregate *agg, const struct scw_record *r);
/* Returns true when r must be dropped before counting (rule-file ignore lists). */
typedef bool (*scw_filter_fn)(void *ctx, const struct scw_record *r);

struct scw_ingest {
    struct scw_aggregate *agg; /* borrowed */
    scw_resolve_fn resolve;    /* NULL: workload = executable (scw_ingest_resolve_exe) */
    void *resolve_ctx;
    scw_filter_fn filter; /* may be NULL */
    void *filter_ctx;
    uint64_t ignored; /* records dropped by filter */
    /* records the kernel log never showed: "kauditd_printk_skb: N callbacks suppressed" lines
     * (printk rate limiting); added to the input's lost count as they are read */
    uint64_t printk_suppressed;
    struct scw_record rec;
};

void scw_ingest_init(struct scw_ingest *in, struct scw_aggregate *agg);

/* One line of a named input; where = "FILE" used for malformed-line locations. */
void scw_ingest_line(struct scw_ingest *in, const char *line, size_t len, const char *where,
                     uint64_t lineno);
void scw_ingest_oversized(struct scw_ingest *in);
/* A record already parsed (netlink). Counts it as seccomp. */
void scw_ingest_record(struct scw_ingest *in, const struct scw_record *r);

/* The default resolver: one workload per executable ("exe:/usr/bin/x"). */
int scw_ingest_resolve_exe(void *ctx, struct scw_aggregate *agg, const struct scw_record *r);

#endif
