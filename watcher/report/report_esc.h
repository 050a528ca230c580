/*
 * report_esc: strings an outsider controls (container names, labels, images, executables,
 * reasons from rule files) made safe for each output: a terminal (control bytes and invalid
 * UTF-8 as \xNN), HTML (also & < > " ' as entities) and Markdown table cells (also the
 * characters GitHub-flavoured Markdown gives a meaning: | ` \ * _ [ ] < > & ~ #). And the one
 * way every report names a workload. Callers: report.c, advice_report.c, report_html.c,
 * report_md.c, tests.
 */
#ifndef SCW_REPORT_ESC_H
#define SCW_REPORT_ESC_H

#include <stdbool.h>
#include <stdio.h>

#include "aggregate.h"

enum scw_esc {
    SCW_ESC_TEXT,     /* a terminal */
    SCW_ESC_HTML,     /* element content and quoted attribute values */
    SCW_ESC_MARKDOWN, /* GitHub-flavoured Markdown, inside a table cell or a paragraph */
    SCW_ESC_MAX,
    SCW_ESC_INVALID = -1,
};

/* Write s (NULL: "-") escaped for e. */
void scw_esc_put(FILE *out, enum scw_esc e, const char *s);
/* The same into buf (always terminated; cut at a character boundary when it does not fit).
 * Returns the length written. */
size_t scw_esc_str(enum scw_esc e, const char *s, char *buf, size_t cap);

/* Whether s is non-empty and only [0-9a-f] (a runtime's container id). */
bool scw_esc_is_hex(const char *s);

/*
 * A workload as people read it: "docker api-1 (aaaa1111bbbb)" (a hex id is cut to 12
 * characters, any other id is shown whole), "docker aaaa1111bbbb" without a name, or the
 * executable of a host workload. Escaped for e.
 */
void scw_esc_workload(FILE *out, enum scw_esc e, const struct scw_workload *w);
/* Just the id: 12 hex characters when it is hex, else whole (escaped for e). */
void scw_esc_container_id(FILE *out, enum scw_esc e, const char *id);

#endif
