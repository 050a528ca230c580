/*
 * aggregate_impl: the aggregate's tables, shared by aggregate.c (strings, workloads, entries,
 * views), aggregate_node.c (the node table) and aggregate_time.c (the time grid), private to
 * them. The interface is aggregate.h.
 */
#ifndef SCW_AGGREGATE_IMPL_H
#define SCW_AGGREGATE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"

struct index {
    uint32_t *slots; /* element index + 1; 0 = empty */
    size_t cap;      /* power of two */
};

struct scw_aggregate {
    struct scw_agg_limits limits;
    struct scw_input_stats stats; /* totals */
    struct scw_agg_drops drops;   /* totals */

    char **strings;    /* id - 1 -> string */
    uint32_t last_exe; /* id of the executable of the last record added (0: none) */
    size_t n_strings, cap_strings;
    struct index string_index;

    struct scw_workload *workloads;
    size_t n_workloads, cap_workloads;
    struct index workload_index;

    struct scw_agg_entry *entries;
    size_t n_entries, cap_entries;
    struct index entry_index;

    struct scw_agg_node *nodes;
    size_t n_nodes, cap_nodes;
    int self;  /* index of the node this process counts for, -1: none yet */
    bool live; /* self is a live watcher: its observation is stamped at each save */

    struct scw_agg_grid grid; /* every entry's buckets are on it (aggregate.h) */
    unsigned grid_shift;      /* log2(grid.width) */
    uint32_t grid_used;       /* bit i: some entry has events in bucket i */
};

enum aggregate_drop_kind { AGG_DROP_WORKLOADS, AGG_DROP_ENTRIES, AGG_DROP_STRINGS };

/* Count n events dropped at a bound, in the totals and for the node (aggregate_node.c). */
void aggregate_drop(struct scw_aggregate *agg, uint32_t node, enum aggregate_drop_kind kind,
                    uint64_t n);
/* The self node, made unnamed when there is none. Returns its index or -errno. */
int aggregate_self_node(struct scw_aggregate *agg);
/* Free the node table. */
void aggregate_nodes_free(struct scw_aggregate *agg);

/*
 * Widen the grid so that it holds the seconds lo and hi (in [0, SCW_GRID_TIME_LIMIT)) as well
 * as every bucketed event, with buckets at least 2^min_shift s wide, and fold every entry's
 * buckets into it (aggregate_time.c). The slow path of aggregate_time_add.
 */
void aggregate_grid_fit(struct scw_aggregate *agg, int64_t lo, int64_t hi, unsigned min_shift);

/* Count one event at (sec, msec) in e's buckets (a time of 0.000 or out of range: none). */
static inline void aggregate_time_add(struct scw_aggregate *agg, struct scw_agg_entry *e,
                                      int64_t sec, uint32_t msec)
{
    if ((uint64_t)sec >= (uint64_t)SCW_GRID_TIME_LIMIT || (sec == 0 && msec == 0))
        return;
    uint64_t i = (uint64_t)(sec - agg->grid.origin) >> agg->grid_shift;
    if (i >= SCW_ENTRY_BUCKETS || !agg->grid.width) {
        aggregate_grid_fit(agg, sec, sec, 0);
        i = (uint64_t)(sec - agg->grid.origin) >> agg->grid_shift;
    }
    if (e->buckets[i] != UINT32_MAX)
        e->buckets[i]++;
    agg->grid_used |= 1u << i;
}

/*
 * Add buckets on grid g (checked: aggregate_time_check) to e's, re-binned exactly into agg's
 * grid (widened first when needed).
 */
void aggregate_time_merge(struct scw_aggregate *agg, struct scw_agg_entry *e,
                          const uint32_t *buckets, const struct scw_agg_grid *g);
/* 0 when buckets on g can be merged into an entry of count events (all zero: any g), else
 * -EINVAL. */
int aggregate_time_check(const uint32_t *buckets, const struct scw_agg_grid *g, uint64_t count);

#endif
