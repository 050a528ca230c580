/*
 * vulns: the set of scanner reports, and the cve_blocks of a rule set matched against them
 * and against the running kernel. See vulns.h for the contract and the matching rules.
 *
 * Adding a report: the file is read whole (bounded), its JSON parsed and read by the format's
 * reader (vulns_read.c, vulns_klar.c, vulns_trivy.c, vulns_grype.c), its image named by the
 * user (IMAGE=PATH) or by the report; a refused report leaves the set as it was. Matching is
 * pure. Image references are image_ref.c's. This file does not load rule files, build
 * proposals or print. Callers: cmd_vulns.c, advise (through vulns.h).
 */
#include "vulns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_ref.h"
#include "json.h"
#include "readall.h"
#include "vulns_impl.h"

static const char *const format_names[SCW_VULN_FORMAT_MAX] = {"klar", "trivy", "grype"};
static const char *const cause_names[SCW_BLOCK_CAUSE_MAX] = {"cve", "package", "kernel"};

const char *scw_vuln_format_name(enum scw_vuln_format f)
{
    return f >= 0 && f < SCW_VULN_FORMAT_MAX ? format_names[f] : NULL;
}

const char *scw_block_cause_name(enum scw_block_cause c)
{
    return c >= 0 && c < SCW_BLOCK_CAUSE_MAX ? cause_names[c] : NULL;
}

/* ---- image references (image_ref.c) --------------------------------------------------------- */

static bool report_matches_canon(const struct scw_vuln_report *r, const char *canon)
{
    for (size_t i = 0; i < r->n_names; i++)
        if (scw_image_ref_canon_match(r->names[i], canon))
            return true;
    return false;
}

bool scw_vulns_report_matches(const struct scw_vuln_report *r, const char *image)
{
    char c[SCW_IMAGE_REF_CANON_SIZE];
    return r && scw_image_ref_canon_into(image, c, sizeof(c)) == 0 && report_matches_canon(r, c);
}

/* ---- reports: lifetime ------------------------------------------------------------------- */

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void report_free(struct scw_vuln_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_vulns; i++) {
        struct scw_vuln *v = &r->vulns[i];
        free(v->id);
        free_strv(v->aliases, v->n_aliases);
        free(v->package);
        free(v->installed);
        free(v->fixed);
        free(v->target);
    }
    free(r->vulns);
    free_strv(r->names, r->n_names);
    free(r->path);
    free(r->image);
    free(r);
}

struct scw_vulns *scw_vulns_new(void)
{
    return calloc(1, sizeof(struct scw_vulns));
}

void scw_vulns_free(struct scw_vulns *vs)
{
    if (!vs)
        return;
    for (size_t i = 0; i < vs->n_reports; i++)
        report_free(vs->reports[i]);
    free(vs->reports);
    free(vs);
}

/* ---- reports: adding ---------------------------------------------------------------------- */

static bool looks_like_image_arg(const char *arg)
{
    return arg[0] != '/' && arg[0] != '.' && strchr(arg, '=');
}

int scw_vulns_add_buffer(struct scw_vulns *vs, const char *path, const char *image,
                         const void *data, size_t len, char **ret_error)
{
    struct scw_vuln_report *r = calloc(1, sizeof(*r));
    struct scw_vulns_reader rd = {.file = path, .r = r};
    int rc;
    if (!r || !(r->path = strdup(path))) {
        rc = scw_vulns_read_oom(&rd);
        goto out;
    }
    r->format = SCW_VULN_FORMAT_INVALID;
    if (vs->n_reports >= SCW_VULNS_MAX_REPORTS) {
        rc = scw_vulns_read_fail(&rd, -E2BIG, "more than %d reports (the limit)",
                                 SCW_VULNS_MAX_REPORTS);
        goto out;
    }
    if (image) {
        char c[SCW_IMAGE_REF_CANON_SIZE];
        if (scw_image_ref_canon_into(image, c, sizeof(c)) < 0) {
            rc = scw_vulns_read_fail(
                &rd, -EINVAL,
                "invalid image reference '%.128s' (expected NAME[:TAG][@DIGEST], e.g. "
                "nginx:1.25 or registry.example.com:5000/team/app@sha256:...)",
                image);
            goto out;
        }
        if (!(r->image = strdup(image)) || !(r->names = calloc(1, sizeof(char *))) ||
            !(r->names[0] = strdup(c))) {
            rc = scw_vulns_read_oom(&rd);
            goto out;
        }
        r->n_names = 1;
        r->image_from_user = true;
    }
    if ((rc = scw_vulns_read_report(&rd, data, len)) < 0)
        goto out;
    if (image) { /* the user's name wins: drop what the report said (kept only the first) */
        for (size_t i = 1; i < r->n_names; i++)
            free(r->names[i]);
        r->n_names = 1;
    } else if (!r->n_names) {
        scw_vulns_read_where(&rd, "");
        rc = scw_vulns_read_fail(
            &rd, -EINVAL,
            "this %s report does not name a container image; give it as IMAGE=%s "
            "(e.g. nginx:1.25=%s)",
            scw_vuln_format_name(r->format), path, path);
        goto out;
    } else if (!(r->image = strdup(r->names[0]))) {
        rc = scw_vulns_read_oom(&rd);
        goto out;
    }
    for (size_t i = 0; i < r->n_vulns; i++)
        r->by_severity[r->vulns[i].severity]++;
    struct scw_vuln_report **nr = realloc(vs->reports, (vs->n_reports + 1) * sizeof(*nr));
    if (!nr) {
        rc = scw_vulns_read_oom(&rd);
        goto out;
    }
    vs->reports = nr;
    vs->reports[vs->n_reports++] = r;
    r = NULL;
    rc = 0;
out:
    report_free(r);
    if (rc < 0 && ret_error)
        *ret_error = rd.error ? rd.error : strdup("out of memory");
    else
        free(rd.error);
    return rc;
}

static int set_error(char **ret_error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int set_error(char **ret_error, const char *fmt, ...)
{
    if (!ret_error)
        return 0;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(ret_error, fmt, ap) < 0)
        *ret_error = NULL;
    va_end(ap);
    return 0;
}

int scw_vulns_add_file(struct scw_vulns *vs, const char *arg, char **ret_error)
{
    const char *path = arg;
    char *image = NULL;
    if (looks_like_image_arg(arg)) {
        const char *eq = strchr(arg, '=');
        if (eq == arg) {
            set_error(ret_error, "'%s': no image name before '=' (expected IMAGE=PATH)", arg);
            return -EINVAL;
        }
        if (!(image = strndup(arg, (size_t)(eq - arg))))
            return set_error(ret_error, "out of memory"), -ENOMEM;
        path = eq + 1;
        if (!*path) {
            set_error(ret_error, "'%s': no report file after '=' (expected IMAGE=PATH)", arg);
            free(image);
            return -EINVAL;
        }
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    int rc;
    char *data = NULL;
    size_t len = 0;
    struct stat st;
    if (fd < 0) {
        rc = -errno;
        set_error(ret_error, "%s: cannot open the report: %s", path, strerror(-rc));
        goto out;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (uintmax_t)st.st_size > SCW_VULNS_MAX_FILE_SIZE) {
        rc = -EFBIG;
        set_error(ret_error, "%s: %jd bytes, more than the %u-byte limit for a scanner report",
                  path, (intmax_t)st.st_size, SCW_VULNS_MAX_FILE_SIZE);
        goto out;
    }
    size_t hint = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
    if ((rc = scw_read_all(fd, hint, SCW_VULNS_MAX_FILE_SIZE, &data, &len)) < 0) {
        if (rc == -EFBIG)
            set_error(ret_error, "%s: more than the %u-byte limit for a scanner report", path,
                      SCW_VULNS_MAX_FILE_SIZE);
        else
            set_error(ret_error, "%s: cannot read the report: %s", path, strerror(-rc));
        goto out;
    }
    rc = scw_vulns_add_buffer(vs, path, image, data, len, ret_error);
out:
    if (fd >= 0)
        close(fd);
    free(data);
    free(image);
    return rc;
}

/* ---- matching ------------------------------------------------------------------------------ */

/* The id of v that one of the block's CVE ids names (id or alias), or NULL. */
static const char *cve_matches(const struct scw_cve_block *b, const struct scw_vuln *v)
{
    for (size_t i = 0; i < b->n_cves; i++) {
        if (strcasecmp(v->id, b->cves[i]) == 0)
            return v->id;
        for (size_t k = 0; k < v->n_aliases; k++)
            if (strcasecmp(v->aliases[k], b->cves[i]) == 0)
                return v->aliases[k];
    }
    return NULL;
}

static bool package_matches(const struct scw_cve_block *b, const struct scw_vuln *v)
{
    return b->package && strcmp(b->package, v->package) == 0 && v->severity >= b->severity;
}

/* Image evidence for one block over a list of reports; false when none. */
static bool image_evidence(const struct scw_cve_block *b, const struct scw_vuln_report *const *rv,
                           size_t n, struct scw_block_hit *h)
{
    memset(h, 0, sizeof(*h));
    for (size_t r = 0; r < n; r++) {
        for (size_t i = 0; i < rv[r]->n_vulns; i++) {
            const struct scw_vuln *v = &rv[r]->vulns[i];
            const char *id =
                b->package ? (package_matches(b, v) ? v->id : NULL) : cve_matches(b, v);
            if (!id)
                continue;
            h->n_matches++;
            if (!h->vuln || v->severity > h->vuln->severity) {
                h->vuln = v;
                h->report = rv[r];
                h->cve = id;
            }
        }
    }
    if (!h->vuln)
        return false;
    h->block = b;
    h->cause = b->package ? SCW_BLOCK_CAUSE_PACKAGE : SCW_BLOCK_CAUSE_CVE;
    return true;
}

static int collect(const struct scw_rules *rs, const struct scw_vuln_report *const *rv, size_t n,
                   const char *kernel, bool kernel_hits, struct scw_block_hit **ret, size_t *ret_n)
{
    struct scw_block_hit *hits = NULL;
    size_t nh = 0;
    if (rs->n_cve_blocks && !(hits = calloc(rs->n_cve_blocks, sizeof(*hits))))
        return -ENOMEM;
    for (size_t i = 0; i < rs->n_cve_blocks; i++) {
        const struct scw_cve_block *b = &rs->cve_blocks[i];
        if (b->n_kernel_below && kernel) {
            const char *fix = kernel_hits ? scw_rules_kernel_missing_fix(b, kernel) : NULL;
            if (fix) {
                hits[nh++] = (struct scw_block_hit){
                    .block = b,
                    .cause = SCW_BLOCK_CAUSE_KERNEL,
                    .cve = b->n_cves ? b->cves[0] : NULL,
                    .kernel_release = kernel,
                    .kernel_fix = fix,
                };
            }
            continue;
        }
        if (image_evidence(b, rv, n, &hits[nh]))
            nh++;
    }
    if (!nh) {
        free(hits);
        hits = NULL;
    }
    *ret = hits;
    *ret_n = nh;
    return 0;
}

int scw_vulns_blocks_for(const struct scw_rules *rs, const struct scw_vulns *vs, const char *image,
                         const char *kernel_release, struct scw_block_hit **ret, size_t *ret_n)
{
    const struct scw_vuln_report **rv = NULL;
    size_t n = 0;
    char c[SCW_IMAGE_REF_CANON_SIZE];
    if (image && vs && vs->n_reports && scw_image_ref_canon_into(image, c, sizeof(c)) == 0) {
        if (!(rv = calloc(vs->n_reports, sizeof(*rv))))
            return -ENOMEM;
        for (size_t i = 0; i < vs->n_reports; i++)
            if (report_matches_canon(vs->reports[i], c))
                rv[n++] = vs->reports[i];
    }
    int rc = collect(rs, rv, n, kernel_release, true, ret, ret_n);
    free(rv);
    return rc;
}

int scw_vulns_report_blocks(const struct scw_rules *rs, const struct scw_vuln_report *r,
                            const char *kernel_release, struct scw_block_hit **ret, size_t *ret_n)
{
    return collect(rs, &r, 1, kernel_release, false, ret, ret_n);
}

const struct scw_block_hit *scw_vulns_block_for_syscall(const struct scw_block_hit *hits, size_t n,
                                                        const char *syscall)
{
    for (size_t i = 0; i < n; i++)
        if (hits[i].block->syscalls.all || scw_syscall_set_has(&hits[i].block->syscalls, syscall))
            return &hits[i];
    return NULL;
}

/* ---- presenting ---------------------------------------------------------------------------- */

int scw_vulns_hit_evidence(const struct scw_block_hit *h, char *buf, size_t size)
{
    int n;
    if (h->cause == SCW_BLOCK_CAUSE_KERNEL) {
        n = snprintf(buf, size, "host kernel %s is older than %s%s%s%s", h->kernel_release,
                     h->kernel_fix, h->cve ? " (" : "", h->cve ? h->cve : "", h->cve ? ")" : "");
    } else {
        const struct scw_vuln *v = h->vuln;
        n = snprintf(buf, size, "%s (%s) in %s%s%s, %s%s", h->cve, scw_severity_name(v->severity),
                     v->package, *v->installed ? " " : "", v->installed,
                     *v->fixed ? "fixed in " : "no fixed version yet", v->fixed);
    }
    if (n >= 0 && h->n_matches > 1 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, " (and %zu more matching)", h->n_matches - 1);
    return n;
}

json_t *scw_vulns_hit_json(const struct scw_block_hit *h)
{
    const struct scw_cve_block *b = h->block;
    const struct scw_vuln *v = h->vuln;
    json_t *o = json_object(), *sys = json_array();
    if (!o || !sys)
        goto fail;
    for (size_t i = 0; i < b->syscalls.n_names; i++)
        if (json_array_append_new(sys, json_string(b->syscalls.names[i])) < 0)
            goto fail;
    char where[4200];
    snprintf(where, sizeof(where), "%s:%u:%u", b->where.file ? b->where.file : "", b->where.line,
             b->where.column);
    const struct {
        const char *key;
        json_t *value;
    } kv[] = {
        {"block", scw_json_string(b->name)},
        {"cause", scw_json_string(scw_block_cause_name(h->cause))},
        {"cve", scw_json_string(h->cve)},
        {"severity", scw_json_string(v ? scw_severity_name(v->severity) : NULL)},
        {"package", scw_json_string(v ? v->package : NULL)},
        {"installed", scw_json_string(v && *v->installed ? v->installed : NULL)},
        {"fixed", scw_json_string(v && *v->fixed ? v->fixed : NULL)},
        {"report", scw_json_string(h->report ? h->report->path : NULL)},
        {"image", scw_json_string(h->report ? h->report->image : NULL)},
        {"matches", json_integer((json_int_t)h->n_matches)},
        {"kernel", scw_json_string(h->kernel_release)},
        {"kernel_below", scw_json_string(h->kernel_fix)},
        {"syscalls", sys},
        {"reason", scw_json_string(b->reason)},
        {"link", scw_json_string(b->link)},
        {"defined_at", scw_json_string(where)},
    };
    sys = NULL;
    bool ok = true;
    for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
        ok = json_object_set_new(o, kv[i].key, kv[i].value) == 0 && ok;
    if (ok)
        return o;
fail:
    json_decref(sys);
    json_decref(o);
    return NULL;
}
