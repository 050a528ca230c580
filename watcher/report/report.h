/*
 * report: the aggregate as people and programs read it. JSON (jansson; keys are a stable
 * interface, see scmpwatch(1)) and grouped text with optional colour. Later stages (advise)
 * decorate the JSON workloads through a hook instead of writing their own report.
 */
#ifndef SCW_REPORT_H
#define SCW_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "aggregate.h"
#include "aggregate_json.h" /* the report's objects, shared with the state file */
#include "json.h"

enum scw_format {
    SCW_FORMAT_TEXT,
    SCW_FORMAT_JSON,
    SCW_FORMAT_PROFILE,
    SCW_FORMAT_DIFF,
    SCW_FORMAT_HTML,           /* proposals: one self-contained page (report_html.c) */
    SCW_FORMAT_MARKDOWN,       /* proposals: a pull-request comment (report_md.c) */
    SCW_FORMAT_SECCOMPPROFILE, /* tuned profiles as SPO SeccompProfile YAML (seccompprofile.c) */
    SCW_FORMAT_MAX,
    SCW_FORMAT_INVALID = -1,
};
enum scw_format scw_format_from_name(const char *name);

/* Called for each workload object before it is added to the report (may add keys). */
typedef void (*scw_report_decorate_fn)(void *ctx, const struct scw_aggregate *agg,
                                       uint32_t workload, json_t *obj);

struct scw_report_opts {
    bool color;        /* text only */
    const char *title; /* text heading, e.g. "scmpwatch replay" */
    unsigned n_inputs; /* files read, for the text heading */
    scw_report_decorate_fn decorate;
    void *decorate_ctx;
};

/* Whether to colour output on this stream: a terminal, NO_COLOR unset, TERM not "dumb". */
bool scw_report_want_color(FILE *f);

/* The whole report as one JSON document; NULL on allocation failure. */
json_t *scw_report_json(const struct scw_aggregate *agg, const struct scw_report_opts *opts);
/* Builds and writes the JSON document (indented, stable key order, ends with '\n'). */
int scw_report_write_json(const struct scw_aggregate *agg, const struct scw_report_opts *opts,
                          FILE *out);
/* The same, followed by the members of tail (keys that go after "workloads"; may be NULL).
 * Written one workload at a time, so memory does not grow with the document. */
int scw_report_write_json_with(const struct scw_aggregate *agg, const struct scw_report_opts *opts,
                               json_t *tail, FILE *out);
int scw_report_write_text(const struct scw_aggregate *agg, const struct scw_report_opts *opts,
                          FILE *out);

/* Text helpers shared with other writers (advice_report.c). */
void scw_report_fmt_count(uint64_t n, char *buf, size_t cap); /* 1234567 -> "1,234,567" */
/* "2025-11-28 14:22:16.358" (UTC), "-" for 0 */
void scw_report_fmt_time(int64_t sec, uint32_t msec, char *buf, size_t cap);
/* A string from a record, with control bytes and invalid UTF-8 written as \xNN. */
void scw_report_put_safe(FILE *out, const char *s);

#endif
