/*
 * aggregate_impl: the aggregate's tables, shared by aggregate.c (strings, workloads, entries,
 * views) and aggregate_node.c (the node table), private to them. The interface is aggregate.h.
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
};

enum aggregate_drop_kind { AGG_DROP_WORKLOADS, AGG_DROP_ENTRIES, AGG_DROP_STRINGS };

/* Count n events dropped at a bound, in the totals and for the node (aggregate_node.c). */
void aggregate_drop(struct scw_aggregate *agg, uint32_t node, enum aggregate_drop_kind kind,
                    uint64_t n);
/* The self node, made unnamed when there is none. Returns its index or -errno. */
int aggregate_self_node(struct scw_aggregate *agg);
/* Free the node table. */
void aggregate_nodes_free(struct scw_aggregate *agg);

#endif
