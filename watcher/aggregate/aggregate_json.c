/*
 * aggregate_json: the aggregate's own objects as JSON, shared by the report and the state file:
 * a container's identity and the input accounting, in total and per node. Called by report.c
 * and state.c.
 */
#include "aggregate_json.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"

json_t *scw_aggregate_container_json(const struct scw_container *c)
{
    if (!c)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "runtime", scw_json_string(c->runtime));
    json_object_set_new(o, "id", scw_json_string(c->id));
    json_object_set_new(o, "runtime_namespace", scw_json_string(c->runtime_namespace));
    json_object_set_new(o, "name", scw_json_string(c->name));
    json_object_set_new(o, "image", scw_json_string(c->image));
    json_object_set_new(o, "cgroup", scw_json_string(c->cgroup));
    json_object_set_new(o, "pod", scw_json_string(c->pod));
    json_object_set_new(o, "namespace", scw_json_string(c->namespace));
    json_object_set_new(o, "pod_uid", scw_json_string(c->pod_uid));
    json_object_set_new(o, "k8s_container", scw_json_string(c->k8s_container));
    json_object_set_new(o, "profile_path", scw_json_string(c->profile));
    json_object_set_new(o, "profile_kept", scw_json_string(c->profile_kept));
    json_t *labels = c->labels ? json_object() : json_null();
    for (size_t i = 0; c->labels && c->labels[i]; i++) {
        const char *eq = strchr(c->labels[i], '=');
        if (!eq)
            continue;
        char *k = strndup(c->labels[i], (size_t)(eq - c->labels[i]));
        if (k)
            json_object_set_new(labels, k, scw_json_string(eq + 1));
        free(k);
    }
    json_object_set_new(o, "labels", labels);
    return o;
}

char **scw_aggregate_labels_from_json(const json_t *o)
{
    if (!json_is_object(o))
        return NULL;
    char **labels = calloc(json_object_size(o) + 1, sizeof(*labels));
    size_t n = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        if (!labels || !json_is_string(v))
            continue;
        size_t kl = strlen(k), vl = json_string_length(v);
        char *kv = malloc(kl + vl + 2);
        if (!kv) {
            scw_container_labels_free(labels);
            return NULL;
        }
        memcpy(kv, k, kl);
        kv[kl] = '=';
        memcpy(kv + kl + 1, json_string_value(v), vl);
        kv[kl + 1 + vl] = '\0';
        labels[n++] = kv;
    }
    return labels;
}

/* The counters of one node or of all, without the malformed locations. */
static void put_counters(json_t *o, const struct scw_input_stats *st)
{
    json_object_set_new(o, "lines", json_integer((json_int_t)st->lines));
    json_object_set_new(o, "seccomp", json_integer((json_int_t)st->seccomp));
    json_object_set_new(o, "malformed", json_integer((json_int_t)st->malformed));
    json_object_set_new(o, "oversized", json_integer((json_int_t)st->oversized));
    json_object_set_new(o, "other", json_integer((json_int_t)st->other));
    json_object_set_new(o, "unattributed", json_integer((json_int_t)st->unattributed));
    json_object_set_new(o, "lost", json_integer((json_int_t)st->lost));
    json_object_set_new(o, "kernel_lost", json_integer((json_int_t)st->kernel_lost));
    json_object_set_new(o, "read_errors", json_integer((json_int_t)st->read_errors));
}

static json_t *drops_json(const struct scw_agg_drops *d)
{
    json_t *drops = json_object();
    json_object_set_new(drops, "workloads", json_integer((json_int_t)d->workloads));
    json_object_set_new(drops, "entries", json_integer((json_int_t)d->entries));
    json_object_set_new(drops, "executables", json_integer((json_int_t)d->strings));
    return drops;
}

json_t *scw_aggregate_counters_json(const struct scw_input_stats *st, const struct scw_agg_drops *d)
{
    json_t *o = json_object();
    put_counters(o, st);
    json_object_set_new(o, "dropped_at_bounds", drops_json(d));
    return o;
}

static uint64_t u64_of(const json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) && json_integer_value(v) >= 0 ? (uint64_t)json_integer_value(v) : 0;
}

void scw_aggregate_counters_from_json(const json_t *o, struct scw_input_stats *ret,
                                      struct scw_agg_drops *ret_drops)
{
    memset(ret, 0, sizeof(*ret));
    memset(ret_drops, 0, sizeof(*ret_drops));
    ret->lines = u64_of(o, "lines");
    ret->seccomp = u64_of(o, "seccomp");
    ret->malformed = u64_of(o, "malformed");
    ret->oversized = u64_of(o, "oversized");
    ret->other = u64_of(o, "other");
    ret->unattributed = u64_of(o, "unattributed");
    ret->lost = u64_of(o, "lost");
    ret->kernel_lost = u64_of(o, "kernel_lost");
    ret->read_errors = u64_of(o, "read_errors");
    const json_t *d = json_object_get(o, "dropped_at_bounds");
    ret_drops->workloads = u64_of(d, "workloads");
    ret_drops->entries = u64_of(d, "entries");
    ret_drops->strings = u64_of(d, "executables");
}

json_t *scw_aggregate_nodes_json(const struct scw_aggregate *agg)
{
    json_t *nodes = json_object();
    for (size_t i = 0; i < scw_aggregate_n_nodes(agg); i++) {
        const struct scw_agg_node *n = scw_aggregate_node_at(agg, i);
        struct scw_input_stats st;
        struct scw_agg_drops d;
        int64_t from, to;
        scw_aggregate_node_counters(agg, i, &st, &d);
        scw_aggregate_node_observed(agg, i, &from, &to);
        json_t *o = scw_aggregate_counters_json(&st, &d);
        json_object_set_new(o, "name", scw_json_string(n->name));
        json_object_set_new(o, "workloads", json_integer((json_int_t)n->workloads));
        json_object_set_new(o, "observed_from", scw_json_time(from, 0));
        json_object_set_new(o, "observed_to", scw_json_time(to, 0));
        json_object_set_new(o, "state", scw_json_string(n->source));
        json_object_set_new(nodes, n->label, o);
    }
    return nodes;
}

json_t *scw_aggregate_input_json(const struct scw_aggregate *agg)
{
    const struct scw_input_stats *st = scw_aggregate_stats((struct scw_aggregate *)agg);
    const struct scw_agg_drops *d = scw_aggregate_drops(agg);
    json_t *o = json_object();
    put_counters(o, st);
    json_t *where = json_array();
    for (unsigned i = 0; i < st->malformed_kept; i++)
        json_array_append_new(where, scw_json_string(st->malformed_where[i]));
    json_object_set_new(o, "malformed_lines", where);
    json_object_set_new(o, "dropped_at_bounds", drops_json(d));
    return o;
}
