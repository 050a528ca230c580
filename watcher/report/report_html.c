/*
 * report_html: the proposals as one self-contained HTML page, for a person deciding. No
 * script, no network: the CSS is inline, the charts are inline SVG (svg.c), and a
 * Content-Security-Policy forbids anything else, so the page reads the same offline, in a
 * mail attachment or on paper (@media print). Per profile group: the decision table (colours,
 * rules, reasons, people's decisions and the vulnerability blocks that overrode them), what
 * breaks if the current profile were enforced, the tuned profile, a coverage matrix (members
 * x syscalls, cell = count), a timeline per syscall and the completeness of the evidence.
 *
 * Every string a container or a rule file controls goes through report_esc.c. It decides
 * nothing (advise.c) and writes only what it is given. Caller: propose_out.c, tests.
 */
#include "advice_report.h"
#include "advice_report_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "report_esc.h"
#include "rules.h"
#include "svg.h"

/* Bounds of one group's sections: the JSON report has everything. */
#define HTML_MEMBERS_MAX  100  /* rows of the member list and of the coverage matrix */
#define HTML_MATRIX_COLS  60   /* syscalls in the coverage matrix (the most frequent) */
#define HTML_TIMELINE_MAX 300  /* rows of the timeline */
#define HTML_LONE_MAX     1000 /* workloads without a profile listed */
#define HTML_LABELS_MAX   8    /* labels shown per member */

static const char css[] =
    ":root{--allow:#2e7d32;--deny:#c62828;--review:#ef8f00;--ignore:#8a8a8a;--ink:#1b1b1b;"
    "--line:#d0d0d0}\n"
    "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--ink);"
    "margin:1.5em auto;max-width:1280px;padding:0 1em}\n"
    "h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:2px solid var(--ink);margin-top:2em}"
    "h3{font-size:1.05em;margin:1.2em 0 .4em}\n"
    "code,.mono{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.92em}\n"
    "table{border-collapse:collapse;margin:.3em 0 1em;font-size:.92em}"
    "th,td{border:1px solid var(--line);padding:2px 6px;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".d{font-weight:bold;color:#fff;border-radius:3px;padding:0 5px;white-space:nowrap}"
    ".d.allow{background:var(--allow)}.d.deny{background:var(--deny)}"
    ".d.review{background:var(--review)}.d.ignore{background:var(--ignore)}\n"
    "tr.allow td:first-child{border-left:4px solid var(--allow)}"
    "tr.deny td:first-child{border-left:4px solid var(--deny)}"
    "tr.review td:first-child{border-left:4px solid var(--review)}"
    "tr.ignore td:first-child{border-left:4px solid var(--ignore)}\n"
    "svg rect.allow{fill:var(--allow)}svg rect.deny{fill:var(--deny)}"
    "svg rect.review{fill:var(--review)}svg rect.ignore{fill:var(--ignore)}\n"
    "svg text{font:11px ui-monospace,monospace;fill:var(--ink)}svg .axis{stroke:#888}"
    "svg .tick{font-size:10px;fill:#555}\n"
    ".warn{color:var(--deny);font-weight:bold}.ok{color:var(--allow)}.dim{color:#666}\n"
    ".matrix td{min-width:2.2em;text-align:right;font-size:.85em}"
    ".matrix th.v{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal}"
    ".h0{background:#fff}.h1{background:#e3eefa}.h2{background:#b9d4f1}"
    ".h3{background:#7fb0e6}.h4{background:#3d7fcc;color:#fff}\n"
    ".scroll{overflow-x:auto}nav ul{columns:3}\n"
    "@media print{body{max-width:none;margin:0;font-size:10pt}nav{display:none}"
    ".scroll{overflow:visible}h2{break-before:page}h2:first-of-type{break-before:auto}"
    "tr,svg{break-inside:avoid}th{background:#eee!important}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void esc(FILE *out, const char *s)
{
    scw_esc_put(out, SCW_ESC_HTML, s);
}

static int64_t ms(int64_t sec, uint32_t msec)
{
    return sec * 1000 + msec;
}

static void put_time(FILE *out, int64_t sec, uint32_t msec)
{
    char t[40];
    scw_report_fmt_time(sec, msec, t, sizeof(t));
    fputs(t, out);
}

static void put_count(FILE *out, uint64_t n)
{
    char c[32];
    scw_report_fmt_count(n, c, sizeof(c));
    fputs(c, out);
}

static void put_decision(FILE *out, enum scw_decision_kind d)
{
    fprintf(out, "<span class=\"d %s\">%s</span>", scw_advice_decision_class(d),
            scw_decision_name(d) ? scw_decision_name(d) : "?");
}

static void put_exes(FILE *out, const struct scw_aggregate *agg, const uint32_t *ids, unsigned n,
                     bool truncated)
{
    for (unsigned i = 0; i < n; i++) {
        fputs(i ? ", <code>" : "<code>", out);
        esc(out, scw_aggregate_string(agg, ids[i]));
        fputs("</code>", out);
    }
    if (truncated)
        fputs(", &hellip;", out);
    if (n == 0 && !truncated)
        fputs("-", out);
}

/* What the current profile does with the call, in a few words. */
static void put_current(FILE *out, const struct scw_advise_answer *c)
{
    char act[64];
    if (c->verdict == SCW_CURRENT_UNKNOWN) {
        fputs("<span class=\"dim\">unknown</span>", out);
        return;
    }
    scw_advice_fmt_action(c->action, c->errno_value, act, sizeof(act));
    fprintf(out, "%s", scw_current_name(c->verdict) ? scw_current_name(c->verdict) : "?");
    if (c->entry >= 0)
        fprintf(out, " by syscalls[%ld]", c->entry);
    fputs(" (", out);
    esc(out, act);
    fputs(")", out);
    if (c->note) {
        fputs("; ", out);
        esc(out, c->note);
    }
}

/* The person's decision, or the block that overrode it. */
static void put_human(FILE *out, const struct scw_proposal *p)
{
    const struct scw_human_decision *h = p->human;
    if (!h) {
        fputs("-", out);
        return;
    }
    if (p->human_overridden)
        fputs("<span class=\"warn\">OVERRIDDEN by the vulnerability block</span>: ", out);
    put_decision(out, h->decision);
    fputs(" by ", out);
    esc(out, h->by ? h->by : "someone");
    if (h->at) {
        fputs(", ", out);
        esc(out, h->at);
    }
    if (h->where.file) {
        fputs(" <span class=\"dim\">(", out);
        esc(out, h->where.file);
        fprintf(out, ":%u)</span>", h->where.line);
    }
    if (h->reason) {
        fputs(": ", out);
        esc(out, h->reason);
    }
}

static void put_reason(FILE *out, const struct scw_proposal *p)
{
    esc(out, p->reason ? p->reason : "");
    if (p->blocked) {
        fputs("<br><span class=\"warn\">vulnerability block: outranks every rule</span>", out);
        if (p->evidence) {
            fputs("; ", out);
            esc(out, p->evidence);
        }
    }
    if (p->demoted) {
        fputs("<br><span class=\"dim\">", out);
        esc(out, scw_decision_name(p->undemoted));
        fputs(" demoted: ", out);
        esc(out, p->demoted_why);
        fputs("</span>", out);
    }
    if (p->link) {
        /* an href a rule file chose: only http(s), and escaped */
        bool web = strncmp(p->link, "https://", 8) == 0 || strncmp(p->link, "http://", 7) == 0;
        fputs("<br>", out);
        if (web) {
            fputs("<a href=\"", out);
            esc(out, p->link);
            fputs("\">", out);
        }
        esc(out, p->link);
        if (web)
            fputs("</a>", out);
    }
}

static void decision_table(FILE *out, const struct scw_aggregate *agg,
                           const struct scw_advice_group *g)
{
    static const enum scw_decision_kind order[] = {SCW_DECISION_DENY, SCW_DECISION_REVIEW,
                                                   SCW_DECISION_ALLOW, SCW_DECISION_IGNORE};
    fputs("<h3>Decisions</h3>\n<div class=\"scroll\"><table class=\"decisions\"><tr><th>Syscall"
          "</th><th>Arch</th><th>Decision</th><th>Rule</th><th>Reason</th><th>Count</th>"
          "<th>Processes</th><th>Seen in</th><th>Executables</th><th>Current profile</th>"
          "<th>Person</th></tr>\n",
          out);
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
        for (size_t i = 0; i < g->n_proposals; i++) {
            const struct scw_proposal *p = &g->proposals[i];
            if (p->decision != order[k])
                continue;
            char sys[64], arch[16];
            scw_advice_fmt_syscall(p, sys, sizeof(sys));
            scw_advice_fmt_arch(p, arch, sizeof(arch));
            fprintf(out, "<tr class=\"%s\"><td><code>", scw_advice_decision_class(p->decision));
            esc(out, sys);
            fprintf(out, "</code></td><td>%s</td><td>", arch);
            put_decision(out, p->decision);
            fputs("</td><td>", out);
            esc(out, p->rule ? p->rule : "?");
            fputs("</td><td>", out);
            put_reason(out, p);
            fputs("</td><td class=\"n\">", out);
            put_count(out, p->count);
            fprintf(out, "</td><td class=\"n\">%u%s</td><td class=\"n\">%u of %zu</td><td>",
                    p->processes, p->processes_truncated ? "+" : "", p->seen_in, g->n_members);
            put_exes(out, agg, p->exes, p->n_exes, p->exes_truncated);
            fputs("</td><td>", out);
            put_current(out, &p->current);
            fputs("</td><td>", out);
            put_human(out, p);
            fputs("</td></tr>\n", out);
        }
    fputs("</table></div>\n", out);
}

static void put_member_row(FILE *out, const struct scw_workload *w)
{
    const struct scw_container *c = w->container;
    fputs("<tr><td>", out);
    scw_esc_workload(out, SCW_ESC_HTML, w);
    fputs("</td><td>", out);
    if (c && c->image)
        esc(out, c->image);
    fputs("</td><td>", out);
    if (c && c->pod) {
        esc(out, c->namespace ? c->namespace : "?");
        fputs("/", out);
        esc(out, c->pod);
    }
    fputs("</td><td>", out);
    for (size_t i = 0; c && c->labels && c->labels[i]; i++) {
        if (i == HTML_LABELS_MAX) {
            fputs(" &hellip;", out);
            break;
        }
        fputs(i ? " <code>" : "<code>", out);
        esc(out, c->labels[i]);
        fputs("</code>", out);
    }
    fputs("</td><td class=\"n\">", out);
    put_count(out, w->events);
    fputs("</td></tr>\n", out);
}

static void members_table(FILE *out, const struct scw_aggregate *agg,
                          const struct scw_advice_group *g, const char *noun)
{
    fprintf(out,
            "<h3>%zu %s%s</h3>\n<div class=\"scroll\"><table><tr><th>Name</th>"
            "<th>Image</th><th>Pod</th><th>Labels</th><th>Events</th></tr>\n",
            g->n_members, noun, g->n_members == 1 ? "" : "s");
    for (size_t m = 0; m < g->n_members && m < HTML_MEMBERS_MAX; m++)
        put_member_row(out, scw_aggregate_workload_at(agg, g->members[m]));
    fputs("</table></div>\n", out);
    if (g->n_members > HTML_MEMBERS_MAX)
        fprintf(out, "<p class=\"dim\">and %zu more (see the JSON report)</p>\n",
                g->n_members - HTML_MEMBERS_MAX);
}

/* A heat class from a count relative to the largest (0: not seen). */
static int heat(uint64_t n, uint64_t max)
{
    if (!n || !max)
        return 0;
    double f = (double)n / (double)max;
    return f > 0.5 ? 4 : f > 0.2 ? 3 : f > 0.05 ? 2 : 1;
}

static void coverage_matrix(FILE *out, const struct scw_aggregate *agg, const struct scw_advice *a,
                            const struct scw_advice_group *g, const char *noun)
{
    size_t cols = g->n_proposals < HTML_MATRIX_COLS ? g->n_proposals : HTML_MATRIX_COLS;
    size_t rows = g->n_members < HTML_MEMBERS_MAX ? g->n_members : HTML_MEMBERS_MAX;
    fprintf(out, "<h3>Coverage: %s%s &times; syscalls (count)</h3>\n", noun, "s");
    if (g->n_proposals > cols || g->n_members > rows)
        fprintf(out,
                "<p class=\"dim\">the %zu most frequent of %zu syscalls, the first %zu of %zu "
                "%ss</p>\n",
                cols, g->n_proposals, rows, g->n_members, noun);
    uint64_t max = 0; /* the largest cell, for the heat classes */
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++) {
            const struct scw_proposal *mp =
                scw_advice_member_proposal(&a->workloads[g->members[r]], &g->proposals[c]);
            if (mp && mp->count > max)
                max = mp->count;
        }
    fputs("<div class=\"scroll\"><table class=\"matrix\"><tr><th></th>", out);
    for (size_t c = 0; c < cols; c++) {
        char sys[64];
        scw_advice_fmt_syscall(&g->proposals[c], sys, sizeof(sys));
        fprintf(out, "<th class=\"v\">");
        esc(out, sys);
        fputs("</th>", out);
    }
    fputs("</tr>\n", out);
    for (size_t r = 0; r < rows; r++) {
        uint32_t wi = g->members[r];
        fputs("<tr><th>", out);
        scw_esc_workload(out, SCW_ESC_HTML, scw_aggregate_workload_at(agg, wi));
        fputs("</th>", out);
        const struct scw_workload_advice *wa = &a->workloads[wi];
        for (size_t c = 0; c < cols; c++) {
            const struct scw_proposal *mp = scw_advice_member_proposal(wa, &g->proposals[c]);
            uint64_t n = mp ? mp->count : 0;
            fprintf(out, "<td class=\"h%d\">", heat(n, max));
            if (n)
                put_count(out, n);
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table></div>\n", out);
}

/*
 * The timeline: one row per syscall over the group's observation window, drawn as bars of its
 * events per interval of the aggregate's time grid (svg.c). A syscall none of whose events has
 * a time (a state written before time buckets) is drawn as its span, first to last seen; how
 * many events have no time is said under the chart.
 */
static int timeline(FILE *out, const struct scw_advice *a, const struct scw_advice_group *g)
{
    size_t n = g->n_proposals < HTML_TIMELINE_MAX ? g->n_proposals : HTML_TIMELINE_MAX;
    fputs("<h3>Timeline</h3>\n", out);
    if (n == 0)
        return 0;
    struct scw_svg_row *rows = calloc(n, sizeof(*rows));
    char(*names)[64] = calloc(n, sizeof(*names));
    uint64_t(*counts)[SCW_ENTRY_BUCKETS] = calloc(n, sizeof(*counts));
    if (!rows || !names || !counts) {
        free(rows);
        free(names);
        free(counts);
        return -ENOMEM;
    }
    const struct scw_agg_grid *grid = &a->grid;
    int first = -1, last = -1; /* the used buckets of the rows shown */
    for (size_t i = 0; i < n; i++) {
        const struct scw_proposal *p = &g->proposals[i];
        uint64_t timed = 0;
        for (int b = 0; b < SCW_ENTRY_BUCKETS; b++) {
            counts[i][b] = p->buckets[b];
            timed += p->buckets[b];
            if (p->buckets[b] && grid->width) {
                first = first < 0 ? b : first;
                last = b > last ? b : last;
            }
        }
        scw_advice_fmt_syscall(p, names[i], sizeof(names[i]));
        rows[i] = (struct scw_svg_row){
            .label = names[i],
            .css_class = scw_advice_decision_class(p->decision),
            .count = p->count,
            .first_ms = ms(p->first_sec, p->first_msec),
            .last_ms = ms(p->last_sec, p->last_msec),
        };
        if (timed && grid->width) {
            rows[i].buckets = counts[i];
            rows[i].n_buckets = SCW_ENTRY_BUCKETS;
            rows[i].bucket0_ms = grid->origin * 1000;
            rows[i].bucket_ms = grid->width * 1000;
        }
    }
    uint64_t untimed = 0;
    for (size_t i = 0; i < g->n_proposals; i++) {
        uint64_t timed = scw_agg_buckets_sum(g->proposals[i].buckets, SCW_ENTRY_BUCKETS);
        untimed += timed < g->proposals[i].count ? g->proposals[i].count - timed : 0;
    }
    /* the window: the group's first to last seen, widened to whole buckets */
    int64_t t0 = ms(g->first_sec, g->first_msec), t1 = ms(g->last_sec, g->last_msec);
    if (first >= 0) {
        int64_t b0 = (grid->origin + first * grid->width) * 1000;
        int64_t b1 = (grid->origin + (last + 1) * grid->width) * 1000;
        t0 = b0 < t0 || !g->first_sec ? b0 : t0;
        t1 = b1 > t1 ? b1 : t1;
    }
    fputs("<div class=\"scroll\">", out);
    scw_svg_timeline(out, rows, n, t0, t1);
    fputs("</div>\n", out);
    if (first >= 0)
        fprintf(out, "<p class=\"dim\">bars: events per %lld s</p>\n", (long long)grid->width);
    if (untimed) {
        fputs("<p class=\"dim\">", out);
        put_count(out, untimed);
        fprintf(out,
                " event%s ha%s no time (read from a state written before time buckets): "
                "counted, not in the bars</p>\n",
                untimed == 1 ? "" : "s", untimed == 1 ? "s" : "ve");
    }
    if (g->n_proposals > n)
        fprintf(out, "<p class=\"dim\">the %zu most frequent of %zu syscalls</p>\n", n,
                g->n_proposals);
    free(rows);
    free(names);
    free(counts);
    return 0;
}

static void breaks_list(FILE *out, const struct scw_aggregate *agg,
                        const struct scw_advise_profile *prof, const struct scw_proposal *p,
                        size_t n, const char *enforce)
{
    size_t nb = 0;
    for (size_t i = 0; i < n; i++)
        nb += scw_advice_breaks(&p[i]);
    fputs("<h3>What breaks if you enforce the current profile</h3>\n", out);
    if (!prof) {
        fputs("<p>unknown without the profile: every syscall above was logged, so it is refused "
              "once enforced (unless an explicit SCMP_ACT_LOG entry logged it).</p>\n",
              out);
        return;
    }
    if (nb == 0) {
        fputs("<p class=\"ok\">nothing: it already allows every logged syscall.</p>\n", out);
        return;
    }
    if (prof->log_only) {
        fputs("<p>The log-only default becomes ", out);
        esc(out, enforce);
        fputs(".</p>\n", out);
    }
    fputs("<table><tr><th>Syscall</th><th>Arch</th><th>Count</th><th>Profile</th>"
          "<th>Decision</th><th>Executables</th></tr>\n",
          out);
    for (size_t i = 0; i < n; i++) {
        if (!scw_advice_breaks(&p[i]))
            continue;
        char sys[64], arch[16];
        scw_advice_fmt_syscall(&p[i], sys, sizeof(sys));
        scw_advice_fmt_arch(&p[i], arch, sizeof(arch));
        fprintf(out, "<tr class=\"%s\"><td><code>%s</code></td><td>%s</td><td class=\"n\">",
                scw_advice_decision_class(p[i].decision), sys, arch);
        put_count(out, p[i].count);
        fprintf(out, "</td><td>%s</td><td>", scw_current_name(p[i].current.verdict));
        put_decision(out, p[i].decision);
        fputs("</td><td>", out);
        put_exes(out, agg, p[i].exes, p[i].n_exes, p[i].exes_truncated);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void tuned(FILE *out, const struct scw_advice_group *g, const struct scw_advice_output *o)
{
    fputs("<h3>Tuned profile</h3>\n<p>", out);
    if (g->n_allow) {
        fprintf(out, "allows %zu syscall%s:", g->n_allow, g->n_allow == 1 ? "" : "s");
        for (size_t i = 0; i < g->n_allow; i++) {
            fputs(i ? ", <code>" : " <code>", out);
            esc(out, g->allow[i]);
            fputs("</code>", out);
        }
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
        fputs(kept++ ? ", <code>" : "; keeps refused <code>", out);
        esc(out, sys);
        fprintf(out, "</code> (%s)", scw_decision_name(p->decision));
    }
    fputs(".</p>\n<p class=\"dim\">comment: ", out);
    esc(out, g->comment);
    fputs("</p>\n", out);
    if (o && o->tuned_path) {
        fputs("<p>written to <code>", out);
        esc(out, o->tuned_path);
        fputs("</code></p>\n", out);
    }
}

/* What the evidence leaves out, per group (advise's completeness, then the bounds hit):
 * without it, "never seen" means little. */
static void group_completeness(FILE *out, const struct scw_advice_group *g)
{
    const struct scw_advice_completeness *c = &g->completeness;
    size_t procs = 0, exes = 0, demoted = 0, unnamed = 0;
    for (size_t i = 0; i < g->n_proposals; i++) {
        procs += g->proposals[i].processes_truncated;
        exes += g->proposals[i].exes_truncated;
        demoted += g->proposals[i].demoted;
        unnamed += !g->proposals[i].named;
    }
    char d[48];
    fprintf(out, "<h3>Completeness</h3>\n<p class=\"%s\">%s</p>\n<ul>",
            c->incomplete ? "warn" : "ok",
            c->incomplete ? "INCOMPLETE: records were lost or dropped while it was observed"
                          : "no record known lost while it was observed");
    if (c->observed_from && c->observed_to) {
        scw_evidence_fmt_duration(c->observed_to - c->observed_from, d, sizeof(d));
        fprintf(out, "<li>observed for %s (", d);
        put_time(out, c->observed_from, 0);
        fputs(" to ", out);
        put_time(out, c->observed_to, 0);
        fputs(" UTC)</li>\n", out);
    }
    if (c->last_new && c->observed_to) {
        char sys[64];
        scw_advice_fmt_syscall(c->last_new, sys, sizeof(sys));
        scw_evidence_fmt_duration(c->observed_to - c->last_new_sec, d, sizeof(d));
        fprintf(out, "<li>no new syscall for %s (the last new: <code>%s</code>, first seen ", d,
                sys);
        put_time(out, c->last_new_sec, c->last_new_msec);
        fputs(" UTC)</li>\n", out);
    }
    if (c->n_nodes > 1 || c->nodes_unobserved)
        fprintf(out, "<li>members on %zu node%s, %zu without a recorded observation</li>\n",
                c->n_nodes, c->n_nodes == 1 ? "" : "s", c->nodes_unobserved);
    fprintf(out,
            "<li%s>records lost %llu, kernel lost counter %llu, events dropped at the "
            "bounds %llu</li>\n",
            c->incomplete ? " class=\"warn\"" : "", (unsigned long long)c->lost,
            (unsigned long long)c->kernel_lost, (unsigned long long)c->dropped);
    fprintf(out,
            "<li>%zu syscall%s demoted by thresholds (too few events or processes to "
            "allow)</li>\n",
            demoted, demoted == 1 ? "" : "s");
    if (procs || exes)
        fprintf(out,
                "<li>%zu syscall%s with more processes, %zu with more executables, than "
                "kept</li>\n",
                procs, procs == 1 ? "" : "s", exes);
    if (unnamed)
        fprintf(out,
                "<li class=\"warn\">%zu syscall number%s libseccomp cannot name (never "
                "allowed)</li>\n",
                unnamed, unnamed == 1 ? "" : "s");
    fputs("</ul>\n", out);
}

static void decision_bar(FILE *out, const struct scw_proposal *p, size_t n)
{
    struct scw_svg_part parts[] = {{0, "allow", "allow"},
                                   {0, "review", "review"},
                                   {0, "deny", "deny"},
                                   {0, "ignore", "ignore"}};
    for (size_t i = 0; i < n; i++) {
        switch (p[i].decision) {
        case SCW_DECISION_ALLOW:
            parts[0].count++;
            break;
        case SCW_DECISION_REVIEW:
            parts[1].count++;
            break;
        case SCW_DECISION_DENY:
            parts[2].count++;
            break;
        case SCW_DECISION_IGNORE:
            parts[3].count++;
            break;
        case SCW_DECISION_MAX:
        case SCW_DECISION_INVALID:
            break;
        }
    }
    scw_svg_stacked_bar(out, parts, sizeof(parts) / sizeof(parts[0]));
}

static void put_profile(FILE *out, const struct scw_advise_profile *prof,
                        enum scw_advise_source source, const char *path)
{
    fputs("<code>", out);
    esc(out, path ? path : "?");
    fprintf(out, "</code> (%s)", scw_advice_source_words(source));
    if (prof) {
        char def[64];
        scw_advice_fmt_action(prof->default_action, prof->default_errno, def, sizeof(def));
        fprintf(out, ", %s", prof->log_only ? "log-only: " : "default ");
        esc(out, def);
    }
}

static int group_section(FILE *out, const struct scw_aggregate *agg, const struct scw_advice *a,
                         size_t gi, const struct scw_advice_report_opts *o, const char *enforce)
{
    const struct scw_advice_group *g = &a->groups[gi];
    const struct scw_advise_profile *prof = scw_advice_profile_at(o, g->profile);
    const char *noun = scw_advice_group_noun(agg, g);
    fputs("<section class=\"group\" id=\"g-", out);
    esc(out, g->name);
    fputs("\">\n<h2>Profile group <code>", out);
    esc(out, g->name);
    fputs("</code></h2>\n<p>", out);
    put_profile(out, prof, g->source, g->path);
    if (g->selector) {
        fputs("; selector <code>", out);
        esc(out, g->selector);
        fputs("</code>", out);
    }
    fprintf(out, "<br>%zu %s%s, ", g->n_members, noun, g->n_members == 1 ? "" : "s");
    put_count(out, g->events);
    fputs(" events, ", out);
    put_time(out, g->first_sec, g->first_msec);
    fputs(" to ", out);
    put_time(out, g->last_sec, g->last_msec);
    fputs(" UTC</p>\n", out);
    char drift[1024];
    bool alarm = false;
    if (o->outputs &&
        scw_advice_drift_sentence(&o->outputs[gi].drift, drift, sizeof(drift), &alarm)) {
        fprintf(out, "<p class=\"%s\"><b>Source of truth:</b> ", alarm ? "warn" : "dim");
        esc(out, drift);
        fputs("</p>\n", out);
    }
    decision_bar(out, g->proposals, g->n_proposals);
    decision_table(out, agg, g);
    breaks_list(out, agg, prof, g->proposals, g->n_proposals, enforce);
    tuned(out, g, o->outputs ? &o->outputs[gi] : NULL);
    coverage_matrix(out, agg, a, g, noun);
    int rc = timeline(out, a, g);
    members_table(out, agg, g, noun);
    group_completeness(out, g);
    fputs("</section>\n", out);
    return rc;
}

/* The input's own losses: what the watcher could not see or keep. */
static void completeness(FILE *out, const struct scw_aggregate *agg)
{
    const struct scw_input_stats *in = scw_aggregate_stats((struct scw_aggregate *)agg);
    const struct scw_agg_drops *d = scw_aggregate_drops(agg);
    bool lossy = in->lost || in->kernel_lost || in->malformed || in->oversized || in->read_errors ||
                 d->workloads || d->entries || d->strings;
    fprintf(out, "<h2>Completeness of the evidence</h2>\n<p class=\"%s\">%s</p>\n",
            lossy ? "warn" : "ok",
            lossy ? "Some events were lost or dropped: a syscall missing below may still be used."
                  : "No event is known lost: every logged event is counted below.");
    struct {
        const char *what;
        uint64_t n;
    } rows[] = {
        {"input lines", in->lines},
        {"SECCOMP records", in->seccomp},
        {"records known lost (serial gaps, ENOBUFS, printk suppression)", in->lost},
        {"the kernel's audit lost counter", in->kernel_lost},
        {"malformed SECCOMP lines skipped", in->malformed},
        {"oversized lines skipped", in->oversized},
        {"events not attributed to a workload", in->unattributed},
        {"inputs that could not be read completely", in->read_errors},
        {"events dropped: workload table full", d->workloads},
        {"events dropped: entry table full", d->entries},
        {"events without their executable: string table full", d->strings},
    };
    fputs("<table>", out);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        fprintf(out, "<tr><td>%s</td><td class=\"n%s\">", rows[i].what,
                i >= 2 && rows[i].n && i != 6 ? " warn" : "");
        put_count(out, rows[i].n);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void lone_workloads(FILE *out, const struct scw_aggregate *agg, const struct scw_advice *a)
{
    size_t lone = 0;
    for (size_t i = 0; i < a->n_workloads; i++)
        lone += a->workloads[i].group < 0;
    if (!lone)
        return;
    fprintf(out,
            "<h2>%zu workload%s without a known profile</h2>\n<p>Give <code>--profile "
            "FILE</code>, or a selector with <code>profile:</code> in the rules.</p>\n"
            "<div class=\"scroll\"><table><tr><th>Workload</th><th>Events</th><th>Syscalls</th>"
            "<th>Deny</th><th>Review</th><th>Allow</th><th>Profile error</th></tr>\n",
            lone, lone == 1 ? "" : "s");
    size_t shown = 0;
    for (size_t i = 0; i < a->n_workloads && shown < HTML_LONE_MAX; i++) {
        const struct scw_workload_advice *wa = &a->workloads[i];
        if (wa->group >= 0)
            continue;
        shown++;
        size_t n[SCW_DECISION_MAX] = {0};
        for (size_t k = 0; k < wa->n_proposals; k++)
            if (wa->proposals[k].decision >= 0 && wa->proposals[k].decision < SCW_DECISION_MAX)
                n[wa->proposals[k].decision]++;
        const struct scw_workload *w = scw_aggregate_workload_at(agg, i);
        fputs("<tr><td>", out);
        scw_esc_workload(out, SCW_ESC_HTML, w);
        fputs("</td><td class=\"n\">", out);
        put_count(out, w->events);
        fprintf(out,
                "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu"
                "</td><td class=\"n\">%zu</td><td>",
                wa->n_proposals, n[SCW_DECISION_DENY], n[SCW_DECISION_REVIEW],
                n[SCW_DECISION_ALLOW]);
        if (wa->error)
            esc(out, wa->error);
        fputs("</td></tr>\n", out);
    }
    fputs("</table></div>\n", out);
    if (lone > shown)
        fprintf(out, "<p class=\"dim\">and %zu more (see the JSON report)</p>\n", lone - shown);
}

int scw_advice_write_html(const struct scw_aggregate *agg, const struct scw_advice *a,
                          const struct scw_advice_report_opts *o, FILE *out)
{
    const char *title = o->report.title ? o->report.title : "scmpwatch";
    char enforce[64];
    scw_advice_fmt_action(a->enforce_action, a->enforce_errno, enforce, sizeof(enforce));
    /* nothing but inline style and data: images may run or load, whatever a name holds */
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          out);
    esc(out, title);
    fprintf(out, ": seccomp proposals</title>\n<style>\n%s</style></head>\n<body>\n<h1>", css);
    esc(out, title);
    fprintf(out, ": proposals for %zu workload%s in %zu profile group%s</h1>\n", a->n_workloads,
            a->n_workloads == 1 ? "" : "s", a->n_groups, a->n_groups == 1 ? "" : "s");
    fputs("<p>Rules: ", out);
    for (size_t i = 0; i < o->n_rule_files; i++) {
        fputs(i ? ", <code>" : "<code>", out);
        esc(out, o->rule_files[i]);
        fputs("</code>", out);
    }
    if (!o->n_rule_files)
        fputs("-", out);
    fputs(".<br>Tuned profiles refuse with ", out);
    esc(out, enforce);
    fputs(". Nothing is enforced by scmpwatch: you read, decide, deploy.</p>\n", out);
    if (a->n_groups) {
        fputs("<nav><ul>", out);
        for (size_t i = 0; i < a->n_groups; i++) {
            fputs("<li><a href=\"#g-", out);
            esc(out, a->groups[i].name);
            fputs("\">", out);
            esc(out, a->groups[i].name);
            fprintf(out, "</a> (%zu)</li>", a->groups[i].n_members);
        }
        fputs("</ul></nav>\n", out);
    }
    completeness(out, agg);
    if (a->n_workloads == 0)
        fputs("<p>no SECCOMP events</p>\n", out);
    int rc = 0;
    for (size_t gi = 0; gi < a->n_groups && rc == 0; gi++)
        rc = group_section(out, agg, a, gi, o, enforce);
    lone_workloads(out, agg, a);
    fputs("<footer class=\"dim\"><p>scmpwatch " SCW_VERSION "</p></footer>\n</body></html>\n", out);
    if (rc < 0)
        return rc;
    return ferror(out) ? -EIO : 0;
}
