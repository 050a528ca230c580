/*
 * vulns: scanner reports (klar, Trivy, Grype JSON) read into per-image vulnerability lists,
 * image references normalised and matched, and the cve_blocks of a rule set matched against
 * them and against the running kernel. See vulns.h for the contract and the matching rules.
 *
 * Reading: the whole file (bounded) is parsed by jansson; the format is detected from the top
 * level keys; each reader walks its format keeping a jq-style path for messages, copies what it
 * keeps (bounded, no control bytes) and refuses the report at the first problem. It does not
 * load rule files, build proposals or print. Callers: cmd_vulns.c, advise (through vulns.h).
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

#include "readall.h"
#include "json.h"

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

/* ---- image references --------------------------------------------------------------------- */

static bool is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_lower_hex(s[i]))
            return false;
    return true;
}

/* "algo:hex" with a lower-case algorithm and at least 32 hex digits. */
static bool valid_digest(const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    if (!colon || colon == s)
        return false;
    for (const char *p = s; p < colon; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '+' || *p == '.' ||
              *p == '_' || *p == '-'))
            return false;
    size_t hex = n - (size_t)(colon + 1 - s);
    return hex >= 32 && all_hex(colon + 1, hex);
}

static bool valid_tag(const char *s, size_t n)
{
    if (n == 0 || n > 128 || s[0] == '.' || s[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.' || s[i] == '-'))
            return false;
    return true;
}

/* A registry host: letters, digits, '.', '-' and an optional ":port". */
static bool valid_domain(const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n);
    size_t host = colon ? (size_t)(colon - s) : n;
    if (host == 0)
        return false;
    for (size_t i = 0; i < host; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-'))
            return false;
    if (colon) {
        size_t port = n - host - 1;
        if (port == 0 || port > 5 || strspn(colon + 1, "0123456789") < port)
            return false;
    }
    return true;
}

/* Repository path components: lower-case letters, digits and the separators . _ - inside. */
static bool valid_path(const char *s, size_t n)
{
    size_t comp = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '/') {
            if (comp == 0 ||
                !((s[i - 1] >= 'a' && s[i - 1] <= 'z') || (s[i - 1] >= '0' && s[i - 1] <= '9')))
                return false;
            comp = 0;
            continue;
        }
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (comp == 0 || (c != '.' && c != '_' && c != '-')))
            return false;
        comp++;
    }
    return true;
}

/* Canonical form into buf (see vulns.h); -EINVAL if ref is not a reference or buf too small. */
static int canon_into(const char *ref, char *buf, size_t size)
{
    size_t len = ref ? strlen(ref) : 0;
    if (len == 0 || len > SCW_VULNS_MAX_IMAGE)
        return -EINVAL;
    /* an image id alone: 64 hex digits, or algo:hex */
    if (len == 64 && all_hex(ref, len)) {
        int n = snprintf(buf, size, "sha256:%s", ref);
        for (char *p = buf + 7; *p; p++)
            if (*p >= 'A' && *p <= 'F')
                *p = (char)(*p - 'A' + 'a');
        return n > 0 && (size_t)n < size ? 0 : -EINVAL;
    }
    if (!strchr(ref, '/') && !strchr(ref, '@') && valid_digest(ref, len) &&
        (strncmp(ref, "sha256:", 7) == 0 || strncmp(ref, "sha512:", 7) == 0)) {
        if (len + 1 > size)
            return -EINVAL;
        for (size_t i = 0; i <= len; i++)
            buf[i] = (ref[i] >= 'A' && ref[i] <= 'F') ? (char)(ref[i] - 'A' + 'a') : ref[i];
        return 0;
    }
    const char *at = strchr(ref, '@');
    size_t name_len = at ? (size_t)(at - ref) : len;
    if (name_len == 0 || (at && !valid_digest(at + 1, len - name_len - 1)))
        return -EINVAL;
    /* the tag is after the last ':' that follows the last '/' */
    const char *slash = memrchr(ref, '/', name_len);
    const char *colon = memrchr(ref, ':', name_len);
    const char *tag = NULL;
    size_t tag_len = 0;
    if (colon && (!slash || colon > slash)) {
        tag = colon + 1;
        tag_len = name_len - (size_t)(tag - ref);
        name_len = (size_t)(colon - ref);
        if (!valid_tag(tag, tag_len))
            return -EINVAL;
    }
    const char *domain = "docker.io", *path = ref;
    size_t domain_len = 9, path_len = name_len;
    const char *first = memchr(ref, '/', name_len);
    if (first) {
        size_t fl = (size_t)(first - ref);
        bool is_domain = memchr(ref, '.', fl) || memchr(ref, ':', fl) ||
                         (fl == 9 && strncasecmp(ref, "localhost", 9) == 0);
        if (is_domain) {
            if (!valid_domain(ref, fl))
                return -EINVAL;
            /* registry hosts compare case-insensitively: "Docker.IO" is Docker Hub, and
             * the "library/" rule below must see it as such or canonical(x) would change
             * again when made canonical twice (fuzz_vulns, "doCker.io/argi22") */
            bool hub = (fl == 15 && strncasecmp(ref, "index.docker.io", 15) == 0) ||
                       (fl == 9 && strncasecmp(ref, "docker.io", 9) == 0);
            if (!hub) {
                domain = ref;
                domain_len = fl;
            }
            path = first + 1;
            path_len = name_len - fl - 1;
        }
    }
    if (!valid_path(path, path_len))
        return -EINVAL;
    bool library =
        domain_len == 9 && strncmp(domain, "docker.io", 9) == 0 && !memchr(path, '/', path_len);
    int n = snprintf(buf, size, "%.*s/%s%.*s%s%.*s%s%s", (int)domain_len, domain,
                     library ? "library/" : "", (int)path_len, path, tag || !at ? ":" : "",
                     (int)tag_len, tag ? tag : "", !tag && !at ? "latest" : "", at ? at : "");
    if (n < 0 || (size_t)n >= size || (size_t)n > SCW_VULNS_MAX_IMAGE)
        return -EINVAL; /* the canonical form is bounded too, so it is its own canonical form */
    for (size_t i = 0; i < domain_len; i++)
        if (buf[i] >= 'A' && buf[i] <= 'Z')
            buf[i] = (char)(buf[i] - 'A' + 'a');
    char *d = strchr(buf, '@');
    for (; d && *d; d++)
        if (*d >= 'A' && *d <= 'F')
            *d = (char)(*d - 'A' + 'a');
    return 0;
}

#define CANON_SIZE (SCW_VULNS_MAX_IMAGE + 32)

int scw_vulns_image_canonical(const char *ref, char **ret)
{
    char buf[CANON_SIZE];
    int rc = canon_into(ref, buf, sizeof(buf));
    if (rc < 0)
        return rc;
    char *s = strdup(buf);
    if (!s)
        return -ENOMEM;
    *ret = s;
    return 0;
}

/* Parts of a canonical reference: name (with no tag), tag, digest; lengths 0 when absent. */
struct ref_parts {
    const char *name, *tag, *digest;
    size_t name_len, tag_len;
};

static void split_canon(const char *c, struct ref_parts *p)
{
    memset(p, 0, sizeof(*p));
    if (!strchr(c, '/')) { /* an image id */
        p->digest = c;
        return;
    }
    const char *at = strchr(c, '@');
    size_t nl = at ? (size_t)(at - c) : strlen(c);
    p->digest = at ? at + 1 : NULL;
    const char *slash = memrchr(c, '/', nl);
    const char *colon = memrchr(c, ':', nl);
    p->name = c;
    p->name_len = nl;
    if (colon && colon > slash) {
        p->tag = colon + 1;
        p->tag_len = nl - (size_t)(colon + 1 - c);
        p->name_len = (size_t)(colon - c);
    }
}

static bool canon_match(const char *a, const char *b)
{
    struct ref_parts x, y;
    split_canon(a, &x);
    split_canon(b, &y);
    if (x.digest && y.digest)
        return strcmp(x.digest, y.digest) == 0;
    if (!x.tag || !y.tag)
        return false;
    return x.name_len == y.name_len && memcmp(x.name, y.name, x.name_len) == 0 &&
           x.tag_len == y.tag_len && memcmp(x.tag, y.tag, x.tag_len) == 0;
}

bool scw_vulns_image_match(const char *a, const char *b)
{
    char ca[CANON_SIZE], cb[CANON_SIZE];
    return canon_into(a, ca, sizeof(ca)) == 0 && canon_into(b, cb, sizeof(cb)) == 0 &&
           canon_match(ca, cb);
}

static bool report_matches_canon(const struct scw_vuln_report *r, const char *canon)
{
    for (size_t i = 0; i < r->n_names; i++)
        if (canon_match(r->names[i], canon))
            return true;
    return false;
}

bool scw_vulns_report_matches(const struct scw_vuln_report *r, const char *image)
{
    char c[CANON_SIZE];
    return r && canon_into(image, c, sizeof(c)) == 0 && report_matches_canon(r, c);
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

/* ---- reports: reading ---------------------------------------------------------------------- */

/* The state of one read: the report being built, the jq-style path, the first error. */
struct reader {
    const char *file;
    struct scw_vuln_report *r;
    size_t cap_vulns;
    char path[256];
    size_t path_len;
    unsigned cut; /* segments that did not fit: the path is shown with "..." */
    char *error;
    int rc;
};

static int fail(struct reader *rd, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct reader *rd, int rc, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    free(rd->error);
    rd->error = NULL;
    size_t n = strlen(rd->file) + strlen(what) + rd->path_len + 16;
    if ((rd->error = malloc(n)))
        snprintf(rd->error, n, "%s: %s%s%s%s", rd->file, what, rd->path_len ? ", at " : "",
                 rd->path_len ? rd->path : "", rd->path_len && rd->cut ? "..." : "");
    rd->rc = rc;
    return rc;
}

/* Replace the path by a location text ("" for none). */
static void set_where(struct reader *rd, const char *where)
{
    rd->path_len = (size_t)snprintf(rd->path, sizeof(rd->path), "%s", where);
    rd->cut = 0;
}

static int oom(struct reader *rd)
{
    return fail(rd, -ENOMEM, "out of memory");
}

/* Path segments: push returns the old length (or SIZE_MAX when the path is full: shown
 * with "..."), pop restores it. */
static size_t path_push(struct reader *rd, const char *seg, size_t n)
{
    if (rd->cut || rd->path_len + n >= sizeof(rd->path)) {
        rd->cut++;
        return SIZE_MAX;
    }
    size_t old = rd->path_len;
    memcpy(rd->path + old, seg, n + 1);
    rd->path_len += n;
    return old;
}

/* ".key", or ["key"] with odd characters escaped (keys come from the report). */
static size_t path_push_key(struct reader *rd, const char *key)
{
    char seg[96];
    size_t n = 0;
    bool plain = *key && strlen(key) < 64;
    for (const char *p = key; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                *p == '_';
    if (plain) {
        n = (size_t)snprintf(seg, sizeof(seg), ".%s", key);
    } else {
        seg[n++] = '[';
        seg[n++] = '"';
        for (const unsigned char *p = (const unsigned char *)key; *p && n + 8 < sizeof(seg); p++) {
            if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
                n += (size_t)snprintf(seg + n, sizeof(seg) - n, "\\x%02x", *p);
            else
                seg[n++] = (char)*p;
        }
        seg[n++] = '"';
        seg[n++] = ']';
        seg[n] = '\0';
    }
    return path_push(rd, seg, n);
}

static size_t path_push_index(struct reader *rd, size_t i)
{
    char seg[32];
    int n = snprintf(seg, sizeof(seg), "[%zu]", i);
    return path_push(rd, seg, (size_t)n);
}

static void path_pop(struct reader *rd, size_t old)
{
    if (old == SIZE_MAX) {
        rd->cut--;
        return;
    }
    rd->path_len = old;
    rd->path[old] = '\0';
}

static const char *json_kind(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "a list";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "something else";
}

/* The member key of obj, or NULL when missing or null. */
static json_t *member(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_null(v) ? NULL : v;
}

/* Control bytes (C0, DEL, C1 as UTF-8) could drive a terminal when the string is printed. */
static bool has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == 0)
            return true;
        if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] < 0xa0)
            return true;
    }
    return false;
}

/*
 * A string member: copied to *ret. Missing or null: an error naming what needs it when
 * required (need != NULL), else *ret = dflt copy (or NULL when dflt is NULL).
 */
static int get_str(struct reader *rd, const json_t *obj, const char *key, const char *need,
                   const char *dflt, char **ret)
{
    json_t *v = member(obj, key);
    if (!v) {
        if (need)
            return fail(rd, -EINVAL, "missing '%s' (%s)", key, need);
        *ret = NULL;
        if (dflt && !(*ret = strdup(dflt)))
            return oom(rd);
        return 0;
    }
    size_t old = path_push_key(rd, key);
    int rc = 0;
    if (!json_is_string(v)) {
        rc = fail(rd, -EINVAL, "expected a string, found %s", json_kind(v));
    } else {
        size_t n = json_string_length(v);
        const char *s = json_string_value(v);
        if (n > SCW_VULNS_MAX_STRING)
            rc = fail(rd, -E2BIG, "string of %zu bytes, longer than the %d-byte limit", n,
                      SCW_VULNS_MAX_STRING);
        else if (has_control(s, n))
            rc = fail(rd, -EINVAL, "control character in a string");
        else if (need && n == 0)
            rc = fail(rd, -EINVAL, "empty '%s' (%s)", key, need);
        else if (!(*ret = strdup(s)))
            rc = oom(rd);
    }
    path_pop(rd, old);
    return rc;
}

/* A member that must be of a kind when present (object/array); NULL when missing or null. */
static int get_kind(struct reader *rd, const json_t *obj, const char *key, json_type kind,
                    json_t **ret)
{
    json_t *v = member(obj, key);
    *ret = v;
    if (!v || json_typeof(v) == kind)
        return 0;
    size_t old = path_push_key(rd, key);
    fail(rd, -EINVAL, "expected %s, found %s", kind == JSON_OBJECT ? "an object" : "a list",
         json_kind(v));
    path_pop(rd, old);
    return rd->rc;
}

static enum scw_severity severity_of(const char *s)
{
    if (strcasecmp(s, "defcon1") == 0) /* Clair's level above critical */
        return SCW_SEVERITY_CRITICAL;
    return scw_severity_from_name(s);
}

static int get_severity(struct reader *rd, const json_t *obj, const char *key, const char *dflt,
                        const char *need, enum scw_severity *ret)
{
    char *s = NULL;
    int rc = get_str(rd, obj, key, dflt ? NULL : need, dflt, &s);
    if (rc < 0)
        return rc;
    enum scw_severity sev = severity_of(s);
    if (sev == SCW_SEVERITY_INVALID) {
        /* a klar group key is not checked like values are: never print control bytes */
        for (char *p = s; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                *p = '?';
        size_t old = member(obj, key) ? path_push_key(rd, key) : rd->path_len;
        fail(rd, -EINVAL,
             "unknown severity '%.64s' (expected one of: unknown, negligible, low, medium, "
             "high, critical, defcon1)",
             s);
        path_pop(rd, old);
        free(s);
        return rd->rc;
    }
    free(s);
    *ret = sev;
    return 0;
}

static int new_vuln(struct reader *rd, struct scw_vuln **ret)
{
    struct scw_vuln_report *r = rd->r;
    if (r->n_vulns >= SCW_VULNS_MAX_VULNS)
        return fail(rd, -E2BIG, "more than %d vulnerabilities in one report (the limit)",
                    SCW_VULNS_MAX_VULNS);
    if (r->n_vulns == rd->cap_vulns) {
        size_t cap = rd->cap_vulns ? rd->cap_vulns * 2 : 16;
        struct scw_vuln *nv = realloc(r->vulns, cap * sizeof(*nv));
        if (!nv)
            return oom(rd);
        r->vulns = nv;
        rd->cap_vulns = cap;
    }
    struct scw_vuln *v = &r->vulns[r->n_vulns++];
    memset(v, 0, sizeof(*v));
    *ret = v;
    return 0;
}

/* Add an image name from the report (canonicalised); names that are no reference are skipped. */
static int add_name(struct reader *rd, const char *ref)
{
    struct scw_vuln_report *r = rd->r;
    char c[CANON_SIZE];
    if (canon_into(ref, c, sizeof(c)) < 0)
        return 0;
    for (size_t i = 0; i < r->n_names; i++)
        if (strcmp(r->names[i], c) == 0)
            return 0;
    if (r->n_names >= SCW_VULNS_MAX_NAMES)
        return fail(rd, -E2BIG, "more than %d names for one image (the limit)",
                    SCW_VULNS_MAX_NAMES);
    char **nv = realloc(r->names, (r->n_names + 1) * sizeof(*nv));
    if (!nv)
        return oom(rd);
    r->names = nv;
    if (!(r->names[r->n_names] = strdup(c)))
        return oom(rd);
    r->n_names++;
    return 0;
}

/* A string member that is an image name; missing is fine. */
static int name_member(struct reader *rd, const json_t *obj, const char *key)
{
    char *s = NULL;
    int rc = get_str(rd, obj, key, NULL, NULL, &s);
    if (rc == 0 && s)
        rc = add_name(rd, s);
    free(s);
    return rc;
}

/* A list of image names; missing is fine. */
static int names_member(struct reader *rd, const json_t *obj, const char *key)
{
    json_t *list;
    int rc = get_kind(rd, obj, key, JSON_ARRAY, &list);
    if (rc < 0 || !list)
        return rc;
    size_t old = path_push_key(rd, key);
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        size_t o2 = path_push_index(rd, i);
        if (i >= SCW_VULNS_MAX_NAMES)
            rc = fail(rd, -E2BIG, "more than %d names for one image (the limit)",
                      SCW_VULNS_MAX_NAMES);
        else if (!json_is_string(it))
            rc = fail(rd, -EINVAL, "expected a string, found %s", json_kind(it));
        else if (json_string_length(it) <= SCW_VULNS_MAX_IMAGE &&
                 !has_control(json_string_value(it), json_string_length(it)))
            rc = add_name(rd, json_string_value(it));
        path_pop(rd, o2);
        if (rc < 0)
            break;
    }
    path_pop(rd, old);
    return rc;
}

/* Iterate over a list with a bound (vulnerability lists are bounded per report by new_vuln),
 * calling fn(rd, item, ctx) with the path set. */
static int each_item(struct reader *rd, const json_t *list, size_t max, const char *what,
                     int (*fn)(struct reader *rd, const json_t *item, void *ctx), void *ctx)
{
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        size_t old = path_push_index(rd, i);
        int rc;
        if (i >= max)
            rc = fail(rd, -E2BIG, "more than %zu %s (the limit)", max, what);
        else
            rc = fn(rd, it, ctx);
        path_pop(rd, old);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int expect_object(struct reader *rd, const json_t *it, const char *what)
{
    if (json_is_object(it))
        return 0;
    return fail(rd, -EINVAL, "expected %s (an object), found %s", what, json_kind(it));
}

/* -- klar: {"LayerCount": N, "Vulnerabilities": {"High": [{Name, Severity, FeatureName,
 *          FeatureVersion, FixedBy...}], ...}} */

static int klar_vuln(struct reader *rd, const json_t *it, void *ctx)
{
    const char *group = ctx;
    static const char need[] = "every klar vulnerability has Name and FeatureName";
    int rc = expect_object(rd, it, "a klar vulnerability");
    struct scw_vuln *v;
    if (rc < 0 || (rc = new_vuln(rd, &v)) < 0)
        return rc;
    if ((rc = get_str(rd, it, "Name", need, NULL, &v->id)) < 0 ||
        (rc = get_str(rd, it, "FeatureName", need, NULL, &v->package)) < 0 ||
        (rc = get_str(rd, it, "FeatureVersion", NULL, "", &v->installed)) < 0 ||
        (rc = get_str(rd, it, "FixedBy", NULL, "", &v->fixed)) < 0)
        return rc;
    /* the vulnerability's own Severity, else the group it is listed under */
    return get_severity(rd, it, "Severity", group, need, &v->severity);
}

static int read_klar(struct reader *rd, const json_t *root)
{
    json_t *lc = json_object_get(root, "LayerCount");
    if (!json_is_integer(lc)) {
        size_t old = path_push_key(rd, "LayerCount");
        fail(rd, -EINVAL, "expected a number, found %s", json_kind(lc));
        path_pop(rd, old);
        return rd->rc;
    }
    json_t *groups;
    int rc = get_kind(rd, root, "Vulnerabilities", JSON_OBJECT, &groups);
    if (rc < 0 || !groups)
        return rc;
    size_t old = path_push_key(rd, "Vulnerabilities");
    if (json_object_size(groups) > SCW_VULNS_MAX_GROUPS)
        rc = fail(rd, -E2BIG, "more than %d severity groups (the limit)", SCW_VULNS_MAX_GROUPS);
    const char *key;
    json_t *list;
    json_object_foreach(groups, key, list)
    {
        if (rc < 0)
            break;
        if (json_is_null(list))
            continue;
        size_t o2 = path_push_key(rd, key);
        if (!json_is_array(list))
            rc = fail(rd, -EINVAL, "expected a list of vulnerabilities, found %s", json_kind(list));
        else
            rc = each_item(rd, list, SIZE_MAX, "vulnerabilities", klar_vuln, (void *)key);
        path_pop(rd, o2);
    }
    path_pop(rd, old);
    return rc;
}

/* -- Trivy (-f json, SchemaVersion 2): {ArtifactName, ArtifactType, Metadata: {ImageID,
 *          RepoTags, RepoDigests}, Results: [{Target, Vulnerabilities: [{VulnerabilityID,
 *          PkgName, InstalledVersion, FixedVersion, Severity}]}]} */

static int trivy_vuln(struct reader *rd, const json_t *it, void *ctx)
{
    const char *target = ctx;
    static const char need[] = "every Trivy vulnerability has VulnerabilityID, PkgName and "
                               "Severity";
    int rc = expect_object(rd, it, "a Trivy vulnerability");
    struct scw_vuln *v;
    if (rc < 0 || (rc = new_vuln(rd, &v)) < 0)
        return rc;
    if ((rc = get_str(rd, it, "VulnerabilityID", need, NULL, &v->id)) < 0 ||
        (rc = get_str(rd, it, "PkgName", need, NULL, &v->package)) < 0 ||
        (rc = get_str(rd, it, "InstalledVersion", NULL, "", &v->installed)) < 0 ||
        (rc = get_str(rd, it, "FixedVersion", NULL, "", &v->fixed)) < 0 ||
        (rc = get_severity(rd, it, "Severity", NULL, need, &v->severity)) < 0)
        return rc;
    if (target && !(v->target = strdup(target)))
        return oom(rd);
    return 0;
}

static int trivy_result(struct reader *rd, const json_t *it, void *ctx)
{
    (void)ctx;
    int rc = expect_object(rd, it, "a Trivy result");
    char *target = NULL;
    json_t *list;
    if (rc < 0 || (rc = get_str(rd, it, "Target", NULL, NULL, &target)) < 0)
        return rc;
    if ((rc = get_kind(rd, it, "Vulnerabilities", JSON_ARRAY, &list)) == 0 && list) {
        size_t old = path_push_key(rd, "Vulnerabilities");
        rc = each_item(rd, list, SIZE_MAX, "vulnerabilities", trivy_vuln, target);
        path_pop(rd, old);
    }
    free(target);
    return rc;
}

static int read_trivy(struct reader *rd, const json_t *root)
{
    json_t *sv = json_object_get(root, "SchemaVersion");
    if (sv && !(json_is_integer(sv) && json_integer_value(sv) == 2)) {
        size_t old = path_push_key(rd, "SchemaVersion");
        if (json_is_integer(sv))
            fail(rd, -EINVAL, "unsupported Trivy SchemaVersion %lld (this scmpwatch reads 2)",
                 (long long)json_integer_value(sv));
        else
            fail(rd, -EINVAL, "expected a number, found %s", json_kind(sv));
        path_pop(rd, old);
        return rd->rc;
    }
    char *type = NULL;
    int rc = get_str(rd, root, "ArtifactType", NULL, NULL, &type);
    if (rc < 0)
        return rc;
    bool image = !type || strcmp(type, "container_image") == 0;
    free(type);
    json_t *meta, *results;
    if (image) {
        if ((rc = name_member(rd, root, "ArtifactName")) < 0 ||
            (rc = get_kind(rd, root, "Metadata", JSON_OBJECT, &meta)) < 0)
            return rc;
        if (meta) {
            size_t old = path_push_key(rd, "Metadata");
            if ((rc = names_member(rd, meta, "RepoTags")) == 0 &&
                (rc = names_member(rd, meta, "RepoDigests")) == 0)
                rc = name_member(rd, meta, "ImageID");
            path_pop(rd, old);
            if (rc < 0)
                return rc;
        }
    }
    if ((rc = get_kind(rd, root, "Results", JSON_ARRAY, &results)) < 0 || !results)
        return rc;
    size_t old = path_push_key(rd, "Results");
    rc = each_item(rd, results, SCW_VULNS_MAX_GROUPS, "results", trivy_result, NULL);
    path_pop(rd, old);
    return rc;
}

/* -- Grype (-o json): {matches: [{vulnerability: {id, severity, fix: {versions}},
 *          relatedVulnerabilities: [{id}], artifact: {name, version, locations: [{path}]}}],
 *          source: {type, target: {userInput, tags, repoDigests, imageID, manifestDigest}}} */

static int grype_alias(struct reader *rd, const json_t *it, void *ctx)
{
    struct scw_vuln *v = ctx;
    int rc = expect_object(rd, it, "a related vulnerability");
    char *id = NULL;
    if (rc < 0 ||
        (rc = get_str(rd, it, "id", "every related vulnerability has an id", NULL, &id)) < 0)
        return rc;
    if (strcasecmp(id, v->id) == 0) {
        free(id);
        return 0;
    }
    char **na = realloc(v->aliases, (v->n_aliases + 1) * sizeof(*na));
    if (!na) {
        free(id);
        return oom(rd);
    }
    v->aliases = na;
    v->aliases[v->n_aliases++] = id;
    return 0;
}

/* fix.versions joined with ", " into *ret ("" when none). */
static int grype_fix(struct reader *rd, const json_t *vuln, char **ret)
{
    json_t *fix, *versions;
    int rc = get_kind(rd, vuln, "fix", JSON_OBJECT, &fix);
    if (rc < 0)
        return rc;
    char buf[SCW_VULNS_MAX_STRING + 1] = "";
    size_t len = 0;
    if (fix) {
        size_t old = path_push_key(rd, "fix");
        if ((rc = get_kind(rd, fix, "versions", JSON_ARRAY, &versions)) == 0 && versions) {
            size_t o2 = path_push_key(rd, "versions");
            size_t i;
            json_t *it;
            json_array_foreach(versions, i, it)
            {
                size_t o3 = path_push_index(rd, i);
                size_t n = json_string_length(it);
                if (!json_is_string(it))
                    rc = fail(rd, -EINVAL, "expected a string, found %s", json_kind(it));
                else if (len + n + 2 > SCW_VULNS_MAX_STRING)
                    rc = fail(rd, -E2BIG, "fixed versions longer than the %d-byte limit",
                              SCW_VULNS_MAX_STRING);
                else if (has_control(json_string_value(it), n))
                    rc = fail(rd, -EINVAL, "control character in a string");
                else if (n)
                    len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? ", " : "",
                                            json_string_value(it));
                path_pop(rd, o3);
                if (rc < 0)
                    break;
            }
            path_pop(rd, o2);
        }
        path_pop(rd, old);
    }
    if (rc == 0 && !(*ret = strdup(buf)))
        rc = oom(rd);
    return rc;
}

static int grype_match(struct reader *rd, const json_t *it, void *ctx)
{
    (void)ctx;
    int rc = expect_object(rd, it, "a Grype match");
    if (rc < 0)
        return rc;
    json_t *vuln = member(it, "vulnerability"), *art = member(it, "artifact"), *rel, *locs;
    if (!vuln || !art)
        return fail(rd, -EINVAL, "missing '%s' (every Grype match has vulnerability and artifact)",
                    vuln ? "artifact" : "vulnerability");
    struct scw_vuln *v;
    if ((rc = new_vuln(rd, &v)) < 0)
        return rc;
    static const char vneed[] = "every Grype vulnerability has id and severity";
    size_t old = path_push_key(rd, "vulnerability");
    if ((rc = expect_object(rd, vuln, "a Grype vulnerability")) == 0 &&
        (rc = get_str(rd, vuln, "id", vneed, NULL, &v->id)) == 0 &&
        (rc = get_severity(rd, vuln, "severity", NULL, vneed, &v->severity)) == 0)
        rc = grype_fix(rd, vuln, &v->fixed);
    path_pop(rd, old);
    if (rc < 0)
        return rc;
    old = path_push_key(rd, "artifact");
    if ((rc = expect_object(rd, art, "a Grype artifact")) == 0 &&
        (rc = get_str(rd, art, "name", "every Grype artifact has a name", NULL, &v->package)) ==
            0 &&
        (rc = get_str(rd, art, "version", NULL, "", &v->installed)) == 0 &&
        (rc = get_kind(rd, art, "locations", JSON_ARRAY, &locs)) == 0 && locs &&
        json_array_size(locs) > 0) {
        size_t o2 = path_push_key(rd, "locations");
        size_t o3 = path_push_index(rd, 0);
        json_t *loc = json_array_get(locs, 0);
        if ((rc = expect_object(rd, loc, "a location")) == 0)
            rc = get_str(rd, loc, "path", NULL, NULL, &v->target);
        path_pop(rd, o3);
        path_pop(rd, o2);
    }
    path_pop(rd, old);
    if (rc < 0 || (rc = get_kind(rd, it, "relatedVulnerabilities", JSON_ARRAY, &rel)) < 0 || !rel)
        return rc;
    old = path_push_key(rd, "relatedVulnerabilities");
    rc = each_item(rd, rel, SCW_VULNS_MAX_ALIASES, "related vulnerabilities", grype_alias, v);
    path_pop(rd, old);
    return rc;
}

/*
 * Grype's userInput may carry a source scheme: "docker:nginx", "registry:nginx:1.21" name an
 * image ("registry:5000/app" is a host and port, not the scheme); archives and directories
 * ("docker-archive:img.tar", "dir:.") name none.
 */
static int grype_user_input(struct reader *rd, const json_t *target)
{
    char *s = NULL;
    int rc = get_str(rd, target, "userInput", NULL, NULL, &s);
    if (rc < 0 || !s)
        return rc;
    static const char *const image_schemes[] = {"docker:", "podman:", "registry:", NULL};
    static const char *const other_schemes[] = {
        "docker-archive:", "oci-archive:", "oci-dir:", "dir:",
        "file:",           "singularity:", "sbom:",    NULL};
    const char *ref = s;
    for (size_t i = 0; image_schemes[i]; i++) {
        size_t n = strlen(image_schemes[i]);
        if (strncmp(s, image_schemes[i], n) == 0 && strspn(s + n, "0123456789") == 0) {
            ref = s + n;
            break;
        }
    }
    bool other = false;
    for (size_t i = 0; other_schemes[i] && !other; i++)
        other = strncmp(ref, other_schemes[i], strlen(other_schemes[i])) == 0;
    if (!other)
        rc = add_name(rd, ref);
    free(s);
    return rc;
}

static int read_grype(struct reader *rd, const json_t *root)
{
    json_t *source, *matches;
    int rc = get_kind(rd, root, "source", JSON_OBJECT, &source);
    if (rc < 0)
        return rc;
    json_t *target = source ? member(source, "target") : NULL;
    char *type = NULL;
    if (source) {
        size_t old = path_push_key(rd, "source");
        rc = get_str(rd, source, "type", NULL, NULL, &type);
        if (rc == 0 && type && strcmp(type, "image") == 0 && target) {
            size_t o2 = path_push_key(rd, "target");
            if ((rc = expect_object(rd, target, "an image description")) == 0 &&
                (rc = grype_user_input(rd, target)) == 0 &&
                (rc = names_member(rd, target, "tags")) == 0 &&
                (rc = names_member(rd, target, "repoDigests")) == 0 &&
                (rc = name_member(rd, target, "imageID")) == 0)
                rc = name_member(rd, target, "manifestDigest");
            path_pop(rd, o2);
        }
        path_pop(rd, old);
        free(type);
        if (rc < 0)
            return rc;
    }
    if ((rc = get_kind(rd, root, "matches", JSON_ARRAY, &matches)) < 0 || !matches)
        return rc;
    size_t old = path_push_key(rd, "matches");
    rc = each_item(rd, matches, SIZE_MAX, "vulnerabilities", grype_match, NULL);
    path_pop(rd, old);
    return rc;
}

static enum scw_vuln_format detect(const json_t *root)
{
    if (json_object_get(root, "matches") &&
        (json_object_get(root, "source") || json_object_get(root, "descriptor")))
        return SCW_VULN_FORMAT_GRYPE;
    if (json_object_get(root, "LayerCount") && json_object_get(root, "Vulnerabilities"))
        return SCW_VULN_FORMAT_KLAR;
    if (json_object_get(root, "SchemaVersion") || json_object_get(root, "ArtifactName") ||
        json_object_get(root, "Results"))
        return SCW_VULN_FORMAT_TRIVY;
    return SCW_VULN_FORMAT_INVALID;
}

static int parse_report(struct reader *rd, const char *data, size_t len)
{
    size_t ws = 0;
    while (ws < len && strchr(" \t\r\n", data[ws]) && data[ws])
        ws++;
    if (ws == len)
        return fail(rd, -EINVAL, "empty file (expected the JSON output of klar, Trivy or Grype)");
    json_error_t jerr;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!root) {
        char where[64];
        snprintf(where, sizeof(where), "line %d, column %d", jerr.line, jerr.column);
        set_where(rd, where);
        if (json_error_code(&jerr) == json_error_premature_end_of_input)
            fail(rd, -EINVAL, "truncated JSON (the file ends inside a value)");
        else
            fail(rd, -EINVAL, "invalid JSON: %s", jerr.text);
        return rd->rc;
    }
    int rc;
    if (!json_is_object(root)) {
        set_where(rd, "the top level");
        rc = fail(rd, -EINVAL,
                  "not a scanner report: the top level is %s (expected the object that klar "
                  "JSON_OUTPUT=true, trivy -f json or grype -o json write; Trivy's list format "
                  "from before version 0.20 is not read)",
                  json_kind(root));
    } else {
        enum scw_vuln_format f = detect(root);
        rd->r->format = f;
        switch (f) {
        case SCW_VULN_FORMAT_KLAR:
            rc = read_klar(rd, root);
            break;
        case SCW_VULN_FORMAT_TRIVY:
            rc = read_trivy(rd, root);
            break;
        case SCW_VULN_FORMAT_GRYPE:
            rc = read_grype(rd, root);
            break;
        case SCW_VULN_FORMAT_MAX:
        case SCW_VULN_FORMAT_INVALID:
            set_where(rd, "the top level");
            rc = fail(rd, -EINVAL,
                      "not a scanner report of a known format (expected klar's LayerCount and "
                      "Vulnerabilities, Trivy's SchemaVersion, ArtifactName or Results, or "
                      "Grype's matches and source at the top level)");
            break;
        }
    }
    json_decref(root);
    return rc;
}

static bool looks_like_image_arg(const char *arg)
{
    return arg[0] != '/' && arg[0] != '.' && strchr(arg, '=');
}

int scw_vulns_add_buffer(struct scw_vulns *vs, const char *path, const char *image,
                         const void *data, size_t len, char **ret_error)
{
    struct scw_vuln_report *r = calloc(1, sizeof(*r));
    struct reader rd = {.file = path, .r = r};
    int rc;
    if (!r || !(r->path = strdup(path))) {
        rc = oom(&rd);
        goto out;
    }
    r->format = SCW_VULN_FORMAT_INVALID;
    if (vs->n_reports >= SCW_VULNS_MAX_REPORTS) {
        rc = fail(&rd, -E2BIG, "more than %d reports (the limit)", SCW_VULNS_MAX_REPORTS);
        goto out;
    }
    if (image) {
        char c[CANON_SIZE];
        if (canon_into(image, c, sizeof(c)) < 0) {
            rc = fail(&rd, -EINVAL,
                      "invalid image reference '%.128s' (expected NAME[:TAG][@DIGEST], e.g. "
                      "nginx:1.25 or registry.example.com:5000/team/app@sha256:...)",
                      image);
            goto out;
        }
        if (!(r->image = strdup(image)) || !(r->names = calloc(1, sizeof(char *))) ||
            !(r->names[0] = strdup(c))) {
            rc = oom(&rd);
            goto out;
        }
        r->n_names = 1;
        r->image_from_user = true;
    }
    if ((rc = parse_report(&rd, data, len)) < 0)
        goto out;
    if (image) { /* the user's name wins: drop what the report said (kept only the first) */
        for (size_t i = 1; i < r->n_names; i++)
            free(r->names[i]);
        r->n_names = 1;
    } else if (!r->n_names) {
        set_where(&rd, "");
        rc = fail(&rd, -EINVAL,
                  "this %s report does not name a container image; give it as IMAGE=%s "
                  "(e.g. nginx:1.25=%s)",
                  scw_vuln_format_name(r->format), path, path);
        goto out;
    } else if (!(r->image = strdup(r->names[0]))) {
        rc = oom(&rd);
        goto out;
    }
    for (size_t i = 0; i < r->n_vulns; i++)
        r->by_severity[r->vulns[i].severity]++;
    struct scw_vuln_report **nr = realloc(vs->reports, (vs->n_reports + 1) * sizeof(*nr));
    if (!nr) {
        rc = oom(&rd);
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
    char c[CANON_SIZE];
    if (image && vs && vs->n_reports && canon_into(image, c, sizeof(c)) == 0) {
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
