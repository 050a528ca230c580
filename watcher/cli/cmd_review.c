/*
 * cmd_review: "scmpwatch review [--state FILE|DIR]... [--rules FILE]... [--decisions FILE]"
 * walks, on a plain terminal, every proposal still open (of one state, or of several nodes'
 * merged; review first, then deny, then allow; most events first), one (profile group,
 * syscall) at a time: the evidence (rule, reason, link, counts, containers, executables, first
 * and last seen, what enforcing breaks), then one key:
 * (a)llow, (d)eny, (i)gnore, (s)kip, (v)iew the profile diff with the decisions so far,
 * (u)ndo, (q)uit and save; a reason can be typed after a decision. Only q (or the end of the
 * input) saves, to the decisions file (decide_session.c); an interrupt saves nothing.
 * Terminal handling: review_term.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "decide_session.h"
#include "log.h"
#include "report.h"
#include "review_term.h"
#include "rules.h"
#include "state.h"

static const char usage[] =
    "Usage: scmpwatch review [OPTIONS]\n"
    "Walk every open proposal of the watcher's state, or of several nodes' states merged\n"
    "(review first, then deny, then allow; most events first), show its evidence and decide\n"
    "it with one key:\n"
    "  a allow   d deny   i ignore   s skip   v view the profile diff   u undo\n"
    "  q quit and save (the end of the input saves too; an interrupt saves nothing)\n"
    "After a, d or i a reason can be typed (Enter: none). Decisions go to the decisions file,\n"
    "like `scmpwatch decide`; a decision outranks every rule and threshold, never a cve_blocks\n"
    "entry. Without a terminal, each answer is a line (its first character the key).\n"
    "\n"
    "Options:\n"
    "      --state FILE|DIR  state file (default " SCW_STATE_DEFAULT "); repeatable: the\n"
    "                        states of several nodes are merged (as by suggest) and the\n"
    "                        proposals are the fleet's; a directory: every *.json state in it\n"
    "      --decisions FILE  the decisions file (default: 50-decisions.yaml in the rules.d\n"
    "                        directory, /etc/scmpwatch/rules.d)\n"
    "  -r, --rules FILE      rule file added after the shipped rules and rules.d (repeatable)\n"
    "      --rules-d DIR     the site's rule directory (default $SCMPWATCH_RULES_D, else\n"
    "                        /etc/scmpwatch/rules.d)\n"
    "      --no-default-rules  neither the shipped rules nor rules.d: only --rules\n"
    "  -p, --profile FILE    profile of workloads whose runtime and selectors name none\n"
    "      --vulns [IMAGE=]REPORT  scanner report (repeatable): what its CVEs keep denied is\n"
    "                        not open\n"
    "      --kernel RELEASE  host kernel for kernel_below blocks (default: this host's)\n"
    "  -h, --help            show this help\n"
    "\n"
    "NO_COLOR turns colour off; the text wraps at the terminal's width (80 without one).\n"
    "\n"
    "Exit status: 0 saved (or nothing to save); 1 the decisions file is invalid\n"
    "(file:line:column; nothing is changed), a state (any one of several) or a rule file\n"
    "cannot be read, the file cannot be written, or review was interrupted (nothing saved);\n"
    "2 usage error.\n";

/* One (profile group, syscall) with an open proposal on at least one architecture. */
struct item {
    size_t group;
    const char *syscall;                                  /* borrowed from a proposal */
    const struct scw_proposal *ps[SCW_DECIDE_MAX_ARCHES]; /* its open proposals */
    size_t n_ps;
    enum scw_decision_kind proposed; /* review, deny or allow: the most open of its arches */
    uint64_t count;
    int answer;   /* a decision kind, or -1: none yet */
    char *reason; /* typed, or NULL */
    char at[32];
};

struct review {
    struct scw_decide_session *s;
    struct scw_term t;
    struct item *items;
    size_t n;
    size_t *history; /* items answered or skipped, in order (for undo) */
    size_t n_history;
    char who[256];
};

static int rank(enum scw_decision_kind d)
{
    return d == SCW_DECISION_REVIEW ? 0 : d == SCW_DECISION_DENY ? 1 : 2;
}

static int cmp_item(const void *x, const void *y)
{
    const struct item *a = x, *b = y;
    if (rank(a->proposed) != rank(b->proposed))
        return rank(a->proposed) - rank(b->proposed);
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    return strcmp(a->syscall, b->syscall);
}

/* The open items of every group, in walking order. */
static int build_items(struct review *r, size_t *ret_blocked, size_t *ret_decided)
{
    const struct scw_advice *a = r->s->advice;
    size_t cap = 0;
    for (size_t gi = 0; gi < a->n_groups; gi++)
        cap += a->groups[gi].n_proposals;
    r->items = calloc(cap ? cap : 1, sizeof(*r->items));
    r->history = calloc(cap ? cap : 1, sizeof(*r->history));
    if (!r->items || !r->history)
        return -ENOMEM;
    for (size_t gi = 0; gi < a->n_groups; gi++) {
        const struct scw_advice_group *g = &a->groups[gi];
        for (size_t i = 0; i < g->n_proposals; i++) {
            const struct scw_proposal *p = &g->proposals[i];
            *ret_blocked += p->blocked;
            *ret_decided += p->human && !p->blocked;
            if (!scw_proposal_open(p))
                continue;
            struct item *it = NULL;
            for (size_t k = 0; k < r->n && !it; k++)
                if (r->items[k].group == gi && strcmp(r->items[k].syscall, p->syscall) == 0)
                    it = &r->items[k];
            if (!it) {
                it = &r->items[r->n++];
                *it = (struct item){
                    .group = gi, .syscall = p->syscall, .proposed = p->decision, .answer = -1};
            }
            if (it->n_ps < SCW_DECIDE_MAX_ARCHES)
                it->ps[it->n_ps++] = p;
            it->count += p->count;
            if (rank(p->decision) < rank(it->proposed))
                it->proposed = p->decision;
        }
    }
    qsort(r->items, r->n, sizeof(*r->items), cmp_item);
    return 0;
}

/* ---- showing an item ---------------------------------------------------------------------- */

static void field(struct review *r, const char *label, const char *raw)
{
    char *safe = scw_term_safe(raw);
    scw_term_field(&r->t, stdout, label, safe ? safe : "?");
    free(safe);
}

/* field() for text that is already safe (built from safe pieces). */
static void field_safe(struct review *r, const char *label, const char *text)
{
    scw_term_field(&r->t, stdout, label, text);
}

/* The proposal that shows the item's proposed decision (its rule and reason). */
static const struct scw_proposal *main_proposal(const struct item *it)
{
    for (size_t i = 0; i < it->n_ps; i++)
        if (it->ps[i]->decision == it->proposed)
            return it->ps[i];
    return it->ps[0];
}

static void put_counts(struct review *r, const struct item *it)
{
    const struct scw_decide_session *s = r->s;
    const struct scw_advice_group *g = &s->advice->groups[it->group];
    int32_t pids[SCW_DECIDE_MAX_ARCHES * SCW_ENTRY_PIDS];
    size_t n_pids = 0;
    bool more = false;
    uint32_t seen_in = 0;
    int64_t first = 0, last = 0;
    uint32_t first_ms = 0, last_ms = 0;
    for (size_t i = 0; i < it->n_ps; i++) {
        const struct scw_proposal *p = it->ps[i];
        more |= p->processes_truncated;
        seen_in = p->seen_in > seen_in ? p->seen_in : seen_in;
        for (uint32_t k = 0; k < p->processes && k < SCW_ENTRY_PIDS; k++) {
            bool dup = false;
            for (size_t j = 0; j < n_pids && !dup; j++)
                dup = pids[j] == p->pids[k];
            if (!dup)
                pids[n_pids++] = p->pids[k];
        }
        if (p->first_sec && (!first || p->first_sec < first ||
                             (p->first_sec == first && p->first_msec < first_ms))) {
            first = p->first_sec;
            first_ms = p->first_msec;
        }
        if (p->last_sec > last || (p->last_sec == last && p->last_msec > last_ms)) {
            last = p->last_sec;
            last_ms = p->last_msec;
        }
    }
    char cnt[32], line[256];
    scw_report_fmt_count(it->count, cnt, sizeof(cnt));
    const char *noun = scw_advice_group_noun(s->agg, g);
    snprintf(line, sizeof(line), "%s time%s by %zu%s process%s, in %u of %zu %s%s", cnt,
             it->count == 1 ? "" : "s", n_pids, more ? "+" : "", n_pids == 1 && !more ? "" : "es",
             seen_in, g->n_members, noun, g->n_members == 1 ? "" : "s");
    field_safe(r, "seen", line);

    /* the members that logged it */
    char *text = NULL;
    size_t len = 0, shown = 0, members = 0;
    FILE *m = open_memstream(&text, &len);
    for (size_t k = 0; m && k < g->n_members; k++) {
        const struct scw_workload_advice *wa = &s->advice->workloads[g->members[k]];
        bool logged = false;
        for (size_t i = 0; i < wa->n_proposals && !logged; i++)
            logged = wa->proposals[i].named && strcmp(wa->proposals[i].syscall, it->syscall) == 0;
        if (!logged)
            continue;
        members++;
        if (shown < 8) {
            fputs(shown++ ? ", " : "", m);
            scw_decide_workload_label(m, scw_aggregate_workload_at(s->agg, g->members[k]));
        }
    }
    if (m && members > shown)
        fprintf(m, " and %zu more", members - shown);
    if (m && fclose(m) == 0)
        field_safe(r, strcmp(noun, "container") == 0 ? "containers" : "workloads", text);
    free(text);

    text = NULL;
    len = 0;
    if ((m = open_memstream(&text, &len))) {
        size_t n = 0;
        bool trunc = false;
        for (size_t i = 0; i < it->n_ps; i++) {
            trunc |= it->ps[i]->exes_truncated;
            for (unsigned k = 0; k < it->ps[i]->n_exes; k++) {
                const char *e = scw_aggregate_string(s->agg, it->ps[i]->exes[k]);
                fputs(n++ ? ", " : "", m);
                scw_report_put_safe(m, e ? e : "?");
            }
        }
        fputs(trunc ? ", ..." : n ? "" : "-", m);
        if (fclose(m) == 0)
            field_safe(r, "executables", text);
        free(text);
    }
    char f[40], l[40], span[128];
    scw_report_fmt_time(first, first_ms, f, sizeof(f));
    scw_report_fmt_time(last, last_ms, l, sizeof(l));
    snprintf(span, sizeof(span), "%s UTC, last %s UTC", f, l);
    field_safe(r, "first seen", span);
}

/* What the current profile does with it, and what each answer means once enforced. */
static void put_breaks(struct review *r, const struct item *it)
{
    const struct scw_proposal *p = main_proposal(it);
    const struct scw_advise_answer *c = &p->current;
    const struct scw_advice *a = r->s->advice;
    char enforce[64];
    const char *en = a->enforce_action && strcmp(a->enforce_action, "SCMP_ACT_ERRNO") == 0
                         ? scw_rules_errno_name(a->enforce_errno)
                         : NULL;
    snprintf(enforce, sizeof(enforce), "%s%s%s%s", a->enforce_action ? a->enforce_action : "?",
             en ? " (" : "", en ? en : "", en ? ")" : "");
    char line[512];
    switch (c->verdict) {
    case SCW_CURRENT_ALLOWED:
        snprintf(line, sizeof(line), "already allowed by the current profile (%s%s)",
                 c->action ? c->action : "?", c->entry >= 0 ? ", an entry" : ", its default");
        field_safe(r, "profile", line);
        field_safe(r, "breaks",
                   "nothing: it runs today; deny it by removing it from the profile by hand");
        return;
    case SCW_CURRENT_CONDITIONAL:
        snprintf(line, sizeof(line),
                 "allowed for some argument values only (syscalls[%ld]); other calls get %s",
                 c->entry, c->otherwise ? c->otherwise : "?");
        break;
    case SCW_CURRENT_REFUSED:
        snprintf(line, sizeof(line), "refused once enforced (%s today)",
                 c->action ? c->action : "?");
        break;
    case SCW_CURRENT_UNKNOWN:
    case SCW_CURRENT_MAX:
    case SCW_CURRENT_INVALID:
        snprintf(line, sizeof(line), "unknown");
        break;
    }
    field_safe(r, "profile", line);
    char cnt[32];
    scw_report_fmt_count(it->count, cnt, sizeof(cnt));
    snprintf(line, sizeof(line),
             "enforcing the current profile refuses it: the code path that made the %s call%s "
             "seen fails (%s). allow adds it to the tuned profile; deny or ignore keeps it "
             "refused",
             cnt, it->count == 1 ? "" : "s", enforce);
    field_safe(r, "breaks", line);
}

static void show(struct review *r, size_t idx)
{
    const struct item *it = &r->items[idx];
    const struct scw_advice_group *g = &r->s->advice->groups[it->group];
    const struct scw_proposal *p = main_proposal(it);
    const struct scw_term *t = &r->t;
    printf("\n%s[%zu/%zu] profile %s: %s (", t->bold, idx + 1, r->n, g->name, it->syscall);
    for (size_t i = 0; i < it->n_ps; i++)
        printf("%s%s", i ? ", " : "", it->ps[i]->arch ? it->ps[i]->arch : "?");
    printf(")%s: %s%s%s", t->reset, it->proposed == SCW_DECISION_DENY ? t->warn : "",
           scw_decision_name(it->proposed), t->reset);
    if (p->demoted)
        printf("  [%s demoted: %s]", scw_decision_name(p->undemoted), p->demoted_why);
    putchar('\n');
    field(r, "rule", p->rule ? p->rule : "?");
    if (p->reason)
        field(r, "reason", p->reason);
    if (p->link)
        field(r, "link", p->link);
    put_counts(r, it);
    put_breaks(r, it);
}

/* ---- answering ---------------------------------------------------------------------------- */

static const char prompt[] = "(a)llow (d)eny (i)gnore (s)kip (v)iew diff (u)ndo (q)uit and save";

static const char help[] =
    "  a  allow: the tuned profile lets it run      s  skip: decide later\n"
    "  d  deny: it stays refused, on purpose         v  the profile diff with the decisions so "
    "far\n"
    "  i  ignore: leave it out of the reports        u  undo the last answer\n"
    "  q  quit and save (the end of the input too; Ctrl-C quits without saving)\n";

#define NO_REASON "decided in scmpwatch review (no reason given)"

/* The session's answers as decisions, for advise (v) and for saving. */
static size_t pending(const struct review *r, struct scw_human_decision *out)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct item *it = &r->items[i];
        if (it->answer < 0)
            continue;
        out[n++] = (struct scw_human_decision){
            .group = (char *)r->s->advice->groups[it->group].name,
            .syscall = (char *)it->syscall,
            .decision = (enum scw_decision_kind)it->answer,
            .reason = it->reason ? it->reason : (char *)NO_REASON,
            .by = (char *)r->who,
            .at = (char *)it->at,
            .where = {.file = r->s->path},
        };
    }
    return n;
}

static void view_diff(struct review *r, size_t idx)
{
    const char *gname = r->s->advice->groups[r->items[idx].group].name;
    struct scw_human_decision *pd = calloc(r->n ? r->n : 1, sizeof(*pd));
    struct scw_advice *a = NULL;
    char *diff = NULL;
    size_t len = 0;
    if (!pd)
        return;
    size_t np = pending(r, pd);
    if (scw_propose_advise(r->s->pp, r->s->agg, pd, np, &a) == 0) {
        for (size_t gi = 0; gi < a->n_groups; gi++)
            if (strcmp(a->groups[gi].name, gname) == 0 &&
                scw_propose_group_diff(r->s->pp, a, gi, &diff, &len) < 0)
                diff = NULL;
    }
    printf("\n%sprofile %s: current vs tuned, with this session's %zu decision%s%s\n", r->t.bold,
           gname, np, np == 1 ? "" : "s", r->t.reset);
    if (!diff || !len)
        puts(diff ? "  (no change: the tuned profile is the current one)" : "  (no diff)");
    for (char *line = diff; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        const char *col = line[0] == '+' && line[1] != '+'   ? r->t.good
                          : line[0] == '-' && line[1] != '-' ? r->t.warn
                                                             : "";
        for (char *tab = strchr(line, '\t'); tab; tab = strchr(tab, '\t'))
            *tab = ' '; /* the labels' "PATH<TAB>(current)" */
        fputs(col, stdout);
        scw_report_put_safe(stdout, line);
        fputs(*col ? r->t.reset : "", stdout);
        putchar('\n');
        line = nl ? nl + 1 : NULL;
    }
    free(diff);
    scw_advice_free(a);
    free(pd);
}

/* Ask for a reason and record the answer. Returns 0, or SCW_TERM_INTERRUPTED. */
static int answer(struct review *r, size_t idx, enum scw_decision_kind d)
{
    struct item *it = &r->items[idx];
    printf("%s%s%s %s; reason (Enter: none): ", r->t.bold, scw_decision_name(d), r->t.reset,
           it->syscall);
    char *reason = NULL;
    int rc = scw_term_line(&r->t, &reason);
    if (rc == SCW_TERM_INTERRUPTED)
        return rc;
    free(it->reason);
    it->reason = reason && *reason ? reason : NULL; /* NULL: NO_REASON */
    if (reason && !*reason)
        free(reason);
    if (!r->t.tty_in)
        putchar('\n');
    it->answer = (int)d;
    scw_decide_now(it->at, sizeof(it->at));
    r->history[r->n_history++] = idx;
    return 0;
}

/* Save the answers. Returns the exit code. */
static int save(struct review *r)
{
    size_t decided = 0;
    for (size_t i = 0; i < r->n; i++)
        decided += r->items[i].answer >= 0;
    if (!decided) {
        printf("nothing decided; ");
        scw_report_put_safe(stdout, r->s->path);
        puts(" unchanged");
        return SCW_EXIT_OK;
    }
    struct scw_decision_entry *e = calloc(decided, sizeof(*e));
    int ex = e ? SCW_EXIT_OK : SCW_EXIT_RUNTIME;
    size_t n = 0;
    for (size_t i = 0; i < r->n && ex == SCW_EXIT_OK; i++) {
        struct item *it = &r->items[i];
        if (it->answer < 0)
            continue;
        enum scw_decision_kind d = (enum scw_decision_kind)it->answer;
        e[n] = (struct scw_decision_entry){
            .group = (char *)r->s->advice->groups[it->group].name,
            .syscall = (char *)it->syscall,
            .decision = d,
            .reason = it->reason ? it->reason : (char *)NO_REASON,
            .by = r->who,
            .at = it->at,
            .comment = scw_decide_evidence(r->s, it->group, it->syscall, d, r->who, it->at),
        };
        if (!e[n++].comment)
            ex = SCW_EXIT_RUNTIME;
    }
    if (ex == SCW_EXIT_OK && scw_decide_session_save(r->s, e, n) < 0)
        ex = SCW_EXIT_INPUT;
    if (ex == SCW_EXIT_OK) {
        printf("saved %zu decision%s to ", n, n == 1 ? "" : "s");
        scw_report_put_safe(stdout, r->s->path);
        putchar('\n');
    }
    for (size_t i = 0; e && i < n; i++)
        free(e[i].comment);
    free(e);
    if (ex == SCW_EXIT_RUNTIME)
        scw_log_errx("out of memory");
    return ex;
}

/* The walk. Returns the exit code. */
static int walk(struct review *r)
{
    size_t cur = 0;
    bool shown = false;
    for (;;) {
        /* the next item without an answer (skipped ones count as answered for the walk) */
        if (!shown && cur < r->n)
            show(r, cur);
        shown = true;
        if (cur >= r->n)
            printf("\nend of the list: (u)ndo (q)uit and save [?]: ");
        else
            printf("%s [?]: ", prompt);
        int k = scw_term_key(&r->t);
        if (k >= 0x20 && k < 0x7f)
            printf("%c\n", k); /* echoed: a transcript reads like the session */
        else
            putchar('\n');
        if (k == SCW_TERM_INTERRUPTED) {
            scw_log_errx("review: interrupted; nothing was saved");
            return SCW_EXIT_INPUT;
        }
        if (k == SCW_TERM_EOF || k == 'q')
            return save(r);
        if (cur >= r->n && (k == 'a' || k == 'd' || k == 'i' || k == 's' || k == 'v')) {
            puts("the end of the list: u undoes the last answer, q saves");
            continue;
        }
        switch (k) {
        case 'a':
        case 'd':
        case 'i':
            if (answer(r, cur,
                       k == 'a'   ? SCW_DECISION_ALLOW
                       : k == 'd' ? SCW_DECISION_DENY
                                  : SCW_DECISION_IGNORE) == SCW_TERM_INTERRUPTED) {
                scw_log_errx("review: interrupted; nothing was saved");
                return SCW_EXIT_INPUT;
            }
            cur++;
            shown = false;
            continue;
        case 's':
            r->history[r->n_history++] = cur++;
            shown = false;
            continue;
        case 'u':
            if (!r->n_history) {
                puts("nothing to undo");
                continue;
            }
            cur = r->history[--r->n_history];
            r->items[cur].answer = -1;
            free(r->items[cur].reason);
            r->items[cur].reason = NULL;
            printf("undone: %s in profile %s is open again\n", r->items[cur].syscall,
                   r->s->advice->groups[r->items[cur].group].name);
            shown = false;
            continue;
        case 'v':
            view_diff(r, cur);
            continue;
        case '?':
        case 'h':
            fputs(help, stdout);
            continue;
        default:
            break;
        }
        if (k >= 0x20 && k < 0x7f)
            printf("unknown key '%c'; ? lists the keys\n", k);
        else
            printf("unknown key 0x%02x; ? lists the keys\n", (unsigned)k);
    }
}

int scw_cmd_review(int argc, char **argv)
{
    static const struct option opts[] = {
        SCW_DECIDE_LONG_OPTS,
        {"vulns", required_argument, NULL, SCW_PROPOSE_OPT_VULNS},
        {"kernel", required_argument, NULL, SCW_PROPOSE_OPT_KERNEL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct scw_decide_args da;
    scw_decide_args_init(&da);
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:p:h", opts, NULL)) != -1) {
        int shared = scw_decide_parse_opt(&da, "review", c, optarg);
        if (shared == 1)
            continue;
        if (shared)
            return shared;
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return SCW_EXIT_OK;
        case ':':
            return scw_cmd_usage_error("review", "option '%s' needs a value", argv[optind - 1]);
        default:
            return scw_cmd_usage_error("review", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return scw_cmd_usage_error("review", "unexpected argument '%s'", argv[optind]);
    if (scw_state_args_stdin(&da.states))
        return scw_cmd_usage_error("review", "--state -: review reads its answers from standard "
                                             "input; give state files or a directory");

    struct review r = {0};
    int ex = scw_decide_session_open(&da, "review", &r.s);
    if (ex != SCW_EXIT_OK)
        return ex;
    scw_decide_who(r.who, sizeof(r.who));
    size_t blocked = 0, decided = 0;
    if (build_items(&r, &blocked, &decided) < 0) {
        scw_log_errx("out of memory");
        ex = SCW_EXIT_RUNTIME;
        goto out;
    }
    if (scw_term_open(&r.t) < 0) {
        scw_log_err(-errno, "cannot set up the terminal");
        ex = SCW_EXIT_RUNTIME;
        goto out;
    }
    size_t lone = 0;
    for (size_t i = 0; i < r.s->advice->n_workloads; i++)
        lone += r.s->advice->workloads[i].group < 0;
    printf("%sscmpwatch review%s: %zu open proposal%s in %zu profile group%s\n", r.t.bold,
           r.t.reset, r.n, r.n == 1 ? "" : "s", r.s->advice->n_groups,
           r.s->advice->n_groups == 1 ? "" : "s");
    printf("  %zu decided before, %zu kept denied by vulnerability blocks\n", decided, blocked);
    fputs("  decisions go to ", stdout);
    scw_report_put_safe(stdout, r.s->path);
    putchar('\n');
    if (lone)
        printf("  %zu workload%s without a known profile %s not reviewed (give --profile FILE, "
               "or a selector with profile: in the rules)\n",
               lone, lone == 1 ? "" : "s", lone == 1 ? "is" : "are");
    if (r.n == 0) {
        puts("nothing is open: every proposal is decided");
        ex = SCW_EXIT_OK;
    } else {
        ex = walk(&r);
    }
    scw_term_close(&r.t);
out:
    for (size_t i = 0; r.items && i < r.n; i++)
        free(r.items[i].reason);
    free(r.items);
    free(r.history);
    scw_decide_session_close(r.s);
    fflush(stdout);
    return ex;
}
