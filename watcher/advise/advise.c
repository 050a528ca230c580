/*
 * advise: aggregate + rules + current profiles -> proposals, per workload and per replica
 * group. See advise.h. Pure: no I/O; names come from name.c's libseccomp tables.
 *
 * For each (arch, syscall) the decision is taken in this order, the first that applies wins:
 *   1. a vulnerability block (the vulns hook): deny; it outranks every rule and ignore list;
 *   2. the rule file's `ignore:` lists (syscall, container selectors, all executables): ignore;
 *   3. scw_rules_decide(): the first matching rule, else the defaults, with thresholds
 *      (an allow below them becomes review);
 *   4. an allow for a number libseccomp cannot name becomes review (a profile cannot list it).
 * A group decides on its sums: events added, distinct processes unioned. Then a person's
 * decision for the group and syscall replaces what 2-4 said (in the group's proposals and its
 * members'); after 1 it is only recorded as overridden.
 */
#include "advise.h"
#include "advise_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "name.h"

static const char *const source_names[SCW_ADVISE_SOURCE_MAX] = {NULL, "runtime", "selector", "cli",
                                                                "profiles"};
static const char *const current_names[SCW_CURRENT_MAX] = {"unknown", "allowed", "refused",
                                                           "conditional"};

const char *scw_advise_source_name(enum scw_advise_source s)
{
    return s >= 0 && s < SCW_ADVISE_SOURCE_MAX ? source_names[s] : NULL;
}

const char *scw_current_name(enum scw_current c)
{
    return c >= 0 && c < SCW_CURRENT_MAX ? current_names[c] : NULL;
}

/* ---- merging entries into proposals ---- */

static int cmp_arch_nr(const struct scw_proposal *a, const struct scw_proposal *b)
{
    if (a->audit_arch != b->audit_arch)
        return a->audit_arch < b->audit_arch ? -1 : 1;
    if (a->nr != b->nr)
        return a->nr < b->nr ? -1 : 1;
    return 0;
}

static int cmp_key(const void *x, const void *y)
{
    return cmp_arch_nr(x, y);
}

/* Report order: count (desc), then arch, number. */
static int cmp_report(const void *x, const void *y)
{
    const struct scw_proposal *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return cmp_arch_nr(a, b);
}

static bool time_before(int64_t s1, uint32_t m1, int64_t s2, uint32_t m2)
{
    return s1 < s2 || (s1 == s2 && m1 < m2);
}

static void add_pid(struct scw_proposal *p, int32_t pid)
{
    for (uint32_t i = 0; i < p->processes; i++)
        if (p->pids[i] == pid)
            return;
    if (p->processes < SCW_ENTRY_PIDS)
        p->pids[p->processes++] = pid;
    else
        p->processes_truncated = true;
}

static void add_exe(struct scw_proposal *p, uint32_t id)
{
    for (unsigned i = 0; i < p->n_exes; i++)
        if (p->exes[i] == id)
            return;
    if (p->n_exes < SCW_ENTRY_EXES)
        p->exes[p->n_exes++] = id;
    else
        p->exes_truncated = true;
}

/* Keep the earliest known time (0.000 = unknown) in (s, ms). */
static void widen_first(int64_t *s, uint32_t *ms, int64_t s2, uint32_t ms2)
{
    if (!s2 && !ms2)
        return;
    if ((!*s && !*ms) || time_before(s2, ms2, *s, *ms)) {
        *s = s2;
        *ms = ms2;
    }
}

static void widen_last(int64_t *s, uint32_t *ms, int64_t s2, uint32_t ms2)
{
    if (time_before(*s, *ms, s2, ms2)) {
        *s = s2;
        *ms = ms2;
    }
}

/* Widen the counting fields of dst by src (same arch and number). */
static void merge_counts(struct scw_proposal *dst, const struct scw_proposal *src)
{
    dst->count += src->count;
    widen_first(&dst->first_sec, &dst->first_msec, src->first_sec, src->first_msec);
    widen_last(&dst->last_sec, &dst->last_msec, src->last_sec, src->last_msec);
    dst->actions |= src->actions;
    for (uint32_t i = 0; i < src->processes; i++)
        add_pid(dst, src->pids[i]);
    dst->processes_truncated |= src->processes_truncated;
    for (unsigned i = 0; i < src->n_exes; i++)
        add_exe(dst, src->exes[i]);
    dst->exes_truncated |= src->exes_truncated;
    for (unsigned i = 0; i < SCW_ENTRY_BUCKETS; i++) /* one grid: they add */
        dst->buckets[i] = scw_agg_bucket_add(dst->buckets[i], src->buckets[i]);
}

static void proposal_from_entry(const struct scw_agg_entry *e, struct scw_proposal *p)
{
    memset(p, 0, sizeof(*p));
    p->audit_arch = e->arch;
    p->nr = e->syscall;
    p->count = e->count;
    p->first_sec = e->first_sec;
    p->first_msec = e->first_msec;
    p->last_sec = e->last_sec;
    p->last_msec = e->last_msec;
    enum scw_action act = scw_action_from_code(e->code);
    p->actions = act >= 0 && act < SCW_ACTION_MAX ? 1u << act : 0;
    for (uint8_t i = 0; i < e->n_pids && i < SCW_ENTRY_PIDS; i++)
        p->pids[i] = e->pids[i];
    p->processes = e->n_pids;
    p->processes_truncated = e->pids_truncated;
    for (uint8_t i = 0; i < e->n_exes && i < SCW_ENTRY_EXES; i++)
        p->exes[i] = e->exes[i];
    p->n_exes = e->n_exes;
    p->exes_truncated = e->exes_truncated;
    memcpy(p->buckets, e->buckets, sizeof(p->buckets));
    p->seen_in = 1;
}

/*
 * Sort by (arch, number), merge neighbours (entries that differ by action), then sort in
 * report order. Returns the new count.
 */
static size_t merge_sorted(struct scw_proposal *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), cmp_key);
    size_t o = 0;
    for (size_t i = 1; i < n; i++) {
        if (cmp_arch_nr(&v[o], &v[i]) == 0) {
            uint32_t seen = v[o].seen_in + v[i].seen_in;
            merge_counts(&v[o], &v[i]);
            v[o].seen_in = seen;
        } else {
            v[++o] = v[i];
        }
    }
    n = o + 1;
    qsort(v, n, sizeof(*v), cmp_report);
    return n;
}

/* ---- deciding ---- */

struct subject {
    const struct scw_container *container; /* borrowed */
    const char *exes[SCW_WORKLOAD_EXES];
    size_t n_exes;
    const struct scw_advise_profile *profile; /* NULL: unknown */
};

static bool all_exes_ignored(const struct scw_rules *rs, const struct scw_aggregate *agg,
                             const struct scw_proposal *p)
{
    if (p->n_exes == 0 || p->exes_truncated)
        return false;
    for (unsigned i = 0; i < p->n_exes; i++) {
        const char *exe = scw_aggregate_string(agg, p->exes[i]);
        if (!exe || !scw_rules_ignores(rs, NULL, exe, NULL, NULL))
            return false;
    }
    return true;
}

/*
 * Vulnerability blocks outrank every rule: a syscall a CVE block names stays refused whatever
 * the rules say. The vulns module answers through in->vuln_block (wired by the lead).
 */
static bool apply_vulnerability_blocks(const struct scw_advise_input *in, const struct subject *s,
                                       struct scw_proposal *p)
{
    struct scw_advise_block b = {0};
    if (!in->vuln_block ||
        !in->vuln_block(in->vuln_ctx, s->container, p->arch, p->named ? p->syscall : NULL, &b))
        return false;
    p->decision = p->undemoted = SCW_DECISION_DENY;
    p->rule = b.name ? b.name : "vulnerability";
    p->reason = b.reason ? b.reason : "a vulnerability still unfixed in this workload";
    p->link = b.link;
    p->evidence = b.evidence;
    p->vuln = b.vuln;
    p->blocked = true;
    return true;
}

static void decide(const struct scw_advise_input *in, const struct subject *s,
                   struct scw_proposal *p)
{
    const struct scw_rules *rs = in->rules;
    const char *name = p->named ? p->syscall : NULL;
    p->rule = NULL;
    p->reason = NULL;
    p->link = NULL;
    p->evidence = NULL;
    memset(&p->vuln, 0, sizeof(p->vuln));
    p->blocked = p->ignored_by_list = p->demoted = p->human_overridden = false;
    p->human = NULL;
    p->demoted_why[0] = '\0';
    p->min_events = rs->defaults.thresholds.min_events;
    p->min_processes = rs->defaults.thresholds.min_processes;
    if (apply_vulnerability_blocks(in, s, p)) {
        /* decided */
    } else if (scw_rules_ignores(rs, s->container, NULL, NULL, name) ||
               all_exes_ignored(rs, in->agg, p)) {
        p->decision = p->undemoted = SCW_DECISION_IGNORE;
        p->rule = "ignore";
        p->reason = "listed under ignore: in the rule file";
        p->ignored_by_list = true;
    } else {
        struct scw_decision d;
        scw_rules_decide(rs, s->container, s->exes, s->n_exes, p->arch ? p->arch : "unknown", name,
                         p->count, p->processes, &d);
        p->decision = d.decision;
        p->undemoted = d.undemoted;
        p->rule = d.rule_name;
        p->reason = d.reason;
        p->link = d.link;
        p->demoted = d.demoted;
        snprintf(p->demoted_why, sizeof(p->demoted_why), "%s", d.demoted_why);
        p->min_events = d.min_events;
        p->min_processes = d.min_processes;
        if (p->decision == SCW_DECISION_ALLOW && !p->named) {
            p->decision = SCW_DECISION_REVIEW;
            p->demoted = true;
            snprintf(p->demoted_why, sizeof(p->demoted_why),
                     "libseccomp has no name for number %u: a profile cannot list it", p->nr);
        }
    }
    p->current =
        (struct scw_advise_answer){.verdict = SCW_CURRENT_UNKNOWN, .errno_value = -1, .entry = -1};
    if (s->profile && s->profile->query) {
        struct scw_advise_answer a;
        if (s->profile->query(s->profile->ctx, p->arch_token, name, &a) == 0)
            p->current = a;
    }
}

/* A person's decision outranks every rule, ignore list and threshold; never a block. */
static void apply_human(const struct scw_advise_input *in, const char *group,
                        struct scw_proposal *p)
{
    if (!p->named)
        return;
    const struct scw_human_decision *h = NULL;
    for (size_t i = in->n_pending; i-- > 0 && !h;)
        if (strcmp(in->pending[i].group, group) == 0 &&
            strcmp(in->pending[i].syscall, p->syscall) == 0)
            h = &in->pending[i];
    if (!h)
        h = scw_rules_human_decision(in->rules, group, p->syscall);
    if (!h)
        return;
    p->human = h;
    if (p->blocked) {
        p->human_overridden = h->decision != SCW_DECISION_DENY;
        return;
    }
    p->decision = p->undemoted = h->decision;
    p->rule = "human-decision";
    p->reason = h->reason;
    p->link = NULL;
    p->ignored_by_list = p->demoted = false;
    p->demoted_why[0] = '\0';
}

bool scw_proposal_open(const struct scw_proposal *p)
{
    return p->named && !p->human && !p->blocked && p->decision != SCW_DECISION_IGNORE;
}

static void name_proposal(struct scw_proposal *p)
{
    struct scw_syscall_name nm;
    scw_name_lookup(p->audit_arch, p->nr, &nm);
    p->arch_token = nm.token;
    p->arch = nm.token ? nm.arch : NULL;
    p->named = nm.name && strlen(nm.name) < sizeof(p->syscall);
    snprintf(p->syscall, sizeof(p->syscall), "%s", p->named ? nm.name : "");
}

/* ---- groups ---- */

/* What makes workloads replicas: the same profile and the same set of matching selectors;
 * for a runtime's profile that no selector names, the same owner too (advise_owner). */
struct member_key {
    size_t order; /* position in report order */
    int profile;
    uint64_t *selectors; /* bitmap over rs->selectors */
    size_t words;        /* of the bitmap (the same for every key) */
    char owner[SCW_ADVISE_NAME_MAX];
};

static int cmp_replicas(const struct member_key *a, const struct member_key *b)
{
    if (a->profile != b->profile)
        return a->profile < b->profile ? -1 : 1;
    int c = memcmp(a->selectors, b->selectors, a->words * sizeof(uint64_t));
    return c ? c : strcmp(a->owner, b->owner);
}

static int cmp_member(const void *x, const void *y)
{
    const struct member_key *a = x, *b = y;
    int c = cmp_replicas(a, b);
    if (c)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int cmp_group_order(const void *x, const void *y)
{
    const struct scw_advice_group *a = x, *b = y;
    /* members[0] holds the report position while ordering (see build_groups) */
    return a->members[0] < b->members[0] ? -1 : a->members[0] > b->members[0];
}

static void fmt_utc(int64_t sec, char *buf, size_t cap)
{
    struct tm tm;
    time_t t = (time_t)sec;
    if (sec == 0 || !gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, cap, "an unknown time");
}

static int cmp_proposal_name(const void *x, const void *y)
{
    return strcmp((*(const struct scw_proposal *const *)x)->syscall,
                  (*(const struct scw_proposal *const *)y)->syscall);
}

/*
 * The allow list of the tuned profile: names every proposal of which (over all arches)
 * decided allow; a name that another arch keeps refused (deny, review, ignore) stays out.
 * Also the comment of the allow entry.
 */
static int build_allow(struct scw_advice_group *g, const char *noun)
{
    /* the named proposals sorted by name: one run per syscall, over its architectures */
    const struct scw_proposal **byname =
        calloc(g->n_proposals ? g->n_proposals : 1, sizeof(*byname));
    const char **names = calloc(g->n_proposals ? g->n_proposals : 1, sizeof(*names));
    if (!byname || !names) {
        free(byname);
        free(names);
        return -ENOMEM;
    }
    size_t n = 0, u = 0;
    for (size_t i = 0; i < g->n_proposals; i++)
        if (g->proposals[i].named)
            byname[n++] = &g->proposals[i];
    qsort(byname, n, sizeof(*byname), cmp_proposal_name);
    int64_t first = 0, last = 0;
    uint32_t first_ms = 0, last_ms = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        bool all_allow = true;
        for (; j < n && strcmp(byname[j]->syscall, byname[i]->syscall) == 0; j++)
            all_allow &= byname[j]->decision == SCW_DECISION_ALLOW;
        if (all_allow) {
            names[u++] = byname[i]->syscall;
            for (size_t k = i; k < j; k++) {
                g->allow_events += byname[k]->count;
                widen_first(&first, &first_ms, byname[k]->first_sec, byname[k]->first_msec);
                widen_last(&last, &last_ms, byname[k]->last_sec, byname[k]->last_msec);
            }
        }
        i = j;
    }
    free(byname);
    g->allow = names;
    g->n_allow = u;
    char f[32], l[32];
    fmt_utc(first, f, sizeof(f));
    fmt_utc(last, l, sizeof(l));
    snprintf(g->comment, sizeof(g->comment),
             "scmpwatch: allowed %zu syscall%s seen in %llu event%s in %zu %s%s, %s to %s", u,
             u == 1 ? "" : "s", (unsigned long long)g->allow_events,
             g->allow_events == 1 ? "" : "s", g->n_members, noun, g->n_members == 1 ? "" : "s", f,
             l);
    return 0;
}

static void subject_of(const struct scw_advise_input *in, uint32_t wi, int profile,
                       struct subject *s)
{
    const struct scw_workload *w = scw_aggregate_workload_at(in->agg, wi);
    s->container = w->container;
    s->n_exes = advise_workload_exes(in->agg, w, s->exes);
    s->profile = profile >= 0 ? &in->profiles[profile] : NULL;
}

/* Merge the members' proposals and decide on the sums. */
static int group_proposals(const struct scw_advise_input *in, struct scw_advice *a,
                           struct scw_advice_group *g)
{
    size_t total = 0;
    for (size_t m = 0; m < g->n_members; m++)
        total += a->workloads[g->members[m]].n_proposals;
    struct scw_proposal *v = calloc(total ? total : 1, sizeof(*v));
    if (!v)
        return -ENOMEM;
    size_t n = 0;
    for (size_t m = 0; m < g->n_members; m++) {
        const struct scw_workload_advice *wa = &a->workloads[g->members[m]];
        memcpy(v + n, wa->proposals, wa->n_proposals * sizeof(*v));
        n += wa->n_proposals;
        const struct scw_workload *w = scw_aggregate_workload_at(in->agg, g->members[m]);
        g->events += w->events;
        widen_first(&g->first_sec, &g->first_msec, w->first_sec, w->first_msec);
        widen_last(&g->last_sec, &g->last_msec, w->last_sec, w->last_msec);
    }
    n = merge_sorted(v, n);
    /* members match the same selectors, so the first one stands for all in rule matching */
    struct subject s;
    subject_of(in, g->members[0], g->profile, &s);
    for (size_t i = 0; i < n; i++) {
        decide(in, &s, &v[i]);
        apply_human(in, g->name, &v[i]);
    }
    g->proposals = v;
    g->n_proposals = n;
    return build_allow(g, scw_advice_group_noun(in->agg, g));
}

static int build_groups(const struct scw_advise_input *in, struct scw_advice *a,
                        const struct scw_agg_view *view)
{
    const struct scw_rules *rs = in->rules;
    size_t n_sel = rs->n_selectors, words = n_sel / 64 + 1;
    struct member_key *keys = calloc(view->n_workloads ? view->n_workloads : 1, sizeof(*keys));
    uint64_t *bits = calloc((view->n_workloads ? view->n_workloads : 1) * words, sizeof(uint64_t));
    int rc = -ENOMEM;
    if (!keys || !bits)
        goto out;
    size_t n = 0;
    for (size_t i = 0; i < view->n_workloads; i++) {
        uint32_t wi = view->workloads[i];
        if (a->workloads[wi].profile < 0)
            continue;
        struct member_key *k = &keys[n];
        k->order = i;
        k->profile = a->workloads[wi].profile;
        k->selectors = bits + n * words;
        k->words = words;
        struct subject s;
        subject_of(in, wi, -1, &s);
        bool any = false;
        for (size_t j = 0; j < n_sel; j++)
            if (scw_rules_selector_matches(&rs->selectors[j], s.container, s.exes, s.n_exes)) {
                k->selectors[j / 64] |= 1ull << (j % 64);
                any = true;
            }
        if (!any && a->workloads[wi].source == SCW_ADVISE_SOURCE_RUNTIME && s.container)
            advise_owner(s.container, k->owner, sizeof(k->owner));
        n++;
    }
    qsort(keys, n, sizeof(*keys), cmp_member);
    size_t n_groups = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || cmp_replicas(&keys[i - 1], &keys[i]) != 0)
            n_groups++;
    a->groups = calloc(n_groups ? n_groups : 1, sizeof(*a->groups));
    if (!a->groups)
        goto out;
    /* fill: members in report order (keys are sorted by order within a group) */
    size_t gi = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && cmp_replicas(&keys[i], &keys[j]) == 0)
            j++;
        struct scw_advice_group *g = &a->groups[gi++];
        g->members = calloc(j - i, sizeof(*g->members));
        if (!g->members) {
            a->n_groups = gi;
            goto out;
        }
        g->n_members = j - i;
        g->profile = keys[i].profile;
        for (size_t k = i; k < j; k++)
            g->members[k - i] = (uint32_t)keys[k].order; /* report positions, for ordering */
        i = j;
    }
    a->n_groups = n_groups;
    qsort(a->groups, n_groups, sizeof(*a->groups), cmp_group_order);
    for (size_t k = 0; k < n_groups; k++) {
        struct scw_advice_group *g = &a->groups[k];
        for (size_t m = 0; m < g->n_members; m++)
            g->members[m] = view->workloads[g->members[m]];
        const struct scw_workload_advice *first = &a->workloads[g->members[0]];
        g->source = first->source;
        g->path = first->path;
        struct subject s;
        subject_of(in, g->members[0], -1, &s);
        for (size_t j = 0; j < n_sel && !g->selector; j++)
            if (scw_rules_selector_matches(&rs->selectors[j], s.container, s.exes, s.n_exes))
                g->selector = rs->selectors[j].name;
        for (size_t m = 0; m < g->n_members; m++)
            a->workloads[g->members[m]].group = (int)k;
    }
    advise_name_groups(a->groups, n_groups, in->agg);
    for (size_t k = 0; k < n_groups; k++)
        if ((rc = group_proposals(in, a, &a->groups[k])) < 0)
            goto out;
    /* the members' own proposals show the people's decisions of their group too */
    for (size_t k = 0; k < n_groups; k++) {
        const struct scw_advice_group *g = &a->groups[k];
        for (size_t m = 0; m < g->n_members; m++) {
            struct scw_workload_advice *wa = &a->workloads[g->members[m]];
            for (size_t i = 0; i < wa->n_proposals; i++)
                apply_human(in, g->name, &wa->proposals[i]);
        }
    }
    rc = 0;
out:
    free(keys);
    free(bits);
    return rc;
}

const char *scw_advice_group_noun(const struct scw_aggregate *agg, const struct scw_advice_group *g)
{
    for (size_t m = 0; m < g->n_members; m++) {
        const struct scw_workload *w = scw_aggregate_workload_at(agg, g->members[m]);
        if (!w || !w->container)
            return "workload";
    }
    return "container";
}

/* ---- the whole run ---- */

static int workload_proposals(const struct scw_advise_input *in, const struct scw_agg_view *view,
                              uint32_t wi, struct scw_workload_advice *wa)
{
    size_t n = view->start[wi + 1] - view->start[wi];
    struct scw_proposal *v = calloc(n ? n : 1, sizeof(*v));
    if (!v)
        return -ENOMEM;
    for (size_t k = 0; k < n; k++)
        proposal_from_entry(scw_aggregate_entry_at(in->agg, view->entries[view->start[wi] + k]),
                            &v[k]);
    n = merge_sorted(v, n);
    struct subject s;
    subject_of(in, wi, wa->profile, &s);
    for (size_t k = 0; k < n; k++) {
        v[k].seen_in = 1;
        name_proposal(&v[k]);
        decide(in, &s, &v[k]);
    }
    wa->proposals = v;
    wa->n_proposals = n;
    return 0;
}

/* A labels: selector cannot match a container whose runtime gave no labels: count those, so
 * the report says it once instead of the selector silently matching nothing. */
static void count_unlabelled(const struct scw_advise_input *in, struct scw_advice *a)
{
    for (size_t i = 0; i < in->rules->n_selectors && !a->labels_selector; i++)
        if (in->rules->selectors[i].n_labels)
            a->labels_selector = in->rules->selectors[i].name;
    if (!a->labels_selector)
        return;
    size_t nw = scw_aggregate_n_workloads(in->agg);
    for (size_t w = 0; w < nw; w++) {
        const struct scw_container *c = scw_aggregate_workload_at(in->agg, w)->container;
        if (c && c->id && !c->labels)
            a->n_unlabelled++;
    }
}

int scw_advise(const struct scw_advise_input *in, struct scw_advice **ret)
{
    if (!in || !in->agg || !in->rules || !ret)
        return -EINVAL;
    size_t nw = scw_aggregate_n_workloads(in->agg);
    if (in->assign)
        for (size_t i = 0; i < nw; i++)
            if (in->assign[i].profile >= (int)in->n_profiles || in->assign[i].profile < -1)
                return -EINVAL;
    struct scw_advice *a = calloc(1, sizeof(*a));
    if (!a)
        return -ENOMEM;
    a->enforce_action = in->rules->defaults.action;
    a->enforce_errno = in->rules->defaults.errno_value;
    a->grid = *scw_aggregate_grid(in->agg);
    a->workloads = calloc(nw ? nw : 1, sizeof(*a->workloads));
    a->n_workloads = nw;
    struct scw_agg_view view = {0};
    int rc = -ENOMEM;
    if (!a->workloads || scw_aggregate_view(in->agg, &view) < 0)
        goto fail;
    for (size_t i = 0; i < nw; i++) {
        struct scw_workload_advice *wa = &a->workloads[i];
        wa->group = -1;
        wa->profile = -1;
        if (in->assign) {
            wa->source = in->assign[i].source;
            wa->path = in->assign[i].path;
            wa->profile = in->assign[i].profile;
            wa->error = in->assign[i].error;
        }
        if ((rc = workload_proposals(in, &view, (uint32_t)i, wa)) < 0)
            goto fail;
    }
    count_unlabelled(in, a);
    if ((rc = build_groups(in, a, &view)) < 0 || (rc = advise_evidence(in, a)) < 0)
        goto fail;
    scw_agg_view_release(&view);
    *ret = a;
    return 0;
fail:
    scw_agg_view_release(&view);
    scw_advice_free(a);
    return rc;
}

void scw_advice_free(struct scw_advice *a)
{
    if (!a)
        return;
    for (size_t i = 0; a->workloads && i < a->n_workloads; i++)
        free(a->workloads[i].proposals);
    free(a->workloads);
    for (size_t i = 0; a->groups && i < a->n_groups; i++) {
        free(a->groups[i].members);
        free(a->groups[i].proposals);
        free(a->groups[i].allow);
    }
    free(a->groups);
    free(a);
}

const struct scw_proposal *scw_advice_find(const struct scw_proposal *p, size_t n, const char *arch,
                                           const char *syscall)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].named && strcmp(p[i].syscall, syscall) == 0 &&
            (!arch || (p[i].arch && strcmp(p[i].arch, arch) == 0)))
            return &p[i];
    return NULL;
}
