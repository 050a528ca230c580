/*
 * rules_cve: the cve_blocks section of a rule file (syscalls to keep refused while a known
 * vulnerability may apply: by CVE id or by package, optionally only below a fixed kernel
 * release), and the kernel-release questions asked of a block once loaded.
 *
 * It does not read scanner reports or decide whether a CVE is present on a host (vulns.c and
 * host_kernel.c do); it only checks and stores the blocks and orders kernel releases.
 * Callers: parse_file() in rules_load.c (the section); vulns (scw_rules_kernel_missing_fix).
 */
#include "rules.h"
#include "rules_impl.h"
#include "yaml_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the cve_blocks section ----------------------------------------------------------------- */

static bool valid_cve_id(const char *s)
{
    if (strncasecmp(s, "CVE-", 4) != 0)
        return false;
    s += 4;
    size_t year = strspn(s, "0123456789");
    if (year != 4 || s[4] != '-')
        return false;
    s += 5;
    size_t num = strspn(s, "0123456789");
    return num >= 4 && num <= 19 && s[num] == '\0';
}

static bool valid_kernel_version(const char *s)
{
    for (int part = 0; part < 3; part++) {
        size_t d = strspn(s, "0123456789");
        if (d == 0 || d > 5)
            return false;
        s += d;
        if (*s == '\0')
            return true;
        if (*s != '.' || part == 2)
            return false;
        s++;
    }
    return false;
}

/* Major and minor of a valid kernel version, as one number for comparing series. */
static unsigned long kernel_series(const char *s)
{
    char *end;
    unsigned long major = strtoul(s, &end, 10),
                  minor = *end == '.' ? strtoul(end + 1, NULL, 10) : 0;
    return major * 100000 + minor;
}

/* kernel_below: one release, or a list with at most one per stable series. */
static int get_kernel_fixes(struct rules_loader *l, const struct scw_yaml_node *f, const char *what,
                            struct scw_cve_block *b)
{
    char fw[192];
    struct scw_globs v = {0};
    int rc = rules_get_globs(l, f, rules_field(fw, sizeof(fw), "kernel_below", what), &v);
    b->kernel_below = v.v;
    b->n_kernel_below = v.n;
    if (rc < 0)
        return rc;
    if (v.n == 0)
        return rules_fail(
            l, f,
            "empty 'kernel_below' in %s (expected a release like \"5.16.11\" or a list "
            "of them, one per stable series)",
            what);
    for (size_t i = 0; i < v.n; i++) {
        const struct scw_yaml_node *at = f->kind == SCW_YAML_SEQ ? f->kids[i] : f;
        if (!valid_kernel_version(v.v[i]))
            return rules_fail(l, at,
                              "invalid kernel version '%s' for 'kernel_below' in %s (expected "
                              "e.g. \"5.16.11\")",
                              v.v[i], what);
        for (size_t j = 0; j < i; j++)
            if (kernel_series(v.v[j]) == kernel_series(v.v[i]))
                return rules_fail(
                    l, at,
                    "'kernel_below' in %s lists two fixes for one series ('%s' and '%s'; "
                    "expected one release per major.minor)",
                    what, v.v[j], v.v[i]);
    }
    return 0;
}

/* cves: a list of CVE ids, stored upper-case. */
static int get_cve_ids(struct rules_loader *l, const struct scw_yaml_node *cves, const char *what,
                       struct scw_cve_block *b)
{
    struct scw_globs ids = {0};
    int rc = rules_get_globs(l, cves, what, &ids);
    b->cves = ids.v;
    b->n_cves = ids.n;
    if (rc < 0)
        return rc;
    if (ids.n == 0)
        return rules_fail(l, cves, "empty 'cves' in %s (expected CVE ids like CVE-2022-0847)",
                          what);
    for (size_t i = 0; i < ids.n; i++) {
        if (!valid_cve_id(ids.v[i]))
            return rules_fail(l, cves->kind == SCW_YAML_SEQ ? cves->kids[i] : cves,
                              "invalid CVE id '%s' in %s (expected CVE-YYYY-NNNN)", ids.v[i], what);
        for (char *p = ids.v[i]; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
    }
    return 0;
}

/* kernel_since: the release that brought the bug, older than every fix of kernel_below. */
static int get_kernel_since(struct rules_loader *l, const struct scw_yaml_node *f, const char *what,
                            struct scw_cve_block *b)
{
    if (!b->n_kernel_below)
        return rules_fail(l, f, "'kernel_since' in %s applies only with 'kernel_below'", what);
    char fw[192];
    int rc = scw_yaml_get_string(&l->y, f, rules_field(fw, sizeof(fw), "kernel_since", what),
                                 &b->kernel_since);
    if (rc < 0)
        return rc;
    if (!valid_kernel_version(b->kernel_since))
        return rules_fail(l, f,
                          "invalid kernel version '%s' for 'kernel_since' in %s (expected "
                          "e.g. \"5.8\")",
                          b->kernel_since, what);
    for (size_t i = 0; i < b->n_kernel_below; i++)
        if (!scw_rules_kernel_older(b->kernel_since, b->kernel_below[i]))
            return rules_fail(l, f,
                              "'kernel_since' %s in %s is not older than its fix %s (expected "
                              "the release that brought the bug)",
                              b->kernel_since, what, b->kernel_below[i]);
    return 0;
}

static int add_cve_block(struct rules_loader *l, const struct scw_yaml_node *n, size_t index)
{
    struct scw_rules *rs = l->rs;
    char what[128];
    snprintf(what, sizeof(what), "cve block #%zu", index + 1);
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_MAP, what);
    if (rc < 0)
        return rc;
    const struct scw_yaml_node *name = scw_yaml_map_get(n, "name");
    if (!name)
        return rules_fail(l, n,
                          "%s has no 'name' (every cve block needs name, syscalls, reason and "
                          "link)",
                          what);
    if ((rc = scw_yaml_expect(&l->y, name, SCW_YAML_SCALAR, "a cve block name")) < 0)
        return rc;
    if (rules_valid_name(name->s))
        snprintf(what, sizeof(what), "cve block '%s'", name->s);
    static const char *const keys[] = {
        "name",         "cves",     "package", "severity", "kernel_below",
        "kernel_since", "syscalls", "reason",  "link",     NULL};
    if ((rc = scw_yaml_check_keys(&l->y, n, keys, what)) < 0)
        return rc;
    if (rs->n_cve_blocks >= SCW_RULES_MAX_CVE_BLOCKS)
        return rules_fail(l, n, "more than %d cve blocks (the limit)", SCW_RULES_MAX_CVE_BLOCKS);
    if (rules_grow(&rs->cve_blocks, rs->n_cve_blocks, sizeof(*rs->cve_blocks)) < 0)
        return rules_oom(l);
    struct scw_cve_block *b = &rs->cve_blocks[rs->n_cve_blocks++];
    rules_where_of(l, n, &b->where);
    if ((rc = rules_get_name(l, name, "cve block name", &b->name)) < 0)
        return rc;
    for (size_t i = 0; i + 1 < rs->n_cve_blocks; i++)
        if (strcmp(rs->cve_blocks[i].name, b->name) == 0)
            return rules_fail(l, name, "cve block name '%s' is already used at %s:%u:%u", b->name,
                              rs->cve_blocks[i].where.file, rs->cve_blocks[i].where.line,
                              rs->cve_blocks[i].where.column);
    static const char *const required[] = {"syscalls", "reason", "link"};
    for (size_t i = 0; i < 3; i++)
        if (!scw_yaml_map_get(n, required[i]))
            return rules_fail(l, n,
                              "%s has no '%s' (every cve block needs name, syscalls, reason and "
                              "link)",
                              what, required[i]);
    const struct scw_yaml_node *cves = scw_yaml_map_get(n, "cves"),
                               *pkg = scw_yaml_map_get(n, "package");
    const struct scw_yaml_node *sev = scw_yaml_map_get(n, "severity"), *f;
    if (cves && pkg)
        return rules_fail(l, pkg, "%s has both 'cves' and 'package' (expected one of them)", what);
    if (!cves && !pkg)
        return rules_fail(l, n, "%s needs 'cves' (a list of CVE ids) or 'package' (a package name)",
                          what);
    if (cves) {
        if ((rc = get_cve_ids(l, cves, what, b)) < 0)
            return rc;
        if (sev)
            return rules_fail(l, sev, "'severity' in %s applies only with 'package'", what);
    }
    char fw[192];
    if (pkg && (rc = scw_yaml_get_string(&l->y, pkg, rules_field(fw, sizeof(fw), "package", what),
                                         &b->package)) < 0)
        return rc;
    if (sev) {
        if ((rc = scw_yaml_expect(&l->y, sev, SCW_YAML_SCALAR, "'severity'")) < 0)
            return rc;
        b->severity = scw_severity_from_name(sev->s);
        if (b->severity == SCW_SEVERITY_INVALID)
            return rules_fail(
                l, sev,
                "unknown severity '%s' in %s (expected one of: unknown, negligible, low, "
                "medium, high, critical)",
                sev->s, what);
    }
    if ((f = scw_yaml_map_get(n, "kernel_below")) && (rc = get_kernel_fixes(l, f, what, b)) < 0)
        return rc;
    if ((f = scw_yaml_map_get(n, "kernel_since")) && (rc = get_kernel_since(l, f, what, b)) < 0)
        return rc;
    f = scw_yaml_map_get(n, "syscalls");
    if (f->kind == SCW_YAML_SEQ && f->n == 0)
        return rules_fail(l, f, "empty 'syscalls' in %s", what);
    if ((rc = rules_get_syscalls(l, f, what, false, true, &b->syscalls)) < 0)
        return rc;
    if ((rc = scw_yaml_get_string(&l->y, scw_yaml_map_get(n, "reason"),
                                  rules_field(fw, sizeof(fw), "reason", what), &b->reason)) < 0)
        return rc;
    return rules_get_link(l, scw_yaml_map_get(n, "link"), rules_field(fw, sizeof(fw), "link", what),
                          &b->link);
}

int rules_parse_cve_blocks(struct rules_loader *l, const struct scw_yaml_node *n)
{
    if (scw_yaml_is_null(n))
        return 0;
    int rc = scw_yaml_expect(&l->y, n, SCW_YAML_SEQ, "'cve_blocks'");
    for (size_t i = 0; i < n->n && rc == 0; i++)
        rc = add_cve_block(l, n->kids[i], i);
    return rc;
}

/* ---- kernel releases ------------------------------------------------------------------------ */

/* Up to three numeric components of a kernel release; false if it does not start with one. */
static bool kernel_parts(const char *s, unsigned long v[3])
{
    v[0] = v[1] = v[2] = 0;
    for (int i = 0; i < 3; i++) {
        if (*s < '0' || *s > '9')
            return i > 0;
        char *end;
        v[i] = strtoul(s, &end, 10);
        s = end;
        if (*s != '.')
            return true;
        s++;
    }
    return true;
}

bool scw_rules_kernel_older(const char *release, const char *below)
{
    unsigned long a[3], b[3];
    if (!release || !below || !kernel_parts(release, a) || !kernel_parts(below, b))
        return false;
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i])
            return a[i] < b[i];
    return false;
}

const char *scw_rules_kernel_missing_fix(const struct scw_cve_block *b, const char *release)
{
    unsigned long k[3];
    if (!b->n_kernel_below || !release || !kernel_parts(release, k) ||
        (b->kernel_since && scw_rules_kernel_older(release, b->kernel_since)))
        return NULL;
    const char *newest = b->kernel_below[0];
    for (size_t i = 0; i < b->n_kernel_below; i++) {
        const char *fix = b->kernel_below[i];
        if (kernel_series(fix) == k[0] * 100000 + k[1])
            return scw_rules_kernel_older(release, fix) ? fix : NULL;
        if (scw_rules_kernel_older(newest, fix))
            newest = fix;
    }
    return scw_rules_kernel_older(release, newest) ? newest : NULL;
}
