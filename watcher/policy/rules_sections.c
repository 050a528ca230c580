/*
 * rules_sections: the groups, containers, ignore, rules and defaults sections of a rule file,
 * checked and layered onto the rule set (groups and ignore lists append, defaults override key
 * by key, rules and selectors are added under unique names).
 *
 * Each parser gets the section's YAML node and reports the first error at the offending node.
 * It does not read files, expand syscall lists (rules_expand.c) or load cve_blocks
 * (rules_cve.c). Caller: parse_file() in rules_load.c, through rules_impl.h.
 */
#include "rules.h"
#include "rules_impl.h"
#include "yaml_tree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "name.h"

int rules_parse_groups(struct rules_loader *l, const struct scw_yaml_node *n)
{
    struct scw_rules *rs = l->rs;
    if (scw_yaml_is_null(n))
        return 0;
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_MAP, "'groups'");
    if (rc < 0)
        return rc;
    size_t *touched = calloc(n->n / 2 + 1, sizeof(*touched));
    size_t n_touched = 0;
    if (!touched)
        return rules_oom(l);
    for (size_t i = 0; i + 1 < n->n && rc == 0; i += 2) {
        const struct scw_yaml_node *key = n->kids[i], *val = n->kids[i + 1];
        const char *gname = key->s[0] == '@' ? key->s + 1 : key->s;
        if (!rules_valid_name(gname)) {
            rc =
                rules_fail(l, key,
                           "invalid group name '%s' (expected 1 to %d letters, digits, '_', '-' or "
                           "'.', optionally after '@')",
                           key->s, SCW_RULES_MAX_NAME);
            break;
        }
        char what[128];
        snprintf(what, sizeof(what), "group '@%s'", gname);
        size_t gi;
        struct scw_group *g = (struct scw_group *)rules_find_group(rs, gname, &gi);
        if (!g) {
            if (rs->n_groups >= SCW_RULES_MAX_GROUPS) {
                rc = rules_fail(l, key, "more than %d groups (the limit)", SCW_RULES_MAX_GROUPS);
                break;
            }
            if (rules_grow(&rs->groups, rs->n_groups, sizeof(*rs->groups)) < 0) {
                rc = rules_oom(l);
                break;
            }
            gi = rs->n_groups++;
            g = &rs->groups[gi];
            rules_where_of(l, key, &g->where);
            if (!(g->name = strdup(gname))) {
                rc = rules_oom(l);
                break;
            }
        }
        touched[n_touched++] = gi;
        const struct scw_yaml_node *list = val;
        if (val->kind == SCW_YAML_MAP) {
            static const char *const keys[] = {"description", "syscalls", NULL};
            if ((rc = scw_yaml_check_keys(&l->y, val, keys, what)) < 0)
                break;
            const struct scw_yaml_node *d = scw_yaml_map_get(val, "description");
            if (d) {
                free(g->description);
                g->description = NULL;
                char fw[192];
                if ((rc = scw_yaml_get_string(&l->y, d,
                                              rules_field(fw, sizeof(fw), "description", what),
                                              &g->description)) < 0)
                    break;
            }
            list = scw_yaml_map_get(val, "syscalls");
            if (!list) {
                rc = rules_fail(l, val, "%s has no 'syscalls' list", what);
                break;
            }
        }
        if (scw_yaml_is_null(list) || (list->kind == SCW_YAML_SEQ && list->n == 0))
            continue; /* an empty group: something to append to later */
        rc = rules_get_syscalls(l, list, what, false, false, &g->set);
    }
    /* now that every group of the file exists, check the references the file added */
    for (size_t t = 0; t < n_touched && rc == 0; t++) {
        struct scw_group *g = &rs->groups[touched[t]];
        for (size_t k = 0; k < g->set.n_items && rc == 0; k++) {
            struct scw_syscall_item *it = &g->set.items[k];
            if (it->is_group && !rules_find_group(rs, it->name, &it->group))
                rc = rules_fail_at(l, &it->where,
                                   "unknown group '@%s' in group '@%s' (define it under 'groups:')",
                                   it->name, g->name);
        }
    }
    free(touched);
    return rc;
}

/* The `labels:` of a selector: exact keys, each with a pattern for its value. */
static int get_labels(struct rules_loader *l, const struct scw_yaml_node *labels, const char *what,
                      struct scw_selector *s)
{
    char fw[192];
    snprintf(fw, sizeof(fw), "'labels' of %s", what);
    int rc = scw_yaml_expect(&l->y, labels, SCW_YAML_MAP, fw);
    if (rc < 0)
        return rc;
    s->labels = calloc(labels->n / 2 + 1, sizeof(*s->labels));
    if (!s->labels)
        return rules_oom(l);
    for (size_t i = 0; i + 1 < labels->n; i += 2) {
        struct scw_label_match *m = &s->labels[s->n_labels++];
        if (labels->kids[i]->len == 0)
            return rules_fail(l, labels->kids[i], "empty label key in %s", fw);
        if (!(m->key = strdup(labels->kids[i]->s)))
            return rules_oom(l);
        if ((rc = scw_yaml_get_string(&l->y, labels->kids[i + 1], fw, &m->glob)) < 0)
            return rc;
    }
    return 0;
}

/* The `profile:` of a selector, resolved against the rule file's directory; unreadable: a
 * warning (the file may appear before the watcher needs it). */
static int get_profile(struct rules_loader *l, const struct scw_yaml_node *profile,
                       const char *what, struct scw_selector *s)
{
    char *p;
    char fw[192];
    int rc = scw_yaml_get_string(&l->y, profile, rules_field(fw, sizeof(fw), "profile", what), &p);
    if (rc < 0)
        return rc;
    if (p[0] == '/' || !l->dir) {
        s->profile = p;
    } else {
        size_t len = strlen(l->dir) + strlen(p) + 2;
        s->profile = malloc(len);
        if (s->profile)
            snprintf(s->profile, len, "%s/%s", l->dir, p);
        free(p);
        if (!s->profile)
            return rules_oom(l);
    }
    if (access(s->profile, R_OK) < 0)
        rules_warn(l, profile, "profile '%s' of %s cannot be read: %s", s->profile, what,
                   strerror(errno));
    return 0;
}

static int add_selector(struct rules_loader *l, const struct scw_yaml_node *key,
                        const struct scw_yaml_node *val)
{
    struct scw_rules *rs = l->rs;
    if (!rules_valid_name(key->s))
        return rules_fail(
            l, key,
            "invalid selector name '%s' (expected 1 to %d letters, digits, '_', '-' or "
            "'.')",
            key->s, SCW_RULES_MAX_NAME);
    for (size_t i = 0; i < rs->n_selectors; i++)
        if (strcmp(rs->selectors[i].name, key->s) == 0)
            return rules_fail(l, key, "container selector '%s' is already defined at %s:%u:%u",
                              key->s, rs->selectors[i].where.file, rs->selectors[i].where.line,
                              rs->selectors[i].where.column);
    if (rs->n_selectors >= SCW_RULES_MAX_SELECTORS)
        return rules_fail(l, key, "more than %d container selectors (the limit)",
                          SCW_RULES_MAX_SELECTORS);
    char what[128];
    snprintf(what, sizeof(what), "container selector '%s'", key->s);
    int rc = scw_yaml_expect(&l->y, val, SCW_YAML_MAP, what);
    if (rc < 0)
        return rc;
    static const char *const keys[] = {"name", "image",     "runtime", "cgroup", "namespace",
                                       "pod",  "container", "id",      "labels", "executable",
                                       "host", "profile",   NULL};
    if ((rc = scw_yaml_check_keys(&l->y, val, keys, what)) < 0)
        return rc;
    if (rules_grow(&rs->selectors, rs->n_selectors, sizeof(*rs->selectors)) < 0)
        return rules_oom(l);
    struct scw_selector *s = &rs->selectors[rs->n_selectors++];
    s->host = -1;
    rules_where_of(l, key, &s->where);
    if (!(s->name = strdup(key->s)))
        return rules_oom(l);
    struct {
        const char *key;
        struct scw_globs *g;
    } fields[] = {
        {"name", &s->names},
        {"image", &s->images},
        {"runtime", &s->runtimes},
        {"cgroup", &s->cgroups},
        {"namespace", &s->namespaces},
        {"pod", &s->pods},
        {"container", &s->k8s_containers},
        {"id", &s->ids},
        {"executable", &s->executables},
    };
    bool matches_something = false;
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        const struct scw_yaml_node *f = scw_yaml_map_get(val, fields[i].key);
        if (!f)
            continue;
        char fw[192];
        snprintf(fw, sizeof(fw), "'%s' of %s", fields[i].key, what);
        if ((rc = rules_get_globs(l, f, fw, fields[i].g)) < 0)
            return rc;
        matches_something |= fields[i].g->n > 0;
    }
    const struct scw_yaml_node *labels = scw_yaml_map_get(val, "labels");
    if (labels && !scw_yaml_is_null(labels)) {
        if ((rc = get_labels(l, labels, what, s)) < 0)
            return rc;
        matches_something |= s->n_labels > 0;
    }
    const struct scw_yaml_node *host = scw_yaml_map_get(val, "host");
    if (host) {
        bool b = false;
        char fw[192];
        snprintf(fw, sizeof(fw), "'host' of %s", what);
        if ((rc = scw_yaml_get_bool(&l->y, host, fw, &b)) < 0)
            return rc;
        s->host = b;
        matches_something = true;
    }
    const struct scw_yaml_node *profile = scw_yaml_map_get(val, "profile");
    if (profile && (rc = get_profile(l, profile, what, s)) < 0)
        return rc;
    if (!matches_something)
        return rules_fail(l, val,
                          "%s matches nothing: give at least one of name, image, runtime, cgroup, "
                          "namespace, pod, container, id, labels, executable or host",
                          what);
    return 0;
}

int rules_parse_containers(struct rules_loader *l, const struct scw_yaml_node *n)
{
    if (scw_yaml_is_null(n))
        return 0;
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_MAP, "'containers' (named selectors)");
    for (size_t i = 0; i + 1 < n->n && rc == 0; i += 2)
        rc = add_selector(l, n->kids[i], n->kids[i + 1]);
    return rc;
}

int rules_parse_ignore(struct rules_loader *l, const struct scw_yaml_node *n)
{
    if (scw_yaml_is_null(n))
        return 0;
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_MAP, "'ignore'");
    if (rc < 0)
        return rc;
    static const char *const keys[] = {"executables", "comms", "syscalls", "containers", NULL};
    if ((rc = scw_yaml_check_keys(&l->y, n, keys, "'ignore'")) < 0)
        return rc;
    struct scw_rules *rs = l->rs;
    const struct scw_yaml_node *f;
    if ((f = scw_yaml_map_get(n, "executables")) &&
        (rc = rules_get_globs(l, f, "'ignore: executables'", &rs->ignore.executables)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(n, "comms")) &&
        (rc = rules_get_globs(l, f, "'ignore: comms'", &rs->ignore.comms)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(n, "syscalls")) && !scw_yaml_is_null(f) &&
        !(f->kind == SCW_YAML_SEQ && f->n == 0) &&
        (rc = rules_get_syscalls(l, f, "'ignore: syscalls'", false, true, &rs->ignore.syscalls)) <
            0)
        return rc;
    if ((f = scw_yaml_map_get(n, "containers")) &&
        (rc = rules_get_selector_refs(l, f, "'ignore: containers'", &rs->ignore.selector_names,
                                      &rs->ignore.selectors, &rs->ignore.n_selectors)) < 0)
        return rc;
    return 0;
}

static int get_thresholds(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                          struct scw_thresholds *t)
{
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_MAP, what);
    if (rc < 0)
        return rc;
    static const char *const keys[] = {"min_events", "min_processes", NULL};
    if ((rc = scw_yaml_check_keys(&l->y, n, keys, what)) < 0)
        return rc;
    const struct scw_yaml_node *f;
    uint64_t v;
    if ((f = scw_yaml_map_get(n, "min_events"))) {
        char fw[224];
        if ((rc = scw_yaml_get_uint(&l->y, f, rules_field(fw, sizeof(fw), "min_events", what),
                                    UINT64_MAX / 2, &v)) < 0)
            return rc;
        t->min_events = v;
        t->has_min_events = true;
    }
    if ((f = scw_yaml_map_get(n, "min_processes"))) {
        if (f->kind == SCW_YAML_SCALAR && f->plain && strspn(f->s, "0123456789") == f->len &&
            f->len > 0 && (f->len > 20 || strtoull(f->s, NULL, 10) > SCW_RULES_MAX_PROCESSES))
            return rules_fail(
                l, f,
                "'min_processes' of %s is %s, more than %d (scmpwatch tracks up to %d "
                "distinct processes per syscall)",
                what, f->s, SCW_RULES_MAX_PROCESSES, SCW_RULES_MAX_PROCESSES);
        char fw[224];
        if ((rc = scw_yaml_get_uint(&l->y, f, rules_field(fw, sizeof(fw), "min_processes", what),
                                    SCW_RULES_MAX_PROCESSES, &v)) < 0)
            return rc;
        t->min_processes = (uint32_t)v;
        t->has_min_processes = true;
    }
    return 0;
}

static int get_decision(struct rules_loader *l, const struct scw_yaml_node *n, const char *what,
                        enum scw_decision_kind *ret)
{
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_SCALAR, what);
    if (rc < 0)
        return rc;
    enum scw_decision_kind d = scw_decision_from_name(n->s);
    if (d == SCW_DECISION_INVALID)
        return rules_fail(l, n,
                          "unknown decision '%s' for %s (expected one of: allow, deny, review, "
                          "ignore)",
                          n->s, what);
    *ret = d;
    return 0;
}

static int add_rule(struct rules_loader *l, const struct scw_yaml_node *n, size_t index)
{
    struct scw_rules *rs = l->rs;
    char what[128];
    snprintf(what, sizeof(what), "rule #%zu", index + 1);
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_MAP, what);
    if (rc < 0)
        return rc;
    const struct scw_yaml_node *name = scw_yaml_map_get(n, "name");
    if (!name)
        return rules_fail(
            l, n, "%s has no 'name' (every rule needs name, syscalls, decision and reason)", what);
    if ((rc = scw_yaml_expect(&l->y, name, SCW_YAML_SCALAR, "a rule name")) < 0)
        return rc;
    if (rules_valid_name(name->s))
        snprintf(what, sizeof(what), "rule '%s'", name->s);
    static const char *const keys[] = {"name",       "syscalls", "decision",   "reason", "link",
                                       "containers", "arches",   "thresholds", NULL};
    if ((rc = scw_yaml_check_keys(&l->y, n, keys, what)) < 0)
        return rc;
    if (rs->n_rules >= SCW_RULES_MAX_RULES)
        return rules_fail(l, n, "more than %d rules (the limit)", SCW_RULES_MAX_RULES);
    if (rules_grow(&rs->rules, rs->n_rules, sizeof(*rs->rules)) < 0)
        return rules_oom(l);
    struct scw_rule *r = &rs->rules[rs->n_rules++];
    rules_where_of(l, n, &r->where);
    if ((rc = rules_get_name(l, name, "rule name", &r->name)) < 0)
        return rc;
    for (size_t i = 0; i + 1 < rs->n_rules; i++)
        if (strcmp(rs->rules[i].name, r->name) == 0)
            return rules_fail(l, name, "rule name '%s' is already used at %s:%u:%u", r->name,
                              rs->rules[i].where.file, rs->rules[i].where.line,
                              rs->rules[i].where.column);
    static const char *const required[] = {"syscalls", "decision", "reason"};
    for (size_t i = 0; i < 3; i++)
        if (!scw_yaml_map_get(n, required[i]))
            return rules_fail(l, n,
                              "%s has no '%s' (every rule needs name, syscalls, decision and "
                              "reason)",
                              what, required[i]);
    const struct scw_yaml_node *f = scw_yaml_map_get(n, "syscalls");
    if (f->kind == SCW_YAML_SEQ && f->n == 0)
        return rules_fail(l, f, "empty 'syscalls' in %s (list syscalls, \"@group\" names or \"*\")",
                          what);
    if ((rc = rules_get_syscalls(l, f, what, true, true, &r->syscalls)) < 0)
        return rc;
    if ((rc = get_decision(l, scw_yaml_map_get(n, "decision"), what, &r->decision)) < 0)
        return rc;
    char fw[192];
    if ((rc = scw_yaml_get_string(&l->y, scw_yaml_map_get(n, "reason"),
                                  rules_field(fw, sizeof(fw), "reason", what), &r->reason)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(n, "link")) &&
        (rc = rules_get_link(l, f, rules_field(fw, sizeof(fw), "link", what), &r->link)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(n, "containers")) &&
        (rc = rules_get_selector_refs(l, f, what, &r->selector_names, &r->selectors,
                                      &r->n_selectors)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(n, "arches"))) {
        struct scw_globs raw = {0};
        rc = rules_get_globs(l, f, what, &raw);
        for (size_t i = 0; i < raw.n && rc == 0; i++) {
            uint32_t token = scw_name_arch_token(raw.v[i]);
            const struct scw_yaml_node *at = f->kind == SCW_YAML_SEQ ? f->kids[i] : f;
            if (!token) {
                rc = rules_fail(
                    l, at,
                    "unknown architecture '%s' in %s (expected x86_64, x86, x32, aarch64, "
                    "arm, ppc64le, s390x, riscv64, mips...)",
                    raw.v[i], what);
                break;
            }
            free(raw.v[i]);
            raw.v[i] = strdup(scw_name_arch(token));
            if (!raw.v[i])
                rc = rules_oom(l);
        }
        r->arches = raw;
        if (rc < 0)
            return rc;
    }
    if ((f = scw_yaml_map_get(n, "thresholds"))) {
        char tw[160];
        snprintf(tw, sizeof(tw), "thresholds of %s", what);
        if ((rc = get_thresholds(l, f, tw, &r->thresholds)) < 0)
            return rc;
    }
    return 0;
}

int rules_parse_rules(struct rules_loader *l, const struct scw_yaml_node *n)
{
    if (scw_yaml_is_null(n))
        return 0;
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_SEQ, "'rules'");
    for (size_t i = 0; i < n->n && rc == 0; i++)
        rc = add_rule(l, n->kids[i], i);
    return rc;
}

int rules_parse_defaults(struct rules_loader *l, const struct scw_yaml_node *n)
{
    if (scw_yaml_is_null(n))
        return 0;
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_MAP, "'defaults'");
    if (rc < 0)
        return rc;
    static const char *const keys[] = {"decision", "thresholds", "action", "errno", NULL};
    if ((rc = scw_yaml_check_keys(&l->y, n, keys, "'defaults'")) < 0)
        return rc;
    struct scw_rules_defaults *d = &l->rs->defaults;
    const struct scw_yaml_node *f;
    if ((f = scw_yaml_map_get(n, "decision")) &&
        (rc = get_decision(l, f, "'defaults: decision'", &d->decision)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(n, "thresholds"))) {
        struct scw_thresholds t = {0};
        if ((rc = get_thresholds(l, f, "'defaults: thresholds'", &t)) < 0)
            return rc;
        if (t.has_min_events)
            d->thresholds.min_events = t.min_events;
        if (t.has_min_processes)
            d->thresholds.min_processes = t.min_processes;
    }
    const struct scw_yaml_node *act = scw_yaml_map_get(n, "action"),
                               *err = scw_yaml_map_get(n, "errno");
    const char *was = d->action;
    if (act) {
        if ((rc = scw_yaml_expect(&l->y, act, SCW_YAML_SCALAR, "'defaults: action'")) < 0)
            return rc;
        const char *found = rules_enforcing_action(act->s);
        if (!found &&
            (strcmp(act->s, "SCMP_ACT_LOG") == 0 || strcmp(act->s, "SCMP_ACT_ALLOW") == 0 ||
             strcmp(act->s, "SCMP_ACT_TRACE") == 0 || strcmp(act->s, "SCMP_ACT_NOTIFY") == 0))
            return rules_fail(l, act,
                              "'defaults: action' %s does not enforce (expected SCMP_ACT_ERRNO, "
                              "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL or "
                              "SCMP_ACT_TRAP)",
                              act->s);
        if (!found)
            return rules_fail(
                l, act,
                "unknown action '%s' for 'defaults: action' (expected SCMP_ACT_ERRNO, "
                "SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL or "
                "SCMP_ACT_TRAP)",
                act->s);
        d->action = found;
    }
    bool is_errno = strcmp(d->action, "SCMP_ACT_ERRNO") == 0;
    if (err) {
        if (!is_errno)
            return rules_fail(l, err,
                              "'defaults: errno' applies only with action SCMP_ACT_ERRNO (the "
                              "action is %s)",
                              d->action);
        if ((rc = scw_yaml_expect(&l->y, err, SCW_YAML_SCALAR, "'defaults: errno'")) < 0)
            return rc;
        int v = scw_rules_errno_from_name(err->s);
        if (v < 0)
            return rules_fail(
                l, err,
                "unknown errno '%s' for 'defaults: errno' (expected a name such as EPERM, "
                "EACCES or ENOSYS, or a number from 1 to 4095)",
                err->s);
        d->errno_value = v;
    } else if (!is_errno) {
        d->errno_value = 0;
    } else if (strcmp(was, "SCMP_ACT_ERRNO") != 0) {
        d->errno_value = EPERM;
    }
    return 0;
}
