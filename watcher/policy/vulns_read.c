/*
 * vulns_read: reading one scanner report, the part every format shares. Parses the JSON text
 * (jansson, duplicates refused), detects the format from the top-level keys through the
 * readers' detect functions, runs that reader, and gives the readers their toolkit: the
 * jq-style path of the value being read (for messages), the first error, bounded copies of
 * strings without control bytes, typed members, severities, image names (canonical).
 * It does not read files or keep the report (vulns.c), nor know any format's layout
 * (vulns_klar.c, vulns_trivy.c, vulns_grype.c). Callers: those files, through vulns_impl.h.
 */
#include "vulns_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "image_ref.h"

/* ---- the state of a read: errors and the path ------------------------------------------- */

int scw_vulns_read_fail(struct scw_vulns_reader *rd, int rc, const char *fmt, ...)
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
void scw_vulns_read_where(struct scw_vulns_reader *rd, const char *where)
{
    rd->path_len = (size_t)snprintf(rd->path, sizeof(rd->path), "%s", where);
    rd->cut = 0;
}

int scw_vulns_read_oom(struct scw_vulns_reader *rd)
{
    return scw_vulns_read_fail(rd, -ENOMEM, "out of memory");
}

/* Path segments: push returns the old length (or SIZE_MAX when the path is full: shown
 * with "..."), pop restores it. */
static size_t path_push(struct scw_vulns_reader *rd, const char *seg, size_t n)
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
size_t scw_vulns_read_push_key(struct scw_vulns_reader *rd, const char *key)
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

size_t scw_vulns_read_push_index(struct scw_vulns_reader *rd, size_t i)
{
    char seg[32];
    int n = snprintf(seg, sizeof(seg), "[%zu]", i);
    return path_push(rd, seg, (size_t)n);
}

void scw_vulns_read_pop(struct scw_vulns_reader *rd, size_t old)
{
    if (old == SIZE_MAX) {
        rd->cut--;
        return;
    }
    rd->path_len = old;
    rd->path[old] = '\0';
}

/* ---- members ---------------------------------------------------------------------------- */

const char *scw_vulns_read_kind_name(const json_t *j)
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
json_t *scw_vulns_read_member(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_null(v) ? NULL : v;
}

/* Control bytes (C0, DEL, C1 as UTF-8) could drive a terminal when the string is printed. */
bool scw_vulns_read_has_control(const char *s, size_t n)
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
int scw_vulns_read_str(struct scw_vulns_reader *rd, const json_t *obj, const char *key,
                       const char *need, const char *dflt, char **ret)
{
    json_t *v = scw_vulns_read_member(obj, key);
    if (!v) {
        if (need)
            return scw_vulns_read_fail(rd, -EINVAL, "missing '%s' (%s)", key, need);
        *ret = NULL;
        if (dflt && !(*ret = strdup(dflt)))
            return scw_vulns_read_oom(rd);
        return 0;
    }
    size_t old = scw_vulns_read_push_key(rd, key);
    int rc = 0;
    if (!json_is_string(v)) {
        rc = scw_vulns_read_fail(rd, -EINVAL, "expected a string, found %s",
                                 scw_vulns_read_kind_name(v));
    } else {
        size_t n = json_string_length(v);
        const char *s = json_string_value(v);
        if (n > SCW_VULNS_MAX_STRING)
            rc = scw_vulns_read_fail(rd, -E2BIG,
                                     "string of %zu bytes, longer than the %d-byte limit", n,
                                     SCW_VULNS_MAX_STRING);
        else if (scw_vulns_read_has_control(s, n))
            rc = scw_vulns_read_fail(rd, -EINVAL, "control character in a string");
        else if (need && n == 0)
            rc = scw_vulns_read_fail(rd, -EINVAL, "empty '%s' (%s)", key, need);
        else if (!(*ret = strdup(s)))
            rc = scw_vulns_read_oom(rd);
    }
    scw_vulns_read_pop(rd, old);
    return rc;
}

/* A member that must be of a kind when present (object/array); NULL when missing or null. */
int scw_vulns_read_typed(struct scw_vulns_reader *rd, const json_t *obj, const char *key,
                         json_type kind, json_t **ret)
{
    json_t *v = scw_vulns_read_member(obj, key);
    *ret = v;
    if (!v || json_typeof(v) == kind)
        return 0;
    size_t old = scw_vulns_read_push_key(rd, key);
    scw_vulns_read_fail(rd, -EINVAL, "expected %s, found %s",
                        kind == JSON_OBJECT ? "an object" : "a list", scw_vulns_read_kind_name(v));
    scw_vulns_read_pop(rd, old);
    return rd->rc;
}

static enum scw_severity severity_of(const char *s)
{
    if (strcasecmp(s, "defcon1") == 0) /* Clair's level above critical */
        return SCW_SEVERITY_CRITICAL;
    return scw_severity_from_name(s);
}

int scw_vulns_read_severity(struct scw_vulns_reader *rd, const json_t *obj, const char *key,
                            const char *dflt, const char *need, enum scw_severity *ret)
{
    char *s = NULL;
    int rc = scw_vulns_read_str(rd, obj, key, dflt ? NULL : need, dflt, &s);
    if (rc < 0)
        return rc;
    enum scw_severity sev = severity_of(s);
    if (sev == SCW_SEVERITY_INVALID) {
        /* a klar group key is not checked like values are: never print control bytes */
        for (char *p = s; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                *p = '?';
        size_t old =
            scw_vulns_read_member(obj, key) ? scw_vulns_read_push_key(rd, key) : rd->path_len;
        scw_vulns_read_fail(
            rd, -EINVAL,
            "unknown severity '%.64s' (expected one of: unknown, negligible, low, medium, "
            "high, critical, defcon1)",
            s);
        scw_vulns_read_pop(rd, old);
        free(s);
        return rd->rc;
    }
    free(s);
    *ret = sev;
    return 0;
}

int scw_vulns_read_new_vuln(struct scw_vulns_reader *rd, struct scw_vuln **ret)
{
    struct scw_vuln_report *r = rd->r;
    if (r->n_vulns >= SCW_VULNS_MAX_VULNS)
        return scw_vulns_read_fail(rd, -E2BIG,
                                   "more than %d vulnerabilities in one report (the limit)",
                                   SCW_VULNS_MAX_VULNS);
    if (r->n_vulns == rd->cap_vulns) {
        size_t cap = rd->cap_vulns ? rd->cap_vulns * 2 : 16;
        struct scw_vuln *nv = realloc(r->vulns, cap * sizeof(*nv));
        if (!nv)
            return scw_vulns_read_oom(rd);
        r->vulns = nv;
        rd->cap_vulns = cap;
    }
    struct scw_vuln *v = &r->vulns[r->n_vulns++];
    memset(v, 0, sizeof(*v));
    *ret = v;
    return 0;
}

/* Add an image name from the report (canonicalised); names that are no reference are skipped. */
int scw_vulns_read_add_name(struct scw_vulns_reader *rd, const char *ref)
{
    struct scw_vuln_report *r = rd->r;
    char c[SCW_IMAGE_REF_CANON_SIZE];
    if (scw_image_ref_canon_into(ref, c, sizeof(c)) < 0)
        return 0;
    for (size_t i = 0; i < r->n_names; i++)
        if (strcmp(r->names[i], c) == 0)
            return 0;
    if (r->n_names >= SCW_VULNS_MAX_NAMES)
        return scw_vulns_read_fail(rd, -E2BIG, "more than %d names for one image (the limit)",
                                   SCW_VULNS_MAX_NAMES);
    char **nv = realloc(r->names, (r->n_names + 1) * sizeof(*nv));
    if (!nv)
        return scw_vulns_read_oom(rd);
    r->names = nv;
    if (!(r->names[r->n_names] = strdup(c)))
        return scw_vulns_read_oom(rd);
    r->n_names++;
    return 0;
}

/* A string member that is an image name; missing is fine. */
int scw_vulns_read_name_member(struct scw_vulns_reader *rd, const json_t *obj, const char *key)
{
    char *s = NULL;
    int rc = scw_vulns_read_str(rd, obj, key, NULL, NULL, &s);
    if (rc == 0 && s)
        rc = scw_vulns_read_add_name(rd, s);
    free(s);
    return rc;
}

/* A list of image names; missing is fine. */
int scw_vulns_read_names_member(struct scw_vulns_reader *rd, const json_t *obj, const char *key)
{
    json_t *list;
    int rc = scw_vulns_read_typed(rd, obj, key, JSON_ARRAY, &list);
    if (rc < 0 || !list)
        return rc;
    size_t old = scw_vulns_read_push_key(rd, key);
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        size_t o2 = scw_vulns_read_push_index(rd, i);
        if (i >= SCW_VULNS_MAX_NAMES)
            rc = scw_vulns_read_fail(rd, -E2BIG, "more than %d names for one image (the limit)",
                                     SCW_VULNS_MAX_NAMES);
        else if (!json_is_string(it))
            rc = scw_vulns_read_fail(rd, -EINVAL, "expected a string, found %s",
                                     scw_vulns_read_kind_name(it));
        else if (json_string_length(it) <= SCW_VULNS_MAX_IMAGE &&
                 !scw_vulns_read_has_control(json_string_value(it), json_string_length(it)))
            rc = scw_vulns_read_add_name(rd, json_string_value(it));
        scw_vulns_read_pop(rd, o2);
        if (rc < 0)
            break;
    }
    scw_vulns_read_pop(rd, old);
    return rc;
}

/* Iterate over a list with a bound (vulnerability lists are bounded per report by
 * scw_vulns_read_new_vuln), calling fn(rd, item, ctx) with the path set. */
int scw_vulns_read_each(struct scw_vulns_reader *rd, const json_t *list, size_t max,
                        const char *what,
                        int (*fn)(struct scw_vulns_reader *rd, const json_t *item, void *ctx),
                        void *ctx)
{
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        size_t old = scw_vulns_read_push_index(rd, i);
        int rc;
        if (i >= max)
            rc = scw_vulns_read_fail(rd, -E2BIG, "more than %zu %s (the limit)", max, what);
        else
            rc = fn(rd, it, ctx);
        scw_vulns_read_pop(rd, old);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int scw_vulns_read_expect_object(struct scw_vulns_reader *rd, const json_t *it, const char *what)
{
    if (json_is_object(it))
        return 0;
    return scw_vulns_read_fail(rd, -EINVAL, "expected %s (an object), found %s", what,
                               scw_vulns_read_kind_name(it));
}

/* ---- one report ---------------------------------------------------------------------------- */

/* The formats in detection order: Trivy's test (any of three keys) is the loosest, so last. */
static const struct scw_vulns_format_ops *const formats[] = {
    &scw_vulns_grype_format,
    &scw_vulns_klar_format,
    &scw_vulns_trivy_format,
};

int scw_vulns_read_report(struct scw_vulns_reader *rd, const char *data, size_t len)
{
    size_t ws = 0;
    while (ws < len && strchr(" \t\r\n", data[ws]) && data[ws])
        ws++;
    if (ws == len)
        return scw_vulns_read_fail(rd, -EINVAL,
                                   "empty file (expected the JSON output of klar, Trivy or Grype)");
    json_error_t jerr;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!root) {
        char where[64];
        snprintf(where, sizeof(where), "line %d, column %d", jerr.line, jerr.column);
        scw_vulns_read_where(rd, where);
        if (json_error_code(&jerr) == json_error_premature_end_of_input)
            scw_vulns_read_fail(rd, -EINVAL, "truncated JSON (the file ends inside a value)");
        else
            scw_vulns_read_fail(rd, -EINVAL, "invalid JSON: %s", jerr.text);
        return rd->rc;
    }
    int rc;
    if (!json_is_object(root)) {
        scw_vulns_read_where(rd, "the top level");
        rc = scw_vulns_read_fail(
            rd, -EINVAL,
            "not a scanner report: the top level is %s (expected the object that klar "
            "JSON_OUTPUT=true, trivy -f json or grype -o json write; Trivy's list format "
            "from before version 0.20 is not read)",
            scw_vulns_read_kind_name(root));
    } else {
        const struct scw_vulns_format_ops *ops = NULL;
        for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]) && !ops; i++)
            if (formats[i]->detect(root))
                ops = formats[i];
        rd->r->format = ops ? ops->format : SCW_VULN_FORMAT_INVALID;
        if (ops) {
            rc = ops->read(rd, root);
        } else {
            scw_vulns_read_where(rd, "the top level");
            rc = scw_vulns_read_fail(
                rd, -EINVAL,
                "not a scanner report of a known format (expected klar's LayerCount and "
                "Vulnerabilities, Trivy's SchemaVersion, ArtifactName or Results, or "
                "Grype's matches and source at the top level)");
        }
    }
    json_decref(root);
    return rc;
}
