/*
 * metrics: exposition text and the bounded SECCOMP series (see metrics.h).
 */
#include "metrics.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"
#include "record.h"

#define OTHER (-1)

void scw_metrics_text_release(struct scw_metrics_text *t)
{
    free(t->buf);
    *t = (struct scw_metrics_text){0};
}

static bool reserve(struct scw_metrics_text *t, size_t more)
{
    if (t->oom)
        return false;
    if (t->len + more + 1 <= t->cap)
        return true;
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < t->len + more + 1)
        cap *= 2;
    char *p = realloc(t->buf, cap);
    if (!p) {
        t->oom = true;
        return false;
    }
    t->buf = p;
    t->cap = cap;
    return true;
}

static void put(struct scw_metrics_text *t, const char *s, size_t n)
{
    if (!reserve(t, n))
        return;
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

static void puts_(struct scw_metrics_text *t, const char *s)
{
    put(t, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void putf(struct scw_metrics_text *t, const char *fmt,
                                                       ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > 0)
        put(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void scw_metrics_family(struct scw_metrics_text *t, const char *name, const char *type,
                        const char *help)
{
    /* HELP text escapes backslash and newline (ours are constants; kept honest anyway) */
    puts_(t, "# HELP ");
    puts_(t, name);
    put(t, " ", 1);
    for (const char *p = help; *p; p++) {
        if (*p == '\\')
            put(t, "\\\\", 2);
        else if (*p == '\n')
            put(t, "\\n", 2);
        else
            put(t, p, 1);
    }
    puts_(t, "\n# TYPE ");
    puts_(t, name);
    put(t, " ", 1);
    puts_(t, type);
    put(t, "\n", 1);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s, size_t left)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (left < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0; /* overlong, surrogate, out of range */
    return n;
}

void scw_metrics_escape(struct scw_metrics_text *t, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s), used = 0;
    while (left) {
        size_t n = utf8_len(p, left);
        if (used + (n ? n : 3) > SCW_METRICS_LABEL_MAX) {
            put(t, "...", 3);
            return;
        }
        if (n == 0) {
            put(t, "\xef\xbf\xbd", 3); /* U+FFFD for a byte that is no UTF-8 */
            n = 1;
            used += 3;
        } else if (*p == '\\') {
            put(t, "\\\\", 2);
            used++;
        } else if (*p == '"') {
            put(t, "\\\"", 2);
            used++;
        } else if (*p == '\n') {
            put(t, "\\n", 2);
            used++;
        } else {
            put(t, (const char *)p, n);
            used += n;
        }
        p += n;
        left -= n;
    }
}

static void sample_head(struct scw_metrics_text *t, const char *name, const char *const *labels)
{
    puts_(t, name);
    if (labels && labels[0]) {
        put(t, "{", 1);
        for (size_t i = 0; labels[i] && labels[i + 1]; i += 2) {
            if (i)
                put(t, ",", 1);
            puts_(t, labels[i]);
            put(t, "=\"", 2);
            scw_metrics_escape(t, labels[i + 1]);
            put(t, "\"", 1);
        }
        put(t, "}", 1);
    }
    put(t, " ", 1);
}

void scw_metrics_u64(struct scw_metrics_text *t, const char *name, const char *const *labels,
                     uint64_t v)
{
    sample_head(t, name, labels);
    putf(t, "%llu\n", (unsigned long long)v);
}

void scw_metrics_f64(struct scw_metrics_text *t, const char *name, const char *const *labels,
                     double v)
{
    sample_head(t, name, labels);
    if (isnan(v))
        puts_(t, "NaN\n");
    else if (isinf(v))
        puts_(t, v > 0 ? "+Inf\n" : "-Inf\n");
    else
        putf(t, "%.17g\n", v);
}

const char *scw_metrics_workload_label(const struct scw_workload *w, char *buf, size_t cap)
{
    const struct scw_container *c = w->container;
    if (c && c->namespace && c->pod) {
        snprintf(buf, cap, "%s/%s%s%s", c->namespace, c->pod, c->k8s_container ? "/" : "",
                 c->k8s_container ? c->k8s_container : "");
        return buf;
    }
    if (c && c->name)
        return c->name;
    return w->key;
}

/* ---- the bounded series ---- */

struct series {
    char *workload, *syscall;
    enum scw_action action;
    uint64_t count;
};

struct scw_metrics_series {
    unsigned top;
    struct series *s;
    size_t n;
    int32_t *map; /* per aggregate entry: series index, or OTHER */
    size_t mapped, map_cap;
    bool seeded;
};

int scw_metrics_series_new(unsigned top_n, struct scw_metrics_series **ret)
{
    struct scw_metrics_series *s = calloc(1, sizeof(*s));
    if (!s || !(s->s = calloc(top_n ? top_n : 1, sizeof(*s->s)))) {
        free(s);
        return -ENOMEM;
    }
    s->top = top_n;
    *ret = s;
    return 0;
}

void scw_metrics_series_free(struct scw_metrics_series *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->s[i].workload);
        free(s->s[i].syscall);
    }
    free(s->s);
    free(s->map);
    free(s);
}

static void syscall_label(const struct scw_agg_entry *e, char *buf, size_t cap)
{
    struct scw_syscall_name nm;
    scw_name_lookup(e->arch, e->syscall, &nm);
    if (nm.name)
        snprintf(buf, cap, "%s", nm.name);
    else
        snprintf(buf, cap, "%s:%u", nm.arch, e->syscall);
}

/* The series of entry e: found, made (while fewer than top exist), or OTHER. */
static int32_t series_of(struct scw_metrics_series *s, const struct scw_aggregate *agg,
                         const struct scw_agg_entry *e)
{
    const struct scw_workload *w = scw_aggregate_workload_at(agg, e->workload);
    if (!w)
        return OTHER;
    char wbuf[512], sbuf[64];
    const char *wl = scw_metrics_workload_label(w, wbuf, sizeof(wbuf));
    syscall_label(e, sbuf, sizeof(sbuf));
    enum scw_action a = scw_action_from_code(e->code);
    for (size_t i = 0; i < s->n; i++)
        if (s->s[i].action == a && strcmp(s->s[i].syscall, sbuf) == 0 &&
            strcmp(s->s[i].workload, wl) == 0)
            return (int32_t)i;
    if (s->n >= s->top)
        return OTHER;
    struct series *n = &s->s[s->n];
    n->workload = strdup(wl);
    n->syscall = strdup(sbuf);
    n->action = a;
    if (!n->workload || !n->syscall) {
        free(n->workload);
        free(n->syscall);
        *n = (struct series){0};
        return OTHER;
    }
    return (int32_t)s->n++;
}

static const struct scw_aggregate *sort_agg; /* qsort has no context argument */

static int cmp_count_desc(const void *x, const void *y)
{
    const struct scw_agg_entry *a = scw_aggregate_entry_at(sort_agg, *(const uint32_t *)x);
    const struct scw_agg_entry *b = scw_aggregate_entry_at(sort_agg, *(const uint32_t *)y);
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

/* Map entries not seen before; the first time, the largest first. */
static void map_new_entries(struct scw_metrics_series *s, const struct scw_aggregate *agg)
{
    size_t n = scw_aggregate_n_entries(agg);
    if (n > s->map_cap) {
        size_t cap = s->map_cap ? s->map_cap : 1024;
        while (cap < n)
            cap *= 2;
        int32_t *m = realloc(s->map, cap * sizeof(*m));
        if (!m)
            return; /* counted next time */
        s->map = m;
        s->map_cap = cap;
    }
    if (!s->seeded) {
        s->seeded = true;
        uint32_t *order = malloc((n ? n : 1) * sizeof(*order));
        if (order) {
            for (size_t i = 0; i < n; i++)
                order[i] = (uint32_t)i;
            sort_agg = agg;
            qsort(order, n, sizeof(*order), cmp_count_desc);
            for (size_t i = 0; i < n; i++)
                s->map[order[i]] = series_of(s, agg, scw_aggregate_entry_at(agg, order[i]));
            free(order);
            s->mapped = n;
            return;
        }
    }
    for (; s->mapped < n; s->mapped++)
        s->map[s->mapped] = series_of(s, agg, scw_aggregate_entry_at(agg, s->mapped));
}

void scw_metrics_series_render(struct scw_metrics_series *s, const struct scw_aggregate *agg,
                               struct scw_metrics_text *t)
{
    map_new_entries(s, agg);
    uint64_t other = 0;
    for (size_t i = 0; i < s->n; i++)
        s->s[i].count = 0;
    for (size_t i = 0; i < s->mapped; i++) {
        const struct scw_agg_entry *e = scw_aggregate_entry_at(agg, i);
        if (s->map[i] == OTHER)
            other += e->count;
        else
            s->s[s->map[i]].count += e->count;
    }
    scw_metrics_family(t, "scmpwatch_seccomp_events_total", "counter",
                       "SECCOMP audit records counted, per workload, syscall and action (what "
                       "the state file holds, carried over restarts). At most "
                       "--metrics-top series; the rest are summed under workload=\"other\"");
    for (size_t i = 0; i < s->n; i++)
        scw_metrics_u64(t, "scmpwatch_seccomp_events_total",
                        (const char *[]){"workload", s->s[i].workload, "syscall", s->s[i].syscall,
                                         "action", scw_action_name(s->s[i].action), NULL},
                        s->s[i].count);
    scw_metrics_u64(
        t, "scmpwatch_seccomp_events_total",
        (const char *[]){"workload", "other", "syscall", "other", "action", "other", NULL}, other);
    scw_metrics_family(t, "scmpwatch_seccomp_series", "gauge",
                       "SECCOMP event series exported on their own, and their limit "
                       "(--metrics-top)");
    scw_metrics_u64(t, "scmpwatch_seccomp_series", (const char *[]){"kind", "exported", NULL},
                    s->n);
    scw_metrics_u64(t, "scmpwatch_seccomp_series", (const char *[]){"kind", "limit", NULL}, s->top);
}
