/*
 * aggregate_json: the aggregate's objects as JSON, for the report and the state file (see
 * aggregate_json.c).
 */
#ifndef SCW_AGGREGATE_JSON_H
#define SCW_AGGREGATE_JSON_H

#include <jansson.h>

#include "aggregate.h"

json_t *scw_aggregate_container_json(const struct scw_container *c); /* NULL -> null */
/* The "labels" object of a container back to "key=value" strings (state files); NULL when
 * o is not an object or on ENOMEM. Free with scw_container_labels_free(). */
char **scw_aggregate_labels_from_json(const json_t *o);
/* The "input" object: the accounting, malformed locations, drops at bounds (the totals). */
json_t *scw_aggregate_input_json(const struct scw_aggregate *agg);
/* One node's (or any) counters: lines ... read_errors and "dropped_at_bounds". */
json_t *scw_aggregate_counters_json(const struct scw_input_stats *st,
                                    const struct scw_agg_drops *d);
/* The reverse (missing or bad members read as 0; malformed_where is left empty). */
void scw_aggregate_counters_from_json(const json_t *o, struct scw_input_stats *ret,
                                      struct scw_agg_drops *ret_drops);
/* The report's per-node breakdown: {LABEL: {counters, "name", "workloads", "observed_from",
 * "observed_to", "state"}}, in node order. */
json_t *scw_aggregate_nodes_json(const struct scw_aggregate *agg);

#endif
