/*
 * events: JSON lines for log pipelines (--events FILE|-): one line when a (workload, syscall,
 * action) is first seen, a periodic summary, and with --events-all one line per record.
 * Buffered; flushed on every tick and at exit, so no syscall per event.
 */
#ifndef SCW_EVENTS_H
#define SCW_EVENTS_H

#include <stdbool.h>
#include <stdio.h>

#include "aggregate.h"
#include "record.h"

struct scw_events;

int scw_events_open(const char *path, bool all, struct scw_events **ret);
void scw_events_close(struct scw_events *ev);
bool scw_events_all(const struct scw_events *ev);

/* A new (workload, arch, syscall, action) entry: entry index in agg. */
void scw_events_first_seen(struct scw_events *ev, const struct scw_aggregate *agg, size_t entry,
                           const struct scw_record *r);
/* One record (--events-all). */
void scw_events_record(struct scw_events *ev, const struct scw_aggregate *agg, uint32_t workload,
                       const struct scw_record *r);
/* Periodic summary of the input accounting. */
void scw_events_summary(struct scw_events *ev, const struct scw_aggregate *agg);
int scw_events_flush(struct scw_events *ev);

#endif
