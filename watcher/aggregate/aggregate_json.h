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
/* The "input" object: the accounting, malformed locations, drops at bounds. */
json_t *scw_aggregate_input_json(const struct scw_aggregate *agg);

#endif
