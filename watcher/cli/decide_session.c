/*
 * decide_session: loading, evidence and saving for decide and review (see decide_session.h).
 */
#include "decide_session.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "log.h"
#include "report.h"
#include "rules_files.h"

void scw_decide_args_init(struct scw_decide_args *a)
{
    *a = (struct scw_decide_args){.pa = {.format = SCW_FORMAT_TEXT}};
}

int scw_decide_parse_opt(struct scw_decide_args *a, const char *cmd, int c, const char *arg)
{
    switch (c) {
    case SCW_DECIDE_OPT_STATE: {
        int rc = scw_state_args_add(&a->states, cmd, arg);
        return rc ? rc : 1;
    }
    case SCW_DECIDE_OPT_DECISIONS:
        if (!arg[0])
            return scw_cmd_usage_error(cmd, "--decisions needs a file name");
        a->decisions = arg;
        return 1;
    default:
        return scw_propose_parse_opt(&a->pa, cmd, c, arg);
    }
}

void scw_decide_session_close(struct scw_decide_session *s)
{
    if (!s)
        return;
    scw_advice_free(s->advice);
    scw_aggregate_free(s->agg);
    scw_propose_free(s->pp);
    scw_decisions_file_free(s->df);
    free(s->path);
    free(s);
}

int scw_decide_session_open(const struct scw_decide_args *a, const char *cmd,
                            struct scw_decide_session **ret)
{
    struct scw_decide_session *s = calloc(1, sizeof(*s));
    if (!s) {
        scw_log_errx("out of memory");
        return SCW_EXIT_RUNTIME;
    }
    s->cmd = cmd;
    int rc = 0;
    if (a->decisions)
        s->path = strdup(a->decisions);
    else if (asprintf(&s->path, "%s/%s", scw_rules_d_path(a->pa.rules_d), SCW_DECISIONS_FILE) < 0)
        s->path = NULL;
    if (!s->path) {
        scw_log_errx("out of memory");
        scw_decide_session_close(s);
        return SCW_EXIT_RUNTIME;
    }
    /* the decisions file first: a broken one stops everything, and nothing is written */
    char *err = NULL;
    if ((rc = scw_decisions_file_read(s->path, &s->df, &err)) < 0) {
        scw_log_errx("%s", err ? err : "out of memory");
        scw_log_errx("%s: fix the decisions file first (or name another with --decisions); "
                     "nothing was changed",
                     cmd);
        free(err);
        scw_decide_session_close(s);
        return rc == -ENOMEM ? SCW_EXIT_RUNTIME : SCW_EXIT_INPUT;
    }
    struct scw_propose_opts po;
    scw_propose_opts_init(&po, &a->pa, cmd, cmd);
    po.decisions = s->path;
    if (scw_propose_new(&po, &s->pp) < 0) {
        scw_decide_session_close(s);
        return SCW_EXIT_INPUT;
    }
    if (!(s->agg = scw_aggregate_new(NULL))) {
        scw_log_errx("out of memory");
        scw_decide_session_close(s);
        return SCW_EXIT_RUNTIME;
    }
    unsigned failed = 0;
    int ex = scw_state_args_load(&a->states, cmd, s->agg, &failed);
    if (ex == SCW_EXIT_OK && failed) {
        scw_log_errx("%s: %u state%s could not be read (named above): a decision needs the "
                     "evidence of every node; nothing was changed",
                     cmd, failed, failed == 1 ? "" : "s");
        ex = SCW_EXIT_INPUT;
    }
    if (ex != SCW_EXIT_OK) {
        scw_decide_session_close(s);
        return ex;
    }
    if (scw_propose_advise(s->pp, s->agg, NULL, 0, &s->advice) < 0) {
        scw_decide_session_close(s);
        return SCW_EXIT_INPUT;
    }
    s->profiles = scw_propose_profiles(s->pp, &s->n_profiles);
    *ret = s;
    return SCW_EXIT_OK;
}

long scw_decide_session_group(const struct scw_decide_session *s, const char *name)
{
    const struct scw_advice *a = s->advice;
    for (size_t i = 0; i < a->n_groups; i++)
        if (strcmp(a->groups[i].name, name) == 0)
            return (long)i;
    char known[512] = "";
    size_t o = 0;
    for (size_t i = 0; i < a->n_groups && o + 1 < sizeof(known); i++) {
        int n = snprintf(known + o, sizeof(known) - o, "%s%s", i ? ", " : "", a->groups[i].name);
        if (n < 0)
            break;
        o += (size_t)n;
    }
    scw_log_errx("%s: no profile group '%s' in the state (%s%s; `scmpwatch suggest` shows "
                 "them)",
                 s->cmd, name, a->n_groups ? "its groups: " : "it has no profile group",
                 a->n_groups ? known : "");
    return -1;
}

size_t scw_decide_proposals(const struct scw_advice *a, size_t gi, const char *syscall,
                            const struct scw_proposal **ret, size_t max)
{
    const struct scw_advice_group *g = &a->groups[gi];
    size_t n = 0;
    for (size_t i = 0; i < g->n_proposals && n < max; i++)
        if (g->proposals[i].named && strcmp(g->proposals[i].syscall, syscall) == 0)
            ret[n++] = &g->proposals[i];
    return n;
}

void scw_decide_workload_label(FILE *out, const struct scw_workload *w)
{
    const struct scw_container *c = w->container;
    if (!c) {
        scw_report_put_safe(out, strncmp(w->key, "exe:", 4) == 0 ? w->key + 4 : w->key);
        return;
    }
    scw_report_put_safe(out, c->runtime ? c->runtime : "container");
    if (c->name) {
        fputc(' ', out);
        scw_report_put_safe(out, c->name);
    }
    if (c->id) {
        fputs(c->name ? " (" : " ", out);
        char id[16];
        snprintf(id, sizeof(id), "%.12s", c->id);
        scw_report_put_safe(out, id);
        fputs(c->name ? ")" : "", out);
    }
}

static void fmt_iso(int64_t sec, char *buf, size_t cap)
{
    struct tm tm;
    time_t t = (time_t)sec;
    if (sec == 0 || !gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, cap, "-");
}

/* One architecture's evidence: counts, coverage, times, what the rules said, executables. */
static void put_arch_evidence(FILE *m, const struct scw_decide_session *s, size_t gi,
                              const struct scw_proposal *p)
{
    const struct scw_advice_group *g = &s->advice->groups[gi];
    char first[32], last[32];
    fmt_iso(p->first_sec, first, sizeof(first));
    fmt_iso(p->last_sec, last, sizeof(last));
    fprintf(m, "evidence (%s): %llu event%s by %u%s process%s in %u of %zu %s%s",
            p->arch ? p->arch : "?", (unsigned long long)p->count, p->count == 1 ? "" : "s",
            p->processes, p->processes_truncated ? "+" : "",
            p->processes == 1 && !p->processes_truncated ? "" : "es", p->seen_in, g->n_members,
            scw_advice_group_noun(s->agg, g), g->n_members == 1 ? "" : "s");
    if (s->advice->n_nodes > 1) /* a fleet: on how many of the group's nodes */
        fprintf(m, " on %u of %zu node%s", p->seen_on_nodes, g->completeness.n_nodes,
                g->completeness.n_nodes == 1 ? "" : "s");
    fprintf(m, ", first %s, last %s\n", first, last);
    if (p->human && !p->blocked)
        fprintf(m, "  replaces: %s by %s (%s)\n", scw_decision_name(p->human->decision),
                p->human->by ? p->human->by : "?", p->human->at ? p->human->at : "no date");
    else
        fprintf(m, "  the rules said: %s (rule %s%s%s%s)\n", scw_decision_name(p->decision),
                p->rule ? p->rule : "?", p->demoted ? "; " : "",
                p->demoted ? "allow demoted: " : "", p->demoted ? p->demoted_why : "");
    if (p->blocked)
        fprintf(m, "  kept denied by the vulnerability block %s while it applies\n", p->rule);
    fputs("  executables:", m);
    for (unsigned i = 0; i < p->n_exes; i++) {
        const char *e = scw_aggregate_string(s->agg, p->exes[i]);
        fputs(i ? ", " : " ", m);
        scw_report_put_safe(m, e ? e : "?");
    }
    fputs(p->exes_truncated ? ", ...\n" : p->n_exes ? "\n" : " -\n", m);
}

char *scw_decide_evidence(const struct scw_decide_session *s, size_t gi, const char *syscall,
                          enum scw_decision_kind d, const char *by, const char *at)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return NULL;
    fprintf(m, "%s %s: ", syscall, scw_decision_name(d));
    scw_report_put_safe(m, by);
    fprintf(m, ", %s (scmpwatch %s)\n", at, s->cmd);
    const struct scw_proposal *ps[SCW_DECIDE_MAX_ARCHES];
    size_t n = scw_decide_proposals(s->advice, gi, syscall, ps, SCW_DECIDE_MAX_ARCHES);
    for (size_t i = 0; i < n; i++)
        put_arch_evidence(m, s, gi, ps[i]);
    if (n == 0)
        fputs("evidence: none, the state has no event of it for this group (decided ahead)\n", m);
    const struct scw_advice_group *g = &s->advice->groups[gi];
    size_t shown = 0;
    for (size_t k = 0; k < g->n_members && n; k++) {
        const struct scw_workload_advice *wa = &s->advice->workloads[g->members[k]];
        bool logged = false;
        for (size_t i = 0; i < wa->n_proposals && !logged; i++)
            logged = wa->proposals[i].named && strcmp(wa->proposals[i].syscall, syscall) == 0;
        if (!logged)
            continue;
        if (shown == 5) {
            fputs(", ...", m);
            break;
        }
        fputs(shown++ ? ", " : "  seen in: ", m);
        scw_decide_workload_label(m, scw_aggregate_workload_at(s->agg, g->members[k]));
    }
    if (shown)
        fputc('\n', m);
    if (fclose(m) != 0) {
        free(text);
        return NULL;
    }
    if (len && text[len - 1] == '\n')
        text[len - 1] = '\0';
    return text;
}

void scw_decide_who(char *buf, size_t cap)
{
    const char *u = getenv("SUDO_USER");
    if (!u || !*u)
        u = getenv("USER");
    if (u && *u) {
        snprintf(buf, cap, "%s", u);
        return;
    }
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        snprintf(buf, cap, "%s", pw->pw_name);
    else
        snprintf(buf, cap, "uid %u", (unsigned)getuid());
}

void scw_decide_now(char *buf, size_t cap)
{
    fmt_iso((int64_t)time(NULL), buf, cap);
}

int scw_decide_session_save(struct scw_decide_session *s, const struct scw_decision_entry *entries,
                            size_t n)
{
    struct scw_decisions_file *df = NULL;
    char *err = NULL;
    int rc = scw_decisions_file_read(s->path, &df, &err);
    if (rc < 0) {
        scw_log_errx("%s", err ? err : "out of memory");
        scw_log_errx("%s: the decisions file changed and is no longer valid; nothing was saved",
                     s->cmd);
        free(err);
        return rc;
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = scw_decisions_file_put(df, &entries[i]);
    if (rc == 0)
        rc = scw_decisions_file_write(df);
    if (rc < 0)
        scw_log_err(rc, "%s: cannot write the decisions file '%s'; nothing was saved", s->cmd,
                    s->path);
    scw_decisions_file_free(df);
    return rc;
}
