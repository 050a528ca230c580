/*
 * advise_evidence: how far the proposals can be trusted, per group. Coverage on nodes (a
 * syscall seen in 5 of 6 containers on 3 of 3 nodes), and completeness: when the latest of
 * the group's syscalls was first seen, how long the nodes its members are on were observed
 * (their watchers' start and last snapshot, from the states), and whether any of them lost
 * records meanwhile (the reader's gaps, the kernel's lost counter, drops at the bounds): then
 * the group is incomplete and says how much. Also the --fail-on gate. Pure: no I/O; the
 * numbers come from the aggregate's node table. Called by advise.c; read by the reports.
 */
#include "advise_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool time_after(int64_t s1, uint32_t m1, int64_t s2, uint32_t m2)
{
    return s1 > s2 || (s1 == s2 && m1 > m2);
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* Group proposals by (audit arch, number), to find a member's proposal in its group's. */
static const struct scw_proposal *sort_props; /* qsort has no context; single-threaded */

static int cmp_key(const struct scw_proposal *a, const struct scw_proposal *b)
{
    if (a->audit_arch != b->audit_arch)
        return a->audit_arch < b->audit_arch ? -1 : 1;
    return (a->nr > b->nr) - (a->nr < b->nr);
}

static int cmp_index(const void *x, const void *y)
{
    return cmp_key(&sort_props[*(const uint32_t *)x], &sort_props[*(const uint32_t *)y]);
}

/* Member indexes ordered by node, then the group's proposals marked once per node. */
struct by_node {
    uint32_t node, member;
};

static int cmp_by_node(const void *x, const void *y)
{
    const struct by_node *a = x, *b = y;
    if (a->node != b->node)
        return a->node < b->node ? -1 : 1;
    return (a->member > b->member) - (a->member < b->member);
}

static int group_nodes(const struct scw_advise_input *in, const struct scw_advice *a,
                       struct scw_advice_group *g, uint32_t **ret_nodes)
{
    size_t n = g->n_proposals;
    uint32_t *idx = malloc((n ? n : 1) * sizeof(*idx));
    uint32_t *last = malloc((n ? n : 1) * sizeof(*last));
    struct by_node *m = malloc((g->n_members ? g->n_members : 1) * sizeof(*m));
    uint32_t *nodes = malloc((g->n_members ? g->n_members : 1) * sizeof(*nodes));
    if (!idx || !last || !m || !nodes) {
        free(idx);
        free(last);
        free(m);
        free(nodes);
        return -ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        idx[i] = (uint32_t)i;
        last[i] = UINT32_MAX;
        g->proposals[i].seen_on_nodes = 0;
    }
    sort_props = g->proposals;
    qsort(idx, n, sizeof(*idx), cmp_index);
    sort_props = NULL;
    for (size_t k = 0; k < g->n_members; k++)
        m[k] = (struct by_node){scw_aggregate_workload_at(in->agg, g->members[k])->node,
                                g->members[k]};
    qsort(m, g->n_members, sizeof(*m), cmp_by_node);
    size_t n_nodes = 0;
    for (size_t k = 0; k < g->n_members; k++) {
        if (k == 0 || m[k].node != m[k - 1].node)
            nodes[n_nodes++] = m[k].node;
        const struct scw_workload_advice *wa = &a->workloads[m[k].member];
        for (size_t p = 0; p < wa->n_proposals; p++) {
            /* binary search of the member's (arch, number) among the group's */
            size_t lo = 0, hi = n;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int c = cmp_key(&g->proposals[idx[mid]], &wa->proposals[p]);
                if (c == 0) {
                    lo = mid;
                    break;
                }
                if (c < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo >= n || cmp_key(&g->proposals[idx[lo]], &wa->proposals[p]) != 0)
                continue;
            uint32_t gi = idx[lo];
            if (last[gi] != m[k].node) {
                last[gi] = m[k].node;
                g->proposals[gi].seen_on_nodes++;
            }
        }
    }
    qsort(nodes, n_nodes, sizeof(*nodes), cmp_u32);
    g->completeness.n_nodes = n_nodes;
    free(idx);
    free(last);
    free(m);
    *ret_nodes = nodes;
    return 0;
}

/* Completeness over the group's nodes. */
static void completeness(const struct scw_aggregate *agg, struct scw_advice_group *g,
                         const uint32_t *nodes)
{
    struct scw_advice_completeness *c = &g->completeness;
    for (size_t k = 0; k < c->n_nodes; k++) {
        int64_t from, to;
        struct scw_input_stats st;
        struct scw_agg_drops d;
        scw_aggregate_node_observed(agg, nodes[k], &from, &to);
        scw_aggregate_node_counters(agg, nodes[k], &st, &d);
        const struct scw_agg_node *nd = scw_aggregate_node_at(agg, nodes[k]);
        bool replay = (int)nodes[k] == scw_aggregate_self(agg) && !scw_aggregate_self_live(agg);
        if (!nd->observed_from && !nd->observed_to && !replay)
            c->nodes_unobserved++; /* a version 1 state: its records' span stands in */
        if (from && (!c->observed_from || from < c->observed_from))
            c->observed_from = from;
        if (to > c->observed_to)
            c->observed_to = to;
        c->lost += st.lost;
        c->kernel_lost += st.kernel_lost;
        c->dropped += d.workloads + d.entries; /* executables dropped lose no syscall */
    }
    c->incomplete = c->lost || c->kernel_lost || c->dropped;
    for (size_t i = 0; i < g->n_proposals; i++) {
        const struct scw_proposal *p = &g->proposals[i];
        if ((p->first_sec || p->first_msec) &&
            (!c->last_new ||
             time_after(p->first_sec, p->first_msec, c->last_new_sec, c->last_new_msec))) {
            c->last_new = p;
            c->last_new_sec = p->first_sec;
            c->last_new_msec = p->first_msec;
        }
    }
}

int advise_evidence(const struct scw_advise_input *in, struct scw_advice *a)
{
    a->n_nodes = scw_aggregate_n_nodes(in->agg);
    for (size_t i = 0; i < a->n_workloads; i++)
        for (size_t k = 0; k < a->workloads[i].n_proposals; k++)
            a->workloads[i].proposals[k].seen_on_nodes = 1;
    for (size_t gi = 0; gi < a->n_groups; gi++) {
        struct scw_advice_group *g = &a->groups[gi];
        memset(&g->completeness, 0, sizeof(g->completeness));
        uint32_t *nodes = NULL;
        int rc = group_nodes(in, a, g, &nodes);
        if (rc < 0)
            return rc;
        completeness(in->agg, g, nodes);
        free(nodes);
    }
    return 0;
}

/* ---- the --fail-on gate ---- */

static const struct {
    const char *name;
    unsigned bit;
} gate_names[] = {
    {"review", SCW_GATE_REVIEW},
    {"deny", SCW_GATE_DENY},
    {"incomplete", SCW_GATE_INCOMPLETE},
    {"breaks", SCW_GATE_BREAKS},
};

int scw_advice_gate_parse(const char *list, unsigned *ret)
{
    unsigned bits = 0;
    const char *s = list;
    do {
        size_t n = strcspn(s, ",");
        bool found = false;
        for (size_t i = 0; i < sizeof(gate_names) / sizeof(gate_names[0]) && !found; i++)
            if (strlen(gate_names[i].name) == n && strncmp(s, gate_names[i].name, n) == 0) {
                bits |= gate_names[i].bit;
                found = true;
            }
        if (!found)
            return -EINVAL;
        s += n;
    } while (*s++ == ',');
    *ret = bits;
    return 0;
}

static void count(const struct scw_proposal *p, bool group, struct scw_advice_gate_hits *h)
{
    h->review += p->decision == SCW_DECISION_REVIEW;
    h->deny += p->decision == SCW_DECISION_DENY;
    /* as "breaks_if_enforced": not ignored, and the current profile does not allow it */
    h->breaks +=
        group && p->decision != SCW_DECISION_IGNORE && p->current.verdict != SCW_CURRENT_ALLOWED;
}

unsigned scw_advice_gate(const struct scw_advice *a, unsigned mask,
                         struct scw_advice_gate_hits *ret)
{
    struct scw_advice_gate_hits h = {0};
    for (size_t gi = 0; gi < a->n_groups; gi++) {
        const struct scw_advice_group *g = &a->groups[gi];
        h.incomplete += g->completeness.incomplete;
        for (size_t i = 0; i < g->n_proposals; i++)
            count(&g->proposals[i], true, &h);
    }
    for (size_t w = 0; w < a->n_workloads; w++)
        if (a->workloads[w].group < 0)
            for (size_t i = 0; i < a->workloads[w].n_proposals; i++)
                count(&a->workloads[w].proposals[i], false, &h);
    unsigned hit = 0;
    hit |= (mask & SCW_GATE_REVIEW) && h.review ? SCW_GATE_REVIEW : 0;
    hit |= (mask & SCW_GATE_DENY) && h.deny ? SCW_GATE_DENY : 0;
    hit |= (mask & SCW_GATE_INCOMPLETE) && h.incomplete ? SCW_GATE_INCOMPLETE : 0;
    hit |= (mask & SCW_GATE_BREAKS) && h.breaks ? SCW_GATE_BREAKS : 0;
    if (ret)
        *ret = h;
    return hit;
}
