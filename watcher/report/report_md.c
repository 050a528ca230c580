/*
 * report_md: the proposals as GitHub-flavoured Markdown, for a pull-request comment: per
 * profile group the decision table (a colour mark, rule, reason, count, coverage, what the
 * current profile does, the person who decided or the block that overrode them), what breaks
 * if the current profile were enforced, and the tuned profile. A comment has a size limit
 * (GitHub's is 65,536 characters): the document is built piece by piece (a heading, a table
 * row) and what does not fit is summarised in one last line ("... and 120 more syscalls in 14
 * groups: see the JSON report"). Strings a container or a rule file controls go through
 * report_esc.c (| and ` cannot end a cell or open code). Caller: propose_out.c, tests.
 */
#include "advice_report.h"
#include "advice_report_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "report_esc.h"
#include "rules.h"

#define MD_RESERVE 256 /* kept for the summary line */

struct md {
    char *buf;
    size_t len, max;
    bool full;          /* a piece did not fit: from here on only count */
    size_t more_sys;    /* proposals left out */
    size_t more_groups; /* groups with proposals left out */
    size_t more_lone;   /* workloads without a profile left out */
    FILE *piece;        /* the piece being written */
    char *piece_buf;
    size_t piece_len;
    int err;
};

static FILE *piece(struct md *m)
{
    m->piece = open_memstream(&m->piece_buf, &m->piece_len);
    if (!m->piece)
        m->err = -ENOMEM;
    return m->piece;
}

/* Keep the piece if it fits; returns whether it was kept. */
static bool keep(struct md *m)
{
    bool kept = false;
    if (fclose(m->piece) != 0) {
        m->err = -ENOMEM;
    } else if (!m->full && m->len + m->piece_len + MD_RESERVE <= m->max) {
        char *nb = realloc(m->buf, m->len + m->piece_len + 1);
        if (nb) {
            memcpy(nb + m->len, m->piece_buf, m->piece_len);
            m->buf = nb;
            m->len += m->piece_len;
            m->buf[m->len] = '\0';
            kept = true;
        } else {
            m->err = -ENOMEM;
        }
    } else {
        m->full = true;
    }
    free(m->piece_buf);
    m->piece = NULL;
    m->piece_buf = NULL;
    return kept;
}

static void esc(FILE *out, const char *s)
{
    scw_esc_put(out, SCW_ESC_MARKDOWN, s);
}

static const char *mark(enum scw_decision_kind d)
{
    switch (d) {
    case SCW_DECISION_ALLOW:
        return "\xf0\x9f\x9f\xa2"; /* green circle */
    case SCW_DECISION_DENY:
        return "\xf0\x9f\x94\xb4"; /* red circle */
    case SCW_DECISION_REVIEW:
        return "\xf0\x9f\x9f\xa1"; /* yellow circle */
    case SCW_DECISION_IGNORE:
        return "\xe2\x9a\xaa"; /* white circle */
    case SCW_DECISION_MAX:
    case SCW_DECISION_INVALID:
        break;
    }
    return "?";
}

static void row(FILE *out, const struct scw_proposal *p, size_t members)
{
    char sys[64], arch[16], cnt[32], act[64];
    scw_advice_fmt_syscall(p, sys, sizeof(sys));
    scw_advice_fmt_arch(p, arch, sizeof(arch));
    scw_report_fmt_count(p->count, cnt, sizeof(cnt));
    fprintf(out, "| %s | `%s` | %s | **%s**", mark(p->decision), sys, arch,
            scw_decision_name(p->decision));
    if (p->demoted) {
        fprintf(out, " (%s demoted: ", scw_decision_name(p->undemoted));
        esc(out, p->demoted_why);
        fputc(')', out);
    }
    fputs(" | ", out);
    esc(out, p->rule ? p->rule : "?");
    fputs(" | ", out);
    esc(out, p->reason ? p->reason : "");
    if (p->blocked) {
        fputs(" **vulnerability block: outranks every rule**", out);
        if (p->evidence) {
            fputs("; ", out);
            esc(out, p->evidence);
        }
    }
    fprintf(out, " | %s | %u of %zu | ", cnt, p->seen_in, members);
    if (p->current.verdict == SCW_CURRENT_UNKNOWN) {
        fputs("unknown", out);
    } else {
        scw_advice_fmt_action(p->current.action, p->current.errno_value, act, sizeof(act));
        fprintf(out, "%s (", scw_current_name(p->current.verdict));
        esc(out, act);
        fputc(')', out);
    }
    fputs(" | ", out);
    const struct scw_human_decision *h = p->human;
    if (h) {
        if (p->human_overridden)
            fputs("**overridden by the block:** ", out);
        fprintf(out, "%s by ", scw_decision_name(h->decision));
        esc(out, h->by ? h->by : "someone");
        if (h->reason) {
            fputs(": ", out);
            esc(out, h->reason);
        }
    }
    fputs(" |\n", out);
}

static void group_head(FILE *out, const struct scw_aggregate *agg, const struct scw_advice_group *g,
                       const struct scw_advise_profile *prof, const struct scw_advice_output *o)
{
    const char *noun = scw_advice_group_noun(agg, g);
    char ev[32], f[40], l[40];
    scw_report_fmt_count(g->events, ev, sizeof(ev));
    scw_report_fmt_time(g->first_sec, g->first_msec, f, sizeof(f));
    scw_report_fmt_time(g->last_sec, g->last_msec, l, sizeof(l));
    fputs("\n### Profile group ", out);
    esc(out, g->name);
    fprintf(out, ": %zu %s%s\n\n", g->n_members, noun, g->n_members == 1 ? "" : "s");
    esc(out, g->path ? g->path : "?");
    fprintf(out, " (%s)", scw_advice_source_words(g->source));
    if (prof) {
        char def[64];
        scw_advice_fmt_action(prof->default_action, prof->default_errno, def, sizeof(def));
        fprintf(out, ", %s", prof->log_only ? "log-only: " : "default ");
        esc(out, def);
    }
    fprintf(out, "; %s events, %s to %s UTC. ", ev, f, l);
    for (size_t m = 0; m < g->n_members && m < 5; m++) {
        fputs(m ? ", " : "", out);
        scw_esc_workload(out, SCW_ESC_MARKDOWN, scw_aggregate_workload_at(agg, g->members[m]));
    }
    if (g->n_members > 5)
        fprintf(out, " and %zu more", g->n_members - 5);
    char drift[1024];
    bool alarm = false;
    if (o && scw_advice_drift_sentence(&o->drift, drift, sizeof(drift), &alarm)) {
        fputs(alarm ? "\n\n> **Source of truth:** " : "\n\n**Source of truth:** ", out);
        esc(out, drift);
    }
    fputs("\n\n|   | Syscall | Arch | Decision | Rule | Reason | Count | Seen in | Current profile "
          "| Person |\n|---|---|---|---|---|---|--:|---|---|---|\n",
          out);
}

static void group_tail(FILE *out, const struct scw_advice_group *g,
                       const struct scw_advise_profile *prof)
{
    size_t nb = 0;
    fputs("\n**What breaks if you enforce the current profile:** ", out);
    for (size_t i = 0; i < g->n_proposals; i++) {
        const struct scw_proposal *p = &g->proposals[i];
        if (!scw_advice_breaks(p))
            continue;
        char sys[64], cnt[32];
        scw_advice_fmt_syscall(p, sys, sizeof(sys));
        scw_report_fmt_count(p->count, cnt, sizeof(cnt));
        fprintf(out, "%s`%s` (%s)", nb++ ? ", " : "", sys, cnt);
    }
    if (!prof)
        fputs(nb ? " (the profile is unknown)" : "unknown without the profile", out);
    else if (!nb)
        fputs("nothing, it already allows every logged syscall", out);
    fputs(".\n\n**Tuned profile:** ", out);
    if (g->n_allow) {
        fprintf(out, "allows %zu syscall%s (", g->n_allow, g->n_allow == 1 ? "" : "s");
        for (size_t i = 0; i < g->n_allow; i++)
            fprintf(out, "%s`%s`", i ? ", " : "", g->allow[i]);
        fputc(')', out);
    } else {
        fputs("allows nothing new", out);
    }
    size_t kept = 0;
    for (size_t i = 0; i < g->n_proposals; i++) {
        const struct scw_proposal *p = &g->proposals[i];
        if (!scw_advice_kept_refused(p))
            continue;
        char sys[64];
        scw_advice_fmt_syscall(p, sys, sizeof(sys));
        fprintf(out, "%s`%s` (%s)", kept++ ? ", " : "; keeps refused ", sys,
                scw_decision_name(p->decision));
    }
    fputs(".\n", out);
    const struct scw_advice_completeness *c = &g->completeness;
    char d[48];
    fputs(c->incomplete ? "\n> **INCOMPLETE:** " : "\n**Completeness:** ", out);
    fprintf(out, "records lost %llu, kernel lost counter %llu, events dropped %llu",
            (unsigned long long)c->lost, (unsigned long long)c->kernel_lost,
            (unsigned long long)c->dropped);
    if (c->observed_from && c->observed_to) {
        scw_evidence_fmt_duration(c->observed_to - c->observed_from, d, sizeof(d));
        fprintf(out, "; observed for %s", d);
    }
    if (c->last_new && c->observed_to) {
        char sys[64];
        scw_advice_fmt_syscall(c->last_new, sys, sizeof(sys));
        scw_evidence_fmt_duration(c->observed_to - c->last_new_sec, d, sizeof(d));
        fprintf(out, "; no new syscall for %s (the last new: `%s`)", d, sys);
    }
    if (c->n_nodes > 1)
        fprintf(out, "; on %zu nodes", c->n_nodes);
    fputs(".\n", out);
}

/* The table rows, deny first: what a reviewer must look at fits before what is routine. */
static void group(struct md *m, const struct scw_aggregate *agg, const struct scw_advice_group *g,
                  const struct scw_advise_profile *prof, const struct scw_advice_output *o)
{
    static const enum scw_decision_kind order[] = {SCW_DECISION_DENY, SCW_DECISION_REVIEW,
                                                   SCW_DECISION_ALLOW, SCW_DECISION_IGNORE};
    size_t left = g->n_proposals;
    if (!m->full && piece(m)) {
        group_head(m->piece, agg, g, prof, o);
        keep(m);
    }
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]) && !m->full && !m->err; k++)
        for (size_t i = 0; i < g->n_proposals && !m->full && !m->err; i++) {
            if (g->proposals[i].decision != order[k])
                continue;
            if (piece(m)) {
                row(m->piece, &g->proposals[i], g->n_members);
                left -= keep(m);
            }
        }
    if (!m->full && !m->err && piece(m)) {
        group_tail(m->piece, g, prof);
        keep(m);
    }
    if (left) {
        m->more_sys += left;
        m->more_groups++;
    }
}

static void head(FILE *out, const struct scw_aggregate *agg, const struct scw_advice *a,
                 const struct scw_advice_report_opts *o)
{
    const struct scw_input_stats *in = scw_aggregate_stats((struct scw_aggregate *)agg);
    const struct scw_agg_drops *d = scw_aggregate_drops(agg);
    char enforce[64];
    scw_advice_fmt_action(a->enforce_action, a->enforce_errno, enforce, sizeof(enforce));
    fputs("## ", out);
    esc(out, o->report.title ? o->report.title : "scmpwatch");
    fprintf(out, ": proposals for %zu workload%s in %zu profile group%s\n\nRules: ", a->n_workloads,
            a->n_workloads == 1 ? "" : "s", a->n_groups, a->n_groups == 1 ? "" : "s");
    for (size_t i = 0; i < o->n_rule_files; i++) {
        fputs(i ? ", " : "", out);
        esc(out, o->rule_files[i]);
    }
    fprintf(out,
            "%s. Tuned profiles refuse with %s. Legend: %s allow, %s review, %s deny, %s "
            "ignore.\n",
            o->n_rule_files ? "" : "-", enforce, mark(SCW_DECISION_ALLOW),
            mark(SCW_DECISION_REVIEW), mark(SCW_DECISION_DENY), mark(SCW_DECISION_IGNORE));
    if (in->lost || in->kernel_lost || in->malformed || in->read_errors || d->workloads ||
        d->entries)
        fprintf(out,
                "\n> **Incomplete evidence:** %llu records lost, kernel lost counter %llu, "
                "%llu malformed lines, %llu unreadable inputs, %llu events dropped (tables "
                "full): a syscall missing here may still be used.\n",
                (unsigned long long)in->lost, (unsigned long long)in->kernel_lost,
                (unsigned long long)in->malformed, (unsigned long long)in->read_errors,
                (unsigned long long)(d->workloads + d->entries));
    if (a->n_workloads == 0)
        fputs("\nno SECCOMP events\n", out);
}

static void lone(struct md *m, const struct scw_aggregate *agg, const struct scw_advice *a)
{
    bool first = true;
    for (size_t i = 0; i < a->n_workloads && !m->err; i++) {
        const struct scw_workload_advice *wa = &a->workloads[i];
        if (wa->group >= 0)
            continue;
        if (m->full) {
            m->more_lone++;
            continue;
        }
        if (first && piece(m)) {
            fputs("\n### Workloads without a known profile\n\n| Workload | Events | Syscalls | "
                  "Deny |\n|---|--:|--:|--:|\n",
                  m->piece);
            if (!keep(m)) {
                m->more_lone++;
                continue;
            }
            first = false;
        }
        if (!piece(m))
            break;
        size_t deny = 0;
        for (size_t k = 0; k < wa->n_proposals; k++)
            deny += wa->proposals[k].decision == SCW_DECISION_DENY;
        const struct scw_workload *w = scw_aggregate_workload_at(agg, i);
        char ev[32];
        scw_report_fmt_count(w->events, ev, sizeof(ev));
        fputs("| ", m->piece);
        scw_esc_workload(m->piece, SCW_ESC_MARKDOWN, w);
        fprintf(m->piece, " | %s | %zu | %zu |\n", ev, wa->n_proposals, deny);
        if (!keep(m))
            m->more_lone++;
    }
}

int scw_advice_write_markdown_max(const struct scw_aggregate *agg, const struct scw_advice *a,
                                  const struct scw_advice_report_opts *o, size_t max, FILE *out)
{
    struct md m = {.max = max};
    if (piece(&m)) {
        head(m.piece, agg, a, o);
        keep(&m);
    }
    for (size_t gi = 0; gi < a->n_groups && !m.err; gi++)
        group(&m, agg, &a->groups[gi], scw_advice_profile_at(o, a->groups[gi].profile),
              o->outputs ? &o->outputs[gi] : NULL);
    lone(&m, agg, a);
    if (m.err) {
        free(m.buf);
        return m.err;
    }
    if (m.buf)
        fwrite(m.buf, 1, m.len, out);
    if (m.more_sys || m.more_lone) {
        /* at most MD_RESERVE bytes: the pieces above left that much */
        fputs("\n... and ", out);
        if (m.more_sys)
            fprintf(out, "%zu more syscall%s in %zu group%s", m.more_sys,
                    m.more_sys == 1 ? "" : "s", m.more_groups, m.more_groups == 1 ? "" : "s");
        if (m.more_lone)
            fprintf(out, "%s%zu more workload%s without a profile", m.more_sys ? " and " : "",
                    m.more_lone, m.more_lone == 1 ? "" : "s");
        fputs(": see the JSON report (`--format json`).\n", out);
    }
    free(m.buf);
    return ferror(out) ? -EIO : 0;
}

int scw_advice_write_markdown(const struct scw_aggregate *agg, const struct scw_advice *a,
                              const struct scw_advice_report_opts *o, FILE *out)
{
    return scw_advice_write_markdown_max(agg, a, o, SCW_ADVICE_MARKDOWN_MAX, out);
}
