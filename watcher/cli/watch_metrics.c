/*
 * watch_metrics: what the watcher exposes to Prometheus (see watch_metrics.h). Every family
 * has HELP and TYPE and the scmpwatch_ prefix; counters count since this watcher started
 * unless their HELP says otherwise (the SECCOMP series are the state's, carried over
 * restarts). The text is rendered at most once a second however many scrapes come (a burst of
 * connections costs copies, not renders of a large aggregate).
 */
#include "watch_metrics.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomic_file.h"
#include "httpd.h"
#include "log.h"
#include "metrics.h"
#include "runtime_meta.h"
#include "watch_loop.h"

#define RENDER_EVERY_MS 1000

struct scw_watch_metrics {
    struct scw_httpd *httpd; /* NULL without --metrics */
    char *file;              /* --metrics-file, or NULL */
    struct scw_metrics_series *series;
    char *cache;
    size_t cache_len;
    uint64_t cache_ms;
    bool file_warned;
};

/* "netlink", "kmsg", "stdin", "follow:PATH" for a followed source. */
static const char *source_name(struct scw_watch *w, unsigned i)
{
    const char *p = scw_follow_path(w->follow[i]);
    if (strcmp(p, "-") == 0)
        return "stdin";
    if (strcmp(p, "/dev/kmsg") == 0)
        return "kmsg";
    return p;
}

static void input_metrics(struct scw_watch *w, struct scw_metrics_text *t)
{
    const struct scw_input_stats *st = scw_aggregate_stats(w->agg);
    struct scw_nl_stats ns = {0};
    if (w->nl)
        scw_nl_audit_stats(w->nl, &ns);
    scw_metrics_family(t, "scmpwatch_records_received_total", "counter",
                       "SECCOMP audit records read, per source");
    if (w->nl)
        scw_metrics_u64(t, "scmpwatch_records_received_total",
                        (const char *[]){"source", "netlink", NULL}, ns.seccomp);
    for (unsigned i = 0; i < w->n_follow; i++) {
        const char *name = source_name(w, i);
        bool file = strcmp(name, "stdin") != 0 && strcmp(name, "kmsg") != 0;
        scw_metrics_u64(t, "scmpwatch_records_received_total",
                        file ? (const char *[]){"source", "follow", "path", name, NULL}
                             : (const char *[]){"source", name, NULL},
                        w->source_records[i]);
    }
    uint64_t kmsg_over = 0;
    for (unsigned i = 0; i < w->n_follow; i++) {
        struct scw_follow_stats fs;
        scw_follow_stats(w->follow[i], &fs);
        kmsg_over += fs.kmsg_overwritten;
    }
    scw_metrics_family(t, "scmpwatch_records_lost_total", "counter",
                       "Audit records known lost before the watcher read them: gaps in the "
                       "audit serial numbers (netlink), records overwritten in the kernel log "
                       "(kmsg), printk's suppressed callbacks");
    scw_metrics_u64(t, "scmpwatch_records_lost_total",
                    (const char *[]){"reason", "serial_gap", NULL}, ns.serial_lost);
    scw_metrics_u64(t, "scmpwatch_records_lost_total",
                    (const char *[]){"reason", "kmsg_overwritten", NULL}, kmsg_over);
    scw_metrics_u64(t, "scmpwatch_records_lost_total",
                    (const char *[]){"reason", "printk_suppressed", NULL}, w->in.printk_suppressed);
    if (w->have_kernel_lost) {
        scw_metrics_family(t, "scmpwatch_kernel_lost_records_total", "counter",
                           "Rise of the kernel's own audit lost counter (AUDIT_GET) since the "
                           "watcher started; read every 10 s unconfined, and only at start "
                           "under the sandbox (AUDIT_GET needs CAP_AUDIT_CONTROL)");
        scw_metrics_u64(t, "scmpwatch_kernel_lost_records_total", NULL,
                        st->kernel_lost - w->kernel_lost_at_start);
    }
    struct scw_attr_stats as;
    scw_attr_stats(w->attr, &as);
    scw_metrics_family(t, "scmpwatch_records_unattributed_total", "counter",
                       "SECCOMP records whose process had no cgroup found (gone before its "
                       "lookup, or in the root cgroup): counted by executable");
    scw_metrics_u64(t, "scmpwatch_records_unattributed_total", NULL, as.unattributed);
    scw_metrics_family(t, "scmpwatch_records_malformed_total", "counter",
                       "Lines or messages that claim to be SECCOMP records but lack a valid "
                       "arch= or syscall=, and oversized lines");
    scw_metrics_u64(t, "scmpwatch_records_malformed_total", NULL,
                    st->malformed - w->base.malformed + st->oversized - w->base.oversized +
                        ns.malformed);
    scw_metrics_family(t, "scmpwatch_records_ignored_total", "counter",
                       "SECCOMP records dropped by the rule files' ignore lists");
    scw_metrics_u64(t, "scmpwatch_records_ignored_total", NULL, w->in.ignored);
    uint64_t age_ms = scw_watch_loop_now_ms() - w->last_record_ms;
    if (scw_aggregate_stats(w->agg)->seccomp != w->tick_seccomp)
        age_ms = 0; /* counted since the last tick */
    scw_metrics_family(t, "scmpwatch_seconds_since_last_record", "gauge",
                       "Seconds since the last SECCOMP record was counted (since the start when "
                       "none was; 1 s resolution)");
    scw_metrics_f64(t, "scmpwatch_seconds_since_last_record", NULL, (double)(age_ms / 1000));

    const struct scw_agg_drops *d = scw_aggregate_drops(w->agg);
    scw_metrics_family(t, "scmpwatch_dropped_at_bounds_total", "counter",
                       "Events not counted (or pids not cached) because a bound was reached: "
                       "--max-workloads, --max-entries, the executable table, --max-pids");
    scw_metrics_u64(t, "scmpwatch_dropped_at_bounds_total",
                    (const char *[]){"bound", "workloads", NULL}, d->workloads);
    scw_metrics_u64(t, "scmpwatch_dropped_at_bounds_total",
                    (const char *[]){"bound", "entries", NULL}, d->entries);
    scw_metrics_u64(t, "scmpwatch_dropped_at_bounds_total",
                    (const char *[]){"bound", "executables", NULL}, d->strings);
    scw_metrics_u64(t, "scmpwatch_dropped_at_bounds_total", (const char *[]){"bound", "pids", NULL},
                    as.cache_full);

    const struct scw_agg_limits *lim = scw_aggregate_limits(w->agg);
    scw_metrics_family(t, "scmpwatch_workloads", "gauge", "Workloads kept in the aggregate");
    scw_metrics_u64(t, "scmpwatch_workloads", NULL, scw_aggregate_n_workloads(w->agg));
    scw_metrics_family(t, "scmpwatch_workloads_limit", "gauge", "--max-workloads");
    scw_metrics_u64(t, "scmpwatch_workloads_limit", NULL, lim->max_workloads);
    scw_metrics_family(t, "scmpwatch_entries", "gauge",
                       "Workload x arch x syscall x action entries kept");
    scw_metrics_u64(t, "scmpwatch_entries", NULL, scw_aggregate_n_entries(w->agg));
    scw_metrics_family(t, "scmpwatch_entries_limit", "gauge", "--max-entries");
    scw_metrics_u64(t, "scmpwatch_entries_limit", NULL, lim->max_entries);

    scw_metrics_family(t, "scmpwatch_pid_cache_pids", "gauge", "Pids in the attribution cache");
    scw_metrics_u64(t, "scmpwatch_pid_cache_pids", NULL, as.pids);
    scw_metrics_family(t, "scmpwatch_pid_cache_lookups_total", "counter",
                       "Records attributed from the pid cache (hit) or by reading "
                       "/proc/PID/cgroup (miss)");
    scw_metrics_u64(t, "scmpwatch_pid_cache_lookups_total", (const char *[]){"result", "hit", NULL},
                    as.hits);
    scw_metrics_u64(t, "scmpwatch_pid_cache_lookups_total",
                    (const char *[]){"result", "miss", NULL}, as.proc_reads);
    scw_metrics_family(t, "scmpwatch_pid_cache_hit_ratio", "gauge",
                       "hit / (hit + miss) since the start (1 before any lookup)");
    uint64_t lookups = as.hits + as.proc_reads;
    scw_metrics_f64(t, "scmpwatch_pid_cache_hit_ratio", NULL,
                    lookups ? (double)as.hits / (double)lookups : 1.0);
    const struct scw_meta_stats *ms = scw_attr_meta_stats(w->attr);
    scw_metrics_family(t, "scmpwatch_runtime_state_files_total", "counter",
                       "Container runtime state files looked up, by result");
    scw_metrics_u64(t, "scmpwatch_runtime_state_files_total",
                    (const char *[]){"result", "read", NULL}, ms->reads);
    scw_metrics_u64(t, "scmpwatch_runtime_state_files_total",
                    (const char *[]){"result", "missing", NULL}, ms->missing);
    scw_metrics_u64(t, "scmpwatch_runtime_state_files_total",
                    (const char *[]){"result", "unreadable", NULL}, ms->unreadable);
    scw_metrics_u64(t, "scmpwatch_runtime_state_files_total",
                    (const char *[]){"result", "bad", NULL}, ms->bad + ms->too_big);
}

static void daemon_metrics(struct scw_watch *w, struct scw_metrics_text *t)
{
    scw_metrics_family(t, "scmpwatch_snapshots_total", "counter",
                       "Snapshots (state file, events summary, metrics file), by result");
    scw_metrics_u64(t, "scmpwatch_snapshots_total", (const char *[]){"result", "ok", NULL},
                    w->snapshots_ok);
    scw_metrics_u64(t, "scmpwatch_snapshots_total", (const char *[]){"result", "error", NULL},
                    w->snapshots_failed);
    scw_metrics_family(t, "scmpwatch_snapshot_duration_seconds", "gauge",
                       "How long the last snapshot took");
    scw_metrics_f64(t, "scmpwatch_snapshot_duration_seconds", NULL, w->last_snapshot_seconds);
    scw_metrics_family(t, "scmpwatch_snapshot_last_success_timestamp_seconds", "gauge",
                       "Unix time of the last snapshot that was written (the state file "
                       "check at start counts; 0: none)");
    scw_metrics_u64(t, "scmpwatch_snapshot_last_success_timestamp_seconds", NULL,
                    (uint64_t)(w->last_snapshot_ok_wall > 0 ? w->last_snapshot_ok_wall : 0));
    scw_metrics_family(t, "scmpwatch_snapshot_interval_seconds", "gauge", "--interval");
    scw_metrics_u64(t, "scmpwatch_snapshot_interval_seconds", NULL, w->interval);
    scw_metrics_family(t, "scmpwatch_rule_reloads_total", "counter",
                       "Rule file reloads on SIGHUP, by result (error: the rules loaded before "
                       "stay in force)");
    scw_metrics_u64(t, "scmpwatch_rule_reloads_total", (const char *[]){"result", "ok", NULL},
                    w->reloads_ok);
    scw_metrics_u64(t, "scmpwatch_rule_reloads_total", (const char *[]){"result", "error", NULL},
                    w->reloads_failed);
    scw_metrics_family(t, "scmpwatch_sandboxed", "gauge",
                       "1 when the watcher runs confined (no_new_privs, capabilities dropped, "
                       "its own seccomp filter)");
    scw_metrics_u64(t, "scmpwatch_sandboxed", NULL, w->sandboxed);
    scw_metrics_family(t, "scmpwatch_build_info", "gauge", "The watcher's version");
    scw_metrics_u64(t, "scmpwatch_build_info", (const char *[]){"version", SCW_VERSION, NULL}, 1);
    scw_metrics_family(t, "scmpwatch_uptime_seconds", "gauge", "Seconds since the watcher started");
    scw_metrics_u64(t, "scmpwatch_uptime_seconds", NULL, scw_watch_loop_now() - w->started);
    if (w->metrics && w->metrics->httpd) {
        struct scw_httpd_stats hs;
        scw_httpd_stats(w->metrics->httpd, &hs);
        static const char *const kinds[] = {"ok",      "bad_request", "not_found",
                                            "timeout", "too_large",   "server_error"};
        scw_metrics_family(t, "scmpwatch_metrics_requests_total", "counter",
                           "Requests to the metrics endpoint, by answer");
        for (int i = 0; i < 6; i++)
            scw_metrics_u64(t, "scmpwatch_metrics_requests_total",
                            (const char *[]){"result", kinds[i], NULL}, hs.requests[i]);
        scw_metrics_family(t, "scmpwatch_metrics_connections_rejected_total", "counter",
                           "Connections to the metrics endpoint refused because the "
                           "connection limit was reached (503)");
        scw_metrics_u64(t, "scmpwatch_metrics_connections_rejected_total", NULL, hs.rejected);
        scw_metrics_family(t, "scmpwatch_metrics_connections", "gauge",
                           "Connections to the metrics endpoint open now");
        scw_metrics_u64(t, "scmpwatch_metrics_connections", NULL, hs.open);
    }
}

char *scw_watch_metrics_render(struct scw_watch *w, size_t *ret_len)
{
    struct scw_metrics_text t = {0};
    input_metrics(w, &t);
    daemon_metrics(w, &t);
    if (w->metrics && w->metrics->series)
        scw_metrics_series_render(w->metrics->series, w->agg, &t);
    if (t.oom || !t.buf) {
        scw_metrics_text_release(&t);
        return NULL;
    }
    *ret_len = t.len;
    return t.buf;
}

/* The endpoint: /metrics, and / with a pointer to it. */
static int serve(void *ctx, const char *path, char **ret_body, size_t *ret_len)
{
    struct scw_watch *w = ctx;
    struct scw_watch_metrics *m = w->metrics;
    if (strcmp(path, "/") == 0) {
        static const char hint[] = "scmpwatch: metrics are at /metrics\n";
        if (!(*ret_body = strdup(hint)))
            return -ENOMEM;
        *ret_len = sizeof(hint) - 1;
        return 200;
    }
    if (strcmp(path, "/metrics") != 0)
        return 404;
    uint64_t now = scw_watch_loop_now_ms();
    if (!m->cache || now - m->cache_ms >= RENDER_EVERY_MS) {
        size_t len;
        char *text = scw_watch_metrics_render(w, &len);
        if (!text && !m->cache)
            return -ENOMEM;
        if (text) {
            free(m->cache);
            m->cache = text;
            m->cache_len = len;
            m->cache_ms = now;
        }
    }
    if (!(*ret_body = malloc(m->cache_len)))
        return -ENOMEM;
    memcpy(*ret_body, m->cache, m->cache_len);
    *ret_len = m->cache_len;
    return 200;
}

static void on_httpd(void *ctx, int fd, uint32_t events)
{
    (void)fd;
    (void)events;
    struct scw_watch *w = ctx;
    scw_httpd_dispatch(w->metrics->httpd);
}

int scw_watch_metrics_open(struct scw_watch *w, const char *listen, const char *file, unsigned top)
{
    struct scw_watch_metrics *m = calloc(1, sizeof(*m));
    if (!m || scw_metrics_series_new(top, &m->series) < 0 || (file && !(m->file = strdup(file)))) {
        scw_watch_metrics_close(m);
        scw_log_errx("out of memory");
        return -ENOMEM;
    }
    w->metrics = m;
    if (listen) {
        int rc = scw_httpd_open(listen, NULL, serve, w, &m->httpd);
        if (rc == -EINVAL) {
            scw_log_errx("--metrics '%s': expected ADDR:PORT (127.0.0.1:9464, [::1]:9464 or "
                         ":9464 for every address)",
                         listen);
            return rc;
        }
        if (rc < 0) {
            scw_log_err(rc, "cannot serve metrics on '%s'%s", listen,
                        rc == -EADDRINUSE ? " (the port is in use: choose another with --metrics)"
                                          : "");
            return rc;
        }
        if ((rc = scw_loop_add_fd(w->loop, scw_httpd_fd(m->httpd), on_httpd, w)) < 0) {
            scw_log_err(rc, "cannot watch the metrics socket");
            return rc;
        }
        scw_log_info("metrics on http://%s/metrics (port %u)", listen, scw_httpd_port(m->httpd));
    }
    return 0;
}

void scw_watch_metrics_close(struct scw_watch_metrics *m)
{
    if (!m)
        return;
    scw_httpd_close(m->httpd);
    scw_metrics_series_free(m->series);
    free(m->cache);
    free(m->file);
    free(m);
}

unsigned scw_watch_metrics_port(const struct scw_watch_metrics *m)
{
    return m && m->httpd ? scw_httpd_port(m->httpd) : 0;
}

void scw_watch_metrics_tick(struct scw_watch *w)
{
    if (w->metrics && w->metrics->httpd)
        scw_httpd_expire(w->metrics->httpd, scw_watch_loop_now_ms());
}

int scw_watch_metrics_write_file(struct scw_watch *w)
{
    struct scw_watch_metrics *m = w->metrics;
    if (!m || !m->file)
        return 0;
    size_t len;
    char *text = scw_watch_metrics_render(w, &len);
    int rc = text ? scw_atomic_write(m->file, 0644, text, len) : -ENOMEM;
    free(text);
    if (rc < 0 && !m->file_warned) {
        m->file_warned = true; /* each failure is counted in no metric: say it once */
        scw_log_warn(rc, "cannot write the metrics file '%s' (said once)", m->file);
    } else if (rc == 0) {
        m->file_warned = false;
    }
    return rc;
}
