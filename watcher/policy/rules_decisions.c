/*
 * rules_decisions: the `decisions:` section of a rule file (what people decided for one
 * syscall of one profile group, written by `scmpwatch decide` and `scmpwatch review`), kept
 * sorted and unique by (group, syscall) over every file of the rule set, and its lookup.
 *
 * A later decision for the same group and syscall (further down a file, or in a later file)
 * replaces the earlier one, with a warning at the later one (`rules check` shows it). It does
 * not apply decisions (advise.c does: they outrank rules and thresholds, never a vulnerability
 * block) or write the file (decisions_file.c). Callers: parse_file() in rules_load.c (the
 * section), advise (scw_rules_human_decision).
 */
#include "rules.h"
#include "rules_impl.h"
#include "yaml_tree.h"

#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool scw_rules_valid_group_name(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > SCW_RULES_MAX_NAME || s[0] == '.' || s[0] == '-')
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.'))
            return false;
    return true;
}

/* "2025-11-28T14:22:16Z": the one shape scmpwatch writes and reads back. */
static bool valid_utc_time(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(s) != sizeof(shape) - 1)
        return false;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
            return false;
    int mon = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0'),
        hour = (s[11] - '0') * 10 + (s[12] - '0'), min = (s[14] - '0') * 10 + (s[15] - '0'),
        sec = (s[17] - '0') * 10 + (s[18] - '0');
    return mon >= 1 && mon <= 12 && day >= 1 && day <= 31 && hour <= 23 && min <= 59 && sec <= 60;
}

static void free_decision(struct scw_human_decision *d)
{
    free(d->group);
    free(d->syscall);
    free(d->reason);
    free(d->by);
    free(d->at);
}

static int add_decision(struct rules_loader *l, const struct scw_yaml_node *n, size_t index)
{
    struct scw_rules *rs = l->rs;
    char what[192];
    snprintf(what, sizeof(what), "decision #%zu", index + 1);
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_MAP, what);
    if (rc < 0)
        return rc;
    static const char *const keys[] = {"group", "syscall", "decision", "reason", "by", "at", NULL};
    if ((rc = scw_yaml_check_keys(&l->y, n, keys, what)) < 0)
        return rc;
    static const char *const required[] = {"group", "syscall", "decision", "reason"};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        if (!scw_yaml_map_get(n, required[i]))
            return rules_fail(l, n,
                              "%s has no '%s' (every decision needs group, syscall, decision and "
                              "reason)",
                              what, required[i]);
    if (rs->n_decisions >= SCW_RULES_MAX_DECISIONS)
        return rules_fail(l, n, "more than %d decisions (the limit)", SCW_RULES_MAX_DECISIONS);
    if (rules_grow(&rs->decisions, rs->n_decisions, sizeof(*rs->decisions)) < 0)
        return rules_oom(l);
    struct scw_human_decision *d = &rs->decisions[rs->n_decisions++];
    rules_where_of(l, n, &d->where);

    const struct scw_yaml_node *f = scw_yaml_map_get(n, "group");
    char fw[256];
    if ((rc = scw_yaml_expect(&l->y, f, SCW_YAML_SCALAR,
                              rules_field(fw, sizeof(fw), "group", what))) < 0)
        return rc;
    if (!scw_rules_valid_group_name(f->s))
        return rules_fail(l, f,
                          "invalid profile group name '%s' in %s (expected the name the report "
                          "gives the group: 1 to %d letters, digits, '_', '-' or '.')",
                          f->s, what, SCW_RULES_MAX_NAME);
    if (!(d->group = strdup(f->s)))
        return rules_oom(l);
    f = scw_yaml_map_get(n, "syscall");
    if ((rc = scw_yaml_expect(&l->y, f, SCW_YAML_SCALAR,
                              rules_field(fw, sizeof(fw), "syscall", what))) < 0)
        return rc;
    if (!scw_rules_valid_syscall_name(f->s))
        return rules_fail(l, f,
                          "invalid syscall name '%s' in %s (expected one name in lower-case "
                          "letters, digits and '_'; groups are not allowed here)",
                          f->s, what);
    if (!rules_syscall_known(f->s)) {
        const struct scmp_version *v = seccomp_version();
        rules_warn(l, f,
                   "unknown syscall '%s' in %s: libseccomp %u.%u.%u knows it on no architecture "
                   "(kept as written; check the spelling)",
                   f->s, what, v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0);
    }
    if (!(d->syscall = strdup(f->s)))
        return rules_oom(l);
    snprintf(what, sizeof(what), "the decision for '%s' in group '%s'", d->syscall, d->group);

    f = scw_yaml_map_get(n, "decision");
    if ((rc = scw_yaml_expect(&l->y, f, SCW_YAML_SCALAR, what)) < 0)
        return rc;
    d->decision = scw_decision_from_name(f->s);
    if (d->decision != SCW_DECISION_ALLOW && d->decision != SCW_DECISION_DENY &&
        d->decision != SCW_DECISION_IGNORE)
        return rules_fail(l, f,
                          "%s decision '%s' for %s (expected allow, deny or ignore: a person's "
                          "decision settles the review)",
                          d->decision == SCW_DECISION_REVIEW ? "unexpected" : "unknown", f->s,
                          what);
    if ((rc = scw_yaml_get_string(&l->y, scw_yaml_map_get(n, "reason"),
                                  rules_field(fw, sizeof(fw), "reason", what), &d->reason)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(n, "by")) && !scw_yaml_is_null(f) &&
        (rc = scw_yaml_get_string(&l->y, f, rules_field(fw, sizeof(fw), "by", what), &d->by)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(n, "at")) && !scw_yaml_is_null(f)) {
        if ((rc = scw_yaml_get_string(&l->y, f, rules_field(fw, sizeof(fw), "at", what), &d->at)) <
            0)
            return rc;
        if (!valid_utc_time(d->at))
            return rules_fail(l, f,
                              "'at' of %s is '%s', not a UTC time (expected e.g. "
                              "\"2025-11-28T14:22:16Z\")",
                              what, d->at);
    }
    return 0;
}

static int cmp_key(const struct scw_human_decision *a, const struct scw_human_decision *b)
{
    int c = strcmp(a->group, b->group);
    return c ? c : strcmp(a->syscall, b->syscall);
}

static int cmp_index(const void *x, const void *y, void *ctx)
{
    const struct scw_human_decision *v = ctx;
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    int c = cmp_key(&v[a], &v[b]);
    if (c)
        return c;
    return a < b ? -1 : a > b; /* load order: the later one last */
}

/* Sort the rule set's decisions and keep the last of each (group, syscall). */
static int sort_unique(struct rules_loader *l)
{
    struct scw_rules *rs = l->rs;
    size_t n = rs->n_decisions;
    if (n < 2)
        return 0;
    size_t *idx = malloc(n * sizeof(*idx));
    struct scw_human_decision *out = malloc(n * sizeof(*out));
    if (!idx || !out) {
        free(idx);
        free(out);
        return rules_oom(l);
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, n, sizeof(*idx), cmp_index, rs->decisions);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        struct scw_human_decision *d = &rs->decisions[idx[i]];
        if (i + 1 < n && cmp_key(d, &rs->decisions[idx[i + 1]]) == 0) {
            const struct scw_human_decision *later = &rs->decisions[idx[i + 1]];
            rules_warn_at(l, &later->where,
                          "the decision for '%s' in group '%s' replaces the one at %s:%u:%u "
                          "(the later one wins)",
                          d->syscall, d->group, d->where.file, d->where.line, d->where.column);
            free_decision(d);
            continue;
        }
        out[o++] = *d;
    }
    free(idx);
    /* back into the same array: its capacity stays what rules_grow expects */
    memcpy(rs->decisions, out, o * sizeof(*out));
    free(out);
    rs->n_decisions = o;
    return 0;
}

int rules_parse_decisions(struct rules_loader *l, const struct scw_yaml_node *n)
{
    if (scw_yaml_is_null(n))
        return 0;
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_SEQ, "'decisions'");
    for (size_t i = 0; i < n->n && rc == 0; i++)
        rc = add_decision(l, n->kids[i], i);
    return rc < 0 ? rc : sort_unique(l);
}

const struct scw_human_decision *scw_rules_human_decision(const struct scw_rules *rs,
                                                          const char *group, const char *syscall)
{
    if (!group || !syscall)
        return NULL;
    size_t lo = 0, hi = rs->n_decisions;
    struct scw_human_decision key = {.group = (char *)group, .syscall = (char *)syscall};
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_key(&key, &rs->decisions[mid]);
        if (c == 0)
            return &rs->decisions[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
