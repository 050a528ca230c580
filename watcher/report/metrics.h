/*
 * metrics: the Prometheus text exposition format (version 0.0.4), for the watcher's /metrics
 * and its node_exporter textfile. A text builder (families with HELP and TYPE, samples with
 * label values escaped), and the bounded SECCOMP event series: one counter per (workload,
 * syscall, action) for at most N of them, the rest summed under workload="other". What
 * numbers go in is the caller's (cli/watch_metrics.c); this file knows only the format and the
 * aggregate. No I/O.
 */
#ifndef SCW_METRICS_H
#define SCW_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"

#define SCW_METRICS_LABEL_MAX 200 /* bytes of a label value kept (then "...") */

/* A growing text; on allocation failure it stops growing and oom is set. */
struct scw_metrics_text {
    char *buf;
    size_t len, cap;
    bool oom;
};

void scw_metrics_text_release(struct scw_metrics_text *t);

/* "# HELP name help\n# TYPE name type\n" (type: counter, gauge). */
void scw_metrics_family(struct scw_metrics_text *t, const char *name, const char *type,
                        const char *help);
/* One sample: name{k1="v1",...} value. labels: NULL, or key, value, ..., NULL. Values are
 * escaped (backslash, double quote, newline), invalid UTF-8 is replaced by U+FFFD and long
 * values are cut at SCW_METRICS_LABEL_MAX bytes. */
void scw_metrics_u64(struct scw_metrics_text *t, const char *name, const char *const *labels,
                     uint64_t v);
void scw_metrics_f64(struct scw_metrics_text *t, const char *name, const char *const *labels,
                     double v);
/* Append label value s escaped as above (no quotes); exposed for tests. */
void scw_metrics_escape(struct scw_metrics_text *t, const char *s);

/*
 * The SECCOMP series. Which (workload, syscall, action) keys get a series of their own is
 * decided once per key and never undone, so that every series, "other" included, only grows
 * (a counter that moved from one series to another would look like a reset): at the first
 * render the top_n largest of the aggregate, then keys in the order they first appear, until
 * top_n exist; later keys count under other.
 */
struct scw_metrics_series;

int scw_metrics_series_new(unsigned top_n, struct scw_metrics_series **ret);
void scw_metrics_series_free(struct scw_metrics_series *s);
/* Write the scmpwatch_seccomp_events_total family (and _series_limit) for agg. */
void scw_metrics_series_render(struct scw_metrics_series *s, const struct scw_aggregate *agg,
                               struct scw_metrics_text *t);

/* The workload label of a workload: "NAMESPACE/POD/CONTAINER" for Kubernetes, else the
 * container's name, else the workload key. Borrowed from w, or written into buf. */
const char *scw_metrics_workload_label(const struct scw_workload *w, char *buf, size_t cap);

#endif
