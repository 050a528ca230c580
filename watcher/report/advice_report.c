/*
 * advice_report: render struct scw_advice as JSON (report.c's document, decorated) and as
 * audit2why-like text. See advice_report.h. Key names are an interface (scmpwatch-suggest(1)):
 * keys are only ever added.
 */
#include "advice_report.h"
#include "advice_report_impl.h"
#include "evidence.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"
#include "report_esc.h"
#include "rules.h"

/* ---- shared ---- */

static const char *verdict_json(enum scw_current c)
{
    return c == SCW_CURRENT_UNKNOWN ? NULL : scw_current_name(c);
}

/* ---- JSON ---- */

/* The CVE block that decided, with its evidence: null unless blocked. */
static json_t *vulnerability_json(const struct scw_proposal *p)
{
    if (!p->blocked)
        return json_null();
    json_t *v = json_object();
    json_object_set_new(v, "block", scw_json_string(p->rule));
    json_object_set_new(v, "cve", scw_json_string(p->vuln.cve));
    json_object_set_new(v, "severity", scw_json_string(p->vuln.severity));
    json_object_set_new(v, "package", scw_json_string(p->vuln.package));
    json_object_set_new(v, "installed", scw_json_string(p->vuln.installed));
    json_object_set_new(v, "fixed", scw_json_string(p->vuln.fixed));
    json_object_set_new(v, "kernel", scw_json_string(p->vuln.kernel));
    json_object_set_new(v, "kernel_below", scw_json_string(p->vuln.kernel_below));
    json_object_set_new(v, "evidence", scw_json_string(p->evidence));
    return v;
}

/* The person's decision for the proposal's group and syscall: null when nobody decided. */
static json_t *human_json(const struct scw_proposal *p)
{
    const struct scw_human_decision *h = p->human;
    if (!h)
        return json_null();
    json_t *v = json_object();
    json_object_set_new(v, "decision", json_string(scw_decision_name(h->decision)));
    json_object_set_new(v, "reason", scw_json_string(h->reason));
    json_object_set_new(v, "by", scw_json_string(h->by));
    json_object_set_new(v, "at", scw_json_string(h->at));
    char where[64];
    snprintf(where, sizeof(where), ":%u:%u", h->where.line, h->where.column);
    char *file = NULL;
    if (h->where.file && asprintf(&file, "%s%s", h->where.file, where) < 0)
        file = NULL;
    json_object_set_new(v, "defined_at", scw_json_string(file));
    free(file);
    return v;
}

/*
 * "timeline": the events per interval of the aggregate's time grid, counts[i] in the seconds
 * [origin + i * width, origin + (i + 1) * width), from the proposal's first bucket with events
 * to its last (origin a multiple of width); "untimed": its events with no time (read from a
 * state written before time buckets). null when none of its events has a time.
 */
static json_t *timeline_json(const struct scw_agg_grid *grid, const struct scw_proposal *p)
{
    int first = -1, last = -1;
    for (int i = 0; i < SCW_ENTRY_BUCKETS; i++)
        if (p->buckets[i]) {
            first = first < 0 ? i : first;
            last = i;
        }
    if (!grid->width || first < 0)
        return json_null();
    json_t *counts = json_array();
    for (int i = first; i <= last; i++)
        json_array_append_new(counts, json_integer(p->buckets[i]));
    uint64_t timed = scw_agg_buckets_sum(p->buckets, SCW_ENTRY_BUCKETS);
    return json_pack("{s:I,s:I,s:o,s:I}", "origin",
                     (json_int_t)(grid->origin + first * grid->width), "width",
                     (json_int_t)grid->width, "counts", counts, "untimed",
                     (json_int_t)(timed < p->count ? p->count - timed : 0));
}

static json_t *proposal_json(const struct scw_aggregate *agg, const struct scw_proposal *p,
                             size_t members)
{
    json_t *o = json_object();
    char arch[16];
    scw_advice_fmt_arch(p, arch, sizeof(arch));
    json_object_set_new(o, "syscall", p->named ? json_string(p->syscall) : json_null());
    json_object_set_new(o, "arch", json_string(arch));
    json_object_set_new(o, "decision", json_string(scw_decision_name(p->decision)));
    json_object_set_new(o, "rule", scw_json_string(p->rule));
    json_object_set_new(o, "reason", scw_json_string(p->reason));
    json_object_set_new(o, "count", json_integer((json_int_t)p->count));
    json_object_set_new(o, "nr", json_integer(p->nr));
    json_object_set_new(o, "link", scw_json_string(p->link));
    json_object_set_new(o, "undemoted", json_string(scw_decision_name(p->undemoted)));
    json_object_set_new(o, "demoted", json_boolean(p->demoted));
    json_object_set_new(o, "demoted_why", p->demoted ? json_string(p->demoted_why) : json_null());
    json_t *th = json_object();
    json_object_set_new(th, "min_events", json_integer((json_int_t)p->min_events));
    json_object_set_new(th, "min_processes", json_integer(p->min_processes));
    json_object_set_new(o, "thresholds", th);
    json_object_set_new(o, "blocked_by_vulnerability", json_boolean(p->blocked));
    json_object_set_new(o, "vulnerability", vulnerability_json(p));
    json_object_set_new(o, "ignore_list", json_boolean(p->ignored_by_list));
    json_object_set_new(o, "human_decision", human_json(p));
    json_object_set_new(o, "block_overrode_human", json_boolean(p->human_overridden));
    json_object_set_new(o, "open", json_boolean(scw_proposal_open(p)));
    json_object_set_new(o, "processes", json_integer(p->processes));
    json_object_set_new(o, "processes_truncated", json_boolean(p->processes_truncated));
    json_t *exes = json_array();
    for (unsigned i = 0; i < p->n_exes; i++)
        json_array_append_new(exes, scw_json_string(scw_aggregate_string(agg, p->exes[i])));
    json_object_set_new(o, "executables", exes);
    json_object_set_new(o, "executables_truncated", json_boolean(p->exes_truncated));
    json_t *acts = json_array();
    for (int a = 0; a < SCW_ACTION_MAX; a++)
        if (p->actions & (1u << a))
            json_array_append_new(acts, json_string(scw_action_name((enum scw_action)a)));
    json_object_set_new(o, "logged_as", acts);
    json_object_set_new(o, "first_seen", scw_json_time(p->first_sec, p->first_msec));
    json_object_set_new(o, "last_seen", scw_json_time(p->last_sec, p->last_msec));
    json_object_set_new(o, "timeline", timeline_json(scw_aggregate_grid(agg), p));
    const struct scw_advise_answer *c = &p->current;
    bool known = c->verdict != SCW_CURRENT_UNKNOWN;
    json_object_set_new(o, "profile_verdict", scw_json_string(verdict_json(c->verdict)));
    json_object_set_new(o, "profile_action", known ? scw_json_string(c->action) : json_null());
    json_object_set_new(o, "profile_errno",
                        known && c->errno_value >= 0 ? json_integer(c->errno_value) : json_null());
    json_object_set_new(o, "profile_entry",
                        known && c->entry >= 0 ? json_integer(c->entry) : json_null());
    json_object_set_new(o, "profile_otherwise",
                        known && c->verdict == SCW_CURRENT_CONDITIONAL
                            ? scw_json_string(c->otherwise)
                            : json_null());
    json_object_set_new(o, "profile_note", known ? scw_json_string(c->note) : json_null());
    if (members) {
        char cov[48];
        snprintf(cov, sizeof(cov), "%u of %zu", p->seen_in, members);
        json_object_set_new(o, "seen_in", json_integer(p->seen_in));
        json_object_set_new(o, "coverage", json_string(cov));
    }
    return o;
}

static json_t *profile_json(const struct scw_advise_profile *prof, enum scw_advise_source source,
                            const char *path)
{
    json_t *o = json_object();
    json_object_set_new(o, "source", scw_json_string(scw_advise_source_name(source)));
    json_object_set_new(o, "path", scw_json_string(path));
    json_object_set_new(o, "default_action",
                        prof ? scw_json_string(prof->default_action) : json_null());
    json_object_set_new(o, "log_only", prof ? json_boolean(prof->log_only) : json_null());
    return o;
}

struct decorate_ctx {
    const struct scw_advice *a;
    const struct scw_advice_report_opts *o;
};

static void decorate(void *vctx, const struct scw_aggregate *agg, uint32_t wi, json_t *obj)
{
    const struct decorate_ctx *ctx = vctx;
    if (wi >= ctx->a->n_workloads)
        return;
    const struct scw_workload_advice *wa = &ctx->a->workloads[wi];
    json_t *prof = profile_json(scw_advice_profile_at(ctx->o, wa->profile), wa->source, wa->path);
    json_object_set_new(prof, "group",
                        wa->group >= 0 ? json_string(ctx->a->groups[wa->group].name) : json_null());
    json_object_set_new(prof, "error", scw_json_string(wa->error));
    json_object_set_new(obj, "profile", prof);
    json_t *props = json_array();
    for (size_t i = 0; i < wa->n_proposals; i++)
        json_array_append_new(props, proposal_json(agg, &wa->proposals[i], 0));
    json_object_set_new(obj, "proposals", props);
}

/* The team's file against what the members run. */
static json_t *drift_json(const struct scw_advice_drift *d)
{
    if (!d || !d->file || (!d->compared && !d->unknown))
        return json_null(); /* not mapped, or no container to compare (host workloads) */
    json_t *j = json_object();
    const char *verdict = d->differ     ? (d->runs_file ? "wrong file" : "stale deploy")
                          : d->compared ? "matches"
                                        : "unknown";
    json_object_set_new(j, "file", scw_json_string(d->file));
    json_object_set_new(j, "verdict", json_string(verdict));
    json_object_set_new(j, "compared", json_integer((json_int_t)d->compared));
    json_object_set_new(j, "differ", json_integer((json_int_t)d->differ));
    json_object_set_new(j, "unknown", json_integer((json_int_t)d->unknown));
    json_object_set_new(j, "first_differing", scw_json_string(d->member));
    json_object_set_new(j, "differences", json_integer((json_int_t)d->differences));
    json_object_set_new(j, "architectures_differ", json_boolean(d->arches));
    json_object_set_new(j, "default_differs", json_boolean(d->defaults));
    json_object_set_new(j, "example", scw_json_string(d->example[0] ? d->example : NULL));
    json_object_set_new(j, "runs_instead", scw_json_string(d->runs_file));
    return j;
}

static json_t *group_json(const struct scw_aggregate *agg, const struct scw_advice *a, size_t gi,
                          const struct scw_advice_report_opts *o)
{
    const struct scw_advice_group *g = &a->groups[gi];
    const struct scw_advise_profile *prof = scw_advice_profile_at(o, g->profile);
    json_t *j = json_object();
    json_object_set_new(j, "name", json_string(g->name));
    json_object_set_new(j, "profile", profile_json(prof, g->source, g->path));
    json_object_set_new(j, "selector", scw_json_string(g->selector));
    json_t *keys = json_array();
    for (size_t m = 0; m < g->n_members; m++)
        json_array_append_new(keys,
                              scw_json_string(scw_aggregate_workload_at(agg, g->members[m])->key));
    json_object_set_new(j, "workloads", keys);
    json_object_set_new(j, "members", json_integer((json_int_t)g->n_members));
    json_object_set_new(j, "member_kind", json_string(scw_advice_group_noun(agg, g)));
    json_object_set_new(j, "events", json_integer((json_int_t)g->events));
    json_object_set_new(j, "first_seen", scw_json_time(g->first_sec, g->first_msec));
    json_object_set_new(j, "last_seen", scw_json_time(g->last_sec, g->last_msec));
    json_t *props = json_array(), *brk = json_array();
    for (size_t i = 0; i < g->n_proposals; i++) {
        const struct scw_proposal *p = &g->proposals[i];
        json_t *pj = proposal_json(agg, p, g->n_members);
        scw_evidence_proposal_json(pj, p, g); /* fleet: coverage on nodes */
        json_array_append_new(props, pj);
        if (!scw_advice_breaks(p))
            continue;
        char arch[16];
        scw_advice_fmt_arch(p, arch, sizeof(arch));
        json_t *b = json_object();
        json_object_set_new(b, "syscall", p->named ? json_string(p->syscall) : json_null());
        json_object_set_new(b, "arch", json_string(arch));
        json_object_set_new(b, "count", json_integer((json_int_t)p->count));
        json_object_set_new(b, "profile_verdict",
                            scw_json_string(verdict_json(p->current.verdict)));
        json_object_set_new(b, "decision", json_string(scw_decision_name(p->decision)));
        json_array_append_new(brk, b);
    }
    json_object_set_new(j, "proposals", props);
    json_object_set_new(j, "breaks_if_enforced", brk);
    json_t *t = json_object();
    json_object_set_new(t, "default_action",
                        prof && prof->log_only
                            ? scw_json_string(a->enforce_action)
                            : scw_json_string(prof ? prof->default_action : NULL));
    bool errno_default = prof && prof->log_only && a->enforce_action &&
                         strcmp(a->enforce_action, "SCMP_ACT_ERRNO") == 0;
    json_object_set_new(t, "default_errno",
                        errno_default ? json_integer(a->enforce_errno) : json_null());
    json_t *allow = json_array(), *kept = json_array();
    for (size_t i = 0; i < g->n_allow; i++)
        json_array_append_new(allow, json_string(g->allow[i]));
    for (size_t i = 0; i < g->n_proposals; i++) {
        const struct scw_proposal *p = &g->proposals[i];
        if ((p->decision == SCW_DECISION_DENY || p->decision == SCW_DECISION_REVIEW) &&
            p->current.verdict != SCW_CURRENT_ALLOWED) {
            json_t *k = json_object();
            char arch[16];
            scw_advice_fmt_arch(p, arch, sizeof(arch));
            json_object_set_new(k, "syscall", p->named ? json_string(p->syscall) : json_null());
            json_object_set_new(k, "arch", json_string(arch));
            json_object_set_new(k, "decision", json_string(scw_decision_name(p->decision)));
            json_array_append_new(kept, k);
        }
    }
    json_object_set_new(t, "allow", allow);
    json_object_set_new(t, "kept_refused", kept);
    json_object_set_new(t, "comment", json_string(g->comment));
    const struct scw_advice_output *out = o->outputs ? &o->outputs[gi] : NULL;
    json_object_set_new(t, "path", scw_json_string(out ? out->tuned_path : NULL));
    json_object_set_new(t, "diff", scw_json_string(out ? out->diff_path : NULL));
    json_object_set_new(t, "reformatted", json_boolean(out && out->reformatted));
    json_object_set_new(j, "tuned", t);
    json_object_set_new(j, "source_of_truth", drift_json(out ? &out->drift : NULL));
    json_object_set_new(j, "nodes", scw_evidence_group_nodes_json(agg, g));
    json_object_set_new(j, "completeness", scw_evidence_group_json(agg, g));
    return j;
}

/* The keys the proposals add after "workloads": the rule files and the profile groups. */
static json_t *advice_tail(const struct scw_aggregate *agg, const struct scw_advice *a,
                           const struct scw_advice_report_opts *o)
{
    json_t *tail = json_object();
    json_t *rules = json_object();
    json_t *files = json_array();
    for (size_t i = 0; i < o->n_rule_files; i++)
        json_array_append_new(files, scw_json_string(o->rule_files[i]));
    json_object_set_new(rules, "files", files);
    json_object_set_new(rules, "enforce_action", scw_json_string(a->enforce_action));
    bool is_errno = a->enforce_action && strcmp(a->enforce_action, "SCMP_ACT_ERRNO") == 0;
    json_object_set_new(rules, "enforce_errno",
                        is_errno ? json_integer(a->enforce_errno) : json_null());
    if (a->n_unlabelled) { /* only then, so reports without labels: selectors stay as they were */
        json_t *u = json_object();
        json_object_set_new(u, "selector", scw_json_string(a->labels_selector));
        json_object_set_new(u, "containers", json_integer((json_int_t)a->n_unlabelled));
        json_object_set_new(rules, "labels_unknown", u);
    }
    json_object_set_new(tail, "rules", rules);
    json_t *groups = json_array();
    for (size_t i = 0; i < a->n_groups; i++)
        json_array_append_new(groups, group_json(agg, a, i, o));
    json_object_set_new(tail, "profiles", groups);
    return tail;
}

int scw_advice_write_json(const struct scw_aggregate *agg, const struct scw_advice *a,
                          const struct scw_advice_report_opts *o, FILE *out)
{
    /* streamed one workload at a time (report.c), the groups after them */
    struct decorate_ctx ctx = {a, o};
    struct scw_report_opts ro = o->report;
    ro.decorate = decorate;
    ro.decorate_ctx = &ctx;
    json_t *tail = advice_tail(agg, a, o);
    int rc = tail ? scw_report_write_json_with(agg, &ro, tail, out) : -ENOMEM;
    json_decref(tail);
    return rc;
}

/* ---- text ---- */

struct style {
    const char *bold, *dim, *warn, *reset;
};

#define LABEL_COL 19 /* where the value of "      reason:      " starts */

/* The width texts wrap at: the terminal's, 80 when not writing to one. Set by
 * scw_advice_write_text for the report it writes (one report at a time per process). */
static size_t wrap_width = 80;

/* Print text from a rule file or a record, wrapped at wrap_width between words (a word longer
 * than a line is never cut), continuation lines indented to LABEL_COL; words are made
 * terminal-safe. */
static void put_wrapped(FILE *out, const char *s)
{
    size_t col = LABEL_COL;
    char word[512];
    while (*s) {
        while (*s == ' ' || *s == '\n' || *s == '\t')
            s++;
        if (!*s)
            break;
        size_t n = strcspn(s, " \n\t");
        snprintf(word, sizeof(word), "%.*s", (int)(n < sizeof(word) ? n : sizeof(word) - 1), s);
        s += n;
        if (col > LABEL_COL && col + 1 + n > wrap_width) {
            fprintf(out, "\n%*s", LABEL_COL, "");
            col = LABEL_COL;
        } else if (col > LABEL_COL) {
            fputc(' ', out);
            col++;
        }
        scw_report_put_safe(out, word);
        col += n;
    }
    fputc('\n', out);
}

static void put_exes(FILE *out, const struct scw_aggregate *agg, const uint32_t *ids, unsigned n,
                     bool truncated)
{
    for (unsigned i = 0; i < n; i++) {
        if (i)
            fputs(", ", out);
        const char *s = scw_aggregate_string(agg, ids[i]);
        scw_report_put_safe(out, s ? s : "?");
    }
    if (truncated)
        fputs(", ...", out);
    if (n == 0 && !truncated)
        fputs("-", out);
}

/* "docker api-1 (aaaa1111bbbb)" (a hex id cut to 12, other ids whole), or the executable of a
 * host workload. */
static void workload_label(FILE *out, const struct scw_workload *w)
{
    scw_esc_workload(out, SCW_ESC_TEXT, w);
}

/* What the current profile does with a call, wrapped after "profile:". */
static void put_current(FILE *out, const struct scw_advise_profile *prof,
                        const struct scw_advise_answer *c)
{
    char act[64], oth[64], line[512];
    scw_advice_fmt_action(c->action, c->errno_value, act, sizeof(act));
    switch (c->verdict) {
    case SCW_CURRENT_ALLOWED:
        if (c->entry >= 0)
            snprintf(line, sizeof(line), "already allowed by syscalls[%ld] (%s)", c->entry, act);
        else
            snprintf(line, sizeof(line), "already allowed (default action %s)", act);
        break;
    case SCW_CURRENT_REFUSED:
        if (c->entry >= 0)
            snprintf(line, sizeof(line), "refused by syscalls[%ld] (%s)", c->entry, act);
        else if (prof && prof->log_only)
            snprintf(line, sizeof(line), "refused once enforced (default action %s)", act);
        else
            snprintf(line, sizeof(line), "refused (default action %s)", act);
        break;
    case SCW_CURRENT_CONDITIONAL:
        scw_advice_fmt_action(c->otherwise, -1, oth, sizeof(oth));
        snprintf(line, sizeof(line),
                 "conditional: syscalls[%ld] allows it for some argument values only; other "
                 "calls get %s",
                 c->entry, oth);
        break;
    case SCW_CURRENT_UNKNOWN:
    case SCW_CURRENT_MAX:
    case SCW_CURRENT_INVALID:
        snprintf(line, sizeof(line), "unknown");
        break;
    }
    if (c->note) {
        size_t n = strlen(line);
        snprintf(line + n, sizeof(line) - n, " (%s)", c->note);
    }
    put_wrapped(out, line);
}

struct unit {
    const struct scw_proposal *p;
    size_t n;
    size_t members; /* 0: a single workload outside any group */
    const char *noun;
    const struct scw_advise_profile *prof;
    size_t nodes; /* the group's nodes when the advice spans several (a fleet), else 0 */
};

static void put_proposal(FILE *out, const struct style *st, const struct scw_aggregate *agg,
                         const struct unit *u, const struct scw_proposal *p)
{
    char sys[64], arch[16], cnt[32];
    scw_advice_fmt_syscall(p, sys, sizeof(sys));
    scw_advice_fmt_arch(p, arch, sizeof(arch));
    bool deny = p->decision == SCW_DECISION_DENY;
    fprintf(out, "  %s", st->bold);
    scw_report_put_safe(out, sys);
    fprintf(out, " (%s)%s: %s%s%s", arch, st->reset, deny ? st->warn : "",
            scw_decision_name(p->decision), deny ? st->reset : "");
    if (p->demoted)
        fprintf(out, "  [%s demoted: %s]", scw_decision_name(p->undemoted), p->demoted_why);
    fputc('\n', out);
    fputs("      rule:        ", out);
    scw_report_put_safe(out, p->rule ? p->rule : "?");
    if (p->blocked)
        fputs(" (vulnerability block: outranks every rule)", out);
    fputc('\n', out);
    if (p->human_overridden) {
        /* a person allowed (or ignored) it; the block wins, and says so */
        char who[512];
        snprintf(who, sizeof(who),
                 "OVERRIDES the decision '%s' by %s (%s, %s:%u): a vulnerability block "
                 "outranks people's decisions until it no longer applies",
                 scw_decision_name(p->human->decision), p->human->by ? p->human->by : "someone",
                 p->human->at ? p->human->at : "no date", p->human->where.file,
                 p->human->where.line);
        fputs("      decided:     ", out);
        put_wrapped(out, who);
    }
    if (p->reason) {
        fputs("      reason:      ", out);
        put_wrapped(out, p->reason);
    }
    if (p->blocked && p->evidence) {
        fputs("      evidence:    ", out);
        put_wrapped(out, p->evidence);
    }
    if (p->blocked && p->count) {
        /* the workload used it: say plainly what enforcing does, and why that is wanted */
        char why[512];
        snprintf(why, sizeof(why),
                 "this workload was seen calling %s: enforcing the tuned profile WILL break "
                 "that code path. That is intended: %s stays exploitable through it until %s.",
                 p->named ? p->syscall : "it", p->vuln.cve ? p->vuln.cve : "the vulnerability",
                 p->vuln.kernel_below ? "the host kernel is upgraded"
                                      : "the image is rebuilt with the fix");
        fputs("      enforcing:   ", out);
        put_wrapped(out, why);
    }
    if (p->link) {
        fputs("      link:        ", out);
        scw_report_put_safe(out, p->link);
        fputc('\n', out);
    }
    scw_report_fmt_count(p->count, cnt, sizeof(cnt));
    fprintf(out, "      seen:        %s time%s by %u%s process%s", cnt, p->count == 1 ? "" : "s",
            p->processes, p->processes_truncated ? "+" : "",
            p->processes == 1 && !p->processes_truncated ? "" : "es");
    if (u->members)
        fprintf(out, ", in %u of %zu %s%s", p->seen_in, u->members, u->noun,
                u->members == 1 ? "" : "s");
    scw_evidence_put_nodes(out, p, u->nodes);
    fputc('\n', out);
    scw_evidence_put_first_seen(out, p);
    fputs("      executables: ", out);
    put_exes(out, agg, p->exes, p->n_exes, p->exes_truncated);
    fputc('\n', out);
    if (p->current.verdict != SCW_CURRENT_UNKNOWN) {
        fputs("      profile:     ", out);
        put_current(out, u->prof, &p->current);
    }
    if (p->decision == SCW_DECISION_DENY && p->current.verdict != SCW_CURRENT_REFUSED &&
        p->current.verdict != SCW_CURRENT_UNKNOWN)
        fputs("      note:        the current profile lets it run and the tuned profile only adds "
              "an allow entry: remove it from the profile by hand\n",
              out);
}

static void put_breaks(FILE *out, const struct style *st, const struct scw_aggregate *agg,
                       const struct unit *u, const char *enforce)
{
    size_t n = 0;
    for (size_t i = 0; i < u->n; i++)
        n += scw_advice_breaks(&u->p[i]);
    fputc('\n', out);
    if (!u->prof) {
        fprintf(out,
                "  %sWhat breaks if you enforce the current profile:%s unknown without the "
                "profile;\n    every syscall above was logged, so it is refused once enforced "
                "(unless an explicit\n    SCMP_ACT_LOG entry logged it).\n",
                st->bold, st->reset);
        return;
    }
    if (n == 0) {
        fprintf(out,
                "  %sWhat breaks if you enforce the current profile:%s nothing, it already "
                "allows every logged syscall.\n",
                st->bold, st->reset);
        return;
    }
    char def[64];
    scw_advice_fmt_action(u->prof->default_action, u->prof->default_errno, def, sizeof(def));
    fprintf(out, "  %sWhat breaks if you enforce the current profile", st->bold);
    if (u->prof->log_only)
        fprintf(out, " (default %s becomes %s)", def, enforce);
    fprintf(out, ":%s\n", st->reset);
    fprintf(out, "    %s%10s  %-24s %-11s %-12s %s%s\n", st->dim, "COUNT", "SYSCALL", "ARCH",
            "PROFILE", "EXECUTABLES", st->reset);
    for (size_t i = 0; i < u->n; i++) {
        const struct scw_proposal *p = &u->p[i];
        if (!scw_advice_breaks(p))
            continue;
        char sys[64], arch[16], cnt[32];
        scw_advice_fmt_syscall(p, sys, sizeof(sys));
        scw_advice_fmt_arch(p, arch, sizeof(arch));
        scw_report_fmt_count(p->count, cnt, sizeof(cnt));
        fprintf(out, "    %10s  %-24s %-11s %-12s ", cnt, sys, arch,
                scw_current_name(p->current.verdict));
        put_exes(out, agg, p->exes, p->n_exes, p->exes_truncated);
        fputc('\n', out);
    }
}

static void put_tuned(FILE *out, const struct style *st, const struct scw_advice_group *g,
                      const struct scw_advice_output *o)
{
    fprintf(out, "  %sTuned profile:%s ", st->bold, st->reset);
    if (g->n_allow) {
        fprintf(out, "allows %zu syscall%s (", g->n_allow, g->n_allow == 1 ? "" : "s");
        for (size_t i = 0; i < g->n_allow; i++)
            fprintf(out, "%s%s", i ? ", " : "", g->allow[i]);
        fputs(")", out);
    } else {
        fputs("allows nothing new", out);
    }
    size_t kept = 0;
    for (size_t i = 0; i < g->n_proposals; i++) {
        const struct scw_proposal *p = &g->proposals[i];
        if ((p->decision != SCW_DECISION_DENY && p->decision != SCW_DECISION_REVIEW) ||
            p->current.verdict == SCW_CURRENT_ALLOWED)
            continue;
        char sys[64];
        scw_advice_fmt_syscall(p, sys, sizeof(sys));
        fprintf(out, "%s%s: %s", kept++ ? ", " : "; keeps refused ", sys,
                scw_decision_name(p->decision));
    }
    fputs(".\n", out);
    if (o && o->names_already)
        fprintf(out, "    %zu of them already allowed by an entry of the profile.\n",
                o->names_already);
    if (o && o->tuned_path)
        fprintf(out, "    written to %s%s%s\n", o->tuned_path, o->diff_path ? ", diff " : "",
                o->diff_path ? o->diff_path : "");
    if (o && o->reformatted)
        fputs("    note: written as a re-dump of the profile (its own layout could not be kept; "
              "the diff shows every line)\n",
              out);
}

/* Proposals in text order: deny, review, allow; then the decided and the ignored ones on one
 * line each: re-running shows in full only what is still open. */
static void put_unit(FILE *out, const struct style *st, const struct scw_aggregate *agg,
                     const struct unit *u)
{
    static const enum scw_decision_kind order[] = {SCW_DECISION_DENY, SCW_DECISION_REVIEW,
                                                   SCW_DECISION_ALLOW};
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
        for (size_t i = 0; i < u->n; i++)
            if (u->p[i].decision == order[k] && !scw_advice_settled(&u->p[i])) {
                fputc('\n', out);
                put_proposal(out, st, agg, u, &u->p[i]);
            }
    size_t decided = 0;
    for (size_t i = 0; i < u->n; i++) {
        const struct scw_proposal *p = &u->p[i];
        if (!scw_advice_settled(p))
            continue;
        char sys[64], arch[16];
        scw_advice_fmt_syscall(p, sys, sizeof(sys));
        scw_advice_fmt_arch(p, arch, sizeof(arch));
        fprintf(out, "%s", decided++ ? ", " : "\n  decided: ");
        scw_report_put_safe(out, sys);
        fprintf(out, " (%s) %s by ", arch, scw_decision_name(p->decision));
        scw_report_put_safe(out, p->human->by ? p->human->by : "?");
    }
    if (decided)
        fputc('\n', out);
    size_t ignored = 0;
    for (size_t i = 0; i < u->n; i++) {
        const struct scw_proposal *p = &u->p[i];
        if (p->decision != SCW_DECISION_IGNORE || scw_advice_settled(p))
            continue;
        char sys[64], cnt[32];
        scw_advice_fmt_syscall(p, sys, sizeof(sys));
        scw_report_fmt_count(p->count, cnt, sizeof(cnt));
        fprintf(out, "%s", ignored++ ? ", " : "\n  ignored: ");
        scw_report_put_safe(out, sys);
        fprintf(out, " (%s, rule ", cnt);
        scw_report_put_safe(out, p->rule ? p->rule : "?");
        fputc(')', out);
    }
    if (ignored)
        fputc('\n', out);
}

static void put_span(FILE *out, uint64_t events, int64_t fs, uint32_t fm, int64_t ls, uint32_t lm)
{
    char n[32], f[40], l[40];
    scw_report_fmt_count(events, n, sizeof(n));
    scw_report_fmt_time(fs, fm, f, sizeof(f));
    scw_report_fmt_time(ls, lm, l, sizeof(l));
    fprintf(out, "  %s event%s, first %s, last %s UTC\n", n, events == 1 ? "" : "s", f, l);
}

static void put_profile_line(FILE *out, const struct scw_advise_profile *prof,
                             enum scw_advise_source source, const char *path)
{
    char def[64];
    fputs(" ", out);
    scw_report_put_safe(out, path ? path : "?");
    fprintf(out, " (%s)", scw_advice_source_words(source));
    if (prof) {
        scw_advice_fmt_action(prof->default_action, prof->default_errno, def, sizeof(def));
        fprintf(out, ", %s%s", prof->log_only ? "log-only: " : "default ", def);
    }
}

int scw_advice_write_text(const struct scw_aggregate *agg, const struct scw_advice *a,
                          const struct scw_advice_report_opts *o, FILE *out)
{
    wrap_width = scw_advice_text_width(out);
    static const struct style plain = {"", "", "", ""};
    static const struct style ansi = {"\033[1m", "\033[2m", "\033[33m", "\033[0m"};
    const struct style *st = o->report.color ? &ansi : &plain;
    const struct scw_input_stats *in = scw_aggregate_stats((struct scw_aggregate *)agg);
    char enforce[64];
    scw_advice_fmt_action(a->enforce_action, a->enforce_errno, enforce, sizeof(enforce));

    size_t lone = 0;
    for (size_t i = 0; i < a->n_workloads; i++)
        lone += a->workloads[i].group < 0;
    fprintf(out, "%s%s%s: proposals for %zu workload%s in %zu profile group%s", st->bold,
            o->report.title ? o->report.title : "scmpwatch", st->reset, a->n_workloads,
            a->n_workloads == 1 ? "" : "s", a->n_groups, a->n_groups == 1 ? "" : "s");
    if (lone)
        fprintf(out, ", %zu without a known profile", lone);
    fputc('\n', out);
    char l[32], s[32];
    scw_report_fmt_count(in->lines, l, sizeof(l));
    scw_report_fmt_count(in->seccomp, s, sizeof(s));
    fprintf(out, "  input: ");
    if (o->report.n_inputs)
        fprintf(out, "%u file%s, ", o->report.n_inputs, o->report.n_inputs == 1 ? "" : "s");
    fprintf(out, "%s lines, %s SECCOMP records", l, s);
    if (in->malformed || in->lost || in->unattributed || in->read_errors)
        fprintf(out, "; malformed %llu, lost %llu, unattributed %llu, unreadable inputs %llu",
                (unsigned long long)in->malformed, (unsigned long long)in->lost,
                (unsigned long long)in->unattributed, (unsigned long long)in->read_errors);
    fputc('\n', out);
    fputs("  rules: ", out);
    for (size_t i = 0; i < o->n_rule_files; i++) {
        if (i)
            fputs(", ", out);
        scw_report_put_safe(out, o->rule_files[i]);
    }
    fprintf(out, "%s\n  tuned profiles refuse with %s\n", o->n_rule_files ? "" : "-", enforce);
    if (a->n_unlabelled) {
        fputs("  note: selector '", out);
        scw_report_put_safe(out, a->labels_selector);
        fprintf(out,
                "' matches on labels, but the runtime of %zu container%s gave no labels, so it "
                "cannot match %s (see README, Attribution: what each runtime provides)\n",
                a->n_unlabelled, a->n_unlabelled == 1 ? "" : "s",
                a->n_unlabelled == 1 ? "it" : "them");
    }
    if (a->n_workloads == 0)
        fputs("\nno SECCOMP events\n", out);

    for (size_t gi = 0; gi < a->n_groups; gi++) {
        const struct scw_advice_group *g = &a->groups[gi];
        const struct scw_advise_profile *prof = scw_advice_profile_at(o, g->profile);
        const char *noun = scw_advice_group_noun(agg, g);
        fprintf(out, "\n%sprofile %s:%s", st->bold, g->name, st->reset);
        put_profile_line(out, prof, g->source, g->path);
        fputc('\n', out);
        if (g->selector)
            fprintf(out, "  selector: %s\n", g->selector);
        char drift[1024];
        bool alarm = false;
        if (o->outputs &&
            scw_advice_drift_sentence(&o->outputs[gi].drift, drift, sizeof(drift), &alarm)) {
            fprintf(out, "  %ssource of truth:%s ", alarm ? st->warn : "", alarm ? st->reset : "");
            put_wrapped(out, drift);
        }
        fprintf(out, "  %zu %s%s: ", g->n_members, noun, g->n_members == 1 ? "" : "s");
        for (size_t m = 0; m < g->n_members && m < 10; m++) {
            if (m)
                fputs(", ", out);
            workload_label(out, scw_aggregate_workload_at(agg, g->members[m]));
            scw_evidence_put_node_of(out, agg, scw_aggregate_workload_at(agg, g->members[m]));
        }
        if (g->n_members > 10)
            fprintf(out, " and %zu more", g->n_members - 10);
        fputc('\n', out);
        put_span(out, g->events, g->first_sec, g->first_msec, g->last_sec, g->last_msec);
        scw_evidence_put_group(out, g, st->warn, st->reset);
        struct unit u = {g->proposals, g->n_proposals,
                         g->n_members, noun,
                         prof,         a->n_nodes > 1 ? g->completeness.n_nodes : 0};
        put_unit(out, st, agg, &u);
        put_breaks(out, st, agg, &u, enforce);
        put_tuned(out, st, g, o->outputs ? &o->outputs[gi] : NULL);
    }

    struct scw_agg_view v;
    if (scw_aggregate_view(agg, &v) < 0)
        return -ENOMEM;
    for (size_t i = 0; i < v.n_workloads; i++) {
        uint32_t wi = v.workloads[i];
        const struct scw_workload_advice *wa = &a->workloads[wi];
        if (wa->group >= 0)
            continue;
        const struct scw_workload *w = scw_aggregate_workload_at(agg, wi);
        fprintf(out, "\n%sworkload ", st->bold);
        workload_label(out, w);
        scw_evidence_put_node_of(out, agg, w);
        fprintf(out, ":%s ", st->reset);
        if (wa->path && wa->error) {
            fputs("profile", out);
            put_profile_line(out, NULL, wa->source, wa->path);
            fputs(" could not be read: ", out);
            scw_report_put_safe(out, wa->error);
            fputc('\n', out);
        } else {
            fputs("no profile known (give --profile FILE, or a selector with profile: in the "
                  "rules)\n",
                  out);
        }
        put_span(out, w->events, w->first_sec, w->first_msec, w->last_sec, w->last_msec);
        struct unit u = {wa->proposals, wa->n_proposals, 0, NULL, NULL, 0};
        put_unit(out, st, agg, &u);
        put_breaks(out, st, agg, &u, enforce);
    }
    scw_agg_view_release(&v);
    return ferror(out) ? -EIO : 0;
}
