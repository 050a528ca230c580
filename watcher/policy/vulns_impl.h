/*
 * vulns_impl: private to vulns*.c. The state of one report read, the toolkit every format
 * reader uses on it (vulns_read.c: jq-style path for messages, bounded string copies, typed
 * members, the first error kept) and the interface each format implements: detect + read.
 *
 * The format readers (vulns_klar.c, vulns_trivy.c, vulns_grype.c) each fill rd->r from the
 * parsed JSON and refuse the report at the first problem with scw_vulns_read_fail(). They do
 * not open files, parse JSON text or add the report to a set: vulns.c does that, through
 * scw_vulns_read_report(). Nothing outside policy/vulns*.c includes this header.
 */
#ifndef SCW_VULNS_IMPL_H
#define SCW_VULNS_IMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "vulns.h"

/* The state of one read: the report being built, the jq-style path, the first error. */
struct scw_vulns_reader {
    const char *file;
    struct scw_vuln_report *r;
    size_t cap_vulns;
    char path[256];
    size_t path_len;
    unsigned cut; /* segments that did not fit: the path is shown with "..." */
    char *error;
    int rc;
};

/* One scanner format: whether a report's top level looks like it, and its reader. */
struct scw_vulns_format_ops {
    enum scw_vuln_format format;
    bool (*detect)(const json_t *root); /* root is an object */
    int (*read)(struct scw_vulns_reader *rd, const json_t *root);
};

extern const struct scw_vulns_format_ops scw_vulns_klar_format;  /* vulns_klar.c */
extern const struct scw_vulns_format_ops scw_vulns_trivy_format; /* vulns_trivy.c */
extern const struct scw_vulns_format_ops scw_vulns_grype_format; /* vulns_grype.c */

/*
 * Parse data as JSON, detect its format and read it into rd->r (rd->r->format is set, to
 * SCW_VULN_FORMAT_INVALID when none fits). Returns 0 or the -errno of the first error, which
 * is then in rd->error ("FILE: what, at where").
 */
int scw_vulns_read_report(struct scw_vulns_reader *rd, const char *data, size_t len);

/* Record the first error (replacing any) as "FILE: what, at PATH"; returns rc. */
int scw_vulns_read_fail(struct scw_vulns_reader *rd, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int scw_vulns_read_oom(struct scw_vulns_reader *rd);
/* Replace the path by a location text ("" for none). */
void scw_vulns_read_where(struct scw_vulns_reader *rd, const char *where);

/* Path segments: a push returns what scw_vulns_read_pop needs to restore the path. */
size_t scw_vulns_read_push_key(struct scw_vulns_reader *rd, const char *key);
size_t scw_vulns_read_push_index(struct scw_vulns_reader *rd, size_t i);
void scw_vulns_read_pop(struct scw_vulns_reader *rd, size_t old);

/* "an object", "a list", "a string"... for messages. */
const char *scw_vulns_read_kind_name(const json_t *j);
/* The member key of obj, or NULL when missing or null. */
json_t *scw_vulns_read_member(const json_t *obj, const char *key);
/* Control bytes (C0, DEL, C1 as UTF-8): never kept, they could drive a terminal. */
bool scw_vulns_read_has_control(const char *s, size_t n);

/*
 * Members, copied (bounded, no control bytes). A string: missing or null is an error naming
 * need when need != NULL, else *ret = a copy of dflt (NULL when dflt is NULL). typed: a member
 * that must be of kind (object or list) when present; *ret NULL when missing or null.
 * severity: as a string (klar's Defcon1 is critical), dflt when missing.
 */
int scw_vulns_read_str(struct scw_vulns_reader *rd, const json_t *obj, const char *key,
                       const char *need, const char *dflt, char **ret);
int scw_vulns_read_typed(struct scw_vulns_reader *rd, const json_t *obj, const char *key,
                         json_type kind, json_t **ret);
int scw_vulns_read_severity(struct scw_vulns_reader *rd, const json_t *obj, const char *key,
                            const char *dflt, const char *need, enum scw_severity *ret);
int scw_vulns_read_expect_object(struct scw_vulns_reader *rd, const json_t *it, const char *what);

/* A new zeroed vulnerability at the end of rd->r (bounded by SCW_VULNS_MAX_VULNS). */
int scw_vulns_read_new_vuln(struct scw_vulns_reader *rd, struct scw_vuln **ret);

/* Image names of the report, kept canonical (image_ref.h) and once each; a name that is no
 * reference is skipped. name_member and names_member: a string / a list member, may be
 * missing. */
int scw_vulns_read_add_name(struct scw_vulns_reader *rd, const char *ref);
int scw_vulns_read_name_member(struct scw_vulns_reader *rd, const json_t *obj, const char *key);
int scw_vulns_read_names_member(struct scw_vulns_reader *rd, const json_t *obj, const char *key);

/* fn(rd, item, ctx) for each item of list, at most max (what names them in the message),
 * with the path set to the item. Stops at the first error. */
int scw_vulns_read_each(struct scw_vulns_reader *rd, const json_t *list, size_t max,
                        const char *what,
                        int (*fn)(struct scw_vulns_reader *rd, const json_t *item, void *ctx),
                        void *ctx);

#endif
