/*
 * rules_expand: groups and the expansion of syscall lists. After every file, each list as
 * written (names, "@group" references) becomes a sorted, unique array of names borrowed from
 * the items; groups are expanded first, once each, with cycle detection ("@a -> @b -> @a") and
 * bounds on nesting and on the expanded size. Lookups in an expanded list are a binary search.
 *
 * It does not read YAML (the sections store the items, rules_sections.c) or decide anything
 * (rules_match.c). Callers: parse_file() in rules_load.c (rules_expand_all), the section
 * loaders (rules_find_group), vulns and matching (scw_syscall_set_has), cmd_rules
 * (scw_rules_group).
 */
#include "rules.h"
#include "rules_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names before removing duplicates: a bound on the work one list may cause. */
#define PRE_UNIQUE_MAX (SCW_RULES_MAX_EXPANDED * 8)

/* ---- groups ------------------------------------------------------------------------------- */

const struct scw_group *rules_find_group(const struct scw_rules *rs, const char *name,
                                         size_t *ret_index)
{
    if (name[0] == '@')
        name++;
    for (size_t i = 0; i < rs->n_groups; i++)
        if (strcmp(rs->groups[i].name, name) == 0) {
            if (ret_index)
                *ret_index = i;
            return &rs->groups[i];
        }
    return NULL;
}

const struct scw_group *scw_rules_group(const struct scw_rules *rs, const char *name)
{
    return rules_find_group(rs, name, NULL);
}

/* ---- expansion of syscall lists ----------------------------------------------------------- */

struct expansion {
    struct rules_loader *l;
    size_t path[SCW_RULES_MAX_GROUP_DEPTH + 1]; /* groups being expanded, outermost first */
    size_t depth;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void path_text(const struct expansion *x, size_t from, size_t last, char *buf, size_t cap)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = from; i <= x->depth; i++) {
        size_t gi = i < x->depth ? x->path[i] : last;
        int w = snprintf(buf + off, cap - off, "%s@%s", i == from ? "" : " -> ",
                         x->l->rs->groups[gi].name);
        if (w < 0 || (size_t)w >= cap - off)
            return;
        off += (size_t)w;
    }
}

static int expand_set(struct expansion *x, struct scw_syscall_set *set, const char *what);

static int expand_group(struct expansion *x, size_t gi, const struct scw_where *from)
{
    struct scw_group *g = &x->l->rs->groups[gi];
    if (g->state == 2)
        return 0;
    char path[512];
    if (g->state == 1) {
        size_t k = 0;
        while (k < x->depth && x->path[k] != gi)
            k++;
        path_text(x, k, gi, path, sizeof(path));
        return rules_fail_at(x->l, from, "group '@%s' includes itself: %s", g->name, path);
    }
    if (x->depth >= SCW_RULES_MAX_GROUP_DEPTH) {
        path_text(x, 0, gi, path, sizeof(path));
        return rules_fail_at(x->l, from, "groups nest more than %d levels deep: %s",
                             SCW_RULES_MAX_GROUP_DEPTH, path);
    }
    g->state = 1;
    x->path[x->depth++] = gi;
    char what[96];
    snprintf(what, sizeof(what), "group '@%s'", g->name);
    int rc = expand_set(x, &x->l->rs->groups[gi].set, what);
    x->depth--;
    x->l->rs->groups[gi].state = 2;
    return rc;
}

static int expand_set(struct expansion *x, struct scw_syscall_set *set, const char *what)
{
    free(set->names);
    set->names = NULL;
    set->n_names = 0;
    const char **v = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; i < set->n_items && rc == 0; i++) {
        const struct scw_syscall_item *it = &set->items[i];
        const char *const *src = (const char *const *)&it->name;
        size_t count = 1;
        if (it->is_group) {
            if ((rc = expand_group(x, it->group, &it->where)) < 0)
                break;
            const struct scw_group *g = &x->l->rs->groups[it->group];
            src = g->set.names;
            count = g->set.n_names;
        }
        if (n + count > PRE_UNIQUE_MAX) {
            rc = rules_fail_at(x->l, &it->where,
                               "%s expands to more than %d syscall names (the limit)", what,
                               SCW_RULES_MAX_EXPANDED);
            break;
        }
        if (n + count > cap) {
            size_t ncap = cap ? cap : 64;
            while (ncap < n + count)
                ncap *= 2;
            const char **nv = realloc(v, ncap * sizeof(*nv));
            if (!nv) {
                rc = rules_oom(x->l);
                break;
            }
            v = nv;
            cap = ncap;
        }
        if (count)
            memcpy(v + n, src, count * sizeof(*v));
        n += count;
    }
    if (rc < 0) {
        free(v);
        return rc;
    }
    if (n)
        qsort(v, n, sizeof(*v), cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || strcmp(v[u - 1], v[i]) != 0)
            v[u++] = v[i];
    if (u > SCW_RULES_MAX_EXPANDED) {
        free(v);
        return rules_fail_at(x->l, &set->items[0].where,
                             "%s expands to more than %d syscall names (the limit)", what,
                             SCW_RULES_MAX_EXPANDED);
    }
    set->names = v;
    set->n_names = u;
    return 0;
}

int rules_expand_all(struct rules_loader *l)
{
    struct scw_rules *rs = l->rs;
    struct expansion x = {.l = l};
    for (size_t i = 0; i < rs->n_groups; i++)
        rs->groups[i].state = 0;
    for (size_t i = 0; i < rs->n_groups; i++) {
        struct scw_where w = rs->groups[i].where;
        int rc = expand_group(&x, i, &w);
        if (rc < 0)
            return rc;
    }
    char what[128];
    for (size_t i = 0; i < rs->n_rules; i++) {
        snprintf(what, sizeof(what), "rule '%s'", rs->rules[i].name);
        int rc = expand_set(&x, &rs->rules[i].syscalls, what);
        if (rc < 0)
            return rc;
    }
    for (size_t i = 0; i < rs->n_cve_blocks; i++) {
        snprintf(what, sizeof(what), "cve block '%s'", rs->cve_blocks[i].name);
        int rc = expand_set(&x, &rs->cve_blocks[i].syscalls, what);
        if (rc < 0)
            return rc;
    }
    return expand_set(&x, &rs->ignore.syscalls, "'ignore: syscalls'");
}

/* ---- lookups ------------------------------------------------------------------------------- */

bool scw_syscall_set_has(const struct scw_syscall_set *set, const char *syscall)
{
    if (!syscall || !set->n_names)
        return false;
    return bsearch(&syscall, set->names, set->n_names, sizeof(*set->names), cmp_str) != NULL;
}
