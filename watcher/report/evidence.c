/*
 * evidence: the evidence of completeness and coverage, as text and JSON (see evidence.h).
 * Key names are an interface (scmpwatch-suggest(1)): keys are only ever added.
 */
#include "evidence.h"

#include <string.h>

#include "json.h"
#include "report.h"

void scw_evidence_fmt_duration(int64_t s, char *buf, size_t cap)
{
    static const struct {
        int64_t sec;
        const char *unit;
    } units[] = {{86400, "d"}, {3600, "h"}, {60, "min"}, {1, "s"}};
    if (s <= 0) {
        snprintf(buf, cap, "0 s");
        return;
    }
    size_t n = 0, shown = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && shown < 2; i++) {
        int64_t v = s / units[i].sec;
        if (!v && !shown)
            continue;
        s -= v * units[i].sec;
        shown++;
        if (!v)
            break; /* "3 h", not "3 h 0 min" */
        n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%lld %s", n ? " " : "",
                              (long long)v, units[i].unit);
        if (n >= cap)
            break;
    }
}

static void fmt_syscall(const struct scw_proposal *p, char *buf, size_t cap)
{
    if (p->named)
        snprintf(buf, cap, "%s", p->syscall);
    else
        snprintf(buf, cap, "unknown(%u)", p->nr);
}

json_t *scw_evidence_group_json(const struct scw_aggregate *agg, const struct scw_advice_group *g)
{
    (void)agg;
    const struct scw_advice_completeness *c = &g->completeness;
    json_t *o = json_object();
    bool known = c->observed_from && c->observed_to;
    json_object_set_new(o, "complete", json_boolean(!c->incomplete));
    json_object_set_new(o, "observed_from", scw_json_time(c->observed_from, 0));
    json_object_set_new(o, "observed_to", scw_json_time(c->observed_to, 0));
    json_object_set_new(o, "observed_seconds",
                        known ? json_integer((json_int_t)(c->observed_to - c->observed_from))
                              : json_null());
    json_object_set_new(o, "nodes", json_integer((json_int_t)c->n_nodes));
    json_object_set_new(o, "nodes_unobserved", json_integer((json_int_t)c->nodes_unobserved));
    char sys[64] = "";
    if (c->last_new)
        fmt_syscall(c->last_new, sys, sizeof(sys));
    json_object_set_new(o, "last_new_syscall", c->last_new ? json_string(sys) : json_null());
    json_object_set_new(o, "last_new_seen", scw_json_time(c->last_new_sec, c->last_new_msec));
    int64_t quiet = c->observed_to && c->last_new ? c->observed_to - c->last_new_sec : -1;
    json_object_set_new(o, "quiet_seconds",
                        quiet >= 0 ? json_integer((json_int_t)quiet) : json_null());
    json_t *lost = json_object();
    json_object_set_new(lost, "lost", json_integer((json_int_t)c->lost));
    json_object_set_new(lost, "kernel_lost", json_integer((json_int_t)c->kernel_lost));
    json_object_set_new(lost, "dropped_at_bounds", json_integer((json_int_t)c->dropped));
    json_object_set_new(o, "loss", lost);
    return o;
}

json_t *scw_evidence_group_nodes_json(const struct scw_aggregate *agg,
                                      const struct scw_advice_group *g)
{
    json_t *v = json_array();
    for (size_t n = 0; n < scw_aggregate_n_nodes(agg); n++)
        for (size_t m = 0; m < g->n_members; m++)
            if (scw_aggregate_workload_at(agg, g->members[m])->node == n) {
                json_array_append_new(v, json_string(scw_aggregate_node_at(agg, n)->label));
                break;
            }
    return v;
}

void scw_evidence_proposal_json(json_t *o, const struct scw_proposal *p,
                                const struct scw_advice_group *g)
{
    char cov[48];
    snprintf(cov, sizeof(cov), "%u of %zu", p->seen_on_nodes, g->completeness.n_nodes);
    json_object_set_new(o, "seen_on_nodes", json_integer(p->seen_on_nodes));
    json_object_set_new(o, "nodes", json_integer((json_int_t)g->completeness.n_nodes));
    json_object_set_new(o, "node_coverage", json_string(cov));
}

void scw_evidence_put_group(FILE *out, const struct scw_advice_group *g, const char *warn,
                            const char *reset)
{
    const struct scw_advice_completeness *c = &g->completeness;
    char quiet[48], span[48], f[40], l[40], sys[64] = "";
    if (c->last_new)
        fmt_syscall(c->last_new, sys, sizeof(sys));
    if (c->observed_from && c->observed_to && c->last_new) {
        scw_evidence_fmt_duration(c->observed_to - c->last_new_sec, quiet, sizeof(quiet));
        scw_evidence_fmt_duration(c->observed_to - c->observed_from, span, sizeof(span));
        scw_report_fmt_time(c->observed_from, 0, f, sizeof(f));
        scw_report_fmt_time(c->observed_to, 0, l, sizeof(l));
        fprintf(out,
                "  completeness: no new syscall for %s over %s of observation (the last new: "
                "%s; observed %.19s to %.19s UTC",
                quiet, span, sys, f, l);
        if (c->n_nodes > 1)
            fprintf(out, ", %zu nodes", c->n_nodes);
        if (c->nodes_unobserved == c->n_nodes)
            fputs("; from the records: the state records no observation time", out);
        else if (c->nodes_unobserved)
            fprintf(out, "; %zu of them record no observation time: their records count",
                    c->nodes_unobserved);
        fputs(")\n", out);
    } else if (c->last_new) {
        scw_report_fmt_time(c->last_new_sec, c->last_new_msec, l, sizeof(l));
        fprintf(out,
                "  completeness: the last new syscall, %s, was first seen %s UTC; how long it "
                "was observed is unknown (a state written before scmpwatch recorded it)\n",
                sys, l);
    }
    if (!c->incomplete)
        return;
    char a[32], b[32], d[32];
    scw_report_fmt_count(c->lost, a, sizeof(a));
    scw_report_fmt_count(c->kernel_lost, b, sizeof(b));
    scw_report_fmt_count(c->dropped, d, sizeof(d));
    fprintf(out,
            "  %sINCOMPLETE%s: records were lost on %s while it was observed: %s lost by the "
            "reader, %s by the kernel (its audit lost counter), %s events dropped at the "
            "bounds; syscalls may be missing (input.nodes has each node's figures)\n",
            warn, reset, c->n_nodes == 1 ? "its node" : "its nodes", a, b, d);
}

void scw_evidence_put_nodes(FILE *out, const struct scw_proposal *p, size_t nodes)
{
    if (nodes)
        fprintf(out, " on %u of %zu node%s", p->seen_on_nodes, nodes, nodes == 1 ? "" : "s");
}

void scw_evidence_put_node_of(FILE *out, const struct scw_aggregate *agg,
                              const struct scw_workload *w)
{
    if (scw_aggregate_n_nodes(agg) > 1) {
        fputs(" on ", out);
        scw_report_put_safe(out, scw_aggregate_node_at(agg, w->node)->label);
    }
}

void scw_evidence_put_first_seen(FILE *out, const struct scw_proposal *p)
{
    if (!p->first_sec && !p->first_msec)
        return;
    char t[40];
    scw_report_fmt_time(p->first_sec, p->first_msec, t, sizeof(t));
    fprintf(out, "      first seen:  %s UTC\n", t);
}

/* The first few proposals with a property, "api: mknod, chmod; web: ptrace". */
static void put_examples(FILE *out, const struct scw_advice *a, unsigned bit)
{
    size_t shown = 0;
    for (size_t gi = 0; gi < a->n_groups && shown < 5; gi++) {
        const struct scw_advice_group *g = &a->groups[gi];
        size_t here = 0;
        if (bit == SCW_GATE_INCOMPLETE) {
            if (g->completeness.incomplete)
                fprintf(out, "%s%s", shown++ ? ", " : " (", g->name);
            continue;
        }
        for (size_t i = 0; i < g->n_proposals && shown < 5; i++) {
            const struct scw_proposal *p = &g->proposals[i];
            bool hit = bit == SCW_GATE_REVIEW   ? p->decision == SCW_DECISION_REVIEW
                       : bit == SCW_GATE_DENY   ? p->decision == SCW_DECISION_DENY
                       : bit == SCW_GATE_BREAKS ? p->decision != SCW_DECISION_IGNORE &&
                                                      p->current.verdict != SCW_CURRENT_ALLOWED
                                                : false;
            if (!hit)
                continue;
            char sys[64];
            fmt_syscall(p, sys, sizeof(sys));
            fprintf(out, "%s%s%s", shown ? (here ? ", " : "; ") : " (", here ? "" : g->name,
                    here ? "" : ": ");
            fputs(sys, out);
            here++;
            shown++;
        }
    }
    if (shown)
        fputs(shown >= 5 ? ", ...)" : ")", out);
}

bool scw_evidence_gate_report(const struct scw_advice *a, unsigned mask, const char *cmd, FILE *out)
{
    struct scw_advice_gate_hits h;
    unsigned hit = scw_advice_gate(a, mask, &h);
    if (!hit)
        return false;
    static const struct {
        unsigned bit;
        const char *what;
    } kinds[] = {{SCW_GATE_REVIEW, "to review"},
                 {SCW_GATE_DENY, "denied"},
                 {SCW_GATE_INCOMPLETE, "incomplete"},
                 {SCW_GATE_BREAKS, "that enforcing the current profile would break"}};
    fprintf(out, "scmpwatch %s: --fail-on:", cmd);
    size_t k = 0;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (!(hit & kinds[i].bit))
            continue;
        size_t n = kinds[i].bit == SCW_GATE_REVIEW   ? h.review
                   : kinds[i].bit == SCW_GATE_DENY   ? h.deny
                   : kinds[i].bit == SCW_GATE_BREAKS ? h.breaks
                                                     : h.incomplete;
        bool groups = kinds[i].bit == SCW_GATE_INCOMPLETE;
        fprintf(out, "%s %zu %s%s %s", k++ ? ";" : "", n, groups ? "profile group" : "proposal",
                n == 1 ? "" : "s", kinds[i].what);
        put_examples(out, a, kinds[i].bit);
    }
    fputs(" (exit 4)\n", out);
    return true;
}
