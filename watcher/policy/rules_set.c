/*
 * rules_set: the rule set object (scw_rules_new with the built-in defaults, scw_rules_free)
 * and the name tables of its vocabulary: decisions, severities, errno names and the
 * enforcing default actions a tuned profile may use.
 *
 * It does not load or match (rules_load.c, rules_match.c). Callers: everything that builds a
 * rule set (cmd_rules, rules_files.c, tests); the names also serve the section loaders,
 * vulns, propose, cmd_vulns and advice_report.
 */
#include "rules.h"
#include "rules_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- names ---------------------------------------------------------------- */

static const char *const decision_names[SCW_DECISION_MAX] = {"allow", "deny", "review", "ignore"};
static const char *const severity_names[SCW_SEVERITY_MAX] = {"unknown", "negligible", "low",
                                                             "medium",  "high",       "critical"};

const char *scw_decision_name(enum scw_decision_kind d)
{
    return d >= 0 && d < SCW_DECISION_MAX ? decision_names[d] : NULL;
}

enum scw_decision_kind scw_decision_from_name(const char *name)
{
    for (int i = 0; i < SCW_DECISION_MAX; i++)
        if (strcmp(name, decision_names[i]) == 0)
            return (enum scw_decision_kind)i;
    return SCW_DECISION_INVALID;
}

const char *scw_severity_name(enum scw_severity s)
{
    return s >= 0 && s < SCW_SEVERITY_MAX ? severity_names[s] : NULL;
}

enum scw_severity scw_severity_from_name(const char *name)
{
    for (int i = 0; i < SCW_SEVERITY_MAX; i++)
        if (strcasecmp(name, severity_names[i]) == 0)
            return (enum scw_severity)i;
    return SCW_SEVERITY_INVALID;
}

static const struct {
    const char *name;
    int value;
} errnos[] = {
    {"EPERM", EPERM},
    {"ENOENT", ENOENT},
    {"ESRCH", ESRCH},
    {"EINTR", EINTR},
    {"EIO", EIO},
    {"ENXIO", ENXIO},
    {"E2BIG", E2BIG},
    {"ENOEXEC", ENOEXEC},
    {"EBADF", EBADF},
    {"ECHILD", ECHILD},
    {"EAGAIN", EAGAIN},
    {"ENOMEM", ENOMEM},
    {"EACCES", EACCES},
    {"EFAULT", EFAULT},
    {"EBUSY", EBUSY},
    {"EEXIST", EEXIST},
    {"EXDEV", EXDEV},
    {"ENODEV", ENODEV},
    {"ENOTDIR", ENOTDIR},
    {"EISDIR", EISDIR},
    {"EINVAL", EINVAL},
    {"ENFILE", ENFILE},
    {"EMFILE", EMFILE},
    {"ENOTTY", ENOTTY},
    {"ETXTBSY", ETXTBSY},
    {"EFBIG", EFBIG},
    {"ENOSPC", ENOSPC},
    {"ESPIPE", ESPIPE},
    {"EROFS", EROFS},
    {"EMLINK", EMLINK},
    {"EPIPE", EPIPE},
    {"ENOSYS", ENOSYS},
    {"EOPNOTSUPP", EOPNOTSUPP},
    {"ENOTSUP", ENOTSUP},
    {"EAFNOSUPPORT", EAFNOSUPPORT},
};

int scw_rules_errno_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
        if (strcmp(name, errnos[i].name) == 0)
            return errnos[i].value;
    if (!*name || strlen(name) > 4)
        return -EINVAL;
    int v = 0;
    for (const char *p = name; *p; p++) {
        if (*p < '0' || *p > '9')
            return -EINVAL;
        v = v * 10 + (*p - '0');
    }
    return v >= 1 && v <= 4095 ? v : -EINVAL;
}

const char *scw_rules_errno_name(int value)
{
    for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
        if (errnos[i].value == value)
            return errnos[i].name;
    return NULL;
}

/* Enforcing default actions a tuned profile may use (libseccomp/Docker spellings). */
static const char *const enforcing_actions[] = {
    "SCMP_ACT_ERRNO",       "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
};
#define N_ENFORCING (sizeof(enforcing_actions) / sizeof(enforcing_actions[0]))

const char *rules_enforcing_action(const char *name)
{
    for (size_t i = 0; i < N_ENFORCING; i++)
        if (strcmp(name, enforcing_actions[i]) == 0)
            return enforcing_actions[i];
    return NULL;
}

/* ---- lifetime -------------------------------------------------------------------------------- */

struct scw_rules *scw_rules_new(void)
{
    struct scw_rules *rs = calloc(1, sizeof(*rs));
    if (!rs)
        return NULL;
    rs->defaults.decision = SCW_DECISION_ALLOW;
    rs->defaults.thresholds.min_events = 1;
    rs->defaults.thresholds.min_processes = 1;
    rs->defaults.thresholds.has_min_events = true;
    rs->defaults.thresholds.has_min_processes = true;
    rs->defaults.action = enforcing_actions[0];
    rs->defaults.errno_value = EPERM;
    return rs;
}

static void free_globs(struct scw_globs *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i]);
    free(g->v);
}

static void free_set(struct scw_syscall_set *s)
{
    for (size_t i = 0; i < s->n_items; i++)
        free(s->items[i].name);
    free(s->items);
    free(s->names);
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void scw_rules_free(struct scw_rules *rs)
{
    if (!rs)
        return;
    free(rs->profiles_dir);
    for (size_t i = 0; i < rs->n_groups; i++) {
        free(rs->groups[i].name);
        free(rs->groups[i].description);
        free_set(&rs->groups[i].set);
    }
    free(rs->groups);
    for (size_t i = 0; i < rs->n_selectors; i++) {
        struct scw_selector *s = &rs->selectors[i];
        free(s->name);
        struct scw_globs *all[] = {&s->names,          &s->images,     &s->runtimes,
                                   &s->cgroups,        &s->namespaces, &s->pods,
                                   &s->k8s_containers, &s->ids,        &s->executables};
        for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
            free_globs(all[k]);
        for (size_t k = 0; k < s->n_labels; k++) {
            free(s->labels[k].key);
            free(s->labels[k].glob);
        }
        free(s->labels);
        free(s->profile);
    }
    free(rs->selectors);
    for (size_t i = 0; i < rs->n_rules; i++) {
        struct scw_rule *r = &rs->rules[i];
        free(r->name);
        free(r->reason);
        free(r->link);
        free_set(&r->syscalls);
        free_globs(&r->arches);
        free_strv(r->selector_names, r->n_selectors);
        free(r->selectors);
    }
    free(rs->rules);
    for (size_t i = 0; i < rs->n_cve_blocks; i++) {
        struct scw_cve_block *b = &rs->cve_blocks[i];
        free(b->name);
        free_strv(b->cves, b->n_cves);
        free(b->package);
        free_strv(b->kernel_below, b->n_kernel_below);
        free(b->kernel_since);
        free_set(&b->syscalls);
        free(b->reason);
        free(b->link);
    }
    free(rs->cve_blocks);
    for (size_t i = 0; i < rs->n_decisions; i++) {
        struct scw_human_decision *d = &rs->decisions[i];
        free(d->group);
        free(d->syscall);
        free(d->reason);
        free(d->by);
        free(d->at);
    }
    free(rs->decisions);
    free_globs(&rs->ignore.executables);
    free_globs(&rs->ignore.comms);
    free_set(&rs->ignore.syscalls);
    free_strv(rs->ignore.selector_names, rs->ignore.n_selectors);
    free(rs->ignore.selectors);
    free_strv(rs->warnings, rs->n_warnings);
    free_strv(rs->files, rs->n_files);
    free(rs);
}
