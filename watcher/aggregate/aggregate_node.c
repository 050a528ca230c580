/*
 * aggregate_node: the aggregate's node table (see aggregate.h): which host counted which
 * workloads, each node's input counters and drops, and how long its watcher observed. Nodes
 * come from merged states (state.c, fleet.c) or are the process's own ("self": the watcher's
 * --node, replay's). The counters are exact arithmetic: a loaded node keeps what its state
 * said plus the drops of its own merge; self gets everything else, so the nodes add up to the
 * totals whatever the order of loading and counting. No I/O.
 */
#include "aggregate.h"
#include "aggregate_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void aggregate_nodes_free(struct scw_aggregate *agg)
{
    for (size_t i = 0; i < agg->n_nodes; i++) {
        free(agg->nodes[i].name);
        free(agg->nodes[i].label);
        free(agg->nodes[i].source);
    }
    free(agg->nodes);
    agg->nodes = NULL;
    agg->n_nodes = agg->cap_nodes = 0;
}

static int add_node(struct scw_aggregate *agg, const char *name)
{
    if (agg->n_nodes >= SCW_AGG_MAX_NODES)
        return -ENOSPC;
    if (agg->n_nodes == agg->cap_nodes) {
        size_t cap = agg->cap_nodes ? agg->cap_nodes * 2 : 4;
        struct scw_agg_node *v = realloc(agg->nodes, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        agg->nodes = v;
        agg->cap_nodes = cap;
    }
    struct scw_agg_node *n = &agg->nodes[agg->n_nodes];
    memset(n, 0, sizeof(*n));
    n->name = name ? strdup(name) : NULL;
    n->label = strdup(name ? name : "(local)");
    if ((name && !n->name) || !n->label) {
        free(n->name);
        free(n->label);
        return -ENOMEM;
    }
    return (int)agg->n_nodes++;
}

int scw_aggregate_node(struct scw_aggregate *agg, const char *name)
{
    for (size_t i = 0; name && i < agg->n_nodes; i++)
        if (agg->nodes[i].name && strcmp(agg->nodes[i].name, name) == 0)
            return (int)i;
    return add_node(agg, name);
}

int aggregate_self_node(struct scw_aggregate *agg)
{
    if (agg->self >= 0)
        return agg->self;
    int i = add_node(agg, NULL);
    if (i >= 0)
        agg->self = i;
    return i;
}

int scw_aggregate_set_self(struct scw_aggregate *agg, const char *name, int64_t live_since)
{
    int i = -1;
    for (size_t k = 0; name && k < agg->n_nodes && i < 0; k++)
        if (agg->nodes[k].name && strcmp(agg->nodes[k].name, name) == 0)
            i = (int)k;
    if (i < 0 && agg->self >= 0 && !agg->nodes[agg->self].name)
        i = agg->self; /* made unnamed by a workload counted before: this is it */
    if (i < 0 && agg->n_nodes == 1 && !agg->nodes[0].name && agg->nodes[0].source)
        i = 0; /* the watcher's own state from before nodes were recorded */
    if (i < 0 && (i = add_node(agg, name)) < 0)
        return i;
    struct scw_agg_node *n = &agg->nodes[i];
    if (name && !n->name) {
        char *nm = strdup(name), *label = strdup(name);
        if (!nm || !label) {
            free(nm);
            free(label);
            return -ENOMEM;
        }
        free(n->label);
        n->name = nm;
        n->label = label;
    }
    agg->self = i;
    agg->live = live_since > 0;
    if (live_since > 0) {
        if (!n->observed_from || live_since < n->observed_from)
            n->observed_from = live_since;
        if (live_since > n->observed_to)
            n->observed_to = live_since;
    }
    return i;
}

int scw_aggregate_self(const struct scw_aggregate *agg)
{
    return agg->self;
}

bool scw_aggregate_self_live(const struct scw_aggregate *agg)
{
    return agg->live && agg->self >= 0;
}

size_t scw_aggregate_n_nodes(const struct scw_aggregate *agg)
{
    return agg->n_nodes;
}

const struct scw_agg_node *scw_aggregate_node_at(const struct scw_aggregate *agg, size_t i)
{
    return i < agg->n_nodes ? &agg->nodes[i] : NULL;
}

int scw_aggregate_node_describe(struct scw_aggregate *agg, uint32_t node, const char *label,
                                const char *source)
{
    if (node >= agg->n_nodes)
        return -EINVAL;
    struct scw_agg_node *n = &agg->nodes[node];
    char *l = label ? strdup(label) : NULL, *s = source ? strdup(source) : NULL;
    if ((label && !l) || (source && !s)) {
        free(l);
        free(s);
        return -ENOMEM;
    }
    if (l) {
        free(n->label);
        n->label = l;
    }
    if (s) {
        free(n->source);
        n->source = s;
    }
    return 0;
}

void aggregate_drop(struct scw_aggregate *agg, uint32_t node, enum aggregate_drop_kind kind,
                    uint64_t n)
{
    struct scw_agg_drops *t = &agg->drops;
    struct scw_agg_drops *d = node < agg->n_nodes ? &agg->nodes[node].drops : NULL;
    switch (kind) {
    case AGG_DROP_WORKLOADS:
        t->workloads += n;
        if (d)
            d->workloads += n;
        break;
    case AGG_DROP_ENTRIES:
        t->entries += n;
        if (d)
            d->entries += n;
        break;
    case AGG_DROP_STRINGS:
        t->strings += n;
        if (d)
            d->strings += n;
        break;
    }
}

/* The counters that add up (all but kernel_lost and the malformed locations). */
#define SCW_ADDITIVE(X)                                                                            \
    X(lines) X(seccomp) X(malformed) X(oversized) X(other) X(unattributed) X(lost) X(read_errors)

void scw_aggregate_node_add(struct scw_aggregate *agg, uint32_t node,
                            const struct scw_input_stats *s, const struct scw_agg_drops *d,
                            int64_t observed_from, int64_t observed_to, int64_t saved_at)
{
    if (node >= agg->n_nodes)
        return;
    struct scw_agg_node *n = &agg->nodes[node];
    struct scw_input_stats *t = &agg->stats;
    if (s) {
#define ADD(f)                                                                                     \
    n->stats.f += s->f;                                                                            \
    t->f += s->f;
        SCW_ADDITIVE(ADD)
#undef ADD
        if (s->kernel_lost > n->stats.kernel_lost) {
            /* one kernel's counter: its largest reading; the totals: the sum over kernels */
            t->kernel_lost += s->kernel_lost - n->stats.kernel_lost;
            n->stats.kernel_lost = s->kernel_lost;
        }
    }
    if (d) {
        aggregate_drop(agg, node, AGG_DROP_WORKLOADS, d->workloads);
        aggregate_drop(agg, node, AGG_DROP_ENTRIES, d->entries);
        aggregate_drop(agg, node, AGG_DROP_STRINGS, d->strings);
    }
    if (observed_from && (!n->observed_from || observed_from < n->observed_from))
        n->observed_from = observed_from;
    if (observed_to > n->observed_to)
        n->observed_to = observed_to;
    if (saved_at > n->saved_at)
        n->saved_at = saved_at;
}

static uint64_t rest(uint64_t total, uint64_t others)
{
    return total > others ? total - others : 0;
}

void scw_aggregate_node_counters(const struct scw_aggregate *agg, size_t i,
                                 struct scw_input_stats *ret, struct scw_agg_drops *ret_drops)
{
    memset(ret, 0, sizeof(*ret));
    memset(ret_drops, 0, sizeof(*ret_drops));
    if (i >= agg->n_nodes)
        return;
    const struct scw_agg_node *n = &agg->nodes[i];
#define COPY(f) ret->f = n->stats.f;
    SCW_ADDITIVE(COPY)
#undef COPY
    ret->kernel_lost = n->stats.kernel_lost;
    *ret_drops = n->drops;
    if ((int)i != agg->self)
        return;
    /* self: plus whatever the totals hold that no node accounts for */
    struct scw_input_stats sum = {0};
    struct scw_agg_drops dsum = {0};
    uint64_t kernel_others = 0;
    for (size_t k = 0; k < agg->n_nodes; k++) {
        const struct scw_agg_node *o = &agg->nodes[k];
#define SUM(f) sum.f += o->stats.f;
        SCW_ADDITIVE(SUM)
#undef SUM
        dsum.workloads += o->drops.workloads;
        dsum.entries += o->drops.entries;
        dsum.strings += o->drops.strings;
        if (k != i)
            kernel_others += o->stats.kernel_lost;
    }
#define REST(f) ret->f += rest(agg->stats.f, sum.f);
    SCW_ADDITIVE(REST)
#undef REST
    ret_drops->workloads += rest(agg->drops.workloads, dsum.workloads);
    ret_drops->entries += rest(agg->drops.entries, dsum.entries);
    ret_drops->strings += rest(agg->drops.strings, dsum.strings);
    /* the watcher sets the totals' kernel_lost to its own kernel's reading */
    uint64_t own = rest(agg->stats.kernel_lost, kernel_others);
    if (own > ret->kernel_lost)
        ret->kernel_lost = own;
}

void scw_aggregate_node_observed(const struct scw_aggregate *agg, size_t i, int64_t *ret_from,
                                 int64_t *ret_to)
{
    *ret_from = *ret_to = 0;
    if (i >= agg->n_nodes)
        return;
    const struct scw_agg_node *n = &agg->nodes[i];
    *ret_from = n->observed_from;
    *ret_to = n->observed_to;
    if (n->first_sec && (!*ret_from || n->first_sec < *ret_from))
        *ret_from = n->first_sec;
    if (n->last_sec > *ret_to)
        *ret_to = n->last_sec;
}
