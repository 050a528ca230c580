/*
 * rules_match: the questions later stages ask of a loaded rule set: which decision a
 * (workload, syscall) gets (scw_rules_decide), whether an event is dropped before counting
 * (scw_rules_ignores, scw_rules_filter_record), which selector matches a workload and which
 * profile file it runs (scw_rules_profile_for).
 *
 * Pure: no I/O, no allocation, nothing written to the rule set. Patterns are fnmatch(3)
 * globs, tried first for equality; image patterns also match without Docker Hub's implied
 * prefixes. It does not load or expand anything (rules_load.c, rules_expand.c).
 * Callers: cmd_watch and cmd_replay (ignore lists), advise (decisions, selectors, profiles).
 */
#include "rules.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "name.h"

static bool glob_one(const char *pattern, const char *s)
{
    return strcmp(pattern, s) == 0 || fnmatch(pattern, s, 0) == 0;
}

static bool globs_match(const struct scw_globs *g, const char *s)
{
    if (!s)
        return false;
    for (size_t i = 0; i < g->n; i++)
        if (glob_one(g->v[i], s))
            return true;
    return false;
}

/* Whether an image pattern has a tag or digest ("nginx:1.25", "x@sha256:..."). */
static bool image_has_tag(const char *p)
{
    const char *slash = strrchr(p, '/');
    return strchr(p, '@') || strchr(slash ? slash : p, ':');
}

/*
 * Image references are compared as written and without the implicit Docker Hub prefixes
 * ("docker.io/library/nginx:1.25" matches "nginx:1.25"); a pattern without a tag or digest
 * matches every tag and digest of the image.
 */
static const char *const hub_prefixes[] = {"", "docker.io/library/", "docker.io/",
                                           "index.docker.io/library/", "index.docker.io/"};
#define N_HUB_PREFIXES (sizeof(hub_prefixes) / sizeof(hub_prefixes[0]))

static bool image_match_one(const char *pattern, const char *image)
{
    const char *const *prefixes = hub_prefixes;
    for (size_t i = 1; i < N_HUB_PREFIXES; i++)
        if (strncmp(pattern, prefixes[i], strlen(prefixes[i])) == 0) {
            pattern += strlen(prefixes[i]); /* compare without the implied prefix */
            break;
        }
    bool untagged = !image_has_tag(pattern);
    for (size_t i = 0; i < N_HUB_PREFIXES; i++) {
        size_t pl = strlen(prefixes[i]);
        if (strncmp(image, prefixes[i], pl) != 0)
            continue;
        const char *rest = image + pl;
        if (glob_one(pattern, rest))
            return true;
        if (!untagged)
            continue;
        char bare[512];
        size_t len = strlen(rest);
        if (len >= sizeof(bare))
            continue;
        memcpy(bare, rest, len + 1);
        char *at = strchr(bare, '@');
        if (at)
            *at = '\0';
        char *slash = strrchr(bare, '/');
        char *colon = strchr(slash ? slash : bare, ':');
        if (colon)
            *colon = '\0';
        if (glob_one(pattern, bare))
            return true;
    }
    return false;
}

static const char *label_value(char *const *labels, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; labels && labels[i]; i++)
        if (strncmp(labels[i], key, kl) == 0 && labels[i][kl] == '=')
            return labels[i] + kl + 1;
    return NULL;
}

bool scw_rules_selector_matches(const struct scw_selector *sel, const struct scw_container *c,
                                const char *const *exes, size_t n_exes)
{
    if (sel->host == 1 && c)
        return false;
    if (sel->host == 0 && !c)
        return false;
    struct {
        const struct scw_globs *g;
        const char *value;
    } fields[] = {
        {&sel->names, c ? c->name : NULL},     {&sel->runtimes, c ? c->runtime : NULL},
        {&sel->cgroups, c ? c->cgroup : NULL}, {&sel->namespaces, c ? c->namespace : NULL},
        {&sel->pods, c ? c->pod : NULL},       {&sel->k8s_containers, c ? c->k8s_container : NULL},
        {&sel->ids, c ? c->id : NULL},
    };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (fields[i].g->n && !globs_match(fields[i].g, fields[i].value))
            return false;
    if (sel->images.n) {
        bool ok = false;
        for (size_t i = 0; c && c->image && i < sel->images.n && !ok; i++)
            ok = image_match_one(sel->images.v[i], c->image);
        if (!ok)
            return false;
    }
    for (size_t i = 0; i < sel->n_labels; i++) {
        const char *v = c ? label_value(c->labels, sel->labels[i].key) : NULL;
        if (!v || !glob_one(sel->labels[i].glob, v))
            return false;
    }
    if (sel->executables.n) {
        bool ok = false;
        for (size_t i = 0; i < n_exes && !ok; i++)
            ok = globs_match(&sel->executables, exes[i]);
        if (!ok)
            return false;
    }
    return true;
}

static bool any_selector(const struct scw_rules *rs, const size_t *idx, size_t n,
                         const struct scw_container *c, const char *const *exes, size_t n_exes)
{
    for (size_t i = 0; i < n; i++)
        if (scw_rules_selector_matches(&rs->selectors[idx[i]], c, exes, n_exes))
            return true;
    return false;
}

enum scw_decision_kind scw_rules_decide(const struct scw_rules *rs, const struct scw_container *c,
                                        const char *const *exes, size_t n_exes, const char *arch,
                                        const char *syscall, uint64_t count,
                                        uint32_t distinct_processes, struct scw_decision *ret)
{
    const struct scw_rule *hit = NULL;
    for (size_t i = 0; i < rs->n_rules && !hit; i++) {
        const struct scw_rule *r = &rs->rules[i];
        if (r->arches.n && !globs_match(&r->arches, arch))
            continue;
        if (!r->syscalls.all && !scw_syscall_set_has(&r->syscalls, syscall))
            continue;
        if (r->n_selectors && !any_selector(rs, r->selectors, r->n_selectors, c, exes, n_exes))
            continue;
        hit = r;
    }
    struct scw_decision d = {
        .decision = hit ? hit->decision : rs->defaults.decision,
        .rule = hit,
        .rule_name = hit ? hit->name : "defaults",
        .reason = hit ? hit->reason : "no rule matched: the rule file's default decision",
        .link = hit ? hit->link : NULL,
    };
    d.undemoted = d.decision;
    const struct scw_thresholds *t = &rs->defaults.thresholds;
    d.min_events =
        hit && hit->thresholds.has_min_events ? hit->thresholds.min_events : t->min_events;
    d.min_processes =
        hit && hit->thresholds.has_min_processes ? hit->thresholds.min_processes : t->min_processes;
    if (d.decision == SCW_DECISION_ALLOW) {
        if (count < d.min_events)
            snprintf(d.demoted_why, sizeof(d.demoted_why), "seen %llu time%s (minimum %llu)",
                     (unsigned long long)count, count == 1 ? "" : "s",
                     (unsigned long long)d.min_events);
        else if (distinct_processes < d.min_processes)
            snprintf(d.demoted_why, sizeof(d.demoted_why), "seen in %u process%s (minimum %u)",
                     distinct_processes, distinct_processes == 1 ? "" : "es", d.min_processes);
        if (d.demoted_why[0]) {
            d.demoted = true;
            d.decision = SCW_DECISION_REVIEW;
        }
    }
    if (ret)
        *ret = d;
    return d.decision;
}

static bool ignores(const struct scw_rules *rs, const struct scw_container *c, const char *exe,
                    const char *comm, const char *syscall, bool check_containers)
{
    if (globs_match(&rs->ignore.executables, exe) || globs_match(&rs->ignore.comms, comm) ||
        scw_syscall_set_has(&rs->ignore.syscalls, syscall))
        return true;
    if (!check_containers)
        return false;
    const char *const *exes = (const char *const *)&exe;
    return any_selector(rs, rs->ignore.selectors, rs->ignore.n_selectors, c, exes, exe ? 1 : 0);
}

bool scw_rules_ignores(const struct scw_rules *rs, const struct scw_container *c, const char *exe,
                       const char *comm, const char *syscall)
{
    return ignores(rs, c, exe, comm, syscall, true);
}

bool scw_rules_filter_record(void *ctx, const struct scw_record *r)
{
    const struct scw_rules *rs = ctx;
    if (!rs->ignore.executables.n && !rs->ignore.comms.n && !rs->ignore.syscalls.n_names)
        return false; /* the usual case: no name lookup per record */
    struct scw_syscall_name n;
    scw_name_lookup(r->arch, r->syscall, &n);
    return ignores(rs, NULL, r->exe[0] ? r->exe : NULL, r->comm[0] ? r->comm : NULL, n.name, false);
}

const char *scw_rules_profile_for(const struct scw_rules *rs, const struct scw_container *c,
                                  const char *const *exes, size_t n_exes)
{
    for (size_t i = 0; i < rs->n_selectors; i++)
        if (rs->selectors[i].profile &&
            scw_rules_selector_matches(&rs->selectors[i], c, exes, n_exes))
            return rs->selectors[i].profile;
    return NULL;
}
