/*
 * svg: the charts of the HTML report, drawn as inline SVG (no script, no fonts fetched):
 * a timeline (one row per syscall over an observation window) and a stacked bar (decisions
 * of a group). Labels are escaped here. Callers: report_html.c, tests.
 */
#ifndef SCW_SVG_H
#define SCW_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * One row of a timeline: with buckets, n_buckets counts, the first starting at bucket0_ms,
 * each bucket_ms long, drawn as bars (height by count, a title per bar: its count and
 * interval); without (events with no time: a state written before time buckets), the span
 * [first_ms, last_ms] labelled with the count.
 */
struct scw_svg_row {
    const char *label;     /* the syscall (escaped by svg.c) */
    const char *css_class; /* a static class name, e.g. the decision: "allow", "deny" */
    uint64_t count;
    int64_t first_ms, last_ms; /* milliseconds since the epoch */
    const uint64_t *buckets;   /* NULL: draw the span (borrowed) */
    size_t n_buckets;
    int64_t bucket0_ms, bucket_ms;
};

/* Rows over the window [t0_ms, t1_ms] (t1 == t0: an instant; every span is then a tick). */
void scw_svg_timeline(FILE *out, const struct scw_svg_row *rows, size_t n, int64_t t0_ms,
                      int64_t t1_ms);

/* A horizontal bar of n parts (count, class, label), widths by count, with a legend. */
struct scw_svg_part {
    uint64_t count;
    const char *css_class; /* static */
    const char *label;     /* static */
};
void scw_svg_stacked_bar(FILE *out, const struct scw_svg_part *parts, size_t n);

#endif
